"""The code index's on-disk cache, and the reference table it gives without building it.

A warm start of Linux's index used to cost, besides the walk: decoding the
entries (0.10 s), comparing each walked file with its entry (0.09 s), and the
reference table of 145,000 `CodeReference` rows (0.13 s), although the lint
reads the rows of a few hundred symbols only (the names no Kconfig file
defines); the others are looked up by name and skipped. So the cache keeps,
beside the entries, the reference table packed per symbol: one `bytes` of
32-bit integers per symbol (file number, start, end, line, kind number,
module suffix; six a row), in the table's order. Loading it is one `bytes`
object per symbol (20,000 for Linux); `PackedReferences` decodes a symbol's
rows on first use and keeps them. An unchanged tree is recognised at C speed
(the walk's rows against the entries' paths, sizes and times, in order), so
the entries are then the index as they are.

The file is one `marshal` document behind its checksum, written atomically
(`code_files.write_checked_blob`): the entries and the packed table can never
come from two different writers. Everything is checked before use (types,
row lengths); anything unexpected makes the whole cache count as absent,
never a crash. The numbers inside a symbol's rows are checked when they are
decoded (rows out of range, which only a forged file with a valid checksum
can hold, are dropped with a warning). `marshal` cannot run
code, whatever the file holds.
"""

from __future__ import annotations

import array
import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, overload

from kconfig_ls.semantics.code_files import read_checked_blob, write_checked_blob

if TYPE_CHECKING:
    from kconfig_ls.semantics.code_index import CodeReference

__all__ = ["CachedIndex", "PackedReferences", "load_cache", "packed_reference_table", "store_cache"]

_LOG = logging.getLogger(__name__)

_ROW: Final = 6
"""Integers per packed reference row: file number, start, end, line, kind number, module suffix."""
_TYPECODE: Final = "i"
_ROW_BYTES: Final = _ROW * array.array(_TYPECODE).itemsize

PackedTable = tuple[dict[str, bytes], tuple[str, ...]]
"""Symbol -> its packed rows, and the reference kinds the rows number."""


class PackedReferences(Sequence["CodeReference"]):
    """A symbol's uses as `CodeReference` rows, decoded from the packed table on first use.

    Behaves as the list it stands for (length, indexing, iteration, equality
    with a list); `len` needs no decoding. The decoded rows are kept, so a
    second use costs what a list costs.
    """

    __slots__ = ("_decoded", "_kinds", "_packed", "_paths", "_symbol")

    def __init__(self, symbol: str, packed: bytes, paths: Sequence[str], kinds: tuple[str, ...]) -> None:
        self._symbol = symbol
        self._packed = packed
        self._paths = paths
        self._kinds = kinds
        self._decoded: list[CodeReference] | None = None

    def _rows(self) -> list[CodeReference]:
        decoded = self._decoded
        if decoded is None:
            from kconfig_ls.semantics.code_index import CodeReference
            from kconfig_ls.syntax.kconfig import Span

            values = array.array(_TYPECODE, self._packed)
            paths, kinds, symbol = self._paths, self._kinds, self._symbol
            if not _in_range(values, len(paths), len(kinds)):
                # Only a file forged with a valid checksum gets here: its rows are dropped.
                _LOG.warning("the code index cache holds bad rows for %s; ignored", symbol)
                values = array.array(_TYPECODE)
            make = tuple.__new__  # as `CodeIndex.references` builds them: no Python-level `__new__`
            decoded = [
                make(
                    CodeReference,
                    (
                        symbol,
                        paths[values[at]],
                        make(Span, (values[at + 1], values[at + 2])),
                        values[at + 3],
                        kinds[values[at + 4]],
                        values[at + 5] != 0,
                    ),
                )
                for at in range(0, len(values), _ROW)
            ]
            self._decoded = decoded
        return decoded

    def __len__(self) -> int:
        return len(self._packed) // _ROW_BYTES

    @overload
    def __getitem__(self, index: int) -> CodeReference: ...

    @overload
    def __getitem__(self, index: slice) -> list[CodeReference]: ...

    def __getitem__(self, index: int | slice) -> CodeReference | list[CodeReference]:
        return self._rows()[index]

    def __iter__(self) -> Iterator[CodeReference]:
        return iter(self._rows())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PackedReferences):
            return self._rows() == other._rows()
        if isinstance(other, (list, tuple)):
            return self._rows() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a list is not hashable either

    def __repr__(self) -> str:
        return repr(self._rows())


