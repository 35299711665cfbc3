"""A scanner for the `CONFIG_` references of Kbuild files and Makefiles.

Kbuild decides what to build from Kconfig symbols, mostly through object
lists named after a symbol's value: `obj-$(CONFIG_MIGRATION) += migrate.o`
becomes `obj-y` or `obj-m` (built) or `obj-` (ignored). `scan_makefile` finds:

- every `CONFIG_` reference with its byte span and kind: in an object-list
  name (`obj-$(CONFIG_X)`, `foo-$(CONFIG_X)`, `obj-$(subst m,y,$(CONFIG_X))`),
  in a conditional (`ifdef CONFIG_X`, `ifndef`, `ifeq ($(CONFIG_X),y)`,
  `ifneq`, `else ifeq`), as a variable anywhere else (`$(CONFIG_X)`,
  `${CONFIG_X}`, `$(CONFIG_X:m=y)`), as a bare word, or in a comment;
- what each symbol builds: the words listed in the object lists its value
  names (`migrate.o`, `subdir/`, `board.dtb`, host programs), with spans,
  and the symbols of the enclosing conditionals;
- problems: `else`/`endif` without `ifdef`, unterminated conditionals.

Lines continued with a backslash are joined; `#` starts a comment except
when escaped or inside `$(...)` (GNU make 4.3 and later). Make variables that
merely start with `CONFIG_` are handled like C definitions: `CONFIG_SHELL :=
sh` (top-level Makefile) makes the name the file's own, so it does not count
in that file (and the workspace index drops it tree-wide), while
`CONFIG_PAGE_OFFSET ?= 0x80000000` (arch/sh/boot/Makefile) only supplies a
fallback for a Kconfig value and keeps counting. A name the build passes to
the compiler itself (`-DCONFIG_SPL_BUILD` in U-Boot's `scripts/Makefile.xpl`)
is reported in `build_defined`: it is not a Kconfig
symbol either. Recipe lines are scanned like any other line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final, NamedTuple

from kconfig_ls.syntax.config_reference import (
    DEFAULT_REFERENCE_SYNTAX,
    ConfigReference,
    ReferenceKind,
    ReferenceSyntax,
    Span,
    SyntaxProblem,
    counting_kinds,
    is_identifier_byte,
    looks_binary,
)

_ARGUMENT_KINDS: Final = frozenset({ReferenceKind.PHASE_ARGUMENT})

__all__ = [
    "BuiltObject",
    "MakeDefinition",
    "MakefileRows",
    "MakefileScan",
    "find_config_references",
    "index_makefile",
    "scan_makefile",
]


@dataclass(frozen=True, slots=True)
class BuiltObject:
    """A word in a list named after Kconfig symbols: `migrate.o` in `obj-$(CONFIG_MIGRATION) += migrate.o`.

    `list_symbols` are the symbols in the list's name; `guard_symbols` those
    tested by the enclosing `ifdef`/`ifeq` conditionals.
    """

    name: str
    span: Span
    line: int
    list_name: str
    list_symbols: tuple[str, ...]
    guard_symbols: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MakeDefinition:
    """An assignment to a `CONFIG_` variable; `fallback` for `?=`, which keeps Kconfig's value when set."""

    name: str
    span: Span
    line: int
    fallback: bool


@dataclass(frozen=True, slots=True)
class MakefileScan:
    references: tuple[ConfigReference, ...]
    objects: tuple[BuiltObject, ...]
    definitions: tuple[MakeDefinition, ...]
    problems: tuple[SyntaxProblem, ...]
    build_defined: tuple[str, ...] = ()
    """Symbol names the build defines on the command line (`-DCONFIG_SPL_BUILD` gives `SPL_BUILD`)."""

    def objects_by_symbol(self) -> dict[str, list[tuple[str, Span]]]:
        """For each symbol, the objects and directories its value puts in a list, with spans."""
        result: dict[str, list[tuple[str, Span]]] = {}
        for built in self.objects:
            for symbol in dict.fromkeys(built.list_symbols):
                result.setdefault(symbol, []).append((built.name, built.span))
        return result


