/* Chart loading as Helm's loader does it: a directory (with .helmignore) or a .tgz archive,
 * Chart.yaml/requirements.yaml/values.yaml, templates, crds, files and subcharts in charts/,
 * then the dependency processing (tags, conditions, aliases, import-values). */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "template/chart.h"
#include "template/chart_int.h"
#include "yaml/yaml.h"

typedef struct cl_files {
    chart_file *f;
    size_t n, cap;
} cl_files;

static void cl_add(arena *a, cl_files *fs, const char *name, const char *data, size_t n)
{
    if (fs->n == fs->cap) {
        size_t nc = fs->cap ? fs->cap * 2 : 16;
        fs->f = ar_realloc(a, fs->f, fs->cap * sizeof *fs->f, nc * sizeof *fs->f);
        fs->cap = nc;
    }
    fs->f[fs->n].name = name;
    fs->f[fs->n].data = data;
    fs->f[fs->n].n = n;
    fs->n++;
}

/* ---- .helmignore (pkg/ignore) ---- */

typedef struct ig_rule {
    const char *pat;
    bool negate, must_dir, rooted, has_slash;
} ig_rule;

typedef struct ig_rules {
    ig_rule *r;
    size_t n;
} ig_rules;

static void ig_parse(arena *a, ig_rules *rs, const char *text, size_t n)
{
    size_t cap = 8;
    rs->r = ar_alloc(a, cap * sizeof *rs->r);
    rs->n = 0;
    const char *defaults = "templates/.?*\n";
    for (int pass = 0; pass < 2; pass++) {
        const char *s = pass ? text : defaults;
        size_t len = pass ? n : strlen(defaults);
        size_t i = 0;
        while (s && i < len) {
            size_t e = i;
            while (e < len && s[e] != '\n')
                e++;
            size_t b = i, f = e;
            i = e + 1;
            while (b < f && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
                b++;
            while (f > b && (s[f - 1] == ' ' || s[f - 1] == '\t' || s[f - 1] == '\r'))
                f--;
            if (b == f || s[b] == '#') continue;
            char *rule = ar_strndup(a, s + b, f - b);
            if (strstr(rule, "**")) continue;
            ig_rule r = {0};
            if (rule[0] == '!') {
                r.negate = true;
                rule++;
            }
            size_t rl = strlen(rule);
            if (rl && rule[rl - 1] == '/') {
                r.must_dir = true;
                rule[rl - 1] = 0;
            }
            if (rule[0] == '/') {
                r.rooted = true;
                rule++;
            } else if (strchr(rule, '/'))
                r.has_slash = true;
            r.pat = rule;
            if (rs->n == cap) {
                rs->r = ar_realloc(a, rs->r, cap * sizeof *rs->r, 2 * cap * sizeof *rs->r);
                cap *= 2;
            }
            rs->r[rs->n++] = r;
        }
    }
}

static bool ig_match(const ig_rule *r, const char *path)
{
    const char *n = path;
    if (!r->rooted && !r->has_slash) {
        const char *sl = strrchr(path, '/');
        if (sl) n = sl + 1;
    }
    return fnmatch(r->pat, n, FNM_PATHNAME) == 0;
}

static bool ig_ignore(const ig_rules *rs, const char *path, bool dir)
{
    if (!*path || !strcmp(path, ".")) return false;
    for (size_t i = 0; i < rs->n; i++) {
        const ig_rule *r = &rs->r[i];
        if (r->negate) {
            if (r->must_dir && !dir) return true;
            if (!ig_match(r, path)) return true;
            continue;
        }
        if (r->must_dir && !dir) continue;
        if (ig_match(r, path)) return true;
    }
    return false;
}

/* ---- reading ---- */

static int cl_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static void cl_walk(arena *a, const ig_rules *rs, const char *root, const char *rel, cl_files *fs)
{
    const char *dirp = *rel ? ar_printf(a, "%s/%s", root, rel) : root;
    DIR *d = opendir(dirp);
    if (!d) return;
    const char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            names = ar_realloc(a, names, cap * sizeof *names, nc * sizeof *names);
            cap = nc;
        }
        names[n++] = ar_strdup(a, e->d_name);
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, cl_cmp);
    for (size_t i = 0; i < n; i++) {
        const char *r = *rel ? ar_printf(a, "%s/%s", rel, names[i]) : names[i];
        const char *full = ar_printf(a, "%s/%s", root, r);
        struct stat st;
        if (stat(full, &st) != 0) continue;
        bool dir = S_ISDIR(st.st_mode);
        if (ig_ignore(rs, r, dir)) continue;
        if (dir)
            cl_walk(a, rs, root, r, fs);
        else if (S_ISREG(st.st_mode)) {
            char *data;
            size_t dn;
            if (util_read_file(a, full, &data, &dn)) cl_add(a, fs, r, data, dn);
        }
    }
}

