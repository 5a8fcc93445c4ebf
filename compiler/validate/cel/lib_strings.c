/* The CEL strings extension as cel-go's ext.Strings (latest version) defines it: code-point
 * indexing, ASCII casing, replace/split/substring/trim/join/reverse, strings.quote and the
 * string.format() clauses (%s %d %f %e %b %x %X %o with an optional precision). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/cel/cel_int.h"
#include "validate/cel/cel_lib.h"

/* ---- code points ---- */

/* Decodes one UTF-8 sequence at s[i..n) into *cp (U+FFFD for an invalid sequence, which then
 * counts one byte, as Go's range over a string does); returns its length in bytes. */
size_t cel_utf8_decode(const char *s, size_t n, size_t i, uint32_t *cp)
{
    return util_utf8_decode(s + i, n - i, cp);
}

void cel_utf8_put(buf_t *b, uint32_t cp)
{
    util_utf8_put(b, cp);
}

/* The code points of a string, in the arena. */
typedef struct runes {
    uint32_t *r;
    size_t n;
} runes;

static runes to_runes(cel_env *e, const char *s, size_t n)
{
    runes out = {ar_alloc(cel_env_arena(e), (n + 1) * sizeof(uint32_t)), 0};
    for (size_t i = 0; i < n;)
        i += cel_utf8_decode(s, n, i, &out.r[out.n++]);
    return out;
}

static const cel_val *runes_string(cel_env *e, const uint32_t *r, size_t n)
{
    buf_t b = {0};
    for (size_t i = 0; i < n; i++)
        cel_utf8_put(&b, r[i]);
    const cel_val *v = cel_string(e, b.data ? b.data : "", b.len);
    buf_free(&b);
    return v;
}

/* The result of a buffer as a CEL string; frees the buffer. */
static const cel_val *buf_string(cel_env *e, buf_t *b)
{
    const cel_val *v = cel_string(e, b->data ? b->data : "", b->len);
    buf_free(b);
    return v;
}

static bool is_str(const cel_val *v)
{
    return v->kind == CEL_STRING;
}

static bool is_int(const cel_val *v)
{
    return v->kind == CEL_INT;
}

/* ---- charAt, indexOf, lastIndexOf ---- */

/* Byte offset of code point k in s (k == count gives n); false when k is beyond the end. */
static bool cp_offset(const char *s, size_t n, int64_t k, size_t *off)
{
    size_t pos = 0;
    uint32_t cp;
    for (int64_t i = 0; i < k; i++) {
        if (pos >= n) return false;
        pos += cel_utf8_decode(s, n, pos, &cp);
    }
    *off = pos;
    return true;
}

/* s[lo..hi) as a string; invalid UTF-8 inside becomes U+FFFD, as Go's []rune slicing does. */
static const cel_val *cp_slice(cel_env *e, const char *s, size_t lo, size_t hi)
{
    if (util_utf8_valid(s + lo, hi - lo)) return cel_string(e, s + lo, hi - lo);
    runes r = to_runes(e, s + lo, hi - lo);
    return runes_string(e, r.r, r.n);
}

const cel_val *cel_str_char_at(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 2 || !is_str(a[0]) || !is_int(a[1])) return cel_no_overload(e, "charAt", a, n);
    const char *s = a[0]->str.s;
    size_t sn = a[0]->str.n, off;
    int64_t i = a[1]->i;
    if (i < 0 || !cp_offset(s, sn, i, &off))
        return cel_errorf(e, "index out of range: %" PRId64, i);
    if (off == sn) return cel_string(e, "", 0);
    uint32_t cp;
    return cp_slice(e, s, off, off + cel_utf8_decode(s, sn, off, &cp));
}

static bool runes_at(const runes *s, size_t i, const runes *sub)
{
    for (size_t j = 0; j < sub->n; j++)
        if (s->r[i + j] != sub->r[j]) return false;
    return true;
}

