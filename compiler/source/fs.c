/* The filesystem backend of the source stage: reads confined to a root, path cleaning, listing. */
#include "source/src_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* A small open-addressing map from a directory path as given to its real path. */
struct src_dircache {
    char **keys, **vals;
    size_t n, cap;
};

static void dircache_free(src_dircache *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->cap; i++) {
        free(c->keys[i]);
        free(c->vals[i]);
    }
    free(c->keys);
    free(c->vals);
    free(c);
}

static char **dircache_slot(src_dircache *c, const char *key)
{
    size_t mask = c->cap - 1, h = (size_t)util_hash(key, strlen(key)) & mask;
    while (c->keys[h] && strcmp(c->keys[h], key))
        h = (h + 1) & mask;
    return &c->keys[h];
}

/* realpath(dir), remembered per tree; NULL when it does not resolve. Borrowed. */
static const char *dir_real(src_tree *t, const char *dir)
{
    src_dircache *c = t->dirs;
    if (!c) {
        c = t->dirs = util_xmalloc(sizeof *c);
        c->cap = 256;
        c->n = 0;
        c->keys = util_xmalloc(c->cap * sizeof *c->keys);
        c->vals = util_xmalloc(c->cap * sizeof *c->vals);
        memset(c->keys, 0, c->cap * sizeof *c->keys);
        memset(c->vals, 0, c->cap * sizeof *c->vals);
    }
    char **k = dircache_slot(c, dir);
    if (*k) return c->vals[k - c->keys];
    if ((c->n + 1) * 2 > c->cap) {
        src_dircache bigger = {util_xmalloc(c->cap * 2 * sizeof(char *)),
                               util_xmalloc(c->cap * 2 * sizeof(char *)), 0, c->cap * 2};
        memset(bigger.keys, 0, bigger.cap * sizeof(char *));
        memset(bigger.vals, 0, bigger.cap * sizeof(char *));
        for (size_t i = 0; i < c->cap; i++)
            if (c->keys[i]) {
                char **nk = dircache_slot(&bigger, c->keys[i]);
                *nk = c->keys[i];
                bigger.vals[nk - bigger.keys] = c->vals[i];
                bigger.n++;
            }
        free(c->keys);
        free(c->vals);
        *c = bigger;
        k = dircache_slot(c, dir);
    }
    size_t l = strlen(dir);
    char *key = util_xmalloc(l + 1);
    memcpy(key, dir, l + 1);
    /* from the parent's real path when the last component is a plain directory (one lstat
     * instead of realpath's walk over every component) */
    char *real = NULL;
    const char *slash = strrchr(dir, '/');
    const char *last = slash ? slash + 1 : dir;
    struct stat st;
    if (slash && slash != dir && strcmp(last, "..") && strcmp(last, ".") && *last &&
        lstat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *parent = strndup(dir, (size_t)(slash - dir));
        if (!parent) util_oom();
        const char *pr = dir_real(t, parent);
        free(parent);
        if (pr) {
            size_t pl = strlen(pr);
            real = util_xmalloc(pl + strlen(last) + 2);
            sprintf(real, "%s%s%s", pr, pl > 1 ? "/" : "", last);
        }
    } else {
        real = realpath(dir, NULL);
    }
    /* the recursion may have grown the table: find the slot again */
    c = t->dirs;
    k = dircache_slot(c, dir);
    if ((c->n + 1) * 2 > c->cap) {
        free(real);
        free(key);
        return dir_real(t, dir); /* grow first, then insert */
    }
    *k = key;
    c->vals[k - c->keys] = real;
    c->n++;
    return real;
}

const char *src_realdir(src_tree *t, const char *dir)
{
    if (t->git) return src_git_realdir(t, dir);
    return dir_real(t, dir);
}

void src_close(src_tree *t)
{
    if (t->git) src_git_close(t);
    free(t->root);
    t->root = NULL;
    dircache_free(t->dirs);
    t->dirs = NULL;
    free(t->last_path);
    free(t->last_lst);
    free(t->last_st);
    t->last_path = NULL;
    t->last_lst = t->last_st = NULL;
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
        while (*p == '/')
            p++;
        if (!*p) break;
        const char *s = p;
        while (*p && *p != '/')
            p++;
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
    if (!strcmp(dir, "."))
        return path[0] != '/' && strncmp(path, "../", 3) != 0 && strcmp(path, "..") != 0;
    size_t n = strlen(dir);
    return !strncmp(dir, path, n) && (path[n] == 0 || path[n] == '/' || (n == 1 && dir[0] == '/'));
}

