"""Comparisons of int, hex and string values in the formula: exact where the values are known.

Apart from `tristate_encoding` because it is a model of its own: the values
an operand can take in a world (`_value_cases`: a constant, or a prompt-less
symbol's defaults followed through their conditions) and, per pair of
values, whether the C tools call the comparison true, false or cannot tell
(`_undecided`). ESP-IDF's `IDF_TARGET="esp32"` is one constant per target
world; `ESP_REV_MIN_FULL >= 300` follows the revision choice.

The clauses carry the activation literals of the symbols whose defaults
they read, so an edit that re-encodes one of them retires them with it;
`Encoding.reencode_symbols` then ties the comparison again to the new values
(`Encoding.comparisons_reading` says which comparisons read which symbol).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kconfig_ls.logic.evaluate import compare_values
from kconfig_ls.semantics.worlds import ESP_IDF_WORLDS
from kconfig_ls.syntax.expression import Compare, Constant, Expression, Symbol

if TYPE_CHECKING:
    from kconfig_ls.logic.tristate_encoding import Encoding

__all__ = ["tie_to_values"]

TRUE_LITERAL = 1
"""As `tristate_encoding.TRUE_LITERAL` (variable 1 is constrained true)."""

_BOOL_TRISTATE = ("bool", "tristate")
_ENVIRONMENT_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")
_HEX_PREFIXED = re.compile(r"[-+]?0[xX][0-9a-fA-F]+")
_TRISTATE_NAMES = frozenset(("y", "m", "n"))
_NUMBER = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+)")


def tie_to_values(
    encoding: Encoding, expression: Compare, result: int, worlds: list[str], modelled: set[str]
) -> None:
    """Tie `result` to the comparison of known operand values in each of `worlds` (see `Encoding._compare`).

    Per world, every pair of values the two sides can take is decided
    true or false as the C tools and kconfiglib decide it (as numbers
    when both parse as numbers, else as strings: `"" < 300`), or left
    undecided where `y`, `m` or `n` meets a number or another of them
    (numbers to the evaluator, strings to the C tools for an int symbol);
    a side's value the user sets (a shown prompt) is undecided too.
    `result` holds when a true pair does, and only when a true or an
    undecided pair does. Worlds with the same clauses share them.
    """
    if not isinstance(expression.left, Symbol) and not isinstance(expression.right, Symbol):
        # Two constants come from expanding the environment (ESP-IDF's `"$(IDF_CI_BUILD)" =
        # "y"`): the preset's value is a guess that lets the tree load, not every build's.
        return
    if any(
        isinstance(side, Constant) and not side.quoted and side.value in _TRISTATE_NAMES
        for side in (expression.left, expression.right)
    ):
        # `X = y` of an int, hex or string X: what the block rules make of `#ifdef CONFIG_X`
        # (`kconfig_ls.logic.guards`), where it means "X has a value" (U-Boot's string
        # SYS_FSL_PCIE_COMPAT), not a comparison with "y". Left free.
        return
    groups: dict[tuple[int, int, tuple[int, ...]], list[str]] = {}
    for world in worlds:
        used: set[str] = set()
        left = _value_cases(encoding, expression.left, world, used, 0)
        right = _value_cases(encoding, expression.right, world, used, 0) if left is not None else None
        if left is None or right is None:
            continue
        true_pairs: list[int] = []
        undecided: list[int] = [left[1], right[1]]
        for left_value, left_literal in left[0].items():
            for right_value, right_literal in right[0].items():
                both = encoding.conjoin((left_literal, right_literal))
                if both == -TRUE_LITERAL:
                    continue
                if _undecided(left_value, right_value):
                    undecided.append(both)
                elif compare_values(expression.operator, left_value, right_value):
                    true_pairs.append(both)
        for name in used:
            encoding.comparisons_reading.setdefault(name, set()).add(expression)
        activations = tuple(sorted(encoding.activation_literal(name) for name in used))
        unsure = encoding.disjoin(undecided)
        key = (encoding.disjoin(true_pairs), unsure, activations)
        groups.setdefault(key, []).append(world)
        if unsure == -TRUE_LITERAL:
            modelled.add(world)
    for (holds, unsure, activations), group in groups.items():
        prefix = [-literal for literal in activations]
        guard = encoding.world_set(group)
        encoding.clauses.append([*prefix, -guard, -holds, result])
        encoding.clauses.append([*prefix, -guard, -result, holds, unsure])


def _value_cases(
    encoding: Encoding, side: Expression, world: str, used: set[str], depth: int
) -> tuple[dict[str, int], int] | None:
    """The values an operand can take in a world, each with the literal "it has this value".

    Returns the cases and an "unknown" literal: exactly one of them holds.
    A constant is its text; an int, hex or string symbol takes the
    user's value while a prompt is shown (unknown), else its first
    default whose condition holds (the C tools' `sym_get_default_prop`),
    or the empty string when none does. A symbol undefined in the world
    is its own name. None where the value is not known at all: a range
    (clamping), `option env`, a bool/tristate symbol, a default that is
    not a constant or such a symbol, a hex value without `0x`, or a
    chain of more than eight symbols. The symbols read are added to `used`.
    """
    if isinstance(side, Constant):
        if "$" not in side.value:
            return ({side.value: TRUE_LITERAL}, -TRUE_LITERAL)
        # ESP-IDF's `default "$IDF_TARGET"`: its tools expand `$VAR` in strings, and in a
        # target's world the variable is that target. Any other variable is not known here.
        reference = _ENVIRONMENT_REFERENCE.fullmatch(side.value)
        if world and reference is not None and reference.group(1) == ESP_IDF_WORLDS.variable:
            return ({world: TRUE_LITERAL}, -TRUE_LITERAL)
        return None
    if not isinstance(side, Symbol) or depth > 8:
        return None
    semantics = encoding.tables[world].get(side.name)
    if semantics is None:
        # Undefined in the world: its own name, as for the C tools and kconfiglib.
        return ({side.name: TRUE_LITERAL}, -TRUE_LITERAL)
    if semantics.type in _BOOL_TRISTATE or semantics.type is None:
        return None
    if semantics.ranges or semantics.choice is not None:
        return None
    if any(
        option.split("=", 1)[0].strip() == "env"
        for definition in semantics.definitions
        for option, _ in definition.entry.options
    ):
        return None
    used.add(side.name)
    modules = encoding.modules_literal(world)
    visible = encoding.pair(semantics.visibility, modules)[0]
    cases: dict[str, list[int]] = {}
    unsure: list[int] = [visible]
    none_before = -visible
    for default in semantics.defaults:
        applies = encoding.pair(default.condition, modules)[0]
        reached = encoding.conjoin((none_before, applies))
        if reached != -TRUE_LITERAL:
            values = _value_cases(encoding, default.value, world, used, depth + 1)
            if values is None:
                return None
            for value, literal in values[0].items():
                cases.setdefault(value, []).append(encoding.conjoin((reached, literal)))
            unsure.append(encoding.conjoin((reached, values[1])))
        none_before = encoding.conjoin((none_before, -applies))
        if none_before == -TRUE_LITERAL:
            break
    if none_before != -TRUE_LITERAL:
        cases.setdefault("", []).append(none_before)
    if semantics.type == "hex" and any(value and not _HEX_PREFIXED.fullmatch(value) for value in cases):
        # A hex value without `0x` is base 16 to the C tools and decimal to the evaluator.
        return None
    return (
        {value: encoding.disjoin(literals) for value, literals in cases.items()},
        encoding.disjoin(unsure),
    )


def _undecided(left: str, right: str) -> bool:
    """Whether the tools may disagree on comparing two values: `y`, `m` or `n` against a number or another."""
    if left == right or not _TRISTATE_NAMES.intersection((left, right)):
        return False
    return all(value in _TRISTATE_NAMES or _NUMBER.fullmatch(value) for value in (left, right))
