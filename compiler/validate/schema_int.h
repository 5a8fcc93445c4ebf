/* The schema validator's private interface: the compiled schema form (one flat blob of 32-bit
 * offsets, the same bytes in memory and in the cache file), its builder, the source loader and
 * the cache.
 *
 * Ownership: a blob owns its bytes (malloc'd, or an mmap of the cache file) until sc_blob_free;
 * records and strings are read in place through offsets, never copied. */
#ifndef KILN_SCHEMA_INT_H
#define KILN_SCHEMA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "validate/validate.h"

#define SC_MAGIC 0x4843534bu /* "KSCH" read as a little-endian u32 */
#define SC_VERSION 1u

/* Value types a schema allows (bitmask; 0 = any). */
enum {
    SC_T_OBJECT = 1,
    SC_T_ARRAY = 2,
    SC_T_STRING = 4,
    SC_T_INTEGER = 8,
    SC_T_NUMBER = 16, /* integers are numbers too */
    SC_T_BOOLEAN = 32,
    SC_T_NULL = 64,
};

/* Record flags. */
enum {
    SC_F_NULLABLE = 1 << 0,
    SC_F_PRESERVE = 1 << 1,   /* x-kubernetes-preserve-unknown-fields */
    SC_F_EMBEDDED = 1 << 2,   /* x-kubernetes-embedded-resource */
    SC_F_ADDL_FALSE = 1 << 3, /* additionalProperties: false */
    SC_F_ADDL_TRUE = 1 << 4,  /* additionalProperties: true (or an empty schema) */
    SC_F_LIST_SET = 1 << 5,
    SC_F_LIST_MAP = 1 << 6,
    SC_F_SOFT_LIST = 1 << 7, /* built-in kind: duplicates are a warning (the server accepts them) */
    SC_F_MIN = 1 << 8,
    SC_F_MAX = 1 << 9,
    SC_F_XMIN = 1 << 10, /* exclusive */
    SC_F_XMAX = 1 << 11,
    SC_F_OPEN = 1 << 12, /* patternProperties or similar: unknown fields cannot be judged */
};

typedef enum {
    SC_FMT_NONE,
    SC_FMT_INT32,
    SC_FMT_INT64,
    SC_FMT_DATETIME,
    SC_FMT_DATE,
    SC_FMT_BYTE,
    SC_FMT_QUANTITY,
    SC_FMT_UUID,
    SC_FMT_IPV4,
    SC_FMT_IPV6,
    SC_FMT_CIDR,
} sc_format;

/* Length-like limits; -1 when absent. */
typedef struct sc_nums {
    double min, max;
    int64_t minlen, maxlen, minitems, maxitems, minprops, maxprops;
} sc_nums;

/* One schema. Offsets are from the start of the blob; 0 means absent. Lists are a u32 count
 * followed by the entries: node lists and string lists one u32 each, property tables
 * (name, node) pairs sorted by name, enum lists (kind, text) pairs. Strings are NUL-terminated
 * with their u32 length just before them. */
typedef struct sc_rec {
    uint32_t types, flags, format;
    uint32_t ref; /* a pending $ref: slot index + 1 (every other field empty) */
    uint32_t props, required, addl, items;
    uint32_t allof, anyof, oneof, not_;
    uint32_t enumv, pattern, mapkeys, nums;
    uint32_t dflt; /* a scalar default: one (kind, text) pair like an enum entry */
} sc_rec;

typedef enum { SC_EV_NULL, SC_EV_BOOL, SC_EV_NUMBER, SC_EV_STRING } sc_evkind;

/* GVK table entry; sorted by (group, version, kind) for exact entries. */
enum {
    SC_G_FUZZY = 1, /* from a kubeconform file name: kind case-insensitive, group is its
                       first dotted component */
    SC_G_CRD = 2,   /* from a CRD: metadata is checked against ObjectMeta when known */
};
/* The reserved entry under which an OpenAPI document's ObjectMeta is kept. */
#define SC_META_GROUP "meta.kiln.dev"
#define SC_META_VERSION "v1"
#define SC_META_KIND "ObjectMeta"
typedef struct sc_gvk {
    uint32_t group, version, kind, node, flags, pad;
} sc_gvk;

typedef struct sc_header {
    uint32_t magic, version;
    uint64_t key;                 /* XXH3-64 of the inputs (see sc_sources_key) */
    uint64_t sum;                 /* XXH3-64 of every byte after the header */
    uint64_t size;                /* the whole blob */
    uint32_t gvks, ngvks, nexact; /* exact entries first, fuzzy ones after */
    uint32_t slots, nslots;
    uint32_t nfiles;
} sc_header;

typedef struct sc_blob {
    const uint8_t *data;
    size_t size;
    bool mapped;
} sc_blob;

static inline const sc_header *sc_hdr(const sc_blob *b)
{
    return (const sc_header *)(const void *)b->data;
}
static inline const sc_rec *sc_node(const sc_blob *b, uint32_t off)
{
    return (const sc_rec *)(const void *)(b->data + off);
}
static inline const uint32_t *sc_list(const sc_blob *b, uint32_t off)
{
    return (const uint32_t *)(const void *)(b->data + off);
}
static inline const char *sc_str(const sc_blob *b, uint32_t off)
{
    return (const char *)b->data + off;
}
static inline uint32_t sc_strlen(const sc_blob *b, uint32_t off)
{
    return sc_list(b, off - 4)[0];
}
/* The node a record stands for once pending $refs are followed (NULL for a broken chain). */
const sc_rec *sc_resolve(const sc_blob *b, const sc_rec *r);
/* The table entry of an object kind, or NULL; sc_blob_find: its root schema, or 0. */
const sc_gvk *sc_blob_entry(const sc_blob *b, const char *group, const char *version,
                            const char *kind);
