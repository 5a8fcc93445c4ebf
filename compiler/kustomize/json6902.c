/* RFC 6902 JSON patches applied to IR objects the way kustomize v5.7.1 applies them through
 * evanphx/json-patch v4, quirks included. */
#include "kustomize/kz_int.h"

#include <stdlib.h>
#include <string.h>

#include "yaml/goyaml.h"

/* One operation being applied: for diagnostics. */
typedef struct jp_op {
    kz_ctx *k;
    const ir_node *node; /* the op mapping */
    const char *kind;    /* add, remove, … */
} jp_op;

static ir_node *null_node(arena *a, diag_pos pos)
{
    return ir_scalar(a, IR_TAG_NULL, "null", 4, pos);
}

static bool is_null(const ir_node *n)
{
    return !n || (n->kind == IR_SCALAR && n->tag == IR_TAG_NULL);
}

/* Is the scalar a string once sigs.k8s.io/yaml (go-yaml v2) has read it? Timestamps stay strings.
 */
static bool v2_string(const ir_node *n)
{
    if (!n || n->kind != IR_SCALAR) return false;
    if (n->tag == IR_TAG_TIMESTAMP) return true;
    if (n->tag != IR_TAG_STR) return false;
    if (n->style != IR_STYLE_PLAIN || n->sc.utag) return true;
    ky_value v;
    if (ky_resolve(KY_V3, n->sc.s, n->sc.n, &v) != KY_STR) return true; /* explicit !!str */
    ky_kind kk = ky_resolve(KY_V2, n->sc.s, n->sc.n, &v);
    return kk == KY_STR || kk == KY_TIMESTAMP;
}

/* ---- JSON pointers ---- */

/* RFC 6901 unescaping as strings.NewReplacer("~1", "/", "~0", "~") does it. */
static char *unescape_token(arena *a, const char *s, size_t n)
{
    char *out = ar_alloc(a, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
            out[o++] = s[i + 1] == '1' ? '/' : '~';
            i++;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = 0;
    return out;
}

/* Splits a pointer on '/' and drops the first segment (whatever it holds, as the library does).
 * Returns false for a pointer with no '/'. */
static bool ptr_split(arena *a, const char *path, char ***toks, size_t *n)
{
    size_t cnt = 0;
    for (const char *p = path; *p; p++)
        cnt += *p == '/';
    if (!cnt) return false;
    *toks = ar_alloc(a, cnt * sizeof **toks);
    *n = 0;
    const char *seg = strchr(path, '/') + 1;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        (*toks)[(*n)++] = unescape_token(a, seg, len);
        if (!end) break;
        seg = end + 1;
    }
    return true;
}

/* strconv.Atoi: optional sign, decimal digits, 64-bit range. */
static bool go_atoi(const char *s, int64_t *out)
{
    bool neg = false;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    if (!*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        if (v > (UINT64_MAX - 9) / 10) return false;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > (uint64_t)INT64_MAX + 1) return false;
    }
    if (!neg && v > (uint64_t)INT64_MAX) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* An existing element's index (negative counts from the end), or -1. */
static int64_t seq_index(const ir_node *seq, const char *key)
{
    int64_t idx, len = (int64_t)seq->seq.n;
    if (!go_atoi(key, &idx)) return -1;
    if (idx < 0) {
        if (idx < -len) return -1;
        idx += len;
    }
    return idx < len ? idx : -1;
}

/* The value under key in a container; NULL when missing (maps), *bad when the key is not a valid
 * index (sequences). A null value reads as NULL too, as a nil node does in the library. */
static ir_node *cont_get(ir_node *c, const char *key, bool *bad)
{
    *bad = false;
    if (c->kind == IR_MAP) {
        ir_pair *p = ir_map_find(c, key, strlen(key));
        return p && !is_null(p->val) ? p->val : NULL;
    }
    int64_t idx = seq_index(c, key);
    if (idx < 0) {
        *bad = true;
        return NULL;
    }
    ir_node *v = c->seq.items[idx];
    return is_null(v) ? NULL : v;
}

/* The container of the pointer's last token, or NULL when the path does not exist. */
static ir_node *find_parent(ir_node *root, char **toks, size_t n)
{
    ir_node *c = root;
    for (size_t i = 0; i + 1 < n; i++) {
        bool bad;
        ir_node *next = cont_get(c, toks[i], &bad);
        if (!next || next->kind == IR_SCALAR) return NULL;
        c = next;
    }
    return c;
}

