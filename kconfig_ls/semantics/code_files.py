"""Which files the code index reads, how it finds them, and the folder listings it keeps.

`classify_code_file` decides by a file's name which scanner reads it.
`CodeFileWalk` lists every indexable file below a root with its size and
modification time: the code index compares those with its cache, and the
lint command's results cache fingerprints them, so an unchanged Linux tree
still costs this walk (60,000 files in 5,000 folders) on every run.

Most of a fresh walk is spent on the folders' entries (87,000 in Linux), not
on the indexable files: listing, telling files from folders, classifying
names. A folder's entries change only with its own modification time, so
the walk keeps each folder's outcome (the indexable names and the folders to
enter) keyed by the folder's inode and time, and a later walk only `lstat`s
those names (their sizes and times are what it reports) and the folders.
A listing is kept only when the folder's time was at least
`_TRUSTED_AGE_NS` old when it was read: a folder changed within the same
clock tick as its listing would otherwise keep its time (git's "racy
clean" problem). Anything unexpected in a kept listing (a name gone, not a
regular file or folder any more) makes the walk list that folder afresh.
The listings are written like the index's cache (checksummed, atomic) next
to it, in their own file, because the lint command walks without loading
the index.
"""

from __future__ import annotations

import enum
import hashlib
import logging
import marshal
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any, Final

__all__ = ["CodeFileKind", "CodeFileWalk", "classify_code_file", "read_checked_blob", "write_checked_blob"]

_LOG = logging.getLogger(__name__)

_SKIPPED_DIRECTORIES: Final = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".kconfig-ls-cache", "__pycache__"}
)
# Assembly (`.S`) goes through cpp in kernel builds; linker scripts and device
# trees rarely test Kconfig symbols and use `#` for other things. coreboot's ACPI
# sources (`.asl`) go through cpp too and test `#if CONFIG(X)`.
_C_SUFFIXES: Final = (".c", ".h", ".S", ".cc", ".cpp", ".hpp", ".asl")


class CodeFileKind(enum.StrEnum):
    C = "c"
    MAKEFILE = "makefile"
    CONFIG = "config"
    CMAKE = "cmake"
    RENAME = "rename"
    """ESP-IDF's `sdkconfig.rename`: `CONFIG_OLD CONFIG_NEW` a line."""


_FRAGMENT_FOLDER: Final = os.sep + os.path.join("tools", "testing") + os.sep
_NOT_FRAGMENTS: Final = (".sh", ".c", ".h", ".py", ".boot", ".awk", ".txt", ".rst", ".md")


def classify_code_file(path: str) -> CodeFileKind | None:
    """Which scanner reads a file, by its name; None for files we do not index."""
    name = os.path.basename(path)
    if name.endswith(_C_SUFFIXES) and not name.startswith("sdkconfig") and _FRAGMENT_FOLDER not in path:
        # Most files (every scan worker classifies each of its paths again): what the tests
        # below give a C name outside fragment folders, decided at once.
        return CodeFileKind.C
    if name.startswith("sdkconfig.rename"):
        return CodeFileKind.RENAME
    if name.startswith("sdkconfig") and not name.endswith((".h", ".cmake", ".json")):
        return CodeFileKind.CONFIG  # ESP-IDF: sdkconfig, sdkconfig.defaults[.TARGET], sdkconfig.ci.*
    if name == "CMakeLists.txt" or name.endswith(".cmake"):
        return CodeFileKind.CMAKE
    if _FRAGMENT_FOLDER in path:
        if _is_kernel_config_fragment(path, name):
            return CodeFileKind.CONFIG
        if name.endswith(".conf"):
            # Linux's tools/testing has no kernel fragment named `*.conf`: ktest's
            # `examples/include/*.conf` are ktest.pl's own scripts (`DEFAULTS`, `X := y`),
            # selftests' `alsa/conf.d` ALSA's. The walk classifies by path here.
            return None
    if name.endswith(_C_SUFFIXES):
        return CodeFileKind.C
    if name.startswith(".") and name != ".config":
        return None  # tool settings such as coreboot's `.checkpatch.conf`
    if (
        name in ("Makefile", "Kbuild", "GNUmakefile")
        or name.startswith(("Makefile.", "Kbuild."))
        or name.endswith(".mk")
    ):
        return CodeFileKind.MAKEFILE
    if (
        name in (".config", "defconfig", "prj.conf")
        or name.endswith(("_defconfig", ".conf", ".config"))
        or name.startswith("defconfig")
    ):
        return CodeFileKind.CONFIG
    return None


