/* The Go text/template engine of kiln's Helm front end: Go values as Helm templates see them,
 * the function table's row type, parsing template files into a set and executing them, and
 * conversions between template values, the IR and YAML/JSON text.
 *
 * Ownership: every value, template and message lives in the arena given to tpl_set_new and is
 * freed with it. Values are immutable once built, except maps, which are shared by reference
 * like Go maps (Sprig's set/unset/merge mutate them in place). No global mutable state: the
 * function table is const. */
#ifndef KILN_TPL_H
#define KILN_TPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "util/util.h"

/* ---- values ---- */

/* The Go type of a value. Integer kinds are ordered: TPL_INT..TPL_INT64 signed (in .i),
 * TPL_UINT..TPL_UINT64 unsigned (in .u); use tpl_is_int / tpl_is_uint. */
typedef enum {
    TPL_NIL,  /* untyped nil: a nil interface{}, a missing value */
    TPL_BOOL, /* bool */
    TPL_INT,  /* int (64-bit, as on every platform Helm ships for) */
    TPL_INT8,
    TPL_INT16,
    TPL_INT32, /* int32 (also rune: 'a' in a template is an int32) */
    TPL_INT64,
    TPL_UINT,
    TPL_UINT8, /* uint8 (byte: `index "abc" 0`) */
    TPL_UINT16,
    TPL_UINT32,
    TPL_UINT64, /* uint64 (semver's Major/Minor/Patch) */
    TPL_FLOAT64,
    TPL_STRING, /* string: s/n, NUL-terminated, may hold NULs */
    TPL_BYTES,  /* []byte: s/n */
    TPL_LIST,   /* []interface{} (or another slice type named by tname) */
    TPL_MAP,    /* map[string]interface{} (or another map type named by its tname) */
    TPL_OBJ,    /* an opaque Go object: struct, pointer, time.Time, *semver.Version... */
} tpl_kind;

typedef struct tpl_val tpl_val;
typedef struct tpl_map tpl_map;
typedef struct tpl_type tpl_type;
typedef struct tpl_ctx tpl_ctx;

struct tpl_val {
    uint8_t kind; /* tpl_kind */
    union {
        bool b;
        int64_t i;  /* signed integer kinds */
        uint64_t u; /* unsigned integer kinds */
        double f;
        struct {
            const char *s;
            size_t n;
        } str; /* TPL_STRING, TPL_BYTES */
        struct {
            const tpl_val **items;
            size_t n;
            const char *tname; /* Go type name, NULL = "[]interface {}" (e.g. "[]string") */
        } list;
        tpl_map *map;
        struct {
            const tpl_type *type;
            void *p;
        } obj;
    };
};

/* A Go map with string keys: entries kept sorted by key bytes (Go prints and ranges over maps in
 * sorted key order); lookups by binary search. Shared by reference. */
struct tpl_map {
    const char **keys;
    size_t *klens;
    const tpl_val **vals;
    size_t n, cap;
    const char *tname;       /* Go type name, NULL = "map[string]interface {}" ("chartutil.Values",
                                "map[string]string") */
    const tpl_type *methods; /* a named map type's methods (Helm's files: .Files.Get), tried
                                before key lookup as Go does; NULL = none */
};

/* What an opaque object's hooks report. */
typedef enum {
    TPL_LOOKUP_NONE, /* no such field or method */
    TPL_LOOKUP_OK,   /* *out set */
    TPL_LOOKUP_ERR,  /* error set with tpl_errorf */
} tpl_lookup;

/* An opaque Go type: its names and how the engine reaches into it. Hooks may be NULL. */
struct tpl_type {
    const char *name; /* typeOf / %T: "*chart.Metadata", "time.Time", "*semver.Version" */
    const char *kind; /* kindOf: "ptr", "struct" */
    /* .Name on the object: a field (nargs 0) or a method call with evaluated args (Go's
     * method arguments follow the same conversion rules as function arguments: the hook checks
     * them). `is_method` tells the engine whether a field was found that cannot take args. */
    tpl_lookup (*get)(tpl_ctx *c, const tpl_val *self, const char *name, const tpl_val *const *args,
                      size_t nargs, const tpl_val **out);
    /* Go's Stringer (String() method; fmt uses it for %v %s %q %x): NULL = none. */
    void (*string)(const tpl_val *self, buf_t *out);
    /* %v without a Stringer (Go prints structs as {a b}, pointers to structs as &{a b}; for
     * kind "ptr" an action's output drops the leading '&' as Go's printableValue does). */
    void (*print)(const tpl_val *self, buf_t *out);
    /* Truth in if/with/and/or/not: NULL = true (non-nil pointer, struct). */
    bool (*truth)(const tpl_val *self);
    /* == for eq/ne and deep equality: NULL = identity of p. */
    bool (*equal)(const tpl_val *a, const tpl_val *b);
    /* What `range` iterates over for an object that is a Go map or slice underneath (Helm's
     * engine.files, common.VersionSet): a TPL_MAP or TPL_LIST. NULL = not rangeable. */
    const tpl_val *(*elems)(arena *a, const tpl_val *self);
};

