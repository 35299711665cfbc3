"""KLS205 dead-default: a `default` that can never decide the symbol's value.

Defaults are tried in order and the first whose condition holds wins. A
default is dead when, in every configuration of every world, an earlier
default already applies whenever its own condition holds (`default y`
followed by `default n if FOO`; `default A if X` after `default B if X
|| Y`), or when its condition can never hold. Compared by logic, with the
inherited `if`/`menu` dependencies of each definition, not by text: a
superset of the textual "default after an unconditional default" check.

What to do: remove the dead default, or reorder the defaults so that the
more specific condition comes first. Preview: off unless selected or
configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.checks.rules.dead_symbol import consequences_dropped


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.world_analysis import liveness_analysis_for

    dead = liveness_analysis_for(context.model, context.cache_directory).dead
    for item in consequences_dropped(context.model, dead):
        if item.kind == "default":
            yield RULE.finding(item.reason, item.location)


RULE = Rule(
    code="KLS205",
    name="dead-default",
    summary="default that can never decide the value",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    group="preview",
    tier="solver",
)
