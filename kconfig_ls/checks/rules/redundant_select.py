"""KLS210 redundant-select: a `select` or `imply` that another line of the same entry already covers.

kconfirm's duplicate-select check, by logic: `select T if A` is redundant
when another `select T` of the entry applies whenever it does (`select T`
twice; `select T if A && B` next to `select T if A`), compared with the
entry's dependencies (inherited `if`/`menu` conditions included) at both
tristate levels. An `imply T` is redundant next to a `select T` (or
another `imply T`) that covers it: the select already forces T.

What to do: remove the redundant line (the quick fix). Preview: off unless selected or
configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.checks.kconfig_fixes import redundancy_fixes


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.redundancy import redundancy_analysis_for

    for item in redundancy_analysis_for(context.model, context.cache_directory).findings:
        if item.kind == "select":
            text = context.model.text(item.location.path)
            yield RULE.finding(
                item.message, item.location, symbol=item.symbol, fixes=redundancy_fixes(text, item)
            )


RULE = Rule(
    code="KLS210",
    name="redundant-select",
    summary="select or imply that another line of the entry already covers",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="solver",
    group="preview",
)
