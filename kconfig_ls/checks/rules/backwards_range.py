"""KLS213 backwards-range: a `range` whose low bound is above its high bound.

`range 10 5` admits no value: the C tools clamp every value to one of
the bounds, whatever the user sets. Bounds are numbers (decimal for
`int`, hexadecimal for `hex`) or constant symbols: an `int`/`hex` symbol
without a prompt whose first default is an unconditional number
(`range FOO_MIN 5`). kconfirm reports the literal case.

What to do: swap the bounds (the quick fix). Preview: off unless selected or
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
        if item.kind == "backwards-range":
            text = context.model.text(item.location.path)
            yield RULE.finding(
                item.message, item.location, symbol=item.symbol, fixes=redundancy_fixes(text, item)
            )


RULE = Rule(
    code="KLS213",
    name="backwards-range",
    summary="range whose low bound is above its high bound",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    tier="solver",
    group="preview",
)
