/* CEL timestamps and durations: RFC 3339 and Go-style duration text in both directions, range
 * checks, and civil time in a fixed offset or an IANA zone read from the system's TZif files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/cel/cel_int.h"

#define NS 1000000000LL

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int64_t y, int m)
{
    static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : md[m - 1];
}

static bool digits(const char *s, size_t n, size_t at, int count, int *out)
{
    if (at + (size_t)count > n) return false;
    int v = 0;
    for (int i = 0; i < count; i++) {
        char c = s[at + i];
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

bool cel_ts_parse(const char *s, size_t n, int64_t *sec, int32_t *nsec)
{
    int y, mo, d, h, mi, se;
    if (!digits(s, n, 0, 4, &y) || n < 19 || s[4] != '-' || !digits(s, n, 5, 2, &mo) ||
        s[7] != '-' || !digits(s, n, 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s, n, 11, 2, &h) || s[13] != ':' || !digits(s, n, 14, 2, &mi) || s[16] != ':' ||
        !digits(s, n, 17, 2, &se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || se > 59)
        return false;
    size_t i = 19;
    int32_t ns = 0;
    if (i < n && s[i] == '.') {
        i++;
        int nd = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (nd < 9) ns = ns * 10 + (s[i] - '0');
            nd++;
            i++;
        }
        if (!nd) return false;
        for (; nd < 9; nd++)
            ns *= 10;
    }
    int64_t off = 0;
    if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int oh, om;
        if (!digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
            !digits(s, n, i + 4, 2, &om) || oh > 23 || om > 59)
            return false;
        off = (oh * 60 + om) * 60;
        if (s[i] == '-') off = -off;
        i += 6;
    } else {
        return false;
    }
    if (i != n) return false;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    if (t < CEL_TS_MIN || t > CEL_TS_MAX) return false;
    *sec = t;
    *nsec = ns;
    return true;
}

static void put_frac(buf_t *out, int32_t ns)
{
    if (!ns) return;
    char f[16];
    snprintf(f, sizeof f, "%09d", (int)ns);
    int k = 9;
    while (k > 0 && f[k - 1] == '0')
        k--;
    f[k] = 0;
    buf_printf(out, ".%s", f);
}

void cel_ts_format(buf_t *out, int64_t sec, int32_t nsec)
{
    int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
    int64_t rem = sec - days * 86400;
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    buf_printf(out, "%04lld-%02d-%02dT%02d:%02d:%02d", (long long)y, m, d, (int)(rem / 3600),
               (int)(rem / 60 % 60), (int)(rem % 60));
    put_frac(out, nsec);
    buf_putc(out, 'Z');
}

bool cel_dur_parse(const char *s, size_t n, int64_t *sec, int32_t *nsec)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == n) return false;
    cel_i128 total = 0;
    if (n - i == 1 && s[i] == '0') {
        *sec = 0;
        *nsec = 0;
        return true;
    }
    while (i < n) {
        cel_i128 whole = 0, frac = 0, scale = 1;
        size_t st = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            whole = whole * 10 + (s[i++] - '0');
            if (whole > (cel_i128)1 << 100) return false;
        }
        bool any = i > st;
        if (i < n && s[i] == '.') {
            i++;
            size_t fs = i;
            while (i < n && s[i] >= '0' && s[i] <= '9') {
                if (scale < (cel_i128)1000000000000000000LL) {
                    frac = frac * 10 + (s[i] - '0');
                    scale *= 10;
                }
                i++;
            }
            any = any || i > fs;
        }
        if (!any) return false;
        int64_t unit;
        if (i + 2 <= n && !memcmp(s + i, "ns", 2))
            unit = 1, i += 2;
        else if (i + 2 <= n && !memcmp(s + i, "us", 2))
            unit = 1000, i += 2;
        else if (i + 3 <= n && (!memcmp(s + i, "\xc2\xb5s", 3) || !memcmp(s + i, "\xce\xbcs", 3)))
            unit = 1000, i += 3;
        else if (i + 2 <= n && !memcmp(s + i, "ms", 2))
            unit = 1000000, i += 2;
        else if (i < n && s[i] == 's')
            unit = NS, i++;
        else if (i < n && s[i] == 'm')
            unit = 60 * NS, i++;
        else if (i < n && s[i] == 'h')
            unit = 3600 * NS, i++;
        else
            return false;
        total += whole * unit + frac * unit / scale;
        if (total > (cel_i128)CEL_DUR_MAX * NS * 2) return false;
    }
    if (neg) total = -total;
    if (total > (cel_i128)CEL_DUR_MAX * NS || total < -(cel_i128)CEL_DUR_MAX * NS) return false;
    *sec = (int64_t)(total / NS);
    *nsec = (int32_t)(total % NS);
    return true;
}

void cel_dur_format(buf_t *out, int64_t sec, int32_t nsec)
{
    if (sec < 0 || nsec < 0) buf_putc(out, '-');
    buf_printf(out, "%llu", (unsigned long long)(sec < 0 ? -(uint64_t)sec : (uint64_t)sec));
    put_frac(out, nsec < 0 ? -nsec : nsec);
    buf_putc(out, 's');
}

const cel_val *cel_ts_from_ns(cel_env *e, cel_i128 ns)
{
    cel_i128 s = ns / NS, r = ns % NS;
    if (r < 0) r += NS, s--;
    if (s < CEL_TS_MIN || s > CEL_TS_MAX) return cel_errorf(e, "timestamp out of range");
    return cel_timestamp(e, (int64_t)s, (int32_t)r);
}

const cel_val *cel_dur_from_ns(cel_env *e, cel_i128 ns)
{
    if (ns > (cel_i128)CEL_DUR_MAX * NS || ns < -(cel_i128)CEL_DUR_MAX * NS)
        return cel_errorf(e, "duration out of range");
    return cel_duration(e, (int64_t)(ns / NS), (int32_t)(ns % NS));
}

/* ---- time zones ---- */