static bool under_root(const src_tree *t, const char *r)
{
    return !strncmp(r, t->root, t->rootlen) &&
           (r[t->rootlen] == 0 || r[t->rootlen] == '/' || (t->rootlen == 1 && t->root[0] == '/'));
}

/* Checks that the real path stays under the root, given the path's lstat: directories are
 * resolved once and remembered, a symbolic link is resolved on its own, and any other file is
 * under the root when its directory is. */
static bool confined_st(src_tree *t, const char *path, const struct stat *lst)
{
    if (S_ISDIR(lst->st_mode)) {
        const char *r = dir_real(t, path);
        return r && under_root(t, r);
    }
    if (S_ISLNK(lst->st_mode)) {
        char *r = realpath(path, NULL);
        bool ok = r && under_root(t, r);
        free(r);
        return ok;
    }
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) util_oom();
    const char *r = dir_real(t, dir);
    free(dir);
    return r && under_root(t, r);
}

/* lstat, and for a symbolic link the stat of its target in *st; the last successful answer is
 * remembered (a read usually follows the check of the same path). */
static bool stat_path(src_tree *t, const char *path, struct stat *lst, struct stat *st)
{
    if (t->last_path && !strcmp(t->last_path, path)) {
        *lst = *t->last_lst;
        *st = *t->last_st;
        return true;
    }
    if (lstat(path, lst) != 0) return false;
    if (S_ISLNK(lst->st_mode)) {
        if (stat(path, st) != 0) return false;
    } else {
        *st = *lst;
    }
    free(t->last_path);
    t->last_path = strdup(path);
    if (!t->last_path) util_oom();
    if (!t->last_lst) {
        t->last_lst = util_xmalloc(sizeof *t->last_lst);
        t->last_st = util_xmalloc(sizeof *t->last_st);
    }
    *t->last_lst = *lst;
    *t->last_st = *st;
    return true;
}

src_kind src_stat(src_tree *t, const char *path)
{
    if (t->git) return src_git_stat(t, path);
    struct stat lst, st;
    if (!stat_path(t, path, &lst, &st)) return SRC_MISSING;
    if (!confined_st(t, path, &lst)) return SRC_OTHER;
    if (S_ISDIR(st.st_mode)) return SRC_DIR;
    if (S_ISREG(st.st_mode)) return SRC_FILE;
    return SRC_OTHER;
}

bool src_read(src_tree *t, arena *a, const char *path, char **data, size_t *len, const char **err)
{
    if (t->git) return src_git_read(t, a, path, data, len, err);
    struct stat lst, st;
    if (!stat_path(t, path, &lst, &st)) {
        *err = ar_printf(a, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    if (!confined_st(t, path, &lst)) {
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
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *err = ar_printf(a, "cannot read '%s': %s", path, strerror(errno));
        return false;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *p = ar_alloc(a, cap);
    for (;;) {
        ssize_t r = read(fd, p + n, cap - n - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            close(fd);
            *err = ar_printf(a, "cannot read '%s': %s", path, strerror(errno));
            return false;
        }
        if (r == 0) break;
        n += (size_t)r;
        if (n == (size_t)st.st_size && S_ISREG(st.st_mode))
            break; /* all of it: skip the EOF read */
        if (n == cap - 1) {
            if (cap > t->max_file) break;
            char *q = ar_alloc(a, cap * 2); /* the file grew while reading */
            memcpy(q, p, n);
            p = q;
            cap *= 2;
        }
    }
    close(fd);
    p[n] = 0;
    *data = p;
    *len = n;
    return true;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool src_list(src_tree *t, arena *a, const char *dir, char ***names, size_t *n, const char **err)
{
    if (t->git) return src_git_list(t, a, dir, names, n, err);
    struct stat lst;
    if (lstat(dir, &lst) != 0 || !confined_st(t, dir, &lst)) {
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
    /* not in a git work tree: there is no repository to stay inside; kustomize's own load
     * restrictor still applies */
    free(abs);
    char *root = strdup("/");
    if (!root) util_oom();
    return root;
}
