/* The local files and directories a kustomization refers to (resources, components, patches,
 * generator sources, configurations...), for the reverse include graph of `kiln affected`. */
#include <string.h>

#include "kustomize/kz.h"
#include "yaml/yaml.h"

typedef struct deps {
    arena *a;
    const char *dir;
    const char **items;
    size_t n, cap;
} deps;

static void add(deps *d, const char *ref)
{
    if (!ref || !*ref || strstr(ref, "://") || !strncmp(ref, "git@", 4) ||
        !strncmp(ref, "github.com/", 11))
        return; /* remote: not in this repository */
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        d->items = ar_realloc(d->a, d->items, d->cap * sizeof *d->items, cap * sizeof *d->items);
        d->cap = cap;
    }
    d->items[d->n++] = src_join(d->a, d->dir, ref);
}

/* Every string of a sequence field (resources: [a, b]). */
static void add_strings(deps *d, const ir_node *seq)
{
    if (!seq || seq->kind != IR_SEQ) return;
    for (size_t i = 0; i < seq->seq.n; i++)
        add(d, ir_str_of(seq->seq.items[i]));
}

/* A generator source "key=path" or "path". */
static void add_source(deps *d, const char *s)
{
    if (!s) return;
    const char *eq = strchr(s, '=');
    add(d, eq ? eq + 1 : s);
}

bool kz_deps(kz_ctx *k, const char *dir, const char ***out, size_t *nout)
{
    deps d = {.a = k->a, .dir = dir};
    bool amb = false;
    const char *file = kz_find_file(k, dir, diag_nopos, &amb);
    *out = NULL;
    *nout = 0;
    if (!file) return !amb;
    char *text;
    size_t len;
    const char *err;
    if (!src_read(k->src, k->a, file, &text, &len, &err)) {
        diag_error(k->d, diag_nopos, "%s", err);
        return false;
    }
    uint32_t f = diag_file_add(k->d, file, text, len);
    ky_opts o = {.flavor = KY_V3, .dup_last_wins = true};
    ky_docs docs;
    if (!ky_load(k->a, k->d, f, text, len, &o, &docs)) return false;
    const ir_node *kz = docs.n ? docs.docs[0] : NULL;
    if (!kz || kz->kind != IR_MAP) return true;
    static const char *const lists[] = {"resources",    "bases",          "components",
                                        "crds",         "configurations", "patchesStrategicMerge",
                                        "transformers", "generators",     "validators"};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        add_strings(&d, ir_map_get(kz, lists[i]));
    static const char *const with_path[] = {"patches", "patchesJson6902", "replacements"};
    for (size_t i = 0; i < sizeof with_path / sizeof *with_path; i++) {
        const ir_node *s = ir_map_get(kz, with_path[i]);
        for (size_t j = 0; s && s->kind == IR_SEQ && j < s->seq.n; j++)
            add(&d, ir_get_str(s->seq.items[j], "path"));
    }
    add(&d, ir_get_str(ir_map_get(kz, "openapi"), "path"));
    static const char *const gens[] = {"configMapGenerator", "secretGenerator"};
    for (size_t i = 0; i < 2; i++) {
        const ir_node *s = ir_map_get(kz, gens[i]);
        for (size_t j = 0; s && s->kind == IR_SEQ && j < s->seq.n; j++) {
            const ir_node *g = s->seq.items[j];
            const ir_node *files = ir_map_get(g, "files"), *envs = ir_map_get(g, "envs");
            for (size_t x = 0; files && files->kind == IR_SEQ && x < files->seq.n; x++)
                add_source(&d, ir_str_of(files->seq.items[x]));
            add_strings(&d, envs);
            add(&d, ir_get_str(g, "env"));
        }
    }
    *out = d.items;
    *nout = d.n;
    return true;
}
