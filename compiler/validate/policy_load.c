/* Gathering ValidatingAdmissionPolicies and their bindings from the render, from --policy files
 * and directories and from the stdlib sets (a directory or the copy embedded in the binary), and
 * compiling each policy's CEL expressions once, with syntax errors at their YAML positions. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "validate/policy_int.h"
#include "yaml/yaml.h"

/* ---- small IR helpers ---- */

const ir_node *pl_get(const ir_node *n, const char *key)
{
    return n && n->kind == IR_MAP ? ir_map_get(n, key) : NULL;
}

const char *pl_str(const ir_node *n, const char *key)
{
    const ir_node *v = pl_get(n, key);
    return v && v->kind == IR_SCALAR && v->tag == IR_TAG_STR ? v->sc.s : NULL;
}

bool pl_is_policy_kind(const char *group, const char *kind, bool binding)
{
    return !strcmp(group, "admissionregistration.k8s.io") &&
           !strcmp(kind,
                   binding ? "ValidatingAdmissionPolicyBinding" : "ValidatingAdmissionPolicy");
}

/* group and version of an apiVersion string, in the arena. */
static void pl_split_api(arena *a, const char *api, const char **group, const char **version)
{
    const char *slash = strchr(api, '/');
    if (slash) {
        *group = ar_strndup(a, api, (size_t)(slash - api));
        *version = slash + 1;
    } else {
        *group = "";
        *version = api;
    }
}

/* ---- expression compilation ---- */

/* The source position of offset `off` inside a block scalar (| or >) that starts at pos: the
 * content begins on the next line; every content line contributes its text after the
 * indentation plus one separator. */
static diag_pos pl_block_pos(const diag_ctx *d, diag_pos pos, size_t off)
{
    if (pos.file >= d->nfiles) return pos;
    const diag_file *f = &d->files[pos.file];
    const char *p = f->text, *end = f->text + f->len;
    for (uint32_t l = 1; l < pos.line + 1 && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    uint32_t line = pos.line + 1;
    size_t indent = SIZE_MAX;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t ind = 0;
        while (p + ind < le && p[ind] == ' ')
            ind++;
        if (p + ind == le) { /* blank line: one separator */
            if (off == 0) return diag_at(pos.file, line, 1);
            off--;
        } else {
            if (indent == SIZE_MAX) indent = ind;
            size_t len = (size_t)(le - p) - (indent < ind ? indent : ind);
            size_t start = indent < ind ? indent : ind;
            if (off <= len) return diag_at(pos.file, line, (uint32_t)(start + off + 1));
            off -= len + 1;
        }
        if (!nl) break;
        p = nl + 1;
        line++;
    }
    return pos;
}

/* Where a CEL error at (line, col) of the expression text of scalar n was written. */
diag_pos pl_expr_pos(const diag_ctx *d, const pl_expr *e, uint32_t line, uint32_t col)
{
    const ir_node *n = e->node;
    if (!n) return (diag_pos){0};
    diag_pos pos = n->pos;
    if (line == 0 || col == 0) return pos;
    if (n->style == IR_STYLE_LITERAL || n->style == IR_STYLE_FOLDED) {
        size_t off = 0;
        const char *s = e->src;
        for (uint32_t l = 1; l < line; l++) {
            const char *nl = memchr(s + off, '\n', e->n - off);
            if (!nl) break;
            off = (size_t)(nl - s) + 1;
        }
        return pl_block_pos(d, pos, off + col - 1);
    }
    if (line > 1) return diag_at(pos.file, pos.line + line - 1, col);
    uint32_t quote = n->style == IR_STYLE_SINGLE || n->style == IR_STYLE_DOUBLE;
    return diag_at(pos.file, pos.line, pos.col + quote + col - 1);
}

static bool pl_ident_char(char ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

/* Whether text uses the identifier name (not as part of a longer name or a field: x.name). */
static bool pl_mentions(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = strstr(text, name); s; s = strstr(s + 1, name)) {
        char before = s > text ? s[-1] : ' ';
        if (!pl_ident_char(before) && before != '.' && !pl_ident_char(s[n])) return true;
    }
    return false;
}

