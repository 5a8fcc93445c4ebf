/* Schema validation of rendered objects: walks each object against its compiled schema (types,
 * formats, enum, pattern, limits, required and unknown fields, list uniqueness, composition) and
 * reports findings with kiln field paths; finds the schemas (CRDs in the render, the cache, the
 * --schema sources) and compiles the cache for `kiln schema import`. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "validate/schema_int.h"

typedef struct sv_step {
    const char *key; /* a map key, or NULL for a list index */
    size_t klen, idx;
    const ir_node *item;
} sv_step;

typedef struct sv_pat {
    const sc_blob *b;
    uint32_t off;
    pcre2_code *re; /* NULL: a pattern PCRE2 cannot read (RE2-only syntax) checks nothing */
} sv_pat;

struct sc_vrun {
    arena *a;
    vd_report *r;
    bool strict;
    const sc_blob *b;
    const ir_res *res;
    sv_step *path;
    size_t depth, cap;
    int silent;    /* > 0: inside anyOf/oneOf/not, errors are only counted */
    int nest;      /* sv_node recursion depth ($ref cycles through allOf would never end) */
    size_t budget; /* sv_node calls left for this object (anyOf over cycles is exponential) */
    size_t nerr;   /* errors counted while silent */
    sv_pat *pats;
    size_t npats, cappats;
    pcre2_match_data *md;
};

enum { SV_NO_UNKNOWN = 1 }; /* a composition branch: unknown fields are judged by the parent */

sc_vrun *sc_vrun_new(arena *a, vd_report *r, bool strict)
{
    sc_vrun *v = util_xmalloc(sizeof *v);
    memset(v, 0, sizeof *v);
    v->a = a;
    v->r = r;
    v->strict = strict;
    return v;
}

void sc_vrun_free(sc_vrun *v)
{
    if (!v) return;
    for (size_t i = 0; i < v->cappats; i++)
        if (v->pats[i].re) pcre2_code_free(v->pats[i].re);
    free(v->pats);
    if (v->md) pcre2_match_data_free(v->md);
    free(v->path);
    free(v);
}

/* ---- paths and findings ---- */

static void sv_push(sc_vrun *v, const char *key, size_t klen, size_t idx, const ir_node *item)
{
    if (v->depth == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 32;
        v->path = util_xrealloc(v->path, v->cap * sizeof *v->path);
    }
    v->path[v->depth++] = (sv_step){key, klen, idx, item};
}

