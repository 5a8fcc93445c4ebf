/* Writes IR as YAML exactly the way go-yaml v2 (behind sigs.k8s.io/yaml, which kustomize and
 * Helm print through) does: block style, natural key order, its quoting and folding rules. */
#include "emit/emit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "yaml/goyaml.h"

enum { ST_ANY, ST_PLAIN, ST_SINGLE, ST_DOUBLE, ST_LITERAL };

typedef struct em {
    buf_t *out;
    int column;
    bool whitespace, indention;
    int indent;
    int *indents;
    size_t nind, capind;
    bool root_ctx, seq_ctx, map_ctx, simple_key_ctx;
    int best_width, best_indent;
    bool unprintable; /* saw a NaN/Inf float or a non-string key (kustomize fails on those) */
    size_t *scratch;  /* key order buffers, one stack shared by nested mappings */
    size_t nscratch, capscratch;
} em;

/* Result of go-yaml's scalar analysis. */
typedef struct scalar_info {
    const char *s;
    size_t n;
    bool multiline, flow_plain, block_plain, single_ok, block_ok;
} scalar_info;

/* ---- character classes (go-yaml's yamlprivateh) ---- */

static inline bool at(const char *s, size_t n, size_t i, unsigned char c)
{
    return i < n && (unsigned char)s[i] == c;
}

static inline bool is_break_at(const char *s, size_t n, size_t i)
{
    if (i >= n) return false;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return c == '\n' || c == '\r';
    return c == '\r' || c == '\n' || (c == 0xC2 && at(s, n, i + 1, 0x85)) ||
           (c == 0xE2 && at(s, n, i + 1, 0x80) && (at(s, n, i + 2, 0xA8) || at(s, n, i + 2, 0xA9)));
}

static inline bool is_blank_at(const char *s, size_t n, size_t i)
{
    return i < n && (s[i] == ' ' || s[i] == '\t');
}

static inline bool is_blankz_at(const char *s, size_t n, size_t i)
{
    return i >= n || s[i] == 0 || is_blank_at(s, n, i) || is_break_at(s, n, i);
}

static inline bool is_printable_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) return c == 0x0A || (c >= 0x20 && c <= 0x7E);
    unsigned char c1 = i + 1 < n ? (unsigned char)s[i + 1] : 0;
    unsigned char c2 = i + 2 < n ? (unsigned char)s[i + 2] : 0;
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && c1 >= 0xA0) ||
           (c > 0xC2 && c < 0xED) || (c == 0xED && c1 < 0xA0) || c == 0xEE ||
           (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) &&
            !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)));
}

static inline size_t width_at(const char *s, size_t i)
{
    return (size_t)util_utf8_width((unsigned char)s[i]);
}

/* ---- output primitives ---- */

static inline void put(em *e, char c)
{
    buf_t *b = e->out;
    if (b->len + 2 > b->cap) buf_grow(b, 1);
    b->data[b->len++] = c;
    e->column++;
}

static inline void put_break(em *e)
{
    buf_t *b = e->out;
    if (b->len + 2 > b->cap) buf_grow(b, 1);
    b->data[b->len++] = '\n';
    e->column = 0;
}

/* Copies one UTF-8 character; the column counts characters, not bytes. */
static inline void write_ch(em *e, const char *s, size_t n, size_t *i)
{
    buf_t *b = e->out;
    unsigned char c = (unsigned char)s[*i];
    if (b->len + 6 > b->cap) buf_grow(b, 5);
    if (c < 0x80) {
        b->data[b->len++] = (char)c;
        (*i)++;
    } else {
        size_t w = width_at(s, *i);
        if (*i + w > n) w = n - *i;
        memcpy(b->data + b->len, s + *i, w);
        b->len += w;
        *i += w;
    }
    e->column++;
}

static void write_break(em *e, const char *s, size_t n, size_t *i)
{
    if (s[*i] == '\n') {
        put_break(e);
        (*i)++;
    } else {
        write_ch(e, s, n, i);
        e->column = 0;
    }
}

