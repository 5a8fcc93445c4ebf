#!/usr/bin/env bash
# Renders the sample GitOps repository with kiln.
#
#   bash samples/demo.sh ./kiln
#
# Builds every target below, prints how many objects each one renders and what each Flux
# Kustomization of the production cluster applies, checks that cluster against the restricted
# and gitops policy sets, prints the production app overlay in full,
# then compares it with the live snapshot (kiln diff --live).
# Exits non-zero when a build fails (a diff that finds differences, exit 1, is not a failure).
set -u

if [ $# -lt 1 ]; then
    echo "usage: bash samples/demo.sh ./kiln" >&2
    exit 2
fi
KILN=$1
case $KILN in
    */*) KILN=$(cd "$(dirname "$KILN")" && pwd)/$(basename "$KILN") ;;
esac

# Run from the repository root so that every path printed reads samples/...
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 2

targets=(
    samples/apps/production
    samples/apps/staging
    samples/infrastructure/controllers
    samples/infrastructure/configs
    samples/clusters/production
)

# the sample HelmReleases use third-party charts that are not in the repository: without local
# copies (--chart-source/--charts) they are skipped with a warning instead of failing the build
flux=(--missing-charts=warn)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

failed=0
for t in "${targets[@]}"; do
    echo "== kiln build $t"
    out="$tmp/${t//\//_}.yaml"
    if "$KILN" build "$t" "${flux[@]}" > "$out" 2> "$tmp/err"; then
        echo "   $(grep -c '^kind:' "$out") objects"
    else
        rc=$?
        echo "   FAILED (exit $rc)"
        sed 's/^/   /' "$tmp/err"
        failed=1
    fi
done

echo
echo "== kiln build samples/clusters/production --per-kustomization (what Flux applies, per Kustomization)"
"$KILN" build samples/clusters/production --per-kustomization "${flux[@]}" 2> /dev/null |
    awk '/^# Kustomization:/ { if (name) printf "   %-40s %d objects\n", name, n; name = $3; n = 0 }
         /^kind:/ { n++ } END { if (name) printf "   %-40s %d objects\n", name, n }'

echo
echo "== kiln check samples/clusters/production --policy-set restricted,gitops"
"$KILN" check samples/clusters/production --policy-set restricted,gitops "${flux[@]}" 2> /dev/null | sed 's/^/   /'
case ${PIPESTATUS[0]} in
    0 | 1) ;;
    *) echo "   kiln check FAILED"; failed=1 ;;
esac

prod="$tmp/samples_apps_production.yaml"
if [ -s "$prod" ]; then
    echo
    echo "== samples/apps/production, rendered"
    cat "$prod"
fi

echo
if "$KILN" help diff > /dev/null 2>&1; then
    echo "== kiln diff samples/apps/production --live samples/live/production.yaml"
    "$KILN" diff samples/apps/production --live samples/live/production.yaml
    rc=$?
    case $rc in
        0) echo "   (no differences)" ;;
        1) echo "   (differences found)" ;;
        *) echo "   kiln diff FAILED (exit $rc)"; failed=1 ;;
    esac
else
    echo "kiln diff: not built yet"
fi

exit $failed
