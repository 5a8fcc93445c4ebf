/* Matching admission requests offline, as the API server's matcher does: resource rules with
 * the plural resource of a kind, scopes, label selectors on the object and its namespace. */
#include <ctype.h>
#include <string.h>

#include "validate/policy_int.h"

/* Kinds whose resource name is not the lowercase plural rule's. */
static const struct {
    const char *kind, *resource;
} pl_irregular[] = {
    {"Endpoints", "endpoints"},
    {"PodMetrics", "pods"},
    {"NodeMetrics", "nodes"},
};

const char *pl_resource_of(arena *a, const char *kind)
{
    for (size_t i = 0; i < sizeof pl_irregular / sizeof *pl_irregular; i++)
        if (!strcmp(kind, pl_irregular[i].kind)) return pl_irregular[i].resource;
    size_t n = strlen(kind);
    char *s = ar_alloc(a, n + 3);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)tolower((unsigned char)kind[i]);
    if (n && (s[n - 1] == 's' || s[n - 1] == 'x' || s[n - 1] == 'z' ||
              (n > 1 && s[n - 1] == 'h' && (s[n - 2] == 'c' || s[n - 2] == 's'))))
        memcpy(s + n, "es", 3);
    else if (n > 1 && s[n - 1] == 'y' && !strchr("aeiou", s[n - 2]))
        memcpy(s + n - 1, "ies", 4);
    else
        memcpy(s + n, "s", 2);
    return s;
}

/* Built-in cluster-scoped kinds (group-independent names). */
static const char *const pl_cluster_kinds[] = {
    "APIService",
    "CSIDriver",
    "CSINode",
    "CertificateSigningRequest",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PodSecurityPolicy",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
};

bool pl_cluster_scoped(const pl_crds *crds, const char *group, const char *kind)
{
    for (size_t i = 0; i < sizeof pl_cluster_kinds / sizeof *pl_cluster_kinds; i++)
        if (!strcmp(kind, pl_cluster_kinds[i])) return true;
    if (!*group || !strchr(group, '.') || !crds) return false;
    for (size_t i = 0; i < crds->n; i++) {
        const ir_node *spec = pl_get(crds->items[i]->obj, "spec");
        const char *g = pl_str(spec, "group"), *k = pl_str(pl_get(spec, "names"), "kind");
        const char *scope = pl_str(spec, "scope");
        if (g && k && scope && !strcmp(g, group) && !strcmp(k, kind))
            return !strcmp(scope, "Cluster");
    }
    return false;
}

void pl_crds_init(arena *a, const ir_resset *set, pl_crds *out)
{
    out->n = 0;
    out->items = ar_alloc(a, (set->n + 1) * sizeof *out->items);
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->items[i]->id.kind, "CustomResourceDefinition"))
            out->items[out->n++] = set->items[i];
}

/* The string value of label key, or NULL. */
static const char *pl_label(const ir_node *labels, const char *key, size_t keylen)
{
    if (!labels || labels->kind != IR_MAP) return NULL;
    ir_pair *kv = ir_map_find(labels, key, keylen);
    if (!kv || kv->val->kind != IR_SCALAR) return NULL;
    return kv->val->sc.s;
}

static bool pl_in_seq(const ir_node *seq, const char *s)
{
    if (!seq || seq->kind != IR_SEQ) return false;
    for (size_t i = 0; i < seq->seq.n; i++) {
        const ir_node *it = seq->seq.items[i];
        if (it->kind == IR_SCALAR && !strcmp(it->sc.s, s)) return true;
    }
    return false;
}

bool pl_selector_empty(const ir_node *sel)
{
    if (!sel || sel->kind != IR_MAP) return true;
    const ir_node *ml = pl_get(sel, "matchLabels"), *me = pl_get(sel, "matchExpressions");
    return !(ml && ml->kind == IR_MAP && ml->map.n) && !(me && me->kind == IR_SEQ && me->seq.n);
}

