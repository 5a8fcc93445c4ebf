/* kustomize's built-in transformers over a resource set: name prefix and suffix, namespace,
 * labels and annotations, images, replicas, and the final fix-up of name references to renamed
 * objects — with the per-object history (previous ids, prefixes, suffixes) they rely on. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "kustomize/kz_int.h"
#include "yaml/yaml.h"

/* The (apiVersion, kind) pairs kustomize v5.7.1 knows to be cluster-scoped; every other type,
 * custom resources included, counts as namespaced (as in kustomize's precomputed table). */
static const char *const cluster_types[][2] = {
    {"admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"},
    {"apiextensions.k8s.io/v1", "CustomResourceDefinition"},
    {"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"},
    {"apiregistration.k8s.io/v1", "APIService"},
    {"apiregistration.k8s.io/v1beta1", "APIService"},
    {"certificates.k8s.io/v1", "CertificateSigningRequest"},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequest"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration"},
    {"networking.k8s.io/v1", "IngressClass"},
    {"networking.k8s.io/v1beta1", "IngressClass"},
    {"node.k8s.io/v1", "RuntimeClass"},
    {"node.k8s.io/v1beta1", "RuntimeClass"},
    {"policy/v1beta1", "PodSecurityPolicy"},
    {"rbac.authorization.k8s.io/v1", "ClusterRole"},
    {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRole"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding"},
    {"scheduling.k8s.io/v1", "PriorityClass"},
    {"scheduling.k8s.io/v1beta1", "PriorityClass"},
    {"storage.k8s.io/v1", "CSIDriver"},
    {"storage.k8s.io/v1", "CSINode"},
    {"storage.k8s.io/v1", "StorageClass"},
    {"storage.k8s.io/v1", "VolumeAttachment"},
    {"storage.k8s.io/v1beta1", "CSIDriver"},
    {"storage.k8s.io/v1beta1", "CSINode"},
    {"storage.k8s.io/v1beta1", "StorageClass"},
    {"storage.k8s.io/v1beta1", "VolumeAttachment"},
    {"v1", "ComponentStatus"},
    {"v1", "Namespace"},
    {"v1", "Node"},
    {"v1", "NodeProxyOptions"},
    {"v1", "PersistentVolume"},
};

bool kz_cluster_scoped(const ir_id *id)
{
    /* the first letter rules out most kinds before any comparison */
    static const char firsts[] = "ACFIMNPRSV";
    if (!strchr(firsts, id->kind[0]) || !id->kind[0]) return false;
    size_t gl = strlen(id->group);
    for (size_t i = 0; i < sizeof cluster_types / sizeof *cluster_types; i++) {
        const char *av = cluster_types[i][0];
        if (cluster_types[i][1][0] != id->kind[0] || strcmp(cluster_types[i][1], id->kind))
            continue;
        if (gl ? (!strncmp(av, id->group, gl) && av[gl] == '/' && !strcmp(av + gl + 1, id->version))
               : !strcmp(av, id->version))
            return true;
    }
    return false;
}

kz_resx *kz_resx_of(kz_ctx *k, ir_res *r)
{
    if (!r->fe) r->fe = ar_alloc(k->a, sizeof(kz_resx));
    return r->fe;
}

static const char *effective_ns(const ir_id *id)
{
    if (kz_cluster_scoped(id)) return "";
    return *id->ns ? id->ns : "default";
}

void kz_store_previous_id(kz_ctx *k, ir_res *r)
{
    kz_resx *x = kz_resx_of(k, r);
    kz_prev *np = ar_alloc(k->a, (x->nprev + 1) * sizeof *np);
    if (x->nprev) memcpy(np, x->prev, x->nprev * sizeof *np);
    np[x->nprev].kind = r->id.kind;
    np[x->nprev].ns = effective_ns(&r->id);
    np[x->nprev].name = r->id.name;
    x->prev = np;
    x->nprev++;
}

kz_prev kz_org_id(ir_res *r)
{
    kz_resx *x = r->fe;
    if (x && x->nprev) return x->prev[0];
    kz_prev p = {r->id.kind, r->id.ns, r->id.name};
    return p;
}

