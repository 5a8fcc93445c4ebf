/* The CEL evaluator: walks the tree cel_parse built, with CEL's error semantics (errors are
 * values; && and || absorb them commutatively), name resolution through the container and
 * dotted variable names, operators, comprehensions, the cost limit and function dispatch
 * through the builtins table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/cel/cel_int.h"

/* ---- activations ---- */

struct cel_act {
    const cel_act *parent;
    cel_env *e;
    const char **names;
    const cel_val **vals;
    size_t n, cap;
    bool dotted; /* some name holds a '.' (a qualified name select chains may spell) */
};

cel_act *cel_act_new(cel_env *e, const cel_act *parent)
{
    cel_act *a = ar_alloc(e->a, sizeof *a);
    a->parent = parent;
    a->e = e;
    return a;
}

void cel_act_bind(cel_act *act, const char *name, const cel_val *v)
{
    for (size_t i = 0; i < act->n; i++)
        if (!strcmp(act->names[i], name)) {
            act->vals[i] = v;
            return;
        }
    if (act->n == act->cap) {
        size_t cap = act->cap ? act->cap * 2 : 8;
        act->names = ar_realloc(act->e->a, act->names, act->cap * sizeof *act->names,
                                cap * sizeof *act->names);
        act->vals =
            ar_realloc(act->e->a, act->vals, act->cap * sizeof *act->vals, cap * sizeof *act->vals);
        act->cap = cap;
    }
    if (strchr(name, '.')) act->dotted = true;
    act->names[act->n] = ar_strdup(act->e->a, name);
    act->vals[act->n] = v;
    act->n++;
}

static bool act_dotted(const cel_act *a)
{
    for (; a; a = a->parent)
        if (a->dotted) return true;
    return false;
}

static const cel_val *act_get(const cel_act *a, const char *name, size_t len)
{
    for (; a; a = a->parent)
        for (size_t i = a->n; i-- > 0;)
            if (!strncmp(a->names[i], name, len) && !a->names[i][len]) return a->vals[i];
    return NULL;
}

/* ---- evaluation state ---- */

/* Comprehension variables, innermost first (they shadow the activation's names). */
typedef struct scope {
    const struct scope *up;
    const char *name;
    const cel_val *val;
} scope;

typedef struct ev {
    cel_env *e;
    const cel_act *act;
    const cel_val *abort; /* set once the cost limit is exceeded: the result, whatever else */
    const cel_val *err;   /* the last error value seen, and where it was made */
    uint32_t err_line, err_col;
} ev;

static const cel_val *eval(ev *x, const cel_node *n, const scope *sc);

static const cel_val *scope_get(const scope *sc, const char *name)
{
    for (; sc; sc = sc->up)
        if (!strcmp(sc->name, name)) return sc->val;
    return NULL;
}

static const char *const type_names[] = {
    "bool",
    "bytes",
    "double",
    "int",
    "uint",
    "string",
    "list",
    "map",
    "null_type",
    "type",
    "google.protobuf.Duration",
    "google.protobuf.Timestamp",
    "optional_type",
};

/* A global name (variable, then type name) resolved through the container: for container
 * "a.b" and name "x", tries "a.b.x", "a.x", "x"; a leading '.' skips the container. */
static const cel_val *resolve(ev *x, const char *name, bool absolute)
{
    const char *c = absolute ? "" : x->e->container;
    size_t clen = strlen(c);
    size_t nlen = strlen(name);
    char stackbuf[256];
    char *buf = clen + nlen + 2 <= sizeof stackbuf ? stackbuf : ar_alloc(x->e->a, clen + nlen + 2);
    for (;;) {
        size_t k = 0;
        if (clen) {
            memcpy(buf, c, clen);
            buf[clen] = '.';
            k = clen + 1;
        }
        memcpy(buf + k, name, nlen);
        buf[k + nlen] = 0;
        const cel_val *v = act_get(x->act, buf, k + nlen);
        if (v) return v;
        if (!clen) break;
        while (clen > 0 && c[clen - 1] != '.')
            clen--;
        if (clen) clen--; /* drop the dot */
    }
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
        if (!strcmp(name, type_names[i])) return cel_type(x->e, type_names[i]);
    return NULL;
}

