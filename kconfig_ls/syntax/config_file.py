"""A scanner for configuration files: `.config`, `*_defconfig`, `defconfig`, Zephyr `prj.conf` and `*.conf`.

These files hold one assignment a line, in the form the Kconfig tools write
and read (Linux `scripts/kconfig/confdata.c`, kconfiglib's `load_config`):

    CONFIG_MIGRATION=y
    CONFIG_NR_CPUS=64
    CONFIG_PHYSICAL_START=0x1000000
    CONFIG_CMDLINE="console=ttyS0 root=\\"/dev/sda\\""
    # CONFIG_NUMA_BALANCING is not set

Trailing white space is ignored; other lines starting with `#` are comments.
`scan_config_file` keeps every assignment with the spans of the name and of
the raw value (so that rules can judge `CONFIG_X=n` or `CONFIG_X=yes`
later; the scanner only classifies the value's shape) and reports lines the
tools would ignore as malformed: text that is not an assignment, white space
around `=`, a name with characters Kconfig does not allow, an unterminated
string. The tools read the value of a bool or tristate from its first
character only, so `CONFIG_X=y # comment` is an accepted `y` to them; its
shape is recorded as `other` for rules to flag.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Final

from kconfig_ls.syntax.config_reference import (
    CONFIG_PREFIX,
    ConfigReference,
    ReferenceKind,
    Span,
    SyntaxProblem,
    looks_binary,
)

__all__ = [
    "ConfigAssignment",
    "ConfigFileScan",
    "RenameFileScan",
    "Renaming",
    "find_config_references",
    "index_config_file",
    "scan_config_file",
    "scan_rename_file",
]


@dataclass(frozen=True, slots=True)
class ConfigAssignment:
    """One `CONFIG_X=value` or `# CONFIG_X is not set` line.

    `name_span` covers `CONFIG_X`; `value` is the raw text after `=` (`n` for
    "is not set", with `value_span` None). `value_kind` is `tristate` (`y`,
    `m`, `n`), `decimal`, `hex`, `string`, `empty` or `other`;
    `string_value` is the unescaped text of a string.
    """

    symbol: str
    name_span: Span
    value: str
    value_span: Span | None
    line: int
    is_not_set: bool
    value_kind: str
    string_value: str | None = None

    @property
    def symbol_span(self) -> Span:
        start = self.name_span[1] - len(self.symbol)
        return (start, self.name_span[1])


@dataclass(frozen=True, slots=True)
class ConfigFileScan:
    assignments: tuple[ConfigAssignment, ...]
    problems: tuple[SyntaxProblem, ...]

    @property
    def references(self) -> tuple[ConfigReference, ...]:
        """The assignments as `ConfigReference`s, for the workspace index."""
        return tuple(
            ConfigReference(
                symbol=assignment.symbol,
                span=assignment.name_span,
                line=assignment.line,
                kind=ReferenceKind.CONFIG_NOT_SET
                if assignment.is_not_set
                else ReferenceKind.CONFIG_ASSIGNMENT,
                counts=True,
            )
            for assignment in self.assignments
        )


def find_config_references(data: bytes, *, prefix: str = CONFIG_PREFIX) -> tuple[ConfigReference, ...]:
    """The assignments of a configuration file as references, for the workspace index."""
    if data.find(prefix.encode("ascii")) < 0:
        return ()
    return scan_config_file(data, prefix=prefix).references


def scan_config_file(
    data: bytes, *, prefix: str = CONFIG_PREFIX, prefix_in_symbol: bool = False
) -> ConfigFileScan:
    """Scan a configuration file; never raises on malformed input.

    `prefix` is the symbol prefix the tools were configured with (kconfiglib
    and Zephyr take it from `$CONFIG_`; it is `CONFIG_` almost everywhere).
    With `prefix_in_symbol` the prefix is part of the symbol names (Buildroot's
    `BR2_ARM=y` assigns the symbol `BR2_ARM`).
    """
    if looks_binary(data):
        return ConfigFileScan(
            (), (SyntaxProblem((0, 0), 0, "binary file, not scanned as a configuration file"),)
        )
    encoded_prefix = prefix.encode("utf-8")
    assignments: list[ConfigAssignment] = []
    problems: list[SyntaxProblem] = []
    position = 0
    length = len(data)
    line = 0
    while position < length:
        newline = data.find(b"\n", position)
        end = length if newline < 0 else newline
        text_end = end
        while text_end > position and data[text_end - 1] in b" \t\r\f\v":
            text_end -= 1
        _scan_line(data, position, text_end, line, encoded_prefix, assignments, problems)
        line += 1
        position = end + 1
    if prefix_in_symbol:
        assignments = [
            dataclasses.replace(assignment, symbol=prefix + assignment.symbol) for assignment in assignments
        ]
    return ConfigFileScan(tuple(assignments), tuple(problems))


ConfigRow = tuple[str, int, int, int, bool]
"""symbol, name start, name end, line, is "not set": an assignment as the code index keeps it."""
ProblemRow = tuple[int, int, int, str]
"""start, end, line, message."""


def index_config_file(
    data: bytes, *, prefix: str = CONFIG_PREFIX, prefix_in_symbol: bool = False
) -> tuple[list[ConfigRow], list[ProblemRow]]:
    """What the code index keeps of `scan_config_file(data, ...)`, as rows, without its records.

    The index keeps each assignment's symbol, name span, line and whether it is a "not set"
    line, and the problems; it never reads the values, so they are not classified (only a
    string's end is looked for: an unterminated one is a problem). A test compares the two
    on real trees' files.
    """
    if looks_binary(data):
        return [], [(0, 0, 0, "binary file, not scanned as a configuration file")]
    encoded = prefix.encode("utf-8")
    symbol_prefix = prefix if prefix_in_symbol else ""
    rows: list[ConfigRow] = []
    problems: list[ProblemRow] = []
    # Most lines are `CONFIG_X=value` (not a string) or `# CONFIG_X is not set`: found at C
    # speed (`_plain_lines`), each a row at once; the lines between them go line by line.
    position = 0
    line = 0
    count = data.count
    find = data.find
    length = len(data)
    if not encoded or encoded.startswith(b"#"):  # then the line by line reading decides otherwise
        _index_config_lines(data, 0, length, 0, encoded, symbol_prefix, rows, problems)
        return rows, problems
    for match in _plain_lines(encoded).finditer(data):
        start = match.start()
        if start > position:
            _index_config_lines(data, position, start, line, encoded, symbol_prefix, rows, problems)
            line += count(b"\n", position, start)
        assigned = match.group(1)
        if assigned is not None:
            rows.append((symbol_prefix + assigned.decode("ascii"), start, match.end(1), line, False))
        else:
            rows.append((symbol_prefix + match.group(2).decode("ascii"), start + 2, match.end(2), line, True))
        newline = find(b"\n", match.end())
        if newline < 0:
            return rows, problems
        position = newline + 1
        line += 1
    _index_config_lines(data, position, length, line, encoded, symbol_prefix, rows, problems)
    return rows, problems


_PLAIN_LINES: Final[dict[bytes, re.Pattern[bytes]]] = {}


def _plain_lines(prefix: bytes) -> re.Pattern[bytes]:
    """Lines `_index_config_lines` would make a row of and nothing else: the prefix at the line's
    start, a name and `=` not followed by `"` (a string's end is checked there); or `# `, the
    prefix, a name and ` is not set` with only trailing white space (`\\r` included) after it."""
    pattern = _PLAIN_LINES.get(prefix)
    if pattern is None:
        escaped = re.escape(prefix)
        pattern = _PLAIN_LINES[prefix] = re.compile(
            rb"^(?:"
            + escaped
            + rb"([A-Za-z0-9_]+)=(?!\")|# "
            + escaped
            + rb"([A-Za-z0-9_]+) is not set[ \t\r\f\v]*$)",
            re.MULTILINE,
        )
    return pattern


def _index_config_lines(
    data: bytes,
    position: int,
    stop: int,
    line: int,
    encoded: bytes,
    symbol_prefix: str,
    rows: list[ConfigRow],
    problems: list[ProblemRow],
) -> None:
    """`index_config_file` of the whole lines in `data[position:stop]`, the first numbered `line`."""
    prefix_length = len(encoded)
    marker = b"# " + encoded
    marker_length = len(marker)
    name_match = _NAME.match
    prefix = encoded.decode("utf-8")
    line -= 1
    while position < stop:
        line += 1
        newline = data.find(b"\n", position, stop)
        end = stop if newline < 0 else newline
        start = position
        position = end + 1
        while end > start and data[end - 1] in b" \t\r\f\v":
            end -= 1
        if end == start:
            continue
        if data.startswith(encoded, start, end):
            name_start = start + prefix_length
            name = name_match(data, name_start, end)
            name_end = name.end() if name is not None else name_start
            equals = data.find(b"=", name_start, end)
            if equals < 0:
                problems.append((start, end, line, "missing '=' in assignment"))
            elif name_end == name_start:
                problems.append((start, equals, line, "missing symbol name before '='"))
            elif name_end != equals:
                between = data[name_end:equals].strip()
                message = (
                    "white space before '='; the tools read it as part of the name"
                    if not between
                    else f"invalid character in symbol name: {between[:1].decode('utf-8', 'replace')!r}"
                )
                problems.append((name_end, equals, line, message))
            else:
                if data[equals + 1 : equals + 2] == b'"' and _STRING.match(data, equals + 1, end) is None:
                    problems.append((equals + 1, end, line, "unterminated string"))
                symbol = data[name_start:name_end].decode("ascii")
                rows.append((symbol_prefix + symbol, start, name_end, line, False))
        elif data[start] == 0x23:  # '#': a comment, or `# CONFIG_X is not set` written exactly so
            if data.startswith(marker, start, end):
                name = name_match(data, start + marker_length, end)
                if name is not None and data[name.end() : end] == b" is not set":
                    symbol = symbol_prefix + name.group().decode("ascii")
                    rows.append((symbol, start + 2, name.end(), line, True))
        else:
            stripped = data[start:end].lstrip()
            if stripped.startswith(encoded) or stripped.startswith(b"#"):
                problems.append((start, end, line, "leading white space; the line is ignored"))
            elif stripped:
                problems.append((start, end, line, f"not an assignment; expected {prefix}NAME=value"))


@dataclass(frozen=True, slots=True)
class Renaming:
    """One line of ESP-IDF's `sdkconfig.rename`: `CONFIG_OLD CONFIG_NEW` or `CONFIG_OLD !CONFIG_NEW`."""

    old: str
    new: str
    inverted: bool
    old_span: Span
    new_span: Span
    line: int


@dataclass(frozen=True, slots=True)
class RenameFileScan:
    renamings: tuple[Renaming, ...]
    problems: tuple[SyntaxProblem, ...]


_RENAME_LINE: Final = re.compile(rb"[ \t]*([A-Za-z0-9_]+)[ \t]+(!?)[ \t]*([A-Za-z0-9_]+)[ \t]*\r?\Z")


def scan_rename_file(data: bytes, *, prefix: str = CONFIG_PREFIX) -> RenameFileScan:
    """Scan an `sdkconfig.rename` file (esp-idf-kconfig's format); never raises.

    Each line maps a deprecated name to its replacement; `!` before the new
    name says the old option meant the opposite. `#` starts a comment line.
    Names are stored without the prefix, like every reference.
    """
    encoded = prefix.encode("utf-8")
    renamings: list[Renaming] = []
    problems: list[SyntaxProblem] = []
    position = 0
    line = 0
    length = len(data)
    while position < length:
        newline = data.find(b"\n", position)
        end = length if newline < 0 else newline
        text = data[position:end]
        stripped = text.strip()
        if stripped and not stripped.startswith(b"#"):
            match = _RENAME_LINE.match(text)
            if (
                match is None
                or not match.group(1).startswith(encoded)
                or not match.group(3).startswith(encoded)
            ):
                problems.append(
                    SyntaxProblem(
                        (position, end),
                        line,
                        f"expected '{prefix}OLD {prefix}NEW' or '{prefix}OLD !{prefix}NEW'",
                    )
                )
            else:
                renamings.append(
                    Renaming(
                        old=match.group(1)[len(encoded) :].decode("ascii"),
                        new=match.group(3)[len(encoded) :].decode("ascii"),
                        inverted=bool(match.group(2)),
                        old_span=(position + match.start(1), position + match.end(1)),
                        new_span=(position + match.start(3), position + match.end(3)),
                        line=line,
                    )
                )
        line += 1
        position = end + 1
    return RenameFileScan(tuple(renamings), tuple(problems))


_NAME: Final = re.compile(rb"[A-Za-z0-9_]+")
_DECIMAL: Final = re.compile(rb"-?[0-9]+")
_HEX: Final = re.compile(rb"0[xX][0-9a-fA-F]+")
_STRING: Final = re.compile(rb'"((?:[^"\\]|\\.)*)"')
_ESCAPE: Final = re.compile(r"\\(.)")


def _scan_line(
    data: bytes,
    start: int,
    end: int,
    line: int,
    prefix: bytes,
    assignments: list[ConfigAssignment],
    problems: list[SyntaxProblem],
) -> None:
    text = data[start:end]
    if not text:
        return
    if text.startswith(b"#"):
        _scan_comment(data, start, end, line, prefix, assignments)
        return
    if not text.startswith(prefix):
        stripped = text.lstrip()
        if stripped.startswith(prefix) or stripped.startswith(b"#"):
            problems.append(SyntaxProblem((start, end), line, "leading white space; the line is ignored"))
        elif stripped:
            problems.append(
                SyntaxProblem((start, end), line, f"not an assignment; expected {prefix.decode()}NAME=value")
            )
        return
    name_start = start + len(prefix)
    name = _NAME.match(data, name_start, end)
    name_end = name.end() if name is not None else name_start
    equals = data.find(b"=", name_start, end)
    if equals < 0:
        problems.append(SyntaxProblem((start, end), line, "missing '=' in assignment"))
        return
    if name_end == name_start:
        problems.append(SyntaxProblem((start, equals), line, "missing symbol name before '='"))
        return
    if name_end != equals:
        between = data[name_end:equals]
        message = (
            "white space before '='; the tools read it as part of the name"
            if not between.strip()
            else f"invalid character in symbol name: {between.strip()[:1].decode('utf-8', 'replace')!r}"
        )
        problems.append(SyntaxProblem((name_end, equals), line, message))
        return
    value_start = equals + 1
    value = data[value_start:end]
    value_kind, string_value = _classify_value(value)
    if value_kind == "string" and string_value is None:
        problems.append(SyntaxProblem((value_start, end), line, "unterminated string"))
    assignments.append(
        ConfigAssignment(
            symbol=data[name_start:name_end].decode("ascii"),
            name_span=(start, name_end),
            value=value.decode("utf-8", errors="replace"),
            value_span=(value_start, end),
            line=line,
            is_not_set=False,
            value_kind=value_kind,
            string_value=string_value,
        )
    )


def _scan_comment(
    data: bytes, start: int, end: int, line: int, prefix: bytes, assignments: list[ConfigAssignment]
) -> None:
    """`# CONFIG_X is not set`, written exactly so; other comments are ignored."""
    marker = b"# " + prefix
    if not data.startswith(marker, start):
        return
    name_start = start + 2
    symbol_start = start + len(marker)
    name = _NAME.match(data, symbol_start, end)
    if name is None or data[name.end() : end] != b" is not set":
        return
    assignments.append(
        ConfigAssignment(
            symbol=name.group().decode("ascii"),
            name_span=(name_start, name.end()),
            value="n",
            value_span=None,
            line=line,
            is_not_set=True,
            value_kind="tristate",
        )
    )


def _classify_value(value: bytes) -> tuple[str, str | None]:
    if not value:
        return "empty", None
    if value in (b"y", b"m", b"n"):
        return "tristate", None
    if _HEX.fullmatch(value):
        return "hex", None
    if _DECIMAL.fullmatch(value):
        return "decimal", None
    if value.startswith(b'"'):
        match = _STRING.match(value)
        if match is None:
            return "string", None
        if match.end() != len(value):
            # The tools take the string and ignore the rest; rules may flag it.
            return "other", None
        text = match.group(1).decode("utf-8", errors="replace")
        return "string", _ESCAPE.sub(r"\1", text)
    return "other", None
