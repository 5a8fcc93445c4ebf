#!/usr/bin/env bash
# Golden tests for kiln.
#
#   KILN=/path/to/kiln bash tests/golden/run.sh [filter]
#
# Every directory below tests/golden that holds a `cmd` file is a case. kiln is run inside the
# case directory with the arguments in `cmd` (one line), stdin from /dev/null, 20 s timeout.
#   expected.exit  expected exit status (absent: 0)
#   expected.out   exact expected stdout (exit 2: absent, stdout must be empty; exit 1 =
#                  findings, e.g. a diff with changes, may print)
#   expected.err   exact expected stderr (absent: exit-2 cases only need a non-empty stderr)
# [filter] keeps the cases whose name (e.g. writer/key-sorting) contains it.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
filter=${1:-}

if [ -z "${KILN:-}" ]; then
    echo "usage: KILN=/path/to/kiln bash tests/golden/run.sh [filter]" >&2
    exit 2
fi
case $KILN in
    */*) KILN=$(cd "$(dirname "$KILN")" && pwd)/$(basename "$KILN") ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-golden.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

export LC_ALL=C
# dates print in the local zone (Sprig, CEL): expected outputs were made with TZ=UTC
export TZ=UTC
pass=0
fail=0

while IFS= read -r cmdfile; do
    dir=${cmdfile%/cmd}
    name=${dir#"$here"/}
    if [ -n "$filter" ] && [[ $name != *"$filter"* ]]; then
        continue
    fi
    read -r -a args < "$cmdfile"
    want_exit=0
    if [ -f "$dir/expected.exit" ]; then
        read -r want_exit < "$dir/expected.exit"
    fi

    (cd "$dir" && exec timeout 20 "$KILN" "${args[@]}" < /dev/null > "$tmp/out" 2> "$tmp/err")
    got_exit=$?

    reason=
    if [ "$got_exit" -eq 124 ]; then
        reason="timed out after 20 s"
    elif [ "$got_exit" -ne "$want_exit" ]; then
        reason="exit status $got_exit, want $want_exit"
    elif [ -f "$dir/expected.out" ] && ! cmp -s "$dir/expected.out" "$tmp/out"; then
        reason="stdout differs"
    elif [ "$want_exit" -ge 2 ] && [ -s "$tmp/out" ]; then
        reason="stdout not empty on error"
    elif [ -f "$dir/expected.err" ] && ! cmp -s "$dir/expected.err" "$tmp/err"; then
        reason="stderr differs"
    elif [ ! -f "$dir/expected.err" ] && [ "$want_exit" -ge 2 ] && [ ! -s "$tmp/err" ]; then
        reason="stderr empty on error"
    fi

    if [ -z "$reason" ]; then
        pass=$((pass + 1))
        continue
    fi
    fail=$((fail + 1))
    echo "FAIL $name: $reason"
    case $reason in
        "stdout differs")
            diff -u --label expected --label actual "$dir/expected.out" "$tmp/out" | head -n 20 ;;
        "stderr differs")
            diff -u --label expected.err --label actual.err "$dir/expected.err" "$tmp/err" | head -n 20 ;;
        exit\ status*|"stdout not empty on error"|"stderr empty on error")
            head -c 2000 "$tmp/err" | head -n 5 | sed 's/^/    stderr: /' ;;
    esac
done < <(find "$here" -name in -prune -o -type f -name cmd -print | sort)

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
