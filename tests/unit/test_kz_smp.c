/* Strategic merge patch tests: each expected document below is what kubectl kustomize
 * (kubectl v1.35.2, kustomize v5.7.1) printed for the same resource with the same patch in
 * `patches:` (the ones without metadata matching it used a `target:` selector), and each error
 * is the one it reported. */
#include "unit.h"

#include "kustomize/kz_int.h"

/* Applies `patch` to `res` (one document each); returns the written object ("" when the patch
 * deleted it) or NULL, with the rendered diagnostics in *errors. Both malloc'd. */
static char *apply(const char *res, const char *patch, char **errors)
{
    size_t n = strlen(res) + strlen(patch) + 8;
    char *text = malloc(n);
    snprintf(text, n, "%s---\n%s", res, patch);
    unit_env u;
    unit_load(&u, text);
    assert_true(u.ok);
    assert_int_equal(u.docs.n, 2);
    kz_ctx k = {.a = &u.a, .d = &u.d};
    ir_res *r;
    assert_true(ir_res_make(&u.a, &u.d, u.docs.docs[0], u.docs.pos[0], &r));
    bool deleted = false;
    char *got = NULL;
    if (kz_smp_apply(&k, r->obj, u.docs.docs[1], &r->id, &deleted)) {
        buf_t b = {0};
        if (!deleted) assert_true(em_yaml_doc(&b, r->obj));
        got = strdup(b.data ? b.data : "");
        buf_free(&b);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    diag_print(&u.d, m, false);
    fclose(m);
    *errors = buf;
    unit_free(&u);
    free(text);
    return got;
}

static void expect(const char *res, const char *patch, const char *want)
{
    char *errs = NULL;
    char *got = apply(res, patch, &errs);
    if (!got) fprintf(stderr, "%s", errs);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    free(errs);
}

static void expect_error(const char *res, const char *patch, const char *needle)
{
    char *errs = NULL;
    char *got = apply(res, patch, &errs);
    assert_null(got);
    if (!strstr(errs, needle)) fprintf(stderr, "%s", errs);
    assert_non_null(strstr(errs, needle));
    free(errs);
}

/* patch elements come first in patch order, then the target's others */
static void test_containers_prepend(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "      - name: b\n"
           "        image: b\n"
           "      - name: c\n"
           "        image: c\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: b\n"
           "        image: b2\n"
           "      - name: new\n"
           "        image: n\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: b2\n"
           "        name: b\n"
           "      - image: \"n\"\n"
           "        name: new\n"
           "      - image: a\n"
           "        name: a\n"
           "      - image: c\n"
           "        name: c\n");
}

/* a target element without the merge key: kyaml keeps only the key-less elements */
static void test_keyless_target_element(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "      - image: nokey\n"
           "      - name: c\n"
           "        image: c\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: nokey\n");
}

/* schedulingGates/resourceClaims (after Kubernetes 1.21) are replaced */
static void test_fields_newer_than_kustomize_schema(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  schedulingGates:\n"
           "  - name: g1\n"
           "  - name: g2\n"
           "  resourceClaims:\n"
           "  - name: r1\n"
           "    resourceClaimName: x\n"
           "  containers:\n"
           "  - name: a\n"
           "    image: a\n"
           "    resizePolicy:\n"
           "    - resourceName: cpu\n"
           "      restartPolicy: NotRequired\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  schedulingGates:\n"
           "  - name: g3\n"
           "  resourceClaims:\n"
           "  - name: r2\n"
           "    resourceClaimName: y\n"
           "  containers:\n"
           "  - name: a\n"
           "    resizePolicy:\n"
           "    - resourceName: memory\n"
           "      restartPolicy: NotRequired\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  containers:\n"
           "  - image: a\n"
           "    name: a\n"
           "    resizePolicy:\n"
           "    - resourceName: memory\n"
           "      restartPolicy: NotRequired\n"
           "  resourceClaims:\n"
           "  - name: r2\n"
           "    resourceClaimName: \"y\"\n"
           "  schedulingGates:\n"
           "  - name: g3\n");
}