size_t kz_id_count(ir_res *r)
{
    kz_resx *x = r->fe;
    return 1 + (x ? x->nprev : 0);
}

kz_prev kz_id_at(ir_res *r, size_t i)
{
    if (i) return ((kz_resx *)r->fe)->prev[i - 1];
    kz_prev p = {r->id.kind, r->id.ns, r->id.name};
    return p;
}

static bool org_selected(ir_res *r, const kz_fspec *fs)
{
    kz_prev o = kz_org_id(r);
    return kz_fspec_selects(fs, r->id.group, r->id.version, o.kind);
}

static const char **push_str(kz_ctx *k, const char **v, size_t *n, const char *s)
{
    const char **nv = ar_alloc(k->a, (*n + 1) * sizeof *nv);
    if (*n) memcpy(nv, v, *n * sizeof *nv);
    nv[(*n)++] = s;
    return nv;
}

/* A scalar set the way kyaml's SetScalar does: an untagged plain node, so its type is resolved
 * again from the text (a name "0777" becomes the number 511 on output, as in kustomize). */
static ir_node *plain_scalar(kz_ctx *k, const char *text, diag_pos pos)
{
    return ky_plain_scalar(k->a, text, strlen(text), pos);
}

/* ---- prefix / suffix ---- */

typedef struct affix_ctx {
    const char *affix;
    bool suffix;
} affix_ctx;

static bool set_affix(kz_ctx *k, ir_node **slot, void *payload)
{
    affix_ctx *c = payload;
    ir_node *n = *slot;
    if (n->kind != IR_SCALAR) {
        diag_error(k->d, n->pos, "name fields must be scalars");
        return false;
    }
    const char *old = n->tag == IR_TAG_NULL ? "" : n->sc.s;
    char *v =
        c->suffix ? ar_printf(k->a, "%s%s", old, c->affix) : ar_printf(k->a, "%s%s", c->affix, old);
    *slot = plain_scalar(k, v, n->pos);
    return true;
}

bool kz_tr_prefix_suffix(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const char *affix,
                         bool suffix)
{
    static const kz_fspec skip[] = {
        {.group = "", .version = "", .kind = "CustomResourceDefinition", .path = ""},
        {.group = "apiregistration.k8s.io", .version = "", .kind = "APIService", .path = ""},
        {.group = "", .version = "", .kind = "Namespace", .path = ""},
    };
    affix_ctx c = {affix, suffix};
    for (size_t i = 0; i < set->n; i++) {
        ir_res *r = set->items[i];
        bool skipped = false;
        for (size_t s = 0; s < 3; s++)
            skipped = skipped || org_selected(r, &skip[s]);
        if (skipped) continue;
        for (size_t j = 0; j < fs->n; j++) {
            if (!org_selected(r, &fs->v[j])) continue;
            if (!strcmp(fs->v[j].path, "metadata/name")) {
                kz_resx *x = kz_resx_of(k, r);
                if (suffix)
                    x->suffixes = push_str(k, x->suffixes, &x->nsuffixes, affix);
                else
                    x->prefixes = push_str(k, x->prefixes, &x->nprefixes, affix);
                if (*affix) kz_store_previous_id(k, r);
            }
            if (!kz_fspec_apply(k, r->obj, &fs->v[j], IR_SCALAR, set_affix, &c)) return false;
            ir_res_refresh_id(k->a, r);
        }
    }
    return true;
}

/* ---- namespace ---- */

static bool set_string(kz_ctx *k, ir_node **slot, void *payload)
{
    const char *v = payload;
    ir_node *n = *slot;
    if (n->kind != IR_SCALAR) {
        diag_error(k->d, n->pos, "namespace field specs must target scalar nodes");
        return false;
    }
    *slot = ir_scalar(k->a, IR_TAG_STR, ar_strdup(k->a, v), strlen(v), n->pos);
    return true;
}

