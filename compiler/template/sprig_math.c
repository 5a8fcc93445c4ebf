/* Sprig's arithmetic and number conversions: int64 math with spf13/cast's coercions, the
 * float functions going through shopspring/decimal as Sprig does, rounding, atoi/int/int64/
 * float64/toDecimal. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/sprig_int.h"

#define A tpl_arena(c)

static bool ret_i64(tpl_ctx *c, int64_t v, const tpl_val **out)
{
    *out = tpl_int64(A, v);
    return true;
}

static bool ret_f(tpl_ctx *c, double v, const tpl_val **out)
{
    *out = tpl_float(A, v);
    return true;
}

TPL_FN(tpl_f_add1)
{
    (void)nargs;
    return ret_i64(c, (int64_t)((uint64_t)sprig_to_int64(args[0]) + 1), out);
}

TPL_FN(tpl_f_add)
{
    uint64_t a = 0;
    for (size_t i = 0; i < nargs; i++)
        a += (uint64_t)sprig_to_int64(args[i]);
    return ret_i64(c, (int64_t)a, out);
}

TPL_FN(tpl_f_sub)
{
    (void)nargs;
    return ret_i64(
        c, (int64_t)((uint64_t)sprig_to_int64(args[0]) - (uint64_t)sprig_to_int64(args[1])), out);
}

TPL_FN(tpl_f_mul)
{
    uint64_t a = (uint64_t)sprig_to_int64(args[0]);
    for (size_t i = 1; i < nargs; i++)
        a *= (uint64_t)sprig_to_int64(args[i]);
    return ret_i64(c, (int64_t)a, out);
}

TPL_FN(tpl_f_div)
{
    (void)nargs;
    int64_t a = sprig_to_int64(args[0]), b = sprig_to_int64(args[1]);
    if (b == 0) return tpl_errorf(c, "runtime error: integer divide by zero");
    if (b == -1) return ret_i64(c, (int64_t)(0 - (uint64_t)a), out);
    return ret_i64(c, a / b, out);
}

TPL_FN(tpl_f_mod)
{
    (void)nargs;
    int64_t a = sprig_to_int64(args[0]), b = sprig_to_int64(args[1]);
    if (b == 0) return tpl_errorf(c, "runtime error: integer divide by zero");
    if (b == -1) return ret_i64(c, 0, out);
    return ret_i64(c, a % b, out);
}

TPL_FN(tpl_f_max)
{
    int64_t a = sprig_to_int64(args[0]);
    for (size_t i = 1; i < nargs; i++) {
        int64_t b = sprig_to_int64(args[i]);
        if (b > a) a = b;
    }
    return ret_i64(c, a, out);
}

TPL_FN(tpl_f_min)
{
    int64_t a = sprig_to_int64(args[0]);
    for (size_t i = 1; i < nargs; i++) {
        int64_t b = sprig_to_int64(args[i]);
        if (b < a) a = b;
    }
    return ret_i64(c, a, out);
}

/* math.Max / math.Min: NaN wins, +0 > -0. */
TPL_FN(tpl_f_maxf)
{
    double a = sprig_to_float64(args[0]);
    for (size_t i = 1; i < nargs; i++) {
        double b = sprig_to_float64(args[i]);
        if (isinf(a) && a > 0) continue;
        if (isinf(b) && b > 0) {
            a = b;
        } else if (isnan(a) || isnan(b)) {
            a = NAN;
        } else if (a == 0 && b == 0) {
            if (signbit(a)) a = b;
        } else if (b > a) {
            a = b;
        }
    }
    return ret_f(c, a, out);
}

TPL_FN(tpl_f_minf)
{
    double a = sprig_to_float64(args[0]);
    for (size_t i = 1; i < nargs; i++) {
        double b = sprig_to_float64(args[i]);
        if (isinf(a) && a < 0) continue;
        if (isinf(b) && b < 0) {
            a = b;
        } else if (isnan(a) || isnan(b)) {
            a = NAN;
        } else if (a == 0 && b == 0) {
            if (signbit(b)) a = b;
        } else if (b < a) {
            a = b;
        }
    }
    return ret_f(c, a, out);
}

