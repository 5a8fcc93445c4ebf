/* Sprig's encoding and crypto functions: base64/base32 with Go's decoders and error texts,
 * sha1/sha256/sha512/adler32 sums, bcrypt/htpasswd, derivePassword (Master Password: scrypt +
 * HMAC-SHA256), AES-CBC encryptAES/decryptAES, randBytes, private keys and the certificate
 * generators (genCA, genSelfSignedCert, genSignedCert, their WithKey forms, buildCustomCert),
 * all through OpenSSL with the X.509 profile Go's crypto/x509 writes for Sprig's templates. */
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "template/sprig_int.h"

#define A tpl_arena(c)
#define S(i) (args[i]->str.s)
#define N(i) (args[i]->str.n)

static bool ret_buf(tpl_ctx *c, buf_t *b, const tpl_val **out)
{
    *out = tpl_str_buf(A, b);
    buf_free(b);
    return true;
}

/* ---------------------------------------------------------------- base64 / base32 */

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b32_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static void b64_encode(buf_t *b, const unsigned char *s, size_t n)
{
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
        char q[4] = {b64_alpha[v >> 18], b64_alpha[(v >> 12) & 63], b64_alpha[(v >> 6) & 63],
                     b64_alpha[v & 63]};
        buf_put(b, q, 4);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)s[i] << 16;
        char q[4] = {b64_alpha[v >> 18], b64_alpha[(v >> 12) & 63], '=', '='};
        buf_put(b, q, 4);
    } else if (n - i == 2) {
        uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8;
        char q[4] = {b64_alpha[v >> 18], b64_alpha[(v >> 12) & 63], b64_alpha[(v >> 6) & 63], '='};
        buf_put(b, q, 4);
    }
}

static int b64_val(unsigned char ch)
{
    const char *p = ch ? strchr(b64_alpha, ch) : NULL;
    return p ? (int)(p - b64_alpha) : -1;
}

/* encoding/base64 StdEncoding.DecodeString; false with the error's byte offset. */
static bool b64_decode(buf_t *out, const char *src, size_t n, long *bad)
{
    size_t si = 0;
    for (;;) {
        unsigned char dbuf[4] = {0};
        int dlen = 4, j;
        bool trailing = false;
        for (j = 0; j < 4; j++) {
            if (si == n) {
                if (j == 0) return true;
                *bad = (long)(si - (size_t)j);
                return false;
            }
            unsigned char in = (unsigned char)src[si++];
            int v = b64_val(in);
            if (v >= 0) {
                dbuf[j] = (unsigned char)v;
                continue;
            }
            if (in == '\n' || in == '\r') {
                j--;
                continue;
            }
            if (in != '=') {
                *bad = (long)si - 1;
                return false;
            }
            if (j == 0 || j == 1) {
                *bad = (long)si - 1;
                return false;
            }
            if (j == 2) {
                while (si < n && (src[si] == '\n' || src[si] == '\r'))
                    si++;
                if (si == n) {
                    *bad = (long)n;
                    return false;
                }
                if (src[si] != '=') {
                    *bad = (long)si - 1;
                    return false;
                }
                si++;
            }
            while (si < n && (src[si] == '\n' || src[si] == '\r'))
                si++;
            if (si < n) trailing = true;
            dlen = j;
            break;
        }
        uint32_t val =
            (uint32_t)dbuf[0] << 18 | (uint32_t)dbuf[1] << 12 | (uint32_t)dbuf[2] << 6 | dbuf[3];
        unsigned char o[3] = {(unsigned char)(val >> 16), (unsigned char)(val >> 8),
                              (unsigned char)val};
        buf_put(out, o, (size_t)(dlen - 1));
        if (trailing) {
            *bad = (long)si;
            return false;
        }
        if (dlen < 4) return true;
    }
}

static void b32_encode(buf_t *b, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i += 5) {
        unsigned char blk[5] = {0};
        size_t k = n - i < 5 ? n - i : 5;
        memcpy(blk, s + i, k);
        uint64_t v = 0;
        for (int j = 0; j < 5; j++)
            v = (v << 8) | blk[j];
        static const int outc[] = {0, 2, 4, 5, 7, 8};
        int nc = outc[k];
        for (int j = 0; j < 8; j++)
            buf_putc(b, j < nc ? b32_alpha[(v >> (35 - 5 * j)) & 31] : '=');
    }
}

