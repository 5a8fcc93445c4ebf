/* Prints a findings report in kiln check's five formats: text diagnostics, JSON, SARIF 2.1.0,
 * JUnit XML and GitHub Actions workflow commands. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "source/source.h"
#include "validate/validate.h"

/* GROUP/VERSION/KIND/NAMESPACE/NAME, every field kept (empty for the core group, cluster scope). */
static const char *out_object(arena *a, const ir_res *r)
{
    if (!r) return "";
    const ir_id *id = &r->id;
    return ar_printf(a, "%s/%s/%s/%s/%s", id->group, id->version, id->kind, id->ns, id->name);
}

static const char *out_file(const vd_out_opts *o, diag_pos pos)
{
    return pos.file && o->d ? diag_file_path(o->d, pos.file) : "";
}

static void out_json_str(buf_t *b, const char *s)
{
    em_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

/* "object: path: message" (each part only when present), the one-line form of a finding. */
static const char *out_line(arena *a, const vd_result *f)
{
    const char *obj = f->res ? ir_id_str(a, &f->res->id) : NULL;
    return ar_printf(a, "%s%s%s%s%s", obj ? obj : "", obj ? ": " : "", f->path,
                     *f->path ? ": " : "", f->message);
}

static void out_summary(buf_t *b, const vd_report *r)
{
    buf_printf(b, "kiln check: %zu objects, %zu errors, %zu warnings, %zu skipped\n", r->objects,
               vd_report_count(r, VD_ERROR), vd_report_count(r, VD_WARNING), r->nskips);
}

/* ---- text ---- */

void vd_report_text(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o)
{
    /* the findings go through a diagnostics context of their own that names the same files */
    diag_ctx d;
    diag_init(&d);
    for (size_t i = 1; o->d && i < o->d->nfiles; i++)
        diag_file_add(&d, o->d->files[i].path, o->d->files[i].text, o->d->files[i].len);
    d.max_errors = INT_MAX;
    for (size_t i = 0; i < r->n; i++) {
        const vd_result *f = &r->items[i];
        const char *obj = f->res ? ir_id_str(a, &f->res->id) : NULL;
        diag_pos pos = f->pos.file < d.nfiles ? f->pos : diag_nopos;
        if (f->sev == VD_ERROR)
            diag_error(&d, pos, "[%s] %s%s%s%s%s", f->rule, obj ? obj : "", obj ? ": " : "",
                       f->path, *f->path ? ": " : "", f->message);
        else
            diag_warn(&d, pos, "[%s] %s%s%s%s%s", f->rule, obj ? obj : "", obj ? ": " : "", f->path,
                      *f->path ? ": " : "", f->message);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    if (!m) util_oom();
    diag_print(&d, m, o->color);
    fclose(m);
    buf_put(b, text, len);
    free(text);
    diag_free(&d);
    for (size_t i = 0; i < r->nskips; i++) {
        const vd_skip *s = &r->skips[i];
        buf_printf(b, "kiln: skipped [%s] for %s%s%s\n", s->rule,
                   s->res ? ir_id_str(a, &s->res->id) : "", *s->reason ? ": " : "", s->reason);
    }
    out_summary(b, r);
}

/* ---- json ---- */

void vd_report_json(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o)
{
    buf_printf(b,
               "{\"summary\":{\"objects\":%zu,\"errors\":%zu,\"warnings\":%zu,\"skipped\":%zu},"
               "\"results\":[",
               r->objects, vd_report_count(r, VD_ERROR), vd_report_count(r, VD_WARNING), r->nskips);
    for (size_t i = 0; i < r->n; i++) {
        const vd_result *f = &r->items[i];
        buf_puts(b, i ? ",{\"severity\":" : "{\"severity\":");
        buf_puts(b, f->sev == VD_ERROR ? "\"error\"" : "\"warning\"");
        buf_puts(b, ",\"rule\":");
        out_json_str(b, f->rule);
        buf_puts(b, ",\"object\":");
        out_json_str(b, out_object(a, f->res));
        buf_puts(b, ",\"path\":");
        out_json_str(b, f->path);
        buf_puts(b, ",\"message\":");
        out_json_str(b, f->message);
        buf_puts(b, ",\"file\":");
        out_json_str(b, out_file(o, f->pos));
        buf_printf(b, ",\"line\":%u,\"col\":%u}", f->pos.line, f->pos.col);
    }
    buf_puts(b, "],\"skipped\":[");
    for (size_t i = 0; i < r->nskips; i++) {
        const vd_skip *s = &r->skips[i];
        buf_puts(b, i ? ",{\"rule\":" : "{\"rule\":");
        out_json_str(b, s->rule);
        buf_puts(b, ",\"object\":");
        out_json_str(b, out_object(a, s->res));
        buf_puts(b, ",\"reason\":");
        out_json_str(b, s->reason);
        buf_puts(b, "}");
    }
    buf_puts(b, "]}\n");
}

/* ---- file names for SARIF and GitHub ---- */

/* The file as the repository names it ("apps/web/deploy.yaml"), or NULL when it lies outside
 * o->root (or there is no root and the name is absolute); "" for no file. */
static const char *out_repo_path(arena *a, const vd_out_opts *o, const char *file)
{
    if (!*file) return "";
    if (!o->root) return file[0] == '/' ? NULL : src_clean(a, file);
    const char *full = file[0] == '/' || !o->cwd ? file : src_join(a, o->cwd, file);
    full = src_clean(a, full);
    if (!strcmp(full, o->root) || !src_is_within(o->root, full)) return NULL;
    size_t rl = strlen(o->root);
    return full + rl + (o->root[rl - 1] != '/');
}

/* Percent-encodes what RFC 3986 does not allow unescaped in a path, and ":" (which would read
 * as a scheme in the first segment of a relative reference). */
static void out_uri_path(buf_t *b, const char *p)
{
    for (; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~/!$&'()*+,;=@", c))
            buf_putc(b, (char)c);
        else
            buf_printf(b, "%%%02X", c);
    }
}

/* ---- sarif ---- */

static int out_cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static const char *out_rule_text(arena *a, const char *rule)
{
    if (!strcmp(rule, "schema")) return "Schema validation (OpenAPI v3 / JSON schema)";
    if (!strncmp(rule, "schema/", 7)) return ar_printf(a, "Schema validation: %s", rule + 7);
    return ar_printf(a, "Policy %s (ValidatingAdmissionPolicy)", rule);
}

static const char *out_rule_help(arena *a, const char *rule)
{
    if (!strncmp(rule, "schema", 6))
        return "The object does not match the OpenAPI schema of its kind (from a CRD in the "
               "render or a --schema source). Fix the field the result points at; `kiln check "
               "--strict` also reports unknown fields.";
    return ar_printf(a,
                     "The object violates the ValidatingAdmissionPolicy %s. Fix the field the "
                     "result points at, or annotate the object with kiln.dev/ignore: %s and a "
                     "kiln.dev/ignore-reason.",
                     rule, rule);
}

static void out_sarif_location(buf_t *b, arena *a, const vd_out_opts *o, const vd_result *f)
{
    const char *file = out_file(o, f->pos);
    const char *obj = out_object(a, f->res);
    if (!*file && !f->res) return; /* a run-level finding without a position: no location */
    buf_puts(b, ",\"locations\":[{");
    bool comma = false;
    if (*file) {
        const char *rel = out_repo_path(a, o, file);
        buf_puts(b, "\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        buf_t u = {0};
        if (rel) {
            out_uri_path(&u, rel);
        } else {
            buf_puts(&u, "file://");
            out_uri_path(&u, file[0] == '/' ? file : src_join(a, o->cwd ? o->cwd : "/", file));
        }
        em_json_string(b, u.data, u.len);
        buf_free(&u);
        if (rel) buf_puts(b, ",\"uriBaseId\":\"%SRCROOT%\"");
        buf_puts(b, "}");
        if (f->pos.line) {
            buf_printf(b, ",\"region\":{\"startLine\":%u", f->pos.line);
            if (f->pos.col) buf_printf(b, ",\"startColumn\":%u", f->pos.col);
            buf_puts(b, "}");
        }
        buf_puts(b, "}");
        comma = true;
    }
    if (f->res) {
        buf_puts(b,
                 comma ? ",\"logicalLocations\":[{\"name\":" : "\"logicalLocations\":[{\"name\":");
        out_json_str(b, f->res->id.name);
        buf_puts(b, ",\"fullyQualifiedName\":");
        out_json_str(b, obj);
        buf_puts(b, ",\"kind\":\"resource\"}]");
    }
    buf_puts(b, "}]");
}

void vd_report_sarif(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o)
{
    /* the rules: every rule id that has a finding, sorted; ruleIndex points into this list */
    const char **rules = ar_alloc(a, (r->n + 1) * sizeof *rules);
    size_t nrules = 0;
    for (size_t i = 0; i < r->n; i++)
        rules[nrules++] = r->items[i].rule;
    qsort(rules, nrules, sizeof *rules, out_cmp_str);
    size_t u = 0;
    for (size_t i = 0; i < nrules; i++)
        if (!u || strcmp(rules[u - 1], rules[i])) rules[u++] = rules[i];
    nrules = u;
    buf_puts(b,
             "{\"version\":\"2.1.0\",\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\","
             "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"kiln\",\"version\":");
    out_json_str(b, o->version ? o->version : "");
    buf_puts(b, ",\"informationUri\":\"https://kiln.dev/\",\"rules\":[");
    for (size_t i = 0; i < nrules; i++) {
        bool err = false;
        for (size_t j = 0; j < r->n && !err; j++)
            err = r->items[j].sev == VD_ERROR && !strcmp(r->items[j].rule, rules[i]);
        buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
        out_json_str(b, rules[i]);
        buf_puts(b, ",\"name\":");
        out_json_str(b, rules[i]);
        const char *text = out_rule_text(a, rules[i]);
        buf_puts(b, ",\"shortDescription\":{\"text\":");
        out_json_str(b, text);
        buf_puts(b, "},\"fullDescription\":{\"text\":");
        out_json_str(b, text);
        buf_puts(b, "},\"help\":{\"text\":");
        out_json_str(b, out_rule_help(a, rules[i]));
        buf_printf(b, "},\"defaultConfiguration\":{\"level\":\"%s\"}}", err ? "error" : "warning");
    }
    buf_puts(b, "]}},\"originalUriBaseIds\":{\"%SRCROOT%\":{\"description\":{\"text\":"
                "\"The root of the repository checked.\"}}},\"results\":[");
    uint64_t *hashes = ar_alloc(a, (r->n + 1) * sizeof *hashes);
    for (size_t i = 0; i < r->n; i++) {
        const vd_result *f = &r->items[i];
        const char **hit = bsearch(&f->rule, rules, nrules, sizeof *rules, out_cmp_str);
        const char *obj = out_object(a, f->res);
        buf_puts(b, i ? ",{\"ruleId\":" : "{\"ruleId\":");
        out_json_str(b, f->rule);
        buf_printf(b, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":",
                   (size_t)(hit - rules), f->sev == VD_ERROR ? "error" : "warning");
        out_json_str(b, out_line(a, f));
        buf_puts(b, "}");
        out_sarif_location(b, a, o, f);
        /* a fingerprint that survives edits moving the lines: rule, object and field path
         * (and, as GitHub's own fingerprints do, which occurrence of that hash this is) */
        buf_t key = {0};
        buf_put(&key, f->rule, strlen(f->rule) + 1);
        buf_put(&key, obj, strlen(obj) + 1);
        buf_put(&key, f->path, strlen(f->path));
        hashes[i] = util_hash(key.data ? key.data : "", key.len);
        buf_free(&key);
        size_t nth = 1;
        for (size_t j = 0; j < i; j++)
            nth += hashes[j] == hashes[i];
        buf_printf(b,
                   ",\"partialFingerprints\":{\"kilnFinding/v1\":\"%016llx\","
                   "\"primaryLocationLineHash\":\"%016llx:%zu\"}",
                   (unsigned long long)hashes[i], (unsigned long long)hashes[i], nth);
        buf_puts(b, ",\"properties\":{\"object\":");
        out_json_str(b, obj);
        buf_puts(b, ",\"path\":");
        out_json_str(b, f->path);
        buf_puts(b, "}}");
    }
    buf_puts(b, "]");
    if (r->nskips) {
        buf_puts(b, ",\"properties\":{\"skipped\":[");
        for (size_t i = 0; i < r->nskips; i++) {
            const vd_skip *s = &r->skips[i];
            buf_puts(b, i ? ",{\"rule\":" : "{\"rule\":");
            out_json_str(b, s->rule);
            buf_puts(b, ",\"object\":");
            out_json_str(b, out_object(a, s->res));
            buf_puts(b, ",\"reason\":");
            out_json_str(b, s->reason);
            buf_puts(b, "}");
        }
        buf_puts(b, "]}");
    }
    buf_puts(b, "}]}\n");
}

/* ---- junit ---- */

/* XML text or attribute value: the five entities; control characters XML 1.0 cannot carry
 * become U+FFFD. */
static void out_xml(buf_t *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            buf_puts(b, "&amp;");
            break;
        case '<':
            buf_puts(b, "&lt;");
            break;
        case '>':
            buf_puts(b, "&gt;");
            break;
        case '"':
            buf_puts(b, "&quot;");
            break;
        case '\'':
            buf_puts(b, "&apos;");
            break;
        case '\t':
            buf_puts(b, "&#9;");
            break;
        case '\n':
            buf_puts(b, "&#10;");
            break;
        case '\r':
            buf_puts(b, "&#13;");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                buf_puts(b, "&#xFFFD;");
            else
                buf_putc(b, (char)c);
        }
    }
}

/* Text content keeps its newlines as they are. */
static void out_xml_text(buf_t *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            buf_putc(b, '\n');
        else {
            char one[2] = {*s, 0};
            out_xml(b, one);
        }
    }
}

