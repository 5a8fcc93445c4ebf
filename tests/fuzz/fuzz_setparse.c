/* libFuzzer target: Helm's --set parser (every kind) and the JSON decoder must never crash,
 * leak or hang on any input. The first byte picks the kind; the rest is the argument. */
#include <stddef.h>
#include <stdint.h>

#include "template/chart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    chart_set_kind kind = (chart_set_kind)(data[0] % 5);
    if (kind == CHART_SET_FILE) kind = CHART_SET_TYPED; /* no file system access */
    arena a;
    ar_init(&a);
    tpl_val *m = tpl_map_new(&a, NULL);
    const char *err = NULL;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    /* two passes into the same map: merging into existing values is where types collide */
    chart_set_parse(&a, s, n, kind, m->map, &err);
    chart_set_parse(&a, s, n, kind, m->map, &err);
    const tpl_val *v;
    size_t used;
    chart_json_decode(&a, s, n, &v, &used, &err);
    ar_free(&a);
    return 0;
}
