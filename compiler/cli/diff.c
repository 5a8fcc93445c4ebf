/* `kiln diff`: renders PATH, loads a live snapshot and prints what applying the render would
 * create, update and prune, as text or JSON; exit 0 without changes, 1 with, 2 on errors. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "diff/diff.h"
#include "emit/emit.h"

typedef struct diff_out {
    buf_t b;
    bool color;
} diff_out;

static const char *const action_name[] = {"create", "update", "prune", "unchanged"};

/* --color always|never|auto: auto colours a terminal unless NO_COLOR is set. */
static bool use_color(const char *when)
{
    return !strcmp(when, "always") || (!strcmp(when, "auto") && isatty(1) && !getenv("NO_COLOR"));
}

/* "N to create, N to update, N to prune, N unchanged", the head of every report. */
static void summary_line(buf_t *b, const df_result *res)
{
    buf_printf(b, "%zu to create, %zu to update, %zu to prune, %zu unchanged",
               res->count[DF_CREATE], res->count[DF_UPDATE], res->count[DF_PRUNE],
               res->count[DF_UNCHANGED]);
}

static void paint(diff_out *o, const char *code, const char *text)
{
    if (o->color) buf_printf(&o->b, "\033[%sm", code);
    buf_puts(&o->b, text);
    if (o->color) buf_puts(&o->b, "\033[0m");
}

/* A value on one line: strings as they are, everything else as compact JSON. */
static void text_value(buf_t *b, const ir_node *n)
{
    if (n->kind == IR_SCALAR && n->tag == IR_TAG_STR && n->sc.n &&
        !memchr(n->sc.s, '\n', n->sc.n)) {
        buf_puts(b, n->sc.s);
        return;
    }
    size_t at = b->len;
    em_json_doc(b, n, 0);
    if (b->len > at) b->len--; /* the newline */
}

/* Secret data values of an object to create are replaced before printing. */
static const ir_node *masked(arena *a, const ir_res *r)
{
    if (*r->id.group || strcmp(r->id.kind, "Secret")) return r->obj;
    ir_node *o = ir_clone(a, r->obj);
    const char *keys[] = {"data", "stringData"};
    for (size_t k = 0; k < 2; k++) {
        ir_node *m = ir_map_get(o, keys[k]);
        if (!m || m->kind != IR_MAP) continue;
        for (size_t i = 0; i < m->map.n; i++)
            m->map.items[i].val = ir_str(a, "(redacted)", m->map.items[i].val->pos);
    }
    return o;
}

/* Splits text into lines (without their newlines) in the arena. */
static size_t split_lines(arena *a, const char *text, const char ***out)
{
    size_t n = 0;
    for (const char *s = text; *s; s++)
        if (*s == '\n') n++;
    const char **l = ar_alloc(a, (n + 1) * sizeof *l);
    size_t i = 0;
    for (const char *s = text, *e; *s && i < n; s = e + 1, i++) {
        e = strchr(s, '\n');
        l[i] = ar_strndup(a, s, (size_t)(e - s));
    }
    *out = l;
    return i;
}

/* A unified diff (3 lines of context, @@ hunk headers) of the live view and the render, by
 * longest common subsequence of lines; objects too large for that are left to the path list above.
 */
