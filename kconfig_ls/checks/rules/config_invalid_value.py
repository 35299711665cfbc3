"""KLS302 config-invalid-value: a value of the wrong form for the symbol's type, or outside its range.

The tools read a bool or tristate value from its first character only
(`CONFIG_X=yes` is `y`, `CONFIG_X=m` on a bool is dropped), need a quoted
string for a string symbol, a decimal number for an int and a hexadecimal
one for a hex; anything else is ignored and the default applies. An int or
hex value outside the symbol's active `range` is ignored too (kconfiglib and
`conf` fall back on the default). `# CONFIG_X is not set` means nothing for
an int, hex or string symbol. Each case is reported with what the tools do
instead; a value read from its first character gets a fix that writes it
plainly.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.configuration_files import assignment_location, config_line, replace_line_fix
from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity


def check(context: CheckContext) -> Iterator[Finding]:
    configuration = context.configuration
    if configuration is None:
        return
    table = configuration.table
    for assignment in configuration.assignments:
        symbol = table.get(assignment.symbol)
        if symbol is None:
            continue
        name = assignment.symbol
        location = assignment_location(assignment)
        type_name = symbol.type or "typeless"
        if not assignment.accepted:
            if assignment.is_not_set:
                message = f"'# CONFIG_{name} is not set' has no effect on the {type_name} symbol {name}"
            else:
                message = (
                    f"CONFIG_{name}={assignment.written} is {assignment.problem} for the {type_name} "
                    f"symbol {name}; the tools ignore the line"
                )
            yield RULE.finding(message, location)
            continue
        if symbol.type in ("bool", "tristate") and not assignment.is_not_set and len(assignment.written) > 1:
            yield RULE.finding(
                f"CONFIG_{name}={assignment.written} is read as {assignment.value}; write "
                f"CONFIG_{name}={assignment.value}",
                location,
                fixes=[
                    replace_line_fix(
                        configuration,
                        assignment,
                        f"write {assignment.value}",
                        config_line(name, assignment.value, symbol.type),
                    )
                ],
            )
            continue
        if (
            symbol.type in ("int", "hex")
            and configuration.user_values.get(name) is assignment
            and configuration.decision(name).kind == "range"
        ):
            bounds = _active_range(configuration, name)
            shown = f" {bounds[0]}..{bounds[1]}" if bounds else ""
            yield RULE.finding(
                f"CONFIG_{name}={assignment.written} is outside the range{shown} of {name}; "
                f"the tools use {configuration.value(name)} instead",
                location,
            )


def _active_range(configuration: object, name: str) -> tuple[str, str] | None:
    from kconfig_ls.logic.configuration import Configuration

    assert isinstance(configuration, Configuration)
    symbol = configuration.table.get(name)
    if symbol is None:
        return None
    for range_ in symbol.ranges:
        if configuration.condition(range_.condition):
            low = configuration.string_of(range_.low)
            high = configuration.string_of(range_.high)
            if low is not None and high is not None:
                return low, high
    return None


RULE = Rule(
    code="KLS302",
    name="config-invalid-value",
    summary="a configuration value of the wrong form for the symbol's type, or outside its range",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
)
