/* The template engine's private declarations: parse trees, the template set, the parser's
 * state shared with the generated flex/bison code, and the execution context. */
#ifndef KILN_TPL_INT_H
#define KILN_TPL_INT_H

#include "template/tpl.h"

/* ---- parse trees (Go's text/template/parse nodes) ---- */

typedef enum {
    TN_LIST,
    TN_TEXT,
    TN_ACTION,
    TN_IF,
    TN_RANGE,
    TN_WITH,
    TN_TEMPLATE,
    TN_BREAK,
    TN_CONTINUE,
    TN_PIPE,
    TN_CMD,
    TN_FIELD, /* .A.B: ids */
    TN_VAR,   /* $x.A.B: ids[0] = "$x" */
    TN_CHAIN, /* (pipe).A.B or term.A: node + ids */
    TN_IDENT, /* function name */
    TN_DOT,
    TN_NIL,
    TN_BOOL,
    TN_NUMBER,
    TN_STRING,
} tpl_nkind;

typedef struct tpl_node tpl_node;
typedef struct tpl_tree tpl_tree;

typedef struct tpl_nodes {
    tpl_node **items;
    size_t n, cap;
} tpl_nodes;

/* A number literal under every type that can hold it (Go's NumberNode). */
typedef struct tpl_number {
    bool is_int, is_uint, is_float, is_complex;
    int64_t i;
    uint64_t u;
    double f;
} tpl_number;

struct tpl_node {
    uint8_t kind;   /* tpl_nkind */
    bool sp;        /* an operand preceded by white space (command arguments need it) */
    uint32_t off;   /* byte offset of the node in its tree's text */
    uint32_t start; /* where an operand's text starts (its '(' for a parenthesized pipeline) */
    tpl_tree *tree;
    union {
        tpl_nodes list; /* TN_LIST */
        struct {
            const char *s;
            size_t n;
        } text; /* TN_TEXT */
        struct {
            tpl_node *pipe;
        } action;
        struct {
            tpl_node *pipe, *list, *elist; /* elist may be NULL */
        } branch;                          /* TN_IF, TN_RANGE, TN_WITH */
        struct {
            const char *name;
            tpl_node *pipe; /* may be NULL */
        } tmpl;
        struct {
            tpl_nodes decl; /* TN_VAR nodes */
            bool assign;
            tpl_nodes cmds;
        } pipe;
        tpl_nodes cmd; /* args */
        struct {
            tpl_node *node; /* TN_CHAIN only */
            const char **ids;
            size_t n;
        } field; /* TN_FIELD, TN_VAR, TN_CHAIN */
        struct {
            const char *name;
            const tpl_fn_def *fn;
        } ident;
        bool b;
        struct {
            tpl_number v;
            const char *text;
        } num;
        struct {
            const char *quoted;
            const char *s;
            size_t n;
        } str;
    };
};

/* One parsed template: a file's top level, a define or a block. */
struct tpl_tree {
    const char *name;       /* the template's name */
    const char *parse_name; /* the file it was parsed from (error locations) */
    tpl_node *root;
    const char *text; /* the file's text (positions) */
    size_t len;
    uint32_t file;
};

/* "{{.A.B}}"-style rendering of a node, as Go's Node.String(). */
void tpl_node_string(buf_t *out, const tpl_node *n);
bool tpl_tree_empty(const tpl_node *n);
/* 1-based line and 0-based byte column of an offset. */
void tpl_tree_linecol(const tpl_tree *t, uint32_t off, uint32_t *line, uint32_t *col);

/* ---- the set ---- */

struct tpl_set {
    arena *a;               /* where executions allocate (see tpl_set_exec_arena) */
    arena *perm;            /* the set's own arena: templates, include counters */
    bool stored;            /* see tpl_exec_stored */
    struct tpl_set *parent; /* tpl's clone: lookups fall back to the parent set */
    tpl_opts opts;
    tpl_error err;
    tpl_tree **slots; /* open addressing by name */
    size_t nslots, ntrees;
    /* Helm's include counters by name (recursion limit) */
    const char **inc_names;
    int *inc_counts;
    size_t ninc, capinc;
    int depth;                   /* nested executions (include, template, tpl) */
    int tpl_depth;               /* nested tpl calls */
    uint64_t steps;              /* nodes executed (a budget against runaway loops) */
    uintptr_t stack_base;        /* stack address at the outermost tpl_exec (nesting guard) */
    const tpl_fn_def **fn_slots; /* hash index of tpl_builtins by name */
    size_t nfn_slots;
};

tpl_tree *tpl_set_lookup(const tpl_set *s, const char *name);
const tpl_fn_def *tpl_set_fn(const tpl_set *s, const char *name, size_t n);
void tpl_set_add(tpl_set *s, tpl_tree *t); /* replaces */

/* ---- the parser's state (grammar/template.l, template.y, parse.c) ---- */

typedef struct tpl_tok {
    uint32_t off;
    const char *s; /* the token's text in the source */
    uint32_t n;
    bool sp; /* preceded by white space inside an action */
} tpl_tok;

