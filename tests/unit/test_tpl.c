/* Unit tests of the Go template engine: lexer (trim markers, comments, numbers), parser errors
 * with positions, printf verbs, truth, comparisons, range/with/define/block, include limits. */
#include "unit.h"

#include "template/tpl.h"

typedef struct rnd {
    arena a;
    char *out;
    char *err;
} rnd;

/* Renders `text` with dot = the YAML `values` (numbers as float64 like Helm's values). */
static bool render(rnd *r, const char *text, const char *values)
{
    ar_init(&r->a);
    r->out = r->err = NULL;
    const tpl_val *dot = tpl_nil();
    if (values) {
        unit_env u;
        unit_load(&u, values);
        assert_true(u.ok);
        dot = tpl_from_ir(&r->a, u.docs.docs[0], TPL_IR_FLOAT);
        ar_adopt(&r->a, &u.a);
        diag_free(&u.d);
        free(u.errors);
    }
    tpl_set *s = tpl_set_new(&r->a, NULL);
    buf_t b = {0};
    bool ok = tpl_parse(s, "t.yaml", text, strlen(text), 0) && tpl_exec(s, "t.yaml", dot, &b);
    if (!ok) r->err = strdup(tpl_last_error(s)->msg);
    r->out = strdup(buf_cstr(&b));
    buf_free(&b);
    ar_free(&r->a);
    return ok;
}

#define OUT(text, vals, want)                                                                      \
    do {                                                                                           \
        rnd r_;                                                                                    \
        bool ok_ = render(&r_, text, vals);                                                        \
        if (!ok_) fprintf(stderr, "error: %s\n", r_.err);                                          \
        assert_true(ok_);                                                                          \
        assert_string_equal(r_.out, want);                                                         \
        free(r_.out);                                                                              \
        free(r_.err);                                                                              \
    } while (0)

#define ERR(text, vals, want)                                                                      \
    do {                                                                                           \
        rnd r_;                                                                                    \
        bool ok_ = render(&r_, text, vals);                                                        \
        assert_false(ok_);                                                                         \
        if (want) assert_string_equal(r_.err, (const char *)want);                                 \
        free(r_.out);                                                                              \
        free(r_.err);                                                                              \
    } while (0)

static void test_lexer(void **state)
{
    (void)state;
    OUT("a  {{- 1 -}}  b", NULL, "a1b");
    OUT("a \n {{- /* c */ -}} \n b", NULL, "ab");
    OUT("x{{/* comment */}}y", NULL, "xy");
    OUT("{{-3}}", NULL, "-3");
    OUT("{{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }} {{ 017 }}", NULL, "31 15 5 1000 15");
    OUT("{{ 1.5 }} {{ 1e3 }} {{ 'a' }} {{ \"\\u00e9\\t\" }} {{ `raw\\n` }}", NULL,
        "1.5 1000 97 \xc3\xa9\t raw\\n");
    OUT("{ { {a} }", NULL, "{ { {a} }");
    OUT("a\r\n  {{- if true -}} \r\n b \r\n {{- else -}} c {{- end }}\r\n", NULL, "ab\r\n");
    OUT("{{$}}|{{ $.x }}|{{.}}|{{ (print 1 2) }}", NULL, "<no value>|<no value>|<no value>|1 2");
    OUT("{{ index \"abc\" 1 }} {{ printf \"%T\" (index \"abc\" 1) }} {{ printf \"%T %T\" 'a' 1.0 "
        "}}",
        NULL, "98 uint8 int float64");
    ERR("{{ 1i }}", NULL, "template: t.yaml:1: complex numbers are not supported: 1i");
    ERR("{{ -99999999999999999999999 }}{{ .a }}", NULL,
        "template: t.yaml:1: integer overflow: \"-99999999999999999999999\"");
    ERR("{{ 08x }}", NULL, "template: t.yaml:1: bad number syntax: \"08x\"");
    ERR("a\n{{ \"x }}", NULL, "template: t.yaml:2: unterminated quoted string");
    ERR("{{/* x */ }}", NULL, "template: t.yaml:1: comment ends before closing delimiter");
}

