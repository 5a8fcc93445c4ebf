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

static void check_file(const char *path, const char *key, const char *const *step_texts)
{
    char *text = slurp(path);
    unit_env u;
    unit_load(&u, text);
    assert_true(u.ok);
    assert_int_equal(u.docs.n, 1);
    const ir_node *top = ir_map_get(u.docs.docs[0], key);
    assert_non_null(top);
    for (const char *const *t = step_texts; *t; t++)
        if (!strstr(text, *t)) fail_msg("%s: no '%s'", path, *t);
    unit_free(&u);
    free(text);
}

static void test_github_actions(void **state)
{
    (void)state;
    const char *const steps[] = {"kiln diff --affected --base",
                                 "kiln check --affected --base \"origin/$GITHUB_BASE_REF\" "
                                 "--format github",
                                 "--format sarif > kiln.sarif",
                                 "uses: github/codeql-action/upload-sarif@",
                                 "sarif_file: kiln.sarif",
                                 "security-events: write",
                                 NULL};
    check_file("samples/ci/github-actions.yml", "jobs", steps);
}

static void test_azure_pipelines(void **state)
{
    (void)state;
    const char *const steps[] = {"kiln diff --affected --base",
                                 "--format junit > kiln-check.xml",
                                 "task: PublishTestResults@2",
                                 "testResultsFiles: kiln-check.xml",
                                 "--format sarif",
                                 "CodeAnalysisLogs/kiln.sarif",
                                 "task: PublishBuildArtifacts@1",
                                 "ArtifactName: CodeAnalysisLogs",
                                 NULL};
    check_file("samples/ci/azure-pipelines.yml", "steps", steps);
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
    assert_int_equal(hooks->seq.n, 3);
    assert_string_equal(ir_get_str(hooks->seq.items[0], "id"), "kiln-build");
    assert_string_equal(ir_get_str(hooks->seq.items[1], "id"), "kiln-check");
    assert_string_equal(ir_get_str(hooks->seq.items[2], "id"), "kiln-diff");
    assert_string_equal(ir_get_str(hooks->seq.items[0], "language"), "system");
    /* kiln-check: pre-commit appends the changed files to the entry */
    const ir_node *ck = hooks->seq.items[1];
    assert_string_equal(ir_get_str(ck, "entry"), "kiln check --affected");
    assert_string_equal(ir_get_str(ck, "language"), "system");
    const char *const flags[] = {"pass_filenames", "require_serial"};
    for (size_t i = 0; i < 2; i++) {
        const ir_node *v = ir_map_get(ck, flags[i]);
        assert_non_null(v);
        assert_int_equal(v->kind, IR_SCALAR);
        assert_int_equal(v->sc.n, 4);
        assert_memory_equal(v->sc.s, "true", 4);
    }
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
