/* Reconciling a cluster's Flux Kustomizations offline: sources, the kustomization Flux generates
 * or edits, the kustomize build, post-build substitution, common metadata and owner labels,
 * nested Kustomizations, and the dependsOn order of the result. */
#include <openssl/evp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "flux/flux.h"
#include "yaml/yaml.h"

#define FLUX_KS_GROUP "kustomize.toolkit.fluxcd.io"
#define FLUX_LABEL_NAME "kustomize.toolkit.fluxcd.io/name"
#define FLUX_LABEL_NS "kustomize.toolkit.fluxcd.io/namespace"
#define FLUX_SUBST_KEY "kustomize.toolkit.fluxcd.io/substitute"

/* One Flux Kustomization met while following the cluster. */
typedef struct fx_ks {
    const ir_res *res; /* NULL for the implicit bootstrap root */
    const char *ns, *name, *key;
    size_t parent; /* index of the Kustomization that applies this one (SIZE_MAX: none) */
    ir_resset objs;
    ir_resset helm;    /* what its HelmReleases install into the cluster being printed */
    const char **deps; /* dependsOn, as "ns/name" */
    size_t ndeps;
    bool remote; /* applied to the remote cluster --kubeconfig-secret selects */
} fx_ks;

typedef struct fx {
    kz_ctx *k;
    const flux_opts *o;
    const char *repo_root; /* the directory of the repository's own GitRepository */
    const char *self_src;  /* "ns/name" of that GitRepository */
    fx_ks *v;
    size_t n, cap;
    ir_resset all;        /* every object so far, for substituteFrom and valuesFrom */
    ir_resset remote_all; /* what the selected remote cluster receives */
    const char **remotes; /* the git remotes of the repository, read when first needed */
    size_t nremotes;
    bool remotes_read;
} fx;

static const ir_node *spec_of(const ir_res *r)
{
    const ir_node *s = r ? ir_map_get(r->obj, "spec") : NULL;
    return s && s->kind == IR_MAP ? s : NULL;
}

static bool is_true(const ir_node *n)
{
    return n && n->kind == IR_SCALAR && n->tag == IR_TAG_BOOL && n->sc.v.b;
}

static bool is_flux_ks(const ir_res *r)
{
    return !strcmp(r->id.group, FLUX_KS_GROUP) && !strcmp(r->id.kind, "Kustomization");
}

bool flux_has_kustomizations(const ir_resset *set)
{
    for (size_t i = 0; i < set->n; i++)
        if (is_flux_ks(set->items[i])) return true;
    return false;
}

static bool is_flux_object(const ir_res *r)
{
    size_t n = strlen(r->id.group);
    static const char suffix[] = ".toolkit.fluxcd.io";
    size_t sl = sizeof suffix - 1;
    return (n > sl && !strcmp(r->id.group + n - sl, suffix)) ||
           !strcmp(r->id.group, "source.extensions.fluxcd.io");
}

static size_t fx_add(fx *f, const ir_res *res, const char *ns, const char *name, size_t parent)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->v = util_xrealloc(f->v, f->cap * sizeof *f->v);
    }
    fx_ks *ks = &f->v[f->n];
    memset(ks, 0, sizeof *ks);
    ks->res = res;
    ks->ns = ns;
    ks->name = name;
    ks->key = ar_printf(f->k->a, "%s/%s", ns, name);
    ks->parent = parent;
    ir_resset_init(&ks->objs);
    ir_resset_init(&ks->helm);
    const ir_node *deps = ir_map_get(spec_of(res), "dependsOn");
    if (deps && deps->kind == IR_SEQ) {
        ks->deps = ar_alloc(f->k->a, (deps->seq.n + 1) * sizeof *ks->deps);
        for (size_t i = 0; i < deps->seq.n; i++) {
            const ir_node *d = deps->seq.items[i];
            const char *dn = ir_get_str(d, "name"), *dns = ir_get_str(d, "namespace");
            if (!dn) continue;
            ks->deps[ks->ndeps++] = ar_printf(f->k->a, "%s/%s", dns ? dns : ns, dn);
        }
    }
    return f->n++;
}

static size_t fx_find(const fx *f, const char *key)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].key, key)) return i;
    return SIZE_MAX;
}

static const char *strip_dot(arena *a, const char *p);
static const char *prefix_of(arena *a, const char *dir, const char *suffix);

/* ---- metadata helpers ---- */

static ir_node *meta_map(arena *a, ir_node *obj, const char *field)
{
    ir_node *md = ir_map_get(obj, "metadata");
    if (!md || md->kind != IR_MAP) {
        md = ir_map(a, obj->pos);
        ir_map_set(a, obj, "metadata", md);
    }
    ir_node *m = ir_map_get(md, field);
    if (!m || m->kind != IR_MAP) {
        m = ir_map(a, md->pos);
        ir_map_set(a, md, field, m);
    }
    return m;
}

static const char *meta_str(const ir_node *obj, const char *field, const char *key)
{
    const ir_node *m = ir_map_get(ir_map_get(obj, "metadata"), field);
    return m && m->kind == IR_MAP ? ir_get_str(m, key) : NULL;
}

static void set_label(arena *a, ir_node *obj, const char *field, const char *key, const char *val)
{
    ir_node *m = meta_map(a, obj, field);
    ir_map_set(a, m, key, ir_str(a, val, m->pos));
}

/* ---- substitution ---- */

typedef struct fx_vars {
    const char **names, **vals;
    size_t n, cap;
} fx_vars;

static void vars_set(arena *a, fx_vars *v, const char *name, const char *val, size_t vl)
{
    /* Flux removes newlines from every value */
    char *s = ar_alloc(a, vl + 1);
    size_t o = 0;
    for (size_t i = 0; i < vl; i++)
        if (val[i] != '\n') s[o++] = val[i];
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->names[i], name)) {
            v->vals[i] = s;
            return;
        }
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        v->names = ar_realloc(a, v->names, v->cap * sizeof *v->names, nc * sizeof *v->names);
        v->vals = ar_realloc(a, v->vals, v->cap * sizeof *v->vals, nc * sizeof *v->vals);
        v->cap = nc;
    }
    v->names[v->n] = name;
    v->vals[v->n++] = s;
}

static bool vars_lookup(void *ctx, const char *name, size_t n, const char **val, size_t *vlen)
{
    const fx_vars *v = ctx;
    for (size_t i = 0; i < v->n; i++)
        if (strlen(v->names[i]) == n && !memcmp(v->names[i], name, n)) {
            *val = v->vals[i];
            *vlen = strlen(v->vals[i]);
            return true;
        }
    return false;
}

