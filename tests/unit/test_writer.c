/* Writer tests: the quoting table and layout rules of kustomize's YAML output. Every expected
 * line below was printed by kubectl kustomize (kustomize v5.7.1) for the same input value. */
#include "unit.h"

typedef struct row {
    const char *in;  /* the value as written in the input document, after "v: " */
    const char *out; /* what kustomize prints after "v:" */
} row;

static const row quoting[] = {
    /* strings that would read back as another type: double quotes, YAML 1.1 rules included */
    {"\"yes\"", " \"yes\""},
    {"yes", " \"yes\""}, /* plain yes is a string to go-yaml v3, quoted on output */
    {"on", " \"on\""},
    {"\"OFF\"", " \"OFF\""},
    {"\"y\"", " \"y\""},
    {"\"n\"", " \"n\""},
    {"\"true\"", " \"true\""},
    {"\"null\"", " \"null\""},
    {"\"~\"", " \"~\""},
    {"\"0777\"", " \"0777\""},
    {"\"0x1F\"", " \"0x1F\""},
    {"\"1e3\"", " \"1e3\""},
    {"\"3.14\"", " \"3.14\""},
    {"\"1.10\"", " \"1.10\""},
    {"\"-7\"", " \"-7\""},
    {"\"+1\"", " \"+1\""},
    {"\"1_000\"", " \"1_000\""},
    {"\"1:20\"", " \"1:20\""},
    {"\"12:30:00\"", " \"12:30:00\""},
    {"\"190:20:30\"", " \"190:20:30\""},
    {"\".inf\"", " \".inf\""},
    {"\"0b101\"", " \"0b101\""},
    {"\"0o17\"", " \"0o17\""},
    {"\"2024-01-01\"", " \"2024-01-01\""},
    {"\"\"", " \"\""},
    /* syntax hazards: single quotes */
    {"\"*\"", " '*'"},
    {"\"&a\"", " '&a'"},
    {"\"!tag\"", " '!tag'"},
    {"\"%x\"", " '%x'"},
    {"\"@home\"", " '@home'"},
    {"\"`cmd`\"", " '`cmd`'"},
    {"\"a: b\"", " 'a: b'"},
    {"\"-\"", " '-'"},
    {"\"---\"", " '---'"},
    {"\" padded\"", " ' padded'"},
    {"\"trailing \"", " 'trailing '"},
    {"\"{\\\"a\\\": [1, 2]}\"", " '{\"a\": [1, 2]}'"},
    /* control characters: double quotes with escapes */
    {"\"a\\tb\"", " \"a\\tb\""},
    {"\"\\x01\"", " \"\\x01\""},
    {"\"line one  \\nline two\"", " \"line one  \\nline two\""},
    {"\"\\u0085x\"", " ' x'"}, /* NEL folds to a space in kustomize's JSON round trip */
    /* plain */
    {"'it''s'", " it's"},
    {"say \"hi\"", " say \"hi\""},
    {"\"é\"", " é"},
    {"a  b", " a  b"},
    {"\"1.5e400\"", " 1.5e400"},
    /* numbers and other types */
    {"1.0", " 1"},
    {"1e3", " 1000"},
    {"0.000001", " 1e-06"},
    {"1e21", " 1e+21"},
    {"0o17", " 15"},
    {"012", " 10"},
    {"0x1F", " 31"},
    {"1_000", " 1000"},
    {".5", " 0.5"},
    {"3.14", " 3.14"},
    {"1.10", " 1.1"},
    {"+12", " 12"},
    {"0b101", " 5"},
    {"123456789012345678901234567890", " 1.2345678901234568e+29"},
    {"1.5e400", " 1.5e400"},
    {"True", " true"},
    {"~", " null"},
    {"", " null"},
    {"2024-01-01", " \"2024-01-01T00:00:00Z\""},
    {"2001-12-14t21:59:43.10-05:00", " \"2001-12-14T21:59:43.1-05:00\""},
    {"!!str 123", " \"123\""},
    {"!!int \"42\"", " 42"},
    {"!custom foo", " foo"},
    {"!!binary aGVsbG8=", " hello"},
    {"{}", " {}"},
    {"[]", " []"},
    /* multi-line strings */
    {"\"x\\n\"", " |\n  x"},
    {"\"x\\ny\"", " |-\n  x\n  y"},
    {"|-\n    one", " one"},
};

