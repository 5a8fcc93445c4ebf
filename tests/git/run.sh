#!/usr/bin/env bash
# Revision tests for kiln: builds a git repository with three commits (git CLI), then checks
#  - `kiln build --rev REV` prints byte for byte what `kiln build` prints on a checkout of REV,
#  - `kiln diff --base HEAD~1` reports exactly the change of the last commit (text and JSON),
#  - the working tree is the default head and a revision that does not exist is an error.
#
#   KILN=/path/to/kiln bash tests/git/run.sh
set -u
KILN=${KILN:?usage: KILN=/path/to/kiln bash tests/git/run.sh}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kiln-git.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C GIT_CONFIG_NOSYSTEM=1 HOME=$tmp
check_prefix=git
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

repo=$tmp/repo
mkdir -p "$repo/apps/web" "$repo/apps/base"
cd "$repo" || exit 2
git init -q . && git config user.email kiln@test && git config user.name kiln
cat > apps/base/kustomization.yaml <<'Y'
resources: [deploy.yaml]
Y
cat > apps/base/deploy.yaml <<'Y'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web}]}
Y
cat > apps/web/kustomization.yaml <<'Y'
namespace: shop
resources: [../base, old.yaml]
images: [{name: web, newTag: "1.0"}]
Y
cat > apps/web/old.yaml <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: old}
data: {a: "1"}
Y
git add -A && git commit -qm "one"
sed -i 's/newTag: "1.0"/newTag: "1.1"/' apps/web/kustomization.yaml
git commit -qam "two: new tag"
# commit three: the tag moves again, replicas change in the base, old.yaml goes, new.yaml comes
sed -i 's/newTag: "1.1"/newTag: "1.2"/; s/old.yaml/new.yaml/' apps/web/kustomization.yaml
sed -i 's/replicas: 1/replicas: 3/' apps/base/deploy.yaml
git rm -q apps/web/old.yaml
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n' > apps/web/new.yaml
git add -A && git commit -qm "three"

# --rev against checkouts of the same commits
for rev in HEAD~2 HEAD~1 HEAD; do
    git worktree add -q "$tmp/co-${rev/\~/-}" "$rev" 2>/dev/null
    (cd "$tmp/co-${rev/\~/-}" && "$KILN" build apps/web > "$tmp/checkout.out")
    "$KILN" build apps/web --rev "$rev" > "$tmp/rev.out"
    check "rev-$rev-matches-checkout" cmp -s "$tmp/checkout.out" "$tmp/rev.out"
done

# hash --rev: the set hash of a revision equals the hash of its checkout's render
"$KILN" hash apps/web --rev HEAD~1 | tail -n 1 > "$tmp/h1"
(cd "$tmp/co-HEAD-1" && "$KILN" hash apps/web | tail -n 1) > "$tmp/h2"
check "hash-rev-matches-checkout" cmp -s "$tmp/h1" "$tmp/h2"
"$KILN" hash apps/web --rev HEAD~2 | tail -n 1 > "$tmp/h3"
check "hash-rev-differs-between-revisions" test "$(cat "$tmp/h1")" != "$(cat "$tmp/h3")"

# the working tree is dirty: --rev must not see it
echo "# uncommitted" >> apps/base/deploy.yaml
sed -i 's/replicas: 3/replicas: 9/' apps/base/deploy.yaml
"$KILN" build apps/web --rev HEAD > "$tmp/rev.out"
check "rev-ignores-working-tree" grep -q "replicas: 3" "$tmp/rev.out"
git checkout -q -- apps/base/deploy.yaml

cat > "$tmp/want.txt" <<'Y'
1 to create, 1 to update, 1 to prune, 0 unchanged
+ create v1/Service/shop/web
    + apiVersion: v1
    + kind: Service
    + metadata:
    +   name: web
    +   namespace: shop
    + spec:
    +   ports:
    +   - port: 80
~ update apps/v1/Deployment/shop/web
    ~ spec.replicas: 1 -> 3
    ~ spec.template.spec.containers[name=web].image: web:1.1 -> web:1.2
    @@ -4,7 +4,7 @@
        name: web
        namespace: shop
      spec:
    -   replicas: 1
    +   replicas: 3
        selector:
          matchLabels:
            app: web
    @@ -14,5 +14,5 @@
              app: web
          spec:
            containers:
    -       - image: web:1.1
    +       - image: web:1.2
              name: web
