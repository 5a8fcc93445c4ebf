/* Sprig's semver and semverCompare: Masterminds/semver v3 versions (the *semver.Version object
 * templates call Major, Prerelease, Compare... on) and its constraint language (ranges, ||,
 * commas, x wildcards, ~ and ^, prerelease rules), with the library's own patterns run on
 * PCRE2 (leftmost-first like Go's regexp for these expressions). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/sprig_int.h"

#define A tpl_arena(c)

typedef struct semver {
    uint64_t major, minor, patch;
    const char *pre, *meta, *orig;
} semver;

/* ---- patterns (the library's, as data) ---- */

#define CV                                                                                         \
    "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?"                                   \
    "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"                                                   \
    "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
#define OPS "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^"
#define SP "[\\t\\n\\f\\r ]"

static const char re_constraint[] = "^" SP "*(" OPS ")" SP "*(" CV ")" SP "*$";
static const char re_range[] = SP "*(" CV ")" SP "+-" SP "+(" CV ")" SP "*";
static const char re_find[] = "(" OPS ")" SP "*(" CV ")";
static const char re_valid[] = "^(" SP "*(" OPS ")" SP "*(" CV ")" SP "*)((?:" SP "+|," SP "*)(" OPS
                               ")" SP "*(" CV ")" SP "*)*$";

typedef struct {
    pcre2_code *code;
    pcre2_match_data *md;
} pat;

static bool pat_open(pat *p, const char *re)
{
    int ec;
    PCRE2_SIZE eo;
    p->code =
        pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_DOLLAR_ENDONLY, &ec, &eo, NULL);
    if (!p->code) return false;
    p->md = pcre2_match_data_create_from_pattern(p->code, NULL);
    return true;
}

static void pat_close(pat *p)
{
    if (p->md) pcre2_match_data_free(p->md);
    if (p->code) pcre2_code_free(p->code);
}

/* Match at or after pos; the ovector or NULL. */
static const PCRE2_SIZE *pat_exec(pat *p, const char *s, size_t n, size_t pos)
{
    if (pcre2_match(p->code, (PCRE2_SPTR)s, n, pos, 0, p->md, NULL) < 0) return NULL;
    return pcre2_get_ovector_pointer(p->md);
}

static const char *grp(arena *a, const char *s, const PCRE2_SIZE *ov, int g, size_t *n)
{
    if (ov[2 * g] == PCRE2_UNSET) {
        *n = 0;
        return "";
    }
    *n = ov[2 * g + 1] - ov[2 * g];
    return ar_strndup(a, s + ov[2 * g], *n);
}

static bool only(const char *s, const char *set)
{
    for (; *s; s++)
        if (!strchr(set, *s)) return false;
    return true;
}

static const char num_set[] = "0123456789";
static const char allowed_set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

/* validatePrerelease / validateMetadata */
static const char *validate_parts(arena *a, const char *p, bool pre)
{
    const char *s = p;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        char *part = ar_strndup(a, s, n);
        if (n == 0) return pre ? "invalid prerelease string" : "invalid metadata string";
        if (pre && only(part, num_set)) {
            if (n > 1 && part[0] == '0') return "version segment starts with 0";
        } else if (!only(part, allowed_set)) {
            return pre ? "invalid prerelease string" : "invalid metadata string";
        }
        if (!dot) return NULL;
        s = dot + 1;
    }
}

static bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10) return false;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return true;
}

