"""KLS204 dead-prompt: a prompt that can never be shown, although its symbol is alive.

The prompt's condition (its `if`, the enclosing `visible if`s and its
definition's dependencies) never holds in any world of the tree, so the
user can never set the symbol through it; the symbol takes its defaults
(or its selects) everywhere. Often a leftover: `bool "Foo" if n`, or a
prompt under a `visible if` that contradicts the definition's dependencies.

What to do: drop the prompt (make the symbol `def_bool`), or fix its
condition. Preview: off unless selected or configured.
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
        if item.kind == "prompt":
            yield RULE.finding(item.reason, item.location)


RULE = Rule(
    code="KLS204",
    name="dead-prompt",
    summary="prompt that can never be shown",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    group="preview",
    tier="solver",
)