/* encoding/base32 StdEncoding.DecodeString (newlines stripped first). */
static bool b32_decode(buf_t *out, const char *s0, size_t n0, long *bad)
{
    char *src = util_xmalloc(n0 + 1);
    size_t olen = 0;
    for (size_t i = 0; i < n0; i++)
        if (s0[i] != '\n' && s0[i] != '\r') src[olen++] = s0[i];
    size_t pos = 0;
    bool end = false, ok = true;
    while (pos < olen && !end) {
        unsigned char dbuf[8] = {0};
        int dlen = 8;
        for (int j = 0; j < 8;) {
            size_t left = olen - pos;
            if (left == 0) {
                *bad = (long)(olen - left) - j;
                ok = false;
                goto done;
            }
            unsigned char in = (unsigned char)src[pos++];
            left--;
            if (in == '=' && j >= 2 && left < 8) {
                if (left + (size_t)j < 7) {
                    *bad = (long)olen;
                    ok = false;
                    goto done;
                }
                for (int k = 0; k < 8 - 1 - j; k++)
                    if (left > (size_t)k && src[pos + (size_t)k] != '=') {
                        *bad = (long)(olen - left) + k - 1;
                        ok = false;
                        goto done;
                    }
                dlen = j;
                end = true;
                if (dlen == 1 || dlen == 3 || dlen == 6) {
                    *bad = (long)(olen - left) - 1;
                    ok = false;
                    goto done;
                }
                break;
            }
            const char *p = in ? strchr(b32_alpha, in) : NULL;
            if (!p) {
                *bad = (long)(olen - left) - 1;
                ok = false;
                goto done;
            }
            dbuf[j++] = (unsigned char)(p - b32_alpha);
        }
        uint64_t v = 0;
        for (int j = 0; j < 8; j++)
            v = (v << 5) | dbuf[j];
        static const int nbytes[] = {0, 0, 1, 0, 2, 3, 0, 4, 5};
        for (int j = 0; j < nbytes[dlen]; j++)
            buf_putc(out, (char)(v >> (32 - 8 * j)));
        if (end) {
            /* Go stops at the padding: anything after the quantum is not read */
            break;
        }
    }
done:
    free(src);
    return ok;
}

TPL_FN(tpl_f_b64enc)
{
    (void)nargs;
    buf_t b = {0};
    b64_encode(&b, (const unsigned char *)S(0), N(0));
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_b64dec)
{
    (void)nargs;
    buf_t b = {0};
    long bad;
    if (!b64_decode(&b, S(0), N(0), &bad)) {
        buf_free(&b);
        *out = tpl_str_ref(A, ar_printf(A, "illegal base64 data at input byte %ld", bad),
                           strlen(ar_printf(A, "illegal base64 data at input byte %ld", bad)));
        return true;
    }
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_b32enc)
{
    (void)nargs;
    buf_t b = {0};
    b32_encode(&b, (const unsigned char *)S(0), N(0));
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_b32dec)
{
    (void)nargs;
    buf_t b = {0};
    long bad;
    if (!b32_decode(&b, S(0), N(0), &bad)) {
        buf_free(&b);
        *out = tpl_cstr(A, ar_printf(A, "illegal base32 data at input byte %ld", bad));
        return true;
    }
    return ret_buf(c, &b, out);
}

/* ---------------------------------------------------------------- digests */

static bool digest_hex(tpl_ctx *c, const tpl_val *const *args, util_digest_kind md,
                       const tpl_val **out)
{
    unsigned char d[64];
    size_t dn = util_digest(md, S(0), N(0), d);
    buf_t b = {0};
    for (size_t i = 0; i < dn; i++)
        buf_printf(&b, "%02x", d[i]);
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_sha1sum)
{
    (void)nargs;
    return digest_hex(c, args, UTIL_SHA1, out);
}

TPL_FN(tpl_f_sha256sum)
{
    (void)nargs;
    return digest_hex(c, args, UTIL_SHA256, out);
}

TPL_FN(tpl_f_sha512sum)
{
    (void)nargs;
    return digest_hex(c, args, UTIL_SHA512, out);
}

TPL_FN(tpl_f_adler32sum)
{
    (void)nargs;
    uLong a = adler32(0L, Z_NULL, 0);
    const unsigned char *p = (const unsigned char *)S(0);
    size_t n = N(0);
    while (n > 0) {
        uInt k = n > 1u << 30 ? 1u << 30 : (uInt)n;
        a = adler32(a, p, k);
        p += k;
        n -= k;
    }
    *out = tpl_cstr(A, ar_printf(A, "%lu", (unsigned long)a));
    return true;
}

TPL_FN(tpl_f_randBytes)
{
    (void)nargs;
    int64_t n = args[0]->i;
    if (n < 0) return tpl_errorf(c, "runtime error: makeslice: len out of range");
    size_t lim = tpl_options(c)->max_output ? tpl_options(c)->max_output : (size_t)256 << 20;
    if ((uint64_t)n > lim) return tpl_errorf(c, "randBytes: too many bytes");
    unsigned char *p = ar_alloc(A, (size_t)n + 1);
    sprig_rand_bytes(c, p, (size_t)n);
    buf_t b = {0};
    b64_encode(&b, p, (size_t)n);
    return ret_buf(c, &b, out);
}

/* ---------------------------------------------------------------- bcrypt */

/* Blowfish's initial state is the fractional part of pi in hex: computed here (Machin's
 * formula on OpenSSL bignums) rather than carried as a 4 KiB table. */
static bool pi_words(uint32_t *w, size_t nw)
{
    size_t bits = nw * 32 + 64;
    BN_CTX *bc = BN_CTX_new();
    BIGNUM *one = BN_new(), *sum = BN_new(), *term = BN_new(), *tmp = BN_new();
    bool ok = bc && one && sum && term && tmp;
    /* pi = 16 atan(1/5) - 4 atan(1/239), in fixed point with `bits` fraction bits */
    for (int part = 0; ok && part < 2; part++) {
        unsigned long x = part == 0 ? 5 : 239, mul = part == 0 ? 16 : 4;
        BIGNUM *acc = BN_new();
        ok = acc && BN_one(one) && BN_lshift(one, one, (int)bits) && BN_copy(term, one) &&
             BN_div_word(term, x) != (BN_ULONG)-1;
        if (ok) BN_zero(acc);
        for (unsigned long k = 0; ok && !BN_is_zero(term); k++) {
            ok = BN_copy(tmp, term) != NULL && BN_div_word(tmp, 2 * k + 1) != (BN_ULONG)-1;
            if (ok) ok = (k & 1) ? BN_sub(acc, acc, tmp) : BN_add(acc, acc, tmp);
            if (ok) ok = BN_div_word(term, x * x) != (BN_ULONG)-1;
        }
        if (ok) ok = BN_mul_word(acc, mul);
        if (ok) ok = part == 0 ? BN_copy(sum, acc) != NULL : BN_sub(sum, sum, acc);
        BN_free(acc);
    }
    if (ok) {
        /* drop the integer part (3) and the guard bits, then read 32-bit words */
        BIGNUM *three = BN_new();
        ok = three && BN_set_word(three, 3) && BN_lshift(three, three, (int)bits) &&
             BN_sub(sum, sum, three) && BN_rshift(sum, sum, 64);
        BN_free(three);
        size_t nb = nw * 4;
        unsigned char *b = util_xmalloc(nb);
        if (ok) ok = BN_bn2binpad(sum, b, (int)nb) == (int)nb;
        for (size_t i = 0; ok && i < nw; i++)
            w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
                   (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
        free(b);
    }
    BN_free(one);
    BN_free(sum);
    BN_free(term);
    BN_free(tmp);
    BN_CTX_free(bc);
    return ok;
}

typedef struct {
    uint32_t p[18];
    uint32_t s[4][256];
} bf_state;

static uint32_t bf_f(const bf_state *st, uint32_t x)
{
    return ((st->s[0][x >> 24] + st->s[1][(x >> 16) & 255]) ^ st->s[2][(x >> 8) & 255]) +
           st->s[3][x & 255];
}

static void bf_encrypt(const bf_state *st, uint32_t *l, uint32_t *r)
{
    uint32_t xl = *l, xr = *r;
    for (int i = 0; i < 16; i += 2) {
        xl ^= st->p[i];
        xr ^= bf_f(st, xl);
        xr ^= st->p[i + 1];
        xl ^= bf_f(st, xr);
    }
    xl ^= st->p[16];
    xr ^= st->p[17];
    *l = xr;
    *r = xl;
}

static uint32_t stream_word(const unsigned char *d, size_t n, size_t *j)
{
    uint32_t w = 0;
    for (int i = 0; i < 4; i++) {
        w = (w << 8) | d[*j];
        *j = (*j + 1) % n;
    }
    return w;
}

/* ExpandKey(state, salt, key); salt NULL: plain key expansion. */
static void bf_expand(bf_state *st, const unsigned char *key, size_t kn, const unsigned char *salt)
{
    size_t j = 0;
    for (int i = 0; i < 18; i++)
        st->p[i] ^= stream_word(key, kn, &j);
    uint32_t l = 0, r = 0;
    size_t sj = 0;
    for (int i = 0; i < 18; i += 2) {
        if (salt) {
            l ^= stream_word(salt, 16, &sj);
            r ^= stream_word(salt, 16, &sj);
        }
        bf_encrypt(st, &l, &r);
        st->p[i] = l;
        st->p[i + 1] = r;
    }
    for (int b = 0; b < 4; b++)
        for (int i = 0; i < 256; i += 2) {
            if (salt) {
                l ^= stream_word(salt, 16, &sj);
                r ^= stream_word(salt, 16, &sj);
            }
            bf_encrypt(st, &l, &r);
            st->s[b][i] = l;
            st->s[b][i + 1] = r;
        }
}

static const char bcrypt_alpha[] =
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

static void bcrypt_b64(buf_t *b, const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        if (i + 1 < n) v |= (uint32_t)s[i + 1] << 8;
        if (i + 2 < n) v |= s[i + 2];
        buf_putc(b, bcrypt_alpha[v >> 18]);
        buf_putc(b, bcrypt_alpha[(v >> 12) & 63]);
        if (i + 1 < n) buf_putc(b, bcrypt_alpha[(v >> 6) & 63]);
        if (i + 2 < n) buf_putc(b, bcrypt_alpha[v & 63]);
    }
}