def find_config_references(data: bytes) -> tuple[ConfigReference, ...]:
    """The `CONFIG_` references of a Makefile, for the workspace index."""
    if data.find(b"CONFIG_") < 0:
        return ()
    return scan_makefile(data).references


def scan_makefile(data: bytes, *, syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX) -> MakefileScan:
    """Scan one Kbuild file or Makefile; never raises on malformed input.

    `syntax` gives the prefix (Buildroot's `.mk` files use `$(BR2_X)`) and the
    phase variables of U-Boot's `obj-$(CONFIG_$(PHASE_)X)`, which name X (or
    its `SPL_`/`TPL_`/`VPL_` variant) with a `phase_argument` reference on X.
    """
    if looks_binary(data):
        return MakefileScan((), (), (), (SyntaxProblem((0, 0), 0, "binary file, not scanned as a Makefile"),))
    scanner = _MakefileScanner(data, syntax)
    return scanner.scan()


ReferenceRow = tuple[str, int, int, int, str, bool]
"""symbol, start, end, line, kind (a `ReferenceKind` value), module suffix: a reference that counts."""
ObjectRow = tuple[str, str, int, int, int]
"""symbol, object, start, end, line: one word of a list named after the symbol."""


class MakefileRows(NamedTuple):
    """A Makefile as the code index keeps it: `scan_makefile`'s results as plain rows."""

    references: list[ReferenceRow]
    """The references that count, in file order."""
    objects: list[ObjectRow]
    """Per built word, one row per distinct symbol of its list's name."""
    problems: list[tuple[int, int, int, str]]
    definitions: list[str]
    """The `CONFIG_` variables the file assigns (not with `?=`), as spelled."""
    build_defined: list[str]
    """Symbols the build defines on the command line (`-DCONFIG_SPL_BUILD`), in file order."""


def index_makefile(data: bytes, *, syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX) -> MakefileRows:
    """What the code index keeps of `scan_makefile(data, syntax=syntax)`, without building its
    records (a `ConfigReference` per occurrence and a `BuiltObject` per word): the same scan and
    policy, as rows. A test compares the two."""
    if looks_binary(data):
        return MakefileRows([], [], [(0, 0, 0, "binary file, not scanned as a Makefile")], [], [])
    return _MakefileScanner(data, syntax).index_rows()


# --- implementation ------------------------------------------------------------------

_CONDITIONAL: Final = re.compile(rb"[ \t]*(?:(else)[ \t]+)?(ifdef|ifndef|ifeq|ifneq)(?![A-Za-z0-9_.-])")
_ELSE_OR_ENDIF: Final = re.compile(rb"[ \t]*(else|endif)(?![A-Za-z0-9_.-])")
_DEFINE: Final = re.compile(rb"[ \t]*(?:(?:export|override)[ \t]+)*define(?![A-Za-z0-9_.-])")
_ENDEF: Final = re.compile(rb"[ \t]*endef(?![A-Za-z0-9_.-])")
_ASSIGNMENT_PREFIX: Final = re.compile(rb"[ \t]*(?:(?:export|override|private)[ \t]+)*")
_WORD: Final = re.compile(rb"[^ \t]+")


class _LogicalLine(NamedTuple):
    """One logical line (continuations joined); a named tuple, made for every line of every Makefile."""

    start: int
    end: int
    line: int
    text: bytes
    """`data[start:end]` with each backslash-newline blanked to spaces, so offsets still match."""


