"""One code file into its index entry: what the scan workers run, per file and per chunk.

`scan_code_file` reads a file (unless given its bytes), sends it to the
scanner of its kind (`kconfig_ls.syntax`: `c_index_scan`, `makefile`,
`config_file`, `cmake`) and keeps only the plain tuples an index entry holds
(see `_FileEntry`). `scan_chunk` scans a chunk of paths in a worker. Split
from `code_index`, which imports this module in the workers and in the main
process alike: nothing here may import the ecosystems or the Kconfig syntax.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Final

from kconfig_ls.semantics.code_files import CodeFileKind, classify_code_file
from kconfig_ls.semantics.code_names import (
    names_config_identifier,
    nested_key,
    nested_tree_prefix,
    reference_tuple,
    strip_prefix,
    without_config_prefix,
)
from kconfig_ls.syntax.config_reference import DEFAULT_REFERENCE_SYNTAX, ReferenceKind, ReferenceSyntax
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE as OVERLAY_MAX_CODE_FILE_SIZE
from kconfig_ls.vfs.overlay import FileReadError, read_plain_regular_file, read_regular_file

__all__ = ["MAX_CODE_FILE_SIZE", "FileEntry", "import_scanners", "scan_chunk", "scan_code_file"]

MAX_CODE_FILE_SIZE: Final = OVERLAY_MAX_CODE_FILE_SIZE

# Per-file entry, as stored (marshal-able): see `scan_code_file`. Tuples, not lists: a
# warm start decodes 60,000 entries (Linux), three quarters of them empty, and marshal
# loads an empty tuple as the shared singleton but must build every list.
FileEntry = tuple[
    int,  # size
    int,  # mtime_ns
    str,  # kind
    tuple[
        tuple[str, int, int, int, str, bool], ...
    ],  # references: symbol, start, end, line, kind, module_suffix
    tuple[str, ...],  # CONFIG_ names the file defines itself (without the prefix)
    tuple[tuple[str, str, int, int, int], ...],  # built objects: symbol, object, start, end, line
    tuple[tuple[str, str, int, int, int, list[str], int, str, int, int, bool], ...],  # comment mismatches
    tuple[tuple[int, int, int, str], ...],  # problems: start, end, line, message
    tuple[tuple[str, str, bool, int, int, int], ...],  # renamings: old, new, inverted, start, end, line
]


def _entry(
    size: int,
    mtime_ns: int,
    kind: str,
    references: list[tuple[str, int, int, int, str, bool]],
    defined: list[str],
    objects: list[tuple[str, str, int, int, int]],
    mismatches: list[tuple[str, str, int, int, int, list[str], int, str, int, int, bool]],
    problems: list[tuple[int, int, int, str]],
    renamings: list[tuple[str, str, bool, int, int, int]],
) -> FileEntry:
    return (
        size,
        mtime_ns,
        kind,
        tuple(references),
        tuple(defined),
        tuple(objects),
        tuple(mismatches),
        tuple(problems),
        tuple(renamings),
    )


def import_scanners() -> None:
    """Import the scanners now, before scan workers are forked (they then start with them).

    They and the worker pool are imported only where a file is scanned: a warm start of an
    unchanged tree scans nothing and saves their imports (~0.06 s)."""
    from kconfig_ls.syntax import c_index_scan, cmake, config_file, makefile  # noqa: F401


def scan_code_file(
    path: str,
    data: bytes | None = None,
    size: int = 0,
    mtime_ns: int = 0,
    syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX,
    kind: CodeFileKind | None = None,
) -> FileEntry | None:
    """Scan one file into its index entry; None when it is not indexed.

    Runs in worker processes: module-level, no shared state, and it never
    raises for bad input (an unreadable file becomes an entry with a problem).
    `syntax` is how the tree spells its symbols; `kind` overrides the
    classification by name.
    """
    kind = kind or classify_code_file(path)
    if kind is None:
        return None
    problems: list[tuple[int, int, int, str]] = []
    if data is None and (plain := read_plain_regular_file(path, MAX_CODE_FILE_SIZE)) is not None:
        data, size, mtime_ns = plain
    if data is None:
        try:
            status = os.stat(path)
            size, mtime_ns = status.st_size, status.st_mtime_ns
            if size > MAX_CODE_FILE_SIZE:
                problems.append((0, 0, 0, f"file is larger than {MAX_CODE_FILE_SIZE >> 20} MB; not indexed"))
                return _entry(size, mtime_ns, kind.value, [], [], [], [], problems, [])
            # Through the overlay's reader: regular files only, non-blocking, capped.
            data = read_regular_file(path, MAX_CODE_FILE_SIZE)
        except FileReadError as error:
            problems.append((0, 0, 0, error.reason))
            return _entry(size, mtime_ns, kind.value, [], [], [], [], problems, [])
        except OSError as error:
            problems.append((0, 0, 0, f"cannot read file: {error.strerror}"))
            return _entry(size, mtime_ns, kind.value, [], [], [], [], problems, [])
    if data.find(syntax.prefix.encode()) < 0 and not (
        kind is CodeFileKind.C and syntax.argument_macros and data.find(b"CONFIG(") >= 0
    ):
        # Two thirds of Linux's files: the empty entry, built at once.
        return (size, mtime_ns, kind.value, (), (), (), (), (), ())
    if kind is CodeFileKind.C and not names_config_identifier(data, syntax):
        # `CONFIG_` only inside other names (amdgpu's 2,000 register headers, 495 MB of
        # `mmSDMA0_CONFIG_X`): nothing to index, like a file without the prefix at all.
        return (size, mtime_ns, kind.value, (), (), (), (), (), ())
    references: list[tuple[str, int, int, int, str, bool]] = []
    defined: list[str] = []
    objects: list[tuple[str, str, int, int, int]] = []
    mismatches: list[tuple[str, str, int, int, int, list[str], int, str, int, int, bool]] = []
    renamings: list[tuple[str, str, bool, int, int, int]] = []
    if kind is CodeFileKind.C:
        from kconfig_ls.syntax import c_index_scan

        # Everything the entry holds and nothing more (no `CScan` records): see `c_index_scan`.
        c_scan = c_index_scan.index_c(data, syntax)
        mismatches.extend(c_scan.mismatches)
        problems.extend(c_scan.problems)
        references.extend(c_scan.references)
        # Stored without the prefix: the table is looked up by symbol name. Fallback
        # defines count too: `#ifndef CONFIG_IP_VS_DH_TAB_BITS` / `#define
        # CONFIG_IP_VS_DH_TAB_BITS 8` for a name no Kconfig defines is a compile-time
        # knob of the file's own (the table only matters for names Kconfig lacks).
        defined.extend(sorted({without_config_prefix(name) for name in c_scan.definitions}))
    elif kind is CodeFileKind.MAKEFILE:
        from kconfig_ls.syntax import makefile

        # The rows the entry keeps, without `ConfigReference` or `BuiltObject` records.
        make_rows = makefile.index_makefile(data, syntax=syntax)
        references.extend(make_rows.references)
        objects.extend(make_rows.objects)
        problems.extend(make_rows.problems)
        # Make variables the build sets itself (`CONFIG_SHELL := sh`, `-DCONFIG_SPL_BUILD`)
        # are not Kconfig symbols anywhere in the tree.
        made = {without_config_prefix(name) for name in make_rows.definitions}
        defined.extend(sorted(made | set(make_rows.build_defined)))
    elif kind is CodeFileKind.CMAKE:
        from kconfig_ls.syntax import cmake

        cmake_scan = cmake.scan_cmake(data, syntax=syntax)
        references.extend(reference_tuple(r) for r in cmake_scan.references if r.counts)
        # Nested trees' names too (Zephyr's `if(SB_CONFIG_BOOTLOADER_MCUBOOT)`: sysbuild's symbol),
        # keyed as spelled (`nested_key`): never under the main tree's X.
        for nested_prefix in syntax.cmake_prefixes:
            nested_scan = cmake.scan_cmake(data, syntax=dataclasses.replace(syntax, prefix=nested_prefix))
            references.extend(
                (nested_key(nested_prefix, strip_prefix(r.symbol, nested_prefix)), *reference_tuple(r)[1:])
                for r in nested_scan.references
                if r.counts and len(r.symbol) > len(nested_prefix)
            )
        if syntax.cmake_prefixes:
            references.sort(key=lambda reference: reference[1])
    elif kind is CodeFileKind.RENAME:
        from kconfig_ls.syntax import config_file

        rename_scan = config_file.scan_rename_file(data, prefix=syntax.prefix)
        for renaming in rename_scan.renamings:
            renamings.append(
                (
                    renaming.old,
                    renaming.new,
                    renaming.inverted,
                    renaming.old_span[0],
                    renaming.old_span[1],
                    renaming.line,
                )
            )
            references.append(
                (
                    renaming.new,
                    renaming.new_span[0],
                    renaming.new_span[1],
                    renaming.line,
                    ReferenceKind.RENAME_TARGET.value,
                    False,
                )
            )
        problems.extend((p.span[0], p.span[1], p.line, p.message) for p in rename_scan.problems)
    else:
        from kconfig_ls.syntax import config_file

        # A nested tree's configuration file has that tree's prefix (Zephyr's `sysbuild.conf`).
        prefix = syntax.config_file_prefix(os.path.basename(path)) if syntax.file_prefixes else syntax.prefix
        # The rows the entry keeps, without `ConfigAssignment` records or value classification.
        rows, config_problems = config_file.index_config_file(
            data, prefix=prefix, prefix_in_symbol=syntax.prefix_in_symbol
        )
        not_set, assignment = ReferenceKind.CONFIG_NOT_SET.value, ReferenceKind.CONFIG_ASSIGNMENT.value
        nested_spelling = prefix != syntax.prefix
        for symbol, start, end, line, is_not_set in rows:
            key = nested_key(prefix, symbol) if nested_spelling else symbol
            references.append((key, start, end, line, not_set if is_not_set else assignment, False))
        problems.extend(config_problems)
    nested = nested_tree_prefix(syntax, path)
    if nested:
        references = [(strip_prefix(r[0], nested), *r[1:]) for r in references]
        defined = [strip_prefix(name, nested) for name in defined]
        objects = [(strip_prefix(o[0], nested), *o[1:]) for o in objects]
    return _entry(size, mtime_ns, kind.value, references, defined, objects, mismatches, problems, renamings)


def scan_chunk(paths: list[str], syntax: ReferenceSyntax) -> list[FileEntry | None]:
    """Scan files the walk chose (`CodeIndex.classify` already applied), one entry per path."""
    results: list[FileEntry | None] = []
    for path in paths:
        try:
            entry = scan_code_file(path, syntax=syntax)
        except Exception as error:  # a scanner bug must not lose the whole chunk
            problem = (0, 0, 0, f"internal error while scanning: {error}")
            entry = _entry(0, 0, "c", [], [], [], [], [problem], [])
        results.append(entry)
    return results
