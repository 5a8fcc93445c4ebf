/* Helm's --set argument parser (pkg/strvals): keys with dots and [i] indexes, `\` escapes,
 * {a,b} lists, typed values, --set-string/--set-file/--set-json/--set-literal, its errors. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "template/chart.h"

enum { SP_MAX_INDEX = 65536, SP_MAX_NEST = 30 };

typedef enum { SP_OK, SP_EOF, SP_ERR, SP_NOTLIST } sp_rc;

typedef struct sp {
    arena *a;
    const char *s;
    size_t n, i;
    chart_set_kind kind;
    const char *err;
} sp;

/* Go's %q of a short string. */
static const char *sp_quote(arena *a, const char *s, size_t n)
{
    buf_t b = {0};
    buf_putc(&b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            buf_putc(&b, '\\');
            buf_putc(&b, (char)c);
        } else if (c == '\n')
            buf_puts(&b, "\\n");
        else if (c == '\t')
            buf_puts(&b, "\\t");
        else if (c == '\r')
            buf_puts(&b, "\\r");
        else if (c < 0x20 || c == 0x7f)
            buf_printf(&b, "\\x%02x", c);
        else
            buf_putc(&b, (char)c);
    }
    buf_putc(&b, '"');
    const char *r = ar_strndup(a, b.data, b.len);
    buf_free(&b);
    return r;
}

/* Go's %q of a []rune: ['a' 'b']. */
static const char *sp_runes(arena *a, const char *s, size_t n)
{
    buf_t b = {0};
    buf_putc(&b, '[');
    for (size_t i = 0; i < n;) {
        if (i) buf_putc(&b, ' ');
        int w = util_utf8_width((unsigned char)s[i]);
        if (i + (size_t)w > n) w = 1;
        buf_putc(&b, '\'');
        if (s[i] == '\'' || s[i] == '\\') buf_putc(&b, '\\');
        if (w == 1 && (unsigned char)s[i] < 0x20)
            buf_printf(&b, "\\x%02x", (unsigned char)s[i]);
        else
            buf_put(&b, s + i, (size_t)w);
        buf_putc(&b, '\'');
        i += (size_t)w;
    }
    buf_putc(&b, ']');
    const char *r = ar_strndup(a, b.data, b.len);
    buf_free(&b);
    return r;
}

static sp_rc sp_fail(sp *p, const char *msg)
{
    p->err = msg;
    return SP_ERR;
}

/* runesUntil: reads up to a stop character (consumed), `\x` taken literally. *last = the stop
 * character, SP_EOF at the end of input. */
static sp_rc sp_until(sp *p, const char *stop, buf_t *v, char *last)
{
    v->len = 0;
    buf_grow(v, 1);
    v->data[0] = 0;
    while (p->i < p->n) {
        char c = p->s[p->i++];
        if (strchr(stop, c) && c) {
            *last = c;
            return SP_OK;
        }
        if (c == '\\') {
            if (p->i >= p->n) return SP_EOF;
            c = p->s[p->i++];
        }
        buf_putc(v, c);
    }
    *last = 0;
    return SP_EOF;
}

static const tpl_val *sp_typed(sp *p, const char *s, size_t n)
{
    if (p->kind == CHART_SET_STRING) return tpl_str(p->a, s, n);
    if (n == 4 && !strncasecmp(s, "true", 4)) return tpl_bool(true);
    if (n == 5 && !strncasecmp(s, "false", 5)) return tpl_bool(false);
    if (n == 4 && !strncasecmp(s, "null", 4)) return tpl_nil();
    if (n == 1 && s[0] == '0') return tpl_int64(p->a, 0);
    if (n && s[0] != '0') {
        size_t j = 0;
        if (s[0] == '+' || s[0] == '-') j = 1;
        bool digits = j < n;
        for (size_t k = j; k < n; k++)
            if (s[k] < '0' || s[k] > '9') digits = false;
        if (digits) {
            char *tmp = ar_strndup(p->a, s, n);
            errno = 0;
            long long x = strtoll(tmp, NULL, 10);
            if (errno == 0) return tpl_int64(p->a, x);
        }
    }
    return tpl_str(p->a, s, n);
}