static const cel_val *index_of(cel_env *e, const cel_val *str, const cel_val *sub, int64_t off)
{
    if (off < 0) return cel_errorf(e, "index out of range: %" PRId64, off);
    runes s = to_runes(e, str->str.s, str->str.n);
    runes t = to_runes(e, sub->str.s, sub->str.n);
    if ((uint64_t)off > s.n) return cel_errorf(e, "index out of range: %" PRId64, off);
    if (t.n == 0) return cel_int(e, off);
    if ((size_t)off >= s.n || t.n > s.n) return cel_int(e, -1);
    for (size_t i = (size_t)off; i + t.n <= s.n; i++)
        if (runes_at(&s, i, &t)) return cel_int(e, (int64_t)i);
    return cel_int(e, -1);
}

static const cel_val *last_index_of(cel_env *e, const cel_val *str, const cel_val *sub, int64_t off,
                                    bool has_off)
{
    runes s = to_runes(e, str->str.s, str->str.n);
    runes t = to_runes(e, sub->str.s, sub->str.n);
    if (!has_off) {
        if (t.n == 0) return cel_int(e, (int64_t)s.n);
        if (str->str.n < sub->str.n) return cel_int(e, -1);
        off = (int64_t)s.n - 1;
    }
    if (off < 0) return cel_errorf(e, "index out of range: %" PRId64, off);
    if ((uint64_t)off > s.n) return cel_errorf(e, "index out of range: %" PRId64, off);
    if (t.n == 0) return cel_int(e, off);
    if ((size_t)off >= s.n || t.n > s.n) return cel_int(e, -1);
    size_t start = (size_t)off;
    if (start > s.n - t.n) start = s.n - t.n;
    for (size_t i = start + 1; i-- > 0;)
        if (runes_at(&s, i, &t)) return cel_int(e, (int64_t)i);
    return cel_int(e, -1);
}

const cel_val *cel_str_index_of(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n == 2 && a[0]->kind == CEL_LIST) return cel_k8s_list_index_of(e, a, n);
    if (n < 2 || n > 3 || !is_str(a[0]) || !is_str(a[1]) || (n == 3 && !is_int(a[2])))
        return cel_no_overload(e, "indexOf", a, n);
    return index_of(e, a[0], a[1], n == 3 ? a[2]->i : 0);
}

const cel_val *cel_str_last_index_of(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n == 2 && a[0]->kind == CEL_LIST) return cel_k8s_list_last_index_of(e, a, n);
    if (n < 2 || n > 3 || !is_str(a[0]) || !is_str(a[1]) || (n == 3 && !is_int(a[2])))
        return cel_no_overload(e, "lastIndexOf", a, n);
    return last_index_of(e, a[0], a[1], n == 3 ? a[2]->i : 0, n == 3);
}

/* ---- casing, replace, split, substring, trim, reverse ---- */

static const cel_val *ascii_case(cel_env *e, const cel_val *const *a, size_t n, bool upper)
{
    if (n != 1 || !is_str(a[0]))
        return cel_no_overload(e, upper ? "upperAscii" : "lowerAscii", a, n);
    runes r = to_runes(e, a[0]->str.s, a[0]->str.n);
    for (size_t i = 0; i < r.n; i++) {
        if (upper && r.r[i] >= 'a' && r.r[i] <= 'z') r.r[i] -= 32;
        if (!upper && r.r[i] >= 'A' && r.r[i] <= 'Z') r.r[i] += 32;
    }
    return runes_string(e, r.r, r.n);
}

const cel_val *cel_str_lower_ascii(cel_env *e, const cel_val *const *a, size_t n)
{
    return ascii_case(e, a, n, false);
}

const cel_val *cel_str_upper_ascii(cel_env *e, const cel_val *const *a, size_t n)
{
    return ascii_case(e, a, n, true);
}

static const char *find_bytes(const char *s, size_t n, const char *t, size_t tn)
{
    if (tn == 0) return s;
    for (size_t i = 0; i + tn <= n; i++)
        if (s[i] == t[0] && memcmp(s + i, t, tn) == 0) return s + i;
    return NULL;
}

