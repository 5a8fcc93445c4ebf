/* CEL values: constructors, equality and ordering, map lookup, type names, conversion from the
 * IR, and the two printed forms (CEL value syntax and run-cel.sh's typed JSON). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "validate/cel/cel_int.h"

/* ---- environment ---- */

cel_env *cel_env_new(arena *a, uint64_t cost_limit)
{
    cel_env *e = ar_alloc(a, sizeof *e);
    e->a = a;
    e->cost_limit = cost_limit;
    e->container = "";
    return e;
}

arena *cel_env_arena(cel_env *e)
{
    return e->a;
}

void cel_env_set_container(cel_env *e, const char *container)
{
    e->container = container ? ar_strdup(e->a, container) : "";
}

void cel_env_set_macros(cel_env *e, bool on)
{
    e->no_macros = !on;
}

/* ---- constructors ---- */

static const cel_val val_null = {.kind = CEL_NULL};
static const cel_val val_true = {.kind = CEL_BOOL, .b = true};
static const cel_val val_false = {.kind = CEL_BOOL, .b = false};

const cel_val *cel_null(void)
{
    return &val_null;
}
const cel_val *cel_bool(bool b)
{
    return b ? &val_true : &val_false;
}

cel_val *cel_val_new(cel_env *e, cel_kind k)
{
    cel_val *v = ar_alloc(e->a, sizeof *v);
    v->kind = (uint8_t)k;
    return v;
}

cel_val *cel_int(cel_env *e, int64_t i)
{
    cel_val *v = cel_val_new(e, CEL_INT);
    v->i = i;
    return v;
}

cel_val *cel_uint(cel_env *e, uint64_t u)
{
    cel_val *v = cel_val_new(e, CEL_UINT);
    v->u = u;
    return v;
}

cel_val *cel_double(cel_env *e, double d)
{
    cel_val *v = cel_val_new(e, CEL_DOUBLE);
    v->d = d;
    return v;
}

static cel_val *str_val(cel_env *e, cel_kind k, const char *s, size_t n)
{
    cel_val *v = cel_val_new(e, k);
    v->str.s = ar_strndup(e->a, s ? s : "", n);
    v->str.n = n;
    return v;
}

cel_val *cel_string(cel_env *e, const char *s, size_t n)
{
    return str_val(e, CEL_STRING, s, n);
}
cel_val *cel_bytes(cel_env *e, const char *s, size_t n)
{
    return str_val(e, CEL_BYTES, s, n);
}

cel_val *cel_list(cel_env *e, cel_val **items, size_t n)
{
    cel_val *v = cel_val_new(e, CEL_LIST);
    v->list.items = items;
    v->list.n = n;
    return v;
}

cel_val *cel_type(cel_env *e, const char *name)
{
    cel_val *v = cel_val_new(e, CEL_TYPE);
    v->type.name = name;
    return v;
}

cel_val *cel_duration(cel_env *e, int64_t sec, int32_t nsec)
{
    cel_val *v = cel_val_new(e, CEL_DURATION);
    v->time.sec = sec;
    v->time.nsec = nsec;
    return v;
}

cel_val *cel_timestamp(cel_env *e, int64_t sec, int32_t nsec)
{
    cel_val *v = cel_val_new(e, CEL_TIMESTAMP);
    v->time.sec = sec;
    v->time.nsec = nsec;
    return v;
}

cel_val *cel_optional(cel_env *e, const cel_val *x)
{
    cel_val *v = cel_val_new(e, CEL_OPTIONAL);
    v->opt = x;
    return v;
}

cel_val *cel_errorf(cel_env *e, const char *fmt, ...)
{
    cel_val *v = cel_val_new(e, CEL_ERROR);
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *m = ar_alloc(e->a, (size_t)(len < 0 ? 0 : len) + 1);
    vsnprintf(m, (size_t)(len < 0 ? 0 : len) + 1, fmt, ap2);
    va_end(ap2);
    v->err.msg = m;
    return v;
}

cel_val *cel_opaque(cel_env *e, const cel_opaque_type *t, const void *p)
{
    cel_val *v = cel_val_new(e, CEL_OPAQUE);
    v->opaque.type = t;
    v->opaque.p = p;
    return v;
}