/* The reader: a typed value, or for --set-file the file's text. */
static sp_rc sp_read(sp *p, const char *s, size_t n, const tpl_val **out)
{
    if (p->kind != CHART_SET_FILE) {
        *out = sp_typed(p, s, n);
        return SP_OK;
    }
    const char *path = ar_strndup(p->a, s, n);
    FILE *f = fopen(path, "rb");
    if (!f) {
        p->err = ar_printf(p->a, "open %s: %s", path, strerror(errno));
        *out = tpl_nil();
        return SP_ERR;
    }
    buf_t b = {0};
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_put(&b, tmp, k);
    fclose(f);
    *out = tpl_str(p->a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return SP_OK;
}

static void sp_set(sp *p, tpl_map *m, const char *k, size_t kn, const tpl_val *v)
{
    if (kn) tpl_map_set(p->a, m, k, kn, v);
}

/* setIndex: a new list of at least index+1 items (nil padded) with list[index] = v. */
static sp_rc sp_set_index(sp *p, const tpl_val *list, long idx, const tpl_val *v,
                          const tpl_val **out)
{
    *out = list;
    if (idx < 0) return sp_fail(p, ar_printf(p->a, "negative %ld index not allowed", idx));
    if (idx > SP_MAX_INDEX)
        return sp_fail(p,
                       ar_printf(p->a, "index of %ld is greater than maximum supported index of %d",
                                 idx, SP_MAX_INDEX));
    size_t n = list ? list->list.n : 0;
    size_t nn = (size_t)idx + 1 > n ? (size_t)idx + 1 : n;
    const tpl_val **items = ar_alloc(p->a, nn * sizeof *items);
    for (size_t i = 0; i < nn; i++)
        items[i] = i < n ? list->list.items[i] : tpl_nil();
    items[idx] = v;
    *out = tpl_list(p->a, items, nn, NULL);
    return SP_OK;
}

/* emptyVal: skips blanks; true at a comma (consumed) or the end. */
static bool sp_empty_val(sp *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == ',') {
            p->i++;
            return true;
        }
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'))
            return false;
        p->i++;
    }
    return true;
}

static sp_rc sp_json(sp *p, const tpl_val **out)
{
    size_t used = 0;
    const char *err = NULL;
    if (!chart_json_decode(p->a, p->s + p->i, p->n - p->i, out, &used, &err))
        return sp_fail(p, err);
    p->i += used;
    sp_empty_val(p);
    return SP_OK;
}

static sp_rc sp_val_list(sp *p, const tpl_val **out)
{
    *out = tpl_list(p->a, NULL, 0, NULL);
    if (p->i >= p->n) return SP_EOF;
    if (p->s[p->i] != '{') return SP_NOTLIST;
    p->i++;
    const tpl_val **items = NULL;
    size_t n = 0, cap = 0;
    buf_t v = {0};
    sp_rc rc;
    for (;;) {
        char last;
        if (sp_until(p, ",}", &v, &last) != SP_OK) {
            rc = sp_fail(p, "list must terminate with '}'");
            break;
        }
        const tpl_val *x;
        rc = sp_read(p, v.data, v.len, &x);
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 4;
            items = ar_realloc(p->a, items, cap * sizeof *items, nc * sizeof *items);
            cap = nc;
        }
        if (last == '}') {
            if (p->i < p->n && p->s[p->i] == ',') p->i++;
            items[n++] = x;
            break;
        }
        if (rc != SP_OK) break;
        items[n++] = x;
    }
    buf_free(&v);
    *out = tpl_list(p->a, items, n, NULL);
    return rc;
}

static sp_rc sp_key(sp *p, tpl_map *data, int nest);

