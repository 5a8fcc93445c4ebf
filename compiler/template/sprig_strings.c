/* Sprig's string functions (and the conversions, UTF-8 and Unicode helpers every Sprig file
 * shares) with the exact behaviour of Sprig v3, goutils and xstrings as Helm uses them. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "template/sprig_int.h"

/* ---------------------------------------------------------------- UTF-8 and Unicode */

size_t sprig_utf8_dec(const char *s, size_t n, uint32_t *r)
{
    return util_utf8_decode(s, n, r);
}

void sprig_utf8_put(buf_t *out, uint32_t r)
{
    util_utf8_put(out, r);
}

/* Case pairs of the scripts charts meet (Latin, Greek, Cyrillic, fullwidth); other runes have
 * no case here. Ranges: [lo, hi] upper letters map to lower by +delta; `alt` ranges alternate
 * upper (even or odd start) / lower. */
typedef struct {
    uint32_t lo, hi;
    int32_t delta; /* upper + delta = lower; 0 = alternating pairs starting with an upper */
} case_range;

static const case_range case_ranges[] = {
    {0x41, 0x5A, 32},       {0xC0, 0xD6, 32},     {0xD8, 0xDE, 32},       {0x100, 0x12F, 0},
    {0x132, 0x137, 0},      {0x139, 0x148, 0},    {0x14A, 0x177, 0},      {0x179, 0x17E, 0},
    {0x182, 0x185, 0},      {0x1A0, 0x1A5, 0},    {0x1CD, 0x1DC, 0},      {0x1DE, 0x1EF, 0},
    {0x1F8, 0x21F, 0},      {0x222, 0x233, 0},    {0x246, 0x24F, 0},      {0x370, 0x373, 0},
    {0x391, 0x3A1, 32},     {0x3A3, 0x3AB, 32},   {0x3D8, 0x3EF, 0},      {0x400, 0x40F, 80},
    {0x410, 0x42F, 32},     {0x460, 0x481, 0},    {0x48A, 0x4BF, 0},      {0x4C1, 0x4CE, 0},
    {0x4D0, 0x52F, 0},      {0x531, 0x556, 48},   {0x10A0, 0x10C5, 7264}, {0x1E00, 0x1E95, 0},
    {0x1EA0, 0x1EFF, 0},    {0x24B6, 0x24CF, 26}, {0x2C00, 0x2C2F, 48},   {0xFF21, 0xFF3A, 32},
    {0x10400, 0x10427, 40},
};

static const uint32_t case_pairs[][2] = {
    /* single upper -> lower pairs outside the ranges */
    {0x178, 0xFF},  {0x386, 0x3AC}, {0x388, 0x3AD}, {0x389, 0x3AE}, {0x38A, 0x3AF}, {0x38C, 0x3CC},
    {0x38E, 0x3CD}, {0x38F, 0x3CE}, {0x1E9E, 0xDF}, {0x212A, 0x6B}, {0x212B, 0xE5}, {0x130, 0x69},
};

static bool range_upper(const case_range *cr, uint32_t r)
{
    if (r < cr->lo || r > cr->hi) return false;
    if (cr->delta) return true;
    return ((r - cr->lo) & 1) == 0;
}

bool sprig_is_upper(uint32_t r)
{
    if (r < 0x80) return r >= 'A' && r <= 'Z';
    for (size_t i = 0; i < sizeof case_ranges / sizeof *case_ranges; i++)
        if (range_upper(&case_ranges[i], r)) return true;
    for (size_t i = 0; i < sizeof case_pairs / sizeof *case_pairs; i++)
        if (case_pairs[i][0] == r) return true;
    return false;
}

uint32_t sprig_to_lower(uint32_t r)
{
    if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
    for (size_t i = 0; i < sizeof case_ranges / sizeof *case_ranges; i++) {
        const case_range *cr = &case_ranges[i];
        if (range_upper(cr, r)) return cr->delta ? r + (uint32_t)cr->delta : r + 1;
    }
    for (size_t i = 0; i < sizeof case_pairs / sizeof *case_pairs; i++)
        if (case_pairs[i][0] == r) return case_pairs[i][1];
    return r;
}

uint32_t sprig_to_upper(uint32_t r)
{
    if (r < 0x80) return (r >= 'a' && r <= 'z') ? r - 32 : r;
    if (r == 0xB5) return 0x39C;
    if (r == 0x131) return 'I';
    if (r == 0x17F) return 'S';
    if (r == 0x3C2) return 0x3A3;
    if (r == 0xFF) return 0x178;
    for (size_t i = 0; i < sizeof case_ranges / sizeof *case_ranges; i++) {
        const case_range *cr = &case_ranges[i];
        if (cr->delta) {
            if (r >= cr->lo + (uint32_t)cr->delta && r <= cr->hi + (uint32_t)cr->delta)
                return r - (uint32_t)cr->delta;
        } else if (r > cr->lo && r <= cr->hi && ((r - cr->lo) & 1) == 1) {
            return r - 1;
        }
    }
    for (size_t i = 0; i < sizeof case_pairs / sizeof *case_pairs; i++)
        if (case_pairs[i][1] == r && case_pairs[i][0] != 0x1E9E && case_pairs[i][0] != 0x212A &&
            case_pairs[i][0] != 0x212B && case_pairs[i][0] != 0x130)
            return case_pairs[i][0];
    return r;
}

bool sprig_is_lower(uint32_t r)
{
    if (r < 0x80) return r >= 'a' && r <= 'z';
    if (r == 0xAA || r == 0xBA || r == 0xDF || r == 0x138 || r == 0x149) return true;
    return sprig_to_upper(r) != r;
}

bool sprig_is_letter(uint32_t r)
{
    if (r < 0x80) return (r | 32) >= 'a' && (r | 32) <= 'z';
    if (sprig_is_upper(r) || sprig_is_lower(r)) return true;
    if (r >= 0xC0 && r <= 0x24F) return r != 0xD7 && r != 0xF7;
    return (r >= 0x250 && r <= 0x2C1) || (r >= 0x370 && r <= 0x3FF && r != 0x37E && r != 0x387) ||
           (r >= 0x400 && r <= 0x481) || (r >= 0x48A && r <= 0x52F) || (r >= 0x5D0 && r <= 0x5EA) ||
           (r >= 0x620 && r <= 0x64A) || (r >= 0x3041 && r <= 0x3096) ||
           (r >= 0x30A1 && r <= 0x30FA) || (r >= 0x3400 && r <= 0x4DBF) ||
           (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0xAC00 && r <= 0xD7A3) ||
           (r >= 0xFF21 && r <= 0xFF3A) || (r >= 0xFF41 && r <= 0xFF5A);
}

