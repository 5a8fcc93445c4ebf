/* Go YAML scalar semantics: resolution (go-yaml v2 and v3), Go float and time formatting, and
 * go-yaml v2's natural key order. Written from the documented behaviour of those libraries. */
#include "yaml/goyaml.h"

#include <errno.h>
#include <locale.h>
#include <wctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static bool eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static bool in_list(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (eq(s, n, *list)) return true;
    return false;
}

static const char *const true_v3[] = {"true", "True", "TRUE", NULL};
static const char *const false_v3[] = {"false", "False", "FALSE", NULL};
static const char *const true_v2[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                      "True", "TRUE", "on",  "On",  "ON",  NULL};
static const char *const false_v2[] = {"n",     "N",     "no",  "No",  "NO",  "false",
                                       "False", "FALSE", "off", "Off", "OFF", NULL};
static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const nans[] = {".nan", ".NaN", ".NAN", NULL};
static const char *const pinfs[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL};
static const char *const ninfs[] = {"-.inf", "-.Inf", "-.INF", NULL};

static int digit_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

/* strconv.ParseUint(s, base, 64) for base 0 (prefix detection) or an explicit base; Go allows
 * '_' only between digits after a base prefix in base 0 — the callers here have removed all
 * underscores already, so underscores are rejected. */
static bool parse_uint_base(const char *s, size_t n, int base, uint64_t *out)
{
    if (n == 0) return false;
    size_t i = 0;
    if (base == 0) {
        base = 10;
        if (s[0] == '0') {
            if (n >= 3 && (s[1] == 'x' || s[1] == 'X'))
                base = 16, i = 2;
            else if (n >= 3 && (s[1] == 'o' || s[1] == 'O'))
                base = 8, i = 2;
            else if (n >= 3 && (s[1] == 'b' || s[1] == 'B'))
                base = 2, i = 2;
            else
                base = 8, i = 1;
            if (i == 1 && n == 1) {
                *out = 0;
                return true;
            }
        }
    }
    if (i >= n) return false;
    uint64_t v = 0;
    bool overflow = false;
    for (; i < n; i++) {
        int d = digit_val(s[i]);
        if (d >= base) return false;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) overflow = true;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    if (overflow) return false;
    *out = v;
    return true;
}

static bool parse_int_base(const char *s, size_t n, int base, int64_t *out)
{
    if (n == 0) return false;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        s++, n--;
    }
    uint64_t u;
    if (!parse_uint_base(s, n, base, &u)) return false;
    if (!neg && u > (uint64_t)INT64_MAX) return false;
    if (neg && u > (uint64_t)INT64_MAX + 1) return false;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

bool ky_parse_int_go(const char *s, size_t n, int64_t *out)
{
    return parse_int_base(s, n, 0, out);
}

bool ky_parse_uint_go(const char *s, size_t n, uint64_t *out)
{
    return parse_uint_base(s, n, 0, out);
}

/* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_style_float(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    if (i < n && s[i] == '.') {
        i++;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st) return false;
    } else {
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st) return false;
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && s[i] >= '0' && s[i] <= '9')
                i++;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+')) i++;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == st) return false;
    }
    return i == n;
}

/* strtod on a bounded copy; fails on overflow like Go's ParseFloat (ErrRange). */
static bool parse_float(const char *s, size_t n, double *out)
{
    char tmp[128];
    char *heap = NULL, *p = tmp;
    if (n >= sizeof tmp) {
        heap = malloc(n + 1);
        if (!heap) return false;
        p = heap;
    }
    memcpy(p, s, n);
    p[n] = 0;
    errno = 0;
    char *end;
    double v = strtod(p, &end);
    bool ok = end == p + n && !(errno == ERANGE && isinf(v));
    free(heap);
    if (ok) *out = v;
    return ok;
}

