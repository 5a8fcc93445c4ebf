/* CEL library tests: the strings extension (indices, casing, replace/split/substring/trim,
 * join, quote, format) and the Kubernetes libraries (lists, regex, sets, URLs, quantity,
 * IP/CIDR), each function called directly with a normal case and an error or edge case. */
#include <math.h>

#include "unit.h"
#include "validate/cel/cel.h"
#include "validate/cel/cel_int.h"
#include "validate/cel/cel_lib.h"

static arena t_arena;
static cel_env *E;

static int setup(void **state)
{
    (void)state;
    ar_init(&t_arena);
    E = cel_env_new(&t_arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ar_free(&t_arena);
    return 0;
}

/* ---- value shorthands ---- */

static const cel_val *S(const char *s)
{
    return cel_string(E, s, strlen(s));
}

static const cel_val *I(int64_t i)
{
    return cel_int(E, i);
}

static const cel_val *U(uint64_t u)
{
    return cel_uint(E, u);
}

static const cel_val *D(double d)
{
    return cel_double(E, d);
}

static const cel_val *B(bool b)
{
    return cel_bool(b);
}

static const cel_val *BY(const char *s)
{
    return cel_bytes(E, s, strlen(s));
}

#define LIST(...)                                                                                  \
    mk_list((const cel_val *[]){__VA_ARGS__},                                                      \
            sizeof((const cel_val *[]){__VA_ARGS__}) / sizeof(const cel_val *))
#define EMPTY_LIST cel_list(E, NULL, 0)

static const cel_val *mk_list(const cel_val **items, size_t n)
{
    cel_val **it = ar_alloc(&t_arena, n * sizeof *it);
    for (size_t i = 0; i < n; i++)
        it[i] = (cel_val *)items[i];
    return cel_list(E, it, n);
}

static const cel_val *map2(const cel_val *k1, const cel_val *v1, const cel_val *k2,
                           const cel_val *v2)
{
    cel_val **k = ar_alloc(&t_arena, 2 * sizeof *k), **v = ar_alloc(&t_arena, 2 * sizeof *v);
    k[0] = (cel_val *)k1, v[0] = (cel_val *)v1, k[1] = (cel_val *)k2, v[1] = (cel_val *)v2;
    return cel_map(E, k, v, 2);
}

#define CALL(fn, ...)                                                                              \
    fn(E, (const cel_val *const[]){__VA_ARGS__},                                                   \
       sizeof((const cel_val *[]){__VA_ARGS__}) / sizeof(const cel_val *))

/* The printed form of a result: CEL syntax, or "error: msg". */
static char *shown(const cel_val *v)
{
    buf_t b = {0};
    if (v->kind == CEL_ERROR)
        buf_printf(&b, "error: %s", v->err.msg);
    else
        cel_print(&b, v);
    char *r = strdup(buf_cstr(&b));
    buf_free(&b);
    return r;
}

#define EXPECT(v, want)                                                                            \
    do {                                                                                           \
        char *got_ = shown(v);                                                                     \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

/* An error whose message starts with `prefix`. */
#define EXPECT_ERR(v, prefix)                                                                      \
    do {                                                                                           \
        const cel_val *v_ = (v);                                                                   \
        assert_int_equal(v_->kind, CEL_ERROR);                                                     \
        if (strncmp(v_->err.msg, prefix, strlen(prefix)) != 0) fail_msg("%s", v_->err.msg);        \
    } while (0)

/* ---- strings extension ---- */

static void test_char_at_index_of(void **state)
{
    (void)state;
    EXPECT(CALL(cel_str_char_at, S("tacocat"), I(3)), "\"o\"");
    EXPECT(CALL(cel_str_char_at, S("tacocat"), I(7)), "\"\"");
    EXPECT(CALL(cel_str_char_at, S("©αT"), I(1)), "\"α\"");
    EXPECT(CALL(cel_str_char_at, S("tacocat"), I(30)), "error: index out of range: 30");
    /* an invalid byte counts as one code point and reads as U+FFFD, as in Go */
    assert_string_equal(CALL(cel_str_char_at,
                             cel_string(E,
                                        "a\xff"
                                        "b",
                                        3),
                             I(1))
                            ->str.s,
                        "\ufffd");
    assert_string_equal(CALL(cel_str_char_at,
                             cel_string(E,
                                        "a\xff"
                                        "b",
                                        3),
                             I(2))
                            ->str.s,
                        "b");
    assert_string_equal(CALL(cel_str_substring,
                             cel_string(E,
                                        "a\xff"
                                        "b",
                                        3),
                             I(1))
                            ->str.s,
                        "\ufffdb");
    EXPECT_ERR(CALL(cel_str_char_at, S("x"), B(true)), "no such overload");
    EXPECT(CALL(cel_str_index_of, S("tacocat"), S("")), "0");
    EXPECT(CALL(cel_str_index_of, S("tacocat"), S("ac")), "1");
    EXPECT(CALL(cel_str_index_of, S("tacocat"), S("none")), "-1");
    EXPECT(CALL(cel_str_index_of, S("tacocat"), S("a"), I(3)), "5");
    EXPECT(CALL(cel_str_index_of, S("ta©o©αT"), S("©αT"), I(3)), "4");
    EXPECT(CALL(cel_str_index_of, S("ta©o©αT"), S("©α"), I(5)), "-1");
    EXPECT(CALL(cel_str_index_of, S("tacocat"), S(""), I(3)), "3");
    EXPECT(CALL(cel_str_index_of, S("tacocat"), S("a"), I(30)), "error: index out of range: 30");
    EXPECT(CALL(cel_str_index_of, S("tacocat"), S("a"), I(-1)), "error: index out of range: -1");
    EXPECT_ERR(CALL(cel_str_index_of, S("42"), I(4), I(0)), "no such overload");
    EXPECT_ERR(CALL(cel_str_index_of, I(42), S("4")), "no such overload");
    EXPECT(CALL(cel_str_last_index_of, S(""), S("@@")), "-1");
    EXPECT(CALL(cel_str_last_index_of, S("tacocat"), S("")), "7");
    EXPECT(CALL(cel_str_last_index_of, S("tacocat"), S("at")), "5");
    EXPECT(CALL(cel_str_last_index_of, S("tacocat"), S("a"), I(3)), "1");
    EXPECT(CALL(cel_str_last_index_of, S("ta©o©αT"), S("©"), I(3)), "2");
    EXPECT(CALL(cel_str_last_index_of, S("bananananana"), S("nana"), I(7)), "6");
    EXPECT(CALL(cel_str_last_index_of, S("tacocat"), S("a"), I(-1)),
           "error: index out of range: -1");
    EXPECT(CALL(cel_str_last_index_of, S("tacocat"), S("a"), I(30)),
           "error: index out of range: 30");
    /* list receivers (Kubernetes lists library) */
    EXPECT(CALL(cel_str_index_of, LIST(I(1), I(2), I(2)), D(2.0)), "1");
    EXPECT(CALL(cel_str_last_index_of, LIST(I(1), I(2), I(2)), I(2)), "2");
    EXPECT(CALL(cel_str_last_index_of, LIST(I(1)), S("x")), "-1");
}

static void test_case_replace_split(void **state)
{
    (void)state;
    EXPECT(CALL(cel_str_lower_ascii, S("TacoCÆt Xii")), "\"tacocÆt xii\"");
    EXPECT(CALL(cel_str_upper_ascii, S("tacoCαt")), "\"TACOCαT\"");
    EXPECT_ERR(CALL(cel_str_upper_ascii, I(1)), "no such overload");
    EXPECT(CALL(cel_str_replace, S("{0} days {0} hours"), S("{0}"), S("2")), "\"2 days 2 hours\"");
    EXPECT(CALL(cel_str_replace, S("{0} days {0} hours"), S("{0}"), S("2"), I(1)),
           "\"2 days {0} hours\"");
    EXPECT(CALL(cel_str_replace, S("abc"), S("b"), S("x"), I(0)), "\"abc\"");
    EXPECT(CALL(cel_str_replace, S("ab"), S(""), S("-")), "\"-a-b-\"");
    EXPECT(CALL(cel_str_replace, S("ab"), S(""), S("-"), I(2)), "\"-a-b\"");
    EXPECT(CALL(cel_str_replace, S("1 ©αT taco"), S("αT"), S("o©α")), "\"1 ©o©α taco\"");
    EXPECT_ERR(CALL(cel_str_replace, S("42"), S("2"), S("1"), S("1")), "no such overload");
    EXPECT(CALL(cel_str_split, S("hello world"), S(" ")), "[\"hello\", \"world\"]");
    EXPECT(CALL(cel_str_split, S("a b c"), S(" "), I(0)), "[]");
    EXPECT(CALL(cel_str_split, S("a b c"), S(" "), I(1)), "[\"a b c\"]");
    EXPECT(CALL(cel_str_split, S("a b c"), S(" "), I(2)), "[\"a\", \"b c\"]");
    EXPECT(CALL(cel_str_split, S("o©o©o"), S("©"), I(-1)), "[\"o\", \"o\", \"o\"]");
    EXPECT(CALL(cel_str_split, S("a©b"), S("")), "[\"a\", \"©\", \"b\"]");
    EXPECT(CALL(cel_str_split, S("abc"), S(""), I(2)), "[\"a\", \"bc\"]");
    EXPECT(CALL(cel_str_split, S(""), S(",")), "[\"\"]");
    EXPECT(CALL(cel_str_split, S(""), S("")), "[]");
    EXPECT_ERR(CALL(cel_str_split, S("42"), I(2)), "no such overload");
}

static void test_substring_trim_reverse_join(void **state)
{
    (void)state;
    EXPECT(CALL(cel_str_substring, S("tacocat"), I(4)), "\"cat\"");
    EXPECT(CALL(cel_str_substring, S("tacocat"), I(7)), "\"\"");
    EXPECT(CALL(cel_str_substring, S("ta©o©αT"), I(2), I(6)), "\"©o©α\"");
    EXPECT(CALL(cel_str_substring, S("tacocat"), I(40)), "error: index out of range: 40");
    EXPECT(CALL(cel_str_substring, S("tacocat"), I(-1)), "error: index out of range: -1");
    EXPECT(CALL(cel_str_substring, S("tacocat"), I(1), I(50)), "error: index out of range: 50");
    EXPECT(CALL(cel_str_substring, S("tacocat"), I(49), I(50)), "error: index out of range: 49");
    EXPECT(CALL(cel_str_substring, S("tacocat"), I(4), I(3)),
           "error: invalid substring range. start: 4, end: 3");
    EXPECT_ERR(CALL(cel_str_substring, S("tacocat"), B(true), I(3)), "no such overload");
    EXPECT(CALL(cel_str_trim, S(" \f\n\r\t\vtext  ")), "\"text\"");
    EXPECT(
        CALL(cel_str_trim, S("\xc2\x85\u00a0\u1680text\u2000\u200a\u2028\u2029\u202F\u205F\u3000")),
        "\"text\"");
    /* U+180E, zero widths and the BOM are not white space */
    EXPECT(CALL(cel_str_trim, S("\u180etext\u200b\ufeff")), "\"\u180etext\u200b\ufeff\"");
    EXPECT(CALL(cel_str_trim, S("   ")), "\"\"");
    EXPECT(CALL(cel_str_reverse, S("Ta©oCαt")), "\"tαCo©aT\"");
    EXPECT(CALL(cel_str_reverse, S("")), "\"\"");
    EXPECT(CALL(cel_str_join, LIST(S("x"), S("y"))), "\"xy\"");
    EXPECT(CALL(cel_str_join, LIST(S("x"), S("y")), S("-")), "\"x-y\"");
    EXPECT(CALL(cel_str_join, EMPTY_LIST, S("-")), "\"\"");
    EXPECT(CALL(cel_str_join, LIST(S("x"), I(1))), "error: join: invalid input: 1");
    EXPECT_ERR(CALL(cel_str_join, S("x")), "no such overload");
}

static void test_quote(void **state)
{
    (void)state;
    EXPECT(CALL(cel_str_quote, S("first\nsecond")), "\"\\\"first\\\\nsecond\\\"\"");
    const cel_val *q = CALL(cel_str_quote, S("a\a\b\f\r\t\v\\\"z😀"));
    assert_int_equal(q->kind, CEL_STRING);
    assert_string_equal(q->str.s, "\"a\\a\\b\\f\\r\\t\\v\\\\\\\"z😀\"");
    q = CALL(cel_str_quote, cel_string(E, "x\xffy", 3));
    assert_string_equal(q->str.s, "\"x\xef\xbf\xbdy\"");
    assert_string_equal(CALL(cel_str_quote, S(""))->str.s, "\"\"");
    EXPECT_ERR(CALL(cel_str_quote, I(1)), "no such overload");
}

static const char *fmt1(const char *f, const cel_val *arg)
{
    const cel_val *v = CALL(cel_str_format, S(f), LIST(arg));
    if (v->kind == CEL_ERROR) return ar_printf(&t_arena, "error: %s", v->err.msg);
    assert_int_equal(v->kind, CEL_STRING);
    return v->str.s;
}

static void test_format(void **state)
{
    (void)state;
    EXPECT(CALL(cel_str_format, S("no substitution"), EMPTY_LIST), "\"no substitution\"");
    EXPECT(CALL(cel_str_format, S("%%%s%%"), LIST(S("text"))), "\"%text%\"");
    EXPECT(CALL(cel_str_format, S("%d %s %d"), LIST(I(1), S("A"), U(2))), "\"1 A 2\"");
    assert_string_equal(fmt1("%.3f", D(1.2345)), "1.234");
    assert_string_equal(fmt1("%.0f", D(2.5)), "2");
    assert_string_equal(fmt1("%.0f", D(3.5001)), "4");
    assert_string_equal(fmt1("%.5f", D(-1.2)), "-1.20000");
    assert_string_equal(fmt1("%f", I(2)), "2.000000");
    assert_string_equal(fmt1("%f", U(3)), "3.000000");
    assert_string_equal(fmt1("%e", D(2.71828)), "2.718280e+00");
    assert_string_equal(fmt1("%.6e", D(1052.032911275)), "1.052033e+03");
    assert_string_equal(fmt1("%e", D(-INFINITY)), "-Infinity");
    assert_string_equal(fmt1("%f", D(NAN)), "NaN");
    assert_string_equal(fmt1("%d", D(INFINITY)), "Infinity");
    assert_string_equal(fmt1("%d", D(4.5)), "4.5");
    assert_string_equal(fmt1("%b", I(5)), "101");
    assert_string_equal(fmt1("%b", I(-5)), "-101");
    assert_string_equal(fmt1("%b", B(true)), "1");
    assert_string_equal(fmt1("%o", U(65535)), "177777");
    assert_string_equal(fmt1("%x", I(30)), "1e");
    assert_string_equal(fmt1("%X", I(-30)), "-1E");
    assert_string_equal(fmt1("%x", S("Hello world!")), "48656c6c6f20776f726c6421");
    assert_string_equal(fmt1("%X", BY("byte string")), "6279746520737472696E67");
    assert_string_equal(fmt1("%s", cel_null()), "null");
    assert_string_equal(fmt1("%s", I(999999999999)), "999999999999");
    assert_string_equal(fmt1("%s", D(56.8)), "56.8");
    assert_string_equal(fmt1("%s", D(1e21)), "1000000000000000000000");
    assert_string_equal(fmt1("%s", D(1e-7)), "0.0000001");
    assert_string_equal(fmt1("%s", BY("xyz")), "xyz");
    assert_string_equal(fmt1("%s", cel_type(E, "string")), "string");
    assert_string_equal(fmt1("%s", cel_timestamp(E, 1675467080, 0)), "2023-02-03T23:31:20Z");
    assert_string_equal(fmt1("%s", cel_timestamp(E, 0, 500000000)), "1970-01-01T00:00:00.5Z");
    assert_string_equal(fmt1("%s", cel_duration(E, 6347, 0)), "6347s");
    assert_string_equal(fmt1("%s", cel_duration(E, 1, 500000000)), "1.5s");
    assert_string_equal(fmt1("%s", LIST(S("abc"), D(3.14), cel_null(), LIST(I(9), I(8)))),
                        "[abc, 3.14, null, [9, 8]]");
    assert_string_equal(fmt1("%s", map2(S("strKey"), S("x"), I(6), cel_duration(E, 422, 0))),
                        "{6: 422s, strKey: x}");
    assert_string_equal(fmt1("%s", LIST(D(NAN), D(INFINITY), D(-INFINITY))),
                        "[NaN, Infinity, -Infinity]");
    /* errors */
    assert_string_equal(fmt1("%a", I(1)), "error: could not parse formatting clause: "
                                          "unrecognized formatting clause \"a\"");
    EXPECT(CALL(cel_str_format, S("%d %d %d"), LIST(I(0), I(1))), "error: index 2 out of range");
    assert_string_equal(fmt1("%b", S("abc")),
                        "error: error during formatting: only ints, uints, and bools can be "
                        "formatted as binary, was given string");
    assert_string_equal(fmt1("%d", cel_duration(E, 1, 0)),
                        "error: error during formatting: decimal clause can only be used on "
                        "ints, uints, and doubles, was given google.protobuf.Duration");
    assert_string_equal(fmt1("%o", S("a")), "error: error during formatting: octal clause can "
                                            "only be used on ints and uints, was given string");
    assert_string_equal(fmt1("%x", D(0.5)), "error: error during formatting: only ints, uints, "
                                            "bytes, and strings can be formatted as hex, was "
                                            "given double");
    assert_string_equal(fmt1("%e", cel_null()), "error: error during formatting: scientific "
                                                "clause can only be used on ints, uints, and "
                                                "doubles, was given null_type");
    assert_string_equal(fmt1("%f", cel_null()), "error: error during formatting: fixed-point "
                                                "clause can only be used on ints, uints, and "
                                                "doubles, was given null_type");
    assert_string_equal(fmt1("%E", D(0.5)), "error: could not parse formatting clause: "
                                            "unrecognized formatting clause \"E\"");
    EXPECT_ERR(CALL(cel_str_format, S("%.101f"), LIST(D(1))), "could not parse formatting clause");
    EXPECT_ERR(CALL(cel_str_format, S("%.3"), LIST(D(1))), "could not parse formatting clause");
    EXPECT(CALL(cel_str_format, S("x%"), LIST(I(1))), "error: unexpected end of string");
    EXPECT_ERR(CALL(cel_str_format, S("%s"), LIST(cel_optional(E, NULL))),
               "error during formatting: string clause");
    EXPECT_ERR(CALL(cel_str_format, S("%s"), I(1)), "no such overload");
}

/* ---- Kubernetes lists, regex, sets ---- */

static void test_lists(void **state)
{
    (void)state;
    EXPECT(CALL(cel_k8s_is_sorted, LIST(I(1), I(2), I(2), I(3))), "true");
    EXPECT(CALL(cel_k8s_is_sorted, LIST(S("b"), S("a"))), "false");
    EXPECT(CALL(cel_k8s_is_sorted, EMPTY_LIST), "true");
    EXPECT_ERR(CALL(cel_k8s_is_sorted, LIST(LIST(I(1)))), "no such overload");
    EXPECT(CALL(cel_k8s_sum, LIST(I(1), I(2), I(3))), "6");
    EXPECT(CALL(cel_k8s_sum, LIST(U(1), U(2))), "3u");
    EXPECT(CALL(cel_k8s_sum, LIST(D(1.5), D(2.25))), "3.75");
    EXPECT(CALL(cel_k8s_sum, LIST(cel_duration(E, 1, 600000000), cel_duration(E, 2, 500000000))),
           "duration(\"4.1s\")");
    EXPECT(CALL(cel_k8s_sum, EMPTY_LIST), "0");
    EXPECT(CALL(cel_k8s_sum, LIST(I(INT64_MAX), I(1))), "error: integer overflow");
    EXPECT_ERR(CALL(cel_k8s_sum, LIST(S("a"))), "no such overload");
    EXPECT(CALL(cel_k8s_min, LIST(I(3), I(1), I(2))), "1");
    EXPECT(CALL(cel_k8s_max, LIST(S("a"), S("c"), S("b"))), "\"c\"");
    EXPECT(CALL(cel_k8s_max, LIST(I(1), D(2.5), U(2))), "2.5");
    EXPECT(CALL(cel_k8s_min, EMPTY_LIST), "error: min called on empty list");
    EXPECT(CALL(cel_k8s_max, EMPTY_LIST), "error: max called on empty list");
    EXPECT_ERR(CALL(cel_k8s_max, LIST(I(1), S("a"))), "no such overload");
    EXPECT(CALL(cel_k8s_list_index_of, LIST(S("a"), S("b")), S("b")), "1");
    EXPECT(CALL(cel_k8s_list_index_of, EMPTY_LIST, S("b")), "-1");
}

static void test_regex_and_sets(void **state)
{
    (void)state;
    EXPECT(CALL(cel_k8s_find, S("abc 123"), S("[0-9]+")), "\"123\"");
    EXPECT(CALL(cel_k8s_find, S("abc"), S("[0-9]+")), "\"\"");
    EXPECT_ERR(CALL(cel_k8s_find, S("abc"), S("[")), "Illegal regex");
    EXPECT(CALL(cel_k8s_find_all, S("123 abc 456"), S("[0-9]+")), "[\"123\", \"456\"]");
    EXPECT(CALL(cel_k8s_find_all, S("123 abc 456"), S("[0-9]+"), I(1)), "[\"123\"]");
    EXPECT(CALL(cel_k8s_find_all, S("123"), S("[0-9]"), I(0)), "[]");
    EXPECT(CALL(cel_k8s_find_all, S("abc"), S("x*")), "[\"\", \"\", \"\", \"\"]");
    EXPECT(CALL(cel_k8s_find_all, S("axxb"), S("x*")), "[\"\", \"xx\", \"\"]");
    EXPECT(CALL(cel_k8s_find_all, S("αβ"), S("")), "[\"\", \"\", \"\"]");
    EXPECT_ERR(CALL(cel_k8s_find_all, S("abc"), S("(")), "Illegal regex");
    /* RE2 semantics: $ only at the very end, \\d and \\w ASCII only */
    EXPECT(CALL(cel_k8s_find, S("a\n"), S("a$")), "\"\"");
    EXPECT(CALL(cel_k8s_find_all, S("١2x_é"), S("\\d|\\w")), "[\"2\", \"x\", \"_\"]");
    /* catastrophic backtracking is cut off with an error, not a hang */
    EXPECT_ERR(
        CALL(cel_k8s_find, S("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"), S("(a+)+$")),
        "regular expression match failed");
    EXPECT(CALL(cel_k8s_sets_contains, LIST(I(1), I(2)), LIST(D(2.0))), "true");
    EXPECT(CALL(cel_k8s_sets_contains, LIST(I(1)), LIST(I(1), I(3))), "false");
    EXPECT(CALL(cel_k8s_sets_contains, EMPTY_LIST, EMPTY_LIST), "true");
    EXPECT(CALL(cel_k8s_sets_equivalent, LIST(I(1), I(2), I(2)), LIST(U(2), I(1))), "true");
    EXPECT(CALL(cel_k8s_sets_equivalent, LIST(I(1)), LIST(I(1), I(2))), "false");
    EXPECT(CALL(cel_k8s_sets_intersects, LIST(S("a"), S("b")), LIST(S("c"), S("b"))), "true");
    EXPECT(CALL(cel_k8s_sets_intersects, LIST(S("a")), EMPTY_LIST), "false");
    EXPECT_ERR(CALL(cel_k8s_sets_contains, LIST(I(1)), I(1)), "no such overload");
}

/* ---- URLs ---- */

static const char *url_get(const char *u,
                           const cel_val *(*fn)(cel_env *, const cel_val *const *, size_t))
{
    const cel_val *v = CALL(cel_k8s_url, S(u));
    if (v->kind == CEL_ERROR) return "error";
    const cel_val *r = CALL(fn, v);
    return r->kind == CEL_STRING ? r->str.s : "?";
}

static void test_urls(void **state)
{
    (void)state;
    const char *u = "https://user:pw@Example.com:8443/a%20b/c?x=1&y=2&x=3#frag";
    assert_string_equal(url_get(u, cel_k8s_get_scheme), "https");
    assert_string_equal(url_get(u, cel_k8s_get_host), "Example.com:8443");
    assert_string_equal(url_get(u, cel_k8s_get_hostname), "Example.com");
    assert_string_equal(url_get(u, cel_k8s_get_port), "8443");
    assert_string_equal(url_get(u, cel_k8s_get_escaped_path), "/a%20b/c");
    assert_string_equal(url_get("HTTP://[::1]:80/x y", cel_k8s_get_scheme), "http");
    assert_string_equal(url_get("http://[::1]:80/x y", cel_k8s_get_hostname), "::1");
    assert_string_equal(url_get("http://[::1]:80/x y", cel_k8s_get_escaped_path), "/x%20y");
    assert_string_equal(url_get("http://[::1]/", cel_k8s_get_port), "");
    assert_string_equal(url_get("/just/a/path", cel_k8s_get_escaped_path), "/just/a/path");
    assert_string_equal(url_get("/just/a/path", cel_k8s_get_host), "");
    /* the host is percent-decoded as Go's parseHost does; zones in brackets keep "%" */
    assert_string_equal(url_get("http://ex%C3%A4mple.com:1/", cel_k8s_get_host), "exämple.com:1");
    assert_string_equal(url_get("http://[fe80::1%25en0]:8080/", cel_k8s_get_hostname),
                        "fe80::1%en0");
    assert_string_equal(url_get("http://ex%41mple.com/", cel_k8s_get_host), "error");
    assert_string_equal(url_get("http://üser@x/", cel_k8s_get_host), "error");
    EXPECT(CALL(cel_k8s_get_query, CALL(cel_k8s_url, S(u))),
           "{\"x\": [\"1\", \"3\"], \"y\": [\"2\"]}");
    EXPECT(CALL(cel_k8s_get_query, CALL(cel_k8s_url, S("https://a/?k=a+b%21&bad=%zz&e"))),
           "{\"k\": [\"a b!\"], \"e\": [\"\"]}");
    EXPECT(CALL(cel_k8s_is_url, S("https://example.com/")), "true");
    EXPECT(CALL(cel_k8s_is_url, S("/relative")), "true");
    EXPECT(CALL(cel_k8s_is_url, S("mailto:x@y")), "true");
    EXPECT(CALL(cel_k8s_is_url, S("relative/path")), "false");
    EXPECT(CALL(cel_k8s_is_url, S("")), "false");
    EXPECT(CALL(cel_k8s_is_url, S("https://ex ample.com/")), "false");
    EXPECT(CALL(cel_k8s_is_url, S("http://a:port/")), "false");
    EXPECT(CALL(cel_k8s_is_url, S("http://a/%zz")), "false");
    EXPECT(CALL(cel_k8s_is_url, S("://x")), "false");
    EXPECT_ERR(CALL(cel_k8s_url, S("not a url")), "URL parse error during conversion");
    EXPECT_ERR(CALL(cel_k8s_get_host, S("https://x")), "no such overload");
    const cel_val *a = CALL(cel_k8s_url, S("https://x/y")),
                  *b = CALL(cel_k8s_url, S("HTTPS://x/y"));
    assert_true(cel_equal(a, b));
    assert_string_equal(cel_type_name(a), "kubernetes.URL");
    EXPECT(a, "url(\"https://x/y\")");
}

/* ---- quantity ---- */

static const char *qtext(const char *s)
{
    const cel_val *v = CALL(cel_k8s_quantity, S(s));
    if (v->kind == CEL_ERROR) return ar_printf(&t_arena, "error: %s", v->err.msg);
    return cel_k8s_quantity_text(E, v);
}

static const cel_val *Q(const char *s)
{
    return CALL(cel_k8s_quantity, S(s));
}

static void test_quantity_parse_print(void **state)
{
    (void)state;
    assert_string_equal(qtext("12Mi"), "12Mi");
    assert_string_equal(qtext("1536Ki"), "1536Ki");
    assert_string_equal(qtext("1024Ki"), "1Mi");
    assert_string_equal(qtext("1.5Ki"), "1536");
    assert_string_equal(qtext("0.5Ki"), "512");
    assert_string_equal(qtext("1000"), "1k");
    assert_string_equal(qtext("1500m"), "1500m");
    assert_string_equal(qtext("1.5"), "1500m");
    assert_string_equal(qtext("0.1"), "100m");
    assert_string_equal(qtext("100M"), "100M");
    assert_string_equal(qtext("1e3"), "1e3");
    assert_string_equal(qtext("1E6"), "1e6");
    assert_string_equal(qtext("12e-1"), "1200e-3");
    assert_string_equal(qtext("0"), "0");
    assert_string_equal(qtext("-0"), "0");
    assert_string_equal(qtext("-100Mi"), "-100Mi");
    assert_string_equal(qtext("+5"), "5");
    assert_string_equal(qtext("0.0000000001"), "1n");
    assert_string_equal(qtext("-0.0000000001"), "-1n");
    assert_string_equal(qtext("1E"), "1E");
    assert_string_equal(qtext("16Ei"), "9223372036854775807"); /* BinarySI clamps to 2^63-1 */
    assert_string_equal(qtext("9999999999999999999999999999999999999"),
                        "9999999999999999999999999999999999999");
    assert_string_equal(qtext("10Mo"), "error: quantities must match the regular expression "
                                       "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assert_string_equal(qtext("10Mm"), "error: unable to parse quantity's suffix");
    assert_string_equal(qtext(""), "error: quantities must match the regular expression "
                                   "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assert_string_equal(qtext("1e"), "error: unable to parse quantity's suffix");
    assert_string_equal(qtext("abc"), "error: quantities must match the regular expression "
                                      "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    EXPECT(CALL(cel_k8s_is_quantity, S("20Mi")), "true");
    EXPECT(CALL(cel_k8s_is_quantity, S("20Mo")), "false");
    EXPECT_ERR(CALL(cel_k8s_is_quantity, I(20)), "no such overload");
    EXPECT(Q("1Gi"), "quantity(\"1Gi\")");
    assert_string_equal(cel_type_name(Q("1")), "kubernetes.Quantity");
}

static void test_quantity_math(void **state)
{
    (void)state;
    assert_true(cel_equal(Q("200M"), Q("0.2G")));
    assert_true(cel_equal(Q("2000k"), Q("2M")));
    assert_false(cel_equal(Q("200M"), Q("0.3G")));
    EXPECT(CALL(cel_k8s_q_is_less_than, Q("50M"), Q("50Mi")), "true");
    EXPECT(CALL(cel_k8s_q_is_greater_than, Q("50Mi"), Q("50M")), "true");
    EXPECT(CALL(cel_k8s_q_is_greater_than, Q("50M"), Q("100M")), "false");
    EXPECT(CALL(cel_k8s_q_compare_to, Q("200M"), Q("0.2G")), "0");
    EXPECT(CALL(cel_k8s_q_compare_to, Q("50M"), Q("50Mi")), "-1");
    EXPECT(CALL(cel_k8s_q_compare_to, Q("-1"), Q("-2")), "1");
    EXPECT_ERR(CALL(cel_k8s_q_compare_to, Q("1"), I(1)), "no such overload");
    assert_true(cel_equal(CALL(cel_k8s_q_add, Q("50k"), Q("20")), Q("50.02k")));
    assert_true(cel_equal(CALL(cel_k8s_q_sub, Q("50k"), I(20)), Q("49980")));
    EXPECT(
        CALL(cel_k8s_q_as_integer,
             CALL(cel_k8s_q_sub,
                  CALL(cel_k8s_q_sub, CALL(cel_k8s_q_add, Q("50k"), I(20)), Q("100k")), I(-50000))),
        "20");
    EXPECT(CALL(cel_k8s_q_as_integer, Q("50k")), "50000");
    EXPECT(CALL(cel_k8s_q_as_integer, Q("9999999999999999999999999999999999999G")),
           "error: cannot convert value to integer");
    EXPECT(CALL(cel_k8s_q_as_integer, Q("1000m")), "error: cannot convert value to integer");
    EXPECT(CALL(cel_k8s_q_as_integer, Q("10E")), "error: cannot convert value to integer");
    EXPECT(CALL(cel_k8s_q_as_integer, Q("9E")), "9000000000000000000");
    EXPECT(CALL(cel_k8s_q_is_integer, Q("50")), "true");
    EXPECT(CALL(cel_k8s_q_is_integer, Q("1.5Ki")), "false"); /* Go keeps it arbitrary-precision */
    EXPECT(CALL(cel_k8s_q_as_approximate_float, Q("50.703k")), "50703.0");
    EXPECT(CALL(cel_k8s_q_as_approximate_float, Q("1Mi")), "1048576.0");
    EXPECT(CALL(cel_k8s_q_as_approximate_float, Q("1m")), "0.001");
    EXPECT(CALL(cel_k8s_q_sign, Q("-5")), "-1");
    EXPECT(CALL(cel_k8s_q_sign, Q("0")), "0");
    EXPECT(CALL(cel_k8s_q_sign, Q("5Gi")), "1");
    EXPECT_ERR(CALL(cel_k8s_q_sign, I(5)), "no such overload");
    /* int64 overflow moves to arbitrary precision, exactly */
    const cel_val *big = CALL(cel_k8s_q_add, Q("9E"), Q("9E"));
    assert_string_equal(cel_k8s_quantity_text(E, big), "18E");
    EXPECT(CALL(cel_k8s_q_is_integer, big), "false");
    const cel_val *x = Q("9999999999999999999999999999999999999");
    EXPECT(
        CALL(cel_k8s_q_compare_to, CALL(cel_k8s_q_add, x, Q("1")), CALL(cel_k8s_q_add, x, Q("2"))),
        "-1");
    assert_string_equal(cel_k8s_quantity_text(E, CALL(cel_k8s_q_sub, Q("1Ki"), Q("1Ki"))), "0");
    /* huge exponents stay exact and cheap (whole zero limbs are skipped) */
    assert_string_equal(qtext("1e99999"), "1e99999");
    const char *sum = cel_k8s_quantity_text(E, CALL(cel_k8s_q_add, Q("1e99999"), Q("1e-99999")));
    assert_int_equal(strlen(sum), 100012); /* 1, 100007 zeros, 1, "e-9" (1e-99999 -> 1e-9) */
    assert_string_equal(sum + 100007, "01e-9");
    EXPECT(CALL(cel_k8s_q_compare_to, Q("1e99999"), Q("1e99998")), "1");
    EXPECT(CALL(cel_k8s_quantity, S("1e100001")),
           "error: quantity exponent out of the supported range");
    assert_string_equal(cel_k8s_quantity_text(E, CALL(cel_k8s_q_add, Q("1Ki"), Q("1Ki"))), "2Ki");
    assert_string_equal(cel_k8s_quantity_text(E, CALL(cel_k8s_q_add, Q("0"), Q("1Ki"))), "1Ki");
}

/* ---- IP and CIDR ---- */

static const char *net_text(const cel_val *v)
{
    if (v->kind == CEL_ERROR) return ar_printf(&t_arena, "error: %s", v->err.msg);
    const cel_val *s = CALL(cel_k8s_net_string, v);
    return s->kind == CEL_STRING ? s->str.s : "?";
}

static void test_ip(void **state)
{
    (void)state;
    assert_string_equal(net_text(CALL(cel_k8s_ip, S("192.168.0.1"))), "192.168.0.1");
    assert_string_equal(net_text(CALL(cel_k8s_ip, S("2001:DB8:0:0:0:0:0:1"))), "2001:db8::1");
    assert_string_equal(net_text(CALL(cel_k8s_ip, S("1:0:0:2:0:0:0:3"))), "1:0:0:2::3");
    assert_string_equal(net_text(CALL(cel_k8s_ip, S("1:0:0:2:0:0:3:4"))), "1::2:0:0:3:4");
    assert_string_equal(net_text(CALL(cel_k8s_ip, S("::"))), "::");
    assert_string_equal(net_text(CALL(cel_k8s_ip, S("::1.2.3.4"))), "::102:304");
    assert_string_equal(net_text(CALL(cel_k8s_ip, S("1::"))), "1::");
    EXPECT_ERR(CALL(cel_k8s_ip, S("192.168.0.01")), "IP Address \"192.168.0.01\" parse error");
    /* Go's parseAddrError text, "(at ...)" included (as Kubernetes' own tests expect) */
    EXPECT(CALL(cel_k8s_ip, S("2001:db8:::68")),
           "error: IP Address \"2001:db8:::68\" parse error during conversion from string: "
           "ParseAddr(\"2001:db8:::68\"): each colon-separated field must have at least one digit "
           "(at \":68\")");
    EXPECT(CALL(cel_k8s_ip, S("192.168.0.1.0")),
           "error: IP Address \"192.168.0.1.0\" parse error during conversion from string: "
           "ParseAddr(\"192.168.0.1.0\"): IPv4 address too long");
    EXPECT(CALL(cel_k8s_cidr, S("192.168.0.0/")),
           "error: network address parse error during conversion from string: network address "
           "parse error during conversion from string: netip.ParsePrefix(\"192.168.0.0/\"): bad "
           "bits after slash: \"\"");
    EXPECT_ERR(CALL(cel_k8s_ip, S("256.1.1.1")), "IP Address");
    EXPECT_ERR(CALL(cel_k8s_ip, S("1.2.3")), "IP Address");
    EXPECT_ERR(CALL(cel_k8s_ip, S("1::2::3")), "IP Address");
    EXPECT_ERR(CALL(cel_k8s_ip, S("1:2:3:4:5:6:7:8:9")), "IP Address");
    EXPECT(CALL(cel_k8s_ip, S("fe80::1%eth0")),
           "error: IP address \"fe80::1%eth0\" with zone value is not allowed");
    EXPECT(CALL(cel_k8s_ip, S("::ffff:1.2.3.4")),
           "error: IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed");
    EXPECT(CALL(cel_k8s_is_ip, S("::1")), "true");
    EXPECT(CALL(cel_k8s_is_ip, S("1.2.3.4.5")), "false");
    EXPECT(CALL(cel_k8s_ip_is_canonical, S("2001:db8::1")), "true");
    EXPECT(CALL(cel_k8s_ip_is_canonical, S("2001:DB8::1")), "false");
    EXPECT_ERR(CALL(cel_k8s_ip_is_canonical, S("x")), "IP Address");
    EXPECT(CALL(cel_k8s_ip_family, CALL(cel_k8s_ip, S("1.2.3.4"))), "4");
    EXPECT(CALL(cel_k8s_ip_family, CALL(cel_k8s_ip, S("::1"))), "6");
    EXPECT(CALL(cel_k8s_ip_is_unspecified, CALL(cel_k8s_ip, S("0.0.0.0"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_unspecified, CALL(cel_k8s_ip, S("::1"))), "false");
    EXPECT(CALL(cel_k8s_ip_is_loopback, CALL(cel_k8s_ip, S("127.0.0.2"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_loopback, CALL(cel_k8s_ip, S("::1"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_link_local_multicast, CALL(cel_k8s_ip, S("224.0.0.5"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_link_local_multicast, CALL(cel_k8s_ip, S("ff02::1"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_link_local_multicast, CALL(cel_k8s_ip, S("224.0.1.5"))), "false");
    EXPECT(CALL(cel_k8s_ip_is_link_local_unicast, CALL(cel_k8s_ip, S("169.254.1.1"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_link_local_unicast, CALL(cel_k8s_ip, S("fe80::1"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_global_unicast, CALL(cel_k8s_ip, S("10.0.0.1"))), "true");
    EXPECT(CALL(cel_k8s_ip_is_global_unicast, CALL(cel_k8s_ip, S("255.255.255.255"))), "false");
    EXPECT(CALL(cel_k8s_ip_is_global_unicast, CALL(cel_k8s_ip, S("ff00::1"))), "false");
    EXPECT_ERR(CALL(cel_k8s_ip_family, S("1.2.3.4")), "no such overload");
    assert_true(cel_equal(CALL(cel_k8s_ip, S("::1")), CALL(cel_k8s_ip, S("0::1"))));
    assert_false(cel_equal(CALL(cel_k8s_ip, S("::1")), CALL(cel_k8s_ip, S("::2"))));
    EXPECT(CALL(cel_k8s_ip, S("10.0.0.1")), "ip(\"10.0.0.1\")");
    assert_string_equal(cel_type_name(CALL(cel_k8s_ip, S("::1"))), "net.IP");
}

static void test_cidr(void **state)
{
    (void)state;
    const cel_val *c = CALL(cel_k8s_cidr, S("192.168.0.0/16"));
    assert_string_equal(net_text(c), "192.168.0.0/16");
    EXPECT(CALL(cel_k8s_cidr_contains_ip, c, S("192.168.3.4")), "true");
    EXPECT(CALL(cel_k8s_cidr_contains_ip, c, S("192.169.0.1")), "false");
    EXPECT(CALL(cel_k8s_cidr_contains_ip, c, CALL(cel_k8s_ip, S("192.168.0.1"))), "true");
    EXPECT(CALL(cel_k8s_cidr_contains_ip, c, CALL(cel_k8s_ip, S("::1"))), "false");
    EXPECT_ERR(CALL(cel_k8s_cidr_contains_ip, c, S("bad")), "IP Address");
    EXPECT(CALL(cel_k8s_cidr_contains_cidr, c, S("192.168.1.0/24")), "true");
    EXPECT(CALL(cel_k8s_cidr_contains_cidr, c, S("192.0.0.0/8")), "false");
    EXPECT(CALL(cel_k8s_cidr_contains_cidr, c, c), "true");
    EXPECT_ERR(CALL(cel_k8s_cidr_contains_cidr, c, S("192.168.1.0")), "network address parse");
    EXPECT(CALL(cel_k8s_cidr_prefix_length, c), "16");
    const cel_val *h = CALL(cel_k8s_cidr, S("10.1.2.3/8"));
    assert_string_equal(net_text(CALL(cel_k8s_cidr_masked, h)), "10.0.0.0/8");
    assert_string_equal(net_text(CALL(cel_k8s_ip, h)), "10.1.2.3");
    const cel_val *v6 = CALL(cel_k8s_cidr, S("2001:db8:abcd:12ff::1/52"));
    assert_string_equal(net_text(CALL(cel_k8s_cidr_masked, v6)), "2001:db8:abcd:1000::/52");
    EXPECT(CALL(cel_k8s_cidr_contains_ip, v6, S("2001:db8:abcd:1fff::9")), "true");
    EXPECT(CALL(cel_k8s_is_cidr, S("::/0")), "true");
    EXPECT(CALL(cel_k8s_is_cidr, S("1.2.3.4/33")), "false");
    EXPECT(CALL(cel_k8s_is_cidr, S("1.2.3.4/08")), "false");
    EXPECT(CALL(cel_k8s_is_cidr, S("1.2.3.4")), "false");
    EXPECT(CALL(cel_k8s_is_cidr, S("::ffff:1.2.3.4/96")), "false");
    EXPECT_ERR(CALL(cel_k8s_cidr, S("1.2.3.4/-1")), "network address parse error");
    EXPECT_ERR(CALL(cel_k8s_cidr_prefix_length, S("1.2.3.4/8")), "no such overload");
    assert_true(cel_equal(c, CALL(cel_k8s_cidr, S("192.168.0.0/16"))));
    assert_false(cel_equal(h, CALL(cel_k8s_cidr_masked, h)));
    EXPECT(c, "cidr(\"192.168.0.0/16\")");
    EXPECT_ERR(CALL(cel_k8s_net_string, I(1)), "no such overload");
}

/* ---- named formats ---- */

static void test_named_formats(void **state)
{
    (void)state;
    const cel_val *none[1] = {NULL};
    const cel_val *label = cel_k8s_format_dns1123_label(E, none, 0);
    EXPECT(label, "format.dns1123Label()");
    EXPECT(CALL(cel_k8s_format_validate, label, S("my-name")), "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, label, S("a.b")),
           "optional.of([\"must not contain dots\"])");
    const cel_val *r = CALL(cel_k8s_format_validate, label, S("-x"));
    assert_int_equal(r->kind, CEL_OPTIONAL);
    assert_non_null(strstr(r->opt->list.items[0]->str.s, "a lowercase RFC 1123 label must"));
    const cel_val *pre = cel_k8s_format_dns1123_label_prefix(E, none, 0);
    EXPECT(CALL(cel_k8s_format_validate, pre, S("web-")), "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_dns1035_label(E, none, 0), S("1abc")),
           "optional.of([\"a DNS-1035 label must consist of lower case alphanumeric characters or "
           "'-', start with an alphabetic character, and end with an alphanumeric character "
           "(e.g. 'my-name',  or 'abc-123', regex used for validation is "
           "'[a-z]([-a-z0-9]*[a-z0-9])?')\"])");
    const cel_val *qn = cel_k8s_format_qualified_name(E, none, 0);
    EXPECT(CALL(cel_k8s_format_validate, qn, S("example.com/My_Name")), "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, qn, S("/x")),
           "optional.of([\"prefix part must be non-empty\"])");
    const cel_val *sub = cel_k8s_format_dns1123_subdomain(E, none, 0);
    EXPECT(CALL(cel_k8s_format_validate, sub, S("a.example.com")), "optional.none()");
    r = CALL(cel_k8s_format_validate, sub, S("A.com"));
    assert_int_equal(r->opt->list.n, 1);
    const cel_val *lv = cel_k8s_format_label_value(E, none, 0);
    EXPECT(CALL(cel_k8s_format_validate, lv, S("")), "optional.none()");
    r = CALL(cel_k8s_format_validate, lv, S("-bad"));
    assert_int_equal(r->opt->list.n, 1);
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_uuid(E, none, 0),
                S("123e4567-e89b-12d3-a456-426614174000")),
           "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_uuid(E, none, 0), S("123")),
           "optional.of([\"does not match the UUID format\"])");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_byte(E, none, 0), S("aGk=")),
           "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_byte(E, none, 0), S("aGk")),
           "optional.of([\"invalid base64\"])");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_date(E, none, 0), S("2024-02-29")),
           "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_date(E, none, 0), S("2023-02-29")),
           "optional.of([\"invalid date\"])");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_datetime(E, none, 0),
                S("2023-02-03T23:31:20Z")),
           "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_datetime(E, none, 0), S("2023-02-03")),
           "optional.of([\"invalid datetime\"])");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_uri(E, none, 0), S("https://x/")),
           "optional.none()");
    EXPECT(CALL(cel_k8s_format_validate, cel_k8s_format_uri(E, none, 0), S("x y")),
           "optional.of([\"invalid URI\"])");
    EXPECT(CALL(cel_k8s_format_named, S("uuid")), "optional.of(format.uuid())");
    EXPECT(CALL(cel_k8s_format_named, S("nope")), "optional.none()");
    assert_true(cel_equal(CALL(cel_k8s_format_named, S("labelValue"))->opt,
                          cel_k8s_format_label_value(E, none, 0)));
    EXPECT_ERR(CALL(cel_k8s_format_validate, S("x"), S("y")), "no such overload");
    EXPECT_ERR(cel_k8s_format_uri(E, (const cel_val *const[]){I(1)}, 1), "no such overload");
}

/* ---- through the parser and evaluator ---- */

/* Evaluates one expression; the result printed, or "error: msg". */
static const char *ev(const char *expr)
{
    cel_err err = {0};
    cel_prog *p = cel_parse(E, expr, strlen(expr), &err);
    if (!p) return ar_printf(&t_arena, "parse error: %s", err.msg);
    const cel_val *v = cel_eval(E, p, cel_act_new(E, NULL), &err);
    char *t = shown(v);
    const char *r = ar_strdup(&t_arena, t);
    free(t);
    return r;
}

static void test_through_evaluator(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"'tacocat'.charAt(3) + 'ab'.upperAscii()", "\"oAB\""},
        {"'%s is %d'.format(['x', 3])", "\"x is 3\""},
        {"strings.quote('a\"b')", "\"\\\"a\\\\\\\"b\\\"\""},
        {"['a', 'b'].join('/') == 'a/b'", "true"},
        {"'a,b,,c'.split(',').size()", "4"},
        {"[3, 1, 2].indexOf(2) == 2 && 'abc'.indexOf('c') == 2", "true"},
        {"[1, 2, 3].isSorted() && ![2, 1].isSorted()", "true"},
        {"[1.5, 2.5].sum()", "4.0"},
        {"[5, 3, 9].max() - [5, 3, 9].min()", "6"},
        {"'img:1.2 img:3'.findAll('[0-9.]+')", "[\"1.2\", \"3\"]"},
        {"'abc'.find('b.')", "\"bc\""},
        {"sets.equivalent([1, 2], [2, 1, 1])", "true"},
        {"sets.intersects(['a'], ['b'])", "false"},
        {"url('https://example.com:8080/x').getPort()", "\"8080\""},
        {"isURL('https://example.com') && !isURL('example.com')", "true"},
        {"quantity('500Mi').isLessThan(quantity('1Gi'))", "true"},
        {"quantity('1Gi').compareTo(quantity('1024Mi'))", "0"},
        {"quantity('100m').add(quantity('900m')) == quantity('1')", "true"},
        {"quantity('2').sub(1).asInteger()", "1"},
        {"quantity('0.5').asApproximateFloat()", "0.5"},
        {"isQuantity('1Gi') && !isQuantity('1Gb')", "true"},
        {"quantity('1.5').asInteger()", "error: cannot convert value to integer"},
        {"ip('10.0.0.1').family() == 4 && ip('::1').isLoopback()", "true"},
        {"cidr('10.0.0.0/8').containsIP('10.1.2.3')", "true"},
        {"cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16'))", "true"},
        {"cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')", "true"},
        {"cidr('10.1.2.3/8').prefixLength()", "8"},
        {"isCIDR('10.0.0.0/8') && isIP('::') && ip.isCanonical('10.0.0.1')", "true"},
        {"format.dns1123Label().validate('ok-name').hasValue()", "false"},
        {"format.named('labelValue').value().validate('-x').value().size()", "1"},
        {"'x'.charAt(5)", "error: index out of range: 5"},
        {"quantity('1Mm')", "error: unable to parse quantity's suffix"},
        {"ip('1.2.3')", "error: IP Address \"1.2.3\" parse error during conversion from string: "
                        "ParseAddr(\"1.2.3\"): IPv4 address too short"},
        {"[].min()", "error: min called on empty list"},
        {"'%x'.format([1.5])", "error: error during formatting: only ints, uints, bytes, and "
                               "strings can be formatted as hex, was given double"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = ev(cases[i][0]);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("%s\n  got:  %s\n  want: %s", cases[i][0], got, cases[i][1]);
    }
}

/* Argument types each function refuses (the evaluator passes whatever the call has). */
static void test_no_overloads(void **state)
{
    (void)state;
    const cel_val *q = Q("1"), *u = CALL(cel_k8s_url, S("https://x/"));
    EXPECT_ERR(CALL(cel_str_lower_ascii, BY("A")), "no such overload");
    EXPECT_ERR(CALL(cel_str_trim, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_str_reverse, LIST(S("a"))), "no such overload");
    EXPECT_ERR(CALL(cel_str_last_index_of, S("a"), I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_min, S("abc")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_list_last_index_of, S("abc"), S("a")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_find, S("abc"), I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_find_all, S("abc"), S("a"), S("1")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_sets_equivalent, I(1), LIST(I(1))), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_sets_intersects, LIST(I(1)), S("x")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_url, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_is_url, BY("x")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_get_scheme, q), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_get_hostname, S("x")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_get_port, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_get_escaped_path, q), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_get_query, S("x")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_quantity, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_q_is_greater_than, q, u), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_q_is_less_than, I(1), q), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_q_add, q, D(1.0)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_q_sub, q, S("1")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_q_as_integer, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_q_as_approximate_float, u), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_q_is_integer, S("1")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_ip, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_is_ip, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_ip_is_unspecified, S("::")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_ip_is_loopback, q), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_ip_is_link_local_multicast, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_ip_is_link_local_unicast, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_ip_is_global_unicast, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_cidr, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_is_cidr, I(1)), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_cidr_contains_ip, CALL(cel_k8s_ip, S("::1")), S("::1")),
               "no such overload");
    EXPECT_ERR(CALL(cel_k8s_cidr_contains_cidr, CALL(cel_k8s_cidr, S("::/0")), I(1)),
               "no such overload");
    EXPECT_ERR(CALL(cel_k8s_cidr_masked, S("::/0")), "no such overload");
    EXPECT_ERR(CALL(cel_k8s_format_named, I(1)), "no such overload");
}

/* Every row of the table points at a function and names a known style. */
static void test_table_rows(void **state)
{
    (void)state;
    size_t mine = 0;
    for (size_t i = 0; i < cel_nbuiltins; i++) {
        const cel_fn_def *d = &cel_builtins[i];
        assert_non_null(d->name);
        assert_non_null(d->fn);
        assert_true(d->style >= 1 && d->style <= 3);
        if (!strcmp(d->name, "format") || !strcmp(d->name, "quantity") ||
            !strcmp(d->name, "containsCIDR"))
            mine++;
    }
    assert_int_equal(mine, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_char_at_index_of),
        cmocka_unit_test(test_case_replace_split),
        cmocka_unit_test(test_substring_trim_reverse_join),
        cmocka_unit_test(test_quote),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_regex_and_sets),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_quantity_parse_print),
        cmocka_unit_test(test_quantity_math),
        cmocka_unit_test(test_ip),
        cmocka_unit_test(test_cidr),
        cmocka_unit_test(test_named_formats),
        cmocka_unit_test(test_through_evaluator),
        cmocka_unit_test(test_no_overloads),
        cmocka_unit_test(test_table_rows),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
