/* Azure Arc / AKS fluxConfigurations: the GitRepository and Kustomization objects the Flux
 * extension creates from an `az k8s-configuration flux show` JSON document. */
#include <string.h>

#include "flux/flux.h"
#include "yaml/yaml.h"

static ir_node *str(arena *a, const char *s, diag_pos p)
{
    return ir_str(a, s, p);
}

static void put(arena *a, ir_node *m, const char *key, ir_node *v)
{
    ir_map_set(a, m, key, v);
}

static ir_node *object(arena *a, const char *api, const char *kind, const char *ns,
                       const char *name, diag_pos p, ir_node **spec)
{
    ir_node *o = ir_map(a, p);
    put(a, o, "apiVersion", str(a, api, p));
    put(a, o, "kind", str(a, kind, p));
    ir_node *md = ir_map(a, p);
    put(a, md, "name", str(a, name, p));
    put(a, md, "namespace", str(a, ns, p));
    put(a, o, "metadata", md);
    *spec = ir_map(a, p);
    put(a, o, "spec", *spec);
    return o;
}

/* "600" seconds as a Flux duration ("10m0s" style is not needed: "600s" is valid). */
static ir_node *seconds(arena *a, const ir_node *n, diag_pos p)
{
    if (!n || n->kind != IR_SCALAR || n->tag != IR_TAG_INT) return NULL;
    return str(a, ar_printf(a, "%llds", (long long)n->sc.v.i), p);
}

static bool add(kz_ctx *k, ir_resset *objs, ir_node *obj)
{
    ir_res *r;
    if (!ir_res_make(k->a, k->d, obj, obj->pos, &r)) return false;
    if (ir_resset_add(objs, r)) {
        diag_error(k->d, obj->pos, "fluxConfigurations: %s is defined twice",
                   ir_id_str(k->a, &r->id));
        return false;
    }
    return true;
}