static bool b64_decode(arena *a, const char *s, size_t n, char **out, size_t *olen)
{
    char *clean = ar_alloc(a, n + 1);
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\n' && s[i] != '\r' && s[i] != ' ') clean[c++] = s[i];
    if (c % 4) return false;
    unsigned char *buf = ar_alloc(a, c / 4 * 3 + 1);
    int r = c ? EVP_DecodeBlock(buf, (const unsigned char *)clean, (int)c) : 0;
    if (r < 0) return false;
    size_t len = (size_t)r;
    if (c >= 1 && clean[c - 1] == '=') len--;
    if (c >= 2 && clean[c - 2] == '=') len--;
    buf[len] = 0;
    *out = (char *)buf;
    *olen = len;
    return true;
}

static const ir_res *find_obj(const fx *f, const char *kind, const char *ns, const char *name)
{
    ir_id id = {.group = "", .version = "v1", .kind = kind, .ns = ns, .name = name};
    return ir_resset_find(&f->all, &id);
}

/* Reads the data of a ConfigMap or Secret (Secret data base64-decoded) into vars. */
static bool add_data_vars(fx *f, const ir_res *src, fx_vars *vars, const char *who)
{
    arena *a = f->k->a;
    bool secret = !strcmp(src->id.kind, "Secret");
    const ir_node *data = ir_map_get(src->obj, "data");
    for (size_t i = 0; data && data->kind == IR_MAP && i < data->map.n; i++) {
        const ir_node *key = data->map.items[i].key, *val = data->map.items[i].val;
        if (key->kind != IR_SCALAR || val->kind != IR_SCALAR) continue;
        if (secret) {
            char *dec;
            size_t dl;
            if (!b64_decode(a, val->sc.s, val->sc.n, &dec, &dl)) {
                diag_error(f->k->d, val->pos, "%s: Secret %s/%s: data.%s is not valid base64", who,
                           src->id.ns, src->id.name, key->sc.s);
                return false;
            }
            vars_set(a, vars, key->sc.s, dec, dl);
        } else {
            vars_set(a, vars, key->sc.s, val->sc.s, val->sc.n);
        }
    }
    /* stringData, as the API server would merge it into data */
    const ir_node *sd = secret ? ir_map_get(src->obj, "stringData") : NULL;
    for (size_t i = 0; sd && sd->kind == IR_MAP && i < sd->map.n; i++) {
        const ir_node *key = sd->map.items[i].key, *val = sd->map.items[i].val;
        if (key->kind == IR_SCALAR && val->kind == IR_SCALAR)
            vars_set(a, vars, key->sc.s, val->sc.s, val->sc.n);
    }
    return true;
}

static bool gather_vars(fx *f, const fx_ks *ks, const ir_node *pb, fx_vars *vars)
{
    const ir_node *from = ir_map_get(pb, "substituteFrom");
    for (size_t i = 0; from && from->kind == IR_SEQ && i < from->seq.n; i++) {
        const ir_node *ref = from->seq.items[i];
        const char *kind = ir_get_str(ref, "kind"), *name = ir_get_str(ref, "name");
        if (!kind || !name || (strcmp(kind, "ConfigMap") && strcmp(kind, "Secret"))) {
            diag_error(f->k->d, ref->pos,
                       "Kustomization %s: substituteFrom entries need kind ConfigMap or Secret "
                       "and a name",
                       ks->key);
            return false;
        }
        const ir_res *src = find_obj(f, kind, ks->ns, name);
        if (!src) {
            if (is_true(ir_map_get(ref, "optional"))) continue;
            diag_error(f->k->d, ref->pos,
                       "Kustomization %s: substitute from '%s/%s' error: not found among the "
                       "cluster's objects rendered before it (mark it `optional: true` or add it)",
                       ks->key, kind, name);
            return false;
        }
        if (!add_data_vars(f, src, vars, ks->key)) return false;
    }
    const ir_node *sub = ir_map_get(pb, "substitute");
    for (size_t i = 0; sub && sub->kind == IR_MAP && i < sub->map.n; i++) {
        const ir_node *key = sub->map.items[i].key, *val = sub->map.items[i].val;
        if (key->kind != IR_SCALAR || val->kind != IR_SCALAR) continue;
        vars_set(f->k->a, vars, key->sc.s, val->sc.s, val->sc.n);
    }
    for (size_t i = 0; i < vars->n; i++)
        if (!flux_var_name_valid(vars->names[i])) {
            diag_error(f->k->d, ks->res ? ks->res->pos : diag_nopos,
                       "Kustomization %s: '%s' var name is invalid, must match "
                       "'^[_[:alpha:]][_[:alpha:][:digit:]]*$'",
                       ks->key, vars->names[i]);
            return false;
        }
    return true;
}

/* A substituted object was re-read from its printed text: its nodes take the positions of the
 * nodes they came from (same key path), so findings point at the repository's files, at the
 * `${var}` itself for a substituted value, and not at the substituted text. */
static void keep_positions(ir_node *n, const ir_node *old, int depth)
{
    if (!n || !old || depth > 256) return;
    n->pos = old->pos;
    if (n->kind == IR_MAP && old->kind == IR_MAP) {
        for (size_t i = 0; i < n->map.n; i++) {
            const ir_node *key = n->map.items[i].key;
            if (!key || key->kind != IR_SCALAR) continue;
            const ir_pair *o = ir_map_find(old, key->sc.s, strlen(key->sc.s));
            if (!o) continue;
            n->map.items[i].key->pos = o->key->pos;
            keep_positions(n->map.items[i].val, o->val, depth + 1);
        }
    } else if (n->kind == IR_SEQ && old->kind == IR_SEQ) {
        for (size_t i = 0; i < n->seq.n && i < old->seq.n; i++)
            keep_positions(n->seq.items[i], old->seq.items[i], depth + 1);
    }
}