/* '.'-led floats: Go's ParseFloat on \.[0-9]+([eE][+-]?[0-9]+)? */
static bool dot_float(const char *s, size_t n, double *out)
{
    if (n < 2 || s[0] != '.' || !yaml_style_float(s, n)) return false;
    return parse_float(s, n, out);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads 1..max digits (Go's getnum: one or two digits for non-fixed fields). */
static bool getnum(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < max && is_digit(s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++, k++;
    }
    if (k < min) return false;
    *out = v;
    return true;
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

typedef struct {
    int y, mo, d, h, mi, se;
    long nsec;
    int ndig; /* fraction digits read */
    int zone; /* -1 = none (UTC), else offset seconds + 1 flag below */
    bool has_zone;
    int offset;
} ky_time;

/* One of go-yaml's layouts: sep is 'T', 't' or ' ' (time present; zone only with T/t), 0 = date
 * only. */
static bool parse_layout(const char *s, size_t n, char sep, ky_time *t)
{
    size_t i = 0;
    memset(t, 0, sizeof *t);
    if (n < 4) return false;
    for (int k = 0; k < 4; k++)
        if (!is_digit(s[k])) return false;
    t->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    i = 4;
    if (i >= n || s[i++] != '-') return false;
    if (!getnum(s, n, &i, 1, 2, &t->mo)) return false;
    if (i >= n || s[i++] != '-') return false;
    if (!getnum(s, n, &i, 1, 2, &t->d)) return false;
    if (sep) {
        if (i >= n || s[i++] != sep) return false;
        if (!getnum(s, n, &i, 1, 2, &t->h)) return false;
        if (i >= n || s[i++] != ':') return false;
        if (!getnum(s, n, &i, 1, 2, &t->mi)) return false;
        if (i >= n || s[i++] != ':') return false;
        if (!getnum(s, n, &i, 1, 2, &t->se)) return false;
        if (i + 1 < n && (s[i] == '.' || s[i] == ',') && is_digit(s[i + 1])) {
            i++;
            long ns = 0;
            int k = 0;
            while (i < n && is_digit(s[i]) && k < 9)
                ns = ns * 10 + (s[i++] - '0'), k++;
            if (i < n && is_digit(s[i])) return false; /* more than 9 digits: extra text */
            t->ndig = k;
            for (; k < 9; k++)
                ns *= 10;
            t->nsec = ns;
        }
        if (sep != ' ') {
            if (i < n && s[i] == 'Z') {
                i++;
                t->has_zone = true;
            } else if (i < n && (s[i] == '+' || s[i] == '-')) {
                int sign = s[i] == '-' ? -1 : 1;
                i++;
                if (i + 5 > n || !is_digit(s[i]) || !is_digit(s[i + 1]) || s[i + 2] != ':' ||
                    !is_digit(s[i + 3]) || !is_digit(s[i + 4]))
                    return false;
                int hh = (s[i] - '0') * 10 + (s[i + 1] - '0');
                int mm = (s[i + 3] - '0') * 10 + (s[i + 4] - '0');
                i += 5;
                if (hh > 24 || mm > 60) return false;
                t->has_zone = true;
                t->offset = sign * (hh * 3600 + mm * 60);
            } else {
                return false; /* the layout requires a zone */
            }
        }
    }
    if (i != n) return false;
    if (t->mo < 1 || t->mo > 12 || t->d < 1 || t->d > days_in(t->y, t->mo)) return false;
    if (t->h > 23 || t->mi > 59 || t->se > 59) return false;
    return true;
}

static bool parse_timestamp(const char *s, size_t n, ky_time *t)
{
    /* quick check: all formats start with YYYY- */
    if (n < 5) return false;
    for (int k = 0; k < 4; k++)
        if (!is_digit(s[k])) return false;
    if (s[4] != '-') return false;
    return parse_layout(s, n, 'T', t) || parse_layout(s, n, 't', t) || parse_layout(s, n, ' ', t) ||
           parse_layout(s, n, 0, t);
}

bool ky_timestamp_rfc3339(const char *s, size_t n, char *out, size_t outsz)
{
    ky_time t;
    if (!parse_timestamp(s, n, &t)) return false;
    char frac[16] = "";
    if (t.nsec) {
        snprintf(frac, sizeof frac, ".%09ld", t.nsec);
        size_t k = strlen(frac);
        while (k > 1 && frac[k - 1] == '0')
            frac[--k] = 0;
    }
    char zone[16];
    if (!t.has_zone || t.offset == 0)
        snprintf(zone, sizeof zone, "Z");
    else
        snprintf(zone, sizeof zone, "%c%02d:%02d", t.offset < 0 ? '-' : '+', abs(t.offset) / 3600,
                 abs(t.offset) % 3600 / 60);
    snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", t.y, t.mo, t.d, t.h, t.mi, t.se, frac,
             zone);
    return true;
}

static ky_kind resolve_number(ky_flavor flavor, const char *in, size_t n, ky_value *out)
{
    /* remove underscores */
    char tmp[128];
    char *plain = tmp, *heap = NULL;
    if (n >= sizeof tmp) {
        heap = malloc(n + 1);
        if (!heap) return KY_STR;
        plain = heap;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i] != '_') plain[m++] = in[i];
    plain[m] = 0;
    ky_kind k = KY_STR;
    if (parse_int_base(plain, m, 0, &out->i)) {
        k = KY_INT;
    } else if (parse_uint_base(plain, m, 0, &out->u)) {
        k = KY_UINT;
    } else if (yaml_style_float(plain, m) && parse_float(plain, m, &out->f)) {
        k = KY_FLOAT;
    } else if (m > 2 && plain[0] == '0' && plain[1] == 'b') {
        if (parse_int_base(plain + 2, m - 2, 2, &out->i))
            k = KY_INT;
        else if (parse_uint_base(plain + 2, m - 2, 2, &out->u))
            k = KY_UINT;
    } else if (m > 3 && plain[0] == '-' && plain[1] == '0' && plain[2] == 'b') {
        uint64_t u;
        if (parse_uint_base(plain + 3, m - 3, 2, &u) && u <= (uint64_t)INT64_MAX + 1) {
            out->i = (int64_t)(0 - u);
            k = KY_INT;
        }
    } else if (flavor == KY_V3 && m > 2 && plain[0] == '0' && plain[1] == 'o') {
        if (parse_int_base(plain + 2, m - 2, 8, &out->i))
            k = KY_INT;
        else if (parse_uint_base(plain + 2, m - 2, 8, &out->u))
            k = KY_UINT;
    } else if (flavor == KY_V3 && m > 3 && plain[0] == '-' && plain[1] == '0' && plain[2] == 'o') {
        uint64_t u;
        if (parse_uint_base(plain + 3, m - 3, 8, &u) && u <= (uint64_t)INT64_MAX + 1) {
            out->i = (int64_t)(0 - u);
            k = KY_INT;
        }
    }
    free(heap);
    return k;
}

ky_kind ky_resolve(ky_flavor flavor, const char *s, size_t n, ky_value *out)
{
    memset(out, 0, sizeof *out);
    out->kind = KY_STR;
    char c = n ? s[0] : 0;
    int hint;
    if (n == 0)
        hint = 'N';
    else if (c == '+' || c == '-')
        hint = 'S';
    else if (is_digit(c))
        hint = 'D';
    else if (strchr("yYnNtTfFoO~", c))
        hint = 'M';
    else if (c == '.')
        hint = '.';
    else
        return KY_STR;

    if (n > 6) goto numbers; /* every map entry is at most 6 bytes */
    if (strchr("tTyYoO", c) && in_list(s, n, flavor == KY_V2 ? true_v2 : true_v3)) {
        out->b = true;
        return out->kind = KY_BOOL;
    }
    if (strchr("fFnNoO", c) && in_list(s, n, flavor == KY_V2 ? false_v2 : false_v3))
        return out->kind = KY_BOOL;
    if ((n == 0 || strchr("~nN", c)) && in_list(s, n, nulls)) return out->kind = KY_NULL;
    if (c == '.' || c == '+' || c == '-') {
        if (in_list(s, n, nans)) {
            out->f = NAN;
            return out->kind = KY_FLOAT;
        }
        if (in_list(s, n, pinfs)) {
            out->f = INFINITY;
            return out->kind = KY_FLOAT;
        }
        if (in_list(s, n, ninfs)) {
            out->f = -INFINITY;
            return out->kind = KY_FLOAT;
        }
    }
numbers:
    if (hint == '.') {
        if (dot_float(s, n, &out->f)) return out->kind = KY_FLOAT;
        return KY_STR;
    }
    if (hint == 'D' || hint == 'S') {
        ky_time t;
        if (parse_timestamp(s, n, &t)) return out->kind = KY_TIMESTAMP;
        return out->kind = resolve_number(flavor, s, n, out);
    }
    return KY_STR;
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
static bool is_base60_float(const char *s, size_t n)
{
    if (!n) return false;
    if (!(s[0] == '+' || s[0] == '-' || is_digit(s[0])) || !memchr(s, ':', n)) return false;
    size_t i = 0;
    if (s[i] == '+' || s[i] == '-') i++;
    if (i >= n || !is_digit(s[i])) return false;
    i++;
    while (i < n && (is_digit(s[i]) || s[i] == '_'))
        i++;
    int groups = 0;
    while (i < n && s[i] == ':') {
        i++;
        /* [0-5]?[0-9] */
        if (i + 1 < n && s[i] >= '0' && s[i] <= '5' && is_digit(s[i + 1]))
            i += 2;
        else if (i < n && is_digit(s[i]))
            i += 1;
        else
            return false;
        groups++;
    }
    if (!groups) return false;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && (is_digit(s[i]) || s[i] == '_'))
            i++;
    }
    return i == n;
}

