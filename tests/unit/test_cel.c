/* CEL tests: the value model (equality, map lookup, printing, JSON), the parser (precedence,
 * escapes, errors with positions, nesting limit) and the evaluator (overflow, macros,
 * optionals, cost limit). */
#include <math.h>

#include "unit.h"
#include "validate/cel/cel.h"
#include "validate/cel/cel_int.h"

static char *printed(const cel_val *v, bool json)
{
    buf_t b = {0};
    if (json)
        cel_to_json(&b, v);
    else
        cel_print(&b, v);
    char *r = strdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

#define assert_printed(v, json, want)                                                              \
    do {                                                                                           \
        char *got_ = printed(v, json);                                                             \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_value_equality(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, 0);
    assert_true(cel_equal(cel_int(e, 1), cel_uint(e, 1)));
    assert_true(cel_equal(cel_int(e, 1), cel_double(e, 1.0)));
    assert_false(cel_equal(cel_int(e, -1), cel_uint(e, UINT64_MAX)));
    assert_false(cel_equal(cel_double(e, NAN), cel_double(e, NAN)));
    assert_false(cel_equal(cel_int(e, 1), cel_string(e, "1", 1)));
    assert_true(cel_equal(cel_null(), cel_null()));
    cel_val **it = ar_alloc(&a, 2 * sizeof *it);
    it[0] = cel_int(e, 1);
    it[1] = cel_string(e, "x", 1);
    cel_val **it2 = ar_alloc(&a, 2 * sizeof *it2);
    it2[0] = cel_double(e, 1.0);
    it2[1] = cel_string(e, "x", 1);
    assert_true(cel_equal(cel_list(e, it, 2), cel_list(e, it2, 2)));
    assert_false(cel_equal(cel_list(e, it, 2), cel_list(e, it2, 1)));
    /* cel-go converts the integer to double: INT64_MAX equals 2^63 as a double */
    assert_int_equal(cel_num_cmp(cel_int(e, INT64_MAX), cel_double(e, 9223372036854775808.0)), 0);
    assert_int_equal(cel_num_cmp(cel_uint(e, 3), cel_double(e, 2.5)), 1);
    assert_string_equal(cel_type_name(cel_uint(e, 1)), "uint");
    ar_free(&a);
}

static void test_value_map_lookup(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, 0);
    for (size_t n = 3; n <= 40; n += 37) { /* linear and indexed lookups */
        cel_val **k = ar_alloc(&a, n * sizeof *k), **v = ar_alloc(&a, n * sizeof *v);
        for (size_t i = 0; i < n; i++) {
            char *s = ar_printf(&a, "k%zu", i);
            k[i] = i == 1 ? cel_int(e, 7) : cel_string(e, s, strlen(s));
            v[i] = cel_int(e, (int64_t)i);
        }
        cel_val *m = cel_map(e, k, v, n);
        assert_int_equal(cel_map_get_str(m, "k2")->i, 2);
        assert_null(cel_map_get_str(m, "k1"));
        assert_int_equal(cel_map_get(m, cel_uint(e, 7))->i, 1);
        assert_int_equal(cel_map_get(m, cel_double(e, 7.0))->i, 1);
        assert_null(cel_map_get(m, cel_double(e, 7.5)));
    }
    ar_free(&a);
}

static void test_value_print_and_json(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, 0);
    assert_printed(cel_uint(e, 2), false, "2u");
    assert_printed(cel_double(e, 1), false, "1.0");
    assert_printed(cel_double(e, 0.1), false, "0.1");
    assert_printed(cel_string(e, "a\"\n", 3), false, "\"a\\\"\\n\"");
    assert_printed(cel_bytes(e,
                             "\xff"
                             "a",
                             2),
                   false, "b\"\\xffa\"");
    assert_printed(cel_int(e, -5), true, "{\"int\":\"-5\"}");
    assert_printed(cel_double(e, INFINITY), true, "{\"double\":\"Infinity\"}");
    assert_printed(cel_bytes(e, "ab", 2), true, "{\"bytes\":\"YWI=\"}");
    assert_printed(cel_duration(e, 1, 500000000), true, "{\"duration\":\"1.5s\"}");
    assert_printed(cel_duration(e, 0, -500000000), false, "duration(\"-0.5s\")");
    assert_printed(cel_timestamp(e, 1234567890, 0), true,
                   "{\"timestamp\":\"2009-02-13T23:31:30Z\"}");
    assert_printed(cel_optional(e, NULL), false, "optional.none()");
    ar_free(&a);
}

static void test_value_from_json_and_ir(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u,
              "{\"map\": [[{\"string\": \"a\"}, {\"list\": [{\"uint\": \"18446744073709551615\"},"
              " {\"bytes\": \"YWI\"}, {\"timestamp\": \"2009-02-13T23:31:30.5+01:00\"},"
              " {\"duration\": \"1h1.5s\"}, {\"double\": \"NaN\"}]}]]}\n"
              "---\n{\"int\": \"9223372036854775808\"}\n---\n"
              "metadata: {name: x, n: 3, u: 18446744073709551615, f: 1.5, b: true}\n");
    assert_true(u.ok);
    cel_env *e = cel_env_new(&u.a, 0);
    const char *err = NULL;
    const cel_val *v = cel_from_json(e, u.docs.docs[0], &err);
    assert_non_null(v);
    const cel_val *l = cel_map_get_str(v, "a");
    assert_int_equal(l->list.n, 5);
    assert_true(l->list.items[0]->u == UINT64_MAX);
    assert_int_equal(l->list.items[1]->str.n, 2);
    assert_int_equal(l->list.items[2]->time.sec, 1234567890 - 3600);
    assert_int_equal(l->list.items[2]->time.nsec, 500000000);
    assert_int_equal(l->list.items[3]->time.sec, 3601);
    assert_null(cel_from_json(e, u.docs.docs[1], &err));
    v = cel_from_ir(e, u.docs.docs[2]);
    assert_printed(v, false,
                   "{\"metadata\": {\"name\": \"x\", \"n\": 3, \"u\": 18446744073709551615u, "
                   "\"f\": 1.5, \"b\": true}}");
    unit_free(&u);
}

static void test_time_zones(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, 0);
    cel_civil c;
    assert_true(cel_ts_civil(e, 1234567890, 0, "-02:30", &c));
    assert_int_equal(c.hour, 21);
    assert_int_equal(c.wday, 5);
    assert_int_equal(c.yday, 43);
    if (cel_ts_civil(e, 1234567890, 0, "Australia/Sydney", &c)) { /* when tzdata is installed */
        assert_int_equal(c.day, 14);
        assert_int_equal(c.hour, 10);
    }
    assert_false(cel_ts_civil(e, 0, 0, "../etc/passwd", &c));
    ar_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_equality),       cmocka_unit_test(test_value_map_lookup),
        cmocka_unit_test(test_value_print_and_json), cmocka_unit_test(test_value_from_json_and_ir),
        cmocka_unit_test(test_time_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