static bool substitute_set(fx *f, const fx_ks *ks, ir_resset *set, const fx_vars *vars)
{
    kz_ctx *k = f->k;
    bool changed = false;
    for (size_t i = 0; i < set->n; i++) {
        ir_res *r = set->items[i];
        const char *l = meta_str(r->obj, "labels", FLUX_SUBST_KEY);
        const char *an = meta_str(r->obj, "annotations", FLUX_SUBST_KEY);
        if ((l && !strcmp(l, "disabled")) || (an && !strcmp(an, "disabled"))) continue;
        buf_t yaml = {0}, out = {0};
        em_yaml_doc(&yaml, r->obj);
        if (!yaml.len || !memchr(yaml.data, '$', yaml.len)) {
            buf_free(&yaml); /* nothing to expand: the same object comes back */
            continue;
        }
        const char *err;
        bool ok = flux_envsubst(k->a, yaml.data ? yaml.data : "", yaml.len, vars_lookup,
                                (void *)vars, f->o->strict_subst, &out, &err);
        buf_free(&yaml);
        if (!ok) {
            diag_error(k->d, r->pos,
                       "Kustomization %s: variable substitution failed in %s %s%s%s: %s", ks->key,
                       r->id.kind, r->id.ns, *r->id.ns ? "/" : "", r->id.name, err);
            buf_free(&out);
            return false;
        }
        char *text = ar_strndup(k->a, out.data ? out.data : "", out.len);
        size_t len = out.len;
        buf_free(&out);
        uint32_t file = diag_file_add(
            k->d, ar_printf(k->a, "<%s after postBuild>", em_res_id(k->a, r)), text, len);
        ky_opts yo = {.flavor = KY_V2};
        ky_docs docs;
        ir_res *nr;
        if (!ky_load(k->a, k->d, file, text, len, &yo, &docs) || docs.n != 1 ||
            docs.docs[0]->kind != IR_MAP || !ir_res_make(k->a, k->d, docs.docs[0], r->pos, &nr)) {
            diag_error(k->d, r->pos,
                       "Kustomization %s: %s %s is no longer a Kubernetes object after "
                       "substitution",
                       ks->key, r->id.kind, r->id.name);
            return false;
        }
        keep_positions(nr->obj, r->obj, 0);
        nr->fe = r->fe;
        set->items[i] = nr;
        changed = true;
    }
    if (changed && ir_resset_reindex(set)) {
        diag_error(k->d, diag_nopos,
                   "Kustomization %s: two objects have the same id after substitution", ks->key);
        return false;
    }
    return true;
}

/* ---- the kustomization Flux builds ---- */

static bool is_manifest(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && !strcmp(n + l - 5, ".yaml")) || (l > 4 && !strcmp(n + l - 4, ".yml"));
}

/* fluxcd/pkg's generated kustomization: every .yaml/.yml below dir in lexical order, a
 * subdirectory with its own kustomization file as a directory (not descended into). */
static bool gen_collect(kz_ctx *k, const char *root, const char *dir, ir_node *res)
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
        const char *rel = p + strlen(root) + (strcmp(root, ".") ? 1 : 0);
        if (!strcmp(root, ".")) rel = p;
        bool amb = false;
        if (kind == SRC_DIR && (kz_find_file(k, p, diag_nopos, &amb) || amb)) {
            if (amb) return false;
            ir_seq_append(k->a, res, ir_str(k->a, rel, diag_nopos));
        } else if (kind == SRC_DIR) {
            if (!gen_collect(k, root, p, res)) return false;
        } else if (kind == SRC_FILE && is_manifest(names[i])) {
            ir_seq_append(k->a, res, ir_str(k->a, rel, diag_nopos));
        }
    }
    return true;
}

static void append_list(arena *a, ir_node *kz, const char *field, const ir_node *add)
{
    if (!add || add->kind != IR_SEQ || !add->seq.n) return;
    ir_node *l = ir_map_get(kz, field);
    if (!l || l->kind != IR_SEQ) {
        l = ir_seq(a, add->pos);
        ir_map_set(a, kz, field, l);
    }
    for (size_t i = 0; i < add->seq.n; i++)
        ir_seq_append(a, l, ir_clone(a, add->seq.items[i]));
}

static bool load_kz(kz_ctx *k, const char *path, const fx_ks *ks, ir_node **out)
{
    bool amb = false;
    const char *kf = kz_find_file(k, path, diag_nopos, &amb);
    if (amb) return false;
    if (!kf) {
        ir_node *kz = ir_map(k->a, diag_nopos);
        ir_map_set(k->a, kz, "apiVersion",
                   ir_str(k->a, "kustomize.config.k8s.io/v1beta1", diag_nopos));
        ir_map_set(k->a, kz, "kind", ir_str(k->a, "Kustomization", diag_nopos));
        ir_node *res = ir_seq(k->a, diag_nopos);
        if (!gen_collect(k, path, path, res)) return false;
        ir_map_set(k->a, kz, "resources", res);
        *out = kz;
        return true;
    }
    char *text;
    size_t len;
    const char *err;
    if (!src_read(k->src, k->a, kf, &text, &len, &err)) {
        diag_error(k->d, ks->res ? ks->res->pos : diag_nopos, "%s", err);
        return false;
    }
    uint32_t file = diag_file_add(k->d, kf, text, len);
    ky_opts o = {.flavor = KY_V3, .dup_last_wins = true};
    ky_docs docs;
    if (!ky_load(k->a, k->d, file, text, len, &o, &docs)) return false;
    *out = docs.n ? docs.docs[0] : ir_map(k->a, diag_at(file, 1, 1));
    if ((*out)->kind != IR_MAP) {
        diag_error(k->d, (*out)->pos, "a kustomization must be a mapping");
        return false;
    }
    return true;
}

/* The directory an ExternalArtifact of an ArtifactGenerator stands for, when its copy rules
 * only move one directory of this repository: every rule copies "@alias/P/T" with the recursive
 * glob to "@artifact/T/", with the same P and an alias naming the repository's GitRepository.
 * NULL otherwise. */
