/* Declarations of the CEL library functions the table in builtins.c points at, one block per
 * library file (lib_core.c, lib_strings.c, lib_k8s.c). */
#ifndef KILN_CEL_LIB_H
#define KILN_CEL_LIB_H

#include "validate/cel/cel.h"

/* ---- lib_core.c ---- */

/* ---- end lib_core.c ---- */

/* ---- lib_strings.c ---- */

/* ---- end lib_strings.c ---- */

/* ---- lib_k8s.c ---- */

/* ---- end lib_k8s.c ---- */

#endif
