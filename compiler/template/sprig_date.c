/* Sprig's date functions (now, date, dateInZone, htmlDate, dateModify, ago, duration,
 * durationRound, toDate, unixEpoch) over a time.Time object, with Go's reference-time layouts,
 * Duration formatting and parsing, and time zones read from the system's TZif files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "template/sprig_int.h"

#define A tpl_arena(c)

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};
static const char *const day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                        "Thursday", "Friday", "Saturday"};

/* ---------------------------------------------------------------- civil calendar */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

typedef struct {
    int64_t year;
    int month, day, hour, min, sec, wday, yday;
    int32_t nsec;
} civil;

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b) && ((a < 0) != (b < 0))) q--;
    return q;
}

static civil to_civil(int64_t sec, int32_t nsec, int32_t off)
{
    civil cv;
    int64_t t = sec + off;
    int64_t days = floordiv(t, 86400);
    int64_t rem = t - days * 86400;
    cv.hour = (int)(rem / 3600);
    cv.min = (int)(rem % 3600 / 60);
    cv.sec = (int)(rem % 60);
    cv.nsec = nsec;
    cv.wday = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    cv.year = y + (m <= 2);
    cv.month = (int)m;
    cv.day = (int)d;
    cv.yday = (int)(days - days_from_civil(cv.year, 1, 1)) + 1;
    return cv;
}

/* ---------------------------------------------------------------- time zones (TZif) */

typedef struct {
    int64_t *trans;
    uint8_t *idx;
    int32_t *offs;
    const char **abbr;
    size_t ntrans, ntypes;
    const char *footer; /* POSIX TZ rule for times after the last transition */
} tzdata;

static uint64_t be(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

static bool tz_read(arena *a, const char *path, tzdata *tz)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    buf_t b = {0};
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1u << 22))
        buf_put(&b, chunk, k);
    fclose(f);
    const unsigned char *p = (const unsigned char *)b.data;
    size_t n = b.len;
    bool ok = false;
    memset(tz, 0, sizeof *tz);
    if (n < 44 || memcmp(p, "TZif", 4) != 0) goto out;
    int ver = p[4];
    size_t cnt[6];
    for (int i = 0; i < 6; i++)
        cnt[i] = (size_t)be(p + 20 + 4 * i, 4);
    size_t pos = 44;
    int tsz = 4;
    if (ver >= '2') { /* skip the 32-bit block */
        pos += cnt[3] * 4 + cnt[3] + cnt[4] * 6 + cnt[5] + cnt[2] * 8 + cnt[1] + cnt[0];
        if (pos + 44 > n || memcmp(p + pos, "TZif", 4) != 0) goto out;
        for (int i = 0; i < 6; i++)
            cnt[i] = (size_t)be(p + pos + 20 + 4 * i, 4);
        pos += 44;
        tsz = 8;
    }
    size_t need = cnt[3] * (size_t)tsz + cnt[3] + cnt[4] * 6 + cnt[5];
    if (pos + need > n || cnt[4] == 0) goto out;
    tz->ntrans = cnt[3];
    tz->ntypes = cnt[4];
    tz->trans = ar_alloc(a, (cnt[3] + 1) * sizeof *tz->trans);
    tz->idx = ar_alloc(a, cnt[3] + 1);
    tz->offs = ar_alloc(a, cnt[4] * sizeof *tz->offs);
    tz->abbr = ar_alloc(a, cnt[4] * sizeof *tz->abbr);
    for (size_t i = 0; i < cnt[3]; i++) {
        uint64_t v = be(p + pos + i * (size_t)tsz, tsz);
        tz->trans[i] = tsz == 8 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
    }
    pos += cnt[3] * (size_t)tsz;
    for (size_t i = 0; i < cnt[3]; i++)
        tz->idx[i] = p[pos + i] < cnt[4] ? p[pos + i] : 0;
    pos += cnt[3];
    const unsigned char *types = p + pos;
    const char *chars = (const char *)(p + pos + cnt[4] * 6);
    for (size_t i = 0; i < cnt[4]; i++) {
        tz->offs[i] = (int32_t)(uint32_t)be(types + i * 6, 4);
        size_t ai = types[i * 6 + 5];
        tz->abbr[i] =
            ai < cnt[5] ? ar_strndup(a, chars + ai, strnlen(chars + ai, cnt[5] - ai)) : "";
    }
    pos += need - cnt[3] * (size_t)tsz - cnt[3];
    if (tsz == 8) {
        pos += cnt[2] * 12 + cnt[1] + cnt[0];
        if (pos < n && p[pos] == '\n') {
            const char *e = memchr(p + pos + 1, '\n', n - pos - 1);
            if (e)
                tz->footer = ar_strndup(a, (const char *)p + pos + 1,
                                        (size_t)(e - (const char *)p) - pos - 1);
        }
    }
    ok = true;
out:
    buf_free(&b);
    return ok;
}

/* POSIX TZ rules ("CET-1CEST,M3.5.0,M10.5.0/3"). */
static const char *rule_name(const char *s, const char **name, size_t *nn)
{
    if (*s == '<') {
        const char *e = strchr(s, '>');
        if (!e) return NULL;
        *name = s + 1;
        *nn = (size_t)(e - s - 1);
        return e + 1;
    }
    const char *b = s;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
        s++;
    if (s - b < 3) return NULL;
    *name = b;
    *nn = (size_t)(s - b);
    return s;
}

static const char *rule_offset(const char *s, int32_t *off)
{
    int sign = 1;
    if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
    int32_t h = 0, m = 0, sec = 0;
    if (*s < '0' || *s > '9') return NULL;
    while (*s >= '0' && *s <= '9')
        h = h * 10 + (*s++ - '0');
    if (*s == ':') {
        s++;
        while (*s >= '0' && *s <= '9')
            m = m * 10 + (*s++ - '0');
        if (*s == ':') {
            s++;
            while (*s >= '0' && *s <= '9')
                sec = sec * 10 + (*s++ - '0');
        }
    }
    *off = sign * (h * 3600 + m * 60 + sec);
    return s;
}

typedef struct {
    char kind; /* 'M', 'J', 'D' */
    int m, w, d;
    int32_t time;
} tzrule;

