/* The template parser's builders and entry point: node construction for the grammar's
 * actions, variable scopes, literal decoding (Go's number, string and rune syntax), parse
 * errors in Go's words, and tpl_parse adding a file's templates to the set. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "template/tpl_int.h"
#include "tpl_parse.h"

int tpl_yyparse(tpl_parser *p);

/* ---- errors ---- */

void tpl_p_error(tpl_parser *p, uint32_t off, const char *fmt, ...)
{
    if (p->failed) return;
    va_list ap;
    va_start(ap, fmt);
    buf_t b = {0};
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    buf_grow(&b, (size_t)n + 1);
    vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    p->msg = ar_strdup(p->a, b.data);
    buf_free(&b);
    p->failed = true;
    p->err_off = off;
    p->err_has_off = true;
}

const char *tpl_p_quote(tpl_parser *p, const char *s, size_t n)
{
    return tpl_p_quote_a(p->a, s, n);
}

const char *tpl_p_quote_a(arena *a, const char *s, size_t n)
{
    buf_t b = {0};
    tpl_go_quote(&b, s, n, false);
    const char *r = ar_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

static const char *const kw_names[] = {"if",     "else",     "end",   "range", "with",
                                       "define", "template", "block", "break", "continue"};
static const int kw_toks[] = {KW_IF,     KW_ELSE,     KW_END,   KW_RANGE, KW_WITH,
                              KW_DEFINE, KW_TEMPLATE, KW_BLOCK, KW_BREAK, KW_CONTINUE};

int tpl_p_keyword(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof kw_names / sizeof kw_names[0]; i++)
        if (strlen(kw_names[i]) == n && memcmp(kw_names[i], s, n) == 0) return kw_toks[i];
    if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0))
        return BOOL;
    if (n == 3 && memcmp(s, "nil", 3) == 0) return NIL;
    return IDENT;
}

/* Go's item.String() for "unexpected X" messages. */
const char *tpl_p_tokdesc(tpl_parser *p, int tok, const tpl_tok *t)
{
    switch (tok) {
    case 0:
        return "EOF";
    case ERROR:
        return p->lex_err ? p->lex_err : "error";
    case DOT:
        return "<.>";
    case NIL:
        return "<nil>";
    case L_IF:
    case KW_IF:
        return "<if>";
    case L_ELSE:
    case KW_ELSE:
        return "<else>";
    case L_END:
    case KW_END:
        return "<end>";
    case L_RANGE:
    case KW_RANGE:
        return "<range>";
    case L_WITH:
    case KW_WITH:
        return "<with>";
    case L_DEFINE:
    case KW_DEFINE:
        return "<define>";
    case L_TEMPLATE:
    case KW_TEMPLATE:
        return "<template>";
    case L_BLOCK:
    case KW_BLOCK:
        return "<block>";
    case L_BREAK:
    case KW_BREAK:
        return "<break>";
    case L_CONTINUE:
    case KW_CONTINUE:
        return "<continue>";
    case L_ELSE_IF:
        return "<if>";
    case L_ELSE_WITH:
        return "<with>";
    default:
        break;
    }
    if (t->n > 10) {
        /* %.10q...: the first ten runes, quoted */
        size_t k = 0;
        for (int r = 0; r < 10 && k < t->n; r++)
            k += (size_t)util_utf8_width((unsigned char)t->s[k]);
        if (k > t->n) k = t->n;
        return ar_printf(p->a, "%s...", tpl_p_quote(p, t->s, k));
    }
    return tpl_p_quote(p, t->s, t->n);
}

#define NCTX ((int)(sizeof p->ctx / sizeof p->ctx[0]))
static const char *ctx_top(tpl_parser *p, const char *dflt)
{
    if (p->nctx == 0) return dflt;
    return p->ctx[(p->nctx < NCTX ? p->nctx : NCTX) - 1];
}
static int ctl_top(tpl_parser *p)
{
    return (p->nctl < NCTX ? p->nctl : NCTX) - 1;
}