bool sprig_is_digit(uint32_t r)
{
    if (r < 0x80) return r >= '0' && r <= '9';
    return (r >= 0x660 && r <= 0x669) || (r >= 0x6F0 && r <= 0x6F9) || (r >= 0x966 && r <= 0x96F) ||
           (r >= 0xFF10 && r <= 0xFF19);
}

bool sprig_is_number(uint32_t r)
{
    if (sprig_is_digit(r)) return true;
    return r == 0xB2 || r == 0xB3 || r == 0xB9 || (r >= 0xBC && r <= 0xBE) ||
           (r >= 0x2070 && r <= 0x2079 && r != 0x2071 && r != 0x2072 && r != 0x2073) ||
           (r >= 0x2080 && r <= 0x2089) || (r >= 0x2150 && r <= 0x2189) ||
           (r >= 0x2460 && r <= 0x249B) || (r >= 0x3007 && r <= 0x3007);
}

bool sprig_is_space(uint32_t r)
{
    switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    }
    return r >= 0x2000 && r <= 0x200A;
}

bool sprig_is_punct(uint32_t r)
{
    if (r < 0x80) return r < 0x80 && strchr("!\"#%&'()*,-./:;?@[\\]_{}", (int)r) && r;
    switch (r) {
    case 0xA1:
    case 0xA7:
    case 0xAB:
    case 0xB6:
    case 0xB7:
    case 0xBB:
    case 0xBF:
    case 0x37E:
    case 0x387:
        return true;
    }
    return (r >= 0x2010 && r <= 0x2027) ||
           (r >= 0x2030 && r <= 0x205E && r != 0x2044 && r != 0x2052) ||
           (r >= 0x3001 && r <= 0x3003) || (r >= 0x3008 && r <= 0x3011) ||
           (r >= 0x3014 && r <= 0x301F) ||
           (r >= 0xFF01 && r <= 0xFF0F && r != 0xFF04 && r != 0xFF0B);
}

/* ---------------------------------------------------------------- conversions */

void sprig_go_quote(buf_t *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(out, '"');
    for (size_t i = 0; i < n;) {
        uint32_t r;
        size_t w = sprig_utf8_dec(s + i, n - i, &r);
        if (r == SPRIG_RUNE_ERROR && w == 1) {
            buf_puts(out, "\\x");
            buf_putc(out, hex[(unsigned char)s[i] >> 4]);
            buf_putc(out, hex[(unsigned char)s[i] & 15]);
            i++;
            continue;
        }
        i += w;
        switch (r) {
        case '"':
            buf_puts(out, "\\\"");
            continue;
        case '\\':
            buf_puts(out, "\\\\");
            continue;
        case '\a':
            buf_puts(out, "\\a");
            continue;
        case '\b':
            buf_puts(out, "\\b");
            continue;
        case '\f':
            buf_puts(out, "\\f");
            continue;
        case '\n':
            buf_puts(out, "\\n");
            continue;
        case '\r':
            buf_puts(out, "\\r");
            continue;
        case '\t':
            buf_puts(out, "\\t");
            continue;
        case '\v':
            buf_puts(out, "\\v");
            continue;
        }
        bool printable = r >= 0x20 && r != 0x7F;
        if (r >= 0x80 && (r <= 0xA0 || r == 0xAD || (r >= 0x200B && r <= 0x200F) ||
                          (r >= 0x2028 && r <= 0x202E) || (r >= 0x2060 && r <= 0x206F) ||
                          r == 0xFEFF || (r >= 0xE000 && r <= 0xF8FF) ||
                          (r >= 0xFFF9 && r <= 0xFFFB) || (r >= 0x2000 && r <= 0x200A) ||
                          r == 0x1680 || r == 0x205F || r == 0x3000 || r >= 0xF0000))
            printable = false;
        if (printable) {
            sprig_utf8_put(out, r);
        } else if (r < 0x80) {
            buf_puts(out, "\\x");
            buf_putc(out, hex[r >> 4]);
            buf_putc(out, hex[r & 15]);
        } else if (r < 0x10000) {
            buf_printf(out, "\\u%04x", (unsigned)r);
        } else {
            buf_printf(out, "\\U%08x", (unsigned)r);
        }
    }
    buf_putc(out, '"');
}

void sprig_strval(buf_t *out, const tpl_val *v)
{
    switch (v->kind) {
    case TPL_STRING:
    case TPL_BYTES:
        buf_put(out, v->str.s, v->str.n);
        return;
    case TPL_OBJ:
        if (v->obj.type->string) {
            v->obj.type->string(v, out);
            return;
        }
        break;
    default:
        break;
    }
    tpl_print(out, v);
}

const char *sprig_strval_a(arena *a, const tpl_val *v, size_t *n)
{
    if (v->kind == TPL_STRING) {
        *n = v->str.n;
        return v->str.s;
    }
    buf_t b = {0};
    sprig_strval(&b, v);
    char *r = ar_strndup(a, b.len ? b.data : "", b.len);
    *n = b.len;
    buf_free(&b);
    return r;
}

static int digit_val(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

bool sprig_parse_int(const char *s, size_t n, int base, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (n == 0) return false;
    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i = 1;
    }
    bool base0 = base == 0, prefixed = false;
    if (base0) {
        base = 10;
        if (i < n && s[i] == '0') {
            prefixed = true;
            char p = i + 1 < n ? (char)(s[i + 1] | 32) : 0;
            if (p == 'x' || p == 'o' || p == 'b') {
                base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                i += 2;
                if (i == n) return false;
            } else {
                base = 8;
                i += 1;
                if (i == n) {
                    *out = 0;
                    return true;
                }
            }
        }
    }
    if (i == n) return false;
    uint64_t acc = 0;
    bool digit_before = prefixed; /* a base prefix counts as a digit for underscores */
    for (; i < n; i++) {
        if (s[i] == '_' && base0) {
            if (!digit_before || i + 1 >= n || s[i + 1] == '_') return false;
            digit_before = false;
            continue;
        }
        int d = digit_val(s[i]);
        if (d >= base) return false;
        if (acc > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) return false;
        acc = acc * (uint64_t)base + (uint64_t)d;
        digit_before = true;
    }
    if (neg ? acc > (uint64_t)INT64_MAX + 1 : acc > (uint64_t)INT64_MAX) return false;
    *out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
    return true;
}

