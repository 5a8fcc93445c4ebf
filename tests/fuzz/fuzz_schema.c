/* libFuzzer target: schema compilation and validation must never crash, leak or hang, whatever
 * the schema and the objects. The input is split at its first NUL byte: a schema document (or
 * an OpenAPI document, CRD or List) before it, objects after it (none: the schema document is
 * also validated as an object against itself). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "validate/schema_int.h"
#include "yaml/yaml.h"

static bool load(arena *a, diag_ctx *d, const char *text, size_t n, ky_docs *docs)
{
    uint32_t f = diag_file_add(d, "fuzz.yaml", text, n);
    ky_opts o = {.flavor = KY_V3, .max_alias_nodes = 10000, .max_depth = 200};
    return ky_load(a, d, f, text, n, &o, docs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, 0, size);
    size_t n1 = nul ? (size_t)(nul - text) : size;
    arena a;
    ar_init(&a);
    diag_ctx d;
    diag_init(&d);
    ky_docs sdocs = {0}, odocs = {0};
    if (load(&a, &d, text, n1, &sdocs) && (!nul || load(&a, &d, nul + 1, size - n1 - 1, &odocs))) {
        if (!nul) odocs = sdocs;
        sc_build *bd = sc_build_new(NULL, NULL);
        for (size_t i = 0; i < sdocs.n; i++) {
            sc_build_add_doc(bd, &d, sdocs.docs[i], "thing-example-v1.json", i & 1);
            sc_build_add_root(bd, sdocs.docs[i], "t.example", "v1", "T", false);
        }
        sc_blob b;
        sc_build_finish(bd, 0, 0, &b);
        vd_report r = {0};
        for (int strict = 0; strict < 2; strict++) {
            sc_vrun *v = sc_vrun_new(&a, &r, strict);
            for (size_t i = 0; i < odocs.n; i++) {
                ir_res res = {0};
                res.obj = odocs.docs[i];
                res.id = (ir_id){"t.example", "v1", "T", "", "x"};
                const char *api = ir_get_str(res.obj, "apiVersion");
                const char *kind = ir_get_str(res.obj, "kind");
                uint32_t root = 0;
                if (api && kind) {
                    const char *sl = strchr(api, '/');
                    char *g = sl ? ar_strndup(&a, api, (size_t)(sl - api)) : "";
                    root = sc_blob_find(&b, g, sl ? sl + 1 : api, kind);
                }
                if (!root) root = sc_blob_find(&b, "t.example", "v1", "T");
                if (root) sc_vrun_object(v, &b, root, &res);
            }
            sc_vrun_free(v);
        }
        sc_blob_free(&b);
    }
    diag_free(&d);
    ar_free(&a);
    return 0;
}
