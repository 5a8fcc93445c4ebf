/* Template values: constructors, Go maps kept in sorted key order, type and kind names,
 * truth and deep equality as Go's text/template and reflect define them. */
#include <string.h>

#include "template/tpl.h"

static const tpl_val tpl_nil_v = {.kind = TPL_NIL};
static const tpl_val tpl_true_v = {.kind = TPL_BOOL, .b = true};
static const tpl_val tpl_false_v = {.kind = TPL_BOOL, .b = false};
static const tpl_val tpl_empty_v = {.kind = TPL_STRING, .str = {"", 0}};

const tpl_val *tpl_nil(void)
{
    return &tpl_nil_v;
}
const tpl_val *tpl_bool(bool b)
{
    return b ? &tpl_true_v : &tpl_false_v;
}
const tpl_val *tpl_empty_str(void)
{
    return &tpl_empty_v;
}

static tpl_val *val_new(arena *a, tpl_kind k)
{
    tpl_val *v = ar_alloc(a, sizeof *v);
    v->kind = (uint8_t)k;
    return v;
}

tpl_val *tpl_intk(arena *a, tpl_kind k, int64_t i)
{
    tpl_val *v = val_new(a, k);
    v->i = i;
    return v;
}
tpl_val *tpl_int(arena *a, int64_t i)
{
    return tpl_intk(a, TPL_INT, i);
}
tpl_val *tpl_int64(arena *a, int64_t i)
{
    return tpl_intk(a, TPL_INT64, i);
}

tpl_val *tpl_uintk(arena *a, tpl_kind k, uint64_t u)
{
    tpl_val *v = val_new(a, k);
    v->u = u;
    return v;
}

tpl_val *tpl_float(arena *a, double f)
{
    tpl_val *v = val_new(a, TPL_FLOAT64);
    v->f = f;
    return v;
}

tpl_val *tpl_str_ref(arena *a, const char *s, size_t n)
{
    tpl_val *v = val_new(a, TPL_STRING);
    v->str.s = s;
    v->str.n = n;
    return v;
}
tpl_val *tpl_str(arena *a, const char *s, size_t n)
{
    return tpl_str_ref(a, ar_strndup(a, s, n), n);
}
tpl_val *tpl_cstr(arena *a, const char *s)
{
    return tpl_str(a, s, strlen(s));
}
tpl_val *tpl_str_buf(arena *a, buf_t *b)
{
    return tpl_str(a, b->len ? b->data : "", b->len);
}

tpl_val *tpl_bytes(arena *a, const char *s, size_t n)
{
    tpl_val *v = val_new(a, TPL_BYTES);
    v->str.s = ar_strndup(a, s, n);
    v->str.n = n;
    return v;
}

tpl_val *tpl_list(arena *a, const tpl_val **items, size_t n, const char *tname)
{
    tpl_val *v = val_new(a, TPL_LIST);
    v->list.items = items;
    v->list.n = n;
    v->list.tname = tname;
    return v;
}

tpl_val *tpl_obj(arena *a, const tpl_type *t, void *p)
{
    tpl_val *v = val_new(a, TPL_OBJ);
    v->obj.type = t;
    v->obj.p = p;
    return v;
}

tpl_val *tpl_map_new(arena *a, const char *tname)
{
    tpl_val *v = val_new(a, TPL_MAP);
    v->map = ar_alloc(a, sizeof *v->map);
    v->map->tname = tname;
    return v;
}

static int key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c) return c;
    return an < bn ? -1 : an > bn;
}

/* Index of key, or -(insertion point) - 1. */
static long map_search(const tpl_map *m, const char *key, size_t klen)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = key_cmp(m->keys[mid], m->klens[mid], key, klen);
        if (c == 0) return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

const tpl_val *tpl_map_get(const tpl_map *m, const char *key, size_t klen)
{
    long i = map_search(m, key, klen);
    return i >= 0 ? m->vals[i] : NULL;
}
const tpl_val *tpl_map_getz(const tpl_map *m, const char *key)
{
    return tpl_map_get(m, key, strlen(key));
}

void tpl_map_set(arena *a, tpl_map *m, const char *key, size_t klen, const tpl_val *v)
{
    long i = map_search(m, key, klen);
    if (i >= 0) {
        m->vals[i] = v;
        return;
    }
    size_t at = (size_t)(-i - 1);
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 8;
        m->keys = ar_realloc(a, m->keys, m->cap * sizeof *m->keys, nc * sizeof *m->keys);
        m->klens = ar_realloc(a, m->klens, m->cap * sizeof *m->klens, nc * sizeof *m->klens);
        m->vals = ar_realloc(a, m->vals, m->cap * sizeof *m->vals, nc * sizeof *m->vals);
        m->cap = nc;
    }
    size_t tail = m->n - at;
    memmove(m->keys + at + 1, m->keys + at, tail * sizeof *m->keys);
    memmove(m->klens + at + 1, m->klens + at, tail * sizeof *m->klens);
    memmove(m->vals + at + 1, m->vals + at, tail * sizeof *m->vals);
    m->keys[at] = ar_strndup(a, key, klen);
    m->klens[at] = klen;
    m->vals[at] = v;
    m->n++;
}
void tpl_map_setz(arena *a, tpl_map *m, const char *key, const tpl_val *v)
{
    tpl_map_set(a, m, key, strlen(key), v);
}

