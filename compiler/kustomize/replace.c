/* Values copied between objects: kustomize's `replacements` (field paths with [key=value]
 * matchers, delimiters, create) and the deprecated `vars` ($(NAME) references). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "kustomize/kz_int.h"
#include "yaml/goyaml.h"
#include "yaml/yaml.h"

/* ---- paths: kustomize's SmarterPathSplitter over '.' ---- */

static size_t split_dots(kz_ctx *k, const char *path, char ***out)
{
    /* first split on '.' (a backslash escapes a dot, as in kyaml's PathSplitter), then re-join
     * bracketed parts that contained dots */
    size_t cap = 8, n = 0;
    char **raw = util_xmalloc(cap * sizeof *raw);
    buf_t cur = {0};
    for (const char *p = path;; p++) {
        if (*p == '.' && cur.len && cur.data[cur.len - 1] == '\\') {
            cur.data[cur.len - 1] = '.';
            continue;
        }
        if (*p == '.' || !*p) {
            if (n == cap) raw = util_xrealloc(raw, (cap *= 2) * sizeof *raw);
            raw[n++] = ar_strndup(k->a, cur.data ? cur.data : "", cur.len);
            cur.len = 0;
            if (!*p) break;
            continue;
        }
        buf_putc(&cur, *p);
    }
    buf_free(&cur);
    char **v = ar_alloc(k->a, (2 * n + 1) * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char *e = raw[i];
        size_t l = strlen(e);
        if (e[0] == '[' && (l == 0 || e[l - 1] != ']')) {
            buf_t b = {0};
            buf_puts(&b, e);
            while (i + 1 < n) {
                i++;
                buf_putc(&b, '.');
                buf_puts(&b, raw[i]);
                size_t rl = strlen(raw[i]);
                if (rl && raw[i][rl - 1] == ']') break;
            }
            if (memchr(b.data, '=', b.len)) {
                v[m++] = ar_strndup(k->a, b.data, b.len);
            } else {
                size_t s0 = 0, e0 = b.len;
                while (s0 < e0 && (b.data[s0] == '[' || b.data[s0] == ']'))
                    s0++;
                while (e0 > s0 && (b.data[e0 - 1] == '[' || b.data[e0 - 1] == ']'))
                    e0--;
                v[m++] = ar_strndup(k->a, b.data + s0, e0 - s0);
            }
            buf_free(&b);
        } else {
            /* "ports[0]" is "ports", "0" (kyaml's convertSliceIndex) */
            char *br = strchr(e, '[');
            size_t l2 = strlen(e);
            if (br && br != e && l2 && e[l2 - 1] == ']' && !strchr(br, '=')) {
                v = ar_realloc(k->a, v, (m + 1) * sizeof *v, (m + 2 + n) * sizeof *v);
                v[m++] = ar_strndup(k->a, e, (size_t)(br - e));
                v[m++] = ar_strndup(k->a, br + 1, l2 - (size_t)(br - e) - 2);
            } else {
                v[m++] = e;
            }
        }
    }
    free(raw);
    *out = v;
    return m;
}

static bool is_index(const char *p)
{
    if (!*p) return false;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9') return false;
    return true;
}

static bool is_list_match(const char *p)
{
    size_t l = strlen(p);
    return l >= 2 && p[0] == '[' && p[l - 1] == ']';
}

/* Text of a scalar as kyaml's String() would give it, trimmed. */
static const char *scalar_text(const ir_node *n)
{
    return n && n->kind == IR_SCALAR ? n->sc.s : NULL;
}

typedef struct matcher {
    kz_ctx *k;
    char **parts;
    size_t nparts;
    int create; /* -1 no, else the ir_kind of a created leaf */
    bool exact; /* [k=v] compares exactly (lookups) instead of as a regular expression */
    ir_node ***found;
    size_t nfound, capfound;
    bool failed;
} matcher;

static void found_add(matcher *m, ir_node **slot)
{
    if (m->nfound == m->capfound) {
        m->capfound = m->capfound ? m->capfound * 2 : 8;
        m->found = util_xrealloc(m->found, m->capfound * sizeof *m->found);
    }
    m->found[m->nfound++] = slot;
}