/* The value after `=`: a {list}, or a scalar up to the next comma. */
static sp_rc sp_value(sp *p, const tpl_val **out, bool *eof)
{
    *eof = false;
    sp_rc rc = sp_val_list(p, out);
    if (rc == SP_OK) return SP_OK;
    if (rc == SP_EOF) {
        *eof = true;
        *out = tpl_empty_str();
        return SP_OK;
    }
    if (rc != SP_NOTLIST) return rc;
    buf_t v = {0};
    char last;
    sp_until(p, ",", &v, &last);
    rc = sp_read(p, v.data ? v.data : "", v.len, out);
    buf_free(&v);
    return rc;
}

static const char *sp_type_panic(sp *p, const tpl_val *v, const char *want)
{
    return ar_printf(p->a, "unable to parse key: interface conversion: interface {} is %s, not %s",
                     v->kind == TPL_NIL ? "nil" : tpl_type_name(v), want);
}

static sp_rc sp_key_index(sp *p, long *idx)
{
    buf_t v = {0};
    char last;
    sp_rc rc = sp_until(p, "]", &v, &last);
    if (rc != SP_OK) { /* Helm wraps io.EOF, and its parser ends quietly on any EOF */
        buf_free(&v);
        return SP_EOF;
    }
    const char *s = v.data ? v.data : "";
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    bool ok = v.len > 0 && *end == 0 && errno == 0 && !(s[0] == ' ' || s[0] == '\t');
    if (!ok) {
        p->err = ar_printf(p->a, "error parsing index: strconv.Atoi: parsing %s: %s",
                           sp_quote(p->a, s, v.len),
                           errno == ERANGE ? "value out of range" : "invalid syntax");
        buf_free(&v);
        return SP_ERR;
    }
    buf_free(&v);
    *idx = x;
    return SP_OK;
}

static sp_rc sp_list_item(sp *p, const tpl_val *list, long i, int nest, const tpl_val **out,
                          const char **panic)
{
    *out = list;
    if (i < 0) return sp_fail(p, ar_printf(p->a, "negative %ld index not allowed", i));
    buf_t k = {0};
    char last;
    sp_rc rc = sp_until(p, "[.=", &k, &last);
    size_t kn = k.len;
    const char *ks = kn ? ar_strndup(p->a, k.data, kn) : "";
    buf_free(&k);
    if (kn > 0)
        return sp_fail(p, ar_printf(p->a, "unexpected data at end of array index: %s",
                                    sp_runes(p->a, ks, kn)));
    if (rc != SP_OK) return SP_EOF;
    size_t ln = list ? list->list.n : 0;
    if (last == '=') {
        const tpl_val *v;
        if (p->kind == CHART_SET_JSON) {
            if (sp_empty_val(p)) return sp_set_index(p, list, i, tpl_nil(), out);
            if ((rc = sp_json(p, &v)) != SP_OK) return rc;
            return sp_set_index(p, list, i, v, out);
        }
        if (p->kind == CHART_SET_LITERAL) {
            v = tpl_str(p->a, p->s + p->i, p->n - p->i);
            p->i = p->n;
            return sp_set_index(p, list, i, v, out);
        }
        bool eof;
        if ((rc = sp_value(p, &v, &eof)) != SP_OK) return rc;
        return sp_set_index(p, list, i, v, out);
    }
    if (last == '[') {
        long next;
        if ((rc = sp_key_index(p, &next)) != SP_OK) return rc;
        const tpl_val *cur = NULL;
        if ((size_t)i < ln && list->list.items[i]->kind != TPL_NIL) {
            cur = list->list.items[i];
            if (cur->kind != TPL_LIST) {
                *panic = sp_type_panic(p, cur, "[]interface {}");
                return SP_ERR;
            }
        }
        const tpl_val *l2;
        if ((rc = sp_list_item(p, cur, next, nest, &l2, panic)) != SP_OK) return rc;
        return sp_set_index(p, list, i, l2, out);
    }
    /* '.': a nested map */
    tpl_val *inner = NULL;
    if ((size_t)i < ln && list->list.items[i]->kind == TPL_MAP)
        inner = (tpl_val *)list->list.items[i];
    if (!inner) inner = tpl_map_new(p->a, NULL);
    if ((rc = sp_key(p, inner->map, nest)) != SP_OK) return rc;
    return sp_set_index(p, list, i, inner, out);
}

