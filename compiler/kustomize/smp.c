/* Strategic merge patches: merges a patch into an object the way kustomize v5.7.1 does it, by
 * replaying kyaml's merge2 walk (with its list-ordering quirks) over the merge-key table. */
#include <stdlib.h>
#include <string.h>

#include "kustomize/kz_int.h"
#include "yaml/yaml.h"
#include "yaml/goyaml.h"

/* The table generated from the Kubernetes schema (smp_table.c): apiVersion, kind, list path,
 * merge keys, strategy; sorted by apiVersion, kind, path. */
extern const char *const kz_smp_table[][5];
extern const size_t kz_smp_table_n;

/* ---- the schema kyaml would use at a node ----
 * SCH_NONE: kyaml has no schema (unknown kind, or outside it): lists are replaced, and a mapping
 * holding apiVersion and kind selects that kind's schema. SCH_KNOWN: a schema without merge
 * lists below. SCH_ROWS: rows [lo, hi) of the kind have lists at or below `path`. */
enum { SCH_NONE, SCH_KNOWN, SCH_ROWS };

typedef struct sch {
    int state;
    size_t lo, hi;
    const char *path; /* "" at the kind's root */
} sch;

/* A walk over one patch application. */
typedef struct smp {
    kz_ctx *k;
    bool failed;
    const char *const (*rows)[5]; /* the schema table in force */
    size_t nrows;
} smp;

/* One list of merge-key values (kyaml's []string), and a list of those. */
typedef struct svals {
    const char **v;
    size_t n;
} svals;

typedef struct svlist {
    svals *v;
    size_t n, cap;
} svlist;

enum { DIR_UNKNOWN, DIR_REPLACE, DIR_DELETE, DIR_MERGE };

static ir_node *walk(smp *w, ir_node *dest, ir_node *origin, sch s, bool *keep);

/* ---- node predicates, as kyaml names them ---- */

static bool is_null(const ir_node *n)
{
    return n && n->kind == IR_SCALAR && n->tag == IR_TAG_NULL;
}

static bool missing_or_null(const ir_node *n)
{
    return !n || is_null(n);
}

static bool empty_map(const ir_node *n)
{
    return missing_or_null(n) || (n->kind == IR_MAP && n->map.n == 0);
}

static bool nil_or_empty(const ir_node *n)
{
    return empty_map(n) || (n->kind == IR_SEQ && n->seq.n == 0);
}

/* The node's text as go-yaml keeps it (yaml.Node.Value): a scalar's source text, "" otherwise. */
static const char *yraw(const ir_node *n)
{
    return n && n->kind == IR_SCALAR ? n->sc.s : "";
}

static const char *kind_name(const ir_node *n)
{
    return n->kind == IR_MAP ? "MappingNode" : n->kind == IR_SEQ ? "SequenceNode" : "ScalarNode";
}

static ir_node *field_of(const ir_node *map, const char *key)
{
    if (!map || map->kind != IR_MAP) return NULL;
    return ir_map_get(map, key);
}

static void wrong_kind(smp *w, const ir_node *n, const char *want)
{
    if (w->failed) return;
    diag_error(w->k->d, n->pos, "wrong node kind: expected %s but got %s", want, kind_name(n));
    w->failed = true;
}

/* ---- schema ---- */

static bool table_kind(const smp *w, const char *api, const char *kind, size_t *lo, size_t *hi)
{
    const char *const(*tab)[5] = w->rows;
    size_t a = 0, b = w->nrows;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        int c = strcmp(tab[m][0], api);
        if (!c) c = strcmp(tab[m][1], kind);
        if (c < 0)
            a = m + 1;
        else
            b = m;
    }
    size_t e = a;
    while (e < w->nrows && !strcmp(tab[e][0], api) && !strcmp(tab[e][1], kind))
        e++;
    *lo = a, *hi = e;
    return e > a;
}

/* Walks table path `row` (segments joined by '.', '*' = any key) along path p; returns what
 * is left of row once p is consumed, or NULL when they differ on the way. */
