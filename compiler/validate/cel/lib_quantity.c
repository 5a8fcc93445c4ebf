/* The Kubernetes quantity library: resource.Quantity parsing (suffixes n u m k M G T P E,
 * Ki..Ei, exponents), exact arithmetic and comparison, canonical printing, and Go's split
 * between its int64 and arbitrary-precision forms (which decides what asInteger accepts). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/cel/cel.h"
#include "validate/cel/cel_lib.h"

/* ---- unsigned big integers: base 1e9 limbs, least significant first, no leading zeros ---- */

#define BN_BASE 1000000000u

typedef struct bn {
    uint32_t *d;
    size_t n;
} bn;

static bn bn_new(arena *a, size_t cap)
{
    bn r = {ar_alloc(a, (cap ? cap : 1) * sizeof(uint32_t)), 0};
    return r;
}

static void bn_trim(bn *x)
{
    while (x->n && x->d[x->n - 1] == 0)
        x->n--;
}

static bn bn_from_u64(arena *a, uint64_t v)
{
    bn r = bn_new(a, 3);
    while (v) {
        r.d[r.n++] = (uint32_t)(v % BN_BASE);
        v /= BN_BASE;
    }
    return r;
}

static bn bn_from_digits(arena *a, const char *s, size_t n)
{
    bn r = bn_new(a, n / 9 + 1);
    for (size_t end = n; end > 0;) {
        size_t start = end >= 9 ? end - 9 : 0;
        uint32_t v = 0;
        for (size_t i = start; i < end; i++)
            v = v * 10 + (uint32_t)(s[i] - '0');
        r.d[r.n++] = v;
        end = start;
    }
    bn_trim(&r);
    return r;
}

static bn bn_mul_small(arena *a, bn x, uint32_t m)
{
    bn r = bn_new(a, x.n + 1);
    uint64_t carry = 0;
    for (size_t i = 0; i < x.n; i++) {
        uint64_t t = (uint64_t)x.d[i] * m + carry;
        r.d[i] = (uint32_t)(t % BN_BASE);
        carry = t / BN_BASE;
    }
    r.n = x.n;
    if (carry) r.d[r.n++] = (uint32_t)carry;
    bn_trim(&r);
    return r;
}

static const uint32_t pow10_small[10] = {1,      10,      100,      1000,      10000,
                                         100000, 1000000, 10000000, 100000000, 1000000000};

static bn bn_mul_pow10(arena *a, bn x, uint32_t k)
{
    if (x.n == 0) return x;
    size_t limbs = k / 9;
    bn r = bn_new(a, x.n + limbs + 1);
    memcpy(r.d + limbs, x.d, x.n * sizeof(uint32_t));
    r.n = x.n + limbs;
    return k % 9 ? bn_mul_small(a, r, pow10_small[k % 9]) : r;
}

/* x / m, remainder in *rem (m <= 1e9). */
static bn bn_div_small(arena *a, bn x, uint32_t m, uint32_t *rem)
{
    bn r = bn_new(a, x.n);
    uint64_t cur = 0;
    for (size_t i = x.n; i-- > 0;) {
        cur = cur * BN_BASE + x.d[i];
        r.d[i] = (uint32_t)(cur / m);
        cur %= m;
    }
    r.n = x.n;
    bn_trim(&r);
    *rem = (uint32_t)cur;
    return r;
}

static int bn_cmp(bn x, bn y)
{
    if (x.n != y.n) return x.n < y.n ? -1 : 1;
    for (size_t i = x.n; i-- > 0;)
        if (x.d[i] != y.d[i]) return x.d[i] < y.d[i] ? -1 : 1;
    return 0;
}

static bn bn_add(arena *a, bn x, bn y)
{
    size_t n = (x.n > y.n ? x.n : y.n) + 1;
    bn r = bn_new(a, n);
    uint32_t carry = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t t = (uint64_t)(i < x.n ? x.d[i] : 0) + (i < y.n ? y.d[i] : 0) + carry;
        r.d[i] = (uint32_t)(t % BN_BASE);
        carry = (uint32_t)(t / BN_BASE);
    }
    r.n = n;
    bn_trim(&r);
    return r;
}

/* x - y for x >= y. */
static bn bn_sub(arena *a, bn x, bn y)
{
    bn r = bn_new(a, x.n);
    int64_t borrow = 0;
    for (size_t i = 0; i < x.n; i++) {
        int64_t t = (int64_t)x.d[i] - (i < y.n ? y.d[i] : 0) - borrow;
        borrow = t < 0;
        if (t < 0) t += BN_BASE;
        r.d[i] = (uint32_t)t;
    }
    r.n = x.n;
    bn_trim(&r);
    return r;
}