static bool value_matches(matcher *m, const char *pattern, const char *text)
{
    if (!text) return false;
    if (m->exact) return !strcmp(pattern, text);
    int err;
    PCRE2_SIZE off;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &err, &off, NULL);
    if (!re) return !strcmp(pattern, text);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) util_oom();
    int rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc >= 0;
}

static ir_node *new_for_part(matcher *m, size_t next, diag_pos pos)
{
    if (next >= m->nparts) {
        if (m->create == IR_MAP) return ir_map(m->k->a, pos);
        if (m->create == IR_SEQ) return ir_seq(m->k->a, pos);
        ir_node *x = ir_scalar(m->k->a, IR_TAG_NULL, "", 0, pos);
        x->flags |= IR_UNTAGGED;
        return x;
    }
    const char *p = m->parts[next];
    if (is_index(p) || is_list_match(p)) return ir_seq(m->k->a, pos);
    return ir_map(m->k->a, pos);
}

static void match_at(matcher *m, ir_node **slot, size_t i)
{
    if (m->failed) return;
    if (i == m->nparts) {
        found_add(m, slot);
        return;
    }
    ir_node *n = *slot;
    const char *p = m->parts[i];
    if (is_index(p)) {
        if (n->kind != IR_SEQ) return;
        size_t idx = (size_t)strtoul(p, NULL, 10);
        if (idx == n->seq.n && m->create >= 0)
            ir_seq_append(m->k->a, n, new_for_part(m, i + 1, n->pos));
        if (idx >= n->seq.n) {
            diag_error(m->k->d, n->pos, "index %zu specified but only %zu elements found", idx,
                       n->seq.n);
            m->failed = true;
            return;
        }
        match_at(m, &n->seq.items[idx], i + 1);
        return;
    }
    if (is_list_match(p)) {
        if (n->kind != IR_SEQ) return;
        const char *eq = strchr(p, '=');
        if (!eq) {
            diag_error(m->k->d, n->pos,
                       "list path element must contain fieldName=fieldValue for element to match");
            m->failed = true;
            return;
        }
        char *fieldname = ar_strndup(m->k->a, p + 1, (size_t)(eq - p - 1));
        char *value = ar_strndup(m->k->a, eq + 1, strlen(eq + 1) - 1);
        size_t before = m->nfound;
        for (size_t j = 0; j < n->seq.n; j++) {
            ir_node *e = n->seq.items[j];
            const char *text = *fieldname ? scalar_text(ir_map_get(e, fieldname)) : scalar_text(e);
            if (value_matches(m, value, text)) match_at(m, &n->seq.items[j], i + 1);
        }
        if (m->nfound == before && m->create >= 0 && !m->failed) {
            ir_node *elem;
            if (!*fieldname) {
                elem = ir_str(m->k->a, value, n->pos);
            } else {
                elem = ir_map(m->k->a, n->pos);
                ir_map_append(m->k->a, elem, ir_str(m->k->a, fieldname, n->pos),
                              ir_str(m->k->a, value, n->pos));
            }
            ir_seq_append(m->k->a, n, elem);
            match_at(m, &n->seq.items[n->seq.n - 1], i + 1);
        }
        return;
    }
    if (!strcmp(p, "*")) {
        if (n->kind == IR_SEQ)
            for (size_t j = 0; j < n->seq.n; j++)
                match_at(m, &n->seq.items[j], i + 1);
        else if (n->kind == IR_MAP)
            for (size_t j = 0; j < n->map.n; j++)
                match_at(m, &n->map.items[j].val, i + 1);
        return;
    }
    if (n->kind == IR_SCALAR && n->tag == IR_TAG_NULL && m->create >= 0) {
        n = ir_map(m->k->a, n->pos);
        *slot = n;
    }
    if (n->kind != IR_MAP) return;
    ir_pair *pair = ir_map_find(n, p, strlen(p));
    if (!pair) {
        if (m->create < 0) return;
        ir_map_append(m->k->a, n, ir_str(m->k->a, p, n->pos), new_for_part(m, i + 1, n->pos));
        pair = &n->map.items[n->map.n - 1];
    }
    match_at(m, &pair->val, i + 1);
}