class _MakefileScanner:
    def __init__(self, data: bytes, syntax: ReferenceSyntax) -> None:
        self.data = data
        self.syntax = syntax
        self.prefix = syntax.prefix.encode("utf-8")
        self.identifier = re.compile(re.escape(self.prefix) + rb"[A-Za-z0-9_]*")
        # `obj-$(CONFIG_X) += a.o b.o`, nine in ten of Linux's lines with the prefix (see
        # `_switched_list`): the one name in `$(...)` in its left side, no `$` or `#` after it.
        self.switched_list = re.compile(
            rb"[ \t]*([A-Za-z0-9_.-]*-\$\((" + re.escape(self.prefix) + rb"[A-Za-z0-9_]+)\))[ \t]*"
            rb"([+?!]?=|:{1,3}=)[^$#]*"
        )
        self.phase = (
            re.compile(
                rb"\$[({](?:"
                + b"|".join(re.escape(v.encode()) for v in syntax.make_phase_variables)
                + rb")[)}]([A-Za-z0-9_]+)"
            )
            if syntax.make_phase_variables
            else None
        )
        self.references: list[ConfigReference] = []
        # `BuiltObject` fields as tuples: the index keeps rows, `scan()` makes the records.
        self.objects: list[tuple[str, Span, int, str, tuple[str, ...], tuple[str, ...]]] = []
        self.definitions: list[MakeDefinition] = []
        self.problems: list[SyntaxProblem] = []
        # Open conditionals: (start span, line, symbols tested).
        self.conditionals: list[tuple[Span, int, list[str]]] = []

    def scan(self) -> MakefileScan:
        pending = self._scan_lines()
        owned = {definition.name for definition in self.definitions if not definition.fallback}
        references: list[ConfigReference] = []
        prefix_length = 0 if self.syntax.prefix_in_symbol else len(self.prefix)
        for occurrence in self._classified(pending, owned):
            name, start, line, kind, symbol, module_suffix, counts, locally_defined, argument = occurrence
            references.append(
                ConfigReference(
                    symbol=symbol,
                    span=(start, start + len(name)),
                    line=line,
                    kind=kind,
                    counts=counts,
                    module_suffix=module_suffix,
                    locally_defined=locally_defined,
                    prefix_length=0 if argument else prefix_length,
                )
            )
        self.problems.sort(key=lambda problem: problem.span)
        build_defined = tuple(
            dict.fromkeys(
                reference.symbol
                for reference in references
                if reference.kind == ReferenceKind.MAKE_BUILD_DEFINE
            )
        )
        return MakefileScan(
            tuple(references),
            tuple(BuiltObject(*built) for built in self.objects),
            tuple(self.definitions),
            tuple(self.problems),
            build_defined,
        )

    def index_rows(self) -> MakefileRows:
        """What the code index keeps of `scan()`, as rows, without the records (see `index_makefile`)."""
        pending = self._scan_lines()
        owned = {definition.name for definition in self.definitions if not definition.fallback}
        references: list[ReferenceRow] = []
        build_defined: dict[str, None] = {}
        build_define = ReferenceKind.MAKE_BUILD_DEFINE
        for name, start, line, kind, symbol, module_suffix, counts, _, _ in self._classified(pending, owned):
            if kind is build_define:
                build_defined[symbol] = None
            if counts:
                references.append((symbol, start, start + len(name), line, kind.value, module_suffix))
        objects: list[ObjectRow] = []
        for name, span, line, _, list_symbols, _ in self.objects:
            for symbol in dict.fromkeys(list_symbols):
                objects.append((symbol, name, span[0], span[1], line))
        self.problems.sort(key=lambda problem: problem.span)
        problems = [(p.span[0], p.span[1], p.line, p.message) for p in self.problems]
        definitions = [definition.name for definition in self.definitions if not definition.fallback]
        return MakefileRows(references, objects, problems, definitions, list(build_defined))

    def _classified(
        self, pending: list[tuple[str, int, int, ReferenceKind]], owned: set[str]
    ) -> Iterator[tuple[str, int, int, ReferenceKind, str, bool, bool, bool, bool]]:
        """Each occurrence with (name, start, line, kind) and its symbol, module suffix, whether it
        counts, whether the file defines it, whether it is a bare argument: the one policy."""
        counting = counting_kinds()
        symbol_of = self.syntax.symbol_of
        make_assignment = ReferenceKind.MAKE_ASSIGNMENT
        for name, start, line, kind in pending:
            argument = kind in _ARGUMENT_KINDS
            symbol, module_suffix = (name, False) if argument else symbol_of(name)
            locally_defined = name in owned
            counts = kind in counting and not locally_defined and bool(symbol)
            if kind == make_assignment and not locally_defined:
                counts = bool(symbol)
            yield name, start, line, kind, symbol, module_suffix, counts, locally_defined, argument

    def _scan_lines(self) -> list[tuple[str, int, int, ReferenceKind]]:
        """Scan every line that matters; the occurrences (name, start, line, kind) in file order.

        Objects, definitions and problems are collected on the scanner as it goes.
        """
        # Open `define` blocks: where each starts.
        defines: list[tuple[Span, int]] = []
        pending: list[tuple[str, int, int, ReferenceKind]] = []
        for logical in _lines_that_matter(self.data, self.prefix):
            text = logical.text
            code_end = _comment_start(text)
            if code_end < len(text):
                self._collect(logical, code_end, len(text), ReferenceKind.COMMENT, pending)
            code = text[:code_end]
            if defines:
                if _ENDEF.match(code):
                    defines.pop()
                elif _DEFINE.match(code):
                    defines.append(((logical.start, logical.end), logical.line))
                else:
                    self._collect(logical, 0, code_end, None, pending)
                continue
            if _DEFINE.match(code):
                defines.append(((logical.start, logical.end), logical.line))
                self._collect(logical, 0, code_end, None, pending)
                continue
            if self._conditional(logical, code, pending):
                continue
            # Without the prefix an assignment or other line records nothing (its
            # list has no symbol); most lines of a Makefile are such lines.
            if self.prefix in code:
                self._assignment_or_other(logical, code, pending)
        for span, line, _ in self.conditionals:
            self.problems.append(SyntaxProblem(span, line, "conditional without endif"))
        for span, line in defines:
            self.problems.append(SyntaxProblem(span, line, "define without endef"))
        # A line's comment is collected before its code; report in file order.
        pending.sort(key=lambda item: item[1])
        return pending

    def _symbol(self, name: str, kind: ReferenceKind) -> str:
        return name if kind in _ARGUMENT_KINDS else self.syntax.symbol_of(name)[0]

    def _line_in(self, logical: _LogicalLine, position: int) -> int:
        """The 0-based line of `position` (relative to the logical line) in a continued line."""
        return logical.line + self.data.count(b"\n", logical.start, logical.start + position)

    def _conditional(
        self, logical: _LogicalLine, code: bytes, pending: list[tuple[str, int, int, ReferenceKind]]
    ) -> bool:
        match = _CONDITIONAL.match(code)
        if match is not None:
            before = len(pending)
            self._collect(logical, match.end(), len(code), ReferenceKind.MAKE_CONDITIONAL, pending)
            symbols = [self._symbol(name, kind) for name, _, _, kind in pending[before:]]
            span = (logical.start + match.start(2), logical.end)
            if match.group(1):  # else ifeq ...
                if not self.conditionals:
                    self.problems.append(SyntaxProblem(span, logical.line, "else without a conditional"))
                else:
                    self.conditionals[-1][2].extend(symbols)
            else:
                self.conditionals.append((span, logical.line, symbols))
            return True
        match = _ELSE_OR_ENDIF.match(code)
        if match is None:
            return False
        keyword = match.group(1)
        span = (logical.start + match.start(1), logical.start + match.end(1))
        if not self.conditionals:
            self.problems.append(
                SyntaxProblem(span, logical.line, f"{keyword.decode()} without a conditional")
            )
        elif keyword == b"endif":
            self.conditionals.pop()
        # Text after `else`/`endif` is an error to make, but may name symbols.
        self._collect(logical, match.end(), len(code), ReferenceKind.MAKE_CONDITIONAL, pending)
        return True

    def _assignment_or_other(
        self, logical: _LogicalLine, code: bytes, pending: list[tuple[str, int, int, ReferenceKind]]
    ) -> None:
        simple = self.switched_list.fullmatch(code)
        if (
            simple is not None
            and code.find(self.prefix) == simple.start(2)
            and code.find(self.prefix, simple.end(2)) < 0
        ):
            self._switched_list(logical, code, simple, pending)
            return
        assignment = _split_assignment(code)
        if assignment is None:
            self._collect(logical, 0, len(code), None, pending)
            return
        left_start, left_end, operator_start, operator_end = assignment
        left = code[left_start:left_end]
        operator = code[operator_start:operator_end]
        bare = self.identifier.fullmatch(left)
        if bare is not None:
            name = left.decode("ascii")
            start = logical.start + left_start
            pending.append((name, start, self._line_in(logical, left_start), ReferenceKind.MAKE_ASSIGNMENT))
            self.definitions.append(
                MakeDefinition(name, (start, start + len(name)), logical.line, operator == b"?=")
            )
            self._collect(logical, operator_end, len(code), None, pending)
            return
        before = len(pending)
        self._collect(logical, left_start, left_end, ReferenceKind.MAKE_SWITCHED_LIST, pending)
        list_symbols = tuple(self._symbol(name, kind) for name, _, _, kind in pending[before:])
        self._collect(logical, operator_end, len(code), None, pending)
        if not list_symbols:
            return
        guard_symbols = tuple(symbol for _, _, symbols in self.conditionals for symbol in symbols)
        list_name = left.decode("utf-8", errors="replace")
        for word_start, word_end in _top_level_words(code, operator_end):
            word = code[word_start:word_end]
            if word.startswith(b"-") or b"$" in word or b"=" in word:
                continue
            start = logical.start + word_start
            self.objects.append(
                (
                    word.decode("utf-8", errors="replace"),
                    (start, start + len(word)),
                    self._line_in(logical, word_start),
                    list_name,
                    list_symbols,
                    guard_symbols,
                )
            )

    def _switched_list(
        self,
        logical: _LogicalLine,
        code: bytes,
        simple: re.Match[bytes],
        pending: list[tuple[str, int, int, ReferenceKind]],
    ) -> None:
        """`_assignment_or_other` of a line `switched_list` matched, with the prefix only in its name.

        What the general path does for such a line, without its byte-by-byte split and searches:
        `_split_assignment` gives the left side `group(1)` (no `:`, `=`, `$`, brace or parenthesis
        outside the one `$(...)`) and the operator `group(3)`; `_collect` finds the name only (its
        `$(` before it: no `-D`, a switched-list kind); the right side holds neither `$` nor `#`,
        so the comment starts nowhere and its words are the plain runs (`_top_level_words`)."""
        name_start = simple.start(2)
        name = simple.group(2).decode("ascii")
        pending.append(
            (
                name,
                logical.start + name_start,
                self._line_in(logical, name_start),
                ReferenceKind.MAKE_SWITCHED_LIST,
            )
        )
        list_symbols = (self.syntax.symbol_of(name)[0],)
        guard_symbols = tuple(symbol for _, _, symbols in self.conditionals for symbol in symbols)
        list_name = simple.group(1).decode("utf-8", errors="replace")
        for match in _PLAIN_WORD.finditer(code, simple.end(3)):
            word = match.group()
            if word.startswith(b"-") or b"=" in word:
                continue
            word_start = match.start()
            start = logical.start + word_start
            self.objects.append(
                (
                    word.decode("utf-8", errors="replace"),
                    (start, start + len(word)),
                    self._line_in(logical, word_start),
                    list_name,
                    list_symbols,
                    guard_symbols,
                )
            )

    def _collect(
        self,
        logical: _LogicalLine,
        start: int,
        end: int,
        kind: ReferenceKind | None,
        pending: list[tuple[str, int, int, ReferenceKind]],
    ) -> None:
        """Record the `CONFIG_` identifiers in `logical.text[start:end]`.

        With `kind` None, the kind comes from the spelling: `$(CONFIG_X)` is a
        variable, a bare `CONFIG_X` a word.
        """
        text = logical.text
        if text.find(self.prefix, start, end) < 0:
            return
        for match in self.identifier.finditer(text, start, end):
            position = match.start()
            compiler_define = text[position - 2 : position] == b"-D" if position >= 2 else False
            if position and is_identifier_byte(text[position - 1]) and not compiler_define:
                continue
            name = match.group().decode("ascii")
            if len(name) == len(self.prefix):
                # `CONFIG_$(PHASE_)X` (U-Boot): the name X, or its phase variant.
                phase = self.phase.match(text, match.end(), end) if self.phase is not None else None
                if phase is not None:
                    line = self._line_in(logical, phase.start(1))
                    pending.append(
                        (
                            phase.group(1).decode("ascii"),
                            logical.start + phase.start(1),
                            line,
                            ReferenceKind.PHASE_ARGUMENT,
                        )
                    )
                continue
            reference_kind = kind
            if kind is None and compiler_define:
                reference_kind = ReferenceKind.MAKE_BUILD_DEFINE
            elif reference_kind is None:
                is_variable = position >= 2 and text[position - 2 : position] in (b"$(", b"${")
                reference_kind = ReferenceKind.MAKE_VARIABLE if is_variable else ReferenceKind.MAKE_WORD
            line = self._line_in(logical, position)
            pending.append((name, logical.start + position, line, reference_kind))


