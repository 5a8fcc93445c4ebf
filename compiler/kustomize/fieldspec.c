/* Field specs: kustomize's transformer configuration (built-in and from `configurations:`), GVK
 * selection, and the walk that finds (or creates) the fields a spec names in an object. */
#include <stdlib.h>
#include <string.h>

#include "kustomize/kz_int.h"

extern const char kz_stdlib_fieldspecs[];
extern const size_t kz_stdlib_fieldspecs_len;

static bool fspec_eq(const kz_fspec *a, const kz_fspec *b)
{
    return !strcmp(a->path, b->path) && !strcmp(a->group, b->group) &&
           !strcmp(a->version, b->version) && !strcmp(a->kind, b->kind);
}

static size_t split_path(kz_ctx *k, const char *path, char ***out);

void kz_fslist_add(kz_ctx *k, kz_fslist *l, kz_fspec fs)
{
    if (!fs.parts) fs.nparts = split_path(k, fs.path, &fs.parts);
    for (size_t i = 0; i < l->n; i++)
        if (fspec_eq(&l->v[i], &fs)) return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        l->v = ar_realloc(k->a, l->v, l->cap * sizeof *l->v, cap * sizeof *l->v);
        l->cap = cap;
    }
    l->v[l->n++] = fs;
}

static kz_fslist *section(kz_tconfig *tc, const char *name)
{
    static const struct {
        const char *name;
        size_t off;
    } map[] = {
        {"namePrefix", offsetof(kz_tconfig, name_prefix)},
        {"nameSuffix", offsetof(kz_tconfig, name_suffix)},
        {"commonLabels", offsetof(kz_tconfig, common_labels)},
        {"templateLabels", offsetof(kz_tconfig, template_labels)},
        {"labels", offsetof(kz_tconfig, labels)},
        {"commonAnnotations", offsetof(kz_tconfig, common_annotations)},
        {"namespace", offsetof(kz_tconfig, namespace)},
        {"varReference", offsetof(kz_tconfig, var_reference)},
        {"images", offsetof(kz_tconfig, images)},
        {"replicas", offsetof(kz_tconfig, replicas)},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i].name, name)) return (kz_fslist *)((char *)tc + map[i].off);
    return NULL;
}

static kz_nameref *nameref_for(kz_ctx *k, kz_tconfig *tc, const char *g, const char *v,
                               const char *kind)
{
    for (size_t i = 0; i < tc->nnamerefs; i++) {
        kz_nameref *n = &tc->namerefs[i];
        if (!strcmp(n->group, g) && !strcmp(n->version, v) && !strcmp(n->kind, kind)) return n;
    }
    if (tc->nnamerefs == tc->capnamerefs) {
        size_t cap = tc->capnamerefs ? tc->capnamerefs * 2 : 32;
        tc->namerefs = ar_realloc(k->a, tc->namerefs, tc->capnamerefs * sizeof *tc->namerefs,
                                  cap * sizeof *tc->namerefs);
        tc->capnamerefs = cap;
    }
    kz_nameref *n = &tc->namerefs[tc->nnamerefs++];
    memset(n, 0, sizeof *n);
    n->group = g;
    n->version = v;
    n->kind = kind;
    return n;
}

/* Splits a tab-separated line in place into at most max fields. */
static size_t split_tabs(char *line, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = 0;
            f[n++] = p + 1;
        }
    return n;
}

/* Copies a configuration cheaply: the lists share their arrays (cap = n, so the first append to
 * a copy reallocates and leaves the original alone); the nameref table itself is duplicated. */
static void tconfig_share(kz_ctx *k, kz_tconfig *dst, const kz_tconfig *src)
{
    *dst = *src;
    kz_fslist *lists[] = {&dst->name_prefix,     &dst->name_suffix,   &dst->common_labels,
                          &dst->template_labels, &dst->labels,        &dst->common_annotations,
                          &dst->namespace,       &dst->var_reference, &dst->images,
                          &dst->replicas};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        lists[i]->cap = lists[i]->n;
    dst->namerefs = src->nnamerefs ? ar_alloc(k->a, src->nnamerefs * sizeof *dst->namerefs) : NULL;
    if (src->nnamerefs)
        memcpy(dst->namerefs, src->namerefs, src->nnamerefs * sizeof *dst->namerefs);
    dst->capnamerefs = src->nnamerefs;
    for (size_t i = 0; i < dst->nnamerefs; i++)
        dst->namerefs[i].referrers.cap = dst->namerefs[i].referrers.n;
    dst->vars = NULL;
    dst->nvars = dst->capvars = 0;
}

