/* Implements IR nodes, mappings with a hash index, and the resource set. */
#include "ir/ir.h"

#include <stdlib.h>
#include <string.h>

/* Mappings of up to IR_MAP_LINEAR entries are searched linearly; larger ones get a hash index
 * of item positions (open addressing, power-of-two size, rebuilt on growth or removal). */
#define IR_MAP_LINEAR 8

struct ir_map_index {
    uint32_t *slots; /* item position + 1, 0 = empty */
    size_t nslots;
};

ir_node *ir_scalar(arena *a, ir_tag tag, const char *s, size_t n, diag_pos pos)
{
    ir_node *x = ar_alloc(a, sizeof *x);
    x->kind = IR_SCALAR;
    x->tag = (uint8_t)tag;
    x->pos = pos;
    x->sc.s = s;
    x->sc.n = n;
    return x;
}

ir_node *ir_str(arena *a, const char *s, diag_pos pos)
{
    size_t n = strlen(s);
    return ir_scalar(a, IR_TAG_STR, ar_strndup(a, s, n), n, pos);
}

ir_node *ir_map(arena *a, diag_pos pos)
{
    ir_node *x = ar_alloc(a, sizeof *x);
    x->kind = IR_MAP;
    x->style = IR_STYLE_BLOCK;
    x->pos = pos;
    return x;
}

ir_node *ir_seq(arena *a, diag_pos pos)
{
    ir_node *x = ar_alloc(a, sizeof *x);
    x->kind = IR_SEQ;
    x->style = IR_STYLE_BLOCK;
    x->pos = pos;
    return x;
}

ir_node *ir_clone(arena *a, const ir_node *n)
{
    ir_node *x = ar_alloc(a, sizeof *x);
    *x = *n;
    if (n->kind == IR_MAP) {
        x->map.idx = NULL;
        x->map.cap = n->map.n;
        x->map.items = n->map.n ? ar_alloc(a, n->map.n * sizeof(ir_pair)) : NULL;
        for (size_t i = 0; i < n->map.n; i++) {
            x->map.items[i].key = ir_clone(a, n->map.items[i].key);
            x->map.items[i].val = ir_clone(a, n->map.items[i].val);
        }
    } else if (n->kind == IR_SEQ) {
        x->seq.cap = n->seq.n;
        x->seq.items = n->seq.n ? ar_alloc(a, n->seq.n * sizeof(ir_node *)) : NULL;
        for (size_t i = 0; i < n->seq.n; i++)
            x->seq.items[i] = ir_clone(a, n->seq.items[i]);
    }
    return x;
}

static uint64_t key_hash(const char *s, size_t n)
{
    return util_hash(s, n);
}

static void index_insert(ir_map_index *ix, const ir_node *map, size_t pos)
{
    const ir_node *k = map->map.items[pos].key;
    size_t mask = ix->nslots - 1;
    size_t h = (size_t)key_hash(k->sc.s, k->sc.n) & mask;
    while (ix->slots[h])
        h = (h + 1) & mask;
    ix->slots[h] = (uint32_t)pos + 1;
}

static void index_rebuild(arena *a, ir_node *map)
{
    size_t want = 16;
    while (want < map->map.n * 2)
        want *= 2;
    ir_map_index *ix = map->map.idx;
    if (!ix) ix = map->map.idx = ar_alloc(a, sizeof *ix);
    if (ix->nslots < want) {
        ix->slots = ar_alloc(a, want * sizeof(uint32_t));
        ix->nslots = want;
    } else {
        memset(ix->slots, 0, ix->nslots * sizeof(uint32_t));
    }
    for (size_t i = 0; i < map->map.n; i++)
        if (map->map.items[i].key->kind == IR_SCALAR) index_insert(ix, map, i);
}

void ir_map_append(arena *a, ir_node *map, ir_node *key, ir_node *val)
{
    if (map->map.n == map->map.cap) {
        size_t cap = map->map.cap ? map->map.cap * 2 : 4;
        map->map.items =
            ar_realloc(a, map->map.items, map->map.cap * sizeof(ir_pair), cap * sizeof(ir_pair));
        map->map.cap = cap;
    }
    size_t pos = map->map.n++;
    map->map.items[pos].key = key;
    map->map.items[pos].val = val;
    if (map->map.n > IR_MAP_LINEAR) {
        ir_map_index *ix = map->map.idx;
        if (!ix || ix->nslots < map->map.n * 2)
            index_rebuild(a, map);
        else if (key->kind == IR_SCALAR)
            index_insert(ix, map, pos);
    }
}

