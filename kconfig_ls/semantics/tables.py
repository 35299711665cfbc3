"""Copy-on-write patching of the model's ordered tables, one run of entries at a time.

The model's tables (`definitions`, `references`, `selected_by`, `implied_by`)
hold each name's entries in reading order (their order keys). After an edit
the entries of the replaced contributions are swapped for the new ones; a
contribution's entries, and those of the files below it, sit in one run of
the ordered list, so only that run is looked at (`spliced`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from kconfig_ls.semantics.definitions import OrderKey, SymbolDefinition, SymbolReference
from kconfig_ls.syntax.kconfig import ReverseDependency

if TYPE_CHECKING:
    from kconfig_ls.semantics.linking import FileContribution

__all__ = [
    "Selection",
    "definition_key",
    "definition_order",
    "patched",
    "reference_key",
    "reference_order",
    "selection_key",
    "selection_order",
    "set_or_drop",
    "spliced",
    "swapped_in_place",
]

Entry = TypeVar("Entry")
Selection = tuple[SymbolDefinition, ReverseDependency]
Tables = tuple[
    Mapping[str, list[SymbolDefinition]],
    Mapping[str, list[SymbolReference]],
    Mapping[str, list[Selection]],
    Mapping[str, list[Selection]],
]


def patched(
    table: Mapping[str, list[Entry]],
    names: set[str],
    rebuild: Callable[[str, list[Entry]], list[Entry]],
) -> dict[str, list[Entry]]:
    """A copy of `table` with the entries of `names` rebuilt (in reading order)."""
    patched: dict[str, list[Entry]] = dict(table)
    for name in names:
        entries = rebuild(name, table.get(name, []))
        if entries:
            patched[name] = entries
        else:
            patched.pop(name, None)
    return patched


def spliced(
    entries: list[Entry],
    keys: set[OrderKey],
    added: list[Entry],
    key_of: Callable[[Entry], OrderKey],
    order: Callable[[Entry], OrderKey],
) -> list[Entry]:
    """`entries` (in reading order) with the entries of contributions `keys` replaced by `added`.

    A contribution's entries, and those of the files below it, sit in one
    run of the ordered list (their order keys share its key as a prefix), so
    only that run is looked at: a keystroke in mm/Kconfig touches a few
    entries of MMU's 1,600 references, not all of them.
    """
    result = entries
    remaining = sorted(added, key=order)
    for key in sorted(keys, reverse=True):
        width = len(key)
        low = bisect_left(result, key, key=lambda entry: order(entry)[:width])
        high = bisect_right(result, key, key=lambda entry: order(entry)[:width])
        mine = [entry for entry in remaining if order(entry)[:width] == key]
        if low == high and not mine:
            continue
        kept = [entry for entry in result[low:high] if key_of(entry) != key]
        run = sorted(kept + mine, key=order) if kept and mine else (mine or kept)
        result = [*result[:low], *run, *result[high:]]
        if mine:
            remaining = [entry for entry in remaining if order(entry)[:width] != key]
    if remaining:
        result = sorted(result + remaining, key=order)
    return result


def definition_key(definition: SymbolDefinition) -> OrderKey:
    return definition.inclusion.key


def definition_order(definition: SymbolDefinition) -> OrderKey:
    return definition.order


def reference_key(reference: SymbolReference) -> OrderKey:
    return reference.order[:-2]


def reference_order(reference: SymbolReference) -> OrderKey:
    return reference.order


def selection_key(pair: Selection) -> OrderKey:
    return pair[0].inclusion.key


def selection_order(pair: Selection) -> OrderKey:
    return (*pair[0].order, pair[1].span.start)


def set_or_drop(table: dict[str, list[Entry]], key: str, entries: list[Entry]) -> None:
    if entries:
        table[key] = entries
    else:
        table.pop(key, None)


def swapped_in_place(
    tables: Tables, rebased: Iterable[FileContribution], replacements: Mapping[int, object]
) -> tuple[
    dict[str, list[SymbolDefinition]],
    dict[str, list[SymbolReference]],
    dict[str, list[Selection]],
    dict[str, list[Selection]],
]:
    """Copies of the definitions, references, selected-by and implied-by tables with
    rebased entries swapped for their originals (`replacements`: id of the original
    -> copy). A rebased entry has its original's order key, so no list is re-sorted.
    """
    names: set[str] = set()
    targets: set[str] = set()
    referenced: set[str] = set()
    for contribution in rebased:
        for definition in contribution.definitions:
            names.add(definition.name)
            targets.update(r.target for r in (*definition.selects, *definition.implies))
        referenced.update(r.name for r in contribution.references if r.definition is not None)

    copy_of = cast(Mapping[int, Any], replacements).get  # inlined: MMU alone has 1,600 references

    def swap_selections(_: str, pairs: list[Selection]) -> list[Selection]:
        return [(copy_of(id(pair[0]), pair[0]), pair[1]) for pair in pairs]

    definitions, references, selected_by, implied_by = tables
    return (
        patched(definitions, names, lambda _, entries: [copy_of(id(e), e) for e in entries]),
        patched(references, referenced, lambda _, entries: [copy_of(id(e), e) for e in entries]),
        patched(selected_by, targets, swap_selections),
        patched(implied_by, targets, swap_selections),
    )
