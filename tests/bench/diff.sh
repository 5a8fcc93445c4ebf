#!/usr/bin/env bash
# Diff speed: `kiln diff` of the large kustomize bench tree against a snapshot of its own render
# with 1% of the objects changed, as a ratio to rendering alone (best of 3 each, same run).
#
#   bash tests/bench/diff.sh [KILN]      (after tests/bench/run.sh generated build/bench/)
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KILN=${1:-$root/build/kiln}
in=$root/build/bench/kustomize-large
[ -d "$in" ] || { echo "diff bench: $in missing (run BENCH_SIZES=large tests/bench/run.sh)"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$KILN" build "$in" > "$tmp/render.yaml" || exit 2
python3 - "$tmp/render.yaml" "$tmp/live.yaml" <<'PY'
import re, sys
docs = open(sys.argv[1]).read().split('\n---\n')
for i in range(0, len(docs), 100):          # every 100th object: one value drifts
    m = re.search(r'\n(    \S+): (\S+)\n', docs[i])
    if m:
        docs[i] = docs[i][:m.start()] + '\n%s: %s-drifted\n' % m.groups() + docs[i][m.end():]
open(sys.argv[2], 'w').write('\n---\n'.join(docs))
PY
best() { # command... -> best wall time of 3, seconds
    local b=999 t s e
    for _ in 1 2 3; do
        s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
        b=$(python3 -c "print(min($b, $e - $s))")
    done
    echo "$b"
}
tb=$(best "$KILN" build "$in")
td=$(best "$KILN" diff "$in" --live "$tmp/live.yaml" --color never)
summary=$("$KILN" diff "$in" --live "$tmp/live.yaml" --color never | head -n 1)
printf 'diff bench: render %.3f s, diff %.3f s, ratio %.2f (want < 2)  [%s]\n' "$tb" "$td" \
    "$(python3 -c "print($td / $tb)")" "$summary"