def _is_kernel_config_fragment(path: str, name: str) -> bool:
    """Linux's test fragments: selftests' `config`/`config.ARCH`, rcutorture's `configs/*/TREE01`."""
    if name.endswith(_NOT_FRAGMENTS):
        return False
    if name == "config" or name.startswith("config."):
        return True
    in_configs = os.sep + "configs" + os.sep in path
    return in_configs and (
        name.startswith("CFcommon") or ("." not in name and name not in ("CFLIST", "ver_functions"))
    )


_TRUSTED_AGE_NS: Final = 3_000_000_000
"""How old a folder's modification time must be when it is listed for the listing to be kept."""

_Listing = tuple[int, int, tuple[str, ...], tuple[tuple[str, bool], ...]]
"""A folder's inode and modification time, its indexable file names, its folders to enter
(with whether only configuration files count below them), in the order a fresh listing has."""


class CodeFileWalk:
    """One walk of a tree, with the listings of the walk before (see the module docstring).

    `classify` decides a file's kind from its path (`CodeIndex.classify`);
    `names_decide` says the kind depends on the name alone outside fragment
    folders. `excluded` folders are entered only on the way to a
    `fragment_folders` folder, for configuration files. `cache_path` and
    `header` name and stamp the listings' file; without a path nothing is kept.
    `file_stats` False leaves the size and time of a file listed afresh 0: a build without
    a cache to compare with has no use for them (the workers' `fstat` gives the entries'),
    and Linux's 60,000 `stat` calls are a fifth of the walk.
    """

    def __init__(
        self,
        root: str,
        classify: Callable[[str], CodeFileKind | None],
        *,
        names_decide: bool,
        c_files: bool,
        excluded: frozenset[str],
        fragment_folders: tuple[str, ...],
        cache_path: str | None = None,
        header: str = "",
        file_stats: bool = True,
    ) -> None:
        self.root = root
        self.file_stats = file_stats
        self.classify = classify
        self.names_decide = names_decide
        self.c_kind = CodeFileKind.C if c_files else None
        self.excluded = excluded
        self.fragment_folders = fragment_folders
        self.cache_path = cache_path
        self.header = header
        self._kind_by_name: dict[str, CodeFileKind | None] = {}
        self.listed_afresh = 0
        """Folders this walk listed itself (the others came from the kept listings)."""

    def files(self) -> Iterator[tuple[str, int, int]]:
        """(path, size, mtime) of every indexable file; symlinks are not followed."""
        previous = self._load() if self.cache_path is not None else {}
        listings: dict[str, _Listing] = {}
        stack: list[tuple[str, bool, os.stat_result | None]] = [(self.root, False, None)]
        seen_directories: set[tuple[int, int]] = set()
        now = time.time_ns()
        sep = os.sep
        lstat = os.lstat
        is_regular, is_folder = stat.S_ISREG, stat.S_ISDIR
        while stack:
            directory, fragments_only, status = stack.pop()
            if status is None:
                try:
                    status = os.stat(directory)
                except OSError as error:
                    _LOG.info("skipping folder %s: %s", directory, error.strerror)
                    continue
            kept = previous.get(directory)
            found: list[tuple[str, int, int]] | None = None
            children: list[tuple[str, bool, os.stat_result]] = []
            if (
                kept is not None
                and kept[0] == status.st_ino
                and kept[1] == status.st_mtime_ns
                and _plain_names(kept)
            ):
                found = []
                base = directory + sep
                try:
                    append = found.append
                    for name in kept[2]:
                        path = base + name
                        file_status = lstat(path)
                        if not is_regular(file_status.st_mode):
                            raise OSError(0, "not a regular file any more")
                        append((path, file_status.st_size, file_status.st_mtime_ns))
                    for name, child_fragments_only in kept[3]:
                        child_status = lstat(base + name)
                        if not is_folder(child_status.st_mode):
                            raise OSError(0, "not a folder any more")
                        children.append((base + name, child_fragments_only, child_status))
                    listings[directory] = kept
                except OSError:
                    found = None
                    children = []
            if found is None:
                self.listed_afresh += 1
                found = []
                listed = self._list(directory, fragments_only, found, children)
                if listed is None:
                    continue
                if now - status.st_mtime_ns > _TRUSTED_AGE_NS:
                    listings[directory] = (status.st_ino, status.st_mtime_ns, *listed)
            yield from found
            for child in children:
                child_status = child[2]
                key = (child_status.st_dev, child_status.st_ino)
                if key not in seen_directories:
                    seen_directories.add(key)
                    stack.append(child)
        if self.cache_path is not None and listings != previous:
            write_checked_blob(self.cache_path, (self.header, self.root, listings), "code file listings")

    def _list(
        self,
        directory: str,
        fragments_only: bool,
        found: list[tuple[str, int, int]],
        children: list[tuple[str, bool, os.stat_result]],
    ) -> tuple[tuple[str, ...], tuple[tuple[str, bool], ...]] | None:
        """List one folder afresh into `found` and `children`; its names to keep, or None if unreadable."""
        try:
            with os.scandir(directory) as iterator:
                entries = list(iterator)
        except OSError as error:
            _LOG.info("skipping folder %s: %s", directory, error.strerror)
            return None
        # Outside fragment folders, and when the ecosystem does not restrict config files to
        # some folders, the kind depends on the file name alone. Most names are unique
        # (`foo.c`): a C suffix decides at once (`classify_code_file` tests only
        # `sdkconfig*` names and CMake files first).
        by_name = self.names_decide and _FRAGMENT_FOLDER not in directory + os.sep
        c_kind = self.c_kind
        kind_by_name = self._kind_by_name
        file_stats = self.file_stats
        file_names: list[str] = []
        folder_names: list[tuple[str, bool]] = []
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name in _SKIPPED_DIRECTORIES or entry.name.startswith("."):
                        continue
                    child_fragments_only = fragments_only
                    if entry.path in self.excluded or fragments_only:
                        if not self._leads_to_fragments(entry.path):
                            continue
                        child_fragments_only = True
                    status = entry.stat(follow_symlinks=False)
                    children.append((entry.path, child_fragments_only, status))
                    folder_names.append((entry.name, child_fragments_only))
                elif entry.is_file(follow_symlinks=False):
                    name = entry.name
                    if not by_name:
                        kind = self.classify(entry.path)
                    elif name.endswith(_C_SUFFIXES) and not name.startswith("sdkconfig"):
                        kind = c_kind
                    elif name in kind_by_name:
                        kind = kind_by_name[name]
                    else:
                        kind = kind_by_name[name] = self.classify(entry.path)
                    if kind is None or (fragments_only and kind is not CodeFileKind.CONFIG):
                        continue
                    if file_stats:
                        status = entry.stat(follow_symlinks=False)
                        found.append((entry.path, status.st_size, status.st_mtime_ns))
                    else:
                        found.append((entry.path, 0, 0))
                    file_names.append(name)
            except OSError as error:
                _LOG.info("skipping %s: %s", entry.path, error.strerror)
        return tuple(file_names), tuple(folder_names)

    def _leads_to_fragments(self, folder: str) -> bool:
        """Whether `folder` is, holds or is inside a configuration fragment folder."""
        return any(
            folder == fragment or fragment.startswith(folder + os.sep) or folder.startswith(fragment + os.sep)
            for fragment in self.fragment_folders
        )

    def _load(self) -> dict[str, _Listing]:
        assert self.cache_path is not None
        document = read_checked_blob(self.cache_path, "code file listings")
        if not isinstance(document, tuple) or len(document) != 3:
            return {}
        header, root, listings = document
        if header != self.header or root != self.root or not isinstance(listings, dict):
            return {}
        return listings


