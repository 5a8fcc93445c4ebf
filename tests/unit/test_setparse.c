/* Unit tests for Helm's --set parser (chart_set_parse): keys, indexes, escapes, lists, types,
 * --set-string/--set-json/--set-literal and the error messages. */
#include "unit.h"

#include "template/chart.h"

/* Parses each argument in turn into one map and returns its JSON text (arena memory), or
 * "ERR: message". */
static const char *parse(arena *a, chart_set_kind kind, const char *const *args, size_t n)
{
    tpl_val *m = tpl_map_new(a, NULL);
    for (size_t i = 0; i < n; i++) {
        const char *err = NULL;
        if (!chart_set_parse(a, args[i], strlen(args[i]), kind, m->map, &err))
            return ar_printf(a, "ERR: %s", err);
    }
    buf_t b = {0};
    const char *err = NULL;
    if (!tpl_to_json(a, m, 0, &b, &err)) return ar_printf(a, "JSON: %s", err);
    const char *r = ar_strndup(a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

static void check(chart_set_kind kind, const char *arg, const char *want)
{
    arena a;
    ar_init(&a);
    const char *args[] = {arg};
    const char *got = parse(&a, kind, args, 1);
    if (strcmp(got, want)) fail_msg("--set %s\n  got  %s\n  want %s", arg, got, want);
    ar_free(&a);
}

static void test_scalars(void **state)
{
    (void)state;
    check(CHART_SET_TYPED, "name=value", "{\"name\":\"value\"}");
    check(CHART_SET_TYPED, "a=1,b=true,c=FALSE,d=null,e=0",
          "{\"a\":1,\"b\":true,\"c\":false,\"d\":null,\"e\":0}");
    check(CHART_SET_TYPED, "a=007,b=2.50,c=-3,d=+4",
          "{\"a\":\"007\",\"b\":\"2.50\",\"c\":-3,\"d\":4}");
    check(CHART_SET_TYPED, "big=12345678901234567890", "{\"big\":\"12345678901234567890\"}");
    check(CHART_SET_TYPED, "empty=", "{\"empty\":\"\"}");
    check(CHART_SET_TYPED, "a=x=y", "{\"a\":\"x=y\"}");
    check(CHART_SET_STRING, "a=1,b=true,c=null", "{\"a\":\"1\",\"b\":\"true\",\"c\":\"null\"}");
}

static void test_escapes_and_nesting(void **state)
{
    (void)state;
    check(CHART_SET_TYPED, "a=x\\,y", "{\"a\":\"x,y\"}");
    check(CHART_SET_TYPED, "a\\.b=1", "{\"a.b\":1}");
    check(CHART_SET_TYPED, "a.b.c=1,a.b.d=2", "{\"a\":{\"b\":{\"c\":1,\"d\":2}}}");
    check(CHART_SET_TYPED, "k\\=x=v", "{\"k=x\":\"v\"}");
    check(CHART_SET_TYPED, "nodeSelector.kubernetes\\.io/role=master",
          "{\"nodeSelector\":{\"kubernetes.io/role\":\"master\"}}");
}

static void test_lists(void **state)
{
    (void)state;
    check(CHART_SET_TYPED, "l={a,b,1}", "{\"l\":[\"a\",\"b\",1]}");
    check(CHART_SET_TYPED, "l={},x=1", "{\"l\":[\"\"],\"x\":1}");
    check(CHART_SET_TYPED, "a[0]=x", "{\"a\":[\"x\"]}");
    check(CHART_SET_TYPED, "a[2]=x", "{\"a\":[null,null,\"x\"]}");
    check(CHART_SET_TYPED, "a[0].b=1,a[0].c=2", "{\"a\":[{\"b\":1,\"c\":2}]}");
    check(CHART_SET_TYPED, "a[1][0]=z", "{\"a\":[null,[\"z\"]]}");
    check(CHART_SET_TYPED, "a[0]={x,y}", "{\"a\":[[\"x\",\"y\"]]}");
}

static void test_sequence_of_args(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    const char *args[] = {"a.b=1", "a.c=2", "a.b=3", "l[1]=x", "l[0]=y"};
    assert_string_equal(parse(&a, CHART_SET_TYPED, args, 5),
                        "{\"a\":{\"b\":3,\"c\":2},\"l\":[\"y\",\"x\"]}");
    ar_free(&a);
}

static void test_json_and_literal(void **state)
{
    (void)state;
    check(CHART_SET_JSON, "a={\"b\":[1,true,null,\"s\"]}", "{\"a\":{\"b\":[1,true,null,\"s\"]}}");
    check(CHART_SET_JSON, "a=1.5,b=\"x\"", "{\"a\":1.5,\"b\":\"x\"}");
    check(CHART_SET_JSON, "a[1]=[2]", "{\"a\":[null,[2]]}");
    check(CHART_SET_JSON, "a=", "{\"a\":null}");
    check(CHART_SET_LITERAL, "a.b=x,y=z\\,", "{\"a\":{\"b\":\"x,y=z\\\\,\"}}");
}

/* Helm's parser stops quietly at any end of input, keeping what it set so far. */
static void test_eof_is_success(void **state)
{
    (void)state;
    check(CHART_SET_TYPED, "[", "{}");
    check(CHART_SET_TYPED, "c[0][1]", "{\"c\":[]}");
    check(CHART_SET_TYPED, "ab[0", "{}");
    check(CHART_SET_JSON, "l[2]", "{\"l\":[]}");
}

static void test_errors(void **state)
{
    (void)state;
    check(CHART_SET_TYPED, "name", "ERR: key \"name\" has no value");
    check(CHART_SET_TYPED, "a.b", "ERR: key \"b\" has no value");
    check(CHART_SET_TYPED, "name,x=1", "ERR: key \"name\" has no value (cannot end with ,)");
    check(CHART_SET_TYPED, "l={a,b", "ERR: list must terminate with '}'");
    check(CHART_SET_TYPED, "a[-1]=x", "ERR: negative -1 index not allowed");
    check(CHART_SET_TYPED, "a[x]=1",
          "ERR: error parsing index: strconv.Atoi: parsing \"x\": invalid syntax");
    check(CHART_SET_TYPED, "a[99999]=1",
          "ERR: index of 99999 is greater than maximum supported index of 65536");
    check(CHART_SET_TYPED, "a[0]x=1", "ERR: unexpected data at end of array index: ['x']");
    check(CHART_SET_TYPED, "a=1,a.b=2",
          "ERR: unable to parse key: interface conversion: interface {} is int64, not "
          "map[string]interface {}");
    check(CHART_SET_TYPED, "a=1,a[0]=2",
          "ERR: unable to parse key: interface conversion: interface {} is int64, not "
          "[]interface {}");
    check(CHART_SET_JSON, "a={x",
          "ERR: invalid character 'x' looking for beginning of object key string");
    check(CHART_SET_TYPED, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F=1",
          "ERR: value name nested level is greater than maximum supported nested level of 30");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_escapes_and_nesting),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_sequence_of_args),
        cmocka_unit_test(test_json_and_literal),
        cmocka_unit_test(test_eof_is_success),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
