"""KLS000 syntax-error: a Kconfig line the parser cannot read.

The parser is line-oriented, so a broken or half-typed line is reported
here and skipped: the entries before and after it are still analysed.
The message says what was expected, e.g. `expected an expression after
'depends on'` or `unknown statement 'sel'; did you mean 'select'?`.

Unbalanced `if`/`menu`/`choice` blocks have their own rule,
`unbalanced-block` (KLS005).
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.semantics.model import Location


def check(context: CheckContext) -> Iterator[Finding]:
    for path, parsed in context.model.files.items():
        for problem in parsed.problems:
            if problem.kind == "syntax":
                yield RULE.finding(
                    problem.message,
                    Location(path, problem.span),
                    severity=Severity.parse(problem.severity),
                )


RULE = Rule(
    code="KLS000",
    name="syntax-error",
    summary="a Kconfig line that cannot be parsed",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    tier="file",
    scope="kconfig",
)
