/* A kustomization as kustomize's KustTarget builds it: resources, configurations, generators,
 * components, then the transformers in kustomize's fixed order; at the root, hash suffixes and
 * name references. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kustomize/kz_int.h"
#include "template/chart.h"
#include "yaml/yaml.h"

typedef struct target {
    kz_ctx *k;
    const char *dir;
    ir_node *kz;    /* the kustomization document */
    ir_resset *set; /* the accumulated objects (shared with the parent for components) */
    kz_tconfig *tc; /* the accumulated transformer configuration */
    bool component;
} target;

static bool kz_run(kz_ctx *k, const char *dir, ir_resset *set, kz_tconfig *tc, kz_sort *sort,
                   bool component, diag_pos where);

static const ir_node *field(const target *t, const char *name)
{
    const ir_node *v = ir_map_get(t->kz, name);
    if (v && v->kind == IR_SCALAR && v->tag == IR_TAG_NULL) return NULL;
    return v;
}

static bool want_kind(target *t, const ir_node *v, ir_kind kind, const char *name)
{
    if (v->kind == kind) return true;
    diag_error(t->k->d, v->pos, "'%s' must be a %s", name,
               kind == IR_SEQ   ? "list"
               : kind == IR_MAP ? "mapping"
                                : "string");
    return false;
}

static bool looks_remote(const char *s)
{
    return strstr(s, "://") || !strncmp(s, "github.com/", 11) || !strncmp(s, "git@", 4) ||
           !strncmp(s, "gitlab.com/", 11) || !strncmp(s, "bitbucket.org/", 14);
}

static bool push_dir(kz_ctx *k, const char *dir, diag_pos where)
{
    const char *real = src_realdir(k->src, dir);
    const char *key = real ? real : dir;
    for (size_t i = 0; i < k->depth; i++)
        if (!strcmp(k->stack[i], key)) {
            diag_error(k->d, where, "cycle detected: '%s' includes itself", dir);
            return false;
        }
    if (k->depth == k->capstack) {
        k->capstack = k->capstack ? k->capstack * 2 : 8;
        k->stack =
            ar_realloc(k->a, k->stack, k->depth * sizeof *k->stack, k->capstack * sizeof *k->stack);
    }
    k->stack[k->depth++] = key;
    return true;
}

/* Reads a file relative to the kustomization, honouring the load restrictor. */
static bool read_rel(target *t, const ir_node *ref, const char *rel, char **path, char **text,
                     size_t *len)
{
    kz_ctx *k = t->k;
    *path = src_join(k->a, t->dir, rel);
    if (!k->load_none && !src_is_within(t->dir, *path)) {
        diag_error(k->d, ref->pos,
                   "security: file '%s' is not in or below '%s' (use --load-restrictor "
                   "LoadRestrictionsNone to allow)",
                   *path, t->dir);
        return false;
    }
    const char *err;
    if (!src_read(k->src, k->a, *path, text, len, &err)) {
        diag_error(k->d, ref->pos, "%s", err);
        return false;
    }
    return true;
}

/* Loads the YAML documents of a file named in the kustomization. */
static bool load_rel_docs(target *t, const ir_node *ref, const char *rel, ky_docs *docs)
{
    char *path, *text;
    size_t len;
    if (!read_rel(t, ref, rel, &path, &text, &len)) return false;
    uint32_t file = diag_file_add(t->k->d, path, text, len);
    ky_opts o = {.flavor = KY_V3};
    return ky_load(t->k->a, t->k->d, file, text, len, &o, docs);
}

/* Moves positions of nodes parsed from an inline block scalar onto the kustomization file. */
static void shift_pos(ir_node *n, uint32_t file, uint32_t dline, uint32_t dcol)
{
    n->pos.file = file;
    n->pos.line += dline;
    n->pos.col += dcol;
    if (n->kind == IR_MAP)
        for (size_t i = 0; i < n->map.n; i++) {
            shift_pos(n->map.items[i].key, file, dline, dcol);
            shift_pos(n->map.items[i].val, file, dline, dcol);
        }
    else if (n->kind == IR_SEQ)
        for (size_t i = 0; i < n->seq.n; i++)
            shift_pos(n->seq.items[i], file, dline, dcol);
}

/* Loads YAML text given inline in the kustomization (a patch). For block scalars (`patch: |`)
 * the positions are mapped back into the kustomization file, so errors point at the right line. */
static bool load_inline_docs(target *t, const ir_node *n, ky_docs *docs)
{
    kz_ctx *k = t->k;
    char *label = ar_printf(k->a, "%s (inline patch at line %u)", diag_file_path(k->d, n->pos.file),
                            n->pos.line);
    uint32_t file = diag_file_add(k->d, label, n->sc.s, n->sc.n);
    ky_opts o = {.flavor = KY_V3};
    if (!ky_load(k->a, k->d, file, n->sc.s, n->sc.n, &o, docs)) return false;
    const diag_file *src = n->pos.file < k->d->nfiles ? &k->d->files[n->pos.file] : NULL;
    if ((n->style == IR_STYLE_LITERAL || n->style == IR_STYLE_FOLDED) && src && src->text) {
        /* the block's content starts on the line after the indicator; its indentation is that of
         * the first non-empty content line */
        const char *p = src->text, *end = src->text + src->len;
        for (uint32_t l = 1; l <= n->pos.line && p < end; l++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
        }
        uint32_t indent = 0;
        while (p + indent < end && p[indent] == ' ')
            indent++;
        for (size_t i = 0; i < docs->n; i++)
            shift_pos(docs->docs[i], n->pos.file, n->pos.line, indent);
    }
    return true;
}

static const char *const f_generator[];

/* ---- buildMetadata: origin and transformer annotations ---- */

static const char *origin_join(kz_ctx *k, const char *name)
{
    const char *base = k->origin_path ? k->origin_path : "";
    return *base ? src_clean(k->a, ar_printf(k->a, "%s/%s", base, name)) : src_clean(k->a, name);
}

static const char *kust_file_name(target *t)
{
    const char *f = diag_file_path(t->k->d, t->kz->pos.file);
    const char *slash = strrchr(f, '/');
    return slash ? slash + 1 : f;
}

/* The YAML kustomize writes for a builtin plugin's origin (configuredIn/configuredBy). */
static const char *builtin_origin(target *t, const char *kind, const char *indent)
{
    return ar_printf(t->k->a,
                     "%sconfiguredIn: %s\n%sconfiguredBy:\n%s  apiVersion: builtin\n%s  kind: %s\n",
                     "", origin_join(t->k, kust_file_name(t)), indent, indent, indent, kind);
}

/* An origin naming the configuration that ran: configuredIn plus configuredBy's fields. */
static const char *plugin_origin(kz_ctx *k, const char *in, const char *av, const char *kind,
                                 const char *name, const char *ns, const char *indent)
{
    return ar_printf(
        k->a,
        "configuredIn: %s\n%sconfiguredBy:\n%s  apiVersion: %s\n%s  kind: %s\n%s%s%s%s%s%s%s%s", in,
        indent, indent, av, indent, kind, name ? indent : "", name ? "  name: " : "",
        name ? name : "", name ? "\n" : "", ns ? indent : "", ns ? "  namespace: " : "",
        ns ? ns : "", ns ? "\n" : "");
}

/* After a transformer ran: objects without an origin are taken as its output, the others record
 * it as a transformation. */
static void note_origin(target *t, const char *in, const char *av, const char *kind,
                        const char *name, const char *ns)
{
    kz_ctx *k = t->k;
    if (!k->track_origin) return;
    for (size_t i = 0; i < t->set->n; i++) {
        kz_resx *x = kz_resx_of(k, t->set->items[i]);
        if (!x->origin) {
            x->origin = plugin_origin(k, in, av, kind, name, ns, "");
        } else {
            const char *item = plugin_origin(k, in, av, kind, name, ns, "  ");
            x->transformations =
                ar_printf(k->a, "%s- %s", x->transformations ? x->transformations : "", item);
        }
    }
}

static void note_transformer(target *t, const char *kind)
{
    if (t->k->track_origin)
        note_origin(t, origin_join(t->k, kust_file_name(t)), "builtin", kind, NULL, NULL);
}

/* ---- resources ---- */

