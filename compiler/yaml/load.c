/* Turns libyaml parser events into IR nodes: positions, tag resolution, anchors and aliases with
 * an expansion budget, merge keys, duplicate keys, nesting limit. */
#include "yaml/yaml.h"

#include <string.h>
#include <yaml.h>

#define TAG_PREFIX "tag:yaml.org,2002:"

typedef struct anchor {
    const char *name;
    ir_node *node;
} anchor;

typedef struct frame {
    ir_node *node; /* the collection being filled */
    size_t base;   /* its children so far are scratch[base..] (mappings: key, value, ...) */
    const char *anchor;
    ir_node **merges; /* mappings: merge sources, applied when the mapping ends */
    size_t nmerges, capmerges;
} frame;

typedef struct loader {
    arena *a;
    diag_ctx *d;
    uint32_t file;
    const ky_opts *o;
    anchor *anchors;
    size_t nanchors, capanchors;
    frame *stack;
    size_t depth, capstack;
    ir_node **scratch; /* children of open collections, sized exactly when they close */
    size_t nscratch, capscratch;
    size_t alias_budget;
    bool failed;
} loader;

static diag_pos pos_of(const loader *L, yaml_mark_t m)
{
    return diag_at(L->file, (uint32_t)m.line + 1, (uint32_t)m.column + 1);
}

static void anchor_set(loader *L, const char *name, ir_node *n)
{
    for (size_t i = 0; i < L->nanchors; i++)
        if (!strcmp(L->anchors[i].name, name)) {
            L->anchors[i].node = n; /* redefinition: later aliases see the new node */
            return;
        }
    if (L->nanchors == L->capanchors) {
        L->capanchors = L->capanchors ? L->capanchors * 2 : 16;
        L->anchors = util_xrealloc(L->anchors, L->capanchors * sizeof *L->anchors);
    }
    L->anchors[L->nanchors++] = (anchor){ar_strdup(L->a, name), n};
}

static ir_node *anchor_get(loader *L, const char *name)
{
    for (size_t i = L->nanchors; i-- > 0;)
        if (!strcmp(L->anchors[i].name, name)) return L->anchors[i].node;
    return NULL;
}

static size_t count_nodes(const ir_node *n, size_t limit)
{
    size_t c = 1;
    if (n->kind == IR_MAP)
        for (size_t i = 0; i < n->map.n && c <= limit; i++)
            c += count_nodes(n->map.items[i].key, limit) + count_nodes(n->map.items[i].val, limit);
    else if (n->kind == IR_SEQ)
        for (size_t i = 0; i < n->seq.n && c <= limit; i++)
            c += count_nodes(n->seq.items[i], limit);
    return c;
}

