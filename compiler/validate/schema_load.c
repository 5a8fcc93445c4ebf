/* The --schema sources: walks files and directories, reads them, computes the key that names
 * their compiled form in the cache, and parses them (JSON is YAML) into the schema builder. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "validate/schema_int.h"
#include "yaml/yaml.h"

static bool sl_ext_ok(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".json")) || (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
           (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static void sl_add(sc_sources *s, const char *path, const char *rel)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->files = util_xrealloc(s->files, s->cap * sizeof *s->files);
    }
    sc_file *f = &s->files[s->n++];
    memset(f, 0, sizeof *f);
    f->path = strdup(path);
    f->rel = strdup(rel);
    if (!f->path || !f->rel) util_oom();
}

static int sl_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of dir (sorted), then its subdirectories (sorted), recursively. */
static bool sl_walk(diag_ctx *d, sc_sources *s, const char *dir, const char *rel, int depth)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        diag_error(d, diag_nopos, "%s: cannot read schema directory: %s", dir, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = util_xrealloc(names, cap * sizeof *names);
        }
        names[n] = strdup(e->d_name);
        if (!names[n]) util_oom();
        n++;
    }
    closedir(dp);
    if (n) qsort(names, n, sizeof *names, sl_name_cmp);
    bool ok = true;
    buf_t p = {0}, r = {0};
    for (int pass = 0; pass < 2 && ok; pass++) {
        for (size_t i = 0; i < n && ok; i++) {
            p.len = r.len = 0;
            buf_printf(&p, "%s/%s", dir, names[i]);
            buf_printf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i]);
            struct stat st;
            if (stat(buf_cstr(&p), &st)) continue;
            if (pass == 0 && S_ISREG(st.st_mode) && sl_ext_ok(names[i]))
                sl_add(s, p.data, buf_cstr(&r));
            else if (pass == 1 && S_ISDIR(st.st_mode) && depth < 32)
                ok = sl_walk(d, s, p.data, buf_cstr(&r), depth + 1);
        }
    }
    buf_free(&p);
    buf_free(&r);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return ok;
}

static bool sl_read(diag_ctx *d, sc_file *f)
{
    FILE *fp = fopen(f->path, "rb");
    if (!fp) {
        diag_error(d, diag_nopos, "%s: cannot read schema file: %s", f->path, strerror(errno));
        return false;
    }
    buf_t b = {0};
    struct stat st;
    if (!fstat(fileno(fp), &st) && st.st_size > 0) buf_grow(&b, (size_t)st.st_size + 1);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        buf_put(&b, chunk, n);
    bool err = ferror(fp);
    fclose(fp);
    if (err) {
        diag_error(d, diag_nopos, "%s: cannot read schema file", f->path);
        buf_free(&b);
        return false;
    }
    buf_cstr(&b);
    f->size = b.len;
    f->text = b.data ? b.data : strdup("");
    if (!f->text) util_oom();
    return true;
}

bool sc_sources_scan(diag_ctx *d, const char *const *args, size_t nargs, sc_sources *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < nargs; i++) {
        struct stat st;
        if (stat(args[i], &st)) {
            diag_error(d, diag_nopos, "--schema %s: %s", args[i], strerror(errno));
            return false;
        }
        if (S_ISDIR(st.st_mode)) {
            if (!sl_walk(d, out, args[i], "", 0)) return false;
        } else {
            sl_add(out, args[i], args[i]);
        }
    }
    /* key: format version, then every file's absolute path, device, inode, size, and
     * modification and status-change times (a write always moves ctime, which no tool can set
     * back, so an edit that keeps size and mtime still changes the key) */
    buf_t k = {0};
    uint32_t v = SC_VERSION;
    buf_put(&k, &v, sizeof v);
    for (size_t i = 0; i < out->n; i++) {
        sc_file *f = &out->files[i];
        struct stat st;
        if (stat(f->path, &st)) {
            diag_error(d, diag_nopos, "%s: cannot read schema file: %s", f->path, strerror(errno));
            buf_free(&k);
            return false;
        }
        char *abs = realpath(f->path, NULL);
        buf_puts(&k, abs ? abs : f->path);
        free(abs);
        buf_putc(&k, 0);
        int64_t meta[7] = {(int64_t)st.st_dev,          (int64_t)st.st_ino,
                           (int64_t)st.st_size,         (int64_t)st.st_mtim.tv_sec,
                           (int64_t)st.st_mtim.tv_nsec, (int64_t)st.st_ctim.tv_sec,
                           (int64_t)st.st_ctim.tv_nsec};
        buf_put(&k, meta, sizeof meta);
        f->size = (size_t)st.st_size;
    }
    out->key = util_hash(k.data, k.len);
    buf_free(&k);
    return true;
}