bool sprig_parse_float(const char *s, size_t n, double *out)
{
    if (n == 0) return false;
    char *tmp = util_xmalloc(n + 1);
    size_t k = 0;
    bool hex = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '_') continue; /* Go accepts underscores between digits */
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0) {
            free(tmp);
            return false;
        }
        if ((c | 32) == 'x') hex = true;
        tmp[k++] = c;
    }
    tmp[k] = 0;
    const char *p = tmp;
    bool ok = true;
    if (*p == '+' || *p == '-') p++;
    /* Go spells infinities and NaN only these ways */
    if (strcasecmp(p, "inf") == 0 || strcasecmp(p, "infinity") == 0 || strcasecmp(p, "nan") == 0) {
        if ((p[0] | 32) == 'n' && p != tmp) ok = false;
    } else {
        if (!((*p >= '0' && *p <= '9') || *p == '.')) ok = false;
        if (hex && !strpbrk(p, "pP")) ok = false;
    }
    char *end;
    errno = 0;
    double d = ok ? strtod(tmp, &end) : 0;
    if (ok && (*end || (errno == ERANGE && isinf(d)))) ok = false;
    free(tmp);
    if (ok) *out = d;
    return ok;
}

/* Go's cast.trimZeroDecimal: "12.00" -> "12". */
static size_t trim_zero_decimal(const char *s, size_t n)
{
    bool zero = false;
    for (size_t i = n; i > 0; i--) {
        if (s[i - 1] == '.') {
            if (zero) return i - 1;
        } else if (s[i - 1] == '0') {
            zero = true;
        } else {
            return n;
        }
    }
    return n;
}

int64_t sprig_to_int64(const tpl_val *v)
{
    switch (v->kind) {
    case TPL_BOOL:
        return v->b ? 1 : 0;
    case TPL_FLOAT64:
        if (isnan(v->f) || v->f >= 9223372036854775808.0 || v->f < -9223372036854775808.0)
            return INT64_MIN; /* what amd64 gives for an out-of-range conversion */
        return (int64_t)v->f;
    case TPL_STRING: {
        int64_t r;
        size_t n = trim_zero_decimal(v->str.s, v->str.n);
        return sprig_parse_int(v->str.s, n, 0, &r) ? r : 0;
    }
    default:
        if (tpl_is_int(v)) return v->i;
        if (tpl_is_uint(v)) return (int64_t)v->u;
        return 0;
    }
}

double sprig_to_float64(const tpl_val *v)
{
    switch (v->kind) {
    case TPL_BOOL:
        return v->b ? 1 : 0;
    case TPL_FLOAT64:
        return v->f;
    case TPL_STRING: {
        double d;
        return sprig_parse_float(v->str.s, v->str.n, &d) ? d : 0;
    }
    default:
        if (tpl_is_int(v)) return (double)v->i;
        if (tpl_is_uint(v)) return (double)v->u;
        return 0;
    }
}

const tpl_val *sprig_strlist(arena *a, const char **s, const size_t *lens, size_t n)
{
    const tpl_val **items = ar_alloc(a, (n ? n : 1) * sizeof *items);
    for (size_t i = 0; i < n; i++)
        items[i] = tpl_str_ref(a, s[i], lens[i]);
    return tpl_list(a, items, n, "[]string");
}

bool sprig_is_seq(const tpl_val *v)
{
    return v->kind == TPL_LIST || v->kind == TPL_BYTES;
}

size_t sprig_seq_len(const tpl_val *v)
{
    return v->kind == TPL_LIST ? v->list.n : v->str.n;
}

const tpl_val *sprig_seq_at(arena *a, const tpl_val *v, size_t i)
{
    if (v->kind == TPL_LIST) return v->list.items[i];
    return tpl_uintk(a, TPL_UINT8, (unsigned char)v->str.s[i]);
}

bool sprig_empty(const tpl_val *v)
{
    switch (v->kind) {
    case TPL_OBJ:
        return false;
    default:
        return !tpl_truth(v);
    }
}

bool sprig_nil_panic(tpl_ctx *c)
{
    return tpl_errorf(c, "runtime error: invalid memory address or nil pointer dereference");
}

/* ---------------------------------------------------------------- helpers */

#define A tpl_arena(c)
#define S(i) (args[i]->str.s)
#define N(i) (args[i]->str.n)

static bool ret_buf(tpl_ctx *c, buf_t *b, const tpl_val **out)
{
    *out = tpl_str_buf(A, b);
    buf_free(b);
    return true;
}

static bool ret_str(tpl_ctx *c, const char *s, size_t n, const tpl_val **out)
{
    *out = tpl_str(A, s, n);
    return true;
}

static size_t max_out(tpl_ctx *c)
{
    size_t m = tpl_options(c)->max_output;
    return m ? m : (size_t)256 << 20;
}

static const char *mem_find(const char *h, size_t hn, const char *nd, size_t nn)
{
    if (nn == 0) return h;
    if (nn > hn) return NULL;
    for (size_t i = 0; i + nn <= hn; i++)
        if (h[i] == nd[0] && memcmp(h + i, nd, nn) == 0) return h + i;
    return NULL;
}

static bool is_space_at(const char *s, size_t n, size_t *w)
{
    uint32_t r;
    *w = sprig_utf8_dec(s, n, &r);
    return sprig_is_space(r);
}

/* A rune-mapping pass (strings.Map): invalid bytes become U+FFFD. */
static void map_runes(buf_t *b, const char *s, size_t n, uint32_t (*f)(uint32_t))
{
    for (size_t i = 0; i < n;) {
        uint32_t r;
        i += sprig_utf8_dec(s + i, n - i, &r);
        sprig_utf8_put(b, f(r));
    }
}

static bool all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* ---------------------------------------------------------------- functions */

TPL_FN(tpl_f_hello)
{
    (void)args;
    (void)nargs;
    *out = tpl_cstr(A, "Hello!");
    return true;
}

TPL_FN(tpl_f_trim)
{
    (void)nargs;
    const char *s = S(0);
    size_t n = N(0), w;
    size_t b = 0, e = n;
    while (b < e && is_space_at(s + b, e - b, &w))
        b += w;
    while (e > b) {
        /* find the start of the last rune */
        size_t k = e - 1;
        while (k > b && ((unsigned char)s[k] & 0xC0) == 0x80 && e - k < 4)
            k--;
        uint32_t r;
        size_t rw = sprig_utf8_dec(s + k, e - k, &r);
        if (rw != e - k) {
            k = e - 1;
            rw = sprig_utf8_dec(s + k, 1, &r);
        }
        if (!sprig_is_space(r)) break;
        e = k;
    }
    return ret_str(c, s + b, e - b, out);
}