static void subjects_ns(kz_ctx *k, ir_node *obj, const char *ns)
{
    ir_node *subjects = ir_map_get(obj, "subjects");
    if (!subjects || subjects->kind != IR_SEQ) return;
    for (size_t i = 0; i < subjects->seq.n; i++) {
        ir_node *s = subjects->seq.items[i];
        if (s->kind != IR_MAP) continue;
        const char *name = ir_str_of(ir_map_get(s, "name"));
        if (!name || strcmp(name, "default")) continue;
        ir_map_set(k->a, s, "namespace", ir_str(k->a, ns, s->pos));
    }
}

bool kz_tr_namespace(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const char *ns, diag_pos where)
{
    if (!*ns) return true;
    for (size_t i = 0; i < set->n; i++) {
        ir_res *r = set->items[i];
        kz_store_previous_id(k, r);
        const ir_id *id = &r->id;
        if (!kz_cluster_scoped(id)) {
            ir_node *md = ir_map_get(r->obj, "metadata");
            if (md && md->kind == IR_MAP)
                ir_map_set(k->a, md, "namespace", ir_str(k->a, ns, md->pos));
        }
        bool binding = !strcmp(id->kind, "RoleBinding") || !strcmp(id->kind, "ClusterRoleBinding");
        if (binding) subjects_ns(k, r->obj, ns);
        const char *av =
            *id->group ? ar_printf(k->a, "%s/%s", id->group, id->version) : id->version;
        for (size_t j = 0; j < fs->n; j++) {
            const kz_fspec *f = &fs->v[j];
            if (!strcmp(f->path, "metadata/namespace")) continue;
            if (strcmp(av, "v1") && !strcmp(f->path, "metadata/name")) continue;
            if (binding && !strcmp(f->path, "subjects/namespace") &&
                (!strcmp(f->kind, "RoleBinding") || !strcmp(f->kind, "ClusterRoleBinding")))
                continue;
            if (!kz_fspec_selects(f, id->group, id->version, id->kind)) continue;
            if (!kz_fspec_apply(k, r->obj, f, IR_SCALAR, set_string, (void *)ns)) return false;
        }
        ir_res_refresh_id(k->a, r);
    }
    ir_res *dup = ir_resset_reindex(set);
    if (dup) {
        diag_error(k->d, where, "namespace transformation produces ID conflict: %s",
                   ir_id_str(k->a, &dup->id));
        return false;
    }
    return true;
}

/* ---- labels and annotations ---- */

static bool set_pairs(kz_ctx *k, ir_node **slot, void *payload)
{
    const ir_node *pairs = payload;
    ir_node *m = *slot;
    if (m->kind == IR_SCALAR && m->tag == IR_TAG_NULL) {
        m = ir_map(k->a, m->pos);
        *slot = m;
    }
    if (m->kind != IR_MAP) {
        diag_error(k->d, m->pos, "labels and annotations must be mappings");
        return false;
    }
    for (size_t i = 0; i < pairs->map.n; i++) {
        const ir_node *key = pairs->map.items[i].key, *val = pairs->map.items[i].val;
        const char *v = val->kind == IR_SCALAR && val->tag != IR_TAG_NULL ? val->sc.s : "";
        ir_node *s = ir_scalar(k->a, IR_TAG_STR, ar_strdup(k->a, v), strlen(v), val->pos);
        ir_pair *p = ir_map_find(m, key->sc.s, key->sc.n);
        if (p)
            p->val = s;
        else
            ir_map_append(k->a, m, ir_scalar(k->a, IR_TAG_STR, key->sc.s, key->sc.n, key->pos), s);
    }
    return true;
}

bool kz_tr_labels(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const ir_node *pairs,
                  bool annotations)
{
    (void)annotations;
    if (!pairs || pairs->kind != IR_MAP || !pairs->map.n) return true;
    for (size_t i = 0; i < set->n; i++) {
        ir_res *r = set->items[i];
        for (size_t j = 0; j < fs->n; j++) {
            if (!kz_fspec_selects(&fs->v[j], r->id.group, r->id.version, r->id.kind)) continue;
            if (!kz_fspec_apply(k, r->obj, &fs->v[j], IR_MAP, set_pairs, (void *)pairs))
                return false;
        }
    }
    return true;
}

