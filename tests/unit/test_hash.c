/* Content hash tests: stable under key order, re-emission and the hash annotation itself; any
 * value change changes it (checked for every scalar of some golden outputs); set hash order. */
#include <glob.h>

#include "unit.h"

static void hash_of(unit_env *u, size_t doc, char out[33])
{
    em_content_hash(&u->a, u->docs.docs[doc], out);
}

static void test_key_order_and_annotation(void **state)
{
    (void)state;
    unit_env u;
    unit_load(
        &u,
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1', y: [1, 2.0]}\n---\n"
        "data: {y: [1, 2], x: \"1\"}\nmetadata:\n  name: a\n  annotations: {kiln.dev/content-hash: "
        "stale}\n"
        "kind: ConfigMap\napiVersion: v1\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '2', y: [1, 2]}\n");
    char h0[33], h1[33], h2[33];
    hash_of(&u, 0, h0);
    hash_of(&u, 1, h1);
    hash_of(&u, 2, h2);
    assert_string_equal(h0, h1);
    assert_string_not_equal(h0, h2);
    assert_int_equal(strlen(h0), 32);
    unit_free(&u);
}

static void test_reemission_keeps_hash(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w, labels: {a: b}}\n"
                  "spec: {replicas: 0x3, template: {spec: {containers: [{name: c, image: 'i:1', "
                  "args: [\"--x=y\"]}]}}}\n");
    char h0[33], h1[33];
    hash_of(&u, 0, h0);
    buf_t b = {0};
    em_yaml_doc(&b, u.docs.docs[0]);
    unit_env v;
    unit_load(&v, b.data);
    hash_of(&v, 0, h1);
    assert_string_equal(h0, h1);
    buf_free(&b);
    unit_free(&v);
    unit_free(&u);
}

/* Changing any one scalar of a document changes its hash. */
static size_t mutate_all(unit_env *u, ir_node *doc, ir_node *n, const char *base, size_t *checked)
{
    size_t failures = 0;
    if (n->kind == IR_SCALAR) {
        ir_node saved = *n;
        n->tag = IR_TAG_STR;
        n->sc.s = ar_printf(&u->a, "%s~changed", saved.sc.s);
        n->sc.n = strlen(n->sc.s);
        char h[33];
        em_content_hash(&u->a, doc, h);
        if (!strcmp(h, base)) failures++;
        *n = saved;
        (*checked)++;
        return failures;
    }
    if (n->kind == IR_MAP)
        for (size_t i = 0; i < n->map.n; i++)
            failures += mutate_all(u, doc, n->map.items[i].val, base, checked);
    else
        for (size_t i = 0; i < n->seq.n; i++)
            failures += mutate_all(u, doc, n->seq.items[i], base, checked);
    return failures;
}

static void test_every_value_matters(void **state)
{
    (void)state;
    glob_t g;
    assert_int_equal(glob("tests/golden/kustomize/*/expected.out", 0, NULL, &g), 0);
    size_t checked = 0, failures = 0;
    for (size_t f = 0; f < g.gl_pathc && f < 12; f++) {
        FILE *fp = fopen(g.gl_pathv[f], "rb");
        assert_non_null(fp);
        buf_t b = {0};
        char chunk[4096];
        size_t r;
        while ((r = fread(chunk, 1, sizeof chunk, fp)) > 0)
            buf_put(&b, chunk, r);
        fclose(fp);
        unit_env u;
        unit_load(&u, b.data ? b.data : "");
        assert_true(u.ok);
        for (size_t d = 0; d < u.docs.n; d++) {
            char base[33];
            hash_of(&u, d, base);
            failures += mutate_all(&u, u.docs.docs[d], u.docs.docs[d], base, &checked);
        }
        unit_free(&u);
        buf_free(&b);
    }
    globfree(&g);
    assert_true(checked > 500);
    assert_int_equal(failures, 0);
}

static void test_set_hash_order(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: "
                  "v1\nkind: ConfigMap\nmetadata: {name: b}\n");
    ir_res *r[2];
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[0], u.docs.pos[0], &r[0]));
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[1], u.docs.pos[1], &r[1]));
    char h[2][33], s1[33], s2[33];
    hash_of(&u, 0, h[0]);
    hash_of(&u, 1, h[1]);
    em_set_hash(&u.a, r, h, 2, s1);
    ir_res *rr[2] = {r[1], r[0]};
    char hh[2][33];
    memcpy(hh[0], h[1], 33);
    memcpy(hh[1], h[0], 33);
    em_set_hash(&u.a, rr, hh, 2, s2);
    assert_string_equal(s1, s2);
    assert_string_equal(em_res_id(&u.a, r[0]), "v1/ConfigMap//a");
    unit_free(&u);
}

/* util_digest: the FIPS 180 "abc" vectors (kustomize name hashes and Sprig's sums rest on it) */
static void test_digest_vectors(void **state)
{
    (void)state;
    unsigned char d[64];
    char hex[129];
    size_t n = util_digest(UTIL_SHA256, "abc", 3, d);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    n = util_digest(UTIL_SHA1, "abc", 3, d);
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_int_equal(util_digest(UTIL_SHA512, NULL, 0, d), 64);
    assert_int_equal(d[0], 0xcf); /* SHA-512("") = cf83e135... */
    assert_int_equal(d[1], 0x83);
}

/* ar_reset: the arena is reusable and hands out zeroed memory again */
static void test_arena_reset(void **state)
{
    (void)state;
    arena a;
    ar_init(&a);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            unsigned char *p = ar_alloc(&a, 200);
            for (int j = 0; j < 200; j++)
                assert_int_equal(p[j], 0);
            memset(p, 0xab, 200);
            char *s = ar_strdup(&a, "dirty bytes");
            assert_string_equal(s, "dirty bytes");
        }
        ar_reset(&a);
        assert_int_equal(a.used_total, 0);
    }
    ar_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_order_and_annotation),
        cmocka_unit_test(test_reemission_keeps_hash),
        cmocka_unit_test(test_every_value_matters),
        cmocka_unit_test(test_set_hash_order),
        cmocka_unit_test(test_digest_vectors),
        cmocka_unit_test(test_arena_reset),
    };
    return cmocka_run_group_tests_name("hash", tests, NULL, NULL);
}
