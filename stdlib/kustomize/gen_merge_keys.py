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
current one. The KUSTOMIZE_LACKS_* tables below remove what that schema does not have (lists,
group/versions and kinds added since), and KUSTOMIZE_EXTRA_KINDS adds kinds it still has that
Kubernetes 1.35 no longer serves, as copies of rows of a 1.35 kind with the same lists. Both
were found by comparing this script's output with the same walk over the v1.21.2 schema kyaml
embeds (the resulting tables are equal), and spot-checked with `kubectl kustomize`.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSV = os.path.join(ROOT, "stdlib", "kustomize", "merge-keys.tsv")
CSRC = os.path.join(ROOT, "compiler", "kustomize", "smp_table.c")

# What kustomize's built-in schema (Kubernetes v1.21.2) lacks: lists added to Kubernetes since
# (kustomize replaces them instead of merging), and group/versions and kinds added since (no
# schema at all: every list of theirs is replaced).
KUSTOMIZE_LACKS_FIELDS = {
    ("io.k8s.api.core.v1.PodSpec", "resourceClaims"),
    ("io.k8s.api.core.v1.PodSpec", "schedulingGates"),
    ("io.k8s.api.core.v1.PodStatus", "hostIPs"),
    ("io.k8s.api.core.v1.PodStatus", "resourceClaimStatuses"),
    ("io.k8s.api.core.v1.EphemeralContainer", "ports"),
    ("io.k8s.api.admissionregistration.v1.MutatingWebhook", "matchConditions"),
    ("io.k8s.api.admissionregistration.v1.ValidatingWebhook", "matchConditions"),
    ("io.k8s.api.flowcontrol.v1.FlowSchemaStatus", "conditions"),
    ("io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationStatus", "conditions"),
}
KUSTOMIZE_LACKS_APIS = {
    "admissionregistration.k8s.io/v1alpha1", "authentication.k8s.io/v1alpha1", "autoscaling/v2",
    "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2", "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3", "resource.k8s.io/v1",
    "resource.k8s.io/v1alpha3", "resource.k8s.io/v1beta1", "resource.k8s.io/v1beta2",
    "storagemigration.k8s.io/v1beta1",
}
KUSTOMIZE_LACKS_KINDS = {
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBindingList"),
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyList"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBindingList"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyList"),
    ("authentication.k8s.io/v1", "SelfSubjectReview"),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundle"),
    ("certificates.k8s.io/v1beta1", "ClusterTrustBundleList"),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequest"),
    ("certificates.k8s.io/v1beta1", "PodCertificateRequestList"),
    ("coordination.k8s.io/v1beta1", "LeaseCandidate"),
    ("coordination.k8s.io/v1beta1", "LeaseCandidateList"),
    ("internal.apiserver.k8s.io/v1alpha1", "StorageVersion"),
    ("internal.apiserver.k8s.io/v1alpha1", "StorageVersionList"),
    ("networking.k8s.io/v1", "IPAddress"),
    ("networking.k8s.io/v1", "IPAddressList"),
    ("networking.k8s.io/v1", "ServiceCIDR"),
    ("networking.k8s.io/v1", "ServiceCIDRList"),
    ("networking.k8s.io/v1beta1", "IPAddress"),
    ("networking.k8s.io/v1beta1", "IPAddressList"),
    ("networking.k8s.io/v1beta1", "ServiceCIDR"),
    ("networking.k8s.io/v1beta1", "ServiceCIDRList"),
    ("policy/v1", "Eviction"),
    ("scheduling.k8s.io/v1alpha1", "Workload"),
    ("scheduling.k8s.io/v1alpha1", "WorkloadList"),
    ("storage.k8s.io/v1", "CSIStorageCapacity"),
    ("storage.k8s.io/v1", "CSIStorageCapacityList"),
    ("storage.k8s.io/v1", "VolumeAttributesClass"),
    ("storage.k8s.io/v1", "VolumeAttributesClassList"),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClass"),
    ("storage.k8s.io/v1beta1", "VolumeAttributesClassList"),
}

