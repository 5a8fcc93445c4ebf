/* The one table of CEL functions: every function kiln's CEL knows, one row each, grouped by
 * the library that defines it (the implementations live in the lib_*.c files and eval.c). */
#include "validate/cel/cel.h"
#include "validate/cel/cel_lib.h"

const cel_fn_def cel_builtins[] = {
    /* ---- core (cel-spec standard definitions) ---- */

    /* ---- end core ---- */

    /* ---- strings extension (cel-go ext.Strings) ---- */

    /* ---- end strings extension ---- */

    /* ---- Kubernetes libraries: lists, regex, urls, quantity, sets, IP/CIDR, format ---- */

    /* ---- end Kubernetes libraries ---- */

    {NULL, 0, 0, NULL},
};

const size_t cel_nbuiltins = sizeof cel_builtins / sizeof cel_builtins[0] - 1;