static bool accumulate(target *t, const ir_node *list)
{
    kz_ctx *k = t->k;
    bool ok = true;
    /* at the root, resource directories build in parallel; results are taken in list order */
    kz_prebuilt *pre = NULL;
    size_t ndirs = 0;
    if (k->jobs > 1 && k->depth == 1) {
        pre = util_xmalloc((list->seq.n + 1) * sizeof *pre);
        memset(pre, 0, (list->seq.n + 1) * sizeof *pre);
        for (size_t i = 0; i < list->seq.n; i++) {
            const char *s = ir_str_of(list->seq.items[i]);
            if (!s || !*s || looks_remote(s)) continue;
            char *path = src_join(k->a, t->dir, s);
            if (src_stat(k->src, path) != SRC_DIR) continue;
            pre[i].dir = path;
            pre[i].origin_path = origin_join(k, s);
            pre[i].where = list->seq.items[i]->pos;
            ndirs++;
        }
        if (ndirs < 4 || !kz_prebuild(k, pre, list->seq.n)) {
            kz_prebuilt_free(pre, list->seq.n);
            free(pre);
            pre = NULL;
        }
    }
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const char *s = ir_str_of(e);
        if (pre && pre[i].dir) {
            kz_prebuilt_adopt(k, &pre[i]);
            bool sub_ok = pre[i].ok;
            for (size_t a = 0; sub_ok && a < pre[i].tc.nvars; a++)
                for (size_t b = 0; b < t->tc->nvars; b++)
                    if (!strcmp(pre[i].tc.vars[a].name, t->tc->vars[b].name)) {
                        diag_error(k->d, e->pos, "var '%s' already encountered (merging from '%s')",
                                   pre[i].tc.vars[a].name, s);
                        sub_ok = false;
                        break;
                    }
            if (sub_ok) kz_tconfig_merge(k, t->tc, &pre[i].tc);
            ok = sub_ok && kz_append_all(k, t->set, &pre[i].set) && ok;
            continue;
        }
        if (!s || !*s) {
            diag_error(k->d, e->pos, "resources entries must be non-empty strings");
            ok = false;
            continue;
        }
        if (looks_remote(s)) {
            diag_error(k->d, e->pos, "remote resource '%s' refused: kiln builds offline", s);
            ok = false;
            continue;
        }
        char *path = src_join(k->a, t->dir, s);
        src_kind kind = src_stat(k->src, path);
        if (kind == SRC_MISSING) {
            diag_error(k->d, e->pos, "resource '%s' not found (looked for %s)", s, path);
            ok = false;
        } else if (kind == SRC_OTHER) {
            diag_error(k->d, e->pos,
                       "resource '%s' is outside the repository root or not a regular file", s);
            ok = false;
        } else if (kind == SRC_DIR) {
            ir_resset sub;
            ir_resset_init(&sub);
            kz_tconfig subtc;
            kz_sort ignored;
            const char *saved = k->origin_path;
            k->origin_path = origin_join(k, s);
            bool sub_ok = kz_run(k, path, &sub, &subtc, &ignored, false, e->pos);
            k->origin_path = saved;
            for (size_t a = 0; sub_ok && a < subtc.nvars; a++)
                for (size_t b = 0; b < t->tc->nvars; b++)
                    if (!strcmp(subtc.vars[a].name, t->tc->vars[b].name)) {
                        diag_error(k->d, e->pos, "var '%s' already encountered (merging from '%s')",
                                   subtc.vars[a].name, s);
                        sub_ok = false;
                        break;
                    }
            if (sub_ok) kz_tconfig_merge(k, t->tc, &subtc);
            ok = sub_ok && kz_append_all(k, t->set, &sub) && ok;
            ir_resset_free(&sub);
        } else {
            if (!k->load_none && !src_is_within(t->dir, path)) {
                diag_error(k->d, e->pos,
                           "security: file '%s' is not in or below '%s' (use --load-restrictor "
                           "LoadRestrictionsNone to allow)",
                           path, t->dir);
                ok = false;
                continue;
            }
            ir_resset sub;
            ir_resset_init(&sub);
            bool loaded = kz_load_file(k, path, e->pos, &sub);
            if (loaded && k->track_origin) {
                const char *o = ar_printf(k->a, "path: %s\n", origin_join(k, s));
                for (size_t j = 0; j < sub.n; j++)
                    kz_resx_of(k, sub.items[j])->origin = o;
            }
            ok = loaded && kz_append_all(k, t->set, &sub) && ok;
            ir_resset_free(&sub);
        }
    }
    if (pre) {
        kz_prebuilt_free(pre, list->seq.n);
        free(pre);
    }
    return ok;
}

/* ---- generators ---- */

static ir_res *find_by_any_id(ir_resset *set, const char *kind, const char *ns, const char *name)
{
    for (size_t i = 0; i < set->n; i++) {
        ir_res *r = set->items[i];
        if (strcmp(r->id.kind, kind)) continue;
        kz_prev o = kz_org_id(r);
        bool nsok =
            !strcmp(r->id.ns, ns) || !strcmp(o.ns, ns) || (!*ns && !strcmp(o.ns, "default"));
        if (nsok && (!strcmp(r->id.name, name) || !strcmp(o.name, name))) return r;
    }
    return NULL;
}

static void merge_string_map(kz_ctx *k, ir_node *dst_parent, const char *key, const ir_node *src)
{
    if (!src || src->kind != IR_MAP) return;
    ir_node *dst = ir_map_get(dst_parent, key);
    if (!dst || dst->kind != IR_MAP) {
        ir_map_set(k->a, dst_parent, key, ir_clone(k->a, src));
        return;
    }
    for (size_t i = 0; i < src->map.n; i++)
        ir_map_set(k->a, dst, src->map.items[i].key->sc.s, ir_clone(k->a, src->map.items[i].val));
}

/* Runs one generator list (configMapGenerator or secretGenerator entries) into the set. */
static bool add_generated(target *t, const ir_node *list, bool secret, const ir_node *opts,
                          const char *origin)
{
    kz_ctx *k = t->k;
    for (size_t i = 0; i < list->seq.n; i++) {
        ir_node *obj;
        const char *behavior = "create";
        bool needs_hash = false;
        if (!kz_generate(k, t->dir, list->seq.items[i], secret, opts, &obj, &behavior, &needs_hash))
            return false;
        ir_res *r;
        if (!ir_res_make(k->a, k->d, obj, list->seq.items[i]->pos, &r)) return false;
        kz_resx *x = kz_resx_of(k, r);
        x->generated = true;
        x->needs_hash = needs_hash;
        x->behavior = behavior;
        if (k->track_origin)
            x->origin =
                origin ? origin
                       : builtin_origin(t, secret ? "SecretGenerator" : "ConfigMapGenerator", "");
        ir_res *old = find_by_any_id(t->set, r->id.kind, r->id.ns, r->id.name);
        if (!strcmp(behavior, "create")) {
            if (old) {
                diag_error(k->d, list->seq.items[i]->pos,
                           "cannot add generated %s '%s': an object with that id already exists "
                           "(use behavior: merge or replace)",
                           r->id.kind, r->id.name);
                return false;
            }
            if (ir_resset_add(t->set, r)) return false;
            continue;
        }
        if (!old) {
            diag_error(k->d, list->seq.items[i]->pos,
                       "id %s %s/%s does not exist; cannot merge or replace", r->id.kind, r->id.ns,
                       r->id.name);
            return false;
        }
        /* merge or replace into the existing object, keeping its name and history */
        kz_resx *ox = kz_resx_of(k, old);
        ir_node *md_old = ir_map_get(old->obj, "metadata");
        ir_node *md_new = ir_map_get(r->obj, "metadata");
        if (!strcmp(behavior, "replace")) {
            ir_map_set(k->a, r->obj, "metadata", ir_clone(k->a, md_old));
            old->obj = r->obj;
            if (x->origin) ox->origin = x->origin;
        } else {
            const char *keys[] = {"data", "binaryData", "stringData"};
            for (int j = 0; j < 3; j++)
                merge_string_map(k, old->obj, keys[j], ir_map_get(r->obj, keys[j]));
            merge_string_map(k, md_old, "labels", ir_map_get(md_new, "labels"));
            merge_string_map(k, md_old, "annotations", ir_map_get(md_new, "annotations"));
        }
        ox->needs_hash = ox->needs_hash && needs_hash;
        ox->generated = true;
    }
    return true;
}

static bool run_generators(target *t)
{
    const ir_node *opts = field(t, "generatorOptions");
    const char *names[] = {"configMapGenerator", "secretGenerator"};
    for (int g = 0; g < 2; g++) {
        const ir_node *list = field(t, names[g]);
        if (!list) continue;
        if (!want_kind(t, list, IR_SEQ, names[g])) return false;
        if (!add_generated(t, list, g == 1, opts, NULL)) return false;
    }
    return true;
}

/* ---- helmCharts: charts rendered natively, as kustomize's HelmChartInflationGenerator runs
 * `helm template` ---- */

/* kyaml's merge of values: src's maps merged into dst recursively, other values replaced. */
static ir_node *helm_merge(arena *a, const ir_node *dst, const ir_node *src)
{
    if (!dst || dst->kind != IR_MAP || !src || src->kind != IR_MAP)
        return ir_clone(a, src ? src : dst);
    ir_node *out = ir_clone(a, dst);
    for (size_t i = 0; i < src->map.n; i++) {
        const char *key = src->map.items[i].key->sc.s;
        ir_map_set(a, out, key, helm_merge(a, ir_map_get(out, key), src->map.items[i].val));
    }
    return out;
}

/* Values written by kyaml and read back by helm: keys stay text, numbers become float64. */
const tpl_val *kz_helm_values(arena *a, const ir_node *n)
{
    if (n && n->kind == IR_MAP) {
        tpl_val *m = tpl_map_new(a, NULL);
        for (size_t i = 0; i < n->map.n; i++) {
            const ir_node *k = n->map.items[i].key;
            tpl_map_set(a, m->map, k->sc.s, k->sc.n, kz_helm_values(a, n->map.items[i].val));
        }
        return m;
    }
    if (n && n->kind == IR_SEQ) {
        const tpl_val **items = ar_alloc(a, (n->seq.n ? n->seq.n : 1) * sizeof *items);
        for (size_t i = 0; i < n->seq.n; i++)
            items[i] = kz_helm_values(a, n->seq.items[i]);
        return tpl_list(a, items, n->seq.n, NULL);
    }
    if (n && n->kind == IR_SCALAR && n->tag == IR_TAG_TIMESTAMP) /* helm reads dates as text */
        return tpl_str(a, n->sc.s, n->sc.n);
    return tpl_from_ir(a, n, TPL_IR_FLOAT);
}

static bool helm_values_file(target *t, const ir_node *where, const char *path, tpl_map **out)
{
    kz_ctx *k = t->k;
    char *text;
    size_t len;
    const char *err;
    if (!src_read(k->src, k->a, path, &text, &len, &err)) {
        diag_error(k->d, where->pos, "%s", err);
        return false;
    }
    diag_file_add(k->d, path, text, len);
    if (!chart_values_parse(k->a, text, len, out, &err)) {
        diag_error(k->d, where->pos, "failed to parse %s: %s", path, err);
        return false;
    }
    return true;
}

