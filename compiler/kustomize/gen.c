/* configMapGenerator and secretGenerator entries turned into ConfigMaps and Secrets as kustomize
 * v5.7.1 builds them, and kustomize's name hash suffix of generated objects. */
#include "emit/emit.h"
#include "kustomize/kz_int.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "yaml/goyaml.h"

/* ---- reading the entry as kustomize's strict JSON decoding of the kustomization does ---- */

static bool is_null(const ir_node *n)
{
    return n->kind == IR_SCALAR && n->tag == IR_TAG_NULL;
}

/* What go-yaml v2 makes of a scalar (the kustomization is read through sigs.k8s.io/yaml), with
 * its value in *v. */
static ky_kind v2_scalar(const ir_node *n, ky_value *v)
{
    memset(v, 0, sizeof *v);
    if (n->kind != IR_SCALAR) return KY_STR;
    ky_value v3;
    if (n->style == IR_STYLE_PLAIN && !n->sc.utag &&
        !(n->tag == IR_TAG_STR &&
          ky_resolve(KY_V3, n->sc.s, n->sc.n, &v3) != KY_STR) /* explicit !!str */) {
        ky_kind k = ky_resolve(KY_V2, n->sc.s, n->sc.n, v);
        return k == KY_TIMESTAMP ? KY_STR
                                 : k; /* timestamps stay the strings they were written as */
    }
    switch (n->tag) {
    case IR_TAG_NULL:
        return KY_NULL;
    case IR_TAG_BOOL:
        v->b = n->sc.v.b;
        return KY_BOOL;
    case IR_TAG_INT:
        if (n->flags & IR_INT_UNSIGNED) {
            v->u = n->sc.v.u;
            return KY_UINT;
        }
        v->i = n->sc.v.i;
        return KY_INT;
    case IR_TAG_FLOAT:
        v->f = n->sc.v.f;
        return KY_FLOAT;
    default:
        return KY_STR;
    }
}

static ky_kind v2_kind(const ir_node *n)
{
    ky_value v;
    return v2_scalar(n, &v);
}

static const char *kind_word(const ir_node *n)
{
    if (n->kind == IR_MAP) return "a mapping";
    if (n->kind == IR_SEQ) return "a list";
    switch (v2_kind(n)) {
    case KY_BOOL:
        return "a boolean";
    case KY_INT:
    case KY_UINT:
    case KY_FLOAT:
        return "a number";
    default:
        return "a string";
    }
}

/* A string field: null reads as "" (as JSON null does); other types are errors. */
static bool f_str(kz_ctx *k, const ir_node *n, const char *what, const char **out)
{
    if (is_null(n)) {
        *out = "";
        return true;
    }
    if (n->kind != IR_SCALAR || v2_kind(n) != KY_STR) {
        diag_error(k->d, n->pos, "%s must be a string, not %s", what, kind_word(n));
        return false;
    }
    *out = n->sc.s;
    return true;
}

static bool f_bool(kz_ctx *k, const ir_node *n, const char *what, bool *out)
{
    if (is_null(n)) return true;
    ky_value v;
    if (n->kind == IR_SCALAR && v2_scalar(n, &v) == KY_BOOL) {
        *out = v.b;
        return true;
    }
    diag_error(k->d, n->pos, "%s must be a boolean, not %s", what, kind_word(n));
    return false;
}

/* A list of strings; null is an empty list. */
static bool f_list(kz_ctx *k, const ir_node *n, const char *what)
{
    if (is_null(n)) return true;
    if (n->kind != IR_SEQ) {
        diag_error(k->d, n->pos, "'%s' must be a list of strings, not %s", what, kind_word(n));
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n->seq.n; i++) {
        const char *s;
        ok = f_str(k, n->seq.items[i], "each entry", &s) && ok;
    }
    return ok;
}

