/* A minimal JSON-schema check of chart values (values.schema.json) for `kiln template`: type,
 * required, properties, additionalProperties, items, enum, const, minimum/maximum, min/max
 * length and items, pattern (PCRE2 for Go's RE2; a pattern PCRE2 cannot read checks nothing);
 * local $ref; allOf/anyOf/oneOf/not. Messages follow
 * santhosh-tekuri/jsonschema as Helm prints them ("- at '/a': got string, want number"). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "template/chart.h"
#include "template/chart_int.h"
#include "template/tpl_int.h"

typedef struct sv {
    arena *a;
    const tpl_val *root;
    buf_t *out;
    int depth;
} sv;

static const char *sv_type(const tpl_val *v)
{
    switch (v->kind) {
    case TPL_NIL:
        return "null";
    case TPL_BOOL:
        return "boolean";
    case TPL_STRING:
        return "string";
    case TPL_LIST:
        return "array";
    case TPL_MAP:
        return "object";
    default:
        return "number";
    }
}

static bool sv_num(const tpl_val *v, double *d)
{
    if (v->kind == TPL_FLOAT64)
        *d = v->f;
    else if (tpl_is_int(v))
        *d = (double)v->i;
    else if (tpl_is_uint(v))
        *d = (double)v->u;
    else
        return false;
    return true;
}

static bool sv_type_ok(const tpl_val *v, const char *t)
{
    double d;
    if (!strcmp(t, "integer")) return sv_num(v, &d) && d == floor(d);
    if (!strcmp(t, "number")) return sv_num(v, &d);
    return !strcmp(sv_type(v), t);
}

static const char *sv_str(const tpl_map *s, const char *k)
{
    const tpl_val *v = tpl_map_getz(s, k);
    return v && v->kind == TPL_STRING ? v->str.s : NULL;
}

static void sv_numstr(buf_t *b, double d)
{
    if (d == floor(d) && fabs(d) < 1e15)
        buf_printf(b, "%.0f", d);
    else
        buf_printf(b, "%g", d);
}

static void sv_err(sv *s, const char *at, int indent, const char *msg)
{
    for (int i = 0; i < indent; i++)
        buf_puts(s->out, "  ");
    buf_printf(s->out, "- at '%s': %s\n", at, msg);
}

/* The jsonschema library's quote: Go's %q, then \" back to " and ' escaped, in single quotes. */
static void sv_quote(buf_t *out, const char *str, size_t n)
{
    buf_t q = {0};
    tpl_go_quote(&q, str, n, false);
    buf_putc(out, '\'');
    for (size_t i = 1; i + 1 < q.len; i++) {
        if (q.data[i] == '\\' && q.data[i + 1] == '"' && i + 2 < q.len) {
            buf_putc(out, '"');
            i++;
        } else if (q.data[i] == '\'') {
            buf_puts(out, "\\'");
        } else {
            buf_putc(out, q.data[i]);
        }
    }
    buf_putc(out, '\'');
    buf_free(&q);
}

/* 1 when STR matches PATTERN anywhere (as Go's regexp.MatchString), 0 when not, -1 when
 * PCRE2 cannot compile the pattern or the string is not UTF-8. */
static int sv_pattern_match(const tpl_val *pat, const tpl_val *str)
{
    int err;
    PCRE2_SIZE eoff;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pat->str.s, pat->str.n, PCRE2_UTF, &err, &eoff, NULL);
    if (!re) return -1;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = pcre2_match(re, (PCRE2_SPTR)str->str.s, str->str.n, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static const tpl_map *sv_ref(sv *s, const char *ref)
{
    if (ref[0] != '#') return NULL;
    const tpl_val *cur = s->root;
    const char *p = ref + 1;
    while (*p == '/') {
        p++;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!cur || cur->kind != TPL_MAP) return NULL;
        cur = tpl_map_get(cur->map, p, n);
        p += n;
    }
    return cur && cur->kind == TPL_MAP ? cur->map : NULL;
}

static int sv_check(sv *s, const tpl_map *sc, const tpl_val *v, const char *at, int indent);

static int sv_check_val(sv *s, const tpl_val *sch, const tpl_val *v, const char *at, int indent)
{
    if (!sch) return 0;
    if (sch->kind == TPL_BOOL) {
        if (!sch->b) {
            sv_err(s, at, indent, "false schema");
            return 1;
        }
        return 0;
    }
    if (sch->kind != TPL_MAP) return 0;
    return sv_check(s, sch->map, v, at, indent);
}