static const char *rule_date(const char *s, tzrule *r)
{
    r->time = 7200;
    if (*s == 'M') {
        s++;
        r->kind = 'M';
        r->m = (int)strtol(s, (char **)&s, 10);
        if (*s++ != '.') return NULL;
        r->w = (int)strtol(s, (char **)&s, 10);
        if (*s++ != '.') return NULL;
        r->d = (int)strtol(s, (char **)&s, 10);
    } else if (*s == 'J') {
        s++;
        r->kind = 'J';
        r->d = (int)strtol(s, (char **)&s, 10);
    } else {
        r->kind = 'D';
        r->d = (int)strtol(s, (char **)&s, 10);
    }
    if (*s == '/') {
        s = rule_offset(s + 1, &r->time);
        if (!s) return NULL;
    }
    return s;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Seconds since the year's start (local standard) of a rule's transition. */
static int64_t rule_time(int64_t year, const tzrule *r)
{
    int64_t day; /* day of year, 0-based */
    if (r->kind == 'J') {
        day = r->d - 1;
        if (is_leap(year) && r->d >= 60) day++;
    } else if (r->kind == 'D') {
        day = r->d;
    } else {
        int64_t first = days_from_civil(year, (unsigned)r->m, 1);
        int wd1 = (int)((first % 7 + 11) % 7);
        int dd = r->d - wd1;
        if (dd < 0) dd += 7;
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int ml = mdays[r->m - 1] + (r->m == 2 && is_leap(year));
        for (int i = 1; i < r->w; i++) {
            if (dd + 7 >= ml) break;
            dd += 7;
        }
        day = first - days_from_civil(year, 1, 1) + dd;
    }
    return day * 86400 + r->time;
}

static bool rule_lookup(arena *a, const char *rule, int64_t t, int32_t *off, const char **abbr)
{
    const char *std, *dst = NULL;
    size_t sn, dn = 0;
    int32_t soff, doff;
    const char *s = rule_name(rule, &std, &sn);
    if (!s || !(s = rule_offset(s, &soff))) return false;
    soff = -soff;
    if (!*s) {
        *off = soff;
        *abbr = ar_strndup(a, std, sn);
        return true;
    }
    if (!(s = rule_name(s, &dst, &dn))) return false;
    doff = soff + 3600;
    if (*s && *s != ',') {
        if (!(s = rule_offset(s, &doff))) return false;
        doff = -doff;
    }
    tzrule r1 = {'M', 3, 2, 0, 7200}, r2 = {'M', 11, 1, 0, 7200};
    if (*s == ',') {
        if (!(s = rule_date(s + 1, &r1)) || *s != ',' || !(s = rule_date(s + 1, &r2))) return false;
    }
    civil cv = to_civil(t, 0, soff);
    int64_t ys = days_from_civil(cv.year, 1, 1) * 86400;
    int64_t start = ys + rule_time(cv.year, &r1) - soff; /* in UTC */
    int64_t end = ys + rule_time(cv.year, &r2) - doff;
    bool in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    *off = in_dst ? doff : soff;
    *abbr = ar_strndup(a, in_dst ? dst : std, in_dst ? dn : sn);
    return true;
}

static void tz_lookup(arena *a, const tzdata *tz, int64_t t, int32_t *off, const char **abbr)
{
    if (tz->ntrans == 0 || t < tz->trans[0]) {
        /* before the first transition: type 0 (or the rule when there are no transitions) */
        if (tz->ntrans == 0 && tz->footer && rule_lookup(a, tz->footer, t, off, abbr)) return;
        *off = tz->offs[0];
        *abbr = tz->abbr[0];
        return;
    }
    size_t lo = 0, hi = tz->ntrans;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (tz->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    if (lo == tz->ntrans - 1 && tz->footer && rule_lookup(a, tz->footer, t, off, abbr)) return;
    *off = tz->offs[tz->idx[lo]];
    *abbr = tz->abbr[tz->idx[lo]];
}

/* time.LoadLocation(name) applied to t; false when the zone is unknown. "Local" follows TZ
 * (unset: /etc/localtime; empty: UTC) as Go does. */
static bool zone_at(arena *a, const char *name, int64_t t, int32_t *off, const char **abbr)
{
    *off = 0;
    *abbr = "UTC";
    if (!*name || !strcmp(name, "UTC")) return true;
    const char *path;
    if (!strcmp(name, "Local")) {
        const char *tzenv = getenv("TZ");
        if (!tzenv) {
            path = "/etc/localtime";
        } else {
            if (*tzenv == ':') tzenv++;
            if (!*tzenv || !strcmp(tzenv, "UTC")) return true;
            if (*tzenv == '/')
                path = tzenv;
            else
                path = ar_printf(a, "/usr/share/zoneinfo/%s", tzenv);
        }
        tzdata tz;
        if (!tz_read(a, path, &tz)) return true; /* Go falls back to UTC */
        tz_lookup(a, &tz, t, off, abbr);
        return true;
    }
    if (name[0] == '/' || strstr(name, "..") || strchr(name, '\\')) return false;
    const char *zi = getenv("ZONEINFO");
    tzdata tz;
    if (zi && *zi && tz_read(a, ar_printf(a, "%s/%s", zi, name), &tz)) {
        tz_lookup(a, &tz, t, off, abbr);
        return true;
    }
    if (!tz_read(a, ar_printf(a, "/usr/share/zoneinfo/%s", name), &tz)) return false;
    tz_lookup(a, &tz, t, off, abbr);
    return true;
}

/* ---------------------------------------------------------------- the time.Time object */

static void time_format(buf_t *b, const sprig_time *t, const char *layout, size_t ln);

static void time_string(const tpl_val *self, buf_t *out)
{
    static const char layout[] = "2006-01-02 15:04:05.999999999 -0700 MST";
    time_format(out, self->obj.p, layout, sizeof layout - 1);
}

static tpl_lookup time_get(tpl_ctx *c, const tpl_val *self, const char *name,
                           const tpl_val *const *args, size_t nargs, const tpl_val **out);

const tpl_type sprig_time_type = {
    .name = "time.Time", .kind = "struct", .get = time_get, .string = time_string};

const tpl_val *sprig_time_val(arena *a, const sprig_time *t)
{
    sprig_time *p = ar_alloc(a, sizeof *p);
    *p = *t;
    return tpl_obj(a, &sprig_time_type, p);
}

const sprig_time *sprig_time_of(const tpl_val *v)
{
    return v->kind == TPL_OBJ && v->obj.type == &sprig_time_type ? v->obj.p : NULL;
}

static sprig_time time_in(arena *a, int64_t sec, int32_t nsec, const char *loc)
{
    sprig_time t = {.sec = sec, .nsec = nsec, .loc = loc};
    zone_at(a, loc, sec, &t.off, &t.zone);
    return t;
}

static sprig_time time_now(tpl_ctx *c)
{
    const tpl_opts *o = tpl_options(c);
    if (o->now_fixed) return time_in(A, o->now_sec, o->now_nsec, "Local");
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return time_in(A, (int64_t)ts.tv_sec, (int32_t)ts.tv_nsec, "Local");
}

/* ---------------------------------------------------------------- layouts */

enum {
    STD_NONE,
    STD_MONTH,
    STD_LONG_MONTH,
    STD_NUM_MONTH,
    STD_ZERO_MONTH,
    STD_WEEKDAY,
    STD_LONG_WEEKDAY,
    STD_DAY,
    STD_UNDER_DAY,
    STD_ZERO_DAY,
    STD_UNDER_YDAY,
    STD_ZERO_YDAY,
    STD_HOUR,
    STD_HOUR12,
    STD_ZERO_HOUR12,
    STD_MINUTE,
    STD_ZERO_MINUTE,
    STD_SECOND,
    STD_ZERO_SECOND,
    STD_LONG_YEAR,
    STD_YEAR,
    STD_PM,
    STD_pm,
    STD_TZ,
    STD_ISO_TZ,
    STD_ISO_SECS_TZ,
    STD_ISO_SHORT_TZ,
    STD_ISO_COLON_TZ,
    STD_ISO_COLON_SECS_TZ,
    STD_NUM_TZ,
    STD_NUM_SECS_TZ,
    STD_NUM_SHORT_TZ,
    STD_NUM_COLON_TZ,
    STD_NUM_COLON_SECS_TZ,
    STD_FRAC0,
    STD_FRAC9,
};

static bool starts(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

/* Go's nextStdChunk: the literal prefix length, the chunk code and its length (and for
 * fractions, the digit count in *ndig and the separator in *sep). */
static size_t next_chunk(const char *l, size_t n, int *std, size_t *slen, int *ndig)
{
    for (size_t i = 0; i < n; i++) {
        const char *p = l + i;
        size_t r = n - i;
        switch (l[i]) {
        case 'J':
            if (starts(p, r, "Jan")) {
                if (starts(p, r, "January")) return *std = STD_LONG_MONTH, *slen = 7, i;
                if (!(r > 3 && p[3] >= 'a' && p[3] <= 'z')) return *std = STD_MONTH, *slen = 3, i;
            }
            break;
        case 'M':
            if (starts(p, r, "Mon")) {
                if (starts(p, r, "Monday")) return *std = STD_LONG_WEEKDAY, *slen = 6, i;
                if (!(r > 3 && p[3] >= 'a' && p[3] <= 'z')) return *std = STD_WEEKDAY, *slen = 3, i;
            }
            if (starts(p, r, "MST")) return *std = STD_TZ, *slen = 3, i;
            break;
        case '0':
            if (r > 1 && p[1] >= '1' && p[1] <= '6') {
                static const int z[] = {STD_ZERO_MONTH,  STD_ZERO_DAY,    STD_ZERO_HOUR12,
                                        STD_ZERO_MINUTE, STD_ZERO_SECOND, STD_YEAR};
                return *std = z[p[1] - '1'], *slen = 2, i;
            }
            if (r > 2 && p[1] == '0' && p[2] == '2') return *std = STD_ZERO_YDAY, *slen = 3, i;
            break;
        case '1':
            if (r > 1 && p[1] == '5') return *std = STD_HOUR, *slen = 2, i;
            return *std = STD_NUM_MONTH, *slen = 1, i;
        case '2':
            if (starts(p, r, "2006")) return *std = STD_LONG_YEAR, *slen = 4, i;
            return *std = STD_DAY, *slen = 1, i;
        case '_':
            if (r > 1 && p[1] == '2') {
                if (starts(p + 1, r - 1, "2006")) return *std = STD_LONG_YEAR, *slen = 4, i + 1;
                return *std = STD_UNDER_DAY, *slen = 2, i;
            }
            if (r > 2 && p[1] == '_' && p[2] == '2') return *std = STD_UNDER_YDAY, *slen = 3, i;
            break;
        case '3':
            return *std = STD_HOUR12, *slen = 1, i;
        case '4':
            return *std = STD_MINUTE, *slen = 1, i;
        case '5':
            return *std = STD_SECOND, *slen = 1, i;
        case 'P':
            if (r > 1 && p[1] == 'M') return *std = STD_PM, *slen = 2, i;
            break;
        case 'p':
            if (r > 1 && p[1] == 'm') return *std = STD_pm, *slen = 2, i;
            break;
        case '-':
            if (starts(p, r, "-070000")) return *std = STD_NUM_SECS_TZ, *slen = 7, i;
            if (starts(p, r, "-07:00:00")) return *std = STD_NUM_COLON_SECS_TZ, *slen = 9, i;
            if (starts(p, r, "-0700")) return *std = STD_NUM_TZ, *slen = 5, i;
            if (starts(p, r, "-07:00")) return *std = STD_NUM_COLON_TZ, *slen = 6, i;
            if (starts(p, r, "-07")) return *std = STD_NUM_SHORT_TZ, *slen = 3, i;
            break;
        case 'Z':
            if (starts(p, r, "Z070000")) return *std = STD_ISO_SECS_TZ, *slen = 7, i;
            if (starts(p, r, "Z07:00:00")) return *std = STD_ISO_COLON_SECS_TZ, *slen = 9, i;
            if (starts(p, r, "Z0700")) return *std = STD_ISO_TZ, *slen = 5, i;
            if (starts(p, r, "Z07:00")) return *std = STD_ISO_COLON_TZ, *slen = 6, i;
            if (starts(p, r, "Z07")) return *std = STD_ISO_SHORT_TZ, *slen = 3, i;
            break;
        case '.':
        case ',':
            if (r > 1 && (p[1] == '0' || p[1] == '9')) {
                char ch = p[1];
                size_t j = 1;
                while (j < r && p[j] == ch)
                    j++;
                if (!(j < r && p[j] >= '0' && p[j] <= '9')) {
                    *ndig = (int)(j - 1);
                    return *std = ch == '0' ? STD_FRAC0 : STD_FRAC9, *slen = j, i;
                }
            }
            break;
        }
    }
    *std = STD_NONE;
    *slen = 0;
    return n;
}

static void put_int(buf_t *b, int64_t v, int width)
{
    if (v < 0) {
        buf_putc(b, '-');
        v = -v;
    }
    char tmp[24];
    int k = snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    for (int i = k; i < width; i++)
        buf_putc(b, '0');
    buf_put(b, tmp, (size_t)k);
}

static void time_format(buf_t *b, const sprig_time *t, const char *l, size_t n)
{
    civil cv = to_civil(t->sec, t->nsec, t->off);
    while (n > 0) {
        int std, nd = 0;
        size_t sl;
        size_t pre = next_chunk(l, n, &std, &sl, &nd);
        buf_put(b, l, pre);
        if (std == STD_NONE) break;
        char sep = l[pre];
        l += pre + sl;
        n -= pre + sl;
        int32_t off = t->off;
        switch (std) {
        case STD_YEAR:
            put_int(b, ((cv.year % 100) + 100) % 100, 2);
            break;
        case STD_LONG_YEAR:
            put_int(b, cv.year, 4);
            break;
        case STD_MONTH:
            buf_put(b, month_names[cv.month - 1], 3);
            break;
        case STD_LONG_MONTH:
            buf_puts(b, month_names[cv.month - 1]);
            break;
        case STD_NUM_MONTH:
            put_int(b, cv.month, 0);
            break;
        case STD_ZERO_MONTH:
            put_int(b, cv.month, 2);
            break;
        case STD_WEEKDAY:
            buf_put(b, day_names[cv.wday], 3);
            break;
        case STD_LONG_WEEKDAY:
            buf_puts(b, day_names[cv.wday]);
            break;
        case STD_DAY:
            put_int(b, cv.day, 0);
            break;
        case STD_UNDER_DAY:
            if (cv.day < 10) buf_putc(b, ' ');
            put_int(b, cv.day, 0);
            break;
        case STD_ZERO_DAY:
            put_int(b, cv.day, 2);
            break;
        case STD_UNDER_YDAY:
            if (cv.yday < 100) buf_putc(b, ' ');
            if (cv.yday < 10) buf_putc(b, ' ');
            put_int(b, cv.yday, 0);
            break;
        case STD_ZERO_YDAY:
            put_int(b, cv.yday, 3);
            break;
        case STD_HOUR:
            put_int(b, cv.hour, 2);
            break;
        case STD_HOUR12:
            put_int(b, cv.hour % 12 == 0 ? 12 : cv.hour % 12, 0);
            break;
        case STD_ZERO_HOUR12:
            put_int(b, cv.hour % 12 == 0 ? 12 : cv.hour % 12, 2);
            break;
        case STD_MINUTE:
            put_int(b, cv.min, 0);
            break;
        case STD_ZERO_MINUTE:
            put_int(b, cv.min, 2);
            break;
        case STD_SECOND:
            put_int(b, cv.sec, 0);
            break;
        case STD_ZERO_SECOND:
            put_int(b, cv.sec, 2);
            break;
        case STD_PM:
            buf_puts(b, cv.hour >= 12 ? "PM" : "AM");
            break;
        case STD_pm:
            buf_puts(b, cv.hour >= 12 ? "pm" : "am");
            break;
        case STD_TZ:
            if (t->zone && *t->zone) {
                buf_puts(b, t->zone);
            } else {
                int32_t z = off / 60;
                if (z < 0) {
                    buf_putc(b, '-');
                    z = -z;
                } else {
                    buf_putc(b, '+');
                }
                put_int(b, z / 60, 2);
                put_int(b, z % 60, 2);
            }
            break;
        case STD_FRAC0:
        case STD_FRAC9: {
            char digs[10];
            snprintf(digs, sizeof digs, "%09d", (int)t->nsec);
            int k = nd > 9 ? 9 : nd;
            if (std == STD_FRAC9) {
                while (k > 0 && digs[k - 1] == '0')
                    k--;
                if (k == 0) break;
            }
            buf_putc(b, sep);
            buf_put(b, digs, (size_t)k);
            break;
        }
        default: { /* numeric and ISO 8601 zones */
            bool iso = std >= STD_ISO_TZ && std <= STD_ISO_COLON_SECS_TZ;
            if (off == 0 && iso) {
                buf_putc(b, 'Z');
                break;
            }
            int32_t z = off / 60, abso = off;
            if (z < 0) {
                buf_putc(b, '-');
                z = -z;
                abso = -abso;
            } else {
                buf_putc(b, '+');
            }
            put_int(b, z / 60, 2);
            bool colon = std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ ||
                         std == STD_ISO_COLON_SECS_TZ || std == STD_NUM_COLON_SECS_TZ;
            if (colon) buf_putc(b, ':');
            if (std != STD_NUM_SHORT_TZ && std != STD_ISO_SHORT_TZ) put_int(b, z % 60, 2);
            if (std == STD_ISO_SECS_TZ || std == STD_NUM_SECS_TZ || std == STD_NUM_COLON_SECS_TZ ||
                std == STD_ISO_COLON_SECS_TZ) {
                if (colon) buf_putc(b, ':');
                put_int(b, abso % 60, 2);
            }
        }
        }
    }
}

/* time.Parse / ParseInLocation for the layouts charts use; the error text is Go's. */
static bool get_num(const char **v, size_t *vn, int digits, bool fixed, int64_t *out)
{
    const char *s = *v;
    size_t n = *vn, i = 0;
    int64_t x = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9' && (int)i < (fixed ? digits : 19)) {
        x = x * 10 + (s[i] - '0');
        i++;
    }
    if (i == 0 || (fixed && (int)i != digits)) return false;
    if (!fixed && digits == 2 && i > 2) return false;
    *out = x;
    *v += i;
    *vn -= i;
    return true;
}

static bool lookup_name(const char **v, size_t *vn, const char *const *names, size_t nn, size_t len,
                        int *idx)
{
    for (size_t i = 0; i < nn; i++) {
        size_t k = len ? len : strlen(names[i]);
        if (*vn >= k && strncasecmp(*v, names[i], k) == 0) {
            *idx = (int)i;
            *v += k;
            *vn -= k;
            return true;
        }
    }
    return false;
}

static bool time_parse(arena *a, const char *layout, size_t ln, const char *value, size_t vn,
                       const char *loc, sprig_time *out, const char **err)
{
    const char *v = value, *l = layout;
    const size_t vlen = vn;
    size_t n = ln;
    int64_t year = 1, month = 1, day = 1, hour = 0, min = 0, sec = 0, nsec = 0, yday = -1;
    bool pm_set = false, pm = false, have_zone = false;
    int32_t zoff = 0;
    const char *zname = NULL;
    while (1) {
        int std, nd = 0;
        size_t sl;
        size_t pre = next_chunk(l, n, &std, &sl, &nd);
        const char *prefix = l;
        if (vn < pre || memcmp(v, prefix, pre) != 0) {
            buf_t q = {0}, ql = {0}, qv = {0}, qx = {0};
            sprig_go_quote(&q, value, vlen);
            sprig_go_quote(&ql, layout, ln);
            sprig_go_quote(&qv, v, vn);
            sprig_go_quote(&qx, prefix, pre);
            *err = ar_printf(a, "parsing time %s as %s: cannot parse %s as %s", q.data, ql.data,
                             qv.data, qx.data);
            buf_free(&q);
            buf_free(&ql);
            buf_free(&qv);
            buf_free(&qx);
            return false;
        }
        v += pre;
        vn -= pre;
        if (std == STD_NONE) {
            if (vn) {
                buf_t q = {0}, ql = {0}, qv = {0};
                sprig_go_quote(&q, value, vlen);
                sprig_go_quote(&ql, layout, ln);
                sprig_go_quote(&qv, v, vn);
                *err = ar_printf(a, "parsing time %s: extra text: %s", q.data, qv.data);
                buf_free(&q);
                buf_free(&ql);
                buf_free(&qv);
                return false;
            }
            break;
        }
        const char *elem = l + pre;
        l += pre + sl;
        n -= pre + sl;
        const char *vstart = v;
        size_t vnstart = vn;
        bool ok = true;
        int idx;
        const char *range_err = NULL;
        switch (std) {
        case STD_YEAR:
            ok = get_num(&v, &vn, 2, true, &year);
            if (ok) year += year >= 69 ? 1900 : 2000;
            break;
        case STD_LONG_YEAR:
            ok = get_num(&v, &vn, 4, true, &year);
            break;
        case STD_MONTH:
            ok = lookup_name(&v, &vn, month_names, 12, 3, &idx);
            month = idx + 1;
            break;
        case STD_LONG_MONTH:
            ok = lookup_name(&v, &vn, month_names, 12, 0, &idx);
            month = idx + 1;
            break;
        case STD_NUM_MONTH:
        case STD_ZERO_MONTH:
            ok = get_num(&v, &vn, 2, std == STD_ZERO_MONTH, &month);
            if (ok && (month <= 0 || month > 12)) range_err = "month";
            break;
        case STD_WEEKDAY:
            ok = lookup_name(&v, &vn, day_names, 7, 3, &idx);
            break;
        case STD_LONG_WEEKDAY:
            ok = lookup_name(&v, &vn, day_names, 7, 0, &idx);
            break;
        case STD_DAY:
        case STD_UNDER_DAY:
        case STD_ZERO_DAY:
            if (std == STD_UNDER_DAY && vn && *v == ' ') {
                v++;
                vn--;
            }
            ok = get_num(&v, &vn, 2, std == STD_ZERO_DAY, &day);
            break;
        case STD_UNDER_YDAY:
        case STD_ZERO_YDAY:
            while (std == STD_UNDER_YDAY && vn && *v == ' ') {
                v++;
                vn--;
            }
            ok = get_num(&v, &vn, 3, std == STD_ZERO_YDAY, &yday);
            break;
        case STD_HOUR:
            ok = get_num(&v, &vn, 2, false, &hour);
            if (ok && (hour < 0 || hour >= 24)) range_err = "hour";
            break;
        case STD_HOUR12:
        case STD_ZERO_HOUR12:
            ok = get_num(&v, &vn, 2, std == STD_ZERO_HOUR12, &hour);
            if (ok && (hour < 0 || hour > 12)) range_err = "hour";
            break;
        case STD_MINUTE:
        case STD_ZERO_MINUTE:
            ok = get_num(&v, &vn, 2, std == STD_ZERO_MINUTE, &min);
            if (ok && (min < 0 || min >= 60)) range_err = "minute";
            break;
        case STD_SECOND:
        case STD_ZERO_SECOND:
            ok = get_num(&v, &vn, 2, std == STD_ZERO_SECOND, &sec);
            if (ok && (sec < 0 || sec >= 60)) {
                range_err = "second";
                break;
            }
            /* a fractional second follows even if the layout has none */
            if (ok && vn >= 2 && (*v == '.' || *v == ',') && v[1] >= '0' && v[1] <= '9') {
                int next_std, nd2;
                size_t sl2;
                next_chunk(l, n, &next_std, &sl2, &nd2);
                if (next_std != STD_FRAC0 && next_std != STD_FRAC9) {
                    size_t k = 1;
                    int64_t f = 0;
                    int digs = 0;
                    while (k < vn && v[k] >= '0' && v[k] <= '9') {
                        if (digs < 9) {
                            f = f * 10 + (v[k] - '0');
                            digs++;
                        }
                        k++;
                    }
                    while (digs < 9) {
                        f *= 10;
                        digs++;
                    }
                    nsec = f;
                    v += k;
                    vn -= k;
                }
            }
            break;
        case STD_PM:
        case STD_pm:
            if (vn >= 2 && (strncasecmp(v, "PM", 2) == 0 || strncasecmp(v, "AM", 2) == 0)) {
                pm_set = true;
                pm = (v[0] | 32) == 'p';
                v += 2;
                vn -= 2;
            } else {
                ok = false;
            }
            break;
        case STD_FRAC0:
        case STD_FRAC9: {
            if (std == STD_FRAC0) {
                if (vn < (size_t)nd + 1 || (*v != '.' && *v != ',')) {
                    ok = false;
                    break;
                }
            } else if (vn < 2 || (*v != '.' && *v != ',') || v[1] < '0' || v[1] > '9') {
                break;
            }
            size_t k = 1;
            int64_t f = 0;
            int digs = 0;
            while (k < vn && v[k] >= '0' && v[k] <= '9' && (std == STD_FRAC9 || (int)k <= nd)) {
                if (digs < 9) {
                    f = f * 10 + (v[k] - '0');
                    digs++;
                }
                k++;
            }
            while (digs < 9) {
                f *= 10;
                digs++;
            }
            nsec = f;
            v += k;
            vn -= k;
            break;
        }
        case STD_TZ: {
            if (vn >= 3 && !strncmp(v, "UTC", 3)) {
                zname = "UTC";
                v += 3;
                vn -= 3;
                have_zone = true;
                break;
            }
            size_t k = 0;
            while (k < vn && v[k] >= 'A' && v[k] <= 'Z')
                k++;
            if (k < 3) {
                ok = false;
                break;
            }
            zname = ar_strndup(a, v, k);
            v += k;
            vn -= k;
            break;
        }
        default: { /* numeric / ISO zones */
            bool iso = std >= STD_ISO_TZ && std <= STD_ISO_COLON_SECS_TZ;
            if (iso && vn >= 1 && *v == 'Z') {
                v++;
                vn--;
                have_zone = true;
                zoff = 0;
                zname = "UTC";
                break;
            }
            if (!vn || (*v != '+' && *v != '-')) {
                ok = false;
                break;
            }
            int sign = *v == '-' ? -1 : 1;
            v++;
            vn--;
            int64_t hh = 0, mm = 0, ss = 0;
            bool colon = std == STD_ISO_COLON_TZ || std == STD_NUM_COLON_TZ ||
                         std == STD_ISO_COLON_SECS_TZ || std == STD_NUM_COLON_SECS_TZ;
            ok = get_num(&v, &vn, 2, true, &hh);
            if (ok && std != STD_NUM_SHORT_TZ && std != STD_ISO_SHORT_TZ) {
                if (colon) {
                    if (!vn || *v != ':') {
                        ok = false;
                        break;
                    }
                    v++;
                    vn--;
                }
                ok = get_num(&v, &vn, 2, true, &mm);
            }
            if (ok && (std == STD_ISO_SECS_TZ || std == STD_NUM_SECS_TZ ||
                       std == STD_NUM_COLON_SECS_TZ || std == STD_ISO_COLON_SECS_TZ)) {
                if (colon) {
                    if (!vn || *v != ':') {
                        ok = false;
                        break;
                    }
                    v++;
                    vn--;
                }
                ok = get_num(&v, &vn, 2, true, &ss);
            }
            zoff = (int32_t)(sign * (hh * 3600 + mm * 60 + ss));
            have_zone = true;
        }
        }
        if (range_err) {
            buf_t q = {0}, qv = {0};
            sprig_go_quote(&q, value, vlen);
            sprig_go_quote(&qv, vstart, vnstart);
            *err = ar_printf(a, "parsing time %s: %s out of range", q.data, range_err);
            buf_free(&q);
            buf_free(&qv);
            return false;
        }
        if (!ok) {
            buf_t q = {0}, ql = {0}, qv = {0}, qe = {0};
            sprig_go_quote(&q, value, vlen);
            sprig_go_quote(&ql, layout, ln);
            sprig_go_quote(&qv, vstart, vnstart);
            sprig_go_quote(&qe, elem, sl);
            *err = ar_printf(a, "parsing time %s as %s: cannot parse %s as %s", q.data, ql.data,
                             qv.data, qe.data);
            buf_free(&q);
            buf_free(&ql);
            buf_free(&qv);
            buf_free(&qe);
            return false;
        }
    }
    if (pm_set) {
        if (pm && hour < 12) hour += 12;
        if (!pm && hour == 12) hour = 0;
    }
    if (yday >= 0) {
        int64_t d0 = days_from_civil(year, 1, 1) + yday - 1;
        civil cv = to_civil(d0 * 86400, 0, 0);
        month = cv.month;
        day = cv.day;
    }
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day < 1 || day > mdays[month - 1] + (month == 2 && is_leap(year))) {
        buf_t q = {0};
        sprig_go_quote(&q, value, vlen);
        *err = ar_printf(a, "parsing time %s: day out of range", q.data);
        buf_free(&q);
        return false;
    }
    int64_t local = days_from_civil(year, (unsigned)month, (unsigned)day) * 86400 + hour * 3600 +
                    min * 60 + sec;
    memset(out, 0, sizeof *out);
    out->nsec = (int32_t)nsec;
    if (have_zone) {
        out->sec = local - zoff;
        out->off = zoff;
        out->loc = zoff == 0 && zname ? "UTC" : "";
        out->zone = zname ? zname : "";
        if (zoff == 0 && !zname) out->zone = "UTC", out->loc = "UTC";
        /* a numeric offset matching the location's is reported in that location */
        int32_t lo;
        const char *ab;
        if (zone_at(a, loc, out->sec, &lo, &ab) && lo == zoff && *loc) {
            out->loc = loc;
            out->zone = ab;
        }
        return true;
    }
    /* the wall clock in loc: find the offset in effect */
    int32_t o1;
    const char *ab;
    zone_at(a, loc, local, &o1, &ab);
    int64_t utc = local - o1;
    int32_t o2;
    zone_at(a, loc, utc, &o2, &ab);
    if (o2 != o1) {
        utc = local - o2;
        zone_at(a, loc, utc, &o2, &ab);
    }
    if (zname) {
        /* an abbreviation: the location's offset when it names it, else offset 0 */
        if (strcmp(ab, zname) != 0) {
            utc = local;
            o2 = 0;
            ab = zname;
        }
    }
    out->sec = utc;
    out->off = o2;
    out->zone = ab;
    out->loc = loc;
    return true;
}

/* ---------------------------------------------------------------- durations */

static size_t fmt_frac(char *buf, size_t w, uint64_t *v, int prec)
{
    bool print = false;
    for (int i = 0; i < prec; i++) {
        int digit = (int)(*v % 10);
        print = print || digit != 0;
        if (print) buf[--w] = (char)('0' + digit);
        *v /= 10;
    }
    if (print) buf[--w] = '.';
    return w;
}

static size_t fmt_int(char *buf, size_t w, uint64_t v)
{
    if (v == 0) {
        buf[--w] = '0';
    } else {
        while (v > 0) {
            buf[--w] = (char)('0' + v % 10);
            v /= 10;
        }
    }
    return w;
}

/* time.Duration.String */
static void duration_string(buf_t *b, int64_t d)
{
    char buf[40];
    size_t w = sizeof buf;
    uint64_t u = (uint64_t)d;
    bool neg = d < 0;
    if (neg) u = 0 - u;
    if (u < 1000000000ull) {
        int prec = 0;
        buf[--w] = 's';
        w--;
        if (u == 0) {
            buf_puts(b, "0s");
            return;
        } else if (u < 1000ull) {
            prec = 0;
            buf[w] = 'n';
        } else if (u < 1000000ull) {
            prec = 3;
            w--;
            memcpy(buf + w, "\xC2\xB5", 2);
        } else {
            prec = 6;
            buf[w] = 'm';
        }
        w = fmt_frac(buf, w, &u, prec);
        w = fmt_int(buf, w, u);
    } else {
        buf[--w] = 's';
        w = fmt_frac(buf, w, &u, 9);
        w = fmt_int(buf, w, u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            w = fmt_int(buf, w, u % 60);
            u /= 60;
            if (u > 0) {
                buf[--w] = 'h';
                w = fmt_int(buf, w, u);
            }
        }
    }
    if (neg) buf[--w] = '-';
    buf_put(b, buf + w, sizeof buf - w);
}

/* time.ParseDuration; false with Go's error text. */
static bool parse_duration(arena *a, const char *s0, size_t n0, int64_t *out, const char **err)
{
    const char *s = s0;
    size_t n = n0;
    buf_t q = {0};
    sprig_go_quote(&q, s0, n0);
    const char *quoted = ar_strndup(a, q.data, q.len);
    buf_free(&q);
    uint64_t d = 0;
    bool neg = false;
    if (n && (*s == '-' || *s == '+')) {
        neg = *s == '-';
        s++;
        n--;
    }
    if (n == 1 && *s == '0') {
        *out = 0;
        return true;
    }
    if (n == 0) {
        *err = ar_printf(a, "time: invalid duration %s", quoted);
        return false;
    }
    while (n > 0) {
        uint64_t v = 0, f = 0;
        double scale = 1;
        bool pre = false, post = false, overflow = false;
        if (!(*s == '.' || (*s >= '0' && *s <= '9'))) {
            *err = ar_printf(a, "time: invalid duration %s", quoted);
            return false;
        }
        size_t k = 0;
        while (k < n && s[k] >= '0' && s[k] <= '9') {
            if (v > (1ull << 63) / 10) overflow = true;
            v = v * 10 + (uint64_t)(s[k] - '0');
            if (v > (1ull << 63)) overflow = true;
            k++;
        }
        if (overflow) {
            *err = ar_printf(a, "time: invalid duration %s", quoted);
            return false;
        }
        pre = k > 0;
        s += k;
        n -= k;
        if (n && *s == '.') {
            s++;
            n--;
            k = 0;
            while (k < n && s[k] >= '0' && s[k] <= '9') {
                if (f < (1ull << 62) / 10) {
                    f = f * 10 + (uint64_t)(s[k] - '0');
                    scale *= 10;
                }
                k++;
            }
            post = k > 0;
            s += k;
            n -= k;
        }
        if (!pre && !post) {
            *err = ar_printf(a, "time: invalid duration %s", quoted);
            return false;
        }
        k = 0;
        while (k < n && s[k] != '.' && !(s[k] >= '0' && s[k] <= '9'))
            k++;
        if (k == 0) {
            *err = ar_printf(a, "time: missing unit in duration %s", quoted);
            return false;
        }
        uint64_t unit = 0;
        if (k == 2 && !memcmp(s, "ns", 2))
            unit = 1;
        else if ((k == 2 && !memcmp(s, "us", 2)) || (k == 3 && !memcmp(s, "\xC2\xB5s", 3)) ||
                 (k == 3 && !memcmp(s, "\xCE\xBCs", 3)))
            unit = 1000;
        else if (k == 2 && !memcmp(s, "ms", 2))
            unit = 1000000;
        else if (k == 1 && *s == 's')
            unit = 1000000000ull;
        else if (k == 1 && *s == 'm')
            unit = 60000000000ull;
        else if (k == 1 && *s == 'h')
            unit = 3600000000000ull;
        if (!unit) {
            buf_t u = {0};
            sprig_go_quote(&u, s, k);
            *err = ar_printf(a, "time: unknown unit %s in duration %s", u.data, quoted);
            buf_free(&u);
            return false;
        }
        s += k;
        n -= k;
        if (v > (1ull << 63) / unit) {
            *err = ar_printf(a, "time: invalid duration %s", quoted);
            return false;
        }
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > (1ull << 63)) {
                *err = ar_printf(a, "time: invalid duration %s", quoted);
                return false;
            }
        }
        d += v;
        if (d > (1ull << 63)) {
            *err = ar_printf(a, "time: invalid duration %s", quoted);
            return false;
        }
    }
    if (neg) {
        *out = (int64_t)(0 - d);
        return true;
    }
    if (d > (uint64_t)INT64_MAX) {
        *err = ar_printf(a, "time: invalid duration %s", quoted);
        return false;
    }
    *out = (int64_t)d;
    return true;
}

bool sprig_duration_parse(arena *a, const char *s, size_t n, int64_t *ns, const char **err)
{
    return parse_duration(a, s, n, ns, err);
}

void sprig_duration_string(buf_t *out, int64_t ns)
{
    duration_string(out, ns);
}

/* Duration.Round(m): half away from zero. */
static int64_t duration_round(int64_t d, int64_t m)
{
    int64_t r = d % m;
    if (d < 0) {
        r = -r;
        if (r + r < m) return d + r;
        int64_t d1 = d - m + r;
        return d1 < d ? d1 : INT64_MIN;
    }
    if (r + r < m) return d - r;
    int64_t d1 = d + m - r;
    return d1 > d ? d1 : INT64_MAX;
}

static int64_t since_ns(tpl_ctx *c, const sprig_time *t)
{
    sprig_time now = time_now(c);
    return (now.sec - t->sec) * 1000000000ll + (now.nsec - t->nsec);
}

/* ---------------------------------------------------------------- time.Time methods */

static tpl_lookup time_get(tpl_ctx *c, const tpl_val *self, const char *name,
                           const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    const sprig_time *t = self->obj.p;
    civil cv = to_civil(t->sec, t->nsec, t->off);
    if (!strcmp(name, "Format")) {
        if (nargs != 1 || args[0]->kind != TPL_STRING) {
            tpl_errorf(c, "wrong number of args for Format: want 1 got %zu", nargs);
            return TPL_LOOKUP_ERR;
        }
        buf_t b = {0};
        time_format(&b, t, args[0]->str.s, args[0]->str.n);
        *out = tpl_str_buf(A, &b);
        buf_free(&b);
        return TPL_LOOKUP_OK;
    }
    if (nargs) {
        tpl_errorf(c, "wrong number of args for %s: want 0 got %zu", name, nargs);
        return TPL_LOOKUP_ERR;
    }
    if (!strcmp(name, "Unix"))
        *out = tpl_int64(A, t->sec);
    else if (!strcmp(name, "UnixNano"))
        *out = tpl_int64(A, t->sec * 1000000000ll + t->nsec);
    else if (!strcmp(name, "UnixMilli"))
        *out = tpl_int64(A, t->sec * 1000ll + t->nsec / 1000000);
    else if (!strcmp(name, "Year"))
        *out = tpl_int(A, cv.year);
    else if (!strcmp(name, "Day"))
        *out = tpl_int(A, cv.day);
    else if (!strcmp(name, "YearDay"))
        *out = tpl_int(A, cv.yday);
    else if (!strcmp(name, "Hour"))
        *out = tpl_int(A, cv.hour);
    else if (!strcmp(name, "Minute"))
        *out = tpl_int(A, cv.min);
    else if (!strcmp(name, "Second"))
        *out = tpl_int(A, cv.sec);
    else if (!strcmp(name, "Nanosecond"))
        *out = tpl_int(A, cv.nsec);
    else if (!strcmp(name, "IsZero"))
        *out = tpl_bool(t->sec == -62135596800ll && t->nsec == 0);
    else if (!strcmp(name, "UTC")) {
        sprig_time u = *t;
        u.off = 0;
        u.zone = "UTC";
        u.loc = "UTC";
        *out = sprig_time_val(A, &u);
    } else if (!strcmp(name, "Local")) {
        sprig_time u = time_in(A, t->sec, t->nsec, "Local");
        *out = sprig_time_val(A, &u);
    } else if (!strcmp(name, "String")) {
        buf_t b = {0};
        time_string(self, &b);
        *out = tpl_str_buf(A, &b);
        buf_free(&b);
    } else {
        return TPL_LOOKUP_NONE;
    }
    return TPL_LOOKUP_OK;
}

