/* The validate stage's public interface: the findings report that schema validation and
 * policies fill in and that `kiln check` prints, and the two passes that fill it.
 *
 * Ownership: every string and array of a report lives in the arena given to vd_report_add;
 * findings point at the resources and nodes of the rendered set (they outlive neither). */
#ifndef KILN_VALIDATE_H
#define KILN_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "util/util.h"

typedef enum { VD_ERROR, VD_WARNING } vd_sev;

/* One finding. */
typedef struct vd_result {
    vd_sev sev;
    const char *rule;    /* policy name ("privileged", "ingress-tls") or "schema", "schema/..." */
    const ir_res *res;   /* the object, or NULL for a finding about the run (a bad policy file) */
    const char *path;    /* field path in kiln's notation: spec.containers[name=web].image; "" */
    diag_pos pos;        /* where the offending value was written; the object's start if unknown */
    const char *message; /* one line, no trailing period needed */
} vd_result;

/* A policy skipped for one object through its kiln.dev/ignore annotation. */
typedef struct vd_skip {
    const ir_res *res;
    const char *rule;
    const char *reason; /* the kiln.dev/ignore-reason annotation, or "" */
} vd_skip;

typedef struct vd_report {
    vd_result *items;
    size_t n, cap;
    vd_skip *skips;
    size_t nskips, capskips;
    size_t objects; /* objects checked */
} vd_report;

void vd_report_add(arena *a, vd_report *r, vd_sev sev, const char *rule, const ir_res *res,
                   const char *path, diag_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
void vd_report_skip(arena *a, vd_report *r, const ir_res *res, const char *rule,
                    const char *reason);
/* Sorts findings by object order in the set, then path, then rule (stable output). */
void vd_report_sort(vd_report *r, const ir_resset *set);
size_t vd_report_count(const vd_report *r, vd_sev sev);

/* The node a kiln field path names inside obj ("spec.containers[name=web].image",
 * "spec.volumes[2]", "metadata.annotations[app.kubernetes.io/name]"), or the deepest existing
 * node on the way (so a missing field points at its parent); never NULL for a non-NULL obj. */
const ir_node *vd_path_node(const ir_node *obj, const char *path);

/* ---- schema validation (schema.c) ---- */

typedef struct vd_schema_opts {
    const char *const *sources; /* --schema DIR|FILE, in order */
    size_t nsources;
    bool strict;           /* unknown fields and duplicate keys are errors */
    bool require_schemas;  /* "no schema" is an error, not a warning */
    const char *cache_dir; /* NULL: $XDG_CACHE_HOME/kiln/schemas (or ~/.cache/...); "" none */
} vd_schema_opts;

/* Validates every object of set (CRDs in the set first supply schemas for their kinds).
 * Returns false only for an input error (unreadable schema file), reported to d. */
bool vd_schema_check(arena *a, diag_ctx *d, const ir_resset *set, const vd_schema_opts *o,
                     vd_report *r);
/* `kiln schema import`: compiles the schema sources into the cache; false after diagnostics. */
bool vd_schema_import(arena *a, diag_ctx *d, const vd_schema_opts *o, const char **cache_file);

/* ---- policies (policy.c) ---- */

typedef struct vd_policy_opts {
    const char *const *sources; /* --policy FILE|DIR, in order */
    size_t nsources;
    const char *policy_set; /* "baseline,gitops" (default), "restricted", "none", ... */
    const char *stdlib_dir; /* the stdlib/ directory (policies under stdlib/policies/) */
    const ir_node *params;  /* --params FILE: default params for stdlib policies, or NULL */
} vd_policy_opts;

/* The stdlib policy files embedded into the binary (generated build/gen/stdlib_data.c): path
 * relative to stdlib/ ("policies/baseline/privileged.yaml"), bytes, length; NULL-path ended. */
typedef struct vd_stdlib_file {
    const char *path;
    const char *data;
    size_t len;
} vd_stdlib_file;
extern const vd_stdlib_file vd_stdlib_files[];
extern const size_t vd_stdlib_nfiles;

/* Evaluates the ValidatingAdmissionPolicies of the render, of o->sources and of the chosen
 * stdlib sets against every object of set. False only for an input error (a policy that does
 * not parse, a CEL syntax error), reported to d with the expression's position. */
bool vd_policy_check(arena *a, diag_ctx *d, const ir_resset *set, const vd_policy_opts *o,
                     vd_report *r);

/* ---- several renders' reports as one (report_merge.c) ---- */

/* `kiln check --affected`: the reports of several renders merged. Their files are gathered in
 * one diagnostics context (the merged findings' positions refer to it); an object that two
 * renders produce from the same source document with the same identity (a base shared by two
 * clusters) is one object, its findings and skips attached to the first; a finding or skip
 * reported alike twice is kept once. Everything lives in the arena given to vd_merge_init; the
 * renders must outlive the merge. */
typedef struct vd_merge_seen vd_merge_seen;
typedef struct vd_merge {
    arena *a;
    diag_ctx files;
    vd_report rep;
    const ir_res **objs; /* every distinct object, in the order the renders gave them */
    size_t nobjs, capobjs;
    vd_merge_seen *seen; /* open addressing map of object, finding and skip keys */
    size_t nseen, capseen;
} vd_merge;

void vd_merge_init(vd_merge *m, arena *a);
/* Adds one render's report (positions in d, objects of set). */
void vd_merge_add(vd_merge *m, const diag_ctx *d, const ir_resset *set, const vd_report *r);
/* Sorts the merged report by object (in m->objs order), path and rule. */
void vd_merge_finish(vd_merge *m);
void vd_merge_free(vd_merge *m);

/* ---- printing a report (report_out.c) ---- */

/* What the printers need besides the report: the diagnostics context that names the files of
 * the findings' positions (and holds their text, for the text format's source lines). */
typedef struct vd_out_opts {
    const diag_ctx *d;
    const char *root;    /* absolute repository root: SARIF and github paths are made relative
                            to it; NULL: paths as the diagnostics name them */
    const char *cwd;     /* absolute directory the relative file names start from (with root) */
    const char *version; /* the tool's version (SARIF driver) */
    bool color;          /* text: ANSI colours */
    const ir_res *const *objs; /* junit: every object checked (clean ones pass), or NULL */
    size_t nobjs;
} vd_out_opts;

/* Each appends the whole report to b; r is printed in its order (sort it first). */
/* text: every finding as `file:line:col: error: [rule] object: path: message` with the source
 * line and a caret, each skip, then a summary line. */
void vd_report_text(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o);
/* json: {"summary": {...}, "results": [...], "skipped": [...]} on one line. */
void vd_report_json(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o);
/* sarif: a SARIF 2.1.0 log with one run (GitHub code scanning's subset). */
void vd_report_sarif(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o);
/* junit: JUnit XML, a testsuite per object and a testcase per object and rule. */
void vd_report_junit(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o);
/* github: GitHub Actions workflow commands (::error file=...::message), then the summary. */
void vd_report_github(buf_t *b, arena *a, const vd_report *r, const vd_out_opts *o);

#endif
