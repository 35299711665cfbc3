"""`kconfig-ls rename OLD NEW`: rename a symbol across the tree, headless.

Loads the project as `lint` does (Kconfig model and code index), asks
`kconfig_ls.ide.rename.rename_symbol` for the edits and prints them as a
unified diff (`git apply`-able, paths relative to the project). Nothing is
written unless `--write` is given; then each file is replaced atomically.

Exit codes: 0 when the rename is possible (and written with `--write`),
1 when it is refused (the new name exists, the old one does not, ...),
2 on usage or I/O errors.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from typing import TextIO

from kconfig_ls.analysis.nested_projects import (
    load_nested_models,
    nested_rename,
    nested_rename_target,
    without_nested_edits,
)
from kconfig_ls.ide.rename import RenameEdit, RenameResult, rename_symbol
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings
from kconfig_ls.settings.project_file import SettingsError, load_project_settings
from kconfig_ls.settings.resolve import find_project_root
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileReadError, read_regular_file

__all__ = ["add_rename_arguments", "apply_edits", "run_rename", "unified_diff"]


def add_rename_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old", help="the symbol's current name (without CONFIG_; Zephyr sysbuild's as SB_CONFIG_X)"
    )
    parser.add_argument("new", help="the new name (without CONFIG_)")
    parser.add_argument("--project", help="project folder (default: found from the current folder)")
    parser.add_argument("--root", dest="root_kconfig", help="root Kconfig, relative to the project")
    parser.add_argument("--arch", help="architecture for Linux-style trees (SRCARCH/ARCH)")
    parser.add_argument(
        "--keep-old-name",
        action="store_true",
        help="record the old name: a line in sdkconfig.rename (ESP-IDF), else a 'transitional' entry",
    )
    parser.add_argument("--write", action="store_true", help="write the files instead of printing a diff")
    parser.add_argument("--kconfig-only", action="store_true", help="rename in Kconfig files only")
    parser.add_argument("--cache-dir", help="where the code index cache lives")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for indexing code")


def run_rename(
    arguments: argparse.Namespace, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr
) -> int:
    from kconfig_ls.cli.lint import default_cache_directory

    try:
        project_root = os.path.abspath(
            arguments.project or find_project_root(os.getcwd(), arguments.root_kconfig or "Kconfig")
        )
        load_project_settings(project_root)  # a settings file that does not parse is a usage error
    except (SettingsError, ValueError) as error:
        print(f"kconfig-ls rename: error: {error}", file=stderr)
        return 2
    # The settings every client uses: a Zephyr application's are the Zephyr tree's, with the
    # application's code among the code roots (`resolve_settings`).
    resolved = resolve_settings(
        AnalysisSettings(project_root=project_root, root_kconfig=arguments.root_kconfig, arch=arguments.arch)
    )
    settings = resolved.workspace
    model = KconfigModel(settings)
    model.load()
    if model.file(model.root_path) is None:
        print(f"kconfig-ls rename: error: root Kconfig not found: {model.root_path}", file=stderr)
        return 2
    code_index = None
    if not arguments.kconfig_only:
        code_index = CodeIndex(
            settings.root,
            arguments.cache_dir or default_cache_directory(),
            arguments.jobs,
            resolved.code_exclude,
            extra_roots=resolved.code_roots,
        )
        code_index.build()
    nested = load_nested_models(model)
    target = nested_rename_target(nested, arguments.old) if arguments.old not in model.definitions else None
    if target is not None:
        # `SB_CONFIG_X`: sysbuild's X, in its own files and as `SB_CONFIG_X` in code.
        owner, old = target
        result = nested_rename(
            owner, model, code_index, old, arguments.new, keep_old_name=arguments.keep_old_name
        )
    else:
        result = rename_symbol(
            model, code_index, arguments.old, arguments.new, keep_old_name=arguments.keep_old_name
        )
        # Zephyr's sysbuild keeps its namesake (the main model reads its files as unreached ones).
        result = without_nested_edits(result, nested, model)
    if result.error is not None:
        print(f"kconfig-ls rename: {result.error}", file=stderr)
        return 1
    contents = apply_edits(result)
    try:
        if arguments.write:
            for path, (_, after) in contents.items():
                _write_atomically(path, after)
        else:
            stdout.write(unified_diff(contents, project_root))
    except OSError as error:
        print(f"kconfig-ls rename: error: {error}", file=stderr)
        return 2
    _summary(result, contents, project_root, arguments.write, stderr)
    return 0


def apply_edits(result: RenameResult) -> dict[str, tuple[bytes, bytes]]:
    """Each edited file's bytes before and after (edits applied back to front)."""
    contents: dict[str, tuple[bytes, bytes]] = {}
    for path, edits in result.edits_by_file().items():
        try:
            before = read_regular_file(path, MAX_CODE_FILE_SIZE)
        except FileReadError as error:
            if error.kind != "missing":
                raise
            before = b""  # a file the rename creates (sdkconfig.rename)
        after = before
        ordered: list[RenameEdit] = sorted(edits, key=lambda e: (e.start, e.end))
        for edit in reversed(ordered):
            after = after[: edit.start] + edit.new_text.encode() + after[edit.end :]
        contents[path] = (before, after)
    return contents


def unified_diff(contents: dict[str, tuple[bytes, bytes]], project_root: str) -> str:
    chunks: list[str] = []
    for path in sorted(contents):
        before, after = contents[path]
        relative = os.path.relpath(path, project_root).replace(os.sep, "/")
        old_name = "/dev/null" if not os.path.exists(path) else f"a/{relative}"
        chunks.extend(
            difflib.unified_diff(
                before.decode("utf-8", "surrogateescape").splitlines(keepends=True),
                after.decode("utf-8", "surrogateescape").splitlines(keepends=True),
                old_name,
                f"b/{relative}",
            )
        )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks
    )


def _write_atomically(path: str, data: bytes) -> None:
    folder = os.path.dirname(path)
    mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".kconfig-ls-rename-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _summary(
    result: RenameResult, contents: dict[str, tuple[bytes, bytes]], root: str, written: bool, stderr: TextIO
) -> None:
    kinds = ", ".join(f"{count} {kind}" for kind, count in result.kinds.items())
    verb = "wrote" if written else "would edit"
    print(
        f"kconfig-ls rename {result.old} -> {result.new}: {verb} {len(result.edits)} sites in "
        f"{len(contents)} files ({kinds})",
        file=stderr,
    )
    for site in result.skipped:
        print(
            f"  not renamed: {os.path.relpath(site.path, root)} byte {site.start}: {site.reason}", file=stderr
        )
    for note in result.notes:
        print(f"  note: {note}", file=stderr)
