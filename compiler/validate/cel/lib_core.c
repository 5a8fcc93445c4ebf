/* CEL's standard functions (cel-spec's definitions): size, string tests and matches (PCRE2),
 * type conversions, type(), timestamp and duration accessors, and the optional type's
 * functions. Each checks its argument types and returns "no such overload" otherwise. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "validate/cel/cel_int.h"
#include "validate/cel/cel_lib.h"

#define ARGS cel_env *e, const cel_val *const *a, size_t n
#define NO_OVERLOAD(name) cel_no_overload(e, name, a, n)

static size_t utf8_len(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

const cel_val *cel_core_size(ARGS)
{
    switch (a[0]->kind) {
    case CEL_STRING:
        return cel_int(e, (int64_t)utf8_len(a[0]->str.s, a[0]->str.n));
    case CEL_BYTES:
        return cel_int(e, (int64_t)a[0]->str.n);
    case CEL_LIST:
        return cel_int(e, (int64_t)a[0]->list.n);
    case CEL_MAP:
        return cel_int(e, (int64_t)a[0]->map.n);
    default:
        return NO_OVERLOAD("size");
    }
}

static bool two_strings(const cel_val *const *a, size_t n)
{
    return n == 2 && a[0]->kind == CEL_STRING && a[1]->kind == CEL_STRING;
}

const cel_val *cel_core_contains(ARGS)
{
    if (!two_strings(a, n)) return NO_OVERLOAD("contains");
    if (!a[1]->str.n) return cel_bool(true);
    const char *h = a[0]->str.s, *nd = a[1]->str.s;
    size_t hn = a[0]->str.n, k = a[1]->str.n;
    for (size_t i = 0; i + k <= hn; i++)
        if (h[i] == nd[0] && !memcmp(h + i, nd, k)) return cel_bool(true);
    return cel_bool(false);
}

const cel_val *cel_core_starts_with(ARGS)
{
    if (!two_strings(a, n)) return NO_OVERLOAD("startsWith");
    return cel_bool(a[1]->str.n <= a[0]->str.n && !memcmp(a[0]->str.s, a[1]->str.s, a[1]->str.n));
}

const cel_val *cel_core_ends_with(ARGS)
{
    if (!two_strings(a, n)) return NO_OVERLOAD("endsWith");
    size_t k = a[1]->str.n;
    return cel_bool(k <= a[0]->str.n && !memcmp(a[0]->str.s + a[0]->str.n - k, a[1]->str.s, k));
}

/* ---- regular expressions: PCRE2 with its memory taken from the env's arena ---- */

static void *re_malloc(size_t size, void *data)
{
    return ar_alloc(data, size);
}
static void re_free(void *p, void *data)
{
    (void)p, (void)data;
}

typedef struct re_entry {
    struct re_entry *next;
    const char *pattern;
    size_t n;
    pcre2_code *re;
    pcre2_match_data *md;
    pcre2_match_context *mc;
} re_entry;

/* The compiled pattern (cached in the env), or NULL with an error value in *err. */
static re_entry *re_get(cel_env *e, const cel_val *pat, const cel_val **err)
{
    for (re_entry *r = e->regexes; r; r = r->next)
        if (r->n == pat->str.n && !memcmp(r->pattern, pat->str.s, r->n)) return r;
    pcre2_general_context *gc = pcre2_general_context_create(re_malloc, re_free, e->a);
    pcre2_compile_context *cc = pcre2_compile_context_create(gc);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pat->str.s, pat->str.n,
                      PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_DOLLAR_ENDONLY, &ec, &eo, cc);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        *err = cel_errorf(e, "invalid regular expression '%s': %s", pat->str.s, (char *)msg);
        return NULL;
    }
    re_entry *r = ar_alloc(e->a, sizeof *r);
    r->pattern = pat->str.s;
    r->n = pat->str.n;
    r->re = re;
    r->mc = pcre2_match_context_create(gc);
    pcre2_set_match_limit(r->mc, 1000000);
    pcre2_set_depth_limit(r->mc, 10000);
    r->md = pcre2_match_data_create_from_pattern(re, gc);
    r->next = e->regexes;
    e->regexes = r;
    return r;
}

const cel_val *cel_core_matches(ARGS)
{
    if (!two_strings(a, n)) return NO_OVERLOAD("matches");
    const cel_val *err = NULL;
    re_entry *r = re_get(e, a[1], &err);
    if (!r) return err;
    int rc = pcre2_match(r->re, (PCRE2_SPTR)a[0]->str.s, a[0]->str.n, 0, PCRE2_NO_UTF_CHECK, r->md,
                         r->mc);
    if (rc >= 0) return cel_bool(true);
    if (rc == PCRE2_ERROR_NOMATCH) return cel_bool(false);
    return cel_errorf(e, "regular expression match failed (error %d)", rc);
}

