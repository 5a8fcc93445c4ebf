/* HelmReleases as helm-controller installs them: the chart found locally (a directory of this
 * repository, --chart-source, or the --charts cache for HelmRepository/OCIRepository sources),
 * valuesFrom merged in order then spec.values, release name and namespace, the chart rendered
 * through kiln's Helm engine, then CRDs, post-renderers, common metadata and origin labels. */
#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emit/emit.h"
#include "flux/flux.h"
#include "template/chart.h"
#include "template/tpl.h"
#include "yaml/yaml.h"

const char *flux_release_name(arena *a, const char *name)
{
    size_t n = strlen(name);
    if (n <= 53) return name;
    unsigned char md[32];
    util_digest(UTIL_SHA256, name, n, md);
    char hex[13];
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 6; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[12] = 0;
    return ar_printf(a, "%.40s-%s", name, hex);
}

static const char *hr_ns(const ir_res *hr)
{
    return *hr->id.ns ? hr->id.ns : "default";
}

static bool is_true(const ir_node *n)
{
    return n && n->kind == IR_SCALAR && n->tag == IR_TAG_BOOL && n->sc.v.b;
}

/* A URL without its trailing slashes (the --chart-source keys are compared that way). */
static const char *url_trim(arena *a, const char *url)
{
    size_t n = strlen(url);
    while (n > 1 && url[n - 1] == '/')
        n--;
    return ar_strndup(a, url, n);
}

/* ---- the --charts cache ---- */

/* The `version` of dir/Chart.yaml, or NULL. */
static const char *dir_chart_version(arena *a, const char *dir)
{
    char *text;
    size_t n;
    if (!util_read_file(a, ar_printf(a, "%s/Chart.yaml", dir), &text, &n)) return NULL;
    diag_ctx quiet;
    diag_init(&quiet);
    uint32_t f = diag_file_add(&quiet, "Chart.yaml", text, n);
    ky_opts o = {.flavor = KY_V3, .dup_last_wins = true};
    ky_docs docs;
    const char *v = NULL;
    if (ky_load(a, &quiet, f, text, n, &o, &docs) && docs.n)
        v = ir_get_str(docs.docs[0], "version");
    diag_free(&quiet);
    return v;
}

typedef struct chart_cand {
    const char *path, *version;
} chart_cand;

static int cand_cmp(const void *x, const void *y)
{
    return strcmp(((const chart_cand *)x)->path, ((const chart_cand *)y)->path);
}

bool flux_chart_pick(arena *a, const char *dir, const char *name, const char *range,
                     const char **path, const char **version, const char **found, const char **err)
{
    *err = NULL;
    *found = "";
    const char *cons = !range || !*range || !strcmp(range, "*") ? "*" : range;
    bool ok;
    const char *e, *bad_range = NULL;
    if (!tpl_semver_satisfies(a, cons, "0.0.0", &ok, &e))
        bad_range = ar_printf(a, "invalid version range \"%s\": %s", range, e);
    DIR *d = opendir(dir);
    if (!d) {
        *err = ar_printf(a, "--charts %s: %s", dir, strerror(errno));
        return false;
    }
    chart_cand *cs = NULL;
    size_t n = 0, cap = 0, cl = strlen(name);
    struct dirent *de;
    while ((de = readdir(d))) {
        const char *nm = de->d_name, *v = NULL;
        size_t nl = strlen(nm);
        const char *full = ar_printf(a, "%s/%s", dir, nm);
        if (!strcmp(nm, name)) {
            struct stat st;
            if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) v = dir_chart_version(a, full);
        } else if (nl > cl + 5 && !strncmp(nm, name, cl) && nm[cl] == '-' &&
                   !strcmp(nm + nl - 4, ".tgz")) {
            v = ar_strndup(a, nm + cl + 1, nl - cl - 5);
        }
        if (!v || !tpl_semver_valid(a, v)) continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            cs = ar_realloc(a, cs, cap * sizeof *cs, nc * sizeof *cs);
            cap = nc;
        }
        cs[n++] = (chart_cand){full, v};
    }
    closedir(d);
    if (n) qsort(cs, n, sizeof *cs, cand_cmp);
    const chart_cand *best = NULL;
    for (size_t i = 0; range && i < n && !best; i++) /* an exact version first */
        if (!strcmp(cs[i].version, range)) best = &cs[i];
    if (!best && bad_range) { /* only an exact version (an OCI tag, say) could match it */
        *err = bad_range;
        return false;
    }
    for (size_t i = 0; i < n && !best; i++) {
        if (!tpl_semver_satisfies(a, cons, cs[i].version, &ok, &e) || !ok) continue;
        bool higher = true;
        for (size_t j = 0; j < n; j++)
            if (j != i && tpl_semver_order(a, cs[j].version, cs[i].version) > 0 &&
                tpl_semver_satisfies(a, cons, cs[j].version, &ok, &e) && ok)
                higher = false;
        if (higher) best = &cs[i];
    }
    if (best) {
        *path = best->path;
        *version = best->version;
        return true;
    }
    /* the versions present, lowest first */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && tpl_semver_order(a, cs[j - 1].version, cs[j].version) > 0;
             j--) {
            chart_cand t = cs[j];
            cs[j] = cs[j - 1];
            cs[j - 1] = t;
        }
    buf_t b = {0};
    for (size_t i = 0; i < n; i++)
        if (!i || strcmp(cs[i].version, cs[i - 1].version))
            buf_printf(&b, "%s%s", b.len ? ", " : "", cs[i].version);
    *found = ar_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return false;
}

