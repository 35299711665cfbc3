"""KLS212 dead-range: a `range` that can never apply.

Ranges are tried in order and the first whose condition holds wins
(as defaults). A range is dead when an earlier range of the entry always
applies whenever it would (`range 1 8` followed by `range 1 16 if
BIG`), or when its condition can never hold with the entry's
dependencies, inherited `if`/`menu` conditions included. kconfirm's
duplicate-range check, by logic instead of text. Dead defaults are
KLS205's.

What to do: remove the dead range (the quick fix), or put the more
specific one first.
Preview: off unless selected or configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.checks.kconfig_fixes import redundancy_fixes


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.redundancy import redundancy_analysis_for

    for item in redundancy_analysis_for(context.model, context.cache_directory).findings:
        if item.kind == "dead-range":
            text = context.model.text(item.location.path)
            yield RULE.finding(
                item.message, item.location, symbol=item.symbol, fixes=redundancy_fixes(text, item)
            )


RULE = Rule(
    code="KLS212",
    name="dead-range",
    summary="range that can never apply",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="solver",
    group="preview",
)
