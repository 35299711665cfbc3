"""Inline multi-file fixtures, in rust-analyzer's shape.

A fixture is one string; `//- /path` lines start files, `$0` marks a
cursor (its byte offset is returned and the marker removed)::

    //- /Kconfig
    config A
        bool "A"
        select B$0
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

CURSOR = "$0"


@dataclass
class Fixture:
    root: Path
    files: dict[str, Path]
    cursor_path: Path | None = None
    cursor_offset: int | None = None


def write_fixture(root: Path, text: str) -> Fixture:
    text = textwrap.dedent(text).lstrip("\n")
    files: dict[str, Path] = {}
    fixture = Fixture(root, files)
    current: str | None = None
    chunks: dict[str, list[str]] = {}
    for line in text.splitlines(keepends=True):
        if line.startswith("//- "):
            current = line[4:].strip().lstrip("/")
            chunks[current] = []
            continue
        if current is None:
            current = "Kconfig"
            chunks[current] = []
        chunks[current].append(line)
    for relative, lines in chunks.items():
        body = "".join(lines)
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if CURSOR in body:
            before, after = body.split(CURSOR, 1)
            fixture.cursor_path = path
            fixture.cursor_offset = len(before.encode("utf-8"))
            body = before + after
        path.write_bytes(body.encode("utf-8"))
        files[relative] = path
    return fixture
