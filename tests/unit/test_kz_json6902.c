/* JSON 6902 patch tests: every expected document and every failure below was checked against
 * kubectl kustomize (kustomize v5.7.1) applying the same operations to the same object. */
#include "unit.h"

#include "kustomize/kz_int.h"

static const char base[] = "apiVersion: v1\n"
                           "kind: ConfigMap\n"
                           "metadata:\n"
                           "  name: cm\n"
                           "  labels: {a: b}\n"
                           "data:\n"
                           "  big: 12345678901234567\n"
                           "  ts: 2020-01-01\n"
                           "  list: [1, 2, 3]\n"
                           "  s: x\n"
                           "  n: null\n";

/* The base object after kustomize's JSON round trip: big loses precision, ts becomes RFC 3339. */
#define DATA_HEAD "apiVersion: v1\ndata:\n  big: 12345678901234568\n"
#define DATA_TAIL "  \"n\": null\n  s: x\n  ts: \"2020-01-01T00:00:00Z\"\n"
#define META_TAIL "kind: ConfigMap\nmetadata:\n  labels:\n    a: b\n  name: cm\n"
#define LIST_123 "  list:\n  - 1\n  - 2\n  - 3\n"

/* Applies `ops` (YAML) to the base object; returns the written object (malloc'd) or NULL, with
 * the rendered diagnostics in *errors (malloc'd) when errors is given. */
static char *patch(const char *ops, char **errors)
{
    size_t n = strlen(base) + strlen(ops) + 8;
    char *text = malloc(n);
    snprintf(text, n, "%s---\n%s", base, ops);
    unit_env u;
    unit_load(&u, text);
    assert_true(u.ok);
    assert_int_equal(u.docs.n, 2);
    kz_ctx k = {.a = &u.a, .d = &u.d};
    ir_node *obj = u.docs.docs[0];
    char *r = NULL;
    if (kz_json6902_apply(&k, &obj, u.docs.docs[1])) {
        buf_t b = {0};
        assert_true(em_yaml_doc(&b, obj));
        r = strdup(b.data);
        buf_free(&b);
    }
    if (errors) {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        diag_print(&u.d, m, false);
        fclose(m);
        *errors = buf;
    }
    unit_free(&u);
    free(text);
    return r;
}

static void expect(const char *ops, const char *want)
{
    char *errs = NULL;
    char *got = patch(ops, &errs);
    if (!got) fprintf(stderr, "%s", errs);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    free(errs);
}

static void expect_error(const char *ops, const char *needle)
{
    char *errs = NULL;
    char *got = patch(ops, &errs);
    assert_null(got);
    if (!strstr(errs, needle)) fprintf(stderr, "%s", errs);
    assert_non_null(strstr(errs, needle));
    free(errs);
}

static void test_replace_missing_key_adds(void **state)
{
    (void)state;
    expect("- op: replace\n  path: /data/missing\n  value: x\n",
           DATA_HEAD LIST_123 "  missing: x\n" DATA_TAIL META_TAIL);
}

static void test_add_missing_parent_fails(void **state)
{
    (void)state;
    expect_error("- op: add\n  path: /spec/missing\n  value: x\n",
                 "no parent for path '/spec/missing'");
    expect_error("- op: add\n  path: /data/s/x\n  value: 1\n", "no parent for path '/data/s/x'");
}

static void test_remove_missing_fails(void **state)
{
    (void)state;
    expect_error("- op: remove\n  path: /data/missing\n", "nonexistent key 'missing'");
}

static void test_array_insert_append_negative(void **state)
{
    (void)state;
    /* copy from a missing key copies null; -1 inserts before the end of the grown list; plain
     * `yes` is a boolean to go-yaml v2; value timestamps stay the strings they were written as;
     * value keys convert as YAMLToJSON does (`y` and `on` both become "true", the last wins) */
    expect(
        "- op: copy\n  from: /data/missing\n  path: /data/c\n"
        "- op: add\n  path: /data/list/-1\n  value: 9\n"
        "- op: add\n  path: /data/list/-\n  value: 10\n"
        "- op: add\n  path: /data/list/0\n  value: yes\n"
        "- op: add\n  path: /data/list/6\n  value: 2020-01-01\n"
        "- op: replace\n  path: /data/new\n  value: {y: 1_000, on: 0o17, 0x1F: 1e3, \"k\": 1.5}\n",
        DATA_HEAD
        "  c: null\n  list:\n  - true\n  - 1\n  - 2\n  - 3\n  - 9\n  - 10\n  - \"2020-01-01\"\n"
        "  \"n\": null\n  new:\n    \"31\": 1000\n    k: 1.5\n    \"true\": 15\n  s: x\n"
        "  ts: \"2020-01-01T00:00:00Z\"\n" META_TAIL);
}