/* All slots a path names in obj (created when create >= 0). The caller frees *out. */
static size_t path_match(kz_ctx *k, ir_node **root, const char *path, int create, bool exact,
                         ir_node ****out, bool *failed)
{
    matcher m = {.k = k, .create = create, .exact = exact};
    m.nparts = split_dots(k, path, &m.parts);
    match_at(&m, root, 0);
    *out = m.found;
    *failed = m.failed;
    return m.nfound;
}

/* ---- selection ---- */

static const char *mstr(const ir_node *m, const char *key)
{
    const ir_node *v = ir_map_get(m, key);
    return v && v->kind == IR_SCALAR && v->tag != IR_TAG_NULL ? v->sc.s : "";
}

/* ResId.IsSelectedBy for the object's current and previous ids. */
static bool id_selected(ir_res *r, const ir_node *sel)
{
    const char *g = mstr(sel, "group"), *v = mstr(sel, "version"), *kind = mstr(sel, "kind");
    const char *name = mstr(sel, "name"), *ns = mstr(sel, "namespace");
    if (*g && strcmp(g, r->id.group)) return false;
    if (*v && strcmp(v, r->id.version)) return false;
    for (size_t i = 0, nids = kz_id_count(r); i < nids; i++) {
        kz_prev id = kz_id_at(r, i);
        const char *ik = id.kind, *in = id.name, *ins = id.ns;
        if (*kind && strcmp(kind, ik)) continue;
        if (*name && strcmp(name, in)) continue;
        if (*ns) {
            const char *a = *ins ? ins : "default", *b = ns;
            if (strcmp(a, b)) continue;
        }
        return true;
    }
    return false;
}

static bool label_selected(kz_ctx *k, ir_res *r, const ir_node *sel);

/* ---- replacements ---- */

static bool refine_source(kz_ctx *k, const ir_node *opts, ir_node **value)
{
    const char *delim = mstr(opts, "delimiter");
    if (!*delim) return true;
    if ((*value)->kind != IR_SCALAR) {
        diag_error(k->d, opts->pos, "delimiter option can only be used with scalar nodes");
        return false;
    }
    const ir_node *in = ir_map_get(opts, "index");
    long idx = in && in->tag == IR_TAG_INT ? (long)in->sc.v.i : 0;
    const char *s = (*value)->sc.s;
    size_t dl = strlen(delim);
    long part = 0;
    const char *start = s;
    for (;;) {
        const char *hit = strstr(start, delim);
        if (part == idx) {
            size_t len = hit ? (size_t)(hit - start) : strlen(start);
            ir_node *n = ir_clone(k->a, *value);
            n->sc.s = ar_strndup(k->a, start, len);
            n->sc.n = len;
            *value = n;
            return true;
        }
        if (!hit) break;
        start = hit + dl;
        part++;
    }
    diag_error(k->d, opts->pos, "options.index %ld is out of bounds for value %s", idx, s);
    return false;
}

/* Sets a target scalar's text keeping its type, as kyaml does (the node keeps its tag). */
static bool set_scalar_keep_tag(kz_ctx *k, ir_node **slot, const char *text, diag_pos where)
{
    ir_node *t = *slot;
    ir_node *n = ir_scalar(k->a, (ir_tag)t->tag, ar_strdup(k->a, text), strlen(text), t->pos);
    n->style = t->style;
    ky_value kv;
    if (t->flags & IR_UNTAGGED) {
        /* a node the path created has no tag: the text decides its type */
        ir_node *u = ky_plain_scalar(k->a, text, strlen(text), t->pos);
        u->style = t->style;
        *slot = u;
        return true;
    }
    switch (t->tag) {
    case IR_TAG_STR:
    case IR_TAG_NULL:
    case IR_TAG_BINARY:
    case IR_TAG_TIMESTAMP:
        break;
    case IR_TAG_INT:
    case IR_TAG_FLOAT:
    case IR_TAG_BOOL: {
        ky_kind kk = ky_resolve(KY_V3, text, strlen(text), &kv);
        if (t->tag == IR_TAG_INT && kk == KY_INT)
            n->sc.v.i = kv.i;
        else if (t->tag == IR_TAG_INT && kk == KY_UINT)
            n->sc.v.u = kv.u, n->flags = IR_INT_UNSIGNED;
        else if (t->tag == IR_TAG_FLOAT && (kk == KY_FLOAT || kk == KY_INT))
            n->sc.v.f = kk == KY_INT ? (double)kv.i : kv.f;
        else if (t->tag == IR_TAG_BOOL && kk == KY_BOOL)
            n->sc.v.b = kv.b;
        else {
            diag_error(k->d, where, "cannot decode `%s` as a %s (the target field's type)", text,
                       t->tag == IR_TAG_INT     ? "!!int"
                       : t->tag == IR_TAG_FLOAT ? "!!float"
                                                : "!!bool");
            return false;
        }
        break;
    }
    }
    *slot = n;
    return true;
}