static bool helm_one(target *t, const ir_node *e, const char *home)
{
    kz_ctx *k = t->k;
    arena *a = k->a;
    if (!want_kind(t, e, IR_MAP, "helmCharts entry")) return false;
    const char *name = ir_get_str(e, "name");
    if (!name) {
        diag_error(k->d, e->pos, "helmCharts: an entry needs a chart name");
        return false;
    }
    const char *version = ir_get_str(e, "version"), *repo = ir_get_str(e, "repo");
    const char *base = src_join(a, t->dir, home);
    if (version && repo) base = src_join(a, base, ar_printf(a, "%s-%s", name, version));
    const char *dir = src_join(a, base, name);
    if (src_stat(k->src, dir) != SRC_DIR) {
        diag_error(k->d, e->pos,
                   "helm chart '%s' not found at '%s': kiln builds offline, so the chart must be "
                   "present under the chart home",
                   name, dir);
        return false;
    }
    /* values: the values file (default the chart's), valuesInline merged per valuesMerge */
    const char *vf = ir_get_str(e, "valuesFile");
    const char *vrel = vf;
    if (!vrel) {
        vrel = home;
        if (version && repo) vrel = src_join(a, vrel, ar_printf(a, "%s-%s", name, version));
        vrel = src_join(a, src_join(a, vrel, name), "values.yaml");
    }
    const char *vpath = src_join(a, t->dir, vrel);
    const ir_node *inl = ir_map_get(e, "valuesInline");
    tpl_map *vals = tpl_map_new(a, NULL)->map;
    bool have_file = src_stat(k->src, vpath) == SRC_FILE;
    if (!have_file) { /* kustomize's generator refuses a chart without its values file */
        diag_error(k->d, vf ? ir_map_get(e, "valuesFile")->pos : e->pos,
                   "helm chart '%s': values file '%s' not found", name, vpath);
        return false;
    }
    if (inl && inl->kind == IR_MAP && inl->map.n) {
        const char *mode = ir_get_str(e, "valuesMerge");
        ir_node *fv = NULL;
        if (!mode || strcmp(mode, "replace")) {
            if (have_file) {
                ky_docs docs;
                if (!load_rel_docs(t, e, vrel, &docs)) return false;
                fv = docs.n ? docs.docs[0] : NULL;
            }
        }
        ir_node *merged;
        if (mode && !strcmp(mode, "merge"))
            merged = helm_merge(a, inl, fv);
        else if (mode && strcmp(mode, "override") && strcmp(mode, "replace")) {
            diag_error(k->d, ir_map_get(e, "valuesMerge")->pos,
                       "valuesMerge must be override, merge or replace");
            return false;
        } else
            merged = fv ? helm_merge(a, fv, inl) : (ir_node *)inl;
        const tpl_val *mv = kz_helm_values(a, merged);
        if (mv->kind == TPL_MAP) vals = mv->map;
    } else if (have_file) {
        if (!helm_values_file(t, e, vpath, &vals)) return false;
    }
    const ir_node *more = ir_map_get(e, "additionalValuesFiles");
    if (more && more->kind == IR_SEQ)
        for (size_t i = 0; i < more->seq.n; i++) {
            const char *f = ir_str_of(more->seq.items[i]);
            tpl_map *m;
            if (!f || !helm_values_file(t, more->seq.items[i], src_join(a, t->dir, f), &m))
                return false;
            vals = chart_merge_maps(a, vals, m);
        }
    chart_opts o = {0};
    o.release = ir_get_str(e, "releaseName");
    if (!o.release) o.release = "release-name";
    o.ns = ir_get_str(e, "namespace");
    o.kube_version = ir_get_str(e, "kubeVersion");
    const ir_node *b;
    o.include_crds = (b = ir_map_get(e, "includeCRDs")) && b->tag == IR_TAG_BOOL && b->sc.v.b;
    o.no_hooks = (b = ir_map_get(e, "skipHooks")) && b->tag == IR_TAG_BOOL && b->sc.v.b;
    o.skip_tests = (b = ir_map_get(e, "skipTests")) && b->tag == IR_TAG_BOOL && b->sc.v.b;
    const ir_node *apis = ir_map_get(e, "apiVersions");
    if (apis && apis->kind == IR_SEQ) {
        o.api_versions = ar_alloc(a, (apis->seq.n + 1) * sizeof *o.api_versions);
        for (size_t i = 0; i < apis->seq.n; i++)
            if (ir_str_of(apis->seq.items[i]))
                o.api_versions[o.napi_versions++] = ir_str_of(apis->seq.items[i]);
    }
    chart *c;
    if (!chart_load(a, k->d, dir, &c)) return false;
    buf_t out = {0};
    const char *err = NULL;
    diag_pos pos;
    if (!chart_render(a, k->d, c, vals, &o, &out, &err, &pos)) {
        buf_free(&out);
        diag_error(k->d, pos.file ? pos : e->pos, "helm chart '%s': %s", name, err);
        return false;
    }
    char *text = ar_strndup(a, out.data ? out.data : "", out.len);
    size_t len = out.len;
    buf_free(&out);
    uint32_t file = diag_file_add(k->d, ar_printf(a, "%s (rendered)", dir), text, len);
    ky_opts yo = {.flavor = KY_V3};
    ky_docs docs;
    if (!ky_load(a, k->d, file, text, len, &yo, &docs)) return false;
    for (size_t i = 0; i < docs.n; i++) {
        ir_node *obj = docs.docs[i];
        if (!obj || (obj->kind == IR_SCALAR && obj->tag == IR_TAG_NULL)) continue;
        ir_res *r;
        if (!ir_res_make(a, k->d, obj, docs.pos[i], &r)) return false;
        if (k->track_origin)
            kz_resx_of(k, r)->origin = builtin_origin(t, "HelmChartInflationGenerator", "");
        if (ir_resset_add(t->set, r)) {
            diag_error(k->d, docs.pos[i], "may not add resource with an already registered id: %s",
                       ir_id_str(a, &r->id));
            return false;
        }
    }
    return true;
}

static bool run_helm(target *t)
{
    const ir_node *list = field(t, "helmCharts");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "helmCharts")) return false;
    const ir_node *g = field(t, "helmGlobals");
    const char *home = g ? ir_get_str(g, "chartHome") : NULL;
    if (!home) home = "charts";
    for (size_t i = 0; i < list->seq.n; i++)
        if (!helm_one(t, list->seq.items[i], home)) return false;
    return true;
}

/* ---- patch targets ---- */

typedef struct selector {
    pcre2_code *group, *version, *kind, *name, *ns;
    const char *labels, *annotations;
} selector;

static pcre2_code *anchored(target *t, const ir_node *sel, const char *key)
{
    const char *pat = ir_str_of(ir_map_get(sel, key));
    if (!pat || !*pat) return NULL;
    char *full = ar_printf(t->k->a, "^(?:%s)$", pat);
    int err;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)full, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    if (!re)
        diag_error(t->k->d, ir_map_get(sel, key)->pos,
                   "invalid regular expression '%s' in patch target", pat);
    return re;
}

static bool re_match(pcre2_code *re, const char *s)
{
    if (!re) return true;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) util_oom();
    int rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    return rc >= 0;
}

static void selector_free(selector *s)
{
    pcre2_code_free(s->group);
    pcre2_code_free(s->version);
    pcre2_code_free(s->kind);
    pcre2_code_free(s->name);
    pcre2_code_free(s->ns);
}

/* One Kubernetes label selector requirement list ("a=b,c!=d,e in (x,y),!f,g") against a map. */
bool kz_labels_match(kz_ctx *k, const char *sel, const ir_node *labels)
{
    if (!sel || !*sel) return true;
    char *s = ar_strdup(k->a, sel);
    char *save = NULL;
    /* split on commas outside parentheses */
    int depth = 0;
    for (char *p = s; *p; p++) {
        if (*p == '(') depth++;
        if (*p == ')') depth--;
        if (*p == ',' && !depth) *p = '\x1f';
    }
    for (char *req = strtok_r(s, "\x1f", &save); req; req = strtok_r(NULL, "\x1f", &save)) {
        while (*req == ' ')
            req++;
        char *end = req + strlen(req);
        while (end > req && end[-1] == ' ')
            *--end = 0;
        bool neg_exists = req[0] == '!';
        char *in = strstr(req, " in ");
        char *notin = strstr(req, " notin ");
        char *ne = strstr(req, "!=");
        char *eq = strchr(req, '=');
        if (neg_exists) {
            if (ir_map_get(labels, req + 1)) return false;
        } else if (in || notin) {
            char *key = req;
            char *rest = in ? in + 4 : notin + 7;
            *(in ? in : notin) = 0;
            char *open = strchr(rest, '('), *close = strrchr(rest, ')');
            if (!open || !close) return false;
            *close = 0;
            const char *v = ir_str_of(ir_map_get(labels, key));
            bool found = false;
            for (char *item = strtok_r(open + 1, ",", &save); item && v;
                 item = strtok_r(NULL, ",", &save)) {
                while (*item == ' ')
                    item++;
                char *ie = item + strlen(item);
                while (ie > item && ie[-1] == ' ')
                    *--ie = 0;
                if (!strcmp(item, v)) found = true;
            }
            if (in ? !found : found) return false;
            break; /* strtok_r state was reused: one set-based requirement per selector */
        } else if (ne) {
            *ne = 0;
            const char *v = ir_str_of(ir_map_get(labels, req));
            if (v && !strcmp(v, ne + 2)) return false;
        } else if (eq) {
            *eq = 0;
            const char *want = eq[1] == '=' ? eq + 2 : eq + 1;
            const char *v = ir_str_of(ir_map_get(labels, req));
            if (!v || strcmp(v, want)) return false;
        } else {
            if (!ir_map_get(labels, req)) return false;
        }
    }
    return true;
}

static bool selected(target *t, const selector *s, ir_res *r)
{
    kz_prev o = kz_org_id(r);
    const char *cur_ns = kz_cluster_scoped(&r->id) ? "" : (*r->id.ns ? r->id.ns : "default");
    const char *org_ns = *o.ns ? o.ns : cur_ns;
    if (s->ns && !re_match(s->ns, org_ns) && !re_match(s->ns, cur_ns)) return false;
    if (s->name && !re_match(s->name, o.name) && !re_match(s->name, r->id.name)) return false;
    if (s->group && !re_match(s->group, r->id.group)) return false;
    if (s->version && !re_match(s->version, r->id.version)) return false;
    if (s->kind && !re_match(s->kind, r->id.kind)) return false;
    const ir_node *md = ir_map_get(r->obj, "metadata");
    if (!kz_labels_match(t->k, s->labels, ir_map_get(md, "labels"))) return false;
    if (!kz_labels_match(t->k, s->annotations, ir_map_get(md, "annotations"))) return false;
    return true;
}

static bool selector_make(target *t, const ir_node *sel, selector *s)
{
    memset(s, 0, sizeof *s);
    if (sel->kind != IR_MAP) {
        diag_error(t->k->d, sel->pos, "a patch target must be a mapping");
        return false;
    }
    s->group = anchored(t, sel, "group");
    s->version = anchored(t, sel, "version");
    s->kind = anchored(t, sel, "kind");
    s->name = anchored(t, sel, "name");
    s->ns = anchored(t, sel, "namespace");
    s->labels = ir_str_of(ir_map_get(sel, "labelSelector"));
    s->annotations = ir_str_of(ir_map_get(sel, "annotationSelector"));
    return t->k->d->errors == 0;
}