def _logical_lines(data: bytes) -> Iterator[_LogicalLine]:
    length = len(data)
    position = 0
    line = 0
    while position < length:
        end = data.find(b"\n", position)
        if end < 0:
            end = length
        # Extend over backslash continuations (an even number of backslashes
        # escapes itself, but that is rare enough in Makefiles to ignore).
        while end < length and _ends_with_backslash(data, position, end):
            next_end = data.find(b"\n", end + 1)
            end = length if next_end < 0 else next_end
        text = data[position:end]
        if b"\\\n" in text or b"\\\r\n" in text:
            text = text.replace(b"\\\r\n", b"   ").replace(b"\\\n", b"  ")
        if text.endswith(b"\r"):
            text = text[:-1]
        yield _LogicalLine(position, position + len(text), line, text)
        line += data.count(b"\n", position, end) + 1
        position = end + 1


# Where a logical line can do something: it holds the prefix, or its first word may be a
# conditional, `define`, `endef`, `export define` or `override define` (they all start with
# one of these letters). Every other line neither records a reference nor changes the state.
_LINE_MAY_MATTER: Final = re.compile(rb"^[ \t]*[eido]", re.MULTILINE)


def _lines_that_matter(data: bytes, prefix: bytes) -> Iterator[_LogicalLine]:
    """The logical lines of `_logical_lines` that can record or change anything, in order.

    Most lines of a Makefile are plain assignments and rules without the prefix: for them the
    scanner does nothing but count them. The lines that may matter are found at C speed (a
    search for the prefix and one for a line's first letter), and each is cut out exactly as
    `_logical_lines` would: its start is the first physical line, walking back, that does not
    follow a line ending with a backslash, and lines are counted only between them.
    """
    starts = [match.start() for match in _LINE_MAY_MATTER.finditer(data)]
    if prefix:
        position = data.find(prefix)
        while position >= 0:
            starts.append(position)
            position = data.find(prefix, position + len(prefix))
        starts.sort()
    length = len(data)
    done = 0  # every logical line starts at or after this offset (just after the last one yielded)
    counted_to = 0
    counted_lines = 0
    for candidate in starts:
        if candidate < done:
            continue
        position = data.rfind(b"\n", done, candidate) + 1 or done
        while position > done:
            previous = data.rfind(b"\n", done, position - 1) + 1 or done
            if not _ends_with_backslash(data, previous, position - 1):
                break
            position = previous
        end = data.find(b"\n", position)
        if end < 0:
            end = length
        while end < length and _ends_with_backslash(data, position, end):
            next_end = data.find(b"\n", end + 1)
            end = length if next_end < 0 else next_end
        text = data[position:end]
        if b"\\\n" in text or b"\\\r\n" in text:
            text = text.replace(b"\\\r\n", b"   ").replace(b"\\\n", b"  ")
        if text.endswith(b"\r"):
            text = text[:-1]
        counted_lines += data.count(b"\n", counted_to, position)
        counted_to = position
        yield _LogicalLine(position, position + len(text), counted_lines, text)
        done = end + 1


