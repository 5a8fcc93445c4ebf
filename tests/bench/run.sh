#!/usr/bin/env bash
# kiln benchmark: wall time and peak RSS of kiln against the reference tools
# (kubectl kustomize, helm template) and a libyaml parse/emit floor.
#
#   bash tests/bench/run.sh ./kiln          (what `make bench` runs)
#
# Inputs come from ../shared/bench (gen_plain.py, gen_kustomize.py,
# gen_helm.py) and are cached in build/bench/ between runs together with the
# reference outputs.  Every figure is printed next to the reference measured
# in the same run, since the machine is noisy: read the ratios, not the
# absolute times.
#
# Environment:
#   BENCH_SIZES="small medium"   sizes to run (default: small medium large)
#   BENCH_LARGE_REF=1            also time `kubectl kustomize` on the large
#                                kustomize tree (one run, ~2 min); otherwise
#                                the BASELINE.md figure is shown, marked
#                                "(baseline)"
#   BENCH_TIMEOUT=300            seconds before one kiln run is given up
#   KILN_REF_DIR=DIR             reference binaries (default ~/.cache/kiln-ref)
#
# Wall: hyperfine median (kiln and floor: 1 warm-up + 5 runs; reference: 3
# runs after the peak-RSS run, which serves as the warm-up).  Peak: one
# GNU `time -v` run.  Commands taking over 10 s per run get 3 runs, no warm-up.
#
# Reference outputs that would take too long to produce directly (the flat
# 20,000-object plain directory: hours; the large kustomize tree: ~2 min) are
# assembled from chunked reference builds merged in kustomize's legacy
# resource order; the merge is checked once against a direct build of the
# medium input.  They are labelled "merged reference" in the output.
#
# Always exits 0 once it has run (figures are informational); exits 1 only
# when kiln or the shared material is missing.
set -u
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
T0=$(date +%s)