/* Takes the expression scalar under key of m; compiles it. False after a diagnostic. */
static bool pl_compile(pl_ctx *c, pl_policy *p, const ir_node *m, const char *key, pl_expr *out,
                       bool required)
{
    const ir_node *n = pl_get(m, key);
    memset(out, 0, sizeof *out);
    if (!n) {
        if (!required) return true;
        diag_error(c->d, m ? m->pos : p->obj->pos, "policy %s: %s is required", p->name, key);
        return false;
    }
    if (n->kind != IR_SCALAR || n->tag != IR_TAG_STR) {
        diag_error(c->d, n->pos, "policy %s: %s must be a string", p->name, key);
        return false;
    }
    out->node = n;
    out->src = n->sc.s;
    out->n = n->sc.n;
    out->present = true;
    if (pl_mentions(out->src, "authorizer")) p->uses_authorizer = true;
    cel_err err = {0};
    out->prog = cel_parse(c->cenv, out->src, out->n, &err);
    if (!out->prog) {
        diag_error(c->d, pl_expr_pos(c->d, out, err.line, err.col), "policy %s: %s: %s", p->name,
                   key, err.msg ? err.msg : "syntax error");
        return false;
    }
    return true;
}

/* Validation actions of a binding (or of the kiln.dev/validation-actions annotation). */
static unsigned pl_actions(const ir_node *seq)
{
    unsigned act = 0;
    if (seq && seq->kind == IR_SEQ)
        for (size_t i = 0; i < seq->seq.n; i++) {
            const char *s = ir_str_of(seq->seq.items[i]);
            if (!s) continue;
            if (!strcmp(s, "Deny")) act |= PL_DENY;
            if (!strcmp(s, "Warn")) act |= PL_WARN;
            if (!strcmp(s, "Audit")) act |= PL_AUDIT;
        }
    return act;
}

static unsigned pl_actions_text(const char *s)
{
    unsigned act = 0;
    if (!s) return PL_DENY;
    if (strstr(s, "Deny")) act |= PL_DENY;
    if (strstr(s, "Warn")) act |= PL_WARN;
    if (strstr(s, "Audit")) act |= PL_AUDIT;
    return act ? act : PL_DENY;
}

static void pl_read_match(const ir_node *m, pl_match *out)
{
    memset(out, 0, sizeof *out);
    if (!m || m->kind != IR_MAP) return;
    out->present = true;
    out->rules = pl_get(m, "resourceRules");
    out->exclude = pl_get(m, "excludeResourceRules");
    out->nssel = pl_get(m, "namespaceSelector");
    out->objsel = pl_get(m, "objectSelector");
}

/* Adds one ValidatingAdmissionPolicy object; false after a diagnostic (bad CEL or shape). */
static bool pl_add_policy(pl_ctx *c, const ir_node *obj, const ir_res *res, int origin)
{
    const ir_node *meta = pl_get(obj, "metadata"), *spec = pl_get(obj, "spec");
    const char *name = pl_str(meta, "name");
    if (!name) {
        diag_error(c->d, obj->pos, "ValidatingAdmissionPolicy without metadata.name");
        return false;
    }
    if (c->npolicies == c->cappolicies) {
        size_t cap = c->cappolicies ? c->cappolicies * 2 : 32;
        c->policies = ar_realloc(c->a, c->policies, c->cappolicies * sizeof *c->policies,
                                 cap * sizeof *c->policies);
        c->cappolicies = cap;
    }
    pl_policy *p = &c->policies[c->npolicies];
    memset(p, 0, sizeof *p);
    p->name = name;
    p->obj = obj;
    p->res = res;
    p->origin = origin;
    p->kilnpaths = -1;
    const char *fp = pl_str(spec, "failurePolicy");
    p->ignore = fp && !strcmp(fp, "Ignore");
    const ir_node *ann = pl_get(meta, "annotations");
    p->implicit_actions = pl_actions_text(pl_str(ann, "kiln.dev/validation-actions"));
    pl_read_match(pl_get(spec, "matchConstraints"), &p->match);
    const ir_node *pk = pl_get(spec, "paramKind");
    if (pk) {
        const char *api = pl_str(pk, "apiVersion"), *kind = pl_str(pk, "kind");
        if (api && kind) {
            pl_split_api(c->a, api, &p->param_group, &p->param_version);
            p->param_kind = kind;
        }
    }
    bool ok = true;
    const ir_node *conds = pl_get(spec, "matchConditions");
    if (conds && conds->kind == IR_SEQ) {
        p->conds = ar_alloc(c->a, conds->seq.n * sizeof *p->conds);
        for (size_t i = 0; i < conds->seq.n; i++)
            ok &= pl_compile(c, p, conds->seq.items[i], "expression", &p->conds[p->nconds++], true);
    }
    const ir_node *vars = pl_get(spec, "variables");
    if (vars && vars->kind == IR_SEQ) {
        p->vars = ar_alloc(c->a, vars->seq.n * sizeof *p->vars);
        for (size_t i = 0; i < vars->seq.n; i++) {
            const ir_node *v = vars->seq.items[i];
            const char *vn = pl_str(v, "name");
            if (!vn) {
                diag_error(c->d, v->pos, "policy %s: variable without a name", name);
                ok = false;
                continue;
            }
            pl_var *pv = &p->vars[p->nvars];
            pv->name = vn;
            ok &= pl_compile(c, p, v, "expression", &pv->e, true);
            if (!strcmp(vn, "kilnPaths")) p->kilnpaths = (int)p->nvars;
            p->nvars++;
        }
    }
    const ir_node *vals = pl_get(spec, "validations");
    if (vals && vals->kind == IR_SEQ) {
        p->vals = ar_alloc(c->a, vals->seq.n * sizeof *p->vals);
        for (size_t i = 0; i < vals->seq.n; i++) {
            const ir_node *v = vals->seq.items[i];
            pl_valid *pv = &p->vals[p->nvals++];
            ok &= pl_compile(c, p, v, "expression", &pv->expr, true);
            ok &= pl_compile(c, p, v, "messageExpression", &pv->msgexpr, false);
            pv->message = pl_str(v, "message");
        }
    }
    c->npolicies++;
    return ok;
}

