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
    void *regexes;      /* compiled regular expressions (lib_core.c's cache) */
};

/* ---- syntax tree ---- */

#define CEL_MAX_DEPTH 250 /* nesting of brackets and of the tree the parser builds */

typedef enum {
    CEL_N_LIT,    /* lit */
    CEL_N_IDENT,  /* name; absolute: written with a leading '.' */
    CEL_N_SELECT, /* args[0].name; opt: args[0].?name; test: has(args[0].name) */
    CEL_N_CALL,   /* name(args) or, method, args[0].name(args[1..]); op: an operator */
    CEL_N_LIST,   /* [args], optf[i]: element written [?e] */
    CEL_N_MAP,    /* {args[i]: vals[i]}, optf[i]: entry written {?k: v} */
    CEL_N_STRUCT, /* name{args[i] (field names as string literals): vals[i]} */
    CEL_N_COMP,   /* a macro's comprehension: op is a cel_comp_kind */
} cel_node_kind;

typedef enum {
    CEL_OP_NONE, /* a function looked up by name */
    CEL_OP_AND,
    CEL_OP_OR,
    CEL_OP_NOT,
    CEL_OP_NEG,
    CEL_OP_COND,
    CEL_OP_EQ,
    CEL_OP_NE,
    CEL_OP_LT,
    CEL_OP_LE,
    CEL_OP_GT,
    CEL_OP_GE,
    CEL_OP_ADD,
    CEL_OP_SUB,
    CEL_OP_MUL,
    CEL_OP_DIV,
    CEL_OP_MOD,
    CEL_OP_IN,
    CEL_OP_INDEX,
    CEL_OP_OPT_INDEX,
} cel_op;

typedef enum {
    CEL_C_ALL,
    CEL_C_EXISTS,
    CEL_C_EXISTS_ONE,
    CEL_C_MAP,       /* range.map(x, [pred,] expr) */
    CEL_C_FILTER,    /* range.filter(x, pred) */
    CEL_C_TLIST,     /* transformList(i, v, [pred,] expr) */
    CEL_C_TMAP,      /* transformMap(k, v, [pred,] expr) */
    CEL_C_TMAPENTRY, /* transformMapEntry(k, v, [pred,] expr) */
    CEL_C_BIND,      /* cel.bind(iter, range, expr) */
    CEL_C_OPTMAP,    /* range.optMap(iter, expr) */
    CEL_C_OPTFLATMAP,
} cel_comp_kind;

typedef struct cel_node cel_node;
struct cel_node {
    uint8_t kind, op;
    bool method;   /* CALL: written as receiver.name(...) */
    bool opt;      /* SELECT: .?name */
    bool test;     /* SELECT: has() */
    bool absolute; /* IDENT: leading '.' */
    bool paren;    /* written in parentheses (no literal folding) */
    bool intmin;   /* LIT: the integer literal 9223372036854775808 waiting for its '-' */
    uint16_t depth;
    uint32_t line, col;
    const cel_val *lit;
    const char *name;
    const char *qname; /* IDENT and SELECT chains over one: the dotted name ("a.b.c"); a method
                          call on such a chain: the qualified function name ("strings.quote") */
    cel_node **args, **vals;
    bool *optf;
    size_t n;
    /* CALL with op NONE: the table rows, looked up once at parse time */
    const cel_fn_def *fn;  /* name, argument count and style match; NULL: none */
    const cel_fn_def *qfn; /* the qualified function qname names (strings.quote) */
    bool fn_known;         /* some row has this name (else "undeclared reference") */
    /* COMP */
    const char *iter, *iter2;
    cel_node *range, *pred, *expr;
};

/* A growing list of nodes (arguments, list elements, map and struct entries). */
typedef struct cel_nvec {
    cel_node **items, **vals;
    bool *opt;
    size_t n, cap;
} cel_nvec;

struct cel_prog {
    cel_node *root;
    const char *src;
    size_t n;
};

