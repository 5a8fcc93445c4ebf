/* The Flux front end: follows the Flux `Kustomization` objects of a cluster (a directory holding
 * them, one Kustomization file, or an Azure fluxConfigurations resource) the way
 * kustomize-controller reconciles them — source, generated or edited kustomization, kustomize
 * build, post-build substitution, common metadata, owner labels, dependsOn order — and prepares
 * each HelmRelease (chart source, merged values, release name) for the template engine.
 *
 * Ownership: everything lives in the kz_ctx's arena; result arrays are the caller's (ir_resset
 * for the objects, free() for the groups). */
#ifndef KILN_FLUX_H
#define KILN_FLUX_H

#include "kustomize/kz.h"

/* ---- substitution (flux_subst.c) ---- */

/* Looks a variable up: true with its value, false when it is not set. */
typedef bool (*flux_lookup_fn)(void *ctx, const char *name, size_t n, const char **val,
                               size_t *vlen);

/* Expands the `${...}` expressions of text `in` as fluxcd/pkg/envsubst does (`$$` is a `$`;
 * `$var` stays; unset variables are "" or, strict, an error unless a default operator covers
 * them) and appends the result to out. False with *err (static or in a) on a syntax error. */
bool flux_envsubst(arena *a, const char *in, size_t n, flux_lookup_fn fn, void *ctx, bool strict,
                   buf_t *out, const char **err);
/* Flux's rule for variable names: ^[_[:alpha:]][_[:alpha:][:digit:]]*$ */
bool flux_var_name_valid(const char *s);

/* ---- cluster rendering (flux.c) ---- */

/* A local stand-in for a source: --source KEY=PATH[@REF] (KEY "NAME" in any namespace or
 * "NAMESPACE/NAME"; PATH a directory; ref the "@REF" part or NULL) and --chart-source KEY=PATH
 * (KEY a HelmRepository URL + "/" + chart or an OCIRepository URL, without trailing '/'; PATH a
 * chart directory or .tgz, relative to the working directory; no ref). */
typedef struct flux_source {
    const char *key;
    const char *path;
    const char *ref;
} flux_source;

typedef struct flux_opts {
    const flux_source *sources;
    size_t nsources;
    const flux_source *chart_sources; /* --chart-source (repeatable) */
    size_t nchart_sources;
    const char *charts_dir;   /* --charts DIR: <chart>-<version>.tgz files, <chart>/ dirs */
    bool missing_charts_warn; /* --missing-charts=warn: a chart not found is skipped */
    bool strict_subst;        /* --strict-substitute */
    bool no_flux_objects;     /* --flux-objects=false */
    /* --kubeconfig-secret NS/NAME: render the remote cluster that Kustomizations with
     * spec.kubeConfig.secretRef NAME (in their namespace NS) apply to, instead of this one */
    const char *remote;
} flux_opts;

/* The objects one Kustomization applies: out->items[start .. start+n). */
typedef struct flux_group {
    const char *name; /* "namespace/name" */
    size_t start, n;
} flux_group;

typedef struct flux_result {
    flux_group *groups; /* malloc'd */
    size_t ngroups;
} flux_result;

/* True when the set holds a Flux Kustomization (kustomize.toolkit.fluxcd.io). */
bool flux_has_kustomizations(const ir_resset *set);

/* True when `dir`, rendered into root, is a cluster directory: it holds Flux Kustomizations and
 * either one of them applies dir itself or an enclosing directory holds every path they name
 * (a directory of rendered output that merely contains Kustomization objects is not one). */
bool flux_is_cluster(kz_ctx *k, const char *dir, const ir_resset *root);

/* A cluster directory `dir` already rendered into `root`: finds the Kustomization that applies
 * it (one whose path is dir, else the implicit flux-system/flux-system of `flux bootstrap`),
 * follows every Kustomization recursively and writes every object the cluster receives to
 * `out`, grouped per Kustomization in dependsOn order, each group in apply order. */
bool flux_render_cluster(kz_ctx *k, const flux_opts *o, const char *dir, ir_resset *root,
                         ir_resset *out, flux_result *res);

/* Entry points without a cluster directory: the Flux Kustomizations in `objs` (from a
 * --kustomization file, or made from a fluxConfigurations resource) are reconciled against the
 * repository at repo_root. The objects in objs are printed first when print_objs is set. */