static void text_line_diff(diff_out *o, arena *a, const ir_node *old, const ir_node *new)
{
    buf_t x = {0}, y = {0};
    em_yaml_doc(&x, old);
    em_yaml_doc(&y, new);
    const char **ol, **nl;
    size_t n = split_lines(a, buf_cstr(&x), &ol), m = split_lines(a, buf_cstr(&y), &nl);
    buf_free(&x);
    buf_free(&y);
    if ((n + 1) * (m + 1) > (size_t)4 << 20) {
        buf_puts(&o->b, "    (object too large for a line diff; the changed paths are above)\n");
        return;
    }
    /* lcs[i][j]: common lines of ol[i..] and nl[j..] */
    uint32_t *lcs = ar_alloc(a, (n + 1) * (m + 1) * sizeof *lcs);
#define LCS(i, j) lcs[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            LCS(i, j) = !strcmp(ol[i], nl[j])           ? LCS(i + 1, j + 1) + 1
                        : LCS(i + 1, j) > LCS(i, j + 1) ? LCS(i + 1, j)
                                                        : LCS(i, j + 1);
    /* the edit script: ' ' kept, '-' old only, '+' new only */
    size_t cap = n + m + 1, k = 0;
    char *op = ar_alloc(a, cap);
    const char **line = ar_alloc(a, cap * sizeof *line);
    for (size_t i = 0, j = 0; i < n || j < m;) {
        if (i < n && j < m && !strcmp(ol[i], nl[j]))
            op[k] = ' ', line[k++] = ol[i++], j++;
        else if (i < n && (j == m || LCS(i + 1, j) >= LCS(i, j + 1)))
            op[k] = '-', line[k++] = ol[i++];
        else
            op[k] = '+', line[k++] = nl[j++];
    }
#undef LCS
    /* hunks: runs of script entries within 3 lines of a change, each under an @@ header
     * with its line ranges in the live view (-) and the render (+), as diff -u writes them */
    bool *show = ar_alloc(a, k + 1);
    for (size_t e = 0; e < k; e++)
        if (op[e] != ' ')
            for (size_t d = e >= 3 ? e - 3 : 0; d <= e + 3 && d < k; d++)
                show[d] = true;
    size_t oline = 1, nline = 1; /* line numbers of entry e on each side */
    for (size_t e = 0; e < k;) {
        if (!show[e]) {
            oline += op[e] != '+';
            nline += op[e] != '-';
            e++;
            continue;
        }
        size_t end = e, oc = 0, nc = 0;
        for (; end < k && show[end]; end++)
            oc += op[end] != '+', nc += op[end] != '-';
        buf_t h = {0};
        buf_printf(&h, "    @@ -%zu,%zu +%zu,%zu @@", oc ? oline : oline - 1, oc,
                   nc ? nline : nline - 1, nc);
        paint(o, "36", buf_cstr(&h));
        buf_putc(&o->b, '\n');
        buf_free(&h);
        for (; e < end; e++) {
            buf_t l = {0};
            buf_printf(&l, "    %c %s", op[e], line[e]);
            paint(o, op[e] == '+' ? "32" : op[e] == '-' ? "31" : "", buf_cstr(&l));
            buf_putc(&o->b, '\n');
            buf_free(&l);
            oline += op[e] != '+';
            nline += op[e] != '-';
        }
    }
}

static void text_object(diff_out *o, arena *a, const df_obj *ob)
{
    static const char *const sign[] = {"+", "~", "-", " "}, *const col[] = {"32", "33", "31", ""};
    char head[16];
    snprintf(head, sizeof head, "%s %s", sign[ob->action], action_name[ob->action]);
    paint(o, col[ob->action], head);
    buf_printf(&o->b, " %s\n", ob->id);
    if (ob->action == DF_CREATE) {
        buf_t y = {0};
        em_yaml_doc(&y, masked(a, ob->want));
        for (const char *s = buf_cstr(&y), *e; *s; s = e + 1) {
            e = strchr(s, '\n');
            if (!e) e = s + strlen(s);
            buf_t line = {0};
            buf_puts(&line, "    + ");
            buf_put(&line, s, (size_t)(e - s));
            paint(o, "32", buf_cstr(&line));
            buf_putc(&o->b, '\n');
            buf_free(&line);
            if (!*e) break;
        }
        buf_free(&y);
    }
    for (size_t i = 0; i < ob->nch; i++) {
        const df_change *c = &ob->ch[i];
        buf_t line = {0};
        buf_printf(&line, "    %s %s: ",
                   c->op == DF_OP_ADD      ? "+"
                   : c->op == DF_OP_REMOVE ? "-"
                                           : "~",
                   c->path);
        if (c->secret) {
            buf_puts(&line, c->op == DF_OP_REMOVE ? "(removed)"
                            : c->op == DF_OP_ADD  ? "(added)"
                                                  : "(changed)");
        } else if (c->op == DF_OP_REPLACE) {
            text_value(&line, c->old);
            buf_puts(&line, " -> ");
            text_value(&line, c->new);
        } else {
            text_value(&line, c->op == DF_OP_ADD ? c->new : c->old);
        }
        paint(o, c->op == DF_OP_ADD ? "32" : c->op == DF_OP_REMOVE ? "31" : "33", buf_cstr(&line));
        buf_putc(&o->b, '\n');
        buf_free(&line);
    }
    /* Secrets show paths only: a line diff would print their values */
    if (ob->action == DF_UPDATE && ob->live_view &&
        (*ob->want->id.group || strcmp(ob->want->id.kind, "Secret")))
        text_line_diff(o, a, ob->live_view, ob->want->obj);
}

static void json_value(buf_t *b, const char *key, const ir_node *n, bool secret)
{
    buf_printf(b, ", \"%s\": ", key);
    if (secret) {
        buf_puts(b, "\"(redacted)\"");
        return;
    }
    size_t at = b->len;
    em_json_doc(b, n, 0);
    if (b->len > at) b->len--;
}

