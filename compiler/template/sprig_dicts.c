/* Sprig's dict functions: dict, get/set/unset/hasKey, pluck, keys, values, pick, omit, dig,
 * deepCopy and merge/mergeOverwrite with dario.cat/mergo's exact rules. Maps are shared by
 * reference like Go maps, so set/unset/merge mutate in place as Sprig's do. */
#include <string.h>

#include "template/sprig_int.h"

#define A tpl_arena(c)

/* A map argument: NULL for a nil map (Go passes a nil map for nil). */
static tpl_map *map_arg(const tpl_val *v)
{
    return v->kind == TPL_MAP ? v->map : NULL;
}

TPL_FN(tpl_f_dict)
{
    tpl_val *m = tpl_map_new(A, NULL);
    for (size_t i = 0; i < nargs; i += 2) {
        size_t kn;
        const char *k = sprig_strval_a(A, args[i], &kn);
        tpl_map_set(A, m->map, k, kn, i + 1 < nargs ? args[i + 1] : tpl_empty_str());
    }
    *out = m;
    return true;
}

TPL_FN(tpl_f_get)
{
    (void)nargs;
    tpl_map *m = map_arg(args[0]);
    const tpl_val *v = m ? tpl_map_get(m, args[1]->str.s, args[1]->str.n) : NULL;
    *out = v ? v : tpl_empty_str();
    return true;
}

TPL_FN(tpl_f_set)
{
    (void)nargs;
    tpl_map *m = map_arg(args[0]);
    if (!m) return tpl_errorf(c, "assignment to entry in nil map");
    tpl_note_store(c);
    tpl_map_set(A, m, args[1]->str.s, args[1]->str.n, args[2]);
    *out = args[0];
    return true;
}

TPL_FN(tpl_f_unset)
{
    (void)nargs;
    tpl_map *m = map_arg(args[0]);
    if (m) tpl_note_store(c);
    if (m) tpl_map_del(m, args[1]->str.s, args[1]->str.n);
    *out = m ? args[0] : tpl_map_new(A, NULL); /* a nil map prints as map[] */
    return true;
}

TPL_FN(tpl_f_hasKey)
{
    (void)nargs;
    tpl_map *m = map_arg(args[0]);
    *out = tpl_bool(m && tpl_map_get(m, args[1]->str.s, args[1]->str.n) != NULL);
    return true;
}

TPL_FN(tpl_f_pluck)
{
    const tpl_val **items = ar_alloc(A, (nargs ? nargs : 1) * sizeof *items);
    size_t k = 0;
    for (size_t i = 1; i < nargs; i++) {
        tpl_map *m = map_arg(args[i]);
        const tpl_val *v = m ? tpl_map_get(m, args[0]->str.s, args[0]->str.n) : NULL;
        if (v) items[k++] = v;
    }
    *out = tpl_list(A, items, k, NULL);
    return true;
}

/* keys: Go returns them in random map order; kiln returns each map's keys sorted (charts that
 * care sort them with sortAlpha anyway). */
TPL_FN(tpl_f_keys)
{
    size_t total = 0;
    for (size_t i = 0; i < nargs; i++)
        if (map_arg(args[i])) total += map_arg(args[i])->n;
    const char **ks = ar_alloc(A, (total ? total : 1) * sizeof *ks);
    size_t *ls = ar_alloc(A, (total ? total : 1) * sizeof *ls);
    size_t k = 0;
    for (size_t i = 0; i < nargs; i++) {
        tpl_map *m = map_arg(args[i]);
        for (size_t j = 0; m && j < m->n; j++, k++) {
            ks[k] = m->keys[j];
            ls[k] = m->klens[j];
        }
    }
    *out = sprig_strlist(A, ks, ls, k);
    return true;
}