/* ---- maps: a hash index for maps of 16 entries and more ---- */

typedef struct map_idx {
    uint32_t *slots; /* entry index + 1, 0 empty */
    size_t mask;
} map_idx;

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Keys equal under CEL's heterogeneous equality hash the same: numbers by their value. */
static bool key_hash(const cel_val *k, uint64_t *h)
{
    switch (k->kind) {
    case CEL_STRING:
        *h = util_hash(k->str.s, k->str.n);
        return true;
    case CEL_BOOL:
        *h = k->b ? 0x9e3779b97f4a7c15ULL : 0x7f4a7c159e3779b9ULL;
        return true;
    case CEL_INT:
        *h = mix64((uint64_t)k->i);
        return true;
    case CEL_UINT:
        *h = mix64(k->u);
        return true;
    case CEL_DOUBLE:
        if (k->d >= -9223372036854775808.0 && k->d < 9223372036854775808.0 && k->d == floor(k->d))
            *h = mix64((uint64_t)(int64_t)k->d);
        else if (k->d >= 0 && k->d < 18446744073709551616.0 && k->d == floor(k->d))
            *h = mix64((uint64_t)k->d);
        else
            return false; /* no key equals it */
        return true;
    default:
        return false;
    }
}

cel_val *cel_map(cel_env *e, cel_val **keys, cel_val **vals, size_t n)
{
    cel_val *v = cel_val_new(e, CEL_MAP);
    v->map.keys = keys;
    v->map.vals = vals;
    v->map.n = n;
    if (n >= 16 && n < UINT32_MAX / 4) {
        map_idx *ix = ar_alloc(e->a, sizeof *ix);
        size_t cap = 32;
        while (cap < n * 2)
            cap *= 2;
        ix->slots = ar_alloc(e->a, cap * sizeof *ix->slots);
        ix->mask = cap - 1;
        for (size_t i = 0; i < n; i++) {
            uint64_t h;
            if (!key_hash(keys[i], &h)) continue; /* not a valid key: found by no lookup */
            size_t s = h & ix->mask;
            while (ix->slots[s])
                s = (s + 1) & ix->mask;
            ix->slots[s] = (uint32_t)i + 1;
        }
        v->map.idx = ix;
    }
    return v;
}

static bool key_equal(const cel_val *a, const cel_val *b)
{
    if (a->kind == CEL_STRING || b->kind == CEL_STRING)
        return a->kind == b->kind && a->str.n == b->str.n && !memcmp(a->str.s, b->str.s, a->str.n);
    if (a->kind == CEL_BOOL || b->kind == CEL_BOOL) return a->kind == b->kind && a->b == b->b;
    return cel_is_num(a) && cel_is_num(b) && cel_num_cmp(a, b) == 0;
}

const cel_val *cel_map_get(const cel_val *map, const cel_val *key)
{
    if (!map || map->kind != CEL_MAP) return NULL;
    const map_idx *ix = map->map.idx;
    if (ix) {
        uint64_t h;
        if (!key_hash(key, &h)) return NULL;
        for (size_t s = h & ix->mask; ix->slots[s]; s = (s + 1) & ix->mask) {
            size_t i = ix->slots[s] - 1;
            if (key_equal(map->map.keys[i], key)) return map->map.vals[i];
        }
        return NULL;
    }
    for (size_t i = 0; i < map->map.n; i++)
        if (key_equal(map->map.keys[i], key)) return map->map.vals[i];
    return NULL;
}

const cel_val *cel_map_get_str(const cel_val *map, const char *key)
{
    cel_val k = {.kind = CEL_STRING};
    k.str.s = key;
    k.str.n = strlen(key);
    return cel_map_get(map, &k);
}

/* ---- comparison ---- */

bool cel_is_num(const cel_val *v)
{
    return v->kind == CEL_INT || v->kind == CEL_UINT || v->kind == CEL_DOUBLE;
}

/* int and uint compare with doubles as cel-go does: the integer converted to double. */
static int cmp_d_d(double a, double b)
{
    if (isnan(a) || isnan(b)) return 2;
    return a < b ? -1 : a > b;
}

