"""The index of Kconfig symbols used outside Kconfig: C, headers, Makefiles, config files.

Linux has ~61,000 C files and ~86,700 `CONFIG_` occurrences. The index scans
every file once with the fast byte scanners of `kconfig_ls.syntax`
(`c_preprocessor`, `makefile`, `config_file`), in worker processes, and keeps
per file only compact tuples: the references that count (see
`kconfig_ls.syntax.config_reference` for the policy), the `CONFIG_` names the
file defines itself, the objects a Makefile builds per symbol, lying
`#endif` comments, and problems. The per-file results are plain tuples of
strings and integers, so they are cached on disk with `marshal` (no code can
be run by a cache file), keyed by path, size and modification time, with the
reference table packed per symbol (`code_index_cache`: checksummed, written
atomically; a warm start decodes the entries only when asked for). Which
files are indexed, and the walk that finds them, are in `code_files`; the scan
of one file into its entry, which the workers run, is in `code_index_scan`.

Open documents are re-indexed from the editor's bytes with `update_file`.

Invariant: the index reads files and never runs anything; files larger than
`MAX_CODE_FILE_SIZE` or that look binary are skipped with a logged reason.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import hashlib
import itertools
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, cast

from kconfig_ls import __version__
from kconfig_ls.program import program_identity
from kconfig_ls.semantics.code_files import CodeFileKind, CodeFileWalk, classify_code_file
from kconfig_ls.semantics.code_index_cache import (
    CachedIndex,
    CacheWrite,
    EntryStore,
    PackedTable,
    PackedTableBuilder,
    load_cache,
    packed_reference_table,
    reference_table,
    store_cache,
)
from kconfig_ls.semantics.code_index_scan import (
    MAX_CODE_FILE_SIZE,
    FileEntry,
    import_scanners,
    scan_chunk,
    scan_code_file,
)
from kconfig_ls.semantics.code_names import describe_reference_kind, nested_key
from kconfig_ls.semantics.code_records import CodeReference, CommentMismatch, Renaming
from kconfig_ls.semantics.discovery import paused_garbage_collection

if TYPE_CHECKING:
    # Imported where used: the scan workers import this module, and neither the ecosystems
    # (with the Kconfig definitions they import) nor the Kconfig syntax is theirs to load.
    from kconfig_ls.settings.ecosystem import Ecosystem
    from kconfig_ls.syntax.span import Span

__all__ = [
    "MAX_CODE_FILE_SIZE",
    "CodeFileKind",
    "CodeIndex",
    "CodeReference",
    "CommentMismatch",
    "Renaming",
    "classify_code_file",
    "describe_reference_kind",
    "import_scanners",
    "nested_key",
    "scan_code_file",
]

_CACHE_FORMAT: Final = 9


def _cache_header() -> str:
    """The cache's format and the program that wrote it: a changed scanner never reads old entries."""
    return f"{_CACHE_FORMAT}:{program_identity()}"


@dataclass
class IndexStatistics:
    files: int = 0
    scanned: int = 0
    from_cache: int = 0
    seconds: float = 0.0


