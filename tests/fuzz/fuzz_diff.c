/* libFuzzer target: the diff stage must never crash, leak or hang, whatever two manifest streams
 * it compares. The input is split at its first NUL byte (none: compared with itself). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "diag/diag.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "yaml/yaml.h"

static void load_set(arena *a, diag_ctx *d, const char *text, size_t n, ir_resset *s)
{
    ir_resset_init(s);
    uint32_t f = diag_file_add(d, "fuzz.yaml", text, n);
    ky_opts o = {.flavor = KY_V3, .max_alias_nodes = 100000};
    ky_docs docs;
    if (!ky_load(a, d, f, text, n, &o, &docs)) return;
    for (size_t i = 0; i < docs.n; i++) {
        ir_res *r;
        if (docs.docs[i]->kind == IR_MAP && ir_res_make(a, d, docs.docs[i], docs.pos[i], &r))
            ir_resset_add(s, r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    ar_init(&a);
    diag_ctx d;
    diag_init(&d);
    const char *text = (const char *)data, *nul = memchr(text, '\0', size);
    size_t n1 = nul ? (size_t)(nul - text) : size;
    const char *t2 = nul ? nul + 1 : text;
    size_t n2 = nul ? size - n1 - 1 : size;
    ir_resset want, live;
    load_set(&a, &d, text, n1, &want);
    load_set(&a, &d, t2, n2, &live);
    for (int mode = 0; mode < 2; mode++) {
        df_opts o = {.rev_mode = mode == 1};
        df_result res;
        df_diff(&a, &want, &live, &o, &res);
        for (size_t i = 0; i < res.n; i++)
            if (res.objs[i].live_view) {
                buf_t b = {0};
                em_yaml_doc(&b, res.objs[i].live_view);
                buf_free(&b);
            }
    }
    ir_resset_free(&want);
    ir_resset_free(&live);
    diag_free(&d);
    ar_free(&a);
    return 0;
}
