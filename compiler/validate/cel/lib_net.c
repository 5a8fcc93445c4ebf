/* The Kubernetes IP and CIDR libraries: Go netip parsing (strict dotted quads, RFC 4291 IPv6,
 * no zones, no IPv4-mapped IPv6), RFC 5952 printing, the address class predicates and prefix
 * containment, as k8s.io/apiserver's ip() and cidr() values. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "validate/cel/cel.h"
#include "validate/cel/cel_lib.h"

typedef struct net_addr {
    uint8_t b[16]; /* IPv4 in b[0..3] */
    bool v4;
} net_addr;

typedef struct net_prefix {
    net_addr a;
    int bits;
} net_prefix;

/* Go's parseIPv4Fields; *at (when the error names a place) points into s. */
static const char *parse_v4(const char *s, size_t n, uint8_t out[4], const char **at)
{
    int val = 0, pos = 0, dig = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (dig == 1 && val == 0) return "IPv4 field has octet with leading zero";
            val = val * 10 + (s[i] - '0');
            dig++;
            if (val > 255) return "IPv4 field has value >255";
        } else if (s[i] == '.') {
            if (i == 0 || i == n - 1 || s[i - 1] == '.') {
                *at = s + i;
                return "IPv4 field must have at least one digit";
            }
            if (pos == 3) return "IPv4 address too long";
            out[pos++] = (uint8_t)val;
            val = 0, dig = 0;
        } else {
            *at = s + i;
            return "unexpected character";
        }
    }
    if (pos < 3) return "IPv4 address too short";
    out[3] = (uint8_t)val;
    return NULL;
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Go's parseIPv6 (the zone already split off); *at as for parse_v4. */
static const char *parse_v6(const char *s, size_t n, uint8_t ip[16], const char **at)
{
    memset(ip, 0, 16);
    int ellipsis = -1;
    size_t p = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        ellipsis = 0;
        p = 2;
        if (p == n) return NULL;
    }
    int i = 0;
    while (i < 16) {
        size_t off = 0;
        uint32_t acc = 0;
        for (; p + off < n; off++) {
            int h = hexv(s[p + off]);
            if (h < 0) break;
            acc = (acc << 4) + (uint32_t)h;
            if (off > 3)
                return *at = s + p, "each colon-separated field must have at most 4 hex digits";
            if (acc > 0xFFFF) return *at = s + p, "IPv6 field has value >=2^16";
        }
        if (off == 0) return *at = s + p, "each colon-separated field must have at least one digit";
        if (p + off < n && s[p + off] == '.') {
            *at = s + p;
            if (ellipsis < 0 && i != 12)
                return "embedded IPv4 address must replace the final 2 fields of the address";
            if (i + 4 > 16)
                return "too many hex fields to fit an embedded IPv4 at the end of the address";
            *at = NULL;
            const char *err = parse_v4(s + p, n - p, ip + i, at);
            if (err) return err;
            i += 4;
            p = n;
            break;
        }
        ip[i] = (uint8_t)(acc >> 8);
        ip[i + 1] = (uint8_t)acc;
        i += 2;
        p += off;
        if (p == n) break;
        if (s[p] != ':') return *at = s + p, "unexpected character, want colon";
        if (p + 1 == n) return *at = s + p, "colon must be followed by more characters";
        p++;
        if (s[p] == ':') {
            if (ellipsis >= 0) return *at = s + p, "multiple :: in address";
            ellipsis = i;
            p++;
            if (p == n) break;
        }
    }
    if (p != n) return *at = s + p, "trailing garbage after address";
    if (i < 16) {
        if (ellipsis < 0) return "address string too short";
        int k = 16 - i;
        for (int j = i - 1; j >= ellipsis; j--)
            ip[j + k] = ip[j];
        memset(ip + ellipsis, 0, (size_t)k);
    } else if (ellipsis >= 0)
        return "the :: must expand to at least one field of zeros";
    return NULL;
}

/* Go's netip.ParseAddr; *zone says whether a zone was given. Returns an error text or NULL,
 * with at and at_n the rest of the input the error points at (Go's "(at ...)"), if any. */
