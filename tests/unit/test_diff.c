/* Unit tests for the diff stage: matching, keyed lists, defaults, ownership and revisions. */
#include "unit.h"

#include "diff/diff.h"

/* Loads a stream into a resource set (from u's arena). */
static void set_of(unit_env *u, const char *text, ir_resset *s)
{
    unit_load(u, text);
    assert_true(u->ok);
    ir_resset_init(s);
    for (size_t i = 0; i < u->docs.n; i++) {
        ir_res *r;
        assert_true(ir_res_make(&u->a, &u->d, u->docs.docs[i], u->docs.pos[i], &r));
        assert_null(ir_resset_add(s, r));
    }
}

typedef struct pair {
    unit_env w, l;
    ir_resset ws, ls;
    df_result res;
} pair;

static void run(pair *p, const char *want, const char *live, const df_opts *o)
{
    set_of(&p->w, want, &p->ws);
    set_of(&p->l, live, &p->ls);
    df_opts none = {0};
    df_diff(&p->w.a, &p->ws, &p->ls, o ? o : &none, &p->res);
}

static void done(pair *p)
{
    ir_resset_free(&p->ws);
    ir_resset_free(&p->ls);
    unit_free(&p->w);
    unit_free(&p->l);
}

#define DEPLOY                                                                                     \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: n}\n"                   \
    "spec:\n  template:\n    spec:\n      containers:\n"

static void test_keyed_list_reordered_with_defaults(void **state)
{
    (void)state;
    pair p;
    run(&p, DEPLOY "      - {name: a, image: x}\n      - {name: b, image: y}\n",
        DEPLOY "      - {name: b, image: y, imagePullPolicy: Always}\n"
               "      - {name: a, image: x2, terminationMessagePath: /dev/t}\n",
        NULL);
    assert_int_equal(p.res.n, 1);
    assert_int_equal(p.res.objs[0].action, DF_UPDATE);
    assert_int_equal(p.res.objs[0].nch, 1);
    assert_string_equal(p.res.objs[0].ch[0].path, "spec.template.spec.containers[name=a].image");
    assert_string_equal(p.res.objs[0].ch[0].old->sc.s, "x2");
    done(&p);
}

static void test_unkeyed_list_length_change_replaces(void **state)
{
    (void)state;
    pair p;
    run(&p,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\ndata: {}\n"
        "x: [1, 2]\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\nx: [1, 2, 3]\n", NULL);
    assert_int_equal(p.res.objs[0].nch, 1);
    assert_int_equal(p.res.objs[0].ch[0].op, DF_OP_REPLACE);
    assert_string_equal(p.res.objs[0].ch[0].path, "x");
    done(&p);
}

static void test_version_ignored_when_matching(void **state)
{
    (void)state;
    pair p;
    run(&p, "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: h}\n",
        "apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\n"
        "metadata: {name: h, namespace: default}\n",
        NULL);
    assert_int_equal(p.res.count[DF_UNCHANGED], 1);
    assert_int_equal(p.res.count[DF_CREATE], 0);
    done(&p);
}

static void test_prune_needs_same_owner(void **state)
{
    (void)state;
    const char *want = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: n\n"
                       "  labels: {kustomize.toolkit.fluxcd.io/name: k, "
                       "kustomize.toolkit.fluxcd.io/namespace: f}\n";
    const char *live = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: n\n"
                       "  labels: {kustomize.toolkit.fluxcd.io/name: k, "
                       "kustomize.toolkit.fluxcd.io/namespace: f}\n---\n"
                       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\n"
                       "  labels: {kustomize.toolkit.fluxcd.io/name: other, "
                       "kustomize.toolkit.fluxcd.io/namespace: f, team: x}\n";
    pair p;
    run(&p, want, live, NULL);
    assert_int_equal(p.res.count[DF_PRUNE], 1);
    assert_string_equal(p.res.objs[p.res.n - 1].id, "v1/ConfigMap/n/b");
    done(&p);
    df_opts o = {.owner_label = "team=x"};
    run(&p, want, live, &o);
    assert_int_equal(p.res.count[DF_PRUNE], 1);
    assert_string_equal(p.res.objs[p.res.n - 1].id, "v1/ConfigMap/n/c");
    done(&p);
}