struct cel_tz {
    cel_tz *next;
    const char *name;
    bool ok;
    int64_t *trans; /* transition times (UTC seconds), ascending */
    int32_t *offs;  /* UTC offset in effect from trans[i] on */
    size_t n;
    int32_t before; /* offset before the first transition */
    /* the footer's POSIX TZ rule, for instants after the last transition */
    bool rule;
    int32_t std_off, dst_off; /* seconds east of UTC */
    bool has_dst;
    struct tz_date {
        char kind; /* 'J' (1..365, no Feb 29), 'D' (0..365), 'M' (month.week.day) */
        int a, b, c;
        int32_t time; /* seconds after local midnight */
    } start, end;
};

/* POSIX TZ pieces: a zone name, an offset [+-]hh[:mm[:ss]], a date rule with its time. */
static const char *tz_name(const char *s)
{
    if (*s == '<') {
        while (*s && *s != '>')
            s++;
        return *s ? s + 1 : NULL;
    }
    const char *st = s;
    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
        s++;
    return s - st >= 3 ? s : NULL;
}

static const char *tz_hms(const char *s, int32_t *out)
{
    int sign = 1;
    if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
    int32_t v = 0, part = 0;
    for (int k = 0; k < 3; k++) {
        if (*s < '0' || *s > '9') return k ? s : NULL;
        part = 0;
        while (*s >= '0' && *s <= '9')
            part = part * 10 + (*s++ - '0');
        v += part * (k == 0 ? 3600 : k == 1 ? 60 : 1);
        if (*s != ':' || k == 2) break;
        s++;
    }
    *out = sign * v;
    return s;
}