static bool charge(ev *x, uint64_t units)
{
    cel_env *e = x->e;
    e->cost += units;
    if (e->cost_limit && e->cost > e->cost_limit && !x->abort)
        x->abort = cel_errorf(e, "cost limit exceeded (%llu)", (unsigned long long)e->cost_limit);
    return !x->abort;
}

bool cel_cost_add(cel_env *e, uint64_t units)
{
    e->cost += units;
    return !(e->cost_limit && e->cost > e->cost_limit);
}

/* ---- field selection and indexing ---- */

static const cel_val *select_field(ev *x, const cel_val *v, const char *field, bool opt)
{
    cel_env *e = x->e;
    if (v->kind == CEL_OPTIONAL) {
        if (!v->opt) return v;
        const cel_val *r = select_field(x, v->opt, field, true);
        return r;
    }
    if (v->kind == CEL_MAP) {
        const cel_val *r = cel_map_get_str(v, field);
        if (opt) return cel_optional(e, r);
        if (!r) return cel_errorf(e, "no such key: '%s'", field);
        return r;
    }
    return cel_errorf(e, "type '%s' does not support field selection", cel_type_name(v));
}

static const cel_val *has_field(ev *x, const cel_val *v, const char *field)
{
    if (v->kind == CEL_OPTIONAL) {
        if (!v->opt) return cel_bool(false);
        return has_field(x, v->opt, field);
    }
    if (v->kind == CEL_MAP) return cel_bool(cel_map_get_str(v, field) != NULL);
    return cel_errorf(x->e, "invalid type for field selection: %s", cel_type_name(v));
}

static bool valid_key(const cel_val *k)
{
    return k->kind == CEL_STRING || k->kind == CEL_INT || k->kind == CEL_UINT ||
           k->kind == CEL_BOOL;
}

static const cel_val *index_value(ev *x, const cel_val *v, const cel_val *k, bool opt)
{
    cel_env *e = x->e;
    if (v->kind == CEL_OPTIONAL) {
        if (!v->opt) return v;
        return index_value(x, v->opt, k, true);
    }
    if (v->kind == CEL_LIST) {
        int64_t i;
        if (k->kind == CEL_INT)
            i = k->i;
        else if (k->kind == CEL_UINT)
            i = k->u > INT64_MAX ? INT64_MAX : (int64_t)k->u;
        else if (k->kind == CEL_DOUBLE && k->d == trunc(k->d) && fabs(k->d) < 9.2e18)
            i = (int64_t)k->d;
        else if (k->kind == CEL_DOUBLE)
            return cel_errorf(e, "invalid_argument: index %g is not an integer", k->d);
        else
            return cel_errorf(e, "invalid_argument: no such overload: list[%s]", cel_type_name(k));
        if (i < 0 || (uint64_t)i >= v->list.n) {
            if (opt) return cel_optional(e, NULL);
            return cel_errorf(e, "invalid_argument: index out of range: %lld (size %zu)",
                              (long long)i, v->list.n);
        }
        return opt ? cel_optional(e, v->list.items[i]) : v->list.items[i];
    }
    if (v->kind == CEL_MAP) {
        const cel_val *r = cel_is_num(k) || valid_key(k) ? cel_map_get(v, k) : NULL;
        if (opt) return cel_optional(e, r);
        if (!r) {
            if (k->kind == CEL_STRING) return cel_errorf(e, "no such key: '%s'", k->str.s);
            buf_t b = {0};
            cel_print(&b, k);
            cel_val *err = cel_errorf(e, "no such key: %s", buf_cstr(&b));
            buf_free(&b);
            return err;
        }
        return r;
    }
    const cel_val *args[2] = {v, k};
    return cel_no_overload(e, "_[_]", args, 2);
}

/* ---- operators ---- */

static const cel_val *overflow(cel_env *e)
{
    return cel_errorf(e, "integer overflow");
}

