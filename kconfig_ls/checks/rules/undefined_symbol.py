"""KLS002 undefined-symbol: a Kconfig expression names a symbol nobody defines.

An undefined symbol in Kconfig is silently `n`: `depends on FOO` with no
`config FOO` anywhere hides the entry forever, and `select FOO` selects
nothing. This usually means a rename that missed a user, or a typo. The
message suggests the closest defined name.

Every Kconfig file of the workspace counts as a definition site, including
other architectures' files that the configured root does not reach, so an
ARM-only symbol used in an ARM-only file is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.checks.names import NameSuggester, name_location


def check(context: CheckContext) -> Iterator[Finding]:
    workspace = context.model
    suggester: NameSuggester | None = None
    for name, references in workspace.references.items():
        if name in workspace.definitions:
            continue
        if suggester is None:
            suggester = NameSuggester(workspace.definitions)
        suggestion = suggester.suggest(name)
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        for reference in references:
            yield RULE.finding(
                f"undefined symbol {name} in '{reference.kind}'{hint}",
                name_location(workspace, reference.location, name),
            )


RULE = Rule(
    code="KLS002",
    name="undefined-symbol",
    summary="a Kconfig expression, select or imply names an undefined symbol",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
)