static const char *artifact_dir(fx *f, const char *ns, const char *name)
{
    arena *a = f->k->a;
    for (size_t i = 0; i < f->all.n; i++) {
        const ir_res *g = f->all.items[i];
        if (strcmp(g->id.group, "source.extensions.fluxcd.io") ||
            strcmp(g->id.kind, "ArtifactGenerator") || strcmp(g->id.ns, ns))
            continue;
        const ir_node *srcs = ir_map_get(spec_of(g), "sources");
        const ir_node *arts = ir_map_get(spec_of(g), "artifacts");
        for (size_t j = 0; arts && arts->kind == IR_SEQ && j < arts->seq.n; j++) {
            const ir_node *art = arts->seq.items[j];
            const char *an = ir_get_str(art, "name");
            const ir_node *copy = ir_map_get(art, "copy");
            if (!an || strcmp(an, name) || !copy || copy->kind != IR_SEQ) continue;
            const char *base = NULL;
            for (size_t c = 0; c < copy->seq.n; c++) {
                const char *from = ir_get_str(copy->seq.items[c], "from");
                const char *to = ir_get_str(copy->seq.items[c], "to");
                if (!from || !to || from[0] != '@' || strncmp(to, "@artifact/", 10)) return NULL;
                const char *slash = strchr(from, '/');
                size_t fl = strlen(from);
                if (!slash || fl < 3 || strcmp(from + fl - 3, "/**")) return NULL;
                const char *alias = ar_strndup(a, from + 1, (size_t)(slash - from - 1));
                bool self = false;
                for (size_t s = 0; srcs && srcs->kind == IR_SEQ && s < srcs->seq.n; s++) {
                    const ir_node *sn = srcs->seq.items[s];
                    const char *al = ir_get_str(sn, "alias"), *sk = ir_get_str(sn, "kind");
                    const char *nm = ir_get_str(sn, "name"), *sns = ir_get_str(sn, "namespace");
                    if (al && nm && sk && !strcmp(al, alias) && !strcmp(sk, "GitRepository") &&
                        !strcmp(ar_printf(a, "%s/%s", sns ? sns : ns, nm), f->self_src))
                        self = true;
                }
                if (!self) return NULL;
                const char *dir =
                    strip_dot(a, ar_strndup(a, slash + 1, fl - 3 - (size_t)(slash + 1 - from)));
                const char *t = strip_dot(a, *(to + 10) ? to + 10 : ".");
                const char *p = prefix_of(a, dir, t);
                if (!p || (base && strcmp(base, p))) return NULL;
                base = p;
            }
            return base ? src_join(a, f->repo_root, base) : NULL;
        }
    }
    return NULL;
}

/* A git URL reduced to host/path for comparison: no scheme, user, ".git" or trailing '/',
 * scp-like "host:path" as "host/path", host in lower case. */
static const char *url_key(arena *a, const char *url)
{
    const char *s = url;
    const char *scheme = strstr(s, "://");
    bool scp = !scheme;
    if (scheme) s = scheme + 3;
    const char *at = strchr(s, '@'), *slash = strchr(s, '/');
    if (at && (!slash || at < slash)) s = at + 1;
    char *o = ar_strdup(a, s);
    bool in_host = true;
    for (char *p = o; *p; p++) {
        if (in_host && *p == ':' && scp) *p = '/';
        if (*p == '/') in_host = false;
        if (in_host && *p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    }
    /* ssh://host:22/path: drop the port */
    char *colon = strchr(o, ':');
    if (colon && (!strchr(o, '/') || colon < strchr(o, '/'))) {
        char *e = colon + 1;
        while (*e >= '0' && *e <= '9')
            e++;
        memmove(colon, e, strlen(e) + 1);
    }
    size_t l = strlen(o);
    while (l && o[l - 1] == '/')
        o[--l] = 0;
    if (l > 4 && !strcmp(o + l - 4, ".git")) o[l - 4] = 0;
    return o;
}

/* True when the GitRepository src's URL is one of this repository's remotes. */
static bool is_this_repo(fx *f, const ir_res *src)
{
    const char *url = ir_get_str(spec_of(src), "url");
    if (!url) return false;
    if (!f->remotes_read) {
        f->remotes_read = true;
        src_git_remote_urls(f->k->a, f->repo_root, &f->remotes, &f->nremotes);
    }
    const char *key = url_key(f->k->a, url);
    for (size_t i = 0; i < f->nremotes; i++)
        if (!strcmp(key, url_key(f->k->a, f->remotes[i]))) return true;
    return false;
}

/* The directory a Kustomization's sourceRef stands for, or NULL after an error. */
static const char *source_dir(fx *f, const fx_ks *ks, const ir_node *spec, const char **ref)
{
    *ref = NULL;
    const ir_node *sr = ir_map_get(spec, "sourceRef");
    const char *kind = ir_get_str(sr, "kind"), *name = ir_get_str(sr, "name");
    const char *ns = ir_get_str(sr, "namespace");
    if (!kind) kind = "GitRepository";
    if (!ns) ns = ks->ns;
    if (!name) {
        diag_error(f->k->d, ks->res ? ks->res->pos : diag_nopos,
                   "Kustomization %s: spec.sourceRef.name is missing", ks->key);
        return NULL;
    }
    const char *key = ar_printf(f->k->a, "%s/%s", ns, name);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < f->o->nsources; i++) {
            const flux_source *s = &f->o->sources[i];
            if (strcmp(s->key, pass ? name : key)) continue;
            *ref = s->ref;
            return src_clean(f->k->a, s->path);
        }
    if (!strcmp(kind, "GitRepository") && !strcmp(key, f->self_src)) return f->repo_root;
    if (!strcmp(kind, "ExternalArtifact")) {
        const char *d = artifact_dir(f, ns, name);
        if (d) return d;
    }
    const ir_res *src = NULL;
    for (size_t i = 0; i < f->all.n; i++) {
        const ir_res *r = f->all.items[i];
        if (!strcmp(r->id.kind, kind) && !strcmp(r->id.ns, ns) && !strcmp(r->id.name, name))
            src = r;
    }
    if (src && !strcmp(kind, "GitRepository") && is_this_repo(f, src)) return f->repo_root;
    const char *url = src ? ir_get_str(spec_of(src), "url") : NULL;
    diag_error(f->k->d, ks->res ? ks->res->pos : diag_nopos,
               "Kustomization %s: source %s %s%s%s%s is not available offline; map it to a local "
               "directory with --source %s=PATH",
               ks->key, kind, key, src ? "" : " (not found in the render)", url ? " at " : "",
               url ? url : "", key);
    return NULL;
}

static bool build_in_tree(fx *f, size_t idx, const char *dir, diag_pos at);

