/* The kustomize front end: reads kustomization.yaml files and the resources they list into a
 * resource set, with kustomize v5.7.1's semantics, and renders plain manifest directories the
 * way Flux does (as a generated kustomization listing every manifest).
 *
 * Ownership: everything is allocated in the context's arena; the resource set's arrays are the
 * caller's (ir_resset_free). */
#ifndef KILN_KZ_H
#define KILN_KZ_H

#include "diag/diag.h"
#include "ir/ir.h"
#include "source/source.h"

struct kz_tconfig;

typedef struct kz_ctx {
    arena *a;
    diag_ctx *d;
    src_tree *src;
    bool load_none;  /* --load-restrictor LoadRestrictionsNone */
    bool managed_by; /* --enable-managedby-label */
    /* buildMetadata origin tracking (set by the root build) */
    bool track_origin, emit_origin, emit_transformations;
    const char *origin_path; /* the current kustomization's directory relative to the root */
    const struct kz_tconfig *defaults; /* kustomize's built-in configuration, parsed once */
    /* strategic merge schema rows from an `openapi:` field (NULL: the built-in table) */
    const char *const (*smp_rows)[5];
    size_t smp_nrows;
    bool schema_set; /* an `openapi:` field decided the schema (the first one seen wins) */
    buf_t *warnings; /* when set, kustomize-style warnings are collected here, not printed */
    int jobs;        /* threads for the root's resource directories (1 = sequential) */
    /* the root kustomization as the caller made it (Flux edits or generates one); NULL: read the
     * root directory's kustomization file */
    ir_node *root_kz;
    /* kustomization directories being built, for cycle detection */
    const char **stack;
    size_t depth, capstack;
} kz_ctx;

/* Sort order requested by the root kustomization. */
typedef struct kz_sort {
    bool fifo;
    const char **first, **last; /* NULL: the defaults */
    size_t nfirst, nlast;
} kz_sort;

/* The name of the kustomization file in dir (kustomization.yaml, .yml or Kustomization), or
 * NULL. Reports an error when more than one is present. */
const char *kz_find_file(kz_ctx *k, const char *dir, diag_pos where, bool *ambiguous);

/* Builds the kustomization in `dir` into `out` (in kustomize's order before sorting) and
 * fills `sort` from its sortOptions. */
bool kz_build(kz_ctx *k, const char *dir, ir_resset *out, kz_sort *sort);

/* The local paths (joined with dir) the kustomization in dir refers to; none for a directory
 * without one. False after diagnostics (unreadable or invalid kustomization file). */
bool kz_deps(kz_ctx *k, const char *dir, const char ***out, size_t *n);

/* The first merge key of the list at `path` (field names joined by '.') in objects of
 * apiVersion/kind, from kustomize's built-in schema: "" for a list without keys, NULL when the
 * schema does not describe that list. */
const char *kz_list_merge_key(arena *a, const char *api, const char *kind, const char *path);

/* True for kinds Kubernetes keeps outside namespaces (Namespace, ClusterRole, CRDs, ...). */
bool kz_cluster_scoped(const ir_id *id);

/* Loads every manifest below `dir` (a directory without a kustomization file). */
bool kz_build_plain(kz_ctx *k, const char *dir, ir_resset *out);

/* Reads the objects of one manifest file (documents, `List` items) and appends them to out,
 * reporting duplicate ids. */
bool kz_load_file(kz_ctx *k, const char *path, diag_pos where, ir_resset *out);

/* The last step of every kustomize build: kustomize rewrites each object's annotations through
 * a string map, dropping its internal ones, removing an empty `annotations`, turning every value
 * into a string; keys that read back as another type make it fail. */
bool kz_finalize(kz_ctx *k, ir_resset *set);

/* Appends src's objects to dst, reporting duplicate ids with both positions. */
bool kz_append_all(kz_ctx *k, ir_resset *dst, const ir_resset *src);

/* Values as helm reads them after kyaml wrote them (keys text, numbers float64, dates text),
 * for rendering a chart (helmCharts, Flux HelmReleases). */
struct tpl_val;
const struct tpl_val *kz_helm_values(arena *a, const ir_node *n);

/* A kustomization made of transformer fields only (helm-controller's kustomize post-renderer:
 * `patches`, `images`, and v2beta1's `patchesStrategicMerge`/`patchesJson6902`) applied to the
 * objects of set in place, in kustomize's order, as a kustomization listing them would. */
bool kz_postrender(kz_ctx *k, ir_node *pr, ir_resset *set);

#endif