/* x / 10^k rounded away from zero; *exact says whether nothing was dropped. */
static bn bn_div_pow10_up(arena *a, bn x, uint32_t k, bool *exact)
{
    *exact = true;
    size_t limbs = k / 9;
    if (limbs >= x.n) {
        *exact = x.n == 0;
        x.n = 0;
    } else {
        for (size_t i = 0; i < limbs; i++)
            if (x.d[i]) *exact = false;
        x.d += limbs, x.n -= limbs;
        if (k % 9) {
            uint32_t rem;
            x = bn_div_small(a, x, pow10_small[k % 9], &rem);
            if (rem) *exact = false;
        }
    }
    if (!*exact) x = bn_add(a, x, bn_from_u64(a, 1));
    return x;
}

static void bn_print(buf_t *b, bn x)
{
    if (x.n == 0) {
        buf_putc(b, '0');
        return;
    }
    buf_printf(b, "%" PRIu32, x.d[x.n - 1]);
    for (size_t i = x.n - 1; i-- > 0;)
        buf_printf(b, "%09" PRIu32, x.d[i]);
}

/* ---- quantities ---- */

enum { QF_DECIMAL_EXPONENT = 'e', QF_BINARY_SI = 'b', QF_DECIMAL_SI = 'd' };

/* A resource.Quantity: either Go's int64Amount (iv * 10^is) or its inf.Dec
 * ((-1)^neg * mag * 10^-ds), and the format it prints in. */
typedef struct kq {
    bool dec;
    int64_t iv;
    int32_t is;
    bool neg;
    bn mag;
    int32_t ds;
    char fmt;
} kq;

static const char q_err_format[] = "quantities must match the regular expression "
                                   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

static bool q_is_zero(const kq *q)
{
    return q->dec ? q->mag.n == 0 : q->iv == 0;
}

static int q_sign(const kq *q)
{
    if (q_is_zero(q)) return 0;
    return q->dec ? (q->neg ? -1 : 1) : (q->iv < 0 ? -1 : 1);
}

/* The inf.Dec form of q (Go's AsDec). */
static kq q_as_dec(arena *a, const kq *q)
{
    if (q->dec) return *q;
    kq r = *q;
    r.dec = true;
    r.neg = q->iv < 0;
    r.mag = bn_from_u64(a, q->iv < 0 ? 0 - (uint64_t)q->iv : (uint64_t)q->iv);
    r.ds = -q->is;
    return r;
}

/* Magnitudes of two decimals brought to the same scale (the larger). */
static void dec_align(arena *a, const kq *x, const kq *y, bn *mx, bn *my, int32_t *scale)
{
    int32_t s = x->ds > y->ds ? x->ds : y->ds;
    *mx = bn_mul_pow10(a, x->mag, (uint32_t)(s - x->ds));
    *my = bn_mul_pow10(a, y->mag, (uint32_t)(s - y->ds));
    *scale = s;
}

static int q_cmp(arena *a, const kq *x, const kq *y)
{
    kq dx = q_as_dec(a, x), dy = q_as_dec(a, y);
    int sx = q_sign(&dx), sy = q_sign(&dy);
    if (sx != sy) return sx < sy ? -1 : 1;
    bn mx, my;
    int32_t s;
    dec_align(a, &dx, &dy, &mx, &my, &s);
    int c = bn_cmp(mx, my);
    return sx < 0 ? -c : c;
}

/* inf.Dec addition: x + (negate ? -y : y) at the larger scale. */
static kq dec_add(arena *a, const kq *x, const kq *y, bool negate)
{
    kq dx = q_as_dec(a, x), dy = q_as_dec(a, y);
    bool yneg = dy.mag.n ? dy.neg != negate : false;
    bool xneg = dx.mag.n ? dx.neg : false;
    bn mx, my;
    int32_t s;
    dec_align(a, &dx, &dy, &mx, &my, &s);
    kq r = dx;
    r.ds = s;
    if (xneg == yneg) {
        r.mag = bn_add(a, mx, my);
        r.neg = xneg;
    } else if (bn_cmp(mx, my) >= 0) {
        r.mag = bn_sub(a, mx, my);
        r.neg = xneg;
    } else {
        r.mag = bn_sub(a, my, mx);
        r.neg = yneg;
    }
    if (r.mag.n == 0) r.neg = false;
    return r;
}

