"""The code index's on-disk cache, and the reference table it gives without building it.

A warm start of Linux's index used to cost, besides the walk: decoding the
entries (0.10 s), comparing each walked file with its entry (0.09 s), and the
reference table of 145,000 `CodeReference` rows (0.13 s), although the lint
reads the rows of a few hundred symbols only (the names no Kconfig file
defines); the others are looked up by name and skipped.

So the file has two sections, each a `marshal` document behind its own
checksum. The head holds what a warm start needs: the listing the entries
were made from (paths in the walk's order; sizes and times as one `bytes`),
the reference table packed per symbol (one `bytes` of 32-bit integers per
symbol: file number, start, end, line, kind number, module suffix, six a
row, in the table's order: 20,000 objects for Linux), and the entries of the
few files that define names or hold lying comments, problems or renamings
(the tables a lint reads for every file). The body holds every entry and is
decoded only when the index's `entries` are first asked for (`EntryStore`):
a list of `marshal` blobs, each a list of entries (None for a path without
one), which in order give the entries of the listing's paths. A cold build
writes the blobs its scan workers sent as they are (`store_cache`'s
`chunks`): encoding the 60,000 entries again would cost ~0.2 s after the last
chunk, while nothing else runs.
An unchanged tree is recognised at C speed (the whole walk against the
listing, every size and time to the nanosecond); `PackedReferences` decodes a
symbol's rows on first use and keeps them.

The file is written atomically (one `os.replace`): the sections can never
come from two writers. Both checksums are checked on load, and the head's
shape (types, lengths); anything unexpected makes the whole cache count as
absent, never a crash. The numbers inside a symbol's rows are checked when
they are decoded, and the body's shape when it is: rows out of range are
dropped, malformed entries scanned again, with a warning (only a file forged
with valid checksums holds either). `marshal` cannot run code, whatever the
file holds.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import logging
import marshal
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final, overload

from kconfig_ls.semantics.discovery import paused_garbage_collection

if TYPE_CHECKING:
    from kconfig_ls.semantics.code_index import CodeReference

__all__ = [
    "CacheWrite",
    "CachedIndex",
    "EntryStore",
    "PackedReferences",
    "PackedTableBuilder",
    "load_cache",
    "packed_reference_table",
    "store_cache",
]

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
            from kconfig_ls.syntax.span import Span

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
    """A valid cache file: the listing it was made from, the packed table, the entries of the few
    files with more than references, and the entries of all files, decoded only when asked for."""

    __slots__ = ("_body", "paths", "side", "stats", "table")

    def __init__(
        self,
        paths: tuple[str, ...],
        stats: bytes,
        table: PackedTable | None,
        side: dict[str, Any],
        body: bytes,
    ) -> None:
        self.paths = paths
        self.stats = stats
        self.table = table
        self.side = side
        self._body = body

    def matches(self, walked: list[tuple[str, int, int]]) -> bool:
        """Whether a walk's rows are the listing the cache was made from, in order (C speed)."""
        return (
            len(walked) == len(self.paths)
            and [row[0] for row in walked] == list(self.paths)
            and _stats(walked) == self.stats
        )

    def listing(self) -> list[tuple[str, int, int]]:
        """(path, size, modification time) of every cached file, in order."""
        values = array.array("q", self.stats)
        return list(zip(self.paths, values[0::2], values[1::2], strict=True))

    def entries(self) -> dict[str, Any] | None:
        """Every file's entry, in the listing's order; None if the stored entries are malformed."""
        values: list[Any] = []
        try:
            chunks = marshal.loads(self._body)
            if not isinstance(chunks, list) or not all(type(chunk) is bytes for chunk in chunks):
                return None
            for chunk in chunks:
                part = marshal.loads(chunk)
                if not isinstance(part, list):
                    return None
                values += part
        except (ValueError, EOFError, TypeError):
            return None
        if None in values:
            values = [entry for entry in values if entry is not None]
        if len(values) != len(self.paths):
            return None
        # Every entry a tuple of nine, checked at C speed (a loop over 60,000 entries cost ~0.02 s).
        if values and (set(map(type, values)) != {tuple} or set(map(len, values)) != {9}):
            return None
        return dict(zip(self.paths, values, strict=True))


