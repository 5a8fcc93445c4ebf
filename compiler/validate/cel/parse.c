/* CEL parsing support: token decoding for the lexer (numbers, escapes in strings and bytes),
 * the tree builders the grammar's actions call, macro expansion, and cel_parse itself. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/cel/cel_int.h"

/* the generated scanner and parser (build/gen/cel_lex.c, cel_parse.c) */
typedef void *cel_yyscan_t;
int cel_yylex_init_extra(cel_parse_ctx *extra, cel_yyscan_t *scanner);
int cel_yylex_destroy(cel_yyscan_t scanner);
struct yy_buffer_state *cel_yy_scan_bytes(const char *bytes, int len, cel_yyscan_t scanner);
int cel_yyparse(cel_parse_ctx *p, void *scanner);

void cel_parse_error(cel_parse_ctx *p, uint32_t line, uint32_t col, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *m = ar_alloc(p->e->a, (size_t)(len < 0 ? 0 : len) + 1);
    vsnprintf(m, (size_t)(len < 0 ? 0 : len) + 1, fmt, ap2);
    va_end(ap2);
    p->err.msg = m;
    p->err.line = line;
    p->err.col = col;
}

/* ---- lexer helpers ---- */

void cel_lex_advance(cel_parse_ctx *p, const char *text, size_t n)
{
    p->tline = p->line;
    p->tcol = p->col;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            p->line++;
            p->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            p->col++;
        }
    }
}

#define LEX_ERR(...) (cel_parse_error(p, p->tline, p->tcol, __VA_ARGS__), false)

bool cel_lex_double(cel_parse_ctx *p, const char *text, const cel_val **out)
{
    errno = 0;
    double d = strtod(text, NULL);
    if (errno == ERANGE && isinf(d)) return LEX_ERR("double literal out of range: %s", text);
    *out = cel_double(p->e, d);
    return true;
}

bool cel_lex_int(cel_parse_ctx *p, const char *text, size_t n, bool is_uint, const cel_val **out)
{
    size_t i = 0, end = n - (is_uint ? 1 : 0);
    unsigned base = 10;
    if (end > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) base = 16, i = 2;
    uint64_t v = 0;
    for (; i < end; i++) {
        char c = text[i];
        unsigned dgt = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                       : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                              : (unsigned)(c - 'A' + 10);
        if (v > (UINT64_MAX - dgt) / base)
            return LEX_ERR("integer literal out of range: %.*s", (int)n, text);
        v = v * base + dgt;
    }
    *out = cel_uint(p->e, v); /* an int literal's magnitude: cel_b_intlit checks the range */
    return true;
}

static void put_utf8(buf_t *b, uint32_t cp)
{
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        buf_putc(b, (char)(0xC0 | cp >> 6));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        buf_putc(b, (char)(0xE0 | cp >> 12));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        buf_putc(b, (char)(0xF0 | cp >> 18));
        buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes the escapes of a (non-raw) literal body into b; false with the message set. */
static bool unescape(cel_parse_ctx *p, const char *s, size_t n, bool bytes, buf_t *b)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            buf_putc(b, s[i]);
            continue;
        }
        if (++i >= n) return LEX_ERR("invalid escape at the end of a literal");
        char c = s[i];
        const char *simple = strchr("abfnrtv\\?\"'`", c);
        if (simple && c) {
            static const char map[] = "\a\b\f\n\r\t\v\\?\"'`";
            buf_putc(b, map[simple - "abfnrtv\\?\"'`"]);
            continue;
        }
        uint32_t cp = 0;
        int digits = 0;
        if (c == 'x' || c == 'X')
            digits = 2;
        else if (c == 'u')
            digits = 4;
        else if (c == 'U')
            digits = 8;
        if (digits) {
            if (i + (size_t)digits >= n) return LEX_ERR("incomplete escape \\%c", c);
            for (int k = 1; k <= digits; k++) {
                int h = hexval(s[i + (size_t)k]);
                if (h < 0) return LEX_ERR("invalid escape \\%c: expected %d hex digits", c, digits);
                cp = cp << 4 | (uint32_t)h;
            }
            i += (size_t)digits;
            if (c == 'x' || c == 'X') {
                if (bytes)
                    buf_putc(b, (char)cp);
                else
                    put_utf8(b, cp);
                continue;
            }
            if (bytes) return LEX_ERR("unicode escape \\%c in a bytes literal", c);
            if ((cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF)
                return LEX_ERR("invalid unicode code point in escape: 0x%X", cp);
            put_utf8(b, cp);
            continue;
        }
        if (c >= '0' && c <= '3') {
            if (i + 2 >= n || s[i + 1] < '0' || s[i + 1] > '7' || s[i + 2] < '0' || s[i + 2] > '7')
                return LEX_ERR("invalid octal escape");
            cp = (uint32_t)((c - '0') * 64 + (s[i + 1] - '0') * 8 + (s[i + 2] - '0'));
            i += 2;
            if (bytes)
                buf_putc(b, (char)cp);
            else
                put_utf8(b, cp);
            continue;
        }
        return LEX_ERR("invalid escape sequence \\%c", c);
    }
    return true;
}

