/* Tests of cli_render_path, the render every verb starts from: the set's id index stays valid
 * after the apply-order sort. */
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "unit.h"

static void test_index_after_sort(void **state)
{
    (void)state;
    char dir[] = "/tmp/kiln-render-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/all.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    /* input order is the reverse of apply order: the sort moves every object */
    fputs("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: b}\n---\n"
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: b}\n---\n"
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\n"
          "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
          f);
    fclose(f);
    cli_render r = {0};
    assert_true(cli_render_path(&r, dir, NULL, false, false, 1));
    assert_int_equal(r.set.n, 4);
    assert_string_equal(r.set.items[0]->id.kind, "Namespace");
    for (size_t i = 0; i < r.set.n; i++)
        assert_ptr_equal(ir_resset_find(&r.set, &r.set.items[i]->id), r.set.items[i]);
    cli_render_release(&r);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_after_sort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