/* Go's positiveScaleInt64: base * 10^scale with overflow detection. */
static bool pos_scale(int64_t base, int32_t scale, int64_t *out)
{
    int64_t v = base;
    for (int32_t i = 0; i < scale; i++)
        if (__builtin_mul_overflow(v, 10, &v)) return false;
    *out = v;
    return true;
}

/* Go's int64Amount.Add; false (x unchanged) on overflow. */
static bool int_add(kq *x, int64_t bv, int32_t bs)
{
    int64_t c;
    if (bv == 0) return true;
    if (x->iv == 0) {
        x->iv = bv, x->is = bs;
        return true;
    }
    if (x->is == bs) {
        if (__builtin_add_overflow(x->iv, bv, &c)) return false;
        x->iv = c;
    } else if (x->is > bs) {
        if (!pos_scale(x->iv, x->is - bs, &c) || __builtin_add_overflow(c, bv, &c)) return false;
        x->iv = c, x->is = bs;
    } else {
        if (!pos_scale(bv, bs - x->is, &c) || __builtin_add_overflow(x->iv, c, &c)) return false;
        x->iv = c;
    }
    return true;
}

/* Go's Quantity.Add / Quantity.Sub. */
static kq q_add(arena *a, const kq *x, const kq *y, bool sub)
{
    kq r = *x;
    if (sub) {
        if (q_is_zero(x)) r.fmt = y->fmt;
        if (!x->dec && !y->dec && y->iv != INT64_MIN && int_add(&r, -y->iv, y->is)) return r;
    } else {
        if (!x->dec && !y->dec) {
            if (x->iv == 0) r.fmt = y->fmt;
            if (int_add(&r, y->iv, y->is)) return r;
        } else if (q_is_zero(x))
            r.fmt = y->fmt;
    }
    char f = r.fmt;
    r = dec_add(a, &r, y, sub);
    r.fmt = f;
    return r;
}