/* A mapping key the way sigs.k8s.io/yaml turns it into a JSON object key. */
static bool v2_key_text(kz_ctx *k, const ir_node *key, const char **out)
{
    if (key->kind != IR_SCALAR) {
        diag_error(k->d, key->pos, "mapping keys must be strings");
        return false;
    }
    char tmp[64];
    ky_value v;
    switch (v2_scalar(key, &v)) {
    case KY_NULL:
        diag_error(k->d, key->pos, "a null mapping key is not supported");
        return false;
    case KY_BOOL:
        *out = v.b ? "true" : "false";
        return true;
    case KY_INT:
        *out = ar_printf(k->a, "%lld", (long long)v.i);
        return true;
    case KY_UINT:
        *out = ar_printf(k->a, "%llu", (unsigned long long)v.u);
        return true;
    case KY_FLOAT:
        ky_format_float_g(v.f, tmp);
        *out = ar_strdup(k->a, tmp);
        return true;
    default:
        *out = key->sc.s;
        return true;
    }
}

/* A string-to-string map (labels, annotations), appended to keys/vals; a later key replaces an
 * earlier equal one, as decoding into a Go map does. */
typedef struct strmap {
    const char **keys, **vals;
    const ir_node **nodes;
    size_t n, cap;
} strmap;

static bool strmap_find(const strmap *m, const char *key, size_t *at)
{
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->keys[i], key)) {
            *at = i;
            return true;
        }
    return false;
}

static void strmap_put(kz_ctx *k, strmap *m, const char *key, const char *val, const ir_node *node)
{
    size_t at;
    if (strmap_find(m, key, &at)) {
        m->vals[at] = val;
        m->nodes[at] = node;
        return;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        m->keys = ar_realloc(k->a, m->keys, m->cap * sizeof *m->keys, cap * sizeof *m->keys);
        m->vals = ar_realloc(k->a, m->vals, m->cap * sizeof *m->vals, cap * sizeof *m->vals);
        m->nodes = ar_realloc(k->a, m->nodes, m->cap * sizeof *m->nodes, cap * sizeof *m->nodes);
        m->cap = cap;
    }
    m->keys[m->n] = key;
    m->vals[m->n] = val;
    m->nodes[m->n] = node;
    m->n++;
}

static bool f_strmap(kz_ctx *k, const ir_node *n, const char *what, strmap *m, bool *present)
{
    if (is_null(n)) return true;
    if (n->kind != IR_MAP) {
        diag_error(k->d, n->pos, "'%s' must be a mapping of strings, not %s", what, kind_word(n));
        return false;
    }
    *present = true;
    bool ok = true;
    for (size_t i = 0; i < n->map.n; i++) {
        const char *key, *val;
        if (!v2_key_text(k, n->map.items[i].key, &key) ||
            !f_str(k, n->map.items[i].val, "a value", &val)) {
            ok = false;
            continue;
        }
        strmap_put(k, m, key, val, n->map.items[i].val);
    }
    return ok;
}

/* Go's encoding/json matches field names without regard to case. */
static const ir_node *field(const ir_node *map, const char *name)
{
    const ir_node *found = NULL;
    for (size_t i = 0; i < map->map.n; i++) {
        const ir_node *key = map->map.items[i].key;
        if (key->kind == IR_SCALAR && !strcasecmp(key->sc.s, name)) found = map->map.items[i].val;
    }
    return found;
}

static bool check_fields(kz_ctx *k, const ir_node *map, const char *const *names, const char *where)
{
    bool ok = true;
    for (size_t i = 0; i < map->map.n; i++) {
        const ir_node *key = map->map.items[i].key;
        bool known = false;
        for (size_t j = 0; names[j] && !known; j++)
            known = key->kind == IR_SCALAR && !strcasecmp(key->sc.s, names[j]);
        if (!known) {
            buf_t b = {0};
            for (size_t j = 0; names[j]; j++)
                buf_printf(&b, "%s%s", j ? ", " : "", names[j]);
            diag_error(k->d, key->pos, "unknown field '%s' in %s (expected one of %s)",
                       key->kind == IR_SCALAR ? key->sc.s : "?", where, b.data);
            buf_free(&b);
            ok = false;
        }
    }
    return ok;
}

/* ---- generator options ---- */

typedef struct gen_opts {
    strmap labels, annotations;
    bool has_labels, has_annotations;
    bool disable_hash, immutable;
} gen_opts;