bool flux_config_load(kz_ctx *k, const char *path, ir_resset *objs)
{
    arena *a = k->a;
    char *text;
    size_t len;
    const char *err;
    if (!src_read(k->src, a, path, &text, &len, &err)) {
        diag_error(k->d, diag_nopos, "--flux-config: %s", err);
        return false;
    }
    uint32_t file = diag_file_add(k->d, path, text, len);
    ky_opts o = {.flavor = KY_V3};
    ky_docs docs;
    if (!ky_load(a, k->d, file, text, len, &o, &docs)) return false;
    const ir_node *cfg = docs.n ? docs.docs[0] : NULL;
    /* `az ... flux show` prints the resource; an ARM export nests it under "properties" */
    if (cfg && ir_map_get(cfg, "properties") && !ir_map_get(cfg, "kustomizations"))
        cfg = ir_map_get(cfg, "properties");
    if (!cfg || cfg->kind != IR_MAP) {
        diag_error(k->d, diag_at(file, 1, 1), "--flux-config: expected a JSON object");
        return false;
    }
    diag_pos p = cfg->pos;
    const char *name = ir_get_str(docs.docs[0], "name");
    if (!name) name = ir_get_str(cfg, "name");
    const char *ns = ir_get_str(cfg, "namespace");
    const char *kind = ir_get_str(cfg, "sourceKind");
    if (!name || !ns) {
        diag_error(k->d, p, "--flux-config: the configuration needs \"name\" and \"namespace\"");
        return false;
    }
    if (kind && strcmp(kind, "GitRepository")) {
        diag_error(k->d, p,
                   "--flux-config: sourceKind %s is not supported (GitRepository only); use "
                   "--kustomization with --source instead",
                   kind);
        return false;
    }
    const ir_node *git = ir_map_get(cfg, "gitRepository");
    if (!git || git->kind != IR_MAP || !ir_get_str(git, "url")) {
        diag_error(k->d, p, "--flux-config: gitRepository.url is missing");
        return false;
    }
    ir_node *spec;
    ir_node *gr =
        object(a, "source.toolkit.fluxcd.io/v1", "GitRepository", ns, name, git->pos, &spec);
    put(a, spec, "url", str(a, ir_get_str(git, "url"), git->pos));
    ir_node *iv = seconds(a, ir_map_get(git, "syncIntervalInSeconds"), git->pos);
    put(a, spec, "interval", iv ? iv : str(a, "600s", git->pos));
    const ir_node *rr = ir_map_get(git, "repositoryRef");
    if (rr && rr->kind == IR_MAP) {
        ir_node *ref = ir_map(a, rr->pos);
        const char *keys[] = {"branch", "tag", "semver", "commit"};
        for (size_t i = 0; i < 4; i++) {
            const char *v = ir_get_str(rr, keys[i]);
            if (v) put(a, ref, keys[i], str(a, v, rr->pos));
        }
        if (ref->map.n) put(a, spec, "ref", ref);
    }
    if (!add(k, objs, gr)) return false;

    const ir_node *kss = ir_map_get(cfg, "kustomizations");
    if (!kss || kss->kind != IR_MAP || !kss->map.n) {
        diag_error(k->d, p, "--flux-config: \"kustomizations\" is missing or empty");
        return false;
    }
    for (size_t i = 0; i < kss->map.n; i++) {
        const char *kn = ir_str_of(kss->map.items[i].key);
        const ir_node *ks = kss->map.items[i].val;
        if (!kn || ks->kind != IR_MAP) continue;
        ir_node *s;
        ir_node *obj = object(a, "kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns,
                              ar_printf(a, "%s-%s", name, kn), ks->pos, &s);
        ir_node *sr = ir_map(a, ks->pos);
        put(a, sr, "kind", str(a, "GitRepository", ks->pos));
        put(a, sr, "name", str(a, name, ks->pos));
        put(a, s, "sourceRef", sr);
        const char *path_ = ir_get_str(ks, "path");
        put(a, s, "path", str(a, path_ ? path_ : "./", ks->pos));
        ir_node *kiv = seconds(a, ir_map_get(ks, "syncIntervalInSeconds"), ks->pos);
        put(a, s, "interval", kiv ? kiv : str(a, "600s", ks->pos));
        const char *durations[][2] = {{"retryIntervalInSeconds", "retryInterval"},
                                      {"timeoutInSeconds", "timeout"}};
        for (size_t d = 0; d < 2; d++) {
            ir_node *v = seconds(a, ir_map_get(ks, durations[d][0]), ks->pos);
            if (v) put(a, s, durations[d][1], v);
        }
        const char *flags[] = {"prune", "wait", "force"};
        for (size_t fl = 0; fl < 3; fl++) {
            const ir_node *b = ir_map_get(ks, flags[fl]);
            if (b && b->kind == IR_SCALAR && b->tag == IR_TAG_BOOL)
                put(a, s, flags[fl], ir_clone(a, b));
        }
        const ir_node *deps = ir_map_get(ks, "dependsOn");
        if (deps && deps->kind == IR_SEQ && deps->seq.n) {
            ir_node *dl = ir_seq(a, deps->pos);
            for (size_t j = 0; j < deps->seq.n; j++) {
                const ir_node *d = deps->seq.items[j];
                const char *dn = ir_str_of(d);
                if (!dn) dn = ir_get_str(d, "kustomizationName");
                if (!dn) continue;
                ir_node *e = ir_map(a, d->pos);
                put(a, e, "name", str(a, ar_printf(a, "%s-%s", name, dn), d->pos));
                ir_seq_append(a, dl, e);
            }
            put(a, s, "dependsOn", dl);
        }
        const ir_node *pb = ir_map_get(ks, "postBuild");
        if (pb && pb->kind == IR_MAP) put(a, s, "postBuild", ir_clone(a, pb));
        if (!add(k, objs, obj)) return false;
    }
    return true;
}
