"""The conditional blocks of a Makefile or Kbuild file that a configuration turns off, as plain data.

Kbuild includes `include/config/auto.conf`, so a symbol set to `y` or `m`
is a make variable (`CONFIG_X=y`), an int, hex or string symbol one with
its value, and a symbol that is `n` is not defined at all. The conditionals
that test them:

- `ifdef CONFIG_X` / `ifndef CONFIG_X`: whether the variable is defined
  (a non-empty value);
- `ifeq ($(CONFIG_X),y)`, `ifneq`, in all three spellings (`(a,b)`,
  `"a" "b"`, `'a' 'b'`), where each side is literal text and `$(CONFIG_X)`
  or `${CONFIG_X}` references;
- `else`, `else ifdef ...`, `else ifeq ...`, and `endif`.

A test on anything else (other variables, functions such as `$(filter ...)`,
a `CONFIG_` variable the file assigns itself, a value a compiler probe
decides) is unknown: its block is never greyed, and neither are the blocks
after it in the same chain. A block inside an inactive block is part of it;
only outermost regions are reported. Lines continued with a backslash count
as one line; `define ... endef` bodies are not conditionals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

__all__ = ["MakefileInactiveRegion", "makefile_inactive_regions"]

ValueOf = Callable[[str], str | None]
"""A Kconfig symbol's value as `.config` spells it (`n` for an undefined one), None when unknown."""

_CONDITIONAL: Final = re.compile(
    rb"[ \t]*(?:(else)(?:[ \t]+|$))?(ifdef|ifndef|ifeq|ifneq)?(?![A-Za-z0-9_.-])(.*)$", re.S
)
_ENDIF: Final = re.compile(rb"[ \t]*endif(?![A-Za-z0-9_.-])")
_DEFINE: Final = re.compile(rb"[ \t]*(?:(?:export|override)[ \t]+)*define(?![A-Za-z0-9_.-])")
_ENDEF: Final = re.compile(rb"[ \t]*endef(?![A-Za-z0-9_.-])")
_REFERENCE: Final = re.compile(rb"\$(?:\(([A-Za-z0-9_]+)\)|\{([A-Za-z0-9_]+)\})")
_VARIABLE_NAME: Final = re.compile(rb"[A-Za-z0-9_]+")
_OWN_ASSIGNMENT: Final = re.compile(
    rb"^[ \t]*(?:(?:export|override)[ \t]+)*(CONFIG_[A-Za-z0-9_]+)[ \t]*(?::{1,3}=|\+=|=)", re.M
)


@dataclass(frozen=True, slots=True)
class MakefileInactiveRegion:
    """The body of a conditional block the configuration turns off.

    `span` is the byte range of the body (from the start of the line after
    the directive to the end of the line before the next one), `lines` its
    0-based half-open line range; `directive_line` is the line of the
    `ifdef`/`ifeq`/`else` that opens it.
    """

    span: tuple[int, int]
    lines: tuple[int, int]
    directive_line: int


@dataclass(slots=True)
class _Block:
    """One open `if ... endif` chain: whether a branch was taken, whether the chain is still known."""

    parent_active: bool | None
    taken: bool
    known: bool
    body_start: int
    body_start_line: int
    directive_line: int
    current: bool | None


def makefile_inactive_regions(data: bytes, value_of: ValueOf) -> tuple[MakefileInactiveRegion, ...]:
    """The outermost conditional bodies of a Makefile that the configuration turns off, in file order."""
    own = frozenset(match.group(1).decode() for match in _OWN_ASSIGNMENT.finditer(data))
    regions: list[MakefileInactiveRegion] = []
    stack: list[_Block] = []
    in_define = 0

    def active() -> bool | None:
        return stack[-1].current if stack else True

    def close_branch(end: int, end_line: int) -> None:
        block = stack[-1]
        if block.current is False and block.parent_active is True and end_line > block.body_start_line:
            regions.append(
                MakefileInactiveRegion(
                    (block.body_start, end), (block.body_start_line, end_line), block.directive_line
                )
            )

    for start, end, line, last_line, text in _logical_lines(data):
        code = text.split(b"#", 1)[0] if b"#" in text and b"$(" not in text else text
        if in_define:
            if _ENDEF.match(code):
                in_define -= 1
            elif _DEFINE.match(code):
                in_define += 1
            continue
        if _DEFINE.match(code):
            in_define += 1
            continue
        if _ENDIF.match(code):
            if stack:
                close_branch(_line_end_before(data, start), line)
                stack.pop()
            continue
        match = _CONDITIONAL.match(code)
        if match is None or (match.group(1) is None and match.group(2) is None):
            continue
        is_else, keyword, rest = match.group(1), match.group(2), match.group(3)
        body_start = min(end + 1, len(data))
        if is_else is None:
            parent = active()
            test = _test(keyword, rest, value_of, own)
            current = _branch(parent, test)
            stack.append(
                _Block(parent, test is True, test is not None, body_start, last_line + 1, line, current)
            )
            continue
        if not stack:
            continue
        block = stack[-1]
        close_branch(_line_end_before(data, start), line)
        test = True if keyword is None else _test(keyword, rest, value_of, own)
        if not block.known or test is None:
            branch_value: bool | None = None if not block.taken else False
            block.known = False if branch_value is None else block.known
        else:
            branch_value = not block.taken and test
        block.taken = block.taken or branch_value is True
        block.current = _branch(block.parent_active, branch_value)
        block.body_start, block.body_start_line, block.directive_line = body_start, last_line + 1, line
    return tuple(regions)


