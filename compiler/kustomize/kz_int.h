/* Private interfaces between the kustomize front end's files: patches (strategic merge and JSON
 * 6902), generators and their hash suffixes, transformers. Not for other stages.
 *
 * Ownership: every node and string is allocated in k->a; functions mutate the nodes they are
 * given in place and report problems through k->d with the position of the node at fault. */
#ifndef KILN_KZ_INT_H
#define KILN_KZ_INT_H

#include "kustomize/kz.h"

/* ---- kustomization fields (kz.c) ---- */

struct kz_field {
    const char *name;
    bool supported;
    const char *deprecated; /* kustomize's warning, or NULL */
};
const struct kz_field *kz_field_lookup(const char *name);
const struct kz_field *kz_field_lookup_fold(const char *name); /* case-insensitive */
const char *kz_field_suggest(const char *name);

/* Builds a kustomization below the root (a plain directory's sub-kustomization). */
bool kz_build_nested(kz_ctx *k, const char *dir, ir_resset *set, diag_pos where);

/* ---- strategic merge patch (smp.c) ----
 * Merges `patch` (a full or partial object) into `target` (an object mapping) in place, with
 * kustomize v5.7.1's semantics: mappings merge recursively, `null` deletes a field, lists of
 * built-in kinds merge by their patch merge key (containers by name, ports by containerPort, …),
 * other lists (and every list of a kind kiln has no schema for, such as CRDs) are replaced;
 * directives $patch: delete|replace|merge, $setElementOrder/<list>, $retainKeys,
 * $deleteFromPrimitiveList/<list>. `id` is the target's id (its group/version/kind select the
 * schema). Returns false after a diagnostic at the patch node that cannot be applied. When the
 * patch deletes the whole object ($patch: delete at the top), sets *deleted. */
bool kz_smp_apply(kz_ctx *k, ir_node *target, const ir_node *patch, const ir_id *id, bool *deleted);

/* ---- openapi (openapi.c) ----
 * Replaces the strategic merge schema with rows built from a user's OpenAPI document. As
 * measured with kubectl kustomize: named by the root kustomization, the document replaces the
 * built-in schema; named below the root, its definitions are added to the built-in ones (and
 * references to built-in types resolve). */
bool kz_openapi_rows(kz_ctx *k, const ir_node *doc, bool with_builtin, diag_pos where);

/* ---- JSON 6902 patch (json6902.c) ----
 * Applies the operations in `ops` (a sequence of {op, path, value, from} mappings: add, remove,
 * replace, move, copy, test; JSON pointers with ~0/~1 escapes and "-" for append) to *target,
 * in place (*target may be replaced when the path is ""). Errors point at the failing op. */
bool kz_json6902_apply(kz_ctx *k, ir_node **target, const ir_node *ops);

/* ---- generators (gen.c) ----
 * Builds the ConfigMap (secret = false) or Secret of one configMapGenerator / secretGenerator
 * entry `args` declared in the kustomization in `dir`, with the kustomization's
 * generatorOptions `opts` (may be NULL): literals, files (key=path or path), envs (KEY=VALUE
 * files), type (secrets), options (labels, annotations, disableNameSuffixHash, immutable).
 * Sets *behavior to "create" (default), "merge" or "replace", and *needs_hash when the name
 * must get a hash suffix at the end of the build. */
bool kz_generate(kz_ctx *k, const char *dir, const ir_node *args, bool secret, const ir_node *opts,
                 ir_node **obj, const char **behavior, bool *needs_hash);

/* The kustomize hash suffix of a ConfigMap or Secret object (10 characters, NUL-terminated, in
 * out[11]): SHA-256 of the Go JSON encoding of {"data":…,"kind":…,"name":"",…} mapped through
 * kustomize's alphabet. Other kinds hash the JSON of the whole object. */
void kz_hash_suffix(const ir_node *obj, char out[11]);

/* ---- field specs and transformer configuration (fieldspec.c) ---- */

typedef struct kz_fspec {
    const char *group, *version, *kind; /* "" = any */
    const char *path;                   /* '/'-separated, "x[]" lists, "[k=v]" selectors */
    bool create;
    char **parts; /* path split once (kz_fslist_add does it); NULL: split when used */
    size_t nparts;
} kz_fspec;

typedef struct kz_fslist {
    kz_fspec *v;
    size_t n, cap;
} kz_fslist;

typedef struct kz_nameref {
    const char *group, *version, *kind; /* the referenced kind */
    kz_fslist referrers;                /* fields that hold its name */
} kz_nameref;

typedef struct kz_var {
    const ir_node *def; /* the vars entry: name, objref, fieldref */
    const char *name;
    const char *fieldpath; /* default metadata.name */
} kz_var;

typedef struct kz_tconfig {
    kz_fslist name_prefix, name_suffix, common_labels, template_labels, labels, common_annotations,
        namespace, var_reference, images, replicas;
    kz_nameref *namerefs;
    size_t nnamerefs, capnamerefs;
    /* not field specs, but accumulated alongside them exactly like them: the vars in scope */
    kz_var *vars;
    size_t nvars, capvars;
} kz_tconfig;

