/* Declarations of every template function implementation, grouped like the table in builtins.c
 * (each helper adds declarations only in its own section). */
#ifndef KILN_TPL_FNS_H
#define KILN_TPL_FNS_H

#include "template/tpl.h"

#define TPL_FN(name)                                                                               \
    bool name(tpl_ctx *c, const tpl_val *const *args, size_t nargs, const tpl_val **out)

/* ---- text/template builtins (funcs.c) ---- */
TPL_FN(tpl_f_call);
TPL_FN(tpl_f_html);
TPL_FN(tpl_f_index);
TPL_FN(tpl_f_slice);
TPL_FN(tpl_f_js);
TPL_FN(tpl_f_len);
TPL_FN(tpl_f_not);
TPL_FN(tpl_f_print);
TPL_FN(tpl_f_printf);
TPL_FN(tpl_f_println);
TPL_FN(tpl_f_urlquery);
TPL_FN(tpl_f_eq);
TPL_FN(tpl_f_ne);
TPL_FN(tpl_f_lt);
TPL_FN(tpl_f_le);
TPL_FN(tpl_f_gt);
TPL_FN(tpl_f_ge);
/* ---- end text/template builtins ---- */

/* ---- Helm functions (helm_funcs.c) ---- */
TPL_FN(tpl_f_include);
TPL_FN(tpl_f_tpl);
TPL_FN(tpl_f_required);
TPL_FN(tpl_f_fail);
TPL_FN(tpl_f_toYaml);
TPL_FN(tpl_f_toYamlPretty);
TPL_FN(tpl_f_fromYaml);
TPL_FN(tpl_f_fromYamlArray);
TPL_FN(tpl_f_toJson);
TPL_FN(tpl_f_mustToYaml);
TPL_FN(tpl_f_mustToJson);
TPL_FN(tpl_f_fromJson);
TPL_FN(tpl_f_fromJsonArray);
TPL_FN(tpl_f_toToml);
TPL_FN(tpl_f_fromToml);
TPL_FN(tpl_f_lookup);
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

#endif
