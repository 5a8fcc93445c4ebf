/* Chart values: reading values files as sigs.k8s.io/yaml does (float64 numbers, YAML 1.1 keys),
 * deep copies, Helm's mergeMaps for -f/--set-json, and the coalesce rules (null deletes). */
#include <stdio.h>
#include <string.h>

#include "template/chart.h"
#include "template/chart_int.h"
#include "yaml/yaml.h"

const tpl_val *chart_deep_copy(arena *a, const tpl_val *v)
{
    if (v->kind == TPL_MAP) {
        tpl_val *m = tpl_map_new(a, v->map->tname);
        m->map = chart_map_deep_copy(a, v->map);
        return m;
    }
    if (v->kind == TPL_LIST) {
        const tpl_val **items = ar_alloc(a, (v->list.n ? v->list.n : 1) * sizeof *items);
        for (size_t i = 0; i < v->list.n; i++)
            items[i] = chart_deep_copy(a, v->list.items[i]);
        return tpl_list(a, items, v->list.n, v->list.tname);
    }
    return v;
}

tpl_map *chart_map_deep_copy(arena *a, const tpl_map *m)
{
    tpl_map *c = tpl_map_copy(a, m);
    for (size_t i = 0; i < c->n; i++)
        c->vals[i] = chart_deep_copy(a, c->vals[i]);
    return c;
}

tpl_map *chart_merge_maps(arena *a, const tpl_map *am, const tpl_map *bm)
{
    tpl_map *out = tpl_map_copy(a, am);
    for (size_t i = 0; i < bm->n; i++) {
        const tpl_val *v = bm->vals[i];
        if (v->kind == TPL_MAP) {
            const tpl_val *cur = tpl_map_get(out, bm->keys[i], bm->klens[i]);
            if (cur && cur->kind == TPL_MAP) {
                tpl_val *nv = tpl_map_new(a, NULL);
                nv->map = chart_merge_maps(a, cur->map, v->map);
                tpl_map_set(a, out, bm->keys[i], bm->klens[i], nv);
                continue;
            }
        }
        tpl_map_set(a, out, bm->keys[i], bm->klens[i], v);
    }
    return out;
}

/* A YAML node as sigs.k8s.io/yaml's JSON round trip leaves it. */
static const tpl_val *cv_node(arena *a, const ir_node *n)
{
    if (n->kind == IR_MAP) {
        tpl_val *m = tpl_map_new(a, NULL);
        for (size_t i = 0; i < n->map.n; i++) {
            const ir_node *k = n->map.items[i].key;
            const char *ks = "";
            size_t kn = 0;
            if (k->kind == IR_SCALAR) {
                if (k->tag == IR_TAG_BOOL) {
                    ks = k->sc.v.b ? "true" : "false";
                    kn = strlen(ks);
                } else if (k->tag == IR_TAG_NULL) {
                    ks = "null";
                    kn = 4;
                } else if (k->tag == IR_TAG_INT && !(k->flags & IR_INT_UNSIGNED)) {
                    ks = ar_printf(a, "%lld", (long long)k->sc.v.i);
                    kn = strlen(ks);
                } else if (k->tag == IR_TAG_FLOAT) {
                    char b[64];
                    size_t bn = ky_format_float_g(k->sc.v.f, b);
                    ks = ar_strndup(a, b, bn);
                    kn = bn;
                } else {
                    ks = k->sc.s;
                    kn = k->sc.n;
                }
            }
            tpl_map_set(a, m->map, ks, kn, cv_node(a, n->map.items[i].val));
        }
        return m;
    }
    if (n->kind == IR_SEQ) {
        const tpl_val **items = ar_alloc(a, (n->seq.n ? n->seq.n : 1) * sizeof *items);
        for (size_t i = 0; i < n->seq.n; i++)
            items[i] = cv_node(a, n->seq.items[i]);
        return tpl_list(a, items, n->seq.n, NULL);
    }
    /* go-yaml v2 decodes timestamps into interface{} as their text: dates stay strings */
    if (n->kind == IR_SCALAR && n->tag == IR_TAG_TIMESTAMP) return tpl_str(a, n->sc.s, n->sc.n);
    return tpl_from_ir(a, n, TPL_IR_FLOAT);
}

bool chart_values_parse(arena *a, const char *text, size_t n, tpl_map **out, const char **err)
{
    diag_ctx d;
    diag_init(&d);
    uint32_t f = diag_file_add(&d, "values", text, n);
    ky_opts o = {.flavor = KY_V2, .dup_last_wins = true};
    ky_docs docs = {0};
    *out = tpl_map_new(a, NULL)->map;
    bool ok = ky_load(a, &d, f, text, n, &o, &docs);
    if (!ok) {
        *err = ar_strdup(a, d.nmsgs ? d.msgs[0].text : "invalid YAML");
        if (d.nmsgs && d.msgs[0].pos.line)
            *err = ar_printf(a, "error converting YAML to JSON: yaml: line %u: %s",
                             d.msgs[0].pos.line, d.msgs[0].text);
    } else if (docs.n > 0 && docs.docs[0]) {
        const ir_node *root = docs.docs[0];
        if (root->kind == IR_MAP)
            *out = cv_node(a, root)->map;
        else if (!(root->kind == IR_SCALAR && root->tag == IR_TAG_NULL)) {
            *err = ar_printf(a,
                             "error unmarshaling JSON: while decoding JSON: json: cannot "
                             "unmarshal %s into Go value of type map[string]interface {}",
                             root->kind == IR_SEQ                                   ? "array"
                             : root->tag == IR_TAG_STR                              ? "string"
                             : root->tag == IR_TAG_BOOL                             ? "bool"
                             : root->tag == IR_TAG_INT || root->tag == IR_TAG_FLOAT ? "number"
                                                                                    : "string");
            ok = false;
        }
    }
    diag_free(&d);
    return ok;
}