/* kustomize's built-in configuration (stdlib/kustomize/fieldspecs.tsv, embedded). */
void kz_tconfig_defaults(kz_ctx *k, kz_tconfig *tc);
void kz_tconfig_copy(kz_ctx *k, kz_tconfig *dst, const kz_tconfig *src);
/* Merges a `configurations:` document (kustomize's transformer-config YAML) into tc. */
bool kz_tconfig_merge_yaml(kz_ctx *k, kz_tconfig *tc, const ir_node *doc);
void kz_tconfig_merge(kz_ctx *k, kz_tconfig *dst, const kz_tconfig *src);
/* Combines a `configurations:` config into the one in force, as kustomize does. */
bool kz_tconfig_override(kz_ctx *k, kz_tconfig *dst, const kz_tconfig *user, diag_pos where);
void kz_fslist_add(kz_ctx *k, kz_fslist *l, kz_fspec fs);              /* skips duplicates */
void kz_fslist_merge(kz_ctx *k, kz_fslist *dst, const kz_fslist *src); /* adds src's specs */
/* Reads a list of field spec mappings ({path, group, version, kind, create}). */
bool kz_fslist_from_yaml(kz_ctx *k, kz_fslist *l, const ir_node *seq);

/* Does the field spec select an object of this group/version/kind? */
bool kz_fspec_selects(const kz_fspec *fs, const char *group, const char *version, const char *kind);

/* Calls fn on the node at fs->path in obj (creating missing maps when fs->create; `leaf_kind` is
 * the kind of a created leaf: IR_MAP, or IR_SCALAR for a string). *slot may be replaced. Returns
 * false (after a diagnostic) when the path runs into a scalar. */
typedef bool (*kz_fs_fn)(kz_ctx *k, ir_node **slot, void *payload);
bool kz_fspec_apply(kz_ctx *k, ir_node *obj, const kz_fspec *fs, int leaf_kind, kz_fs_fn fn,
                    void *payload);

/* ---- per-object state of a kustomize build (transform.c) ---- */

typedef struct kz_prev {
    const char *kind, *ns, *name;
} kz_prev;

typedef struct kz_resx {
    kz_prev *prev; /* earlier ids, oldest first (kustomize's previousNames/Kinds/Namespaces) */
    size_t nprev;
    const char **prefixes, **suffixes;
    size_t nprefixes, nsuffixes;
    const char *behavior; /* generators: create, merge, replace */
    bool needs_hash;
    bool generated;
    const char **varnames; /* vars bound to this object */
    size_t nvarnames;
    const char *origin;          /* config.kubernetes.io/origin value (buildMetadata) */
    const char *transformations; /* alpha.config.kubernetes.io/transformations value */
} kz_resx;

kz_resx *kz_resx_of(kz_ctx *k, ir_res *r);
void kz_store_previous_id(kz_ctx *k, ir_res *r);
/* The original id's kind/namespace/name (first previous id, else current). */
kz_prev kz_org_id(ir_res *r);
/* The object's ids, current first (i = 0) then the earlier ones oldest first: kz_id_count of
 * them (kustomize's GetMatchingResourcesByAnyId looks at all). */
size_t kz_id_count(ir_res *r);
kz_prev kz_id_at(ir_res *r, size_t i);

/* Transformers, each over the whole set, in kustomize's order. */
bool kz_tr_prefix_suffix(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const char *affix,
                         bool suffix);
bool kz_tr_namespace(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const char *ns,
                     diag_pos where);
bool kz_tr_labels(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const ir_node *pairs,
                  bool annotations);
bool kz_tr_images(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const ir_node *image);
bool kz_tr_replicas(kz_ctx *k, ir_resset *set, const kz_fslist *fs, const ir_node *replica);
/* replacements (replace.c): each entry a mapping with source/sourceValue and targets. */
bool kz_tr_replacements(kz_ctx *k, ir_resset *set, const ir_node *const *reps, size_t n);
/* vars (replace.c): declares `list` into tc (names must be unique) and binds each to its object. */
bool kz_vars_merge(kz_ctx *k, kz_tconfig *tc, ir_resset *set, const ir_node *list);
/* Replaces $(VAR) in the varReference fields with the bound objects' current values. */
bool kz_vars_resolve(kz_ctx *k, kz_tconfig *tc, ir_resset *set);

/* At the end of the root build: fix references to renamed objects. */
bool kz_tr_namerefs(kz_ctx *k, ir_resset *set, const kz_tconfig *tc);

/* Builds the kustomization in dir as a resource directory: its objects and the configuration it
 * contributes (kz_run with a fresh set). */
bool kz_run_dir(kz_ctx *k, const char *dir, ir_resset *set, kz_tconfig *tc, diag_pos where);

/* ---- parallel builds of the root's resource directories (parallel.c) ---- */

typedef struct kz_prebuilt {
    const char *dir, *origin_path; /* the job: NULL dir = not a directory entry */
    diag_pos where;
    bool ok;
    ir_resset set;
    kz_tconfig tc;
    kz_ctx *ctx; /* the job's own arena, diagnostics and warnings */
} kz_prebuilt;

/* Builds the jobs on k->jobs threads, each in a context of its own. Returns false when the
 * results cannot be used (a job changed state the build shares, such as the openapi schema);
 * then nothing was adopted and the caller builds sequentially. */
bool kz_prebuild(kz_ctx *k, kz_prebuilt *jobs, size_t n);
/* Moves a job's memory, diagnostics and warnings into k, in the order the caller adopts them. */
void kz_prebuilt_adopt(kz_ctx *k, kz_prebuilt *job);
/* Frees what kz_prebuild made (after adoption, or when its results are not used). */
void kz_prebuilt_free(kz_prebuilt *jobs, size_t n);

#endif
