/* Compiles OpenAPI / JSON-schema documents and CRDs (as IR) into the flat schema blob: records
 * with offsets, interned strings, $refs resolved once per document (pending slots only for
 * cycles), and the table mapping group/version/kind to root schemas. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "validate/schema_int.h"

/* ---- a string -> u32 map (open addressing; keys copied into the map's arena) ---- */

typedef struct sc_ment {
    const char *k;
    size_t n;
    uint64_t h;
    uint32_t v;
} sc_ment;

typedef struct sc_map {
    sc_ment *e;
    size_t n, cap;
} sc_map;

static sc_ment *sc_map_slot(sc_map *m, const char *k, size_t n, uint64_t h)
{
    size_t mask = m->cap - 1, i = (size_t)h & mask;
    while (m->e[i].k && !(m->e[i].h == h && m->e[i].n == n && !memcmp(m->e[i].k, k, n)))
        i = (i + 1) & mask;
    return &m->e[i];
}

static uint32_t *sc_map_get(sc_map *m, const char *k, size_t n)
{
    if (!m->cap) return NULL;
    sc_ment *e = sc_map_slot(m, k, n, util_hash(k, n));
    return e->k ? &e->v : NULL;
}

static void sc_map_put(sc_map *m, arena *a, const char *k, size_t n, uint32_t v)
{
    if ((m->n + 1) * 2 > m->cap) {
        sc_map old = *m;
        m->cap = old.cap ? old.cap * 2 : 64;
        m->e = util_xmalloc(m->cap * sizeof *m->e);
        memset(m->e, 0, m->cap * sizeof *m->e);
        for (size_t i = 0; i < old.cap; i++)
            if (old.e[i].k) *sc_map_slot(m, old.e[i].k, old.e[i].n, old.e[i].h) = old.e[i];
        free(old.e);
    }
    uint64_t h = util_hash(k, n);
    sc_ment *e = sc_map_slot(m, k, n, h);
    if (!e->k) {
        e->k = ar_strndup(a, k, n);
        e->n = n;
        e->h = h;
        m->n++;
    }
    e->v = v;
}

/* ---- the builder ---- */

struct sc_build {
    arena a; /* map keys, scratch */
    buf_t out;
    sc_map strs;
    uint32_t *slots;
    size_t nslots, capslots;
    sc_gvk *gvks;
    size_t ngvks, capgvks;
    sc_map gvkidx;
    uint32_t any; /* the empty schema */
    sc_want_fn want;
    void *want_ctx;
};

/* Per-document compile state: the root for JSON pointers and the $refs seen. */
typedef struct sc_cc {
    sc_build *bd;
    const ir_node *root;
    sc_map refs;
    bool soft;
} sc_cc;

static uint32_t sc_put(sc_build *bd, const void *p, size_t n, size_t align)
{
    while (bd->out.len % align)
        buf_putc(&bd->out, 0);
    uint32_t off = (uint32_t)bd->out.len;
    if (n) buf_put(&bd->out, p, n);
    return off;
}

static uint32_t sc_intern(sc_build *bd, const char *s, size_t n)
{
    uint32_t *hit = sc_map_get(&bd->strs, s, n);
    if (hit) return *hit;
    uint32_t len = (uint32_t)n;
    sc_put(bd, &len, 4, 4);
    uint32_t off = (uint32_t)bd->out.len;
    buf_put(&bd->out, s, n);
    buf_putc(&bd->out, 0);
    sc_map_put(&bd->strs, &bd->a, s, n, off);
    return off;
}

static uint32_t sc_intern_z(sc_build *bd, const char *s)
{
    return sc_intern(bd, s, strlen(s));
}

static uint32_t sc_put_list(sc_build *bd, const uint32_t *v, uint32_t n)
{
    uint32_t off = sc_put(bd, &n, 4, 4);
    if (n) buf_put(&bd->out, v, n * sizeof *v);
    return off;
}

sc_build *sc_build_new(sc_want_fn want, void *want_ctx)
{
    sc_build *bd = util_xmalloc(sizeof *bd);
    memset(bd, 0, sizeof *bd);
    ar_init(&bd->a);
    bd->want = want;
    bd->want_ctx = want_ctx;
    sc_header h = {0};
    sc_put(bd, &h, sizeof h, 8);
    sc_rec any = {0};
    bd->any = sc_put(bd, &any, sizeof any, 4);
    return bd;
}

/* ---- compiling one schema ---- */

static const char *const sc_value_keys[] = {
    "type",
    "format",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
    "oneOf",
    "anyOf",
    "not",
    "nullable",
    "patternProperties",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-int-or-string",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "uniqueItems",
};

