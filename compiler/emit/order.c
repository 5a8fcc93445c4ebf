/* kustomize's legacy resource order: kinds from an order-first list, then every other kind, then
 * an order-last list; ties broken by group_version_kind and namespace|name strings. */
#include "emit/emit.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char *const default_first[] = {
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
};
static const char *const default_last[] = {"MutatingWebhookConfiguration",
                                           "ValidatingWebhookConfiguration"};

typedef struct sort_key {
    ir_res *r;
    int rank;
    char *gvk;    /* group_version_kind with ~G/~V/~K */
    char *nsname; /* ns|name with ~X/~N */
} sort_key;

static int rank_of(const char *kind, const char *const *first, size_t nfirst,
                   const char *const *last, size_t nlast)
{
    /* a kind listed twice keeps its later position, as a Go map assignment would */
    int r = 0;
    for (size_t i = 0; i < nfirst; i++)
        if (!strcmp(first[i], kind)) r = -(int)nfirst + (int)i;
    for (size_t i = 0; i < nlast; i++)
        if (!strcmp(last[i], kind)) r = 1 + (int)i;
    return r;
}

static char *join3(const char *a, const char *sep1, const char *b, const char *sep2, const char *c)
{
    size_t n = strlen(a) + strlen(sep1) + strlen(b) + strlen(sep2) + strlen(c) + 1;
    char *p = util_xmalloc(n);
    snprintf(p, n, "%s%s%s%s%s", a, sep1, b, sep2, c);
    return p;
}

static int key_less(const sort_key *a, const sort_key *b)
{
    const ir_id *x = &a->r->id, *y = &b->r->id;
    /* the gvk strings are equal exactly when group, version and kind are */
    int c = strcmp(a->gvk, b->gvk);
    if (c) {
        if (a->rank != b->rank) return a->rank < b->rank;
        if (!strcmp(x->kind, "Namespace") && !strcmp(y->kind, "Namespace") &&
            (!*x->group || !*y->group))
            return c > 0;
        return c < 0;
    }
    return strcmp(a->nsname, b->nsname) < 0;
}

void em_sort_legacy(ir_res **items, size_t n, const char *const *first, size_t nfirst,
                    const char *const *last, size_t nlast)
{
    if (n < 2) return;
    if (!first) {
        first = default_first;
        nfirst = sizeof default_first / sizeof *default_first;
    }
    if (!last) {
        last = default_last;
        nlast = sizeof default_last / sizeof *default_last;
    }
    sort_key *k = util_xmalloc(n * sizeof *k), *tmp = util_xmalloc(n * sizeof *tmp);
    for (size_t i = 0; i < n; i++) {
        const ir_id *id = &items[i]->id;
        k[i].r = items[i];
        k[i].rank = rank_of(id->kind, first, nfirst, last, nlast);
        k[i].gvk = join3(*id->group ? id->group : "~G", "_", *id->version ? id->version : "~V", "_",
                         *id->kind ? id->kind : "~K");
        k[i].nsname = join3(*id->ns ? id->ns : "~X", "|", *id->name ? id->name : "~N", "", "");
    }
    /* stable merge sort */
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n,
                   hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                tmp[o++] = key_less(&k[b], &k[a]) ? k[b++] : k[a++];
            while (a < mid)
                tmp[o++] = k[a++];
            while (b < hi)
                tmp[o++] = k[b++];
        }
        memcpy(k, tmp, n * sizeof *k);
    }
    for (size_t i = 0; i < n; i++) {
        items[i] = k[i].r;
        free(k[i].gvk);
        free(k[i].nsname);
    }
    free(k);
    free(tmp);
}
