/* Schema validation of rendered objects (placeholder until the schema validator lands: it
 * validates nothing and reports nothing). */
#include "validate/validate.h"

bool vd_schema_check(arena *a, diag_ctx *d, const ir_resset *set, const vd_schema_opts *o,
                     vd_report *r)
{
    (void)a, (void)d, (void)set, (void)o, (void)r;
    return true;
}

bool vd_schema_import(arena *a, diag_ctx *d, const vd_schema_opts *o, const char **cache_file)
{
    (void)a, (void)o, (void)cache_file;
    diag_error(d, (diag_pos){0}, "schema import is not available yet");
    return false;
}
