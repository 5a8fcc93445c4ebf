#!/usr/bin/env python3
"""Compares kiln's render of a Flux cluster with an expected object set, semantically.

usage: fleet_compare.py EXPECTED ACTUAL [HELM_EXPECTED [STDERR]]
       fleet_compare.py --clusters FLEET_JSON
       fleet_compare.py --chart-args CHARTS_JSON

The second form lists what to render: one line per expected output, "NAME<TAB>PATH<TAB>ARGS";
an output reached through spec.kubeConfig (spoke-NS) gets --kubeconfig-secret NS/SECRET, the
Secret its Kustomizations name in namespace NS.

The third form prints the kiln arguments that stand in for the chart sources of charts.json:
one --chart-source URL[/CHART]=DIR per entry (DIR relative to that file), and
--missing-charts=warn for the charts it lists as notAvailable.

Objects are keyed by apiVersion/kind/namespace/name; order does not matter, values compare
after YAML decoding. Prints one line per difference (missing, extra, or the first differing
field of an object) and a summary line; exit 0 when equal, 1 otherwise. Objects listed in
HELM_EXPECTED (what the HelmReleases install) are required too: a namespaced one written without
a namespace is expected in its release's namespace (fleet.json next to expected/ says which),
as Helm installs it. With STDERR (kiln's diagnostics), the HelmReleases kiln skipped
("--missing-charts=warn") must be exactly those fleet.json records as skipped for this cluster.
"""
import sys

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path):
    with open(path, "rb") as fh:
        docs = [d for d in yaml.load_all(fh.read(), Loader=Loader) if d is not None]
    out = {}
    for d in docs:
        md = d.get("metadata") or {}
        key = "%s/%s/%s/%s" % (d.get("apiVersion"), d.get("kind"), md.get("namespace", ""), md.get("name"))
        out[key] = d
    return out


def first_diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                return "%s.%s: unexpected %r" % (path, k, b[k])
            if k not in b:
                return "%s.%s: missing (want %r)" % (path, k, a[k])
            d = first_diff(a[k], b[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return "%s: %d items, want %d" % (path, len(b), len(a))
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_diff(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if a != b:
        return "%s: %r, want %r" % (path, b, a)
    return None


def clusters(fleet_json):
    import json
    import os

    fleet = json.load(open(fleet_json))
    repo = os.path.dirname(fleet_json)
    secrets = {}
    for dirpath, _, files in os.walk(repo):
        for f in files:
            if not f.endswith((".yaml", ".yml")):
                continue
            try:
                docs = list(yaml.load_all(open(os.path.join(dirpath, f), "rb"), Loader=Loader))
            except yaml.YAMLError:
                continue
            for d in docs:
                if not isinstance(d, dict) or d.get("kind") != "Kustomization":
                    continue
                ref = ((d.get("spec") or {}).get("kubeConfig") or {}).get("secretRef") or {}
                ns = (d.get("metadata") or {}).get("namespace")
                if ref.get("name") and ns:
                    secrets[ns] = ref["name"]
    for name, c in fleet.get("clusters", {}).items():
        for out in c.get("outputs", {name: None}):
            extra = ""
            if out != name and out.startswith("spoke-") and out[6:] in secrets:
                extra = "--kubeconfig-secret %s/%s" % (out[6:], secrets[out[6:]])
            print("%s\t%s\t%s" % (out, c["bootstrapPath"], extra))
    return 0


def chart_args(charts_json):
    import json
    import os

    charts = json.load(open(charts_json))
    base = os.path.dirname(os.path.abspath(charts_json))
    args = []
    for e in charts.get("sources", []):
        key = e["url"].rstrip("/") + ("/" + e["chart"] if e.get("chart") else "")
        args.append("--chart-source=%s=%s" % (key, os.path.join(base, e["dir"])))
    if charts.get("notAvailable"):
        args.append("--missing-charts=warn")
    print(" ".join(args))
    return 0


CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                  "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
                  "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService",
                  "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "RuntimeClass",
                  "CSIDriver", "GatewayClass", "ClusterIssuer"}


def helm_expected(path, want_path):
    """The objects of a .helm.yaml file, keyed as installed (release namespace filled in)."""
    import json
    import os

    fj = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(want_path))), "fleet.json")
    release_ns = {}
    if os.path.exists(fj):
        for c in json.load(open(fj)).get("clusters", {}).values():
            for r in c.get("helmReleases", []):
                release_ns[r["helmRelease"]] = r.get("namespace")
    out = {}
    for k, d in load(path).items():
        md = d.setdefault("metadata", {})
        if not md.get("namespace") and d.get("kind") not in CLUSTER_SCOPED:
            labels = md.get("labels") or {}
            hr = "%s/%s" % (labels.get("helm.toolkit.fluxcd.io/namespace"),
                            labels.get("helm.toolkit.fluxcd.io/name"))
            if release_ns.get(hr):
                md["namespace"] = release_ns[hr]
                k = "%s/%s/%s/%s" % (d.get("apiVersion"), d.get("kind"), md["namespace"], md.get("name"))
        out[k] = d
    return out


def skipped_check(want_path, stderr_path):
    """(kiln's skipped releases, the fleet's, differences) for this cluster's output."""
    import json
    import os
    import re

    fj = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(want_path))), "fleet.json")
    cluster = os.path.basename(want_path)[:-len(".yaml")]
    want = set()
    if os.path.exists(fj):
        for c in json.load(open(fj)).get("clusters", {}).values():
            for r in c.get("helmReleases", []):
                if r.get("skipped") and r.get("installedInto") == cluster:
                    want.add(r["helmRelease"])
    got = set(re.findall(r"warning: HelmRelease (\S+): .*skipped \(--missing-charts=warn\)",
                         open(stderr_path, errors="replace").read()))
    diffs = ["  skipped by kiln, rendered by the fleet: " + h for h in sorted(got - want)]
    diffs += ["  not skipped by kiln, not available to the fleet: " + h for h in sorted(want - got)]
    return got, want, diffs


def main(argv):
    if len(argv) == 3 and argv[1] == "--clusters":
        return clusters(argv[2])
    if len(argv) == 3 and argv[1] == "--chart-args":
        return chart_args(argv[2])
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    want, got = load(argv[1]), load(argv[2])
    helm = helm_expected(argv[3], argv[1]) if len(argv) > 3 else {}
    for k, d in helm.items():
        want.setdefault(k, d)
    diffs = 0
    for k in sorted(set(want) | set(got)):
        if k not in got:
            print("  missing: " + k)
            diffs += 1
        elif k not in want:
            print("  extra:   " + k)
            diffs += 1
        else:
            d = first_diff(want[k], got[k])
            if d:
                print("  differs: %s %s" % (k, d))
                diffs += 1
    missing_helm = [k for k in helm if k not in got]
    skipped = ""
    if len(argv) > 4:
        got_s, want_s, sd = skipped_check(argv[1], argv[4])
        for line in sd:
            print(line)
        diffs += len(sd)
        skipped = "; %d HelmReleases skipped (chart not available), %d expected" % (len(got_s), len(want_s))
    print("objects: %d expected (%d from HelmReleases), %d rendered, %d differences; "
          "helm objects: %d expected, %d missing%s"
          % (len(want), len(helm), len(got), diffs, len(helm), len(missing_helm), skipped))
    return 0 if diffs == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