/* ---------------------------------------------------------------- functions */

TPL_FN(tpl_f_now)
{
    (void)args;
    (void)nargs;
    sprig_time t = time_now(c);
    *out = sprig_time_val(A, &t);
    return true;
}

/* dateInZone's date argument: time.Time, *time.Time, int64/int/int32 seconds, else now. */
static sprig_time date_arg(tpl_ctx *c, const tpl_val *v)
{
    const sprig_time *t = sprig_time_of(v);
    if (t) return *t;
    if (v->kind == TPL_INT64 || v->kind == TPL_INT || v->kind == TPL_INT32) {
        sprig_time u = {.sec = v->i, .loc = "Local"};
        return u;
    }
    return time_now(c);
}

static bool date_in_zone(tpl_ctx *c, const char *fmt, size_t fn, const tpl_val *d, const char *zone,
                         const tpl_val **out)
{
    sprig_time t = date_arg(c, d);
    sprig_time z = {0};
    if (!zone_at(A, zone, t.sec, &z.off, &z.zone)) zone_at(A, "UTC", t.sec, &z.off, &z.zone);
    t.off = z.off;
    t.zone = z.zone;
    buf_t b = {0};
    time_format(&b, &t, fmt, fn);
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_date)
{
    (void)nargs;
    return date_in_zone(c, args[0]->str.s, args[0]->str.n, args[1], "Local", out);
}

