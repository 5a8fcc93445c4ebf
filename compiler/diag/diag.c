/* Collects diagnostics and renders them with file:line:col, the source line and a caret. */
#include "diag/diag.h"

#include <stdlib.h>
#include <string.h>

void diag_init(diag_ctx *d)
{
    memset(d, 0, sizeof *d);
    /* file id 0 means "no file" */
    diag_file_add(d, "", NULL, 0);
}

void diag_free(diag_ctx *d)
{
    for (size_t i = 0; i < d->nmsgs; i++)
        free(d->msgs[i].text);
    for (size_t i = 0; i < d->nfiles; i++)
        free((char *)d->files[i].path);
    free(d->msgs);
    free(d->files);
    memset(d, 0, sizeof *d);
}

uint32_t diag_file_add(diag_ctx *d, const char *path, const char *text, size_t len)
{
    if (d->nfiles == d->capfiles) {
        d->capfiles = d->capfiles ? d->capfiles * 2 : 16;
        d->files = util_xrealloc(d->files, d->capfiles * sizeof *d->files);
    }
    size_t n = strlen(path);
    char *p = util_xmalloc(n + 1);
    memcpy(p, path, n + 1);
    d->files[d->nfiles] = (diag_file){p, text, len};
    return (uint32_t)d->nfiles++;
}

const char *diag_file_path(const diag_ctx *d, uint32_t file)
{
    return file < d->nfiles ? d->files[file].path : "";
}

void diag_vadd(diag_ctx *d, diag_level level, diag_pos pos, const char *fmt, va_list ap)
{
    int limit = d->max_errors ? d->max_errors : 50;
    if (level == DIAG_ERROR) {
        d->errors++;
        if (d->errors > limit) return;
    } else if (level == DIAG_WARNING) {
        d->warnings++;
    } else if (d->errors > limit) {
        return; /* a note to a dropped error */
    }
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0) n = 0;
    char *text = util_xmalloc((size_t)n + 1);
    vsnprintf(text, (size_t)n + 1, fmt, ap);
    if (d->nmsgs == d->capmsgs) {
        d->capmsgs = d->capmsgs ? d->capmsgs * 2 : 8;
        d->msgs = util_xrealloc(d->msgs, d->capmsgs * sizeof *d->msgs);
    }
    d->msgs[d->nmsgs++] = (diag_msg){level, pos, text};
}

#define DIAG_FN(name, level)                                                                       \
    void name(diag_ctx *d, diag_pos pos, const char *fmt, ...)                                     \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        diag_vadd(d, level, pos, fmt, ap);                                                         \
        va_end(ap);                                                                                \
    }
DIAG_FN(diag_error, DIAG_ERROR)
DIAG_FN(diag_warn, DIAG_WARNING)
DIAG_FN(diag_note, DIAG_NOTE)

const char *diag_pos_str(const diag_ctx *d, diag_pos pos, char *out, size_t outsz)
{
    const char *path = diag_file_path(d, pos.file);
    if (pos.line)
        snprintf(out, outsz, "%s:%u:%u", path, pos.line, pos.col ? pos.col : 1);
    else
        snprintf(out, outsz, "%s", path);
    return out;
}

/* Finds line `line` (1-based) of a file's text; returns its start and length, or NULL. */
static const char *find_line(const diag_file *f, uint32_t line, size_t *len)
{
    if (!f->text || line == 0) return NULL;
    const char *p = f->text, *end = f->text + f->len;
    for (uint32_t l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (n && p[n - 1] == '\r') n--;
    *len = n;
    return p;
}

static void print_excerpt(const diag_file *f, diag_pos pos, FILE *out, bool color)
{
    size_t n;
    const char *line = find_line(f, pos.line, &n);
    if (!line) return;
    if (n > 200) n = 200; /* keep very long lines readable */
    char gutter[16];
    int gw = snprintf(gutter, sizeof gutter, "%u", pos.line);
    fprintf(out, " %s | ", gutter);
    for (size_t i = 0; i < n; i++)
        fputc(line[i] == '\t' ? ' ' : line[i], out);
    fprintf(out, "\n %*s | ", gw, "");
    /* the column counts characters; advance over UTF-8 sequences */
    uint32_t col = 1;
    for (size_t i = 0; i < n && col < pos.col; col++) {
        fputc(' ', out);
        i += (size_t)util_utf8_width((unsigned char)line[i]);
    }
    fprintf(out, "%s^%s\n", color ? "\033[1;32m" : "", color ? "\033[0m" : "");
}

void diag_print(const diag_ctx *d, FILE *out, bool color)
{
    static const char *names[] = {"error", "warning", "note"};
    static const char *colors[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};
    for (size_t i = 0; i < d->nmsgs; i++) {
        const diag_msg *m = &d->msgs[i];
        char where[4096];
        diag_pos_str(d, m->pos, where, sizeof where);
        if (where[0])
            fprintf(out, "%s%s:%s ", color ? "\033[1m" : "", where, color ? "\033[0m" : "");
        else
            fputs("kiln: ", out);
        fprintf(out, "%s%s:%s %s\n", color ? colors[m->level] : "", names[m->level],
                color ? "\033[0m" : "", m->text);
        if (m->pos.file && m->pos.file < d->nfiles)
            print_excerpt(&d->files[m->pos.file], m->pos, out, color);
    }
    int limit = d->max_errors ? d->max_errors : 50;
    if (d->errors > limit) fprintf(out, "kiln: %d more errors not shown\n", d->errors - limit);
}

uint32_t diag_adopt(diag_ctx *to, diag_ctx *from)
{
    uint32_t offset = (uint32_t)to->nfiles - 1; /* file 0 ("none") is not copied */
    for (size_t i = 1; i < from->nfiles; i++)
        diag_file_add(to, from->files[i].path, from->files[i].text, from->files[i].len);
    for (size_t i = 0; i < from->nmsgs; i++) {
        diag_msg m = from->msgs[i];
        if (m.pos.file) m.pos.file += offset;
        if (to->nmsgs == to->capmsgs) {
            to->capmsgs = to->capmsgs ? to->capmsgs * 2 : 8;
            to->msgs = util_xrealloc(to->msgs, to->capmsgs * sizeof *to->msgs);
        }
        to->msgs[to->nmsgs++] = m;
        from->msgs[i].text = NULL; /* moved */
    }
    to->errors += from->errors;
    to->warnings += from->warnings;
    diag_free(from);
    return offset;
}