/* golang.org/x/crypto/bcrypt GenerateFromPassword(pw, 10): "$2a$10$" + salt + hash. */
static bool bcrypt_hash(tpl_ctx *c, const char *pw, size_t pn, buf_t *out, const char **err)
{
    if (pn > 72) {
        *err = "bcrypt: password length exceeds 72 bytes";
        return false;
    }
    bf_state *st = util_xmalloc(sizeof *st);
    if (!pi_words(&st->p[0], 18 + 1024)) {
        free(st);
        *err = "bcrypt: no Blowfish state";
        return false;
    }
    unsigned char salt[16];
    sprig_rand_bytes(c, salt, sizeof salt);
    unsigned char *key = util_xmalloc(pn + 1);
    memcpy(key, pw, pn);
    key[pn] = 0; /* Go appends a NUL */
    size_t kn = pn + 1;
    bf_expand(st, key, kn, salt);
    for (int i = 0; i < (1 << 10); i++) {
        bf_expand(st, key, kn, NULL);
        bf_expand(st, salt, 16, NULL);
    }
    static const char magic[] = "OrpheanBeholderScryDoubt";
    uint32_t cdata[6];
    size_t j = 0;
    for (int i = 0; i < 6; i++)
        cdata[i] = stream_word((const unsigned char *)magic, 24, &j);
    for (int i = 0; i < 64; i++)
        for (int k = 0; k < 6; k += 2)
            bf_encrypt(st, &cdata[k], &cdata[k + 1]);
    unsigned char hash[24];
    for (int i = 0; i < 6; i++) {
        hash[4 * i] = (unsigned char)(cdata[i] >> 24);
        hash[4 * i + 1] = (unsigned char)(cdata[i] >> 16);
        hash[4 * i + 2] = (unsigned char)(cdata[i] >> 8);
        hash[4 * i + 3] = (unsigned char)cdata[i];
    }
    buf_puts(out, "$2a$10$");
    bcrypt_b64(out, salt, 16);
    bcrypt_b64(out, hash, 23);
    free(key);
    free(st);
    return true;
}

TPL_FN(tpl_f_bcrypt)
{
    (void)nargs;
    buf_t b = {0};
    const char *err;
    if (!bcrypt_hash(c, S(0), N(0), &b, &err)) {
        buf_free(&b);
        *out = tpl_cstr(A, ar_printf(A, "failed to encrypt string with bcrypt: %s", err));
        return true;
    }
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_htpasswd)
{
    (void)nargs;
    if (memchr(S(0), ':', N(0))) {
        *out = tpl_cstr(A, ar_printf(A, "invalid username: %s", S(0)));
        return true;
    }
    buf_t b = {0};
    buf_put(&b, S(0), N(0));
    buf_putc(&b, ':');
    const char *err;
    if (!bcrypt_hash(c, S(1), N(1), &b, &err)) {
        b.len = N(0) + 1;
        buf_printf(&b, "failed to encrypt string with bcrypt: %s", err);
    }
    return ret_buf(c, &b, out);
}

/* ---------------------------------------------------------------- derivePassword */

typedef struct {
    const char *name;
    const char *const *tpl;
    int n;
} pw_type;

static const char *const pw_max[] = {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"};
static const char *const pw_long[] = {
    "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
    "CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
    "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
    "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
    "CvccCvcvCvccno"};
static const char *const pw_medium[] = {"CvcnoCvc", "CvcCvcno"};
static const char *const pw_short[] = {"Cvcn"};
static const char *const pw_basic[] = {"aaanaaan", "aannaaan", "aaannaaa"};
static const char *const pw_pin[] = {"nnnn"};

static const pw_type pw_types[] = {
    {"maximum", pw_max, 2}, {"long", pw_long, 21},  {"medium", pw_medium, 2},
    {"short", pw_short, 1}, {"basic", pw_basic, 3}, {"pin", pw_pin, 1},
};

static const char *pw_chars(char k)
{
    switch (k) {
    case 'V':
        return "AEIOU";
    case 'C':
        return "BCDFGHJKLMNPQRSTVWXYZ";
    case 'v':
        return "aeiou";
    case 'c':
        return "bcdfghjklmnpqrstvwxyz";
    case 'A':
        return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
    case 'a':
        return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    case 'n':
        return "0123456789";
    case 'o':
        return "@&%?,=[]_:-+*$#!'^~;()/.";
    default:
        return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
    }
}

static void put_be32(buf_t *b, uint32_t v)
{
    unsigned char q[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    buf_put(b, q, 4);
}

TPL_FN(tpl_f_derivePassword)
{
    (void)nargs;
    uint32_t counter = (uint32_t)sprig_to_int64(args[0]);
    const pw_type *t = NULL;
    for (size_t i = 0; i < sizeof pw_types / sizeof *pw_types; i++)
        if (!strcmp(pw_types[i].name, S(1))) t = &pw_types[i];
    if (!t) {
        *out = tpl_cstr(A, ar_printf(A, "cannot find password template %s", S(1)));
        return true;
    }
    static const char seed[] = "com.lyndir.masterpassword";
    buf_t salt = {0};
    buf_puts(&salt, seed);
    put_be32(&salt, (uint32_t)N(3));
    buf_put(&salt, S(3), N(3));
    unsigned char key[64];
    if (!EVP_PBE_scrypt(S(2), N(2), (const unsigned char *)salt.data, salt.len, 32768, 8, 2,
                        (uint64_t)256 << 20, key, sizeof key)) {
        buf_free(&salt);
        *out = tpl_cstr(A, "failed to derive password: scrypt failed");
        return true;
    }
    salt.len = sizeof seed - 1;
    put_be32(&salt, (uint32_t)N(4));
    buf_put(&salt, S(4), N(4));
    put_be32(&salt, counter);
    unsigned char mac[32];
    unsigned int mn = 0;
    HMAC(EVP_sha256(), key, sizeof key, (const unsigned char *)salt.data, salt.len, mac, &mn);
    buf_free(&salt);
    const char *tp = t->tpl[mac[0] % t->n];
    buf_t b = {0};
    for (size_t i = 0; tp[i]; i++) {
        const char *cs = pw_chars(tp[i]);
        buf_putc(&b, cs[mac[i + 1] % strlen(cs)]);
    }
    return ret_buf(c, &b, out);
}

/* ---------------------------------------------------------------- AES */

TPL_FN(tpl_f_encryptAES)
{
    (void)nargs;
    if (N(1) == 0) {
        *out = tpl_empty_str();
        return true;
    }
    unsigned char key[32] = {0};
    memcpy(key, S(0), N(0) < 32 ? N(0) : 32);
    size_t n = N(1), padded = n + 16 - n % 16;
    unsigned char *buf = util_xmalloc(16 + padded + 16);
    sprig_rand_bytes(c, buf, 16);
    EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    bool ok = cx && EVP_EncryptInit_ex(cx, EVP_aes_256_cbc(), NULL, key, buf) &&
              EVP_EncryptUpdate(cx, buf + 16, &l1, (const unsigned char *)S(1), (int)n) &&
              EVP_EncryptFinal_ex(cx, buf + 16 + l1, &l2);
    EVP_CIPHER_CTX_free(cx);
    if (!ok) {
        free(buf);
        return tpl_errorf(c, "crypto/aes: encryption failed");
    }
    buf_t b = {0};
    b64_encode(&b, buf, 16 + (size_t)l1 + (size_t)l2);
    free(buf);
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_decryptAES)
{
    (void)nargs;
    if (N(1) == 0) {
        *out = tpl_empty_str();
        return true;
    }
    unsigned char key[32] = {0};
    memcpy(key, S(0), N(0) < 32 ? N(0) : 32);
    buf_t raw = {0};
    long bad;
    if (!b64_decode(&raw, S(1), N(1), &bad)) {
        buf_free(&raw);
        return tpl_errorf(c, "illegal base64 data at input byte %ld", bad);
    }
    if (raw.len < 16) {
        size_t n = raw.len;
        buf_free(&raw);
        return tpl_errorf(c, "runtime error: slice bounds out of range [:16] with capacity %zu", n);
    }
    size_t n = raw.len - 16;
    if (n % 16) {
        buf_free(&raw);
        return tpl_errorf(c, "crypto/cipher: input not full blocks");
    }
    if (n == 0) {
        buf_free(&raw);
        return tpl_errorf(c, "runtime error: index out of range [-1]");
    }
    unsigned char *dec = util_xmalloc(n + 16);
    EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
    int l1 = 0;
    bool ok = cx &&
              EVP_DecryptInit_ex(cx, EVP_aes_256_cbc(), NULL, key, (unsigned char *)raw.data) &&
              EVP_CIPHER_CTX_set_padding(cx, 0) &&
              EVP_DecryptUpdate(cx, dec, &l1, (unsigned char *)raw.data + 16, (int)n);
    EVP_CIPHER_CTX_free(cx);
    buf_free(&raw);
    if (!ok) {
        free(dec);
        return tpl_errorf(c, "crypto/aes: decryption failed");
    }
    size_t pad = dec[n - 1];
    if (pad > n) {
        free(dec);
        return tpl_errorf(c, "runtime error: slice bounds out of range [:%lld]",
                          (long long)n - (long long)pad);
    }
    *out = tpl_str(A, (const char *)dec, n - pad);
    free(dec);
    return true;
}

/* ---------------------------------------------------------------- keys */

static EVP_PKEY *key_generate(const char *typ, const char **err)
{
    EVP_PKEY *k = NULL;
    if (!*typ || !strcmp(typ, "rsa")) {
        k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
    } else if (!strcmp(typ, "ecdsa")) {
        k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    } else if (!strcmp(typ, "ed25519")) {
        k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    } else if (!strcmp(typ, "dsa")) {
        EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL);
        EVP_PKEY *params = NULL;
        if (pc && EVP_PKEY_paramgen_init(pc) > 0 &&
            EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 2048) > 0 &&
            EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pc, 256) > 0 &&
            EVP_PKEY_paramgen(pc, &params) > 0) {
            EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
            if (kc && EVP_PKEY_keygen_init(kc) > 0) EVP_PKEY_keygen(kc, &k);
            EVP_PKEY_CTX_free(kc);
        }
        EVP_PKEY_free(params);
        EVP_PKEY_CTX_free(pc);
        if (!k) *err = "failed to generate dsa params: key generation failed";
        return k;
    } else {
        *err = NULL;
        return NULL;
    }
    if (!k) *err = "failed to generate private key: key generation failed";
    return k;
}