TPL_FN(tpl_f_randInt)
{
    (void)nargs;
    int64_t lo = args[0]->i, hi = args[1]->i;
    if (hi - lo <= 0) return tpl_errorf(c, "invalid argument to Intn");
    return (*out = tpl_int(A, lo + (int64_t)sprig_rand_below(c, (uint64_t)(hi - lo))), true);
}

/* ---- shopspring/decimal as Sprig's float functions use it ---- */

/* A decimal m * 10^e with up to 38 digits; `big` when it no longer fits (then f holds the
 * value as a double). */
typedef struct {
    __int128 m;
    int e;
    bool big;
    double f;
} dec;

/* decimal.NewFromFloat: the shortest decimal that round-trips. */
static dec dec_from(double f)
{
    dec d = {0};
    if (!isfinite(f)) {
        d.big = true;
        d.f = f;
        return d;
    }
    if (f == 0) return d;
    char buf[64];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, f);
        if (strtod(buf, NULL) == f) break;
    }
    /* buf: [-]D.DDDDe[+-]XX */
    bool neg = buf[0] == '-';
    const char *p = buf + neg;
    __int128 m = 0;
    int digits_after = 0;
    bool after = false;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            after = true;
            continue;
        }
        m = m * 10 + (*p - '0');
        if (after) digits_after++;
    }
    int ex = atoi(p + 1);
    d.m = neg ? -m : m;
    d.e = ex - digits_after;
    return d;
}

static double dec_float(dec d)
{
    if (d.big) return d.f;
    if (d.m == 0) return 0;
    char buf[80];
    char digits[48];
    int k = 0;
    unsigned __int128 u = d.m < 0 ? (unsigned __int128)(-d.m) : (unsigned __int128)d.m;
    while (u) {
        digits[k++] = (char)('0' + (int)(u % 10));
        u /= 10;
    }
    int j = 0;
    if (d.m < 0) buf[j++] = '-';
    while (k)
        buf[j++] = digits[--k];
    snprintf(buf + j, sizeof buf - (size_t)j, "e%d", d.e);
    return strtod(buf, NULL);
}

static const __int128 I128_LIM = (__int128)1 << 120;

static bool scale_to(dec *d, int e)
{
    while (d->e > e) {
        if (d->m > I128_LIM / 10 || d->m < -I128_LIM / 10) return false;
        d->m *= 10;
        d->e--;
    }
    return true;
}

static dec dec_add(dec a, dec b, bool sub)
{
    dec r = {0};
    if (a.big || b.big) {
        r.big = true;
        r.f = sub ? dec_float(a) - dec_float(b) : dec_float(a) + dec_float(b);
        return r;
    }
    int e = a.e < b.e ? a.e : b.e;
    if (!scale_to(&a, e) || !scale_to(&b, e)) {
        r.big = true;
        r.f = sub ? dec_float(a) - dec_float(b) : dec_float(a) + dec_float(b);
        return r;
    }
    r.m = sub ? a.m - b.m : a.m + b.m;
    r.e = e;
    return r;
}

static dec dec_mul(dec a, dec b)
{
    dec r = {0};
    __int128 lim = (__int128)1 << 62;
    if (a.big || b.big || a.m > lim || a.m < -lim || b.m > lim || b.m < -lim) {
        r.big = true;
        r.f = dec_float(a) * dec_float(b);
        return r;
    }
    r.m = a.m * b.m;
    r.e = a.e + b.e;
    return r;
}

/* Div rounds to 16 decimal places (decimal.DivisionPrecision), half away from zero. */
static dec dec_div(tpl_ctx *c, dec a, dec b, bool *ok)
{
    dec r = {0};
    *ok = true;
    if (!b.big && b.m == 0) {
        *ok = tpl_errorf(c, "decimal division by 0");
        return r;
    }
    long double q = (long double)dec_float(a) / (long double)dec_float(b);
    char buf[128];
    if (fabsl(q) < 1e20L) {
        long double s = q * 1e16L;
        long double rr = s < 0 ? -floorl(-s + 0.5L) : floorl(s + 0.5L);
        snprintf(buf, sizeof buf, "%.0Lfe-16", rr);
        r.big = true;
        r.f = strtod(buf, NULL);
        return r;
    }
    r.big = true;
    r.f = (double)q;
    return r;
}