static bool set_target(kz_ctx *k, const ir_node *opts, ir_node **slot, const ir_node *value,
                       diag_pos where)
{
    const char *delim = mstr(opts, "delimiter");
    if (*delim) {
        ir_node *t = *slot;
        if (t->kind != IR_SCALAR || value->kind != IR_SCALAR) {
            diag_error(k->d, where, "delimiter option can only be used with scalar nodes");
            return false;
        }
        const ir_node *in = ir_map_get(opts, "index");
        long idx = in && in->tag == IR_TAG_INT ? (long)in->sc.v.i : 0;
        /* split the target, put the value at idx (prefix when < 0, suffix when past the end) */
        size_t dl = strlen(delim);
        const char **parts = util_xmalloc((t->sc.n + 2) * sizeof *parts);
        size_t np = 0;
        const char *start = t->sc.s;
        for (;;) {
            const char *hit = strstr(start, delim);
            parts[np++] = hit ? ar_strndup(k->a, start, (size_t)(hit - start)) : start;
            if (!hit) break;
            start = hit + dl;
        }
        buf_t b = {0};
        if (idx < 0) {
            buf_puts(&b, value->sc.s);
            for (size_t i = 0; i < np; i++)
                buf_puts(&b, delim), buf_puts(&b, parts[i]);
        } else {
            for (size_t i = 0; i < np; i++) {
                if (i) buf_puts(&b, delim);
                buf_puts(&b, (long)i == idx ? value->sc.s : parts[i]);
            }
            if ((size_t)idx >= np) buf_puts(&b, delim), buf_puts(&b, value->sc.s);
        }
        bool ok = set_scalar_keep_tag(k, slot, b.data ? b.data : "", where);
        buf_free(&b);
        free(parts);
        return ok;
    }
    if ((*slot)->kind == IR_SCALAR && value->kind == IR_SCALAR)
        return set_scalar_keep_tag(k, slot, value->sc.s, where);
    ir_node *c = ir_clone(k->a, value);
    *slot = c;
    return true;
}