static const char *tz_rule_date(const char *s, struct tz_date *d)
{
    d->time = 7200;
    if (*s == 'M') {
        d->kind = 'M';
        if (sscanf(s + 1, "%d.%d.%d", &d->a, &d->b, &d->c) != 3) return NULL;
        s++;
        while ((*s >= '0' && *s <= '9') || *s == '.')
            s++;
        if (d->a < 1 || d->a > 12 || d->b < 1 || d->b > 5 || d->c < 0 || d->c > 6) return NULL;
    } else {
        d->kind = *s == 'J' ? 'J' : 'D';
        if (*s == 'J') s++;
        if (*s < '0' || *s > '9') return NULL;
        d->a = 0;
        while (*s >= '0' && *s <= '9')
            d->a = d->a * 10 + (*s++ - '0');
        if (d->a > 365) return NULL;
    }
    if (*s == '/' && !(s = tz_hms(s + 1, &d->time))) return NULL;
    return s;
}

static void tz_footer(cel_tz *z, const char *s)
{
    int32_t o;
    if (!(s = tz_name(s)) || !(s = tz_hms(s, &o))) return;
    z->std_off = -o;
    z->dst_off = z->std_off + 3600;
    if (*s && *s != '\n') {
        if (!(s = tz_name(s))) return;
        if (*s && *s != ',' && *s != '\n') {
            if (!(s = tz_hms(s, &o))) return;
            z->dst_off = -o;
        }
        if (*s != ',' || !(s = tz_rule_date(s + 1, &z->start)) || *s != ',' ||
            !(s = tz_rule_date(s + 1, &z->end)))
            return;
        z->has_dst = true;
    }
    z->rule = true;
}

/* Local midnight (as seconds since the epoch, in local time) of a rule's day in year y. */
static int64_t tz_day(int64_t y, const struct tz_date *d)
{
    int64_t days;
    if (d->kind == 'J') {
        days = days_from_civil(y, 1, 1) + d->a - 1 + (leap(y) && d->a >= 60);
    } else if (d->kind == 'D') {
        days = days_from_civil(y, 1, 1) + d->a;
    } else {
        int64_t first = days_from_civil(y, d->a, 1);
        int wday1 = (int)(((first % 7) + 11) % 7);
        int mday = 1 + (d->c - wday1 + 7) % 7 + 7 * (d->b - 1);
        while (mday > month_days(y, d->a))
            mday -= 7;
        days = first + mday - 1;
    }
    return days * 86400;
}

static int32_t tz_rule_offset(const cel_tz *z, int64_t sec)
{
    if (!z->has_dst) return z->std_off;
    int64_t t = sec + z->std_off;
    int64_t y;
    int m, d;
    civil_from_days(t >= 0 ? t / 86400 : -((-t + 86399) / 86400), &y, &m, &d);
    int64_t start = tz_day(y, &z->start) + z->start.time - z->std_off;
    int64_t end = tz_day(y, &z->end) + z->end.time - z->dst_off;
    bool dst = start < end ? (sec >= start && sec < end) : !(sec >= end && sec < start);
    return dst ? z->dst_off : z->std_off;
}

static int64_t be(const unsigned char *p, int w)
{
    uint64_t v = 0;
    for (int i = 0; i < w; i++)
        v = v << 8 | p[i];
    if (w == 4) return (int32_t)(uint32_t)v;
    return (int64_t)v;
}

