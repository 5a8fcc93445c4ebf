/* `kiln affected`: the kustomization directories whose output can change when the given files
 * change (named, staged, or changed since a revision): the reverse of the include graph. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

typedef struct aff_dir {
    const char *path; /* absolute */
    const char **deps;
    size_t ndeps;
    size_t *refs; /* per dep: index of the kustomization directory it names, or NO_REF */
    bool hit;
} aff_dir;

#define NO_REF ((size_t)-1)

typedef struct aff {
    kz_ctx *k;
    src_ignore *ig; /* git-ignored directories (build output...) are not walked */
    aff_dir *dirs;
    size_t n, cap;
} aff;

/* Every directory below dir (hidden ones skipped) holding a kustomization file. */
static void walk(aff *w, const char *dir)
{
    bool amb = false;
    if (kz_find_file(w->k, dir, diag_nopos, &amb)) {
        if (w->n == w->cap) {
            size_t cap = w->cap ? 2 * w->cap : 32;
            w->dirs = ar_realloc(w->k->a, w->dirs, w->cap * sizeof *w->dirs, cap * sizeof *w->dirs);
            w->cap = cap;
        }
        aff_dir *d = &w->dirs[w->n++];
        memset(d, 0, sizeof *d);
        d->path = dir;
        kz_deps(w->k, dir, &d->deps, &d->ndeps);
    } else if (amb) {
        return;
    }
    char **names;
    size_t n;
    const char *err;
    if (!src_list(w->k->src, w->k->a, dir, &names, &n, &err)) return;
    for (size_t i = 0; i < n; i++) {
        if (names[i][0] == '.') continue;
        const char *sub = src_join(w->k->a, dir, names[i]);
        if (src_stat(w->k->src, sub) == SRC_DIR && !src_ignored(w->ig, sub)) walk(w, sub);
    }
}

typedef struct dir_key {
    const char *path;
    size_t idx;
} dir_key;

static int cmp_dir_key(const void *x, const void *y)
{
    return strcmp(((const dir_key *)x)->path, ((const dir_key *)y)->path);
}

/* Resolves every reference to the directory it names, once, through a sorted index. */
static void resolve_refs(aff *w)
{
    dir_key *keys = ar_alloc(w->k->a, (w->n + 1) * sizeof *keys);
    for (size_t i = 0; i < w->n; i++)
        keys[i] = (dir_key){w->dirs[i].path, i};
    qsort(keys, w->n, sizeof *keys, cmp_dir_key);
    for (size_t i = 0; i < w->n; i++) {
        aff_dir *d = &w->dirs[i];
        d->refs = ar_alloc(w->k->a, (d->ndeps + 1) * sizeof *d->refs);
        for (size_t j = 0; j < d->ndeps; j++) {
            dir_key probe = {d->deps[j], 0};
            const dir_key *hit = bsearch(&probe, keys, w->n, sizeof *keys, cmp_dir_key);
            d->refs[j] = hit ? hit->idx : NO_REF;
        }
    }
}