static const cel_val *concat(ev *x, const cel_val *a, const cel_val *b)
{
    cel_env *e = x->e;
    if (a->kind == CEL_LIST) {
        size_t n = a->list.n + b->list.n;
        if (!charge(x, n / 16)) return x->abort;
        cel_val **items = ar_alloc(e->a, (n ? n : 1) * sizeof *items);
        memcpy(items, a->list.items, a->list.n * sizeof *items);
        memcpy(items + a->list.n, b->list.items, b->list.n * sizeof *items);
        return cel_list(e, items, n);
    }
    size_t n = a->str.n + b->str.n;
    if (!charge(x, n / 64)) return x->abort;
    cel_val *v = cel_val_new(e, (cel_kind)a->kind);
    char *s = ar_alloc(e->a, n + 1);
    memcpy(s, a->str.s, a->str.n);
    memcpy(s + a->str.n, b->str.s, b->str.n);
    v->str.s = s;
    v->str.n = n;
    return v;
}

static const cel_val *arith(ev *x, int op, const cel_val *a, const cel_val *b, const char *name)
{
    cel_env *e = x->e;
    if (a->kind == b->kind) {
        switch (a->kind) {
        case CEL_INT: {
            int64_t r;
            switch (op) {
            case CEL_OP_ADD:
                if (__builtin_add_overflow(a->i, b->i, &r)) return overflow(e);
                return cel_int(e, r);
            case CEL_OP_SUB:
                if (__builtin_sub_overflow(a->i, b->i, &r)) return overflow(e);
                return cel_int(e, r);
            case CEL_OP_MUL:
                if (__builtin_mul_overflow(a->i, b->i, &r)) return overflow(e);
                return cel_int(e, r);
            case CEL_OP_DIV:
                if (b->i == 0) return cel_errorf(e, "division by zero");
                if (a->i == INT64_MIN && b->i == -1) return overflow(e);
                return cel_int(e, a->i / b->i);
            case CEL_OP_MOD:
                if (b->i == 0) return cel_errorf(e, "modulus by zero");
                if (a->i == INT64_MIN && b->i == -1) return overflow(e);
                return cel_int(e, a->i % b->i);
            }
            break;
        }
        case CEL_UINT: {
            uint64_t r;
            switch (op) {
            case CEL_OP_ADD:
                if (__builtin_add_overflow(a->u, b->u, &r)) return overflow(e);
                return cel_uint(e, r);
            case CEL_OP_SUB:
                if (__builtin_sub_overflow(a->u, b->u, &r)) return overflow(e);
                return cel_uint(e, r);
            case CEL_OP_MUL:
                if (__builtin_mul_overflow(a->u, b->u, &r)) return overflow(e);
                return cel_uint(e, r);
            case CEL_OP_DIV:
                if (b->u == 0) return cel_errorf(e, "division by zero");
                return cel_uint(e, a->u / b->u);
            case CEL_OP_MOD:
                if (b->u == 0) return cel_errorf(e, "modulus by zero");
                return cel_uint(e, a->u % b->u);
            }
            break;
        }
        case CEL_DOUBLE:
            switch (op) {
            case CEL_OP_ADD:
                return cel_double(e, a->d + b->d);
            case CEL_OP_SUB:
                return cel_double(e, a->d - b->d);
            case CEL_OP_MUL:
                return cel_double(e, a->d * b->d);
            case CEL_OP_DIV:
                return cel_double(e, a->d / b->d);
            }
            break;
        case CEL_STRING:
        case CEL_BYTES:
        case CEL_LIST:
            if (op == CEL_OP_ADD) return concat(x, a, b);
            break;
        case CEL_DURATION:
            if (op == CEL_OP_ADD) return cel_dur_from_ns(e, cel_time_ns(a) + cel_time_ns(b));
            if (op == CEL_OP_SUB) return cel_dur_from_ns(e, cel_time_ns(a) - cel_time_ns(b));
            break;
        case CEL_TIMESTAMP:
            if (op == CEL_OP_SUB) {
                cel_i128 d = cel_time_ns(a) - cel_time_ns(b);
                if (d > INT64_MAX || d < INT64_MIN) return cel_errorf(e, "duration out of range");
                return cel_dur_from_ns(e, d);
            }
            break;
        }
    } else if (a->kind == CEL_TIMESTAMP && b->kind == CEL_DURATION) {
        if (op == CEL_OP_ADD) return cel_ts_from_ns(e, cel_time_ns(a) + cel_time_ns(b));
        if (op == CEL_OP_SUB) return cel_ts_from_ns(e, cel_time_ns(a) - cel_time_ns(b));
    } else if (a->kind == CEL_DURATION && b->kind == CEL_TIMESTAMP && op == CEL_OP_ADD) {
        return cel_ts_from_ns(e, cel_time_ns(a) + cel_time_ns(b));
    }
    const cel_val *args[2] = {a, b};
    return cel_no_overload(e, name, args, 2);
}

