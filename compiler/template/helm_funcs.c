/* Helm's own template functions: include (with Helm's recursion limit), tpl (parsed into a
 * clone of the set), required, fail, the YAML/JSON converters, lookup (empty offline), and
 * Helm's rewriting of engine errors. */
#include <math.h>
#include <string.h>

#include "template/tpl_fns.h"
#include "template/tpl_int.h"

#define WARN_START "HELM_ERR_START"
#define WARN_END "HELM_ERR_END"

static int *inc_count(tpl_set *s, const char *name)
{
    while (s->parent)
        s = s->parent;
    for (size_t i = 0; i < s->ninc; i++)
        if (strcmp(s->inc_names[i], name) == 0) return &s->inc_counts[i];
    if (s->ninc == s->capinc) {
        size_t nc = s->capinc ? s->capinc * 2 : 16;
        s->inc_names = ar_realloc(s->perm, s->inc_names, s->capinc * sizeof *s->inc_names,
                                  nc * sizeof *s->inc_names);
        s->inc_counts = ar_realloc(s->perm, s->inc_counts, s->capinc * sizeof *s->inc_counts,
                                   nc * sizeof *s->inc_counts);
        s->capinc = nc;
    }
    s->inc_names[s->ninc] = ar_strdup(s->perm, name);
    s->inc_counts[s->ninc] = 0;
    return &s->inc_counts[s->ninc++];
}

