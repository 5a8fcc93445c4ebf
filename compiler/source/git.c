/* The source tree of one git revision, read from the object database through libgit2: no
 * checkout, no temporary work tree. Paths are mapped onto the work tree's layout so that a build
 * of a revision reads the same paths, and reports the same positions, as a build of the disk. */
#include <dlfcn.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "source/src_int.h"

#ifndef KILN_GIT2_SO
#define KILN_GIT2_SO "libgit2.so"
#endif

/* libgit2, opened with dlopen on first use so that runs never reading git do not load it. */
typedef struct gl {
    void *h;
    __typeof__(git_blob_free) *blob_free;
    __typeof__(git_blob_lookup) *blob_lookup;
    __typeof__(git_blob_rawcontent) *blob_rawcontent;
    __typeof__(git_blob_rawsize) *blob_rawsize;
    __typeof__(git_config_free) *config_free;
    __typeof__(git_config_iterator_free) *config_iterator_free;
    __typeof__(git_config_iterator_new) *config_iterator_new;
    __typeof__(git_config_next) *config_next;
    __typeof__(git_diff_free) *diff_free;
    __typeof__(git_error_last) *error_last;
    __typeof__(git_diff_get_delta) *diff_get_delta;
    __typeof__(git_diff_num_deltas) *diff_num_deltas;
    __typeof__(git_diff_tree_to_index) *diff_tree_to_index;
    __typeof__(git_diff_tree_to_workdir_with_index) *diff_tree_to_workdir_with_index;
    __typeof__(git_ignore_path_is_ignored) *ignore_path_is_ignored;
    __typeof__(git_index_free) *index_free;
    __typeof__(git_libgit2_init) *libgit2_init;
    __typeof__(git_libgit2_shutdown) *libgit2_shutdown;
    __typeof__(git_object_free) *object_free;
    __typeof__(git_object_peel) *object_peel;
    __typeof__(git_repository_config_snapshot) *repository_config_snapshot;
    __typeof__(git_repository_free) *repository_free;
    __typeof__(git_repository_index) *repository_index;
    __typeof__(git_repository_open_ext) *repository_open_ext;
    __typeof__(git_repository_workdir) *repository_workdir;
    __typeof__(git_revparse_single) *revparse_single;
    __typeof__(git_tree_entry_byindex) *tree_entry_byindex;
    __typeof__(git_tree_entry_bypath) *tree_entry_bypath;
    __typeof__(git_tree_entry_filemode) *tree_entry_filemode;
    __typeof__(git_tree_entry_free) *tree_entry_free;
    __typeof__(git_tree_entry_id) *tree_entry_id;
    __typeof__(git_tree_entry_name) *tree_entry_name;
    __typeof__(git_tree_entry_type) *tree_entry_type;
    __typeof__(git_tree_entrycount) *tree_entrycount;
    __typeof__(git_tree_free) *tree_free;
    __typeof__(git_tree_lookup) *tree_lookup;
} gl;

/* Opens libgit2 and resolves every function kiln calls; false with *err set on failure. */
static bool gl_load(gl *L, arena *a, const char **err)
{
    memset(L, 0, sizeof *L);
    const struct {
        const char *name;
        void **fn;
    } syms[] = {
        {"git_blob_free", (void **)&L->blob_free},
        {"git_blob_lookup", (void **)&L->blob_lookup},
        {"git_blob_rawcontent", (void **)&L->blob_rawcontent},
        {"git_blob_rawsize", (void **)&L->blob_rawsize},
        {"git_config_free", (void **)&L->config_free},
        {"git_config_iterator_free", (void **)&L->config_iterator_free},
        {"git_config_iterator_new", (void **)&L->config_iterator_new},
        {"git_config_next", (void **)&L->config_next},
        {"git_diff_free", (void **)&L->diff_free},
        {"git_error_last", (void **)&L->error_last},
        {"git_diff_get_delta", (void **)&L->diff_get_delta},
        {"git_diff_num_deltas", (void **)&L->diff_num_deltas},
        {"git_diff_tree_to_index", (void **)&L->diff_tree_to_index},
        {"git_diff_tree_to_workdir_with_index", (void **)&L->diff_tree_to_workdir_with_index},
        {"git_ignore_path_is_ignored", (void **)&L->ignore_path_is_ignored},
        {"git_index_free", (void **)&L->index_free},
        {"git_libgit2_init", (void **)&L->libgit2_init},
        {"git_libgit2_shutdown", (void **)&L->libgit2_shutdown},
        {"git_object_free", (void **)&L->object_free},
        {"git_object_peel", (void **)&L->object_peel},
        {"git_repository_config_snapshot", (void **)&L->repository_config_snapshot},
        {"git_repository_free", (void **)&L->repository_free},
        {"git_repository_index", (void **)&L->repository_index},
        {"git_repository_open_ext", (void **)&L->repository_open_ext},
        {"git_repository_workdir", (void **)&L->repository_workdir},
        {"git_revparse_single", (void **)&L->revparse_single},
        {"git_tree_entry_byindex", (void **)&L->tree_entry_byindex},
        {"git_tree_entry_bypath", (void **)&L->tree_entry_bypath},
        {"git_tree_entry_filemode", (void **)&L->tree_entry_filemode},
        {"git_tree_entry_free", (void **)&L->tree_entry_free},
        {"git_tree_entry_id", (void **)&L->tree_entry_id},
        {"git_tree_entry_name", (void **)&L->tree_entry_name},
        {"git_tree_entry_type", (void **)&L->tree_entry_type},
        {"git_tree_entrycount", (void **)&L->tree_entrycount},
        {"git_tree_free", (void **)&L->tree_free},
        {"git_tree_lookup", (void **)&L->tree_lookup},
    };
    L->h = dlopen(KILN_GIT2_SO, RTLD_NOW | RTLD_LOCAL);
    for (size_t i = 0; L->h && i < sizeof syms / sizeof syms[0]; i++) {
        *syms[i].fn = dlsym(L->h, syms[i].name);
        if (!*syms[i].fn) {
            dlclose(L->h);
            L->h = NULL;
        }
    }
    if (!L->h) {
        const char *m = dlerror();
        *err = ar_printf(a, "reading git revisions needs libgit2 (%s): %s", KILN_GIT2_SO,
                         m ? m : "unknown error");
        return false;
    }
    L->libgit2_init();
    return true;
}