static bool read_opts(kz_ctx *k, const ir_node *n, const char *where, gen_opts *o)
{
    if (!n || is_null(n)) return true;
    if (n->kind != IR_MAP) {
        diag_error(k->d, n->pos, "'%s' must be a mapping, not %s", where, kind_word(n));
        return false;
    }
    static const char *const names[] = {"labels", "annotations", "disableNameSuffixHash",
                                        "immutable", NULL};
    bool ok = check_fields(k, n, names, where);
    const ir_node *f;
    if ((f = field(n, "labels"))) ok = f_strmap(k, f, "labels", &o->labels, &o->has_labels) && ok;
    if ((f = field(n, "annotations")))
        ok = f_strmap(k, f, "annotations", &o->annotations, &o->has_annotations) && ok;
    if ((f = field(n, "disableNameSuffixHash")))
        ok = f_bool(k, f, "disableNameSuffixHash", &o->disable_hash) && ok;
    if ((f = field(n, "immutable"))) ok = f_bool(k, f, "immutable", &o->immutable) && ok;
    return ok;
}

/* types.MergeGlobalOptionsIntoLocal: the entry's own labels and annotations win, the global
 * ones fill in; the booleans are or-ed. */
static void merge_opts(kz_ctx *k, gen_opts *local, const gen_opts *global)
{
    size_t at;
    for (size_t i = 0; i < global->labels.n; i++)
        if (!strmap_find(&local->labels, global->labels.keys[i], &at))
            strmap_put(k, &local->labels, global->labels.keys[i], global->labels.vals[i],
                       global->labels.nodes[i]);
    for (size_t i = 0; i < global->annotations.n; i++)
        if (!strmap_find(&local->annotations, global->annotations.keys[i], &at))
            strmap_put(k, &local->annotations, global->annotations.keys[i],
                       global->annotations.vals[i], global->annotations.nodes[i]);
    local->disable_hash = local->disable_hash || global->disable_hash;
    local->immutable = local->immutable || global->immutable;
}

/* ---- key/value sources (api/kv/kv.go) ---- */

typedef struct kv_pair {
    const char *key;
    const char *val;
    size_t vlen;
    const ir_node *src; /* the kustomization entry it came from */
} kv_pair;

typedef struct kv_list {
    kv_pair *v;
    size_t n, cap;
} kv_list;

static void kv_add(kz_ctx *k, kv_list *l, const char *key, const char *val, size_t vlen,
                   const ir_node *src)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        l->v = ar_realloc(k->a, l->v, l->cap * sizeof *l->v, cap * sizeof *l->v);
        l->cap = cap;
    }
    l->v[l->n++] = (kv_pair){key, val, vlen, src};
}

/* Reads a file named by the entry, relative to the kustomization directory, under kustomize's
 * load restriction. */
static bool load_file(kz_ctx *k, const char *dir, const char *rel, const ir_node *where,
                      char **data, size_t *len)
{
    if (!strncmp(rel, "http://", 7) || !strncmp(rel, "https://", 8)) {
        diag_error(k->d, where->pos, "remote file '%s' refused: kiln builds offline", rel);
        return false;
    }
    char *path = src_join(k->a, dir, rel);
    if (!k->load_none && !src_is_within(dir, path)) {
        diag_error(k->d, where->pos,
                   "security: file '%s' is not in or below '%s' (use --load-restrictor "
                   "LoadRestrictionsNone to allow)",
                   path, dir);
        return false;
    }
    switch (src_stat(k->src, path)) {
    case SRC_MISSING:
        diag_error(k->d, where->pos, "file '%s' not found (looked for %s)", rel, path);
        return false;
    case SRC_DIR:
        diag_error(k->d, where->pos, "'%s' must resolve to a file, but %s is a directory", rel,
                   path);
        return false;
    case SRC_OTHER:
        diag_error(k->d, where->pos,
                   "file '%s' is outside the repository root or not a regular file", rel);
        return false;
    case SRC_FILE:
        break;
    }
    const char *err;
    if (!src_read(k->src, k->a, path, data, len, &err)) {
        diag_error(k->d, where->pos, "%s", err);
        return false;
    }
    return true;
}