static bool case_map(tpl_ctx *c, const tpl_val *const *args, const tpl_val **out,
                     uint32_t (*f)(uint32_t))
{
    buf_t b = {0};
    if (all_ascii(S(0), N(0))) {
        for (size_t i = 0; i < N(0); i++)
            buf_putc(&b, (char)f((unsigned char)S(0)[i]));
    } else {
        map_runes(&b, S(0), N(0), f);
    }
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_upper)
{
    (void)nargs;
    return case_map(c, args, out, sprig_to_upper);
}

TPL_FN(tpl_f_lower)
{
    (void)nargs;
    return case_map(c, args, out, sprig_to_lower);
}

static uint32_t to_title(uint32_t r)
{
    switch (r) { /* the digraphs whose title case differs from upper case */
    case 0x1C4:
    case 0x1C5:
    case 0x1C6:
        return 0x1C5;
    case 0x1C7:
    case 0x1C8:
    case 0x1C9:
        return 0x1C8;
    case 0x1CA:
    case 0x1CB:
    case 0x1CC:
        return 0x1CB;
    case 0x1F1:
    case 0x1F2:
    case 0x1F3:
        return 0x1F2;
    }
    return sprig_to_upper(r);
}

/* strings.Title's word separators. */
static bool title_sep(uint32_t r)
{
    if (r <= 0x7F) {
        if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_')
            return false;
        return true;
    }
    if (sprig_is_letter(r) || sprig_is_digit(r)) return false;
    return sprig_is_space(r);
}

TPL_FN(tpl_f_title)
{
    (void)nargs;
    buf_t b = {0};
    uint32_t prev = ' ';
    for (size_t i = 0; i < N(0);) {
        uint32_t r;
        i += sprig_utf8_dec(S(0) + i, N(0) - i, &r);
        sprig_utf8_put(&b, title_sep(prev) ? to_title(r) : r);
        prev = r;
    }
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_untitle)
{
    (void)nargs;
    buf_t b = {0};
    bool next = true;
    for (size_t i = 0; i < N(0);) {
        uint32_t r;
        i += sprig_utf8_dec(S(0) + i, N(0) - i, &r);
        if (sprig_is_space(r)) {
            next = true;
        } else if (next) {
            r = sprig_to_lower(r);
            next = false;
        }
        sprig_utf8_put(&b, r);
    }
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_substr)
{
    (void)nargs;
    int64_t start = args[0]->i, end = args[1]->i;
    int64_t len = (int64_t)N(2);
    if (start < 0) {
        if (end < 0)
            return tpl_errorf(c, "runtime error: slice bounds out of range [:%lld]",
                              (long long)end);
        if (end > len)
            return tpl_errorf(c,
                              "runtime error: slice bounds out of range [:%lld] with length %lld",
                              (long long)end, (long long)len);
        return ret_str(c, S(2), (size_t)end, out);
    }
    if (end < 0 || end > len) {
        if (start > len)
            return tpl_errorf(c, "runtime error: slice bounds out of range [%lld:%lld]",
                              (long long)start, (long long)len);
        return ret_str(c, S(2) + start, (size_t)(len - start), out);
    }
    if (start > end)
        return tpl_errorf(c, "runtime error: slice bounds out of range [%lld:%lld]",
                          (long long)start, (long long)end);
    return ret_str(c, S(2) + start, (size_t)(end - start), out);
}

static bool repeat_into(tpl_ctx *c, buf_t *b, const char *s, size_t n, int64_t count)
{
    if (count < 0) return tpl_errorf(c, "strings: negative Repeat count");
    if (n && (uint64_t)count > max_out(c) / n)
        return tpl_errorf(c, "strings: Repeat output length overflow");
    for (int64_t i = 0; i < count; i++)
        buf_put(b, s, n);
    return true;
}

TPL_FN(tpl_f_repeat)
{
    (void)nargs;
    buf_t b = {0};
    if (!repeat_into(c, &b, S(1), N(1), args[0]->i)) {
        buf_free(&b);
        return false;
    }
    return ret_buf(c, &b, out);
}

/* strings.Trim / TrimLeft / TrimRight with a cutset of runes. */
static bool in_cutset(const char *cut, size_t cn, uint32_t r)
{
    for (size_t i = 0; i < cn;) {
        uint32_t q;
        i += sprig_utf8_dec(cut + i, cn - i, &q);
        if (q == r) return true;
    }
    return false;
}

static size_t last_rune(const char *s, size_t b, size_t e, uint32_t *r)
{
    size_t k = e - 1;
    while (k > b && ((unsigned char)s[k] & 0xC0) == 0x80 && e - k < 4)
        k--;
    size_t w = sprig_utf8_dec(s + k, e - k, r);
    if (w != e - k) {
        k = e - 1;
        *r = SPRIG_RUNE_ERROR;
    }
    return k;
}

TPL_FN(tpl_f_trimAll)
{
    (void)nargs;
    const char *cut = S(0), *s = S(1);
    size_t cn = N(0), n = N(1), b = 0, e = n;
    if (n == 0 || cn == 0) return ret_str(c, s, n, out);
    while (b < e) {
        uint32_t r;
        size_t w = sprig_utf8_dec(s + b, e - b, &r);
        if (!in_cutset(cut, cn, r)) break;
        b += w;
    }
    while (e > b) {
        uint32_t r;
        size_t k = last_rune(s, b, e, &r);
        if (!in_cutset(cut, cn, r)) break;
        e = k;
    }
    return ret_str(c, s + b, e - b, out);
}

TPL_FN(tpl_f_trimSuffix)
{
    (void)nargs;
    if (N(1) >= N(0) && memcmp(S(1) + N(1) - N(0), S(0), N(0)) == 0)
        return ret_str(c, S(1), N(1) - N(0), out);
    *out = args[1];
    return true;
}

TPL_FN(tpl_f_trimPrefix)
{
    (void)nargs;
    if (N(1) >= N(0) && memcmp(S(1), S(0), N(0)) == 0)
        return ret_str(c, S(1) + N(0), N(1) - N(0), out);
    *out = args[1];
    return true;
}

/* goutils.DeleteWhiteSpace: works on bytes as runes; when it drops any, the kept bytes are
 * written back as runes (so non-ASCII bytes are re-encoded, as Go does). */
