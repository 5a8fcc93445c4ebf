/* ValidatingAdmissionPolicy evaluation offline: every object of the render is a CREATE request
 * matched against every policy (and its bindings), whose CEL (matchConditions, variables,
 * validations) decides the findings; kiln.dev/ignore annotations skip policies per object. */
#include <stdlib.h>
#include <string.h>

#include "validate/policy_int.h"

/* Kubernetes' per-expression CEL cost limit (celconfig.PerCallLimit). */
#define PL_COST_LIMIT 1000000

/* One object's evaluation state: its CEL values, built on first use. */
typedef struct pl_obj {
    pl_attrs at;
    cel_env *env; /* per-object environment (its arena is freed after the object) */
    const cel_val *object, *nsobj, *request;
} pl_obj;

static cel_val *pl_cstr(cel_env *e, const char *s)
{
    return cel_string(e, s, strlen(s));
}

/* A map of string keys to string values from a NULL-ended list of pairs. */
static const cel_val *pl_strmap(cel_env *e, const char *const *kv)
{
    size_t n = 0;
    while (kv[2 * n])
        n++;
    arena *a = cel_env_arena(e);
    cel_val **keys = ar_alloc(a, (n + 1) * sizeof *keys),
            **vals = ar_alloc(a, (n + 1) * sizeof *vals);
    for (size_t i = 0; i < n; i++) {
        keys[i] = pl_cstr(e, kv[2 * i]);
        vals[i] = pl_cstr(e, kv[2 * i + 1]);
    }
    return cel_map(e, keys, vals, n);
}

/* The `request` variable: kind, resource, name, namespace, operation CREATE, empty userInfo. */
static const cel_val *pl_request(cel_env *e, const pl_attrs *at)
{
    arena *a = cel_env_arena(e);
    const char *kind[] = {"group", at->group, "version", at->version, "kind", at->kind, NULL};
    const char *res[] = {"group",    at->group,    "version", at->version,
                         "resource", at->resource, NULL};
    const char *none[] = {NULL};
    const char *names[] = {"kind",   "resource",   "requestKind", "requestResource",
                           "name",   "namespace",  "operation",   "userInfo",
                           "dryRun", "subResource"};
    size_t n = sizeof names / sizeof *names;
    cel_val **keys = ar_alloc(a, n * sizeof *keys), **vals = ar_alloc(a, n * sizeof *vals);
    for (size_t i = 0; i < n; i++)
        keys[i] = pl_cstr(e, names[i]);
    vals[0] = (cel_val *)pl_strmap(e, kind);
    vals[1] = (cel_val *)pl_strmap(e, res);
    vals[2] = vals[0];
    vals[3] = vals[1];
    vals[4] = pl_cstr(e, at->name);
    vals[5] = pl_cstr(e, at->cluster ? "" : at->ns);
    vals[6] = pl_cstr(e, "CREATE");
    vals[7] = (cel_val *)pl_strmap(e, none);
    vals[8] = (cel_val *)cel_bool(false);
    vals[9] = pl_cstr(e, "");
    return cel_map(e, keys, vals, n);
}

/* Whether ann (comma-separated policy names) names policy. */
static bool pl_listed(const char *list, const char *policy)
{
    size_t pn = strlen(policy);
    for (const char *s = list; s && *s;) {
        while (*s == ' ' || *s == ',')
            s++;
        size_t len = strcspn(s, ",");
        size_t l = len;
        while (l && s[l - 1] == ' ')
            l--;
        if (l == pn && !strncmp(s, policy, pn)) return true;
        s += len;
    }
    return false;
}

/* Evaluates one program; errors come back as CEL_ERROR values with *err filled. */
static const cel_val *pl_eval(pl_obj *o, const pl_expr *x, const cel_act *act, cel_err *err)
{
    memset(err, 0, sizeof *err);
    return cel_eval(o->env, x->prog, act, err);
}

/* A finding for one decision of a policy on an object. */
static void pl_finding(arena *a, vd_report *r, const pl_policy *p, unsigned actions,
                       const ir_res *res, const char *path, const char *msg)
{
    if (!(actions & (PL_DENY | PL_WARN | PL_AUDIT))) return;
    vd_sev sev = actions & PL_DENY ? VD_ERROR : VD_WARNING;
    diag_pos pos = res->pos;
    if (path && *path) {
        const ir_node *n = vd_path_node(res->obj, path);
        if (n && n->pos.line) pos = n->pos;
    } else {
        path = "";
    }
    vd_report_add(a, r, sev, p->name, res, path, pos, "%s", msg);
}