/* env merges by name; null deletes a field of an element */
static void test_env_merge(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: app\n"
           "        image: app:1\n"
           "        env:\n"
           "        - name: A\n"
           "          value: \"1\"\n"
           "        - name: B\n"
           "          value: \"2\"\n"
           "        - name: C\n"
           "          valueFrom:\n"
           "            fieldRef:\n"
           "              fieldPath: metadata.name\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: app\n"
           "        env:\n"
           "        - name: D\n"
           "          value: \"4\"\n"
           "        - name: B\n"
           "          value: \"22\"\n"
           "        - name: C\n"
           "          value: x\n"
           "          valueFrom: null\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - env:\n"
           "        - name: D\n"
           "          value: \"4\"\n"
           "        - name: B\n"
           "          value: \"22\"\n"
           "        - name: C\n"
           "          value: x\n"
           "        - name: A\n"
           "          value: \"1\"\n"
           "        image: app:1\n"
           "        name: app\n");
}

/* ports merge by containerPort+protocol, a port without protocol absorbs one with */
static void test_ports_protocol(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: app\n"
           "        image: app:1\n"
           "        ports:\n"
           "        - containerPort: 80\n"
           "        - containerPort: 53\n"
           "          protocol: UDP\n"
           "        - containerPort: 53\n"
           "          protocol: TCP\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: app\n"
           "        ports:\n"
           "        - containerPort: 80\n"
           "          protocol: TCP\n"
           "          name: http\n"
           "        - containerPort: 53\n"
           "          protocol: UDP\n"
           "          name: dns\n"
           "        - containerPort: 8080\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: app:1\n"
           "        name: app\n"
           "        ports:\n"
           "        - containerPort: 8080\n"
           "        - containerPort: 80\n"
           "        - containerPort: 53\n"
           "          name: dns\n"
           "          protocol: UDP\n"
           "        - containerPort: 53\n"
           "          protocol: TCP\n");
}

/* volumes by name, volumeMounts by mountPath (a mount without name merges) */
static void test_volumes_mounts(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: StatefulSet\n"
           "metadata:\n"
           "  name: s\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      volumes:\n"
           "      - name: a\n"
           "        emptyDir: {}\n"
           "      - name: b\n"
           "        configMap:\n"
           "          name: cm\n"
           "      containers:\n"
           "      - name: app\n"
           "        volumeMounts:\n"
           "        - name: a\n"
           "          mountPath: /a\n"
           "        - name: b\n"
           "          mountPath: /b\n",
           "apiVersion: apps/v1\n"
           "kind: StatefulSet\n"
           "metadata:\n"
           "  name: s\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      volumes:\n"
           "      - name: b\n"
           "        secret:\n"
           "          secretName: s\n"
           "      - name: c\n"
           "        emptyDir: {}\n"
           "      containers:\n"
           "      - name: app\n"
           "        volumeMounts:\n"
           "        - name: c\n"
           "          mountPath: /c\n"
           "        - mountPath: /a\n"
           "          readOnly: true\n",
           "apiVersion: apps/v1\n"
           "kind: StatefulSet\n"
           "metadata:\n"
           "  name: s\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: app\n"
           "        volumeMounts:\n"
           "        - mountPath: /c\n"
           "          name: c\n"
           "        - mountPath: /a\n"
           "          name: a\n"
           "          readOnly: true\n"
           "        - mountPath: /b\n"
           "          name: b\n"
           "      volumes:\n"
           "      - configMap:\n"
           "          name: cm\n"
           "        name: b\n"
           "        secret:\n"
           "          secretName: s\n"
           "      - emptyDir: {}\n"
           "        name: c\n"
           "      - emptyDir: {}\n"
           "        name: a\n");
}

/* $setElementOrder is not a directive to kustomize: kept as a field */
static void test_set_element_order(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "      - name: b\n"
           "        image: b\n"
           "      - name: c\n"
           "        image: c\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      $setElementOrder/containers:\n"
           "      - name: c\n"
           "      - name: a\n"
           "      - name: b\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      $setElementOrder/containers:\n"
           "      - name: c\n"
           "      - name: a\n"
           "      - name: b\n"
           "      containers:\n"
           "      - image: a2\n"
           "        name: a\n"
           "      - image: b\n"
           "        name: b\n"
           "      - image: c\n"
           "        name: c\n");
}

/* $retainKeys is kept as a field too */
static void test_retain_keys(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  strategy:\n"
           "    type: RollingUpdate\n"
           "    rollingUpdate:\n"
           "      maxSurge: 1\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  strategy:\n"
           "    $retainKeys:\n"
           "    - type\n"
           "    type: Recreate\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  strategy:\n"
           "    $retainKeys:\n"
           "    - type\n"
           "    rollingUpdate:\n"
           "      maxSurge: 1\n"
           "    type: Recreate\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n");
}