void tpl_p_syntax_error(tpl_parser *p)
{
    if (p->failed) return;
    int tok = p->cur_kind;
    const tpl_tok *t = &p->cur_val;
    if (tok == ERROR) {
        const char *m = p->lex_err ? p->lex_err : "syntax error";
        if (p->in_action) {
            /* Go: " in action started at NAME:LINE" when the action began on another line */
            uint32_t l1, l2, c;
            tpl_tree tt = {.text = p->text, .len = p->len};
            tpl_tree_linecol(&tt, p->action_off, &l1, &c);
            tpl_tree_linecol(&tt, p->lex_err_off, &l2, &c);
            size_t ml = strlen(m);
            if (l1 != l2) {
                bool act = ml >= 7 && strcmp(m + ml - 7, " action") == 0;
                m = ar_printf(p->a, "%s%s started at %s:%u", m, act ? "" : " in action", p->name,
                              l1);
            }
        }
        tpl_p_error(p, p->lex_err_off, "%s", m);
        return;
    }
    if (tok == 0) {
        tpl_p_error(p, (uint32_t)p->len, "unexpected EOF");
        return;
    }
    if (tok == L_END || tok == L_ELSE || tok == L_ELSE_IF || tok == L_ELSE_WITH) {
        const char *what = tok == L_END ? "{{end}}" : "{{else}}";
        if (p->nctl == 0) {
            tpl_p_error(p, t->off, "unexpected %s", what);
        } else if (p->ctl_else[ctl_top(p)]) {
            tpl_p_error(p, t->off, "expected end; found %s", what);
        } else if (tok == L_ELSE_IF) {
            tpl_p_error(p, t->off, "unexpected <if> in input");
        } else {
            tpl_p_error(p, t->off, "unexpected %s in %s", what, p->ctl[ctl_top(p)]);
        }
        return;
    }
    const char *ctx = ctx_top(p, "input");
    if (tok == L_DEFINE && p->nctx == 0) {
        /* a define below the top level: Go parses it as a command */
        tpl_p_error(p, t->off, "unexpected <define> in command");
        return;
    }
    if (tok == TEXT || tok == LDELIM || tok == L_IF || tok == L_RANGE || tok == L_WITH ||
        tok == L_DEFINE || tok == L_TEMPLATE || tok == L_BLOCK || tok == L_BREAK ||
        tok == L_CONTINUE) {
        if (p->nctx) {
            tpl_p_error(p, t->off, "unexpected %s in %s", tpl_p_tokdesc(p, tok, t), ctx);
        } else {
            tpl_p_error(p, t->off, "unexpected %s in input", tpl_p_tokdesc(p, tok, t));
        }
        return;
    }
    /* inside an action: after an operand Go says "in operand" */
    switch (p->prev_kind) {
    case IDENT:
    case FIELD:
    case CFIELD:
    case VARIABLE:
    case DOT:
    case NIL:
    case BOOL:
    case NUMBER:
    case COMPLEX:
    case CHARLIT:
    case STRING:
    case RAWSTRING:
    case RPAREN:
        if (tok != PIPE && tok != RDELIM && tok != RPAREN) ctx = "operand";
        break;
    default:
        break;
    }
    tpl_p_error(p, t->off, "unexpected %s in %s", tpl_p_tokdesc(p, tok, t), ctx);
}

/* ---- nodes ---- */

tpl_node *tpl_p_node(tpl_parser *p, tpl_nkind k, uint32_t off)
{
    tpl_node *n = ar_alloc(p->a, sizeof *n);
    n->kind = (uint8_t)k;
    n->off = off;
    n->start = off;
    n->tree = p->tree;
    return n;
}

void tpl_p_append(tpl_parser *p, tpl_nodes *l, tpl_node *n)
{
    if (!n) return;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        l->items = ar_realloc(p->a, l->items, l->cap * sizeof *l->items, nc * sizeof *l->items);
        l->cap = nc;
    }
    l->items[l->n++] = n;
}

tpl_node *tpl_p_text(tpl_parser *p, const tpl_tok *t)
{
    tpl_node *n = tpl_p_node(p, TN_TEXT, t->off);
    n->text.s = t->s;
    n->text.n = t->n;
    return n;
}

/* Splits "a.b.c" (after a leading '.' or '$x') into identifiers. */
static void split_ids(tpl_parser *p, tpl_node *n, const char *s, size_t len)
{
    size_t cnt = 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '.') cnt++;
    n->field.ids = ar_alloc(p->a, cnt * sizeof *n->field.ids);
    size_t st = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            n->field.ids[n->field.n++] = ar_strndup(p->a, s + st, i - st);
            st = i + 1;
        }
    }
}

static void add_id(tpl_parser *p, tpl_node *n, const char *s, size_t len)
{
    const char **ids = ar_alloc(p->a, (n->field.n + 1) * sizeof *ids);
    if (n->field.n) memcpy(ids, n->field.ids, n->field.n * sizeof *ids);
    ids[n->field.n++] = ar_strndup(p->a, s, len);
    n->field.ids = ids;
}

static bool var_defined(tpl_parser *p, const char *s, size_t n)
{
    for (size_t i = 0; i < p->nvars; i++)
        if (strlen(p->vars[i]) == n && memcmp(p->vars[i], s, n) == 0) return true;
    return false;
}

static void var_push(tpl_parser *p, const char *name)
{
    if (p->nvars == p->capvars) {
        size_t nc = p->capvars ? p->capvars * 2 : 8;
        p->vars = ar_realloc(p->a, p->vars, p->capvars * sizeof *p->vars, nc * sizeof *p->vars);
        p->capvars = nc;
    }
    p->vars[p->nvars++] = name;
}

size_t tpl_p_vars_mark(tpl_parser *p)
{
    return p->nvars;
}
void tpl_p_vars_pop(tpl_parser *p, size_t mark)
{
    if (mark < p->nvars) p->nvars = mark;
}

/* strconv.UnquoteChar: decodes one (possibly escaped) character at *s for a literal quoted with
 * q; false on bad syntax. Writes UTF-8 into out. */
