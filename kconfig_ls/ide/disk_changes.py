"""Noticing changes on disk when the editor cannot tell us (no file watchers).

LSP clients that support `workspace/didChangeWatchedFiles` registration tell
the server about a `git pull` or a branch switch. For the others the server
polls: `changed_files` compares the size and modification time of every file
the model and the code index were built from with what is on disk now, and
returns those that differ (deleted ones included). It is cheap for Kconfig
files (1,800 stats on Linux, a few milliseconds); code files are many more
(65,000 stats, a fraction of a second), so callers poll them less often.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

__all__ = ["FileStamps"]


class FileStamps:
    """The (size, mtime) of a set of files as last seen, and what changed since."""

    def __init__(self) -> None:
        self._stamps: dict[str, tuple[int, int] | None] = {}
        self._code_stamps: dict[str, tuple[int, int] | None] = {}

    def remember(self, paths: Iterable[str], code: bool = False) -> None:
        """Start watching `paths` (their current state is the baseline).

        `code` files are checked only when asked (they are many more).
        """
        table = self._code_stamps if code else self._stamps
        for path in paths:
            if path not in table:
                table[path] = _stamp(path)

    def changed_files(self, with_code: bool = True) -> list[str]:
        """Paths whose size or time changed (or that vanished) since last seen."""
        changed = []
        for table in (self._stamps, self._code_stamps) if with_code else (self._stamps,):
            for path, previous in table.items():
                current = _stamp(path)
                if current != previous:
                    table[path] = current
                    changed.append(path)
        return changed


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns
