/* Parallel builds of the root kustomization's resource directories: each directory builds in a
 * context of its own (arena, diagnostics, source cache) on one of k->jobs threads; the results
 * are then adopted in list order, so output and messages are exactly those of a sequential build.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "kustomize/kz_int.h"

typedef struct pool {
    kz_ctx *k;
    kz_prebuilt *jobs;
    size_t n;
    atomic_size_t next;
} pool;

static kz_ctx *job_ctx(kz_ctx *k, src_tree *src, const kz_prebuilt *job)
{
    kz_ctx *c = util_xmalloc(sizeof *c);
    *c = *k;
    c->a = util_xmalloc(sizeof *c->a);
    ar_init(c->a);
    c->d = util_xmalloc(sizeof *c->d);
    diag_init(c->d);
    c->src = src;
    c->jobs = 1;
    c->root_kz = NULL; /* the caller's root kustomization is the root's only */
    c->origin_path = job->origin_path;
    c->warnings = util_xmalloc(sizeof *c->warnings);
    memset(c->warnings, 0, sizeof *c->warnings);
    /* the cycle-detection stack so far, then the job's own */
    c->stack = ar_alloc(c->a, (k->depth + 1) * sizeof *c->stack);
    if (k->depth) memcpy(c->stack, k->stack, k->depth * sizeof *c->stack);
    c->capstack = k->depth + 1;
    return c;
}

static void run_jobs(pool *p, src_tree *src)
{
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) return;
        kz_prebuilt *job = &p->jobs[i];
        if (!job->dir) continue;
        job->ctx = job_ctx(p->k, src, job);
        ir_resset_init(&job->set);
        job->ok = kz_run_dir(job->ctx, job->dir, &job->set, &job->tc, job->where);
    }
}

typedef struct worker {
    pool *p;
    src_tree src;
    bool opened;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    run_jobs(w->p, &w->src);
    return NULL;
}

bool kz_prebuild(kz_ctx *k, kz_prebuilt *jobs, size_t n)
{
    pool p = {.k = k, .jobs = jobs, .n = n};
    atomic_init(&p.next, 0);
    int nthreads = k->jobs > 8 ? 8 : k->jobs;
    worker w[8];
    pthread_t tid[8];
    int started = 0;
    for (int i = 1; i < nthreads; i++) {
        const char *err;
        w[i].p = &p;
        w[i].opened = src_open_fs(&w[i].src, k->src->root, &err);
        if (!w[i].opened) break;
        if (pthread_create(&tid[i], NULL, worker_main, &w[i]) != 0) {
            src_close(&w[i].src);
            break;
        }
        started = i;
    }
    run_jobs(&p, k->src); /* the calling thread works too */
    for (int i = 1; i <= started; i++) {
        pthread_join(tid[i], NULL);
        src_close(&w[i].src);
    }
    /* a job that set the openapi schema would have changed its siblings' builds */
    for (size_t i = 0; i < n; i++)
        if (jobs[i].ctx && jobs[i].ctx->schema_set && !k->schema_set) return false;
    return true;
}

static void shift_files(ir_node *n, uint32_t offset)
{
    if (n->pos.file) n->pos.file += offset;
    if (n->kind == IR_MAP)
        for (size_t i = 0; i < n->map.n; i++) {
            shift_files(n->map.items[i].key, offset);
            shift_files(n->map.items[i].val, offset);
        }
    else if (n->kind == IR_SEQ)
        for (size_t i = 0; i < n->seq.n; i++)
            shift_files(n->seq.items[i], offset);
}

void kz_prebuilt_adopt(kz_ctx *k, kz_prebuilt *job)
{
    kz_ctx *c = job->ctx;
    if (!c) return;
    ar_adopt(k->a, c->a);
    uint32_t offset = diag_adopt(k->d, c->d);
    for (size_t i = 0; i < job->set.n; i++) {
        ir_res *r = job->set.items[i];
        if (r->pos.file) r->pos.file += offset;
        shift_files(r->obj, offset);
    }
    for (size_t i = 0; i < job->tc.nvars; i++)
        shift_files((ir_node *)job->tc.vars[i].def, offset);
    if (c->warnings->len) {
        if (k->warnings)
            buf_put(k->warnings, c->warnings->data, c->warnings->len);
        else
            fwrite(c->warnings->data, 1, c->warnings->len, stderr);
    }
    buf_free(c->warnings);
}

void kz_prebuilt_free(kz_prebuilt *jobs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        kz_ctx *c = jobs[i].ctx;
        if (!c) continue;
        ar_free(c->a); /* empty when adopted */
        diag_free(c->d);
        buf_free(c->warnings);
        free(c->warnings);
        free(c->a);
        free(c->d);
        free(c);
        ir_resset_free(&jobs[i].set);
        jobs[i].ctx = NULL;
    }
}