/* An index entry: the object (NULL: the run itself) and the item's position in the report. */
typedef struct out_ref {
    const ir_res *res;
    size_t i;
} out_ref;

static int out_ref_cmp(const void *x, const void *y)
{
    const out_ref *p = x, *q = y;
    if (p->res != q->res) return (uintptr_t)p->res < (uintptr_t)q->res ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

static int out_seq_cmp(const void *x, const void *y)
{
    const out_ref *p = x, *q = y;
    return (p->i > q->i) - (p->i < q->i);
}

/* The range [*lo, *hi) of refs (sorted) whose object is res. */
static void out_ref_range(const out_ref *refs, size_t n, const ir_res *res, size_t *lo, size_t *hi)
{
    size_t l = 0, h = n;
    while (l < h) {
        size_t m = l + (h - l) / 2;
        if ((uintptr_t)refs[m].res < (uintptr_t)res)
            l = m + 1;
        else
            h = m;
    }
    *lo = l;
    while (l < n && refs[l].res == res)
        l++;
    *hi = l;
}

typedef struct out_junit {
    buf_t suites;
    size_t tests, failures, skipped;
} out_junit;

/* One testsuite: the object's findings grouped by rule (a testcase each), its skips. */
static void out_junit_suite(out_junit *j, arena *a, const vd_report *r, const vd_out_opts *o,
                            const ir_res *res, const out_ref *fr, size_t nf, const out_ref *sr,
                            size_t ns)
{
    const char *name = res ? ir_id_str(a, &res->id) : "kiln";
    buf_t cases = {0};
    size_t tests = 0, failures = 0, skipped = 0;
    bool *done = ar_alloc(a, nf + 1);
    for (size_t k = 0; k < nf; k++) {
        if (done[k]) continue;
        const char *rule = r->items[fr[k].i].rule;
        const vd_result *first = &r->items[fr[k].i], *ferr = NULL;
        buf_t body = {0};
        for (size_t m = k; m < nf; m++) {
            const vd_result *f = &r->items[fr[m].i];
            if (done[m] || strcmp(f->rule, rule)) continue;
            done[m] = true;
            if (f->sev == VD_ERROR && !ferr) ferr = f;
            const char *file = out_file(o, f->pos);
            if (*file) buf_printf(&body, "%s:%u:%u: ", file, f->pos.line, f->pos.col);
            buf_printf(&body, "%s: %s%s%s\n", f->sev == VD_ERROR ? "error" : "warning", f->path,
                       *f->path ? ": " : "", f->message);
        }
        tests++;
        buf_puts(&cases, "    <testcase classname=\"");
        out_xml(&cases, name);
        buf_puts(&cases, "\" name=\"");
        out_xml(&cases, rule);
        const char *file = out_file(o, first->pos);
        if (*file) {
            buf_puts(&cases, "\" file=\"");
            out_xml(&cases, file);
            buf_printf(&cases, "\" line=\"%u", first->pos.line);
        }
        buf_puts(&cases, "\">\n");
        if (ferr) {
            failures++;
            buf_puts(&cases, "      <failure type=\"error\" message=\"");
            out_xml(&cases, ferr->message);
            buf_puts(&cases, "\">");
            out_xml_text(&cases, buf_cstr(&body));
            buf_puts(&cases, "</failure>\n");
        } else {
            buf_puts(&cases, "      <system-out>");
            out_xml_text(&cases, buf_cstr(&body));
            buf_puts(&cases, "</system-out>\n");
        }
        buf_puts(&cases, "    </testcase>\n");
        buf_free(&body);
    }
    for (size_t k = 0; k < ns; k++) {
        const vd_skip *s = &r->skips[sr[k].i];
        tests++;
        skipped++;
        buf_puts(&cases, "    <testcase classname=\"");
        out_xml(&cases, name);
        buf_puts(&cases, "\" name=\"");
        out_xml(&cases, s->rule);
        buf_puts(&cases, "\">\n      <skipped message=\"");
        out_xml(&cases, *s->reason ? s->reason : "kiln.dev/ignore");
        buf_puts(&cases, "\"/>\n    </testcase>\n");
    }
    if (!tests) { /* checked, nothing found */
        tests = 1;
        buf_puts(&cases, "    <testcase classname=\"");
        out_xml(&cases, name);
        buf_puts(&cases, "\" name=\"valid\"/>\n");
    }
    buf_puts(&j->suites, "  <testsuite name=\"");
    out_xml(&j->suites, name);
    buf_printf(&j->suites, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
               tests, failures, skipped);
    buf_put(&j->suites, cases.data, cases.len);
    buf_puts(&j->suites, "  </testsuite>\n");
    buf_free(&cases);
    j->tests += tests;
    j->failures += failures;
    j->skipped += skipped;
}

void vd_report_junit(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o)
{
    /* findings and skips indexed by object; the suites follow o->objs, then any other object
     * in the order its first finding or skip comes */
    out_ref *fr = ar_alloc(a, (r->n + 1) * sizeof *fr),
            *sr = ar_alloc(a, (r->nskips + 1) * sizeof *sr);
    for (size_t i = 0; i < r->n; i++)
        fr[i] = (out_ref){r->items[i].res, i};
    for (size_t i = 0; i < r->nskips; i++)
        sr[i] = (out_ref){r->skips[i].res, i};
    qsort(fr, r->n, sizeof *fr, out_ref_cmp);
    qsort(sr, r->nskips, sizeof *sr, out_ref_cmp);
    size_t nall = o->nobjs + r->n + r->nskips;
    out_ref *order = ar_alloc(a, (nall + 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < o->nobjs; i++, n++)
        order[n] = (out_ref){o->objs[i], n};
    for (size_t i = 0; i < r->n; i++, n++)
        order[n] = (out_ref){r->items[i].res, n};
    for (size_t i = 0; i < r->nskips; i++, n++)
        order[n] = (out_ref){r->skips[i].res, n};
    /* keep the first occurrence of every object, then back to that order */
    qsort(order, n, sizeof *order, out_ref_cmp);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!i || order[i].res != order[i - 1].res) order[u++] = order[i];
    n = u;
    qsort(order, n, sizeof *order, out_seq_cmp);
    out_junit j = {.suites = {0}};
    for (size_t i = 0; i < n; i++) {
        const ir_res *res = order[i].res;
        size_t flo, fhi, slo, shi;
        out_ref_range(fr, r->n, res, &flo, &fhi);
        out_ref_range(sr, r->nskips, res, &slo, &shi);
        out_junit_suite(&j, a, r, o, res, fr + flo, fhi - flo, sr + slo, shi - slo);
    }
    buf_printf(b,
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"kiln check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
               "skipped=\"%zu\">\n",
               j.tests, j.failures, j.skipped);
    buf_put(b, j.suites.data, j.suites.len);
    buf_puts(b, "</testsuites>\n");
    buf_free(&j.suites);
}

/* ---- github ---- */

/* Workflow command escaping: data escapes %, CR and LF; a property value also : and ,. */
static void out_gh(buf_t *b, const char *s, bool property)
{
    for (; *s; s++) {
        switch (*s) {
        case '%':
            buf_puts(b, "%25");
            break;
        case '\r':
            buf_puts(b, "%0D");
            break;
        case '\n':
            buf_puts(b, "%0A");
            break;
        case ':':
            if (property)
                buf_puts(b, "%3A");
            else
                buf_putc(b, ':');
            break;
        case ',':
            if (property)
                buf_puts(b, "%2C");
            else
                buf_putc(b, ',');
            break;
        default:
            buf_putc(b, *s);
        }
    }
}

void vd_report_github(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o)
{
    for (size_t i = 0; i < r->n; i++) {
        const vd_result *f = &r->items[i];
        buf_puts(b, f->sev == VD_ERROR ? "::error " : "::warning ");
        const char *file = out_file(o, f->pos);
        if (*file) {
            const char *rel = out_repo_path(a, o, file);
            buf_puts(b, "file=");
            out_gh(b, rel ? rel : file, true);
            if (f->pos.line) buf_printf(b, ",line=%u", f->pos.line);
            if (f->pos.line && f->pos.col) buf_printf(b, ",col=%u", f->pos.col);
            buf_putc(b, ',');
        }
        buf_puts(b, "title=");
        out_gh(b, ar_printf(a, "[%s]", f->rule), true);
        buf_puts(b, "::");
        out_gh(b, out_line(a, f), false);
        buf_putc(b, '\n');
    }
    for (size_t i = 0; i < r->nskips; i++) {
        const vd_skip *s = &r->skips[i];
        buf_puts(b, "::notice title=");
        out_gh(b, ar_printf(a, "[%s] skipped", s->rule), true);
        buf_puts(b, "::");
        out_gh(b,
               ar_printf(a, "%s%s%s", s->res ? ir_id_str(a, &s->res->id) : "",
                         *s->reason ? ": " : "", s->reason),
               false);
        buf_putc(b, '\n');
    }
    out_summary(b, r);
}
