"""The Kconfig syntax tree: one file's nodes, spans and problems, as plain data.

Every span is a half-open range of UTF-8 byte offsets into the file. Entries
are built by the parser (`parser.py`) line by line.

Each expression-bearing attribute also records every symbol name it uses as
a `NameOccurrence` with the name's exact span, taken from the expression's
tokens: navigation and checks never need to search the text for a name
again (which was quadratic on long lines and wrong for repeated names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kconfig_ls.syntax.expression import Expression
from kconfig_ls.syntax.records import fast_init
from kconfig_ls.syntax.span import Span as Span  # re-exported: the nodes carry spans


class NameOccurrence(NamedTuple):
    """One use of a symbol name in an expression, with the exact span of the name."""

    name: str
    span: Span


class NameOffsets(NamedTuple):
    """The names of an expression written on one ASCII line, as character offsets from byte `base`.

    The compact form of `NameOccurrence`s: the offsets are shared with the
    expression memo, so recording them costs one small tuple, and the spans
    are made on demand (making them for every expression of Linux cost 6% of
    the parse). Names on continuation or non-ASCII lines are stored as exact
    occurrences instead.
    """

    offsets: tuple[tuple[str, int], ...]
    base: int


NameSource = tuple[NameOccurrence, ...] | NameOffsets


def occurrences(source: NameSource) -> tuple[NameOccurrence, ...]:
    """The names of a `NameSource` with their exact spans."""
    if isinstance(source, NameOffsets):
        base = source.base
        return tuple(
            NameOccurrence(name, Span(base + offset, base + offset + len(name)))
            for name, offset in source.offsets
        )
    return source


_NO_NAMES: tuple[NameOccurrence, ...] = ()


@fast_init
@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A parse problem; `kind` is `syntax`, or `block` for unbalanced blocks."""

    message: str
    span: Span
    severity: str = "error"
    kind: str = "syntax"


@fast_init
@dataclass(frozen=True, slots=True)
class TypeDeclaration:
    type_name: str  # bool, tristate, int, hex, string
    span: Span


@fast_init
@dataclass(frozen=True, slots=True)
class Prompt:
    text: str
    condition: Expression | None
    span: Span
    text_span: Span
    condition_name_source: NameSource = _NO_NAMES

    @property
    def condition_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the `if` condition, with their spans."""
        return occurrences(self.condition_name_source)


@fast_init
@dataclass(frozen=True, slots=True)
class Dependency:
    """`depends on EXPRESSION [if CONDITION]`, or a menu's `visible if`."""

    expression: Expression
    condition: Expression | None
    span: Span
    expression_span: Span
    expression_name_source: NameSource = _NO_NAMES
    condition_name_source: NameSource = _NO_NAMES

    @property
    def expression_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the expression, with their spans."""
        return occurrences(self.expression_name_source)

    @property
    def condition_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the `if` condition, with their spans."""
        return occurrences(self.condition_name_source)

    @property
    def names(self) -> tuple[NameOccurrence, ...]:
        """Every name used, in text order."""
        return self.expression_names + self.condition_names


@fast_init
@dataclass(frozen=True, slots=True)
class ReverseDependency:
    """`select TARGET [if CONDITION]` or `imply TARGET [if CONDITION]`."""

    keyword: str
    target: str
    condition: Expression | None
    span: Span
    target_span: Span
    condition_name_source: NameSource = _NO_NAMES

    @property
    def condition_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the `if` condition, with their spans."""
        return occurrences(self.condition_name_source)

    @property
    def names(self) -> tuple[NameOccurrence, ...]:
        """Every name used, in text order: the target, then the condition's."""
        return (NameOccurrence(self.target, self.target_span), *self.condition_names)


@fast_init
@dataclass(frozen=True, slots=True)
class Default:
    """`default VALUE [if CONDITION]`; `def_bool` and friends also give one."""

    value: Expression
    condition: Expression | None
    span: Span
    value_span: Span
    value_name_source: NameSource = _NO_NAMES
    condition_name_source: NameSource = _NO_NAMES

    @property
    def value_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the value, with their spans."""
        return occurrences(self.value_name_source)

    @property
    def condition_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the `if` condition, with their spans."""
        return occurrences(self.condition_name_source)

    @property
    def names(self) -> tuple[NameOccurrence, ...]:
        """Every name used, in text order."""
        return self.value_names + self.condition_names


@fast_init
@dataclass(frozen=True, slots=True)
class Range:
    """`range LOW HIGH [if CONDITION]`."""

    low: Expression
    high: Expression
    condition: Expression | None
    span: Span
    bound_name_source: NameSource = _NO_NAMES
    condition_name_source: NameSource = _NO_NAMES

    @property
    def bound_names(self) -> tuple[NameOccurrence, ...]:
        """The names in both bounds, with their spans."""
        return occurrences(self.bound_name_source)

    @property
    def condition_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the `if` condition, with their spans."""
        return occurrences(self.condition_name_source)

    @property
    def names(self) -> tuple[NameOccurrence, ...]:
        """Every name used, in text order."""
        return self.bound_names + self.condition_names


@fast_init
@dataclass(frozen=True, slots=True)
class HelpText:
    """A help text as written; `text` dedents it on demand.

    Dedenting every help text of the Linux tree costs a fifth of the parse,
    and only hovers and documentation read them, so it is deferred.
    """

    raw_lines: tuple[str, ...]
    indentation: int
    span: Span

    @property
    def text(self) -> str:
        return dedent_help(list(self.raw_lines), self.indentation)


@dataclass(slots=True)
class ConfigEntry:
    """`config NAME`, `menuconfig NAME` or Zephyr's `configdefault NAME`."""

    keyword: str
    name: str
    name_span: Span
    span: Span
    type: TypeDeclaration | None = None
    prompts: list[Prompt] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    selects: list[ReverseDependency] = field(default_factory=list)
    implies: list[ReverseDependency] = field(default_factory=list)
    defaults: list[Default] = field(default_factory=list)
    ranges: list[Range] = field(default_factory=list)
    help: HelpText | None = None
    options: list[tuple[str, Span]] = field(default_factory=list)