/* pemBlockForKey: PKCS#1 / SEC 1 / DSA traditional blocks, PKCS#8 for the rest. */
static bool key_pem(EVP_PKEY *k, buf_t *out)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio) return false;
    int id = EVP_PKEY_get_base_id(k);
    bool ok = (id == EVP_PKEY_RSA || id == EVP_PKEY_EC || id == EVP_PKEY_DSA)
                  ? PEM_write_bio_PrivateKey_traditional(bio, k, NULL, NULL, 0, NULL, NULL)
                  : PEM_write_bio_PKCS8PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL);
    if (ok) {
        char *p;
        long n = BIO_get_mem_data(bio, &p);
        buf_put(out, p, (size_t)n);
    }
    BIO_free(bio);
    return ok;
}

TPL_FN(tpl_f_genPrivateKey)
{
    (void)nargs;
    const char *err = NULL;
    EVP_PKEY *k = key_generate(S(0), &err);
    if (!k) {
        *out = tpl_cstr(A, err ? err : ar_printf(A, "Unknown type %s", S(0)));
        return true;
    }
    buf_t b = {0};
    key_pem(k, &b);
    EVP_PKEY_free(k);
    return ret_buf(c, &b, out);
}

/* parsePrivateKeyPEM's checks and errors. */
static EVP_PKEY *key_parse(tpl_ctx *c, const char *pem, size_t n, const char **err)
{
    const char *begin = NULL;
    for (size_t i = 0; i + 11 <= n; i++)
        if (!memcmp(pem + i, "-----BEGIN ", 11)) {
            begin = pem + i + 11;
            break;
        }
    const char *end = begin ? strstr(begin, "-----") : NULL;
    if (!begin || !end) {
        *err = "no PEM data in input";
        return NULL;
    }
    char *type = ar_strndup(A, begin, (size_t)(end - begin));
    size_t tl = strlen(type);
    if (strcmp(type, "PRIVATE KEY") != 0 &&
        (tl < 12 || strcmp(type + tl - 12, " PRIVATE KEY") != 0)) {
        *err = ar_printf(A, "no private key data in PEM block of type %s", type);
        return NULL;
    }
    if (strcmp(type, "PRIVATE KEY") && strcmp(type, "RSA PRIVATE KEY") &&
        strcmp(type, "EC PRIVATE KEY") && strcmp(type, "DSA PRIVATE KEY")) {
        *err = ar_printf(A, "invalid private key type %s", type);
        return NULL;
    }
    BIO *bio = BIO_new_mem_buf(pem, (int)n);
    EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (!k) {
        if (!strcmp(type, "PRIVATE KEY"))
            *err = "decoding PEM as PKCS#8: asn1: structure error";
        else if (!strcmp(type, "RSA PRIVATE KEY"))
            *err = "parsing RSA private key from PEM: x509: failed to parse private key";
        else if (!strcmp(type, "EC PRIVATE KEY"))
            *err = "parsing EC private key from PEM: x509: failed to parse EC private key";
        else
            *err = "parsing DSA private key from PEM: asn1: structure error";
    }
    return k;
}

/* ---------------------------------------------------------------- certificates */

typedef struct {
    const char *cert, *key;
} sprig_cert;

static tpl_lookup cert_get(tpl_ctx *c, const tpl_val *self, const char *name,
                           const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    const sprig_cert *k = self->obj.p;
    (void)args;
    if (strcmp(name, "Cert") && strcmp(name, "Key")) return TPL_LOOKUP_NONE;
    if (nargs) {
        tpl_errorf(c, "%s is not a method but has arguments", name);
        return TPL_LOOKUP_ERR;
    }
    *out = tpl_cstr(A, name[0] == 'C' ? k->cert : k->key);
    return TPL_LOOKUP_OK;
}

static void cert_print(const tpl_val *self, buf_t *out)
{
    const sprig_cert *k = self->obj.p;
    buf_printf(out, "{%s %s}", k->cert, k->key);
}

static const tpl_type cert_type = {
    .name = "sprig.certificate", .kind = "struct", .get = cert_get, .print = cert_print};

static const tpl_val *cert_val(tpl_ctx *c, const char *cert, size_t cn, const char *key, size_t kn)
{
    sprig_cert *k = ar_alloc(A, sizeof *k);
    k->cert = ar_strndup(A, cert, cn);
    k->key = ar_strndup(A, key, kn);
    return tpl_obj(A, &cert_type, k);
}

static bool add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
    if (!e) return false;
    bool ok = X509_add_ext(x, e, -1) == 1;
    X509_EXTENSION_free(e);
    return ok;
}

/* net.ParseIP for IPv4 dotted quads and IPv6 text. */
static bool parse_ip(const char *s, unsigned char *out, int *len)
{
    if (inet_pton(AF_INET, s, out) == 1) {
        *len = 4;
        return true;
    }
    if (inet_pton(AF_INET6, s, out) == 1) {
        *len = 16;
        return true;
    }
    return false;
}

