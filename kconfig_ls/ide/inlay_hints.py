"""Inlay hints under the active configuration: values in Kconfig expressions, and lines that do not stick.

- In a Kconfig file, `[=y]` after each symbol operand of a dependency
  expression (`depends on`, `visible if`, a prompt's `if`, the `if` of a
  `default`, `select`, `imply` or `range`, and `if` blocks), as menuconfig
  prints `MMU [=y] && NUMA [=n]`; `[=?]` when a compiler probe decides it.
- In a configuration file of the active configuration, after an assignment
  whose value does not stick: `→ n: needs NUMA [=n]`
  (`kconfig_ls.logic.explain.assignment_hints`).

Plain data: a byte offset, a label, and whether it wants a space before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kconfig_ls.logic.configuration import Configuration
from kconfig_ls.logic.explain import assignment_hints
from kconfig_ls.syntax.kconfig import KconfigFile, name_uses

__all__ = ["InlayHint", "assignment_inlay_hints", "kconfig_inlay_hints"]

_EXPRESSION_KINDS: Final = frozenset({"depends on", "visible if", "prompt if", "if"})


@dataclass(frozen=True, slots=True)
class InlayHint:
    offset: int
    """Where the hint goes (a UTF-8 byte offset): right after the operand or the assignment."""
    label: str
    padding_left: bool
    kind: str
    """`value` (a symbol's value) or `assignment` (a configuration line that does not stick)."""


def kconfig_inlay_hints(
    parsed: KconfigFile, configuration: Configuration, start: int = 0, end: int | None = None
) -> list[InlayHint]:
    """`[=y]` after each operand of the file's dependency expressions between `start` and `end`."""
    hints: list[InlayHint] = []
    for use in name_uses(parsed):
        if (
            use.kind not in _EXPRESSION_KINDS
            or use.span.end < start
            or (end is not None and use.span.start > end)
        ):
            continue
        value = configuration.value(use.name) if use.name in configuration.values else "n"
        hints.append(InlayHint(use.span.end, f"[={'?' if value is None else value}]", False, "value"))
    return hints


def assignment_inlay_hints(configuration: Configuration, path: str) -> list[InlayHint]:
    """`→ n: needs NUMA [=n]` after each assignment of `path` whose value does not stick."""
    return [
        InlayHint(hint.offset, hint.text, True, "assignment")
        for hint in assignment_hints(configuration)
        if hint.path == path
    ]