/* ---- images ---- */

typedef struct image_ctx {
    const char *name, *new_name, *new_tag, *digest, *tag_suffix;
    pcre2_code *re;
} image_ctx;

/* kustomize's image.Split: name, tag and digest of an image reference. */
static void image_split(arena *a, const char *img, const char **name, const char **tag,
                        const char **digest)
{
    const char *slash = strchr(img, '/');
    size_t off = slash && slash != img ? (size_t)(slash - img) : 0;
    const char *search = img + off;
    const char *at = strchr(search, '@'), *colon = strchr(search, ':');
    *tag = *digest = "";
    if (!at && !colon) {
        *name = img;
        return;
    }
    if (at && (!colon || at < colon)) {
        *name = ar_strndup(a, img, (size_t)(at - img));
        *digest = at + 1;
        return;
    }
    if (at && colon) {
        *name = ar_strndup(a, img, (size_t)(colon - img));
        *tag = ar_strndup(a, colon + 1, (size_t)(at - colon - 1));
        *digest = at + 1;
        return;
    }
    *name = ar_strndup(a, img, (size_t)(colon - img));
    *tag = colon + 1;
}

static bool set_image(kz_ctx *k, ir_node **slot, void *payload)
{
    image_ctx *c = payload;
    ir_node *n = *slot;
    if (n->kind != IR_SCALAR) {
        diag_error(k->d, n->pos, "an image must be a scalar");
        return false;
    }
    const char *value = n->sc.s;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(c->re, NULL);
    if (!md) util_oom();
    int rc = pcre2_match(c->re, (PCRE2_SPTR)value, n->sc.n, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    if (rc < 0) return true;
    const char *name, *tag, *digest;
    image_split(k->a, value, &name, &tag, &digest);
    if (*c->new_name) name = c->new_name;
    if (*c->new_tag && *c->digest) {
        tag = c->new_tag;
        digest = c->digest;
    } else if (*c->new_tag) {
        tag = c->new_tag;
        digest = "";
    } else if (*c->digest) {
        tag = "";
        digest = c->digest;
    } else if (*c->tag_suffix) {
        tag = ar_printf(k->a, "%s%s", tag, c->tag_suffix);
        digest = "";
    }
    char *v = ar_printf(k->a, "%s%s%s%s%s", name, *tag ? ":" : "", tag, *digest ? "@" : "", digest);
    *slot = plain_scalar(k, v, n->pos);
    return true;
}

/* The legacy image filter: every `containers`/`initContainers` list anywhere in the object. */
static bool legacy_images(kz_ctx *k, ir_node *n, image_ctx *c)
{
    if (n->kind == IR_MAP) {
        for (size_t i = 0; i < n->map.n; i++) {
            ir_node *v = n->map.items[i].val;
            if (!legacy_images(k, v, c)) return false;
            const char *key = n->map.items[i].key->sc.s;
            if ((!strcmp(key, "containers") || !strcmp(key, "initContainers")) &&
                v->kind == IR_SEQ) {
                for (size_t j = 0; j < v->seq.n; j++) {
                    ir_node *ct = v->seq.items[j];
                    ir_pair *p = ct->kind == IR_MAP ? ir_map_find(ct, "image", 5) : NULL;
                    if (p && !set_image(k, &p->val, c)) return false;
                }
            }
        }
    } else if (n->kind == IR_SEQ) {
        for (size_t i = 0; i < n->seq.n; i++)
            if (!legacy_images(k, n->seq.items[i], c)) return false;
    }
    return true;
}

static const char *img_field(const ir_node *m, const char *key)
{
    const ir_node *v = ir_map_get(m, key);
    return v && v->kind == IR_SCALAR && v->tag != IR_TAG_NULL ? v->sc.s : "";
}

bool kz_tr_images(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const ir_node *image)
{
    if (image->kind != IR_MAP) {
        diag_error(k->d, image->pos,
                   "images entries must be mappings with name, newName, newTag, digest");
        return false;
    }
    image_ctx c = {img_field(image, "name"),      img_field(image, "newName"),
                   img_field(image, "newTag"),    img_field(image, "digest"),
                   img_field(image, "tagSuffix"), NULL};
    char *pat = ar_printf(k->a, "^%s(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$", c.name);
    int err;
    PCRE2_SIZE eoff;
    c.re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &eoff, NULL);
    if (!c.re) {
        diag_error(k->d, image->pos, "image name '%s' is not a valid pattern", c.name);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < set->n; i++) {
        ir_res *r = set->items[i];
        if (!strcmp(r->id.kind, "CustomResourceDefinition")) continue;
        ok = legacy_images(k, r->obj, &c);
        for (size_t j = 0; ok && j < fs->n; j++) {
            if (!kz_fspec_selects(&fs->v[j], r->id.group, r->id.version, r->id.kind)) continue;
            /* the image filter never creates fields, whatever the spec says */
            kz_fspec spec = fs->v[j];
            spec.create = false;
            ok = kz_fspec_apply(k, r->obj, &spec, IR_SCALAR, set_image, &c);
        }
    }
    pcre2_code_free(c.re);
    return ok;
}

