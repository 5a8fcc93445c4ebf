/* `helm template`'s render: the built-in objects (.Release, .Chart, .Capabilities, .Files,
 * .Template, .Subcharts), rendering every chart's templates, splitting the output into
 * manifests, the install-order kind sort, hooks, CRDs and --show-only. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/chart.h"
#include "template/chart_int.h"
#include "yaml/yaml.h"

/* ---- .Files ---- */

typedef struct rf_files {
    const chart_file *f;
    size_t n;
} rf_files;

static const tpl_type rf_files_type;

/* gobwas/glob with '/' as separator: * ? [..] {a,b} and ** */
static bool rf_glob(const char *p, const char *s)
{
    for (;;) {
        switch (*p) {
        case 0:
            return *s == 0;
        case '*':
            if (p[1] == '*') {
                for (const char *t = s;; t++) {
                    if (rf_glob(p + 2, t)) return true;
                    if (!*t) return false;
                }
            }
            for (const char *t = s;; t++) {
                if (rf_glob(p + 1, t)) return true;
                if (!*t || *t == '/') return false;
            }
        case '?':
            if (!*s || *s == '/') return false;
            p++;
            s++;
            break;
        case '{': {
            const char *e = p + 1;
            int depth = 1;
            while (*e && depth) {
                if (*e == '{') depth++;
                if (*e == '}') depth--;
                if (depth) e++;
            }
            if (!*e) return *s == '{' && rf_glob(p + 1, s + 1);
            const char *alt = p + 1;
            for (;;) {
                const char *ae = alt;
                int dd = 0;
                while (ae < e && !(dd == 0 && *ae == ',')) {
                    if (*ae == '{') dd++;
                    if (*ae == '}') dd--;
                    ae++;
                }
                size_t al = (size_t)(ae - alt), rl = strlen(e + 1);
                char *tmp = malloc(al + rl + 1);
                memcpy(tmp, alt, al);
                memcpy(tmp + al, e + 1, rl + 1);
                bool ok = rf_glob(tmp, s);
                free(tmp);
                if (ok) return true;
                if (ae >= e) return false;
                alt = ae + 1;
            }
        }
        case '[': {
            if (!*s || *s == '/') return false;
            const char *q = p + 1;
            bool neg = *q == '!';
            if (neg) q++;
            bool m = false;
            while (*q && *q != ']') {
                if (q[1] == '-' && q[2] && q[2] != ']') {
                    if (*s >= q[0] && *s <= q[2]) m = true;
                    q += 3;
                } else {
                    if (*s == *q) m = true;
                    q++;
                }
            }
            if (!*q || m == neg) return false;
            p = q + 1;
            s++;
            break;
        }
        case '\\':
            if (p[1]) p++;
            /* fallthrough */
        default:
            if (*p != *s) return false;
            p++;
            s++;
        }
    }
}

static const chart_file *rf_find(const rf_files *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (!strcmp(fs->f[i].name, name)) return &fs->f[i];
    return NULL;
}

