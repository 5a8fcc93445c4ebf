/* HelmRelease preparation as helm-controller does it (chart source, valuesFrom merged in order
 * then spec.values, release name and namespace), up to the one call that renders the chart. */
#include <openssl/evp.h>
#include <string.h>

#include "emit/emit.h"
#include "flux/flux.h"
#include "template/chart.h"
#include "template/tpl.h"
#include "yaml/yaml.h"

const char *flux_release_name(arena *a, const char *name)
{
    size_t n = strlen(name);
    if (n <= 53) return name;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    if (!EVP_Digest(name, n, md, &mdlen, EVP_sha256(), NULL)) util_oom();
    char hex[13];
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 6; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[12] = 0;
    return ar_printf(a, "%.40s-%s", name, hex);
}

/* Helm's value merge: mappings merge key by key, anything else replaces. */
static void merge_values(arena *a, ir_node *dst, const ir_node *src)
{
    for (size_t i = 0; i < src->map.n; i++) {
        const char *key = ir_str_of(src->map.items[i].key);
        const ir_node *sv = src->map.items[i].val;
        if (!key) continue;
        ir_node *dv = ir_map_get(dst, key);
        if (dv && dv->kind == IR_MAP && sv->kind == IR_MAP)
            merge_values(a, dv, sv);
        else
            ir_map_set(a, dst, key, ir_clone(a, sv));
    }
}

/* Sets the dotted path `tp` of values to v (helm-controller's targetPath). */
static void set_path(arena *a, ir_node *values, const char *tp, ir_node *v)
{
    ir_node *cur = values;
    const char *p = tp;
    for (;;) {
        const char *dot = strchr(p, '.');
        char *key = dot ? ar_strndup(a, p, (size_t)(dot - p)) : ar_strdup(a, p);
        if (!dot) {
            ir_map_set(a, cur, key, v);
            return;
        }
        ir_node *next = ir_map_get(cur, key);
        if (!next || next->kind != IR_MAP) {
            next = ir_map(a, v->pos);
            ir_map_set(a, cur, key, next);
        }
        cur = next;
        p = dot + 1;
    }
}

static const ir_res *find_in(const ir_resset *all, const char *kind, const char *ns,
                             const char *name)
{
    ir_id id = {.group = "", .version = "v1", .kind = kind, .ns = ns, .name = name};
    return ir_resset_find(all, &id);
}

static bool values_from(kz_ctx *k, const ir_resset *all, const ir_res *hr, ir_node *values)
{
    const char *hrns = *hr->id.ns ? hr->id.ns : "default";
    const ir_node *vf = ir_map_get(ir_map_get(hr->obj, "spec"), "valuesFrom");
    for (size_t i = 0; vf && vf->kind == IR_SEQ && i < vf->seq.n; i++) {
        const ir_node *ref = vf->seq.items[i];
        const char *kind = ir_get_str(ref, "kind"), *name = ir_get_str(ref, "name");
        const char *vk = ir_get_str(ref, "valuesKey"), *tp = ir_get_str(ref, "targetPath");
        bool optional = false;
        const ir_node *on = ir_map_get(ref, "optional");
        if (on && on->kind == IR_SCALAR && on->tag == IR_TAG_BOOL) optional = on->sc.v.b;
        if (!vk) vk = "values.yaml";
        if (!kind || !name || (strcmp(kind, "ConfigMap") && strcmp(kind, "Secret"))) {
            diag_error(k->d, ref->pos,
                       "HelmRelease %s/%s: valuesFrom entries need kind ConfigMap or Secret and "
                       "a name",
                       hrns, hr->id.name);
            return false;
        }
        const ir_res *src = find_in(all, kind, hrns, name);
        const ir_node *data = src ? ir_map_get(src->obj, "data") : NULL;
        const ir_node *val = data && data->kind == IR_MAP ? ir_map_get(data, vk) : NULL;
        if (!val || val->kind != IR_SCALAR) {
            if (optional) continue;
            diag_error(k->d, ref->pos,
                       "HelmRelease %s/%s: valuesFrom %s/%s%s%s not found among the cluster's "
                       "objects",
                       hrns, hr->id.name, kind, name, src ? " key " : "", src ? vk : "");
            return false;
        }
        const char *text = val->sc.s;
        size_t len = val->sc.n;
        if (!strcmp(kind, "Secret")) {
            unsigned char *dec = ar_alloc(k->a, len / 4 * 3 + 4);
            int r = EVP_DecodeBlock(dec, (const unsigned char *)text, (int)len);
            if (r < 0) {
                diag_error(k->d, val->pos, "HelmRelease %s/%s: Secret %s: %s is not base64", hrns,
                           hr->id.name, name, vk);
                return false;
            }
            size_t l = (size_t)r;
            if (len >= 1 && text[len - 1] == '=') l--;
            if (len >= 2 && text[len - 2] == '=') l--;
            dec[l] = 0;
            text = (const char *)dec;
            len = l;
        }
        if (tp) {
            set_path(k->a, values, tp, ky_plain_scalar(k->a, text, len, val->pos));
            continue;
        }
        uint32_t file = diag_file_add(
            k->d, ar_printf(k->a, "<%s %s/%s key %s>", kind, hrns, name, vk), text, len);
        ky_opts o = {.flavor = KY_V3};
        ky_docs docs;
        if (!ky_load(k->a, k->d, file, text, len, &o, &docs)) return false;
        if (docs.n && docs.docs[0]->kind == IR_MAP) merge_values(k->a, values, docs.docs[0]);
    }
    return true;
}

