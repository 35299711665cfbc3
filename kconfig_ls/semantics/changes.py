"""What an update of the model changed: names whose meaning, uses or presence changed.

`KconfigModel.apply_change` replaces some contributions; the rules re-check
only what these sets name (`checks.incremental`). A contribution rebased
onto a new context (`semantics.rebasing`) has the same uses in the same
order as the one it replaces, and its definitions changed meaning exactly
when the context it inherits did, so it is not compared entry by entry.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal

from kconfig_ls.semantics.definitions import OrderKey, SymbolDefinition
from kconfig_ls.semantics.edit_signatures import semantic_signature
from kconfig_ls.semantics.linking import FileContribution

if TYPE_CHECKING:
    from kconfig_ls.semantics.rebasing import SubtreeReuse

__all__ = ["RelinkWidth", "differences", "wider_relink"]

# How much of the model an update linked again: nothing (a file outside
# every inclusion), one file's contributions, the subtrees below the edited
# file, or the whole tree.
RelinkWidth = Literal["none", "file", "subtree", "full"]
_WIDTH: Final = {"none": 0, "file": 1, "subtree": 2, "full": 3}


def wider_relink(first: RelinkWidth, second: RelinkWidth) -> RelinkWidth:
    """The wider of two updates' relinks (for the summary of several updates)."""
    return first if _WIDTH[first] >= _WIDTH[second] else second


def differences(
    old_contributions: Mapping[OrderKey, FileContribution],
    old_definitions: Mapping[str, Sequence[SymbolDefinition]],
    new_contributions: Mapping[OrderKey, FileContribution],
    new_definitions: Mapping[str, Sequence[SymbolDefinition]],
    old_keys: Collection[OrderKey],
    new_keys: Collection[OrderKey],
    reuse: SubtreeReuse | None = None,
) -> tuple[set[str], set[str], set[str]]:
    """Names whose meaning changed, whose uses changed, and that appeared or disappeared."""
    rebased = reuse.rebased if reuse is not None else set()
    old_items = [old_contributions[k] for k in old_keys if k in old_contributions and k not in rebased]
    new_items = [new_contributions[k] for k in new_keys if k in new_contributions and k not in rebased]
    names = {d.name for c in (*old_items, *new_items) for d in c.definitions}
    symbols: set[str] = set()
    presence: set[str] = set()
    for name in names:
        old_sites, new_sites = old_definitions.get(name, ()), new_definitions.get(name, ())
        before = [semantic_signature(d) for d in old_sites]
        after = [semantic_signature(d) for d in new_sites]
        if before != after:
            symbols.add(name)
            if (bool(old_sites), any(d.reached for d in old_sites)) != (
                bool(new_sites),
                any(d.reached for d in new_sites),
            ):
                presence.add(name)
    selectors = [*old_items, *new_items]
    if reuse is not None and reuse.changed_names:
        # A rebased definition whose inherited context changed in meaning has
        # another signature than before, and it is still there, still (un)reached.
        symbols |= reuse.changed_names
        selectors += [new_contributions[k] for k in rebased if k in new_contributions]
    for contribution in selectors:
        for definition in contribution.definitions:
            if definition.name in symbols:
                symbols.update(r.target for r in (*definition.selects, *definition.implies))
    # Only the replaced contributions' uses can differ: compare those (a
    # rebased one has the same uses, at the same order keys, as its original).
    before_uses: dict[str, list[tuple[str, OrderKey]]] = {}
    after_uses: dict[str, list[tuple[str, OrderKey]]] = {}
    for items, uses in ((old_items, before_uses), (new_items, after_uses)):
        for contribution in sorted(items, key=lambda c: c.key):
            for reference in contribution.references:
                # Positions are left out: text typed above a use moves it, and changes nothing.
                uses.setdefault(reference.name, []).append((reference.kind, reference.order[:-1]))
    references = {
        name
        for name in {*before_uses, *after_uses}
        if before_uses.get(name) != after_uses.get(name) or name in symbols
    }
    for key in rebased:
        rebased_contribution = new_contributions.get(key)
        if rebased_contribution is not None:
            references.update(r.name for r in rebased_contribution.references if r.name in symbols)
    return symbols, references, presence