static bool unquote_char(const char **s, const char *end, char q, buf_t *out, uint32_t *rune)
{
    const char *c = *s;
    if (c >= end) return false;
    unsigned char ch = (unsigned char)*c;
    if (ch == (unsigned char)q && (q == '\'' || q == '"')) return false;
    if (ch != '\\') {
        int w = util_utf8_width(ch);
        if (c + w > end) w = 1;
        uint32_t r = ch;
        if (w > 1) {
            if (!util_utf8_valid(c, (size_t)w)) {
                w = 1;
                r = 0xFFFD;
                buf_puts(out, "\xEF\xBF\xBD");
                *rune = r;
                *s = c + 1;
                return true;
            }
            const unsigned char *u = (const unsigned char *)c;
            if (w == 2) r = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
            if (w == 3) r = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
            if (w == 4)
                r = ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
                    (u[3] & 0x3Fu);
        }
        buf_put(out, c, (size_t)w);
        *rune = r;
        *s = c + w;
        return true;
    }
    c++;
    if (c >= end) return false;
    char e = *c++;
    uint32_t v = 0;
    int digits = 0;
    switch (e) {
    case 'a':
        v = 7;
        break;
    case 'b':
        v = 8;
        break;
    case 'f':
        v = 12;
        break;
    case 'n':
        v = 10;
        break;
    case 'r':
        v = 13;
        break;
    case 't':
        v = 9;
        break;
    case 'v':
        v = 11;
        break;
    case '\\':
        v = '\\';
        break;
    case '\'':
    case '"':
        if (e != q) return false;
        v = (uint32_t)e;
        break;
    case 'x':
        digits = 2;
        goto hex;
    case 'u':
        digits = 4;
        goto hex;
    case 'U':
        digits = 8;
    hex:
        for (int i = 0; i < digits; i++) {
            if (c >= end) return false;
            char h = *c++;
            int d = (h >= '0' && h <= '9')   ? h - '0'
                    : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                    : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                             : -1;
            if (d < 0) return false;
            v = v * 16 + (uint32_t)d;
        }
        if (e == 'x') {
            /* a single byte */
            char b = (char)v;
            buf_put(out, &b, 1);
            *rune = v;
            *s = c;
            return true;
        }
        if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return false;
        break;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
        v = (uint32_t)(e - '0');
        for (int i = 0; i < 2; i++) {
            if (c >= end || *c < '0' || *c > '7') return false;
            v = v * 8 + (uint32_t)(*c++ - '0');
        }
        if (v > 255) return false;
        {
            char b = (char)v;
            buf_put(out, &b, 1);
            *rune = v;
            *s = c;
            return true;
        }
    default:
        return false;
    }
    /* encode v as UTF-8 */
    char u[4];
    int w;
    if (v < 0x80) {
        u[0] = (char)v;
        w = 1;
    } else if (v < 0x800) {
        u[0] = (char)(0xC0 | (v >> 6));
        u[1] = (char)(0x80 | (v & 0x3F));
        w = 2;
    } else if (v < 0x10000) {
        u[0] = (char)(0xE0 | (v >> 12));
        u[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        u[2] = (char)(0x80 | (v & 0x3F));
        w = 3;
    } else {
        u[0] = (char)(0xF0 | (v >> 18));
        u[1] = (char)(0x80 | ((v >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((v >> 6) & 0x3F));
        u[3] = (char)(0x80 | (v & 0x3F));
        w = 4;
    }
    buf_put(out, u, (size_t)w);
    *rune = v;
    *s = c;
    return true;
}

/* strconv.Unquote of a "..." or `...` token; NULL on bad syntax. */
static const char *unquote(tpl_parser *p, const tpl_tok *t, size_t *len)
{
    const char *s = t->s, *end = t->s + t->n;
    buf_t b = {0};
    if (s[0] == '`') {
        for (const char *c = s + 1; c < end - 1; c++)
            if (*c != '\r') buf_putc(&b, *c);
    } else {
        const char *c = s + 1;
        while (c < end - 1) {
            uint32_t r;
            if (!unquote_char(&c, end - 1, '"', &b, &r)) {
                buf_free(&b);
                return NULL;
            }
        }
    }
    *len = b.len;
    const char *r = ar_strndup(p->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

/* ---- numbers (Go's strconv with base prefixes and underscores) ---- */

size_t tpl_lex_number_len(const char *s, size_t n, bool *ok, bool *complex)
{
    size_t i = 0;
    *complex = false;
#define PEEK (i < n ? s[i] : 0)
#define ACCEPT(set) (i < n && s[i] && strchr(set, s[i]) ? (i++, true) : false)
#define ISALNUM(c)                                                                                 \
    ((c) == '_' || ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') ||                     \
     ((c) >= '0' && (c) <= '9') || (unsigned char)(c) >= 0x80)
    for (int part = 0; part < 2; part++) {
        ACCEPT("+-");
        const char *digits = "0123456789_";
        if (ACCEPT("0")) {
            if (ACCEPT("xX"))
                digits = "0123456789abcdefABCDEF_";
            else if (ACCEPT("oO"))
                digits = "01234567_";
            else if (ACCEPT("bB"))
                digits = "01_";
        }
        while (ACCEPT(digits)) {
        }
        if (ACCEPT(".")) {
            while (ACCEPT(digits)) {
            }
        }
        if (strlen(digits) == 11 && ACCEPT("eE")) {
            ACCEPT("+-");
            while (ACCEPT("0123456789_")) {
            }
        }
        if (strlen(digits) == 23 && ACCEPT("pP")) {
            ACCEPT("+-");
            while (ACCEPT("0123456789_")) {
            }
        }
        ACCEPT("i");
        if (i < n && ISALNUM(s[i])) {
            i++;
            *ok = false;
            return i;
        }
        if (part == 0) {
            if (PEEK == '+' || PEEK == '-') {
                *complex = true;
                continue;
            }
            break;
        }
        if (s[i - 1] != 'i') {
            *ok = false;
            return i;
        }
    }
    *ok = true;
    return i;
#undef PEEK
#undef ACCEPT
#undef ISALNUM
}

/* Go's underscore rule (base prefix or digits on both sides); returns the text without them. */
static bool strip_underscores(const char *s, size_t n, char *out)
{
    size_t j = 0;
    bool base_prefix = false;
    const char *t = s;
    size_t k = 0;
    if (k < n && (t[k] == '+' || t[k] == '-')) out[j++] = t[k++];
    if (n - k >= 2 && t[k] == '0' && strchr("xXoObB", t[k + 1])) base_prefix = true;
    char prev = base_prefix ? '_' : 0; /* after "0x", an underscore is allowed */
    bool saw = false;
    for (size_t i = k; i < n; i++) {
        char c = t[i];
        if (c == '_') {
            saw = true;
            if (i == k) return false;
            /* must follow a digit or the base prefix, and precede a digit */
            bool after_ok =
                (i > k &&
                 ((t[i - 1] >= '0' && t[i - 1] <= '9') || (t[i - 1] >= 'a' && t[i - 1] <= 'f') ||
                  (t[i - 1] >= 'A' && t[i - 1] <= 'F') || (base_prefix && i == k + 2)));
            bool before_ok = i + 1 < n && ((t[i + 1] >= '0' && t[i + 1] <= '9') ||
                                           (t[i + 1] >= 'a' && t[i + 1] <= 'f') ||
                                           (t[i + 1] >= 'A' && t[i + 1] <= 'F'));
            if (!after_ok || !before_ok) return false;
            continue;
        }
        out[j++] = c;
    }
    (void)prev;
    (void)saw;
    out[j] = 0;
    return true;
}

static bool parse_uint(const char *s, uint64_t *out)
{
    int base = 10;
    const char *d = s;
    if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
        base = 16;
        d += 2;
    } else if (d[0] == '0' && (d[1] == 'o' || d[1] == 'O')) {
        base = 8;
        d += 2;
    } else if (d[0] == '0' && (d[1] == 'b' || d[1] == 'B')) {
        base = 2;
        d += 2;
    } else if (d[0] == '0' && d[1]) {
        base = 8;
        d += 1;
    }
    if (!*d) return false;
    uint64_t v = 0;
    for (; *d; d++) {
        int x = (*d >= '0' && *d <= '9')   ? *d - '0'
                : (*d >= 'a' && *d <= 'z') ? *d - 'a' + 10
                : (*d >= 'A' && *d <= 'Z') ? *d - 'A' + 10
                                           : 99;
        if (x >= base) return false;
        if (v > (UINT64_MAX - (uint64_t)x) / (uint64_t)base) return false;
        v = v * (uint64_t)base + (uint64_t)x;
    }
    *out = v;
    return true;
}

/* Go's NumberNode rules: the number under every type that can represent it. */
static bool parse_number(const char *text, size_t n, tpl_number *num, const char **err, arena *a)
{
    memset(num, 0, sizeof *num);
    char *clean = ar_alloc(a, n + 1);
    if (!strip_underscores(text, n, clean)) {
        *err = ar_printf(a, "illegal number syntax: %.*s", (int)n, text);
        return false;
    }
    size_t cn = strlen(clean);
    if (cn && clean[cn - 1] == 'i') {
        *err = ar_printf(a, "complex numbers are not supported: %.*s", (int)n, text);
        return false;
    }
    bool neg = clean[0] == '-';
    const char *body = (clean[0] == '-' || clean[0] == '+') ? clean + 1 : clean;
    uint64_t u;
    bool okint = parse_uint(body, &u);
    if (okint) {
        if (!neg && clean[0] != '+') {
            num->is_uint = true;
            num->u = u;
        }
        if (neg) {
            if (u <= (uint64_t)INT64_MAX + 1) {
                num->is_int = true;
                num->i = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
                if (u == 0) {
                    num->is_uint = true;
                    num->u = 0;
                }
            }
        } else if (u <= (uint64_t)INT64_MAX) {
            num->is_int = true;
            num->i = (int64_t)u;
        }
    }
    if (num->is_int) {
        num->is_float = true;
        num->f = (double)num->i;
    } else if (num->is_uint) {
        num->is_float = true;
        num->f = (double)num->u;
    } else {
        /* ParseFloat: decimal or hex float; reject leading-zero octal-looking ints handled above */
        bool hex = body[0] == '0' && (body[1] == 'x' || body[1] == 'X');
        bool ok = false;
        double f = 0;
        if (*body && (hex ? strpbrk(body, "pP") != NULL || !strpbrk(body, ".") : true)) {
            if (!(body[0] == '0' && strchr("oObB", body[1] ? body[1] : ' ') && body[1])) {
                char *endp;
                errno = 0;
                f = strtod(clean, &endp);
                ok = *endp == 0 && endp != clean && strcasecmp(body, "inf") != 0 &&
                     strcasecmp(body, "infinity") != 0 && strcasecmp(body, "nan") != 0;
                if (ok && errno == ERANGE && isinf(f)) ok = false;
            }
        }
        if (ok) {
            if (!strpbrk(clean, ".eEpP")) {
                *err = ar_printf(a, "integer overflow: %s", tpl_p_quote_a(a, text, n));
                return false;
            }
            num->is_float = true;
            num->f = f;
            if (f >= -9223372036854775808.0 && f < 9223372036854775808.0 &&
                (double)(int64_t)f == f) {
                num->is_int = true;
                num->i = (int64_t)f;
            }
            if (f >= 0 && f < 18446744073709551616.0 && (double)(uint64_t)f == f) {
                num->is_uint = true;
                num->u = (uint64_t)f;
            }
        }
    }
    if (!num->is_int && !num->is_uint && !num->is_float) {
        *err = NULL;
        return false;
    }
    return true;
}

tpl_node *tpl_p_term(tpl_parser *p, int tok, const tpl_tok *t)
{
    tpl_node *n;
    switch (tok) {
    case IDENT: {
        n = tpl_p_node(p, TN_IDENT, t->off);
        n->ident.name = ar_strndup(p->a, t->s, t->n);
        n->ident.fn = tpl_set_fn(p->set, t->s, t->n);
        if (!n->ident.fn)
            tpl_p_error(p, t->off, "function %s not defined", tpl_p_quote(p, t->s, t->n));
        break;
    }
    case DOT:
        n = tpl_p_node(p, TN_DOT, t->off);
        break;
    case NIL:
        n = tpl_p_node(p, TN_NIL, t->off);
        break;
    case VARIABLE:
        n = tpl_p_node(p, TN_VAR, t->off);
        split_ids(p, n, t->s, t->n);
        if (!var_defined(p, t->s, t->n))
            tpl_p_error(p, t->off, "undefined variable %s", tpl_p_quote(p, t->s, t->n));
        break;
    case FIELD:
        n = tpl_p_node(p, TN_FIELD, t->off);
        split_ids(p, n, t->s + 1, t->n - 1);
        break;
    case BOOL:
        n = tpl_p_node(p, TN_BOOL, t->off);
        n->b = t->n == 4;
        break;
    case NUMBER:
    case COMPLEX:
    case CHARLIT: {
        n = tpl_p_node(p, TN_NUMBER, t->off);
        n->num.text = ar_strndup(p->a, t->s, t->n);
        if (tok == CHARLIT) {
            const char *c = t->s + 1, *end = t->s + t->n;
            buf_t b = {0};
            uint32_t r = 0;
            bool ok = unquote_char(&c, end, '\'', &b, &r);
            buf_free(&b);
            if (!ok) {
                tpl_p_error(p, t->off, "invalid syntax");
                break;
            }
            if (c != end - 1) {
                tpl_p_error(p, t->off, "malformed character constant: %.*s", (int)t->n, t->s);
                break;
            }
            n->num.v.is_int = n->num.v.is_uint = n->num.v.is_float = true;
            n->num.v.i = r;
            n->num.v.u = r;
            n->num.v.f = r;
            break;
        }
        const char *err = NULL;
        if (!parse_number(t->s, t->n, &n->num.v, &err, p->a)) {
            if (err)
                tpl_p_error(p, t->off, "%s", err);
            else
                tpl_p_error(p, t->off, "illegal number syntax: %s", tpl_p_quote(p, t->s, t->n));
        }
        break;
    }
    case STRING:
    case RAWSTRING: {
        n = tpl_p_node(p, TN_STRING, t->off);
        n->str.quoted = ar_strndup(p->a, t->s, t->n);
        n->str.s = unquote(p, t, &n->str.n);
        if (!n->str.s) tpl_p_error(p, t->off, "invalid syntax");
        break;
    }
    default:
        n = tpl_p_node(p, TN_NIL, t->off);
        break;
    }
    n->sp = t->sp;
    return n;
}

static void node_str(tpl_parser *p, const tpl_node *n, buf_t *b)
{
    tpl_node_string(b, n);
    (void)p;
}

tpl_node *tpl_p_chain(tpl_parser *p, tpl_node *term, const tpl_tok *field)
{
    const char *f = field->s + 1;
    size_t fn = field->n - 1;
    switch (term->kind) {
    case TN_FIELD:
    case TN_VAR:
        /* Go's chained field or variable node takes the position of its first chained field */
        if (term->field.n == 1) term->off = field->off;
        add_id(p, term, f, fn);
        return term;
    case TN_CHAIN:
        add_id(p, term, f, fn);
        return term;
    case TN_BOOL:
    case TN_STRING:
    case TN_NUMBER:
    case TN_NIL:
    case TN_DOT: {
        buf_t b = {0};
        node_str(p, term, &b);
        tpl_p_error(p, field->off, "unexpected . after term %s",
                    tpl_p_quote(p, b.data ? b.data : "", b.len));
        buf_free(&b);
        return term;
    }
    default:
        break;
    }
    tpl_node *c = tpl_p_node(p, TN_CHAIN, field->off);
    c->start = term->start;
    c->sp = term->sp;
    c->field.node = term;
    add_id(p, c, f, fn);
    return c;
}

tpl_node *tpl_p_cmd_add(tpl_parser *p, tpl_node *cmd, tpl_node *operand)
{
    if (!operand->sp) {
        buf_t b = {0};
        tpl_node_string(&b, operand);
        tpl_tok t = {operand->off, b.data ? b.data : "", (uint32_t)b.len, false};
        const char *d = tpl_p_tokdesc(p, operand->kind == TN_PIPE ? LPAREN : STRING, &t);
        if (operand->kind == TN_PIPE) d = "\"(\"";
        tpl_p_error(p, operand->off, "unexpected %s in operand", d);
        buf_free(&b);
        return cmd;
    }
    tpl_p_append(p, &cmd->cmd, operand);
    return cmd;
}

tpl_node *tpl_p_decls(tpl_parser *p, const tpl_tok *v1, const tpl_tok *v2)
{
    tpl_node *d = tpl_p_node(p, TN_PIPE, v1->off);
    tpl_node *a = tpl_p_node(p, TN_VAR, v1->off);
    split_ids(p, a, v1->s, v1->n);
    tpl_p_append(p, &d->pipe.decl, a);
    if (v2) {
        const char *ctx = ctx_top(p, "command");
        if (strcmp(ctx, "range") != 0) {
            tpl_p_error(p, v2->off, "too many declarations in %s", ctx);
            return d;
        }
        tpl_node *b = tpl_p_node(p, TN_VAR, v2->off);
        split_ids(p, b, v2->s, v2->n);
        tpl_p_append(p, &d->pipe.decl, b);
    }
    return d;
}

void tpl_p_decl_push(tpl_parser *p, tpl_node *decls, bool assign)
{
    decls->pipe.assign = assign;
    for (size_t i = 0; i < decls->pipe.decl.n; i++)
        var_push(p, decls->pipe.decl.items[i]->field.ids[0]);
}

void tpl_p_missing(tpl_parser *p)
{
    if (p->cur_kind == ERROR) {
        tpl_p_syntax_error(p);
        return;
    }
    tpl_p_error(p, p->cur_val.off, "missing value for %s", ctx_top(p, "command"));
}

/* Go's checkPipeline: only the first command may start with a non-executable operand. */
tpl_node *tpl_p_pipe_end(tpl_parser *p, tpl_node *pipe)
{
    for (size_t i = 1; i < pipe->pipe.cmds.n; i++) {
        tpl_node *a0 = pipe->pipe.cmds.items[i]->cmd.items[0];
        switch (a0->kind) {
        case TN_BOOL:
        case TN_DOT:
        case TN_NIL:
        case TN_NUMBER:
        case TN_STRING:
            tpl_p_error(p, a0->off, "non executable command in pipeline stage %zu", i + 1);
            return pipe;
        default:
            break;
        }
    }
    return pipe;
}

tpl_node *tpl_p_pipe_join(tpl_parser *p, tpl_node *decls, tpl_node *cmds)
{
    if (!cmds) return decls;
    decls->pipe.cmds = cmds->pipe.cmds;
    return tpl_p_pipe_end(p, decls);
}

tpl_node *tpl_p_template(tpl_parser *p, const tpl_tok *name, tpl_node *pipe)
{
    tpl_node *n = tpl_p_node(p, TN_TEMPLATE, name->off);
    size_t len;
    n->tmpl.name = unquote(p, name, &len);
    if (!n->tmpl.name) tpl_p_error(p, name->off, "invalid syntax");
    n->tmpl.pipe = pipe;
    return n;
}

void tpl_p_loopctl(tpl_parser *p, const char *what, uint32_t off)
{
    if (p->range_depth == 0) tpl_p_error(p, off, "{{%s}} outside {{range}}", what);
}

void tpl_p_ctx_push(tpl_parser *p, const char *ctx)
{
    if (p->nctx < (int)(sizeof p->ctx / sizeof p->ctx[0])) p->ctx[p->nctx] = ctx;
    p->nctx++;
}
void tpl_p_ctx_pop(tpl_parser *p)
{
    if (p->nctx > 0) p->nctx--;
}
void tpl_p_ctl_push(tpl_parser *p, const char *ctl)
{
    if (p->nctl >= 5000) tpl_p_error(p, p->cur_val.off, "max control nesting depth exceeded");
    if (p->nctl < (int)(sizeof p->ctl / sizeof p->ctl[0])) {
        p->ctl[p->nctl] = ctl;
        p->ctl_else[p->nctl] = false;
    }
    p->nctl++;
}
void tpl_p_ctl_else(tpl_parser *p)
{
    if (p->nctl > 0 && p->nctl <= (int)(sizeof p->ctl / sizeof p->ctl[0]))
        p->ctl_else[p->nctl - 1] = true;
}
void tpl_p_ctl_pop(tpl_parser *p)
{
    if (p->nctl > 0) p->nctl--;
}

void tpl_p_paren_in(tpl_parser *p)
{
    /* Go allows 10000; kiln stops at 2000 to keep evaluation's C stack bounded */
    if (++p->paren_depth > 2000) tpl_p_error(p, p->cur_val.off, "max expression depth exceeded");
}
void tpl_p_paren_out(tpl_parser *p)
{
    p->paren_depth--;
}

/* ---- trees ---- */

typedef struct saved_tree {
    tpl_tree *tree;
    const char **vars;
    size_t nvars, capvars;
    int range_depth;
} saved_tree;

void *tpl_p_begin_tree(tpl_parser *p, const tpl_tok *name, uint32_t off)
{
    (void)off;
    saved_tree *sv = ar_alloc(p->a, sizeof *sv);
    sv->tree = p->tree;
    sv->vars = p->vars;
    sv->nvars = p->nvars;
    sv->capvars = p->capvars;
    sv->range_depth = p->range_depth;
    tpl_tree *t = ar_alloc(p->a, sizeof *t);
    size_t len;
    t->name = unquote(p, name, &len);
    if (!t->name) {
        tpl_p_error(p, name->off, "invalid syntax");
        t->name = "";
    }
    t->parse_name = p->name;
    t->text = p->text;
    t->len = p->len;
    t->file = p->file;
    p->tree = t;
    p->vars = NULL;
    p->nvars = p->capvars = 0;
    var_push(p, "$");
    p->range_depth = 0;
    tpl_p_ctl_push(p, "define clause");
    return sv;
}

static void add_tree(tpl_parser *p, tpl_tree *t)
{
    for (size_t i = 0; i < p->ntrees; i++) {
        if (strcmp(p->trees[i]->name, t->name) == 0) {
            if (tpl_tree_empty(p->trees[i]->root)) {
                p->trees[i] = t;
            } else if (!tpl_tree_empty(t->root)) {
                tpl_p_error(p, p->cur_val.off, "template: multiple definition of template %s",
                            tpl_p_quote(p, t->name, strlen(t->name)));
            }
            return;
        }
    }
    if (p->ntrees == p->captrees) {
        size_t nc = p->captrees ? p->captrees * 2 : 8;
        p->trees =
            ar_realloc(p->a, p->trees, p->captrees * sizeof *p->trees, nc * sizeof *p->trees);
        p->captrees = nc;
    }
    p->trees[p->ntrees++] = t;
}

void tpl_p_end_tree(tpl_parser *p, void *saved, tpl_node *list)
{
    saved_tree *sv = saved;
    tpl_tree *t = p->tree;
    t->root = list;
    /* nodes built inside the body point at the new tree already (p->tree was switched) */
    tpl_p_ctl_pop(p);
    add_tree(p, t);
    p->tree = sv->tree;
    p->vars = sv->vars;
    p->nvars = sv->nvars;
    p->capvars = sv->capvars;
    p->range_depth = sv->range_depth;
}

/* ---- entry point ---- */

void tpl_tree_linecol(const tpl_tree *t, uint32_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1;
    size_t ls = 0;
    if (off > t->len) off = (uint32_t)t->len;
    for (size_t i = 0; i < off; i++)
        if (t->text[i] == '\n') {
            l++;
            ls = i + 1;
        }
    *line = l;
    *col = (uint32_t)(off - ls);
}

bool tpl_parse(tpl_set *s, const char *name, const char *text, size_t n, uint32_t file)
{
    tpl_parser p;
    memset(&p, 0, sizeof p);
    p.set = s;
    p.a = s->a;
    p.name = ar_strdup(s->a, name);
    p.text = text;
    p.len = n;
    p.file = file;
    p.text_start = -1;
    tpl_tree *t = ar_alloc(s->a, sizeof *t);
    t->name = p.name;
    t->parse_name = p.name;
    t->text = text;
    t->len = n;
    t->file = file;
    p.tree = t;
    t->root = tpl_p_node(&p, TN_LIST, 0);
    var_push(&p, "$");
    if (!tpl_lex_begin(&p)) util_oom();
    int rc = tpl_yyparse(&p);
    tpl_lex_end(&p);
    if (rc != 0 || p.failed) {
        if (!p.failed) tpl_p_error(&p, (uint32_t)p.len, "syntax error");
        uint32_t line, col;
        tpl_tree_linecol(t, p.err_off, &line, &col);
        s->err.msg = ar_printf(s->a, "template: %s:%u: %s", p.name, line, p.msg);
        s->err.pos = diag_at(file, line, col + 1);
        return false;
    }
    add_tree(&p, t);
    if (p.failed) {
        uint32_t line, col;
        tpl_tree_linecol(t, p.err_off, &line, &col);
        s->err.msg = ar_printf(s->a, "template: %s:%u: %s", p.name, line, p.msg);
        s->err.pos = diag_at(file, line, col + 1);
        return false;
    }
    for (size_t i = 0; i < p.ntrees; i++) {
        tpl_tree *old = tpl_set_lookup(s, p.trees[i]->name);
        if (old && tpl_tree_empty(p.trees[i]->root)) continue;
        tpl_set_add(s, p.trees[i]);
    }
    return true;
}

/* ---- node printing (Go's String methods) ---- */

static void write_ids(buf_t *b, const char *const *ids, size_t n, size_t from, bool lead)
{
    for (size_t i = from; i < n; i++) {
        if (i > from || lead) buf_putc(b, '.');
        buf_puts(b, ids[i]);
    }
}

void tpl_node_string(buf_t *b, const tpl_node *n)
{
    if (!n) return;
    switch (n->kind) {
    case TN_LIST:
        for (size_t i = 0; i < n->list.n; i++)
            tpl_node_string(b, n->list.items[i]);
        break;
    case TN_TEXT:
        buf_put(b, n->text.s, n->text.n);
        break;
    case TN_ACTION:
        buf_puts(b, "{{");
        tpl_node_string(b, n->action.pipe);
        buf_puts(b, "}}");
        break;
    case TN_IF:
    case TN_RANGE:
    case TN_WITH:
        buf_puts(b, n->kind == TN_IF ? "{{if " : n->kind == TN_RANGE ? "{{range " : "{{with ");
        tpl_node_string(b, n->branch.pipe);
        buf_puts(b, "}}");
        tpl_node_string(b, n->branch.list);
        if (n->branch.elist) {
            buf_puts(b, "{{else}}");
            tpl_node_string(b, n->branch.elist);
        }
        buf_puts(b, "{{end}}");
        break;
    case TN_TEMPLATE:
        buf_puts(b, "{{template ");
        tpl_go_quote(b, n->tmpl.name, strlen(n->tmpl.name), false);
        if (n->tmpl.pipe) {
            buf_putc(b, ' ');
            tpl_node_string(b, n->tmpl.pipe);
        }
        buf_puts(b, "}}");
        break;
    case TN_BREAK:
        buf_puts(b, "{{break}}");
        break;
    case TN_CONTINUE:
        buf_puts(b, "{{continue}}");
        break;
    case TN_PIPE:
        if (n->pipe.decl.n) {
            for (size_t i = 0; i < n->pipe.decl.n; i++) {
                if (i) buf_puts(b, ", ");
                tpl_node_string(b, n->pipe.decl.items[i]);
            }
            buf_puts(b, " := ");
        }
        for (size_t i = 0; i < n->pipe.cmds.n; i++) {
            if (i) buf_puts(b, " | ");
            tpl_node_string(b, n->pipe.cmds.items[i]);
        }
        break;
    case TN_CMD:
        for (size_t i = 0; i < n->cmd.n; i++) {
            if (i) buf_putc(b, ' ');
            const tpl_node *a = n->cmd.items[i];
            if (a->kind == TN_PIPE) {
                buf_putc(b, '(');
                tpl_node_string(b, a);
                buf_putc(b, ')');
            } else {
                tpl_node_string(b, a);
            }
        }
        break;
    case TN_FIELD:
        write_ids(b, n->field.ids, n->field.n, 0, true);
        break;
    case TN_VAR:
        buf_puts(b, n->field.ids[0]);
        write_ids(b, n->field.ids, n->field.n, 1, true);
        break;
    case TN_CHAIN:
        if (n->field.node->kind == TN_PIPE) {
            buf_putc(b, '(');
            tpl_node_string(b, n->field.node);
            buf_putc(b, ')');
        } else {
            tpl_node_string(b, n->field.node);
        }
        write_ids(b, n->field.ids, n->field.n, 0, true);
        break;
    case TN_IDENT:
        buf_puts(b, n->ident.name);
        break;
    case TN_DOT:
        buf_putc(b, '.');
        break;
    case TN_NIL:
        buf_puts(b, "nil");
        break;
    case TN_BOOL:
        buf_puts(b, n->b ? "true" : "false");
        break;
    case TN_NUMBER:
        buf_puts(b, n->num.text);
        break;
    case TN_STRING:
        buf_puts(b, n->str.quoted);
        break;
    }
}

bool tpl_tree_empty(const tpl_node *n)
{
    if (!n) return true;
    switch (n->kind) {
    case TN_LIST:
        for (size_t i = 0; i < n->list.n; i++)
            if (!tpl_tree_empty(n->list.items[i])) return false;
        return true;
    case TN_TEXT:
        for (size_t i = 0; i < n->text.n; i++) {
            char c = n->text.s[i];
            /* bytes.TrimSpace: ASCII space and Unicode spaces; ASCII covers templates */
            if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'))
                return false;
        }
        return true;
    default:
        return false;
    }
}
