/* Generator and hash suffix tests: every expected object, name suffix and failure below was
 * produced by kubectl kustomize (kustomize v5.7.1) from the same kustomization and files. */
#define _XOPEN_SOURCE 700
#include "unit.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kustomize/kz_int.h"

typedef struct tfile {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
} tfile;

typedef struct gen_result {
    bool ok;
    char *yaml;   /* generated objects, names with their suffix, joined by "---" (malloc'd) */
    char *errors; /* rendered diagnostics (malloc'd) */
    const char *behaviors[8];
    bool needs_hash[8];
    size_t n;
} gen_result;

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void write_file(const char *dir, const tfile *f)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, f->name);
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir(path, 0755);
    *slash = '/';
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    size_t len = f->len ? f->len : strlen(f->data);
    assert_int_equal(fwrite(f->data, 1, len, fp), len);
    fclose(fp);
}

/* Writes the files and kustomization.yaml (in `sub`, "" = the root) into a fresh directory and
 * runs every configMapGenerator then secretGenerator entry. */
static gen_result run_in(const char *sub, const char *kustomization, const tfile *files,
                         size_t nfiles, bool load_none)
{
    char tmpl[] = "/tmp/kiln-gen-XXXXXX";
    char *root = mkdtemp(tmpl);
    assert_non_null(root);
    for (size_t i = 0; i < nfiles; i++)
        write_file(root, &files[i]);
    char kpath[256];
    snprintf(kpath, sizeof kpath, "%s%s%skustomization.yaml", sub, *sub ? "/" : "", "");
    tfile kf = {kpath, kustomization, 0};
    write_file(root, &kf);

    gen_result r = {0};
    arena a;
    ar_init(&a);
    diag_ctx d;
    diag_init(&d);
    src_tree t;
    const char *err;
    assert_true(src_open_fs(&t, root, &err));
    kz_ctx k = {.a = &a, .d = &d, .src = &t, .load_none = load_none};
    const char *dir = *sub ? src_join(&a, root, sub) : root;
    char *text;
    size_t len;
    const char *kfile = src_join(&a, dir, "kustomization.yaml");
    assert_true(src_read(&t, &a, kfile, &text, &len, &err));
    uint32_t fid = diag_file_add(&d, "kustomization.yaml", text, len);
    ky_opts o = {.flavor = KY_V3};
    ky_docs docs;
    assert_true(ky_load(&a, &d, fid, text, len, &o, &docs));
    ir_node *kz = docs.docs[0];
    const ir_node *opts = ir_map_get(kz, "generatorOptions");
    buf_t out = {0};
    r.ok = true;
    const char *lists[2] = {"configMapGenerator", "secretGenerator"};
    for (int s = 0; s < 2; s++) {
        const ir_node *l = ir_map_get(kz, lists[s]);
        for (size_t i = 0; l && i < l->seq.n; i++) {
            ir_node *obj;
            const char *beh;
            bool nh;
            if (!kz_generate(&k, dir, l->seq.items[i], s == 1, opts, &obj, &beh, &nh)) {
                r.ok = false;
                continue;
            }
            if (r.n < 8) r.behaviors[r.n] = beh, r.needs_hash[r.n] = nh;
            r.n++;
            if (nh) {
                char h[11];
                kz_hash_suffix(obj, h);
                ir_node *name = ir_get_path(obj, (const char *const[]){"metadata", "name", NULL});
                name->sc.s = ar_printf(&a, "%s-%s", name->sc.s, h);
                name->sc.n = strlen(name->sc.s);
            }
            if (out.len) buf_puts(&out, "---\n");
            assert_true(em_yaml_doc(&out, obj));
        }
    }
    r.yaml = strdup(out.data ? out.data : "");
    buf_free(&out);
    char *buf = NULL;
    size_t blen = 0;
    FILE *m = open_memstream(&buf, &blen);
    diag_print(&d, m, false);
    fclose(m);
    r.errors = buf;
    src_close(&t);
    diag_free(&d);
    ar_free(&a);
    nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return r;
}

static gen_result run(const char *kustomization, const tfile *files, size_t nfiles)
{
    return run_in("", kustomization, files, nfiles, false);
}

static void result_free(gen_result *r)
{
    free(r->yaml);
    free(r->errors);
}

static void expect_yaml(const char *kustomization, const tfile *files, size_t nfiles,
                        const char *want)
{
    gen_result r = run(kustomization, files, nfiles);
    if (!r.ok) fprintf(stderr, "%s", r.errors);
    assert_true(r.ok);
    assert_string_equal(r.yaml, want);
    result_free(&r);
}

