/* CEL tests: the value model (equality, map lookup, printing, JSON), the parser (precedence,
 * escapes, errors with positions, nesting limit) and the evaluator (overflow, macros,
 * optionals, cost limit). */
#include <math.h>

#include "unit.h"
#include "cli/cli.h"
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
    /* after the file's last transition the footer's POSIX rule applies (EST5EDT,M3.2.0,M11.1.0):
     * 2100-03-14 is the second Sunday of March, DST from 07:00 UTC */
    if (cel_ts_civil(e, 4108690799, 0, "America/New_York", &c)) {
        assert_int_equal(c.hour, 1);
        assert_true(cel_ts_civil(e, 4108690800, 0, "America/New_York", &c));
        assert_int_equal(c.hour, 3);
    }
    assert_false(cel_ts_civil(e, 0, 0, "../etc/passwd", &c));
    ar_free(&a);
}

/* Parses and evaluates expr (cost limit `limit`, x = 7 bound); returns the result as CEL
 * syntax, "error L:C: MSG" or "parse error L:C: MSG" (malloc'd). */
static char *run_limit(const char *expr, uint64_t limit)
{
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, limit);
    cel_err err = {0};
    buf_t b = {0};
    cel_prog *p = cel_parse(e, expr, strlen(expr), &err);
    if (!p) {
        buf_printf(&b, "parse error %u:%u: %s", err.line, err.col, err.msg);
    } else {
        cel_act *act = cel_act_new(e, NULL);
        cel_act_bind(act, "x", cel_int(e, 7));
        const cel_val *v = cel_eval(e, p, act, &err);
        if (v->kind == CEL_ERROR)
            buf_printf(&b, "error %u:%u: %s", err.line, err.col, err.msg);
        else
            cel_print(&b, v);
    }
    char *r = strdup(buf_cstr(&b));
    buf_free(&b);
    ar_free(&a);
    return r;
}

static char *run(const char *expr)
{
    return run_limit(expr, 100000);
}

#define assert_cel(expr, want)                                                                     \
    do {                                                                                           \
        char *got_ = run(expr);                                                                    \
        if (strcmp(got_, want)) fail_msg("%s\n  got:  %s\n  want: %s", expr, got_, want);          \
        free(got_);                                                                                \
    } while (0)

/* prefix match, for messages */
#define assert_cel_prefix(expr, want)                                                              \
    do {                                                                                           \
        char *got_ = run(expr);                                                                    \
        if (strncmp(got_, want, strlen(want)))                                                     \
            fail_msg("%s\n  got:  %s\n  want: %s...", expr, got_, want);                           \
        free(got_);                                                                                \
    } while (0)

static void test_precedence(void **state)
{
    (void)state;
    assert_cel("1 + 2 * 3", "7");
    assert_cel("(1 + 2) * 3", "9");
    assert_cel("2 - 1 - 1", "0");
    assert_cel("8 / 2 / 2", "2");
    assert_cel("7 % 4 * 2", "6");
    assert_cel("true || false && false", "true");
    assert_cel("!true || true", "true");
    assert_cel("1 < 2 == true", "true");
    assert_cel("1 + 1 in [2]", "true");
    assert_cel("true ? 1 : false ? 2 : 3", "1");
    assert_cel("false ? 1 : false ? 2 : 3", "3");
    assert_cel("-2 * 3", "-6");
    assert_cel("--x", "7");
    assert_cel("!!!false", "true");
    assert_cel("[1, 2][1] + {'a': {'b': 4}}.a.b", "6");
    assert_cel("'ab' + 'c' < 'abd'", "true");
    assert_cel_prefix("1 + + 2", "parse error 1:5:");
    assert_cel_prefix("1 ? 2 ? 3 : 4 : 5", "parse error");
}

