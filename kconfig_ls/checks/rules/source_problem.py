"""KLS004 source-problem: a `source` that cannot be followed.

Reported for: a sourced file that does not exist (`osource`/`orsource` are
optional and never reported), a glob that matches nothing, a path whose
macros cannot be expanded without running a command, a `source` cycle
(the whole cycle is named), a path outside the workspace (not followed, for
safety; add the directory to `extra_roots` to allow it) and nesting deeper
than 64 files.

Files that only other architectures reach are linked on their own; their
`source` lines that depend on architecture variables are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity


def check(context: CheckContext) -> Iterator[Finding]:
    workspace = context.model
    for path, problems in workspace.file_problems.items():
        inclusions = workspace.inclusions.get(path)
        reached = bool(inclusions) and inclusions[0].reached if inclusions else False
        for problem in problems:
            if problem.kind != "source":
                continue
            if not reached and "$(" in _source_text(workspace.text(path), problem.location.span):
                continue
            yield RULE.finding(problem.message, problem.location, severity=Severity.parse(problem.severity))


def _source_text(data: bytes, span: object) -> str:
    start = getattr(span, "start", 0)
    end = getattr(span, "end", 0)
    return data[start:end].decode("utf-8", "replace")


RULE = Rule(
    code="KLS004",
    name="source-problem",
    summary="a source statement whose file is missing, outside the workspace or part of a cycle",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    tier="file",
    scope="kconfig",
)
