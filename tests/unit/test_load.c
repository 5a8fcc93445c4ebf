/* Loader tests: positions on nodes, tag resolution, limits (alias bombs, depth), duplicate keys,
 * merge keys and the error messages for malformed input. */
#include <time.h>

#include "unit.h"

static ir_node *doc0(unit_env *u)
{
    assert_true(u->ok);
    assert_true(u->docs.n >= 1);
    return u->docs.docs[0];
}

/* An empty collection before any other (nothing on the scratch stack yet): found by fuzzing
 * under clang's UBSan (an offset applied to a NULL pointer). */
static void test_empty_first_collection(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "[]\n");
    assert_int_equal(u.docs.n, 1);
    assert_int_equal(doc0(&u)->kind, IR_SEQ);
    assert_int_equal(doc0(&u)->seq.n, 0);
    unit_free(&u);
    unit_load(&u, "{}\n");
    assert_int_equal(doc0(&u)->kind, IR_MAP);
    assert_int_equal(doc0(&u)->map.n, 0);
    unit_free(&u);
}

static void test_positions(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u,
              "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: [a, \"b\"]\n");
    ir_node *r = doc0(&u);
    const char *const path[] = {"metadata", "name", NULL};
    ir_node *name = ir_get_path(r, path);
    assert_non_null(name);
    assert_int_equal(name->pos.line, 4);
    assert_int_equal(name->pos.col, 9);
    const char *const kp[] = {"data", "k", NULL};
    ir_node *seq = ir_get_path(r, kp);
    assert_int_equal(seq->kind, IR_SEQ);
    assert_int_equal(seq->style, IR_STYLE_FLOW);
    assert_int_equal(seq->seq.items[1]->pos.line, 6);
    assert_int_equal(seq->seq.items[1]->pos.col, 10);
    assert_int_equal(seq->seq.items[1]->style, IR_STYLE_DOUBLE);
    unit_free(&u);
}

static void test_resolution_v3(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "a: yes\nb: true\nc: 0x10\nd: 1.5\ne: ~\nf: 2024-01-02\ng: \"12\"\nh: 08\ni: "
                  "18446744073709551615\n");
    ir_node *r = doc0(&u);
    assert_int_equal(ir_map_get(r, "a")->tag, IR_TAG_STR);
    assert_int_equal(ir_map_get(r, "b")->tag, IR_TAG_BOOL);
    assert_int_equal(ir_map_get(r, "c")->tag, IR_TAG_INT);
    assert_int_equal(ir_map_get(r, "c")->sc.v.i, 16);
    assert_int_equal(ir_map_get(r, "d")->tag, IR_TAG_FLOAT);
    assert_int_equal(ir_map_get(r, "e")->tag, IR_TAG_NULL);
    assert_int_equal(ir_map_get(r, "f")->tag, IR_TAG_TIMESTAMP);
    assert_int_equal(ir_map_get(r, "g")->tag, IR_TAG_STR);
    /* 08 is no octal number: Go's ParseFloat reads it as 8 */
    assert_int_equal(ir_map_get(r, "h")->tag, IR_TAG_FLOAT);
    assert_int_equal(ir_map_get(r, "i")->tag, IR_TAG_INT);
    assert_true(ir_map_get(r, "i")->flags & IR_INT_UNSIGNED);
    unit_free(&u);
}

static void test_duplicate_key_names_both_lines(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "metadata:\n  name: a\n  name: b\n");
    assert_false(u.ok);
    assert_non_null(
        strstr(u.errors, "t.yaml:3:3: error: mapping key \"name\" already defined at line 2"));
    assert_non_null(strstr(u.errors, "t.yaml:2:3: note: first defined here"));
    unit_free(&u);
}

static void test_syntax_error_position(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "a: 1\nb: [1, 2\nc: 3\n");
    assert_false(u.ok);
    assert_non_null(strstr(u.errors, "t.yaml:3:"));
    assert_non_null(strstr(u.errors, "error:"));
    unit_free(&u);
}

