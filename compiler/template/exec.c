/* The template executor: walks parse trees with Go's text/template semantics (truth, pipelines,
 * variables, field and map lookups with missingkey=zero, function calls with argument checks,
 * range over lists, maps, integers), and the template set holding every named template. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "template/tpl_fns.h"
#include "template/tpl_int.h"

/* ---- the set ---- */

tpl_set *tpl_set_new(arena *a, const tpl_opts *opts)
{
    tpl_set *s = ar_alloc(a, sizeof *s);
    s->a = a;
    s->perm = a;
    if (opts) s->opts = *opts;
    size_t ns = 64;
    while (ns < tpl_nbuiltins * 2)
        ns *= 2;
    s->fn_slots = ar_alloc(a, ns * sizeof *s->fn_slots);
    s->nfn_slots = ns;
    for (size_t i = 0; i < tpl_nbuiltins; i++) {
        const char *nm = tpl_builtins[i].name;
        size_t j = (size_t)util_hash(nm, strlen(nm)) & (ns - 1);
        while (s->fn_slots[j]) {
            if (strcmp(s->fn_slots[j]->name, nm) == 0) break; /* first row wins */
            j = (j + 1) & (ns - 1);
        }
        if (!s->fn_slots[j]) s->fn_slots[j] = &tpl_builtins[i];
    }
    return s;
}

const tpl_fn_def *tpl_set_fn(const tpl_set *s, const char *name, size_t n)
{
    while (s->parent)
        s = s->parent;
    if (!s->nfn_slots) return tpl_fn_find(name, n);
    for (size_t j = (size_t)util_hash(name, n) & (s->nfn_slots - 1); s->fn_slots[j];
         j = (j + 1) & (s->nfn_slots - 1)) {
        const tpl_fn_def *d = s->fn_slots[j];
        if (strncmp(d->name, name, n) == 0 && d->name[n] == 0) return d;
    }
    return NULL;
}

tpl_opts *tpl_set_opts(tpl_set *s)
{
    return &s->opts;
}
const tpl_error *tpl_last_error(const tpl_set *s)
{
    return &s->err;
}

static size_t name_slot(const tpl_set *s, const char *name)
{
    return (size_t)util_hash(name, strlen(name)) & (s->nslots - 1);
}

tpl_tree *tpl_set_lookup(const tpl_set *s, const char *name)
{
    for (; s; s = s->parent) {
        if (!s->nslots) continue;
        for (size_t i = name_slot(s, name);; i = (i + 1) & (s->nslots - 1)) {
            tpl_tree *t = s->slots[i];
            if (!t) break;
            if (strcmp(t->name, name) == 0) return t;
        }
    }
    return NULL;
}

void tpl_set_add(tpl_set *s, tpl_tree *t)
{
    if ((s->ntrees + 1) * 2 > s->nslots) {
        size_t nn = s->nslots ? s->nslots * 2 : 64;
        tpl_tree **old = s->slots;
        size_t on = s->nslots;
        s->slots = ar_alloc(s->a, nn * sizeof *s->slots);
        s->nslots = nn;
        for (size_t i = 0; i < on; i++) {
            if (!old[i]) continue;
            size_t j = name_slot(s, old[i]->name);
            while (s->slots[j])
                j = (j + 1) & (nn - 1);
            s->slots[j] = old[i];
        }
    }
    size_t j = name_slot(s, t->name);
    while (s->slots[j]) {
        if (strcmp(s->slots[j]->name, t->name) == 0) {
            s->slots[j] = t;
            return;
        }
        j = (j + 1) & (s->nslots - 1);
    }
    s->slots[j] = t;
    s->ntrees++;
}

bool tpl_has(const tpl_set *s, const char *name)
{
    tpl_tree *t = tpl_set_lookup(s, name);
    return t && t->root;
}

/* ---- execution state ---- */

typedef struct tpl_var {
    const char *name;
    const tpl_val *v;
} tpl_var;

typedef struct tpl_run {
    tpl_set *set;
    tpl_tree *tmpl;
    const tpl_node *node;
    tpl_var *vars;
    size_t nvars, capvars;
    buf_t *out;
    size_t out_base;
    int depth;
} tpl_run;

enum { EX_OK, EX_ERR, EX_BREAK, EX_CONT };

/* Go's missingVal: "no final argument" in a pipeline. */
static const tpl_val missing_v = {.kind = TPL_NIL};
#define MISSING (&missing_v)

arena *tpl_arena(tpl_ctx *c)
{
    return c->set->a;
}
const tpl_opts *tpl_options(tpl_ctx *c)
{
    return &c->set->opts;
}

static char *vfmt(arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *m = ar_alloc(a, (size_t)n + 1);
    vsnprintf(m, (size_t)n + 1, fmt, ap);
    return m;
}

