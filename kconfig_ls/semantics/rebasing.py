"""Reusing a linked subtree under a new inclusion context, after a structural edit above `source` lines.

When an edit changes the blocks around a file's `source` statements (an `if`
condition, an `if` or `menu` added around them or removed) but not the
statements themselves or the macros, the files below keep their parse,
their macro environment and everything they define; only the context they
inherit from the edited file changes: the conditions, `visible if`s and
menu path at the top of each sourced file. That context is a prefix of what
every inclusion, definition and choice below records (a file's walk starts
from its inclusion's context and blocks only append to it), so a subtree is
*rebased* by swapping the prefix, without walking, expanding or parsing
anything again. A subtree whose context did not change at all is kept as it
is (the same objects).

Linux's drivers/Kconfig sources most of the tree (1,300 files, 13,000
definitions): wrapping its `source` lines in an `if` re-linked all of them
in 0.9 s; rebasing them costs a tenth of that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from kconfig_ls.semantics.definitions import (
    ChoiceSite,
    Inclusion,
    InheritedCondition,
    OrderKey,
    SymbolDefinition,
    SymbolReference,
)
from kconfig_ls.semantics.linking import FileContribution

if TYPE_CHECKING:
    from kconfig_ls.semantics.linking import Linker
    from kconfig_ls.semantics.macros import MacroEnvironment
    from kconfig_ls.syntax.kconfig import KconfigFile, Span

__all__ = ["SharedRelinks", "SubtreeReuse"]

Item = TypeVar("Item")


@dataclass(slots=True)
class SubtreeReuse:
    """The old contributions a subtree relink may reuse, and what it reused.

    `edited` are the inclusions of the edited file: a subtree holding one of
    them is linked afresh (it must see the new text). After the relink,
    `kept` holds the keys of contributions kept as they were (the linker does
    not return them), `rebased` those replaced by rebased copies,
    `replacements` maps the id of each old definition and reference that was
    copied to its copy (the tables swap them in place: order keys do not
    move), and `changed_names` the names defined in subtrees whose inherited
    context changed in meaning (not only in where it is written).
    """

    old: Mapping[OrderKey, FileContribution]
    edited: frozenset[OrderKey]
    kept: set[OrderKey] = field(default_factory=set)
    rebased: set[OrderKey] = field(default_factory=set)
    replacements: dict[int, object] = field(default_factory=dict)
    changed_names: set[str] = field(default_factory=set)

    def take(self, inclusion: Inclusion, environment: MacroEnvironment, linker: Linker) -> bool:
        """Reuse the old subtree at `inclusion.key` if it is the same file read in the same macros.

        On success the subtree's contributions are in `linker.contributions`
        (or kept), the environment is the one after it, and True is returned.
        """
        key = inclusion.key
        old = self.old.get(key)
        if (
            old is None
            or old.path != inclusion.path
            or old.inclusion.reached != inclusion.reached
            or old.inclusion.depth != inclusion.depth
            or any(edited[: len(key)] == key for edited in self.edited)
            or old.entry_variables != environment.variables_snapshot()
            # A file sourced inside a choice holds the choice's parse node (not compared by
            # `Inclusion`'s equality); a new node means the edited file was parsed again.
            or old.inclusion.choice is not inclusion.choice
        ):
            return False
        subtree = _subtree(self.old, old)
        if inclusion == old.inclusion:
            self.kept.update(c.key for c in subtree)
        else:
            self._rebase(subtree, old.inclusion, inclusion, linker.contributions)
        for contribution in subtree:
            linker.inclusion_count += 1
            if contribution.inclusion.reached:
                linker.reached_paths.add(contribution.path)
            linker.spelling_of_real_path.setdefault(linker.real_path(contribution.path), contribution.path)
        environment.restore(old.exit_variables)
        return True

    def _rebase(
        self,
        subtree: list[FileContribution],
        before: Inclusion,
        after: Inclusion,
        into: dict[OrderKey, FileContribution],
    ) -> None:
        conditions = _prefix_swap(before.conditions, after.conditions)
        visible_if = _prefix_swap(before.visible_if, after.visible_if)
        menu_path = _prefix_swap(before.menu_path, after.menu_path)
        meaning_changed = (
            _meaning(before.conditions) != _meaning(after.conditions)
            or [c.expression for c in before.visible_if] != [c.expression for c in after.visible_if]
            or before.menu_path != after.menu_path
        )
        replacements = self.replacements
        inclusions: dict[OrderKey, Inclusion] = {before.key: after}
        for contribution in subtree:
            old_inclusion = contribution.inclusion
            inclusion = inclusions.get(old_inclusion.key)
            if inclusion is None:
                parent = old_inclusion.parent
                inclusion = Inclusion(
                    old_inclusion.path,
                    inclusions[parent.key] if parent is not None else None,
                    old_inclusion.source_path,
                    old_inclusion.source_ordinal,
                    conditions(old_inclusion.conditions),
                    visible_if(old_inclusion.visible_if),
                    menu_path(old_inclusion.menu_path),
                    old_inclusion.reached,
                    old_inclusion.depth,
                    old_inclusion.key,
                    # A file sourced inside a choice stays inside it: a later edit of the
                    # sourcing file compares this (`take`) to decide whether to reuse it.
                    choice=old_inclusion.choice,
                )
                inclusions[old_inclusion.key] = inclusion
            definitions = []
            copies: dict[int, SymbolDefinition] = {}
            for d in contribution.definitions:
                copy = SymbolDefinition(
                    d.name,
                    d.entry,
                    d.path,
                    inclusion,
                    conditions(d.inherited),
                    visible_if(d.visible_if),
                    menu_path(d.menu_path),
                    d.choice,
                    d.prompts,
                    d.dependencies,
                    d.selects,
                    d.implies,
                    d.defaults,
                    d.order,
                )
                replacements[id(d)] = copies[id(d)] = copy
                definitions.append(copy)
                if meaning_changed:
                    self.changed_names.add(d.name)
            references = []
            for r in contribution.references:
                if r.definition is not None:
                    copied = SymbolReference(
                        r.name,
                        r.kind,
                        r.location,
                        copies[id(r.definition)],
                        r.order,
                    )
                    replacements[id(r)] = copied
                    references.append(copied)
                else:
                    references.append(r)  # a block's condition: nothing in it names the inclusion
            choices = tuple(
                ChoiceSite(s.entry, inclusion, conditions(s.inherited), visible_if(s.visible_if))
                for s in contribution.choices
            )
            into[contribution.key] = FileContribution(
                inclusion,
                tuple(definitions),
                tuple(references),
                choices,
                contribution.problems,
                contribution.children,
                contribution.entry_variables,
                contribution.exit_variables,
                contribution.statement_exits,
            )
            self.rebased.add(contribution.key)


def _subtree(
    contributions: Mapping[OrderKey, FileContribution], root: FileContribution
) -> list[FileContribution]:
    """`root` and every contribution below it, parents before children."""
    found: list[FileContribution] = []
    stack = [root]
    while stack:
        contribution = stack.pop()
        found.append(contribution)
        for key in reversed(contribution.children):
            child = contributions.get(key)
            if child is not None:
                stack.append(child)
    return found


def _prefix_swap(
    before: tuple[Item, ...], after: tuple[Item, ...]
) -> Callable[[tuple[Item, ...]], tuple[Item, ...]]:
    """A function replacing the prefix `before` of a tuple by `after`.

    The entries of one block share one tuple of inherited conditions; the
    copies share theirs too (one new tuple per old one, not per entry), which
    keeps the memory of a rebased subtree that of a linked one, and lets a
    rule cache what it derives from a tuple by its identity.
    """
    width = len(before)
    swapped: dict[int, tuple[tuple[Item, ...], tuple[Item, ...]]] = {}

    def swap(items: tuple[Item, ...]) -> tuple[Item, ...]:
        known = swapped.get(id(items))
        if known is None:
            # The old tuple is kept with its copy, so that its id is not reused meanwhile.
            known = swapped[id(items)] = (items, after + items[width:])
        return known[1]

    return swap


def _meaning(conditions: tuple[InheritedCondition, ...]) -> list[tuple[object, str]]:
    return [(c.expression, c.origin) for c in conditions]


class SharedRelinks:
    """One edit's one-file relinks, done once for every model that reads the file the same way.

    Why: the logic keeps one model per architecture (`logic.world_tables`),
    and an edit of `mm/Kconfig` was relinked 21 times into the same
    result. A file with no `$(` and no macro assignment reads nothing of
    its macro environment in a one-file relink (its `source` statements only
    restore the variables recorded after them, and its children are not
    visited), so the definitions, references, choices and problems of the
    walk depend only on its parse and its inclusion (the conditions, menus
    and order key it is read under). Where the old contribution has an
    equal inclusion and problems, the relink of the first model is taken,
    with the model's own children and macro variables. The models then
    share the new definitions, and what is memoised on them
    (`edit_signatures.semantic_signature`) is computed once.
    """

    __slots__ = ("_done", "_parses", "_plain")

    def __init__(self) -> None:
        self._done: dict[tuple[int, int], list[tuple[FileContribution, FileContribution]]] = {}
        self._plain: dict[int, bool] = {}
        self._parses: list[object] = []
        """The parses keyed by id above, held so that their ids are not reused meanwhile."""

    def relink(
        self,
        linker: Linker,
        old: FileContribution,
        old_parse: KconfigFile,
        new_parse: KconfigFile,
        moved_spans: dict[Span, Span],
    ) -> None:
        """`linker.relink_file(old, new_parse, moved_spans)`, or the equal relink of another model."""
        plain = self._plain.get(id(new_parse))
        if plain is None:
            from kconfig_ls.semantics.edit_signatures import linking_signature

            signature = linking_signature(new_parse)
            macros = any(isinstance(item, tuple) and item[:1] == ("macro",) for item in signature)
            plain = not new_parse.uses_macros and not macros
            self._plain[id(new_parse)] = plain
            self._parses.extend((old_parse, new_parse))
        memo_key = (id(old_parse), id(new_parse))
        if plain:
            for before, after in self._done.get(memo_key, ()):
                if (
                    before.inclusion == old.inclusion
                    and before.inclusion.choice is old.inclusion.choice
                    and before.problems == old.problems
                ):
                    linker.contributions[old.key] = FileContribution(
                        after.inclusion,
                        after.definitions,
                        after.references,
                        after.choices,
                        after.problems,
                        old.children,
                        old.entry_variables,
                        old.exit_variables,
                        old.statement_exits,
                    )
                    return
        linker.relink_file(old, new_parse, moved_spans)
        if plain:
            self._done.setdefault(memo_key, []).append((old, linker.contributions[old.key]))
