/* Kubernetes CEL libraries over plain values: lists (isSorted, sum, min, max, indexOf,
 * lastIndexOf), regex (find, findAll through PCRE2, compiled per call), sets (cel-go ext.Sets)
 * and URLs (Go net/url parsing as k8s.io/apiserver's url() uses it). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <inttypes.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "validate/cel/cel_int.h"
#include "validate/cel/cel_lib.h"

/* ---- lists ---- */

const cel_val *cel_k8s_is_sorted(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_LIST) return cel_no_overload(e, "isSorted", a, n);
    const cel_val *l = a[0];
    for (size_t i = 0; i < l->list.n; i++) {
        if (cel_compare(l->list.items[i], l->list.items[i]) == 3)
            return cel_no_overload(e, "isSorted", a, n);
        if (i && cel_compare(l->list.items[i - 1], l->list.items[i]) == 1) return cel_bool(false);
    }
    return cel_bool(true);
}

const cel_val *cel_k8s_sum(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_LIST) return cel_no_overload(e, "sum", a, n);
    const cel_val *l = a[0];
    if (l->list.n == 0) return cel_int(e, 0);
    int k = l->list.items[0]->kind;
    if (k != CEL_INT && k != CEL_UINT && k != CEL_DOUBLE && k != CEL_DURATION)
        return cel_no_overload(e, "sum", a, n);
    int64_t si = 0, ss = 0, sn = 0;
    uint64_t su = 0;
    double sd = 0;
    for (size_t i = 0; i < l->list.n; i++) {
        const cel_val *v = l->list.items[i];
        if (v->kind != k) return cel_no_overload(e, "sum", a, n);
        switch (k) {
        case CEL_INT:
            if (__builtin_add_overflow(si, v->i, &si)) return cel_errorf(e, "integer overflow");
            break;
        case CEL_UINT:
            if (__builtin_add_overflow(su, v->u, &su))
                return cel_errorf(e, "unsigned integer overflow");
            break;
        case CEL_DOUBLE:
            sd += v->d;
            break;
        default: {
            int64_t nsum = sn + v->time.nsec, carry = 0;
            if (nsum >= 1000000000)
                nsum -= 1000000000, carry = 1;
            else if (nsum <= -1000000000)
                nsum += 1000000000, carry = -1;
            if (__builtin_add_overflow(ss, v->time.sec, &ss) ||
                __builtin_add_overflow(ss, carry, &ss))
                return cel_errorf(e, "integer overflow");
            sn = nsum;
            if (ss > 0 && sn < 0) ss--, sn += 1000000000;
            if (ss < 0 && sn > 0) ss++, sn -= 1000000000;
            if (ss > 315576000000 || ss < -315576000000) return cel_errorf(e, "integer overflow");
        }
        }
    }
    if (k == CEL_INT) return cel_int(e, si);
    if (k == CEL_UINT) return cel_uint(e, su);
    if (k == CEL_DOUBLE) return cel_double(e, sd);
    return cel_duration(e, ss, (int32_t)sn);
}

/* min() and max(): incomparable pairs (NaN) never replace the current choice. */
static const cel_val *min_max(cel_env *e, const cel_val *const *a, size_t n, bool want_max)
{
    const char *name = want_max ? "max" : "min";
    if (n != 1 || a[0]->kind != CEL_LIST) return cel_no_overload(e, name, a, n);
    const cel_val *l = a[0], *best = NULL;
    for (size_t i = 0; i < l->list.n; i++) {
        const cel_val *v = l->list.items[i];
        if (cel_compare(v, v) == 3) return cel_no_overload(e, name, a, n);
        if (!best) {
            best = v;
            continue;
        }
        int c = cel_compare(best, v);
        if (c == 3) return cel_no_overload(e, name, a, n);
        if ((want_max && c == -1) || (!want_max && c == 1)) best = v;
    }
    if (!best) return cel_errorf(e, "%s called on empty list", name);
    return best;
}

const cel_val *cel_k8s_min(cel_env *e, const cel_val *const *a, size_t n)
{
    return min_max(e, a, n, false);
}

const cel_val *cel_k8s_max(cel_env *e, const cel_val *const *a, size_t n)
{
    return min_max(e, a, n, true);
}