static void json_report(buf_t *b, const df_result *res)
{
    buf_printf(b,
               "{\"summary\": {\"create\": %zu, \"update\": %zu, \"prune\": %zu, \"unchanged\": "
               "%zu}, \"objects\": [",
               res->count[DF_CREATE], res->count[DF_UPDATE], res->count[DF_PRUNE],
               res->count[DF_UNCHANGED]);
    bool first = true;
    for (size_t i = 0; i < res->n; i++) {
        const df_obj *ob = &res->objs[i];
        if (ob->action == DF_UNCHANGED) continue;
        buf_puts(b, first ? "\n  " : ",\n  ");
        first = false;
        buf_puts(b, "{\"id\": ");
        em_json_string(b, ob->id, strlen(ob->id));
        buf_printf(b, ", \"action\": \"%s\", \"changes\": [", action_name[ob->action]);
        for (size_t j = 0; j < ob->nch; j++) {
            const df_change *c = &ob->ch[j];
            static const char *const op[] = {"replace", "add", "remove"};
            buf_puts(b, j ? ", {\"path\": " : "{\"path\": ");
            em_json_string(b, c->path, strlen(c->path));
            buf_printf(b, ", \"op\": \"%s\"", op[c->op]);
            if (c->old) json_value(b, "old", c->old, c->secret);
            if (c->new) json_value(b, "new", c->new, c->secret);
            buf_putc(b, '}');
        }
        buf_puts(b, "]}");
    }
    buf_puts(b, first ? "]}\n" : "\n]}\n");
}

/* Markdown for a pull-request comment: a summary table, then one collapsible section per
 * changed object holding its text report. Objects past the size limit are counted, not shown:
 * GitHub refuses comments over 65,536 characters. */
#define MD_LIMIT 60000

static void markdown_report(buf_t *b, arena *a, const df_result *res)
{
    static const char *const sign[] = {"+", "~", "-", ""};
    buf_puts(b, "### kiln diff: ");
    summary_line(b, res);
    buf_puts(b, "\n\n");
    if (res->count[DF_CREATE] + res->count[DF_UPDATE] + res->count[DF_PRUNE] == 0) {
        buf_puts(b, "No changes.\n");
        return;
    }
    buf_puts(b, "| | action | object | changed fields |\n|---|---|---|---|\n");
    for (size_t i = 0; i < res->n; i++) {
        const df_obj *ob = &res->objs[i];
        if (ob->action == DF_UNCHANGED) continue;
        buf_printf(b, "| %s | %s | `%s` | ", sign[ob->action], action_name[ob->action], ob->id);
        if (ob->action == DF_UPDATE)
            buf_printf(b, "%zu |\n", ob->nch);
        else
            buf_puts(b, ob->action == DF_CREATE ? "new object |\n" : "no longer rendered |\n");
    }
    buf_putc(b, '\n');
    size_t left = 0;
    for (size_t i = 0; i < res->n; i++) {
        const df_obj *ob = &res->objs[i];
        if (ob->action == DF_UNCHANGED || ob->action == DF_PRUNE) continue; /* table says it */
        if (left) { /* once one section did not fit, the rest are only counted */
            left++;
            continue;
        }
        diff_out one = {.b = {0}, .color = false};
        text_object(&one, a, ob);
        buf_t sec = {0};
        buf_printf(&sec, "<details><summary>%s <code>%s</code></summary>\n\n````diff\n",
                   action_name[ob->action], ob->id);
        /* the report minus its header line, signs moved to the first column for highlighting */
        const char *t = strchr(buf_cstr(&one.b), '\n');
        for (t = t ? t + 1 : ""; *t;) {
            const char *e = strchr(t, '\n');
            size_t n = e ? (size_t)(e - t) : strlen(t);
            size_t skip = n >= 4 && !strncmp(t, "    ", 4) ? 4 : 0;
            buf_put(&sec, t + skip, n - skip);
            buf_putc(&sec, '\n');
            t += n + (e != NULL);
        }
        buf_puts(&sec, "````\n\n</details>\n\n");
        if (b->len + sec.len > MD_LIMIT)
            left++;
        else
            buf_put(b, sec.data, sec.len);
        buf_free(&sec);
        buf_free(&one.b);
    }
    if (left)
        buf_printf(b,
                   "_%zu more changed object%s not shown: the comment was cut to fit a pull "
                   "request. Run `kiln diff` locally for the full report._\n",
                   left, left == 1 ? " is" : "s are");
}

