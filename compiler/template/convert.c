/* Conversions between template values and the IR, YAML and JSON text, following what Helm's
 * converters (sigs.k8s.io/yaml, encoding/json) do. */
#include <string.h>

#include "emit/emit.h"
#include "template/tpl.h"

const tpl_val *tpl_from_ir(arena *a, const ir_node *n, unsigned flags)
{
    if (!n) return tpl_nil();
    switch (n->kind) {
    case IR_MAP: {
        tpl_val *m = tpl_map_new(a, NULL);
        for (size_t i = 0; i < n->map.n; i++) {
            const ir_node *k = n->map.items[i].key;
            const char *ks = k->kind == IR_SCALAR ? k->sc.s : "";
            size_t kn = k->kind == IR_SCALAR ? k->sc.n : 0;
            tpl_map_set(a, m->map, ks, kn, tpl_from_ir(a, n->map.items[i].val, flags));
        }
        return m;
    }
    case IR_SEQ: {
        const tpl_val **items = ar_alloc(a, (n->seq.n ? n->seq.n : 1) * sizeof *items);
        for (size_t i = 0; i < n->seq.n; i++)
            items[i] = tpl_from_ir(a, n->seq.items[i], flags);
        return tpl_list(a, items, n->seq.n, NULL);
    }
    default:
        break;
    }
    switch (n->tag) {
    case IR_TAG_NULL:
        return tpl_nil();
    case IR_TAG_BOOL:
        return tpl_bool(n->sc.v.b);
    case IR_TAG_INT:
        if (n->flags & IR_INT_UNSIGNED) {
            if (flags & (TPL_IR_FLOAT | TPL_IR_INT64)) return tpl_float(a, (double)n->sc.v.u);
            return tpl_uintk(a, TPL_UINT64, n->sc.v.u);
        }
        if (flags & TPL_IR_FLOAT) return tpl_float(a, (double)n->sc.v.i);
        return tpl_intk(a, (flags & TPL_IR_INT64) ? TPL_INT64 : TPL_INT, n->sc.v.i);
    case IR_TAG_FLOAT:
        return tpl_float(a, n->sc.v.f);
    default:
        return tpl_str(a, n->sc.s, n->sc.n);
    }
}

bool tpl_to_ir(arena *a, const tpl_val *v, diag_pos pos, ir_node **out, const char **err)
{
    (void)a;
    (void)v;
    (void)pos;
    *out = NULL;
    *err = "tpl_to_ir: not implemented yet";
    return false;
}

bool tpl_to_yaml(arena *a, const tpl_val *v, buf_t *out, const char **err)
{
    ir_node *n;
    if (!tpl_to_ir(a, v, diag_nopos, &n, err)) return false;
    return em_yaml_doc(out, n);
}

bool tpl_to_json(arena *a, const tpl_val *v, int indent, buf_t *out, const char **err)
{
    ir_node *n;
    if (!tpl_to_ir(a, v, diag_nopos, &n, err)) return false;
    em_json_doc(out, n, indent);
    return true;
}

bool tpl_from_yaml(arena *a, const char *text, size_t n, const tpl_val **out, const char **err)
{
    (void)a;
    (void)text;
    (void)n;
    *out = tpl_nil();
    *err = "tpl_from_yaml: not implemented yet";
    return false;
}
