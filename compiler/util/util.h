/* Shared support for every stage: the per-build arena, growable byte buffers and small helpers.
 *
 * Ownership rule: memory from an arena belongs to the arena and is released all at once by
 * ar_free(); a buf_t owns its bytes until buf_free() or until they are handed over with
 * buf_steal(). Out of memory is fatal: util_oom() prints one line and exits with status 2, so
 * every allocation is checked in one place and callers never see NULL. */
#ifndef KILN_UTIL_H
#define KILN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ar_chunk ar_chunk;
typedef struct arena {
    ar_chunk *head;
    size_t used_total; /* bytes handed out, for statistics */
} arena;

void ar_init(arena *a);
void ar_free(arena *a);
/* Moves every chunk of `from` into `to` (their memory now lives as long as `to`); `from` is empty
 * after. */
void ar_adopt(arena *to, arena *from);
/* Empties an arena for reuse: its newest chunk is kept (zeroed again), the others released;
 * every pointer into it is invalid afterwards. */
void ar_reset(arena *a);
void *ar_alloc(arena *a, size_t n); /* zeroed, 16-byte aligned */
void *ar_realloc(arena *a, void *p, size_t old_n, size_t new_n);
char *ar_strndup(arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *ar_strdup(arena *a, const char *s);
char *ar_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A growable byte buffer; data is always NUL-terminated when len > 0 or after buf_cstr(). */
typedef struct buf {
    char *data;
    size_t len, cap;
} buf_t;

void buf_grow(buf_t *b, size_t extra);
void buf_put(buf_t *b, const void *p, size_t n);
void buf_puts(buf_t *b, const char *s);
/* One byte: inline, since writers put most of their output a byte at a time. */
static inline void buf_putc(buf_t *b, char c)
{
    if (b->len + 2 > b->cap) buf_grow(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = 0;
}
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *buf_cstr(buf_t *b);
void buf_free(buf_t *b);

/* Reads the whole file at path into the arena (NUL-terminated); false when it cannot be opened.
 * For files the user names outside a source tree (chart caches, chart directories): files of
 * the repository are read through src_read, which keeps to its root. */
bool util_read_file(arena *a, const char *path, char **data, size_t *n);

void *util_xmalloc(size_t n);
void *util_xrealloc(void *p, size_t n);
_Noreturn void util_oom(void);

/* UTF-8: length in bytes of the sequence starting with byte c (1 for invalid lead bytes). */
static inline int util_utf8_width(unsigned char c)
{
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;
}
bool util_utf8_valid(const char *s, size_t n);
/* Decodes the UTF-8 sequence at s (n bytes left) into *cp; an invalid or truncated sequence is
 * U+FFFD counting one byte, as Go's range over a string does. Returns 0 only when n is 0. */
size_t util_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Appends code point cp as UTF-8 (surrogates and values past U+10FFFF as U+FFFD). */
void util_utf8_put(buf_t *b, uint32_t cp);

/* Hash of a byte string (xxHash XXH3 64-bit). */
uint64_t util_hash(const void *p, size_t n);

/* SHA-1, SHA-256 and SHA-512 digests of n bytes into out (20, 32 or 64 bytes). Through OpenSSL's
 * low-level functions, which need none of its provider set-up (about 1 ms of a small run). */
typedef enum { UTIL_SHA1, UTIL_SHA256, UTIL_SHA512 } util_digest_kind;
size_t util_digest(util_digest_kind k, const void *p, size_t n, unsigned char *out);

#endif
