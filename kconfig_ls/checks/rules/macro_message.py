"""KLS007 macro-message: what `$(info)`, `$(warning-if)` and `$(error-if)` say.

The C tools print these while they read and stop at `$(error-if,y,...)`.
kconfig-ls never prints (stdout belongs to the protocol) and never stops:
each message becomes a finding at the line that produced it, graded
information, warning or error. Conditions that need a command to evaluate
(`$(error-if,$(success,...),...)`) are unknown in an untrusted workspace and
produce nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity


def check(context: CheckContext) -> Iterator[Finding]:
    for problems in context.model.file_problems.values():
        for problem in problems:
            if problem.kind == "macro":
                yield RULE.finding(
                    problem.message, problem.location, severity=Severity.parse(problem.severity)
                )


RULE = Rule(
    code="KLS007",
    name="macro-message",
    summary="messages from $(info), $(warning-if) and $(error-if)",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="file",
    scope="kconfig",
)