TPL_FN(tpl_f_nospace)
{
    (void)nargs;
    size_t n = N(0), kept = 0;
    const unsigned char *s = (const unsigned char *)S(0);
    for (size_t i = 0; i < n; i++)
        if (!sprig_is_space(s[i])) kept++;
    if (kept == n) {
        *out = args[0];
        return true;
    }
    buf_t b = {0};
    for (size_t i = 0; i < n; i++)
        if (!sprig_is_space(s[i])) sprig_utf8_put(&b, s[i]);
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_trunc)
{
    (void)nargs;
    int64_t k = args[0]->i, n = (int64_t)N(1);
    if (k < 0 && n + k > 0) return ret_str(c, S(1) + n + k, (size_t)-k, out);
    if (k >= 0 && n > k) return ret_str(c, S(1), (size_t)k, out);
    *out = args[1];
    return true;
}

/* goutils.AbbreviateFull (byte offsets). */
static void abbreviate_full(buf_t *b, const char *s, size_t n, int64_t off, int64_t maxw)
{
    if (n == 0) return;
    if (maxw < 4) return; /* error: Sprig returns "" */
    int64_t len = (int64_t)n;
    if (len <= maxw) {
        buf_put(b, s, n);
        return;
    }
    if (off > len) off = len;
    if (len - off < maxw - 3) off = len - (maxw - 3);
    if (off <= 4) {
        buf_put(b, s, (size_t)(maxw - 3));
        buf_puts(b, "...");
        return;
    }
    if (maxw < 7) return;
    if (off + maxw - 3 < len) {
        buf_puts(b, "...");
        abbreviate_full(b, s + off, (size_t)(len - off), 0, maxw - 3);
        return;
    }
    buf_puts(b, "...");
    buf_put(b, s + len - (maxw - 3), (size_t)(maxw - 3));
}

TPL_FN(tpl_f_abbrev)
{
    (void)nargs;
    if (args[0]->i < 4) {
        *out = args[1];
        return true;
    }
    buf_t b = {0};
    abbreviate_full(&b, S(1), N(1), 0, args[0]->i);
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_abbrevboth)
{
    (void)nargs;
    int64_t left = args[0]->i, right = args[1]->i;
    if (right < 4 || (left > 0 && right < 7)) {
        *out = args[2];
        return true;
    }
    buf_t b = {0};
    abbreviate_full(&b, S(2), N(2), left, right);
    return ret_buf(c, &b, out);
}

/* goutils.Initials: bytes taken as runes (a non-ASCII first byte is re-encoded, as in Go). */
TPL_FN(tpl_f_initials)
{
    (void)nargs;
    buf_t b = {0};
    bool gap = true;
    const unsigned char *s = (const unsigned char *)S(0);
    for (size_t i = 0; i < N(0); i++) {
        if (sprig_is_space(s[i])) {
            gap = true;
        } else if (gap) {
            sprig_utf8_put(&b, s[i]);
            gap = false;
        }
    }
    return ret_buf(c, &b, out);
}

static bool rand_string(tpl_ctx *c, const tpl_val *const *args, const tpl_val **out,
                        const char *set)
{
    int64_t n = args[0]->i;
    if (n < 0) {
        *out = tpl_empty_str(); /* goutils errors, Sprig drops the error */
        return true;
    }
    if ((uint64_t)n > max_out(c)) return tpl_errorf(c, "random string too long");
    size_t k = strlen(set);
    char *s = ar_alloc(A, (size_t)n + 1);
    for (int64_t i = 0; i < n; i++)
        s[i] = set[sprig_rand_below(c, k)];
    *out = tpl_str_ref(A, s, (size_t)n);
    return true;
}