/* ---- patches ---- */

static bool smp_one(target *t, ir_res *r, const ir_node *patch, bool allow_name, bool allow_kind)
{
    kz_ctx *k = t->k;
    const char *name = r->id.name, *ns = r->id.ns, *kind = r->id.kind;
    if (allow_name || allow_kind) kz_store_previous_id(k, r);
    bool deleted = false;
    if (!kz_smp_apply(k, r->obj, patch, &r->id, &deleted)) return false;
    if (deleted) {
        for (size_t i = 0; i < t->set->n; i++)
            if (t->set->items[i] == r) {
                ir_resset_remove_at(t->set, i);
                break;
            }
        return true;
    }
    /* kind and name come back unless the patch may change them (then the patch's own win) */
    ir_node *md = ir_map_get(r->obj, "metadata");
    const char *pkind = patch->kind == IR_MAP ? ir_get_str(patch, "kind") : NULL;
    const char *pname =
        patch->kind == IR_MAP ? ir_get_str(ir_map_get(patch, "metadata"), "name") : NULL;
    ir_map_set(k->a, r->obj, "kind", ir_str(k->a, allow_kind && pkind ? pkind : kind, r->obj->pos));
    if (md && md->kind == IR_MAP) {
        ir_map_set(k->a, md, "name", ir_str(k->a, allow_name && pname ? pname : name, md->pos));
        if (*ns)
            ir_map_set(k->a, md, "namespace", ir_str(k->a, ns, md->pos));
        else
            ir_map_remove(md, "namespace");
    }
    ir_res_refresh_id(k->a, r);
    return true;
}

/* kustomize reads these patches as resources, which rebuilds metadata.labels and annotations as
 * string maps: values become their text (null is "null"), a null map is dropped. */
static void patch_meta_strings(kz_ctx *k, ir_node *patch)
{
    ir_node *md = patch->kind == IR_MAP ? ir_map_get(patch, "metadata") : NULL;
    if (!md || md->kind != IR_MAP) return;
    const char *fields[] = {"labels", "annotations"};
    for (int f = 0; f < 2; f++) {
        ir_node *m = ir_map_get(md, fields[f]);
        if (!m) continue;
        if (m->kind != IR_MAP) {
            ir_map_remove(md, fields[f]);
            continue;
        }
        for (size_t i = 0; i < m->map.n; i++) {
            ir_node *v = m->map.items[i].val;
            if (v->kind != IR_SCALAR) continue;
            const char *text = v->tag == IR_TAG_NULL && !v->sc.n ? "" : v->sc.s;
            m->map.items[i].val = ir_str(k->a, text, v->pos);
        }
    }
}

static bool is_json_patch(const ky_docs *docs)
{
    return (docs->n == 1 && docs->docs[0]->kind == IR_SEQ) || docs->n == 0;
}

/* One patch (SMP documents or a JSON 6902 list) applied to a target selector or by its own id. */
static bool apply_patch(target *t, const ir_node *where, const ky_docs *docs, const ir_node *sel,
                        bool allow_name, bool allow_kind, bool json_only)
{
    kz_ctx *k = t->k;
    if (is_json_patch(docs)) {
        if (docs->n == 0 && sel) return true; /* an empty patch changes nothing */
        if (!sel) {
            diag_error(k->d, where->pos, "a JSON patch needs a 'target'");
            return false;
        }
        selector s;
        bool ok = selector_make(t, sel, &s);
        for (size_t i = 0; ok && i < t->set->n; i++) {
            ir_res *r = t->set->items[i];
            if (!selected(t, &s, r)) continue;
            kz_store_previous_id(k, r);
            ok = kz_json6902_apply(k, &r->obj, docs->docs[0]);
            if (ok && !ir_res_refresh_id(k->a, r)) {
                diag_error(k->d, where->pos, "the JSON patch removed the object's kind or name");
                ok = false;
            }
        }
        selector_free(&s);
        if (ok) ir_resset_reindex(t->set);
        return ok;
    }
    if (json_only) {
        diag_error(k->d, where->pos,
                   "patchesJson6902 entries must hold a JSON patch (a list of operations)");
        return false;
    }
    if (sel) {
        if (docs->n > 1) {
            diag_error(k->d, where->pos,
                       "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to "
                       "set `patches.target` field");
            return false;
        }
        if (!docs->n) return true;
        selector s;
        bool ok = selector_make(t, sel, &s);
        /* select first: a patch may delete objects */
        ir_res **chosen = util_xmalloc((t->set->n + 1) * sizeof *chosen);
        size_t nc = 0;
        for (size_t i = 0; ok && i < t->set->n; i++)
            if (selected(t, &s, t->set->items[i])) chosen[nc++] = t->set->items[i];
        selector_free(&s);
        for (size_t i = 0; ok && i < nc; i++) {
            /* the patch takes the target's apiVersion and kind; its own name is ignored */
            ir_node *p = ir_clone(k->a, docs->docs[0]);
            patch_meta_strings(k, p);
            if (p->kind == IR_MAP) {
                ir_node *av = ir_map_get(chosen[i]->obj, "apiVersion");
                if (av) ir_map_set(k->a, p, "apiVersion", ir_clone(k->a, av));
                if (!ir_map_get(p, "kind"))
                    ir_map_set(k->a, p, "kind", ir_str(k->a, chosen[i]->id.kind, p->pos));
            }
            ok = smp_one(t, chosen[i], p, allow_name, allow_kind);
        }
        free(chosen);
        if (ok) ir_resset_reindex(t->set);
        return ok;
    }
    for (size_t d = 0; d < docs->n; d++) {
        ir_node *p = docs->docs[d];
        ir_res *pid;
        if (!ir_res_make(k->a, k->d, p, p->pos, &pid)) return false;
        ir_res *tgt = NULL;
        size_t matches = 0;
        for (size_t i = 0; i < t->set->n; i++) {
            ir_res *r = t->set->items[i];
            /* ResId.Equals: the group and version must be the same */
            bool g_ok =
                !strcmp(pid->id.group, r->id.group) && !strcmp(pid->id.version, r->id.version);
            /* the current id or any earlier one (GetMatchingResourcesByAnyId) */
            for (size_t q = 0, nids = kz_id_count(r); g_ok && q < nids; q++) {
                kz_prev id = kz_id_at(r, q);
                const char *ik = id.kind, *in = id.name, *ins = id.ns;
                if (strcmp(ik, pid->id.kind) || strcmp(in, pid->id.name)) continue;
                if (strcmp(*ins ? ins : "default", *pid->id.ns ? pid->id.ns : "default") &&
                    !(q > 0 && !*ins && !*pid->id.ns))
                    continue;
                tgt = r;
                matches++;
                break;
            }
        }
        if (matches != 1) {
            diag_error(k->d, p->pos,
                       matches ? "multiple objects match the patch %s (add a namespace or a target)"
                               : "no resource matches strategic merge patch %s",
                       ir_id_str(k->a, &pid->id));
            return false;
        }
        if (!smp_one(t, tgt, p, allow_name, allow_kind)) return false;
    }
    ir_resset_reindex(t->set);
    return true;
}

static bool option_flag(const ir_node *entry, const char *name)
{
    const ir_node *o = ir_map_get(ir_map_get(entry, "options"), name);
    return o && o->kind == IR_SCALAR && o->tag == IR_TAG_BOOL && o->sc.v.b;
}

static bool run_patches_sm(target *t)
{
    const ir_node *list = field(t, "patchesStrategicMerge");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "patchesStrategicMerge")) return false;
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const char *s = ir_str_of(e);
        if (!s) {
            diag_error(t->k->d, e->pos,
                       "patchesStrategicMerge entries must be file names or inline patches");
            return false;
        }
        ky_docs docs;
        /* an entry is a file name, or (if it does not name a file) the patch itself */
        char *path = src_join(t->k->a, t->dir, s);
        bool is_file = !strchr(s, '\n') && src_stat(t->k->src, path) == SRC_FILE;
        if (is_file ? !load_rel_docs(t, e, s, &docs) : !load_inline_docs(t, e, &docs)) return false;
        for (size_t d = 0; d < docs.n; d++)
            patch_meta_strings(t->k, docs.docs[d]);
        if (!apply_patch(t, e, &docs, NULL, false, false, false)) return false;
    }
    note_transformer(t, "PatchStrategicMergeTransformer");
    return true;
}

static bool run_patches(target *t)
{
    const ir_node *list = field(t, "patches");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "patches")) return false;
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        if (e->kind != IR_MAP) {
            diag_error(
                t->k->d, e->pos,
                "patches entries are mappings with 'path' or 'patch' and an optional 'target'");
            return false;
        }
        const ir_node *pn = ir_map_get(e, "patch"), *path = ir_map_get(e, "path");
        const char *ps = ir_str_of(pn), *pa = ir_str_of(path);
        if ((ps && *ps) == (pa && *pa)) {
            diag_error(t->k->d, e->pos,
                       (ps && *ps) ? "patch and path can't be set at the same time"
                                   : "must specify one of patch and path");
            return false;
        }
        ky_docs docs;
        if (ps && *ps ? !load_inline_docs(t, pn, &docs) : !load_rel_docs(t, path, pa, &docs))
            return false;
        const ir_node *sel = ir_map_get(e, "target");
        if (sel && sel->kind == IR_SCALAR && sel->tag == IR_TAG_NULL) sel = NULL;
        if (!apply_patch(t, e, &docs, sel, option_flag(e, "allowNameChange"),
                         option_flag(e, "allowKindChange"), false))
            return false;
        note_transformer(t, "PatchTransformer");
    }
    return true;
}

static bool run_patches_json(target *t)
{
    const ir_node *list = field(t, "patchesJson6902");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "patchesJson6902")) return false;
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const ir_node *pn = ir_map_get(e, "patch"), *path = ir_map_get(e, "path");
        const char *ps = ir_str_of(pn), *pa = ir_str_of(path);
        ky_docs docs;
        if (ps && *ps ? !load_inline_docs(t, pn, &docs)
                      : (pa ? !load_rel_docs(t, path, pa, &docs) : true))
            return false;
        if (!(ps && *ps) && !pa) {
            diag_error(t->k->d, e->pos, "must specify one of patch and path");
            return false;
        }
        if (!apply_patch(t, e, &docs, ir_map_get(e, "target"), false, false, true)) return false;
        note_transformer(t, "PatchJson6902Transformer");
    }
    return true;
}

