/* The findings report of the validate stage: adding, skipping, sorting and counting findings,
 * and resolving kiln field paths to the nodes (and so the source positions) they name. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "validate/validate.h"

void vd_report_add(arena *a, vd_report *r, vd_sev sev, const char *rule, const ir_res *res,
                   const char *path, diag_pos pos, const char *fmt, ...)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        r->items = ar_realloc(a, r->items, r->cap * sizeof *r->items, cap * sizeof *r->items);
        r->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = ar_alloc(a, (size_t)(n > 0 ? n : 0) + 1);
    vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
    va_end(ap);
    r->items[r->n++] =
        (vd_result){sev, ar_strdup(a, rule), res, ar_strdup(a, path ? path : ""), pos, msg};
}

void vd_report_skip(arena *a, vd_report *r, const ir_res *res, const char *rule, const char *reason)
{
    if (r->nskips == r->capskips) {
        size_t cap = r->capskips ? r->capskips * 2 : 8;
        r->skips = ar_realloc(a, r->skips, r->capskips * sizeof *r->skips, cap * sizeof *r->skips);
        r->capskips = cap;
    }
    r->skips[r->nskips++] = (vd_skip){res, ar_strdup(a, rule), ar_strdup(a, reason ? reason : "")};
}

size_t vd_report_count(const vd_report *r, vd_sev sev)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++)
        n += r->items[i].sev == sev;
    return n;
}

/* Sort key: the object's index in the set (run-level findings first). */
typedef struct {
    const vd_result *res;
    size_t obj, seq;
} vd_sortkey;

static int vd_sortkey_cmp(const void *pa, const void *pb)
{
    const vd_sortkey *a = pa, *b = pb;
    if (a->obj != b->obj) return a->obj < b->obj ? -1 : 1;
    int c = strcmp(a->res->path, b->res->path);
    if (!c) c = strcmp(a->res->rule, b->res->rule);
    if (!c) c = (a->seq > b->seq) - (a->seq < b->seq);
    return c;
}

static int vd_ptr_cmp(const void *pa, const void *pb)
{
    const ir_res *a = *(const ir_res *const *)pa, *b = *(const ir_res *const *)pb;
    return (a > b) - (a < b);
}

void vd_report_sort(vd_report *r, const ir_resset *set)
{
    if (r->n < 2) return;
    /* the set's objects sorted by address, each followed by its index, to find an index fast */
    const ir_res **byaddr = util_xmalloc((set->n + 1) * sizeof *byaddr);
    for (size_t i = 0; i < set->n; i++)
        byaddr[i] = set->items[i];
    qsort(byaddr, set->n, sizeof *byaddr, vd_ptr_cmp);
    size_t *index = util_xmalloc((set->n + 1) * sizeof *index);
    for (size_t i = 0; i < set->n; i++) {
        const ir_res *key = set->items[i];
        const ir_res **hit = bsearch(&key, byaddr, set->n, sizeof *byaddr, vd_ptr_cmp);
        index[hit - byaddr] = i;
    }
    vd_sortkey *k = util_xmalloc(r->n * sizeof *k);
    for (size_t i = 0; i < r->n; i++) {
        size_t obj = 0;
        if (r->items[i].res) {
            const ir_res *key = r->items[i].res;
            const ir_res **hit = bsearch(&key, byaddr, set->n, sizeof *byaddr, vd_ptr_cmp);
            obj = hit ? index[hit - byaddr] + 1 : SIZE_MAX;
        }
        k[i] = (vd_sortkey){&r->items[i], obj, i};
    }
    qsort(k, r->n, sizeof *k, vd_sortkey_cmp);
    vd_result *out = util_xmalloc(r->n * sizeof *out);
    for (size_t i = 0; i < r->n; i++)
        out[i] = *k[i].res;
    memcpy(r->items, out, r->n * sizeof *out);
    free(out);
    free(k);
    free(index);
    free(byaddr);
}

/* One step of a path: a key (up to '.' or '['), or a bracket: [N], [key=value] or [key]. */
static const ir_node *vd_path_step(const ir_node *n, const char **pp)
{
    const char *p = *pp;
    if (*p == '[') {
        const char *end = strchr(p, ']');
        if (!end) return NULL;
        const char *in = p + 1;
        size_t len = (size_t)(end - in);
        *pp = end + 1;
        if (n->kind == IR_SEQ) {
            const char *eq = memchr(in, '=', len);
            if (!eq) {
                char *e;
                unsigned long i = strtoul(in, &e, 10);
                return e == end && i < n->seq.n ? n->seq.items[i] : NULL;
            }
            for (size_t i = 0; i < n->seq.n; i++) {
                const ir_node *it = n->seq.items[i];
                if (it->kind != IR_MAP) continue;
                ir_pair *kv = ir_map_find(it, in, (size_t)(eq - in));
                if (kv && kv->val->kind == IR_SCALAR && kv->val->sc.n == (size_t)(end - eq - 1) &&
                    !memcmp(kv->val->sc.s, eq + 1, kv->val->sc.n))
                    return it;
            }
            return NULL;
        }
        if (n->kind == IR_MAP) {
            ir_pair *kv = ir_map_find(n, in, len);
            return kv ? kv->val : NULL;
        }
        return NULL;
    }
    size_t len = strcspn(p, ".[");
    *pp = p + len;
    if (n->kind != IR_MAP) return NULL;
    ir_pair *kv = ir_map_find(n, p, len);
    return kv ? kv->val : NULL;
}

const ir_node *vd_path_node(const ir_node *obj, const char *path)
{
    const ir_node *n = obj;
    const char *p = path ? path : "";
    while (n && *p) {
        if (*p == '.') p++;
        const ir_node *next = vd_path_step(n, &p);
        if (!next) break;
        n = next;
    }
    return n;
}