bool tpl_map_del(tpl_map *m, const char *key, size_t klen)
{
    long i = map_search(m, key, klen);
    if (i < 0) return false;
    size_t tail = m->n - (size_t)i - 1;
    memmove(m->keys + i, m->keys + i + 1, tail * sizeof *m->keys);
    memmove(m->klens + i, m->klens + i + 1, tail * sizeof *m->klens);
    memmove(m->vals + i, m->vals + i + 1, tail * sizeof *m->vals);
    m->n--;
    return true;
}

tpl_map *tpl_map_copy(arena *a, const tpl_map *m)
{
    tpl_map *c = ar_alloc(a, sizeof *c);
    c->tname = m->tname;
    c->methods = m->methods;
    c->n = c->cap = m->n;
    if (m->n) {
        c->keys = ar_alloc(a, m->n * sizeof *c->keys);
        c->klens = ar_alloc(a, m->n * sizeof *c->klens);
        c->vals = ar_alloc(a, m->n * sizeof *c->vals);
        memcpy(c->keys, m->keys, m->n * sizeof *c->keys);
        memcpy(c->klens, m->klens, m->n * sizeof *c->klens);
        memcpy(c->vals, m->vals, m->n * sizeof *c->vals);
    }
    return c;
}

static const char *const kind_names[] = {
    [TPL_NIL] = "invalid",     [TPL_BOOL] = "bool",     [TPL_INT] = "int",
    [TPL_INT8] = "int8",       [TPL_INT16] = "int16",   [TPL_INT32] = "int32",
    [TPL_INT64] = "int64",     [TPL_UINT] = "uint",     [TPL_UINT8] = "uint8",
    [TPL_UINT16] = "uint16",   [TPL_UINT32] = "uint32", [TPL_UINT64] = "uint64",
    [TPL_FLOAT64] = "float64", [TPL_STRING] = "string", [TPL_BYTES] = "slice",
    [TPL_LIST] = "slice",      [TPL_MAP] = "map",       [TPL_OBJ] = "struct",
};

const char *tpl_type_name(const tpl_val *v)
{
    switch (v->kind) {
    case TPL_NIL:
        return "<nil>";
    case TPL_BYTES:
        return "[]uint8";
    case TPL_LIST:
        return v->list.tname ? v->list.tname : "[]interface {}";
    case TPL_MAP:
        return v->map->tname ? v->map->tname : "map[string]interface {}";
    case TPL_OBJ:
        return v->obj.type->name;
    default:
        return kind_names[v->kind];
    }
}

const char *tpl_kind_name(const tpl_val *v)
{
    if (v->kind == TPL_OBJ) return v->obj.type->kind ? v->obj.type->kind : "struct";
    return kind_names[v->kind];
}

bool tpl_truth(const tpl_val *v)
{
    switch (v->kind) {
    case TPL_NIL:
        return false;
    case TPL_BOOL:
        return v->b;
    case TPL_INT:
    case TPL_INT8:
    case TPL_INT16:
    case TPL_INT32:
    case TPL_INT64:
        return v->i != 0;
    case TPL_UINT:
    case TPL_UINT8:
    case TPL_UINT16:
    case TPL_UINT32:
    case TPL_UINT64:
        return v->u != 0;
    case TPL_FLOAT64:
        return v->f != 0;
    case TPL_STRING:
    case TPL_BYTES:
        return v->str.n != 0;
    case TPL_LIST:
        return v->list.n != 0;
    case TPL_MAP:
        return v->map->n != 0;
    case TPL_OBJ:
        return v->obj.type->truth ? v->obj.type->truth(v) : true;
    }
    return false;
}

bool tpl_deep_equal(const tpl_val *a, const tpl_val *b)
{
    if (a == b) return true;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case TPL_NIL:
        return true;
    case TPL_BOOL:
        return a->b == b->b;
    case TPL_FLOAT64:
        return a->f == b->f;
    case TPL_STRING:
    case TPL_BYTES:
        return a->str.n == b->str.n && memcmp(a->str.s, b->str.s, a->str.n) == 0;
    case TPL_LIST:
        if (strcmp(tpl_type_name(a), tpl_type_name(b)) || a->list.n != b->list.n) return false;
        for (size_t i = 0; i < a->list.n; i++)
            if (!tpl_deep_equal(a->list.items[i], b->list.items[i])) return false;
        return true;
    case TPL_MAP:
        if (strcmp(tpl_type_name(a), tpl_type_name(b)) || a->map->n != b->map->n) return false;
        for (size_t i = 0; i < a->map->n; i++)
            if (key_cmp(a->map->keys[i], a->map->klens[i], b->map->keys[i], b->map->klens[i]) ||
                !tpl_deep_equal(a->map->vals[i], b->map->vals[i]))
                return false;
        return true;
    case TPL_OBJ:
        if (a->obj.type != b->obj.type) return false;
        if (a->obj.type->equal) return a->obj.type->equal(a, b);
        return a->obj.p == b->obj.p;
    default:
        if (tpl_is_int(a)) return a->i == b->i;
        return a->u == b->u;
    }
}