/* ---- conversions ---- */

const cel_val *cel_core_dyn(ARGS)
{
    return (void)e, (void)n, a[0];
}

const cel_val *cel_core_type(ARGS)
{
    (void)n;
    return cel_type(e, cel_type_name(a[0]));
}

static const cel_val *range_err(cel_env *e, const char *what)
{
    return cel_errorf(e, "range error converting to %s", what);
}

const cel_val *cel_core_int(ARGS)
{
    const cel_val *v = a[0];
    switch (v->kind) {
    case CEL_INT:
        return v;
    case CEL_UINT:
        if (v->u > INT64_MAX) return range_err(e, "int");
        return cel_int(e, (int64_t)v->u);
    case CEL_DOUBLE:
        if (!(v->d > -9223372036854775808.0 && v->d < 9223372036854775808.0))
            return range_err(e, "int");
        return cel_int(e, (int64_t)v->d);
    case CEL_STRING: {
        char *end;
        errno = 0;
        long long r = strtoll(v->str.s, &end, 10);
        if (!v->str.n || *end || errno || end != v->str.s + v->str.n || v->str.s[0] == ' ' ||
            v->str.s[0] == '+')
            return cel_errorf(e, "cannot convert '%s' to int", v->str.s);
        return cel_int(e, r);
    }
    case CEL_TIMESTAMP:
        return cel_int(e, v->time.sec);
    default:
        return NO_OVERLOAD("int");
    }
}

const cel_val *cel_core_uint(ARGS)
{
    const cel_val *v = a[0];
    switch (v->kind) {
    case CEL_UINT:
        return v;
    case CEL_INT:
        if (v->i < 0) return range_err(e, "uint");
        return cel_uint(e, (uint64_t)v->i);
    case CEL_DOUBLE:
        if (!(v->d > -1.0 && v->d < 18446744073709551616.0)) return range_err(e, "uint");
        return cel_uint(e, (uint64_t)v->d);
    case CEL_STRING: {
        char *end;
        errno = 0;
        if (!v->str.n || v->str.s[0] < '0' || v->str.s[0] > '9')
            return cel_errorf(e, "cannot convert '%s' to uint", v->str.s);
        unsigned long long r = strtoull(v->str.s, &end, 10);
        if (*end || errno || end != v->str.s + v->str.n)
            return cel_errorf(e, "cannot convert '%s' to uint", v->str.s);
        return cel_uint(e, r);
    }
    default:
        return NO_OVERLOAD("uint");
    }
}

const cel_val *cel_core_double(ARGS)
{
    const cel_val *v = a[0];
    switch (v->kind) {
    case CEL_DOUBLE:
        return v;
    case CEL_INT:
        return cel_double(e, (double)v->i);
    case CEL_UINT:
        return cel_double(e, (double)v->u);
    case CEL_STRING: {
        const char *s = v->str.s;
        if (!strcasecmp(s, "nan")) return cel_double(e, NAN);
        if (!strcasecmp(s, "inf") || !strcasecmp(s, "+inf") || !strcasecmp(s, "infinity") ||
            !strcasecmp(s, "+infinity"))
            return cel_double(e, INFINITY);
        if (!strcasecmp(s, "-inf") || !strcasecmp(s, "-infinity")) return cel_double(e, -INFINITY);
        char *end;
        errno = 0;
        double d = strtod(s, &end);
        if (!v->str.n || *end || end != s + v->str.n || s[0] == ' ' || strpbrk(s, "xXnN") ||
            (errno == ERANGE && isinf(d)))
            return cel_errorf(e, "cannot convert '%s' to double", s);
        return cel_double(e, d);
    }
    default:
        return NO_OVERLOAD("double");
    }
}

/* Go's strconv.FormatFloat(d, 'g', -1, 64), which cel-go's string(double) uses. */
static void go_fmt_double(buf_t *out, double d)
{
    if (isnan(d)) {
        buf_puts(out, "NaN");
        return;
    }
    if (isinf(d)) {
        buf_puts(out, d > 0 ? "+Inf" : "-Inf");
        return;
    }
    char tmp[64];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d) break;
    }
    char *ep = strchr(tmp, 'e');
    int exp = atoi(ep + 1);
    if (exp < -4 || exp >= 6) { /* Go's rule for the shortest form */
        /* mantissa without trailing zeros, exponent with at least two digits */
        buf_put(out, tmp, (size_t)(ep - tmp));
        buf_printf(out, "e%c%02d", exp < 0 ? '-' : '+', abs(exp));
        return;
    }
    snprintf(tmp, sizeof tmp, "%.*f", prec - 1 - exp > 0 ? prec - 1 - exp : 0, d);
    buf_puts(out, tmp);
}

