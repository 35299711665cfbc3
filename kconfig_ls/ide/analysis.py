"""The IDE layer's entry point: `AnalysisHost`, plain data in and out.

The host owns the linked model (`KconfigModel`) and the bytes of the
documents an editor has open, and answers the editor's questions (hover,
definition, references, outline, completion, folding, links, diagnostics,
code actions) with plain data: byte offsets, spans, strings. It knows
nothing about LSP; the server converts at its edge (rust-analyzer's rule:
LSP does not influence this API).

Concurrency, in three rules:

- Every public method takes the host's lock, so a query never sees the
  model half-updated by an edit. Edits (`set_document`) are fast: they
  re-derive one file, or re-link the tree when the file's `source`
  structure changed.
- `load()` builds a *new* model without the lock (seconds on Linux) and
  swaps it in at the end; until then queries are answered from what is
  there: a provisional model of the open documents alone.
- The whole-tree checks (`compute_full_findings`) also run without the
  lock, optimistically: they remember the host's revision when they
  start and their result is dropped if an edit happened meanwhile.

Files are identified by absolute, normalised file-system paths.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from kconfig_ls.checks.framework import Finding, RuleSettings
from kconfig_ls.checks.registry import rule_by_key
from kconfig_ls.ide import code_navigation
from kconfig_ls.ide import completion as completion_feature
from kconfig_ls.ide import diagnostics as diagnostics_feature
from kconfig_ls.ide import folding as folding_feature
from kconfig_ls.ide import hover as hover_feature
from kconfig_ls.ide import links as links_feature
from kconfig_ls.ide import navigation as navigation_feature
from kconfig_ls.ide import symbols as symbols_feature
from kconfig_ls.ide.completion import CompletionResult
from kconfig_ls.ide.cursor import SymbolAtCursor, help_text_spans, symbol_at, word_at
from kconfig_ls.ide.diagnostics import CodeAction
from kconfig_ls.ide.file_kinds import FileKind, file_kind
from kconfig_ls.ide.folding import FoldingRange
from kconfig_ls.ide.hover import Hover
from kconfig_ls.ide.links import DocumentLink
from kconfig_ls.ide.navigation import ReferenceSite
from kconfig_ls.ide.symbols import OutlineSymbol, WorkspaceSymbol
from kconfig_ls.semantics.code_index import CodeIndex, classify_code_file, describe_reference_kind
from kconfig_ls.semantics.model import (
    KconfigModel,
    Location,
    WorkspaceSettings,
)
from kconfig_ls.settings.project_file import (
    ProjectSettings,
    SettingsError,
    default_code_exclude,
    load_project_settings,
)
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.syntax.c_preprocessor import CScan, scan_c
from kconfig_ls.syntax.c_tree_sitter import CDocument
from kconfig_ls.syntax.kconfig import KconfigFile, MacroAssignment, Node, SourceStatement, Span
from kconfig_ls.text.documents import single_edit
from kconfig_ls.text.line_index import LineIndex

__all__ = [
    "AnalysisHost",
    "AnalysisSettings",
    "DiagnosticTier",
    "LoadSummary",
    "ProgressCallback",
]

_LOG = logging.getLogger(__name__)

DiagnosticTier = Literal["syntax", "full"]
ProgressCallback = Callable[[str, int | None], None]
"""Called with a message and a percentage (or None) while loading."""

_SEVERITY_WORDS: Final = frozenset({"error", "warning", "information", "info", "hint", "off"})
_PROGRESS_STEP_FILES: Final = 100


@dataclass(frozen=True)
class AnalysisSettings:
    """How to load a tree: the editor's settings, merged over the project file's.

    `trust_commands` comes from the editor only, never from the project
    file: a cloned repository must not be able to make the server run its
    `$(shell,...)` macros. `rule_severities` maps rule codes or names to
    `error`, `warning`, `information`, `hint` or `off`. `config_file` is
    kept for the evaluation layer (values in hovers), not used yet.
    """

    project_root: str
    root_kconfig: str | None = None
    arch: str | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    trust_commands: bool = False
    extra_roots: tuple[str, ...] = ()
    rule_severities: Mapping[str, str] = field(default_factory=dict)
    config_file: str | None = None
    index_unreached: bool = True
    read_project_file: bool = True
    index_code: bool = True
    cache_directory: str | None = None
    code_index_workers: int | None = None


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What a load found, for a progress message or a log line."""

    files: int
    symbols: int
    seconds: float
    problems: tuple[str, ...]
    superseded: bool = False


