/* The Go template grammar: a file's text and actions into parse trees (lists, actions,
 * if/range/with with else chains, define, template, block, break, continue, pipelines with
 * declarations, commands, operands with field chains). Every action is one call into parse.c's
 * builders; errors read like Go's ("unexpected X in Y"). Pure parser, no global state. */
%define api.pure full
%define api.prefix {tpl_yy}
%define parse.error custom
%parse-param {tpl_parser *p}
%lex-param {tpl_parser *p}
%expect 0

%code requires {
#include "template/tpl_int.h"
}

%code provides {
int tpl_yylex(TPL_YYSTYPE *v, tpl_parser *p);
}

%code {
#define YYMAXDEPTH 100000
static void tpl_yyerror(tpl_parser *p, const char *msg);
#define CHECK                                                                                  \
    do {                                                                                       \
        if (p->failed) YYABORT;                                                                \
    } while (0)
static tpl_node *branch(tpl_parser *p, tpl_nkind k, tpl_node *pipe, tpl_node *list, tpl_node *el)
{
    tpl_node *n = tpl_p_node(p, k, pipe->off);
    n->branch.pipe = pipe;
    n->branch.list = list;
    n->branch.elist = el;
    return n;
}
static tpl_node *single(tpl_parser *p, tpl_node *n)
{
    tpl_node *l = tpl_p_node(p, TN_LIST, n->off);
    tpl_p_append(p, &l->list, n);
    return l;
}
}

%union {
    tpl_tok tok;
    tpl_node *node;
    size_t mark;
    void *saved;
}

%token <tok> TEXT LDELIM RDELIM L_IF L_ELSE L_ELSE_IF L_ELSE_WITH L_END L_RANGE L_WITH
%token <tok> L_DEFINE L_TEMPLATE L_BLOCK L_BREAK L_CONTINUE
%token <tok> FIELD CFIELD VARIABLE IDENT DOT NIL BOOL NUMBER COMPLEX CHARLIT STRING RAWSTRING
%token <tok> DECLARE ASSIGN PIPE LPAREN RPAREN COMMA CHAR ERROR
%token <tok> KW_IF KW_ELSE KW_END KW_RANGE KW_WITH KW_DEFINE KW_TEMPLATE KW_BLOCK KW_BREAK
%token <tok> KW_CONTINUE

%type <node> list item action if_stmt if_tail range_stmt range_tail with_stmt with_tail
%type <node> template_stmt block_stmt pipeline pipeline_ne cmds_opt cmds cmd operand term decls
%type <tok> name

%%

top:
      %empty
    | top item          { tpl_p_append(p, &p->tree->root->list, $2); }
    | top define
    ;

define:
      L_DEFINE { tpl_p_ctx_push(p, "define clause"); } name RDELIM
                { tpl_p_ctx_pop(p); $<saved>$ = tpl_p_begin_tree(p, &$3, $1.off); CHECK; }
      list L_END RDELIM
                { tpl_p_end_tree(p, $<saved>5, $6); CHECK; }
    ;

name: STRING | RAWSTRING ;

list:
      %empty            { $$ = tpl_p_node(p, TN_LIST, (uint32_t)p->off); }
    | list item         { $$ = $1; tpl_p_append(p, &$$->list, $2); }
    ;

item:
      TEXT              { $$ = tpl_p_text(p, &$1); }
    | action
    | if_stmt
    | range_stmt
    | with_stmt
    | template_stmt
    | block_stmt
    | L_BREAK RDELIM    { $$ = tpl_p_node(p, TN_BREAK, $1.off); tpl_p_loopctl(p, "break", $1.off); CHECK; }
    | L_CONTINUE RDELIM { $$ = tpl_p_node(p, TN_CONTINUE, $1.off); tpl_p_loopctl(p, "continue", $1.off); CHECK; }
    ;

action:
      LDELIM { tpl_p_ctx_push(p, "command"); } pipeline RDELIM
                { tpl_p_ctx_pop(p); $$ = tpl_p_node(p, TN_ACTION, $3->off); $$->action.pipe = $3; }
    ;

if_stmt:
      L_IF { tpl_p_ctx_push(p, "if"); $<mark>$ = tpl_p_vars_mark(p); } pipeline RDELIM
                { tpl_p_ctx_pop(p); tpl_p_ctl_push(p, "if"); CHECK; }
      list if_tail
                { tpl_p_ctl_pop(p); tpl_p_vars_pop(p, $<mark>2); $$ = branch(p, TN_IF, $3, $6, $7); }
    ;

if_tail:
      L_END RDELIM      { $$ = NULL; }
    | L_ELSE RDELIM { tpl_p_ctl_else(p); } list L_END RDELIM { $$ = $4; }
    | L_ELSE_IF { tpl_p_ctx_push(p, "if"); $<mark>$ = tpl_p_vars_mark(p); } pipeline RDELIM
                { tpl_p_ctx_pop(p); }
      list if_tail
                { tpl_p_vars_pop(p, $<mark>2); $$ = single(p, branch(p, TN_IF, $3, $6, $7)); }
    ;

range_stmt:
      L_RANGE { tpl_p_ctx_push(p, "range"); $<mark>$ = tpl_p_vars_mark(p); } pipeline RDELIM
                { tpl_p_ctx_pop(p); tpl_p_ctl_push(p, "range"); CHECK; p->range_depth++; }
      list range_tail
                { tpl_p_ctl_pop(p); tpl_p_vars_pop(p, $<mark>2); $$ = branch(p, TN_RANGE, $3, $6, $7); }
    ;

