/* Tests for Go YAML semantics: float formatting, key order, resolution flavours, timestamps. */
#include "unit.h"
#include "yaml/goyaml.h"

static void test_float_g(void **state)
{
    (void)state;
    struct {
        double v;
        const char *g, *json;
    } rows[] = {
        {1e6, "1e+06", "1000000"},
        {1234567.5, "1.2345675e+06", "1.2345675e+06"},
        {123456.7, "123456.7", "123456.7"},
        {0.0001, "0.0001", "0.0001"},
        {0.00001, "1e-05", "1e-05"},
        {1.5, "1.5", "1.5"},
        {-2.0, "-2", "-2"},
        {1e21, "1e+21", "1e+21"},
        {1e20, "1e+20", "1e+20"},
        {12345678901.0, "1.2345678901e+10", "12345678901"},
        {0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        ky_format_float_g(rows[i].v, buf);
        assert_string_equal(buf, rows[i].g);
        ky_format_float_json_v2(rows[i].v, buf);
        assert_string_equal(buf, rows[i].json);
    }
}

static int cmp(const char *a, const char *b)
{
    return ky_key_cmp(a, strlen(a), b, strlen(b));
}

static void test_key_order(void **state)
{
    (void)state;
    assert_true(cmp("a9", "a10") < 0);
    assert_true(cmp("a10", "a9") > 0);
    assert_true(cmp("A", "a9") < 0);
    assert_true(cmp("b-1", "b_1") < 0);
    assert_true(cmp("#c", "123") < 0);
    assert_true(cmp("f2", "f12") < 0);
    assert_true(cmp("apiVersion", "kind") < 0);
    assert_true(cmp("x", "x") == 0);
    assert_true(cmp("x", "xy") < 0);
    /* a key starting with a non-letter rune (here a BOM) sorts before letters, as in go-yaml;
     * non-ASCII letters still count as letters */
    assert_true(cmp("\xEF\xBB\xBF"
                    "A",
                    "B") < 0);
    assert_true(cmp("\xC3\xA9", "1") > 0);
}

static void test_resolve_flavours(void **state)
{
    (void)state;
    ky_value v;
    assert_int_equal(ky_resolve(KY_V3, "yes", 3, &v), KY_STR);
    assert_int_equal(ky_resolve(KY_V2, "yes", 3, &v), KY_BOOL);
    assert_int_equal(ky_resolve(KY_V3, "0o17", 4, &v), KY_INT);
    assert_int_equal(v.i, 15);
    assert_int_equal(ky_resolve(KY_V3, "-0b11", 5, &v), KY_INT);
    assert_int_equal(v.i, -3);
    assert_int_equal(ky_resolve(KY_V3, "1e400", 5, &v), KY_STR);
    assert_int_equal(ky_resolve(KY_V3, ".5", 2, &v), KY_FLOAT);
    assert_int_equal(ky_resolve(KY_V3, ".x", 2, &v), KY_STR);
    /* "<<" is no special value to the resolver (merge keys are the loader's business), so a
     * quoted '<<' prints plain, as kustomize prints it */
    assert_int_equal(ky_resolve(KY_V3, "<<", 2, &v), KY_STR);
    assert_false(ky_v2_needs_quotes("<<", 2));
    assert_true(ky_v2_needs_quotes("1:20", 4));
    assert_true(ky_v2_needs_quotes("y", 1));
    assert_false(ky_v2_needs_quotes("1.5e400", 7));
    assert_false(ky_v2_needs_quotes("hello", 5));
}

static void test_timestamps(void **state)
{
    (void)state;
    char out[64];
    assert_true(ky_timestamp_rfc3339("2024-01-01", 10, out, sizeof out));
    assert_string_equal(out, "2024-01-01T00:00:00Z");
    assert_true(ky_timestamp_rfc3339("2001-12-14t21:59:43.10-05:00", 28, out, sizeof out));
    assert_string_equal(out, "2001-12-14T21:59:43.1-05:00");
    assert_true(ky_timestamp_rfc3339("2001-12-14 21:59:43.10", 22, out, sizeof out));
    assert_string_equal(out, "2001-12-14T21:59:43.1Z");
    assert_true(ky_timestamp_rfc3339("2024-2-3T4:5:6+00:00", 20, out, sizeof out));
    assert_string_equal(out, "2024-02-03T04:05:06Z");
    assert_false(ky_timestamp_rfc3339("2024-02-30", 10, out, sizeof out));
    assert_false(
        ky_timestamp_rfc3339("2024-01-01T10:00:00", 19, out, sizeof out)); /* T needs a zone */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_float_g),
        cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_resolve_flavours),
        cmocka_unit_test(test_timestamps),
    };
    return cmocka_run_group_tests_name("goyaml", tests, NULL, NULL);
}
