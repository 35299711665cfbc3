"""Columns of a logical line to byte offsets in the file, and names to spans.

A logical line may span `\\`-continued physical lines and hold non-ASCII
text; spans must still be exact byte offsets on the physical line where each
token is (Linux drivers/net/ethernet/amd/Kconfig:11 reported a token of a
continuation line on the statement's first line).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import TypeAlias

from kconfig_ls.syntax.kconfig.lexical import quote_state, strip_comment
from kconfig_ls.syntax.kconfig.nodes import NameOccurrence, NameOffsets, NameSource, Span

# Converts a character column of the current line to a file byte offset.
At: TypeAlias = Callable[[int], int]
# (column in the logical line, byte offset in the file) where each physical line starts.
Segments: TypeAlias = Sequence[tuple[int, int]]


def column_mapper(line: str, segments: Segments) -> At:
    """A function from a column of a logical line to its byte offset in the file.

    `segments` holds where each physical line of a `\\`-continued line
    starts, so a token on a continuation line gets its own line's offset.
    Non-ASCII lines get a prefix table of UTF-8 widths (one pass over the
    line), so converting many columns of one long line stays linear.
    """
    if line.isascii():
        if len(segments) == 1:
            start = segments[0][1]
            return lambda column: start + column
        columns = [column for column, _ in segments]

        def at_continued(column: int) -> int:
            segment_column, segment_start = segments[bisect_right(columns, column) - 1]
            return segment_start + column - segment_column

        return at_continued
    widths = list(
        accumulate(
            (
                len(character.encode("utf-8", "surrogateescape")) if character >= "\x80" else 1
                for character in line
            ),
            initial=0,
        )
    )
    if len(segments) == 1:
        start = segments[0][1]
        return lambda column: start + widths[min(column, len(line))]
    columns = [column for column, _ in segments]

    def at_continued_non_ascii(column: int) -> int:
        column = min(column, len(line))
        segment_column, segment_start = segments[bisect_right(columns, column) - 1]
        return segment_start + widths[column] - widths[segment_column]

    return at_continued_non_ascii


def names_at(relative: tuple[tuple[str, int], ...], text_start: int, at: At, linear: bool) -> NameSource:
    """Names at character offsets of an expression's text: compact on a linear line, else exact spans."""
    if not relative:
        return ()
    if linear:
        return NameOffsets(relative, at(text_start))
    return tuple(
        NameOccurrence(name, Span(at(text_start + offset), at(text_start + offset + len(name))))
        for name, offset in relative
    )


def join_continuation(
    lines: Sequence[str], line_starts: Sequence[int], index: int
) -> tuple[str, int, list[tuple[int, int]]]:
    """Join `\\`-continued lines: the logical line, its last index and its segments.

    Each physical line loses its `# comment` first: a comment ends the
    logical line, as for the C tools, and a comment after the last
    continued line is not part of the expression (Buildroot
    package/boost/Config.in:181 lost its whole `depends on` to that).
    The `\\` becomes a space, so every physical line keeps its columns
    in the joined line, and `segments` maps them back to file offsets.
    Inside a quoted string the `\\` and the line break are dropped, as
    kconfiglib joins them (ESP-IDF's `components/bt/esp_ble_audio/Kconfig/Kconfig.micp.in:19`
    continues a prompt on the next line); the segments then start one column earlier.
    """
    parts: list[str] = []
    segments: list[tuple[int, int]] = []
    column = 0
    while True:
        physical = lines[index]
        if "#" in physical:
            physical = strip_comment(physical)
        segments.append((column, line_starts[index]))
        if not physical.endswith("\\"):
            parts.append(physical)
            break
        joined = physical[:-1]
        if quote_state("".join(parts) + joined)[1]:
            parts.append(joined)
            column += len(joined)
        else:
            parts.append(joined + " ")
            column += len(physical)
        if index + 1 >= len(lines):
            break
        index += 1
    return "".join(parts), index, segments