/* The kustomization directory nearest above file f. */
static aff_dir *nearest(aff *w, const char *f)
{
    aff_dir *best = NULL;
    for (size_t i = 0; i < w->n; i++)
        if (src_is_within(w->dirs[i].path, f) &&
            (!best || strlen(w->dirs[i].path) > strlen(best->path)))
            best = &w->dirs[i];
    return best;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

bool cli_affected_roots(arena *a, const char *const *paths, size_t np, const char *base,
                        bool top_only, const char ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    diag_ctx d;
    diag_init(&d);
    src_tree src;
    char *root = src_guess_root(".");
    char *cwd = realpath(".", NULL);
    const char *err = "no such directory";
    if (!root || !cwd || !src_open_fs(&src, root, &err)) {
        fprintf(stderr, "kiln: error: cannot open the repository: %s\n", err);
        free(root);
        free(cwd);
        diag_free(&d);
        return false;
    }
    kz_ctx k = {.a = a, .d = &d, .src = &src, .jobs = 1};
    const char **changed = NULL;
    size_t nc = 0;
    bool ok = true;
    if (paths) {
        changed = ar_alloc(a, (np + 1) * sizeof *changed);
        for (size_t i = 0; i < np; i++)
            changed[nc++] =
                src_clean(a, paths[i][0] == '/' ? paths[i] : src_join(a, cwd, paths[i]));
    } else if (!src_git_changes(a, ".", base, &changed, &nc, &err)) {
        diag_error(&d, diag_nopos, "%s", err);
        ok = false;
    }
    /* a broken kustomization elsewhere in the repository must not stop the selection: the
     * walk's messages are dropped, an unreadable kustomization just has no references (building
     * it reports the error) */
    diag_ctx quiet;
    diag_init(&quiet);
    k.d = &quiet;
    aff w = {.k = &k, .ig = src_ignore_open(src.root)};
    /* outside git the tree's root is "/": walk the working directory, not the whole disk */
    if (ok) walk(&w, strcmp(src.root, "/") ? src.root : cwd);
    src_ignore_close(w.ig);
    k.d = &d;
    diag_free(&quiet);
    if (ok) {
        resolve_refs(&w);
        for (size_t i = 0; i < nc; i++) {
            aff_dir *dd = nearest(&w, changed[i]);
            if (dd) dd->hit = true;
        }
        /* propagate along references until nothing changes */
        for (bool more = true; more;) {
            more = false;
            for (size_t i = 0; i < w.n; i++) {
                aff_dir *dd = &w.dirs[i];
                for (size_t j = 0; j < dd->ndeps && !dd->hit; j++) {
                    if (dd->refs[j] != NO_REF) {
                        dd->hit = w.dirs[dd->refs[j]].hit;
                    } else {
                        for (size_t c = 0; c < nc && !dd->hit; c++)
                            dd->hit = src_is_within(dd->deps[j], changed[c]);
                    }
                    more |= dd->hit;
                }
            }
        }
        /* top_only: drop a hit directory that another hit directory includes */
        bool *inner = ar_alloc(a, w.n + 1);
        for (size_t i = 0; top_only && i < w.n; i++)
            for (size_t j = 0; w.dirs[i].hit && j < w.dirs[i].ndeps; j++) {
                size_t r = w.dirs[i].refs[j];
                if (r != NO_REF && w.dirs[r].hit) inner[r] = true;
            }
        const char **outp = ar_alloc(a, (w.n + 1) * sizeof *outp);
        size_t no = 0, cl = strlen(cwd);
        for (size_t i = 0; i < w.n; i++) {
            if (!w.dirs[i].hit || inner[i]) continue;
            const char *p = w.dirs[i].path;
            if (!strcmp(p, cwd))
                p = ".";
            else if (!strncmp(p, cwd, cl) && p[cl] == '/')
                p += cl + 1;
            else if (!strcmp(cwd, "/"))
                p += 1;
            outp[no++] = ar_strdup(a, p);
        }
        qsort(outp, no, sizeof *outp, cmp_str);
        *out = outp;
        *nout = no;
    }
    diag_print(&d, stderr, isatty(2) && !getenv("NO_COLOR"));
    src_close(&src);
    free(root);
    free(cwd);
    diag_free(&d);
    return ok;
}

int cli_affected(int argc, char **argv)
{
    const char *base = NULL;
    bool staged = false;
    arena a;
    ar_init(&a);
    const char **paths = ar_alloc(&a, ((size_t)argc + 1) * sizeof *paths);
    size_t np = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *v;
        if (cli_is_help(s)) {
            fputs(cli_find_verb("affected")->usage, stdout);
            ar_free(&a);
            return 0;
        }
        if (cli_flag_value(argc, argv, &i, "--base", &v)) {
            if (!v || !*v) return cli_usage_error("affected", "--base takes a git revision");
            base = v;
        } else if (!strcmp(s, "--staged")) {
            staged = true;
        } else if (s[0] == '-' && s[1]) {
            return cli_usage_error("affected", "unknown flag '%s'", s);
        } else {
            paths[np++] = s;
        }
    }
    if ((np > 0) + staged + (base != NULL) != 1)
        return cli_usage_error("affected", "give PATHS, --staged or --base REV (one of them)");
    const char **roots;
    size_t n;
    bool ok = cli_affected_roots(&a, np ? paths : NULL, np, base, false, &roots, &n);
    for (size_t i = 0; ok && i < n; i++)
        printf("%s\n", roots[i]);
    ar_free(&a);
    return ok ? 0 : 2;
}