ir_pair *ir_map_find(const ir_node *map, const char *key, size_t keylen)
{
    if (!map || map->kind != IR_MAP) return NULL;
    if (map->map.idx && map->map.n > IR_MAP_LINEAR) {
        const ir_map_index *ix = map->map.idx;
        size_t mask = ix->nslots - 1;
        size_t h = (size_t)key_hash(key, keylen) & mask;
        while (ix->slots[h]) {
            ir_pair *p = &map->map.items[ix->slots[h] - 1];
            if (p->key->sc.n == keylen && memcmp(p->key->sc.s, key, keylen) == 0) return p;
            h = (h + 1) & mask;
        }
        return NULL;
    }
    for (size_t i = 0; i < map->map.n; i++) {
        ir_pair *p = &map->map.items[i];
        if (p->key->kind == IR_SCALAR && p->key->sc.n == keylen &&
            memcmp(p->key->sc.s, key, keylen) == 0)
            return p;
    }
    return NULL;
}

ir_node *ir_map_get(const ir_node *map, const char *key)
{
    ir_pair *p = ir_map_find(map, key, strlen(key));
    return p ? p->val : NULL;
}

void ir_map_set(arena *a, ir_node *map, const char *key, ir_node *val)
{
    ir_pair *p = ir_map_find(map, key, strlen(key));
    if (p)
        p->val = val;
    else
        ir_map_append(a, map, ir_str(a, key, val->pos), val);
}

bool ir_map_remove(ir_node *map, const char *key)
{
    ir_pair *p = ir_map_find(map, key, strlen(key));
    if (!p) return false;
    size_t i = (size_t)(p - map->map.items);
    memmove(p, p + 1, (map->map.n - i - 1) * sizeof *p);
    map->map.n--;
    if (map->map.idx) {
        /* positions shifted: rebuild in place (the slot array is already big enough) */
        ir_map_index *ix = map->map.idx;
        memset(ix->slots, 0, ix->nslots * sizeof(uint32_t));
        for (size_t k = 0; k < map->map.n; k++)
            if (map->map.items[k].key->kind == IR_SCALAR) index_insert(ix, map, k);
    }
    return true;
}

void ir_seq_append(arena *a, ir_node *seq, ir_node *item)
{
    if (seq->seq.n == seq->seq.cap) {
        size_t cap = seq->seq.cap ? seq->seq.cap * 2 : 4;
        seq->seq.items = ar_realloc(a, seq->seq.items, seq->seq.cap * sizeof(ir_node *),
                                    cap * sizeof(ir_node *));
        seq->seq.cap = cap;
    }
    seq->seq.items[seq->seq.n++] = item;
}

const char *ir_str_of(const ir_node *n)
{
    if (!n || n->kind != IR_SCALAR || n->tag != IR_TAG_STR) return NULL;
    return n->sc.s;
}

const char *ir_get_str(const ir_node *map, const char *key)
{
    const char *s = ir_str_of(ir_map_get(map, key));
    return s && *s ? s : NULL;
}

ir_node *ir_get_path(const ir_node *n, const char *const *keys)
{
    for (; *keys && n; keys++)
        n = ir_map_get(n, *keys);
    return (ir_node *)n;
}

