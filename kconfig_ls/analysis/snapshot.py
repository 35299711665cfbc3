"""`Analysis`: an immutable snapshot of the whole analysis, which every question is asked of.

A snapshot holds one version of everything: the file overlay (open buffers
over the disk), the Kconfig model, the code index, the resolved settings,
and whether the load and the code index are complete. Every feature of the
IDE layer is a function of a snapshot: hover, definition, references,
outline, completion, folding, links, diagnostics, code actions. The server
answers each request on the snapshot of the text version the request was
made on; the CLI (`lint`, `query`) takes one snapshot after loading. A
snapshot is never mutated, so readers need no lock; the host hands out a
new one after each change (ruff's `Session::take_snapshot`,
rust-analyzer's `Analysis`).

Long queries (the whole-tree checks) check `cancellation` and stop with
`Cancelled` when a newer change has arrived. Values computed from a snapshot
are memoised on it (the symbol tables, the whole-tree findings).

Files are identified by absolute, normalised file-system paths.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

from kconfig_ls.analysis import nested_projects
from kconfig_ls.analysis.active_configuration import ActiveConfiguration, SymbolTableCache
from kconfig_ls.analysis.cancellation import CancellationToken
from kconfig_ls.analysis.configuration_choice import NO_CONFIGURATION, ConfigurationChoice
from kconfig_ls.analysis.nested_projects import NestedModel, NestedSymbol
from kconfig_ls.checks.framework import CheckContext, Finding, RuleSettings
from kconfig_ls.ide import code_lens as code_lens_feature
from kconfig_ls.ide import code_navigation
from kconfig_ls.ide import completion as completion_feature
from kconfig_ls.ide import diagnostics as diagnostics_feature
from kconfig_ls.ide import folding as folding_feature
from kconfig_ls.ide import hover as hover_feature
from kconfig_ls.ide import links as links_feature
from kconfig_ls.ide import navigation as navigation_feature
from kconfig_ls.ide import rename as rename_feature
from kconfig_ls.ide import symbols as symbols_feature
from kconfig_ls.ide.completion import CompletionResult
from kconfig_ls.ide.configuration_hover import configuration_section, foreign_architecture_section
from kconfig_ls.ide.cursor import SymbolAtCursor, help_text_spans, symbol_at, word_at
from kconfig_ls.ide.diagnostics import CodeAction
from kconfig_ls.ide.file_kinds import FileKind, file_kind
from kconfig_ls.ide.folding import FoldingRange
from kconfig_ls.ide.hover import Hover
from kconfig_ls.ide.inactive_code import (
    InactiveCode,
    c_inactive_code,
    makefile_inactive_code,
    not_built_reason,
)
from kconfig_ls.ide.inlay_hints import InlayHint, assignment_inlay_hints, kconfig_inlay_hints
from kconfig_ls.ide.links import DocumentLink
from kconfig_ls.ide.logic_hover import FindingsIn, block_findings, logic_section, symbol_findings
from kconfig_ls.ide.navigation import ReferenceSite
from kconfig_ls.ide.rename import PrepareRenameResult, RenameResult
from kconfig_ls.ide.symbols import OutlineSymbol, WorkspaceSymbol
from kconfig_ls.semantics.code_index import (
    CodeFileKind,
    CodeIndex,
    classify_code_file,
    describe_reference_kind,
)
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from kconfig_ls.semantics.worlds import configured_world, world_membership, worlds_of_path
from kconfig_ls.settings.analysis_settings import AnalysisSettings, ResolvedSettings
from kconfig_ls.syntax.c_preprocessor import CScan, scan_c
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.line_index import LineIndex
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay

__all__ = ["Analysis", "CScanCache", "LineIndexCache", "LoadState"]

_MAX_CODE_SECTIONS: Final = 12
# The line indexes the snapshots of one host share (`LineIndexCache`).
_KEPT_LINE_INDEXES: Final = 64


@dataclass(frozen=True, slots=True)
class LoadState:
    """How complete a snapshot is: the Kconfig load and the code index.

    Before the code index is ready, references and hovers say they are
    partial (`partial_code`).
    """

    kconfig_loaded: bool
    code_index_ready: bool
    code_index_wanted: bool

    @property
    def partial_code(self) -> bool:
        return self.code_index_wanted and not self.code_index_ready

    @property
    def partial_reason(self) -> str | None:
        """Why answers on this snapshot may be incomplete (None: they are complete)."""
        if not self.kconfig_loaded:
            return "Kconfig files are still being read"
        if self.partial_code:
            return "C, Makefile and config files are still being indexed"
        return None


class CScanCache:
    """The preprocessor structure of C files, shared by the snapshots of one host.

    Open documents are parsed with tree-sitter-c and updated incrementally
    (`syntax.c_tree_sitter.CDocument`): the edit since the last parse is
    found by comparing texts. Other files use the fast scanner. A scan is
    keyed by the exact bytes it was made from, so two snapshots of different
    versions never share a wrong one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scans: dict[str, tuple[bytes, CScan]] = {}
        self._documents: dict[str, object] = {}

    def scan(self, path: str, data: bytes, is_open: bool) -> CScan:
        if len(data) > MAX_CODE_FILE_SIZE:
            return scan_c(b"")  # degraded, as on disk: never tree-sitter a 20 MB buffer under the lock
        with self._lock:
            cached = self._scans.get(path)
            if cached is not None and cached[0] == data:
                return cached[1]
            if is_open:
                from kconfig_ls.syntax.c_tree_sitter import CDocument
                from kconfig_ls.text.documents import single_edit

                document = self._documents.get(path)
                if not isinstance(document, CDocument):
                    document = CDocument(data)
                    self._documents[path] = document
                elif document.data != data:
                    start, old_end, new_end = single_edit(document.data, data)
                    document.apply_edit(start, old_end, data[start:new_end])
                scan = document.scan()
            else:
                scan = scan_c(data)
            self._scans[path] = (data, scan)
            return scan

    def forget(self, path: str) -> None:
        with self._lock:
            self._scans.pop(path, None)
            self._documents.pop(path, None)


