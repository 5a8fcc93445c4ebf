/* Inside the source stage: the git backend that fs.c hands a tree to when it reads a revision. */
#ifndef KILN_SRC_INT_H
#define KILN_SRC_INT_H

#include "source/source.h"

src_kind src_git_stat(src_tree *t, const char *path);
bool src_git_read(src_tree *t, arena *a, const char *path, char **data, size_t *len,
                  const char **err);
bool src_git_list(src_tree *t, arena *a, const char *dir, char ***names, size_t *n,
                  const char **err);
const char *src_git_realdir(src_tree *t, const char *dir);
void src_git_close(src_tree *t);

#endif
