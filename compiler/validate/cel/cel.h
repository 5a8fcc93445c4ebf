/* The CEL evaluator's interface: values, environments, parsing and evaluation of one
 * expression, the function table's row type, and conversions to and from the IR and JSON.
 *
 * Ownership: everything (programs, values, messages) lives in the environment's arena; values
 * are immutable once built and may be shared. No global state: the function table is const. */
#ifndef KILN_CEL_H
#define KILN_CEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/ir.h"
#include "util/util.h"

typedef enum {
    CEL_NULL,
    CEL_BOOL,
    CEL_INT,
    CEL_UINT,
    CEL_DOUBLE,
    CEL_STRING, /* UTF-8, s/n */
    CEL_BYTES,  /* s/n */
    CEL_LIST,
    CEL_MAP,
    CEL_TYPE,      /* a type value: name ("int", "list", "google.protobuf.Timestamp") */
    CEL_DURATION,  /* sec + nsec, same sign */
    CEL_TIMESTAMP, /* seconds since the Unix epoch + nsec in [0, 1e9) */
    CEL_OPTIONAL,  /* opt: the value, or NULL for optional.none() */
    CEL_ERROR,     /* an evaluation error travelling as a value (CEL's error semantics) */
    CEL_OPAQUE,    /* a library object: Kubernetes quantity, URL, IP, CIDR, compiled regex */
} cel_kind;

typedef struct cel_val cel_val;
typedef struct cel_opaque_type cel_opaque_type;

struct cel_val {
    uint8_t kind; /* cel_kind */
    union {
        bool b;
        int64_t i;
        uint64_t u;
        double d;
        struct {
            const char *s; /* NUL-terminated for convenience; may hold NULs for bytes */
            size_t n;
        } str;
        struct {
            cel_val **items;
            size_t n;
        } list;
        struct {
            cel_val **keys, **vals; /* keys: bool, int, uint or string; no duplicates */
            size_t n;
            void *idx; /* evaluator's lookup index for large maps, or NULL */
        } map;
        struct {
            const char *name;
        } type;
        struct {
            int64_t sec;
            int32_t nsec;
        } time; /* CEL_DURATION and CEL_TIMESTAMP */
        const cel_val *opt;
        struct {
            const char *msg;
        } err;
        struct {
            const cel_opaque_type *type;
            const void *p;
        } opaque;
    };
};

/* A library object's type: its CEL type name and how it compares and prints. */
struct cel_opaque_type {
    const char *name;                                  /* "kubernetes.Quantity", "net.IP" */
    bool (*equal)(const cel_val *a, const cel_val *b); /* NULL: identity */
    void (*print)(buf_t *out, const cel_val *v);       /* CEL value syntax, for kiln cel */
};

typedef struct cel_env cel_env;
typedef struct cel_prog cel_prog;
typedef struct cel_act cel_act;

/* A parse or evaluation error: message and 1-based position inside the expression text
 * (line 1 for one-line expressions; 0 when unknown). */
typedef struct cel_err {
    const char *msg;
    uint32_t line, col;
} cel_err;

/* One evaluation context: arena, cost limit (0 = none), the clock for now() if any. */
cel_env *cel_env_new(arena *a, uint64_t cost_limit);
arena *cel_env_arena(cel_env *e);
/* Name-resolution container ("com.example": `x` also tries com.example.x, com.x), default "". */
void cel_env_set_container(cel_env *e, const char *container);
/* Macro expansion at parse time (has, all, exists, map, filter...): on by default. */
void cel_env_set_macros(cel_env *e, bool on);

/* Parses (and expands macros in) one expression; NULL with *err filled on a syntax error. */
cel_prog *cel_parse(cel_env *e, const char *src, size_t n, cel_err *err);

/* Variables visible to an evaluation; a child activation sees its parent's names. */
cel_act *cel_act_new(cel_env *e, const cel_act *parent);
void cel_act_bind(cel_act *act, const char *name, const cel_val *v);
/* Evaluates prog; returns a value, or a CEL_ERROR value (err filled with its message and the
 * position of the failing sub-expression). Never NULL. Cost beyond the limit is an error. */
const cel_val *cel_eval(cel_env *e, const cel_prog *prog, const cel_act *act, cel_err *err);

/* ---- values ---- */
const cel_val *cel_null(void);
const cel_val *cel_bool(bool b);
cel_val *cel_int(cel_env *e, int64_t i);
cel_val *cel_uint(cel_env *e, uint64_t u);
cel_val *cel_double(cel_env *e, double d);
cel_val *cel_string(cel_env *e, const char *s, size_t n);               /* copies */
cel_val *cel_bytes(cel_env *e, const char *s, size_t n);                /* copies */
cel_val *cel_list(cel_env *e, cel_val **items, size_t n);               /* takes the array */
cel_val *cel_map(cel_env *e, cel_val **keys, cel_val **vals, size_t n); /* takes the arrays */
cel_val *cel_errorf(cel_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
cel_val *cel_opaque(cel_env *e, const cel_opaque_type *t, const void *p);
/* map[key] or NULL when absent. */
const cel_val *cel_map_get(const cel_val *map, const cel_val *key);
const cel_val *cel_map_get_str(const cel_val *map, const char *key);
/* CEL equality (heterogeneous numeric equality as cel-spec defines it). */
bool cel_equal(const cel_val *a, const cel_val *b);
const char *cel_type_name(const cel_val *v);

/* An IR node (a rendered object or part of it) as a CEL value: maps with string keys, lists,
 * scalars by their resolved tag (int, double, bool, null, string). NULL node: CEL null. */
const cel_val *cel_from_ir(cel_env *e, const ir_node *n);
/* CEL value syntax, as `kiln cel` prints results: 1, 2u, 1.5, "s", b"..", [..], {..}. */
void cel_print(buf_t *out, const cel_val *v);
/* The typed JSON encoding of run-cel.sh ({"int": "1"}, {"list": [..]}...). */
void cel_to_json(buf_t *out, const cel_val *v);
/* Decodes that encoding from an IR node (parsed JSON); NULL with *err on a malformed value. */
const cel_val *cel_from_json(cel_env *e, const ir_node *n, const char **err);

/* ---- the function table (builtins.c: every function one row, library by library) ---- */

/* A call's context: the environment, for allocation and errors. Arguments are evaluated
 * (never CEL_ERROR: errors propagate before the call), receiver first for method calls. */
typedef const cel_val *(*cel_fn)(cel_env *e, const cel_val *const *args, size_t nargs);

typedef struct cel_fn_def {
    const char *name; /* "size", "startsWith", "strings.quote", "quantity", "isSorted" */
    uint8_t style;    /* CEL_FN_GLOBAL f(x), CEL_FN_METHOD x.f(), or both */
    int8_t nargs;     /* argument count including the receiver; -1 any */
    cel_fn fn;        /* checks the argument types itself: "no such overload" error else */
} cel_fn_def;

enum { CEL_FN_GLOBAL = 1, CEL_FN_METHOD = 2 };

/* The table and its length (builtins.c); several rows may share a name (different nargs). */
extern const cel_fn_def cel_builtins[];
extern const size_t cel_nbuiltins;

/* Adds to the evaluation's cost (for library functions whose work grows with their input:
 * charge about one unit per 64 bytes or 16 elements built); false once over the limit (then
 * return an error value: the evaluation ends with "cost limit exceeded" anyway). */
bool cel_cost_add(cel_env *e, uint64_t units);

/* "no such overload" error value for a call with unexpected argument types. */
const cel_val *cel_no_overload(cel_env *e, const char *fn, const cel_val *const *args,
                               size_t nargs);

#endif
