"""What a select's being in force tells about other symbols, and a dependency simplified under it.

select-visible's note names the part of the target's dependency that a
select leaves open. The logic names the unmet conjuncts, but a conjunct that
is a disjunction comes whole: U-Boot's SPL depends on
`ARM && ARCH_STM32MP || SUPPORT_SPL && !COMPILE_TEST`, and ARCH_K3, which
selects SPL, is a member of the same "Target select" choice as ARCH_STM32MP
and selects SUPPORT_SPL itself, so only `!COMPILE_TEST` is open.

`SelectorFacts` collects what holds whenever the select acts (the selector
is at least m, the select's condition and the selector's definition's
dependencies hold), as a range of values per symbol:

- each conjunct `X` of those is at least m, `!X` at most m (a bool symbol is
  then y, or n);
- the definition's unconditional selects are in force too (their target is
  at least m);
- a symbol known to be on that nobody selects has its dependencies met:
  the conjuncts common to all its definitions hold as well (a selected
  symbol may be forced on without them, so those are not followed);
- a bool choice member known to be y puts its choice in y mode: every
  other member of that choice is n;
- a symbol no Kconfig file defines is n, unless the build defines it
  outside them (the ecosystem's `unknown_symbols`: unknown).

`simplified` rewrites an expression only where that keeps its value in
every configuration with those facts: an operand of `&&` that is always y
goes, an operand of `||` that is always n goes. Where the whole expression
would become a constant (the facts contradict the logic's verdict, which
only happens if a fact were wrong), the caller keeps the text as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from kconfig_ls.semantics.model import KconfigModel, SymbolDefinition
from kconfig_ls.syntax.expression import FALSE, TRUE, And, Constant, Expression, Not, Or, Symbol, conjunction
from kconfig_ls.syntax.expression import disjunction as disjunction_of

Range = tuple[int, int]
"""The lowest and highest value a symbol or expression can have: 0 = n, 1 = m, 2 = y."""

_ANY: Final[Range] = (0, 2)
_FOLLOWED_DEPTH: Final = 3
"""How many steps of "X is on and nobody selects it, so its dependencies hold" are followed."""


class SelectorFacts:
    """The ranges of values symbols can take while `selector`'s select (with `condition`) acts."""

    def __init__(
        self,
        model: KconfigModel,
        selector: SymbolDefinition,
        condition: Expression | None,
        choices: ChoiceMembers | None = None,
    ) -> None:
        self._model = model
        self._choices = choices if choices is not None else ChoiceMembers(model)
        self._unknown = [re.compile(pattern) for pattern in model.settings.unknown_symbols]
        self._ranges: dict[str, Range] = {}
        self._learn(Symbol(selector.name))
        parts = [*_conjuncts(selector.direct_dependency())]
        if condition is not None:
            parts.extend(_conjuncts(condition))
        for part in parts:
            self._learn(part)
        for select in selector.selects:
            if select.condition is None:
                self._narrow(select.target, (1, 2))
        self._follow_dependencies()
        self._exclude_choice_siblings()

    def range_of(self, expression: Expression) -> Range:
        """The values `expression` can have under the facts (tristate logic: && is min, || is max)."""
        if isinstance(expression, Symbol):
            if expression.name in ("y", "m", "n"):
                return _constant(expression.name)
            found = self._ranges.get(expression.name)
            if found is not None:
                return found
            # A symbol no Kconfig file defines is n, unless the build defines it outside them
            # (Zephyr's `DT_HAS_<compat>_ENABLED`: unknown).
            if expression.name in self._model.definitions or any(
                pattern.fullmatch(expression.name) for pattern in self._unknown
            ):
                return _ANY
            return (0, 0)
        if isinstance(expression, Constant):
            return _constant(expression.value) if expression.value in ("y", "m", "n") else _ANY
        if isinstance(expression, Not):
            low, high = self.range_of(expression.operand)
            return (2 - high, 2 - low)
        if isinstance(expression, And):
            ranges = [self.range_of(operand) for operand in expression.operands]
            return (min(low for low, _ in ranges), min(high for _, high in ranges))
        if isinstance(expression, Or):
            ranges = [self.range_of(operand) for operand in expression.operands]
            return (max(low for low, _ in ranges), max(high for _, high in ranges))
        # Comparisons, probes, C tests: not modelled here.
        return _ANY

    def simplified(self, expression: Expression) -> Expression:
        """`expression` without the operands the facts settle, with the same value under them.

        Returns TRUE or FALSE when the facts settle the whole expression.
        """
        low, high = self.range_of(expression)
        if low == 2:
            return TRUE
        if high == 0:
            return FALSE
        if isinstance(expression, And):
            kept = [self.simplified(operand) for operand in expression.operands]
            return conjunction(*(operand for operand in kept if operand != TRUE))
        if isinstance(expression, Or):
            kept = [self.simplified(operand) for operand in expression.operands]
            return disjunction_of(*(operand for operand in kept if operand != FALSE))
        return expression

    def _learn(self, part: Expression) -> None:
        if isinstance(part, Symbol):
            self._narrow(part.name, (1, 2))
        elif isinstance(part, Not) and isinstance(part.operand, Symbol):
            self._narrow(part.operand.name, (0, 1))

    def _narrow(self, name: str, wanted: Range) -> None:
        if name in ("y", "m", "n"):
            return
        low, high = self._ranges.get(name, _ANY)
        low, high = max(low, wanted[0]), min(high, wanted[1])
        if self._is_bool(name):
            # A bool is never m: at least m is y, at most m is n.
            low, high = (2 if low >= 1 else 0), (0 if high <= 1 else 2)
        if low > high:
            # Contradictory facts (a selector that can never be on): claim nothing about the name.
            low, high = _ANY
        self._ranges[name] = (low, high)

    def _is_bool(self, name: str) -> bool:
        types = {definition.type_name for definition in self._model.definitions.get(name, ())}
        types.discard(None)
        return types == {"bool"}

    def _follow_dependencies(self) -> None:
        followed: set[str] = set()
        for _ in range(_FOLLOWED_DEPTH):
            on = [name for name, (low, _) in self._ranges.items() if low >= 1 and name not in followed]
            if not on:
                return
            for name in on:
                followed.add(name)
                definitions = self._model.definitions.get(name, ())
                if not definitions or self._model.selected_by.get(name):
                    continue
                # A symbol nobody selects is never above its dependency, the OR of its definitions'.
                common = set(_conjuncts(definitions[0].direct_dependency()))
                for other in definitions[1:]:
                    common &= set(_conjuncts(other.direct_dependency()))
                for part in common:
                    self._learn(part)

    def _exclude_choice_siblings(self) -> None:
        for name, (low, _) in list(self._ranges.items()):
            if low < 2 or not self._is_bool(name):
                continue
            choice = _only_choice(self._model.definitions.get(name, ()))
            if choice is None:
                continue
            # A bool member at y puts the choice in y mode: exactly one member is y.
            for definition in self._choices.of(choice):
                if (
                    definition.name != name
                    and self._is_bool(definition.name)
                    and _only_choice(self._model.definitions.get(definition.name, ())) is choice
                ):
                    self._narrow(definition.name, (0, 0))


class ChoiceMembers:
    """The definitions inside each choice block of a model, listed on first use (one per run)."""

    def __init__(self, model: KconfigModel) -> None:
        self._model = model
        self._members: dict[int, list[SymbolDefinition]] | None = None

    def of(self, choice: object) -> list[SymbolDefinition]:
        if self._members is None:
            self._members = {}
            for definitions in self._model.definitions.values():
                for definition in definitions:
                    if definition.choice is not None:
                        self._members.setdefault(id(definition.choice), []).append(definition)
        return self._members.get(id(choice), [])


def _only_choice(definitions: Sequence[SymbolDefinition]) -> object | None:
    """The choice every definition is in, if they all are in the same one."""
    if not definitions:
        return None
    choice = definitions[0].choice
    if choice is None or any(definition.choice is not choice for definition in definitions[1:]):
        return None
    return choice


def _conjuncts(expression: Expression) -> tuple[Expression, ...]:
    if expression == TRUE:
        return ()
    return expression.operands if isinstance(expression, And) else (expression,)


def _constant(value: str) -> Range:
    level = {"n": 0, "m": 1, "y": 2}[value]
    return (level, level)