static const char *path_walk(const char *row, const char *p)
{
    while (*p) {
        if (row[0] == '*' && (row[1] == '.' || !row[1])) {
            row++;
            while (*p && *p != '.')
                p++;
        } else {
            while (*p && *p != '.' && *row == *p)
                row++, p++;
            if ((*p && *p != '.') || (*row && *row != '.')) return NULL;
        }
        if (*p == '.') {
            if (*row != '.') return NULL;
            p++, row++;
        }
    }
    return row;
}

/* Whether a table path equals p, or (prefix) starts with p followed by a '.'. */
static bool path_match(const char *row, const char *p, bool prefix)
{
    const char *rest = path_walk(row, p);
    return rest && (prefix ? *rest == '.' : !*rest);
}

/* The row of the list at s.path, or NULL. */
static const char *const *sch_list(const smp *w, sch s)
{
    if (s.state != SCH_ROWS) return NULL;
    for (size_t i = s.lo; i < s.hi; i++)
        if (path_match(w->rows[i][2], s.path, false)) return w->rows[i];
    return NULL;
}

/* path_match(row, p, false) || path_match(row, p, true), in one pass. */
static bool path_match_or_below(const char *row, const char *p)
{
    const char *rest = path_walk(row, p);
    return rest && (!*rest || *rest == '.');
}

/* The schema below `path`; the row range narrows to the rows at or below it. */
static sch sch_below(const smp *w, sch s, const char *path)
{
    size_t first = s.hi, last = s.lo;
    for (size_t i = s.lo; i < s.hi; i++)
        if (path_match_or_below(w->rows[i][2], path)) {
            if (first == s.hi) first = i;
            last = i;
        }
    if (first == s.hi) {
        s.state = SCH_KNOWN;
        return s;
    }
    s.lo = first;
    s.hi = last + 1;
    s.path = path;
    return s;
}

/* kyaml's ResourceSchema.Field(key). */
static sch sch_field(smp *w, sch s, const ir_node *key)
{
    if (s.state != SCH_ROWS) return s;
    const char *name = yraw(key);
    if (!*s.path) return sch_below(w, s, name);
    size_t pl = strlen(s.path), nl = strlen(name);
    char *path = ar_alloc(w->k->a, pl + nl + 2);
    memcpy(path, s.path, pl);
    path[pl] = '.';
    memcpy(path + pl + 1, name, nl + 1);
    return sch_below(w, s, path);
}

/* kyaml's Walker.GetSchema: the schema given, or the one of the kind the dest (else the origin)
 * declares with apiVersion and kind. */
static sch sch_lookup(const smp *w, sch s, const ir_node *dest, const ir_node *origin)
{
    if (s.state != SCH_NONE) return s;
    const ir_node *src[2] = {dest, origin};
    for (int i = 0; i < 2; i++) {
        const ir_node *n = src[i];
        if (missing_or_null(n) || n->kind != IR_MAP) continue;
        const ir_node *av = ir_map_get(n, "apiVersion"), *kind = ir_map_get(n, "kind");
        if (nil_or_empty(av) || nil_or_empty(kind)) continue;
        const char *a = yraw(av), *k = yraw(kind);
        if (!*a || !*k) continue;
        size_t lo, hi;
        if (!table_kind(w, a, k, &lo, &hi)) continue;
        sch r = {SCH_KNOWN, lo, hi, ""};
        if (hi - lo > 1 || strcmp(w->rows[lo][2], "-") != 0) r.state = SCH_ROWS;
        return r;
    }
    return s;
}

/* Whether kyaml treats the list at s as associative (its strategy includes "merge"), and its
 * merge keys (x-kubernetes-list-map-keys, else the patch merge key; none for primitives). */
