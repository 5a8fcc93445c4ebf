/* `kiln hash`: the content hash of every rendered object, and of the whole set. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "emit/emit.h"

int cli_hash(int argc, char **argv)
{
    const char *path = NULL, *rev = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (cli_is_help(a)) {
            fputs(cli_find_verb("hash")->usage, stdout);
            return 0;
        }
        if (cli_flag_value(argc, argv, &i, "-o", &v) ||
            cli_flag_value(argc, argv, &i, "--output", &v)) {
            if (!v || (strcmp(v, "text") && strcmp(v, "json")))
                return cli_usage_error("hash", "-o takes text or json");
            json = !strcmp(v, "json");
        } else if (cli_flag_value(argc, argv, &i, "--rev", &v)) {
            if (!v || !*v) return cli_usage_error("hash", "--rev takes a git revision");
            rev = v;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("hash", "unknown flag '%s'", a);
        } else if (path) {
            return cli_usage_error("hash", "more than one PATH ('%s' and '%s')", path, a);
        } else {
            path = a;
        }
    }
    cli_render r = {0};
    bool ok = cli_render_path(&r, path ? path : ".", rev, false, false, 0);
    cli_render_print_diags(&r);
    if (ok) {
        char(*h)[33] = ar_alloc(&r.a, (r.set.n + 1) * sizeof *h);
        for (size_t i = 0; i < r.set.n; i++)
            em_content_hash(&r.a, r.set.items[i]->obj, h[i]);
        char set[33];
        em_set_hash(&r.a, r.set.items, h, r.set.n, set);
        buf_t b = {0};
        if (json) {
            buf_puts(&b, "{\"objects\":[");
            for (size_t i = 0; i < r.set.n; i++) {
                const char *id = em_res_id(&r.a, r.set.items[i]);
                buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
                em_json_string(&b, id, strlen(id));
                buf_printf(&b, ",\"hash\":\"%s\"}", h[i]);
            }
            buf_printf(&b, "],\"set\":\"%s\"}\n", set);
        } else {
            for (size_t i = 0; i < r.set.n; i++) {
                const ir_id *id = &r.set.items[i]->id;
                buf_printf(&b, "%s  %s%s%s/%s  %s%s%s\n", h[i], id->group, *id->group ? "/" : "",
                           id->version, id->kind, id->ns, *id->ns ? "/" : "", id->name);
            }
            buf_printf(&b, "%s  (set of %zu objects)\n", set, r.set.n);
        }
        ok = fwrite(b.data, 1, b.len, stdout) == b.len && fflush(stdout) == 0;
        buf_free(&b);
    }
    cli_render_free(&r);
    return ok ? 0 : 2;
}
