"""KLS303 config-value-does-not-stick: a configuration sets a value the symbol does not get.

The most asked question about Kconfig: "I set `CONFIG_X=y`, why is it off?".
A user value counts only while the symbol's prompt is visible, limited by
its dependencies (`m` at most when one of them is `m`); a `select` raises a
symbol whatever the file says; in a choice only one member is `y`. The
tools apply the rules silently, and `make olddefconfig` drops the line. The
finding says what the symbol is instead and why, in the words of the
hover: `CONFIG_NUMA_BALANCING was set to y but is n: missing dependency
NUMA [=n]`, `... but is y: selected by COMPACTION (mm/Kconfig:679)`.

When the value is lower than asked, the quick fix adds the smallest set of
assignments found that makes it stick (checked by re-evaluating the
configuration, see `kconfig_ls.logic.explain.enabling_set`); fixes are
computed for the first 20 findings of a run, as each costs a few
evaluations. Int and hex values outside their range are KLS302's, symbols
without a prompt KLS304's; values decided by compiler probes the engine
does not run are not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from kconfig_ls.checks.configuration_files import (
    assignment_line,
    assignment_location,
    config_line,
    replace_line_fix,
)
from kconfig_ls.checks.framework import CheckContext, Finding, Fix, Rule, Severity, TextEdit
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span

if TYPE_CHECKING:
    from kconfig_ls.logic.configuration import Configuration, UserAssignment

_FIXES_PER_RUN: Final = 20
_TRI: Final = {"n": 0, "m": 1, "y": 2}


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.explain import enabling_set, explain

    configuration = context.configuration
    if configuration is None:
        return
    fixes_left = _FIXES_PER_RUN
    root = context.model.settings.root
    for name, assignment in configuration.user_values.items():
        symbol = configuration.table.get(name)
        if symbol is None or not symbol.prompts or symbol.transitional:
            continue
        value = configuration.value(name)
        decision = configuration.decision(name)
        if value is None or value == assignment.value or decision.kind in ("range", "file", "unknown"):
            continue
        explanation = explain(configuration, name, root=root)
        because = explanation.reasons[0].text if explanation.reasons else "its dependencies decide"
        written = "not set" if assignment.is_not_set else f"set to {_shown(assignment.value, symbol.type)}"
        fixes: list[Fix] = []
        if (
            fixes_left > 0
            and symbol.type in ("bool", "tristate")
            and _TRI.get(value, 0) < _TRI.get(assignment.value, 0)
        ):
            fixes_left -= 1
            changes = enabling_set(configuration, name, assignment.value)
            if changes:
                fixes.append(_fix(configuration, assignment, changes))
        yield RULE.finding(
            f"CONFIG_{name} was {written} but is {_shown(value, symbol.type)}: {because}",
            assignment_location(assignment),
            fixes=fixes,
        )


def _shown(value: str, type_name: str | None) -> str:
    return f'"{value}"' if type_name == "string" else (value or '""')


def _fix(configuration: Configuration, assignment: UserAssignment, changes: dict[str, str]) -> Fix:
    """Set each symbol of the enabling set: rewrite its line in this file, or add one above the assignment."""
    edits: list[TextEdit] = []
    added: list[str] = []
    in_file = {a.symbol: a for a in configuration.assignments if a.path == assignment.path}
    for name, value in changes.items():
        type_name = configuration.table.symbols[name].type
        line = config_line(name, value, type_name)
        existing = in_file.get(name)
        if existing is not None and existing is not assignment:
            edits.extend(replace_line_fix(configuration, existing, "", line).edits)
        elif existing is None:
            added.append(line + "\n")
    if added:
        start = assignment_line(configuration, assignment).start
        edits.append(TextEdit(Location(assignment.path, Span(start, start)), "".join(added)))
    shown = ", ".join(f"{name}={value}" for name, value in changes.items() if name != assignment.symbol)
    return Fix(f"make it stick: set {shown}", tuple(edits))


RULE = Rule(
    code="KLS303",
    name="config-value-does-not-stick",
    summary="a configuration sets a value the symbol does not get (dependencies, select, choice)",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
)