static void write_indent(em *e)
{
    int indent = e->indent < 0 ? 0 : e->indent;
    if (!e->indention || e->column > indent || (e->column == indent && !e->whitespace))
        put_break(e);
    while (e->column < indent)
        put(e, ' ');
    e->whitespace = true;
    e->indention = true;
}

static void write_indicator(em *e, const char *ind, bool need_ws, bool is_ws, bool is_indention)
{
    if (need_ws && !e->whitespace) put(e, ' ');
    for (const char *p = ind; *p; p++)
        put(e, *p);
    e->whitespace = is_ws;
    e->indention = e->indention && is_indention;
}

static void push_indent(em *e)
{
    if (e->nind == e->capind) {
        e->capind = e->capind ? e->capind * 2 : 32;
        e->indents = util_xrealloc(e->indents, e->capind * sizeof *e->indents);
    }
    e->indents[e->nind++] = e->indent;
}

static void increase_indent(em *e, bool flow, bool indentless)
{
    push_indent(e);
    if (e->indent < 0)
        e->indent = flow ? e->best_indent : 0;
    else if (!indentless)
        e->indent += e->best_indent;
}

static void pop_indent(em *e)
{
    e->indent = e->indents[--e->nind];
}

/* ---- scalar analysis and writers (go-yaml emitterc semantics) ---- */

/* Printable ASCII that never sets an indicator flag anywhere in a scalar (1), or also not as
 * its first character (2). */
static const unsigned char plain_safe[256] = {
#define S2(c) [c] = 2
#define S1(c) [c] = 1
    S2('0'), S2('1'), S2('2'), S2('3'), S2('4'),  S2('5'), S2('6'),
    S2('7'), S2('8'), S2('9'), S2('a'), S2('b'),  S2('c'), S2('d'),
    S2('e'), S2('f'), S2('g'), S2('h'), S2('i'),  S2('j'), S2('k'),
    S2('l'), S2('m'), S2('n'), S2('o'), S2('p'),  S2('q'), S2('r'),
    S2('s'), S2('t'), S2('u'), S2('v'), S2('w'),  S2('x'), S2('y'),
    S2('z'), S2('A'), S2('B'), S2('C'), S2('D'),  S2('E'), S2('F'),
    S2('G'), S2('H'), S2('I'), S2('J'), S2('K'),  S2('L'), S2('M'),
    S2('N'), S2('O'), S2('P'), S2('Q'), S2('R'),  S2('S'), S2('T'),
    S2('U'), S2('V'), S2('W'), S2('X'), S2('Y'),  S2('Z'), S2('_'),
    S2('.'), S2('/'), S2('='), S2('+'), S2('$'),  S2('('), S2(')'),
    S2(';'), S2('<'), S2('~'), S2('^'), S2('\\'), S1('-'), S1('@') /* '@' is unsafe first */,
#undef S1
#undef S2
};