static const cel_val *in_op(ev *x, const cel_val *a, const cel_val *b)
{
    if (b->kind == CEL_LIST) {
        for (size_t i = 0; i < b->list.n; i++)
            if (cel_equal(a, b->list.items[i])) return cel_bool(true);
        return cel_bool(false);
    }
    if (b->kind == CEL_MAP)
        return cel_bool((cel_is_num(a) || valid_key(a)) && cel_map_get(b, a) != NULL);
    const cel_val *args[2] = {a, b};
    return cel_no_overload(x->e, "@in", args, 2);
}

/* && and ||: false (for ||: true) wins over errors on either side; else the first error. */
static const cel_val *logic(ev *x, const cel_node *n, const scope *sc, bool is_and)
{
    const cel_val *a = eval(x, n->args[0], sc);
    if (x->abort) return x->abort;
    if (a->kind == CEL_BOOL && a->b != is_and) return a;
    const cel_val *b = eval(x, n->args[1], sc);
    if (x->abort) return x->abort;
    if (b->kind == CEL_BOOL && b->b != is_and) return b;
    if (a->kind == CEL_BOOL && b->kind == CEL_BOOL) return a; /* both the neutral value */
    if (a->kind == CEL_ERROR) return a;
    if (b->kind == CEL_ERROR) return b;
    const cel_val *args[2] = {a, b};
    return cel_no_overload(x->e, n->name, args, 2);
}

static const cel_val *eval_op(ev *x, const cel_node *n, const scope *sc)
{
    cel_env *e = x->e;
    switch (n->op) {
    case CEL_OP_AND:
        return logic(x, n, sc, true);
    case CEL_OP_OR:
        return logic(x, n, sc, false);
    case CEL_OP_COND: {
        const cel_val *c = eval(x, n->args[0], sc);
        if (c->kind == CEL_ERROR) return c;
        if (c->kind != CEL_BOOL) return cel_no_overload(e, n->name, &c, 1);
        return eval(x, n->args[c->b ? 1 : 2], sc);
    }
    default:
        break;
    }
    const cel_val *a = eval(x, n->args[0], sc);
    if (a->kind == CEL_ERROR) return a;
    if (n->op == CEL_OP_NOT) {
        if (a->kind == CEL_BOOL) return cel_bool(!a->b);
        return cel_no_overload(e, n->name, &a, 1);
    }
    if (n->op == CEL_OP_NEG) {
        if (a->kind == CEL_INT) {
            if (a->i == INT64_MIN) return overflow(e);
            return cel_int(e, -a->i);
        }
        if (a->kind == CEL_DOUBLE) return cel_double(e, -a->d);
        if (a->kind == CEL_DURATION) return cel_dur_from_ns(e, -cel_time_ns(a));
        return cel_no_overload(e, n->name, &a, 1);
    }
    const cel_val *b = eval(x, n->args[1], sc);
    if (b->kind == CEL_ERROR) return b;
    switch (n->op) {
    case CEL_OP_EQ:
        return cel_bool(cel_equal(a, b));
    case CEL_OP_NE:
        return cel_bool(!cel_equal(a, b));
    case CEL_OP_LT:
    case CEL_OP_LE:
    case CEL_OP_GT:
    case CEL_OP_GE: {
        int c = cel_compare(a, b);
        if (c == 3) {
            const cel_val *args[2] = {a, b};
            return cel_no_overload(e, n->name, args, 2);
        }
        if (c == 2) return cel_bool(false);
        switch (n->op) {
        case CEL_OP_LT:
            return cel_bool(c < 0);
        case CEL_OP_LE:
            return cel_bool(c <= 0);
        case CEL_OP_GT:
            return cel_bool(c > 0);
        default:
            return cel_bool(c >= 0);
        }
    }
    case CEL_OP_IN:
        return in_op(x, a, b);
    case CEL_OP_INDEX:
        return index_value(x, a, b, false);
    case CEL_OP_OPT_INDEX:
        return index_value(x, a, b, true);
    default:
        return arith(x, n->op, a, b, n->name);
    }
}

