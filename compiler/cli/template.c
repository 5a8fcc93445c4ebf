/* `kiln template`: renders a Helm chart the way `helm template` (Helm v4.1.4) prints it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "template/chart.h"

typedef struct tv_arg {
    chart_set_kind kind; /* CHART_SET_* or -1 for -f */
    const char *val;
} tv_arg;

static bool tv_read(arena *a, const char *path, const char **data, size_t *n)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return false;
    buf_t b = {0};
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_put(&b, tmp, k);
    if (f != stdin) fclose(f);
    *data = ar_strndup(a, b.data ? b.data : "", b.len);
    *n = b.len;
    buf_free(&b);
    return true;
}

/* Appends the comma-separated parts of v (pflag's StringSlice). */
static void tv_split(arena *a, const char ***list, size_t *n, const char *v)
{
    const char *p = v;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        *list = ar_realloc(a, *list, *n * sizeof **list, (*n + 1) * sizeof **list);
        (*list)[(*n)++] = ar_strndup(a, p, l);
        if (!e) break;
        p = e + 1;
    }
}

static int tv_fail(diag_ctx *d, arena *a, const char *msg, diag_pos pos)
{
    diag_error(d, pos, "%s", msg);
    diag_print(d, stderr, false);
    diag_free(d);
    ar_free(a);
    return 2;
}

