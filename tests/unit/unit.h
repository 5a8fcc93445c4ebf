/* Shared helpers for kiln's cmocka unit tests: load YAML text into IR, write it back. */
#ifndef KILN_UNIT_H
#define KILN_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "diag/diag.h"
#include "emit/emit.h"
#include "ir/ir.h"
#include "yaml/yaml.h"

typedef struct unit_env {
    arena a;
    diag_ctx d;
    ky_docs docs;
    bool ok;
    char *errors; /* rendered diagnostics, malloc'd */
} unit_env;

static inline void unit_load(unit_env *u, const char *text)
{
    ar_init(&u->a);
    diag_init(&u->d);
    uint32_t f = diag_file_add(&u->d, "t.yaml", text, strlen(text));
    ky_opts o = {.flavor = KY_V3};
    u->ok = ky_load(&u->a, &u->d, f, text, strlen(text), &o, &u->docs);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    diag_print(&u->d, m, false);
    fclose(m);
    u->errors = buf;
}

static inline void unit_free(unit_env *u)
{
    free(u->errors);
    diag_free(&u->d);
    ar_free(&u->a);
}

/* Loads one document and writes it as kustomize would; returns malloc'd text. */
static inline char *unit_roundtrip(const char *text)
{
    unit_env u;
    unit_load(&u, text);
    assert_true(u.ok);
    buf_t b = {0};
    em_yaml_stream(&b, u.docs.docs, u.docs.n);
    unit_free(&u);
    char *r = strdup(b.data ? b.data : "");
    buf_free(&b);
    return r;
}

#endif