class CodeIndex:
    """The workspace-wide index of `CONFIG_` uses outside Kconfig."""

    def __init__(
        self,
        root: str,
        cache_directory: str | None = None,
        workers: int | None = None,
        excluded_folders: Iterable[str] = (),
        ecosystem: Ecosystem | None = None,
        extra_roots: Iterable[str] | None = None,
    ) -> None:
        """`excluded_folders` are paths relative to the root that are not indexed
        (Linux's `tools/`: userspace programs with a `CONFIG_` namespace of their own).
        `ecosystem` decides how the code spells symbols; by default the one the
        project file names or the tree's detected one. `extra_roots` are folders outside
        the root indexed too (default: the ecosystem's, `derived_code_roots`)."""
        from kconfig_ls.settings.ecosystem import derived_code_roots, ecosystem_for_project

        self.root = os.path.abspath(root)
        self.ecosystem = ecosystem if ecosystem is not None else ecosystem_for_project(self.root)
        self.syntax = self.ecosystem.reference_syntax
        self.excluded = frozenset(
            os.path.normpath(os.path.join(self.root, folder)) for folder in excluded_folders
        )
        # Inside excluded folders, these still give their configuration files (Linux's tools/testing).
        self.fragment_folders = tuple(
            os.path.normpath(os.path.join(self.root, folder))
            for folder in self.ecosystem.config_fragment_folders
        )
        # Code outside the tree that the build compiles with the tree's symbols (Zephyr's modules).
        self.extra_roots = (
            tuple(extra_roots) if extra_roots is not None else derived_code_roots(self.ecosystem, self.root)
        )
        self.cache_directory = cache_directory
        self.workers = workers if workers is not None else max(1, min(4, os.cpu_count() or 1))
        self._entries = EntryStore({})
        self.statistics = IndexStatistics()
        self._references: dict[str, Sequence[CodeReference]] | None = None
        self._defined_in_code: set[str] | None = None
        self._objects: dict[str, list[tuple[str, str, Span, int]]] | None = None
        self._renamings: dict[str, Renaming] | None = None
        self.generation = 0
        self.defer_cache_write = False
        """Leave the cache of a build unwritten until `write_cache` (the lint: see `write_cache`)."""
        self._unwritten: tuple[str, PackedTable | None, list[bytes] | None, int] | None = None
        self._cache_write: CacheWrite | None = None

    @property
    def entries(self) -> dict[str, FileEntry]:
        """Path -> its entry, in the walk's order (after a warm start, decoded on first use)."""
        return self._entries.entries()

    @entries.setter
    def entries(self, entries: dict[str, FileEntry]) -> None:
        self._entries = EntryStore(entries)

    @property
    def file_count(self) -> int:
        """How many files are indexed (without decoding the entries after a warm start)."""
        return self._entries.count()

    def classify(self, path: str) -> CodeFileKind | None:
        """Which scanner reads `path` in this tree (the ecosystem narrows `classify_code_file`)."""
        kind = classify_code_file(path)
        if kind is CodeFileKind.C and not self.syntax.c_files:
            return None
        if (
            kind is CodeFileKind.CONFIG
            and self.ecosystem.config_file_folders
            and os.path.basename(os.path.dirname(path)) not in self.ecosystem.config_file_folders
        ):
            return None
        return kind

    # -- building ------------------------------------------------------------------

    def build(
        self,
        progress: Callable[[int, int], None] | None = None,
        listing: Iterable[tuple[str, int, int]] | None = None,
    ) -> None:
        """Index every C, Makefile and config file below the root.

        The walk and the scans overlap (`code_scanning`): files not in the
        cache go to worker processes in chunks while the walk goes on. The
        entries keep the walk's order whatever the cache held. `listing` is
        a walk already made (`walk_listing`), for a caller that needed the
        tree's fingerprint before deciding to index.
        """
        started = time.perf_counter()
        if listing is None:
            # Without a cache to compare with (none kept, or none written yet: a cold build),
            # the walk's sizes and times would never be read (`CodeFileWalk.file_stats`).
            cache_path = self._cache_path()
            listing = self._walk(file_stats=cache_path is not None and os.path.exists(cache_path))
        with paused_garbage_collection():
            self._build(progress, listing)
        self.statistics.seconds = time.perf_counter() - started

    def walk_listing(self) -> list[tuple[str, int, int]]:
        """(path, size, modification time) of every file `build` would index, in its order."""
        with paused_garbage_collection(freeze=False):
            return list(self._walk())

    @staticmethod
    def listing_fingerprint(listing: Iterable[tuple[str, int, int]]) -> str:
        """`fingerprint()` of the index `build(listing=listing)` makes, without building it
        (all the lint command's results cache needs: an unchanged tree never uses the index)."""
        rows = sorted(listing)
        return hashlib.sha256(
            "".join([f"{path}\0{size}\0{mtime_ns}\n" for path, size, mtime_ns in rows]).encode(
                "utf-8", "surrogateescape"
            )
        ).hexdigest()

    def _build(
        self, progress: Callable[[int, int], None] | None, listing: Iterable[tuple[str, int, int]]
    ) -> None:
        # The cache loads in a thread while the walk goes on: its read and checksum, like the
        # walk's `lstat` calls, run without the interpreter lock. Nothing is scanned before it is
        # known (a path in the cache is not scanned), so the walk's first rows wait in `walked`.
        loaded: list[CachedIndex | None] = []
        loader = threading.Thread(
            target=lambda: loaded.append(self._load_cache()), name="code-index-cache", daemon=True
        )
        loader.start()
        rows = iter(listing)
        walked: list[tuple[str, int, int]] = []
        for row in rows:
            walked.append(row)
            if not loader.is_alive():
                break
        loader.join()
        cache = loaded[0] if loaded else None  # a failed load (it logs) is no cache
        if cache is not None:
            # An unchanged tree in one comparison at C speed: the whole walk against the cached
            # entries' paths, sizes and times, in order. Then the entries are the index as they
            # are, and the reference table is the cached one (`code_index_cache`).
            walked.extend(rows)
            if cache.matches(walked):
                # The entries are decoded when first asked for (`entries`); a lint that reads
                # the reference table and the few files' tables never asks.
                self._entries = EntryStore(None, cache, functools.partial(scan_chunk, syntax=self.syntax))
                self.statistics = IndexStatistics(files=len(walked), scanned=0, from_cache=len(walked))
                self._invalidate()
                if cache.table is not None:
                    self._references = reference_table(cache.table, cache.paths)
                return
        cached: dict[str, FileEntry] = (cache.entries() if cache is not None else None) or {}
        order: list[str] = []
        entries: dict[str, FileEntry | None] = {}
        from_cache = 0
        scan = functools.partial(scan_chunk, syntax=self.syntax)
        from kconfig_ls.semantics.code_scanning import ChunkedScanner

        import_scanners()  # before the workers are forked

        # Without cached entries, the results come in the table's order (the walk's): the
        # reference table is packed as they come, while the workers scan the next chunks.
        packing = PackedTableBuilder() if not cached and self.cache_directory is not None else None

        def collect(chunks: Iterable[tuple[list[str], list[FileEntry | None]]]) -> None:
            for paths, results in chunks:
                entries.update(zip(paths, results, strict=True))  # `_collect` checked the lengths
                if packing is not None:
                    packing.add_chunk(paths, results)
                if progress is not None:
                    progress(len(entries), len(order))

        # The workers' blobs, kept for the cache's body when they will be all of it (as `packing`).
        with ChunkedScanner(scan, self.workers, keep_blobs=packing is not None) as scanner:
            for path, size, mtime_ns in itertools.chain(walked, rows):
                order.append(path)
                if cached:
                    previous = cached.get(path)
                    if previous is not None and previous[0] == size and previous[1] == mtime_ns:
                        entries[path] = previous
                        from_cache += 1
                        continue
                if scanner.add(path):
                    collect(scanner.results())
            collect(scanner.finish())
            scanned = scanner.count
            blobs = scanner.blobs
        if scanned == 0 or not cached:
            # Every entry came from the cache, or none did (the chunks came back in the walk's
            # order): `entries` is in the walk's order, and taken as it is without a path lacking
            # one (a scanned path always has one: the walk chose it).
            self.entries = (
                cast("dict[str, FileEntry]", entries)
                if None not in entries.values()
                else {path: entry for path, entry in entries.items() if entry is not None}
            )
        else:
            self.entries = {path: entry for path in order if (entry := entries.get(path)) is not None}
        self.statistics = IndexStatistics(files=len(order), scanned=scanned, from_cache=from_cache)
        self._invalidate()
        if scanned or len(cached) != len(self.entries):
            # The table packed on the way is the one of the entries if every one was added once.
            # So are the workers' blobs, in the same order, the entries as the cache's body holds them.
            packed = packing is not None and from_cache == 0 and packing.count == len(self.entries)
            table = self._store_cache(
                packing.table() if packing is not None and packed else None,
                blobs if packed else None,
                packing.head_parts() if packing is not None and packed else None,
            )
            if table is not None:
                # Packed for the cache anyway: the table is then decoded per symbol on first use.
                self._references = reference_table(table, list(self.entries))

    def update_file(self, path: str, data: bytes) -> None:
        """Re-index one file from new contents (an editor buffer)."""
        entry = scan_code_file(path, data, len(data), 0, self.syntax, self.classify(path))
        if entry is not None:
            self._replace_entry(path, entry)

    def reload_file(self, path: str) -> None:
        """Re-read one file from disk, or forget it if it is gone."""
        kind = self.classify(path)
        entry = scan_code_file(path, syntax=self.syntax, kind=kind) if kind is not None else None
        self._replace_entry(path, None if entry is None or not os.path.exists(path) else entry)

    def with_file_contents(self, path: str, data: bytes) -> CodeIndex:
        """A new index with one file re-indexed from new contents; this one is unchanged.

        Copy-on-write: the entry table and the derived tables are copied, and
        only the lists of the symbols the file mentions are rebuilt, so a
        keystroke costs what the file and a few dictionary copies cost.
        """
        kind = self.classify(path)
        entry = scan_code_file(path, data, len(data), 0, self.syntax, kind) if kind is not None else None
        return self._copy_with(path, entry)

    def with_file_from_disk(self, path: str) -> CodeIndex:
        """A new index with one file re-read from disk (or forgotten if it is gone)."""
        kind = self.classify(path)
        entry = scan_code_file(path, syntax=self.syntax, kind=kind) if kind is not None else None
        return self._copy_with(path, None if entry is None or not os.path.exists(path) else entry)

    def _copy_with(self, path: str, entry: FileEntry | None) -> CodeIndex:
        copy = CodeIndex.__new__(CodeIndex)
        copy.__dict__.update(self.__dict__)
        copy.entries = dict(self.entries)
        old = self.entries.get(path)
        if self._references is not None:
            copy._references = dict(self._references)
            touched = {r[0] for r in old[3]} if old is not None else set()
            touched |= {r[0] for r in entry[3]} if entry is not None else set()
            for symbol in touched:
                copy._references[symbol] = list(self._references.get(symbol, ()))
        copy._replace_entry(path, entry)
        return copy

    # -- queries -------------------------------------------------------------------

    @property
    def references(self) -> dict[str, Sequence[CodeReference]]:
        """Symbol name -> its uses in code (in the entries' order), built on first use after a change.

        From the cache, or after a build that wrote it, each symbol's uses are a
        `PackedReferences` that decodes its rows on first use (a list otherwise)."""
        from kconfig_ls.syntax.span import Span

        if self._references is None:
            table: dict[str, list[CodeReference]] = {}
            # `tuple.__new__` directly: the named tuples' own `__new__` is a Python call each.
            make = tuple.__new__
            with paused_garbage_collection():
                for path, entry in self.entries.items():
                    for symbol, start, end, line, kind, module_suffix in entry[3]:
                        reference = make(
                            CodeReference, (symbol, path, make(Span, (start, end)), line, kind, module_suffix)
                        )
                        uses = table.get(symbol)
                        if uses is None:
                            table[symbol] = [reference]
                        else:
                            uses.append(reference)
            self._references = cast(dict[str, Sequence[CodeReference]], table)
        return self._references

    def nested_view(self, prefix: str) -> CodeIndex:
        """The uses of a nested tree's symbols (`nested_key(prefix, X)`) under X, and nothing else:
        the index its own model is checked with (sysbuild's); the files' tables stay the main tree's."""
        view = CodeIndex.__new__(CodeIndex)
        view.__dict__.update(self.__dict__)
        view.syntax = dataclasses.replace(self.syntax, prefix=prefix, file_prefixes=(), cmake_prefixes=())
        view.entries = {}
        view._references = {
            key[len(prefix) :]: [reference._replace(symbol=key[len(prefix) :]) for reference in uses]
            for key, uses in self.references.items()
            if key.startswith(prefix) and len(key) > len(prefix)
        }
        view._defined_in_code, view._objects, view._renamings = set(), {}, {}
        return view

    def reference_at(self, path: str, offset: int) -> CodeReference | None:
        """The indexed use of a symbol whose span holds `offset` in `path` (its end included)."""
        from kconfig_ls.syntax.span import Span

        entry = self.entries.get(path)
        if entry is None:
            return None
        for symbol, start, end, line, kind, module_suffix in entry[3]:
            if start <= offset <= end:
                return CodeReference(symbol, path, Span(start, end), line, kind, module_suffix)
        return None

    @property
    def defined_in_code(self) -> set[str]:
        """`CONFIG_` names that some file of the tree defines itself (not Kconfig symbols)."""
        if self._defined_in_code is None:
            self._defined_in_code = {name for _, entry in self._entries.few() for name in entry[4]}
        return self._defined_in_code

    def built_objects(self, symbol: str) -> list[tuple[str, str, Span, int]]:
        """(Makefile, object, span, line) for each object the symbol's value builds."""
        from kconfig_ls.syntax.span import Span

        if self._objects is None:
            table: dict[str, list[tuple[str, str, Span, int]]] = {}
            for path, entry in self.entries.items():
                for name, built, start, end, line in entry[5]:
                    table.setdefault(name, []).append((path, built, Span(start, end), line))
            self._objects = table
        return self._objects.get(symbol, [])

    @property
    def renamings(self) -> dict[str, Renaming]:
        """Old name -> its renaming, from every `sdkconfig.rename` of the tree (ESP-IDF)."""
        from kconfig_ls.syntax.span import Span

        if self._renamings is None:
            table: dict[str, Renaming] = {}
            for path, entry in sorted(self._entries.few()):
                for old, new, inverted, start, end, line in entry[8]:
                    table.setdefault(old, Renaming(old, new, inverted, path, Span(start, end), line))
            self._renamings = table
        return self._renamings

    def comment_mismatches(self) -> Iterator[CommentMismatch]:
        from kconfig_ls.syntax.span import Span

        for path, entry in self._entries.few():
            for kind, named, start, end, line, tested, opening_line, text, low, high, has_else in entry[6]:
                opening = Span(low, high)
                yield CommentMismatch(
                    path,
                    kind,
                    named,
                    Span(start, end),
                    line,
                    tuple(tested),
                    opening_line,
                    text,
                    opening,
                    has_else,
                )

    def problems(self) -> Iterator[tuple[str, int, int, int, str]]:
        for path, entry in self._entries.few():
            for start, end, line, message in entry[7]:
                yield path, start, end, line, message

    def fingerprint(self) -> str:
        """A digest of every indexed file's path, size and time: equal means unchanged."""
        listing = self._entries.listing()
        if listing is not None:
            return self.listing_fingerprint(listing)
        return self.listing_fingerprint([(path, entry[0], entry[1]) for path, entry in self.entries.items()])

    # -- implementation ------------------------------------------------------------

    def _invalidate(self) -> None:
        self._references = None
        self._defined_in_code = None
        self._objects = None
        self._renamings = None
        self.generation += 1

    def _replace_entry(self, path: str, entry: FileEntry | None) -> None:
        """Swap one file's entry, updating the derived tables in place.

        Rebuilding the inverted index of Linux takes ~0.4 s; an editor edit
        must cost what the one file costs.
        """
        from kconfig_ls.syntax.span import Span

        old = self.entries.pop(path, None)
        if entry is not None:
            self.entries[path] = entry
        self.generation += 1
        if self._references is not None:
            for symbol in {reference[0] for reference in old[3]} if old is not None else ():
                kept = [r for r in self._references.get(symbol, ()) if r.path != path]
                if kept:
                    self._references[symbol] = kept
                else:
                    self._references.pop(symbol, None)
            for symbol, start, end, line, kind, module_suffix in entry[3] if entry is not None else ():
                uses = self._references.get(symbol)
                if not isinstance(uses, list):  # absent, or rows from the cache
                    uses = self._references[symbol] = list(uses) if uses is not None else []
                uses.append(CodeReference(symbol, path, Span(start, end), line, kind, module_suffix))
        if (old is not None and old[4]) or (entry is not None and entry[4]):
            self._defined_in_code = None  # rare: files that #define CONFIG_ names
        if (old is not None and old[5]) or (entry is not None and entry[5]):
            self._objects = None  # Makefiles only
        if (old is not None and old[8]) or (entry is not None and entry[8]):
            self._renamings = None  # sdkconfig.rename files only

    def _walk(self, file_stats: bool = True) -> Iterator[tuple[str, int, int]]:
        """(path, size, mtime) of every indexable file; symlinks are not followed (`code_files`).

        An excluded folder is still entered when it leads to a configuration
        fragment folder (Linux's `tools/` for `tools/testing`), for that
        folder's configuration files only.
        """
        cache_path = self._cache_path()
        walk = CodeFileWalk(
            self.root,
            self.classify,
            names_decide=not self.ecosystem.config_file_folders,
            c_files=self.syntax.c_files,
            excluded=self.excluded,
            fragment_folders=self.fragment_folders,
            cache_path=cache_path.replace("code-index-", "code-files-") if cache_path is not None else None,
            header=_cache_header(),
            file_stats=file_stats,
        )
        # Zephyr's west modules' CMake integration, outside the tree: small, without kept listings.
        extra = [_walk_of(walk, folder) for folder in self.extra_roots]
        return itertools.chain(walk.files(), *(each.files() for each in extra)) if extra else walk.files()

    def _cache_path(self) -> str | None:
        if self.cache_directory is None:
            return None
        # The cache format and the version are part of the name: two installed versions keep a
        # cache each instead of overwriting each other's (the header still rejects another build).
        key = "\0".join(
            [f"{_CACHE_FORMAT}:{__version__}", self.root, self.ecosystem.name, *sorted(self.excluded)]
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:24]
        return os.path.join(self.cache_directory, f"code-index-{digest}.marshal")

    def _load_cache(self) -> CachedIndex | None:
        path = self._cache_path()
        return load_cache(path, _cache_header(), self.root) if path is not None else None

    def _store_cache(
        self,
        table: PackedTable | None = None,
        chunks: list[bytes] | None = None,
        head_parts: tuple[bytes, dict[str, FileEntry]] | None = None,
    ) -> PackedTable | None:
        """Write the cache (or leave it to `write_cache`); the packed reference table it holds
        (None without a cache folder). `table` is that table, if packed already; `chunks` the
        entries already encoded as the cache's body holds them, and `head_parts` the head's
        parts collected on the way (`store_cache`)."""
        path = self._cache_path()
        if path is None:
            return None
        if table is None:
            table = packed_reference_table(self.entries)
        if self.defer_cache_write:
            # Written later, in a forked child where it can (off the lint's critical path): the
            # head's parts are computed there, from the entries of then.
            self._unwritten = (path, table, chunks, self.generation)
        else:
            store_cache(path, _cache_header(), self.root, self.entries, table, chunks, head_parts)
        return table

    def write_cache(self) -> None:
        """Write the cache a build left unwritten (`defer_cache_write`), in a forked child where
        forking is safe, else now; `wait_for_cache_write` then waits for it.

        The lint indexes in a thread, where a build must not fork; it calls this once that
        thread has ended, so the write runs on the other core while the code rules and the
        report run here (after the index, the lint's work is serial).
        """
        pending, self._unwritten = self._unwritten, None
        if pending is None:
            return
        path, table, chunks, generation = pending
        if generation != self.generation:
            # A file was re-indexed since the build (`update_file`): the table and the encoded
            # entries are the build's, not the entries' now.
            table, chunks = packed_reference_table(self.entries), None
        from kconfig_ls.semantics.code_scanning import fork_is_safe

        if self._cache_write is not None:  # an earlier build's writer: one file, one writer at a time
            self._cache_write.wait()
        writer = None
        if fork_is_safe():
            writer = CacheWrite.start(path, _cache_header(), self.root, self.entries, table, chunks)
        if writer is None:
            store_cache(path, _cache_header(), self.root, self.entries, table, chunks)
        self._cache_write = writer

    def wait_for_cache_write(self) -> None:
        """Return once the cache of the last build is on disk (written now if it was still left)."""
        self.write_cache()
        writer, self._cache_write = self._cache_write, None
        if writer is not None:
            writer.wait()


def _walk_of(walk: CodeFileWalk, folder: str) -> CodeFileWalk:
    other = copy.copy(walk)
    other.root, other.cache_path = folder, None
    return other