if [ $# -lt 1 ]; then
  echo "usage: bash tests/bench/run.sh KILN" >&2
  exit 2
fi
case "$1" in
  */*) KILN="$(cd "$(dirname "$1")" 2>/dev/null && pwd)/$(basename "$1")" ;;
  *) KILN=$(command -v "$1" || echo "$1") ;;
esac
if [ ! -x "$KILN" ]; then
  echo "bench: kiln binary '$1' not found or not executable (run make first)" >&2
  exit 1
fi

if [ ! -d "$ROOT/../shared/bench" ]; then
  echo "bench: ../shared/bench not present, skipped"
  exit 0
fi
BENCH=$(cd "$ROOT/../shared/bench" && pwd)
REFDIR=${KILN_REF_DIR:-$HOME/.cache/kiln-ref}
KUBECTL=$REFDIR/kubectl
HELM=$REFDIR/helm
SIZES=${BENCH_SIZES:-small medium large}
LARGE_REF=${BENCH_LARGE_REF:-0}
KTIMEOUT=${BENCH_TIMEOUT:-300}
W=$ROOT/build/bench
R=$W/results
mkdir -p "$W/ref" "$R"

for t in hyperfine python3 cc; do
  command -v "$t" >/dev/null || { echo "bench: $t is required" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is required" >&2; exit 1; }
HAVE_KUBECTL=0; [ -x "$KUBECTL" ] && HAVE_KUBECTL=1
HAVE_HELM=0; [ -x "$HELM" ] && HAVE_HELM=1
[ $HAVE_KUBECTL = 1 ] || echo "bench: $KUBECTL missing: no kustomize reference (tools/get-reference-tools.sh installs it)"
[ $HAVE_HELM = 1 ] || echo "bench: $HELM missing: no helm reference"
HAVE_TEMPLATE=0
"$KILN" help template >/dev/null 2>&1 && HAVE_TEMPLATE=1

# ------------------------------------------------------------------ helpers

# objects rendered per generator preset (see ../shared/bench/README.md)
objects() {  # kind size
  case "$1-$2" in
    plain-small) echo 200 ;; plain-medium) echo 2000 ;; plain-large) echo 20000 ;;
    kustomize-small) echo 60 ;; kustomize-medium) echo 600 ;; kustomize-large) echo 5004 ;;
    helm-small) echo 20 ;; helm-medium) echo 200 ;; helm-large) echo 2000 ;;
  esac
}

gen_script() {  # kind -> generator path
  case "$1" in
    plain) echo "$BENCH/gen_plain.py" ;; kustomize) echo "$BENCH/gen_kustomize.py" ;;
    helm) echo "$BENCH/gen_helm.py" ;;
  esac
}

# generate DIR with the generator for KIND/SIZE unless the cached copy was
# made by the same generator version with the same arguments.
ensure_input() {  # kind size dir [extra generator args...]
  local kind=$1 size=$2 dir=$3; shift 3
  local g stamp want
  g=$(gen_script "$kind")
  stamp="$W/.stamp-$(basename "$dir")"
  want="$(sha256sum "$g" | cut -c1-16) --size $size $*"
  if [ -d "$dir" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  rm -rf "$dir" "$stamp" "$W/ref/$kind-$size".*
  if ! python3 "$g" --size "$size" "$@" "$dir" 2>/dev/null; then
    echo "bench: generating $dir failed" >&2
    rm -rf "$dir"
    return 1
  fi
  echo "$want" > "$stamp"
}

fmt_s() {  # seconds -> "0.123 s"
  [ -n "$1" ] || { echo "-"; return; }
  awk -v t="$1" 'BEGIN { if (t >= 100) printf "%.1f s", t; else if (t >= 10) printf "%.2f s", t; else printf "%.3f s", t }'
}
fmt_mib() {  # KB -> "12.3 MiB"
  [ -n "$1" ] || { echo "-"; return; }
  awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'
}
ratio() {  # a b -> "a/b x"
  if [ -z "$1" ] || [ -z "$2" ]; then echo "-"; return; fi
  awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) { print "-"; exit } r = a / b;
    if (r >= 100) printf "%.0fx", r; else if (r >= 10) printf "%.1fx", r; else printf "%.2fx", r }'
}
commas() { printf "%s" "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta'; }

# measure NAME RUNS WARMUP CMD...
#   one `/usr/bin/time -v` run (output kept in $R/NAME.out), then RUNS
#   hyperfine runs (RUNS=0: the single timed run gives the wall time).
# sets M_OK M_RC M_WALL M_MIN M_MAX M_PEAK M_RUNS M_NOTE
measure() {
  local name=$1 runs=$2 warm=$3; shift 3
  local tf="$R/$name.time" el
  M_OK=0 M_RC=0 M_WALL="" M_MIN="" M_MAX="" M_PEAK="" M_RUNS=0 M_NOTE=""
  rm -f "$R/$name.json" "$tf"
  /usr/bin/time -v -o "$tf" timeout "$KTIMEOUT" "$@" >"$R/$name.out" 2>"$R/$name.err" </dev/null
  M_RC=$?
  M_PEAK=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tf" 2>/dev/null)
  el=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $NF }' "$tf" 2>/dev/null)
  el=$(awk -v e="$el" 'BEGIN { n = split(e, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }')
  if [ "$M_RC" -ne 0 ]; then
    [ "$M_RC" -eq 124 ] && M_NOTE="timed out after ${KTIMEOUT}s"
    return 1
  fi
  M_OK=1
  if [ "$runs" -eq 0 ]; then
    M_WALL=$el M_MIN=$el M_MAX=$el M_RUNS=1
    return 0
  fi
  if awk -v e="$el" 'BEGIN { exit !(e > 10) }' && [ "$runs" -gt 3 ]; then
    runs=3 warm=0 M_NOTE="slow: 3 runs"
  fi
  local cmd
  cmd=$(printf '%q ' "$@")
  if hyperfine -N --output=pipe --warmup "$warm" --runs "$runs" --export-json "$R/$name.json" \
       "$cmd" >"$R/$name.hyperfine.log" 2>&1; then
    read -r M_WALL M_MIN M_MAX < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(r["median"], r["min"], r["max"])' "$R/$name.json")
    M_RUNS=$runs
  else
    M_NOTE="hyperfine failed; single timed run"
    M_WALL=$el M_MIN=$el M_MAX=$el M_RUNS=1
  fi
  return 0
}

# merge chunked reference outputs in kustomize's legacy order
# (Gvk by kind priority, then group_version_kind, then namespace, name).
merge_ref() {  # out chunk-outputs...
  python3 - "$@" <<'PY'
import sys, yaml
FIRST = ["Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
         "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding",
         "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service", "LimitRange",
         "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment",
         "StatefulSet", "CronJob", "PodDisruptionBudget"]
LAST = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]
ORDER = {k: i - len(FIRST) for i, k in enumerate(FIRST)}
ORDER.update({k: 1 + i for i, k in enumerate(LAST)})
L = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
docs = []
for fn in sys.argv[2:]:
    text = open(fn, encoding="utf-8").read()
    if not text.strip():
        continue
    parts = text.split("\n---\n")
    for i, p in enumerate(parts):
        d = p if i == len(parts) - 1 else p + "\n"
        y = yaml.load(d, Loader=L) or {}
        av = str(y.get("apiVersion", ""))
        g, v = av.split("/", 1) if "/" in av else ("", av)
        k = str(y.get("kind", ""))
        md = y.get("metadata") or {}
        docs.append(((ORDER.get(k, 0), "%s_%s_%s" % (g or "~G", v or "~V", k or "~K"),
                      str(md.get("namespace") or ""), str(md.get("name") or "")), d))
docs.sort(key=lambda t: t[0])
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("---\n".join(d for _, d in docs))
PY
}

# build chunk kustomizations for KIND/SIZE under build/bench/chunks-KIND-SIZE,
# run the reference on them (2 at a time) and merge into OUT.
chunked_ref() {  # kind size out
  local kind=$1 size=$2 out=$3 cd="$W/chunks-$1-$2" in="$W/$1-$2" n=0 d
  rm -rf "$cd"; mkdir -p "$cd"
  if [ "$kind" = plain ]; then
    local files=("$in"/*.yaml) s
    for ((s = 0; s < ${#files[@]}; s += 5)); do
      d=$(printf '%s/c%04d' "$cd" $n); mkdir -p "$d"
      cp "${files[@]:s:5}" "$d/"
      { echo "resources:"; (cd "$d" && ls *.yaml | grep -vx kustomization.yaml | sed 's/^/- /'); } > "$d/kustomization.yaml.tmp"
      mv "$d/kustomization.yaml.tmp" "$d/kustomization.yaml"
      n=$((n + 1))
    done
  else
    local apps=("$in"/apps/*) s a
    for ((s = 0; s < ${#apps[@]}; s += 100)); do
      d=$(printf '%s/c%04d' "$cd" $n); mkdir -p "$d"
      { sed '/^resources:/q' "$in/kustomization.yaml"
        for a in "${apps[@]:s:100}"; do echo "  - ../../$kind-$size/apps/${a##*/}/overlays/prod"; done
      } > "$d/kustomization.yaml"
      n=$((n + 1))
    done
  fi
  if ! ls -d "$cd"/c* | xargs -P 2 -I{} sh -c '"$1" kustomize "$2" > "$2.out" 2> "$2.err"' _ "$KUBECTL" {}; then
    echo "bench: chunked reference build for $kind-$size failed: $(cat "$cd"/*.err | head -3)" >&2
    return 1
  fi
  merge_ref "$out.tmp" "$cd"/c*.out && mv "$out.tmp" "$out"
  local rc=$?
  rm -rf "$cd"
  return $rc
}

