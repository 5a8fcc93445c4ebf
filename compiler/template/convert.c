/* Conversions between template values and the IR, YAML and JSON text, following what Helm's
 * converters (sigs.k8s.io/yaml, encoding/json) do. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit/emit.h"
#include "template/tpl.h"
#include "yaml/yaml.h"

const tpl_val *tpl_from_ir(arena *a, const ir_node *n, unsigned flags)
{
    if (!n) return tpl_nil();
    switch (n->kind) {
    case IR_MAP: {
        tpl_val *m = tpl_map_new(a, NULL);
        for (size_t i = 0; i < n->map.n; i++) {
            const ir_node *k = n->map.items[i].key;
            const char *ks = k->kind == IR_SCALAR ? k->sc.s : "";
            size_t kn = k->kind == IR_SCALAR ? k->sc.n : 0;
            tpl_map_set(a, m->map, ks, kn, tpl_from_ir(a, n->map.items[i].val, flags));
        }
        return m;
    }
    case IR_SEQ: {
        const tpl_val **items = ar_alloc(a, (n->seq.n ? n->seq.n : 1) * sizeof *items);
        for (size_t i = 0; i < n->seq.n; i++)
            items[i] = tpl_from_ir(a, n->seq.items[i], flags);
        return tpl_list(a, items, n->seq.n, NULL);
    }
    default:
        break;
    }
    switch (n->tag) {
    case IR_TAG_NULL:
        return tpl_nil();
    case IR_TAG_BOOL:
        return tpl_bool(n->sc.v.b);
    case IR_TAG_INT:
        if (n->flags & IR_INT_UNSIGNED) {
            if (flags & (TPL_IR_FLOAT | TPL_IR_INT64)) return tpl_float(a, (double)n->sc.v.u);
            return tpl_uintk(a, TPL_UINT64, n->sc.v.u);
        }
        if (flags & TPL_IR_FLOAT) return tpl_float(a, (double)n->sc.v.i);
        return tpl_intk(a, (flags & TPL_IR_INT64) ? TPL_INT64 : TPL_INT, n->sc.v.i);
    case IR_TAG_FLOAT:
        return tpl_float(a, n->sc.v.f);
    case IR_TAG_TIMESTAMP:
        if (flags & TPL_IR_FLOAT) {
            /* through encoding/json a time.Time becomes its RFC 3339 text */
            char t[96];
            if (ky_timestamp_rfc3339(n->sc.s, n->sc.n, t, sizeof t)) return tpl_cstr(a, t);
        }
        return tpl_str(a, n->sc.s, n->sc.n);
    default:
        return tpl_str(a, n->sc.s, n->sc.n);
    }
}

