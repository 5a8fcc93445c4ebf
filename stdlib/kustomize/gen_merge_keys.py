#!/usr/bin/env python3
"""Derives kiln's strategic-merge-patch table from the Kubernetes OpenAPI v3 schema.

Writes stdlib/kustomize/merge-keys.tsv and compiler/kustomize/smp_table.c (the same rows as a C
array), byte-identically on every run:

    python3 stdlib/kustomize/gen_merge_keys.py [SCHEMA_DIR]

SCHEMA_DIR holds api/v1.json and apis/<group>/<version>.json (default:
../shared/schemas/kubernetes/v1.35 relative to the repository root).

For every kind (x-kubernetes-group-version-kind) the script walks the kind's schema by following
$ref / allOf type references (map values as `*`), and lists each array field that carries an
x-kubernetes-patch-strategy, with its merge keys as kustomize's kyaml reads them: the
x-kubernetes-list-map-keys when present, else x-kubernetes-patch-merge-key, else none (a list of
primitives). The walk descends into the elements of lists whose strategy includes `merge` only:
other lists are replaced whole by a patch, so nothing below them is merged. A kind without any
such list still gets one row with path `-`, meaning "kustomize has a schema for this kind".

kustomize v5.7.1 merges with the schema of Kubernetes v1.21.2 compiled into kyaml, not with a
current one. The KUSTOMIZE_LACKS table below removes what that schema does not have (fields and
kinds added since, checked against `kubectl kustomize`), and KUSTOMIZE_EXTRA_KINDS adds kinds it
still has that Kubernetes 1.35 no longer serves, as copies of their successor's rows.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSV = os.path.join(ROOT, "stdlib", "kustomize", "merge-keys.tsv")
CSRC = os.path.join(ROOT, "compiler", "kustomize", "smp_table.c")

# Fields (by schema type and property) and kinds added to Kubernetes after v1.21.2: kustomize's
# built-in schema does not know them, so their lists are replaced, not merged.
KUSTOMIZE_LACKS_FIELDS = {
    ("io.k8s.api.core.v1.PodSpec", "resourceClaims"),
    ("io.k8s.api.core.v1.PodSpec", "schedulingGates"),
    ("io.k8s.api.core.v1.Container", "resizePolicy"),
    ("io.k8s.api.core.v1.EphemeralContainer", "resizePolicy"),
    ("io.k8s.api.core.v1.ResourceRequirements", "claims"),
}
KUSTOMIZE_LACKS_KINDS = set()

# (apiVersion, kind) kustomize's schema has, with the 1.35 kind whose rows they share.
KUSTOMIZE_EXTRA_KINDS = []


def load(schema_dir):
    defs = {}
    kinds = []
    files = []
    for dirpath, _, names in os.walk(schema_dir):
        for n in names:
            if n.endswith(".json"):
                files.append(os.path.join(dirpath, n))
    for path in sorted(files):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for name, s in doc.get("components", {}).get("schemas", {}).items():
            defs[name] = s
            for gvk in s.get("x-kubernetes-group-version-kind", []):
                g, v, k = gvk.get("group", ""), gvk["version"], gvk["kind"]
                api = g + "/" + v if g else v
                kinds.append((api, k, name))
    return defs, sorted(set(kinds))


def ref_name(s):
    """The type a schema refers to ($ref, or allOf with one $ref), or None."""
    if "$ref" in s:
        return s["$ref"].rsplit("/", 1)[1]
    all_of = s.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]:
        return all_of[0]["$ref"].rsplit("/", 1)[1]
    return None


def merge_keys(prop):
    keys = prop.get("x-kubernetes-list-map-keys")
    if keys:
        return ",".join(keys)
    return prop.get("x-kubernetes-patch-merge-key", "")


def walk_value(defs, s, path, stack, rows):
    """Rows for the value schema s found at path (a list of segments)."""
    name = ref_name(s)
    if name:
        if name in stack:
            return  # recursive type (JSONSchemaProps): nothing merges below
        walk_value(defs, defs[name], path, stack + [name], rows)
        return
    for pname in sorted(s.get("properties", {})):
        prop = s["properties"][pname]
        owner = stack[-1] if stack else ""
        if (owner, pname) in KUSTOMIZE_LACKS_FIELDS:
            continue
        walk_field(defs, prop, path + [pname], stack, rows)
    extra = s.get("additionalProperties")
    if isinstance(extra, dict):
        walk_field(defs, extra, path + ["*"], stack, rows)


def walk_field(defs, prop, path, stack, rows):
    if prop.get("type") == "array":
        strategy = prop.get("x-kubernetes-patch-strategy")
        if not strategy:
            return  # replaced whole by a patch
        rows.append((".".join(path), merge_keys(prop), strategy))
        if "merge" in strategy.split(",") and isinstance(prop.get("items"), dict):
            walk_value(defs, prop["items"], path, stack, rows)
        return
    walk_value(defs, prop, path, stack, rows)


def build(schema_dir):
    defs, kinds = load(schema_dir)
    table = {}
    for api, kind, name in kinds:
        if (api, kind) in KUSTOMIZE_LACKS_KINDS:
            continue
        rows = []
        walk_value(defs, defs[name], [], [name], rows)
        table[(api, kind)] = rows
    for api, kind, like in KUSTOMIZE_EXTRA_KINDS:
        table[(api, kind)] = table[like]
    out = []
    for (api, kind) in sorted(table):
        rows = table[(api, kind)]
        if not rows:
            out.append((api, kind, "-", "", ""))
        for path, keys, strategy in sorted(set(rows)):
            out.append((api, kind, path, keys, strategy))
    return out


TSV_HEAD = """\
# Strategic merge patch lists of the Kubernetes built-in kinds, as kustomize v5.7.1 merges them.
# Generated by stdlib/kustomize/gen_merge_keys.py from the Kubernetes 1.35 OpenAPI schema (less
# what kustomize's built-in v1.21.2 schema lacks); do not edit. Columns, tab-separated:
# apiVersion, kind, path of the list (field names joined by '.', the elements of a list being
# implicit, '*' for any key of a map), merge keys (comma-separated; empty: a list of
# primitives), patch strategy. Path '-': the kind is known but has no such list.
"""


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(rows):
    with open(TSV, "w", encoding="utf-8", newline="\n") as f:
        f.write(TSV_HEAD)
        for r in rows:
            f.write("\t".join(r) + "\n")
    with open(CSRC, "w", encoding="utf-8", newline="\n") as f:
        f.write("/* The strategic merge patch table (stdlib/kustomize/merge-keys.tsv) as C data: apiVersion,\n"
                " * kind, list path, merge keys, strategy per row, sorted by apiVersion, kind and path.\n"
                " * Generated by stdlib/kustomize/gen_merge_keys.py; do not edit. */\n"
                "#include <stddef.h>\n\n"
                "extern const char *const kz_smp_table[][5];\n"
                "extern const size_t kz_smp_table_n;\n\n"
                "const char *const kz_smp_table[][5] = {\n")
        for r in rows:
            f.write("    {" + ", ".join(c_str(x) for x in r) + "},\n")
        f.write("};\n\nconst size_t kz_smp_table_n = sizeof kz_smp_table / sizeof kz_smp_table[0];\n")


def main():
    schema_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "..", "shared", "schemas", "kubernetes", "v1.35")
    write(build(schema_dir))


if __name__ == "__main__":
    main()
