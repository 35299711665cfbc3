"""`AnalysisHost`: takes changes, hands out immutable `Analysis` snapshots.

rust-analyzer's split: the host is the only thing that changes; every
reader works on a snapshot (`kconfig_ls.analysis.snapshot.Analysis`).

- Changes (`set_document`, `close_document`, `files_changed_on_disk`,
  `configure`) are cheap to submit: they update the file overlay, number
  the change, cancel the long queries still running on older snapshots,
  and queue the model work. They never block on analysis, so the server
  submits them on its event loop.
- `snapshot(sequence)` brings the model up to exactly that change (the
  caller's thread does the work; one writer at a time) and returns the
  snapshot of that version: a request is answered on the text it was made
  on (clangd's "reads see exactly the writes issued before them").
  Re-deriving an edited file is a few milliseconds; a structural edit
  re-links only the subtree below the file.
- `load()` builds a new model of the whole tree (seconds on Linux) without
  holding anything; until it ends, snapshots hold a provisional model of the
  open documents alone, marked as such. The code index comes after the
  Kconfig model and is marked missing until then (`LoadState`).

Every change is logged with what it touched (`changes_between`), so the
whole-tree checks can reuse the findings that no change can affect.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Final

from kconfig_ls.analysis.active_configuration import SymbolTableCache
from kconfig_ls.analysis.cancellation import CancellationToken
from kconfig_ls.analysis.configuration_choice import (
    NO_CONFIGURATION,
    ConfigurationChoice,
    resolve_configuration,
)
from kconfig_ls.analysis.nested_projects import NestedModel, load_nested_models, nested_after_change
from kconfig_ls.analysis.snapshot import Analysis, CScanCache, LineIndexCache, LoadState
from kconfig_ls.checks.framework import Finding, RuleSettings
from kconfig_ls.ide.completion import CompletionResult
from kconfig_ls.ide.cursor import SymbolAtCursor
from kconfig_ls.ide.diagnostics import CodeAction
from kconfig_ls.ide.file_kinds import FileKind, file_kind
from kconfig_ls.ide.folding import FoldingRange
from kconfig_ls.ide.hover import Hover
from kconfig_ls.ide.links import DocumentLink
from kconfig_ls.ide.navigation import ReferenceSite
from kconfig_ls.ide.symbols import OutlineSymbol, WorkspaceSymbol
from kconfig_ls.semantics.code_index import CodeIndex, classify_code_file
from kconfig_ls.semantics.discovery import paused_garbage_collection
from kconfig_ls.semantics.model import KconfigModel, Location, ModelUpdate
from kconfig_ls.settings.analysis_settings import AnalysisSettings, ResolvedSettings, resolve_settings
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.line_index import LineIndex
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay, OverlayDocument

__all__ = ["AnalysisHost", "ChangeSummary", "LoadSummary", "ProgressCallback"]

_LOG = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int | None], None]
"""Called with a message and a percentage (or None) while loading."""

_PROGRESS_STEP_FILES: Final = 100
_KEPT_SNAPSHOTS: Final = 4
_KEPT_LOG: Final = 256


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What a load found, for a progress message or a log line."""

    files: int
    symbols: int
    seconds: float
    problems: tuple[str, ...]
    superseded: bool = False


@dataclass(frozen=True)
class ChangeSummary:
    """What a run of changes touched; `everything` when it cannot be told (a load, new settings)."""

    everything: bool = False
    kconfig_files: frozenset[str] = frozenset()
    code_files: frozenset[str] = frozenset()
    symbols: frozenset[str] = frozenset()
    references: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()

    def merged(self, other: ChangeSummary) -> ChangeSummary:
        if self.everything or other.everything:
            return ChangeSummary(everything=True)
        return ChangeSummary(
            False,
            self.kconfig_files | other.kconfig_files,
            self.code_files | other.code_files,
            self.symbols | other.symbols,
            self.references | other.references,
            self.names | other.names,
        )


@dataclass(slots=True)
class _Change:
    sequence: int
    kind: str  # "document", "close", "disk", "settings", "load"
    paths: tuple[str, ...] = ()
    overlay: FileOverlay = field(default_factory=FileOverlay)