def _ends_with_backslash(data: bytes, start: int, end: int) -> bool:
    index = end - 1
    if index >= start and data[index] == 0x0D:
        index -= 1
    return index >= start and data[index] == 0x5C


def _comment_start(text: bytes) -> int:
    """Where the comment starts: the first `#` outside `$(...)` and not escaped, or the end."""
    index = text.find(b"#")
    if index < 0:
        return len(text)
    # Only `$(`, `${` and backslashes before the first `#` can hide it: without them it starts
    # the comment (most comment lines).
    if text.find(b"$", 0, index) < 0 and text.find(b"\\", 0, index) < 0:
        return index
    depth = 0
    position = 0
    length = len(text)
    while position < length:
        character = text[position]
        if character == 0x5C:  # backslash escapes the next character
            position += 2
            continue
        if character == 0x24 and position + 1 < length and text[position + 1] in b"({":  # $( or ${
            depth += 1
            position += 2
            continue
        if character in b"({" and depth:
            depth += 1
        elif character in b")}" and depth:
            depth -= 1
        elif character == 0x23 and depth == 0:  # '#'
            return position
        position += 1
    return length


# The bytes `_split_assignment` decides on; the others are skipped in one search.
_ASSIGNMENT_SPECIAL: Final = re.compile(rb"[$(){}=:]")


