#!/usr/bin/env bash
# `kiln build` of several cluster PATHs (a fleet) on threads: the same bytes and messages as the
# single builds one after the other, whatever -j; a failing PATH fails the whole run with nothing
# on stdout. The fleet is written by tests/bench/gen_fleet.py (3 clusters x 4 apps).
#
#   KILN=/path/to/kiln bash tests/fleet/run.sh
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
check_prefix=fleet
. "$here/../lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-fleet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$here/../bench/gen_fleet.py" --clusters 3 --apps 4 "$tmp/repo" > /dev/null
cd "$tmp/repo"
paths=(clusters/c00 clusters/c01 clusters/c02)

for p in "${paths[@]}"; do
    [ -s "$tmp/seq.out" ] && echo --- >> "$tmp/seq.out"
    "$KILN" build "$p" >> "$tmp/seq.out" 2>> "$tmp/seq.err"
done
check "substituted-per-cluster" grep -q "CLUSTER: c02" "$tmp/seq.out"
check "objects" test "$(grep -c "^kind:" "$tmp/seq.out")" -gt 90
for j in 1 2 4; do
    "$KILN" build -j $j "${paths[@]}" > "$tmp/j$j.out" 2> "$tmp/j$j.err"
    check "exit-j$j" test $? -eq 0
    check "same-output-j$j" cmp -s "$tmp/seq.out" "$tmp/j$j.out"
    check "same-messages-j$j" cmp -s "$tmp/seq.err" "$tmp/j$j.err"
done

# a broken cluster: exit 2, nothing on stdout, its message after the others' in argument order
sed -i 's|path: ./apps/c01/app02|path: ./apps/c01/missing|' clusters/c01/apps.yaml
"$KILN" build -j 2 "${paths[@]}" > "$tmp/bad.out" 2> "$tmp/bad.err"
check "broken-exit-2" test $? -eq 2
check "broken-no-stdout" test ! -s "$tmp/bad.out"
check "broken-message" grep -q "path './apps/c01/missing' not found" "$tmp/bad.err"
"$KILN" build -o json "${paths[@]}" > /dev/null 2>&1
check "json-several-paths-usage" test $? -eq 2
check_summary fleet