bool ky_v2_needs_quotes(const char *s, size_t n)
{
    ky_value v;
    return ky_resolve(KY_V2, s, n, &v) != KY_STR || is_base60_float(s, n);
}

/* Shortest decimal digits that read back as f (f finite, > 0): digits into d, returns count,
 * sets *dp to the decimal point position (value = 0.d1d2... * 10^dp). */
static int shortest_digits(double f, char *d, int *dp)
{
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
        if (strtod(tmp, NULL) == f || prec == 17) {
            /* tmp = d[.ddd]e[+-]xx */
            int nd = 0;
            char *p = tmp;
            for (; *p && *p != 'e'; p++)
                if (is_digit(*p)) d[nd++] = *p;
            int e = atoi(p + 1);
            while (nd > 1 && d[nd - 1] == '0')
                nd--;
            d[nd] = 0;
            *dp = e + 1;
            return nd;
        }
    }
    return 0;
}

size_t ky_format_float_g(double f, char *out)
{
    if (isnan(f)) return (size_t)sprintf(out, ".nan");
    if (isinf(f)) return (size_t)sprintf(out, f > 0 ? ".inf" : "-.inf");
    if (f == 0) return (size_t)sprintf(out, signbit(f) ? "-0" : "0");
    char *o = out;
    if (f < 0) {
        *o++ = '-';
        f = -f;
    }
    char d[24];
    int dp = 0;
    int nd = shortest_digits(f, d, &dp);
    int exp = dp - 1;
    if (exp < -4 || exp >= 21 || exp >= 6) { /* Go: shortest uses eprec 6 */
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        o += sprintf(o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    } else if (dp <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int k = 0; k < -dp; k++)
            *o++ = '0';
        memcpy(o, d, (size_t)nd);
        o += nd;
    } else {
        for (int k = 0; k < dp; k++)
            *o++ = k < nd ? d[k] : '0';
        if (nd > dp) {
            *o++ = '.';
            memcpy(o, d + dp, (size_t)(nd - dp));
            o += nd - dp;
        }
    }
    *o = 0;
    return (size_t)(o - out);
}