static void test_parser_errors(void **state)
{
    (void)state;
    ERR("a\n{{ if 1 }}", NULL, "template: t.yaml:2: unexpected EOF");
    ERR("{{ end }}", NULL, "template: t.yaml:1: unexpected {{end}}");
    ERR("x\n\n{{ nosuch 1 }}", NULL, "template: t.yaml:3: function \"nosuch\" not defined");
    ERR("{{ $x }}", NULL, "template: t.yaml:1: undefined variable \"$x\"");
    ERR("{{ }}", NULL, "template: t.yaml:1: missing value for command");
    ERR("{{ .a", NULL, "template: t.yaml:1: unclosed action");
    ERR("{{ .a\n\n", NULL, "template: t.yaml:3: unclosed action started at t.yaml:1");
    ERR("{{ .a\n 0x }}", NULL, "template: t.yaml:2: illegal number syntax: \"0x\"");
    ERR("{{ .a | 1 }}", NULL, "template: t.yaml:1: non executable command in pipeline stage 2");
    ERR("{{ if 1 }}{{ else }}{{ else }}{{ end }}", NULL,
        "template: t.yaml:1: expected end; found {{else}}");
    ERR("{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}", NULL,
        "template: t.yaml:1: template: multiple definition of template \"a\"");
    ERR("{{ print (1)(2) }}", NULL, "template: t.yaml:1: unexpected \"(\" in operand");
    ERR("{{ .a.b c }}", NULL, "template: t.yaml:1: function \"c\" not defined");
    ERR("{{ break }}", NULL, "template: t.yaml:1: {{break}} outside {{range}}");
    ERR("{{ \"a\".b }}", NULL, "template: t.yaml:1: unexpected . after term \"\\\"a\\\"\"");
}

static void test_values(void **state)
{
    (void)state;
    OUT("{{ .a }} {{ .b }} {{ .c }} {{ .d }}", "a: 1000000\nb: 1.5\nc: 0.00003\nd: 123456789\n",
        "1e+06 1.5 3e-05 1.23456789e+08");
    OUT("{{ .x }}|{{ .m }}|{{ .l }}", "m: {b: 2, a: 1}\nl: [a, 1, true, null]\n",
        "<no value>|map[a:1 b:2]|[a 1 true <nil>]");
    OUT("{{ print .x }}", NULL, "<nil>");
    ERR("{{ .a.b.c }}", "a: 1\n",
        "template: t.yaml:1:5: executing \"t.yaml\" at <.a.b.c>: can't evaluate field b in type "
        "float64");
    ERR("{{ .x.y }}", "a: 1\n",
        "template: t.yaml:1:5: executing \"t.yaml\" at <.x.y>: nil pointer evaluating interface "
        "{}.y");
}

static void test_printf(void **state)
{
    (void)state;
    OUT("{{ printf \"%d|%5d|%-5d|%05d|%x|%X|%o|%b|%c|%U|%q\" 42 42 42 42 255 255 8 5 65 65 "
        "\"a\\\"b\" }}",
        NULL, "42|   42|42   |00042|ff|FF|10|101|A|U+0041|\"a\\\"b\"");
    OUT("{{ printf \"%f|%.2f|%05.2f|%e|%g|%v|%8.3f\" 3.14159 3.14159 3.14159 1234.5 0.000001 2.5 "
        "3.14159 }}",
        NULL, "3.141590|3.14|03.14|1.234500e+03|1e-06|2.5|   3.142");
    OUT("{{ printf \"%s|%v|%t|%T|%T|%T\" \"x\" true false 1 1.5 \"s\" }}", NULL,
        "x|true|false|int|float64|string");
    OUT("{{ printf \"%d %s\" \"x\" 1 }}", NULL, "%!d(string=x) %!s(int=1)");
    OUT("{{ printf \"%d\" }} {{ printf \"x\" 1 }}", NULL, "%!d(MISSING) x%!(EXTRA int=1)");
    OUT("{{ printf \"%v %s\" .m .l }}", "m: {a: x}\nl: [1, b]\n", "map[a:x] [%!s(float64=1) b]");
    OUT("{{ printf \"%[2]s %[1]s %%\" \"a\" \"b\" }}", NULL, "b a %");
    OUT("{{ print 1 2 \"a\" 3 }} {{ println 1 \"a\" }}", NULL, "1 2a3 1 a\n");
    OUT("{{ js \"a\\\"<\\u2028\\x01=\" }}|{{ html \"<a href='x'>&\" }}|{{ urlquery \"a b/\\u00e9\" "
        "}}",
        NULL, "a\\\"\\u003C\\u2028\\u0001\\u003D|&lt;a href=&#39;x&#39;&gt;&amp;|a+b%2F%C3%A9");
}