/* ---- replicas ---- */

static bool set_count(kz_ctx *k, ir_node **slot, void *payload)
{
    const ir_node *count = payload;
    ir_node *n = ir_clone(k->a, count);
    n->pos = (*slot)->pos;
    *slot = n;
    return true;
}

static bool any_id_named(ir_res *r, const char *name)
{
    if (!strcmp(r->id.name, name)) return true;
    kz_resx *x = r->fe;
    for (size_t i = 0; x && i < x->nprev; i++)
        if (!strcmp(x->prev[i].name, name)) return true;
    return false;
}

bool kz_tr_replicas(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const ir_node *replica)
{
    const char *name = replica->kind == IR_MAP ? ir_str_of(ir_map_get(replica, "name")) : NULL;
    const ir_node *count = replica->kind == IR_MAP ? ir_map_get(replica, "count") : NULL;
    if (!name || !count || count->kind != IR_SCALAR || count->tag != IR_TAG_INT) {
        diag_error(k->d, replica->pos, "replicas entries need a 'name' and an integer 'count'");
        return false;
    }
    bool found = false;
    for (size_t j = 0; j < fs->n; j++) {
        for (size_t i = 0; i < set->n; i++) {
            ir_res *r = set->items[i];
            if (!any_id_named(r, name) ||
                !kz_fspec_selects(&fs->v[j], r->id.group, r->id.version, r->id.kind))
                continue;
            found = true;
            if (!kz_fspec_apply(k, r->obj, &fs->v[j], IR_SCALAR, set_count, (void *)count))
                return false;
        }
    }
    if (!found) {
        diag_error(
            k->d, replica->pos,
            "replicas: no Deployment, ReplicationController, ReplicaSet or StatefulSet named '%s'",
            name);
        return false;
    }
    return true;
}

/* ---- name references ---- */

typedef struct nameref_ctx {
    ir_resset *set;
    ir_res *referrer;
    const kz_nameref *target;
    const kz_fspec *fs;
    ir_res **cands;
    size_t ncands;
} nameref_ctx;

static bool ns_equal(const char *a, const char *b)
{
    if (!*a) a = "default";
    if (!*b) b = "default";
    return !strcmp(a, b);
}

static bool prev_name_matches(ir_res *r, const char *name)
{
    kz_resx *x = r->fe;
    for (size_t i = 0; x && i < x->nprev; i++)
        if (!strcmp(x->prev[i].name, name)) return true;
    return false;
}

static bool prev_kind_selected(ir_res *r, const char *group, const char *version, const char *kind)
{
    kz_resx *x = r->fe;
    for (size_t i = 0; x && i < x->nprev; i++) {
        if (*kind && strcmp(x->prev[i].kind, kind)) continue;
        if (*group && strcmp(r->id.group, group)) continue;
        if (*version && strcmp(r->id.version, version)) continue;
        return true;
    }
    return false;
}

/* SameEndingSubSlice: the shorter list equals the end of the longer one; an empty list matches
 * only an empty one. */
