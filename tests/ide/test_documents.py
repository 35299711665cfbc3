"""Incremental document sync: random edit sequences give the same text as a fresh copy.

Each edit is chosen on the *current* text in code points, then spelled the
way a client would send it: (line, column) ranges in UTF-16 code units
(VS Code), UTF-8 bytes (Neovim) or code points. Texts include "é" (two
UTF-8 bytes, one UTF-16 unit) and "😀" (four bytes, two UTF-16 units), and
CRLF line ends.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.text.documents import (
    ByteEdit,
    DocumentStore,
    TextChange,
    apply_text_changes,
    map_span_through_edits,
)
from kconfig_ls.text.line_index import ColumnUnit

ALPHABET = st.sampled_from(["a", "B", "_", " ", "\t", "\n", "\r\n", "é", "😀", "ß", '"', "#", "☕"])
TEXTS = st.lists(ALPHABET, max_size=60).map("".join)
UNITS: list[ColumnUnit] = ["utf-8", "utf-16", "utf-32"]


def position(text: str, index: int, unit: ColumnUnit) -> tuple[int, int]:
    """A reference implementation, independent of LineIndex."""
    before = text[:index]
    line = before.count("\n")
    line_prefix = before[before.rfind("\n") + 1 :]
    if unit == "utf-8":
        column = len(line_prefix.encode("utf-8"))
    elif unit == "utf-16":
        column = len(line_prefix.encode("utf-16-le")) // 2
    else:
        column = len(line_prefix)
    return line, column


@st.composite
def edit_sequences(draw: st.DrawFn) -> tuple[str, list[list[tuple[int, int, str]]], ColumnUnit]:
    initial = draw(TEXTS)
    unit = draw(st.sampled_from(UNITS))
    batches: list[list[tuple[int, int, str]]] = []
    text = initial
    for _ in range(draw(st.integers(1, 6))):
        batch: list[tuple[int, int, str]] = []
        for _ in range(draw(st.integers(1, 3))):
            start = draw(st.integers(0, len(text)))
            end = draw(st.integers(start, len(text)))
            # A client never splits a CRLF pair or a surrogate pair.
            if start > 0 and text[start - 1 : start + 1] == "\r\n":
                start -= 1
            if 0 < end < len(text) and text[end - 1 : end + 1] == "\r\n":
                end += 1
            replacement = draw(TEXTS)
            batch.append((start, end, replacement))
            text = text[:start] + replacement + text[end:]
        batches.append(batch)
    return initial, batches, unit


@settings(max_examples=300, deadline=None)
@given(edit_sequences())
def test_incremental_changes_equal_the_final_text(
    case: tuple[str, list[list[tuple[int, int, str]]], ColumnUnit],
) -> None:
    initial, batches, unit = case
    store = DocumentStore()
    store.open("/doc/Kconfig", initial, version=0)
    text = initial
    for version, batch in enumerate(batches, start=1):
        changes: list[TextChange] = []
        for start, end, replacement in batch:
            changes.append(TextChange(replacement, position(text, start, unit), position(text, end, unit)))
            text = text[:start] + replacement + text[end:]
        result = store.change("/doc/Kconfig", changes, version, unit)
        assert result is not None
        document, edits = result
        assert document.data == text.encode("utf-8")
        assert document.version == version
        assert len(edits) == len(batch)


def test_whole_document_change_replaces_everything() -> None:
    data, edits = apply_text_changes("old 😀".encode(), [TextChange("new é")], "utf-16")
    assert data == "new é".encode()
    assert edits == [ByteEdit(0, len("old 😀".encode()), len("new é".encode()))]


def test_positions_past_the_end_are_clamped() -> None:
    data, _ = apply_text_changes(b"ab\ncd", [TextChange("X", (0, 99), (7, 0))], "utf-16")
    assert data == b"abX"


def test_utf16_columns_after_an_emoji() -> None:
    # "😀" is two UTF-16 units: column 3 is after "😀x".
    data, edits = apply_text_changes("😀xy".encode(), [TextChange("Z", (0, 3), (0, 4))], "utf-16")
    assert data == "😀xZ".encode()
    assert edits == [ByteEdit(5, 6, 6)]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 40),
    st.integers(0, 20),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 10), st.integers(0, 10)), max_size=4),
)
def test_moved_spans_cover_the_same_text(
    start: int, length: int, raw_edits: list[tuple[int, int, int]]
) -> None:
    text = bytes(range(65, 65 + 60))
    end = min(start + length, len(text))
    original = text[start:end]
    edits: list[ByteEdit] = []
    data = text
    for edit_start, removed, inserted in raw_edits:
        edit_start = min(edit_start, len(data))
        edit_end = min(edit_start + removed, len(data))
        data = data[:edit_start] + b"\x00" * inserted + data[edit_end:]
        edits.append(ByteEdit(edit_start, edit_end, edit_start + inserted))
    moved = map_span_through_edits(start, end, edits)
    if moved is not None:
        assert data[moved[0] : moved[1]] == original
