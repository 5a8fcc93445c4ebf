/* Implements the arena, byte buffers and allocation helpers declared in util.h. */
/* SHA*_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP, which loads providers */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <openssl/sha.h>
#include <xxhash.h>

_Noreturn void util_oom(void)
{
    fputs("kiln: error: out of memory\n", stderr);
    exit(2);
}

void *util_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) util_oom();
    return p;
}

void *util_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) util_oom();
    return q;
}

/* With KILN_ARENA_MALLOC every allocation is its own malloc block, so that AddressSanitizer
 * sees overflows between objects; otherwise allocations are bumped out of large chunks. */
struct ar_chunk {
    ar_chunk *next;
    size_t cap, used, top; /* aligned objects grow up from 0, byte strings down from cap */
    size_t mapped;         /* bytes mapped with mmap (0: from calloc) */
    _Alignas(16) unsigned char mem[];
};

#ifdef KILN_ARENA_MALLOC
#define AR_CHUNK_MIN 0
#else
#define AR_CHUNK_MIN (64 * 1024)
#endif

void ar_init(arena *a)
{
    a->head = NULL;
    a->used_total = 0;
}

static void chunk_release(ar_chunk *c)
{
    if (c->mapped)
        munmap(c, c->mapped);
    else
        free(c);
}

void ar_free(arena *a)
{
    ar_chunk *c = a->head;
    while (c) {
        ar_chunk *n = c->next;
        chunk_release(c);
        c = n;
    }
    a->head = NULL;
}

static ar_chunk *ar_chunk_for(arena *a, size_t need)
{
    ar_chunk *c = a->head;
    if (c && c->top - c->used >= need) return c;
    size_t cap = need > AR_CHUNK_MIN ? need : AR_CHUNK_MIN;
    /* keep growing chunk sizes so big builds do few mallocs */
    if (c && AR_CHUNK_MIN && c->cap * 2 > cap && c->cap < (16u << 20)) cap = c->cap * 2;
    /* zeroed memory, and arena memory is never reused, so allocations need no memset of their
     * own: chunks are mapped (pages arrive zeroed, and only when touched); ASan builds use calloc
     */
    size_t bytes = sizeof(ar_chunk) + cap;
#ifdef KILN_ARENA_MALLOC
    c = calloc(1, bytes);
    if (!c) util_oom();
    c->mapped = 0;
#else
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) util_oom();
    c = m;
    c->mapped = bytes;
#endif
    c->cap = cap;
    c->used = 0;
    c->top = cap;
    c->next = a->head;
    a->head = c;
    return c;
}

void ar_adopt(arena *to, arena *from)
{
    ar_chunk *c = from->head;
    if (!c) return;
    ar_chunk *last = c;
    while (last->next)
        last = last->next;
    /* the adopted chunks go behind the current head so that `to` keeps bumping its own chunk */
    if (to->head) {
        last->next = to->head->next;
        to->head->next = c;
    } else {
        to->head = c;
    }
    to->used_total += from->used_total;
    from->head = NULL;
    from->used_total = 0;
}

void ar_reset(arena *a)
{
    ar_chunk *c = a->head;
    if (!c) return;
    for (ar_chunk *n = c->next; n;) {
        ar_chunk *next = n->next;
        chunk_release(n);
        n = next;
    }
    c->next = NULL;
    /* allocations count on zeroed memory */
    memset(c->mem, 0, c->used);
    memset(c->mem + c->top, 0, c->cap - c->top);
    c->used = 0;
    c->top = c->cap;
    a->used_total = 0;
}

void *ar_alloc(arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n) util_oom();
    ar_chunk *c = ar_chunk_for(a, need);
    void *p = c->mem + c->used;
    c->used += need;
    a->used_total += need;
    return p;
}

/* Unaligned bytes (strings) come from the top of the chunk. */
static char *ar_bytes(arena *a, size_t n)
{
    if (n + 16 < n) util_oom();
    ar_chunk *c = ar_chunk_for(a, n);
    c->top -= n;
    a->used_total += n;
    return (char *)c->mem + c->top;
}

void *ar_realloc(arena *a, void *p, size_t old_n, size_t new_n)
{
    if (new_n <= old_n) return p;
    void *q = ar_alloc(a, new_n);
    if (p && old_n) memcpy(q, p, old_n);
    return q;
}

char *ar_strndup(arena *a, const char *s, size_t n)
{
    char *p = ar_bytes(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *ar_strdup(arena *a, const char *s)
{
    return ar_strndup(a, s, strlen(s));
}

char *ar_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = ar_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void buf_grow(buf_t *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need < b->len) util_oom();
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    b->data = util_xrealloc(b->data, cap);
    b->cap = cap;
}

void buf_put(buf_t *b, const void *p, size_t n)
{
    buf_grow(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
}

void buf_puts(buf_t *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    buf_grow(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *buf_cstr(buf_t *b)
{
    buf_grow(b, 0);
    b->data[b->len] = 0;
    return b->data;
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

bool util_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        int w;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0)
            w = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            w = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            w = 4, cp = c & 0x07;
        else
            return false;
        if (i + (size_t)w > n) return false;
        for (int k = 1; k < w; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((w == 2 && cp < 0x80) || (w == 3 && cp < 0x800) || (w == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += (size_t)w;
    }
    return true;
}

uint64_t util_hash(const void *p, size_t n)
{
    return XXH3_64bits(p, n);
}

size_t util_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    *cp = 0xFFFD;
    if (n == 0) return 0;
    unsigned char c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t w;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) {
        w = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        w = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        w = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 1;
    }
    if (n < w) return 1;
    for (size_t k = 1; k < w; k++) {
        if ((u[k] & 0xC0) != 0x80) return 1;
        v = (v << 6) | (u[k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 1;
    *cp = v;
    return w;
}

void util_utf8_put(buf_t *b, uint32_t cp)
{
    char t[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        buf_put(b, t, 4);
    }
}

size_t util_digest(util_digest_kind k, const void *p, size_t n, unsigned char *out)
{
    /* the low-level functions: SHA256() and the EVP calls would fetch from a provider */
    const unsigned char *d = p ? p : (const unsigned char *)"";
    switch (k) {
    case UTIL_SHA1: {
        SHA_CTX c;
        SHA1_Init(&c);
        SHA1_Update(&c, d, n);
        SHA1_Final(out, &c);
        return SHA_DIGEST_LENGTH;
    }
    case UTIL_SHA256: {
        SHA256_CTX c;
        SHA256_Init(&c);
        SHA256_Update(&c, d, n);
        SHA256_Final(out, &c);
        return SHA256_DIGEST_LENGTH;
    }
    case UTIL_SHA512: {
        SHA512_CTX c;
        SHA512_Init(&c);
        SHA512_Update(&c, d, n);
        SHA512_Final(out, &c);
        return SHA512_DIGEST_LENGTH;
    }
    }
    return 0;
}

bool util_read_file(arena *a, const char *path, char **data, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    buf_t b = {0};
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        buf_put(&b, tmp, k);
    fclose(f);
    *data = ar_strndup(a, b.data ? b.data : "", b.len);
    *n = b.len;
    buf_free(&b);
    return true;
}