static bool sch_assoc(smp *w, sch s, svals *keys)
{
    const char *const *row = sch_list(w, s);
    keys->v = NULL, keys->n = 0;
    if (!row) return false;
    bool merge = false;
    for (const char *p = row[4]; *p;) {
        size_t n = strcspn(p, ",");
        if (n == 5 && !strncmp(p, "merge", 5)) merge = true;
        p += n + (p[n] == ',');
    }
    if (!merge) return false;
    size_t cnt = *row[3] ? 1 : 0;
    for (const char *p = row[3]; *p; p++)
        cnt += *p == ',';
    keys->v = ar_alloc(w->k->a, (cnt ? cnt : 1) * sizeof *keys->v);
    for (const char *p = row[3]; *p;) {
        size_t n = strcspn(p, ",");
        keys->v[keys->n++] = ar_strndup(w->k->a, p, n);
        p += n + (p[n] == ',');
    }
    return true;
}

/* ---- kyaml's sequence filters ---- */

/* kyaml's FieldMatcher{Name, StringValue}: the value of field `name` of element n when it is
 * there and (val non-empty) its text is val; with an empty name, n itself when n is a scalar
 * whose text is val. A node of the wrong kind is an error. */
static bool field_matcher(smp *w, const ir_node *n, const char *name, const char *val,
                          const ir_node **out)
{
    *out = NULL;
    if (missing_or_null(n)) return true;
    if (!*name) {
        if (n->kind != IR_SCALAR) {
            wrong_kind(w, n, "ScalarNode");
            return false;
        }
        if (!strcmp(yraw(n), val)) *out = n;
        return true;
    }
    if (n->kind != IR_MAP) {
        wrong_kind(w, n, "MappingNode");
        return false;
    }
    const ir_node *v = ir_map_get(n, name);
    if (v && (!*val || !strcmp(yraw(v), val))) *out = v;
    return true;
}

/* kyaml's ElementSetter: drops null and empty-map elements, then replaces the elements matching
 * every keys[i] = values[i] by elem (deletes them when elem is NULL); appends elem when none
 * matched. Elements that do not match are kept only when values are given. */
static bool element_setter(smp *w, ir_node *seq, ir_node *elem, const svals *keys,
                           const svals *values)
{
    static const char *const nokey[1] = {""};
    svals k1 = *keys;
    if (!k1.n) k1.v = (const char **)nokey, k1.n = 1;
    bool mapping_setter = *k1.v[0] && values->n > 0 && *values->v[0];
    /* filtered in place: the kept elements never outrun the ones read */
    size_t n = 0;
    bool found_any = false;
    for (size_t i = 0; i < seq->seq.n; i++) {
        ir_node *e = seq->seq.items[i];
        if (empty_map(e)) continue;
        if (e->kind != IR_MAP && mapping_setter) {
            seq->seq.items[n++] = e;
            continue;
        }
        bool found = true;
        const ir_node *val = NULL;
        for (size_t j = 0; j < k1.n; j++) {
            if (j < values->n && !field_matcher(w, e, k1.v[j], values->v[j], &val)) return false;
            if (!val) {
                found = false;
                break;
            }
        }
        if (!found) {
            if (values->n > 0) seq->seq.items[n++] = e;
            continue;
        }
        found_any = true;
        if (elem) seq->seq.items[n++] = elem;
    }
    seq->seq.n = n;
    if (!missing_or_null(elem) && !found_any) ir_seq_append(w->k->a, seq, elem);
    return true;
}

/* kyaml's ElementList (ElementMatcher with values): the first element whose fields keys[i] have
 * exactly the texts values[i]; for primitive lists (no key) the first item with text values[0]. */
static ir_node *element_list(const ir_node *seq, const svals *keys, const svals *values)
{
    if (!seq || seq->kind != IR_SEQ) return NULL;
    const char *v0 = values->n ? values->v[0] : "";
    if (!keys->n || !*keys->v[0]) {
        for (size_t i = 0; i < seq->seq.n; i++)
            if (!strcmp(yraw(seq->seq.items[i]), v0)) return seq->seq.items[i];
        return NULL;
    }
    for (size_t i = 0; i < seq->seq.n; i++) {
        ir_node *e = seq->seq.items[i];
        if (e->kind != IR_MAP) continue;
        if (keys->n != values->n) return NULL;
        bool match = true;
        for (size_t j = 0; j < keys->n && match; j++) {
            const ir_node *f = ir_map_get(e, keys->v[j]);
            match = f && !strcmp(yraw(f), values->v[j]);
        }
        if (match) return e;
    }
    return NULL;
}