bool ir_equal(const ir_node *a, const ir_node *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case IR_SCALAR:
        if (a->tag != b->tag) return false;
        switch (a->tag) {
        case IR_TAG_INT:
            return a->sc.v.u == b->sc.v.u && a->flags == b->flags;
        case IR_TAG_FLOAT:
            return a->sc.v.f == b->sc.v.f;
        case IR_TAG_BOOL:
            return a->sc.v.b == b->sc.v.b;
        case IR_TAG_NULL:
            return true;
        default:
            return a->sc.n == b->sc.n && memcmp(a->sc.s, b->sc.s, a->sc.n) == 0;
        }
    case IR_MAP:
        if (a->map.n != b->map.n) return false;
        for (size_t i = 0; i < a->map.n; i++) {
            const ir_node *k = a->map.items[i].key;
            ir_pair *p = ir_map_find(b, k->sc.s, k->sc.n);
            if (!p || !ir_equal(a->map.items[i].val, p->val)) return false;
        }
        return true;
    case IR_SEQ:
        if (a->seq.n != b->seq.n) return false;
        for (size_t i = 0; i < a->seq.n; i++)
            if (!ir_equal(a->seq.items[i], b->seq.items[i])) return false;
        return true;
    }
    return false;
}

/* ---- resource sets ---- */

void ir_resset_init(ir_resset *rs)
{
    memset(rs, 0, sizeof *rs);
}

void ir_resset_free(ir_resset *rs)
{
    free(rs->items);
    free(rs->slots);
    memset(rs, 0, sizeof *rs);
}

/* kustomize compares namespaces by their effective value: "" is "default". */
static const char *eff_ns(const char *ns)
{
    return *ns ? ns : "default";
}

static uint64_t id_hash(const ir_id *id)
{
    /* the fields never contain NUL, so hashing them NUL-separated is unambiguous */
    uint64_t h = 1469598103934665603ull;
    const char *parts[5] = {id->group, id->version, id->kind, eff_ns(id->ns), id->name};
    for (int i = 0; i < 5; i++) {
        h ^= util_hash(parts[i], strlen(parts[i]));
        h *= 1099511628211ull;
    }
    return h;
}

static bool id_eq(const ir_id *a, const ir_id *b)
{
    return !strcmp(a->group, b->group) && !strcmp(a->version, b->version) &&
           !strcmp(a->kind, b->kind) && !strcmp(eff_ns(a->ns), eff_ns(b->ns)) &&
           !strcmp(a->name, b->name);
}

static void resset_slot_put(ir_resset *rs, size_t pos)
{
    size_t mask = rs->nslots - 1;
    size_t h = (size_t)id_hash(&rs->items[pos]->id) & mask;
    while (rs->slots[h])
        h = (h + 1) & mask;
    rs->slots[h] = (uint32_t)pos + 1;
}

ir_res *ir_resset_find(const ir_resset *rs, const ir_id *id)
{
    if (!rs->nslots) return NULL;
    size_t mask = rs->nslots - 1;
    size_t h = (size_t)id_hash(id) & mask;
    while (rs->slots[h]) {
        ir_res *r = rs->items[rs->slots[h] - 1];
        if (id_eq(&r->id, id)) return r;
        h = (h + 1) & mask;
    }
    return NULL;
}

ir_res *ir_resset_add(ir_resset *rs, ir_res *r)
{
    ir_res *old = ir_resset_find(rs, &r->id);
    if (old) return old;
    if (rs->n == rs->cap) {
        rs->cap = rs->cap ? rs->cap * 2 : 64;
        rs->items = util_xrealloc(rs->items, rs->cap * sizeof *rs->items);
    }
    rs->items[rs->n++] = r;
    if (rs->n * 2 > rs->nslots) {
        size_t ns = rs->nslots ? rs->nslots * 2 : 128;
        while (ns < rs->n * 2)
            ns *= 2;
        free(rs->slots);
        rs->slots = util_xmalloc(ns * sizeof(uint32_t));
        memset(rs->slots, 0, ns * sizeof(uint32_t));
        rs->nslots = ns;
        for (size_t i = 0; i < rs->n; i++)
            resset_slot_put(rs, i);
    } else {
        resset_slot_put(rs, rs->n - 1);
    }
    return NULL;
}

/* A required identifying field: a non-empty scalar (kustomize accepts `name: 7`). */
static const char *req_str(diag_ctx *d, const ir_node *map, const char *key, const char *what,
                           diag_pos pos)
{
    const ir_node *v = ir_map_get(map, key);
    if (!v || (v->kind == IR_SCALAR && v->tag == IR_TAG_NULL)) {
        diag_error(d, pos, "missing %s in object", what);
        return NULL;
    }
    if (v->kind != IR_SCALAR || !v->sc.n) {
        diag_error(d, v->pos, "%s must be a non-empty string", what);
        return NULL;
    }
    return v->sc.s;
}