/* getBaseCertTemplate + x509.CreateCertificate + the PEM encodings (getCertAndKey). */
static bool make_cert(tpl_ctx *c, const char *cn, const tpl_val *ips, const tpl_val *dns,
                      int64_t days, bool is_ca, EVP_PKEY *key, X509 *parent, EVP_PKEY *signer,
                      const tpl_val **out)
{
    /* names first: their errors come before any work */
    buf_t san = {0};
    size_t nip = ips && ips->kind == TPL_LIST ? ips->list.n : 0;
    size_t ndns = dns && dns->kind == TPL_LIST ? dns->list.n : 0;
    for (size_t i = 0; i < nip; i++) {
        const tpl_val *v = ips->list.items[i];
        if (v->kind != TPL_STRING) {
            buf_t p = {0};
            tpl_print(&p, v);
            tpl_errorf(c, "error parsing ip: %s is not a string", p.data ? p.data : "");
            buf_free(&p);
            buf_free(&san);
            return false;
        }
        unsigned char ip[16];
        int il;
        if (!parse_ip(v->str.s, ip, &il)) {
            buf_free(&san);
            return tpl_errorf(c, "error parsing ip: %s", v->str.s);
        }
    }
    for (size_t i = 0; i < ndns; i++) {
        const tpl_val *v = dns->list.items[i];
        if (v->kind != TPL_STRING) {
            buf_t p = {0};
            tpl_print(&p, v);
            tpl_errorf(c, "error processing alternate dns name: %s is not a string",
                       p.data ? p.data : "");
            buf_free(&p);
            buf_free(&san);
            return false;
        }
    }
    X509 *x = X509_new();
    bool ok = x != NULL;
    unsigned char serial[16];
    sprig_rand_bytes(c, serial, sizeof serial);
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    ASN1_INTEGER *sn = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    BN_free(bn);
    time_t now;
    const tpl_opts *o = tpl_options(c);
    now = o->now_fixed ? (time_t)o->now_sec : time(NULL);
    ok = ok && sn && X509_set_version(x, 2) && X509_set_serialNumber(x, sn);
    ASN1_INTEGER_free(sn);
    X509_NAME *name = X509_NAME_new();
    if (ok)
        ok = name && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                                (const unsigned char *)cn, -1, -1, 0);
    if (ok && !*cn) {
        /* Go writes an empty subject when the CN is empty */
        X509_NAME_free(name);
        name = X509_NAME_new();
        ok = name != NULL;
    }
    if (ok) ok = X509_set_subject_name(x, name);
    if (ok) ok = X509_set_issuer_name(x, parent ? X509_get_subject_name(parent) : name);
    if (ok)
        ok = ASN1_TIME_set(X509_getm_notBefore(x), now) &&
             ASN1_TIME_set(X509_getm_notAfter(x), now + days * 86400);
    if (ok) ok = X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, parent ? parent : x, x, NULL, NULL, 0);
    if (ok)
        ok = add_ext(x, &ctx, NID_key_usage,
                     is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                           : "critical,digitalSignature,keyEncipherment");
    if (ok) ok = add_ext(x, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
    if (ok)
        ok = add_ext(x, &ctx, NID_basic_constraints,
                     is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    if (ok && is_ca) ok = add_ext(x, &ctx, NID_subject_key_identifier, "hash");
    if (ok && parent && X509_get0_subject_key_id(parent))
        ok = add_ext(x, &ctx, NID_authority_key_identifier, "keyid:always");
    if (ok && (ndns || nip)) {
        for (size_t i = 0; i < ndns; i++)
            buf_printf(&san, "%sDNS:%s", san.len ? "," : "", dns->list.items[i]->str.s);
        for (size_t i = 0; i < nip; i++)
            buf_printf(&san, "%sIP:%s", san.len ? "," : "", ips->list.items[i]->str.s);
        ok = add_ext(x, &ctx, NID_subject_alt_name, san.data);
    }
    buf_free(&san);
    if (ok) {
        int id = EVP_PKEY_get_base_id(signer);
        const EVP_MD *md = (id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448) ? NULL : EVP_sha256();
        ok = X509_sign(x, signer, md) > 0;
    }
    buf_t cb = {0}, kb = {0};
    if (ok) {
        BIO *bio = BIO_new(BIO_s_mem());
        ok = bio && PEM_write_bio_X509(bio, x);
        if (ok) {
            char *p;
            long n = BIO_get_mem_data(bio, &p);
            buf_put(&cb, p, (size_t)n);
        }
        BIO_free(bio);
    }
    if (ok) ok = key_pem(key, &kb);
    X509_NAME_free(name);
    X509_free(x);
    if (!ok) {
        buf_free(&cb);
        buf_free(&kb);
        return tpl_errorf(c, "error creating certificate: x509: signing failed");
    }
    *out = cert_val(c, cb.data, cb.len, kb.data, kb.len);
    buf_free(&cb);
    buf_free(&kb);
    return true;
}

static EVP_PKEY *rsa2048(void)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
}