static void test_array_index_errors(void **state)
{
    (void)state;
    expect_error("- op: add\n  path: /data/list/8\n  value: 9\n",
                 "index 8 in path '/data/list/8' is out of range");
    expect_error("- op: add\n  path: /data/list/x\n  value: 1\n",
                 "'x' in path '/data/list/x' is not a proper array index");
    expect_error("- op: replace\n  path: /data/list/3\n  value: 1\n", "no element '/data/list/3'");
}

static void test_first_segment_ignored_move_test(void **state)
{
    (void)state;
    /* the library drops whatever precedes the first '/' */
    expect("- op: add\n  path: x/metadata/foo\n  value: 9\n"
           "- op: move\n  from: /data/list\n  path: /metadata/list\n"
           "- op: replace\n  path: /metadata/list/0\n  value: {a: [1]}\n"
           "- op: test\n  path: /metadata/list\n  value: [{a: [1.0]}, 2, 3]\n",
           DATA_HEAD DATA_TAIL "kind: ConfigMap\nmetadata:\n  foo: 9\n  labels:\n    a: b\n  "
                               "list:\n  - a:\n    - 1\n  - 2\n  - 3\n  name: cm\n");
}

static void test_test_failure(void **state)
{
    (void)state;
    expect_error("- op: test\n  path: /data/s\n  value: y\n",
                 "JSON patch test failed: the value at '/data/s'");
    /* no value: only a missing or null value passes */
    expect_error("- op: test\n  path: /data/s\n", "JSON patch test failed");
    /* the key `n` is the boolean false to go-yaml v2, so the mapping differs */
    expect_error("- op: test\n  path: /data\n  value: {big: 12345678901234567, ts: "
                 "\"2020-01-01T00:00:00Z\", "
                 "list: [1, 2, 3], s: x, n: null}\n",
                 "JSON patch test failed");
}

static void test_test_null_and_whole_map(void **state)
{
    (void)state;
    expect("- op: test\n  path: /data/missing\n  value: null\n"
           "- op: test\n  path: /data/n\n"
           "- op: test\n  path: /data\n  value: {big: 12345678901234567, ts: "
           "\"2020-01-01T00:00:00Z\", "
           "list: [1, 2.0, 3], s: x, \"n\": null}\n"
           "- op: remove\n  path: /data/n\n",
           DATA_HEAD LIST_123 "  s: x\n  ts: \"2020-01-01T00:00:00Z\"\n" META_TAIL);
}

static void test_replace_whole_object(void **state)
{
    (void)state;
    expect("- op: replace\n  path: \"\"\n  value: {apiVersion: v1, kind: ConfigMap, metadata: "
           "{name: cm}, data: {k: v}}\n",
           "apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: cm\n");
    expect_error("- op: replace\n  path: \"\"\n  value: 5\n", "only be replaced by a mapping");
    expect_error("- op: add\n  path: \"\"\n  value: {}\n", "no parent for path ''");
}

static void test_pointer_escapes(void **state)
{
    (void)state;
    expect("- op: add\n  path: /metadata/annotations\n  value: {}\n"
           "- op: add\n  path: /metadata/annotations/a~1b~0c\n  value: \"1\"\n"
           "- op: copy\n  from: /metadata/annotations/a~1b~0c\n  path: /metadata/annotations/~01\n",
           DATA_HEAD LIST_123 DATA_TAIL
           "kind: ConfigMap\nmetadata:\n  annotations:\n    ~1: \"1\"\n    a/b~c: \"1\"\n  "
           "labels:\n    a: b\n  name: cm\n");
}

static void test_negative_remove_and_move_in_list(void **state)
{
    (void)state;
    expect("- op: remove\n  path: /data/list/-3\n"
           "- op: move\n  from: /data/list/0\n  path: /data/list/1\n"
           "- op: add\n  path: /data/list/-3\n  value: 0\n",
           DATA_HEAD "  list:\n  - 0\n  - 3\n  - 2\n" DATA_TAIL META_TAIL);
}