bool cel_lex_string(cel_parse_ctx *p, const char *text, size_t n, const cel_val **out)
{
    bool raw = false, bytes = false;
    size_t i = 0;
    for (; i < 2 && i < n; i++) {
        if (text[i] == 'r' || text[i] == 'R')
            raw = true;
        else if (text[i] == 'b' || text[i] == 'B')
            bytes = true;
        else
            break;
    }
    char q = text[i];
    size_t ql = (n - i >= 6 && text[i + 1] == q && text[i + 2] == q) ? 3 : 1;
    const char *body = text + i + ql;
    size_t blen = n - i - 2 * ql;
    buf_t b = {0};
    bool ok = true;
    if (raw)
        buf_put(&b, body, blen);
    else
        ok = unescape(p, body, blen, bytes, &b);
    if (ok && !bytes && !util_utf8_valid(b.data ? b.data : "", b.len))
        ok = LEX_ERR("string literal is not valid UTF-8");
    if (ok) *out = bytes ? cel_bytes(p->e, b.data, b.len) : cel_string(p->e, b.data, b.len);
    buf_free(&b);
    return ok;
}

bool cel_lex_ident(cel_parse_ctx *p, const char *text, size_t n, const char **out)
{
    static const char *const reserved[] = {
        "as",  "break", "const",   "continue",  "else",   "for", "function", "if",    "import",
        "let", "loop",  "package", "namespace", "return", "var", "void",     "while",
    };
    *out = ar_strndup(p->e->a, text, n);
    for (size_t k = 0; k < sizeof reserved / sizeof *reserved; k++)
        if (!strcmp(*out, reserved[k])) return true;
    return false;
}

bool cel_lex_open(cel_parse_ctx *p)
{
    if (++p->depth > CEL_MAX_DEPTH)
        return LEX_ERR("expression nests too deeply (more than %d levels)", CEL_MAX_DEPTH);
    return true;
}

void cel_lex_bad(cel_parse_ctx *p, char c)
{
    if (c == '\'' || c == '"' || c == '`')
        (void)LEX_ERR("unterminated quoted %s", c == '`' ? "field name" : "string");
    else if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
        (void)LEX_ERR("unexpected character '%c'", c);
    else
        (void)LEX_ERR("unexpected byte 0x%02x", (unsigned char)c);
}

/* ---- tree builders ---- */

static cel_node *node_new(cel_parse_ctx *p, int kind, uint32_t line, uint32_t col)
{
    cel_node *n = ar_alloc(p->e->a, sizeof *n);
    n->kind = (uint8_t)kind;
    n->line = line;
    n->col = col;
    n->depth = 1;
    return n;
}

