"""The engine's own copy of the documents an editor has open.

pygls applies each `didChange` to its own document before a handler runs,
so the text the changes were made against is gone by then. The server
keeps this store instead (ruff's `apply_changes`, clangd's `DraftStore`):
each open document's bytes, with the client's content changes applied in
order, every range converted with `LineIndex` in the negotiated column
unit (UTF-16 for VS Code, UTF-8 when Neovim asks for it).

Applying a batch also returns the byte-level edits (`ByteEdit`), in the
order they were applied, so that results computed for the old text (the
slow diagnostics tier, say) can be moved along with the text instead of
being thrown away or shown at the wrong place.

Plain data only: no LSP types here; the server converts at its edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kconfig_ls.text.line_index import ColumnUnit, LineIndex

__all__ = [
    "ByteEdit",
    "DocumentStore",
    "OpenDocument",
    "TextChange",
    "apply_text_changes",
    "map_span_through_edits",
    "single_edit",
]


@dataclass(frozen=True, slots=True)
class TextChange:
    """One content change as a client sends it.

    `start` and `end` are (line, column) positions in the text as it is
    when this change is applied (after the earlier changes of the batch);
    when both are None the change replaces the whole text.
    """

    text: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None

    @property
    def replaces_everything(self) -> bool:
        return self.start is None or self.end is None


@dataclass(frozen=True, slots=True)
class ByteEdit:
    """`old[start:old_end]` was replaced by bytes now at `new[start:new_end]`."""

    start: int
    old_end: int
    new_end: int

    @property
    def delta(self) -> int:
        return self.new_end - self.old_end


@dataclass(slots=True)
class OpenDocument:
    """An open document: its bytes, the client's version and language id."""

    path: str
    data: bytes
    version: int | None = None
    language_id: str = ""

    def apply_changes(self, changes: Iterable[TextChange], unit: ColumnUnit) -> list[ByteEdit]:
        self.data, edits = apply_text_changes(self.data, changes, unit)
        return edits


def apply_text_changes(
    data: bytes, changes: Iterable[TextChange], unit: ColumnUnit
) -> tuple[bytes, list[ByteEdit]]:
    """Apply content changes in order; return the new bytes and the byte edits.

    Positions past the end of a line or of the text are clamped, as the LSP
    specification asks; a reversed range is treated as its normal form.
    """
    edits: list[ByteEdit] = []
    for change in changes:
        replacement = change.text.encode("utf-8", "surrogatepass")
        if change.start is None or change.end is None:
            edits.append(ByteEdit(0, len(data), len(replacement)))
            data = replacement
            continue
        index = LineIndex(data)
        start = index.offset(change.start[0], change.start[1], unit)
        end = index.offset(change.end[0], change.end[1], unit)
        if end < start:
            start, end = end, start
        data = data[:start] + replacement + data[end:]
        edits.append(ByteEdit(start, end, start + len(replacement)))
    return data, edits


def map_span_through_edits(start: int, end: int, edits: Iterable[ByteEdit]) -> tuple[int, int] | None:
    """Where a span of the old text is after the edits, or None if an edit touched it.

    Edits before the span move it; edits after it leave it; an edit that
    overlaps it (or inserts text strictly inside it) changes what it covers,
    so the span no longer means anything.
    """
    for edit in edits:
        if edit.old_end <= start:
            start += edit.delta
            end += edit.delta
        elif edit.start >= end:
            continue
        else:
            return None
    return start, end


class DocumentStore:
    """Open documents keyed by file-system path."""

    def __init__(self) -> None:
        self._documents: dict[str, OpenDocument] = {}

    def open(self, path: str, text: str, version: int | None = None, language_id: str = "") -> OpenDocument:
        document = OpenDocument(path, text.encode("utf-8", "surrogatepass"), version, language_id)
        self._documents[path] = document
        return document

    def change(
        self, path: str, changes: Iterable[TextChange], version: int | None, unit: ColumnUnit
    ) -> tuple[OpenDocument, list[ByteEdit]] | None:
        """Apply a batch of changes to an open document; None if it is not open."""
        document = self._documents.get(path)
        if document is None:
            return None
        edits = document.apply_changes(changes, unit)
        document.version = version
        return document, edits

    def close(self, path: str) -> OpenDocument | None:
        return self._documents.pop(path, None)

    def get(self, path: str) -> OpenDocument | None:
        return self._documents.get(path)

    def __contains__(self, path: object) -> bool:
        return path in self._documents

    def __iter__(self) -> Iterator[OpenDocument]:
        return iter(list(self._documents.values()))

    def __len__(self) -> int:
        return len(self._documents)


def single_edit(old: bytes, new: bytes) -> tuple[int, int, int]:
    """The one edit turning `old` into `new`: (start, end in old, end in new).

    The longest common prefix and suffix, found by bisection on slice
    comparisons (each done in C), so a keystroke in a large file costs
    microseconds. Several edits between two calls merge into one covering them.
    """
    limit = min(len(old), len(new))
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if old[:middle] == new[:middle]:
            low = middle
        else:
            high = middle - 1
    prefix = low
    low, high = 0, limit - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if old[len(old) - middle :] == new[len(new) - middle :]:
            low = middle
        else:
            high = middle - 1
    suffix = low
    return prefix, len(old) - suffix, len(new) - suffix
