/* `kiln check`: renders PATH, validates the objects against schemas and policies, and prints
 * the findings as text, JSON, SARIF, JUnit or GitHub annotations (exit 0 clean, 1 findings). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "emit/emit.h"
#include "validate/validate.h"
#include "yaml/yaml.h"

typedef enum { CK_TEXT, CK_JSON, CK_SARIF, CK_JUNIT, CK_GITHUB } ck_format;

static const char *const ck_formats[] = {"text", "json", "sarif", "junit", "github"};

/* The stdlib directory: $KILN_STDLIB, else share/kiln/stdlib or stdlib beside the binary's
 * directory; NULL means the copy embedded in the binary. */
static const char *ck_stdlib_dir(arena *a)
{
    const char *env = getenv("KILN_STDLIB");
    if (env && *env) return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = 0;
    const char *cands[] = {ar_printf(a, "%s/../share/kiln/stdlib", exe),
                           ar_printf(a, "%s/stdlib", exe)};
    for (size_t i = 0; i < 2; i++)
        if (access(ar_printf(a, "%s/policies", cands[i]), R_OK) == 0) return cands[i];
    return NULL;
}

/* GROUP/VERSION/KIND/NAMESPACE/NAME, every field kept (empty for the core group, cluster scope). */
static const char *ck_object(arena *a, const ir_res *r)
{
    if (!r) return "";
    const ir_id *id = &r->id;
    return ar_printf(a, "%s/%s/%s/%s/%s", id->group, id->version, id->kind, id->ns, id->name);
}

static void ck_json(buf_t *b, arena *a, const cli_render *r, const vd_report *rep)
{
    buf_printf(b,
               "{\"summary\":{\"objects\":%zu,\"errors\":%zu,\"warnings\":%zu,\"skipped\":%zu},"
               "\"results\":[",
               rep->objects, vd_report_count(rep, VD_ERROR), vd_report_count(rep, VD_WARNING),
               rep->nskips);
    for (size_t i = 0; i < rep->n; i++) {
        const vd_result *f = &rep->items[i];
        const char *obj = ck_object(a, f->res);
        const char *file = f->pos.file ? diag_file_path(&r->d, f->pos.file) : "";
        buf_puts(b, i ? ",{\"severity\":" : "{\"severity\":");
        buf_puts(b, f->sev == VD_ERROR ? "\"error\"" : "\"warning\"");
        buf_puts(b, ",\"rule\":");
        em_json_string(b, f->rule, strlen(f->rule));
        buf_puts(b, ",\"object\":");
        em_json_string(b, obj, strlen(obj));
        buf_puts(b, ",\"path\":");
        em_json_string(b, f->path, strlen(f->path));
        buf_puts(b, ",\"message\":");
        em_json_string(b, f->message, strlen(f->message));
        buf_puts(b, ",\"file\":");
        em_json_string(b, file ? file : "", file ? strlen(file) : 0);
        buf_printf(b, ",\"line\":%u,\"col\":%u}", f->pos.line, f->pos.col);
    }
    buf_puts(b, "],\"skipped\":[");
    for (size_t i = 0; i < rep->nskips; i++) {
        const vd_skip *s = &rep->skips[i];
        const char *obj = ck_object(a, s->res);
        buf_puts(b, i ? ",{\"rule\":" : "{\"rule\":");
        em_json_string(b, s->rule, strlen(s->rule));
        buf_puts(b, ",\"object\":");
        em_json_string(b, obj, strlen(obj));
        buf_puts(b, ",\"reason\":");
        em_json_string(b, s->reason, strlen(s->reason));
        buf_puts(b, "}");
    }
    buf_puts(b, "]}\n");
}

/* Text: every finding as a diagnostic (position, source line, caret), then a summary line. */
static void ck_text(FILE *out, cli_render *r, const vd_report *rep, bool color)
{
    diag_ctx *d = &r->d;
    d->nmsgs = 0;
    d->errors = d->warnings = 0;
    d->max_errors = INT_MAX;
    for (size_t i = 0; i < rep->n; i++) {
        const vd_result *f = &rep->items[i];
        const char *obj = f->res ? ir_id_str(&r->a, &f->res->id) : NULL;
        if (f->sev == VD_ERROR)
            diag_error(d, f->pos, "[%s] %s%s%s%s%s", f->rule, obj ? obj : "", obj ? ": " : "",
                       *f->path ? f->path : "", *f->path ? ": " : "", f->message);
        else
            diag_warn(d, f->pos, "[%s] %s%s%s%s%s", f->rule, obj ? obj : "", obj ? ": " : "",
                      *f->path ? f->path : "", *f->path ? ": " : "", f->message);
    }
    diag_print(d, out, color);
    for (size_t i = 0; i < rep->nskips; i++) {
        const vd_skip *s = &rep->skips[i];
        fprintf(out, "kiln: skipped [%s] for %s%s%s\n", s->rule, ir_id_str(&r->a, &s->res->id),
                *s->reason ? ": " : "", s->reason);
    }
    fprintf(out, "kiln check: %zu objects, %zu errors, %zu warnings, %zu skipped\n", rep->objects,
            vd_report_count(rep, VD_ERROR), vd_report_count(rep, VD_WARNING), rep->nskips);
}

