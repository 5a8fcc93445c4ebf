/* `kiln build`: detects what PATH is, runs the front end, orders and writes the result; several
 * PATHs (a fleet of clusters) render on threads of their own and print in argument order. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "emit/emit.h"

typedef struct build_opts {
    const char *path;
    const char **paths; /* every PATH given (path is the first) */
    size_t npaths;
    bool json;
    bool load_none;
    bool managed_by;
    int jobs; /* 0: one per processor */
    bool hash;
    const char *rev;        /* --rev: render PATH as it is in this git revision */
    const char *prune_live; /* --prune-list --live SNAPSHOT: print prune candidates instead */
    bool prune_list;
    bool per_ks; /* --per-kustomization: a `# Kustomization: ns/name` header before each group */
} build_opts;

static int parse_args(int argc, char **argv, build_opts *o, cli_render *r)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool bad;
        if (cli_flux_flag("build", argc, argv, &i, r, &bad)) {
            if (bad) return 2;
            continue;
        }
        if (cli_is_help(a)) {
            fputs(cli_find_verb("build")->usage, stdout);
            return -1;
        }
        if (cli_flag_value(argc, argv, &i, "-o", &v) ||
            cli_flag_value(argc, argv, &i, "--output", &v)) {
            if (!v || (strcmp(v, "yaml") && strcmp(v, "json")))
                return cli_usage_error("build", "-o takes yaml or json");
            o->json = !strcmp(v, "json");
        } else if (cli_flag_value(argc, argv, &i, "--load-restrictor", &v)) {
            if (v && !strcmp(v, "LoadRestrictionsNone"))
                o->load_none = true;
            else if (!v || strcmp(v, "LoadRestrictionsRootOnly"))
                return cli_usage_error(
                    "build",
                    "--load-restrictor takes LoadRestrictionsRootOnly or LoadRestrictionsNone");
        } else if (cli_flag_value(argc, argv, &i, "-j", &v) ||
                   cli_flag_value(argc, argv, &i, "--jobs", &v)) {
            char *end;
            long j = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || j < 1 || j > 64)
                return cli_usage_error("build", "--jobs takes a number from 1 to 64");
            o->jobs = (int)j;
        } else if (cli_flag_value(argc, argv, &i, "--rev", &v)) {
            if (!v || !*v) return cli_usage_error("build", "--rev takes a git revision");
            o->rev = v;
        } else if (cli_flag_value(argc, argv, &i, "--live", &v)) {
            if (!v || !*v)
                return cli_usage_error("build", "--live takes a snapshot file or directory");
            o->prune_live = v;
        } else if (!strcmp(a, "--prune-list")) {
            o->prune_list = true;
        } else if (!strcmp(a, "--per-kustomization")) {
            o->per_ks = true;
        } else if (!strcmp(a, "--hash")) {
            o->hash = true;
        } else if (!strcmp(a, "--enable-managedby-label")) {
            o->managed_by = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("build", "unknown flag '%s'", a);
        } else {
            if (!o->path) o->path = a;
            o->paths = util_xrealloc(o->paths, (o->npaths + 1) * sizeof *o->paths);
            o->paths[o->npaths++] = a;
        }
    }
    if (!o->path) o->path = ".";
    if (o->npaths > 1 && (o->json || o->prune_list || o->rev || r->flux_kustomization ||
                          r->flux_config || !strcmp(o->path, "-")))
        return cli_usage_error("build",
                               "several PATHs render YAML only: not with -o json, --prune-list, "
                               "--rev, --kustomization, --flux-config or -");
    if (o->prune_list != (o->prune_live != NULL))
        return cli_usage_error("build", "--prune-list and --live SNAPSHOT go together");
    return 0;
}

/* --prune-list: the live objects a diff would prune, one `kubectl delete` argument list per
 * line ("-n NS kind.group/name"), for a delete step after `kubectl apply`. */