static const char *sv_path(sc_vrun *v)
{
    buf_t b = {0};
    for (size_t i = 0; i < v->depth; i++) {
        const sv_step *s = &v->path[i];
        if (s->key) {
            bool plain = s->klen > 0 && !memchr(s->key, '.', s->klen) &&
                         !memchr(s->key, '[', s->klen) && !memchr(s->key, ']', s->klen);
            if (plain) {
                if (b.len) buf_putc(&b, '.');
                buf_put(&b, s->key, s->klen);
            } else {
                buf_putc(&b, '[');
                buf_put(&b, s->key, s->klen);
                buf_putc(&b, ']');
            }
            continue;
        }
        const char *name = s->item ? ir_str_of(ir_map_get(s->item, "name")) : NULL;
        if (name && *name && !strchr(name, ']'))
            buf_printf(&b, "[name=%s]", name);
        else
            buf_printf(&b, "[%zu]", s->idx);
    }
    const char *out = ar_strdup(v->a, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

static void sv_report(sc_vrun *v, vd_sev sev, const char *rule, const ir_node *at,
                      const ir_node *parent, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void sv_report(sc_vrun *v, vd_sev sev, const char *rule, const ir_node *at,
                      const ir_node *parent, const char *path, const char *fmt, ...)
{
    if (v->silent) {
        if (sev == VD_ERROR) v->nerr++;
        return;
    }
    diag_pos pos = v->res->pos;
    if (at && at->pos.line)
        pos = at->pos;
    else if (parent && parent->pos.line)
        pos = parent->pos;
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = ar_alloc(v->a, (size_t)(n > 0 ? n : 0) + 1);
    vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    vd_report_add(v->a, v->r, sev, rule, v->res, path ? path : sv_path(v), pos, "%s", msg);
}

/* ---- values ---- */

static bool sv_null(const ir_node *n)
{
    return !n || (n->kind == IR_SCALAR && n->tag == IR_TAG_NULL);
}

static uint32_t sv_type(const ir_node *n)
{
    if (n->kind == IR_MAP) return SC_T_OBJECT;
    if (n->kind == IR_SEQ) return SC_T_ARRAY;
    switch (n->tag) {
    case IR_TAG_INT:
        return SC_T_INTEGER | SC_T_NUMBER;
    case IR_TAG_FLOAT:
        return isfinite(n->sc.v.f) && n->sc.v.f == floor(n->sc.v.f) ? SC_T_NUMBER | SC_T_INTEGER
                                                                    : SC_T_NUMBER;
    case IR_TAG_BOOL:
        return SC_T_BOOLEAN;
    case IR_TAG_NULL:
        return SC_T_NULL;
    default:
        return SC_T_STRING;
    }
}

static const char *sv_tname(uint32_t t)
{
    if (t & SC_T_OBJECT) return "object";
    if (t & SC_T_ARRAY) return "array";
    if (t & SC_T_STRING) return "string";
    if (t & SC_T_BOOLEAN) return "boolean";
    if (t & SC_T_NULL) return "null";
    if (t & SC_T_INTEGER) return "integer";
    return "number";
}

/* A value as a message quotes it: "text" for strings, 3 or true for other scalars. */
static const char *sv_lit(sc_vrun *v, const ir_node *n)
{
    if (n->kind != IR_SCALAR) return n->kind == IR_MAP ? "an object" : "an array";
    if (!(sv_type(n) & SC_T_STRING)) return n->sc.s;
    buf_t b = {0};
    buf_putc(&b, '"');
    size_t lim = n->sc.n > 60 ? 57 : n->sc.n;
    for (size_t i = 0; i < lim; i++) {
        char c = n->sc.s[i];
        if (c == '"' || c == '\\')
            buf_putc(&b, '\\'), buf_putc(&b, c);
        else if (c == '\n')
            buf_puts(&b, "\\n");
        else if ((unsigned char)c < 0x20)
            buf_printf(&b, "\\x%02x", (unsigned char)c);
        else
            buf_putc(&b, c);
    }
    buf_puts(&b, lim < n->sc.n ? "...\"" : "\"");
    const char *out = ar_strdup(v->a, b.data);
    buf_free(&b);
    return out;
}

/* `string "3"`, `integer 3`, `object`: how a value is named in a type error. */
static const char *sv_show(sc_vrun *v, const ir_node *n)
{
    if (n->kind != IR_SCALAR) return n->kind == IR_MAP ? "object" : "array";
    uint32_t t = sv_type(n);
    if (n->tag == IR_TAG_FLOAT) t = SC_T_NUMBER;
    return ar_printf(v->a, "%s %s", sv_tname(t), sv_lit(v, n));
}

static const char *sv_expected(sc_vrun *v, uint32_t types)
{
    static const uint32_t order[] = {SC_T_OBJECT, SC_T_ARRAY,   SC_T_STRING, SC_T_INTEGER,
                                     SC_T_NUMBER, SC_T_BOOLEAN, SC_T_NULL};
    buf_t b = {0};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        if (!(types & order[i])) continue;
        if (b.len) buf_puts(&b, " or ");
        buf_puts(&b, sv_tname(order[i]));
    }
    const char *out = ar_strdup(v->a, b.data ? b.data : "");
    buf_free(&b);
    return out;
}

static size_t sv_runes(const char *s, size_t n)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        r += ((unsigned char)s[i] & 0xC0) != 0x80;
    return r;
}

static double sv_num(const ir_node *n)
{
    if (n->tag == IR_TAG_INT)
        return (n->flags & IR_INT_UNSIGNED) ? (double)n->sc.v.u : (double)n->sc.v.i;
    return n->sc.v.f;
}

/* ---- keyword checks ---- */

static bool sv_format(sc_vrun *v, const sc_rec *s, const ir_node *n)
{
    if (n->kind != IR_SCALAR || !s->format) return true;
    const char *t = n->sc.s;
    size_t len = n->sc.n;
    if (n->tag == IR_TAG_INT) {
        bool big = n->flags & IR_INT_UNSIGNED;
        if (s->format == SC_FMT_INT32 && (big || n->sc.v.i < INT32_MIN || n->sc.v.i > INT32_MAX)) {
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL, "%s is out of range for int32", t);
            return false;
        }
        if (s->format == SC_FMT_INT64 && big) {
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL, "%s is out of range for int64", t);
            return false;
        }
        return true;
    }
    if (!(sv_type(n) & SC_T_STRING) || n->tag == IR_TAG_BINARY) return true;
    bool ok = true;
    switch ((sc_format)s->format) {
    case SC_FMT_DATETIME:
        ok = sc_fmt_datetime(t, len);
        break;
    case SC_FMT_DATE:
        ok = sc_fmt_date(t, len);
        break;
    case SC_FMT_BYTE:
        ok = sc_fmt_base64(t, len);
        break;
    case SC_FMT_QUANTITY:
        ok = sc_fmt_quantity(t, len);
        break;
    case SC_FMT_UUID:
        ok = sc_fmt_uuid(t, len);
        break;
    case SC_FMT_IPV4:
        ok = sc_fmt_ipv4(t, len);
        break;
    case SC_FMT_IPV6:
        ok = sc_fmt_ipv6(t, len);
        break;
    case SC_FMT_CIDR:
        ok = sc_fmt_cidr(t, len);
        break;
    default:
        break;
    }
    if (!ok && v->silent) {
        v->nerr++;
    } else if (!ok) {
        if (s->format == SC_FMT_BYTE)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL, "%s is not valid base64", sv_lit(v, n));
        else if (s->format == SC_FMT_QUANTITY)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL,
                      "%s is not a quantity (like 100m, 1.5, 2Gi or 1e3)", sv_lit(v, n));
        else
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL, "%s is not a valid %s", sv_lit(v, n),
                      sc_fmt_name((sc_format)s->format));
    }
    return ok;
}

