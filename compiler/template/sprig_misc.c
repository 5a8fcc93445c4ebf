/* Sprig's defaults and reflection functions, regular expressions (PCRE2 set up to behave like
 * Go's RE2 regexp), paths, URLs, randomness and uuidv4, and the network-free getHostByName. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <openssl/rand.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/sprig_int.h"

#define A tpl_arena(c)
#define S(i) (args[i]->str.s)
#define N(i) (args[i]->str.n)

/* ---------------------------------------------------------------- randomness */

/* splitmix64: the deterministic stream used when the run asks for a seed. */
static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void sprig_rand_bytes(tpl_ctx *c, unsigned char *p, size_t n)
{
    const tpl_opts *o = tpl_options(c);
    if (o->rand_seed) {
        /* The seeded stream advances the run's own state (the set's options, not global). */
        tpl_opts *mo = (tpl_opts *)o;
        for (size_t i = 0; i < n; i += 8) {
            uint64_t r = splitmix(&mo->rand_seed);
            if (mo->rand_seed == 0) mo->rand_seed = 1;
            for (size_t k = 0; k < 8 && i + k < n; k++)
                p[i + k] = (unsigned char)(r >> (8 * k));
        }
        return;
    }
    if (RAND_bytes(p, (int)n) != 1) {
        /* no entropy: never hand out predictable bytes silently */
        for (size_t i = 0; i < n; i++)
            p[i] = 0;
    }
}

uint64_t sprig_rand_below(tpl_ctx *c, uint64_t n)
{
    if (n <= 1) return 0;
    uint64_t lim = UINT64_MAX - UINT64_MAX % n;
    for (;;) {
        unsigned char b[8];
        sprig_rand_bytes(c, b, 8);
        uint64_t r = 0;
        for (int i = 0; i < 8; i++)
            r = (r << 8) | b[i];
        if (r < lim) return r % n;
    }
}

TPL_FN(tpl_f_uuidv4)
{
    (void)args;
    (void)nargs;
    unsigned char u[16];
    sprig_rand_bytes(c, u, 16);
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80);
    char s[37];
    snprintf(s, sizeof s, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
    *out = tpl_str(A, s, 36);
    return true;
}

TPL_FN(tpl_f_getHostByName)
{
    (void)nargs;
    return tpl_errorf(c, "getHostByName %s: kiln renders offline, no DNS lookups", S(0));
}

/* ---------------------------------------------------------------- defaults */

TPL_FN(tpl_f_default)
{
    if (nargs < 2 || sprig_empty(args[1])) {
        *out = args[0];
        return true;
    }
    *out = args[1];
    return true;
}

TPL_FN(tpl_f_empty)
{
    (void)nargs;
    *out = tpl_bool(sprig_empty(args[0]));
    return true;
}

TPL_FN(tpl_f_coalesce)
{
    for (size_t i = 0; i < nargs; i++)
        if (!sprig_empty(args[i])) {
            *out = args[i];
            return true;
        }
    *out = tpl_nil();
    return true;
}

TPL_FN(tpl_f_all)
{
    for (size_t i = 0; i < nargs; i++)
        if (sprig_empty(args[i])) {
            *out = tpl_bool(false);
            return true;
        }
    *out = tpl_bool(true);
    return true;
}

TPL_FN(tpl_f_any)
{
    for (size_t i = 0; i < nargs; i++)
        if (!sprig_empty(args[i])) {
            *out = tpl_bool(true);
            return true;
        }
    *out = tpl_bool(false);
    return true;
}

TPL_FN(tpl_f_ternary)
{
    (void)nargs;
    *out = args[2]->b ? args[0] : args[1];
    return true;
}

static bool json_out(tpl_ctx *c, const tpl_val *v, int indent, bool must, bool raw,
                     const tpl_val **out)
{
    buf_t b = {0};
    const char *err = NULL;
    if (!tpl_to_json(A, v, indent, &b, &err)) {
        buf_free(&b);
        if (must || raw) return tpl_errorf(c, "%s", err ? err : "json: unsupported value");
        *out = tpl_empty_str();
        return true;
    }
    if (raw) {
        /* SetEscapeHTML(false): \u003c, \u003e and \u0026 go back to <, > and & */
        buf_t e = {0};
        for (size_t i = 0; i < b.len; i++) {
            if (b.data[i] == '\\' && i + 1 < b.len) {
                if (b.data[i + 1] == 'u' && i + 5 < b.len) {
                    const char *h = b.data + i + 2;
                    char ch = !strncmp(h, "003c", 4)   ? '<'
                              : !strncmp(h, "003e", 4) ? '>'
                              : !strncmp(h, "0026", 4) ? '&'
                                                       : 0;
                    if (ch) {
                        buf_putc(&e, ch);
                        i += 5;
                        continue;
                    }
                }
                buf_put(&e, b.data + i, 2);
                i++;
                continue;
            }
            buf_putc(&e, b.data[i]);
        }
        buf_free(&b);
        b = e;
    }
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_toPrettyJson)
{
    (void)nargs;
    return json_out(c, args[0], 2, false, false, out);
}

TPL_FN(tpl_f_mustToPrettyJson)
{
    (void)nargs;
    return json_out(c, args[0], 2, true, false, out);
}

TPL_FN(tpl_f_toRawJson)
{
    (void)nargs;
    return json_out(c, args[0], 0, true, true, out);
}

/* ---- encoding/json Unmarshal into interface{} (objects as maps, numbers float64) ---- */

typedef struct {
    arena *a;
    const char *s;
    size_t n, i;
    const char *err;
    const char *range_err; /* reported only when the whole text is valid JSON, as Go does */
    int depth;
} jp;