/* Go's strings.Replace: at most `limit` replacements (all when negative); an empty `old`
 * matches at the start and after each code point. */
const cel_val *cel_str_replace(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n < 3 || n > 4 || !is_str(a[0]) || !is_str(a[1]) || !is_str(a[2]) ||
        (n == 4 && !is_int(a[3])))
        return cel_no_overload(e, "replace", a, n);
    const char *s = a[0]->str.s, *old = a[1]->str.s, *nw = a[2]->str.s;
    size_t sn = a[0]->str.n, on = a[1]->str.n, nn = a[2]->str.n;
    int64_t limit = n == 4 ? a[3]->i : -1;
    if (limit == 0 || (on == nn && memcmp(old, nw, on) == 0)) return a[0];
    buf_t b = {0};
    size_t i = 0;
    int64_t done = 0;
    if (on == 0) {
        while (limit < 0 || done < limit) {
            buf_put(&b, nw, nn);
            done++;
            if (i >= sn) break;
            uint32_t cp;
            size_t w = cel_utf8_decode(s, sn, i, &cp);
            buf_put(&b, s + i, w);
            i += w;
        }
        buf_put(&b, s + i, sn - i);
        return buf_string(e, &b);
    }
    while (limit < 0 || done < limit) {
        const char *hit = find_bytes(s + i, sn - i, old, on);
        if (!hit) break;
        size_t at = (size_t)(hit - s);
        buf_put(&b, s + i, at - i);
        buf_put(&b, nw, nn);
        i = at + on;
        done++;
    }
    buf_put(&b, s + i, sn - i);
    return buf_string(e, &b);
}

/* Go's strings.SplitN: limit 0 gives [], negative all parts, else at most limit parts with the
 * rest in the last; an empty separator splits into code points. */
const cel_val *cel_str_split(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n < 2 || n > 3 || !is_str(a[0]) || !is_str(a[1]) || (n == 3 && !is_int(a[2])))
        return cel_no_overload(e, "split", a, n);
    const char *s = a[0]->str.s, *sep = a[1]->str.s;
    size_t sn = a[0]->str.n, pn = a[1]->str.n;
    int64_t limit = n == 3 ? a[2]->i : -1;
    arena *ar = cel_env_arena(e);
    if (limit == 0) return cel_list(e, NULL, 0);
    size_t cap = sn + 2, cnt = 0;
    if (limit > 0 && (uint64_t)limit < cap) cap = (size_t)limit;
    cel_val **items = ar_alloc(ar, cap * sizeof *items);
    size_t i = 0;
    if (pn == 0) {
        while (i < sn) {
            if (limit > 0 && cnt + 1 == (uint64_t)limit) {
                items[cnt++] = cel_string(e, s + i, sn - i);
                return cel_list(e, items, cnt);
            }
            uint32_t cp;
            size_t w = cel_utf8_decode(s, sn, i, &cp);
            items[cnt++] = cel_string(e, s + i, w);
            i += w;
        }
        return cel_list(e, items, cnt);
    }
    for (;;) {
        if (limit > 0 && cnt + 1 == (uint64_t)limit) break;
        const char *hit = find_bytes(s + i, sn - i, sep, pn);
        if (!hit) break;
        size_t at = (size_t)(hit - s);
        items[cnt++] = cel_string(e, s + i, at - i);
        i = at + pn;
    }
    items[cnt++] = cel_string(e, s + i, sn - i);
    return cel_list(e, items, cnt);
}

const cel_val *cel_str_substring(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n < 2 || n > 3 || !is_str(a[0]) || !is_int(a[1]) || (n == 3 && !is_int(a[2])))
        return cel_no_overload(e, "substring", a, n);
    const char *s = a[0]->str.s;
    size_t sn = a[0]->str.n, lo, hi = sn;
    int64_t start = a[1]->i, end = n == 3 ? a[2]->i : 0;
    if (n == 3 && start > end)
        return cel_errorf(e, "invalid substring range. start: %" PRId64 ", end: %" PRId64, start,
                          end);
    if (start < 0 || !cp_offset(s, sn, start, &lo))
        return cel_errorf(e, "index out of range: %" PRId64, start);
    if (n == 3 && (end < 0 || !cp_offset(s, sn, end, &hi)))
        return cel_errorf(e, "index out of range: %" PRId64, end);
    return cp_slice(e, s, lo, hi);
}

