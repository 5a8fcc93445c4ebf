/* kustomization.yaml: finding and reading it, checking its fields, and accumulating the
 * resources it lists (files, directories, nested kustomizations) in kustomize's order. */
#include "kustomize/kz_int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "yaml/yaml.h"

static const char *const kz_file_names[] = {"kustomization.yaml", "kustomization.yml",
                                            "Kustomization"};

/* Fields of kustomize's Kustomization type (v5.7.1), and whether kiln implements them yet. */
static const struct kz_field kz_fields[] = {
    {"apiVersion", true, NULL},
    {"kind", true, NULL},
    {"metadata", true, NULL},
    {"resources", true, NULL},
    {"bases", true,
     "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' "
     "to update your Kustomization automatically."},
    {"sortOptions", true, NULL},
    {"buildMetadata", true, NULL},
    {"components", true, NULL},
    {"namePrefix", true, NULL},
    {"nameSuffix", true, NULL},
    {"namespace", true, NULL},
    {"commonLabels", true,
     "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit "
     "fix' to update your Kustomization automatically."},
    {"labels", true, NULL},
    {"commonAnnotations", true, NULL},
    {"images", true, NULL},
    {"imageTags", false, NULL},
    {"replicas", true, NULL},
    {"patches", true, NULL},
    {"patchesStrategicMerge", true,
     "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run "
     "'kustomize edit fix' to update your Kustomization automatically."},
    {"patchesJson6902", true,
     "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize "
     "edit fix' to update your Kustomization automatically."},
    {"configMapGenerator", true, NULL},
    {"secretGenerator", true, NULL},
    {"generatorOptions", true, NULL},
    {"replacements", true, NULL},
    {"vars", true,
     "# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] Run "
     "'kustomize edit fix' to update your Kustomization automatically."},
    {"crds", true, NULL},
    {"openapi", true, NULL},
    {"configurations", true, NULL},
    {"generators", true, NULL},
    {"transformers", true, NULL},
    {"validators", false, NULL},
    {"helmCharts", true, NULL},
    {"helmGlobals", true, NULL},
    {"helmChartInflationGenerator", false, NULL},
};

/* Levenshtein distance, for did-you-mean hints. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = util_xmalloc((lb + 1) * sizeof *row);
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev + cost;
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    size_t r = row[lb];
    free(row);
    return r;
}

const struct kz_field *kz_field_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof kz_fields / sizeof *kz_fields; i++)
        if (!strcmp(kz_fields[i].name, name)) return &kz_fields[i];
    return NULL;
}

const struct kz_field *kz_field_lookup_fold(const char *name)
{
    for (size_t i = 0; i < sizeof kz_fields / sizeof *kz_fields; i++)
        if (!strcasecmp(kz_fields[i].name, name)) return &kz_fields[i];
    return NULL;
}

const char *kz_field_suggest(const char *name)
{
    const char *best = NULL;
    size_t bestd = 4;
    for (size_t i = 0; i < sizeof kz_fields / sizeof *kz_fields; i++) {
        size_t dd = edit_distance(name, kz_fields[i].name);
        if (dd < bestd) bestd = dd, best = kz_fields[i].name;
    }
    return best;
}

const char *kz_find_file(kz_ctx *k, const char *dir, diag_pos where, bool *ambiguous)
{
    const char *found = NULL;
    *ambiguous = false;
    for (size_t i = 0; i < 3; i++) {
        char *p = src_join(k->a, dir, kz_file_names[i]);
        if (src_stat(k->src, p) == SRC_FILE) {
            if (found) {
                /* point at the second file, with its first line shown */
                char *text;
                size_t len;
                const char *err;
                uint32_t f = src_read(k->src, k->a, p, &text, &len, &err)
                                 ? diag_file_add(k->d, p, text, len)
                                 : diag_file_add(k->d, p, NULL, 0);
                (void)where;
                diag_error(k->d, diag_at(f, 1, 1),
                           "found multiple kustomization files in '%s' (%s and %s)", dir, found,
                           kz_file_names[i]);
                *ambiguous = true;
                return NULL;
            }
            found = kz_file_names[i];
        }
    }
    return found ? src_join(k->a, dir, found) : NULL;
}

static ir_res **resset_items(const ir_resset *s)
{
    return s->items;
}