static bool sc_is_value_key(const char *k)
{
    for (size_t i = 0; i < sizeof sc_value_keys / sizeof *sc_value_keys; i++)
        if (!strcmp(sc_value_keys[i], k)) return true;
    return false;
}

static uint32_t sc_type_bit(const char *t)
{
    static const struct {
        const char *name;
        uint32_t bit;
    } tab[] = {{"object", SC_T_OBJECT},   {"array", SC_T_ARRAY},   {"string", SC_T_STRING},
               {"integer", SC_T_INTEGER}, {"number", SC_T_NUMBER}, {"boolean", SC_T_BOOLEAN},
               {"null", SC_T_NULL}};
    for (size_t i = 0; i < sizeof tab / sizeof *tab; i++)
        if (t && !strcmp(tab[i].name, t)) return tab[i].bit;
    return 0;
}

static uint32_t sc_types_of(const ir_node *t)
{
    if (!t) return 0;
    if (t->kind == IR_SCALAR) return sc_type_bit(ir_str_of(t));
    uint32_t bits = 0;
    if (t->kind == IR_SEQ)
        for (size_t i = 0; i < t->seq.n; i++)
            bits |= sc_type_bit(ir_str_of(t->seq.items[i]));
    return bits;
}

static bool sc_true(const ir_node *n)
{
    return n && n->kind == IR_SCALAR && n->tag == IR_TAG_BOOL && n->sc.v.b;
}

static bool sc_num(const ir_node *n, double *out)
{
    if (!n || n->kind != IR_SCALAR) return false;
    if (n->tag == IR_TAG_INT) {
        *out = (n->flags & IR_INT_UNSIGNED) ? (double)n->sc.v.u : (double)n->sc.v.i;
        return true;
    }
    if (n->tag == IR_TAG_FLOAT) {
        *out = n->sc.v.f;
        return true;
    }
    return false;
}

static int64_t sc_count(const ir_node *n)
{
    double d;
    return sc_num(n, &d) && d >= 0 ? (int64_t)d : -1;
}

/* A branch that says nothing but `type` (for folding anyOf/oneOf of plain types). */
static uint32_t sc_type_only(const ir_node *s)
{
    if (!s || s->kind != IR_MAP) return 0;
    uint32_t t = 0;
    for (size_t i = 0; i < s->map.n; i++) {
        const char *k = s->map.items[i].key->sc.s;
        if (!strcmp(k, "type"))
            t = sc_types_of(s->map.items[i].val);
        else if (sc_is_value_key(k) || !strcmp(k, "allOf") || !strcmp(k, "$ref"))
            return 0;
    }
    return t;
}

static uint32_t sc_compile(sc_cc *c, const ir_node *s, bool quantity);

static const ir_node *sc_pointer(const ir_node *root, const char *p)
{
    if (*p != '#') return NULL;
    p++;
    const ir_node *n = root;
    buf_t tok = {0};
    while (n && *p == '/') {
        p++;
        tok.len = 0;
        while (*p && *p != '/') {
            if (p[0] == '~' && p[1] == '1')
                buf_putc(&tok, '/'), p += 2;
            else if (p[0] == '~' && p[1] == '0')
                buf_putc(&tok, '~'), p += 2;
            else
                buf_putc(&tok, *p++);
        }
        const char *key = buf_cstr(&tok);
        if (n->kind == IR_MAP) {
            ir_pair *kv = ir_map_find(n, key, tok.len);
            n = kv ? kv->val : NULL;
        } else if (n->kind == IR_SEQ) {
            char *e;
            unsigned long i = strtoul(key, &e, 10);
            n = (*e || i >= n->seq.n) ? NULL : n->seq.items[i];
        } else {
            n = NULL;
        }
    }
    buf_free(&tok);
    return *p ? NULL : n;
}

static uint32_t sc_new_slot(sc_build *bd)
{
    if (bd->nslots == bd->capslots) {
        bd->capslots = bd->capslots ? bd->capslots * 2 : 256;
        bd->slots = util_xrealloc(bd->slots, bd->capslots * sizeof *bd->slots);
    }
    bd->slots[bd->nslots] = 0;
    return (uint32_t)bd->nslots++;
}

/* A $ref: compiled once per document; a reference back into a schema still being compiled
 * becomes a pending record the validator follows through the slot table. Unresolvable
 * references (other files, URLs) validate nothing. */
