/* The compiled-schema cache: where it lives ($XDG_CACHE_HOME/kiln/schemas), mapping a cache
 * file after checking its header and checksum, and writing one atomically. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "validate/schema_int.h"

char *sc_cache_dir(const char *dir)
{
    char *out = NULL;
    if (dir && !*dir) return NULL;
    if (dir) {
        out = strdup(dir);
    } else {
        const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
        buf_t b = {0};
        if (xdg && *xdg == '/')
            buf_printf(&b, "%s/kiln/schemas", xdg);
        else if (home && *home)
            buf_printf(&b, "%s/.cache/kiln/schemas", home);
        else
            return NULL;
        return b.data;
    }
    if (!out) util_oom();
    return out;
}

char *sc_cache_path(const char *dir, uint64_t key)
{
    buf_t b = {0};
    buf_printf(&b, "%s/%016llx.kschema", dir, (unsigned long long)key);
    return b.data;
}

bool sc_cache_load(const char *path, uint64_t key, sc_blob *out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    if (fstat(fd, &st) || (size_t)st.st_size < sizeof(sc_header)) {
        close(fd);
        return false;
    }
    size_t size = (size_t)st.st_size;
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return false;
    const sc_header *h = p;
    const uint8_t *bytes = p;
    bool ok = h->magic == SC_MAGIC && h->version == SC_VERSION && h->key == key &&
              h->size == size && h->gvks <= size &&
              (uint64_t)h->gvks + (uint64_t)h->ngvks * sizeof(sc_gvk) <= size &&
              (uint64_t)h->slots + (uint64_t)h->nslots * 4 <= size && h->nexact <= h->ngvks &&
              util_hash(bytes + sizeof *h, size - sizeof *h) == h->sum;
    if (!ok) {
        munmap(p, size);
        return false;
    }
    out->data = p;
    out->size = size;
    out->mapped = true;
    return true;
}

static bool sc_mkdirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p) util_oom();
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0755) && errno != EEXIST) {
            free(p);
            return false;
        }
        *s = '/';
    }
    bool ok = !mkdir(p, 0755) || errno == EEXIST;
    free(p);
    return ok;
}

bool sc_cache_write(diag_ctx *d, const char *dir, const char *path, const sc_blob *b)
{
    if (!sc_mkdirs(dir)) {
        diag_error(d, diag_nopos, "%s: cannot create the schema cache directory: %s", dir,
                   strerror(errno));
        return false;
    }
    buf_t tmp = {0};
    buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    size_t done = 0;
    while (ok && done < b->size) {
        ssize_t w = write(fd, b->data + done, b->size - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0)
            ok = false;
        else
            done += (size_t)w;
    }
    if (fd >= 0 && close(fd)) ok = false;
    if (ok && rename(tmp.data, path)) ok = false;
    if (!ok) {
        diag_error(d, diag_nopos, "%s: cannot write the schema cache: %s", path, strerror(errno));
        unlink(tmp.data);
    }
    buf_free(&tmp);
    return ok;
}
