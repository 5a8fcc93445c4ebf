/* The filesystem backend of the source stage: reads confined to a root, path cleaning, listing. */
#include "source/source.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool src_open_fs(src_tree *t, const char *root, const char **err)
{
    memset(t, 0, sizeof *t);
    char *r = realpath(root, NULL);
    if (!r) {
        *err = strerror(errno);
        return false;
    }
    t->root = r;
    t->rootlen = strlen(r);
    t->max_file = 256u << 20;
    return true;
}

void src_close(src_tree *t)
{
    free(t->root);
    t->root = NULL;
}

char *src_clean(arena *a, const char *path)
{
    size_t n = strlen(path);
    bool abs = n && path[0] == '/';
    /* split into components, resolve "." and ".." lexically */
    const char **comp = util_xmalloc((n / 2 + 2) * sizeof *comp);
    size_t *lens = util_xmalloc((n / 2 + 2) * sizeof *lens);
    size_t nc = 0, dotdots = 0;
    const char *p = path;
    while (*p) {
        while (*p == '/') p++;
        if (!*p) break;
        const char *s = p;
        while (*p && *p != '/') p++;
        size_t l = (size_t)(p - s);
        if (l == 1 && s[0] == '.') continue;
        if (l == 2 && s[0] == '.' && s[1] == '.') {
            if (nc > dotdots) {
                nc--;
                continue;
            }
            if (abs) continue; /* "/.." is "/" */
            dotdots++;
        }
        comp[nc] = s;
        lens[nc++] = l;
    }
    buf_t b = {0};
    if (abs) buf_putc(&b, '/');
    for (size_t i = 0; i < nc; i++) {
        if (i) buf_putc(&b, '/');
        buf_put(&b, comp[i], lens[i]);
    }
    if (!b.len) buf_putc(&b, '.');
    char *out = ar_strndup(a, b.data, b.len);
    buf_free(&b);
    free(comp);
    free(lens);
    return out;
}

char *src_join(arena *a, const char *dir, const char *rel)
{
    if (rel[0] == '/') return src_clean(a, rel);
    char *j = ar_printf(a, "%s/%s", dir, rel);
    return src_clean(a, j);
}

bool src_is_within(const char *dir, const char *path)
{
    if (!strcmp(dir, ".")) return path[0] != '/' && strncmp(path, "../", 3) != 0 && strcmp(path, "..") != 0;
    size_t n = strlen(dir);
    return !strncmp(dir, path, n) && (path[n] == 0 || path[n] == '/' || (n == 1 && dir[0] == '/'));
}

/* Resolves symlinks and checks the real path stays under the root. */
static bool confined(const src_tree *t, const char *path, char **real_out)
{
    char *r = realpath(path, NULL);
    if (!r) return false;
    bool ok = !strncmp(r, t->root, t->rootlen) &&
              (r[t->rootlen] == 0 || r[t->rootlen] == '/' || (t->rootlen == 1 && t->root[0] == '/'));
    if (ok && real_out)
        *real_out = r;
    else
        free(r);
    return ok;
}

src_kind src_stat(const src_tree *t, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return SRC_MISSING;
    if (!confined(t, path, NULL)) return SRC_OTHER;
    if (S_ISDIR(st.st_mode)) return SRC_DIR;
    if (S_ISREG(st.st_mode)) return SRC_FILE;
    return SRC_OTHER;
}

bool src_read(const src_tree *t, arena *a, const char *path, char **data, size_t *len, const char **err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *err = ar_printf(a, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    if (!confined(t, path, NULL)) {
        *err = ar_printf(a, "'%s' is outside the repository root %s", path, t->root);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        *err = ar_printf(a, "'%s' is a directory", path);
        return false;
    }
    if ((size_t)st.st_size > t->max_file) {
        *err = ar_printf(a, "'%s' is larger than %zu MiB", path, t->max_file >> 20);
        return false;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = ar_printf(a, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *p = ar_alloc(a, cap);
    for (;;) {
        size_t r = fread(p + n, 1, cap - n - 1, f);
        n += r;
        if (n < cap - 1) break;
        if (cap > t->max_file) break;
        char *q = ar_alloc(a, cap * 2); /* the file grew while reading */
        memcpy(q, p, n);
        p = q;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        *err = ar_printf(a, "cannot read '%s'", path);
        return false;
    }
    p[n] = 0;
    *data = p;
    *len = n;
    return true;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool src_list(const src_tree *t, arena *a, const char *dir, char ***names, size_t *n, const char **err)
{
    if (!confined(t, dir, NULL)) {
        *err = ar_printf(a, "'%s' is outside the repository root %s", dir, t->root);
        return false;
    }
    DIR *d = opendir(dir);
    if (!d) {
        *err = ar_printf(a, "cannot list '%s': %s", dir, strerror(errno));
        return false;
    }
    size_t cap = 16, cnt = 0;
    char **v = util_xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        if (cnt == cap) v = util_xrealloc(v, (cap *= 2) * sizeof *v);
        v[cnt++] = ar_strdup(a, de->d_name);
    }
    closedir(d);
    qsort(v, cnt, sizeof *v, cmp_names);
    *names = ar_alloc(a, (cnt ? cnt : 1) * sizeof **names);
    memcpy(*names, v, cnt * sizeof *v);
    free(v);
    *n = cnt;
    return true;
}

char *src_guess_root(const char *path)
{
    char *abs = realpath(path, NULL);
    if (!abs) return NULL;
    struct stat st;
    if (stat(abs, &st) == 0 && !S_ISDIR(st.st_mode)) {
        char *slash = strrchr(abs, '/');
        if (slash && slash != abs) *slash = 0;
    }
    /* enclosing git work tree */
    size_t n = strlen(abs);
    char *probe = util_xmalloc(n + 8);
    memcpy(probe, abs, n + 1);
    for (;;) {
        size_t l = strlen(probe);
        memcpy(probe + l, "/.git", 6);
        bool found = stat(probe, &st) == 0;
        probe[l] = 0;
        if (found) {
            free(abs);
            return probe;
        }
        char *slash = strrchr(probe, '/');
        if (!slash || slash == probe) break;
        *slash = 0;
    }
    free(probe);
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) {
        char *rc = realpath(cwd, NULL);
        if (rc) {
            size_t cl = strlen(rc);
            if (!strncmp(rc, abs, cl) && (abs[cl] == 0 || abs[cl] == '/')) {
                free(abs);
                return rc;
            }
            free(rc);
        }
    }
    return abs;
}
