/* `kiln build`: detects what PATH is, runs the front end, orders and writes the result. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "emit/emit.h"

typedef struct build_opts {
    const char *path;
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
        } else if (o->path) {
            return cli_usage_error("build", "more than one PATH ('%s' and '%s')", o->path, a);
        } else {
            o->path = a;
        }
    }
    if (!o->path) o->path = ".";
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

int cli_build(int argc, char **argv)
{
    build_opts o;
    cli_render r = {0};
    int rc = parse_args(argc, argv, &o, &r);
    if (rc) {
        cli_flux_free(&r);
        return rc < 0 ? 0 : rc;
    }
    bool ok = cli_render_path(&r, o.path, o.rev, o.load_none, o.managed_by, o.jobs);
    cli_flux_free(&r);
    if (o.prune_list) return prune_list(&r, ok, o.prune_live);
    buf_t out = {0};
    if (ok && o.hash) {
        /* kiln.dev/content-hash on every object */
        for (size_t i = 0; i < r.set.n; i++) {
            char h[33];
            ir_node *obj = r.set.items[i]->obj;
            em_content_hash(&r.a, obj, h);
            ir_node *md = ir_map_get(obj, "metadata");
            if (!md || md->kind != IR_MAP) continue;
            ir_node *an = ir_map_get(md, "annotations");
            if (!an || an->kind != IR_MAP) {
                an = ir_map(&r.a, md->pos);
                ir_map_set(&r.a, md, "annotations", an);
            }
            ir_map_set(&r.a, an, EM_HASH_ANNOTATION, ir_str(&r.a, h, md->pos));
        }
    }
    if (ok) {
        /* the output is about as large as the input: size the buffer once */
        size_t in_bytes = 0;
        for (size_t i = 0; i < r.d.nfiles; i++)
            in_bytes += r.d.files[i].len;
        buf_grow(&out, in_bytes + in_bytes / 8 + 4096);
        ir_node **docs = ar_alloc(&r.a, (r.set.n + 1) * sizeof *docs);
        for (size_t i = 0; i < r.set.n; i++)
            docs[i] = r.set.items[i]->obj;
        if (o.json) {
            for (size_t i = 0; i < r.set.n && ok; i++)
                ok = em_check_printable(&r.d, docs[i]);
            if (ok) em_json_stream(&out, docs, r.set.n, 4);
        } else if (o.per_ks && r.groups.ngroups) {
            for (size_t g = 0; g < r.groups.ngroups && ok; g++) {
                const flux_group *fg = &r.groups.groups[g];
                buf_printf(&out, "%s# Kustomization: %s\n", g ? "---\n" : "", fg->name);
                ok = em_yaml_stream(&out, docs + fg->start, fg->n);
            }
            if (!ok)
                for (size_t i = 0; i < r.set.n; i++)
                    em_check_printable(&r.d, docs[i]);
        } else if (!em_yaml_stream_par(&out, docs, r.set.n, r.k.jobs)) {
            for (size_t i = 0; i < r.set.n; i++)
                em_check_printable(&r.d, docs[i]);
            ok = false;
        }
    }
    cli_render_print_diags(&r);
    if (ok && out.len && fwrite(out.data, 1, out.len, stdout) != out.len) ok = false;
    if (ok && fflush(stdout) != 0) ok = false;
    buf_free(&out);
    cli_render_free(&r);
    return ok ? 0 : 2;
}