const cel_val *cel_k8s_list_index_of(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 2 || a[0]->kind != CEL_LIST) return cel_no_overload(e, "indexOf", a, n);
    for (size_t i = 0; i < a[0]->list.n; i++)
        if (cel_equal(a[0]->list.items[i], a[1])) return cel_int(e, (int64_t)i);
    return cel_int(e, -1);
}

const cel_val *cel_k8s_list_last_index_of(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 2 || a[0]->kind != CEL_LIST) return cel_no_overload(e, "lastIndexOf", a, n);
    for (size_t i = a[0]->list.n; i-- > 0;)
        if (cel_equal(a[0]->list.items[i], a[1])) return cel_int(e, (int64_t)i);
    return cel_int(e, -1);
}

/* ---- regex ---- */

/* Compiles a pattern (RE2 syntax is close to PCRE2's with UTF); NULL with *err set. */
static pcre2_code *re_compile(cel_env *e, const cel_val *pat, const cel_val **err)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat->str.s, pat->str.n,
                                   PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        *err = cel_errorf(e, "Illegal regex: error parsing regexp: %s at offset %zu", (char *)msg,
                          (size_t)off);
    }
    return re;
}

/* Up to `limit` matches (all when negative) as Go's FindAllString: successive non-overlapping
 * matches, an empty match right after a previous match skipped. Returns the count; *out holds
 * start/end byte pairs (malloc'd, the caller frees). */
static size_t re_find_all(pcre2_code *re, const char *s, size_t n, int64_t limit, size_t **out,
                          int *failed)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(mc, 1000000); /* backtracking bounds: RE2 never backtracks */
    pcre2_set_depth_limit(mc, 10000);
    size_t got = 0, cap = 0, pos = 0;
    int64_t prev_end = -1;
    *out = NULL;
    *failed = 0;
    while ((limit < 0 || (int64_t)got < limit) && pos <= n) {
        int rc = pcre2_match(re, (PCRE2_SPTR)s, n, pos, PCRE2_NO_UTF_CHECK, md, mc);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) {
            *failed = rc;
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t ms = ov[0], me = ov[1];
        bool accept = true;
        if (me == pos && ms == me) {
            if ((int64_t)ms == prev_end) accept = false;
            if (pos < n) {
                uint32_t cp;
                pos += cel_utf8_decode(s, n, pos, &cp);
            } else
                pos = n + 1;
        } else
            pos = me;
        prev_end = (int64_t)me;
        if (!accept) continue;
        if (got == cap) {
            cap = cap ? cap * 2 : 8;
            *out = util_xrealloc(*out, cap * 2 * sizeof **out);
        }
        (*out)[2 * got] = ms;
        (*out)[2 * got + 1] = me;
        got++;
    }
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    return got;
}

const cel_val *cel_k8s_find(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 2 || a[0]->kind != CEL_STRING || a[1]->kind != CEL_STRING)
        return cel_no_overload(e, "find", a, n);
    if (!util_utf8_valid(a[0]->str.s, a[0]->str.n)) return cel_errorf(e, "invalid UTF-8 string");
    const cel_val *err = NULL;
    pcre2_code *re = re_compile(e, a[1], &err);
    if (!re) return err;
    size_t *m;
    int failed;
    size_t got = re_find_all(re, a[0]->str.s, a[0]->str.n, 1, &m, &failed);
    pcre2_code_free(re);
    if (failed) {
        free(m);
        return cel_errorf(e, "regular expression match failed (error %d)", failed);
    }
    const cel_val *v = got ? cel_string(e, a[0]->str.s + m[0], m[1] - m[0]) : cel_string(e, "", 0);
    free(m);
    return v;
}

const cel_val *cel_k8s_find_all(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n < 2 || n > 3 || a[0]->kind != CEL_STRING || a[1]->kind != CEL_STRING ||
        (n == 3 && a[2]->kind != CEL_INT))
        return cel_no_overload(e, "findAll", a, n);
    if (!util_utf8_valid(a[0]->str.s, a[0]->str.n)) return cel_errorf(e, "invalid UTF-8 string");
    const cel_val *err = NULL;
    pcre2_code *re = re_compile(e, a[1], &err);
    if (!re) return err;
    int64_t limit = n == 3 ? a[2]->i : -1;
    size_t *m = NULL;
    int failed = 0;
    size_t got = limit == 0 ? 0 : re_find_all(re, a[0]->str.s, a[0]->str.n, limit, &m, &failed);
    pcre2_code_free(re);
    if (failed) {
        free(m);
        return cel_errorf(e, "regular expression match failed (error %d)", failed);
    }
    cel_val **items = ar_alloc(cel_env_arena(e), (got ? got : 1) * sizeof *items);
    for (size_t i = 0; i < got; i++)
        items[i] = cel_string(e, a[0]->str.s + m[2 * i], m[2 * i + 1] - m[2 * i]);
    free(m);
    return cel_list(e, items, got);
}

