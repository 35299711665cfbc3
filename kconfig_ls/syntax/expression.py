"""Kconfig and C-guard expressions as plain data.

Expressions are the engine's common currency: Kconfig `depends on`, `if`,
`default` and `select ... if` conditions, and C preprocessor guards
(`#if IS_ENABLED(CONFIG_X) && !defined(CONFIG_Y)`) are all parsed into the same
immutable node types. Keeping them as data (instead of strings or closures)
is what lets one tree be printed for a hover, evaluated against a `.config`
(`kconfig_ls.logic.evaluate`) and, later, encoded for a SAT solver.

The parser here is hand-written for speed: the Linux tree has ~50,000
expressions, and parsing is memoised per distinct text (most `depends on`
lines repeat), see `parse_expression`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from kconfig_ls.syntax.records import fast_init

__all__ = [
    "And",
    "CTest",
    "Compare",
    "Constant",
    "Expression",
    "ExpressionSyntaxError",
    "Not",
    "Or",
    "Symbol",
    "Unknown",
    "TRUE",
    "FALSE",
    "conjunction",
    "disjunction",
    "implication",
    "negation",
    "MAX_EXPRESSION_DEPTH",
    "parse_expression",
    "parse_expression_with_names",
    "quoted_prefix",
    "referenced_symbols",
    "render",
]


@fast_init
@dataclass(frozen=True, slots=True)
class Symbol:
    """A reference to a Kconfig symbol by name, such as `MMU`."""

    name: str


@fast_init
@dataclass(frozen=True, slots=True)
class Constant:
    """A constant operand: `y`, `m`, `n`, a number, or a quoted string.

    `quoted` remembers the spelling so that printing round-trips.
    """

    value: str
    quoted: bool = False


@fast_init
@dataclass(frozen=True, slots=True)
class Unknown:
    """A value the engine refuses to compute, such as `$(cc-option,-mfoo)`.

    Loading a tree never runs its commands, so a compiler probe is unknown:
    what depends on it is unknown rather than wrongly `n`. `text` is the
    original spelling, kept for hovers and messages.
    """

    text: str


@fast_init
@dataclass(frozen=True, slots=True)
class Not:
    operand: Expression


@fast_init
@dataclass(frozen=True, slots=True)
class And:
    """N-ary conjunction; operands are flattened (never a nested `And`)."""

    operands: tuple[Expression, ...]


@fast_init
@dataclass(frozen=True, slots=True)
class Or:
    """N-ary disjunction; operands are flattened (never a nested `Or`)."""

    operands: tuple[Expression, ...]


@fast_init
@dataclass(frozen=True, slots=True)
class Compare:
    """`left OP right` with OP one of `=`, `!=`, `<`, `<=`, `>`, `>=`."""

    operator: str
    left: Expression
    right: Expression


@fast_init
@dataclass(frozen=True, slots=True)
class CTest:
    """A C preprocessor test of a Kconfig symbol, kept in its C spelling.

    `test` is one of `defined` (`defined(CONFIG_X)`, `#ifdef CONFIG_X`),
    `IS_ENABLED`, `IS_BUILTIN`, `IS_MODULE`, `IS_REACHABLE` or `value`
    (a bare `CONFIG_X` in `#if`). `module_suffix` is true for
    `CONFIG_X_MODULE`, which tests whether X is `m`. The symbol is the Kconfig
    name without the `CONFIG_` prefix. The logic layer gives each test its
    tristate meaning; the printer gives back the C spelling.
    """

    test: str
    symbol: str
    module_suffix: bool = False


Expression = Symbol | Constant | Unknown | Not | And | Or | Compare | CTest

TRUE: Final = Constant("y")
FALSE: Final = Constant("n")


class ExpressionSyntaxError(ValueError):
    """Raised by `parse_expression`; `offset` is relative to the text parsed."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


# --- construction helpers ----------------------------------------------------