static uint32_t sc_ref(sc_cc *c, const char *ptr)
{
    sc_build *bd = c->bd;
    size_t n = strlen(ptr);
    uint32_t *hit = sc_map_get(&c->refs, ptr, n);
    if (hit) {
        if (bd->slots[*hit]) return bd->slots[*hit];
        sc_rec r = {0};
        r.ref = *hit + 1;
        return sc_put(bd, &r, sizeof r, 4);
    }
    uint32_t slot = sc_new_slot(bd);
    sc_map_put(&c->refs, &bd->a, ptr, n, slot);
    const ir_node *target = sc_pointer(c->root, ptr);
    bool quantity = n > 22 && !strcmp(ptr + n - 22, ".api.resource.Quantity");
    uint32_t off = target ? sc_compile(c, target, quantity) : bd->any;
    bd->slots[slot] = off;
    return off;
}

static sc_format sc_format_of(const char *f)
{
    static const struct {
        const char *name;
        sc_format f;
    } tab[] = {
        {"int32", SC_FMT_INT32},       {"int64", SC_FMT_INT64}, {"date-time", SC_FMT_DATETIME},
        {"datetime", SC_FMT_DATETIME}, {"date", SC_FMT_DATE},   {"byte", SC_FMT_BYTE},
        {"quantity", SC_FMT_QUANTITY}, {"uuid", SC_FMT_UUID},   {"uuid3", SC_FMT_UUID},
        {"uuid4", SC_FMT_UUID},        {"uuid5", SC_FMT_UUID},  {"ipv4", SC_FMT_IPV4},
        {"ipv6", SC_FMT_IPV6},         {"cidr", SC_FMT_CIDR}};
    for (size_t i = 0; f && i < sizeof tab / sizeof *tab; i++)
        if (!strcmp(tab[i].name, f)) return tab[i].f;
    return SC_FMT_NONE;
}

static uint32_t sc_compile_list(sc_cc *c, const ir_node *l)
{
    if (!l || l->kind != IR_SEQ || !l->seq.n) return 0;
    uint32_t *v = util_xmalloc(l->seq.n * sizeof *v);
    for (size_t i = 0; i < l->seq.n; i++)
        v[i] = sc_compile(c, l->seq.items[i], false);
    uint32_t off = sc_put_list(c->bd, v, (uint32_t)l->seq.n);
    free(v);
    return off;
}

static uint32_t sc_strings(sc_build *bd, const ir_node *l)
{
    if (!l || l->kind != IR_SEQ || !l->seq.n) return 0;
    uint32_t *v = util_xmalloc(l->seq.n * sizeof *v);
    uint32_t n = 0;
    for (size_t i = 0; i < l->seq.n; i++) {
        const ir_node *it = l->seq.items[i];
        if (it->kind == IR_SCALAR) v[n++] = sc_intern(bd, it->sc.s, it->sc.n);
    }
    uint32_t off = n ? sc_put_list(bd, v, n) : 0;
    free(v);
    return off;
}

static uint32_t sc_ev_kind(const ir_node *it)
{
    if (it->tag == IR_TAG_NULL) return SC_EV_NULL;
    if (it->tag == IR_TAG_BOOL) return SC_EV_BOOL;
    if (it->tag == IR_TAG_INT || it->tag == IR_TAG_FLOAT) return SC_EV_NUMBER;
    return SC_EV_STRING;
}

/* enum: (kind, text) pairs; an enum holding objects or arrays is not checked. */
static uint32_t sc_enum(sc_build *bd, const ir_node *l)
{
    if (!l || l->kind != IR_SEQ || !l->seq.n) return 0;
    uint32_t *v = util_xmalloc(l->seq.n * 2 * sizeof *v);
    uint32_t n = 0;
    for (size_t i = 0; i < l->seq.n; i++) {
        const ir_node *it = l->seq.items[i];
        if (it->kind != IR_SCALAR) {
            free(v);
            return 0;
        }
        v[2 * n] = sc_ev_kind(it);
        v[2 * n + 1] = sc_intern(bd, it->sc.s, it->sc.n);
        n++;
    }
    uint32_t off = sc_put(bd, &n, 4, 4);
    buf_put(&bd->out, v, n * 2 * sizeof *v);
    free(v);
    return off;
}

typedef struct sc_prop {
    const char *name;
    uint32_t str, node;
} sc_prop;

static int sc_prop_cmp(const void *pa, const void *pb)
{
    return strcmp(((const sc_prop *)pa)->name, ((const sc_prop *)pb)->name);
}