static bool build_ks(fx *f, size_t idx)
{
    kz_ctx *k = f->k;
    fx_ks *ks = &f->v[idx];
    const ir_node *spec = spec_of(ks->res);
    diag_pos at = ks->res ? ks->res->pos : diag_nopos;
    const char *ref;
    const char *dir = source_dir(f, ks, spec, &ref);
    if (!dir) return false;
    if (ref) {
        /* --source NAME=PATH@REF: the source as it is in that revision of the git repository
         * at PATH, read from its object database */
        src_tree git, *saved = k->src;
        const char *err;
        if (!src_open_git(&git, k->a, dir, ref, &err)) {
            diag_error(k->d, at, "Kustomization %s: --source %s@%s: %s", ks->key, dir, ref, err);
            return false;
        }
        int jobs = k->jobs;
        k->src = &git;
        k->jobs = 1; /* one libgit2 repository handle, one thread */
        bool ok = build_in_tree(f, idx, dir, at);
        k->src = saved;
        k->jobs = jobs;
        src_close(&git);
        return ok;
    }
    char *real = realpath(dir, NULL);
    bool outside = real && !src_is_within(k->src->root, real);
    free(real);
    if (outside) {
        /* a --source directory outside the tree: a tree of its own (its git work tree) */
        src_tree other, *saved = k->src;
        const char *err = "no such directory";
        char *root = src_guess_root(dir);
        bool opened = root && src_open_fs(&other, root, &err);
        free(root);
        if (!opened) {
            diag_error(k->d, at, "Kustomization %s: source '%s': %s", ks->key, dir, err);
            return false;
        }
        k->src = &other;
        bool ok = build_in_tree(f, idx, dir, at);
        k->src = saved;
        src_close(&other);
        return ok;
    }
    return build_in_tree(f, idx, dir, at);
}