void kz_tconfig_defaults(kz_ctx *k, kz_tconfig *tc)
{
    if (k->defaults) {
        tconfig_share(k, tc, k->defaults);
        return;
    }
    memset(tc, 0, sizeof *tc);
    char *text = ar_strndup(k->a, kz_stdlib_fieldspecs, kz_stdlib_fieldspecs_len);
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (*line && *line != '#') {
            char *f[7];
            if (split_tabs(line, f, 7) == 7) {
                kz_fspec fs = {.group = f[2],
                               .version = f[3],
                               .kind = f[4],
                               .path = f[5],
                               .create = f[6][0] == '1'};
                if (!strcmp(f[0], "nameReference")) {
                    char *g = f[1], *s1 = strchr(g, '/'), *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
                    if (s1 && s2) {
                        *s1 = *s2 = 0;
                        kz_fslist_add(k, &nameref_for(k, tc, g, s1 + 1, s2 + 1)->referrers, fs);
                    }
                } else {
                    kz_fslist *l = section(tc, f[0]);
                    if (l) kz_fslist_add(k, l, fs);
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    /* parsed once per build; later targets share it */
    kz_tconfig *cache = ar_alloc(k->a, sizeof *cache);
    *cache = *tc;
    k->defaults = cache;
    tconfig_share(k, tc, cache);
}

void kz_fslist_merge(kz_ctx *k, kz_fslist *dst, const kz_fslist *src)
{
    if (src->v == dst->v && src->n <= dst->n) return; /* the same shared list: nothing new */
    if (dst->n == 0) {
        /* an empty list takes src's entries as they are (src has no duplicates); cap = n makes
         * the first append copy */
        dst->v = src->v;
        dst->n = dst->cap = src->n;
        return;
    }
    for (size_t i = 0; i < src->n; i++)
        kz_fslist_add(k, dst, src->v[i]);
}

/* Whether dst's namerefs are src's (shared lists, nothing added): merging would change nothing. */
static bool namerefs_same(const kz_tconfig *dst, const kz_tconfig *src)
{
    if (dst->nnamerefs != src->nnamerefs) return false;
    for (size_t i = 0; i < src->nnamerefs; i++)
        if (dst->namerefs[i].referrers.v != src->namerefs[i].referrers.v ||
            dst->namerefs[i].referrers.n < src->namerefs[i].referrers.n)
            return false;
    return true;
}

void kz_tconfig_merge(kz_ctx *k, kz_tconfig *dst, const kz_tconfig *src)
{
    static const char *const names[] = {
        "namePrefix",        "nameSuffix", "commonLabels", "templateLabels", "labels",
        "commonAnnotations", "namespace",  "varReference", "images",         "replicas"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        kz_fslist_merge(k, section(dst, names[i]), section((kz_tconfig *)src, names[i]));
    for (size_t i = 0; !namerefs_same(dst, src) && i < src->nnamerefs; i++) {
        const kz_nameref *n = &src->namerefs[i];
        kz_fslist_merge(k, &nameref_for(k, dst, n->group, n->version, n->kind)->referrers,
                        &n->referrers);
    }
    for (size_t i = 0; i < src->nvars; i++) {
        bool dup = false;
        for (size_t j = 0; j < dst->nvars; j++)
            dup = dup || !strcmp(dst->vars[j].name, src->vars[i].name);
        if (dup) continue;
        if (dst->nvars == dst->capvars) {
            size_t cap = dst->capvars ? dst->capvars * 2 : 8;
            dst->vars = ar_realloc(k->a, dst->vars, dst->capvars * sizeof *dst->vars,
                                   cap * sizeof *dst->vars);
            dst->capvars = cap;
        }
        dst->vars[dst->nvars++] = src->vars[i];
    }
}

/* How kustomize combines `configurations:` with the configuration in force (measured with
 * kubectl kustomize): a user spec for the same path covers every spec it selects (a
 * kind-specific namePrefix spec replaces the all-kinds default), and a spec that selects a user
 * spec with another `create` flag is a conflict. */
static bool fslist_override(kz_ctx *k, kz_fslist *base, const kz_fslist *user, diag_pos where,
                            const char *section)
{
    kz_fslist out = {0};
    for (size_t i = 0; i < base->n; i++) {
        const kz_fspec *x = &base->v[i];
        bool covered = false;
        for (size_t j = 0; j < user->n; j++) {
            const kz_fspec *u = &user->v[j];
            if (strcmp(u->path, x->path)) continue;
            /* x.IsSelected(u) and u.IsSelected(x), u and x each as the selector of the other */
            if (kz_fspec_selects(u, x->group, x->version, x->kind) && x->create != u->create) {
                diag_error(k->d, where,
                           "failed to merge %s fieldSpec: conflicting fieldspecs (path %s)",
                           section, x->path);
                return false;
            }
            if (kz_fspec_selects(x, u->group, u->version, u->kind)) covered = true;
        }
        if (!covered) kz_fslist_add(k, &out, *x);
    }
    for (size_t j = 0; j < user->n; j++)
        kz_fslist_add(k, &out, user->v[j]);
    *base = out;
    return true;
}

bool kz_tconfig_override(kz_ctx *k, kz_tconfig *dst, const kz_tconfig *user, diag_pos where)
{
    static const char *const names[] = {
        "namePrefix",        "nameSuffix", "commonLabels", "templateLabels", "labels",
        "commonAnnotations", "namespace",  "varReference", "images",         "replicas"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!fslist_override(k, section(dst, names[i]), section((kz_tconfig *)user, names[i]),
                             where, names[i]))
            return false;
    for (size_t i = 0; i < user->nnamerefs; i++) {
        const kz_nameref *n = &user->namerefs[i];
        kz_fslist_merge(k, &nameref_for(k, dst, n->group, n->version, n->kind)->referrers,
                        &n->referrers);
    }
    return true;
}

void kz_tconfig_copy(kz_ctx *k, kz_tconfig *dst, const kz_tconfig *src)
{
    memset(dst, 0, sizeof *dst);
    kz_tconfig_merge(k, dst, src);
}

static const char *opt_str(const ir_node *m, const char *key)
{
    const ir_node *v = ir_map_get(m, key);
    return v && v->kind == IR_SCALAR && v->tag != IR_TAG_NULL ? v->sc.s : "";
}

bool kz_fslist_from_yaml(kz_ctx *k, kz_fslist *l, const ir_node *seq)
{
    if (!seq || (seq->kind == IR_SCALAR && seq->tag == IR_TAG_NULL)) return true;
    if (seq->kind != IR_SEQ) {
        diag_error(k->d, seq->pos,
                   "field specs must be a list of {path, group, version, kind, create}");
        return false;
    }
    for (size_t i = 0; i < seq->seq.n; i++) {
        const ir_node *m = seq->seq.items[i];
        if (m->kind != IR_MAP || !*opt_str(m, "path")) {
            diag_error(k->d, m->pos, "a field spec needs a 'path'");
            return false;
        }
        const ir_node *c = ir_map_get(m, "create");
        kz_fspec fs = {.group = opt_str(m, "group"),
                       .version = opt_str(m, "version"),
                       .kind = opt_str(m, "kind"),
                       .path = opt_str(m, "path"),
                       .create = c && c->kind == IR_SCALAR && c->tag == IR_TAG_BOOL && c->sc.v.b};
        kz_fslist_add(k, l, fs);
    }
    return true;
}

bool kz_tconfig_merge_yaml(kz_ctx *k, kz_tconfig *tc, const ir_node *doc)
{
    if (doc->kind != IR_MAP) {
        diag_error(k->d, doc->pos, "a transformer configuration must be a mapping");
        return false;
    }
    for (size_t i = 0; i < doc->map.n; i++) {
        const char *key = doc->map.items[i].key->sc.s;
        const ir_node *val = doc->map.items[i].val;
        if (!strcmp(key, "nameReference")) {
            if (val->kind != IR_SEQ) {
                diag_error(k->d, val->pos, "nameReference must be a list");
                return false;
            }
            for (size_t j = 0; j < val->seq.n; j++) {
                const ir_node *e = val->seq.items[j];
                if (e->kind != IR_MAP || !*opt_str(e, "kind")) {
                    diag_error(k->d, e->pos, "a nameReference entry needs a 'kind'");
                    return false;
                }
                kz_nameref *n = nameref_for(k, tc, opt_str(e, "group"), opt_str(e, "version"),
                                            opt_str(e, "kind"));
                if (!kz_fslist_from_yaml(k, &n->referrers, ir_map_get(e, "fieldSpecs")))
                    return false;
            }
            continue;
        }
        kz_fslist *l = section(tc, key);
        if (!l) {
            diag_error(k->d, doc->map.items[i].key->pos,
                       "unknown transformer configuration section '%s'", key);
            return false;
        }
        if (!kz_fslist_from_yaml(k, l, val)) return false;
    }
    return true;
}

bool kz_fspec_selects(const kz_fspec *fs, const char *group, const char *version, const char *kind)
{
    return (!*fs->kind || !strcmp(fs->kind, kind)) && (!*fs->group || !strcmp(fs->group, group)) &&
           (!*fs->version || !strcmp(fs->version, version));
}

/* ---- the walk ---- */

typedef struct walk {
    kz_ctx *k;
    const kz_fspec *fs;
    char **parts;
    size_t nparts;
    int leaf_kind;
    kz_fs_fn fn;
    void *payload;
    const ir_node *obj;
} walk;

static bool walk_node(walk *w, ir_node **slot, size_t i);

static bool is_null(const ir_node *n)
{
    return n->kind == IR_SCALAR && n->tag == IR_TAG_NULL;
}

static bool walk_map(walk *w, ir_node *m, size_t i)
{
    char *name = w->parts[i];
    size_t len = strlen(name);
    bool is_seq = len >= 2 && !strcmp(name + len - 2, "[]");
    if (is_seq) len -= 2;
    if (!len) {
        diag_error(w->k->d, m->pos, "cannot set or create an empty field name (field spec '%s')",
                   w->fs->path);
        return false;
    }
    ir_pair *p = ir_map_find(m, name, len);
    bool last = i + 1 == w->nparts;
    if (!p) {
        if (!w->fs->create || is_seq || (last && w->leaf_kind < 0)) return true;
        ir_node *created;
        if (last && w->leaf_kind == IR_SCALAR) {
            created = ir_scalar(w->k->a, IR_TAG_NULL, "", 0, m->pos);
        } else {
            created = ir_map(w->k->a, m->pos);
        }
        ir_map_append(w->k->a, m,
                      ir_scalar(w->k->a, IR_TAG_STR, ar_strndup(w->k->a, name, len), len, m->pos),
                      created);
        p = &m->map.items[m->map.n - 1];
        if (last && w->leaf_kind == IR_SCALAR) return w->fn(w->k, &p->val, w->payload);
    } else if (is_null(p->val) && w->fs->create && !is_seq) {
        if (!last || w->leaf_kind == IR_MAP) {
            ir_node *created = ir_map(w->k->a, p->val->pos);
            p->val = created;
        }
    }
    return walk_node(w, &p->val, i + 1);
}

static bool walk_node(walk *w, ir_node **slot, size_t i)
{
    ir_node *n = *slot;
    if (i == w->nparts) return w->fn(w->k, slot, w->payload);
    if (is_null(n)) return true;
    switch (n->kind) {
    case IR_SEQ:
        for (size_t j = 0; j < n->seq.n; j++)
            if (!walk_node(w, &n->seq.items[j], i)) return false;
        return true;
    case IR_MAP:
        return walk_map(w, n, i);
    default:
        diag_error(w->k->d, n->pos, "field spec '%s': expected a sequence or mapping at '%s'",
                   w->fs->path, w->parts[i]);
        return false;
    }
}

/* kustomize's PathSplitter: '/'-separated, but '/' inside [...] does not split. */
static size_t split_path(kz_ctx *k, const char *path, char ***out)
{
    size_t cap = 8, n = 0;
    char **v = ar_alloc(k->a, cap * sizeof *v);
    const char *start = path;
    int depth = 0;
    for (const char *p = path;; p++) {
        if (*p == '[') depth++;
        if (*p == ']' && depth) depth--;
        if ((*p == '/' && !depth) || !*p) {
            if (n == cap) {
                v = ar_realloc(k->a, v, cap * sizeof *v, cap * 2 * sizeof *v);
                cap *= 2;
            }
            v[n++] = ar_strndup(k->a, start, (size_t)(p - start));
            if (!*p) break;
            start = p + 1;
        }
    }
    *out = v;
    return n;
}

bool kz_fspec_apply(kz_ctx *k, ir_node *obj, const kz_fspec *fs, int leaf_kind, kz_fs_fn fn,
                    void *payload)
{
    walk w = {.k = k, .fs = fs, .leaf_kind = leaf_kind, .fn = fn, .payload = payload, .obj = obj};
    if (fs->parts) {
        w.parts = fs->parts;
        w.nparts = fs->nparts;
    } else {
        w.nparts = split_path(k, fs->path, &w.parts);
    }
    ir_node *root = obj;
    return walk_node(&w, &root, 0);
}