/* ---- calls ---- */

typedef struct cel_fn_index {
    const char **names; /* sorted; rows[i] is the table row of names[i] */
    uint32_t *rows;
    size_t n;
} cel_fn_index;

static int fn_cmp(const void *a, const void *b)
{
    const uint32_t ra = *(const uint32_t *)a, rb = *(const uint32_t *)b;
    int c = strcmp(cel_builtins[ra].name, cel_builtins[rb].name);
    return c ? c : (ra > rb) - (ra < rb);
}

static void fn_index_build(cel_env *e)
{
    cel_fn_index *ix = ar_alloc(e->a, sizeof *ix);
    ix->n = cel_nbuiltins;
    ix->rows = ar_alloc(e->a, (ix->n + 1) * sizeof *ix->rows);
    for (size_t i = 0; i < ix->n; i++)
        ix->rows[i] = (uint32_t)i;
    qsort(ix->rows, ix->n, sizeof *ix->rows, fn_cmp);
    e->fidx = ix;
}

/* The first row named `name` (index into the sorted rows), or SIZE_MAX. */
static size_t fn_first(cel_env *e, const char *name)
{
    if (!e->fidx) fn_index_build(e);
    const cel_fn_index *ix = e->fidx;
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(cel_builtins[ix->rows[mid]].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ix->n && !strcmp(cel_builtins[ix->rows[lo]].name, name)) return lo;
    return SIZE_MAX;
}

bool cel_fn_named(cel_env *e, const char *name)
{
    return fn_first(e, name) != SIZE_MAX;
}

const cel_fn_def *cel_fn_find(cel_env *e, const char *name, size_t nargs, int style)
{
    size_t i = fn_first(e, name);
    if (i == SIZE_MAX) return NULL;
    const cel_fn_index *ix = e->fidx;
    for (; i < ix->n && !strcmp(cel_builtins[ix->rows[i]].name, name); i++) {
        const cel_fn_def *d = &cel_builtins[ix->rows[i]];
        if ((d->style & style) && (d->nargs < 0 || (size_t)d->nargs == nargs)) return d;
    }
    return NULL;
}

/* The root identifier of a select chain that names a qualified name, or NULL. */
static const cel_node *chain_root(const cel_node *n)
{
    while (n->kind == CEL_N_SELECT) {
        if (!n->qname) return NULL;
        n = n->args[0];
    }
    return n->kind == CEL_N_IDENT ? n : NULL;
}

/* A qualified function name written as a call on an identifier chain (`strings.quote(x)`)
 * when that chain is not a variable. */
static const cel_fn_def *qualified_fn(ev *x, const cel_node *n, const scope *sc)
{
    const cel_node *recv = n->args[0];
    const cel_fn_def *d = n->qfn;
    if (!d) return NULL;
    const cel_node *root = chain_root(recv);
    if (!root || (!root->absolute && scope_get(sc, root->name))) return NULL;
    /* a variable of that name wins */
    for (const cel_node *c = recv; c->kind == CEL_N_SELECT; c = c->args[0])
        if (resolve(x, c->qname, root->absolute)) return NULL;
    if (resolve(x, root->name, root->absolute)) return NULL;
    return d;
}