static uint32_t sc_props(sc_cc *c, const ir_node *m)
{
    if (!m || m->kind != IR_MAP || !m->map.n) return 0;
    sc_prop *p = util_xmalloc(m->map.n * sizeof *p);
    for (size_t i = 0; i < m->map.n; i++) {
        const ir_node *k = m->map.items[i].key;
        p[i].name = k->sc.s;
        p[i].str = sc_intern(c->bd, k->sc.s, k->sc.n);
        p[i].node = sc_compile(c, m->map.items[i].val, false);
    }
    qsort(p, m->map.n, sizeof *p, sc_prop_cmp);
    uint32_t n = (uint32_t)m->map.n;
    uint32_t off = sc_put(c->bd, &n, 4, 4);
    for (size_t i = 0; i < m->map.n; i++) {
        uint32_t pair[2] = {p[i].str, p[i].node};
        buf_put(&c->bd->out, pair, sizeof pair);
    }
    free(p);
    return off;
}

static uint32_t sc_compile(sc_cc *c, const ir_node *s, bool quantity)
{
    sc_build *bd = c->bd;
    if (!s || s->kind != IR_MAP) return bd->any; /* boolean schemas: nothing checked */
    const char *ref = ir_get_str(s, "$ref");
    if (ref) return sc_ref(c, ref);
    const ir_node *allof = ir_map_get(s, "allOf");
    bool values = false;
    for (size_t i = 0; i < s->map.n && !values; i++)
        values = sc_is_value_key(s->map.items[i].key->sc.s);
    if (!values) {
        if (!allof || allof->kind != IR_SEQ || !allof->seq.n) return bd->any;
        if (allof->seq.n == 1) return sc_compile(c, allof->seq.items[0], quantity);
    }
    sc_rec r = {0};
    r.types = sc_types_of(ir_map_get(s, "type"));
    const char *fmt = ir_get_str(s, "format");
    bool int_or_string = (fmt && !strcmp(fmt, "int-or-string")) ||
                         sc_true(ir_map_get(s, "x-kubernetes-int-or-string"));
    r.format = sc_format_of(fmt);
    const ir_node *anyof = ir_map_get(s, "anyOf"), *oneof = ir_map_get(s, "oneOf");
    /* anyOf/oneOf of bare types (IntOrString, Quantity, CRD int-or-string) fold into types */
    for (int k = 0; k < 2; k++) {
        const ir_node **alt = k ? &oneof : &anyof;
        if (!*alt || (*alt)->kind != IR_SEQ || !(*alt)->seq.n || r.types) continue;
        uint32_t t = 0;
        size_t i = 0;
        for (; i < (*alt)->seq.n; i++) {
            uint32_t b = sc_type_only((*alt)->seq.items[i]);
            if (!b) break;
            t |= b;
        }
        if (i == (*alt)->seq.n) {
            r.types = t;
            *alt = NULL;
        }
    }
    if (int_or_string) {
        r.types = SC_T_INTEGER | SC_T_STRING;
        anyof = oneof = NULL;
    }
    if (quantity && (r.types & SC_T_STRING)) r.format = SC_FMT_QUANTITY;
    if (r.types & SC_T_INTEGER && r.types & SC_T_NUMBER) r.types &= ~(uint32_t)SC_T_INTEGER;
    if (sc_true(ir_map_get(s, "nullable"))) r.flags |= SC_F_NULLABLE;
    if (r.types & SC_T_NULL) r.flags |= SC_F_NULLABLE;
    if (sc_true(ir_map_get(s, "x-kubernetes-preserve-unknown-fields"))) r.flags |= SC_F_PRESERVE;
    if (sc_true(ir_map_get(s, "x-kubernetes-embedded-resource"))) r.flags |= SC_F_EMBEDDED;
    if (ir_map_get(s, "patternProperties")) r.flags |= SC_F_OPEN;
    const char *lt = ir_get_str(s, "x-kubernetes-list-type");
    if (lt && !strcmp(lt, "set")) r.flags |= SC_F_LIST_SET;
    if (lt && !strcmp(lt, "map")) r.flags |= SC_F_LIST_MAP;
    if (sc_true(ir_map_get(s, "uniqueItems"))) r.flags |= SC_F_LIST_SET;
    if (c->soft && (r.flags & (SC_F_LIST_SET | SC_F_LIST_MAP))) r.flags |= SC_F_SOFT_LIST;
    const char *pat = ir_get_str(s, "pattern");
    if (pat) r.pattern = sc_intern_z(bd, pat);
    r.mapkeys = sc_strings(bd, ir_map_get(s, "x-kubernetes-list-map-keys"));
    r.required = sc_strings(bd, ir_map_get(s, "required"));
    r.enumv = sc_enum(bd, ir_map_get(s, "enum"));
    const ir_node *dflt = ir_map_get(s, "default");
    if (dflt && dflt->kind == IR_SCALAR && dflt->tag != IR_TAG_NULL) {
        uint32_t pair[2] = {sc_ev_kind(dflt), sc_intern(bd, dflt->sc.s, dflt->sc.n)};
        r.dflt = sc_put(bd, pair, sizeof pair, 4);
    }
    const ir_node *addl = ir_map_get(s, "additionalProperties");
    if (addl && addl->kind == IR_SCALAR && addl->tag == IR_TAG_BOOL)
        r.flags |= addl->sc.v.b ? SC_F_ADDL_TRUE : SC_F_ADDL_FALSE;
    else if (addl && addl->kind == IR_MAP) {
        r.addl = sc_compile(c, addl, false);
        if (r.addl == bd->any) r.addl = 0, r.flags |= SC_F_ADDL_TRUE;
    }
    const ir_node *items = ir_map_get(s, "items");
    if (items && items->kind == IR_MAP) r.items = sc_compile(c, items, false);
    r.props = sc_props(c, ir_map_get(s, "properties"));
    r.allof = sc_compile_list(c, allof);
    r.anyof = sc_compile_list(c, anyof);
    r.oneof = sc_compile_list(c, oneof);
    const ir_node *not_ = ir_map_get(s, "not");
    if (not_ && not_->kind == IR_MAP) r.not_ = sc_compile(c, not_, false);
    /* numeric and length limits */
    sc_nums nums = {0, 0, -1, -1, -1, -1, -1, -1};
    bool any_num = false;
    double d;
    const ir_node *xmin = ir_map_get(s, "exclusiveMinimum"),
                  *xmax = ir_map_get(s, "exclusiveMaximum");
    if (sc_num(ir_map_get(s, "minimum"), &d)) nums.min = d, r.flags |= SC_F_MIN;
    if (sc_num(ir_map_get(s, "maximum"), &d)) nums.max = d, r.flags |= SC_F_MAX;
    if (sc_true(xmin) && (r.flags & SC_F_MIN)) r.flags |= SC_F_XMIN;
    if (sc_true(xmax) && (r.flags & SC_F_MAX)) r.flags |= SC_F_XMAX;
    if (sc_num(xmin, &d)) nums.min = d, r.flags |= SC_F_MIN | SC_F_XMIN;
    if (sc_num(xmax, &d)) nums.max = d, r.flags |= SC_F_MAX | SC_F_XMAX;
    any_num = r.flags & (SC_F_MIN | SC_F_MAX);
    static const char *const lens[] = {"minLength", "maxLength",     "minItems",
                                       "maxItems",  "minProperties", "maxProperties"};
    int64_t *lv[] = {&nums.minlen,   &nums.maxlen,   &nums.minitems,
                     &nums.maxitems, &nums.minprops, &nums.maxprops};
    for (size_t i = 0; i < 6; i++) {
        *lv[i] = sc_count(ir_map_get(s, lens[i]));
        any_num |= *lv[i] >= 0;
    }
    if (any_num) r.nums = sc_put(bd, &nums, sizeof nums, 8);
    return sc_put(bd, &r, sizeof r, 4);
}