static void expect_error(const char *kustomization, const tfile *files, size_t nfiles,
                         const char *needle)
{
    gen_result r = run(kustomization, files, nfiles);
    assert_false(r.ok);
    if (!strstr(r.errors, needle)) fprintf(stderr, "%s", r.errors);
    assert_non_null(strstr(r.errors, needle));
    result_free(&r);
}

/* The suffix kz_hash_suffix gives the single document `doc`. */
static void expect_hash(const char *doc, const char *want)
{
    unit_env u;
    unit_load(&u, doc);
    assert_true(u.ok);
    char h[11];
    kz_hash_suffix(u.docs.docs[0], h);
    assert_string_equal(h, want);
    unit_free(&u);
}

static void test_literals_files_envs_and_global_labels(void **state)
{
    (void)state;
    static const tfile files[] = {
        {"app.env", "a=1\n# comment\n\n  export B=2\nC\nD=\"q\"\n", 0},
        {"f.txt", "hello\n", 0},
        {"bin.dat", "\x00\x01\xff", 3},
    };
    expect_yaml(
        "configMapGenerator:\n"
        "- name: cm\n"
        "  literals: [\"x=<a&b>\", \"q=\\\"quoted\\\"\", \"s='single'\", \"e=\", \"multi=a=b\"]\n"
        "  files: [f.txt, k2=bin.dat]\n"
        "  envs: [app.env]\n"
        "- name: empty\n"
        "secretGenerator:\n"
        "- name: esec\n"
        "  type: kubernetes.io/tls\n"
        "  options:\n"
        "    labels: {l: x}\n"
        "    annotations: {an: \"y\"}\n"
        "    immutable: true\n"
        "    disableNameSuffixHash: true\n"
        "- name: sec\n"
        "  literals: [a=b]\n"
        "generatorOptions:\n"
        "  labels: {l: global, g: \"1\"}\n",
        files, 3,
        "apiVersion: v1\nbinaryData:\n  k2: AAH/\ndata:\n  C: \"\"\n  D: '\"q\"'\n  a: \"1\"\n  e: "
        "\"\"\n"
        "  export B: \"2\"\n  f.txt: |\n    hello\n  multi: a=b\n  q: quoted\n  s: single\n  x: "
        "<a&b>\n"
        "kind: ConfigMap\nmetadata:\n  labels:\n    g: \"1\"\n    l: global\n  name: "
        "cm-ttg8bf4m76\n"
        "---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    g: \"1\"\n    l: global\n"
        "  name: empty-6ct58987ht\n"
        "---\n"
        "apiVersion: v1\ndata: {}\nimmutable: true\nkind: Secret\nmetadata:\n  annotations:\n    "
        "an: \"y\"\n"
        "  labels:\n    g: \"1\"\n    l: x\n  name: esec\ntype: kubernetes.io/tls\n"
        "---\n"
        "apiVersion: v1\ndata:\n  a: Yg==\nkind: Secret\nmetadata:\n  labels:\n    g: \"1\"\n    "
        "l: global\n"
        "  name: sec-k695gkmbtk\ntype: Opaque\n");
}

static void test_empty_generators(void **state)
{
    (void)state;
    /* an empty ConfigMap has no data (hashed as ""); an empty Secret has data: {} */
    expect_yaml(
        "configMapGenerator:\n- name: cm\nsecretGenerator:\n- name: s\n", NULL, 0,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-6ct58987ht\n---\n"
        "apiVersion: v1\ndata: {}\nkind: Secret\nmetadata:\n  name: s-46f8b28mk5\ntype: Opaque\n");
}

static void test_literal_keys_not_validated_and_quotes(void **state)
{
    (void)state;
    expect_yaml("configMapGenerator:\n- name: cm\n"
                "  literals: [\"a/b=1\", \"a b=2\", \"..=3\", \"\xc3\xbc=4\", \"x='\", "
                "\"y=\\\"a'\", \"z=''\"]\n",
                NULL, 0,
                "apiVersion: v1\ndata:\n  ..: \"3\"\n  a b: \"2\"\n  a/b: \"1\"\n  x: ''''\n  "
                "\"y\": '\"a'''\n  z: \"\"\n"
                "  \xc3\xbc: \"4\"\nkind: ConfigMap\nmetadata:\n  name: cm-hktfbh8h6b\n");
}