static const cel_val *call_fn(ev *x, const cel_fn_def *d, const cel_val *const *args, size_t k)
{
    const cel_val *r = d->fn(x->e, args, k);
    return r ? r : cel_errorf(x->e, "%s: no result", d->name);
}

static const cel_val *eval_call(ev *x, const cel_node *n, const scope *sc)
{
    cel_env *e = x->e;
    if (n->op != CEL_OP_NONE) return eval_op(x, n, sc);
    size_t first = 0;
    const cel_fn_def *d = NULL;
    if (n->method && (d = qualified_fn(x, n, sc))) first = 1;
    size_t k = n->n - first;
    const cel_val *stackargs[8];
    const cel_val **args = k <= 8 ? stackargs : ar_alloc(e->a, k * sizeof *args);
    for (size_t i = 0; i < k; i++) {
        args[i] = eval(x, n->args[first + i], sc);
        if (args[i]->kind == CEL_ERROR) return args[i];
    }
    if (!d) d = n->fn;
    if (!d) {
        if (n->fn_known) return cel_no_overload(e, n->name, args, k);
        return cel_errorf(e, "undeclared reference to '%s'", n->name);
    }
    return call_fn(x, d, args, k);
}

/* ---- names ---- */

static const cel_val *eval_ident(ev *x, const cel_node *n, const scope *sc)
{
    const cel_val *v;
    if (!n->absolute && (v = scope_get(sc, n->name))) return v;
    if ((v = resolve(x, n->name, n->absolute))) return v;
    return cel_errorf(x->e, "undeclared reference to '%s'", n->name);
}

static const cel_val *eval_select(ev *x, const cel_node *n, const scope *sc)
{
    const cel_node *root = n->qname && !n->test ? chain_root(n) : NULL;
    /* only dotted variable names and the google.protobuf types are spelt by a chain */
    if (root && !act_dotted(x->act) && strcmp(root->name, "google")) root = NULL;
    if (root && (root->absolute || !scope_get(sc, root->name))) {
        /* the longest prefix of the chain that names a variable, then field selections */
        for (const cel_node *c = n; c != root; c = c->args[0]) {
            const cel_val *v = resolve(x, c->qname, root->absolute);
            if (!v) continue;
            /* select the fields below n down to c, outermost last */
            size_t len = 0;
            for (const cel_node *d = n; d != c; d = d->args[0])
                len++;
            for (size_t k = len; k-- > 0 && v->kind != CEL_ERROR;) {
                const cel_node *d = n;
                for (size_t j = 0; j < k; j++)
                    d = d->args[0];
                v = select_field(x, v, d->name, d->opt);
            }
            return v;
        }
    }
    const cel_val *v = eval(x, n->args[0], sc);
    if (v->kind == CEL_ERROR) return v;
    if (n->test) return has_field(x, v, n->name);
    return select_field(x, v, n->name, n->opt);
}

/* ---- literals ---- */

static const cel_val *eval_list(ev *x, const cel_node *n, const scope *sc)
{
    cel_env *e = x->e;
    cel_val **items = ar_alloc(e->a, (n->n ? n->n : 1) * sizeof *items);
    size_t k = 0;
    for (size_t i = 0; i < n->n; i++) {
        const cel_val *v = eval(x, n->args[i], sc);
        if (v->kind == CEL_ERROR) return v;
        if (n->optf && n->optf[i]) {
            if (v->kind != CEL_OPTIONAL)
                return cel_errorf(e, "optional list element is a %s, not an optional",
                                  cel_type_name(v));
            if (!v->opt) continue;
            v = v->opt;
        }
        items[k++] = (cel_val *)v;
    }
    return cel_list(e, items, k);
}