- prune v1/ConfigMap/shop/old
Y
"$KILN" diff apps/web --base HEAD~1 --color never > "$tmp/diff.out"
check "base-exit-1-on-changes" test $? -eq 1
check "base-reports-last-commit" cmp -s "$tmp/want.txt" "$tmp/diff.out" || diff "$tmp/want.txt" "$tmp/diff.out"
"$KILN" diff apps/web --base HEAD~1 --head HEAD --format json > "$tmp/diff.json"
check "base-json" grep -q '"summary": {"create": 1, "update": 1, "prune": 1, "unchanged": 0}' "$tmp/diff.json"
"$KILN" diff apps/web --base HEAD~2 --head HEAD~1 --color never > "$tmp/diff.out"
check "base-head-pair" grep -qx "    ~ spec.template.spec.containers\[name=web\].image: web:1.0 -> web:1.1" "$tmp/diff.out"
"$KILN" diff apps/web --base HEAD --color never > "$tmp/diff.out"
check "clean-tree-no-changes" test $? -eq 0
"$KILN" diff apps/web --base no-such-rev > "$tmp/diff.out" 2> "$tmp/diff.err"
check "unknown-revision-exit-2" test $? -eq 2
check "unknown-revision-message" grep -q "unknown revision 'no-such-rev'" "$tmp/diff.err"
check "unknown-revision-no-stdout" test ! -s "$tmp/diff.out"

# a directory that only the working tree has: the base renders as nothing, all is created
mkdir -p apps/extra
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: shop}\n' > apps/extra/cm.yaml
"$KILN" diff apps/extra --base HEAD --color never > "$tmp/diff.out"
check "path-new-since-base-exit-1" test $? -eq 1
check "path-new-since-base-creates" grep -qx "1 to create, 0 to update, 0 to prune, 0 unchanged" "$tmp/diff.out"
"$KILN" build apps/extra --rev HEAD > "$tmp/diff.out" 2> "$tmp/diff.err"
check "build-rev-missing-path-is-error" test $? -eq 2

# kiln affected: shared base, a component, two overlays, two clusters
aff=$tmp/aff
mkdir -p "$aff"/{base,components/monitoring,overlays/prod,overlays/dev,clusters/a,clusters/b,unrelated}
cd "$aff" || exit 2
git init -q . && git config user.email kiln@test && git config user.name kiln
printf 'build/\n' > .gitignore
mkdir -p build/junk && printf 'resources: [../../base]\n' > build/junk/kustomization.yaml
printf 'resources: [deploy.yaml]\n' > base/kustomization.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n' > base/deploy.yaml
printf 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches: [{path: patch.yaml}]\n' > components/monitoring/kustomization.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {m: "1"}\n' > components/monitoring/patch.yaml
printf 'resources: [../../base]\ncomponents: [../../components/monitoring]\nconfigMapGenerator: [{name: env, envs: [prod.env]}]\n' > overlays/prod/kustomization.yaml
printf 'A=1\n' > overlays/prod/prod.env
printf 'resources: [../../base]\n' > overlays/dev/kustomization.yaml
printf 'resources: [../../overlays/prod]\n' > clusters/a/kustomization.yaml
printf 'resources: [../../overlays/dev]\n' > clusters/b/kustomization.yaml
printf 'resources: [cm.yaml]\n' > unrelated/kustomization.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u}\n' > unrelated/cm.yaml
git add -A && git commit -qm base
affected_is() { # name, expected lines (space-separated), kiln affected args...
    local name=$1 want=$2
    shift 2
    local got
    got=$("$KILN" affected "$@" | tr '\n' ' ')
    check "affected-$name" test "$got" = "$want"
    [ "$got" = "$want" ] || echo "    got '$got', want '$want'"
}
affected_is base-file "base clusters/a clusters/b overlays/dev overlays/prod " base/deploy.yaml
affected_is component "clusters/a components/monitoring overlays/prod " components/monitoring/patch.yaml
affected_is generator-env "clusters/a overlays/prod " overlays/prod/prod.env
affected_is leaf "clusters/b " clusters/b/kustomization.yaml
affected_is unrelated-file "" README.md
echo 'B=2' >> overlays/prod/prod.env
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: u2}\n' > unrelated/cm.yaml
git add unrelated/cm.yaml
affected_is staged "unrelated " --staged
affected_is since-base "clusters/a overlays/prod unrelated " --base HEAD
"$KILN" diff --affected --base HEAD --color never > "$tmp/diff.out"
check "diff-affected-exit-1" test $? -eq 1
# top roots only: clusters/a (the new env hash: a ConfigMap created, the old one pruned, b
# unchanged) and unrelated (ConfigMap u renamed to u2); overlays/prod is inside clusters/a, so
# it is not diffed again
check "diff-affected-summary" grep -qx "2 to create, 0 to update, 2 to prune, 1 unchanged" "$tmp/diff.out"
check "prune-id-takes-default-namespace" grep -qx -- "- prune v1/ConfigMap/default/u" "$tmp/diff.out"
# outside git: only the working directory is walked (not the whole disk), quickly
mkdir -p "$tmp/nogit/app"
printf 'resources: [cm.yaml]\n' > "$tmp/nogit/app/kustomization.yaml"
(cd "$tmp/nogit" && GIT_CEILING_DIRECTORIES=$tmp timeout 5 "$KILN" affected app/cm.yaml > "$tmp/aff.out")
check "affected-outside-git" grep -qx "app" "$tmp/aff.out"
(cd overlays && "$KILN" affected ../base/deploy.yaml > "$tmp/aff.out")
check "affected-relative-to-cwd" grep -qx "prod" "$tmp/aff.out"


