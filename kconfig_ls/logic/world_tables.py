"""Every world's model and symbol table, followed edit by edit (for `logic.incremental_logic`).

The logic reasons over all architectures at once, so it needs one model per
world (Linux: 21, each with its own `$(SRCARCH)`), while the editor holds
one. `WorldModels` loads them once, reading open buffers from the
editor's model rather than the disk, and afterwards follows the editor's
model: each file whose text differs is applied to every world that reads
it (`KconfigModel.apply_change`, a single-file relink in most edits),
which names the symbols whose meaning changed there.

`update_table` rebuilds a world's table for those symbols only: their own
semantics, and the reverse dependencies (`selected_by`, `implied_by`) of
the symbols they select or imply, before and after the edit. Building a
whole Linux table costs ~0.7 s a world; this costs a few milliseconds. An
edit that touches a choice returns None (the caller rebuilds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from kconfig_ls.analysis.cancellation import Cancelled
from kconfig_ls.semantics.definitions import SymbolDefinition
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.rebasing import SharedRelinks
from kconfig_ls.semantics.symbols import (
    DEFAULT_WORLD,
    ChoiceSemantics,
    ReverseDependencySemantics,
    SymbolSemantics,
    SymbolTable,
    _choice_key,
    _choice_members,
    _choice_semantics,
    _table_from_definitions,
    build_symbol_table,
    world_definitions,
)
from kconfig_ls.semantics.worlds import architecture_worlds, world_settings
from kconfig_ls.syntax.kconfig import entry_extent
from kconfig_ls.text.documents import ByteEdit, single_edit
from kconfig_ls.vfs.overlay import read_regular_file

__all__ = ["WorldModels", "moved_symbols", "update_table"]

_MAX_FILE_SIZE = 16 * 1024 * 1024


@dataclass
class WorldModels:
    """One model per world, kept equal to what the editor's model says about each file."""

    models: dict[str, KconfigModel]
    synced: dict[str, bytes]
    """path -> the editor's text last applied (compared by identity first)."""
    changed: dict[str, frozenset[str]] = field(default_factory=dict)
    """world -> the symbols the last `follow` changed there."""
    unmovable: set[str] = field(default_factory=set)
    """Symbols whose kept answers sat inside an edited range (re-asked by the caller)."""

    @classmethod
    def load(
        cls,
        model: KconfigModel,
        is_cancelled: Callable[[], bool] | None = None,
        only: list[str] | None = None,
    ) -> WorldModels:
        worlds = architecture_worlds(model.settings)
        if only is not None and worlds != [DEFAULT_WORLD]:
            worlds = [world for world in worlds if world in only]
        synced = dict(model.texts)
        if worlds == [DEFAULT_WORLD]:
            return cls({DEFAULT_WORLD: model}, synced)
        reader = _reader(model)
        cache: dict[str, tuple[bytes, object]] = {}
        models: dict[str, KconfigModel] = {}
        for world in worlds:
            if is_cancelled is not None and is_cancelled():
                raise Cancelled()
            world_model = KconfigModel(
                world_settings(model.settings, world),
                read_file=reader,
                parse_cache=cache,  # type: ignore[arg-type]
            )
            world_model.load()
            models[world] = world_model
        return cls(models, synced)

    def tables(self) -> dict[str, SymbolTable]:
        # One memo for all worlds: what a symbol's definitions alone decide is derived once
        # wherever the worlds share them (the parse is shared by `load`).
        shared: dict[object, object] = {}
        return {world: build_symbol_table(model, world, shared) for world, model in self.models.items()}

    def follow(self, model: KconfigModel) -> tuple[frozenset[str], dict[str, ByteEdit]] | None:
        """Apply the editor model's changed files to every world; the union of the changed symbols.

        Returns the symbols and the edit of each changed file (None when a
        world's relink failed and the caller should rebuild).
        """
        reader = _reader(model)
        edits: dict[str, ByteEdit] = {}
        changed: dict[str, set[str]] = {world: set() for world in self.models}
        for path, text in model.texts.items():
            previous = self.synced.get(path)
            if previous is text:
                continue
            if previous is None:
                previous = next((m.texts[path] for m in self.models.values() if path in m.texts), None)
            self.synced[path] = text
            if previous is None or previous == text:
                continue
            start, old_end, new_end = single_edit(previous, text)
            edits[path] = ByteEdit(start, old_end, new_end)
            # The worlds that read the file the same way share its relink (`SharedRelinks`).
            shared = SharedRelinks()
            for world, world_model in self.models.items():
                if path not in world_model.texts:
                    continue
                update = world_model.apply_change(path, text, reader, shared)
                self.models[world] = update.model
                changed[world].update(update.changed_symbols)
        self.changed = {world: frozenset(names) for world, names in changed.items()}
        union: set[str] = set()
        for names in changed.values():
            union |= names
        return frozenset(union), edits