bool flux_render_objects(kz_ctx *k, const flux_opts *o, const char *repo_root, ir_resset *objs,
                         bool print_objs, ir_resset *out, flux_result *res);

/* Reads an `az k8s-configuration flux show` JSON document at path and makes the GitRepository
 * and Kustomization objects the Flux extension creates from it into objs. */
bool flux_config_load(kz_ctx *k, const char *path, ir_resset *objs);

/* ---- HelmRelease (flux_helm.c) ---- */

struct tpl_map;

/* What helm-controller would install for one HelmRelease, everything but the chart's own
 * rendering. */
typedef struct flux_helm_release {
    const ir_res *hr;
    const char *release_name; /* spec.releaseName or [targetNamespace-]name, shortened */
    const char *namespace;    /* spec.targetNamespace or the HelmRelease's namespace */
    const char *chart;        /* chart name or path in its source (chartRef: NULL) */
    const char *version;      /* version range (OCIRepository: ref.semver or ref.tag), or NULL */
    const char *source_kind, *source_ns, *source_name;
    const ir_res *source;   /* the source object among the cluster's objects, or NULL */
    const char *source_url; /* its spec.url (HelmRepository, OCIRepository, GitRepository) */
    const char *chart_dir;  /* a chart in this repository (GitRepository source): its directory */
    const char *source_dir; /* that GitRepository's directory (valuesFiles are relative to it) */
    const char *chart_key;  /* the --chart-source key of a HelmRepository/OCIRepository chart */
    const char *chart_path; /* the local chart (directory or .tgz) found for chart_key */
    bool check_version;     /* chart_path came from --chart-source: its version is checked */
    bool version_is_tag;    /* version is an OCIRepository's ref.tag (not a range) */
    const ir_node *values_files; /* spec.chart.spec.valuesFiles (v2beta1 valuesFile first) */
    bool ignore_missing_values_files;
    struct tpl_map *values; /* valuesFrom merged in order, then spec.values (Helm values) */
    bool crds;              /* install.crds is not Skip (nor v2beta1 install.skipCRDs) */
    bool tests;             /* spec.test.enable: test hooks are installed too */
    bool no_hooks;          /* install.disableHooks */
    bool skip_schema;       /* install.disableSchemaValidation */
    bool create_namespace;  /* install.createNamespace with a targetNamespace */
    /* "ns/name" of the spec.kubeConfig Secret when the release installs into a remote cluster */
    const char *kubeconfig_secret;
} flux_helm_release;

/* Where HelmRelease sources are looked up: the cluster's objects, which GitRepository is this
 * repository (its directory), and the chart flags. */
typedef struct flux_helm_env {
    const ir_resset *all;
    const char *self_src; /* "ns/name" of the repository's own GitRepository */
    const char *repo_root;
    const char *remote; /* --kubeconfig-secret: the remote cluster being rendered, or NULL */
    const flux_opts *o; /* --chart-source, --charts, --missing-charts (NULL: none) */
    bool group_remote;  /* the HelmReleases were applied to the remote cluster (kubeConfig) */
} flux_helm_env;

/* helm-controller's release name: `name` when it fits in 53 characters, else its first 40
 * characters, '-' and the first 12 hex digits of its SHA-256. */
const char *flux_release_name(arena *a, const char *name);

/* The chart of --charts DIR named `name` whose version best satisfies `range` (source-controller:
 * an exact version first, else the highest version the Masterminds range accepts; NULL or "*":
 * the highest stable one): its path into *path and version into *version. False when none fits;
 * then *found lists the versions present ("" when none) and *err is set for a bad range. */
bool flux_chart_pick(arena *a, const char *dir, const char *name, const char *range,
                     const char **path, const char **version, const char **found, const char **err);

/* Prepares every HelmRelease among items (chart source and values from the cluster objects in
 * env->all) and renders it through flux_helm_render, appending what it installs to
 * `rendered`. */
bool flux_helm_group(kz_ctx *k, const flux_helm_env *env, const ir_res *const *items, size_t n,
                     ir_resset *rendered);

/* The chart rendering boundary: renders release r (its chart at r->chart_dir or r->chart_path)
 * as helm-controller installs it into `rendered`: CRDs unless skipped, the manifests
 * post-rendered (spec.postRenderers, commonMetadata, origin labels), hooks as rendered. */
bool flux_helm_render(kz_ctx *k, const flux_helm_release *r, ir_resset *rendered);

#endif