/* --watch: renders PATH, then after every change in the repository renders it again and
 * prints what changed since the previous render (objects compared by content hash first). */
static int diff_watch(const char *path, bool color)
{
    cli_render prev = {0};
    if (!cli_render_path(&prev, path, NULL, false, false, 0)) {
        cli_render_print_diags(&prev);
        cli_render_release(&prev);
        return 2;
    }
    /* the repository; outside git (root "/"), PATH's own directory */
    char *own = NULL;
    const char *wroot = prev.src.root;
    if (!strcmp(wroot, "/")) {
        own = realpath(path, NULL);
        if (own && src_stat(&prev.src, own) == SRC_FILE) *strrchr(own, '/') = '\0';
        wroot = own && *own ? own : "/";
    }
    src_watch *w = strcmp(wroot, "/") ? src_watch_open(wroot) : NULL;
    if (!w) {
        fprintf(stderr, "kiln diff: error: cannot watch %s for changes\n", wroot);
        free(own);
        cli_render_release(&prev);
        return 2;
    }
    fprintf(stderr, "kiln diff --watch: %zu objects from %s; watching %s (Ctrl-C stops)\n",
            prev.set.n, path, wroot);
    free(own);
    df_opts opts = {.rev_mode = true};
    while (src_watch_wait(w, 30)) {
        cli_render cur = {0};
        if (!cli_render_path(&cur, path, NULL, false, false, 0)) {
            cli_render_print_diags(&cur); /* keep the last good render */
            cli_render_release(&cur);
            continue;
        }
        df_result res;
        df_diff(&cur.a, &cur.set, &prev.set, &opts, &res);
        if (res.count[DF_CREATE] + res.count[DF_UPDATE] + res.count[DF_PRUNE]) {
            diff_out o = {.b = {0}, .color = color};
            time_t now = time(NULL);
            struct tm tm;
            char when[16];
            strftime(when, sizeof when, "%H:%M:%S", localtime_r(&now, &tm));
            buf_printf(&o.b, "== %s  ", when);
            summary_line(&o.b, &res);
            buf_putc(&o.b, '\n');
            for (size_t i = 0; i < res.n; i++)
                if (res.objs[i].action != DF_UNCHANGED) text_object(&o, &cur.a, &res.objs[i]);
            fwrite(o.b.data, 1, o.b.len, stdout);
            fflush(stdout);
            buf_free(&o.b);
        }
        cli_render_release(&prev);
        prev = cur;
    }
    src_watch_close(w);
    cli_render_release(&prev);
    return 2;
}

