/* The scalar rules of the Go YAML libraries the reference tools are built on: how go-yaml v3
 * (kustomize's reader) and v2 (the writer behind sigs.k8s.io/yaml) resolve plain scalars, how Go
 * formats floats and timestamps, and the "natural" key order go-yaml v2 sorts mappings by.
 * Pure functions, no allocation. Prefix ky_ (kiln yaml), to stay clear of libyaml's yaml_. */
#ifndef KILN_GOYAML_H
#define KILN_GOYAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { KY_V2, KY_V3 } ky_flavor;

typedef enum {
    KY_STR,
    KY_NULL,
    KY_BOOL,
    KY_INT,
    KY_UINT,
    KY_FLOAT,
    KY_TIMESTAMP,
    KY_MERGE
} ky_kind;

typedef struct ky_value {
    ky_kind kind;
    bool b;
    int64_t i;
    uint64_t u;
    double f;
} ky_value;

/* Resolves an untagged plain scalar the way go-yaml `flavor` does. */
ky_kind ky_resolve(ky_flavor flavor, const char *s, size_t n, ky_value *out);

/* Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) on s (underscores not removed). */
bool ky_parse_int_go(const char *s, size_t n, int64_t *out);
bool ky_parse_uint_go(const char *s, size_t n, uint64_t *out);

/* True when go-yaml v2 would write s with quotes: it resolves to another type or looks like a
 * YAML 1.1 base-60 float. */
bool ky_v2_needs_quotes(const char *s, size_t n);

/* strconv.FormatFloat(f, 'g', -1, 64), with .inf/-.inf/.nan as go-yaml writes them. out >= 32. */
size_t ky_format_float_g(double f, char *out);
/* A float as it prints after kustomize's JSON round trip (json.Marshal, then go-yaml v2): whole
 * numbers print as integers, others as ky_format_float_g. out >= 32. */
size_t ky_format_float_json_v2(double f, char *out);

/* go-yaml v2's mapping key order (keyList.Less) for two string keys: < 0, 0 or > 0. */
int ky_key_cmp(const char *a, size_t an, const char *b, size_t bn);

/* Parses a YAML timestamp as go-yaml does (time.Parse with its four layouts) and writes it the way
 * Go's time.Time marshals to JSON (RFC 3339 with nanoseconds, trailing zeros trimmed). out >= 64.
 */
bool ky_timestamp_rfc3339(const char *s, size_t n, char *out, size_t outsz);

#endif