/* Unicode White_Space, as Go's unicode.IsSpace. */
static bool is_space(uint32_t c)
{
    switch (c) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return c >= 0x2000 && c <= 0x200A;
    }
}

const cel_val *cel_str_trim(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || !is_str(a[0])) return cel_no_overload(e, "trim", a, n);
    const char *s = a[0]->str.s;
    size_t sn = a[0]->str.n, lo = 0, hi = sn;
    while (lo < sn) {
        uint32_t cp;
        size_t w = cel_utf8_decode(s, sn, lo, &cp);
        if (!is_space(cp)) break;
        lo += w;
    }
    while (hi > lo) {
        size_t st = hi - 1;
        while (st > lo && ((unsigned char)s[st] & 0xC0) == 0x80 && hi - st < 4)
            st--;
        uint32_t cp;
        size_t w = cel_utf8_decode(s, sn, st, &cp);
        if (st + w != hi) st = hi - 1, cp = 0xFFFD;
        if (!is_space(cp)) break;
        hi = st;
    }
    return cel_string(e, s + lo, hi - lo);
}

const cel_val *cel_str_reverse(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || !is_str(a[0])) return cel_no_overload(e, "reverse", a, n);
    runes r = to_runes(e, a[0]->str.s, a[0]->str.n);
    for (size_t i = 0, j = r.n; i + 1 < j; i++, j--) {
        uint32_t t = r.r[i];
        r.r[i] = r.r[j - 1];
        r.r[j - 1] = t;
    }
    return runes_string(e, r.r, r.n);
}

/* list.join() and list.join(sep): every element must be a string. */
const cel_val *cel_str_join(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n < 1 || n > 2 || a[0]->kind != CEL_LIST || (n == 2 && !is_str(a[1])))
        return cel_no_overload(e, "join", a, n);
    buf_t b = {0};
    for (size_t i = 0; i < a[0]->list.n; i++) {
        const cel_val *it = a[0]->list.items[i];
        if (!is_str(it)) {
            buf_free(&b);
            buf_t t = {0};
            cel_print(&t, it);
            const cel_val *err = cel_errorf(e, "join: invalid input: %s", buf_cstr(&t));
            buf_free(&t);
            return err;
        }
        if (i && n == 2) buf_put(&b, a[1]->str.s, a[1]->str.n);
        buf_put(&b, it->str.s, it->str.n);
    }
    return buf_string(e, &b);
}

/* strings.quote: a double-quoted CEL string literal; invalid UTF-8 becomes U+FFFD. */
const cel_val *cel_str_quote(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || !is_str(a[0])) return cel_no_overload(e, "strings.quote", a, n);
    const char *s = a[0]->str.s;
    size_t sn = a[0]->str.n;
    buf_t b = {0};
    buf_putc(&b, '"');
    for (size_t i = 0; i < sn;) {
        uint32_t cp;
        i += cel_utf8_decode(s, sn, i, &cp);
        switch (cp) {
        case '\a':
            buf_puts(&b, "\\a");
            break;
        case '\b':
            buf_puts(&b, "\\b");
            break;
        case '\f':
            buf_puts(&b, "\\f");
            break;
        case '\n':
            buf_puts(&b, "\\n");
            break;
        case '\r':
            buf_puts(&b, "\\r");
            break;
        case '\t':
            buf_puts(&b, "\\t");
            break;
        case '\v':
            buf_puts(&b, "\\v");
            break;
        case '\\':
            buf_puts(&b, "\\\\");
            break;
        case '"':
            buf_puts(&b, "\\\"");
            break;
        default:
            cel_utf8_put(&b, cp);
        }
    }
    buf_putc(&b, '"');
    return buf_string(e, &b);
}