static const char *parse_addr(const char *s, size_t n, net_addr *out, bool *zone, const char **at,
                              size_t *at_n)
{
    memset(out, 0, sizeof *out);
    *zone = false;
    *at = NULL;
    for (size_t i = 0; i < n; i++) {
        const char *err;
        size_t m = n;
        if (s[i] == '.') {
            out->v4 = true;
            err = parse_v4(s, n, out->b, at);
        } else if (s[i] == ':') {
            const char *pct = memchr(s, '%', n);
            if (pct) {
                m = (size_t)(pct - s);
                if (m + 1 == n) return "zone must be a non-empty string";
                *zone = true;
            }
            err = parse_v6(s, m, out->b, at);
        } else if (s[i] == '%')
            return "missing IPv6 address";
        else
            continue;
        if (*at) *at_n = (size_t)(s + m - *at);
        return err;
    }
    return "unable to parse IP";
}

/* Go's parseAddrError text: ParseAddr("in"): msg[ (at "rest")]. */
static const char *addr_error(arena *ar, const char *s, size_t n, const char *msg, const char *at,
                              size_t at_n)
{
    if (at)
        return ar_printf(ar, "ParseAddr(\"%.*s\"): %s (at \"%.*s\")", (int)n, s, msg, (int)at_n,
                         at);
    return ar_printf(ar, "ParseAddr(\"%.*s\"): %s", (int)n, s, msg);
}

static bool is_4in6(const net_addr *a)
{
    if (a->v4) return false;
    for (int i = 0; i < 10; i++)
        if (a->b[i]) return false;
    return a->b[10] == 0xff && a->b[11] == 0xff;
}

/* k8s parseIPAddr: the message of the error value, or NULL. */
static const char *k8s_parse_ip(arena *ar, const char *s, size_t n, net_addr *out)
{
    bool zone;
    const char *at;
    size_t at_n = 0;
    const char *err = parse_addr(s, n, out, &zone, &at, &at_n);
    if (err)
        return ar_printf(ar, "IP Address \"%s\" parse error during conversion from string: %s", s,
                         addr_error(ar, s, n, err, at, at_n));
    if (zone) return ar_printf(ar, "IP address \"%s\" with zone value is not allowed", s);
    if (is_4in6(out)) return ar_printf(ar, "IPv4-mapped IPv6 address \"%s\" is not allowed", s);
    return NULL;
}

static void addr_text(buf_t *b, const net_addr *a)
{
    if (a->v4) {
        buf_printf(b, "%u.%u.%u.%u", a->b[0], a->b[1], a->b[2], a->b[3]);
        return;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)a->b[2 * i] << 8 | a->b[2 * i + 1];
    int zs = -1, ze = -1, best = 0;
    for (int i = 0; i < 8; i++) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i >= 2 && j - i > best) zs = i, ze = j, best = j - i;
    }
    for (int i = 0; i < 8; i++) {
        if (i == zs) {
            buf_puts(b, "::");
            i = ze;
            if (i >= 8) break;
        } else if (i > 0)
            buf_putc(b, ':');
        buf_printf(b, "%x", g[i]);
    }
}

static void prefix_text(buf_t *b, const net_prefix *p)
{
    addr_text(b, &p->a);
    buf_printf(b, "/%d", p->bits);
}

static bool addr_eq(const net_addr *x, const net_addr *y)
{
    return x->v4 == y->v4 && memcmp(x->b, y->b, x->v4 ? 4 : 16) == 0;
}

static void quoted(buf_t *out, const char *fn, buf_t *t)
{
    buf_printf(out, "%s(\"%s\")", fn, buf_cstr(t));
    buf_free(t);
}

static void ip_print(buf_t *out, const cel_val *v)
{
    buf_t t = {0};
    addr_text(&t, v->opaque.p);
    quoted(out, "ip", &t);
}

static bool ip_equal(const cel_val *x, const cel_val *y)
{
    return addr_eq(x->opaque.p, y->opaque.p);
}