static bool sv_enum_has(const sc_blob *b, uint32_t off, const ir_node *n)
{
    const uint32_t *l = sc_list(b, off);
    uint32_t t = sv_type(n);
    for (uint32_t i = 0; i < l[0]; i++) {
        uint32_t k = l[1 + 2 * i];
        const char *s = sc_str(b, l[2 + 2 * i]);
        if (k == SC_EV_STRING && (t & SC_T_STRING) && sc_strlen(b, l[2 + 2 * i]) == n->sc.n &&
            !memcmp(s, n->sc.s, n->sc.n))
            return true;
        if (k == SC_EV_BOOL && t == SC_T_BOOLEAN && (!strcmp(s, "true")) == n->sc.v.b) return true;
        if (k == SC_EV_NUMBER && (t & SC_T_NUMBER) && strtod(s, NULL) == sv_num(n)) return true;
    }
    return false;
}

static const char *sv_enum_list(sc_vrun *v, const sc_blob *b, uint32_t off)
{
    const uint32_t *l = sc_list(b, off);
    buf_t out = {0};
    for (uint32_t i = 0; i < l[0] && i < 20; i++) {
        if (i) buf_puts(&out, ", ");
        const char *s = sc_str(b, l[2 + 2 * i]);
        if (l[1 + 2 * i] == SC_EV_STRING)
            buf_printf(&out, "\"%s\"", s);
        else
            buf_puts(&out, l[1 + 2 * i] == SC_EV_NULL ? "null" : s);
    }
    if (l[0] > 20) buf_printf(&out, ", ... (%u values)", l[0]);
    const char *r = ar_strdup(v->a, out.data ? out.data : "");
    buf_free(&out);
    return r;
}

static pcre2_code *sv_regex(sc_vrun *v, uint32_t off)
{
    if (v->npats * 2 >= v->cappats) {
        sv_pat *old = v->pats;
        size_t oldcap = v->cappats;
        v->cappats = oldcap ? oldcap * 2 : 64;
        v->pats = util_xmalloc(v->cappats * sizeof *v->pats);
        memset(v->pats, 0, v->cappats * sizeof *v->pats);
        for (size_t i = 0; i < oldcap; i++) {
            if (!old[i].b) continue;
            size_t h = (old[i].off * 2654435761u) & (v->cappats - 1);
            while (v->pats[h].b)
                h = (h + 1) & (v->cappats - 1);
            v->pats[h] = old[i];
        }
        free(old);
    }
    size_t h = (off * 2654435761u) & (v->cappats - 1);
    while (v->pats[h].b && !(v->pats[h].b == v->b && v->pats[h].off == off))
        h = (h + 1) & (v->cappats - 1);
    sv_pat *p = &v->pats[h];
    if (!p->b) {
        p->b = v->b;
        p->off = off;
        int err;
        PCRE2_SIZE eoff;
        p->re = pcre2_compile((PCRE2_SPTR)sc_str(v->b, off), sc_strlen(v->b, off), PCRE2_UTF, &err,
                              &eoff, NULL);
        v->npats++;
    }
    return p->re;
}

static void sv_pattern(sc_vrun *v, const sc_rec *s, const ir_node *n)
{
    if (!(sv_type(n) & SC_T_STRING) || n->tag == IR_TAG_BINARY) return;
    if (!util_utf8_valid(n->sc.s, n->sc.n)) return;
    pcre2_code *re = sv_regex(v, s->pattern);
    if (!re) return;
    if (!v->md) v->md = pcre2_match_data_create(4, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)n->sc.s, n->sc.n, 0, 0, v->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH && v->silent)
        v->nerr++;
    else if (rc == PCRE2_ERROR_NOMATCH)
        sv_report(v, VD_ERROR, "schema", n, NULL, NULL, "%s does not match the pattern '%s'",
                  sv_lit(v, n), sc_str(v->b, s->pattern));
}

static const char *sv_pl(int64_t n)
{
    return n == 1 ? "" : "s";
}

