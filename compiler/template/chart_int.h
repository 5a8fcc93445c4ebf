/* The chart front end's private declarations shared by values.c, chart.c and render.c. */
#ifndef KILN_CHART_INT_H
#define KILN_CHART_INT_H

#include "template/chart.h"

/* Helm's coalesceTablesFullKey: src's keys missing from dst copied in, tables merged
 * recursively, dst authoritative; !merge: a null in dst deletes the key. */
void chart_coalesce_tables(arena *a, tpl_map *dst, tpl_map *src, bool merge);
/* CoalesceValues (merge false) / MergeValues (merge true) of c's values under vals (copied). */
bool chart_coalesce(arena *a, const chart *c, const tpl_map *vals, bool merge, tpl_map **out,
                    const char **err);
/* Enables/disables dependencies (tags, conditions, aliases) and imports values, as
 * ProcessDependenciesWithMerge does. */
bool chart_process_deps(arena *a, chart *c, const tpl_map *vals, const char **err);
/* The chart's full path: "parent/charts/name". */
const char *chart_full_path(arena *a, const chart *c);
/* Validates vals against the chart's values.schema.json (and its subcharts'); false with
 * *err (Helm's message body). */
bool chart_schema_validate(arena *a, const chart *c, const tpl_map *vals, buf_t *err,
                           diag_pos *pos);

#endif
