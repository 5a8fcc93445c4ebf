/* Flux post-build substitution tests: the expression forms of fluxcd/pkg/envsubst, escapes,
 * strict and non-strict unset variables, syntax errors, release-name shortening. */
#include "flux/flux.h"
#include "unit.h"

typedef struct kv {
    const char *k, *v;
} kv;

static const kv vars[] = {
    {"NAME", "dev"},           {"EMPTY", ""},      {"REPLICAS", "2"},
    {"PATH_", "a/b/c.tar.gz"}, {"MIXED", "heLLo"}, {"LONG", "abcdef"},
};

static bool lookup(void *ctx, const char *name, size_t n, const char **val, size_t *vlen)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (strlen(vars[i].k) == n && !memcmp(vars[i].k, name, n)) {
            *val = vars[i].v;
            *vlen = strlen(vars[i].v);
            return true;
        }
    return false;
}

/* Expands in; returns the output (or "ERR: message"), kept until the arena is freed. */
static const char *subst(arena *a, const char *in, bool strict)
{
    buf_t out = {0};
    const char *err = NULL;
    bool ok = flux_envsubst(a, in, strlen(in), lookup, NULL, strict, &out, &err);
    const char *r =
        ok ? ar_strndup(a, out.data ? out.data : "", out.len) : ar_printf(a, "ERR: %s", err);
    buf_free(&out);
    return r;
}

static void test_plain_forms(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(subst(&a, "x: ${NAME}", false), "x: dev");
    assert_string_equal(subst(&a, "${NAME}${REPLICAS}", false), "dev2");
    assert_string_equal(subst(&a, "$NAME stays", false), "$NAME stays");
    assert_string_equal(subst(&a, "lone $ and $5", false), "lone $ and $5");
    assert_string_equal(subst(&a, "unset: '${NOPE}'", false), "unset: ''");
    assert_string_equal(subst(&a, "no vars at all", false), "no vars at all");
    assert_string_equal(subst(&a, "", false), "");
    ar_free(&a);
}

static void test_escapes(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(subst(&a, "$${NAME}", false), "${NAME}");
    assert_string_equal(subst(&a, "$$NAME", false), "$NAME");
    assert_string_equal(subst(&a, "$$$", false), "$$");
    assert_string_equal(subst(&a, "$$${NAME}", false), "$dev");
    assert_string_equal(subst(&a, "cost: 5$$", false), "cost: 5$");
    ar_free(&a);
}

static void test_defaults(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(subst(&a, "${NOPE:=canary}", false), "canary");
    assert_string_equal(subst(&a, "${NOPE:-canary}", false), "canary");
    assert_string_equal(subst(&a, "${NOPE=canary}", false), "canary");
    assert_string_equal(subst(&a, "${EMPTY:=canary}", false), "canary");
    assert_string_equal(subst(&a, "${NAME:=canary}", false), "dev");
    /* a default can itself hold expressions and spaces */
    assert_string_equal(subst(&a, "${NOPE:=${NAME}-x y}", false), "dev-x y");
    assert_string_equal(subst(&a, "${NOPE:=}", false), "");
    /* envsubst's :+ and :? act as defaults too */
    assert_string_equal(subst(&a, "${NOPE:+alt}", false), "alt");
    assert_string_equal(subst(&a, "${NAME:+alt}", false), "dev");
    ar_free(&a);
}

static void test_functions(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(subst(&a, "${#LONG}", false), "6");
    assert_string_equal(subst(&a, "${MIXED^^}", false), "HELLO");
    assert_string_equal(subst(&a, "${MIXED,,}", false), "hello");
    assert_string_equal(subst(&a, "${MIXED^}", false), "HeLLo");
    assert_string_equal(subst(&a, "${LONG:2}", false), "cdef");
    assert_string_equal(subst(&a, "${LONG:1:3}", false), "bcd");
    assert_string_equal(subst(&a, "${LONG:-2}", false), "abcdef"); /* :- is the default */
    assert_string_equal(subst(&a, "${LONG/cd/XY}", false), "abXYef");
    assert_string_equal(subst(&a, "${PATH_//\\//_}", false), "a_b_c.tar.gz");
    assert_string_equal(subst(&a, "${PATH_#*/}", false), "b/c.tar.gz");
    assert_string_equal(subst(&a, "${PATH_%.*}", false), "a/b/c.tar");
    assert_string_equal(subst(&a, "${PATH_%%.*}", false), "a/b/c");
    ar_free(&a);
}

static void test_strict(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(subst(&a, "${NAME}", true), "dev");
    assert_string_equal(subst(&a, "${NOPE}", true),
                        "ERR: variable not set (strict mode): \"NOPE\"");
    assert_string_equal(subst(&a, "${#NOPE}", true),
                        "ERR: variable not set (strict mode): \"NOPE\"");
    /* default operators cover unset variables in strict mode */
    assert_string_equal(subst(&a, "${NOPE:=x}", true), "x");
    assert_string_equal(subst(&a, "${NOPE:-x}", true), "x");
    /* set but empty is set */
    assert_string_equal(subst(&a, "[${EMPTY}]", true), "[]");
    assert_string_equal(subst(&a, "$${NOPE}", true), "${NOPE}");
    ar_free(&a);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    assert_string_equal(subst(&a, "${NAME", false), "ERR: missing closing brace");
    assert_string_equal(subst(&a, "${}", false), "ERR: unable to parse variable name");
    assert_string_equal(subst(&a, "${-x}", false), "ERR: unable to parse variable name");
    assert_string_equal(subst(&a, "${NAME:=abc", false),
                        "ERR: unable to parse substitution within function");
    assert_string_equal(subst(&a, "${NAME-x}", false), "ERR: missing closing brace");
    /* a syntax error later in the text wins over a strict-mode error before it */
    assert_string_equal(subst(&a, "${NOPE} ${", true), "ERR: unable to parse variable name");
    ar_free(&a);
}

static void test_var_names_and_release(void **state)
{
    (void)state;
    assert_true(flux_var_name_valid("CLUSTER_NAME"));
    assert_true(flux_var_name_valid("_x1"));
    assert_false(flux_var_name_valid("1x"));
    assert_false(flux_var_name_valid("a-b"));
    assert_false(flux_var_name_valid(""));
    arena a;
    ar_init(&a);
    const char *fits = "a-release-name-that-is-exactly-fifty-three-chars-long";
    assert_int_equal(strlen(fits), 53);
    assert_string_equal(flux_release_name(&a, fits), fits);
    const char *longer = "some-very-long-target-namespace-podinfo-release-name-x";
    const char *s = flux_release_name(&a, longer);
    assert_int_equal(strlen(s), 53);
    assert_memory_equal(s, longer, 40);
    assert_int_equal(s[40], '-');
    /* sha256("some-very-long-target-namespace-podinfo-release-name-x"), first 12 hex digits */
    assert_string_equal(s + 41, "6a12da69470f");
    ar_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_forms),
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_var_names_and_release),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
