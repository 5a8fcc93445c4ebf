/* Helm's own template functions: include (with Helm's recursion limit), tpl (parsed into a
 * clone of the set), required, fail, the YAML/JSON converters, lookup (empty offline), and
 * Helm's rewriting of engine errors. */
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
        s->inc_names = ar_realloc(s->a, s->inc_names, s->capinc * sizeof *s->inc_names,
                                  nc * sizeof *s->inc_names);
        s->inc_counts = ar_realloc(s->a, s->inc_counts, s->capinc * sizeof *s->inc_counts,
                                   nc * sizeof *s->inc_counts);
        s->capinc = nc;
    }
    s->inc_names[s->ninc] = ar_strdup(s->a, name);
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

TPL_FN(tpl_f_fromJson)
{
    return tpl_f_fromYaml(c, args, nargs, out);
}
TPL_FN(tpl_f_fromJsonArray)
{
    return tpl_f_fromYamlArray(c, args, nargs, out);
}

TPL_FN(tpl_f_toToml)
{
    (void)args;
    (void)nargs;
    (void)out;
    return tpl_errorf(c, "toToml is not supported by kiln yet");
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
