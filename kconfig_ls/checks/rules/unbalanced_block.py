"""KLS005 unbalanced-block: an `if`, `menu` or `choice` without its end, or a stray end.

The C tools stop at the first such error. kconfig-ls reports it and keeps
the structure it can: a missing `endif` closes the block at the end of the
file, an `endmenu` that skips an open `if` closes both (reporting the `if`),
and an end keyword with nothing to close is ignored.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.semantics.model import Location


def check(context: CheckContext) -> Iterator[Finding]:
    for path, parsed in context.model.files.items():
        for problem in parsed.problems:
            if problem.kind == "block":
                yield RULE.finding(problem.message, Location(path, problem.span))


RULE = Rule(
    code="KLS005",
    name="unbalanced-block",
    summary="if/menu/choice blocks that are not closed, or ends without a block",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    tier="file",
    scope="kconfig",
)