static sp_rc sp_key(sp *p, tpl_map *data, int nest)
{
    buf_t kb = {0};
    char last;
    sp_rc rc = sp_until(p, "=[,.", &kb, &last);
    size_t kn = kb.len;
    const char *k = ar_strndup(p->a, kb.data ? kb.data : "", kn);
    buf_free(&kb);
    if (rc != SP_OK) {
        if (kn == 0) return SP_EOF;
        return sp_fail(p, ar_printf(p->a, "key %s has no value", sp_quote(p->a, k, kn)));
    }
    const char *panic = NULL;
    switch (last) {
    case '[': {
        long i;
        if ((rc = sp_key_index(p, &i)) != SP_OK) return rc;
        const tpl_val *list = tpl_list(p->a, NULL, 0, NULL);
        const tpl_val *cur = tpl_map_get(data, k, kn);
        if (cur) {
            if (cur->kind != TPL_LIST) {
                p->err = sp_type_panic(p, cur, "[]interface {}");
                return SP_ERR;
            }
            list = cur;
        }
        const tpl_val *nl;
        rc = sp_list_item(p, list, i, nest, &nl, &panic);
        if (panic) {
            p->err = panic;
            return SP_ERR;
        }
        sp_set(p, data, k, kn, nl);
        return rc;
    }
    case '=': {
        if (p->kind == CHART_SET_JSON) {
            if (sp_empty_val(p)) {
                sp_set(p, data, k, kn, tpl_nil());
                return SP_OK;
            }
            const tpl_val *v;
            if ((rc = sp_json(p, &v)) != SP_OK) return rc;
            sp_set(p, data, k, kn, v);
            return SP_OK;
        }
        if (p->kind == CHART_SET_LITERAL) {
            sp_set(p, data, k, kn, tpl_str(p->a, p->s + p->i, p->n - p->i));
            p->i = p->n;
            return SP_EOF;
        }
        const tpl_val *v;
        bool eof;
        rc = sp_value(p, &v, &eof);
        if (rc == SP_OK) sp_set(p, data, k, kn, v);
        if (rc == SP_OK && eof) return SP_EOF;
        return rc;
    }
    case ',':
        sp_set(p, data, k, kn, tpl_empty_str());
        return sp_fail(
            p, ar_printf(p->a, "key %s has no value (cannot end with ,)", sp_quote(p->a, k, kn)));
    default: { /* '.' */
        if (++nest > SP_MAX_NEST)
            return sp_fail(p, ar_printf(p->a,
                                        "value name nested level is greater than maximum "
                                        "supported nested level of %d",
                                        SP_MAX_NEST));
        tpl_val *inner;
        const tpl_val *cur = tpl_map_get(data, k, kn);
        if (cur) {
            if (cur->kind != TPL_MAP) {
                p->err = sp_type_panic(p, cur, "map[string]interface {}");
                return SP_ERR;
            }
            inner = (tpl_val *)cur;
        } else
            inner = tpl_map_new(p->a, NULL);
        rc = sp_key(p, inner->map, nest);
        if (rc == SP_OK && inner->map->n == 0)
            return sp_fail(p, ar_printf(p->a, "key map %s has no value", sp_quote(p->a, k, kn)));
        if (inner->map->n) sp_set(p, data, k, kn, inner);
        return rc;
    }
    }
}

bool chart_set_parse(arena *a, const char *s, size_t n, chart_set_kind kind, tpl_map *dest,
                     const char **err)
{
    sp p = {.a = a, .s = s, .n = n, .kind = kind};
    for (;;) {
        sp_rc rc = sp_key(&p, dest, 0);
        if (rc == SP_OK) continue;
        if (rc == SP_EOF) return true;
        *err = p.err ? p.err : "parse error";
        return false;
    }
}

