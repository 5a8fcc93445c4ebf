/* `kiln build`: detects what PATH is, runs the front end, orders and writes the result. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "emit/emit.h"
#include "kustomize/kz.h"
#include "yaml/yaml.h"

typedef struct build_opts {
    const char *path;
    bool json;
    bool load_none;
    bool managed_by;
    int jobs; /* 0: one per processor */
} build_opts;

static int parse_args(int argc, char **argv, build_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (cli_is_help(a)) {
            fputs(cli_find_verb("build")->usage, stdout);
            return -1;
        }
        if (cli_flag_value(argc, argv, &i, "-o", &v) || cli_flag_value(argc, argv, &i, "--output", &v)) {
            if (!v || (strcmp(v, "yaml") && strcmp(v, "json")))
                return cli_usage_error("build", "-o takes yaml or json");
            o->json = !strcmp(v, "json");
        } else if (cli_flag_value(argc, argv, &i, "--load-restrictor", &v)) {
            if (v && !strcmp(v, "LoadRestrictionsNone"))
                o->load_none = true;
            else if (!v || strcmp(v, "LoadRestrictionsRootOnly"))
                return cli_usage_error("build", "--load-restrictor takes LoadRestrictionsRootOnly or LoadRestrictionsNone");
        } else if (cli_flag_value(argc, argv, &i, "-j", &v) || cli_flag_value(argc, argv, &i, "--jobs", &v)) {
            char *end;
            long j = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || j < 1 || j > 64) return cli_usage_error("build", "--jobs takes a number from 1 to 64");
            o->jobs = (int)j;
        } else if (!strcmp(a, "--enable-managedby-label")) {
            o->managed_by = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("build", "unknown flag '%s'", a);
        } else if (o->path) {
            return cli_usage_error("build", "more than one PATH ('%s' and '%s')", o->path, a);
        } else {
            o->path = a;
        }
    }
    if (!o->path) o->path = ".";
    return 0;
}

/* Reads standard input as one manifest stream. */
static bool build_stdin(arena *a, diag_ctx *d, ir_resset *out)
{
    buf_t in = {0};
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, stdin)) > 0) buf_put(&in, chunk, r);
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
            diag_error(d, res->pos, "may not add resource with an already registered id: %s (already added from %s)",
                       ir_id_str(a, &res->id), diag_pos_str(d, old->pos, where, sizeof where));
            ok = false;
        }
    }
    return ok;
}

int cli_build(int argc, char **argv)
{
    build_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc) return rc < 0 ? 0 : rc;

    arena a;
    ar_init(&a);
    diag_ctx d;
    diag_init(&d);
    ir_resset set;
    ir_resset_init(&set);
    src_tree src = {0};
    kz_sort sort = {0};
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = o.jobs ? o.jobs : (int)(ncpu > 0 ? ncpu : 1);
    kz_ctx k = {.a = &a, .d = &d, .src = &src, .load_none = o.load_none, .managed_by = o.managed_by,
                .jobs = jobs < 1 ? 1 : jobs};
    bool ok;
    buf_t out = {0};

    if (!strcmp(o.path, "-")) {
        ok = build_stdin(&a, &d, &set);
    } else {
        char *root = src_guess_root(o.path);
        const char *err = "no such file or directory";
        if (!root || !src_open_fs(&src, root, &err)) {
            diag_error(&d, diag_nopos, "cannot open '%s': %s", o.path, err);
            ok = false;
        } else {
            char *path = src_clean(&a, o.path);
            src_kind kind = src_stat(&src, path);
            bool amb = false;
            if (kind == SRC_FILE) {
                ok = kz_load_file(&k, path, diag_nopos, &set);
            } else if (kind != SRC_DIR) {
                diag_error(&d, diag_nopos, "'%s' is not a directory or file", o.path);
                ok = false;
            } else if (kz_find_file(&k, path, diag_nopos, &amb)) {
                ok = kz_build(&k, path, &set, &sort);
            } else if (amb) {
                ok = false;
            } else {
                ok = kz_build_plain(&k, path, &set);
            }
        }
        free(root);
    }

    if (ok) ok = kz_finalize(&k, &set);
    if (ok) {
        if (!sort.fifo) em_sort_legacy(set.items, set.n, sort.first, sort.nfirst, sort.last, sort.nlast);
        /* the output is about as large as the input: size the buffer once */
        size_t in_bytes = 0;
        for (size_t i = 0; i < d.nfiles; i++) in_bytes += d.files[i].len;
        buf_grow(&out, in_bytes + in_bytes / 8 + 4096);
        ir_node **docs = ar_alloc(&a, (set.n + 1) * sizeof *docs);
        for (size_t i = 0; i < set.n; i++) docs[i] = set.items[i]->obj;
        if (o.json) {
            for (size_t i = 0; i < set.n && ok; i++) ok = em_check_printable(&d, docs[i]);
            if (ok) em_json_stream(&out, docs, set.n, 4);
        } else if (!em_yaml_stream_par(&out, docs, set.n, k.jobs)) {
            for (size_t i = 0; i < set.n; i++) em_check_printable(&d, docs[i]);
            ok = false;
        }
    }
    diag_print(&d, stderr, isatty(2) && !getenv("NO_COLOR"));
    if (ok && out.len && fwrite(out.data, 1, out.len, stdout) != out.len) ok = false;
    if (ok && fflush(stdout) != 0) ok = false;
#ifndef KILN_ARENA_MALLOC
    /* the process ends right after this verb: handing the build's memory back page by page
     * would only cost time (sanitizer builds, which check for leaks, free everything) */
    (void)out, (void)set, (void)src, (void)d, (void)a;
#else
    buf_free(&out);
    ir_resset_free(&set);
    src_close(&src);
    diag_free(&d);
    ar_free(&a);
#endif
    return ok ? 0 : 2;
}
