/* The CEL evaluator's private header: the environment, the syntax tree the parser builds and
 * the evaluator walks, and helpers shared by the evaluator's files (times, numbers, text). */
#ifndef KILN_CEL_INT_H
#define KILN_CEL_INT_H

#include "validate/cel/cel.h"

/* ---- environment ---- */

typedef struct cel_fn_index cel_fn_index;
typedef struct cel_tz cel_tz;

struct cel_env {
    arena *a;
    uint64_t cost_limit, cost;
    const char *container; /* "" or "a.b.c": namespace for name resolution */
    bool no_macros;
    cel_fn_index *fidx; /* built on first call lookup */
    cel_tz *tzs;        /* time zones read so far (this env's cache) */
};

/* ---- syntax tree ---- */

typedef enum {
    CEL_N_LIT,    /* lit */
    CEL_N_IDENT,  /* name (leading '.' kept for absolute names) */
    CEL_N_SELECT, /* a.name; opt: a.?name; test: has(a.name) */
    CEL_N_CALL,   /* name(args) or recv.name(args): recv is args[0] when method */
    CEL_N_LIST,   /* [args]; optional elements flagged in optmask */
    CEL_N_MAP,    /* {keys: vals}; optional entries flagged */
    CEL_N_STRUCT, /* Name{f: v}: evaluates to an error (no message types) */
    CEL_N_COMP,   /* comprehension (macro expansion) */
} cel_node_kind;

typedef struct cel_node cel_node;
struct cel_node {
    uint8_t kind;
    bool method; /* CALL: receiver style */
    bool opt;    /* SELECT: .?f */
    bool test;   /* SELECT: has() */
    uint32_t line, col;
    const cel_val *lit;
    const char *name; /* IDENT, SELECT field, CALL function, STRUCT type */
    cel_node **args;  /* CALL args (receiver first), LIST items, MAP keys, STRUCT values */
    cel_node **vals;  /* MAP values */
    bool *optf;       /* LIST/MAP: per element "optional" flag, or NULL */
    size_t n;
    /* CEL_N_COMP: a fold over range with one or two iteration variables */
    struct {
        const char *iter, *iter2, *accu;
        cel_node *range, *init, *cond, *step, *result;
    } comp;
};

struct cel_prog {
    cel_node *root;
    const char *src;
    size_t n;
};

/* Parser context (grammar/cel.y): source text, the tree under construction, errors. */
typedef struct cel_parse_ctx {
    cel_env *e;
    const char *src;
    size_t n;
    cel_node *root;
    cel_err err; /* first error */
    bool failed;
    int depth; /* nesting depth of the parser */
    void *scanner;
    size_t next_id; /* for macro accumulator names */
} cel_parse_ctx;

/* Builders called from the grammar's actions (parse.c). */
cel_node *cel_n_new(cel_parse_ctx *p, int kind, uint32_t line, uint32_t col);
cel_node *cel_n_call(cel_parse_ctx *p, const char *fn, cel_node **args, size_t n, uint32_t line,
                     uint32_t col);
cel_node *cel_n_unary(cel_parse_ctx *p, const char *fn, cel_node *a, uint32_t line, uint32_t col);
cel_node *cel_n_binary(cel_parse_ctx *p, const char *fn, cel_node *a, cel_node *b, uint32_t line,
                       uint32_t col);
cel_node *cel_n_method(cel_parse_ctx *p, cel_node *recv, const char *fn, cel_node **args, size_t n,
                       uint32_t line, uint32_t col);
void cel_parse_error(cel_parse_ctx *p, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Expands a macro call if fn/args name one; returns the call unchanged otherwise. */
cel_node *cel_macro_expand(cel_parse_ctx *p, cel_node *call);

/* ---- values (value.c) ---- */

cel_val *cel_val_new(cel_env *e, cel_kind k);
cel_val *cel_type(cel_env *e, const char *name);
cel_val *cel_duration(cel_env *e, int64_t sec, int32_t nsec);
cel_val *cel_timestamp(cel_env *e, int64_t sec, int32_t nsec);
cel_val *cel_optional(cel_env *e, const cel_val *v); /* v NULL: none */
/* Numeric comparison across int/uint/double: -1, 0, 1, or 2 when unordered (NaN). */
int cel_num_cmp(const cel_val *a, const cel_val *b);
bool cel_is_num(const cel_val *v);
/* Orders two values of a comparable type (numbers, strings, bytes, bools, times): -1/0/1,
 * 2 when unordered, 3 when the types cannot be compared. */
int cel_compare(const cel_val *a, const cel_val *b);
/* Shortest text that reads back as the same double ("1.5", "1e+100", "NaN"). */
void cel_fmt_double(buf_t *out, double d, bool cel_syntax);

/* ---- times (time.c) ---- */

#define CEL_TS_MIN (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define CEL_TS_MAX 253402300799LL   /* 9999-12-31T23:59:59Z */
#define CEL_DUR_MAX 315576000000LL  /* 10000 years in seconds, protobuf's limit */

bool cel_ts_parse(const char *s, size_t n, int64_t *sec, int32_t *nsec);
void cel_ts_format(buf_t *out, int64_t sec, int32_t nsec);
bool cel_dur_parse(const char *s, size_t n, int64_t *sec, int32_t *nsec);
void cel_dur_format(buf_t *out, int64_t sec, int32_t nsec);
/* Splits a timestamp in zone tz ("" UTC, "+05:30", "America/New_York"); false: unknown zone. */
typedef struct cel_civil {
    int64_t year;
    int month, day, hour, min, sec, wday, yday; /* month 1..12, day 1..31, wday 0 = Sunday */
    int32_t nsec;
} cel_civil;
bool cel_ts_civil(cel_env *e, int64_t sec, int32_t nsec, const char *tz, cel_civil *out);
/* Times as nanosecond counts for arithmetic, and back (an error value when out of range). */
__extension__ typedef __int128 cel_i128;
static inline cel_i128 cel_time_ns(const cel_val *v)
{
    return (cel_i128)v->time.sec * 1000000000 + v->time.nsec;
}
const cel_val *cel_ts_from_ns(cel_env *e, cel_i128 ns);
const cel_val *cel_dur_from_ns(cel_env *e, cel_i128 ns);

/* ---- text ---- */

/* Appends a CEL/JSON quoted string. */
void cel_quote(buf_t *out, const char *s, size_t n, bool json);
/* base64 (standard alphabet, padded); decode accepts missing padding. */
void cel_b64_encode(buf_t *out, const unsigned char *p, size_t n);
bool cel_b64_decode(buf_t *out, const char *s, size_t n);

/* ---- function lookup (eval.c) ---- */
const cel_fn_def *cel_fn_find(cel_env *e, const char *name, size_t nargs, int style);

#endif
