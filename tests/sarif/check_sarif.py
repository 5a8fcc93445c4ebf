#!/usr/bin/env python3
"""Checks that a SARIF file is a valid SARIF 2.1.0 log of the kind GitHub code scanning accepts.

    python3 tests/sarif/check_sarif.py FILE...     exit 0 valid, 1 invalid (reasons on stderr)

There is no network here to fetch the official JSON schema, so this encodes, for the objects a
SARIF producer like kiln writes, the constraints of the SARIF 2.1.0 schema that matter: the
property names each object allows (the schema closes every object with additionalProperties:
false, except property bags), required properties and "one of these is required" groups, the
types, the enumerations (level, kind, columnKind), the minimums (1-based lines and columns,
indexes >= -1), unique ids and items where the schema asks for them; plus the rules of the
specification and of GitHub's ingestion that a schema cannot say: $schema present, at least one
run, ruleIndex pointing at the rule named by ruleId, message.text present, at most 10 locations,
artifact URIs relative to the repository (no scheme, no leading slash, no "..") and a uriBaseId
that the run declares. Objects kiln never writes (graphs, code flows, fixes...) are only
type-checked as objects.
"""
import json
import re
import sys

LEVELS = {"none", "note", "warning", "error"}
KINDS = {"notApplicable", "pass", "fail", "review", "open", "informational"}
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append("%s: %s" % (where or "$", msg))

    # ---- primitives ----
    def is_int(self, v):
        return isinstance(v, int) and not isinstance(v, bool)

    def string(self, where, v):
        if not isinstance(v, str):
            self.err(where, "string expected")
            return False
        return True

    def integer(self, where, v, minimum=None):
        if not self.is_int(v):
            self.err(where, "integer expected")
        elif minimum is not None and v < minimum:
            self.err(where, "must be >= %d" % minimum)

    def enum(self, where, v, values):
        if v not in values:
            self.err(where, "must be one of %s" % ", ".join(sorted(values)))

    def uri(self, where, v, absolute):
        if not self.string(where, v):
            return
        if absolute and not SCHEME.match(v):
            self.err(where, "absolute URI expected")
        if re.search(r"[\s\"<>\\^`{|}]", v):
            self.err(where, "characters a URI cannot hold unescaped")

    def obj(self, where, v, allowed, required=(), any_of=()):
        """An object with only `allowed` keys; required keys; one group of any_of present."""
        if not isinstance(v, dict):
            self.err(where, "object expected")
            return False
        for k in v:
            if k not in allowed:
                self.err(where, "property %r is not allowed here" % k)
        for k in required:
            if k not in v:
                self.err(where, "required property %r missing" % k)
        if any_of and not any(all(k in v for k in group) for group in any_of):
            self.err(where, "needs one of %s" % " or ".join("/".join(g) for g in any_of))
        return True

    def array(self, where, v, item, unique=False, min_items=0):
        if not isinstance(v, list):
            self.err(where, "array expected")
            return
        if len(v) < min_items:
            self.err(where, "at least %d item(s) expected" % min_items)
        if unique:
            seen = set()
            for i, x in enumerate(v):
                key = json.dumps(x, sort_keys=True)
                if key in seen:
                    self.err("%s[%d]" % (where, i), "duplicate item (items must be unique)")
                seen.add(key)
        for i, x in enumerate(v):
            item("%s[%d]" % (where, i), x)

    def any_object(self, where, v):
        if not isinstance(v, dict):
            self.err(where, "object expected")

    def bag(self, where, v):
        if not isinstance(v, dict):
            self.err(where, "object expected (property bag)")
            return
        if "tags" in v:
            self.array(where + ".tags", v["tags"], self.string, unique=True)

    # ---- SARIF objects ----
    def log(self, v):
        if not self.obj("", v, {"$schema", "version", "runs", "inlineExternalProperties",
                                "properties"}, required=("version", "runs")):
            return
        if "$schema" not in v:
            self.err("", "GitHub requires $schema")
        else:
            self.uri("$schema", v["$schema"], absolute=True)
        if v.get("version") != "2.1.0":
            self.err("version", 'must be "2.1.0"')
        runs = v.get("runs")
        if runs is not None:
            self.array("runs", runs, self.run, min_items=1)
        if "properties" in v:
            self.bag("properties", v["properties"])

    def run(self, where, v):
        allowed = {"tool", "invocations", "conversion", "language", "versionControlProvenance",
                   "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
                   "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
                   "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
                   "externalPropertyFileReferences", "threadFlowLocations", "taxonomies",
                   "addresses", "translations", "policies", "webRequests", "webResponses",
                   "specialLocations", "properties"}
        if not self.obj(where, v, allowed, required=("tool",)):
            return
        self.rules = []
        self.base_ids = None
        self.tool(where + ".tool", v.get("tool"))
        if "originalUriBaseIds" in v:
            bases = v["originalUriBaseIds"]
            if isinstance(bases, dict):
                self.base_ids = set(bases)
                for k, loc in bases.items():
                    self.artifact_location("%s.originalUriBaseIds[%r]" % (where, k), loc, True)
            else:
                self.err(where + ".originalUriBaseIds", "object expected")
        if "columnKind" in v:
            self.enum(where + ".columnKind", v["columnKind"],
                      {"utf16CodeUnits", "unicodeCodePoints"})
        if "results" not in v:
            self.err(where, "GitHub requires results (an empty array when nothing was found)")
        else:
            self.array(where + ".results", v["results"], self.result)
        if "logicalLocations" in v:
            self.array(where + ".logicalLocations", v["logicalLocations"], self.logical,
                       unique=True)
        if "properties" in v:
            self.bag(where + ".properties", v["properties"])
        for k in ("invocations", "artifacts", "graphs", "taxonomies", "translations",
                  "policies"):
            if k in v:
                self.array("%s.%s" % (where, k), v[k], self.any_object)

    def tool(self, where, v):
        if not self.obj(where, v, {"driver", "extensions", "properties"}, required=("driver",)):
            return
        if "driver" in v:
            self.component(where + ".driver", v["driver"], driver=True)
        if "extensions" in v:
            self.array(where + ".extensions", v["extensions"], self.component, unique=True)

    def component(self, where, v, driver=False):
        allowed = {"guid", "name", "organization", "product", "productSuite", "shortDescription",
                   "fullDescription", "fullName", "version", "semanticVersion",
                   "dottedQuadFileVersion", "releaseDateUtc", "downloadUri", "informationUri",
                   "globalMessageStrings", "notifications", "rules", "taxa", "locations",
                   "language", "contents", "isComprehensive", "localizedDataSemanticVersion",
                   "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
                   "translationMetadata", "supportedTaxonomies", "properties"}
        if not self.obj(where, v, allowed, required=("name",)):
            return
        if "name" in v and self.string(where + ".name", v["name"]) and not v["name"]:
            self.err(where + ".name", "GitHub does not take an empty name")
        for k in ("version", "semanticVersion", "organization", "fullName"):
            if k in v:
                self.string("%s.%s" % (where, k), v[k])
        for k in ("informationUri", "downloadUri"):
            if k in v:
                self.uri("%s.%s" % (where, k), v[k], absolute=True)
        for k in ("shortDescription", "fullDescription"):
            if k in v:
                self.mfmessage("%s.%s" % (where, k), v[k])
        if "rules" in v:
            self.array(where + ".rules", v["rules"], self.descriptor, unique=True)
            if driver and isinstance(v["rules"], list):
                self.rules = [r.get("id") if isinstance(r, dict) else None for r in v["rules"]]
                ids = [i for i in self.rules if i is not None]
                if len(ids) != len(set(ids)):
                    self.err(where + ".rules", "rule ids must be unique")
        elif driver:
            self.err(where, "GitHub requires rules (an empty array when there are none)")
        if "properties" in v:
            self.bag(where + ".properties", v["properties"])

    def descriptor(self, where, v):
        allowed = {"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames",
                   "shortDescription", "fullDescription", "messageStrings",
                   "defaultConfiguration", "helpUri", "help", "relationships", "properties"}
        if not self.obj(where, v, allowed, required=("id",)):
            return
        if "id" in v and self.string(where + ".id", v["id"]) and not v["id"]:
            self.err(where + ".id", "GitHub does not take an empty id")
        if "name" in v and self.string(where + ".name", v["name"]) and len(v["name"]) > 255:
            self.err(where + ".name", "GitHub takes at most 255 characters")
        for k in ("shortDescription", "fullDescription", "help"):
            if k in v:
                self.mfmessage("%s.%s" % (where, k), v[k])
                text = v[k].get("text") if isinstance(v[k], dict) else None
                if k != "help" and isinstance(text, str) and len(text) > 1024:
                    self.err("%s.%s.text" % (where, k), "GitHub takes at most 1024 characters")
        if "helpUri" in v:
            self.uri(where + ".helpUri", v["helpUri"], absolute=True)
        if "defaultConfiguration" in v:
            c = v["defaultConfiguration"]
            w = where + ".defaultConfiguration"
            if self.obj(w, c, {"enabled", "level", "rank", "parameters", "properties"}):
                if "level" in c:
                    self.enum(w + ".level", c["level"], LEVELS)
                if "enabled" in c and not isinstance(c["enabled"], bool):
                    self.err(w + ".enabled", "boolean expected")
                if "rank" in c and (not isinstance(c["rank"], (int, float))
                                    or isinstance(c["rank"], bool)
                                    or not -1 <= c["rank"] <= 100):
                    self.err(w + ".rank", "number in [-1, 100] expected")
        if "properties" in v:
            self.bag(where + ".properties", v["properties"])

    def mfmessage(self, where, v):
        if self.obj(where, v, {"text", "markdown", "properties"}, required=("text",)):
            for k in ("text", "markdown"):
                if k in v:
                    self.string("%s.%s" % (where, k), v[k])

    def message(self, where, v):
        if self.obj(where, v, {"text", "markdown", "id", "arguments", "properties"},
                    any_of=(("text",), ("id",))):
            for k in ("text", "markdown", "id"):
                if k in v:
                    self.string("%s.%s" % (where, k), v[k])
            if "arguments" in v:
                self.array(where + ".arguments", v["arguments"], self.string)

    def result(self, where, v):
        allowed = {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget",
                   "locations", "guid", "correlationGuid", "occurrenceCount",
                   "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs",
                   "graphTraversals", "relatedLocations", "suppressions", "baselineState",
                   "rank", "attachments", "hostedViewerUri", "workItemUris", "provenance",
                   "fixes", "taxa", "webRequest", "webResponse", "properties"}
        if not self.obj(where, v, allowed, required=("message",)):
            return
        self.message(where + ".message", v.get("message"))
        if isinstance(v.get("message"), dict) and "text" not in v["message"]:
            self.err(where + ".message", "GitHub requires message.text")
        if "ruleId" in v:
            self.string(where + ".ruleId", v["ruleId"])
        if "ruleIndex" in v:
            self.integer(where + ".ruleIndex", v["ruleIndex"], minimum=-1)
            i = v["ruleIndex"]
            if self.is_int(i) and i >= 0:
                if i >= len(self.rules):
                    self.err(where + ".ruleIndex", "no rule %d in tool.driver.rules" % i)
                elif "ruleId" in v and self.rules[i] != v["ruleId"]:
                    self.err(where + ".ruleIndex", "rule %d is %r, not the ruleId %r"
                             % (i, self.rules[i], v["ruleId"]))
        if "level" in v:
            self.enum(where + ".level", v["level"], LEVELS)
        if "kind" in v:
            self.enum(where + ".kind", v["kind"], KINDS)
            if v.get("level", "warning") != "none" and v["kind"] != "fail":
                self.err(where + ".level", 'a result whose kind is not "fail" has level "none"')
        if "locations" in v:
            self.array(where + ".locations", v["locations"], self.location)
            if isinstance(v["locations"], list) and len(v["locations"]) > 10:
                self.err(where + ".locations", "GitHub takes at most 10 locations")
        if "relatedLocations" in v:
            self.array(where + ".relatedLocations", v["relatedLocations"], self.location,
                       unique=True)
        for k in ("partialFingerprints", "fingerprints"):
            if k in v:
                fp = v[k]
                if not isinstance(fp, dict):
                    self.err("%s.%s" % (where, k), "object expected")
                else:
                    for name, val in fp.items():
                        self.string("%s.%s[%r]" % (where, k, name), val)
        if "occurrenceCount" in v:
            self.integer(where + ".occurrenceCount", v["occurrenceCount"], minimum=1)
        if "properties" in v:
            self.bag(where + ".properties", v["properties"])

    def location(self, where, v):
        allowed = {"id", "physicalLocation", "logicalLocations", "message", "annotations",
                   "relationships", "properties"}
        if not self.obj(where, v, allowed):
            return
        if "id" in v:
            self.integer(where + ".id", v["id"], minimum=-1)
        if "physicalLocation" in v:
            self.physical(where + ".physicalLocation", v["physicalLocation"])
        if "logicalLocations" in v:
            self.array(where + ".logicalLocations", v["logicalLocations"], self.logical,
                       unique=True)
        if "message" in v:
            self.message(where + ".message", v["message"])
        if "properties" in v:
            self.bag(where + ".properties", v["properties"])

    def physical(self, where, v):
        if not self.obj(where, v, {"address", "artifactLocation", "region", "contextRegion",
                                   "properties"}, any_of=(("address",), ("artifactLocation",))):
            return
        if "artifactLocation" in v:
            self.artifact_location(where + ".artifactLocation", v["artifactLocation"], False)
        for k in ("region", "contextRegion"):
            if k in v:
                self.region("%s.%s" % (where, k), v[k])

    def artifact_location(self, where, v, is_base):
        if not self.obj(where, v, {"uri", "uriBaseId", "index", "description", "properties"}):
            return
        if "uri" in v:
            self.uri(where + ".uri", v["uri"], absolute=False)
            u = v["uri"]
            if not is_base and isinstance(u, str):
                if SCHEME.match(u) or u.startswith("/"):
                    self.err(where + ".uri", "GitHub wants a path relative to the repository")
                if u == ".." or u.startswith("../") or "/../" in u:
                    self.err(where + ".uri", "a repository-relative path has no ..")
        elif not is_base:
            self.err(where, "GitHub requires artifactLocation.uri")
        if "uriBaseId" in v and self.string(where + ".uriBaseId", v["uriBaseId"]):
            if not is_base and self.base_ids is not None and v["uriBaseId"] not in self.base_ids:
                self.err(where + ".uriBaseId", "%r is not in run.originalUriBaseIds"
                         % v["uriBaseId"])
        if "index" in v:
            self.integer(where + ".index", v["index"], minimum=-1)
        if "description" in v:
            self.message(where + ".description", v["description"])

    def region(self, where, v):
        allowed = {"startLine", "startColumn", "endLine", "endColumn", "charOffset",
                   "charLength", "byteOffset", "byteLength", "snippet", "message",
                   "sourceLanguage", "properties"}
        if not self.obj(where, v, allowed,
                        any_of=(("startLine",), ("charOffset",), ("byteOffset",))):
            return
        for k in ("startLine", "startColumn", "endLine", "endColumn"):
            if k in v:
                self.integer("%s.%s" % (where, k), v[k], minimum=1)
        for k in ("charOffset", "byteOffset"):
            if k in v:
                self.integer("%s.%s" % (where, k), v[k], minimum=-1)
        for k in ("charLength", "byteLength"):
            if k in v:
                self.integer("%s.%s" % (where, k), v[k], minimum=0)
        if self.is_int(v.get("startLine")) and self.is_int(v.get("endLine")) \
                and v["endLine"] < v["startLine"]:
            self.err(where + ".endLine", "before startLine")
        if "message" in v:
            self.message(where + ".message", v["message"])

    def logical(self, where, v):
        allowed = {"name", "index", "fullyQualifiedName", "decoratedName", "parentIndex", "kind",
                   "properties"}
        if not self.obj(where, v, allowed):
            return
        for k in ("name", "fullyQualifiedName", "decoratedName", "kind"):
            if k in v:
                self.string("%s.%s" % (where, k), v[k])
        for k in ("index", "parentIndex"):
            if k in v:
                self.integer("%s.%s" % (where, k), v[k], minimum=-1)


def check_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        return ["%s: not JSON: %s" % (path, e)]
    c = Checker()
    c.rules = []
    c.base_ids = None
    c.log(data)
    return ["%s: %s" % (path, e) for e in c.errors]


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: check_sarif.py FILE...\n")
        return 2
    errors = []
    for path in argv[1:]:
        errors += check_file(path)
    for e in errors:
        sys.stderr.write(e + "\n")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