class CachedIndex:
    """What a valid cache file holds: the entries in the walk's order and the packed table."""

    __slots__ = ("entries", "table")

    def __init__(self, entries: dict[str, Any], table: PackedTable | None) -> None:
        self.entries = entries
        self.table = table


def packed_reference_table(entries: dict[str, Any]) -> PackedTable | None:
    """The reference table of `entries` (as `CodeIndex.references` orders it), packed per symbol;
    None if a number does not fit (a file over 2 GB cannot be indexed, so never in practice)."""
    kind_numbers: dict[str, int] = {}
    rows: dict[str, list[int]] = {}
    for number, entry in enumerate(entries.values()):
        for symbol, start, end, line, kind, module_suffix in entry[3]:
            code = kind_numbers.get(kind)
            if code is None:
                code = kind_numbers[kind] = len(kind_numbers)
            row = rows.get(symbol)
            if row is None:
                rows[symbol] = [number, start, end, line, code, module_suffix]
            else:
                row += (number, start, end, line, code, module_suffix)
    try:
        packed = {symbol: array.array(_TYPECODE, row).tobytes() for symbol, row in rows.items()}
    except OverflowError:
        return None
    return packed, tuple(kind_numbers)


def reference_table(table: PackedTable, paths: Sequence[str]) -> dict[str, Sequence[CodeReference]]:
    """`CodeIndex.references` from a packed table: each symbol's rows decoded on first use."""
    packed, kinds = table
    return {symbol: PackedReferences(symbol, rows, paths, kinds) for symbol, rows in packed.items()}


def store_cache(
    path: str, header: str, root: str, entries: dict[str, Any], table: PackedTable | None
) -> None:
    """Write the entries (in their order) and the packed table as one checksummed document."""
    write_checked_blob(path, (header, root, entries, table), "code index")


def load_cache(path: str, header: str, root: str) -> CachedIndex | None:
    """The cache written by `store_cache` for this program and root, or None (missing, torn, another
    program's, or anything malformed)."""
    document = read_checked_blob(path, "code index")
    if not isinstance(document, tuple) or len(document) != 4:
        return None
    written_header, written_root, entries, table = document
    if written_header != header or written_root != root or not isinstance(entries, dict):
        return None
    if not all(type(entry) is tuple and len(entry) == 9 for entry in entries.values()):
        _LOG.info("code index cache %s holds malformed entries; rebuilding", path)
        return None
    return CachedIndex(entries, table if _valid_table(table) else None)


def _valid_table(table: object) -> bool:
    """Whether `table` has a packed table's shape (the numbers in the rows are checked as a symbol's
    rows are decoded, `_in_range`: checking all 870,000 here would cost a fifth of the load)."""
    if not isinstance(table, tuple) or len(table) != 2:
        return False
    packed, kinds = table
    if not isinstance(packed, dict) or not isinstance(kinds, tuple):
        return False
    if not all(type(kind) is str for kind in kinds) or not all(type(symbol) is str for symbol in packed):
        return False
    return all(type(rows) is bytes and rows and len(rows) % _ROW_BYTES == 0 for rows in packed.values())


def _in_range(values: array.array[int], files: int, kinds: int) -> bool:
    """Whether every file and kind number of packed rows is in range, and every offset positive."""
    if not values:
        return True
    file_numbers, kind_numbers = values[0::_ROW], values[4::_ROW]
    return (
        min(file_numbers) >= 0
        and max(file_numbers) < files
        and min(kind_numbers) >= 0
        and max(kind_numbers) < kinds
        and min(values[1::_ROW]) >= 0
        and min(values[3::_ROW]) >= 0
    )
