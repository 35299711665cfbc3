"""KLS203 dead-symbol: a bool or tristate symbol that can never be enabled, on any architecture.

Its dependencies (with the inherited `if`/`menu` conditions, and the
defaults of the prompt-less symbols they mention) never hold in any world
of the tree, and nothing selects it where that would count: the code it
guards is never compiled. A SAT solver decides it over every architecture
at once; only the root causes are reported (a symbol under `depends on
BROKEN` is dead because BROKEN is; the finding on BROKEN counts them).

Symbols whose dependencies involve a compiler probe (`$(cc-option,...)`)
are never reported: the probe is unknown, not guessed.

What to do: remove the symbol and the code it guards, or fix the
dependency that never holds. Preview: off unless selected or configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.logic.world_analysis import liveness_analysis_for


def check(context: CheckContext) -> Iterator[Finding]:
    for item in liveness_analysis_for(context.model, context.cache_directory).dead:
        if item.kind == "symbol":
            yield RULE.finding(
                f"{item.symbol} can never be enabled on any architecture: {item.reason}", item.location
            )


RULE = Rule(
    code="KLS203",
    name="dead-symbol",
    summary="symbol that can never be enabled on any architecture",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    group="preview",
    tier="solver",
)
