#!/usr/bin/env bash
# Renders, checks and diffs the sample fleet repository with kiln (make demo).
#
#   bash samples/demo.sh ./kiln
#
# 1. builds every kustomize target and both clusters, with the number of objects of each;
# 2. lists what Flux applies to the production cluster, per Kustomization, and prints the
#    objects the podinfo-cache HelmRelease installs (chart samples/charts/cache);
# 3. checks both clusters with the restricted and gitops policy sets (staging has two
#    deliberate findings: exit 1 from kiln check there is expected);
# 4. compares the production cluster with its live snapshot (kiln diff exits 1 on drift:
#    expected);
# 5. renders the production cluster from its Azure fluxConfigurations document.
# Exits non-zero only when a command fails (exit 2 or worse), never on findings or drift.
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0

# HelmReleases whose charts come from Helm repositories (cert-manager, ingress-nginx) cannot be
# rendered offline without a local copy of their charts. A kiln that knows --missing-charts
# is told to list them and render the rest; one that does not lists them as warnings anyway.
flux_flags=()
if "$KILN" help build 2> /dev/null | grep -q -- '--missing-charts'; then
    flux_flags+=(--missing-charts=warn)
fi

# note ERRFILE: one line naming the HelmReleases kiln reported as not rendered.
note() {
    local names
    names=$(grep -o 'HelmRelease [a-z0-9.-]*/[a-z0-9.-]*' "$1" | sort -u | sed 's/^HelmRelease //' |
        paste -sd, - | sed 's/,/, /g')
    if [ -n "$names" ]; then
        echo "   note: not rendered, their charts come from Helm repositories: $names"
    fi
}

# run NAME ARGS...: kiln ARGS into $tmp/NAME.out (stderr $tmp/NAME.err); returns kiln's status.
run() {
    local name=$1
    shift
    "$KILN" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
}

echo "== kiln build: every target (objects rendered)"
targets=(
    samples/apps/production
    samples/apps/staging
    samples/infrastructure/controllers
    samples/infrastructure/configs
    samples/clusters/staging
    samples/clusters/production
)
for t in "${targets[@]}"; do
    flags=()
    case $t in samples/clusters/*) flags=("${flux_flags[@]}") ;; esac
    if run build build "$t" "${flags[@]}"; then
        printf '   %-40s %3d objects\n' "$t" "$(grep -c '^kind:' "$tmp/build.out")"
    else
        echo "   $t: FAILED (exit $?)"
        sed 's/^/   /' "$tmp/build.err"
        failed=1
    fi
done

echo
echo "== kiln build samples/clusters/production --per-kustomization"
echo "   (every object Flux applies to the production cluster, in dependsOn order)"
if run prod build samples/clusters/production --per-kustomization "${flux_flags[@]}"; then
    awk '
        function flush() { if (kind != "") printf "     %-24s %s\n", kind, (ns != "" ? ns "/" : "") name; kind = name = ns = "" }
        /^# Kustomization:/ { flush(); printf "   %s\n", $0; next }
        /^---$/ { flush(); next }
        /^[a-zA-Z]/ { top = $1 }
        /^kind: / { kind = $2 }
        top == "metadata:" && /^  name: / { name = $2 }
        top == "metadata:" && /^  namespace: / { ns = $2 }
        END { flush() }' "$tmp/prod.out"
    note "$tmp/prod.err"
    echo
    echo "== what helm-controller installs for HelmRelease podinfo/podinfo-cache"
    echo "   (chart ./charts/cache of this repository; values: the chart's values.yaml, then the"
    echo "   ConfigMap podinfo-cache-values of apps/production, then spec.values with \${cluster_name}"
    echo "   substituted by Flux)"
    awk 'BEGIN { RS = "---\n"; ORS = "" }
         /helm.toolkit.fluxcd.io\/name: podinfo-cache/ { sub(/^# Kustomization:[^\n]*\n/, ""); print "---\n" $0 }' \
        "$tmp/prod.out"
else
    echo "   FAILED (exit $?)"
    sed 's/^/   /' "$tmp/prod.err"
    failed=1
fi

for c in production staging; do
    echo
    echo "== kiln check samples/clusters/$c --policy-set restricted,gitops"
    case $c in
        staging) echo "   (two findings placed on purpose: the preview host without TLS, the cache's latest tag)" ;;
    esac
    "$KILN" check "samples/clusters/$c" --policy-set restricted,gitops "${flux_flags[@]}" \
        2> /dev/null | sed 's/^/   /'
    rc=${PIPESTATUS[0]}
    case $rc in
        0) ;;
        1) echo "   (exit 1: findings)" ;;
        *) echo "   kiln check FAILED (exit $rc)"; failed=1 ;;
    esac
done

echo
echo "== kiln diff samples/clusters/production --live samples/live/production.yaml"
echo "   (what Flux would change in the cluster; the snapshot's drift is listed in samples/README.md)"
"$KILN" diff samples/clusters/production --live samples/live/production.yaml "${flux_flags[@]}" \
    2> /dev/null | sed 's/^/   /'
rc=${PIPESTATUS[0]}
case $rc in
    0) echo "   (no differences)" ;;
    1) echo "   (exit 1: differences found)" ;;
    *) echo "   kiln diff FAILED (exit $rc)"; failed=1 ;;
esac

echo
echo "== kiln build samples --flux-config samples/flux-config/production.json --per-kustomization"
echo "   (the production cluster as the AKS/Arc Flux extension configures it: az k8s-configuration flux show)"
if run arc build samples --flux-config samples/flux-config/production.json --per-kustomization \
    "${flux_flags[@]}"; then
    awk '/^# Kustomization:/ { if (name != "") printf "   %-50s %3d objects\n", name, n; name = $3 " " $4; n = 0 }
         /^kind:/ { n++ }
         END { if (name != "") printf "   %-50s %3d objects\n", name, n }' "$tmp/arc.out"
    note "$tmp/arc.err"
    # the same objects as clusters/production once the owner Kustomizations' names agree
    "$KILN" build samples/clusters/production --flux-objects=false "${flux_flags[@]}" 2> /dev/null |
        "$KILN" hash - 2> /dev/null | grep -v '(set of' | sort > "$tmp/a.hash"
    sed -E 's/(kustomize.toolkit.fluxcd.io\/name: )flux-system-/\1/' "$tmp/arc.out" |
        "$KILN" build - --flux-objects=false 2> /dev/null | "$KILN" hash - 2> /dev/null |
        grep -v '(set of' | sort > "$tmp/b.hash"
    echo "   leaving the Flux objects out and renaming the owners flux-system-<name> to <name>:"
    echo "   $(comm -12 "$tmp/a.hash" "$tmp/b.hash" | wc -l) objects identical to clusters/production; only there:" \
        "$(comm -23 "$tmp/a.hash" "$tmp/b.hash" | awk '{ printf "%s%s %s", sep, $2, $3; sep = ", " }')"
else
    echo "   FAILED (exit $?)"
    sed 's/^/   /' "$tmp/arc.err"
    failed=1
fi

exit $failed
