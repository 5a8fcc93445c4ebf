/* The source stage: a read-only file tree confined to a root directory. Every front end reads
 * through it; paths that leave the root (through "..", absolute paths or symbolic links) are
 * refused. Paths are kept as the user would write them (cleaned, relative to the working
 * directory when given that way) so diagnostics point where the user looks.
 *
 * Ownership: file contents and listings are allocated in the caller's arena. */
#ifndef KILN_SOURCE_H
#define KILN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "util/util.h"

typedef struct src_dircache src_dircache;
typedef struct src_git src_git;

typedef struct src_tree {
    char *root; /* absolute, symlinks resolved */
    size_t rootlen;
    size_t max_file;    /* largest file read, bytes */
    src_dircache *dirs; /* real paths of directories already resolved (owned) */
    /* the last path stat'ed, so that a read right after src_stat does not stat it again */
    char *last_path;
    struct stat *last_lst, *last_st;
    src_git *git; /* set when the tree is a git revision (git.c) */
} src_tree;

typedef enum { SRC_MISSING, SRC_FILE, SRC_DIR, SRC_OTHER } src_kind;

/* Opens a tree whose root is `root` (a directory). Returns false with *err set (static text). */
bool src_open_fs(src_tree *t, const char *root, const char **err);
/* Opens the tree of revision `rev` (anything git rev-parse takes) of the git repository holding
 * `path`, rooted at its work tree: paths keep the work tree's layout, contents come from the
 * object database. Symbolic links in the revision are not followed. Messages go to a. */
bool src_open_git(src_tree *t, arena *a, const char *path, const char *rev, const char **err);
void src_close(src_tree *t);
/* git's ignore rules (.gitignore, info/exclude) of the repository holding path; outside git
 * nothing is ignored. */
typedef struct src_ignore src_ignore;
src_ignore *src_ignore_open(const char *path);
bool src_ignored(src_ignore *ig, const char *abs_path);
void src_ignore_close(src_ignore *ig);

/* Change notification for a whole tree (inotify), skipping hidden and git-ignored
 * directories. src_watch_wait blocks until something changed and the tree has then been quiet
 * for settle_ms; false when watching failed. */
typedef struct src_watch src_watch;
src_watch *src_watch_open(const char *root);
bool src_watch_wait(src_watch *w, int settle_ms);
void src_watch_close(src_watch *w);

/* Absolute paths of the files that differ between the index and HEAD (base NULL: what a commit
 * would record) or between revision base and the working tree, in the repository holding
 * path. Both names of a rename are listed. Messages go to a. */
bool src_git_changes(arena *a, const char *path, const char *base, const char ***out, size_t *n,
                     const char **err);

/* The URLs of the remotes of the git repository holding path (in a); false outside git. */
bool src_git_remote_urls(arena *a, const char *path, const char ***urls, size_t *n);

/* The root to use for a build of `path`: the enclosing git work tree; outside git, "/" (kustomize's
 * load restrictor is then the only limit). Malloc'd. */
char *src_guess_root(const char *path);

/* Lexically cleaned join of dir and rel (rel absolute: rel alone), like Go's filepath.Join. */
char *src_join(arena *a, const char *dir, const char *rel);
char *src_clean(arena *a, const char *path);
bool src_is_within(const char *dir, const char *path); /* lexical: path equals dir or lies below */

src_kind src_stat(src_tree *t, const char *path);
/* The real path of a directory (cached per tree), or NULL. Borrowed from the tree. */
const char *src_realdir(src_tree *t, const char *dir);
/* Reads a whole file into the arena (NUL-terminated). On failure returns false and sets *err to
 * a message in the arena. Refuses files outside the root and files larger than max_file. */
bool src_read(src_tree *t, arena *a, const char *path, char **data, size_t *len, const char **err);
/* Names in directory `dir`, sorted bytewise, without "." and "..". */
bool src_list(src_tree *t, arena *a, const char *dir, char ***names, size_t *n, const char **err);

#endif