const cel_val *cel_core_string(ARGS)
{
    const cel_val *v = a[0];
    buf_t b = {0};
    switch (v->kind) {
    case CEL_STRING:
        return v;
    case CEL_INT:
        buf_printf(&b, "%lld", (long long)v->i);
        break;
    case CEL_UINT:
        buf_printf(&b, "%llu", (unsigned long long)v->u);
        break;
    case CEL_DOUBLE:
        go_fmt_double(&b, v->d);
        break;
    case CEL_BOOL:
        buf_puts(&b, v->b ? "true" : "false");
        break;
    case CEL_BYTES:
        if (!util_utf8_valid(v->str.s, v->str.n))
            return cel_errorf(e, "invalid UTF-8 in bytes, cannot convert to string");
        return cel_string(e, v->str.s, v->str.n);
    case CEL_TIMESTAMP:
        cel_ts_format(&b, v->time.sec, v->time.nsec);
        break;
    case CEL_DURATION:
        cel_dur_format(&b, v->time.sec, v->time.nsec);
        break;
    default:
        return NO_OVERLOAD("string");
    }
    cel_val *r = cel_string(e, b.data, b.len);
    buf_free(&b);
    return r;
}

const cel_val *cel_core_bytes(ARGS)
{
    if (a[0]->kind == CEL_BYTES) return a[0];
    if (a[0]->kind == CEL_STRING) return cel_bytes(e, a[0]->str.s, a[0]->str.n);
    return NO_OVERLOAD("bytes");
}

const cel_val *cel_core_bool(ARGS)
{
    if (a[0]->kind == CEL_BOOL) return a[0];
    if (a[0]->kind != CEL_STRING) return NO_OVERLOAD("bool");
    static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};
    for (size_t i = 0; i < 6; i++) {
        if (!strcmp(a[0]->str.s, t[i])) return cel_bool(true);
        if (!strcmp(a[0]->str.s, f[i])) return cel_bool(false);
    }
    return cel_errorf(e, "Type conversion error: cannot convert '%s' to bool", a[0]->str.s);
}

const cel_val *cel_core_duration(ARGS)
{
    if (a[0]->kind == CEL_DURATION) return a[0];
    if (a[0]->kind == CEL_INT) return cel_dur_from_ns(e, a[0]->i);
    if (a[0]->kind != CEL_STRING) return NO_OVERLOAD("duration");
    int64_t s;
    int32_t ns;
    if (!cel_dur_parse(a[0]->str.s, a[0]->str.n, &s, &ns))
        return cel_errorf(e, "cannot parse duration '%s' (or out of range)", a[0]->str.s);
    return cel_duration(e, s, ns);
}

const cel_val *cel_core_timestamp(ARGS)
{
    if (a[0]->kind == CEL_TIMESTAMP) return a[0];
    if (a[0]->kind == CEL_INT) return cel_ts_from_ns(e, (cel_i128)a[0]->i * 1000000000);
    if (a[0]->kind != CEL_STRING) return NO_OVERLOAD("timestamp");
    int64_t s;
    int32_t ns;
    if (!cel_ts_parse(a[0]->str.s, a[0]->str.n, &s, &ns))
        return cel_errorf(e, "cannot parse timestamp '%s' (or out of range)", a[0]->str.s);
    return cel_timestamp(e, s, ns);
}

/* ---- timestamp and duration accessors ---- */

enum { T_YEAR, T_MONTH, T_DATE, T_MDAY, T_WDAY, T_YDAY, T_HOURS, T_MINUTES, T_SECONDS, T_MILLIS };

static const cel_val *time_part(cel_env *e, const cel_val *const *a, size_t n, int part,
                                const char *name)
{
    const cel_val *v = a[0];
    if (v->kind == CEL_DURATION && n == 1) {
        cel_i128 ns = cel_time_ns(v);
        switch (part) {
        case T_HOURS:
            return cel_int(e, (int64_t)(ns / 3600000000000LL));
        case T_MINUTES:
            return cel_int(e, (int64_t)(ns / 60000000000LL));
        case T_SECONDS:
            return cel_int(e, (int64_t)(ns / 1000000000LL));
        case T_MILLIS:
            return cel_int(e, (int64_t)(ns % 1000000000LL / 1000000));
        }
        return NO_OVERLOAD(name);
    }
    if (v->kind != CEL_TIMESTAMP || (n == 2 && a[1]->kind != CEL_STRING)) return NO_OVERLOAD(name);
    cel_civil c;
    if (!cel_ts_civil(e, v->time.sec, v->time.nsec, n == 2 ? a[1]->str.s : "", &c))
        return cel_errorf(e, "unknown time zone '%s'", a[1]->str.s);
    int64_t r = 0;
    switch (part) {
    case T_YEAR:
        r = c.year;
        break;
    case T_MONTH:
        r = c.month - 1;
        break;
    case T_DATE:
        r = c.day;
        break;
    case T_MDAY:
        r = c.day - 1;
        break;
    case T_WDAY:
        r = c.wday;
        break;
    case T_YDAY:
        r = c.yday;
        break;
    case T_HOURS:
        r = c.hour;
        break;
    case T_MINUTES:
        r = c.min;
        break;
    case T_SECONDS:
        r = c.sec;
        break;
    case T_MILLIS:
        r = c.nsec / 1000000;
        break;
    }
    return cel_int(e, r);
}