static void test_env_file_rules(void **state)
{
    (void)state;
    /* BOM on the first line only, CRLF, leading white space, spaces kept around '=', values not
     * unquoted, an empty key ignored */
    static const tfile files[] = {
        {"e.env",
         "\xef\xbb\xbf"
         "A=1\r\nB=2\r\n\xef\xbb\xbf"
         "C=3\n  # c\n\t D = 4 \nE=x=y\n=5\n",
         0},
    };
    gen_result r = run("configMapGenerator:\n- name: cm\n  envs: [e.env]\n", files, 1);
    assert_true(r.ok);
    assert_non_null(strstr(r.yaml, "  A: \"1\"\n  B: \"2\"\n"));
    assert_non_null(strstr(r.yaml, "  'D ': ' 4 '\n  E: x=y\n"));
    assert_non_null(strstr(r.yaml, "  \"\\uFEFF\\x43\": \"3\"\n"));
    assert_non_null(strstr(r.yaml, "name: cm-8tct4f7d97\n"));
    result_free(&r);
}

static void test_env_long_line_stops_scanning(void **state)
{
    (void)state;
    /* bufio.Scanner stops at a line of 64 KiB; kustomize keeps what it read before */
    size_t n = 4 + 2 + 65534 + 1 + 4;
    char *text = malloc(n + 1);
    memcpy(text, "A=1\nB=", 6);
    memset(text + 6, 'x', 65534);
    memcpy(text + 6 + 65534, "\nC=3\n", 6);
    tfile files[] = {{"a.env", text, n}};
    expect_yaml(
        "configMapGenerator:\n- name: cm\n  envs: [a.env]\n", files, 1,
        "apiVersion: v1\ndata:\n  A: \"1\"\nkind: ConfigMap\nmetadata:\n  name: cm-89g4tffbfk\n");
    free(text);
}

static void test_base64_lines_and_secret_escapes(void **state)
{
    (void)state;
    static char b52[52], b53[53], b200[200], t[60];
    for (int i = 0; i < 52; i++)
        b52[i] = (char)(200 + i);
    for (int i = 0; i < 53; i++)
        b53[i] = (char)(200 + i);
    for (int i = 0; i < 200; i++)
        b200[i] = (char)((128 + i) % 256);
    memset(t, 'x', sizeof t);
    const tfile files[] = {{"b52", b52, 52}, {"b53", b53, 53}, {"b200", b200, 200}, {"t", t, 60}};
    expect_yaml(
        "configMapGenerator:\n- name: cm\n  files: [b52, b53, b200]\n"
        "secretGenerator:\n- name: s\n  files: [t, b53]\n  literals: [\"k=<&>\\u2028\"]\n",
        files, 4,
        "apiVersion: v1\nbinaryData:\n"
        "  b52: |\n    yMnKy8zNzs/Q0dLT1NXW19jZ2tvc3d7f4OHi4+Tl5ufo6err7O3u7/Dx8vP09fb3+Pn6+w\n    "
        "==\n"
        "  b53: |\n    yMnKy8zNzs/Q0dLT1NXW19jZ2tvc3d7f4OHi4+Tl5ufo6err7O3u7/Dx8vP09fb3+Pn6+/\n    "
        "w=\n"
        "  b200: |\n    gIGCg4SFhoeIiYqLjI2Oj5CRkpOUlZaXmJmam5ydnp+goaKjpKWmp6ipqqusra6vsLGys7\n"
        "    S1tre4ubq7vL2+v8DBwsPExcbHyMnKy8zNzs/Q0dLT1NXW19jZ2tvc3d7f4OHi4+Tl5ufo\n"
        "    6err7O3u7/Dx8vP09fb3+Pn6+/z9/v8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB\n"
        "    0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkc=\n"
        "kind: ConfigMap\nmetadata:\n  name: cm-5g2cht28mh\n"
        "---\n"
        "apiVersion: v1\ndata:\n"
        "  b53: |\n    yMnKy8zNzs/Q0dLT1NXW19jZ2tvc3d7f4OHi4+Tl5ufo6err7O3u7/Dx8vP09fb3+Pn6+/\n    "
        "w=\n"
        "  k: PCY+4oCo\n"
        "  t: |\n    eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eH\n    "
        "h4eHh4eHh4\n"
        "kind: Secret\nmetadata:\n  name: s-9bk7875hc6\ntype: Opaque\n");
}