/* ---- directives ---- */

static int directive_of(const char *v)
{
    return !strcmp(v, "replace")  ? DIR_REPLACE
           : !strcmp(v, "delete") ? DIR_DELETE
           : !strcmp(v, "merge")  ? DIR_MERGE
                                  : DIR_UNKNOWN;
}

/* kyaml's determineSmpDirective: reads and removes the $patch directive of a patch mapping, or
 * of a patch list (an element holding only `$patch`). Unknown values are an error; with
 * `report` false (kyaml ignores the error there) the directive is left in place. */
static int directive(smp *w, ir_node *origin, bool report)
{
    if (!origin) return DIR_MERGE;
    if (origin->kind == IR_MAP) {
        ir_node *v = ir_map_get(origin, "$patch");
        if (!v) return DIR_MERGE;
        int d = directive_of(yraw(v));
        if (d == DIR_UNKNOWN) {
            if (report && !w->failed) {
                diag_error(w->k->d, v->pos, "unknown patch strategy '%s'", yraw(v));
                w->failed = true;
            }
            return DIR_UNKNOWN;
        }
        ir_map_remove(origin, "$patch");
        return d;
    }
    if (origin->kind == IR_SEQ) {
        const ir_node *el = NULL;
        for (size_t i = 0; i < origin->seq.n && !el; i++) {
            const ir_node *e = origin->seq.items[i];
            if (e->kind == IR_MAP && ir_map_get(e, "$patch")) el = e;
        }
        if (!el || el->map.n > 1) return DIR_MERGE;
        const ir_node *v = ir_map_get(el, "$patch");
        const char *text = yraw(v);
        int d = directive_of(text);
        if (d == DIR_UNKNOWN) {
            if (report && !w->failed) {
                diag_error(w->k->d, v->pos, "unknown patch strategy '%s'", text);
                w->failed = true;
            }
            return DIR_UNKNOWN;
        }
        const char *key = "$patch";
        svals keys = {&key, 1}, vals = {&text, 1};
        if (!element_setter(w, origin, NULL, &keys, &vals)) return DIR_UNKNOWN;
        return d;
    }
    if (report && !w->failed) {
        diag_error(w->k->d, origin->pos,
                   "no implemented strategic merge patch strategy for this scalar");
        w->failed = true;
    }
    return DIR_UNKNOWN;
}

/* ---- mappings ---- */

/* kyaml's FieldSetter: sets map[key] to val, or removes the field for no value or a null one
 * (unless `keep`: a null the target wrote out and the patch did not touch). */
static void field_set(smp *w, ir_node *map, ir_node *key, ir_node *val, bool keep)
{
    if (!val || (is_null(val) && !keep)) {
        ir_map_remove(map, key->sc.s);
        return;
    }
    ir_pair *p = ir_map_find(map, key->sc.s, key->sc.n);
    if (p) {
        /* the value takes the style of the field it replaces: a number, bool or date set on a
         * quoted (or block) scalar prints quoted and reads back as a string */
        const ir_node *old = p->val;
        if (old->kind == IR_SCALAR && val->kind == IR_SCALAR && val != old &&
            val->tag != IR_TAG_STR && val->tag != IR_TAG_BINARY && old->style != IR_STYLE_PLAIN &&
            !keep) {
            ir_node *s = ir_scalar(w->k->a, IR_TAG_STR, val->sc.s, val->sc.n, val->pos);
            s->style = old->style;
            val = s;
        }
        p->val = val;
    } else
        ir_map_append(w->k->a, map, key, val);
}

