# Shared by the shell test scripts (tests/git, tests/install, tests/watch): named checks and
# their tally. Source it, call `check NAME COMMAND...`, end with `check_summary LABEL`.
pass=0
fail=0
check() { # name, then a command that must succeed
    local name=$1
    shift
    if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $check_prefix/$name"; fi
}
check_summary() { # prints the tally; returns non-zero when a check failed
    echo "$pass passed, $fail failed${1:+ ($1)}"
    [ "$fail" -eq 0 ]
}
