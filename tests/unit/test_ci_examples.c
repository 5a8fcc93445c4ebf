/* The CI examples in samples/ci and the pre-commit hook definitions parse with kiln's YAML loader
 * and have the shape their services expect (a workflow's jobs, a pipeline's steps). Run from the
 * repository root. */
#include "unit.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(m);
    fclose(f);
    return buf;
}

static void check_file(const char *path, const char *key, const char *step_text)
{
    char *text = slurp(path);
    unit_env u;
    unit_load(&u, text);
    assert_true(u.ok);
    assert_int_equal(u.docs.n, 1);
    const ir_node *top = ir_map_get(u.docs.docs[0], key);
    assert_non_null(top);
    assert_non_null(strstr(text, step_text));
    unit_free(&u);
    free(text);
}

static void test_github_actions(void **state)
{
    (void)state;
    check_file("samples/ci/github-actions.yml", "jobs", "kiln diff --affected --base");
}

static void test_azure_pipelines(void **state)
{
    (void)state;
    check_file("samples/ci/azure-pipelines.yml", "steps", "kiln diff --affected --base");
}

static void test_pre_commit_hooks(void **state)
{
    (void)state;
    char *text = slurp(".pre-commit-hooks.yaml");
    unit_env u;
    unit_load(&u, text);
    assert_true(u.ok);
    const ir_node *hooks = u.docs.docs[0];
    assert_int_equal(hooks->kind, IR_SEQ);
    assert_int_equal(hooks->seq.n, 2);
    assert_string_equal(ir_get_str(hooks->seq.items[0], "id"), "kiln-build");
    assert_string_equal(ir_get_str(hooks->seq.items[1], "id"), "kiln-diff");
    assert_string_equal(ir_get_str(hooks->seq.items[0], "language"), "system");
    unit_free(&u);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_github_actions),
        cmocka_unit_test(test_azure_pipelines),
        cmocka_unit_test(test_pre_commit_hooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