static void test_truth_compare(void **state)
{
    (void)state;
    OUT("{{ if .e }}y{{ else }}n{{ end }}{{ if .z }}y{{ else }}n{{ end }}{{ if .s }}y{{ end }}",
        "e: []\nz: 0\ns: x\n", "nny");
    OUT("{{ and 1 0 2 }} {{ or 0 \"\" 3 }} {{ and 1 2 }} {{ not 0 }}", NULL, "0 3 2 true");
    OUT("{{ eq 1 1 }} {{ eq \"a\" \"b\" \"a\" }} {{ lt 1 2 }} {{ ge 2.5 2.5 }} {{ ne .x \"a\" }}",
        NULL, "true true true true true");
    ERR("{{ eq .a 1 }}", "a: 1\n",
        "template: t.yaml:1:3: executing \"t.yaml\" at <eq .a 1>: error calling eq: incompatible "
        "types for comparison: float64 and int");
    OUT("{{ len .l }} {{ index .l 1 }} {{ index .m \"k\" }} {{ slice \"hello\" 1 3 }}",
        "l: [a, b]\nm: {k: v}\n", "2 b v el");
}

static void test_control(void **state)
{
    (void)state;
    OUT("{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}", "l: [a, b]\n", "0=a;1=b;");
    OUT("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", "m: {z: 1, a: 2}\n", "a=2;z=1;");
    OUT("{{ range .l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}", "l: [a, b, c]\n",
        "a");
    OUT("{{ range .l }}{{ if eq . \"b\" }}{{ continue }}{{ end }}{{ . }}{{ end }}",
        "l: [a, b, c]\n", "ac");
    OUT("{{ range .x }}y{{ else }}empty{{ end }}", NULL, "empty");
    OUT("{{ range 3 }}{{ . }}{{ end }}", NULL, "012");
    OUT("{{ with .a }}{{ . }}{{ else with .b }}b{{ else }}none{{ end }}", "b: 1\n", "b");
    OUT("{{ if .a }}a{{ else if .b }}b{{ else }}c{{ end }}", "b: 1\n", "b");
    OUT("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", NULL, "2");
    OUT("{{ define \"t\" }}[{{ . }}]{{ end }}{{ template \"t\" \"v\" }}{{ include \"t\" 3 | print "
        "}}",
        NULL, "[v][3]");
    OUT("{{ block \"b\" . }}blk{{ end }}", NULL, "blk");
    ERR("{{ range $a, $b := 3 }}{{ end }}", NULL,
        "template: t.yaml:1:19: executing \"t.yaml\" at <3>: can't use 3 to iterate over more than "
        "one variable");
}