bool tpl_errorf(tpl_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    c->msg = vfmt(c->set->a, fmt, ap);
    va_end(ap);
    return false;
}

static const char *qstr(arena *a, const char *s)
{
    buf_t b = {0};
    tpl_go_quote(&b, s, strlen(s), false);
    const char *r = ar_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

/* Records an execution error in Go's format and returns EX_ERR. */
static int ex_errorf(tpl_run *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ex_errorf(tpl_run *ex, const char *fmt, ...)
{
    arena *a = ex->set->a;
    va_list ap;
    va_start(ap, fmt);
    char *m = vfmt(a, fmt, ap);
    va_end(ap);
    const char *name = qstr(a, ex->tmpl->name);
    if (!ex->node) {
        ex->set->err.msg = ar_printf(a, "template: %s: %s", ex->tmpl->name, m);
        ex->set->err.pos = diag_at(ex->tmpl->file, 0, 0);
        return EX_ERR;
    }
    const tpl_tree *t = ex->node->tree ? ex->node->tree : ex->tmpl;
    uint32_t line, col;
    tpl_tree_linecol(t, ex->node->off, &line, &col);
    buf_t b = {0};
    tpl_node_string(&b, ex->node);
    ex->set->err.msg = ar_printf(a, "template: %s:%u:%u: executing %s at <%s>: %s", t->parse_name,
                                 line, col, name, b.data ? b.data : "", m);
    ex->set->err.pos = diag_at(t->file, line, col + 1);
    buf_free(&b);
    return EX_ERR;
}

static void at(tpl_run *ex, const tpl_node *n)
{
    ex->node = n;
}

static void push_var(tpl_run *ex, const char *name, const tpl_val *v)
{
    if (ex->nvars == ex->capvars) {
        size_t nc = ex->capvars ? ex->capvars * 2 : 8;
        ex->vars =
            ar_realloc(ex->set->a, ex->vars, ex->capvars * sizeof *ex->vars, nc * sizeof *ex->vars);
        ex->capvars = nc;
    }
    ex->vars[ex->nvars].name = name;
    ex->vars[ex->nvars].v = v;
    ex->nvars++;
}

static int set_var(tpl_run *ex, const char *name, const tpl_val *v)
{
    for (size_t i = ex->nvars; i-- > 0;)
        if (strcmp(ex->vars[i].name, name) == 0) {
            ex->vars[i].v = v;
            return EX_OK;
        }
    return ex_errorf(ex, "undefined variable: %s", name);
}

static int check_output(tpl_run *ex)
{
    size_t cap = ex->set->opts.max_output ? ex->set->opts.max_output : (size_t)256 << 20;
    if (ex->out->len - ex->out_base > cap)
        return ex_errorf(ex, "output exceeds the limit of %zu bytes", cap);
    return EX_OK;
}

/* ---- values ---- */

/* Go's %v of a value as the template prints it (printableValue + fmt.Fprint). */
static void print_value(buf_t *out, const tpl_val *v)
{
    if (!v) {
        buf_puts(out, "<no value>");
        return;
    }
    if (v->kind == TPL_OBJ && !v->obj.type->string && v->obj.type->print && v->obj.type->kind &&
        strcmp(v->obj.type->kind, "ptr") == 0) {
        /* printableValue indirects pointers: {{ .Obj }} prints {..}, print .Obj prints &{..} */
        size_t at0 = out->len;
        v->obj.type->print(v, out);
        if (out->len > at0 && out->data[at0] == '&') {
            memmove(out->data + at0, out->data + at0 + 1, out->len - at0 - 1);
            out->len--;
        }
        return;
    }
    tpl_print(out, v);
}

static bool truth(const tpl_val *v)
{
    return v && tpl_truth(v);
}

static const tpl_val *ideal_constant(tpl_run *ex, const tpl_node *n, int *st)
{
    at(ex, n);
    const tpl_number *num = &n->num.v;
    const char *t = n->num.text;
    bool hexint = strlen(t) > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && !strpbrk(t, "pP");
    bool runeint = t[0] == '\'';
    if (num->is_float && !hexint && !runeint && strpbrk(t, ".eEpP"))
        return tpl_float(ex->set->a, num->f);
    if (num->is_int) return tpl_int(ex->set->a, num->i);
    if (num->is_uint) {
        *st = ex_errorf(ex, "%s overflows int", t);
        return NULL;
    }
    if (num->is_float) return tpl_float(ex->set->a, num->f);
    *st = ex_errorf(ex, "illegal number syntax: %s", t);
    return NULL;
}

/* ---- evaluation ---- */

static int eval_pipeline(tpl_run *ex, const tpl_val *dot, const tpl_node *pipe,
                         const tpl_val **out);
static int eval_command(tpl_run *ex, const tpl_val *dot, const tpl_node *cmd, const tpl_val *final,
                        const tpl_val **out);
static int eval_arg(tpl_run *ex, const tpl_val *dot, char ptype, const tpl_node *n,
                    const tpl_val **out);
static int walk(tpl_run *ex, const tpl_val *dot, const tpl_node *n);
static int step(tpl_run *ex);

static int not_a_function(tpl_run *ex, const tpl_nodes *args, const tpl_val *final)
{
    if ((args && args->n > 1) || final != MISSING) {
        buf_t b = {0};
        tpl_node_string(&b, args->items[0]);
        int st = ex_errorf(ex, "can't give argument to non-function %s", b.data ? b.data : "");
        buf_free(&b);
        return st;
    }
    return EX_OK;
}

/* The zero value of a map's element type (missingkey=zero). */
static const tpl_val *map_zero(const tpl_map *m)
{
    if (m->tname && strcmp(m->tname, "map[string]string") == 0) return tpl_empty_str();
    return tpl_nil();
}

static int eval_field(tpl_run *ex, const tpl_val *dot, const char *name, const tpl_node *node,
                      const tpl_nodes *args, const tpl_val *final, const tpl_val *recv,
                      const tpl_val **out)
{
    bool has_args = (args && args->n > 1) || final != MISSING;
    if (!recv) {
        if (ex->set->opts.missingkey_error)
            return ex_errorf(ex, "nil data; no entry for key %s", qstr(ex->set->a, name));
        *out = NULL;
        return EX_OK;
    }
    if (recv->kind == TPL_NIL) return ex_errorf(ex, "nil pointer evaluating interface {}.%s", name);
    const tpl_type *mt = recv->kind == TPL_OBJ   ? recv->obj.type
                         : recv->kind == TPL_MAP ? recv->map->methods
                                                 : NULL;
    if (mt && mt->get) {
        /* method or field of an object: arguments evaluated as interface{} */
        size_t na = (args && args->n > 1 ? args->n - 1 : 0) + (final != MISSING);
        const tpl_val **av = ar_alloc(ex->set->a, (na ? na : 1) * sizeof *av);
        size_t k = 0;
        for (size_t i = 1; args && i < args->n; i++) {
            int st = eval_arg(ex, dot, 'v', args->items[i], &av[k++]);
            if (st) return st;
        }
        if (final != MISSING) av[k++] = final ? final : tpl_nil();
        tpl_ctx c = {ex->set, NULL, ex};
        const tpl_val *r = NULL;
        tpl_lookup lk = mt->get(&c, recv, name, av, na, &r);
        at(ex, node);
        if (lk == TPL_LOOKUP_OK) {
            *out = r;
            return EX_OK;
        }
        if (lk == TPL_LOOKUP_ERR)
            return ex_errorf(ex, "error calling %s: %s", name, c.msg ? c.msg : "error");
        if (recv->kind == TPL_OBJ)
            return ex_errorf(ex, "can't evaluate field %s in type %s", name, tpl_type_name(recv));
    }
    if (recv->kind == TPL_MAP) {
        if (has_args) return ex_errorf(ex, "%s is not a method but has arguments", name);
        const tpl_val *v = tpl_map_getz(recv->map, name);
        if (!v) {
            if (ex->set->opts.missingkey_error)
                return ex_errorf(ex, "map has no entry for key %s", qstr(ex->set->a, name));
            v = map_zero(recv->map);
        }
        *out = v;
        return EX_OK;
    }
    return ex_errorf(ex, "can't evaluate field %s in type %s", name, tpl_type_name(recv));
}

static int eval_field_chain(tpl_run *ex, const tpl_val *dot, const tpl_val *recv,
                            const tpl_node *node, const char *const *ids, size_t n,
                            const tpl_nodes *args, const tpl_val *final, const tpl_val **out)
{
    for (size_t i = 0; i + 1 < n; i++) {
        int st = eval_field(ex, dot, ids[i], node, NULL, MISSING, recv, &recv);
        if (st) return st;
    }
    return eval_field(ex, dot, ids[n - 1], node, args, final, recv, out);
}

static int eval_variable(tpl_run *ex, const tpl_val *dot, const tpl_node *v, const tpl_nodes *args,
                         const tpl_val *final, const tpl_val **out)
{
    at(ex, v);
    const char *name = v->field.ids[0];
    const tpl_val *val = NULL;
    bool found = false;
    for (size_t i = ex->nvars; i-- > 0;)
        if (strcmp(ex->vars[i].name, name) == 0) {
            val = ex->vars[i].v;
            found = true;
            break;
        }
    if (!found) return ex_errorf(ex, "undefined variable: %s", name);
    if (v->field.n == 1) {
        int st = not_a_function(ex, args, final);
        if (st) return st;
        *out = val;
        return EX_OK;
    }
    return eval_field_chain(ex, dot, val, v, v->field.ids + 1, v->field.n - 1, args, final, out);
}

static int eval_function(tpl_run *ex, const tpl_val *dot, const tpl_node *ident,
                         const tpl_node *cmd, const tpl_nodes *args, const tpl_val *final,
                         const tpl_val **out);

static int eval_chain(tpl_run *ex, const tpl_val *dot, const tpl_node *ch, const tpl_nodes *args,
                      const tpl_val *final, const tpl_val **out)
{
    at(ex, ch);
    if (ch->field.node->kind == TN_NIL) {
        buf_t b = {0};
        tpl_node_string(&b, ch);
        int st = ex_errorf(ex, "indirection through explicit nil in %s", b.data);
        buf_free(&b);
        return st;
    }
    const tpl_val *recv;
    int st = eval_arg(ex, dot, 0, ch->field.node, &recv);
    if (st) return st;
    return eval_field_chain(ex, dot, recv, ch, ch->field.ids, ch->field.n, args, final, out);
}

/* Go type name of a signature character. */
static const char *ptype_name(char t)
{
    switch (t) {
    case 's':
        return "string";
    case 'b':
        return "bool";
    case 'i':
        return "int";
    case 'I':
        return "int64";
    case 'f':
        return "float64";
    case 'l':
        return "[]interface {}";
    case 'm':
        return "map[string]interface {}";
    case 'B':
        return "[]uint8";
    case 'S':
        return "[]string";
    default:
        return "interface {}";
    }
}

static bool assignable(const tpl_val *v, char t)
{
    switch (t) {
    case 's':
        return v->kind == TPL_STRING;
    case 'b':
        return v->kind == TPL_BOOL;
    case 'i':
        return v->kind == TPL_INT;
    case 'I':
        return v->kind == TPL_INT64;
    case 'f':
        return v->kind == TPL_FLOAT64;
    case 'l':
        return v->kind == TPL_LIST && (!v->list.tname || strncmp(v->list.tname, "[]", 2) != 0);
    case 'm':
        return v->kind == TPL_MAP && (!v->map->tname || strncmp(v->map->tname, "map[", 4) != 0);
    case 'B':
        return v->kind == TPL_BYTES;
    case 'S':
        return v->kind == TPL_LIST && v->list.tname && strcmp(v->list.tname, "[]string") == 0;
    default:
        return true;
    }
}

/* Go's validateType. ptype 0: no type (chain receivers); 'r': reflect.Value (raw). */
static int validate(tpl_run *ex, const tpl_val *v, char ptype, const tpl_val **out)
{
    if (ptype == 0 || ptype == 'r') {
        *out = v;
        return EX_OK;
    }
    if (!v) {
        switch (ptype) {
        case 'v':
        case 'l':
        case 'm':
        case 'B':
        case 'S':
            *out = tpl_nil();
            return EX_OK;
        default:
            return ex_errorf(ex, "invalid value; expected %s", ptype_name(ptype));
        }
    }
    if (ptype == 'v' || assignable(v, ptype)) {
        *out = v;
        return EX_OK;
    }
    if (v->kind == TPL_NIL) {
        if (ptype == 'l' || ptype == 'm' || ptype == 'B' || ptype == 'S') {
            *out = v;
            return EX_OK;
        }
        return ex_errorf(ex, "wrong type for value; expected %s; got interface {}",
                         ptype_name(ptype));
    }
    return ex_errorf(ex, "wrong type for value; expected %s; got %s", ptype_name(ptype),
                     tpl_type_name(v));
}

static int eval_arg(tpl_run *ex, const tpl_val *dot, char ptype, const tpl_node *n,
                    const tpl_val **out)
{
    at(ex, n);
    const tpl_val *v = NULL;
    int st;
    switch (n->kind) {
    case TN_DOT:
        return validate(ex, dot, ptype, out);
    case TN_NIL:
        if (ptype == 'r') {
            *out = NULL;
            return EX_OK;
        }
        if (ptype == 'v' || ptype == 'l' || ptype == 'm' || ptype == 'B' || ptype == 'S') {
            *out = tpl_nil();
            return EX_OK;
        }
        return ex_errorf(ex, "cannot assign nil to %s", ptype ? ptype_name(ptype) : "<nil>");
    case TN_FIELD: {
        tpl_nodes one = {(tpl_node **)&n, 1, 1};
        st = eval_field_chain(ex, dot, dot, n, n->field.ids, n->field.n, &one, MISSING, &v);
        if (st) return st;
        return validate(ex, v, ptype, out);
    }
    case TN_VAR:
        st = eval_variable(ex, dot, n, NULL, MISSING, &v);
        if (st) return st;
        return validate(ex, v, ptype, out);
    case TN_PIPE:
        st = eval_pipeline(ex, dot, n, &v);
        if (st) return st;
        return validate(ex, v, ptype, out);
    case TN_IDENT:
        st = eval_function(ex, dot, n, n, NULL, MISSING, &v);
        if (st) return st;
        return validate(ex, v, ptype, out);
    case TN_CHAIN:
        st = eval_chain(ex, dot, n, NULL, MISSING, &v);
        if (st) return st;
        return validate(ex, v, ptype, out);
    default:
        break;
    }
    buf_t b = {0};
    tpl_node_string(&b, n);
    const char *ns = ar_strndup(ex->set->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    switch (ptype) {
    case 'b':
        if (n->kind == TN_BOOL) {
            *out = tpl_bool(n->b);
            return EX_OK;
        }
        return ex_errorf(ex, "expected bool; found %s", ns);
    case 's':
        if (n->kind == TN_STRING) {
            *out = tpl_str_ref(ex->set->a, n->str.s, n->str.n);
            return EX_OK;
        }
        return ex_errorf(ex, "expected string; found %s", ns);
    case 'i':
    case 'I':
        if (n->kind == TN_NUMBER && n->num.v.is_int) {
            *out = tpl_intk(ex->set->a, ptype == 'i' ? TPL_INT : TPL_INT64, n->num.v.i);
            return EX_OK;
        }
        return ex_errorf(ex, "expected integer; found %s", ns);
    case 'f':
        if (n->kind == TN_NUMBER && n->num.v.is_float) {
            *out = tpl_float(ex->set->a, n->num.v.f);
            return EX_OK;
        }
        return ex_errorf(ex, "expected float; found %s", ns);
    case 'v':
    case 'r':
    case 0:
        switch (n->kind) {
        case TN_BOOL:
            *out = tpl_bool(n->b);
            return EX_OK;
        case TN_STRING:
            *out = tpl_str_ref(ex->set->a, n->str.s, n->str.n);
            return EX_OK;
        case TN_NUMBER:
            st = EX_OK;
            *out = ideal_constant(ex, n, &st);
            return st;
        default:
            break;
        }
        return ex_errorf(ex, "can't handle assignment of %s to empty interface argument", ns);
    default:
        return ex_errorf(ex, "can't handle %s for arg of type %s", ns, ptype_name(ptype));
    }
}

/* Parameter types of a signature; variadic when it ends in '*'. */
static size_t sig_params(const char *sig, char *types, bool *variadic)
{
    if (!sig) {
        types[0] = 'v';
        *variadic = true;
        return 1;
    }
    size_t n = 0;
    *variadic = false;
    for (const char *c = sig; *c && n < 15; c++) {
        if (*c == '*') {
            *variadic = true;
            continue;
        }
        types[n++] = *c;
    }
    return n;
}

static int eval_call(tpl_run *ex, const tpl_val *dot, const tpl_fn_def *fn, const tpl_node *node,
                     const char *name, const tpl_nodes *args, const tpl_val *final,
                     const tpl_val **out)
{
    size_t nargs = args && args->n ? args->n - 1 : 0; /* args[0] is the function itself */
    tpl_node *const *av = args && args->n ? args->items + 1 : NULL;
    char types[16];
    bool variadic;
    size_t np = sig_params(fn->sig, types, &variadic);
    bool raw = (fn->flags & (TPL_FN_RAW | TPL_FN_SPECIAL)) != 0;
    size_t num_in = nargs + (final != MISSING);
    size_t num_fixed = nargs;
    if (variadic) {
        num_fixed = np - 1;
        if (num_in < num_fixed)
            return ex_errorf(ex, "wrong number of args for %s: want at least %zu got %zu", name,
                             np - 1, nargs);
    } else if (num_in != np) {
        return ex_errorf(ex, "wrong number of args for %s: want %zu got %zu", name, np, num_in);
    }
    if (fn->flags & TPL_FN_SPECIAL) {
        bool is_or = strcmp(name, "or") == 0;
        const tpl_val *v = NULL;
        for (size_t i = 0; i < nargs; i++) {
            int st = eval_arg(ex, dot, 'r', av[i], &v);
            if (st) return st;
            if (v && v->kind == TPL_NIL) v = NULL;
            if (truth(v) == is_or) {
                *out = v;
                return EX_OK;
            }
        }
        if (final != MISSING) v = final;
        *out = v;
        return EX_OK;
    }
    const tpl_val **argv = ar_alloc(ex->set->a, (num_in ? num_in : 1) * sizeof *argv);
    size_t i = 0;
    for (; i < num_fixed && i < nargs; i++) {
        int st = eval_arg(ex, dot, raw ? 'r' : types[i], av[i], &argv[i]);
        if (st) return st;
    }
    if (variadic) {
        char vt = raw ? 'r' : types[np - 1];
        for (; i < nargs; i++) {
            int st = eval_arg(ex, dot, vt, av[i], &argv[i]);
            if (st) return st;
        }
    }
    if (final != MISSING) {
        char t = types[np - 1];
        if (variadic && num_in - 1 < num_fixed) t = types[num_in - 1];
        int st = validate(ex, final, raw ? 'r' : t, &argv[i]);
        if (st) return st;
    }
    tpl_ctx c = {ex->set, NULL, ex};
    const tpl_val *r = NULL;
    if (!fn->fn(&c, argv, num_in, &r)) {
        at(ex, node);
        if (ex->set->err.msg && c.msg == ex->set->err.msg)
            return ex_errorf(ex, "error calling %s: %s", name, c.msg);
        return ex_errorf(ex, "error calling %s: %s", name, c.msg ? c.msg : "error");
    }
    *out = r ? r : tpl_nil();
    return EX_OK;
}

static int eval_function(tpl_run *ex, const tpl_val *dot, const tpl_node *ident,
                         const tpl_node *cmd, const tpl_nodes *args, const tpl_val *final,
                         const tpl_val **out)
{
    at(ex, ident);
    const tpl_fn_def *fn = ident->ident.fn;
    if (!fn)
        return ex_errorf(ex, "%s is not a defined function", qstr(ex->set->a, ident->ident.name));
    return eval_call(ex, dot, fn, cmd, ident->ident.name, args, final, out);
}

static int eval_command(tpl_run *ex, const tpl_val *dot, const tpl_node *cmd, const tpl_val *final,
                        const tpl_val **out)
{
    const tpl_node *first = cmd->cmd.items[0];
    const tpl_nodes *args = &cmd->cmd;
    int st;
    switch (first->kind) {
    case TN_FIELD:
        at(ex, first);
        return eval_field_chain(ex, dot, dot, first, first->field.ids, first->field.n, args, final,
                                out);
    case TN_CHAIN:
        return eval_chain(ex, dot, first, args, final, out);
    case TN_IDENT:
        return eval_function(ex, dot, first, cmd, args, final, out);
    case TN_PIPE:
        st = not_a_function(ex, args, final);
        if (st) return st;
        return eval_pipeline(ex, dot, first, out);
    case TN_VAR:
        return eval_variable(ex, dot, first, args, final, out);
    default:
        break;
    }
    at(ex, first);
    st = not_a_function(ex, args, final);
    if (st) return st;
    switch (first->kind) {
    case TN_BOOL:
        *out = tpl_bool(first->b);
        return EX_OK;
    case TN_DOT:
        *out = dot;
        return EX_OK;
    case TN_NIL:
        return ex_errorf(ex, "nil is not a command");
    case TN_NUMBER:
        st = EX_OK;
        *out = ideal_constant(ex, first, &st);
        return st;
    case TN_STRING:
        *out = tpl_str_ref(ex->set->a, first->str.s, first->str.n);
        return EX_OK;
    default:
        break;
    }
    return ex_errorf(ex, "can't evaluate command");
}

static int eval_pipeline(tpl_run *ex, const tpl_val *dot, const tpl_node *pipe, const tpl_val **out)
{
    *out = NULL;
    if (!pipe) return EX_OK;
    at(ex, pipe);
    int st0 = step(ex);
    if (st0) return st0;
    const tpl_val *v = MISSING;
    for (size_t i = 0; i < pipe->pipe.cmds.n; i++) {
        int st = eval_command(ex, dot, pipe->pipe.cmds.items[i], v, &v);
        if (st) return st;
        if (v && v->kind == TPL_NIL) v = NULL; /* a nil interface{} becomes "no value" */
    }
    for (size_t i = 0; i < pipe->pipe.decl.n; i++) {
        const char *name = pipe->pipe.decl.items[i]->field.ids[0];
        if (pipe->pipe.assign) {
            int st = set_var(ex, name, v);
            if (st) return st;
        } else {
            push_var(ex, name, v);
        }
    }
    *out = v;
    return EX_OK;
}

/* ---- walking ---- */

static int walk_list(tpl_run *ex, const tpl_val *dot, const tpl_node *list)
{
    for (size_t i = 0; i < list->list.n; i++) {
        int st = walk(ex, dot, list->list.items[i]);
        if (st) return st;
    }
    return EX_OK;
}

/* One unit of the step budget (runaway loops end with an error, not a hang). */
static int step(tpl_run *ex)
{
    tpl_set *root = ex->set;
    while (root->parent)
        root = root->parent;
    char probe;
    size_t budget = root->opts.max_stack ? root->opts.max_stack : (size_t)6 << 20;
    uintptr_t here = (uintptr_t)&probe;
    if (root->stack_base && root->stack_base > here && root->stack_base - here > budget)
        return ex_errorf(ex, "template nesting too deep (C stack budget of %zu bytes)", budget);
    uint64_t lim = ex->set->opts.max_steps ? ex->set->opts.max_steps : 200000000u;
    if (++root->steps > lim)
        return ex_errorf(ex, "execution exceeds the limit of %llu steps", (unsigned long long)lim);
    return EX_OK;
}

static int one_iteration(tpl_run *ex, const tpl_node *r, size_t mark, const tpl_val *index,
                         const tpl_val *elem)
{
    int st0 = step(ex);
    if (st0) return st0;
    const tpl_node *pipe = r->branch.pipe;
    size_t nd = pipe->pipe.decl.n;
    if (nd > 0) {
        if (pipe->pipe.assign) {
            int st = set_var(ex, pipe->pipe.decl.items[0]->field.ids[0], nd > 1 ? index : elem);
            if (st) return st;
        } else {
            ex->vars[ex->nvars - 1].v = elem;
        }
    }
    if (nd > 1) {
        if (pipe->pipe.assign) {
            int st = set_var(ex, pipe->pipe.decl.items[1]->field.ids[0], elem);
            if (st) return st;
        } else {
            ex->vars[ex->nvars - 2].v = index;
        }
    }
    int st = walk_list(ex, elem, r->branch.list);
    ex->nvars = mark;
    if (st == EX_CONT) st = EX_OK;
    return st;
}

static int walk_range(tpl_run *ex, const tpl_val *dot, const tpl_node *r)
{
    at(ex, r);
    size_t outer = ex->nvars;
    const tpl_val *val;
    int st = eval_pipeline(ex, dot, r->branch.pipe, &val);
    if (st) return st;
    size_t mark = ex->nvars;
    arena *a = ex->set->a;
    bool ran = false;
    if (val && val->kind == TPL_OBJ && val->obj.type->elems) val = val->obj.type->elems(a, val);
    if (val && val->kind != TPL_NIL) {
        switch (val->kind) {
        case TPL_LIST:
            for (size_t i = 0; i < val->list.n && !st; i++) {
                ran = true;
                st = one_iteration(ex, r, mark, tpl_int(a, (int64_t)i), val->list.items[i]);
            }
            break;
        case TPL_BYTES:
            for (size_t i = 0; i < val->str.n && !st; i++) {
                ran = true;
                st = one_iteration(ex, r, mark, tpl_int(a, (int64_t)i),
                                   tpl_uintk(a, TPL_UINT8, (unsigned char)val->str.s[i]));
            }
            break;
        case TPL_MAP: {
            /* iterate over a snapshot: the body may modify the map */
            tpl_map *m = tpl_map_copy(a, val->map);
            for (size_t i = 0; i < m->n && !st; i++) {
                ran = true;
                st =
                    one_iteration(ex, r, mark, tpl_str_ref(a, m->keys[i], m->klens[i]), m->vals[i]);
            }
            break;
        }
        default:
            if (tpl_is_integer(val)) {
                if (r->branch.pipe->pipe.decl.n > 1) {
                    buf_t b = {0};
                    tpl_print(&b, val);
                    st = ex_errorf(ex, "can't use %s to iterate over more than one variable",
                                   b.data);
                    buf_free(&b);
                    break;
                }
                if (tpl_is_int(val)) {
                    for (int64_t i = 0; i < val->i && !st; i++) {
                        ran = true;
                        tpl_val *x = tpl_intk(a, (tpl_kind)val->kind, i);
                        st = one_iteration(ex, r, mark, x, x);
                    }
                } else {
                    for (uint64_t i = 0; i < val->u && !st; i++) {
                        ran = true;
                        tpl_val *x = tpl_uintk(a, (tpl_kind)val->kind, i);
                        st = one_iteration(ex, r, mark, x, x);
                    }
                }
                break;
            }
            {
                buf_t b = {0};
                tpl_print(&b, val);
                st = ex_errorf(ex, "range can't iterate over %s", b.data ? b.data : "");
                buf_free(&b);
            }
            break;
        }
    }
    if (st == EX_BREAK) st = EX_OK;
    if (!st && !ran && r->branch.elist) st = walk_list(ex, dot, r->branch.elist);
    ex->nvars = outer;
    return st;
}

static int exec_tree(tpl_set *s, tpl_tree *t, const tpl_val *dot, buf_t *out, int depth);

static int walk_template(tpl_run *ex, const tpl_val *dot, const tpl_node *n)
{
    at(ex, n);
    tpl_tree *t = tpl_set_lookup(ex->set, n->tmpl.name);
    if (!t || !t->root)
        return ex_errorf(ex, "template %s not defined", qstr(ex->set->a, n->tmpl.name));
    if (ex->depth >= 100000 || ex->set->depth >= 1200)
        return ex_errorf(ex, "exceeded maximum template depth (%d)", 100000);
    const tpl_val *v;
    int st = eval_pipeline(ex, dot, n->tmpl.pipe, &v);
    if (st) return st;
    ex->set->depth++;
    st = exec_tree(ex->set, t, v, ex->out, ex->depth + 1);
    ex->set->depth--;
    return st ? EX_ERR : EX_OK;
}

static int walk(tpl_run *ex, const tpl_val *dot, const tpl_node *n)
{
    at(ex, n);
    int st;
    if ((st = step(ex))) return st;
    switch (n->kind) {
    case TN_ACTION: {
        const tpl_val *v;
        st = eval_pipeline(ex, dot, n->action.pipe, &v);
        if (st) return st;
        if (n->action.pipe->pipe.decl.n == 0) {
            at(ex, n);
            print_value(ex->out, v);
            return check_output(ex);
        }
        return EX_OK;
    }
    case TN_BREAK:
        return EX_BREAK;
    case TN_CONTINUE:
        return EX_CONT;
    case TN_IF:
    case TN_WITH: {
        size_t mark = ex->nvars;
        const tpl_val *v;
        st = eval_pipeline(ex, dot, n->branch.pipe, &v);
        if (!st) {
            if (truth(v))
                st = walk_list(ex, n->kind == TN_WITH ? v : dot, n->branch.list);
            else if (n->branch.elist)
                st = walk_list(ex, dot, n->branch.elist);
        }
        ex->nvars = mark;
        return st;
    }
    case TN_LIST:
        return walk_list(ex, dot, n);
    case TN_RANGE:
        return walk_range(ex, dot, n);
    case TN_TEMPLATE:
        return walk_template(ex, dot, n);
    case TN_TEXT:
        buf_put(ex->out, n->text.s, n->text.n);
        return check_output(ex);
    default:
        return ex_errorf(ex, "unknown node");
    }
}

static int exec_tree(tpl_set *s, tpl_tree *t, const tpl_val *dot, buf_t *out, int depth)
{
    tpl_run ex;
    memset(&ex, 0, sizeof ex);
    ex.set = s;
    ex.tmpl = t;
    ex.out = out;
    ex.out_base = out->len;
    ex.depth = depth;
    if (dot && dot->kind == TPL_NIL) dot = NULL; /* Execute(nil): no value */
    push_var(&ex, "$", dot);
    if (!t->root)
        return ex_errorf(&ex, "%s is an incomplete or empty template", qstr(s->a, t->name));
    int st = walk_list(&ex, dot, t->root);
    return st == EX_ERR ? EX_ERR : EX_OK;
}

bool tpl_exec_tree(tpl_set *s, tpl_tree *t, const tpl_val *dot, buf_t *out)
{
    return exec_tree(s, t, dot, out, 0) == EX_OK;
}

bool tpl_exec(tpl_set *s, const char *name, const tpl_val *dot, buf_t *out)
{
    tpl_tree *t = tpl_set_lookup(s, name);
    if (!t) {
        s->err.msg = ar_printf(s->a, "template: no template %s associated with template \"gotpl\"",
                               qstr(s->a, name));
        s->err.pos = diag_nopos;
        return false;
    }
    s->err.msg = NULL;
    char probe;
    tpl_set *root = s;
    while (root->parent)
        root = root->parent;
    uintptr_t saved = root->stack_base;
    if (!saved) root->stack_base = (uintptr_t)&probe;
    bool ok = tpl_exec_tree(s, t, dot, out);
    root->stack_base = saved;
    return ok;
}

void tpl_set_exec_arena(tpl_set *s, arena *exec)
{
    s->a = exec ? exec : s->perm;
    s->stored = false;
}

bool tpl_exec_stored(const tpl_set *s)
{
    return s->stored;
}

void tpl_note_store(tpl_ctx *c)
{
    tpl_set *s = c->set;
    while (s->parent)
        s = s->parent;
    s->stored = true;
}

bool tpl_call_template(tpl_ctx *c, const char *name, const tpl_val *data, buf_t *out)
{
    tpl_tree *t = tpl_set_lookup(c->set, name);
    if (!t) {
        return tpl_errorf(c, "template: no template %s associated with template \"gotpl\"",
                          qstr(c->set->a, name));
    }
    if (c->set->depth >= 1200) return tpl_errorf(c, "exceeded maximum template depth (100000)");
    c->set->depth++;
    bool ok = tpl_exec_tree(c->set, t, data, out);
    c->set->depth--;
    if (!ok) c->msg = c->set->err.msg;
    return ok;
}