/* ---- coalesce (pkg/chart/common/util/coalesce.go) ---- */

static bool is_table(const tpl_val *v)
{
    return v && v->kind == TPL_MAP;
}

static void coalesce_tables(arena *a, tpl_map *dst, tpl_map *src, bool merge)
{
    if (!src || !dst) return;
    /* which src keys held non-nil values before dst's nils are copied in */
    tpl_map *orig = tpl_map_copy(a, src);
    for (size_t i = 0; i < dst->n; i++)
        if (dst->vals[i]->kind == TPL_NIL)
            tpl_map_set(a, src, dst->keys[i], dst->klens[i], tpl_nil());
    for (size_t i = 0; i < src->n; i++) {
        const char *k = src->keys[i];
        size_t kn = src->klens[i];
        const tpl_val *val = src->vals[i];
        const tpl_val *dv = tpl_map_get(dst, k, kn);
        const tpl_val *ov = tpl_map_get(orig, k, kn);
        if (dv && !merge && dv->kind == TPL_NIL && ov && ov->kind != TPL_NIL)
            tpl_map_del(dst, k, kn);
        else if (!dv)
            tpl_map_set(a, dst, k, kn, val);
        else if (is_table(val)) {
            if (is_table(dv)) coalesce_tables(a, dv->map, val->map, merge);
        }
    }
}

void chart_coalesce_tables(arena *a, tpl_map *dst, tpl_map *src, bool merge)
{
    coalesce_tables(a, dst, src, merge);
}

static bool is_dep(const chart *c, const char *k, size_t kn)
{
    for (size_t i = 0; i < c->nsubs; i++)
        if (strlen(c->subs[i]->name) == kn && !memcmp(c->subs[i]->name, k, kn)) return true;
    return false;
}

static void coalesce_values(arena *a, const chart *c, tpl_map *v, bool merge)
{
    tpl_map *vc = chart_map_deep_copy(a, c->values);
    for (size_t i = 0; i < vc->n; i++) {
        const char *k = vc->keys[i];
        size_t kn = vc->klens[i];
        const tpl_val *val = vc->vals[i];
        const tpl_val *value = tpl_map_get(v, k, kn);
        if (value) {
            if (value->kind == TPL_NIL && !merge)
                tpl_map_del(v, k, kn);
            else if (value->kind == TPL_MAP && val->kind == TPL_MAP) {
                coalesce_tables(a, value->map, val->map, merge || is_dep(c, k, kn));
            }
        } else
            tpl_map_set(a, v, k, kn, val);
    }
}

static void coalesce_globals(arena *a, tpl_map *dest, tpl_map *src)
{
    const tpl_val *dgv = tpl_map_getz(dest, "global");
    const tpl_val *sgv = tpl_map_getz(src, "global");
    tpl_map *dg, *sg;
    if (!dgv)
        dg = tpl_map_new(a, NULL)->map;
    else if (dgv->kind == TPL_MAP)
        dg = dgv->map;
    else
        return;
    if (!sgv)
        sg = tpl_map_new(a, NULL)->map;
    else if (sgv->kind == TPL_MAP)
        sg = sgv->map;
    else
        return;
    for (size_t i = 0; i < sg->n; i++) {
        const char *k = sg->keys[i];
        size_t kn = sg->klens[i];
        const tpl_val *val = sg->vals[i];
        const tpl_val *dv = tpl_map_get(dg, k, kn);
        if (is_table(val)) {
            tpl_val *vv = tpl_map_new(a, NULL);
            vv->map = chart_map_deep_copy(a, val->map);
            if (!dv)
                tpl_map_set(a, dg, k, kn, vv);
            else if (dv->kind == TPL_MAP) {
                coalesce_tables(a, vv->map, dv->map, true);
                tpl_map_set(a, dg, k, kn, vv);
            }
        } else if (dv && is_table(dv)) {
            /* skipped */
        } else
            tpl_map_set(a, dg, k, kn, val);
    }
    tpl_val *g = tpl_map_new(a, NULL);
    g->map = dg;
    tpl_map_setz(a, dest, "global", g);
}

static bool coalesce(arena *a, const chart *c, tpl_map *dest, bool merge, const char **err);

static bool coalesce_deps(arena *a, const chart *c, tpl_map *dest, bool merge, const char **err)
{
    for (size_t i = 0; i < c->nsubs; i++) {
        const chart *sc = c->subs[i];
        const tpl_val *cur = tpl_map_getz(dest, sc->name);
        tpl_val *dv;
        if (!cur) {
            dv = tpl_map_new(a, NULL);
            tpl_map_setz(a, dest, sc->name, dv);
        } else if (cur->kind != TPL_MAP) {
            *err = ar_printf(a, "type mismatch on %s: %%!t(%s)", sc->name, tpl_type_name(cur));
            return false;
        } else
            dv = (tpl_val *)cur;
        coalesce_globals(a, dv->map, dest);
        if (!coalesce(a, sc, dv->map, merge, err)) return false;
    }
    return true;
}

static bool coalesce(arena *a, const chart *c, tpl_map *dest, bool merge, const char **err)
{
    coalesce_values(a, c, dest, merge);
    return coalesce_deps(a, c, dest, merge, err);
}

bool chart_coalesce(arena *a, const chart *c, const tpl_map *vals, bool merge, tpl_map **out,
                    const char **err)
{
    *out = vals ? chart_map_deep_copy(a, vals) : tpl_map_new(a, NULL)->map;
    return coalesce(a, c, *out, merge, err);
}
