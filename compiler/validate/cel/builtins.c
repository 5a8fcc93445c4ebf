/* The one table of CEL functions: every function kiln's CEL knows, one row each, grouped by
 * the library that defines it (the implementations live in the lib_*.c files and eval.c). */
#include "validate/cel/cel.h"
#include "validate/cel/cel_lib.h"

const cel_fn_def cel_builtins[] = {
    /* ---- core (cel-spec standard definitions) ---- */

    /* ---- end core ---- */

    /* ---- strings extension (cel-go ext.Strings) ---- */
    {"charAt", CEL_FN_METHOD, 2, cel_str_char_at},
    {"indexOf", CEL_FN_METHOD, 2, cel_str_index_of},
    {"indexOf", CEL_FN_METHOD, 3, cel_str_index_of},
    {"lastIndexOf", CEL_FN_METHOD, 2, cel_str_last_index_of},
    {"lastIndexOf", CEL_FN_METHOD, 3, cel_str_last_index_of},
    {"lowerAscii", CEL_FN_METHOD, 1, cel_str_lower_ascii},
    {"upperAscii", CEL_FN_METHOD, 1, cel_str_upper_ascii},
    {"replace", CEL_FN_METHOD, 3, cel_str_replace},
    {"replace", CEL_FN_METHOD, 4, cel_str_replace},
    {"split", CEL_FN_METHOD, 2, cel_str_split},
    {"split", CEL_FN_METHOD, 3, cel_str_split},
    {"substring", CEL_FN_METHOD, 2, cel_str_substring},
    {"substring", CEL_FN_METHOD, 3, cel_str_substring},
    {"trim", CEL_FN_METHOD, 1, cel_str_trim},
    {"join", CEL_FN_METHOD, 1, cel_str_join},
    {"join", CEL_FN_METHOD, 2, cel_str_join},
    {"reverse", CEL_FN_METHOD, 1, cel_str_reverse},
    {"strings.quote", CEL_FN_GLOBAL, 1, cel_str_quote},
    {"format", CEL_FN_METHOD, 2, cel_str_format},
    /* ---- end strings extension ---- */

    /* ---- Kubernetes libraries: lists, regex, urls, quantity, sets, IP/CIDR, format ---- */
    /* indexOf/lastIndexOf on lists: the strings rows above dispatch on the receiver */
    {"isSorted", CEL_FN_METHOD, 1, cel_k8s_is_sorted},
    {"sum", CEL_FN_METHOD, 1, cel_k8s_sum},
    {"min", CEL_FN_METHOD, 1, cel_k8s_min},
    {"max", CEL_FN_METHOD, 1, cel_k8s_max},
    {"find", CEL_FN_METHOD, 2, cel_k8s_find},
    {"findAll", CEL_FN_METHOD, 2, cel_k8s_find_all},
    {"findAll", CEL_FN_METHOD, 3, cel_k8s_find_all},
    {"url", CEL_FN_GLOBAL, 1, cel_k8s_url},
    {"isURL", CEL_FN_GLOBAL, 1, cel_k8s_is_url},
    {"getScheme", CEL_FN_METHOD, 1, cel_k8s_get_scheme},
    {"getHost", CEL_FN_METHOD, 1, cel_k8s_get_host},
    {"getHostname", CEL_FN_METHOD, 1, cel_k8s_get_hostname},
    {"getPort", CEL_FN_METHOD, 1, cel_k8s_get_port},
    {"getEscapedPath", CEL_FN_METHOD, 1, cel_k8s_get_escaped_path},
    {"getQuery", CEL_FN_METHOD, 1, cel_k8s_get_query},
    {"quantity", CEL_FN_GLOBAL, 1, cel_k8s_quantity},
    {"isQuantity", CEL_FN_GLOBAL, 1, cel_k8s_is_quantity},
    {"sign", CEL_FN_GLOBAL | CEL_FN_METHOD, 1, cel_k8s_q_sign},
    {"isGreaterThan", CEL_FN_METHOD, 2, cel_k8s_q_is_greater_than},
    {"isLessThan", CEL_FN_METHOD, 2, cel_k8s_q_is_less_than},
    {"compareTo", CEL_FN_METHOD, 2, cel_k8s_q_compare_to},
    {"add", CEL_FN_METHOD, 2, cel_k8s_q_add},
    {"sub", CEL_FN_METHOD, 2, cel_k8s_q_sub},
    {"asInteger", CEL_FN_METHOD, 1, cel_k8s_q_as_integer},
    {"asApproximateFloat", CEL_FN_METHOD, 1, cel_k8s_q_as_approximate_float},
    {"isInteger", CEL_FN_METHOD, 1, cel_k8s_q_is_integer},
    {"sets.contains", CEL_FN_GLOBAL, 2, cel_k8s_sets_contains},
    {"sets.equivalent", CEL_FN_GLOBAL, 2, cel_k8s_sets_equivalent},
    {"sets.intersects", CEL_FN_GLOBAL, 2, cel_k8s_sets_intersects},
    {"ip", CEL_FN_GLOBAL | CEL_FN_METHOD, 1, cel_k8s_ip},
    {"isIP", CEL_FN_GLOBAL, 1, cel_k8s_is_ip},
    {"ip.isCanonical", CEL_FN_GLOBAL, 1, cel_k8s_ip_is_canonical},
    {"family", CEL_FN_METHOD, 1, cel_k8s_ip_family},
    {"isUnspecified", CEL_FN_METHOD, 1, cel_k8s_ip_is_unspecified},
    {"isLoopback", CEL_FN_METHOD, 1, cel_k8s_ip_is_loopback},
    {"isLinkLocalMulticast", CEL_FN_METHOD, 1, cel_k8s_ip_is_link_local_multicast},
    {"isLinkLocalUnicast", CEL_FN_METHOD, 1, cel_k8s_ip_is_link_local_unicast},
    {"isGlobalUnicast", CEL_FN_METHOD, 1, cel_k8s_ip_is_global_unicast},
    {"string", CEL_FN_GLOBAL, 1, cel_k8s_net_string},
    {"cidr", CEL_FN_GLOBAL, 1, cel_k8s_cidr},
    {"isCIDR", CEL_FN_GLOBAL, 1, cel_k8s_is_cidr},
    {"containsIP", CEL_FN_METHOD, 2, cel_k8s_cidr_contains_ip},
    {"containsCIDR", CEL_FN_METHOD, 2, cel_k8s_cidr_contains_cidr},
    {"prefixLength", CEL_FN_METHOD, 1, cel_k8s_cidr_prefix_length},
    {"masked", CEL_FN_METHOD, 1, cel_k8s_cidr_masked},
    {"format.dns1123Label", CEL_FN_GLOBAL, 0, cel_k8s_format_dns1123_label},
    {"format.dns1123Subdomain", CEL_FN_GLOBAL, 0, cel_k8s_format_dns1123_subdomain},
    {"format.dns1035Label", CEL_FN_GLOBAL, 0, cel_k8s_format_dns1035_label},
    {"format.qualifiedName", CEL_FN_GLOBAL, 0, cel_k8s_format_qualified_name},
    {"format.dns1123LabelPrefix", CEL_FN_GLOBAL, 0, cel_k8s_format_dns1123_label_prefix},
    {"format.dns1123SubdomainPrefix", CEL_FN_GLOBAL, 0, cel_k8s_format_dns1123_subdomain_prefix},
    {"format.dns1035LabelPrefix", CEL_FN_GLOBAL, 0, cel_k8s_format_dns1035_label_prefix},
    {"format.labelValue", CEL_FN_GLOBAL, 0, cel_k8s_format_label_value},
    {"format.uri", CEL_FN_GLOBAL, 0, cel_k8s_format_uri},
    {"format.uuid", CEL_FN_GLOBAL, 0, cel_k8s_format_uuid},
    {"format.byte", CEL_FN_GLOBAL, 0, cel_k8s_format_byte},
    {"format.date", CEL_FN_GLOBAL, 0, cel_k8s_format_date},
    {"format.datetime", CEL_FN_GLOBAL, 0, cel_k8s_format_datetime},
    {"format.named", CEL_FN_GLOBAL, 1, cel_k8s_format_named},
    {"validate", CEL_FN_METHOD, 2, cel_k8s_format_validate},
    /* ---- end Kubernetes libraries ---- */

    {NULL, 0, 0, NULL},
};

const size_t cel_nbuiltins = sizeof cel_builtins / sizeof cel_builtins[0] - 1;