static void analyze(const char *s, size_t n, scalar_info *si)
{
    si->s = s;
    si->n = n;
    if (n && plain_safe[(unsigned char)s[0]] == 2 &&
        !(n >= 3 && s[0] == '.' && s[1] == '.' && s[2] == '.')) {
        size_t i = 1;
        while (i < n && plain_safe[(unsigned char)s[i]])
            i++;
        if (i == n) {
            si->multiline = false;
            si->flow_plain = si->block_plain = si->single_ok = si->block_ok = true;
            return;
        }
    }
    if (n == 0) {
        si->multiline = false;
        si->flow_plain = false;
        si->block_plain = true;
        si->single_ok = true;
        si->block_ok = false;
        return;
    }
    bool block_ind = false, flow_ind = false, line_breaks = false, special = false;
    bool leading_space = false, leading_break = false, trailing_space = false,
         trailing_break = false;
    bool break_space = false, space_break = false;
    bool preceded_ws = true, followed_ws, prev_space = false, prev_break = false;
    if (n >= 3 && ((s[0] == '-' && s[1] == '-' && s[2] == '-') ||
                   (s[0] == '.' && s[1] == '.' && s[2] == '.'))) {
        block_ind = true;
        flow_ind = true;
    }
    bool bom = n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
               (unsigned char)s[2] == 0xBF;
    (void)bom;
    for (size_t i = 0, w; i < n; i += w) {
        w = width_at(s, i);
        if (w == 0) w = 1;
        followed_ws = i + w >= n || is_blank_at(s, n, i + w);
        char c = s[i];
        if (i == 0) {
            switch (c) {
            case '#':
            case ',':
            case '[':
            case ']':
            case '{':
            case '}':
            case '&':
            case '*':
            case '!':
            case '|':
            case '>':
            case '\'':
            case '"':
            case '%':
            case '@':
            case '`':
                flow_ind = true;
                block_ind = true;
                break;
            case '?':
            case ':':
                flow_ind = true;
                if (followed_ws) block_ind = true;
                break;
            case '-':
                if (followed_ws) {
                    flow_ind = true;
                    block_ind = true;
                }
                break;
            }
        } else {
            switch (c) {
            case ',':
            case '?':
            case '[':
            case ']':
            case '{':
            case '}':
                flow_ind = true;
                break;
            case ':':
                flow_ind = true;
                if (followed_ws) block_ind = true;
                break;
            case '#':
                if (preceded_ws) {
                    flow_ind = true;
                    block_ind = true;
                }
                break;
            }
        }
        if (!is_printable_at(s, n, i)) special = true; /* unicode output: non-ASCII is fine */
        if (c == ' ') {
            if (i == 0) leading_space = true;
            if (i + w == n) trailing_space = true;
            if (prev_break) break_space = true;
            prev_space = true;
            prev_break = false;
        } else if (is_break_at(s, n, i)) {
            line_breaks = true;
            if (i == 0) leading_break = true;
            if (i + w == n) trailing_break = true;
            if (prev_space) space_break = true;
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_ws = is_blankz_at(s, n, i);
    }
    si->multiline = line_breaks;
    si->flow_plain = si->block_plain = si->single_ok = si->block_ok = true;
    if (leading_space || leading_break || trailing_space || trailing_break)
        si->flow_plain = si->block_plain = false;
    if (trailing_space) si->block_ok = false;
    if (break_space) si->flow_plain = si->block_plain = si->single_ok = false;
    if (space_break || special)
        si->flow_plain = si->block_plain = si->single_ok = si->block_ok = false;
    if (line_breaks) si->flow_plain = si->block_plain = false;
    if (flow_ind) si->flow_plain = false;
    if (block_ind) si->block_plain = false;
}

static int select_style(em *e, const scalar_info *si, int style)
{
    if (style == ST_ANY) style = ST_PLAIN;
    if (e->simple_key_ctx && si->multiline) style = ST_DOUBLE;
    if (style == ST_PLAIN) {
        if (!si->block_plain) style = ST_SINGLE; /* block context only: flow_level is always 0 */
        if (si->n == 0 && e->simple_key_ctx) style = ST_SINGLE;
    }
    if (style == ST_SINGLE && !si->single_ok) style = ST_DOUBLE;
    if (style == ST_LITERAL && (!si->block_ok || e->simple_key_ctx)) style = ST_DOUBLE;
    return style;
}

static void write_plain(em *e, const char *s, size_t n, bool allow_breaks)
{
    if (!e->whitespace) put(e, ' ');
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            if (allow_breaks && !spaces && e->column > e->best_width &&
                !(i + 1 < n && s[i + 1] == ' ')) {
                write_indent(e);
                i++;
            } else {
                write_ch(e, s, n, &i);
            }
            spaces = true;
        } else if (is_break_at(s, n, i)) {
            if (!breaks && s[i] == '\n') put_break(e);
            write_break(e, s, n, &i);
            e->indention = true;
            breaks = true;
        } else {
            if (breaks) write_indent(e);
            write_ch(e, s, n, &i);
            e->indention = false;
            spaces = false;
            breaks = false;
        }
    }
    e->whitespace = false;
    e->indention = false;
}

