"""The identity of the running program, for the keys of caches that hold its results.

Every on-disk cache of results uses it: the lint results and `--diff`
revisions (`cli/`), the code index (`semantics/code_index.py`) and the logic
analyses (`logic/world_analysis.py`).

A results cache keyed only by the version number served stale findings in a
development checkout (and to anyone running from source): the code changed,
the version did not. The identity adds the size and modification time of
every module of the package, which costs one `stat` per module (about 180,
under 2 ms) and changes with any edit, reinstall or upgrade.
"""

from __future__ import annotations

import functools
import hashlib
import os

from kconfig_ls import __version__

__all__ = ["program_identity"]

_PACKAGE_FOLDER = os.path.dirname(os.path.abspath(__file__))


@functools.cache
def program_identity(package_folder: str = _PACKAGE_FOLDER) -> str:
    """The version and a digest of the package's modules (path, size, modification time)."""
    digest = hashlib.sha256(__version__.encode())
    stack = [package_folder]
    rows: list[str] = []
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    stack.append(entry.path)
            elif entry.name.endswith(".py"):
                try:
                    status = entry.stat()
                except OSError:
                    continue
                relative = os.path.relpath(entry.path, package_folder)
                rows.append(f"{relative}\0{status.st_size}\0{status.st_mtime_ns}")
    for row in sorted(rows):
        digest.update(row.encode() + b"\n")
    return f"{__version__}+{digest.hexdigest()[:16]}"