static void test_int_overflow(void **state)
{
    (void)state;
    assert_cel("9223372036854775807 + 1", "error 1:21: integer overflow");
    assert_cel("-9223372036854775808 - 1", "error 1:22: integer overflow");
    assert_cel("-9223372036854775808", "-9223372036854775808");
    assert_cel("-9223372036854775808 / -1", "error 1:22: integer overflow");
    assert_cel("-9223372036854775808 % -1", "error 1:22: integer overflow");
    assert_cel("-(-9223372036854775808)", "error 1:1: integer overflow");
    assert_cel("4611686018427387904 * 2", "error 1:21: integer overflow");
    assert_cel("18446744073709551615u + 1u", "error 1:23: integer overflow");
    assert_cel("0u - 1u", "error 1:4: integer overflow");
    assert_cel("18446744073709551615u", "18446744073709551615u");
    assert_cel("0xFFu", "255u");
    assert_cel_prefix("9223372036854775808", "parse error 1:1: integer literal out of range");
    assert_cel_prefix("18446744073709551616u", "parse error 1:1: integer literal out of range");
    assert_cel("1 / 0", "error 1:3: division by zero");
    assert_cel("1 % 0", "error 1:3: modulus by zero");
    assert_cel("1 + 1u", "error 1:3: no such overload: _+_(int, uint)");
    assert_cel("1 == 1u && 1 == 1.0 && 2 > 1.5 && 1u < 2", "true");
    assert_cel("int(9223372036854775807.0)", "error 1:1: range error converting to int");
    assert_cel("uint(-1)", "error 1:1: range error converting to uint");
}

static void test_macros(void **state)
{
    (void)state;
    assert_cel("[1, 2, 3].all(v, v > 0)", "true");
    assert_cel("[1, 2, 3].exists(v, v > 2)", "true");
    assert_cel("[1, 2, 3].exists_one(v, v > 1)", "false");
    assert_cel("[1, 2, 3].map(v, v * v)", "[1, 4, 9]");
    assert_cel("[1, 2, 3].map(v, v > 1, v * 10)", "[20, 30]");
    assert_cel("[1, 2, 3].filter(v, v % 2 == 1)", "[1, 3]");
    assert_cel("{'a': 1, 'b': 2}.filter(k, k != 'a')", "[\"b\"]");
    assert_cel("has({'a': 1}.a) && !has({'a': 1}.b)", "true");
    /* errors are absorbed by a deciding element, else reported */
    assert_cel("[0, 1].exists(v, 1 / v == 1)", "true");
    assert_cel("[0, 1].all(v, 1 / v == 1)", "error 1:17: division by zero");
    assert_cel("[1, 0].all(v, 1 / v == 5)", "false");
    /* two-variable forms and bind */
    assert_cel("[5, 6].all(i, v, v == i + 5)", "true");
    assert_cel("['a', 'b'].transformList(i, v, v + string(i))", "[\"a0\", \"b1\"]");
    assert_cel("{'a': 1}.transformMap(k, v, v + 1)", "{\"a\": 2}");
    assert_cel("{'a': 1}.transformMapEntry(k, v, {v: k})", "{1: \"a\"}");
    assert_cel("cel.bind(y, x * 2, y + y)", "28");
    /* the iteration variable shadows the binding, and only inside */
    assert_cel("[1].map(x, x + 1) + [x]", "[2, 7]");
    assert_cel_prefix("[1].all(1, true)", "parse error 1:9: all(): argument must be a simple name");
    assert_cel_prefix("has(x)", "parse error 1:5: invalid argument to has() macro");
}

static void test_optionals(void **state)
{
    (void)state;
    assert_cel("{'a': 1}.?b.orValue(2)", "2");
    assert_cel("{'a': 1}.?a", "optional.of(1)");
    assert_cel("[1][?3]", "optional.none()");
    assert_cel("[?optional.none(), ?optional.of(1)]", "[1]");
    assert_cel("{?'a': optional.none(), 'b': 1}", "{\"b\": 1}");
    assert_cel("optional.of({'a': {}}).a.b.hasValue()", "false");
    assert_cel("optional.of(2).optMap(v, v * 3).value()", "6");
    assert_cel("optional.none().or(optional.of(1))", "optional.of(1)");
    assert_cel("optional.ofNonZeroValue('').hasValue()", "false");
    assert_cel_prefix("optional.none().value()", "error 1:17: optional.none() dereference");
}