static void sv_limits(sc_vrun *v, const sc_rec *s, const ir_node *n)
{
    const sc_nums *l = (const sc_nums *)(const void *)(v->b->data + s->nums);
    uint32_t t = sv_type(n);
    if (t & SC_T_NUMBER) {
        double x = sv_num(n);
        if (s->flags & SC_F_MIN && ((s->flags & SC_F_XMIN) ? x <= l->min : x < l->min))
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL, "must be greater than %s%g, got %s",
                      (s->flags & SC_F_XMIN) ? "" : "or equal to ", l->min, n->sc.s);
        if (s->flags & SC_F_MAX && ((s->flags & SC_F_XMAX) ? x >= l->max : x > l->max))
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL, "must be less than %s%g, got %s",
                      (s->flags & SC_F_XMAX) ? "" : "or equal to ", l->max, n->sc.s);
    } else if (t & SC_T_STRING && n->tag != IR_TAG_BINARY) {
        size_t len = sv_runes(n->sc.s, n->sc.n);
        if (l->minlen >= 0 && (int64_t)len < l->minlen)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL,
                      "must be at least %lld character%s long, got %zu", (long long)l->minlen,
                      sv_pl(l->minlen), len);
        if (l->maxlen >= 0 && (int64_t)len > l->maxlen)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL,
                      "must be at most %lld character%s long, got %zu", (long long)l->maxlen,
                      sv_pl(l->maxlen), len);
    } else if (t & SC_T_ARRAY) {
        if (l->minitems >= 0 && (int64_t)n->seq.n < l->minitems)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL,
                      "must have at least %lld item%s, got %zu", (long long)l->minitems,
                      sv_pl(l->minitems), n->seq.n);
        if (l->maxitems >= 0 && (int64_t)n->seq.n > l->maxitems)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL,
                      "must have at most %lld item%s, got %zu", (long long)l->maxitems,
                      sv_pl(l->maxitems), n->seq.n);
    } else if (t & SC_T_OBJECT) {
        if (l->minprops >= 0 && (int64_t)n->map.n < l->minprops)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL,
                      "must have at least %lld field%s, got %zu", (long long)l->minprops,
                      sv_pl(l->minprops), n->map.n);
        if (l->maxprops >= 0 && (int64_t)n->map.n > l->maxprops)
            sv_report(v, VD_ERROR, "schema", n, NULL, NULL,
                      "must have at most %lld field%s, got %zu", (long long)l->maxprops,
                      sv_pl(l->maxprops), n->map.n);
    }
}