/* Go's ParseQuantity; NULL with *err set on a malformed quantity. */
static kq *q_parse(arena *a, const char *str, size_t end, const char **err)
{
    kq *q = ar_alloc(a, sizeof *q);
    q->fmt = QF_DECIMAL_SI;
    if (end == 0) {
        *err = q_err_format;
        return NULL;
    }
    if (end == 1 && str[0] == '0') return q;
    bool positive = true;
    size_t pos = 0;
    if (str[0] == '-')
        positive = false, pos++;
    else if (str[0] == '+')
        pos++;
    size_t value_end, num_s, num_e, den_s = 0, den_e = 0, suf_s, suf_e;
    while (pos < end && str[pos] == '0')
        pos++;
    if (pos >= end) { /* all zeroes */
        return q;
    }
    num_s = pos;
    while (pos < end && str[pos] >= '0' && str[pos] <= '9')
        pos++;
    num_e = pos;
    if (pos < end && str[pos] == '.') {
        pos++;
        den_s = pos;
        while (pos < end && str[pos] >= '0' && str[pos] <= '9')
            pos++;
        den_e = pos;
    }
    value_end = pos;
    suf_s = pos;
    while (pos < end && strchr("eEinumkKMGTP", str[pos]))
        pos++;
    if (pos < end && (str[pos] == '-' || str[pos] == '+')) pos++;
    while (pos < end && str[pos] >= '0' && str[pos] <= '9')
        pos++;
    if (pos < end) {
        *err = q_err_format;
        return NULL;
    }
    suf_e = end;
    const char *num = str + num_s, *den = str + den_s;
    size_t num_n = num_e - num_s, den_n = den_e - den_s;
    if (num_n == 0) num = "0", num_n = 1;

    /* suffix */
    const char *suf = str + suf_s;
    size_t sn = suf_e - suf_s;
    int base = 10;
    int32_t exponent = 0;
    char fmt = QF_DECIMAL_SI;
    static const struct {
        const char *s;
        int base, exp;
    } sufs[] = {{"", 10, 0},   {"n", 10, -9}, {"u", 10, -6}, {"m", 10, -3},
                {"k", 10, 3},  {"M", 10, 6},  {"G", 10, 9},  {"T", 10, 12},
                {"P", 10, 15}, {"E", 10, 18}, {"Ki", 2, 10}, {"Mi", 2, 20},
                {"Gi", 2, 30}, {"Ti", 2, 40}, {"Pi", 2, 50}, {"Ei", 2, 60}};
    bool found = false;
    for (size_t i = 0; i < sizeof sufs / sizeof sufs[0]; i++)
        if (strlen(sufs[i].s) == sn && memcmp(sufs[i].s, suf, sn) == 0) {
            base = sufs[i].base, exponent = sufs[i].exp, found = true;
            fmt = base == 2 ? QF_BINARY_SI : QF_DECIMAL_SI;
            break;
        }
    if (!found) {
        if (sn > 1 && (suf[0] == 'e' || suf[0] == 'E')) {
            size_t k = 1;
            bool eneg = false;
            if (suf[k] == '+' || suf[k] == '-') eneg = suf[k] == '-', k++;
            if (k >= sn) {
                *err = "unable to parse quantity's suffix";
                return NULL;
            }
            int64_t ev = 0;
            for (; k < sn; k++) {
                if (suf[k] < '0' || suf[k] > '9') {
                    *err = "unable to parse quantity's suffix";
                    return NULL;
                }
                ev = ev * 10 + (suf[k] - '0');
                if (ev > 100000) {
                    *err = "quantity exponent out of the supported range";
                    return NULL;
                }
            }
            exponent = (int32_t)(eneg ? -ev : ev);
            fmt = QF_DECIMAL_EXPONENT;
        } else {
            *err = "unable to parse quantity's suffix";
            return NULL;
        }
    }

    /* the int64 fast path */
    int32_t precision = 0, scale = 0;
    int64_t mantissa = 1;
    if (fmt == QF_DECIMAL_EXPONENT || fmt == QF_DECIMAL_SI) {
        scale = exponent;
        precision = 18 - (int32_t)(num_n + den_n);
    } else if (exponent >= 0 && den_n == 0) {
        mantissa = (int64_t)1 << exponent;
        precision = 15 - (int32_t)num_n - (int32_t)((float)exponent * 3 / 10) - 1;
    } else
        precision = -1;
    if (precision >= 0) {
        scale -= (int32_t)den_n;
        if (scale >= -9) {
            int64_t v = 0;
            for (size_t i = 0; i < num_n; i++)
                v = v * 10 + (num[i] - '0');
            for (size_t i = 0; i < den_n; i++)
                v = v * 10 + (den[i] - '0');
            int64_t r;
            if (!__builtin_mul_overflow(v, mantissa, &r)) {
                q->iv = positive ? r : -r;
                q->is = scale;
                q->fmt = fmt;
                return q;
            }
        }
    }

    /* the arbitrary-precision path */
    size_t vs = (str[0] == '-' || str[0] == '+') ? 1 : 0;
    buf_t digits = {0};
    size_t frac = 0;
    bool seen_point = false, any = false;
    for (size_t i = vs; i < value_end; i++) {
        if (str[i] == '.') {
            seen_point = true;
            continue;
        }
        buf_putc(&digits, str[i]);
        any = true;
        if (seen_point) frac++;
    }
    if (!any) {
        buf_free(&digits);
        *err = "unable to parse numeric part of quantity";
        return NULL;
    }
    q->dec = true;
    q->mag = bn_from_digits(a, digits.data, digits.len);
    buf_free(&digits);
    q->ds = (int32_t)frac;
    if (base == 10)
        q->ds -= exponent;
    else
        for (int32_t left = exponent; left > 0; left -= 29)
            q->mag = bn_mul_small(a, q->mag, (uint32_t)1 << (left > 29 ? 29 : left));
    if (q->mag.n) { /* round up to nanos */
        if (q->ds > 9) {
            bool exact;
            q->mag = bn_div_pow10_up(a, q->mag, (uint32_t)(q->ds - 9), &exact);
        } else if (q->ds < 9)
            q->mag = bn_mul_pow10(a, q->mag, (uint32_t)(9 - q->ds));
        q->ds = 9;
    }
    if (fmt == QF_BINARY_SI) {
        kq max = {.dec = true, .mag = bn_from_u64(a, INT64_MAX), .ds = 0};
        if (q_cmp(a, q, &max) > 0) q->mag = max.mag, q->ds = 0;
        kq one = {.dec = true, .mag = bn_from_u64(a, 1), .ds = 0};
        if (q->mag.n && q_cmp(a, q, &one) < 0) fmt = QF_DECIMAL_SI;
    }
    q->neg = !positive && q->mag.n;
    q->fmt = fmt;
    return q;
}

