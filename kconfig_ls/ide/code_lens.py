"""Code lenses above `config X`: how connected the symbol is, each count opening the list.

`selected by 3 · implied by 1 · 41 uses in code · 12 defconfigs`: one lens
per non-zero count (the uses in code always, once the code index is ready),
each with the locations it counts, for a client command that shows a list
of locations (`kconfig-ls.showLocations`, like VS Code's
`editor.action.showReferences`). Counts come from the symbol table of the
configured world (selects and implies, with the selector's location) and the
code index (C, assembly, Makefiles, CMake; and configuration files, which
count as defconfigs: `*defconfig`, `*.config`, `prj.conf`, `sdkconfig*`).

The editor asks for the lenses of a file (`code_lenses`: spans and kinds,
cheap) and resolves each one shown (`resolve_lens`: the title and the
locations), so that a Kconfig file of 300 symbols does not send every use
of every symbol.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final

from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.config_reference import ReferenceKind, counting_kinds
from kconfig_ls.syntax.kconfig import ConfigEntry, KconfigFile, Span, name_uses

__all__ = ["LENS_KINDS", "CodeLens", "ResolvedLens", "code_lenses", "resolve_lens"]

LENS_KINDS: Final = ("selected", "implied", "code", "defconfigs")
_CONFIG_KINDS: Final = frozenset({ReferenceKind.CONFIG_ASSIGNMENT, ReferenceKind.CONFIG_NOT_SET})


@dataclass(frozen=True, slots=True)
class CodeLens:
    """An unresolved lens: the symbol's name span and which count it shows."""

    name: str
    span: Span
    kind: str


@dataclass(frozen=True, slots=True)
class ResolvedLens:
    title: str
    locations: tuple[Location, ...]


def code_lenses(parsed: KconfigFile, table: SymbolTable, code_index: CodeIndex | None) -> list[CodeLens]:
    """The lenses of one Kconfig file: above each `config`/`menuconfig` the world's table defines."""
    lenses: list[CodeLens] = []
    seen: set[tuple[str, int]] = set()
    for use in name_uses(parsed):
        if use.kind != "definition" or not isinstance(use.node, ConfigEntry):
            continue
        if use.node.keyword == "configdefault" or (use.name, use.span.start) in seen:
            continue
        seen.add((use.name, use.span.start))
        symbol = table.get(use.name)
        if symbol is None:
            continue
        counts = _counts(use.name, table, code_index)
        for kind in LENS_KINDS:
            if counts[kind] or (kind == "code" and code_index is not None):
                lenses.append(CodeLens(use.name, use.span, kind))
    return lenses


def resolve_lens(name: str, kind: str, table: SymbolTable, code_index: CodeIndex | None) -> ResolvedLens:
    locations = _locations(name, kind, table, code_index)
    count = len(locations)
    if kind == "selected":
        title = f"selected by {count}"
    elif kind == "implied":
        title = f"implied by {count}"
    elif kind == "code":
        title = f"{count} use{'' if count == 1 else 's'} in code"
    else:
        files = len({location.path for location in locations})
        title = f"{files} defconfig{'' if files == 1 else 's'}"
    return ResolvedLens(title, tuple(locations))


def _counts(name: str, table: SymbolTable, code_index: CodeIndex | None) -> dict[str, int]:
    symbol = table.get(name)
    references = code_index.references.get(name, ()) if code_index is not None else ()
    in_config = sum(1 for reference in references if reference.kind in _CONFIG_KINDS)
    in_code = sum(1 for reference in references if _counts_as_code(reference.kind))
    return {
        "selected": len(symbol.selected_by) if symbol is not None else 0,
        "implied": len(symbol.implied_by) if symbol is not None else 0,
        "code": in_code,
        "defconfigs": in_config,
    }


def _locations(name: str, kind: str, table: SymbolTable, code_index: CodeIndex | None) -> list[Location]:
    symbol = table.get(name)
    if kind in ("selected", "implied"):
        if symbol is None:
            return []
        reverses = symbol.selected_by if kind == "selected" else symbol.implied_by
        return [reverse.location for reverse in reverses]
    references = code_index.references.get(name, ()) if code_index is not None else ()
    if kind == "code":
        wanted = [reference for reference in references if _counts_as_code(reference.kind)]
    else:
        wanted = [reference for reference in references if reference.kind in _CONFIG_KINDS]
    wanted.sort(key=lambda reference: (os.path.dirname(reference.path), reference.path, reference.span.start))
    return [Location(reference.path, reference.span) for reference in wanted]


def _counts_as_code(kind: str) -> bool:
    return kind in counting_kinds() and kind not in _CONFIG_KINDS