const cel_val *cel_core_get_full_year(ARGS)
{
    return time_part(e, a, n, T_YEAR, "getFullYear");
}
const cel_val *cel_core_get_month(ARGS)
{
    return time_part(e, a, n, T_MONTH, "getMonth");
}
const cel_val *cel_core_get_date(ARGS)
{
    return time_part(e, a, n, T_DATE, "getDate");
}
const cel_val *cel_core_get_day_of_month(ARGS)
{
    return time_part(e, a, n, T_MDAY, "getDayOfMonth");
}
const cel_val *cel_core_get_day_of_week(ARGS)
{
    return time_part(e, a, n, T_WDAY, "getDayOfWeek");
}
const cel_val *cel_core_get_day_of_year(ARGS)
{
    return time_part(e, a, n, T_YDAY, "getDayOfYear");
}
const cel_val *cel_core_get_hours(ARGS)
{
    return time_part(e, a, n, T_HOURS, "getHours");
}
const cel_val *cel_core_get_minutes(ARGS)
{
    return time_part(e, a, n, T_MINUTES, "getMinutes");
}
const cel_val *cel_core_get_seconds(ARGS)
{
    return time_part(e, a, n, T_SECONDS, "getSeconds");
}
const cel_val *cel_core_get_milliseconds(ARGS)
{
    return time_part(e, a, n, T_MILLIS, "getMilliseconds");
}

/* ---- optionals ---- */

const cel_val *cel_core_opt_of(ARGS)
{
    return (void)n, cel_optional(e, a[0]);
}
const cel_val *cel_core_opt_none(ARGS)
{
    return (void)a, (void)n, cel_optional(e, NULL);
}

static bool zero_value(const cel_val *v)
{
    switch (v->kind) {
    case CEL_NULL:
        return true;
    case CEL_BOOL:
        return !v->b;
    case CEL_INT:
        return v->i == 0;
    case CEL_UINT:
        return v->u == 0;
    case CEL_DOUBLE:
        return v->d == 0;
    case CEL_STRING:
    case CEL_BYTES:
        return v->str.n == 0;
    case CEL_LIST:
        return v->list.n == 0;
    case CEL_MAP:
        return v->map.n == 0;
    case CEL_DURATION:
    case CEL_TIMESTAMP:
        return v->time.sec == 0 && v->time.nsec == 0;
    case CEL_OPTIONAL:
        return !v->opt;
    default:
        return false;
    }
}

const cel_val *cel_core_opt_of_non_zero(ARGS)
{
    (void)n;
    return cel_optional(e, zero_value(a[0]) ? NULL : a[0]);
}

const cel_val *cel_core_has_value(ARGS)
{
    if (a[0]->kind != CEL_OPTIONAL) return NO_OVERLOAD("hasValue");
    return cel_bool(a[0]->opt != NULL);
}

const cel_val *cel_core_value(ARGS)
{
    if (a[0]->kind != CEL_OPTIONAL) return NO_OVERLOAD("value");
    if (!a[0]->opt) return cel_errorf(e, "optional.none() dereference");
    return a[0]->opt;
}

const cel_val *cel_core_or_value(ARGS)
{
    if (a[0]->kind != CEL_OPTIONAL) return NO_OVERLOAD("orValue");
    return a[0]->opt ? a[0]->opt : a[1];
}

const cel_val *cel_core_or(ARGS)
{
    if (a[0]->kind != CEL_OPTIONAL || a[1]->kind != CEL_OPTIONAL) return NO_OVERLOAD("or");
    return a[0]->opt ? a[0] : a[1];
}

const cel_val *cel_core_opt_unwrap(ARGS)
{
    if (a[0]->kind != CEL_LIST) return NO_OVERLOAD("optional.unwrap");
    cel_val **items = ar_alloc(e->a, (a[0]->list.n + 1) * sizeof *items);
    size_t k = 0;
    for (size_t i = 0; i < a[0]->list.n; i++) {
        const cel_val *v = a[0]->list.items[i];
        if (v->kind != CEL_OPTIONAL) return NO_OVERLOAD("optional.unwrap");
        if (v->opt) items[k++] = (cel_val *)v->opt;
    }
    return cel_list(e, items, k);
}
