/* Schema validation tests: each keyword on its own (types, formats, enum, required, properties,
 * additionalProperties, items, pattern, limits, composition, $ref, the x-kubernetes extensions,
 * nullable), field paths, the string formats, GVK lookup and the cache file round trip. */
#include <unistd.h>

#include "unit.h"
#include "validate/schema_int.h"

/* Validates `body` (fields of an object of kind T in t.example/v1) against `schema`; returns the
 * findings as "S rule path: message" lines (S = E or W), malloc'd. */
static char *vrun_doc(const char *schema, const char *body, bool strict, bool soft)
{
    unit_env s, o;
    unit_load(&s, schema);
    assert_true(s.ok);
    buf_t text = {0};
    buf_printf(&text, "apiVersion: t.example/v1\nkind: T\nmetadata: {name: x}\n%s", body);
    unit_load(&o, buf_cstr(&text));
    if (!o.ok) fprintf(stderr, "%s", o.errors);
    assert_true(o.ok);
    ir_res *res;
    assert_true(ir_res_make(&o.a, &o.d, o.docs.docs[0], o.docs.pos[0], &res));
    sc_build *bd = sc_build_new(NULL, NULL);
    sc_build_add_root(bd, s.docs.docs[0], "t.example", "v1", "T", soft);
    sc_blob b;
    sc_build_finish(bd, 0, 0, &b);
    uint32_t root = sc_blob_find(&b, "t.example", "v1", "T");
    assert_true(root != 0);
    vd_report r = {0};
    sc_vrun *v = sc_vrun_new(&o.a, &r, strict);
    sc_vrun_object(v, &b, root, res);
    sc_vrun_free(v);
    buf_t out = {0};
    for (size_t i = 0; i < r.n; i++)
        buf_printf(&out, "%c %s %s: %s\n", r.items[i].sev == VD_ERROR ? 'E' : 'W', r.items[i].rule,
                   r.items[i].path, r.items[i].message);
    char *ret = strdup(out.data ? out.data : "");
    buf_free(&out);
    buf_free(&text);
    sc_blob_free(&b);
    unit_free(&s);
    unit_free(&o);
    return ret;
}

static char *vrun(const char *schema, const char *body)
{
    return vrun_doc(schema, body, false, false);
}