/* Records that `child` hangs below n (for the depth limit). */
static void below(cel_parse_ctx *p, cel_node *n, const cel_node *child)
{
    if (!child || child->depth < n->depth) return;
    n->depth = (uint16_t)(child->depth + 1);
    if (n->depth > CEL_MAX_DEPTH) {
        cel_parse_error(p, n->line, n->col, "expression nests too deeply (more than %d levels)",
                        CEL_MAX_DEPTH);
        n->depth = CEL_MAX_DEPTH;
    }
}

static cel_node **node_args(cel_parse_ctx *p, cel_node *n, size_t k)
{
    n->args = ar_alloc(p->e->a, (k ? k : 1) * sizeof *n->args);
    n->n = k;
    return n->args;
}

static const char *const op_names[] = {
    [CEL_OP_NONE] = "",      [CEL_OP_AND] = "_&&_",        [CEL_OP_OR] = "_||_",
    [CEL_OP_NOT] = "!_",     [CEL_OP_NEG] = "-_",          [CEL_OP_COND] = "_?_:_",
    [CEL_OP_EQ] = "_==_",    [CEL_OP_NE] = "_!=_",         [CEL_OP_LT] = "_<_",
    [CEL_OP_LE] = "_<=_",    [CEL_OP_GT] = "_>_",          [CEL_OP_GE] = "_>=_",
    [CEL_OP_ADD] = "_+_",    [CEL_OP_SUB] = "_-_",         [CEL_OP_MUL] = "_*_",
    [CEL_OP_DIV] = "_/_",    [CEL_OP_MOD] = "_%_",         [CEL_OP_IN] = "@in",
    [CEL_OP_INDEX] = "_[_]", [CEL_OP_OPT_INDEX] = "_[?_]",
};

static cel_node *op_node(cel_parse_ctx *p, int op, size_t k, cel_node *a, cel_node *b, cel_node *c,
                         uint32_t line, uint32_t col)
{
    cel_node *n = node_new(p, CEL_N_CALL, line, col);
    n->op = (uint8_t)op;
    n->name = op_names[op];
    cel_node **args = node_args(p, n, k);
    cel_node *in[3] = {a, b, c};
    for (size_t i = 0; i < k; i++) {
        args[i] = in[i];
        below(p, n, in[i]);
    }
    return n;
}

cel_node *cel_b_lit(cel_parse_ctx *p, const cel_val *v, uint32_t line, uint32_t col)
{
    cel_node *n = node_new(p, CEL_N_LIT, line, col);
    n->lit = v;
    return n;
}

cel_node *cel_b_intlit(cel_parse_ctx *p, const cel_val *mag, uint32_t line, uint32_t col)
{
    cel_node *n = node_new(p, CEL_N_LIT, line, col);
    if (mag->u <= INT64_MAX) {
        n->lit = cel_int(p->e, (int64_t)mag->u);
    } else if (mag->u == (uint64_t)INT64_MAX + 1) {
        n->intmin = true; /* valid only as the operand of a unary minus */
        n->lit = cel_int(p->e, INT64_MIN);
        if (!p->intmin++) {
            p->intmin_line = line;
            p->intmin_col = col;
        }
    } else {
        cel_parse_error(p, line, col, "integer literal out of range: %llu",
                        (unsigned long long)mag->u);
        n->lit = cel_int(p->e, 0);
    }
    return n;
}

cel_node *cel_b_ident(cel_parse_ctx *p, const char *name, bool absolute, uint32_t line,
                      uint32_t col)
{
    cel_node *n = node_new(p, CEL_N_IDENT, line, col);
    n->name = name;
    n->qname = name;
    n->absolute = absolute;
    return n;
}

cel_node *cel_b_reserved(cel_parse_ctx *p, const char *name, uint32_t line, uint32_t col)
{
    cel_parse_error(p, line, col, "reserved identifier: %s", name);
    return cel_b_ident(p, name, false, line, col);
}

cel_node *cel_b_paren(cel_parse_ctx *p, cel_node *inner)
{
    (void)p;
    inner->paren = true;
    return inner;
}

