/* The policy engine's private header: compiled policies and bindings, the run's context, and
 * the matching helpers (resource rules, label selectors) shared by the engine's files. */
#ifndef KILN_POLICY_INT_H
#define KILN_POLICY_INT_H

#include "validate/cel/cel.h"
#include "validate/validate.h"

enum { PL_RENDER, PL_USER, PL_STDLIB };          /* where a policy came from */
enum { PL_DENY = 1, PL_WARN = 2, PL_AUDIT = 4 }; /* validationActions */

/* One CEL expression of a policy: its YAML scalar, text and compiled program. */
typedef struct pl_expr {
    const ir_node *node;
    const char *src;
    size_t n;
    cel_prog *prog;
    bool present;
} pl_expr;

typedef struct pl_var {
    const char *name;
    pl_expr e;
} pl_var;

typedef struct pl_valid {
    pl_expr expr, msgexpr;
    const char *message; /* or NULL */
} pl_valid;

/* matchConstraints / matchResources. */
typedef struct pl_match {
    bool present;
    const ir_node *rules, *exclude, *nssel, *objsel;
} pl_match;

typedef struct pl_policy {
    const char *name;
    const ir_node *obj;
    const ir_res *res; /* in the render, or NULL */
    int origin;
    bool ignore;               /* failurePolicy: Ignore */
    unsigned implicit_actions; /* without a binding: kiln.dev/validation-actions or Deny */
    pl_match match;
    const char *param_group, *param_version, *param_kind; /* paramKind, or NULL kind */
    pl_expr *conds;
    size_t nconds;
    pl_var *vars;
    size_t nvars;
    pl_valid *vals;
    size_t nvals;
    int kilnpaths; /* index of the kilnPaths variable, or -1 */
    bool uses_authorizer, authz_reported, has_binding;
    bool replaced; /* a stdlib policy overridden by a user or render policy of its name */
} pl_policy;

typedef struct pl_binding {
    const char *name, *policy;
    const ir_node *obj;
    const ir_res *res;
    unsigned actions;
    pl_match match;
    const ir_node *paramref;
} pl_binding;

typedef struct pl_crds {
    const ir_res **items;
    size_t n;
} pl_crds;

typedef struct pl_ctx {
    arena *a;
    diag_ctx *d;
    cel_env *cenv; /* compile-time environment (programs, shared values) */
    pl_policy *policies;
    size_t npolicies, cappolicies;
    pl_binding *bindings;
    size_t nbindings, capbindings;
    const char *level; /* the Pod Security level the stdlib sets default to */
    pl_crds crds;
    const ir_res **nss; /* Namespace objects by name */
    size_t nns;
} pl_ctx;

/* The admission attributes of one object, as the API server would see its CREATE. */
typedef struct pl_attrs {
    const ir_res *res;
    const char *group, *version, *kind, *resource, *name;
    const char *ns; /* effective namespace ("default" for a namespaced object without one); "" */
    bool cluster;   /* cluster-scoped kind */
    const ir_node *labels;   /* metadata.labels or NULL */
    const ir_node *nslabels; /* labels of its Namespace in the render */
    bool ns_found;           /* that Namespace is in the render */
} pl_attrs;

/* policy_load.c */
const ir_node *pl_get(const ir_node *n, const char *key);
const char *pl_str(const ir_node *n, const char *key);
bool pl_is_policy_kind(const char *group, const char *kind, bool binding);
diag_pos pl_expr_pos(const diag_ctx *d, const pl_expr *e, uint32_t line, uint32_t col);
bool pl_gather(pl_ctx *c, const ir_resset *set, const vd_policy_opts *o);

/* policy_match.c */
/* The plural resource name of a kind ("Ingress" -> "ingresses", "Endpoints" -> "endpoints"). */
const char *pl_resource_of(arena *a, const char *kind);
/* The CustomResourceDefinitions of the render, collected once. */
void pl_crds_init(arena *a, const ir_resset *set, pl_crds *out);
/* Whether a kind is cluster-scoped (built-in kinds, or CRDs of the render with scope Cluster). */
bool pl_cluster_scoped(const pl_crds *crds, const char *group, const char *kind);
/* A metav1.LabelSelector against a label map; absent or empty selectors match everything.
 * *err is set for a malformed selector (unknown operator). */
bool pl_selector_matches(const ir_node *sel, const ir_node *labels, bool *err);
bool pl_selector_empty(const ir_node *sel);
/* matchConstraints semantics (namespaceSelector, objectSelector, exclude and resource rules). */
bool pl_matches(const pl_match *m, const pl_attrs *at);

#endif