/* values: in key order (Go's order is random). */
TPL_FN(tpl_f_values)
{
    (void)nargs;
    tpl_map *m = map_arg(args[0]);
    size_t n = m ? m->n : 0;
    const tpl_val **items = ar_alloc(A, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = m->vals[i];
    *out = tpl_list(A, items, n, NULL);
    return true;
}

TPL_FN(tpl_f_pick)
{
    tpl_map *m = map_arg(args[0]);
    tpl_val *r = tpl_map_new(A, NULL);
    for (size_t i = 1; i < nargs && m; i++) {
        const tpl_val *v = tpl_map_get(m, args[i]->str.s, args[i]->str.n);
        if (v) tpl_map_set(A, r->map, args[i]->str.s, args[i]->str.n, v);
    }
    *out = r;
    return true;
}

TPL_FN(tpl_f_omit)
{
    tpl_map *m = map_arg(args[0]);
    tpl_val *r = tpl_map_new(A, NULL);
    for (size_t j = 0; m && j < m->n; j++) {
        bool drop = false;
        for (size_t i = 1; i < nargs && !drop; i++)
            drop = args[i]->str.n == m->klens[j] &&
                   memcmp(args[i]->str.s, m->keys[j], m->klens[j]) == 0;
        if (!drop) tpl_map_set(A, r->map, m->keys[j], m->klens[j], m->vals[j]);
    }
    *out = r;
    return true;
}

/* ---- mergo ---- */

/* mergo's isEmptyValue (dereferencing): what counts as "unset" in dst. */
static bool mergo_empty(const tpl_val *v)
{
    return sprig_empty(v);
}

static bool is_mapish(const tpl_val *v)
{
    return v->kind == TPL_MAP;
}

/* mergo deepMerge of two maps: every src key, in place into dst. */
static void mergo_maps(arena *a, tpl_map *dst, const tpl_map *src, bool overwrite, int depth)
{
    /* src's keys are iterated over a snapshot: dst may be src (merge $d $d) */
    size_t n = src->n;
    const char **keys = ar_alloc(a, (n ? n : 1) * sizeof *keys);
    size_t *klens = ar_alloc(a, (n ? n : 1) * sizeof *klens);
    const tpl_val **vals = ar_alloc(a, (n ? n : 1) * sizeof *vals);
    if (n) {
        memcpy(keys, src->keys, n * sizeof *keys);
        memcpy(klens, src->klens, n * sizeof *klens);
        memcpy(vals, src->vals, n * sizeof *vals);
    }
    for (size_t i = 0; i < n; i++) {
        const tpl_val *sv = vals[i];
        const tpl_val *dv = tpl_map_get(dst, keys[i], klens[i]);
        if (sv->kind == TPL_NIL) { /* a nil interface in src */
            if (overwrite) tpl_map_set(a, dst, keys[i], klens[i], sv);
            continue;
        }
        if (is_mapish(sv) && dv && is_mapish(dv) && depth < 10000)
            mergo_maps(a, dv->map, sv->map, overwrite, depth + 1);
        if (dv && !mergo_empty(dv)) {
            if (sv->kind == TPL_LIST || sv->kind == TPL_BYTES) {
                if (overwrite) tpl_map_set(a, dst, keys[i], klens[i], sv);
                continue;
            }
            if (is_mapish(sv) && is_mapish(dv)) continue;
        }
        if (overwrite || !dv || mergo_empty(dv)) tpl_map_set(a, dst, keys[i], klens[i], sv);
    }
}

static bool do_merge(tpl_ctx *c, const tpl_val *const *args, size_t nargs, bool overwrite,
                     const tpl_val **out)
{
    const tpl_val *dst = args[0]->kind == TPL_MAP ? args[0] : NULL;
    if (dst) tpl_note_store(c);
    for (size_t i = 1; i < nargs; i++) {
        tpl_map *s = map_arg(args[i]);
        if (!s) continue;
        if (!dst) dst = tpl_map_new(A, NULL); /* mergo makes a nil dst map */
        mergo_maps(A, dst->map, s, overwrite, 0);
    }
    *out = dst ? dst : tpl_map_new(A, NULL);
    return true;
}

TPL_FN(tpl_f_merge)
{
    return do_merge(c, args, nargs, false, out);
}

TPL_FN(tpl_f_mergeOverwrite)
{
    return do_merge(c, args, nargs, true, out);
}

/* ---- deepCopy (copystructure.Copy) ---- */

static const tpl_val *deep_copy(arena *a, const tpl_val *v, int depth)
{
    if (depth > 10000) return v;
    switch (v->kind) {
    case TPL_LIST: {
        const tpl_val **items = ar_alloc(a, (v->list.n ? v->list.n : 1) * sizeof *items);
        for (size_t i = 0; i < v->list.n; i++)
            items[i] = deep_copy(a, v->list.items[i], depth + 1);
        return tpl_list(a, items, v->list.n, v->list.tname);
    }
    case TPL_BYTES:
        return tpl_bytes(a, v->str.s, v->str.n);
    case TPL_MAP: {
        tpl_val *m = tpl_map_new(a, v->map->tname);
        for (size_t i = 0; i < v->map->n; i++)
            tpl_map_set(a, m->map, v->map->keys[i], v->map->klens[i],
                        deep_copy(a, v->map->vals[i], depth + 1));
        return m;
    }
    default:
        return v; /* scalars are immutable; objects are copied by reference */
    }
}

TPL_FN(tpl_f_deepCopy)
{
    (void)nargs;
    *out = deep_copy(A, args[0], 0);
    return true;
}

/* dig "a" "b" default dict: keys must be strings, every step a map[string]interface{} (a
 * named map type such as chartutil.Values fails the type assertion, as in Go). */
TPL_FN(tpl_f_dig)
{
    if (nargs < 3) return tpl_errorf(c, "dig needs at least three arguments");
    const tpl_val *d = args[nargs - 1];
    if (d->kind != TPL_MAP || d->map->tname)
        return tpl_errorf(c,
                          "interface conversion: interface {} is %s, not map[string]interface {}",
                          d->kind == TPL_NIL ? "nil" : tpl_type_name(d));
    for (size_t i = 0; i + 2 < nargs; i++)
        if (args[i]->kind != TPL_STRING)
            return tpl_errorf(c, "interface conversion: interface {} is %s, not string",
                              tpl_type_name(args[i]));
    for (size_t i = 0; i + 2 < nargs; i++) {
        if (d->kind != TPL_MAP || d->map->tname)
            return tpl_errorf(
                c, "interface conversion: interface {} is %s, not map[string]interface {}",
                d->kind == TPL_NIL ? "nil" : tpl_type_name(d));
        const tpl_val *step = tpl_map_get(d->map, args[i]->str.s, args[i]->str.n);
        if (!step) {
            *out = args[nargs - 2];
            return true;
        }
        d = step;
    }
    *out = d;
    return true;
}