static void write_single(em *e, const char *s, size_t n, bool allow_breaks)
{
    write_indicator(e, "'", true, false, false);
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            if (allow_breaks && !spaces && e->column > e->best_width && i > 0 && i < n - 1 &&
                !(i + 1 < n && s[i + 1] == ' ')) {
                write_indent(e);
                i++;
            } else {
                write_ch(e, s, n, &i);
            }
            spaces = true;
        } else if (is_break_at(s, n, i)) {
            if (!breaks && s[i] == '\n') put_break(e);
            write_break(e, s, n, &i);
            e->indention = true;
            breaks = true;
        } else {
            if (breaks) write_indent(e);
            if (s[i] == '\'') put(e, '\'');
            write_ch(e, s, n, &i);
            e->indention = false;
            spaces = false;
            breaks = false;
        }
    }
    write_indicator(e, "'", false, false, false);
    e->whitespace = false;
    e->indention = false;
}

static void write_double(em *e, const char *s, size_t n, bool allow_breaks)
{
    bool spaces = false;
    bool bom = n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
               (unsigned char)s[2] == 0xBF;
    write_indicator(e, "\"", true, false, false);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (!is_printable_at(s, n, i) || bom || is_break_at(s, n, i) || c == '"' || c == '\\') {
            size_t w = width_at(s, i);
            if (i + w > n) w = 1;
            uint32_t v = w == 1 ? c : w == 2 ? (c & 0x1F) : w == 3 ? (c & 0x0F) : (c & 0x07);
            for (size_t k = 1; k < w; k++)
                v = (v << 6) | ((unsigned char)s[i + k] & 0x3F);
            i += w;
            put(e, '\\');
            switch (v) {
            case 0x00:
                put(e, '0');
                break;
            case 0x07:
                put(e, 'a');
                break;
            case 0x08:
                put(e, 'b');
                break;
            case 0x09:
                put(e, 't');
                break;
            case 0x0A:
                put(e, 'n');
                break;
            case 0x0B:
                put(e, 'v');
                break;
            case 0x0C:
                put(e, 'f');
                break;
            case 0x0D:
                put(e, 'r');
                break;
            case 0x1B:
                put(e, 'e');
                break;
            case 0x22:
                put(e, '"');
                break;
            case 0x5C:
                put(e, '\\');
                break;
            case 0x85:
                put(e, 'N');
                break;
            case 0xA0:
                put(e, '_');
                break;
            case 0x2028:
                put(e, 'L');
                break;
            case 0x2029:
                put(e, 'P');
                break;
            default: {
                int digits;
                if (v <= 0xFF)
                    put(e, 'x'), digits = 2;
                else if (v <= 0xFFFF)
                    put(e, 'u'), digits = 4;
                else
                    put(e, 'U'), digits = 8;
                for (int k = (digits - 1) * 4; k >= 0; k -= 4) {
                    unsigned dgt = (v >> k) & 0x0F;
                    put(e, (char)(dgt < 10 ? '0' + dgt : 'A' + dgt - 10));
                }
            }
            }
            spaces = false;
        } else if (c == ' ') {
            if (allow_breaks && !spaces && e->column > e->best_width && i > 0 && i < n - 1) {
                write_indent(e);
                if (i + 1 < n && s[i + 1] == ' ') put(e, '\\');
                i++;
            } else {
                write_ch(e, s, n, &i);
            }
            spaces = true;
        } else {
            write_ch(e, s, n, &i);
            spaces = false;
        }
    }
    write_indicator(e, "\"", false, false, false);
    e->whitespace = false;
    e->indention = false;
}

static void write_block_hints(em *e, const char *s, size_t n)
{
    if (n && (s[0] == ' ' || is_break_at(s, n, 0))) {
        char hint[2] = {(char)('0' + e->best_indent), 0};
        write_indicator(e, hint, false, false, false);
    }
    const char *chomp = NULL;
    if (n == 0) {
        chomp = "-";
    } else {
        size_t i = n - 1;
        while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
            i--;
        if (!is_break_at(s, n, i)) {
            chomp = "-";
        } else if (i == 0) {
            chomp = "+";
        } else {
            i--;
            while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
                i--;
            if (is_break_at(s, n, i)) chomp = "+";
        }
    }
    if (chomp) write_indicator(e, chomp, false, false, false);
}

