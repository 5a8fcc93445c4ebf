/* text/template's builtin functions: comparisons, index, slice, len, not, the print family
 * and the html/js/urlquery escapers, with Go's semantics and error texts. Raw functions get
 * NULL for Go's invalid (missing) values. */
#include <stdlib.h>
#include <string.h>

#include "template/tpl_fns.h"
#include "template/tpl_int.h"

static const tpl_val *indirect(const tpl_val *v)
{
    return v && v->kind == TPL_NIL ? NULL : v;
}

TPL_FN(tpl_f_call)
{
    (void)args;
    (void)nargs;
    (void)out;
    return tpl_errorf(c, "call of nil");
}

static void eval_args(buf_t *b, const tpl_val *const *args, size_t nargs)
{
    if (nargs == 1 && args[0]->kind == TPL_STRING) {
        buf_put(b, args[0]->str.s, args[0]->str.n);
        return;
    }
    tpl_val nv = {.kind = TPL_STRING, .str = {"<no value>", 10}};
    const tpl_val **a = util_xmalloc((nargs ? nargs : 1) * sizeof *a);
    for (size_t i = 0; i < nargs; i++)
        a[i] = args[i]->kind == TPL_NIL ? &nv : args[i];
    tpl_sprint(b, a, nargs);
    free(a);
}

TPL_FN(tpl_f_html)
{
    buf_t b = {0}, o = {0};
    eval_args(&b, args, nargs);
    for (size_t i = 0; i < b.len; i++) {
        switch (b.data[i]) {
        case 0:
            buf_puts(&o, "\xEF\xBF\xBD");
            break;
        case '"':
            buf_puts(&o, "&#34;");
            break;
        case '\'':
            buf_puts(&o, "&#39;");
            break;
        case '&':
            buf_puts(&o, "&amp;");
            break;
        case '<':
            buf_puts(&o, "&lt;");
            break;
        case '>':
            buf_puts(&o, "&gt;");
            break;
        default:
            buf_putc(&o, b.data[i]);
        }
    }
    *out = tpl_str_buf(tpl_arena(c), &o);
    buf_free(&b);
    buf_free(&o);
    return true;
}

TPL_FN(tpl_f_js)
{
    buf_t b = {0}, o = {0};
    eval_args(&b, args, nargs);
    for (size_t i = 0; i < b.len; i++) {
        unsigned char ch = (unsigned char)b.data[i];
        switch (ch) {
        case '\\':
            buf_puts(&o, "\\\\");
            break;
        case '\'':
            buf_puts(&o, "\\'");
            break;
        case '"':
            buf_puts(&o, "\\\"");
            break;
        case '<':
            buf_puts(&o, "\\u003C");
            break;
        case '>':
            buf_puts(&o, "\\u003E");
            break;
        case '&':
            buf_puts(&o, "\\u0026");
            break;
        case '=':
            buf_puts(&o, "\\u003D");
            break;
        default:
            if (ch < ' ') {
                buf_printf(&o, "\\u00%02X", ch);
            } else if (ch >= 0x80) {
                int w;
                uint32_t r = tpl_decode_rune(b.data + i, b.len - i, &w);
                if (r == 0xFFFFFFFF) r = 0xFFFD;
                if (tpl_rune_printable(r) && r != 0xFFFD)
                    buf_put(&o, b.data + i, (size_t)w);
                else
                    buf_printf(&o, "\\u%04X", r);
                i += (size_t)w - 1;
            } else {
                buf_putc(&o, (char)ch);
            }
        }
    }
    *out = tpl_str_buf(tpl_arena(c), &o);
    buf_free(&b);
    buf_free(&o);
    return true;
}