class AnalysisHost:
    """The model of one project plus its open documents; see the module docstring."""

    def __init__(self, settings: AnalysisSettings) -> None:
        self._lock = threading.RLock()
        self._apply_lock = threading.Lock()
        self._settings = settings
        self._resolved = resolve_settings(settings)
        self._overlay = FileOverlay()
        self._language_ids: dict[str, str] = {}
        self._pending: list[_Change] = []
        self._sequence = 0
        self._load_sequence = 0
        self._loaded = False
        self._last_file_count = 0
        self._model = self._provisional_model(self._overlay)
        self._code_index: CodeIndex | None = None
        self._nested: tuple[NestedModel, ...] = ()  # sysbuild's model beside the main one
        self._token = CancellationToken()
        self._snapshots: OrderedDict[int, Analysis] = OrderedDict()
        self._overlays: OrderedDict[int, FileOverlay] = OrderedDict({0: self._overlay})
        self._log: OrderedDict[int, ChangeSummary] = OrderedDict()
        self._c_scans = CScanCache()
        self._line_indexes = LineIndexCache()
        self._symbol_tables = SymbolTableCache()
        self._configuration_choice: ConfigurationChoice = NO_CONFIGURATION
        self._index_arrivals: set[int] = set()

    # -- settings and loading ------------------------------------------------------------

    @property
    def settings(self) -> AnalysisSettings:
        return self._settings

    @property
    def settings_problems(self) -> list[str]:
        return list(self._resolved.problems)

    @property
    def loaded(self) -> bool:
        """Whether a full load has finished (before that, only open documents are known)."""
        return self._loaded

    @property
    def sequence(self) -> int:
        """The number of the latest change submitted."""
        with self._lock:
            return self._sequence

    @property
    def revision(self) -> int:
        return self.sequence

    def configure(self, settings: AnalysisSettings) -> list[str]:
        """Take new settings; returns problems with them. Call `load()` afterwards if `needs_reload`.

        Rule settings take effect at once; the rest with the next load.
        """
        resolved = resolve_settings(settings)
        with self._lock:
            self._settings = settings
            self._resolved = resolved
            self._submit("settings", ())
        return list(resolved.problems)

    def needs_reload(self, settings: AnalysisSettings) -> bool:
        """Whether new settings change how the tree is loaded (not the rules, not the configuration)."""

        def loading_part(of: AnalysisSettings) -> AnalysisSettings:
            return replace(
                of, rule_severities={}, rule_select=None, rule_ignore=frozenset(), config_file=None
            )

        return loading_part(self._settings) != loading_part(settings)

    # -- the active configuration -------------------------------------------------------------

    @property
    def configuration_choice(self) -> ConfigurationChoice:
        return self._configuration_choice

    def set_configuration(self, entries: Iterable[str]) -> ConfigurationChoice:
        """Choose the active configuration (files or build folders, relative to the project); none clears it.

        Cheap (resolving only stats files); the configuration is read and
        evaluated by the snapshots that ask for it. Returns the resolved choice.
        """
        # Relative to the project folder: a Zephyr application's `build` is its own, though its
        # model's root is the Zephyr tree.
        choice = resolve_configuration(tuple(entries), os.path.abspath(self._settings.project_root))
        with self._lock:
            self._configuration_choice = choice
            self._submit("configuration", ())
        return choice

    def load(
        self,
        progress: ProgressCallback | None = None,
        kconfig_ready: Callable[[], None] | None = None,
        code_index: CodeIndex | None = None,
    ) -> LoadSummary:
        """Build the model of the whole tree (and the code index), then swap them in.

        Runs without holding the host; snapshots meanwhile hold the previous
        model. A load that another `load()` supersedes is dropped. A
        `code_index` already built (the lint command builds it first, for its
        results cache) is used instead of building one.
        """
        started = time.perf_counter()
        with self._lock:
            self._load_sequence += 1
            load_sequence = self._load_sequence
            resolved = self._resolved
            settings = self._settings
            overlay = self._overlay
            open_kconfig = [path for path in overlay.open_paths() if self._kind_of(path) is FileKind.KCONFIG]
            estimate = self._last_file_count
        report = progress or (lambda message, percentage: None)
        index_code = settings.index_code
        kconfig_share = 50 if index_code else 100
        report("reading Kconfig files", 0)
        files_read = 0

        def read_and_report(path: str) -> bytes:
            # The model reads each file once, as it parses it: counting reads is
            # the progress. The previous load's file count gives a percentage.
            nonlocal files_read
            data = overlay.read(path)
            files_read += 1
            if files_read % _PROGRESS_STEP_FILES == 0:
                share = min(kconfig_share - 1, kconfig_share * files_read // estimate) if estimate else None
                report(f"read {files_read} Kconfig files", share)
            return data

        model = KconfigModel(resolved.workspace, read_file=read_and_report)
        model.load(extra_files=open_kconfig)
        with self._lock:
            if load_sequence != self._load_sequence:
                return LoadSummary(0, 0, time.perf_counter() - started, resolved.problems, superseded=True)
        model, seen = self._bring_up_to_date(model)
        nested = load_nested_models(model, overlay.read)
        # The apply lock before the host lock, always (as `snapshot` takes
        # them): the other order deadlocked a server under an hour's editing.
        with self._apply_lock, self._lock:
            if load_sequence != self._load_sequence:
                return LoadSummary(0, 0, time.perf_counter() - started, resolved.problems, superseded=True)
            # Changes the loaded model already reflects are done; later ones
            # are applied on top of it by the next snapshot.
            self._pending = [change for change in self._pending if change.sequence > seen]
            self._model = model
            self._nested = nested
            self._loaded = True
            self._last_file_count = len(model.files)
            self._submit("load", (), queue=False)
        summary = LoadSummary(
            len(model.files), len(model.definitions), time.perf_counter() - started, resolved.problems
        )
        report(f"{summary.symbols} symbols in {summary.files} files", kconfig_share)
        if kconfig_ready is not None:
            kconfig_ready()  # e.g. publish Kconfig diagnostics while the code is indexed
        if index_code:
            self._build_code_index(resolved, load_sequence, report, kconfig_share, code_index)
        return summary

    def _build_code_index(
        self,
        resolved: ResolvedSettings,
        load_sequence: int,
        report: ProgressCallback,
        start: int,
        built: CodeIndex | None = None,
    ) -> None:
        index = built or self.new_code_index()

        def progress(done: int, total: int) -> None:
            report(
                f"indexed {done} of {total} C, Makefile and config files",
                start + (100 - start - 1) * done // max(total, 1),
            )

        # Paused and then frozen, as the Kconfig load is: Linux's index is
        # ~900,000 objects, which every later full collection scanned (1-3 s
        # with the interpreter lock held: a stalled event loop).
        with paused_garbage_collection():
            if built is None:
                index.build(progress)
            # Build the derived tables now, outside the lock, rather than in the
            # first hover or find-references after the swap (0.4 s on Linux).
            _ = index.references, index.defined_in_code, index.built_objects("")
        with self._lock:
            if load_sequence != self._load_sequence:
                return
            overlay = self._overlay
        for path in overlay.open_paths():
            document = overlay.document(path)
            if document is not None and classify_code_file(path) is not None:
                index = index.with_file_contents(path, document.data)
        with self._apply_lock, self._lock:
            if load_sequence != self._load_sequence:
                return
            # Documents edited while the index was built: apply them again.
            for change in self._pending:
                for path in change.paths:
                    document = change.overlay.document(path)
                    if document is not None and classify_code_file(path) is not None:
                        index = index.with_file_contents(path, document.data)
            self._code_index = index
            self._submit("code-index", (), queue=False)
            # Every code file changed; no Kconfig file: the Kconfig rules' findings are reused.
            self._log[self._sequence] = ChangeSummary(code_files=frozenset(index.entries))
        report(f"indexed {index.file_count} code files", 100)

    def new_code_index(self) -> CodeIndex:
        """An empty code index configured as this host's settings say (call `build()` on it)."""
        settings, resolved = self._settings, self._resolved
        return CodeIndex(
            resolved.workspace.root,
            settings.cache_directory,
            settings.code_index_workers,
            resolved.code_exclude,
            ecosystem=resolved.code_ecosystem,
            extra_roots=resolved.code_roots,
        )

    @property
    def resolved_settings(self) -> ResolvedSettings:
        return self._resolved

    # -- changes ----------------------------------------------------------------------------

    def set_document(self, path: str, data: bytes, language_id: str = "", version: int | None = None) -> int:
        """An editor opened or changed a document. Returns the change's sequence number."""
        with self._lock:
            if language_id:
                self._language_ids[path] = language_id
            document = self._overlay.document(path)
            if document is not None and document.data == data and document.version == version:
                return self._sequence
            self._overlay = self._overlay.with_document(OverlayDocument(path, data, version, language_id))
            return self._submit("document", (path,))

    def close_document(self, path: str) -> int:
        """The editor closed a document: go back to what is on disk."""
        with self._lock:
            self._overlay = self._overlay.without_document(path)
            self._language_ids.pop(path, None)
            self._c_scans.forget(path)
            return self._submit("close", (path,))

    def file_changed_on_disk(self, path: str) -> int:
        return self.files_changed_on_disk([path])

    def files_changed_on_disk(self, paths: Iterable[str]) -> int:
        """Files changed, appeared or disappeared on disk (a `git pull`, a branch switch).

        Open documents keep their editor contents.
        """
        with self._lock:
            changed = tuple(p for p in dict.fromkeys(paths) if not self._overlay.is_open(p))
            if not changed:
                return self._sequence
            for path in changed:
                self._c_scans.forget(path)
            return self._submit("disk", changed)

    # -- snapshots ---------------------------------------------------------------------------

    def snapshot(self, sequence: int | None = None) -> Analysis:
        """The snapshot of change `sequence` (default: the latest), bringing the model up to it."""
        with self._lock:
            target = self._sequence if sequence is None else min(sequence, self._sequence)
            cached = self._snapshots.get(target)
            if cached is not None:
                return cached
        with self._apply_lock:
            self._catch_up(target)
        with self._lock:
            cached = self._snapshots.get(target)
            if cached is not None:
                return cached
            # An older version that was already replaced: answer on the oldest kept one after it.
            for kept_sequence, kept in self._snapshots.items():
                if kept_sequence >= target:
                    return kept
            return self._make_snapshot(target)

    def changes_between(self, older: int, newer: int) -> ChangeSummary:
        """What the changes after `older` up to `newer` touched (everything if not logged)."""
        with self._lock:
            if older >= newer:
                return ChangeSummary()
            summary = ChangeSummary()
            for sequence in range(older + 1, newer + 1):
                entry = self._log.get(sequence)
                if entry is None:
                    return ChangeSummary(everything=True)
                summary = summary.merged(entry)
                if summary.everything:
                    return summary
            return summary

    def only_index_arrived(self, older: int, newer: int) -> bool:
        """Whether every change after `older` up to `newer` was the code index swapping in."""
        with self._lock:
            return all(sequence in self._index_arrivals for sequence in range(older + 1, newer + 1))

    # -- conveniences: the latest snapshot's answers ---------------------------------------------
    # The CLI and the tests ask one question of the current state; the server
    # always takes a snapshot of the request's version instead.

    @property
    def workspace(self) -> KconfigModel:
        return self.snapshot().model

    @property
    def code_index(self) -> CodeIndex | None:
        return self.snapshot().code_index

    @property
    def rule_settings(self) -> RuleSettings:
        return self._resolved.rules

    def hover(self, path: str, offset: int) -> Hover | None:
        return self.snapshot().hover(path, offset)

    def definition(self, path: str, offset: int) -> list[Location]:
        return self.snapshot().definition(path, offset)

    def references(self, path: str, offset: int, include_declaration: bool = True) -> list[ReferenceSite]:
        return self.snapshot().references(path, offset, include_declaration)

    def guard(self, path: str, offset: int) -> str:
        return self.snapshot().guard(path, offset)

    def document_symbols(self, path: str) -> list[OutlineSymbol]:
        return self.snapshot().document_symbols(path)

    def workspace_symbols(self, query: str) -> list[WorkspaceSymbol]:
        return self.snapshot().workspace_symbols(query)

    def completion(self, path: str, offset: int) -> CompletionResult:
        return self.snapshot().completion(path, offset)

    def folding_ranges(self, path: str) -> list[FoldingRange]:
        return self.snapshot().folding_ranges(path)

    def document_links(self, path: str) -> list[DocumentLink]:
        return self.snapshot().document_links(path)

    def code_actions(self, path: str, span: Span) -> list[CodeAction]:
        return self.snapshot().code_actions(path, span)

    def symbol_at(self, path: str, offset: int) -> SymbolAtCursor | None:
        return self.snapshot().symbol_at(path, offset)

    def document_text(self, path: str) -> bytes:
        return self.snapshot().document_text(path)

    def line_index(self, path: str) -> LineIndex:
        return self.snapshot().line_index(path)

    def relative(self, path: str) -> str:
        return self.snapshot().relative(path)

    def is_open(self, path: str) -> bool:
        with self._lock:
            return self._overlay.is_open(path)

    def diagnostics_for(self, path: str, tier: str = "full") -> list[Finding]:
        return self.snapshot().diagnostics_for(path, tier)

    # -- implementation ------------------------------------------------------------------------

    def _submit(self, kind: str, paths: tuple[str, ...], queue: bool = True) -> int:
        """Number a change, cancel queries on older snapshots, queue the model work.

        The code index swapping in at the end of a load changes no text and
        no Kconfig meaning: the queries running then (the whole-tree checks
        of the Kconfig model just loaded) are not cancelled, their answers
        are still true of the texts they were asked on (`only_index_arrived`).
        """
        self._sequence += 1
        if kind == "code-index":
            self._index_arrivals.add(self._sequence)
        else:
            self._token.cancel()
            self._token = CancellationToken()
        self._overlays[self._sequence] = self._overlay
        while len(self._overlays) > _KEPT_LOG:
            self._overlays.popitem(last=False)
        if queue:
            self._pending.append(_Change(self._sequence, kind, paths, self._overlay))
        else:
            self._log[self._sequence] = ChangeSummary(everything=True)
            self._trim()
        return self._sequence

    def _catch_up(self, target: int) -> None:
        """Apply the pending changes up to `target` (caller holds the apply lock)."""
        while True:
            with self._lock:
                if not self._pending or self._pending[0].sequence > target:
                    if target not in self._snapshots:
                        self._make_snapshot(target)
                    return
                change = self._pending[0]
                model, code_index, loaded = self._model, self._code_index, self._loaded
                nested = self._nested
            try:
                model, code_index, summary = self._apply(change, model, code_index, loaded)
                nested = nested_after_change(nested, model, change.kind, change.paths, change.overlay.read)
            except Exception:
                # A bug must not leave the model silently stale (every later
                # snapshot would be wrong): log it, and rebuild the model of
                # this version from scratch.
                _LOG.exception("applying a change failed; rebuilding the model")
                model = (
                    self._rebuilt_model(change.overlay) if loaded else self._provisional_model(change.overlay)
                )
                summary = ChangeSummary(everything=True)
            with self._lock:
                if not self._pending or self._pending[0] is not change:
                    continue  # a load replaced everything meanwhile
                self._pending.pop(0)
                self._model, self._code_index, self._nested = model, code_index, nested
                self._log[change.sequence] = summary
                self._make_snapshot(change.sequence)
                self._trim()

    def _apply(
        self, change: _Change, model: KconfigModel, code_index: CodeIndex | None, loaded: bool
    ) -> tuple[KconfigModel, CodeIndex | None, ChangeSummary]:
        overlay = change.overlay
        reader = overlay.read
        if change.kind == "configuration":
            return model, code_index, ChangeSummary()  # no whole-tree finding reads the configuration
        if change.kind in ("settings", "load", "code-index"):
            return model, code_index, ChangeSummary(everything=True)
        if not loaded:
            # Before the load ends, the model is the open Kconfig documents alone.
            return self._provisional_model(overlay), code_index, ChangeSummary(everything=True)
        kconfig_files: set[str] = set()
        code_files: set[str] = set()
        symbols: set[str] = set()
        references: set[str] = set()
        names: set[str] = set()
        if change.kind == "disk":
            kconfig_paths = [p for p in change.paths if self._kind_of(p) is FileKind.KCONFIG]
            if kconfig_paths:
                update = model.apply_disk_changes(kconfig_paths, reader)
                model = update.model
                kconfig_files |= update.changed_files
                symbols |= update.changed_symbols
                references |= update.changed_references
                names |= update.changed_names
                if update.relink == "full":
                    return (
                        model,
                        self._code_paths_changed(code_index, change.paths, overlay),
                        ChangeSummary(True),
                    )
            code_index = self._code_paths_changed(code_index, change.paths, overlay)
            code_files |= {p for p in change.paths if classify_code_file(p) is not None}
            return model, code_index, _summary(kconfig_files, code_files, symbols, references, names)
        for path in change.paths:
            kind = self._kind_of(path, model)
            if kind is FileKind.KCONFIG:
                try:
                    data = reader(path)
                except OSError:
                    data = b""
                if model.texts.get(path) == data and path in model.files:
                    continue
                edit: ModelUpdate = model.apply_change(path, data, reader)
                model = edit.model
                if edit.relink == "full":
                    return model, code_index, ChangeSummary(everything=True)
                kconfig_files |= edit.changed_files
                symbols |= edit.changed_symbols
                references |= edit.changed_references
                names |= edit.changed_names
            elif code_index is not None and classify_code_file(path) is not None:
                code_index = self._code_paths_changed(code_index, (path,), overlay)
                code_files.add(path)
        return model, code_index, _summary(kconfig_files, code_files, symbols, references, names)

    def _rebuilt_model(self, overlay: FileOverlay) -> KconfigModel:
        model = KconfigModel(self._resolved.workspace, read_file=overlay.read)
        model.load(extra_files=[p for p in overlay.open_paths() if self._kind_of(p) is FileKind.KCONFIG])
        return model

    def _code_paths_changed(
        self, code_index: CodeIndex | None, paths: Iterable[str], overlay: FileOverlay
    ) -> CodeIndex | None:
        if code_index is None:
            return None
        for path in paths:
            if classify_code_file(path) is None:
                continue
            document = overlay.document(path)
            if document is not None:
                if len(document.data) > MAX_CODE_FILE_SIZE:
                    continue  # as on disk: a file this large is not indexed (a 20 MB buffer froze the server)
                code_index = code_index.with_file_contents(path, document.data)
            else:
                code_index = code_index.with_file_from_disk(path)
        return code_index

    def _make_snapshot(self, sequence: int) -> Analysis:
        overlay = self._overlays.get(sequence, self._overlay)
        snapshot = Analysis(
            settings=self._settings,
            resolved=self._resolved,
            model=self._model,
            code_index=self._code_index,
            overlay=overlay,
            sequence=sequence,
            load_state=LoadState(self._loaded, self._code_index is not None, self._settings.index_code),
            c_scans=self._c_scans,
            language_ids=dict(self._language_ids),
            cancellation=self._token if sequence == self._sequence else _cancelled_token(),
            configuration_choice=self._configuration_choice,
            symbol_tables=self._symbol_tables,
            line_indexes=self._line_indexes,
            nested=self._nested,
        )
        self._snapshots[sequence] = snapshot
        while len(self._snapshots) > _KEPT_SNAPSHOTS:
            _, evicted = self._snapshots.popitem(last=False)
            evicted.release()  # freed by reference counting, not by a collection (see `release`)
        return snapshot

    def _trim(self) -> None:
        while len(self._log) > _KEPT_LOG:
            self._log.popitem(last=False)

    def _bring_up_to_date(self, model: KconfigModel) -> tuple[KconfigModel, int]:
        """Documents edited while the load ran: the load read some version; apply the latest.

        Returns the model and the sequence of the last change it reflects.
        """
        with self._lock:
            overlay = self._overlay
            seen = self._sequence
        for path in overlay.open_paths():
            document = overlay.document(path)
            if document is None or self._kind_of(path, model) is not FileKind.KCONFIG:
                continue
            if model.texts.get(path) != document.data or path not in model.files:
                model = model.apply_change(path, document.data, overlay.read).model
        return model, seen

    def _kind_of(self, path: str, model: KconfigModel | None = None) -> FileKind:
        current = model if model is not None else self._model
        if path in current.files:
            return FileKind.KCONFIG
        return file_kind(path, self._language_ids.get(path, ""))

    def _provisional_model(self, overlay: FileOverlay) -> KconfigModel:
        """A model of the open Kconfig documents alone, for use until the load ends."""
        settings = replace(self._resolved.workspace, index_unreached=True)

        def read_open_documents_only(path: str) -> bytes:
            document = overlay.document(path)
            if document is None:
                raise FileNotFoundError(path)
            return document.data

        model = KconfigModel(settings, read_file=read_open_documents_only)
        open_kconfig = [
            p for p in overlay.open_paths() if file_kind(p, self._language_ids.get(p, "")) is FileKind.KCONFIG
        ]
        model.load_open_documents(open_kconfig)
        return model


def _summary(
    kconfig_files: set[str], code_files: set[str], symbols: set[str], references: set[str], names: set[str]
) -> ChangeSummary:
    return ChangeSummary(
        False,
        frozenset(kconfig_files),
        frozenset(code_files),
        frozenset(symbols),
        frozenset(references),
        frozenset(names),
    )


def _cancelled_token() -> CancellationToken:
    token = CancellationToken()
    token.cancel()
    return token