def _plain_names(listing: _Listing) -> bool:
    """Whether a kept listing names only entries of its own folder (no separator, no `..`)."""
    # At C speed (a join and list searches): a warm walk asks this of all 4,500 Linux folders.
    for names in (listing[2], [name for name, _ in listing[3]]):
        if os.sep in "\0".join(names) or "" in names or "." in names or ".." in names:
            return False
    return True


def read_checked_blob(path: str, what: str) -> Any:
    """The `marshal`ed document `write_checked_blob` wrote, or None if missing, torn or corrupt."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    checksum, payload = blob[:32], blob[32:]
    if hashlib.sha256(payload).digest() != checksum:
        _LOG.info("%s cache %s is corrupt; rebuilding", what, path)
        return None
    try:
        return marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None


def write_checked_blob(path: str, document: Any, what: str) -> None:
    """Write `document` with `marshal` behind its checksum, atomically (concurrent writers leave one file)."""
    try:
        payload = marshal.dumps(document)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(
            dir=os.path.dirname(path), prefix=".code-index-", suffix=".tmp"
        )
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(hashlib.sha256(payload).digest())
            handle.write(payload)
        os.replace(temporary, path)
    except (OSError, ValueError) as error:
        _LOG.warning("cannot write the %s cache: %s", what, error)