static const cel_val *eval_map(ev *x, const cel_node *n, const scope *sc)
{
    cel_env *e = x->e;
    size_t cap = n->n ? n->n : 1;
    cel_val **keys = ar_alloc(e->a, cap * sizeof *keys),
            **vals = ar_alloc(e->a, cap * sizeof *vals);
    size_t k = 0;
    for (size_t i = 0; i < n->n; i++) {
        const cel_val *key = eval(x, n->args[i], sc);
        if (key->kind == CEL_ERROR) return key;
        if (!valid_key(key)) return cel_errorf(e, "unsupported key type: %s", cel_type_name(key));
        const cel_val *v = eval(x, n->vals[i], sc);
        if (v->kind == CEL_ERROR) return v;
        if (n->optf && n->optf[i]) {
            if (v->kind != CEL_OPTIONAL)
                return cel_errorf(e, "optional map entry is a %s, not an optional",
                                  cel_type_name(v));
            if (!v->opt) continue;
            v = v->opt;
        }
        for (size_t j = 0; j < k; j++)
            if (cel_equal(keys[j], key)) return cel_errorf(e, "Failed with repeated key");
        keys[k] = (cel_val *)key;
        vals[k++] = (cel_val *)v;
    }
    return cel_map(e, keys, vals, k);
}

/* ---- comprehensions ---- */

static const cel_val *not_bool(ev *x, const cel_node *n, const cel_val *v)
{
    return cel_errorf(x->e, "no such overload: %s() predicate is a %s, not a bool", n->name,
                      cel_type_name(v));
}

typedef struct growvec {
    cel_val **items, **vals;
    size_t n, cap;
} growvec;

static void gv_push(cel_env *e, growvec *g, const cel_val *item, const cel_val *val)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 8;
        g->items = ar_realloc(e->a, g->items, g->cap * sizeof *g->items, cap * sizeof *g->items);
        g->vals = ar_realloc(e->a, g->vals, g->cap * sizeof *g->vals, cap * sizeof *g->vals);
        g->cap = cap;
    }
    g->items[g->n] = (cel_val *)item;
    g->vals[g->n] = (cel_val *)val;
    g->n++;
}