/* The scanner's quoteChar. */
static const char *json_qchar(arena *a, unsigned char ch)
{
    if (ch == '\'') return "'\\''";
    if (ch == '"') return "'\"'";
    buf_t b = {0};
    sprig_go_quote(&b, (const char *)&ch, 1);
    const char *r = ar_printf(a, "'%.*s'", (int)b.len - 2, b.data + 1);
    buf_free(&b);
    return r;
}

static bool json_fail(jp *p, const char *context)
{
    if (p->err) return false;
    if (p->i >= p->n)
        p->err = "unexpected end of JSON input";
    else
        p->err = ar_printf(p->a, "invalid character %s %s",
                           json_qchar(p->a, (unsigned char)p->s[p->i]), context);
    return false;
}

static void json_ws(jp *p)
{
    while (p->i < p->n &&
           (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
        p->i++;
}

static bool json_value(jp *p, const tpl_val **out);

static int json_hex4(const char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char ch = s[k];
        int d = (ch >= '0' && ch <= '9')                 ? ch - '0'
                : ((ch | 32) >= 'a' && (ch | 32) <= 'f') ? (ch | 32) - 'a' + 10
                                                         : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

static bool json_string(jp *p, const char **str, size_t *len)
{
    buf_t b = {0};
    p->i++; /* the opening quote */
    for (;;) {
        if (p->i >= p->n) {
            buf_free(&b);
            return json_fail(p, "");
        }
        unsigned char ch = (unsigned char)p->s[p->i];
        if (ch == '"') {
            p->i++;
            break;
        }
        if (ch < 0x20) {
            buf_free(&b);
            return json_fail(p, "in string literal");
        }
        if (ch == '\\') {
            p->i++;
            if (p->i >= p->n) {
                buf_free(&b);
                return json_fail(p, "");
            }
            char e = p->s[p->i];
            const char *m = strchr("\"\\/bfnrt", e);
            if (e && m) {
                static const char rep[] = "\"\\/\b\f\n\r\t";
                buf_putc(&b, rep[m - "\"\\/bfnrt"]);
                p->i++;
                continue;
            }
            if (e != 'u') {
                buf_free(&b);
                return json_fail(p, "in string escape code");
            }
            for (int k = 1; k <= 4; k++)
                if (p->i + (size_t)k >= p->n ||
                    json_hex4((const char[]){p->s[p->i + (size_t)k], '0', '0', '0'}) < 0) {
                    p->i += (size_t)k;
                    buf_free(&b);
                    return json_fail(p, "in \\u hexadecimal character escape");
                }
            uint32_t r = (uint32_t)json_hex4(p->s + p->i + 1);
            p->i += 5;
            if (r >= 0xD800 && r < 0xDC00 && p->i + 6 <= p->n && p->s[p->i] == '\\' &&
                p->s[p->i + 1] == 'u') {
                int lo = json_hex4(p->s + p->i + 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    r = 0x10000 + ((r - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                    p->i += 6;
                }
            }
            sprig_utf8_put(&b, r); /* lone surrogates become U+FFFD */
            continue;
        }
        /* raw bytes: invalid UTF-8 becomes U+FFFD, as Go's decoder does */
        uint32_t r;
        size_t w = sprig_utf8_dec(p->s + p->i, p->n - p->i, &r);
        if (r == SPRIG_RUNE_ERROR && w == 1)
            sprig_utf8_put(&b, r);
        else
            buf_put(&b, p->s + p->i, w);
        p->i += w;
    }
    *len = b.len;
    *str = ar_strndup(p->a, b.len ? b.data : "", b.len);
    buf_free(&b);
    return true;
}

static bool json_number(jp *p, const tpl_val **out)
{
    size_t st = p->i;
    if (p->s[p->i] == '-') {
        p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
            return json_fail(p, "in numeric literal");
    }
    if (p->s[p->i] == '0') {
        p->i++;
    } else {
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
            return json_fail(p, "after decimal point in numeric literal");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    if (p->i < p->n && (p->s[p->i] | 32) == 'e') {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-')) p->i++;
        if (p->i >= p->n || p->s[p->i] < '0' || p->s[p->i] > '9')
            return json_fail(p, "in exponent of numeric literal");
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
    }
    double d;
    if (!sprig_parse_float(p->s + st, p->i - st, &d)) {
        if (!p->range_err)
            p->range_err =
                ar_printf(p->a, "json: cannot unmarshal number %.*s into Go value of type float64",
                          (int)(p->i - st), p->s + st);
        d = 0;
    }
    *out = tpl_float(p->a, d);
    return true;
}

static bool json_literal(jp *p, const char *word, const tpl_val *v, const tpl_val **out)
{
    size_t k = strlen(word);
    for (size_t j = 1; j < k; j++) {
        if (p->i + j >= p->n) {
            p->i += j;
            return json_fail(p, "");
        }
        if (p->s[p->i + j] != word[j]) {
            p->i += j;
            return json_fail(p, ar_printf(p->a, "in literal %s (expecting '%c')", word, word[j]));
        }
    }
    p->i += k;
    *out = v;
    return true;
}

static bool json_value(jp *p, const tpl_val **out)
{
    json_ws(p);
    if (p->i >= p->n) return json_fail(p, "");
    char ch = p->s[p->i];
    if (ch == '{' || ch == '[') {
        if (++p->depth > 10000) {
            p->err = "exceeded max depth";
            return false;
        }
    }
    if (ch == '{') {
        p->i++;
        tpl_val *m = tpl_map_new(p->a, NULL);
        json_ws(p);
        if (p->i < p->n && p->s[p->i] == '}') {
            p->i++;
            p->depth--;
            *out = m;
            return true;
        }
        for (;;) {
            json_ws(p);
            if (p->i >= p->n || p->s[p->i] != '"')
                return json_fail(p, "looking for beginning of object key string");
            const char *k;
            size_t kn;
            if (!json_string(p, &k, &kn)) return false;
            json_ws(p);
            if (p->i >= p->n || p->s[p->i] != ':') return json_fail(p, "after object key");
            p->i++;
            const tpl_val *v;
            if (!json_value(p, &v)) return false;
            tpl_map_set(p->a, m->map, k, kn, v);
            json_ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            if (p->i < p->n && p->s[p->i] == '}') {
                p->i++;
                break;
            }
            return json_fail(p, "after object key:value pair");
        }
        p->depth--;
        *out = m;
        return true;
    }
    if (ch == '[') {
        p->i++;
        size_t cap = 4, k = 0;
        const tpl_val **items = ar_alloc(p->a, cap * sizeof *items);
        json_ws(p);
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
        } else {
            for (;;) {
                const tpl_val *v;
                if (!json_value(p, &v)) return false;
                if (k == cap) {
                    items = ar_realloc(p->a, items, cap * sizeof *items, cap * 2 * sizeof *items);
                    cap *= 2;
                }
                items[k++] = v;
                json_ws(p);
                if (p->i < p->n && p->s[p->i] == ',') {
                    p->i++;
                    continue;
                }
                if (p->i < p->n && p->s[p->i] == ']') {
                    p->i++;
                    break;
                }
                return json_fail(p, "after array element");
            }
        }
        p->depth--;
        *out = tpl_list(p->a, items, k, NULL);
        return true;
    }
    if (ch == '"') {
        const char *str;
        size_t len;
        if (!json_string(p, &str, &len)) return false;
        *out = tpl_str_ref(p->a, str, len);
        return true;
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) return json_number(p, out);
    if (ch == 't') return json_literal(p, "true", tpl_bool(true), out);
    if (ch == 'f') return json_literal(p, "false", tpl_bool(false), out);
    if (ch == 'n') return json_literal(p, "null", tpl_nil(), out);
    return json_fail(p, "looking for beginning of value");
}

bool sprig_json_decode(arena *a, const char *s, size_t n, const tpl_val **out, const char **err)
{
    jp p = {.a = a, .s = s, .n = n};
    const tpl_val *v = NULL;
    if (!json_value(&p, &v)) {
        *err = p.err ? p.err : "unexpected end of JSON input";
        return false;
    }
    json_ws(&p);
    if (p.i < p.n) {
        json_fail(&p, "after top-level value");
        *err = p.err;
        return false;
    }
    if (p.range_err) {
        *err = p.range_err;
        return false;
    }
    *out = v;
    return true;
}

TPL_FN(tpl_f_mustFromJson)
{
    (void)nargs;
    const tpl_val *v;
    const char *err = NULL;
    if (!sprig_json_decode(A, S(0), N(0), &v, &err)) return tpl_errorf(c, "%s", err);
    *out = v;
    return true;
}

/* ---------------------------------------------------------------- reflection */

TPL_FN(tpl_f_typeOf)
{
    (void)nargs;
    *out = tpl_cstr(A, tpl_type_name(args[0]));
    return true;
}

TPL_FN(tpl_f_typeIs)
{
    (void)nargs;
    *out = tpl_bool(strcmp(S(0), tpl_type_name(args[1])) == 0);
    return true;
}

TPL_FN(tpl_f_typeIsLike)
{
    (void)nargs;
    const char *t = tpl_type_name(args[1]);
    *out = tpl_bool(strcmp(S(0), t) == 0 || (t[0] == '*' && strcmp(S(0), t + 1) == 0));
    return true;
}

TPL_FN(tpl_f_kindOf)
{
    (void)nargs;
    *out = tpl_cstr(A, tpl_kind_name(args[0]));
    return true;
}

TPL_FN(tpl_f_kindIs)
{
    (void)nargs;
    *out = tpl_bool(strcmp(S(0), tpl_kind_name(args[1])) == 0);
    return true;
}

TPL_FN(tpl_f_deepEqual)
{
    (void)nargs;
    *out = tpl_bool(tpl_deep_equal(args[0], args[1]));
    return true;
}

/* ---------------------------------------------------------------- paths (path and filepath) */

/* path.Clean: Go's lexical rules. */
static void path_clean(buf_t *b, const char *p, size_t n)
{
    if (n == 0) {
        buf_putc(b, '.');
        return;
    }
    bool rooted = p[0] == '/';
    size_t start = b->len;
    if (rooted) buf_putc(b, '/');
    size_t dotdot = b->len; /* where .. can no longer backtrack */
    size_t r = rooted ? 1 : 0;
    while (r < n) {
        if (p[r] == '/') {
            r++;
        } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
            r++;
        } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
            r += 2;
            if (b->len > dotdot) {
                size_t w = b->len - 1;
                while (w > dotdot && b->data[w] != '/')
                    w--;
                b->len = w;
            } else if (!rooted) {
                if (b->len > start) buf_putc(b, '/');
                buf_puts(b, "..");
                dotdot = b->len;
            }
        } else {
            if ((rooted && b->len != start + 1) || (!rooted && b->len != start)) buf_putc(b, '/');
            for (; r < n && p[r] != '/'; r++)
                buf_putc(b, p[r]);
        }
    }
    if (b->len == start) buf_putc(b, '.');
    if (b->data) b->data[b->len] = 0;
}

TPL_FN(tpl_f_clean)
{
    (void)nargs;
    buf_t b = {0};
    path_clean(&b, S(0), N(0));
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_base)
{
    (void)nargs;
    const char *p = S(0);
    size_t n = N(0);
    if (n == 0) {
        *out = tpl_cstr(A, ".");
        return true;
    }
    while (n > 0 && p[n - 1] == '/')
        n--;
    size_t i = n;
    while (i > 0 && p[i - 1] != '/')
        i--;
    if (n == 0) {
        *out = tpl_cstr(A, "/");
        return true;
    }
    *out = tpl_str(A, p + i, n - i);
    return true;
}

TPL_FN(tpl_f_dir)
{
    (void)nargs;
    const char *p = S(0);
    size_t n = N(0), i = n;
    while (i > 0 && p[i - 1] != '/')
        i--;
    buf_t b = {0};
    path_clean(&b, p, i);
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_ext)
{
    (void)nargs;
    const char *p = S(0);
    for (size_t i = N(0); i > 0 && p[i - 1] != '/'; i--)
        if (p[i - 1] == '.') {
            *out = tpl_str(A, p + i - 1, N(0) - (i - 1));
            return true;
        }
    *out = tpl_empty_str();
    return true;
}

TPL_FN(tpl_f_isAbs)
{
    (void)nargs;
    *out = tpl_bool(N(0) > 0 && S(0)[0] == '/');
    return true;
}

/* ---------------------------------------------------------------- regular expressions */

/* Go's regexp rejects Perl features RE2 lacks; PCRE2 would accept them. */
static const char *re2_unsupported(const char *re, size_t n, char *frag, size_t fragsz)
{
    bool in_class = false;
    for (size_t i = 0; i < n; i++) {
        char ch = re[i];
        if (ch == '\\' && i + 1 < n) {
            char e = re[i + 1];
            if (e >= '1' && e <= '9' && !in_class) {
                snprintf(frag, fragsz, "\\%c", e);
                return "invalid escape sequence";
            }
            if (strchr("ZgkKRXhHNVoeGcu", e) && e) {
                snprintf(frag, fragsz, "\\%c", e);
                return "invalid escape sequence";
            }
            i++;
            continue;
        }
        if (in_class) {
            if (ch == ']') in_class = false;
            continue;
        }
        if (ch == '[') {
            in_class = true;
            if (i + 1 < n && re[i + 1] == '^') i++;
            if (i + 1 < n && re[i + 1] == ']') i++;
            continue;
        }
        if (ch == '(' && i + 2 < n && re[i + 1] == '?') {
            char k = re[i + 2];
            if (k == '=' || k == '!' || k == '>' || k == '|' || k == '#' ||
                (k == '<' && i + 3 < n && (re[i + 3] == '=' || re[i + 3] == '!'))) {
                snprintf(frag, fragsz, "(?%c", k);
                if (k == '<') snprintf(frag, fragsz, "(?<%c", re[i + 3]);
                return "invalid or unsupported Perl syntax";
            }
        }
        if ((ch == '*' || ch == '+' || ch == '?' || ch == '}') && i + 1 < n &&
            (re[i + 1] == '+' || re[i + 1] == '*' ||
             (re[i + 1] == '?' && ch == '?' && i + 2 < n && re[i + 2] == '?'))) {
            snprintf(frag, fragsz, "%c%c", ch, re[i + 1]);
            return "invalid nested repetition operator";
        }
    }
    return NULL;
}

/* RE2's \s is [\t\n\f\r ] (PCRE2's also has \v): rewrite \s and \S (outside \Q...\E). */
static void re2_translate(buf_t *b, const char *re, size_t n)
{
    bool in_class = false, quoted = false;
    for (size_t i = 0; i < n; i++) {
        char ch = re[i];
        if (quoted) {
            if (ch == '\\' && i + 1 < n && re[i + 1] == 'E') {
                quoted = false;
                buf_put(b, re + i, 2);
                i++;
            } else {
                buf_putc(b, ch);
            }
            continue;
        }
        if (ch == '\\' && i + 1 < n) {
            char e = re[i + 1];
            i++;
            if (e == 's') {
                buf_puts(b, in_class ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
            } else if (e == 'S' && !in_class) {
                buf_puts(b, "[^\\t\\n\\f\\r ]");
            } else {
                if (e == 'Q') quoted = true;
                buf_putc(b, '\\');
                buf_putc(b, e);
            }
            continue;
        }
        if (!in_class && ch == '[') {
            in_class = true;
            buf_putc(b, ch);
            if (i + 1 < n && re[i + 1] == '^') buf_putc(b, re[++i]);
            if (i + 1 < n && re[i + 1] == ']') buf_putc(b, re[++i]);
            continue;
        }
        if (in_class && ch == '[' && i + 1 < n && re[i + 1] == ':') {
            const char *end = NULL;
            for (size_t k = i + 2; k + 1 < n; k++)
                if (re[k] == ':' && re[k + 1] == ']') {
                    end = re + k;
                    break;
                }
            if (end) {
                buf_put(b, re + i, (size_t)(end - (re + i)) + 2);
                i = (size_t)(end - re) + 1;
                continue;
            }
        }
        if (in_class && ch == ']') in_class = false;
        buf_putc(b, ch);
    }
}

typedef struct {
    pcre2_code *code;
    pcre2_match_data *md;
} rx;

static void rx_free(rx *r)
{
    if (r->md) pcre2_match_data_free(r->md);
    if (r->code) pcre2_code_free(r->code);
}

/* Compiles like regexp.Compile; on failure the message is Go's "error parsing regexp: ..." (and
 * `must` callers get it as is, the others wrapped as MustCompile's panic). */
static bool rx_compile(tpl_ctx *c, const char *re, size_t n, bool must, rx *r)
{
    memset(r, 0, sizeof *r);
    char frag[16];
    const char *why = re2_unsupported(re, n, frag, sizeof frag);
    const char *msg = NULL;
    if (!why) {
        int ec;
        PCRE2_SIZE eo;
        buf_t tr = {0};
        re2_translate(&tr, re, n);
        r->code = pcre2_compile((PCRE2_SPTR)(tr.data ? tr.data : ""), tr.len,
                                PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY, &ec,
                                &eo, NULL);
        buf_free(&tr);
        if (!r->code) {
            if (ec < 0) ec = -1; /* UTF-8 errors */
            switch (ec) {
            case -1:
                msg = ar_printf(A, "invalid UTF-8: `%.*s`", (int)n, re);
                break;
            case PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS:
                msg = ar_printf(A, "missing closing ): `%.*s`", (int)n, re);
                break;
            case 122: /* unmatched closing parenthesis */
                msg = ar_printf(A, "unexpected ): `%.*s`", (int)n, re);
                break;
            case 106: /* missing terminating ] */
                msg = ar_printf(A, "missing closing ]: `%.*s`", (int)(n - (n ? 0 : 0)), re + 0);
                break;
            case 109: /* quantifier does not follow a repeatable item */
                msg = ar_printf(A, "missing argument to repetition operator: `%.*s`",
                                (int)(eo < n ? 1 : 0), eo < n ? re + eo : "");
                break;
            case 101: /* \ at end of pattern */
                msg = "trailing backslash at end of expression: ``";
                break;
            default: {
                PCRE2_UCHAR eb[256];
                pcre2_get_error_message(ec, eb, sizeof eb);
                msg = ar_printf(A, "%s", (const char *)eb);
            }
            }
        }
    } else {
        msg = ar_printf(A, "%s: `%s`", why, frag);
    }
    if (msg) {
        rx_free(r);
        if (must) return tpl_errorf(c, "error parsing regexp: %s", msg);
        return tpl_errorf(c, "regexp: Compile(`%.*s`): error parsing regexp: %s", (int)n, re, msg);
    }
    r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
    return true;
}

/* One match at or after pos: ovector pairs, or NULL. */
static const PCRE2_SIZE *rx_exec(rx *r, const char *s, size_t n, size_t pos)
{
    int rc = pcre2_match(r->code, (PCRE2_SPTR)s, n, pos, 0, r->md, NULL);
    if (rc < 0) return NULL;
    return pcre2_get_ovector_pointer(r->md);
}

static size_t rune_width(const char *s, size_t n, size_t pos)
{
    if (pos >= n) return 0;
    uint32_t r;
    return sprig_utf8_dec(s + pos, n - pos, &r);
}

/* Go's allMatches: up to lim matches (lim < 0: all), empty matches right after a match dropped.
 * Returns the count; starts/ends in arena arrays. */
static size_t rx_all(arena *a, rx *r, const char *s, size_t n, int64_t lim, size_t **st,
                     size_t **en)
{
    size_t cap = 8, k = 0;
    *st = ar_alloc(a, cap * sizeof **st);
    *en = ar_alloc(a, cap * sizeof **en);
    long prev_end = -1;
    size_t pos = 0;
    while ((lim < 0 || (int64_t)k < lim) && pos <= n) {
        const PCRE2_SIZE *ov = rx_exec(r, s, n, pos);
        if (!ov) break;
        bool accept = true;
        if (ov[1] == pos) {
            if ((long)ov[0] == prev_end) accept = false;
            size_t w = rune_width(s, n, pos);
            pos += w ? w : 1;
        } else {
            pos = ov[1];
        }
        prev_end = (long)ov[1];
        if (accept) {
            if (k == cap) {
                *st = ar_realloc(a, *st, cap * sizeof **st, cap * 2 * sizeof **st);
                *en = ar_realloc(a, *en, cap * sizeof **en, cap * 2 * sizeof **en);
                cap *= 2;
            }
            (*st)[k] = ov[0];
            (*en)[k] = ov[1];
            k++;
        }
    }
    return k;
}

static bool regex_match(tpl_ctx *c, const tpl_val *const *args, bool must, const tpl_val **out)
{
    rx r;
    if (!rx_compile(c, S(0), N(0), true, &r)) {
        if (must) return false;
        *out = tpl_bool(false);
        return true;
    }
    *out = tpl_bool(rx_exec(&r, S(1), N(1), 0) != NULL);
    rx_free(&r);
    return true;
}

TPL_FN(tpl_f_regexMatch)
{
    (void)nargs;
    return regex_match(c, args, false, out);
}

TPL_FN(tpl_f_mustRegexMatch)
{
    (void)nargs;
    return regex_match(c, args, true, out);
}

static bool regex_find_all(tpl_ctx *c, const tpl_val *const *args, bool must, const tpl_val **out)
{
    rx r;
    if (!rx_compile(c, S(0), N(0), must, &r)) return false;
    size_t *st, *en;
    size_t k = args[2]->i == 0 ? 0 : rx_all(A, &r, S(1), N(1), args[2]->i, &st, &en);
    const char **ss = ar_alloc(A, (k ? k : 1) * sizeof *ss);
    size_t *ls = ar_alloc(A, (k ? k : 1) * sizeof *ls);
    for (size_t i = 0; i < k; i++) {
        ss[i] = ar_strndup(A, S(1) + st[i], en[i] - st[i]);
        ls[i] = en[i] - st[i];
    }
    rx_free(&r);
    *out = sprig_strlist(A, ss, ls, k);
    return true;
}

TPL_FN(tpl_f_regexFindAll)
{
    (void)nargs;
    return regex_find_all(c, args, false, out);
}

TPL_FN(tpl_f_mustRegexFindAll)
{
    (void)nargs;
    return regex_find_all(c, args, true, out);
}

static bool regex_find(tpl_ctx *c, const tpl_val *const *args, bool must, const tpl_val **out)
{
    rx r;
    if (!rx_compile(c, S(0), N(0), must, &r)) return false;
    const PCRE2_SIZE *ov = rx_exec(&r, S(1), N(1), 0);
    *out = ov ? tpl_str(A, S(1) + ov[0], ov[1] - ov[0]) : tpl_empty_str();
    rx_free(&r);
    return true;
}

TPL_FN(tpl_f_regexFind)
{
    (void)nargs;
    return regex_find(c, args, false, out);
}

TPL_FN(tpl_f_mustRegexFind)
{
    (void)nargs;
    return regex_find(c, args, true, out);
}

/* regexp.Expand's template: $1, ${1}, $name, ${name}, $$. */
static void rx_expand(buf_t *b, rx *r, const char *tmpl, size_t tn, const char *s,
                      const PCRE2_SIZE *ov)
{
    uint32_t ngroups = 0;
    pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &ngroups);
    for (size_t i = 0; i < tn;) {
        if (tmpl[i] != '$') {
            buf_putc(b, tmpl[i++]);
            continue;
        }
        if (i + 1 < tn && tmpl[i + 1] == '$') {
            buf_putc(b, '$');
            i += 2;
            continue;
        }
        size_t ns, ne, next;
        bool brace = i + 1 < tn && tmpl[i + 1] == '{';
        ns = i + 1 + (brace ? 1 : 0);
        ne = ns;
        while (ne < tn && (tmpl[ne] == '_' || (tmpl[ne] >= '0' && tmpl[ne] <= '9') ||
                           ((tmpl[ne] | 32) >= 'a' && (tmpl[ne] | 32) <= 'z')))
            ne++;
        if (ne == ns || (brace && (ne >= tn || tmpl[ne] != '}'))) {
            buf_putc(b, '$'); /* malformed: the $ is text */
            i++;
            continue;
        }
        next = brace ? ne + 1 : ne;
        long num = 0;
        for (size_t k = ns; k < ne; k++) {
            if (tmpl[k] < '0' || tmpl[k] > '9' || num >= 100000000) {
                num = -1;
                break;
            }
            num = num * 10 + (tmpl[k] - '0');
        }
        if (tmpl[ns] == '0' && ne - ns > 1) num = -1;
        if (num < 0) {
            char *name = util_xmalloc(ne - ns + 1);
            memcpy(name, tmpl + ns, ne - ns);
            name[ne - ns] = 0;
            int g = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)name);
            free(name);
            num = g > 0 ? g : -1;
        }
        if (num >= 0 && (uint32_t)num <= ngroups && ov[2 * num] != PCRE2_UNSET)
            buf_put(b, s + ov[2 * num], ov[2 * num + 1] - ov[2 * num]);
        i = next;
    }
}

static bool regex_replace(tpl_ctx *c, const tpl_val *const *args, bool must, bool literal,
                          const tpl_val **out)
{
    rx r;
    if (!rx_compile(c, S(0), N(0), must, &r)) return false;
    const char *s = S(1);
    size_t n = N(1), last = 0, pos = 0;
    buf_t b = {0};
    while (pos <= n) {
        const PCRE2_SIZE *ov = rx_exec(&r, s, n, pos);
        if (!ov) break;
        buf_put(&b, s + last, ov[0] - last);
        if (ov[1] > last || ov[0] == 0) {
            if (literal)
                buf_put(&b, S(2), N(2));
            else
                rx_expand(&b, &r, S(2), N(2), s, ov);
        }
        last = ov[1];
        size_t w = rune_width(s, n, pos);
        if (pos + w > ov[1])
            pos += w;
        else if (pos + 1 > ov[1])
            pos++;
        else
            pos = ov[1];
    }
    buf_put(&b, s + last, n - last);
    rx_free(&r);
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_regexReplaceAll)
{
    (void)nargs;
    return regex_replace(c, args, false, false, out);
}

TPL_FN(tpl_f_mustRegexReplaceAll)
{
    (void)nargs;
    return regex_replace(c, args, true, false, out);
}

TPL_FN(tpl_f_regexReplaceAllLiteral)
{
    (void)nargs;
    return regex_replace(c, args, false, true, out);
}

TPL_FN(tpl_f_mustRegexReplaceAllLiteral)
{
    (void)nargs;
    return regex_replace(c, args, true, true, out);
}

static bool regex_split(tpl_ctx *c, const tpl_val *const *args, bool must, const tpl_val **out)
{
    rx r;
    if (!rx_compile(c, S(0), N(0), must, &r)) return false;
    int64_t lim = args[2]->i;
    const char *s = S(1);
    size_t n = N(1);
    if (lim == 0) {
        rx_free(&r);
        *out = sprig_strlist(A, NULL, NULL, 0);
        return true;
    }
    if (N(0) > 0 && n == 0) {
        rx_free(&r);
        const char *e = "";
        size_t z = 0;
        *out = sprig_strlist(A, &e, &z, 1);
        return true;
    }
    size_t *st, *en;
    size_t k = rx_all(A, &r, s, n, lim, &st, &en);
    const char **ss = ar_alloc(A, (k + 1) * sizeof *ss);
    size_t *ls = ar_alloc(A, (k + 1) * sizeof *ls);
    size_t m = 0, beg = 0, end = 0;
    for (size_t i = 0; i < k; i++) {
        if (lim > 0 && (int64_t)m == lim - 1) break;
        end = st[i];
        if (en[i] != 0) {
            ss[m] = s + beg;
            ls[m++] = end - beg;
        }
        beg = en[i];
    }
    if (end != n) {
        ss[m] = s + beg;
        ls[m++] = n - beg;
    }
    for (size_t i = 0; i < m; i++)
        ss[i] = ar_strndup(A, ss[i], ls[i]);
    rx_free(&r);
    *out = sprig_strlist(A, ss, ls, m);
    return true;
}

TPL_FN(tpl_f_regexSplit)
{
    (void)nargs;
    return regex_split(c, args, false, out);
}

TPL_FN(tpl_f_mustRegexSplit)
{
    (void)nargs;
    return regex_split(c, args, true, out);
}

TPL_FN(tpl_f_regexQuoteMeta)
{
    (void)nargs;
    buf_t b = {0};
    for (size_t i = 0; i < N(0); i++) {
        if (strchr("\\.+*?()|[]{}^$", S(0)[i]) && S(0)[i]) buf_putc(&b, '\\');
        buf_putc(&b, S(0)[i]);
    }
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

/* ---------------------------------------------------------------- URLs (net/url) */

enum { ENC_PATH, ENC_HOST, ENC_USER, ENC_FRAGMENT };

/* url.shouldEscape. */
static bool should_escape(unsigned char ch, int mode)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
        return false;
    if (mode == ENC_HOST) {
        if (strchr("!$&'()*+,;=:[]<>\"", ch) && ch) return false;
    }
    switch (ch) {
    case '-':
    case '_':
    case '.':
    case '~':
        return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
        if (mode == ENC_PATH) return ch == '?';
        if (mode == ENC_USER) return ch == '@' || ch == '/' || ch == '?' || ch == ':';
        if (mode == ENC_FRAGMENT) return false;
        return true;
    }
    if (mode == ENC_FRAGMENT && strchr("!()*", ch) && ch) return false;
    if (mode == ENC_HOST && ch >= 0x80) return false;
    return true;
}

static void url_escape(buf_t *b, const char *s, size_t n, int mode)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (should_escape(ch, mode)) {
            buf_putc(b, '%');
            buf_putc(b, hex[ch >> 4]);
            buf_putc(b, hex[ch & 15]);
        } else {
            buf_putc(b, (char)ch);
        }
    }
}

