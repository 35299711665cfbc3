"""Helpers shared by the configuration-file rules (KLS3xx): locations, edits, file kinds.

The rules look at an evaluated `Configuration` (`CheckContext.configuration`):
its assignments carry their file, line and byte span, and its sources the
bytes, so that a fix can replace or delete a whole line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kconfig_ls.checks.framework import Fix, TextEdit
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span

if TYPE_CHECKING:
    # Annotations only: the rules register without the logic layer (`kconfig-ls lint`'s start).
    from kconfig_ls.logic.configuration import Configuration, UserAssignment

__all__ = [
    "assignment_line",
    "assignment_location",
    "is_full_config",
    "config_line",
    "replace_line_fix",
    "source_bytes",
]


def assignment_location(assignment: UserAssignment) -> Location:
    return Location(assignment.path, Span(*assignment.span))


def source_bytes(configuration: Configuration, path: str) -> bytes:
    for source in configuration.sources:
        if source.path == path:
            return source.data
    return b""


def is_full_config(configuration: Configuration, path: str) -> bool:
    """A `.config` written by the tools (every symbol written), not a defconfig or a fragment.

    Such a file assigns every prompt-less symbol and every default, so the
    rules about redundant or prompt-less assignments stay silent on it.
    """
    from kconfig_ls.logic.config_input import is_generated_config

    return is_generated_config(source_bytes(configuration, path))


def assignment_line(configuration: Configuration, assignment: UserAssignment) -> Span:
    """The span of the assignment's whole line, newline included (for deleting it)."""
    data = source_bytes(configuration, assignment.path)
    start = data.rfind(b"\n", 0, assignment.span[0]) + 1
    end = data.find(b"\n", assignment.span[1])
    return Span(start, len(data) if end < 0 else end + 1)


def replace_line_fix(
    configuration: Configuration, assignment: UserAssignment, title: str, new_text: str
) -> Fix:
    """Replace the assignment's text (not its newline) with `new_text`; `""` deletes the line."""
    if new_text:
        start = source_bytes(configuration, assignment.path).rfind(b"\n", 0, assignment.span[0]) + 1
        location = Location(assignment.path, Span(start, assignment.span[1]))
        return Fix(title, (TextEdit(location, new_text),))
    return Fix(title, (TextEdit(Location(assignment.path, assignment_line(configuration, assignment)), ""),))


def config_line(name: str, value: str, type_name: str | None) -> str:
    """How the tools write `name = value`."""
    if value == "n" and type_name in ("bool", "tristate"):
        return f"# CONFIG_{name} is not set"
    if type_name == "string":
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'CONFIG_{name}="{escaped}"'
    return f"CONFIG_{name}={value}"