static void seq_insert(arena *a, ir_node *seq, size_t at, ir_node *v)
{
    ir_seq_append(a, seq, v);
    memmove(seq->seq.items + at + 1, seq->seq.items + at,
            (seq->seq.n - 1 - at) * sizeof *seq->seq.items);
    seq->seq.items[at] = v;
}

static void seq_delete(ir_node *seq, size_t at)
{
    memmove(seq->seq.items + at, seq->seq.items + at + 1,
            (seq->seq.n - at - 1) * sizeof *seq->seq.items);
    seq->seq.n--;
}

/* partialDoc.add / partialArray.add: maps set the key; sequences insert before the index,
 * "-" appends, negative indices count from the end of the grown sequence. */
static bool cont_add(jp_op *o, ir_node *c, const char *key, ir_node *v, const char *path,
                     diag_pos pos)
{
    if (c->kind == IR_MAP) {
        ir_map_set(o->k->a, c, key, v);
        return true;
    }
    if (!strcmp(key, "-")) {
        ir_seq_append(o->k->a, c, v);
        return true;
    }
    int64_t idx, sz = (int64_t)c->seq.n + 1;
    if (!go_atoi(key, &idx)) {
        diag_error(o->k->d, pos, "JSON patch %s: '%s' in path '%s' is not a proper array index",
                   o->kind, key, path);
        return false;
    }
    if (idx >= sz || idx < -sz) {
        diag_error(o->k->d, pos,
                   "JSON patch %s: index %s in path '%s' is out of range (the list has %zu items)",
                   o->kind, key, path, c->seq.n);
        return false;
    }
    if (idx < 0) idx += sz;
    seq_insert(o->k->a, c, (size_t)idx, v);
    return true;
}

static bool cont_remove(jp_op *o, ir_node *c, const char *key, const char *path, diag_pos pos)
{
    if (c->kind == IR_MAP) {
        if (ir_map_remove(c, key)) return true;
        diag_error(o->k->d, pos, "JSON patch %s: unable to remove nonexistent key '%s' (path '%s')",
                   o->kind, key, path);
        return false;
    }
    int64_t idx = seq_index(c, key);
    if (idx < 0) {
        diag_error(o->k->d, pos,
                   "JSON patch %s: invalid index '%s' in path '%s' (the list has %zu items)",
                   o->kind, key, path, c->seq.n);
        return false;
    }
    seq_delete(c, (size_t)idx);
    return true;
}

/* ---- values ---- */

/* Rewrites a scalar as go-yaml v2 reads it (sigs.k8s.io/yaml's YAMLToJSON on the patch). */
static void v2_retag(ir_node *x)
{
    if (x->sc.utag || x->style != IR_STYLE_PLAIN || x->tag == IR_TAG_BINARY) return;
    ky_value v;
    if (x->tag == IR_TAG_STR && ky_resolve(KY_V3, x->sc.s, x->sc.n, &v) != KY_STR)
        return; /* explicit !!str */
    switch (ky_resolve(KY_V2, x->sc.s, x->sc.n, &v)) {
    case KY_NULL:
        x->tag = IR_TAG_NULL;
        break;
    case KY_BOOL:
        x->tag = IR_TAG_BOOL;
        x->sc.v.b = v.b;
        break;
    case KY_INT:
        x->tag = IR_TAG_INT;
        x->flags &= (uint8_t)~IR_INT_UNSIGNED;
        x->sc.v.i = v.i;
        break;
    case KY_UINT:
        x->tag = IR_TAG_INT;
        x->flags |= IR_INT_UNSIGNED;
        x->sc.v.u = v.u;
        break;
    case KY_FLOAT:
        x->tag = IR_TAG_FLOAT;
        x->sc.v.f = v.f;
        break;
    default:
        x->tag = IR_TAG_STR;
        break; /* timestamps stay the strings they were written as */
    }
}

/* A mapping key as YAMLToJSON turns it into a JSON object key. */
static bool v2_key(jp_op *o, ir_node *key)
{
    if (key->kind != IR_SCALAR) {
        diag_error(o->k->d, key->pos, "JSON patch value: a mapping key must be a scalar");
        return false;
    }
    v2_retag(key);
    char tmp[64];
    switch (key->tag) {
    case IR_TAG_NULL:
        diag_error(o->k->d, key->pos, "JSON patch value: unsupported null mapping key");
        return false;
    case IR_TAG_BOOL:
        key->sc.s = key->sc.v.b ? "true" : "false";
        break;
    case IR_TAG_INT:
        if (key->flags & IR_INT_UNSIGNED)
            snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)key->sc.v.u);
        else
            snprintf(tmp, sizeof tmp, "%lld", (long long)key->sc.v.i);
        key->sc.s = ar_strdup(o->k->a, tmp);
        break;
    case IR_TAG_FLOAT:
        ky_format_float_g(key->sc.v.f, tmp);
        key->sc.s = ar_strdup(o->k->a, tmp);
        break;
    default:
        break;
    }
    key->sc.n = strlen(key->sc.s);
    key->tag = IR_TAG_STR;
    key->flags = 0;
    return true;
}

