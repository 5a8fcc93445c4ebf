/* libFuzzer target: the loader and the writer must never crash, leak or hang on any input. */
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "emit/emit.h"
#include "yaml/yaml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    ar_init(&a);
    diag_ctx d;
    diag_init(&d);
    uint32_t f = diag_file_add(&d, "fuzz.yaml", (const char *)data, size);
    ky_opts o = {.flavor = KY_V3, .max_alias_nodes = 100000};
    ky_docs docs;
    if (ky_load(&a, &d, f, (const char *)data, size, &o, &docs)) {
        buf_t b = {0};
        em_yaml_stream(&b, docs.docs, docs.n);
        em_json_stream(&b, docs.docs, docs.n, 2);
        buf_free(&b);
    }
    diag_free(&d);
    ar_free(&a);
    return 0;
}
