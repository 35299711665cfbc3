"""A fast scanner for the preprocessor conditionals and `CONFIG_` references of C files.

The workspace index must read the whole Linux tree (61,000 `.c`/`.h` files,
1.34 GB) in seconds, so this scanner never tokenizes a whole file. It finds
the few interesting places with fast literal searches (`#if`-like directives,
`CONFIG_` identifiers) and works out the lexical context of each one locally:
whether it is inside a block comment is tracked with backward searches for
`/*` and `*/` that together cover the file once, and strings and `//` comments
are recognised by lexing only the line in front of the position. Files that do
not mention `CONFIG_` cost one `bytes.find` in `find_config_references`.

The scan gives (see `scan_c`):

- every conditional directive (`#if`, `#ifdef`, `#ifndef`, `#elif`,
  `#elifdef`, `#elifndef`, `#else`, `#endif`) with its byte span, 0-based line
  and, for the testing ones, its condition as an `Expression`
  (`defined(CONFIG_X)` and `#ifdef CONFIG_X` become `CTest("defined", "X")`,
  `IS_ENABLED(CONFIG_X)` becomes `CTest("IS_ENABLED", "X")`, a bare
  `CONFIG_X` becomes `CTest("value", "X")`, `CONFIG_NR_CPUS > 4` becomes a
  `Compare`, other macros and arithmetic become `Unknown`, numbers `Constant`);
- the blocks and branches they form, for guard conditions
  (`CScan.guard_condition`) and matching-directive navigation;
- every `CONFIG_` occurrence, classified and marked as counting or not by the
  policy in `kconfig_ls.syntax.config_reference`; the `CONFIG_` names in the
  comments of directive lines (`#endif /* CONFIG_MIGRATION */`) are also
  attached to their directive;
- the file's own definitions of `CONFIG_` names (`#define CONFIG_FOO`, enum
  members, ...), which the workspace collects tree-wide;
- problems: unterminated blocks, stray `#else`/`#elif`/`#endif`, `#elif`
  after `#else`, malformed conditions, binary files.

Known approximations, all rare in real code: a `/*` or `*/` inside a string
that spans lines, a `//` comment continued with a backslash after a
directive, and a directive preceded by a comment on its own line
(`/* x */ #if`). Directive detection, extents, comments and conditions agree
with tree-sitter-c on a sample of the Linux tree
(tests/linux/test_c_scanner_agrees_with_tree_sitter.py), and the scanner
reports no problem on any of Linux 6.12's 61,000 C files.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Final, NamedTuple

from kconfig_ls.syntax.config_reference import (
    CONFIG_IDENTIFIER_BYTES_PATTERN,
    CONFIG_PREFIX,
    ConfigReference,
    ReferenceKind,
    Span,
    SyntaxProblem,
    counting_kinds,
    is_identifier_byte,
    looks_binary,
    split_config_identifier,
)
from kconfig_ls.syntax.expression import (
    TRUE,
    Compare,
    Constant,
    CTest,
    Expression,
    Not,
    Unknown,
    conjunction,
    disjunction,
    negation,
    referenced_symbols,
)

__all__ = [
    "CONDITIONAL_DIRECTIVE_KINDS",
    "Branch",
    "CDefinition",
    "CScan",
    "ConditionNode",
    "ConditionSyntaxError",
    "ConditionalBlock",
    "Directive",
    "FoundDirective",
    "binary_file_scan",
    "build_scan",
    "condition_text",
    "condition_expression",
    "directive_condition",
    "find_config_references",
    "index_c_file",
    "MAXIMUM_CONDITION_DEPTH",
    "parse_c_condition",
    "render_condition_node",
    "scan_c",
]

CONDITIONAL_DIRECTIVE_KINDS: Final = frozenset(
    {"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif"}
)
_OPENING_KINDS: Final = frozenset({"if", "ifdef", "ifndef"})
_BRANCHING_KINDS: Final = frozenset({"elif", "elifdef", "elifndef", "else"})
_TESTING_KINDS: Final = frozenset({"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef"})
_NAME_TESTING_KINDS: Final = frozenset({"ifdef", "ifndef", "elifdef", "elifndef"})
_IS_MACROS: Final = frozenset({"IS_ENABLED", "IS_BUILTIN", "IS_MODULE", "IS_REACHABLE"})


# --- results ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Directive:
    """One conditional directive line.

    `span` runs from the `#` to the end of the logical line: continuation
    lines and any comment that starts on the line are included, the newline is
    not. `condition` is set for the testing kinds (`#ifndef X` gives
    `!defined(X)`); `condition_span` covers the condition text with trailing
    comments excluded. `block` is the index in `CScan.blocks`, or None for a
    stray `#else`/`#elif`/`#endif`.
    """

    kind: str
    span: Span
    keyword_span: Span
    line: int
    end_line: int
    condition: Expression | None
    condition_span: Span | None
    comment_references: tuple[ConfigReference, ...]
    block: int | None


@dataclass(frozen=True, slots=True)
class Branch:
    """The lines controlled by one `#if`/`#elif`/`#else` of a block.

    `condition` is the branch's own test (`TRUE` for `#else`);
    `effective_condition` adds the negation of the earlier branches' tests,
    which is what must hold for the branch to be compiled. `body_span` runs
    from the start of the line after the directive to the start of the line of
    the block's next directive; `body_lines` is the same as a half-open range.
    """

    directive: int
    block: int
    condition: Expression
    effective_condition: Expression
    body_span: Span
    body_lines: tuple[int, int]
    parent_branch: int | None


@dataclass(frozen=True, slots=True)
class ConditionalBlock:
    """An `#if ... #endif` block: its directives in order, and its branches."""

    directives: tuple[int, ...]
    branches: tuple[int, ...]
    span: Span
    terminated: bool
    parent_branch: int | None
    depth: int


@dataclass(frozen=True, slots=True)
class CDefinition:
    """A definition of a `CONFIG_` name by the file itself.

    `kind` is `define` (an object-like `#define` the file owns),
    `fallback_define` (a `#define` that only supplies a value when Kconfig did
    not, see the policy), `function_macro`, `macro_parameter`, `enum_member`
    or `type_name`. All but `fallback_define` make the name the file's own.
    """

    name: str
    span: Span
    line: int
    kind: str


@dataclass(frozen=True, slots=True)
class CScan:
    """Everything `scan_c` found in one C file; all spans are byte offsets."""

    directives: tuple[Directive, ...]
    blocks: tuple[ConditionalBlock, ...]
    branches: tuple[Branch, ...]
    references: tuple[ConfigReference, ...]
    definitions: tuple[CDefinition, ...]
    problems: tuple[SyntaxProblem, ...]
    _branch_body_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)
    _branch_body_start_lines: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def innermost_branch(self, offset: int) -> int | None:
        """The index of the innermost branch whose body contains `offset`."""
        index = bisect.bisect_right(self._branch_body_starts, offset) - 1
        candidate: int | None = index if index >= 0 else None
        while candidate is not None:
            start, end = self.branches[candidate].body_span
            if start <= offset < end:
                return candidate
            candidate = self.branches[candidate].parent_branch
        return None

    def innermost_branch_at_line(self, line: int) -> int | None:
        """The index of the innermost branch whose body contains the 0-based `line`."""
        index = bisect.bisect_right(self._branch_body_start_lines, line) - 1
        candidate: int | None = index if index >= 0 else None
        while candidate is not None:
            first, end = self.branches[candidate].body_lines
            if first <= line < end:
                return candidate
            candidate = self.branches[candidate].parent_branch
        return None

    def enclosing_branches(self, branch: int | None) -> tuple[Branch, ...]:
        """`branch` and its ancestors, outermost first."""
        chain: list[Branch] = []
        while branch is not None:
            chain.append(self.branches[branch])
            branch = self.branches[branch].parent_branch
        return tuple(reversed(chain))

    def guard_condition(self, offset: int) -> Expression:
        """What must hold for the code at `offset` to be compiled (`TRUE` outside any block).

        The conjunction of the effective conditions of the enclosing branches,
        outermost first, for example `CONFIG_NUMA_MIGRATION && !CONFIG_NUMA_BALANCING`.
        """
        return conjunction(
            *(branch.effective_condition for branch in self.enclosing_branches(self.innermost_branch(offset)))
        )

    def guard_condition_at_line(self, line: int) -> Expression:
        """`guard_condition` for a 0-based line; directive lines belong to the enclosing level."""
        branches = self.enclosing_branches(self.innermost_branch_at_line(line))
        return conjunction(*(branch.effective_condition for branch in branches))

    def matching_directives(self, directive: int) -> tuple[Directive, ...]:
        """The directives of the block `directive` belongs to: the `#if`, its `#elif`s, `#else`, `#endif`."""
        block = self.directives[directive].block
        if block is None:
            return (self.directives[directive],)
        return tuple(self.directives[index] for index in self.blocks[block].directives)

    def directive_at(self, offset: int) -> int | None:
        """The index of the directive whose span contains `offset`, if any."""
        low, high = 0, len(self.directives)
        while low < high:
            middle = (low + high) // 2
            if self.directives[middle].span[0] <= offset:
                low = middle + 1
            else:
                high = middle
        if low and self.directives[low - 1].span[0] <= offset <= self.directives[low - 1].span[1]:
            return low - 1
        return None


# --- public entry points -----------------------------------------------------------


def scan_c(data: bytes, *, symbols_ending_in_module: frozenset[str] = frozenset()) -> CScan:
    """Scan one C or header file's bytes; never raises on malformed input.

    `symbols_ending_in_module` lists Kconfig symbols whose own name ends in
    `_MODULE`, so that `CONFIG_FOO_MODULE` is not read as "FOO is m" (empty
    for Linux).
    """
    if looks_binary(data):
        return binary_file_scan()
    directives = _find_directives(data, symbols_ending_in_module=symbols_ending_in_module)
    return build_scan(data, directives, symbols_ending_in_module=symbols_ending_in_module)


def binary_file_scan() -> CScan:
    """The scan of a file that is not text: nothing but a problem saying so."""
    return CScan((), (), (), (), (), (SyntaxProblem((0, 0), 0, "binary file, not scanned as C"),))


def find_config_references(
    data: bytes, *, symbols_ending_in_module: frozenset[str] = frozenset()
) -> tuple[ConfigReference, ...]:
    """The `CONFIG_` occurrences of a C file, for the workspace index.

    Most files never mention `CONFIG_`; they cost one `bytes.find`.
    """
    return index_c_file(data, symbols_ending_in_module=symbols_ending_in_module)[0]


def index_c_file(
    data: bytes, *, symbols_ending_in_module: frozenset[str] = frozenset()
) -> tuple[tuple[ConfigReference, ...], tuple[CDefinition, ...]]:
    """The references and the `CONFIG_` definitions of a C file, as cheaply as possible.

    The workspace collects the definitions of the whole tree: a name that some
    file defines as an enum member or register macro (rt2x00.h's
    `CONFIG_MONITORING`) is not a Kconfig reference in the files that use it.
    """
    if data.find(b"CONFIG_") < 0:
        return (), ()
    # Some files that contain the bytes `CONFIG_` only have them inside longer
    # names (`mmMC_CONFIG_...` register headers); they need no scan.
    for match in CONFIG_IDENTIFIER_BYTES_PATTERN.finditer(data):
        start = match.start()
        if not start or not is_identifier_byte(data[start - 1]):
            break
    else:
        return (), ()
    if looks_binary(data):
        return (), ()
    # The references need the directives' extents but not their conditions nor
    # the blocks, unless the file defines a `CONFIG_` name: whether that
    # definition is a fallback depends on its guard.
    builder = _ScanBuilder(data, _find_directives(data, with_conditions=False), symbols_ending_in_module)
    found = builder.references_without_structure()
    if found is None:
        scan = scan_c(data, symbols_ending_in_module=symbols_ending_in_module)
        return scan.references, scan.definitions
    return found


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


def build_scan(
    data: bytes,
    found: list[FoundDirective],
    *,
    symbols_ending_in_module: frozenset[str] = frozenset(),
) -> CScan:
    """Assemble a `CScan` from directives found by a front end (this scanner or tree-sitter).

    Both front ends share the block building, the reference classification
    and the policy; what they find independently is where the directives are,
    which parts of them are comments, and what their conditions mean.
    """
    builder = _ScanBuilder(data, found, symbols_ending_in_module)
    return builder.build()


# --- conditions ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConditionNode:
    """A C preprocessor expression as a syntax tree, before it becomes an `Expression`.

    `kind` is `identifier`, `number`, `literal` (character, string or header
    name), `defined`, `call` (`text` is the macro name, `children` the
    arguments), `unary` and `binary` (`text` is the operator), `ternary` or
    `parenthesized`. Both front ends build these trees, so that
    `condition_expression` gives them one meaning and one spelling.
    """

    kind: str
    text: str
    children: tuple[ConditionNode, ...] = ()


_COMPARISON_OPERATORS: Final = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def condition_expression(
    node: ConditionNode, symbols_ending_in_module: frozenset[str] = frozenset()
) -> Expression:
    """The meaning of a condition tree over Kconfig symbols.

    Logic (`!`, `&&`, `||`) and comparisons are kept; anything the engine
    cannot relate to Kconfig (other macros, arithmetic, `__has_include`)
    becomes `Unknown` with `render_condition_node` as its spelling.
    """
    kind = node.kind
    if kind == "parenthesized":
        inner = condition_expression(node.children[0], symbols_ending_in_module)
        # Keep the parentheses in the spelling of what the engine cannot read.
        return Unknown(render_condition_node(node)) if isinstance(inner, Unknown) else inner
    if kind == "binary":
        operator = node.text
        if operator in ("&&", "||"):
            operands = [condition_expression(child, symbols_ending_in_module) for child in node.children]
            return conjunction(*operands) if operator == "&&" else disjunction(*operands)
        if operator in _COMPARISON_OPERATORS:
            return Compare(
                _COMPARISON_OPERATORS[operator],
                condition_expression(node.children[0], symbols_ending_in_module),
                condition_expression(node.children[1], symbols_ending_in_module),
            )
        return Unknown(render_condition_node(node))
    if kind == "unary" and node.text == "!":
        return Not(condition_expression(node.children[0], symbols_ending_in_module))
    if kind == "identifier":
        if _is_config_name(node.text):
            symbol, module_suffix = split_config_identifier(node.text, symbols_ending_in_module)
            return CTest("value", symbol, module_suffix)
        return Unknown(node.text)
    if kind == "number":
        return Constant(node.text)
    if kind == "defined":
        if _is_config_name(node.text):
            symbol, module_suffix = split_config_identifier(node.text, symbols_ending_in_module)
            return CTest("defined", symbol, module_suffix)
        return Unknown(render_condition_node(node))
    if (
        kind == "call"
        and node.text in _IS_MACROS
        and len(node.children) == 1
        and node.children[0].kind == "identifier"
        and _is_config_name(node.children[0].text)
    ):
        symbol, module_suffix = split_config_identifier(node.children[0].text, symbols_ending_in_module)
        return CTest(node.text, symbol, module_suffix)
    return Unknown(render_condition_node(node))


def render_condition_node(node: ConditionNode) -> str:
    """One canonical spelling of a condition tree, independent of the source's spacing."""
    kind = node.kind
    if kind in ("identifier", "number", "literal"):
        return node.text
    if kind == "defined":
        return f"defined({node.text})"
    if kind == "call":
        return node.text + "(" + ", ".join(render_condition_node(child) for child in node.children) + ")"
    if kind == "unary":
        return node.text + render_condition_node(node.children[0])
    if kind == "binary":
        return f" {node.text} ".join(render_condition_node(child) for child in node.children)
    if kind == "ternary":
        condition, consequence, alternative = (render_condition_node(child) for child in node.children)
        return f"{condition} ? {consequence} : {alternative}"
    return "(" + render_condition_node(node.children[0]) + ")"