/* $deleteFromPrimitiveList kept; finalizers merge as primitives */
static void test_delete_from_primitive(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  finalizers:\n"
           "  - a\n"
           "  - b\n"
           "  - c\n"
           "data:\n"
           "  x: \"1\"\n",
           "apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  $deleteFromPrimitiveList/finalizers:\n"
           "  - b\n"
           "  finalizers:\n"
           "  - d\n"
           "  - a\n",
           "apiVersion: v1\n"
           "data:\n"
           "  x: \"1\"\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  $deleteFromPrimitiveList/finalizers:\n"
           "  - b\n"
           "  finalizers:\n"
           "  - d\n"
           "  - a\n"
           "  - b\n"
           "  - c\n"
           "  name: c\n");
}

/* $patch: delete on a list element */
static void test_patch_delete_element(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "      - name: b\n"
           "        image: b\n"
           "      - name: c\n"
           "        image: c\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: b\n"
           "        $patch: delete\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n"
           "      - image: c\n"
           "        name: c\n");
}

/* $patch: delete on a mapping */
static void test_patch_delete_map(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "  labels:\n"
           "    a: b\n"
           "spec:\n"
           "  replicas: 2\n"
           "  strategy:\n"
           "    type: RollingUpdate\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  strategy:\n"
           "    $patch: delete\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  labels:\n"
           "    a: b\n"
           "  name: d\n"
           "spec:\n"
           "  replicas: 2\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n");
}

/* $patch: delete at the top deletes the object */
static void test_patch_delete_object(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "data:\n"
           "  a: b\n",
           "apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "$patch: delete\n",
           "");
}

/* $patch: replace on a mapping */
static void test_patch_replace_map(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  replicas: 1\n"
           "  template:\n"
           "    metadata:\n"
           "      labels:\n"
           "        a: b\n"
           "        c: d\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    metadata:\n"
           "      $patch: replace\n"
           "      labels:\n"
           "        x: y\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  replicas: 1\n"
           "  template:\n"
           "    metadata:\n"
           "      labels:\n"
           "        x: \"y\"\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n");
}

/* $patch: replace as a list element replaces the list */
static void test_patch_replace_list(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "      - name: b\n"
           "        image: b\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - $patch: replace\n"
           "      - name: c\n"
           "        image: c\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: c\n"
           "        name: c\n");
}

/* $patch: replace on an element leaves the target element as it was */
static void test_patch_replace_element(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "        args: [x]\n"
           "      - name: b\n"
           "        image: b\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        $patch: replace\n"
           "        image: a2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - args:\n"
           "        - x\n"
           "        image: a\n"
           "        name: a\n"
           "      - image: b\n"
           "        name: b\n");
}

/* $patch: delete as a list element removes the list */
static void test_patch_delete_list(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "        env:\n"
           "        - name: X\n"
           "          value: \"1\"\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        env:\n"
           "        - $patch: delete\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n");
}

/* null deletes fields, maps, lists; unknown nulls are not added */
static void test_null_deletes(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "  labels:\n"
           "    a: b\n"
           "    c: d\n"
           "  annotations:\n"
           "    x: y\n"
           "spec:\n"
           "  replicas: 3\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "        resources:\n"
           "          limits:\n"
           "            cpu: 1\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "  labels:\n"
           "    a: null\n"
           "    e: f\n"
           "  annotations: null\n"
           "spec:\n"
           "  replicas: null\n"
           "  newfield: null\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        resources: ~\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  labels:\n"
           "    c: d\n"
           "    e: f\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n");
}

/* duplicate merge keys in the target collapse to the last one */
static void test_dup_keys_dest(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "        env:\n"
           "        - name: X\n"
           "          value: \"1\"\n"
           "        - name: Y\n"
           "          value: \"2\"\n"
           "        - name: X\n"
           "          value: \"3\"\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - env:\n"
           "        - name: X\n"
           "          value: \"3\"\n"
           "        - name: \"Y\"\n"
           "          value: \"2\"\n"
           "        image: a2\n"
           "        name: a\n");
}