/* libarchive, opened with dlopen when a chart loader first meets a .tgz. */
typedef struct cl_lib {
    void *h;
    __typeof__(archive_entry_filetype) *entry_filetype;
    __typeof__(archive_entry_pathname) *entry_pathname;
    __typeof__(archive_error_string) *error_string;
    __typeof__(archive_read_data) *read_data;
    __typeof__(archive_read_free) *read_free;
    __typeof__(archive_read_new) *read_new;
    __typeof__(archive_read_next_header) *read_next_header;
    __typeof__(archive_read_open_memory) *read_open_memory;
    __typeof__(archive_read_support_filter_all) *read_support_filter_all;
    __typeof__(archive_read_support_format_tar) *read_support_format_tar;
} cl_lib;

/* The context of one chart_load: libarchive once loaded (closed when the load ends). */
typedef struct cl_ctx {
    cl_lib lib;
    bool tried; /* dlopen attempted (lib.h NULL: it failed, err says why) */
    const char *err;
} cl_ctx;

#ifndef KILN_ARCHIVE_SO
#define KILN_ARCHIVE_SO "libarchive.so"
#endif

/* Opens libarchive and resolves the functions kiln calls; false with *err set on failure. */
static bool cl_lib_load(cl_ctx *cx, arena *a, const char **err)
{
    cl_lib *L = &cx->lib;
    if (cx->tried) {
        if (!L->h) *err = cx->err;
        return L->h != NULL;
    }
    cx->tried = true;
    const struct {
        const char *name;
        void **fn;
    } syms[] = {
        {"archive_entry_filetype", (void **)&L->entry_filetype},
        {"archive_entry_pathname", (void **)&L->entry_pathname},
        {"archive_error_string", (void **)&L->error_string},
        {"archive_read_data", (void **)&L->read_data},
        {"archive_read_free", (void **)&L->read_free},
        {"archive_read_new", (void **)&L->read_new},
        {"archive_read_next_header", (void **)&L->read_next_header},
        {"archive_read_open_memory", (void **)&L->read_open_memory},
        {"archive_read_support_filter_all", (void **)&L->read_support_filter_all},
        {"archive_read_support_format_tar", (void **)&L->read_support_format_tar},
    };
    L->h = dlopen(KILN_ARCHIVE_SO, RTLD_NOW | RTLD_LOCAL);
    for (size_t i = 0; L->h && i < sizeof syms / sizeof syms[0]; i++) {
        *syms[i].fn = dlsym(L->h, syms[i].name);
        if (!*syms[i].fn) {
            dlclose(L->h);
            L->h = NULL;
        }
    }
    if (!L->h) {
        const char *m = dlerror();
        cx->err = *err = ar_printf(a, "reading .tgz charts needs libarchive (%s): %s",
                                   KILN_ARCHIVE_SO, m ? m : "unknown error");
        return false;
    }
    return true;
}

static void cl_lib_close(cl_ctx *cx)
{
    if (cx->lib.h) dlclose(cx->lib.h);
    cx->lib.h = NULL;
}

/* Reads a .tgz chart archive from memory; names lose their first component. */
static bool cl_archive(cl_ctx *cx, arena *a, const char *data, size_t n, cl_files *fs,
                       const char **err)
{
    if (!cl_lib_load(cx, a, err)) return false;
    const cl_lib *L = &cx->lib;
    struct archive *ar = L->read_new();
    L->read_support_filter_all(ar);
    L->read_support_format_tar(ar);
    if (L->read_open_memory(ar, data, n) != ARCHIVE_OK) {
        *err = ar_strdup(a, L->error_string(ar) ? L->error_string(ar) : "bad archive");
        L->read_free(ar);
        return false;
    }
    struct archive_entry *e;
    int rc;
    while ((rc = L->read_next_header(ar, &e)) == ARCHIVE_OK) {
        if (L->entry_filetype(e) != AE_IFREG) continue;
        const char *p = L->entry_pathname(e);
        if (!p) continue;
        const char *sl = strchr(p, '/');
        if (!sl) continue;
        const char *name = ar_strdup(a, sl + 1);
        buf_t b = {0};
        char tmp[65536];
        la_ssize_t k;
        while ((k = L->read_data(ar, tmp, sizeof tmp)) > 0)
            buf_put(&b, tmp, (size_t)k);
        cl_add(a, fs, name, ar_strndup(a, b.data ? b.data : "", b.len), b.len);
        buf_free(&b);
    }
    bool ok = rc == ARCHIVE_EOF;
    if (!ok) *err = ar_strdup(a, L->error_string(ar) ? L->error_string(ar) : "bad archive");
    L->read_free(ar);
    return ok;
}