class LineIndexCache:
    """The line indexes of files, shared by the snapshots of one host.

    A publish converts the spans of related locations in other files (the
    selector of a symbol, say) on every keystroke; each new snapshot built
    their line indexes again. An index is keyed by the exact bytes it was
    made from, so a snapshot never gets one of another version's text. The
    most recently used `_KEPT_LINE_INDEXES` are kept (an index holds its
    text: references to a symbol used in thousands of files must not keep
    them all).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._indexes: OrderedDict[str, LineIndex] = OrderedDict()

    def index(self, path: str, data: bytes) -> LineIndex:
        with self._lock:
            cached = self._indexes.get(path)
            if cached is not None:
                self._indexes.move_to_end(path)
        if cached is not None and (cached.data is data or cached.data == data):
            return cached
        index = LineIndex(data)
        with self._lock:
            self._indexes[path] = index
            self._indexes.move_to_end(path)
            while len(self._indexes) > _KEPT_LINE_INDEXES:
                self._indexes.popitem(last=False)
        return index


class Analysis:
    """One immutable version of the analysis; see the module docstring."""

    def __init__(
        self,
        *,
        settings: AnalysisSettings,
        resolved: ResolvedSettings,
        model: KconfigModel,
        code_index: CodeIndex | None,
        overlay: FileOverlay,
        sequence: int,
        load_state: LoadState,
        c_scans: CScanCache,
        language_ids: dict[str, str],
        cancellation: CancellationToken | None = None,
        configuration_choice: ConfigurationChoice = NO_CONFIGURATION,
        symbol_tables: SymbolTableCache | None = None,
        line_indexes: LineIndexCache | None = None,
        nested: tuple[NestedModel, ...] = (),
    ) -> None:
        self.settings = settings
        self.resolved = resolved
        self.model = model
        self.code_index = code_index
        self.overlay = overlay
        self.sequence = sequence
        self.load_state = load_state
        self.cancellation = cancellation or CancellationToken()
        self._c_scans = c_scans
        self._language_ids = language_ids
        self._memo_lock = threading.Lock()
        self._line_indexes: dict[str, LineIndex] = {}
        self._shared_line_indexes = line_indexes
        self._symbol_tables: dict[str, SymbolTable] = {}
        self._full_findings: dict[str, list[Finding]] | None = None
        self.configuration_choice = configuration_choice
        self._shared_tables = symbol_tables
        self._active_configuration: ActiveConfiguration | None = None
        # Nested projects' models (Zephyr's sysbuild): see `kconfig_ls.analysis.nested_projects`.
        self.nested = nested

    # -- basics ---------------------------------------------------------------------

    @property
    def rule_settings(self) -> RuleSettings:
        return self.resolved.rules

    @property
    def workspace(self) -> KconfigModel:
        """The Kconfig model (the name its callers used before the snapshot split)."""
        return self.model

    def document_text(self, path: str) -> bytes:
        """The text answers for `path` refer to: the open buffer, the model's, else the disk's."""
        document = self.overlay.document(path)
        if document is not None:
            return document.data
        data = self.model.texts.get(path)
        if data is not None:
            return data
        return self.overlay.read_or_empty(path, MAX_CODE_FILE_SIZE)

    def line_index(self, path: str) -> LineIndex:
        with self._memo_lock:
            index = self._line_indexes.get(path)
        if index is None:
            data = self.document_text(path)
            shared = self._shared_line_indexes
            index = LineIndex(data) if shared is None else shared.index(path, data)
            with self._memo_lock:
                self._line_indexes[path] = index
        return index

    def is_open(self, path: str) -> bool:
        return self.overlay.is_open(path)

    def relative(self, path: str) -> str:
        return self.model.relative(path)

    def kind(self, path: str) -> FileKind:
        if path in self.model.files:
            return FileKind.KCONFIG
        return file_kind(path, self._language_ids.get(path, ""))

    def symbol_table(self, world: str | None = None) -> SymbolTable:
        """The semantic symbol table of a world (default: the configured one), memoised."""
        chosen = configured_world(self.model.settings) if world is None else world
        with self._memo_lock:
            table = self._symbol_tables.get(chosen)
        if table is None:
            table = (
                self._shared_tables.table(self.model, chosen)
                if self._shared_tables is not None
                else build_symbol_table(self.model, chosen)
            )
            with self._memo_lock:
                self._symbol_tables[chosen] = table
        return table

    @property
    def active_configuration(self) -> ActiveConfiguration:
        """The active configuration (`configFile`, `kconfig-ls.selectConfiguration`), evaluated on demand."""
        with self._memo_lock:
            if self._active_configuration is None:
                self._active_configuration = ActiveConfiguration(
                    self, self.configuration_choice, configured_world(self.model.settings)
                )
                self._active_configuration.tables = self._shared_tables
            return self._active_configuration

    def release(self) -> None:
        """Forget the memo of the active configuration; the host calls this when it lets the snapshot go.

        The active configuration refers back to its snapshot, a cycle that
        only the cyclic collector frees: every snapshot a hover or a publish
        had touched kept its model (the edited file's new parse and tables)
        until a collection of the older generations, which scanned them
        with the interpreter lock held (150-200 ms per collection while
        typing in the server). A reader still holding the snapshot gets a
        new one on its next use.
        """
        with self._memo_lock:
            self._active_configuration = None

    # -- diagnostics ----------------------------------------------------------------

    def syntax_diagnostics(self, path: str) -> list[Finding]:
        """The syntax tier of one file (its parse problems), cheap enough for every keystroke."""
        return diagnostics_feature.syntax_tier_findings(self.model, path, self.rule_settings, self.overlay)

    def full_findings(self) -> dict[str, list[Finding]]:
        """Every finding of every enabled rule over the tree, by file (memoised; may raise `Cancelled`)."""
        if self._full_findings is None:
            findings = diagnostics_feature.full_tier_findings(
                self.model,
                self.rule_settings,
                self.code_index,
                self.overlay,
                self.cancellation,
                cache_directory=self.settings.cache_directory,
                logic=self.settings.logic,
            )
            self._full_findings = self.with_nested_findings(findings, logic=self.settings.logic)
        return self._full_findings

    def explained_findings(self) -> FindingsIn:
        """The logic's findings a hover explains, each file's computed when first asked.

        For a one-shot hover (the CLI's `query hover --logic`): it runs the
        solver tier's rules where the hover looks, not every rule over the
        tree as `full_findings` does (`ide.diagnostics.ExplainedFindings`).
        """
        context = CheckContext(
            self.model,
            self.code_index,
            self.overlay,
            self.cancellation,
            cache_directory=self.settings.cache_directory,
            logic=self.settings.logic,
        )
        return diagnostics_feature.ExplainedFindings(context, self.rule_settings)

    def with_nested_findings(
        self, findings: dict[str, list[Finding]], *, logic: bool = False
    ) -> dict[str, list[Finding]]:
        """The main model's findings with the nested projects' (sysbuild's) merged in; as is without any."""
        return nested_projects.merge_nested_findings(
            findings,
            self.nested,
            self.model,
            self.rule_settings,
            self.code_index,
            self.overlay,
            self.cancellation,
            cache_directory=self.settings.cache_directory,
            logic=logic,
        )

    def set_full_findings(self, findings: dict[str, list[Finding]]) -> None:
        """Install findings computed incrementally from an older snapshot's (see the host)."""
        self._full_findings = findings

    def diagnostics_for(self, path: str, tier: str = "full") -> list[Finding]:
        syntax = self.syntax_diagnostics(path)
        if tier == "syntax":
            return syntax
        return diagnostics_feature.merge_tiers(syntax, self.full_findings().get(path, []))

    def code_actions(
        self, path: str, span: Span, full: dict[str, list[Finding]] | None = None
    ) -> list[CodeAction]:
        """Fixes and suppressions for the findings overlapping a span.

        Uses whole-tree findings only when they are given or already computed
        (editors ask on every cursor move).
        """
        whole = full if full is not None else (self._full_findings or {})
        findings = diagnostics_feature.merge_tiers(self.syntax_diagnostics(path), whole.get(path, []))
        return diagnostics_feature.code_actions_for(findings, span, self.document_text(path))

    # -- features -------------------------------------------------------------------

    def symbol_at(self, path: str, offset: int) -> SymbolAtCursor | None:
        """The symbol named at an offset, with `_MODULE` resolved against the table."""
        kind = self.kind(path)
        data = self.document_text(path)
        parsed = self.model.files.get(path) if kind is FileKind.KCONFIG else None
        if kind is FileKind.OTHER and classify_code_file(path) is CodeFileKind.CMAKE:
            kind = FileKind.CONFIG  # `if(CONFIG_X)`: named as in a configuration file
        found = symbol_at(data, offset, kind, parsed)
        if found is None or not found.module_suffix:
            return found
        base = found.name[: -len("_MODULE")]
        if found.name not in self.model.definitions and base in self.model.definitions:
            return SymbolAtCursor(base, found.span, module_suffix=True)
        return SymbolAtCursor(found.name, found.span, module_suffix=False)

    def hover(self, path: str, offset: int, findings_in: FindingsIn | None = None) -> Hover | None:
        """The hover at `offset`; `findings_in` gives the logic's findings it explains (`ide.logic_hover`)."""
        kind = self.kind(path)
        nested = self._nested_symbol_at(path, offset)
        if nested is not None:
            return nested_projects.nested_hover(nested, path, self.code_index)
        found = self.symbol_at(path, offset)
        if found is not None:
            c_spelling = None
            if kind is not FileKind.KCONFIG:
                c_spelling = "CONFIG_" + found.name + ("_MODULE" if found.module_suffix else "")
            hover = hover_feature.symbol_hover(
                self.model,
                found.name,
                found.span,
                c_spelling=c_spelling,
                looked_from=path,
                hidden_files=frozenset().union(*(n.owned for n in self.nested)),
            )
            markdown = self._with_configuration_section(hover.markdown, found.name, path)
            if findings_in is not None:
                explained = symbol_findings(
                    self.model,
                    found.name,
                    world_membership(self.model.settings, path),
                    findings_in,
                    cursor=(path, offset),
                )
                if kind is FileKind.C:
                    explained += block_findings(self._c_scan(path), path, offset, findings_in)
                markdown = _below_title(markdown, logic_section(dict.fromkeys(explained)))
            return Hover(markdown + self._code_hover_sections(path, kind, found.name, offset), hover.span)
        if kind is FileKind.C:
            # On `#else`/`#elif`/`#endif` (not on a symbol): the block's conditions.
            scan = self._c_scan(path)
            directive_text = code_navigation.directive_hover(scan, offset, self.document_text(path))
            index = scan.directive_at(offset)
            if directive_text is not None and index is not None:
                if findings_in is not None:
                    section = logic_section(block_findings(scan, path, offset, findings_in))
                    directive_text += f"\n\n{section}" if section else ""
                return Hover(directive_text, Span(*scan.directives[index].keyword_span))
            return None
        if kind is FileKind.KCONFIG:
            return self._keyword_or_source_hover(path, offset)
        return None

    def definition(self, path: str, offset: int) -> list[Location]:
        nested = self._nested_symbol_at(path, offset)
        if nested is not None:
            return nested_projects.nested_definition(nested, path)
        found = self.symbol_at(path, offset)
        if found is not None:
            return nested_projects.outside_nested(
                self.nested, navigation_feature.definition_locations(self.model, found.name, path)
            )
        if self.kind(path) is FileKind.C:
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
        parsed = self.model.files.get(path)
        if parsed is None:
            return []
        statement = links_feature.source_statement_at(parsed, offset)
        if statement is None:
            return []
        return [
            Location(target, Span(0, 0))
            for target in links_feature.source_targets(self.model, path, statement)
        ]

    def references(self, path: str, offset: int, include_declaration: bool = True) -> list[ReferenceSite]:
        nested = self._nested_symbol_at(path, offset)
        if nested is not None:
            return nested_projects.nested_references(nested, self.code_index, include_declaration)
        found = self.symbol_at(path, offset)
        if found is None:
            return []
        sites = navigation_feature.reference_sites(self.model, found.name, include_declaration)
        if self.nested:  # sysbuild's own files use sysbuild's symbol of that name
            sites = [site for site in sites if not any(site.location.path in n.owned for n in self.nested)]
        if self.code_index is not None:
            for reference in self.code_index.references.get(found.name, ()):
                sites.append(
                    ReferenceSite(
                        Location(reference.path, reference.span), describe_reference_kind(reference.kind)
                    )
                )
        return sites

    def guard(self, path: str, offset: int) -> str:
        """The condition under which the C code at `offset` is compiled (`""` when always)."""
        if self.kind(path) is not FileKind.C:
            return ""
        return code_navigation.guard_condition(self._c_scan(path), offset)

    def document_symbols(self, path: str) -> list[OutlineSymbol]:
        parsed = self.model.files.get(path)
        if parsed is None or self.kind(path) is not FileKind.KCONFIG:
            return []
        return symbols_feature.document_outline(parsed)

    def workspace_symbols(self, query: str) -> list[WorkspaceSymbol]:
        return symbols_feature.workspace_symbol_search(self.model, query)

    def completion(self, path: str, offset: int) -> CompletionResult:
        if self.nested:
            nested = nested_projects.nested_completion(
                self.nested, path, self.document_text(path), offset, self.kind(path)
            )
            if nested is not None:
                return nested
        if self.kind(path) is not FileKind.KCONFIG:
            return completion_feature.config_prefix_completion(self.model, self.document_text(path), offset)
        parsed = self.model.files.get(path)
        if parsed is not None and any(
            span.start < offset <= span.end and parsed.line_of(span.start) != parsed.line_of(offset)
            for span in help_text_spans(parsed)
        ):
            return CompletionResult([], False)  # prose, not Kconfig
        return completion_feature.kconfig_completion(self.model, self.document_text(path), offset)

    def folding_ranges(self, path: str) -> list[FoldingRange]:
        if self.kind(path) is FileKind.C:
            return folding_feature.c_folding_ranges(self._c_scan(path))
        parsed = self.model.files.get(path)
        if parsed is None or self.kind(path) is not FileKind.KCONFIG:
            return []
        return folding_feature.folding_ranges(parsed, self.document_text(path))

    def document_links(self, path: str) -> list[DocumentLink]:
        if self.kind(path) is not FileKind.KCONFIG:
            return []
        return links_feature.document_links(self.model, path)

    def inactive_code(self, path: str) -> InactiveCode | None:
        """The regions of a C, assembly or Makefile document the active configuration turns off.

        None when there is no configuration (or the file is of another kind):
        the client then keeps what it showed (nothing is greyed).
        """
        kind = self.kind(path)
        if kind not in (FileKind.C, FileKind.MAKEFILE):
            return None
        configuration = self.active_configuration.configuration(wait=False)
        if configuration is None:
            return None
        label = self.active_configuration.label
        data, index = self.document_text(path), self.line_index(path)
        foreign = self._foreign_architecture(path)
        if kind is FileKind.MAKEFILE:
            if foreign is not None:
                return InactiveCode((), f"inactive in {label}")  # its ifdefs are another world's
            return makefile_inactive_code(data, index, configuration, label)
        not_built: str | None
        if foreign is not None:
            not_built = f"not built: arch/{foreign}/ is not built for {self.active_configuration.world}"
        else:
            not_built = not_built_reason(path, self.overlay, configuration)
        return c_inactive_code(path, data, index, configuration, label, not_built)

    def inlay_hints(self, path: str, span: Span) -> list[InlayHint]:
        """Values after a Kconfig file's expression operands; configuration lines that do not stick."""
        active = self.active_configuration
        configuration = active.configuration(wait=False)
        if configuration is None:
            return []
        if path in active.files:
            return [
                hint
                for hint in assignment_inlay_hints(configuration, path)
                if span.start <= hint.offset <= span.end
            ]
        parsed = self.model.files.get(path)
        if parsed is None or self.kind(path) is not FileKind.KCONFIG:
            return []
        if self._foreign_architecture(path) is not None:
            return []  # the configuration's values are another world's; the hover says so
        return kconfig_inlay_hints(parsed, configuration, span.start, span.end)

    def code_lenses(self, path: str) -> list[code_lens_feature.CodeLens]:
        """Above each `config X` of a Kconfig file: selected by, implied by, uses in code, defconfigs.

        In a nested project's own files (sysbuild's), that project's counts.
        """
        parsed = self.model.files.get(path)
        if parsed is None or self.kind(path) is not FileKind.KCONFIG or not self.load_state.kconfig_loaded:
            return []
        nested = nested_projects.nested_code_lenses(self.nested, path, self.code_index)
        if nested is not None:
            return nested
        return code_lens_feature.code_lenses(parsed, self.symbol_table(), self.code_index)

    def resolve_code_lens(
        self, name: str, kind: str, path: str | None = None
    ) -> code_lens_feature.ResolvedLens:
        """A lens of `code_lenses(path)` with its title and locations (`path` picks a nested project's)."""
        if path is not None:
            nested = nested_projects.resolve_nested_code_lens(self.nested, path, name, kind, self.code_index)
            if nested is not None:
                return nested
        return code_lens_feature.resolve_lens(name, kind, self.symbol_table(), self.code_index)

    def prepare_rename(self, path: str, offset: int) -> PrepareRenameResult | None:
        """The symbol a rename at `offset` would rename, and the bytes of its name there.

        A nested project's symbol (sysbuild's `SB_CONFIG_X`, its Kconfig files)
        is that project's (`PrepareRenameResult.project`), never the main tree's
        namesake.
        """
        found = self._nested_symbol_at(path, offset)
        if found is not None:
            name = found.symbol.name
            if name not in found.nested.model.definitions:
                return None
            end = found.symbol.span.end
            return PrepareRenameResult(name, path, Span(end - len(name), end), found.nested.project.name)
        return rename_feature.prepare_rename(
            self.model, self.code_index, path, offset, self.document_text(path)
        )

    def rename(
        self, old: str, new: str, keep_old_name: bool = False, project: str | None = None
    ) -> RenameResult:
        """Every edit renaming `old` to `new`, on this snapshot's texts (open buffers included).

        The main tree's symbol, or with `project` that nested project's
        (`PrepareRenameResult.project`); each keeps the other's namesake.
        """
        if project is not None:
            nested = next((each for each in self.nested if each.project.name == project), None)
            if nested is None:
                return RenameResult(old, new, error=f"this tree has no {project} project")
            return nested_projects.nested_rename(
                nested,
                self.model,
                self.code_index,
                old,
                new,
                keep_old_name=keep_old_name,
                read_file=self.document_text,
            )
        result = rename_feature.rename_symbol(
            self.model, self.code_index, old, new, keep_old_name=keep_old_name, read_file=self.document_text
        )
        return nested_projects.without_nested_edits(result, self.nested, self.model)

    # -- private ----------------------------------------------------------------------

    def _nested_symbol_at(self, path: str, offset: int) -> NestedSymbol | None:
        """A nested project's symbol (sysbuild's X from `SB_CONFIG_X`) at an offset; None without one."""
        if not self.nested:
            return None
        kind = self.kind(path)
        return nested_projects.nested_symbol_at(self.nested, path, self.document_text(path), offset, kind)

    def _c_scan(self, path: str) -> CScan:
        return self._c_scans.scan(path, self.document_text(path), self.overlay.is_open(path))

    def _foreign_architecture(self, path: str) -> str | None:
        """The architecture of a file in another architecture's folder than the configuration's, if so."""
        worlds = worlds_of_path(self.model.settings, path)
        configured = configured_world(self.model.settings)
        if not worlds or configured in worlds:
            return None  # a shared file, or one of the configured world's (ESP-IDF: named for targets)
        architecture = worlds[0]
        if configured == "um" and architecture == "x86":
            return None  # user-mode Linux builds arch/x86 too (its SUBARCH)
        return architecture

    def _with_configuration_section(self, markdown: str, name: str, path: str) -> str:
        """The value and why under the active configuration, right below the hover's title."""
        active = self.active_configuration
        configuration = active.configuration(wait=False)
        if configuration is None:
            return markdown
        foreign = self._foreign_architecture(path)
        if foreign is not None:
            return _below_title(markdown, foreign_architecture_section(active.label, foreign, active.world))
        section = configuration_section(
            configuration,
            name,
            active.label + (", re-evaluating after the edit" if active.stale else ""),
            line_of=lambda path, offset: self.line_index(path).line_of(offset) + 1,
            root=self.model.root,
            enabling=active.known_enabling_set,
        )
        return _below_title(markdown, section)

    def _code_hover_sections(self, path: str, kind: FileKind, name: str, offset: int) -> str:
        """What the code side adds to a symbol hover: objects it builds, the guard here."""
        sections: list[str] = []
        if self.code_index is not None:
            built = self.code_index.built_objects(name)
            if built:
                shown = ", ".join(
                    f"`{self.relative(make)}`: `{obj}`" for make, obj, _, _ in built[:_MAX_CODE_SECTIONS]
                )
                more = (
                    f" and {len(built) - _MAX_CODE_SECTIONS} more" if len(built) > _MAX_CODE_SECTIONS else ""
                )
                sections.append(f"**Builds** {shown}{more}")
            uses = len(self.code_index.references.get(name, ()))
            if uses:
                sections.append(f"**Used** {uses} times in C, Makefiles and config files")
        elif self.load_state.partial_code:
            sections.append(
                "*Partial: C, Makefile and config files are still being indexed; uses not shown yet*"
            )
        if not self.load_state.kconfig_loaded:
            sections.append(
                "*Partial: Kconfig files are still being read; definitions elsewhere in the tree "
                "are not shown yet*"
            )
        if kind is FileKind.C:
            guard = code_navigation.guard_condition(self._c_scan(path), offset)
            if guard:
                sections.append(f"**This line is compiled when** `{guard}`")
        return "".join(f"\n\n{section}" for section in sections)

    def _keyword_or_source_hover(self, path: str, offset: int) -> Hover | None:
        data = self.document_text(path)
        parsed = self.model.files.get(path)
        if parsed is not None:
            statement = links_feature.source_statement_at(parsed, offset)
            if statement is not None and statement.path_span.start <= offset <= statement.path_span.end:
                targets = links_feature.source_targets(self.model, path, statement)
                if targets:
                    shown = "\n".join(f"- `{self.model.relative(target)}`" for target in targets[:20])
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


def _below_title(markdown: str, section: str) -> str:
    """`section` right below the hover's title (the first lines a hover widget shows)."""
    if not section:
        return markdown
    title, separator, rest = markdown.partition("\n\n")
    return f"{title}\n\n{section}{separator}{rest}"