/* --params FILE: one YAML or JSON document (read as given: the user named it). */
static bool ck_load_params(cli_render *r, const char *path, const ir_node **out)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(&r->d, (diag_pos){0}, "%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    buf_t b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    fclose(f);
    char *text = ar_strndup(&r->a, b.data ? b.data : "", b.len);
    size_t len = b.len;
    buf_free(&b);
    uint32_t file = diag_file_add(&r->d, ar_strdup(&r->a, path), text, len);
    ky_opts o = {0};
    o.flavor = KY_V3;
    ky_docs docs = {0};
    if (!ky_load(&r->a, &r->d, file, text, len, &o, &docs)) return false;
    if (docs.n != 1 || docs.docs[0]->kind != IR_MAP) {
        diag_error(&r->d, diag_at(file, 1, 1), "params: one mapping expected");
        return false;
    }
    *out = docs.docs[0];
    return true;
}

int cli_check(int argc, char **argv)
{
    const char *path = NULL, *rev = NULL, *params = NULL, *policy_set = "baseline,gitops";
    ck_format fmt = CK_TEXT;
    bool strict = false, require = false;
    const char **schemas = util_xmalloc((size_t)argc * sizeof *schemas);
    const char **policies = util_xmalloc((size_t)argc * sizeof *policies);
    size_t nschemas = 0, npolicies = 0;
    int rc = 2;
    cli_render r = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool bad;
        if (cli_flux_flag("check", argc, argv, &i, &r, &bad)) {
            if (bad) goto out;
            continue;
        }
        if (cli_is_help(a)) {
            fputs(cli_find_verb("check")->usage, stdout);
            rc = 0;
            goto out;
        }
        if (cli_flag_value(argc, argv, &i, "--schema", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("check", "--schema takes a file or directory");
                goto out;
            }
            schemas[nschemas++] = v;
        } else if (cli_flag_value(argc, argv, &i, "--policy", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("check", "--policy takes a file or directory");
                goto out;
            }
            policies[npolicies++] = v;
        } else if (cli_flag_value(argc, argv, &i, "--policy-set", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("check", "--policy-set takes baseline, restricted, "
                                              "gitops or none (comma-separated)");
                goto out;
            }
            policy_set = v;
        } else if (cli_flag_value(argc, argv, &i, "--params", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("check", "--params takes a YAML or JSON file");
                goto out;
            }
            params = v;
        } else if (cli_flag_value(argc, argv, &i, "--format", &v)) {
            size_t k = 0;
            while (v && k < sizeof ck_formats / sizeof *ck_formats && strcmp(v, ck_formats[k]))
                k++;
            if (!v || k == sizeof ck_formats / sizeof *ck_formats) {
                rc = cli_usage_error("check", "--format takes text, json, sarif, junit or github");
                goto out;
            }
            fmt = (ck_format)k;
        } else if (cli_flag_value(argc, argv, &i, "--rev", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("check", "--rev takes a git revision");
                goto out;
            }
            rev = v;
        } else if (!strcmp(a, "--strict")) {
            strict = true;
        } else if (!strcmp(a, "--require-schemas")) {
            require = true;
        } else if (a[0] == '-' && a[1]) {
            {
                rc = cli_usage_error("check", "unknown flag '%s'", a);
                goto out;
            }
        } else if (path) {
            {
                rc = cli_usage_error("check", "more than one PATH ('%s' and '%s')", path, a);
                goto out;
            }
        } else {
            path = a;
        }
    }
    if (fmt == CK_SARIF || fmt == CK_JUNIT || fmt == CK_GITHUB) {
        rc = cli_usage_error("check", "--format %s is not available yet", ck_formats[fmt]);
        goto out;
    }
    if (!cli_render_path(&r, path ? path : ".", rev, false, false, 0)) {
        cli_render_print_diags(&r);
        cli_render_free(&r);
        goto out;
    }
    cli_render_print_diags(&r);
    const ir_node *pnode = NULL;
    if (params && !ck_load_params(&r, params, &pnode)) {
        cli_render_print_diags(&r);
        cli_render_free(&r);
        goto out;
    }
    vd_report rep = {0};
    rep.objects = r.set.n;
    vd_schema_opts so = {schemas, nschemas, strict, require, NULL};
    vd_policy_opts po = {policies, npolicies, policy_set, ck_stdlib_dir(&r.a), pnode};
    size_t before = r.d.nmsgs;
    bool ok = vd_schema_check(&r.a, &r.d, &r.set, &so, &rep) &&
              vd_policy_check(&r.a, &r.d, &r.set, &po, &rep);
    if (!ok || r.d.nmsgs > before) {
        cli_render_print_diags(&r);
        if (!ok) {
            cli_render_free(&r);
            goto out;
        }
    }
    vd_report_sort(&rep, &r.set);
    if (fmt == CK_JSON) {
        buf_t b = {0};
        ck_json(&b, &r.a, &r, &rep);
        fwrite(b.data, 1, b.len, stdout);
        buf_free(&b);
    } else {
        ck_text(stdout, &r, &rep, false);
    }
    rc = vd_report_count(&rep, VD_ERROR) ? 1 : 0;
    cli_render_free(&r);
out:
    cli_flux_free(&r);
    free(schemas);
    free(policies);
    return rc;
}