/* ---- Chart.yaml ---- */

/* A Chart.yaml scalar read into a Go string field through sigs.k8s.io/yaml: YAML 1.1 bools
 * become "true"/"false" (`name: off` is "false"), numbers their Go formatting (`1.10` is
 * "1.1"). Result in static or node memory. */
static const char *cl_scalar(const ir_node *n)
{
    if (!n || n->kind != IR_SCALAR || n->tag == IR_TAG_NULL) return "";
    if (n->tag == IR_TAG_BOOL) return n->sc.v.b ? "true" : "false";
    return n->sc.s;
}

/* cl_scalar for values that may be numbers (formatted into the arena). */
static const char *cl_text(arena *a, const ir_node *n)
{
    if (n && n->kind == IR_SCALAR && n->tag == IR_TAG_INT && !(n->flags & IR_INT_UNSIGNED))
        return ar_printf(a, "%lld", (long long)n->sc.v.i);
    if (n && n->kind == IR_SCALAR && n->tag == IR_TAG_FLOAT) {
        char b[64];
        size_t bn = ky_format_float_g(n->sc.v.f, b);
        return ar_strndup(a, b, bn);
    }
    return cl_scalar(n);
}

static const tpl_val *cl_strlist(arena *a, const ir_node *n, const char ***out, size_t *nout)
{
    size_t cnt = n && n->kind == IR_SEQ ? n->seq.n : 0;
    const tpl_val **items = ar_alloc(a, (cnt ? cnt : 1) * sizeof *items);
    const char **strs = ar_alloc(a, (cnt ? cnt : 1) * sizeof *strs);
    for (size_t i = 0; i < cnt; i++) {
        strs[i] = cl_text(a, n->seq.items[i]);
        items[i] = tpl_cstr(a, strs[i]);
    }
    if (out) *out = strs;
    if (nout) *nout = cnt;
    return tpl_list(a, items, cnt, "[]string");
}

static tpl_val *cl_dep_map(arena *a, const chart_dep *dp)
{
    tpl_val *m = tpl_map_new(a, "*chart.Dependency");
    tpl_map_setz(a, m->map, "Name", tpl_cstr(a, dp->name));
    tpl_map_setz(a, m->map, "Version", tpl_cstr(a, dp->version));
    tpl_map_setz(a, m->map, "Repository", tpl_cstr(a, dp->repository));
    tpl_map_setz(a, m->map, "Condition", tpl_cstr(a, dp->condition));
    const tpl_val **t = ar_alloc(a, (dp->ntags ? dp->ntags : 1) * sizeof *t);
    for (size_t i = 0; i < dp->ntags; i++)
        t[i] = tpl_cstr(a, dp->tags[i]);
    tpl_map_setz(a, m->map, "Tags", tpl_list(a, t, dp->ntags, "[]string"));
    tpl_map_setz(a, m->map, "Enabled", tpl_bool(dp->enabled));
    tpl_map_setz(a, m->map, "ImportValues",
                 dp->import_values ? dp->import_values : tpl_list(a, NULL, 0, NULL));
    tpl_map_setz(a, m->map, "Alias", tpl_cstr(a, dp->alias));
    return m;
}

static void cl_deps(arena *a, chart *c, const ir_node *list)
{
    if (!list || list->kind != IR_SEQ) return;
    c->deps = ar_alloc(a, (list->seq.n ? list->seq.n : 1) * sizeof *c->deps);
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *d = list->seq.items[i];
        if (d->kind != IR_MAP) continue;
        chart_dep *dp = &c->deps[c->ndeps++];
        dp->name = cl_text(a, ir_map_get(d, "name"));
        dp->version = cl_text(a, ir_map_get(d, "version"));
        dp->repository = cl_text(a, ir_map_get(d, "repository"));
        dp->condition = cl_text(a, ir_map_get(d, "condition"));
        dp->alias = cl_text(a, ir_map_get(d, "alias"));
        cl_strlist(a, ir_map_get(d, "tags"), &dp->tags, &dp->ntags);
        const ir_node *iv = ir_map_get(d, "import-values");
        if (iv && iv->kind == IR_SEQ) dp->import_values = tpl_from_ir(a, iv, 0);
        dp->enabled = true;
    }
}