int cli_template(int argc, char **argv)
{
    arena a;
    ar_init(&a);
    chart_opts o = {0};
    const char *pos[2] = {0};
    int npos = 0;
    const char *name_tpl = NULL;
    tv_arg *vals = NULL;
    size_t nvals = 0;
    const char **files = NULL;
    size_t nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v;
        int kind = -2;
        if (cli_is_help(arg)) {
            fputs(cli_find_verb("template")->usage, stdout);
            ar_free(&a);
            return 0;
        }
        if (cli_flag_value(argc, argv, &i, "-n", &v) ||
            cli_flag_value(argc, argv, &i, "--namespace", &v)) {
            if (!v) return cli_usage_error("template", "-n takes a namespace");
            o.ns = v;
        } else if (cli_flag_value(argc, argv, &i, "-f", &v) ||
                   cli_flag_value(argc, argv, &i, "--values", &v)) {
            if (!v) return cli_usage_error("template", "-f takes a values file");
            size_t before = nfiles;
            tv_split(&a, &files, &nfiles, v);
            vals = ar_realloc(&a, vals, nvals * sizeof *vals,
                              (nvals + nfiles - before) * sizeof *vals);
            for (size_t k = before; k < nfiles; k++) {
                vals[nvals].kind = (chart_set_kind)-1;
                vals[nvals++].val = files[k];
            }
        } else if (cli_flag_value(argc, argv, &i, "--set", &v))
            kind = CHART_SET_TYPED;
        else if (cli_flag_value(argc, argv, &i, "--set-string", &v))
            kind = CHART_SET_STRING;
        else if (cli_flag_value(argc, argv, &i, "--set-file", &v))
            kind = CHART_SET_FILE;
        else if (cli_flag_value(argc, argv, &i, "--set-json", &v))
            kind = CHART_SET_JSON;
        else if (cli_flag_value(argc, argv, &i, "--set-literal", &v))
            kind = CHART_SET_LITERAL;
        else if (cli_flag_value(argc, argv, &i, "--kube-version", &v)) {
            if (!v) return cli_usage_error("template", "--kube-version takes a version");
            o.kube_version = v;
        } else if (cli_flag_value(argc, argv, &i, "--api-versions", &v) ||
                   cli_flag_value(argc, argv, &i, "-a", &v)) {
            if (!v) return cli_usage_error("template", "--api-versions takes group/version");
            tv_split(&a, &o.api_versions, &o.napi_versions, v);
        } else if (cli_flag_value(argc, argv, &i, "--show-only", &v) ||
                   cli_flag_value(argc, argv, &i, "-s", &v)) {
            if (!v) return cli_usage_error("template", "--show-only takes a template path");
            o.show_only = ar_realloc(&a, o.show_only, o.nshow_only * sizeof *o.show_only,
                                     (o.nshow_only + 1) * sizeof *o.show_only);
            o.show_only[o.nshow_only++] = v;
        } else if (!strcmp(arg, "--include-crds"))
            o.include_crds = true;
        else if (!strcmp(arg, "--skip-crds"))
            o.include_crds = false;
        else if (!strcmp(arg, "--no-hooks"))
            o.no_hooks = true;
        else if (!strcmp(arg, "--skip-tests"))
            o.skip_tests = true;
        else if (cli_flag_value(argc, argv, &i, "--name-template", &v)) {
            if (!v) return cli_usage_error("template", "--name-template takes a template");
            name_tpl = v;
        } else if (!strcmp(arg, "-g") || !strcmp(arg, "--generate-name") ||
                   !strcmp(arg, "--release-name"))
            ; /* helm template keeps release-name with -g; --release-name only names
                 --output-dir paths */
        else if (!strcmp(arg, "--debug"))
            o.debug = true;
        else if (!strcmp(arg, "--skip-schema-validation"))
            o.skip_schema = true;
        else if (arg[0] == '-' && arg[1])
            return cli_usage_error("template", "unknown flag '%s'", arg);
        else if (npos == 2)
            return cli_usage_error("template", "too many arguments ('%s')", arg);
        else
            pos[npos++] = arg;
        if (kind >= 0) {
            if (!v) return cli_usage_error("template", "%s takes a value", arg);
            vals = ar_realloc(&a, vals, nvals * sizeof *vals, (nvals + 1) * sizeof *vals);
            vals[nvals].kind = (chart_set_kind)kind;
            vals[nvals].val = v;
            nvals++;
        }
    }
    if (npos == 0) return cli_usage_error("template", "a CHART is required");
    const char *chart_path = npos == 2 ? pos[1] : pos[0];
    o.release = npos == 2 ? pos[0] : "release-name";
    if (npos == 1 && name_tpl) {
        /* helm's TemplateName: the template executed with no data, Sprig functions available */
        tpl_set *ts = tpl_set_new(&a, NULL);
        buf_t nb = {0};
        if (!tpl_parse(ts, "name-template", name_tpl, strlen(name_tpl), 0) ||
            !tpl_exec(ts, "name-template", tpl_nil(), &nb)) {
            fprintf(stderr, "kiln template: error: %s\n", tpl_last_error(ts)->msg);
            buf_free(&nb);
            ar_free(&a);
            return 2;
        }
        o.release = ar_strndup(&a, nb.data ? nb.data : "", nb.len);
        buf_free(&nb);
    }

    diag_ctx d;
    diag_init(&d);
    /* MergeValues: -f files, then --set-json, --set, --set-string, --set-file, --set-literal */
    tpl_map *base = tpl_map_new(&a, NULL)->map;
    const char *err = NULL;
    for (size_t i = 0; i < nvals; i++) {
        if ((int)vals[i].kind != -1) continue;
        const char *data;
        size_t n;
        if (!tv_read(&a, vals[i].val, &data, &n))
            return tv_fail(&d, &a, ar_printf(&a, "open %s: %s", vals[i].val, strerror(errno)),
                           diag_nopos);
        uint32_t fid = diag_file_add(&d, vals[i].val, data, n);
        tpl_map *m;
        if (!chart_values_parse(&a, data, n, &m, &err))
            return tv_fail(&d, &a, ar_printf(&a, "failed to parse %s: %s", vals[i].val, err),
                           diag_at(fid, 1, 1));
        base = chart_merge_maps(&a, base, m);
    }
    static const chart_set_kind order[] = {CHART_SET_JSON, CHART_SET_TYPED, CHART_SET_STRING,
                                           CHART_SET_FILE, CHART_SET_LITERAL};
    static const char *const names[] = {"--set-json", "--set", "--set-string", "--set-file",
                                        "--set-literal"};
    for (size_t k = 0; k < 5; k++)
        for (size_t i = 0; i < nvals; i++) {
            if ((int)vals[i].kind != (int)order[k]) continue;
            const char *s = vals[i].val;
            if (order[k] == CHART_SET_JSON) {
                const char *t = s;
                while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
                    t++;
                if (*t == '{') {
                    const tpl_val *jv;
                    size_t used;
                    bool ok = chart_json_decode(&a, t, strlen(t), &jv, &used, &err) &&
                              jv->kind == TPL_MAP;
                    /* json.Unmarshal: nothing but white space may follow the object */
                    for (const char *r = t + (ok ? used : 0); ok && *r; r++)
                        if (*r != ' ' && *r != '\t' && *r != '\n' && *r != '\r') ok = false;
                    if (!ok)
                        return tv_fail(&d, &a,
                                       ar_printf(&a, "failed parsing --set-json data JSON: %s", s),
                                       diag_nopos);
                    base = chart_merge_maps(&a, base, jv->map);
                    continue;
                }
            }
            if (!chart_set_parse(&a, s, strlen(s), order[k], base, &err))
                return tv_fail(&d, &a,
                               order[k] == CHART_SET_JSON
                                   ? ar_printf(&a, "failed parsing --set-json data %s", s)
                                   : ar_printf(&a, "failed parsing %s data: %s", names[k], err),
                               diag_nopos);
        }

    chart *c;
    if (!chart_load(&a, &d, chart_path, &c)) {
        diag_print(&d, stderr, false);
        diag_free(&d);
        ar_free(&a);
        return 2;
    }
    buf_t out = {0};
    diag_pos epos;
    if (!chart_render(&a, &d, c, base, &o, &out, &err, &epos)) {
        buf_free(&out);
        return tv_fail(&d, &a, err ? err : "render failed", epos);
    }
    bool ok =
        fwrite(out.data ? out.data : "", 1, out.len, stdout) == out.len && fflush(stdout) == 0;
    buf_free(&out);
    diag_free(&d);
    ar_free(&a);
    return ok ? 0 : 2;
}
