#!/usr/bin/env python3
"""Compares kiln's render of a Flux cluster with an expected object set, semantically.

usage: fleet_compare.py EXPECTED ACTUAL [HELM_EXPECTED]
       fleet_compare.py --clusters FLEET_JSON

The second form lists what to render: one line per expected output, "NAME<TAB>PATH<TAB>ARGS";
an output reached through spec.kubeConfig (spoke-NS) gets --kubeconfig-secret NS/SECRET, the
Secret its Kustomizations name in namespace NS.

Objects are keyed by apiVersion/kind/namespace/name; order does not matter, values compare
after YAML decoding. Prints one line per difference (missing, extra, or the first differing
field of an object) and a summary line; exit 0 when equal, 1 otherwise. Objects listed in
HELM_EXPECTED (what the HelmReleases install) are counted apart as "helm" differences.
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


def main(argv):
    if len(argv) == 3 and argv[1] == "--clusters":
        return clusters(argv[2])
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    want, got = load(argv[1]), load(argv[2])
    helm = load(argv[3]) if len(argv) > 3 else {}
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
    print("objects: %d expected, %d rendered, %d differences; helm objects: %d expected, %d missing"
          % (len(want), len(got), diffs, len(helm), len(missing_helm)))
    return 0 if diffs == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