static void cl_meta(arena *a, chart *c, const ir_node *y)
{
    tpl_map *m = tpl_map_new(a, "*chart.Metadata")->map;
    static const char *const strs[][2] = {
        {"Name", "name"},
        {"Home", "home"},
        {"Version", "version"},
        {"Description", "description"},
        {"Icon", "icon"},
        {"APIVersion", "apiVersion"},
        {"Condition", "condition"},
        {"Tags", "tags"},
        {"AppVersion", "appVersion"},
        {"KubeVersion", "kubeVersion"},
        {"Type", "type"},
    };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        tpl_map_setz(a, m, strs[i][0], tpl_cstr(a, cl_text(a, ir_map_get(y, strs[i][1]))));
    tpl_map_setz(a, m, "Sources", cl_strlist(a, ir_map_get(y, "sources"), NULL, NULL));
    tpl_map_setz(a, m, "Keywords", cl_strlist(a, ir_map_get(y, "keywords"), NULL, NULL));
    const ir_node *dep = ir_map_get(y, "deprecated");
    tpl_map_setz(a, m, "Deprecated",
                 tpl_bool(dep && dep->kind == IR_SCALAR && dep->tag == IR_TAG_BOOL && dep->sc.v.b));
    tpl_val *ann = tpl_map_new(a, "map[string]string");
    const ir_node *an = ir_map_get(y, "annotations");
    if (an && an->kind == IR_MAP)
        for (size_t i = 0; i < an->map.n; i++)
            tpl_map_setz(a, ann->map, cl_text(a, an->map.items[i].key),
                         tpl_cstr(a, cl_text(a, an->map.items[i].val)));
    tpl_map_setz(a, m, "Annotations", ann);
    const ir_node *mt = ir_map_get(y, "maintainers");
    size_t nm = mt && mt->kind == IR_SEQ ? mt->seq.n : 0;
    const tpl_val **ms = ar_alloc(a, (nm ? nm : 1) * sizeof *ms);
    for (size_t i = 0; i < nm; i++) {
        tpl_val *mm = tpl_map_new(a, "*chart.Maintainer");
        tpl_map_setz(a, mm->map, "Name",
                     tpl_cstr(a, cl_text(a, ir_map_get(mt->seq.items[i], "name"))));
        tpl_map_setz(a, mm->map, "Email",
                     tpl_cstr(a, cl_text(a, ir_map_get(mt->seq.items[i], "email"))));
        tpl_map_setz(a, mm->map, "URL",
                     tpl_cstr(a, cl_text(a, ir_map_get(mt->seq.items[i], "url"))));
        ms[i] = mm;
    }
    tpl_map_setz(a, m, "Maintainers", tpl_list(a, ms, nm, "[]*chart.Maintainer"));
    c->meta = m;
    c->name = ar_strdup(a, cl_text(a, ir_map_get(y, "name")));
    c->apiv = ar_strdup(a, cl_text(a, ir_map_get(y, "apiVersion")));
    if (!*c->apiv) {
        c->apiv = "v1";
        tpl_map_setz(a, m, "APIVersion", tpl_cstr(a, "v1"));
    }
    c->type = ar_strdup(a, cl_text(a, ir_map_get(y, "type")));
    cl_deps(a, c, ir_map_get(y, "dependencies"));
}

void chart_meta_sync_deps(arena *a, chart *c)
{
    const tpl_val **ds = ar_alloc(a, (c->ndeps ? c->ndeps : 1) * sizeof *ds);
    for (size_t i = 0; i < c->ndeps; i++)
        ds[i] = cl_dep_map(a, &c->deps[i]);
    tpl_map_setz(a, c->meta, "Dependencies",
                 c->ndeps ? tpl_list(a, ds, c->ndeps, "[]*chart.Dependency") : tpl_nil());
}

static bool cl_yaml(arena *a, diag_ctx *d, const char *path, const char *data, size_t n,
                    ir_node **out)
{
    uint32_t f = diag_file_add(d, path, data, n);
    ky_opts o = {.flavor = KY_V2, .dup_last_wins = true};
    ky_docs docs = {0};
    *out = NULL;
    if (!ky_load(a, d, f, data, n, &o, &docs)) return false;
    if (docs.n) *out = docs.docs[0];
    return true;
}

