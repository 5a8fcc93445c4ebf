/* Go's fmt as templates use it: Sprint, Sprintln, Sprintf with Go's verbs, flags, width and
 * precision, %v of maps, slices, nil and objects, strconv's shortest float formatting and
 * strconv.Quote. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/tpl_int.h"

/* ---- strconv ---- */

uint32_t tpl_decode_rune(const char *s, size_t n, int *w)
{
    const unsigned char *u = (const unsigned char *)s;
    int k = util_utf8_width(u[0]);
    if ((size_t)k > n || (k > 1 && !util_utf8_valid(s, (size_t)k)) || (k == 1 && u[0] >= 0x80)) {
        *w = 1;
        return 0xFFFFFFFF; /* invalid */
    }
    *w = k;
    if (k == 1) return u[0];
    if (k == 2) return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    if (k == 3) return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
}

bool tpl_rune_printable(uint32_t r)
{
    if (r < 0x20 || r == 0x7F) return false;
    if (r >= 0x80 && r < 0xA0) return false;
    if (r == 0xAD || (r >= 0x2028 && r <= 0x2029) || (r >= 0xFFF9 && r <= 0xFFFB) || r == 0xFEFF)
        return false;
    if (r >= 0xD800 && r < 0xE000) return false;
    if ((r & 0xFFFE) == 0xFFFE) return false;
    return true;
}

static void quote_into(buf_t *out, const char *s, size_t n, bool ascii, char q)
{
    buf_putc(out, q);
    for (size_t i = 0; i < n;) {
        int w;
        uint32_t r = tpl_decode_rune(s + i, n - i, &w);
        if (r == 0xFFFFFFFF) {
            buf_printf(out, "\\x%02x", (unsigned char)s[i]);
            i++;
            continue;
        }
        if (r == (uint32_t)q || r == '\\') {
            buf_putc(out, '\\');
            buf_putc(out, (char)r);
        } else if (r < 0x80 && tpl_rune_printable(r)) {
            buf_putc(out, (char)r);
        } else if (r >= 0x80 && !ascii && tpl_rune_printable(r)) {
            buf_put(out, s + i, (size_t)w);
        } else {
            switch (r) {
            case 7:
                buf_puts(out, "\\a");
                break;
            case 8:
                buf_puts(out, "\\b");
                break;
            case 12:
                buf_puts(out, "\\f");
                break;
            case 10:
                buf_puts(out, "\\n");
                break;
            case 13:
                buf_puts(out, "\\r");
                break;
            case 9:
                buf_puts(out, "\\t");
                break;
            case 11:
                buf_puts(out, "\\v");
                break;
            default:
                if (r < 0x20 || r == 0x7F)
                    buf_printf(out, "\\x%02x", r);
                else if (r < 0x10000)
                    buf_printf(out, "\\u%04x", r);
                else
                    buf_printf(out, "\\U%08x", r);
            }
        }
        i += (size_t)w;
    }
    buf_putc(out, q);
}

void tpl_go_quote(buf_t *out, const char *s, size_t n, bool ascii)
{
    quote_into(out, s, n, ascii, '"');
}

/* Shortest decimal digits that round-trip, as %.{p}e; returns p (digits after the point). */
static int shortest_e(double f, char *tmp, size_t tsz)
{
    for (int p = 0; p < 17; p++) {
        snprintf(tmp, tsz, "%.*e", p, f);
        if (strtod(tmp, NULL) == f) return p;
    }
    snprintf(tmp, tsz, "%.16e", f);
    return 16;
}