static int prune_list(cli_render *r, bool ok, const char *live)
{
    cli_render cur = {.no_flux = true};
    bool lok = ok && cli_render_path(&cur, live, NULL, false, false, 0);
    cli_render_print_diags(r);
    if (ok) cli_render_print_diags(&cur);
    int rc = 2;
    if (ok && lok) {
        df_result res;
        df_opts opts = {0};
        df_diff(&r->a, &r->set, &cur.set, &opts, &res);
        buf_t out = {0};
        for (size_t i = 0; i < res.n; i++) {
            if (res.objs[i].action != DF_PRUNE) continue;
            const ir_id *id = &res.objs[i].live->id;
            if (*id->ns) buf_printf(&out, "-n %s ", id->ns);
            for (const char *k = id->kind; *k; k++)
                buf_putc(&out, (char)(*k >= 'A' && *k <= 'Z' ? *k - 'A' + 'a' : *k));
            buf_printf(&out, "%s%s/%s\n", *id->group ? "." : "", id->group, id->name);
        }
        fwrite(out.data, 1, out.len, stdout);
        buf_free(&out);
        rc = 0;
    }
    if (ok) cli_render_free(&cur);
    cli_render_free(r);
    return rc;
}

/* The rendered set of r as build prints it (YAML or JSON, --hash, --per-kustomization) into
 * out; false (after diagnostics) when an object cannot be printed. */
static bool emit_set(const build_opts *o, cli_render *r, buf_t *out)
{
    bool ok = true;
    if (o->hash) {
        /* kiln.dev/content-hash on every object */
        for (size_t i = 0; i < r->set.n; i++) {
            char h[33];
            ir_node *obj = r->set.items[i]->obj;
            em_content_hash(&r->a, obj, h);
            ir_node *md = ir_map_get(obj, "metadata");
            if (!md || md->kind != IR_MAP) continue;
            ir_node *an = ir_map_get(md, "annotations");
            if (!an || an->kind != IR_MAP) {
                an = ir_map(&r->a, md->pos);
                ir_map_set(&r->a, md, "annotations", an);
            }
            ir_map_set(&r->a, an, EM_HASH_ANNOTATION, ir_str(&r->a, h, md->pos));
        }
    }
    /* the output is about as large as the input: size the buffer once */
    size_t in_bytes = 0;
    for (size_t i = 0; i < r->d.nfiles; i++)
        in_bytes += r->d.files[i].len;
    buf_grow(out, in_bytes + in_bytes / 8 + 4096);
    ir_node **docs = ar_alloc(&r->a, (r->set.n + 1) * sizeof *docs);
    for (size_t i = 0; i < r->set.n; i++)
        docs[i] = r->set.items[i]->obj;
    if (o->json) {
        for (size_t i = 0; i < r->set.n && ok; i++)
            ok = em_check_printable(&r->d, docs[i]);
        if (ok) em_json_stream(out, docs, r->set.n, 4);
    } else if (o->per_ks && r->groups.ngroups) {
        for (size_t g = 0; g < r->groups.ngroups && ok; g++) {
            const flux_group *fg = &r->groups.groups[g];
            buf_printf(out, "%s# Kustomization: %s\n", g ? "---\n" : "", fg->name);
            ok = em_yaml_stream(out, docs + fg->start, fg->n);
        }
        if (!ok)
            for (size_t i = 0; i < r->set.n; i++)
                em_check_printable(&r->d, docs[i]);
    } else if (!em_yaml_stream_par(out, docs, r->set.n, r->k.jobs)) {
        for (size_t i = 0; i < r->set.n; i++)
            em_check_printable(&r->d, docs[i]);
        ok = false;
    }
    return ok;
}

/* ---- several PATHs: one render per thread ---- */

typedef struct path_job {
    const char *path;
    bool ok;
    buf_t out;   /* its YAML stream */
    char *diags; /* its messages as they would be printed */
    size_t ndiags;
} path_job;

typedef struct path_pool {
    const build_opts *o;
    const cli_render *flags; /* the Flux flags every PATH shares */
    path_job *jobs;
    size_t n;
    bool color;
    atomic_size_t next;
} path_pool;

