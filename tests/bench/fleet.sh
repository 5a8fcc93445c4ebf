#!/usr/bin/env bash
# Fleet benchmark: `kiln build` of every cluster of a generated Flux fleet (gen_fleet.py,
# default 50 clusters x 20 apps) at -j 1 and -j 2: objects per second and the speed-up.
#
#   bash tests/bench/fleet.sh KILN [CLUSTERS APPS]
set -u
KILN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=$here/../../build/bench/fleet-${2:-50}x${3:-20}
[ -d "$dir" ] || python3 "$here/gen_fleet.py" --clusters "${2:-50}" --apps "${3:-20}" "$dir" > /dev/null
cd "$dir" || exit 1
paths=(clusters/*)
objs=$("$KILN" build -j 1 "${paths[@]}" | grep -c '^kind:')
t() { # median wall seconds of 5 runs
    for _ in 1 2 3 4 5; do
        s=$(date +%s.%N); "$KILN" build -j "$1" "${paths[@]}" > /dev/null; e=$(date +%s.%N)
        echo "$e - $s" | bc -l
    done | sort -n | sed -n 3p
}
t1=$(t 1); t2=$(t 2)
printf 'fleet %d clusters, %d objects: -j1 %.3f s (%.0f objects/s), -j2 %.3f s (%.0f objects/s), speed-up %.2fx (%s CPUs)\n' \
    "${#paths[@]}" "$objs" "$t1" "$(echo "$objs / $t1" | bc -l)" "$t2" "$(echo "$objs / $t2" | bc -l)" \
    "$(echo "$t1 / $t2" | bc -l)" "$(nproc)"