/* Masterminds semver's loose form: v?N(.N)?(.N)?(-pre)?(+meta)? */
static bool cl_semver_loose(const char *v)
{
    const char *p = v;
    if (*p == 'v') p++;
    for (int part = 0; part < 3; part++) {
        if (part) {
            if (*p != '.') break;
            p++;
        }
        if (*p < '0' || *p > '9') return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    for (int sect = 0; sect < 2; sect++) {
        char lead = sect ? '+' : '-';
        if (*p != lead) continue;
        p++;
        for (;;) { /* dot-separated identifiers of [0-9A-Za-z-] */
            const char *st = p;
            while ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= 'a' && *p <= 'z') || *p == '-')
                p++;
            if (p == st) return false;
            if (*p != '.') break;
            p++;
        }
    }
    return *p == 0;
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static bool cl_from_files(cl_ctx *cx, arena *a, diag_ctx *d, const char *where, cl_files *fs,
                          chart *parent, chart **out);

/* Loads one subchart group (files named relative to charts/). */
static bool cl_sub(cl_ctx *cx, arena *a, diag_ctx *d, const char *where, const char *cname,
                   cl_files *sub, chart *parent, chart **out)
{
    size_t cl = strlen(cname);
    if (cl > 4 && !strcmp(cname + cl - 4, ".tgz")) {
        cl_files af = {0};
        const char *err = NULL;
        if (!cl_archive(cx, a, sub->f[0].data, sub->f[0].n, &af, &err)) {
            diag_error(d, diag_nopos, "error unpacking subchart %s in %s: %s", cname, parent->name,
                       err);
            return false;
        }
        return cl_from_files(cx, a, d, ar_printf(a, "%s/charts/%s", where, cname), &af, parent,
                             out);
    }
    cl_files bf = {0};
    for (size_t i = 0; i < sub->n; i++) {
        const char *sl = strchr(sub->f[i].name, '/');
        if (!sl) continue;
        cl_add(a, &bf, sl + 1, sub->f[i].data, sub->f[i].n);
    }
    return cl_from_files(cx, a, d, ar_printf(a, "%s/charts/%s", where, cname), &bf, parent, out);
}