/* ---- group/version/kind roots ---- */

static char *sc_gvk_key(arena *a, const char *g, const char *v, const char *k, bool fuzzy)
{
    return ar_printf(a, "%c%s\x1f%s\x1f%s", fuzzy ? 'f' : 'e', g, v, k);
}

static bool sc_has(const sc_build *bd, const char *g, const char *v, const char *k, bool fuzzy)
{
    arena tmp;
    ar_init(&tmp);
    char *key = sc_gvk_key(&tmp, g, v, k, fuzzy);
    bool hit = sc_map_get((sc_map *)&bd->gvkidx, key, strlen(key)) != NULL;
    ar_free(&tmp);
    return hit;
}

bool sc_build_has(const sc_build *bd, const char *group, const char *version, const char *kind)
{
    return sc_has(bd, group, version, kind, false);
}

size_t sc_build_kinds(const sc_build *bd)
{
    return bd->ngvks;
}

static bool sc_wanted(sc_build *bd, const char *g, const char *v, const char *k, bool fuzzy)
{
    if (sc_has(bd, g, v, k, fuzzy)) return false;
    if (!bd->want || fuzzy) return true;
    return bd->want(bd->want_ctx, g, v, k);
}

static void sc_add_gvk(sc_build *bd, const char *g, const char *v, const char *k, uint32_t node,
                       uint32_t flags)
{
    bool fuzzy = flags & SC_G_FUZZY;
    char *key = sc_gvk_key(&bd->a, g, v, k, fuzzy);
    sc_map_put(&bd->gvkidx, &bd->a, key, strlen(key), (uint32_t)bd->ngvks);
    if (bd->ngvks == bd->capgvks) {
        bd->capgvks = bd->capgvks ? bd->capgvks * 2 : 64;
        bd->gvks = util_xrealloc(bd->gvks, bd->capgvks * sizeof *bd->gvks);
    }
    bd->gvks[bd->ngvks++] =
        (sc_gvk){sc_intern_z(bd, g), sc_intern_z(bd, v), sc_intern_z(bd, k), node, flags, 0};
}

