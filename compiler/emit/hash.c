/* Content hashes: XXH3-128 of an object's canonical form (its compact JSON with keys sorted and
 * scalars as kiln prints them, without the kiln.dev/content-hash annotation), and of a set. */
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "emit/emit.h"

static void hex128(XXH128_hash_t h, char out[33])
{
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64, (unsigned long long)h.low64);
}

/* A shallow copy of mapping m without `key`. */
static ir_node *copy_without(arena *a, const ir_node *m, const char *key)
{
    ir_node *c = ir_map(a, m->pos);
    for (size_t i = 0; i < m->map.n; i++) {
        const ir_pair *p = &m->map.items[i];
        if (p->key->kind == IR_SCALAR && !strcmp(p->key->sc.s, key)) continue;
        ir_map_append(a, c, p->key, p->val);
    }
    return c;
}

/* obj without metadata.annotations[EM_HASH_ANNOTATION] (an annotations map left empty by that is
 * dropped), sharing every other node. JSON sorts keys, so the order of the copies is irrelevant. */
static const ir_node *canonical(arena *a, const ir_node *obj)
{
    const ir_node *md = ir_map_get(obj, "metadata");
    const ir_node *an = ir_map_get(md, "annotations");
    if (!an || an->kind != IR_MAP ||
        !ir_map_find(an, EM_HASH_ANNOTATION, strlen(EM_HASH_ANNOTATION)))
        return obj;
    ir_node *an2 = copy_without(a, an, EM_HASH_ANNOTATION);
    ir_node *md2 = copy_without(a, md, "annotations");
    if (an2->map.n) ir_map_append(a, md2, ir_str(a, "annotations", md->pos), an2);
    ir_node *o2 = copy_without(a, obj, "metadata");
    ir_map_append(a, o2, ir_str(a, "metadata", obj->pos), md2);
    return o2;
}

void em_content_hash(arena *a, const ir_node *obj, char out[33])
{
    buf_t b = {0};
    em_json_doc(&b, canonical(a, obj), 0);
    hex128(XXH3_128bits(b.data, b.len), out);
    buf_free(&b);
}

const char *em_res_id(arena *a, const ir_res *r)
{
    const ir_id *id = &r->id;
    return ar_printf(a, "%s%s%s/%s/%s/%s", id->group, *id->group ? "/" : "", id->version, id->kind,
                     id->ns, id->name);
}

void em_set_hash(arena *a, ir_res *const *items, char (*hashes)[33], size_t n, char out[33])
{
    /* over the (id, hash) lines in id order, so input order does not matter */
    const char **lines = ar_alloc(a, (n + 1) * sizeof *lines);
    for (size_t i = 0; i < n; i++)
        lines[i] = ar_printf(a, "%s\t%s\n", em_res_id(a, items[i]), hashes[i]);
    for (size_t i = 1; i < n; i++) {
        const char *v = lines[i];
        size_t j = i;
        while (j > 0 && strcmp(lines[j - 1], v) > 0) {
            lines[j] = lines[j - 1];
            j--;
        }
        lines[j] = v;
    }
    XXH3_state_t *st = XXH3_createState();
    if (!st) util_oom();
    XXH3_128bits_reset(st);
    for (size_t i = 0; i < n; i++)
        XXH3_128bits_update(st, lines[i], strlen(lines[i]));
    hex128(XXH3_128bits_digest(st), out);
    XXH3_freeState(st);
}
