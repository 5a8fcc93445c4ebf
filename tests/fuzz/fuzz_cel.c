/* libFuzzer target: the CEL parser and evaluator must never crash, leak or hang on any
 * expression text; evaluation runs cost-limited with a few variables bound, and results are
 * printed both ways. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "validate/cel/cel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, 20000);
    cel_env_set_container(e, "a.b");
    cel_err err;
    cel_prog *p = cel_parse(e, (const char *)data, size, &err);
    if (p) {
        cel_act *act = cel_act_new(e, NULL);
        cel_val **k = ar_alloc(&a, 2 * sizeof *k), **v = ar_alloc(&a, 2 * sizeof *v);
        k[0] = cel_string(e, "name", 4);
        v[0] = cel_string(e, "web", 3);
        k[1] = cel_string(e, "ports", 5);
        cel_val **items = ar_alloc(&a, 2 * sizeof *items);
        items[0] = cel_int(e, 80);
        items[1] = cel_uint(e, 443);
        v[1] = cel_list(e, items, 2);
        cel_act_bind(act, "object", cel_map(e, k, v, 2));
        cel_act_bind(act, "x", cel_int(e, 7));
        cel_act_bind(act, "a.b.y", cel_double(e, 1.5));
        const cel_val *r = cel_eval(e, p, act, &err);
        buf_t b = {0};
        cel_print(&b, r);
        cel_to_json(&b, r);
        buf_free(&b);
    }
    ar_free(&a);
    return 0;
}