def _split_assignment(code: bytes) -> tuple[int, int, int, int] | None:
    """`(left start, left end, operator start, operator end)` if `code` is a variable assignment.

    The operator is the first `=` outside `$(...)`, with its `:`, `::`,
    `:::`, `+`, `?` or `!` prefix; a `:` before it outside `$(...)` makes the
    line a rule instead.
    """
    if b"=" not in code:
        return None
    prefix = _ASSIGNMENT_PREFIX.match(code)
    left_start = prefix.end() if prefix is not None else 0
    depth = 0
    position = left_start
    length = len(code)
    search = _ASSIGNMENT_SPECIAL.search
    while position < length:
        special = search(code, position)
        if special is None:
            return None
        position = special.start()
        character = code[position]
        if character == 0x24 and position + 1 < length and code[position + 1] in b"({":
            depth += 1
            position += 2
            continue
        if character in b"({" and depth:
            depth += 1
        elif character in b")}" and depth:
            depth -= 1
        elif depth == 0 and character == 0x3D:  # '='
            operator_start = position
            while operator_start > left_start and code[operator_start - 1] == 0x3A:  # ':'
                operator_start -= 1
            if (
                operator_start == position
                and operator_start > left_start
                and code[operator_start - 1] in b"+?!"
            ):
                operator_start -= 1
            left_end = operator_start
            while left_end > left_start and code[left_end - 1] in b" \t":
                left_end -= 1
            if left_end == left_start:
                return None
            return left_start, left_end, operator_start, position + 1
        elif depth == 0 and character == 0x3A and not code.startswith(b"=", position + 1):
            # `target: prerequisites` (or `::`, `:::` before `=`, handled above).
            following = position + 1
            while following < length and code[following] == 0x3A:
                following += 1
            if following < length and code[following] == 0x3D:
                position = following
                continue
            return None
        position += 1
    return None


_PLAIN_WORD: Final = re.compile(rb"[^ \t\n\r]+")


def _top_level_words(code: bytes, start: int) -> Iterator[tuple[int, int]]:
    """The white-space separated words of `code[start:]`, keeping `$(...)` groups whole."""
    if code.find(b"$", start) < 0:
        # Without `$(` no group can hold white space: the words are the runs of other bytes.
        for match in _PLAIN_WORD.finditer(code, start):
            yield match.span()
        return
    position = start
    length = len(code)
    while position < length:
        while position < length and code[position] in b" \t\n\r":
            position += 1
        if position >= length:
            return
        word_start = position
        depth = 0
        while position < length:
            character = code[position]
            if character == 0x24 and position + 1 < length and code[position + 1] in b"({":
                depth += 1
                position += 2
                continue
            if character in b"({" and depth:
                depth += 1
            elif character in b")}" and depth:
                depth -= 1
            elif depth == 0 and character in b" \t\n\r":
                break
            position += 1
        yield word_start, position
