/* Sprig's list functions (list, append, first, rest, uniq, without, has, slice, chunk, concat...)
 * and their must* variants, with Sprig v3's result types and error texts. */
#include <math.h>
#include <string.h>

#include "template/sprig_int.h"

#define A tpl_arena(c)

static const tpl_val **items_new(tpl_ctx *c, size_t n)
{
    return ar_alloc(A, (n ? n : 1) * sizeof(tpl_val *));
}

static const tpl_val *list_of(tpl_ctx *c, const tpl_val **items, size_t n)
{
    return tpl_list(A, items, n, NULL);
}

/* Checks v is a slice; otherwise the error "<what> type <kind>" (nil: Go's nil-pointer panic). */
static bool need_seq(tpl_ctx *c, const tpl_val *v, const char *what)
{
    if (v->kind == TPL_NIL) return sprig_nil_panic(c);
    if (sprig_is_seq(v)) return true;
    return tpl_errorf(c, "%s %s", what, tpl_kind_name(v));
}

TPL_FN(tpl_f_list)
{
    const tpl_val **items = items_new(c, nargs);
    for (size_t i = 0; i < nargs; i++)
        items[i] = args[i];
    *out = list_of(c, items, nargs);
    return true;
}

TPL_FN(tpl_f_push)
{
    (void)nargs;
    if (!need_seq(c, args[0], "Cannot push on type")) return false;
    size_t n = sprig_seq_len(args[0]);
    const tpl_val **items = items_new(c, n + 1);
    for (size_t i = 0; i < n; i++)
        items[i] = sprig_seq_at(A, args[0], i);
    items[n] = args[1];
    *out = list_of(c, items, n + 1);
    return true;
}

TPL_FN(tpl_f_prepend)
{
    (void)nargs;
    if (!need_seq(c, args[0], "Cannot prepend on type")) return false;
    size_t n = sprig_seq_len(args[0]);
    const tpl_val **items = items_new(c, n + 1);
    items[0] = args[1];
    for (size_t i = 0; i < n; i++)
        items[i + 1] = sprig_seq_at(A, args[0], i);
    *out = list_of(c, items, n + 1);
    return true;
}

TPL_FN(tpl_f_chunk)
{
    (void)nargs;
    int64_t size = args[0]->i;
    const tpl_val *l = args[1];
    if (!need_seq(c, l, "Cannot chunk type")) return false;
    int64_t n = (int64_t)sprig_seq_len(l);
    double csf = floor((double)(n - 1) / (double)size) + 1;
    if (!(csf >= 0) || csf > (double)n + 1)
        return tpl_errorf(c, "runtime error: makeslice: len out of range");
    size_t cs = (size_t)csf;
    const tpl_val **chunks = items_new(c, cs);
    for (size_t i = 0; i < cs; i++) {
        int64_t clen = size;
        if (i == cs - 1) {
            clen = (int64_t)floor(fmod((double)n, (double)size));
            if (clen == 0) clen = size;
        }
        if (clen < 0) return tpl_errorf(c, "runtime error: makeslice: len out of range");
        const tpl_val **items = items_new(c, (size_t)clen);
        for (int64_t j = 0; j < clen; j++) {
            int64_t ix = (int64_t)i * size + j;
            if (ix < 0 || ix >= n) return tpl_errorf(c, "reflect: slice index out of range");
            items[j] = sprig_seq_at(A, l, (size_t)ix);
        }
        chunks[i] = list_of(c, items, (size_t)clen);
    }
    *out = tpl_list(A, chunks, cs, "[][]interface {}");
    return true;
}

static bool first_last(tpl_ctx *c, const tpl_val *l, bool last, const tpl_val **out)
{
    if (!need_seq(c, l, last ? "Cannot find last on type" : "Cannot find first on type"))
        return false;
    size_t n = sprig_seq_len(l);
    *out = n == 0 ? tpl_nil() : sprig_seq_at(A, l, last ? n - 1 : 0);
    return true;
}

TPL_FN(tpl_f_first)
{
    (void)nargs;
    return first_last(c, args[0], false, out);
}

TPL_FN(tpl_f_last)
{
    (void)nargs;
    return first_last(c, args[0], true, out);
}

