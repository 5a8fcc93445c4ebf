/* `kiln cel`: evaluates one CEL expression (against each object of a manifest with -f), or
 * answers run-cel.sh's JSON-lines protocol with --jsonl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "validate/cel/cel.h"
#include "yaml/yaml.h"

#define CEL_CLI_COST 10000000

/* ---- a small strict JSON reader producing IR nodes (one protocol line) ---- */

typedef struct jr {
    arena *a;
    const char *s, *end;
    const char *err;
    int depth;
} jr;

static void jr_ws(jr *j)
{
    while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' || *j->s == '\r' || *j->s == '\n'))
        j->s++;
}

static void jr_utf8(buf_t *b, uint32_t cp)
{
    char t[4];
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
        return;
    }
    if (cp < 0x800) {
        t[0] = (char)(0xC0 | cp >> 6);
        t[1] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | cp >> 12);
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | cp >> 18);
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, t, 4);
    }
}

static bool jr_hex4(jr *j, uint32_t *out)
{
    if (j->end - j->s < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = j->s[i];
        int h = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (h < 0) return false;
        v = v << 4 | (uint32_t)h;
    }
    j->s += 4;
    *out = v;
    return true;
}

static ir_node *jr_string(jr *j)
{
    j->s++; /* the opening quote */
    buf_t b = {0};
    while (j->s < j->end && *j->s != '"') {
        char c = *j->s++;
        if (c != '\\') {
            buf_putc(&b, c);
            continue;
        }
        if (j->s >= j->end) break;
        c = *j->s++;
        uint32_t cp;
        switch (c) {
        case '"':
            buf_putc(&b, '"');
            break;
        case '\\':
            buf_putc(&b, '\\');
            break;
        case '/':
            buf_putc(&b, '/');
            break;
        case 'b':
            buf_putc(&b, '\b');
            break;
        case 'f':
            buf_putc(&b, '\f');
            break;
        case 'n':
            buf_putc(&b, '\n');
            break;
        case 'r':
            buf_putc(&b, '\r');
            break;
        case 't':
            buf_putc(&b, '\t');
            break;
        case 'u':
            if (!jr_hex4(j, &cp)) goto bad;
            if (cp >= 0xD800 && cp < 0xDC00 && j->end - j->s >= 6 && j->s[0] == '\\' &&
                j->s[1] == 'u') {
                uint32_t lo;
                j->s += 2;
                if (!jr_hex4(j, &lo)) goto bad;
                if (lo >= 0xDC00 && lo < 0xE000)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                else {
                    jr_utf8(&b, 0xFFFD);
                    cp = lo >= 0xD800 && lo < 0xE000 ? 0xFFFD : lo;
                }
            } else if (cp >= 0xD800 && cp < 0xE000) {
                cp = 0xFFFD;
            }
            jr_utf8(&b, cp);
            break;
        default:
            goto bad;
        }
    }
    if (j->s >= j->end) goto bad;
    j->s++;
    ir_node *n = ir_scalar(j->a, IR_TAG_STR, ar_strndup(j->a, b.data ? b.data : "", b.len), b.len,
                           diag_nopos);
    buf_free(&b);
    return n;
bad:
    buf_free(&b);
    j->err = "malformed JSON string";
    return NULL;
}

