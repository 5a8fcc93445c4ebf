/* Flux post-build variable substitution: the shell-like `${...}` expressions of fluxcd/pkg/envsubst
 * (the drone/envsubst fork kustomize-controller runs on each object's YAML), in strict and
 * non-strict mode. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "flux/flux.h"

typedef struct sub_state {
    arena *a;
    const char *s; /* the input */
    size_t n, i;   /* its length and the read position */
    flux_lookup_fn lookup;
    void *ctx;
    bool strict;
    bool dry; /* parse only: the first pass, so that a syntax error anywhere wins */
    const char *err;
} sub_state;

static bool sub_fail(sub_state *st, const char *msg)
{
    if (!st->err) st->err = msg;
    return false;
}

static int peek(const sub_state *st)
{
    return st->i < st->n ? (unsigned char)st->s[st->i] : -1;
}

static bool is_ident(int c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c >= 0x80;
}

static bool at_open(const sub_state *st)
{
    return st->i + 1 < st->n && st->s[st->i] == '$' && st->s[st->i + 1] == '{';
}

static bool parse_func(sub_state *st, buf_t *out);

/* Plain text up to the next `${` (or a character `stop` rejects); `$$` is one `$` when
 * dollar_escape is set, `\/` and `\\` are one character when slash_escape is set. Returns the
 * number of input bytes consumed. */
typedef bool (*sub_accept)(int c);

static size_t scan_text(sub_state *st, buf_t *out, sub_accept accept, bool dollar_escape,
                        bool slash_escape)
{
    size_t start = st->i;
    while (st->i < st->n) {
        if (at_open(st)) break;
        char c = st->s[st->i];
        char nx = st->i + 1 < st->n ? st->s[st->i + 1] : 0;
        if (dollar_escape && c == '$' && nx == '$') {
            buf_putc(out, '$');
            st->i += 2;
            continue;
        }
        if (slash_escape && c == '\\' && (nx == '/' || nx == '\\')) {
            buf_putc(out, nx);
            st->i += 2;
            continue;
        }
        if (accept && !accept((unsigned char)c)) break;
        buf_putc(out, c);
        st->i++;
    }
    return st->i - start;
}

static bool not_closing(int c)
{
    return c != '}';
}
static bool not_colon_close(int c)
{
    return c != ':' && c != '}';
}
static bool not_slash(int c)
{
    return c != '/';
}

/* One function argument: a nested `${...}` or text the accept function allows. */
static bool parse_param(sub_state *st, buf_t *out, sub_accept accept, bool escape)
{
    if (at_open(st)) {
        st->i += 2;
        return parse_func(st, out);
    }
    if (!scan_text(st, out, accept, false, escape))
        return sub_fail(st, "unable to parse substitution within function");
    return true;
}

static bool consume_close(sub_state *st)
{
    if (peek(st) != '}') return sub_fail(st, "bad substitution");
    st->i++;
    return true;
}

/* The value of a variable, or NULL when unset. */
static bool lookup(sub_state *st, const char *name, size_t nl, const char **v, size_t *vl)
{
    *v = "";
    *vl = 0;
    if (st->dry) return true;
    if (st->lookup(st->ctx, name, nl, v, vl)) return true;
    *v = "";
    *vl = 0;
    return false;
}

static bool glob_match(arena *a, const char *pat, const char *s, size_t n)
{
    char *t = ar_strndup(a, s, n);
    return fnmatch(pat, t, FNM_PATHNAME) == 0;
}

/* ${var#p} ${var##p} ${var%p} ${var%%p}, with path.Match patterns like Go's version. */
static void trim_func(sub_state *st, buf_t *out, const char *v, size_t vl, const char *op,
                      const char *pat)
{
    bool suffix = op[0] == '%', longest = op[1] != 0;
    size_t best = (size_t)-1;
    for (size_t k = 0; k < vl; k++) {
        size_t len = vl - k; /* candidate lengths from the longest down, never the empty one */
        bool m =
            suffix ? glob_match(st->a, pat, v + vl - len, len) : glob_match(st->a, pat, v, len);
        if (m) {
            best = len;
            if (longest) break;
        }
    }
    if (best == (size_t)-1) {
        buf_put(out, v, vl);
    } else if (suffix) {
        buf_put(out, v, vl - best);
    } else {
        buf_put(out, v + best, vl - best);
    }
}

