"""KLS305 config-redundant-default: a defconfig line that only repeats what the symbol would be anyway.

`make savedefconfig` writes a symbol only when the user can change it and
its value differs from its default; a defconfig that holds more lines than
that is harder to review, and its redundant lines hide real changes when
defaults move. A line is redundant when, with everything else as
configured: its value is the symbol's default (`CONFIG_X=y` for
`default y`), a `select` forces the value anyway, or it picks the member a
choice would pick by itself. This is kconfiglib's `write_min_config` rule,
checked on Linux defconfigs against kconfiglib itself. A line that
overrides an earlier assignment (a fragment changing its base file) is not
redundant: without it the earlier value would come back. The quick fix
deletes the line. Full `.config` files (written by the tools, every symbol
listed) are not checked; a line whose value does not stick is KLS303's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kconfig_ls.checks.configuration_files import assignment_location, is_full_config, replace_line_fix
from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity

if TYPE_CHECKING:
    from kconfig_ls.logic.configuration import UserAssignment


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.defaults import why_not_needed
    from kconfig_ls.logic.explain import default_reason

    configuration = context.configuration
    if configuration is None:
        return
    full: dict[str, bool] = {}
    root = context.model.settings.root
    for name, assignment in configuration.user_values.items():
        symbol = configuration.table.get(name)
        if symbol is None or not symbol.prompts or configuration.value(name) != assignment.value:
            continue
        if assignment.path not in full:
            full[assignment.path] = is_full_config(configuration, assignment.path)
        if full[assignment.path]:
            continue
        if _overrides_an_earlier_line(configuration.assignments, assignment):
            # Removing this line would bring the earlier value back (a fragment
            # overriding its base file): it is not redundant.
            continue
        reason = why_not_needed(configuration, name)
        if reason is None:
            continue
        if reason == "select" and not configuration.visibility(name):
            because = "its prompt is hidden, so the value cannot be set here"
        elif reason == "select":
            selectors = ", ".join(
                sorted({r.selector for r in symbol.selected_by if configuration.tristate(r.selector)})[:3]
            )
            because = f"it is forced to {assignment.value} by select from {selectors}"
        elif reason == "choice":
            because = "its choice selects it by default"
        else:
            default = default_reason(configuration, name, root=root)
            impliers = sorted({r.selector for r in symbol.implied_by if configuration.tristate(r.selector)})
            if default is not None:
                because = f"{assignment.value} is its default ({default.text})"
            elif impliers:
                because = f"{assignment.value} is its default (implied by {', '.join(impliers[:3])})"
            else:
                because = f"{assignment.value} is its default"
        yield RULE.finding(
            f"CONFIG_{name} is redundant: {because}",
            assignment_location(assignment),
            fixes=[replace_line_fix(configuration, assignment, f"delete line {assignment.line}", "")],
        )


def _overrides_an_earlier_line(assignments: tuple[UserAssignment, ...], assignment: UserAssignment) -> bool:
    for earlier in assignments:
        if earlier is assignment:
            return False
        if earlier.symbol == assignment.symbol and earlier.accepted and earlier.value != assignment.value:
            return True
    return False


RULE = Rule(
    code="KLS305",
    name="config-redundant-default",
    summary="a defconfig line repeats the symbol's default (savedefconfig would drop it)",
    default_severity=Severity.INFORMATION,
    check=check,
    documentation=__doc__ or "",
)
