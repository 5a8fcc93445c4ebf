#!/usr/bin/env bash
# Schema validation over every rendered output of the conformance corpora (kustomize and Helm
# expected outputs, the Flux fleet's expected clusters): objects validated, findings by kind and
# rule, and the files with findings, as figures for CI.
#
#   bash tests/check-corpus.sh ./kiln [--strict] [-v]
#
# Uses ../shared/schemas (Kubernetes v1.35 OpenAPI + Flux CRDs), imported once into a temporary
# cache (or $KILN_SHARED). Skips (exit 0) when ../shared is absent. Exit 1 when kiln fails on some input (exit 2).
set -u
export LC_ALL=C
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ $# -lt 1 ]; then
  echo "usage: bash tests/check-corpus.sh KILN [--strict] [-v]" >&2
  exit 2
fi
case "$1" in
  */*) KILN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" ;;
  *) KILN=$(command -v "$1" || echo "$1") ;;
esac
shift
EXTRA=() VERBOSE=0
for a in "$@"; do
  case $a in -v) VERBOSE=1 ;; *) EXTRA+=("$a") ;; esac
done
SHARED=${KILN_SHARED:-$ROOT/../shared}
[ -d "$SHARED" ] || SHARED=$ROOT/../../shared # a git worktree under wt/
if [ ! -d "$SHARED/conformance" ] || [ ! -d "$SHARED/schemas" ]; then
  echo "check-corpus: ../shared not present, skipped"
  exit 0
fi
SHARED=$(cd "$SHARED" && pwd)
K8S=$SHARED/schemas/kubernetes/v1.35
FLUX=$SHARED/schemas/flux
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-corpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
"$KILN" schema import "$K8S" "$FLUX" > /dev/null || exit 1

{
  find "$SHARED/conformance/kustomize" -name expected.yaml
  find "$SHARED/conformance/helm/cases" -maxdepth 2 -name expected.yaml
  find "$SHARED/conformance/fleet" -path '*/expected/*.yaml'
} | sort > "$tmp/files"

n=0
while IFS= read -r f; do
  n=$((n + 1))
  "$KILN" check - --policy-set none --schema "$K8S" --schema "$FLUX" --format json \
    "${EXTRA[@]}" < "$f" > "$tmp/$n.json" 2> "$tmp/$n.err"
  echo "$? $f" >> "$tmp/status"
done < "$tmp/files"

python3 - "$tmp" "$SHARED" "$VERBOSE" <<'PY'
import collections, json, os, re, sys
tmp, shared, verbose = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
corp = collections.Counter()
objs = collections.Counter()
unvalidated = collections.Counter()
files = collections.Counter()
failed = []
by_rule = collections.Counter()
by_kind_rule = collections.Counter()
with_findings = collections.defaultdict(list)
lines = open(os.path.join(tmp, "status")).read().splitlines()
for i, line in enumerate(lines, 1):
    rc, path = line.split(" ", 1)
    rel = os.path.relpath(path, shared + "/conformance")
    c = rel.split("/")[0]
    files[c] += 1
    if rc not in ("0", "1"):
        err = open(os.path.join(tmp, f"{i}.err")).read().strip().splitlines()
        failed.append((rel, err[0] if err else "exit " + rc))
        continue
    rep = json.load(open(os.path.join(tmp, f"{i}.json")))
    objs[c] += rep["summary"]["objects"]
    for r in rep["results"]:
        kind = r["object"].split("/")[2] if r["object"] else "-"
        if r["rule"] == "schema/no-schema":
            kind = r["object"].split("/")[0] + "/" + r["object"].split("/")[1] + " " + kind
            m = re.search(r"\((\d+) objects? of this kind", r["message"])
            unvalidated[c] += int(m.group(1)) if m else rep["summary"]["objects"]
        by_rule[(c, r["severity"], r["rule"])] += 1
        by_kind_rule[(c, kind, r["rule"])] += 1
        if r["rule"] != "schema/no-schema":
            with_findings[rel].append(f'{r["path"]}: {r["message"]}')
print("corpus      files  objects  validated  no schema")
for c in sorted(files):
    print(f"{c:10} {files[c]:6} {objs[c]:8} {objs[c] - unvalidated[c]:10} {unvalidated[c]:10}")
tot = sum(objs.values()); unv = sum(unvalidated.values())
print(f"{'total':10} {sum(files.values()):6} {tot:8} {tot - unv:10} {unv:10}")
print("\nfindings by corpus, severity and rule:")
for (c, sev, rule), k in sorted(by_rule.items()):
    print(f"  {c:10} {sev:8} {rule:22} {k}")
print("\nfindings by corpus, kind and rule:")
for (c, kind, rule), k in sorted(by_kind_rule.items()):
    print(f"  {c:10} {rule:22} {kind:40} {k}")
print(f"\nfiles kiln could not render from stdin (exit 2): {len(failed)}")
for rel, e in failed[: (1000 if verbose else 5)]:
    print(f"  {rel}: {e[:150]}")
print(f"\nfiles with schema findings (other than no-schema): {len(with_findings)}")
for rel in sorted(with_findings)[: (100000 if verbose else 40)]:
    print(f"  {rel}")
    for m in with_findings[rel][: (50 if verbose else 3)]:
        print(f"      {m[:200]}")
PY
st=$?
[ $st -eq 0 ] || exit 1
exit 0