/* The op's value as the library sees it: a copy read with go-yaml v2's rules. */
static bool v2_value(jp_op *o, ir_node *x)
{
    switch (x->kind) {
    case IR_SCALAR:
        v2_retag(x);
        return true;
    case IR_SEQ:
        for (size_t i = 0; i < x->seq.n; i++)
            if (!v2_value(o, x->seq.items[i])) return false;
        return true;
    default:
        break;
    }
    /* keys may collide once converted (`y` and `on` both become "true"): the last one wins */
    ir_node *m = ir_map(o->k->a, x->pos);
    m->style = x->style;
    for (size_t i = 0; i < x->map.n; i++) {
        if (!v2_key(o, x->map.items[i].key) || !v2_value(o, x->map.items[i].val)) return false;
        ir_map_remove(m, x->map.items[i].key->sc.s);
        ir_map_append(o->k->a, m, x->map.items[i].key, x->map.items[i].val);
    }
    *x = *m;
    return true;
}

static bool op_value(jp_op *o, ir_node **out)
{
    const ir_node *v = ir_map_get(o->node, "value");
    if (!v) {
        *out = null_node(o->k->a, o->node->pos);
        return true;
    }
    *out = ir_clone(o->k->a, v);
    return v2_value(o, *out);
}

/* Timestamps as the library sees the document: RFC 3339 strings (go-yaml v3 read them as
 * time.Time). */
static void timestamps_to_strings(arena *a, ir_node *x)
{
    switch (x->kind) {
    case IR_SCALAR:
        if (x->tag == IR_TAG_TIMESTAMP) {
            char tmp[64];
            if (ky_timestamp_rfc3339(x->sc.s, x->sc.n, tmp, sizeof tmp)) {
                x->sc.s = ar_strdup(a, tmp);
                x->sc.n = strlen(tmp);
            }
            x->tag = IR_TAG_STR;
        }
        break;
    case IR_MAP:
        for (size_t i = 0; i < x->map.n; i++)
            timestamps_to_strings(a, x->map.items[i].val);
        break;
    case IR_SEQ:
        for (size_t i = 0; i < x->seq.n; i++)
            timestamps_to_strings(a, x->seq.items[i]);
        break;
    }
}

/* kustomize reads the patched JSON back into a map[string]interface{}: every number becomes a
 * float64, written again by go-yaml v3 (%g), custom tags are gone and keys are strings. */
static void json_round_trip(arena *a, ir_node *x)
{
    switch (x->kind) {
    case IR_SCALAR: {
        x->sc.utag = NULL;
        if (x->tag == IR_TAG_INT || x->tag == IR_TAG_FLOAT) {
            double d = x->tag == IR_TAG_FLOAT         ? x->sc.v.f
                       : (x->flags & IR_INT_UNSIGNED) ? (double)x->sc.v.u
                                                      : (double)x->sc.v.i;
            char tmp[64];
            size_t n = ky_format_float_g(d, tmp);
            x->sc.s = ar_strndup(a, tmp, n);
            x->sc.n = n;
            x->style = IR_STYLE_PLAIN;
            x->flags &= (uint8_t)~IR_INT_UNSIGNED;
            ky_value v;
            if (ky_resolve(KY_V3, tmp, n, &v) == KY_INT) {
                x->tag = IR_TAG_INT;
                x->sc.v.i = v.i;
            } else {
                x->tag = IR_TAG_FLOAT;
                x->sc.v.f = d;
            }
        } else if (x->tag == IR_TAG_BOOL) {
            x->sc.s = x->sc.v.b ? "true" : "false";
            x->sc.n = strlen(x->sc.s);
            x->style = IR_STYLE_PLAIN;
        } else if (x->tag == IR_TAG_NULL) {
            x->sc.s = "null";
            x->sc.n = 4;
            x->style = IR_STYLE_PLAIN;
        }
        break;
    }
    case IR_MAP:
        for (size_t i = 0; i < x->map.n; i++) {
            ir_node *key = x->map.items[i].key;
            if (key->kind == IR_SCALAR) {
                key->tag = IR_TAG_STR;
                key->sc.utag = NULL;
            }
            json_round_trip(a, x->map.items[i].val);
        }
        break;
    case IR_SEQ:
        for (size_t i = 0; i < x->seq.n; i++)
            json_round_trip(a, x->seq.items[i]);
        break;
    }
}