TPL_FN(tpl_f_dateInZone)
{
    (void)nargs;
    return date_in_zone(c, args[0]->str.s, args[0]->str.n, args[1], args[2]->str.s, out);
}

TPL_FN(tpl_f_htmlDate)
{
    (void)nargs;
    return date_in_zone(c, "2006-01-02", 10, args[0], "Local", out);
}

TPL_FN(tpl_f_htmlDateInZone)
{
    (void)nargs;
    return date_in_zone(c, "2006-01-02", 10, args[0], args[1]->str.s, out);
}

static const sprig_time *need_time(tpl_ctx *c, const tpl_val *v)
{
    const sprig_time *t = sprig_time_of(v);
    if (!t) tpl_errorf(c, "wrong type for value; expected time.Time; got %s", tpl_type_name(v));
    return t;
}

static bool date_modify(tpl_ctx *c, const tpl_val *const *args, bool must, const tpl_val **out)
{
    const sprig_time *t = need_time(c, args[1]);
    if (!t) return false;
    int64_t d;
    const char *err;
    if (!parse_duration(A, args[0]->str.s, args[0]->str.n, &d, &err)) {
        if (must) return tpl_errorf(c, "%s", err);
        *out = args[1];
        return true;
    }
    sprig_time r = *t;
    int64_t ns = (int64_t)r.nsec + d % 1000000000ll;
    r.sec += d / 1000000000ll + floordiv(ns, 1000000000ll);
    r.nsec = (int32_t)(ns - floordiv(ns, 1000000000ll) * 1000000000ll);
    if (r.loc && *r.loc) zone_at(A, r.loc, r.sec, &r.off, &r.zone);
    *out = sprig_time_val(A, &r);
    return true;
}