static int sv_check(sv *s, const tpl_map *sc, const tpl_val *v, const char *at, int indent)
{
    arena *a = s->a;
    if (++s->depth > 200) {
        s->depth--;
        return 0;
    }
    int errs = 0;
    const char *ref = sv_str(sc, "$ref");
    if (ref) {
        const tpl_map *r = sv_ref(s, ref);
        if (r) errs += sv_check(s, r, v, at, indent);
    }
    const tpl_val *t = tpl_map_getz(sc, "type");
    if (t) {
        bool ok = false;
        buf_t want = {0};
        if (t->kind == TPL_STRING) {
            ok = sv_type_ok(v, t->str.s);
            buf_puts(&want, t->str.s);
        } else if (t->kind == TPL_LIST)
            for (size_t i = 0; i < t->list.n; i++)
                if (t->list.items[i]->kind == TPL_STRING) {
                    if (sv_type_ok(v, t->list.items[i]->str.s)) ok = true;
                    buf_printf(&want, "%s%s", i ? " or " : "", t->list.items[i]->str.s);
                }
        if (!ok) {
            const char *got = sv_type(v);
            double d;
            if (sv_num(v, &d) && d == floor(d)) got = "number";
            sv_err(s, at, indent, ar_printf(a, "got %s, want %s", got, want.data ? want.data : ""));
            buf_free(&want);
            s->depth--;
            return errs + 1;
        }
        buf_free(&want);
    }
    const tpl_val *en = tpl_map_getz(sc, "enum");
    if (en && en->kind == TPL_LIST) {
        bool found = false;
        for (size_t i = 0; i < en->list.n && !found; i++) {
            double x, y;
            if (sv_num(en->list.items[i], &x) && sv_num(v, &y))
                found = x == y;
            else
                found = tpl_deep_equal(en->list.items[i], v);
        }
        if (!found) {
            sv_err(s, at, indent, "value must be one of the enumerated values");
            errs++;
        }
    }
    double d, lim;
    if (sv_num(v, &d)) {
        const tpl_val *m;
        if ((m = tpl_map_getz(sc, "minimum")) && sv_num(m, &lim) && d < lim) {
            buf_t b = {0};
            buf_puts(&b, "minimum: got ");
            sv_numstr(&b, d);
            buf_puts(&b, ", want ");
            sv_numstr(&b, lim);
            sv_err(s, at, indent, buf_cstr(&b));
            buf_free(&b);
            errs++;
        }
        if ((m = tpl_map_getz(sc, "maximum")) && sv_num(m, &lim) && d > lim) {
            buf_t b = {0};
            buf_puts(&b, "maximum: got ");
            sv_numstr(&b, d);
            buf_puts(&b, ", want ");
            sv_numstr(&b, lim);
            sv_err(s, at, indent, buf_cstr(&b));
            buf_free(&b);
            errs++;
        }
    }
    if (v->kind == TPL_STRING) {
        const tpl_val *m;
        size_t runes = 0;
        for (size_t i = 0; i < v->str.n; i++)
            runes += ((unsigned char)v->str.s[i] & 0xC0) != 0x80;
        if ((m = tpl_map_getz(sc, "minLength")) && sv_num(m, &lim) && (double)runes < lim) {
            sv_err(s, at, indent, ar_printf(a, "minLength: got %zu, want %.0f", runes, lim));
            errs++;
        }
        if ((m = tpl_map_getz(sc, "maxLength")) && sv_num(m, &lim) && (double)runes > lim) {
            sv_err(s, at, indent, ar_printf(a, "maxLength: got %zu, want %.0f", runes, lim));
            errs++;
        }
        if ((m = tpl_map_getz(sc, "pattern")) && m->kind == TPL_STRING &&
            sv_pattern_match(m, v) == 0) {
            buf_t b = {0};
            sv_quote(&b, v->str.s, v->str.n);
            buf_puts(&b, " does not match pattern ");
            sv_quote(&b, m->str.s, m->str.n);
            sv_err(s, at, indent, buf_cstr(&b));
            buf_free(&b);
            errs++;
        }
    }
    if (v->kind == TPL_MAP) {
        const tpl_val *req = tpl_map_getz(sc, "required");
        if (req && req->kind == TPL_LIST) {
            buf_t miss = {0};
            size_t nm = 0;
            for (size_t i = 0; i < req->list.n; i++) {
                const tpl_val *k = req->list.items[i];
                if (k->kind == TPL_STRING && !tpl_map_get(v->map, k->str.s, k->str.n)) {
                    buf_printf(&miss, "%s'%s'", nm ? ", " : "", k->str.s);
                    nm++;
                }
            }
            if (nm) {
                sv_err(s, at, indent,
                       ar_printf(a, "missing propert%s %s", nm > 1 ? "ies" : "y", miss.data));
                errs++;
            }
            buf_free(&miss);
        }
        const tpl_val *props = tpl_map_getz(sc, "properties");
        const tpl_val *addl = tpl_map_getz(sc, "additionalProperties");
        buf_t extra = {0};
        size_t nextra = 0;
        for (size_t i = 0; i < v->map->n; i++) {
            const char *k = v->map->keys[i];
            const char *sub = ar_printf(a, "%s/%s", at, k);
            const tpl_val *ps =
                props && props->kind == TPL_MAP ? tpl_map_getz(props->map, k) : NULL;
            if (ps)
                errs += sv_check_val(s, ps, v->map->vals[i], sub, indent);
            else if (addl && addl->kind == TPL_BOOL && !addl->b) {
                buf_printf(&extra, "%s'%s'", nextra ? ", " : "", k);
                nextra++;
            } else if (addl && addl->kind == TPL_MAP)
                errs += sv_check_val(s, addl, v->map->vals[i], sub, indent);
        }
        if (nextra) {
            sv_err(s, at, indent,
                   ar_printf(a, "additional propert%s %s not allowed", nextra > 1 ? "ies" : "y",
                             extra.data));
            errs++;
        }
        buf_free(&extra);
    }
    if (v->kind == TPL_LIST) {
        const tpl_val *items = tpl_map_getz(sc, "items");
        if (items && items->kind == TPL_MAP) {
            buf_t sub = {0};
            int n = 0;
            buf_t *saved = s->out;
            s->out = &sub;
            for (size_t i = 0; i < v->list.n; i++)
                n += sv_check(s, items->map, v->list.items[i], ar_printf(a, "%s/%zu", at, i),
                              indent + 1);
            s->out = saved;
            size_t lines = 0;
            for (size_t i = 0; i < sub.len; i++)
                lines += sub.data[i] == '\n';
            if (n && lines == 1) { /* a single cause replaces its parent */
                buf_put(s->out, sub.data + 2, sub.len - 2);
                errs++;
            } else if (n) {
                sv_err(s, at, indent, "validation failed");
                buf_put(s->out, sub.data, sub.len);
                errs++;
            }
            buf_free(&sub);
        }
    }
    static const char *const combs[] = {"allOf", "anyOf", "oneOf"};
    for (int ci = 0; ci < 3; ci++) {
        const tpl_val *l = tpl_map_getz(sc, combs[ci]);
        if (!l || l->kind != TPL_LIST) continue;
        buf_t sub = {0};
        buf_t *saved = s->out;
        s->out = &sub;
        size_t okn = 0;
        int n = 0;
        for (size_t i = 0; i < l->list.n; i++) {
            int e = sv_check_val(s, l->list.items[i], v, at, indent + 1);
            n += e;
            okn += e == 0;
        }
        s->out = saved;
        bool bad = ci == 0 ? n > 0 : ci == 1 ? okn == 0 : okn != 1;
        if (bad) {
            sv_err(s, at, indent,
                   ci == 0   ? "allOf failed"
                   : ci == 1 ? "anyOf failed"
                             : "oneOf failed");
            buf_put(s->out, sub.data, sub.len);
            errs++;
        }
        buf_free(&sub);
    }
    s->depth--;
    return errs;
}

