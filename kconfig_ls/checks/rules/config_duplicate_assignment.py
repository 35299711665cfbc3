"""KLS306 config-duplicate-assignment: one file sets the same symbol twice.

The tools read a configuration file top to bottom and the later assignment
wins (kconfiglib warns "set more than once"), so the earlier line is dead,
and a reader who finds it first is misled. The finding is on the earlier
line and names the later one; when the later line is itself ignored (a
value of the wrong form), the earlier one stays in effect and the message
says so. The quick fix deletes the dead line. Assignments in different
fragments of a merged configuration are not reported: overriding a base
file is what fragments are for.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kconfig_ls.checks.configuration_files import assignment_location, replace_line_fix
from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity

if TYPE_CHECKING:
    from kconfig_ls.logic.configuration import UserAssignment


def check(context: CheckContext) -> Iterator[Finding]:
    configuration = context.configuration
    if configuration is None:
        return
    by_file_and_symbol: dict[tuple[str, str], list[UserAssignment]] = {}
    for assignment in configuration.assignments:
        by_file_and_symbol.setdefault((assignment.path, assignment.symbol), []).append(assignment)
    for (_, name), assignments in by_file_and_symbol.items():
        if len(assignments) < 2:
            continue
        accepted = [a for a in assignments if a.accepted]
        effective = accepted[-1] if accepted else assignments[-1]
        for assignment in assignments:
            if assignment is effective:
                continue
            later = next((a for a in assignments if a.line > assignment.line), effective)
            if assignment.line > effective.line:
                message = (
                    f"CONFIG_{name} is set again here, but the tools ignore this line "
                    f"({assignment.problem}); "
                    f"line {effective.line} ({_shown(effective)}) stays in effect"
                )
            else:
                message = (
                    f"CONFIG_{name} is set twice: line {assignment.line} ({_shown(assignment)}) and line "
                    f"{later.line} ({_shown(later)}); the later one wins"
                    + ("" if later is effective else f", then line {effective.line} ({_shown(effective)})")
                )
            yield RULE.finding(
                message,
                assignment_location(assignment),
                related=[RelatedLocation(f"CONFIG_{name} set here", assignment_location(effective))],
                fixes=[replace_line_fix(configuration, assignment, f"delete line {assignment.line}", "")],
            )


def _shown(assignment: UserAssignment) -> str:
    return "is not set" if assignment.is_not_set else f"={assignment.written}"


RULE = Rule(
    code="KLS306",
    name="config-duplicate-assignment",
    summary="a configuration file sets the same symbol twice; the later line wins",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
)
