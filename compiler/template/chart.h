/* Helm chart semantics on top of the template engine: --set parsing (strvals), values
 * coalescing, chart loading (directories and .tgz archives), dependency processing and the
 * `helm template` render with its output rules. Prefix chart_ (strvals: chart_set_). */
#ifndef KILN_CHART_H
#define KILN_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "template/tpl.h"

/* ---- --set parsing (setparse.c), Helm's pkg/strvals ---- */

typedef enum {
    CHART_SET_TYPED,   /* --set: true/false/null, int64, else string */
    CHART_SET_STRING,  /* --set-string: every value a string */
    CHART_SET_FILE,    /* --set-file: values are paths, replaced by the file's text */
    CHART_SET_JSON,    /* --set-json key=JSON */
    CHART_SET_LITERAL, /* --set-literal: key=rest of the line, verbatim */
} chart_set_kind;

/* Parses one --set style argument into dest (a map[string]interface{} tree, modified in
 * place). False with *err holding Helm's message (without the "failed parsing --set data: "
 * prefix). `base_dir` resolves relative --set-file paths (NULL: the working directory). */
bool chart_set_parse(arena *a, const char *s, size_t n, chart_set_kind kind, tpl_map *dest,
                     const char **err);

/* A JSON text as a template value (numbers float64), encoding/json's Decoder.Decode: parses
 * one value at the start of s (after white space); *used gets the bytes consumed. */
bool chart_json_decode(arena *a, const char *s, size_t n, const tpl_val **out, size_t *used,
                       const char **err);

/* ---- values (values.c) ---- */

/* A deep copy of maps and lists (scalars shared). */
const tpl_val *chart_deep_copy(arena *a, const tpl_val *v);
tpl_map *chart_map_deep_copy(arena *a, const tpl_map *m);
/* Helm's cli/values mergeMaps: b over a, maps merged recursively, a new top map. */
tpl_map *chart_merge_maps(arena *a, const tpl_map *am, const tpl_map *bm);
/* sigs.k8s.io/yaml.Unmarshal of a values file into a map (numbers float64, YAML 1.1 keys).
 * An empty file is an empty map. False with *err. */
bool chart_values_parse(arena *a, const char *text, size_t n, tpl_map **out, const char **err);

/* ---- charts (chart.c) ---- */

typedef struct chart_file {
    const char *name; /* path inside the chart ("templates/x.yaml", "files/a.txt") */
    const char *data;
    size_t n;
} chart_file;

typedef struct chart_dep chart_dep;
typedef struct chart chart;

struct chart_dep {
    const char *name, *version, *repository, *condition, *alias;
    const char **tags;
    size_t ntags;
    const tpl_val *import_values; /* the list as written (strings or child/parent maps) */
    bool enabled;
};

struct chart {
    tpl_map *meta;      /* Chart.yaml fields under Helm's Go names (Name, Version...) */
    const char *name;   /* metadata name (an alias replaces it) */
    const char *apiv;   /* "v1" / "v2" */
    const char *type;   /* "", "application", "library" */
    tpl_map *values;    /* values.yaml */
    const char *schema; /* values.schema.json text or NULL */
    size_t schema_n;
    uint32_t schema_file; /* its diag file id */
    chart_file *templates, *files, *crds;
    size_t ntemplates, nfiles, ncrds;
    chart_dep *deps; /* Chart.yaml (v2) / requirements.yaml (v1) dependencies */
    size_t ndeps;
    chart **subs; /* loaded subcharts (the dependencies present) */
    size_t nsubs;
    chart *parent;
};

/* Loads the chart at path (a directory or a .tgz archive). False after a diagnostic. */
bool chart_load(arena *a, diag_ctx *d, const char *path, chart **out);

/* ---- helm template (render.c) ---- */

typedef struct chart_opts {
    const char *release, *ns;
    const char *kube_version; /* NULL: v1.35.0 */
    const char **api_versions;
    size_t napi_versions;
    const char **show_only;
    size_t nshow_only;
    bool include_crds, no_hooks, skip_tests, skip_schema;
    bool debug; /* on a YAML error, print the rendered document to stderr (helm --debug) */
} chart_opts;

/* Renders `c` with the user values `vals` (already merged from -f/--set) the way
 * `helm template` does, appending the output to out. False with *err set to Helm's message
 * (as printed after "Error: ") and *pos to where it happened (may be diag_nopos). */
bool chart_render(arena *a, diag_ctx *d, chart *c, tpl_map *vals, const chart_opts *o, buf_t *out,
                  const char **err, diag_pos *pos);

#endif
