/* Policy engine tests: kind to resource names, label selectors, resource rules, scopes, the
 * namespaceSelector rules for namespaces in and out of the render, and where a CEL error inside
 * a YAML scalar (plain, quoted, folded, literal) was written. */
#include "unit.h"
#include "validate/policy_int.h"

static void test_resource_names(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(pl_resource_of(&a, "Pod"), "pods");
    assert_string_equal(pl_resource_of(&a, "Ingress"), "ingresses");
    assert_string_equal(pl_resource_of(&a, "NetworkPolicy"), "networkpolicies");
    assert_string_equal(pl_resource_of(&a, "Endpoints"), "endpoints");
    assert_string_equal(pl_resource_of(&a, "Gateway"), "gateways");
    assert_string_equal(pl_resource_of(&a, "StorageClass"), "storageclasses");
    assert_string_equal(pl_resource_of(&a, "Mesh"), "meshes");
    ar_free(&a);
}

static void test_selectors(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "labels: {app: web, tier: front}\n"
                  "s1: {matchLabels: {app: web}}\n"
                  "s2: {matchLabels: {app: db}}\n"
                  "s3: {matchExpressions: [{key: tier, operator: In, values: [front, back]}]}\n"
                  "s4: {matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}\n"
                  "s5: {matchExpressions: [{key: env, operator: DoesNotExist}]}\n"
                  "s6: {matchExpressions: [{key: env, operator: Exists}]}\n"
                  "s7: {}\n"
                  "s8: {matchExpressions: [{key: env, operator: Near}]}\n"
                  "s9: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}\n");
    assert_true(u.ok);
    const ir_node *doc = u.docs.docs[0], *labels = ir_map_get(doc, "labels");
    bool err = false;
    assert_true(pl_selector_matches(ir_map_get(doc, "s1"), labels, &err));
    assert_false(pl_selector_matches(ir_map_get(doc, "s2"), labels, &err));
    assert_true(pl_selector_matches(ir_map_get(doc, "s3"), labels, &err));
    assert_false(pl_selector_matches(ir_map_get(doc, "s4"), labels, &err));
    assert_true(pl_selector_matches(ir_map_get(doc, "s5"), labels, &err));
    assert_false(pl_selector_matches(ir_map_get(doc, "s6"), labels, &err));
    assert_true(pl_selector_matches(ir_map_get(doc, "s7"), labels, &err));
    assert_true(pl_selector_empty(ir_map_get(doc, "s7")));
    assert_true(pl_selector_empty(NULL));
    assert_false(err);
    /* NotIn matches an absent key; an unknown operator is an error */
    assert_true(pl_selector_matches(ir_map_get(doc, "s9"), NULL, &err));
    assert_false(pl_selector_matches(ir_map_get(doc, "s8"), labels, &err));
    assert_true(err);
    unit_free(&u);
}

static pl_attrs attrs(const char *group, const char *version, const char *kind,
                      const char *resource, const char *ns, bool cluster)
{
    pl_attrs at = {0};
    at.group = group;
    at.version = version;
    at.kind = kind;
    at.resource = resource;
    at.name = "x";
    at.ns = ns;
    at.cluster = cluster;
    return at;
}

