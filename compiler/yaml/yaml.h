/* The load stage: YAML (and JSON) text to IR documents through libyaml's event parser, with
 * positions on every node, tag resolution as the reference tools' Go YAML library does it,
 * anchors and aliases under a hard expansion budget, merge keys and duplicate-key errors.
 *
 * Ownership: nodes go into the caller's arena; the text must outlive the diag_ctx it was
 * registered with (excerpts point into it). */
#ifndef KILN_YAML_H
#define KILN_YAML_H

#include "diag/diag.h"
#include "ir/ir.h"
#include "yaml/goyaml.h"

typedef struct ky_opts {
    ky_flavor flavor;       /* how plain scalars resolve (KY_V3 for kustomize) */
    size_t max_alias_nodes; /* nodes aliases may copy in one file; 0 = 1,000,000 */
    size_t max_depth;       /* nesting limit; 0 = 1000 */
    bool keep_empty;        /* keep empty documents as null scalars */
    bool dup_last_wins;     /* a repeated key replaces the earlier value (sigs.k8s.io/yaml does this
                               for kustomization files) instead of being an error */
} ky_opts;

typedef struct ky_docs {
    ir_node **docs;
    diag_pos *pos; /* where each document starts */
    size_t n;
} ky_docs;

/* Parses every document of `text` (registered as diag file `file`). Returns false after adding
 * diagnostics when the text is not valid YAML or breaks a limit. */
bool ky_load(arena *a, diag_ctx *d, uint32_t file, const char *text, size_t len,
             const ky_opts *opts, ky_docs *out);

/* A plain scalar made from text the way go-yaml v3 reads an untagged value (kyaml's SetScalar
 * and untagged nodes): "0777" becomes the int 511, "true" a bool, and so on. Text is copied. */
ir_node *ky_plain_scalar(arena *a, const char *text, size_t n, diag_pos pos);

#endif