# Kinds kustomize's schema still has that Kubernetes 1.35 no longer serves, each with the 1.35
# kind whose type it shares the rows of (a type with the same lists).
KUSTOMIZE_EXTRA_KINDS = [
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfigurationList", "admissionregistration.k8s.io/v1", "MutatingWebhookConfigurationList"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfigurationList", "admissionregistration.k8s.io/v1", "ValidatingWebhookConfigurationList"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "apiextensions.k8s.io/v1", "CustomResourceDefinition"),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinitionList", "apiextensions.k8s.io/v1", "CustomResourceDefinitionList"),
    ("apiregistration.k8s.io/v1beta1", "APIService", "apiregistration.k8s.io/v1", "APIService"),
    ("apiregistration.k8s.io/v1beta1", "APIServiceList", "apiregistration.k8s.io/v1", "APIServiceList"),
    ("authentication.k8s.io/v1beta1", "TokenReview", "authentication.k8s.io/v1", "TokenReview"),
    ("authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", "authorization.k8s.io/v1", "LocalSubjectAccessReview"),
    ("authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", "authorization.k8s.io/v1", "SelfSubjectAccessReview"),
    ("authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", "authorization.k8s.io/v1", "SelfSubjectRulesReview"),
    ("authorization.k8s.io/v1beta1", "SubjectAccessReview", "authorization.k8s.io/v1", "SubjectAccessReview"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler", "autoscaling/v1", "HorizontalPodAutoscaler"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscalerList", "autoscaling/v1", "HorizontalPodAutoscalerList"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler", "autoscaling/v1", "HorizontalPodAutoscaler"),
    ("autoscaling/v2beta2", "HorizontalPodAutoscalerList", "autoscaling/v1", "HorizontalPodAutoscalerList"),
    ("batch/v1beta1", "CronJob", "batch/v1", "CronJob"),
    ("batch/v1beta1", "CronJobList", "batch/v1", "CronJobList"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest", "certificates.k8s.io/v1", "CertificateSigningRequest"),
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequestList", "certificates.k8s.io/v1", "CertificateSigningRequestList"),
    ("coordination.k8s.io/v1beta1", "Lease", "coordination.k8s.io/v1", "Lease"),
    ("coordination.k8s.io/v1beta1", "LeaseList", "coordination.k8s.io/v1", "LeaseList"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice", "discovery.k8s.io/v1", "EndpointSlice"),
    ("discovery.k8s.io/v1beta1", "EndpointSliceList", "discovery.k8s.io/v1", "EndpointSliceList"),
    ("events.k8s.io/v1beta1", "Event", "events.k8s.io/v1", "Event"),
    ("events.k8s.io/v1beta1", "EventList", "events.k8s.io/v1", "EventList"),
    ("extensions/v1beta1", "Ingress", "v1", "ConfigMap"),
    ("extensions/v1beta1", "IngressList", "v1", "ConfigMapList"),
    ("flowcontrol.apiserver.k8s.io/v1alpha1", "DeleteOptions", "v1", "DeleteOptions"),
    ("flowcontrol.apiserver.k8s.io/v1alpha1", "WatchEvent", "v1", "WatchEvent"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchemaList", "flowcontrol.apiserver.k8s.io/v1", "FlowSchemaList"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfiguration"),
    ("flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfigurationList", "flowcontrol.apiserver.k8s.io/v1", "PriorityLevelConfigurationList"),
    ("networking.k8s.io/v1beta1", "Ingress", "networking.k8s.io/v1", "Ingress"),
    ("networking.k8s.io/v1beta1", "IngressClass", "networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1beta1", "IngressClassList", "networking.k8s.io/v1", "IngressClassList"),
    ("networking.k8s.io/v1beta1", "IngressList", "networking.k8s.io/v1", "IngressList"),
    ("node.k8s.io/v1beta1", "RuntimeClass", "node.k8s.io/v1", "RuntimeClass"),
    ("node.k8s.io/v1beta1", "RuntimeClassList", "node.k8s.io/v1", "RuntimeClassList"),
    ("policy/v1beta1", "Eviction", "policy/v1", "Eviction"),
    ("policy/v1beta1", "PodDisruptionBudget", "policy/v1", "PodDisruptionBudget"),
    ("policy/v1beta1", "PodDisruptionBudgetList", "policy/v1", "PodDisruptionBudgetList"),
    ("policy/v1beta1", "PodSecurityPolicy", "v1", "ConfigMap"),
    ("policy/v1beta1", "PodSecurityPolicyList", "v1", "ConfigMapList"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRole", "rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBindingList", "rbac.authorization.k8s.io/v1", "ClusterRoleBindingList"),
    ("rbac.authorization.k8s.io/v1beta1", "ClusterRoleList", "rbac.authorization.k8s.io/v1", "ClusterRoleList"),
    ("rbac.authorization.k8s.io/v1beta1", "Role", "rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBinding", "rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleBindingList", "rbac.authorization.k8s.io/v1", "RoleBindingList"),
    ("rbac.authorization.k8s.io/v1beta1", "RoleList", "rbac.authorization.k8s.io/v1", "RoleList"),
    ("scheduling.k8s.io/v1beta1", "PriorityClass", "scheduling.k8s.io/v1", "PriorityClass"),
    ("scheduling.k8s.io/v1beta1", "PriorityClassList", "scheduling.k8s.io/v1", "PriorityClassList"),
    ("storage.k8s.io/v1beta1", "CSIDriver", "storage.k8s.io/v1", "CSIDriver"),
    ("storage.k8s.io/v1beta1", "CSIDriverList", "storage.k8s.io/v1", "CSIDriverList"),
    ("storage.k8s.io/v1beta1", "CSINode", "storage.k8s.io/v1", "CSINode"),
    ("storage.k8s.io/v1beta1", "CSINodeList", "storage.k8s.io/v1", "CSINodeList"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacity", "storage.k8s.io/v1", "CSIStorageCapacity"),
    ("storage.k8s.io/v1beta1", "CSIStorageCapacityList", "storage.k8s.io/v1", "CSIStorageCapacityList"),
    ("storage.k8s.io/v1beta1", "StorageClass", "storage.k8s.io/v1", "StorageClass"),
    ("storage.k8s.io/v1beta1", "StorageClassList", "storage.k8s.io/v1", "StorageClassList"),
    ("storage.k8s.io/v1beta1", "VolumeAttachment", "storage.k8s.io/v1", "VolumeAttachment"),
    ("storage.k8s.io/v1beta1", "VolumeAttachmentList", "storage.k8s.io/v1", "VolumeAttachmentList"),
    ("v1", "APIGroup", "v1", "ConfigMapList"),
    ("v1", "APIGroupList", "v1", "ConfigMapList"),
    ("v1", "APIVersions", "v1", "ConfigMapList"),
]


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
        rows = []
        walk_value(defs, defs[name], [], [name], rows)
        table[(api, kind)] = rows
    # the successors of the extra kinds may be dropped below: copy their rows first
    for api, kind, like_api, like_kind in KUSTOMIZE_EXTRA_KINDS:
        table[(api, kind)] = table[(like_api, like_kind)]
    for api, kind in list(table):
        if api in KUSTOMIZE_LACKS_APIS or (api, kind) in KUSTOMIZE_LACKS_KINDS:
            del table[(api, kind)]
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
