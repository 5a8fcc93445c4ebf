/* `kiln check`: renders PATH, validates the objects against schemas and policies, and prints
 * the findings as text, JSON, SARIF, JUnit or GitHub annotations (exit 0 clean, 1 when a
 * finding is an error). With --affected, every root the changed files reach, as one report. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
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

/* The options every root is checked with. */
typedef struct ck_opts {
    const char *rev, *params;
    vd_schema_opts so;
    vd_policy_opts po;
} ck_opts;

/* Prints the messages of r collected since *printed. */
static void ck_diags(const cli_render *r, size_t *printed)
{
    if (r->d.nmsgs > *printed) {
        diag_ctx tail = r->d;
        tail.msgs += *printed;
        tail.nmsgs -= *printed;
        diag_print(&tail, stderr, isatty(2) && !getenv("NO_COLOR"));
    }
    *printed = r->d.nmsgs;
}

/* Renders and checks one root into the run; false after an input error (diagnostics printed). */
static bool ck_root(vd_merge *m, cli_render *r, const char *path, const ck_opts *o,
                    const cli_render *fl)
{
    size_t printed = 0;
    r->flux = fl->flux;
    r->flux_kustomization = fl->flux_kustomization;
    r->flux_config = fl->flux_config;
    bool ok = cli_render_path(r, path, o->rev, false, false, 0);
    ck_diags(r, &printed);
    if (!ok) return false;
    vd_policy_opts po = o->po;
    if (o->params && !ck_load_params(r, o->params, &po.params)) {
        ck_diags(r, &printed);
        return false;
    }
    vd_report rep = {0};
    rep.objects = r->set.n;
    ok = vd_schema_check(&r->a, &r->d, &r->set, &o->so, &rep) &&
         vd_policy_check(&r->a, &r->d, &r->set, &po, &rep);
    ck_diags(r, &printed);
    if (!ok) return false;
    vd_report_sort(&rep, &r->set);
    vd_merge_add(m, &r->d, &r->set, &rep);
    return true;
}

int cli_check(int argc, char **argv)
{
    const char *path = NULL, *base = NULL, *policy_set = "baseline,gitops";
    ck_opts o = {0};
    ck_format fmt = CK_TEXT;
    bool strict = false, require = false, affected = false, staged = false;
    const char **schemas = util_xmalloc((size_t)argc * sizeof *schemas);
    const char **policies = util_xmalloc((size_t)argc * sizeof *policies);
    const char **files = util_xmalloc((size_t)argc * sizeof *files);
    size_t nschemas = 0, npolicies = 0, nfiles = 0;
    int rc = 2;
    cli_render fl = {0}; /* the Flux flags, copied into every root's render */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool bad;
        if (cli_flux_flag("check", argc, argv, &i, &fl, &bad)) {
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
            o.params = v;
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
            o.rev = v;
        } else if (cli_flag_value(argc, argv, &i, "--base", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("check", "--base takes a git revision");
                goto out;
            }
            base = v;
        } else if (!strcmp(a, "--staged")) {
            staged = true;
        } else if (!strcmp(a, "--affected")) {
            affected = true;
        } else if (!strcmp(a, "--strict")) {
            strict = true;
        } else if (!strcmp(a, "--require-schemas")) {
            require = true;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error("check", "unknown flag '%s'", a);
            goto out;
        } else {
            files[nfiles++] = a;
        }
    }
    if (affected) {
        if ((nfiles > 0) + staged + (base != NULL) != 1) {
            rc = cli_usage_error("check", "--affected takes changed FILES, --staged or --base REV "
                                          "(one of them)");
            goto out;
        }
        if (o.rev) {
            rc = cli_usage_error("check", "--affected checks the working tree: no --rev");
            goto out;
        }
    } else {
        if (staged || base) {
            rc =
                cli_usage_error("check", "%s goes with --affected", staged ? "--staged" : "--base");
            goto out;
        }
        if (nfiles > 1) {
            rc = cli_usage_error("check",
                                 "more than one PATH ('%s' and '%s'; --affected takes "
                                 "changed files)",
                                 files[0], files[1]);
            goto out;
        }
        path = nfiles ? files[0] : ".";
    }
    arena keep; /* the roots, the merged report */
    ar_init(&keep);
    vd_merge run;
    vd_merge_init(&run, &keep);
    const char **roots = &path;
    size_t nroots = 1;
    if (affected &&
        !cli_affected_roots(&keep, nfiles ? files : NULL, nfiles, base, true, &roots, &nroots)) {
        vd_merge_free(&run);
        ar_free(&keep);
        goto out;
    }
    o.so = (vd_schema_opts){schemas, nschemas, strict, require, NULL};
    o.po = (vd_policy_opts){policies, npolicies, policy_set, NULL, NULL};
    cli_render *rs = ar_alloc(&keep, (nroots + 1) * sizeof *rs);
    size_t nrs = 0;
    bool ok = true;
    for (size_t i = 0; i < nroots && ok; i++) {
        if (!o.po.stdlib_dir) o.po.stdlib_dir = ck_stdlib_dir(&keep);
        ok = ck_root(&run, &rs[nrs++], roots[i], &o, &fl);
    }
    if (ok) {
        vd_merge_finish(&run);
        char *cwd = realpath(".", NULL);
        char *root = src_guess_root(nroots == 1 ? roots[0] : ".");
        vd_out_opts oo = {
            &run.files, root && strcmp(root, "/") ? root : NULL, cwd, KILN_VERSION, false, run.objs,
            run.nobjs};
        buf_t b = {0};
        switch (fmt) {
        case CK_TEXT:
            vd_report_text(&b, &keep, &run.rep, &oo);
            break;
        case CK_JSON:
            vd_report_json(&b, &keep, &run.rep, &oo);
            break;
        case CK_SARIF:
            vd_report_sarif(&b, &keep, &run.rep, &oo);
            break;
        case CK_JUNIT:
            vd_report_junit(&b, &keep, &run.rep, &oo);
            break;
        case CK_GITHUB:
            vd_report_github(&b, &keep, &run.rep, &oo);
            break;
        }
        fwrite(b.data, 1, b.len, stdout);
        buf_free(&b);
        free(cwd);
        free(root);
        rc = vd_report_count(&run.rep, VD_ERROR) ? 1 : 0;
    }
    for (size_t i = 0; i < nrs; i++)
        cli_render_free(&rs[i]);
    vd_merge_free(&run);
    ar_free(&keep);
out:
    cli_flux_free(&fl);
    free(schemas);
    free(policies);
    free(files);
    return rc;
}