/* Go's exponent form: at least two exponent digits ("1e+06"). C already prints two. */
void tpl_format_float(buf_t *out, double f, char fmt, int prec)
{
    if (isnan(f)) {
        buf_puts(out, "NaN");
        return;
    }
    if (isinf(f)) {
        buf_puts(out, f > 0 ? "+Inf" : "-Inf");
        return;
    }
    char tmp[512];
    if (prec < 0) {
        char e[64];
        int p = shortest_e(f, e, sizeof e);
        /* digits and decimal exponent */
        int exp10 = atoi(strchr(e, 'e') + 1);
        int nd = p + 1;
        if (fmt == 'e' || fmt == 'E') {
            snprintf(tmp, sizeof tmp, fmt == 'e' ? "%.*e" : "%.*E", p, f);
        } else if (fmt == 'f') {
            int dec = nd - 1 - exp10;
            if (dec < 0) dec = 0;
            snprintf(tmp, sizeof tmp, "%.*f", dec, f);
        } else { /* g, G: strconv uses %e when exp < -4 || exp >= 6 for shortest */
            if (exp10 < -4 || exp10 >= 6) {
                snprintf(tmp, sizeof tmp, fmt == 'g' ? "%.*e" : "%.*E", p, f);
            } else {
                int dec = nd - 1 - exp10;
                if (dec < 0) dec = 0;
                snprintf(tmp, sizeof tmp, "%.*f", dec, f);
            }
        }
    } else if (fmt == 'g' || fmt == 'G') {
        /* Go's %g with precision: like C but without trailing-zero removal differences */
        if (prec == 0) prec = 1;
        snprintf(tmp, sizeof tmp, fmt == 'g' ? "%.*g" : "%.*G", prec, f);
    } else {
        char spec[8] = {'%', '.', '*', fmt == 'F' ? 'f' : fmt, 0};
        snprintf(tmp, sizeof tmp, spec, prec, f);
    }
    buf_puts(out, tmp);
}

/* ---- fmt state ---- */

typedef struct fmt_st {
    buf_t *out;
    bool plus, minus, sharp, space, zero, plusv, sharpv;
    bool wid_set, prec_set;
    int wid, prec;
} fmt_st;

static void pad(fmt_st *f, const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i += (size_t)util_utf8_width((unsigned char)s[i]))
        w++;
    if (!f->wid_set || (int)w >= f->wid) {
        buf_put(f->out, s, n);
        return;
    }
    size_t padn = (size_t)f->wid - w;
    if (f->minus) {
        buf_put(f->out, s, n);
        for (size_t i = 0; i < padn; i++)
            buf_putc(f->out, ' ');
    } else {
        char c = f->zero ? '0' : ' ';
        for (size_t i = 0; i < padn; i++)
            buf_putc(f->out, c);
        buf_put(f->out, s, n);
    }
}

static void fmt_str(fmt_st *f, const char *s, size_t n, char verb)
{
    buf_t b = {0};
    if (f->prec_set && (verb == 's' || verb == 'v' || verb == 'q')) {
        size_t k = 0;
        for (int r = 0; r < f->prec && k < n; r++)
            k += (size_t)util_utf8_width((unsigned char)s[k]);
        if (k < n) n = k;
    }
    switch (verb) {
    case 'q':
        if (f->sharp && !memchr(s, '`', n)) {
            buf_putc(&b, '`');
            buf_put(&b, s, n);
            buf_putc(&b, '`');
        } else {
            quote_into(&b, s, n, f->plus, '"');
        }
        break;
    case 'x':
    case 'X': {
        const char *hx = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
        size_t lim = n;
        if (f->prec_set && (size_t)f->prec < lim) lim = (size_t)f->prec;
        for (size_t i = 0; i < lim; i++) {
            if (f->space && i > 0) buf_putc(&b, ' ');
            if (f->sharp && (f->space || i == 0)) buf_puts(&b, verb == 'x' ? "0x" : "0X");
            buf_putc(&b, hx[(unsigned char)s[i] >> 4]);
            buf_putc(&b, hx[(unsigned char)s[i] & 15]);
        }
        break;
    }
    default:
        buf_put(&b, s, n);
    }
    pad(f, b.data ? b.data : "", b.len);
    buf_free(&b);
}