def conjunction(*operands: Expression) -> Expression:
    """`a && b && ...`, flattened, with `y` operands dropped."""
    flat: list[Expression] = []
    for operand in operands:
        if isinstance(operand, And):
            flat.extend(operand.operands)
        elif operand == TRUE:
            continue
        else:
            flat.append(operand)
    if not flat:
        return TRUE
    if len(flat) == 1:
        return flat[0]
    return And(tuple(flat))


def disjunction(*operands: Expression) -> Expression:
    """`a || b || ...`, flattened, with `n` operands dropped."""
    flat: list[Expression] = []
    for operand in operands:
        if isinstance(operand, Or):
            flat.extend(operand.operands)
        elif operand == FALSE:
            continue
        else:
            flat.append(operand)
    if not flat:
        return FALSE
    if len(flat) == 1:
        return flat[0]
    return Or(tuple(flat))


def negation(operand: Expression) -> Expression:
    if isinstance(operand, Not):
        return operand.operand
    return Not(operand)


def implication(condition: Expression, consequence: Expression) -> Expression:
    """`condition -> consequence`, spelled `consequence || !condition`.

    This is how `depends on X if Y` (Linux 6.18+) is modelled: X is required
    only while Y holds.
    """
    if condition == TRUE:
        return consequence
    return disjunction(consequence, negation(condition))


# --- queries -------------------------------------------------------------------


def referenced_symbols(expression: Expression) -> Iterator[str]:
    """Every symbol name the expression mentions, in order, with repeats."""
    if isinstance(expression, Symbol):
        yield expression.name
        return
    stack: list[Expression] = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, Symbol):
            yield node.name
        elif isinstance(node, CTest):
            yield node.symbol
        elif isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, (And, Or)):
            stack.extend(reversed(node.operands))
        elif isinstance(node, Compare):
            stack.append(node.right)
            stack.append(node.left)


_PRECEDENCE_OR: Final = 1
_PRECEDENCE_AND: Final = 2
_PRECEDENCE_NOT: Final = 3
_PRECEDENCE_ATOM: Final = 4


def render(expression: Expression, *, c_syntax: bool = False) -> str:
    """Print an expression in Kconfig syntax (or C syntax for guards).

    Parentheses are added only where precedence requires them, so
    `render(parse_expression(text))` is a normalised form of `text`.
    """
    return _render(expression, 0, c_syntax)


def _render(expression: Expression, parent_precedence: int, c_syntax: bool) -> str:
    text: str
    precedence: int
    if isinstance(expression, Symbol):
        text, precedence = (("CONFIG_" + expression.name) if c_syntax else expression.name), _PRECEDENCE_ATOM
    elif isinstance(expression, Constant):
        text = f'"{expression.value}"' if expression.quoted else expression.value
        precedence = _PRECEDENCE_ATOM
    elif isinstance(expression, Unknown):
        text, precedence = expression.text, _PRECEDENCE_ATOM
    elif isinstance(expression, CTest):
        name = "CONFIG_" + expression.symbol + ("_MODULE" if expression.module_suffix else "")
        if expression.test == "value":
            text = name
        elif expression.test == "defined" and not c_syntax:
            text = f"defined({name})"
        else:
            text = f"{expression.test}({name})"
        precedence = _PRECEDENCE_ATOM
    elif isinstance(expression, Not):
        text = "!" + _render(expression.operand, _PRECEDENCE_NOT, c_syntax)
        precedence = _PRECEDENCE_NOT
    elif isinstance(expression, And):
        text = " && ".join(_render(o, _PRECEDENCE_AND, c_syntax) for o in expression.operands)
        precedence = _PRECEDENCE_AND
    elif isinstance(expression, Or):
        text = " || ".join(_render(o, _PRECEDENCE_OR + 1, c_syntax) for o in expression.operands)
        precedence = _PRECEDENCE_OR
    else:
        operator = "==" if (c_syntax and expression.operator == "=") else expression.operator
        text = (
            _render(expression.left, _PRECEDENCE_ATOM, c_syntax)
            + f" {operator} "
            + _render(expression.right, _PRECEDENCE_ATOM, c_syntax)
        )
        precedence = _PRECEDENCE_NOT
    if precedence < parent_precedence:
        return f"({text})"
    return text