static const char alnum_set[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

TPL_FN(tpl_f_randAlphaNum)
{
    (void)nargs;
    return rand_string(c, args, out, alnum_set);
}

TPL_FN(tpl_f_randAlpha)
{
    (void)nargs;
    return rand_string(c, args, out, alnum_set + 10);
}

TPL_FN(tpl_f_randNumeric)
{
    (void)nargs;
    static const char digits[] = "0123456789";
    return rand_string(c, args, out, digits);
}

TPL_FN(tpl_f_randAscii)
{
    (void)nargs;
    static const char ascii[] = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    return rand_string(c, args, out, ascii);
}

/* goutils.SwapCase. */
TPL_FN(tpl_f_swapcase)
{
    (void)nargs;
    buf_t b = {0};
    bool ws = true;
    for (size_t i = 0; i < N(0);) {
        uint32_t r;
        i += sprig_utf8_dec(S(0) + i, N(0) - i, &r);
        if (sprig_is_upper(r)) {
            r = sprig_to_lower(r);
            ws = false;
        } else if (sprig_is_lower(r)) {
            r = ws ? to_title(r) : sprig_to_upper(r);
            ws = false;
        } else {
            ws = sprig_is_space(r);
        }
        sprig_utf8_put(&b, r);
    }
    return ret_buf(c, &b, out);
}

/* xstrings.Shuffle: a Fisher-Yates pass over the runes. */
TPL_FN(tpl_f_shuffle)
{
    (void)nargs;
    size_t n = N(0), k = 0;
    uint32_t *rs = ar_alloc(A, (n ? n : 1) * sizeof *rs);
    for (size_t i = 0; i < n;)
        i += sprig_utf8_dec(S(0) + i, n - i, &rs[k++]);
    for (size_t i = k; i > 1; i--) {
        size_t j = (size_t)sprig_rand_below(c, i);
        uint32_t t = rs[i - 1];
        rs[i - 1] = rs[j];
        rs[j] = t;
    }
    buf_t b = {0};
    for (size_t i = 0; i < k; i++)
        sprig_utf8_put(&b, rs[i]);
    return ret_buf(c, &b, out);
}

/* ---- xstrings case conversions ---- */

static bool is_connector(uint32_t r)
{
    return r == '-' || r == '_' || sprig_is_space(r);
}

static bool is_alphabet(uint32_t r)
{
    return sprig_is_letter(r);
}

enum { W_INVALID, W_NUMBER, W_UPPER, W_ALPHA, W_CONNECTOR, W_PUNCT, W_OTHER };

static size_t next_valid_rune(const char *s, size_t n, uint32_t prev, uint32_t *r)
{
    size_t size = 0;
    while (n > 0) {
        size_t sz = sprig_utf8_dec(s, n, r);
        size += sz;
        if (*r != SPRIG_RUNE_ERROR) return size;
        s += sz;
        n -= sz;
    }
    *r = prev;
    return size;
}

typedef struct {
    const char *s;
    size_t n;
} strv;

static int next_word(strv str, strv *word, strv *rem)
{
    int wt = W_INVALID;
    word->s = str.s;
    word->n = 0;
    *rem = str;
    if (str.n == 0) {
        rem->n = 0;
        return W_INVALID;
    }
    size_t off = 0;
    uint32_t r;
    size_t size = next_valid_rune(rem->s, rem->n, SPRIG_RUNE_ERROR, &r);
    off += size;
#define ADV(k)                                                                                     \
    do {                                                                                           \
        rem->s += (k);                                                                             \
        rem->n -= (k);                                                                             \
    } while (0)
    if (r == SPRIG_RUNE_ERROR) {
        word->n = off;
        rem->s = str.s + off;
        rem->n = str.n - off;
        return W_INVALID;
    }
    if (is_connector(r)) {
        wt = W_CONNECTOR;
        ADV(size);
        while (rem->n > 0) {
            size = next_valid_rune(rem->s, rem->n, r, &r);
            if (!is_connector(r)) break;
            off += size;
            ADV(size);
        }
    } else if (sprig_is_punct(r)) {
        wt = W_PUNCT;
        ADV(size);
        while (rem->n > 0) {
            size = next_valid_rune(rem->s, rem->n, r, &r);
            if (!sprig_is_punct(r)) break;
            off += size;
            ADV(size);
        }
    } else if (sprig_is_upper(r)) {
        wt = W_UPPER;
        ADV(size);
        if (rem->n > 0) {
            size = next_valid_rune(rem->s, rem->n, r, &r);
            if (sprig_is_upper(r)) {
                size_t prev_size = size;
                off += size;
                ADV(size);
                while (rem->n > 0) {
                    size = next_valid_rune(rem->s, rem->n, r, &r);
                    if (!sprig_is_upper(r)) break;
                    prev_size = size;
                    off += size;
                    ADV(size);
                }
                if (rem->n > 0 && is_alphabet(r)) {
                    off -= prev_size;
                    rem->s = str.s + off;
                    rem->n = str.n - off;
                }
            } else if (is_alphabet(r)) {
                off += size;
                ADV(size);
                while (rem->n > 0) {
                    size = next_valid_rune(rem->s, rem->n, r, &r);
                    if (!is_alphabet(r) || sprig_is_upper(r)) break;
                    off += size;
                    ADV(size);
                }
            }
        }
    } else if (is_alphabet(r)) {
        wt = W_ALPHA;
        ADV(size);
        while (rem->n > 0) {
            size = next_valid_rune(rem->s, rem->n, r, &r);
            if (!is_alphabet(r) || sprig_is_upper(r)) break;
            off += size;
            ADV(size);
        }
    } else if (sprig_is_number(r)) {
        wt = W_NUMBER;
        ADV(size);
        while (rem->n > 0) {
            size = next_valid_rune(rem->s, rem->n, r, &r);
            if (!sprig_is_number(r)) break;
            off += size;
            ADV(size);
        }
    } else {
        wt = W_OTHER;
        ADV(size);
        while (rem->n > 0) {
            size = next_valid_rune(rem->s, rem->n, r, &r);
            if (size == 0 || is_connector(r) || is_alphabet(r) || sprig_is_number(r) ||
                sprig_is_punct(r))
                break;
            off += size;
            ADV(size);
        }
    }
#undef ADV
    word->n = off;
    return wt;
}

static void word_lower(buf_t *b, int wt, strv w, uint32_t conn)
{
    if (wt != W_UPPER && wt != W_CONNECTOR) {
        buf_put(b, w.s, w.n);
        return;
    }
    for (size_t i = 0; i < w.n;) {
        uint32_t r;
        i += sprig_utf8_dec(w.s + i, w.n - i, &r);
        if (is_connector(r))
            sprig_utf8_put(b, conn);
        else if (sprig_is_upper(r))
            sprig_utf8_put(b, sprig_to_lower(r));
        else
            sprig_utf8_put(b, r);
    }
}

/* xstrings camelCaseToLowerCase (snakecase, kebabcase). */
static void camel_to_lower(buf_t *b, strv str, uint32_t conn)
{
    if (str.n == 0) return;
    strv word, rem;
    int wt = next_word(str, &word, &rem);
    while (rem.n > 0) {
        if (wt != W_CONNECTOR) word_lower(b, wt, word, conn);
        int prev = wt;
        strv last = word;
        wt = next_word(rem, &word, &rem);
        switch (prev) {
        case W_NUMBER:
            while (wt == W_ALPHA || wt == W_NUMBER) {
                word_lower(b, wt, word, conn);
                wt = next_word(rem, &word, &rem);
            }
            if (wt != W_INVALID && wt != W_PUNCT && wt != W_CONNECTOR) sprig_utf8_put(b, conn);
            break;
        case W_CONNECTOR:
            word_lower(b, prev, last, conn);
            break;
        case W_PUNCT:
            break;
        default:
            if (wt != W_NUMBER) {
                if (wt != W_CONNECTOR && wt != W_PUNCT) sprig_utf8_put(b, conn);
                break;
            }
            if (rem.n == 0) break;
            last = word;
            wt = next_word(rem, &word, &rem);
            if (wt != W_ALPHA) {
                word_lower(b, W_NUMBER, last, conn);
                if (wt != W_CONNECTOR && wt != W_PUNCT) sprig_utf8_put(b, conn);
                break;
            }
            sprig_utf8_put(b, conn);
            word_lower(b, W_NUMBER, last, conn);
            while (wt == W_ALPHA || wt == W_NUMBER) {
                word_lower(b, wt, word, conn);
                wt = next_word(rem, &word, &rem);
            }
            if (wt != W_INVALID && wt != W_CONNECTOR && wt != W_PUNCT) sprig_utf8_put(b, conn);
        }
    }
    word_lower(b, wt, word, conn);
}

TPL_FN(tpl_f_snakecase)
{
    (void)nargs;
    buf_t b = {0};
    camel_to_lower(&b, (strv){S(0), N(0)}, '_');
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_kebabcase)
{
    (void)nargs;
    buf_t b = {0};
    camel_to_lower(&b, (strv){S(0), N(0)}, '-');
    return ret_buf(c, &b, out);
}

/* xstrings (v1.5) ToPascalCase: connectors dropped (leading ones and runs kept as xstrings
 * does), each word's first rune upper-cased, and a word that starts upper-case has its
 * following upper-case runes lowered ("GOLANG_IS_GREAT" -> "GolangIsGreat"). */
TPL_FN(tpl_f_camelcase)
{
    (void)nargs;
    const char *s = S(0);
    size_t n = N(0), i = 0;
    buf_t b = {0};
    if (n == 0) return ret_buf(c, &b, out);
    uint32_t r0 = 0, r1;
    size_t size = 0;
    bool first_upper = false;
    while (i < n) {
        size = sprig_utf8_dec(s + i, n - i, &r0);
        i += size;
        if (!is_connector(r0)) {
            first_upper = sprig_is_upper(r0);
            r0 = sprig_to_upper(r0);
            break;
        }
        sprig_utf8_put(&b, r0);
    }
    if (i >= n) {
        if (size != 0) sprig_utf8_put(&b, r0);
        return ret_buf(c, &b, out);
    }
    while (i < n) {
        r1 = r0;
        i += sprig_utf8_dec(s + i, n - i, &r0);
        if (is_connector(r0) && is_connector(r1)) {
            sprig_utf8_put(&b, r1);
            continue;
        }
        if (is_connector(r1)) {
            first_upper = sprig_is_upper(r0);
            r0 = sprig_to_upper(r0);
        } else {
            if (first_upper) {
                if (sprig_is_upper(r0))
                    r0 = sprig_to_lower(r0);
                else
                    first_upper = false;
            }
            sprig_utf8_put(&b, r1);
        }
    }
    sprig_utf8_put(&b, r0);
    return ret_buf(c, &b, out);
}

/* goutils.WrapCustom. */
static void wrap_custom(buf_t *b, const char *s, size_t n, int64_t wl, const char *nl, size_t nln,
                        bool long_words)
{
    if (n == 0) return;
    if (nln == 0) {
        nl = "\n";
        nln = 1;
    }
    if (wl < 1) wl = 1;
    size_t w = (size_t)wl, off = 0;
    while (n - off > w) {
        if (s[off] == ' ') {
            off++;
            continue;
        }
        size_t end = w + off + 1;
        long sp = -1;
        for (size_t k = end; k > off; k--)
            if (s[k - 1] == ' ') {
                sp = (long)(k - 1);
                break;
            }
        if (sp >= (long)off) {
            buf_put(b, s + off, (size_t)sp - off);
            buf_put(b, nl, nln);
            off = (size_t)sp + 1;
        } else if (long_words) {
            buf_put(b, s + off, w);
            buf_put(b, nl, nln);
            off += w;
        } else {
            size_t e2 = w + off;
            const char *p = memchr(s + e2, ' ', n - e2);
            if (!p) {
                buf_put(b, s + off, n - off);
                off = n;
            } else {
                size_t spw = (size_t)(p - s);
                buf_put(b, s + off, spw - off);
                buf_put(b, nl, nln);
                off = spw + 1;
            }
        }
    }
    buf_put(b, s + off, n - off);
}

TPL_FN(tpl_f_wrap)
{
    (void)nargs;
    buf_t b = {0};
    wrap_custom(&b, S(1), N(1), args[0]->i, "", 0, false);
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_wrapWith)
{
    (void)nargs;
    buf_t b = {0};
    wrap_custom(&b, S(2), N(2), args[0]->i, S(1), N(1), true);
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_contains)
{
    (void)nargs;
    *out = tpl_bool(mem_find(S(1), N(1), S(0), N(0)) != NULL);
    return true;
}

TPL_FN(tpl_f_hasPrefix)
{
    (void)nargs;
    *out = tpl_bool(N(1) >= N(0) && memcmp(S(1), S(0), N(0)) == 0);
    return true;
}

TPL_FN(tpl_f_hasSuffix)
{
    (void)nargs;
    *out = tpl_bool(N(1) >= N(0) && memcmp(S(1) + N(1) - N(0), S(0), N(0)) == 0);
    return true;
}

TPL_FN(tpl_f_quote)
{
    buf_t b = {0};
    bool first = true;
    for (size_t i = 0; i < nargs; i++) {
        if (args[i]->kind == TPL_NIL) continue;
        if (!first) buf_putc(&b, ' ');
        first = false;
        buf_t t = {0};
        sprig_strval(&t, args[i]);
        sprig_go_quote(&b, t.data ? t.data : "", t.len);
        buf_free(&t);
    }
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_squote)
{
    buf_t b = {0};
    bool first = true;
    for (size_t i = 0; i < nargs; i++) {
        if (args[i]->kind == TPL_NIL) continue;
        if (!first) buf_putc(&b, ' ');
        first = false;
        buf_putc(&b, '\'');
        tpl_print(&b, args[i]);
        buf_putc(&b, '\'');
    }
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_cat)
{
    buf_t b = {0};
    bool first = true;
    for (size_t i = 0; i < nargs; i++) {
        if (args[i]->kind == TPL_NIL) continue;
        if (!first) buf_putc(&b, ' ');
        first = false;
        tpl_print(&b, args[i]);
    }
    return ret_buf(c, &b, out);
}

static bool do_indent(tpl_ctx *c, const tpl_val *const *args, const tpl_val **out, bool nl)
{
    int64_t sp = args[0]->i;
    if (sp < 0) return tpl_errorf(c, "strings: negative Repeat count");
    size_t lines = 1;
    for (size_t i = 0; i < N(1); i++)
        if (S(1)[i] == '\n') lines++;
    if ((uint64_t)sp > max_out(c) / lines)
        return tpl_errorf(c, "strings: Repeat output length overflow");
    /* the result's size is known: written once into the arena */
    size_t pad = (size_t)sp, n = N(1), total = (nl ? 1 : 0) + pad * lines + n;
    char *p = ar_alloc(A, total + 1), *w = p;
    if (nl) *w++ = '\n';
    memset(w, ' ', pad);
    w += pad;
    for (size_t i = 0; i < n;) {
        const char *e = memchr(S(1) + i, '\n', n - i);
        size_t len = e ? (size_t)(e - (S(1) + i)) + 1 : n - i;
        memcpy(w, S(1) + i, len);
        w += len;
        i += len;
        if (e) {
            memset(w, ' ', pad);
            w += pad;
        }
    }
    *out = tpl_str_ref(A, p, total);
    return true;
}

TPL_FN(tpl_f_indent)
{
    (void)nargs;
    return do_indent(c, args, out, false);
}

TPL_FN(tpl_f_nindent)
{
    (void)nargs;
    return do_indent(c, args, out, true);
}

/* strings.Replace(s, old, new, -1), including the empty-old case (insert around runes). */
TPL_FN(tpl_f_replace)
{
    (void)nargs;
    const char *old = S(0), *nw = S(1), *s = S(2);
    size_t on = N(0), nn = N(1), n = N(2);
    buf_t b = {0};
    if (on == 0) {
        buf_put(&b, nw, nn);
        for (size_t i = 0; i < n;) {
            uint32_t r;
            size_t w = sprig_utf8_dec(s + i, n - i, &r);
            buf_put(&b, s + i, w);
            buf_put(&b, nw, nn);
            i += w;
        }
        return ret_buf(c, &b, out);
    }
    size_t i = 0;
    const char *p;
    while ((p = mem_find(s + i, n - i, old, on)) != NULL) {
        buf_put(&b, s + i, (size_t)(p - (s + i)));
        buf_put(&b, nw, nn);
        i = (size_t)(p - s) + on;
    }
    buf_put(&b, s + i, n - i);
    return ret_buf(c, &b, out);
}

TPL_FN(tpl_f_plural)
{
    (void)nargs;
    *out = args[2]->i == 1 ? args[0] : args[1];
    return true;
}

TPL_FN(tpl_f_toString)
{
    (void)nargs;
    size_t n;
    const char *s = sprig_strval_a(A, args[0], &n);
    *out = tpl_str_ref(A, s, n);
    return true;
}

/* Sprig's strslice. */
static const tpl_val *strslice(arena *a, const tpl_val *v)
{
    if (v->kind == TPL_LIST && v->list.tname && strcmp(v->list.tname, "[]string") == 0) return v;
    if (sprig_is_seq(v)) {
        size_t n = sprig_seq_len(v), k = 0;
        const char **ss = ar_alloc(a, (n ? n : 1) * sizeof *ss);
        size_t *ls = ar_alloc(a, (n ? n : 1) * sizeof *ls);
        for (size_t i = 0; i < n; i++) {
            const tpl_val *e = sprig_seq_at(a, v, i);
            if (e->kind == TPL_NIL) continue;
            ss[k] = sprig_strval_a(a, e, &ls[k]);
            k++;
        }
        return sprig_strlist(a, ss, ls, k);
    }
    if (v->kind == TPL_NIL) return sprig_strlist(a, NULL, NULL, 0);
    const char *s;
    size_t l;
    s = sprig_strval_a(a, v, &l);
    return sprig_strlist(a, &s, &l, 1);
}

TPL_FN(tpl_f_toStrings)
{
    (void)nargs;
    *out = strslice(A, args[0]);
    return true;
}

TPL_FN(tpl_f_join)
{
    (void)nargs;
    const tpl_val *l = strslice(A, args[1]);
    buf_t b = {0};
    for (size_t i = 0; i < l->list.n; i++) {
        if (i) buf_put(&b, S(0), N(0));
        buf_put(&b, l->list.items[i]->str.s, l->list.items[i]->str.n);
    }
    return ret_buf(c, &b, out);
}

static int str_cmp(const void *x, const void *y)
{
    const tpl_val *a = *(const tpl_val *const *)x, *b = *(const tpl_val *const *)y;
    size_t n = a->str.n < b->str.n ? a->str.n : b->str.n;
    int r = memcmp(a->str.s, b->str.s, n);
    if (r) return r;
    return a->str.n < b->str.n ? -1 : a->str.n > b->str.n;
}

TPL_FN(tpl_f_sortAlpha)
{
    (void)nargs;
    const tpl_val *v = args[0];
    if (!sprig_is_seq(v)) {
        size_t l;
        const char *s = sprig_strval_a(A, v, &l);
        *out = sprig_strlist(A, &s, &l, 1);
        return true;
    }
    const tpl_val *l = strslice(A, v);
    const tpl_val **items = ar_alloc(A, (l->list.n ? l->list.n : 1) * sizeof *items);
    memcpy(items, l->list.items, l->list.n * sizeof *items);
    /* Go's sort is not stable, but equal strings are indistinguishable */
    qsort(items, l->list.n, sizeof *items, str_cmp);
    *out = tpl_list(A, items, l->list.n, "[]string");
    return true;
}

/* strings.SplitN(s, sep, n): n < 0 all, 0 none. */
static size_t split_n(arena *a, const char *s, size_t n, const char *sep, size_t sn, int64_t lim,
                      const char ***parts, size_t **lens)
{
    size_t cap = 8, k = 0;
    *parts = ar_alloc(a, cap * sizeof **parts);
    *lens = ar_alloc(a, cap * sizeof **lens);
    if (lim == 0) return 0;
#define PUSH(p, l)                                                                                 \
    do {                                                                                           \
        if (k == cap) {                                                                            \
            *parts = ar_realloc(a, *parts, cap * sizeof **parts, cap * 2 * sizeof **parts);        \
            *lens = ar_realloc(a, *lens, cap * sizeof **lens, cap * 2 * sizeof **lens);            \
            cap *= 2;                                                                              \
        }                                                                                          \
        (*parts)[k] = ar_strndup(a, (p), (l));                                                     \
        (*lens)[k] = (l);                                                                          \
        k++;                                                                                       \
    } while (0)
    if (sn == 0) { /* explode into UTF-8 sequences */
        size_t i = 0;
        while (i < n) {
            if (lim > 0 && (int64_t)k == lim - 1) {
                PUSH(s + i, n - i);
                return k;
            }
            uint32_t r;
            size_t w = sprig_utf8_dec(s + i, n - i, &r);
            PUSH(s + i, w);
            i += w;
        }
        return k;
    }
    size_t i = 0;
    const char *p;
    while ((lim < 0 || (int64_t)k < lim - 1) && (p = mem_find(s + i, n - i, sep, sn)) != NULL) {
        PUSH(s + i, (size_t)(p - (s + i)));
        i = (size_t)(p - s) + sn;
    }
    PUSH(s + i, n - i);
#undef PUSH
    return k;
}

static const tpl_val *split_map(arena *a, const char **parts, const size_t *lens, size_t k)
{
    tpl_val *m = tpl_map_new(a, "map[string]string");
    for (size_t i = 0; i < k; i++) {
        char key[32];
        int kl = snprintf(key, sizeof key, "_%zu", i);
        tpl_map_set(a, m->map, key, (size_t)kl, tpl_str_ref(a, parts[i], lens[i]));
    }
    return m;
}

TPL_FN(tpl_f_split)
{
    (void)nargs;
    const char **parts;
    size_t *lens;
    size_t k = split_n(A, S(1), N(1), S(0), N(0), -1, &parts, &lens);
    *out = split_map(A, parts, lens, k);
    return true;
}

TPL_FN(tpl_f_splitn)
{
    (void)nargs;
    const char **parts;
    size_t *lens;
    size_t k = split_n(A, S(2), N(2), S(0), N(0), args[1]->i, &parts, &lens);
    *out = split_map(A, parts, lens, k);
    return true;
}

TPL_FN(tpl_f_splitList)
{
    (void)nargs;
    const char **parts;
    size_t *lens;
    size_t k = split_n(A, S(1), N(1), S(0), N(0), -1, &parts, &lens);
    *out = sprig_strlist(A, parts, lens, k);
    return true;
}
