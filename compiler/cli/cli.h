/* The command line: the verb table, argument helpers and the verbs themselves. main() only
 * calls cli_main; each verb returns the process exit code (0 ok, 1 findings, 2 errors). */
#ifndef KILN_CLI_H
#define KILN_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define KILN_VERSION "0.1.0"

typedef struct cli_verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
    const char *usage; /* full help text */
} cli_verb;

int cli_main(int argc, char **argv);
const cli_verb *cli_find_verb(const char *name);

/* Reports an unknown or malformed flag with a hint, returns 2. */
int cli_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* True when arg is -h/--help. */
bool cli_is_help(const char *arg);
/* Matches "--name value" and "--name=value"; advances *i. */
bool cli_flag_value(int argc, char **argv, int *i, const char *name, const char **value);

int cli_build(int argc, char **argv);
int cli_hash(int argc, char **argv);
int cli_diff(int argc, char **argv);
int cli_affected(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_cel(int argc, char **argv);
int cli_schema(int argc, char **argv);
/* One `kiln cel --jsonl` request line (JSON) answered as one response line appended to out. */
#include "util/util.h"
void cli_cel_line(const char *line, size_t len, buf_t *out);
int cli_template(int argc, char **argv);

/* A rendered PATH: what build, hash and diff start from (render.c). */
#include "flux/flux.h"
#include "kustomize/kz.h"
typedef struct cli_render {
    arena a;
    diag_ctx d;
    ir_resset set;
    src_tree src;
    kz_ctx k;
    kz_sort sort;
    bool missing_ok; /* in, with a revision: PATH absent from it renders as no objects */
    /* in: Flux options; a cluster directory is always followed, these pick other entry points */
    flux_opts flux;
    const char *flux_kustomization; /* --kustomization FILE (PATH is then the repository) */
    const char *flux_config;        /* --flux-config FILE (likewise) */
    bool no_flux;                   /* in: never follow Flux objects (live snapshots) */
    /* out: the per-Kustomization groups of a Flux render (ngroups 0 otherwise) */
    flux_result groups;
} cli_render;

/* Reads the Flux flags shared by build, diff and check at argv[*i] into r (--source,
 * --chart-source, --charts, --missing-charts, --kustomization, --flux-config,
 * --kubeconfig-secret, --strict-substitute, --flux-objects); true when it was one.
 * *bad is set (after a usage message) for a malformed value. */
bool cli_flux_flag(const char *verb, int argc, char **argv, int *i, cli_render *r, bool *bad);
/* Frees what cli_flux_flag allocated (the --source and --chart-source lists). */
void cli_flux_free(cli_render *r);

/* Renders PATH ("-": standard input) into r->set, finalized and in apply order; with rev, PATH
 * as it is in that git revision (read from the object database). False after diagnostics
 * (print them with cli_render_print_diags). jobs 0: one per processor. */
bool cli_render_path(cli_render *r, const char *path, const char *rev, bool load_none,
                     bool managed_by, int jobs);
void cli_render_print_diags(const cli_render *r);
void cli_render_free(cli_render *r);
/* Frees everything now (cli_render_free leaves memory to the process exit): for loops. */
void cli_render_release(cli_render *r);

/* The kustomization directories (relative to the working directory, sorted) whose output can
 * change with the files `paths` (np of them), or, paths NULL, with the files changed since
 * revision base (base NULL: the staged files). top_only drops those another affected directory
 * includes. False after printing an error. */
bool cli_affected_roots(arena *a, const char *const *paths, size_t np, const char *base,
                        bool top_only, const char ***out, size_t *n);

#endif