static int cmp_i_d(int64_t i, double d)
{
    return cmp_d_d((double)i, d);
}
static int cmp_u_d(uint64_t u, double d)
{
    return cmp_d_d((double)u, d);
}

int cel_num_cmp(const cel_val *a, const cel_val *b)
{
    switch (a->kind * 16 + b->kind) {
    case CEL_INT * 16 + CEL_INT:
        return a->i < b->i ? -1 : a->i > b->i;
    case CEL_UINT * 16 + CEL_UINT:
        return a->u < b->u ? -1 : a->u > b->u;
    case CEL_DOUBLE * 16 + CEL_DOUBLE:
        if (isnan(a->d) || isnan(b->d)) return 2;
        return a->d < b->d ? -1 : a->d > b->d;
    case CEL_INT * 16 + CEL_UINT:
        if (a->i < 0) return -1;
        return (uint64_t)a->i < b->u ? -1 : (uint64_t)a->i > b->u;
    case CEL_UINT * 16 + CEL_INT:
        if (b->i < 0) return 1;
        return a->u < (uint64_t)b->i ? -1 : a->u > (uint64_t)b->i;
    case CEL_INT * 16 + CEL_DOUBLE:
        return cmp_i_d(a->i, b->d);
    case CEL_DOUBLE * 16 + CEL_INT: {
        int r = cmp_i_d(b->i, a->d);
        return r == 2 ? 2 : -r;
    }
    case CEL_UINT * 16 + CEL_DOUBLE:
        return cmp_u_d(a->u, b->d);
    case CEL_DOUBLE * 16 + CEL_UINT: {
        int r = cmp_u_d(b->u, a->d);
        return r == 2 ? 2 : -r;
    }
    }
    return 3;
}

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int r = memcmp(a, b, an < bn ? an : bn);
    if (r) return r < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn;
}

int cel_compare(const cel_val *a, const cel_val *b)
{
    if (cel_is_num(a) && cel_is_num(b)) return cel_num_cmp(a, b);
    if (a->kind != b->kind) return 3;
    switch (a->kind) {
    case CEL_BOOL:
        return (int)a->b - (int)b->b;
    case CEL_STRING:
    case CEL_BYTES:
        return cmp_bytes(a->str.s, a->str.n, b->str.s, b->str.n);
    case CEL_DURATION:
    case CEL_TIMESTAMP:
        if (a->time.sec != b->time.sec) return a->time.sec < b->time.sec ? -1 : 1;
        return a->time.nsec < b->time.nsec ? -1 : a->time.nsec > b->time.nsec;
    }
    return 3;
}

bool cel_equal(const cel_val *a, const cel_val *b)
{
    if (a == b) return a->kind != CEL_DOUBLE || !isnan(a->d);
    if (cel_is_num(a) && cel_is_num(b)) return cel_num_cmp(a, b) == 0;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case CEL_NULL:
        return true;
    case CEL_BOOL:
        return a->b == b->b;
    case CEL_STRING:
    case CEL_BYTES:
        return a->str.n == b->str.n && !memcmp(a->str.s, b->str.s, a->str.n);
    case CEL_LIST:
        if (a->list.n != b->list.n) return false;
        for (size_t i = 0; i < a->list.n; i++)
            if (!cel_equal(a->list.items[i], b->list.items[i])) return false;
        return true;
    case CEL_MAP:
        if (a->map.n != b->map.n) return false;
        for (size_t i = 0; i < a->map.n; i++) {
            const cel_val *o = cel_map_get(b, a->map.keys[i]);
            if (!o || !cel_equal(a->map.vals[i], o)) return false;
        }
        return true;
    case CEL_TYPE:
        return !strcmp(a->type.name, b->type.name);
    case CEL_DURATION:
    case CEL_TIMESTAMP:
        return a->time.sec == b->time.sec && a->time.nsec == b->time.nsec;
    case CEL_OPTIONAL:
        if (!a->opt || !b->opt) return !a->opt && !b->opt;
        return cel_equal(a->opt, b->opt);
    case CEL_OPAQUE:
        if (a->opaque.type != b->opaque.type) return false;
        if (a->opaque.type->equal) return a->opaque.type->equal(a, b);
        return a->opaque.p == b->opaque.p;
    }
    return false;
}