class ConditionSyntaxError(ValueError):
    """A condition the parser cannot read; the scanner turns it into a problem."""


_condition_cache: dict[tuple[str, str], tuple[Expression, str | None]] = {}


def directive_condition(
    kind: str, text: str, symbols_ending_in_module: frozenset[str] = frozenset()
) -> tuple[Expression, str | None]:
    """The condition of directive `kind` with condition text `text`, and a problem message or None.

    `text` must have comments and line continuations removed. Results are
    memoised: most conditions in a tree repeat (`#ifdef CONFIG_SMP`).
    """
    key = (kind, text)
    if not symbols_ending_in_module:
        cached = _condition_cache.get(key)
        if cached is not None:
            return cached
    result = _directive_condition(kind, text, symbols_ending_in_module)
    if not symbols_ending_in_module and len(_condition_cache) < 100_000:
        _condition_cache[key] = result
    return result


def _directive_condition(
    kind: str, text: str, symbols_ending_in_module: frozenset[str]
) -> tuple[Expression, str | None]:
    if kind in _NAME_TESTING_KINDS:
        match = _NAME_PATTERN.match(text)
        if match is None:
            return Unknown(text.strip()), f"#{kind} needs a macro name"
        name = match.group(1)
        expression = condition_expression(ConditionNode("defined", name), symbols_ending_in_module)
        return (Not(expression) if kind.endswith("ndef") else expression), None
    try:
        tree = parse_c_condition(text)
    except ConditionSyntaxError as error:
        return Unknown(" ".join(text.split())), f"malformed #{kind} condition: {error}"
    return condition_expression(tree, symbols_ending_in_module), None