static int hexv(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if ((ch | 32) >= 'a' && (ch | 32) <= 'f') return (ch | 32) - 'a' + 10;
    return -1;
}

/* url.unescape: false with the bad escape in *bad. */
static bool url_unescape(arena *a, const char *s, size_t n, const char **out, size_t *on,
                         const char **bad)
{
    buf_t b = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            if (i + 2 >= n || hexv(s[i + 1]) < 0 || hexv(s[i + 2]) < 0) {
                size_t l = n - i < 3 ? n - i : 3;
                *bad = ar_strndup(a, s + i, l);
                buf_free(&b);
                return false;
            }
            buf_putc(&b, (char)(hexv(s[i + 1]) * 16 + hexv(s[i + 2])));
            i += 2;
        } else {
            buf_putc(&b, s[i]);
        }
    }
    *on = b.len;
    *out = ar_strndup(a, b.len ? b.data : "", b.len);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_urlParse)
{
    (void)nargs;
    const char *s = S(0);
    size_t n = N(0);
    const char *scheme = "", *opaque = "", *user = NULL, *host = "", *path = "", *query = "",
               *frag = "";
    size_t schn = 0, opn = 0, usern = 0, hostn = 0, pathn = 0, qn = 0, fn = 0;
    const char *bad = NULL;
    /* fragment */
    const char *hash = memchr(s, '#', n);
    size_t rn = hash ? (size_t)(hash - s) : n;
    if (hash && !url_unescape(A, hash + 1, n - rn - 1, &frag, &fn, &bad))
        return tpl_errorf(c, "unable to parse url: parse \"%s\": invalid URL escape \"%s\"", s,
                          bad);
    /* scheme */
    size_t i = 0;
    if (rn && ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')) {
        size_t k = 1;
        while (k < rn &&
               (((s[k] | 32) >= 'a' && (s[k] | 32) <= 'z') || (s[k] >= '0' && s[k] <= '9') ||
                s[k] == '+' || s[k] == '-' || s[k] == '.'))
            k++;
        if (k < rn && s[k] == ':') {
            char *sc = ar_strndup(A, s, k);
            for (size_t j = 0; j < k; j++)
                if (sc[j] >= 'A' && sc[j] <= 'Z') sc[j] = (char)(sc[j] + 32);
            scheme = sc;
            schn = k;
            i = k + 1;
        }
    } else if (rn && s[0] == ':') {
        return tpl_errorf(c, "unable to parse url: parse \"%s\": missing protocol scheme", s);
    }
    /* query */
    const char *q = memchr(s + i, '?', rn - i);
    size_t re = q ? (size_t)(q - s) : rn;
    if (q) {
        query = ar_strndup(A, q + 1, rn - re - 1);
        qn = rn - re - 1;
    }
    const char *rest = s + i;
    size_t restn = re - i;
    if (schn && (restn == 0 || rest[0] != '/')) {
        opaque = ar_strndup(A, rest, restn);
        opn = restn;
    } else {
        if (restn >= 2 && rest[0] == '/' && rest[1] == '/') {
            size_t k = 2;
            while (k < restn && rest[k] != '/')
                k++;
            const char *auth = rest + 2;
            size_t an = k - 2;
            const char *at = NULL;
            for (size_t j = an; j > 0; j--)
                if (auth[j - 1] == '@') {
                    at = auth + j - 1;
                    break;
                }
            if (at) {
                user = auth;
                usern = (size_t)(at - auth);
                auth = at + 1;
                an -= usern + 1;
            }
            host = ar_strndup(A, auth, an);
            hostn = an;
            rest += k;
            restn -= k;
        }
        if (!url_unescape(A, rest, restn, &path, &pathn, &bad))
            return tpl_errorf(c, "unable to parse url: parse \"%s\": invalid URL escape \"%s\"", s,
                              bad);
    }
    (void)opn;
    (void)schn;
    (void)qn;
    (void)fn;
    tpl_val *m = tpl_map_new(A, NULL);
    tpl_map_setz(A, m->map, "scheme", tpl_cstr(A, scheme));
    tpl_map_setz(A, m->map, "host", tpl_str(A, host, hostn));
    /* hostname: without the port and IPv6 brackets */
    const char *hn = host;
    size_t hl = hostn;
    if (hl && hn[0] == '[') {
        const char *cb = memchr(hn, ']', hl);
        if (cb) {
            hl = (size_t)(cb - hn) - 1;
            hn++;
        }
    } else {
        const char *colon = NULL;
        for (size_t j = hl; j > 0; j--)
            if (hn[j - 1] == ':') {
                colon = hn + j - 1;
                break;
            }
        if (colon) hl = (size_t)(colon - hn);
    }
    tpl_map_setz(A, m->map, "hostname", tpl_str(A, hn, hl));
    tpl_map_setz(A, m->map, "path", tpl_str(A, path, pathn));
    tpl_map_setz(A, m->map, "query", tpl_cstr(A, query));
    tpl_map_setz(A, m->map, "opaque", tpl_cstr(A, opaque));
    tpl_map_setz(A, m->map, "fragment", tpl_str(A, frag, fn));
    if (user) {
        /* Userinfo.String(): user (and :password) re-escaped */
        const char *u, *p = NULL;
        size_t un, pn = 0;
        const char *colon = memchr(user, ':', usern);
        if (!url_unescape(A, user, colon ? (size_t)(colon - user) : usern, &u, &un, &bad))
            return tpl_errorf(c, "unable to parse url: parse \"%s\": invalid URL escape \"%s\"", s,
                              bad);
        if (colon && !url_unescape(A, colon + 1, usern - (size_t)(colon - user) - 1, &p, &pn, &bad))
            return tpl_errorf(c, "unable to parse url: parse \"%s\": invalid URL escape \"%s\"", s,
                              bad);
        buf_t b = {0};
        url_escape(&b, u, un, ENC_USER);
        if (colon) {
            buf_putc(&b, ':');
            url_escape(&b, p, pn, ENC_USER);
        }
        tpl_map_setz(A, m->map, "userinfo", tpl_str_buf(A, &b));
        buf_free(&b);
    } else {
        tpl_map_setz(A, m->map, "userinfo", tpl_empty_str());
    }
    *out = m;
    return true;
}