static void run_path(path_pool *p, path_job *j)
{
    cli_render r = {0};
    r.flux = p->flags->flux; /* shared, read only */
    r.no_flux = p->flags->no_flux;
    /* the paths are the parallelism: one thread each */
    j->ok = cli_render_path(&r, j->path, NULL, p->o->load_none, p->o->managed_by, 1);
    if (j->ok) j->ok = emit_set(p->o, &r, &j->out);
    FILE *m = open_memstream(&j->diags, &j->ndiags);
    if (m) {
        diag_print(&r.d, m, p->color);
        fclose(m);
    }
    cli_render_free(&r);
}

static void *path_worker(void *arg)
{
    path_pool *p = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) return NULL;
        run_path(p, &p->jobs[i]);
    }
}

/* Renders every PATH (up to `jobs` at once), then prints their messages and, when all
 * succeeded, their streams in argument order as one stream. */
static int build_paths(const build_opts *o, const cli_render *flags)
{
    path_pool p = {.o = o, .flags = flags, .n = o->npaths};
    p.color = isatty(2) && !getenv("NO_COLOR");
    p.jobs = calloc(o->npaths, sizeof *p.jobs);
    if (!p.jobs) util_oom();
    for (size_t i = 0; i < o->npaths; i++)
        p.jobs[i].path = o->paths[i];
    atomic_init(&p.next, 0);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = (size_t)(o->jobs ? o->jobs : (ncpu > 0 ? ncpu : 1));
    if (nthreads > o->npaths) nthreads = o->npaths;
    pthread_t *tid = calloc(nthreads, sizeof *tid);
    if (!tid) util_oom();
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    /* the template engine's nesting guard assumes 8 MiB of stack, as on the main thread */
    pthread_attr_setstacksize(&attr, 16u << 20);
    size_t started = 0;
    for (size_t i = 1; i < nthreads; i++) {
        if (pthread_create(&tid[i], &attr, path_worker, &p) != 0) break;
        started = i;
    }
    pthread_attr_destroy(&attr);
    path_worker(&p); /* the calling thread works too */
    for (size_t i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    free(tid);
    bool ok = true;
    for (size_t i = 0; i < o->npaths; i++) {
        if (p.jobs[i].ndiags) fwrite(p.jobs[i].diags, 1, p.jobs[i].ndiags, stderr);
        ok = ok && p.jobs[i].ok;
    }
    bool first = true;
    for (size_t i = 0; ok && i < o->npaths; i++) {
        const buf_t *b = &p.jobs[i].out;
        if (!b->len) continue;
        if (!first && fputs("---\n", stdout) == EOF) ok = false;
        if (ok && fwrite(b->data, 1, b->len, stdout) != b->len) ok = false;
        first = false;
    }
    if (ok && fflush(stdout) != 0) ok = false;
    for (size_t i = 0; i < o->npaths; i++) {
        buf_free(&p.jobs[i].out);
        free(p.jobs[i].diags);
    }
    free(p.jobs);
    return ok ? 0 : 2;
}

int cli_build(int argc, char **argv)
{
    build_opts o;
    cli_render r = {0};
    int rc = parse_args(argc, argv, &o, &r);
    if (rc) {
        cli_flux_free(&r);
        free(o.paths);
        return rc < 0 ? 0 : rc;
    }
    if (o.npaths > 1) {
        rc = build_paths(&o, &r);
        cli_flux_free(&r);
        free(o.paths);
        return rc;
    }
    free(o.paths);
    bool ok = cli_render_path(&r, o.path, o.rev, o.load_none, o.managed_by, o.jobs);
    cli_flux_free(&r);
    if (o.prune_list) return prune_list(&r, ok, o.prune_live);
    buf_t out = {0};
    if (ok) ok = emit_set(&o, &r, &out);
    cli_render_print_diags(&r);
    if (ok && out.len && fwrite(out.data, 1, out.len, stdout) != out.len) ok = false;
    if (ok && fflush(stdout) != 0) ok = false;
    buf_free(&out);
    cli_render_free(&r);
    return ok ? 0 : 2;
}
