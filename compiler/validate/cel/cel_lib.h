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

/* cel-go ext.Strings; every function checks its argument types (see cel_fn). */
const cel_val *cel_str_char_at(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_index_of(cel_env *e, const cel_val *const *a, size_t n); /* + lists */
const cel_val *cel_str_last_index_of(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_lower_ascii(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_upper_ascii(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_replace(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_split(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_substring(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_trim(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_reverse(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_join(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_quote(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_str_format(cel_env *e, const cel_val *const *a, size_t n);

/* Helpers shared by the library files. One UTF-8 sequence at s[i] (U+FFFD and length 1 when
 * invalid, as Go decodes); the encoding of one code point. */
size_t cel_utf8_decode(const char *s, size_t n, size_t i, uint32_t *cp);
void cel_utf8_put(buf_t *b, uint32_t cp);
/* Go's strconv.FormatFloat(d, 'f', -1, 64) (finite d); durations as Go's Seconds() in that
 * notation plus "s" ("6347s", "1.5s"), as format's %s writes them. */
void cel_fmt_double_plain(buf_t *b, double d);
void cel_fmt_duration(buf_t *b, int64_t sec, int32_t nsec);

/* ---- end lib_strings.c ---- */

/* ---- lib_k8s.c ---- */

/* Kubernetes lists (lib_k8s.c). */
const cel_val *cel_k8s_is_sorted(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_sum(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_min(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_max(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_list_index_of(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_list_last_index_of(cel_env *e, const cel_val *const *a, size_t n);
/* Regex (PCRE2), sets (cel-go ext.Sets) and URLs (lib_k8s.c). */
const cel_val *cel_k8s_find(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_find_all(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_sets_contains(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_sets_equivalent(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_sets_intersects(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_url(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_is_url(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_get_scheme(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_get_host(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_get_hostname(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_get_port(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_get_escaped_path(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_get_query(cel_env *e, const cel_val *const *a, size_t n);
/* Quantity (lib_quantity.c). */
const cel_val *cel_k8s_quantity(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_is_quantity(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_sign(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_is_greater_than(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_is_less_than(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_compare_to(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_add(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_sub(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_as_integer(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_as_approximate_float(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_q_is_integer(cel_env *e, const cel_val *const *a, size_t n);
/* The canonical text of a quantity value ("1536", "1500m", "1Ki"), NULL for other values. */
const char *cel_k8s_quantity_text(cel_env *e, const cel_val *v);
/* IP and CIDR (lib_net.c); cel_k8s_ip also serves cidr.ip(), cel_k8s_net_string string(). */
const cel_val *cel_k8s_ip(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_is_ip(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_ip_is_canonical(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_ip_family(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_ip_is_unspecified(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_ip_is_loopback(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_ip_is_link_local_multicast(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_ip_is_link_local_unicast(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_ip_is_global_unicast(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_net_string(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_cidr(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_is_cidr(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_cidr_contains_ip(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_cidr_contains_cidr(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_cidr_prefix_length(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_cidr_masked(cel_env *e, const cel_val *const *a, size_t n);

/* Named formats (lib_format.c): format.<name>() constants, format.named(), validate(). */
const cel_val *cel_k8s_format_dns1123_label(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_dns1123_subdomain(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_dns1035_label(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_qualified_name(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_dns1123_label_prefix(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_dns1123_subdomain_prefix(cel_env *e, const cel_val *const *a,
                                                       size_t n);
const cel_val *cel_k8s_format_dns1035_label_prefix(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_label_value(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_uri(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_uuid(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_byte(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_date(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_datetime(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_named(cel_env *e, const cel_val *const *a, size_t n);
const cel_val *cel_k8s_format_validate(cel_env *e, const cel_val *const *a, size_t n);

/* The library object types (for type() and equality). */
extern const cel_opaque_type cel_k8s_url_type, cel_k8s_quantity_type, cel_k8s_ip_type,
    cel_k8s_cidr_type, cel_k8s_format_type;

/* ---- end lib_k8s.c ---- */

#endif