/* ---- values ---- */

/* fluxcd/pkg chartutil.ReplacePathValue: `path=value` through Helm's --set parser (a quoted
 * value as a string, without its quotes). */
static bool replace_path_value(arena *a, tpl_map *values, const char *path, const char *v, size_t n,
                               const char **err)
{
    chart_set_kind kind = CHART_SET_TYPED;
    if (n && ((v[0] == '\'' && v[n - 1] == '\'') || (v[0] == '"' && v[n - 1] == '"'))) {
        while (n && (*v == '\'' || *v == '"'))
            v++, n--;
        while (n && (v[n - 1] == '\'' || v[n - 1] == '"'))
            n--;
        kind = CHART_SET_STRING;
    }
    const char *expr = ar_printf(a, "%s=%.*s", path, (int)n, v);
    return chart_set_parse(a, expr, strlen(expr), kind, values, err);
}

/* The text of key vk of a ConfigMap's data or a Secret's stringData/data (base64-decoded), or
 * NULL when absent; false after a diagnostic. */
static bool ref_data(kz_ctx *k, const ir_res *hr, const ir_res *src, const char *kind,
                     const char *vk, const char **text, size_t *len, diag_pos *at)
{
    *text = NULL;
    if (!src) return true;
    bool secret = !strcmp(kind, "Secret");
    const ir_node *sd = secret ? ir_map_get(src->obj, "stringData") : NULL;
    const ir_node *val = sd && sd->kind == IR_MAP ? ir_map_get(sd, vk) : NULL;
    if (val && val->kind == IR_SCALAR) {
        *text = val->sc.s;
        *len = val->sc.n;
        *at = val->pos;
        return true;
    }
    const ir_node *data = ir_map_get(src->obj, "data");
    val = data && data->kind == IR_MAP ? ir_map_get(data, vk) : NULL;
    if (!val || val->kind != IR_SCALAR) return true;
    *at = val->pos;
    if (!secret) {
        *text = val->sc.s;
        *len = val->sc.n;
        return true;
    }
    size_t n = val->sc.n;
    unsigned char *dec = ar_alloc(k->a, n / 4 * 3 + 4);
    int r = EVP_DecodeBlock(dec, (const unsigned char *)val->sc.s, (int)n);
    if (r < 0) {
        diag_error(k->d, val->pos, "HelmRelease %s/%s: Secret %s: %s is not base64", hr_ns(hr),
                   hr->id.name, src->id.name, vk);
        return false;
    }
    size_t l = (size_t)r;
    if (n >= 1 && val->sc.s[n - 1] == '=') l--;
    if (n >= 2 && val->sc.s[n - 2] == '=') l--;
    dec[l] = 0;
    *text = (const char *)dec;
    *len = l;
    return true;
}

/* fluxcd/pkg chartutil.ChartValuesFromReferences: each valuesFrom entry merged in order (one
 * with targetPath first merges spec.values in, then sets that path), spec.values merged last.
 * Maps are shared the way Go's MergeMaps shares them, so a targetPath into a map that only
 * spec.values holds stays set, as in helm-controller. */