def _reader(model: KconfigModel) -> Callable[[str], bytes]:
    texts = model.texts

    def read(path: str) -> bytes:
        data = texts.get(path)
        return data if data is not None else read_regular_file(path, _MAX_FILE_SIZE)

    return read


def moved_symbols(
    model: KconfigModel, edits: Mapping[str, ByteEdit], extents: dict[int, tuple[object, int]] | None = None
) -> frozenset[str]:
    """The symbols defined in the edited files at or after the edit (their locations move with it).

    A definition whose last attribute ends before the edited bytes keeps
    every place it holds (its extent, not its first line: a comment or a stray
    `endif` inserted between `config X` and its `select` moves the select):
    refreshing it too cost ~40 ms a world after an edit in the middle of
    `mm/Kconfig` (its 200 symbols and their select targets, 21 times).
    `extents` keeps each entry's end for the other worlds (they share the parse).
    """
    memo: dict[int, tuple[object, int]] = extents if extents is not None else {}
    names: set[str] = set()
    for path, edit in edits.items():
        for definition in model.definitions_by_file.get(path, ()):
            entry = definition.entry
            known = memo.get(id(entry))
            if known is None:
                known = memo[id(entry)] = (entry, entry_extent(entry).end)  # the entry keeps its id
            if known[1] >= edit.start:
                names.add(definition.name)
    return frozenset(names)


def update_table(
    table: SymbolTable,
    model: KconfigModel,
    changed: frozenset[str],
    moved: frozenset[str] = frozenset(),
    edited_paths: Iterable[str] = (),
    shared: dict[object, object] | None = None,
) -> tuple[SymbolTable, frozenset[str]] | None:
    """The world's table after an edit, and the names whose meaning it rebuilt.

    `changed` are the symbols the model says changed; `moved` those whose
    definitions only moved (defined in an edited file): their semantics
    (and the reverse dependencies they hold in their targets) are rebuilt
    for the new locations, but their meaning is the same, so they are not
    among the names returned (nothing to re-encode for them). The choices
    of the edited files are rebuilt too; a choice whose meaning changed, or
    a changed member whose meaning changed, returns None (the caller
    rebuilds: the formula's choice clauses are not re-encoded).

    `shared` is a memo of what a symbol's definitions alone decide, kept
    for the tables of every world updated after one edit (as
    `build_symbol_table`'s): the worlds share the parse of the edited file
    and the conditions its inclusion inherits, so Linux's 21 worlds derive
    most of the edited file's symbols once, not 21 times.
    """
    choices = _moved_choices(table, model, edited_paths)
    if choices is None:
        return None
    # Symbols the model calls changed whose meaning is the same (choice members whose choice
    # moved, targets of a moved select) are not returned, nor the targets of their selects
    # (whose meaning is then the same too): nothing to re-encode, nothing to re-ask.
    return _update(table, model, changed, moved, choices, shared)


