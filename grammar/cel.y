/* The CEL grammar (cel-spec's syntax and precedence); each action is one call into the tree
 * builders of compiler/validate/cel/parse.c, which also expand macros. */
%define api.pure full
%define api.prefix {cel_yy}
%define parse.error verbose
%locations
%parse-param {cel_parse_ctx *p} {void *scanner}
%lex-param {void *scanner}
%expect 0

%code requires {
#include "validate/cel/cel_int.h"
}

%code {
int cel_yylex(CEL_YYSTYPE *lval, CEL_YYLTYPE *lloc, void *scanner);
static void cel_yyerror(CEL_YYLTYPE *loc, cel_parse_ctx *p, void *scanner, const char *msg)
{
    (void)scanner;
    cel_parse_error(p, (uint32_t)loc->first_line, (uint32_t)loc->first_column, "%s", msg);
}
#define AT(l) (uint32_t)(l).first_line, (uint32_t)(l).first_column
}

%union {
    cel_node *node;
    const cel_val *val;
    const char *str;
    cel_nvec *vec;
    int num;
}

%token <val> LIT "literal" INTLIT "integer"
%token <str> IDENT "identifier" RESERVED "reserved word" QIDENT "quoted field name"
%token EQ "==" NE "!=" LE "<=" GE ">=" AND "&&" OR "||" IN "in" ERROR "invalid token"

%type <node> expr cor cand rel add mul unary member primary
%type <vec> args exprs list_init list_elems map_init map_entries field_inits fields
%type <num> nots negs relop
%type <str> field_name

%%

start: expr                          { p->root = $1; }
     ;

expr: cor
    | cor '?' cor ':' expr           { $$ = cel_b_cond(p, $1, $3, $5, AT(@2)); }
    ;

cor: cand
   | cor OR cand                     { $$ = cel_b_binary(p, CEL_OP_OR, $1, $3, AT(@2)); }
   ;

cand: rel
    | cand AND rel                   { $$ = cel_b_binary(p, CEL_OP_AND, $1, $3, AT(@2)); }
    ;

rel: add
   | rel relop add                   { $$ = cel_b_binary(p, $2, $1, $3, AT(@2)); }
   ;

relop: '<'                           { $$ = CEL_OP_LT; }
     | LE                            { $$ = CEL_OP_LE; }
     | '>'                           { $$ = CEL_OP_GT; }
     | GE                            { $$ = CEL_OP_GE; }
     | EQ                            { $$ = CEL_OP_EQ; }
     | NE                            { $$ = CEL_OP_NE; }
     | IN                            { $$ = CEL_OP_IN; }
     ;

add: mul
   | add '+' mul                     { $$ = cel_b_binary(p, CEL_OP_ADD, $1, $3, AT(@2)); }
   | add '-' mul                     { $$ = cel_b_binary(p, CEL_OP_SUB, $1, $3, AT(@2)); }
   ;

mul: unary
   | mul '*' unary                   { $$ = cel_b_binary(p, CEL_OP_MUL, $1, $3, AT(@2)); }
   | mul '/' unary                   { $$ = cel_b_binary(p, CEL_OP_DIV, $1, $3, AT(@2)); }
   | mul '%' unary                   { $$ = cel_b_binary(p, CEL_OP_MOD, $1, $3, AT(@2)); }
   ;

unary: member
     | nots member                   { $$ = cel_b_unary(p, CEL_OP_NOT, $1, $2, AT(@1)); }
     | negs member                   { $$ = cel_b_unary(p, CEL_OP_NEG, $1, $2, AT(@1)); }
     ;

nots: '!'                            { $$ = 1; }
    | nots '!'                       { $$ = $1 + 1; }
    ;

negs: '-'                            { $$ = 1; }
    | negs '-'                       { $$ = $1 + 1; }
    ;