static void test_unknown_op_and_bad_fields(void **state)
{
    (void)state;
    expect_error("- op: frob\n  path: /data\n", "unexpected JSON patch operation 'frob'");
    expect_error("- path: /data\n", "unexpected JSON patch operation 'unknown'");
    expect_error("- op: move\n  from: /data/missing\n  path: /data/x\n",
                 "nonexistent key 'missing'");
    expect_error("- op: remove\n", "has no 'path' field");
    expect_error("- op: remove\n  path: 5\n", "'path' must be a string");
    expect_error("op: remove\n", "must be a list of operations");
}

static void test_copy_is_deep(void **state)
{
    (void)state;
    /* changing the copy leaves the original alone */
    expect("- op: copy\n  from: /metadata/labels\n  path: /data/l\n"
           "- op: add\n  path: /data/l/z\n  value: \"1\"\n",
           DATA_HEAD "  l:\n    a: b\n    z: \"1\"\n" LIST_123 DATA_TAIL META_TAIL);
}

static void test_json_text_patch(void **state)
{
    (void)state;
    expect("[{\"op\": \"add\", \"path\": \"/data/j\", \"value\": {\"x\": [1.5, true, null, "
           "\"<&>\"]}}]\n",
           DATA_HEAD
           "  j:\n    x:\n    - 1.5\n    - true\n    - null\n    - <&>\n" LIST_123 DATA_TAIL
               META_TAIL);
}

static void test_annotations_exist_during_patch(void **state)
{
    (void)state;
    /* kustomize keeps internal annotations on every object while it patches */
    expect("- op: add\n  path: /metadata/annotations/foo\n  value: bar\n",
           DATA_HEAD LIST_123 DATA_TAIL "kind: ConfigMap\nmetadata:\n  annotations:\n    foo: "
                                        "bar\n  labels:\n    a: b\n  name: cm\n");
    expect("- op: remove\n  path: /metadata/annotations\n", DATA_HEAD LIST_123 DATA_TAIL META_TAIL);
    /* ... and a test on the whole mapping sees them */
    expect_error("- op: test\n  path: /metadata/annotations\n", "JSON patch test failed");
}

static void test_values_are_rewritten_by_the_round_trip(void **state)
{
    (void)state;
    /* `y` is true to go-yaml v2 and comes back with the text "true": kustomize prints the
     * annotations as x: "true", f: "1.5", i: "16" */
    unit_env u;
    unit_load(&u, "kind: ConfigMap\nmetadata:\n  name: cm\n---\n- op: replace\n  path: "
                  "/metadata/annotations\n"
                  "  value: {x: y, f: 1.50, i: 0x10}\n");
    assert_true(u.ok);
    kz_ctx k = {.a = &u.a, .d = &u.d};
    ir_node *obj = u.docs.docs[0];
    assert_true(kz_json6902_apply(&k, &obj, u.docs.docs[1]));
    const ir_node *an = ir_get_path(obj, (const char *const[]){"metadata", "annotations", NULL});
    assert_non_null(an);
    assert_int_equal(an->map.n, 3);
    assert_string_equal(ir_map_get(an, "x")->sc.s, "true");
    assert_string_equal(ir_map_get(an, "f")->sc.s, "1.5");
    assert_string_equal(ir_map_get(an, "i")->sc.s, "16");
    unit_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_replace_missing_key_adds),
        cmocka_unit_test(test_add_missing_parent_fails),
        cmocka_unit_test(test_remove_missing_fails),
        cmocka_unit_test(test_array_insert_append_negative),
        cmocka_unit_test(test_array_index_errors),
        cmocka_unit_test(test_first_segment_ignored_move_test),
        cmocka_unit_test(test_test_failure),
        cmocka_unit_test(test_test_null_and_whole_map),
        cmocka_unit_test(test_replace_whole_object),
        cmocka_unit_test(test_pointer_escapes),
        cmocka_unit_test(test_negative_remove_and_move_in_list),
        cmocka_unit_test(test_unknown_op_and_bad_fields),
        cmocka_unit_test(test_copy_is_deep),
        cmocka_unit_test(test_json_text_patch),
        cmocka_unit_test(test_annotations_exist_during_patch),
        cmocka_unit_test(test_values_are_rewritten_by_the_round_trip),
    };
    return cmocka_run_group_tests_name("kz_json6902", tests, NULL, NULL);
}