/* Shuts libgit2 down and closes it (nothing when it was never loaded). */
static void gl_close(gl *L)
{
    if (!L->h) return;
    L->libgit2_shutdown();
    dlclose(L->h);
    L->h = NULL;
}

struct src_git {
    git_repository *repo;
    git_tree *tree;
    gl lib;        /* libgit2, loaded by src_open_git */
    char *cwd;     /* real working directory, for relative paths */
    arena scratch; /* mapped paths and real directory names */
};

static const char *gl_msg(const gl *L)
{
    const git_error *e = L->error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

bool src_open_git(src_tree *t, arena *a, const char *path, const char *rev, const char **err)
{
    memset(t, 0, sizeof *t);
    *err = NULL;
    src_git *g = calloc(1, sizeof *g);
    if (!g) util_oom();
    ar_init(&g->scratch);
    t->git = g;
    t->max_file = 256u << 20;
    gl *L = &g->lib;
    if (!gl_load(L, a, err)) {
        src_close(t);
        return false;
    }
    git_object *obj = NULL, *tree = NULL;
    if (L->repository_open_ext(&g->repo, path, 0, NULL) != 0 &&
        L->repository_open_ext(&g->repo, ".", 0, NULL) != 0) {
        *err = ar_printf(a, "'%s' is not inside a git repository: %s", path, gl_msg(L));
    } else if (!L->repository_workdir(g->repo)) {
        *err = ar_printf(a, "the git repository of '%s' is bare", path);
    } else if (L->revparse_single(&obj, g->repo, rev) != 0) {
        *err = ar_printf(a, "unknown revision '%s': %s", rev, gl_msg(L));
    } else if (L->object_peel(&tree, obj, GIT_OBJECT_TREE) != 0) {
        *err = ar_printf(a, "revision '%s' has no tree: %s", rev, gl_msg(L));
    } else {
        g->tree = (git_tree *)tree;
        t->root = realpath(L->repository_workdir(g->repo), NULL);
        g->cwd = realpath(".", NULL);
        if (!t->root || !g->cwd) *err = "cannot resolve the work tree root";
    }
    L->object_free(obj);
    if (*err) {
        src_close(t);
        return false;
    }
    t->rootlen = strlen(t->root);
    return true;
}

/* path (as the user wrote it) relative to the root, "" for the root; NULL outside it. */
static const char *rel_of(src_tree *t, const char *path)
{
    src_git *g = t->git;
    const char *abs =
        src_clean(&g->scratch, path[0] == '/' ? path : src_join(&g->scratch, g->cwd, path));
    if (!strcmp(abs, t->root)) return "";
    if (!strcmp(t->root, "/")) return abs + 1;
    if (!strncmp(abs, t->root, t->rootlen) && abs[t->rootlen] == '/') return abs + t->rootlen + 1;
    return NULL;
}

/* The tree entry at path (caller frees), or NULL; *is_root for the root itself. */
static git_tree_entry *entry_of(src_tree *t, const char *path, bool *is_root)
{
    const gl *L = &t->git->lib;
    const char *rel = rel_of(t, path);
    *is_root = rel && !*rel;
    git_tree_entry *e = NULL;
    if (!rel || !*rel || L->tree_entry_bypath(&e, t->git->tree, rel) != 0) return NULL;
    return e;
}

src_kind src_git_stat(src_tree *t, const char *path)
{
    const gl *L = &t->git->lib;
    bool root;
    git_tree_entry *e = entry_of(t, path, &root);
    if (root) return SRC_DIR;
    if (!e) return SRC_MISSING;
    src_kind k = SRC_OTHER; /* symbolic links and submodules are not followed */
    if (L->tree_entry_type(e) == GIT_OBJECT_TREE)
        k = SRC_DIR;
    else if (L->tree_entry_type(e) == GIT_OBJECT_BLOB &&
             L->tree_entry_filemode(e) != GIT_FILEMODE_LINK)
        k = SRC_FILE;
    L->tree_entry_free(e);
    return k;
}

bool src_git_read(src_tree *t, arena *a, const char *path, char **data, size_t *len,
                  const char **err)
{
    const gl *L = &t->git->lib;
    bool root;
    git_tree_entry *e = entry_of(t, path, &root);
    git_blob *b = NULL;
    bool ok = false;
    if (!e) {
        *err = ar_printf(a, "cannot read '%s': not in the revision", path);
    } else if (L->tree_entry_type(e) != GIT_OBJECT_BLOB ||
               L->tree_entry_filemode(e) == GIT_FILEMODE_LINK) {
        *err = ar_printf(a, "cannot read '%s': not a regular file in the revision", path);
    } else if (L->blob_lookup(&b, t->git->repo, L->tree_entry_id(e)) != 0) {
        *err = ar_printf(a, "cannot read '%s': %s", path, gl_msg(L));
    } else if ((size_t)L->blob_rawsize(b) > t->max_file) {
        *err = ar_printf(a, "'%s' is larger than %zu bytes", path, t->max_file);
    } else {
        *len = (size_t)L->blob_rawsize(b);
        *data = ar_strndup(a, L->blob_rawcontent(b), *len);
        ok = true;
    }
    L->blob_free(b);
    L->tree_entry_free(e);
    return ok;
}

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

bool src_git_list(src_tree *t, arena *a, const char *dir, char ***names, size_t *n,
                  const char **err)
{
    const gl *L = &t->git->lib;
    bool root;
    git_tree_entry *e = entry_of(t, dir, &root);
    git_tree *sub = NULL;
    const git_tree *tree = t->git->tree;
    if (!root) {
        if (!e || L->tree_entry_type(e) != GIT_OBJECT_TREE ||
            L->tree_lookup(&sub, t->git->repo, L->tree_entry_id(e)) != 0) {
            L->tree_entry_free(e);
            *err = ar_printf(a, "cannot list '%s': not a directory in the revision", dir);
            return false;
        }
        tree = sub;
    }
    size_t cnt = L->tree_entrycount(tree);
    char **out = ar_alloc(a, (cnt + 1) * sizeof *out);
    for (size_t i = 0; i < cnt; i++)
        out[i] = ar_strdup(a, L->tree_entry_name(L->tree_entry_byindex(tree, i)));
    /* git orders a directory as if its name ended in '/'; callers want plain bytewise order */
    qsort(out, cnt, sizeof *out, cmp_names);
    *names = out;
    *n = cnt;
    L->tree_free(sub);
    L->tree_entry_free(e);
    return true;
}

const char *src_git_realdir(src_tree *t, const char *dir)
{
    if (src_git_stat(t, dir) != SRC_DIR) return NULL;
    src_git *g = t->git;
    return src_clean(&g->scratch, dir[0] == '/' ? dir : src_join(&g->scratch, g->cwd, dir));
}

void src_git_close(src_tree *t)
{
    src_git *g = t->git;
    gl *L = &g->lib;
    if (L->h) {
        L->tree_free(g->tree);
        L->repository_free(g->repo);
    }
    gl_close(L);
    free(g->cwd);
    ar_free(&g->scratch);
    free(g);
    t->git = NULL;
}

bool src_git_changes(arena *a, const char *path, const char *base, const char ***out, size_t *n,
                     const char **err)
{
    gl lib;
    gl *L = &lib;
    if (!gl_load(L, a, err)) return false;
    git_repository *repo = NULL;
    git_object *obj = NULL, *tree = NULL;
    git_diff *diff = NULL;
    git_index *index = NULL;
    bool ok = false;
    *out = NULL;
    *n = 0;
    if (L->repository_open_ext(&repo, path, 0, NULL) != 0) {
        *err = ar_printf(a, "'%s' is not inside a git repository: %s", path, gl_msg(L));
        goto done;
    }
    const char *rev = base ? base : "HEAD";
    if (L->revparse_single(&obj, repo, rev) != 0 ||
        L->object_peel(&tree, obj, GIT_OBJECT_TREE) != 0) {
        if (base) {
            *err = ar_printf(a, "unknown revision '%s': %s", base, gl_msg(L));
            goto done;
        }
        tree = NULL; /* no commit yet: everything staged is new */
    }
    int rc = base ? L->diff_tree_to_workdir_with_index(&diff, repo, (git_tree *)tree, NULL)
                  : (L->repository_index(&index, repo) == 0
                         ? L->diff_tree_to_index(&diff, repo, (git_tree *)tree, index, NULL)
                         : -1);
    if (rc != 0) {
        *err = ar_printf(a, "cannot compare with %s: %s", base ? base : "the index", gl_msg(L));
        goto done;
    }
    size_t nd = L->diff_num_deltas(diff);
    const char **paths = ar_alloc(a, (2 * nd + 1) * sizeof *paths);
    char *wd = L->repository_workdir(repo) ? realpath(L->repository_workdir(repo), NULL) : NULL;
    if (!wd) {
        *err = ar_printf(a, "the git repository of '%s' has no work tree", path);
        goto done;
    }
    const char *sep = strcmp(wd, "/") ? "/" : "";
    for (size_t i = 0; i < nd; i++) {
        const git_diff_delta *d = L->diff_get_delta(diff, i);
        paths[(*n)++] = ar_printf(a, "%s%s%s", wd, sep, d->new_file.path);
        if (strcmp(d->old_file.path, d->new_file.path))
            paths[(*n)++] = ar_printf(a, "%s%s%s", wd, sep, d->old_file.path);
    }
    free(wd);
    *out = paths;
    ok = true;
done:
    L->diff_free(diff);
    L->index_free(index);
    L->object_free(tree);
    L->object_free(obj);
    L->repository_free(repo);
    gl_close(L);
    return ok;
}

struct src_ignore {
    gl lib; /* libgit2; not loaded when it is missing: nothing is ignored */
    git_repository *repo;
    char *wd; /* real work tree root */
};

src_ignore *src_ignore_open(const char *path)
{
    src_ignore *ig = calloc(1, sizeof *ig);
    if (!ig) util_oom();
    gl *L = &ig->lib;
    arena a;
    ar_init(&a);
    const char *err;
    bool loaded = gl_load(L, &a, &err);
    ar_free(&a);
    if (loaded && L->repository_open_ext(&ig->repo, path, 0, NULL) == 0 &&
        L->repository_workdir(ig->repo))
        ig->wd = realpath(L->repository_workdir(ig->repo), NULL);
    return ig;
}

bool src_ignored(src_ignore *ig, const char *abs)
{
    if (!ig->wd) return false;
    size_t n = strlen(ig->wd);
    if (strncmp(abs, ig->wd, n) || abs[n] != '/') return false;
    const gl *L = &ig->lib;
    int ignored = 0;
    return L->ignore_path_is_ignored(&ignored, ig->repo, abs + n + 1) == 0 && ignored;
}

void src_ignore_close(src_ignore *ig)
{
    if (!ig) return;
    gl *L = &ig->lib;
    if (L->h) L->repository_free(ig->repo);
    gl_close(L);
    free(ig->wd);
    free(ig);
}

bool src_git_remote_urls(arena *a, const char *path, const char ***urls, size_t *n)
{
    gl lib;
    gl *L = &lib;
    const char *err;
    *urls = NULL;
    *n = 0;
    if (!gl_load(L, a, &err)) return false;
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    git_config_iterator *it = NULL;
    git_config_entry *e;
    size_t cap = 0;
    *urls = NULL;
    *n = 0;
    bool ok = L->repository_open_ext(&repo, path, 0, NULL) == 0 &&
              L->repository_config_snapshot(&cfg, repo) == 0 &&
              L->config_iterator_new(&it, cfg) == 0;
    /* remote.<name>.url entries, read without libgit2's regex matching (its pcre2 backend
     * keeps match data around) */
    while (ok && L->config_next(&e, it) == 0) {
        size_t l = strlen(e->name);
        if (strncmp(e->name, "remote.", 7) || l < 12 || strcmp(e->name + l - 4, ".url") ||
            !e->value)
            continue;
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            *urls = ar_realloc(a, *urls, cap * sizeof **urls, nc * sizeof **urls);
            cap = nc;
        }
        (*urls)[(*n)++] = ar_strdup(a, e->value);
    }
    L->config_iterator_free(it);
    L->config_free(cfg);
    L->repository_free(repo);
    gl_close(L);
    return ok;
}
