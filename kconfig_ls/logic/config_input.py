"""Reading configuration files the way the Kconfig tools read them.

`read_assignments` turns the bytes of `.config` files, defconfigs and
fragments into `UserAssignment`s, judging each line as kconfiglib's
`load_config` (and the C tools' `conf_read_simple`) does: a bool or tristate
value is read from its first character, a string must be a quoted literal
(escapes removed), an int or hex must parse in its base, `# CONFIG_X is not
set` counts only for bool and tristate symbols, and an assignment to a
symbol the table does not define is ignored. Ignored lines are kept, with
the reason, for the configuration-file checks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.config_file import ConfigAssignment, scan_config_file
from kconfig_ls.syntax.config_reference import looks_binary

__all__ = ["ConfigSource", "UserAssignment", "is_generated_config", "read_assignments"]

_STRING_LITERAL: Final = re.compile(r'"((?:[^\\"]|\\.)*)"')
_ESCAPE: Final = re.compile(r"\\(.)")


@dataclass(frozen=True, slots=True)
class ConfigSource:
    """One configuration file: a path (for messages) and its bytes."""

    path: str
    data: bytes


class UserAssignment(NamedTuple):
    """One assignment line as the tools read it.

    A named tuple rather than a frozen dataclass: a Debian `.config` has
    9,500 assignments, re-read after every edit, and a tuple is several
    times cheaper to build.

    `value` is what the tools take (`y`/`m`/`n` from the first character for
    bool and tristate, the unescaped text of a string, the number as
    written); `written` is the raw text after `=`. `accepted` is False when
    the tools ignore the line (`problem` says why): an undefined symbol, a
    value of the wrong form for the type, `# ... is not set` for a non-bool.
    `line` is 1-based; `span` covers the whole assignment (UTF-8 bytes).
    """

    symbol: str
    value: str
    written: str
    path: str
    line: int
    span: tuple[int, int]
    is_not_set: bool
    accepted: bool
    problem: str | None = None


_GENERATED_MARKERS: Final = (
    b"# Automatically generated file; DO NOT EDIT.",
    b"# Automatically generated make config",
)


def is_generated_config(data: bytes) -> bool:
    """A full `.config` written by the tools (every symbol, probe results included), not a defconfig."""
    head = data[:400]
    return any(marker in head for marker in _GENERATED_MARKERS)


def read_assignments(table: SymbolTable, sources: Sequence[ConfigSource]) -> tuple[UserAssignment, ...]:
    """Every assignment of the files, in order, judged as kconfiglib's `load_config` judges it.

    Lines are scanned one by one through a memo of line texts, so that
    re-reading a file after an edit scans only the edited lines (a Debian
    `.config` has 11,000 lines; scanning them all costs ~70 ms).
    """
    result: list[UserAssignment] = []
    for source in sources:
        data = source.data
        if looks_binary(data):
            continue
        offset = 0
        for number, line in enumerate(data.split(b"\n"), 1):
            scanned = _scan_line(line)
            if scanned is not None:
                symbol_name, written, relative_span, is_not_set = scanned[0]
                symbol = table.get(symbol_name)
                value, problem = _judge(
                    symbol.type if symbol is not None else None, symbol is not None, scanned[1]
                )
                result.append(
                    UserAssignment(
                        symbol=symbol_name,
                        value=value,
                        written=written,
                        path=source.path,
                        line=number,
                        span=(offset + relative_span[0], offset + relative_span[1]),
                        is_not_set=is_not_set,
                        accepted=problem is None,
                        problem=problem,
                    )
                )
            offset += len(line) + 1
    return tuple(result)


_LINE_MEMO: dict[bytes, tuple[tuple[str, str, tuple[int, int], bool], ConfigAssignment] | None] = {}
_LINE_MEMO_LIMIT: Final = 500_000


def _scan_line(line: bytes) -> tuple[tuple[str, str, tuple[int, int], bool], ConfigAssignment] | None:
    """The assignment on one line (spans relative to the line), through the memo."""
    cached = _LINE_MEMO.get(line, _NOT_SCANNED)
    if cached is not _NOT_SCANNED:
        return cached  # type: ignore[return-value]
    scan = scan_config_file(line)
    result: tuple[tuple[str, str, tuple[int, int], bool], ConfigAssignment] | None = None
    if scan.assignments:
        assignment = scan.assignments[0]
        start = assignment.name_span[0] - (2 if assignment.is_not_set else 0)
        end = assignment.value_span[1] if assignment.value_span is not None else len(line.rstrip())
        result = ((assignment.symbol, assignment.value, (start, end), assignment.is_not_set), assignment)
    if len(_LINE_MEMO) >= _LINE_MEMO_LIMIT:
        _LINE_MEMO.clear()
    _LINE_MEMO[line] = result
    return result


_NOT_SCANNED: Final = object()


def _judge(type_name: str | None, defined: bool, assignment: ConfigAssignment) -> tuple[str, str | None]:
    written = assignment.value
    if not defined:
        return written, "undefined symbol"
    if assignment.is_not_set:
        if type_name in ("bool", "tristate"):
            return "n", None
        return "n", f"'is not set' is ignored for {type_name or 'typeless'} symbols"
    if type_name == "bool":
        if written[:1] in ("y", "n"):
            return written[0], None
        return written, "not a valid bool value (y or n)"
    if type_name == "tristate":
        if written[:1] in ("y", "m", "n"):
            return written[0], None
        return written, "not a valid tristate value (y, m or n)"
    if type_name == "string":
        match = _STRING_LITERAL.match(written)
        if match is None:
            return written, "malformed string literal"
        return _ESCAPE.sub(r"\1", match.group(1)), None
    if type_name == "int":
        if _is_number(written, 10):
            return written, None
        return written, "not a decimal number"
    if type_name == "hex":
        if _is_number(written, 16) and int(written, 16) >= 0:
            return written, None
        return written, "not a hexadecimal number"
    return written, "the symbol has no type"


def _is_number(text: str, base: int) -> bool:
    try:
        int(text, base)
    except ValueError:
        return False
    return True