static bool sc_chart(arena *a, const chart *c, const tpl_map *vals, buf_t *err, diag_pos *pos)
{
    bool ok = true;
    if (c->schema) {
        const tpl_val *sch;
        size_t used;
        const char *e = NULL;
        if (!chart_json_decode(a, c->schema, c->schema_n, &sch, &used, &e)) {
            buf_printf(err, "%s:\n- %s\n", c->name, e);
            if (!pos->file) *pos = diag_at(c->schema_file, 1, 1);
            return false;
        }
        buf_t out = {0};
        sv s = {.a = a, .root = sch, .out = &out};
        tpl_val *vv = tpl_map_new(a, NULL);
        vv->map = (tpl_map *)vals;
        if (sv_check_val(&s, sch, vv, "", 0)) {
            buf_printf(err, "%s:\n", c->name);
            buf_put(err, out.data, out.len);
            if (!pos->file) *pos = diag_at(c->schema_file, 1, 1);
            ok = false;
        }
        buf_free(&out);
    }
    for (size_t i = 0; i < c->nsubs; i++) {
        const tpl_val *sub = tpl_map_getz(vals, c->subs[i]->name);
        tpl_map *sm = sub && sub->kind == TPL_MAP ? sub->map : tpl_map_new(a, NULL)->map;
        if (!sc_chart(a, c->subs[i], sm, err, pos)) ok = false;
    }
    return ok;
}

bool chart_schema_validate(arena *a, const chart *c, const tpl_map *vals, buf_t *err, diag_pos *pos)
{
    return sc_chart(a, c, vals, err, pos);
}
