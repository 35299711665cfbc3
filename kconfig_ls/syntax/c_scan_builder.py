"""Turning found directives into blocks, branches, classified references and definitions.

Both C front ends find directives their own way and hand them to
`ScanBuilder` (through `c_preprocessor.build_scan`), which applies the one
reference policy of `config_reference`. Split from `c_preprocessor`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from kconfig_ls.syntax.c_lexer import (
    _CODE,
    _STRING,
    FoundDirective,
    _BlockCommentTracker,
    _LineContext,
    _LineCounter,
    _next_line_start,
    _physical_line_start,
)
from kconfig_ls.syntax.c_scan_results import (
    CONDITIONAL_DIRECTIVE_KINDS,
    Branch,
    CDefinition,
    ConditionalBlock,
    CScan,
    Directive,
)
from kconfig_ls.syntax.config_reference import (
    CONFIG_IDENTIFIER_BYTES_PATTERN,
    CONFIG_PREFIX,
    DEFAULT_REFERENCE_SYNTAX,
    ConfigReference,
    ReferenceKind,
    ReferenceSyntax,
    Span,
    SyntaxProblem,
    counting_kinds,
    is_identifier_byte,
    split_config_identifier,
)
from kconfig_ls.syntax.expression import TRUE, Expression, conjunction, negation, referenced_symbols

_OPENING_KINDS: Final = frozenset({"if", "ifdef", "ifndef"})
# `is_identifier_byte`'s set, tested inline in the hot loop (a call per match costs more).
_IDENTIFIER_BYTE_VALUES: Final = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_BRANCHING_KINDS: Final = frozenset({"elif", "elifdef", "elifndef", "else"})
_TESTING_KINDS: Final = frozenset({"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef"})
_NAME_TESTING_KINDS: Final = frozenset({"ifdef", "ifndef", "elifdef", "elifndef"})


# --- assembling a scan ------------------------------------------------------------------

_TEST_BEFORE: Final = re.compile(
    rb"(?:(?<![A-Za-z0-9_])(defined)[ \t]*\(?|(?<![A-Za-z0-9_])(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE)"
    rb"[ \t]*\()[ \t]*\Z"
)
_IS_MACRO_NAMES: Final = tuple(
    (name.encode(), name) for name in ("IS_ENABLED", "IS_BUILTIN", "IS_MODULE", "IS_REACHABLE")
)


def _is_macro_before(text: bytes) -> str | None:
    """The `IS_ENABLED`-like macro name `text` ends with, as a whole word; else None."""
    for encoded, name in _IS_MACRO_NAMES:
        if text.endswith(encoded) and (
            len(text) == len(encoded) or not is_identifier_byte(text[-len(encoded) - 1])
        ):
            return name
    return None


_TAG_BEFORE: Final = re.compile(rb"(?<![A-Za-z0-9_])(?:struct|union|enum)\s+\Z")
# Starts with a literal so that `re` searches fast; the preceding byte is checked apart.
_ENUM_HEAD: Final = re.compile(rb"enum(?![A-Za-z0-9_])[ \t\r\nA-Za-z0-9_]*+\{")
_COMMENTS: Final = re.compile(rb"/\*.*?\*/|//[^\n]*", re.DOTALL)
_PREPROCESSOR_LINES: Final = re.compile(rb"^[ \t]*#[^\n]*", re.MULTILINE)
_DIRECTIVE_HEAD: Final = re.compile(rb"[ \t]*#[ \t]*([A-Za-z_]*)")
_DEFINE_HEAD: Final = re.compile(rb"[ \t]*#[ \t]*define[ \t]+([A-Za-z_$][A-Za-z0-9_$]*)(\()?")
_WHITE_SPACE: Final = b" \t\r\n\f\v"
# A type name right before the identifier, not a keyword that takes an expression.
_DECLARED_AFTER_TYPE: Final = re.compile(
    rb"(?<![A-Za-z0-9_])(?!(?:return|case|sizeof|else|do|typeof|defined|goto)\Z)[A-Za-z_][A-Za-z0-9_]*\Z"
)


class _ScanBuilder:
    """Turns found directives into blocks, branches, references and definitions."""

    def __init__(
        self,
        data: bytes,
        found: list[FoundDirective],
        symbols_ending_in_module: frozenset[str],
        syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX,
    ) -> None:
        self.data = data
        self.found = found
        self.symbols_ending_in_module = symbols_ending_in_module
        self.syntax = syntax
        macros = (*syntax.phase_macros, *syntax.argument_macros)
        self.macro_names = frozenset(name for name, _ in macros)
        self.macro_pattern = (
            re.compile(
                rb"(?:"
                + b"|".join(re.escape(name.encode()) for name, _ in sorted(macros, key=lambda m: -len(m[0])))
                + rb")[ \t]*\("
            )
            if macros
            else None
        )
        self.problems: list[SyntaxProblem] = []
        self.lines = _LineCounter(data)
        self.enum_body_starts: list[int] | None = None
        self.enum_body_ends: list[int] | None = None

    def build(self) -> CScan:
        found = self.found
        directive_lines, directive_end_lines, blocks, branches, directive_blocks, partial = self._structure()
        starts, start_lines = partial._branch_body_starts, partial._branch_body_start_lines
        references, definitions, comment_references = self._references(
            partial, [directive.start for directive in found], directive_lines
        )
        directives = tuple(
            Directive(
                kind=directive.kind,
                span=(directive.start, directive.end),
                keyword_span=directive.keyword_span,
                line=directive_lines[index],
                end_line=directive_end_lines[index],
                condition=directive.condition,
                condition_span=directive.condition_span,
                comment_references=tuple(comment_references.get(index, ())),
                block=directive_blocks[index],
            )
            for index, directive in enumerate(found)
        )
        for index, directive in enumerate(found):
            if directive.problem is not None:
                self._problem((directive.start, directive.end), directive_lines[index], directive.problem)
        self.problems.sort(key=lambda problem: problem.span)
        return CScan(
            directives,
            tuple(blocks),
            tuple(branches),
            references,
            definitions,
            tuple(self.problems),
            starts,
            start_lines,
        )

    def branch_structure(self) -> CScan:
        """The branches alone, as `build` makes them before the references: all `guard_condition`
        reads (the index's scan asks it of a `#define CONFIG_X` that may be a fallback)."""
        return self._structure()[5]

    def _structure(
        self,
    ) -> tuple[list[int], list[int], list[ConditionalBlock], list[Branch], list[int | None], CScan]:
        """The directives' lines and end lines, the blocks, branches, each directive's block, and
        a `CScan` of the branches alone."""
        data = self.data
        found = self.found
        directive_lines = [self.lines.line(directive.start) for directive in found]
        directive_end_lines = [
            line + data.count(b"\n", directive.start, directive.end)
            for line, directive in zip(directive_lines, found, strict=True)
        ]
        blocks, branches, directive_blocks = self._build_blocks(directive_lines, directive_end_lines)
        starts = tuple(branch.body_span[0] for branch in branches)
        start_lines = tuple(branch.body_lines[0] for branch in branches)
        partial = CScan((), (), tuple(branches), (), (), (), starts, start_lines)
        return directive_lines, directive_end_lines, blocks, branches, directive_blocks, partial

    def references_without_structure(
        self,
    ) -> tuple[tuple[ConfigReference, ...], tuple[CDefinition, ...]] | None:
        """References and definitions, or None when a `#define CONFIG_X` needs the blocks of `build`."""
        try:
            references, definitions, _ = self._references(None, [], [])
        except _StructureNeeded:
            return None
        return references, definitions

    def _problem(self, span: Span, line: int, message: str) -> None:
        self.problems.append(SyntaxProblem(span, line, message))

    # --- blocks

    def _build_blocks(
        self, directive_lines: list[int], directive_end_lines: list[int]
    ) -> tuple[list[ConditionalBlock], list[Branch], list[int | None]]:
        data = self.data
        found = self.found
        directive_blocks: list[int | None] = [None] * len(found)
        # Open blocks: (block index, directive indexes, branch indexes, seen #else).
        stack: list[_OpenBlock] = []
        block_records: list[_OpenBlock] = []
        branch_records: list[_OpenBranch] = []

        def open_branch(block: _OpenBlock, directive_index: int) -> None:
            directive = found[directive_index]
            own = directive.condition if directive.condition is not None else TRUE
            earlier = [negation(branch_records[index].condition) for index in block.branches]
            body_start = _next_line_start(data, directive.end)
            record = _OpenBranch(
                directive=directive_index,
                block=block.index,
                condition=own,
                effective_condition=conjunction(*earlier, own),
                body_start=body_start,
                body_start_line=directive_end_lines[directive_index] + 1,
                parent_branch=block.parent_branch,
            )
            branch_records.append(record)
            block.branches.append(len(branch_records) - 1)

        def close_branch(block: _OpenBlock, end: int, end_line: int) -> None:
            if block.branches:
                record = branch_records[block.branches[-1]]
                record.body_end = max(record.body_start, end)
                record.body_end_line = max(record.body_start_line, end_line)

        for index, directive in enumerate(found):
            kind = directive.kind
            line_start = data.rfind(b"\n", 0, directive.start) + 1
            if kind in _OPENING_KINDS:
                parent_branch = stack[-1].branches[-1] if stack else None
                block = _OpenBlock(len(block_records), parent_branch, len(stack), directive.start)
                block_records.append(block)
                stack.append(block)
                block.directives.append(index)
                directive_blocks[index] = block.index
                open_branch(block, index)
                continue
            if not stack:
                self._problem(
                    (directive.start, directive.end),
                    directive_lines[index],
                    f"#{kind} without #if",
                )
                continue
            block = stack[-1]
            directive_blocks[index] = block.index
            block.directives.append(index)
            close_branch(block, line_start, directive_lines[index])
            if kind == "endif":
                block.end = directive.end
                block.terminated = True
                stack.pop()
                continue
            if block.seen_else:
                self._problem(
                    (directive.start, directive.end),
                    directive_lines[index],
                    f"#{kind} after #else",
                )
            if kind == "else":
                block.seen_else = True
            open_branch(block, index)
        last_line = self.lines.line(len(data)) + 1 if stack else 0
        for block in stack:
            close_branch(block, len(data), last_line)
            block.end = len(data)
            opening = found[block.directives[0]]
            self._problem(
                (opening.start, opening.end),
                directive_lines[block.directives[0]],
                f"#{opening.kind} without #endif",
            )
        branches = [
            Branch(
                directive=record.directive,
                block=record.block,
                condition=record.condition,
                effective_condition=record.effective_condition,
                body_span=(record.body_start, record.body_end),
                body_lines=(record.body_start_line, record.body_end_line),
                parent_branch=record.parent_branch,
            )
            for record in branch_records
        ]
        blocks = [
            ConditionalBlock(
                directives=tuple(record.directives),
                branches=tuple(record.branches),
                span=(record.start, record.end),
                terminated=record.terminated,
                parent_branch=record.parent_branch,
                depth=record.depth,
            )
            for record in block_records
        ]
        return blocks, branches, directive_blocks

    # --- references

    def _references(
        self, structure: CScan | None, anchor_offsets: list[int], anchor_lines: list[int]
    ) -> tuple[tuple[ConfigReference, ...], tuple[CDefinition, ...], dict[int, list[ConfigReference]]]:
        raw, definitions, undefined_first = self.raw_references(anchor_offsets, anchor_lines)
        if not raw and not definitions:
            return (), (), {}
        return self._apply_policy(structure, raw, definitions, undefined_first)

    def raw_references(
        self, anchor_offsets: list[int], anchor_lines: list[int], with_tests: bool = True
    ) -> tuple[list[_RawReference], list[CDefinition], dict[str, int]]:
        """Every occurrence before the policy, the file's definitions, the first `#undef` of each name.

        `with_tests` False leaves a condition's test (`defined`, `IS_ENABLED`, `value`) unknown:
        the workspace index keeps no tests.
        """
        data = self.data
        found = self.found
        if data.find(b"CONFIG_") < 0 and (self.macro_pattern is None or data.find(b"CONFIG") < 0):
            return [], [], {}
        line_context = _LineContext(data)
        comments = _BlockCommentTracker(data, line_context)
        line_of = _LineCounter(data, anchor_offsets, anchor_lines).line
        # Without anchors (the index's scan) the occurrences' lines are counted on inline: the
        # matches ascend, so this is `line_of` without a call per occurrence.
        count_inline = not anchor_offsets
        count = data.count
        line = 0
        counted_to = 0
        raw: list[_RawReference] = []
        add = raw.append
        # `tuple.__new__`: the named tuple's own `__new__` is a Python call per occurrence.
        make = tuple.__new__
        raw_type = _RawReference
        prefix_length = len(CONFIG_PREFIX)
        identifier_bytes = _IDENTIFIER_BYTE_VALUES
        macro_names = self.macro_names
        definitions: list[CDefinition] = []
        undefined_first: dict[str, int] = {}
        directive_cursor = 0
        directive_count = len(found)
        for match in CONFIG_IDENTIFIER_BYTES_PATTERN.finditer(data):
            start = match.start()
            if start and data[start - 1] in identifier_bytes:
                continue  # `mmSDMA0_CONFIG_X`: inside another name (half of all matches)
            end = match.end()
            if count_inline:
                line += count(b"\n", counted_to, start)
                counted_to = start
            else:
                line = line_of(start)
            while directive_cursor < directive_count and found[directive_cursor].end < start:
                directive_cursor += 1
            name = match.group().decode("ascii")
            test: str | None = None
            directive_index: int | None = None
            if name in macro_names and data[end : end + 64].lstrip(_WHITE_SPACE).startswith(b"("):
                # `CONFIG_IS_ENABLED(X)`: the macro is no symbol; its argument is (second pass).
                macro_call = ReferenceKind.MACRO_CALL
                add(make(raw_type, (name, start, end, line, macro_call, None, None, prefix_length)))
                continue
            if directive_cursor < directive_count and found[directive_cursor].start <= start:
                directive_index = directive_cursor
                directive = found[directive_cursor]
                in_comment = False
                for comment_start, comment_end in directive.comment_spans:
                    if comment_start <= start < comment_end:
                        in_comment = True
                        break
                if in_comment:
                    kind = ReferenceKind.DIRECTIVE_COMMENT
                elif directive.kind in _TESTING_KINDS:
                    kind = ReferenceKind.CONDITION
                    if with_tests:
                        test = self._condition_test(directive, start)
                else:
                    kind = ReferenceKind.DIRECTIVE_COMMENT
            else:
                kind, test = self._code_reference_kind(
                    comments, line_context, start, end, line, name, definitions
                )
                if kind == ReferenceKind.UNDEF:
                    undefined_first.setdefault(name, start)
            add(make(raw_type, (name, start, end, line, kind, test, directive_index, prefix_length)))
        if self.macro_pattern is not None:
            raw.extend(self._macro_argument_references())
            raw.sort(key=lambda item: item.start)
        return raw, definitions, undefined_first

    def _macro_argument_references(self) -> list[_RawReference]:
        """The bare names in an ecosystem's macros: U-Boot `CONFIG_IS_ENABLED(X)`, coreboot `CONFIG(X)`.

        A second pass over the file, with its own lexical trackers: the
        arguments are references (phase or plain) in code and conditions, and
        directive comments in the comment of `#endif /* CONFIG_IS_ENABLED(X) */`.
        """
        assert self.macro_pattern is not None
        data = self.data
        found = self.found
        starts = [directive.start for directive in found]
        line_context = _LineContext(data)
        comments = _BlockCommentTracker(data, line_context)
        lines = _LineCounter(data)
        raw: list[_RawReference] = []
        for match in self.macro_pattern.finditer(data):
            start = match.start()
            if start and is_identifier_byte(data[start - 1]):
                continue
            macro = data[start : match.end()].rstrip(b"( \t").decode("ascii")
            logical_start = line_context.logical_line_start(_physical_line_start(data, start))
            define = _DEFINE_HEAD.match(data, logical_start)
            if define is not None and define.start(1) == start:
                continue  # `#define CONFIG(option) ...`: the macro itself
            arguments = self.syntax.macro_arguments(macro)
            if arguments is None:
                continue
            count, phase = arguments
            argument_kind = ReferenceKind.PHASE_ARGUMENT if phase else ReferenceKind.MACRO_ARGUMENT
            index = bisect.bisect_right(starts, start) - 1
            directive_index: int | None = None
            if index >= 0 and found[index].end >= start:
                directive_index = index
                directive = found[index]
                in_comment = any(low <= start < high for low, high in directive.comment_spans)
                if in_comment or directive.kind not in _TESTING_KINDS:
                    kind = ReferenceKind.DIRECTIVE_COMMENT
                else:
                    kind = argument_kind
            else:
                if comments.comment_start(start) >= 0 or line_context.state(start) != _CODE:
                    continue
                kind = argument_kind
            for name_start, name_end in _leading_arguments(data, match.end(), count):
                name = data[name_start:name_end].decode("ascii")
                raw.append(
                    _RawReference(
                        name,
                        name_start,
                        name_end,
                        lines.line(name_start),
                        kind,
                        "IS_ENABLED",
                        directive_index,
                        0,
                    )
                )
        return raw

    def _condition_test(self, directive: FoundDirective, start: int) -> str:
        if directive.kind in _NAME_TESTING_KINDS:
            return "defined"
        before = self.data[max(directive.keyword_span[1], start - 48) : start]
        match = _TEST_BEFORE.search(before)
        if match is None:
            return "value"
        return (match.group(1) or match.group(2)).decode("ascii")

    def _code_reference_kind(
        self,
        comments: _BlockCommentTracker,
        line_context: _LineContext,
        start: int,
        end: int,
        line: int,
        name: str,
        definitions: list[CDefinition],
    ) -> tuple[ReferenceKind, str | None]:
        data = self.data
        if comments.comment_start(start) >= 0:
            return ReferenceKind.COMMENT, None
        state = line_context.state(start)
        if state == _STRING:
            return ReferenceKind.STRING, None
        if state != _CODE:
            return ReferenceKind.COMMENT, None
        logical_start = line_context.logical_line_start(_physical_line_start(data, start))
        head = _DIRECTIVE_HEAD.match(data, logical_start)
        if head is not None:
            directive_name = head.group(1)
            if directive_name == b"define":
                define = _DEFINE_HEAD.match(data, logical_start)
                if define is not None:
                    if define.start(1) == start:
                        kind = "function_macro" if define.group(2) else "define"
                        definitions.append(CDefinition(name, (start, end), line, kind))
                        return ReferenceKind.DEFINE, None
                    if define.group(2):
                        close = data.find(b")", define.end(2))
                        if close < 0 or start < close:
                            definitions.append(CDefinition(name, (start, end), line, "macro_parameter"))
                            return ReferenceKind.MACRO_PARAMETER, None
                        parameters = data[define.end(2) : close].decode("utf-8", errors="replace")
                        if name in (parameter.strip() for parameter in parameters.split(",")):
                            return ReferenceKind.MACRO_PARAMETER, None
            elif directive_name == b"undef":
                return ReferenceKind.UNDEF, None
            elif directive_name in (b"error", b"warning"):
                return ReferenceKind.DIRECTIVE_TEXT, None
            elif directive_name.decode("ascii", errors="replace") in CONDITIONAL_DIRECTIVE_KINDS:
                # A directive the structure pass did not take (for example one
                # continued from a line inside a comment): still a condition.
                return ReferenceKind.CONDITION, "value"
        before = data[max(0, start - 64) : start]
        after = data[end : end + 64].lstrip(_WHITE_SPACE)
        stripped_before = before.rstrip(_WHITE_SPACE)
        # Each regex below runs only after a cheap test of the bytes it must end
        # with: most references are plain uses, and the tests keep them cheap.
        if stripped_before.endswith(b"##") or after.startswith(b"##") or end == start + len(CONFIG_PREFIX):
            return ReferenceKind.TOKEN_PASTE, None
        if stripped_before.endswith(b"("):
            macro = _is_macro_before(stripped_before[:-1].rstrip(_WHITE_SPACE))
            if macro is not None:
                return ReferenceKind.IS_ENABLED_CALL, macro
        if after.startswith(b"("):
            return ReferenceKind.MACRO_CALL, None
        if (
            stripped_before.endswith(b".") and not stripped_before.endswith(b"...")
        ) or stripped_before.endswith(b"->"):
            return ReferenceKind.MEMBER, None
        if (
            len(stripped_before) < len(before)
            and stripped_before.endswith((b"struct", b"union", b"enum"))
            and _TAG_BEFORE.search(before)
        ):
            if after.startswith(b"{"):
                definitions.append(CDefinition(name, (start, end), line, "type_name"))
            return ReferenceKind.TYPE_NAME, None
        if stripped_before.endswith(b"}") and after[:1] in (b";", b","):
            definitions.append(CDefinition(name, (start, end), line, "type_name"))
            return ReferenceKind.TYPE_NAME, None
        if after[:1] in (b";", b"[") and _DECLARED_AFTER_TYPE.search(stripped_before):
            # In a macro body (amdgpu's `type CONFIG_ERROR;\` field lists) the word
            # before must not be the macro's own name (`#define X CONFIG_Y;`).
            type_end = max(0, start - 64) + len(stripped_before)
            define_head = _DEFINE_HEAD.match(data, logical_start) if head is not None else None
            declared = head is None or (define_head is not None and define_head.end(1) != type_end)
        else:
            declared = False
        if declared:
            definitions.append(CDefinition(name, (start, end), line, "declaration"))
            return ReferenceKind.DECLARATION, None
        if (after[:1] in (b",", b"}") or (after[:1] == b"=" and after[1:2] != b"=")) and self._is_enum_member(
            start
        ):
            definitions.append(CDefinition(name, (start, end), line, "enum_member"))
            return ReferenceKind.ENUM_MEMBER, None
        return ReferenceKind.CODE, None

    def _is_enum_member(self, start: int) -> bool:
        data = self.data
        if self.enum_body_starts is None:
            self._find_enum_bodies()
        assert self.enum_body_starts is not None and self.enum_body_ends is not None
        index = bisect.bisect_right(self.enum_body_starts, start) - 1
        if index < 0 or start >= self.enum_body_ends[index]:
            return False
        brace = self.enum_body_starts[index] - 1
        window_start = max(brace + 1, start - 512)
        before = _COMMENTS.sub(b" ", data[window_start:start])
        # Preprocessor lines between members (`#ifdef CONFIG_X`) do not matter.
        before = _PREPROCESSOR_LINES.sub(b"", before)
        previous = before.rstrip(_WHITE_SPACE)
        return previous.endswith(b",") or (previous == b"" and window_start == brace + 1)

    def _find_enum_bodies(self) -> None:
        """The `{...}` of every `enum`, found once a file needs them (ends at the first `}`)."""
        data = self.data
        starts: list[int] = []
        ends: list[int] = []
        for match in _ENUM_HEAD.finditer(data):
            head = match.start()
            if head and is_identifier_byte(data[head - 1]):
                continue
            body_start = match.end()
            if starts and body_start < ends[-1]:
                continue
            close = data.find(b"}", body_start)
            starts.append(body_start)
            ends.append(len(data) if close < 0 else close)
        self.enum_body_starts = starts
        self.enum_body_ends = ends

    def _apply_policy(
        self,
        structure: CScan | None,
        raw: list[_RawReference],
        definitions: list[CDefinition],
        undefined_first: dict[str, int],
    ) -> tuple[tuple[ConfigReference, ...], tuple[CDefinition, ...], dict[int, list[ConfigReference]]]:
        final_definitions, owned, fallback_positions = self._final_definitions(
            structure, definitions, undefined_first
        )
        counting = counting_kinds()
        references: list[ConfigReference] = []
        comment_references: dict[int, list[ConfigReference]] = {}
        for item in raw:
            if item.prefix_length == 0:
                symbol, module_suffix = item.name, False
            else:
                symbol, module_suffix = split_config_identifier(item.name, self.symbols_ending_in_module)
            locally_defined = item.name in owned
            counts = (item.kind in counting or item.start in fallback_positions) and not locally_defined
            if item.kind == ReferenceKind.DIRECTIVE_COMMENT and self.data.startswith(
                (b"*", b"..."), item.end
            ):
                counts = False  # `#endif /* CONFIG_LWIP_HOOK_TCP_ISN... */`: a family, not one name
            counts = counts and bool(symbol)
            reference = ConfigReference(
                symbol=symbol,
                span=(item.start, item.end),
                line=item.line,
                kind=item.kind,
                counts=counts,
                module_suffix=module_suffix,
                test=item.test,
                locally_defined=locally_defined,
                prefix_length=item.prefix_length,
            )
            references.append(reference)
            if item.kind == ReferenceKind.DIRECTIVE_COMMENT and item.directive is not None:
                comment_references.setdefault(item.directive, []).append(reference)
        return tuple(references), tuple(final_definitions), comment_references

    def _final_definitions(
        self, structure: CScan | None, definitions: list[CDefinition], undefined_first: dict[str, int]
    ) -> tuple[list[CDefinition], set[str], set[int]]:
        """The definitions with fallbacks marked, the names the file owns, the fallbacks' offsets."""
        final_definitions: list[CDefinition] = []
        for definition in definitions:
            if definition.kind == "define" and self._is_fallback_define(
                structure, definition, undefined_first
            ):
                definition = CDefinition(definition.name, definition.span, definition.line, "fallback_define")
            final_definitions.append(definition)
        owned = {definition.name for definition in final_definitions if definition.kind != "fallback_define"}
        # The name in a fallback `#define CONFIG_NR_CPUS 1` is the Kconfig symbol's: renaming the
        # symbol must rename it too.
        fallback_positions = {
            definition.span[0] for definition in final_definitions if definition.kind == "fallback_define"
        }
        return final_definitions, owned, fallback_positions

    def _is_fallback_define(
        self, structure: CScan | None, definition: CDefinition, undefined_first: dict[str, int]
    ) -> bool:
        undef_position = undefined_first.get(definition.name)
        if undef_position is not None and undef_position < definition.span[0]:
            return True
        if structure is None:
            raise _StructureNeeded
        guard = structure.guard_condition(definition.span[0])
        return any(True for _ in referenced_symbols(guard))


class _StructureNeeded(Exception):
    """Raised when reference classification needs the block structure that was not built."""


@dataclass(slots=True)
class _OpenBlock:
    index: int
    parent_branch: int | None
    depth: int
    start: int
    directives: list[int] = field(default_factory=list)
    branches: list[int] = field(default_factory=list)
    seen_else: bool = False
    terminated: bool = False
    end: int = 0


@dataclass(slots=True)
class _OpenBranch:
    directive: int
    block: int
    condition: Expression
    effective_condition: Expression
    body_start: int
    body_start_line: int
    parent_branch: int | None
    body_end: int = 0
    body_end_line: int = 0


class _RawReference(NamedTuple):
    """An occurrence before the policy; a named tuple (the dense files make hundreds of thousands)."""

    name: str
    start: int
    end: int
    line: int
    kind: ReferenceKind
    test: str | None
    directive: int | None
    prefix_length: int = len(CONFIG_PREFIX)


_ARGUMENT: Final = re.compile(rb"[ \t\r\n\\]*([A-Za-z_][A-Za-z0-9_]*)[ \t\r\n\\]*([,)])")


def _leading_arguments(data: bytes, position: int, count: int) -> list[Span]:
    """The spans of up to `count` leading identifier arguments after a macro's `(`."""
    spans: list[Span] = []
    while len(spans) < count:
        match = _ARGUMENT.match(data, position)
        if match is None:
            break
        spans.append((match.start(1), match.end(1)))
        if match.group(2) == b")":
            break
        position = match.end()
    return spans