static void test_string_escapes(void **state)
{
    (void)state;
    assert_cel("'\\x41\\101\\u0041\\U00000041\\X41'", "\"AAAAA\"");
    assert_cel("size('\\u00ff') == 1 && size(b'\\xff') == 1 && size(b'\\377') == 1", "true");
    assert_cel("bytes('\\377') == b'\\303\\277'", "true");
    assert_cel("r'\\n' == '\\\\n'", "true");
    assert_cel("'''a'b\"c'''", "\"a'b\\\"c\"");
    assert_cel("\"\"\"x\ny\"\"\"", "\"x\\ny\"");
    assert_cel("'\\a\\b\\f\\v\\?\\`'", "\"\\x07\\x08\\x0c\\x0b?`\"");
    assert_cel("size('\xf0\x9f\x98\x80') + size(b'\xf0\x9f\x98\x80')", "5");
    assert_cel_prefix("'\\ud800'", "parse error 1:1: invalid unicode code point");
    assert_cel_prefix("b'\\u0041'", "parse error 1:1: unicode escape");
    assert_cel_prefix("'\\q'", "parse error 1:1: invalid escape sequence");
    assert_cel_prefix("'abc", "parse error 1:1: unterminated quoted string");
    assert_cel_prefix("x.while", "error 1:3: type 'int' does not support field selection");
    assert_cel_prefix("while", "parse error 1:1: reserved identifier");
}

static void test_error_positions(void **state)
{
    (void)state;
    assert_cel("1 + foo", "error 1:5: undeclared reference to 'foo'");
    assert_cel("[1, 2][5]", "error 1:7: invalid_argument: index out of range: 5 (size 2)");
    assert_cel("{'a': 1}.b", "error 1:10: no such key: 'b'");
    assert_cel_prefix("1 +\n  )", "parse error 2:3:");
    assert_cel_prefix("'\xc3\xa9' + #", "parse error 1:7: unexpected character '#'");
    assert_cel_prefix("", "parse error 1:1:");
    assert_cel_prefix("'x'.matches('(')", "error 1:5: invalid regular expression '(': missing");
    assert_cel("timestamp('2009-02-13T23:31:30Z').getHours('Mars/Base')",
               "error 1:35: unknown time zone 'Mars/Base'");
}

static void test_cost_limit(void **state)
{
    (void)state;
    const char *expr = "[1, 2, 3, 4, 5, 6, 7, 8].map(a, [1, 2, 3, 4, 5, 6, 7, 8].map(b, a * b))";
    char *r = run_limit(expr, 1000);
    assert_null(strstr(r, "error"));
    free(r);
    r = run_limit(expr, 100);
    assert_non_null(strstr(r, "cost limit exceeded (100)"));
    free(r);
    /* the cost error is never absorbed by || */
    r = run_limit("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].all(v, v > 0) || true", 10);
    assert_non_null(strstr(r, "cost limit exceeded"));
    free(r);
}

static void test_nesting_limit(void **state)
{
    (void)state;
    buf_t b = {0};
    for (int i = 0; i < 300; i++)
        buf_putc(&b, '(');
    buf_putc(&b, '1');
    for (int i = 0; i < 300; i++)
        buf_putc(&b, ')');
    char *r = run(buf_cstr(&b));
    assert_non_null(strstr(r, "nests too deeply"));
    free(r);
    b.len = 0;
    for (int i = 0; i < 50000; i++)
        buf_puts(&b, "[");
    r = run(buf_cstr(&b));
    assert_non_null(strstr(r, "nests too deeply"));
    free(r);
    b.len = 0;
    buf_putc(&b, '1');
    for (int i = 0; i < 300; i++)
        buf_puts(&b, " + 1");
    r = run(buf_cstr(&b));
    assert_non_null(strstr(r, "nests too deeply"));
    free(r);
    b.len = 0;
    buf_putc(&b, '1');
    for (int i = 0; i < 200; i++)
        buf_puts(&b, " + 1");
    r = run(buf_cstr(&b));
    assert_string_equal(r, "201");
    free(r);
    buf_free(&b);
}