range_tail:
      L_END RDELIM      { p->range_depth--; $$ = NULL; }
    | L_ELSE RDELIM { p->range_depth--; tpl_p_ctl_else(p); } list L_END RDELIM { $$ = $4; }
    ;

with_stmt:
      L_WITH { tpl_p_ctx_push(p, "with"); $<mark>$ = tpl_p_vars_mark(p); } pipeline RDELIM
                { tpl_p_ctx_pop(p); tpl_p_ctl_push(p, "with"); CHECK; }
      list with_tail
                { tpl_p_ctl_pop(p); tpl_p_vars_pop(p, $<mark>2); $$ = branch(p, TN_WITH, $3, $6, $7); }
    ;

with_tail:
      L_END RDELIM      { $$ = NULL; }
    | L_ELSE RDELIM { tpl_p_ctl_else(p); } list L_END RDELIM { $$ = $4; }
    | L_ELSE_WITH { tpl_p_ctx_push(p, "with"); $<mark>$ = tpl_p_vars_mark(p); } pipeline RDELIM
                { tpl_p_ctx_pop(p); }
      list with_tail
                { tpl_p_vars_pop(p, $<mark>2); $$ = single(p, branch(p, TN_WITH, $3, $6, $7)); }
    ;

template_stmt:
      L_TEMPLATE tmpl_ctx name RDELIM
                { tpl_p_ctx_pop(p); $$ = tpl_p_template(p, &$3, NULL); CHECK; }
    | L_TEMPLATE tmpl_ctx name pipeline_ne RDELIM
                { tpl_p_ctx_pop(p); $$ = tpl_p_template(p, &$3, $4); CHECK; }
    ;

tmpl_ctx: %empty { tpl_p_ctx_push(p, "template clause"); } ;

block_stmt:
      L_BLOCK { tpl_p_ctx_push(p, "block clause"); } name pipeline_ne RDELIM
                { tpl_p_ctx_pop(p); $<saved>$ = tpl_p_begin_tree(p, &$3, $1.off); CHECK; }
      list L_END RDELIM
                { tpl_p_end_tree(p, $<saved>6, $7); CHECK; $$ = tpl_p_template(p, &$3, $4); CHECK; }
    ;

pipeline:
      %empty            { tpl_p_missing(p); CHECK; $$ = NULL; }
    | pipeline_ne
    ;

pipeline_ne:
      cmds              { $$ = tpl_p_pipe_end(p, $1); CHECK; }
    | decls DECLARE { tpl_p_decl_push(p, $1, false); CHECK; } cmds_opt
                        { $$ = tpl_p_pipe_join(p, $1, $4); CHECK; }
    | decls ASSIGN { tpl_p_decl_push(p, $1, true); CHECK; } cmds_opt
                        { $$ = tpl_p_pipe_join(p, $1, $4); CHECK; }
    ;

decls:
      VARIABLE                  { $$ = tpl_p_decls(p, &$1, NULL); CHECK; }
    | VARIABLE COMMA VARIABLE   { $$ = tpl_p_decls(p, &$1, &$3); CHECK; }
    ;

cmds_opt:
      %empty            { tpl_p_missing(p); CHECK; $$ = NULL; }
    | cmds
    ;

cmds:
      cmd               { $$ = tpl_p_node(p, TN_PIPE, $1->off); tpl_p_append(p, &$$->pipe.cmds, $1); }
    | cmds PIPE cmd     { $$ = $1; tpl_p_append(p, &$$->pipe.cmds, $3); }
    ;

cmd:
      operand           { $$ = tpl_p_node(p, TN_CMD, $1->start); tpl_p_append(p, &$$->cmd, $1); }
    | cmd operand       { $$ = tpl_p_cmd_add(p, $1, $2); CHECK; }
    ;

operand:
      term
    | operand CFIELD    { $$ = tpl_p_chain(p, $1, &$2); CHECK; }
    ;

term:
      IDENT             { $$ = tpl_p_term(p, IDENT, &$1); CHECK; }
    | DOT               { $$ = tpl_p_term(p, DOT, &$1); CHECK; }
    | NIL               { $$ = tpl_p_term(p, NIL, &$1); CHECK; }
    | VARIABLE          { $$ = tpl_p_term(p, VARIABLE, &$1); CHECK; }
    | FIELD             { $$ = tpl_p_term(p, FIELD, &$1); CHECK; }
    | BOOL              { $$ = tpl_p_term(p, BOOL, &$1); CHECK; }
    | NUMBER            { $$ = tpl_p_term(p, NUMBER, &$1); CHECK; }
    | COMPLEX           { $$ = tpl_p_term(p, COMPLEX, &$1); CHECK; }
    | CHARLIT           { $$ = tpl_p_term(p, CHARLIT, &$1); CHECK; }
    | STRING            { $$ = tpl_p_term(p, STRING, &$1); CHECK; }
    | RAWSTRING         { $$ = tpl_p_term(p, RAWSTRING, &$1); CHECK; }
    | LPAREN { tpl_p_ctx_push(p, "parenthesized pipeline"); tpl_p_paren_in(p); CHECK; } pipeline RPAREN
                        { tpl_p_ctx_pop(p); tpl_p_paren_out(p); $$ = $3; $$->sp = $1.sp; $$->start = $1.off; }
    ;

%%

static int yyreport_syntax_error(const yypcontext_t *ctx, tpl_parser *p)
{
    (void)ctx;
    tpl_p_syntax_error(p);
    return 0;
}

static void tpl_yyerror(tpl_parser *p, const char *msg)
{
    tpl_p_error(p, (uint32_t)p->off, "%s", msg);
}