/* ---- kustomize's internal annotations ----
 * Before a JSON patch kustomize records the object's current id in internal annotations
 * (Resource.StorePreviousId) and after it puts back the internal annotations it had, so during
 * the patch metadata.annotations always exists: adding /metadata/annotations/x or removing
 * /metadata/annotations works on an object without annotations. The stand-ins hold the current
 * id only (kiln keeps the id history outside the object). */

#define INTERNAL_PREFIX "internal.config.kubernetes.io/"

static const char *const prev_keys[3] = {
    INTERNAL_PREFIX "previousKinds",
    INTERNAL_PREFIX "previousNames",
    INTERNAL_PREFIX "previousNamespaces",
};

typedef struct ann_state {
    bool had;       /* metadata.annotations was a mapping */
    ir_pair *saved; /* internal annotations the object had (copies) */
    size_t nsaved;
} ann_state;

static bool is_internal_key(const char *key)
{
    return !strncmp(key, INTERNAL_PREFIX, strlen(INTERNAL_PREFIX)) ||
           !strcmp(key, "config.kubernetes.io/path") ||
           !strcmp(key, "config.kubernetes.io/index") || !strcmp(key, "config.k8s.io/id");
}

static void annotations_before(kz_ctx *k, ir_node *obj, ann_state *st)
{
    memset(st, 0, sizeof *st);
    ir_node *md = obj->kind == IR_MAP ? ir_map_get(obj, "metadata") : NULL;
    if (!md || md->kind != IR_MAP) return;
    ir_node *an = ir_map_get(md, "annotations");
    if (an && an->kind != IR_MAP && !is_null(an)) return;
    st->had = an && an->kind == IR_MAP;
    if (!st->had) {
        an = ir_map(k->a, md->pos);
        ir_map_set(k->a, md, "annotations", an);
    }
    st->saved = ar_alloc(k->a, (an->map.n + 1) * sizeof *st->saved);
    for (size_t i = 0; i < an->map.n; i++) {
        ir_pair *p = &an->map.items[i];
        if (p->key->kind == IR_SCALAR && is_internal_key(p->key->sc.s)) {
            st->saved[st->nsaved].key = ir_clone(k->a, p->key);
            st->saved[st->nsaved++].val = ir_clone(k->a, p->val);
        }
    }
    const char *kind = ir_str_of(ir_map_get(obj, "kind"));
    const char *name = ir_str_of(ir_map_get(md, "name"));
    const char *ns = ir_str_of(ir_map_get(md, "namespace"));
    const char *cur[3] = {kind ? kind : "", name ? name : "", ns && *ns ? ns : "default"};
    for (int i = 0; i < 3; i++) {
        const char *old = ir_str_of(ir_map_get(an, prev_keys[i]));
        const char *v = old && *old ? ar_printf(k->a, "%s,%s", old, cur[i]) : cur[i];
        ir_map_set(k->a, an, prev_keys[i], ir_str(k->a, v, md->pos));
    }
}

static void annotations_after(kz_ctx *k, ir_node *obj, const ann_state *st)
{
    ir_node *md = obj->kind == IR_MAP ? ir_map_get(obj, "metadata") : NULL;
    if (!md || md->kind != IR_MAP) return;
    ir_node *an = ir_map_get(md, "annotations");
    if (!an || is_null(an)) {
        if (!st->nsaved) {
            if (an) ir_map_remove(md, "annotations");
            return;
        }
        an = ir_map(k->a, md->pos);
        ir_map_set(k->a, md, "annotations", an);
    }
    if (an->kind != IR_MAP) return;
    for (int i = 0; i < 3; i++)
        ir_map_remove(an, prev_keys[i]);
    for (size_t i = 0; i < st->nsaved; i++)
        ir_map_set(k->a, an, st->saved[i].key->sc.s, st->saved[i].val);
    if (!an->map.n && !st->had) ir_map_remove(md, "annotations");
}

/* ---- test: the library's lazyNode.equal ---- */