static bool same_ending(const char **a, size_t na, const char **b, size_t nb)
{
    size_t n = na < nb ? na : nb;
    if (n == 0) return na == nb;
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[na - 1 - i], b[nb - 1 - i])) return false;
    return true;
}

static bool affixes_equal(ir_res *a, ir_res *b, bool allow_empty)
{
    kz_resx *x = a->fe, *y = b->fe;
    const char **xp = x ? x->prefixes : NULL, **yp = y ? y->prefixes : NULL;
    const char **xs = x ? x->suffixes : NULL, **ys = y ? y->suffixes : NULL;
    size_t nxp = x ? x->nprefixes : 0, nyp = y ? y->nprefixes : 0, nxs = x ? x->nsuffixes : 0,
           nys = y ? y->nsuffixes : 0;
    if (allow_empty)
        return (!nxp || !nyp || same_ending(xp, nxp, yp, nyp)) &&
               (!nxs || !nys || same_ending(xs, nxs, ys, nys));
    return same_ending(xp, nxp, yp, nyp) && same_ending(xs, nxs, ys, nys);
}

/* kustomize's selectReferral: sieve candidates down to the one object the name refers to. */
static ir_res *select_referral(kz_ctx *k, nameref_ctx *c, const char *old, ir_res **cands, size_t n,
                               bool with_ns)
{
    ir_res **v = util_xmalloc((n + 1) * sizeof *v);
    size_t m = 0;
    ir_res *ref = c->referrer;
    const char *rolekind = NULL, *rolegroup = NULL;
    size_t plen = strlen(c->fs->path);
    if (plen >= 12 && !strcmp(c->fs->path + plen - 12, "roleRef/name")) {
        ir_node *rr = ir_map_get(ref->obj, "roleRef");
        rolekind = ir_str_of(ir_map_get(rr, "kind"));
        rolegroup = ir_str_of(ir_map_get(rr, "apiGroup"));
        if (!rolekind || !rolegroup) rolekind = rolegroup = NULL;
    }
    bool ref_cluster = kz_cluster_scoped(&ref->id);
    for (size_t i = 0; i < n; i++) {
        ir_res *r = cands[i];
        if (!prev_name_matches(r, old)) continue;
        if (!prev_kind_selected(r, c->target->group, c->target->version, c->target->kind)) continue;
        if (rolekind && !prev_kind_selected(r, rolegroup, "", rolekind)) continue;
        if (!ref_cluster && !kz_cluster_scoped(&r->id) && strcmp(r->id.kind, "ServiceAccount") &&
            !ns_equal(ref->id.ns, r->id.ns))
            continue;
        v[m++] = r;
    }
    ir_res *out = NULL;
    if (m != 1) {
        size_t m2 = 0;
        for (size_t i = 0; i < m; i++)
            if (affixes_equal(v[i], ref, true)) v[m2++] = v[i];
        m = m2;
        if (m > 1) {
            m2 = 0;
            for (size_t i = 0; i < m; i++)
                if (affixes_equal(v[i], ref, false)) v[m2++] = v[i];
            m = m2;
        }
    }
    if (m == 1) {
        out = v[0];
    } else if (m > 1) {
        bool same = true;
        for (size_t i = 1; i < m; i++)
            if (strcmp(v[i]->id.name, v[0]->id.name) ||
                (with_ns && strcmp(v[i]->id.ns, v[0]->id.ns)))
                same = false;
        if (same)
            out = v[0];
        else
            diag_error(k->d, ref->pos,
                       "found multiple possible referrals for name '%s' in %s (field %s)", old,
                       ir_id_str(k->a, &ref->id), c->fs->path);
    }
    free(v);
    if (m > 1 && !out) return (ir_res *)-1;
    return out;
}

static bool nameref_scalar(kz_ctx *k, nameref_ctx *c, ir_node **slot)
{
    ir_node *n = *slot;
    ir_res *r = select_referral(k, c, n->sc.s, c->cands, c->ncands, false);
    if (r == (ir_res *)-1) return false;
    if (!r || !strcmp(r->id.name, n->sc.s)) return true;
    *slot = ir_scalar(k->a, IR_TAG_STR, r->id.name, strlen(r->id.name), n->pos);
    return true;
}

