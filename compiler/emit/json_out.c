/* Writes IR as JSON the way Go's encoding/json does: keys sorted bytewise, HTML-safe escapes,
 * numbers as kustomize's JSON round trip prints them. */
#include "emit/emit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "yaml/goyaml.h"

void em_json_string(buf_t *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '"':
                buf_puts(b, "\\\"");
                break;
            case '\\':
                buf_puts(b, "\\\\");
                break;
            case '\n':
                buf_puts(b, "\\n");
                break;
            case '\r':
                buf_puts(b, "\\r");
                break;
            case '\t':
                buf_puts(b, "\\t");
                break;
            case '\b':
                buf_puts(b, "\\b");
                break;
            case '\f':
                buf_puts(b, "\\f");
                break;
            case '<':
            case '>':
            case '&':
                buf_puts(b, "\\u00");
                buf_putc(b, hex[c >> 4]);
                buf_putc(b, hex[c & 15]);
                break;
            default:
                if (c < 0x20) {
                    buf_puts(b, "\\u00");
                    buf_putc(b, hex[c >> 4]);
                    buf_putc(b, hex[c & 15]);
                } else {
                    buf_putc(b, (char)c);
                }
            }
            i++;
            continue;
        }
        size_t w = (size_t)util_utf8_width(c);
        if (i + w > n || !util_utf8_valid(s + i, w)) {
            buf_puts(b, "\\ufffd");
            i++;
            continue;
        }
        /* U+2028 and U+2029 are escaped by encoding/json */
        if (w == 3 && c == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
            ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
            buf_puts(b, (unsigned char)s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029");
        } else {
            buf_put(b, s + i, w);
        }
        i += w;
    }
    buf_putc(b, '"');
}

static void newline(buf_t *b, int indent, int level)
{
    if (!indent) return;
    buf_putc(b, '\n');
    for (int i = 0; i < indent * level; i++)
        buf_putc(b, ' ');
}

static int key_cmp(const void *pa, const void *pb)
{
    const ir_pair *a = *(const ir_pair *const *)pa, *b = *(const ir_pair *const *)pb;
    size_t n = a->key->sc.n < b->key->sc.n ? a->key->sc.n : b->key->sc.n;
    int c = memcmp(a->key->sc.s, b->key->sc.s, n);
    if (c) return c;
    return a->key->sc.n < b->key->sc.n ? -1 : a->key->sc.n > b->key->sc.n;
}

static void json_node(buf_t *b, const ir_node *x, int indent, int level)
{
    char tmp[80];
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
            if (x->flags & IR_INT_UNSIGNED)
                buf_printf(b, "%llu", (unsigned long long)x->sc.v.u);
            else
                buf_printf(b, "%lld", (long long)x->sc.v.i);
            break;
        case IR_TAG_FLOAT:
            ky_format_float_json_v2(x->sc.v.f, tmp);
            buf_puts(b, tmp);
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
        if (!x->map.n) {
            buf_puts(b, "{}");
            break;
        }
        const ir_pair **ps = util_xmalloc(x->map.n * sizeof *ps);
        for (size_t i = 0; i < x->map.n; i++)
            ps[i] = &x->map.items[i];
        qsort(ps, x->map.n, sizeof *ps, key_cmp);
        buf_putc(b, '{');
        for (size_t i = 0; i < x->map.n; i++) {
            if (i) buf_putc(b, ',');
            newline(b, indent, level + 1);
            em_json_string(b, ps[i]->key->sc.s, ps[i]->key->sc.n);
            buf_puts(b, indent ? ": " : ":");
            json_node(b, ps[i]->val, indent, level + 1);
        }
        newline(b, indent, level);
        buf_putc(b, '}');
        free(ps);
        break;
    }
    case IR_SEQ:
        if (!x->seq.n) {
            buf_puts(b, "[]");
            break;
        }
        buf_putc(b, '[');
        for (size_t i = 0; i < x->seq.n; i++) {
            if (i) buf_putc(b, ',');
            newline(b, indent, level + 1);
            json_node(b, x->seq.items[i], indent, level + 1);
        }
        newline(b, indent, level);
        buf_putc(b, ']');
        break;
    }
}

void em_json_doc(buf_t *out, const ir_node *root, int indent)
{
    json_node(out, root, indent, 0);
    buf_putc(out, '\n');
}

void em_json_stream(buf_t *out, ir_node *const *docs, size_t n, int indent)
{
    if (n == 1) {
        em_json_doc(out, docs[0], indent);
        return;
    }
    buf_putc(out, '{');
    newline(out, indent, 1);
    buf_puts(out, indent ? "\"apiVersion\": \"v1\"," : "\"apiVersion\":\"v1\",");
    newline(out, indent, 1);
    buf_puts(out, indent ? "\"items\": [" : "\"items\":[");
    for (size_t i = 0; i < n; i++) {
        if (i) buf_putc(out, ',');
        newline(out, indent, 2);
        json_node(out, docs[i], indent, 2);
    }
    if (n) newline(out, indent, 1);
    buf_puts(out, "],");
    newline(out, indent, 1);
    buf_puts(out, indent ? "\"kind\": \"List\"" : "\"kind\":\"List\"");
    newline(out, indent, 0);
    buf_puts(out, "}\n");
}

bool em_check_printable(diag_ctx *d, const ir_node *x)
{
    switch (x->kind) {
    case IR_SCALAR:
        if (x->tag == IR_TAG_FLOAT && !isfinite(x->sc.v.f)) {
            diag_error(
                d, x->pos,
                "json: unsupported value: %s (kustomize cannot print NaN or infinite numbers)",
                isnan(x->sc.v.f) ? "NaN"
                : x->sc.v.f > 0  ? "+Inf"
                                 : "-Inf");
            return false;
        }
        return true;
    case IR_MAP:
        for (size_t i = 0; i < x->map.n; i++) {
            const ir_node *k = x->map.items[i].key;
            if (k->kind == IR_SCALAR && k->tag != IR_TAG_STR && k->tag != IR_TAG_BINARY) {
                diag_error(d, k->pos, "mapping key `%s` is not a string (quote it)", k->sc.s);
                return false;
            }
            if (!em_check_printable(d, x->map.items[i].val)) return false;
        }
        return true;
    case IR_SEQ:
        for (size_t i = 0; i < x->seq.n; i++)
            if (!em_check_printable(d, x->seq.items[i])) return false;
        return true;
    }
    return true;
}