_NAME_PATTERN: Final = re.compile(r"\s*([A-Za-z_$][A-Za-z0-9_$]*)")

_C_TOKEN: Final = re.compile(
    r"""[ \t\r\n\f\v]*+(?:
        (?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.'])*+)
      | (?P<literal>(?:L|u8|u|U)?'(?:[^'\\\n]|\\.)*+'|(?:L|u8|u|U)?"(?:[^"\\\n]|\\.)*+")
      | (?P<identifier>[A-Za-z_$][A-Za-z0-9_$]*+)
      | (?P<operator>\|\||&&|==|!=|<=|>=|<<|>>|[-+*/%<>!~&|^?:(),])
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
_HAS_INCLUDE_ARGUMENT: Final = re.compile(r"[ \t]*\([ \t]*(<[^>\n]*>|\"[^\"\n]*\")[ \t]*\)")

MAXIMUM_CONDITION_DEPTH: Final = 100

_BINARY_PRECEDENCE: Final = {
    "||": 1,
    "&&": 2,
    "|": 3,
    "^": 4,
    "&": 5,
    "==": 6,
    "!=": 6,
    "<": 7,
    ">": 7,
    "<=": 7,
    ">=": 7,
    "<<": 8,
    ">>": 8,
    "+": 9,
    "-": 9,
    "*": 10,
    "/": 10,
    "%": 10,
}


def parse_c_condition(text: str) -> ConditionNode:
    """Parse a `#if` condition (comments and continuations removed) into a `ConditionNode`.

    Raises `ConditionSyntaxError`. `&&` and `||` chains become one n-ary node
    (as tree-sitter's nested binary nodes are flattened by `condition_expression`).
    """
    tokens = _tokenize_condition(text)
    parser = _ConditionParser(tokens)
    if not tokens:
        raise ConditionSyntaxError("missing condition")
    tree = parser.parse_conditional()
    if parser.position < len(tokens):
        raise ConditionSyntaxError(f"unexpected '{tokens[parser.position][1]}'")
    return tree


def _tokenize_condition(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    length = len(text)
    while position < length:
        match = _C_TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            break
        kind = match.lastgroup
        value = match.group(kind)
        position = match.end()
        if kind == "bad":
            raise ConditionSyntaxError(f"unexpected character '{value}'")
        if kind == "identifier" and value in ("__has_include", "__has_include_next"):
            argument = _HAS_INCLUDE_ARGUMENT.match(text, position)
            if argument is not None:
                tokens.append(("literal", f"{value}({argument.group(1)})"))
                position = argument.end()
                continue
        tokens.append((kind, value))
    return tokens


class _ConditionParser:
    """Precedence climbing over C's operator table (ternary lowest, unary highest)."""

    __slots__ = ("depth", "position", "tokens")

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def parse_conditional(self) -> ConditionNode:
        self.depth += 1
        try:
            return self._parse_conditional()
        finally:
            self.depth -= 1

    def _parse_conditional(self) -> ConditionNode:
        # Deeper conditions exist only in fuzzing; refusing them keeps every
        # later recursive walk (conversion, printing) far from Python's limit.
        if self.depth > MAXIMUM_CONDITION_DEPTH:
            raise ConditionSyntaxError("condition nested too deeply")
        condition = self.parse_binary(1)
        if self._accept("?"):
            consequence = self.parse_conditional()
            if not self._accept(":"):
                raise ConditionSyntaxError("expected ':'")
            alternative = self.parse_conditional()
            return ConditionNode("ternary", "?", (condition, consequence, alternative))
        return condition

    def parse_binary(self, minimum_precedence: int) -> ConditionNode:
        left = self.parse_unary()
        nested = 0
        while self.position < len(self.tokens):
            kind, value = self.tokens[self.position]
            precedence = _BINARY_PRECEDENCE.get(value) if kind == "operator" else None
            if precedence is None or precedence < minimum_precedence:
                break
            self.position += 1
            right = self.parse_binary(precedence + 1)
            if value in ("&&", "||") and left.kind == "binary" and left.text == value:
                left = ConditionNode("binary", value, (*left.children, right))
            else:
                nested += 1
                if nested + self.depth > MAXIMUM_CONDITION_DEPTH:
                    raise ConditionSyntaxError("condition nested too deeply")
                left = ConditionNode("binary", value, (left, right))
        return left

    def parse_unary(self) -> ConditionNode:
        if self.position >= len(self.tokens):
            raise ConditionSyntaxError("expected an operand")
        kind, value = self.tokens[self.position]
        if kind == "operator" and value in ("!", "~", "-", "+"):
            self.position += 1
            self.depth += 1
            try:
                if self.depth > MAXIMUM_CONDITION_DEPTH:
                    raise ConditionSyntaxError("condition nested too deeply")
                return ConditionNode("unary", value, (self.parse_unary(),))
            finally:
                self.depth -= 1
        if kind == "operator" and value == "(":
            self.position += 1
            inner = self.parse_conditional()
            if not self._accept(")"):
                raise ConditionSyntaxError("expected ')'")
            return ConditionNode("parenthesized", "()", (inner,))
        if kind == "identifier":
            self.position += 1
            if value == "defined":
                return self._parse_defined()
            if self._accept("("):
                arguments: list[ConditionNode] = []
                if not self._accept(")"):
                    while True:
                        arguments.append(self.parse_conditional())
                        if self._accept(")"):
                            break
                        if not self._accept(","):
                            raise ConditionSyntaxError("expected ',' or ')'")
                return ConditionNode("call", value, tuple(arguments))
            return ConditionNode("identifier", value)
        if kind == "number":
            self.position += 1
            return ConditionNode("number", value)
        if kind == "literal":
            self.position += 1
            return ConditionNode("literal", value)
        raise ConditionSyntaxError(f"unexpected '{value}'")

    def _parse_defined(self) -> ConditionNode:
        parenthesized = self._accept("(")
        if self.position >= len(self.tokens) or self.tokens[self.position][0] != "identifier":
            raise ConditionSyntaxError("'defined' needs a macro name")
        name = self.tokens[self.position][1]
        self.position += 1
        if parenthesized and not self._accept(")"):
            raise ConditionSyntaxError("expected ')' after the name in 'defined'")
        return ConditionNode("defined", name)

    def _accept(self, operator: str) -> bool:
        if self.position < len(self.tokens):
            kind, value = self.tokens[self.position]
            if kind == "operator" and value == operator:
                self.position += 1
                return True
        return False


def _is_config_name(name: str) -> bool:
    return name.startswith(CONFIG_PREFIX) and len(name) > len(CONFIG_PREFIX)


# --- finding directives ------------------------------------------------------------------

_DIRECTIVE_CANDIDATE: Final = re.compile(
    rb"#[ \t]*(ifdef|ifndef|if|elifdef|elifndef|elif|else|endif)(?![A-Za-z0-9_$])"
)
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
    while True:
        match = _DIRECTIVE_CANDIDATE.search(data, position)
        if match is None:
            break
        start = match.start()
        position = match.end()
        line_start = _physical_line_start(data, start)
        if line_start != start and _NON_BLANK.search(data, line_start, start):
            continue
        # A directive starts a logical line: after a backslash continuation the
        # `#` is inside something else, such as a string template (bpftool's gen.c).
        if lines.logical_line_start(line_start) != line_start:
            continue
        if comments.comment_start(start) >= 0:
            continue
        kind = match.group(1).decode()
        end, comment_spans, unterminated_comment = _directive_extent(data, match.end())
        condition: Expression | None = None
        condition_span: Span | None = None
        problem: str | None = None
        if with_conditions and kind in _TESTING_KINDS:
            condition_span, text = condition_text(data, match.end(), end, comment_spans)
            condition, problem = directive_condition(kind, text, symbols_ending_in_module)
        if unterminated_comment:
            problem = "unterminated comment"
        found.append(
            FoundDirective(
                kind,
                start,
                (match.start(1), match.end(1)),
                end,
                comment_spans,
                condition,
                condition_span,
                problem,
            )
        )
        position = max(position, end)
    return found


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
    while span_end > span_start and data[span_end - 1] in b" \t\r\n\\\f\v":
        span_end -= 1
    while span_start < span_end and data[span_start] in b" \t\r\n\\\f\v":
        span_start += 1
    return (span_start, span_end), text


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
        while True:
            opener = data.rfind(b"/*", window_start, end)
            if opener < 0:
                break
            # The state just after the opener's first byte: `//*` is a line comment, not an opener.
            if self.lines.state(opener + 1) == _CODE:
                self.last_opener = opener
                break
            end = opener
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


# --- assembling a scan ------------------------------------------------------------------

_TEST_BEFORE: Final = re.compile(
    rb"(?:(?<![A-Za-z0-9_])(defined)[ \t]*\(?|(?<![A-Za-z0-9_])(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE)"
    rb"[ \t]*\()[ \t]*\Z"
)
_IS_CALL_BEFORE: Final = re.compile(
    rb"(?<![A-Za-z0-9_])(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE)\s*\(\s*\Z"
)
_PASTE_BEFORE: Final = re.compile(rb"##\s*\Z")
_TAG_BEFORE: Final = re.compile(rb"(?<![A-Za-z0-9_])(?:struct|union|enum)\s+\Z")
# Starts with a literal so that `re` searches fast; the preceding byte is checked apart.
_ENUM_HEAD: Final = re.compile(rb"enum(?![A-Za-z0-9_])[ \t\r\nA-Za-z0-9_]*+\{")
_COMMENTS: Final = re.compile(rb"/\*.*?\*/|//[^\n]*", re.DOTALL)
_PREPROCESSOR_LINES: Final = re.compile(rb"^[ \t]*#[^\n]*", re.MULTILINE)
_DIRECTIVE_HEAD: Final = re.compile(rb"[ \t]*#[ \t]*([A-Za-z_]*)")
_DEFINE_HEAD: Final = re.compile(rb"[ \t]*#[ \t]*define[ \t]+([A-Za-z_$][A-Za-z0-9_$]*)(\()?")
_WHITE_SPACE: Final = b" \t\r\n\f\v"


class _ScanBuilder:
    """Turns found directives into blocks, branches, references and definitions."""

    def __init__(
        self, data: bytes, found: list[FoundDirective], symbols_ending_in_module: frozenset[str]
    ) -> None:
        self.data = data
        self.found = found
        self.symbols_ending_in_module = symbols_ending_in_module
        self.problems: list[SyntaxProblem] = []
        self.lines = _LineCounter(data)
        self.enum_body_starts: list[int] | None = None
        self.enum_body_ends: list[int] | None = None

    def build(self) -> CScan:
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
        data = self.data
        found = self.found
        if data.find(b"CONFIG_") < 0:
            return (), (), {}
        line_context = _LineContext(data)
        comments = _BlockCommentTracker(data, line_context)
        lines = _LineCounter(data, anchor_offsets, anchor_lines)
        raw: list[_RawReference] = []
        definitions: list[CDefinition] = []
        undefined_first: dict[str, int] = {}
        directive_cursor = 0
        directive_count = len(found)
        for match in CONFIG_IDENTIFIER_BYTES_PATTERN.finditer(data):
            start = match.start()
            if start and is_identifier_byte(data[start - 1]):
                continue
            end = match.end()
            line = lines.line(start)
            while directive_cursor < directive_count and found[directive_cursor].end < start:
                directive_cursor += 1
            name = match.group().decode("ascii")
            test: str | None = None
            directive_index: int | None = None
            if directive_cursor < directive_count and found[directive_cursor].start <= start:
                directive_index = directive_cursor
                directive = found[directive_cursor]
                if any(
                    comment_start <= start < comment_end
                    for comment_start, comment_end in directive.comment_spans
                ):
                    kind = ReferenceKind.DIRECTIVE_COMMENT
                elif directive.kind in _TESTING_KINDS:
                    kind = ReferenceKind.CONDITION
                    test = self._condition_test(directive, start)
                else:
                    kind = ReferenceKind.DIRECTIVE_COMMENT
            else:
                kind, test = self._code_reference_kind(
                    comments, line_context, start, end, line, name, definitions
                )
                if kind == ReferenceKind.UNDEF:
                    undefined_first.setdefault(name, start)
            raw.append(_RawReference(name, start, end, line, kind, test, directive_index))
        return self._apply_policy(structure, raw, definitions, undefined_first)

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
        if _PASTE_BEFORE.search(before) or after.startswith(b"##") or end == start + len(CONFIG_PREFIX):
            return ReferenceKind.TOKEN_PASTE, None
        is_call = _IS_CALL_BEFORE.search(before)
        if is_call is not None:
            return ReferenceKind.IS_ENABLED_CALL, is_call.group(1).decode("ascii")
        if after.startswith(b"("):
            return ReferenceKind.MACRO_CALL, None
        stripped_before = before.rstrip(_WHITE_SPACE)
        if (
            stripped_before.endswith(b".") and not stripped_before.endswith(b"...")
        ) or stripped_before.endswith(b"->"):
            return ReferenceKind.MEMBER, None
        if _TAG_BEFORE.search(before):
            if after.startswith(b"{"):
                definitions.append(CDefinition(name, (start, end), line, "type_name"))
            return ReferenceKind.TYPE_NAME, None
        if stripped_before.endswith(b"}") and after[:1] in (b";", b","):
            definitions.append(CDefinition(name, (start, end), line, "type_name"))
            return ReferenceKind.TYPE_NAME, None
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
        counting = counting_kinds()
        references: list[ConfigReference] = []
        comment_references: dict[int, list[ConfigReference]] = {}
        for item in raw:
            symbol, module_suffix = split_config_identifier(item.name, self.symbols_ending_in_module)
            locally_defined = item.name in owned
            counts = (item.kind in counting or item.start in fallback_positions) and not locally_defined
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
            )
            references.append(reference)
            if item.kind == ReferenceKind.DIRECTIVE_COMMENT and item.directive is not None:
                comment_references.setdefault(item.directive, []).append(reference)
        return tuple(references), tuple(final_definitions), comment_references

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


@dataclass(frozen=True, slots=True)
class _RawReference:
    name: str
    start: int
    end: int
    line: int
    kind: ReferenceKind
    test: str | None
    directive: int | None


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
