/* Helpers shared by the Sprig function files: Go's conversions (spf13/cast, Sprig's strval),
 * reflection-like access to slices, emptiness, Go's UTF-8 decoding and the Unicode case and
 * class tables Sprig's string functions need. */
#ifndef KILN_SPRIG_INT_H
#define KILN_SPRIG_INT_H

#include "template/tpl.h"
#include "template/tpl_fns.h"

#define SPRIG_RUNE_ERROR 0xFFFDu

/* ---- conversions (sprig_strings.c) ---- */

/* Sprig's strval: strings and []byte as is, Stringers through String(), the rest as %v. */
void sprig_strval(buf_t *out, const tpl_val *v);
/* strval into the arena; *n gets the length. */
const char *sprig_strval_a(arena *a, const tpl_val *v, size_t *n);
/* Go's strconv.Quote (as fmt's %q prints a string). */
void sprig_go_quote(buf_t *out, const char *s, size_t n);
/* strconv.ParseInt(s, base, 64) (base 0: Go prefixes and underscores); false on error. */
bool sprig_parse_int(const char *s, size_t n, int base, int64_t *out);
/* strconv.ParseFloat(s, 64); false on error. */
bool sprig_parse_float(const char *s, size_t n, double *out);
/* spf13/cast ToInt64 / ToFloat64 (0 on failure, as Sprig ignores the error). */
int64_t sprig_to_int64(const tpl_val *v);
double sprig_to_float64(const tpl_val *v);
/* A []string value of n arena strings. */
const tpl_val *sprig_strlist(arena *a, const char **s, const size_t *lens, size_t n);

/* ---- reflection ---- */

/* Slice or array kind (a list or []byte). */
bool sprig_is_seq(const tpl_val *v);
size_t sprig_seq_len(const tpl_val *v);
const tpl_val *sprig_seq_at(arena *a, const tpl_val *v, size_t i);
/* Sprig's empty(): zero values, empty strings/slices/maps, nil. */
bool sprig_empty(const tpl_val *v);
/* What Go panics with when reflect.TypeOf(nil).Kind() is called. */
bool sprig_nil_panic(tpl_ctx *c);

/* ---- UTF-8 and Unicode ---- */

/* utf8.DecodeRuneInString: invalid or truncated sequences give RuneError with size 1. */
size_t sprig_utf8_dec(const char *s, size_t n, uint32_t *r);
void sprig_utf8_put(buf_t *out, uint32_t r);
uint32_t sprig_to_upper(uint32_t r);
uint32_t sprig_to_lower(uint32_t r);
bool sprig_is_upper(uint32_t r);
bool sprig_is_lower(uint32_t r);
bool sprig_is_letter(uint32_t r);
bool sprig_is_digit(uint32_t r);
bool sprig_is_number(uint32_t r);
bool sprig_is_space(uint32_t r);
bool sprig_is_punct(uint32_t r);

/* ---- randomness (sprig_misc.c): RAND_bytes, or a seeded generator when opts ask ---- */
void sprig_rand_bytes(tpl_ctx *c, unsigned char *p, size_t n);
/* A uniform integer in [0, n). */
uint64_t sprig_rand_below(tpl_ctx *c, uint64_t n);

/* ---- time (sprig_misc.c) ---- */
typedef struct sprig_time {
    int64_t sec;      /* Unix seconds */
    int32_t nsec;     /* 0..999999999 */
    int32_t off;      /* zone offset east of UTC, seconds */
    const char *zone; /* abbreviation ("UTC", "CET") */
    const char *loc;  /* location name ("UTC", "Local", "Europe/Paris") */
} sprig_time;
extern const tpl_type sprig_time_type;
const tpl_val *sprig_time_val(arena *a, const sprig_time *t);
/* The time held by v (a time.Time object), or NULL. */
const sprig_time *sprig_time_of(const tpl_val *v);

/* encoding/json Unmarshal into interface{} (maps, []interface{}, float64, string, bool, nil);
 * false with Go's error text ("invalid character 'x' looking for beginning of value"). For
 * Helm's fromJson/fromJsonArray too. */
bool sprig_json_decode(arena *a, const char *s, size_t n, const tpl_val **out, const char **err);

/* Go's time.ParseDuration (false with Go's error text in *err) and Duration.String, for Helm's
 * own duration helpers. */
bool sprig_duration_parse(arena *a, const char *s, size_t n, int64_t *ns, const char **err);
void sprig_duration_string(buf_t *out, int64_t ns);

#endif