int cli_diff(int argc, char **argv)
{
    const char *path = NULL, *live = NULL, *format = "text", *color = "auto";
    const char *base = NULL, *head = NULL;
    bool watch = false, affected = false;
    df_opts opts = {0};
    cli_render fl = {0}; /* the Flux flags, copied into every render of PATH */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool bad;
        if (cli_flux_flag("diff", argc, argv, &i, &fl, &bad)) {
            if (bad) return 2;
            continue;
        }
        if (cli_is_help(a)) {
            fputs(cli_find_verb("diff")->usage, stdout);
            return 0;
        }
        if (cli_flag_value(argc, argv, &i, "--live", &v)) {
            if (!v) return cli_usage_error("diff", "--live takes a snapshot file or directory");
            live = v;
        } else if (cli_flag_value(argc, argv, &i, "--format", &v)) {
            if (!v || (strcmp(v, "text") && strcmp(v, "json") && strcmp(v, "markdown")))
                return cli_usage_error("diff", "--format takes text, json or markdown");
            format = v;
        } else if (cli_flag_value(argc, argv, &i, "--color", &v)) {
            if (!v || (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")))
                return cli_usage_error("diff", "--color takes auto, always or never");
            color = v;
        } else if (cli_flag_value(argc, argv, &i, "--namespace", &v) ||
                   cli_flag_value(argc, argv, &i, "-n", &v)) {
            if (!v || !*v) return cli_usage_error("diff", "--namespace takes a namespace");
            opts.default_ns = v;
        } else if (cli_flag_value(argc, argv, &i, "--owner-label", &v)) {
            if (!v || !*v) return cli_usage_error("diff", "--owner-label takes KEY=VALUE");
            opts.owner_label = v;
        } else if (cli_flag_value(argc, argv, &i, "--field-manager", &v)) {
            if (!v || !*v) return cli_usage_error("diff", "--field-manager takes a name");
            opts.field_manager = v;
        } else if (cli_flag_value(argc, argv, &i, "--base", &v)) {
            if (!v || !*v) return cli_usage_error("diff", "--base takes a git revision");
            base = v;
        } else if (cli_flag_value(argc, argv, &i, "--head", &v)) {
            if (!v || !*v) return cli_usage_error("diff", "--head takes a git revision");
            head = v;
        } else if (!strcmp(a, "--watch")) {
            watch = true;
        } else if (!strcmp(a, "--affected")) {
            affected = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("diff", "unknown flag '%s'", a);
        } else if (path) {
            return cli_usage_error("diff", "more than one PATH ('%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    if (watch) {
        if (live || base)
            return cli_usage_error("diff", "--watch compares renders: no --live or --base");
        return diff_watch(path ? path : ".", use_color(color));
    }
    if (!live == !base) return cli_usage_error("diff", "give either --live SNAPSHOT or --base REV");
    if (head && !base) return cli_usage_error("diff", "--head needs --base");
    if (affected && (!base || path))
        return cli_usage_error("diff", "--affected needs --base REV and takes no PATH");
    /* between revisions the base render plays the live side, and every object only in the
     * base is a prune */
    opts.rev_mode = base != NULL;
    arena keep; /* the roots list and the combined result */
    ar_init(&keep);
    const char **roots = NULL;
    size_t nroots = 1;
    if (affected) {
        if (!cli_affected_roots(&keep, NULL, 0, base, true, &roots, &nroots)) {
            ar_free(&keep);
            return 2;
        }
    } else {
        roots = ar_alloc(&keep, sizeof *roots);
        roots[0] = path ? path : ".";
    }
    /* every root diffed on its own, the results reported as one; renders stay alive until
     * the report is written (their memory goes with the process) */
    df_result all = {.objs = NULL};
    size_t cap = 0;
    bool ok = true;
    arena *report_arena = &keep;
    cli_render *rs = ar_alloc(&keep, (2 * nroots + 1) * sizeof *rs);
    size_t nrs = 0;
    for (size_t r = 0; r < nroots && ok; r++) {
        cli_render *want = &rs[nrs++], *cur = &rs[nrs++];
        want->missing_ok = base != NULL;
        cur->missing_ok = true;
        want->flux = fl.flux;
        want->flux_kustomization = fl.flux_kustomization;
        want->flux_config = fl.flux_config;
        if (base) {
            cur->flux = fl.flux;
            cur->flux_kustomization = fl.flux_kustomization;
            cur->flux_config = fl.flux_config;
        } else {
            cur->no_flux = true;
        }
        ok = cli_render_path(want, roots[r], head, false, false, 0);
        cli_render_print_diags(want);
        if (!ok) {
            nrs--; /* cur was not started */
            break;
        }
        ok = base ? cli_render_path(cur, roots[r], base, false, false, 0)
                  : cli_render_path(cur, live, NULL, false, false, 0);
        cli_render_print_diags(cur);
        if (!ok) break;
        df_result res;
        df_diff(&want->a, &want->set, &cur->set, &opts, &res);
        if (all.n + res.n > cap) {
            size_t nc = (all.n + res.n) * 2;
            all.objs = ar_realloc(&keep, all.objs, cap * sizeof *all.objs, nc * sizeof *all.objs);
            cap = nc;
        }
        memcpy(all.objs + all.n, res.objs, res.n * sizeof *res.objs);
        all.n += res.n;
        for (int c = 0; c < 4; c++)
            all.count[c] += res.count[c];
    }
    int rc = 2;
    if (ok) {
        diff_out o = {.b = {0}};
        o.color = use_color(color);
        if (!strcmp(format, "json")) {
            json_report(&o.b, &all);
        } else if (!strcmp(format, "markdown")) {
            markdown_report(&o.b, report_arena, &all);
        } else {
            summary_line(&o.b, &all);
            buf_putc(&o.b, '\n');
            for (size_t i = 0; i < all.n; i++)
                if (all.objs[i].action != DF_UNCHANGED) text_object(&o, report_arena, &all.objs[i]);
        }
        fwrite(o.b.data, 1, o.b.len, stdout);
        buf_free(&o.b);
        rc = all.count[DF_CREATE] + all.count[DF_UPDATE] + all.count[DF_PRUNE] ? 1 : 0;
    }
    for (size_t i = 0; i < nrs; i++)
        cli_render_free(&rs[i]);
    ar_free(&keep);
    cli_flux_free(&fl);
    return rc;
}
