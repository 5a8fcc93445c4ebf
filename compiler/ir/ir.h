/* The IR: one value tree for every input language (mappings keeping insertion order with O(1)
 * key lookup, sequences, tagged scalars), each node carrying its source position, and the
 * resource set of Kubernetes objects indexed by (group, version, kind, namespace, name).
 *
 * Ownership: every node, string and index lives in the build's arena and is freed with it;
 * nodes are mutable (front ends patch them in place) and never shared between two parents. */
#ifndef KILN_IR_H
#define KILN_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "util/util.h"

typedef enum { IR_SCALAR, IR_MAP, IR_SEQ } ir_kind;

/* The resolved YAML tag of a scalar. */
typedef enum {
    IR_TAG_STR,
    IR_TAG_INT,
    IR_TAG_FLOAT,
    IR_TAG_BOOL,
    IR_TAG_NULL,
    IR_TAG_BINARY,
    IR_TAG_TIMESTAMP,
} ir_tag;

/* The style the value was written in (kept for diagnostics and writers that honour it). */
typedef enum {
    IR_STYLE_PLAIN,
    IR_STYLE_SINGLE,
    IR_STYLE_DOUBLE,
    IR_STYLE_LITERAL,
    IR_STYLE_FOLDED,
    IR_STYLE_BLOCK, /* collections */
    IR_STYLE_FLOW,
} ir_style;

enum {
    IR_INT_UNSIGNED = 1, /* int value above INT64_MAX, in .u */
    IR_UNTAGGED =
        2, /* a scalar created empty by a transformer: its type comes from the text it gets */
};

typedef struct ir_node ir_node;
typedef struct ir_pair {
    ir_node *key, *val;
} ir_pair;

typedef struct ir_map_index ir_map_index;

struct ir_node {
    uint8_t kind;  /* ir_kind */
    uint8_t tag;   /* ir_tag, scalars only */
    uint8_t style; /* ir_style */
    uint8_t flags;
    diag_pos pos;
    union {
        struct {
            const char *s; /* decoded text, NUL-terminated (binary: the decoded bytes) */
            size_t n;
            union {
                int64_t i;
                uint64_t u;
                double f;
                bool b;
            } v;
            const char *utag; /* explicit non-core tag as written (e.g. "!custom"), or NULL */
        } sc;
        struct {
            ir_pair *items;
            size_t n, cap;
            ir_map_index *idx;
        } map;
        struct {
            ir_node **items;
            size_t n, cap;
        } seq;
    };
};

ir_node *ir_scalar(arena *a, ir_tag tag, const char *s, size_t n, diag_pos pos);
ir_node *ir_str(arena *a, const char *s, diag_pos pos); /* plain string scalar */
ir_node *ir_map(arena *a, diag_pos pos);
ir_node *ir_seq(arena *a, diag_pos pos);
ir_node *ir_clone(arena *a, const ir_node *n);

/* Mapping operations; keys compare by their text. */
void ir_map_append(arena *a, ir_node *map, ir_node *key, ir_node *val); /* no duplicate check */
ir_pair *ir_map_find(const ir_node *map, const char *key, size_t keylen);
ir_node *ir_map_get(const ir_node *map, const char *key); /* value or NULL */
void ir_map_set(arena *a, ir_node *map, const char *key, ir_node *val);
bool ir_map_remove(ir_node *map, const char *key);
void ir_seq_append(arena *a, ir_node *seq, ir_node *item);

/* Scalar text of a node if it is a string scalar, else NULL. */
const char *ir_str_of(const ir_node *n);
/* Scalar text of map[key] if it is a non-empty string scalar, else NULL. */
const char *ir_get_str(const ir_node *map, const char *key);
/* Follows a path of map keys ("metadata", "name", NULL). */
ir_node *ir_get_path(const ir_node *n, const char *const *keys);

bool ir_equal(const ir_node *a, const ir_node *b);

/* ---- resource sets ---- */

typedef struct ir_id {
    const char *group, *version, *kind, *ns, *name; /* never NULL; "" when absent */
} ir_id;

typedef struct ir_res {
    ir_node *obj;
    ir_id id;
    diag_pos pos; /* where the document starts */
    void *fe;     /* the front end's private per-object state */
} ir_res;

typedef struct ir_resset {
    ir_res **items;
    size_t n, cap;
    /* open-addressing index of items by id */
    uint32_t *slots;
    size_t nslots;
} ir_resset;

void ir_resset_init(ir_resset *rs);
void ir_resset_free(ir_resset *rs); /* frees the index and item array, not the arena nodes */
/* Reads the id from obj; returns false (with a diagnostic) when apiVersion, kind or
 * metadata.name is missing or not a string. */
bool ir_res_make(arena *a, diag_ctx *d, ir_node *obj, diag_pos pos, ir_res **out);
/* Adds r; when an object with the same id is present returns it and adds nothing. */
ir_res *ir_resset_add(ir_resset *rs, ir_res *r);
ir_res *ir_resset_find(const ir_resset *rs, const ir_id *id);
/* Rebuilds the index after ids changed; returns an object whose id is not unique, or NULL. */
ir_res *ir_resset_reindex(ir_resset *rs);
/* Removes items[i] (order kept) / replaces the items with `items` (n of them). */
void ir_resset_remove_at(ir_resset *rs, size_t i);
/* Recomputes r->id from r->obj (after a transformer renamed it); false if it lost kind or name. */
bool ir_res_refresh_id(arena *a, ir_res *r);
/* "group/version, Kind=kind ns/name" style rendering for messages. */
const char *ir_id_str(arena *a, const ir_id *id);

#endif