class EntryStore:
    """A code index's entries: a dict, or after a warm start the cache they are decoded from when
    first asked for. Until then `few` gives the entries of the few files with more than references
    (the tables a lint reads for every file) from the cache's head. A store is never changed in
    place but replaced (`CodeIndex.entries = ...`), so the copies an index makes share it safely."""

    __slots__ = ("_cached", "_entries", "_lock", "_rescan")

    def __init__(
        self,
        entries: dict[str, Any] | None,
        cached: CachedIndex | None = None,
        rescan: Callable[[list[str]], list[Any]] | None = None,
    ) -> None:
        self._entries = entries
        self._cached = cached
        self._rescan = rescan
        self._lock = threading.Lock()

    def entries(self) -> dict[str, Any]:
        entries = self._entries
        if entries is None:
            # The collector paused while the 60,000 entries (half a million tuples) are decoded,
            # and what survives frozen, as a build leaves its entries: its young collections
            # during the decoding cost ~0.03 s more for Linux, and a full one later would scan them.
            with self._lock, paused_garbage_collection():  # two threads asking at once decode once
                if self._entries is None:
                    self._entries = self._decoded()
                entries = self._entries
        return entries

    def _decoded(self) -> dict[str, Any]:
        cached = self._cached
        assert cached is not None
        entries = cached.entries()
        if entries is None:
            # Only a file forged with valid checksums gets here: its files are scanned again.
            _LOG.warning("the code index cache holds malformed entries; scanning the files again")
            paths = list(cached.paths)
            scanned = self._rescan(paths) if self._rescan is not None else [None] * len(paths)
            entries = {path: entry for path, entry in zip(paths, scanned, strict=True) if entry is not None}
        self._cached = None
        return entries

    def few(self) -> Iterable[tuple[str, Any]]:
        """(path, entry) of every file that may define names or hold lying comments, problems or
        renamings (`_has_more_than_references`, inlined), in order: the ~300 of Linux's 60,000,
        whose tables the lint makes in its serial tail (all entries, sorted for the renamings,
        cost more). Filtered anew each time from decoded entries, which `update_file` changes."""
        cached = self._cached
        if self._entries is None and cached is not None:
            return cached.side.items()
        return [
            (path, entry)
            for path, entry in self.entries().items()
            if entry[4] or entry[6] or entry[7] or entry[8]
        ]

    def count(self) -> int:
        cached = self._cached
        return len(cached.paths) if self._entries is None and cached is not None else len(self.entries())

    def listing(self) -> list[tuple[str, int, int]] | None:
        """(path, size, time) of every file while the entries are not decoded (then None)."""
        cached = self._cached
        return cached.listing() if self._entries is None and cached is not None else None


def _stats(listing: Iterable[tuple[str, int, int]]) -> bytes:
    return array.array("q", [value for _, size, mtime_ns in listing for value in (size, mtime_ns)]).tobytes()


def _has_more_than_references(entry: Any) -> bool:
    """Whether an entry defines names, has lying comments, problems or renamings (the tables a lint
    reads for every file; Makefiles' objects are read per symbol, by the editor only)."""
    return bool(entry[4] or entry[6] or entry[7] or entry[8])


def packed_reference_table(entries: dict[str, Any]) -> PackedTable | None:
    """The reference table of `entries` (as `CodeIndex.references` orders it), packed per symbol;
    None if a number does not fit (a file over 2 GB cannot be indexed, so never in practice)."""
    builder = PackedTableBuilder()
    for entry in entries.values():
        builder.add(entry)
    return builder.table()