/* The first string of the kilnPaths variable, or "". */
static const char *pl_first_path(const cel_val *v)
{
    if (!v || v->kind != CEL_LIST) return "";
    for (size_t i = 0; i < v->list.n; i++)
        if (v->list.items[i]->kind == CEL_STRING) return v->list.items[i]->str.s;
    return "";
}

/* The message of a failed validation: messageExpression (a non-empty one-line string), else
 * message, else "failed expression: EXPR". */
static const char *pl_message(pl_obj *o, const pl_valid *v, const cel_act *act)
{
    arena *a = cel_env_arena(o->env);
    if (v->msgexpr.prog) {
        cel_err err;
        const cel_val *m = pl_eval(o, &v->msgexpr, act, &err);
        if (m->kind == CEL_STRING) {
            const char *s = m->str.s;
            size_t n = m->str.n;
            while (n && (*s == ' ' || *s == '\t' || *s == '\n'))
                s++, n--;
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
                n--;
            if (n && n <= 5120 && !memchr(s, '\n', n)) return ar_strndup(a, s, n);
        }
    }
    if (v->message && *v->message) return v->message;
    return ar_printf(a, "failed expression: %s", v->expr.src);
}

/* Evaluates policy p for object o with one params value and the binding's actions. */
static void pl_evaluate(arena *a, pl_obj *o, pl_policy *p, unsigned actions, const cel_val *params,
                        vd_report *r)
{
    cel_env *e = o->env;
    const ir_res *res = o->at.res;
    if (!o->object) {
        o->object = cel_from_ir(e, res->obj);
        o->request = pl_request(e, &o->at);
    }
    cel_act *base = cel_act_new(e, NULL);
    cel_act_bind(base, "object", o->object);
    cel_act_bind(base, "oldObject", cel_null());
    cel_act_bind(base, "params", params ? params : cel_null());
    cel_act_bind(base, "request", o->request);
    cel_act_bind(base, "namespaceObject", cel_null());
    unsigned fail_actions = p->ignore ? 0 : actions;
    /* matchConditions: any false skips the object; else an error is the failure policy's */
    const char *cond_err = NULL;
    for (size_t i = 0; i < p->nconds; i++) {
        cel_err err;
        const cel_val *v = pl_eval(o, &p->conds[i], base, &err);
        if (v->kind == CEL_BOOL && !v->b) return;
        if (v->kind == CEL_ERROR && !cond_err)
            cond_err = ar_printf(cel_env_arena(e), "matchConditions[%zu]: %s", i,
                                 err.msg ? err.msg : v->err.msg);
        else if (v->kind != CEL_BOOL && !cond_err)
            cond_err = ar_printf(cel_env_arena(e), "matchConditions[%zu]: not a bool", i);
    }
    if (cond_err) {
        pl_finding(a, r, p, fail_actions, res, "", cond_err);
        return;
    }
    cel_act *act = cel_act_new(e, base);
    cel_act_bind(act, "namespaceObject", o->nsobj ? o->nsobj : cel_null());
    /* variables, in order: each sees the earlier ones; an error stays a value until used */
    arena *ea = cel_env_arena(e);
    const cel_val *kilnpaths = NULL;
    const cel_act *vact = act;
    cel_val **keys = NULL, **vals = NULL;
    for (size_t i = 0; i < p->nvars; i++) {
        cel_act *sub = cel_act_new(e, act);
        cel_val **k2 = ar_alloc(ea, (i + 1) * sizeof *k2),
                **v2 = ar_alloc(ea, (i + 1) * sizeof *v2);
        if (i) {
            memcpy(k2, keys, i * sizeof *k2);
            memcpy(v2, vals, i * sizeof *v2);
        }
        keys = k2, vals = v2;
        cel_act_bind(sub, "variables", cel_map(e, keys, vals, i));
        cel_err err;
        const cel_val *v = pl_eval(o, &p->vars[i].e, sub, &err);
        keys[i] = pl_cstr(e, p->vars[i].name);
        vals[i] = (cel_val *)v;
        if ((int)i == p->kilnpaths) kilnpaths = v;
    }
    if (p->nvars) {
        cel_act *sub = cel_act_new(e, act);
        cel_act_bind(sub, "variables", cel_map(e, keys, vals, p->nvars));
        vact = sub;
    } else {
        cel_act *sub = cel_act_new(e, act);
        cel_act_bind(sub, "variables", cel_map(e, NULL, NULL, 0));
        vact = sub;
    }
    for (size_t i = 0; i < p->nvals; i++) {
        const pl_valid *v = &p->vals[i];
        cel_err err;
        const cel_val *res_v = pl_eval(o, &v->expr, vact, &err);
        if (res_v->kind == CEL_BOOL && res_v->b) continue;
        const char *path = pl_first_path(kilnpaths);
        if (res_v->kind == CEL_ERROR) {
            pl_finding(a, r, p, fail_actions, res, path,
                       ar_printf(ea, "validations[%zu]: evaluation error: %s", i,
                                 err.msg ? err.msg : res_v->err.msg));
            continue;
        }
        pl_finding(a, r, p, actions, res, path, pl_message(o, v, vact));
    }
}