/* duplicate merge keys in the patch: the last one wins, first position */
static void test_dup_keys_patch(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "        env:\n"
           "        - name: X\n"
           "          value: \"1\"\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        env:\n"
           "        - name: Y\n"
           "          value: \"y1\"\n"
           "        - name: X\n"
           "          value: \"x\"\n"
           "        - name: Y\n"
           "          value: \"y2\"\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - env:\n"
           "        - name: \"Y\"\n"
           "          value: y1\n"
           "        - name: X\n"
           "          value: x\n"
           "        image: a\n"
           "        name: a\n");
}

/* unknown kinds replace every list */
static void test_crd_lists(void **state)
{
    (void)state;
    expect("apiVersion: example.com/v1\n"
           "kind: Widget\n"
           "metadata:\n"
           "  name: w\n"
           "spec:\n"
           "  items:\n"
           "  - name: a\n"
           "    v: 1\n"
           "  - name: b\n"
           "    v: 2\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: x\n"
           "        image: x\n",
           "apiVersion: example.com/v1\n"
           "kind: Widget\n"
           "metadata:\n"
           "  name: w\n"
           "spec:\n"
           "  items:\n"
           "  - name: b\n"
           "    v: 3\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: y\n"
           "        image: y\n",
           "apiVersion: example.com/v1\n"
           "kind: Widget\n"
           "metadata:\n"
           "  name: w\n"
           "spec:\n"
           "  items:\n"
           "  - name: b\n"
           "    v: 3\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: \"y\"\n"
           "        name: \"y\"\n");
}

/* inside an unknown kind, a mapping with apiVersion/kind selects that schema */
static void test_crd_nested_gvk(void **state)
{
    (void)state;
    expect("apiVersion: example.com/v1\n"
           "kind: Wrapper\n"
           "metadata:\n"
           "  name: w\n"
           "spec:\n"
           "  object:\n"
           "    apiVersion: apps/v1\n"
           "    kind: Deployment\n"
           "    metadata:\n"
           "      name: inner\n"
           "    spec:\n"
           "      template:\n"
           "        spec:\n"
           "          containers:\n"
           "          - name: a\n"
           "            image: a\n",
           "apiVersion: example.com/v1\n"
           "kind: Wrapper\n"
           "metadata:\n"
           "  name: w\n"
           "spec:\n"
           "  object:\n"
           "    spec:\n"
           "      template:\n"
           "        spec:\n"
           "          containers:\n"
           "          - name: b\n"
           "            image: b\n",
           "apiVersion: example.com/v1\n"
           "kind: Wrapper\n"
           "metadata:\n"
           "  name: w\n"
           "spec:\n"
           "  object:\n"
           "    apiVersion: apps/v1\n"
           "    kind: Deployment\n"
           "    metadata:\n"
           "      name: inner\n"
           "    spec:\n"
           "      template:\n"
           "        spec:\n"
           "          containers:\n"
           "          - image: b\n"
           "            name: b\n"
           "          - image: a\n"
           "            name: a\n");
}

/* primitive finalizers prepend; Service ports merge by port+protocol */
static void test_finalizers_merge(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: Service\n"
           "metadata:\n"
           "  name: s\n"
           "  finalizers:\n"
           "  - a\n"
           "  - b\n"
           "spec:\n"
           "  ports:\n"
           "  - port: 80\n"
           "    targetPort: 8080\n"
           "  - port: 53\n"
           "    protocol: UDP\n",
           "apiVersion: v1\n"
           "kind: Service\n"
           "metadata:\n"
           "  name: s\n"
           "  finalizers:\n"
           "  - c\n"
           "  - a\n"
           "spec:\n"
           "  ports:\n"
           "  - port: 443\n"
           "    targetPort: 8443\n"
           "  - port: 80\n"
           "    name: http\n",
           "apiVersion: v1\n"
           "kind: Service\n"
           "metadata:\n"
           "  finalizers:\n"
           "  - c\n"
           "  - a\n"
           "  - b\n"
           "  name: s\n"
           "spec:\n"
           "  ports:\n"
           "  - port: 443\n"
           "    targetPort: 8443\n"
           "  - name: http\n"
           "    port: 80\n"
           "    targetPort: 8080\n"
           "  - port: 53\n"
           "    protocol: UDP\n");
}

/* null/~ kept, empty null dropped from the target */
static void test_target_nulls(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  annotations:\n"
           "data:\n"
           "  a: null\n"
           "  b: ~\n"
           "  c:\n"
           "  d: x\n",
           "apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "data:\n"
           "  d: y\n",
           "apiVersion: v1\n"
           "data:\n"
           "  a: null\n"
           "  b: null\n"
           "  d: \"y\"\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n");
}