# check once that chunking + merging reproduces a direct reference build
merge_selfcheck() {  # kind (needs the medium direct reference output)
  local kind=$1 direct="$W/ref/$1-medium.yaml" stamp="$W/.mergecheck-$1" tmp="$W/ref/$1-medium.merged"
  [ -f "$stamp" ] && [ "$stamp" -nt "$direct" ] && { MERGE_CHECK=$(cat "$stamp"); return; }
  if [ ! -s "$direct" ] || [ "$(cat "$W/ref/$1-medium.how" 2>/dev/null)" != direct ]; then
    # medium not benchmarked in this run: make its direct reference output now
    local src="$W/$kind-medium"
    if [ "$kind" = plain ]; then
      ensure_input plain medium "$W/plain-medium" && ensure_input plain medium "$W/plainref-medium" --with-kustomization
      src="$W/plainref-medium"
    else
      ensure_input "$kind" medium "$src"
    fi
    if [ $? -ne 0 ] || ! "$KUBECTL" kustomize "$src" > "$direct.tmp" 2>/dev/null; then
      rm -f "$direct.tmp"; MERGE_CHECK="unchecked"; return
    fi
    mv "$direct.tmp" "$direct" && echo direct > "$W/ref/$1-medium.how"
  fi
  if chunked_ref "$kind" medium "$tmp" && cmp -s "$tmp" "$direct"; then
    MERGE_CHECK="ok"
  else
    MERGE_CHECK="FAILED (merged medium differs from the direct build)"
  fi
  rm -f "$tmp"
  echo "$MERGE_CHECK" > "$stamp"
}

