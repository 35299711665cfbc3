"""Finding Kconfig files no `source` reaches, pausing the garbage collector for bulk loads,
and real paths resolved one folder at a time.

The walk for unreached files (other architectures' `arch/*/Kconfig`, Linux
0.13 s) runs in a forked child while a single-threaded process parses; a
threaded process (the server) walks first, never forked.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Final, TypeVar

if TYPE_CHECKING:
    # Imported where used (`ForkedDiscovery.start`): `multiprocessing` costs every start of the
    # server and of `kconfig-ls --version`, which never fork a walk.
    import multiprocessing.process
    from multiprocessing.connection import Connection

__all__ = [
    "ForkedDiscovery",
    "RealPaths",
    "discover_kconfig_files",
    "frozen_after",
    "paused_garbage_collection",
]

_T = TypeVar("_T")

_LOG = logging.getLogger(__name__)
_SKIPPED_DIRECTORIES: Final = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".kconfig-ls-cache", "__pycache__"}
)


_PAUSE_LOCK = threading.Lock()
_pausers = 0
_enabled_before_pause = False


@contextmanager
def paused_garbage_collection(freeze: bool = True) -> Iterator[None]:
    """Pause the cyclic collector during bulk loads.

    Parsing Linux allocates ~1 million small objects, none of them garbage;
    the collector's repeated scans of the young generations cost as much as
    the parse itself (measured: 1.08 s with, 0.51 s without). On the way
    out the survivors are frozen (`gc.freeze`): otherwise the first young
    collection after re-enabling scans all of them at once (0.8 s). The model
    is acyclic, so reference counting still frees it when it is replaced.
    Small updates pass `freeze=False`: what they allocate is little, and
    freezing after every keystroke would keep any cyclic garbage forever.

    The collector's switch is one per process while the server pauses it
    from several threads at once (a keystroke's edit while the tree loads):
    the pauses are counted, and the collector comes back on when the last
    one ends. Without the count, a short pause ending during the load
    switched the collector back on under it, and the load, seeing it off
    when it began, neither switched it on again nor froze its objects:
    every later full collection scanned the whole model (over a second
    with the interpreter lock held, measured in the server).
    """
    global _pausers, _enabled_before_pause
    with _PAUSE_LOCK:
        if _pausers == 0:
            _enabled_before_pause = gc.isenabled()
            gc.disable()
        _pausers += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pausers -= 1
            if _enabled_before_pause:
                if freeze:
                    gc.freeze()
                if _pausers == 0:
                    gc.enable()


def frozen_after(update: _T) -> _T:
    """Freeze what a structural relink allocated, before the collector is enabled again.

    A subtree relink (an `if` above `source` lines) allocates hundreds of
    thousands of objects while collection is paused; the first collection
    after it scanned them all at once, holding the interpreter lock for
    0.3-0.6 s (and a later full collection for 1-3 s), which stalled the
    server's event loop. Frozen, they are never scanned; reference counting
    still frees them (the model is acyclic). Only structural edits freeze,
    so the cyclic garbage a freeze may keep stays rare.
    """
    gc.freeze()
    return update


class RealPaths:
    """`os.path.realpath`, with each folder's real path remembered.

    Linking asks for the real path of every sourced file three times (the
    workspace check, cycle detection, aliases through symbolic links), and
    `os.path.realpath` calls `lstat` on every component of the path each
    time: 39,000 calls, a tenth of the Linux load. Here a folder is resolved
    once and a file costs one `lstat` (once). One instance lives as long as one
    load or one edit, so a link changed on disk is seen by the next one.
    """

    __slots__ = ("_files", "_folders")

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        # Each file too: the linker asks twice per `source` (the workspace check, then
        # cycles and aliases), and the second `lstat` was as dear as the first.
        self._files: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        real = self._files.get(path)
        if real is None:
            folder, name = os.path.split(os.path.abspath(path))
            real = self._files[path] = self._resolved(self._folder(folder), name)
        return real

    def _folder(self, folder: str) -> str:
        real = self._folders.get(folder)
        if real is None:
            parent, name = os.path.split(folder)
            real = folder if not name else self._resolved(self._folder(parent), name)
            self._folders[folder] = real
        return real

    @staticmethod
    def _resolved(real_folder: str, name: str) -> str:
        candidate = os.path.join(real_folder, name)
        # Only a symbolic link needs the full resolution (its target may hold `..` or other links).
        return os.path.realpath(candidate) if os.path.islink(candidate) else candidate


def discover_kconfig_files(
    root: str, searched_folders: list[str] | None = None, extra_names: frozenset[str] = frozenset()
) -> list[str]:
    """Every file named `Kconfig*` (or in `extra_names`, e.g. Buildroot's
    `Config.in`) below root, sorted, skipping VCS folders.

    `searched_folders`, if given, receives every folder walked (caches use
    their modification times to notice new files), in `os.walk`'s order.

    The same files and folders as `os.walk(root)` (symbolic links to folders
    are not entered; to files they count), without its cost: `os.walk`
    `lstat`s every folder it enters and sorts every entry into two lists,
    where the entry's own type (no system call) answers for all but
    symbolic links. Linux: 0.19 -> 0.1 s of CPU.
    """
    found: list[str] = []
    folders: list[str] = [] if searched_folders is None else searched_folders
    pending = [root]
    skipped = _SKIPPED_DIRECTORIES
    while pending:
        directory = pending.pop()
        try:
            scanner = os.scandir(directory)
        except OSError:
            continue  # as `os.walk` without `onerror`: an unreadable folder is left out
        folders.append(directory)
        subdirectories: list[str] = []
        with scanner:
            for entry in scanner:
                name = entry.name
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if name not in skipped and name[0] != ".":
                            subdirectories.append(entry.path)
                        continue
                    if not (name.startswith("Kconfig") or name.endswith(".kconfig") or name in extra_names):
                        continue
                    if entry.is_symlink() and entry.is_dir():
                        continue  # a link to a folder: listed by `os.walk`, never entered
                except OSError:
                    pass  # as `os.walk`: an entry whose type cannot be read is a file
                found.append(entry.path)
        # Depth first, in directory order, as `os.walk` (top-down) visits them.
        pending.extend(reversed(subdirectories))
    found.sort()
    return found


class ForkedDiscovery:
    """`discover_kconfig_files` in a forked child, its result read back through a pipe."""

    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection) -> None:
        self._process = process
        self._connection = connection

    @classmethod
    def start(cls, root: str, names: frozenset[str]) -> ForkedDiscovery | None:
        import multiprocessing

        if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_discover_into, args=(root, names, sending), daemon=True)
        try:
            process.start()
        except OSError:
            return None
        sending.close()
        return cls(process, receiving)

    def result(self) -> tuple[list[str], list[str]]:
        try:
            found, folders = self._connection.recv()
        except (EOFError, OSError):
            found, folders = [], []
            _LOG.warning("the Kconfig file walk failed; unreached files are not indexed")
        finally:
            self._connection.close()
            self._process.join()
        return list(found), list(folders)


def _discover_into(root: str, names: frozenset[str], connection: Connection) -> None:
    folders: list[str] = []
    found = discover_kconfig_files(root, folders, names)
    connection.send((found, folders))
    connection.close()
