/* The Kubernetes format library: named formats (format.dns1123Label(), format.named("uuid")...)
 * and fmt.validate(s), which gives optional.none() for a valid string or the list of
 * apimachinery's validation messages. */
#include <stdlib.h>
#include <string.h>

#include "validate/cel/cel_int.h"
#include "validate/cel/cel_lib.h"

typedef struct msgs {
    const char *m[4];
    size_t n;
} msgs;

static void add(msgs *o, const char *m)
{
    if (o->n < 4) o->m[o->n++] = m;
}

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool alnum(char c)
{
    return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])?, or with first_alpha [a-z]([-a-z0-9]*[a-z0-9])? */
static bool dns_label_ok(const char *s, size_t n, bool first_alpha)
{
    if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1])) return false;
    if (first_alpha && !(s[0] >= 'a' && s[0] <= 'z')) return false;
    for (size_t i = 0; i < n; i++)
        if (!lower_alnum(s[i]) && s[i] != '-') return false;
    return true;
}

static bool dns_subdomain_ok(const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || s[i] == '.') {
            if (!dns_label_ok(s + start, i - start, false)) return false;
            start = i + 1;
        }
    return true;
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] */
static bool label_key_ok(const char *s, size_t n)
{
    if (n == 0 || !alnum(s[0]) || !alnum(s[n - 1])) return false;
    for (size_t i = 0; i < n; i++)
        if (!alnum(s[i]) && !strchr("-_.", s[i])) return false;
    return true;
}

#define L1123 "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define LKEY "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
#define SUBDOMAIN_MSG                                                                              \
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "   \
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "  \
    "for validation is '" L1123 "(\\." L1123 ")*')"
#define LKEY_MSG                                                                                   \
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "    \
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "         \
    "validation is '" LKEY "')"

static void v_dns1123_label(const char *s, size_t n, msgs *o)
{
    if (n > 63) add(o, "must be no more than 63 characters");
    if (!dns_label_ok(s, n, false)) {
        if (dns_subdomain_ok(s, n))
            add(o, "must not contain dots");
        else
            add(o, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                   "or '-', and must start and end with an alphanumeric character (e.g. 'my-name', "
                   " or '123-abc', regex used for validation is '" L1123 "')");
    }
}

static void v_dns1123_subdomain(const char *s, size_t n, msgs *o)
{
    if (n > 253) add(o, "must be no more than 253 characters");
    if (!dns_subdomain_ok(s, n)) add(o, SUBDOMAIN_MSG);
}

static void v_dns1035_label(const char *s, size_t n, msgs *o)
{
    if (n > 63) add(o, "must be no more than 63 characters");
    if (!dns_label_ok(s, n, true))
        add(o, "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
               "with an alphabetic character, and end with an alphanumeric character (e.g. "
               "'my-name',  or 'abc-123', regex used for validation is "
               "'[a-z]([-a-z0-9]*[a-z0-9])?')");
}

static void v_qualified_name(const char *s, size_t n, msgs *o)
{
    const char *slash = memchr(s, '/', n);
    const char *name = s;
    size_t nn = n;
    if (slash) {
        if (memchr(slash + 1, '/', n - (size_t)(slash - s) - 1)) {
            add(o, "a valid label key " LKEY_MSG " with an optional DNS subdomain prefix and '/' "
                   "(e.g. 'example.com/MyName')");
            return;
        }
        size_t pn = (size_t)(slash - s);
        if (pn == 0)
            add(o, "prefix part must be non-empty");
        else {
            if (pn > 253) add(o, "prefix part must be no more than 253 bytes");
            if (!dns_subdomain_ok(s, pn)) add(o, "prefix part " SUBDOMAIN_MSG);
        }
        name = slash + 1;
        nn = n - pn - 1;
    }
    if (nn == 0)
        add(o, "name part must be non-empty");
    else if (nn > 63)
        add(o, "name part must be no more than 63 bytes");
    if (!label_key_ok(name, nn)) add(o, "name part " LKEY_MSG);
}