/* ---- labels ---- */

static bool run_labels(target *t)
{
    kz_ctx *k = t->k;
    const ir_node *labels = field(t, "labels");
    if (labels) {
        if (!want_kind(t, labels, IR_SEQ, "labels")) return false;
        for (size_t i = 0; i < labels->seq.n; i++) {
            const ir_node *e = labels->seq.items[i];
            if (e->kind != IR_MAP) {
                diag_error(k->d, e->pos, "labels entries are mappings with 'pairs'");
                return false;
            }
            kz_fslist fs = {0};
            if (!kz_fslist_from_yaml(k, &fs, ir_map_get(e, "fields"))) return false;
            kz_fslist_merge(k, &fs, &t->tc->labels);
            const ir_node *sel = ir_map_get(e, "includeSelectors"),
                          *tpl = ir_map_get(e, "includeTemplates");
            bool include_sel = sel && sel->tag == IR_TAG_BOOL && sel->sc.v.b;
            bool include_tpl = tpl && tpl->tag == IR_TAG_BOOL && tpl->sc.v.b;
            if (include_sel) {
                kz_fslist_merge(k, &fs, &t->tc->common_labels);
            } else {
                if (include_tpl) kz_fslist_merge(k, &fs, &t->tc->template_labels);
                kz_fspec md = {.group = "",
                               .version = "",
                               .kind = "",
                               .path = "metadata/labels",
                               .create = true};
                kz_fslist_add(k, &fs, md);
            }
            if (!kz_tr_labels(k, t->set, &fs, ir_map_get(e, "pairs"), false)) return false;
            note_transformer(t, "LabelTransformer");
        }
    }
    const ir_node *common = field(t, "commonLabels");
    if (common && !want_kind(t, common, IR_MAP, "commonLabels")) return false;
    if (!kz_tr_labels(k, t->set, &t->tc->common_labels, common, false)) return false;
    if (common || labels) note_transformer(t, "LabelTransformer");
    return true;
}

/* ---- replacements ---- */

static bool run_replacements(target *t)
{
    const ir_node *list = field(t, "replacements");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "replacements")) return false;
    const ir_node **reps = util_xmalloc((list->seq.n + 1) * sizeof *reps);
    size_t n = 0, cap = list->seq.n + 1;
    bool ok = true;
    for (size_t i = 0; ok && i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const char *path = ir_str_of(ir_map_get(e, "path"));
        if (!path) {
            reps[n++] = e;
            continue;
        }
        ky_docs docs;
        if (!load_rel_docs(t, ir_map_get(e, "path"), path, &docs)) {
            ok = false;
            break;
        }
        for (size_t d = 0; d < docs.n; d++) {
            const ir_node *doc = docs.docs[d];
            size_t add = doc->kind == IR_SEQ ? doc->seq.n : 1;
            if (n + add >= cap) reps = util_xrealloc(reps, (cap = n + add + 8) * sizeof *reps);
            if (doc->kind == IR_SEQ)
                for (size_t j = 0; j < doc->seq.n; j++)
                    reps[n++] = doc->seq.items[j];
            else
                reps[n++] = doc;
        }
    }
    ok = ok && kz_tr_replacements(t->k, t->set, reps, n);
    if (ok) note_transformer(t, "ReplacementTransformer");
    free(reps);
    return ok;
}

/* ---- generators: and transformers: (kustomize's builtin plugin configurations) ---- */

static bool fslist_or(target *t, const ir_node *cfg, const kz_fslist *dflt, kz_fslist *out)
{
    const ir_node *fs = ir_map_get(cfg, "fieldSpecs");
    memset(out, 0, sizeof *out);
    if (!fs) {
        *out = *dflt;
        return true;
    }
    return kz_fslist_from_yaml(t->k, out, fs);
}

static bool run_plugin(target *t, ir_node *cfg)
{
    kz_ctx *k = t->k;
    const char *kind = ir_get_str(cfg, "kind");
    const char *av = ir_get_str(cfg, "apiVersion");
    if (!kind || !av || strcmp(av, "builtin")) {
        diag_error(k->d, cfg->pos,
                   "only kustomize's builtin plugins (apiVersion: builtin) are supported; kiln "
                   "runs no external plugins");
        return false;
    }
    kz_fslist fs;
    if (!strcmp(kind, "PrefixSuffixTransformer") || !strcmp(kind, "PrefixTransformer") ||
        !strcmp(kind, "SuffixTransformer")) {
        const char *pre = ir_get_str(cfg, "prefix"), *suf = ir_get_str(cfg, "suffix");
        bool ok = true;
        if (strcmp(kind, "SuffixTransformer")) {
            ok = fslist_or(t, cfg, &t->tc->name_prefix, &fs) &&
                 kz_tr_prefix_suffix(k, t->set, &fs, pre ? pre : "", false);
        }
        if (ok && strcmp(kind, "PrefixTransformer")) {
            ok = fslist_or(t, cfg, &t->tc->name_suffix, &fs) &&
                 kz_tr_prefix_suffix(k, t->set, &fs, suf ? suf : "", true);
        }
        if (ok && ir_resset_reindex(t->set)) {
            diag_error(k->d, cfg->pos, "name prefix/suffix produces conflicting ids");
            return false;
        }
        return ok;
    }
    if (!strcmp(kind, "LabelTransformer"))
        return fslist_or(t, cfg, &t->tc->common_labels, &fs) &&
               kz_tr_labels(k, t->set, &fs, ir_map_get(cfg, "labels"), false);
    if (!strcmp(kind, "AnnotationsTransformer"))
        return fslist_or(t, cfg, &t->tc->common_annotations, &fs) &&
               kz_tr_labels(k, t->set, &fs, ir_map_get(cfg, "annotations"), true);
    if (!strcmp(kind, "NamespaceTransformer")) {
        const char *ns = ir_get_str(ir_map_get(cfg, "metadata"), "namespace");
        return fslist_or(t, cfg, &t->tc->namespace, &fs) &&
               kz_tr_namespace(k, t->set, &fs, ns ? ns : "", cfg->pos);
    }
    if (!strcmp(kind, "ImageTagTransformer")) {
        const ir_node *img = ir_map_get(cfg, "imageTag");
        return img && fslist_or(t, cfg, &t->tc->images, &fs) && kz_tr_images(k, t->set, &fs, img);
    }
    if (!strcmp(kind, "ReplicaCountTransformer")) {
        const ir_node *rep = ir_map_get(cfg, "replica");
        return rep && fslist_or(t, cfg, &t->tc->replicas, &fs) &&
               kz_tr_replicas(k, t->set, &fs, rep);
    }
    if (!strcmp(kind, "PatchTransformer")) {
        const ir_node *pn = ir_map_get(cfg, "patch"), *path = ir_map_get(cfg, "path");
        const char *ps = ir_str_of(pn), *pa = ir_str_of(path);
        ky_docs docs;
        if ((ps && *ps) == (pa && *pa)) {
            diag_error(k->d, cfg->pos, "must specify one of patch and path");
            return false;
        }
        if (ps && *ps ? !load_inline_docs(t, pn, &docs) : !load_rel_docs(t, path, pa, &docs))
            return false;
        const ir_node *sel = ir_map_get(cfg, "target");
        return apply_patch(t, cfg, &docs, sel, option_flag(cfg, "allowNameChange"),
                           option_flag(cfg, "allowKindChange"), false);
    }
    if (!strcmp(kind, "PatchStrategicMergeTransformer")) {
        const ir_node *paths = ir_map_get(cfg, "paths"), *patches = ir_map_get(cfg, "patches");
        for (size_t i = 0; paths && paths->kind == IR_SEQ && i < paths->seq.n; i++) {
            ky_docs docs;
            const char *pa = ir_str_of(paths->seq.items[i]);
            if (!pa || !load_rel_docs(t, paths->seq.items[i], pa, &docs)) return false;
            if (!apply_patch(t, paths->seq.items[i], &docs, NULL, false, false, false))
                return false;
        }
        if (patches && ir_str_of(patches)) {
            ky_docs docs;
            if (!load_inline_docs(t, patches, &docs) ||
                !apply_patch(t, patches, &docs, NULL, false, false, false))
                return false;
        }
        return true;
    }
    if (!strcmp(kind, "PatchJson6902Transformer")) {
        const ir_node *path = ir_map_get(cfg, "path"), *op = ir_map_get(cfg, "jsonOp");
        ky_docs docs;
        if (op && ir_str_of(op)
                ? !load_inline_docs(t, op, &docs)
                : (!path || !ir_str_of(path) || !load_rel_docs(t, path, ir_str_of(path), &docs)))
            return false;
        return apply_patch(t, cfg, &docs, ir_map_get(cfg, "target"), false, false, true);
    }
    if (!strcmp(kind, "ReplacementTransformer")) {
        const ir_node *reps = ir_map_get(cfg, "replacements");
        if (!reps || reps->kind != IR_SEQ) return true;
        return kz_tr_replacements(k, t->set, (const ir_node *const *)reps->seq.items, reps->seq.n);
    }
    diag_error(k->d, cfg->pos, "builtin plugin kind '%s' is not supported by kiln yet", kind);
    return false;
}

/* kustomize's IAMPolicyGenerator (GKE workload identity): a ServiceAccount annotated with the
 * Google service account it acts as. */