static bool one_replacement(kz_ctx *k, ir_resset *set, const ir_node *rep)
{
    if (rep->kind != IR_MAP) {
        diag_error(k->d, rep->pos, "a replacement must be a mapping with source and targets");
        return false;
    }
    const ir_node *src = ir_map_get(rep, "source"), *srcval = ir_map_get(rep, "sourceValue");
    const ir_node *targets = ir_map_get(rep, "targets");
    if ((!src && !srcval) || !targets) {
        diag_error(k->d, rep->pos, "replacements must specify a source and at least one target");
        return false;
    }
    if (src && srcval) {
        diag_error(k->d, rep->pos, "value and resource selectors are mutually exclusive");
        return false;
    }
    ir_node *value;
    if (srcval) {
        value = ir_clone(k->a, srcval);
    } else {
        ir_res *found = NULL;
        for (size_t i = 0; i < set->n; i++) {
            if (!id_selected(set->items[i], src)) continue;
            if (found) {
                diag_error(k->d, src->pos, "multiple matches for replacement source selector");
                return false;
            }
            found = set->items[i];
        }
        if (!found) {
            diag_error(k->d, src->pos, "nothing selected by the replacement source");
            return false;
        }
        const char *fp = *mstr(src, "fieldPath") ? mstr(src, "fieldPath") : "metadata.name";
        ir_node ***slots;
        bool failed;
        size_t n = path_match(k, &found->obj, fp, -1, true, &slots, &failed);
        value = n ? *slots[0] : NULL;
        free(slots);
        if (failed) return false;
        if (!value || (value->kind == IR_SCALAR && value->tag == IR_TAG_NULL) ||
            (value->kind == IR_MAP && !value->map.n) || (value->kind == IR_SEQ && !value->seq.n)) {
            const ir_node *fpn = ir_map_get(src, "fieldPath");
            diag_error(k->d, fpn ? fpn->pos : src->pos,
                       "fieldPath `%s` is missing for replacement source %s", fp,
                       ir_id_str(k->a, &found->id));
            return false;
        }
        if (!refine_source(k, ir_map_get(src, "options"), &value)) return false;
    }
    if (targets->kind != IR_SEQ) {
        diag_error(k->d, targets->pos, "'targets' must be a list");
        return false;
    }
    for (size_t ti = 0; ti < targets->seq.n; ti++) {
        const ir_node *tgt = targets->seq.items[ti];
        const ir_node *sel = ir_map_get(tgt, "select"), *rejects = ir_map_get(tgt, "reject");
        const ir_node *paths = ir_map_get(tgt, "fieldPaths"), *opts = ir_map_get(tgt, "options");
        if (!sel) {
            diag_error(k->d, tgt->pos, "target must specify resources to select");
            return false;
        }
        const ir_node *cr = ir_map_get(opts, "create");
        bool create = cr && cr->tag == IR_TAG_BOOL && cr->sc.v.b;
        for (size_t i = 0; i < set->n; i++) {
            ir_res *r = set->items[i];
            if (!label_selected(k, r, sel) || !id_selected(r, sel)) continue;
            bool rejected = false;
            for (size_t j = 0; rejects && rejects->kind == IR_SEQ && j < rejects->seq.n; j++) {
                const ir_node *rj = rejects->seq.items[j];
                bool has_ls = *mstr(rj, "labelSelector") || *mstr(rj, "annotationSelector");
                bool has_id = *mstr(rj, "group") || *mstr(rj, "version") || *mstr(rj, "kind") ||
                              *mstr(rj, "name") || *mstr(rj, "namespace");
                if ((has_ls && label_selected(k, r, rj)) || (has_id && id_selected(r, rj)))
                    rejected = true;
            }
            if (rejected) continue;
            size_t np = paths && paths->kind == IR_SEQ ? paths->seq.n : 1;
            for (size_t pi = 0; pi < np; pi++) {
                const char *fp = paths && paths->kind == IR_SEQ ? ir_str_of(paths->seq.items[pi])
                                                                : "metadata.name";
                if (!fp) fp = "metadata.name";
                ir_node ***slots;
                bool failed;
                size_t n = path_match(k, &r->obj, fp, create ? (int)value->kind : -1, false, &slots,
                                      &failed);
                if (failed) {
                    free(slots);
                    return false;
                }
                if (!n) {
                    free(slots);
                    diag_error(k->d, paths ? paths->seq.items[pi]->pos : tgt->pos,
                               "unable to find%s field \"%s\" in replacement target %s",
                               create ? " or create" : "", fp, ir_id_str(k->a, &r->id));
                    return false;
                }
                for (size_t s = 0; s < n; s++)
                    if (!set_target(k, opts, slots[s], value, tgt->pos)) {
                        free(slots);
                        return false;
                    }
                free(slots);
            }
            ir_res_refresh_id(k->a, r);
        }
    }
    ir_resset_reindex(set);
    return true;
}

bool kz_tr_replacements(kz_ctx *k, ir_resset *set, const ir_node *const *reps, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!one_replacement(k, set, reps[i])) return false;
    return true;
}

/* label/annotation selectors are shared with patch targets */
bool kz_labels_match(kz_ctx *k, const char *sel, const ir_node *labels);

static bool label_selected(kz_ctx *k, ir_res *r, const ir_node *sel)
{
    const ir_node *md = ir_map_get(r->obj, "metadata");
    return kz_labels_match(k, ir_str_of(ir_map_get(sel, "labelSelector")),
                           ir_map_get(md, "labels")) &&
           kz_labels_match(k, ir_str_of(ir_map_get(sel, "annotationSelector")),
                           ir_map_get(md, "annotations"));
}

/* ---- vars ---- */