/* kind, name and namespace stay the target's */
static void test_rename_restored(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "  namespace: ns1\n"
           "spec:\n"
           "  replicas: 1\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: other\n"
           "  namespace: ns2\n"
           "spec:\n"
           "  replicas: 2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "  namespace: ns1\n"
           "spec:\n"
           "  replicas: 2\n");
}

/* topologySpreadConstraints by topologyKey+whenUnsatisfiable */
static void test_topology_spread(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      topologySpreadConstraints:\n"
           "      - topologyKey: zone\n"
           "        whenUnsatisfiable: DoNotSchedule\n"
           "        maxSkew: 1\n"
           "      - topologyKey: host\n"
           "        whenUnsatisfiable: ScheduleAnyway\n"
           "        maxSkew: 1\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      topologySpreadConstraints:\n"
           "      - topologyKey: host\n"
           "        whenUnsatisfiable: ScheduleAnyway\n"
           "        maxSkew: 5\n"
           "      - topologyKey: zone\n"
           "        whenUnsatisfiable: ScheduleAnyway\n"
           "        maxSkew: 2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n"
           "      topologySpreadConstraints:\n"
           "      - maxSkew: 2\n"
           "        topologyKey: zone\n"
           "        whenUnsatisfiable: ScheduleAnyway\n"
           "      - maxSkew: 1\n"
           "        topologyKey: zone\n"
           "        whenUnsatisfiable: DoNotSchedule\n"
           "      - maxSkew: 5\n"
           "        topologyKey: host\n"
           "        whenUnsatisfiable: ScheduleAnyway\n");
}

/* a patch element without the merge key */
static void test_patch_elem_without_key(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "      - name: b\n"
           "        image: b\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: nokey\n"
           "      - name: a\n"
           "        image: a2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a2\n"
           "        name: a\n");
}

/* batch/v1beta1 CronJob is still in kustomize's schema */
static void test_cronjob_v1beta1(void **state)
{
    (void)state;
    expect("apiVersion: batch/v1beta1\n"
           "kind: CronJob\n"
           "metadata:\n"
           "  name: cj\n"
           "spec:\n"
           "  schedule: \"* * * * *\"\n"
           "  jobTemplate:\n"
           "    spec:\n"
           "      template:\n"
           "        spec:\n"
           "          containers:\n"
           "          - name: a\n"
           "            image: a\n",
           "apiVersion: batch/v1beta1\n"
           "kind: CronJob\n"
           "metadata:\n"
           "  name: cj\n"
           "spec:\n"
           "  jobTemplate:\n"
           "    spec:\n"
           "      template:\n"
           "        spec:\n"
           "          containers:\n"
           "          - name: b\n"
           "            image: b\n",
           "apiVersion: batch/v1beta1\n"
           "kind: CronJob\n"
           "metadata:\n"
           "  name: cj\n"
           "spec:\n"
           "  jobTemplate:\n"
           "    spec:\n"
           "      template:\n"
           "        spec:\n"
           "          containers:\n"
           "          - image: b\n"
           "            name: b\n"
           "          - image: a\n"
           "            name: a\n"
           "  schedule: '* * * * *'\n");
}

/* autoscaling/v2 is not: its lists (finalizers too) are replaced */
static void test_hpa_v2_nolist_schema(void **state)
{
    (void)state;
    expect("apiVersion: autoscaling/v2\n"
           "kind: HorizontalPodAutoscaler\n"
           "metadata:\n"
           "  name: h\n"
           "  finalizers: [a]\n"
           "spec:\n"
           "  metrics:\n"
           "  - type: Resource\n"
           "    resource:\n"
           "      name: cpu\n"
           "  - type: Pods\n",
           "apiVersion: autoscaling/v2\n"
           "kind: HorizontalPodAutoscaler\n"
           "metadata:\n"
           "  name: h\n"
           "  finalizers: [b]\n"
           "spec:\n"
           "  metrics:\n"
           "  - type: External\n",
           "apiVersion: autoscaling/v2\n"
           "kind: HorizontalPodAutoscaler\n"
           "metadata:\n"
           "  finalizers:\n"
           "  - b\n"
           "  name: h\n"
           "spec:\n"
           "  metrics:\n"
           "  - type: External\n");
}

