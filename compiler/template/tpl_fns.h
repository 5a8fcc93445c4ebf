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
TPL_FN(tpl_f_hello);
TPL_FN(tpl_f_trim);
TPL_FN(tpl_f_upper);
TPL_FN(tpl_f_lower);
TPL_FN(tpl_f_title);
TPL_FN(tpl_f_untitle);
TPL_FN(tpl_f_substr);
TPL_FN(tpl_f_repeat);
TPL_FN(tpl_f_trimAll);
TPL_FN(tpl_f_trimSuffix);
TPL_FN(tpl_f_trimPrefix);
TPL_FN(tpl_f_nospace);
TPL_FN(tpl_f_trunc);
TPL_FN(tpl_f_abbrev);
TPL_FN(tpl_f_abbrevboth);
TPL_FN(tpl_f_initials);
TPL_FN(tpl_f_randAlphaNum);
TPL_FN(tpl_f_randAlpha);
TPL_FN(tpl_f_randAscii);
TPL_FN(tpl_f_randNumeric);
TPL_FN(tpl_f_swapcase);
TPL_FN(tpl_f_shuffle);
TPL_FN(tpl_f_snakecase);
TPL_FN(tpl_f_camelcase);
TPL_FN(tpl_f_kebabcase);
TPL_FN(tpl_f_wrap);
TPL_FN(tpl_f_wrapWith);
TPL_FN(tpl_f_contains);
TPL_FN(tpl_f_hasPrefix);
TPL_FN(tpl_f_hasSuffix);
TPL_FN(tpl_f_quote);
TPL_FN(tpl_f_squote);
TPL_FN(tpl_f_cat);
TPL_FN(tpl_f_indent);
TPL_FN(tpl_f_nindent);
TPL_FN(tpl_f_replace);
TPL_FN(tpl_f_plural);
TPL_FN(tpl_f_toString);
TPL_FN(tpl_f_toStrings);
TPL_FN(tpl_f_join);
TPL_FN(tpl_f_sortAlpha);
TPL_FN(tpl_f_split);
TPL_FN(tpl_f_splitList);
TPL_FN(tpl_f_splitn);
/* ---- end Sprig: strings ---- */

/* ---- Sprig: lists ---- */
TPL_FN(tpl_f_list);
TPL_FN(tpl_f_push);
TPL_FN(tpl_f_prepend);
TPL_FN(tpl_f_first);
TPL_FN(tpl_f_rest);
TPL_FN(tpl_f_last);
TPL_FN(tpl_f_initial);
TPL_FN(tpl_f_reverse);
TPL_FN(tpl_f_uniq);
TPL_FN(tpl_f_without);
TPL_FN(tpl_f_has);
TPL_FN(tpl_f_sprig_slice);
TPL_FN(tpl_f_concat);
TPL_FN(tpl_f_compact);
TPL_FN(tpl_f_chunk);
TPL_FN(tpl_f_until);
TPL_FN(tpl_f_untilStep);
TPL_FN(tpl_f_seq);
/* ---- end Sprig: lists ---- */

/* ---- Sprig: dicts ---- */
TPL_FN(tpl_f_dict);
TPL_FN(tpl_f_get);
TPL_FN(tpl_f_set);
TPL_FN(tpl_f_unset);
TPL_FN(tpl_f_hasKey);
TPL_FN(tpl_f_pluck);
TPL_FN(tpl_f_keys);
TPL_FN(tpl_f_values);
TPL_FN(tpl_f_pick);
TPL_FN(tpl_f_omit);
TPL_FN(tpl_f_merge);
TPL_FN(tpl_f_mergeOverwrite);
TPL_FN(tpl_f_deepCopy);
TPL_FN(tpl_f_dig);
/* ---- end Sprig: dicts ---- */

/* ---- Sprig: math ---- */
TPL_FN(tpl_f_add1);
TPL_FN(tpl_f_add);
TPL_FN(tpl_f_sub);
TPL_FN(tpl_f_mul);
TPL_FN(tpl_f_div);
TPL_FN(tpl_f_mod);
TPL_FN(tpl_f_max);
TPL_FN(tpl_f_min);
TPL_FN(tpl_f_maxf);
TPL_FN(tpl_f_minf);
TPL_FN(tpl_f_randInt);
TPL_FN(tpl_f_add1f);
TPL_FN(tpl_f_addf);
TPL_FN(tpl_f_subf);
TPL_FN(tpl_f_mulf);
TPL_FN(tpl_f_divf);
TPL_FN(tpl_f_floor);
TPL_FN(tpl_f_ceil);
TPL_FN(tpl_f_round);
TPL_FN(tpl_f_atoi);
TPL_FN(tpl_f_int64);
TPL_FN(tpl_f_int);
TPL_FN(tpl_f_float64);
TPL_FN(tpl_f_toDecimal);
/* ---- end Sprig: math ---- */

