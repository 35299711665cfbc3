"""The Kconfig parser proper: a line-at-a-time state machine over one file.

Kconfig is line-oriented: every statement and every attribute starts a line
with a keyword, and only help texts (`help_text.py`) span lines. A broken
line therefore yields one `SyntaxProblem` and is skipped, and the entries
before and after it are untouched. The parser never expands macros and never
looks at other files, so a parse is a pure function of one file's bytes.
"""

from __future__ import annotations

import logging
import re
from itertools import accumulate
from typing import Final

from kconfig_ls.syntax.expression import (
    Expression,
    ExpressionSyntaxError,
    Unknown,
    parse_expression_with_names,
    quoted_prefix,
)
from kconfig_ls.syntax.kconfig.columns import At, Segments, column_mapper, join_continuation, names_at
from kconfig_ls.syntax.kconfig.common_lines import new_span as _new_span
from kconfig_ls.syntax.kconfig.common_lines import parse_common_line
from kconfig_ls.syntax.kconfig.help_text import parse_help
from kconfig_ls.syntax.kconfig.lexical import (
    ATTRIBUTE_KEYWORDS,
    DEF_TYPE_KEYWORDS,
    ENTRY_KEYWORDS,
    KEYWORDS,
    SYMBOL_NAME,
    TYPE_KEYWORDS,
    closest_keyword,
    find_if,
    split_keyword,
    starts_with_word,
    string_end,
    strip_comment,
    unquote,
)
from kconfig_ls.syntax.kconfig.nodes import (
    Block,
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    Default,
    Dependency,
    IfBlock,
    KconfigFile,
    MacroAssignment,
    MainMenu,
    MenuEntry,
    NameSource,
    Node,
    Prompt,
    Range,
    ReverseDependency,
    SourceStatement,
    Span,
    SyntaxProblem,
    TypeDeclaration,
    occurrences,
)

_MACRO_ASSIGNMENT: Final = re.compile(r"([A-Za-z0-9_$().\-]+)\s*(:=|\+=|=)(.*)")
_MAX_NESTING: Final = 256
# The two bounds of `range LOW HIGH`: words, quoted strings or macro references.
_BOUND: Final = re.compile(r"\$\([^)]*\)[^\s]*|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\S+")


_LOG = logging.getLogger(__name__)
_BARE_TYPES: Final = frozenset({"bool", "tristate", "int", "hex", "string"})


def parse_kconfig(data: bytes, path: str = "") -> KconfigFile:
    """Parse one Kconfig file. Never raises: problems are returned as data.

    An unexpected exception (a bug: the fuzzing test looks for them) is
    contained: the file keeps what was parsed before it, plus an `internal`
    problem, so the rest of the tree is still analysed.
    """
    parser = KconfigParser(data, path)
    try:
        return parser.parse()
    except Exception as error:
        _LOG.exception("internal error while parsing %s", path)
        return parser.salvage(error)