/* tolerations replaced; imagePullSecrets by name, hostAliases by ip */
static void test_tolerations_replace(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  tolerations:\n"
           "  - key: a\n"
           "    operator: Exists\n"
           "  imagePullSecrets:\n"
           "  - name: s1\n"
           "  hostAliases:\n"
           "  - ip: 1.2.3.4\n"
           "    hostnames: [a]\n"
           "  containers:\n"
           "  - name: c\n"
           "    image: c\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  tolerations:\n"
           "  - key: b\n"
           "    operator: Exists\n"
           "  imagePullSecrets:\n"
           "  - name: s2\n"
           "  hostAliases:\n"
           "  - ip: 5.6.7.8\n"
           "    hostnames: [b]\n"
           "  - ip: 1.2.3.4\n"
           "    hostnames: [c]\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  containers:\n"
           "  - image: c\n"
           "    name: c\n"
           "  hostAliases:\n"
           "  - hostnames:\n"
           "    - b\n"
           "    ip: 5.6.7.8\n"
           "  - hostnames:\n"
           "    - c\n"
           "    ip: 1.2.3.4\n"
           "  imagePullSecrets:\n"
           "  - name: s2\n"
           "  - name: s1\n"
           "  tolerations:\n"
           "  - key: b\n"
           "    operator: Exists\n");
}

/* a new list keeps a $patch element and drops keyed ones */
static void test_new_list_with_replace_directive(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  containers:\n"
           "  - name: c\n"
           "    image: c\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  volumes:\n"
           "  - $patch: replace\n"
           "  - name: v\n"
           "    emptyDir: {}\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  containers:\n"
           "  - image: c\n"
           "    name: c\n"
           "  volumes:\n"
           "  - $patch: replace\n");
}

/* a value set on a quoted or block scalar becomes a string */
static void test_style_int_into_quoted(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  replicas: \"3\"\n"
           "  minReadySeconds: 5\n"
           "  paused: 'true'\n"
           "  template:\n"
           "    metadata:\n"
           "      annotations:\n"
           "        a: \"x\"\n"
           "        b: |\n"
           "          text\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  replicas: 3\n"
           "  minReadySeconds: \"7\"\n"
           "  paused: false\n"
           "  template:\n"
           "    metadata:\n"
           "      annotations:\n"
           "        a: 1.50\n"
           "        b: 12\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  minReadySeconds: \"7\"\n"
           "  paused: \"false\"\n"
           "  replicas: \"3\"\n"
           "  template:\n"
           "    metadata:\n"
           "      annotations:\n"
           "        a: \"1.50\"\n"
           "        b: \"12\"\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: a\n"
           "        name: a\n");
}

/* $patch: replace at the top leaves the object unchanged */
static void test_root_replace(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "  labels:\n"
           "    a: b\n"
           "spec:\n"
           "  replicas: 1\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "$patch: replace\n"
           "spec:\n"
           "  paused: true\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  labels:\n"
           "    a: b\n"
           "  name: d\n"
           "spec:\n"
           "  replicas: 1\n");
}

/* directives inside new elements are applied */
static void test_new_container_with_directives(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: b\n"
           "        image: b\n"
           "        env:\n"
           "        - name: X\n"
           "          value: \"1\"\n"
           "        - name: Y\n"
           "          $patch: delete\n"
           "        - name: X\n"
           "          value: \"2\"\n"
           "        resources:\n"
           "          $patch: delete\n"
           "        securityContext:\n"
           "          $patch: replace\n"
           "          runAsUser: 1\n"
           "      - name: gone\n"
           "        $patch: delete\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - env:\n"
           "        - name: X\n"
           "          value: \"2\"\n"
           "        image: b\n"
           "        name: b\n"
           "        securityContext:\n"
           "          runAsUser: 1\n"
           "      - image: a\n"
           "        name: a\n");
}

/* null and empty elements are dropped from merged lists */
static void test_null_element_dest(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n"
           "      -\n"
           "      - {}\n"
           "      - name: b\n"
           "        image: b\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: b\n"
           "        image: b2\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: b2\n"
           "        name: b\n"
           "      - image: a\n"
           "        name: a\n");
}