const char *cel_type_name(const cel_val *v)
{
    switch (v->kind) {
    case CEL_NULL:
        return "null_type";
    case CEL_BOOL:
        return "bool";
    case CEL_INT:
        return "int";
    case CEL_UINT:
        return "uint";
    case CEL_DOUBLE:
        return "double";
    case CEL_STRING:
        return "string";
    case CEL_BYTES:
        return "bytes";
    case CEL_LIST:
        return "list";
    case CEL_MAP:
        return "map";
    case CEL_TYPE:
        return "type";
    case CEL_DURATION:
        return "google.protobuf.Duration";
    case CEL_TIMESTAMP:
        return "google.protobuf.Timestamp";
    case CEL_OPTIONAL:
        return "optional_type";
    case CEL_ERROR:
        return "error";
    case CEL_OPAQUE:
        return v->opaque.type->name;
    }
    return "unknown";
}

const cel_val *cel_no_overload(cel_env *e, const char *fn, const cel_val *const *args, size_t nargs)
{
    buf_t b = {0};
    buf_printf(&b, "no such overload: %s(", fn);
    for (size_t i = 0; i < nargs; i++)
        buf_printf(&b, "%s%s", i ? ", " : "", cel_type_name(args[i]));
    buf_putc(&b, ')');
    cel_val *v = cel_errorf(e, "%s", buf_cstr(&b));
    buf_free(&b);
    return v;
}

/* ---- from the IR ---- */

const cel_val *cel_from_ir(cel_env *e, const ir_node *n)
{
    if (!n) return cel_null();
    switch (n->kind) {
    case IR_MAP: {
        size_t k = n->map.n;
        cel_val **keys = ar_alloc(e->a, (k ? k : 1) * sizeof *keys);
        cel_val **vals = ar_alloc(e->a, (k ? k : 1) * sizeof *vals);
        for (size_t i = 0; i < k; i++) {
            const ir_node *key = n->map.items[i].key;
            keys[i] = cel_string(e, key->sc.s, key->sc.n);
            vals[i] = (cel_val *)cel_from_ir(e, n->map.items[i].val);
        }
        return cel_map(e, keys, vals, k);
    }
    case IR_SEQ: {
        size_t k = n->seq.n;
        cel_val **items = ar_alloc(e->a, (k ? k : 1) * sizeof *items);
        for (size_t i = 0; i < k; i++)
            items[i] = (cel_val *)cel_from_ir(e, n->seq.items[i]);
        return cel_list(e, items, k);
    }
    default:
        break;
    }
    if (n->flags & IR_UNTAGGED) return cel_string(e, n->sc.s, n->sc.n);
    switch (n->tag) {
    case IR_TAG_INT:
        if (n->flags & IR_INT_UNSIGNED) return cel_uint(e, n->sc.v.u);
        return cel_int(e, n->sc.v.i);
    case IR_TAG_FLOAT:
        return cel_double(e, n->sc.v.f);
    case IR_TAG_BOOL:
        return cel_bool(n->sc.v.b);
    case IR_TAG_NULL:
        return cel_null();
    case IR_TAG_BINARY:
        return cel_bytes(e, n->sc.s, n->sc.n);
    default:
        return cel_string(e, n->sc.s, n->sc.n);
    }
}

/* ---- text helpers ---- */

void cel_fmt_double(buf_t *out, double d, bool cel_syntax)
{
    if (isnan(d)) {
        buf_puts(out, cel_syntax ? "double(\"NaN\")" : "\"NaN\"");
        return;
    }
    if (isinf(d)) {
        if (cel_syntax)
            buf_puts(out, d > 0 ? "double(\"Infinity\")" : "double(\"-Infinity\")");
        else
            buf_puts(out, d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, d);
        if (strtod(tmp, NULL) == d) break;
    }
    buf_puts(out, tmp);
    if (cel_syntax && !strpbrk(tmp, ".e")) buf_puts(out, ".0");
}

