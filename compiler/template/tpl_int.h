/* The template engine's private declarations: the set, the execution context, the AST. */
#ifndef KILN_TPL_INT_H
#define KILN_TPL_INT_H

#include "template/tpl.h"

struct tpl_set {
    arena *a;
    tpl_opts opts;
    tpl_error err;
};

struct tpl_ctx {
    tpl_set *set;
    const char *msg; /* the failing call's error message */
};

#endif