# ------------------------------------------------------------------ setup

FLOOR=$W/yaml_roundtrip
if [ ! -x "$FLOOR" ] || [ "$BENCH/yaml_roundtrip.c" -nt "$FLOOR" ]; then
  cc -O2 -o "$FLOOR" "$BENCH/yaml_roundtrip.c" -lyaml || { echo "bench: cannot build the libyaml floor" >&2; exit 1; }
fi

echo "kiln bench: $KILN"
echo "  reference: $("$KUBECTL" version --client 2>/dev/null | tr '\n' ' ' | sed 's/ *$//') ; helm $("$HELM" version --short 2>/dev/null)"
echo "  floor: libyaml parse/emit ($FLOOR); sizes: $SIZES; machine: $(nproc) cores"
echo "  times are hyperfine medians (min-max); peak = max RSS of one GNU time -v run"

declare -A WALL REFWALL
SUMMARY=()
FAILS=()

# ------------------------------------------------------------------ one input

run_input() {  # kind size
  local kind=$1 size=$2 key="$1-$2" in="$W/$1-$2" nobj refname ref_out="$W/ref/$1-$2.yaml" how
  nobj=$(objects "$kind" "$size")
  if [ "$kind" = helm ] && [ $HAVE_TEMPLATE = 0 ]; then
    echo; echo "== helm $size: skipped (kiln help template failed: kiln template not built yet)"
    SUMMARY+=("$(printf '%-17s %s' "$key" "skipped (no kiln template)")")
    return
  fi
  ensure_input "$kind" "$size" "$in" || { SUMMARY+=("$(printf '%-17s %s' "$key" "input generation failed")"); return; }
  local kcmd rcmd have_ref=1 ref_runs=3 ref_mode=measure
  case $kind in
    plain)
      kcmd=("$KILN" build "$in")
      refname="kubectl kustomize"
      [ $HAVE_KUBECTL = 1 ] || have_ref=0
      if [ "$size" = large ]; then
        ref_mode=none
      else
        ensure_input plain "$size" "$W/plainref-$size" --with-kustomization || have_ref=0
        rcmd=("$KUBECTL" kustomize "$W/plainref-$size")
      fi ;;
    kustomize)
      kcmd=("$KILN" build "$in")
      refname="kubectl kustomize"
      rcmd=("$KUBECTL" kustomize "$in")
      [ $HAVE_KUBECTL = 1 ] || have_ref=0
      if [ "$size" = large ]; then
        if [ "$LARGE_REF" = 1 ]; then ref_runs=0; else ref_mode=baseline; fi
      fi ;;
    helm)
      kcmd=("$KILN" template bench "$in" -n bench)
      refname="helm template"
      rcmd=("$HELM" template bench "$in" -n bench)
      [ $HAVE_HELM = 1 ] || have_ref=0 ;;
  esac

  local nfiles inbytes
  nfiles=$(find "$in" -type f | wc -l)
  inbytes=$(find "$in" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  echo
  echo "== $kind $size: $(commas "$nobj") objects; input $(commas "$nfiles") files, $(commas "$inbytes") bytes"

  # --- reference
  local r_wall="" r_min="" r_max="" r_peak="" r_note="" r_runs=0 r_base=0
  if [ $have_ref = 0 ]; then
    r_note="reference tool unavailable"
  elif [ $ref_mode = measure ]; then
    if measure "ref-$key" "$ref_runs" 0 "${rcmd[@]}"; then
      r_wall=$M_WALL r_min=$M_MIN r_max=$M_MAX r_peak=$M_PEAK r_runs=$M_RUNS r_note=$M_NOTE
      if [ ! -s "$ref_out" ] || [ "$(cat "$W/ref/$key.how" 2>/dev/null)" != direct ]; then
        if [ -f "$ref_out" ] && [ "$(cat "$W/ref/$key.how" 2>/dev/null)" = merged ]; then
          if cmp -s "$R/ref-$key.out" "$ref_out"; then echo "  merged reference matches the direct build"
          else echo "  WARNING: merged reference differed from the direct build (replaced)"; fi
        fi
        cp "$R/ref-$key.out" "$ref_out" && echo direct > "$W/ref/$key.how"
      fi
    else
      r_note="reference FAILED (exit $M_RC${M_NOTE:+, $M_NOTE}): $(tail -n 2 "$R/ref-$key.err" | tr '\n' ' ')"
    fi
  elif [ $ref_mode = baseline ]; then
    local row
    row=$(grep -m1 '^| large (3 runs' "$BENCH/BASELINE.md" 2>/dev/null)
    r_wall=$(printf '%s' "$row" | awk -F'|' '{ gsub(/[*]/, "", $7); split($7, a, " "); print a[1] }')
    r_peak=$(printf '%s' "$row" | awk -F'|' '{ split($9, a, " "); printf "%d", a[1] * 1024 }')
    [ -n "$r_wall" ] || r_wall=115.3
    [ -n "$r_peak" ] && [ "$r_peak" != 0 ] || r_peak=$((2946 * 1024 / 10))
    r_base=1 r_note="BASELINE.md figure; BENCH_LARGE_REF=1 measures it (~2 min)"
  else
    r_note="not run: one flat build of $(commas "$nobj") objects takes hours (BASELINE flat 5,000: 93.4 s)"
  fi
  # reference output for the comparison (merged from chunks when not run directly)
  if [ $have_ref = 1 ] && [ ! -s "$ref_out" ] && [ "$kind" != helm ] && [ "$size" = large ]; then
    echo "  (assembling the reference output from chunked kubectl builds; cached)"
    if chunked_ref "$kind" "$size" "$ref_out"; then echo merged > "$W/ref/$key.how"; fi
  fi
  how=$(cat "$W/ref/$key.how" 2>/dev/null)
  if [ "$how" = merged ]; then
    MERGE_CHECK=""
    merge_selfcheck "$kind"
  fi

  # --- kiln
  local k_ok=0 k_wall="" k_min="" k_max="" k_peak="" k_runs=0 k_note=""
  if measure "kiln-$key" 5 1 "${kcmd[@]}"; then
    k_ok=1 k_wall=$M_WALL k_min=$M_MIN k_max=$M_MAX k_peak=$M_PEAK k_runs=$M_RUNS k_note=$M_NOTE
    WALL[$key]=$k_wall
  else
    k_note="FAILED (exit $M_RC${M_NOTE:+, $M_NOTE})"
    FAILS+=("$key")
  fi

  # --- floor
  local fcmd f_wall="" f_min="" f_max="" f_peak="" f_runs=0 f_note=""
  if [ "$kind" = plain ]; then
    fcmd=("$FLOOR" "$in"/*.yaml)
  elif [ -s "$ref_out" ]; then
    fcmd=("$FLOOR" "$ref_out")
  else
    fcmd=()
  fi
  if [ ${#fcmd[@]} -gt 0 ]; then
    if measure "floor-$key" 5 1 "${fcmd[@]}"; then
      f_wall=$M_WALL f_min=$M_MIN f_max=$M_MAX f_peak=$M_PEAK f_runs=$M_RUNS
    else
      f_note="floor FAILED (exit $M_RC)"
    fi
  else
    f_note="no reference output to round-trip"
  fi

  # --- table
  local b=""; [ $r_base = 1 ] && b=" (baseline)"
  row() {  # label wall min max peak runs note
    local range=""
    [ -n "$3" ] && [ "$6" != 1 ] && range="($(awk -v a="$3" -v b="$4" 'BEGIN { printf "%.3f-%.3f", a, b }'))"
    printf '  %-20s %12s %-15s %12s %5s  %s\n' "$1" "$(fmt_s "$2")" "$range" "$(fmt_mib "$5")" "${6:-}" "$7"
  }
  printf '  %-20s %12s %-15s %12s %5s\n' "" "wall" "(min-max)" "peak RSS" "runs"
  if [ $k_ok = 1 ]; then
    row "kiln" "$k_wall" "$k_min" "$k_max" "$k_peak" "$k_runs" "$k_note"
  else
    printf '  %-20s %s\n' "kiln" "$k_note"
    sed 's/^/      | /' "$R/kiln-$key.err" | head -n 8
    local nl; nl=$(wc -l < "$R/kiln-$key.err")
    [ "$nl" -le 8 ] || echo "      | ... ($((nl - 8)) more lines in build/bench/results/kiln-$key.err)"
  fi
  if [ -n "$r_wall" ]; then
    if [ $r_base = 1 ]; then
      printf '  %-20s %12s %-15s %12s %5s  %s\n' "$refname" "$(fmt_s "$r_wall")" "(baseline)" "$(fmt_mib "$r_peak")" "3" "$r_note"
    else
      row "$refname" "$r_wall" "$r_min" "$r_max" "$r_peak" "$r_runs" "$r_note"
    fi
    REFWALL[$key]=$r_wall
  else
    printf '  %-20s %s\n' "$refname" "$r_note"
  fi
  if [ -n "$f_wall" ]; then
    row "floor (libyaml)" "$f_wall" "$f_min" "$f_max" "$f_peak" "$f_runs" ""
  else
    printf '  %-20s %s\n' "floor (libyaml)" "$f_note"
  fi
  local sp="-" spm="-" kf="-" kfm="-" sptxt
  if [ $k_ok = 1 ]; then
    if [ -n "$r_wall" ]; then sp=$(ratio "$r_wall" "$k_wall"); spm=$(ratio "$r_peak" "$k_peak"); fi
    if [ -n "$f_wall" ]; then kf=$(ratio "$k_wall" "$f_wall"); kfm=$(ratio "$k_peak" "$f_peak"); fi
    if [ -n "$r_wall" ]; then sptxt="$sp wall, $spm memory$b"; else sptxt="n/a (no reference figure)"; fi
    echo "  speed-up reference/kiln: $sptxt    kiln/floor: $kf wall, $kfm memory"
  fi
  # --- output check
  local outcheck="-" reflabel="reference"
  [ "$how" = merged ] && reflabel="merged reference${MERGE_CHECK:+, merge check $MERGE_CHECK}"
  if [ $k_ok = 1 ]; then
    if [ -s "$ref_out" ]; then
      if cmp -s "$R/kiln-$key.out" "$ref_out"; then
        outcheck="identical"
        echo "  output: identical ($(commas "$(wc -c < "$ref_out")") bytes; $reflabel)"
      else
        outcheck="DIFFERS"
        echo "  output: DIFFERS ($(commas "$(wc -c < "$R/kiln-$key.out")") bytes vs $(commas "$(wc -c < "$ref_out")"); $reflabel)"
        echo "    first difference: $(cmp "$R/kiln-$key.out" "$ref_out" 2>&1 | head -n1)"
        echo "    diff: diff $R/kiln-$key.out $ref_out"
      fi
    else
      outcheck="no-ref"
      echo "  output: not checked (no reference output)"
    fi
  fi
  local kw="FAILED"; [ $k_ok = 1 ] && kw=$(fmt_s "$k_wall")
  SUMMARY+=("$(printf '%-17s %10s %11s %10s %11s %10s %10s  %s' "$key" "$kw" \
    "$(fmt_s "$r_wall")${b:+*}" "$sp" "$kf" "$(fmt_mib "$k_peak")" "$(fmt_mib "$r_peak")" "$outcheck")")
}

for kind in plain kustomize helm; do
  for size in $SIZES; do
    case $size in small|medium|large) ;; *) echo "bench: unknown size '$size' skipped"; continue ;; esac
    run_input "$kind" "$size"
  done
done

# ------------------------------------------------------------------ linearity

echo
echo "== scaling, large vs medium (1.00 = linear; exponent k in time ~ n^k)"
case " $SIZES " in *" medium "*) case " $SIZES " in *" large "*) ;; *) echo "  (needs medium and large in BENCH_SIZES)" ;; esac ;;
  *) echo "  (needs medium and large in BENCH_SIZES)" ;; esac
for kind in plain kustomize helm; do
  m=$(objects "$kind" medium) l=$(objects "$kind" large)
  for who in kiln reference; do
    if [ $who = kiln ]; then tm=${WALL[$kind-medium]:-} tl=${WALL[$kind-large]:-}
    else tm=${REFWALL[$kind-medium]:-} tl=${REFWALL[$kind-large]:-}; fi
    [ -n "$tm" ] && [ -n "$tl" ] || continue
    mark=""; [ $who = reference ] && [ "$kind" = kustomize ] && [ "$LARGE_REF" != 1 ] && mark=" (large = baseline)"
    awk -v k="$kind" -v w="$who" -v tm="$tm" -v tl="$tl" -v m="$m" -v l="$l" -v mark="$mark" 'BEGIN {
      t = tl / tm; n = l / m;
      printf "  %-10s %-9s time x%.2f for objects x%.2f: %.2f of linear, exponent %.2f%s\n",
        k, w, t, n, t / n, log(t) / log(n), mark }'
  done
done

# ------------------------------------------------------------------ summary

echo
echo "== summary (ref/kiln = speed-up; * = BASELINE.md figure)"
printf '%-17s %10s %11s %10s %11s %10s %10s  %s\n' "input" "kiln" "reference" "ref/kiln" "kiln/floor" "kiln peak" "ref peak" "output"
for l in "${SUMMARY[@]}"; do echo "$l"; done
if [ ${#FAILS[@]} -gt 0 ]; then
  echo "kiln failed on: ${FAILS[*]}  (stderr in build/bench/results/kiln-<input>.err)"
fi
echo "bench: done in $(( $(date +%s) - T0 )) s; raw results in build/bench/results/"
exit 0