static bool values_from(kz_ctx *k, const ir_resset *all, const ir_res *hr, tpl_map **out)
{
    arena *a = k->a;
    const char *hrns = hr_ns(hr);
    const ir_node *spec = ir_map_get(hr->obj, "spec");
    const ir_node *sv = ir_map_get(spec, "values");
    const tpl_val *svv = sv && sv->kind == IR_MAP ? kz_helm_values(a, sv) : NULL;
    tpl_map *values = svv && svv->kind == TPL_MAP ? svv->map : tpl_map_new(a, NULL)->map;
    tpl_map *result = tpl_map_new(a, NULL)->map;
    const ir_node *vf = ir_map_get(spec, "valuesFrom");
    for (size_t i = 0; vf && vf->kind == IR_SEQ && i < vf->seq.n; i++) {
        const ir_node *ref = vf->seq.items[i];
        const char *kind = ir_get_str(ref, "kind"), *name = ir_get_str(ref, "name");
        const char *vk = ir_get_str(ref, "valuesKey"), *tp = ir_get_str(ref, "targetPath");
        bool optional = is_true(ir_map_get(ref, "optional"));
        if (!vk || !*vk) vk = "values.yaml";
        if (!kind || !name || (strcmp(kind, "ConfigMap") && strcmp(kind, "Secret"))) {
            diag_error(k->d, ref->pos,
                       "HelmRelease %s/%s: valuesFrom entries need kind ConfigMap or Secret and "
                       "a name",
                       hrns, hr->id.name);
            return false;
        }
        ir_id id = {.group = "", .version = "v1", .kind = kind, .ns = hrns, .name = name};
        const ir_res *src = ir_resset_find(all, &id);
        const char *text;
        size_t len = 0;
        diag_pos at = ref->pos;
        if (!ref_data(k, hr, src, kind, vk, &text, &len, &at)) return false;
        if (!text) {
            if (optional) continue;
            diag_error(k->d, ref->pos,
                       "HelmRelease %s/%s: valuesFrom %s/%s%s%s not found among the cluster's "
                       "objects",
                       hrns, hr->id.name, kind, name, src ? " key " : "", src ? vk : "");
            return false;
        }
        const char *err = NULL;
        if (tp && *tp) {
            result = chart_merge_maps(a, result, values);
            if (!replace_path_value(a, result, tp, text, len, &err)) {
                diag_error(k->d, ref->pos, "HelmRelease %s/%s: valuesFrom %s/%s targetPath %s: %s",
                           hrns, hr->id.name, kind, name, tp, err);
                return false;
            }
            continue;
        }
        diag_file_add(k->d, ar_printf(a, "<%s %s/%s key %s>", kind, hrns, name, vk), text, len);
        tpl_map *m;
        if (!chart_values_parse(a, text, len, &m, &err)) {
            diag_error(k->d, at, "HelmRelease %s/%s: valuesFrom %s/%s key %s: %s", hrns,
                       hr->id.name, kind, name, vk, err);
            return false;
        }
        result = chart_merge_maps(a, result, m);
    }
    *out = chart_merge_maps(a, result, values);
    return true;
}

/* source-controller's valuesFiles: the listed files (chart files; for a chart of this
 * repository, paths in the repository) merged in order replace the chart's default values;
 * "values.yaml" stands for the chart's own. */
static bool values_files(kz_ctx *k, const flux_helm_release *r, const char *repo_root, chart *c)
{
    arena *a = k->a;
    const ir_node *vf = r->values_files;
    if (!vf || vf->kind != IR_SEQ || !vf->seq.n) return true;
    tpl_map *merged = tpl_map_new(a, NULL)->map;
    for (size_t i = 0; i < vf->seq.n; i++) {
        const ir_node *e = vf->seq.items[i];
        const char *p = ir_str_of(e);
        if (!p || !*p) continue;
        const char *cp = src_clean(a, p);
        if (!strcmp(cp, "values.yaml") && !r->chart_dir) {
            merged = chart_merge_maps(a, merged, c->values);
            continue;
        }
        const char *text = NULL;
        size_t len = 0;
        if (r->chart_dir) {
            char *t, *full = src_join(a, repo_root, cp);
            if (util_read_file(a, full, &t, &len)) text = t;
        } else {
            for (size_t j = 0; j < c->nfiles && !text; j++)
                if (!strcmp(c->files[j].name, cp)) {
                    text = c->files[j].data;
                    len = c->files[j].n;
                }
        }
        if (!text) {
            if (r->ignore_missing_values_files) continue;
            diag_error(k->d, e->pos, "HelmRelease %s/%s: no values file found at path '%s'",
                       hr_ns(r->hr), r->hr->id.name, p);
            return false;
        }
        tpl_map *m;
        const char *err;
        if (!chart_values_parse(a, text, len, &m, &err)) {
            diag_error(k->d, e->pos, "HelmRelease %s/%s: unmarshaling values from '%s' failed: %s",
                       hr_ns(r->hr), r->hr->id.name, p, err);
            return false;
        }
        merged = chart_merge_maps(a, merged, m);
    }
    c->values = merged;
    return true;
}

/* ---- rendering ---- */

static ir_node *md_map(arena *a, ir_node *obj, const char *field)
{
    ir_node *md = ir_map_get(obj, "metadata");
    if (!md || md->kind != IR_MAP) return NULL;
    ir_node *m = ir_map_get(md, field);
    if (!m || m->kind != IR_MAP) {
        m = ir_map(a, md->pos);
        ir_map_set(a, md, field, m);
    }
    return m;
}