bool kz_append_all(kz_ctx *k, ir_resset *dst, const ir_resset *src)
{
    bool ok = true;
    ir_res **items = resset_items(src);
    for (size_t i = 0; i < src->n; i++) {
        ir_res *old = ir_resset_add(dst, items[i]);
        if (old) {
            char where[4096];
            diag_error(
                k->d, items[i]->pos,
                "may not add resource with an already registered id: %s (already added from %s)",
                ir_id_str(k->a, &items[i]->id), diag_pos_str(k->d, old->pos, where, sizeof where));
            ok = false;
        }
    }
    return ok;
}

static bool add_object(kz_ctx *k, ir_node *obj, diag_pos pos, ir_resset *out)
{
    ir_res *r;
    if (!ir_res_make(k->a, k->d, obj, pos, &r)) return false;
    ir_res *old = ir_resset_add(out, r);
    if (old) {
        char where[4096];
        diag_error(k->d, pos,
                   "may not add resource with an already registered id: %s (already added from %s)",
                   ir_id_str(k->a, &r->id), diag_pos_str(k->d, old->pos, where, sizeof where));
        return false;
    }
    return true;
}

/* A kind ending in "List" with an `items` sequence is expanded into its items. */
static bool is_list(const ir_node *obj)
{
    if (obj->kind != IR_MAP) return false;
    const char *kind = ir_get_str(obj, "kind");
    if (!kind) return false;
    size_t n = strlen(kind);
    const ir_node *items = ir_map_get(obj, "items");
    return n >= 4 && !strcmp(kind + n - 4, "List") && items && (items->kind == IR_SEQ);
}

bool kz_load_file(kz_ctx *k, const char *path, diag_pos where, ir_resset *out)
{
    char *text;
    size_t len;
    const char *err;
    if (!src_read(k->src, k->a, path, &text, &len, &err)) {
        diag_error(k->d, where, "%s", err);
        return false;
    }
    uint32_t file = diag_file_add(k->d, path, text, len);
    ky_opts o = {.flavor = KY_V3};
    ky_docs docs;
    if (!ky_load(k->a, k->d, file, text, len, &o, &docs)) return false;
    bool ok = true;
    for (size_t i = 0; i < docs.n; i++) {
        ir_node *obj = docs.docs[i];
        if (is_list(obj)) {
            ir_node *items = ir_map_get(obj, "items");
            for (size_t j = 0; j < items->seq.n; j++)
                ok = add_object(k, items->seq.items[j], items->seq.items[j]->pos, out) && ok;
            continue;
        }
        ok = add_object(k, obj, docs.pos[i].line ? obj->pos : docs.pos[i], out) && ok;
    }
    return ok;
}

static bool is_manifest_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml")) ||
           (l > 5 && !strcmp(n + l - 5, ".json"));
}

typedef struct pathlist {
    char **v;
    size_t n, cap;
} pathlist;

static bool collect(kz_ctx *k, const char *dir, pathlist *pl)
{
    char **names;
    size_t n;
    const char *err;
    if (!src_list(k->src, k->a, dir, &names, &n, &err)) {
        diag_error(k->d, diag_nopos, "%s", err);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (names[i][0] == '.') continue;
        char *p = src_join(k->a, dir, names[i]);
        src_kind kind = src_stat(k->src, p);
        bool amb = false;
        if (kind == SRC_DIR && (kz_find_file(k, p, diag_nopos, &amb) || amb)) {
            /* a directory with its own kustomization is built as one, as Flux does */
            if (amb) return false;
            if (pl->n == pl->cap) {
                pl->cap = pl->cap ? pl->cap * 2 : 64;
                pl->v = util_xrealloc(pl->v, pl->cap * sizeof *pl->v);
            }
            pl->v[pl->n++] = p;
        } else if (kind == SRC_DIR) {
            if (!collect(k, p, pl)) return false;
        } else if (kind == SRC_FILE && is_manifest_name(names[i])) {
            if (pl->n == pl->cap) {
                pl->cap = pl->cap ? pl->cap * 2 : 64;
                pl->v = util_xrealloc(pl->v, pl->cap * sizeof *pl->v);
            }
            pl->v[pl->n++] = p;
        }
    }
    return true;
}