/* id->group and id->version from obj's apiVersion ("group/version", or "v1" for the core
 * group; optional, as in kustomize). */
static void set_group_version(arena *a, ir_id *id, const ir_node *obj)
{
    const ir_node *avn = ir_map_get(obj, "apiVersion");
    const char *av = avn && avn->kind == IR_SCALAR && avn->tag != IR_TAG_NULL ? avn->sc.s : "";
    const char *slash = strchr(av, '/');
    id->group = slash ? ar_strndup(a, av, (size_t)(slash - av)) : "";
    id->version = slash ? slash + 1 : av;
}

bool ir_res_make(arena *a, diag_ctx *d, ir_node *obj, diag_pos pos, ir_res **out)
{
    *out = NULL;
    if (obj->kind != IR_MAP) {
        diag_error(d, obj->pos, "a Kubernetes object must be a mapping, not a %s",
                   obj->kind == IR_SEQ ? "sequence" : "scalar");
        return false;
    }
    const char *kind = req_str(d, obj, "kind", "kind", obj->pos);
    if (!kind) return false;
    const ir_pair *mdp = ir_map_find(obj, "metadata", 8);
    const ir_node *md = mdp ? mdp->val : NULL;
    if (md && md->kind != IR_MAP && !(md->kind == IR_SCALAR && md->tag == IR_TAG_NULL)) {
        diag_error(d, md->pos, "metadata must be a mapping");
        return false;
    }
    const char *name =
        (md && md->kind == IR_MAP) ? req_str(d, md, "name", "metadata.name", mdp->key->pos) : NULL;
    if (!md || md->kind != IR_MAP) diag_error(d, obj->pos, "missing metadata.name in object");
    if (!name) return false;
    ir_res *r = ar_alloc(a, sizeof *r);
    r->obj = obj;
    r->pos = pos;
    set_group_version(a, &r->id, obj);
    r->id.kind = kind;
    r->id.name = name;
    const ir_node *nsn = ir_map_get(md, "namespace");
    r->id.ns = nsn && nsn->kind == IR_SCALAR && nsn->tag != IR_TAG_NULL ? nsn->sc.s : "";
    *out = r;
    return true;
}

const char *ir_id_str(arena *a, const ir_id *id)
{
    return ar_printf(a, "%s%s%s %s %s%s%s", id->group, *id->group ? "/" : "", id->version, id->kind,
                     id->ns, *id->ns ? "/" : "", id->name);
}

ir_res *ir_resset_reindex(ir_resset *rs)
{
    ir_res *dup = NULL;
    if (!rs->nslots) return NULL;
    memset(rs->slots, 0, rs->nslots * sizeof(uint32_t));
    size_t n = rs->n;
    rs->n = 0;
    for (size_t i = 0; i < n; i++) {
        ir_res *old = ir_resset_find(rs, &rs->items[i]->id);
        if (old && !dup) dup = rs->items[i];
        rs->n = i + 1;
        if (!old) resset_slot_put(rs, i);
    }
    return dup;
}

void ir_resset_remove_at(ir_resset *rs, size_t i)
{
    memmove(rs->items + i, rs->items + i + 1, (rs->n - i - 1) * sizeof *rs->items);
    rs->n--;
    ir_resset_reindex(rs);
}

bool ir_res_refresh_id(arena *a, ir_res *r)
{
    const ir_node *obj = r->obj;
    const ir_node *k = ir_map_get(obj, "kind");
    const ir_node *md = ir_map_get(obj, "metadata");
    const ir_node *nm = ir_map_get(md, "name");
    if (!k || k->kind != IR_SCALAR || !nm || nm->kind != IR_SCALAR) return false;
    set_group_version(a, &r->id, obj);
    r->id.kind = k->sc.s;
    r->id.name = nm->sc.s;
    const ir_node *nsn = ir_map_get(md, "namespace");
    r->id.ns = nsn && nsn->kind == IR_SCALAR && nsn->tag != IR_TAG_NULL ? nsn->sc.s : "";
    return true;
}
