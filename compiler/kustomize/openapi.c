/* The kustomization `openapi:` field: a user's OpenAPI document (Swagger 2 `definitions` or
 * OpenAPI 3 `components.schemas`) turned into strategic-merge rows like the built-in table. */
#include <stdlib.h>
#include <string.h>

#include "kustomize/kz_int.h"

typedef struct rowbuf {
    kz_ctx *k;
    bool with_builtin; /* the user's definitions extend the built-in schema */
    const ir_node *defs;
    const char *(*v)[5];
    size_t n, cap;
} rowbuf;

static void row_add(rowbuf *b, const char *api, const char *kind, const char *path,
                    const char *keys, const char *strat)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        b->v = ar_realloc(b->k->a, b->v, b->cap * sizeof *b->v, cap * sizeof *b->v);
        b->cap = cap;
    }
    b->v[b->n][0] = api;
    b->v[b->n][1] = kind;
    b->v[b->n][2] = path;
    b->v[b->n][3] = keys;
    b->v[b->n][4] = strat;
    b->n++;
}

/* The definition a schema refers to ($ref, or allOf with one $ref). */
static const ir_node *deref(rowbuf *b, const ir_node *s, const char **name)
{
    const char *ref = ir_get_str(s, "$ref");
    *name = "";
    if (!ref) {
        const ir_node *all = ir_map_get(s, "allOf");
        if (all && all->kind == IR_SEQ && all->seq.n == 1)
            ref = ir_get_str(all->seq.items[0], "$ref");
    }
    if (!ref) return NULL;
    const char *slash = strrchr(ref, '/');
    *name = slash ? slash + 1 : ref;
    return ir_map_get(b->defs, *name);
}

typedef struct walkctx {
    rowbuf *b;
    const char *api, *kind;
    const char **stack;
    size_t depth;
} walkctx;

static void walk_value(walkctx *w, const ir_node *s, const char *path);

static void walk_field(walkctx *w, const ir_node *prop, const char *path)
{
    const char *type = ir_get_str(prop, "type");
    if (type && !strcmp(type, "array")) {
        const char *strat = ir_get_str(prop, "x-kubernetes-patch-strategy");
        if (!strat) return;
        const char *keys = "";
        const ir_node *lmk = ir_map_get(prop, "x-kubernetes-list-map-keys");
        if (lmk && lmk->kind == IR_SEQ && lmk->seq.n) {
            buf_t kb = {0};
            for (size_t i = 0; i < lmk->seq.n; i++) {
                if (i) buf_putc(&kb, ',');
                buf_puts(&kb, lmk->seq.items[i]->sc.s);
            }
            keys = ar_strndup(w->b->k->a, kb.data, kb.len);
            buf_free(&kb);
        } else if (ir_get_str(prop, "x-kubernetes-patch-merge-key")) {
            keys = ir_get_str(prop, "x-kubernetes-patch-merge-key");
        }
        row_add(w->b, w->api, w->kind, path, keys, strat);
        const ir_node *items = ir_map_get(prop, "items");
        if (strstr(strat, "merge") && items && items->kind == IR_MAP) walk_value(w, items, path);
        return;
    }
    walk_value(w, prop, path);
}

extern const char *const kz_smp_table[][5];
extern const size_t kz_smp_table_n;

/* Where a Kubernetes type the user's document refers to but does not define sits in the
 * built-in schema: kustomize adds the user's definitions to its own, so such a reference gets
 * the built-in merge rules. */
