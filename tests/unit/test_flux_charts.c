/* Flux chart cache tests: flux_chart_pick's choice among <chart>-<version>.tgz files and
 * <chart>/ directories (source-controller's rules: an exact version first, else the highest the
 * Masterminds range accepts), the versions it lists when none fits, and the semver helpers it
 * uses. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "flux/flux.h"
#include "template/tpl.h"
#include "unit.h"

static char dir[64];

static void touch(const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/kiln-charts-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    touch("demo-1.2.0.tgz");
    touch("demo-1.4.1.tgz");
    touch("demo-1.5.0-rc.1.tgz");
    touch("demo-2.0.0.tgz");
    touch("demo-extra-9.9.9.tgz"); /* chart demo-extra, or demo at "extra-9.9.9": neither */
    touch("demo-notes.txt");
    char p[256];
    snprintf(p, sizeof p, "%s/demo", dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/demo/Chart.yaml", dir);
    FILE *f = fopen(p, "w");
    if (!f) return -1;
    fputs("apiVersion: v2\nname: demo\nversion: 1.3.0\n", f);
    fclose(f);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The version picked for range, or "none: <found>" / "err: <message>". */
static const char *pick(arena *a, const char *name, const char *range)
{
    const char *path = NULL, *ver = NULL, *found = NULL, *err = NULL;
    if (flux_chart_pick(a, dir, name, range, &path, &ver, &found, &err)) return ver;
    if (err) return ar_printf(a, "err: %s", err);
    return ar_printf(a, "none: %s", found);
}

static void test_ranges(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(pick(&a, "demo", "^1.2.0"), "1.4.1");
    assert_string_equal(pick(&a, "demo", "~1.3"), "1.3.0"); /* the demo/ directory */
    assert_string_equal(pick(&a, "demo", "1.2.0"), "1.2.0");
    assert_string_equal(pick(&a, "demo", NULL), "2.0.0");
    assert_string_equal(pick(&a, "demo", "*"), "2.0.0");
    assert_string_equal(pick(&a, "demo", ">=1.5.0-0 <2.0.0"), "1.5.0-rc.1");
    assert_string_equal(pick(&a, "demo", "1.5.0-rc.1"), "1.5.0-rc.1"); /* exact match */
    assert_string_equal(pick(&a, "demo", "1.x || >=3"), "1.4.1");
    ar_free(&a);
}

static void test_not_found(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(pick(&a, "demo", ">=3.0.0"),
                        "none: 1.2.0, 1.3.0, 1.4.1, 1.5.0-rc.1, 2.0.0");
    assert_string_equal(pick(&a, "other", "*"), "none: ");
    assert_string_equal(pick(&a, "demo-extra", "*"), "9.9.9");
    const char *bad = pick(&a, "demo", ">=> 1");
    assert_memory_equal(bad, "err: invalid version range", 26);
    const char *path, *ver, *found, *err;
    assert_false(
        flux_chart_pick(&a, "/nonexistent/charts", "demo", "*", &path, &ver, &found, &err));
    assert_non_null(err);
    ar_free(&a);
}

static void test_semver_helpers(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_true(tpl_semver_valid(&a, "1.2.3"));
    assert_true(tpl_semver_valid(&a, "v1.2"));
    assert_false(tpl_semver_valid(&a, "extra-9.9.9"));
    assert_true(tpl_semver_order(&a, "1.10.0", "1.9.0") > 0);
    assert_true(tpl_semver_order(&a, "1.0.0-rc.1", "1.0.0") < 0);
    assert_int_equal(tpl_semver_order(&a, "v1.0", "1.0.0"), 0);
    bool ok;
    const char *err;
    assert_true(tpl_semver_satisfies(&a, "^1.2", "1.9.0", &ok, &err));
    assert_true(ok);
    assert_true(tpl_semver_satisfies(&a, "^1.2", "2.0.0", &ok, &err));
    assert_false(ok);
    assert_false(tpl_semver_satisfies(&a, "nonsense", "1.0.0", &ok, &err));
    ar_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_semver_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
