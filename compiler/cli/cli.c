/* The verb table, dispatch, help and version output, and shared argument helpers. */
#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>

static int cli_version(int argc, char **argv);
static int cli_help(int argc, char **argv);

/* One row per verb: name, function, one-line summary, help text. */
static const cli_verb verbs[] = {
    {"build", cli_build, "render a kustomization or a directory of manifests",
     "usage: kiln build [PATH...] [-o yaml|json] [--load-restrictor "
     "LoadRestrictionsRootOnly|LoadRestrictionsNone]\n"
     "                  [--enable-managedby-label] [-j N] [--hash]\n"
     "\n"
     "Renders PATH (default .) and prints the YAML stream that `kubectl kustomize PATH` prints.\n"
     "PATH is a directory holding kustomization.yaml (or .yml, or Kustomization), or a directory\n"
     "of plain manifests (every *.yaml, *.yml and *.json below it, rendered as if listed in a\n"
     "generated kustomization, as Flux does), or - for a YAML stream on standard input.\n"
     "Several PATHs (e.g. every cluster of a fleet: kiln build clusters/*) render on threads of\n"
     "their own and print as one stream in argument order (YAML only).\n"
     "\n"
     "  -o, --output yaml|json   output format (default yaml; json prints one object or a List)\n"
     "  --load-restrictor R      LoadRestrictionsRootOnly (default) refuses files outside a\n"
     "                           kustomization's directory; LoadRestrictionsNone allows them\n"
     "  --enable-managedby-label add app.kubernetes.io/managed-by: kustomize-v5.7.1 to every "
     "object\n"
     "  -j, --jobs N             threads (default: one per processor); the output is the same\n"
     "  --hash                   add kiln.dev/content-hash (see kiln help hash) to every object\n"
     "  --prune-list --live SNAPSHOT\n"
     "                           print, instead of the objects, the live objects `kiln diff`\n"
     "                           would prune, one per line as kubectl delete arguments:\n"
     "                           kiln build P --prune-list --live S | xargs -L1 kubectl delete\n"
     "  --rev REV                render PATH as it is in git revision REV, read from the object\n"
     "                           database (no checkout); REV is anything git rev-parse takes\n"
     "\n"
     "Flux: a PATH holding Flux Kustomizations (clusters/<name>/ as flux bootstrap writes it)\n"
     "is a cluster: every Kustomization is followed as kustomize-controller would (sources,\n"
     "targetNamespace, patches, images, components, postBuild substitution, commonMetadata,\n"
     "owner labels, nested Kustomizations) and the output is what the cluster receives, in\n"
     "dependsOn order. HelmReleases are rendered as helm-controller installs them (values,\n"
     "valuesFrom, release name, CRDs, postRenderers, labels); charts of HelmRepository and\n"
     "OCIRepository sources come from local copies (--chart-source, --charts).\n"
     "A directory whose Kustomizations name paths that exist nowhere around it (rendered\n"
     "output, say) stays a directory of plain manifests.\n"
     "  --kustomization FILE     reconcile the Flux Kustomization(s) in FILE; PATH is the\n"
     "                           repository their GitRepository stands for\n"
     "  --flux-config FILE       an `az k8s-configuration flux show` JSON document (Azure Arc /\n"
     "                           AKS fluxConfigurations); PATH is its repository\n"
     "  --source [NS/]NAME=DIR   the local copy of a source that is not this repository\n"
     "                           (GitRepository, OCIRepository, Bucket, ExternalArtifact)\n"
     "  --chart-source URL=PATH  the local copy (chart directory or .tgz) of a chart: URL is a\n"
     "                           HelmRepository's spec.url + /CHART, or an OCIRepository's\n"
     "                           spec.url as written (repeatable)\n"
     "  --charts DIR             charts as <chart>-<version>.tgz or <chart>/ (with Chart.yaml);\n"
     "                           the highest version matching spec.chart.spec.version wins\n"
     "  --missing-charts=warn    skip (with a warning) HelmReleases whose chart is not found;\n"
     "                           the default, error, stops the build\n"
     "  --kubeconfig-secret NS/NAME\n"
     "                           print the remote cluster reached by Kustomizations whose\n"
     "                           spec.kubeConfig.secretRef is NAME in namespace NS instead\n"
     "  --strict-substitute      an unset ${VAR} without a default is an error\n"
     "  --flux-objects=false     leave out the Flux objects (Kustomizations, sources, ...)\n"
     "  --per-kustomization      a `# Kustomization: ns/name` line before each group\n"
     "\n"
     "Nothing is printed on standard output unless the whole build succeeds. Errors go to\n"
     "standard error as path:line:col: error: message. Exit status: 0 ok, 2 input or usage "
     "error.\n"},
    {"diff", cli_diff, "show what applying the render would create, update and prune",
     "usage: kiln diff [PATH] (--live SNAPSHOT | --base REV [--head REV] | --watch)\n"
     "       kiln diff --affected --base REV [--head REV]\n"
     "                 [--format text|json|markdown] [--color auto|always|never]\n"
     "                 [--namespace NS] [--owner-label KEY=VALUE] [--field-manager NAME]\n"
     "\n"
     "Renders PATH like `kiln build` and compares it with SNAPSHOT, the output of\n"
     "`kubectl get ... -o yaml|json` (a List, a stream, or a directory of such files).\n"
     "Objects match by group, kind, namespace and name; a namespaced object without a\n"
     "namespace takes --namespace (default \"default\"). Only fields the render sets are\n"
     "compared, so server-populated and defaulted fields never show; a live field the render\n"
     "lacks counts as removed when last-applied-configuration or the managedFields of\n"
     "--field-manager (default kustomize-controller) hold it. A live object that is not\n"
     "rendered is pruned when it carries the Flux ownership labels of an owner that also\n"
     "owns rendered objects (or --owner-label KEY=VALUE). Secret values are never printed.\n"
     "\n"
     "With --base, PATH is rendered at git revision REV and at --head (default: the working\n"
     "tree), both read from the object database without a checkout, and the two renders are\n"
     "compared: objects only in the base are pruned, only in the head created.\n"
     "\n"
     "--affected diffs, instead of PATH, every top-level kustomization that the changes since\n"
     "REV can reach (see kiln help affected), reported as one.\n"
     "\n"
     "--watch renders PATH, then again after every save in the repository (inotify), and prints\n"
     "only what changed since the previous render; it runs until interrupted.\n"
     "\n"
     "--format markdown writes a pull-request comment: a summary table and a collapsible\n"
     "section per changed object, cut below GitHub's comment size with a note.\n"
     "\n"
     "The Flux flags of kiln build apply (--source, --chart-source, --charts,\n"
     "--missing-charts, --kustomization, --flux-config, --kubeconfig-secret, ...).\n"
     "\n"
     "Exit status: 0 no changes, 1 changes, 2 input or usage error.\n"},
    {"check", cli_check, "validate the render against schemas and policies",
     "usage: kiln check [PATH] [--schema FILE|DIR]... [--policy FILE|DIR]...\n"
     "                  [--policy-set SETS] [--params FILE] [--strict] [--require-schemas]\n"
     "                  [--format text|json|sarif|junit|github] [--rev REV]\n"
     "       kiln check --affected (FILES... | --staged | --base REV) [flags as above]\n"
     "\n"
     "Renders PATH (as kiln build does) and validates every object: against OpenAPI schemas\n"
     "(CRDs found in the render, and --schema sources: a cluster's /openapi/v3 directory, CRD\n"
     "files, kubeconform-style JSON schemas), and against ValidatingAdmissionPolicies (those in\n"
     "the render, --policy files, and kiln's policy sets). Exit 0 clean, 1 when some finding\n"
     "is an error, 2 for input errors (then nothing is written on standard output).\n"
     "The Flux flags of kiln build apply (--source, --chart-source, --charts,\n"
     "--missing-charts, --kustomization, --flux-config, --kubeconfig-secret, ...).\n"
     "\n"
     "  --schema FILE|DIR      schema source (repeatable)\n"
     "  --policy FILE|DIR      ValidatingAdmissionPolicy (+ Binding) files (repeatable)\n"
     "  --policy-set SETS      kiln's built-in sets: baseline, restricted, gitops, none,\n"
     "                         comma-separated (default baseline,gitops)\n"
     "  --params FILE          parameters for the built-in policies (YAML or JSON), e.g.\n"
     "                         {allowedContainerPorts: [80, 443]}\n"
     "  --strict               unknown fields and duplicate keys are errors\n"
     "  --require-schemas      an object whose kind has no schema is an error\n"
     "  --format F             text (default): file:line:col: error: [rule] object: path:\n"
     "                         message, the source line and a caret; json; sarif (SARIF\n"
     "                         2.1.0 for GitHub code scanning); junit (a testsuite per\n"
     "                         object, a testcase per rule); github (::error workflow\n"
     "                         commands that annotate the pull request)\n"
     "  --rev REV              check PATH as it is in git revision REV\n"
     "  --affected             check the kustomizations that FILES (as pre-commit passes\n"
     "                         them), the staged files or the files changed since REV can\n"
     "                         change (the top ones, as kiln affected lists them), as one\n"
     "                         report; a finding two of them share is reported once\n"
     "  --staged, --base REV   with --affected: the changed files from the index, or since REV\n"
     "\n"
     "An object annotated kiln.dev/ignore: POLICY[,POLICY] (with kiln.dev/ignore-reason) skips\n"
     "those policies; every skip is listed in the report.\n"},
    {"cel", cli_cel, "evaluate a CEL expression (against each object of a manifest)",
     "usage: kiln cel 'EXPR' [-f MANIFEST]\n"
     "       kiln cel --jsonl\n"
     "\n"
     "Evaluates the CEL expression EXPR (the language of ValidatingAdmissionPolicy rules) and\n"
     "prints the result in CEL value syntax. With -f, EXPR runs once per object of MANIFEST\n"
     "(YAML or JSON, '-' for standard input) with the object bound to `object`, one result line\n"
     "per object. A syntax or evaluation error prints <expr>:1:COL: error: MESSAGE with the\n"
     "expression and a caret, and exits 2.\n"
     "\n"
     "--jsonl reads one JSON request per line on standard input ({\"expr\": ..., \"bindings\":\n"
     "{NAME: VALUE}, \"container\": ...}, values in run-cel.sh's typed encoding) and writes one\n"
     "line per request: {\"value\": VALUE} or {\"error\": \"...\"}.\n"},
    {"schema", cli_schema, "compile schema sources into the cache kiln check uses",
     "usage: kiln schema import DIR|FILE... [--cache-dir DIR]\n"
     "\n"
     "Compiles schema sources into one binary file under $XDG_CACHE_HOME/kiln/schemas (default\n"
     "~/.cache/kiln/schemas) and prints its path. A later `kiln check --schema` with the same\n"
     "sources, in the same order, loads that file instead of parsing them; the file is named by\n"
     "an XXH3 hash of the sources (every file's absolute path, inode, size, mtime and ctime), so\n"
     "a changed source is parsed again, never read stale. Sources: a Kubernetes OpenAPI v3\n"
     "directory as a cluster serves /openapi/v3 (api/v1.json, apis/GROUP/VERSION.json),\n"
     "CustomResourceDefinition YAML files, and kubeconform-style JSON schemas\n"
     "(KIND-GROUP-VERSION.json); directories are read recursively.\n"
     "\n"
     "  --cache-dir DIR   write there instead\n"
     "\n"
     "Exit status: 0 written, 2 input error (a source that cannot be read or parsed).\n"},
    {"affected", cli_affected, "list the kustomizations whose output changes with some files",
     "usage: kiln affected (PATHS... | --staged | --base REV)\n"
     "\n"
     "Prints, one per line and sorted, every kustomization directory of the repository whose\n"
     "output can change when the given files change: the directory holding a file, and every\n"
     "kustomization that reaches it through resources, components, bases, patches, generator\n"
     "sources, configurations, crds, openapi or replacements (the reverse include graph).\n"
     "--staged takes the files staged for commit (index against HEAD), --base REV the files that\n"
     "differ between REV and the working tree; both through libgit2. Paths are printed relative\n"
     "to the current directory. Exit status: 0 (also when nothing is affected), 2 error.\n"},
    {"hash", cli_hash, "print the content hash of every rendered object and of the set",
     "usage: kiln hash [PATH] [-o text|json] [--rev REV]\n"
     "\n"
     "Renders PATH like `kiln build` and prints, per object in output order,\n"
     "  HASH  group/version/kind  namespace/name\n"
     "and last the hash of the whole set. HASH is XXH3-128 (32 hex digits) of the object's\n"
     "canonical form: its JSON with keys sorted and values as kiln writes them, without the\n"
     "kiln.dev/content-hash annotation; key order and formatting do not change it, any value "
     "does.\n"
     "The set hash covers the sorted (id, hash) pairs. `kiln build --hash` writes the same hashes\n"
     "into each object as the annotation kiln.dev/content-hash. --rev hashes PATH as it is in a\n"
     "git revision (read without a checkout), so two revisions' set hashes tell whether their\n"
     "renders differ.\n"},
    {"template", cli_template, "render a Helm chart as `helm template` does",
     "usage: kiln template [RELEASE] CHART [-n NS] [-f FILE]... [--set K=V]... [--set-string "
     "K=V]...\n"
     "                     [--set-file K=PATH]... [--set-json K=JSON]... [--set-literal K=V]...\n"
     "                     [--kube-version V] [--api-versions G/V[/K]]... [--include-crds]\n"
     "                     [--skip-crds] [--no-hooks] [--skip-tests] [--show-only FILE]...\n"
     "                     [--skip-schema-validation] [--name-template T] [-g] [--debug]\n"
     "\n"
     "Renders the chart CHART (a directory or a .tgz archive) without a cluster and prints what\n"
     "`helm template` (Helm v4.1.4) prints: every manifest as `---` + `# Source: PATH` + content,\n"
     "in Helm's install order, hooks last. RELEASE defaults to release-name, NS to default.\n"
     "\n"
     "  -n, --namespace NS       .Release.Namespace\n"
     "  -f, --values FILE        a values file (repeatable; later files win; null deletes)\n"
     "  --set K=V                typed values (a.b=1,c[0]=x,d={x,y}); --set-string: strings only\n"
     "  --set-file K=PATH        the file's text as the value; --set-json K=JSON; --set-literal\n"
     "  --kube-version V         .Capabilities.KubeVersion (default v1.35.0)\n"
     "  --api-versions G/V       add to .Capabilities.APIVersions (repeatable, comma-separated)\n"
     "  --include-crds           print the crds/ files first; --skip-crds: do not (default)\n"
     "  --no-hooks               leave hooks out; --skip-tests: leave test hooks out\n"
     "  -s, --show-only FILE     only the manifests of that template (glob; repeatable)\n"
     "  --name-template T        the release name from a template (with CHART only);\n"
     "                           -g and --release-name are accepted and change nothing, as in\n"
     "                           helm template\n"
     "  --skip-schema-validation do not check values against values.schema.json\n"
     "  --debug                  on a YAML error, print the rendered document to stderr\n"
     "\n"
     "Errors go to standard error as path:line:col: error: message with Helm's text; nothing is\n"
     "printed on standard output then. Exit status: 0 ok, 2 error.\n"},
    {"version", cli_version, "print kiln's version", "usage: kiln version\n"},
    {"help", cli_help, "show help for kiln or one command", "usage: kiln help [COMMAND]\n"},
};