static bool with_key(tpl_ctx *c, const tpl_val *pem, EVP_PKEY **k)
{
    const char *err = NULL;
    *k = key_parse(c, pem->str.s, pem->str.n, &err);
    if (!*k) return tpl_errorf(c, "parsing private key: %s", err);
    return true;
}

TPL_FN(tpl_f_genCA)
{
    (void)nargs;
    EVP_PKEY *k = rsa2048();
    if (!k) return tpl_errorf(c, "error generating rsa key: key generation failed");
    bool ok = make_cert(c, S(0), NULL, NULL, args[1]->i, true, k, NULL, k, out);
    EVP_PKEY_free(k);
    return ok;
}

TPL_FN(tpl_f_genCAWithKey)
{
    (void)nargs;
    EVP_PKEY *k;
    if (!with_key(c, args[2], &k)) return false;
    bool ok = make_cert(c, S(0), NULL, NULL, args[1]->i, true, k, NULL, k, out);
    EVP_PKEY_free(k);
    return ok;
}

TPL_FN(tpl_f_genSelfSignedCert)
{
    (void)nargs;
    EVP_PKEY *k = rsa2048();
    if (!k) return tpl_errorf(c, "error generating rsa key: key generation failed");
    bool ok = make_cert(c, S(0), args[1], args[2], args[3]->i, false, k, NULL, k, out);
    EVP_PKEY_free(k);
    return ok;
}

TPL_FN(tpl_f_genSelfSignedCertWithKey)
{
    (void)nargs;
    EVP_PKEY *k;
    if (!with_key(c, args[4], &k)) return false;
    bool ok = make_cert(c, S(0), args[1], args[2], args[3]->i, false, k, NULL, k, out);
    EVP_PKEY_free(k);
    return ok;
}

static bool signed_cert(tpl_ctx *c, const tpl_val *const *args, EVP_PKEY *k, const tpl_val **out)
{
    const tpl_val *cav = args[4];
    if (cav->kind != TPL_OBJ || cav->obj.type != &cert_type)
        return tpl_errorf(c, "wrong type for value; expected sprig.certificate; got %s",
                          tpl_type_name(cav));
    const sprig_cert *ca = cav->obj.p;
    BIO *bio = BIO_new_mem_buf(ca->cert, -1);
    X509 *parent = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (!parent) {
        if (!strstr(ca->cert, "-----BEGIN")) return tpl_errorf(c, "unable to decode certificate");
        return tpl_errorf(
            c, "error parsing certificate: decodedSignerCert.Bytes: x509: malformed certificate");
    }
    const char *err = NULL;
    EVP_PKEY *signer = key_parse(c, ca->key, strlen(ca->key), &err);
    if (!signer) {
        X509_free(parent);
        return tpl_errorf(c, "error parsing private key: %s", err);
    }
    bool ok = make_cert(c, S(0), args[1], args[2], args[3]->i, false, k, parent, signer, out);
    EVP_PKEY_free(signer);
    X509_free(parent);
    return ok;
}

TPL_FN(tpl_f_genSignedCert)
{
    (void)nargs;
    EVP_PKEY *k = rsa2048();
    if (!k) return tpl_errorf(c, "error generating rsa key: key generation failed");
    bool ok = signed_cert(c, args, k, out);
    EVP_PKEY_free(k);
    return ok;
}

TPL_FN(tpl_f_genSignedCertWithKey)
{
    (void)nargs;
    EVP_PKEY *k;
    if (!with_key(c, args[5], &k)) return false;
    bool ok = signed_cert(c, args, k, out);
    EVP_PKEY_free(k);
    return ok;
}

TPL_FN(tpl_f_buildCustomCert)
{
    (void)nargs;
    buf_t cb = {0}, kb = {0};
    long bad;
    if (!b64_decode(&cb, S(0), N(0), &bad)) {
        buf_free(&cb);
        return tpl_errorf(c, "unable to decode base64 certificate");
    }
    if (!b64_decode(&kb, S(1), N(1), &bad)) {
        buf_free(&cb);
        buf_free(&kb);
        return tpl_errorf(c, "unable to decode base64 private key");
    }
    BIO *bio = BIO_new_mem_buf(cb.data ? cb.data : "", (int)cb.len);
    X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    bool has_pem = false;
    for (size_t i = 0; i + 10 <= cb.len && !has_pem; i++)
        has_pem = memcmp(cb.data + i, "-----BEGIN", 10) == 0;
    if (!x) {
        buf_free(&cb);
        buf_free(&kb);
        if (!has_pem) return tpl_errorf(c, "unable to decode certificate");
        return tpl_errorf(
            c, "error parsing certificate: decodedCert.Bytes: x509: malformed certificate");
    }
    X509_free(x);
    const char *err = NULL;
    EVP_PKEY *k = key_parse(c, kb.data ? kb.data : "", kb.len, &err);
    if (!k) {
        buf_free(&cb);
        buf_free(&kb);
        return tpl_errorf(c, "error parsing private key: %s", err);
    }
    EVP_PKEY_free(k);
    *out = cert_val(c, cb.data ? cb.data : "", cb.len, kb.data ? kb.data : "", kb.len);
    buf_free(&cb);
    buf_free(&kb);
    return true;
}
