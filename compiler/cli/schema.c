/* `kiln schema import`: compiles schema sources (a cluster's /openapi/v3 directory, CRD files,
 * JSON schemas) into the cache that later `kiln check --schema` runs with the same sources use. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "validate/validate.h"

int cli_schema(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(cli_find_verb("schema")->usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "import"))
        return cli_usage_error("schema", "unknown subcommand '%s' (import is the one there is)",
                               argv[1]);
    const char **srcs = util_xmalloc((size_t)argc * sizeof *srcs);
    size_t n = 0;
    const char *cache_dir = NULL;
    int rc = 2;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v;
        if (cli_is_help(a)) {
            fputs(cli_find_verb("schema")->usage, stdout);
            rc = 0;
            goto out;
        }
        if (cli_flag_value(argc, argv, &i, "--cache-dir", &v)) {
            if (!v || !*v) {
                rc = cli_usage_error("schema", "--cache-dir takes a directory");
                goto out;
            }
            cache_dir = v;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error("schema", "unknown flag '%s'", a);
            goto out;
        } else {
            srcs[n++] = a;
        }
    }
    if (!n) {
        rc = cli_usage_error("schema", "import takes at least one DIR or FILE");
        goto out;
    }
    arena ar;
    ar_init(&ar);
    diag_ctx d;
    diag_init(&d);
    vd_schema_opts o = {srcs, n, false, false, cache_dir};
    const char *file = NULL;
    bool ok = vd_schema_import(&ar, &d, &o, &file);
    diag_print(&d, stderr, false);
    if (ok) printf("%s\n", file);
    rc = ok ? 0 : 2;
    diag_free(&d);
    ar_free(&ar);
out:
    free(srcs);
    return rc;
}