/* unicode.IsSpace of the rune starting at s (n bytes left); its width in *w. */
static bool unicode_space(const unsigned char *s, size_t n, size_t *w)
{
    *w = 1;
    unsigned c = s[0];
    if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
    if (c == 0xC2 && n >= 2 && (s[1] == 0x85 || s[1] == 0xA0)) return *w = 2, true;
    if (n >= 3 && c == 0xE1 && s[1] == 0x9A && s[2] == 0x80) return *w = 3, true; /* U+1680 */
    if (n >= 3 && c == 0xE2 && s[1] == 0x80 &&
        (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return *w = 3, true; /* U+2000–200A, 2028, 2029, 202F */
    if (n >= 3 && c == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) return *w = 3, true; /* U+205F */
    if (n >= 3 && c == 0xE3 && s[1] == 0x80 && s[2] == 0x80) return *w = 3, true; /* U+3000 */
    return false;
}

/* KEY=VALUE lines as kv.go reads them with a bufio.Scanner: lines end at "\n" (a "\r" before it
 * goes), a UTF-8 BOM is dropped from the first line, leading white space is trimmed, blank lines
 * and '#' comments are skipped, the value is everything after the first '=' (not unquoted), a
 * line without '=' has an empty value and a line with an empty key is ignored. */
static bool parse_env(kz_ctx *k, const char *text, size_t len, const ir_node *src, const char *path,
                      kv_list *out)
{
    size_t lineno = 0;
    for (size_t pos = 0; pos < len; lineno++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - pos;
        /* bufio.Scanner gives up (silently, kustomize never checks) on a line of 64 KiB or more */
        if (n >= 65536) break;
        const char *line = text + pos;
        pos = nl ? end + 1 : len;
        if (n && line[n - 1] == '\r') n--;
        if (!util_utf8_valid(line, n)) {
            diag_error(k->d, src->pos, "env file '%s': line %zu has invalid UTF-8 bytes", path,
                       lineno + 1);
            return false;
        }
        if (lineno == 0 && n >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3)) line += 3, n -= 3;
        size_t w;
        while (n && unicode_space((const unsigned char *)line, n, &w))
            line += w, n -= w;
        if (!n || line[0] == '#') continue;
        const char *eq = memchr(line, '=', n);
        size_t klen = eq ? (size_t)(eq - line) : n;
        if (!klen) continue;
        const char *val = eq ? eq + 1 : "";
        size_t vlen = eq ? n - klen - 1 : 0;
        kv_add(k, out, ar_strndup(k->a, line, klen), ar_strndup(k->a, val, vlen), vlen, src);
    }
    return true;
}

/* Go's path.Base. */
static const char *path_base(arena *a, const char *p)
{
    size_t n = strlen(p);
    if (!n) return ".";
    while (n > 0 && p[n - 1] == '/')
        n--;
    if (!n) return "/";
    size_t start = n;
    while (start > 0 && p[start - 1] != '/')
        start--;
    return ar_strndup(a, p + start, n - start);
}

static bool load_pairs(kz_ctx *k, const char *dir, const ir_node *args, kv_list *out)
{
    bool ok = true;
    /* envs, then the deprecated env, then literals, then files (kv.Load's order) */
    const ir_node *envs = field(args, "envs"), *env = field(args, "env");
    const ir_node *env_list[2] = {envs, env};
    for (int e = 0; e < 2; e++) {
        const ir_node *list = env_list[e];
        if (!list || is_null(list)) continue;
        size_t cnt = list->kind == IR_SEQ ? list->seq.n : 1;
        for (size_t i = 0; i < cnt; i++) {
            const ir_node *item = list->kind == IR_SEQ ? list->seq.items[i] : list;
            const char *rel;
            char *data;
            size_t len;
            if (!f_str(k, item, "an env file", &rel)) return false;
            if (e == 1 && !*rel) continue; /* env: "" is unset */
            if (!load_file(k, dir, rel, item, &data, &len) ||
                !parse_env(k, data, len, item, rel, out))
                ok = false;
        }
    }
    const ir_node *lits = field(args, "literals");
    for (size_t i = 0; lits && lits->kind == IR_SEQ && i < lits->seq.n; i++) {
        const ir_node *item = lits->seq.items[i];
        const char *s;
        if (!f_str(k, item, "a literal", &s)) return false;
        const char *eq = strchr(s, '=');
        if (!eq || eq == s) {
            diag_error(k->d, item->pos, "invalid literal source '%s', expected key=value", s);
            ok = false;
            continue;
        }
        const char *v = eq + 1;
        size_t vlen = strlen(v);
        /* one pair of matching quotes around the value goes */
        if (vlen >= 2 && v[0] == v[vlen - 1] && (v[0] == '"' || v[0] == '\'')) v++, vlen -= 2;
        kv_add(k, out, ar_strndup(k->a, s, (size_t)(eq - s)), ar_strndup(k->a, v, vlen), vlen,
               item);
    }
    const ir_node *files = field(args, "files");
    for (size_t i = 0; files && files->kind == IR_SEQ && i < files->seq.n; i++) {
        const ir_node *item = files->seq.items[i];
        const char *s;
        if (!f_str(k, item, "a file source", &s)) return false;
        size_t neq = 0;
        for (const char *p = s; *p; p++)
            neq += *p == '=';
        const char *key, *rel;
        size_t slen = strlen(s);
        if (neq == 0) {
            key = path_base(k->a, s);
            rel = s;
        } else if (neq > 1) {
            diag_error(k->d, item->pos,
                       "file source '%s': the key name or the file path contains '='", s);
            ok = false;
            continue;
        } else if (s[0] == '=') {
            diag_error(k->d, item->pos, "missing key name for file path '%s' in source '%s'", s + 1,
                       s);
            ok = false;
            continue;
        } else if (s[slen - 1] == '=') {
            diag_error(k->d, item->pos, "missing file path for key name '%.*s' in source '%s'",
                       (int)(slen - 1), s, s);
            ok = false;
            continue;
        } else {
            const char *eq = strchr(s, '=');
            key = ar_strndup(k->a, s, (size_t)(eq - s));
            rel = eq + 1;
        }
        char *data;
        size_t len;
        if (!load_file(k, dir, rel, item, &data, &len)) {
            ok = false;
            continue;
        }
        kv_add(k, out, key, data, len, item);
    }
    return ok;
}

/* ---- the object ---- */

static int pair_cmp(const void *pa, const void *pb)
{
    const kv_pair *a = *(const kv_pair *const *)pa, *b = *(const kv_pair *const *)pb;
    int c = strcmp(a->key, b->key);
    if (c) return c;
    return a < b ? -1 : a > b;
}

/* Reports keys given twice (kustomize: "configmap NAME illegally repeats the key"); on success
 * returns the pairs sorted by key. */
static bool sorted_unique(kz_ctx *k, const kv_list *l, const char *name, const kv_pair ***out)
{
    const kv_pair **ps = ar_alloc(k->a, (l->n + 1) * sizeof *ps);
    for (size_t i = 0; i < l->n; i++)
        ps[i] = &l->v[i];
    qsort(ps, l->n, sizeof *ps, pair_cmp);
    bool ok = true;
    for (size_t i = 1; i < l->n; i++)
        if (!strcmp(ps[i]->key, ps[i - 1]->key)) {
            char where[4096];
            diag_error(k->d, ps[i]->src->pos, "'%s' repeats the key '%s' (first given at %s)", name,
                       ps[i]->key, diag_pos_str(k->d, ps[i - 1]->src->pos, where, sizeof where));
            ok = false;
        }
    *out = ps;
    return ok;
}

/* base64 as kustomize's encodeBase64: lines of 70 characters, each ending in "\n", once the
 * encoding is 70 characters or longer. */
static ir_node *base64_node(kz_ctx *k, const kv_pair *p)
{
    size_t enc = 4 * ((p->vlen + 2) / 3);
    unsigned char *tmp = util_xmalloc(enc + 1);
    EVP_EncodeBlock(tmp, (const unsigned char *)p->val, (int)p->vlen);
    size_t lines = enc / 70 + 1;
    char *out = ar_alloc(k->a, enc + lines + 1);
    size_t o = 0;
    for (size_t i = 0; i < enc; i += 70) {
        size_t j = i + 70 < enc ? i + 70 : enc;
        memcpy(out + o, tmp + i, j - i);
        o += j - i;
        if (lines > 1) out[o++] = '\n';
    }
    free(tmp);
    return ir_scalar(k->a, IR_TAG_STR, out, o, p->src->pos);
}

static ir_node *str_node(kz_ctx *k, const char *s, diag_pos pos)
{
    return ir_str(k->a, s, pos);
}

static void put(kz_ctx *k, ir_node *map, const char *key, ir_node *val)
{
    ir_map_append(k->a, map, ir_str(k->a, key, val->pos), val);
}

static ir_node *sorted_strmap(kz_ctx *k, const strmap *m, diag_pos pos)
{
    size_t *idx = util_xmalloc((m->n + 1) * sizeof *idx);
    for (size_t i = 0; i < m->n; i++)
        idx[i] = i;
    for (size_t i = 1; i < m->n; i++) /* insertion sort: label sets are small */
        for (size_t j = i; j > 0 && strcmp(m->keys[idx[j - 1]], m->keys[idx[j]]) > 0; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    ir_node *out = ir_map(k->a, pos);
    for (size_t i = 0; i < m->n; i++)
        put(k, out, m->keys[idx[i]], str_node(k, m->vals[idx[i]], m->nodes[idx[i]]->pos));
    free(idx);
    return out;
}

bool kz_generate(kz_ctx *k, const char *dir, const ir_node *args, bool secret, const ir_node *opts,
                 ir_node **obj, const char **behavior, bool *needs_hash)
{
    const char *what = secret ? "secretGenerator entry" : "configMapGenerator entry";
    *obj = NULL;
    *behavior = "create";
    *needs_hash = false;
    if (args->kind != IR_MAP) {
        diag_error(k->d, args->pos, "a %s must be a mapping", what);
        return false;
    }
    static const char *const cm_fields[] = {"name", "namespace", "behavior", "literals", "files",
                                            "envs", "env",       "options",  NULL};
    static const char *const secret_fields[] = {"name",  "namespace", "behavior", "literals",
                                                "files", "envs",      "env",      "options",
                                                "type",  NULL};
    bool ok = check_fields(k, args, secret ? secret_fields : cm_fields, what);
    const char *name = "", *ns = "", *beh = "", *type = "";
    const ir_node *f;
    if ((f = field(args, "name"))) ok = f_str(k, f, "'name'", &name) && ok;
    if ((f = field(args, "namespace"))) ok = f_str(k, f, "'namespace'", &ns) && ok;
    if ((f = field(args, "behavior"))) ok = f_str(k, f, "'behavior'", &beh) && ok;
    if (secret && (f = field(args, "type"))) ok = f_str(k, f, "'type'", &type) && ok;
    if ((f = field(args, "literals"))) ok = f_list(k, f, "literals") && ok;
    if ((f = field(args, "files"))) ok = f_list(k, f, "files") && ok;
    if ((f = field(args, "envs"))) ok = f_list(k, f, "envs") && ok;
    if ((f = field(args, "env"))) {
        const char *s;
        ok = f_str(k, f, "'env'", &s) && ok;
    }
    gen_opts local = {0}, global = {0};
    ok = read_opts(k, field(args, "options"), "options", &local) && ok;
    ok = read_opts(k, opts, "generatorOptions", &global) && ok;
    if (!ok) return false;

    if (!strcmp(beh, "merge")) {
        *behavior = "merge";
    } else if (!strcmp(beh, "replace")) {
        *behavior = "replace";
    } else if (*beh && strcmp(beh, "create")) {
        /* kustomize treats any other value as unspecified, which creates */
        diag_warn(
            k->d, field(args, "behavior")->pos,
            "unknown behavior '%s' is treated as 'create' (expected create, merge or replace)",
            beh);
    }
    if (!*name) {
        const ir_node *nn = field(args, "name");
        diag_error(k->d, nn ? nn->pos : args->pos, "a %s must have a name", what);
        return false;
    }

    kv_list pairs = {0};
    if (!load_pairs(k, dir, args, &pairs)) return false;
    const kv_pair **sorted;
    if (!sorted_unique(k, &pairs, name, &sorted)) return false;

    merge_opts(k, &local, &global);
    diag_pos pos = args->pos;
    ir_node *o = ir_map(k->a, pos);
    put(k, o, "apiVersion", str_node(k, "v1", pos));
    put(k, o, "kind", str_node(k, secret ? "Secret" : "ConfigMap", pos));
    ir_node *md = ir_map(k->a, pos);
    put(k, o, "metadata", md);
    put(k, md, "name", str_node(k, name, field(args, "name")->pos));
    if (*ns) put(k, md, "namespace", str_node(k, ns, field(args, "namespace")->pos));
    if (secret) {
        put(k, o, "type", str_node(k, *type ? type : "Opaque", pos));
        ir_node *data = ir_map(k->a, pos);
        put(k, o, "data", data);
        for (size_t i = 0; i < pairs.n; i++)
            put(k, data, sorted[i]->key, base64_node(k, sorted[i]));
    } else {
        ir_node *data = NULL, *bin = NULL;
        for (size_t i = 0; i < pairs.n; i++) {
            const kv_pair *p = sorted[i];
            if (util_utf8_valid(p->val, p->vlen)) {
                if (!data) put(k, o, "data", data = ir_map(k->a, pos));
                put(k, data, p->key, ir_scalar(k->a, IR_TAG_STR, p->val, p->vlen, p->src->pos));
            } else {
                if (!bin) put(k, o, "binaryData", bin = ir_map(k->a, pos));
                put(k, bin, p->key, base64_node(k, p));
            }
        }
    }
    if (local.labels.n) put(k, md, "labels", sorted_strmap(k, &local.labels, pos));
    if (local.annotations.n) put(k, md, "annotations", sorted_strmap(k, &local.annotations, pos));
    if (local.immutable) {
        ir_node *t = ir_scalar(k->a, IR_TAG_BOOL, "true", 4, pos);
        t->sc.v.b = true;
        put(k, o, "immutable", t);
    }
    *obj = o;
    *needs_hash = !local.disable_hash;
    return true;
}

/* ---- hash suffix (api/hasher/hasher.go) ---- */

/* A float64 as encoding/json writes it: shortest digits, %f between 1e-6 and 1e21, else %e with
 * a two-digit minimum only for positive exponents. */
static void json_float(buf_t *b, double f)
{
    char g[64];
    ky_format_float_g(f, g);
    const char *p = g;
    if (*p == '-') buf_putc(b, *p++);
    if (*p == '.' || *p == 'N' || *p == 'n') { /* .inf / .nan: not representable in JSON */
        buf_puts(b, "null");
        return;
    }
    char digits[40];
    size_t nd = 0;
    long point = 0;
    bool seen_point = false;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            seen_point = true;
            continue;
        }
        if (nd < sizeof digits - 1) digits[nd++] = *p;
        if (!seen_point) point++;
    }
    if (*p == 'e') point += strtol(p + 1, NULL, 10);
    size_t lead = 0;
    while (lead < nd && digits[lead] == '0')
        lead++, point--;
    memmove(digits, digits + lead, nd - lead);
    nd -= lead;
    while (nd && digits[nd - 1] == '0')
        nd--;
    if (!nd) {
        buf_putc(b, '0');
        return;
    }
    double a = f < 0 ? -f : f;
    if (a < 1e-6 || a >= 1e21) {
        buf_putc(b, digits[0]);
        if (nd > 1) {
            buf_putc(b, '.');
            buf_put(b, digits + 1, nd - 1);
        }
        long e = point - 1;
        if (e < 0)
            buf_printf(b, "e-%ld", -e);
        else
            buf_printf(b, "e+%02ld", e);
        return;
    }
    if (point <= 0) {
        buf_puts(b, "0.");
        for (long i = 0; i < -point; i++)
            buf_putc(b, '0');
        buf_put(b, digits, nd);
    } else if ((size_t)point >= nd) {
        buf_put(b, digits, nd);
        for (size_t i = nd; i < (size_t)point; i++)
            buf_putc(b, '0');
    } else {
        buf_put(b, digits, (size_t)point);
        buf_putc(b, '.');
        buf_put(b, digits + point, nd - (size_t)point);
    }
}

