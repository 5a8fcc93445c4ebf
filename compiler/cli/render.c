/* Rendering a PATH the way every verb needs it: detect what PATH is (a kustomization, a directory
 * of manifests, a file, or - for standard input), run the front end, finalize and order. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "emit/emit.h"
#include "yaml/yaml.h"

/* Reads standard input as one manifest stream. */
static bool build_stdin(arena *a, diag_ctx *d, ir_resset *out)
{
    buf_t in = {0};
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, stdin)) > 0)
        buf_put(&in, chunk, r);
    char *text = ar_strndup(a, in.data ? in.data : "", in.len);
    size_t len = in.len;
    buf_free(&in);
    uint32_t file = diag_file_add(d, "<stdin>", text, len);
    ky_opts o = {.flavor = KY_V3};
    ky_docs docs;
    if (!ky_load(a, d, file, text, len, &o, &docs)) return false;
    bool ok = true;
    for (size_t i = 0; i < docs.n; i++) {
        ir_res *res;
        if (!ir_res_make(a, d, docs.docs[i], docs.docs[i]->pos, &res)) {
            ok = false;
            continue;
        }
        ir_res *old = ir_resset_add(out, res);
        if (old) {
            char where[64];
            diag_error(
                d, res->pos,
                "may not add resource with an already registered id: %s (already added from %s)",
                ir_id_str(a, &res->id), diag_pos_str(d, old->pos, where, sizeof where));
            ok = false;
        }
    }
    return ok;
}

/* A progress line on a terminal's stderr for renders that take more than a second; nothing
 * otherwise. The line is erased before anything else is printed. */
typedef struct render_progress {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done, running;
    const char *what;
} render_progress;

static void *progress_main(void *arg)
{
    render_progress *p = arg;
    struct timespec t0;
    clock_gettime(CLOCK_REALTIME, &t0);
    bool shown = false;
    pthread_mutex_lock(&p->mu);
    for (long tick = 1; !p->done; tick++) {
        long ns = t0.tv_nsec + tick * 250000000L;
        struct timespec until = {t0.tv_sec + ns / 1000000000L, ns % 1000000000L};
        pthread_cond_timedwait(&p->cv, &p->mu, &until);
        if (p->done || tick < 4) continue;
        fprintf(stderr, "\rkiln: rendering %s ... %.1f s", p->what, (double)tick / 4);
        shown = true;
    }
    if (shown) fputs("\r\033[K", stderr);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void progress_start(render_progress *p, const char *what)
{
    memset(p, 0, sizeof *p);
    if (!isatty(2)) return;
    p->what = what;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->running = pthread_create(&p->th, NULL, progress_main, p) == 0;
}

static void progress_stop(render_progress *p)
{
    if (!p->running) return;
    pthread_mutex_lock(&p->mu);
    p->done = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->th, NULL);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
}

static bool render_path(cli_render *r, const char *path_arg, const char *rev, bool load_none,
                        bool managed_by, int jobs);

/* The Flux step: a cluster directory (one holding Flux Kustomizations) is followed; with
 * --kustomization or --flux-config, PATH is the repository those read. */
static bool render_flux(cli_render *r, const char *path_arg, src_kind kind)
{
    char *path = src_clean(&r->a, path_arg);
    ir_resset out;
    ir_resset_init(&out);
    bool ok;
    if (r->flux_kustomization || r->flux_config) {
        if (kind != SRC_DIR) {
            diag_error(&r->d, diag_nopos, "'%s' is not a directory (the repository to read)",
                       path_arg);
            return false;
        }
        ir_resset objs;
        ir_resset_init(&objs);
        /* the file named on the command line may lie outside the repository's tree: it is
         * read through a tree of its own directory */
        const char *file =
            src_clean(&r->a, r->flux_config ? r->flux_config : r->flux_kustomization);
        src_tree ftree, *saved = r->k.src;
        const char *err = NULL;
        char *fdir = strdup(file);
        if (!fdir) util_oom();
        char *slash = strrchr(fdir, '/');
        if (slash) *(slash == fdir ? slash + 1 : slash) = 0;
        ok = src_open_fs(&ftree, slash ? fdir : ".", &err);
        free(fdir);
        if (!ok) {
            diag_error(&r->d, diag_nopos, "cannot read '%s': %s", file, err);
        } else {
            r->k.src = &ftree;
            if (r->flux_config)
                ok = flux_config_load(&r->k, file, &objs);
            else
                ok = kz_load_file(&r->k, file, diag_nopos, &objs);
            r->k.src = saved;
            src_close(&ftree);
        }
        if (ok && !r->flux_config && !flux_has_kustomizations(&objs)) {
            diag_error(&r->d, diag_nopos, "--kustomization %s: no Flux Kustomization in it",
                       r->flux_kustomization);
            ok = false;
        }
        if (ok)
            ok = flux_render_objects(&r->k, &r->flux, path, &objs, r->flux_config != NULL, &out,
                                     &r->groups);
        ir_resset_free(&objs);
    } else if (kind == SRC_DIR && !r->no_flux && flux_is_cluster(&r->k, path, &r->set)) {
        ok = flux_render_cluster(&r->k, &r->flux, path, &r->set, &out, &r->groups);
    } else {
        return true;
    }
    ir_resset_free(&r->set);
    r->set = out;
    return ok;
}

