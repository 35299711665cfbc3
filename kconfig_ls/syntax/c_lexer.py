"""Finding preprocessor directives and answering lexical questions about positions in C bytes.

The scanner never tokenizes a whole file (see `c_preprocessor`): it finds
directives with a literal search (`find_directives`), and answers "is this
position in a comment, a string?" locally (`BlockCommentTracker`,
`LineContext`), each in one pass over a file for ascending queries. Split
from `c_preprocessor`.
"""

from __future__ import annotations

import bisect
import re
from typing import Final, NamedTuple

from kconfig_ls.syntax.c_conditions import directive_condition
from kconfig_ls.syntax.config_reference import Span
from kconfig_ls.syntax.expression import Expression

__all__ = ["FoundDirective", "condition_text"]

_TESTING_KINDS: Final = frozenset({"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef"})


class FoundDirective(NamedTuple):
    """A directive as found by a front end, before block structure and references.

    A named tuple rather than a dataclass: the index creates 130,000 of them
    for the Linux tree, and a tuple is four times cheaper to build.
    """

    kind: str
    start: int
    keyword_span: Span
    end: int
    comment_spans: tuple[Span, ...]
    condition: Expression | None
    condition_span: Span | None
    problem: str | None


# --- finding directives ------------------------------------------------------------------

_DIRECTIVE_CANDIDATE: Final = re.compile(
    rb"#[ \t]*(ifdef|ifndef|if|elifdef|elifndef|elif|else|endif)(?![A-Za-z0-9_$])[^\n/\\]*+(\n|\Z)?"
)
"""A candidate `#` and keyword, then the rest of its line while it holds no `/` or backslash.

Group 2 matched (a newline, or the end of the data) when the rest of the physical line holds
neither: then no comment and no continuation can follow the keyword, and the directive ends
there (the common case, decided by the regex at C speed). Otherwise `_directive_extent` finds
the end. The rest of the line costs `re` almost nothing: its fast search is for the `#`.
"""
_KIND_NAMES: Final = {
    name.encode(): name for name in ("ifdef", "ifndef", "if", "elifdef", "elifndef", "elif", "else", "endif")
}
_NON_BLANK: Final = re.compile(rb"[^ \t\f\v\r]")
_DIRECTIVE_BREAK: Final = re.compile(rb"/\*|//|\\[ \t]*\r?\n|\n")
_CONTINUATION: Final = re.compile(rb"\\[ \t]*\r?\n")


