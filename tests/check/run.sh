#!/usr/bin/env bash
# `kiln check --affected` and the kiln-check pre-commit hook: on a git repository with a shared
# base, a component, two overlays and two clusters, only the roots the changed files reach are
# checked, as one report (an object two roots share counted once); named files, --staged and
# --base select them; an input error in one root is exit 2 with nothing on stdout; the SARIF
# of a run passes tests/sarif/check_sarif.py. Then the hook's latency with one changed file on a
# copy of samples/ is measured and printed.
#
#   KILN=/path/to/kiln bash tests/check/run.sh
set -u
KILN=${KILN:?usage: KILN=/path/to/kiln bash tests/check/run.sh}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-check.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
check_prefix=check
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

repo=$tmp/repo
mkdir -p "$repo"/{base,components/monitoring,overlays/prod,overlays/dev,clusters/a,clusters/b,unrelated}
cd "$repo" || exit 2
git init -q . && git config user.email kiln@test && git config user.name kiln
printf 'resources: [deploy.yaml]\n' > base/kustomization.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' > base/deploy.yaml
printf 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: [{path: patch.yaml}]\n' > components/monitoring/kustomization.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {m: "1"}\n' > components/monitoring/patch.yaml
printf 'resources: [../../base]\ncomponents: [../../components/monitoring]\nconfigMapGenerator: [{name: env, envs: [prod.env]}]\n' > overlays/prod/kustomization.yaml
printf 'A=1\n' > overlays/prod/prod.env
printf 'resources: [../../base]\n' > overlays/dev/kustomization.yaml
printf 'namespace: a\nresources: [../../overlays/prod]\n' > clusters/a/kustomization.yaml
printf 'resources: [../../overlays/dev]\n' > clusters/b/kustomization.yaml
printf 'resources: [cm.yaml]\n' > unrelated/kustomization.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\n' > unrelated/cm.yaml
git add -A && git commit -qm base

summary() { # the "summary" object of a JSON report
    grep -o '"summary":{[^}]*}' "$1"
}
# the base reaches clusters/a (ConfigMap b in namespace a, the env ConfigMap) and clusters/b
# (ConfigMap b, no namespace): three objects
"$KILN" check --affected base/deploy.yaml --format json > "$tmp/out" 2> "$tmp/err"
check "base-file-exit-0" test $? -eq 0
check "base-file-objects" grep -q '"summary":{"objects":3,"errors":0,' "$tmp/out"
[ "$(summary "$tmp/out")" = '"summary":{"objects":3,"errors":0,"warnings":0,"skipped":0}' ] ||
    echo "    got $(summary "$tmp/out")"
# a file of clusters/b only
"$KILN" check --affected clusters/b/kustomization.yaml --format json > "$tmp/out"
check "leaf-objects" grep -q '"summary":{"objects":1,' "$tmp/out"
# two files: the union of their roots
"$KILN" check --affected clusters/b/kustomization.yaml unrelated/cm.yaml --format json > "$tmp/out"
check "two-files-objects" grep -q '"summary":{"objects":2,' "$tmp/out"
# a file no kustomization reaches: nothing to check, exit 0
"$KILN" check --affected README.md > "$tmp/out"
check "unrelated-exit-0" test $? -eq 0
check "unrelated-summary" grep -qx "kiln check: 0 objects, 0 errors, 0 warnings, 0 skipped" "$tmp/out"
# the same roots from the index and from a revision
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u2}\n' > unrelated/cm.yaml
git add unrelated/cm.yaml
echo 'B=2' >> overlays/prod/prod.env
"$KILN" check --affected --staged --format json > "$tmp/out"
check "staged-objects" grep -q '"summary":{"objects":1,' "$tmp/out"
"$KILN" check --affected --base HEAD --format json > "$tmp/out"
check "since-base-objects" grep -q '"summary":{"objects":3,' "$tmp/out"
# every root: all files changed since the empty tree (what the CI examples upload as SARIF);
# clusters a and b, unrelated: 2 + 1 + 1 objects, ConfigMap b of clusters/b counted once
empty=$(git hash-object -t tree /dev/null)
"$KILN" check --affected --base "$empty" --format sarif > "$tmp/all.sarif"
check "whole-repo-exit-0" test $? -eq 0
check "whole-repo-sarif-valid" python3 "$root/tests/sarif/check_sarif.py" "$tmp/all.sarif"
"$KILN" check --affected --base "$empty" --format junit > "$tmp/all.xml"
check "whole-repo-junit-tests" grep -q '<testsuites name="kiln check" tests="5" failures="0"' "$tmp/all.xml"
check "whole-repo-junit-xml" python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$tmp/all.xml"
# a broken root: exit 2, the error on stderr, nothing on stdout (in every format)
printf 'data: [\n' > overlays/dev/broken.yaml
printf 'resources: [../../base, broken.yaml]\n' > overlays/dev/kustomization.yaml
for f in text sarif junit; do
    "$KILN" check --affected base/deploy.yaml --format $f > "$tmp/out" 2> "$tmp/err"
    check "broken-root-exit-2-$f" test $? -eq 2
    check "broken-root-no-stdout-$f" test ! -s "$tmp/out"
done
check "broken-root-error" grep -q "overlays/dev/broken.yaml:2:1: error:" "$tmp/err"
git checkout -q overlays/dev/kustomization.yaml && rm overlays/dev/broken.yaml
# usage: --affected needs files, --staged or --base (one); --rev does not go with it
"$KILN" check --affected --staged base/deploy.yaml > "$tmp/out" 2> "$tmp/err"
check "affected-two-selections-exit-2" test $? -eq 2
"$KILN" check --affected base/deploy.yaml --rev HEAD > "$tmp/out" 2> "$tmp/err"
check "affected-with-rev-exit-2" test $? -eq 2

# the kiln-check hook as pre-commit runs it: its entry, then the changed files
entry=$(sed -n '/^- id: kiln-check$/,/^- id:/s/^  entry: //p' "$root/.pre-commit-hooks.yaml")
check "hook-entry" test "$entry" = "kiln check --affected"
kdir=$(dirname "$KILN")
mkdir -p "$tmp/bin" && ln -sf "$KILN" "$tmp/bin/kiln"
(PATH=$tmp/bin:$PATH; $entry base/deploy.yaml components/monitoring/patch.yaml > "$tmp/out")
check "hook-exit-0" test $? -eq 0
check "hook-summary" grep -qx "kiln check: 3 objects, 0 errors, 1 warnings, 0 skipped" "$tmp/out"
: "$kdir"

# latency of the hook with one changed file on the samples repository (median of 21 runs)
cp -r "$root/samples" "$tmp/samples"
cd "$tmp/samples" || exit 2
git init -q . && git add -A && git -c user.email=k@t -c user.name=k commit -qm s
times=()
for _ in $(seq 21); do
    start=$(date +%s%N)
    PATH=$tmp/bin:$PATH $entry apps/base/podinfo/deployment.yaml > /dev/null
    rc=$?
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
done
# exit 1: staging's Ingress has a host without TLS on purpose (samples/README.md, "Findings")
check "samples-hook-exit-1" test "$rc" -eq 1
PATH=$tmp/bin:$PATH $entry apps/base/podinfo/deployment.yaml > "$tmp/out" 2> /dev/null
check "samples-hook-finding" grep -q '^apps/staging/ingress.yaml:[0-9]*:[0-9]*: error: \[ingress-tls\]' "$tmp/out"
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 11p)
echo "check: pre-commit hook, one changed file on samples/ (2 roots): median $((median / 1000)).$(( (median % 1000) / 100 )) ms over 21 runs (wall clock)"

check_summary check