static void test_rules(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u,
              "m1:\n"
              "  resourceRules:\n"
              "  - {apiGroups: [apps], apiVersions: ['*'], resources: [deployments],"
              " operations: [CREATE, UPDATE]}\n"
              "m2:\n"
              "  resourceRules:\n"
              "  - {apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: [UPDATE]}\n"
              "m3:\n"
              "  resourceRules:\n"
              "  - {apiGroups: ['*'], apiVersions: ['*'], resources: ['*/*'], operations: ['*'],"
              " scope: Namespaced}\n"
              "  excludeResourceRules:\n"
              "  - {apiGroups: [''], apiVersions: [v1], resources: [secrets], operations: ['*']}\n"
              "m4:\n"
              "  namespaceSelector: {matchLabels: {team: a}}\n"
              "  resourceRules:\n"
              "  - {apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ['*']}\n"
              "m5:\n"
              "  resourceRules:\n"
              "  - {apiGroups: [apps], apiVersions: [v1], resources: [deployments],"
              " resourceNames: [web], operations: ['*']}\n"
              "nslabels: {team: a}\n");
    assert_true(u.ok);
    const ir_node *doc = u.docs.docs[0];
    pl_match m[5];
    const char *keys[] = {"m1", "m2", "m3", "m4", "m5"};
    for (int i = 0; i < 5; i++) {
        const ir_node *n = ir_map_get(doc, keys[i]);
        m[i] =
            (pl_match){true, ir_map_get(n, "resourceRules"), ir_map_get(n, "excludeResourceRules"),
                       ir_map_get(n, "namespaceSelector"), ir_map_get(n, "objectSelector")};
    }
    pl_attrs dep = attrs("apps", "v1", "Deployment", "deployments", "default", false);
    pl_attrs pod = attrs("", "v1", "Pod", "pods", "default", false);
    pl_attrs sec = attrs("", "v1", "Secret", "secrets", "default", false);
    pl_attrs crole =
        attrs("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", "", true);
    assert_true(pl_matches(&m[0], &dep));
    assert_false(pl_matches(&m[0], &pod));
    /* operations: the render is a CREATE */
    assert_false(pl_matches(&m[1], &pod));
    /* scope and exclusions */
    assert_true(pl_matches(&m[2], &pod));
    assert_false(pl_matches(&m[2], &sec));
    assert_false(pl_matches(&m[2], &crole));
    /* namespaceSelector: a namespace absent from the render matches only an empty selector;
     * cluster-scoped objects always pass it */
    assert_false(pl_matches(&m[3], &pod));
    pod.ns_found = true;
    pod.nslabels = ir_map_get(doc, "nslabels");
    assert_true(pl_matches(&m[3], &pod));
    pod.nslabels = NULL;
    assert_false(pl_matches(&m[3], &pod));
    assert_true(pl_matches(&m[3], &crole));
    /* resourceNames */
    assert_false(pl_matches(&m[4], &dep));
    dep.name = "web";
    assert_true(pl_matches(&m[4], &dep));
    unit_free(&u);
}

static void test_cluster_scope(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                  "metadata: {name: widgets.example.com}\n"
                  "spec: {group: example.com, scope: Cluster, names: {kind: Widget}}\n");
    assert_true(u.ok);
    ir_resset set;
    ir_resset_init(&set);
    ir_res *r = NULL;
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[0], u.docs.pos[0], &r));
    ir_resset_add(&set, r);
    pl_crds crds;
    pl_crds_init(&u.a, &set, &crds);
    assert_int_equal(crds.n, 1);
    assert_true(pl_cluster_scoped(&crds, "example.com", "Widget"));
    assert_false(pl_cluster_scoped(&crds, "example.com", "Gadget"));
    assert_true(pl_cluster_scoped(&crds, "", "Namespace"));
    assert_false(pl_cluster_scoped(&crds, "", "Pod"));
    ir_resset_free(&set);
    unit_free(&u);
}

static diag_pos expr_pos(unit_env *u, const char *key, uint32_t line, uint32_t col)
{
    const ir_node *n = ir_map_get(u->docs.docs[0], key);
    pl_expr e = {n, n->sc.s, n->sc.n, NULL, true};
    return pl_expr_pos(&u->d, &e, line, col);
}

static void test_expr_positions(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "plain: a + b\n"
                  "quoted: \"a + b\"\n"
                  "folded: >-\n"
                  "  first &&\n"
                  "  second\n"
                  "literal: |\n"
                  "    one\n"
                  "    two three\n");
    assert_true(u.ok);
    diag_pos p = expr_pos(&u, "plain", 1, 5);
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 12);
    p = expr_pos(&u, "quoted", 1, 5);
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 14);
    /* folded: one line of text "first && second"; column 10 is the s of second */
    p = expr_pos(&u, "folded", 1, 10);
    assert_int_equal(p.line, 5);
    assert_int_equal(p.col, 3);
    p = expr_pos(&u, "folded", 1, 1);
    assert_int_equal(p.line, 4);
    assert_int_equal(p.col, 3);
    /* literal: line 2, column 5 is the t of three */
    p = expr_pos(&u, "literal", 2, 5);
    assert_int_equal(p.line, 8);
    assert_int_equal(p.col, 9);
    /* unknown position: the scalar's */
    p = expr_pos(&u, "literal", 0, 0);
    assert_int_equal(p.line, 6);
    unit_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resource_names), cmocka_unit_test(test_selectors),
        cmocka_unit_test(test_rules),          cmocka_unit_test(test_cluster_scope),
        cmocka_unit_test(test_expr_positions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