TPL_FN(tpl_f_include)
{
    (void)nargs;
    const char *name = ar_strndup(tpl_arena(c), args[0]->str.s, args[0]->str.n);
    int *cnt = inc_count(c->set, name);
    int limit = c->set->opts.max_include_depth ? c->set->opts.max_include_depth : 1000;
    if (*cnt > limit)
        return tpl_errorf(
            c, "rendering template has a nested reference name: %s: unable to execute template",
            name);
    (*cnt)++;
    buf_t b = {0};
    bool ok = tpl_call_template(c, name, args[1], &b);
    cnt = inc_count(c->set, name);
    (*cnt)--;
    if (!ok) {
        buf_free(&b);
        return false;
    }
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

static void strip_no_value(buf_t *b)
{
    size_t j = 0;
    for (size_t i = 0; i < b->len;) {
        if (b->len - i >= 10 && memcmp(b->data + i, "<no value>", 10) == 0) {
            i += 10;
            continue;
        }
        b->data[j++] = b->data[i++];
    }
    b->len = j;
}

TPL_FN(tpl_f_tpl)
{
    (void)nargs;
    arena *a = tpl_arena(c);
    tpl_set *parent = c->set;
    int limit = parent->opts.max_tpl_depth ? parent->opts.max_tpl_depth : 1000;
    if (parent->tpl_depth >= limit || parent->depth >= 1200)
        return tpl_errorf(c, "tpl: nesting exceeds the limit of %d", limit);
    const char *text = ar_strndup(a, args[0]->str.s, args[0]->str.n);
    const char *q = tpl_p_quote_a(a, text, args[0]->str.n);
    tpl_set *child = ar_alloc(a, sizeof *child);
    child->a = a;
    child->parent = parent;
    child->opts = parent->opts;
    child->depth = parent->depth;
    child->tpl_depth = parent->tpl_depth + 1;
    if (!tpl_parse(child, "gotpl", text, args[0]->str.n, 0))
        return tpl_errorf(c, "cannot parse template %s: %s", q, child->err.msg);
    buf_t b = {0};
    tpl_tree *t = tpl_set_lookup(child, "gotpl");
    bool ok = t && tpl_exec_tree(child, t, args[1], &b);
    if (!ok) {
        buf_free(&b);
        return tpl_errorf(c, "error during tpl function execution for %s: %s", q,
                          child->err.msg ? child->err.msg : "no template");
    }
    strip_no_value(&b);
    *out = tpl_str_buf(a, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_required)
{
    (void)nargs;
    const tpl_val *v = args[1];
    if (v->kind == TPL_NIL || (v->kind == TPL_STRING && v->str.n == 0))
        return tpl_errorf(c, WARN_START "%.*s" WARN_END, (int)args[0]->str.n, args[0]->str.s);
    *out = v;
    return true;
}

TPL_FN(tpl_f_fail)
{
    (void)nargs;
    (void)out;
    return tpl_errorf(c, WARN_START "%.*s" WARN_END, (int)args[0]->str.n, args[0]->str.s);
}

TPL_FN(tpl_f_toYaml)
{
    (void)nargs;
    buf_t b = {0};
    const char *err = NULL;
    if (!tpl_to_yaml(tpl_arena(c), args[0], &b, &err)) {
        buf_free(&b);
        *out = tpl_empty_str();
        return true; /* Helm's toYaml swallows errors */
    }
    while (b.len && b.data[b.len - 1] == '\n')
        b.len--; /* strings.TrimSuffix(.., "\n") */
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_toYamlPretty)
{
    return tpl_f_toYaml(c, args, nargs, out);
}

static const tpl_val *err_map(arena *a, const char *msg)
{
    tpl_val *m = tpl_map_new(a, NULL);
    tpl_map_setz(a, m->map, "Error", tpl_cstr(a, msg));
    return m;
}

TPL_FN(tpl_f_fromYaml)
{
    (void)nargs;
    arena *a = tpl_arena(c);
    const tpl_val *v;
    const char *err;
    if (!tpl_from_yaml(a, args[0]->str.s, args[0]->str.n, &v, &err)) {
        *out = err_map(a, err);
        return true;
    }
    if (v->kind != TPL_MAP) {
        if (v->kind == TPL_NIL) {
            *out = tpl_map_new(a, NULL);
            return true;
        }
        *out = err_map(a, ar_printf(a,
                                    "error unmarshaling JSON: json: cannot unmarshal %s into Go "
                                    "value of type map[string]interface {}",
                                    v->kind == TPL_LIST     ? "array"
                                    : v->kind == TPL_STRING ? "string"
                                                            : "number"));
        return true;
    }
    *out = v;
    return true;
}

TPL_FN(tpl_f_fromYamlArray)
{
    (void)nargs;
    arena *a = tpl_arena(c);
    const tpl_val *v;
    const char *err;
    if (!tpl_from_yaml(a, args[0]->str.s, args[0]->str.n, &v, &err)) {
        const tpl_val **it = ar_alloc(a, sizeof *it);
        it[0] = tpl_cstr(a, err);
        *out = tpl_list(a, it, 1, NULL);
        return true;
    }
    if (v->kind == TPL_NIL) v = tpl_list(a, NULL, 0, NULL);
    *out = v;
    return true;
}

TPL_FN(tpl_f_toJson)
{
    (void)nargs;
    buf_t b = {0};
    const char *err = NULL;
    if (!tpl_to_json(tpl_arena(c), args[0], 0, &b, &err)) {
        buf_free(&b);
        *out = tpl_empty_str();
        return true;
    }
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_mustToYaml)
{
    (void)nargs;
    buf_t b = {0};
    const char *err = NULL;
    if (!tpl_to_yaml(tpl_arena(c), args[0], &b, &err)) {
        buf_free(&b);
        return tpl_errorf(c, "%s", err ? err : "cannot marshal to YAML");
    }
    while (b.len && b.data[b.len - 1] == '\n')
        b.len--;
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_mustToJson)
{
    (void)nargs;
    buf_t b = {0};
    const char *err = NULL;
    if (!tpl_to_json(tpl_arena(c), args[0], 0, &b, &err)) {
        buf_free(&b);
        return tpl_errorf(c, "%s", err ? err : "cannot marshal to JSON");
    }
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_fromJson)
{
    return tpl_f_fromYaml(c, args, nargs, out);
}
TPL_FN(tpl_f_fromJsonArray)
{
    return tpl_f_fromYamlArray(c, args, nargs, out);
}

/* ---- toToml: BurntSushi/toml's encoder (direct keys first, then tables; keys sorted; two-space
 * indent per level; a blank line before top-level tables and arrays of tables) ---- */

typedef struct toml_enc {
    buf_t *out;
    bool written;
    const char *err;
} toml_enc;

typedef struct toml_key {
    const char **k;
    size_t *kn;
    size_t n;
} toml_key;

static bool bare_key(const char *s, size_t n)
{
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

static void toml_quoted(buf_t *o, const char *s, size_t n)
{
    buf_putc(o, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"':
            buf_puts(o, "\\\"");
            break;
        case '\\':
            buf_puts(o, "\\\\");
            break;
        case '\b':
            buf_puts(o, "\\b");
            break;
        case '\t':
            buf_puts(o, "\\t");
            break;
        case '\n':
            buf_puts(o, "\\n");
            break;
        case '\f':
            buf_puts(o, "\\f");
            break;
        case '\r':
            buf_puts(o, "\\r");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                buf_printf(o, "\\u%04x", c);
            else
                buf_putc(o, (char)c);
        }
    }
    buf_putc(o, '"');
}

static void toml_keypart(buf_t *o, const char *s, size_t n)
{
    if (bare_key(s, n))
        buf_put(o, s, n);
    else
        toml_quoted(o, s, n);
}

static void toml_wf(toml_enc *e, const char *s)
{
    buf_puts(e->out, s);
    e->written = true;
}
static void toml_newline(toml_enc *e)
{
    if (e->written) buf_putc(e->out, '\n');
}
static void toml_indent(toml_enc *e, const toml_key *k)
{
    for (size_t i = 1; i < k->n; i++)
        buf_puts(e->out, "  ");
}

enum { TT_NIL, TT_SCALAR, TT_ARRAY, TT_HASH, TT_ARRAYHASH };

static int toml_type(toml_enc *e, const tpl_val *v)
{
    switch (v->kind) {
    case TPL_NIL:
        return TT_NIL;
    case TPL_MAP:
        return TT_HASH;
    case TPL_LIST:
        if (v->list.n == 0) return TT_ARRAY;
        for (size_t i = 1; i < v->list.n; i++)
            if (v->list.items[i]->kind == TPL_NIL && !e->err)
                e->err = "toml: cannot encode array with nil element";
        if (v->list.items[0]->kind == TPL_NIL) {
            if (!e->err) e->err = "toml: cannot encode array with nil element";
            return TT_ARRAY;
        }
        return v->list.items[0]->kind == TPL_MAP ? TT_ARRAYHASH : TT_ARRAY;
    default:
        return TT_SCALAR;
    }
}

static void toml_element(toml_enc *e, const tpl_val *v);

static void toml_inline_map(toml_enc *e, const tpl_val *m)
{
    /* direct keys, then table-valued keys, each sorted; nil values skipped */
    buf_puts(e->out, "{");
    size_t nsub = 0;
    for (size_t i = 0; i < m->map->n; i++) {
        int t = toml_type(e, m->map->vals[i]);
        if (t == TT_HASH || t == TT_ARRAYHASH) nsub++;
    }
    for (int pass = 0; pass < 2; pass++) {
        size_t cnt = 0, total = 0;
        for (size_t i = 0; i < m->map->n; i++) {
            int t = toml_type(e, m->map->vals[i]);
            if ((t == TT_HASH || t == TT_ARRAYHASH) == (pass == 1)) total++;
        }
        for (size_t i = 0; i < m->map->n; i++) {
            const tpl_val *v = m->map->vals[i];
            int t = toml_type(e, v);
            if ((t == TT_HASH || t == TT_ARRAYHASH) != (pass == 1)) continue;
            cnt++;
            if (t == TT_NIL) continue;
            toml_keypart(e->out, m->map->keys[i], m->map->klens[i]);
            buf_puts(e->out, " = ");
            toml_element(e, v);
            if ((pass == 0 && nsub > 0) || cnt != total) buf_puts(e->out, ", ");
        }
    }
    buf_puts(e->out, "}");
}

static void toml_element(toml_enc *e, const tpl_val *v)
{
    e->written = true;
    switch (v->kind) {
    case TPL_STRING:
    case TPL_BYTES:
        toml_quoted(e->out, v->str.s, v->str.n);
        return;
    case TPL_BOOL:
        buf_puts(e->out, v->b ? "true" : "false");
        return;
    case TPL_FLOAT64:
        if (isnan(v->f)) {
            buf_puts(e->out, "nan");
        } else if (isinf(v->f)) {
            buf_puts(e->out, v->f < 0 ? "-inf" : "+inf");
        } else {
            size_t at = e->out->len;
            tpl_format_float(e->out, v->f, 'f', -1);
            if (!memchr(e->out->data + at, '.', e->out->len - at)) buf_puts(e->out, ".0");
        }
        return;
    case TPL_LIST:
        buf_putc(e->out, '[');
        for (size_t i = 0; i < v->list.n; i++) {
            if (v->list.items[i]->kind == TPL_NIL) {
                if (!e->err) e->err = "toml: cannot encode array with nil element";
                continue;
            }
            toml_element(e, v->list.items[i]);
            if (i + 1 != v->list.n) buf_puts(e->out, ", ");
        }
        buf_putc(e->out, ']');
        return;
    case TPL_MAP:
        toml_inline_map(e, v);
        return;
    case TPL_OBJ: {
        buf_t b = {0};
        tpl_print(&b, v);
        toml_quoted(e->out, b.data ? b.data : "", b.len);
        buf_free(&b);
        return;
    }
    default:
        if (tpl_is_int(v))
            buf_printf(e->out, "%lld", (long long)v->i);
        else if (tpl_is_uint(v))
            buf_printf(e->out, "%llu", (unsigned long long)v->u);
        return;
    }
}

static void toml_keystr(toml_enc *e, const toml_key *k)
{
    for (size_t i = 0; i < k->n; i++) {
        if (i) buf_putc(e->out, '.');
        toml_keypart(e->out, k->k[i], k->kn[i]);
    }
}

static void toml_encode(toml_enc *e, arena *a, toml_key *k, const tpl_val *v);

static void toml_map(toml_enc *e, arena *a, toml_key *k, const tpl_val *m)
{
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->map->n; i++) {
            const tpl_val *v = m->map->vals[i];
            int t = toml_type(e, v);
            if ((t == TT_HASH || t == TT_ARRAYHASH) != (pass == 1) || t == TT_NIL) continue;
            toml_key sub;
            sub.n = k->n + 1;
            sub.k = ar_alloc(a, sub.n * sizeof *sub.k);
            sub.kn = ar_alloc(a, sub.n * sizeof *sub.kn);
            if (k->n) {
                memcpy(sub.k, k->k, k->n * sizeof *sub.k);
                memcpy(sub.kn, k->kn, k->n * sizeof *sub.kn);
            }
            sub.k[k->n] = m->map->keys[i];
            sub.kn[k->n] = m->map->klens[i];
            toml_encode(e, a, &sub, v);
        }
    }
}