size_t ky_format_float_json_v2(double f, char *out)
{
    if (isfinite(f) && f == floor(f) && fabs(f) < 1e21) {
        if (f == 0) return (size_t)sprintf(out, "0");
        if (f >= -9223372036854775808.0 && f < 9223372036854775808.0)
            return (size_t)sprintf(out, "%lld", (long long)f);
        if (f > 0 && f < 18446744073709551616.0)
            return (size_t)sprintf(out, "%llu", (unsigned long long)f);
    }
    return ky_format_float_g(f, out);
}

/* Decodes one UTF-8 rune; advances *i. Invalid bytes decode as U+FFFD, one byte. */
static uint32_t next_rune(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    int w = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (w == 1 || *i + (size_t)w > n) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t r = c & (0x7F >> w);
    for (int k = 1; k < w; k++)
        r = (r << 6) | ((unsigned char)s[*i + (size_t)k] & 0x3F);
    *i += (size_t)w;
    return r;
}

/* unicode.IsLetter: ASCII by hand; other runes through the C.UTF-8 locale's classification,
 * passed down by the caller (ASCII-only comparisons never need it). */
static bool rune_letter_l(uint32_t r, locale_t loc)
{
    if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    if (loc) return iswalpha_l((wint_t)r, loc) != 0;
    return r >= 0xC0 && r != 0xD7 && r != 0xF7;
}