static void test_quoting_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof quoting / sizeof *quoting; i++) {
        char in[512], want[512];
        snprintf(in, sizeof in, "v:%s%s\n", quoting[i].in[0] ? " " : "", quoting[i].in);
        snprintf(want, sizeof want, "v:%s\n", quoting[i].out);
        char *got = unit_roundtrip(in);
        if (strcmp(got, want)) fail_msg("input %s: want %s got %s", in, want, got);
        free(got);
    }
}

static void test_keep_chomp_and_folded(void **state)
{
    (void)state;
    char *got = unit_roundtrip("v: \"x\\n\\n\"\nf: >\n  folded text\n  more\n");
    assert_string_equal(got, "f: |\n  folded text more\nv: |+\n  x\n\n");
    free(got);
}

static void test_key_order_natural(void **state)
{
    (void)state;
    char *got = unit_roundtrip("a10: x\na9: y\nA: z\nb_1: q\nb-1: q\n\"#c\": 3\n\"123\": k\n");
    assert_string_equal(got, "'#c': 3\n\"123\": k\nA: z\na9: \"y\"\na10: x\nb-1: q\nb_1: q\n");
    free(got);
}

static void test_sequences_not_indented(void **state)
{
    (void)state;
    char *got = unit_roundtrip("nested:\n  - a: 1\n    b: [x]\n  - - p\n    - q\n");
    assert_string_equal(got, "nested:\n- a: 1\n  b:\n  - x\n- - p\n  - q\n");
    free(got);
}

static void test_long_plain_folds_at_80(void **state)
{
    (void)state;
    char *got = unit_roundtrip(
        "data:\n  long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm "
        "nnnn oooo pppp qqqq rrrr ssss tttt uuuu\n");
    assert_string_equal(got, "data:\n  long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj "
                             "kkkk llll mmmm nnnn oooo\n"
                             "    pppp qqqq rrrr ssss tttt uuuu\n");
    free(got);
}

static void test_long_single_quoted_folds(void **state)
{
    (void)state;
    char *got = unit_roundtrip(
        "data:\n  longq: \"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll "
        "mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu: v\"\n");
    assert_string_equal(got, "data:\n  longq: 'aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj "
                             "kkkk llll mmmm nnnn oooo\n"
                             "    pppp qqqq rrrr ssss tttt uuuu: v'\n");
    free(got);
}

static void test_multiline_key_is_complex(void **state)
{
    (void)state;
    char *got = unit_roundtrip("? |\n  multi\n: v\n");
    assert_string_equal(got, "? |\n  multi\n: v\n");
    free(got);
}

static void test_stream_separator(void **state)
{
    (void)state;
    char *got = unit_roundtrip("a: 1\n---\nb: 2\n");
    assert_string_equal(got, "a: 1\n---\nb: 2\n");
    free(got);
}

static void test_json_output(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "b: [1, \"<x>\"]\na: {c: 1.5, d: null}\n");
    buf_t b = {0};
    em_json_doc(&b, u.docs.docs[0], 0);
    assert_string_equal(b.data, "{\"a\":{\"c\":1.5,\"d\":null},\"b\":[1,\"\\u003cx\\u003e\"]}\n");
    buf_free(&b);
    unit_free(&u);
    /* Go's encoding/json writes \b and \f as short escapes */
    unit_load(&u, "v: \"a\\bb\\fc\"\n");
    em_json_doc(&b, u.docs.docs[0], 0);
    assert_string_equal(b.data, "{\"v\":\"a\\bb\\fc\"}\n");
    buf_free(&b);
    unit_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quoting_table),
        cmocka_unit_test(test_keep_chomp_and_folded),
        cmocka_unit_test(test_key_order_natural),
        cmocka_unit_test(test_sequences_not_indented),
        cmocka_unit_test(test_long_plain_folds_at_80),
        cmocka_unit_test(test_long_single_quoted_folds),
        cmocka_unit_test(test_multiline_key_is_complex),
        cmocka_unit_test(test_stream_separator),
        cmocka_unit_test(test_json_output),
    };
    return cmocka_run_group_tests_name("writer", tests, NULL, NULL);
}