static ir_node *jr_value(jr *j)
{
    jr_ws(j);
    if (j->s >= j->end) {
        j->err = "unexpected end of JSON";
        return NULL;
    }
    if (++j->depth > 500) {
        j->err = "JSON nests too deeply";
        return NULL;
    }
    ir_node *r = NULL;
    char c = *j->s;
    if (c == '"') {
        r = jr_string(j);
    } else if (c == '{') {
        j->s++;
        r = ir_map(j->a, diag_nopos);
        jr_ws(j);
        if (j->s < j->end && *j->s == '}') {
            j->s++;
        } else {
            for (;;) {
                jr_ws(j);
                if (j->s >= j->end || *j->s != '"') goto bad;
                ir_node *k = jr_string(j);
                if (!k) return NULL;
                jr_ws(j);
                if (j->s >= j->end || *j->s != ':') goto bad;
                j->s++;
                ir_node *v = jr_value(j);
                if (!v) return NULL;
                ir_map_append(j->a, r, k, v);
                jr_ws(j);
                if (j->s < j->end && *j->s == ',') {
                    j->s++;
                    continue;
                }
                if (j->s < j->end && *j->s == '}') {
                    j->s++;
                    break;
                }
                goto bad;
            }
        }
    } else if (c == '[') {
        j->s++;
        r = ir_seq(j->a, diag_nopos);
        jr_ws(j);
        if (j->s < j->end && *j->s == ']') {
            j->s++;
        } else {
            for (;;) {
                ir_node *v = jr_value(j);
                if (!v) return NULL;
                ir_seq_append(j->a, r, v);
                jr_ws(j);
                if (j->s < j->end && *j->s == ',') {
                    j->s++;
                    continue;
                }
                if (j->s < j->end && *j->s == ']') {
                    j->s++;
                    break;
                }
                goto bad;
            }
        }
    } else if (c == 't' && j->end - j->s >= 4 && !memcmp(j->s, "true", 4)) {
        j->s += 4;
        r = ir_scalar(j->a, IR_TAG_BOOL, "true", 4, diag_nopos);
        r->sc.v.b = true;
    } else if (c == 'f' && j->end - j->s >= 5 && !memcmp(j->s, "false", 5)) {
        j->s += 5;
        r = ir_scalar(j->a, IR_TAG_BOOL, "false", 5, diag_nopos);
        r->sc.v.b = false;
    } else if (c == 'n' && j->end - j->s >= 4 && !memcmp(j->s, "null", 4)) {
        j->s += 4;
        r = ir_scalar(j->a, IR_TAG_NULL, "null", 4, diag_nopos);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char *st = j->s;
        bool flt = false;
        while (j->s < j->end && strchr("+-0123456789.eE", *j->s)) {
            if (strchr(".eE", *j->s)) flt = true;
            j->s++;
        }
        size_t nl = (size_t)(j->s - st);
        r = ir_scalar(j->a, flt ? IR_TAG_FLOAT : IR_TAG_INT, ar_strndup(j->a, st, nl), nl,
                      diag_nopos);
        if (flt)
            r->sc.v.f = strtod(r->sc.s, NULL);
        else
            r->sc.v.i = strtoll(r->sc.s, NULL, 10);
    } else {
        goto bad;
    }
    j->depth--;
    return r;
bad:
    if (!j->err) j->err = "malformed JSON";
    return NULL;
}

/* ---- --jsonl ---- */

static void put_error(buf_t *out, const char *msg)
{
    cel_val v = {.kind = CEL_STRING};
    v.str.s = msg;
    v.str.n = strlen(msg);
    buf_puts(out, "{\"error\":");
    /* a string value's JSON form is {"string": "..."}; take just the quoted text */
    buf_t t = {0};
    cel_to_json(&t, &v);
    buf_put(out, t.data + 10, t.len - 11);
    buf_free(&t);
    buf_puts(out, "}\n");
}

void cli_cel_line(const char *line, size_t len, buf_t *out)
{
    arena a;
    ar_init(&a);
    jr j = {.a = &a, .s = line, .end = line + len};
    ir_node *req = jr_value(&j);
    if (req) jr_ws(&j);
    if (!req || j.s != j.end || req->kind != IR_MAP) {
        put_error(out, j.err ? j.err : "request is not a JSON object");
        ar_free(&a);
        return;
    }
    const ir_node *expr = ir_map_get(req, "expr");
    const ir_node *bindings = ir_map_get(req, "bindings");
    const char *container = ir_str_of(ir_map_get(req, "container"));
    const ir_node *nomac = ir_map_get(req, "disable_macros");
    if (!expr || expr->kind != IR_SCALAR || expr->tag != IR_TAG_STR) {
        put_error(out, "request has no \"expr\" string");
        ar_free(&a);
        return;
    }
    cel_env *e = cel_env_new(&a, CEL_CLI_COST);
    cel_env_set_container(e, container);
    if (nomac && nomac->kind == IR_SCALAR && nomac->tag == IR_TAG_BOOL && nomac->sc.v.b)
        cel_env_set_macros(e, false);
    cel_act *act = cel_act_new(e, NULL);
    if (bindings && bindings->kind == IR_MAP) {
        for (size_t i = 0; i < bindings->map.n; i++) {
            const char *err = NULL;
            const cel_val *v = cel_from_json(e, bindings->map.items[i].val, &err);
            if (!v) {
                put_error(out, ar_printf(&a, "binding %s: %s", bindings->map.items[i].key->sc.s,
                                         err ? err : "malformed value"));
                ar_free(&a);
                return;
            }
            cel_act_bind(act, bindings->map.items[i].key->sc.s, v);
        }
    }
    cel_err err = {0};
    cel_prog *prog = cel_parse(e, expr->sc.s, expr->sc.n, &err);
    if (!prog) {
        put_error(out, ar_printf(&a, "%u:%u: %s", err.line, err.col, err.msg));
    } else {
        const cel_val *v = cel_eval(e, prog, act, &err);
        if (v->kind == CEL_ERROR) {
            put_error(out, v->err.msg);
        } else {
            buf_puts(out, "{\"value\":");
            cel_to_json(out, v);
            buf_puts(out, "}\n");
        }
    }
    ar_free(&a);
}

