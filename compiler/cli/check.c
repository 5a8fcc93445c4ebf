/* `kiln check`: renders PATH, validates the objects against schemas and policies, and prints
 * the findings as text, JSON, SARIF, JUnit or GitHub annotations (exit 0 clean, 1 findings). */
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

/* One run over one or more roots: the renders stay alive until the report is printed (the
 * findings point into them); their files are gathered into one diagnostics context. An object
 * that two roots render from the same source document with the same identity (a shared base
 * under two clusters) is reported as one object, and a finding or skip that two roots report
 * alike is reported once. */
typedef struct ck_seen {
    const char *key;
    const void *val;
} ck_seen;

typedef struct ck_run {
    arena keep;
    diag_ctx files;
    vd_report rep;
    const ir_res **objs;
    size_t nobjs, capobjs;
    ck_seen *seen; /* open addressing map of object, finding and skip keys */
    size_t nseen, capseen;
} ck_run;

/* The value stored under key, after storing val there if key is new. */
static const void *ck_intern(ck_run *run, const char *key, const void *val)
{
    if (2 * (run->nseen + 1) > run->capseen) {
        size_t cap = run->capseen ? 2 * run->capseen : 64;
        ck_seen *t = ar_alloc(&run->keep, cap * sizeof *t);
        memset(t, 0, cap * sizeof *t);
        for (size_t i = 0; i < run->capseen; i++) {
            if (!run->seen[i].key) continue;
            size_t h = util_hash(run->seen[i].key, strlen(run->seen[i].key)) & (cap - 1);
            while (t[h].key)
                h = (h + 1) & (cap - 1);
            t[h] = run->seen[i];
        }
        run->seen = t;
        run->capseen = cap;
    }
    size_t h = util_hash(key, strlen(key)) & (run->capseen - 1);
    for (; run->seen[h].key; h = (h + 1) & (run->capseen - 1))
        if (!strcmp(run->seen[h].key, key)) return run->seen[h].val;
    run->seen[h] = (ck_seen){key, val};
    run->nseen++;
    return val;
}

static const char *ck_id(arena *a, const ir_res *r)
{
    if (!r) return "";
    const ir_id *id = &r->id;
    return ar_printf(a, "%s/%s/%s/%s/%s", id->group, id->version, id->kind, id->ns, id->name);
}

/* The object standing for res in the run: the first one of its identity and source. */
static const ir_res *ck_object(ck_run *run, const cli_render *r, const ir_res *res)
{
    if (!res) return NULL;
    arena *a = &run->keep;
    const char *key = ar_printf(a, "o\x1f%s\x1f%s:%u:%u", ck_id(a, res),
                                diag_file_path(&r->d, res->pos.file), res->pos.line, res->pos.col);
    return ck_intern(run, key, res);
}

/* Moves one root's checked objects, findings and skips into the run's report. */
static void ck_merge(ck_run *run, const cli_render *r, const vd_report *rep)
{
    arena *a = &run->keep;
    uint32_t off = (uint32_t)run->files.nfiles - 1;
    for (size_t i = 1; i < r->d.nfiles; i++)
        diag_file_add(&run->files, r->d.files[i].path, r->d.files[i].text, r->d.files[i].len);
    for (size_t i = 0; i < r->set.n; i++) {
        const ir_res *res = r->set.items[i];
        if (ck_object(run, r, res) != res) continue;
        if (run->nobjs == run->capobjs) {
            size_t cap = run->capobjs ? 2 * run->capobjs : 64;
            run->objs =
                ar_realloc(a, run->objs, run->capobjs * sizeof *run->objs, cap * sizeof *run->objs);
            run->capobjs = cap;
        }
        run->objs[run->nobjs++] = res;
    }
    run->rep.objects = run->nobjs;
    vd_report *to = &run->rep;
    for (size_t i = 0; i < rep->n; i++) {
        vd_result f = rep->items[i];
        f.res = ck_object(run, r, f.res);
        const char *key =
            ar_printf(a, "f\x1f%d\x1f%s\x1f%p\x1f%s\x1f%s\x1f%u:%u\x1f%s", (int)f.sev, f.rule,
                      (const void *)f.res, f.path, diag_file_path(&r->d, f.pos.file), f.pos.line,
                      f.pos.col, f.message);
        if (ck_intern(run, key, key) != key) continue;
        if (f.pos.file) f.pos.file += off;
        if (to->n == to->cap) {
            size_t cap = to->cap ? 2 * to->cap : 16;
            to->items =
                ar_realloc(a, to->items, to->cap * sizeof *to->items, cap * sizeof *to->items);
            to->cap = cap;
        }
        to->items[to->n++] = f;
    }
    for (size_t i = 0; i < rep->nskips; i++) {
        const vd_skip *s = &rep->skips[i];
        const ir_res *res = ck_object(run, r, s->res);
        const char *key =
            ar_printf(a, "s\x1f%s\x1f%p\x1f%s", s->rule, (const void *)res, s->reason);
        if (ck_intern(run, key, key) == key) vd_report_skip(a, to, res, s->rule, s->reason);
    }
}

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
static bool ck_root(ck_run *run, cli_render *r, const char *path, const ck_opts *o)
{
    size_t printed = 0;
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
    ck_merge(run, r, &rep);
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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
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
    ck_run run = {.rep = {0}};
    ar_init(&run.keep);
    diag_init(&run.files);
    const char **roots = &path;
    size_t nroots = 1;
    if (affected && !cli_affected_roots(&run.keep, nfiles ? files : NULL, nfiles, base, true,
                                        &roots, &nroots)) {
        diag_free(&run.files);
        ar_free(&run.keep);
        goto out;
    }
    o.so = (vd_schema_opts){schemas, nschemas, strict, require, NULL};
    o.po = (vd_policy_opts){policies, npolicies, policy_set, NULL, NULL};
    cli_render *rs = ar_alloc(&run.keep, (nroots + 1) * sizeof *rs);
    size_t nrs = 0;
    bool ok = true;
    for (size_t i = 0; i < nroots && ok; i++) {
        if (!o.po.stdlib_dir) o.po.stdlib_dir = ck_stdlib_dir(&run.keep);
        ok = ck_root(&run, &rs[nrs++], roots[i], &o);
    }
    if (ok) {
        /* one order over every root's objects (a finding may stand for an earlier root's) */
        ir_resset all = {.items = (ir_res **)run.objs, .n = run.nobjs};
        vd_report_sort(&run.rep, &all);
        char *cwd = realpath(".", NULL);
        char *root = src_guess_root(nroots == 1 ? roots[0] : ".");
        vd_out_opts oo = {
            &run.files, root && strcmp(root, "/") ? root : NULL, cwd, KILN_VERSION, false, run.objs,
            run.nobjs};
        buf_t b = {0};
        switch (fmt) {
        case CK_TEXT:
            vd_report_text(&b, &run.keep, &run.rep, &oo);
            break;
        case CK_JSON:
            vd_report_json(&b, &run.keep, &run.rep, &oo);
            break;
        case CK_SARIF:
            vd_report_sarif(&b, &run.keep, &run.rep, &oo);
            break;
        case CK_JUNIT:
            vd_report_junit(&b, &run.keep, &run.rep, &oo);
            break;
        case CK_GITHUB:
            vd_report_github(&b, &run.keep, &run.rep, &oo);
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
    diag_free(&run.files);
    ar_free(&run.keep);
out:
    free(schemas);
    free(policies);
    free(files);
    return rc;
}
