/* Merges the findings reports of several renders (kiln check --affected) into one: files
 * gathered, objects a shared source renders twice counted once, repeated findings dropped. */
#include <stdio.h>
#include <string.h>

#include "validate/validate.h"

struct vd_merge_seen {
    const char *key;
    const void *val;
};

void vd_merge_init(vd_merge *m, arena *a)
{
    memset(m, 0, sizeof *m);
    m->a = a;
    diag_init(&m->files);
}

void vd_merge_free(vd_merge *m)
{
    diag_free(&m->files);
}

/* The value stored under key, after storing val there if key is new. */
static const void *mg_intern(vd_merge *m, const char *key, const void *val)
{
    if (2 * (m->nseen + 1) > m->capseen) {
        size_t cap = m->capseen ? 2 * m->capseen : 64;
        vd_merge_seen *t = ar_alloc(m->a, cap * sizeof *t);
        for (size_t i = 0; i < m->capseen; i++) {
            if (!m->seen[i].key) continue;
            size_t h = util_hash(m->seen[i].key, strlen(m->seen[i].key)) & (cap - 1);
            while (t[h].key)
                h = (h + 1) & (cap - 1);
            t[h] = m->seen[i];
        }
        m->seen = t;
        m->capseen = cap;
    }
    size_t h = util_hash(key, strlen(key)) & (m->capseen - 1);
    for (; m->seen[h].key; h = (h + 1) & (m->capseen - 1))
        if (!strcmp(m->seen[h].key, key)) return m->seen[h].val;
    m->seen[h] = (vd_merge_seen){key, val};
    m->nseen++;
    return val;
}

/* The object standing for res in the merge: the first of its identity and source document. */
static const ir_res *mg_object(vd_merge *m, const diag_ctx *d, const ir_res *res)
{
    if (!res) return NULL;
    const ir_id *id = &res->id;
    const char *key =
        ar_printf(m->a, "o\x1f%s/%s/%s/%s/%s\x1f%s:%u:%u", id->group, id->version, id->kind, id->ns,
                  id->name, diag_file_path(d, res->pos.file), res->pos.line, res->pos.col);
    return mg_intern(m, key, res);
}

void vd_merge_add(vd_merge *m, const diag_ctx *d, const ir_resset *set, const vd_report *r)
{
    arena *a = m->a;
    uint32_t off = (uint32_t)m->files.nfiles - 1; /* file 0, "none", is not copied */
    for (size_t i = 1; i < d->nfiles; i++)
        diag_file_add(&m->files, d->files[i].path, d->files[i].text, d->files[i].len);
    for (size_t i = 0; i < set->n; i++) {
        const ir_res *res = set->items[i];
        if (mg_object(m, d, res) != res) continue;
        if (m->nobjs == m->capobjs) {
            size_t cap = m->capobjs ? 2 * m->capobjs : 64;
            m->objs = ar_realloc(a, m->objs, m->capobjs * sizeof *m->objs, cap * sizeof *m->objs);
            m->capobjs = cap;
        }
        m->objs[m->nobjs++] = res;
    }
    m->rep.objects = m->nobjs;
    vd_report *to = &m->rep;
    for (size_t i = 0; i < r->n; i++) {
        vd_result f = r->items[i];
        f.res = mg_object(m, d, f.res);
        const char *key =
            ar_printf(a, "f\x1f%d\x1f%s\x1f%p\x1f%s\x1f%s:%u:%u\x1f%s", (int)f.sev, f.rule,
                      (const void *)f.res, f.path, diag_file_path(d, f.pos.file), f.pos.line,
                      f.pos.col, f.message);
        if (mg_intern(m, key, key) != key) continue;
        if (f.pos.file) f.pos.file = f.pos.file < d->nfiles ? f.pos.file + off : 0;
        if (to->n == to->cap) {
            size_t cap = to->cap ? 2 * to->cap : 16;
            to->items =
                ar_realloc(a, to->items, to->cap * sizeof *to->items, cap * sizeof *to->items);
            to->cap = cap;
        }
        to->items[to->n++] = f;
    }
    for (size_t i = 0; i < r->nskips; i++) {
        const vd_skip *s = &r->skips[i];
        const ir_res *res = mg_object(m, d, s->res);
        const char *key =
            ar_printf(a, "s\x1f%s\x1f%p\x1f%s", s->rule, (const void *)res, s->reason);
        if (mg_intern(m, key, key) == key) vd_report_skip(a, to, res, s->rule, s->reason);
    }
}

void vd_merge_finish(vd_merge *m)
{
    ir_resset all = {.items = (ir_res **)m->objs, .n = m->nobjs};
    vd_report_sort(&m->rep, &all);
}