class AnalysisHost:
    """The model of one project plus its open documents; every feature's entry point."""

    def __init__(self, settings: AnalysisSettings) -> None:
        self._lock = threading.RLock()
        self._settings = settings
        self._documents: dict[str, bytes] = {}
        self._language_ids: dict[str, str] = {}
        self._line_indexes: dict[str, tuple[bytes, LineIndex]] = {}
        self._full_cache: tuple[int, dict[str, list[Finding]]] | None = None
        self._load_sequence = 0
        self._last_file_count = 0
        self._loaded = False
        self.revision = 0
        self._workspace_settings, self._rule_settings, self.settings_problems = _resolve_settings(settings)
        self._workspace = self._provisional_workspace()
        self._code_index: CodeIndex | None = None
        self._c_scans: dict[str, tuple[bytes, CScan]] = {}
        self._c_documents: dict[str, CDocument] = {}

    # -- configuration and loading ------------------------------------------------

    @property
    def settings(self) -> AnalysisSettings:
        return self._settings

    @property
    def loaded(self) -> bool:
        """Whether a full load has finished (before that, only open documents are known)."""
        return self._loaded

    @property
    def workspace(self) -> KconfigModel:
        """The current model. Read it under `locked()` if edits may run concurrently."""
        return self._workspace

    @property
    def code_index(self) -> CodeIndex | None:
        """The index of C, Makefile and config files, once built (None before, or when disabled)."""
        return self._code_index

    def locked(self) -> threading.RLock:
        return self._lock

    def configure(self, settings: AnalysisSettings) -> list[str]:
        """Take new settings; returns problems with them. Call `load()` afterwards.

        Rule severities take effect at once; everything else with the next load.
        """
        workspace_settings_, rule_settings, problems = _resolve_settings(settings)
        with self._lock:
            self._settings = settings
            self._workspace_settings = workspace_settings_
            self._rule_settings = rule_settings
            self.settings_problems = problems
            self._bump()
        return problems

    def needs_reload(self, settings: AnalysisSettings) -> bool:
        """Whether new settings change how the tree is loaded (not just rule severities)."""
        current = replace(self._settings, rule_severities={})
        return current != replace(settings, rule_severities={})

    def load(
        self, progress: ProgressCallback | None = None, kconfig_ready: Callable[[], None] | None = None
    ) -> LoadSummary:
        """Build the model of the whole tree and swap it in.

        Runs without the lock; queries meanwhile see the previous model. If
        another `load()` starts before this one ends, this one's result is
        dropped (`superseded`).
        """
        started = time.perf_counter()
        with self._lock:
            self._load_sequence += 1
            sequence = self._load_sequence
            settings = self._workspace_settings
            problems = tuple(self.settings_problems)
            open_kconfig = [
                path
                for path in self._documents
                if file_kind(path, self._language_ids.get(path, "")) is FileKind.KCONFIG
            ]
        report = progress or (lambda message, percentage: None)
        report("reading Kconfig files", None)
        estimate = self._last_file_count
        files_read = 0

        def read_and_report(path: str) -> bytes:
            # The workspace reads each file once, as it parses it: counting reads
            # is the progress. The previous load's file count gives a percentage.
            nonlocal files_read
            data = self._read_with_overlay(path)
            files_read += 1
            if files_read % _PROGRESS_STEP_FILES == 0:
                percentage = min(95, 100 * files_read // estimate) if estimate else None
                report(f"read {files_read} Kconfig files", percentage)
            return data

        workspace = KconfigModel(settings, read_file=read_and_report)
        workspace.load(extra_files=open_kconfig)
        with self._lock:
            if sequence != self._load_sequence:
                return LoadSummary(0, 0, time.perf_counter() - started, problems, superseded=True)
            # Documents edited while the load ran: the load read their text at
            # some point; bring the model up to the latest one.
            for path, data in self._documents.items():
                if path in workspace.files and workspace.text(path) != data:
                    workspace.update_file(path, data)
            self._workspace = workspace
            self._loaded = True
            self._last_file_count = len(workspace.files)
            self._bump()
            summary = LoadSummary(
                len(workspace.files),
                len(workspace.definitions),
                time.perf_counter() - started,
                problems,
            )
            index_code = self._settings.index_code
        report(f"{summary.symbols} symbols in {summary.files} files", 95 if index_code else 100)
        if kconfig_ready is not None:
            kconfig_ready()  # e.g. publish Kconfig diagnostics while the code is indexed
        if index_code:
            # Kconfig features work from here on; the code index (seconds on a
            # kernel tree, less from its cache) is swapped in when it is ready.
            self._build_code_index(settings.root, sequence, report)
        return summary

    def _build_code_index(self, root: str, sequence: int, report: ProgressCallback) -> None:
        project = load_project_settings(root) if self._settings.read_project_file else ProjectSettings()
        excluded = (
            project.code_exclude
            if project.code_exclude is not None
            else default_code_exclude(root, self._settings.root_kconfig or project.root_kconfig)
        )
        index = CodeIndex(root, self._settings.cache_directory, self._settings.code_index_workers, excluded)

        def progress(done: int, total: int) -> None:
            report(f"indexed {done} of {total} C, Makefile and config files", 95)

        index.build(progress)
        # Build the derived tables now, outside the lock, rather than in the
        # first hover or find-references after the swap (0.4 s on Linux).
        _ = index.references, index.defined_in_code, index.built_objects("")
        with self._lock:
            if sequence != self._load_sequence:
                return
            for path, data in self._documents.items():
                if classify_code_file(path) is not None:
                    index.update_file(path, data)
            self._code_index = index
            self._bump()
        report(f"indexed {len(index.entries)} code files", 100)

    # -- documents ----------------------------------------------------------------

    def set_document(self, path: str, data: bytes, language_id: str = "") -> None:
        """An editor opened or changed a document: re-derive that file."""
        with self._lock:
            self._documents[path] = data
            if language_id:
                self._language_ids[path] = language_id
            if self._kind(path) is not FileKind.KCONFIG:
                if self._code_index is not None and classify_code_file(path) is not None:
                    self._code_index.update_file(path, data)
                    self._bump()
                return
            if path in self._workspace.inclusions and self._workspace.texts.get(path) == data:
                return  # opening a file as it is on disk changes nothing
            self._bump()
            if not self._loaded:
                self._workspace = self._provisional_workspace()
                return
            known = path in self._workspace.inclusions
            self._workspace.update_file(path, data)
            if not known and path not in self._workspace.inclusions:
                self._workspace.add_unreached_file(path)

    def close_document(self, path: str) -> None:
        """The editor closed a document: go back to what is on disk."""
        with self._lock:
            self._documents.pop(path, None)
            kind = self._kind(path)
            self._language_ids.pop(path, None)
            self._line_indexes.pop(path, None)
            self._c_scans.pop(path, None)
            self._c_documents.pop(path, None)
            if kind is not FileKind.KCONFIG:
                if self._code_index is not None and classify_code_file(path) is not None:
                    self._code_index.reload_file(path)
                    self._bump()
                return
            self._bump()
            if not self._loaded:
                self._workspace = self._provisional_workspace()
                return
            if path in self._workspace.files:
                self._workspace.reload_file(path)

    def file_changed_on_disk(self, path: str) -> None:
        self.files_changed_on_disk([path])

    def files_changed_on_disk(self, paths: Iterable[str]) -> None:
        """Files changed, appeared or disappeared on disk (a `git pull`, a branch switch).

        Open documents keep their editor contents. Several Kconfig changes
        are applied with one re-link of the tree, not one per file.
        """
        with self._lock:
            if not self._loaded:
                return
            workspace = self._workspace
            changed = [path for path in dict.fromkeys(paths) if path not in self._documents]
            kconfig_paths = [path for path in changed if self._kind(path) is FileKind.KCONFIG]
            code_paths = [path for path in changed if path not in kconfig_paths and classify_code_file(path)]
            if not kconfig_paths and not (code_paths and self._code_index is not None):
                return
            self._bump()
            if kconfig_paths:
                workspace.reload_files(kconfig_paths)
            if self._code_index is not None:
                for path in code_paths:
                    self._code_index.reload_file(path)

    def document_text(self, path: str) -> bytes:
        """An open document's bytes, else the model's, else the disk's (empty if unreadable)."""
        with self._lock:
            data = self._documents.get(path)
            if data is not None:
                return data
            data = self._workspace.texts.get(path)
            if data is not None:
                return data
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            return b""

    def line_index(self, path: str) -> LineIndex:
        """A line index of the text the answers for `path` refer to."""
        data = self.document_text(path)
        with self._lock:
            cached = self._line_indexes.get(path)
            if cached is not None and cached[0] is data:
                return cached[1]
            index = LineIndex(data)
            self._line_indexes[path] = (data, index)
            return index

    def is_open(self, path: str) -> bool:
        with self._lock:
            return path in self._documents

    # -- diagnostics --------------------------------------------------------------

    @property
    def rule_settings(self) -> RuleSettings:
        return self._rule_settings

    def diagnostics_for(self, path: str, tier: DiagnosticTier = "full") -> list[Finding]:
        """The findings for one file: its parse problems, or everything (synchronously)."""
        with self._lock:
            syntax = diagnostics_feature.syntax_tier_findings(self._workspace, path, self._rule_settings)
            if tier == "syntax":
                return syntax
            full = self._full_cache_if_fresh()
            if full is None:
                full = diagnostics_feature.full_tier_findings(
                    self._workspace, self._rule_settings, self._code_index
                )
                self._full_cache = (self.revision, full)
            return diagnostics_feature.merge_tiers(syntax, full.get(path, []))

    def syntax_diagnostics(self, path: str) -> tuple[int, list[Finding]]:
        """The syntax tier for a file and the revision it belongs to."""
        with self._lock:
            return self.revision, diagnostics_feature.syntax_tier_findings(
                self._workspace, path, self._rule_settings
            )

    def compute_full_findings(self) -> tuple[int, dict[str, list[Finding]]] | None:
        """Run every rule over the tree without holding the lock.

        Returns the revision and the findings by file, or None when the
        model changed while the rules ran (the result would be stale) or a
        rule crashed on a half-updated model. Call it from a worker thread.
        """
        with self._lock:
            revision = self.revision
            cached = self._full_cache_if_fresh()
            if cached is not None:
                return revision, cached
            workspace = self._workspace
            rule_settings = self._rule_settings
            code_index = self._code_index
        try:
            findings = diagnostics_feature.full_tier_findings(workspace, rule_settings, code_index)
        except Exception:
            with self._lock:
                stale = self.revision != revision
            if stale:
                return None
            raise
        with self._lock:
            if self.revision != revision:
                return None
            self._full_cache = (revision, findings)
        return revision, findings

    def merged_findings(self, syntax: list[Finding], full: Iterable[Finding]) -> list[Finding]:
        return diagnostics_feature.merge_tiers(syntax, full)

    def code_actions(self, path: str, span: Span) -> list[CodeAction]:
        """Fixes and suppressions for the findings overlapping a span.

        Uses the whole-tree findings only when they are current (computing
        them may take a while, and editors ask on every cursor move).
        """
        with self._lock:
            syntax = diagnostics_feature.syntax_tier_findings(self._workspace, path, self._rule_settings)
            full = self._full_cache_if_fresh() or {}
            findings = diagnostics_feature.merge_tiers(syntax, full.get(path, []))
            return diagnostics_feature.code_actions_for(findings, span, self.document_text(path))

    # -- features -------------------------------------------------------------------

    def symbol_at(self, path: str, offset: int) -> SymbolAtCursor | None:
        """The symbol named at an offset, with `_MODULE` resolved against the table."""
        with self._lock:
            kind = self._kind(path)
            data = self.document_text(path)
            parsed = self._workspace.files.get(path) if kind is FileKind.KCONFIG else None
            found = symbol_at(data, offset, kind, parsed)
            if found is None or not found.module_suffix:
                return found
            base = found.name[: -len("_MODULE")]
            if found.name not in self._workspace.definitions and base in self._workspace.definitions:
                return SymbolAtCursor(base, found.span, module_suffix=True)
            return SymbolAtCursor(found.name, found.span, module_suffix=False)

    def hover(self, path: str, offset: int) -> Hover | None:
        with self._lock:
            kind = self._kind(path)
            found = self.symbol_at(path, offset)
            if found is not None:
                c_spelling = None
                if kind is not FileKind.KCONFIG:
                    c_spelling = "CONFIG_" + found.name + ("_MODULE" if found.module_suffix else "")
                hover = hover_feature.symbol_hover(
                    self._workspace, found.name, found.span, c_spelling=c_spelling
                )
                return Hover(
                    hover.markdown + self._code_hover_sections(path, kind, found.name, offset), hover.span
                )
            if kind is FileKind.C:
                # On `#else`/`#elif`/`#endif` (not on a symbol): the block's conditions.
                scan = self._c_scan(path)
                directive_text = code_navigation.directive_hover(scan, offset, self.document_text(path))
                index = scan.directive_at(offset)
                if directive_text is not None and index is not None:
                    return Hover(directive_text, Span(*scan.directives[index].keyword_span))
                return None
            if kind is FileKind.KCONFIG:
                return self._keyword_or_source_hover(path, offset)
            return None

    def definition(self, path: str, offset: int) -> list[Location]:
        with self._lock:
            found = self.symbol_at(path, offset)
            if found is not None:
                return navigation_feature.definition_locations(self._workspace, found.name)
            if self._kind(path) is FileKind.C:
                # From `#else`/`#elif`/`#endif`: the opening `#if` first; from `#if`: its branches.
                scan = self._c_scan(path)
                here = scan.directive_at(offset)
                if here is None:
                    return []
                current = scan.directives[here]
                return [
                    Location(path, Span(*directive.keyword_span))
                    for directive in code_navigation.block_directives(scan, offset)
                    if directive is not current
                ]
            parsed = self._workspace.files.get(path)
            if parsed is None:
                return []
            statement = links_feature.source_statement_at(parsed, offset)
            if statement is None:
                return []
            targets = links_feature.source_targets(self._workspace, path, statement)
            return [Location(target, Span(0, 0)) for target in targets]

    def references(self, path: str, offset: int, include_declaration: bool = True) -> list[ReferenceSite]:
        with self._lock:
            found = self.symbol_at(path, offset)
            if found is None:
                return []
            sites = navigation_feature.reference_sites(self._workspace, found.name, include_declaration)
            if self._code_index is not None:
                for reference in self._code_index.references.get(found.name, ()):
                    sites.append(
                        ReferenceSite(
                            Location(reference.path, reference.span), describe_reference_kind(reference.kind)
                        )
                    )
            return sites

    def guard(self, path: str, offset: int) -> str:
        """The condition under which the C code at `offset` is compiled (`""` when always)."""
        with self._lock:
            if self._kind(path) is not FileKind.C:
                return ""
            return code_navigation.guard_condition(self._c_scan(path), offset)

    def document_symbols(self, path: str) -> list[OutlineSymbol]:
        with self._lock:
            parsed = self._workspace.files.get(path)
            if parsed is None or self._kind(path) is not FileKind.KCONFIG:
                return []
            return symbols_feature.document_outline(parsed)

    def workspace_symbols(self, query: str) -> list[WorkspaceSymbol]:
        with self._lock:
            return symbols_feature.workspace_symbol_search(self._workspace, query)

    def completion(self, path: str, offset: int) -> CompletionResult:
        with self._lock:
            if self._kind(path) is not FileKind.KCONFIG:
                return completion_feature.config_prefix_completion(
                    self._workspace, self.document_text(path), offset
                )
            parsed = self._workspace.files.get(path)
            if parsed is not None and any(
                span.start < offset <= span.end and parsed.line_of(span.start) != parsed.line_of(offset)
                for span in help_text_spans(parsed)
            ):
                return CompletionResult([], False)  # prose, not Kconfig
            return completion_feature.kconfig_completion(self._workspace, self.document_text(path), offset)

    def folding_ranges(self, path: str) -> list[FoldingRange]:
        with self._lock:
            if self._kind(path) is FileKind.C:
                return folding_feature.c_folding_ranges(self._c_scan(path))
            parsed = self._workspace.files.get(path)
            if parsed is None or self._kind(path) is not FileKind.KCONFIG:
                return []
            return folding_feature.folding_ranges(parsed, self.document_text(path))

    def document_links(self, path: str) -> list[DocumentLink]:
        with self._lock:
            if self._kind(path) is not FileKind.KCONFIG:
                return []
            return links_feature.document_links(self._workspace, path)

    def relative(self, path: str) -> str:
        return self._workspace.relative(path)

    # -- private ------------------------------------------------------------------

    def _c_scan(self, path: str) -> CScan:
        """The preprocessor structure of a C file, rescanned when its text changes.

        Open documents are parsed with tree-sitter-c and updated incrementally:
        the edit since the last parse (an editor's keystroke is one edit) is
        found by comparing the texts and handed to tree-sitter with the old
        tree. Files that are not open use the fast scanner.
        """
        data = self.document_text(path)
        cached = self._c_scans.get(path)
        if cached is not None and cached[0] is data:
            return cached[1]
        if path in self._documents:
            document = self._c_documents.get(path)
            if document is None:
                document = self._c_documents[path] = CDocument(data)
            elif document.data != data:
                start, old_end, new_end = single_edit(document.data, data)
                document.apply_edit(start, old_end, data[start:new_end])
            scan = document.scan()
        else:
            scan = scan_c(data)
        self._c_scans[path] = (data, scan)
        return scan

    def _code_hover_sections(self, path: str, kind: FileKind, name: str, offset: int) -> str:
        """What the code side adds to a symbol hover: objects it builds, the guard here."""
        sections: list[str] = []
        if self._code_index is not None:
            built = self._code_index.built_objects(name)
            if built:
                shown = ", ".join(f"`{self.relative(make)}`: `{obj}`" for make, obj, _, _ in built[:12])
                more = f" and {len(built) - 12} more" if len(built) > 12 else ""
                sections.append(f"**Builds** {shown}{more}")
            uses = len(self._code_index.references.get(name, ()))
            if uses:
                sections.append(f"**Used** {uses} times in C, Makefiles and config files")
        if kind is FileKind.C:
            guard = code_navigation.guard_condition(self._c_scan(path), offset)
            if guard:
                sections.append(f"**This line is compiled when** `{guard}`")
        return "".join(f"\n\n{section}" for section in sections)

    def _kind(self, path: str) -> FileKind:
        if path in self._workspace.files:
            return FileKind.KCONFIG
        return file_kind(path, self._language_ids.get(path, ""))

    def _bump(self) -> None:
        self.revision += 1

    def _full_cache_if_fresh(self) -> dict[str, list[Finding]] | None:
        if self._full_cache is not None and self._full_cache[0] == self.revision:
            return self._full_cache[1]
        return None

    def _read_with_overlay(self, path: str) -> bytes:
        with self._lock:
            data = self._documents.get(path)
        if data is not None:
            return data
        with open(path, "rb") as handle:
            return handle.read(_MAX_READ)

    def _read_open_documents_only(self, path: str) -> bytes:
        with self._lock:
            data = self._documents.get(path)
        if data is None:
            raise FileNotFoundError(path)
        return data

    def _provisional_workspace(self) -> KconfigModel:
        """A model of the open Kconfig documents alone, for use until the load ends."""
        settings = replace(self._workspace_settings, index_unreached=False)
        workspace = KconfigModel(settings, read_file=self._read_open_documents_only)
        open_kconfig = [
            path
            for path in self._documents
            if file_kind(path, self._language_ids.get(path, "")) is FileKind.KCONFIG
        ]
        workspace.load(extra_files=open_kconfig)
        return workspace

    def _keyword_or_source_hover(self, path: str, offset: int) -> Hover | None:
        data = self.document_text(path)
        parsed = self._workspace.files.get(path)
        if parsed is not None:
            statement = links_feature.source_statement_at(parsed, offset)
            if statement is not None and statement.path_span.start <= offset <= statement.path_span.end:
                targets = links_feature.source_targets(self._workspace, path, statement)
                if targets:
                    shown = "\n".join(f"- `{self._workspace.relative(target)}`" for target in targets[:20])
                    return Hover(f"**{statement.keyword}** reads\n\n{shown}", statement.path_span)
                return Hover(
                    f"**{statement.keyword}**: no file found for `{statement.path}`", statement.path_span
                )
        word = word_at(data, offset)
        if word is None:
            return None
        keyword = word.text
        if not word.first_in_line and keyword not in ("on", "if"):
            return None
        if keyword == "on":
            keyword = "depends"
        return hover_feature.keyword_hover(keyword, word.span)


_MAX_READ: Final = 4 * 1024 * 1024 + 1


def _linking_spans(parsed: KconfigFile) -> list[Span]:
    """The spans linking problems are reported at, in file order."""
    spans: list[Span] = []
    stack: list[Node] = list(reversed(parsed.nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, SourceStatement):
            spans.extend((node.path_span, node.span))
        elif isinstance(node, MacroAssignment):
            spans.extend((node.span, node.span))
        children = getattr(node, "children", None)
        if children:
            stack.extend(reversed(children))
    return spans


def _resolve_settings(settings: AnalysisSettings) -> tuple[WorkspaceSettings, RuleSettings, list[str]]:
    """Merge editor settings over the project file; collect problems instead of failing."""
    problems: list[str] = []
    root = os.path.abspath(settings.project_root)
    project = ProjectSettings()
    if settings.read_project_file:
        try:
            project = load_project_settings(root)
        except SettingsError as error:
            problems.append(str(error))
    resolved = workspace_settings(
        root,
        project,
        root_kconfig=settings.root_kconfig or None,
        arch=settings.arch or None,
        environment=dict(settings.environment),
        trust_commands=settings.trust_commands,
        index_unreached=settings.index_unreached,
    )
    if settings.extra_roots:
        extra = tuple(os.path.normpath(os.path.join(root, path)) for path in settings.extra_roots)
        resolved = replace(resolved, extra_roots=(*resolved.extra_roots, *extra))
    root_kconfig = os.path.join(root, resolved.root_kconfig)
    if not os.path.isfile(root_kconfig):
        problems.append(f"root Kconfig '{resolved.root_kconfig}' not found in {root}")
    severities = dict(project.rules.severities)
    for key, value in settings.rule_severities.items():
        if not isinstance(value, str) or value.lower() not in _SEVERITY_WORDS:
            problems.append(f"rule '{key}': '{value}' is not error, warning, information, hint or off")
            continue
        if rule_by_key(key) is None:
            problems.append(f"unknown rule '{key}' in the rule settings")
            continue
        severities[key] = value
    rule_settings = RuleSettings(
        severities=severities, select=project.rules.select, ignore=project.rules.ignore
    )
    return resolved, rule_settings, problems
