/* The one table of template functions: every function kiln's Go templates know, one row each,
 * grouped by where Helm gets it (text/template, Helm's engine, Sprig by topic). Each helper adds
 * rows only in its own section; names are unique (tpl_fn_find checks nothing else). */
#include <string.h>

#include "template/tpl.h"
#include "template/tpl_fns.h"

const tpl_fn_def tpl_builtins[] = {
    /* ---- text/template builtins ---- */
    {"and", NULL, "vv*", TPL_FN_SPECIAL},
    {"or", NULL, "vv*", TPL_FN_SPECIAL},
    {"call", tpl_f_call, "vv*", TPL_FN_RAW},
    {"html", tpl_f_html, "v*", 0},
    {"index", tpl_f_index, "vv*", TPL_FN_RAW},
    {"slice", tpl_f_slice, "vv*", TPL_FN_RAW},
    {"js", tpl_f_js, "v*", 0},
    {"len", tpl_f_len, "v", TPL_FN_RAW},
    {"not", tpl_f_not, "v", TPL_FN_RAW},
    {"print", tpl_f_print, "v*", 0},
    {"printf", tpl_f_printf, "sv*", 0},
    {"println", tpl_f_println, "v*", 0},
    {"urlquery", tpl_f_urlquery, "v*", 0},
    {"eq", tpl_f_eq, "vv*", TPL_FN_RAW},
    {"ne", tpl_f_ne, "vv", TPL_FN_RAW},
    {"lt", tpl_f_lt, "vv", TPL_FN_RAW},
    {"le", tpl_f_le, "vv", TPL_FN_RAW},
    {"gt", tpl_f_gt, "vv", TPL_FN_RAW},
    {"ge", tpl_f_ge, "vv", TPL_FN_RAW},
    /* ---- end text/template builtins ---- */

    /* ---- Helm functions ---- */
    {"include", tpl_f_include, "sv", 0},
    {"tpl", tpl_f_tpl, "sv", 0},
    {"required", tpl_f_required, "sv", 0},
    {"fail", tpl_f_fail, "s", 0},
    {"toYaml", tpl_f_toYaml, "v", 0},
    {"toYamlPretty", tpl_f_toYamlPretty, "v", 0},
    {"fromYaml", tpl_f_fromYaml, "s", 0},
    {"fromYamlArray", tpl_f_fromYamlArray, "s", 0},
    {"toJson", tpl_f_toJson, "v", 0},
    {"mustToYaml", tpl_f_mustToYaml, "v", 0},
    {"mustToJson", tpl_f_mustToJson, "v", 0},
    {"fromJson", tpl_f_fromJson, "s", 0},
    {"fromJsonArray", tpl_f_fromJsonArray, "s", 0},
    {"toToml", tpl_f_toToml, "v", 0},
    {"fromToml", tpl_f_fromToml, "s", 0},
    {"lookup", tpl_f_lookup, "ssss", 0},
    /* ---- end Helm functions ---- */

    /* ---- Sprig: strings ---- */
    /* ---- end Sprig: strings ---- */

    /* ---- Sprig: lists ---- */
    /* ---- end Sprig: lists ---- */

    /* ---- Sprig: dicts ---- */
    /* ---- end Sprig: dicts ---- */

    /* ---- Sprig: math ---- */
    /* ---- end Sprig: math ---- */

    /* ---- Sprig: encoding/crypto ---- */
    /* ---- end Sprig: encoding/crypto ---- */

    /* ---- Sprig: dates/semver/misc ---- */
    /* ---- end Sprig: dates/semver/misc ---- */

    {NULL, NULL, NULL, 0},
};

const size_t tpl_nbuiltins = sizeof tpl_builtins / sizeof tpl_builtins[0] - 1;

const tpl_fn_def *tpl_fn_find(const char *name, size_t n)
{
    for (size_t i = 0; i < tpl_nbuiltins; i++)
        if (strlen(tpl_builtins[i].name) == n && memcmp(tpl_builtins[i].name, name, n) == 0)
            return &tpl_builtins[i];
    return NULL;
}
