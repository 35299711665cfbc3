"""Pure helpers of the block analysis over conditions: solver phase hints, and contradictions of free tests.

`hints` lists the symbol literals that make a Kconfig condition hold (or
fail) where that is plain (`X = y`, `X != n`, a bare symbol), so that a
model asked for "at least one of these questions" is steered towards them
(`votes`, by majority over many questions). `contradictory` decides a
condition whose every test is a free boolean (the "structure" cause of a
dead block: `#ifdef CONFIG_X` inside `#ifndef CONFIG_X`) by enumeration,
without the formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet

from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding
from kconfig_ls.syntax.expression import TRUE, And, Compare, Constant, Expression, Not, Or, Symbol, Unknown

__all__ = ["ENUMERATED", "consistent_choice", "contradictory", "excluded_by_world", "hints", "votes"]


def hints(encoding: Encoding, expression: Expression, positive: bool, out: list[int]) -> None:
    """The symbol literals that make a Kconfig condition hold (`positive`) or fail, where plain."""
    if isinstance(expression, Not):
        hints(encoding, expression.operand, not positive, out)
    elif isinstance(expression, (And, Or)):
        for operand in expression.operands:
            hints(encoding, operand, positive, out)
    elif isinstance(expression, Symbol):
        pair = encoding.symbol_variables.get(expression.name)
        if pair is not None:
            out.append(pair[0] if positive else -pair[0])
    elif (
        isinstance(expression, Compare)
        and isinstance(expression.left, Symbol)
        and isinstance(expression.right, Constant)
    ):
        pair = encoding.symbol_variables.get(expression.left.name)
        value, operator = expression.right.value, expression.operator
        if pair is None or operator not in ("=", "!="):
            return
        if operator == "!=":
            positive = not positive
        if value == "y":
            out.append(pair[1] if positive else -pair[1])
        elif value == "n":
            out.append(-pair[0] if positive else pair[0])
        elif value == "m" and positive:
            # `X = m` in a condition is `m && MODULES`; `X != m` is n or y, no one phase.
            out.extend((pair[0], -pair[1], encoding.modules_literal(encoding.worlds[0])))
    elif (
        isinstance(expression, Compare)
        and isinstance(expression.left, Unknown)
        and expression.operator == "="
        and expression.right == TRUE
    ):
        # A free test (`dead_blocks._free_boolean`): its own free variable, already encoded.
        literal = encoding.pair(expression, encoding.modules_literal(encoding.worlds[0]))[0]
        if abs(literal) != TRUE_LITERAL:
            out.append(literal if positive else -literal)


def votes(hints: Mapping[int, tuple[int, ...]], literals: Iterable[int]) -> list[int]:
    """The phases most of these questions' hints ask for (a literal wins over its negation on more votes)."""
    count: dict[int, int] = {}
    for literal in literals:
        for hint in hints.get(literal, ()):
            count[hint] = count.get(hint, 0) + 1
    return [
        hint
        for hint, votes in count.items()
        if votes > count.get(-hint, 0) or (votes == count.get(-hint, 0) and hint > 0)
    ]


def consistent_choice(
    hints: Mapping[int, tuple[int, ...]],
    questions: Iterable[int],
    world: int,
    excluded: AbstractSet[int],
    negations: Mapping[int, tuple[int, ...]] | None = None,
) -> tuple[list[int], set[int]]:
    """Questions whose hints agree with each other, and those hints: the phases of one model.

    Greedy, in the given order: a question joins when none of its hints (nor itself) is the
    negation of a hint taken before, and none is `excluded` (what cannot hold in `world`: the
    other worlds, a symbol the world does not define; a model is in one world). A model that
    follows these phases wherever the formula lets it satisfies many of the chosen questions
    at once, where a majority vote over a window satisfies a handful. `negations`: each
    question's hints negated, when the caller has them (the sampling asks hundreds of
    rounds over the same questions: set operations in C then do the comparing).
    """
    chosen: list[int] = []
    phases: set[int] = {world}
    agrees = phases.isdisjoint
    allowed = excluded.isdisjoint
    for question in questions:
        if -question in phases:
            continue
        wanted = hints.get(question, ())
        if wanted:
            against = negations[question] if negations is not None else tuple(-hint for hint in wanted)
            if not agrees(against) or not allowed(wanted):
                continue
            phases.update(wanted)
        phases.add(question)
        chosen.append(question)
    return chosen, phases


def excluded_by_world(encoding: Encoding) -> dict[int, frozenset[int]]:
    """Per world literal: the literals that cannot hold in it (other worlds, its undefined symbols on)."""
    worlds = {world: encoding.world_variable[world] for world in encoding.worlds}
    undefined: dict[str, list[int]] = {world: [] for world in worlds}
    for name, pair in encoding.symbol_variables.items():
        defined = encoding.types.get(name, {})
        for world in worlds:
            if world not in defined:
                undefined[world].extend(pair)
    return {
        literal: frozenset((*(other for other in worlds.values() if other != literal), *undefined[world]))
        for world, literal in worlds.items()
    }


def contradictory(expression: Expression) -> bool | None:
    """Whether a condition over free booleans only can never hold (None: not such a condition)."""
    keys: dict[str, int] = {}

    def collect(node: Expression) -> bool:
        if isinstance(node, (And, Or)):
            return all(collect(operand) for operand in node.operands)
        if isinstance(node, Not):
            return collect(node.operand)
        if isinstance(node, Compare) and isinstance(node.left, Unknown) and node.right == TRUE:
            keys.setdefault(node.left.text, len(keys))
            return node.operator == "="
        return isinstance(node, Constant) and not node.quoted and node.value in ("y", "n")

    if not collect(expression) or len(keys) > ENUMERATED:
        return None

    def holds(node: Expression, assignment: int) -> bool:
        if isinstance(node, And):
            return all(holds(operand, assignment) for operand in node.operands)
        if isinstance(node, Or):
            return any(holds(operand, assignment) for operand in node.operands)
        if isinstance(node, Not):
            return not holds(node.operand, assignment)
        if isinstance(node, Compare) and isinstance(node.left, Unknown):
            return bool(assignment >> keys[node.left.text] & 1)
        return isinstance(node, Constant) and node.value == "y"

    return not any(holds(expression, assignment) for assignment in range(1 << len(keys)))


ENUMERATED = 10
"""At most this many free booleans are enumerated (1,024 assignments); more go to the solver."""
