/* libFuzzer target for the Sprig functions called directly: the input picks a function of the
 * table's Sprig sections and builds its arguments (of the row's parameter types, as the engine
 * would pass them) from the remaining bytes. Key and certificate generators are skipped (slow). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template/sprig_int.h"
#include "template/tpl_int.h"

typedef struct {
    const uint8_t *p;
    size_t n;
} input;

static unsigned take(input *in)
{
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

static const tpl_val *arg_of(arena *a, input *in, char kind, int depth)
{
    switch (kind) {
    case 's': {
        size_t n = take(in) % 24;
        if (n > in->n) n = in->n;
        const tpl_val *v = tpl_str(a, (const char *)in->p, n);
        in->p += n;
        in->n -= n;
        return v;
    }
    case 'i':
    case 'I':
        return tpl_intk(a, kind == 'i' ? TPL_INT : TPL_INT64, (int64_t)(int8_t)take(in));
    case 'f':
        return tpl_float(a, (double)(int8_t)take(in) / 4);
    case 'b':
        return tpl_bool(take(in) & 1);
    case 'l': {
        size_t n = take(in) % 5;
        const tpl_val **items = ar_alloc(a, (n + 1) * sizeof *items);
        for (size_t i = 0; i < n; i++)
            items[i] = arg_of(a, in, depth < 3 ? 'v' : 's', depth + 1);
        return tpl_list(a, items, n, NULL);
    }
    case 'm': {
        tpl_val *m = tpl_map_new(a, NULL);
        size_t n = take(in) % 4;
        for (size_t i = 0; i < n; i++) {
            char k[2] = {(char)('a' + take(in) % 4), 0};
            tpl_map_setz(a, m->map, k, arg_of(a, in, depth < 3 ? 'v' : 's', depth + 1));
        }
        return m;
    }
    default: {
        static const char kinds[] = "sifblmn";
        char k = kinds[take(in) % 7];
        if (k == 'n') return tpl_nil();
        if (depth > 3 && (k == 'l' || k == 'm')) k = 's';
        return arg_of(a, in, k, depth + 1);
    }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const slow[] = {"genPrivateKey",
                                       "genCA",
                                       "genCAWithKey",
                                       "genSelfSignedCert",
                                       "genSelfSignedCertWithKey",
                                       "genSignedCert",
                                       "genSignedCertWithKey",
                                       "bcrypt",
                                       "htpasswd",
                                       "derivePassword"};
    size_t first = 0, last = 0;
    for (size_t i = 0; i < tpl_nbuiltins; i++) {
        if (!strcmp(tpl_builtins[i].name, "hello")) first = i;
        if (!strcmp(tpl_builtins[i].name, "unixEpoch")) last = i;
    }
    input in = {data, size};
    const tpl_fn_def *d = &tpl_builtins[first + take(&in) % (last - first + 1)];
    for (size_t i = 0; i < sizeof slow / sizeof *slow; i++)
        if (!strcmp(d->name, slow[i])) return 0;
    arena a;
    ar_init(&a);
    tpl_opts o = {.rand_seed = 1, .max_output = 1 << 16, .now_fixed = true};
    tpl_ctx c = {.set = tpl_set_new(&a, &o)};
    const char *sig = d->sig ? d->sig : "v*";
    size_t sl = strlen(sig);
    bool var = sl && sig[sl - 1] == '*';
    size_t fixed = var ? sl - 1 : sl;
    size_t n = var ? fixed - 1 + take(&in) % 4 : fixed;
    const tpl_val *args[8];
    if (n > 8) n = 8;
    for (size_t i = 0; i < n; i++)
        args[i] = arg_of(&a, &in, i < fixed ? sig[i] : sig[fixed - 1], 0);
    const tpl_val *out = NULL;
    if (d->fn(&c, args, n, &out)) {
        buf_t b = {0};
        tpl_print(&b, out);
        buf_free(&b);
    }
    ar_free(&a);
    return 0;
}