static void put_replaced(buf_t *out, const char *v, size_t vl, const char *from, const char *to,
                         bool all)
{
    size_t fl = strlen(from);
    size_t i = 0;
    bool done = false;
    while (i <= vl) {
        if (!done && (fl == 0 || (i + fl <= vl && !memcmp(v + i, from, fl)))) {
            buf_puts(out, to);
            if (!all) done = true;
            if (fl == 0) {
                /* Go's Replace with an empty old string inserts before every rune */
                if (i < vl) {
                    int w = util_utf8_width((unsigned char)v[i]);
                    buf_put(out, v + i, (size_t)w);
                    i += (size_t)w;
                } else {
                    i++;
                }
                continue;
            }
            i += fl;
            continue;
        }
        if (i < vl) buf_putc(out, v[i]);
        i++;
    }
}

static long parse_int(const char *s, bool *ok)
{
    char *end;
    *ok = *s != 0;
    long v = strtol(s, &end, 10);
    if (*end) *ok = false;
    return v;
}

/* Applies the function `op` (with args) to value v of the variable and writes the result. */
static void apply_op(sub_state *st, buf_t *out, const char *op, const char *v, size_t vl,
                     char **args, size_t nargs)
{
    if (!strcmp(op, ",") || !strcmp(op, ",,") || !strcmp(op, "^") || !strcmp(op, "^^")) {
        bool upper = op[0] == '^', all = op[1] != 0;
        for (size_t k = 0; k < vl; k++) {
            char c = v[k];
            if (all || k == 0) {
                if (upper && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
                if (!upper && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
            }
            buf_putc(out, c);
        }
    } else if (!strcmp(op, "#") && nargs == 0) {
        buf_printf(out, "%zu", vl);
    } else if (op[0] == '#' || op[0] == '%') {
        if (nargs)
            trim_func(st, out, v, vl, op, args[0]);
        else
            buf_put(out, v, vl);
    } else if (!strcmp(op, ":")) {
        bool ok;
        long pos = parse_int(args[0], &ok), len = 0;
        if (!ok) {
            buf_put(out, v, vl);
            return;
        }
        if (pos < 0) pos = (long)vl + pos < 0 ? 0 : (long)vl + pos;
        if (nargs == 1) {
            if ((size_t)pos < vl) buf_put(out, v + pos, vl - (size_t)pos);
            return;
        }
        len = parse_int(args[1], &ok);
        if (!ok) {
            buf_put(out, v, vl);
        } else if (len < 0) {
            long end = (long)vl + len;
            if (end >= pos) buf_put(out, v + pos, (size_t)(end - pos));
        } else if ((size_t)(pos + len) >= vl) {
            if ((size_t)pos < vl) buf_put(out, v + pos, vl - (size_t)pos);
        } else {
            buf_put(out, v + pos, (size_t)len);
        }
    } else if (op[0] == '/') {
        const char *from = nargs > 0 ? args[0] : "", *to = nargs > 1 ? args[1] : "";
        size_t fl = strlen(from);
        if (!strcmp(op, "/#")) {
            if (nargs == 2 && vl >= fl && !memcmp(v, from, fl)) {
                buf_puts(out, to);
                buf_put(out, v + fl, vl - fl);
            } else {
                buf_put(out, v, vl);
            }
        } else if (!strcmp(op, "/%")) {
            if (nargs == 2 && vl >= fl && !memcmp(v + vl - fl, from, fl)) {
                buf_put(out, v, vl - fl);
                buf_puts(out, to);
            } else {
                buf_put(out, v, vl);
            }
        } else if (nargs == 0) {
            buf_put(out, v, vl);
        } else {
            put_replaced(out, v, vl, from, to, !strcmp(op, "//"));
        }
    } else {
        /* every default-style operator (=, :=, :-, :?, :+, -, +) and plain ${var} */
        if (vl == 0) {
            for (size_t k = 0; k < nargs; k++)
                buf_puts(out, args[k]);
        } else {
            buf_put(out, v, vl);
        }
    }
}

static bool is_default_op(const char *op)
{
    static const char *const ops[] = {"-", "+", "=", "?", ":-", ":+", ":=", ":?"};
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (!strcmp(op, ops[k])) return true;
    return false;
}

/* Scans an operator: characters `ok` accepts at positions 1, 2, ... (max chars). */
static char *scan_op(sub_state *st, const char *first, const char *second, size_t max)
{
    size_t start = st->i;
    int c = peek(st);
    if (c < 0 || !strchr(first, c)) return NULL;
    st->i++;
    if (max > 1 && second && (c = peek(st)) >= 0 && c && strchr(second, c)) st->i++;
    return ar_strndup(st->a, st->s + start, st->i - start);
}

/* After `${`: one expression up to and including its `}`. */
static bool parse_func(sub_state *st, buf_t *out)
{
    char *op = "";
    char *name;
    char **args = NULL;
    size_t nargs = 0, cap = 0;
    buf_t tmp = {0};
    bool ok = true;
#define ADD_ARG()                                                                                  \
    do {                                                                                           \
        if (nargs == cap) {                                                                        \
            size_t nc = cap ? cap * 2 : 4;                                                         \
            args = ar_realloc(st->a, args, cap * sizeof *args, nc * sizeof *args);                 \
            cap = nc;                                                                              \
        }                                                                                          \
        args[nargs++] = ar_strndup(st->a, tmp.data ? tmp.data : "", tmp.len);                      \
        tmp.len = 0;                                                                               \
    } while (0)

    if (peek(st) == '#') {
        /* ${#var} */
        st->i++;
        size_t s0 = st->i;
        while (is_ident(peek(st)))
            st->i++;
        if (st->i == s0) return sub_fail(st, "bad substitution");
        name = ar_strndup(st->a, st->s + s0, st->i - s0);
        op = "#";
        if (!consume_close(st)) return false;
        goto eval;
    }
    size_t s0 = st->i;
    while (is_ident(peek(st)))
        st->i++;
    if (st->i == s0) return sub_fail(st, "unable to parse variable name");
    name = ar_strndup(st->a, st->s + s0, st->i - s0);
    switch (peek(st)) {
    case ':':
        if (st->i + 1 < st->n && strchr("=-?+", st->s[st->i + 1])) {
            op = scan_op(st, ":", "=-?+", 2);
            goto defaults;
        }
        /* ${var:pos[:len]} */
        op = scan_op(st, ":", NULL, 1);
        ok = parse_param(st, &tmp, not_colon_close, false);
        if (!ok) break;
        ADD_ARG();
        if (peek(st) == '}') {
            st->i++;
            break;
        }
        if (peek(st) != ':') {
            ok = sub_fail(st, "bad substitution");
            break;
        }
        st->i++;
        ok = parse_param(st, &tmp, not_closing, false);
        if (!ok) break;
        ADD_ARG();
        ok = consume_close(st);
        break;
    case '=':
        op = scan_op(st, "=", NULL, 1);
    defaults:
        while (ok && peek(st) != '}') {
            ok = parse_param(st, &tmp, not_closing, false);
            if (ok) ADD_ARG();
        }
        if (ok) st->i++;
        break;
    case ',':
    case '^':
        op = scan_op(st, ",^", ",^", 2);
        ok = consume_close(st);
        break;
    case '/':
        op = scan_op(st, "/", "/#%", 2);
        if (peek(st) == '/') {
            tmp.len = 0;
            ADD_ARG();
        } else {
            ok = parse_param(st, &tmp, not_slash, true);
            if (!ok) break;
            ADD_ARG();
        }
        if (peek(st) != '/') {
            ok = sub_fail(st, "bad substitution");
            break;
        }
        st->i++;
        if (peek(st) == '}') {
            st->i++;
            break;
        }
        ok = parse_param(st, &tmp, not_closing, true);
        if (!ok) break;
        ADD_ARG();
        ok = consume_close(st);
        break;
    case '#':
    case '%': {
        char first[2] = {(char)peek(st), 0};
        op = scan_op(st, first, first, 2);
        ok = parse_param(st, &tmp, not_closing, false);
        if (!ok) break;
        ADD_ARG();
        ok = consume_close(st);
        break;
    }
    default:
        if (peek(st) != '}') {
            ok = sub_fail(st, "missing closing brace");
            break;
        }
        st->i++;
    }
#undef ADD_ARG
    buf_free(&tmp);
    if (!ok) return false;
eval:;
    const char *v;
    size_t vl;
    bool exists = lookup(st, name, strlen(name), &v, &vl);
    if (!st->dry && st->strict && !exists && !is_default_op(op)) {
        st->err = ar_printf(st->a, "variable not set (strict mode): \"%s\"", name);
        return false;
    }
    if (!st->dry) apply_op(st, out, op, v, vl, args, nargs);
    return true;
}

static bool run(sub_state *st, buf_t *out)
{
    st->i = 0;
    while (st->i < st->n) {
        if (at_open(st)) {
            st->i += 2;
            if (!parse_func(st, out)) return false;
            continue;
        }
        scan_text(st, out, NULL, true, false);
    }
    return true;
}

bool flux_envsubst(arena *a, const char *in, size_t n, flux_lookup_fn fn, void *ctx, bool strict,
                   buf_t *out, const char **err)
{
    sub_state st = {.a = a, .s = in, .n = n, .lookup = fn, .ctx = ctx, .strict = strict};
    buf_t scratch = {0};
    st.dry = true;
    bool ok = run(&st, &scratch);
    buf_free(&scratch);
    if (ok) {
        st.dry = false;
        ok = run(&st, out);
    }
    if (!ok) *err = st.err ? st.err : "bad substitution";
    return ok;
}

bool flux_var_name_valid(const char *s)
{
    if (!*s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))) return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}