/* The build of Kustomization idx whose source is directory dir of the current tree. */
static bool build_in_tree(fx *f, size_t idx, const char *dir, diag_pos at)
{
    kz_ctx *k = f->k;
    fx_ks *ks = &f->v[idx];
    const ir_node *spec = spec_of(ks->res);
    const char *sp = ir_get_str(spec, "path");
    const char *path = src_join(k->a, dir, strip_dot(k->a, sp));
    if (src_stat(k->src, path) != SRC_DIR) {
        diag_error(k->d, at, "Kustomization %s: path '%s' not found (looked in '%s')", ks->key,
                   sp ? sp : ".", path);
        return false;
    }
    ir_node *kz;
    if (!load_kz(k, path, ks, &kz)) return false;
    /* a targetNamespace that is present replaces the file's namespace, even when empty */
    const char *tns = ir_str_of(ir_map_get(spec, "targetNamespace"));
    if (tns && *tns)
        ir_map_set(k->a, kz, "namespace", ir_str(k->a, tns, at));
    else if (tns)
        ir_map_remove(kz, "namespace");
    const char *pre = ir_get_str(spec, "namePrefix"), *suf = ir_get_str(spec, "nameSuffix");
    if (pre) ir_map_set(k->a, kz, "namePrefix", ir_str(k->a, pre, at));
    if (suf) ir_map_set(k->a, kz, "nameSuffix", ir_str(k->a, suf, at));
    append_list(k->a, kz, "patches", ir_map_get(spec, "patches"));
    append_list(k->a, kz, "components", ir_map_get(spec, "components"));
    /* v1beta2's patchesStrategicMerge (inline objects) and patchesJson6902 ({target, patch:
     * operations}) go to the kustomization's fields of those names, as JSON text */
    const ir_node *psm = ir_map_get(spec, "patchesStrategicMerge");
    for (size_t i = 0; psm && psm->kind == IR_SEQ && i < psm->seq.n; i++) {
        buf_t j = {0};
        em_json_doc(&j, psm->seq.items[i], 0);
        ir_node *one = ir_seq(k->a, at);
        ir_seq_append(k->a, one, ir_str(k->a, ar_strndup(k->a, j.data, j.len), psm->pos));
        buf_free(&j);
        append_list(k->a, kz, "patchesStrategicMerge", one);
    }
    const ir_node *pj = ir_map_get(spec, "patchesJson6902");
    for (size_t i = 0; pj && pj->kind == IR_SEQ && i < pj->seq.n; i++) {
        const ir_node *e = pj->seq.items[i];
        ir_node *entry = ir_map(k->a, e->pos);
        const ir_node *tgt = ir_map_get(e, "target"), *ops = ir_map_get(e, "patch");
        if (tgt) ir_map_set(k->a, entry, "target", ir_clone(k->a, tgt));
        buf_t j = {0};
        if (ops) em_json_doc(&j, ops, 0);
        ir_map_set(
            k->a, entry, "patch",
            ir_str(k->a, ar_strndup(k->a, j.data ? j.data : "[]", j.data ? j.len : 2), e->pos));
        buf_free(&j);
        ir_node *one = ir_seq(k->a, at);
        ir_seq_append(k->a, one, entry);
        append_list(k->a, kz, "patchesJson6902", one);
    }
    /* images: one with the name of an image already listed replaces it */
    const ir_node *imgs = ir_map_get(spec, "images");
    for (size_t i = 0; imgs && imgs->kind == IR_SEQ && i < imgs->seq.n; i++) {
        const ir_node *img = imgs->seq.items[i];
        const char *name = ir_get_str(img, "name");
        ir_node *list = ir_map_get(kz, "images");
        bool replaced = false;
        for (size_t j = 0; name && list && list->kind == IR_SEQ && j < list->seq.n; j++) {
            const char *n2 = ir_get_str(list->seq.items[j], "name");
            if (n2 && !strcmp(n2, name)) {
                list->seq.items[j] = ir_clone(k->a, img);
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            ir_node *one = ir_seq(k->a, at);
            ir_seq_append(k->a, one, ir_clone(k->a, img));
            append_list(k->a, kz, "images", one);
        }
    }

    ir_node *saved_kz = k->root_kz;
    bool saved_ln = k->load_none;
    /* every Kustomization is a build of its own: an `openapi:` schema does not carry over */
    const char *const(*rows)[5] = k->smp_rows;
    size_t nrows = k->smp_nrows;
    bool schema_set = k->schema_set;
    k->smp_rows = NULL;
    k->smp_nrows = 0;
    k->schema_set = false;
    k->root_kz = kz;
    k->load_none = true; /* Flux builds without load restrictions */
    kz_sort sort;
    bool ok = kz_build(k, path, &ks->objs, &sort) && kz_finalize(k, &ks->objs);
    k->root_kz = saved_kz;
    k->load_none = saved_ln;
    k->smp_rows = rows;
    k->smp_nrows = nrows;
    k->schema_set = schema_set;
    if (!ok) {
        diag_note(k->d, at, "while building Kustomization %s (path '%s')", ks->key, path);
        return false;
    }
    if (!sort.fifo)
        em_sort_legacy(ks->objs.items, ks->objs.n, sort.first, sort.nfirst, sort.last, sort.nlast);

    const ir_node *pb = ir_map_get(spec, "postBuild");
    if (pb && pb->kind == IR_MAP) {
        fx_vars vars = {0};
        if (!gather_vars(f, ks, pb, &vars)) return false;
        if (vars.n && !substitute_set(f, ks, &ks->objs, &vars)) return false;
    }
    const ir_node *cm = ir_map_get(spec, "commonMetadata");
    const char *fields[] = {"labels", "annotations"};
    for (size_t fi = 0; cm && fi < 2; fi++) {
        const ir_node *m = ir_map_get(cm, fields[fi]);
        for (size_t j = 0; m && m->kind == IR_MAP && j < m->map.n; j++) {
            const char *key = ir_str_of(m->map.items[j].key);
            const char *val = ir_str_of(m->map.items[j].val);
            if (!key || !val) continue;
            for (size_t i = 0; i < ks->objs.n; i++)
                set_label(k->a, ks->objs.items[i]->obj, fields[fi], key, val);
        }
    }
    return true;
}

/* Owner labels, then the objects into the cluster-wide index; nested Kustomizations queued. */
static void adopt_group(fx *f, size_t idx)
{
    kz_ctx *k = f->k;
    for (size_t i = 0; i < f->v[idx].objs.n;) {
        fx_ks *ks = &f->v[idx];
        ir_res *r = ks->objs.items[i];
        set_label(k->a, r->obj, "labels", FLUX_LABEL_NAME, ks->name);
        set_label(k->a, r->obj, "labels", FLUX_LABEL_NS, ks->ns);
        ir_res *old = ir_resset_add(ks->remote ? &f->remote_all : &f->all, r);
        if (old) {
            const char *owner = meta_str(old->obj, "labels", FLUX_LABEL_NAME);
            const char *owner_ns = meta_str(old->obj, "labels", FLUX_LABEL_NS);
            diag_warn(k->d, r->pos,
                      "%s is applied by Kustomization %s and by %s/%s; Flux's two "
                      "Kustomizations would fight over it (kept the first)",
                      ir_id_str(k->a, &r->id), ks->key, owner_ns ? owner_ns : "?",
                      owner ? owner : "?");
            ir_resset_remove_at(&ks->objs, i);
            continue;
        }
        i++;
        /* a Kustomization sent to a remote cluster is that cluster's Flux's business */
        if (!is_flux_ks(r) || ks->remote) continue;
        const char *ns = *r->id.ns ? r->id.ns : "default";
        const char *key = ar_printf(k->a, "%s/%s", ns, r->id.name);
        if (fx_find(f, key) != SIZE_MAX) continue;
        fx_add(f, r, ns, r->id.name, idx);
    }
}

/* Renders Kustomization idx (unless suspended or remote); its HelmReleases come later. */
static bool reconcile(fx *f, size_t idx)
{
    kz_ctx *k = f->k;
    const fx_ks *ks = &f->v[idx];
    const ir_node *spec = spec_of(ks->res);
    diag_pos at = ks->res ? ks->res->pos : diag_nopos;
    if (is_true(ir_map_get(spec, "suspend"))) {
        diag_note(k->d, at, "Kustomization %s is suspended: its objects are left out", ks->key);
        return true;
    }
    const ir_node *kc = ir_map_get(spec, "kubeConfig");
    const char *secret = ir_get_str(ir_map_get(kc, "secretRef"), "name");
    if (kc && f->o->remote && secret &&
        !strcmp(f->o->remote, ar_printf(k->a, "%s/%s", ks->ns, secret))) {
        f->v[idx].remote = true;
    } else if (kc) {
        diag_note(k->d, at,
                  "Kustomization %s applies to a remote cluster (spec.kubeConfig): its objects "
                  "are left out",
                  ks->key);
        return true;
    }
    if (!build_ks(f, idx)) return false;
    adopt_group(f, idx);
    return true;
}

/* The HelmReleases Kustomization idx applied, once every Kustomization is built (their sources
 * and valuesFrom objects may come from any of them; helm-controller waits for them). Only what
 * installs into the cluster being printed is rendered: into ks->helm. */
static bool reconcile_helm(fx *f, size_t idx)
{
    fx_ks *ks = &f->v[idx];
    ir_resset helm;
    ir_resset_init(&helm);
    /* the objects of the cluster the HelmReleases were applied to */
    ir_resset *all = ks->remote ? &f->remote_all : &f->all;
    flux_helm_env env = {
        .all = all, .self_src = f->self_src, .repo_root = f->repo_root, .remote = f->o->remote};
    env.o = f->o;
    env.group_remote = ks->remote;
    bool ok = flux_helm_group(f->k, &env, (const ir_res *const *)ks->objs.items, ks->objs.n, &helm);
    if (ok) em_sort_legacy(helm.items, helm.n, NULL, 0, NULL, 0);
    for (size_t i = 0; ok && i < helm.n; i++)
        if (!ir_resset_add(all, helm.items[i])) ir_resset_add(&ks->helm, helm.items[i]);
    ir_resset_free(&helm);
    return ok;
}

/* ---- dependsOn order ---- */

static bool report_cycle(fx *f)
{
    /* follow dependsOn edges from every node; a node met twice on the path closes a cycle */
    size_t *state = calloc(f->n, sizeof *state), *path = malloc((f->n + 1) * sizeof *path);
    if (!state || !path) util_oom();
    bool found = false;
    for (size_t s = 0; s < f->n && !found; s++) {
        if (state[s]) continue;
        /* iterative DFS over first unfinished dependency */
        size_t depth = 0;
        path[depth++] = s;
        state[s] = 1;
        while (depth && !found) {
            size_t u = path[depth - 1];
            size_t next = SIZE_MAX;
            for (size_t d = 0; d < f->v[u].ndeps; d++) {
                size_t t = fx_find(f, f->v[u].deps[d]);
                if (t == SIZE_MAX || state[t] == 2) continue;
                if (state[t] == 1) {
                    buf_t b = {0};
                    size_t from = 0;
                    while (path[from] != t)
                        from++;
                    for (size_t j = from; j < depth; j++)
                        buf_printf(&b, "%s -> ", f->v[path[j]].key);
                    buf_puts(&b, f->v[t].key);
                    diag_error(f->k->d, f->v[t].res ? f->v[t].res->pos : diag_nopos,
                               "dependsOn cycle: %s (A -> B: A depends on B)", buf_cstr(&b));
                    buf_free(&b);
                    found = true;
                    break;
                }
                next = t;
                break;
            }
            if (found) break;
            if (next == SIZE_MAX) {
                state[u] = 2;
                depth--;
            } else {
                state[next] = 1;
                path[depth++] = next;
            }
        }
    }
    free(state);
    free(path);
    return found;
}

/* Kahn's algorithm: dependencies and the Kustomization applying a node come first; among
 * ready nodes the one met first while following the cluster. */
static bool topo_order(fx *f, size_t *order)
{
    bool *done = calloc(f->n ? f->n : 1, sizeof *done);
    if (!done) util_oom();
    for (size_t step = 0; step < f->n; step++) {
        size_t pick = SIZE_MAX;
        for (size_t i = 0; i < f->n && pick == SIZE_MAX; i++) {
            if (done[i]) continue;
            bool ready = f->v[i].parent == SIZE_MAX || done[f->v[i].parent];
            for (size_t d = 0; ready && d < f->v[i].ndeps; d++) {
                size_t t = fx_find(f, f->v[i].deps[d]);
                if (t != SIZE_MAX && !done[t]) ready = false;
            }
            if (ready) pick = i;
        }
        if (pick == SIZE_MAX) {
            free(done);
            if (!report_cycle(f))
                diag_error(f->k->d, diag_nopos,
                           "the Kustomizations' dependsOn contradicts which Kustomization "
                           "applies which");
            return false;
        }
        done[pick] = true;
        order[step] = pick;
    }
    free(done);
    return true;
}

static void warn_unknown_deps(fx *f)
{
    for (size_t i = 0; i < f->n; i++)
        for (size_t d = 0; d < f->v[i].ndeps; d++)
            if (fx_find(f, f->v[i].deps[d]) == SIZE_MAX)
                diag_warn(f->k->d, f->v[i].res ? f->v[i].res->pos : diag_nopos,
                          "Kustomization %s depends on %s, which is not part of this cluster",
                          f->v[i].key, f->v[i].deps[d]);
}

/* Follows the queue from its first entry, then writes the groups in order. */
static bool run_all(fx *f, ir_resset *out, flux_result *res)
{
    bool ok = true;
    /* breadth-first: the queue grows while it is walked */
    for (size_t i = 0; ok && i < f->n; i++) {
        if (i == 0 && f->v[0].objs.n) continue; /* the root came rendered */
        ok = reconcile(f, i);
    }
    for (size_t i = 0; ok && i < f->n; i++)
        ok = reconcile_helm(f, i);
    if (!ok) return false;
    warn_unknown_deps(f);
    size_t *order = malloc((f->n ? f->n : 1) * sizeof *order);
    if (!order) util_oom();
    if (!topo_order(f, order)) {
        free(order);
        return false;
    }
    res->groups = util_xmalloc((f->n ? f->n : 1) * sizeof *res->groups);
    res->ngroups = 0;
    for (size_t s = 0; s < f->n; s++) {
        fx_ks *ks = &f->v[order[s]];
        flux_group g = {.name = ks->key, .start = out->n, .n = 0};
        /* another cluster's objects are left out; its HelmReleases rendered only what
         * installs into this one */
        for (size_t i = 0; ks->remote == (f->o->remote != NULL) && i < ks->objs.n; i++) {
            ir_res *r = ks->objs.items[i];
            if (f->o->no_flux_objects && is_flux_object(r)) continue;
            if (!ir_resset_add(out, r)) g.n++;
        }
        for (size_t i = 0; i < ks->helm.n; i++)
            if (!ir_resset_add(out, ks->helm.items[i])) g.n++;
        if (g.n) res->groups[res->ngroups++] = g;
        ir_resset_free(&ks->objs);
        ir_resset_free(&ks->helm);
    }
    free(order);
    return true;
}

static void fx_free(fx *f)
{
    for (size_t i = 0; i < f->n; i++) {
        ir_resset_free(&f->v[i].objs);
        ir_resset_free(&f->v[i].helm);
    }
    free(f->v);
    ir_resset_free(&f->all);
    ir_resset_free(&f->remote_all);
}

/* A Flux spec.path as a path relative to its source's root: Flux joins it securely, so a
 * leading "/" or "../" cannot leave the source. */
static const char *strip_dot(arena *a, const char *p)
{
    const char *c = src_clean(a, ar_printf(a, "/%s", p ? p : ""));
    while (*c == '/')
        c++;
    return *c ? c : ".";
}

/* dir without its trailing `suffix` path ("." when they are equal), or NULL. */
static const char *prefix_of(arena *a, const char *dir, const char *suffix)
{
    size_t dl = strlen(dir), sl = strlen(suffix);
    if (!strcmp(dir, suffix)) return ".";
    if (!strcmp(suffix, ".")) return dir;
    if (dl > sl && dir[dl - sl - 1] == '/' && !strcmp(dir + dl - sl, suffix))
        return dl - sl - 1 ? ar_strndup(a, dir, dl - sl - 1) : "/";
    return NULL;
}

/* The deepest of cand and its ancestors holding every path the Kustomizations in root name. */
static const char *ancestor_with_paths(kz_ctx *k, const char *cand, const ir_resset *root)
{
    /* the directories that must exist in the repository: the paths of Kustomizations reading
     * a GitRepository, and what ArtifactGenerators copy from */
    const char **need = ar_alloc(k->a, (root->n + 1) * sizeof *need);
    size_t nneed = 0, capneed = root->n + 1;
    for (size_t i = 0; i < root->n; i++) {
        const ir_res *r = root->items[i];
        if (is_flux_ks(r)) {
            /* only those reading the bootstrap repository (flux-system/flux-system) */
            const ir_node *sr = ir_map_get(spec_of(r), "sourceRef");
            const char *sk = ir_get_str(sr, "kind"), *sn = ir_get_str(sr, "name");
            const char *sns = ir_get_str(sr, "namespace");
            if (!sns) sns = *r->id.ns ? r->id.ns : "default";
            if ((!sk || !strcmp(sk, "GitRepository")) && sn && !strcmp(sn, "flux-system") &&
                !strcmp(sns, "flux-system"))
                need[nneed++] = strip_dot(k->a, ir_get_str(spec_of(r), "path"));
        } else if (!strcmp(r->id.kind, "ArtifactGenerator")) {
            const ir_node *arts = ir_map_get(spec_of(r), "artifacts");
            for (size_t j = 0; arts && arts->kind == IR_SEQ && j < arts->seq.n; j++) {
                const ir_node *copy = ir_map_get(arts->seq.items[j], "copy");
                for (size_t c = 0; copy && copy->kind == IR_SEQ && c < copy->seq.n; c++) {
                    const char *from = ir_get_str(copy->seq.items[c], "from");
                    const char *slash = from && from[0] == '@' ? strchr(from, '/') : NULL;
                    if (!slash) continue;
                    const char *star = strchr(slash, '*');
                    size_t l = star ? (size_t)(star - slash - 1) : strlen(slash + 1);
                    if (nneed == capneed) {
                        need = ar_realloc(k->a, need, capneed * sizeof *need,
                                          2 * capneed * sizeof *need);
                        capneed *= 2;
                    }
                    need[nneed++] = strip_dot(k->a, l ? ar_strndup(k->a, slash + 1, l) : ".");
                }
            }
        }
    }
    if (!nneed) {
        /* no Kustomization reads the bootstrap source: the repository is the git work tree
         * holding dir (its remotes tell which GitRepository it is), else dir */
        const char *root_ = k->src->root;
        return root_ && strcmp(root_, "/") ? root_ : cand;
    }
    while (cand) {
        bool all = true;
        for (size_t i = 0; i < nneed && all; i++)
            if (src_stat(k->src, src_join(k->a, cand, need[i])) != SRC_DIR) all = false;
        if (all) return cand;
        if (!strcmp(cand, "/") || !strcmp(cand, ".")) break;
        const char *slash = strrchr(cand, '/');
        cand = slash ? (slash == cand ? "/" : ar_strndup(k->a, cand, (size_t)(slash - cand))) : ".";
    }
    return NULL;
}

/* Where the cluster directory's repository is: *self is the Kustomization applying dir (its
 * path is dir), or NULL for the implicit bootstrap root, whose repository is then the deepest
 * ancestor of dir holding every path the Kustomizations name. NULL when there is none. */
static const char *find_repo_root(kz_ctx *k, const char *dir, const ir_resset *root,
                                  const ir_res **self)
{
    const char *absdir = src_realdir(k->src, dir);
    *self = NULL;
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < root->n; i++) {
        const ir_res *r = root->items[i];
        if (!is_flux_ks(r)) continue;
        const char *sk = ir_get_str(ir_map_get(spec_of(r), "sourceRef"), "kind");
        if (sk && strcmp(sk, "GitRepository")) continue;
        const char *p = strip_dot(k->a, ir_get_str(spec_of(r), "path"));
        const char *pre = prefix_of(k->a, dir, p);
        if (!pre && absdir) pre = prefix_of(k->a, absdir, p);
        if (pre && (!best || strlen(p) > best_len)) {
            *self = r;
            best = pre;
            best_len = strlen(p);
        }
    }
    if (best) return best;
    for (int pass = 0; pass < 2; pass++) {
        const char *cand = pass ? absdir : dir;
        const char *found = cand ? ancestor_with_paths(k, cand, root) : NULL;
        if (found) return found;
    }
    return NULL;
}