static void write_literal(em *e, const char *s, size_t n)
{
    write_indicator(e, "|", true, false, false);
    write_block_hints(e, s, n);
    put_break(e);
    e->indention = true;
    e->whitespace = true;
    bool breaks = true;
    for (size_t i = 0; i < n;) {
        if (is_break_at(s, n, i)) {
            write_break(e, s, n, &i);
            e->indention = true;
            breaks = true;
        } else {
            if (breaks) write_indent(e);
            write_ch(e, s, n, &i);
            e->indention = false;
            breaks = false;
        }
    }
}

/* Emits one scalar with a requested style, in the current context. */
static void emit_scalar_text(em *e, const char *s, size_t n, int style)
{
    scalar_info si;
    analyze(s, n, &si);
    style = select_style(e, &si, style);
    increase_indent(e, true, false);
    bool allow_breaks = !e->simple_key_ctx;
    switch (style) {
    case ST_PLAIN:
        write_plain(e, s, n, allow_breaks);
        break;
    case ST_SINGLE:
        write_single(e, s, n, allow_breaks);
        break;
    case ST_DOUBLE:
        write_double(e, s, n, allow_breaks);
        break;
    default:
        write_literal(e, s, n);
        break;
    }
    pop_indent(e);
}

/* The Go value a scalar becomes after kustomize's JSON round trip, as text plus the style
 * go-yaml v2's encoder asks for. Strings that are not valid UTF-8 get U+FFFD like encoding/json. */
typedef struct gostr {
    const char *s;
    size_t n;
    int style;
    char tmp[80];
    char *heap;
} gostr;

/* encoding/json writes U+0085 (NEL) raw, and go-yaml then reads the JSON text's double-quoted
 * string with YAML line folding, where NEL is a line break: one break becomes a space, n > 1
 * breaks become n-1 newlines, blanks around them are dropped. */
static void fold_nel(gostr *g)
{
    buf_t b = {0};
    const char *s = g->s;
    size_t n = g->n;
    for (size_t i = 0; i < n;) {
        if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0x85) {
            while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\t'))
                b.len--;
            size_t breaks = 0;
            while (i < n) {
                if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0x85) {
                    breaks++;
                    i += 2;
                } else if (s[i] == ' ' || s[i] == '\t') {
                    i++;
                } else {
                    break;
                }
            }
            if (breaks == 1)
                buf_putc(&b, ' ');
            else
                for (size_t k = 1; k < breaks; k++)
                    buf_putc(&b, '\n');
            continue;
        }
        buf_putc(&b, s[i++]);
    }
    free(g->heap);
    g->heap = b.data;
    g->s = b.data ? b.data : "";
    g->n = b.len;
}

static void string_style(gostr *g)
{
    if (!util_utf8_valid(g->s, g->n)) {
        buf_t b = {0};
        for (size_t i = 0; i < g->n;) {
            size_t w = width_at(g->s, i);
            if (i + w <= g->n && util_utf8_valid(g->s + i, w)) {
                buf_put(&b, g->s + i, w);
                i += w;
            } else {
                buf_put(&b, "\xEF\xBF\xBD", 3);
                i++;
            }
        }
        g->heap = b.data;
        g->s = b.data ? b.data : "";
        g->n = b.len;
    }
    for (size_t i = 0; i + 1 < g->n; i++)
        if ((unsigned char)g->s[i] == 0xC2 && (unsigned char)g->s[i + 1] == 0x85) {
            fold_nel(g);
            break;
        }
    if (memchr(g->s, '\n', g->n))
        g->style = ST_LITERAL;
    else if (!ky_v2_needs_quotes(g->s, g->n))
        g->style = ST_PLAIN;
    else
        g->style = ST_DOUBLE;
}

