"""The dead/undead block analysis of a whole tree: which files, built when, on which worlds; cached.

`block_analysis_for` gathers the C, header and assembly files of the code
index whose `#if`s mention a `CONFIG_` name (the index records where each
name occurs, so the other files are never read), works out for each the
Makefile condition under which it is built and the architectures that can
build it (a file under `arch/arm/` only on arm), and runs
`kconfig_ls.logic.dead_blocks` over the formula of every world.

Results are kept per file, keyed by the tree's Kconfig fingerprint and the
file's identity (size and time from the index, or the digest of an open
buffer's text) and the Makefile condition: after an edit of one C file,
only that file is asked again; in memory, and on disk as JSON (never
pickle) in the cache folder, so a warm run reads no C file at all. A run
over a few files (the CLI's `query hover --logic`) adds their answers to the
disk's, so the next hover there builds no formula (36 s over Linux's worlds);
an open buffer's answers stay in memory (its text is a passing state).

Two cores: a cold run's files are split in two shares, and a forked child
analyses one of them from its questions to its findings (`_analyse_shares`).

The Makefile condition follows `kconfig_ls.logic.guards.makefile_condition`
with two safeguards: a file that a Makefile also names outside a
`CONFIG_`-switched list (`obj-y`, a recipe, an `ifdef` block) is built
unconditionally as far as we know, and U-Boot's phase lists
(`obj-$(CONFIG_$(PHASE_)X)`, X or SPL_X by build phase) give no condition.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kconfig_ls.logic import block_settling, forking
from kconfig_ls.logic.dead_blocks import BlockAnalysis, BlockFinding, CodeFile, analyse_blocks
from kconfig_ls.logic.tristate_encoding import Encoding
from kconfig_ls.logic.world_analysis import formula_for, tree_fingerprint
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.esp_idf_components import ComponentPresence
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.worlds import world_kind
from kconfig_ls.syntax.expression import TRUE, Expression, Symbol, conjunction, disjunction, render
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.syntax.makefile import BuiltObject, scan_makefile
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay

__all__ = ["BuildConditions", "block_analysis_for", "build_condition"]

_LOG = logging.getLogger(__name__)
_FORMAT = 3
_CONDITION_KINDS = frozenset({"condition", "macro_argument", "phase_argument"})
_SOURCE_SUFFIXES = (".c", ".h", ".S")
_PER_FILE: dict[str, dict[str, list[BlockFinding]]] = {}
"""Tree fingerprint -> file key -> findings (one tree kept)."""


@dataclass(frozen=True)
class _Candidate:
    path: str
    key: str
    built_when: Expression
    built_text: str
    worlds: tuple[str, ...]


def block_analysis_for(
    model: KconfigModel,
    code_index: CodeIndex,
    overlay: FileOverlay | None = None,
    cache_directory: str | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    paths: frozenset[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> BlockAnalysis:
    """Dead and undead blocks of the tree's code (or of `paths`), over all its worlds.

    `progress` receives a line of where a computation is (nothing when the answers are kept).
    Many files to check (a cold run) are split with a forked child where this process may
    fork (`_analyse_shares`): the findings are the same either way.
    """
    from kconfig_ls.semantics.worlds import architecture_worlds, worlds_of_path

    overlay = overlay or FileOverlay()
    fingerprint = tree_fingerprint(model)
    memory = _PER_FILE.get(fingerprint)
    if memory is None:
        _PER_FILE.clear()
        memory = _PER_FILE.setdefault(fingerprint, _read(_cache_path(cache_directory, fingerprint)))
    worlds = architecture_worlds(model.settings)
    texts: dict[str, bytes | None] = {}

    def read(path: str) -> bytes | None:
        if path not in texts:
            try:
                texts[path] = overlay.read(path, MAX_CODE_FILE_SIZE)
            except OSError:
                texts[path] = None
        return texts[path]

    conditions = BuildConditions(model.root, read)
    presence = _component_presence(model, code_index)
    candidates: list[_Candidate] = []
    open_documents: set[str] = set()
    entries = code_index.entries
    chosen = sorted(entries) if paths is None else sorted(path for path in paths if path in entries)
    for path in chosen:
        entry = entries[path]
        if not path.endswith(_SOURCE_SUFFIXES):
            continue
        if not any(reference[4] in _CONDITION_KINDS for reference in entry[3]):
            continue
        # One architecture (arch/arm/...), or the targets a file is named for (ESP-IDF's
        # esp_rom_cache_esp32s2_esp32s3.c is built for both).
        own_worlds = worlds_of_path(model.settings, path)
        arch = own_worlds[0] if own_worlds else None
        if arch is None and _host_program(model, path):
            continue
        builders = {*own_worlds, *_ALSO_BUILT_BY.get(arch or "", ())}
        file_worlds = tuple(worlds) if arch is None else tuple(w for w in worlds if w in builders)
        if not file_worlds:
            continue
        built = conditions.of(path) if path.endswith((".c", ".S")) else TRUE
        makefile = os.path.relpath(os.path.join(os.path.dirname(path), "Makefile"), model.root)
        built_text = f"in a file built only when {render(built)} ({makefile})"
        document = overlay.document(path)
        if document is not None:
            open_documents.add(path)
        identity = (
            hashlib.sha1(document.data).hexdigest() if document is not None else f"{entry[0]}:{entry[1]}"
        )
        # ESP-IDF: the components a build of the file always has (their CMakeLists.txt decide).
        present = sorted(presence.present_components(path)) if presence is not None else []
        key = json.dumps([path, identity, render(built), file_worlds, present])
        candidates.append(_Candidate(path, key, built, built_text, file_worlds))
    missing = [candidate for candidate in candidates if candidate.key not in memory]
    analysis = BlockAnalysis((), 0, 0, 0, 0)
    if missing and progress is not None:
        progress(f"#if blocks: {len(missing):,} files to check")
    if missing:
        tables, encoding = formula_for(model)
        world_word = world_kind(model.settings)

        def read_code(path: str) -> bytes | None:
            # Not kept in `texts`: the block analysis lets each text go after its questions.
            if path in texts:
                return texts[path]
            try:
                return overlay.read(path, MAX_CODE_FILE_SIZE)
            except OSError:
                return None

        def code_files(share: list[_Candidate]) -> Iterator[CodeFile]:
            for candidate in share:
                data = read_code(candidate.path)
                if data is not None:
                    yield CodeFile(
                        candidate.path,
                        data,
                        candidate.built_when,
                        candidate.built_text,
                        candidate.worlds,
                        world_word,
                    )

        def analyse(share: list[_Candidate], forked: bool) -> BlockAnalysis:
            return analyse_blocks(
                tables,
                encoding,
                code_files(share),
                code_index.syntax,
                None if forked else is_cancelled,
                frozenset(code_index.defined_in_code),
                negatives_defined=code_index.ecosystem.name in _NEGATIVES_DEFINED,
                read=read_code,
                progress=None if forked else progress,
                absent_components=presence.absent_components if presence is not None else None,
            )

        analysis = _analyse_shares(encoding, missing, analyse)
        by_path: dict[str, list[BlockFinding]] = {}
        for finding in analysis.findings:
            by_path.setdefault(finding.location.path, []).append(finding)
        for candidate in missing:
            memory[candidate.key] = by_path.get(candidate.path, [])
        if cache_directory is not None and paths is None:
            _write(_cache_path(cache_directory, fingerprint), memory)
        elif cache_directory is not None:
            # A few files (the CLI's hover, an editor's re-check): their answers join the disk's,
            # those of files as they are on disk only (an open buffer's text is a passing state).
            on_disk = [candidate for candidate in missing if candidate.path not in open_documents]
            if on_disk:
                path_on_disk = _cache_path(cache_directory, fingerprint)
                kept = _read(path_on_disk)
                kept.update((candidate.key, memory[candidate.key]) for candidate in on_disk)
                _write(path_on_disk, kept)
    findings = [finding for candidate in candidates for finding in memory.get(candidate.key, ())]
    return BlockAnalysis(
        tuple(findings),
        analysis.files,
        analysis.blocks,
        analysis.questions,
        analysis.queries,
        analysis.forked,
    )


def _component_presence(model: KconfigModel, code_index: CodeIndex) -> ComponentPresence | None:
    """ESP-IDF's components a build may leave out (`esp_idf_components`); None in other trees.

    Kept per model (its definitions say which component defines a symbol) as long as the
    files it was read from are unchanged: building one lists `components/`, reads
    `tools/cmake/build.cmake` and, as files ask, the components' `CMakeLists.txt`, which a
    re-check after each C edit would otherwise repeat.
    """
    if code_index.ecosystem.name != "esp-idf":
        return None
    with _PRESENCE_LOCK:
        kept = _PRESENCE.get(model)
        if kept is not None and _component_files_stamp(model.root, kept[0]) == kept[1]:
            return kept[2]
        folders = _component_folders(model.root)
        stamp = _component_files_stamp(model.root, folders)
        presence = ComponentPresence(model.root, model.definitions)
        _PRESENCE[model] = (folders, stamp, presence)
        return presence


_PRESENCE: weakref.WeakKeyDictionary[
    KconfigModel, tuple[tuple[str, ...], tuple[tuple[int, int] | None, ...], ComponentPresence]
] = weakref.WeakKeyDictionary()
"""Each model's `ComponentPresence`, with the folders of `components/` and the stamp it was read at."""
_PRESENCE_LOCK = threading.Lock()