/* ---- Sprig: encoding/crypto ---- */
TPL_FN(tpl_f_b64enc);
TPL_FN(tpl_f_b64dec);
TPL_FN(tpl_f_b32enc);
TPL_FN(tpl_f_b32dec);
TPL_FN(tpl_f_sha1sum);
TPL_FN(tpl_f_sha256sum);
TPL_FN(tpl_f_sha512sum);
TPL_FN(tpl_f_adler32sum);
TPL_FN(tpl_f_bcrypt);
TPL_FN(tpl_f_htpasswd);
TPL_FN(tpl_f_randBytes);
TPL_FN(tpl_f_derivePassword);
TPL_FN(tpl_f_encryptAES);
TPL_FN(tpl_f_decryptAES);
TPL_FN(tpl_f_genPrivateKey);
TPL_FN(tpl_f_buildCustomCert);
TPL_FN(tpl_f_genCA);
TPL_FN(tpl_f_genCAWithKey);
TPL_FN(tpl_f_genSelfSignedCert);
TPL_FN(tpl_f_genSelfSignedCertWithKey);
TPL_FN(tpl_f_genSignedCert);
TPL_FN(tpl_f_genSignedCertWithKey);
/* ---- end Sprig: encoding/crypto ---- */

/* ---- Sprig: dates/semver/misc ---- */
TPL_FN(tpl_f_uuidv4);
TPL_FN(tpl_f_getHostByName);
TPL_FN(tpl_f_default);
TPL_FN(tpl_f_empty);
TPL_FN(tpl_f_coalesce);
TPL_FN(tpl_f_all);
TPL_FN(tpl_f_any);
TPL_FN(tpl_f_ternary);
TPL_FN(tpl_f_toPrettyJson);
TPL_FN(tpl_f_mustToPrettyJson);
TPL_FN(tpl_f_toRawJson);
TPL_FN(tpl_f_mustFromJson);
TPL_FN(tpl_f_typeOf);
TPL_FN(tpl_f_typeIs);
TPL_FN(tpl_f_typeIsLike);
TPL_FN(tpl_f_kindOf);
TPL_FN(tpl_f_kindIs);
TPL_FN(tpl_f_deepEqual);
TPL_FN(tpl_f_base);
TPL_FN(tpl_f_dir);
TPL_FN(tpl_f_clean);
TPL_FN(tpl_f_ext);
TPL_FN(tpl_f_isAbs);
TPL_FN(tpl_f_regexMatch);
TPL_FN(tpl_f_mustRegexMatch);
TPL_FN(tpl_f_regexFindAll);
TPL_FN(tpl_f_mustRegexFindAll);
TPL_FN(tpl_f_regexFind);
TPL_FN(tpl_f_mustRegexFind);
TPL_FN(tpl_f_regexReplaceAll);
TPL_FN(tpl_f_mustRegexReplaceAll);
TPL_FN(tpl_f_regexReplaceAllLiteral);
TPL_FN(tpl_f_mustRegexReplaceAllLiteral);
TPL_FN(tpl_f_regexSplit);
TPL_FN(tpl_f_mustRegexSplit);
TPL_FN(tpl_f_regexQuoteMeta);
TPL_FN(tpl_f_urlParse);
TPL_FN(tpl_f_urlJoin);
TPL_FN(tpl_f_semver);
TPL_FN(tpl_f_semverCompare);
TPL_FN(tpl_f_now);
TPL_FN(tpl_f_date);
TPL_FN(tpl_f_dateInZone);
TPL_FN(tpl_f_htmlDate);
TPL_FN(tpl_f_htmlDateInZone);
TPL_FN(tpl_f_dateModify);
TPL_FN(tpl_f_mustDateModify);
TPL_FN(tpl_f_ago);
TPL_FN(tpl_f_duration);
TPL_FN(tpl_f_durationRound);
TPL_FN(tpl_f_toDate);
TPL_FN(tpl_f_mustToDate);
TPL_FN(tpl_f_unixEpoch);
/* ---- end Sprig: dates/semver/misc ---- */

#endif