class PackedTableBuilder:
    """`packed_reference_table`, one entry or chunk at a time in the table's order: a cold build
    packs each chunk of entries as it arrives from the workers, while the others are still
    scanning, instead of all 145,000 rows after the last one (on one core, while the other idles).

    Each symbol's rows grow as an `array` (`fromlist`: the integers are converted as they come,
    so `table` only copies bytes), and a chunk also gives the head's other parts that depend on
    every entry (`add_chunk`: the sizes and times, the few entries with more than references),
    which `store_cache` would otherwise compute after the last chunk."""

    __slots__ = ("_few", "_kind_numbers", "_overflowed", "_rows", "_stats", "count")

    def __init__(self) -> None:
        self._kind_numbers: dict[str, int] = {}
        self._rows: dict[str, array.array[int]] = {}
        self._overflowed = False
        self._stats: array.array[int] = array.array("q")
        self._few: dict[str, Any] = {}
        self.count = 0
        """Entries added: the next one's file number."""

    def add(self, entry: Any) -> None:
        """One entry's references (the head's other parts are then not collected)."""
        number = self.count
        self.count += 1
        kind_numbers, rows = self._kind_numbers, self._rows
        for symbol, start, end, line, kind, module_suffix in entry[3]:
            code = kind_numbers.get(kind)
            if code is None:
                code = kind_numbers[kind] = len(kind_numbers)
            row = rows.get(symbol)
            if row is None:
                row = rows[symbol] = array.array(_TYPECODE)
            try:
                row.fromlist([number, start, end, line, code, module_suffix])
            except OverflowError:
                self._overflowed = True

    def add_chunk(self, paths: Sequence[str], results: Sequence[Any]) -> None:
        """A chunk's entries (None where a path has none), with their sizes and times and the
        few with more than references (`head_parts`)."""
        number = self.count
        kind_numbers, rows, few = self._kind_numbers, self._rows, self._few
        stats: list[int] = []
        for path, entry in zip(paths, results, strict=True):
            if entry is None:
                continue
            for symbol, start, end, line, kind, module_suffix in entry[3]:
                code = kind_numbers.get(kind)
                if code is None:
                    code = kind_numbers[kind] = len(kind_numbers)
                row = rows.get(symbol)
                if row is None:
                    row = rows[symbol] = array.array(_TYPECODE)
                try:
                    row.fromlist([number, start, end, line, code, module_suffix])
                except OverflowError:
                    self._overflowed = True
            if entry[4] or entry[6] or entry[7] or entry[8]:  # `_has_more_than_references`
                few[path] = entry
            stats += entry[:2]
            number += 1
        self.count = number
        self._stats.fromlist(stats)

    def table(self) -> PackedTable | None:
        if self._overflowed:
            return None
        return {symbol: row.tobytes() for symbol, row in self._rows.items()}, tuple(self._kind_numbers)

    def head_parts(self) -> tuple[bytes, dict[str, Any]]:
        """The sizes and times (`_stats`) and the few entries of everything added by `add_chunk`."""
        return self._stats.tobytes(), self._few


def reference_table(table: PackedTable, paths: Sequence[str]) -> dict[str, Sequence[CodeReference]]:
    """`CodeIndex.references` from a packed table: each symbol's rows decoded on first use."""
    packed, kinds = table
    return {symbol: PackedReferences(symbol, rows, paths, kinds) for symbol, rows in packed.items()}


def store_cache(
    path: str,
    header: str,
    root: str,
    entries: dict[str, Any],
    table: PackedTable | None,
    chunks: list[bytes] | None = None,
    head_parts: tuple[bytes, dict[str, Any]] | None = None,
) -> None:
    """Write the cache: a head (the listing, the packed table, the few entries with more than
    references) and a body (all entries). `chunks` are the entries already encoded, as the
    body holds them (`CachedIndex.entries`: the scan workers' blobs); else they are encoded here.
    `head_parts` are the entries' sizes and times and their few, if collected already
    (`PackedTableBuilder.head_parts`)."""
    if head_parts is None:
        head_parts = (
            _stats((path, entry[0], entry[1]) for path, entry in entries.items()),
            {path: entry for path, entry in entries.items() if _has_more_than_references(entry)},
        )
    head = (header, root, tuple(entries), head_parts[0], table, head_parts[1])
    write_sections(path, head, chunks if chunks is not None else [marshal.dumps(list(entries.values()))])