TPL_FN(tpl_f_dateModify)
{
    (void)nargs;
    return date_modify(c, args, false, out);
}

TPL_FN(tpl_f_mustDateModify)
{
    (void)nargs;
    return date_modify(c, args, true, out);
}

TPL_FN(tpl_f_ago)
{
    (void)nargs;
    const sprig_time *t = sprig_time_of(args[0]);
    sprig_time u;
    if (!t) {
        if (args[0]->kind == TPL_INT64 || args[0]->kind == TPL_INT) {
            u = (sprig_time){.sec = args[0]->i};
        } else {
            u = time_now(c);
        }
        t = &u;
    }
    buf_t b = {0};
    duration_string(&b, duration_round(since_ns(c, t), 1000000000ll));
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_duration)
{
    (void)nargs;
    int64_t n = 0;
    if (args[0]->kind == TPL_STRING) {
        if (!sprig_parse_int(args[0]->str.s, args[0]->str.n, 10, &n)) n = 0;
    } else if (args[0]->kind == TPL_INT64) {
        n = args[0]->i;
    }
    buf_t b = {0};
    duration_string(&b, (int64_t)((uint64_t)n * 1000000000ull));
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_durationRound)
{
    (void)nargs;
    int64_t d = 0;
    const sprig_time *t = sprig_time_of(args[0]);
    if (args[0]->kind == TPL_STRING) {
        const char *err;
        if (!parse_duration(A, args[0]->str.s, args[0]->str.n, &d, &err)) d = 0;
    } else if (args[0]->kind == TPL_INT64) {
        d = args[0]->i;
    } else if (t) {
        d = since_ns(c, t);
    }
    uint64_t u = (uint64_t)d;
    if (d < 0) u = 0 - u;
    const uint64_t second = 1000000000ull, minute = 60 * second, hour = 60 * minute,
                   day = 24 * hour, month = 30 * day, year = 365 * day;
    char s[32];
    if (u > year)
        snprintf(s, sizeof s, "%lluy", (unsigned long long)(u / year));
    else if (u > month)
        snprintf(s, sizeof s, "%llumo", (unsigned long long)(u / month));
    else if (u > day)
        snprintf(s, sizeof s, "%llud", (unsigned long long)(u / day));
    else if (u > hour)
        snprintf(s, sizeof s, "%lluh", (unsigned long long)(u / hour));
    else if (u > minute)
        snprintf(s, sizeof s, "%llum", (unsigned long long)(u / minute));
    else if (u > second)
        snprintf(s, sizeof s, "%llus", (unsigned long long)(u / second));
    else
        snprintf(s, sizeof s, "0s");
    *out = tpl_cstr(A, s);
    return true;
}

static bool to_date(tpl_ctx *c, const tpl_val *const *args, bool must, const tpl_val **out)
{
    sprig_time t;
    const char *err = NULL;
    if (!time_parse(A, args[0]->str.s, args[0]->str.n, args[1]->str.s, args[1]->str.n, "Local", &t,
                    &err)) {
        if (must) return tpl_errorf(c, "%s", err);
        t = (sprig_time){.sec = -62135596800ll, .zone = "UTC", .loc = "UTC"};
    }
    *out = sprig_time_val(A, &t);
    return true;
}

TPL_FN(tpl_f_toDate)
{
    (void)nargs;
    return to_date(c, args, false, out);
}

TPL_FN(tpl_f_mustToDate)
{
    (void)nargs;
    return to_date(c, args, true, out);
}

TPL_FN(tpl_f_unixEpoch)
{
    (void)nargs;
    const sprig_time *t = need_time(c, args[0]);
    if (!t) return false;
    char s[32];
    snprintf(s, sizeof s, "%lld", (long long)t->sec);
    *out = tpl_cstr(A, s);
    return true;
}
