/* Object matching and field comparison with apply semantics: only fields the render sets are
 * compared, server-populated fields are ignored, a live field the render lacks counts as removed
 * only when this owner set it before (last-applied-configuration or the field manager's
 * managedFields), and lists with a merge key are compared element by element. */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "diff/diff.h"
#include "emit/emit.h"
#include "kustomize/kz.h"
#include "yaml/yaml.h"

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"

/* What this owner applied before, at the current path: the last-applied body and the field
 * manager's fieldsV1 set (either may be NULL). */
typedef struct df_prev {
    const ir_node *la, *mf;
} df_prev;

typedef struct df_ctx {
    arena *a;
    df_obj *obj;
    bool secret_kind;
    buf_t path;
    const char *api, *kind; /* the object's, for schema lookups */
    buf_t spath;            /* field names joined by '.', lists implicit: the schema's path */
} df_ctx;

static size_t sp_push(df_ctx *c, const char *k)
{
    size_t n = c->spath.len;
    if (n) buf_putc(&c->spath, '.');
    buf_puts(&c->spath, k);
    return n;
}

/* ---- matching ---- */

typedef struct df_key {
    const char *key; /* group \x1f kind \x1f namespace \x1f name */
    size_t idx;
} df_key;

static int key_cmp(const void *x, const void *y)
{
    return strcmp(((const df_key *)x)->key, ((const df_key *)y)->key);
}

/* Cluster-scoped kinds declared by CustomResourceDefinitions in a set, as "group\x1fkind". */
typedef struct df_crds {
    const char **gk;
    size_t n;
} df_crds;

static void crds_collect(arena *a, const ir_resset *s, df_crds *c, size_t cap)
{
    for (size_t i = 0; i < s->n && c->n < cap; i++) {
        const ir_res *r = s->items[i];
        if (strcmp(r->id.kind, "CustomResourceDefinition")) continue;
        const ir_node *spec = ir_map_get(r->obj, "spec");
        const char *scope = ir_get_str(spec, "scope"), *group = ir_get_str(spec, "group");
        const char *kind = ir_get_str(ir_map_get(spec, "names"), "kind");
        if (scope && group && kind && !strcmp(scope, "Cluster"))
            c->gk[c->n++] = ar_printf(a, "%s\x1f%s", group, kind);
    }
}

static bool cluster_scoped(arena *a, const df_crds *c, const ir_id *id)
{
    if (kz_cluster_scoped(id)) return true;
    if (!c->n) return false;
    const char *gk = ar_printf(a, "%s\x1f%s", id->group, id->kind);
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->gk[i], gk)) return true;
    return false;
}

static const char *match_key(arena *a, const df_crds *c, const ir_id *id, const char *dns)
{
    const char *ns = cluster_scoped(a, c, id) ? "" : (*id->ns ? id->ns : dns);
    return ar_printf(a, "%s\x1f%s\x1f%s\x1f%s", id->group, id->kind, ns, id->name);
}

/* ---- paths and changes ---- */