uint32_t sc_blob_find(const sc_blob *b, const char *group, const char *version, const char *kind);
void sc_blob_free(sc_blob *b);

/* ---- builder (schema_blob.c) ---- */

typedef struct sc_build sc_build;
/* want(ctx, group, version, kind): compile this kind's schema? (kind NULL: any kind of that
 * group/version). A NULL function: every kind. */
typedef bool (*sc_want_fn)(void *ctx, const char *group, const char *version, const char *kind);

sc_build *sc_build_new(sc_want_fn want, void *want_ctx);
/* Adds the schemas of one parsed document (an OpenAPI v2/v3 document, a JSON schema, a CRD or
 * a List of CRDs); `name` is the file path (kubeconform file names give a JSON schema its kind).
 * soft: built-in kinds (list-map duplicates are warnings). Returns the kinds it supplied; a
 * kind already supplied keeps its first schema. */
size_t sc_build_add_doc(sc_build *bd, diag_ctx *d, const ir_node *doc, const char *name, bool soft);
/* Adds one CRD object (any served version with a schema). */
size_t sc_build_add_crd(sc_build *bd, const ir_node *crd);
/* Adds one schema as the root of group/version/kind (tests). */
void sc_build_add_root(sc_build *bd, const ir_node *schema, const char *group, const char *version,
                       const char *kind, bool soft);
bool sc_build_has(const sc_build *bd, const char *group, const char *version, const char *kind);
size_t sc_build_kinds(const sc_build *bd);
/* Finishes the blob (header with key) and frees the builder. */
void sc_build_finish(sc_build *bd, uint64_t key, uint32_t nfiles, sc_blob *out);

/* ---- sources (schema_load.c) ---- */

typedef struct sc_file {
    char *path;  /* as given or joined below a directory */
    char *rel;   /* relative to its source argument (the argument itself for a file) */
    size_t size; /* bytes */
    char *text;  /* read by sc_sources_scan, NUL-terminated; freed by sc_sources_free */
} sc_file;

typedef struct sc_sources {
    sc_file *files;
    size_t n, cap;
    uint64_t key;  /* XXH3-64 over the format version and each file's path and stat data */
    size_t parsed; /* files sc_sources_compile read (the others were not wanted) */
} sc_sources;

/* Walks the --schema arguments (directories recursively: files before subdirectories, each
 * sorted; *.json, *.yaml, *.yml, hidden entries skipped) and computes the key from each file's
 * absolute path, device, inode, size, mtime and ctime (no file is read). False after a
 * diagnostic (a missing argument). */
bool sc_sources_scan(diag_ctx *d, const char *const *args, size_t nargs, sc_sources *out);
/* Parses every file and adds its schemas; a file of the OpenAPI layout api/v1.json or
 * apis/G/V.json is skipped when want(ctx, G, V, NULL) says no. False after diagnostics (a file
 * that is not valid JSON or YAML); texts that diagnostics point into are copied into keep. */
bool sc_sources_compile(diag_ctx *d, arena *keep, sc_sources *s, sc_build *bd, sc_want_fn want,
                        void *ctx);
void sc_sources_free(sc_sources *s);

/* ---- cache (schema_cache.c) ---- */

/* The cache directory: dir when non-NULL and non-empty, else $XDG_CACHE_HOME/kiln/schemas or
 * $HOME/.cache/kiln/schemas; NULL when dir is "" (no cache) or no home is known. malloc'd. */
char *sc_cache_dir(const char *dir);
/* DIR/<16 hex digits of key>.kschema, malloc'd. */
char *sc_cache_path(const char *dir, uint64_t key);
/* Maps the cache file for key when it exists and its header (magic, version, key, size and
 * checksum) is right; false otherwise (no diagnostic: the caller parses instead). */
bool sc_cache_load(const char *path, uint64_t key, sc_blob *out);
/* Writes the blob atomically (temporary file + rename), creating the directory. */
bool sc_cache_write(diag_ctx *d, const char *dir, const char *path, const sc_blob *b);

/* ---- formats (schema_fmt.c) ---- */

bool sc_fmt_quantity(const char *s, size_t n);
bool sc_fmt_datetime(const char *s, size_t n);
bool sc_fmt_date(const char *s, size_t n);
bool sc_fmt_base64(const char *s, size_t n);
bool sc_fmt_uuid(const char *s, size_t n);
bool sc_fmt_ipv4(const char *s, size_t n);
bool sc_fmt_ipv6(const char *s, size_t n);
bool sc_fmt_cidr(const char *s, size_t n);
const char *sc_fmt_name(sc_format f);

/* ---- validation (schema.c) ---- */

/* A validation run: options, the report and a cache of compiled patterns. */
typedef struct sc_vrun sc_vrun;
sc_vrun *sc_vrun_new(arena *a, vd_report *r, bool strict);
/* Validates one object against the root schema at `root` of blob b. */
void sc_vrun_object(sc_vrun *v, const sc_blob *b, uint32_t root, const ir_res *res);
/* Validates the object's field `key` against the schema at `root` of blob b. */
void sc_vrun_field(sc_vrun *v, const sc_blob *b, uint32_t root, const ir_res *res, const char *key);
void sc_vrun_free(sc_vrun *v);

#endif