static bool cl_from_files(cl_ctx *cx, arena *a, diag_ctx *d, const char *where, cl_files *fs,
                          chart *parent, chart **out)
{
    chart *c = ar_alloc(a, sizeof *c);
    c->parent = parent;
    c->values = tpl_map_new(a, NULL)->map;
    cl_files tp = {0}, fl = {0}, crd = {0};
    const char **cnames = NULL;
    cl_files *groups = NULL;
    size_t ng = 0;
    bool have_meta = false;
    ir_node *req = NULL;
    for (size_t i = 0; i < fs->n; i++) {
        chart_file *f = &fs->f[i];
        const char *p = ar_printf(a, "%s/%s", where, f->name);
        if (!strcmp(f->name, "Chart.yaml")) {
            ir_node *y;
            if (!cl_yaml(a, d, p, f->data, f->n, &y)) return false;
            cl_meta(a, c, y && y->kind == IR_MAP ? y : ir_map(a, diag_nopos));
            have_meta = true;
        } else if (!strcmp(f->name, "values.yaml")) {
            const char *err = NULL;
            diag_file_add(d, p, f->data, f->n);
            if (!chart_values_parse(a, f->data, f->n, &c->values, &err)) {
                diag_error(d, diag_nopos, "%s: cannot load values.yaml: %s", p, err);
                return false;
            }
        } else if (!strcmp(f->name, "values.schema.json")) {
            c->schema = f->data;
            c->schema_n = f->n;
            c->schema_file = diag_file_add(d, p, f->data, f->n);
        } else if (!strcmp(f->name, "requirements.yaml")) {
            if (!cl_yaml(a, d, p, f->data, f->n, &req)) return false;
        } else if (!strcmp(f->name, "Chart.lock") || !strcmp(f->name, "requirements.lock")) {
            /* not exposed */
        } else if (has_prefix(f->name, "templates/")) {
            cl_add(a, &tp, f->name, f->data, f->n);
        } else if (has_prefix(f->name, "charts/")) {
            size_t nl = strlen(f->name);
            if (nl > 5 && !strcmp(f->name + nl - 5, ".prov")) {
                cl_add(a, &fl, f->name, f->data, f->n);
                continue;
            }
            const char *rest = f->name + 7;
            const char *sl = strchr(rest, '/');
            const char *cn = ar_strndup(a, rest, sl ? (size_t)(sl - rest) : strlen(rest));
            size_t g = 0;
            while (g < ng && strcmp(cnames[g], cn))
                g++;
            if (g == ng) {
                cnames = ar_realloc(a, cnames, ng * sizeof *cnames, (ng + 1) * sizeof *cnames);
                groups = ar_realloc(a, groups, ng * sizeof *groups, (ng + 1) * sizeof *groups);
                cnames[ng] = cn;
                memset(&groups[ng], 0, sizeof groups[ng]);
                ng++;
            }
            cl_add(a, &groups[g], rest, f->data, f->n);
        } else {
            cl_add(a, &fl, f->name, f->data, f->n);
            if (has_prefix(f->name, "crds/")) {
                size_t nl = strlen(f->name);
                if ((nl > 5 && !strcmp(f->name + nl - 5, ".yaml")) ||
                    (nl > 4 && !strcmp(f->name + nl - 4, ".yml")) ||
                    (nl > 5 && !strcmp(f->name + nl - 5, ".json")))
                    cl_add(a, &crd, f->name, f->data, f->n);
            }
        }
    }
    if (!have_meta) {
        diag_error(d, diag_nopos, "%s: Chart.yaml file is missing", where);
        return false;
    }
    if (!*c->name) {
        diag_error(d, diag_nopos, "%s/Chart.yaml: validation: chart.metadata.name is required",
                   where);
        return false;
    }
    const tpl_val *vv = tpl_map_getz(c->meta, "Version");
    const char *ver = vv && vv->kind == TPL_STRING ? vv->str.s : "";
    if (!*ver) {
        diag_error(d, diag_nopos, "%s/Chart.yaml: validation: chart.metadata.version is required",
                   where);
        return false;
    }
    if (!cl_semver_loose(ver)) {
        diag_error(d, diag_nopos,
                   "%s/Chart.yaml: validation: chart.metadata.version \"%s\" is invalid", where,
                   ver);
        return false;
    }
    if (!strcmp(c->apiv, "v1") && req && req->kind == IR_MAP) {
        c->ndeps = 0;
        cl_deps(a, c, ir_map_get(req, "dependencies"));
    }
    c->templates = tp.f;
    c->ntemplates = tp.n;
    c->files = fl.f;
    c->nfiles = fl.n;
    c->crds = crd.f;
    c->ncrds = crd.n;
    c->subs = ar_alloc(a, (ng ? ng : 1) * sizeof *c->subs);
    for (size_t g = 0; g < ng; g++) {
        if (cnames[g][0] == '_' || cnames[g][0] == '.') continue;
        chart *sc;
        if (!cl_sub(cx, a, d, where, cnames[g], &groups[g], c, &sc)) return false;
        c->subs[c->nsubs++] = sc;
    }
    chart_meta_sync_deps(a, c);
    *out = c;
    return true;
}

/* chart_load with the loader context cx. */
static bool cl_load(cl_ctx *cx, arena *a, diag_ctx *d, const char *path, chart **out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        diag_error(d, diag_nopos, "path \"%s\" not found", path);
        return false;
    }
    cl_files fs = {0};
    if (S_ISDIR(st.st_mode)) {
        char *ig = NULL;
        size_t ign = 0;
        ig_rules rs;
        util_read_file(a, ar_printf(a, "%s/.helmignore", path), &ig, &ign);
        ig_parse(a, &rs, ig, ign);
        cl_walk(a, &rs, path, "", &fs);
        return cl_from_files(cx, a, d, path, &fs, NULL, out);
    }
    char *data;
    size_t n;
    const char *err = NULL;
    if (!util_read_file(a, path, &data, &n) || !cl_archive(cx, a, data, n, &fs, &err)) {
        diag_error(d, diag_nopos, "%s: %s", path, err ? err : strerror(errno));
        return false;
    }
    return cl_from_files(cx, a, d, path, &fs, NULL, out);
}

bool chart_load(arena *a, diag_ctx *d, const char *path, chart **out)
{
    cl_ctx cx = {0};
    bool ok = cl_load(&cx, a, d, path, out);
    cl_lib_close(&cx);
    return ok;
}

