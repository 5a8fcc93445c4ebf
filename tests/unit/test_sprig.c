/* Sprig function tests: each function called through its row of the one builtins table, with
 * arguments as the engine would convert them, against what Sprig v3 (and Go) return. */
#include "unit.h"

#include "template/sprig_int.h"
#include "template/tpl_int.h"

typedef struct {
    arena a;
    tpl_set *set;
    tpl_ctx c;
    const char *err;
} env;

static env E;

static int setup(void **state)
{
    (void)state;
    ar_init(&E.a);
    tpl_opts o = {.rand_seed = 42, .now_fixed = true, .now_sec = 1700000000, .now_nsec = 123456789};
    E.set = tpl_set_new(&E.a, &o);
    E.c = (tpl_ctx){.set = E.set};
    setenv("TZ", "UTC", 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ar_free(&E.a);
    return 0;
}

/* ---- values ---- */

static const tpl_val *s_(const char *s)
{
    return tpl_cstr(&E.a, s);
}
static const tpl_val *i_(int64_t i)
{
    return tpl_int(&E.a, i);
}
static const tpl_val *i64_(int64_t i)
{
    return tpl_int64(&E.a, i);
}
static const tpl_val *f_(double f)
{
    return tpl_float(&E.a, f);
}
static const tpl_val *l_(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    const tpl_val **items = ar_alloc(&E.a, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = va_arg(ap, const tpl_val *);
    va_end(ap);
    return tpl_list(&E.a, items, n, NULL);
}
/* map from "k", v, "k", v ... */
static const tpl_val *m_(size_t n, ...)
{
    va_list ap;
    va_start(ap, n);
    tpl_val *m = tpl_map_new(&E.a, NULL);
    for (size_t i = 0; i < n; i++) {
        const char *k = va_arg(ap, const char *);
        tpl_map_setz(&E.a, m->map, k, va_arg(ap, const tpl_val *));
    }
    va_end(ap);
    return m;
}
#define NIL tpl_nil()
#define T tpl_bool(true)
#define F tpl_bool(false)

/* Go's %v for the shapes tests use (independent of the engine's fmt). */
static void show(buf_t *b, const tpl_val *v)
{
    switch (v->kind) {
    case TPL_LIST:
        buf_putc(b, '[');
        for (size_t i = 0; i < v->list.n; i++) {
            if (i) buf_putc(b, ' ');
            show(b, v->list.items[i]);
        }
        buf_putc(b, ']');
        break;
    case TPL_MAP:
        buf_puts(b, "map[");
        for (size_t i = 0; i < v->map->n; i++) {
            if (i) buf_putc(b, ' ');
            buf_put(b, v->map->keys[i], v->map->klens[i]);
            buf_putc(b, ':');
            show(b, v->map->vals[i]);
        }
        buf_putc(b, ']');
        break;
    case TPL_FLOAT64:
        buf_printf(b, "%.17g", v->f);
        break;
    default:
        sprig_strval(b, v);
    }
}

static const char *shown(const tpl_val *v)
{
    buf_t b = {0};
    show(&b, v);
    char *r = ar_strndup(&E.a, b.data ? b.data : "", b.len);
    buf_free(&b);
    return r;
}

/* Calls `name` through the table; NULL on error (E.err set). */
static const tpl_val *call(const char *name, size_t n, ...)
{
    const tpl_fn_def *d = tpl_fn_find(name, strlen(name));
    if (!d) fail_msg("no function %s", name);
    va_list ap;
    va_start(ap, n);
    const tpl_val **args = ar_alloc(&E.a, (n ? n : 1) * sizeof *args);
    for (size_t i = 0; i < n; i++)
        args[i] = va_arg(ap, const tpl_val *);
    va_end(ap);
    const tpl_val *out = NULL;
    E.c.msg = NULL;
    if (!d->fn(&E.c, args, n, &out)) {
        E.err = E.c.msg;
        return NULL;
    }
    E.err = NULL;
    assert_non_null(out);
    return out;
}

#define EQ(expect, name, ...)                                                                      \
    do {                                                                                           \
        const tpl_val *r_ = call(name, __VA_ARGS__);                                               \
        if (!r_) fail_msg("%s: unexpected error: %s", name, E.err);                                \
        assert_string_equal(shown(r_), expect);                                                    \
    } while (0)
#define ERR(expect, name, ...)                                                                     \
    do {                                                                                           \
        const tpl_val *r_ = call(name, __VA_ARGS__);                                               \
        if (r_) fail_msg("%s: expected error, got %s", name, shown(r_));                           \
        assert_string_equal(E.err, expect);                                                        \
    } while (0)
#define TYPE(expect, name, ...)                                                                    \
    do {                                                                                           \
        const tpl_val *r_ = call(name, __VA_ARGS__);                                               \
        assert_non_null(r_);                                                                       \
        assert_string_equal(tpl_type_name(r_), expect);                                            \
    } while (0)

/* ---------------------------------------------------------------- strings */

static void test_strings_basic(void **state)
{
    (void)state;
    EQ("Hello!", "hello", 0);
    EQ("a b", "trim", 1, s_(" \t a b\n\xC2\xA0"));
    EQ("", "trim", 1, s_("   "));
    EQ("HELLO ÉTÉ", "upper", 1, s_("hello été"));
    EQ("hello", "lower", 1, s_("HeLLo"));
    EQ("Hello World-Foo_bar", "title", 1, s_("hello world-foo_bar"));
    EQ("hELLO wORLD", "untitle", 1, s_("HELLO WORLD"));
    EQ("ell", "substr", 3, i_(1), i_(4), s_("hello"));
    EQ("hel", "substr", 3, i_(-1), i_(3), s_("hello"));
    EQ("llo", "substr", 3, i_(2), i_(-1), s_("hello"));
    ERR("runtime error: slice bounds out of range [:9] with length 5", "substr", 3, i_(-1), i_(9),
        s_("hello"));
    ERR("runtime error: slice bounds out of range [4:2]", "substr", 3, i_(4), i_(2), s_("hello"));
    EQ("ababab", "repeat", 2, i_(3), s_("ab"));
    ERR("strings: negative Repeat count", "repeat", 2, i_(-1), s_("ab"));
    EQ("b", "trimAll", 2, s_("$a"), s_("$aba$"));
    EQ("b", "trimall", 2, s_("$a"), s_("$aba$"));
    EQ("foo", "trimSuffix", 2, s_("-"), s_("foo-"));
    EQ("foo-", "trimPrefix", 2, s_("x"), s_("foo-"));
    EQ("abc", "nospace", 1, s_(" a b\tc\n"));
    EQ("hel", "trunc", 2, i_(3), s_("hello"));
    EQ("llo", "trunc", 2, i_(-3), s_("hello"));
    EQ("hello", "trunc", 2, i_(-9), s_("hello"));
}

static void test_strings_words(void **state)
{
    (void)state;
    EQ("He...", "abbrev", 2, i_(5), s_("Hello World"));
    EQ("Hello World", "abbrev", 2, i_(3), s_("Hello World"));
    EQ("...fghij...", "abbrevboth", 3, i_(5), i_(11), s_("abcdefghijklmno"));
    EQ("abcdefg...", "abbrevboth", 3, i_(1), i_(10), s_("abcdefghijklmno"));
    EQ("HW", "initials", 1, s_("Hello World"));
    EQ("hELLO tHIS iS", "swapcase", 1, s_("Hello This Is"));
    EQ("first_name", "snakecase", 1, s_("FirstName"));
    EQ("http_server", "snakecase", 1, s_("HTTPServer"));
    EQ("http_20x_ok", "snakecase", 1, s_("HTTP20xOK"));
    EQ("bld4_floor_3rd", "snakecase", 1, s_("Bld4Floor3rd"));
    EQ("go_path", "snakecase", 1, s_("GO-PATH"));
    EQ("first-name", "kebabcase", 1, s_("FirstName"));
    EQ("HttpServer", "camelcase", 1, s_("http_server"));
    EQ("FooBarBaz", "camelcase", 1, s_("foo-bar baz"));
    EQ("Foo_Bar", "camelcase", 1, s_("foo__bar"));
    /* xstrings v1.5's documented samples */
    EQ("GolangIsGreat", "camelcase", 1, s_("GOLANG_IS_GREAT"));
    EQ("_Complex_Case_", "camelcase", 1, s_("_complex__case_"));
    EQ("NoHttps", "camelcase", 1, s_("no_https"));
    EQ("SomeWords", "camelcase", 1, s_("some words"));
    EQ("Hello\nWorld", "wrap", 2, i_(5), s_("Hello World"));
    EQ("Hello\t\tWorld", "wrapWith", 3, i_(5), s_("\t\t"), s_("Hello World"));
    EQ("abcd\nefgh\nij", "wrapWith", 3, i_(4), s_("\n"), s_("abcdefghij"));
    EQ("true", "contains", 2, s_("cat"), s_("catch"));
    EQ("false", "contains", 2, s_("dog"), s_("catch"));
    EQ("true", "hasPrefix", 2, s_("ca"), s_("catch"));
    EQ("false", "hasSuffix", 2, s_("ca"), s_("catch"));
}

static void test_strings_quote_cat(void **state)
{
    (void)state;
    EQ("\"a\\\"b\" \"1\"", "quote", 3, s_("a\"b"), NIL, i_(1));
    EQ("\"\\n\\t\\x00\\xff\"", "quote", 1, tpl_str(&E.a, "\n\t\0\xff", 4));
    EQ("\"é\"", "quote", 1, s_("é"));
    EQ("'a' '2'", "squote", 3, s_("a"), NIL, i_(2));
    EQ("a 1 true", "cat", 4, s_("a"), NIL, i_(1), T);
    EQ("  a\n  b", "indent", 2, i_(2), s_("a\nb"));
    EQ("\n  a\n  b", "nindent", 2, i_(2), s_("a\nb"));
    ERR("strings: negative Repeat count", "indent", 2, i_(-1), s_("a"));
    EQ("a-b-c", "replace", 3, s_(" "), s_("-"), s_("a b c"));
    EQ("xaxbx", "replace", 3, s_(""), s_("x"), s_("ab"));
    EQ("one", "plural", 3, s_("one"), s_("many"), i_(1));
    EQ("many", "plural", 3, s_("one"), s_("many"), i_(0));
    EQ("12", "toString", 1, i64_(12));
    EQ("abc", "toString", 1, tpl_bytes(&E.a, "abc", 3));
    EQ("[a 1]", "toStrings", 1, l_(3, s_("a"), NIL, i_(1)));
    TYPE("[]string", "toStrings", 1, l_(1, s_("a")));
    EQ("[x]", "toStrings", 1, s_("x"));
    EQ("a-1-true", "join", 2, s_("-"), l_(3, s_("a"), i_(1), T));
    EQ("x", "join", 2, s_("-"), s_("x"));
    EQ("[a b c]", "sortAlpha", 1, l_(3, s_("c"), s_("a"), s_("b")));
    EQ("[3]", "sortAlpha", 1, i_(3));
    EQ("map[_0:a _1:b _2:c]", "split", 2, s_("$"), s_("a$b$c"));
    TYPE("map[string]string", "split", 2, s_("$"), s_("a$b$c"));
    EQ("map[_0:a _1:b$c]", "splitn", 3, s_("$"), i_(2), s_("a$b$c"));
    EQ("map[]", "splitn", 3, s_("$"), i_(0), s_("a$b$c"));
    EQ("[a b c]", "splitList", 2, s_(","), s_("a,b,c"));
    EQ("[a b]", "splitList", 2, s_(""), s_("ab"));
    EQ("[]", "splitList", 2, s_(","), s_(""));
    /* Go: strings.Split("", ",") is [""] */
    const tpl_val *r = call("splitList", 2, s_(","), s_(""));
    assert_int_equal(r->list.n, 1);
}

static void test_strings_random(void **state)
{
    (void)state;
    const tpl_val *r = call("randAlphaNum", 1, i_(32));
    assert_int_equal(r->str.n, 32);
    for (size_t i = 0; i < 32; i++)
        assert_true((r->str.s[i] >= '0' && r->str.s[i] <= '9') ||
                    ((r->str.s[i] | 32) >= 'a' && (r->str.s[i] | 32) <= 'z'));
    r = call("randNumeric", 1, i_(16));
    for (size_t i = 0; i < 16; i++)
        assert_true(r->str.s[i] >= '0' && r->str.s[i] <= '9');
    r = call("randAlpha", 1, i_(16));
    for (size_t i = 0; i < 16; i++)
        assert_true((r->str.s[i] | 32) >= 'a' && (r->str.s[i] | 32) <= 'z');
    r = call("randAscii", 1, i_(16));
    for (size_t i = 0; i < 16; i++)
        assert_true(r->str.s[i] >= 32 && r->str.s[i] < 127);
    EQ("", "randAlphaNum", 1, i_(-1));
    r = call("shuffle", 1, s_("abcdef"));
    assert_int_equal(r->str.n, 6);
    for (const char *p = "abcdef"; *p; p++)
        assert_non_null(memchr(r->str.s, *p, 6));
    const tpl_val *u = call("uuidv4", 0);
    assert_int_equal(u->str.n, 36);
    assert_int_equal(u->str.s[14], '4');
    assert_non_null(strchr("89ab", u->str.s[19]));
}

/* ---------------------------------------------------------------- lists */

static void test_lists(void **state)
{
    (void)state;
    const tpl_val *l = l_(3, i_(1), i_(2), i_(3));
    EQ("[1 2 3 4]", "append", 2, l, i_(4));
    EQ("[0 1 2 3]", "prepend", 2, l, i_(0));
    ERR("Cannot push on type string", "push", 2, s_("x"), i_(4));
    ERR("runtime error: invalid memory address or nil pointer dereference", "first", 1, NIL);
    EQ("1", "first", 1, l);
    EQ("3", "last", 1, l);
    EQ("<nil>", "first", 1, l_(0));
    EQ("[2 3]", "rest", 1, l);
    EQ("[1 2]", "initial", 1, l);
    EQ("[]", "rest", 1, l_(0));
    EQ("[3 2 1]", "reverse", 1, l);
    ERR("Cannot find reverse on type map", "mustReverse", 1, m_(0));
    EQ("[1 2]", "uniq", 1, l_(4, i_(1), i_(2), i_(1), i_(2)));
    /* reflect.DeepEqual: int 1 and int64 1 differ */
    EQ("[1 1]", "uniq", 1, l_(2, i_(1), i64_(1)));
    EQ("[1 3]", "without", 3, l, i_(2), s_("x"));
    EQ("true", "has", 2, i_(2), l);
    EQ("false", "has", 2, i64_(2), l);
    EQ("false", "has", 2, i_(2), NIL);
    ERR("Cannot find has on type string", "mustHas", 2, i_(2), s_("abc"));
    EQ("[a 1]", "compact", 1, l_(5, s_("a"), s_(""), i_(0), NIL, i_(1)));
    EQ("[2 3]", "mustSlice", 2, l, i_(1));
    EQ("[2]", "mustSlice", 3, l, i_(1), i_(2));
    EQ("<nil>", "mustSlice", 1, l_(0));
    ERR("reflect.Value.Slice: slice index out of bounds", "mustSlice", 3, l, i_(2), i_(9));
    EQ("[1 2 3 a]", "concat", 2, l, l_(1, s_("a")));
    ERR("Cannot concat type int as list", "concat", 2, l, i_(1));
    EQ("[[1 2] [3]]", "chunk", 2, i_(2), l);
    TYPE("[][]interface {}", "chunk", 2, i_(2), l);
    EQ("[]", "chunk", 2, i_(2), l_(0));
    EQ("[0 1 2]", "until", 1, i_(3));
    EQ("[0 -1 -2]", "until", 1, i_(-3));
    TYPE("[]int", "until", 1, i_(3));
    EQ("[3 5 7]", "untilStep", 3, i_(3), i_(9), i_(2));
    EQ("[]", "untilStep", 3, i_(3), i_(9), i_(-2));
    EQ("[5 4]", "untilStep", 3, i_(5), i_(3), i_(-1));
    EQ("1 2 3", "seq", 1, i_(3));
    EQ("1 0", "seq", 1, i_(0));
    EQ("2 3 4", "seq", 2, i_(2), i_(4));
    EQ("0 2 4", "seq", 3, i_(0), i_(2), i_(5));
    EQ("", "seq", 3, i_(5), i_(1), i_(0));
    EQ("5 3 1", "seq", 3, i_(5), i_(-2), i_(1));
    EQ("", "seq", 0);
    EQ("[a 1]", "list", 2, s_("a"), i_(1));
    EQ("[a]", "tuple", 1, s_("a"));
}

/* ---------------------------------------------------------------- dicts */

static void test_dicts(void **state)
{
    (void)state;
    EQ("map[1:b a:]", "dict", 3, i_(1), s_("b"), s_("a"));
    const tpl_val *d = m_(2, "a", i_(1), "b", s_("x"));
    EQ("1", "get", 2, d, s_("a"));
    EQ("", "get", 2, d, s_("zz"));
    EQ("", "get", 2, NIL, s_("zz"));
    EQ("map[a:1 b:x c:2]", "set", 3, d, s_("c"), i_(2));
    assert_string_equal(shown(d), "map[a:1 b:x c:2]"); /* set mutates in place */
    d = m_(3, "a", i_(1), "b", s_("x"), "c", i_(2));
    EQ("map[a:1 c:2]", "unset", 2, d, s_("b"));
    EQ("true", "hasKey", 2, d, s_("a"));
    EQ("false", "hasKey", 2, d, s_("b"));
    EQ("[1 9]", "pluck", 3, s_("a"), d, m_(1, "a", i_(9)));
    EQ("[a c z]", "keys", 2, d, m_(1, "z", i_(0)));
    TYPE("[]string", "keys", 1, d);
    EQ("[1 2]", "values", 1, d);
    EQ("map[a:1]", "pick", 3, d, s_("a"), s_("q"));
    EQ("map[c:2]", "omit", 2, d, s_("a"));
    EQ("5", "dig", 4, s_("x"), s_("y"), s_("def"), m_(1, "x", m_(1, "y", i_(5))));
    EQ("def", "dig", 4, s_("x"), s_("q"), s_("def"), m_(1, "x", m_(1, "y", i_(5))));
    ERR("interface conversion: interface {} is int, not map[string]interface {}", "dig", 4, s_("x"),
        s_("y"), s_("def"), m_(1, "x", i_(5)));
    ERR("dig needs at least three arguments", "dig", 2, s_("x"), m_(0));
    tpl_val *vals = tpl_map_new(&E.a, "chartutil.Values");
    ERR("interface conversion: interface {} is chartutil.Values, not map[string]interface {}",
        "dig", 3, s_("x"), s_("d"), vals);
    const tpl_val *orig = m_(1, "l", l_(1, m_(1, "k", i_(1))));
    const tpl_val *cp = call("deepCopy", 1, orig);
    assert_true(tpl_deep_equal(orig, cp));
    assert_ptr_not_equal(cp->map, orig->map);
    assert_ptr_not_equal(tpl_map_getz(cp->map, "l")->list.items[0],
                         tpl_map_getz(orig->map, "l")->list.items[0]);
}

static void test_merge(void **state)
{
    (void)state;
    /* merge fills only missing or empty keys, recursing into maps, in place */
    const tpl_val *dst = m_(4, "a", i_(1), "b", s_(""), "n", m_(1, "x", i_(1)), "f", F);
    const tpl_val *src =
        m_(5, "a", i_(2), "b", s_("B"), "c", i_(3), "n", m_(2, "x", i_(2), "y", i_(2)), "f", T);
    const tpl_val *r = call("merge", 2, dst, src);
    assert_ptr_equal(r, dst);
    assert_string_equal(shown(r), "map[a:1 b:B c:3 f:true n:map[x:1 y:2]]");
    /* a nil in src never fills (merge) but overwrites (mergeOverwrite) */
    EQ("map[a:1]", "merge", 2, m_(1, "a", i_(1)), m_(2, "a", NIL, "z", NIL));
    EQ("map[a:<nil>]", "mergeOverwrite", 2, m_(1, "a", i_(1)), m_(1, "a", NIL));
    /* mergeOverwrite replaces scalars (even with empty values) and lists, merges maps */
    EQ("map[a:0 l:[9] n:map[x:2 y:1]]", "mergeOverwrite", 2,
       m_(3, "a", i_(1), "l", l_(2, i_(1), i_(2)), "n", m_(2, "x", i_(1), "y", i_(1))),
       m_(3, "a", i_(0), "l", l_(1, i_(9)), "n", m_(1, "x", i_(2))));
    /* merge keeps a non-empty list, later sources only fill */
    EQ("map[l:[1] s:x]", "merge", 3, m_(1, "l", l_(1, i_(1))), m_(1, "l", l_(1, i_(2))),
       m_(1, "s", s_("x")));
    EQ("map[k:v]", "merge", 2, NIL, m_(1, "k", s_("v")));
    EQ("map[]", "merge", 2, m_(0), m_(0));
}

/* ---------------------------------------------------------------- math */

static void test_math(void **state)
{
    (void)state;
    EQ("6", "add", 3, i_(1), s_("2"), f_(3.9));
    TYPE("int64", "add", 1, i_(1));
    EQ("0", "add", 0);
    EQ("2", "add1", 1, i_(1));
    EQ("-1", "sub", 2, i_(1), i_(2));
    EQ("24", "mul", 3, i_(2), i_(3), i_(4));
    EQ("3", "div", 2, i_(7), i_(2));
    EQ("-3", "div", 2, i_(-7), i_(2));
    ERR("runtime error: integer divide by zero", "div", 2, i_(1), i_(0));
    EQ("1", "mod", 2, i_(7), i_(3));
    ERR("runtime error: integer divide by zero", "mod", 2, i_(1), i_(0));
    EQ("9", "max", 3, i_(1), i_(9), i_(3));
    EQ("9", "biggest", 2, i_(1), i_(9));
    EQ("-1", "min", 3, i_(1), i_(-1), i_(3));
    EQ("2.5", "maxf", 2, f_(1), f_(2.5));
    EQ("-2.5", "minf", 2, f_(1), f_(-2.5));
    /* decimal arithmetic: 0.1 + 0.2 is exactly 0.3 */
    EQ("0.29999999999999999", "addf", 2, f_(0.1), f_(0.2));
    const tpl_val *r = call("addf", 2, f_(0.1), f_(0.2));
    assert_true(r->f == 0.3);
    r = call("subf", 2, f_(1.1), f_(0.9));
    assert_true(r->f == 0.2);
    r = call("mulf", 2, f_(1.1), f_(3));
    assert_true(r->f == 3.3);
    r = call("divf", 2, f_(1), f_(3));
    assert_true(r->f == 0.3333333333333333);
    r = call("divf", 2, f_(2), f_(3));
    assert_true(r->f == 0.6666666666666667);
    r = call("add1f", 1, f_(1.5));
    assert_true(r->f == 2.5);
    TYPE("float64", "addf", 1, i_(1));
    ERR("decimal division by 0", "divf", 2, f_(1), f_(0));
    EQ("1", "floor", 1, f_(1.7));
    EQ("2", "ceil", 1, s_("1.2"));
    r = call("round", 2, f_(3.14159), i_(2));
    assert_true(r->f == 3.14);
    r = call("round", 3, f_(1.45), i_(1), f_(0.4));
    assert_true(r->f == 1.5);
    r = call("round", 2, f_(2.5), i_(0));
    assert_true(r->f == 3);
    EQ("42", "atoi", 1, s_("42"));
    EQ("0", "atoi", 1, s_("4x"));
    EQ("-7", "atoi", 1, s_("-7"));
    TYPE("int", "atoi", 1, s_("1"));
    /* spf13/cast: base prefixes, "08" fails as octal, trailing zero decimals trimmed */
    EQ("8", "int", 1, s_("010"));
    EQ("0", "int", 1, s_("08"));
    EQ("255", "int64", 1, s_("0xff"));
    EQ("12", "int", 1, s_("12.00"));
    EQ("0", "int", 1, s_("12.5"));
    EQ("1000", "int", 1, s_("1_000"));
    EQ("3", "int", 1, f_(3.99));
    EQ("1", "int64", 1, T);
    TYPE("int", "int", 1, s_("1"));
    TYPE("int64", "int64", 1, s_("1"));
    EQ("1.5", "float64", 1, s_("1.5"));
    EQ("0", "float64", 1, s_("abc"));
    EQ("2", "float64", 1, i_(2));
    EQ("493", "toDecimal", 1, s_("755"));
    EQ("0", "toDecimal", 1, s_("9"));
    const tpl_val *ri = call("randInt", 2, i_(5), i_(6));
    assert_int_equal(ri->i, 5);
    ERR("invalid argument to Intn", "randInt", 2, i_(5), i_(5));
}

/* ---------------------------------------------------------------- defaults, reflection */

static void test_defaults(void **state)
{
    (void)state;
    EQ("d", "default", 2, s_("d"), s_(""));
    EQ("x", "default", 2, s_("d"), s_("x"));
    EQ("d", "default", 1, s_("d"));
    EQ("d", "default", 2, s_("d"), i_(0));
    EQ("false", "default", 2, F, F);
    EQ("d", "default", 2, s_("d"), l_(0));
    EQ("true", "empty", 1, m_(0));
    EQ("false", "empty", 1, f_(0.1));
    EQ("true", "empty", 1, NIL);
    EQ("x", "coalesce", 3, NIL, s_(""), s_("x"));
    EQ("<nil>", "coalesce", 2, NIL, i_(0));
    EQ("true", "all", 2, i_(1), s_("a"));
    EQ("false", "all", 2, i_(1), s_(""));
    EQ("true", "all", 0);
    EQ("true", "any", 2, i_(0), s_("a"));
    EQ("false", "any", 0);
    EQ("yes", "ternary", 3, s_("yes"), s_("no"), T);
    EQ("no", "ternary", 3, s_("yes"), s_("no"), F);
    EQ("int", "typeOf", 1, i_(1));
    EQ("[]interface {}", "typeOf", 1, l_(0));
    EQ("<nil>", "typeOf", 1, NIL);
    EQ("true", "typeIs", 2, s_("float64"), f_(1));
    EQ("true", "typeIsLike", 2, s_("semver.Version"), call("semver", 1, s_("1.2.3")));
    EQ("slice", "kindOf", 1, l_(0));
    EQ("invalid", "kindOf", 1, NIL);
    EQ("true", "kindIs", 2, s_("map"), m_(0));
    EQ("true", "deepEqual", 2, l_(1, i_(1)), l_(1, i_(1)));
    EQ("false", "deepEqual", 2, i_(1), i64_(1));
    /* mustFromJson: encoding/json's values and error texts */
    EQ("map[a:[1 2.5 x\xC3\xA9\xF0\x9F\x98\x80 true <nil>] b:map[]]", "mustFromJson", 1,
       s_("{\"a\": [1, 2.5, \"x\\u00e9\\ud83d\\ude00\", true, null], \"b\": {}}"));
    TYPE("float64", "mustFromJson", 1, s_("7"));
    ERR("unexpected end of JSON input", "mustFromJson", 1, s_(""));
    ERR("invalid character 'x' looking for beginning of value", "mustFromJson", 1, s_("x"));
    ERR("invalid character '1' after object key", "mustFromJson", 1, s_("{\"a\" 1}"));
    ERR("invalid character '2' after array element", "mustFromJson", 1, s_("[1 2]"));
    ERR("invalid character 'x' in literal true (expecting 'e')", "mustFromJson", 1, s_("trux"));
    ERR("invalid character '\\n' in string literal", "mustFromJson", 1, s_("\"a\nb\""));
    ERR("invalid character '}' looking for beginning of object key string", "mustFromJson", 1,
        s_("{\"a\":1,}"));
    ERR("invalid character 'x' looking for beginning of value", "mustFromJson", 1,
        s_("[1e400, x]"));
    ERR("json: cannot unmarshal number 1e400 into Go value of type float64", "mustFromJson", 1,
        s_("[1e400]"));
}

/* ---------------------------------------------------------------- regex, paths, urls */

static void test_regex(void **state)
{
    (void)state;
    EQ("true", "regexMatch", 2, s_("^[a-z]+\\d$"), s_("abc1"));
    EQ("false", "regexMatch", 2, s_("^a$"), s_("a\n")); /* Go's $ is end of text */
    EQ("false", "regexMatch", 2, s_("("), s_("x"));
    ERR("error parsing regexp: missing closing ): `(`", "mustRegexMatch", 2, s_("("), s_("x"));
    ERR("error parsing regexp: invalid or unsupported Perl syntax: `(?=`", "mustRegexMatch", 2,
        s_("a(?=b)"), s_("ab"));
    ERR("regexp: Compile(`(`): error parsing regexp: missing closing ): `(`", "regexFind", 2,
        s_("("), s_("x"));
    EQ("[a1 b2]", "regexFindAll", 3, s_("[a-z]\\d"), s_("a1 b2 c3"), i_(2));
    EQ("[a1 b2 c3]", "regexFindAll", 3, s_("[a-z]\\d"), s_("a1 b2 c3"), i_(-1));
    EQ("[]", "regexFindAll", 3, s_("x"), s_("a1"), i_(-1));
    EQ("[ aaa ]", "regexFindAll", 3, s_("a*"), s_("baaab"), i_(-1)); /* "", "aaa", "" */
    EQ("b2", "regexFind", 2, s_("b\\d"), s_("a1 b2"));
    EQ("", "regexFind", 2, s_("z"), s_("a1 b2"));
    EQ("-W-xxW-", "regexReplaceAll", 3, s_("a(x*)b"), s_("-ab-axxb-"), s_("${1}W"));
    EQ("---", "regexReplaceAll", 3, s_("a(x*)b"), s_("-ab-axxb-"), s_("$1W"));
    EQ("-$1-$1-", "regexReplaceAllLiteral", 3, s_("a(x*)b"), s_("-ab-axxb-"), s_("$1"));
    EQ("XbXbX", "regexReplaceAll", 3, s_("a*"), s_("baab"), s_("X"));
    EQ("a.b", "regexReplaceAll", 3, s_("(?P<first>\\w)-(\\w)"), s_("a-b"), s_("${first}.$2"));
    EQ("[a b c]", "regexSplit", 3, s_(",\\s*"), s_("a, b,c"), i_(-1));
    EQ("[a b,c]", "regexSplit", 3, s_(","), s_("a,b,c"), i_(2));
    EQ("[]", "regexSplit", 3, s_(","), s_("a,b,c"), i_(0));
    EQ("\\[a\\]\\.\\*", "regexQuoteMeta", 1, s_("[a].*"));
    /* RE2's \s has no \v; patterns must be UTF-8 */
    EQ("false", "regexMatch", 2, s_("\\s"), s_("\v"));
    EQ("false", "regexMatch", 2, s_("[\\sx]"), s_("\v"));
    EQ("[a b c]", "regexSplit", 3, s_("\\s+"), s_("a  b\tc"), i_(-1));
    ERR("error parsing regexp: invalid UTF-8: `a\xff`", "mustRegexFind", 2, s_("a\xff"), s_("a"));
}

static void test_paths_urls(void **state)
{
    (void)state;
    EQ("c.txt", "base", 1, s_("/a/b/c.txt"));
    EQ("b", "base", 1, s_("a/b/"));
    EQ(".", "base", 1, s_(""));
    EQ("/", "base", 1, s_("///"));
    EQ("/a/b", "dir", 1, s_("/a/b/c"));
    EQ(".", "dir", 1, s_("c"));
    EQ("/", "dir", 1, s_("/c"));
    EQ("a/c", "clean", 1, s_("a/b/../c/./"));
    EQ("/", "clean", 1, s_("/../.."));
    EQ("../x", "clean", 1, s_("../x"));
    EQ(".", "clean", 1, s_(""));
    EQ(".gz", "ext", 1, s_("a/b.tar.gz"));
    EQ("", "ext", 1, s_("a.d/b"));
    EQ("true", "isAbs", 1, s_("/x"));
    EQ("false", "osIsAbs", 1, s_("x"));
    EQ("map[fragment:f host:example.com:8080 hostname:example.com opaque: path:/a b query:x=1 "
       "scheme:https "
       "userinfo:u:p]",
       "urlParse", 1, s_("HTTPS://u:p@example.com:8080/a%20b?x=1#f"));
    EQ("map[fragment: host: hostname: opaque:x@y.z path: query: scheme:mailto userinfo:]",
       "urlParse", 1, s_("mailto:x@y.z"));
    EQ("https://u:p@h:1/a%20b?q=1#frag", "urlJoin", 1,
       m_(6, "scheme", s_("https"), "host", s_("h:1"), "path", s_("a b"), "query", s_("q=1"),
          "fragment", s_("frag"), "userinfo", s_("u:p")));
    ERR("unable to parse host key, must be of type string, but int found", "urlJoin", 1,
        m_(1, "host", i_(1)));
    ERR("getHostByName example.com: kiln renders offline, no DNS lookups", "getHostByName", 1,
        s_("example.com"));
}

/* ---------------------------------------------------------------- encoding, crypto */

static void test_encoding(void **state)
{
    (void)state;
    EQ("aGVsbG8=", "b64enc", 1, s_("hello"));
    EQ("hello", "b64dec", 1, s_("aGVsbG8="));
    EQ("hello", "b64dec", 1, s_("aGVs\nbG8="));
    EQ("illegal base64 data at input byte 4", "b64dec", 1, s_("aGVsbG8"));
    EQ("illegal base64 data at input byte 1", "b64dec", 1, s_("a!"));
    EQ("NBSWY3DP", "b32enc", 1, s_("hello"));
    EQ("MZXW6===", "b32enc", 1, s_("foo"));
    EQ("foo", "b32dec", 1, s_("MZXW6==="));
    EQ("illegal base32 data at input byte 0", "b32dec", 1, s_("!!!!!!!!"));
    EQ("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d", "sha1sum", 1, s_("hello"));
    EQ("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "sha256sum", 1,
       s_("hello"));
    EQ("9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b"
       "8c5da0c4"
       "663475c2e5c3adef46f73bcdec043",
       "sha512sum", 1, s_("hello"));
    EQ("103547413", "adler32sum", 1, s_("hello"));
    EQ("1", "adler32sum", 1, s_(""));
    const tpl_val *r = call("randBytes", 1, i_(12));
    assert_int_equal(r->str.n, 16);
    ERR("runtime error: makeslice: len out of range", "randBytes", 1, i_(-1));
}

static void test_crypto(void **state)
{
    (void)state;
    const tpl_val *enc = call("encryptAES", 2, s_("secretkey"), s_("plaintext"));
    assert_non_null(enc);
    EQ("plaintext", "decryptAES", 2, s_("secretkey"), enc);
    EQ("", "encryptAES", 2, s_("k"), s_(""));
    ERR("crypto/cipher: input not full blocks", "decryptAES", 2, s_("k"),
        s_("AAAAAAAAAAAAAAAAAAAAAAA="));
    const tpl_val *h = call("htpasswd", 2, s_("user"), s_("pw"));
    assert_int_equal(h->str.n, 5 + 60);
    assert_memory_equal(h->str.s, "user:$2a$10$", 12);
    EQ("invalid username: a:b", "htpasswd", 2, s_("a:b"), s_("pw"));
    EQ("cannot find password template nope", "derivePassword", 5, i_(1), s_("nope"), s_("p"),
       s_("u"), s_("s"));
    const tpl_val *pw =
        call("derivePassword", 5, i_(1), s_("long"), s_("password"), s_("user"), s_("example.com"));
    assert_int_equal(pw->str.n, 14);
    EQ("Unknown type x", "genPrivateKey", 1, s_("x"));
    const tpl_val *k = call("genPrivateKey", 1, s_("ecdsa"));
    assert_memory_equal(k->str.s, "-----BEGIN EC PRIVATE KEY-----\n", 31);
    k = call("genPrivateKey", 1, s_("ed25519"));
    assert_memory_equal(k->str.s, "-----BEGIN PRIVATE KEY-----\n", 28);
    const tpl_val *ca = call("genCA", 2, s_("my-ca"), i_(365));
    assert_non_null(ca);
    EQ("sprig.certificate", "typeOf", 1, ca);
    const tpl_val *crt;
    assert_int_equal(ca->obj.type->get(&E.c, ca, "Cert", NULL, 0, &crt), TPL_LOOKUP_OK);
    assert_memory_equal(crt->str.s, "-----BEGIN CERTIFICATE-----\n", 28);
    const tpl_val *sc = call("genSignedCert", 5, s_("svc"), l_(1, s_("10.0.0.1")),
                             l_(1, s_("svc.local")), i_(30), ca);
    assert_non_null(sc);
    ERR("error parsing ip: nope", "genSelfSignedCert", 4, s_("x"), l_(1, s_("nope")), NIL, i_(1));
    ERR("error processing alternate dns name: 1 is not a string", "genSelfSignedCert", 4, s_("x"),
        NIL, l_(1, i_(1)), i_(1));
    ERR("wrong type for value; expected sprig.certificate; got string", "genSignedCert", 5, s_("x"),
        NIL, NIL, i_(1), s_("ca"));
    const tpl_val *ek = call("genPrivateKey", 1, s_("ecdsa"));
    const tpl_val *cwk =
        call("genSelfSignedCertWithKey", 5, s_("x"), NIL, l_(1, s_("a.b")), i_(1), ek);
    assert_non_null(cwk);
    ERR("parsing private key: no PEM data in input", "genCAWithKey", 3, s_("x"), i_(1), s_("junk"));
}

/* bcrypt with a known salt (the seeded stream's first 16 bytes), checked against libxcrypt's
 * crypt(3) for the same salt. */
static void test_bcrypt_known(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    tpl_opts o = {.rand_seed = 7};
    tpl_ctx c = {.set = tpl_set_new(&a, &o)};
    const tpl_val *arg = tpl_cstr(&a, "abc"), *out = NULL;
    assert_true(tpl_fn_find("bcrypt", 6)->fn(&c, &arg, 1, &out));
    assert_string_equal(out->str.s, "$2a$10$zuywUcRfw0KaXhxyzxvK/.gCSgpraJMSOt9khZ5JQ54bPzPPWHE12");
    ar_free(&a);
}

/* ---------------------------------------------------------------- semver, dates */

static void test_semver(void **state)
{
    (void)state;
    const tpl_val *v = call("semver", 1, s_("v1.2.3-beta.1+build"));
    assert_non_null(v);
    EQ("*semver.Version", "typeOf", 1, v);
    const tpl_val *r;
    assert_int_equal(v->obj.type->get(&E.c, v, "Major", NULL, 0, &r), TPL_LOOKUP_OK);
    assert_int_equal(r->kind, TPL_UINT64);
    assert_int_equal(r->u, 1);
    assert_int_equal(v->obj.type->get(&E.c, v, "Prerelease", NULL, 0, &r), TPL_LOOKUP_OK);
    assert_string_equal(r->str.s, "beta.1");
    assert_int_equal(v->obj.type->get(&E.c, v, "Original", NULL, 0, &r), TPL_LOOKUP_OK);
    assert_string_equal(r->str.s, "v1.2.3-beta.1+build");
    EQ("1.2.3-beta.1+build", "toString", 1, v);
    EQ("1.2.0", "toString", 1, call("semver", 1, s_("1.2")));
    ERR("invalid semantic version", "semver", 1, s_("x.y"));
    ERR("version segment starts with 0", "semver", 1, s_("1.2.3-01"));
    EQ("true", "semverCompare", 2, s_(">=1.19-0"), s_("1.20.0-gke.100"));
    EQ("false", "semverCompare", 2, s_(">=1.19"), s_("1.20.0-gke.100"));
    EQ("true", "semverCompare", 2, s_(">=1.19"), s_("v1.21.3"));
    EQ("true", "semverCompare", 2, s_("^1.2.3"), s_("1.9.0"));
    EQ("false", "semverCompare", 2, s_("^1.2.3"), s_("2.0.0"));
    EQ("true", "semverCompare", 2, s_("~1.2.3"), s_("1.2.9"));
    EQ("false", "semverCompare", 2, s_("~1.2.3"), s_("1.3.0"));
    EQ("true", "semverCompare", 2, s_("1.2.x"), s_("1.2.7"));
    EQ("true", "semverCompare", 2, s_("<1.0 || >=2.1"), s_("2.1.0"));
    EQ("false", "semverCompare", 2, s_("<1.0 || >=2.1"), s_("1.5.0"));
    EQ("true", "semverCompare", 2, s_("1.1 - 1.3"), s_("1.3.0"));
    EQ("false", "semverCompare", 2, s_(">1.2, <1.4"), s_("1.4.0"));
    EQ("true", "semverCompare", 2, s_("*"), s_("9.9.9"));
    EQ("true", "semverCompare", 2, s_("!=1.2.3"), s_("1.2.4"));
    EQ("true", "semverCompare", 2, s_(">= 1.2.3-alpha.2"), s_("1.2.3-alpha.10"));
    EQ("true", "semverCompare", 2, s_(">= 1.2.3-alpha.2"),
       s_("1.2.3-alpha.10a")); /* text > number */
    ERR("improper constraint: >>1", "semverCompare", 2, s_(">>1"), s_("1.0.0"));
    ERR("invalid semantic version", "semverCompare", 2, s_(">1"), s_("one"));
}

/* The single-constraint fast path agrees with the library's patterns: `C || <0.0.0-0` means C
 * (nothing is below 0.0.0-0) but always takes the pattern path. */
static void test_semver_paths(void **state)
{
    (void)state;
    static const char *const cons[] = {
        ">=1.19-0", ">= 1.19",        "^1.2.3", "^0.2.3",  "^0.0.3",  "^1.x",   "~1.2",
        "~1",       "~>1.2.3",        "1.2.x",  "*",       "1.2",     "=1.2.3", "!=1.2",
        "!=1.2.3",  ">1.2",           ">1",     "<=1.2",   "<=1.2.3", "=<1",    "<1.3.0-beta",
        "v1.2.3",   ">1.2.3-alpha.1", "x",      "1.2.3-0", "=>0.9"};
    static const char *const vers[] = {
        "0.0.1", "0.2.5",      "1.0.0",        "1.2.0",  "1.2.3", "1.2.4-beta",    "1.2.9",
        "1.3.0", "1.3.0-beta", "1.19.0-gke.1", "1.20.0", "2.0.0", "1.2.3-alpha.2", "v1.2.3+meta"};
    for (size_t i = 0; i < sizeof cons / sizeof *cons; i++)
        for (size_t j = 0; j < sizeof vers / sizeof *vers; j++) {
            const tpl_val *fast = call("semverCompare", 2, s_(cons[i]), s_(vers[j]));
            const char *slow_c = ar_printf(&E.a, "%s || <0.0.0-0", cons[i]);
            const tpl_val *slow = call("semverCompare", 2, s_(slow_c), s_(vers[j]));
            if (!fast || !slow) fail_msg("%s / %s: %s", cons[i], vers[j], E.err);
            if (fast->b != slow->b)
                fail_msg("%s vs %s: fast %d slow %d", cons[i], vers[j], fast->b, slow->b);
        }
}

static void test_dates(void **state)
{
    (void)state;
    const tpl_val *now = call("now", 0);
    EQ("time.Time", "typeOf", 1, now);
    EQ("2023-11-14 22:13:20.123456789 +0000 UTC", "toString", 1, now);
    EQ("2023-11-14", "htmlDate", 1, now);
    EQ("2023-11-14", "date", 2, s_("2006-01-02"), now);
    EQ("Tue Nov 14 10:13:20 PM 2023 .123", "date", 2, s_("Mon Jan 2 3:04:05 PM 2006 .000"), now);
    EQ("1970-01-01T00:00:10Z", "date", 2, s_("2006-01-02T15:04:05Z07:00"), i_(10));
    EQ("1700000000", "unixEpoch", 1, now);
    ERR("wrong type for value; expected time.Time; got string", "unixEpoch", 1, s_("x"));
    EQ("2023-11-15 00:13:20 +0200 EET", "dateInZone", 3, s_("2006-01-02 15:04:05 -0700 MST"), now,
       s_("Europe/Helsinki"));
    EQ("2023-11-14", "dateInZone", 3, s_("2006-01-02"), now, s_("No/Such_Zone"));
    EQ("2023-11-14 23:43:20.123456789 +0000 UTC", "toString", 1,
       call("dateModify", 2, s_("1h30m"), now));
    EQ("2023-11-14 22:13:20.123456789 +0000 UTC", "toString", 1,
       call("dateModify", 2, s_("x"), now));
    ERR("time: invalid duration \"x\"", "mustDateModify", 2, s_("x"), now);
    ERR("time: missing unit in duration \"1\"", "mustDateModify", 2, s_("1"), now);
    ERR("time: unknown unit \"d\" in duration \"1d\"", "mustDateModify", 2, s_("1d"), now);
    EQ("1m35s", "duration", 1, s_("95"));
    EQ("0s", "duration", 1, i_(95)); /* only int64 and strings count */
    EQ("26h0m0s", "duration", 1, i64_(93600));
    EQ("2h", "durationRound", 1, s_("2h10m"));
    EQ("1y", "durationRound", 1, i64_(400LL * 24 * 3600 * 1000000000LL));
    EQ("3mo", "durationRound", 1, s_("2200h"));
    EQ("0s", "durationRound", 1, s_("1s"));
    EQ("1h0m0s", "ago", 1, i64_(1700000000 - 3600));
    EQ("2017-12-31 00:00:00 +0000 UTC", "toString", 1,
       call("toDate", 2, s_("2006-01-02"), s_("2017-12-31")));
    EQ("0001-01-01 00:00:00 +0000 UTC", "toString", 1,
       call("toDate", 2, s_("2006-01-02"), s_("bad")));
    ERR("parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\"", "mustToDate", 2,
        s_("2006-01-02"), s_("bad"));
    EQ("2020-02-03 04:05:06 +0100 +0100", "toString", 1,
       call("mustToDate", 2, s_("2006-01-02T15:04:05Z07:00"), s_("2020-02-03T04:05:06+01:00")));
    const tpl_val *r;
    assert_int_equal(now->obj.type->get(&E.c, now, "Year", NULL, 0, &r), TPL_LOOKUP_OK);
    assert_int_equal(r->i, 2023);
    const tpl_val *fa[1] = {s_("Jan _2 15h")};
    assert_int_equal(now->obj.type->get(&E.c, now, "Format", fa, 1, &r), TPL_LOOKUP_OK);
    assert_string_equal(r->str.s, "Nov 14 22h");
}

/* ---------------------------------------------------------------- through the engine */

/* Every case of tests/golden/template/SPRIG-CASES.md rendered by the engine (TZ=UTC, Helm's
 * "<no value>" removal), so the list handed to the golden charts is checked here too. */
static void test_cases_file(void **state)
{
    (void)state;
    FILE *f = fopen("tests/golden/template/SPRIG-CASES.md", "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool in_block = false;
    int cases = 0, failures = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n') line[--n] = 0;
        if (!strncmp(line, "```", 3)) {
            in_block = !in_block;
            continue;
        }
        char *arrow = in_block ? strstr(line, " =>") : NULL;
        if (!arrow) continue;
        *arrow = 0;
        const char *want_esc = arrow[3] == ' ' ? arrow + 4 : arrow + 3;
        buf_t want = {0};
        for (const char *p = want_esc; *p; p++) {
            if (p[0] == '\\' && p[1] == 'n') {
                buf_putc(&want, '\n');
                p++;
            } else {
                buf_putc(&want, *p);
            }
        }
        arena a;
        ar_init(&a);
        tpl_set *s = tpl_set_new(&a, NULL);
        buf_t got = {0};
        bool ok =
            tpl_parse(s, "t.yaml", line, strlen(line), 0) && tpl_exec(s, "t.yaml", tpl_nil(), &got);
        /* Helm's engine drops "<no value>" */
        buf_t clean = {0};
        const char *g = buf_cstr(&got);
        for (const char *p = g; *p;) {
            if (!strncmp(p, "<no value>", 10)) {
                p += 10;
                continue;
            }
            buf_putc(&clean, *p++);
        }
        cases++;
        if (!ok || strcmp(buf_cstr(&clean), buf_cstr(&want)) != 0) {
            failures++;
            fprintf(stderr, "case %s\n  want: %s\n  got:  %s\n", line, buf_cstr(&want),
                    ok ? buf_cstr(&clean) : tpl_last_error(s)->msg);
        }
        buf_free(&want);
        buf_free(&got);
        buf_free(&clean);
        ar_free(&a);
    }
    free(line);
    fclose(f);
    assert_true(cases > 150);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_basic),
        cmocka_unit_test(test_strings_words),
        cmocka_unit_test(test_strings_quote_cat),
        cmocka_unit_test(test_strings_random),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_dicts),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_math),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_regex),
        cmocka_unit_test(test_paths_urls),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_crypto),
        cmocka_unit_test(test_bcrypt_known),
        cmocka_unit_test(test_semver),
        cmocka_unit_test(test_semver_paths),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_cases_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