static bool iam_policy(target *t, ir_node *cfg, const char *from)
{
    kz_ctx *k = t->k;
    const char *cloud = ir_get_str(cfg, "cloud");
    if (!cloud || strcmp(cloud, "gke")) {
        diag_error(k->d, cfg->pos, "IAMPolicyGenerator: cloud '%s' is not supported (only gke)",
                   cloud ? cloud : "");
        return false;
    }
    const ir_node *ks = ir_map_get(cfg, "kubernetesService"),
                  *sa = ir_map_get(cfg, "serviceAccount");
    const char *name = ir_get_str(ks, "name"), *ns = ir_get_str(ks, "namespace");
    const char *gsa = ir_get_str(sa, "name"), *project = ir_get_str(sa, "projectId");
    if (!name || !gsa || !project) {
        diag_error(k->d, cfg->pos,
                   "IAMPolicyGenerator needs kubernetesService.name, serviceAccount.name and "
                   "serviceAccount.projectId");
        return false;
    }
    ir_node *obj = ir_map(k->a, cfg->pos);
    ir_map_set(k->a, obj, "apiVersion", ir_str(k->a, "v1", cfg->pos));
    ir_map_set(k->a, obj, "kind", ir_str(k->a, "ServiceAccount", cfg->pos));
    ir_node *md = ir_map(k->a, cfg->pos), *an = ir_map(k->a, cfg->pos);
    ir_map_set(
        k->a, an, "iam.gke.io/gcp-service-account",
        ir_str(k->a, ar_printf(k->a, "%s@%s.iam.gserviceaccount.com", gsa, project), cfg->pos));
    ir_map_set(k->a, md, "annotations", an);
    ir_map_set(k->a, md, "name", ir_str(k->a, name, cfg->pos));
    if (ns) ir_map_set(k->a, md, "namespace", ir_str(k->a, ns, cfg->pos));
    ir_map_set(k->a, obj, "metadata", md);
    ir_res *r;
    if (!ir_res_make(k->a, k->d, obj, cfg->pos, &r)) return false;
    if (k->track_origin) {
        const ir_node *m = ir_map_get(cfg, "metadata");
        kz_resx_of(k, r)->origin =
            plugin_origin(k, from, "builtin", "IAMPolicyGenerator", ir_get_str(m, "name"),
                          ir_get_str(m, "namespace"), "");
    }
    if (ir_resset_add(t->set, r)) {
        diag_error(k->d, cfg->pos, "IAMPolicyGenerator: ServiceAccount '%s' already exists", name);
        return false;
    }
    return true;
}

/* A generator config: the ConfigMapGenerator/SecretGenerator arguments, named by metadata. Plugin
 * configs are decoded leniently: fields the generator does not know are ignored. */
static bool run_plugin_generator(target *t, ir_node *cfg, const char *from)
{
    kz_ctx *k = t->k;
    const char *kind = ir_get_str(cfg, "kind");
    const char *av = ir_get_str(cfg, "apiVersion");
    if (kind && av && !strcmp(av, "builtin") && !strcmp(kind, "IAMPolicyGenerator"))
        return iam_policy(t, cfg, from);
    if (!kind || !av || strcmp(av, "builtin") ||
        (strcmp(kind, "ConfigMapGenerator") && strcmp(kind, "SecretGenerator"))) {
        diag_error(k->d, cfg->pos,
                   "only the builtin ConfigMapGenerator and SecretGenerator plugins are supported "
                   "as generators");
        return false;
    }
    ir_node *args = ir_clone(k->a, cfg);
    const ir_node *md = ir_map_get(cfg, "metadata");
    const char *name = ir_get_str(md, "name"), *ns = ir_get_str(md, "namespace");
    for (size_t i = args->map.n; i-- > 0;) {
        const char *key = args->map.items[i].key->sc.s;
        bool known = false;
        for (const char *const *f = f_generator; *f && !known; f++)
            known = !strcasecmp(*f, key);
        if (!known) ir_map_remove(args, key);
    }
    if (name && !ir_map_get(args, "name"))
        ir_map_set(k->a, args, "name", ir_str(k->a, name, cfg->pos));
    if (ns && !ir_map_get(args, "namespace"))
        ir_map_set(k->a, args, "namespace", ir_str(k->a, ns, cfg->pos));
    ir_node *list = ir_seq(k->a, cfg->pos);
    ir_seq_append(k->a, list, args);
    const char *origin = k->track_origin ? plugin_origin(k, from, av, kind, name, ns, "") : NULL;
    return add_generated(t, list, !strcmp(kind, "SecretGenerator"), NULL, origin);
}

/* Entries of `transformers:`/`generators:`: inline YAML, files, or directories of configs. */
static bool plugin_configs(target *t, const char *fieldname, ky_docs *all, const char ***from)
{
    const ir_node *list = field(t, fieldname);
    memset(all, 0, sizeof *all);
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, fieldname)) return false;
    size_t cap = 0;
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const char *s = ir_str_of(e);
        if (!s) {
            diag_error(t->k->d, e->pos, "'%s' entries must be file names or inline YAML",
                       fieldname);
            return false;
        }
        ky_docs docs = {0};
        char *path = src_join(t->k->a, t->dir, s);
        src_kind sk = strchr(s, '\n') ? SRC_MISSING : src_stat(t->k->src, path);
        if (sk == SRC_DIR) {
            ir_resset sub;
            ir_resset_init(&sub);
            bool ok = kz_build_nested(t->k, path, &sub, e->pos);
            if (ok) {
                docs.docs = ar_alloc(t->k->a, (sub.n + 1) * sizeof *docs.docs);
                for (size_t j = 0; j < sub.n; j++)
                    docs.docs[docs.n++] = sub.items[j]->obj;
            }
            ir_resset_free(&sub);
            if (!ok) return false;
        } else if (sk == SRC_FILE) {
            if (!load_rel_docs(t, e, s, &docs)) return false;
        } else if (!load_inline_docs(t, e, &docs)) {
            return false;
        }
        const char *where = origin_join(t->k, sk == SRC_FILE ? s : kust_file_name(t));
        for (size_t j = 0; j < docs.n; j++) {
            if (all->n == cap) {
                size_t nc = cap ? cap * 2 : 8;
                all->docs =
                    ar_realloc(t->k->a, all->docs, cap * sizeof *all->docs, nc * sizeof *all->docs);
                *from = ar_realloc(t->k->a, *from, cap * sizeof **from, nc * sizeof **from);
                cap = nc;
            }
            (*from)[all->n] = where;
            all->docs[all->n++] = docs.docs[j];
        }
    }
    return true;
}

static bool run_plugin_generators(target *t)
{
    ky_docs cfgs;
    const char **from = NULL;
    if (!plugin_configs(t, "generators", &cfgs, &from)) return false;
    for (size_t i = 0; i < cfgs.n; i++)
        if (!run_plugin_generator(t, cfgs.docs[i], from[i])) return false;
    return true;
}

static bool run_plugin_transformers(target *t)
{
    ky_docs cfgs;
    const char **from = NULL;
    if (!plugin_configs(t, "transformers", &cfgs, &from)) return false;
    for (size_t i = 0; i < cfgs.n; i++) {
        ir_node *cfg = cfgs.docs[i];
        if (!run_plugin(t, cfg)) return false;
        const ir_node *md = ir_map_get(cfg, "metadata");
        note_origin(t, from[i], ir_get_str(cfg, "apiVersion"), ir_get_str(cfg, "kind"),
                    ir_get_str(md, "name"), ir_get_str(md, "namespace"));
    }
    return true;
}

/* ---- the whole target ---- */

static bool read_sort_options(kz_ctx *k, const ir_node *so, kz_sort *sort)
{
    if (so->kind == IR_SCALAR && so->tag == IR_TAG_NULL) return true;
    if (so->kind != IR_MAP) {
        diag_error(k->d, so->pos, "'sortOptions' must be a mapping");
        return false;
    }
    for (size_t i = 0; i < so->map.n; i++) {
        const char *key = so->map.items[i].key->sc.s;
        if (strcmp(key, "order") && strcmp(key, "legacySortOptions")) {
            diag_error(k->d, so->map.items[i].key->pos,
                       "unknown field '%s' in sortOptions (expected order, legacySortOptions)",
                       key);
            return false;
        }
    }
    const ir_node *order = ir_map_get(so, "order");
    const char *o = ir_str_of(order);
    if (!o || (strcmp(o, "fifo") && strcmp(o, "legacy"))) {
        diag_error(k->d, order ? order->pos : so->pos,
                   "sortOptions.order must be 'fifo' or 'legacy'");
        return false;
    }
    sort->fifo = !strcmp(o, "fifo");
    const ir_node *legacy = ir_map_get(so, "legacySortOptions");
    if (!legacy) return true;
    if (sort->fifo) {
        diag_error(k->d, legacy->pos,
                   "the field 'sortOptions.legacySortOptions' is set but the selected sort order "
                   "is 'fifo', not 'legacy'");
        return false;
    }
    const char *lists[2] = {"orderFirst", "orderLast"};
    for (int j = 0; j < 2; j++) {
        const ir_node *l = ir_map_get(legacy, lists[j]);
        const char **v = ar_alloc(k->a, ((l && l->kind == IR_SEQ ? l->seq.n : 0) + 1) * sizeof *v);
        size_t n = 0;
        if (l && l->kind == IR_SEQ)
            for (size_t i = 0; i < l->seq.n; i++) {
                const char *s = ir_str_of(l->seq.items[i]);
                if (!s) {
                    diag_error(k->d, l->seq.items[i]->pos, "'%s' entries must be strings",
                               lists[j]);
                    return false;
                }
                v[n++] = s;
            }
        if (j == 0)
            sort->first = v, sort->nfirst = n;
        else
            sort->last = v, sort->nlast = n;
    }
    return true;
}

/* Field names of kustomization sub-structures; kustomize decodes strictly, so any other key is an
 * error (matched case-insensitively, as encoding/json does). */
static const char *const f_labels[] = {"pairs", "includeSelectors", "includeTemplates", "fields",
                                       NULL};
static const char *const f_patch[] = {"path", "patch", "target", "options", NULL};
static const char *const f_selector[] = {
    "group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector", NULL};
static const char *const f_image[] = {"name", "newName", "newTag", "digest", "tagSuffix", NULL};
static const char *const f_replica[] = {"name", "count", NULL};
static const char *const f_generator[] = {"name", "namespace", "behavior", "files", "literals",
                                          "envs", "env",       "options",  "type",  NULL};
static const char *const f_genopts[] = {"labels", "annotations", "disableNameSuffixHash",
                                        "immutable", NULL};
static const char *const f_var[] = {"name", "objref", "fieldref", NULL};
static const char *const f_fieldspec[] = {"path", "group", "version", "kind", "create", NULL};

