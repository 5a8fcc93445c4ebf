/* The string formats schema validation checks, each as lenient as the API server that enforces
 * it: quantities, RFC 3339 times and dates, base64, UUIDs, IP addresses and CIDRs. */
#include <ctype.h>
#include <string.h>

#include "validate/schema_int.h"

static size_t fmt_digits(const char *s, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && isdigit((unsigned char)s[j]))
        j++;
    return j - i;
}

/* Kubernetes resource quantities: [+-] digits[.digits] then a binary-SI suffix (Ki..Ei), a
 * decimal-SI suffix (n u m "" k M G T P E) or an exponent (e|E [+-] digits). */
bool sc_fmt_quantity(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    size_t a = fmt_digits(s, n, i);
    i += a;
    size_t b = 0;
    if (i < n && s[i] == '.') {
        i++;
        b = fmt_digits(s, n, i);
        i += b;
    }
    if (!a && !b) return false;
    const char *suf = s + i;
    size_t sn = n - i;
    static const char *const sufs[] = {"",  "n", "u",  "m",  "k",  "M",  "G",  "T",
                                       "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    for (size_t k = 0; k < sizeof sufs / sizeof *sufs; k++)
        if (strlen(sufs[k]) == sn && !memcmp(sufs[k], suf, sn)) return true;
    if (sn >= 2 && (suf[0] == 'e' || suf[0] == 'E')) {
        size_t j = 1;
        if (suf[j] == '+' || suf[j] == '-') j++;
        size_t d = fmt_digits(suf, sn, j);
        return d > 0 && j + d == sn;
    }
    return false;
}

static bool fmt_num(const char *s, size_t n, size_t i, size_t len, int lo, int hi)
{
    if (i + len > n || fmt_digits(s, n, i) < len) return false;
    int v = 0;
    for (size_t k = 0; k < len; k++)
        v = v * 10 + (s[i + k] - '0');
    return v >= lo && v <= hi;
}

static bool fmt_date_at(const char *s, size_t n)
{
    return n >= 10 && fmt_num(s, n, 0, 4, 0, 9999) && s[4] == '-' && fmt_num(s, n, 5, 2, 1, 12) &&
           s[7] == '-' && fmt_num(s, n, 8, 2, 1, 31);
}

bool sc_fmt_date(const char *s, size_t n)
{
    return n == 10 && fmt_date_at(s, n);
}

/* RFC 3339 date-time, also with a space or lowercase t/z, and an optional zone (as the
 * OpenAPI validators the API server uses accept). */
bool sc_fmt_datetime(const char *s, size_t n)
{
    if (!fmt_date_at(s, n) || n < 19) return false;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
    if (!fmt_num(s, n, 11, 2, 0, 23) || s[13] != ':' || !fmt_num(s, n, 14, 2, 0, 59) ||
        s[16] != ':' || !fmt_num(s, n, 17, 2, 0, 60))
        return false;
    size_t i = 19;
    if (i < n && (s[i] == '.' || s[i] == ',')) {
        size_t d = fmt_digits(s, n, i + 1);
        if (!d) return false;
        i += 1 + d;
    }
    if (i == n) return true;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) return true;
    if (s[i] != '+' && s[i] != '-') return false;
    i++;
    if (!fmt_num(s, n, i, 2, 0, 23)) return false;
    i += 2;
    if (i == n) return true;
    if (s[i] == ':') i++;
    return fmt_num(s, n, i, 2, 0, 59) && i + 2 == n;
}

/* Standard base64 with padding; CR and LF are skipped (Go's decoder does the same). */
bool sc_fmt_base64(const char *s, size_t n)
{
    size_t len = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n') continue;
        if (c == '=') {
            pad++;
        } else {
            if (pad || !(isalnum(c) || c == '+' || c == '/')) return false;
        }
        len++;
    }
    return len % 4 == 0 && pad <= 2;
}

bool sc_fmt_uuid(const char *s, size_t n)
{
    if (n != 36) return false;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i])) return false;
    }
    return true;
}

bool sc_fmt_ipv4(const char *s, size_t n)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part) {
            if (i >= n || s[i] != '.') return false;
            i++;
        }
        size_t d = fmt_digits(s, n, i);
        if (!d || d > 3 || (d > 1 && s[i] == '0')) return false;
        if (!fmt_num(s, n, i, d, 0, 255)) return false;
        i += d;
    }
    return i == n;
}

bool sc_fmt_ipv6(const char *s, size_t n)
{
    if (n < 2) return false;
    int groups = 0;
    bool gap = false;
    size_t i = 0;
    if (s[0] == ':') {
        if (s[1] != ':') return false;
        gap = true;
        i = 2;
        if (i == n) return true;
    }
    while (i < n) {
        size_t j = i;
        while (j < n && isxdigit((unsigned char)s[j]) && j - i < 5)
            j++;
        if (j < n && s[j] == '.') { /* trailing dotted IPv4 */
            if (!sc_fmt_ipv4(s + i, n - i)) return false;
            groups += 2;
            i = n;
            break;
        }
        if (j == i || j - i > 4) return false;
        groups++;
        i = j;
        if (i == n) break;
        if (s[i] != ':') return false;
        i++;
        if (i < n && s[i] == ':') {
            if (gap) return false;
            gap = true;
            i++;
            if (i == n) break;
        } else if (i == n) {
            return false;
        }
    }
    return gap ? groups < 8 : groups == 8;
}

bool sc_fmt_cidr(const char *s, size_t n)
{
    const char *slash = memchr(s, '/', n);
    if (!slash) return false;
    size_t an = (size_t)(slash - s), pn = n - an - 1;
    size_t d = fmt_digits(slash + 1, pn, 0);
    if (!d || d != pn || d > 3) return false;
    if (sc_fmt_ipv4(s, an)) return fmt_num(slash + 1, pn, 0, d, 0, 32);
    return sc_fmt_ipv6(s, an) && fmt_num(slash + 1, pn, 0, d, 0, 128);
}

const char *sc_fmt_name(sc_format f)
{
    static const char *const names[] = {"",         "int32", "int64", "date-time", "date", "byte",
                                        "quantity", "uuid",  "ipv4",  "ipv6",      "cidr"};
    return (size_t)f < sizeof names / sizeof *names ? names[f] : "";
}