static void set_pairs(arena *a, ir_node *obj, const char *field, const ir_node *pairs)
{
    if (!pairs || pairs->kind != IR_MAP || !pairs->map.n) return;
    ir_node *m = md_map(a, obj, field);
    for (size_t i = 0; m && i < pairs->map.n; i++) {
        const char *key = ir_str_of(pairs->map.items[i].key);
        const char *v = ir_str_of(pairs->map.items[i].val);
        if (key && v) ir_map_set(a, m, key, ir_str(a, v, pairs->map.items[i].val->pos));
    }
}

/* helm-controller's origin labels (helm.toolkit.fluxcd.io/name, /namespace). */
static void origin_labels(arena *a, ir_node *obj, const ir_res *hr)
{
    ir_node *l = md_map(a, obj, "labels");
    if (!l) return;
    ir_map_set(a, l, "helm.toolkit.fluxcd.io/name", ir_str(a, hr->id.name, l->pos));
    ir_map_set(a, l, "helm.toolkit.fluxcd.io/namespace", ir_str(a, hr_ns(hr), l->pos));
}

/* A YAML text made of the JSON form of n (for v2beta1's object-valued patches). */
static ir_node *as_text(arena *a, const ir_node *n)
{
    buf_t b = {0};
    em_json_doc(&b, n, 0);
    ir_node *s = ir_str(a, ar_strndup(a, b.data ? b.data : "", b.len), n->pos);
    buf_free(&b);
    return s;
}

/* spec.postRenderers[].kustomize as a kustomization of transformers: patches, images, and
 * v2beta1's patchesStrategicMerge (objects) and patchesJson6902 (operation lists). */
static ir_node *postrender_kz(arena *a, const ir_node *kzs)
{
    ir_node *kz = ir_map(a, kzs->pos);
    const ir_node *p = ir_map_get(kzs, "patchesStrategicMerge");
    if (p && p->kind == IR_SEQ) {
        ir_node *l = ir_seq(a, p->pos);
        for (size_t i = 0; i < p->seq.n; i++)
            ir_seq_append(a, l,
                          p->seq.items[i]->kind == IR_SCALAR ? ir_clone(a, p->seq.items[i])
                                                             : as_text(a, p->seq.items[i]));
        ir_map_set(a, kz, "patchesStrategicMerge", l);
    }
    p = ir_map_get(kzs, "patches");
    if (p && p->kind == IR_SEQ) ir_map_set(a, kz, "patches", ir_clone(a, p));
    p = ir_map_get(kzs, "patchesJson6902");
    if (p && p->kind == IR_SEQ) {
        ir_node *l = ir_seq(a, p->pos);
        for (size_t i = 0; i < p->seq.n; i++) {
            ir_node *e = ir_clone(a, p->seq.items[i]);
            const ir_node *ops = ir_map_get(e, "patch");
            if (ops && ops->kind == IR_SEQ) ir_map_set(a, e, "patch", as_text(a, ops));
            ir_seq_append(a, l, e);
        }
        ir_map_set(a, kz, "patchesJson6902", l);
    }
    p = ir_map_get(kzs, "images");
    if (p && p->kind == IR_SEQ) ir_map_set(a, kz, "images", ir_clone(a, p));
    return kz;
}

static bool is_hook(const ir_node *obj)
{
    const ir_node *an = ir_map_get(ir_map_get(obj, "metadata"), "annotations");
    return an && an->kind == IR_MAP && ir_map_get(an, "helm.sh/hook");
}

/* Loads a rendered YAML stream's objects into set. */
static bool load_objects(kz_ctx *k, const char *label, const char *text, size_t len, ir_resset *set)
{
    uint32_t file = diag_file_add(k->d, label, text, len);
    ky_opts yo = {.flavor = KY_V3};
    ky_docs docs;
    if (!ky_load(k->a, k->d, file, text, len, &yo, &docs)) return false;
    for (size_t i = 0; i < docs.n; i++) {
        ir_node *obj = docs.docs[i];
        if (!obj || (obj->kind == IR_SCALAR && obj->tag == IR_TAG_NULL)) continue;
        ir_res *res;
        if (!ir_res_make(k->a, k->d, obj, docs.pos[i], &res)) return false;
        ir_resset_add(set, res);
    }
    return true;
}

/* helm template's output, one diag file per `# Source:` document named after its template
 * ("CHARTDIR/templates/x.yaml (rendered)"), so a finding names the template it came from. */
