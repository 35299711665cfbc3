"""The one module that converts between engine data and lsprotocol types.

Engine spans are UTF-8 byte offsets; LSP positions are (line, column) with
columns in the negotiated unit (UTF-16 by default, UTF-8 when the client
offers it). Every conversion goes through `LineIndex` of the text the
engine's answer refers to. Paths become `file://` URIs here and nowhere
else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Final

from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path

from kconfig_ls.checks.framework import Finding, Severity
from kconfig_ls.ide.completion import CompletionResult
from kconfig_ls.ide.diagnostics import CodeAction
from kconfig_ls.ide.folding import FoldingRange
from kconfig_ls.ide.hover import Hover
from kconfig_ls.ide.inlay_hints import InlayHint
from kconfig_ls.ide.links import DocumentLink
from kconfig_ls.ide.rename import RenameResult
from kconfig_ls.ide.symbols import OutlineSymbol, WorkspaceSymbol
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.documents import TextChange
from kconfig_ls.text.line_index import ColumnUnit, LineIndex

__all__ = [
    "RULES_DOCUMENTATION_URL",
    "IndexProvider",
    "PathMapper",
    "code_action",
    "column_unit",
    "completion_list",
    "diagnostic",
    "document_link",
    "document_symbols",
    "folding_range",
    "hover",
    "inlay_hint",
    "location",
    "location_json",
    "offset_of",
    "position_encoding_for",
    "range_json",
    "range_of",
    "rename_edit",
    "span_of",
    "symbol_information",
    "text_change",
    "workspace_symbol",
]

RULES_DOCUMENTATION_URL: Final = "https://github.com/kconfig-ls/kconfig-ls/blob/main/docs/rules.md"

IndexProvider = Callable[[str], LineIndex]
"""Returns the line index of the text the engine used for a path."""

_SEVERITIES: Final = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFORMATION: types.DiagnosticSeverity.Information,
    Severity.HINT: types.DiagnosticSeverity.Hint,
}
_OUTLINE_KINDS: Final = {
    "config": types.SymbolKind.Variable,
    "menuconfig": types.SymbolKind.Variable,
    "configdefault": types.SymbolKind.Variable,
    "choice": types.SymbolKind.Enum,
    "menu": types.SymbolKind.Namespace,
    "if": types.SymbolKind.Package,
    "comment": types.SymbolKind.String,
    "source": types.SymbolKind.File,
    "mainmenu": types.SymbolKind.Module,
}
_COMPLETION_KINDS: Final = {
    "symbol": types.CompletionItemKind.Variable,
    "keyword": types.CompletionItemKind.Keyword,
    "constant": types.CompletionItemKind.Constant,
}


class PathMapper:
    """Paths to URIs and back; non-file URIs (`untitled:`) keep a stable pseudo path."""

    def __init__(self) -> None:
        self._uris_by_path: dict[str, str] = {}

    def path(self, uri: str) -> str:
        if uri.startswith("file:"):
            path = to_fs_path(uri)
            if path is not None:
                self._uris_by_path.setdefault(path, uri)
                return path
        self._uris_by_path[uri] = uri
        return uri

    def uri(self, path: str) -> str:
        known = self._uris_by_path.get(path)
        if known is not None:
            return known
        return from_fs_path(path) or path


# -- positions -------------------------------------------------------------------


def position_encoding_for(capabilities: types.ClientCapabilities) -> types.PositionEncodingKind:
    """UTF-8 if the client offers it (it saves every conversion), else UTF-16."""
    general = capabilities.general
    offered = general.position_encodings if general is not None else None
    if offered and types.PositionEncodingKind.Utf8 in offered:
        return types.PositionEncodingKind.Utf8
    return types.PositionEncodingKind.Utf16


def column_unit(encoding: types.PositionEncodingKind | str) -> ColumnUnit:
    if encoding == types.PositionEncodingKind.Utf8:
        return "utf-8"
    if encoding == types.PositionEncodingKind.Utf32:
        return "utf-32"
    return "utf-16"


def offset_of(index: LineIndex, position: types.Position, unit: ColumnUnit) -> int:
    return index.offset(position.line, position.character, unit)


def span_of(index: LineIndex, range_: types.Range, unit: ColumnUnit) -> Span:
    start = offset_of(index, range_.start, unit)
    end = offset_of(index, range_.end, unit)
    return Span(min(start, end), max(start, end))


def range_of(index: LineIndex, span: Span, unit: ColumnUnit) -> types.Range:
    start_line, start_column = index.position(span.start, unit)
    end_line, end_column = index.position(max(span.start, span.end), unit)
    return types.Range(
        start=types.Position(line=start_line, character=start_column),
        end=types.Position(line=end_line, character=end_column),
    )


def text_change(
    change: types.TextDocumentContentChangePartial | types.TextDocumentContentChangeWholeDocument,
) -> TextChange:
    if isinstance(change, types.TextDocumentContentChangePartial):
        return TextChange(
            change.text,
            (change.range.start.line, change.range.start.character),
            (change.range.end.line, change.range.end.character),
        )
    return TextChange(change.text)


def location(place: Location, indexes: IndexProvider, unit: ColumnUnit, paths: PathMapper) -> types.Location:
    return types.Location(uri=paths.uri(place.path), range=range_of(indexes(place.path), place.span, unit))


# -- diagnostics and actions ---------------------------------------------------------


def diagnostic(
    finding: Finding, indexes: IndexProvider, unit: ColumnUnit, paths: PathMapper
) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            location=location(item.location, indexes, unit, paths), message=item.message
        )
        for item in finding.related
    ]
    return types.Diagnostic(
        range=range_of(indexes(finding.location.path), finding.location.span, unit),
        message=finding.message,
        severity=_SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule_code,
        code_description=types.CodeDescription(href=f"{RULES_DOCUMENTATION_URL}#{finding.rule_name}"),
        source="kconfig-ls",
        related_information=related or None,
        data={"rule": finding.rule_name},
    )


def code_action(
    action: CodeAction, indexes: IndexProvider, unit: ColumnUnit, paths: PathMapper
) -> types.CodeAction:
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in action.edits:
        changes.setdefault(paths.uri(edit.location.path), []).append(
            types.TextEdit(
                range=range_of(indexes(edit.location.path), edit.location.span, unit), new_text=edit.new_text
            )
        )
    return types.CodeAction(
        title=action.title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(action.finding, indexes, unit, paths)]
        if action.finding is not None
        else None,
        edit=types.WorkspaceEdit(changes=changes),
        is_preferred=action.preferred or None,
    )


def rename_edit(
    result: RenameResult,
    indexes: IndexProvider,
    unit: ColumnUnit,
    paths: PathMapper,
    versions: Callable[[str], int | None],
    *,
    document_changes: bool,
) -> types.WorkspaceEdit:
    """A rename's edits as a `WorkspaceEdit`.

    With `document_changes` (the client supports it), each file's edits carry
    the version of the open document they were computed on (None for files
    that are not open), and a file the rename creates (`sdkconfig.rename`)
    is created first; otherwise plain `changes` by URI.
    """
    by_uri: dict[str, list[types.TextEdit]] = {}
    for path, edits in sorted(result.edits_by_file().items()):
        index = indexes(path)
        by_uri[paths.uri(path)] = [
            types.TextEdit(range=range_of(index, Span(edit.start, edit.end), unit), new_text=edit.new_text)
            for edit in sorted(edits, key=lambda e: (e.start, e.end))
        ]
    if not document_changes:
        return types.WorkspaceEdit(changes=by_uri)
    created = {paths.uri(path) for path in result.created_files}
    operations: list[types.TextDocumentEdit | types.CreateFile | types.RenameFile | types.DeleteFile] = []
    for uri, text_edits in by_uri.items():
        if uri in created:
            operations.append(
                types.CreateFile(uri=uri, options=types.CreateFileOptions(ignore_if_exists=True))
            )
        version = None if uri in created else versions(paths.path(uri))
        operations.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                edits=list(text_edits),
            )
        )
    return types.WorkspaceEdit(document_changes=operations)


# -- features ---------------------------------------------------------------------------


def hover(result: Hover, index: LineIndex, unit: ColumnUnit, markdown: bool) -> types.Hover:
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText, value=result.markdown
        ),
        range=range_of(index, result.span, unit),
    )


# pygls serialises a response recursively (cattrs, then `json`): a document
# symbol tree much deeper than this exhausts Python's recursion limit and the
# request gets no answer at all (200 nested `if` blocks did). Deeper symbols
# are listed flat, in file order, among the children of the symbol at this
# depth; real trees nest about ten levels.
MAX_DOCUMENT_SYMBOL_DEPTH: Final = 32


def document_symbols(
    outline: Iterable[OutlineSymbol], index: LineIndex, unit: ColumnUnit
) -> list[types.DocumentSymbol]:
    """The hierarchical outline, nested at most `MAX_DOCUMENT_SYMBOL_DEPTH` levels (iterative)."""
    top: list[types.DocumentSymbol] = []
    # (symbol, its depth, the list it joins, whether it is below the depth limit)
    stack: list[tuple[OutlineSymbol, int, list[types.DocumentSymbol], bool]] = [
        (symbol, 1, top, False) for symbol in reversed(list(outline))
    ]
    while stack:
        symbol, depth, siblings, flattened = stack.pop()
        converted = _document_symbol(symbol, index, unit)
        siblings.append(converted)
        if not symbol.children:
            continue
        if flattened:
            stack.extend((child, depth, siblings, True) for child in reversed(symbol.children))
            continue
        children: list[types.DocumentSymbol] = []
        converted.children = children
        below_limit = depth + 1 >= MAX_DOCUMENT_SYMBOL_DEPTH
        stack.extend((child, depth + 1, children, below_limit) for child in reversed(symbol.children))
    return top


def _document_symbol(symbol: OutlineSymbol, index: LineIndex, unit: ColumnUnit) -> types.DocumentSymbol:
    return types.DocumentSymbol(
        name=symbol.name or "(unnamed)",
        detail=symbol.detail or None,
        kind=_OUTLINE_KINDS.get(symbol.kind, types.SymbolKind.Object),
        range=range_of(index, symbol.span, unit),
        selection_range=range_of(index, _inside(symbol.selection_span, symbol.span), unit),
    )


def flat_symbol_information(
    symbols: Iterable[OutlineSymbol],
    uri: str,
    index: LineIndex,
    unit: ColumnUnit,
) -> list[types.SymbolInformation]:
    """The outline for clients without hierarchical document symbols (iterative, file order)."""
    result: list[types.SymbolInformation] = []
    stack: list[tuple[OutlineSymbol, str | None]] = [(symbol, None) for symbol in reversed(list(symbols))]
    while stack:
        symbol, container = stack.pop()
        result.append(
            types.SymbolInformation(
                name=symbol.name or "(unnamed)",
                kind=_OUTLINE_KINDS.get(symbol.kind, types.SymbolKind.Object),
                location=types.Location(uri=uri, range=range_of(index, symbol.span, unit)),
                container_name=container,
            )
        )
        stack.extend((child, symbol.name) for child in reversed(symbol.children))
    return result


def workspace_symbol(
    symbol: WorkspaceSymbol, indexes: IndexProvider, unit: ColumnUnit, paths: PathMapper
) -> types.SymbolInformation:
    return types.SymbolInformation(
        name=symbol.name,
        kind=_OUTLINE_KINDS.get(symbol.kind, types.SymbolKind.Variable),
        location=location(symbol.location, indexes, unit, paths),
        container_name=symbol.container or None,
    )


symbol_information = workspace_symbol


def completion_list(result: CompletionResult, index: LineIndex, unit: ColumnUnit) -> types.CompletionList:
    items = [
        types.CompletionItem(
            label=item.label,
            kind=_COMPLETION_KINDS.get(item.kind, types.CompletionItemKind.Text),
            detail=item.detail or None,
            sort_text=item.sort_text,
            text_edit=types.TextEdit(
                range=range_of(index, item.replace_span, unit), new_text=item.insert_text
            ),
        )
        for item in result.items
    ]
    return types.CompletionList(is_incomplete=result.is_incomplete, items=items)


def folding_range(folding: FoldingRange) -> types.FoldingRange:
    return types.FoldingRange(
        start_line=folding.start_line,
        end_line=folding.end_line,
        kind=types.FoldingRangeKind.Comment if folding.kind == "comment" else types.FoldingRangeKind.Region,
    )


def document_link(
    link: DocumentLink, index: LineIndex, unit: ColumnUnit, paths: PathMapper, tooltip: bool
) -> types.DocumentLink:
    return types.DocumentLink(
        range=range_of(index, link.span, unit),
        target=paths.uri(link.target),
        tooltip=link.tooltip if tooltip else None,
    )


def _inside(inner: Span, outer: Span) -> Span:
    """LSP requires the selection range to be contained in the range."""
    start = min(max(inner.start, outer.start), outer.end)
    end = min(max(inner.end, start), outer.end)
    return Span(start, end)


# -- the active configuration's features (inlay hints, code lenses) ---------------------------


def inlay_hint(hint: InlayHint, index: LineIndex, unit: ColumnUnit) -> types.InlayHint:
    line, column = index.position(hint.offset, unit)
    return types.InlayHint(
        position=types.Position(line=line, character=column),
        label=hint.label,
        kind=types.InlayHintKind.Parameter if hint.kind == "assignment" else None,
        padding_left=hint.padding_left or None,
    )


def location_json(
    place: Location, indexes: IndexProvider, unit: ColumnUnit, paths: PathMapper
) -> dict[str, Any]:
    """A `Location` as JSON, for command arguments (which the protocol types as any JSON value)."""
    converted = location(place, indexes, unit, paths)
    return {"uri": converted.uri, "range": range_json(converted.range)}


def range_json(range_: types.Range) -> dict[str, Any]:
    return {
        "start": {"line": range_.start.line, "character": range_.start.character},
        "end": {"line": range_.end.line, "character": range_.end.character},
    }