static const char *rf_base(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static bool rf_arg(tpl_ctx *c, const char *m, const tpl_val *const *args, size_t nargs,
                   const char **s)
{
    if (nargs != 1) return tpl_errorf(c, "wrong number of args for %s: want 1 got %zu", m, nargs);
    if (args[0]->kind != TPL_STRING)
        return tpl_errorf(c, "wrong type for value; expected string; got %s",
                          tpl_type_name(args[0]));
    *s = args[0]->str.s;
    return true;
}

static tpl_lookup rf_get(tpl_ctx *c, const tpl_val *self, const char *name,
                         const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    const rf_files *fs = self->obj.p;
    arena *a = tpl_arena(c);
    const char *s = "";
    if (!strcmp(name, "Get") || !strcmp(name, "GetBytes") || !strcmp(name, "Lines") ||
        !strcmp(name, "Glob")) {
        if (!rf_arg(c, name, args, nargs, &s)) return TPL_LOOKUP_ERR;
        const chart_file *f = name[0] == 'G' && name[1] == 'l' ? NULL : rf_find(fs, s);
        if (!strcmp(name, "Get"))
            *out = f ? tpl_str(a, f->data, f->n) : tpl_empty_str();
        else if (!strcmp(name, "GetBytes"))
            *out = tpl_bytes(a, f ? f->data : "", f ? f->n : 0);
        else if (!strcmp(name, "Lines")) {
            if (!f || !f->n) {
                *out = tpl_list(a, NULL, 0, "[]string");
                return TPL_LOOKUP_OK;
            }
            size_t n = f->n;
            if (f->data[n - 1] == '\n') n--;
            size_t cnt = 1;
            for (size_t i = 0; i < n; i++)
                cnt += f->data[i] == '\n';
            const tpl_val **items = ar_alloc(a, cnt * sizeof *items);
            size_t k = 0, st = 0;
            for (size_t i = 0; i <= n; i++)
                if (i == n || f->data[i] == '\n') {
                    items[k++] = tpl_str(a, f->data + st, i - st);
                    st = i + 1;
                }
            *out = tpl_list(a, items, cnt, "[]string");
        } else {
            rf_files *nf = ar_alloc(a, sizeof *nf);
            chart_file *arr = ar_alloc(a, (fs->n ? fs->n : 1) * sizeof *arr);
            for (size_t i = 0; i < fs->n; i++)
                if (rf_glob(s, fs->f[i].name)) arr[nf->n++] = fs->f[i];
            nf->f = arr;
            *out = tpl_obj(a, &rf_files_type, nf);
        }
        return TPL_LOOKUP_OK;
    }
    if (!strcmp(name, "AsConfig") || !strcmp(name, "AsSecrets")) {
        if (nargs) {
            tpl_errorf(c, "wrong number of args for %s: want 0 got %zu", name, nargs);
            return TPL_LOOKUP_ERR;
        }
        tpl_val *m = tpl_map_new(a, "map[string]string");
        bool sec = name[2] == 'S';
        for (size_t i = 0; i < fs->n; i++) {
            const chart_file *f = &fs->f[i];
            const tpl_val *v;
            if (sec) {
                static const char b64[] =
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                buf_t b = {0};
                const unsigned char *d = (const unsigned char *)f->data;
                for (size_t j = 0; j < f->n; j += 3) {
                    unsigned x = (unsigned)d[j] << 16;
                    if (j + 1 < f->n) x |= (unsigned)d[j + 1] << 8;
                    if (j + 2 < f->n) x |= d[j + 2];
                    buf_putc(&b, b64[(x >> 18) & 63]);
                    buf_putc(&b, b64[(x >> 12) & 63]);
                    buf_putc(&b, j + 1 < f->n ? b64[(x >> 6) & 63] : '=');
                    buf_putc(&b, j + 2 < f->n ? b64[x & 63] : '=');
                }
                v = tpl_str(a, b.data ? b.data : "", b.len);
                buf_free(&b);
            } else
                v = tpl_str(a, f->data, f->n);
            tpl_map_setz(a, m->map, rf_base(f->name), v);
        }
        if (!fs->n) {
            *out = tpl_empty_str();
            return TPL_LOOKUP_OK;
        }
        buf_t y = {0};
        const char *err = NULL;
        if (!tpl_to_yaml(a, m, &y, &err)) {
            buf_free(&y);
            tpl_errorf(c, "%s", err ? err : "toYaml failed");
            return TPL_LOOKUP_ERR;
        }
        size_t n = y.len;
        if (n && y.data[n - 1] == '\n') n--;
        *out = tpl_str(a, y.data ? y.data : "", n);
        buf_free(&y);
        return TPL_LOOKUP_OK;
    }
    return TPL_LOOKUP_NONE;
}

static void rf_print(const tpl_val *self, buf_t *out)
{
    const rf_files *fs = self->obj.p;
    buf_puts(out, "map[");
    for (size_t i = 0; i < fs->n; i++) {
        if (i) buf_putc(out, ' ');
        buf_printf(out, "%s:[", fs->f[i].name);
        for (size_t j = 0; j < fs->f[i].n; j++)
            buf_printf(out, "%s%u", j ? " " : "", (unsigned char)fs->f[i].data[j]);
        buf_putc(out, ']');
    }
    buf_putc(out, ']');
}

static bool rf_truth(const tpl_val *self)
{
    return ((const rf_files *)self->obj.p)->n > 0;
}

static const tpl_val *rf_elems(arena *a, const tpl_val *self)
{
    const rf_files *fs = self->obj.p;
    tpl_val *m = tpl_map_new(a, "map[string][]uint8");
    for (size_t i = 0; i < fs->n; i++)
        tpl_map_setz(a, m->map, fs->f[i].name, tpl_bytes(a, fs->f[i].data, fs->f[i].n));
    return m;
}

static const tpl_type rf_files_type = {.name = "engine.files",
                                       .kind = "map",
                                       .get = rf_get,
                                       .print = rf_print,
                                       .truth = rf_truth,
                                       .elems = rf_elems};

/* ---- .Capabilities.APIVersions ---- */

typedef struct rf_vs {
    const char **v;
    size_t n;
} rf_vs;

static tpl_lookup rf_vs_get(tpl_ctx *c, const tpl_val *self, const char *name,
                            const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    const rf_vs *vs = self->obj.p;
    if (strcmp(name, "Has")) return TPL_LOOKUP_NONE;
    const char *s = "";
    if (!rf_arg(c, name, args, nargs, &s)) return TPL_LOOKUP_ERR;
    bool has = false;
    for (size_t i = 0; i < vs->n && !has; i++)
        has = !strcmp(vs->v[i], s);
    *out = tpl_bool(has);
    return TPL_LOOKUP_OK;
}

static void rf_vs_print(const tpl_val *self, buf_t *out)
{
    const rf_vs *vs = self->obj.p;
    buf_putc(out, '[');
    for (size_t i = 0; i < vs->n; i++)
        buf_printf(out, "%s%s", i ? " " : "", vs->v[i]);
    buf_putc(out, ']');
}

static const tpl_val *rf_vs_elems(arena *a, const tpl_val *self)
{
    const rf_vs *vs = self->obj.p;
    const tpl_val **items = ar_alloc(a, (vs->n ? vs->n : 1) * sizeof *items);
    for (size_t i = 0; i < vs->n; i++)
        items[i] = tpl_cstr(a, vs->v[i]);
    return tpl_list(a, items, vs->n, "common.VersionSet");
}

static const tpl_type rf_vs_type = {.name = "common.VersionSet",
                                    .kind = "slice",
                                    .get = rf_vs_get,
                                    .print = rf_vs_print,
                                    .elems = rf_vs_elems};

static const char *const rf_default_apis[] = {
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "node.k8s.io/v1",
    "node.k8s.io/v1alpha1",
    "node.k8s.io/v1beta1",
    "policy/v1",
    "policy/v1beta1",
    "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1",
    "rbac.authorization.k8s.io/v1alpha1",
    "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2",
    "resource.k8s.io/v1beta1",
    "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1",
    "scheduling.k8s.io/v1beta1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1",
    "storage.k8s.io/v1alpha1",
    "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1",
};

/* ---- .Capabilities.KubeVersion ---- */

typedef struct rf_kv {
    const char *version, *major, *minor;
} rf_kv;

static tpl_lookup rf_kv_get(tpl_ctx *c, const tpl_val *self, const char *name,
                            const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    const rf_kv *kv = self->obj.p;
    const char *v = NULL;
    if (!strcmp(name, "Version") || !strcmp(name, "GitVersion") || !strcmp(name, "String"))
        v = kv->version;
    else if (!strcmp(name, "Major"))
        v = kv->major;
    else if (!strcmp(name, "Minor"))
        v = kv->minor;
    else
        return TPL_LOOKUP_NONE;
    if (nargs) {
        tpl_errorf(c, "wrong number of args for %s: want 0 got %zu", name, nargs);
        return TPL_LOOKUP_ERR;
    }
    (void)args;
    *out = tpl_cstr(tpl_arena(c), v);
    return TPL_LOOKUP_OK;
}

static void rf_kv_string(const tpl_val *self, buf_t *out)
{
    buf_puts(out, ((const rf_kv *)self->obj.p)->version);
}

static const tpl_type rf_kv_type = {
    .name = "*common.KubeVersion", .kind = "ptr", .get = rf_kv_get, .string = rf_kv_string};

/* ---- .Capabilities ---- */

typedef struct rf_caps {
    const tpl_val *kv, *apis, *helm;
} rf_caps;

static tpl_lookup rf_caps_get(tpl_ctx *c, const tpl_val *self, const char *name,
                              const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    const rf_caps *cp = self->obj.p;
    (void)args;
    if (!strcmp(name, "KubeVersion"))
        *out = cp->kv;
    else if (!strcmp(name, "APIVersions"))
        *out = cp->apis;
    else if (!strcmp(name, "HelmVersion"))
        *out = cp->helm;
    else
        return TPL_LOOKUP_NONE;
    if (nargs) {
        tpl_errorf(c, "%s is not a method but has arguments", name);
        return TPL_LOOKUP_ERR;
    }
    return TPL_LOOKUP_OK;
}

static const tpl_type rf_caps_type = {
    .name = "*common.Capabilities", .kind = "ptr", .get = rf_caps_get};

/* ---- rendering ---- */

typedef struct rtpl {
    const char *name;     /* chart path + "/" + file name */
    const char *basepath; /* chart path + "/templates" */
    const chart_file *f;
    const tpl_map *vals; /* the chart's `next` map */
    const char *out;
    size_t outn;
    bool rendered;
} rtpl;

typedef struct rctx {
    arena *a;
    diag_ctx *d;
    rtpl *t;
    size_t nt, capt;
    const tpl_val *release, *caps;
    bool debug;
} rctx;

static tpl_map *rec_all(rctx *r, const chart *c, const tpl_map *parent_next)
{
    arena *a = r->a;
    tpl_map *next = tpl_map_new(a, NULL)->map;
    tpl_map *meta = tpl_map_copy(a, c->meta);
    meta->tname = NULL;
    tpl_map_setz(a, meta, "IsRoot", tpl_bool(c->parent == NULL));
    const tpl_val *deps = tpl_map_getz(meta, "Dependencies");
    if (!deps || deps->kind == TPL_NIL)
        tpl_map_setz(a, meta, "Dependencies", tpl_list(a, NULL, 0, NULL));
    tpl_val *mv = tpl_map_new(a, NULL);
    mv->map = meta;
    tpl_map_setz(a, next, "Chart", mv);
    rf_files *fs = ar_alloc(a, sizeof *fs);
    fs->f = c->files;
    fs->n = c->nfiles;
    tpl_map_setz(a, next, "Files", tpl_obj(a, &rf_files_type, fs));
    tpl_map_setz(a, next, "Release", r->release);
    tpl_map_setz(a, next, "Capabilities", r->caps);
    tpl_val *vals = tpl_map_new(a, "common.Values");
    if (!c->parent) {
        const tpl_val *pv = tpl_map_getz(parent_next, "Values");
        if (pv) vals = (tpl_val *)pv;
    } else {
        const tpl_val *pv = tpl_map_getz(parent_next, "Values");
        const tpl_val *sv = pv && pv->kind == TPL_MAP ? tpl_map_getz(pv->map, c->name) : NULL;
        if (sv && sv->kind == TPL_MAP) {
            vals = tpl_map_new(a, "common.Values");
            vals->map = sv->map;
        }
    }
    tpl_map_setz(a, next, "Values", vals);
    tpl_val *subs = tpl_map_new(a, NULL);
    tpl_map_setz(a, next, "Subcharts", subs);
    for (size_t i = 0; i < c->nsubs; i++) {
        tpl_val *sv = tpl_map_new(a, NULL);
        sv->map = rec_all(r, c->subs[i], next);
        tpl_map_setz(a, subs->map, c->subs[i]->name, sv);
    }
    const char *fp = chart_full_path(a, c);
    bool lib = !strcmp(c->type, "library");
    for (size_t i = 0; i < c->ntemplates; i++) {
        const chart_file *f = &c->templates[i];
        if (lib && rf_base(f->name)[0] != '_') continue;
        if (r->nt == r->capt) {
            size_t nc = r->capt ? r->capt * 2 : 32;
            r->t = ar_realloc(a, r->t, r->capt * sizeof *r->t, nc * sizeof *r->t);
            r->capt = nc;
        }
        rtpl *t = &r->t[r->nt++];
        memset(t, 0, sizeof *t);
        t->name = ar_printf(a, "%s/%s", fp, f->name);
        t->basepath = ar_printf(a, "%s/templates", fp);
        t->f = f;
        t->vals = next;
    }
    return next;
}

static size_t count_slash(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

/* Helm's sortTemplates: deepest paths first, then reverse string order. */
static int tpl_order(const void *x, const void *y)
{
    const rtpl *a = x, *b = y;
    size_t ca = count_slash(a->name), cb = count_slash(b->name);
    if (ca != cb) return ca > cb ? -1 : 1;
    return -strcmp(a->name, b->name);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n && is_space((*s)[*n - 1]))
        (*n)--;
}

typedef struct man {
    const char *path; /* template name */
    const char *content;
    size_t n;
    const char *kind;
    int order;  /* install order index, or -1 */
    size_t seq; /* stable order */
    bool test;
} man;

typedef struct mans {
    man *m;
    size_t n, cap;
} mans;

static void mans_add(arena *a, mans *ms, const man *m)
{
    if (ms->n == ms->cap) {
        size_t nc = ms->cap ? ms->cap * 2 : 32;
        ms->m = ar_realloc(a, ms->m, ms->cap * sizeof *ms->m, nc * sizeof *ms->m);
        ms->cap = nc;
    }
    ms->m[ms->n] = *m;
    ms->m[ms->n].seq = ms->n;
    ms->n++;
}

static const char *const kind_order[] = {
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
};

static int kind_index(const char *k)
{
    for (size_t i = 0; i < sizeof kind_order / sizeof *kind_order; i++)
        if (!strcmp(kind_order[i], k)) return (int)i;
    return -1;
}

static int man_cmp(const void *x, const void *y)
{
    const man *a = x, *b = y;
    int r = 0;
    if (a->order < 0 && b->order < 0) {
        r = strcmp(a->kind, b->kind);
    } else if (a->order < 0)
        r = 1;
    else if (b->order < 0)
        r = -1;
    else
        r = a->order - b->order;
    if (r) return r;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Splits one rendered file on (?:^|\s*\n)---\s* and classifies each piece. */
static bool split_file(rctx *r, const rtpl *t, mans *gen, mans *hooks, const char **err)
{
    arena *a = r->a;
    const char *s = t->out;
    size_t n = t->outn;
    trim(&s, &n);
    if (!n) return true;
    /* each document's head is parsed into this arena, emptied between documents */
    arena scratch;
    ar_init(&scratch);
    size_t beg = 0, i = 0;
    const char **pieces = NULL;
    size_t *plen = NULL, np = 0;
    for (;;) {
        /* find the next match at or after i */
        size_t ms = n, me = n;
        if (i == 0 && n >= 3 && !memcmp(s, "---", 3)) {
            ms = 0;
            me = 3;
        } else {
            for (size_t j = i; j + 3 < n; j++)
                if (s[j] == '\n' && !memcmp(s + j + 1, "---", 3)) {
                    size_t k = j;
                    while (k > i && is_space(s[k - 1]) && s[k - 1] != '\v')
                        k--;
                    ms = k;
                    me = j + 4;
                    break;
                }
        }
        if (ms == n) break;
        while (me < n && is_space(s[me]) && s[me] != '\v')
            me++;
        pieces = ar_realloc(a, pieces, np * sizeof *pieces, (np + 1) * sizeof *pieces);
        plen = ar_realloc(a, plen, np * sizeof *plen, (np + 1) * sizeof *plen);
        pieces[np] = s + beg;
        plen[np++] = ms - beg;
        beg = i = me;
        if (me >= n) break;
    }
    if (beg < n || np == 0) {
        pieces = ar_realloc(a, pieces, np * sizeof *pieces, (np + 1) * sizeof *pieces);
        plen = ar_realloc(a, plen, np * sizeof *plen, (np + 1) * sizeof *plen);
        pieces[np] = s + beg;
        plen[np++] = n - beg;
    }
    for (size_t p = 0; p < np; p++) {
        const char *c = pieces[p];
        size_t cn = plen[p];
        if (!cn) continue;
        trim(&c, &cn);
        man m = {.path = t->name, .content = c, .n = cn, .kind = "", .order = -1};
        /* the head: kind and the hook annotation */
        diag_ctx d;
        diag_init(&d);
        uint32_t f = diag_file_add(&d, t->name, c, cn);
        ky_opts o = {.flavor = KY_V2, .dup_last_wins = true};
        ky_docs docs = {0};
        bool ok = ky_load(&scratch, &d, f, c, cn, &o, &docs);
        if (!ok) {
            *err = ar_printf(a, "YAML parse error on %s: error converting YAML to JSON: yaml: %s",
                             t->name, d.nmsgs ? d.msgs[0].text : "invalid YAML");
            if (d.nmsgs && d.msgs[0].pos.line)
                *err = ar_printf(a,
                                 "YAML parse error on %s: error converting YAML to JSON: yaml: "
                                 "line %u: %s",
                                 t->name, d.msgs[0].pos.line, d.msgs[0].text);
            diag_free(&d);
            ar_free(&scratch);
            if (r->debug) fprintf(stderr, "%.*s\n", (int)cn, c);
            return false;
        }
        diag_free(&d);
        const ir_node *doc = docs.n ? docs.docs[0] : NULL;
        const char *hook = NULL;
        if (doc && doc->kind == IR_MAP) {
            const char *k = ir_get_str(doc, "kind");
            if (k) m.kind = ar_strdup(a, k);
            const char *path[] = {"metadata", "annotations", NULL};
            const ir_node *ann = ir_get_path(doc, path);
            if (ann && ann->kind == IR_MAP) {
                const ir_node *h = ir_map_get(ann, "helm.sh/hook");
                if (h && h->kind == IR_SCALAR) hook = ar_strdup(a, h->sc.s);
            }
        }
        ar_reset(&scratch); /* the parsed head was only read for kind and annotations */
        m.order = kind_index(m.kind);
        if (!hook) {
            mans_add(a, gen, &m);
            continue;
        }
        static const char *const events[] = {
            "pre-install",  "post-install", "pre-delete",    "post-delete", "pre-upgrade",
            "post-upgrade", "pre-rollback", "post-rollback", "test",        "test-success",
        };
        bool unknown = false;
        const char *h = hook;
        for (;;) {
            const char *e = strchr(h, ',');
            size_t hl = e ? (size_t)(e - h) : strlen(h);
            const char *hs = h;
            trim(&hs, &hl);
            char *ev = ar_strndup(a, hs, hl);
            for (char *q = ev; *q; q++)
                if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
            bool known = false;
            for (size_t k = 0; k < sizeof events / sizeof *events; k++)
                if (!strcmp(events[k], ev)) known = true;
            if (!known) {
                unknown = true;
                break;
            }
            if (!strcmp(ev, "test") || !strcmp(ev, "test-success")) m.test = true;
            if (!e) break;
            h = e + 1;
        }
        if (unknown) continue;
        mans_add(a, hooks, &m);
    }
    ar_free(&scratch);
    return true;
}

static int rtpl_name_cmp(const void *x, const void *y)
{
    return strcmp((*(const rtpl *const *)x)->name, (*(const rtpl *const *)y)->name);
}

static void crds_out(arena *a, const chart *c, buf_t *out)
{
    const char *fp = chart_full_path(a, c);
    for (size_t i = 0; i < c->ncrds; i++) {
        buf_printf(out, "---\n# Source: %s/%s\n", fp, c->crds[i].name);
        buf_put(out, c->crds[i].data, c->crds[i].n);
        buf_putc(out, '\n');
    }
    for (size_t i = 0; i < c->nsubs; i++)
        crds_out(a, c->subs[i], out);
}

static bool valid_release_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 53) return false;
    /* ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ */
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, '.');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (!l) return false;
        for (size_t i = 0; i < l; i++) {
            char c = p[i];
            bool an = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!an && !(c == '-' && i > 0 && i + 1 < l)) return false;
        }
        if (!e) return true;
        p = e + 1;
    }
}