static bool load_rendered(kz_ctx *k, const char *chart_dir, const char *text, size_t len,
                          ir_resset *set)
{
    static const char mark[] = "---\n# Source: ";
    const size_t ml = sizeof mark - 1;
    size_t at = 0;
    while (at < len) {
        /* the next document: a mark at the start of a line */
        const char *next = NULL;
        for (const char *p = text + at; (p = memchr(p, '\n', (size_t)(text + len - p)));) {
            p++;
            if ((size_t)(text + len - p) >= ml && !memcmp(p, mark, ml)) {
                next = p;
                break;
            }
        }
        size_t end = next ? (size_t)(next - text) : len;
        const char *label = ar_printf(k->a, "%s (rendered)", chart_dir);
        if (end - at > ml && !memcmp(text + at, mark, ml)) {
            /* "chart/templates/x.yaml": the chart's own name is its directory */
            const char *src = text + at + ml;
            const char *eol = memchr(src, '\n', end - at - ml);
            const char *slash = eol ? memchr(src, '/', (size_t)(eol - src)) : NULL;
            if (slash)
                label = ar_printf(k->a, "%s/%.*s (rendered)", chart_dir, (int)(eol - slash - 1),
                                  slash + 1);
        }
        /* a slice of text: diag files and the loader go by length */
        if (!load_objects(k, label, text + at, end - at, set)) return false;
        at = end;
    }
    return true;
}

/* The CRDs of crds/ of the chart and of its (enabled) subcharts, as Helm lists them. */
static bool chart_crds(kz_ctx *k, const chart *c, const char *where, ir_resset *set)
{
    for (size_t i = 0; i < c->ncrds; i++) {
        const char *label = ar_printf(k->a, "%s (%s/%s)", where, c->name, c->crds[i].name);
        char *text = ar_strndup(k->a, c->crds[i].data, c->crds[i].n);
        if (!load_objects(k, label, text, c->crds[i].n, set)) return false;
    }
    for (size_t i = 0; i < c->nsubs; i++)
        if (!chart_crds(k, c->subs[i], where, set)) return false;
    return true;
}

bool flux_helm_render(kz_ctx *k, const flux_helm_release *r, ir_resset *rendered)
{
    arena *a = k->a;
    const ir_res *hr = r->hr;
    const char *path = r->chart_dir ? r->chart_dir : r->chart_path;
    chart *c;
    if (!chart_load(a, k->d, path, &c)) {
        diag_error(k->d, hr->pos, "HelmRelease %s/%s: cannot load its chart from %s", hr_ns(hr),
                   hr->id.name, path);
        return false;
    }
    if (r->check_version) {
        const tpl_val *v = tpl_map_getz(c->meta, "Version");
        const char *ver = v && v->kind == TPL_STRING ? v->str.s : "";
        const char *range = r->version && *r->version ? r->version : "*";
        bool ok = false;
        const char *err;
        if (strcmp(ver, range) && (!tpl_semver_satisfies(a, range, ver, &ok, &err) || !ok)) {
            diag_error(k->d, hr->pos,
                       "HelmRelease %s/%s: the chart given with --chart-source %s=%s is version "
                       "%s, which does not satisfy the range \"%s\"",
                       hr_ns(hr), hr->id.name, r->chart_key, path, *ver ? ver : "(none)", range);
            return false;
        }
    }
    if (!values_files(k, r, r->source_dir ? r->source_dir : ".", c)) return false;
    chart_opts o = {0};
    o.release = r->release_name;
    o.ns = r->namespace;
    o.skip_tests = !r->tests;
    o.no_hooks = r->no_hooks;
    o.skip_schema = r->skip_schema;
    buf_t out = {0};
    const char *err = NULL;
    diag_pos pos;
    if (!chart_render(a, k->d, c, r->values, &o, &out, &err, &pos)) {
        buf_free(&out);
        diag_error(k->d, pos.file ? pos : hr->pos, "HelmRelease %s/%s: %s", hr_ns(hr), hr->id.name,
                   err);
        return false;
    }
    char *text = ar_strndup(a, out.data ? out.data : "", out.len);
    size_t len = out.len;
    buf_free(&out);
    ir_resset all, manifests, crds;
    ir_resset_init(&all);
    ir_resset_init(&manifests);
    ir_resset_init(&crds);
    bool ok = load_rendered(k, path, text, len, &all);
    /* hooks are neither post-rendered nor labelled (helm-controller's Helm 3 behaviour) */
    for (size_t i = 0; ok && i < all.n; i++)
        if (!is_hook(all.items[i]->obj)) ir_resset_add(&manifests, all.items[i]);
    const ir_node *spec = ir_map_get(hr->obj, "spec");
    const ir_node *prs = ir_map_get(spec, "postRenderers");
    for (size_t i = 0; ok && prs && prs->kind == IR_SEQ && i < prs->seq.n; i++) {
        const ir_node *kzs = ir_map_get(prs->seq.items[i], "kustomize");
        if (kzs && kzs->kind == IR_MAP) ok = kz_postrender(k, postrender_kz(a, kzs), &manifests);
    }
    const ir_node *cm = ir_map_get(spec, "commonMetadata");
    for (size_t i = 0; ok && i < manifests.n; i++) {
        ir_node *obj = manifests.items[i]->obj;
        set_pairs(a, obj, "labels", ir_map_get(cm, "labels"));
        set_pairs(a, obj, "annotations", ir_map_get(cm, "annotations"));
        origin_labels(a, obj, hr);
    }
    if (ok && r->create_namespace) {
        /* Helm creates the release namespace itself (labelled name: NS), before anything */
        ir_node *ns = ir_map(a, hr->pos), *md = ir_map(a, hr->pos), *l = ir_map(a, hr->pos);
        ir_map_set(a, ns, "apiVersion", ir_str(a, "v1", hr->pos));
        ir_map_set(a, ns, "kind", ir_str(a, "Namespace", hr->pos));
        ir_map_set(a, md, "name", ir_str(a, r->namespace, hr->pos));
        ir_map_set(a, l, "name", ir_str(a, r->namespace, hr->pos));
        ir_map_set(a, md, "labels", l);
        ir_map_set(a, ns, "metadata", md);
        ir_res *res;
        ok = ir_res_make(a, k->d, ns, hr->pos, &res);
        if (ok) ir_resset_add(&crds, res);
    }
    if (ok && r->crds) ok = chart_crds(k, c, path, &crds);
    for (size_t i = r->create_namespace; ok && i < crds.n; i++)
        origin_labels(a, crds.items[i]->obj, hr);
    /* CRDs first, then the manifests as post-rendered, then the hooks */
    ir_resset *parts[] = {&crds, &manifests, &all};
    for (size_t p = 0; ok && p < 3; p++)
        for (size_t i = 0; ok && i < parts[p]->n; i++) {
            ir_res *res = parts[p]->items[i];
            if (p == 2 && !is_hook(res->obj)) continue;
            if (!*res->id.ns && !kz_cluster_scoped(&res->id)) {
                /* Helm installs objects without a namespace into the release namespace */
                ir_node *md = ir_map_get(res->obj, "metadata");
                if (md && md->kind == IR_MAP)
                    ir_map_set(a, md, "namespace", ir_str(a, r->namespace, md->pos));
                if (!ir_res_refresh_id(a, res)) ok = false;
            }
            if (ok) ir_resset_add(rendered, res);
        }
    ir_resset_free(&all);
    ir_resset_free(&manifests);
    ir_resset_free(&crds);
    return ok;
}