static int pair_key_cmp(const void *pa, const void *pb)
{
    const ir_pair *a = *(const ir_pair *const *)pa, *b = *(const ir_pair *const *)pb;
    size_t n = a->key->sc.n < b->key->sc.n ? a->key->sc.n : b->key->sc.n;
    int c = memcmp(a->key->sc.s, b->key->sc.s, n);
    if (c) return c;
    return a->key->sc.n < b->key->sc.n ? -1 : a->key->sc.n > b->key->sc.n;
}

/* A value after kyaml's MarshalJSON and a json.Unmarshal into interface{}: numbers are float64. */
static void json_value(buf_t *b, const ir_node *x)
{
    char tmp[64];
    switch (x->kind) {
    case IR_SCALAR:
        switch (x->tag) {
        case IR_TAG_NULL:
            buf_puts(b, "null");
            break;
        case IR_TAG_BOOL:
            buf_puts(b, x->sc.v.b ? "true" : "false");
            break;
        case IR_TAG_INT:
            json_float(b, (x->flags & IR_INT_UNSIGNED) ? (double)x->sc.v.u : (double)x->sc.v.i);
            break;
        case IR_TAG_FLOAT:
            json_float(b, x->sc.v.f);
            break;
        case IR_TAG_TIMESTAMP:
            if (ky_timestamp_rfc3339(x->sc.s, x->sc.n, tmp, sizeof tmp)) {
                em_json_string(b, tmp, strlen(tmp));
                break;
            }
            /* fall through */
        default:
            em_json_string(b, x->sc.s, x->sc.n);
            break;
        }
        break;
    case IR_MAP: {
        const ir_pair **ps = util_xmalloc((x->map.n + 1) * sizeof *ps);
        for (size_t i = 0; i < x->map.n; i++)
            ps[i] = &x->map.items[i];
        qsort(ps, x->map.n, sizeof *ps, pair_key_cmp);
        buf_putc(b, '{');
        for (size_t i = 0; i < x->map.n; i++) {
            if (i) buf_putc(b, ',');
            em_json_string(b, ps[i]->key->sc.s, ps[i]->key->sc.n);
            buf_putc(b, ':');
            json_value(b, ps[i]->val);
        }
        buf_putc(b, '}');
        free(ps);
        break;
    }
    case IR_SEQ:
        buf_putc(b, '[');
        for (size_t i = 0; i < x->seq.n; i++) {
            if (i) buf_putc(b, ',');
            json_value(b, x->seq.items[i]);
        }
        buf_putc(b, ']');
        break;
    }
}