typedef struct tpl_parser {
    tpl_set *set;
    arena *a;
    const char *name; /* the file's template name */
    const char *text;
    size_t len;
    uint32_t file;
    void *scanner;
    /* lexer state */
    size_t off;              /* bytes consumed by flex */
    long text_start;         /* start of pending text, -1 = none */
    uint32_t action_off;     /* where the current action started */
    bool in_action;          /* inside {{ }} */
    int cur_kind, prev_kind; /* the last two tokens handed to the parser (error messages) */
    tpl_tok cur_val, prev_val;
    bool ltrim;        /* trim leading space of the next text */
    int paren;         /* parenthesis depth in the current action */
    int last_tok;      /* previous token inside the action (for chains), 0 at action start */
    bool after_ldelim; /* the next token is the first of an action */
    bool pending_sp;   /* white space seen before the next token */
    int pend_tok;      /* a token held back after LDELIM */
    tpl_tok pend_val;
    const char *lex_err; /* message of an ERROR token */
    uint32_t lex_err_off;
    /* parser state */
    tpl_tree *tree; /* the tree being built (file top level, define or block body) */
    const char **vars;
    size_t nvars, capvars;
    int range_depth;
    const char *ctx[64]; /* pipeline contexts for messages ("command", "if", ...) */
    int nctx;
    const char *ctl[64]; /* open control structures ("if", "range", "define clause"...) */
    bool ctl_else[64];
    int nctl;
    int paren_depth;
    tpl_tree **trees; /* trees parsed from this file (added to the set on success) */
    size_t ntrees, captrees;
    bool failed;
    const char *msg;  /* the error (Go's text, without "template: name:line: ") */
    uint32_t err_off; /* where */
    bool err_has_off;
} tpl_parser;

/* builder helpers used by the grammar actions (parse.c) */
tpl_node *tpl_p_node(tpl_parser *p, tpl_nkind k, uint32_t off);
void tpl_p_append(tpl_parser *p, tpl_nodes *l, tpl_node *n);
tpl_node *tpl_p_text(tpl_parser *p, const tpl_tok *t);
tpl_node *tpl_p_term(tpl_parser *p, int tok, const tpl_tok *t);
tpl_node *tpl_p_chain(tpl_parser *p, tpl_node *term, const tpl_tok *field);
tpl_node *tpl_p_cmd_add(tpl_parser *p, tpl_node *cmd, tpl_node *operand);
tpl_node *tpl_p_decls(tpl_parser *p, const tpl_tok *v1, const tpl_tok *v2);
void tpl_p_decl_push(tpl_parser *p, tpl_node *decls, bool assign);
tpl_node *tpl_p_pipe_join(tpl_parser *p, tpl_node *decls, tpl_node *cmds);
tpl_node *tpl_p_pipe_end(tpl_parser *p, tpl_node *pipe);
tpl_node *tpl_p_template(tpl_parser *p, const tpl_tok *name, tpl_node *pipe);
void tpl_p_missing(tpl_parser *p);
void tpl_p_loopctl(tpl_parser *p, const char *what, uint32_t off);
void tpl_p_ctx_push(tpl_parser *p, const char *ctx);
void tpl_p_ctx_pop(tpl_parser *p);
void tpl_p_ctl_push(tpl_parser *p, const char *ctl);
void tpl_p_ctl_else(tpl_parser *p);
void tpl_p_ctl_pop(tpl_parser *p);
void tpl_p_paren_in(tpl_parser *p);
void tpl_p_paren_out(tpl_parser *p);
size_t tpl_p_vars_mark(tpl_parser *p);
void tpl_p_vars_pop(tpl_parser *p, size_t mark);
void *tpl_p_begin_tree(tpl_parser *p, const tpl_tok *name, uint32_t off);
void tpl_p_end_tree(tpl_parser *p, void *saved, tpl_node *list);
void tpl_p_syntax_error(tpl_parser *p);
void tpl_p_error(tpl_parser *p, uint32_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Go's token description for "unexpected X in Y" messages. */
const char *tpl_p_tokdesc(tpl_parser *p, int tok, const tpl_tok *t);

/* lexer helpers (parse.c, template.l) */
size_t tpl_lex_number_len(const char *s, size_t n, bool *ok, bool *complex);
int tpl_p_keyword(const char *s, size_t n); /* KW_* token, BOOL, NIL or IDENT */
const char *tpl_p_quote(tpl_parser *p, const char *s, size_t n); /* Go's %q */
const char *tpl_p_quote_a(arena *a, const char *s, size_t n);
bool tpl_lex_begin(tpl_parser *p);
void tpl_lex_end(tpl_parser *p);

/* ---- execution ---- */

struct tpl_ctx {
    tpl_set *set;
    const char *msg;    /* the failing call's error message */
    struct tpl_run *ex; /* the running execution */
};

/* UTF-8 decoding (0xFFFFFFFF for an invalid byte, *w = 1) and unicode.IsPrint, approximately. */
uint32_t tpl_decode_rune(const char *s, size_t n, int *w);
bool tpl_rune_printable(uint32_t r);
/* strconv.Quote (ascii: QuoteToASCII) into out. */
void tpl_go_quote(buf_t *out, const char *s, size_t n, bool ascii);

/* Runs tree `t` with dot; on failure the set's error is filled. */
bool tpl_exec_tree(tpl_set *s, tpl_tree *t, const tpl_val *dot, buf_t *out);

#endif