const char *chart_full_path(arena *a, const chart *c)
{
    if (!c->parent) return c->name;
    return ar_printf(a, "%s/charts/%s", chart_full_path(a, c->parent), c->name);
}

/* ---- dependencies (pkg/chart/common/util/dependencies.go) ---- */

/* Values.PathValue: a dotted path to a non-table value. */
static const tpl_val *cd_path_value(const tpl_map *m, const char *path)
{
    const char *dot = strrchr(path, '.');
    const tpl_map *t = m;
    if (dot) {
        const char *p = path;
        while (p < dot) {
            const char *e = memchr(p, '.', (size_t)(dot - p));
            if (!e) e = dot;
            const tpl_val *v = tpl_map_get(t, p, (size_t)(e - p));
            if (!v || v->kind != TPL_MAP) return NULL;
            t = v->map;
            p = e + 1;
        }
        path = dot + 1;
    }
    const tpl_val *v = tpl_map_getz(t, path);
    if (!v || v->kind == TPL_MAP) return NULL;
    return v;
}

/* Values.Table: a dotted path to a table. */
static const tpl_map *cd_table(const tpl_map *m, const char *path)
{
    const tpl_map *t = m;
    const char *p = path;
    for (;;) {
        const char *e = strchr(p, '.');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const tpl_val *v = tpl_map_get(t, p, n);
        if (!v || v->kind != TPL_MAP) return NULL;
        t = v->map;
        if (!e) return t;
        p = e + 1;
    }
}

static void cd_tags(chart *c, const tpl_map *cvals)
{
    const tpl_val *tv = tpl_map_getz(cvals, "tags");
    if (!tv || tv->kind != TPL_MAP) return;
    for (size_t i = 0; i < c->ndeps; i++) {
        chart_dep *r = &c->deps[i];
        bool has_true = false, has_false = false;
        for (size_t k = 0; k < r->ntags; k++) {
            const tpl_val *b = tpl_map_getz(tv->map, r->tags[k]);
            if (b && b->kind == TPL_BOOL) {
                if (b->b)
                    has_true = true;
                else
                    has_false = true;
            }
        }
        if (!has_true && has_false)
            r->enabled = false;
        else
            r->enabled = true;
    }
}

static void cd_conditions(arena *a, chart *c, const tpl_map *cvals, const char *cpath)
{
    for (size_t i = 0; i < c->ndeps; i++) {
        chart_dep *r = &c->deps[i];
        const char *cond = r->condition;
        while (*cond == ' ' || *cond == '\t' || *cond == '\n')
            cond++;
        size_t cl = strlen(cond);
        while (cl && (cond[cl - 1] == ' ' || cond[cl - 1] == '\t' || cond[cl - 1] == '\n'))
            cl--;
        const char *p = cond, *end = cond + cl;
        while (p <= end && cl) {
            const char *e = memchr(p, ',', (size_t)(end - p));
            if (!e) e = end;
            if (e > p) {
                const char *path = ar_printf(a, "%s%.*s", cpath, (int)(e - p), p);
                const tpl_val *v = cd_path_value(cvals, path);
                if (v && v->kind == TPL_BOOL) {
                    r->enabled = v->b;
                    break;
                }
            }
            p = e + 1;
        }
    }
}