/* kyaml's Merger.VisitMap: the mapping the fields are merged into, or NULL to drop it. */
static ir_node *visit_map(smp *w, ir_node *dest, ir_node *origin, bool *keep)
{
    if (missing_or_null(dest)) {
        if (directive(w, origin, false) == DIR_DELETE) return NULL;
        if (!origin && dest && *yraw(dest)) {
            *keep = true;
            return dest;
        }
        return origin;
    }
    if (is_null(origin)) return NULL;
    switch (directive(w, origin, true)) {
    case DIR_DELETE:
    case DIR_UNKNOWN:
        return NULL;
    case DIR_REPLACE:
        return origin;
    default:
        return dest;
    }
}

static ir_node *walk_map(smp *w, ir_node *dest, ir_node *origin, sch s, bool *keep)
{
    dest = visit_map(w, dest, origin, keep);
    if (!dest || w->failed || dest->kind != IR_MAP) return dest;
    /* the field names of both sides, taken before any is set */
    size_t n =
        dest->map.n + (origin && origin->kind == IR_MAP && origin != dest ? origin->map.n : 0);
    ir_node **keys = ar_alloc(w->k->a, (n ? n : 1) * sizeof *keys);
    size_t nk = 0;
    for (size_t i = 0; i < dest->map.n; i++)
        keys[nk++] = dest->map.items[i].key;
    if (origin && origin->kind == IR_MAP && origin != dest)
        for (size_t i = 0; i < origin->map.n; i++) {
            ir_node *key = origin->map.items[i].key;
            if (!ir_map_find(dest, key->sc.s, key->sc.n)) keys[nk++] = key;
        }
    for (size_t i = 0; i < nk && !w->failed; i++) {
        ir_node *key = keys[i];
        ir_node *dv = field_of(dest, key->sc.s), *ov = field_of(origin, key->sc.s);
        bool fkeep = false;
        ir_node *val = walk(w, dv, ov, sch_field(w, s, key), &fkeep);
        if (w->failed) break;
        field_set(w, dest, key, val, fkeep);
    }
    return dest;
}

/* ---- associative lists ---- */

static bool svals_eq(const svals *a, const svals *b)
{
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0) return false;
    return true;
}

static void svlist_add(smp *w, svlist *l, svals v)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        l->v = ar_realloc(w->k->a, l->v, l->cap * sizeof *l->v, cap * sizeof *l->v);
        l->cap = cap;
    }
    l->v[l->n++] = v;
}

static bool svlist_has(const svlist *l, const svals *v)
{
    for (size_t i = 0; i < l->n; i++)
        if (svals_eq(&l->v[i], v)) return true;
    return false;
}

/* kyaml's elementValues with the prepend option: the merge-key values of every element, patch
 * elements first, each distinct list once. Missing or empty fields give "". */
static void element_values(smp *w, ir_node *dest, ir_node *origin, const svals *keys, svlist *out)
{
    const ir_node *src[2] = {origin, dest};
    for (int s = 0; s < 2; s++) {
        const ir_node *l = src[s];
        if (!l || l->kind != IR_SEQ || !keys->n) continue;
        for (size_t i = 0; i < l->seq.n; i++) {
            const ir_node *e = l->seq.items[i];
            svals v = {ar_alloc(w->k->a, keys->n * sizeof *v.v), keys->n};
            for (size_t j = 0; j < keys->n; j++) {
                const ir_node *f = field_of(e, keys->v[j]);
                v.v[j] = nil_or_empty(f) ? "" : yraw(f);
            }
            if (!svlist_has(out, &v)) svlist_add(w, out, v);
        }
    }
}

/* kyaml's elementPrimitiveValues: the text of every item, patch items first, each once. */
static void primitive_values(smp *w, ir_node *dest, ir_node *origin, svlist *out)
{
    const ir_node *src[2] = {origin, dest};
    for (int s = 0; s < 2; s++) {
        const ir_node *l = src[s];
        if (!l || l->kind != IR_SEQ) continue;
        for (size_t i = 0; i < l->seq.n; i++) {
            svals v = {ar_alloc(w->k->a, sizeof *v.v), 1};
            v.v[0] = yraw(l->seq.items[i]);
            if (!svlist_has(out, &v)) svlist_add(w, out, v);
        }
    }
}