static void cidr_print(buf_t *out, const cel_val *v)
{
    buf_t t = {0};
    prefix_text(&t, v->opaque.p);
    quoted(out, "cidr", &t);
}

static bool cidr_equal(const cel_val *x, const cel_val *y)
{
    const net_prefix *a = x->opaque.p, *b = y->opaque.p;
    return a->bits == b->bits && addr_eq(&a->a, &b->a);
}

const cel_opaque_type cel_k8s_ip_type = {"net.IP", ip_equal, ip_print};
const cel_opaque_type cel_k8s_cidr_type = {"net.CIDR", cidr_equal, cidr_print};

static const net_addr *as_ip(const cel_val *v)
{
    return v->kind == CEL_OPAQUE && v->opaque.type == &cel_k8s_ip_type ? v->opaque.p : NULL;
}

static const net_prefix *as_cidr(const cel_val *v)
{
    return v->kind == CEL_OPAQUE && v->opaque.type == &cel_k8s_cidr_type ? v->opaque.p : NULL;
}

/* ---- ip ---- */

static const cel_val *make_ip(cel_env *e, const cel_val *s)
{
    arena *ar = cel_env_arena(e);
    net_addr *a = ar_alloc(ar, sizeof *a);
    const char *err = k8s_parse_ip(ar, s->str.s, s->str.n, a);
    if (err) return cel_errorf(e, "%s", err);
    return cel_opaque(e, &cel_k8s_ip_type, a);
}

/* ip(string), and cidr.ip(): the prefix's address. */
const cel_val *cel_k8s_ip(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n == 1 && a[0]->kind == CEL_STRING) return make_ip(e, a[0]);
    const net_prefix *p = n == 1 ? as_cidr(a[0]) : NULL;
    if (!p) return cel_no_overload(e, "ip", a, n);
    return cel_opaque(e, &cel_k8s_ip_type, &p->a);
}

const cel_val *cel_k8s_is_ip(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "isIP", a, n);
    net_addr t;
    return cel_bool(k8s_parse_ip(cel_env_arena(e), a[0]->str.s, a[0]->str.n, &t) == NULL);
}

const cel_val *cel_k8s_ip_is_canonical(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "ip.isCanonical", a, n);
    net_addr t;
    const char *err = k8s_parse_ip(cel_env_arena(e), a[0]->str.s, a[0]->str.n, &t);
    if (err) return cel_errorf(e, "%s", err);
    buf_t b = {0};
    addr_text(&b, &t);
    bool eq = b.len == a[0]->str.n && memcmp(b.data, a[0]->str.s, b.len) == 0;
    buf_free(&b);
    return cel_bool(eq);
}

const cel_val *cel_k8s_ip_family(cel_env *e, const cel_val *const *a, size_t n)
{
    const net_addr *ip = n == 1 ? as_ip(a[0]) : NULL;
    if (!ip) return cel_no_overload(e, "family", a, n);
    return cel_int(e, ip->v4 ? 4 : 6);
}

static bool ip_unspecified(const net_addr *ip)
{
    static const uint8_t z[16];
    return memcmp(ip->b, z, ip->v4 ? 4 : 16) == 0;
}

static bool ip_loopback(const net_addr *ip)
{
    static const uint8_t one[16] = {[15] = 1};
    return ip->v4 ? ip->b[0] == 127 : memcmp(ip->b, one, 16) == 0;
}

static bool ip_multicast(const net_addr *ip)
{
    return ip->v4 ? (ip->b[0] & 0xf0) == 0xe0 : ip->b[0] == 0xff;
}

static bool ip_ll_unicast(const net_addr *ip)
{
    return ip->v4 ? ip->b[0] == 169 && ip->b[1] == 254
                  : ip->b[0] == 0xfe && (ip->b[1] & 0xc0) == 0x80;
}

static bool ip_ll_multicast(const net_addr *ip)
{
    return ip->v4 ? ip->b[0] == 224 && ip->b[1] == 0 && ip->b[2] == 0
                  : ip->b[0] == 0xff && (ip->b[1] & 0x0f) == 0x02;
}