static bool any_id_equals(ir_res *r, const char *g, const char *v, const char *kind,
                          const char *name, const char *ns, bool with_ns)
{
    if (*g && strcmp(g, r->id.group)) return false;
    if (*v && strcmp(v, r->id.version)) return false;
    for (size_t i = 0, nids = kz_id_count(r); i < nids; i++) {
        kz_prev id = kz_id_at(r, i);
        const char *ik = id.kind, *in = id.name, *ins = id.ns;
        if (strcmp(kind, ik) || strcmp(name, in)) continue;
        if (with_ns && strcmp(*ins ? ins : "default", *ns ? ns : "default")) continue;
        return true;
    }
    return false;
}

bool kz_vars_merge(kz_ctx *k, kz_tconfig *tc, ir_resset *set, const ir_node *list)
{
    if (!list) return true;
    if (list->kind != IR_SEQ) {
        diag_error(k->d, list->pos, "'vars' must be a list");
        return false;
    }
    for (size_t i = 0; i < list->seq.n; i++) {
        const ir_node *v = list->seq.items[i];
        const char *name = mstr(v, "name");
        const ir_node *obj = ir_map_get(v, "objref");
        if (!*name || !obj || obj->kind != IR_MAP) {
            diag_error(k->d, v->pos, "a var needs a 'name' and an 'objref'");
            return false;
        }
        const char *av = mstr(obj, "apiVersion"), *slash = strchr(av, '/');
        const char *g = *mstr(obj, "group") ? mstr(obj, "group")
                        : slash             ? ar_strndup(k->a, av, (size_t)(slash - av))
                                            : "";
        const char *ver = *mstr(obj, "version") ? mstr(obj, "version") : slash ? slash + 1 : av;
        const char *kind = mstr(obj, "kind"), *oname = mstr(obj, "name"),
                   *ns = mstr(obj, "namespace");
        ir_id probe = {g, ver, kind, ns, oname};
        bool with_ns = *ns || kz_cluster_scoped(&probe);
        ir_res *match = NULL;
        size_t nm = 0;
        for (size_t j = 0; j < set->n; j++)
            if (any_id_equals(set->items[j], g, ver, kind, oname, ns, with_ns))
                match = set->items[j], nm++;
        if (nm > 1) {
            diag_error(k->d, v->pos, "found %zu resId matches for var %s (unable to disambiguate)",
                       nm, name);
            return false;
        }
        if (match) {
            kz_resx *x = kz_resx_of(k, match);
            const char **nv = ar_alloc(k->a, (x->nvarnames + 1) * sizeof *nv);
            if (x->nvarnames) memcpy(nv, x->varnames, x->nvarnames * sizeof *nv);
            nv[x->nvarnames++] = name;
            x->varnames = nv;
        }
        for (size_t j = 0; j < tc->nvars; j++)
            if (!strcmp(tc->vars[j].name, name)) {
                diag_error(k->d, v->pos, "var '%s' already encountered", name);
                return false;
            }
        if (tc->nvars == tc->capvars) {
            size_t cap = tc->capvars ? tc->capvars * 2 : 8;
            tc->vars =
                ar_realloc(k->a, tc->vars, tc->capvars * sizeof *tc->vars, cap * sizeof *tc->vars);
            tc->capvars = cap;
        }
        const char *fp = mstr(ir_map_get(v, "fieldref"), "fieldpath");
        tc->vars[tc->nvars++] = (kz_var){v, name, *fp ? fp : "metadata.name"};
    }
    return true;
}

typedef struct var_value {
    const char *name;
    const ir_node *value;
} var_value;

typedef struct var_ctx {
    var_value *vals;
    size_t n;
} var_ctx;

static const ir_node *var_lookup(var_ctx *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->n; i++)
        if (strlen(c->vals[i].name) == len && !strncmp(c->vals[i].name, name, len))
            return c->vals[i].value;
    return NULL;
}

/* kustomize's DoReplacements on one string scalar; a field that is exactly $(VAR) takes the
 * value's type. */