/* ---- sources ---- */

static const ir_res *find_flux(const ir_resset *all, const char *kind, const char *ns,
                               const char *name)
{
    const ir_res *found = NULL;
    for (size_t i = 0; i < all->n; i++) {
        const ir_res *s = all->items[i];
        size_t gl = strlen(s->id.group);
        if (gl < 10 || strcmp(s->id.group + gl - 10, ".fluxcd.io")) continue;
        if (!strcmp(s->id.kind, kind) && !strcmp(s->id.ns, ns) && !strcmp(s->id.name, name))
            found = s;
    }
    return found;
}

/* The chart's source object (HelmRepository, OCIRepository, GitRepository, Bucket; a HelmChart
 * chartRef is followed to its own source) among the cluster's objects, its URL, and either the
 * chart's directory in this repository or its --chart-source key. */
static void resolve_source(kz_ctx *k, const flux_helm_env *env, flux_helm_release *r)
{
    arena *a = k->a;
    r->source = find_flux(env->all, r->source_kind, r->source_ns, r->source_name);
    if (r->source && !strcmp(r->source_kind, "HelmChart")) {
        /* chartRef: HelmChart — its chart, version and source */
        const ir_node *hs = ir_map_get(r->source->obj, "spec");
        const ir_node *sr = ir_map_get(hs, "sourceRef");
        const char *kind = ir_get_str(sr, "kind"), *name = ir_get_str(sr, "name");
        if (kind && name) {
            r->chart = ir_get_str(hs, "chart");
            r->version = ir_get_str(hs, "version");
            r->values_files = ir_map_get(hs, "valuesFiles");
            r->ignore_missing_values_files = is_true(ir_map_get(hs, "ignoreMissingValuesFiles"));
            r->source_kind = kind;
            r->source_name = name;
            r->source = find_flux(env->all, kind, r->source_ns, name);
        }
    }
    const ir_node *spec = r->source ? ir_map_get(r->source->obj, "spec") : NULL;
    r->source_url = ir_get_str(spec, "url");
    const char *key = ar_printf(a, "%s/%s", r->source_ns, r->source_name);
    if (!strcmp(r->source_kind, "GitRepository") && r->chart) {
        if (!strcmp(key, env->self_src) || !r->source) r->source_dir = env->repo_root;
        for (size_t i = 0; env->o && !r->source_dir && i < env->o->nsources; i++) {
            const flux_source *s = &env->o->sources[i];
            if ((!strcmp(s->key, key) || !strcmp(s->key, r->source_name)) && !s->ref)
                r->source_dir = src_clean(a, s->path);
        }
        if (r->source_dir) r->chart_dir = src_join(a, r->source_dir, r->chart);
        return;
    }
    if (!r->source_url) return;
    const char *url = url_trim(a, r->source_url);
    if (!strcmp(r->source_kind, "HelmRepository") && r->chart) {
        r->chart_key = ar_printf(a, "%s/%s", url, r->chart);
    } else if (!strcmp(r->source_kind, "OCIRepository")) {
        r->chart_key = url;
        const char *slash = strrchr(url, '/');
        r->chart = slash ? slash + 1 : url;
        const ir_node *ref = ir_map_get(spec, "ref");
        const char *sem = ir_get_str(ref, "semver"), *tag = ir_get_str(ref, "tag");
        r->version = sem ? sem : tag && strcmp(tag, "latest") ? tag : NULL;
        r->version_is_tag = !sem && r->version;
    }
}