/* The objects of the render of paramKind, as the binding's paramRef selects them. */
static size_t pl_params(pl_ctx *c, const ir_resset *set, const pl_policy *p, const pl_binding *b,
                        const pl_attrs *at, const ir_node ***out, const char **cfgerr)
{
    const ir_node *ref = b->paramref;
    const char *name = pl_str(ref, "name"), *ns = pl_str(ref, "namespace");
    const ir_node *sel = pl_get(ref, "selector");
    bool cluster = pl_cluster_scoped(&c->crds, p->param_group, p->param_kind);
    if (!cluster && !ns) {
        if (at->cluster) {
            *cfgerr = "cannot use namespaced paramRef in policy binding that matches "
                      "cluster-scoped resources";
            return 0;
        }
        ns = at->ns;
    }
    if (cluster && ns) {
        *cfgerr = "paramRef.namespace must not be provided for a cluster-scoped `paramKind`";
        return 0;
    }
    if (!name && !sel) {
        *cfgerr = "one of name or selector must be provided";
        return 0;
    }
    const ir_node **items = NULL;
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        const ir_res *r = set->items[i];
        if (strcmp(r->id.kind, p->param_kind) || strcmp(r->id.group, p->param_group) ||
            strcmp(r->id.version, p->param_version))
            continue;
        const char *rns = *r->id.ns ? r->id.ns : "default";
        if (!cluster && strcmp(rns, ns)) continue;
        if (name && strcmp(r->id.name, name)) continue;
        bool err = false;
        if (!name && !pl_selector_matches(sel, pl_get(pl_get(r->obj, "metadata"), "labels"), &err))
            continue;
        items = ar_realloc(c->a, items, n * sizeof *items, (n + 1) * sizeof *items);
        items[n++] = r->obj;
    }
    const char *nf = pl_str(ref, "parameterNotFoundAction");
    if (!n && nf && !strcmp(nf, "Deny"))
        *cfgerr = "no params found for policy binding with `Deny` parameterNotFoundAction";
    *out = items;
    return n;
}

/* The params value of policies without a binding (stdlib, --policy): --params, plus
 * podSecurityLevel for the stdlib Pod Security policies. */
static const cel_val *pl_default_params(pl_ctx *c, const vd_policy_opts *o, bool stdlib)
{
    cel_env *e = c->cenv;
    const cel_val *base = o->params ? cel_from_ir(e, o->params) : NULL;
    if (!stdlib) return base;
    size_t n = base && base->kind == CEL_MAP ? base->map.n : 0;
    cel_val **keys = ar_alloc(c->a, (n + 1) * sizeof *keys);
    cel_val **vals = ar_alloc(c->a, (n + 1) * sizeof *vals);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const cel_val *key = base->map.keys[i];
        if (key->kind == CEL_STRING && !strcmp(key->str.s, "podSecurityLevel")) continue;
        keys[k] = base->map.keys[i];
        vals[k++] = base->map.vals[i];
    }
    keys[k] = pl_cstr(e, "podSecurityLevel");
    vals[k++] = pl_cstr(e, c->level);
    return cel_map(e, keys, vals, k);
}

static int pl_ns_cmp(const void *pa, const void *pb)
{
    const ir_res *a = *(const ir_res *const *)pa, *b = *(const ir_res *const *)pb;
    return strcmp(a->id.name, b->id.name);
}

/* The Namespace objects of the render, sorted by name (the set's own index is not used: the
 * render reorders the set for apply order). */
static void pl_namespaces_init(pl_ctx *c, const ir_resset *set)
{
    c->nss = ar_alloc(c->a, (set->n + 1) * sizeof *c->nss);
    c->nns = 0;
    for (size_t i = 0; i < set->n; i++) {
        const ir_res *r = set->items[i];
        if (!strcmp(r->id.kind, "Namespace") && !*r->id.group) c->nss[c->nns++] = r;
    }
    if (c->nns) qsort(c->nss, c->nns, sizeof *c->nss, pl_ns_cmp);
}