static bool strict_keys(target *t, const ir_node *m, const char *const *allowed, const char *what)
{
    if (!m || m->kind != IR_MAP) return true;
    for (size_t i = 0; i < m->map.n; i++) {
        const char *key = m->map.items[i].key->sc.s;
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = !strcasecmp(*a, key);
        if (!ok) {
            diag_error(t->k->d, m->map.items[i].key->pos,
                       "invalid Kustomization: unknown field \"%s\" in %s", key, what);
            return false;
        }
    }
    return true;
}

static bool strict_list(target *t, const char *fieldname, const char *const *allowed)
{
    const ir_node *l = field(t, fieldname);
    if (!l || l->kind != IR_SEQ) return true;
    for (size_t i = 0; i < l->seq.n; i++) {
        const ir_node *e = l->seq.items[i];
        if (!strict_keys(t, e, allowed, fieldname)) return false;
        if (allowed == f_patch) {
            if (!strict_keys(t, ir_map_get(e, "target"), f_selector, "a patch target"))
                return false;
        } else if (allowed == f_labels) {
            const ir_node *fs = ir_map_get(e, "fields");
            for (size_t j = 0; fs && fs->kind == IR_SEQ && j < fs->seq.n; j++)
                if (!strict_keys(t, fs->seq.items[j], f_fieldspec, "labels fields")) return false;
        } else if (allowed == f_generator) {
            if (!strict_keys(t, ir_map_get(e, "options"), f_genopts, "generator options"))
                return false;
        }
    }
    return true;
}

static bool check_nested(target *t)
{
    return strict_list(t, "labels", f_labels) && strict_list(t, "patches", f_patch) &&
           strict_list(t, "patchesJson6902", f_patch) && strict_list(t, "images", f_image) &&
           strict_list(t, "replicas", f_replica) &&
           strict_list(t, "configMapGenerator", f_generator) &&
           strict_list(t, "secretGenerator", f_generator) && strict_list(t, "vars", f_var) &&
           strict_keys(t, field(t, "generatorOptions"), f_genopts, "generatorOptions");
}

static bool check_fields(target *t)
{
    kz_ctx *k = t->k;
    bool ok = true;
    for (size_t i = 0; i < t->kz->map.n; i++) {
        ir_node *key = t->kz->map.items[i].key;
        const struct kz_field *f = kz_field_lookup(key->sc.s);
        if (!f && (f = kz_field_lookup_fold(key->sc.s))) {
            /* encoding/json matches field names case-insensitively: use the canonical name */
            key->sc.s = f->name;
            key->sc.n = strlen(f->name);
            t->kz->map.idx = NULL;
        }
        if (!f) {
            const char *hint = kz_field_suggest(key->sc.s);
            if (hint)
                diag_error(k->d, key->pos,
                           "unknown field '%s' in kustomization (did you mean '%s'?)", key->sc.s,
                           hint);
            else
                diag_error(k->d, key->pos, "unknown field '%s' in kustomization", key->sc.s);
            ok = false;
        } else if (!f->supported) {
            diag_error(k->d, key->pos, "'%s' is not supported by kiln yet", key->sc.s);
            ok = false;
        } else if (f->deprecated) {
            if (k->warnings) {
                buf_puts(k->warnings, f->deprecated);
                buf_putc(k->warnings, '\n');
            } else {
                fprintf(stderr, "%s\n", f->deprecated);
            }
        }
    }
    return ok;
}

static bool run_transformers(target *t)
{
    kz_ctx *k = t->k;
    if (!run_patches_sm(t) || !run_patches(t)) return false;
    const ir_node *ns = field(t, "namespace");
    if (ns) {
        if (!want_kind(t, ns, IR_SCALAR, "namespace")) return false;
        if (!kz_tr_namespace(k, t->set, &t->tc->namespace, ns->sc.s, ns->pos)) return false;
        if (*ns->sc.s) note_transformer(t, "NamespaceTransformer");
    }
    const ir_node *pre = field(t, "namePrefix"), *suf = field(t, "nameSuffix");
    if (pre && !want_kind(t, pre, IR_SCALAR, "namePrefix")) return false;
    if (suf && !want_kind(t, suf, IR_SCALAR, "nameSuffix")) return false;
    /* kustomize configures these transformers only for a non-empty prefix or suffix */
    if (pre && *pre->sc.s) {
        if (!kz_tr_prefix_suffix(k, t->set, &t->tc->name_prefix, pre->sc.s, false)) return false;
        note_transformer(t, "PrefixTransformer");
    }
    if (suf && *suf->sc.s) {
        if (!kz_tr_prefix_suffix(k, t->set, &t->tc->name_suffix, suf->sc.s, true)) return false;
        note_transformer(t, "SuffixTransformer");
    }
    if (!ir_resset_reindex(t->set)) {
    } else {
        diag_error(k->d,
                   pre   ? pre->pos
                   : suf ? suf->pos
                         : t->kz->pos,
                   "name prefix/suffix produces conflicting ids");
        return false;
    }
    if (!run_labels(t)) return false;
    const ir_node *ann = field(t, "commonAnnotations");
    if (ann) {
        if (!want_kind(t, ann, IR_MAP, "commonAnnotations")) return false;
        if (!kz_tr_labels(k, t->set, &t->tc->common_annotations, ann, true)) return false;
        if (ann->map.n) note_transformer(t, "AnnotationsTransformer");
    }
    if (!run_patches_json(t)) return false;
    const ir_node *reps = field(t, "replicas");
    if (reps) {
        if (!want_kind(t, reps, IR_SEQ, "replicas")) return false;
        for (size_t i = 0; i < reps->seq.n; i++) {
            if (!kz_tr_replicas(k, t->set, &t->tc->replicas, reps->seq.items[i])) return false;
            note_transformer(t, "ReplicaCountTransformer");
        }
    }
    const ir_node *imgs = field(t, "images");
    if (imgs) {
        if (!want_kind(t, imgs, IR_SEQ, "images")) return false;
        for (size_t i = 0; i < imgs->seq.n; i++) {
            if (!kz_tr_images(k, t->set, &t->tc->images, imgs->seq.items[i])) return false;
            note_transformer(t, "ImageTagTransformer");
        }
    }
    return run_replacements(t);
}

static bool run_components(target *t)
{
    const ir_node *list = field(t, "components");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "components")) return false;
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const char *s = ir_str_of(e);
        if (!s || !*s) {
            diag_error(t->k->d, e->pos, "components entries must be directory names");
            return false;
        }
        if (looks_remote(s)) {
            diag_error(t->k->d, e->pos, "remote component '%s' refused: kiln builds offline", s);
            return false;
        }
        char *path = src_join(t->k->a, t->dir, s);
        if (src_stat(t->k->src, path) != SRC_DIR) {
            diag_error(t->k->d, e->pos, "component '%s' is not a directory", s);
            return false;
        }
        kz_sort ignored;
        const char *saved = t->k->origin_path;
        t->k->origin_path = origin_join(t->k, s);
        bool ok = kz_run(t->k, path, t->set, t->tc, &ignored, true, e->pos);
        t->k->origin_path = saved;
        if (!ok) return false;
    }
    return true;
}

/* ---- crds: field specs from OpenAPI definitions of custom types (x-kubernetes-* extensions) ----
 */

static void crd_walk(target *t, kz_tconfig *tc, const char *kind, const ir_node *defs,
                     const char *type, const char *path, int depth)
{
    kz_ctx *k = t->k;
    const ir_node *props = ir_map_get(ir_map_get(ir_map_get(defs, type), "Schema"), "properties");
    if (!props || props->kind != IR_MAP || depth > 32) return;
    for (size_t i = 0; i < props->map.n; i++) {
        const char *name = props->map.items[i].key->sc.s;
        const ir_node *p = props->map.items[i].val;
        const char *fp = *path ? ar_printf(k->a, "%s/%s", path, name) : name;
        kz_fspec fs = {.group = "", .version = "", .kind = kind, .path = fp};
        if (ir_map_get(p, "x-kubernetes-annotation")) kz_fslist_add(k, &tc->common_annotations, fs);
        if (ir_map_get(p, "x-kubernetes-label-selector")) kz_fslist_add(k, &tc->common_labels, fs);
        if (ir_map_get(p, "x-kubernetes-identity")) kz_fslist_add(k, &tc->name_prefix, fs);
        const char *ver = ir_get_str(p, "x-kubernetes-object-ref-api-version");
        const char *rk = ir_get_str(p, "x-kubernetes-object-ref-kind");
        if (ver && rk) {
            const char *key = ir_get_str(p, "x-kubernetes-object-ref-name-key");
            kz_tconfig one;
            memset(&one, 0, sizeof one);
            kz_nameref nr = {"", ver, rk, {0}};
            kz_fslist_add(k, &nr.referrers,
                          (kz_fspec){.group = "",
                                     .version = "",
                                     .kind = kind,
                                     .path = ar_printf(k->a, "%s/%s", fp, key ? key : "name")});
            one.namerefs = &nr;
            one.nnamerefs = 1;
            kz_tconfig_merge(k, tc, &one);
        }
        const char *ref = ir_get_str(p, "$ref");
        if (ref) crd_walk(t, tc, kind, defs, ref, fp, depth + 1);
    }
}

static bool run_crds(target *t)
{
    const ir_node *list = field(t, "crds");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "crds")) return false;
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const char *s = ir_str_of(e);
        ky_docs docs;
        if (!s || !load_rel_docs(t, e, s, &docs)) return false;
        for (size_t d = 0; d < docs.n; d++) {
            const ir_node *defs = docs.docs[d];
            if (defs->kind != IR_MAP) continue;
            for (size_t j = 0; j < defs->map.n; j++) {
                const char *type = defs->map.items[j].key->sc.s;
                const ir_node *props =
                    ir_map_get(ir_map_get(defs->map.items[j].val, "Schema"), "properties");
                if (!ir_map_get(props, "kind") || !ir_map_get(props, "apiVersion") ||
                    !ir_map_get(props, "metadata"))
                    continue;
                const char *dot = strrchr(type, '.');
                crd_walk(t, t->tc, dot ? dot + 1 : type, defs, type, "", 0);
            }
        }
    }
    return true;
}

