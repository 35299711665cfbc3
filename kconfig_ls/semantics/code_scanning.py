"""Scanning many code files in worker processes while the folder walk is still going.

The cold code index of Linux reads 60,000 files (1.3 GB) and scans the 15,000
that mention `CONFIG_`. On the two cores CI machines and laptops typically
give, the shape that keeps both busy is:

- the workers start as soon as the first chunk of paths is known: `fork`ed
  when this process has no other thread (they start with the scanners
  imported, ~0.1 s of imports and an interpreter's start each saved), else
  `spawn`ed (the server indexes in a thread, and forking a threaded process is
  unsafe), so that their start-up overlaps the walk. A caller that will index
  in a thread but has none yet (the lint command, before its index thread and
  the Kconfig load) forks them ahead with `prepare_workers`: the next
  `ChunkedScanner` takes that pool instead of spawning one;
- the walk hands out chunks of `CHUNK_FILES` paths while it goes: the first
  files are being scanned while the main process is still listing folders;
- a worker reads and scans a whole chunk and sends back one `marshal`ed
  list of plain tuples (no paths: the caller knows them), which costs less
  than pickling per-file objects and is decoded in one call. With
  `keep_blobs`, the scanner keeps those blobs, in the paths' order (`blobs`):
  the code index writes them into its cache as they are instead of encoding
  every entry again after the last chunk, on one core while the other idles;
- few files (under `PARALLEL_THRESHOLD`) are scanned in the calling process:
  starting workers would cost more than it saves.

`ChunkedScanner` knows nothing about what a scan produces; `code_index` gives
it a module-level function (so that `spawn` can pickle it).
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Final

__all__ = [
    "CHUNK_FILES",
    "PARALLEL_THRESHOLD",
    "ChunkedScanner",
    "fork_is_safe",
    "prepare_workers",
    "release_prepared_workers",
    "run_chunk",
    "worker_context",
]

CHUNK_FILES: Final = 256
PARALLEL_THRESHOLD: Final = 200

ChunkFunction = Callable[[list[str]], list[Any]]
"""Scans a chunk of paths into one result per path (marshal-able), in order."""


def run_chunk(scan: ChunkFunction, paths: list[str]) -> bytes:
    """In a worker: scan `paths` and return the results as one `marshal` blob.

    The cyclic collector is off while scanning: the scanners allocate many
    small objects and no cycles, and its scans of them cost a tenth of the
    scan time.
    """
    enabled = gc.isenabled()  # off in a forked worker: its parent paused it while building
    gc.disable()
    try:
        return marshal.dumps(scan(paths))
    finally:
        if enabled:
            gc.enable()


def worker_context() -> multiprocessing.context.BaseContext:
    """`fork` where it is safe (POSIX with `fork`, not macOS, no other thread in this process that
    could hold a lock), else `spawn`."""
    return multiprocessing.get_context("fork" if fork_is_safe() else "spawn")


def fork_is_safe() -> bool:
    """POSIX with `fork`, not macOS, and no other thread in this process that could hold a lock."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


_PREPARED: list[tuple[int, ProcessPoolExecutor]] = []
"""The pool `prepare_workers` forked, with its size, until a `ChunkedScanner` takes it."""
_PREPARED_LOCK: Final = threading.Lock()


def prepare_workers(workers: int, close_in_workers: tuple[int, ...] = ()) -> bool:
    """Fork `workers` scan workers now, for the next `ChunkedScanner` of that size; whether it did.

    Only where forking is safe (`worker_context`: no other thread yet). The
    workers start idle, with everything this process has imported; a caller
    that then indexes in a thread gets forked workers instead of spawned ones
    (two interpreters' start and the scanners' imports saved). The pool's
    manager thread starts here, after the fork. `close_in_workers` are file
    descriptors the workers must not keep open (a pipe whose writer must see
    its reader go). `release_prepared_workers` ends a pool no scanner took.
    """
    if workers <= 1 or not fork_is_safe():
        return False
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_close_descriptors,
        initargs=(close_in_workers,),
    )
    # With `fork`, the first submission forks every worker before the manager thread starts.
    pool.submit(os.getpid)
    with _PREPARED_LOCK:
        _PREPARED.append((workers, pool))
    return True