static void test_helm(void **state)
{
    (void)state;
    ERR("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}", NULL, NULL);
    OUT("{{ tpl \"{{ .x }}\" . }}", "x: hi\nTemplate: {Name: t, BasePath: b}\n", "hi");
    OUT("{{ toYaml .m }}", "m: {b: [1, x], a: 1000000}\n", "a: 1000000\nb:\n- 1\n- x");
    OUT("{{ toJson .m }}", "m: {b: [1, x], a: 1.5}\n", "{\"a\":1.5,\"b\":[1,\"x\"]}");
    OUT("{{ (fromYaml \"a: 1\").a }}", NULL, "1");
    OUT("{{ tpl \"{{ define \\\"d\\\" }}D{{ end }}{{ include \\\"d\\\" . }}\" . }}", "x: 1\n", "D");
    ERR("{{ tpl \"{{ .x.y }}\" . }}", "x: 1\n",
        "template: t.yaml:1:3: executing \"t.yaml\" at <tpl \"{{ .x.y }}\" .>: error calling tpl: "
        "error "
        "during tpl function execution for \"{{ .x.y }}\": template: gotpl:1:5: executing "
        "\"gotpl\" at "
        "<.x.y>: can't evaluate field y in type float64");
    ERR("{{ tpl \"{{ nope }}\" . }}", NULL,
        "template: t.yaml:1:3: executing \"t.yaml\" at <tpl \"{{ nope }}\" .>: error calling tpl: "
        "cannot "
        "parse template \"{{ nope }}\": template: gotpl:1: function \"nope\" not defined");
    ERR("{{ include \"none\" . }}", NULL,
        "template: t.yaml:1:3: executing \"t.yaml\" at <include \"none\" .>: error calling "
        "include: "
        "template: no template \"none\" associated with template \"gotpl\"");
    OUT("{{ toToml .v }}", "v: {a: 1, s: x, b: {c: [1, 2]}, t: [{x: true}]}\n",
        "a = 1.0\ns = \"x\"\n\n[b]\n  c = [1.0, 2.0]\n\n[[t]]\n  x = true\n");
    OUT("{{ toToml 1 }}", NULL, "toml: top-level values must be Go maps or structs");
    OUT("{{ .d }} {{ .s }}", "d: 2020-01-01\ns: \"2020-01-01\"\n",
        "2020-01-01T00:00:00Z 2020-01-01");
    OUT("{{ mustToJson .v }}", "v: [1]\n", "[1]");
    rnd r;
    assert_false(render(&r, "x\n  {{ required \"need x\" .x }}", NULL));
    arena a;
    ar_init(&a);
    assert_string_equal(tpl_helm_exec_error(&a, "t.yaml", r.err),
                        "execution error at (t.yaml:2:5): need x");
    ar_free(&a);
    free(r.out);
    free(r.err);
}

/* An opaque object like Helm's .Capabilities: a field and a method with an argument. */
static tpl_lookup caps_get(tpl_ctx *c, const tpl_val *self, const char *name,
                           const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    (void)self;
    if (strcmp(name, "Version") == 0) {
        if (nargs)
            return tpl_errorf(c, "Version has arguments but cannot be invoked as function")
                       ? TPL_LOOKUP_OK
                       : TPL_LOOKUP_ERR;
        *out = tpl_cstr(tpl_arena(c), "v1.30.0");
        return TPL_LOOKUP_OK;
    }
    if (strcmp(name, "Has") == 0) {
        if (nargs != 1 || args[0]->kind != TPL_STRING)
            return tpl_errorf(c, "wrong number of args for Has: want 1 got %zu", nargs)
                       ? TPL_LOOKUP_OK
                       : TPL_LOOKUP_ERR;
        *out = tpl_bool(strcmp(args[0]->str.s, "apps/v1") == 0);
        return TPL_LOOKUP_OK;
    }
    return TPL_LOOKUP_NONE;
}

static void caps_print(const tpl_val *self, buf_t *out)
{
    (void)self;
    buf_puts(out, "&{v1.30.0}");
}

static const tpl_type caps_type = {
    "*chartutil.Capabilities", "ptr", caps_get, NULL, caps_print, NULL, NULL, NULL};

/* A named map type with a method, like Helm's files (.Files.Get "path"). */
static tpl_lookup files_get(tpl_ctx *c, const tpl_val *self, const char *name,
                            const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    if (strcmp(name, "Get") != 0 || nargs != 1) return TPL_LOOKUP_NONE;
    const tpl_val *v = tpl_map_get(self->map, args[0]->str.s, args[0]->str.n);
    *out = v ? tpl_str(tpl_arena(c), v->str.s, v->str.n) : tpl_empty_str();
    return TPL_LOOKUP_OK;
}
static const tpl_type files_type = {"engine.files", "map", files_get, NULL, NULL, NULL, NULL, NULL};