static void sc_add_root(sc_build *bd, const ir_node *schema, const char *group, const char *version,
                        const char *kind, bool soft, uint32_t flags)
{
    if (sc_has(bd, group, version, kind, false)) return;
    sc_cc c = {bd, schema, {0}, soft};
    uint32_t node = sc_compile(&c, schema, false);
    free(c.refs.e);
    sc_add_gvk(bd, group, version, kind, node, flags);
}

void sc_build_add_root(sc_build *bd, const ir_node *schema, const char *group, const char *version,
                       const char *kind, bool soft)
{
    sc_add_root(bd, schema, group, version, kind, soft, 0);
}

size_t sc_build_add_crd(sc_build *bd, const ir_node *crd)
{
    const ir_node *spec = ir_map_get(crd, "spec");
    const char *group = ir_get_str(spec, "group");
    const char *kind = ir_get_str(ir_map_get(spec, "names"), "kind");
    const ir_node *versions = ir_map_get(spec, "versions");
    if (!group || !kind) return 0;
    size_t added = 0;
    if (versions && versions->kind == IR_SEQ) {
        for (size_t i = 0; i < versions->seq.n; i++) {
            const ir_node *v = versions->seq.items[i];
            const char *name = ir_get_str(v, "name");
            const ir_node *served = ir_map_get(v, "served");
            if (!name || (served && served->kind == IR_SCALAR && served->tag == IR_TAG_BOOL &&
                          !served->sc.v.b))
                continue;
            const ir_node *schema = ir_map_get(ir_map_get(v, "schema"), "openAPIV3Schema");
            /* apiextensions v1beta1: one schema for every version */
            if (!schema) schema = ir_map_get(ir_map_get(spec, "validation"), "openAPIV3Schema");
            if (!schema || !sc_wanted(bd, group, name, kind, false)) continue;
            sc_add_root(bd, schema, group, name, kind, false, SC_G_CRD);
            added++;
        }
    } else {
        const char *name = ir_get_str(spec, "version");
        const ir_node *schema = ir_map_get(ir_map_get(spec, "validation"), "openAPIV3Schema");
        if (name && schema && sc_wanted(bd, group, name, kind, false)) {
            sc_add_root(bd, schema, group, name, kind, false, SC_G_CRD);
            added++;
        }
    }
    return added;
}

static bool sc_is_crd(const ir_node *doc)
{
    const char *kind = ir_get_str(doc, "kind");
    const char *api = ir_get_str(doc, "apiVersion");
    return kind && api && !strcmp(kind, "CustomResourceDefinition") &&
           !strncmp(api, "apiextensions.k8s.io/", 21);
}

/* Schemas of an OpenAPI document's definitions that carry x-kubernetes-group-version-kind. */
static size_t sc_add_defs(sc_build *bd, const ir_node *doc, const ir_node *defs, const char *prefix,
                          bool soft)
{
    sc_cc c = {bd, doc, {0}, soft};
    size_t added = 0;
    buf_t ptr = {0};
    for (size_t i = 0; i < defs->map.n; i++) {
        const ir_node *def = defs->map.items[i].val;
        const ir_node *gvks = ir_map_get(def, "x-kubernetes-group-version-kind");
        if (!gvks || gvks->kind != IR_SEQ) continue;
        for (size_t j = 0; j < gvks->seq.n; j++) {
            const ir_node *e = gvks->seq.items[j];
            const char *g = ir_str_of(ir_map_get(e, "group")), *v = ir_get_str(e, "version"),
                       *k = ir_get_str(e, "kind");
            if (!g) g = "";
            if (!v || !k || !sc_wanted(bd, g, v, k, false)) continue;
            ptr.len = 0;
            buf_puts(&ptr, prefix);
            for (const char *p = defs->map.items[i].key->sc.s; *p; p++)
                if (*p == '/')
                    buf_puts(&ptr, "~1");
                else if (*p == '~')
                    buf_puts(&ptr, "~0");
                else
                    buf_putc(&ptr, *p);
            uint32_t node = sc_ref(&c, buf_cstr(&ptr));
            sc_add_gvk(bd, g, v, k, node, 0);
            added++;
        }
    }
    /* ObjectMeta, for the metadata of custom resources (their CRDs say only type: object) */
    static const char meta[] = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    if (ir_map_get(defs, meta) &&
        sc_wanted(bd, SC_META_GROUP, SC_META_VERSION, SC_META_KIND, false)) {
        ptr.len = 0;
        buf_printf(&ptr, "%s%s", prefix, meta);
        sc_add_gvk(bd, SC_META_GROUP, SC_META_VERSION, SC_META_KIND, sc_ref(&c, buf_cstr(&ptr)), 0);
    }
    buf_free(&ptr);
    free(c.refs.e);
    return added;
}