static bool dict_str(tpl_ctx *c, const tpl_map *m, const char *key, const char **s, size_t *n)
{
    *s = "";
    *n = 0;
    const tpl_val *v = m ? tpl_map_getz(m, key) : NULL;
    if (!v) return true;
    if (v->kind != TPL_STRING)
        return tpl_errorf(c, "unable to parse %s key, must be of type string, but %s found", key,
                          tpl_kind_name(v));
    *s = v->str.s;
    *n = v->str.n;
    return true;
}

TPL_FN(tpl_f_urlJoin)
{
    (void)nargs;
    const tpl_map *m = args[0]->kind == TPL_MAP ? args[0]->map : NULL;
    const char *scheme, *host, *path, *query, *opaque, *frag, *ui;
    size_t schn, hostn, pathn, qn, opn, fn, uin;
    if (!dict_str(c, m, "scheme", &scheme, &schn) || !dict_str(c, m, "host", &host, &hostn) ||
        !dict_str(c, m, "path", &path, &pathn) || !dict_str(c, m, "query", &query, &qn) ||
        !dict_str(c, m, "opaque", &opaque, &opn) || !dict_str(c, m, "fragment", &frag, &fn) ||
        !dict_str(c, m, "userinfo", &ui, &uin))
        return false;
    buf_t b = {0};
    if (schn) {
        buf_put(&b, scheme, schn);
        buf_putc(&b, ':');
    }
    if (opn) {
        buf_put(&b, opaque, opn);
    } else {
        if (schn || hostn || uin) {
            if (hostn || pathn || uin) buf_puts(&b, "//");
            if (uin) {
                /* the userinfo as url.Parse("proto://UI@host") reads it, printed back */
                const char *colon = memchr(ui, ':', uin);
                const char *u, *p = NULL, *bad = NULL;
                size_t un, pn = 0;
                if (!url_unescape(A, ui, colon ? (size_t)(colon - ui) : uin, &u, &un, &bad) ||
                    (colon &&
                     !url_unescape(A, colon + 1, uin - (size_t)(colon - ui) - 1, &p, &pn, &bad))) {
                    buf_free(&b);
                    return tpl_errorf(
                        c,
                        "unable to parse userinfo in dict: parse \"proto://%.*s@host\": "
                        "invalid URL escape \"%s\"",
                        (int)uin, ui, bad);
                }
                url_escape(&b, u, un, ENC_USER);
                if (colon) {
                    buf_putc(&b, ':');
                    url_escape(&b, p, pn, ENC_USER);
                }
                buf_putc(&b, '@');
            }
            url_escape(&b, host, hostn, ENC_HOST);
        }
        if (pathn && path[0] != '/' && hostn) buf_putc(&b, '/');
        if (b.len == 0) {
            const char *sl = memchr(path, '/', pathn);
            size_t segn = sl ? (size_t)(sl - path) : pathn;
            if (memchr(path, ':', segn)) buf_puts(&b, "./");
        }
        url_escape(&b, path, pathn, ENC_PATH);
    }
    if (qn) {
        buf_putc(&b, '?');
        buf_put(&b, query, qn);
    }
    if (fn) {
        buf_putc(&b, '#');
        url_escape(&b, frag, fn, ENC_FRAGMENT);
    }
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}
