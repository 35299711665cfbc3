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
pickle) in the cache folder, so a warm run reads no C file at all.

The Makefile condition follows `kconfig_ls.logic.guards.makefile_condition`
with two safeguards: a file that a Makefile also names outside a
`CONFIG_`-switched list (`obj-y`, a recipe, an `ifdef` block) is built
unconditionally as far as we know, and U-Boot's phase lists
(`obj-$(CONFIG_$(PHASE_)X)`, X or SPL_X by build phase) give no condition.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kconfig_ls.logic.dead_blocks import BlockAnalysis, BlockFinding, CodeFile, analyse_blocks
from kconfig_ls.logic.world_analysis import formula_for, tree_fingerprint
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.syntax.expression import TRUE, Expression, Symbol, conjunction, disjunction, render
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.syntax.makefile import scan_makefile
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay

__all__ = ["block_analysis_for", "build_condition"]

_LOG = logging.getLogger(__name__)
_FORMAT = 2
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
) -> BlockAnalysis:
    """Dead and undead blocks of the tree's code (or of `paths`), over all its worlds."""
    from kconfig_ls.semantics.worlds import architecture_of_path, architecture_worlds

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

    candidates: list[_Candidate] = []
    for path, entry in sorted(code_index.entries.items()):
        if not path.endswith(_SOURCE_SUFFIXES) or (paths is not None and path not in paths):
            continue
        if not any(reference[4] in _CONDITION_KINDS for reference in entry[3]):
            continue
        arch = architecture_of_path(model.settings, path)
        if arch is None and _host_program(model, path):
            continue
        builders = {arch, *_ALSO_BUILT_BY.get(arch or "", ())}
        file_worlds = tuple(worlds) if arch is None else tuple(w for w in worlds if w in builders)
        if not file_worlds:
            continue
        built = build_condition(path, model.root, read) if path.endswith((".c", ".S")) else TRUE
        makefile = os.path.relpath(os.path.join(os.path.dirname(path), "Makefile"), model.root)
        built_text = f"in a file built only when {render(built)} ({makefile})"
        document = overlay.document(path)
        identity = (
            hashlib.sha1(document.data).hexdigest() if document is not None else f"{entry[0]}:{entry[1]}"
        )
        key = json.dumps([path, identity, render(built), file_worlds])
        candidates.append(_Candidate(path, key, built, built_text, file_worlds))
    missing = [candidate for candidate in candidates if candidate.key not in memory]
    analysis = BlockAnalysis((), 0, 0, 0, 0)
    if missing:
        tables, encoding = formula_for(model)
        files = []
        for candidate in missing:
            data = read(candidate.path)
            if data is not None:
                files.append(
                    CodeFile(
                        candidate.path, data, candidate.built_when, candidate.built_text, candidate.worlds
                    )
                )
        analysis = analyse_blocks(
            tables,
            encoding,
            files,
            code_index.syntax,
            is_cancelled,
            frozenset(code_index.defined_in_code),
            negatives_defined=code_index.ecosystem.name in _NEGATIVES_DEFINED,
        )
        by_path: dict[str, list[BlockFinding]] = {}
        for finding in analysis.findings:
            by_path.setdefault(finding.location.path, []).append(finding)
        for candidate in missing:
            memory[candidate.key] = by_path.get(candidate.path, [])
        if cache_directory is not None and paths is None:
            _write(_cache_path(cache_directory, fingerprint), memory)
    findings = [finding for candidate in candidates for finding in memory.get(candidate.key, ())]
    return BlockAnalysis(
        tuple(findings), analysis.files, analysis.blocks, analysis.questions, analysis.queries
    )


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
    conditions: list[Expression] = []
    name = os.path.splitext(os.path.basename(path))[0] + ".o"
    directory = os.path.dirname(path)
    root = os.path.abspath(root)
    while directory.startswith(root) and directory != root:
        data = read(os.path.join(directory, "Makefile")) or read(os.path.join(directory, "Kbuild"))
        if data is None:
            break
        scan = scan_makefile(data)
        lists = [built for built in scan.objects if built.name == name]
        mentions = sum(1 for word in _WORD.findall(data) if word == name.encode())
        if not lists or mentions > len(lists) or any(built.list_name.count("$(") > 1 for built in lists):
            break
        conditions.append(
            disjunction(*(conjunction(*(Symbol(s) for s in built.list_symbols)) for built in lists))
        )
        name = os.path.basename(directory) + "/"
        directory = os.path.dirname(directory)
    return conjunction(*conditions)


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
        return {
            key: [
                BlockFinding(
                    kind,
                    Location(file, Span(int(start), int(end))),
                    directive,
                    cause,
                    reason,
                    tuple(worlds),
                    Location(file, Span(int(endif_start), int(endif_end))),
                )
                for kind, file, start, end, directive, cause, reason, worlds, endif_start, endif_end in items
            ]
            for key, items in data.items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write(path: str | None, memory: dict[str, list[BlockFinding]]) -> None:
    if path is None:
        return
    data: dict[str, Any] = {
        key: [
            [
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
            ]
            for f in items
        ]
        for key, items in memory.items()
    }
    directory = os.path.dirname(path)
    try:
        os.makedirs(directory, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temporary, path)
    except OSError as error:
        _LOG.warning("cannot write the block cache %s: %s", path, error)