static void test_objects(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    tpl_val *dot = tpl_map_new(&a, NULL);
    tpl_map_setz(&a, dot->map, "Caps", tpl_obj(&a, &caps_type, NULL));
    tpl_set *s = tpl_set_new(&a, NULL);
    const char *t =
        "{{ .Caps.Version }} {{ .Caps.Has \"apps/v1\" }} {{ .Caps.Has \"x\" }} {{ .Caps }} "
        "{{ print .Caps }} {{ printf \"%T\" .Caps }}";
    buf_t b = {0};
    assert_true(tpl_parse(s, "o", t, strlen(t), 0));
    assert_true(tpl_exec(s, "o", dot, &b));
    assert_string_equal(buf_cstr(&b),
                        "v1.30.0 true false {v1.30.0} &{v1.30.0} *chartutil.Capabilities");
    b.len = 0;
    const char *t2 = "{{ .Caps.Nope }}";
    assert_true(tpl_parse(s, "o2", t2, strlen(t2), 0));
    assert_false(tpl_exec(s, "o2", dot, &b));
    assert_string_equal(tpl_last_error(s)->msg,
                        "template: o2:1:8: executing \"o2\" at <.Caps.Nope>: can't "
                        "evaluate field Nope in type *chartutil.Capabilities");
    tpl_val *files = tpl_map_new(&a, "engine.files");
    files->map->methods = &files_type;
    tpl_map_setz(&a, files->map, "a.txt", tpl_bytes(&a, "AAA", 3));
    tpl_map_setz(&a, dot->map, "Files", files);
    b.len = 0;
    const char *t3 = "{{ .Files.Get \"a.txt\" }}|{{ .Files.Get \"no\" }}|{{ range $k, $v := .Files "
                     "}}{{ $k }}{{ end }}"
                     "|{{ len .Files }}|{{ printf \"%T\" .Files }}";
    assert_true(tpl_parse(s, "o3", t3, strlen(t3), 0));
    assert_true(tpl_exec(s, "o3", dot, &b));
    assert_string_equal(buf_cstr(&b), "AAA||a.txt|1|engine.files");
    buf_free(&b);
    ar_free(&a);
}

static void test_limits(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    tpl_opts o = {.max_steps = 1000, .max_output = 100};
    tpl_set *s = tpl_set_new(&a, &o);
    const char *t1 = "{{ range 1000000000 }}{{ end }}";
    buf_t b = {0};
    assert_true(tpl_parse(s, "a", t1, strlen(t1), 0));
    assert_false(tpl_exec(s, "a", tpl_nil(), &b));
    assert_non_null(strstr(tpl_last_error(s)->msg, "exceeds the limit of 1000 steps"));
    s = tpl_set_new(&a, &o);
    const char *t2 = "{{ range 50 }}xxxxx{{ end }}";
    assert_true(tpl_parse(s, "b", t2, strlen(t2), 0));
    assert_false(tpl_exec(s, "b", tpl_nil(), &b));
    assert_non_null(strstr(tpl_last_error(s)->msg, "output exceeds the limit of 100 bytes"));
    /* Helm's include limit: the 1002nd nested include of one name fails */
    s = tpl_set_new(&a, NULL);
    const char *t3 = "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}";
    assert_true(tpl_parse(s, "c", t3, strlen(t3), 0));
    assert_false(tpl_exec(s, "c", tpl_nil(), &b));
    assert_non_null(
        strstr(tpl_last_error(s)->msg,
               "error calling include: rendering template has a nested reference name: r: "
               "unable to execute template"));
    /* {{template}} recursion ends with Go's depth error, not a crash */
    s = tpl_set_new(&a, NULL);
    const char *t4 = "{{ define \"t\" }}{{ template \"t\" . }}{{ end }}{{ template \"t\" . }}";
    assert_true(tpl_parse(s, "d", t4, strlen(t4), 0));
    assert_false(tpl_exec(s, "d", tpl_nil(), &b));
    assert_non_null(strstr(tpl_last_error(s)->msg, "exceeded maximum template depth"));
    buf_free(&b);
    ar_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lexer),         cmocka_unit_test(test_parser_errors),
        cmocka_unit_test(test_values),        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_truth_compare), cmocka_unit_test(test_control),
        cmocka_unit_test(test_helm),          cmocka_unit_test(test_limits),
        cmocka_unit_test(test_objects),
    };
    return cmocka_run_group_tests_name("tpl", tests, NULL, NULL);
}