cel_node *cel_b_select(cel_parse_ctx *p, cel_node *operand, const char *field, bool opt,
                       uint32_t line, uint32_t col)
{
    cel_node *n = node_new(p, CEL_N_SELECT, line, col);
    node_args(p, n, 1)[0] = operand;
    below(p, n, operand);
    n->name = field;
    n->opt = opt;
    if (!opt && operand->qname && !operand->paren)
        n->qname = ar_printf(p->e->a, "%s.%s", operand->qname, field);
    return n;
}

cel_node *cel_b_index(cel_parse_ctx *p, cel_node *operand, cel_node *index, bool opt, uint32_t line,
                      uint32_t col)
{
    return op_node(p, opt ? CEL_OP_OPT_INDEX : CEL_OP_INDEX, 2, operand, index, NULL, line, col);
}

cel_node *cel_b_unary(cel_parse_ctx *p, int op, int count, cel_node *operand, uint32_t line,
                      uint32_t col)
{
    if (count % 2 == 0) return operand;
    if (op == CEL_OP_NEG && operand->kind == CEL_N_LIT && !operand->paren &&
        (operand->lit->kind == CEL_INT || operand->lit->kind == CEL_DOUBLE)) {
        cel_node *n = node_new(p, CEL_N_LIT, line, col);
        if (operand->intmin) {
            p->intmin--;
            n->lit = operand->lit; /* already INT64_MIN */
        } else if (operand->lit->kind == CEL_INT) {
            n->lit = cel_int(p->e, -operand->lit->i);
        } else {
            n->lit = cel_double(p->e, -operand->lit->d);
        }
        return n;
    }
    return op_node(p, op, 1, operand, NULL, NULL, line, col);
}

cel_node *cel_b_binary(cel_parse_ctx *p, int op, cel_node *a, cel_node *b, uint32_t line,
                       uint32_t col)
{
    return op_node(p, op, 2, a, b, NULL, line, col);
}

cel_node *cel_b_cond(cel_parse_ctx *p, cel_node *c, cel_node *a, cel_node *b, uint32_t line,
                     uint32_t col)
{
    return op_node(p, CEL_OP_COND, 3, c, a, b, line, col);
}

cel_nvec *cel_vec_new(cel_parse_ctx *p)
{
    return ar_alloc(p->e->a, sizeof(cel_nvec));
}

cel_nvec *cel_vec_push(cel_parse_ctx *p, cel_nvec *v, cel_node *item, cel_node *val, bool opt)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        v->items = ar_realloc(p->e->a, v->items, v->cap * sizeof *v->items, cap * sizeof *v->items);
        v->vals = ar_realloc(p->e->a, v->vals, v->cap * sizeof *v->vals, cap * sizeof *v->vals);
        v->opt = ar_realloc(p->e->a, v->opt, v->cap * sizeof *v->opt, cap * sizeof *v->opt);
        v->cap = cap;
    }
    v->items[v->n] = item;
    v->vals[v->n] = val;
    v->opt[v->n] = opt;
    v->n++;
    return v;
}

cel_nvec *cel_vec_push_field(cel_parse_ctx *p, cel_nvec *v, const char *name, cel_node *val,
                             bool opt, uint32_t line, uint32_t col)
{
    cel_node *k = cel_b_lit(p, cel_string(p->e, name, strlen(name)), line, col);
    return cel_vec_push(p, v, k, val, opt);
}

static cel_node *container_node(cel_parse_ctx *p, int kind, cel_nvec *v, bool map, uint32_t line,
                                uint32_t col)
{
    cel_node *n = node_new(p, kind, line, col);
    cel_node **args = node_args(p, n, v->n);
    if (map) n->vals = ar_alloc(p->e->a, (v->n ? v->n : 1) * sizeof *n->vals);
    for (size_t i = 0; i < v->n; i++) {
        args[i] = v->items[i];
        below(p, n, v->items[i]);
        if (map) {
            n->vals[i] = v->vals[i];
            below(p, n, v->vals[i]);
        }
        if (v->opt[i]) {
            if (!n->optf) n->optf = ar_alloc(p->e->a, v->n * sizeof *n->optf);
            n->optf[i] = true;
        }
    }
    return n;
}