static void pl_add_binding(pl_ctx *c, const ir_node *obj, const ir_res *res)
{
    const ir_node *meta = pl_get(obj, "metadata"), *spec = pl_get(obj, "spec");
    const char *pname = pl_str(spec, "policyName");
    if (!pname) return;
    if (c->nbindings == c->capbindings) {
        size_t cap = c->capbindings ? c->capbindings * 2 : 16;
        c->bindings = ar_realloc(c->a, c->bindings, c->capbindings * sizeof *c->bindings,
                                 cap * sizeof *c->bindings);
        c->capbindings = cap;
    }
    pl_binding *b = &c->bindings[c->nbindings++];
    memset(b, 0, sizeof *b);
    b->name = pl_str(meta, "name");
    if (!b->name) b->name = "";
    b->policy = pname;
    b->obj = obj;
    b->res = res;
    b->actions = pl_actions(pl_get(spec, "validationActions"));
    pl_read_match(pl_get(spec, "matchResources"), &b->match);
    b->paramref = pl_get(spec, "paramRef");
}

/* Policies and bindings among the documents of one file. */
static bool pl_add_docs(pl_ctx *c, const ky_docs *docs, int origin)
{
    bool ok = true;
    for (size_t i = 0; i < docs->n; i++) {
        const ir_node *doc = docs->docs[i];
        const char *api = pl_str(doc, "apiVersion"), *kind = pl_str(doc, "kind");
        if (!api || !kind) continue;
        const char *group, *version;
        pl_split_api(c->a, api, &group, &version);
        if (pl_is_policy_kind(group, kind, false))
            ok &= pl_add_policy(c, doc, NULL, origin);
        else if (pl_is_policy_kind(group, kind, true))
            pl_add_binding(c, doc, NULL);
        else if (!strcmp(kind, "List") && pl_get(doc, "items")) {
            const ir_node *items = pl_get(doc, "items");
            if (items->kind != IR_SEQ) continue;
            ky_docs sub = {items->seq.items, NULL, items->seq.n};
            ok &= pl_add_docs(c, &sub, origin);
        }
    }
    return ok;
}

/* Loads YAML text registered under `path`; the text is kept in the run's arena. */
static bool pl_load_text(pl_ctx *c, const char *path, const char *text, size_t len, int origin)
{
    uint32_t file = diag_file_add(c->d, ar_strdup(c->a, path), text, len);
    ky_opts o = {0};
    o.flavor = KY_V3;
    ky_docs docs = {0};
    if (!ky_load(c->a, c->d, file, text, len, &o, &docs)) return false;
    return pl_add_docs(c, &docs, origin);
}

static bool pl_load_file(pl_ctx *c, const char *path, int origin)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(c->d, (diag_pos){0}, "%s: cannot read: %s", path, strerror(errno));
        return false;
    }
    buf_t b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_put(&b, chunk, n);
    bool err = ferror(f);
    fclose(f);
    if (err) {
        buf_free(&b);
        diag_error(c->d, (diag_pos){0}, "%s: read error", path);
        return false;
    }
    char *text = ar_strndup(c->a, b.data ? b.data : "", b.len);
    size_t len = b.len;
    buf_free(&b);
    return pl_load_text(c, path, text, len, origin);
}