static bool cd_enabled(arena *a, chart *c, const tpl_map *v, const char *path, const char **err)
{
    if (!c->ndeps) return true;
    /* subcharts not named in the dependencies first, then one per dependency (aliased) */
    chart **nd = ar_alloc(a, (c->nsubs + c->ndeps + 1) * sizeof *nd);
    size_t nn = 0;
    for (size_t i = 0; i < c->nsubs; i++) {
        bool listed = false;
        for (size_t k = 0; k < c->ndeps; k++)
            if (!strcmp(c->subs[i]->name, c->deps[k].name)) listed = true;
        if (!listed) nd[nn++] = c->subs[i];
    }
    for (size_t k = 0; k < c->ndeps; k++) {
        chart_dep *r = &c->deps[k];
        for (size_t i = 0; i < c->nsubs; i++) {
            if (strcmp(c->subs[i]->name, r->name)) continue;
            chart *cp = ar_alloc(a, sizeof *cp);
            *cp = *c->subs[i];
            if (*r->alias) {
                cp->name = r->alias;
                cp->meta = tpl_map_copy(a, cp->meta);
                tpl_map_setz(a, cp->meta, "Name", tpl_cstr(a, r->alias));
            }
            nd[nn++] = cp;
            break;
        }
        if (*r->alias) r->name = r->alias;
    }
    c->subs = nd;
    c->nsubs = nn;
    for (size_t k = 0; k < c->ndeps; k++)
        c->deps[k].enabled = true;
    tpl_map *cvals;
    if (!chart_coalesce(a, c, v, false, &cvals, err)) return false;
    cd_tags(c, cvals);
    cd_conditions(a, c, cvals, path);
    size_t keep = 0;
    for (size_t i = 0; i < c->nsubs; i++) {
        bool rm = false;
        for (size_t k = 0; k < c->ndeps; k++)
            if (!c->deps[k].enabled && !strcmp(c->deps[k].name, c->subs[i]->name)) rm = true;
        if (!rm) c->subs[keep++] = c->subs[i];
    }
    c->nsubs = keep;
    size_t kd = 0;
    for (size_t k = 0; k < c->ndeps; k++)
        if (c->deps[k].enabled) c->deps[kd++] = c->deps[k];
    c->ndeps = kd;
    for (size_t i = 0; i < c->nsubs; i++) {
        c->subs[i]->parent = c;
        const char *sp = ar_printf(a, "%s%s.", path, c->subs[i]->name);
        if (!cd_enabled(a, c->subs[i], cvals, sp, err)) return false;
    }
    chart_meta_sync_deps(a, c);
    return true;
}

static tpl_map *cd_path_to_map(arena *a, const char *path, tpl_map *data)
{
    if (!strcmp(path, ".")) return data;
    /* nest data under the dotted path's parts */
    tpl_map *top = tpl_map_new(a, NULL)->map, *cur = top;
    const char *p = path;
    for (;;) {
        const char *e = strchr(p, '.');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        tpl_val *m = tpl_map_new(a, NULL);
        if (!e) {
            m->map = data;
            tpl_map_set(a, cur, p, n, m);
            return top;
        }
        tpl_map_set(a, cur, p, n, m);
        cur = m->map;
        p = e + 1;
    }
}

static bool cd_import(arena *a, chart *c, const char **err)
{
    for (size_t i = 0; i < c->nsubs; i++) {
        c->subs[i]->parent = c;
        if (!cd_import(a, c->subs[i], err)) return false;
    }
    if (!c->ndeps) return true;
    tpl_map *cvals;
    if (!chart_coalesce(a, c, NULL, true, &cvals, err)) return false;
    tpl_map *b = tpl_map_new(a, NULL)->map;
    for (size_t k = 0; k < c->ndeps; k++) {
        chart_dep *r = &c->deps[k];
        if (!r->import_values) continue;
        const tpl_val **outiv = ar_alloc(a, (r->import_values->list.n + 1) * sizeof *outiv);
        size_t no = 0;
        for (size_t j = 0; j < r->import_values->list.n; j++) {
            const tpl_val *iv = r->import_values->list.items[j];
            const char *child, *parent;
            if (iv->kind == TPL_MAP) {
                const tpl_val *cv = tpl_map_getz(iv->map, "child");
                const tpl_val *pv = tpl_map_getz(iv->map, "parent");
                child = cv && cv->kind == TPL_STRING ? cv->str.s : "";
                parent = pv && pv->kind == TPL_STRING ? pv->str.s : "";
            } else if (iv->kind == TPL_STRING) {
                child = ar_printf(a, "exports.%s", iv->str.s);
                parent = ".";
            } else
                continue;
            tpl_val *o = tpl_map_new(a, "map[string]string");
            tpl_map_setz(a, o->map, "child", tpl_cstr(a, child));
            tpl_map_setz(a, o->map, "parent", tpl_cstr(a, parent));
            outiv[no++] = o;
            const tpl_map *vv = cd_table(cvals, ar_printf(a, "%s.%s", r->name, child));
            if (!vv) continue;
            tpl_map *src = cd_path_to_map(a, parent, chart_map_deep_copy(a, vv));
            chart_coalesce_tables(a, b, src, true);
        }
        r->import_values = tpl_list(a, outiv, no, NULL);
    }
    cvals = chart_map_deep_copy(a, cvals);
    chart_coalesce_tables(a, cvals, b, true);
    c->values = cvals;
    chart_meta_sync_deps(a, c);
    return true;
}

bool chart_process_deps(arena *a, chart *c, const tpl_map *vals, const char **err)
{
    if (!cd_enabled(a, c, vals, "", err)) return false;
    return cd_import(a, c, err);
}