class CacheWrite:
    """`store_cache` in a forked child, while this process goes on (`start`); `wait` reaps it.

    A cold build's write (the head and body encoded, checksummed, written: ~0.15-0.2 s of CPU
    for Linux) is otherwise on the critical path of a lint: after the index come the code
    rules and the report, on one core while the other idles. The child starts with the entries
    and the packed table as they are (copy-on-write), writes the file atomically as
    `store_cache` does, and leaves with `os._exit`: it runs no handler and flushes no buffer of
    this process. Only where forking is safe (the caller checks: no other thread). A child
    that fails, or has not finished within `timeout` seconds of `wait`, leaves no file or the
    previous one (the write is atomic), with a warning.
    """

    def __init__(self, pid: int, path: str) -> None:
        self._pid = pid
        self._path = path

    @classmethod
    def start(
        cls,
        path: str,
        header: str,
        root: str,
        entries: dict[str, Any],
        table: PackedTable | None,
        chunks: list[bytes] | None = None,
    ) -> CacheWrite | None:
        """Fork the writer; None if the fork failed (then the caller writes itself)."""
        try:
            pid = os.fork()
        except OSError as error:
            _LOG.info("cannot fork to write the code index cache (writing it now): %s", error)
            return None
        if pid == 0:  # the child: nothing of the parent's may run here (no atexit, no buffers)
            status = 1
            try:
                store_cache(path, header, root, entries, table, chunks)
                status = 0
            finally:
                os._exit(status)
        return cls(pid, path)

    def wait(self, timeout: float = 120.0) -> None:
        """Reap the writer (at most `timeout` seconds, then it is ended): the file is then whole."""
        pid, self._pid = self._pid, 0
        if pid == 0:
            return
        deadline = time.monotonic() + timeout
        delay = 0.001
        while True:
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                return  # reaped elsewhere (a caller's own `waitpid(-1)`): nothing to wait for
            if done:
                break
            if time.monotonic() > deadline:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, 0)
                _LOG.warning("the code index cache write did not finish in %.0f s; ended it", timeout)
                return
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
        if os.waitstatus_to_exitcode(status) != 0:
            _LOG.warning("cannot write the code index cache %s (the writer failed)", self._path)


def write_sections(path: str, head: Any, body: Any) -> None:
    """Write two `marshal` documents, each behind its checksum, atomically (concurrent writers
    leave one whole file): the head's checksum and length, the head, the body's checksum, the body."""
    try:
        head_bytes, body_bytes = marshal.dumps(head), marshal.dumps(body)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=os.path.dirname(path), prefix=".code-index-", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(hashlib.sha256(head_bytes).digest())
            handle.write(len(head_bytes).to_bytes(8, "little"))
            handle.write(head_bytes)
            handle.write(hashlib.sha256(body_bytes).digest())
            handle.write(body_bytes)
        os.replace(temporary, path)
    except (OSError, ValueError) as error:
        _LOG.warning("cannot write the code index cache: %s", error)


def read_sections(path: str) -> tuple[Any, bytes] | None:
    """The head `write_sections` wrote, decoded, and the body still encoded (its checksum checked);
    None if the file is missing, torn or corrupt."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    head_end = 40 + int.from_bytes(blob[32:40], "little")
    head, body = blob[40:head_end], blob[head_end + 32 :]
    if (
        len(blob) < head_end + 32
        or hashlib.sha256(head).digest() != blob[:32]
        or hashlib.sha256(body).digest() != blob[head_end : head_end + 32]
    ):
        _LOG.info("code index cache %s is torn or corrupt; rebuilding", path)
        return None
    try:
        return marshal.loads(head), body
    except (ValueError, EOFError, TypeError):
        return None


def load_cache(path: str, header: str, root: str) -> CachedIndex | None:
    """The cache written by `store_cache` for this program and root, or None (missing, torn, another
    program's, or anything malformed). The entries' checksum is checked here, their decoding waits."""
    sections = read_sections(path)
    if sections is None:
        return None
    document, body = sections
    if not isinstance(document, tuple) or len(document) != 6:
        return None
    written_header, written_root, paths, stats, table, side = document
    if written_header != header or written_root != root:
        return None
    if not isinstance(paths, tuple) or not all(type(name) is str for name in paths):
        return None
    if not isinstance(stats, bytes) or len(stats) != 16 * len(paths) or not isinstance(side, dict):
        return None
    if not all(type(entry) is tuple and len(entry) == 9 for entry in side.values()):
        return None
    return CachedIndex(paths, stats, table if _valid_table(table) else None, side, body)


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