/* ---- sets (cel-go ext.Sets) ---- */

static bool list_has(const cel_val *l, const cel_val *v)
{
    for (size_t i = 0; i < l->list.n; i++)
        if (cel_equal(l->list.items[i], v)) return true;
    return false;
}

static bool list_contains_all(const cel_val *l, const cel_val *sub)
{
    for (size_t i = 0; i < sub->list.n; i++)
        if (!list_has(l, sub->list.items[i])) return false;
    return true;
}

static bool two_lists(const cel_val *const *a, size_t n)
{
    return n == 2 && a[0]->kind == CEL_LIST && a[1]->kind == CEL_LIST;
}

const cel_val *cel_k8s_sets_contains(cel_env *e, const cel_val *const *a, size_t n)
{
    if (!two_lists(a, n)) return cel_no_overload(e, "sets.contains", a, n);
    return cel_bool(list_contains_all(a[0], a[1]));
}

const cel_val *cel_k8s_sets_equivalent(cel_env *e, const cel_val *const *a, size_t n)
{
    if (!two_lists(a, n)) return cel_no_overload(e, "sets.equivalent", a, n);
    return cel_bool(list_contains_all(a[0], a[1]) && list_contains_all(a[1], a[0]));
}

const cel_val *cel_k8s_sets_intersects(cel_env *e, const cel_val *const *a, size_t n)
{
    if (!two_lists(a, n)) return cel_no_overload(e, "sets.intersects", a, n);
    for (size_t i = 0; i < a[1]->list.n; i++)
        if (list_has(a[0], a[1]->list.items[i])) return cel_bool(true);
    return cel_bool(false);
}

/* ---- URLs (Go net/url) ---- */

typedef struct k8s_url {
    const char *scheme, *opaque, *user, *host, *raw_path, *raw_query, *fragment;
    bool has_user, has_query, force_query;
} k8s_url;

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

enum { ENC_PATH, ENC_HOST, ENC_ZONE, ENC_USER, ENC_QUERY };

/* Go's shouldEscape for the modes used here. */
static bool should_escape(unsigned char c, int mode)
{
    if (is_alnum(c)) return false;
    if (mode == ENC_HOST || mode == ENC_ZONE) {
        if (strchr("!$&'()*+,;=:[]<>\"", c) && c) return false;
    }
    switch (c) {
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
        if (mode == ENC_PATH) return c == '?';
        if (mode == ENC_USER) return c == '@' || c == '/' || c == '?' || c == ':';
        if (mode == ENC_QUERY) return true;
        return false;
    default:
        return true;
    }
}

/* Percent-decoding as Go's unescape; false on a bad escape or a host character Go rejects. */
static bool url_unescape(const char *s, size_t n, int mode, buf_t *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n) return false;
            if (!is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
            unsigned char v = (unsigned char)(hex_val(s[i + 1]) * 16 + hex_val(s[i + 2]));
            if (mode == ENC_HOST && v < 0x80 && !(i + 3 <= n && memcmp(s + i, "%25", 3) == 0))
                return false;
            buf_putc(out, (char)v);
            i += 2;
            continue;
        }
        if (c == '+' && mode == ENC_QUERY)
            c = ' ';
        else if ((mode == ENC_HOST || mode == ENC_ZONE) && c < 0x80 && should_escape(c, mode))
            return false;
        buf_putc(out, (char)c);
    }
    return true;
}

static bool valid_port(const char *p, size_t n)
{
    if (n == 0) return true;
    if (p[0] != ':') return false;
    for (size_t i = 1; i < n; i++)
        if (p[i] < '0' || p[i] > '9') return false;
    return true;
}