@dataclass(slots=True)
class ChoiceEntry:
    """`choice [NAME] ... endchoice`; `children` are the choice's members."""

    name: str | None
    name_span: Span | None
    span: Span
    type: TypeDeclaration | None = None
    prompts: list[Prompt] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    defaults: list[Default] = field(default_factory=list)
    help: HelpText | None = None
    options: list[tuple[str, Span]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    end_span: Span | None = None


@dataclass(slots=True)
class MenuEntry:
    """`menu "TITLE" ... endmenu`; `help` is ESP-IDF's extension (a help text in a menu)."""

    title: str
    title_span: Span
    span: Span
    dependencies: list[Dependency] = field(default_factory=list)
    visible_if: list[Dependency] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    end_span: Span | None = None
    help: HelpText | None = None


@dataclass(slots=True)
class CommentEntry:
    text: str
    span: Span
    dependencies: list[Dependency] = field(default_factory=list)


@dataclass(slots=True)
class IfBlock:
    condition: Expression
    condition_span: Span
    span: Span
    children: list[Node] = field(default_factory=list)
    end_span: Span | None = None
    condition_name_source: NameSource = _NO_NAMES

    @property
    def condition_names(self) -> tuple[NameOccurrence, ...]:
        """The names in the condition, with their spans."""
        return occurrences(self.condition_name_source)


@fast_init
@dataclass(frozen=True, slots=True)
class SourceStatement:
    """`source`, `rsource` (relative), `osource` (optional) or `orsource`."""

    keyword: str
    path: str
    path_span: Span
    span: Span

    @property
    def relative(self) -> bool:
        return self.keyword in ("rsource", "orsource")

    @property
    def optional(self) -> bool:
        return self.keyword in ("osource", "orsource")


@fast_init
@dataclass(frozen=True, slots=True)
class MainMenu:
    title: str
    span: Span


@fast_init
@dataclass(frozen=True, slots=True)
class MacroAssignment:
    """`NAME := value`, `NAME = value` or `NAME += value` (preprocessor)."""

    name: str
    flavor: str
    value: str
    span: Span


Node = (
    ConfigEntry
    | ChoiceEntry
    | MenuEntry
    | CommentEntry
    | IfBlock
    | SourceStatement
    | MainMenu
    | MacroAssignment
)
Block = ChoiceEntry | MenuEntry | IfBlock


@dataclass(slots=True)
class KconfigFile:
    """The parse of one file: its top-level nodes, problems and line starts.

    `line_starts[i]` is the byte offset where line i starts; it lets every
    layer turn spans into lines without re-reading the file.
    `uses_macros` says whether any `$(` appears, so the model can skip
    expansion for the (vast) majority of files. `help_lines` are the lines
    each help text was read from (its `help` line, its last line), sorted:
    where a re-parse of part of the file may start (`incremental.py`).
    """

    path: str
    nodes: list[Node]
    problems: list[SyntaxProblem]
    line_starts: list[int]
    uses_macros: bool
    size: int
    help_lines: list[tuple[int, int]] = field(default_factory=list)

    def line_of(self, offset: int) -> int:
        """0-based line containing a byte offset."""
        low, high = 0, len(self.line_starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low


def dedent_help(lines: list[str], indent: int) -> str:
    if indent <= 0:
        return ""
    result: list[str] = []
    for line in lines:
        if not line.strip():
            result.append("")
            continue
        expanded = line.expandtabs(8)
        result.append(expanded[indent:] if len(expanded) >= indent else expanded.lstrip())
    return "\n".join(result).rstrip() + "\n" if result else ""


def entry_extent(node: ConfigEntry | ChoiceEntry | CommentEntry) -> Span:
    """From an entry's first line to the end of its last attribute (help included).

    An entry's `span` is its first line only. What an edit moves is the
    extent: an attribute can follow any line that does not end the entry (a
    comment, a blank line, a stray `endif`). For a choice, only its own
    attributes count, not its members. Each attribute list is in text order,
    so only its last element is looked at (this runs for every definition of
    an edited file in every world).
    """
    end = node.span.end
    attribute_lists: list[Sequence[Dependency | Prompt | Default | ReverseDependency | Range]]
    attribute_lists = [node.dependencies]
    if not isinstance(node, CommentEntry):
        attribute_lists.extend((node.prompts, node.defaults))
        if node.options:
            end = max(end, node.options[-1][1].end)
        if node.type is not None:
            end = max(end, node.type.span.end)
        if node.help is not None:
            end = max(end, node.help.span.end)
    if isinstance(node, ConfigEntry):
        attribute_lists.extend((node.selects, node.implies, node.ranges))
    for attributes in attribute_lists:
        if attributes:
            end = max(end, attributes[-1].span.end)
    return Span(node.span.start, end)