/* ---- number and time text shared with the Kubernetes libraries ---- */

/* A double as Go's strconv.FormatFloat(d, 'f', -1, 64): the shortest digits that read back as
 * d, written without an exponent. NaN and infinities are not handled here. */
void cel_fmt_double_plain(buf_t *b, double d)
{
    char t[64];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(t, sizeof t, "%.*e", prec - 1, d);
        if (strtod(t, NULL) == d) break;
    }
    if (prec > 17) snprintf(t, sizeof t, "%.16e", d);
    /* t is [-]D[.DDD]e±XX */
    char digits[32];
    size_t nd = 0;
    const char *p = t;
    bool neg = false;
    if (*p == '-') neg = true, p++;
    for (; *p && *p != 'e'; p++)
        if (*p != '.') digits[nd++] = *p;
    int exp = atoi(p + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    if (neg) buf_putc(b, '-');
    /* value = 0.D1D2.. * 10^(exp+1) */
    int point = exp + 1;
    if (point <= 0) {
        buf_puts(b, "0.");
        for (int i = 0; i < -point; i++)
            buf_putc(b, '0');
        buf_put(b, digits, nd);
    } else if ((size_t)point >= nd) {
        buf_put(b, digits, nd);
        for (size_t i = nd; i < (size_t)point; i++)
            buf_putc(b, '0');
    } else {
        buf_put(b, digits, (size_t)point);
        buf_putc(b, '.');
        buf_put(b, digits + point, nd - (size_t)point);
    }
}

/* A duration as format's %s writes it: Go's Duration.Seconds() in plain notation, then "s". */
void cel_fmt_duration(buf_t *b, int64_t sec, int32_t nsec)
{
    double d = (double)sec + (double)nsec / 1e9;
    cel_fmt_double_plain(b, d);
    buf_putc(b, 's');
}

/* ---- format ---- */

static const cel_val *fmt_err(cel_env *e, const char *what, const cel_val *v)
{
    return cel_errorf(e, "error during formatting: %s, was given %s", what, cel_type_name(v));
}

static bool fmt_special_double(buf_t *b, double d)
{
    if (isnan(d)) {
        buf_puts(b, "NaN");
        return true;
    }
    if (isinf(d)) {
        buf_puts(b, d < 0 ? "-Infinity" : "Infinity");
        return true;
    }
    return false;
}

typedef struct fmt_entry {
    buf_t key, val;
} fmt_entry;

static int fmt_entry_cmp(const void *x, const void *y)
{
    const fmt_entry *a = x, *b = y;
    size_t n = a->key.len < b->key.len ? a->key.len : b->key.len;
    int c = n ? memcmp(a->key.data, b->key.data, n) : 0;
    if (c) return c;
    return (a->key.len > b->key.len) - (a->key.len < b->key.len);
}

