/* IR tests: mapping order and index, removal, cloning, equality, and the resource set. */
#include "unit.h"

static void test_map_index_many_keys(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    ir_node *m = ir_map(&a, diag_nopos);
    char key[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        ir_map_append(&a, m, ir_str(&a, key, diag_nopos), ir_str(&a, key, diag_nopos));
    }
    for (int i = 0; i < 1000; i += 7) {
        snprintf(key, sizeof key, "k%d", i);
        assert_string_equal(ir_str_of(ir_map_get(m, key)), key);
    }
    assert_null(ir_map_get(m, "k1000"));
    /* insertion order is kept */
    assert_string_equal(m->map.items[500].key->sc.s, "k500");
    assert_true(ir_map_remove(m, "k10"));
    assert_null(ir_map_get(m, "k10"));
    assert_string_equal(ir_str_of(ir_map_get(m, "k999")), "k999");
    assert_int_equal(m->map.n, 999);
    ir_map_set(&a, m, "k11", ir_str(&a, "changed", diag_nopos));
    assert_string_equal(ir_str_of(ir_map_get(m, "k11")), "changed");
    assert_int_equal(m->map.n, 999);
    ar_free(&a);
}

static void test_clone_and_equal(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "a: {b: [1, 2, {c: d}]}\ne: 0x10\n");
    ir_node *r = u.docs.docs[0];
    ir_node *c = ir_clone(&u.a, r);
    assert_true(ir_equal(r, c));
    ir_map_set(&u.a, ir_map_get(c, "a"), "b", ir_str(&u.a, "x", diag_nopos));
    assert_false(ir_equal(r, c));
    unit_free(&u);
}

static void test_resset_ids_and_duplicates(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u,
              "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: prod}\n---\n"
              "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\n"
              "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: prod}\n");
    ir_resset rs;
    ir_resset_init(&rs);
    ir_res *r;
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[0], u.docs.pos[0], &r));
    assert_string_equal(r->id.group, "apps");
    assert_string_equal(r->id.version, "v1");
    assert_string_equal(r->id.ns, "prod");
    assert_null(ir_resset_add(&rs, r));
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[1], u.docs.pos[1], &r));
    assert_string_equal(r->id.group, "");
    assert_null(ir_resset_add(&rs, r));
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[2], u.docs.pos[2], &r));
    assert_non_null(ir_resset_add(&rs, r)); /* same id: the first is returned */
    assert_int_equal(rs.n, 2);
    assert_non_null(ir_resset_find(&rs, &r->id));
    ir_resset_free(&rs);
    unit_free(&u);
}

static void test_res_requires_kind_and_name(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "apiVersion: v1\nmetadata: {name: a}\n---\nkind: X\nmetadata: {namespace: "
                  "n}\n---\nkind: X\nmetadata: {name: 7}\n");
    ir_res *r;
    assert_false(ir_res_make(&u.a, &u.d, u.docs.docs[0], u.docs.pos[0], &r));
    assert_false(ir_res_make(&u.a, &u.d, u.docs.docs[1], u.docs.pos[1], &r));
    /* kustomize accepts a missing apiVersion and a numeric name */
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[2], u.docs.pos[2], &r));
    assert_string_equal(r->id.name, "7");
    assert_int_equal(u.d.errors, 2);
    unit_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_index_many_keys),
        cmocka_unit_test(test_clone_and_equal),
        cmocka_unit_test(test_resset_ids_and_duplicates),
        cmocka_unit_test(test_res_requires_kind_and_name),
    };
    return cmocka_run_group_tests_name("ir", tests, NULL, NULL);
}