static void test_options_merge(void **state)
{
    (void)state;
    /* the entry's annotation wins, global ones fill in; the booleans are or-ed; env comes after
     * envs */
    static const tfile files[] = {{"a.env", "K=a\n", 0}, {"b.env", "K2=b\n", 0}};
    gen_result r =
        run("configMapGenerator:\n- name: cm\n  namespace: ns1\n  behavior: merge\n  env: a.env\n"
            "  envs: [b.env]\n  options:\n    labels: {}\n    annotations: {z: \"1\"}\n"
            "generatorOptions:\n  labels: {a: b}\n  annotations: {z: \"2\", w: \"3\"}\n"
            "  disableNameSuffixHash: true\n  immutable: true\n",
            files, 2);
    assert_true(r.ok);
    assert_string_equal(
        r.yaml,
        "apiVersion: v1\ndata:\n  K: a\n  K2: b\nimmutable: true\nkind: ConfigMap\nmetadata:\n"
        "  annotations:\n    w: \"3\"\n    z: \"1\"\n  labels:\n    a: b\n  name: cm\n"
        "  namespace: ns1\n");
    assert_string_equal(r.behaviors[0], "merge");
    assert_false(r.needs_hash[0]);
    result_free(&r);
}

static void test_behaviors(void **state)
{
    (void)state;
    gen_result r = run("configMapGenerator:\n- name: a\n- name: b\n  behavior: replace\n- name: "
                       "c\n  behavior: bogus\n"
                       "- name: d\n  behavior: create\n",
                       NULL, 0);
    assert_true(r.ok);
    assert_int_equal(r.n, 4);
    assert_string_equal(r.behaviors[0], "create");
    assert_string_equal(r.behaviors[1], "replace");
    assert_string_equal(r.behaviors[2], "create"); /* kustomize treats it as unspecified */
    assert_string_equal(r.behaviors[3], "create");
    assert_true(r.needs_hash[0]);
    assert_non_null(strstr(r.errors, "warning: unknown behavior 'bogus'"));
    result_free(&r);
}

static void test_literal_errors(void **state)
{
    (void)state;
    expect_error("configMapGenerator:\n- name: cm\n  literals: [noeq]\n", NULL, 0,
                 "invalid literal source 'noeq', expected key=value");
    expect_error("configMapGenerator:\n- name: cm\n  literals: [\"=x\"]\n", NULL, 0,
                 "invalid literal source '=x'");
    expect_error("configMapGenerator:\n- name: cm\n  literals: [null]\n", NULL, 0,
                 "invalid literal source ''");
    expect_error("configMapGenerator:\n- name: cm\n  literals: [a=1, a=2]\n", NULL, 0,
                 "'cm' repeats the key 'a'");
    expect_error("configMapGenerator:\n- literals: [a=1]\n", NULL, 0,
                 "a configMapGenerator entry must have a name");
    expect_error("secretGenerator:\n- literals: [a=1]\n", NULL, 0,
                 "a secretGenerator entry must have a name");
}

static void test_file_source_errors(void **state)
{
    (void)state;
    static const tfile files[] = {{"sub/y", "x\n", 0}, {"a.env", "A=\xff\n", 0}};
    expect_error("configMapGenerator:\n- name: cm\n  files: [missing.txt]\n", files, 2,
                 "file 'missing.txt' not found");
    expect_error("configMapGenerator:\n- name: cm\n  files: [\"=a\"]\n", files, 2,
                 "missing key name for file path 'a'");
    expect_error("configMapGenerator:\n- name: cm\n  files: [\"a=\"]\n", files, 2,
                 "missing file path for key name 'a'");
    expect_error("configMapGenerator:\n- name: cm\n  files: [\"a=b=c\"]\n", files, 2,
                 "contains '='");
    expect_error("configMapGenerator:\n- name: cm\n  files: [sub]\n", files, 2,
                 "'sub' must resolve to a file");
    expect_error("configMapGenerator:\n- name: cm\n  envs: [a.env]\n", files, 2,
                 "line 1 has invalid UTF-8");
    /* a key repeated between an env file and a file source */
    static const tfile dup[] = {{"k", "v", 0}, {"d.env", "k=1\n", 0}};
    expect_error("configMapGenerator:\n- name: cm\n  envs: [d.env]\n  files: [k]\n", dup, 2,
                 "'cm' repeats the key 'k'");
}

static void test_load_restriction(void **state)
{
    (void)state;
    static const tfile files[] = {{"other.txt", "v\n", 0}};
    const char *kz = "configMapGenerator:\n- name: cm\n  files: [../other.txt]\n";
    gen_result r = run_in("sub", kz, files, 1, false);
    assert_false(r.ok);
    assert_non_null(strstr(r.errors, "security: file"));
    result_free(&r);
    r = run_in("sub", kz, files, 1, true);
    assert_true(r.ok);
    assert_non_null(strstr(r.yaml, "  other.txt: |\n    v\n"));
    result_free(&r);
}