def _find_directives(
    data: bytes, *, with_conditions: bool = True, symbols_ending_in_module: frozenset[str] = frozenset()
) -> list[FoundDirective]:
    found: list[FoundDirective] = []
    lines = _LineContext(data)
    comments = _BlockCommentTracker(data, lines)
    position = 0
    make = tuple.__new__
    search = _DIRECTIVE_CANDIDATE.search
    kind_names = _KIND_NAMES
    testing_kinds = _TESTING_KINDS
    conditions_by_bytes = _CONDITIONS_BY_BYTES
    while True:
        match = search(data, position)
        if match is None:
            break
        start = match.start()
        keyword_start, after = match.span(1)
        position = after
        # `_physical_line_start`, inlined, with its common case first: the `#` starts the line.
        if start and data[start - 1] != 0x0A:
            window_start = start - _LINE_WINDOW if start > _LINE_WINDOW else 0
            line_start = data.rfind(b"\n", window_start, start) + 1 or window_start
            if line_start != start and _NON_BLANK.search(data, line_start, start):
                continue
        else:
            line_start = start
        # A directive starts a logical line: after a backslash continuation the
        # `#` is inside something else, such as a string template (bpftool's gen.c).
        # The common case, a previous line without a final backslash, is tested here.
        if line_start >= 2:
            before = line_start - 2
            if data[before] == 0x0D and before > 0:
                before -= 1
            if data[before] == 0x5C and lines.logical_line_start(line_start) != line_start:
                continue
        # `comments.comment_start(start) >= 0`, with its common cases first: no comment open and
        # no opener since the last query (one search), or the last opener since then closed
        # before the directive (two searches; whether that opener was real does not matter then).
        scanned_to = comments.scanned_to
        if start >= scanned_to and comments.last_opener <= comments.last_closer:
            opener = data.rfind(b"/*", scanned_to - 1 if scanned_to else 0, start)
            if opener < 0:
                comments.scanned_to = start
            else:
                closer = data.rfind(b"*/", opener + 2, start)
                if closer >= 0:
                    comments.last_opener, comments.last_closer, comments.scanned_to = opener, closer, start
                elif comments.comment_start(start) >= 0:
                    continue
        elif comments.comment_start(start) >= 0:
            continue
        kind = kind_names[match.group(1)]
        line_end = match.start(2)
        if line_end >= 0:
            # The regex saw no comment and no backslash up to the newline (or the end).
            end = line_end
            if end > after and data[end - 1] == 0x0D and match.end(2) > line_end:
                end -= 1
            comment_spans: tuple[Span, ...] = ()
            unterminated_comment = False
        else:
            end, comment_spans, unterminated_comment = _directive_extent(data, after)
        condition: Expression | None = None
        condition_span: Span | None = None
        problem: str | None = None
        if with_conditions and kind in testing_kinds:
            if comment_spans or symbols_ending_in_module:
                condition_span, text = condition_text(data, after, end, comment_spans)
                condition, problem = directive_condition(kind, text, symbols_ending_in_module)
            else:
                # Without comments, the span (relative to `after`), the condition and the problem
                # depend only on the condition's bytes, and most repeat (`#ifdef CONFIG_SMP`).
                key = (kind, data[after:end])
                known = conditions_by_bytes.get(key)
                if known is None:
                    known = _condition_of_bytes(kind, key[1])
                    if len(conditions_by_bytes) < _CONDITIONS_BY_BYTES_LIMIT:
                        conditions_by_bytes[key] = known
                relative_start, relative_end, condition, problem = known
                condition_span = (after + relative_start, after + relative_end)
        if unterminated_comment:
            problem = "unterminated comment"
        # `tuple.__new__`: the named tuple's own `__new__` is a Python call per directive.
        found.append(
            make(
                FoundDirective,
                (
                    kind,
                    start,
                    (keyword_start, after),
                    end,
                    comment_spans,
                    condition,
                    condition_span,
                    problem,
                ),
            )
        )
        if end > position:
            position = end
    return found


_CONDITIONS_BY_BYTES: Final[dict[tuple[str, bytes], tuple[int, int, Expression | None, str | None]]] = {}
_CONDITIONS_BY_BYTES_LIMIT: Final = 100_000


def _condition_of_bytes(kind: str, raw: bytes) -> tuple[int, int, Expression | None, str | None]:
    """`condition_text` and `directive_condition` of a condition without comments, its span relative."""
    (span_start, span_end), text = condition_text(raw, 0, len(raw), ())
    condition, problem = directive_condition(kind, text)
    return span_start, span_end, condition, problem


def _directive_extent(data: bytes, position: int) -> tuple[int, tuple[Span, ...], bool]:
    """End of the logical line from `position`, the comments in it, whether a comment is unterminated."""
    comments: list[Span] = []
    length = len(data)
    while True:
        match = _DIRECTIVE_BREAK.search(data, position)
        if match is None:
            return length, tuple(comments), False
        token = match.group()
        if token == b"\n":
            end = match.start()
            if end > position and data[end - 1] == 0x0D:
                end -= 1
            return end, tuple(comments), False
        if token == b"//":
            newline = data.find(b"\n", match.end())
            end = length if newline < 0 else newline
            if end > match.end() and data[end - 1] == 0x0D:
                end -= 1
            comments.append((match.start(), end))
            return end, tuple(comments), False
        if token == b"/*":
            close = data.find(b"*/", match.end())
            if close < 0:
                comments.append((match.start(), length))
                return length, tuple(comments), True
            comments.append((match.start(), close + 2))
            position = close + 2
            continue
        position = match.end()