TPL_FN(tpl_f_urlquery)
{
    buf_t b = {0}, o = {0};
    eval_args(&b, args, nargs);
    for (size_t i = 0; i < b.len; i++) {
        unsigned char ch = (unsigned char)b.data[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_' || ch == '.' || ch == '~')
            buf_putc(&o, (char)ch);
        else if (ch == ' ')
            buf_putc(&o, '+');
        else
            buf_printf(&o, "%%%02X", ch);
    }
    *out = tpl_str_buf(tpl_arena(c), &o);
    buf_free(&b);
    buf_free(&o);
    return true;
}

static bool index_arg(tpl_ctx *c, const tpl_val *ix, size_t cap, size_t *out)
{
    int64_t x;
    if (!ix) return tpl_errorf(c, "cannot index slice/array with nil");
    if (tpl_is_int(ix))
        x = ix->i;
    else if (tpl_is_uint(ix))
        x = (int64_t)ix->u;
    else
        return tpl_errorf(c, "cannot index slice/array with type %s", tpl_type_name(ix));
    if (x < 0 || (uint64_t)x > cap) return tpl_errorf(c, "index out of range: %lld", (long long)x);
    *out = (size_t)x;
    return true;
}

TPL_FN(tpl_f_index)
{
    arena *a = tpl_arena(c);
    const tpl_val *item = indirect(args[0]);
    if (!item) return tpl_errorf(c, "index of untyped nil");
    for (size_t k = 1; k < nargs; k++) {
        const tpl_val *ix = indirect(args[k]);
        if (!item || item->kind == TPL_NIL) return tpl_errorf(c, "index of nil pointer");
        size_t x;
        switch (item->kind) {
        case TPL_LIST:
            if (!index_arg(c, ix, item->list.n, &x)) return false;
            if (x == item->list.n) return tpl_errorf(c, "index out of range: %zu", x);
            item = item->list.items[x];
            break;
        case TPL_STRING:
        case TPL_BYTES:
            if (!index_arg(c, ix, item->str.n, &x)) return false;
            if (x == item->str.n) return tpl_errorf(c, "index out of range: %zu", x);
            item = tpl_uintk(a, TPL_UINT8, (unsigned char)item->str.s[x]);
            break;
        case TPL_MAP: {
            if (!ix) {
                item = tpl_nil();
                break;
            }
            if (ix->kind != TPL_STRING)
                return tpl_errorf(c, "value has type %s; should be string", tpl_type_name(ix));
            const tpl_val *v = tpl_map_get(item->map, ix->str.s, ix->str.n);
            if (!v)
                v = item->map->tname && strcmp(item->map->tname, "map[string]string") == 0
                        ? tpl_empty_str()
                        : tpl_nil();
            item = v;
            break;
        }
        default:
            return tpl_errorf(c, "can't index item of type %s", tpl_type_name(item));
        }
    }
    *out = item;
    return true;
}

TPL_FN(tpl_f_slice)
{
    arena *a = tpl_arena(c);
    const tpl_val *item = indirect(args[0]);
    if (!item) return tpl_errorf(c, "slice of untyped nil");
    size_t ni = nargs - 1;
    if (ni > 3) return tpl_errorf(c, "too many slice indexes: %zu", ni);
    size_t len;
    switch (item->kind) {
    case TPL_STRING:
        if (ni == 3) return tpl_errorf(c, "cannot 3-index slice a string");
        len = item->str.n;
        break;
    case TPL_BYTES:
        len = item->str.n;
        break;
    case TPL_LIST:
        len = item->list.n;
        break;
    default:
        return tpl_errorf(c, "can't slice item of type %s", tpl_type_name(item));
    }
    size_t idx[3] = {0, len, len};
    for (size_t k = 0; k < ni; k++)
        if (!index_arg(c, indirect(args[k + 1]), len, &idx[k])) return false;
    if (idx[0] > idx[1]) return tpl_errorf(c, "invalid slice index: %zu > %zu", idx[0], idx[1]);
    if (ni == 3 && idx[1] > idx[2])
        return tpl_errorf(c, "invalid slice index: %zu > %zu", idx[1], idx[2]);
    if (item->kind == TPL_STRING)
        *out = tpl_str(a, item->str.s + idx[0], idx[1] - idx[0]);
    else if (item->kind == TPL_BYTES)
        *out = tpl_bytes(a, item->str.s + idx[0], idx[1] - idx[0]);
    else
        *out = tpl_list(a, item->list.items + idx[0], idx[1] - idx[0], item->list.tname);
    return true;
}

TPL_FN(tpl_f_len)
{
    (void)nargs;
    const tpl_val *v = args[0];
    if (v && v->kind == TPL_NIL) return tpl_errorf(c, "len of nil pointer");
    if (!v) return tpl_errorf(c, "len of type <nil>");
    size_t n;
    switch (v->kind) {
    case TPL_STRING:
    case TPL_BYTES:
        n = v->str.n;
        break;
    case TPL_LIST:
        n = v->list.n;
        break;
    case TPL_MAP:
        n = v->map->n;
        break;
    default:
        return tpl_errorf(c, "len of type %s", tpl_type_name(v));
    }
    *out = tpl_int(tpl_arena(c), (int64_t)n);
    return true;
}

TPL_FN(tpl_f_not)
{
    (void)c;
    (void)nargs;
    const tpl_val *v = indirect(args[0]);
    *out = tpl_bool(!(v && tpl_truth(v)));
    return true;
}

TPL_FN(tpl_f_print)
{
    buf_t b = {0};
    tpl_sprint(&b, args, nargs);
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_printf)
{
    buf_t b = {0};
    tpl_sprintf(&b, args[0]->str.s, args[0]->str.n, args + 1, nargs - 1);
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

TPL_FN(tpl_f_println)
{
    buf_t b = {0};
    tpl_sprintln(&b, args, nargs);
    *out = tpl_str_buf(tpl_arena(c), &b);
    buf_free(&b);
    return true;
}

/* ---- comparisons (Go's basicKind rules) ---- */

enum { K_INVALID, K_BOOL, K_INT, K_FLOAT, K_STRING, K_UINT, K_OTHER };

static int basic_kind(const tpl_val *v)
{
    if (!v) return K_INVALID;
    if (v->kind == TPL_BOOL) return K_BOOL;
    if (tpl_is_int(v)) return K_INT;
    if (tpl_is_uint(v)) return K_UINT;
    if (v->kind == TPL_FLOAT64) return K_FLOAT;
    if (v->kind == TPL_STRING) return K_STRING;
    return K_OTHER;
}

static const char *tname(const tpl_val *v)
{
    return v ? tpl_type_name(v) : "<nil>";
}

static bool str_eq(const tpl_val *a, const tpl_val *b)
{
    return a->str.n == b->str.n && memcmp(a->str.s, b->str.s, a->str.n) == 0;
}

/* eq: 1 true, 0 false, -1 error */
static int eq2(tpl_ctx *c, const tpl_val *a1, const tpl_val *a2)
{
    int k1 = basic_kind(a1), k2 = basic_kind(a2);
    if (k1 != k2) {
        if (k1 == K_INT && k2 == K_UINT) return a1->i >= 0 && (uint64_t)a1->i == a2->u;
        if (k1 == K_UINT && k2 == K_INT) return a2->i >= 0 && a1->u == (uint64_t)a2->i;
        if (a1 && a2) {
            tpl_errorf(c, "incompatible types for comparison: %s and %s", tname(a1), tname(a2));
            return -1;
        }
        return 0;
    }
    switch (k1) {
    case K_BOOL:
        return a1->b == a2->b;
    case K_FLOAT:
        return a1->f == a2->f;
    case K_INT:
        return a1->i == a2->i;
    case K_UINT:
        return a1->u == a2->u;
    case K_STRING:
        return str_eq(a1, a2);
    case K_INVALID:
        return 1;
    default:
        if (a1->kind == TPL_LIST || a1->kind == TPL_MAP || a1->kind == TPL_BYTES ||
            a2->kind == TPL_LIST || a2->kind == TPL_MAP || a2->kind == TPL_BYTES) {
            buf_t b = {0};
            tpl_print(&b, a2);
            tpl_errorf(c, "non-comparable type %s: %s", b.data ? b.data : "", tname(a2));
            buf_free(&b);
            return -1;
        }
        return tpl_deep_equal(a1, a2);
    }
}

TPL_FN(tpl_f_eq)
{
    const tpl_val *a1 = indirect(args[0]);
    if (nargs < 2) return tpl_errorf(c, "missing argument for comparison");
    for (size_t i = 1; i < nargs; i++) {
        int r = eq2(c, a1, indirect(args[i]));
        if (r < 0) return false;
        if (r) {
            *out = tpl_bool(true);
            return true;
        }
    }
    *out = tpl_bool(false);
    return true;
}

TPL_FN(tpl_f_ne)
{
    (void)nargs;
    int r = eq2(c, indirect(args[0]), indirect(args[1]));
    if (r < 0) return false;
    *out = tpl_bool(!r);
    return true;
}

static int lt2(tpl_ctx *c, const tpl_val *a1, const tpl_val *a2)
{
    int k1 = basic_kind(a1), k2 = basic_kind(a2);
    if (k1 == K_INVALID || k1 == K_OTHER || k2 == K_INVALID || k2 == K_OTHER) {
        tpl_errorf(c, "invalid type for comparison");
        return -1;
    }
    if (k1 != k2) {
        if (k1 == K_INT && k2 == K_UINT) return a1->i < 0 || (uint64_t)a1->i < a2->u;
        if (k1 == K_UINT && k2 == K_INT) return a2->i >= 0 && a1->u < (uint64_t)a2->i;
        tpl_errorf(c, "incompatible types for comparison: %s and %s", tname(a1), tname(a2));
        return -1;
    }
    switch (k1) {
    case K_BOOL:
        tpl_errorf(c, "invalid type for comparison");
        return -1;
    case K_FLOAT:
        return a1->f < a2->f;
    case K_INT:
        return a1->i < a2->i;
    case K_UINT:
        return a1->u < a2->u;
    default: {
        size_t n = a1->str.n < a2->str.n ? a1->str.n : a2->str.n;
        int r = memcmp(a1->str.s, a2->str.s, n);
        return r < 0 || (r == 0 && a1->str.n < a2->str.n);
    }
    }
}

TPL_FN(tpl_f_lt)
{
    (void)nargs;
    int r = lt2(c, indirect(args[0]), indirect(args[1]));
    if (r < 0) return false;
    *out = tpl_bool(r);
    return true;
}

TPL_FN(tpl_f_le)
{
    (void)nargs;
    const tpl_val *a = indirect(args[0]), *b = indirect(args[1]);
    int r = lt2(c, a, b);
    if (r < 0) return false;
    if (!r) r = eq2(c, a, b);
    if (r < 0) return false;
    *out = tpl_bool(r);
    return true;
}

TPL_FN(tpl_f_gt)
{
    (void)nargs;
    const tpl_val *a = indirect(args[0]), *b = indirect(args[1]);
    int r = lt2(c, a, b);
    if (r < 0) return false;
    if (!r) r = eq2(c, a, b);
    if (r < 0) return false;
    *out = tpl_bool(!r);
    return true;
}

TPL_FN(tpl_f_ge)
{
    (void)nargs;
    int r = lt2(c, indirect(args[0]), indirect(args[1]));
    if (r < 0) return false;
    *out = tpl_bool(!r);
    return true;
}