/* Go's parseHost: checks the port and unescapes the host (brackets and port kept) into out. */
static bool parse_host(const char *h, size_t n, buf_t *out)
{
    if (n && h[0] == '[') {
        size_t ci = n;
        for (size_t i = n; i-- > 0;)
            if (h[i] == ']') {
                ci = i;
                break;
            }
        if (ci == n || !valid_port(h + ci + 1, n - ci - 1)) return false;
        const char *zone = NULL;
        for (size_t i = 0; i + 3 <= ci; i++)
            if (!memcmp(h + i, "%25", 3)) {
                zone = h + i;
                break;
            }
        if (zone) {
            size_t zi = (size_t)(zone - h);
            return url_unescape(h, zi, ENC_HOST, out) &&
                   url_unescape(zone, ci - zi, ENC_ZONE, out) &&
                   url_unescape(h + ci, n - ci, ENC_HOST, out);
        }
    } else {
        for (size_t i = n; i-- > 0;)
            if (h[i] == ':') {
                if (!valid_port(h + i, n - i)) return false;
                break;
            }
    }
    return url_unescape(h, n, ENC_HOST, out);
}

/* Go's validUserinfo: RFC 3986 userinfo characters only (no raw non-ASCII). */
static bool valid_userinfo(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c) && !(c && strchr("-._:~!$&'()*+,;=%@", c))) return false;
    }
    return true;
}

/* Go's url.Parse (request: ParseRequestURI, no fragment split); NULL on an error. */
static k8s_url *url_parse(arena *ar, const char *s, size_t n, bool request)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return NULL;
    k8s_url *u = ar_alloc(ar, sizeof *u);
    u->scheme = u->opaque = u->user = u->host = u->raw_path = u->raw_query = u->fragment = "";
    if (!request) {
        const char *hash = memchr(s, '#', n);
        if (hash) {
            size_t hi = (size_t)(hash - s);
            buf_t f = {0};
            if (!url_unescape(s + hi + 1, n - hi - 1, ENC_PATH, &f)) {
                buf_free(&f);
                return NULL;
            }
            u->fragment = ar_strndup(ar, f.data ? f.data : "", f.len);
            buf_free(&f);
            n = hi;
        }
    }
    if (n == 0 && request) return NULL;
    if (n == 1 && s[0] == '*') {
        u->raw_path = "*";
        return u;
    }
    /* scheme */
    size_t rest = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            if (i == 0) break;
            continue;
        }
        if (c == ':') {
            if (i == 0) return NULL; /* missing protocol scheme */
            char *sc = ar_strndup(ar, s, i);
            for (char *p = sc; *p; p++)
                if (*p >= 'A' && *p <= 'Z') *p += 32;
            u->scheme = sc;
            rest = i + 1;
        }
        break;
    }
    const char *r = s + rest;
    size_t rn = n - rest;
    const char *q = memchr(r, '?', rn);
    if (rn && r[rn - 1] == '?' && q == r + rn - 1) {
        u->force_query = true;
        rn--;
    } else if (q) {
        size_t qi = (size_t)(q - r);
        u->raw_query = ar_strndup(ar, q + 1, rn - qi - 1);
        u->has_query = true;
        rn = qi;
    }
    if (!(rn && r[0] == '/')) {
        if (*u->scheme) {
            u->opaque = ar_strndup(ar, r, rn);
            return u;
        }
        if (request) return NULL;
        /* a relative path: a colon before any slash is an error */
        const char *colon = memchr(r, ':', rn), *slash = memchr(r, '/', rn);
        if (colon && (!slash || colon < slash)) return NULL;
    }
    if ((*u->scheme || (!request && !(rn >= 3 && memcmp(r, "///", 3) == 0))) && rn >= 2 &&
        r[0] == '/' && r[1] == '/') {
        const char *auth = r + 2;
        size_t an = rn - 2;
        const char *sl = memchr(auth, '/', an);
        size_t alen = sl ? (size_t)(sl - auth) : an;
        size_t at = SIZE_MAX;
        for (size_t i = alen; i-- > 0;)
            if (auth[i] == '@') {
                at = i;
                break;
            }
        const char *host = auth;
        size_t hn = alen;
        buf_t t = {0};
        if (at != SIZE_MAX) {
            bool ok = valid_userinfo(auth, at) && url_unescape(auth, at, ENC_USER, &t);
            buf_free(&t);
            if (!ok) return NULL;
            u->user = ar_strndup(ar, auth, at);
            u->has_user = true;
            host = auth + at + 1;
            hn = alen - at - 1;
        }
        bool ok = parse_host(host, hn, &t);
        u->host = ar_strndup(ar, t.data ? t.data : "", t.len);
        buf_free(&t);
        if (!ok) return NULL;
        r = auth + alen;
        rn = an - alen;
    }
    buf_t p = {0};
    bool ok = url_unescape(r, rn, ENC_PATH, &p);
    buf_free(&p);
    if (!ok) return NULL;
    u->raw_path = ar_strndup(ar, r, rn);
    return u;
}

