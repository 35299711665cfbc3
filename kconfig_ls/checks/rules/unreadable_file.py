"""KLS008 unreadable-file: a Kconfig file that is binary, too large or unreadable.

Such a file is not analysed (it contributes no symbols), and the rest of
the tree is. Limits: 4 MB per Kconfig file; a NUL byte in the first 8 KB
marks a file as binary. Files that are not valid UTF-8 are analysed with
the bad bytes ignored, and reported as a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.semantics.model import Location


def check(context: CheckContext) -> Iterator[Finding]:
    workspace = context.model
    for problems in workspace.file_problems.values():
        for problem in problems:
            if problem.kind == "file":
                yield RULE.finding(
                    problem.message, problem.location, severity=Severity.parse(problem.severity)
                )
    for path, parsed in workspace.files.items():
        for syntax_problem in parsed.problems:
            if syntax_problem.kind == "encoding":
                yield RULE.finding(
                    syntax_problem.message, Location(path, syntax_problem.span), severity=Severity.WARNING
                )


RULE = Rule(
    code="KLS008",
    name="unreadable-file",
    summary="binary, oversized, unreadable or non-UTF-8 Kconfig files",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    tier="file",
    scope="kconfig",
)