def condition_text(data: bytes, start: int, end: int, comment_spans: tuple[Span, ...]) -> tuple[Span, str]:
    """The text of `data[start:end]` with comments and continuations blanked, and its trimmed span."""
    pieces: list[bytes] = []
    cursor = start
    for comment_start, comment_end in comment_spans:
        pieces.append(data[cursor:comment_start])
        pieces.append(b" ")
        cursor = comment_end
    pieces.append(data[cursor:end])
    raw = b"".join(pieces)
    if b"\\" in raw:
        raw = _CONTINUATION.sub(b" ", raw)
    text = raw.decode("utf-8", errors="replace")
    # The span: from the first to the last byte of condition that is not white
    # space or comment.
    span_start = start
    span_end = end
    for comment_start, comment_end in reversed(comment_spans):
        if data[comment_end:span_end].strip() == b"":
            span_end = comment_start
    condition = data[span_start:span_end].rstrip(_CONDITION_BLANKS)
    span_end = span_start + len(condition)
    span_start = span_end - len(condition.lstrip(_CONDITION_BLANKS))
    return (span_start, span_end), text


_CONDITION_BLANKS: Final = b" \t\r\n\\\f\v"


class _BlockCommentTracker:
    """Answers "is this position inside a /* */ comment?" for ascending positions.

    Each query searches backwards only over the bytes since the previous
    query, so a whole file costs one pass of C-speed `rfind`. A `/*` inside a
    string or a `//` comment is recognised by lexing its own line. A `*/` needs
    no such check: inside a comment the first `*/` always ends it, and outside
    one a stray `*/` changes nothing.
    """

    __slots__ = ("data", "last_closer", "last_opener", "lines", "scanned_to")

    def __init__(self, data: bytes, lines: _LineContext) -> None:
        self.data = data
        self.lines = lines
        self.scanned_to = 0
        self.last_opener = -1
        self.last_closer = -1

    def comment_start(self, position: int) -> int:
        """The start of the comment containing `position`, or -1."""
        if position < self.scanned_to:
            self.scanned_to, self.last_opener, self.last_closer = 0, -1, -1
        data = self.data
        window_start = max(0, self.scanned_to - 1)
        end = position
        opened = False
        while True:
            opener = data.rfind(b"/*", window_start, end)
            if opener < 0:
                break
            # The state just after the opener's first byte: `//*` is a line comment, not an opener.
            if self.lines.state(opener + 1) == _CODE:
                self.last_opener = opener
                opened = True
                break
            end = opener
        # Outside a comment and with no opener since the last query, a closer changes
        # nothing (the common case between directives): no second search.
        if opened or self.last_opener > self.last_closer:
            closer = data.rfind(b"*/", max(window_start, self.last_opener + 2), position)
            if closer >= 0:
                self.last_closer = closer
        self.scanned_to = position
        if self.last_opener > self.last_closer:
            return self.last_opener
        return -1


_CODE: Final = 0
_STRING: Final = 1
_LINE_COMMENT: Final = 2
_BLOCK_COMMENT: Final = 3

# DOTALL lets `\\.` take a backslash-newline: a string continued onto the next line.
_LINE_TOKEN: Final = re.compile(rb"\"(?:[^\"\\\n]|\\.)*+(\")?|'(?:[^'\\\n]|\\.)*+(')?|//|/\*", re.DOTALL)


