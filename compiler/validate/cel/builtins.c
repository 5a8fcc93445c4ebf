/* The one table of CEL functions: every function kiln's CEL knows, one row each, grouped by
 * the library that defines it (the implementations live in the lib_*.c files and eval.c). */
#include "validate/cel/cel.h"
#include "validate/cel/cel_lib.h"

const cel_fn_def cel_builtins[] = {
    /* ---- core (cel-spec standard definitions) ---- */
    {"size", CEL_FN_GLOBAL | CEL_FN_METHOD, 1, cel_core_size},
    {"contains", CEL_FN_METHOD, 2, cel_core_contains},
    {"startsWith", CEL_FN_METHOD, 2, cel_core_starts_with},
    {"endsWith", CEL_FN_METHOD, 2, cel_core_ends_with},
    {"matches", CEL_FN_GLOBAL | CEL_FN_METHOD, 2, cel_core_matches},
    {"dyn", CEL_FN_GLOBAL, 1, cel_core_dyn},
    {"type", CEL_FN_GLOBAL, 1, cel_core_type},
    {"int", CEL_FN_GLOBAL, 1, cel_core_int},
    {"uint", CEL_FN_GLOBAL, 1, cel_core_uint},
    {"double", CEL_FN_GLOBAL, 1, cel_core_double},
    {"string", CEL_FN_GLOBAL, 1, cel_core_string},
    {"bytes", CEL_FN_GLOBAL, 1, cel_core_bytes},
    {"bool", CEL_FN_GLOBAL, 1, cel_core_bool},
    {"duration", CEL_FN_GLOBAL, 1, cel_core_duration},
    {"timestamp", CEL_FN_GLOBAL, 1, cel_core_timestamp},
    {"getFullYear", CEL_FN_METHOD, 1, cel_core_get_full_year},
    {"getFullYear", CEL_FN_METHOD, 2, cel_core_get_full_year},
    {"getMonth", CEL_FN_METHOD, 1, cel_core_get_month},
    {"getMonth", CEL_FN_METHOD, 2, cel_core_get_month},
    {"getDate", CEL_FN_METHOD, 1, cel_core_get_date},
    {"getDate", CEL_FN_METHOD, 2, cel_core_get_date},
    {"getDayOfMonth", CEL_FN_METHOD, 1, cel_core_get_day_of_month},
    {"getDayOfMonth", CEL_FN_METHOD, 2, cel_core_get_day_of_month},
    {"getDayOfWeek", CEL_FN_METHOD, 1, cel_core_get_day_of_week},
    {"getDayOfWeek", CEL_FN_METHOD, 2, cel_core_get_day_of_week},
    {"getDayOfYear", CEL_FN_METHOD, 1, cel_core_get_day_of_year},
    {"getDayOfYear", CEL_FN_METHOD, 2, cel_core_get_day_of_year},
    {"getHours", CEL_FN_METHOD, 1, cel_core_get_hours},
    {"getHours", CEL_FN_METHOD, 2, cel_core_get_hours},
    {"getMinutes", CEL_FN_METHOD, 1, cel_core_get_minutes},
    {"getMinutes", CEL_FN_METHOD, 2, cel_core_get_minutes},
    {"getSeconds", CEL_FN_METHOD, 1, cel_core_get_seconds},
    {"getSeconds", CEL_FN_METHOD, 2, cel_core_get_seconds},
    {"getMilliseconds", CEL_FN_METHOD, 1, cel_core_get_milliseconds},
    {"getMilliseconds", CEL_FN_METHOD, 2, cel_core_get_milliseconds},
    {"optional.of", CEL_FN_GLOBAL, 1, cel_core_opt_of},
    {"optional.none", CEL_FN_GLOBAL, 0, cel_core_opt_none},
    {"optional.ofNonZeroValue", CEL_FN_GLOBAL, 1, cel_core_opt_of_non_zero},
    {"hasValue", CEL_FN_METHOD, 1, cel_core_has_value},
    {"value", CEL_FN_METHOD, 1, cel_core_value},
    {"orValue", CEL_FN_METHOD, 2, cel_core_or_value},
    {"or", CEL_FN_METHOD, 2, cel_core_or},
    {"optional.unwrap", CEL_FN_GLOBAL, 1, cel_core_opt_unwrap},
    {"unwrapOpt", CEL_FN_METHOD, 1, cel_core_opt_unwrap},

    /* ---- end core ---- */

    /* ---- strings extension (cel-go ext.Strings) ---- */

    /* ---- end strings extension ---- */

    /* ---- Kubernetes libraries: lists, regex, urls, quantity, sets, IP/CIDR, format ---- */

    /* ---- end Kubernetes libraries ---- */

    {NULL, 0, 0, NULL},
};

const size_t cel_nbuiltins = sizeof cel_builtins / sizeof cel_builtins[0] - 1;