bool flux_is_cluster(kz_ctx *k, const char *dir, const ir_resset *root)
{
    const ir_res *self;
    return flux_has_kustomizations(root) && find_repo_root(k, dir, root, &self);
}

bool flux_render_cluster(kz_ctx *k, const flux_opts *o, const char *dir, ir_resset *root,
                         ir_resset *out, flux_result *res)
{
    fx f = {.k = k, .o = o};
    ir_resset_init(&f.all);
    ir_resset_init(&f.remote_all);
    memset(res, 0, sizeof *res);
    const ir_res *self;
    f.repo_root = find_repo_root(k, dir, root, &self);
    if (!f.repo_root) f.repo_root = dir;
    if (self) {
        const ir_node *sr = ir_map_get(spec_of(self), "sourceRef");
        const char *sn = ir_get_str(sr, "name"), *sns = ir_get_str(sr, "namespace");
        const char *ns = *self->id.ns ? self->id.ns : "default";
        f.self_src = ar_printf(k->a, "%s/%s", sns ? sns : ns, sn ? sn : "");
        fx_add(&f, self, ns, self->id.name, SIZE_MAX);
    } else {
        f.self_src = "flux-system/flux-system";
        size_t r0 = fx_add(&f, NULL, "flux-system", "flux-system", SIZE_MAX);
        for (size_t i = 0; i < root->n; i++)
            ir_resset_add(&f.v[r0].objs, root->items[i]);
        em_sort_legacy(f.v[r0].objs.items, f.v[r0].objs.n, NULL, 0, NULL, 0);
        adopt_group(&f, r0);
    }
    bool ok = run_all(&f, out, res);
    fx_free(&f);
    return ok;
}