static void toml_encode(toml_enc *e, arena *a, toml_key *k, const tpl_val *v)
{
    int t = toml_type(e, v);
    if (t == TT_NIL) return;
    if (t == TT_HASH) {
        if (k->n == 1) toml_newline(e);
        if (k->n > 0) {
            toml_indent(e, k);
            buf_putc(e->out, '[');
            toml_keystr(e, k);
            toml_wf(e, "]");
            toml_newline(e);
        }
        toml_map(e, a, k, v);
        return;
    }
    if (k->n == 0) {
        if (!e->err) e->err = "toml: top-level values must be Go maps or structs";
        return;
    }
    if (t == TT_ARRAYHASH) {
        for (size_t i = 0; i < v->list.n; i++) {
            if (v->list.items[i]->kind == TPL_NIL) continue;
            toml_newline(e);
            toml_indent(e, k);
            buf_puts(e->out, "[[");
            toml_keystr(e, k);
            toml_wf(e, "]]");
            toml_newline(e);
            if (v->list.items[i]->kind == TPL_MAP) toml_map(e, a, k, v->list.items[i]);
        }
        return;
    }
    toml_indent(e, k);
    toml_keypart(e->out, k->k[k->n - 1], k->kn[k->n - 1]);
    buf_puts(e->out, " = ");
    toml_element(e, v);
    toml_newline(e);
}