/* Reads a TZif file (version 1 or the 64-bit block of versions 2+). */
static bool tz_read(cel_env *e, cel_tz *z, const char *name)
{
    if (!*name || name[0] == '/' || strstr(name, "..")) return false;
    for (const char *c = name; *c; c++)
        if (!(*c == '/' || *c == '_' || *c == '-' || *c == '+' || (*c >= '0' && *c <= '9') ||
              (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')))
            return false;
    char *path = ar_printf(e->a, "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    buf_t b = {0};
    char tmp[4096];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0 && b.len < (1u << 22))
        buf_put(&b, tmp, got);
    fclose(f);
    const unsigned char *p = (const unsigned char *)b.data;
    size_t len = b.len;
    bool ok = false;
    if (len < 44 || memcmp(p, "TZif", 4)) goto done;
    int w = 4;
    size_t at = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (at + 44 > len || memcmp(p + at, "TZif", 4)) goto done;
        const unsigned char *h = p + at + 20;
        size_t isut = (size_t)be(h, 4), isstd = (size_t)be(h + 4, 4), leapc = (size_t)be(h + 8, 4);
        size_t timec = (size_t)be(h + 12, 4), typec = (size_t)be(h + 16, 4),
               charc = (size_t)be(h + 20, 4);
        size_t body =
            timec * (size_t)w + timec + typec * 6 + charc + leapc * (size_t)(w + 4) + isstd + isut;
        if (timec > 100000 || typec > 256 || typec == 0 || at + 44 + body > len) goto done;
        if (pass == 0 && p[at + 4] >= '2') {
            at += 44 + body;
            w = 8;
            continue;
        }
        const unsigned char *tt = p + at + 44, *ti = tt + timec * (size_t)w, *types = ti + timec;
        z->trans = ar_alloc(e->a, (timec + 1) * sizeof *z->trans);
        z->offs = ar_alloc(e->a, (timec + 1) * sizeof *z->offs);
        for (size_t i = 0; i < timec; i++) {
            size_t k = ti[i];
            if (k >= typec) goto done;
            z->trans[i] = be(tt + i * (size_t)w, w);
            z->offs[i] = (int32_t)be(types + k * 6, 4);
        }
        z->n = timec;
        z->before = (int32_t)be(types, 4);
        for (size_t k = 0; k < typec; k++)
            if (!types[k * 6 + 4]) {
                z->before = (int32_t)be(types + k * 6, 4);
                break;
            }
        if (w == 8) { /* the footer: "\nTZ\n" */
            size_t foot = at + 44 + body;
            if (foot < len && p[foot] == '\n') {
                char *tzs = ar_strndup(e->a, (const char *)p + foot + 1, len - foot - 1);
                tz_footer(z, tzs);
            }
        }
        ok = true;
        break;
    }
done:
    buf_free(&b);
    return ok;
}

static bool tz_offset(cel_env *e, const char *tz, int64_t sec, int64_t *off)
{
    /* fixed offsets: [+-]HH:MM */
    const char *s = tz;
    int sign = 1;
    if (*s == '+' || *s == '-') sign = *s++ == '-' ? -1 : 1;
    int h, m;
    if (strlen(s) == 5 && digits(s, 5, 0, 2, &h) && s[2] == ':' && digits(s, 5, 3, 2, &m)) {
        *off = sign * (h * 3600 + m * 60);
        return true;
    }
    if (!*tz || !strcmp(tz, "UTC") || !strcmp(tz, "Z")) {
        *off = 0;
        return true;
    }
    cel_tz *z;
    for (z = e->tzs; z; z = z->next)
        if (!strcmp(z->name, tz)) break;
    if (!z) {
        z = ar_alloc(e->a, sizeof *z);
        z->name = ar_strdup(e->a, tz);
        z->ok = tz_read(e, z, tz);
        z->next = e->tzs;
        e->tzs = z;
    }
    if (!z->ok) return false;
    size_t lo = 0, hi = z->n; /* first transition after sec */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (z->trans[mid] <= sec)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (z->rule && lo == z->n && (z->n == 0 || sec >= z->trans[z->n - 1]))
        *off = tz_rule_offset(z, sec);
    else
        *off = lo ? z->offs[lo - 1] : z->before;
    return true;
}

bool cel_ts_civil(cel_env *e, int64_t sec, int32_t nsec, const char *tz, cel_civil *out)
{
    int64_t off;
    if (!tz_offset(e, tz ? tz : "", sec, &off)) return false;
    int64_t t = sec + off;
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    civil_from_days(days, &out->year, &out->month, &out->day);
    out->hour = (int)(rem / 3600);
    out->min = (int)(rem / 60 % 60);
    out->sec = (int)(rem % 60);
    out->nsec = nsec;
    out->wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    out->yday = (int)(days - days_from_civil(out->year, 1, 1));
    return true;
}
