/* The source tree of one git revision, read from the object database through libgit2: no
 * checkout, no temporary work tree. Paths are mapped onto the work tree's layout so that a build
 * of a revision reads the same paths, and reports the same positions, as a build of the disk. */
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "source/src_int.h"

struct src_git {
    git_repository *repo;
    git_tree *tree;
    char *cwd;     /* real working directory, for relative paths */
    arena scratch; /* mapped paths and real directory names */
};

static const char *git_msg(void)
{
    const git_error *e = git_error_last();
    return e && e->message ? e->message : "unknown libgit2 error";
}

bool src_open_git(src_tree *t, arena *a, const char *path, const char *rev, const char **err)
{
    memset(t, 0, sizeof *t);
    *err = NULL;
    git_libgit2_init();
    src_git *g = calloc(1, sizeof *g);
    if (!g) util_oom();
    ar_init(&g->scratch);
    t->git = g;
    t->max_file = 256u << 20;
    git_object *obj = NULL, *tree = NULL;
    if (git_repository_open_ext(&g->repo, path, 0, NULL) != 0 &&
        git_repository_open_ext(&g->repo, ".", 0, NULL) != 0) {
        *err = ar_printf(a, "'%s' is not inside a git repository: %s", path, git_msg());
    } else if (!git_repository_workdir(g->repo)) {
        *err = ar_printf(a, "the git repository of '%s' is bare", path);
    } else if (git_revparse_single(&obj, g->repo, rev) != 0) {
        *err = ar_printf(a, "unknown revision '%s': %s", rev, git_msg());
    } else if (git_object_peel(&tree, obj, GIT_OBJECT_TREE) != 0) {
        *err = ar_printf(a, "revision '%s' has no tree: %s", rev, git_msg());
    } else {
        g->tree = (git_tree *)tree;
        t->root = realpath(git_repository_workdir(g->repo), NULL);
        g->cwd = realpath(".", NULL);
        if (!t->root || !g->cwd) *err = "cannot resolve the work tree root";
    }
    git_object_free(obj);
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
    const char *rel = rel_of(t, path);
    *is_root = rel && !*rel;
    git_tree_entry *e = NULL;
    if (!rel || !*rel || git_tree_entry_bypath(&e, t->git->tree, rel) != 0) return NULL;
    return e;
}

src_kind src_git_stat(src_tree *t, const char *path)
{
    bool root;
    git_tree_entry *e = entry_of(t, path, &root);
    if (root) return SRC_DIR;
    if (!e) return SRC_MISSING;
    src_kind k = SRC_OTHER; /* symbolic links and submodules are not followed */
    if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
        k = SRC_DIR;
    else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
             git_tree_entry_filemode(e) != GIT_FILEMODE_LINK)
        k = SRC_FILE;
    git_tree_entry_free(e);
    return k;
}

bool src_git_read(src_tree *t, arena *a, const char *path, char **data, size_t *len,
                  const char **err)
{
    bool root;
    git_tree_entry *e = entry_of(t, path, &root);
    git_blob *b = NULL;
    bool ok = false;
    if (!e) {
        *err = ar_printf(a, "cannot read '%s': not in the revision", path);
    } else if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
               git_tree_entry_filemode(e) == GIT_FILEMODE_LINK) {
        *err = ar_printf(a, "cannot read '%s': not a regular file in the revision", path);
    } else if (git_blob_lookup(&b, t->git->repo, git_tree_entry_id(e)) != 0) {
        *err = ar_printf(a, "cannot read '%s': %s", path, git_msg());
    } else if ((size_t)git_blob_rawsize(b) > t->max_file) {
        *err = ar_printf(a, "'%s' is larger than %zu bytes", path, t->max_file);
    } else {
        *len = (size_t)git_blob_rawsize(b);
        *data = ar_strndup(a, git_blob_rawcontent(b), *len);
        ok = true;
    }
    git_blob_free(b);
    git_tree_entry_free(e);
    return ok;
}

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

bool src_git_list(src_tree *t, arena *a, const char *dir, char ***names, size_t *n,
                  const char **err)
{
    bool root;
    git_tree_entry *e = entry_of(t, dir, &root);
    git_tree *sub = NULL;
    const git_tree *tree = t->git->tree;
    if (!root) {
        if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE ||
            git_tree_lookup(&sub, t->git->repo, git_tree_entry_id(e)) != 0) {
            git_tree_entry_free(e);
            *err = ar_printf(a, "cannot list '%s': not a directory in the revision", dir);
            return false;
        }
        tree = sub;
    }
    size_t cnt = git_tree_entrycount(tree);
    char **out = ar_alloc(a, (cnt + 1) * sizeof *out);
    for (size_t i = 0; i < cnt; i++)
        out[i] = ar_strdup(a, git_tree_entry_name(git_tree_entry_byindex(tree, i)));
    /* git orders a directory as if its name ended in '/'; callers want plain bytewise order */
    qsort(out, cnt, sizeof *out, cmp_names);
    *names = out;
    *n = cnt;
    git_tree_free(sub);
    git_tree_entry_free(e);
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
    git_tree_free(g->tree);
    git_repository_free(g->repo);
    free(g->cwd);
    ar_free(&g->scratch);
    free(g);
    t->git = NULL;
    git_libgit2_shutdown();
}