typedef enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV } dec_op;

static bool dec_exec(tpl_ctx *c, double first, const tpl_val *const *rest, size_t n, dec_op op,
                     const tpl_val **out)
{
    dec acc = dec_from(first);
    for (size_t i = 0; i < n; i++) {
        dec x = dec_from(sprig_to_float64(rest[i]));
        bool ok = true;
        switch (op) {
        case OP_ADD:
            acc = dec_add(acc, x, false);
            break;
        case OP_SUB:
            acc = dec_add(acc, x, true);
            break;
        case OP_MUL:
            acc = dec_mul(acc, x);
            break;
        case OP_DIV:
            acc = dec_div(c, acc, x, &ok);
            if (!ok) return false;
            if (acc.big && isfinite(acc.f)) acc = dec_from(acc.f);
            break;
        }
    }
    return ret_f(c, dec_float(acc), out);
}

TPL_FN(tpl_f_add1f)
{
    (void)nargs;
    tpl_val one = {.kind = TPL_INT, .i = 1};
    const tpl_val *r[1] = {&one};
    return dec_exec(c, sprig_to_float64(args[0]), r, 1, OP_ADD, out);
}

TPL_FN(tpl_f_addf)
{
    return dec_exec(c, 0, args, nargs, OP_ADD, out);
}

TPL_FN(tpl_f_subf)
{
    return dec_exec(c, sprig_to_float64(args[0]), args + 1, nargs - 1, OP_SUB, out);
}

TPL_FN(tpl_f_mulf)
{
    return dec_exec(c, sprig_to_float64(args[0]), args + 1, nargs - 1, OP_MUL, out);
}

TPL_FN(tpl_f_divf)
{
    return dec_exec(c, sprig_to_float64(args[0]), args + 1, nargs - 1, OP_DIV, out);
}

TPL_FN(tpl_f_floor)
{
    (void)nargs;
    return ret_f(c, floor(sprig_to_float64(args[0])), out);
}

TPL_FN(tpl_f_ceil)
{
    (void)nargs;
    return ret_f(c, ceil(sprig_to_float64(args[0])), out);
}

TPL_FN(tpl_f_round)
{
    double on = 0.5;
    if (nargs > 2) on = args[2]->f;
    double val = sprig_to_float64(args[0]);
    double pw = pow(10, (double)args[1]->i);
    double digit = pw * val, ip;
    double frac = modf(digit, &ip);
    double r = frac >= on ? ceil(digit) : floor(digit);
    return ret_f(c, r / pw, out);
}

TPL_FN(tpl_f_atoi)
{
    (void)nargs;
    int64_t v = 0;
    const char *s = args[0]->str.s;
    size_t n = args[0]->str.n;
    bool ok = n > 0;
    for (size_t i = (n && (s[0] == '+' || s[0] == '-')) ? 1 : 0; ok && i < n; i++)
        ok = s[i] >= '0' && s[i] <= '9';
    if (n == 1 && (s[0] == '+' || s[0] == '-')) ok = false;
    if (!ok || !sprig_parse_int(s, n, 10, &v)) v = 0;
    *out = tpl_int(A, v);
    return true;
}

TPL_FN(tpl_f_int64)
{
    (void)nargs;
    return ret_i64(c, sprig_to_int64(args[0]), out);
}

TPL_FN(tpl_f_int)
{
    (void)nargs;
    *out = tpl_int(A, sprig_to_int64(args[0]));
    return true;
}

TPL_FN(tpl_f_float64)
{
    (void)nargs;
    return ret_f(c, sprig_to_float64(args[0]), out);
}

/* toDecimal: fmt.Sprint(v) parsed as octal. */
TPL_FN(tpl_f_toDecimal)
{
    (void)nargs;
    buf_t b = {0};
    tpl_print(&b, args[0]);
    int64_t v;
    if (!sprig_parse_int(b.data ? b.data : "", b.len, 8, &v)) v = 0;
    buf_free(&b);
    return ret_i64(c, v, out);
}