/* --show-only: the `# Source:` path without the chart name, matched with filepath.Match. */
static bool show_only(arena *a, const char *all, size_t alln, const chart_opts *o, buf_t *out,
                      const char **err)
{
    /* split the printed stream back into manifests */
    const char **ps = NULL;
    size_t *pl = NULL, np = 0;
    const char *s = all;
    size_t n = alln;
    trim(&s, &n);
    size_t beg = 0, i = 0;
    for (;;) {
        size_t ms = n, me = n;
        if (i == 0 && n >= 3 && !memcmp(s, "---", 3)) {
            ms = 0;
            me = 3;
        } else
            for (size_t j = i; j + 3 < n; j++)
                if (s[j] == '\n' && !memcmp(s + j + 1, "---", 3)) {
                    size_t k = j;
                    while (k > i && is_space(s[k - 1]))
                        k--;
                    ms = k;
                    me = j + 4;
                    break;
                }
        if (ms == n) break;
        while (me < n && is_space(s[me]))
            me++;
        if (ms > beg) {
            ps = ar_realloc(a, ps, np * sizeof *ps, (np + 1) * sizeof *ps);
            pl = ar_realloc(a, pl, np * sizeof *pl, (np + 1) * sizeof *pl);
            ps[np] = s + beg;
            pl[np++] = ms - beg;
        }
        beg = i = me;
        if (me >= n) break;
    }
    if (beg < n) {
        ps = ar_realloc(a, ps, np * sizeof *ps, (np + 1) * sizeof *ps);
        pl = ar_realloc(a, pl, np * sizeof *pl, (np + 1) * sizeof *pl);
        ps[np] = s + beg;
        pl[np++] = n - beg;
    }
    for (size_t k = 0; k < o->nshow_only; k++) {
        bool missing = true;
        for (size_t p = 0; p < np; p++) {
            const char *m = ps[p];
            size_t ml = pl[p];
            const char *src = NULL;
            for (size_t j = 0; j + 10 <= ml; j++)
                if (!memcmp(m + j, "# Source: ", 10)) {
                    src = m + j + 10;
                    break;
                }
            if (!src) continue;
            const char *sl = src;
            while (sl < m + ml && *sl != '/' && *sl != '\n')
                sl++;
            if (sl >= m + ml || *sl != '/' || sl == src) continue;
            const char *e = sl + 1;
            while (e < m + ml && *e != '\n')
                e++;
            if (e == sl + 1) continue;
            char *name = ar_strndup(a, sl + 1, (size_t)(e - sl - 1));
            if (fnmatch(o->show_only[k], name, FNM_PATHNAME) != 0) continue;
            buf_puts(out, "---\n");
            buf_put(out, m, ml);
            buf_putc(out, '\n');
            missing = false;
        }
        if (missing) {
            *err = ar_printf(a, "could not find template %s in chart", o->show_only[k]);
            return false;
        }
    }
    return true;
}