def _component_folders(root: str) -> tuple[str, ...]:
    try:
        return tuple(sorted(os.listdir(os.path.join(root, "components"))))
    except OSError:
        return ()


def _component_files_stamp(root: str, folders: tuple[str, ...]) -> tuple[tuple[int, int] | None, ...]:
    """What a `ComponentPresence` was read from: `components/` (a folder added or removed), each
    folder's `CMakeLists.txt` (which makes it a component, and names its requirements) and
    `tools/cmake/build.cmake` (the common components), by time and size."""
    components = os.path.join(root, "components")
    paths = [components, os.path.join(root, "tools", "cmake", "build.cmake")]
    paths.extend(os.path.join(components, folder, "CMakeLists.txt") for folder in folders)
    return tuple(_stamp(path) for path in paths)


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


FORK_FILES = 400
"""At least this many files to check (a whole tree, cold) are split with a forked child."""
_RUN_FILES = 32
"""Files per run of a share at most (fewer when there are fewer than eight runs' worth)."""


def _analyse_shares(
    encoding: Encoding,
    missing: list[_Candidate],
    analyse: Callable[[list[_Candidate], bool], BlockAnalysis],
) -> BlockAnalysis:
    """`analyse(missing)`, on two cores when there are many files: a forked child takes a share.

    The files are split before their questions are built (`_shares`), so both processes
    build, settle and explain their own: the child on its copy of the formula and of the
    solver loaded before the fork (`block_settling.kept_solver`), and sends back its
    findings as JSON. An answer is a fact of the formula, not of the process that found
    it, so each file's findings are those of one process; sorted by place as one process
    sorts them (a file's findings come from one share, in their order). Nothing is forked
    from a process that may not (`forking.can_fork`: the language server has threads), for
    few files, or on one core; a child that fails (no result, a result about other files)
    has its share analysed here. `analyse(share, forked)`: in the child, no progress and no
    cancellation token (the parent stops the child instead).
    """
    if len(missing) < FORK_FILES or (os.cpu_count() or 1) < 2 or not forking.can_fork():
        return analyse(missing, False)
    kept = block_settling.kept_solver(encoding)  # loaded here once: the child inherits it
    mine, theirs = _shares(missing)

    def in_the_child() -> dict[str, Any]:
        answers = len(kept.possible) + len(kept.impossible)
        analysis = analyse(theirs, True)
        return {
            "findings": [_record(finding) for finding in analysis.findings],
            "counts": [analysis.files, analysis.blocks, analysis.questions, analysis.queries],
            "answers": len(kept.possible) + len(kept.impossible) - answers,
        }

    child = forking.fork_computation(in_the_child)
    if child is None:
        return analyse(missing, False)
    try:
        own = analyse(mine, False)
    except BaseException:
        child.stop()
        raise
    forked = _from_child(child.result(), {candidate.path for candidate in theirs})
    if forked is None:
        _LOG.warning("the forked block analysis failed; its %d files are checked here", len(theirs))
        forked = analyse(theirs, False)
    findings = sorted(
        (*own.findings, *forked.findings), key=lambda f: (f.location.path, f.location.span.start)
    )
    return BlockAnalysis(
        tuple(findings),
        own.files + forked.files,
        own.blocks + forked.blocks,
        own.questions + forked.questions,
        own.queries + forked.queries,
        forked.forked,
    )