/* Finds the local chart for r->chart_key: --chart-source, else --charts. 1 found, 0 not found
 * (*why says what was looked at), -1 after a diagnostic. */
static int locate_chart(kz_ctx *k, const flux_helm_env *env, flux_helm_release *r, const char **why)
{
    arena *a = k->a;
    const flux_opts *o = env->o;
    *why = "";
    for (size_t i = 0; o && i < o->nchart_sources; i++)
        if (!strcmp(url_trim(a, o->chart_sources[i].key), r->chart_key)) {
            r->chart_path = o->chart_sources[i].path;
            r->check_version = !r->version_is_tag; /* a tag names an artifact, not a range */
            return 1;
        }
    if (!o || !o->charts_dir) return 0;
    const char *found, *err, *ver;
    if (flux_chart_pick(a, o->charts_dir, r->chart, r->version, &r->chart_path, &ver, &found, &err))
        return 1;
    if (err) {
        diag_error(k->d, r->hr->pos, "HelmRelease %s/%s: %s", hr_ns(r->hr), r->hr->id.name, err);
        return -1;
    }
    *why = *found ? ar_printf(a, "; no version in --charts %s satisfies it (found %s)",
                              o->charts_dir, found)
                  : ar_printf(a, "; --charts %s has no %s-<version>.tgz nor %s/", o->charts_dir,
                              r->chart, r->chart);
    return 0;
}

/* A chart that is not available offline: an error naming the flags to add, or with
 * --missing-charts=warn a warning (the release is skipped). */
static bool missing_chart(kz_ctx *k, const flux_helm_env *env, const flux_helm_release *r,
                          const char *why)
{
    bool warn = env->o && env->o->missing_charts_warn;
    const char *ns = hr_ns(r->hr);
    const char *range = r->version && *r->version ? r->version : "*";
    const char *msg = ar_printf(
        k->a,
        "HelmRelease %s/%s: chart %s (version %s) of %s %s/%s at %s is not available offline%s; "
        "add --chart-source %s=PATH (a chart directory or .tgz) or --charts DIR",
        ns, r->hr->id.name, r->chart, range, r->source_kind, r->source_ns, r->source_name,
        r->source_url, why, r->chart_key);
    if (warn)
        diag_warn(k->d, r->hr->pos, "%s; skipped (--missing-charts=warn)", msg);
    else
        diag_error(k->d, r->hr->pos, "%s (or --missing-charts=warn to skip it)", msg);
    return warn;
}

