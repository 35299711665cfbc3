"""KLS211 constant-condition: the `if` of a `select`, `imply`, `default` or `range` that is constant there.

`select X if C` (or `imply`, `default V if C`, `range A B if C`) where C
always holds given the entry's dependencies, inherited `if`/`menu`
conditions included: the condition is noise (`if NET` ... `select
CRC32 if NET`). Or, for `select`/`imply`, where C can never hold
together with the dependencies: the line does nothing (a default that
never applies is KLS205 dead-default's finding). Compared by
propositional logic with the tristate meaning of each operand (both
levels; `range` conditions count when not n), not by text.

What to do: drop the condition, or the line (the quick fixes: an `if`
that always holds is removed; a line whose `if` never holds is
removed, as it has no effect). Preview: off unless
selected or configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.checks.kconfig_fixes import redundancy_fixes


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.redundancy import redundancy_analysis_for

    for item in redundancy_analysis_for(context.model, context.cache_directory).findings:
        if item.kind == "constant":
            text = context.model.text(item.location.path)
            yield RULE.finding(
                item.message, item.location, symbol=item.symbol, fixes=redundancy_fixes(text, item)
            )


RULE = Rule(
    code="KLS211",
    name="constant-condition",
    summary="condition of a select, imply, default or range that always (or never) holds",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="solver",
    group="preview",
)