TPL_FN(tpl_f_toToml)
{
    (void)nargs;
    arena *a = tpl_arena(c);
    buf_t b = {0};
    toml_enc e = {&b, false, NULL};
    toml_key k = {NULL, NULL, 0};
    toml_encode(&e, a, &k, args[0]);
    *out = e.err ? tpl_cstr(a, e.err) : tpl_str_buf(a, &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_fromToml)
{
    (void)args;
    (void)nargs;
    (void)out;
    return tpl_errorf(c, "fromToml is not supported by kiln yet");
}

TPL_FN(tpl_f_lookup)
{
    (void)args;
    (void)nargs;
    *out = tpl_map_new(tpl_arena(c), NULL);
    return true;
}

/* ---- Helm's cleanup of engine errors ---- */

const char *tpl_helm_parse_error(arena *a, const char *filename, const char *msg)
{
    /* "template: LOCATION: ... : MSG" -> "parse error at (LOCATION): MSG" */
    const char *p1 = strstr(msg, ": ");
    if (!p1) return ar_printf(a, "parse error in (%s): %s", filename, msg);
    const char *loc = p1 + 2;
    const char *p2 = strstr(loc, ": ");
    if (!p2) return ar_printf(a, "parse error at (%s): %s", loc, "");
    const char *last = p2 + 2;
    for (const char *q = strstr(last, ": "); q; q = strstr(q + 2, ": "))
        last = q + 2;
    return ar_printf(a, "parse error at (%.*s): %s", (int)(p2 - loc), loc, last);
}

const char *tpl_helm_exec_error(arena *a, const char *filename, const char *msg)
{
    (void)filename;
    const char *p1 = strstr(msg, ": ");
    if (!p1) return msg;
    const char *loc = p1 + 2;
    const char *p2 = strstr(loc, ": ");
    if (!p2) return msg;
    const char *s = strstr(p2 + 2, WARN_START);
    if (!s) return msg;
    s += strlen(WARN_START);
    const char *e = NULL;
    for (const char *q = strstr(s, WARN_END); q; q = strstr(q + 1, WARN_END))
        e = q;
    if (!e) return msg;
    return ar_printf(a, "execution error at (%.*s): %.*s", (int)(p2 - loc), loc, (int)(e - s), s);
}