/* Shared constants (static storage: never mutate them). */
const tpl_val *tpl_nil(void);
const tpl_val *tpl_bool(bool b);
const tpl_val *tpl_empty_str(void);

tpl_val *tpl_int(arena *a, int64_t i); /* Go int */
tpl_val *tpl_int64(arena *a, int64_t i);
tpl_val *tpl_intk(arena *a, tpl_kind k, int64_t i);   /* any signed kind */
tpl_val *tpl_uintk(arena *a, tpl_kind k, uint64_t u); /* any unsigned kind */
tpl_val *tpl_float(arena *a, double f);
tpl_val *tpl_str(arena *a, const char *s, size_t n);     /* copies */
tpl_val *tpl_cstr(arena *a, const char *s);              /* copies */
tpl_val *tpl_str_ref(arena *a, const char *s, size_t n); /* borrows s (must outlive the arena
                                                            and be NUL-terminated at n) */
tpl_val *tpl_str_buf(arena *a, buf_t *b);                /* copies b's bytes; b unchanged */
tpl_val *tpl_bytes(arena *a, const char *s, size_t n);   /* copies */
/* A list taking `items` (arena memory, not copied); tname NULL = []interface {}. */
tpl_val *tpl_list(arena *a, const tpl_val **items, size_t n, const char *tname);
tpl_val *tpl_obj(arena *a, const tpl_type *t, void *p);

/* A new empty map value (tname NULL = map[string]interface {}). */
tpl_val *tpl_map_new(arena *a, const char *tname);
/* Entry lookup: the value, or NULL when the key is absent (a present nil is tpl_nil()). */
const tpl_val *tpl_map_get(const tpl_map *m, const char *key, size_t klen);
const tpl_val *tpl_map_getz(const tpl_map *m, const char *key);
/* Inserts or replaces; the key is copied. */
void tpl_map_set(arena *a, tpl_map *m, const char *key, size_t klen, const tpl_val *v);
void tpl_map_setz(arena *a, tpl_map *m, const char *key, const tpl_val *v);
bool tpl_map_del(tpl_map *m, const char *key, size_t klen);
/* A shallow copy (new map, same values): Sprig's dict/copy semantics. */
tpl_map *tpl_map_copy(arena *a, const tpl_map *m);

static inline bool tpl_is_int(const tpl_val *v)
{
    return v->kind >= TPL_INT && v->kind <= TPL_INT64;
}
static inline bool tpl_is_uint(const tpl_val *v)
{
    return v->kind >= TPL_UINT && v->kind <= TPL_UINT64;
}
static inline bool tpl_is_integer(const tpl_val *v)
{
    return tpl_is_int(v) || tpl_is_uint(v);
}

/* typeOf / %T: "float64", "int", "int64", "string", "bool", "map[string]interface {}",
 * "[]interface {}", "[]uint8", "<nil>", or the object's type name. */
const char *tpl_type_name(const tpl_val *v);
/* kindOf (reflect.Kind): "int", "int64", "float64", "string", "bool", "map", "slice", "ptr",
 * "struct", "invalid" for nil. */
const char *tpl_kind_name(const tpl_val *v);
/* Go template truth: false, 0, nil, empty string/list/map are false; objects use their hook. */
bool tpl_truth(const tpl_val *v);
/* reflect.DeepEqual (used by Sprig's has, without, uniq...); kinds must match exactly. */
bool tpl_deep_equal(const tpl_val *a, const tpl_val *b);

/* ---- Go's fmt (fmt.c) ---- */

/* fmt.Sprint: operands' %v forms, a space between two operands when neither is a string. */
void tpl_sprint(buf_t *out, const tpl_val *const *args, size_t n);
/* fmt.Sprintln: operands joined by spaces, then a newline. */
void tpl_sprintln(buf_t *out, const tpl_val *const *args, size_t n);
/* fmt.Sprintf with Go's verbs, flags, width/precision (incl. `*`), argument indexes and its
 * in-band error forms (%!d(string=x), %!(EXTRA ...), %!v(MISSING)). */