/* kubeconform file names: <kind>-<group's first part>-<version>.json, <kind>-<version>.json;
 * CRDs-catalog layout: <group>/<kind>_<version>.json. */
static bool sc_name_gvk(arena *a, const char *path, const char **g, const char **v, const char **k)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n < 6 || strcmp(base + n - 5, ".json")) return false;
    char *stem = ar_strndup(a, base, n - 5);
    char *us = strchr(stem, '_');
    if (us) {
        *us = 0;
        *k = stem;
        *v = us + 1;
        *g = "";
        if (base > path) {
            const char *dir = base - 1, *ds = dir;
            while (ds > path && ds[-1] != '/')
                ds--;
            *g = ar_strndup(a, ds, (size_t)(dir - ds));
        }
        return **k && **v;
    }
    char *d1 = strchr(stem, '-');
    if (!d1) return false;
    *d1 = 0;
    *k = stem;
    char *d2 = strchr(d1 + 1, '-');
    if (d2) {
        *d2 = 0;
        *g = d1 + 1;
        *v = d2 + 1;
    } else {
        *g = "";
        *v = d1 + 1;
    }
    return **k && **v && !strchr(*v, '-');
}

size_t sc_build_add_doc(sc_build *bd, diag_ctx *d, const ir_node *doc, const char *name, bool soft)
{
    (void)d;
    if (!doc || doc->kind != IR_MAP) return 0;
    if (sc_is_crd(doc)) return sc_build_add_crd(bd, doc);
    const ir_node *items = ir_map_get(doc, "items");
    const char *kind = ir_get_str(doc, "kind");
    if (kind && items && items->kind == IR_SEQ && strlen(kind) > 4 &&
        !strcmp(kind + strlen(kind) - 4, "List")) {
        size_t added = 0;
        for (size_t i = 0; i < items->seq.n; i++)
            if (sc_is_crd(items->seq.items[i])) added += sc_build_add_crd(bd, items->seq.items[i]);
        return added;
    }
    const ir_node *comps = ir_map_get(ir_map_get(doc, "components"), "schemas");
    if (comps && comps->kind == IR_MAP)
        return sc_add_defs(bd, doc, comps, "#/components/schemas/", soft);
    const ir_node *defs = ir_map_get(doc, "definitions");
    /* OpenAPI v2 (a cluster's /openapi/v2, kustomize's `openapi:` files): definitions with
     * x-kubernetes-group-version-kind, no schema at the root */
    if (defs && defs->kind == IR_MAP &&
        (ir_map_get(doc, "swagger") || ir_map_get(doc, "paths") ||
         (!ir_map_get(doc, "type") && !ir_map_get(doc, "properties"))))
        return sc_add_defs(bd, doc, defs, "#/definitions/", soft);
    /* a standalone JSON schema */
    if (!ir_map_get(doc, "properties") && !ir_map_get(doc, "type") && !ir_map_get(doc, "$schema") &&
        !ir_map_get(doc, "allOf") && !ir_map_get(doc, "oneOf") && !ir_map_get(doc, "anyOf") &&
        !ir_map_get(doc, "$ref"))
        return 0;
    const ir_node *gvks = ir_map_get(doc, "x-kubernetes-group-version-kind");
    size_t added = 0;
    if (gvks && gvks->kind == IR_SEQ) {
        for (size_t j = 0; j < gvks->seq.n; j++) {
            const ir_node *e = gvks->seq.items[j];
            const char *g = ir_str_of(ir_map_get(e, "group")), *v = ir_get_str(e, "version"),
                       *k = ir_get_str(e, "kind");
            if (!g) g = "";
            if (!v || !k || !sc_wanted(bd, g, v, k, false)) continue;
            sc_add_root(bd, doc, g, v, k, soft, 0);
            added++;
        }
        return added;
    }
    const char *g, *v, *k;
    if (!sc_name_gvk(&bd->a, name, &g, &v, &k) || !sc_wanted(bd, g, v, k, true)) return 0;
    sc_cc c = {bd, doc, {0}, soft};
    uint32_t node = sc_compile(&c, doc, false);
    free(c.refs.e);
    sc_add_gvk(bd, g, v, k, node, SC_G_FUZZY);
    return 1;
}

