#!/usr/bin/env bash
# `kiln diff --watch`: a copy of samples/ in its own git repository is watched; an edit to the
# base must be reported (only that change), a broken file must not stop the watch, and the
# latency from the save to the report is printed.
#
#   KILN=/path/to/kiln bash tests/watch/run.sh
set -u
KILN=${KILN:?usage: KILN=/path/to/kiln bash tests/watch/run.sh}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-watch.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
check_prefix=watch
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
wait_for() { # pattern file: up to 5 s
    for _ in $(seq 500); do grep -q "$1" "$2" 2> /dev/null && return 0; sleep 0.01; done
    return 1
}
cp -r "$root/samples" "$tmp/repo"
cd "$tmp/repo" || exit 2
git init -q . && git add -A && git -c user.email=k@t -c user.name=k commit -qm s
"$KILN" diff apps/production --watch --color never > "$tmp/out" 2> "$tmp/err" &
pid=$!
check "starts" wait_for "watching" "$tmp/err"

start=$(date +%s%N)
sed -i 's/ghcr.io\/stefanprodan\/podinfo/ghcr.io\/example\/podinfo/' apps/base/podinfo/deployment.yaml
check "reports-edit" wait_for "^== " "$tmp/out"
end=$(date +%s%N)
check "only-that-change" grep -q "0 to create, 1 to update, 0 to prune" "$tmp/out"
check "changed-path" grep -q "containers\[name=podinfod\].image" "$tmp/out"
echo "watch: save to report $(( (end - start) / 1000000 )) ms (includes the 30 ms settle time and polling)"

printf 'resources: [\n' > apps/production/broken.yaml
echo "  - broken.yaml" >> apps/production/kustomization.yaml
check "broken-reported" wait_for "error" "$tmp/err"
sed -i '/broken.yaml/d' apps/production/kustomization.yaml
rm apps/production/broken.yaml
check "still-running" kill -0 "$pid"
# progress on a terminal's stderr for a render over a second (stdin held open 1.5 s), erased at
# the end; nothing when stderr is not a terminal
svc=$root/samples/apps/base/podinfo/service.yaml
if command -v script > /dev/null; then
    script -qc "(sleep 1.5; cat '$svc') | '$KILN' build - > /dev/null" /dev/null > "$tmp/tty.out"
    check "progress-on-terminal" grep -q "kiln: rendering - \.\.\. 1\.0 s" "$tmp/tty.out"
fi
(sleep 1.2; cat "$svc") | "$KILN" build - 2> "$tmp/notty.err" > /dev/null
check "no-progress-off-terminal" test ! -s "$tmp/notty.err"

check_summary watch