static void fmt_integer(fmt_st *f, uint64_t mag, bool neg, int base, char verb, bool is_signed)
{
    char digits[80];
    size_t n = 0;
    const char *dg = verb == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    if (verb == 'c') {
        buf_t b = {0};
        uint32_t r = (uint32_t)mag;
        if (mag > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) r = 0xFFFD;
        char u[4];
        int w = r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
        if (w == 1) u[0] = (char)r;
        if (w == 2) {
            u[0] = (char)(0xC0 | (r >> 6));
            u[1] = (char)(0x80 | (r & 0x3F));
        }
        if (w == 3) {
            u[0] = (char)(0xE0 | (r >> 12));
            u[1] = (char)(0x80 | ((r >> 6) & 0x3F));
            u[2] = (char)(0x80 | (r & 0x3F));
        }
        if (w == 4) {
            u[0] = (char)(0xF0 | (r >> 18));
            u[1] = (char)(0x80 | ((r >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((r >> 6) & 0x3F));
            u[3] = (char)(0x80 | (r & 0x3F));
        }
        buf_put(&b, u, (size_t)w);
        pad(f, b.data, b.len);
        buf_free(&b);
        return;
    }
    if (verb == 'q') {
        buf_t b = {0};
        uint32_t r = (uint32_t)mag;
        if (mag > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) r = 0xFFFD;
        char u[8];
        int w = 0;
        if (r < 0x80)
            u[w++] = (char)r;
        else if (r < 0x800) {
            u[w++] = (char)(0xC0 | (r >> 6));
            u[w++] = (char)(0x80 | (r & 0x3F));
        } else if (r < 0x10000) {
            u[w++] = (char)(0xE0 | (r >> 12));
            u[w++] = (char)(0x80 | ((r >> 6) & 0x3F));
            u[w++] = (char)(0x80 | (r & 0x3F));
        } else {
            u[w++] = (char)(0xF0 | (r >> 18));
            u[w++] = (char)(0x80 | ((r >> 12) & 0x3F));
            u[w++] = (char)(0x80 | ((r >> 6) & 0x3F));
            u[w++] = (char)(0x80 | (r & 0x3F));
        }
        quote_into(&b, u, (size_t)w, f->plus, '\'');
        pad(f, b.data, b.len);
        buf_free(&b);
        return;
    }
    if (verb == 'U') {
        char t[32];
        int k = snprintf(t, sizeof t, "U+%04llX", (unsigned long long)mag);
        buf_t b = {0};
        buf_put(&b, t, (size_t)k);
        if (f->sharp && mag <= 0x10FFFF && tpl_rune_printable((uint32_t)mag)) {
            buf_puts(&b, " '");
            char u[4];
            uint32_t r = (uint32_t)mag;
            int w = r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
            if (w == 1) u[0] = (char)r;
            if (w == 2) {
                u[0] = (char)(0xC0 | (r >> 6));
                u[1] = (char)(0x80 | (r & 0x3F));
            }
            if (w == 3) {
                u[0] = (char)(0xE0 | (r >> 12));
                u[1] = (char)(0x80 | ((r >> 6) & 0x3F));
                u[2] = (char)(0x80 | (r & 0x3F));
            }
            if (w == 4) {
                u[0] = (char)(0xF0 | (r >> 18));
                u[1] = (char)(0x80 | ((r >> 12) & 0x3F));
                u[2] = (char)(0x80 | ((r >> 6) & 0x3F));
                u[3] = (char)(0x80 | (r & 0x3F));
            }
            buf_put(&b, u, (size_t)w);
            buf_putc(&b, '\'');
        }
        pad(f, b.data, b.len);
        buf_free(&b);
        return;
    }
    uint64_t m = mag;
    do {
        digits[n++] = dg[m % (uint64_t)base];
        m /= (uint64_t)base;
    } while (m);
    if (f->prec_set && f->prec == 0 && mag == 0) n = 0;
    int precz = f->prec_set ? f->prec : 0;
    if (!f->prec_set && f->zero && f->wid_set && !f->minus) {
        precz = f->wid;
        if (neg || f->plus || f->space) precz--;
    }
    buf_t b = {0};
    if (neg)
        buf_putc(&b, '-');
    else if (f->plus)
        buf_putc(&b, '+');
    else if (f->space)
        buf_putc(&b, ' ');
    if (f->sharp) {
        if (base == 16) buf_puts(&b, verb == 'X' ? "0X" : "0x");
        if (base == 8 && !(n && digits[n - 1] == '0')) buf_putc(&b, '0');
        if (base == 2) buf_puts(&b, "0b");
    }
    if (verb == 'O') buf_puts(&b, "0o");
    for (int i = (int)n; i < precz; i++)
        buf_putc(&b, '0');
    while (n)
        buf_putc(&b, digits[--n]);
    (void)is_signed;
    bool z = f->zero;
    f->zero = false;
    pad(f, b.data ? b.data : "", b.len);
    f->zero = z;
    buf_free(&b);
}

static void fmt_float(fmt_st *f, double v, char verb, int prec)
{
    if (f->prec_set) prec = f->prec;
    buf_t num = {0};
    char vv = verb == 'v' ? 'g' : verb == 'F' ? 'f' : verb;
    tpl_format_float(&num, v, vv, prec);
    if (f->sharp && verb != 'b') {
        /* %#g keeps trailing zeros and the point: approximate by C's %#g */
        if (vv == 'g' || vv == 'G') {
            char tmp[512];
            int p = prec < 0 ? 6 : prec;
            snprintf(tmp, sizeof tmp, vv == 'g' ? "%#.*g" : "%#.*G", p == 0 ? 1 : p, v);
            num.len = 0;
            buf_puts(&num, tmp);
        } else if (!memchr(num.data, '.', num.len) && !isinf(v) && !isnan(v)) {
            char *e = memchr(num.data, vv == 'E' ? 'E' : 'e', num.len);
            if (e) {
                size_t at = (size_t)(e - num.data);
                buf_t t = {0};
                buf_put(&t, num.data, at);
                buf_putc(&t, '.');
                buf_put(&t, num.data + at, num.len - at);
                buf_free(&num);
                num = t;
            } else {
                buf_putc(&num, '.');
            }
        }
    }
    buf_cstr(&num);
    const char *s = num.data;
    bool neg = s[0] == '-';
    const char *body = (s[0] == '-' || s[0] == '+') ? s + 1 : s;
    char sign = neg ? '-' : f->plus ? '+' : f->space ? ' ' : 0;
    if (isinf(v) && !neg) sign = f->plus ? '+' : f->space ? ' ' : 0;
    buf_t b = {0};
    if (f->zero && f->wid_set && !f->minus && !isinf(v) && !isnan(v)) {
        if (sign) buf_putc(&b, sign);
        size_t w = strlen(body) + (sign ? 1 : 0);
        for (size_t i = w; i < (size_t)f->wid; i++)
            buf_putc(&b, '0');
        buf_puts(&b, body);
        buf_put(f->out, b.data, b.len);
    } else {
        if (sign) buf_putc(&b, sign);
        if (isinf(v) && !sign && s[0] == '+') {
        }
        buf_puts(&b, body);
        bool z = f->zero;
        f->zero = false;
        pad(f, b.data, b.len);
        f->zero = z;
    }
    buf_free(&b);
    buf_free(&num);
}

static void print_arg(fmt_st *f, const tpl_val *v, char verb, int depth);

static void bad_verb(fmt_st *f, const tpl_val *v, char verb)
{
    buf_t *o = f->out;
    buf_printf(o, "%%!%c(", verb);
    if (!v || v->kind == TPL_NIL) {
        buf_puts(o, "<nil>");
    } else {
        buf_puts(o, tpl_type_name(v));
        buf_putc(o, '=');
        fmt_st g = {.out = o};
        print_arg(&g, v, 'v', 0);
    }
    buf_putc(o, ')');
}

static void print_arg(fmt_st *f, const tpl_val *v, char verb, int depth)
{
    if (verb == 'T') {
        fmt_str(f, tpl_type_name(v), strlen(tpl_type_name(v)), 's');
        return;
    }
    if (v->kind == TPL_NIL) {
        if (verb == 'v' || depth > 0)
            pad(f, "<nil>", 5);
        else
            bad_verb(f, v, verb);
        return;
    }
    switch (v->kind) {
    case TPL_BOOL:
        if (verb == 'v' || verb == 't')
            pad(f, v->b ? "true" : "false", v->b ? 4 : 5);
        else
            bad_verb(f, v, verb);
        return;
    case TPL_FLOAT64:
        switch (verb) {
        case 'v':
            fmt_float(f, v->f, 'g', -1);
            return;
        case 'g':
        case 'G':
        case 'x':
        case 'X':
        case 'b':
            if (verb == 'x' || verb == 'X' || verb == 'b') break;
            fmt_float(f, v->f, verb, -1);
            return;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
            fmt_float(f, v->f, verb, 6);
            return;
        default:
            break;
        }
        bad_verb(f, v, verb);
        return;
    case TPL_STRING:
        if (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
            if (verb == 'v' && f->sharpv) {
                buf_t b = {0};
                quote_into(&b, v->str.s, v->str.n, false, '"');
                pad(f, b.data, b.len);
                buf_free(&b);
                return;
            }
            fmt_str(f, v->str.s, v->str.n, verb == 'v' ? 's' : verb);
        } else {
            bad_verb(f, v, verb);
        }
        return;
    case TPL_BYTES:
        if (verb == 's' || verb == 'q' || verb == 'x' || verb == 'X') {
            fmt_str(f, v->str.s, v->str.n, verb);
            return;
        }
        buf_putc(f->out, '[');
        for (size_t i = 0; i < v->str.n; i++) {
            if (i) buf_putc(f->out, ' ');
            fmt_integer(f, (unsigned char)v->str.s[i], false,
                        verb == 'x' || verb == 'X' ? 16
                        : verb == 'o'              ? 8
                                                   : 10,
                        verb == 'v' ? 'd' : verb, false);
        }
        buf_putc(f->out, ']');
        return;
    case TPL_LIST:
        buf_putc(f->out, '[');
        for (size_t i = 0; i < v->list.n; i++) {
            if (i) buf_putc(f->out, ' ');
            print_arg(f, v->list.items[i], verb, depth + 1);
        }
        buf_putc(f->out, ']');
        return;
    case TPL_MAP:
        buf_puts(f->out, "map[");
        for (size_t i = 0; i < v->map->n; i++) {
            if (i) buf_putc(f->out, ' ');
            tpl_val k = {.kind = TPL_STRING};
            k.str.s = v->map->keys[i];
            k.str.n = v->map->klens[i];
            print_arg(f, &k, verb, depth + 1);
            buf_putc(f->out, ':');
            print_arg(f, v->map->vals[i], verb, depth + 1);
        }
        buf_putc(f->out, ']');
        return;
    case TPL_OBJ:
        if (v->obj.type->string &&
            (verb == 'v' || verb == 's' || verb == 'q' || verb == 'x' || verb == 'X')) {
            buf_t b = {0};
            v->obj.type->string(v, &b);
            fmt_str(f, b.data ? b.data : "", b.len, verb == 'v' ? 's' : verb);
            buf_free(&b);
            return;
        }
        if (v->obj.type->print) {
            buf_t b = {0};
            v->obj.type->print(v, &b);
            pad(f, b.data ? b.data : "", b.len);
            buf_free(&b);
            return;
        }
        buf_printf(f->out, "{%s}", v->obj.type->name);
        return;
    default:
        break;
    }
    /* integers */
    bool sgn = tpl_is_int(v);
    bool neg = sgn && v->i < 0;
    uint64_t mag = sgn ? (neg ? (uint64_t)0 - (uint64_t)v->i : (uint64_t)v->i) : v->u;
    switch (verb) {
    case 'v':
    case 'd':
        fmt_integer(f, mag, neg, 10, 'd', sgn);
        return;
    case 'b':
        fmt_integer(f, mag, neg, 2, verb, sgn);
        return;
    case 'o':
    case 'O':
        fmt_integer(f, mag, neg, 8, verb, sgn);
        return;
    case 'x':
    case 'X':
        fmt_integer(f, mag, neg, 16, verb, sgn);
        return;
    case 'c':
    case 'q':
    case 'U':
        fmt_integer(f, mag, neg, 10, verb, sgn);
        return;
    default:
        bad_verb(f, v, verb);
        return;
    }
}

void tpl_print(buf_t *out, const tpl_val *v)
{
    fmt_st f = {.out = out};
    print_arg(&f, v, 'v', 0);
}

void tpl_sprint(buf_t *out, const tpl_val *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && args[i]->kind != TPL_STRING && args[i - 1]->kind != TPL_STRING)
            buf_putc(out, ' ');
        tpl_print(out, args[i]);
    }
}

