#!/usr/bin/env python3
"""Compares kiln's render of a Flux cluster with an expected object set, semantically.

usage: fleet_compare.py EXPECTED ACTUAL [HELM_EXPECTED]

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


def main(argv):
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