static const struct {
    const char *type, *api, *kind, *path;
} builtin_types[] = {
    {"io.k8s.api.core.v1.PodTemplateSpec", "v1", "PodTemplate", "template"},
    {"io.k8s.api.core.v1.PodSpec", "v1", "Pod", "spec"},
    {"io.k8s.api.core.v1.Container", "v1", "Pod", "spec.containers"},
    {"io.k8s.api.core.v1.EphemeralContainer", "v1", "Pod", "spec.ephemeralContainers"},
    {"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "v1", "Pod", "metadata"},
    {"io.k8s.api.batch.v1.JobTemplateSpec", "batch/v1", "CronJob", "spec.jobTemplate"},
    {"io.k8s.api.batch.v1.JobSpec", "batch/v1", "Job", "spec"},
    {"io.k8s.api.apps.v1.DeploymentSpec", "apps/v1", "Deployment", "spec"},
    {"io.k8s.api.apps.v1.StatefulSetSpec", "apps/v1", "StatefulSet", "spec"},
    {"io.k8s.api.apps.v1.DaemonSetSpec", "apps/v1", "DaemonSet", "spec"},
    {"io.k8s.api.core.v1.ServiceSpec", "v1", "Service", "spec"},
};

/* Copies the built-in rows below a known type to `path`; false when the type is not known. */
static bool builtin_rows(walkctx *w, const char *type, const char *path)
{
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++) {
        if (strcmp(builtin_types[i].type, type)) continue;
        size_t pl = strlen(builtin_types[i].path);
        for (size_t r = 0; r < kz_smp_table_n; r++) {
            const char *const *row = kz_smp_table[r];
            if (strcmp(row[0], builtin_types[i].api) || strcmp(row[1], builtin_types[i].kind))
                continue;
            if (strncmp(row[2], builtin_types[i].path, pl) || row[2][pl] != '.') continue;
            const char *rest = row[2] + pl + 1;
            row_add(w->b, w->api, w->kind,
                    *path ? ar_printf(w->b->k->a, "%s.%s", path, rest) : rest, row[3], row[4]);
        }
        return true;
    }
    return false;
}

static void walk_value(walkctx *w, const ir_node *s, const char *path)
{
    const char *name = "";
    const ir_node *d = deref(w->b, s, &name);
    if (!d && ir_get_str(s, "$ref")) {
        if (w->b->with_builtin) builtin_rows(w, name, path);
        return;
    }
    if (d) {
        for (size_t i = 0; i < w->depth; i++)
            if (!strcmp(w->stack[i], name)) return; /* recursive type */
        if (w->depth >= 64) return;
        w->stack[w->depth++] = name;
        walk_value(w, d, path);
        w->depth--;
        return;
    }
    const ir_node *props = ir_map_get(s, "properties");
    for (size_t i = 0; props && props->kind == IR_MAP && i < props->map.n; i++) {
        const char *p = props->map.items[i].key->sc.s;
        walk_field(w, props->map.items[i].val, *path ? ar_printf(w->b->k->a, "%s.%s", path, p) : p);
    }
    const ir_node *extra = ir_map_get(s, "additionalProperties");
    if (extra && extra->kind == IR_MAP)
        walk_field(w, extra, *path ? ar_printf(w->b->k->a, "%s.*", path) : "*");
}

static int row_cmp(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    for (int i = 0; i < 5; i++) {
        int c = strcmp(x[i], y[i]);
        if (c) return c;
    }
    return 0;
}

bool kz_openapi_rows(kz_ctx *k, const ir_node *doc, bool with_builtin, diag_pos where)
{
    rowbuf b = {.k = k, .with_builtin = with_builtin};
    b.defs = ir_map_get(doc, "definitions");
    if (!b.defs) b.defs = ir_map_get(ir_map_get(doc, "components"), "schemas");
    if (!b.defs || b.defs->kind != IR_MAP) {
        diag_error(k->d, where,
                   "the openapi document has no 'definitions' (or 'components.schemas')");
        return false;
    }
    const char *stack[64];
    for (size_t i = 0; i < b.defs->map.n; i++) {
        const ir_node *def = b.defs->map.items[i].val;
        const ir_node *gvks = ir_map_get(def, "x-kubernetes-group-version-kind");
        for (size_t j = 0; gvks && gvks->kind == IR_SEQ && j < gvks->seq.n; j++) {
            const ir_node *g = gvks->seq.items[j];
            const char *group = ir_get_str(g, "group"), *version = ir_get_str(g, "version"),
                       *kind = ir_get_str(g, "kind");
            if (!version || !kind) continue;
            const char *api = group ? ar_printf(k->a, "%s/%s", group, version) : version;
            walkctx w = {&b, api, kind, stack, 1};
            stack[0] = b.defs->map.items[i].key->sc.s;
            size_t before = b.n;
            walk_value(&w, def, "");
            if (b.n == before) row_add(&b, api, kind, "-", "", "");
        }
    }
    if (with_builtin)
        for (size_t r = 0; r < kz_smp_table_n; r++)
            row_add(&b, kz_smp_table[r][0], kz_smp_table[r][1], kz_smp_table[r][2],
                    kz_smp_table[r][3], kz_smp_table[r][4]);
    qsort(b.v, b.n, sizeof *b.v, row_cmp);
    k->smp_rows = (const char *const(*)[5])b.v;
    k->smp_nrows = b.n;
    k->schema_set = true;
    return true;
}