/* apis/<group>/<version>.json or api/v1.json: the OpenAPI v3 layout, one group/version a file. */
static bool sl_layout_gv(const char *rel, char **g, char **v)
{
    const char *hit = NULL;
    for (const char *q = strstr(rel, "api"); q; q = strstr(q + 1, "api"))
        if ((q == rel || q[-1] == '/') && (!strncmp(q, "api/", 4) || !strncmp(q, "apis/", 5)))
            hit = q;
    if (!hit) return false;
    size_t n = strlen(hit);
    if (n < 6 || strcmp(hit + n - 5, ".json")) return false;
    if (!strncmp(hit, "api/", 4)) {
        if (strchr(hit + 4, '/')) return false;
        *g = strdup("");
        *v = strndup(hit + 4, n - 9);
    } else {
        const char *gs = hit + 5, *sl = strchr(gs, '/');
        if (!sl || strchr(sl + 1, '/')) return false;
        *g = strndup(gs, (size_t)(sl - gs));
        *v = strndup(sl + 1, strlen(sl + 1) - 5);
    }
    if (!*g || !*v) util_oom();
    /* v1, v2beta1, v1alpha3: anything else is not this layout (a kubeconform file below a
     * directory named api, say) */
    const char *p = *v;
    bool ok = *p++ == 'v' && isdigit((unsigned char)*p);
    while (ok && isdigit((unsigned char)*p))
        p++;
    if (ok && (!strncmp(p, "alpha", 5) || !strncmp(p, "beta", 4))) {
        p += *p == 'a' ? 5 : 4;
        ok = isdigit((unsigned char)*p);
        while (ok && isdigit((unsigned char)*p))
            p++;
    }
    if (!ok || *p) {
        free(*g);
        free(*v);
        return false;
    }
    return true;
}

bool sc_sources_compile(diag_ctx *d, arena *keep, sc_sources *s, sc_build *bd, sc_want_fn want,
                        void *ctx)
{
    bool ok = true;
    for (size_t i = 0; i < s->n; i++) {
        sc_file *f = &s->files[i];
        char *g = NULL, *v = NULL;
        bool builtin = sl_layout_gv(f->rel, &g, &v);
        if (builtin && want && !want(ctx, g, v, NULL)) {
            free(g);
            free(v);
            continue;
        }
        free(g);
        free(v);
        if (!sl_read(d, f)) {
            ok = false;
            continue;
        }
        s->parsed++;
        arena a;
        ar_init(&a);
        size_t before = d->nmsgs;
        uint32_t fid = diag_file_add(d, f->path, f->text, f->size);
        ky_opts o = {0};
        o.flavor = KY_V3;
        ky_docs docs = {0};
        if (!ky_load(&a, d, fid, f->text, f->size, &o, &docs)) {
            ok = false;
        } else {
            size_t added = 0;
            bool json = strlen(f->rel) > 5 && !strcmp(f->rel + strlen(f->rel) - 5, ".json");
            for (size_t k = 0; k < docs.n; k++)
                added += sc_build_add_doc(bd, d, docs.docs[k], f->rel, json && builtin);
            (void)added;
        }
        ar_free(&a);
        /* diagnostics keep a copy of the text for their excerpts; else nothing needs it */
        d->files[fid].text = d->nmsgs == before ? NULL : ar_strndup(keep, f->text, f->size);
        if (d->nmsgs == before) d->files[fid].len = 0;
        free(f->text);
        f->text = NULL;
    }
    return ok;
}

void sc_sources_free(sc_sources *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->files[i].path);
        free(s->files[i].rel);
        free(s->files[i].text);
    }
    free(s->files);
    memset(s, 0, sizeof *s);
}