static const cel_val *eval_comp(ev *x, const cel_node *n, const scope *sc)
{
    cel_env *e = x->e;
    const cel_val *r = eval(x, n->range, sc);
    if (r->kind == CEL_ERROR) return r;
    scope s1 = {sc, n->iter, NULL}, s2 = {&s1, n->iter2, NULL};
    const scope *inner = n->iter2 ? &s2 : &s1;
    switch (n->op) {
    case CEL_C_BIND:
        s1.val = r;
        return eval(x, n->expr, &s1);
    case CEL_C_OPTMAP:
    case CEL_C_OPTFLATMAP: {
        if (r->kind != CEL_OPTIONAL)
            return cel_errorf(e, "%s() applies to an optional, not a %s", n->name,
                              cel_type_name(r));
        if (!r->opt) return r;
        s1.val = r->opt;
        const cel_val *v = eval(x, n->expr, &s1);
        if (v->kind == CEL_ERROR || n->op == CEL_C_OPTMAP)
            return v->kind == CEL_ERROR ? v : cel_optional(e, v);
        if (v->kind != CEL_OPTIONAL)
            return cel_errorf(e, "optFlatMap() result is a %s, not an optional", cel_type_name(v));
        return v;
    }
    default:
        break;
    }
    size_t count;
    if (r->kind == CEL_LIST)
        count = r->list.n;
    else if (r->kind == CEL_MAP)
        count = r->map.n;
    else
        return cel_errorf(e, "%s(): cannot iterate over a %s", n->name, cel_type_name(r));
    const cel_val *accu_err = NULL;
    int64_t hits = 0;
    growvec out = {0};
    for (size_t i = 0; i < count; i++) {
        if (!charge(x, 1)) return x->abort;
        const cel_val *item;
        if (r->kind == CEL_LIST) {
            item = r->list.items[i];
            if (n->iter2) {
                s1.val = cel_int(e, (int64_t)i);
                s2.val = item;
            } else {
                s1.val = item;
            }
        } else {
            item = r->map.keys[i];
            s1.val = item;
            s2.val = r->map.vals[i];
        }
        const cel_val *p = NULL;
        if (n->pred) {
            p = eval(x, n->pred, inner);
            if (x->abort) return x->abort;
        }
        switch (n->op) {
        case CEL_C_ALL:
        case CEL_C_EXISTS: {
            bool stop = n->op == CEL_C_EXISTS;
            if (p->kind == CEL_BOOL) {
                if (p->b == stop) return p;
            } else if (!accu_err) {
                accu_err = p->kind == CEL_ERROR ? p : not_bool(x, n, p);
            }
            continue;
        }
        case CEL_C_EXISTS_ONE:
            if (p->kind == CEL_ERROR) return p;
            if (p->kind != CEL_BOOL) return not_bool(x, n, p);
            hits += p->b;
            continue;
        default:
            break;
        }
        if (p) {
            if (p->kind == CEL_ERROR) return p;
            if (p->kind != CEL_BOOL) return not_bool(x, n, p);
            if (!p->b) continue;
        }
        if (n->op == CEL_C_FILTER) {
            gv_push(e, &out, item, NULL);
            continue;
        }
        const cel_val *t = eval(x, n->expr, inner);
        if (t->kind == CEL_ERROR) return t;
        if (n->op == CEL_C_MAP || n->op == CEL_C_TLIST) {
            gv_push(e, &out, t, NULL);
        } else if (n->op == CEL_C_TMAP) {
            gv_push(e, &out, s1.val, t);
        } else { /* transformMapEntry: t is a map whose entries join the result */
            if (t->kind != CEL_MAP)
                return cel_errorf(e, "transformMapEntry() result is a %s, not a map",
                                  cel_type_name(t));
            for (size_t j = 0; j < t->map.n; j++) {
                for (size_t q = 0; q < out.n; q++)
                    if (cel_equal(out.items[q], t->map.keys[j]))
                        return cel_errorf(e, "transformMapEntry(): repeated key");
                gv_push(e, &out, t->map.keys[j], t->map.vals[j]);
            }
        }
    }
    switch (n->op) {
    case CEL_C_ALL:
        return accu_err ? accu_err : cel_bool(true);
    case CEL_C_EXISTS:
        return accu_err ? accu_err : cel_bool(false);
    case CEL_C_EXISTS_ONE:
        return cel_bool(hits == 1);
    case CEL_C_TMAP:
    case CEL_C_TMAPENTRY:
        return cel_map(e, out.items, out.vals, out.n);
    default:
        return cel_list(e, out.items, out.n);
    }
}

/* ---- the walk ---- */

static const cel_val *eval(ev *x, const cel_node *n, const scope *sc)
{
    if (x->abort || !charge(x, 1)) return x->abort;
    const cel_val *r;
    switch (n->kind) {
    case CEL_N_LIT:
        r = n->lit;
        break;
    case CEL_N_IDENT:
        r = eval_ident(x, n, sc);
        break;
    case CEL_N_SELECT:
        r = eval_select(x, n, sc);
        break;
    case CEL_N_CALL:
        r = eval_call(x, n, sc);
        break;
    case CEL_N_LIST:
        r = eval_list(x, n, sc);
        break;
    case CEL_N_MAP:
        r = eval_map(x, n, sc);
        break;
    case CEL_N_COMP:
        r = eval_comp(x, n, sc);
        break;
    default:
        r = cel_errorf(x->e, "unknown type '%s' (message types are not supported)", n->name);
    }
    if (x->abort) return x->abort;
    if (r->kind == CEL_ERROR && r != x->err) {
        x->err = r;
        x->err_line = n->line;
        x->err_col = n->col;
    }
    return r;
}

const cel_val *cel_eval(cel_env *e, const cel_prog *prog, const cel_act *act, cel_err *err)
{
    ev x = {.e = e, .act = act};
    e->cost = 0;
    const cel_val *r = eval(&x, prog->root, NULL);
    if (r->kind == CEL_ERROR && err) {
        err->msg = r->err.msg;
        err->line = r == x.err ? x.err_line : prog->root->line;
        err->col = r == x.err ? x.err_col : prog->root->col;
    }
    return r;
}