#define EXPECT(schema, body, want)                                                                 \
    do {                                                                                           \
        char *got_ = vrun(schema, body);                                                           \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

#define EXPECT_STRICT(schema, body, want)                                                          \
    do {                                                                                           \
        char *got_ = vrun_doc(schema, body, true, false);                                          \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_types(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  s: {type: string}\n  i: {type: integer}\n"
                    "  n: {type: number}\n  b: {type: boolean}\n  o: {type: object}\n"
                    "  a: {type: array}\n  sn: {type: [string, 'null']}\n";
    EXPECT(s, "s: x\ni: 3\nn: 1.5\nb: true\no: {}\na: []\nsn: y\n", "");
    EXPECT(s, "i: 3.0\nn: 2\n", ""); /* an integral float is an integer; integers are numbers */
    EXPECT(s, "s: 3\n", "E schema s: expected string, got integer 3\n");
    EXPECT(s, "i: \"3\"\n", "E schema i: expected integer, got string \"3\"\n");
    EXPECT(s, "i: 1.5\n", "E schema i: expected integer, got number 1.5\n");
    EXPECT(s, "n: yes\n", "E schema n: expected number, got string \"yes\"\n");
    EXPECT(s, "b: \"true\"\n", "E schema b: expected boolean, got string \"true\"\n");
    EXPECT(s, "o: [1]\n", "E schema o: expected object, got array\n");
    EXPECT(s, "a: {x: 1}\n", "E schema a: expected array, got object\n");
    EXPECT(s, "sn: [1]\n", "E schema sn: expected string or null, got array\n");
}

static void test_int_or_string_and_quantity(void **state)
{
    (void)state;
    const char *s =
        "type: object\nproperties:\n"
        "  p: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}\n"
        "  f: {format: int-or-string, oneOf: [{type: integer}, {type: string}]}\n"
        "  q: {x-kubernetes-int-or-string: true, format: quantity}\n";
    EXPECT(s, "p: 80\nf: http\nq: 500m\n", "");
    EXPECT(s, "p: true\n", "E schema p: expected string or integer, got boolean true\n");
    EXPECT(s, "f: [80]\n", "E schema f: expected string or integer, got array\n");
    EXPECT(s, "q: 5 GB\n", "E schema q: \"5 GB\" is not a quantity (like 100m, 1.5, 2Gi or 1e3)\n");
}

static void test_formats_in_schema(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n"
                    "  i32: {type: integer, format: int32}\n  i64: {type: integer, format: int64}\n"
                    "  t: {type: string, format: date-time}\n  d: {type: string, format: date}\n"
                    "  b: {type: string, format: byte}\n  e: {type: string, format: email}\n";
    EXPECT(s,
           "i32: 2147483647\ni64: 9223372036854775807\nt: 2024-05-01T10:00:00Z\n"
           "d: 2024-05-01\nb: aGk=\ne: not checked\n",
           "");
    EXPECT(s, "i32: 2147483648\n", "E schema i32: 2147483648 is out of range for int32\n");
    EXPECT(s, "i32: -2147483649\n", "E schema i32: -2147483649 is out of range for int32\n");
    EXPECT(s, "t: \"2024-05-01\"\n", "E schema t: \"2024-05-01\" is not a valid date-time\n");
    EXPECT(s, "d: \"01/05/2024\"\n", "E schema d: \"01/05/2024\" is not a valid date\n");
    EXPECT(s, "b: \"a\"\n", "E schema b: \"a\" is not valid base64\n");
}

static void test_enum(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  s: {enum: [a, b]}\n  n: {enum: [1, 2.5]}\n"
                    "  b: {enum: [true]}\n";
    EXPECT(s, "s: a\nn: 2.5\nb: true\n", "");
    EXPECT(s, "n: 1.0\n", "");
    EXPECT(s, "s: c\n", "E schema s: unsupported value \"c\": must be one of \"a\", \"b\"\n");
    EXPECT(s, "n: \"1\"\n", "E schema n: unsupported value \"1\": must be one of 1, 2.5\n");
    EXPECT(s, "b: false\n", "E schema b: unsupported value false: must be one of true\n");
}

static void test_required_and_null(void **state)
{
    (void)state;
    const char *s = "type: object\nrequired: [spec]\nproperties:\n  spec:\n    type: object\n"
                    "    required: [a, n]\n    properties:\n      a: {type: string}\n"
                    "      n: {type: string, nullable: true}\n      z: {type: integer}\n";
    EXPECT(s, "spec: {a: x, n: null, z: null}\n", "");
    EXPECT(s, "spec: {a: null, n: x}\n", "E schema spec: missing required field \"a\"\n");
    EXPECT(s, "spec: null\n", "E schema : missing required field \"spec\"\n");
    EXPECT(s, "spec: {n: x}\n", "E schema spec: missing required field \"a\"\n");
}

static void test_properties_and_additional(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  labels:\n    type: object\n"
                    "    additionalProperties: {type: string}\n"
                    "  closed:\n    type: object\n    additionalProperties: false\n"
                    "    properties: {a: {type: string}}\n"
                    "  open:\n    type: object\n    additionalProperties: true\n"
                    "    properties: {a: {type: string}}\n";
    EXPECT(s, "labels: {a: x, b.c/d: y}\nclosed: {a: x, b: 1}\nopen: {b: 1}\nextra: 1\n", "");
    EXPECT(s, "labels: {b.c/d: 2}\n", "E schema labels[b.c/d]: expected string, got integer 2\n");
    EXPECT_STRICT(s, "closed: {a: x, b: 1}\nopen: {b: 1}\nextra: 1\n",
                  "E schema/unknown-field closed.b: unknown field \"b\"\n"
                  "E schema/unknown-field extra: unknown field \"extra\"\n");
}

static void test_items_and_paths(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  list:\n    type: array\n    items:\n"
                    "      type: object\n      properties: {name: {type: string}, port: {type: "
                    "integer}}\n";
    EXPECT(s, "list: [{name: web, port: x}, {port: y}, {name: 'a]b', port: z}]\n",
           "E schema list[name=web].port: expected integer, got string \"x\"\n"
           "E schema list[1].port: expected integer, got string \"y\"\n"
           "E schema list[2].port: expected integer, got string \"z\"\n");
}

static void test_pattern(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  p: {type: string, pattern: '^[a-z]+$'}\n"
                    "  q: {type: string, pattern: 'b'}\n  bad: {type: string, pattern: '(['}\n";
    EXPECT(s, "p: abc\nq: abc\nbad: anything\n",
           ""); /* patterns search; a bad one checks nothing */
    EXPECT(s, "p: aBc\n", "E schema p: \"aBc\" does not match the pattern '^[a-z]+$'\n");
    EXPECT(s, "q: xyz\n", "E schema q: \"xyz\" does not match the pattern 'b'\n");
}

static void test_numeric_limits(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  a: {type: integer, minimum: 1, maximum: 10}\n"
                    "  b: {type: number, minimum: 0, exclusiveMinimum: true}\n"
                    "  c: {type: number, exclusiveMaximum: 5}\n";
    EXPECT(s, "a: 1\nb: 0.1\nc: 4.9\n", "");
    EXPECT(s, "a: 0\n", "E schema a: must be greater than or equal to 1, got 0\n");
    EXPECT(s, "a: 11\n", "E schema a: must be less than or equal to 10, got 11\n");
    EXPECT(s, "b: 0\n", "E schema b: must be greater than 0, got 0\n");
    EXPECT(s, "c: 5\n", "E schema c: must be less than 5, got 5\n");
}

static void test_length_limits(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  s: {type: string, minLength: 2, maxLength: 5}\n"
                    "  l: {type: array, minItems: 1, maxItems: 2}\n"
                    "  m: {type: object, minProperties: 1, maxProperties: 1}\n";
    EXPECT(s, "s: h\xc3\xa9llo\nl: [1]\nm: {a: 1}\n", ""); /* five characters, six bytes */
    EXPECT(s, "s: x\n", "E schema s: must be at least 2 characters long, got 1\n");
    EXPECT(s, "s: toolong\n", "E schema s: must be at most 5 characters long, got 7\n");
    EXPECT(s, "l: []\n", "E schema l: must have at least 1 item, got 0\n");
    EXPECT(s, "l: [1, 2, 3]\n", "E schema l: must have at most 2 items, got 3\n");
    EXPECT(s, "m: {}\n", "E schema m: must have at least 1 field, got 0\n");
    EXPECT(s, "m: {a: 1, b: 2}\n", "E schema m: must have at most 1 field, got 2\n");
}

static void test_composition(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n"
                    "  one: {oneOf: [{required: [a]}, {required: [b]}]}\n"
                    "  any: {anyOf: [{type: integer}, {type: string, minLength: 3}]}\n"
                    "  all: {allOf: [{type: string}, {maxLength: 2}]}\n"
                    "  nt: {not: {enum: [root]}}\n";
    EXPECT(s, "one: {a: 1}\nany: abc\nall: ab\nnt: user\n", "");
    EXPECT(s, "any: 3\n", "");
    EXPECT(s, "one: {a: 1, b: 2}\n",
           "E schema one: must match exactly one of the oneOf schemas (matches 2 of 2)\n");
    EXPECT(s, "one: {c: 1}\n",
           "E schema one: must match exactly one of the oneOf schemas (matches 0 of 2)\n");
    EXPECT(s, "any: ab\n",
           "E schema any: must match at least one of the anyOf schemas (matches none of 2)\n");
    EXPECT(s, "all: abc\n", "E schema all: must be at most 2 characters long, got 3\n");
    EXPECT(s, "nt: root\n", "E schema nt: must not match the \"not\" schema\n");
}

static void test_refs(void **state)
{
    (void)state;
    /* local refs, a recursive definition, JSON-pointer escapes, an unresolvable ref */
    const char *s = "type: object\nproperties:\n  tree: {$ref: '#/definitions/node'}\n"
                    "  odd: {$ref: '#/definitions/a~1b'}\n  ext: {$ref: 'other.json#/x'}\n"
                    "definitions:\n  node:\n    type: object\n    properties:\n"
                    "      v: {type: integer}\n      kids: {type: array, items: {$ref: "
                    "'#/definitions/node'}}\n  a/b: {type: boolean}\n";
    EXPECT(s, "tree: {v: 1, kids: [{v: 2, kids: [{v: 3}]}]}\nodd: true\next: anything\n", "");
    EXPECT(s, "tree: {kids: [{kids: [{v: x}]}]}\nodd: 1\n",
           "E schema tree.kids[0].kids[0].v: expected integer, got string \"x\"\n"
           "E schema odd: expected boolean, got integer 1\n");
}

static void test_ref_cycles_terminate(void **state)
{
    (void)state;
    /* a definition that is its own allOf and anyOf: bounded, no finding, no crash */
    const char *s =
        "$ref: '#/definitions/a'\ndefinitions:\n  a:\n    allOf: [{$ref: '#/definitions/a'}]\n"
        "    anyOf: [{$ref: '#/definitions/a'}, {$ref: '#/definitions/b'}]\n"
        "  b: {$ref: '#/definitions/b'}\n";
    EXPECT(s, "spec: {a: 1}\n", "");
}

static void test_kubernetes_extensions(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n"
                    "  any: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: "
                    "{n: {type: integer}}}\n"
                    "  res: {type: object, x-kubernetes-embedded-resource: true, "
                    "x-kubernetes-preserve-unknown-fields: true}\n"
                    "  set: {type: array, items: {type: string}, x-kubernetes-list-type: set}\n"
                    "  map:\n    type: array\n    x-kubernetes-list-type: map\n"
                    "    x-kubernetes-list-map-keys: [port, protocol]\n    items:\n"
                    "      type: object\n      properties:\n        port: {type: integer}\n"
                    "        protocol: {type: string, default: TCP}\n";
    EXPECT_STRICT(s,
                  "any: {n: 1, whatever: [1]}\nres: {apiVersion: v1, kind: Pod, spec: {}}\n"
                  "set: [a, b]\nmap: [{port: 53}, {port: 53, protocol: UDP}]\n",
                  "");
    EXPECT(s, "any: {n: x}\n", "E schema any.n: expected integer, got string \"x\"\n");
    EXPECT(s, "res: {kind: Pod}\n",
           "E schema res: missing required field \"apiVersion\" (embedded resource)\n");
    EXPECT(s, "set: [a, b, a]\n",
           "E schema set[2]: duplicate value \"a\" (items must be unique)\n");
    EXPECT(s, "map: [{port: 53}, {port: 53, protocol: TCP}]\n",
           "E schema map[1]: duplicate entry with port=53, protocol=\"TCP\" (list items must be "
           "unique by these keys)\n");
    char *u = vrun("type: object\nproperties: {u: {type: array, uniqueItems: true}}\n",
                   "u: [{a: 1}, {a: 2}, {a: 1}]\n");
    assert_string_equal(u, "E schema u[2]: duplicate of item 0 (items must be unique)\n");
    free(u);
    /* built-in kinds (soft): the API server accepts duplicates with a warning */
    char *got = vrun_doc(s, "map: [{port: 53}, {port: 53}]\n", false, true);
    assert_string_equal(got, "W schema map[1]: duplicate entry with port=53, protocol=\"TCP\" "
                             "(default) (list items must be unique by these keys)\n");
    free(got);
    got = vrun_doc(s, "map: [{port: 53}, {port: 53}]\n", true, true);
    assert_true(got[0] == 'E');
    free(got);
}

static void test_unknown_fields_only_strict(void **state)
{
    (void)state;
    const char *s = "type: object\nproperties:\n  spec:\n    type: object\n"
                    "    properties: {a: {type: string}}\n"
                    "    allOf: [{properties: {b: {type: string}}}]\n";
    EXPECT(s, "spec: {a: x, b: y, c: z}\n", "");
    /* b is declared in an allOf branch; apiVersion, kind and metadata at the root are implied */
    EXPECT_STRICT(s, "spec: {a: x, b: y, c: z}\n",
                  "E schema/unknown-field spec.c: unknown field \"c\"\n");
}

static void test_openapi_document(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u,
              "{\"openapi\": \"3.0.0\", \"components\": {\"schemas\": {\n"
              " \"io.k8s.api.Q\": {\"oneOf\": [{\"type\": \"string\"}, {\"type\": \"number\"}]},\n"
              " \"x.Quantity\": {\"$ref\": \"#/components/schemas/io.k8s.api.Q\"},\n"
              " \"io.k8s.apimachinery.pkg.api.resource.Quantity\": {\"oneOf\": [{\"type\": "
              "\"string\"}, {\"type\": \"number\"}]},\n"
              " \"A\": {\"type\": \"object\", \"x-kubernetes-group-version-kind\": [{\"group\": "
              "\"\", \"kind\": \"A\", \"version\": \"v1\"}],\n"
              "   \"properties\": {\"q\": {\"allOf\": [{\"$ref\": "
              "\"#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity\"}]}}},\n"
              " \"B\": {\"type\": \"object\", \"x-kubernetes-group-version-kind\": [{\"group\": "
              "\"b.io\", \"kind\": \"B\", \"version\": \"v1\"}]}}}}\n");
    assert_true(u.ok);
    sc_build *bd = sc_build_new(NULL, NULL);
    assert_int_equal(sc_build_add_doc(bd, &u.d, u.docs.docs[0], "api/v1.json", true), 2);
    assert_true(sc_build_has(bd, "", "v1", "A"));
    sc_blob b;
    sc_build_finish(bd, 42, 1, &b);
    assert_int_equal(sc_hdr(&b)->ngvks, 2);
    uint32_t a = sc_blob_find(&b, "", "v1", "A");
    assert_true(a && sc_blob_find(&b, "b.io", "v1", "B"));
    assert_int_equal(sc_blob_find(&b, "b.io", "v2", "B"), 0);
    /* the Quantity definition is known by name: its strings are checked as quantities */
    const sc_rec *r = sc_resolve(&b, sc_node(&b, a));
    uint32_t q = 0;
    const uint32_t *t = sc_list(&b, r->props);
    for (uint32_t i = 0; i < t[0]; i++)
        if (!strcmp(sc_str(&b, t[1 + 2 * i]), "q")) q = t[2 + 2 * i];
    assert_true(q);
    assert_int_equal(sc_resolve(&b, sc_node(&b, q))->format, SC_FMT_QUANTITY);
    assert_int_equal(sc_resolve(&b, sc_node(&b, q))->types, SC_T_STRING | SC_T_NUMBER);

    /* the cache file: written, loaded with its key, refused with another or when damaged */
    char dir[] = "/tmp/kiln-unit-schema.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = sc_cache_path(dir, 42);
    assert_true(sc_cache_write(&u.d, dir, path, &b));
    sc_blob m = {0};
    assert_false(sc_cache_load(path, 43, &m));
    assert_true(sc_cache_load(path, 42, &m));
    assert_true(m.mapped);
    assert_int_equal(sc_blob_find(&m, "", "v1", "A"), a);
    sc_blob_free(&m);
    FILE *f = fopen(path, "r+b");
    fseek(f, (long)b.size - 3, SEEK_SET);
    fputc('!', f);
    fclose(f);
    assert_false(sc_cache_load(path, 42, &m));
    unlink(path);
    rmdir(dir);
    free(path);
    sc_blob_free(&b);
    unit_free(&u);
}

static void test_openapi_v2_definitions(void **state)
{
    (void)state;
    /* kustomize's openapi: files and /openapi/v2: definitions, no swagger key needed */
    unit_env u;
    unit_load(&u, "definitions:\n  io.x.v1.Spec: {type: object, properties: {n: {type: integer}}}\n"
                  "  io.x.v1.Thing:\n    type: object\n"
                  "    x-kubernetes-group-version-kind: [{group: x.io, kind: Thing, version: v1}]\n"
                  "    properties: {spec: {$ref: '#/definitions/io.x.v1.Spec'}}\n");
    sc_build *bd = sc_build_new(NULL, NULL);
    assert_int_equal(sc_build_add_doc(bd, &u.d, u.docs.docs[0], "schema.yaml", false), 1);
    sc_blob b;
    sc_build_finish(bd, 0, 0, &b);
    uint32_t root = sc_blob_find(&b, "x.io", "v1", "Thing");
    assert_true(root);
    const sc_rec *r = sc_resolve(&b, sc_node(&b, root));
    assert_int_equal(r->types, SC_T_OBJECT);
    assert_true(r->props);
    sc_blob_free(&b);
    unit_free(&u);
}

static bool want_apps(void *ctx, const char *g, const char *v, const char *k)
{
    (void)ctx, (void)v;
    return !strcmp(g, "apps") && (!k || !strcmp(k, "Deployment"));
}

static void test_want_and_kubeconform_names(void **state)
{
    (void)state;
    unit_env u;
    unit_load(&u, "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}\n");
    sc_build *bd = sc_build_new(want_apps, NULL);
    /* kubeconform names: <kind>-<first part of the group>-<version>.json, <kind>-<version>.json */
    assert_int_equal(sc_build_add_doc(bd, &u.d, u.docs.docs[0], "x/deployment-apps-v1.json", false),
                     1);
    assert_int_equal(sc_build_add_doc(bd, &u.d, u.docs.docs[0], "service-v1.json", false), 1);
    assert_int_equal(sc_build_add_doc(bd, &u.d, u.docs.docs[0], "certs.io/cert_v1.json", false), 1);
    assert_int_equal(sc_build_add_doc(bd, &u.d, u.docs.docs[0], "README.json", false), 0);
    sc_blob b;
    sc_build_finish(bd, 0, 0, &b);
    assert_true(sc_blob_find(&b, "apps", "v1", "Deployment"));
    assert_true(sc_blob_find(&b, "", "v1", "Service"));
    assert_true(sc_blob_find(&b, "certs.io", "v1", "Cert"));
    assert_true(sc_blob_find(&b, "apps.example.com", "v1", "Deployment")); /* first part only */
    assert_false(sc_blob_find(&b, "", "v2", "Service"));
    assert_false(sc_blob_find(&b, "batch", "v1", "Service"));
    sc_blob_free(&b);
    unit_free(&u);
}

static void test_format_functions(void **state)
{
    (void)state;
    static const char *const qok[] = {"1",    "100m", "1.5", ".5",    "5.", "2Gi",           "1e3",
                                      "1E-3", "+1k",  "-2",  "0.1Ki", "3n", "12345678901234"};
    static const char *const qbad[] = {"",   "m",    "1.2.3", "2 Gi", "2GB",
                                       "1e", "1ee3", "Ki",    "abc",  "1Kib"};
    for (size_t i = 0; i < sizeof qok / sizeof *qok; i++)
        assert_true(sc_fmt_quantity(qok[i], strlen(qok[i])));
    for (size_t i = 0; i < sizeof qbad / sizeof *qbad; i++)
        assert_false(sc_fmt_quantity(qbad[i], strlen(qbad[i])));
    static const char *const tok[] = {"2024-01-02T03:04:05Z", "2024-01-02t03:04:05.123z",
                                      "2024-01-02T03:04:05+02:00", "2024-01-02 03:04:05",
                                      "2024-01-02T03:04:05-0700"};
    static const char *const tbad[] = {"2024-01-02", "2024-13-02T03:04:05Z", "yesterday",
                                       "2024-01-02T25:04:05Z", "2024-01-02T03:04:05Zulu"};
    for (size_t i = 0; i < sizeof tok / sizeof *tok; i++)
        assert_true(sc_fmt_datetime(tok[i], strlen(tok[i])));
    for (size_t i = 0; i < sizeof tbad / sizeof *tbad; i++)
        assert_false(sc_fmt_datetime(tbad[i], strlen(tbad[i])));
    assert_true(sc_fmt_base64("", 0));
    assert_true(sc_fmt_base64("aGVsbG8=\n", 9));
    assert_false(sc_fmt_base64("aGVsbG8", 7));
    assert_false(sc_fmt_base64("aGV=bG8=", 8));
    assert_true(sc_fmt_ipv6("::1", 3));
    assert_true(sc_fmt_ipv6("fe80::1:2", 9));
    assert_true(sc_fmt_ipv6("::ffff:10.0.0.1", 15));
    assert_true(sc_fmt_ipv6("1:2:3:4:5:6:7:8", 15));
    assert_false(sc_fmt_ipv6("1:2:3:4:5:6:7", 13));
    assert_false(sc_fmt_ipv6("1::2::3", 7));
    assert_false(sc_fmt_ipv6("12345::", 7));
    assert_true(sc_fmt_ipv4("192.168.0.1", 11));
    assert_false(sc_fmt_ipv4("192.168.0", 9));
    assert_false(sc_fmt_ipv4("01.2.3.4", 8));
    assert_true(sc_fmt_cidr("10.0.0.0/8", 10));
    assert_true(sc_fmt_cidr("fd00::/64", 9));
    assert_false(sc_fmt_cidr("fd00::/129", 10));
    assert_false(sc_fmt_cidr("10.0.0.0", 8));
    assert_true(sc_fmt_uuid("123e4567-e89b-12d3-a456-426614174000", 36));
    assert_false(sc_fmt_uuid("123e4567e89b12d3a456426614174000", 32));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_int_or_string_and_quantity),
        cmocka_unit_test(test_formats_in_schema),
        cmocka_unit_test(test_enum),
        cmocka_unit_test(test_required_and_null),
        cmocka_unit_test(test_properties_and_additional),
        cmocka_unit_test(test_items_and_paths),
        cmocka_unit_test(test_pattern),
        cmocka_unit_test(test_numeric_limits),
        cmocka_unit_test(test_length_limits),
        cmocka_unit_test(test_composition),
        cmocka_unit_test(test_refs),
        cmocka_unit_test(test_ref_cycles_terminate),
        cmocka_unit_test(test_kubernetes_extensions),
        cmocka_unit_test(test_unknown_fields_only_strict),
        cmocka_unit_test(test_openapi_document),
        cmocka_unit_test(test_openapi_v2_definitions),
        cmocka_unit_test(test_want_and_kubeconform_names),
        cmocka_unit_test(test_format_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