static void test_alias_bomb_is_an_error_and_fast(void **state)
{
    (void)state;
    const char *bomb =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    clock_t t0 = clock();
    unit_env u;
    unit_load(&u, bomb);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_false(u.ok);
    assert_non_null(strstr(u.errors, "alias bomb"));
    assert_true(secs < 1.0);
    unit_free(&u);
}

static void test_depth_limit(void **state)
{
    (void)state;
    size_t n = 5000;
    char *deep = malloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++)
        deep[i] = '[';
    for (size_t i = 0; i < n; i++)
        deep[n + i] = ']';
    deep[2 * n] = 0;
    unit_env u;
    unit_load(&u, deep);
    assert_false(u.ok);
    assert_non_null(strstr(u.errors, "nesting deeper than"));
    unit_free(&u);
    free(deep);
}

static void test_merge_keys(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "base: &b {x: 1, y: 2}\nother: &o {z: 3}\nm:\n  y: 9\n  <<: [*b, *o]\n");
    ir_node *m = ir_map_get(doc0(&u), "m");
    assert_int_equal(m->map.n, 3);
    assert_int_equal(ir_map_get(m, "y")->sc.v.i, 9); /* explicit key wins */
    assert_int_equal(ir_map_get(m, "x")->sc.v.i, 1);
    assert_int_equal(ir_map_get(m, "z")->sc.v.i, 3);
    unit_free(&u);
}

static void test_unknown_anchor(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "a: *nope\n");
    assert_false(u.ok);
    assert_non_null(strstr(u.errors, "unknown anchor 'nope'"));
    unit_free(&u);
}

static void test_bad_explicit_tag(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "a: !!int abc\n");
    assert_false(u.ok);
    assert_non_null(strstr(u.errors, "t.yaml:1:4: error: cannot decode `abc` as a !!int"));
    unit_free(&u);
}

static void test_json_and_multi_docs(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "{\"a\": [1, 2.5, \"x\"], \"b\": {\"c\": null}}\n---\n---\nz: 1\n...\n");
    assert_true(u.ok);
    assert_int_equal(u.docs.n, 2); /* the empty document is skipped */
    unit_free(&u);
}

static void test_empty_input(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "");
    assert_true(u.ok);
    assert_int_equal(u.docs.n, 0);
    unit_free(&u);
}

/* Both behaviours below were measured with kubectl kustomize (v5.7.1); they failed before. */
static void test_folded_more_indented_quirk(void **state)
{
    (void)state;
    unit_env u;
    unit_load(
        &u, "f1: >\n  a\n    b\n    c\n  d\nf2: >\n  a\n\n    b\n  d\nf3: >\n  a\n    b\n\n  d\n");
    ir_node *r = doc0(&u);
    assert_string_equal(ir_map_get(r, "f1")->sc.s, "a\n\n  b\n  c\nd\n");
    assert_string_equal(ir_map_get(r, "f2")->sc.s, "a\n\n\n  b\nd\n");
    assert_string_equal(ir_map_get(r, "f3")->sc.s, "a\n\n  b\n\nd\n");
    unit_free(&u);
}

static void test_utf8_bom_skipped(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "\xEF\xBB\xBF"
                  "apiVersion: v1\nkind: ConfigMap\n");
    ir_node *r = doc0(&u);
    assert_string_equal(ir_str_of(ir_map_get(r, "kind")), "ConfigMap");
    unit_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_empty_first_collection),
        cmocka_unit_test(test_resolution_v3),
        cmocka_unit_test(test_duplicate_key_names_both_lines),
        cmocka_unit_test(test_syntax_error_position),
        cmocka_unit_test(test_alias_bomb_is_an_error_and_fast),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_merge_keys),
        cmocka_unit_test(test_unknown_anchor),
        cmocka_unit_test(test_bad_explicit_tag),
        cmocka_unit_test(test_json_and_multi_docs),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_folded_more_indented_quirk),
        cmocka_unit_test(test_utf8_bom_skipped),
    };
    return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