/* The schema of property `key` in a property table, or 0. */
static uint32_t sv_prop(const sc_blob *b, uint32_t table, const char *key, size_t klen)
{
    if (!table) return 0;
    const uint32_t *t = sc_list(b, table);
    size_t lo = 0, hi = t[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint32_t so = t[1 + 2 * mid];
        const char *name = sc_str(b, so);
        size_t nlen = sc_strlen(b, so);
        int c = memcmp(name, key, nlen < klen ? nlen : klen);
        if (!c) c = (nlen > klen) - (nlen < klen);
        if (!c) return t[2 + 2 * mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Whether key is declared by s or any of its allOf/anyOf/oneOf branches, or those leave the
 * object open (additionalProperties, preserve-unknown-fields, patternProperties). */
static bool sv_known(const sc_blob *b, const sc_rec *s, const char *key, size_t klen, int depth)
{
    if (!s || depth > 16) return true;
    if (s->flags & (SC_F_PRESERVE | SC_F_ADDL_TRUE | SC_F_OPEN) || s->addl) return true;
    if (sv_prop(b, s->props, key, klen)) return true;
    uint32_t lists[] = {s->allof, s->anyof, s->oneof};
    for (int i = 0; i < 3; i++) {
        if (!lists[i]) continue;
        const uint32_t *l = sc_list(b, lists[i]);
        for (uint32_t j = 0; j < l[0]; j++) {
            const sc_rec *c = sc_resolve(b, sc_node(b, l[1 + j]));
            if (c && (c->props || c->flags & SC_F_ADDL_FALSE)) {
                if (sv_known(b, c, key, klen, depth + 1)) return true;
            } else if (c && (c->allof || c->anyof || c->oneof)) {
                if (sv_known(b, c, key, klen, depth + 1)) return true;
            }
        }
    }
    return false;
}

static void sv_node(sc_vrun *v, uint32_t off, const ir_node *n, const ir_node *parent,
                    unsigned opts);
static void sv_check(sc_vrun *v, const sc_rec *s, const ir_node *n, const ir_node *parent,
                     unsigned opts);

static bool sv_passes(sc_vrun *v, uint32_t off, const ir_node *n, const ir_node *parent)
{
    size_t before = v->nerr;
    v->silent++;
    sv_node(v, off, n, parent, SV_NO_UNKNOWN);
    v->silent--;
    bool ok = v->nerr == before;
    v->nerr = before;
    return ok;
}

static bool sv_ev_equal(const sc_blob *b, const uint32_t *pair, const ir_node *n)
{
    const char *s = sc_str(b, pair[1]);
    uint32_t t = sv_type(n);
    switch (pair[0]) {
    case SC_EV_STRING:
        return (t & SC_T_STRING) && sc_strlen(b, pair[1]) == n->sc.n &&
               !memcmp(s, n->sc.n ? n->sc.s : "", n->sc.n);
    case SC_EV_BOOL:
        return t == SC_T_BOOLEAN && (!strcmp(s, "true")) == n->sc.v.b;
    case SC_EV_NUMBER:
        return (t & SC_T_NUMBER) && strtod(s, NULL) == sv_num(n);
    default:
        return false;
    }
}

/* A list-map key of one item: its value, else the key field's default, else unset. */
typedef struct sv_kv {
    const ir_node *node;
    const uint32_t *dflt;
} sv_kv;

static sv_kv sv_keyval(const sc_blob *b, const sc_rec *item, const ir_node *x, const char *key)
{
    sv_kv kv = {ir_map_get(x, key), NULL};
    if (kv.node && !sv_null(kv.node)) return kv;
    kv.node = NULL;
    uint32_t p = item ? sv_prop(b, item->props, key, strlen(key)) : 0;
    const sc_rec *ps = p ? sc_resolve(b, sc_node(b, p)) : NULL;
    if (ps && ps->dflt) kv.dflt = sc_list(b, ps->dflt);
    return kv;
}

static bool sv_kv_equal(const sc_blob *b, sv_kv x, sv_kv y)
{
    if (x.node && y.node) return ir_equal(x.node, y.node);
    if (x.node && y.dflt) return sv_ev_equal(b, y.dflt, x.node);
    if (y.node && x.dflt) return sv_ev_equal(b, x.dflt, y.node);
    if (x.dflt && y.dflt)
        return x.dflt[0] == y.dflt[0] && !strcmp(sc_str(b, x.dflt[1]), sc_str(b, y.dflt[1]));
    return !x.node && !y.node && !x.dflt && !y.dflt;
}

static void sv_unique(sc_vrun *v, const sc_rec *s, const ir_node *n)
{
    vd_sev sev = (s->flags & SC_F_SOFT_LIST) && !v->strict ? VD_WARNING : VD_ERROR;
    const uint32_t *keys = s->mapkeys ? sc_list(v->b, s->mapkeys) : NULL;
    const sc_rec *item = s->items ? sc_resolve(v->b, sc_node(v->b, s->items)) : NULL;
    size_t lim = n->seq.n > 4096 ? 4096 : n->seq.n;
    for (size_t i = 1; i < lim; i++) {
        const ir_node *x = n->seq.items[i];
        if (sv_null(x)) continue;
        for (size_t j = 0; j < i; j++) {
            const ir_node *y = n->seq.items[j];
            bool dup;
            if ((s->flags & SC_F_LIST_MAP) && keys) {
                if (x->kind != IR_MAP || y->kind != IR_MAP) continue;
                dup = true;
                for (uint32_t k = 0; k < keys[0] && dup; k++) {
                    const char *kn = sc_str(v->b, keys[1 + k]);
                    dup = sv_kv_equal(v->b, sv_keyval(v->b, item, x, kn),
                                      sv_keyval(v->b, item, y, kn));
                }
            } else if (s->flags & SC_F_LIST_SET) {
                dup = ir_equal(x, y);
            } else {
                continue;
            }
            if (!dup) continue;
            sv_push(v, NULL, 0, i, x);
            if (s->flags & SC_F_LIST_SET || !keys) {
                if (x->kind == IR_SCALAR)
                    sv_report(v, sev, "schema", x, n, NULL,
                              "duplicate value %s (items must be unique)", sv_lit(v, x));
                else
                    sv_report(v, sev, "schema", x, n, NULL,
                              "duplicate of item %zu (items must be unique)", j);
            } else {
                buf_t b = {0};
                for (uint32_t k = 0; k < keys[0]; k++) {
                    const char *kn = sc_str(v->b, keys[1 + k]);
                    sv_kv kv = sv_keyval(v->b, item, x, kn);
                    if (b.len) buf_puts(&b, ", ");
                    if (kv.node && kv.node->kind == IR_SCALAR)
                        buf_printf(&b, "%s=%s", kn, sv_lit(v, kv.node));
                    else if (kv.dflt)
                        buf_printf(&b,
                                   kv.dflt[0] == SC_EV_STRING ? "%s=\"%s\" (default)"
                                                              : "%s=%s (default)",
                                   kn, sc_str(v->b, kv.dflt[1]));
                    else
                        buf_printf(&b, "%s unset", kn);
                }
                sv_report(v, sev, "schema", x, n, NULL,
                          "duplicate entry with %s (list items must be unique by %s)",
                          b.data ? b.data : "", keys[0] > 1 ? "these keys" : "this key");
                buf_free(&b);
            }
            v->depth--;
            break;
        }
    }
}

static void sv_object(sc_vrun *v, const sc_rec *s, const ir_node *n, unsigned opts)
{
    const sc_blob *b = v->b;
    bool judge = v->strict && !(opts & SV_NO_UNKNOWN) && (s->props || s->flags & SC_F_ADDL_FALSE) &&
                 !(s->flags & (SC_F_PRESERVE | SC_F_ADDL_TRUE | SC_F_OPEN)) && !s->addl;
    bool typemeta = (s->flags & SC_F_EMBEDDED) || v->depth == 0;
    for (size_t i = 0; i < n->map.n; i++) {
        const ir_pair *p = &n->map.items[i];
        const char *k = p->key->sc.s;
        size_t klen = p->key->sc.n;
        uint32_t child = sv_prop(b, s->props, k, klen);
        if (!child) child = s->addl;
        if (child) {
            sv_push(v, k, klen, 0, NULL);
            sv_node(v, child, p->val, n, 0);
            v->depth--;
            continue;
        }
        if (!judge) continue;
        if (typemeta && (!strcmp(k, "apiVersion") || !strcmp(k, "kind") || !strcmp(k, "metadata")))
            continue;
        if (sv_known(b, s, k, klen, 0)) continue;
        sv_push(v, k, klen, 0, NULL);
        sv_report(v, VD_ERROR, "schema/unknown-field", p->key, n, NULL, "unknown field \"%s\"", k);
        v->depth--;
    }
    if (s->required) {
        const uint32_t *l = sc_list(b, s->required);
        for (uint32_t i = 0; i < l[0]; i++) {
            const char *k = sc_str(b, l[1 + i]);
            size_t klen = sc_strlen(b, l[1 + i]);
            const ir_pair *p = ir_map_find(n, k, klen);
            if (p && !sv_null(p->val)) continue;
            if (p) { /* null: absent unless the field's schema takes null */
                uint32_t child = sv_prop(b, s->props, k, klen);
                const sc_rec *c = child ? sc_resolve(b, sc_node(b, child)) : NULL;
                if (c && c->flags & (SC_F_NULLABLE | SC_F_PRESERVE)) continue;
            }
            sv_report(v, VD_ERROR, "schema", NULL, n, NULL, "missing required field \"%s\"", k);
        }
    }
    if (s->flags & SC_F_EMBEDDED) {
        static const char *const tm[] = {"apiVersion", "kind"};
        for (int i = 0; i < 2; i++) {
            const ir_node *x = ir_map_get(n, tm[i]);
            if (!x || sv_null(x) || (x->kind == IR_SCALAR && !x->sc.n))
                sv_report(v, VD_ERROR, "schema", NULL, n, NULL,
                          "missing required field \"%s\" (embedded resource)", tm[i]);
        }
    }
}

static void sv_node(sc_vrun *v, uint32_t off, const ir_node *n, const ir_node *parent,
                    unsigned opts)
{
    const sc_blob *b = v->b;
    const sc_rec *s = sc_resolve(b, sc_node(b, off));
    if (!s || sv_null(n)) return; /* null is absent, as the API server has it */
    if (v->depth > 256 || v->nest > 512 || !v->budget) return;
    v->budget--;
    v->nest++;
    sv_check(v, s, n, parent, opts);
    v->nest--;
}

static void sv_check(sc_vrun *v, const sc_rec *s, const ir_node *n, const ir_node *parent,
                     unsigned opts)
{
    const sc_blob *b = v->b;
    uint32_t t = sv_type(n);
    if (s->types) {
        uint32_t allowed = s->types | ((s->types & SC_T_NUMBER) ? SC_T_INTEGER : 0);
        if (!(t & allowed)) {
            if (v->silent) /* inside anyOf/oneOf/not: only the count matters */
                v->nerr++;
            else
                sv_report(v, VD_ERROR, "schema", n, parent, NULL, "expected %s, got %s",
                          sv_expected(v, s->types), sv_show(v, n));
            return;
        }
    }
    if (n->kind == IR_SCALAR) {
        if (s->format && !sv_format(v, s, n)) return;
        if (s->enumv && !sv_enum_has(b, s->enumv, n)) {
            if (v->silent)
                v->nerr++;
            else
                sv_report(v, VD_ERROR, "schema", n, parent, NULL,
                          "unsupported value %s: must be one of %s", sv_lit(v, n),
                          sv_enum_list(v, b, s->enumv));
            return;
        }
        if (s->pattern) sv_pattern(v, s, n);
    } else if (s->enumv) {
        /* enums of objects are not compiled; a scalar enum never matches a collection */
        if (v->silent)
            v->nerr++;
        else
            sv_report(v, VD_ERROR, "schema", n, parent, NULL,
                      "unsupported value %s: must be one of %s", sv_lit(v, n),
                      sv_enum_list(v, b, s->enumv));
        return;
    }
    if (s->nums) sv_limits(v, s, n);
    if (n->kind == IR_MAP) {
        sv_object(v, s, n, opts);
    } else if (n->kind == IR_SEQ) {
        if (s->items)
            for (size_t i = 0; i < n->seq.n; i++) {
                sv_push(v, NULL, 0, i, n->seq.items[i]);
                sv_node(v, s->items, n->seq.items[i], n, 0);
                v->depth--;
            }
        if (s->flags & (SC_F_LIST_SET | SC_F_LIST_MAP) && n->seq.n > 1) sv_unique(v, s, n);
    }
    if (s->allof) {
        const uint32_t *l = sc_list(b, s->allof);
        for (uint32_t i = 0; i < l[0]; i++)
            sv_node(v, l[1 + i], n, parent, SV_NO_UNKNOWN);
    }
    if (s->anyof) {
        const uint32_t *l = sc_list(b, s->anyof);
        uint32_t i = 0;
        while (i < l[0] && !sv_passes(v, l[1 + i], n, parent))
            i++;
        if (i == l[0])
            sv_report(v, VD_ERROR, "schema", n, parent, NULL,
                      "must match at least one of the anyOf schemas (matches none of %u)", l[0]);
    }
    if (s->oneof) {
        const uint32_t *l = sc_list(b, s->oneof);
        uint32_t hits = 0;
        for (uint32_t i = 0; i < l[0]; i++)
            hits += sv_passes(v, l[1 + i], n, parent);
        if (hits != 1)
            sv_report(v, VD_ERROR, "schema", n, parent, NULL,
                      "must match exactly one of the oneOf schemas (matches %u of %u)", hits, l[0]);
    }
    if (s->not_ && sv_passes(v, s->not_, n, parent))
        sv_report(v, VD_ERROR, "schema", n, parent, NULL, "must not match the \"not\" schema");
}

void sc_vrun_object(sc_vrun *v, const sc_blob *b, uint32_t root, const ir_res *res)
{
    v->b = b;
    v->res = res;
    v->depth = 0;
    v->silent = 0;
    v->nerr = 0;
    v->nest = 0;
    v->budget = 1u << 20;
    sv_node(v, root, res->obj, NULL, 0);
}

void sc_vrun_field(sc_vrun *v, const sc_blob *b, uint32_t root, const ir_res *res, const char *key)
{
    const ir_node *n = ir_map_get(res->obj, key);
    if (!n) return;
    v->b = b;
    v->res = res;
    v->depth = 0;
    v->silent = 0;
    v->nerr = 0;
    v->nest = 0;
    v->budget = 1u << 20;
    sv_push(v, key, strlen(key), 0, NULL);
    sv_node(v, root, n, res->obj, 0);
    v->depth = 0;
}

/* ---- finding the schemas ---- */

typedef struct sv_kind {
    const ir_res *first;
    size_t count;
    bool missing;
} sv_kind;

typedef struct sv_kinds {
    sv_kind *k;
    size_t n, cap;
} sv_kinds;

static bool sv_same_kind(const ir_id *a, const ir_id *b)
{
    return !strcmp(a->kind, b->kind) && !strcmp(a->version, b->version) &&
           !strcmp(a->group, b->group);
}

static sv_kind *sv_kind_of(sv_kinds *ks, const ir_res *r)
{
    for (size_t i = 0; i < ks->n; i++)
        if (sv_same_kind(&ks->k[i].first->id, &r->id)) return &ks->k[i];
    if (ks->n == ks->cap) {
        ks->cap = ks->cap ? ks->cap * 2 : 16;
        ks->k = util_xrealloc(ks->k, ks->cap * sizeof *ks->k);
    }
    ks->k[ks->n] = (sv_kind){r, 0, false};
    return &ks->k[ks->n++];
}

static bool sv_want(void *ctx, const char *g, const char *v, const char *k)
{
    const sv_kinds *ks = ctx;
    /* ObjectMeta (for custom resources' metadata) is in every OpenAPI document; api/v1.json
     * is parsed for it even when no core kind is rendered, so that a cached and a parsed run
     * find the same */
    if (!strcmp(g, SC_META_GROUP) || (!*g && !strcmp(v, "v1") && !k)) return ks->n > 0;
    for (size_t i = 0; i < ks->n; i++) {
        const ir_id *id = &ks->k[i].first->id;
        if (!strcmp(id->group, g) && !strcmp(id->version, v) && (!k || !strcmp(id->kind, k)))
            return true;
    }
    return false;
}

static bool sv_is_crd(const ir_res *r)
{
    return !strcmp(r->id.kind, "CustomResourceDefinition") &&
           !strcmp(r->id.group, "apiextensions.k8s.io");
}

/* The --schema sources as a blob: the cache file when its key matches, else parsed now (only
 * the kinds in `want`, or all with want NULL). */
static bool sv_sources(arena *a, diag_ctx *d, const vd_schema_opts *o, sc_want_fn want, void *ctx,
                       bool use_cache, sc_blob *out, size_t *nfiles)
{
    sc_sources src;
    if (!sc_sources_scan(d, o->sources, o->nsources, &src)) {
        sc_sources_free(&src);
        return false;
    }
    *nfiles = src.n;
    if (use_cache) {
        char *dir = sc_cache_dir(o->cache_dir);
        char *path = dir ? sc_cache_path(dir, src.key) : NULL;
        bool hit = path && sc_cache_load(path, src.key, out);
        if (getenv("KILN_SCHEMA_TRACE"))
            fprintf(stderr, "kiln: schemas: %s %s\n", hit ? "cache hit" : "cache miss",
                    path ? path : "(no cache directory)");
        free(dir);
        free(path);
        if (hit) {
            sc_sources_free(&src);
            return true;
        }
    }
    sc_build *bd = sc_build_new(want, ctx);
    bool ok = sc_sources_compile(d, a, &src, bd, want, ctx);
    sc_build_finish(bd, src.key, (uint32_t)src.n, out);
    if (getenv("KILN_SCHEMA_TRACE"))
        fprintf(stderr, "kiln: schemas: parsed %zu of %zu files, %u kinds compiled\n", src.parsed,
                src.n, sc_hdr(out)->ngvks);
    sc_sources_free(&src);
    if (!ok) sc_blob_free(out);
    return ok;
}

static double sv_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

bool vd_schema_check(arena *a, diag_ctx *d, const ir_resset *set, const vd_schema_opts *o,
                     vd_report *r)
{
    double t0 = sv_now();
    sv_kinds ks = {0};
    for (size_t i = 0; i < set->n; i++)
        sv_kind_of(&ks, set->items[i])->count++;
    /* CRDs of the render come first: they say what the cluster will serve */
    sc_blob crds = {0}, src = {0};
    size_t ncrds = 0;
    sc_build *bd = sc_build_new(sv_want, &ks);
    for (size_t i = 0; i < set->n; i++)
        if (sv_is_crd(set->items[i])) ncrds++, sc_build_add_crd(bd, set->items[i]->obj);
    sc_build_finish(bd, 0, 0, &crds);
    size_t nfiles = 0;
    bool ok = true;
    if (o->nsources) ok = sv_sources(a, d, o, sv_want, &ks, true, &src, &nfiles);
    if (ok) {
        vd_sev nosev = o->require_schemas ? VD_ERROR : VD_WARNING;
        if (!o->nsources && !ncrds && set->n) {
            vd_report_add(a, r, nosev, "schema/no-schema", NULL, "", diag_nopos,
                          "no schemas: the objects were not validated (give --schema: a "
                          "cluster's /openapi/v3 directory, CRD files or JSON schemas)");
        } else {
            sc_vrun *v = sc_vrun_new(a, r, o->strict);
            uint32_t meta = sc_blob_find(&src, SC_META_GROUP, SC_META_VERSION, SC_META_KIND);
            for (size_t i = 0; i < set->n; i++) {
                const ir_res *res = set->items[i];
                const ir_id *id = &res->id;
                const sc_gvk *e = sc_blob_entry(&crds, id->group, id->version, id->kind);
                const sc_blob *b = &crds;
                if (!e && src.data) {
                    e = sc_blob_entry(&src, id->group, id->version, id->kind);
                    b = &src;
                }
                if (!e) {
                    sv_kind_of(&ks, res)->missing = true;
                    continue;
                }
                sc_vrun_object(v, b, e->node, res);
                if (e->flags & SC_G_CRD && meta) sc_vrun_field(v, &src, meta, res, "metadata");
            }
            sc_vrun_free(v);
            for (size_t i = 0; i < ks.n; i++) {
                if (!ks.k[i].missing) continue;
                const ir_res *first = ks.k[i].first;
                const ir_id *id = &first->id;
                vd_report_add(a, r, nosev, "schema/no-schema", first, "", first->pos,
                              "no schema for %s%s%s, kind %s (%zu object%s of this kind not "
                              "validated)",
                              id->group, *id->group ? "/" : "", id->version, id->kind,
                              ks.k[i].count, ks.k[i].count == 1 ? "" : "s");
            }
        }
    }
    sc_blob_free(&crds);
    sc_blob_free(&src);
    free(ks.k);
    if (getenv("KILN_SCHEMA_TRACE"))
        fprintf(stderr, "kiln: schemas: %zu objects validated in %.1f ms\n", set->n,
                (sv_now() - t0) * 1e3);
    return ok;
}

bool vd_schema_import(arena *a, diag_ctx *d, const vd_schema_opts *o, const char **cache_file)
{
    if (!o->nsources) {
        diag_error(d, diag_nopos, "schema import: no sources given");
        return false;
    }
    char *dir = sc_cache_dir(o->cache_dir);
    if (!dir) {
        diag_error(d, diag_nopos, "schema import: no cache directory (set XDG_CACHE_HOME or HOME)");
        return false;
    }
    sc_blob b = {0};
    size_t nfiles = 0;
    bool ok = sv_sources(a, d, o, NULL, NULL, false, &b, &nfiles);
    if (ok) {
        char *path = sc_cache_path(dir, sc_hdr(&b)->key);
        ok = sc_cache_write(d, dir, path, &b);
        if (ok && cache_file) *cache_file = ar_strdup(a, path);
        free(path);
        if (ok && !sc_hdr(&b)->ngvks)
            diag_warn(d, diag_nopos, "schema import: the sources hold no schema for any kind");
        else if (ok)
            diag_note(d, diag_nopos, "schema import: %u kinds from %zu files, %zu bytes",
                      sc_hdr(&b)->ngvks -
                          !!sc_blob_find(&b, SC_META_GROUP, SC_META_VERSION, SC_META_KIND),
                      nfiles, b.size);
    }
    free(dir);
    sc_blob_free(&b);
    return ok;
}