static const ir_res *pl_namespace(const pl_ctx *c, const char *name)
{
    size_t lo = 0, hi = c->nns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->nss[mid]->id.name, name);
        if (!cmp) return c->nss[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Fills the admission attributes of r. */
static void pl_attrs_of(arena *a, const pl_ctx *c, const ir_resset *set, const ir_res *r,
                        pl_attrs *at)
{
    memset(at, 0, sizeof *at);
    at->res = r;
    at->group = r->id.group;
    at->version = r->id.version;
    at->kind = r->id.kind;
    at->name = r->id.name;
    at->resource = pl_resource_of(a, r->id.kind);
    at->cluster = pl_cluster_scoped(&c->crds, r->id.group, r->id.kind);
    at->ns = at->cluster ? "" : (*r->id.ns ? r->id.ns : "default");
    at->labels = pl_get(pl_get(r->obj, "metadata"), "labels");
    if (!at->cluster) {
        const ir_res *nsr = pl_namespace(c, at->ns);
        if (nsr) {
            at->ns_found = true;
            at->nslabels = pl_get(pl_get(nsr->obj, "metadata"), "labels");
        }
    }
}

/* Admission configuration objects are never subject to policies (as in the API server). */
static bool pl_exempt(const ir_res *r)
{
    return !strcmp(r->id.group, "admissionregistration.k8s.io") &&
           (strstr(r->id.kind, "WebhookConfiguration") || strstr(r->id.kind, "AdmissionPolicy"));
}

bool vd_policy_check(arena *a, diag_ctx *d, const ir_resset *set, const vd_policy_opts *o,
                     vd_report *r)
{
    arena car;
    ar_init(&car);
    pl_ctx c = {0};
    c.a = a;
    c.d = d;
    c.cenv = cel_env_new(&car, PL_COST_LIMIT);
    pl_crds_init(a, set, &c.crds);
    pl_namespaces_init(&c, set);
    bool ok = pl_gather(&c, set, o);
    if (!ok) {
        ar_free(&car);
        return false;
    }
    const cel_val *stdparams = pl_default_params(&c, o, true);
    const cel_val *userparams = pl_default_params(&c, o, false);
    for (size_t i = 0; i < set->n && c.npolicies; i++) {
        const ir_res *res = set->items[i];
        if (pl_exempt(res)) continue;
        arena oar;
        ar_init(&oar);
        pl_obj ob = {0};
        pl_attrs_of(&oar, &c, set, res, &ob.at);
        const ir_node *ann = pl_get(pl_get(res->obj, "metadata"), "annotations");
        const char *ignore = pl_str(ann, "kiln.dev/ignore");
        const char *reason = pl_str(ann, "kiln.dev/ignore-reason");
        for (size_t k = 0; k < c.npolicies; k++) {
            pl_policy *p = &c.policies[k];
            if ((!p->has_binding && p->origin == PL_RENDER) || p->replaced) continue;
            if (!pl_matches(&p->match, &ob.at)) continue;
            if (ignore && pl_listed(ignore, p->name)) {
                vd_report_skip(a, r, res, p->name, reason);
                continue;
            }
            if (p->uses_authorizer) {
                if (!p->authz_reported) {
                    p->authz_reported = true;
                    vd_report_add(a, r, VD_ERROR, p->name, NULL, "", p->obj->pos,
                                  "policy uses `authorizer`, which kiln cannot evaluate offline; "
                                  "policy not evaluated");
                }
                continue;
            }
            if (!ob.env) {
                ob.env = cel_env_new(&oar, PL_COST_LIMIT);
                if (!ob.at.cluster && ob.at.ns_found)
                    ob.nsobj = cel_from_ir(ob.env, pl_namespace(&c, ob.at.ns)->obj);
            }
            if (!p->has_binding) {
                pl_evaluate(a, &ob, p, p->implicit_actions,
                            p->origin == PL_STDLIB ? stdparams : userparams, r);
                continue;
            }
            for (size_t j = 0; j < c.nbindings; j++) {
                const pl_binding *b = &c.bindings[j];
                if (strcmp(b->policy, p->name)) continue;
                if (b->match.present && !pl_matches(&b->match, &ob.at)) continue;
                unsigned fail = p->ignore ? 0 : PL_DENY;
                if (!p->param_kind || !b->paramref) {
                    /* the stdlib's own parameters stay (its Pod Security level) */
                    pl_evaluate(a, &ob, p, b->actions, p->origin == PL_STDLIB ? stdparams : NULL,
                                r);
                    continue;
                }
                const ir_node **items = NULL;
                const char *cfgerr = NULL;
                size_t n = pl_params(&c, set, p, b, &ob.at, &items, &cfgerr);
                if (cfgerr) {
                    pl_finding(
                        a, r, p, fail, res, "",
                        ar_printf(&oar, "failed to configure binding %s: %s", b->name, cfgerr));
                    continue;
                }
                for (size_t m = 0; m < n; m++)
                    pl_evaluate(a, &ob, p, b->actions, cel_from_ir(ob.env, items[m]), r);
            }
        }
        ar_free(&oar);
    }
    ar_free(&car);
    return true;
}