/* Parser context (grammar/cel.y and cel.l): source text, the tree, the first error. */
typedef struct cel_parse_ctx {
    cel_env *e;
    const char *src;
    size_t n;
    cel_node *root;
    cel_err err; /* first error */
    bool failed;
    int depth;            /* open brackets */
    uint32_t line, col;   /* the lexer's position */
    uint32_t tline, tcol; /* where the current token starts */
    int intmin;           /* 9223372036854775808 literals not (yet) negated */
    uint32_t intmin_line, intmin_col;
} cel_parse_ctx;

/* Lexer helpers (parse.c): decode one token's text; false after recording an error. */
void cel_lex_advance(cel_parse_ctx *p, const char *text, size_t n);
bool cel_lex_double(cel_parse_ctx *p, const char *text, const cel_val **out);
bool cel_lex_int(cel_parse_ctx *p, const char *text, size_t n, bool is_uint, const cel_val **out);
bool cel_lex_string(cel_parse_ctx *p, const char *text, size_t n, const cel_val **out);
bool cel_lex_ident(cel_parse_ctx *p, const char *text, size_t n, const char **out); /* reserved? */
bool cel_lex_open(cel_parse_ctx *p);
void cel_lex_bad(cel_parse_ctx *p, char c);

/* Tree builders called from the grammar's actions (parse.c); macros expand in call/method. */
cel_node *cel_b_lit(cel_parse_ctx *p, const cel_val *v, uint32_t line, uint32_t col);
cel_node *cel_b_intlit(cel_parse_ctx *p, const cel_val *mag, uint32_t line, uint32_t col);
cel_node *cel_b_ident(cel_parse_ctx *p, const char *name, bool absolute, uint32_t line,
                      uint32_t col);
cel_node *cel_b_reserved(cel_parse_ctx *p, const char *name, uint32_t line, uint32_t col);
cel_node *cel_b_call(cel_parse_ctx *p, const char *name, bool absolute, cel_nvec *args,
                     uint32_t line, uint32_t col);
cel_node *cel_b_method(cel_parse_ctx *p, cel_node *recv, const char *name, cel_nvec *args,
                       uint32_t line, uint32_t col);
cel_node *cel_b_select(cel_parse_ctx *p, cel_node *operand, const char *field, bool opt,
                       uint32_t line, uint32_t col);
cel_node *cel_b_index(cel_parse_ctx *p, cel_node *operand, cel_node *index, bool opt, uint32_t line,
                      uint32_t col);
cel_node *cel_b_unary(cel_parse_ctx *p, int op, int count, cel_node *operand, uint32_t line,
                      uint32_t col);
cel_node *cel_b_binary(cel_parse_ctx *p, int op, cel_node *a, cel_node *b, uint32_t line,
                       uint32_t col);
cel_node *cel_b_cond(cel_parse_ctx *p, cel_node *c, cel_node *a, cel_node *b, uint32_t line,
                     uint32_t col);
cel_node *cel_b_paren(cel_parse_ctx *p, cel_node *inner);
cel_node *cel_b_list(cel_parse_ctx *p, cel_nvec *items, uint32_t line, uint32_t col);
cel_node *cel_b_map(cel_parse_ctx *p, cel_nvec *entries, uint32_t line, uint32_t col);
cel_node *cel_b_struct(cel_parse_ctx *p, cel_node *type, cel_nvec *fields, uint32_t line,
                       uint32_t col);
cel_nvec *cel_vec_new(cel_parse_ctx *p);
cel_nvec *cel_vec_push(cel_parse_ctx *p, cel_nvec *v, cel_node *item, cel_node *val, bool opt);
cel_nvec *cel_vec_push_field(cel_parse_ctx *p, cel_nvec *v, const char *name, cel_node *val,
                             bool opt, uint32_t line, uint32_t col);
void cel_parse_error(cel_parse_ctx *p, uint32_t line, uint32_t col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

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
bool cel_fn_named(cel_env *e, const char *name);

#endif
