#!/usr/bin/env python3
"""Writes a Flux fleet repository for kiln's benchmarks and tests (deterministic).

usage: gen_fleet.py [--clusters N] [--apps M] OUTDIR

OUTDIR/clusters/cNN/      flux-system sync objects, cluster-vars ConfigMap, one Flux
                          Kustomization per app (dependsOn the infrastructure one, postBuild
                          substituteFrom cluster-vars) and one for infrastructure
OUTDIR/apps/base/appMM/   Namespace, ConfigMap, Deployment, Service, HPA, ServiceAccount
OUTDIR/apps/cNN/appMM/    an overlay per cluster and app: namespace, replicas patch, image tag,
                          configMapGenerator, ${cluster_name} substitution
OUTDIR/infrastructure/    shared NetworkPolicies

`kiln build OUTDIR/clusters/*` renders the whole fleet.
"""
import argparse
import os


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def base_app(out, a):
    d = os.path.join(out, "apps", "base", a)
    write(os.path.join(d, "kustomization.yaml"), """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - serviceaccount.yaml
  - configmap.yaml
  - deployment.yaml
  - service.yaml
  - hpa.yaml
labels:
  - pairs:
      app.kubernetes.io/name: %(a)s
      app.kubernetes.io/part-of: fleet
    includeSelectors: true
""" % {"a": a})
    write(os.path.join(d, "serviceaccount.yaml"), """apiVersion: v1
kind: ServiceAccount
metadata:
  name: %(a)s
""" % {"a": a})
    write(os.path.join(d, "configmap.yaml"), """apiVersion: v1
kind: ConfigMap
metadata:
  name: %(a)s-settings
data:
  LOG_LEVEL: info
  CLUSTER: ${cluster_name}
  REGION: ${cluster_region:=westeurope}
  GREETING: "hello from %(a)s"
""" % {"a": a})
    write(os.path.join(d, "deployment.yaml"), """apiVersion: apps/v1
kind: Deployment
metadata:
  name: %(a)s
spec:
  replicas: 1
  template:
    spec:
      serviceAccountName: %(a)s
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/fleet/%(a)s:1.0.0
          ports:
            - name: http
              containerPort: 8080
          envFrom:
            - configMapRef:
                name: %(a)s-settings
            - configMapRef:
                name: %(a)s-env
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              memory: 128Mi
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: ["ALL"]
""" % {"a": a})
    write(os.path.join(d, "service.yaml"), """apiVersion: v1
kind: Service
metadata:
  name: %(a)s
spec:
  ports:
    - name: http
      port: 80
      targetPort: http
""" % {"a": a})
    write(os.path.join(d, "hpa.yaml"), """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: %(a)s
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: %(a)s
  minReplicas: 1
  maxReplicas: 5
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 75
""" % {"a": a})


def overlay(out, c, ci, a, ai):
    d = os.path.join(out, "apps", c, a)
    write(os.path.join(d, "kustomization.yaml"), """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: %(a)s
resources:
  - ../../base/%(a)s
  - namespace.yaml
images:
  - name: registry.example.com/fleet/%(a)s
    newTag: "1.%(minor)d.%(patch)d"
configMapGenerator:
  - name: %(a)s-env
    literals:
      - CLUSTER_INDEX=%(ci)d
      - APP_INDEX=%(ai)d
patches:
  - target:
      kind: Deployment
      name: %(a)s
    patch: |-
      - op: replace
        path: /spec/replicas
        value: %(replicas)d
  - patch: |-
      apiVersion: autoscaling/v2
      kind: HorizontalPodAutoscaler
      metadata:
        name: %(a)s
      spec:
        maxReplicas: %(maxr)d
""" % {"a": a, "ci": ci, "ai": ai, "minor": ci % 7, "patch": ai % 5,
       "replicas": 1 + (ci + ai) % 3, "maxr": 4 + ai % 6})
    write(os.path.join(d, "namespace.yaml"), """apiVersion: v1
kind: Namespace
metadata:
  name: %(a)s
  labels:
    fleet.example.com/cluster: ${cluster_name}
""" % {"a": a})


def cluster(out, c, ci, apps):
    d = os.path.join(out, "clusters", c)
    write(os.path.join(d, "flux-system", "gotk-sync.yaml"), """apiVersion: v1
kind: Namespace
metadata:
  name: flux-system
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: https://git.example.com/fleet.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/%(c)s
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
""" % {"c": c})
    write(os.path.join(d, "cluster-vars.yaml"), """apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  cluster_name: %(c)s
  cluster_region: %(region)s
""" % {"c": c, "region": ["westeurope", "northeurope", "eastus"][ci % 3]})
    ks = ["""apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infrastructure
  namespace: flux-system
spec:
  interval: 10m
  path: ./infrastructure
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
"""]
    for a in apps:
        ks.append("""apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: %(a)s
  namespace: flux-system
spec:
  dependsOn:
    - name: infrastructure
  interval: 5m
  path: ./apps/%(c)s/%(a)s
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
""" % {"a": a, "c": c})
    write(os.path.join(d, "apps.yaml"), "---\n".join(ks))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clusters", type=int, default=50)
    ap.add_argument("--apps", type=int, default=20)
    ap.add_argument("out")
    o = ap.parse_args()
    apps = ["app%02d" % i for i in range(o.apps)]
    for a in apps:
        base_app(o.out, a)
    write(os.path.join(o.out, "infrastructure", "kustomization.yaml"),
          "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
          "  - network-policies.yaml\n")
    write(os.path.join(o.out, "infrastructure", "network-policies.yaml"), """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: flux-system
spec:
  podSelector: {}
  policyTypes: [Ingress]
""")
    for ci in range(o.clusters):
        c = "c%02d" % ci
        cluster(o.out, c, ci, apps)
        for ai, a in enumerate(apps):
            overlay(o.out, c, ci, a, ai)
    print("wrote %d clusters x %d apps to %s" % (o.clusters, o.apps, o.out))


if __name__ == "__main__":
    main()