/* kyaml's match: two value lists agree when they share one value and differ only where one of
 * them is empty; the result fills the empty places from the other. */
static bool values_match(smp *w, const svals *a, const svals *b, svals *res)
{
    if (a->n != b->n) return false;
    bool common = false;
    svals r = {ar_alloc(w->k->a, (a->n ? a->n : 1) * sizeof *r.v), a->n};
    for (size_t i = 0; i < a->n; i++) {
        if (!strcmp(a->v[i], b->v[i])) {
            common = true;
            r.v[i] = a->v[i];
            continue;
        }
        if (*a->v[i] && *b->v[i]) return false;
        r.v[i] = *a->v[i] ? a->v[i] : b->v[i];
    }
    *res = r;
    return common;
}

/* kyaml's mergeValues for several merge keys (a port with and without its protocol). */
static void merge_values(smp *w, svlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        svals v1 = l->v[i];
        for (size_t j = 0; j < l->n; j++) {
            svals v2 = l->v[j], res;
            if (values_match(w, &v1, &v2, &res)) l->v[i] = l->v[j] = res;
        }
    }
}

/* kyaml's validateKeys: the keys some entry of `all` has a value for, with this entry's values
 * for them; all keys when no entry has any. */
static void valid_keys(smp *w, const svlist *all, const svals *values, const svals *keys, svals *vk,
                       svals *vv)
{
    bool *has = ar_alloc(w->k->a, (keys->n ? keys->n : 1) * sizeof *has);
    bool any = false;
    for (size_t e = 0; e < all->n; e++)
        for (size_t i = 0; i < all->v[e].n && i < keys->n; i++)
            if (*all->v[e].v[i]) has[i] = any = true;
    if (!any) {
        *vk = *keys, *vv = *values;
        return;
    }
    vk->v = ar_alloc(w->k->a, keys->n * sizeof *vk->v), vk->n = 0;
    vv->v = ar_alloc(w->k->a, (values->n ? values->n : 1) * sizeof *vv->v), vv->n = 0;
    for (size_t i = 0; i < keys->n; i++)
        if (has[i]) vk->v[vk->n++] = keys->v[i];
    for (size_t i = 0; i < values->n; i++)
        if (*values->v[i] || (i < keys->n && has[i])) vv->v[vv->n++] = values->v[i];
}

/* kyaml's appendListNode: adds src's elements to dst, replacing the ones with the same keys.
 * An element lacking a key empties dst and stays alone in it (kyaml's behaviour: its setter,
 * given fewer values than keys, matches nothing and keeps nothing). */
static bool append_list(smp *w, ir_node *dst, ir_node *src, const svals *keys)
{
    size_t n = src->seq.n;
    ir_node **items = ar_alloc(w->k->a, (n ? n : 1) * sizeof *items);
    if (n) memcpy(items, src->seq.items, n * sizeof *items);
    for (size_t i = 0; i < n && !w->failed; i++) {
        ir_node *e = items[i];
        if (!keys->n || !*keys->v[0]) {
            const char *t = yraw(e);
            svals vals = {&t, 1};
            if (!element_setter(w, dst, e, keys, &vals)) return false;
            continue;
        }
        svals v = {ar_alloc(w->k->a, keys->n * sizeof *v.v), 0};
        for (size_t j = 0; j < keys->n; j++) {
            const ir_node *f;
            if (!field_matcher(w, e, keys->v[j], "", &f)) return false;
            if (!f) {
                ir_seq_append(w->k->a, dst, e);
                continue;
            }
            v.v[v.n++] = yraw(f);
        }
        if (keys->n > 1 && !element_setter(w, dst, NULL, keys, &v)) return false;
        if (!element_setter(w, dst, e, keys, &v)) return false;
    }
    return !w->failed;
}