def _update(
    table: SymbolTable,
    model: KconfigModel,
    changed: frozenset[str],
    moved: frozenset[str],
    choices: tuple[dict[str, ChoiceSemantics], dict[str, str]],
    shared: dict[object, object] | None = None,
) -> tuple[SymbolTable, frozenset[str]] | None:
    new_choices, member_choice = choices
    rebuilt: set[str] = set(changed)
    refreshed: set[str] = (set(moved) | set(member_choice)) - rebuilt
    for name in list(refreshed):
        before = table.get(name)
        if before is not None:
            refreshed.update(reverse.target for reverse in (*before.selects, *before.implies))
    new_definitions: dict[str, list[SymbolDefinition]] = {}
    for name in changed:
        definitions = world_definitions(model, name)
        new_definitions[name] = definitions
        before = table.get(name)
        if before is not None:
            rebuilt.update(reverse.target for reverse in (*before.selects, *before.implies))
        for definition in definitions:
            rebuilt.update(reverse.target for reverse in (*definition.selects, *definition.implies))
    refreshed -= rebuilt
    needed: dict[str, list[SymbolDefinition]] = {}
    for name in rebuilt | refreshed:
        before = table.get(name)
        selectors = (
            {reverse.selector for reverse in (*before.selected_by, *before.implied_by)} if before else set()
        )
        for selector in (name, *sorted(selectors - changed)):
            if selector not in needed:
                known = new_definitions.get(selector)
                needed[selector] = known if known is not None else world_definitions(model, selector)
    for name, definitions in new_definitions.items():
        needed[name] = definitions
    partial = _table_from_definitions(
        table.world,
        {name: definitions for name, definitions in needed.items() if definitions},
        (),
        None,
        shared,
    )
    symbols = dict(table.symbols)
    for name in rebuilt | refreshed:
        semantics = partial.symbols.get(name)
        before = table.get(name)
        if semantics is None:
            if before is not None and before.choice is not None:
                return None
            if before is None:
                rebuilt.discard(name)  # a select of a symbol defined nowhere, before and after
            symbols.pop(name, None)
            continue
        choice = member_choice.get(name)
        if choice is None and before is not None and before.choice is not None:
            if before.choice not in new_choices:
                return None
            choice = before.choice
        if choice is not None or any(d.choice is not None for d in semantics.definitions):
            if choice is None or before is None or before.choice is None:
                return None  # a symbol entering or leaving a choice
            semantics = replace(semantics, choice=choice)
            if name in rebuilt:
                if _meaning(semantics) != _meaning(before):
                    return None
                rebuilt.discard(name)  # only moved (the choice's key is its place)
        elif name in rebuilt and before is not None and _meaning(semantics) == _meaning(before):
            # The model calls it changed (a select of it moved, say), but the formula reads the same.
            rebuilt.discard(name)
        symbols[name] = semantics
    return (
        SymbolTable(table.world, symbols, new_choices, table.modules_symbol, table.undefined_references),
        frozenset(rebuilt),
    )


def _moved_choices(
    table: SymbolTable, model: KconfigModel, paths: Iterable[str]
) -> tuple[dict[str, ChoiceSemantics], dict[str, str]] | None:
    """The table's choices with those of the edited files rebuilt (None: one changed its meaning)."""
    paths = set(paths)
    choices = dict(table.choices)
    member_choice: dict[str, str] = {}
    for path in paths:
        old = [choice for key, choice in table.choices.items() if choice.location.path == path]
        sites = [site for site in model.choices_by_file.get(path, ()) if site.inclusion.reached]
        if len(old) != len(sites):
            return None
        if not sites:
            continue
        definitions = {
            name: world_definitions(model, name) for name in {m for choice in old for m in choice.members}
        }
        for definition in model.definitions_by_file.get(path, ()):
            definitions.setdefault(definition.name, world_definitions(model, definition.name))
        for before, site in zip(old, sites, strict=True):
            key = _choice_key(site.inclusion, site.entry.span)
            members = _choice_members(site, definitions)
            after = _choice_semantics(key, site, members, definitions)
            if _choice_meaning(after) != _choice_meaning(before):
                return None
            del choices[before.key]
            choices[key] = after
            for member in members:
                member_choice[member] = key
    return choices, member_choice


def _choice_meaning(choice: ChoiceSemantics) -> object:
    return (
        choice.name,
        choice.type,
        tuple((p.text, p.condition, p.visibility) for p in choice.prompts),
        choice.direct_dependency,
        tuple((d.value, d.own_condition, d.condition) for d in choice.defaults),
        choice.members,
        choice.optional,
    )


def _meaning(semantics: SymbolSemantics) -> object:
    """What the formula reads of a symbol (everything but places)."""

    def reverses(items: Iterable[ReverseDependencySemantics]) -> object:
        return sorted((r.selector, r.target, repr(r.condition)) for r in items)

    return (
        semantics.type,
        semantics.direct_dependency,
        tuple((p.text, p.condition, p.visibility) for p in semantics.prompts),
        tuple((d.value, d.own_condition, d.condition) for d in semantics.defaults),
        reverses(semantics.selects),
        reverses(semantics.implies),
        reverses(semantics.selected_by),
        reverses(semantics.implied_by),
        tuple((r.low, r.high, r.condition) for r in semantics.ranges),
        semantics.is_modules_symbol,
        semantics.transitional,
    )
