#!/usr/bin/env python3
"""Turns SPRIG-CASES.md into golden charts run by both kiln and the real helm.

usage: gen-sprig.py HELM

Writes tests/golden/template/sprig-<section>/ for every section of SPRIG-CASES.md: a chart whose
templates/_cases.tpl defines one template per case (the snippet as written) and whose ConfigMap
prints each as `cNNN: {{ include "cNNN" . | quote }}`, so any output stays one YAML string.
Time-dependent cases (`now`, random functions) are left out. Cases that make helm fail are left
out of the chart and listed in sprig-<section>/ERRORS with helm's message. expected.out is what
HELM prints (TZ=UTC); cmd runs kiln the same way.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NONDET = re.compile(r"\b(now|rand\w*|uuidv4|genCA|genPrivateKey|genSelfSignedCert|genSignedCert|"
                    r"derivePassword|encryptAES|htpasswd|bcrypt|shuffle|getHostByName)\b")


def sections():
    sec, out = None, {}
    in_code = False
    for line in open(os.path.join(HERE, "SPRIG-CASES.md"), encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("## "):
            sec = re.sub(r"[^a-z]+", "-", line[3:].split("(")[0].strip().lower()).strip("-")
            continue
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code and sec and " => " in line:
            tpl = line.split(" => ", 1)[0]
            if NONDET.search(tpl):
                continue
            out.setdefault(sec, []).append(tpl)
    return out


def chart(dirname, cases):
    ch = os.path.join(dirname, "in", "sprig")
    if os.path.exists(dirname):
        shutil.rmtree(dirname)
    os.makedirs(os.path.join(ch, "templates"))
    with open(os.path.join(ch, "Chart.yaml"), "w") as fh:
        fh.write("apiVersion: v2\nname: sprig\nversion: 0.1.0\n")
    with open(os.path.join(ch, "templates", "_cases.tpl"), "w") as fh:
        for i, t in cases:
            fh.write('{{ define "c%03d" }}%s{{ end }}\n' % (i, t))
    with open(os.path.join(ch, "templates", "cases.yaml"), "w") as fh:
        fh.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sprig\ndata:\n")
        for i, _ in cases:
            fh.write('  c%03d: {{ include "c%03d" . | quote }}\n' % (i, i))
    return ch


def helm(helm_bin, ch):
    env = dict(os.environ, TZ="UTC")
    p = subprocess.run([helm_bin, "template", "t", ch], capture_output=True, env=env)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def main():
    helm_bin = sys.argv[1]
    n = 0
    for sec, tpls in sections().items():
        d = os.path.join(HERE, "sprig-" + sec)
        cases = []
        for t in tpls:
            n += 1
            cases.append((n, t))
        errors = []
        while True:
            ch = chart(d, cases)
            rc, out, err = helm(helm_bin, ch)
            if rc == 0:
                break
            m = re.search(r'"c(\d{3})"', err) or re.search(r"c(\d{3})", err)
            if not m:
                sys.exit("helm failed without naming a case: " + err)
            bad = int(m.group(1))
            errors.append("c%03d %s\n    %s" % (bad, dict(cases)[bad], err.strip().replace("\n", " ")))
            cases = [c for c in cases if c[0] != bad]
        with open(os.path.join(d, "expected.out"), "w") as fh:
            fh.write(out)
        with open(os.path.join(d, "cmd"), "w") as fh:
            fh.write("template t in/sprig\n")
        if errors:
            with open(os.path.join(d, "ERRORS"), "w") as fh:
                fh.write("Cases helm refuses (left out of the chart):\n" + "\n".join(errors) + "\n")
        print("%s: %d cases, %d left out (helm errors)" % (sec, len(cases), len(errors)))


if __name__ == "__main__":
    main()
