"""A scanner for the Kconfig references of CMake files (`CMakeLists.txt`, `*.cmake`).

ESP-IDF and Zephyr build with CMake, and their build files test Kconfig
symbols as CMake variables: `if(CONFIG_BT_ENABLED)`, `${CONFIG_IDF_TARGET}`,
Zephyr's `zephyr_library_sources_ifdef(CONFIG_GPIO gpio.c)` and
`add_subdirectory_ifdef(CONFIG_X dir)`. A `CONFIG_` identifier counts
(kind `cmake`) where CMake reads it as a variable: inside `${...}` (also in
quoted arguments, which CMake expands), as a bare argument of `if`,
`elseif` and `while`, and as the first argument of Zephyr's `*_ifdef` and
`*_ifndef` commands. Elsewhere the same spelling is a property or keyword
name (ESP-IDF's `idf_build_get_property(dir CONFIG_DIR)`, the string
`"CONFIG_ONLY"`), not a symbol. Comments are `#` to the end of the line
outside quotes, and bracket comments `#[[ ... ]]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kconfig_ls.syntax.config_reference import (
    DEFAULT_REFERENCE_SYNTAX,
    ConfigReference,
    ReferenceKind,
    ReferenceSyntax,
    SyntaxProblem,
    is_identifier_byte,
    looks_binary,
)

__all__ = ["CMakeScan", "scan_cmake"]


@dataclass(frozen=True, slots=True)
class CMakeScan:
    references: tuple[ConfigReference, ...]
    problems: tuple[SyntaxProblem, ...]


# A comment, a quoted argument (escapes kept inside), or a candidate identifier.
_TOKEN: Final = re.compile(rb'#\[(=*)\[.*?\]\1\]|#[^\n]*|"(?:[^"\\]|\\.)*"?', re.DOTALL)


def scan_cmake(data: bytes, *, syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX) -> CMakeScan:
    """Scan one CMake file; never raises on malformed input."""
    if looks_binary(data):
        return CMakeScan((), (SyntaxProblem((0, 0), 0, "binary file, not scanned as CMake"),))
    prefix = syntax.prefix.encode("utf-8")
    if data.find(prefix) < 0:
        return CMakeScan((), ())
    identifier = re.compile(re.escape(prefix) + rb"[A-Za-z0-9_]+")
    # Comment spans, in order; identifiers inside them do not count.
    comments = [(m.start(), m.end()) for m in _TOKEN.finditer(data) if data[m.start()] == 0x23]
    references: list[ConfigReference] = []
    comment_index = 0
    line = 0
    line_position = 0
    for match in identifier.finditer(data):
        start = match.start()
        if start and is_identifier_byte(data[start - 1]):
            continue
        while comment_index < len(comments) and comments[comment_index][1] <= start:
            comment_index += 1
        if comment_index < len(comments) and comments[comment_index][0] <= start:
            continue
        if not _reads_variable(data, start):
            continue
        line += data.count(b"\n", line_position, start)
        line_position = start
        name = match.group().decode("ascii")
        symbol, module_suffix = syntax.symbol_of(name)
        references.append(
            ConfigReference(
                symbol=symbol,
                span=(start, match.end()),
                line=line,
                kind=ReferenceKind.CMAKE,
                counts=bool(symbol),
                module_suffix=module_suffix,
                prefix_length=0 if syntax.prefix_in_symbol else len(prefix),
            )
        )
    return CMakeScan(tuple(references), ())


_CONDITION_COMMANDS: Final = frozenset({b"if", b"elseif", b"while"})
_COMMAND_BEFORE: Final = re.compile(rb"([A-Za-z_][A-Za-z0-9_]*)[ \t]*\([^()]*\Z")


def _reads_variable(data: bytes, start: int) -> bool:
    """Whether CMake reads the identifier at `start` as a variable (see the module docstring)."""
    if data[max(0, start - 2) : start] == b"${":
        return True
    if start and data[start - 1] == 0x22:  # a quoted "CONFIG_X" is a string
        return False
    window = data[max(0, start - 512) : start]
    command = _COMMAND_BEFORE.search(window)
    if command is None:
        return False
    name = command.group(1).lower()
    if name in _CONDITION_COMMANDS:
        return True
    if name.endswith((b"_ifdef", b"_ifndef")):
        # Only the first argument is the switch: `zephyr_library_sources_ifdef(CONFIG_X a.c)`.
        arguments = window[command.end(1) :].lstrip(b" \t(")
        return not arguments.strip()
    return False