static void scalar_go(const ir_node *x, gostr *g)
{
    g->heap = NULL;
    g->style = ST_PLAIN;
    switch (x->tag) {
    case IR_TAG_NULL:
        g->s = "null";
        g->n = 4;
        return;
    case IR_TAG_BOOL:
        g->s = x->sc.v.b ? "true" : "false";
        g->n = strlen(g->s);
        return;
    case IR_TAG_INT:
        if (x->flags & IR_INT_UNSIGNED)
            g->n = (size_t)snprintf(g->tmp, sizeof g->tmp, "%llu", (unsigned long long)x->sc.v.u);
        else
            g->n = (size_t)snprintf(g->tmp, sizeof g->tmp, "%lld", (long long)x->sc.v.i);
        g->s = g->tmp;
        return;
    case IR_TAG_FLOAT:
        g->n = ky_format_float_json_v2(x->sc.v.f, g->tmp);
        g->s = g->tmp;
        return;
    case IR_TAG_TIMESTAMP:
        if (ky_timestamp_rfc3339(x->sc.s, x->sc.n, g->tmp, sizeof g->tmp)) {
            g->s = g->tmp;
            g->n = strlen(g->tmp);
        } else {
            g->s = x->sc.s;
            g->n = x->sc.n;
        }
        string_style(g);
        return;
    default:
        g->s = x->sc.s;
        g->n = x->sc.n;
        string_style(g);
        return;
    }
}

static void emit_node(em *e, const ir_node *x, bool root, bool seq, bool map, bool simple_key);

/* The order to write m's keys in: indices in e's scratch stack (released by the caller). */
static size_t *sorted_keys(em *e, const ir_node *m)
{
    size_t n = m->map.n;
    if (e->nscratch + 2 * n > e->capscratch) {
        size_t cap = e->capscratch ? e->capscratch * 2 : 256;
        while (cap < e->nscratch + 2 * n)
            cap *= 2;
        e->scratch = util_xrealloc(e->scratch, cap * sizeof *e->scratch);
        e->capscratch = cap;
    }
    size_t *ix = e->scratch + e->nscratch;
    e->nscratch += 2 * n;
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    /* insertion sort for small maps, merge sort otherwise; stable either way */
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            size_t v = ix[i], j = i;
            const ir_node *kv = m->map.items[v].key;
            while (j > 0) {
                const ir_node *kp = m->map.items[ix[j - 1]].key;
                if (ky_key_cmp(kp->sc.s, kp->sc.n, kv->sc.s, kv->sc.n) <= 0) break;
                ix[j] = ix[j - 1];
                j--;
            }
            ix[j] = v;
        }
        return ix;
    }
    size_t *tmp = ix + n;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n,
                   hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, k = lo;
            while (a < mid && b < hi) {
                const ir_node *ka = m->map.items[ix[a]].key, *kb = m->map.items[ix[b]].key;
                tmp[k++] =
                    ky_key_cmp(kb->sc.s, kb->sc.n, ka->sc.s, ka->sc.n) < 0 ? ix[b++] : ix[a++];
            }
            while (a < mid)
                tmp[k++] = ix[a++];
            while (b < hi)
                tmp[k++] = ix[b++];
        }
        memcpy(ix, tmp, n * sizeof *ix);
    }
    return ix;
}

/* go-yaml's check_simple_key for a key node. */
static bool simple_key_ok(const ir_node *k, const gostr *g)
{
    if (k->kind == IR_MAP) return k->map.n == 0;
    if (k->kind == IR_SEQ) return k->seq.n == 0;
    scalar_info si;
    analyze(g->s, g->n, &si);
    return !si.multiline && g->n <= 128;
}

static void emit_block_map(em *e, const ir_node *m)
{
    increase_indent(e, false, false);
    size_t base = e->nscratch;
    (void)sorted_keys(e, m);
    for (size_t j = 0; j < m->map.n; j++) {
        /* the scratch stack may move while nested mappings are written: index it afresh */
        const ir_pair *p = &m->map.items[e->scratch[base + j]];
        write_indent(e);
        gostr g;
        bool simple = true;
        if (p->key->kind == IR_SCALAR && p->key->tag != IR_TAG_STR && p->key->tag != IR_TAG_BINARY)
            e->unprintable = true;
        if (p->key->kind == IR_SCALAR) {
            scalar_go(p->key, &g);
            simple = simple_key_ok(p->key, &g);
            free(g.heap);
        } else {
            simple = simple_key_ok(p->key, NULL);
        }
        if (simple) {
            emit_node(e, p->key, false, false, true, true);
            write_indicator(e, ":", false, false, false);
        } else {
            write_indicator(e, "?", true, false, true);
            emit_node(e, p->key, false, false, true, false);
            write_indent(e);
            write_indicator(e, ":", true, false, true);
        }
        emit_node(e, p->val, false, false, true, false);
    }
    e->nscratch = base;
    pop_indent(e);
}

