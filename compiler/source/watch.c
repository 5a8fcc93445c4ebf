/* Watching a source tree for changes with inotify, for `kiln diff --watch`. */
#include <dirent.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/source.h"

struct src_watch {
    int fd;
    src_ignore *ig;
    char *root;
};

/* Adds a watch on dir and every directory below it that is neither hidden nor git-ignored
 * (adding a directory watched already is harmless: inotify returns the same watch). */
static void add_tree(src_watch *w, const char *dir, int depth)
{
    if (depth > 64) return;
    inotify_add_watch(w->fd, dir,
                      IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO |
                          IN_MODIFY);
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)) continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        if (!sub) util_oom();
        snprintf(sub, n, "%s/%s", dir, e->d_name);
        struct stat st;
        bool is_dir = e->d_type == DT_DIR || (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode));
        if (is_dir && !src_ignored(w->ig, sub)) add_tree(w, sub, depth + 1);
        free(sub);
    }
    closedir(d);
}

src_watch *src_watch_open(const char *root)
{
    int fd = inotify_init1(IN_CLOEXEC);
    if (fd < 0) return NULL;
    src_watch *w = calloc(1, sizeof *w);
    if (!w) util_oom();
    w->fd = fd;
    w->root = realpath(root, NULL);
    w->ig = src_ignore_open(root);
    if (!w->root) {
        src_watch_close(w);
        return NULL;
    }
    add_tree(w, w->root, 0);
    return w;
}

bool src_watch_wait(src_watch *w, int settle_ms)
{
    char buf[64 * (sizeof(struct inotify_event) + NAME_MAX + 1)];
    struct pollfd p = {.fd = w->fd, .events = POLLIN};
    if (poll(&p, 1, -1) <= 0) return false;
    /* an editor's save is several events: wait until the tree has been quiet for settle_ms */
    do {
        if (read(w->fd, buf, sizeof buf) < 0) return false;
    } while (poll(&p, 1, settle_ms) > 0);
    add_tree(w, w->root, 0); /* directories created meanwhile */
    return true;
}

void src_watch_close(src_watch *w)
{
    if (!w) return;
    close(w->fd);
    src_ignore_close(w->ig);
    free(w->root);
    free(w);
}
