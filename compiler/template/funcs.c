/* text/template's builtin functions: comparisons, index, slice, len, not, the print family
 * and the html/js/urlquery escapers, with Go's semantics and error texts. */
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

TPL_STUB(tpl_f_call)
TPL_STUB(tpl_f_html)
TPL_STUB(tpl_f_index)
TPL_STUB(tpl_f_slice)
TPL_STUB(tpl_f_js)
TPL_STUB(tpl_f_len)
TPL_STUB(tpl_f_not)
TPL_STUB(tpl_f_print)
TPL_STUB(tpl_f_printf)
TPL_STUB(tpl_f_println)
TPL_STUB(tpl_f_urlquery)
TPL_STUB(tpl_f_eq)
TPL_STUB(tpl_f_ne)
TPL_STUB(tpl_f_lt)
TPL_STUB(tpl_f_le)
TPL_STUB(tpl_f_gt)
TPL_STUB(tpl_f_ge)