bool flux_helm_group(kz_ctx *k, const flux_helm_env *env, const ir_res *const *items, size_t n,
                     ir_resset *rendered)
{
    const ir_resset *all = env->all;
    bool missing = false; /* a chart not found: reported, the others still looked up */
    for (size_t i = 0; i < n; i++) {
        const ir_res *hr = items[i];
        if (strcmp(hr->id.group, "helm.toolkit.fluxcd.io") || strcmp(hr->id.kind, "HelmRelease"))
            continue;
        const ir_node *spec = ir_map_get(hr->obj, "spec");
        const char *ns = hr_ns(hr);
        if (is_true(ir_map_get(spec, "suspend"))) {
            diag_note(k->d, hr->pos, "HelmRelease %s/%s is suspended: left out", ns, hr->id.name);
            continue;
        }
        flux_helm_release r = {.hr = hr};
        const char *kc =
            ir_get_str(ir_map_get(ir_map_get(spec, "kubeConfig"), "secretRef"), "name");
        if (kc) {
            r.kubeconfig_secret = ar_printf(k->a, "%s/%s", ns, kc);
            if (!env->remote || strcmp(env->remote, r.kubeconfig_secret)) {
                diag_note(k->d, hr->pos,
                          "HelmRelease %s/%s installs into a remote cluster (spec.kubeConfig); "
                          "render it with --kubeconfig-secret %s",
                          ns, hr->id.name, r.kubeconfig_secret);
                continue;
            }
        } else if (env->remote && !env->group_remote) {
            continue; /* installs into this cluster, not the remote one being printed */
        }
        const char *tns = ir_get_str(spec, "targetNamespace");
        if (tns && !*tns) tns = NULL;
        const char *rn = ir_get_str(spec, "releaseName");
        if (!rn || !*rn) rn = tns ? ar_printf(k->a, "%s-%s", tns, hr->id.name) : hr->id.name;
        r.release_name = flux_release_name(k->a, rn);
        r.namespace = tns ? tns : ns;
        const ir_node *cs = ir_map_get(ir_map_get(spec, "chart"), "spec");
        const ir_node *cref = ir_map_get(spec, "chartRef");
        const ir_node *sr = cs ? ir_map_get(cs, "sourceRef") : cref;
        r.chart = cs ? ir_get_str(cs, "chart") : NULL;
        r.version = cs ? ir_get_str(cs, "version") : NULL;
        r.source_kind = ir_get_str(sr, "kind");
        r.source_name = ir_get_str(sr, "name");
        r.source_ns = ir_get_str(sr, "namespace");
        if (!r.source_ns) r.source_ns = ns;
        if (!r.source_name || !r.source_kind) {
            diag_error(k->d, hr->pos,
                       "HelmRelease %s/%s: neither spec.chart.spec.sourceRef nor spec.chartRef "
                       "names a source (kind and name)",
                       ns, hr->id.name);
            return false;
        }
        if (cs) {
            /* v2beta1's valuesFile is merged before valuesFiles */
            const ir_node *vfs = ir_map_get(cs, "valuesFiles");
            const char *one = ir_get_str(cs, "valuesFile");
            if (one && *one) {
                ir_node *l = ir_seq(k->a, cs->pos);
                ir_seq_append(k->a, l, ir_map_get(cs, "valuesFile"));
                for (size_t j = 0; vfs && vfs->kind == IR_SEQ && j < vfs->seq.n; j++)
                    ir_seq_append(k->a, l, vfs->seq.items[j]);
                vfs = l;
            }
            r.values_files = vfs;
            r.ignore_missing_values_files = is_true(ir_map_get(cs, "ignoreMissingValuesFiles"));
        }
        const ir_node *inst = ir_map_get(spec, "install");
        const char *crds = ir_get_str(inst, "crds");
        if (crds && strcmp(crds, "Skip") && strcmp(crds, "Create") &&
            strcmp(crds, "CreateReplace")) {
            const ir_node *cn = ir_map_get(inst, "crds");
            diag_error(k->d, cn->pos,
                       "HelmRelease %s/%s: invalid CRD policy '%s' defined in field CRDsPolicy, "
                       "valid values are 'Skip', 'Create' or 'CreateReplace'",
                       ns, hr->id.name, crds);
            return false;
        }
        r.crds = crds ? strcmp(crds, "Skip") != 0 : !is_true(ir_map_get(inst, "skipCRDs"));
        r.no_hooks = is_true(ir_map_get(inst, "disableHooks"));
        r.skip_schema = is_true(ir_map_get(inst, "disableSchemaValidation"));
        r.create_namespace = tns && is_true(ir_map_get(inst, "createNamespace"));
        r.tests = is_true(ir_map_get(ir_map_get(spec, "test"), "enable"));
        resolve_source(k, env, &r);
        if (!r.chart_dir && !r.chart_key) {
            diag_warn(k->d, hr->pos,
                      !r.source ? "HelmRelease %s/%s: its source %s %s/%s is not among the "
                                  "cluster's objects (helm-controller would wait for it); not "
                                  "rendered"
                                : "HelmRelease %s/%s: charts of %s sources (%s/%s) cannot be "
                                  "found offline; not rendered",
                      ns, hr->id.name, r.source_kind, r.source_ns, r.source_name);
            continue;
        }
        if (!values_from(k, all, hr, &r.values)) return false;
        if (r.chart_key) {
            const char *why;
            int found = locate_chart(k, env, &r, &why);
            if (found < 0) return false;
            if (!found) {
                if (!missing_chart(k, env, &r, why)) missing = true;
                continue;
            }
        }
        ir_resset out;
        ir_resset_init(&out);
        bool ok = flux_helm_render(k, &r, &out);
        for (size_t j = 0; ok && j < out.n; j++)
            ir_resset_add(rendered, out.items[j]);
        ir_resset_free(&out);
        if (!ok) return false;
    }
    return !missing;
}