static void test_field_types_like_strict_json(void **state)
{
    (void)state;
    expect_error("configMapGenerator:\n- name: cm\n  type: foo\n", NULL, 0, "unknown field 'type'");
    expect_error("configMapGenerator:\n- name: cm\n  bogus: foo\n", NULL, 0,
                 "unknown field 'bogus'");
    expect_error("configMapGenerator:\n- name: cm\n  literals: a=b\n", NULL, 0,
                 "'literals' must be a list of strings");
    expect_error("configMapGenerator:\n- name: cm\n  literals: [1]\n", NULL, 0,
                 "must be a string, not a number");
    expect_error("configMapGenerator:\n- name: 5\n", NULL, 0,
                 "'name' must be a string, not a number");
    /* go-yaml v2 reads plain y as a boolean */
    expect_error("configMapGenerator:\n- name: cm\n  options:\n    labels: {x: y}\n", NULL, 0,
                 "must be a string, not a boolean");
    expect_error("configMapGenerator:\n- name: cm\n  options:\n    immutable: \"true\"\n", NULL, 0,
                 "immutable must be a boolean, not a string");
    expect_error("configMapGenerator:\n- name: cm\n  options:\n    labels: {~: \"3\"}\n", NULL, 0,
                 "null mapping key");
}

static void test_case_insensitive_fields_and_control_escapes(void **state)
{
    (void)state;
    /* encoding/json matches field names without case; \b and \f hash as the short escapes;
     * `yes` is a boolean and a null annotation value is "" */
    expect_yaml(
        "configMapGenerator:\n- NAME: cm\n  Literals: [\"a=\\b\\f\"]\n  OPTIONS: {Labels: {x: "
        "\"y\"}}\n"
        "- name: c2\n  options:\n    disableNameSuffixHash: on\n    labels: null\n    annotations: "
        "{a: null}\n",
        NULL, 0,
        "apiVersion: v1\ndata:\n  a: \"\\b\\f\"\nkind: ConfigMap\nmetadata:\n  labels:\n    x: "
        "\"y\"\n"
        "  name: cm-22cd972k42\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    a: \"\"\n  name: c2\n");
}

static void test_hash_of_patched_data(void **state)
{
    (void)state;
    /* data as overlays may leave it: numbers become float64, a null scalar hashes as its text,
     * a list as null, a missing data as "" */
    expect_hash("kind: ConfigMap\nmetadata: {name: cm}\ndata: {big: 12345678901234568, \"false\": "
                "null, i: 1, "
                "l: [1, x], m: {e: 1e+21, f: 1.5, s: 1e-07}, t: true, ts: \"2020-01-01\"}\n",
                "9mfc7hh8d8");
    expect_hash("kind: ConfigMap\nmetadata: {name: cm}\ndata: null\n", "g886t7dd28");
    expect_hash("kind: ConfigMap\nmetadata: {name: cm}\ndata: scalar<\n", "tt8k8h5274");
    expect_hash("kind: ConfigMap\nmetadata: {name: cm}\ndata: [1, 2]\n", "dk855m5d49");
    expect_hash("kind: ConfigMap\nmetadata: {name: cm}\nbinaryData: {b: AAH/}\n", "g7t7m5d6c2");
}

static void test_hash_ignores_name_and_other_fields(void **state)
{
    (void)state;
    expect_hash("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, labels: {a: b}}\ndata: "
                "{foo: bar}\n",
                "798k5k7g9f");
    expect_hash("kind: ConfigMap\nmetadata: {name: cm}\ndata: {x: <a&b>}\n", "t87khbg59f");
    expect_hash("kind: Secret\nmetadata: {name: x}\ntype: Opaque\ndata: {a: Yg==}\n", "k695gkmbtk");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals_files_envs_and_global_labels),
        cmocka_unit_test(test_empty_generators),
        cmocka_unit_test(test_literal_keys_not_validated_and_quotes),
        cmocka_unit_test(test_env_file_rules),
        cmocka_unit_test(test_env_long_line_stops_scanning),
        cmocka_unit_test(test_base64_lines_and_secret_escapes),
        cmocka_unit_test(test_options_merge),
        cmocka_unit_test(test_behaviors),
        cmocka_unit_test(test_literal_errors),
        cmocka_unit_test(test_file_source_errors),
        cmocka_unit_test(test_load_restriction),
        cmocka_unit_test(test_field_types_like_strict_json),
        cmocka_unit_test(test_case_insensitive_fields_and_control_escapes),
        cmocka_unit_test(test_hash_of_patched_data),
        cmocka_unit_test(test_hash_ignores_name_and_other_fields),
    };
    return cmocka_run_group_tests_name("kz_gen", tests, NULL, NULL);
}