void cel_quote(buf_t *out, const char *s, size_t n, bool json)
{
    buf_putc(out, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            buf_puts(out, "\\\"");
            break;
        case '\\':
            buf_puts(out, "\\\\");
            break;
        case '\n':
            buf_puts(out, "\\n");
            break;
        case '\r':
            buf_puts(out, "\\r");
            break;
        case '\t':
            buf_puts(out, "\\t");
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                if (json)
                    buf_printf(out, "\\u%04x", c);
                else
                    buf_printf(out, "\\x%02x", c);
            } else {
                buf_putc(out, (char)c);
            }
        }
    }
    buf_putc(out, '"');
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void cel_b64_encode(buf_t *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        buf_putc(out, b64chars[(v >> 18) & 63]);
        buf_putc(out, b64chars[(v >> 12) & 63]);
        buf_putc(out, i + 1 < n ? b64chars[(v >> 6) & 63] : '=');
        buf_putc(out, i + 2 < n ? b64chars[v & 63] : '=');
    }
}

bool cel_b64_decode(buf_t *out, const char *s, size_t n)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t i = 0;
    for (; i < n && s[i] != '='; i++) {
        const char *c = strchr(b64chars, s[i]);
        if (!c || !s[i]) return false;
        acc = (acc << 6) | (uint32_t)(c - b64chars);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_putc(out, (char)((acc >> bits) & 0xff));
        }
    }
    for (; i < n; i++)
        if (s[i] != '=') return false;
    return true;
}

/* ---- CEL value syntax ---- */

void cel_print(buf_t *out, const cel_val *v)
{
    switch (v->kind) {
    case CEL_NULL:
        buf_puts(out, "null");
        break;
    case CEL_BOOL:
        buf_puts(out, v->b ? "true" : "false");
        break;
    case CEL_INT:
        buf_printf(out, "%lld", (long long)v->i);
        break;
    case CEL_UINT:
        buf_printf(out, "%lluu", (unsigned long long)v->u);
        break;
    case CEL_DOUBLE:
        cel_fmt_double(out, v->d, true);
        break;
    case CEL_STRING:
        cel_quote(out, v->str.s, v->str.n, false);
        break;
    case CEL_BYTES:
        buf_puts(out, "b\"");
        for (size_t i = 0; i < v->str.n; i++) {
            unsigned char c = (unsigned char)v->str.s[i];
            if (c == '"' || c == '\\')
                buf_printf(out, "\\%c", c);
            else if (c < 0x20 || c >= 0x7f)
                buf_printf(out, "\\x%02x", c);
            else
                buf_putc(out, (char)c);
        }
        buf_putc(out, '"');
        break;
    case CEL_LIST:
        buf_putc(out, '[');
        for (size_t i = 0; i < v->list.n; i++) {
            if (i) buf_puts(out, ", ");
            cel_print(out, v->list.items[i]);
        }
        buf_putc(out, ']');
        break;
    case CEL_MAP:
        buf_putc(out, '{');
        for (size_t i = 0; i < v->map.n; i++) {
            if (i) buf_puts(out, ", ");
            cel_print(out, v->map.keys[i]);
            buf_puts(out, ": ");
            cel_print(out, v->map.vals[i]);
        }
        buf_putc(out, '}');
        break;
    case CEL_TYPE:
        buf_puts(out, v->type.name);
        break;
    case CEL_DURATION:
        buf_puts(out, "duration(\"");
        cel_dur_format(out, v->time.sec, v->time.nsec);
        buf_puts(out, "\")");
        break;
    case CEL_TIMESTAMP:
        buf_puts(out, "timestamp(\"");
        cel_ts_format(out, v->time.sec, v->time.nsec);
        buf_puts(out, "\")");
        break;
    case CEL_OPTIONAL:
        if (v->opt) {
            buf_puts(out, "optional.of(");
            cel_print(out, v->opt);
            buf_putc(out, ')');
        } else {
            buf_puts(out, "optional.none()");
        }
        break;
    case CEL_ERROR:
        buf_printf(out, "error(%s)", v->err.msg);
        break;
    case CEL_OPAQUE:
        if (v->opaque.type->print)
            v->opaque.type->print(out, v);
        else
            buf_printf(out, "<%s>", v->opaque.type->name);
        break;
    }
}

