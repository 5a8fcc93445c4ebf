/* libFuzzer target for the Go template parser and executor: the input is a template file,
 * parsed and (when it parses) executed with a small fixed dot under tight limits. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template/tpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena a;
    ar_init(&a);
    tpl_opts o = {
        .max_output = 1 << 16, .max_include_depth = 20, .max_tpl_depth = 5, .max_steps = 200000};
    tpl_set *s = tpl_set_new(&a, &o);
    char *text = ar_strndup(&a, (const char *)data, size);
    tpl_val *dot = tpl_map_new(&a, NULL);
    tpl_map_setz(&a, dot->map, "a", tpl_cstr(&a, "x"));
    tpl_map_setz(&a, dot->map, "n", tpl_float(&a, 3));
    tpl_val *t = tpl_map_new(&a, NULL);
    tpl_map_setz(&a, t->map, "Name", tpl_cstr(&a, "f"));
    tpl_map_setz(&a, dot->map, "Template", t);
    if (tpl_parse(s, "f", text, size, 0)) {
        buf_t b = {0};
        tpl_exec(s, "f", dot, &b);
        buf_free(&b);
    }
    ar_free(&a);
    return 0;
}