static ir_node *expand(kz_ctx *k, var_ctx *c, const ir_node *n)
{
    const char *s = n->sc.s;
    size_t len = n->sc.n;
    if (len > 3 && s[0] == '$' && s[1] == '(' && s[len - 1] == ')' &&
        !memchr(s + 2, ')', len - 3)) {
        const ir_node *v = var_lookup(c, s + 2, len - 3);
        if (v) {
            ir_node *r = ir_clone(k->a, v);
            r->pos = n->pos;
            r->style = IR_STYLE_PLAIN;
            return r;
        }
    }
    buf_t b = {0};
    bool changed = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '$' || i + 1 >= len) {
            buf_putc(&b, s[i]);
            continue;
        }
        char nx = s[i + 1];
        if (nx == '$') {
            buf_putc(&b, '$');
            changed = true;
            i++;
        } else if (nx == '(') {
            const char *close = memchr(s + i + 2, ')', len - i - 2);
            if (!close) {
                buf_put(&b, "$(", 2);
                i++;
                continue;
            }
            size_t nl = (size_t)(close - (s + i + 2));
            const ir_node *v = var_lookup(c, s + i + 2, nl);
            if (v) {
                buf_put(&b, v->sc.s, v->sc.n);
                changed = true;
            } else {
                buf_put(&b, s + i, nl + 3);
            }
            i += nl + 2;
        } else {
            buf_putc(&b, '$');
        }
    }
    if (!changed) {
        buf_free(&b);
        return NULL;
    }
    ir_node *r =
        ir_scalar(k->a, IR_TAG_STR, ar_strndup(k->a, b.data ? b.data : "", b.len), b.len, n->pos);
    buf_free(&b);
    return r;
}

static bool var_set(kz_ctx *k, ir_node **slot, void *payload)
{
    var_ctx *c = payload;
    ir_node *n = *slot;
    if (n->kind == IR_SCALAR) {
        if (n->tag != IR_TAG_STR) return true;
        ir_node *r = expand(k, c, n);
        if (r) *slot = r;
        return true;
    }
    if (n->kind == IR_MAP) {
        for (size_t i = 0; i < n->map.n; i++) {
            ir_node *v = n->map.items[i].val;
            if (v->kind != IR_SCALAR || v->tag != IR_TAG_STR) continue;
            ir_node *r = expand(k, c, v);
            if (r) n->map.items[i].val = r;
        }
        return true;
    }
    for (size_t i = 0; i < n->seq.n; i++) {
        ir_node *v = n->seq.items[i];
        if (v->kind != IR_SCALAR || v->tag != IR_TAG_STR) {
            diag_error(k->d, v->pos, "invalid value type expect a string");
            return false;
        }
        ir_node *r = expand(k, c, v);
        if (r) n->seq.items[i] = r;
    }
    return true;
}

bool kz_vars_resolve(kz_ctx *k, kz_tconfig *tc, ir_resset *set)
{
    if (!tc->nvars) return true;
    var_ctx c = {ar_alloc(k->a, tc->nvars * sizeof *c.vals), 0};
    for (size_t i = 0; i < tc->nvars; i++) {
        const kz_var *v = &tc->vars[i];
        ir_res *owner = NULL;
        for (size_t j = 0; j < set->n && !owner; j++) {
            kz_resx *x = set->items[j]->fe;
            for (size_t q = 0; x && q < x->nvarnames; q++)
                if (!strcmp(x->varnames[q], v->name)) owner = set->items[j];
        }
        if (!owner) {
            diag_error(k->d, v->def->pos,
                       "var '%s' cannot be mapped to a field in the set of known resources",
                       v->name);
            return false;
        }
        ir_node ***slots;
        bool failed;
        size_t n = path_match(k, &owner->obj, v->fieldpath, -1, true, &slots, &failed);
        const ir_node *value = n ? *slots[0] : NULL;
        free(slots);
        if (!value || value->kind != IR_SCALAR) {
            diag_error(k->d, v->def->pos,
                       "field specified in var '%s' not found in corresponding resource", v->name);
            return false;
        }
        c.vals[c.n++] = (var_value){v->name, value};
    }
    for (size_t i = 0; i < set->n; i++) {
        ir_res *r = set->items[i];
        for (size_t j = 0; j < tc->var_reference.n; j++) {
            const kz_fspec *fs = &tc->var_reference.v[j];
            if (!kz_fspec_selects(fs, r->id.group, r->id.version, r->id.kind)) continue;
            kz_fspec spec = *fs;
            spec.create = false;
            if (!kz_fspec_apply(k, r->obj, &spec, -1, var_set, &c)) return false;
        }
    }
    return true;
}