static int cel_jsonl(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    buf_t out = {0};
    while ((len = getline(&line, &cap, stdin)) > 0) {
        size_t n = (size_t)len;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (!n) continue;
        out.len = 0;
        cli_cel_line(line, n, &out);
        fwrite(out.data, 1, out.len, stdout);
        fflush(stdout);
    }
    free(line);
    buf_free(&out);
    return 0;
}

/* ---- one expression ---- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    buf_t b = {0};
    char tmp[65536];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_put(&b, tmp, got);
    if (f != stdin) fclose(f);
    *len = b.len;
    buf_cstr(&b);
    return b.data;
}

int cli_cel(int argc, char **argv)
{
    const char *expr = NULL, *file = NULL;
    bool jsonl = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (cli_is_help(a)) {
            fputs(cli_find_verb("cel")->usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--jsonl")) {
            jsonl = true;
        } else if (cli_flag_value(argc, argv, &i, "-f", &v) ||
                   cli_flag_value(argc, argv, &i, "--file", &v)) {
            if (!v || !*v) return cli_usage_error("cel", "-f takes a manifest file");
            file = v;
        } else if (a[0] == '-' && a[1] && !expr) {
            return cli_usage_error("cel", "unknown flag '%s'", a);
        } else if (expr) {
            return cli_usage_error("cel", "more than one expression");
        } else {
            expr = a;
        }
    }
    if (jsonl) {
        if (expr || file) return cli_usage_error("cel", "--jsonl takes no expression or file");
        return cel_jsonl();
    }
    if (!expr) return cli_usage_error("cel", "missing the expression");

    arena a;
    ar_init(&a);
    diag_ctx d;
    diag_init(&d);
    bool color = isatty(2) && !getenv("NO_COLOR");
    uint32_t ef = diag_file_add(&d, "<expr>", expr, strlen(expr));
    cel_env *e = cel_env_new(&a, CEL_CLI_COST);
    cel_err err = {0};
    cel_prog *prog = cel_parse(e, expr, strlen(expr), &err);
    int rc = 0;
    char *text = NULL;
    buf_t out = {0};
    if (!prog) {
        diag_error(&d, diag_at(ef, err.line, err.col), "%s", err.msg);
        rc = 2;
        goto done;
    }
    ky_docs docs = {0};
    size_t ndocs = 1;
    if (file) {
        size_t len;
        text = read_all(file, &len);
        if (!text) {
            diag_error(&d, diag_nopos, "cannot read %s: %s", file, strerror(errno));
            rc = 2;
            goto done;
        }
        uint32_t ff = diag_file_add(&d, file, text, len);
        ky_opts o = {.flavor = KY_V3};
        if (!ky_load(&a, &d, ff, text, len, &o, &docs)) {
            rc = 2;
            goto done;
        }
        ndocs = docs.n;
    }
    for (size_t i = 0; i < ndocs; i++) {
        cel_act *act = cel_act_new(e, NULL);
        if (file) cel_act_bind(act, "object", cel_from_ir(e, docs.docs[i]));
        const cel_val *v = cel_eval(e, prog, act, &err);
        if (v->kind == CEL_ERROR) {
            if (file)
                diag_error(&d, diag_at(ef, err.line, err.col), "%s (object %zu, %s:%u)", err.msg,
                           i + 1, file, docs.pos[i].line);
            else
                diag_error(&d, diag_at(ef, err.line, err.col), "%s", err.msg);
            rc = 2;
            continue;
        }
        cel_print(&out, v);
        buf_putc(&out, '\n');
    }
done:
    if (rc == 0 && out.len) fwrite(out.data, 1, out.len, stdout);
    diag_print(&d, stderr, color);
    buf_free(&out);
    diag_free(&d);
    free(text);
    ar_free(&a);
    return rc;
}