static bool rune_letter(uint32_t r)
{
    return rune_letter_l(r, (locale_t)0);
}

static bool rune_digit(uint32_t r)
{
    return r >= '0' && r <= '9';
}

/* keyList.Less over rune arrays (or bytes, when both keys are ASCII). */
#define KEY_CMP_BODY(ar, la, br, lb)                                                               \
    do {                                                                                           \
        bool digits = false;                                                                       \
        for (size_t i = 0; i < la && i < lb; i++) {                                                \
            if (ar[i] == br[i]) {                                                                  \
                digits = rune_digit((uint32_t)ar[i]);                                              \
                continue;                                                                          \
            }                                                                                      \
            bool al = rune_letter((uint32_t)ar[i]), bl = rune_letter((uint32_t)br[i]);             \
            if (al && bl) return ar[i] < br[i] ? -1 : 1;                                           \
            if (al || bl) return digits ? (al ? -1 : 1) : (bl ? -1 : 1);                           \
            int64_t an_ = 0, bn_ = 0;                                                              \
            size_t ai, bi;                                                                         \
            if (ar[i] == '0' || br[i] == '0') {                                                    \
                for (size_t j = i; j-- > 0 && rune_digit((uint32_t)ar[j]);) {                      \
                    if (ar[j] != '0') {                                                            \
                        an_ = 1;                                                                   \
                        bn_ = 1;                                                                   \
                        break;                                                                     \
                    }                                                                              \
                }                                                                                  \
            }                                                                                      \
            for (ai = i; ai < la && rune_digit((uint32_t)ar[ai]); ai++)                            \
                an_ = an_ * 10 + (int64_t)(ar[ai] - '0');                                          \
            for (bi = i; bi < lb && rune_digit((uint32_t)br[bi]); bi++)                            \
                bn_ = bn_ * 10 + (int64_t)(br[bi] - '0');                                          \
            if (an_ != bn_) return an_ < bn_ ? -1 : 1;                                             \
            if (ai != bi) return ai < bi ? -1 : 1;                                                 \
            return ar[i] < br[i] ? -1 : 1;                                                         \
        }                                                                                          \
        return la < lb ? -1 : la > lb ? 1 : 0;                                                     \
    } while (0)

static int cmp_ascii(const unsigned char *a, size_t la, const unsigned char *b, size_t lb)
{
    KEY_CMP_BODY(a, la, b, lb);
}

static int cmp_runes(const uint32_t *a, size_t la, const uint32_t *b, size_t lb, locale_t loc)
{
#define rune_letter(r) rune_letter_l(r, loc)
    KEY_CMP_BODY(a, la, b, lb);
#undef rune_letter
}

static bool all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

int ky_key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    if (all_ascii(a, an) && all_ascii(b, bn))
        return cmp_ascii((const unsigned char *)a, an, (const unsigned char *)b, bn);
    uint32_t *ar = util_xmalloc((an + 1) * sizeof *ar), *br = util_xmalloc((bn + 1) * sizeof *br);
    size_t la = 0, lb = 0;
    for (size_t i = 0; i < an;)
        ar[la++] = next_rune(a, an, &i);
    for (size_t i = 0; i < bn;)
        br[lb++] = next_rune(b, bn, &i);
    locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    int r = cmp_runes(ar, la, br, lb, loc);
    if (loc) freelocale(loc);
    free(ar);
    free(br);
    return r;
}