void tpl_sprintf(buf_t *out, const char *fmt, size_t fmtlen, const tpl_val *const *args, size_t n);
/* %v of one value (fmt.Sprint(v)): 1e+06, map[a:1 b:2], [a b], <nil>. */
void tpl_print(buf_t *out, const tpl_val *v);
/* Go's strconv.FormatFloat(f, fmt, prec, 64) for fmt in 'e' 'E' 'f' 'g' 'G' (prec -1 =
 * shortest round-trip). */
void tpl_format_float(buf_t *out, double f, char fmt, int prec);

/* ---- functions ---- */

/* A template function: evaluated arguments (already checked against `sig` and converted),
 * the result in *out (never NULL on success; tpl_nil() for a nil interface). On failure call
 * tpl_errorf and return false: the engine reports `error calling NAME: MESSAGE`. */
typedef bool (*tpl_fn)(tpl_ctx *c, const tpl_val *const *args, size_t nargs, const tpl_val **out);

/* Parameter signature, one character per Go parameter type; the engine checks counts and types
 * the way text/template does ("wrong number of args for X: want N got M", "wrong type for
 * value; expected string; got int") and converts number/string/bool literals to the parameter
 * type:
 *   v interface{}   s string   b bool   i int   I int64   f float64
 *   l []interface{} m map[string]interface{}   B []byte   S []string
 *   a trailing '*' makes the last parameter variadic ("sv*" = string, ...interface{}).
 * NULL sig: any number of interface{} arguments. */
typedef struct tpl_fn_def {
    const char *name;
    tpl_fn fn;
    const char *sig;
    uint8_t flags; /* TPL_FN_* */
} tpl_fn_def;

enum {
    TPL_FN_SPECIAL = 1, /* evaluated by the engine itself (and, or: short-circuit); fn NULL */
    TPL_FN_RAW = 2,     /* receives arguments unconverted, like Go's reflect.Value parameters
                           (eq, lt, index...): a missing value arrives as NULL, a nil
                           interface{} from a map as tpl_nil() */
};

/* Arguments of non-raw functions: a missing or nil value arrives as tpl_nil() for interface{},
 * list and map parameters (a nil map: functions that write to it must fail like Go's
 * "assignment to entry in nil map"); for string/int/float/bool parameters the engine reports
 * Go's "wrong type for value; expected string; got interface {}" before the call. */

/* The one table (builtins.c) and its length; names are unique. */
extern const tpl_fn_def tpl_builtins[];
extern const size_t tpl_nbuiltins;
/* The row named `name`, or NULL. */
const tpl_fn_def *tpl_fn_find(const char *name, size_t n);

/* ---- what a function may ask of the engine ---- */

