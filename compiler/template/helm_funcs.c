/* Helm's own template functions: include, tpl, required, fail, the YAML/JSON/TOML converters
 * and lookup (which finds nothing offline). */
#include "template/tpl_fns.h"
#include "template/tpl_int.h"

#define TPL_STUB(f)                                                                                \
    TPL_FN(f)                                                                                      \
    {                                                                                              \
        (void)args;                                                                                \
        (void)nargs;                                                                               \
        (void)out;                                                                                 \
        return tpl_errorf(c, "%s: not implemented yet", #f);                                       \
    }

TPL_STUB(tpl_f_include)
TPL_STUB(tpl_f_tpl)
TPL_STUB(tpl_f_required)
TPL_STUB(tpl_f_fail)
TPL_STUB(tpl_f_toYaml)
TPL_STUB(tpl_f_toYamlPretty)
TPL_STUB(tpl_f_fromYaml)
TPL_STUB(tpl_f_fromYamlArray)
TPL_STUB(tpl_f_toJson)
TPL_STUB(tpl_f_fromJson)
TPL_STUB(tpl_f_fromJsonArray)
TPL_STUB(tpl_f_toToml)
TPL_STUB(tpl_f_fromToml)
TPL_STUB(tpl_f_lookup)