static void test_rev_mode_reports_removed_fields(void **state)
{
    (void)state;
    df_opts o = {.rev_mode = true};
    pair p;
    run(&p, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: n}\ndata: {k: v}\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: n}\n"
        "data: {k: v, gone: x}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: old, namespace: n}\n",
        &o);
    assert_int_equal(p.res.objs[0].nch, 1);
    assert_int_equal(p.res.objs[0].ch[0].op, DF_OP_REMOVE);
    assert_string_equal(p.res.objs[0].ch[0].path, "data.gone");
    assert_int_equal(p.res.count[DF_PRUNE], 1);
    done(&p);
}

static void test_paths_quote_dotted_keys(void **state)
{
    (void)state;
    pair p;
    run(&p,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n"
        "  labels: {app.kubernetes.io/name: web}\n",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: n\n"
        "  labels: {app.kubernetes.io/name: api}\n",
        NULL);
    assert_string_equal(p.res.objs[0].ch[0].path, "metadata.labels[\"app.kubernetes.io/name\"]");
    done(&p);
}

static void test_crd_scope_from_render(void **state)
{
    (void)state;
    /* a Cluster-scoped CRD in the render: its objects take no namespace, so the live copy
     * (which has none) matches instead of being created in "default" */
    pair p;
    run(&p,
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: gadgets.example.com}\n"
        "spec: {group: example.com, scope: Cluster, names: {kind: Gadget}}\n---\n"
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {x: 1}\n",
        "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {x: 1}\n", NULL);
    assert_int_equal(p.res.count[DF_CREATE], 1); /* the CRD itself */
    assert_int_equal(p.res.count[DF_UNCHANGED], 1);
    assert_string_equal(p.res.objs[1].id, "example.com/v1/Gadget//g");
    done(&p);
}

static void test_quantities_compare_by_value(void **state)
{
    (void)state;
    /* the API server returns 1000m as "1" and 1024Mi as 1Gi: not a change; outside resources
     * the same strings are plain data and do differ */
    pair p;
    run(&p,
        DEPLOY "      - name: a\n        resources:\n"
               "          limits: {cpu: 1000m, memory: 1024Mi}\n"
               "          requests: {cpu: 0.5, memory: 100M}\n"
               "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n"
               "data: {cpu: 1000m}\n",
        DEPLOY "      - name: a\n        resources:\n"
               "          limits: {cpu: \"1\", memory: 1Gi}\n"
               "          requests: {cpu: 500m, memory: 101M}\n"
               "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n"
               "data: {cpu: \"1\"}\n",
        NULL);
    assert_int_equal(p.res.objs[0].nch, 1);
    assert_string_equal(p.res.objs[0].ch[0].path,
                        "spec.template.spec.containers[name=a].resources.requests.memory");
    assert_int_equal(p.res.objs[1].nch, 1);
    assert_string_equal(p.res.objs[1].ch[0].path, "data.cpu");
    done(&p);
}

static void test_schema_merge_keys(void **state)
{
    (void)state;
    /* ports merge by containerPort and mounts by mountPath (kustomize's schema), even though
     * every element also has a unique name: a renamed port is a changed name, not a new port */
    pair p;
    run(&p,
        DEPLOY "      - name: a\n        ports: [{name: http, containerPort: 8080}]\n"
               "        volumeMounts: [{name: data, mountPath: /a}]\n",
        DEPLOY "      - name: a\n        ports: [{name: web, containerPort: 8080, protocol: TCP}]\n"
               "        volumeMounts: [{name: data2, mountPath: /a}]\n",
        NULL);
    assert_int_equal(p.res.objs[0].nch, 2);
    assert_string_equal(p.res.objs[0].ch[0].path,
                        "spec.template.spec.containers[name=a].ports[containerPort=8080].name");
    assert_string_equal(p.res.objs[0].ch[1].path,
                        "spec.template.spec.containers[name=a].volumeMounts[mountPath=/a].name");
    done(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keyed_list_reordered_with_defaults),
        cmocka_unit_test(test_unkeyed_list_length_change_replaces),
        cmocka_unit_test(test_version_ignored_when_matching),
        cmocka_unit_test(test_prune_needs_same_owner),
        cmocka_unit_test(test_rev_mode_reports_removed_fields),
        cmocka_unit_test(test_paths_quote_dotted_keys),
        cmocka_unit_test(test_crd_scope_from_render),
        cmocka_unit_test(test_quantities_compare_by_value),
        cmocka_unit_test(test_schema_merge_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
