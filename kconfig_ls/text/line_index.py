"""Byte offsets to lines and columns, for UTF-8, UTF-16 and code points.

The engine speaks UTF-8 byte offsets only. Clients speak (line, column)
with columns counted in UTF-16 code units (VS Code, the LSP default), UTF-8
bytes (Neovim may negotiate it) or code points (compilers' messages, SARIF
`unicodeCodePoints`). This module is the one place that converts.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate
from typing import Literal

__all__ = ["ColumnUnit", "LineIndex"]

ColumnUnit = Literal["utf-8", "utf-16", "utf-32"]


class LineIndex:
    """Line starts of one text, and conversions in both directions."""

    __slots__ = ("data", "line_starts")

    def __init__(self, data: bytes) -> None:
        self.data = data
        # Each line's length plus its newline, summed without a Python call per line
        # (the server builds one per edited document and keystroke).
        starts = list(accumulate(map((1).__add__, map(len, data.split(b"\n"))), initial=0))
        starts.pop()
        self.line_starts = starts

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line_of(self, offset: int) -> int:
        """0-based line that contains the byte offset."""
        return max(0, bisect_right(self.line_starts, offset) - 1)

    def line_bytes(self, line: int) -> bytes:
        """The line's bytes without its line ending."""
        if line < 0 or line >= len(self.line_starts):
            return b""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.data)
        text = self.data[start:end]
        return text[:-1] if text.endswith(b"\r") else text

    def position(self, offset: int, unit: ColumnUnit = "utf-16") -> tuple[int, int]:
        """(line, column), both 0-based, of a byte offset."""
        offset = max(0, min(offset, len(self.data)))
        line = self.line_of(offset)
        prefix = self.data[self.line_starts[line] : offset]
        return line, _count(prefix, unit)

    def offset(self, line: int, column: int, unit: ColumnUnit = "utf-16") -> int:
        """Byte offset of a (line, column); clamps past the end of a line or file."""
        if line >= len(self.line_starts):
            return len(self.data)
        if line < 0:
            return 0
        start = self.line_starts[line]
        text = self.line_bytes(line)
        if unit == "utf-8":
            return start + min(column, len(text))
        if text.isascii():
            return start + min(column, len(text))
        decoded = text.decode("utf-8", "surrogateescape")
        units = 0
        for index, character in enumerate(decoded):
            if units >= column:
                return start + len(decoded[:index].encode("utf-8", "surrogateescape"))
            units += 2 if (unit == "utf-16" and ord(character) > 0xFFFF) else 1
        return start + len(text)


def _count(prefix: bytes, unit: ColumnUnit) -> int:
    if unit == "utf-8" or prefix.isascii():
        return len(prefix)
    decoded = prefix.decode("utf-8", "surrogateescape")
    if unit == "utf-32":
        return len(decoded)
    return sum(2 if ord(character) > 0xFFFF else 1 for character in decoded)
