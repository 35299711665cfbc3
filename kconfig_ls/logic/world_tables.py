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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from kconfig_ls.analysis.cancellation import Cancelled
from kconfig_ls.semantics.definitions import SymbolDefinition
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.symbols import (
    DEFAULT_WORLD,
    SymbolTable,
    _table_from_definitions,
    build_symbol_table,
    world_definitions,
)
from kconfig_ls.semantics.worlds import architecture_worlds, world_settings
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
        return {world: build_symbol_table(model, world) for world, model in self.models.items()}

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
            for world, world_model in self.models.items():
                if path not in world_model.texts:
                    continue
                update = world_model.apply_change(path, text, reader)
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


def moved_symbols(model: KconfigModel, paths: Iterable[str]) -> frozenset[str]:
    """The symbols defined in these files (their locations move with an edit of them)."""
    names: set[str] = set()
    for path in paths:
        names.update(definition.name for definition in model.definitions_by_file.get(path, ()))
    return frozenset(names)


def update_table(
    table: SymbolTable, model: KconfigModel, changed: frozenset[str], moved: frozenset[str] = frozenset()
) -> tuple[SymbolTable, frozenset[str]] | None:
    """The world's table after an edit, and the names whose meaning it rebuilt.

    `changed` are the symbols whose meaning changed; `moved` those whose
    definitions only moved (defined in an edited file): their semantics
    (and the reverse dependencies they hold in their targets) are rebuilt
    for the new locations, but their meaning is the same, so they are not
    among the names returned (nothing to re-encode for them).
    """
    rebuilt: set[str] = set(changed)
    refreshed: set[str] = set(moved) - rebuilt
    for name in list(refreshed):
        before = table.get(name)
        if before is not None:
            refreshed.update(reverse.target for reverse in (*before.selects, *before.implies))
    refreshed -= rebuilt
    new_definitions: dict[str, list[SymbolDefinition]] = {}
    for name in changed:
        definitions = world_definitions(model, name)
        if any(definition.choice is not None for definition in definitions):
            return None
        new_definitions[name] = definitions
        before = table.get(name)
        if before is not None:
            rebuilt.update(reverse.target for reverse in (*before.selects, *before.implies))
        for definition in definitions:
            rebuilt.update(reverse.target for reverse in (*definition.selects, *definition.implies))
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
        table.world, {name: definitions for name, definitions in needed.items() if definitions}, ()
    )
    symbols = dict(table.symbols)
    for name in rebuilt | refreshed:
        semantics = partial.symbols.get(name)
        if semantics is None:
            symbols.pop(name, None)
            continue
        before = table.get(name)
        if before is not None and before.choice is not None:
            return None
        symbols[name] = semantics
    return SymbolTable(
        table.world, symbols, table.choices, table.modules_symbol, table.undefined_references
    ), frozenset(rebuilt)