bool cli_render_path(cli_render *r, const char *path_arg, const char *rev, bool load_none,
                     bool managed_by, int jobs)
{
    render_progress p;
    progress_start(&p, path_arg);
    bool ok = render_path(r, path_arg, rev, load_none, managed_by, jobs);
    progress_stop(&p);
    return ok;
}

static bool render_path(cli_render *r, const char *path_arg, const char *rev, bool load_none,
                        bool managed_by, int jobs)
{
    ar_init(&r->a);
    diag_init(&r->d);
    ir_resset_init(&r->set);
    memset(&r->src, 0, sizeof r->src);
    memset(&r->sort, 0, sizeof r->sort);
    memset(&r->groups, 0, sizeof r->groups);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int j = jobs ? jobs : (int)(ncpu > 0 ? ncpu : 1);
    r->k = (kz_ctx){.a = &r->a,
                    .d = &r->d,
                    .src = &r->src,
                    .load_none = load_none,
                    .managed_by = managed_by,
                    .jobs = j < 1 ? 1 : j};
    bool ok;
    src_kind kind = SRC_MISSING;
    if (!strcmp(path_arg, "-")) {
        ok = build_stdin(&r->a, &r->d, &r->set);
    } else {
        char *root = rev ? NULL : src_guess_root(path_arg);
        const char *err = "no such file or directory";
        bool opened = rev ? src_open_git(&r->src, &r->a, path_arg, rev, &err)
                          : root && src_open_fs(&r->src, root, &err);
        if (rev) r->k.jobs = 1; /* one libgit2 repository handle, one thread */
        if (!opened) {
            diag_error(&r->d, diag_nopos, "cannot open '%s'%s%s: %s", path_arg, rev ? " at " : "",
                       rev ? rev : "", err);
            ok = false;
        } else {
            char *path = src_clean(&r->a, path_arg);
            kind = src_stat(&r->src, path);
            bool amb = false;
            if (r->flux_kustomization || r->flux_config) {
                ok = true; /* PATH is the repository: render_flux reads the entry point */
            } else if (kind == SRC_MISSING && rev && r->missing_ok) {
                ok = true; /* added or deleted by the other revision of a diff */
            } else if (kind == SRC_FILE) {
                ok = kz_load_file(&r->k, path, diag_nopos, &r->set);
            } else if (kind != SRC_DIR) {
                diag_error(&r->d, diag_nopos, "'%s' is not a directory or file", path_arg);
                ok = false;
            } else if (kz_find_file(&r->k, path, diag_nopos, &amb)) {
                ok = kz_build(&r->k, path, &r->set, &r->sort);
            } else if (amb) {
                ok = false;
            } else {
                ok = kz_build_plain(&r->k, path, &r->set);
            }
        }
        free(root);
        if (ok) ok = render_flux(r, path_arg, kind);
    }
    if (ok) ok = kz_finalize(&r->k, &r->set);
    if (ok && !r->sort.fifo && !r->groups.ngroups) {
        em_sort_legacy(r->set.items, r->set.n, r->sort.first, r->sort.nfirst, r->sort.last,
                       r->sort.nlast);
        ir_resset_reindex(&r->set); /* the index holds positions, which the sort changed */
    }
    return ok;
}

void cli_render_free(cli_render *r)
{
#ifndef KILN_ARENA_MALLOC
    /* the process ends right after a verb: handing the build's memory back page by page would
     * only cost time (sanitizer builds, which check for leaks, free everything) */
    (void)r;
#else
    cli_render_release(r);
#endif
}

void cli_render_release(cli_render *r)
{
    free(r->groups.groups);
    r->groups.groups = NULL;
    r->groups.ngroups = 0;
    ir_resset_free(&r->set);
    src_close(&r->src);
    diag_free(&r->d);
    ar_free(&r->a);
}

void cli_render_print_diags(const cli_render *r)
{
    diag_print(&r->d, stderr, isatty(2) && !getenv("NO_COLOR"));
}

/* --source and --chart-source lists: malloc'd, with malloc'd keys and paths */
static void add_source(const flux_source **list, size_t *n, flux_source s)
{
    flux_source *l = util_xrealloc((void *)*list, (*n + 1) * sizeof *l);
    l[(*n)++] = s;
    *list = l;
}