static bool is_ident(char ch)
{
    return (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z') || ch == '-';
}

/* [0-9A-Za-z-]+(\.[0-9A-Za-z-]+)* from *i; its end, or 0 when absent. */
static size_t dotted_idents(const char *s, size_t n, size_t i)
{
    size_t start = i;
    for (;;) {
        size_t k = i;
        while (k < n && is_ident(s[k]))
            k++;
        if (k == i) return i == start ? 0 : i - 1; /* an empty part: stop before its dot */
        i = k;
        if (i < n && s[i] == '.' && i + 1 < n && is_ident(s[i + 1])) {
            i++;
            continue;
        }
        return i;
    }
}

/* The CV pattern's pieces: major, ".minor", ".patch", "-pre" (with their separators). */
typedef struct {
    const char *maj, *mi, *pa, *pre, *meta;
    size_t majn, min, pan, pren, metan;
} cv_parts;

/* Matches `v?N(\.N)?(\.N)?(-PRE)?(\+META)?` at s[i..] where N is digits (or also x, X, * when
 * `wild`); returns the end, or 0 when it does not match at all. */
static size_t cv_scan(const char *s, size_t n, size_t i, bool wild, cv_parts *p)
{
    memset(p, 0, sizeof *p);
    if (i < n && s[i] == 'v') i++;
#define NUMCH(ch)                                                                                  \
    (((ch) >= '0' && (ch) <= '9') || (wild && ((ch) == 'x' || (ch) == 'X' || (ch) == '*')))
    size_t k = i;
    while (k < n && NUMCH(s[k]))
        k++;
    if (k == i) return 0;
    p->maj = s + i;
    p->majn = k - i;
    i = k;
    for (int part = 0; part < 2; part++) {
        if (i + 1 < n && s[i] == '.' && NUMCH(s[i + 1])) {
            k = i + 1;
            while (k < n && NUMCH(s[k]))
                k++;
            if (part == 0) {
                p->mi = s + i;
                p->min = k - i;
            } else {
                p->pa = s + i;
                p->pan = k - i;
            }
            i = k;
        } else {
            break;
        }
    }
#undef NUMCH
    if (i < n && s[i] == '-') {
        size_t e = dotted_idents(s, n, i + 1);
        if (e) {
            p->pre = s + i;
            p->pren = e - i;
            i = e;
        }
    }
    if (i < n && s[i] == '+') {
        size_t e = dotted_idents(s, n, i + 1);
        if (e) {
            p->meta = s + i;
            p->metan = e - i;
            i = e;
        }
    }
    return i;
}

/* semver.NewVersion (the library's loose pattern, anchored); NULL with *err. */
static semver *semver_parse(arena *a, const char *v, size_t n, const char **err)
{
    cv_parts p;
    size_t end = cv_scan(v, n, 0, false, &p);
    if (!end || end != n) {
        *err = "invalid semantic version";
        return NULL;
    }
    semver *sv = ar_alloc(a, sizeof *sv);
    sv->pre = p.pre ? ar_strndup(a, p.pre + 1, p.pren - 1) : "";
    sv->meta = p.meta ? ar_strndup(a, p.meta + 1, p.metan - 1) : "";
    sv->orig = ar_strndup(a, v, n);
    const char *segs[3] = {ar_strndup(a, p.maj, p.majn),
                           p.mi ? ar_strndup(a, p.mi + 1, p.min - 1) : "",
                           p.pa ? ar_strndup(a, p.pa + 1, p.pan - 1) : ""};
    uint64_t *dst[3] = {&sv->major, &sv->minor, &sv->patch};
    for (int i = 0; i < 3; i++) {
        if (!*segs[i]) continue;
        if (!parse_u64(segs[i], dst[i])) {
            *err = ar_printf(a,
                             "error parsing version segment: strconv.ParseUint: parsing \"%s\": "
                             "value out of range",
                             segs[i]);
            return NULL;
        }
    }
    if (*sv->pre && (*err = validate_parts(a, sv->pre, true))) return NULL;
    if (*sv->meta && (*err = validate_parts(a, sv->meta, false))) return NULL;
    return sv;
}

static void semver_string(buf_t *b, const semver *v)
{
    buf_printf(b, "%llu.%llu.%llu", (unsigned long long)v->major, (unsigned long long)v->minor,
               (unsigned long long)v->patch);
    if (*v->pre) buf_printf(b, "-%s", v->pre);
    if (*v->meta) buf_printf(b, "+%s", v->meta);
}

static int cmp_u(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_pre_part(const char *s, size_t sn, const char *o, size_t on)
{
    if (sn == on && memcmp(s, o, sn) == 0) return 0;
    if (sn == 0) return -1;
    if (on == 0) return 1;
    char *sz = strndup(s, sn), *oz = strndup(o, on);
    uint64_t si = 0, oi = 0;
    bool sn_ok = parse_u64(sz, &si), on_ok = parse_u64(oz, &oi);
    int r;
    if (!sn_ok && !on_ok) {
        r = strcmp(sz, oz) > 0 ? 1 : -1;
    } else if (!on_ok) {
        r = -1;
    } else if (!sn_ok) {
        r = 1;
    } else {
        r = si > oi ? 1 : -1;
    }
    free(sz);
    free(oz);
    return r;
}

static int cmp_pre(const char *v, const char *o)
{
    /* part by part; a missing part compares as "" */
    for (;;) {
        const char *vd = v ? strchr(v, '.') : NULL, *od = o ? strchr(o, '.') : NULL;
        size_t vn = v ? (vd ? (size_t)(vd - v) : strlen(v)) : 0;
        size_t on = o ? (od ? (size_t)(od - o) : strlen(o)) : 0;
        int d = cmp_pre_part(v ? v : "", vn, o ? o : "", on);
        if (d) return d;
        v = vd ? vd + 1 : NULL;
        o = od ? od + 1 : NULL;
        if (!v && !o) return 0;
    }
}

static int semver_cmp(const semver *v, const semver *o)
{
    int d;
    if ((d = cmp_u(v->major, o->major))) return d;
    if ((d = cmp_u(v->minor, o->minor))) return d;
    if ((d = cmp_u(v->patch, o->patch))) return d;
    if (!*v->pre && !*o->pre) return 0;
    if (!*v->pre) return 1;
    if (!*o->pre) return -1;
    return cmp_pre(v->pre, o->pre);
}

/* ---- constraints ---- */

typedef struct {
    semver *con;
    const char *op;
    bool dirty, minor_dirty, patch_dirty;
} constraint;

static bool is_x(const char *s)
{
    return !strcmp(s, "x") || !strcmp(s, "*") || !strcmp(s, "X");
}

/* A constraint from its pattern groups: operator, major, ".minor", ".patch", "-pre". */
static bool constraint_from(arena *a, const char *op, const char *maj, const char *mi,
                            const char *pa, const char *pre, constraint *out, const char **err)
{
    memset(out, 0, sizeof *out);
    out->op = op;
    const char *ver;
    if (is_x(maj) || !*maj) {
        ver = ar_printf(a, "0.0.0%s", pre);
        out->dirty = true;
    } else if (!*mi || is_x(mi + 1)) {
        out->minor_dirty = out->dirty = true;
        ver = ar_printf(a, "%s.0.0%s", maj, pre);
    } else if (!*pa || is_x(pa + 1)) {
        out->patch_dirty = out->dirty = true;
        ver = ar_printf(a, "%s%s.0%s", maj, mi, pre);
    } else {
        ver = ar_printf(a, "%s%s%s%s", maj, mi, pa, pre);
    }
    const char *e2;
    out->con = semver_parse(a, ver, strlen(ver), &e2);
    if (!out->con) {
        *err = "constraint parser error";
        return false;
    }
    return true;
}

static bool parse_constraint(arena *a, pat *pc, const char *s, constraint *out, const char **err)
{
    size_t n = strlen(s), l;
    if (n == 0) {
        memset(out, 0, sizeof *out);
        out->con = semver_parse(a, "0.0.0", 5, err);
        out->op = "";
        out->dirty = true;
        return out->con != NULL;
    }
    const PCRE2_SIZE *ov = pat_exec(pc, s, n, 0);
    if (!ov) {
        *err = ar_printf(a, "improper constraint: %s", s);
        return false;
    }
    return constraint_from(a, grp(a, s, ov, 1, &l), grp(a, s, ov, 3, &l), grp(a, s, ov, 4, &l),
                           grp(a, s, ov, 5, &l), grp(a, s, ov, 6, &l), out, err);
}

static bool is_sp(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\f' || ch == '\r';
}

/* The common single-constraint form (`>= 1.19-0`, `^1.2`) without the patterns: only when the
 * whole string is [space] op [space] version [space] with no '|' or ','; anything else goes
 * through the library's patterns. */
static bool constraint_fast(arena *a, const char *s, constraint *out, const char **err,
                            bool *handled)
{
    *handled = false;
    size_t n = strlen(s), i = 0;
    if (strpbrk(s, "|,")) return false;
    while (i < n && is_sp(s[i]))
        i++;
    static const char *const ops[] = {"!=", ">=", "=>", "<=", "=<", "~>", "=", ">", "<", "~", "^"};
    const char *op = "";
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
        if (!strncmp(s + i, ops[k], strlen(ops[k]))) {
            op = ops[k];
            break;
        }
    i += strlen(op);
    while (i < n && is_sp(s[i]))
        i++;
    cv_parts p;
    size_t end = cv_scan(s, n, i, true, &p);
    if (!end) return false;
    while (end < n && is_sp(s[end]))
        end++;
    if (end != n) return false;
    *handled = true;
    return constraint_from(a, op, ar_strndup(a, p.maj, p.majn),
                           p.mi ? ar_strndup(a, p.mi, p.min) : "",
                           p.pa ? ar_strndup(a, p.pa, p.pan) : "",
                           p.pre ? ar_strndup(a, p.pre, p.pren) : "", out, err);
}

/* One constraint's check (the library's per-operator functions, booleans only). */
static bool constraint_check(const semver *v, const constraint *c, bool include_pre);

static bool tilde(const semver *v, const constraint *c)
{
    if (semver_cmp(v, c->con) < 0) return false;
    if (c->con->major == 0 && c->con->minor == 0 && c->con->patch == 0 && !c->minor_dirty &&
        !c->patch_dirty)
        return true;
    if (v->major != c->con->major) return false;
    if (v->minor != c->con->minor && !c->minor_dirty) return false;
    return true;
}

static bool constraint_check(const semver *v, const constraint *c, bool include_pre)
{
    const char *op = c->op;
    const semver *k = c->con;
    if (*v->pre && !include_pre) return false;
    if (!strcmp(op, "") || !strcmp(op, "=")) {
        if (c->dirty) return tilde(v, c);
        return semver_cmp(v, k) == 0;
    }
    if (!strcmp(op, "!=")) {
        if (c->dirty) {
            if (k->major != v->major) return true;
            if (k->minor != v->minor && !c->minor_dirty) return true;
            if (c->minor_dirty) return false;
            if (k->patch != v->patch && !c->patch_dirty) return true;
            if (c->patch_dirty) {
                if (*v->pre || *k->pre) return cmp_pre(v->pre, k->pre) != 0;
                return false;
            }
        }
        return semver_cmp(v, k) != 0;
    }
    if (!strcmp(op, ">")) {
        if (!c->dirty) return semver_cmp(v, k) == 1;
        if (v->major > k->major) return true;
        if (v->major < k->major) return false;
        if (c->minor_dirty) return false;
        if (c->patch_dirty) return v->minor > k->minor;
        return semver_cmp(v, k) == 1;
    }
    if (!strcmp(op, "<")) return semver_cmp(v, k) < 0;
    if (!strcmp(op, ">=") || !strcmp(op, "=>")) return semver_cmp(v, k) >= 0;
    if (!strcmp(op, "<=") || !strcmp(op, "=<")) {
        if (!c->dirty) return semver_cmp(v, k) <= 0;
        if (v->major > k->major) return false;
        if (v->major == k->major && v->minor > k->minor && !c->minor_dirty) return false;
        return true;
    }
    if (!strcmp(op, "~") || !strcmp(op, "~>")) return tilde(v, c);
    if (!strcmp(op, "^")) {
        if (semver_cmp(v, k) < 0) return false;
        if (k->major > 0 || c->minor_dirty) return v->major == k->major;
        if (k->major == 0 && v->major > 0) return false;
        if (k->minor > 0 || c->patch_dirty) return v->minor == k->minor;
        if (k->minor == 0 && v->minor > 0) return false;
        return k->patch == v->patch;
    }
    return false;
}

static char *str_replace1(arena *a, const char *s, const char *old, const char *nw)
{
    const char *p = strstr(s, old);
    if (!p) return ar_strdup(a, s);
    return ar_printf(a, "%.*s%s%s", (int)(p - s), s, nw, p + strlen(old));
}

/* semverCompare: NewConstraint + NewVersion + Check. */
static bool semver_compare(arena *a, const char *cons, const char *ver, size_t vn, bool *res,
                           const char **err)
{
    {
        constraint one;
        bool handled;
        bool fine = constraint_fast(a, cons, &one, err, &handled);
        if (handled) {
            if (!fine) return false;
            semver *v1 = semver_parse(a, ver, vn, err);
            if (!v1) return false;
            *res = constraint_check(v1, &one, *one.con->pre != 0);
            return true;
        }
    }
    pat pr = {0}, pf = {0}, pv = {0}, pc = {0};
    bool ok = pat_open(&pr, re_range) && pat_open(&pf, re_find) && pat_open(&pv, re_valid) &&
              pat_open(&pc, re_constraint);
    if (!ok) {
        *err = "constraint parser error";
        goto done;
    }
    /* rewriteRange */
    {
        char *o = ar_strdup(a, cons);
        size_t n = strlen(cons), pos = 0;
        const PCRE2_SIZE *ov;
        while (pos <= n && (ov = pat_exec(&pr, cons, n, pos)) != NULL) {
            size_t l1, l2;
            const char *whole = ar_strndup(a, cons + ov[0], ov[1] - ov[0]);
            const char *v1 = grp(a, cons, ov, 1, &l1), *v2 = grp(a, cons, ov, 11, &l2);
            o = str_replace1(a, o, whole, ar_printf(a, ">= %s, <= %s ", v1, v2));
            pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        }
        cons = o;
    }
    *res = false;
    semver *v = NULL;
    bool matched = false;
    /* every OR group is validated and parsed before the version */
    size_t ngroups = 0;
    constraint **groups = NULL;
    size_t *gcount = NULL;
    bool *has_pre = NULL;
    {
        size_t cap = 4;
        groups = ar_alloc(a, cap * sizeof *groups);
        gcount = ar_alloc(a, cap * sizeof *gcount);
        has_pre = ar_alloc(a, cap * sizeof *has_pre);
        const char *s = cons;
        for (;;) {
            const char *bar = strstr(s, "||");
            size_t sn = bar ? (size_t)(bar - s) : strlen(s);
            char *part = ar_strndup(a, s, sn);
            if (!pat_exec(&pv, part, sn, 0)) {
                *err = ar_printf(a, "improper constraint: %s", part);
                ok = false;
                goto done;
            }
            if (ngroups == cap) {
                groups = ar_realloc(a, groups, cap * sizeof *groups, cap * 2 * sizeof *groups);
                gcount = ar_realloc(a, gcount, cap * sizeof *gcount, cap * 2 * sizeof *gcount);
                has_pre = ar_realloc(a, has_pre, cap * sizeof *has_pre, cap * 2 * sizeof *has_pre);
                cap *= 2;
            }
            /* FindAllString of the constraint pattern */
            size_t cc = 0, ccap = 4, pos = 0;
            constraint *cs = ar_alloc(a, ccap * sizeof *cs);
            long prev_end = -1;
            const PCRE2_SIZE *ov;
            while (pos <= sn && (ov = pat_exec(&pf, part, sn, pos)) != NULL) {
                bool accept = true;
                if (ov[1] == pos) {
                    if ((long)ov[0] == prev_end) accept = false;
                    pos++;
                } else {
                    pos = ov[1];
                }
                prev_end = (long)ov[1];
                if (!accept) continue;
                if (cc == ccap) {
                    cs = ar_realloc(a, cs, ccap * sizeof *cs, ccap * 2 * sizeof *cs);
                    ccap *= 2;
                }
                char *one = ar_strndup(a, part + ov[0], ov[1] - ov[0]);
                if (!parse_constraint(a, &pc, one, &cs[cc], err)) {
                    ok = false;
                    goto done;
                }
                if (*cs[cc].con->pre) has_pre[ngroups] = true;
                cc++;
            }
            if (cc == 0) {
                if (!parse_constraint(a, &pc, part, &cs[0], err)) {
                    ok = false;
                    goto done;
                }
                if (*cs[0].con->pre) has_pre[ngroups] = true;
                cc = 1;
            }
            groups[ngroups] = cs;
            gcount[ngroups] = cc;
            ngroups++;
            if (!bar) break;
            s = bar + 2;
        }
    }
    v = semver_parse(a, ver, vn, err);
    if (!v) {
        ok = false;
        goto done;
    }
    for (size_t g = 0; g < ngroups && !matched; g++) {
        bool joy = true;
        for (size_t i = 0; i < gcount[g] && joy; i++)
            joy = constraint_check(v, &groups[g][i], has_pre[g]);
        matched = joy;
    }
    *res = matched;
done:
    pat_close(&pr);
    pat_close(&pf);
    pat_close(&pv);
    pat_close(&pc);
    return ok;
}

/* ---- the *semver.Version object ---- */

static tpl_lookup ver_get(tpl_ctx *c, const tpl_val *self, const char *name,
                          const tpl_val *const *args, size_t nargs, const tpl_val **out);
static void ver_str(const tpl_val *self, buf_t *out)
{
    semver_string(out, self->obj.p);
}
static bool ver_eq(const tpl_val *a, const tpl_val *b)
{
    return a->obj.p == b->obj.p;
}

static const tpl_type semver_ptr_type = {
    .name = "*semver.Version", .kind = "ptr", .get = ver_get, .string = ver_str, .equal = ver_eq};
static const tpl_type semver_val_type = {
    .name = "semver.Version", .kind = "struct", .get = ver_get, .string = ver_str};

static const semver *ver_of(const tpl_val *v)
{
    if (v->kind == TPL_OBJ && (v->obj.type == &semver_ptr_type || v->obj.type == &semver_val_type))
        return v->obj.p;
    return NULL;
}

static semver *ver_inc(arena *a, const semver *v, int which)
{
    semver *n = ar_alloc(a, sizeof *n);
    *n = *v;
    n->meta = "";
    if (which == 0) {
        n->major++;
        n->minor = n->patch = 0;
        n->pre = "";
    } else if (which == 1) {
        n->minor++;
        n->patch = 0;
        n->pre = "";
    } else {
        if (!*v->pre) n->patch++;
        n->pre = "";
    }
    buf_t b = {0};
    if (v->orig[0] == 'v') buf_putc(&b, 'v');
    semver_string(&b, n);
    n->orig = ar_strndup(a, b.data, b.len);
    buf_free(&b);
    return n;
}

static tpl_lookup ver_get(tpl_ctx *c, const tpl_val *self, const char *name,
                          const tpl_val *const *args, size_t nargs, const tpl_val **out)
{
    const semver *v = self->obj.p;
    static const char *const nullary[] = {"Major",    "Minor",    "Patch",  "Prerelease",
                                          "Metadata", "Original", "String", "IncMajor",
                                          "IncMinor", "IncPatch"};
    static const char *const unary[] = {"Compare", "LessThan",      "GreaterThan",
                                        "Equal",   "LessThanEqual", "GreaterThanEqual"};
    for (size_t i = 0; i < sizeof nullary / sizeof *nullary; i++) {
        if (strcmp(name, nullary[i])) continue;
        if (nargs) {
            tpl_errorf(c, "wrong number of args for %s: want 0 got %zu", name, nargs);
            return TPL_LOOKUP_ERR;
        }
        switch (i) {
        case 0:
            *out = tpl_uintk(A, TPL_UINT64, v->major);
            break;
        case 1:
            *out = tpl_uintk(A, TPL_UINT64, v->minor);
            break;
        case 2:
            *out = tpl_uintk(A, TPL_UINT64, v->patch);
            break;
        case 3:
            *out = tpl_cstr(A, v->pre);
            break;
        case 4:
            *out = tpl_cstr(A, v->meta);
            break;
        case 5:
            *out = tpl_cstr(A, v->orig);
            break;
        case 6: {
            buf_t b = {0};
            semver_string(&b, v);
            *out = tpl_str_buf(A, &b);
            buf_free(&b);
            break;
        }
        default:
            *out = tpl_obj(A, &semver_val_type, ver_inc(A, v, (int)i - 7));
        }
        return TPL_LOOKUP_OK;
    }
    for (size_t i = 0; i < sizeof unary / sizeof *unary; i++) {
        if (strcmp(name, unary[i])) continue;
        if (nargs != 1) {
            tpl_errorf(c, "wrong number of args for %s: want 1 got %zu", name, nargs);
            return TPL_LOOKUP_ERR;
        }
        const semver *o = ver_of(args[0]);
        if (!o) {
            tpl_errorf(c, "wrong type for value; expected *semver.Version; got %s",
                       tpl_type_name(args[0]));
            return TPL_LOOKUP_ERR;
        }
        int d = semver_cmp(v, o);
        switch (i) {
        case 0:
            *out = tpl_int(A, d);
            break;
        case 1:
            *out = tpl_bool(d < 0);
            break;
        case 2:
            *out = tpl_bool(d > 0);
            break;
        case 3:
            *out = tpl_bool(d == 0);
            break;
        case 4:
            *out = tpl_bool(d <= 0);
            break;
        default:
            *out = tpl_bool(d >= 0);
        }
        return TPL_LOOKUP_OK;
    }
    return TPL_LOOKUP_NONE;
}

TPL_FN(tpl_f_semver)
{
    (void)nargs;
    const char *err = NULL;
    semver *v = semver_parse(A, args[0]->str.s, args[0]->str.n, &err);
    if (!v) return tpl_errorf(c, "%s", err);
    *out = tpl_obj(A, &semver_ptr_type, v);
    return true;
}

TPL_FN(tpl_f_semverCompare)
{
    (void)nargs;
    bool res = false;
    const char *err = NULL;
    if (!semver_compare(A, args[0]->str.s, args[1]->str.s, args[1]->str.n, &res, &err))
        return tpl_errorf(c, "%s", err ? err : "constraint parser error");
    *out = tpl_bool(res);
    return true;
}

/* ---- for callers outside templates (Flux chart version selection) ---- */

bool tpl_semver_valid(arena *a, const char *v)
{
    const char *err;
    return semver_parse(a, v, strlen(v), &err) != NULL;
}

bool tpl_semver_satisfies(arena *a, const char *range, const char *version, bool *res,
                          const char **err)
{
    return semver_compare(a, range, version, strlen(version), res, err);
}

int tpl_semver_order(arena *a, const char *x, const char *y)
{
    const char *err;
    semver *vx = semver_parse(a, x, strlen(x), &err), *vy = semver_parse(a, y, strlen(y), &err);
    if (!vx || !vy) return vx ? 1 : vy ? -1 : strcmp(x, y);
    return semver_cmp(vx, vy);
}