const cli_verb *cli_find_verb(const char *name)
{
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        if (!strcmp(verbs[i].name, name)) return &verbs[i];
    return NULL;
}

static void print_overview(FILE *f)
{
    fprintf(f,
            "kiln %s — an offline compiler for Kubernetes GitOps repositories\n\n"
            "usage: kiln COMMAND [ARGS]\n\ncommands:\n",
            KILN_VERSION);
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++)
        fprintf(f, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
    fprintf(f, "\nRun 'kiln help COMMAND' or 'kiln COMMAND --help' for a command's options.\n");
}

bool cli_is_help(const char *arg)
{
    return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int cli_usage_error(const char *verb, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kiln %s: error: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'kiln help %s' for usage.\n", verb);
    return 2;
}

bool cli_flag_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n)) return false;
    if (a[n] == '=') {
        *value = a + n + 1;
        return true;
    }
    if (a[n]) return false;
    if (*i + 1 >= argc) {
        *value = NULL;
        return true;
    }
    *value = argv[++*i];
    return true;
}

static int cli_version(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(cli_find_verb("version")->usage, stdout);
            return 0;
        }
        return cli_usage_error("version", "unexpected argument '%s'", argv[i]);
    }
    printf("kiln %s (compatible with kustomize v5.7.1)\n", KILN_VERSION);
    return 0;
}

static int cli_help(int argc, char **argv)
{
    if (argc < 2 || cli_is_help(argv[1])) {
        print_overview(stdout);
        return 0;
    }
    const cli_verb *v = cli_find_verb(argv[1]);
    if (!v) {
        fprintf(stderr, "kiln help: error: unknown command '%s'\n\n", argv[1]);
        print_overview(stderr);
        return 2;
    }
    fputs(v->usage, stdout);
    return 0;
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return 2;
    }
    if (cli_is_help(argv[1])) {
        print_overview(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) return cli_version(1, argv + 1);
    const cli_verb *v = cli_find_verb(argv[1]);
    if (!v) {
        fprintf(stderr, "kiln: error: unknown command '%s'\n\n", argv[1]);
        print_overview(stderr);
        return 2;
    }
    return v->run(argc - 1, argv + 1);
}
