/* ValidatingAdmissionPolicy evaluation (placeholder until the policy engine lands: it
 * evaluates nothing and reports nothing). */
#include "validate/validate.h"

bool vd_policy_check(arena *a, diag_ctx *d, const ir_resset *set, const vd_policy_opts *o,
                     vd_report *r)
{
    (void)a, (void)d, (void)set, (void)o, (void)r;
    return true;
}
