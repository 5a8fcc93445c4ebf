/* Declarations of the CEL library functions the table in builtins.c points at, one block per
 * library file (lib_core.c, lib_strings.c, lib_k8s.c). */
#ifndef KILN_CEL_LIB_H
#define KILN_CEL_LIB_H

#include "validate/cel/cel.h"

/* ---- lib_core.c ---- */
const cel_val *cel_core_size(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_contains(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_starts_with(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_ends_with(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_matches(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_dyn(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_type(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_int(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_uint(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_double(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_string(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_bytes(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_bool(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_duration(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_timestamp(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_full_year(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_month(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_date(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_day_of_month(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_day_of_week(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_day_of_year(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_hours(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_minutes(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_seconds(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_get_milliseconds(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_opt_of(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_opt_none(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_opt_of_non_zero(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_has_value(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_value(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_or_value(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_or(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_core_opt_unwrap(cel_env *e, const cel_val *const *a, size_t n);

/* ---- end lib_core.c ---- */

/* ---- lib_strings.c ---- */

/* ---- end lib_strings.c ---- */

/* ---- lib_k8s.c ---- */

/* ---- end lib_k8s.c ---- */

#endif