static int cmp_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool kz_build_plain(kz_ctx *k, const char *dir, ir_resset *out)
{
    pathlist pl = {0};
    bool ok = collect(k, dir, &pl);
    if (ok) qsort(pl.v, pl.n, sizeof *pl.v, cmp_paths);
    for (size_t i = 0; ok && i < pl.n; i++) {
        ir_resset sub;
        ir_resset_init(&sub);
        if (src_stat(k->src, pl.v[i]) == SRC_DIR)
            ok = kz_build_nested(k, pl.v[i], &sub, diag_nopos) && kz_append_all(k, out, &sub);
        else
            ok = kz_load_file(k, pl.v[i], diag_nopos, &sub) && kz_append_all(k, out, &sub);
        ir_resset_free(&sub);
    }
    free(pl.v);
    return ok;
}

/* Annotations kustomize uses internally and removes from its output. */
static const char *const internal_annotations[] = {
    "internal.config.kubernetes.io/previousKinds",
    "internal.config.kubernetes.io/previousNames",
    "internal.config.kubernetes.io/prefixes",
    "internal.config.kubernetes.io/suffixes",
    "internal.config.kubernetes.io/previousNamespaces",
    "internal.config.kubernetes.io/allowNameChange",
    "internal.config.kubernetes.io/allowKindChange",
    "internal.config.kubernetes.io/refBy",
    "internal.config.kubernetes.io/generatorBehavior",
    "internal.config.kubernetes.io/needsHashSuffix",
    "internal.config.kubernetes.io/path",
    "internal.config.kubernetes.io/index",
    "internal.config.kubernetes.io/seqindent",
    "internal.config.kubernetes.io/id",
    "internal.config.kubernetes.io/annotations-migration-resource-id",
    "config.kubernetes.io/path",
    "config.kubernetes.io/index",
    "config.k8s.io/id",
    "config.kubernetes.io/origin",
    "alpha.config.kubernetes.io/transformations",
};

bool kz_finalize(kz_ctx *k, ir_resset *set)
{
    bool ok = true;
    for (size_t i = 0; i < set->n; i++) {
        ir_node *md = ir_map_get(set->items[i]->obj, "metadata");
        if (!md || md->kind != IR_MAP) continue;
        ir_node *an = ir_map_get(md, "annotations");
        kz_resx *rx = set->items[i]->fe;
        if (!an && rx &&
            ((k->emit_origin && rx->origin) || (k->emit_transformations && rx->transformations))) {
            an = ir_map(k->a, md->pos);
            ir_map_set(k->a, md, "annotations", an);
        }
        if (!an) continue;
        if (an->kind != IR_MAP) {
            if (an->kind == IR_SCALAR && an->tag == IR_TAG_NULL) {
                ir_map_remove(md, "annotations");
                continue;
            }
            diag_error(k->d, an->pos, "metadata.annotations must be a mapping of strings");
            ok = false;
            continue;
        }
        for (size_t j = 0; j < sizeof internal_annotations / sizeof *internal_annotations; j++)
            ir_map_remove(an, internal_annotations[j]);
        kz_resx *x = set->items[i]->fe;
        if (x && k->emit_origin && x->origin)
            ir_map_set(k->a, an, "config.kubernetes.io/origin", ir_str(k->a, x->origin, an->pos));
        if (x && k->emit_transformations && x->transformations)
            ir_map_set(k->a, an, "alpha.config.kubernetes.io/transformations",
                       ir_str(k->a, x->transformations, an->pos));
        if (an->map.n == 0) {
            ir_map_remove(md, "annotations");
            continue;
        }
        for (size_t j = 0; j < an->map.n; j++) {
            ir_node *key = an->map.items[j].key, *val = an->map.items[j].val;
            ky_value kv;
            if (ky_resolve(KY_V3, key->sc.s, key->sc.n, &kv) != KY_STR) {
                diag_error(k->d, key->pos,
                           "annotation key `%s` reads back as a %s once kustomize rewrites "
                           "annotations; kustomize fails on it",
                           key->sc.s,
                           kv.kind == KY_BOOL   ? "boolean"
                           : kv.kind == KY_NULL ? "null"
                                                : "number");
                ok = false;
                continue;
            }
            key->tag = IR_TAG_STR;
            if (val->kind != IR_SCALAR) {
                diag_error(k->d, val->pos, "annotation '%s' must be a string", key->sc.s);
                ok = false;
                continue;
            }
            val->tag = IR_TAG_STR;
            val->flags = 0;
        }
    }
    return ok;
}
