"""Small helpers for showing where things are: `path:line`, relative to the root.

Hovers, symbol lists and messages all print locations the same way: the
path relative to the workspace root (absolute when outside it) and a
1-based line number.
"""

from __future__ import annotations

from kconfig_ls.semantics.model import KconfigModel, Location

__all__ = ["display_location", "line_number", "markdown_inline"]


def line_number(workspace: KconfigModel, location: Location) -> int:
    """1-based line of a location in a file of the model (1 when unknown)."""
    parsed = workspace.files.get(location.path)
    if parsed is not None:
        return parsed.line_of(location.span.start) + 1
    data = workspace.text(location.path)
    return data.count(b"\n", 0, location.span.start) + 1


def display_location(workspace: KconfigModel, location: Location) -> str:
    """`mm/Kconfig:630` for a location."""
    return f"{workspace.relative(location.path)}:{line_number(workspace, location)}"


def markdown_inline(text: str) -> str:
    """Plain text inside Markdown: characters Markdown would read as markup are escaped."""
    escaped = "".join("\\" + character if character in "\\`*_[]<>#|" else character for character in text)
    return escaped.replace("\n", " ")