bool src_git_changes(arena *a, const char *path, const char *base, const char ***out, size_t *n,
                     const char **err)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    git_object *obj = NULL, *tree = NULL;
    git_diff *diff = NULL;
    git_index *index = NULL;
    bool ok = false;
    *out = NULL;
    *n = 0;
    if (git_repository_open_ext(&repo, path, 0, NULL) != 0) {
        *err = ar_printf(a, "'%s' is not inside a git repository: %s", path, git_msg());
        goto done;
    }
    const char *rev = base ? base : "HEAD";
    if (git_revparse_single(&obj, repo, rev) != 0 ||
        git_object_peel(&tree, obj, GIT_OBJECT_TREE) != 0) {
        if (base) {
            *err = ar_printf(a, "unknown revision '%s': %s", base, git_msg());
            goto done;
        }
        tree = NULL; /* no commit yet: everything staged is new */
    }
    int rc = base ? git_diff_tree_to_workdir_with_index(&diff, repo, (git_tree *)tree, NULL)
                  : (git_repository_index(&index, repo) == 0
                         ? git_diff_tree_to_index(&diff, repo, (git_tree *)tree, index, NULL)
                         : -1);
    if (rc != 0) {
        *err = ar_printf(a, "cannot compare with %s: %s", base ? base : "the index", git_msg());
        goto done;
    }
    size_t nd = git_diff_num_deltas(diff);
    const char **paths = ar_alloc(a, (2 * nd + 1) * sizeof *paths);
    char *wd = git_repository_workdir(repo) ? realpath(git_repository_workdir(repo), NULL) : NULL;
    if (!wd) {
        *err = ar_printf(a, "the git repository of '%s' has no work tree", path);
        goto done;
    }
    const char *sep = strcmp(wd, "/") ? "/" : "";
    for (size_t i = 0; i < nd; i++) {
        const git_diff_delta *d = git_diff_get_delta(diff, i);
        paths[(*n)++] = ar_printf(a, "%s%s%s", wd, sep, d->new_file.path);
        if (strcmp(d->old_file.path, d->new_file.path))
            paths[(*n)++] = ar_printf(a, "%s%s%s", wd, sep, d->old_file.path);
    }
    free(wd);
    *out = paths;
    ok = true;
done:
    git_diff_free(diff);
    git_index_free(index);
    git_object_free(tree);
    git_object_free(obj);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return ok;
}

struct src_ignore {
    git_repository *repo;
    char *wd; /* real work tree root */
};

src_ignore *src_ignore_open(const char *path)
{
    git_libgit2_init();
    src_ignore *ig = calloc(1, sizeof *ig);
    if (!ig) util_oom();
    if (git_repository_open_ext(&ig->repo, path, 0, NULL) == 0 && git_repository_workdir(ig->repo))
        ig->wd = realpath(git_repository_workdir(ig->repo), NULL);
    return ig;
}

bool src_ignored(src_ignore *ig, const char *abs)
{
    if (!ig->wd) return false;
    size_t n = strlen(ig->wd);
    if (strncmp(abs, ig->wd, n) || abs[n] != '/') return false;
    int ignored = 0;
    return git_ignore_path_is_ignored(&ignored, ig->repo, abs + n + 1) == 0 && ignored;
}

void src_ignore_close(src_ignore *ig)
{
    if (!ig) return;
    git_repository_free(ig->repo);
    free(ig->wd);
    free(ig);
    git_libgit2_shutdown();
}

bool src_git_remote_urls(arena *a, const char *path, const char ***urls, size_t *n)
{
    git_libgit2_init();
    git_repository *repo = NULL;
    git_config *cfg = NULL;
    git_config_iterator *it = NULL;
    git_config_entry *e;
    size_t cap = 0;
    *urls = NULL;
    *n = 0;
    bool ok = git_repository_open_ext(&repo, path, 0, NULL) == 0 &&
              git_repository_config_snapshot(&cfg, repo) == 0 &&
              git_config_iterator_new(&it, cfg) == 0;
    /* remote.<name>.url entries, read without libgit2's regex matching (its pcre2 backend
     * keeps match data around) */
    while (ok && git_config_next(&e, it) == 0) {
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
    git_config_iterator_free(it);
    git_config_free(cfg);
    git_repository_free(repo);
    git_libgit2_shutdown();
    return ok;
}
