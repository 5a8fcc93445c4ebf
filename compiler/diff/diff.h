/* The diff stage: matches a desired resource set against a live (or other) set by (group, kind,
 * namespace, name) and compares matched objects field by field with apply semantics. */
#ifndef KILN_DIFF_H
#define KILN_DIFF_H

#include "ir/ir.h"

typedef enum { DF_CREATE, DF_UPDATE, DF_PRUNE, DF_UNCHANGED } df_action;
typedef enum { DF_OP_REPLACE, DF_OP_ADD, DF_OP_REMOVE } df_op;

typedef struct df_change {
    const char *path; /* spec.template.spec.containers[name=web].image */
    df_op op;
    const ir_node *old, *new; /* NULL for add / remove respectively */
    bool secret;              /* a Secret value: never print it */
} df_change;

typedef struct df_obj {
    const ir_res *want, *live; /* want NULL for prune, live NULL for create */
    const char *id;            /* GROUP/VERSION/KIND/NAMESPACE/NAME */
    df_action action;
    df_change *ch;
    const ir_node *live_view; /* update: live limited to the fields compared (for a line diff) */
    size_t nch, cap;
} df_obj;

typedef struct df_result {
    df_obj *objs; /* desired order, then prunes in live order; unchanged ones included */
    size_t n;
    size_t count[4]; /* by df_action */
} df_result;

typedef struct df_opts {
    const char *default_ns;    /* for namespaced objects without one; NULL = "default" */
    const char *owner_label;   /* "k=v": prune candidates carry it; NULL = Flux's labels */
    const char *field_manager; /* managedFields owner whose fields count as set; NULL =
                                  "kustomize-controller" */
    bool rev_mode;             /* both sides are renders: every object only in `live` is a prune */
} df_opts;

/* Compares `want` (the render) with `live`. Allocates from a; never fails. */
void df_diff(arena *a, const ir_resset *want, const ir_resset *live, const df_opts *o,
             df_result *out);

#endif