member: primary
      | member '.' field_name        { $$ = cel_b_select(p, $1, $3, false, AT(@3)); }
      | member '.' '?' field_name    { $$ = cel_b_select(p, $1, $4, true, AT(@4)); }
      | member '.' field_name '(' args ')'
                                     { $$ = cel_b_method(p, $1, $3, $5, AT(@3)); }
      | member '[' expr ']'          { $$ = cel_b_index(p, $1, $3, false, AT(@2)); }
      | member '[' '?' expr ']'      { $$ = cel_b_index(p, $1, $4, true, AT(@2)); }
      | member '{' field_inits '}'   { $$ = cel_b_struct(p, $1, $3, AT(@2)); }
      ;

field_name: IDENT
          | RESERVED
          | QIDENT
          ;

primary: LIT                         { $$ = cel_b_lit(p, $1, AT(@1)); }
       | INTLIT                      { $$ = cel_b_intlit(p, $1, AT(@1)); }
       | IDENT                       { $$ = cel_b_ident(p, $1, false, AT(@1)); }
       | '.' IDENT                   { $$ = cel_b_ident(p, $2, true, AT(@2)); }
       | RESERVED                    { $$ = cel_b_reserved(p, $1, AT(@1)); }
       | IDENT '(' args ')'          { $$ = cel_b_call(p, $1, false, $3, AT(@1)); }
       | '.' IDENT '(' args ')'      { $$ = cel_b_call(p, $2, true, $4, AT(@2)); }
       | '(' expr ')'                { $$ = cel_b_paren(p, $2); }
       | '[' list_init ']'           { $$ = cel_b_list(p, $2, AT(@1)); }
       | '{' map_init '}'            { $$ = cel_b_map(p, $2, AT(@1)); }
       ;

args: %empty                         { $$ = cel_vec_new(p); }
    | exprs
    ;

exprs: expr                          { $$ = cel_vec_push(p, cel_vec_new(p), $1, NULL, false); }
     | exprs ',' expr                { $$ = cel_vec_push(p, $1, $3, NULL, false); }
     ;

list_init: %empty                    { $$ = cel_vec_new(p); }
         | list_elems
         | list_elems ','
         ;

list_elems: expr                     { $$ = cel_vec_push(p, cel_vec_new(p), $1, NULL, false); }
          | '?' expr                 { $$ = cel_vec_push(p, cel_vec_new(p), $2, NULL, true); }
          | list_elems ',' expr      { $$ = cel_vec_push(p, $1, $3, NULL, false); }
          | list_elems ',' '?' expr  { $$ = cel_vec_push(p, $1, $4, NULL, true); }
          ;

map_init: %empty                     { $$ = cel_vec_new(p); }
        | map_entries
        | map_entries ','
        ;

map_entries: expr ':' expr           { $$ = cel_vec_push(p, cel_vec_new(p), $1, $3, false); }
           | '?' expr ':' expr       { $$ = cel_vec_push(p, cel_vec_new(p), $2, $4, true); }
           | map_entries ',' expr ':' expr
                                     { $$ = cel_vec_push(p, $1, $3, $5, false); }
           | map_entries ',' '?' expr ':' expr
                                     { $$ = cel_vec_push(p, $1, $4, $6, true); }
           ;

field_inits: %empty                  { $$ = cel_vec_new(p); }
           | fields
           | fields ','
           ;

fields: field_name ':' expr          { $$ = cel_vec_push_field(p, cel_vec_new(p), $1, $3, false, AT(@1)); }
      | '?' field_name ':' expr      { $$ = cel_vec_push_field(p, cel_vec_new(p), $2, $4, true, AT(@2)); }
      | fields ',' field_name ':' expr
                                     { $$ = cel_vec_push_field(p, $1, $3, $5, false, AT(@3)); }
      | fields ',' '?' field_name ':' expr
                                     { $$ = cel_vec_push_field(p, $1, $4, $6, true, AT(@4)); }
      ;

%%
