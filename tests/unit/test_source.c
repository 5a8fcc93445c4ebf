/* Source-tree tests: reads stay inside the repository root, whatever the path or symbolic links
 * say; path cleaning; directory listings. */
#include <sys/stat.h>
#include <unistd.h>

#include "source/source.h"
#include "unit.h"

static char root[64];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/kiln-src-XXXXXX");
    if (!mkdtemp(root)) return -1;
    char p[256];
    snprintf(p, sizeof p, "%s/repo/.git", root);
    snprintf(p, sizeof p, "%s/repo", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/repo/.git", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/repo/app", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/repo/app/cm.yaml", root);
    FILE *f = fopen(p, "w");
    fputs("kind: ConfigMap\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/secret.txt", root);
    f = fopen(p, "w");
    fputs("outside\n", f);
    fclose(f);
    char target[256];
    snprintf(target, sizeof target, "%s/secret.txt", root);
    snprintf(p, sizeof p, "%s/repo/app/escape.yaml", root);
    if (symlink(target, p) != 0) return -1;
    snprintf(target, sizeof target, "%s", root);
    snprintf(p, sizeof p, "%s/repo/app/up", root);
    if (symlink(target, p) != 0) return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_root_is_the_git_work_tree(void **state)
{
    (void)state;
    char p[256], want[256];
    snprintf(p, sizeof p, "%s/repo/app", root);
    char *r = src_guess_root(p);
    char *real = realpath(root, NULL);
    snprintf(want, sizeof want, "%s/repo", real);
    assert_string_equal(r, want);
    free(r);
    free(real);
}

static void test_reads_confined(void **state)
{
    (void)state;
    char repo[256], p[256];
    snprintf(repo, sizeof repo, "%s/repo", root);
    src_tree t;
    const char *err;
    assert_true(src_open_fs(&t, repo, &err));
    arena a;
    ar_init(&a);
    char *data;
    size_t len;
    snprintf(p, sizeof p, "%s/repo/app/cm.yaml", root);
    assert_true(src_read(&t, &a, p, &data, &len, &err));
    assert_string_equal(data, "kind: ConfigMap\n");
    /* a symbolic link that leaves the root */
    snprintf(p, sizeof p, "%s/repo/app/escape.yaml", root);
    assert_false(src_read(&t, &a, p, &data, &len, &err));
    assert_non_null(strstr(err, "outside the repository root"));
    /* ".." out of the root, and a directory link that leaves it */
    snprintf(p, sizeof p, "%s/repo/../secret.txt", root);
    assert_false(src_read(&t, &a, p, &data, &len, &err));
    snprintf(p, sizeof p, "%s/repo/app/up/secret.txt", root);
    assert_false(src_read(&t, &a, p, &data, &len, &err));
    assert_int_equal(src_stat(&t, p), SRC_OTHER);
    ar_free(&a);
    src_close(&t);
}

static void test_clean_and_join(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(src_clean(&a, "a/./b/../c//d/"), "a/c/d");
    assert_string_equal(src_clean(&a, "../x/../../y"), "../../y");
    assert_string_equal(src_clean(&a, "/../etc"), "/etc");
    assert_string_equal(src_join(&a, "in/overlays/prod", "../../base"), "in/base");
    assert_true(src_is_within("in/app", "in/app/x.yaml"));
    assert_false(src_is_within("in/app", "in/apple.yaml"));
    assert_false(src_is_within(".", "../x"));
    ar_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_root_is_the_git_work_tree),
        cmocka_unit_test(test_reads_confined),
        cmocka_unit_test(test_clean_and_join),
    };
    return cmocka_run_group_tests_name("source", tests, setup, teardown);
}
