#!/usr/bin/env bash
# kiln schema import and the compiled-schema cache: the file is written under
# $XDG_CACHE_HOME/kiln/schemas, later checks with the same sources load it (KILN_SCHEMA_TRACE
# says which path was taken), a changed source or a damaged cache file is parsed again (never
# stale), and the findings are the same either way. With ../shared/schemas present, also the
# v1.35 OpenAPI + Flux import.
#
#   KILN=/path/to/kiln bash tests/schema/run.sh
set -u
check_prefix=schema
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../lib.sh"
: "${KILN:?KILN=/path/to/kiln}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-schema.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
export KILN_SCHEMA_TRACE=1

cp -R "$here/../golden/check/schemas-k8s" "$tmp/k8s"
mkdir -p "$tmp/in" && cp -R "$here/../golden/check/schema-builtin-type/in/app" "$tmp/in/app"
want=$here/../golden/check/schema-builtin-type/expected.out

# 1. without a cache: parsed; findings as the golden case has them
(cd "$tmp" && "$KILN" check in/app --policy-set none --schema k8s > out0 2> err0)
check "no cache: exit 1" test $? -eq 1
check "no cache: parsed" grep -q "schemas: cache miss" "$tmp/err0"
check "no cache: findings" cmp -s "$want" "$tmp/out0"

# 2. import writes one file named by the key and prints its path
(cd "$tmp" && "$KILN" schema import k8s > imp 2> imperr)
check "import: exit 0" test $? -eq 0
file=$(cat "$tmp/imp")
check "import: file under XDG_CACHE_HOME" test -s "$file" -a "${file#"$tmp/cache/kiln/schemas/"}" != "$file"
check "import: named KEY.kschema" bash -c "[[ \$(basename '$file') =~ ^[0-9a-f]{16}\\.kschema\$ ]]"

# 3. the same sources: cache hit, same findings
(cd "$tmp" && "$KILN" check in/app --policy-set none --schema k8s > out1 2> err1)
check "cached: exit 1" test $? -eq 1
check "cached: cache hit" grep -q "schemas: cache hit $file" "$tmp/err1"
check "cached: same findings" cmp -s "$want" "$tmp/out1"
(cd "$tmp" && "$KILN" check in/app --policy-set none --schema "$tmp/k8s" > out1b 2> err1b)
check "cached: absolute path gives the same key" grep -q "schemas: cache hit $file" "$tmp/err1b"

# 4. a changed source (same size, same mtime) is never read from the stale cache
touch -r "$tmp/k8s/apis/apps/v1.json" "$tmp/stamp"
sed -i 's/"Always", "Never", "OnFailure"/"Always", "Nevvv", "OnFailure"/; s/"Never",/"Nevvv",/' "$tmp/k8s/apis/apps/v1.json"
touch -r "$tmp/stamp" "$tmp/k8s/apis/apps/v1.json"
(cd "$tmp" && "$KILN" check in/app --policy-set none --schema k8s > out2 2> err2)
check "changed source: cache miss" grep -q "schemas: cache miss" "$tmp/err2"
check "changed source: new schema used" grep -q '"Nevvv"' "$tmp/out2"
cp "$here/../golden/check/schemas-k8s/apis/apps/v1.json" "$tmp/k8s/apis/apps/v1.json"

# 5. a damaged cache file is ignored (parsed instead), not trusted
printf 'garbage' | dd of="$file" bs=1 seek=200 conv=notrunc 2> /dev/null
(cd "$tmp" && "$KILN" check in/app --policy-set none --schema k8s > out3 2> err3)
check "damaged cache: cache miss" grep -q "schemas: cache miss" "$tmp/err3"
check "damaged cache: same findings" cmp -s "$want" "$tmp/out3"
head -c 100 "$file" > "$tmp/trunc" && cp "$tmp/trunc" "$file"
(cd "$tmp" && "$KILN" check in/app --policy-set none --schema k8s > out4 2> err4)
check "truncated cache: same findings" cmp -s "$want" "$tmp/out4"

# 6. --cache-dir, errors
(cd "$tmp" && "$KILN" schema import k8s --cache-dir "$tmp/elsewhere" > imp2 2> /dev/null)
check "--cache-dir: written there" grep -q "^$tmp/elsewhere/" "$tmp/imp2"
(cd "$tmp" && "$KILN" schema import nowhere > out5 2> err5)
check "import of a missing source: exit 2" test $? -eq 2
check "import of a missing source: nothing on stdout" test ! -s "$tmp/out5"
(cd "$tmp" && "$KILN" schema > /dev/null 2>&1)
check "schema without a subcommand: exit 2" test $? -eq 2
(cd "$tmp" && "$KILN" schema export k8s > /dev/null 2>&1)
check "unknown subcommand: exit 2" test $? -eq 2

# 7. the real thing, when ../shared is there
shared=$here/../../../shared
[ -d "$shared" ] || shared=$here/../../../../shared
if [ -d "$shared/schemas/kubernetes/v1.35" ]; then
    S=$(cd "$shared/schemas" && pwd)
    "$KILN" schema import "$S/kubernetes/v1.35" "$S/flux" > "$tmp/imp3" 2> /dev/null
    check "v1.35 + flux: import" test -s "$(cat "$tmp/imp3")"
    printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x, creationTimestamp: null}\nspec:\n  replicas: "2"\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i, resources: {limits: {cpu: 2 cores}}}]}\n' > "$tmp/d.yaml"
    "$KILN" check - --policy-set none --schema "$S/kubernetes/v1.35" --schema "$S/flux" < "$tmp/d.yaml" > "$tmp/out6" 2> "$tmp/err6"
    check "v1.35 + flux: cache hit" grep -q "cache hit" "$tmp/err6"
    check "v1.35: replicas type error" grep -q 'spec.replicas: expected integer, got string "2"' "$tmp/out6"
    check "v1.35: quantity error" grep -q 'limits.cpu: "2 cores" is not a quantity' "$tmp/out6"
    check "v1.35: two errors" grep -q "1 objects, 2 errors" "$tmp/out6"
fi
check_summary "schema cache"