/* ---- typed JSON ---- */

void cel_to_json(buf_t *out, const cel_val *v)
{
    switch (v->kind) {
    case CEL_NULL:
        buf_puts(out, "{\"null\":null}");
        break;
    case CEL_BOOL:
        buf_printf(out, "{\"bool\":%s}", v->b ? "true" : "false");
        break;
    case CEL_INT:
        buf_printf(out, "{\"int\":\"%lld\"}", (long long)v->i);
        break;
    case CEL_UINT:
        buf_printf(out, "{\"uint\":\"%llu\"}", (unsigned long long)v->u);
        break;
    case CEL_DOUBLE:
        buf_puts(out, "{\"double\":");
        cel_fmt_double(out, v->d, false);
        buf_putc(out, '}');
        break;
    case CEL_STRING:
        buf_puts(out, "{\"string\":");
        cel_quote(out, v->str.s, v->str.n, true);
        buf_putc(out, '}');
        break;
    case CEL_BYTES:
        buf_puts(out, "{\"bytes\":\"");
        cel_b64_encode(out, (const unsigned char *)v->str.s, v->str.n);
        buf_puts(out, "\"}");
        break;
    case CEL_LIST:
        buf_puts(out, "{\"list\":[");
        for (size_t i = 0; i < v->list.n; i++) {
            if (i) buf_putc(out, ',');
            cel_to_json(out, v->list.items[i]);
        }
        buf_puts(out, "]}");
        break;
    case CEL_MAP:
        buf_puts(out, "{\"map\":[");
        for (size_t i = 0; i < v->map.n; i++) {
            if (i) buf_putc(out, ',');
            buf_putc(out, '[');
            cel_to_json(out, v->map.keys[i]);
            buf_putc(out, ',');
            cel_to_json(out, v->map.vals[i]);
            buf_putc(out, ']');
        }
        buf_puts(out, "]}");
        break;
    case CEL_TYPE:
        buf_puts(out, "{\"type\":");
        cel_quote(out, v->type.name, strlen(v->type.name), true);
        buf_putc(out, '}');
        break;
    case CEL_DURATION:
        buf_puts(out, "{\"duration\":\"");
        cel_dur_format(out, v->time.sec, v->time.nsec);
        buf_puts(out, "\"}");
        break;
    case CEL_TIMESTAMP:
        buf_puts(out, "{\"timestamp\":\"");
        cel_ts_format(out, v->time.sec, v->time.nsec);
        buf_puts(out, "\"}");
        break;
    case CEL_OPTIONAL:
        buf_puts(out, "{\"optional\":");
        if (v->opt)
            cel_to_json(out, v->opt);
        else
            buf_puts(out, "null");
        buf_putc(out, '}');
        break;
    case CEL_ERROR:
        buf_puts(out, "{\"error\":");
        cel_quote(out, v->err.msg, strlen(v->err.msg), true);
        buf_putc(out, '}');
        break;
    case CEL_OPAQUE: {
        buf_t t = {0};
        cel_print(&t, v);
        buf_puts(out, "{\"string\":");
        cel_quote(out, t.data ? t.data : "", t.len, true);
        buf_putc(out, '}');
        buf_free(&t);
        break;
    }
    }
}

static bool parse_i64(const char *s, int64_t *out)
{
    char *end;
    if (!*s) return false;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end || errno) return false;
    *out = v;
    return true;
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-') return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno) return false;
    *out = v;
    return true;
}

static const cel_val *json_fail(const char **err, const char *msg)
{
    *err = msg;
    return NULL;
}