def _shares(missing: list[_Candidate]) -> tuple[list[_Candidate], list[_Candidate]]:
    """Two shares of the files: runs of `_RUN_FILES` in path order, dealt in turn.

    Runs, not single files: neighbouring files share symbols, so one model settles many
    questions of a run. Dealt in turn, not cut in the middle: the hard questions cluster
    (Linux: arch/x86's, which only two of the 21 architectures build), and one share must
    not get them all.
    """
    run = max(1, min(_RUN_FILES, len(missing) // 8))
    first: list[_Candidate] = []
    second: list[_Candidate] = []
    for start in range(0, len(missing), run):
        (first if start // run % 2 == 0 else second).extend(missing[start : start + run])
    return first, second


def _from_child(data: dict[str, Any] | None, paths: set[str]) -> BlockAnalysis | None:
    """The child's analysis of its share; None when it failed or speaks of other files."""
    if data is None:
        return None
    try:
        findings = tuple(_finding(item) for item in data["findings"])
        files, blocks, questions, queries = (int(count) for count in data["counts"])
        answers = int(data["answers"])
    except (KeyError, TypeError, ValueError):
        return None
    if any(finding.location.path not in paths for finding in findings):
        return None
    return BlockAnalysis(findings, files, blocks, questions, queries, answers)


_NEGATIVES_DEFINED = frozenset({"coreboot"})
"""Ecosystems whose build writes `#define CONFIG_X 0` for a bool that is n (`KCONFIG_NEGATIVES`)."""
_ALSO_BUILT_BY = {"x86": ("um",)}
"""Architecture folders whose files other architectures build too (User-Mode Linux builds x86's)."""
_HOST_FOLDERS = ("scripts",)
"""Linux folders of programs built for the host, without the kernel's configuration."""


def _host_program(model: KconfigModel, path: str) -> bool:
    if "SRCARCH" not in model.settings.environment:
        return False
    relative = os.path.relpath(path, model.root)
    return relative.split(os.sep, 1)[0] in _HOST_FOLDERS


_WORD = re.compile(rb"[A-Za-z0-9_./+-]+")


def build_condition(path: str, root: str, read: Callable[[str], bytes | None]) -> Expression:
    """When the file is built: the `obj-$(CONFIG_X)` lists naming it, up the directory chain.

    TRUE when a Makefile names it unconditionally (or not at all): no constraint.
    """
    return BuildConditions(root, read).of(path)


class BuildConditions:
    """`build_condition` for many files: each folder's condition is worked out once and shared.

    A folder's own condition (the lists of the folders above that name it,
    `obj-$(CONFIG_MM) += mm/`) is the same for all its files, so it is
    memoised for the lifetime of this object (one analysis). The readings
    of the Makefiles themselves are kept across analyses, keyed by their
    text (`_MAKEFILE_LISTS`): an edit of a C file re-reads the few
    Makefiles above it and parses none of them again; an edited Makefile
    has a new text, so it is parsed again.
    """

    def __init__(self, root: str, read: Callable[[str], bytes | None]) -> None:
        self._root = os.path.abspath(root)
        self._read = read
        self._chains: dict[tuple[str, str], Expression] = {}

    def of(self, path: str) -> Expression:
        name = os.path.splitext(os.path.basename(path))[0] + ".o"
        return self._chain(os.path.dirname(path), name)

    def _chain(self, directory: str, name: str) -> Expression:
        """The condition under which `directory`'s Makefile builds `name`, and the folders above it."""
        key = (directory, name)
        known = self._chains.get(key)
        if known is not None:
            return known
        condition: Expression = TRUE
        if directory.startswith(self._root) and directory != self._root:
            lists = self._lists(directory)
            own = lists.condition(name) if lists is not None else None
            if own is not None:
                above = self._chain(os.path.dirname(directory), os.path.basename(directory) + "/")
                condition = conjunction(own, above)
        self._chains[key] = condition
        return condition

    def _lists(self, directory: str) -> _MakefileLists | None:
        path = os.path.join(directory, "Makefile")
        data = self._read(path)
        if data is None:
            path = os.path.join(directory, "Kbuild")
            data = self._read(path)
        if data is None:
            return None
        with _MAKEFILE_LOCK:
            known = _MAKEFILE_LISTS.get(path)
            if known is not None and known.data == data:
                _MAKEFILE_LISTS.move_to_end(path)
                return known
        lists = _MakefileLists(data)
        with _MAKEFILE_LOCK:
            _MAKEFILE_LISTS[path] = lists
            while len(_MAKEFILE_LISTS) > _MAKEFILES_KEPT:
                _MAKEFILE_LISTS.popitem(last=False)
        return lists


class _MakefileLists:
    """One Makefile's object lists by word, and how often each word occurs in the file."""

    __slots__ = ("_conditions", "_lists", "_mentions", "data")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._lists: dict[str, list[BuiltObject]] = {}
        for built in scan_makefile(data).objects:
            self._lists.setdefault(built.name, []).append(built)
        self._mentions = collections.Counter(_WORD.findall(data))
        self._conditions: dict[str, Expression | None] = {}

    def condition(self, name: str) -> Expression | None:
        """The disjunction of the lists naming `name`; None when they do not say when it is built.

        None: named in no list, also named outside them (`obj-y`, a recipe, an `ifdef`
        block), or in a list named with more than one variable (U-Boot's phase lists).
        """
        if name in self._conditions:
            return self._conditions[name]
        lists = self._lists.get(name, [])
        condition: Expression | None = None
        if (
            lists
            and self._mentions[name.encode()] <= len(lists)
            and not any(built.list_name.count("$(") > 1 for built in lists)
        ):
            condition = disjunction(
                *(conjunction(*(Symbol(s) for s in built.list_symbols)) for built in lists)
            )
        self._conditions[name] = condition
        return condition


_MAKEFILES_KEPT = 20000
_MAKEFILE_LISTS: collections.OrderedDict[str, _MakefileLists] = collections.OrderedDict()
"""Makefile path -> its reading (with its text, to tell an edited Makefile), across analyses."""
_MAKEFILE_LOCK = threading.Lock()


def _cache_path(cache_directory: str | None, fingerprint: str) -> str | None:
    if cache_directory is None:
        return None
    return os.path.join(cache_directory, f"logic-blocks-{_FORMAT}-{fingerprint}.json")


def _read(path: str | None) -> dict[str, list[BlockFinding]]:
    if path is None:
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return {key: [_finding(item) for item in items] for key, items in data.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _finding(item: list[Any]) -> BlockFinding:
    """A finding from its JSON record (`_record`): the disk cache's and a forked child's."""
    (
        kind,
        file,
        start,
        end,
        directive,
        cause,
        reason,
        worlds,
        endif_start,
        endif_end,
        fix_title,
        fix_edits,
    ) = item
    return BlockFinding(
        kind,
        Location(file, Span(int(start), int(end))),
        directive,
        cause,
        reason,
        tuple(worlds),
        Location(file, Span(int(endif_start), int(endif_end))),
        str(fix_title),
        tuple((int(a), int(b), str(text)) for a, b, text in fix_edits),
    )


def _record(f: BlockFinding) -> list[Any]:
    return [
        f.kind,
        f.location.path,
        f.location.span.start,
        f.location.span.end,
        f.directive,
        f.cause,
        f.reason,
        list(f.worlds),
        f.endif.span.start if f.endif is not None else 0,
        f.endif.span.end if f.endif is not None else 0,
        f.fix_title,
        [list(edit) for edit in f.fix_edits],
    ]


def _write(path: str | None, memory: dict[str, list[BlockFinding]]) -> None:
    if path is None:
        return
    data = {key: [_record(f) for f in items] for key, items in memory.items()}
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temporary, path)
    except OSError as error:
        _LOG.warning("cannot write the block cache %s: %s", path, error)
