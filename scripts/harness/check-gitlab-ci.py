#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check a Xen tree's GitLab CI files (automation/gitlab-ci/*.yaml).

    check-gitlab-ci.py TREE BASE

Each file must parse (PyYAML, Debian's python3-yaml, with GitLab's
!reference tag), and every job name the files refer to must exist: in
"extends:", "needs:", "dependencies:" and "!reference [name, ...]", a name
must be a job or template of TREE's files; a "needs:" entry of another
project ("project:", "job:") must be one that BASE's files (the pristine
tree's) already use, since the jobs of that project are not in this tree.
A script the jobs run (./automation/scripts/...) must exist in TREE.
A job running qemu-pv-migrate-x86_64.sh must need a build job which
turns on CONFIG_PV32 and CONFIG_SHADOW_PAGING (EXTRA_XEN_CONFIG).
Prints one line per problem; exits 1 if there is any.
"""

import glob
import os
import re
import sys

import yaml


class Reference(list):
    """GitLab's !reference [job, key...]."""


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor(
    "!reference",
    lambda loader, node: Reference(loader.construct_sequence(node)))

# Top-level keys of a GitLab CI file which are not jobs.
GLOBAL_KEYS = {"default", "include", "stages", "variables", "workflow"}


def load(tree):
    """The jobs (and templates) of TREE's CI files, by name."""
    jobs = {}
    for path in sorted(glob.glob(os.path.join(tree, "automation/gitlab-ci/*.yaml"))):
        with open(path) as f:
            data = yaml.load(f, Loader=Loader) or {}
        for name, job in data.items():
            if name not in GLOBAL_KEYS:
                jobs[name] = (job, os.path.relpath(path, tree))
    if not jobs:
        sys.exit(f"{tree}: no automation/gitlab-ci/*.yaml")
    return jobs


def flat(items):
    """A list of "needs:" entries, with aliased lists inlined."""
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, list) and not isinstance(item, Reference):
            yield from flat(item)
        elif item is not None:
            yield item


def references(node):
    """Every !reference in NODE."""
    if isinstance(node, Reference):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def foreign_needs(jobs):
    """The (project, job) pairs of other projects that JOBS need."""
    pairs = set()
    for job, _ in jobs.values():
        if isinstance(job, dict):
            for need in flat(job.get("needs", [])):
                if isinstance(need, dict) and "project" in need:
                    pairs.add((need["project"], need.get("job")))
    return pairs


def variables(jobs, name, seen=()):
    """NAME's variables, with those of the templates it extends."""
    job, _ = jobs.get(name, ({}, None))
    merged = {}
    parents = job.get("extends", []) if isinstance(job, dict) else []
    for parent in [parents] if isinstance(parents, str) else parents:
        if parent not in seen:
            merged.update(variables(jobs, parent, seen + (name,)))
    if isinstance(job, dict):
        merged.update(job.get("variables") or {})
    return merged


def check(tree, base):
    jobs = load(tree)
    known_foreign = foreign_needs(load(base))
    problems = []

    def problem(where, what):
        problems.append(f"{jobs[where][1]}: {where}: {what}")

    for name, (job, _) in jobs.items():
        if not isinstance(job, dict):
            continue
        parents = job.get("extends", [])
        for parent in [parents] if isinstance(parents, str) else parents:
            if parent not in jobs:
                problem(name, f"extends {parent!r}, which is no job")
        for need in flat(job.get("needs", [])):
            if isinstance(need, str):
                need = {"job": need}
            if isinstance(need, Reference):
                continue
            if "project" in need:
                if (need["project"], need.get("job")) not in known_foreign:
                    problem(name, f"needs {need.get('job')!r} of "
                            f"{need['project']!r}, which no job of the "
                            "base needs")
            elif need.get("job") not in jobs:
                problem(name, f"needs {need.get('job')!r}, which is no job")
        for dep in job.get("dependencies", []) or []:
            if dep not in jobs:
                problem(name, f"depends on {dep!r}, which is no job")
        for ref in references(job):
            if not ref or ref[0] not in jobs:
                problem(name, f"!reference {list(ref)!r}: no such job")
        for line in flat(job.get("script", [])):
            for script in re.findall(r"\./(automation/\S+)", str(line)):
                if not os.path.exists(os.path.join(tree, script)):
                    problem(name, f"runs {script}, which the tree lacks")
            if "qemu-pv-migrate-x86_64.sh" in str(line):
                builds = [n for n in flat(job.get("needs", []))
                          if isinstance(n, str)]
                config = "".join(str(variables(jobs, b).get(
                    "EXTRA_XEN_CONFIG", "")) for b in builds)
                for option in ("CONFIG_PV32=y", "CONFIG_SHADOW_PAGING=y"):
                    if option not in config.split():
                        problem(name, f"runs {line!r} after no build "
                                f"with {option} (needs: {builds})")
    for line in problems:
        print(line)
    return not problems


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(0 if check(sys.argv[1], sys.argv[2]) else 1)
