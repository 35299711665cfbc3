"""The C preprocessor condition language: parsing `#if` text and giving it a Kconfig meaning.

`parse_c_condition` turns a condition (comments and continuations removed)
into a `ConditionNode` tree; `condition_expression` maps a tree to the
engine's `Expression` over Kconfig symbols; `directive_condition` does both
for one directive, memoised. Both C front ends (the byte scanner and
tree-sitter) share this meaning. Split from `c_preprocessor`, which
re-exports the public names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from kconfig_ls.syntax.config_reference import CONFIG_PREFIX, split_config_identifier
from kconfig_ls.syntax.expression import (
    Compare,
    Constant,
    CTest,
    Expression,
    Not,
    Unknown,
    conjunction,
    disjunction,
)

__all__ = [
    "MAXIMUM_CONDITION_DEPTH",
    "ConditionNode",
    "ConditionSyntaxError",
    "condition_expression",
    "directive_condition",
    "parse_c_condition",
    "render_condition_node",
]

_NAME_TESTING_KINDS: Final = frozenset({"ifdef", "ifndef", "elifdef", "elifndef"})
_IS_MACROS: Final = frozenset({"IS_ENABLED", "IS_BUILTIN", "IS_MODULE", "IS_REACHABLE"})
_NAME_ARGUMENT_MACROS: Final = frozenset({"CONFIG_IS_ENABLED", "CONFIG"})


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
    if (
        kind == "call"
        and node.text in _NAME_ARGUMENT_MACROS
        and node.children
        and node.children[0].kind == "identifier"
        and not node.children[0].text.startswith(CONFIG_PREFIX)
    ):
        # U-Boot's `CONFIG_IS_ENABLED(X)` (X in this build phase) and coreboot's
        # `CONFIG(X)` test the symbol named by their bare argument. No other
        # tree defines these names, so they are read the same everywhere.
        return CTest("IS_ENABLED", node.children[0].text)
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
    if "__has_include" in text:
        return _tokenize_condition_with_includes(text)
    # One `finditer` instead of a `match` per token (a line of 200,000 terms has
    # a million tokens); a gap between matches is where the loop below stops.
    tokens: list[tuple[str, str]] = []
    position = 0
    for match in _C_TOKEN.finditer(text):
        if match.start() != position:
            break
        kind = match.lastgroup
        if kind is None:
            break
        value = match.group(kind)
        position = match.end()
        if kind == "bad":
            raise ConditionSyntaxError(f"unexpected character '{value}'")
        tokens.append((kind, value))
    return tokens


def _tokenize_condition_with_includes(text: str) -> list[tuple[str, str]]:
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
        # The operands of a run of one `&&` or `||` operator, collected in a list and
        # made one n-ary node at the end: rebuilding the node per operand made a line
        # of 200,000 `||` terms quadratic (issue 13).
        chain: list[ConditionNode] = []
        chain_operator = ""
        while self.position < len(self.tokens):
            kind, value = self.tokens[self.position]
            precedence = _BINARY_PRECEDENCE.get(value) if kind == "operator" else None
            if precedence is None or precedence < minimum_precedence:
                break
            self.position += 1
            right = self.parse_binary(precedence + 1)
            if chain and value == chain_operator:
                chain.append(right)
                continue
            if chain:
                left = ConditionNode("binary", chain_operator, tuple(chain))
                chain = []
            nested += 1
            if nested + self.depth > MAXIMUM_CONDITION_DEPTH:
                raise ConditionSyntaxError("condition nested too deeply")
            if value in ("&&", "||"):
                chain = [left, right]
                chain_operator = value
            else:
                left = ConditionNode("binary", value, (left, right))
        if chain:
            left = ConditionNode("binary", chain_operator, tuple(chain))
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