/* rest / initial: an empty list gives a nil []interface{} (prints as []). */
static bool rest_initial(tpl_ctx *c, const tpl_val *l, bool rest, const tpl_val **out)
{
    if (!need_seq(c, l, rest ? "Cannot find rest on type" : "Cannot find initial on type"))
        return false;
    size_t n = sprig_seq_len(l);
    if (n == 0) {
        *out = list_of(c, items_new(c, 0), 0);
        return true;
    }
    const tpl_val **items = items_new(c, n - 1);
    for (size_t i = 0; i + 1 < n; i++)
        items[i] = sprig_seq_at(A, l, rest ? i + 1 : i);
    *out = list_of(c, items, n - 1);
    return true;
}

TPL_FN(tpl_f_rest)
{
    (void)nargs;
    return rest_initial(c, args[0], true, out);
}

TPL_FN(tpl_f_initial)
{
    (void)nargs;
    return rest_initial(c, args[0], false, out);
}

TPL_FN(tpl_f_reverse)
{
    (void)nargs;
    if (!need_seq(c, args[0], "Cannot find reverse on type")) return false;
    size_t n = sprig_seq_len(args[0]);
    const tpl_val **items = items_new(c, n);
    for (size_t i = 0; i < n; i++)
        items[n - 1 - i] = sprig_seq_at(A, args[0], i);
    *out = list_of(c, items, n);
    return true;
}

TPL_FN(tpl_f_compact)
{
    (void)nargs;
    if (!need_seq(c, args[0], "Cannot compact on type")) return false;
    size_t n = sprig_seq_len(args[0]), k = 0;
    const tpl_val **items = items_new(c, n);
    for (size_t i = 0; i < n; i++) {
        const tpl_val *e = sprig_seq_at(A, args[0], i);
        if (!sprig_empty(e)) items[k++] = e;
    }
    *out = list_of(c, items, k);
    return true;
}

static bool in_list(const tpl_val *const *hay, size_t n, const tpl_val *needle)
{
    for (size_t i = 0; i < n; i++)
        if (tpl_deep_equal(needle, hay[i])) return true;
    return false;
}

TPL_FN(tpl_f_uniq)
{
    (void)nargs;
    if (!need_seq(c, args[0], "Cannot find uniq on type")) return false;
    size_t n = sprig_seq_len(args[0]), k = 0;
    const tpl_val **items = items_new(c, n);
    for (size_t i = 0; i < n; i++) {
        const tpl_val *e = sprig_seq_at(A, args[0], i);
        if (!in_list(items, k, e)) items[k++] = e;
    }
    *out = list_of(c, items, k);
    return true;
}

TPL_FN(tpl_f_without)
{
    if (!need_seq(c, args[0], "Cannot find without on type")) return false;
    size_t n = sprig_seq_len(args[0]), k = 0;
    const tpl_val **items = items_new(c, n);
    for (size_t i = 0; i < n; i++) {
        const tpl_val *e = sprig_seq_at(A, args[0], i);
        if (!in_list(args + 1, nargs - 1, e)) items[k++] = e;
    }
    *out = list_of(c, items, k);
    return true;
}

TPL_FN(tpl_f_has)
{
    (void)nargs;
    const tpl_val *hay = args[1];
    if (hay->kind == TPL_NIL) {
        *out = tpl_bool(false);
        return true;
    }
    if (!sprig_is_seq(hay)) return tpl_errorf(c, "Cannot find has on type %s", tpl_kind_name(hay));
    size_t n = sprig_seq_len(hay);
    for (size_t i = 0; i < n; i++)
        if (tpl_deep_equal(args[0], sprig_seq_at(A, hay, i))) {
            *out = tpl_bool(true);
            return true;
        }
    *out = tpl_bool(false);
    return true;
}

/* Sprig's slice (it replaces text/template's builtin of the same name in Helm): the same slice
 * type back, nil for an empty list, reflect's panic on bad bounds. */