cel_node *cel_b_list(cel_parse_ctx *p, cel_nvec *items, uint32_t line, uint32_t col)
{
    return container_node(p, CEL_N_LIST, items, false, line, col);
}

cel_node *cel_b_map(cel_parse_ctx *p, cel_nvec *entries, uint32_t line, uint32_t col)
{
    return container_node(p, CEL_N_MAP, entries, true, line, col);
}

cel_node *cel_b_struct(cel_parse_ctx *p, cel_node *type, cel_nvec *fields, uint32_t line,
                       uint32_t col)
{
    cel_node *n = container_node(p, CEL_N_STRUCT, fields, true, line, col);
    if (!type->qname || type->paren)
        cel_parse_error(p, line, col, "a message literal needs a type name");
    n->name = type->qname ? type->qname : "";
    return n;
}

/* Looks up a call's function rows once (the table is const: valid for every env). */
static cel_node *bind_fn(cel_parse_ctx *p, cel_node *n)
{
    n->fn = cel_fn_find(p->e, n->name, n->n, n->method ? CEL_FN_METHOD : CEL_FN_GLOBAL);
    n->fn_known = n->fn || cel_fn_named(p->e, n->name);
    if (n->qname) n->qfn = cel_fn_find(p->e, n->qname, n->n - 1, CEL_FN_GLOBAL);
    return n;
}

/* ---- macros ---- */

static const char *simple_name(cel_parse_ctx *p, const cel_node *n, const char *macro)
{
    if (n->kind != CEL_N_IDENT || n->absolute) {
        cel_parse_error(p, n->line, n->col, "%s(): argument must be a simple name", macro);
        return "_";
    }
    return n->name;
}

static cel_node *comp_node(cel_parse_ctx *p, int kind, cel_node *range, cel_nvec *a, int nvars,
                           bool has_pred, const char *macro, uint32_t line, uint32_t col)
{
    cel_node *n = node_new(p, CEL_N_COMP, line, col);
    n->op = (uint8_t)kind;
    n->name = macro;
    n->range = range;
    below(p, n, range);
    n->iter = simple_name(p, a->items[0], macro);
    if (nvars == 2) {
        n->iter2 = simple_name(p, a->items[1], macro);
        if (!strcmp(n->iter, n->iter2))
            cel_parse_error(p, a->items[1]->line, a->items[1]->col,
                            "%s(): duplicate variable name '%s'", macro, n->iter);
    }
    size_t k = (size_t)nvars;
    if (has_pred) {
        n->pred = a->items[k++];
        below(p, n, n->pred);
    }
    if (k < a->n) {
        n->expr = a->items[k];
        below(p, n, n->expr);
    }
    return n;
}

/* The macro a method call names, or NULL (then it is an ordinary call). */
static cel_node *method_macro(cel_parse_ctx *p, cel_node *recv, const char *name, cel_nvec *a,
                              uint32_t line, uint32_t col)
{
    size_t k = a->n;
    if ((!strcmp(name, "all") || !strcmp(name, "exists") || !strcmp(name, "exists_one") ||
         !strcmp(name, "existsOne")) &&
        (k == 2 || k == 3)) {
        int kind = name[0] == 'a'            ? CEL_C_ALL
                   : !strcmp(name, "exists") ? CEL_C_EXISTS
                                             : CEL_C_EXISTS_ONE;
        return comp_node(p, kind, recv, a, (int)k - 1, true, name, line, col);
    }
    if (!strcmp(name, "map") && (k == 2 || k == 3))
        return comp_node(p, CEL_C_MAP, recv, a, 1, k == 3, name, line, col);
    if (!strcmp(name, "filter") && k == 2)
        return comp_node(p, CEL_C_FILTER, recv, a, 1, true, name, line, col);
    if ((!strcmp(name, "transformList") || !strcmp(name, "transformMap") ||
         !strcmp(name, "transformMapEntry")) &&
        (k == 3 || k == 4)) {
        int kind = !strcmp(name, "transformList")  ? CEL_C_TLIST
                   : !strcmp(name, "transformMap") ? CEL_C_TMAP
                                                   : CEL_C_TMAPENTRY;
        return comp_node(p, kind, recv, a, 2, k == 4, name, line, col);
    }
    if ((!strcmp(name, "optMap") || !strcmp(name, "optFlatMap")) && k == 2)
        return comp_node(p, name[3] == 'M' ? CEL_C_OPTMAP : CEL_C_OPTFLATMAP, recv, a, 1, false,
                         name, line, col);
    if (!strcmp(name, "bind") && k == 3 && recv->kind == CEL_N_IDENT && !recv->absolute &&
        !strcmp(recv->name, "cel")) {
        cel_nvec one = {.items = a->items, .n = 1};
        cel_node *n = comp_node(p, CEL_C_BIND, a->items[1], &one, 1, false, "cel.bind", line, col);
        n->expr = a->items[2];
        below(p, n, n->expr);
        return n;
    }
    return NULL;
}