static int scalar_class(const ir_node *x)
{
    switch (x->tag) {
    case IR_TAG_NULL:
        return 0;
    case IR_TAG_BOOL:
        return 1;
    case IR_TAG_INT:
    case IR_TAG_FLOAT:
        return 2;
    default:
        return 3;
    }
}

static double num_of(const ir_node *x)
{
    if (x->tag == IR_TAG_FLOAT) return x->sc.v.f;
    return (x->flags & IR_INT_UNSIGNED) ? (double)x->sc.v.u : (double)x->sc.v.i;
}

static bool jp_equal(const ir_node *a, const ir_node *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case IR_SCALAR: {
        int ca = scalar_class(a), cb = scalar_class(b);
        if (ca != cb) return false;
        switch (ca) {
        case 0:
            return true;
        case 1:
            return a->sc.v.b == b->sc.v.b;
        case 2:
            if (a->tag == IR_TAG_INT && b->tag == IR_TAG_INT)
                return a->sc.v.u == b->sc.v.u &&
                       (a->flags & IR_INT_UNSIGNED) == (b->flags & IR_INT_UNSIGNED);
            return num_of(a) == num_of(b);
        default:
            return a->sc.n == b->sc.n && !memcmp(a->sc.s, b->sc.s, a->sc.n);
        }
    }
    case IR_MAP:
        if (a->map.n != b->map.n) return false;
        for (size_t i = 0; i < a->map.n; i++) {
            const ir_node *k = a->map.items[i].key;
            ir_pair *p = ir_map_find(b, k->sc.s, k->sc.n);
            if (!p) return false;
            if (is_null(a->map.items[i].val) != is_null(p->val)) return false;
            if (!is_null(p->val) && !jp_equal(a->map.items[i].val, p->val)) return false;
        }
        return true;
    default:
        if (a->seq.n != b->seq.n) return false;
        for (size_t i = 0; i < a->seq.n; i++) {
            const ir_node *x = a->seq.items[i], *y = b->seq.items[i];
            if (is_null(x) != is_null(y)) return false;
            if (!is_null(x) && !jp_equal(x, y)) return false;
        }
        return true;
    }
}

/* ---- operations ---- */

/* The string field `name` of the op ("path", "from"); false after a diagnostic. */
static bool op_pointer(jp_op *o, const char *name, const char **out, diag_pos *pos)
{
    const ir_node *n = ir_map_get(o->node, name);
    if (is_null(n)) {
        diag_error(o->k->d, o->node->pos, "JSON patch %s: the operation has no '%s' field", o->kind,
                   name);
        return false;
    }
    if (!v2_string(n)) {
        diag_error(o->k->d, n->pos, "JSON patch %s: '%s' must be a string (a JSON pointer)",
                   o->kind, name);
        return false;
    }
    *out = n->sc.s;
    *pos = n->pos;
    return true;
}

/* Resolves a pointer to (container, last token); false after a diagnostic naming `what`. */
static bool locate(jp_op *o, ir_node *root, const char *path, diag_pos pos, const char *what,
                   ir_node **c, const char **key)
{
    char **toks;
    size_t n;
    if (ptr_split(o->k->a, path, &toks, &n) && (*c = find_parent(root, toks, n))) {
        *key = toks[n - 1];
        return true;
    }
    diag_error(o->k->d, pos, "JSON patch %s: the object has no %s '%s'", o->kind, what, path);
    return false;
}

static bool do_add(jp_op *o, ir_node *root)
{
    const char *path, *key;
    diag_pos pos;
    ir_node *c, *v;
    return op_pointer(o, "path", &path, &pos) &&
           locate(o, root, path, pos, "parent for path", &c, &key) && op_value(o, &v) &&
           cont_add(o, c, key, v, path, pos);
}

static bool do_remove(jp_op *o, ir_node *root)
{
    const char *path, *key;
    diag_pos pos;
    ir_node *c;
    return op_pointer(o, "path", &path, &pos) && locate(o, root, path, pos, "path", &c, &key) &&
           cont_remove(o, c, key, path, pos);
}