static void path_key(buf_t *p, const char *k)
{
    bool plain = *k != '\0';
    for (const char *s = k; *s && plain; s++)
        if (!(*s == '_' || *s == '-' || (*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z')))
            plain = false;
    if (plain) {
        if (p->len) buf_putc(p, '.');
        buf_puts(p, k);
    } else {
        buf_puts(p, "[\"");
        buf_puts(p, k);
        buf_puts(p, "\"]");
    }
}

static void add_change(df_ctx *c, df_op op, const ir_node *old, const ir_node *new)
{
    df_obj *o = c->obj;
    if (o->nch == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4;
        o->ch = ar_realloc(c->a, o->ch, o->cap * sizeof *o->ch, cap * sizeof *o->ch);
        o->cap = cap;
    }
    const char *path = ar_strndup(c->a, c->path.data ? c->path.data : "", c->path.len);
    bool secret = c->secret_kind && (!strncmp(path, "data", 4) || !strncmp(path, "stringData", 10));
    o->ch[o->nch++] = (df_change){path, op, old, new, secret};
}

/* ---- what the owner applied before ---- */

static df_prev prev_key(arena *a, df_prev p, const char *k)
{
    df_prev r = {ir_map_get(p.la, k), NULL};
    if (p.mf && p.mf->kind == IR_MAP) r.mf = ir_map_get(p.mf, ar_printf(a, "f:%s", k));
    if (r.la && r.la->kind == IR_SCALAR && r.la->tag == IR_TAG_NULL) r.la = NULL;
    return r;
}

static bool scalar_same(const ir_node *x, const ir_node *y)
{
    return x && y && x->kind == IR_SCALAR && y->kind == IR_SCALAR && !strcmp(x->sc.s, y->sc.s);
}

static const ir_node *seq_find(const ir_node *seq, const char *key, const ir_node *val)
{
    if (!seq || seq->kind != IR_SEQ) return NULL;
    for (size_t i = 0; i < seq->seq.n; i++)
        if (seq->seq.items[i]->kind == IR_MAP &&
            scalar_same(ir_map_get(seq->seq.items[i], key), val))
            return seq->seq.items[i];
    return NULL;
}

/* The element of a keyed list: in last-applied by value, in fieldsV1 as k:{"key":value}. */
static df_prev prev_elem(arena *a, df_prev p, const char *key, const ir_node *val)
{
    df_prev r = {seq_find(p.la, key, val), NULL};
    if (p.mf && p.mf->kind == IR_MAP) {
        buf_t b = {0};
        buf_printf(&b, "k:{\"%s\":", key);
        if (val->tag == IR_TAG_STR)
            em_json_string(&b, val->sc.s, val->sc.n);
        else
            buf_puts(&b, val->sc.s);
        buf_putc(&b, '}');
        r.mf = ir_map_get(p.mf, buf_cstr(&b));
        buf_free(&b);
    }
    return r;
}

static bool prev_has(df_prev p)
{
    return p.la || p.mf;
}

/* ---- comparison ---- */

/* True when every element of both lists is a map with a scalar `key`, unique within its list. */
static bool keyed_by(const ir_node *w, const ir_node *l, const char *key)
{
    for (int side = 0; side < 2; side++) {
        const ir_node *s = side ? l : w;
        for (size_t i = 0; i < s->seq.n; i++) {
            const ir_node *e = s->seq.items[i];
            const ir_node *v = e->kind == IR_MAP ? ir_map_get(e, key) : NULL;
            if (!v || v->kind != IR_SCALAR) return false;
            for (size_t j = 0; j < i; j++)
                if (scalar_same(ir_map_get(s->seq.items[j], key), v)) return false;
        }
    }
    return w->seq.n || l->seq.n;
}

/* The key a list is compared by, element by element, or NULL (by position). Built-in kinds:
 * the first merge key of kustomize's schema (containers by name, ports by containerPort,
 * mounts by mountPath...). Other kinds, or lists the schema does not know: the first of a few
 * usual keys that every element has, unique. */
static const char *seq_merge_key(df_ctx *c, const ir_node *w, const ir_node *l)
{
    const char *key =
        c->api && c->kind ? kz_list_merge_key(c->a, c->api, c->kind, buf_cstr(&c->spath)) : NULL;
    if (key) return *key && keyed_by(w, l, key) ? key : NULL;
    static const char *const cands[] = {"name", "containerPort", "mountPath", "devicePath", "port",
                                        "ip",   "topologyKey"};
    for (size_t i = 0; i < sizeof cands / sizeof *cands; i++)
        if (keyed_by(w, l, cands[i])) return cands[i];
    return NULL;
}

/* Fields the API server owns: never reported, whatever the render says. apiVersion too: the
 * server serves one object at every version of its group, so a new version is no change. */
static bool server_field(int level, const char *k)
{
    if (level == 0) return !strcmp(k, "status") || !strcmp(k, "apiVersion");
    if (level == 1)
        return !strcmp(k, "uid") || !strcmp(k, "resourceVersion") || !strcmp(k, "generation") ||
               !strcmp(k, "creationTimestamp") || !strcmp(k, "managedFields") ||
               !strcmp(k, "selfLink") || !strcmp(k, "deletionTimestamp");
    return false;
}

static bool is_null(const ir_node *n)
{
    return n->kind == IR_SCALAR && n->tag == IR_TAG_NULL;
}

static bool scalars_equal(const ir_node *w, const ir_node *l)
{
    if (w->tag == l->tag && w->sc.n == l->sc.n && !memcmp(w->sc.s, l->sc.s, w->sc.n)) return true;
    return ir_equal(w, l);
}

/* A Kubernetes resource quantity ("500m", "1Gi", "2e3", "1.5") as a number; false when s is
 * not one. The API server stores quantities canonically ("1000m" comes back as "1"), so
 * quantities compare by value. */
static bool quantity(const char *s, long double *out)
{
    static const struct {
        const char *suffix;
        long double mult;
    } units[] = {{"", 1},         {"n", 1e-9L},    {"u", 1e-6L},    {"m", 1e-3L},
                 {"k", 1e3L},     {"M", 1e6L},     {"G", 1e9L},     {"T", 1e12L},
                 {"P", 1e15L},    {"E", 1e18L},    {"Ki", 0x1p10L}, {"Mi", 0x1p20L},
                 {"Gi", 0x1p30L}, {"Ti", 0x1p40L}, {"Pi", 0x1p50L}, {"Ei", 0x1p60L}};
    const char *p = s + (*s == '+' || *s == '-');
    if (!((*p >= '0' && *p <= '9') || *p == '.') || strpbrk(s, "xXpP")) return false;
    char *end;
    long double v = strtold(s, &end);
    if (end == s) return false;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(end, units[i].suffix)) {
            *out = v * units[i].mult;
            return true;
        }
    return false;
}

/* Paths whose values are quantities: container and pod resources, quotas, limit ranges. */
static bool quantity_path(const char *path)
{
    return strstr(path, "resources.limits.") || strstr(path, "resources.requests.") ||
           strstr(path, "overhead.") || !strncmp(path, "spec.hard.", 10) ||
           (!strncmp(path, "spec.limits[", 12) && strstr(path, "]."));
}

static bool quantities_equal(df_ctx *c, const ir_node *w, const ir_node *l)
{
    long double x, y;
    if (!quantity_path(buf_cstr(&c->path)) || !quantity(w->sc.s, &x) || !quantity(l->sc.s, &y))
        return false;
    long double d = x > y ? x - y : y - x, m = x > 0 ? x : -x;
    return d <= m * 1e-15L;
}

/* The level of the value under key k: metadata's fields have their own server fields. */
static int sub_level(int level, const char *k)
{
    return level == 0 && !strcmp(k, "metadata") ? 1 : 2;
}

/* For a key only live has: true when this owner set it before (*pk: what it set), i.e. when
 * the render dropping it is a removal. */
static bool owned_live_only(df_ctx *c, const ir_node *w, const char *k, df_prev p, int level,
                            df_prev *pk)
{
    if (server_field(level, k) || ir_map_get(w, k)) return false;
    if (level == 2 && !strcmp(k, LAST_APPLIED)) return false;
    *pk = prev_key(c->a, p, k);
    return prev_has(*pk);
}

/* A removed map the owner set field by field: only those fields count. */
static bool removed_by_field(const ir_node *lv, df_prev pk)
{
    return lv->kind == IR_MAP && (pk.mf || (pk.la && pk.la->kind == IR_MAP));
}

static void cmp(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p, int level);

static void cmp_map(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p, int level)
{
    size_t plen = c->path.len;
    for (size_t i = 0; i < w->map.n; i++) {
        const char *k = w->map.items[i].key->sc.s;
        if (server_field(level, k)) continue;
        const ir_node *wv = w->map.items[i].val, *lv = ir_map_get(l, k);
        path_key(&c->path, k);
        size_t sp = sp_push(c, k);
        if (!lv) {
            if (!is_null(wv) && !(wv->kind != IR_SCALAR && wv->map.n == 0 && wv->seq.n == 0))
                add_change(c, DF_OP_ADD, NULL, wv);
        } else {
            cmp(c, wv, lv, prev_key(c->a, p, k), sub_level(level, k));
        }
        c->path.len = plen;
        c->spath.len = sp;
    }
    for (size_t i = 0; i < l->map.n; i++) {
        const char *k = l->map.items[i].key->sc.s;
        df_prev pk;
        if (!owned_live_only(c, w, k, p, level, &pk)) continue;
        const ir_node *lv = l->map.items[i].val;
        path_key(&c->path, k);
        size_t sp = sp_push(c, k);
        if (removed_by_field(lv, pk))
            cmp_map(c, ir_map(c->a, lv->pos), lv, pk, sub_level(level, k));
        else
            add_change(c, DF_OP_REMOVE, lv, NULL);
        c->path.len = plen;
        c->spath.len = sp;
    }
}

static void elem_path(df_ctx *c, const char *key, const ir_node *v)
{
    buf_printf(&c->path, "[%s=%s]", key, v->sc.s);
}

static void cmp_seq(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p)
{
    size_t plen = c->path.len;
    const char *key = seq_merge_key(c, w, l);
    if (!key) {
        if (w->seq.n != l->seq.n) {
            add_change(c, DF_OP_REPLACE, l, w);
            return;
        }
        for (size_t i = 0; i < w->seq.n; i++) {
            buf_printf(&c->path, "[%zu]", i);
            const ir_node *pl =
                p.la && p.la->kind == IR_SEQ && i < p.la->seq.n ? p.la->seq.items[i] : NULL;
            cmp(c, w->seq.items[i], l->seq.items[i], (df_prev){pl, NULL}, 2);
            c->path.len = plen;
        }
        return;
    }
    for (size_t i = 0; i < w->seq.n; i++) {
        const ir_node *kv = ir_map_get(w->seq.items[i], key);
        const ir_node *le = seq_find(l, key, kv);
        elem_path(c, key, kv);
        if (!le)
            add_change(c, DF_OP_ADD, NULL, w->seq.items[i]);
        else
            cmp(c, w->seq.items[i], le, prev_elem(c->a, p, key, kv), 2);
        c->path.len = plen;
    }
    for (size_t i = 0; i < l->seq.n; i++) {
        const ir_node *kv = ir_map_get(l->seq.items[i], key);
        if (seq_find(w, key, kv) || !prev_has(prev_elem(c->a, p, key, kv))) continue;
        elem_path(c, key, kv);
        add_change(c, DF_OP_REMOVE, l->seq.items[i], NULL);
        c->path.len = plen;
    }
}

static void cmp(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p, int level)
{
    if (w->kind == IR_MAP && l->kind == IR_MAP) {
        cmp_map(c, w, l, p, level);
    } else if (w->kind == IR_SEQ && l->kind == IR_SEQ) {
        cmp_seq(c, w, l, p);
    } else if (w->kind == IR_SCALAR && l->kind == IR_SCALAR) {
        if (!scalars_equal(w, l) && !quantities_equal(c, w, l)) add_change(c, DF_OP_REPLACE, l, w);
    } else if (!(is_null(w) && l->kind != IR_SCALAR && l->map.n == 0 && l->seq.n == 0)) {
        add_change(c, DF_OP_REPLACE, l, w);
    }
}

/* The owner's previous body and managed field set of a live object. */
static df_prev live_prev(arena *a, const ir_node *live, const char *manager)
{
    df_prev p = {NULL, NULL};
    const ir_node *md = ir_map_get(live, "metadata");
    const ir_node *la = ir_map_get(ir_map_get(md, "annotations"), LAST_APPLIED);
    if (la && la->kind == IR_SCALAR && la->sc.n) {
        diag_ctx d;
        diag_init(&d);
        uint32_t f = diag_file_add(&d, "last-applied-configuration", la->sc.s, la->sc.n);
        ky_opts o = {.flavor = KY_V3};
        ky_docs docs;
        if (ky_load(a, &d, f, la->sc.s, la->sc.n, &o, &docs) && docs.n == 1 &&
            docs.docs[0]->kind == IR_MAP)
            p.la = docs.docs[0];
        diag_free(&d);
    }
    const ir_node *mfs = ir_map_get(md, "managedFields");
    if (mfs && mfs->kind == IR_SEQ)
        for (size_t i = 0; i < mfs->seq.n; i++) {
            const ir_node *e = mfs->seq.items[i];
            const char *m = ir_get_str(e, "manager");
            if (m && !strcmp(m, manager)) p.mf = ir_map_get(e, "fieldsV1");
        }
    return p;
}

/* ---- the live object as the render sees it ---- */

static const ir_node *proj(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p, int level);

/* l restricted to what the comparison looks at: the fields the render sets, plus the fields
 * this owner set before and the render dropped. Printed beside the render, it gives a line
 * diff that shows exactly the reported changes. */
static const ir_node *proj_map(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p, int level)
{
    ir_node *m = ir_map(c->a, l->pos);
    for (size_t i = 0; i < w->map.n; i++) {
        const char *k = w->map.items[i].key->sc.s;
        const ir_node *lv = ir_map_get(l, k);
        if (server_field(level, k)) { /* not compared: shown as the render has it */
            ir_map_append(c->a, m, w->map.items[i].key, w->map.items[i].val);
            continue;
        }
        if (!lv) continue;
        size_t sp = sp_push(c, k);
        ir_map_append(
            c->a, m, w->map.items[i].key,
            (ir_node *)proj(c, w->map.items[i].val, lv, prev_key(c->a, p, k), sub_level(level, k)));
        c->spath.len = sp;
    }
    for (size_t i = 0; i < l->map.n; i++) {
        const char *k = l->map.items[i].key->sc.s;
        df_prev pk;
        if (!owned_live_only(c, w, k, p, level, &pk)) continue;
        const ir_node *lv = l->map.items[i].val;
        if (removed_by_field(lv, pk)) {
            size_t sp = sp_push(c, k);
            lv = proj_map(c, ir_map(c->a, lv->pos), lv, pk, sub_level(level, k));
            c->spath.len = sp;
            if (!lv->map.n) continue;
        }
        ir_map_append(c->a, m, l->map.items[i].key, (ir_node *)lv);
    }
    return m;
}

static const ir_node *proj_seq(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p)
{
    const char *key = seq_merge_key(c, w, l);
    if (!key && w->seq.n != l->seq.n) return l;
    ir_node *s = ir_seq(c->a, l->pos);
    if (!key) {
        for (size_t i = 0; i < w->seq.n; i++) {
            const ir_node *pl =
                p.la && p.la->kind == IR_SEQ && i < p.la->seq.n ? p.la->seq.items[i] : NULL;
            ir_seq_append(
                c->a, s,
                (ir_node *)proj(c, w->seq.items[i], l->seq.items[i], (df_prev){pl, NULL}, 2));
        }
        return s;
    }
    for (size_t i = 0; i < w->seq.n; i++) {
        const ir_node *kv = ir_map_get(w->seq.items[i], key);
        const ir_node *le = seq_find(l, key, kv);
        if (le)
            ir_seq_append(c->a, s,
                          (ir_node *)proj(c, w->seq.items[i], le, prev_elem(c->a, p, key, kv), 2));
    }
    for (size_t i = 0; i < l->seq.n; i++) {
        const ir_node *kv = ir_map_get(l->seq.items[i], key);
        if (!seq_find(w, key, kv) && prev_has(prev_elem(c->a, p, key, kv)))
            ir_seq_append(c->a, s, l->seq.items[i]);
    }
    return s;
}

static const ir_node *proj(df_ctx *c, const ir_node *w, const ir_node *l, df_prev p, int level)
{
    if (w->kind == IR_MAP && l->kind == IR_MAP) return proj_map(c, w, l, p, level);
    if (w->kind == IR_SEQ && l->kind == IR_SEQ) return proj_seq(c, w, l, p);
    return l;
}

/* A Secret as the API server stores it: stringData is write-only, its values land in data
 * base64-encoded (overriding data's), so the render is compared in that form. */
static const ir_node *secret_as_stored(arena *a, const ir_node *obj)
{
    const ir_node *sd = ir_map_get(obj, "stringData");
    if (!sd || sd->kind != IR_MAP) return obj;
    ir_node *o = ir_clone(a, obj);
    ir_map_remove(o, "stringData");
    ir_node *data = ir_map_get(o, "data");
    if (!data || data->kind != IR_MAP) {
        data = ir_map(a, sd->pos);
        ir_map_set(a, o, "data", data);
    }
    for (size_t i = 0; i < sd->map.n; i++) {
        const ir_node *v = sd->map.items[i].val;
        if (v->kind != IR_SCALAR) continue;
        size_t n = v->tag == IR_TAG_NULL ? 0 : v->sc.n;
        unsigned char *enc = ar_alloc(a, 4 * ((n + 2) / 3) + 1);
        EVP_EncodeBlock(enc, (const unsigned char *)v->sc.s, (int)n);
        ir_map_set(a, data, sd->map.items[i].key->sc.s, ir_str(a, (const char *)enc, v->pos));
    }
    return o;
}

static void compare_obj(arena *a, df_obj *o, const char *manager, bool rev_mode)
{
    df_ctx c = {.a = a, .obj = o};
    c.api = ir_get_str(o->want->obj, "apiVersion");
    c.kind = o->want->id.kind;
    c.secret_kind = !*o->want->id.group && !strcmp(o->want->id.kind, "Secret");
    /* between two renders every field of the base was set by this owner */
    df_prev p = rev_mode ? (df_prev){o->live->obj, NULL} : live_prev(a, o->live->obj, manager);
    const ir_node *want =
        c.secret_kind && !rev_mode ? secret_as_stored(a, o->want->obj) : o->want->obj;
    cmp_map(&c, want, o->live->obj, p, 0);
    o->action = o->nch ? DF_UPDATE : DF_UNCHANGED;
    if (o->nch) {
        c.spath.len = 0;
        o->live_view = proj_map(&c, want, o->live->obj, p, 0);
    }
    buf_free(&c.path);
    buf_free(&c.spath);
}

/* ---- ownership ---- */

static const char *label(const ir_res *r, const char *k)
{
    return ir_get_str(ir_map_get(ir_map_get(r->obj, "metadata"), "labels"), k);
}

#define FLUX_NAME "kustomize.toolkit.fluxcd.io/name"
#define FLUX_NS "kustomize.toolkit.fluxcd.io/namespace"

static const char *owner_of(arena *a, const ir_res *r)
{
    const char *n = label(r, FLUX_NAME), *ns = label(r, FLUX_NS);
    return n && ns ? ar_printf(a, "%s/%s", ns, n) : NULL;
}

static bool owned(arena *a, const ir_res *r, const df_opts *o, const char **owners, size_t nown)
{
    if (o->owner_label) {
        const char *eq = strchr(o->owner_label, '=');
        const char *k =
            eq ? ar_strndup(a, o->owner_label, (size_t)(eq - o->owner_label)) : o->owner_label;
        const char *v = label(r, k);
        return v && (!eq || !strcmp(v, eq + 1));
    }
    const char *own = owner_of(a, r);
    for (size_t i = 0; own && i < nown; i++)
        if (!strcmp(owners[i], own)) return true;
    return false;
}

/* GROUP/VERSION/KIND/NAMESPACE/NAME, a namespaced object without one in dns. */
static const char *obj_id(arena *a, const df_crds *crds, const ir_res *r, const char *dns)
{
    if (cluster_scoped(a, crds, &r->id) || *r->id.ns) return em_res_id(a, r);
    return ar_printf(a, "%s%s%s/%s/%s/%s", r->id.group, *r->id.group ? "/" : "", r->id.version,
                     r->id.kind, dns, r->id.name);
}

void df_diff(arena *a, const ir_resset *want, const ir_resset *live, const df_opts *o,
             df_result *out)
{
    const char *dns = o->default_ns ? o->default_ns : "default";
    const char *manager = o->field_manager ? o->field_manager : "kustomize-controller";
    df_crds crds = {ar_alloc(a, (want->n + live->n + 1) * sizeof(char *)), 0};
    crds_collect(a, want, &crds, want->n + live->n);
    crds_collect(a, live, &crds, want->n + live->n);

    df_key *lk = ar_alloc(a, (live->n + 1) * sizeof *lk);
    for (size_t i = 0; i < live->n; i++)
        lk[i] = (df_key){match_key(a, &crds, &live->items[i]->id, dns), i};
    qsort(lk, live->n, sizeof *lk, key_cmp);
    bool *matched = ar_alloc(a, live->n + 1);

    out->objs = ar_alloc(a, (want->n + live->n + 1) * sizeof *out->objs);
    out->n = 0;
    memset(out->count, 0, sizeof out->count);
    const char **owners = ar_alloc(a, (2 * want->n + 1) * sizeof *owners);
    size_t nown = 0;
    for (size_t i = 0; i < want->n; i++) {
        const ir_res *w = want->items[i];
        df_obj *ob = &out->objs[out->n++];
        memset(ob, 0, sizeof *ob);
        ob->want = w;
        ob->id = obj_id(a, &crds, w, dns);
        const char *own = owner_of(a, w);
        if (own) owners[nown++] = own;
        df_key probe = {match_key(a, &crds, &w->id, dns), 0};
        const df_key *hit = bsearch(&probe, lk, live->n, sizeof *lk, key_cmp);
        if (!hit) {
            ob->action = DF_CREATE;
        } else {
            matched[hit->idx] = true;
            ob->live = live->items[hit->idx];
            const char *lown = owner_of(a, ob->live);
            if (lown) owners[nown++] = lown;
            char hw[33], hl[33];
            /* two renders: equal content hashes settle it without a field walk */
            if (o->rev_mode && (em_content_hash(a, w->obj, hw),
                                em_content_hash(a, ob->live->obj, hl), !strcmp(hw, hl)))
                ob->action = DF_UNCHANGED;
            else
                compare_obj(a, ob, manager, o->rev_mode);
        }
        out->count[ob->action]++;
    }
    for (size_t i = 0; i < live->n; i++) {
        const ir_res *l = live->items[i];
        if (matched[i] || (!o->rev_mode && !owned(a, l, o, owners, nown))) continue;
        df_obj *ob = &out->objs[out->n++];
        memset(ob, 0, sizeof *ob);
        ob->live = l;
        ob->id = obj_id(a, &crds, l, dns);
        ob->action = DF_PRUNE;
        out->count[DF_PRUNE]++;
    }
}
