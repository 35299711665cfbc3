"""The file walk for unreached Kconfig files finds what `os.walk` finds, symbolic links included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kconfig_ls.semantics.discovery import discover_kconfig_files

_SKIPPED = {".git", ".hg", ".svn", "node_modules", ".kconfig-ls-cache", "__pycache__"}


def _with_os_walk(root: str, folders: list[str], names: frozenset[str]) -> list[str]:
    """The reference: the walk as it was written with `os.walk`."""
    found: list[str] = []
    for directory, subdirectories, files in os.walk(root):
        folders.append(directory)
        subdirectories[:] = [d for d in subdirectories if d not in _SKIPPED and not d.startswith(".")]
        found += [
            os.path.join(directory, name)
            for name in files
            if name.startswith("Kconfig") or name.endswith(".kconfig") or name in names
        ]
    return sorted(found)


def test_walk_matches_os_walk_with_links_hidden_and_skipped_folders(tmp_path: Path) -> None:
    for relative in (
        "Kconfig",
        "a/Kconfig",
        "a/Config.in",
        "a/b/x.kconfig",
        "a/b/c/Kconfig.debug",
        "a/README",
        ".hidden/Kconfig",
        "__pycache__/Kconfig",
        "node_modules/Kconfig",
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text("config A\n\tbool\n")
    (tmp_path / "KconfigFolderLink").symlink_to(tmp_path / "a")  # a folder: never entered
    (tmp_path / "Kconfig.link").symlink_to(tmp_path / "a" / "Kconfig")  # a file: found
    (tmp_path / "Kconfig.broken").symlink_to(tmp_path / "nowhere")  # as os.walk: a file
    (tmp_path / "a" / "loop").symlink_to(tmp_path)  # a loop: not followed
    names = frozenset({"Config.in"})
    expected_folders: list[str] = []
    expected = _with_os_walk(str(tmp_path), expected_folders, names)
    folders: list[str] = []
    assert discover_kconfig_files(str(tmp_path), folders, names) == expected
    assert folders == expected_folders
    assert str(tmp_path / "Kconfig.link") in expected
    assert not any("KconfigFolderLink" in path or "/loop/" in path for path in expected)


def test_importing_the_discovery_does_not_import_multiprocessing() -> None:
    """`multiprocessing` is imported when a walk is forked: the server's and `--version`'s start skip it."""
    repository = Path(__file__).resolve().parents[2]
    probe = "import sys, kconfig_ls.semantics.discovery; print('multiprocessing' in sys.modules)"
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repository)},
        check=True,
        timeout=120,
    )
    assert completed.stdout.strip() == "False"
