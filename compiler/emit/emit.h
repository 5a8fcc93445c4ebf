/* The emit stage: IR to text. A YAML writer byte-compatible with what kustomize prints (values
 * as they come out of its JSON round trip, written the way go-yaml v2 writes them), a JSON
 * writer, and kustomize's apply order.
 *
 * Ownership: writers append to a caller-owned buf_t and keep nothing. */
#ifndef KILN_EMIT_H
#define KILN_EMIT_H

#include "ir/ir.h"

/* One document, as sigs.k8s.io/yaml (go-yaml v2) writes it: keys in go-yaml's natural order, two
 * space indent, sequences not indented under keys, quoting and folding as go-yaml decides. */
bool em_yaml_doc(buf_t *out, const ir_node *root);
/* Documents joined by "---\n" (kustomize's stream format). */
bool em_yaml_stream(buf_t *out, ir_node *const *docs, size_t n);

/* em_yaml_stream on up to `jobs` threads (contiguous ranges, concatenated in order): the same
 * bytes. */
bool em_yaml_stream_par(buf_t *out, ir_node *const *docs, size_t n, int jobs);

/* JSON with Go's encoding/json conventions (sorted keys, HTML-safe escapes), indented by
 * `indent` spaces (0 = compact). Many documents become one `kind: List`. */
void em_json_doc(buf_t *out, const ir_node *root, int indent);
void em_json_stream(buf_t *out, ir_node *const *docs, size_t n, int indent);
/* One JSON string as encoding/json writes it (HTML-safe, U+2028/9 escaped, bad UTF-8 as U+FFFD). */
void em_json_string(buf_t *out, const char *s, size_t n);

/* The writers return false when the tree holds what kustomize cannot print (NaN/Inf floats,
 * non-string keys); em_check_printable then reports where. */
bool em_check_printable(diag_ctx *d, const ir_node *root);

/* ---- content hashes (hash.c) ---- */

#define EM_HASH_ANNOTATION "kiln.dev/content-hash"

/* XXH3-128 (32 hex digits) of obj's canonical form: its compact JSON (keys sorted, scalars as
 * kiln writes them), without the EM_HASH_ANNOTATION annotation. Key order and re-emission do
 * not change it; any value does. Temporary nodes go into a. */
void em_content_hash(arena *a, const ir_node *obj, char out[33]);
/* GROUP/VERSION/KIND/NAMESPACE/NAME ("v1" alone for the core group, empty namespace segment for
 * objects without one). */
const char *em_res_id(arena *a, const ir_res *r);
/* The hash of a set: XXH3-128 over its "id<TAB>hash" lines in id order. */
void em_set_hash(arena *a, ir_res *const *items, char (*hashes)[33], size_t n, char out[33]);

/* kustomize's legacy resource order. order_first/last NULL = the default lists. */
void em_sort_legacy(ir_res **items, size_t n, const char *const *order_first, size_t nfirst,
                    const char *const *order_last, size_t nlast);

#endif