/* Go's CanonicalizeBytes / String. */
static void q_format(buf_t *b, arena *a, const kq *q)
{
    if (q_is_zero(q)) {
        buf_putc(b, '0');
        return;
    }
    kq d = q_as_dec(a, q);
    char fmt = q->fmt;
    if (fmt == QF_BINARY_SI) {
        kq lo = {.dec = true, .neg = true, .mag = bn_from_u64(a, 1024)};
        kq hi = {.dec = true, .mag = bn_from_u64(a, 1024)};
        if (q_cmp(a, q, &lo) > 0 && q_cmp(a, q, &hi) < 0)
            fmt = QF_DECIMAL_SI;
        else if (d.ds > 0) {
            bool exact;
            bn_div_pow10_up(a, d.mag, (uint32_t)d.ds, &exact);
            if (!exact) fmt = QF_DECIMAL_SI;
        }
    }
    if (d.neg) buf_putc(b, '-');
    if (fmt != QF_BINARY_SI) {
        bn m = d.mag;
        int32_t exp = -d.ds;
        uint32_t rem;
        size_t zl = 0; /* whole zero limbs first: nine zeros each */
        while (zl < m.n && m.d[zl] == 0)
            zl++;
        m.d += zl, m.n -= zl, exp += 9 * (int32_t)zl;
        for (;;) {
            bn t = bn_div_small(a, m, 10, &rem);
            if (rem) break;
            m = t, exp++;
        }
        while (exp % 3) {
            m = bn_mul_small(a, m, 10);
            exp--;
        }
        bn_print(b, m);
        if (exp == 0) return;
        if (fmt == QF_DECIMAL_SI) {
            static const char *si[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
            if (exp >= -9 && exp <= 18) {
                buf_puts(b, si[(exp + 9) / 3]);
                return;
            }
        }
        buf_printf(b, "e%" PRId32, exp);
        return;
    }
    bn m = d.mag;
    if (d.ds > 0) {
        bool exact;
        m = bn_div_pow10_up(a, m, (uint32_t)d.ds, &exact);
    } else if (d.ds < 0)
        m = bn_mul_pow10(a, m, (uint32_t)-d.ds);
    int times = 0;
    uint32_t rem;
    while (times < 6) {
        bn t = bn_div_small(a, m, 1024, &rem);
        if (rem || t.n == 0) break;
        m = t, times++;
    }
    bn_print(b, m);
    static const char *bi[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    buf_puts(b, bi[times]);
}

static void q_print(buf_t *out, const cel_val *v)
{
    arena a;
    ar_init(&a);
    buf_puts(out, "quantity(\"");
    q_format(out, &a, v->opaque.p);
    buf_puts(out, "\")");
    ar_free(&a);
}

static bool q_equal(const cel_val *x, const cel_val *y)
{
    arena a;
    ar_init(&a);
    bool eq = q_cmp(&a, x->opaque.p, y->opaque.p) == 0;
    ar_free(&a);
    return eq;
}

const cel_opaque_type cel_k8s_quantity_type = {"kubernetes.Quantity", q_equal, q_print};

/* ---- functions ---- */

static const kq *as_q(const cel_val *v)
{
    return v->kind == CEL_OPAQUE && v->opaque.type == &cel_k8s_quantity_type ? v->opaque.p : NULL;
}

const cel_val *cel_k8s_quantity(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "quantity", a, n);
    const char *err = NULL;
    kq *q = q_parse(cel_env_arena(e), a[0]->str.s, a[0]->str.n, &err);
    if (!q) return cel_errorf(e, "%s", err);
    return cel_opaque(e, &cel_k8s_quantity_type, q);
}

const cel_val *cel_k8s_is_quantity(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "isQuantity", a, n);
    const char *err = NULL;
    return cel_bool(q_parse(cel_env_arena(e), a[0]->str.s, a[0]->str.n, &err) != NULL);
}

const cel_val *cel_k8s_q_sign(cel_env *e, const cel_val *const *a, size_t n)
{
    const kq *q = n == 1 ? as_q(a[0]) : NULL;
    if (!q) return cel_no_overload(e, "sign", a, n);
    return cel_int(e, q_sign(q));
}

static const cel_val *q_compare_fn(cel_env *e, const cel_val *const *a, size_t n, const char *name,
                                   int want)
{
    const kq *x = n == 2 ? as_q(a[0]) : NULL, *y = n == 2 ? as_q(a[1]) : NULL;
    if (!x || !y) return cel_no_overload(e, name, a, n);
    int c = q_cmp(cel_env_arena(e), x, y);
    if (want == 2) return cel_int(e, c);
    return cel_bool(c == want);
}