bool flux_render_objects(kz_ctx *k, const flux_opts *o, const char *repo_root, ir_resset *objs,
                         bool print_objs, ir_resset *out, flux_result *res)
{
    fx f = {.k = k, .o = o, .repo_root = repo_root};
    ir_resset_init(&f.all);
    ir_resset_init(&f.remote_all);
    memset(res, 0, sizeof *res);
    f.self_src = "flux-system/flux-system";
    for (size_t i = 0; i < objs->n; i++) {
        ir_res *r = objs->items[i];
        ir_resset_add(&f.all, r);
        if (!strcmp(r->id.kind, "GitRepository") &&
            !strcmp(r->id.group, "source.toolkit.fluxcd.io"))
            f.self_src = ar_printf(k->a, "%s/%s", *r->id.ns ? r->id.ns : "default", r->id.name);
    }
    if (print_objs) {
        /* the objects given are a group of their own, applied first */
        size_t r0 = fx_add(&f, NULL, "", "(flux configuration)", SIZE_MAX);
        for (size_t i = 0; i < objs->n; i++)
            ir_resset_add(&f.v[r0].objs, objs->items[i]);
        f.v[r0].key = "(flux configuration)";
    }
    for (size_t i = 0; i < objs->n; i++) {
        ir_res *r = objs->items[i];
        if (!is_flux_ks(r)) continue;
        const char *ns = *r->id.ns ? r->id.ns : "default";
        fx_add(&f, r, ns, r->id.name, print_objs ? 0 : SIZE_MAX);
    }
    bool ok = run_all(&f, out, res);
    fx_free(&f);
    return ok;
}