/* merge keys compare as written: 0x50 is not 80 */
static void test_hex_port(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  containers:\n"
           "  - name: a\n"
           "    image: a\n"
           "    ports:\n"
           "    - containerPort: 0x50\n"
           "      protocol: TCP\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  containers:\n"
           "  - name: a\n"
           "    ports:\n"
           "    - containerPort: 80\n"
           "      protocol: TCP\n"
           "      name: x\n",
           "apiVersion: v1\n"
           "kind: Pod\n"
           "metadata:\n"
           "  name: p\n"
           "spec:\n"
           "  containers:\n"
           "  - image: a\n"
           "    name: a\n"
           "    ports:\n"
           "    - containerPort: 80\n"
           "      name: x\n"
           "      protocol: TCP\n"
           "    - containerPort: 80\n"
           "      protocol: TCP\n");
}

/* primitive merge lists deduplicate by text */
static void test_finalizers_dup(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  finalizers: [a, b, a, 1]\n",
           "apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  finalizers: [b, \"1\", c]\n",
           "apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  finalizers:\n"
           "  - b\n"
           "  - 1\n"
           "  - c\n"
           "  - a\n"
           "  name: c\n");
}

/* directives in replaced lists stay; on maps they apply */
static void test_crd_list_directives_kept(void **state)
{
    (void)state;
    expect("apiVersion: example.com/v1\n"
           "kind: Thing\n"
           "metadata:\n"
           "  name: t\n"
           "spec:\n"
           "  list:\n"
           "  - name: a\n",
           "apiVersion: example.com/v1\n"
           "kind: Thing\n"
           "metadata:\n"
           "  name: t\n"
           "spec:\n"
           "  list:\n"
           "  - name: a\n"
           "    $patch: delete\n"
           "  - $patch: replace\n"
           "  map:\n"
           "    $patch: delete\n"
           "  other:\n"
           "    a: 1\n"
           "    $patch: replace\n",
           "apiVersion: example.com/v1\n"
           "kind: Thing\n"
           "metadata:\n"
           "  name: t\n"
           "spec:\n"
           "  list:\n"
           "  - $patch: delete\n"
           "    name: a\n"
           "  - $patch: replace\n"
           "  other:\n"
           "    a: 1\n");
}

/* same port, other protocol */
static void test_same_port_diff_proto(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: Service\n"
           "metadata:\n"
           "  name: s\n"
           "spec:\n"
           "  ports:\n"
           "  - port: 53\n"
           "    protocol: UDP\n"
           "    name: dns-udp\n"
           "  - port: 53\n"
           "    protocol: TCP\n"
           "    name: dns-tcp\n",
           "apiVersion: v1\n"
           "kind: Service\n"
           "metadata:\n"
           "  name: s\n"
           "spec:\n"
           "  ports:\n"
           "  - port: 53\n"
           "    protocol: TCP\n"
           "    targetPort: 5353\n",
           "apiVersion: v1\n"
           "kind: Service\n"
           "metadata:\n"
           "  name: s\n"
           "spec:\n"
           "  ports:\n"
           "  - name: dns-udp\n"
           "    port: 53\n"
           "    protocol: UDP\n"
           "  - name: dns-tcp\n"
           "    port: 53\n"
           "    protocol: TCP\n"
           "    targetPort: 5353\n");
}

/* $patch: merge is removed */
static void test_patch_merge_directive(void **state)
{
    (void)state;
    expect("apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    metadata:\n"
           "      labels:\n"
           "        a: b\n"
           "    spec:\n"
           "      containers:\n"
           "      - name: a\n"
           "        image: a\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    metadata:\n"
           "      $patch: merge\n"
           "      labels:\n"
           "        c: d\n"
           "    spec:\n"
           "      containers:\n"
           "      - $patch: merge\n"
           "      - name: b\n"
           "        image: b\n",
           "apiVersion: apps/v1\n"
           "kind: Deployment\n"
           "metadata:\n"
           "  name: d\n"
           "spec:\n"
           "  template:\n"
           "    metadata:\n"
           "      labels:\n"
           "        a: b\n"
           "        c: d\n"
           "    spec:\n"
           "      containers:\n"
           "      - image: b\n"
           "        name: b\n"
           "      - image: a\n"
           "        name: a\n");
}