cel_node *cel_b_call(cel_parse_ctx *p, const char *name, bool absolute, cel_nvec *args,
                     uint32_t line, uint32_t col)
{
    if (!p->e->no_macros && !absolute && !strcmp(name, "has") && args->n == 1) {
        cel_node *s = args->items[0];
        if (s->kind != CEL_N_SELECT || s->opt || s->test) {
            cel_parse_error(p, s->line, s->col, "invalid argument to has() macro");
            return s;
        }
        s->test = true;
        return s;
    }
    cel_node *n = node_new(p, CEL_N_CALL, line, col);
    n->name = name;
    n->absolute = absolute;
    cel_node **a = node_args(p, n, args->n);
    for (size_t i = 0; i < args->n; i++) {
        a[i] = args->items[i];
        below(p, n, a[i]);
    }
    return bind_fn(p, n);
}

cel_node *cel_b_method(cel_parse_ctx *p, cel_node *recv, const char *name, cel_nvec *args,
                       uint32_t line, uint32_t col)
{
    if (!p->e->no_macros) {
        cel_node *m = method_macro(p, recv, name, args, line, col);
        if (m) return m;
    }
    cel_node *n = node_new(p, CEL_N_CALL, line, col);
    n->name = name;
    n->method = true;
    if (recv->qname && !recv->paren) /* maybe a qualified function: strings.quote(x) */
        n->qname = ar_printf(p->e->a, "%s.%s", recv->qname, name);
    cel_node **a = node_args(p, n, args->n + 1);
    a[0] = recv;
    below(p, n, recv);
    for (size_t i = 0; i < args->n; i++) {
        a[i + 1] = args->items[i];
        below(p, n, a[i + 1]);
    }
    return bind_fn(p, n);
}

/* ---- entry point ---- */

cel_prog *cel_parse(cel_env *e, const char *src, size_t n, cel_err *err)
{
    cel_parse_ctx p = {.e = e, .src = src, .n = n, .line = 1, .col = 1};
    if (n > 100000) {
        err->msg = "expression is longer than 100000 bytes";
        err->line = 1;
        err->col = 1;
        return NULL;
    }
    cel_yyscan_t scanner;
    if (cel_yylex_init_extra(&p, &scanner)) util_oom();
    cel_yy_scan_bytes(src, (int)n, scanner);
    int rc = cel_yyparse(&p, scanner);
    cel_yylex_destroy(scanner);
    if (!p.failed && p.intmin)
        cel_parse_error(&p, p.intmin_line, p.intmin_col,
                        "integer literal out of range: 9223372036854775808");
    if (rc && !p.failed) cel_parse_error(&p, p.line, p.col, "syntax error");
    if (p.failed) {
        *err = p.err;
        return NULL;
    }
    cel_prog *prog = ar_alloc(e->a, sizeof *prog);
    prog->root = p.root;
    prog->src = src;
    prog->n = n;
    return prog;
}