static bool nameref_map(kz_ctx *k, nameref_ctx *c, ir_node *m)
{
    ir_pair *np = ir_map_find(m, "name", 4);
    if (!np) {
        diag_error(k->d, m->pos, "path config error; no 'name' field in node");
        return false;
    }
    if (np->val->kind != IR_SCALAR) return true;
    ir_res **cands = c->cands;
    size_t n = c->ncands;
    ir_res **filtered = NULL;
    const ir_node *nsn = ir_map_get(m, "namespace");
    if (nsn && nsn->kind == IR_SCALAR) {
        const char *ns = nsn->sc.s;
        filtered = util_xmalloc((n + 1) * sizeof *filtered);
        size_t f = 0;
        /* by original namespace first, else by current */
        for (size_t i = 0; i < n; i++) {
            kz_prev o = kz_org_id(cands[i]);
            if (!strcmp(o.ns, ns)) filtered[f++] = cands[i];
        }
        if (!f)
            for (size_t i = 0; i < n; i++)
                if (!strcmp(cands[i]->id.ns, ns)) filtered[f++] = cands[i];
        cands = filtered;
        n = f;
    }
    const char *old = np->val->sc.s;
    ir_res *r = select_referral(k, c, old, cands, n, true);
    free(filtered);
    if (r == (ir_res *)-1) return false;
    if (!r) return true;
    if (!strcmp(r->id.name, old) && !*r->id.ns) return true;
    np->val = ir_scalar(k->a, IR_TAG_STR, r->id.name, strlen(r->id.name), np->val->pos);
    if (*r->id.ns) ir_map_set(k->a, m, "namespace", ir_str(k->a, r->id.ns, m->pos));
    return true;
}

static bool nameref_set(kz_ctx *k, ir_node **slot, void *payload)
{
    nameref_ctx *c = payload;
    ir_node *n = *slot;
    if (n->kind == IR_SCALAR) {
        if (n->tag == IR_TAG_NULL) return true;
        return nameref_scalar(k, c, slot);
    }
    if (n->kind == IR_MAP) return nameref_map(k, c, n);
    for (size_t i = 0; i < n->seq.n; i++) {
        ir_node *e = n->seq.items[i];
        bool ok = e->kind == IR_SCALAR
                      ? (e->tag == IR_TAG_NULL || nameref_scalar(k, c, &n->seq.items[i]))
                  : e->kind == IR_MAP ? nameref_map(k, c, e)
                                      : true;
        if (!ok) return false;
    }
    return true;
}

/* Namespaces a RoleBinding's ServiceAccount subjects live in (they may refer across). */
static bool in_binding_namespaces(ir_res *referrer, const char *ns)
{
    if (strcmp(referrer->id.kind, "RoleBinding") && strcmp(referrer->id.kind, "ClusterRoleBinding"))
        return false;
    ir_node *subjects = ir_map_get(referrer->obj, "subjects");
    if (!subjects || subjects->kind != IR_SEQ) return false;
    for (size_t i = 0; i < subjects->seq.n; i++) {
        ir_node *s = subjects->seq.items[i];
        const char *kind = ir_str_of(ir_map_get(s, "kind"));
        const char *sns = ir_str_of(ir_map_get(s, "namespace"));
        if (kind && !strcmp(kind, "ServiceAccount") && sns && !strcmp(sns, ns)) return true;
    }
    return false;
}

typedef struct ns_slot {
    const char *ns; /* effective namespace */
    size_t idx;
} ns_slot;

static int cmp_ns_slot(const void *a, const void *b)
{
    const ns_slot *x = a, *y = b;
    int c = strcmp(x->ns, y->ns);
    return c ? c : (x->idx < y->idx ? -1 : x->idx > y->idx);
}