/* %s: appends v's text; false (with *bad set) for a value %s cannot format. */
static bool fmt_string(buf_t *b, const cel_val *v, const cel_val **bad)
{
    switch (v->kind) {
    case CEL_BOOL:
        buf_puts(b, v->b ? "true" : "false");
        return true;
    case CEL_INT:
        buf_printf(b, "%" PRId64, v->i);
        return true;
    case CEL_UINT:
        buf_printf(b, "%" PRIu64, v->u);
        return true;
    case CEL_DOUBLE:
        if (!fmt_special_double(b, v->d)) cel_fmt_double_plain(b, v->d);
        return true;
    case CEL_STRING:
    case CEL_BYTES:
        buf_put(b, v->str.s, v->str.n);
        return true;
    case CEL_DURATION:
        cel_fmt_duration(b, v->time.sec, v->time.nsec);
        return true;
    case CEL_TIMESTAMP:
        cel_ts_format(b, v->time.sec, v->time.nsec);
        return true;
    case CEL_NULL:
        buf_puts(b, "null");
        return true;
    case CEL_TYPE:
        buf_puts(b, v->type.name);
        return true;
    case CEL_LIST:
        buf_putc(b, '[');
        for (size_t i = 0; i < v->list.n; i++) {
            if (i) buf_puts(b, ", ");
            if (!fmt_string(b, v->list.items[i], bad)) return false;
        }
        buf_putc(b, ']');
        return true;
    case CEL_MAP: {
        size_t n = v->map.n;
        fmt_entry *ents = util_xmalloc((n ? n : 1) * sizeof *ents);
        memset(ents, 0, (n ? n : 1) * sizeof *ents);
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++)
            ok = fmt_string(&ents[i].key, v->map.keys[i], bad) &&
                 fmt_string(&ents[i].val, v->map.vals[i], bad);
        if (ok) {
            qsort(ents, n, sizeof *ents, fmt_entry_cmp);
            buf_putc(b, '{');
            for (size_t i = 0; i < n; i++) {
                if (i) buf_puts(b, ", ");
                buf_put(b, ents[i].key.data ? ents[i].key.data : "", ents[i].key.len);
                buf_puts(b, ": ");
                buf_put(b, ents[i].val.data ? ents[i].val.data : "", ents[i].val.len);
            }
            buf_putc(b, '}');
        }
        for (size_t i = 0; i < n; i++)
            buf_free(&ents[i].key), buf_free(&ents[i].val);
        free(ents);
        return ok;
    }
    default:
        *bad = v;
        return false;
    }
}

static void put_radix_u(buf_t *b, uint64_t u, unsigned base, bool upper)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char t[72];
    size_t k = sizeof t;
    do {
        t[--k] = dig[u % base];
        u /= base;
    } while (u);
    buf_put(b, t + k, sizeof t - k);
}

static void put_radix_i(buf_t *b, int64_t i, unsigned base, bool upper)
{
    uint64_t u = (uint64_t)i;
    if (i < 0) {
        buf_putc(b, '-');
        u = 0 - u;
    }
    put_radix_u(b, u, base, upper);
}

/* One clause applied to one value; NULL on success, else the error. */
static const cel_val *fmt_clause(cel_env *e, buf_t *b, char verb, int prec, const cel_val *v)
{
    switch (verb) {
    case 's': {
        const cel_val *bad = NULL;
        buf_t t = {0};
        bool ok = fmt_string(&t, v, &bad);
        if (ok) buf_put(b, t.data ? t.data : "", t.len);
        buf_free(&t);
        if (!ok)
            return fmt_err(e,
                           "string clause can only be used on strings, bools, bytes, ints, "
                           "doubles, maps, lists, types, durations, and timestamps",
                           bad);
        return NULL;
    }
    case 'd':
        if (v->kind == CEL_INT)
            put_radix_i(b, v->i, 10, false);
        else if (v->kind == CEL_UINT)
            put_radix_u(b, v->u, 10, false);
        else if (v->kind == CEL_DOUBLE) {
            if (!fmt_special_double(b, v->d)) cel_fmt_double_plain(b, v->d);
        } else
            return fmt_err(e, "decimal clause can only be used on ints, uints, and doubles", v);
        return NULL;
    case 'f':
    case 'e': {
        double d;
        if (v->kind == CEL_INT)
            d = (double)v->i;
        else if (v->kind == CEL_UINT)
            d = (double)v->u;
        else if (v->kind == CEL_DOUBLE)
            d = v->d;
        else
            return fmt_err(e,
                           verb == 'f' ? "fixed-point clause can only be used on ints, uints, "
                                         "and doubles"
                                       : "scientific clause can only be used on ints, uints, "
                                         "and doubles",
                           v);
        if (v->kind == CEL_DOUBLE && fmt_special_double(b, d)) return NULL;
        buf_printf(b, verb == 'f' ? "%.*f" : "%.*e", prec, d);
        return NULL;
    }
    case 'b':
        if (v->kind == CEL_BOOL)
            buf_putc(b, v->b ? '1' : '0');
        else if (v->kind == CEL_INT)
            put_radix_i(b, v->i, 2, false);
        else if (v->kind == CEL_UINT)
            put_radix_u(b, v->u, 2, false);
        else
            return fmt_err(e, "only ints, uints, and bools can be formatted as binary", v);
        return NULL;
    case 'o':
        if (v->kind == CEL_INT)
            put_radix_i(b, v->i, 8, false);
        else if (v->kind == CEL_UINT)
            put_radix_u(b, v->u, 8, false);
        else
            return fmt_err(e, "octal clause can only be used on ints and uints", v);
        return NULL;
    default: { /* x, X */
        bool up = verb == 'X';
        if (v->kind == CEL_INT)
            put_radix_i(b, v->i, 16, up);
        else if (v->kind == CEL_UINT)
            put_radix_u(b, v->u, 16, up);
        else if (v->kind == CEL_STRING || v->kind == CEL_BYTES) {
            const char *dig = up ? "0123456789ABCDEF" : "0123456789abcdef";
            for (size_t i = 0; i < v->str.n; i++) {
                unsigned char c = (unsigned char)v->str.s[i];
                buf_putc(b, dig[c >> 4]);
                buf_putc(b, dig[c & 15]);
            }
        } else
            return fmt_err(e, "only ints, uints, bytes, and strings can be formatted as hex", v);
        return NULL;
    }
    }
}