static const unsigned char b64[256] = {
    ['A'] = 1,  ['B'] = 2,  ['C'] = 3,  ['D'] = 4,  ['E'] = 5,  ['F'] = 6,  ['G'] = 7,  ['H'] = 8,
    ['I'] = 9,  ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16,
    ['Q'] = 17, ['R'] = 18, ['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
    ['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31, ['f'] = 32,
    ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40,
    ['o'] = 41, ['p'] = 42, ['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
    ['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55, ['3'] = 56,
    ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61, ['9'] = 62, ['+'] = 63, ['/'] = 64,
};

/* Standard base64 with padding, whitespace ignored (go-yaml strips it first). */
static bool b64_decode(arena *a, const char *s, size_t n, char **out, size_t *outn)
{
    char *o = ar_alloc(a, n / 4 * 3 + 4);
    size_t k = 0, q = 0;
    unsigned v = 0;
    size_t pad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (c == '=') {
            pad++;
            q++;
            v <<= 6;
        } else {
            if (pad || !b64[c]) return false;
            v = (v << 6) | (unsigned)(b64[c] - 1);
            q++;
        }
        if (q == 4) {
            o[k++] = (char)(v >> 16);
            if (pad < 2) o[k++] = (char)(v >> 8);
            if (pad < 1) o[k++] = (char)v;
            q = 0;
            v = 0;
        }
    }
    if (q != 0 || pad > 2) return false;
    o[k] = 0;
    *out = o;
    *outn = k;
    return true;
}

/* go-yaml v3 (and so kustomize) reads a folded block scalar with one more line break before each
 * more-indented line that follows a normal line than the YAML spec (and libyaml) gives. */
static void fold_quirk(loader *L, ir_node *x)
{
    const char *s = x->sc.s;
    size_t n = x->sc.n;
    buf_t b = {0};
    bool changed = false, prev_normal = false;
    size_t line = 0;
    while (line < n) {
        const char *nl = memchr(s + line, '\n', n - line);
        size_t end = nl ? (size_t)(nl - s) : n;
        bool empty = end == line;
        bool blank_start = !empty && (s[line] == ' ' || s[line] == '\t');
        if (blank_start && prev_normal) {
            /* insert before the breaks that precede this line */
            size_t k = b.len;
            while (k > 0 && b.data[k - 1] == '\n')
                k--;
            if (k < b.len) {
                buf_putc(&b, '\n');
                changed = true;
            }
        }
        if (!empty) prev_normal = !blank_start;
        buf_put(&b, s + line, end - line);
        if (nl) buf_putc(&b, '\n');
        line = end + 1;
    }
    if (changed) {
        x->sc.s = ar_strndup(L->a, b.data, b.len);
        x->sc.n = b.len;
    }
    buf_free(&b);
}

/* Builds a scalar node from an event: resolves plain untagged scalars, honours core tags. */
static ir_node *make_scalar(loader *L, yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t n = ev->data.scalar.length;
    const char *tag = (const char *)ev->data.scalar.tag;
    diag_pos pos = pos_of(L, ev->start_mark);
    char *s = ar_strndup(L->a, v, n);
    ir_node *x = ir_scalar(L->a, IR_TAG_STR, s, n, pos);
    switch (ev->data.scalar.style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        x->style = IR_STYLE_SINGLE;
        break;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        x->style = IR_STYLE_DOUBLE;
        break;
    case YAML_LITERAL_SCALAR_STYLE:
        x->style = IR_STYLE_LITERAL;
        break;
    case YAML_FOLDED_SCALAR_STYLE:
        x->style = IR_STYLE_FOLDED;
        fold_quirk(L, x);
        s = (char *)x->sc.s;
        n = x->sc.n;
        break;
    default:
        x->style = IR_STYLE_PLAIN;
        break;
    }
    const char *want = NULL; /* core tag suffix asked for explicitly */
    if (tag && strcmp(tag, "!") != 0) {
        if (!strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)))
            want = tag + strlen(TAG_PREFIX);
        else {
            x->sc.utag = ar_strdup(L->a, tag);
            return x; /* unknown tags decode as strings */
        }
    } else if (tag || x->style != IR_STYLE_PLAIN) {
        return x; /* quoted or "!" : a string */
    }
    if (want && !strcmp(want, "str")) return x;
    if (want && !strcmp(want, "binary")) {
        char *dec;
        size_t dn;
        if (!b64_decode(L->a, s, n, &dec, &dn)) {
            diag_error(L->d, pos, "!!binary value is not valid base64");
            L->failed = true;
            return x;
        }
        x->tag = IR_TAG_BINARY;
        x->sc.s = dec;
        x->sc.n = dn;
        return x;
    }
    ky_value kv;
    ky_kind k = ky_resolve(L->o->flavor, s, n, &kv);
    if (want) {
        bool ok = (!strcmp(want, "int") && (k == KY_INT || k == KY_UINT)) ||
                  (!strcmp(want, "float") && (k == KY_FLOAT || k == KY_INT || k == KY_UINT)) ||
                  (!strcmp(want, "bool") && k == KY_BOOL) ||
                  (!strcmp(want, "null") && k == KY_NULL) ||
                  (!strcmp(want, "timestamp") && k == KY_TIMESTAMP) ||
                  (!strcmp(want, "merge") && k == KY_MERGE);
        if (!ok && (!strcmp(want, "map") || !strcmp(want, "seq"))) {
            diag_error(L->d, pos, "cannot decode a scalar as !!%s", want);
            L->failed = true;
            return x;
        }
        if (!ok) {
            diag_error(L->d, pos, "cannot decode `%s` as a !!%s", s, want);
            L->failed = true;
            return x;
        }
        if (!strcmp(want, "float") && k == KY_INT) {
            k = KY_FLOAT;
            kv.f = (double)kv.i;
        } else if (!strcmp(want, "float") && k == KY_UINT) {
            k = KY_FLOAT;
            kv.f = (double)kv.u;
        }
    }
    switch (k) {
    case KY_STR:
        break;
    case KY_MERGE:
        break; /* handled by the mapping */
    case KY_NULL:
        x->tag = IR_TAG_NULL;
        break;
    case KY_BOOL:
        x->tag = IR_TAG_BOOL;
        x->sc.v.b = kv.b;
        break;
    case KY_INT:
        x->tag = IR_TAG_INT;
        x->sc.v.i = kv.i;
        break;
    case KY_UINT:
        x->tag = IR_TAG_INT;
        x->sc.v.u = kv.u;
        x->flags |= IR_INT_UNSIGNED;
        break;
    case KY_FLOAT:
        x->tag = IR_TAG_FLOAT;
        x->sc.v.f = kv.f;
        break;
    case KY_TIMESTAMP:
        x->tag = IR_TAG_TIMESTAMP;
        break;
    }
    return x;
}

static bool is_merge_key(const ir_node *k)
{
    return k->kind == IR_SCALAR && k->tag == IR_TAG_STR && k->style == IR_STYLE_PLAIN &&
           k->sc.n == 2 && k->sc.s[0] == '<' && k->sc.s[1] == '<';
}

static void push_merge(loader *L, frame *f, ir_node *src)
{
    if (f->nmerges == f->capmerges) {
        size_t cap = f->capmerges ? f->capmerges * 2 : 4;
        f->merges =
            ar_realloc(L->a, f->merges, f->capmerges * sizeof(ir_node *), cap * sizeof(ir_node *));
        f->capmerges = cap;
    }
    f->merges[f->nmerges++] = src;
}

/* Adds key: val to the mapping on top, checking duplicates and collecting merge sources. */
static void map_add(loader *L, frame *f, ir_node *key, ir_node *val)
{
    if (is_merge_key(key)) {
        if (val->kind == IR_MAP) {
            push_merge(L, f, val);
        } else if (val->kind == IR_SEQ) {
            for (size_t i = 0; i < val->seq.n; i++) {
                if (val->seq.items[i]->kind != IR_MAP) {
                    diag_error(L->d, val->seq.items[i]->pos,
                               "map merge requires a mapping or a list of mappings");
                    L->failed = true;
                    return;
                }
                push_merge(L, f, val->seq.items[i]);
            }
        } else {
            diag_error(L->d, val->pos, "map merge requires a mapping or a list of mappings");
            L->failed = true;
        }
        return;
    }
    if (key->kind != IR_SCALAR) {
        diag_error(L->d, key->pos, "a mapping key must be a scalar, not a %s",
                   key->kind == IR_MAP ? "mapping" : "sequence");
        L->failed = true;
        return;
    }
    ir_pair *old = ir_map_find(f->node, key->sc.s, key->sc.n);
    if (old && L->o->dup_last_wins) {
        old->val = val;
        return;
    }
    if (old) {
        diag_error(L->d, key->pos, "mapping key \"%s\" already defined at line %u", key->sc.s,
                   old->key->pos.line);
        diag_note(L->d, old->key->pos, "first defined here");
        L->failed = true;
        return;
    }
    ir_map_append(L->a, f->node, key, val);
}

/* Applies collected merge sources: keys the mapping does not define itself, first source wins. */
static void map_finish(loader *L, frame *f)
{
    for (size_t m = 0; m < f->nmerges; m++) {
        ir_node *src = f->merges[m];
        for (size_t i = 0; i < src->map.n; i++) {
            ir_node *k = src->map.items[i].key;
            if (k->kind != IR_SCALAR || ir_map_find(f->node, k->sc.s, k->sc.n)) continue;
            ir_map_append(L->a, f->node, ir_clone(L->a, k), ir_clone(L->a, src->map.items[i].val));
        }
    }
}

/* Places a finished node into its parent (or returns it as the document root). */
static void attach(loader *L, ir_node *n, ir_node **root)
{
    if (L->depth == 0) {
        *root = n;
        return;
    }
    if (L->nscratch == L->capscratch) {
        L->capscratch = L->capscratch ? L->capscratch * 2 : 256;
        L->scratch = util_xrealloc(L->scratch, L->capscratch * sizeof *L->scratch);
    }
    L->scratch[L->nscratch++] = n;
}

static void push(loader *L, ir_node *n, const char *anchor_name)
{
    if (L->depth == L->capstack) {
        L->capstack = L->capstack ? L->capstack * 2 : 32;
        L->stack = util_xrealloc(L->stack, L->capstack * sizeof *L->stack);
    }
    frame *f = &L->stack[L->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->base = L->nscratch;
    f->anchor = anchor_name;
}

/* Moves a closing collection's children from the scratch stack into exactly sized arrays. */
static void close_collection(loader *L, frame *f)
{
    size_t n = L->nscratch - f->base;
    ir_node **kids = n ? L->scratch + f->base : NULL; /* no scratch yet: no offset on NULL */
    ir_node *x = f->node;
    if (x->kind == IR_SEQ) {
        x->seq.items = n ? ar_alloc(L->a, n * sizeof *x->seq.items) : NULL;
        if (n) memcpy(x->seq.items, kids, n * sizeof *kids);
        x->seq.n = x->seq.cap = n;
    } else {
        size_t pairs = n / 2;
        x->map.items = pairs ? ar_alloc(L->a, pairs * sizeof *x->map.items) : NULL;
        x->map.cap = pairs;
        for (size_t i = 0; i + 1 < n; i += 2)
            map_add(L, f, kids[i], kids[i + 1]);
        map_finish(L, f);
    }
    L->nscratch = f->base;
}

static void parser_error(loader *L, yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "invalid YAML";
    diag_pos pos = pos_of(L, p->problem_mark);
    if (p->error == YAML_READER_ERROR) {
        diag_error(L->d, diag_at(L->file, 0, 0), "%s at byte %zu", problem, p->problem_offset);
    } else if (p->context && p->problem && !strcmp(p->problem, "found unexpected end of stream")) {
        /* an unclosed quote or bracket: point where it was opened */
        diag_error(L->d, pos_of(L, p->context_mark), "%s before this was closed (%s)", problem,
                   p->context);
    } else if (p->context) {
        diag_error(L->d, pos, "%s (%s, line %zu column %zu)", problem, p->context,
                   p->context_mark.line + 1, p->context_mark.column + 1);
    } else {
        diag_error(L->d, pos, "%s", problem);
    }
    L->failed = true;
}

static void docs_push(arena *a, ky_docs *out, size_t *cap, ir_node *root, diag_pos pos)
{
    if (out->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        out->docs = ar_realloc(a, out->docs, *cap * sizeof *out->docs, nc * sizeof *out->docs);
        out->pos = ar_realloc(a, out->pos, *cap * sizeof *out->pos, nc * sizeof *out->pos);
        *cap = nc;
    }
    out->docs[out->n] = root;
    out->pos[out->n] = pos;
    out->n++;
}

bool ky_load(arena *a, diag_ctx *d, uint32_t file, const char *text, size_t len,
             const ky_opts *opts, ky_docs *out)
{
    ky_opts defaults = {.flavor = KY_V3};
    loader L = {.a = a, .d = d, .file = file, .o = opts ? opts : &defaults};
    size_t budget = L.o->max_alias_nodes ? L.o->max_alias_nodes : 1000000;
    size_t max_depth = L.o->max_depth ? L.o->max_depth : 1000;
    memset(out, 0, sizeof *out);
    size_t cap = 0;

    /* a UTF-8 byte order mark is not content */
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF) {
        text += 3;
        len -= 3;
    }
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) util_oom();
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);

    ir_node *root = NULL;
    diag_pos docpos = diag_nopos;
    bool done = false;
    while (!done && !L.failed) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            parser_error(&L, &p);
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            root = NULL;
            docpos = pos_of(&L, ev.start_mark);
            L.nanchors = 0; /* anchors are per document */
            break;
        case YAML_DOCUMENT_END_EVENT:
            if (root && (L.o->keep_empty || !(root->kind == IR_SCALAR && root->tag == IR_TAG_NULL)))
                docs_push(a, out, &cap, root, docpos);
            root = NULL;
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_ALIAS_EVENT: {
            const char *name = (const char *)ev.data.alias.anchor;
            ir_node *target = anchor_get(&L, name);
            diag_pos pos = pos_of(&L, ev.start_mark);
            if (!target) {
                diag_error(d, pos, "unknown anchor '%s' referenced", name);
                L.failed = true;
                break;
            }
            size_t cost = count_nodes(target, budget);
            if (cost > budget || L.alias_budget + cost > budget) {
                diag_error(d, pos, "aliases expand to more than %zu nodes (alias bomb?)", budget);
                L.failed = true;
                break;
            }
            L.alias_budget += cost;
            ir_node *copy = ir_clone(a, target);
            copy->pos = pos;
            attach(&L, copy, &root);
            break;
        }
        case YAML_SCALAR_EVENT: {
            ir_node *x = make_scalar(&L, &ev);
            if (ev.data.scalar.anchor) anchor_set(&L, (const char *)ev.data.scalar.anchor, x);
            attach(&L, x, &root);
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            bool is_map = ev.type == YAML_MAPPING_START_EVENT;
            diag_pos pos = pos_of(&L, ev.start_mark);
            if (L.depth >= max_depth) {
                diag_error(d, pos, "nesting deeper than %zu levels", max_depth);
                L.failed = true;
                break;
            }
            ir_node *x = is_map ? ir_map(a, pos) : ir_seq(a, pos);
            bool flow = is_map ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                               : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
            x->style = flow ? IR_STYLE_FLOW : IR_STYLE_BLOCK;
            const unsigned char *an =
                is_map ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
            push(&L, x, an ? ar_strdup(a, (const char *)an) : NULL);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            frame *f = &L.stack[--L.depth];
            close_collection(&L, f);
            if (f->anchor) anchor_set(&L, f->anchor, f->node);
            attach(&L, f->node, &root);
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    free(L.anchors);
    free(L.stack);
    free(L.scratch);
    return !L.failed;
}

ir_node *ky_plain_scalar(arena *a, const char *text, size_t n, diag_pos pos)
{
    ir_node *x = ir_scalar(a, IR_TAG_STR, ar_strndup(a, text, n), n, pos);
    ky_value kv;
    switch (ky_resolve(KY_V3, text, n, &kv)) {
    case KY_NULL:
        x->tag = IR_TAG_NULL;
        break;
    case KY_BOOL:
        x->tag = IR_TAG_BOOL, x->sc.v.b = kv.b;
        break;
    case KY_INT:
        x->tag = IR_TAG_INT, x->sc.v.i = kv.i;
        break;
    case KY_UINT:
        x->tag = IR_TAG_INT, x->sc.v.u = kv.u, x->flags = IR_INT_UNSIGNED;
        break;
    case KY_FLOAT:
        x->tag = IR_TAG_FLOAT, x->sc.v.f = kv.f;
        break;
    case KY_TIMESTAMP:
        x->tag = IR_TAG_TIMESTAMP;
        break;
    default:
        break;
    }
    return x;
}