const cel_val *cel_from_json(cel_env *e, const ir_node *n, const char **err)
{
    if (!n || n->kind != IR_MAP || n->map.n != 1)
        return json_fail(err, "a value must be an object with exactly one type key");
    const char *tag = n->map.items[0].key->sc.s;
    const ir_node *x = n->map.items[0].val;
    bool scalar = x->kind == IR_SCALAR;
    const char *t = scalar ? x->sc.s : NULL;
    if (!strcmp(tag, "null")) return cel_null();
    if (!strcmp(tag, "bool")) {
        if (!scalar || x->tag != IR_TAG_BOOL) return json_fail(err, "bool: not a boolean");
        return cel_bool(x->sc.v.b);
    }
    if (!strcmp(tag, "int")) {
        int64_t i;
        if (!scalar || !parse_i64(t, &i)) return json_fail(err, "int: not a 64-bit integer");
        return cel_int(e, i);
    }
    if (!strcmp(tag, "uint")) {
        uint64_t u;
        if (!scalar || !parse_u64(t, &u)) return json_fail(err, "uint: not a 64-bit integer");
        return cel_uint(e, u);
    }
    if (!strcmp(tag, "double")) {
        if (!scalar) return json_fail(err, "double: not a number");
        if (!strcasecmp(t, "nan")) return cel_double(e, NAN);
        if (!strcasecmp(t, "infinity") || !strcasecmp(t, "inf")) return cel_double(e, INFINITY);
        if (!strcasecmp(t, "-infinity") || !strcasecmp(t, "-inf")) return cel_double(e, -INFINITY);
        char *end;
        double d = strtod(t, &end);
        if (!*t || *end) return json_fail(err, "double: not a number");
        return cel_double(e, d);
    }
    if (!strcmp(tag, "string")) {
        if (!scalar) return json_fail(err, "string: not a string");
        return cel_string(e, x->sc.s, x->sc.n);
    }
    if (!strcmp(tag, "bytes")) {
        buf_t b = {0};
        if (!scalar || !cel_b64_decode(&b, x->sc.s, x->sc.n)) {
            buf_free(&b);
            return json_fail(err, "bytes: not base64");
        }
        cel_val *v = cel_bytes(e, b.data, b.len);
        buf_free(&b);
        return v;
    }
    if (!strcmp(tag, "type")) {
        if (!scalar) return json_fail(err, "type: not a string");
        return cel_type(e, ar_strdup(e->a, t));
    }
    if (!strcmp(tag, "duration")) {
        int64_t sec;
        int32_t ns;
        if (!scalar || !cel_dur_parse(x->sc.s, x->sc.n, &sec, &ns))
            return json_fail(err, "duration: malformed");
        return cel_duration(e, sec, ns);
    }
    if (!strcmp(tag, "timestamp")) {
        int64_t sec;
        int32_t ns;
        if (!scalar || !cel_ts_parse(x->sc.s, x->sc.n, &sec, &ns))
            return json_fail(err, "timestamp: malformed");
        return cel_timestamp(e, sec, ns);
    }
    if (!strcmp(tag, "optional")) {
        if (scalar && x->tag == IR_TAG_NULL) return cel_optional(e, NULL);
        const cel_val *v = cel_from_json(e, x, err);
        return v ? cel_optional(e, v) : NULL;
    }
    if (!strcmp(tag, "list")) {
        if (x->kind != IR_SEQ) return json_fail(err, "list: not an array");
        cel_val **items = ar_alloc(e->a, (x->seq.n + 1) * sizeof *items);
        for (size_t i = 0; i < x->seq.n; i++)
            if (!(items[i] = (cel_val *)cel_from_json(e, x->seq.items[i], err))) return NULL;
        return cel_list(e, items, x->seq.n);
    }
    if (!strcmp(tag, "map")) {
        if (x->kind != IR_SEQ) return json_fail(err, "map: not an array of pairs");
        size_t k = x->seq.n;
        cel_val **keys = ar_alloc(e->a, (k + 1) * sizeof *keys);
        cel_val **vals = ar_alloc(e->a, (k + 1) * sizeof *vals);
        for (size_t i = 0; i < k; i++) {
            const ir_node *p = x->seq.items[i];
            if (p->kind != IR_SEQ || p->seq.n != 2) return json_fail(err, "map: not a pair");
            if (!(keys[i] = (cel_val *)cel_from_json(e, p->seq.items[0], err))) return NULL;
            if (!(vals[i] = (cel_val *)cel_from_json(e, p->seq.items[1], err))) return NULL;
        }
        return cel_map(e, keys, vals, k);
    }
    return json_fail(err, "unknown value type");
}