/* A scalar kyaml creates from text (NewScalarRNode): untagged, so it reads back as its text
 * resolves. */
static ir_node *untagged_scalar(smp *w, const char *text, diag_pos pos)
{
    return ky_plain_scalar(w->k->a, text, strlen(text), pos);
}

/* kyaml's setAssociativeSequenceElements: merges the elements of both lists pairwise by their
 * keys into a new list (patch order first, then the target's other elements), then puts the
 * target's elements back by key. */
static ir_node *set_elements(smp *w, svlist *values, const svals *keys, ir_node *dest,
                             ir_node *origin, sch elem)
{
    ir_node *items = ir_seq(w->k->a, dest->pos);
    if (keys->n > 1) merge_values(w, values);
    svals vk = {NULL, 0}, vv = {NULL, 0};
    for (size_t e = 0; e < values->n && !w->failed; e++) {
        if (!values->v[e].n) continue;
        valid_keys(w, values, &values->v[e], keys, &vk, &vv);
        /* elementValueList: each side's element with these values */
        svals k2, v2;
        svlist self = {&vv, 1, 1};
        valid_keys(w, &self, &vv, &vk, &k2, &v2);
        ir_node *de = element_list(dest, &k2, &v2), *oe = element_list(origin, &k2, &v2);
        bool keep = false;
        ir_node *val = walk(w, de, oe, elem, &keep);
        if (w->failed) return NULL;
        bool gone = false;
        for (size_t i = 0; i < vk.n; i++) {
            if (empty_map(val)) {
                if (!element_setter(w, dest, NULL, &vk, &vv)) return NULL;
                gone = true;
            } else if (i < vv.n && *vv.v[i] && *vk.v[i] && !field_of(val, vk.v[i])) {
                /* the key is put back on a merged element that lost it (for a primitive item
                 * kyaml rewrites the item with its own text: nothing changes) */
                if (val->kind != IR_MAP) {
                    wrong_kind(w, val, "MappingNode");
                    return NULL;
                }
                ir_map_append(w->k->a, val, ir_str(w->k->a, vk.v[i], val->pos),
                              untagged_scalar(w, vv.v[i], val->pos));
            }
        }
        if (gone) continue;
        if (!element_setter(w, items, val, &vk, &vv)) return NULL;
    }
    if (!values->n) return dest;
    return append_list(w, items, dest, &vk) ? items : NULL;
}

/* kyaml's walkAssociativeSequence (Merger.VisitList first): a list whose elements merge. */
static ir_node *walk_assoc(smp *w, ir_node *dest, ir_node *origin, sch s, const svals *keys)
{
    if (missing_or_null(dest)) {
        dest = origin;
    } else if (is_null(origin)) {
        return NULL;
    } else {
        switch (directive(w, origin, true)) {
        case DIR_DELETE:
        case DIR_UNKNOWN:
            return NULL;
        case DIR_REPLACE:
            dest = origin;
            break;
        default:
            break;
        }
    }
    if (!dest || w->failed) return NULL;
    svlist values = {NULL, 0, 0};
    element_values(w, dest, origin, keys, &values);
    if (values.n || keys->n) return set_elements(w, &values, keys, dest, origin, s);
    static const char *const nokey[1] = {""};
    svals pk = {(const char **)nokey, 1};
    primitive_values(w, dest, origin, &values);
    return set_elements(w, &values, &pk, dest, origin, s);
}

/* ---- the walk ---- */

/* kyaml's Walker.Walk for one node of each side (either may be NULL): the merged node, or NULL
 * to drop it. Sets *keep for a null to keep. */