static ir_node *to_ir(arena *a, const tpl_val *v, diag_pos pos, const char **err, int depth)
{
    if (depth > 10000) {
        *err = "json: unsupported value: encountered a cycle";
        return NULL;
    }
    switch (v->kind) {
    case TPL_NIL:
        return ir_scalar(a, IR_TAG_NULL, "null", 4, pos);
    case TPL_BOOL: {
        ir_node *n = ir_scalar(a, IR_TAG_BOOL, v->b ? "true" : "false", v->b ? 4 : 5, pos);
        n->sc.v.b = v->b;
        return n;
    }
    case TPL_FLOAT64: {
        if (isnan(v->f) || isinf(v->f)) {
            buf_t b = {0};
            tpl_format_float(&b, v->f, 'g', -1);
            *err = ar_printf(a, "json: unsupported value: %s", b.data);
            buf_free(&b);
            return NULL;
        }
        buf_t b = {0};
        tpl_format_float(&b, v->f, 'g', -1);
        ir_node *n = ir_scalar(a, IR_TAG_FLOAT, ar_strndup(a, b.data, b.len), b.len, pos);
        buf_free(&b);
        n->sc.v.f = v->f;
        return n;
    }
    case TPL_STRING:
        return ir_scalar(a, IR_TAG_STR, v->str.s, v->str.n, pos);
    case TPL_BYTES: {
        static const char b64[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        buf_t b = {0};
        const unsigned char *s = (const unsigned char *)v->str.s;
        size_t n = v->str.n;
        for (size_t i = 0; i < n; i += 3) {
            uint32_t x = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) |
                         (i + 2 < n ? s[i + 2] : 0);
            buf_putc(&b, b64[(x >> 18) & 63]);
            buf_putc(&b, b64[(x >> 12) & 63]);
            buf_putc(&b, i + 1 < n ? b64[(x >> 6) & 63] : '=');
            buf_putc(&b, i + 2 < n ? b64[x & 63] : '=');
        }
        ir_node *r =
            ir_scalar(a, IR_TAG_STR, ar_strndup(a, b.data ? b.data : "", b.len), b.len, pos);
        buf_free(&b);
        return r;
    }
    case TPL_LIST: {
        ir_node *s = ir_seq(a, pos);
        for (size_t i = 0; i < v->list.n; i++) {
            ir_node *c = to_ir(a, v->list.items[i], pos, err, depth + 1);
            if (!c) return NULL;
            ir_seq_append(a, s, c);
        }
        return s;
    }
    case TPL_MAP: {
        ir_node *m = ir_map(a, pos);
        for (size_t i = 0; i < v->map->n; i++) {
            ir_node *c = to_ir(a, v->map->vals[i], pos, err, depth + 1);
            if (!c) return NULL;
            ir_map_append(a, m, ir_scalar(a, IR_TAG_STR, v->map->keys[i], v->map->klens[i], pos),
                          c);
        }
        return m;
    }
    case TPL_OBJ: {
        buf_t b = {0};
        tpl_print(&b, v);
        ir_node *r =
            ir_scalar(a, IR_TAG_STR, ar_strndup(a, b.data ? b.data : "", b.len), b.len, pos);
        buf_free(&b);
        return r;
    }
    default: {
        ir_node *n;
        if (tpl_is_int(v)) {
            char t[32];
            int k = snprintf(t, sizeof t, "%lld", (long long)v->i);
            n = ir_scalar(a, IR_TAG_INT, ar_strndup(a, t, (size_t)k), (size_t)k, pos);
            n->sc.v.i = v->i;
        } else {
            char t[32];
            int k = snprintf(t, sizeof t, "%llu", (unsigned long long)v->u);
            n = ir_scalar(a, IR_TAG_INT, ar_strndup(a, t, (size_t)k), (size_t)k, pos);
            n->sc.v.u = v->u;
            if (v->u > (uint64_t)INT64_MAX)
                n->flags |= IR_INT_UNSIGNED;
            else
                n->sc.v.i = (int64_t)v->u;
        }
        return n;
    }
    }
}

bool tpl_to_ir(arena *a, const tpl_val *v, diag_pos pos, ir_node **out, const char **err)
{
    *err = NULL;
    *out = to_ir(a, v, pos, err, 0);
    return *out != NULL;
}

bool tpl_to_yaml(arena *a, const tpl_val *v, buf_t *out, const char **err)
{
    ir_node *n;
    if (!tpl_to_ir(a, v, diag_nopos, &n, err)) return false;
    return em_yaml_doc(out, n);
}

bool tpl_to_json(arena *a, const tpl_val *v, int indent, buf_t *out, const char **err)
{
    ir_node *n;
    if (!tpl_to_ir(a, v, diag_nopos, &n, err)) return false;
    size_t base = out->len;
    em_json_doc(out, n, indent);
    while (out->len > base && out->data[out->len - 1] == '\n')
        out->len--;
    buf_cstr(out);
    return true;
}

bool tpl_from_yaml(arena *a, const char *text, size_t n, const tpl_val **out, const char **err)
{
    diag_ctx d;
    diag_init(&d);
    char *copy = ar_strndup(a, text, n);
    uint32_t f = diag_file_add(&d, "<fromYaml>", copy, n);
    ky_opts o = {.flavor = KY_V2, .dup_last_wins = true};
    ky_docs docs;
    bool ok = ky_load(a, &d, f, copy, n, &o, &docs);
    if (!ok) {
        /* go-yaml: "yaml: line N: problem" (libyaml's context in parentheses dropped) */
        const char *m = d.nmsgs ? d.msgs[0].text : "unknown problem parsing YAML content";
        const char *paren = strstr(m, " (");
        int ml = paren ? (int)(paren - m) : (int)strlen(m);
        if (d.nmsgs && d.msgs[0].pos.line)
            *err = ar_printf(a, "error converting YAML to JSON: yaml: line %u: %.*s",
                             d.msgs[0].pos.line, ml, m);
        else
            *err = ar_printf(a, "error converting YAML to JSON: yaml: %.*s", ml, m);
        diag_free(&d);
        *out = tpl_nil();
        return false;
    }
    diag_free(&d);
    *out = docs.n ? tpl_from_ir(a, docs.docs[0], TPL_IR_FLOAT) : tpl_nil();
    return true;
}