/* The run's options and arena. */
typedef struct tpl_opts tpl_opts;
arena *tpl_arena(tpl_ctx *c);
const tpl_opts *tpl_options(tpl_ctx *c);
/* Sets the call's error message (Go's err.Error()) and returns false. */
bool tpl_errorf(tpl_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Executes the named template of the current set with dot = data into out (include). */
bool tpl_call_template(tpl_ctx *c, const char *name, const tpl_val *data, buf_t *out);
/* A function stores into a map it did not create (see tpl_exec_stored). */
void tpl_note_store(tpl_ctx *c);

/* ---- the engine ---- */

struct tpl_opts {
    bool missingkey_error; /* missingkey=error (Helm's strict mode); default missingkey=zero */
    int max_include_depth; /* nested include/template calls; 0 = 1000 (Helm's limit) */
    int max_tpl_depth;     /* nested tpl calls; 0 = 1000 */
    size_t max_output;     /* bytes one execution may write; 0 = 256 MiB */
    uint64_t max_steps;    /* nodes executed per set before "step limit" errors; 0 = 200M */
    size_t max_stack;      /* C stack bytes an execution may use (nesting guard); 0 = 6 MiB, for
                              callers on the main thread or threads with >= 8 MiB stacks */
    bool now_fixed;        /* `now` returns now_sec/now_nsec (tests) instead of the clock */
    int64_t now_sec;
    int32_t now_nsec;
    uint64_t rand_seed; /* randAlphaNum & co when deterministic output is asked (0 = entropy) */
    void *user;         /* the chart front end's data, for its objects' hooks */
};

typedef struct tpl_set tpl_set;

/* An engine error: Helm's message as `helm template` prints it after "Error: " (e.g.
 * `template: chart/templates/x.yaml:3:12: executing "chart/templates/x.yaml" at
 * <.Values.x.y>: nil pointer evaluating interface {}.y`), and where it happened. */
typedef struct tpl_error {
    const char *msg;
    diag_pos pos;
} tpl_error;

/* A set of named templates (one per chart render: every file's templates and defines). */
tpl_set *tpl_set_new(arena *a, const tpl_opts *opts);
/* Parses one file's text as the template `name` (e.g. "chart/templates/x.yaml"; `file` is its
 * diag file id for positions), adding its define/block templates to the set; a later definition
 * of a name replaces an earlier one as in Go. False with tpl_last_error set on a syntax error. */
bool tpl_parse(tpl_set *s, const char *name, const char *text, size_t n, uint32_t file);
/* Is a template of that name defined (and non-empty, as Go's lookup sees it)? */
bool tpl_has(const tpl_set *s, const char *name);
/* Executes template `name` with dot = `dot`, appending to out. False with tpl_last_error set on
 * an error (out then holds the partial output). */
bool tpl_exec(tpl_set *s, const char *name, const tpl_val *dot, buf_t *out);
/* Where executions allocate: `exec` (e.g. one template's scratch arena, emptied after it) or,
 * with NULL, the set's own arena again. Switching clears tpl_exec_stored. */
void tpl_set_exec_arena(tpl_set *s, arena *exec);
/* Did an execution since the last switch store values into maps it did not create (set,
 * unset, merge)? Then what it allocated must live as long as the set. */
bool tpl_exec_stored(const tpl_set *s);
const tpl_error *tpl_last_error(const tpl_set *s);
/* Helm's rewriting of engine errors for `helm template` output: parse errors become
 * "parse error at (file:line): msg"; exec errors from required/fail become
 * "execution error at (file:line:col): msg"; others stay as they are. */
const char *tpl_helm_parse_error(arena *a, const char *filename, const char *msg);
const char *tpl_helm_exec_error(arena *a, const char *filename, const char *msg);
/* Sets user data / options after creation (the chart front end's per-render state). */
tpl_opts *tpl_set_opts(tpl_set *s);

/* ---- conversions ---- */

enum {
    TPL_IR_FLOAT = 1, /* every number becomes float64 (values files, fromYaml/fromJson: they go
                         through encoding/json) */
    TPL_IR_INT64 = 2, /* integers become int64, others float64 (--set) */
    /* neither: integers become int, floats float64 (YAML decoded straight into interface{}) */
};
/* An IR value tree as a template value: maps (string keys; others as their text), lists,
 * scalars by tag, null as nil; binary stays text; timestamps become RFC 3339 strings with
 * TPL_IR_FLOAT (time.Time through encoding/json, as Helm's values see them), else their text.
 * NULL node: nil. */
const tpl_val *tpl_from_ir(arena *a, const ir_node *n, unsigned flags);
/* A template value as an IR tree, the way sigs.k8s.io/yaml sees it after its JSON round trip:
 * integral floats below 1e21 become ints, []byte becomes base64 text, objects their JSON form.
 * False (with *err) when a value cannot be encoded (NaN, +Inf, functions). */
bool tpl_to_ir(arena *a, const tpl_val *v, diag_pos pos, ir_node **out, const char **err);
/* Helm's toYaml (sigs.k8s.io/yaml.Marshal: JSON round trip, go-yaml v2 writer) without the
 * trailing newline trim (toYaml trims it itself); false with *err. */
bool tpl_to_yaml(arena *a, const tpl_val *v, buf_t *out, const char **err);
/* encoding/json.Marshal (indent > 0: MarshalIndent with that many spaces). */
bool tpl_to_json(arena *a, const tpl_val *v, int indent, buf_t *out, const char **err);
/* sigs.k8s.io/yaml.Unmarshal into interface{} (numbers float64); false with *err (Helm's text). */
bool tpl_from_yaml(arena *a, const char *text, size_t n, const tpl_val **out, const char **err);

/* ---- Masterminds semver outside templates (sprig_semver.c) ---- */

/* True when v parses as a version (semver.NewVersion: "v" prefix and short forms allowed). */
bool tpl_semver_valid(arena *a, const char *v);
/* semver.NewConstraint(range).Check(NewVersion(version)) into *res; false with *err when
 * either does not parse. */
bool tpl_semver_satisfies(arena *a, const char *range, const char *version, bool *res,
                          const char **err);
/* Version precedence of x and y (<0, 0, >0); a version that does not parse sorts first. */
int tpl_semver_order(arena *a, const char *x, const char *y);

#endif