bool kz_tr_namerefs(kz_ctx *k, ir_resset *set, const kz_tconfig *tc)
{
    size_t n = set->n;
    /* only objects with earlier names can be referral targets (previousNameMatches) */
    bool *cluster = util_xmalloc((n + 1) * sizeof *cluster);
    ns_slot *byns = util_xmalloc((n + 1) * sizeof *byns);
    size_t nns = 0;
    ir_res **global = util_xmalloc((n + 1) * sizeof *global);
    size_t nglobal = 0;
    for (size_t i = 0; i < n; i++) {
        ir_res *r = set->items[i];
        cluster[i] = kz_cluster_scoped(&r->id);
        kz_resx *x = r->fe;
        if (!x || !x->nprev) continue;
        if (cluster[i])
            global[nglobal++] = r;
        else
            byns[nns++] = (ns_slot){*r->id.ns ? r->id.ns : "default", i};
    }
    qsort(byns, nns, sizeof *byns, cmp_ns_slot);
    ir_res **cands = util_xmalloc((n + 1) * sizeof *cands);
    bool ok = true;
    for (size_t ri = 0; ok && ri < n; ri++) {
        ir_res *ref = set->items[ri];
        kz_prev org = kz_org_id(ref);
        /* does any field spec apply to this referrer at all? */
        bool any = false;
        for (size_t b = 0; !any && b < tc->nnamerefs; b++)
            for (size_t j = 0; !any && j < tc->namerefs[b].referrers.n; j++)
                any = kz_fspec_selects(&tc->namerefs[b].referrers.v[j], ref->id.group,
                                       ref->id.version, org.kind);
        if (!any) continue;
        /* the objects it could refer to, in set order */
        size_t nc = 0;
        if (cluster[ri]) {
            for (size_t i = 0; i < n; i++) {
                kz_resx *x = set->items[i]->fe;
                if (x && x->nprev) cands[nc++] = set->items[i];
            }
        } else {
            bool binding =
                !strcmp(ref->id.kind, "RoleBinding") || !strcmp(ref->id.kind, "ClusterRoleBinding");
            /* kustomize reads a RoleBinding's ServiceAccount subjects' namespaces as strings */
            const ir_node *subjects =
                !strcmp(ref->id.kind, "RoleBinding") ? ir_map_get(ref->obj, "subjects") : NULL;
            for (size_t i = 0; subjects && subjects->kind == IR_SEQ && i < subjects->seq.n; i++) {
                const ir_node *sj = subjects->seq.items[i];
                const ir_node *sns = ir_map_get(sj, "namespace");
                const char *skind = ir_str_of(ir_map_get(sj, "kind"));
                if (sns && skind && !strcmp(skind, "ServiceAccount") && sns->tag != IR_TAG_STR) {
                    diag_error(k->d, sns->pos,
                               "namespace is blank for the ServiceAccount subject of %s",
                               ir_id_str(k->a, &ref->id));
                    ok = false;
                }
            }
            if (!ok) break;
            for (size_t i = 0; i < nglobal; i++)
                cands[nc++] = global[i];
            ns_slot key = {*ref->id.ns ? ref->id.ns : "default", 0};
            size_t lo = 0, hi = nns;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (strcmp(byns[mid].ns, key.ns) < 0)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t i = lo; i < nns && !strcmp(byns[i].ns, key.ns); i++)
                cands[nc++] = set->items[byns[i].idx];
            if (binding)
                for (size_t i = 0; i < nns; i++)
                    if (strcmp(byns[i].ns, key.ns) && in_binding_namespaces(ref, byns[i].ns))
                        cands[nc++] = set->items[byns[i].idx];
        }
        for (size_t b = 0; ok && b < tc->nnamerefs; b++) {
            const kz_nameref *nr = &tc->namerefs[b];
            for (size_t j = 0; ok && j < nr->referrers.n; j++) {
                const kz_fspec *fs = &nr->referrers.v[j];
                if (!kz_fspec_selects(fs, ref->id.group, ref->id.version, org.kind)) continue;
                nameref_ctx c = {set, ref, nr, fs, cands, nc};
                kz_fspec spec = *fs;
                spec.create = false;
                ok = kz_fspec_apply(k, ref->obj, &spec, -1, nameref_set, &c);
            }
        }
    }
    free(cands);
    free(cluster);
    free(byns);
    free(global);
    return ok;
}