static void v_label_value(const char *s, size_t n, msgs *o)
{
    if (n > 63) add(o, "must be no more than 63 bytes");
    if (n && !label_key_ok(s, n))
        add(o, "a valid label must be an empty string or consist of alphanumeric characters, '-', "
               "'_' or '.', and must start and end with an alphanumeric character (e.g. "
               "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
               "'(" LKEY ")?')");
}

/* Go's maskTrailingDash: "abc-" validates as "aba" would (a prefix for generateName). */
static void masked_then(void (*v)(const char *, size_t, msgs *), const char *s, size_t n, msgs *o)
{
    if (n > 1 && s[n - 1] == '-') {
        char *t = util_xmalloc(n);
        memcpy(t, s, n - 2);
        t[n - 2] = 'a';
        v(t, n - 1, o);
        free(t);
        return;
    }
    v(s, n, o);
}

static void v_dns1123_label_prefix(const char *s, size_t n, msgs *o)
{
    masked_then(v_dns1123_label, s, n, o);
}

static void v_dns1123_subdomain_prefix(const char *s, size_t n, msgs *o)
{
    masked_then(v_dns1123_subdomain, s, n, o);
}

static void v_dns1035_label_prefix(const char *s, size_t n, msgs *o)
{
    masked_then(v_dns1035_label, s, n, o);
}

static void v_uri(const char *s, size_t n, msgs *o)
{
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, 0);
    const cel_val *arg = cel_string(e, s, n);
    const cel_val *r = cel_k8s_is_url(e, &arg, 1);
    if (r->kind != CEL_BOOL || !r->b) add(o, "invalid URI");
    ar_free(&a);
}