static void replace_no_value(buf_t *b)
{
    static const char nv[] = "<no value>";
    char *p = b->data;
    if (!p) return;
    size_t w = 0;
    for (size_t i = 0; i < b->len;) {
        if (i + 10 <= b->len && !memcmp(p + i, nv, 10)) {
            i += 10;
            continue;
        }
        p[w++] = p[i++];
    }
    b->len = w;
    p[w] = 0;
}

bool chart_render(arena *a, diag_ctx *d, chart *c, tpl_map *vals, const chart_opts *o, buf_t *out,
                  const char **err, diag_pos *pos)
{
    *pos = diag_nopos;
    const char *rel = o->release ? o->release : "release-name";
    if (!valid_release_name(rel)) {
        *err = ar_printf(a,
                         "release name check failed: release name \"%s\": invalid release name, "
                         "must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
                         "[a-z0-9])?)*$ and the length must not be longer than 53",
                         rel);
        return false;
    }
    if (*c->type && strcmp(c->type, "application")) {
        *err = ar_printf(a, "%s charts are not installable", c->type);
        return false;
    }
    if (!chart_process_deps(a, c, vals, err)) return false;
    tpl_map *cv;
    if (!chart_coalesce(a, c, vals, false, &cv, err)) return false;
    if (!o->skip_schema) {
        buf_t se = {0};
        if (!chart_schema_validate(a, c, cv, &se, pos)) {
            *err = ar_printf(a,
                             "values don't meet the specifications of the schema(s) in the "
                             "following chart(s):\n%s",
                             se.data ? se.data : "");
            buf_free(&se);
            return false;
        }
        buf_free(&se);
    }

    rctx r = {.a = a, .d = d, .debug = o->debug};
    tpl_val *relv = tpl_map_new(a, NULL);
    tpl_map_setz(a, relv->map, "Name", tpl_cstr(a, rel));
    tpl_map_setz(a, relv->map, "Namespace", tpl_cstr(a, o->ns ? o->ns : "default"));
    tpl_map_setz(a, relv->map, "Revision", tpl_int(a, 1));
    tpl_map_setz(a, relv->map, "Service", tpl_cstr(a, "Helm"));
    tpl_map_setz(a, relv->map, "IsUpgrade", tpl_bool(false));
    tpl_map_setz(a, relv->map, "IsInstall", tpl_bool(true));
    r.release = relv;

    rf_kv *kv = ar_alloc(a, sizeof *kv);
    const char *kver = o->kube_version ? o->kube_version : "v1.35.0";
    kv->version = kver[0] == 'v' ? ar_strdup(a, kver) : ar_printf(a, "v%s", kver);
    {
        const char *p = kv->version + 1;
        const char *dot = strchr(p, '.');
        if (!dot || dot == p) {
            *err = ar_printf(a, "invalid kube version \"%s\"", kver);
            return false;
        }
        kv->major = ar_strndup(a, p, (size_t)(dot - p));
        const char *d2 = dot + 1;
        size_t ml = strspn(d2, "0123456789");
        kv->minor = ar_strndup(a, d2, ml);
        /* semver drops leading zeros */
        while (kv->major[0] == '0' && kv->major[1])
            kv->major++;
        while (kv->minor[0] == '0' && kv->minor[1])
            kv->minor++;
    }
    rf_vs *vs = ar_alloc(a, sizeof *vs);
    size_t nd = sizeof rf_default_apis / sizeof *rf_default_apis;
    vs->v = ar_alloc(a, (nd + o->napi_versions) * sizeof *vs->v);
    for (size_t i = 0; i < nd; i++)
        vs->v[vs->n++] = rf_default_apis[i];
    for (size_t i = 0; i < o->napi_versions; i++)
        vs->v[vs->n++] = o->api_versions[i];
    rf_caps *cp = ar_alloc(a, sizeof *cp);
    cp->kv = tpl_obj(a, &rf_kv_type, kv);
    cp->apis = tpl_obj(a, &rf_vs_type, vs);
    tpl_val *hv = tpl_map_new(a, "common.BuildInfo");
    tpl_map_setz(a, hv->map, "Version", tpl_cstr(a, "v4.1.4"));
    tpl_map_setz(a, hv->map, "GitCommit", tpl_cstr(a, "05fa37973dc9e42b76e1d2883494c87174b6074f"));
    tpl_map_setz(a, hv->map, "GitTreeState", tpl_cstr(a, "clean"));
    tpl_map_setz(a, hv->map, "GoVersion", tpl_cstr(a, "go1.25.9"));
    tpl_map_setz(a, hv->map, "KubeClientVersion", tpl_cstr(a, "v1.35"));
    cp->helm = hv;
    r.caps = tpl_obj(a, &rf_caps_type, cp);

    tpl_map *top = tpl_map_new(a, NULL)->map;
    tpl_val *topv = tpl_map_new(a, "common.Values");
    topv->map = cv;
    tpl_map_setz(a, top, "Values", topv);
    rec_all(&r, c, top);

    if (r.nt) qsort(r.t, r.nt, sizeof *r.t, tpl_order);
    tpl_opts to = {0};
    tpl_set *set = tpl_set_new(a, &to);
    arena scratch;
    ar_init(&scratch);
    for (size_t i = 0; i < r.nt; i++) {
        rtpl *t = &r.t[i];
        uint32_t fid = diag_file_add(d, t->name, t->f->data, t->f->n);
        if (!tpl_parse(set, t->name, t->f->data, t->f->n, fid)) {
            *err = tpl_helm_parse_error(a, t->name, tpl_last_error(set)->msg);
            *pos = tpl_last_error(set)->pos;
            return false;
        }
    }
    for (size_t i = 0; i < r.nt; i++) {
        rtpl *t = &r.t[i];
        if (rf_base(t->name)[0] == '_') continue;
        tpl_map *dot = tpl_map_copy(a, t->vals);
        tpl_val *tv = tpl_map_new(a, "common.Values");
        tpl_map_setz(a, tv->map, "Name", tpl_cstr(a, t->name));
        tpl_map_setz(a, tv->map, "BasePath", tpl_cstr(a, t->basepath));
        tpl_map_setz(a, dot, "Template", tv);
        tpl_val *dv = tpl_map_new(a, NULL);
        dv->map = dot;
        buf_t b = {0};
        /* what the execution allocates is garbage once its output is copied, unless it stored
         * values into maps that outlive it (set/merge on .Values...) */
        tpl_set_exec_arena(set, &scratch);
        bool ok = tpl_exec(set, t->name, dv, &b);
        bool stored = tpl_exec_stored(set);
        tpl_set_exec_arena(set, NULL);
        if (!ok) {
            buf_free(&b);
            ar_adopt(a, &scratch);
            *err = tpl_helm_exec_error(a, t->name, tpl_last_error(set)->msg);
            *pos = tpl_last_error(set)->pos;
            return false;
        }
        if (stored)
            ar_adopt(a, &scratch);
        else
            ar_reset(&scratch);
        replace_no_value(&b);
        t->out = ar_strndup(a, b.data ? b.data : "", b.len);
        t->outn = b.len;
        t->rendered = true;
        buf_free(&b);
    }
    ar_free(&scratch);

    /* manifests in template path order */
    rtpl **byname = ar_alloc(a, (r.nt ? r.nt : 1) * sizeof *byname);
    size_t nb = 0;
    for (size_t i = 0; i < r.nt; i++) {
        rtpl *t = &r.t[i];
        if (!t->rendered) continue;
        size_t nl = strlen(t->name);
        if (nl >= 9 && !strcmp(t->name + nl - 9, "NOTES.txt")) continue;
        byname[nb++] = t;
    }
    if (nb) qsort(byname, nb, sizeof *byname, rtpl_name_cmp);
    mans gen = {0}, hooks = {0};
    for (size_t i = 0; i < nb; i++)
        if (!split_file(&r, byname[i], &gen, &hooks, err)) return false;
    if (gen.n) qsort(gen.m, gen.n, sizeof *gen.m, man_cmp);
    if (hooks.n) qsort(hooks.m, hooks.n, sizeof *hooks.m, man_cmp);

    /* straight into out unless --show-only picks from it */
    buf_t all_buf = {0};
    buf_t *all = o->nshow_only ? &all_buf : out;
    if (o->include_crds) crds_out(a, c, all);
    for (size_t i = 0; i < gen.n; i++) {
        buf_printf(all, "---\n# Source: %s\n", gen.m[i].path);
        buf_put(all, gen.m[i].content, gen.m[i].n);
        buf_putc(all, '\n');
    }
    if (!o->no_hooks)
        for (size_t i = 0; i < hooks.n; i++) {
            if (o->skip_tests && hooks.m[i].test) continue;
            buf_printf(all, "---\n# Source: %s\n", hooks.m[i].path);
            buf_put(all, hooks.m[i].content, hooks.m[i].n);
            buf_putc(all, '\n');
        }
    bool ok = true;
    if (o->nshow_only)
        ok = show_only(a, all_buf.data ? all_buf.data : "", all_buf.len, o, out, err);
    buf_free(&all_buf);
    return ok;
}