static ir_node *walk(smp *w, ir_node *dest, ir_node *origin, sch s, bool *keep)
{
    s = sch_lookup(w, s, dest, origin);
    const ir_node *first = !missing_or_null(dest) ? dest : !missing_or_null(origin) ? origin : NULL;
    if (!first) return walk_map(w, dest, origin, s, keep);
    const ir_node *other = first == dest ? origin : NULL;
    if (!missing_or_null(other) && other->kind != first->kind) {
        wrong_kind(w, other,
                   first->kind == IR_MAP   ? "MappingNode"
                   : first->kind == IR_SEQ ? "SequenceNode"
                                           : "ScalarNode");
        return NULL;
    }
    switch (first->kind) {
    case IR_MAP:
        return walk_map(w, dest, origin, s, keep);
    case IR_SEQ: {
        svals keys;
        if (sch_assoc(w, s, &keys)) return walk_assoc(w, dest, origin, s, &keys);
        return origin ? origin : dest;
    }
    default:
        return origin ? origin : dest;
    }
}

/* A field's text as kyaml's getMetaStringField reads it ("" when missing, null or empty). */
static const char *meta_string(const ir_node *obj, const char *field)
{
    const ir_node *v = field_of(field_of(obj, "metadata"), field);
    return nil_or_empty(v) ? "" : yraw(v);
}

/* Sets map[key] to a string with this text, keeping a scalar that already has it. */
static void restore(kz_ctx *k, ir_node *map, const char *key, const char *text)
{
    ir_node *cur = ir_map_get(map, key);
    if (cur && cur->kind == IR_SCALAR && !strcmp(cur->sc.s, text)) return;
    ir_map_set(k->a, map, key, ir_str(k->a, text, cur ? cur->pos : map->pos));
}

bool kz_smp_apply(kz_ctx *k, ir_node *target, const ir_node *patch, const ir_id *id, bool *deleted)
{
    /* as in kyaml, the schema comes from the objects' own apiVersion and kind (the id's) */
    (void)id;
    smp w = {k, false, kz_smp_table, kz_smp_table_n};
    if (k->smp_rows) w.rows = k->smp_rows, w.nrows = k->smp_nrows;
    *deleted = false;
    if (target->kind != IR_MAP || patch->kind != IR_MAP) {
        diag_error(k->d, patch->pos, "a strategic merge patch and its target must be mappings");
        return false;
    }
    /* kustomize's Resource.ApplySmPatch: the patch keeps the target's kind, name and namespace */
    const char *kind = yraw(field_of(target, "kind"));
    const char *name = meta_string(target, "name"), *ns = meta_string(target, "namespace");
    bool keep = false;
    sch none = {SCH_NONE, 0, 0, ""};
    ir_node *res = walk(&w, target, ir_clone(k->a, patch), none, &keep);
    if (w.failed) return false;
    if (!res || res->kind != IR_MAP) {
        *deleted = true;
        return true;
    }
    /* kustomize keeps the object it merged into: a patch that replaces the whole object
     * ($patch: replace at the top) leaves it as it was */
    if (!target->map.n) return true;
    restore(k, target, "kind", kind);
    ir_node *md = ir_map_get(target, "metadata");
    if (!md || md->kind != IR_MAP) {
        md = ir_map(k->a, target->pos);
        ir_map_set(k->a, target, "metadata", md);
    }
    restore(k, md, "name", name);
    if (*ns)
        restore(k, md, "namespace", ns);
    else
        ir_map_remove(md, "namespace");
    return true;
}

static int smp_row_cmp(const void *key, const void *row)
{
    const char *const *k = key, *const *r = row;
    int c = strcmp(k[0], r[0]);
    if (!c) c = strcmp(k[1], r[1]);
    if (!c) c = strcmp(k[2], r[2]);
    return c;
}

const char *kz_list_merge_key(arena *a, const char *api, const char *kind, const char *path)
{
    const char *key[3] = {api, kind, path};
    const char *const *row =
        bsearch(key, kz_smp_table, kz_smp_table_n, sizeof kz_smp_table[0], smp_row_cmp);
    if (!row) return NULL;
    const char *comma = strchr(row[3], ',');
    return comma ? ar_strndup(a, row[3], (size_t)(comma - row[3])) : row[3];
}