/* Go's URL.EscapedPath: the path as written when it is a valid encoding, else re-escaped. */
static void url_escaped_path(buf_t *b, const char *raw)
{
    bool valid = true;
    for (const char *p = raw; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (strchr("!$&'()*+,;=:@[]%", c)) continue;
        if (should_escape(c, ENC_PATH)) {
            valid = false;
            break;
        }
    }
    if (valid) {
        buf_puts(b, raw);
        return;
    }
    buf_t dec = {0};
    url_unescape(raw, strlen(raw), ENC_PATH, &dec);
    for (size_t i = 0; i < dec.len; i++) {
        unsigned char c = (unsigned char)dec.data[i];
        if (should_escape(c, ENC_PATH))
            buf_printf(b, "%%%02X", c);
        else
            buf_putc(b, (char)c);
    }
    buf_free(&dec);
}

static void url_print_plain(buf_t *b, const k8s_url *u)
{
    if (*u->scheme) buf_printf(b, "%s:", u->scheme);
    if (*u->opaque)
        buf_puts(b, u->opaque);
    else {
        if (*u->scheme || *u->host || u->has_user) {
            if (*u->host || *u->raw_path || u->has_user) buf_puts(b, "//");
            if (u->has_user) buf_printf(b, "%s@", u->user);
            buf_puts(b, u->host);
        }
        url_escaped_path(b, u->raw_path);
    }
    if (u->force_query || u->has_query) buf_printf(b, "?%s", u->raw_query);
    if (*u->fragment) buf_printf(b, "#%s", u->fragment);
}

static void url_print(buf_t *out, const cel_val *v)
{
    buf_t t = {0};
    url_print_plain(&t, v->opaque.p);
    buf_puts(out, "url(");
    cel_val tv = {.kind = CEL_STRING};
    tv.str.s = t.data ? t.data : "";
    tv.str.n = t.len;
    cel_print(out, &tv);
    buf_putc(out, ')');
    buf_free(&t);
}

static bool url_equal(const cel_val *a, const cel_val *b)
{
    buf_t x = {0}, y = {0};
    url_print_plain(&x, a->opaque.p);
    url_print_plain(&y, b->opaque.p);
    bool eq = x.len == y.len && (x.len == 0 || memcmp(x.data, y.data, x.len) == 0);
    buf_free(&x);
    buf_free(&y);
    return eq;
}

const cel_opaque_type cel_k8s_url_type = {"kubernetes.URL", url_equal, url_print};

const cel_val *cel_k8s_url(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "url", a, n);
    arena *ar = cel_env_arena(e);
    if (!url_parse(ar, a[0]->str.s, a[0]->str.n, true))
        return cel_errorf(e,
                          "URL parse error during conversion from string: parse \"%s\": invalid "
                          "URI for request",
                          a[0]->str.s);
    k8s_url *u = url_parse(ar, a[0]->str.s, a[0]->str.n, false);
    if (!u)
        return cel_errorf(e,
                          "URL parse error during conversion from string: parse \"%s\": invalid "
                          "URL",
                          a[0]->str.s);
    return cel_opaque(e, &cel_k8s_url_type, u);
}

const cel_val *cel_k8s_is_url(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "isURL", a, n);
    return cel_bool(url_parse(cel_env_arena(e), a[0]->str.s, a[0]->str.n, true) != NULL);
}

static const k8s_url *as_url(const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_OPAQUE || a[0]->opaque.type != &cel_k8s_url_type) return NULL;
    return a[0]->opaque.p;
}

const cel_val *cel_k8s_get_scheme(cel_env *e, const cel_val *const *a, size_t n)
{
    const k8s_url *u = as_url(a, n);
    if (!u) return cel_no_overload(e, "getScheme", a, n);
    return cel_string(e, u->scheme, strlen(u->scheme));
}

