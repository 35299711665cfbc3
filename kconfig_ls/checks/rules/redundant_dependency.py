"""KLS209 redundant-dependency: a `depends on` that the entry's other dependencies already imply.

kconfirm's duplicate-dependency check, by logic instead of text: each
conjunct of a `depends on` line is compared with the definition's other
dependencies, including the inherited `if`/`menu`/`choice` conditions
(`if NET` ... `depends on NET`; `depends on A && B` next to `depends on
A`; `depends on A` after `depends on A && B`). Implication is
propositional with each operand's tristate meaning, at both the m and
the y level, so a dependency that limits a tristate to m is never called
redundant; the Kconfig model's own implications (X86_64 depends on X86)
are not used, since such pairs are often written on purpose. A line
read in several worlds or inclusions is reported only if it is redundant
in each.

What to do: remove the repeated dependency (the quick fix removes the
line, or only the operand with its `&&`). Preview: off unless
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
        if item.kind == "dependency":
            text = context.model.text(item.location.path)
            yield RULE.finding(
                item.message, item.location, symbol=item.symbol, fixes=redundancy_fixes(text, item)
            )


RULE = Rule(
    code="KLS209",
    name="redundant-dependency",
    summary="dependency implied by the entry's other dependencies",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="solver",
    group="preview",
)