const cel_val *cel_k8s_q_is_greater_than(cel_env *e, const cel_val *const *a, size_t n)
{
    return q_compare_fn(e, a, n, "isGreaterThan", 1);
}

const cel_val *cel_k8s_q_is_less_than(cel_env *e, const cel_val *const *a, size_t n)
{
    return q_compare_fn(e, a, n, "isLessThan", -1);
}

const cel_val *cel_k8s_q_compare_to(cel_env *e, const cel_val *const *a, size_t n)
{
    return q_compare_fn(e, a, n, "compareTo", 2);
}

static const cel_val *q_arith(cel_env *e, const cel_val *const *a, size_t n, bool sub)
{
    const kq *x = n == 2 ? as_q(a[0]) : NULL, *y = NULL;
    kq tmp = {.fmt = QF_DECIMAL_EXPONENT};
    if (x && a[1]->kind == CEL_INT) {
        tmp.iv = a[1]->i;
        y = &tmp;
    } else if (x)
        y = as_q(a[1]);
    if (!x || !y) return cel_no_overload(e, sub ? "sub" : "add", a, n);
    arena *ar = cel_env_arena(e);
    kq *r = ar_alloc(ar, sizeof *r);
    *r = q_add(ar, x, y, sub);
    return cel_opaque(e, &cel_k8s_quantity_type, r);
}

const cel_val *cel_k8s_q_add(cel_env *e, const cel_val *const *a, size_t n)
{
    return q_arith(e, a, n, false);
}

const cel_val *cel_k8s_q_sub(cel_env *e, const cel_val *const *a, size_t n)
{
    return q_arith(e, a, n, true);
}

/* Go's Quantity.AsInt64: only the int64 form with a scale >= 0 that fits. */
static bool q_as_int64(const kq *q, int64_t *out)
{
    if (q->dec) return false;
    if (q->is == 0) {
        *out = q->iv;
        return true;
    }
    if (q->is < 0) return false;
    return pos_scale(q->iv, q->is, out);
}

const cel_val *cel_k8s_q_as_integer(cel_env *e, const cel_val *const *a, size_t n)
{
    const kq *q = n == 1 ? as_q(a[0]) : NULL;
    if (!q) return cel_no_overload(e, "asInteger", a, n);
    int64_t v;
    if (!q_as_int64(q, &v)) return cel_errorf(e, "cannot convert value to integer");
    return cel_int(e, v);
}

const cel_val *cel_k8s_q_is_integer(cel_env *e, const cel_val *const *a, size_t n)
{
    const kq *q = n == 1 ? as_q(a[0]) : NULL;
    if (!q) return cel_no_overload(e, "isInteger", a, n);
    int64_t v;
    return cel_bool(q_as_int64(q, &v));
}

/* Go's math.Pow10: table products, +Inf above 308, 0 below -323. */
static double go_pow10(int n)
{
    if (n > 308) return 1.0 / 0.0;
    if (n < -323) return 0;
    char t[16];
    snprintf(t, sizeof t, "1e%d", (n < 0 ? -n : n) % 32);
    double small = strtod(t, NULL);
    snprintf(t, sizeof t, "1e%d", (n < 0 ? -n : n) / 32 * 32 * (n < 0 ? -1 : 1));
    double big = strtod(t, NULL);
    return n < 0 ? big / small : big * small;
}

const cel_val *cel_k8s_q_as_approximate_float(cel_env *e, const cel_val *const *a, size_t n)
{
    const kq *q = n == 1 ? as_q(a[0]) : NULL;
    if (!q) return cel_no_overload(e, "asApproximateFloat", a, n);
    double base;
    int exponent;
    if (q->dec) {
        buf_t b = {0};
        if (q->neg) buf_putc(&b, '-');
        bn_print(&b, q->mag);
        base = strtod(buf_cstr(&b), NULL);
        buf_free(&b);
        exponent = -q->ds;
    } else {
        base = (double)q->iv;
        exponent = q->is;
    }
    if (exponent == 0) return cel_double(e, base);
    return cel_double(e, base * go_pow10(exponent));
}

/* The canonical text of a quantity (for tests and messages). */
const char *cel_k8s_quantity_text(cel_env *e, const cel_val *v)
{
    const kq *q = as_q(v);
    if (!q) return NULL;
    buf_t b = {0};
    q_format(&b, cel_env_arena(e), q);
    const char *s = ar_strdup(cel_env_arena(e), buf_cstr(&b));
    buf_free(&b);
    return s;
}
