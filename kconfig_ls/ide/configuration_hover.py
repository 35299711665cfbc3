"""The hover's first lines under an active configuration: the value, why, and what would enable it.

VS Code's hover widget shows about twelve lines before it scrolls, so what
answers "what is it set to, and why (not)?" comes first, before the
definition sites and the dependency tree of the plain hover:

    MIGRATION = y, selected by COMPACTION (mm/Kconfig:679)
    Depends on: MMU [=y] && NUMA [=n]

and, when the symbol is `n` (or `m` for a tristate that could be `y`) or
cannot be set, what keeps it there, recursively down to symbols the user
can set, and the smallest set of assignments found that enables it,
checked by evaluating it (`kconfig_ls.logic.enabling`; or why no set can):

    To enable: NUMA=y (checked)
    Blocked by
    - NUMA_MIGRATION [=n] (no prompt): default y if NUMA [=n] && MMU [=y]
      - NUMA [=n]: set it to y

Lines are capped (`_MAX_BLOCKER_LINES`), so a symbol with a long list of
unmet dependencies never pushes the rest of the hover out of sight.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from kconfig_ls.ide.locations import markdown_inline
from kconfig_ls.logic.configuration import Configuration
from kconfig_ls.logic.enabling import EnablingSearch
from kconfig_ls.logic.explain import Blocker, LineOf, blockers, explain, render_with_values

__all__ = ["EnablingSetLookup", "configuration_section", "foreign_architecture_section"]

EnablingSetLookup = Callable[[str, str], EnablingSearch | None]
"""(name, wanted) to the enabling-set search's outcome; None while it is searched in the background
(the hover's own search is bounded: most end within it, a few take longer)."""

_MAX_BLOCKER_LINES: Final = 6
_MAX_BLOCKER_DEPTH: Final = 3
_MAX_RENDERED: Final = 160


def configuration_section(
    configuration: Configuration,
    name: str,
    label: str,
    *,
    line_of: LineOf,
    root: str,
    enabling: EnablingSetLookup,
) -> str:
    """Markdown for the top of a symbol's hover under `configuration` (`label` names it)."""
    explanation = explain(configuration, name, line_of=line_of, root=root)
    symbol = configuration.table.get(name)
    lines = [f"**{markdown_inline(explanation.summary)}** *(in {markdown_inline(label)})*"]
    if symbol is None:
        return lines[0]
    if explanation.dependency:
        lines.append(f"Depends on: `{_short(explanation.dependency)}`")
    if symbol.prompts and symbol.visibility != symbol.direct_dependency:
        visibility = render_with_values(symbol.visibility, configuration)
        lines.append(f"Visible if: `{_short(visibility)}`")
    for reason in explanation.reasons[1:3]:
        lines.append(f"Also: {markdown_inline(reason.text)}")
    value = configuration.value(name)
    if symbol.type in ("bool", "tristate") and value == "n":
        # A tristate is enabled at `m` already (or at `y` where modules are off).
        lines.extend(_blocked(configuration, name, "y" if symbol.type == "bool" else "m", enabling))
    return "\n\n".join(lines)


def foreign_architecture_section(label: str, architecture: str, configured: str) -> str:
    """What the hover says in another architecture's file (`arch/arm/Kconfig` under an x86 `.config`).

    The active configuration configures one architecture; its values are not
    those of arm's world (other symbols exist there, other defaults apply),
    and no `.config` for arm is active, so none are shown, and the hover says why.
    """
    return (
        f"*No values here: this file is {markdown_inline(architecture)}'s, and the active configuration "
        f"({markdown_inline(label)}) is for {markdown_inline(configured or 'another architecture')}.*"
    )


def _blocked(configuration: Configuration, name: str, wanted: str, enabling: EnablingSetLookup) -> list[str]:
    """What would enable it (one line: the answer), then what blocks it (the tree, capped)."""
    found = blockers(configuration, name, wanted)
    result: list[str] = []
    search = enabling(name, wanted)
    if search is None:
        result.append("To enable: searching the smallest set of changes (hover again)")
    elif search.changes:
        assignments = ", ".join(f"`{symbol}={value}`" for symbol, value in search.changes.items())
        result.append(f"To enable: {assignments} (checked by evaluating it)")
    elif search.never:
        result.append(f"Cannot be enabled for this architecture: {markdown_inline(search.never)}")
    elif search.changes is None and found:
        result.append("To enable: no small set of changes found")
    if found:
        tree: list[str] = []
        for blocker in found:
            _blocker_lines(configuration, blocker, 0, tree)
        shown = tree[:_MAX_BLOCKER_LINES]
        if len(tree) > _MAX_BLOCKER_LINES:
            shown.append(f"- … and {len(tree) - _MAX_BLOCKER_LINES} more")
        result.append("Blocked by\n" + "\n".join(shown))
    return result


def _blocker_lines(configuration: Configuration, blocker: Blocker, depth: int, into: list[str]) -> None:
    indent = "  " * depth
    if blocker.alternatives:
        into.append(f"{indent}- one of `{_short(blocker.rendered)}`")
        if depth < _MAX_BLOCKER_DEPTH:
            for alternative in blocker.alternatives:
                _blocker_lines(configuration, alternative, depth + 1, into)
        return
    if blocker.settable and blocker.symbol is not None:
        into.append(f"{indent}- `{_short(blocker.rendered)}`: set {blocker.symbol} to {blocker.needed}")
        return
    if blocker.symbol is None:
        into.append(f"{indent}- `{_short(blocker.rendered)}`")
    else:
        symbol = configuration.table.get(blocker.symbol)
        why = "no prompt" if symbol is None or not symbol.prompts else "its prompt is hidden"
        if not blocker.causes and (symbol is None or not (symbol.defaults or symbol.selected_by)):
            why += ", and nothing else can set it"
        into.append(f"{indent}- `{_short(blocker.rendered)}`: needs {blocker.needed}; {why}")
    if depth < _MAX_BLOCKER_DEPTH:
        for cause in blocker.causes:
            _blocker_lines(configuration, cause, depth + 1, into)


def _short(text: str) -> str:
    text = text.replace("`", "'")
    return text if len(text) <= _MAX_RENDERED else text[: _MAX_RENDERED - 1] + "…"