class _LineContext:
    """Lexical questions answered from the logical line in front of a position.

    Queries come in mostly ascending order, so both answers are resumed from
    the previous query on the same line: the walk back over continued lines
    stops at the line the previous walk started from, and lexing restarts
    after the last token already lexed. This keeps a macro continued over
    thousands of lines linear, like the rest of the scanner.
    """

    __slots__ = ("data", "lexed_from", "lexed_to", "walked_from", "walked_to")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.walked_from = -1
        self.walked_to = -1
        self.lexed_from = -1
        self.lexed_to = -1

    def logical_line_start(self, line_start: int) -> int:
        """Walk back over lines that end with a backslash continuation, within `_LINE_WINDOW`."""
        data = self.data
        origin = line_start
        limit = line_start - _LINE_WINDOW
        while line_start >= 2 and line_start > limit:
            if line_start == self.walked_from:
                # Stable along a chain of continued lines, so that `state` can resume.
                line_start = self.walked_to
                break
            index = line_start - 2
            if data[index] == 0x0D and index > 0:
                index -= 1
            if data[index] != 0x5C:
                break
            line_start = _physical_line_start(data, index)
        self.walked_from, self.walked_to = origin, line_start
        return line_start

    def state(self, position: int) -> int:
        """The lexical state at `position` (`_CODE`, `_STRING`, ...); block comments are tracked apart."""
        data = self.data
        start = self.logical_line_start(_physical_line_start(data, position))
        cursor = start
        if self.lexed_from == start and start <= self.lexed_to <= position:
            cursor = self.lexed_to
        # A line that starts inside a comment opened on an earlier line: lex after its end.
        closer = data.rfind(b"*/", cursor, position)
        if closer >= 0:
            cursor = closer + 2
        self.lexed_from = start
        while True:
            match = _LINE_TOKEN.search(data, cursor, position)
            if match is None:
                self.lexed_to = cursor
                return _CODE
            # The state is code where a token starts: a later query may resume there.
            self.lexed_to = match.start()
            first = data[match.start()]
            if first == 0x22:  # '"'
                if match.group(1) is None:
                    return _STRING
            elif first == 0x27:  # "'"
                if match.group(2) is None:
                    return _STRING
            elif match.group() == b"//":
                return _LINE_COMMENT
            else:
                close = data.find(b"*/", match.end(), position)
                if close < 0:
                    return _BLOCK_COMMENT
                cursor = close + 2
                continue
            cursor = match.end()


class _LineCounter:
    """0-based line numbers for mostly ascending offsets, counting newlines incrementally.

    `anchors` are offsets whose lines are already known (the directives'):
    counting restarts from the nearest one, so that numbering the references
    after the directives does not count the file's newlines a second time.
    """

    __slots__ = ("anchor_lines", "anchor_offsets", "data", "line_number", "position")

    def __init__(
        self, data: bytes, anchor_offsets: list[int] | None = None, anchor_lines: list[int] | None = None
    ) -> None:
        self.data = data
        self.position = 0
        self.line_number = 0
        self.anchor_offsets = anchor_offsets or []
        self.anchor_lines = anchor_lines or []

    def line(self, offset: int) -> int:
        if offset >= self.position:
            if self.anchor_offsets:
                index = bisect.bisect_right(self.anchor_offsets, offset) - 1
                if index >= 0 and self.anchor_offsets[index] > self.position:
                    self.position = self.anchor_offsets[index]
                    self.line_number = self.anchor_lines[index]
            self.line_number += self.data.count(b"\n", self.position, offset)
        else:
            self.line_number -= self.data.count(b"\n", offset, self.position)
        self.position = offset
        return self.line_number


def _next_line_start(data: bytes, end: int) -> int:
    newline = data.find(b"\n", end)
    return len(data) if newline < 0 else newline + 1


_LINE_WINDOW: Final = 4096
"""How far back the scanner looks for the start of a line.

Every per-position question (is this in a string? is this a `#define`?) is
answered from the line in front of the position. Bounding the look-back keeps
a pathological file (a 5 MB minified line, a macro continued over thousands
of lines) linear; real lines and macros are far shorter.
"""


def _physical_line_start(data: bytes, position: int) -> int:
    window_start = max(0, position - _LINE_WINDOW)
    return data.rfind(b"\n", window_start, position) + 1 or window_start