static bool ip_global_unicast(const net_addr *ip)
{
    if (ip->v4 && (ip_unspecified(ip) ||
                   (ip->b[0] == 255 && ip->b[1] == 255 && ip->b[2] == 255 && ip->b[3] == 255)))
        return false;
    return !ip_unspecified(ip) && !ip_loopback(ip) && !ip_multicast(ip) && !ip_ll_unicast(ip);
}

#define IP_PREDICATE(fn, name, test)                                                               \
    const cel_val *fn(cel_env *e, const cel_val *const *a, size_t n)                               \
    {                                                                                              \
        const net_addr *ip = n == 1 ? as_ip(a[0]) : NULL;                                          \
        if (!ip) return cel_no_overload(e, name, a, n);                                            \
        return cel_bool(test(ip));                                                                 \
    }

IP_PREDICATE(cel_k8s_ip_is_unspecified, "isUnspecified", ip_unspecified)
IP_PREDICATE(cel_k8s_ip_is_loopback, "isLoopback", ip_loopback)
IP_PREDICATE(cel_k8s_ip_is_link_local_multicast, "isLinkLocalMulticast", ip_ll_multicast)
IP_PREDICATE(cel_k8s_ip_is_link_local_unicast, "isLinkLocalUnicast", ip_ll_unicast)
IP_PREDICATE(cel_k8s_ip_is_global_unicast, "isGlobalUnicast", ip_global_unicast)

/* string(ip), string(cidr). */
const cel_val *cel_k8s_net_string(cel_env *e, const cel_val *const *a, size_t n)
{
    const net_addr *ip = n == 1 ? as_ip(a[0]) : NULL;
    const net_prefix *p = n == 1 ? as_cidr(a[0]) : NULL;
    if (!ip && !p) return cel_no_overload(e, "string", a, n);
    buf_t b = {0};
    if (ip)
        addr_text(&b, ip);
    else
        prefix_text(&b, p);
    const cel_val *v = cel_string(e, buf_cstr(&b), b.len);
    buf_free(&b);
    return v;
}

/* ---- cidr ---- */

/* Go's netip.ParsePrefix plus k8s's 4in6 check; error text or NULL. */
static const char *k8s_parse_cidr(arena *ar, const char *s, size_t n, net_prefix *out)
{
    const char *why = NULL;
    size_t slash = n;
    for (size_t i = n; i-- > 0;)
        if (s[i] == '/') {
            slash = i;
            break;
        }
    bool zone = false;
    if (slash == n)
        why = ar_printf(ar, "netip.ParsePrefix(\"%s\"): no '/'", s);
    else {
        const char *at;
        size_t at_n = 0;
        const char *err = parse_addr(s, slash, &out->a, &zone, &at, &at_n);
        if (err)
            why = ar_printf(ar, "netip.ParsePrefix(\"%s\"): %s", s,
                            addr_error(ar, s, slash, err, at, at_n));
        else if (zone)
            why = ar_printf(ar,
                            "netip.ParsePrefix(\"%s\"): IPv6 zones cannot be present in a "
                            "prefix",
                            s);
        else {
            const char *bs = s + slash + 1;
            size_t bn = n - slash - 1;
            int bits = 0;
            bool ok = bn > 0 && !(bn > 1 && (bs[0] < '1' || bs[0] > '9'));
            for (size_t i = 0; ok && i < bn; i++) {
                if (bs[i] < '0' || bs[i] > '9')
                    ok = false;
                else if (bits < 1000)
                    bits = bits * 10 + (bs[i] - '0');
            }
            if (!ok)
                why = ar_printf(ar, "netip.ParsePrefix(\"%s\"): bad bits after slash: \"%.*s\"", s,
                                (int)bn, bs);
            else if (bits > (out->a.v4 ? 32 : 128))
                why = ar_printf(ar, "netip.ParsePrefix(\"%s\"): prefix length out of range", s);
            out->bits = bits;
        }
    }
    if (why)
        return ar_printf(ar, "network address parse error during conversion from string: %s", why);
    if (is_4in6(&out->a)) return ar_printf(ar, "IPv4-mapped IPv6 address \"%s\" is not allowed", s);
    return NULL;
}