static void free_sources(const flux_source **list, size_t *n)
{
    for (size_t i = 0; i < *n; i++) {
        free((void *)(*list)[i].key);
        free((void *)(*list)[i].path); /* ref points into path */
    }
    free((void *)*list);
    *list = NULL;
    *n = 0;
}

bool cli_flux_flag(const char *verb, int argc, char **argv, int *i, cli_render *r, bool *bad)
{
    const char *v;
    *bad = false;
    if (cli_flag_value(argc, argv, i, "--source", &v)) {
        const char *eq = v ? strchr(v, '=') : NULL;
        if (!eq || eq == v || !eq[1]) {
            *bad = true;
            cli_usage_error(verb, "--source takes NAME=PATH or NAMESPACE/NAME=PATH[@REF]");
            return true;
        }
        flux_source s = {.key = strndup(v, (size_t)(eq - v)), .path = strdup(eq + 1)};
        if (!s.key || !s.path) util_oom();
        char *at = strrchr((char *)s.path, '@');
        if (at && !strchr(at, '/')) {
            *at = 0;
            s.ref = at + 1;
        }
        add_source(&r->flux.sources, &r->flux.nsources, s);
        return true;
    }
    if (cli_flag_value(argc, argv, i, "--chart-source", &v)) {
        /* KEY is a URL (it holds no '='): the first '=' after the scheme splits */
        const char *scheme = v ? strstr(v, "://") : NULL;
        const char *eq = v ? strchr(scheme ? scheme + 3 : v, '=') : NULL;
        if (!eq || eq == v || !eq[1]) {
            *bad = true;
            cli_usage_error(verb, "--chart-source takes URL=PATH (a HelmRepository URL/CHART or "
                                  "an OCIRepository URL; PATH a chart directory or .tgz)");
            return true;
        }
        size_t kl = (size_t)(eq - v);
        while (kl > 1 && v[kl - 1] == '/')
            kl--;
        flux_source s = {.key = strndup(v, kl), .path = strdup(eq + 1)};
        if (!s.key || !s.path) util_oom();
        add_source(&r->flux.chart_sources, &r->flux.nchart_sources, s);
        return true;
    }
    if (cli_flag_value(argc, argv, i, "--charts", &v)) {
        if (!v || !*v) {
            *bad = true;
            cli_usage_error(verb, "--charts takes a directory of <chart>-<version>.tgz files and "
                                  "<chart>/ directories");
        }
        r->flux.charts_dir = v;
        return true;
    }
    if (cli_flag_value(argc, argv, i, "--missing-charts", &v)) {
        if (v && !strcmp(v, "warn"))
            r->flux.missing_charts_warn = true;
        else if (v && !strcmp(v, "error"))
            r->flux.missing_charts_warn = false;
        else {
            *bad = true;
            cli_usage_error(verb, "--missing-charts takes error or warn");
        }
        return true;
    }
    if (cli_flag_value(argc, argv, i, "--kustomization", &v)) {
        if (!v || !*v) {
            *bad = true;
            cli_usage_error(verb, "--kustomization takes a file holding a Flux Kustomization");
        }
        r->flux_kustomization = v;
        return true;
    }
    if (cli_flag_value(argc, argv, i, "--flux-config", &v)) {
        if (!v || !*v) {
            *bad = true;
            cli_usage_error(verb,
                            "--flux-config takes an `az k8s-configuration flux show` JSON file");
        }
        r->flux_config = v;
        return true;
    }
    if (cli_flag_value(argc, argv, i, "--kubeconfig-secret", &v)) {
        if (!v || !strchr(v, '/')) {
            *bad = true;
            cli_usage_error(verb, "--kubeconfig-secret takes NAMESPACE/NAME");
        }
        r->flux.remote = v;
        return true;
    }
    if (!strcmp(argv[*i], "--strict-substitute")) {
        r->flux.strict_subst = true;
        return true;
    }
    if (!strcmp(argv[*i], "--flux-objects")) {
        r->flux.no_flux_objects = false;
        return true;
    }
    if (cli_flag_value(argc, argv, i, "--flux-objects", &v)) {
        if (v && !strcmp(v, "false"))
            r->flux.no_flux_objects = true;
        else if (v && !strcmp(v, "true"))
            r->flux.no_flux_objects = false;
        else {
            *bad = true;
            cli_usage_error(verb, "--flux-objects takes true or false");
        }
        return true;
    }
    return false;
}

void cli_flux_free(cli_render *r)
{
    free_sources(&r->flux.sources, &r->flux.nsources);
    free_sources(&r->flux.chart_sources, &r->flux.nchart_sources);
}