def _branch(parent: bool | None, test: bool | None) -> bool | None:
    if parent is False or test is False:
        return False
    if parent is None or test is None:
        return None
    return True


def _test(keyword: bytes, rest: bytes, value_of: ValueOf, own: frozenset[str]) -> bool | None:
    argument = rest.strip()
    if keyword in (b"ifdef", b"ifndef"):
        if not _VARIABLE_NAME.fullmatch(argument):
            return None
        value = _variable(argument.decode(), value_of, own)
        if value is None:
            return None
        return (value != "") == (keyword == b"ifdef")
    sides = _comparison_sides(argument)
    if sides is None:
        return None
    left, right = (_expand(side, value_of, own) for side in sides)
    if left is None or right is None:
        return None
    return (left == right) == (keyword == b"ifeq")


def _variable(name: str, value_of: ValueOf, own: frozenset[str]) -> str | None:
    """What `auto.conf` gives a make variable; None when it is not a Kconfig symbol we can tell."""
    if not name.startswith("CONFIG_") or name in own:
        return None
    value = value_of(name.removeprefix("CONFIG_"))
    if value is None:
        return None
    return "" if value == "n" else value


def _expand(side: bytes, value_of: ValueOf, own: frozenset[str]) -> str | None:
    """A side of `ifeq` with its `$(CONFIG_X)` references replaced; None when anything else is in it."""
    pieces: list[str] = []
    position = 0
    for match in _REFERENCE.finditer(side):
        pieces.append(side[position : match.start()].decode("utf-8", "replace"))
        value = _variable((match.group(1) or match.group(2)).decode(), value_of, own)
        if value is None:
            return None
        pieces.append(value)
        position = match.end()
    tail = side[position:]
    if b"$" in tail or any(b"$" in piece.encode() for piece in pieces[::2]):
        return None
    pieces.append(tail.decode("utf-8", "replace"))
    return "".join(pieces)


def _comparison_sides(argument: bytes) -> tuple[bytes, bytes] | None:
    """The two sides of `(a,b)`, `"a" "b"` or `'a' 'b'` (make strips the parenthesised sides)."""
    if argument.startswith(b"(") and argument.endswith(b")"):
        inner = argument[1:-1]
        depth = 0
        for index, byte in enumerate(inner):
            if byte in b"({":
                depth += 1
            elif byte in b")}":
                depth -= 1
            elif byte == ord(",") and depth == 0:
                return inner[:index].strip(), inner[index + 1 :].strip()
        return None
    quoted = re.fullmatch(rb"""(["'])(.*?)\1[ \t]+(["'])(.*?)\3""", argument, re.S)
    if quoted is None:
        return None
    return quoted.group(2), quoted.group(4)


def _logical_lines(data: bytes) -> Iterator[tuple[int, int, int, int, bytes]]:
    """(start, end, first line, last line, text) of each line, backslash-continued lines joined."""
    start = 0
    line = 0
    length = len(data)
    while start <= length:
        end = data.find(b"\n", start)
        first_line = line
        while end >= 0 and _continued(data, start, end):
            line += 1
            end = data.find(b"\n", end + 1)
        if end < 0:
            end = length
        text = data[start:end].replace(b"\\\n", b"  ")
        yield start, end, first_line, line, text
        line += 1
        start = end + 1


def _continued(data: bytes, start: int, end: int) -> bool:
    backslashes = 0
    index = end - 1
    while index >= start and data[index] == ord("\\"):
        backslashes += 1
        index -= 1
    return backslashes % 2 == 1


def _line_end_before(data: bytes, offset: int) -> int:
    """The end of the line before `offset` (its newline excluded), for a body's end."""
    return max(0, offset - 1) if offset > 0 and data[offset - 1 : offset] == b"\n" else offset