/* ---- a small encoding/json decoder ---- */

typedef struct jd {
    arena *a;
    const char *s;
    size_t n, i;
    const char *err;
    int depth;
} jd;

static void jd_ws(jd *j)
{
    while (j->i < j->n &&
           (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r'))
        j->i++;
}

static bool jd_bad(jd *j, const char *ctx)
{
    if (j->i >= j->n) {
        j->err = "unexpected EOF";
        return false;
    }
    char c = j->s[j->i];
    j->err = ar_printf(j->a, "invalid character %s %s",
                       c == '\'' ? "'\\''" : ar_printf(j->a, "'%c'", c), ctx);
    return false;
}

static void jd_utf8(buf_t *b, unsigned cp)
{
    if (cp < 0x80)
        buf_putc(b, (char)cp);
    else if (cp < 0x800) {
        buf_putc(b, (char)(0xC0 | (cp >> 6)));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        buf_putc(b, (char)(0xE0 | (cp >> 12)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    } else {
        buf_putc(b, (char)(0xF0 | (cp >> 18)));
        buf_putc(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
        buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
        buf_putc(b, (char)(0x80 | (cp & 0x3F)));
    }
}

static int jd_hex4(jd *j)
{
    if (j->i + 4 > j->n) return -1;
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = j->s[j->i + (size_t)k];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= c - '0';
        else if (c >= 'a' && c <= 'f')
            v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v |= c - 'A' + 10;
        else
            return -1;
    }
    j->i += 4;
    return v;
}

static bool jd_string(jd *j, buf_t *b)
{
    j->i++; /* '"' */
    while (j->i < j->n) {
        char c = j->s[j->i++];
        if (c == '"') return true;
        if ((unsigned char)c < 0x20) {
            j->i--;
            return jd_bad(j, "in string literal");
        }
        if (c != '\\') {
            buf_putc(b, c);
            continue;
        }
        if (j->i >= j->n) break;
        c = j->s[j->i++];
        switch (c) {
        case '"':
        case '\\':
        case '/':
            buf_putc(b, c);
            break;
        case 'b':
            buf_putc(b, '\b');
            break;
        case 'f':
            buf_putc(b, '\f');
            break;
        case 'n':
            buf_putc(b, '\n');
            break;
        case 'r':
            buf_putc(b, '\r');
            break;
        case 't':
            buf_putc(b, '\t');
            break;
        case 'u': {
            int cp = jd_hex4(j);
            if (cp < 0) return jd_bad(j, "in \\u hexadecimal character escape");
            if (cp >= 0xD800 && cp < 0xDC00 && j->i + 6 <= j->n && j->s[j->i] == '\\' &&
                j->s[j->i + 1] == 'u') {
                size_t save = j->i;
                j->i += 2;
                int lo = jd_hex4(j);
                if (lo >= 0xDC00 && lo < 0xE000)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                else {
                    j->i = save;
                    cp = 0xFFFD;
                }
            } else if (cp >= 0xD800 && cp < 0xE000)
                cp = 0xFFFD;
            jd_utf8(b, (unsigned)cp);
            break;
        }
        default:
            j->i--;
            return jd_bad(j, "in string escape code");
        }
    }
    j->err = "unexpected EOF";
    return false;
}

static bool jd_value(jd *j, const tpl_val **out)
{
    jd_ws(j);
    if (j->i >= j->n) {
        j->err = j->depth ? "unexpected EOF" : "EOF";
        return false;
    }
    if (++j->depth > 10000) {
        j->err = "exceeded max depth";
        return false;
    }
    char c = j->s[j->i];
    bool ok = true;
    if (c == '{') {
        j->i++;
        tpl_val *m = tpl_map_new(j->a, NULL);
        jd_ws(j);
        if (j->i < j->n && j->s[j->i] == '}')
            j->i++;
        else
            for (;;) {
                jd_ws(j);
                if (j->i >= j->n || j->s[j->i] != '"') {
                    ok = jd_bad(j, "looking for beginning of object key string");
                    break;
                }
                buf_t k = {0};
                if (!jd_string(j, &k)) {
                    buf_free(&k);
                    ok = false;
                    break;
                }
                jd_ws(j);
                if (j->i >= j->n || j->s[j->i] != ':') {
                    buf_free(&k);
                    ok = jd_bad(j, "after object key");
                    break;
                }
                j->i++;
                const tpl_val *v;
                if (!jd_value(j, &v)) {
                    buf_free(&k);
                    ok = false;
                    break;
                }
                tpl_map_set(j->a, m->map, k.data ? k.data : "", k.len, v);
                buf_free(&k);
                jd_ws(j);
                if (j->i < j->n && j->s[j->i] == ',') {
                    j->i++;
                    continue;
                }
                if (j->i < j->n && j->s[j->i] == '}') {
                    j->i++;
                    break;
                }
                ok = jd_bad(j, "after object key:value pair");
                break;
            }
        *out = m;
    } else if (c == '[') {
        j->i++;
        const tpl_val **items = NULL;
        size_t n = 0, cap = 0;
        jd_ws(j);
        if (j->i < j->n && j->s[j->i] == ']')
            j->i++;
        else
            for (;;) {
                const tpl_val *v;
                if (!jd_value(j, &v)) {
                    ok = false;
                    break;
                }
                if (n == cap) {
                    size_t nc = cap ? cap * 2 : 4;
                    items = ar_realloc(j->a, items, cap * sizeof *items, nc * sizeof *items);
                    cap = nc;
                }
                items[n++] = v;
                jd_ws(j);
                if (j->i < j->n && j->s[j->i] == ',') {
                    j->i++;
                    continue;
                }
                if (j->i < j->n && j->s[j->i] == ']') {
                    j->i++;
                    break;
                }
                ok = jd_bad(j, "after array element");
                break;
            }
        *out = tpl_list(j->a, items, n, NULL);
    } else if (c == '"') {
        buf_t b = {0};
        ok = jd_string(j, &b);
        *out = tpl_str(j->a, b.data ? b.data : "", b.len);
        buf_free(&b);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        size_t st = j->i;
        if (j->s[j->i] == '-') j->i++;
        if (j->i < j->n && j->s[j->i] == '0')
            j->i++;
        else if (j->i < j->n && j->s[j->i] >= '1' && j->s[j->i] <= '9')
            while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
                j->i++;
        else
            return jd_bad(j, "in numeric literal");
        if (j->i < j->n && j->s[j->i] == '.') {
            j->i++;
            if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
                return jd_bad(j, "after decimal point in numeric literal");
            while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
                j->i++;
        }
        if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
            j->i++;
            if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-')) j->i++;
            if (j->i >= j->n || j->s[j->i] < '0' || j->s[j->i] > '9')
                return jd_bad(j, "in exponent of numeric literal");
            while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
                j->i++;
        }
        char *t = ar_strndup(j->a, j->s + st, j->i - st);
        *out = tpl_float(j->a, strtod(t, NULL));
    } else if (j->n - j->i >= 4 && !memcmp(j->s + j->i, "true", 4)) {
        j->i += 4;
        *out = tpl_bool(true);
    } else if (j->n - j->i >= 5 && !memcmp(j->s + j->i, "false", 5)) {
        j->i += 5;
        *out = tpl_bool(false);
    } else if (j->n - j->i >= 4 && !memcmp(j->s + j->i, "null", 4)) {
        j->i += 4;
        *out = tpl_nil();
    } else
        return jd_bad(j, "looking for beginning of value");
    j->depth--;
    return ok;
}

bool chart_json_decode(arena *a, const char *s, size_t n, const tpl_val **out, size_t *used,
                       const char **err)
{
    jd j = {.a = a, .s = s, .n = n};
    *out = tpl_nil();
    if (!jd_value(&j, out)) {
        *err = j.err;
        return false;
    }
    *used = j.i;
    return true;
}