static const cel_val *make_cidr(cel_env *e, const cel_val *s, const net_prefix **out)
{
    arena *ar = cel_env_arena(e);
    net_prefix *p = ar_alloc(ar, sizeof *p);
    const char *err = k8s_parse_cidr(ar, s->str.s, s->str.n, p);
    if (err)
        return cel_errorf(e, "network address parse error during conversion from string: %s", err);
    *out = p;
    return cel_opaque(e, &cel_k8s_cidr_type, p);
}

const cel_val *cel_k8s_cidr(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "cidr", a, n);
    const net_prefix *p;
    return make_cidr(e, a[0], &p);
}

const cel_val *cel_k8s_is_cidr(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "isCIDR", a, n);
    net_prefix t;
    return cel_bool(k8s_parse_cidr(cel_env_arena(e), a[0]->str.s, a[0]->str.n, &t) == NULL);
}

/* Whether the first `bits` bits of two same-family addresses agree. */
static bool same_prefix(const net_addr *x, const net_addr *y, int bits)
{
    if (x->v4 != y->v4) return false;
    int full = bits / 8, rest = bits % 8;
    if (memcmp(x->b, y->b, (size_t)full) != 0) return false;
    if (!rest) return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (x->b[full] & mask) == (y->b[full] & mask);
}

const cel_val *cel_k8s_cidr_contains_ip(cel_env *e, const cel_val *const *a, size_t n)
{
    const net_prefix *p = n == 2 ? as_cidr(a[0]) : NULL;
    if (!p) return cel_no_overload(e, "containsIP", a, n);
    const net_addr *ip = as_ip(a[1]);
    if (!ip && a[1]->kind == CEL_STRING) {
        const cel_val *v = make_ip(e, a[1]);
        if (v->kind == CEL_ERROR) return v;
        ip = v->opaque.p;
    }
    if (!ip) return cel_no_overload(e, "containsIP", a, n);
    return cel_bool(same_prefix(&p->a, ip, p->bits));
}

const cel_val *cel_k8s_cidr_contains_cidr(cel_env *e, const cel_val *const *a, size_t n)
{
    const net_prefix *p = n == 2 ? as_cidr(a[0]) : NULL;
    if (!p) return cel_no_overload(e, "containsCIDR", a, n);
    const net_prefix *o = as_cidr(a[1]);
    if (!o && a[1]->kind == CEL_STRING) {
        const cel_val *v = make_cidr(e, a[1], &o);
        if (v->kind == CEL_ERROR) return v;
    }
    if (!o) return cel_no_overload(e, "containsCIDR", a, n);
    return cel_bool(p->bits <= o->bits && same_prefix(&p->a, &o->a, p->bits));
}

const cel_val *cel_k8s_cidr_prefix_length(cel_env *e, const cel_val *const *a, size_t n)
{
    const net_prefix *p = n == 1 ? as_cidr(a[0]) : NULL;
    if (!p) return cel_no_overload(e, "prefixLength", a, n);
    return cel_int(e, p->bits);
}

const cel_val *cel_k8s_cidr_masked(cel_env *e, const cel_val *const *a, size_t n)
{
    const net_prefix *p = n == 1 ? as_cidr(a[0]) : NULL;
    if (!p) return cel_no_overload(e, "masked", a, n);
    net_prefix *m = ar_alloc(cel_env_arena(e), sizeof *m);
    *m = *p;
    int len = m->a.v4 ? 4 : 16;
    for (int i = 0; i < len; i++) {
        int keep = p->bits - i * 8;
        if (keep >= 8) continue;
        m->a.b[i] &= keep <= 0 ? 0 : (uint8_t)(0xff << (8 - keep));
    }
    return cel_opaque(e, &cel_k8s_cidr_type, m);
}