static bool hexc(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static void v_uuid(const char *s, size_t n, msgs *o)
{
    bool ok = n == 32 || n == 36;
    for (size_t i = 0; ok && i < n; i++) {
        bool dash = n == 36 && (i == 8 || i == 13 || i == 18 || i == 23);
        ok = dash ? s[i] == '-' : hexc(s[i]);
    }
    if (!ok) add(o, "does not match the UUID format");
}

static void v_byte(const char *s, size_t n, msgs *o)
{
    bool ok = n % 4 == 0;
    for (size_t i = 0; ok && i < n; i++) {
        char c = s[i];
        bool b64 = alnum(c) || c == '+' || c == '/';
        if (c == '=')
            ok = i >= n - 2 && (i == n - 1 || s[n - 1] == '=');
        else
            ok = b64;
    }
    if (!ok) add(o, "invalid base64");
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static bool date_ok(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
        !digits(s + 8, 2))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

static void v_date(const char *s, size_t n, msgs *o)
{
    if (!date_ok(s, n)) add(o, "invalid date");
}

static void v_datetime(const char *s, size_t n, msgs *o)
{
    int64_t sec;
    int32_t nsec;
    if (n < 10 || !date_ok(s, 10) || !cel_ts_parse(s, n, &sec, &nsec)) add(o, "invalid datetime");
}

typedef struct named_format {
    const char *key, *name;
    void (*validate)(const char *s, size_t n, msgs *o);
} named_format;

static const named_format formats[] = {
    {"dns1123Label", "DNS1123Label", v_dns1123_label},
    {"dns1123Subdomain", "DNS1123Subdomain", v_dns1123_subdomain},
    {"dns1035Label", "DNS1035Label", v_dns1035_label},
    {"qualifiedName", "QualifiedName", v_qualified_name},
    {"dns1123LabelPrefix", "DNS1123LabelPrefix", v_dns1123_label_prefix},
    {"dns1123SubdomainPrefix", "DNS1123SubdomainPrefix", v_dns1123_subdomain_prefix},
    {"dns1035LabelPrefix", "DNS1035LabelPrefix", v_dns1035_label_prefix},
    {"labelValue", "LabelValue", v_label_value},
    {"uri", "URI", v_uri},
    {"uuid", "uuid", v_uuid},
    {"byte", "byte", v_byte},
    {"date", "date", v_date},
    {"datetime", "datetime", v_datetime},
};

static void format_print(buf_t *out, const cel_val *v)
{
    const named_format *f = v->opaque.p;
    buf_printf(out, "format.%s()", f->key);
}

static bool format_equal(const cel_val *a, const cel_val *b)
{
    const named_format *x = a->opaque.p, *y = b->opaque.p;
    return !strcmp(x->name, y->name);
}

const cel_opaque_type cel_k8s_format_type = {"kubernetes.NamedFormat", format_equal, format_print};

static const cel_val *constant(cel_env *e, size_t i)
{
    return cel_opaque(e, &cel_k8s_format_type, &formats[i]);
}

#define FORMAT_CONSTANT(fn, i, nm)                                                                 \
    const cel_val *fn(cel_env *e, const cel_val *const *a, size_t n)                               \
    {                                                                                              \
        if (n != 0) return cel_no_overload(e, nm, a, n);                                           \
        return constant(e, i);                                                                     \
    }

FORMAT_CONSTANT(cel_k8s_format_dns1123_label, 0, "format.dns1123Label")
FORMAT_CONSTANT(cel_k8s_format_dns1123_subdomain, 1, "format.dns1123Subdomain")
FORMAT_CONSTANT(cel_k8s_format_dns1035_label, 2, "format.dns1035Label")
FORMAT_CONSTANT(cel_k8s_format_qualified_name, 3, "format.qualifiedName")
FORMAT_CONSTANT(cel_k8s_format_dns1123_label_prefix, 4, "format.dns1123LabelPrefix")
FORMAT_CONSTANT(cel_k8s_format_dns1123_subdomain_prefix, 5, "format.dns1123SubdomainPrefix")
FORMAT_CONSTANT(cel_k8s_format_dns1035_label_prefix, 6, "format.dns1035LabelPrefix")
FORMAT_CONSTANT(cel_k8s_format_label_value, 7, "format.labelValue")
FORMAT_CONSTANT(cel_k8s_format_uri, 8, "format.uri")
FORMAT_CONSTANT(cel_k8s_format_uuid, 9, "format.uuid")
FORMAT_CONSTANT(cel_k8s_format_byte, 10, "format.byte")
FORMAT_CONSTANT(cel_k8s_format_date, 11, "format.date")
FORMAT_CONSTANT(cel_k8s_format_datetime, 12, "format.datetime")

const cel_val *cel_k8s_format_named(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 1 || a[0]->kind != CEL_STRING) return cel_no_overload(e, "format.named", a, n);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strlen(formats[i].key) == a[0]->str.n &&
            !memcmp(formats[i].key, a[0]->str.s, a[0]->str.n))
            return cel_optional(e, constant(e, i));
    return cel_optional(e, NULL);
}

const cel_val *cel_k8s_format_validate(cel_env *e, const cel_val *const *a, size_t n)
{
    if (n != 2 || a[0]->kind != CEL_OPAQUE || a[0]->opaque.type != &cel_k8s_format_type ||
        a[1]->kind != CEL_STRING)
        return cel_no_overload(e, "validate", a, n);
    const named_format *f = a[0]->opaque.p;
    msgs o = {{0}, 0};
    f->validate(a[1]->str.s, a[1]->str.n, &o);
    if (o.n == 0) return cel_optional(e, NULL);
    cel_val **items = ar_alloc(cel_env_arena(e), o.n * sizeof *items);
    for (size_t i = 0; i < o.n; i++)
        items[i] = cel_string(e, o.m[i], strlen(o.m[i]));
    return cel_optional(e, cel_list(e, items, o.n));
}