/* ---- finishing and lookup ---- */

typedef struct sc_gsort {
    const char *g, *v, *k;
    sc_gvk e;
} sc_gsort;

static int sc_gsort_cmp(const void *pa, const void *pb)
{
    const sc_gsort *a = pa, *b = pb;
    if ((a->e.flags & SC_G_FUZZY) != (b->e.flags & SC_G_FUZZY))
        return (a->e.flags & SC_G_FUZZY) ? 1 : -1;
    int c = strcmp(a->g, b->g);
    if (!c) c = strcmp(a->v, b->v);
    if (!c) c = strcmp(a->k, b->k);
    return c;
}

static void sc_sort_gvks(const char *base, sc_gvk *v, size_t n)
{
    sc_gsort *t = util_xmalloc((n + 1) * sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = (sc_gsort){base + v[i].group, base + v[i].version, base + v[i].kind, v[i]};
    qsort(t, n, sizeof *t, sc_gsort_cmp);
    for (size_t i = 0; i < n; i++)
        v[i] = t[i].e;
    free(t);
}

void sc_build_finish(sc_build *bd, uint64_t key, uint32_t nfiles, sc_blob *out)
{
    /* the strings are all in place now: sort the table against the final bytes */
    sc_sort_gvks(bd->out.data, bd->gvks, bd->ngvks);
    uint32_t nexact = 0;
    while (nexact < bd->ngvks && !(bd->gvks[nexact].flags & SC_G_FUZZY))
        nexact++;
    uint32_t gvks = sc_put(bd, bd->gvks, bd->ngvks * sizeof *bd->gvks, 8);
    uint32_t slots = sc_put(bd, bd->slots, bd->nslots * sizeof *bd->slots, 4);
    while (bd->out.len % 8)
        buf_putc(&bd->out, 0);
    sc_header *h = (sc_header *)(void *)bd->out.data;
    h->magic = SC_MAGIC;
    h->version = SC_VERSION;
    h->key = key;
    h->size = bd->out.len;
    h->gvks = gvks;
    h->ngvks = (uint32_t)bd->ngvks;
    h->nexact = nexact;
    h->slots = slots;
    h->nslots = (uint32_t)bd->nslots;
    h->nfiles = nfiles;
    h->sum = util_hash(bd->out.data + sizeof *h, bd->out.len - sizeof *h);
    out->data = (const uint8_t *)bd->out.data;
    out->size = bd->out.len;
    out->mapped = false;
    free(bd->strs.e);
    free(bd->gvkidx.e);
    free(bd->slots);
    free(bd->gvks);
    ar_free(&bd->a);
    free(bd);
}

const sc_rec *sc_resolve(const sc_blob *b, const sc_rec *r)
{
    const sc_header *h = sc_hdr(b);
    for (int hops = 0; r && r->ref; hops++) {
        if (hops > 64 || r->ref > h->nslots) return NULL;
        uint32_t off = sc_list(b, h->slots)[r->ref - 1];
        r = off ? sc_node(b, off) : NULL;
    }
    return r;
}

static bool sc_ieq(const char *a, const char *b)
{
    while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b))
        a++, b++;
    return !*a && !*b;
}

uint32_t sc_blob_find(const sc_blob *b, const char *group, const char *version, const char *kind)
{
    const sc_gvk *e = sc_blob_entry(b, group, version, kind);
    return e ? e->node : 0;
}

const sc_gvk *sc_blob_entry(const sc_blob *b, const char *group, const char *version,
                            const char *kind)
{
    if (!b || !b->data) return NULL;
    const sc_header *h = sc_hdr(b);
    const sc_gvk *t = (const sc_gvk *)(const void *)(b->data + h->gvks);
    size_t lo = 0, hi = h->nexact;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(sc_str(b, t[mid].group), group);
        if (!c) c = strcmp(sc_str(b, t[mid].version), version);
        if (!c) c = strcmp(sc_str(b, t[mid].kind), kind);
        if (!c) return &t[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t dot = strcspn(group, ".");
    for (size_t i = h->nexact; i < h->ngvks; i++) {
        const char *g = sc_str(b, t[i].group);
        if (strcmp(sc_str(b, t[i].version), version) || !sc_ieq(sc_str(b, t[i].kind), kind))
            continue;
        if (!strcmp(g, group) || (strlen(g) == dot && !strncmp(g, group, dot) && *g)) return &t[i];
    }
    return NULL;
}

void sc_blob_free(sc_blob *b)
{
    if (!b->data) return;
    if (b->mapped)
        munmap((void *)b->data, b->size);
    else
        free((void *)b->data);
    b->data = NULL;
}