void tpl_sprintln(buf_t *out, const tpl_val *const *args, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) buf_putc(out, ' ');
        tpl_print(out, args[i]);
    }
    buf_putc(out, '\n');
}

/* An int argument for '*' width/precision. */
static bool int_arg(const tpl_val *v, int *out)
{
    if (!v) return false;
    if (tpl_is_int(v)) {
        if (v->i > 1000000 || v->i < -1000000) return false;
        *out = (int)v->i;
        return true;
    }
    if (tpl_is_uint(v)) {
        if (v->u > 1000000) return false;
        *out = (int)v->u;
        return true;
    }
    return false;
}

void tpl_sprintf(buf_t *out, const char *fmt, size_t fmtlen, const tpl_val *const *args, size_t n)
{
    size_t argn = 0;
    bool reordered = false, good_argnum = true;
    size_t i = 0;
    while (i < fmtlen) {
        size_t lasti = i;
        while (i < fmtlen && fmt[i] != '%')
            i++;
        if (i > lasti) buf_put(out, fmt + lasti, i - lasti);
        if (i >= fmtlen) break;
        i++; /* '%' */
        fmt_st f = {.out = out};
        for (; i < fmtlen; i++) {
            char c = fmt[i];
            if (c == '#')
                f.sharp = true;
            else if (c == '0')
                f.zero = true;
            else if (c == '+')
                f.plus = true;
            else if (c == '-')
                f.minus = true;
            else if (c == ' ')
                f.space = true;
            else
                break;
        }
        /* argument index */
#define ARGNUM()                                                                                   \
    do {                                                                                           \
        if (i < fmtlen && fmt[i] == '[') {                                                         \
            reordered = true;                                                                      \
            size_t j = i + 1;                                                                      \
            int num = 0;                                                                           \
            bool okn = false;                                                                      \
            while (j < fmtlen && fmt[j] >= '0' && fmt[j] <= '9' && num < 1000000) {                \
                num = num * 10 + (fmt[j] - '0');                                                   \
                j++;                                                                               \
                okn = true;                                                                        \
            }                                                                                      \
            if (j < fmtlen && fmt[j] == ']' && okn && num >= 1 && (size_t)num <= n + 1) {          \
                argn = (size_t)num - 1;                                                            \
                i = j + 1;                                                                         \
                good_argnum = true;                                                                \
            } else {                                                                               \
                good_argnum = false;                                                               \
                while (j < fmtlen && fmt[j] != ']')                                                \
                    j++;                                                                           \
                i = j < fmtlen ? j + 1 : j;                                                        \
            }                                                                                      \
        }                                                                                          \
    } while (0)
        ARGNUM();
        if (i < fmtlen && fmt[i] == '*') {
            i++;
            int w;
            if (argn < n && int_arg(args[argn], &w)) {
                f.wid = w;
                f.wid_set = true;
                if (w < 0) {
                    f.minus = true;
                    f.wid = -w;
                    f.zero = false;
                }
            } else {
                buf_puts(out, "%!(BADWIDTH)");
            }
            argn++;
            reordered = false;
        } else {
            int w = 0;
            bool any = false;
            while (i < fmtlen && fmt[i] >= '0' && fmt[i] <= '9') {
                if (w < 1000000) w = w * 10 + (fmt[i] - '0');
                i++;
                any = true;
            }
            if (any) {
                f.wid = w;
                f.wid_set = true;
            }
        }
        if (i + 1 <= fmtlen && i < fmtlen && fmt[i] == '.') {
            i++;
            ARGNUM();
            if (i < fmtlen && fmt[i] == '*') {
                i++;
                int p;
                if (argn < n && int_arg(args[argn], &p)) {
                    f.prec = p;
                    f.prec_set = true;
                    if (p < 0) {
                        f.prec = 0;
                        f.prec_set = false;
                    }
                } else {
                    buf_puts(out, "%!(BADPREC)");
                }
                argn++;
                reordered = false;
            } else {
                int p = 0;
                while (i < fmtlen && fmt[i] >= '0' && fmt[i] <= '9') {
                    if (p < 1000000) p = p * 10 + (fmt[i] - '0');
                    i++;
                }
                f.prec = p;
                f.prec_set = true;
            }
        }
        if (!reordered) ARGNUM();
        if (i >= fmtlen) {
            buf_puts(out, "%!(NOVERB)");
            break;
        }
        int w;
        uint32_t verb = tpl_decode_rune(fmt + i, fmtlen - i, &w);
        i += (size_t)w;
        if (verb == '%') {
            buf_putc(out, '%');
            continue;
        }
        if (!good_argnum) {
            buf_printf(out, "%%!%c(BADINDEX)", (char)verb);
            continue;
        }
        if (argn >= n) {
            buf_printf(out, "%%!%.*s(MISSING)", w, fmt + i - w);
            continue;
        }
        if (verb == 'w') verb = 'v';
        if (verb == 'v') {
            if (f.sharp) {
                f.sharp = false;
                f.sharpv = true;
            }
            if (f.plus) {
                f.plus = false;
                f.plusv = true;
            }
        }
        const tpl_val *a = args[argn++];
        if (verb > 127) {
            buf_printf(out, "%%!%.*s(", w, fmt + i - w);
            buf_puts(out, tpl_type_name(a));
            buf_putc(out, '=');
            tpl_print(out, a);
            buf_putc(out, ')');
            continue;
        }
        print_arg(&f, a, (char)verb, 0);
    }
    if (!reordered && argn < n) {
        buf_puts(out, "%!(EXTRA ");
        for (size_t k = argn; k < n; k++) {
            if (k > argn) buf_puts(out, ", ");
            if (args[k]->kind == TPL_NIL) {
                buf_puts(out, "<nil>");
            } else {
                buf_puts(out, tpl_type_name(args[k]));
                buf_putc(out, '=');
                tpl_print(out, args[k]);
            }
        }
        buf_putc(out, ')');
    }
#undef ARGNUM
}