def _close_descriptors(descriptors: tuple[int, ...]) -> None:
    for descriptor in descriptors:
        with contextlib.suppress(OSError):
            os.close(descriptor)


def release_prepared_workers() -> None:
    """Shut down a pool `prepare_workers` forked that no scanner took (nothing to index)."""
    with _PREPARED_LOCK:
        prepared = list(_PREPARED)
        _PREPARED.clear()
    for _, pool in prepared:
        pool.shutdown(wait=True, cancel_futures=True)


def _take_prepared(workers: int) -> ProcessPoolExecutor | None:
    with _PREPARED_LOCK:
        if _PREPARED and _PREPARED[0][0] == workers:
            return _PREPARED.pop()[1]
    return None


class ChunkedScanner:
    """Collects paths, scans them in chunks (in workers once there are enough), yields results.

    `add(path)` may be called while the caller walks; `results()` yields each finished
    chunk as `(paths, results)`, and `finish()` the rest: a caller merges a chunk at once
    (`dict.update`) instead of one call per file.
    """

    def __init__(self, scan: ChunkFunction, workers: int, keep_blobs: bool = False) -> None:
        self._scan = scan
        self._workers = workers
        self._pending: list[str] = []
        self._pool: ProcessPoolExecutor | None = None
        # Forked ahead (`prepare_workers`): used once enough paths come, shut down at the end.
        self._prepared = _take_prepared(workers) if workers > 1 else None
        self._running: list[tuple[list[str], Future[bytes]]] = []
        self._submitted = 0
        # `add` does more than append only when the pending paths reach this: the pool's start,
        # then a chunk (never, in the process).
        self._next_step = PARALLEL_THRESHOLD if workers > 1 else -1
        self.blobs: list[bytes] | None = [] if keep_blobs else None
        """With `keep_blobs`: every chunk's results as one `marshal` blob, in the paths' order."""

    @property
    def count(self) -> int:
        """Paths added so far."""
        return self._submitted + len(self._pending)

    def __enter__(self) -> ChunkedScanner:
        return self

    def __exit__(self, *_: object) -> None:
        for pool in (self._pool, self._prepared):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._prepared = None

    def add(self, path: str) -> bool:
        """Queue `path`; whether a chunk went to the workers (then `results` may have some).

        Called for each of 60,000 paths while the walk goes: an append and one comparison."""
        pending = self._pending
        pending.append(path)
        if len(pending) != self._next_step:
            return False
        if self._pool is None:
            if self._prepared is not None:
                self._pool, self._prepared = self._prepared, None
            else:
                self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=worker_context())
            self._next_step = CHUNK_FILES
            if len(pending) < CHUNK_FILES:
                return False
        self._submit()
        return True

    def results(self) -> Iterator[tuple[list[str], list[Any]]]:
        """The chunks that have finished, as (paths, results), in order, without waiting."""
        while self._running and self._running[0][1].done():
            yield self._collect(*self._running.pop(0))

    def finish(self) -> Iterator[tuple[list[str], list[Any]]]:
        """Every chunk not yielded yet, as (paths, results), in order, waiting for the workers."""
        if self._pool is None:
            paths, self._pending = self._pending, []
            self._submitted += len(paths)
            results = self._scan(paths)
            if self.blobs is not None:
                self.blobs.append(marshal.dumps(results))
            yield paths, results
            return
        if self._pending:
            self._submit()
        while self._running:
            yield self._collect(*self._running.pop(0))

    def _submit(self) -> None:
        assert self._pool is not None
        paths, self._pending = self._pending, []
        self._submitted += len(paths)
        self._running.append((paths, self._pool.submit(run_chunk, self._scan, paths)))

    def _collect(self, paths: list[str], future: Future[bytes]) -> tuple[list[str], list[Any]]:
        try:
            blob = future.result()
            results = marshal.loads(blob)
        except BrokenProcessPool:
            results = self._scan(paths)  # a worker died (out of memory?): scan this chunk here
            blob = marshal.dumps(results) if self.blobs is not None else b""
        if self.blobs is not None:
            self.blobs.append(blob)
        if len(results) != len(paths):
            raise ValueError("a scan worker returned a chunk of the wrong length")
        return paths, results