/* ownerReferences merge by uid */
static void test_owner_refs(void **state)
{
    (void)state;
    expect("apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  ownerReferences:\n"
           "  - apiVersion: v1\n"
           "    kind: Pod\n"
           "    name: p\n"
           "    uid: u1\n",
           "apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  ownerReferences:\n"
           "  - apiVersion: apps/v1\n"
           "    kind: ReplicaSet\n"
           "    name: r\n"
           "    uid: u2\n"
           "  - uid: u1\n"
           "    controller: true\n",
           "apiVersion: v1\n"
           "kind: ConfigMap\n"
           "metadata:\n"
           "  name: c\n"
           "  ownerReferences:\n"
           "  - apiVersion: apps/v1\n"
           "    kind: ReplicaSet\n"
           "    name: r\n"
           "    uid: u2\n"
           "  - apiVersion: v1\n"
           "    controller: true\n"
           "    kind: Pod\n"
           "    name: p\n"
           "    uid: u1\n");
}

/* kubectl: "error: wrong node kind: expected SequenceNode but got MappingNode..." */
static void test_type_mismatch_list_map(void **state)
{
    (void)state;
    expect_error("apiVersion: v1\n"
                 "kind: Pod\n"
                 "metadata:\n"
                 "  name: p\n"
                 "spec:\n"
                 "  containers:\n"
                 "  - name: a\n"
                 "    image: a\n",
                 "apiVersion: v1\n"
                 "kind: Pod\n"
                 "metadata:\n"
                 "  name: p\n"
                 "spec:\n"
                 "  containers:\n"
                 "    name: a\n",
                 "wrong node kind: expected SequenceNode but got MappingNode");
}

/* kubectl: "error: unknown patch strategy 'bogus'..." */
static void test_list_directive_unknown(void **state)
{
    (void)state;
    expect_error("apiVersion: v1\n"
                 "kind: Pod\n"
                 "metadata:\n"
                 "  name: p\n"
                 "spec:\n"
                 "  containers:\n"
                 "  - name: a\n"
                 "    image: a\n",
                 "apiVersion: v1\n"
                 "kind: Pod\n"
                 "metadata:\n"
                 "  name: p\n"
                 "spec:\n"
                 "  containers:\n"
                 "  - $patch: bogus\n",
                 "unknown patch strategy 'bogus'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_containers_prepend),
        cmocka_unit_test(test_keyless_target_element),
        cmocka_unit_test(test_fields_newer_than_kustomize_schema),
        cmocka_unit_test(test_env_merge),
        cmocka_unit_test(test_ports_protocol),
        cmocka_unit_test(test_volumes_mounts),
        cmocka_unit_test(test_set_element_order),
        cmocka_unit_test(test_retain_keys),
        cmocka_unit_test(test_delete_from_primitive),
        cmocka_unit_test(test_patch_delete_element),
        cmocka_unit_test(test_patch_delete_map),
        cmocka_unit_test(test_patch_delete_object),
        cmocka_unit_test(test_patch_replace_map),
        cmocka_unit_test(test_patch_replace_list),
        cmocka_unit_test(test_patch_replace_element),
        cmocka_unit_test(test_patch_delete_list),
        cmocka_unit_test(test_null_deletes),
        cmocka_unit_test(test_dup_keys_dest),
        cmocka_unit_test(test_dup_keys_patch),
        cmocka_unit_test(test_crd_lists),
        cmocka_unit_test(test_crd_nested_gvk),
        cmocka_unit_test(test_finalizers_merge),
        cmocka_unit_test(test_target_nulls),
        cmocka_unit_test(test_rename_restored),
        cmocka_unit_test(test_topology_spread),
        cmocka_unit_test(test_patch_elem_without_key),
        cmocka_unit_test(test_cronjob_v1beta1),
        cmocka_unit_test(test_hpa_v2_nolist_schema),
        cmocka_unit_test(test_tolerations_replace),
        cmocka_unit_test(test_new_list_with_replace_directive),
        cmocka_unit_test(test_style_int_into_quoted),
        cmocka_unit_test(test_root_replace),
        cmocka_unit_test(test_new_container_with_directives),
        cmocka_unit_test(test_null_element_dest),
        cmocka_unit_test(test_hex_port),
        cmocka_unit_test(test_finalizers_dup),
        cmocka_unit_test(test_crd_list_directives_kept),
        cmocka_unit_test(test_same_port_diff_proto),
        cmocka_unit_test(test_patch_merge_directive),
        cmocka_unit_test(test_owner_refs),
        cmocka_unit_test(test_type_mismatch_list_map),
        cmocka_unit_test(test_list_directive_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
