/* Diagnostics for every stage: collects errors, warnings and notes with source positions and
 * renders them, in one place, as `path:line:col: error: message` plus the source line and a caret.
 *
 * Ownership: a diag_ctx keeps every registered file's text alive (it borrows the pointer; the
 * caller keeps the text until diag_free) and owns its messages. */
#ifndef KILN_DIAG_H
#define KILN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "util/util.h"

/* A position: file id from diag_file_add (0 = none), 1-based line and column (0 = unknown). */
typedef struct diag_pos {
    uint32_t file, line, col;
} diag_pos;

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_level;

typedef struct diag_file {
    const char *path;
    const char *text;
    size_t len;
} diag_file;

typedef struct diag_msg {
    diag_level level;
    diag_pos pos;
    char *text;
} diag_msg;

typedef struct diag_ctx {
    diag_file *files;
    size_t nfiles, capfiles;
    diag_msg *msgs;
    size_t nmsgs, capmsgs;
    int errors, warnings;
    int max_errors; /* stop collecting after this many errors (0 = 50) */
} diag_ctx;

void diag_init(diag_ctx *d);
void diag_free(diag_ctx *d);
uint32_t diag_file_add(diag_ctx *d, const char *path, const char *text, size_t len);
const char *diag_file_path(const diag_ctx *d, uint32_t file);

void diag_error(diag_ctx *d, diag_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warn(diag_ctx *d, diag_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note(diag_ctx *d, diag_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_vadd(diag_ctx *d, diag_level level, diag_pos pos, const char *fmt, va_list ap);

/* "path:line:col" (or "path", or "") for messages that mention a second position. */
const char *diag_pos_str(const diag_ctx *d, diag_pos pos, char *out, size_t outsz);

/* Moves `from`'s files and messages behind `to`'s, renumbering file ids; returns the offset added
 * to `from`'s file ids (positions held elsewhere must be shifted by it). `from` is freed. */
uint32_t diag_adopt(diag_ctx *to, diag_ctx *from);

/* Writes every collected message in order; color when `color` is set. */
void diag_print(const diag_ctx *d, FILE *f, bool color);

static inline diag_pos diag_at(uint32_t file, uint32_t line, uint32_t col)
{
    diag_pos p = {file, line, col};
    return p;
}
static const diag_pos diag_nopos = {0, 0, 0};

#endif
