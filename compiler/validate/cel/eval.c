/* The CEL evaluator (placeholder until the grammar lands: parse reports an error). */
#include "validate/cel/cel_int.h"

struct cel_act {
    const cel_act *parent;
};

cel_prog *cel_parse(cel_env *e, const char *src, size_t n, cel_err *err)
{
    (void)e, (void)src, (void)n;
    err->msg = "CEL parser not implemented yet";
    err->line = 1;
    err->col = 1;
    return NULL;
}

cel_act *cel_act_new(cel_env *e, const cel_act *parent)
{
    cel_act *a = ar_alloc(e->a, sizeof *a);
    a->parent = parent;
    return a;
}

void cel_act_bind(cel_act *act, const char *name, const cel_val *v)
{
    (void)act, (void)name, (void)v;
}

const cel_val *cel_eval(cel_env *e, const cel_prog *prog, const cel_act *act, cel_err *err)
{
    (void)prog, (void)act;
    err->msg = "CEL evaluator not implemented yet";
    err->line = err->col = 0;
    return cel_errorf(e, "%s", err->msg);
}