static void test_names_and_times(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    cel_env *e = cel_env_new(&a, 0);
    cel_env_set_container(e, "com.example");
    cel_act *act = cel_act_new(e, NULL);
    cel_act_bind(act, "com.example.y", cel_int(e, 1));
    cel_act_bind(act, "y", cel_int(e, 2));
    cel_act_bind(act, "a.b", cel_int(e, 3));
    cel_err err;
    const char *src = "[y, .y, a.b, [10].map(y, y)[0]]";
    cel_prog *p = cel_parse(e, src, strlen(src), &err);
    assert_non_null(p);
    assert_printed(cel_eval(e, p, act, &err), false, "[1, 2, 3, 10]");
    ar_free(&a);
    assert_cel("timestamp('2009-02-13T23:31:30Z').getDayOfWeek('+11:00')", "6");
    assert_cel("duration('1h1m') + timestamp('2009-02-13T23:31:30Z')",
               "timestamp(\"2009-02-14T00:32:30Z\")");
    assert_cel("string(duration('-1.5s'))", "\"-1.5s\"");
    assert_cel_prefix("timestamp('9999-12-31T23:59:59Z') + duration('1s')",
                      "error 1:35: timestamp out of range");
    assert_cel("string(1e6) + ' ' + string(123456.0) + ' ' + string(0.0001)",
               "\"1e+06 123456 0.0001\"");
}

static void test_jsonl_protocol(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"{\"expr\": \"x + y\", \"bindings\": {\"x\": {\"int\": \"1\"}, \"y\": {\"int\": \"2\"}}}",
         "{\"value\":{\"int\":\"3\"}}\n"},
        {"{\"expr\":\"y\",\"bindings\":{\"x.y\":{\"bool\":true}},\"container\":\"x\"}",
         "{\"value\":{\"bool\":true}}\n"},
        {"{\"expr\": \"[b'\\\\xff', 1.5, 2u, null, {'k': \\\"\\u00e9\\\\n\\\"}]\", \"bindings\": "
         "{}}",
         "{\"value\":{\"list\":[{\"bytes\":\"/w==\"},{\"double\":1.5},{\"uint\":\"2\"},"
         "{\"null\":null},{\"map\":[[{\"string\":\"k\"},{\"string\":\"\xc3\xa9\\n\"}]]}]}}\n"},
        {"{\"expr\": \"has(m)\", \"bindings\": {\"m\": {\"map\": []}}, \"disable_macros\": true}",
         "{\"error\":\"undeclared reference to 'has'\"}\n"},
        {"{\"expr\": \"1 / 0\", \"bindings\": {}}", "{\"error\":\"division by zero\"}\n"},
        {"{\"expr\": \"1 +\", \"bindings\": {}}",
         "{\"error\":\"1:4: syntax error, unexpected end of file\"}\n"},
        {"{\"expr\": 1}", "{\"error\":\"request has no \\\"expr\\\" string\"}\n"},
        {"{\"expr\": \"x\", \"bindings\": {\"x\": {\"int\": \"x\"}}}",
         "{\"error\":\"binding x: int: not a 64-bit integer\"}\n"},
        {"[1,", "{\"error\":\"unexpected end of JSON\"}\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        buf_t b = {0};
        cli_cel_line(cases[i][0], strlen(cases[i][0]), &b);
        if (strcmp(buf_cstr(&b), cases[i][1]))
            fail_msg("%s\n  got:  %s  want: %s", cases[i][0], buf_cstr(&b), cases[i][1]);
        buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_value_equality),
        cmocka_unit_test(test_value_map_lookup),
        cmocka_unit_test(test_value_print_and_json),
        cmocka_unit_test(test_value_from_json_and_ir),
        cmocka_unit_test(test_time_zones),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_int_overflow),
        cmocka_unit_test(test_macros),
        cmocka_unit_test(test_optionals),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_cost_limit),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_names_and_times),
        cmocka_unit_test(test_jsonl_protocol),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