/* Renders a release whose chart is a directory of this repository through kiln's Helm engine
 * (as helm-controller installs it: release name and namespace from the HelmRelease, CRDs of
 * crds/ included); other chart sources are reported and left out. */
bool flux_helm_render(kz_ctx *k, const flux_helm_release *r, ir_resset *rendered)
{
    arena *a = k->a;
    if (!r->chart_dir) {
        buf_t v = {0};
        em_json_doc(&v, r->values, 0);
        while (v.len && v.data[v.len - 1] == '\n')
            v.data[--v.len] = 0;
        diag_warn(k->d, r->hr->pos,
                  "HelmRelease %s/%s: the chart is not in this repository, so it is not rendered "
                  "(release %s in namespace %s, chart %s from %s %s/%s%s%s, values %s); its "
                  "objects are left out",
                  *r->hr->id.ns ? r->hr->id.ns : "default", r->hr->id.name, r->release_name,
                  r->namespace, r->chart ? r->chart : "(chartRef)", r->source_kind, r->source_ns,
                  r->source_name, r->source_url ? " at " : "", r->source_url ? r->source_url : "",
                  buf_cstr(&v));
        buf_free(&v);
        return true;
    }
    chart *c;
    if (!chart_load(a, k->d, r->chart_dir, &c)) return false;
    tpl_map *vals = tpl_map_new(a, NULL)->map;
    const tpl_val *mv = r->values ? kz_helm_values(a, r->values) : NULL;
    if (mv && mv->kind == TPL_MAP) vals = mv->map;
    chart_opts o = {0};
    o.release = r->release_name;
    o.ns = r->namespace;
    o.include_crds = true;
    buf_t out = {0};
    const char *err = NULL;
    diag_pos pos;
    if (!chart_render(a, k->d, c, vals, &o, &out, &err, &pos)) {
        buf_free(&out);
        diag_error(k->d, pos.file ? pos : r->hr->pos, "HelmRelease %s/%s: %s",
                   *r->hr->id.ns ? r->hr->id.ns : "default", r->hr->id.name, err);
        return false;
    }
    char *text = ar_strndup(a, out.data ? out.data : "", out.len);
    size_t len = out.len;
    buf_free(&out);
    uint32_t file = diag_file_add(k->d, ar_printf(a, "%s (rendered)", r->chart_dir), text, len);
    ky_opts yo = {.flavor = KY_V3};
    ky_docs docs;
    if (!ky_load(a, k->d, file, text, len, &yo, &docs)) return false;
    for (size_t i = 0; i < docs.n; i++) {
        ir_node *obj = docs.docs[i];
        if (!obj || (obj->kind == IR_SCALAR && obj->tag == IR_TAG_NULL)) continue;
        ir_res *res;
        if (!ir_res_make(a, k->d, obj, docs.pos[i], &res)) return false;
        if (!*res->id.ns && !kz_cluster_scoped(&res->id)) {
            ir_node *md = ir_map_get(obj, "metadata");
            if (md && md->kind == IR_MAP)
                ir_map_set(a, md, "namespace", ir_str(a, r->namespace, md->pos));
            if (!ir_res_refresh_id(a, res)) return false;
        }
        ir_resset_add(rendered, res);
    }
    return true;
}