enum { FMT_MAX_PRECISION = 100, FMT_DEFAULT_PRECISION = 6 };

/* "...".format([args]): cel-go's formatting (v2) clause by clause. */
const cel_val *cel_str_format(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 2 || !is_str(a[0]) || a[1]->kind != CEL_LIST)
        return cel_no_overload(e, "format", a, n);
    const char *f = a[0]->str.s;
    size_t fn = a[0]->str.n, argi = 0, nargs = a[1]->list.n;
    buf_t b = {0};
    const cel_val *err = NULL;
    for (size_t i = 0; i < fn && !err;) {
        if (f[i] != '%') {
            buf_putc(&b, f[i++]);
            continue;
        }
        if (i + 1 < fn && f[i + 1] == '%') {
            buf_putc(&b, '%');
            i += 2;
            continue;
        }
        if (argi >= nargs) {
            err = cel_errorf(e, "index %zu out of range", argi);
            break;
        }
        if (i + 1 >= fn) {
            err = cel_errorf(e, "unexpected end of string");
            break;
        }
        size_t j = i + 1;
        int prec = FMT_DEFAULT_PRECISION;
        if (f[j] == '.') {
            size_t k = ++j;
            while (j < fn && f[j] >= '0' && f[j] <= '9')
                j++;
            if (j >= fn) {
                err = cel_errorf(e, "could not parse formatting clause: error while parsing "
                                    "precision: could not find end of precision specifier");
                break;
            }
            if (j == k) {
                err = cel_errorf(e, "could not parse formatting clause: error while parsing "
                                    "precision: error while converting precision to integer: "
                                    "strconv.Atoi: parsing \"\": invalid syntax");
                break;
            }
            long p = 0;
            for (size_t q = k; q < j; q++) {
                p = p * 10 + (f[q] - '0');
                if (p > 1000000) p = 1000000;
            }
            if (p > FMT_MAX_PRECISION) {
                err = cel_errorf(e,
                                 "could not parse formatting clause: error while parsing "
                                 "precision: precision %ld exceeds maximum allowed precision "
                                 "%d",
                                 p, FMT_MAX_PRECISION);
                break;
            }
            prec = (int)p;
        }
        char verb = f[j];
        if (verb == 0 || !strchr("sdfebxXo", verb)) {
            buf_t t = {0};
            cel_utf8_put(&t, (unsigned char)verb); /* cel-go prints the byte as a rune */
            err = cel_errorf(e,
                             "could not parse formatting clause: unrecognized formatting clause "
                             "\"%s\"",
                             buf_cstr(&t));
            buf_free(&t);
            break;
        }
        err = fmt_clause(e, &b, verb, prec, a[1]->list.items[argi++]);
        i = j + 1;
    }
    if (err) {
        buf_free(&b);
        return err;
    }
    return buf_string(e, &b);
}
