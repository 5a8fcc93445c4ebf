#!/usr/bin/env bash
# `make install PREFIX=<temp>`, then the installed kiln renders and diffs samples/ from another
# directory, and its manual page and completion files are in place.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prefix=$(mktemp -d "${TMPDIR:-/tmp}/kiln-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
check_prefix=install
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
make -s -C "$root" install PREFIX="$prefix" > /dev/null || { echo "FAIL install/make-install"; exit 1; }
cd "$prefix" || exit 2
check "binary" test -x bin/kiln
check "man-page" test -s share/man/man1/kiln.1
check "bash-completion" bash -n share/bash-completion/completions/kiln
check "zsh-completion" test -s share/zsh/site-functions/_kiln
check "stdlib" test -s share/kiln/stdlib/kustomize/fieldspecs.tsv
bin/kiln build "$root/samples/apps/production" > out.yaml
check "build-from-elsewhere" test $? -eq 0 -a -s out.yaml
cmp -s out.yaml <("$root/build/kiln" build "$root/samples/apps/production")
check "same-output-as-build-tree" test $? -eq 0
bin/kiln diff "$root/samples/clusters/production" --live "$root/samples/live/production.yaml" --missing-charts=warn > diff.txt
check "diff-from-elsewhere" test $? -eq 1
check_summary install
