/* Stand-ins for kustomize front-end pieces still being written (each disappears when its real
 * file exists): they report that the feature is not available yet. */
#include "kustomize/kz_int.h"

#if !__has_include("kustomize/smp.c")
bool kz_smp_apply(kz_ctx *k, ir_node *target, const ir_node *patch, const ir_id *id, bool *deleted)
{
    (void)target, (void)id, (void)deleted;
    diag_error(k->d, patch->pos, "strategic merge patches are not supported by kiln yet");
    return false;
}
#endif

#if !__has_include("kustomize/json6902.c")
bool kz_json6902_apply(kz_ctx *k, ir_node **target, const ir_node *ops)
{
    (void)target;
    diag_error(k->d, ops->pos, "JSON 6902 patches are not supported by kiln yet");
    return false;
}
#endif

#if !__has_include("kustomize/gen.c")
bool kz_generate(kz_ctx *k, const char *dir, const ir_node *args, bool secret, const ir_node *opts, ir_node **obj,
                 const char **behavior, bool *needs_hash)
{
    (void)dir, (void)secret, (void)opts, (void)obj, (void)behavior, (void)needs_hash;
    diag_error(k->d, args->pos, "generators are not supported by kiln yet");
    return false;
}

void kz_hash_suffix(const ir_node *obj, char out[11])
{
    (void)obj;
    for (int i = 0; i < 10; i++) out[i] = 'x';
    out[10] = 0;
}
#endif