const cel_val *cel_k8s_get_host(cel_env *e, const cel_val *const *a, size_t n)
{
    const k8s_url *u = as_url(a, n);
    if (!u) return cel_no_overload(e, "getHost", a, n);
    return cel_string(e, u->host, strlen(u->host));
}

/* Go's URL.Hostname and URL.Port: the host without a valid ":port", brackets stripped. */
static void split_host_port(const char *h, const char **name, size_t *nn, const char **port,
                            size_t *pn)
{
    size_t n = strlen(h);
    const char *colon = strrchr(h, ':');
    *port = "", *pn = 0;
    if (colon && valid_port(colon, n - (size_t)(colon - h))) {
        *port = colon + 1;
        *pn = n - (size_t)(colon - h) - 1;
        n = (size_t)(colon - h);
    }
    if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
        *name = h + 1;
        *nn = n - 2;
        return;
    }
    *name = h;
    *nn = n;
}

const cel_val *cel_k8s_get_hostname(cel_env *e, const cel_val *const *a, size_t n)
{
    const k8s_url *u = as_url(a, n);
    if (!u) return cel_no_overload(e, "getHostname", a, n);
    const char *name, *port;
    size_t nn, pn;
    split_host_port(u->host, &name, &nn, &port, &pn);
    return cel_string(e, name, nn);
}

const cel_val *cel_k8s_get_port(cel_env *e, const cel_val *const *a, size_t n)
{
    const k8s_url *u = as_url(a, n);
    if (!u) return cel_no_overload(e, "getPort", a, n);
    const char *name, *port;
    size_t nn, pn;
    split_host_port(u->host, &name, &nn, &port, &pn);
    return cel_string(e, port, pn);
}

const cel_val *cel_k8s_get_escaped_path(cel_env *e, const cel_val *const *a, size_t n)
{
    const k8s_url *u = as_url(a, n);
    if (!u) return cel_no_overload(e, "getEscapedPath", a, n);
    buf_t b = {0};
    url_escaped_path(&b, u->raw_path);
    const cel_val *v = cel_string(e, b.data ? b.data : "", b.len);
    buf_free(&b);
    return v;
}

/* Go's url.ParseQuery (pairs with bad escapes or a ';' are dropped): map of value lists. */
const cel_val *cel_k8s_get_query(cel_env *e, const cel_val *const *a, size_t n)
{
    const k8s_url *u = as_url(a, n);
    if (!u) return cel_no_overload(e, "getQuery", a, n);
    arena *ar = cel_env_arena(e);
    const char *q = u->raw_query;
    size_t qn = strlen(q), cap = qn / 2 + 2, nk = 0;
    cel_val **keys = ar_alloc(ar, cap * sizeof *keys), **vals = ar_alloc(ar, cap * sizeof *vals);
    size_t *cnt = ar_alloc(ar, cap * sizeof *cnt);
    cel_val ***lists = ar_alloc(ar, cap * sizeof *lists);
    for (size_t i = 0; i < qn;) {
        const char *amp = memchr(q + i, '&', qn - i);
        size_t end = amp ? (size_t)(amp - q) : qn;
        const char *part = q + i;
        size_t pl = end - i;
        i = amp ? end + 1 : qn;
        if (pl == 0 || memchr(part, ';', pl)) continue;
        const char *eq = memchr(part, '=', pl);
        size_t kl = eq ? (size_t)(eq - part) : pl;
        buf_t kb = {0}, vb = {0};
        bool ok = url_unescape(part, kl, ENC_QUERY, &kb) &&
                  (!eq || url_unescape(eq + 1, pl - kl - 1, ENC_QUERY, &vb));
        if (ok) {
            cel_val *k = cel_string(e, kb.data ? kb.data : "", kb.len);
            cel_val *v = cel_string(e, vb.data ? vb.data : "", vb.len);
            size_t j = 0;
            while (j < nk && !cel_equal(keys[j], k))
                j++;
            if (j == nk) {
                keys[nk] = k;
                lists[nk] = ar_alloc(ar, cap * sizeof(cel_val *));
                cnt[nk++] = 0;
            }
            lists[j][cnt[j]++] = v;
        }
        buf_free(&kb);
        buf_free(&vb);
    }
    for (size_t j = 0; j < nk; j++)
        vals[j] = cel_list(e, lists[j], cnt[j]);
    return cel_map(e, keys, vals, nk);
}