class KconfigParser:
    """Line-at-a-time state machine.

    State: a stack of open blocks (`menu`, `if`, `choice`) whose children the
    new nodes join, and the entry whose attributes the next lines describe.
    """

    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        self.problems: list[SyntaxProblem] = []
        self.size = len(data)
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            self.offset_bias = 3
        else:
            self.offset_bias = 0
        try:
            self.text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            # Keep going with the undecodable bytes escaped: one bad byte in a
            # help text must not hide the file's symbols.
            self.text = data.decode("utf-8", "surrogateescape")
            self.problems.append(
                SyntaxProblem(
                    f"file is not valid UTF-8 (byte 0x{data[error.start]:02x}); invalid bytes are ignored",
                    Span(error.start, error.start + 1),
                    "warning",
                    "encoding",
                )
            )
        if "\x00" in self.text:
            self.problems.append(
                SyntaxProblem(
                    "file contains NUL bytes; is it a binary file?", Span(0, 0), "warning", "encoding"
                )
            )
        self.top: list[Node] = []
        self.help_lines: list[tuple[int, int]] = []
        self.stack: list[tuple[Block, list[Node]]] = []
        self.current: ConfigEntry | ChoiceEntry | MenuEntry | CommentEntry | None = None
        self.current_is_if = False
        # Whether the current line's columns map linearly to bytes (one ASCII line).
        self.linear = True

    # -- driving -----------------------------------------------------------------

    def parse(self) -> KconfigFile:
        self.split_lines()
        self.parse_lines(0)
        self._close_open_blocks()
        return self._result()

    def split_lines(self) -> None:
        """The file's lines (without their line endings) and the byte offset where each starts."""
        text = self.text
        lines = text.split("\n")
        if text.isascii():
            # Each line's length plus its newline, summed without a Python call per line.
            line_starts = list(accumulate(map((1).__add__, map(len, lines)), initial=self.offset_bias))
            line_starts.pop()
        else:
            line_starts = []
            offset = self.offset_bias
            for line in lines:
                line_starts.append(offset)
                offset += (len(line) if line.isascii() else len(line.encode("utf-8", "surrogateescape"))) + 1
        if "\r" in text:
            # Dropping a line's final CR moves no offset within the line.
            lines = [line[:-1] if line.endswith("\r") else line for line in lines]
        self.lines = lines
        self.line_starts = line_starts

    def parse_lines(self, index: int, stops: frozenset[int] = frozenset()) -> int:
        """Parse the lines from `index` on; returns the line it stopped at.

        It stops at the end of the file, or at the first of the `stops` that a
        statement starts on (a re-parse of one part of a file, `incremental.py`).
        """
        lines = self.lines
        count = len(lines)
        parse_line = self._parse_line
        while index < count:
            if index in stops:
                return index
            line = lines[index]
            stripped = line.strip()
            if not stripped or stripped[0] == "#":
                index += 1
                continue
            if "#" in line:
                line = strip_comment(line)
                stripped = line.strip()
            if line.endswith("\\"):
                line, last_index, segments = join_continuation(self.lines, self.line_starts, index)
                stripped = line.strip()
                if not stripped:
                    # Only `\\` and white space (or comments): nothing to parse.
                    index = last_index + 1
                    continue
                index = max(parse_line(index, line.rstrip(), stripped, segments), last_index + 1)
                continue
            index = parse_line(index, line, stripped)
        return count

    def _result(self) -> KconfigFile:
        return KconfigFile(
            path=self.path,
            nodes=self.top,
            problems=self.problems,
            line_starts=self.line_starts,
            uses_macros="$(" in self.text,
            size=self.size,
            help_lines=sorted(self.help_lines),
        )

    def salvage(self, error: Exception) -> KconfigFile:
        """What was parsed before an unexpected exception, and a problem saying so."""
        if not hasattr(self, "line_starts"):
            self.line_starts = [self.offset_bias]
        self.problems.append(
            SyntaxProblem(
                f"internal error while parsing this file ({type(error).__name__}); "
                "the rest of the file is ignored; please report it",
                Span(0, 0),
                "error",
                "internal",
            )
        )
        return self._result()

    def _parse_line(self, index: int, line: str, stripped: str, segments: Segments | None = None) -> int:
        """Handle the logical line at `index`; returns the next line index.

        `segments` is given for a `\\`-continued line (see `columns.join_continuation`).
        """
        if segments is None and line.isascii():
            if parse_common_line(self, index, line, stripped):
                return index + 1
            if stripped == "help":
                # 15% of Linux's statements: straight to the help reader, as below.
                start = self.line_starts[index] + len(line) - len(line.lstrip())
                self.linear = True
                return parse_help(self, index, line, _new_span(Span, (start, start + 4)))
            if stripped in _BARE_TYPES:
                entry = self.current
                if isinstance(entry, (ConfigEntry, ChoiceEntry)) and entry.type is None:
                    # A type without a prompt (`bool` alone), as `_parse_type` records it.
                    start = self.line_starts[index] + len(line) - len(line.lstrip())
                    entry.type = TypeDeclaration(stripped, _new_span(Span, (start, start + len(stripped))))
                    return index + 1
        indentation_length = len(line) - len(line.lstrip())
        parts = stripped.split(None, 1)
        keyword = parts[0]
        if keyword in KEYWORDS:
            rest = parts[1] if len(parts) > 1 else ""
        else:
            keyword, rest = split_keyword(stripped)
        if rest:
            after_keyword = indentation_length + len(keyword)
            rest_start = line.index(rest[0], after_keyword)
        else:
            rest_start = len(line)
        # Offsets within `line` are character offsets; `at` converts them.
        at: At
        self.linear = segments is None and line.isascii()
        if self.linear:
            line_start = self.line_starts[index]
            at = line_start.__add__
        else:
            at = column_mapper(line, segments or ((0, self.line_starts[index]),))
        line_span = _new_span(Span, (at(indentation_length), at(len(line.rstrip()))))

        if keyword in ATTRIBUTE_KEYWORDS:
            if keyword in ("help", "---help---"):
                # The help text starts after the last physical line of a continued `help`
                # (a lone `\` line before it, as the fuzzer wrote: `\`, then `help`).
                last_physical = index + len(segments) - 1 if segments else index
                return parse_help(self, last_physical, line, line_span)
            self._parse_attribute(keyword, rest, rest_start, line_span, at)
            return index + 1
        if keyword in ENTRY_KEYWORDS:
            self._parse_entry(keyword, rest, rest_start, line_span, at)
            return index + 1
        assignment = _MACRO_ASSIGNMENT.fullmatch(stripped)
        if assignment is not None and not keyword.startswith("$("):
            self._leave_entry()
            self._append(
                MacroAssignment(
                    assignment.group(1), assignment.group(2), assignment.group(3).strip(), line_span
                )
            )
            return index + 1
        if keyword.startswith("$("):
            # A top-level macro call such as `$(warning-if,...)`: the model
            # evaluates it in context; here it is kept as an assignment-less
            # statement so its span is known.
            self._append(MacroAssignment("", "call", stripped, line_span))
            return index + 1
        self._unknown_keyword(stripped.split(None, 1)[0], line_span)
        return index + 1

    # -- entries -----------------------------------------------------------------

    def _parse_entry(self, keyword: str, rest: str, rest_start: int, line_span: Span, at: At) -> None:
        if keyword in ("config", "menuconfig", "configdefault"):
            self._leave_entry()
            name, name_span = self._symbol_name(keyword, rest, rest_start, line_span, at)
            if name is None or name_span is None:
                return
            entry = ConfigEntry(keyword, name, name_span, line_span)
            self._append(entry)
            self.current = entry
        elif keyword == "choice":
            self._leave_entry()
            choice_name, choice_name_span = (
                self._symbol_name(keyword, rest, rest_start, line_span, at) if rest else (None, None)
            )
            choice = ChoiceEntry(choice_name, choice_name_span, line_span)
            self._open_block(choice, line_span)
            self.current = choice
        elif keyword == "menu":
            self._leave_entry()
            title = self._string_argument(keyword, rest, rest_start, line_span, at)
            menu = MenuEntry(title[0] if title else "", title[1] if title else line_span, line_span)
            self._open_block(menu, line_span)
            self.current = menu
        elif keyword == "comment":
            self._leave_entry()
            title = self._string_argument(keyword, rest, rest_start, line_span, at)
            comment = CommentEntry(title[0] if title else "", line_span)
            self._append(comment)
            self.current = comment
        elif keyword == "if":
            self._leave_entry()
            parsed = self._expression(keyword, rest, rest_start, line_span, at)
            names: NameSource = ()
            if parsed is None:
                # Keep the block open anyway so that its `endif` balances.
                expression: Expression = Unknown(rest or "?")
                span = line_span
            else:
                expression, span, names = parsed
            block = IfBlock(expression, span, line_span, condition_name_source=names)
            self._open_block(block, line_span)
        elif keyword in ("endmenu", "endchoice", "endif"):
            # A stray end closes nothing and must not end the current entry:
            # the attributes after it still belong there.
            if self._close_block(keyword, line_span):
                self._leave_entry()
            if rest:
                self._problem(f"unexpected text after '{keyword}'", line_span)
        elif keyword in ("source", "rsource", "osource", "orsource"):
            self._leave_entry()
            argument = self._string_argument(keyword, rest, rest_start, line_span, at)
            if argument is not None:
                self._append(SourceStatement(keyword, argument[0], argument[1], line_span))
        elif keyword == "mainmenu":
            self._leave_entry()
            title = self._string_argument(keyword, rest, rest_start, line_span, at)
            if title is not None:
                self._append(MainMenu(title[0], line_span))

    # -- attributes --------------------------------------------------------------

    def _parse_attribute(self, keyword: str, rest: str, rest_start: int, line_span: Span, at: At) -> None:
        entry = self.current
        if entry is None:
            self._problem(f"'{keyword}' must follow a config, choice, menu or comment entry", line_span)
            return
        if keyword == "depends":
            if not starts_with_word(rest, "on"):
                self._problem("expected 'on' after 'depends'", line_span)
                return
            after_on = rest[2:].lstrip()
            self._add_dependency(entry, after_on, rest_start + (len(rest) - len(after_on)), line_span, at)
            return
        if keyword == "visible":
            if not isinstance(entry, MenuEntry):
                self._problem("'visible if' is only valid in a menu", line_span)
                return
            if not starts_with_word(rest, "if"):
                self._problem("expected 'if' after 'visible'", line_span)
                return
            after_if = rest[2:].lstrip()
            parsed = self._expression(
                "visible if", after_if, rest_start + len(rest) - len(after_if), line_span, at
            )
            if parsed is not None:
                entry.visible_if.append(Dependency(parsed[0], None, line_span, parsed[1], parsed[2]))
            return
        if isinstance(entry, (MenuEntry, CommentEntry)):
            self._problem(
                f"'{keyword}' is not valid in a {'menu' if isinstance(entry, MenuEntry) else 'comment'}",
                line_span,
            )
            return
        if keyword in TYPE_KEYWORDS or keyword in DEF_TYPE_KEYWORDS:
            self._parse_type(entry, keyword, rest, rest_start, line_span, at)
        elif keyword == "prompt":
            prompt = self._prompt(keyword, rest, rest_start, line_span, at)
            if prompt is not None:
                entry.prompts.append(prompt)
        elif keyword in ("select", "imply"):
            if not isinstance(entry, ConfigEntry):
                self._problem(f"'{keyword}' is not valid in a choice", line_span)
                return
            self._parse_reverse_dependency(entry, keyword, rest, rest_start, line_span, at)
        elif keyword == "default":
            value, condition, condition_names = self._split_condition(
                keyword, rest, rest_start, line_span, at
            )
            if value is None:
                return
            parsed = self._expression(keyword, value[0], value[1], line_span, at)
            if parsed is not None:
                entry.defaults.append(
                    Default(parsed[0], condition, line_span, parsed[1], parsed[2], condition_names)
                )
        elif keyword == "range":
            if not isinstance(entry, ConfigEntry):
                self._problem("'range' is not valid in a choice", line_span)
                return
            value, condition, condition_names = self._split_condition(
                keyword, rest, rest_start, line_span, at
            )
            if value is None:
                return
            bounds = list(_BOUND.finditer(value[0]))
            if len(bounds) != 2:
                self._problem("expected two values after 'range'", line_span)
                return
            try:
                low, low_names = parse_expression_with_names(bounds[0].group())
                high, high_names = parse_expression_with_names(bounds[1].group())
            except ExpressionSyntaxError as error:
                self._problem(f"invalid range bound: {error.message}", line_span)
                return
            bound_names = occurrences(
                names_at(low_names, value[1] + bounds[0].start(), at, False)
            ) + occurrences(names_at(high_names, value[1] + bounds[1].start(), at, False))
            entry.ranges.append(Range(low, high, condition, line_span, bound_names, condition_names))
        elif keyword in ("optional", "modules", "transitional"):
            if keyword == "optional" and not isinstance(entry, ChoiceEntry):
                self._problem("'optional' is only valid in a choice", line_span)
                return
            if rest:
                self._problem(f"unexpected text after '{keyword}'", line_span)
            entry.options.append((keyword, line_span))
        elif keyword == "option":
            option_name = rest.split("=", 1)[0].strip()
            if option_name not in ("env", "defconfig_list", "modules", "allnoconfig_y"):
                self._problem(f"unknown option '{quoted_prefix(option_name)}'", line_span)
                return
            entry.options.append((rest, line_span))

    def _parse_type(
        self,
        entry: ConfigEntry | ChoiceEntry,
        keyword: str,
        rest: str,
        rest_start: int,
        line_span: Span,
        at: At,
    ) -> None:
        type_name = DEF_TYPE_KEYWORDS.get(keyword) or ("bool" if keyword == "boolean" else keyword)
        if entry.type is not None and entry.type.type_name != type_name:
            self._problem(
                f"'{entry.type.type_name}' redefined as '{type_name}' in the same entry", line_span, "warning"
            )
        entry.type = TypeDeclaration(type_name, line_span)
        if keyword in DEF_TYPE_KEYWORDS:
            value, condition, condition_names = self._split_condition(
                keyword, rest, rest_start, line_span, at
            )
            if value is None:
                return
            parsed = self._expression(keyword, value[0], value[1], line_span, at)
            if parsed is not None:
                entry.defaults.append(
                    Default(parsed[0], condition, line_span, parsed[1], parsed[2], condition_names)
                )
        elif rest:
            prompt = self._prompt(keyword, rest, rest_start, line_span, at)
            if prompt is not None:
                entry.prompts.append(prompt)

    def _parse_reverse_dependency(
        self, entry: ConfigEntry, keyword: str, rest: str, rest_start: int, line_span: Span, at: At
    ) -> None:
        value, condition, condition_names = self._split_condition(keyword, rest, rest_start, line_span, at)
        if value is None:
            return
        target_text, target_start = value
        match = SYMBOL_NAME.fullmatch(target_text)
        if match is None:
            self._problem(
                f"expected a symbol name after '{keyword}', found '{quoted_prefix(target_text)}'", line_span
            )
            return
        target_span = Span(at(target_start), at(target_start + len(target_text)))
        reverse = ReverseDependency(keyword, target_text, condition, line_span, target_span, condition_names)
        (entry.selects if keyword == "select" else entry.implies).append(reverse)

    def _add_dependency(
        self,
        entry: ConfigEntry | ChoiceEntry | MenuEntry | CommentEntry,
        text: str,
        text_start: int,
        line_span: Span,
        at: At,
    ) -> None:
        value, condition, condition_names = self._split_condition(
            "depends on", text, text_start, line_span, at
        )
        if value is None:
            return
        parsed = self._expression("depends on", value[0], value[1], line_span, at)
        if parsed is not None:
            entry.dependencies.append(
                Dependency(parsed[0], condition, line_span, parsed[1], parsed[2], condition_names)
            )

    def _symbol_name(
        self, keyword: str, rest: str, rest_start: int, line_span: Span, at: At
    ) -> tuple[str | None, Span | None]:
        if not rest:
            self._problem(f"expected a symbol name after '{keyword}'", line_span)
            return None, None
        name = rest.split()[0] if not rest.startswith('"') else rest
        if SYMBOL_NAME.fullmatch(name) is None:
            self._problem(f"invalid symbol name '{quoted_prefix(name)}' after '{keyword}'", line_span)
            return None, None
        if len(rest) > len(name):
            self._problem(f"unexpected text after '{keyword} {quoted_prefix(name)}'", line_span)
        return name, Span(at(rest_start), at(rest_start + len(name)))

    def _string_argument(
        self, keyword: str, rest: str, rest_start: int, line_span: Span, at: At
    ) -> tuple[str, Span] | None:
        """A quoted (or, leniently, bare) string argument and its span."""
        if not rest:
            self._problem(f"expected a string after '{keyword}'", line_span)
            return None
        if rest[0] in "\"'":
            end = string_end(rest, 0)
            if end < 0:
                self._problem(f"unterminated string after '{keyword}'", line_span)
                return unquote(rest + rest[0]), Span(at(rest_start), at(rest_start + len(rest)))
            if rest[end:].strip():
                self._problem(f"unexpected text after the string of '{keyword}'", line_span)
            return unquote(rest[:end]), Span(at(rest_start), at(rest_start + end))
        # The C tools accept an unquoted single word here.
        word = rest.split()[0]
        return word, Span(at(rest_start), at(rest_start + len(word)))

    def _prompt(self, keyword: str, rest: str, rest_start: int, line_span: Span, at: At) -> Prompt | None:
        if not rest:
            self._problem(f"expected a prompt string after '{keyword}'", line_span)
            return None
        if rest[0] not in "\"'":
            self._problem(f"expected a quoted prompt after '{keyword}'", line_span)
            return None
        end = string_end(rest, 0)
        if end < 0:
            self._problem("unterminated prompt string", line_span)
            return Prompt(
                unquote(rest + rest[0]), None, line_span, Span(at(rest_start), at(rest_start + len(rest)))
            )
        text = unquote(rest[:end])
        text_span = Span(at(rest_start), at(rest_start + end))
        after = rest[end:]
        condition: Expression | None = None
        stripped_after = after.strip()
        if stripped_after:
            if not (
                stripped_after.startswith("if")
                and (len(stripped_after) == 2 or not stripped_after[2].isalnum())
            ):
                self._problem("expected 'if' or the end of the line after the prompt", line_span)
            else:
                condition_text = stripped_after[2:].strip()
                condition_start = rest_start + end + after.find(stripped_after) + 2
                condition_start += len(stripped_after[2:]) - len(stripped_after[2:].lstrip())
                parsed = self._expression("if", condition_text, condition_start, line_span, at)
                if parsed is None:
                    return Prompt(text, Unknown(condition_text), line_span, text_span)
                return Prompt(text, parsed[0], line_span, text_span, parsed[2])
        return Prompt(text, condition, line_span, text_span)

    def _split_condition(
        self, keyword: str, rest: str, rest_start: int, line_span: Span, at: At
    ) -> tuple[tuple[str, int] | None, Expression | None, NameSource]:
        """Split `VALUE if CONDITION`; returns ((value, start), condition, condition's names)."""
        if not rest:
            self._problem(f"expected a value after '{keyword}'", line_span)
            return None, None, ()
        split_at = find_if(rest)
        if split_at < 0:
            return (rest, rest_start), None, ()
        value = rest[:split_at].rstrip()
        condition_text = rest[split_at + 2 :]
        condition_start = rest_start + split_at + 2 + (len(condition_text) - len(condition_text.lstrip()))
        if not value:
            self._problem(f"expected a value before 'if' in '{keyword}'", line_span)
            return None, None, ()
        parsed = self._expression("if", condition_text.strip(), condition_start, line_span, at)
        if parsed is None:
            return None, None, ()
        return (value, rest_start), parsed[0], parsed[2]

    def _expression(
        self, keyword: str, text: str, text_start: int, line_span: Span, at: At
    ) -> tuple[Expression, Span, NameSource] | None:
        """The expression at `text_start`, its span and the spans of its names."""
        span = _new_span(Span, (at(text_start), at(text_start + len(text))))
        if not text:
            self._problem(f"expected an expression after '{keyword}'", line_span)
            return None
        try:
            expression, relative = parse_expression_with_names(text)
        except ExpressionSyntaxError as error:
            problem_start = at(text_start + min(error.offset, len(text)))
            self._problem(
                f"{error.message} after '{keyword}'",
                Span(min(problem_start, line_span.end), line_span.end),
            )
            return None
        return expression, span, names_at(relative, text_start, at, self.linear)

    # -- block structure -------------------------------------------------------------

    def _append(self, node: Node) -> None:
        if self.stack:
            self.stack[-1][1].append(node)
        else:
            self.top.append(node)

    def _open_block(self, block: Block, line_span: Span) -> None:
        if len(self.stack) >= _MAX_NESTING:
            self._problem(f"blocks nested deeper than {_MAX_NESTING} levels; ignoring this one", line_span)
            return
        self._append(block)
        self.stack.append((block, block.children))

    def _close_block(self, keyword: str, line_span: Span) -> bool:
        expected = {"endmenu": MenuEntry, "endchoice": ChoiceEntry, "endif": IfBlock}[keyword]
        opener = {"endmenu": "menu", "endchoice": "choice", "endif": "if"}[keyword]
        if not self.stack:
            self._problem(f"'{keyword}' without a matching '{opener}'", line_span, kind="block")
            return False
        block = self.stack[-1][0]
        if isinstance(block, expected):
            self.stack.pop()
            block.end_span = line_span
            return True
        # A mismatched end: if a matching block is open further out, the inner
        # blocks were left unclosed; close them (reporting each) so the outer
        # structure survives. Otherwise the end is stray: report and ignore.
        if any(isinstance(open_block, expected) for open_block, _ in self.stack):
            while not isinstance(self.stack[-1][0], expected):
                unclosed = self.stack.pop()[0]
                self._problem(f"'{_block_keyword(unclosed)}' is not closed before '{keyword}'", unclosed.span)
            closed = self.stack.pop()[0]
            closed.end_span = line_span
            return True
        self._problem(
            f"'{keyword}' does not match the open '{_block_keyword(block)}' "
            f"(expected '{_end_keyword(block)}')",
            line_span,
            kind="block",
        )
        return False

    def _close_open_blocks(self) -> None:
        while self.stack:
            block = self.stack.pop()[0]
            self._problem(
                f"'{_block_keyword(block)}' is never closed (missing '{_end_keyword(block)}')",
                block.span,
                kind="block",
            )

    def _leave_entry(self) -> None:
        self.current = None

    def _unknown_keyword(self, keyword: str, line_span: Span) -> None:
        suggestion = closest_keyword(keyword)
        hint = f"; did you mean '{suggestion}'?" if suggestion else ""
        # Quote only a prefix: the "Kconfig" file may be a symlink to a secret.
        self._problem(f"unknown statement '{quoted_prefix(keyword)}'{hint}", line_span)

    def _problem(self, message: str, span: Span, severity: str = "error", kind: str = "syntax") -> None:
        self.problems.append(SyntaxProblem(message, span, severity, kind))


def _block_keyword(block: Block) -> str:
    if isinstance(block, MenuEntry):
        return "menu"
    if isinstance(block, ChoiceEntry):
        return "choice"
    return "if"


def _end_keyword(block: Block) -> str:
    return "end" + _block_keyword(block)