/* The chart's source object (HelmRepository, OCIRepository, GitRepository, Bucket, HelmChart)
 * among the cluster's objects, its URL, and for a chart in this repository its directory. */
static void resolve_source(kz_ctx *k, const flux_helm_env *env, flux_helm_release *r)
{
    const ir_resset *all = env->all;
    for (size_t i = 0; i < all->n; i++) {
        const ir_res *s = all->items[i];
        size_t gl = strlen(s->id.group);
        if (gl < 10 || strcmp(s->id.group + gl - 10, ".fluxcd.io")) continue;
        if (!strcmp(s->id.kind, r->source_kind) && !strcmp(s->id.ns, r->source_ns) &&
            !strcmp(s->id.name, r->source_name))
            r->source = s;
    }
    const ir_node *spec = r->source ? ir_map_get(r->source->obj, "spec") : NULL;
    r->source_url = ir_get_str(spec, "url");
    const char *key = ar_printf(k->a, "%s/%s", r->source_ns, r->source_name);
    if (!strcmp(r->source_kind, "GitRepository") && r->chart &&
        (!strcmp(key, env->self_src) || !r->source))
        r->chart_dir = src_join(k->a, env->repo_root, r->chart);
}

bool flux_helm_group(kz_ctx *k, const flux_helm_env *env, const ir_res *const *items, size_t n,
                     ir_resset *rendered)
{
    const ir_resset *all = env->all;
    for (size_t i = 0; i < n; i++) {
        const ir_res *hr = items[i];
        if (strcmp(hr->id.group, "helm.toolkit.fluxcd.io") || strcmp(hr->id.kind, "HelmRelease"))
            continue;
        const ir_node *spec = ir_map_get(hr->obj, "spec");
        const char *ns = *hr->id.ns ? hr->id.ns : "default";
        if (spec && spec->kind == IR_MAP) {
            const ir_node *susp = ir_map_get(spec, "suspend");
            if (susp && susp->kind == IR_SCALAR && susp->tag == IR_TAG_BOOL && susp->sc.v.b) {
                diag_note(k->d, hr->pos, "HelmRelease %s/%s is suspended: left out", ns,
                          hr->id.name);
                continue;
            }
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
        }
        const char *tns = ir_get_str(spec, "targetNamespace");
        const char *rn = ir_get_str(spec, "releaseName");
        if (!rn) rn = tns ? ar_printf(k->a, "%s-%s", tns, hr->id.name) : hr->id.name;
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
        resolve_source(k, env, &r);
        if (!r.source && !r.chart_dir)
            diag_warn(k->d, hr->pos,
                      "HelmRelease %s/%s: its source %s %s/%s is not among the cluster's objects "
                      "(helm-controller would wait for it)",
                      ns, hr->id.name, r.source_kind, r.source_ns, r.source_name);
        const char *crds = ir_get_str(ir_map_get(spec, "install"), "crds");
        r.crds = !crds || strcmp(crds, "Skip");
        r.values = ir_map(k->a, hr->pos);
        if (!values_from(k, all, hr, r.values)) return false;
        const ir_node *v = ir_map_get(spec, "values");
        if (v && v->kind == IR_MAP) merge_values(k->a, r.values, v);
        ir_resset out;
        ir_resset_init(&out);
        bool ok = flux_helm_render(k, &r, &out);
        for (size_t j = 0; ok && j < out.n; j++) {
            /* helm-controller's origin labels on everything the release installs */
            ir_res *o = out.items[j];
            ir_node *md = ir_map_get(o->obj, "metadata");
            if (md && md->kind == IR_MAP) {
                ir_node *l = ir_map_get(md, "labels");
                if (!l || l->kind != IR_MAP) {
                    l = ir_map(k->a, md->pos);
                    ir_map_set(k->a, md, "labels", l);
                }
                ir_map_set(k->a, l, "helm.toolkit.fluxcd.io/name",
                           ir_str(k->a, hr->id.name, md->pos));
                ir_map_set(k->a, l, "helm.toolkit.fluxcd.io/namespace", ir_str(k->a, ns, md->pos));
            }
            ir_resset_add(rendered, o);
        }
        ir_resset_free(&out);
        if (!ok) return false;
    }
    return true;
}