# --- parsing -------------------------------------------------------------------

# One token per match: operators first (longest first), then a quoted string,
# a macro reference `$(...)` with one level of nested parentheses handled by
# the scanner below, or a word. Words include `-` and `.` because Kconfig
# accepts numbers such as `-1` and `0x1f` and constant symbols such as `3.5`.
_TOKEN_PATTERN: Final = re.compile(
    r"""\s*(?:
        (?P<operator>&&|\|\||!=|<=|>=|[!=<>()])
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<macro>\$\()
      | (?P<word>[A-Za-z0-9_.+\-/]+)
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)

_WORD_CHARACTERS: Final = re.compile(r"[A-Za-z0-9_.+\-/]+")
_NUMBER_PATTERN: Final = re.compile(r"-?(?:0[xX][0-9a-fA-F]+|[0-9]+)")

_COMPARISON_OPERATORS: Final = frozenset({"=", "!=", "<", "<=", ">", ">="})

# How deep `!` and parentheses may nest. Real trees stay below 10; the limit
# keeps the recursive parser, printer and evaluators far from Python's
# recursion limit on hostile input (329 parentheses or 987 `!` crashed them).
MAX_EXPRESSION_DEPTH: Final = 100

# How much of the user's text a message quotes: a file that is not Kconfig at
# all (a symlink to a secret, say) must not be echoed into findings.
_QUOTE_LIMIT: Final = 60

# text -> (expression, symbol names with their character offsets in text)
_cache: dict[str, tuple[Expression, tuple[tuple[str, int], ...]]] = {}


def quoted_prefix(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """`text` for a message: at most `limit` characters, an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit] + "..."


def parse_expression(text: str) -> Expression:
    """Parse a Kconfig expression; raise `ExpressionSyntaxError` if malformed.

    Results are memoised per text: the trees are immutable, so sharing is safe.
    `$(...)` macro references become `Unknown` operands here; the workspace
    model expands macros it can evaluate before calling this function.
    """
    cached = _cache.get(text)
    if cached is not None:
        return cached[0]
    return _parse_and_remember(text)[0]


def parse_expression_with_names(text: str) -> tuple[Expression, tuple[tuple[str, int], ...]]:
    """The expression and every symbol name in it, with its character offset in `text`.

    The names are those that become `Symbol` operands, in text order, repeats
    included; they come from the tokens, so a caller can give each use of a
    name its exact span without searching the text again.
    """
    cached = _cache.get(text)
    if cached is not None:
        return cached
    return _parse_and_remember(text)


def _parse_and_remember(text: str) -> tuple[Expression, tuple[tuple[str, int], ...]]:
    tokens = _tokenize(text)
    parser = _Parser(tokens, len(text))
    expression = parser.parse_or()
    if parser.position < len(tokens):
        _kind, value, offset = tokens[parser.position]
        raise ExpressionSyntaxError(f"unexpected '{quoted_prefix(value)}' in expression", offset)
    result = (expression, tuple((value, offset) for kind, value, offset in tokens if kind == "symbol"))
    if len(_cache) < 200_000:
        _cache[text] = result
    return result


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    position = 0
    length = len(text)
    while position < length:
        match = _TOKEN_PATTERN.match(text, position)
        if match is None:  # only trailing white space is left
            break
        kind = match.lastgroup
        if kind is None:
            break
        start = match.start(kind)
        if kind == "macro" or kind == "word":
            # A word may embed macro references, as in Zephyr's
            # `$(module)_LOG_LEVEL`: glue word characters and `$(...)` runs.
            end = start
            while end < length:
                if text.startswith("$(", end):
                    end = _macro_end(text, end)
                    continue
                word = _WORD_CHARACTERS.match(text, end)
                if word is None or word.end() == end:
                    break
                end = word.end()
            value = text[start:end]
            if "$(" in value:
                whole_macro = value.startswith("$(") and _macro_end(value, 0) == len(value)
                word_kind = "macro" if whole_macro else "word"
            elif value in ("y", "n", "m") or _NUMBER_PATTERN.fullmatch(value):
                word_kind = "word"
            else:
                word_kind = "symbol"
            tokens.append((word_kind, value, start))
            position = end
            continue
        if kind == "bad":
            raise ExpressionSyntaxError(f"unexpected character '{match.group(kind)}'", start)
        tokens.append((kind, match.group(kind), start))
        position = match.end()
    return tokens