static bool do_replace(jp_op *o, ir_node **target)
{
    const char *path, *key;
    diag_pos pos;
    ir_node *c, *v;
    if (!op_pointer(o, "path", &path, &pos) || !op_value(o, &v)) return false;
    if (!*path) {
        if (v->kind != IR_MAP) {
            diag_error(o->k->d, pos,
                       "JSON patch replace: the whole object can only be replaced by a mapping");
            return false;
        }
        *target = v;
        return true;
    }
    if (!locate(o, *target, path, pos, "path", &c, &key)) return false;
    if (c->kind == IR_MAP) {
        /* the library's map lookup never fails: replacing a missing key adds it */
        ir_map_set(o->k->a, c, key, v);
        return true;
    }
    int64_t idx = seq_index(c, key);
    if (idx < 0) {
        diag_error(o->k->d, pos,
                   "JSON patch replace: the object has no element '%s' (the list has %zu items)",
                   path, c->seq.n);
        return false;
    }
    c->seq.items[idx] = v;
    return true;
}

static bool do_move_copy(jp_op *o, ir_node *root, bool copy)
{
    const char *from, *path, *key;
    diag_pos fpos, pos;
    ir_node *c;
    bool bad;
    if (!op_pointer(o, "from", &from, &fpos) || !locate(o, root, from, fpos, "path", &c, &key))
        return false;
    ir_node *v = cont_get(c, key, &bad);
    if (bad) {
        diag_error(o->k->d, fpos,
                   "JSON patch %s: invalid index '%s' in from '%s' (the list has %zu items)",
                   o->kind, key, from, c->seq.n);
        return false;
    }
    if (copy) {
        /* copying a missing map key copies a null */
        v = v ? ir_clone(o->k->a, v) : null_node(o->k->a, fpos);
    } else {
        if (!cont_remove(o, c, key, from, fpos)) return false;
    }
    if (!v) v = null_node(o->k->a, fpos);
    return op_pointer(o, "path", &path, &pos) &&
           locate(o, root, path, pos, "parent for path", &c, &key) &&
           cont_add(o, c, key, v, path, pos);
}

static bool do_test(jp_op *o, ir_node *root)
{
    const char *path, *key;
    diag_pos pos;
    ir_node *c;
    bool bad;
    if (!op_pointer(o, "path", &path, &pos)) return false;
    const ir_node *want = ir_map_get(o->node, "value");
    ir_node *wv = NULL;
    if (want && !op_value(o, &wv)) return false;
    const ir_node *have;
    if (!*path) {
        have = root;
    } else {
        if (!locate(o, root, path, pos, "path", &c, &key)) return false;
        have = cont_get(c, key, &bad);
        if (bad) {
            diag_error(o->k->d, pos,
                       "JSON patch test: invalid index '%s' in path '%s' (the list has %zu items)",
                       key, path, c->seq.n);
            return false;
        }
    }
    bool ok;
    if (!have)
        ok = is_null(wv);
    else
        ok = wv && !is_null(wv) && jp_equal(have, wv);
    if (!ok)
        diag_error(o->k->d, o->node->pos,
                   "JSON patch test failed: the value at '%s' is not the one given", path);
    return ok;
}

bool kz_json6902_apply(kz_ctx *k, ir_node **target, const ir_node *ops)
{
    if (ops->kind != IR_SEQ) {
        diag_error(k->d, ops->pos, "a JSON 6902 patch must be a list of operations");
        return false;
    }
    timestamps_to_strings(k->a, *target);
    ann_state st;
    annotations_before(k, *target, &st);
    for (size_t i = 0; i < ops->seq.n; i++) {
        const ir_node *on = ops->seq.items[i];
        if (on->kind != IR_MAP) {
            diag_error(k->d, on->pos,
                       "a JSON 6902 operation must be a mapping with op, path and value or from");
            return false;
        }
        const ir_node *kind = ir_map_get(on, "op");
        jp_op o = {k, on, v2_string(kind) ? kind->sc.s : "unknown"};
        bool ok;
        if (!strcmp(o.kind, "add"))
            ok = do_add(&o, *target);
        else if (!strcmp(o.kind, "remove"))
            ok = do_remove(&o, *target);
        else if (!strcmp(o.kind, "replace"))
            ok = do_replace(&o, target);
        else if (!strcmp(o.kind, "move"))
            ok = do_move_copy(&o, *target, false);
        else if (!strcmp(o.kind, "copy"))
            ok = do_move_copy(&o, *target, true);
        else if (!strcmp(o.kind, "test"))
            ok = do_test(&o, *target);
        else {
            diag_error(k->d, kind ? kind->pos : on->pos,
                       "unexpected JSON patch operation '%s' (expected add, remove, replace, move, "
                       "copy or test)",
                       o.kind);
            ok = false;
        }
        if (!ok) return false;
    }
    annotations_after(k, *target, &st);
    json_round_trip(k->a, *target);
    return true;
}