static int pl_strcmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool pl_is_yaml_name(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml")) ||
           (n > 5 && !strcmp(name + n - 5, ".json"));
}

/* A file, or every .yaml, .yml and .json file below a directory, in name order. */
static bool pl_load_path(pl_ctx *c, const char *path, int origin, bool must_exist)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (!must_exist) return true;
        diag_error(c->d, (diag_pos){0}, "%s: %s", path, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) return pl_load_file(c, path, origin);
    DIR *dir = opendir(path);
    if (!dir) {
        diag_error(c->d, (diag_pos){0}, "%s: %s", path, strerror(errno));
        return false;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        if (de->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = util_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = ar_printf(c->a, "%s/%s", path, de->d_name);
    }
    closedir(dir);
    if (n) qsort(names, n, sizeof *names, pl_strcmp);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        struct stat sub;
        if (stat(names[i], &sub) != 0) continue;
        const char *base = strrchr(names[i], '/') + 1;
        if (S_ISDIR(sub.st_mode) || pl_is_yaml_name(base))
            ok &= pl_load_path(c, names[i], origin, true);
    }
    free(names);
    return ok;
}

/* One stdlib set directory ("baseline"): from stdlib_dir, or the embedded copy. */
static bool pl_load_set(pl_ctx *c, const char *stdlib_dir, const char *set)
{
    if (stdlib_dir) {
        const char *dir = ar_printf(c->a, "%s/policies/%s", stdlib_dir, set);
        return pl_load_path(c, dir, PL_STDLIB, false);
    }
    const char *prefix = ar_printf(c->a, "policies/%s/", set);
    size_t pn = strlen(prefix);
    bool ok = true;
    for (size_t i = 0; i < vd_stdlib_nfiles; i++) {
        const vd_stdlib_file *f = &vd_stdlib_files[i];
        if (strncmp(f->path, prefix, pn) != 0) continue;
        ok &= pl_load_text(c, ar_printf(c->a, "stdlib/%s", f->path), f->data, f->len, PL_STDLIB);
    }
    return ok;
}

bool pl_gather(pl_ctx *c, const ir_resset *set, const vd_policy_opts *o)
{
    bool ok = true;
    /* the render's own policies and bindings */
    for (size_t i = 0; i < set->n; i++) {
        const ir_res *r = set->items[i];
        if (pl_is_policy_kind(r->id.group, r->id.kind, false))
            ok &= pl_add_policy(c, r->obj, r, PL_RENDER);
        else if (pl_is_policy_kind(r->id.group, r->id.kind, true))
            pl_add_binding(c, r->obj, r);
    }
    for (size_t i = 0; i < o->nsources; i++)
        ok &= pl_load_path(c, o->sources[i], PL_USER, true);
    /* the stdlib sets */
    const char *sets = o->policy_set ? o->policy_set : "baseline,gitops";
    bool pss = false, gitops = false;
    c->level = "baseline";
    for (const char *s = sets; *s;) {
        size_t len = strcspn(s, ",");
        const char *word = ar_strndup(c->a, s, len);
        while (*word == ' ')
            word++;
        if (!strcmp(word, "baseline")) {
            pss = true;
        } else if (!strcmp(word, "restricted")) {
            pss = true;
            c->level = "restricted";
        } else if (!strcmp(word, "gitops")) {
            gitops = true;
        } else if (strcmp(word, "none") != 0 && *word) {
            diag_error(c->d, (diag_pos){0},
                       "--policy-set: unknown set '%s' (baseline, restricted, gitops, none)", word);
            return false;
        }
        s += len;
        if (*s == ',') s++;
    }
    if (pss) {
        ok &= pl_load_set(c, o->stdlib_dir, "baseline");
        ok &= pl_load_set(c, o->stdlib_dir, "restricted");
    }
    if (gitops) ok &= pl_load_set(c, o->stdlib_dir, "gitops");
    /* a render or --policy policy replaces the stdlib policy of the same name */
    for (size_t i = 0; i < c->npolicies; i++) {
        pl_policy *p = &c->policies[i];
        for (size_t j = 0; j < c->npolicies && p->origin == PL_STDLIB; j++)
            if (c->policies[j].origin != PL_STDLIB && !strcmp(c->policies[j].name, p->name))
                p->replaced = true;
    }
    /* which policies have bindings */
    for (size_t i = 0; i < c->npolicies; i++)
        for (size_t j = 0; j < c->nbindings; j++)
            if (!strcmp(c->bindings[j].policy, c->policies[i].name))
                c->policies[i].has_binding = true;
    return ok;
}
