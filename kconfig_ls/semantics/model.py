"""The Kconfig model: every file's contribution, linked into one set of tables.

Linking walks the `source` graph from the root Kconfig, carrying what the C
tools carry: the conditions of enclosing `if`/`menu`/`choice` blocks (across
files), `visible if`, the menu path and the macro environment. Kconfig files
that no `source` reaches (other architectures' `arch/*/Kconfig`, say) are
linked too, as roots of their own, and marked `reached=False`, so that their
symbols are known ("defined for other architectures") without pretending
they belong to the configured one.

The model is immutable once loaded: readers (whole-tree checks, hovers, the
CLI) share it without locks. An edit goes through `apply_change`, which
returns a *new* model and the set of symbols whose meaning changed; the old
model stays valid for whoever still reads it. Each file's contribution
(`kconfig_ls.semantics.linking.FileContribution`) is a pure function of its
parse and its inclusion context, so:

- an edit that keeps the file's linking signature (its `source` statements,
  macro assignments and the blocks around them) re-derives that file alone,
  with the macro environment it was read in;
- a structural edit re-links only the subtree below the edited file (all of
  it when the file's macro assignments leave a different environment behind),
  and there, a file sourced in the same macro environment as before is not
  walked again: kept when its context is unchanged, rebased onto its new
  context otherwise (`kconfig_ls.semantics.rebasing`);
- the tables are rebuilt by copy-on-write for the names the edit touched, in
  the order a fresh load gives them (order keys, `definitions.OrderKey`).

Invariant: nothing here reads `os.environ` or runs a command; settings come
from `WorkspaceSettings` and commands run only when `trust_commands` is set.
Files are read through the reader given to the model (the file overlay).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final, Literal, TypeVar

from kconfig_ls.semantics.changes import RelinkWidth, differences, wider_relink
from kconfig_ls.semantics.definitions import (
    ChoiceSite,
    FileProblem,
    Inclusion,
    InheritedCondition,
    Location,
    OrderKey,
    SymbolDefinition,
    SymbolReference,
    WorkspaceSettings,
    dependency_expression,
)
from kconfig_ls.semantics.discovery import (
    ForkedDiscovery,
    RealPaths,
    discover_kconfig_files,
    frozen_after,
    paused_garbage_collection,
)
from kconfig_ls.semantics.edit_signatures import (
    linking_signature,
    source_block_condition_spans,
    source_statement_spans,
    sources_inside_a_choice,
    statement_span_map,
)
from kconfig_ls.semantics.kconfig_files import read_kconfig_file, with_generated_files, without_excluded
from kconfig_ls.semantics.linking import FileContribution, Linker
from kconfig_ls.semantics.model_reading import MAX_FILE_SIZE, FileReader, KconfigFileReading
from kconfig_ls.semantics.rebasing import SharedRelinks, SubtreeReuse
from kconfig_ls.semantics.tables import (
    Selection,
    definition_key,
    definition_order,
    patched,
    reference_key,
    reference_order,
    selection_key,
    selection_order,
    set_or_drop,
    spliced,
    swapped_in_place,
)
from kconfig_ls.syntax.kconfig import KconfigFile, Span

__all__ = [
    "MAX_FILE_SIZE",
    "ChoiceSite",
    "FileProblem",
    "FileReader",
    "Inclusion",
    "InheritedCondition",
    "KconfigModel",
    "Location",
    "ModelUpdate",
    "SymbolDefinition",
    "SymbolReference",
    "WorkspaceSettings",
    "dependency_expression",
    "discover_kconfig_files",
    "paused_garbage_collection",
]

_LOG = logging.getLogger(__name__)
_REACHED_ROOT: Final = (0,)
# Up to this many replaced contributions, table runs are spliced in place; more
# (a re-linked subtree) and the touched names' lists are rebuilt whole.
_SPLICE_AT_MOST: Final = 8
_UNREACHED_ROOT: Final = 1

Entry = TypeVar("Entry")


@dataclass(frozen=True)
class ModelUpdate:
    """The result of `apply_change`: the new model and what the change touched.

    `changed_symbols` are the names whose meaning changed (a definition added,
    removed or different in anything but its spans and help, and the targets
    of selects and implies that changed); `changed_names` those of them that
    appeared, disappeared or changed between reached and unreached (what the
    code-side rules depend on); `changed_references` the names whose uses
    changed; `changed_files` the files whose contributions were replaced.
    `relink` says how much was re-derived: `file`, `subtree` or `full`.
    """

    model: KconfigModel
    changed_symbols: frozenset[str]
    changed_references: frozenset[str]
    changed_files: frozenset[str]
    relink: RelinkWidth
    changed_names: frozenset[str] = frozenset()


class KconfigModel(KconfigFileReading):
    """The linked model of a Kconfig tree (see the module docstring).

    Build one with `load()`; after that it is never mutated: `apply_change`
    and `apply_disk_changes` return new models. Queries read the public
    tables (`definitions`, `selected_by`, `implied_by`, `references`,
    `inclusions`, `choices_by_file`, `file_problems`).
    """

    def __init__(
        self,
        settings: WorkspaceSettings,
        read_file: FileReader = read_kconfig_file,
        parse_cache: dict[str, tuple[bytes, KconfigFile]] | None = None,
    ) -> None:
        """`parse_cache` (path -> bytes and parse) lets several models share parses:
        the worlds of one tree (one per architecture) parse each file once."""
        self.settings = settings
        self.root = os.path.abspath(settings.root)
        self.root_path = self.absolute(settings.root_kconfig)
        # The build's generated files come first, whatever reader is given (never written to disk).
        self._read_file = with_generated_files(read_file, settings.generated_files)
        self._parse_cache = parse_cache
        self._real_paths = RealPaths()
        self._real_roots = tuple(
            os.path.realpath(root)
            for root in (self.root, *(os.path.abspath(r) for r in settings.extra_roots))
        )
        self._real_root_folders = tuple(root.rstrip(os.sep) + os.sep for root in self._real_roots)
        self.files: dict[str, KconfigFile] = {}
        self.texts: dict[str, bytes] = {}
        self.read_problems: dict[str, list[FileProblem]] = {}
        self.contributions: dict[OrderKey, FileContribution] = {}
        self.file_problems: dict[str, list[FileProblem]] = {}
        self.inclusions: dict[str, list[Inclusion]] = {}
        self.definitions: dict[str, list[SymbolDefinition]] = {}
        self.definitions_by_file: dict[str, list[SymbolDefinition]] = {}
        self.choices_by_file: dict[str, list[ChoiceSite]] = {}
        self.selected_by: dict[str, list[Selection]] = {}
        self.implied_by: dict[str, list[Selection]] = {}
        self.references: dict[str, list[SymbolReference]] = {}
        self.unreached_candidates: tuple[str, ...] = ()
        self.searched_folders: list[str] = []
        self.generation = 0

    # -- paths -------------------------------------------------------------------

    def absolute(self, path: str) -> str:
        return os.path.normpath(os.path.join(self.root, path))

    def relative(self, path: str) -> str:
        """Path for display: relative to the workspace root when inside it."""
        relative = os.path.relpath(path, self.root)
        return path if relative.startswith("..") else relative

    def inside_workspace(self, path: str) -> bool:
        """Whether a path, with symbolic links resolved, lies under a workspace root.

        Real paths are compared, so a link inside the tree to `/etc` (or to a
        secret in the home folder) counts as outside and is not read.
        """
        real = self._real_paths(path)
        return real in self._real_roots or real.startswith(self._real_root_folders)

    # -- loading -----------------------------------------------------------------

    def load(self, extra_files: Iterable[str] | None = None) -> None:
        """Parse and link the whole tree (the root, and unreached files)."""
        self._real_paths = RealPaths()
        with paused_garbage_collection():
            # Finding the files no `source` reaches means walking the whole
            # tree (0.13 s on Linux). In a single-threaded process (the CLI) a
            # forked child walks while this process parses; a thread would not
            # help (measured: GIL hand-offs cost more than the walk). In a
            # threaded process (the server) forking is unsafe: walk first.
            names = frozenset({os.path.basename(self.root_path)})
            walker = ForkedDiscovery.start(self.root, names) if self.settings.index_unreached else None
            self.searched_folders = []
            discovered: list[str] = []
            if self.settings.index_unreached and walker is None:
                discovered = discover_kconfig_files(self.root, self.searched_folders, names)
            reached = self._link_reached()
            if walker is not None:
                discovered, self.searched_folders = walker.result()
            # Discovered files are followed only inside the workspace, by real
            # path: `Kconfig.x -> ~/.git-credentials` is not read.
            candidates = [
                os.path.normpath(path)
                for path in without_excluded(discovered, self.root, self.settings.kconfig_exclude)
                if self._wanted(path) and self.inside_workspace(path)
            ]
            candidates += [
                os.path.normpath(path)
                for path in extra_files or ()
                if os.path.normpath(path) != self.root_path
            ]
            self.unreached_candidates = tuple(dict.fromkeys(candidates))
            unreached = self._link_unreached(reached.reached_paths)
            self._build_tables([reached, unreached])

    def load_open_documents(self, paths: Iterable[str]) -> None:
        """Link only the root and the given files (the open documents), reading nothing else."""
        with paused_garbage_collection(freeze=False):
            reached = self._link_reached()
            self.unreached_candidates = tuple(
                dict.fromkeys(os.path.normpath(p) for p in paths if os.path.normpath(p) != self.root_path)
            )
            unreached = self._link_unreached(reached.reached_paths, reached.inclusion_count)
            self._build_tables([reached, unreached])

    def file(self, path: str) -> KconfigFile | None:
        """The parse of a file of the model (None when the model has not read it)."""
        return self.files.get(path)

    # -- changes -----------------------------------------------------------------

    def apply_change(
        self, path: str, data: bytes, read_file: FileReader | None = None, shared: SharedRelinks | None = None
    ) -> ModelUpdate:
        """A new model with one file's contents replaced (an editor buffer, say).

        `read_file` reads any other file a re-link needs (default: the model's reader);
        `shared` lets several worlds' models share one relink (`rebasing.SharedRelinks`).
        """
        path = os.path.normpath(path)
        reader = read_file or self._read_file
        model = self._derived(reader)
        with paused_garbage_collection(freeze=False):
            old_parse = self.files.get(path)
            old_text = self.texts.get(path)
            previous = None
            if old_parse is not None and old_text is not None and path not in self.read_problems:
                previous = (old_parse, old_text)  # the parse of exactly these bytes (not a placeholder)
            new_parse = model._parse(path, data, previous)
            model.files[path] = new_parse
            keys = [inclusion.key for inclusion in self.inclusions.get(path, ())]
            if not keys:
                if path not in self.unreached_candidates and path != self.root_path:
                    model.unreached_candidates = (*self.unreached_candidates, path)
                if path in model.unreached_candidates or path == self.root_path:
                    return frozen_after(model._relink_everything(self, "full"))
                return ModelUpdate(model, frozenset(), frozenset(), frozenset({path}), "none")
            if (
                old_parse is not None
                and linking_signature(old_parse) == linking_signature(new_parse)
                and not sources_inside_a_choice(new_parse)
                and source_block_condition_spans(old_parse) == source_block_condition_spans(new_parse)
            ):
                moved = statement_span_map(old_parse, new_parse)
                linker = model._linker(set())
                for key in keys:
                    if shared is not None:
                        shared.relink(linker, self.contributions[key], old_parse, new_parse, moved)
                    else:
                        linker.relink_file(self.contributions[key], new_parse, moved)
                return model._replace_contributions(self, set(keys), linker, "file")
            return frozen_after(model._relink_subtrees(self, keys))

    def apply_disk_changes(self, paths: Iterable[str], read_file: FileReader | None = None) -> ModelUpdate:
        """A new model after files changed, appeared or disappeared on disk.

        Changed contents of files in the tree are applied as edits; a file that
        appeared or disappeared (a branch switch) re-links the whole tree once.
        """
        reader = read_file or self._read_file
        model: KconfigModel = self
        changed: set[str] = set()
        symbols: set[str] = set()
        references: set[str] = set()
        names: set[str] = set()
        relink: RelinkWidth = "none"
        for path in dict.fromkeys(os.path.normpath(p) for p in paths):
            try:
                data = reader(path)
            except OSError:
                data = None
            known = path in model.files or path in model.read_problems
            if data is None or not known:
                if known or self._wanted(path):
                    fresh = model._derived(reader)
                    if data is None:
                        fresh.files.pop(path, None)
                        fresh.texts.pop(path, None)
                        fresh.read_problems.pop(path, None)
                        fresh.unreached_candidates = tuple(p for p in fresh.unreached_candidates if p != path)
                    elif path not in fresh.unreached_candidates and self._wanted(path):
                        fresh.unreached_candidates = (*fresh.unreached_candidates, path)
                    update = fresh._relink_everything(model, "full")
                else:
                    continue
            elif model.texts.get(path) == data:
                continue
            else:
                update = model.apply_change(path, data, reader)
            model = update.model
            changed |= update.changed_files
            symbols |= update.changed_symbols
            references |= update.changed_references
            names |= update.changed_names
            relink = wider_relink(relink, update.relink)
        return ModelUpdate(
            model, frozenset(symbols), frozenset(references), frozenset(changed), relink, frozenset(names)
        )

    # -- queries -----------------------------------------------------------------

    def symbol_names(self) -> Iterable[str]:
        return self.definitions.keys()

    def depended_on_by(self, name: str) -> list[SymbolReference]:
        """Uses of `name` in `depends on` lines and enclosing `if` blocks."""
        return [r for r in self.references.get(name, ()) if r.kind in ("depends on", "if", "visible if")]

    def reached_definitions(self, name: str) -> list[SymbolDefinition]:
        return [d for d in self.definitions.get(name, ()) if d.reached]

    def source_location(self, inclusion: Inclusion) -> Location | None:
        """Where the `source` statement that led to an inclusion is, in its file's current text."""
        if inclusion.source_path is None:
            return None
        parsed = self.files.get(inclusion.source_path)
        statements = source_statement_spans(parsed) if parsed is not None else []
        if inclusion.source_ordinal >= len(statements):
            return None
        return Location(inclusion.source_path, statements[inclusion.source_ordinal])

    def source_chain(self, inclusion: Inclusion) -> list[Location]:
        """The `source` statements that led to an inclusion, outermost first."""
        chain: list[Location] = []
        current: Inclusion | None = inclusion
        while current is not None and current.source_path is not None:
            location = self.source_location(current)
            if location is not None:
                chain.append(location)
            current = current.parent
        chain.reverse()
        return chain

    # -- implementation: linking ------------------------------------------------------

    def _wanted(self, path: str) -> bool:
        """Whether a discovered or opened file is indexed as an unreached root."""
        return self.settings.index_unreached and os.path.normpath(path) != self.root_path

    def _linker(self, reached_paths: set[str], inclusion_count: int = 0) -> Linker:
        return Linker(
            self.settings,
            self.root,
            self._parse_path,
            lambda path: bool(self.read_problems.get(path)),
            self.inside_workspace,
            self.relative,
            reached_paths,
            inclusion_count,
            self._real_paths,
        )

    def _link_reached(self) -> Linker:
        linker = self._linker(set())
        if self._parse_path(self.root_path) is None:
            return linker
        root = Inclusion(self.root_path, None, None, 0, (), (), (), True, 0, _REACHED_ROOT)
        linker.link(root, linker.new_environment(), (self._real_paths(self.root_path),))
        return linker

    def _link_unreached(self, reached_paths: set[str], inclusion_count: int = 0) -> Linker:
        """Link the Kconfig files no `source` reaches, each as its own root, untrusted."""
        linker = self._linker(reached_paths, inclusion_count)
        linked: set[str] = set(reached_paths)
        for index, path in enumerate(self.unreached_candidates):
            if path in linked:
                continue
            if self._parse_path(path) is None:
                continue
            before = len(linker.contributions)
            inclusion = Inclusion(path, None, None, 0, (), (), (), False, 0, (_UNREACHED_ROOT, index))
            linker.link(inclusion, linker.new_environment(trusted=False), (self._real_paths(path),))
            linked.update(c.path for c in list(linker.contributions.values())[before:])
        return linker

    def _relink_everything(self, old: KconfigModel, relink: Literal["full"]) -> ModelUpdate:
        """Re-link the whole tree (parses are reused); compare with `old` for the change sets."""
        with paused_garbage_collection(freeze=False):
            reached = self._link_reached()
            unreached = self._link_unreached(reached.reached_paths, reached.inclusion_count)
            self.contributions = {}
            self._build_tables([reached, unreached])
        symbols, references, names = differences(
            old.contributions,
            old.definitions,
            self.contributions,
            self.definitions,
            set(old.contributions),
            set(self.contributions),
        )
        files = {c.path for c in old.contributions.values()} ^ {c.path for c in self.contributions.values()}
        files |= {p for p, text in self.texts.items() if old.texts.get(p) != text}
        return ModelUpdate(
            self, frozenset(symbols), frozenset(references), frozenset(files), relink, frozenset(names)
        )

    def _relink_subtrees(self, old: KconfigModel, keys: list[OrderKey]) -> ModelUpdate:
        """Re-link the subtree below each inclusion of an edited file (see the module docstring)."""
        removed: set[OrderKey] = set()
        reached_before = {p for p, inclusions in old.inclusions.items() if any(i.reached for i in inclusions)}
        linker = self._linker(set(), len(old.contributions))
        # Files below whose context changed only (an `if` around `source` lines) are rebased, not re-linked.
        reuse = linker.reuse = SubtreeReuse(old.contributions, frozenset(keys))
        for key in keys:
            if any(key[: len(other)] == other for other in keys if other != key):
                continue  # inside another edited inclusion's subtree: re-linked with it
            subtree = {k for k in old.contributions if k[: len(key)] == key}
            removed |= subtree
            contribution = old.contributions[key]
            inclusion = contribution.inclusion
            linker.reached_paths = {
                old.contributions[k].path
                for k in old.contributions
                if k not in subtree and old.contributions[k].inclusion.reached
            }
            environment = linker.restored_environment(contribution.entry_variables, inclusion.reached)
            linker.link(inclusion, environment, _chain_of(inclusion, self._real_paths))
            new_exit = linker.contributions.get(key)
            if new_exit is None or new_exit.exit_variables != contribution.exit_variables:
                return self._relink_everything(old, "full")  # what follows sees other macros
        removed -= reuse.kept
        reached_after = (reached_before - {old.contributions[k].path for k in removed}) | {
            c.path for c in linker.contributions.values() if c.inclusion.reached
        }
        if reached_after != reached_before:
            # Files entered or left the configured tree: the unreached roots move.
            return self._relink_everything(old, "full")
        linked_before = {c.path for c in old.contributions.values()}
        linked_after = {old.contributions[k].path for k in old.contributions if k not in removed} | {
            c.path for c in linker.contributions.values()
        }
        if linked_after != linked_before:
            # An unreached file no longer sourced by the edited one (or newly sourced by it)
            # becomes (or stops being) an unreached root of its own: only a full relink says which.
            return self._relink_everything(old, "full")
        return self._replace_contributions(old, removed, linker, "subtree", reuse)

    def _replace_contributions(
        self,
        old: KconfigModel,
        removed: set[OrderKey],
        linker: Linker,
        relink: Literal["file", "subtree"],
        reuse: SubtreeReuse | None = None,
    ) -> ModelUpdate:
        """Copy-on-write update of the tables: drop `removed` contributions, add the linker's."""
        added = linker.contributions
        if removed == added.keys():
            # The same inclusions re-derived (a one-file relink): replaced in place, still in order.
            self.contributions = {**old.contributions, **added}
        else:
            contributions = {k: v for k, v in old.contributions.items() if k not in removed}
            contributions.update(added)
            self.contributions = dict(sorted(contributions.items()))
        old_items = [old.contributions[k] for k in removed]
        new_items = list(added.values())
        touched_paths = {c.path for c in old_items} | {c.path for c in new_items}
        self._rebuild_for(old, removed | set(added), old_items, new_items, touched_paths, reuse)
        symbols, references, names = differences(
            old.contributions, old.definitions, self.contributions, self.definitions, removed, added, reuse
        )
        return ModelUpdate(
            self,
            frozenset(symbols),
            frozenset(references),
            frozenset(touched_paths),
            relink,
            frozenset(names),
        )

    def _rebuild_for(
        self,
        old: KconfigModel,
        keys: set[OrderKey],
        old_items: list[FileContribution],
        new_items: list[FileContribution],
        paths: set[str],
        reuse: SubtreeReuse | None = None,
    ) -> None:
        """Recompute the table entries of the names and files the replaced contributions touch."""
        old_tables = (old.definitions, old.references, old.selected_by, old.implied_by)
        if reuse is not None and reuse.rebased:
            # Rebased entries sit where their originals sat: swap them in place, then
            # rebuild the names of the contributions linked afresh as usual.
            rebased = [c for c in new_items if c.key in reuse.rebased]
            old_tables = swapped_in_place(old_tables, rebased, reuse.replacements)
            keys = keys - reuse.rebased
            old_items = [c for c in old_items if c.key not in reuse.rebased]
            new_items = [c for c in new_items if c.key not in reuse.rebased]
        old_definitions, old_references, old_selected_by, old_implied_by = old_tables

        def keep(key: OrderKey) -> bool:
            return key not in keys

        names = {d.name for c in (*old_items, *new_items) for d in c.definitions}
        targets = {
            r.target
            for c in (*old_items, *new_items)
            for d in c.definitions
            for r in (*d.selects, *d.implies)
        }
        referenced = {r.name for c in (*old_items, *new_items) for r in c.references}
        new_definitions: dict[str, list[SymbolDefinition]] = {}
        new_references: dict[str, list[SymbolReference]] = {}
        new_selected: dict[str, list[Selection]] = {}
        new_implied: dict[str, list[Selection]] = {}
        for contribution in new_items:
            for definition in contribution.definitions:
                new_definitions.setdefault(definition.name, []).append(definition)
                for select in definition.selects:
                    new_selected.setdefault(select.target, []).append((definition, select))
                for imply in definition.implies:
                    new_implied.setdefault(imply.target, []).append((definition, imply))
            for reference in contribution.references:
                new_references.setdefault(reference.name, []).append(reference)

        few = len(keys) <= _SPLICE_AT_MOST

        def rebuild(
            new_by_name: dict[str, list[Entry]],
            key_of: Callable[[Entry], OrderKey],
            order: Callable[[Entry], OrderKey],
        ) -> Callable[[str, list[Entry]], list[Entry]]:
            def rebuilt(name: str, entries: list[Entry]) -> list[Entry]:
                added = new_by_name.get(name, [])
                if few:
                    return spliced(entries, keys, added, key_of, order)
                return sorted([e for e in entries if keep(key_of(e))] + added, key=order)

            return rebuilt

        self.definitions = patched(
            old_definitions, names, rebuild(new_definitions, definition_key, definition_order)
        )
        self.references = patched(
            old_references, referenced, rebuild(new_references, reference_key, reference_order)
        )
        self.selected_by = patched(
            old_selected_by, targets, rebuild(new_selected, selection_key, selection_order)
        )
        self.implied_by = patched(
            old_implied_by, targets, rebuild(new_implied, selection_key, selection_order)
        )
        # The contributions of each touched file, in reading order: those it had and those added.
        by_path: dict[str, list[FileContribution]] = {}
        for path in paths:
            candidates = {inclusion.key for inclusion in old.inclusions.get(path, ())}
            candidates.update(c.key for c in new_items if c.path == path)
            for key in sorted(candidates):
                found = self.contributions.get(key)
                if found is not None and found.path == path:
                    by_path.setdefault(path, []).append(found)
        self.inclusions = dict(old.inclusions)
        self.definitions_by_file = dict(old.definitions_by_file)
        self.choices_by_file = dict(old.choices_by_file)
        self.file_problems = dict(old.file_problems)
        for path in paths:
            contributions = by_path.get(path, [])
            set_or_drop(self.inclusions, path, [c.inclusion for c in contributions])
            set_or_drop(self.definitions_by_file, path, [d for c in contributions for d in c.definitions])
            set_or_drop(self.choices_by_file, path, [s for c in contributions for s in c.choices])
            self._set_file_problems(path, contributions)

    # -- implementation: tables ---------------------------------------------------------

    def _build_tables(self, linkers: list[Linker]) -> None:
        """The tables of a full load, from the linkers' reading-order lists."""
        self.generation += 1
        contributions: dict[OrderKey, FileContribution] = {}
        for linker in linkers:
            contributions.update(linker.contributions)
        self.contributions = dict(sorted(contributions.items()))
        definitions: dict[str, list[SymbolDefinition]] = {}
        definitions_by_file: dict[str, list[SymbolDefinition]] = {}
        selected_by: dict[str, list[Selection]] = {}
        implied_by: dict[str, list[Selection]] = {}
        references: dict[str, list[SymbolReference]] = {}
        for linker in linkers:
            for definition in linker.ordered_definitions:
                definitions.setdefault(definition.name, []).append(definition)
                for select in definition.selects:
                    selected_by.setdefault(select.target, []).append((definition, select))
                for imply in definition.implies:
                    implied_by.setdefault(imply.target, []).append((definition, imply))
            for reference in linker.ordered_references:
                references.setdefault(reference.name, []).append(reference)
        inclusions: dict[str, list[Inclusion]] = {}
        choices_by_file: dict[str, list[ChoiceSite]] = {}
        by_path: dict[str, list[FileContribution]] = {}
        for contribution in self.contributions.values():
            path = contribution.path
            by_path.setdefault(path, []).append(contribution)
            inclusions.setdefault(path, []).append(contribution.inclusion)
            if contribution.definitions:
                definitions_by_file.setdefault(path, []).extend(contribution.definitions)
            if contribution.choices:
                choices_by_file.setdefault(path, []).extend(contribution.choices)
        self.definitions = definitions
        self.definitions_by_file = definitions_by_file
        self.selected_by = selected_by
        self.implied_by = implied_by
        self.references = references
        self.inclusions = inclusions
        self.choices_by_file = choices_by_file
        self.file_problems = {}
        for path in {*by_path, *self.read_problems}:
            self._set_file_problems(path, by_path.get(path, []))
        if self.root_path not in self.files and not self.read_problems.get(self.root_path):
            self.file_problems.setdefault(self.root_path, []).append(
                FileProblem(
                    "source",
                    f"root Kconfig '{self.relative(self.root_path)}' not found",
                    Location(self.root_path, Span(0, 0)),
                )
            )

    def _set_file_problems(self, path: str, contributions: list[FileContribution]) -> None:
        problems = [*self.read_problems.get(path, ()), *(p for c in contributions for p in c.problems)]
        set_or_drop(self.file_problems, path, problems)

    def _derived(self, reader: FileReader) -> KconfigModel:
        """A shallow copy sharing every table, to be patched copy-on-write."""
        model = KconfigModel.__new__(KconfigModel)
        model.__dict__.update(self.__dict__)
        model._read_file = with_generated_files(reader, self.settings.generated_files)
        model._real_paths = RealPaths()
        model.files = dict(self.files)
        model.texts = dict(self.texts)
        model.read_problems = dict(self.read_problems)
        model.generation = self.generation + 1
        return model


# -- helpers ----------------------------------------------------------------------------------


def _chain_of(inclusion: Inclusion, real_path: Callable[[str], str]) -> tuple[str, ...]:
    """The files from the root down to this inclusion (for cycle detection)."""
    chain: list[str] = []
    current: Inclusion | None = inclusion
    while current is not None:
        chain.append(real_path(current.path))
        current = current.parent
    return tuple(reversed(chain))