static void emit_block_seq(em *e, const ir_node *s)
{
    increase_indent(e, false, e->map_ctx && !e->indention);
    for (size_t i = 0; i < s->seq.n; i++) {
        write_indent(e);
        write_indicator(e, "-", true, false, true);
        emit_node(e, s->seq.items[i], false, true, false, false);
    }
    pop_indent(e);
}

static void emit_node(em *e, const ir_node *x, bool root, bool seq, bool map, bool simple_key)
{
    e->root_ctx = root;
    e->seq_ctx = seq;
    e->map_ctx = map;
    e->simple_key_ctx = simple_key;
    switch (x->kind) {
    case IR_SCALAR: {
        gostr g;
        if (x->tag == IR_TAG_FLOAT && !isfinite(x->sc.v.f)) e->unprintable = true;
        scalar_go(x, &g);
        emit_scalar_text(e, g.s, g.n, g.style);
        free(g.heap);
        break;
    }
    case IR_MAP:
        if (x->map.n == 0) {
            write_indicator(e, "{", true, true, false);
            write_indicator(e, "}", false, false, false);
        } else {
            emit_block_map(e, x);
        }
        break;
    case IR_SEQ:
        if (x->seq.n == 0) {
            write_indicator(e, "[", true, true, false);
            write_indicator(e, "]", false, false, false);
        } else {
            emit_block_seq(e, x);
        }
        break;
    }
}

bool em_yaml_doc(buf_t *out, const ir_node *root)
{
    em e = {.out = out,
            .indent = -1,
            .whitespace = true,
            .indention = true,
            .best_width = 80,
            .best_indent = 2};
    emit_node(&e, root, true, false, false, false);
    /* document end: go-yaml writes an indent, i.e. ends the last line */
    e.indent = -1;
    write_indent(&e);
    buf_cstr(out);
    free(e.indents);
    free(e.scratch);
    return !e.unprintable;
}

bool em_yaml_stream(buf_t *out, ir_node *const *docs, size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (i) buf_put(out, "---\n", 4);
        ok = em_yaml_doc(out, docs[i]) && ok;
    }
    return ok;
}

typedef struct emit_part {
    ir_node *const *docs;
    size_t n;
    buf_t out;
    bool ok;
} emit_part;

static void *emit_part_main(void *arg)
{
    emit_part *p = arg;
    p->ok = true;
    for (size_t i = 0; i < p->n; i++) {
        if (i) buf_put(&p->out, "---\n", 4);
        p->ok = em_yaml_doc(&p->out, p->docs[i]) && p->ok;
    }
    return NULL;
}

bool em_yaml_stream_par(buf_t *out, ir_node *const *docs, size_t n, int jobs)
{
    if (jobs > 8) jobs = 8;
    if (jobs < 2 || n < 64) return em_yaml_stream(out, docs, n);
    emit_part parts[8];
    pthread_t tid[8];
    bool started[8] = {false};
    size_t per = (n + (size_t)jobs - 1) / (size_t)jobs, at = 0;
    int np = 0;
    for (; np < jobs && at < n; np++) {
        size_t cnt = n - at < per ? n - at : per;
        parts[np] = (emit_part){docs + at, cnt, {0}, true};
        buf_grow(&parts[np].out, out->cap / (size_t)jobs + 4096);
        at += cnt;
    }
    for (int i = 1; i < np; i++)
        started[i] = pthread_create(&tid[i], NULL, emit_part_main, &parts[i]) == 0;
    emit_part_main(&parts[0]);
    bool ok = true;
    for (int i = 0; i < np; i++) {
        if (i > 0) {
            if (started[i])
                pthread_join(tid[i], NULL);
            else
                emit_part_main(&parts[i]);
            buf_put(out, "---\n", 4);
        }
        buf_put(out, parts[i].out.data, parts[i].out.len);
        ok = parts[i].ok && ok;
        buf_free(&parts[i].out);
    }
    return ok;
}