/* openapi: the first kustomization that names a schema decides it (the root's first). */
static bool run_openapi(target *t)
{
    const ir_node *o = field(t, "openapi");
    if (!o) return true;
    if (!want_kind(t, o, IR_MAP, "openapi")) return false;
    const ir_node *path = ir_map_get(o, "path"), *ver = ir_map_get(o, "version");
    if (path && ver) {
        diag_error(t->k->d, o->pos, "builtin version and custom schema provided, cannot use both");
        return false;
    }
    if (ver) {
        const char *v = ir_str_of(ver);
        if (!v || strcmp(v, "v1.21.2")) {
            diag_error(
                t->k->d, ver->pos,
                "the specified OpenAPI version is not built in (kiln has kustomize's v1.21.2)");
            return false;
        }
        if (!t->k->schema_set) {
            t->k->schema_set = true;
            t->k->smp_rows = NULL;
        }
        return true;
    }
    const char *p = ir_str_of(path);
    if (!p) {
        diag_error(t->k->d, o->pos, "openapi needs a 'path' or a 'version'");
        return false;
    }
    ky_docs docs;
    if (!load_rel_docs(t, path, p, &docs)) return false;
    if (t->k->schema_set) return true;
    if (!docs.n) {
        diag_error(t->k->d, path->pos, "the openapi file is empty");
        return false;
    }
    return kz_openapi_rows(t->k, docs.docs[0], t->k->depth > 1, path->pos);
}

static bool run_configurations(target *t)
{
    const ir_node *list = field(t, "configurations");
    if (!list) return true;
    if (!want_kind(t, list, IR_SEQ, "configurations")) return false;
    kz_tconfig user;
    memset(&user, 0, sizeof user);
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *e = list->seq.items[i];
        const char *s = ir_str_of(e);
        ky_docs docs;
        if (!s || !load_rel_docs(t, e, s, &docs)) return false;
        for (size_t d = 0; d < docs.n; d++)
            if (!kz_tconfig_merge_yaml(t->k, &user, docs.docs[d])) return false;
    }
    return kz_tconfig_override(t->k, t->tc, &user, list->pos);
}

static bool kz_run(kz_ctx *k, const char *dir, ir_resset *set, kz_tconfig *tc, kz_sort *sort,
                   bool component, diag_pos where)
{
    memset(sort, 0, sizeof *sort);
    bool amb = false;
    ir_node *given = k->depth == 0 && !component ? k->root_kz : NULL;
    const char *kf = given ? NULL : kz_find_file(k, dir, where, &amb);
    if (!kf && !given) {
        if (!amb)
            diag_error(k->d, where,
                       "'%s' has no kustomization file (kustomization.yaml, kustomization.yml or "
                       "Kustomization)",
                       dir);
        return false;
    }
    target t = {.k = k, .dir = dir, .set = set, .tc = tc, .component = component};
    if (given) {
        t.kz = given;
    } else {
        char *text;
        size_t len;
        const char *err;
        if (!src_read(k->src, k->a, kf, &text, &len, &err)) {
            diag_error(k->d, where, "%s", err);
            return false;
        }
        uint32_t file = diag_file_add(k->d, kf, text, len);
        ky_opts o = {.flavor = KY_V3, .dup_last_wins = true};
        ky_docs docs;
        if (!ky_load(k->a, k->d, file, text, len, &o, &docs)) return false;
        if (docs.n > 1) {
            diag_error(k->d, docs.pos[1], "a kustomization file holds one document, found %zu",
                       docs.n);
            return false;
        }
        t.kz = docs.n ? docs.docs[0] : ir_map(k->a, diag_at(file, 1, 1));
    }
    if (t.kz->kind != IR_MAP) {
        diag_error(k->d, t.kz->pos, "a kustomization must be a mapping");
        return false;
    }
    if (!check_fields(&t) || !check_nested(&t)) return false;
    const char *kind = ir_get_str(t.kz, "kind");
    const ir_node *kn = ir_map_get(t.kz, "kind");
    if (component && (!kind || strcmp(kind, "Component"))) {
        diag_error(k->d, kn ? kn->pos : where, "expected kind 'Component' for component '%s'", dir);
        return false;
    }
    const char *api = ir_get_str(t.kz, "apiVersion");
    if (kind && !strcmp(kind, "Component") && api &&
        strcmp(api, "kustomize.config.k8s.io/v1alpha1")) {
        const ir_node *an = ir_map_get(t.kz, "apiVersion");
        diag_error(k->d, an ? an->pos : kn->pos,
                   "apiVersion for Component should be kustomize.config.k8s.io/v1alpha1");
        return false;
    }
    if (!component && kind && strcmp(kind, "Kustomization") &&
        !(k->depth == 0 && !strcmp(kind, "Component"))) {
        if (!strcmp(kind, "Component"))
            diag_error(k->d, where.file ? where : kn->pos,
                       "expected kind 'Kustomization' for path '%s' but got 'Component' (list "
                       "components under 'components')",
                       dir);
        else
            diag_error(k->d, kn->pos, "kind '%s' is not 'Kustomization'", kind);
        return false;
    }
    if (!push_dir(k, dir, where)) return false;
    if (!component) kz_tconfig_defaults(k, tc);
    if (!run_openapi(&t)) {
        k->depth--;
        return false;
    }
    bool ok = true;
    const char *lists[] = {"resources", "bases"};
    for (size_t i = 0; i < 2 && ok; i++) {
        const ir_node *r = field(&t, lists[i]);
        if (!r) continue;
        ok = want_kind(&t, r, IR_SEQ, lists[i]) && accumulate(&t, r);
    }
    ok = ok && run_configurations(&t) && run_crds(&t) && run_generators(&t) && run_helm(&t) &&
         run_plugin_generators(&t) && run_components(&t) && run_transformers(&t) &&
         run_plugin_transformers(&t) && kz_vars_merge(k, tc, set, field(&t, "vars"));
    const ir_node *so = field(&t, "sortOptions");
    if (ok && so) ok = read_sort_options(k, so, sort);
    k->depth--;
    return ok;
}

bool kz_run_dir(kz_ctx *k, const char *dir, ir_resset *set, kz_tconfig *tc, diag_pos where)
{
    kz_sort ignored;
    return kz_run(k, dir, set, tc, &ignored, false, where);
}

bool kz_build_nested(kz_ctx *k, const char *dir, ir_resset *set, diag_pos where)
{
    kz_tconfig tc;
    kz_sort ignored;
    return kz_run(k, dir, set, &tc, &ignored, false, where);
}

/* buildMetadata: [managedByLabel] (or --enable-managedby-label) */
static bool build_metadata_has(kz_ctx *k, const char *dir, const char *what)
{
    bool amb;
    const char *kf = kz_find_file(k, dir, diag_nopos, &amb);
    char *text;
    size_t len;
    const char *err;
    if (!kf || !src_read(k->src, k->a, kf, &text, &len, &err)) return false;
    /* the file was already loaded and checked by kz_run; find the list again */
    diag_ctx quiet;
    diag_init(&quiet);
    ky_opts o = {.flavor = KY_V3, .dup_last_wins = true};
    ky_docs docs;
    bool found = false;
    if (ky_load(k->a, &quiet, 0, text, len, &o, &docs) && docs.n) {
        const ir_node *bm = ir_map_get(docs.docs[0], "buildMetadata");
        for (size_t i = 0; bm && bm->kind == IR_SEQ && i < bm->seq.n; i++) {
            const char *s = ir_str_of(bm->seq.items[i]);
            if (s && !strcmp(s, what)) found = true;
        }
    }
    diag_free(&quiet);
    return found;
}

/* The root build: everything, then hash suffixes and name references. */
bool kz_build(kz_ctx *k, const char *dir, ir_resset *out, kz_sort *sort)
{
    kz_tconfig tc;
    k->emit_origin = build_metadata_has(k, dir, "originAnnotations");
    k->emit_transformations = build_metadata_has(k, dir, "transformerAnnotations");
    k->track_origin =
        k->emit_origin || k->emit_transformations || build_metadata_has(k, dir, "managedByLabel");
    k->origin_path = "";
    if (!kz_run(k, dir, out, &tc, sort, false, diag_nopos)) return false;
    for (size_t i = 0; i < out->n; i++) {
        ir_res *r = out->items[i];
        kz_resx *x = r->fe;
        if (!x || !x->needs_hash) continue;
        char h[11];
        kz_hash_suffix(r->obj, h);
        kz_store_previous_id(k, r);
        ir_node *md = ir_map_get(r->obj, "metadata");
        char *name = ar_printf(k->a, "%s-%s", r->id.name, h);
        ir_map_set(k->a, md, "name", ir_str(k->a, name, md->pos));
        ir_res_refresh_id(k->a, r);
    }
    ir_resset_reindex(out);
    if (!kz_tr_namerefs(k, out, &tc) || !kz_vars_resolve(k, &tc, out)) return false;
    /* objects marked config.kubernetes.io/local-config: "true" served as sources only */
    for (size_t i = out->n; i-- > 0;) {
        const ir_node *an = ir_map_get(ir_map_get(out->items[i]->obj, "metadata"), "annotations");
        const ir_node *lc = ir_map_get(an, "config.kubernetes.io/local-config");
        if (lc && lc->kind == IR_SCALAR && !strcmp(lc->sc.s, "true")) ir_resset_remove_at(out, i);
    }
    if (k->managed_by || build_metadata_has(k, dir, "managedByLabel")) {
        ir_node *pairs = ir_map(k->a, diag_nopos);
        ir_map_set(k->a, pairs, "app.kubernetes.io/managed-by",
                   ir_str(k->a, "kustomize-v5.7.1", diag_nopos));
        kz_fslist fs = {0};
        kz_fslist_add(
            k, &fs,
            (kz_fspec){
                .group = "", .version = "", .kind = "", .path = "metadata/labels", .create = true});
        if (!kz_tr_labels(k, out, &fs, pairs, false)) return false;
    }
    return true;
}

bool kz_postrender(kz_ctx *k, ir_node *pr, ir_resset *set)
{
    kz_tconfig tc;
    kz_tconfig_defaults(k, &tc);
    target t = {.k = k, .dir = ".", .kz = pr, .set = set, .tc = &tc};
    bool track = k->track_origin, emit = k->emit_origin, emit_t = k->emit_transformations;
    k->track_origin = k->emit_origin = k->emit_transformations = false;
    bool ok = run_transformers(&t);
    k->track_origin = track;
    k->emit_origin = emit;
    k->emit_transformations = emit_t;
    return ok;
}