# Flux: a GitRepository whose URL is one of the repository's remotes is the repository itself
# (scheme, user, case of the host and ".git" do not matter); --rev reads it from git objects.
fleet=$tmp/fleet
mkdir -p "$fleet/clusters/prod" "$fleet/apps"
cd "$fleet" || exit 2
git init -q . && git config user.email kiln@test && git config user.name kiln
git remote add origin git@GitHub.com:example/fleet.git
cat > clusters/prod/apps.yaml <<'Y'
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: fleet, namespace: flux-system}
spec: {interval: 1m, url: "https://github.com/example/fleet", ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  sourceRef: {kind: GitRepository, name: fleet}
  path: ./apps
  prune: true
  postBuild: {substitute: {WHERE: prod}}
Y
cat > apps/cm.yaml <<'Y'
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: default}
data: {where: "${WHERE}", version: one}
Y
git add -A && git commit -qm one
sed -i 's/version: one/version: two/' apps/cm.yaml
"$KILN" build clusters/prod > "$tmp/flux.out" 2> "$tmp/flux.err"
check "flux-remote-is-this-repository" grep -q "version: two" "$tmp/flux.out"
check "flux-substituted" grep -q "where: prod" "$tmp/flux.out"
"$KILN" build clusters/prod --rev HEAD > "$tmp/flux-rev.out" 2> "$tmp/flux.err"
check "flux-rev-reads-git-objects" grep -q "version: one" "$tmp/flux-rev.out"
git remote set-url origin https://example.com/other.git
"$KILN" build clusters/prod > /dev/null 2> "$tmp/flux.err"
check "flux-other-remote-exit-2" test $? -eq 2
check "flux-other-remote-names-flag" grep -q -- "--source flux-system/fleet=PATH" "$tmp/flux.err"


# another repository mapped with --source NS/NAME=PATH@REF is read at that revision
team=$tmp/team
mkdir -p "$team/deploy"
(cd "$team" && git init -q . && git config user.email kiln@test && git config user.name kiln &&
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: team, namespace: default}\ndata: {v: old}\n' > deploy/cm.yaml &&
  git add -A && git commit -qm one && sed -i 's/v: old/v: new/' deploy/cm.yaml && git commit -qam two &&
  sed -i 's/v: new/v: dirty/' deploy/cm.yaml)
cat > clusters/prod/team.yaml <<'Y'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: team, namespace: flux-system}
spec: {interval: 10m, sourceRef: {kind: GitRepository, name: team}, path: ./deploy, prune: true}
Y
git remote set-url origin git@github.com:example/fleet.git
"$KILN" build clusters/prod --source "flux-system/team=$team@HEAD~1" > "$tmp/team.out" 2> "$tmp/team.err"
check "flux-source-at-ref" grep -q "v: old" "$tmp/team.out"
"$KILN" build clusters/prod --source "flux-system/team=$team" > "$tmp/team.out" 2> "$tmp/team.err"
check "flux-source-working-tree" grep -q "v: dirty" "$tmp/team.out"

check_summary