bool pl_selector_matches(const ir_node *sel, const ir_node *labels, bool *err)
{
    if (pl_selector_empty(sel)) return true;
    const ir_node *ml = pl_get(sel, "matchLabels"), *me = pl_get(sel, "matchExpressions");
    if (ml && ml->kind == IR_MAP)
        for (size_t i = 0; i < ml->map.n; i++) {
            const ir_pair *kv = &ml->map.items[i];
            const char *v = pl_label(labels, kv->key->sc.s, kv->key->sc.n);
            if (!v || kv->val->kind != IR_SCALAR || strcmp(v, kv->val->sc.s) != 0) return false;
        }
    if (me && me->kind == IR_SEQ)
        for (size_t i = 0; i < me->seq.n; i++) {
            const ir_node *e = me->seq.items[i];
            const char *key = pl_str(e, "key"), *op = pl_str(e, "operator");
            if (!key || !op) {
                *err = true;
                return false;
            }
            const char *v = pl_label(labels, key, strlen(key));
            const ir_node *vals = pl_get(e, "values");
            bool ok;
            if (!strcmp(op, "In"))
                ok = v && pl_in_seq(vals, v);
            else if (!strcmp(op, "NotIn"))
                ok = !v || !pl_in_seq(vals, v);
            else if (!strcmp(op, "Exists"))
                ok = v != NULL;
            else if (!strcmp(op, "DoesNotExist"))
                ok = v == NULL;
            else {
                *err = true;
                return false;
            }
            if (!ok) return false;
        }
    return true;
}

static bool pl_exact_or_wild(const ir_node *seq, const char *s)
{
    return pl_in_seq(seq, "*") || pl_in_seq(seq, s);
}

/* One NamedRuleWithOperations against a CREATE of the object. */
static bool pl_rule_matches(const ir_node *rule, const pl_attrs *at)
{
    const char *scope = pl_str(rule, "scope");
    bool is_ns = !strcmp(at->kind, "Namespace") && !*at->group;
    if (scope && !strcmp(scope, "Namespaced") && (is_ns || at->cluster)) return false;
    if (scope && !strcmp(scope, "Cluster") && !(is_ns || at->cluster)) return false;
    if (!pl_exact_or_wild(pl_get(rule, "operations"), "CREATE")) return false;
    if (!pl_exact_or_wild(pl_get(rule, "apiGroups"), at->group)) return false;
    if (!pl_exact_or_wild(pl_get(rule, "apiVersions"), at->version)) return false;
    const ir_node *res = pl_get(rule, "resources");
    bool hit = false;
    for (size_t i = 0; res && res->kind == IR_SEQ && i < res->seq.n && !hit; i++) {
        const char *r = ir_str_of(res->seq.items[i]);
        if (!r) continue;
        const char *slash = strchr(r, '/');
        size_t rn = slash ? (size_t)(slash - r) : strlen(r);
        const char *sub = slash ? slash + 1 : "";
        bool resmatch = (rn == 1 && r[0] == '*') ||
                        (rn == strlen(at->resource) && !strncmp(r, at->resource, rn));
        hit = resmatch && (!strcmp(sub, "*") || !*sub);
    }
    if (!hit) return false;
    const ir_node *names = pl_get(rule, "resourceNames");
    if (names && names->kind == IR_SEQ && names->seq.n) return pl_in_seq(names, at->name);
    return true;
}

static bool pl_rules_match(const ir_node *rules, const pl_attrs *at)
{
    if (!rules || rules->kind != IR_SEQ) return false;
    for (size_t i = 0; i < rules->seq.n; i++)
        if (pl_rule_matches(rules->seq.items[i], at)) return true;
    return false;
}

bool pl_matches(const pl_match *m, const pl_attrs *at)
{
    bool err = false;
    /* namespaceSelector: cluster-scoped objects other than Namespaces always match; a namespace
     * absent from the render has unknown labels, so only an empty selector matches it */
    bool is_ns = !strcmp(at->kind, "Namespace") && !*at->group;
    if (!(at->cluster && !is_ns) && !pl_selector_empty(m->nssel)) {
        if (is_ns) {
            if (!pl_selector_matches(m->nssel, at->labels, &err)) return false;
        } else if (!at->ns_found || !pl_selector_matches(m->nssel, at->nslabels, &err)) {
            return false;
        }
    }
    if (!pl_selector_matches(m->objsel, at->labels, &err)) return false;
    if (m->exclude && pl_rules_match(m->exclude, at)) return false;
    if (!m->rules || (m->rules->kind == IR_SEQ && m->rules->seq.n == 0)) return !err;
    return pl_rules_match(m->rules, at) && !err;
}