def _macro_end(text: str, start: int) -> int:
    """End offset of the `$(...)` starting at `start`, nesting included."""
    depth = 0
    index = start + 1
    while index < len(text):
        character = text[index]
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise ExpressionSyntaxError("unterminated '$(' in expression", start)


class _Parser:
    """Recursive descent over the token list, Kconfig precedence: ! > = > && > ||."""

    __slots__ = ("depth", "position", "text_length", "tokens")

    def __init__(self, tokens: list[tuple[str, str, int]], text_length: int) -> None:
        self.tokens = tokens
        self.position = 0
        self.text_length = text_length
        self.depth = 0

    def parse_or(self) -> Expression:
        operands = [self.parse_and()]
        while self._accept_operator("||"):
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else disjunction(*operands)

    def parse_and(self) -> Expression:
        operands = [self.parse_unary()]
        while self._accept_operator("&&"):
            operands.append(self.parse_unary())
        if len(operands) == 1:
            return operands[0]
        flat: list[Expression] = []
        for operand in operands:
            flat.extend(operand.operands if isinstance(operand, And) else (operand,))
        return And(tuple(flat))

    def parse_unary(self) -> Expression:
        if self.position < len(self.tokens):
            kind, value, offset = self.tokens[self.position]
            if kind == "operator" and (value == "!" or value == "("):
                self.position += 1
                self.depth += 1
                if self.depth > MAX_EXPRESSION_DEPTH:
                    raise ExpressionSyntaxError(
                        f"expression nested deeper than {MAX_EXPRESSION_DEPTH} levels of '!' and '('",
                        offset,
                    )
                inner: Expression
                if value == "!":
                    inner = Not(self.parse_unary())
                else:
                    inner = self.parse_or()
                    if not self._accept_operator(")"):
                        raise ExpressionSyntaxError("expected ')'", self._offset())
                self.depth -= 1
                return inner
        left = self.parse_operand()
        if self.position < len(self.tokens):
            kind, value, _ = self.tokens[self.position]
            if kind == "operator" and value in _COMPARISON_OPERATORS:
                self.position += 1
                right = self.parse_operand()
                return Compare(value, left, right)
        return left

    def parse_operand(self) -> Expression:
        if self.position >= len(self.tokens):
            raise ExpressionSyntaxError("expected a symbol or a value", self.text_length)
        kind, value, offset = self.tokens[self.position]
        if kind == "symbol":
            self.position += 1
            return Symbol(value)
        if kind == "word":
            self.position += 1
            if "$(" in value:
                return Unknown(value)
            return Constant(value)
        if kind == "string":
            self.position += 1
            return Constant(value[1:-1], quoted=True)
        if kind == "macro":
            self.position += 1
            return Unknown(value)
        raise ExpressionSyntaxError(f"expected a symbol or a value, found '{quoted_prefix(value)}'", offset)

    def _accept_operator(self, operator: str) -> bool:
        if self.position < len(self.tokens):
            kind, value, _ = self.tokens[self.position]
            if kind == "operator" and value == operator:
                self.position += 1
                return True
        return False

    def _offset(self) -> int:
        if self.position < len(self.tokens):
            return self.tokens[self.position][2]
        return self.text_length