/* hasher.go's getNodeValues for one field: "" when missing, a scalar's text, a mapping as JSON,
 * null for a list (it does not decode into a map). */
static void json_field(buf_t *b, const ir_node *v)
{
    if (!v)
        buf_puts(b, "\"\"");
    else if (v->kind == IR_SCALAR)
        em_json_string(b, v->sc.s, v->sc.n);
    else if (v->kind == IR_MAP)
        json_value(b, v);
    else
        buf_puts(b, "null");
}

void kz_hash_suffix(const ir_node *obj, char out[11])
{
    buf_t b = {0};
    const char *kind = obj->kind == IR_MAP ? ir_str_of(ir_map_get(obj, "kind")) : NULL;
    if (kind && !strcmp(kind, "ConfigMap")) {
        /* the name is looked up with a path kyaml takes as one field name: always "" */
        const ir_node *bin = ir_map_get(obj, "binaryData");
        buf_putc(&b, '{');
        if (bin && bin->kind == IR_MAP) {
            buf_puts(&b, "\"binaryData\":");
            json_value(&b, bin);
            buf_putc(&b, ',');
        }
        buf_puts(&b, "\"data\":");
        json_field(&b, ir_map_get(obj, "data"));
        buf_puts(&b, ",\"kind\":\"ConfigMap\",\"name\":\"\"}");
    } else if (kind && !strcmp(kind, "Secret")) {
        const ir_node *sd = ir_map_get(obj, "stringData");
        buf_puts(&b, "{\"data\":");
        json_field(&b, ir_map_get(obj, "data"));
        buf_puts(&b, ",\"kind\":\"Secret\",\"name\":\"\"");
        if (sd && sd->kind == IR_MAP) {
            buf_puts(&b, ",\"stringData\":");
            json_value(&b, sd);
        }
        buf_puts(&b, ",\"type\":");
        json_field(&b, ir_map_get(obj, "type"));
        buf_putc(&b, '}');
    } else {
        json_value(&b, obj);
    }
    unsigned char md[32];
    util_digest(UTIL_SHA256, b.data, b.len, md);
    buf_free(&b);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 10; i++) {
        char c = hex[(md[i / 2] >> (i % 2 ? 0 : 4)) & 15];
        switch (c) {
        case '0':
            c = 'g';
            break;
        case '1':
            c = 'h';
            break;
        case '3':
            c = 'k';
            break;
        case 'a':
            c = 'm';
            break;
        case 'e':
            c = 't';
            break;
        default:
            break;
        }
        out[i] = c;
    }
    out[10] = 0;
}