TPL_FN(tpl_f_sprig_slice)
{
    const tpl_val *l = args[0];
    if (l->kind == TPL_NIL) return sprig_nil_panic(c);
    if (!sprig_is_seq(l))
        return tpl_errorf(c, "list should be type of slice or array but %s", tpl_kind_name(l));
    int64_t n = (int64_t)sprig_seq_len(l);
    if (n == 0) {
        *out = tpl_nil();
        return true;
    }
    int64_t start = 0, end = n;
    if (nargs > 1) start = sprig_to_int64(args[1]);
    if (nargs > 2) end = sprig_to_int64(args[2]);
    if (start < 0 || end < start || end > n)
        return tpl_errorf(c, "reflect.Value.Slice: slice index out of bounds");
    if (l->kind == TPL_BYTES) {
        *out = tpl_bytes(A, l->str.s + start, (size_t)(end - start));
        return true;
    }
    *out = tpl_list(A, l->list.items + start, (size_t)(end - start), l->list.tname);
    return true;
}

/* concat: nil when no list has items (a nil []interface{} prints as []). */
TPL_FN(tpl_f_concat)
{
    size_t total = 0;
    for (size_t i = 0; i < nargs; i++) {
        if (args[i]->kind == TPL_NIL) return sprig_nil_panic(c);
        if (!sprig_is_seq(args[i]))
            return tpl_errorf(c, "Cannot concat type %s as list", tpl_kind_name(args[i]));
        total += sprig_seq_len(args[i]);
    }
    const tpl_val **items = items_new(c, total);
    size_t k = 0;
    for (size_t i = 0; i < nargs; i++)
        for (size_t j = 0; j < sprig_seq_len(args[i]); j++)
            items[k++] = sprig_seq_at(A, args[i], j);
    *out = list_of(c, items, k);
    return true;
}

/* until / untilStep: []int. */
static const tpl_val *until_step(tpl_ctx *c, int64_t start, int64_t stop, int64_t step, bool *ok)
{
    *ok = true;
    uint64_t count = 0;
    if (stop < start && step < 0) {
        uint64_t diff = (uint64_t)start - (uint64_t)stop, st = 0 - (uint64_t)step;
        count = diff / st + (diff % st != 0);
    } else if (stop > start && step > 0) {
        uint64_t diff = (uint64_t)stop - (uint64_t)start, st = (uint64_t)step;
        count = diff / st + (diff % st != 0);
    }
    size_t lim = tpl_options(c)->max_output ? tpl_options(c)->max_output : (size_t)256 << 20;
    if (count > lim / 8) {
        *ok = false;
        return NULL;
    }
    const tpl_val **items = items_new(c, (size_t)count);
    int64_t v = start;
    for (uint64_t i = 0; i < count; i++, v += step)
        items[i] = tpl_int(A, v);
    return tpl_list(A, items, (size_t)count, "[]int");
}

TPL_FN(tpl_f_until)
{
    (void)nargs;
    int64_t n = args[0]->i;
    bool ok;
    *out = until_step(c, 0, n, n < 0 ? -1 : 1, &ok);
    return ok || tpl_errorf(c, "until: list too long");
}

TPL_FN(tpl_f_untilStep)
{
    (void)nargs;
    bool ok;
    *out = until_step(c, args[0]->i, args[1]->i, args[2]->i, &ok);
    return ok || tpl_errorf(c, "untilStep: list too long");
}

/* seq: GNU seq's output as one space-separated string. */
TPL_FN(tpl_f_seq)
{
    int64_t start, end, step;
    bool ok;
    const tpl_val *l = NULL;
    switch (nargs) {
    case 1:
        start = 1;
        end = args[0]->i;
        step = end < start ? -1 : 1;
        l = until_step(c, start, end + step, step, &ok);
        break;
    case 2:
        start = args[0]->i;
        end = args[1]->i;
        step = end < start ? -1 : 1;
        l = until_step(c, start, end + step, step, &ok);
        break;
    case 3: {
        start = args[0]->i;
        end = args[2]->i;
        step = args[1]->i;
        int64_t inc = 1;
        if (end < start) {
            inc = -1;
            if (step > 0) {
                *out = tpl_empty_str();
                return true;
            }
        }
        l = until_step(c, start, end + inc, step, &ok);
        break;
    }
    default:
        *out = tpl_empty_str();
        return true;
    }
    if (!ok) return tpl_errorf(c, "seq: list too long");
    buf_t b = {0};
    for (size_t i = 0; i < l->list.n; i++) {
        if (i) buf_putc(&b, ' ');
        buf_printf(&b, "%lld", (long long)l->list.items[i]->i);
    }
    *out = tpl_str_buf(A, &b);
    buf_free(&b);
    return true;
}
