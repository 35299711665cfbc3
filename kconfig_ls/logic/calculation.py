"""The calculation behind `kconfig_ls.logic.configuration`: `sym_calc_value` on a symbol table.

`CompiledTable`: what does not depend on a configuration (symbols as tuples,
and who reads whom, for incremental re-evaluation). `Evaluation`: one
memoised recursion over it, branch for branch kconfiglib's `Symbol.tri_value`,
`str_value`, `visibility` and `Choice.tri_value`/`selection`; each value
comes with its `Decision`.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

from kconfig_ls.logic.compiled_table import MODE_PREFIX as _MODE_PREFIX
from kconfig_ls.logic.compiled_table import SELECTION_PREFIX as _SELECTION_PREFIX
from kconfig_ls.logic.compiled_table import CompiledSymbol as _CompiledSymbol
from kconfig_ls.logic.compiled_table import CompiledTable as CompiledTable
from kconfig_ls.logic.compiled_table import mode_node as _mode_node
from kconfig_ls.logic.compiled_table import selection_node as _selection_node
from kconfig_ls.logic.config_input import ConfigSource, UserAssignment, is_generated_config
from kconfig_ls.logic.decisions import (
    DECISION_CHOICE_DEFAULTS,
    DECISION_CHOICE_FIRST,
    DECISION_CHOICE_M,
    DECISION_CHOICE_OTHER,
    DECISION_CHOICE_USER,
    DECISION_DEFAULTS,
    DECISION_FROM_FILE,
    DECISION_IMPLIED,
    DECISION_NO_DEFAULT,
    DECISION_RANGE,
    DECISION_SELECTED,
    DECISION_TRANSITIONAL,
    DECISION_UNDEFINED,
    DECISION_UNKNOWN,
    DECISION_USER,
    DECISION_USER_LIMITED,
    PLACEHOLDER_VALUE,
    Decision,
    ProbePolicy,
)
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import (
    And,
    Compare,
    Constant,
    CTest,
    Expression,
    Not,
    Or,
    Symbol,
    Unknown,
)

if TYPE_CHECKING:
    from kconfig_ls.logic.configuration import Configuration

__all__ = ["PLACEHOLDER_VALUE", "CompiledTable", "Decision", "Evaluation", "ProbePolicy"]


_TRI: Final = {"n": 0, "m": 1, "y": 2}
_NAMES: Final = ("n", "m", "y")
_MISSING: Final = object()
_RECURSION_LIMIT: Final = 20_000


class Evaluation:
    """One evaluation: memoised recursion over the compiled table (`sym_calc_value`)."""

    def __init__(
        self,
        table: SymbolTable,
        compiled: CompiledTable,
        sources: tuple[ConfigSource, ...],
        probes: ProbePolicy,
        assignments: tuple[UserAssignment, ...],
        previous: Configuration | None,
    ) -> None:
        self.table = table
        self.compiled = compiled
        self.symbols = compiled.symbols
        self.sources = sources
        self.probes = probes
        self.placeholder = probes is ProbePolicy.PLACEHOLDER
        self.assignments = assignments
        self.generated_paths = {source.path for source in sources if is_generated_config(source.data)}
        self.user: dict[str, UserAssignment] = {}
        self.user_tristate: dict[str, int] = {}
        self.choice_user_mode: dict[str, int] = {}
        self.choice_user_selection: dict[str, str] = {}
        self._read_user_values()
        self.values: dict[str, str | None] = {}
        self.tristates: dict[str, int | None] = {}
        self.decisions: dict[str, Decision] = {}
        self.visibilities: dict[str, int | None] = {}
        self.modes: dict[str, int | None] = {}
        self.selections: dict[str, str | None] = {}
        self.selection_decisions: dict[str, Decision] = {}
        # The symbols being computed: one read again before its value is known is in a cycle
        # (a choice member that depends on another member, say), and reads as unknown.
        self.active: set[str] = set()
        self.cycles: set[str] = set()
        self.recomputed = 0
        if previous is not None and previous._compiled is compiled:
            self._reuse(previous)

    def _read_user_values(self) -> None:
        for assignment in self.assignments:
            if not assignment.accepted:
                continue
            name = assignment.symbol
            self.user[name] = assignment
            symbol = self.symbols[name]
            if symbol.type in ("bool", "tristate"):
                value = _TRI[assignment.value]
                self.user_tristate[name] = value
                if symbol.choice is not None and value:
                    choice = self.compiled.choices[symbol.choice]
                    # kconfiglib's Choice.set_value: a bool choice has no `m` mode.
                    if not (value == 1 and choice.type == "bool"):
                        self.choice_user_mode[symbol.choice] = value
                    if value == 2:
                        self.choice_user_selection[symbol.choice] = name

    def _reuse(self, previous: Configuration) -> None:
        """Keep the previous values of everything the changed assignments cannot reach."""
        changed: set[str] = set()
        for name in set(self.user) | set(previous.user_values):
            mine = self.user.get(name)
            theirs = previous.user_values.get(name)
            if (mine is None) != (theirs is None) or (
                mine is not None and theirs is not None and mine.value != theirs.value
            ):
                changed.add(name)
        for key in self.compiled.choices:
            if self.choice_user_mode.get(key) != previous.choice_user_modes.get(key):
                changed.add(_mode_node(key))
            if self.choice_user_selection.get(key) != previous.choice_user_selections.get(key):
                changed.add(_selection_node(key))
        dirty = self.compiled.downstream(changed)
        # Copy everything (at C speed), then forget what the edit reaches.
        self.values = dict(previous.values)
        self.decisions = dict(previous.decisions)
        self.visibilities = dict(previous.visibilities)
        earlier = previous._evaluation
        self.tristates = (
            dict(earlier.tristates)
            if earlier is not None
            else {name: None if value is None else _TRI.get(value, 0) for name, value in self.values.items()}
        )
        for name in dirty:
            self.values.pop(name, None)
            self.decisions.pop(name, None)
            self.visibilities.pop(name, None)
            self.tristates.pop(name, None)
        for key, mode in previous.choice_modes.items():
            if _mode_node(key) not in dirty:
                self.modes[key] = mode
            if _selection_node(key) not in dirty and key in previous.choice_selections:
                selection = previous.choice_selections[key]
                self.selections[key] = "" if selection is None else selection
                self.selection_decisions[key] = previous.choice_decisions.get(key, DECISION_NO_DEFAULT)

    def run(self) -> Configuration:
        from kconfig_ls.logic.configuration import Configuration

        # The evaluation allocates little that is garbage; the collector's
        # scans of the young generations would cost a third of the run.
        collecting = gc.isenabled()
        gc.disable()
        limit = sys.getrecursionlimit()
        if limit < _RECURSION_LIMIT:
            sys.setrecursionlimit(_RECURSION_LIMIT)
        try:
            for name in self.symbols:
                if name not in self.values:
                    self._value_within_limit(name)
            for key in self.compiled.choices:
                try:
                    self.mode(key)
                    self.selection(key)
                except RecursionError:
                    self.active.clear()
                    self._evaluate_bottom_up(_selection_node(key))
        finally:
            if limit < _RECURSION_LIMIT:
                sys.setrecursionlimit(limit)
            if collecting:
                gc.enable()
        selections = {key: value or None for key, value in self.selections.items()}
        return Configuration(
            table=self.table,
            sources=self.sources,
            probes=self.probes,
            assignments=self.assignments,
            user_values=self.user,
            values=self.values,
            decisions=self.decisions,
            visibilities=self.visibilities,
            choice_modes=self.modes,
            choice_selections=selections,
            choice_decisions=self.selection_decisions,
            choice_user_modes=self.choice_user_mode,
            choice_user_selections=self.choice_user_selection,
            recomputed=self.recomputed,
            _compiled=self.compiled,
            _evaluation=self,
        )

    def _value_within_limit(self, name: str) -> None:
        """`value`, and when the chain of what it reads is deeper than the stack, bottom up."""
        try:
            self.value(name)
        except RecursionError:
            # Only finished values are memoised, so the half-done recursion left nothing behind.
            self.active.clear()
            self._evaluate_bottom_up(name)

    def _evaluate_bottom_up(self, start: str) -> None:
        """Evaluate what `start` reads before it, deepest first (an iterative depth-first walk),
        so that no evaluation recurses further than one step; a node that still overflows the
        stack is unknown."""
        reads = self.compiled.reads()
        order: list[str] = []
        seen = {start}
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(reads.get(start, ())))]
        while stack:
            node, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                stack.pop()
                order.append(node)
            elif following not in seen:
                seen.add(following)
                stack.append((following, iter(reads.get(following, ()))))
        for node in order:
            try:
                if node.startswith(_SELECTION_PREFIX):
                    self.selection(node[len(_SELECTION_PREFIX) :])
                elif node.startswith(_MODE_PREFIX):
                    self.mode(node[len(_MODE_PREFIX) :])
                elif node in self.symbols:
                    self.value(node)
            except RecursionError:
                self.active.clear()
                self._give_up(node)

    def _give_up(self, node: str) -> None:
        """Record a node as unknown (its evaluation overflowed the stack even bottom up)."""
        self.cycles.add(node)
        if node.startswith(_SELECTION_PREFIX):
            key = node[len(_SELECTION_PREFIX) :]
            self.selections[key] = None
            self.selection_decisions[key] = DECISION_UNKNOWN
        elif node.startswith(_MODE_PREFIX):
            self.modes[node[len(_MODE_PREFIX) :]] = None
        else:
            self.values[node] = None
            self.tristates[node] = None
            self.decisions[node] = DECISION_UNKNOWN

    # -- symbol values ------------------------------------------------------------------

    def value(self, name: str) -> str | None:
        """The value (string form) of a symbol; an undefined or typeless one is its name."""
        value = self.values.get(name, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[return-value]
        symbol = self.symbols.get(name)
        if symbol is None:
            return name
        if symbol.type in ("bool", "tristate"):
            tristate = self.tristate(name)
            return None if tristate is None else _NAMES[tristate]
        if symbol.type is None:
            self.values[name] = name
            self.decisions[name] = DECISION_UNDEFINED
            self.tristates[name] = 0
            return name
        if name in self.active:
            self.cycles.add(name)
            return None
        self.recomputed += 1
        self.active.add(name)
        try:
            computed, decision = self._string_value(symbol)
        finally:
            self.active.discard(name)
        if computed is None:
            computed, decision = self._from_file(name, decision)
        self.values[name] = computed
        self.decisions[name] = decision
        self.tristates[name] = None if computed is None else 0
        return computed

    def tristate(self, name: str) -> int | None:
        cached = self.tristates.get(name, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        symbol = self.symbols.get(name)
        if symbol is None or symbol.type not in ("bool", "tristate"):
            self.value(name)
            self.tristates[name] = 0
            return 0
        if name in self.active:
            self.cycles.add(name)
            return None
        self.recomputed += 1
        self.active.add(name)
        try:
            result, decision = self._tristate_value(symbol)
        finally:
            self.active.discard(name)
        if result is None:
            from_file, decision = self._from_file(name, decision)
            result = None if from_file is None else _TRI[from_file]
        self.tristates[name] = result
        self.values[name] = None if result is None else _NAMES[result]
        self.decisions[name] = decision
        return result

    def _from_file(self, name: str, decision: Decision) -> tuple[str | None, Decision]:
        """Under `FROM_FILE`, an unknown value from a full `.config` (the tools wrote what probes said)."""
        if self.probes is ProbePolicy.FROM_FILE:
            assignment = self.user.get(name)
            if assignment is not None and assignment.path in self.generated_paths:
                return assignment.value, DECISION_FROM_FILE
        return None, decision

    def symbol_type(self, symbol: _CompiledSymbol) -> str | None:
        """`sym->type`: tristate becomes bool without modules, and in a `y`-mode choice."""
        if symbol.type != "tristate":
            return symbol.type
        if symbol.choice is not None:
            mode = self.mode(symbol.choice)
            if mode is None:
                return None
            if mode == 2:
                return "bool"
        modules = self.tristate(self.compiled.modules)
        if modules is None:
            return None
        return "tristate" if modules else "bool"

    def visibility(self, name: str) -> int | None:
        cached = self.visibilities.get(name, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        symbol = self.symbols[name]
        visibility: int | None = 0
        for prompt in symbol.prompts:
            visibility = _max(visibility, self.condition(prompt))
            if visibility == 2:
                break
        if symbol.choice is not None and visibility != 0:
            choice = self.compiled.choices[symbol.choice]
            mode = self.mode(symbol.choice)
            if mode is None:
                visibility = None
            elif choice.type == "tristate" and symbol.type != "tristate" and mode != 2:
                visibility = 0  # a non-tristate member is shown only in y mode
            elif symbol.type == "tristate" and visibility == 1 and mode == 2:
                visibility = 0  # an m-visible tristate member is hidden in y mode
            else:
                visibility = _min(visibility, mode)
        if visibility == 1:
            symbol_type = self.symbol_type(symbol)
            if symbol_type is None:
                visibility = None
            elif symbol_type != "tristate":
                visibility = 2
        self.visibilities[name] = visibility
        return visibility

    def _tristate_value(self, symbol: _CompiledSymbol) -> tuple[int | None, Decision]:
        name = symbol.name
        visibility = self.visibility(name)
        if symbol.choice is not None:
            return self._choice_member_value(symbol, visibility)
        user = self.user_tristate.get(name)
        if symbol.transitional and user is not None:
            return user, DECISION_TRANSITIONAL
        value: int | None
        decision: Decision
        if visibility is None and user is not None:
            return None, DECISION_UNKNOWN
        if visibility and user is not None:
            value = min(user, visibility)
            decision = DECISION_USER if value == user else DECISION_USER_LIMITED
        else:
            value, decision = 0, DECISION_NO_DEFAULT
            for index, (default, condition) in enumerate(symbol.defaults):
                condition_value = self.condition(condition)
                if condition_value is None:
                    return None, DECISION_UNKNOWN
                if condition_value:
                    default_value = self.expression(default, False)
                    if default_value is None:
                        return None, DECISION_UNKNOWN
                    value = min(default_value, condition_value)
                    decision = (
                        DECISION_DEFAULTS[index]
                        if index < len(DECISION_DEFAULTS)
                        else Decision("default", index)
                    )
                    break
            if symbol.implied_by:
                implied = self._reverse(symbol.implied_by)
                if implied is None:
                    return None, DECISION_UNKNOWN
                if implied:
                    direct = self.condition(symbol.direct)
                    if direct is None:
                        return None, DECISION_UNKNOWN
                    if direct and implied > value:
                        value, decision = implied, DECISION_IMPLIED
        if symbol.selected_by and value != 2:  # a select only raises: `y` stays, whatever selects it
            selected = self._reverse(symbol.selected_by)
            if selected is None:
                return None, DECISION_UNKNOWN
            if selected > value:
                value, decision = selected, DECISION_SELECTED
        if value == 1:
            symbol_type = self.symbol_type(symbol)
            if symbol_type is None:
                return None, DECISION_UNKNOWN
            if symbol_type == "bool":
                value = 2
            elif symbol.implied_by:
                implied = self._reverse(symbol.implied_by)
                if implied is None:
                    return None, DECISION_UNKNOWN
                if implied == 2:
                    value = 2
        return value, decision

    def _reverse(self, reverses: tuple[tuple[str, Expression], ...]) -> int | None:
        """The OR over `selector && condition` (a reverse dependency), Kleene-style."""
        result: int | None = 0
        for selector, condition in reverses:
            selector_value = self.tristate(selector)
            if selector_value == 0:
                continue
            result = _max(result, _min(selector_value, self.condition(condition)))
            if result == 2:
                return 2
        return result

    def _choice_member_value(
        self, symbol: _CompiledSymbol, visibility: int | None
    ) -> tuple[int | None, Decision]:
        if visibility is None:
            return None, DECISION_UNKNOWN
        key = symbol.choice
        assert key is not None
        if visibility == 2:
            selection = self.selection(key)
            if selection is None:
                return None, DECISION_UNKNOWN
            if selection == symbol.name:
                return 2, self.selection_decisions.get(key, DECISION_CHOICE_USER)
            return 0, DECISION_CHOICE_OTHER
        if visibility and self.user_tristate.get(symbol.name):
            return 1, DECISION_CHOICE_M
        return 0, DECISION_NO_DEFAULT

    # -- choices ------------------------------------------------------------------------

    def mode(self, key: str) -> int | None:
        """The choice's mode (`Choice.tri_value`): 2 (y), 1 (m) or 0 (n, optional choices)."""
        cached = self.modes.get(key, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        choice = self.compiled.choices[key]
        value = 0 if choice.optional else 1
        user = self.choice_user_mode.get(key)
        if user is not None:
            value = max(value, user)
        visibility: int | None = 0
        for prompt in choice.prompts:
            visibility = _max(visibility, self.condition(prompt))
        choice_type = choice.type
        if choice_type == "tristate":
            modules = self.tristate(self.compiled.modules)
            if modules is None:
                self.modes[key] = None
                return None
            if not modules:
                choice_type = "bool"
        if visibility == 1 and choice_type != "tristate":
            visibility = 2
        result = _min(value, visibility)
        if result == 1 and choice_type == "bool":
            result = 2
        self.modes[key] = result
        return result

    def selection(self, key: str) -> str | None:
        """The selected member (`Choice.selection`); `""` for none; None when unknown."""
        cached = self.selections.get(key, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        result, how = self._selection(key)
        self.selections[key] = result
        self.selection_decisions[key] = how
        return result

    def _selection(self, key: str) -> tuple[str | None, Decision]:
        mode = self.mode(key)
        if mode is None:
            return None, DECISION_UNKNOWN
        if mode != 2:
            return "", DECISION_NO_DEFAULT
        choice = self.compiled.choices[key]
        user = self.choice_user_selection.get(key)
        if user is not None:
            visibility = self.visibility(user)
            if visibility is None:
                return None, DECISION_UNKNOWN
            if visibility:
                return user, DECISION_CHOICE_USER
        for index, (default, condition) in enumerate(choice.defaults):
            condition_value = self.condition(condition)
            if condition_value is None:
                return None, DECISION_UNKNOWN
            if condition_value and isinstance(default, Symbol) and default.name in self.symbols:
                visibility = self.visibility(default.name)
                if visibility is None:
                    return None, DECISION_UNKNOWN
                if visibility:
                    return default.name, DECISION_CHOICE_DEFAULTS[
                        min(index, len(DECISION_CHOICE_DEFAULTS) - 1)
                    ]
        for member in choice.members:
            visibility = self.visibility(member)
            if visibility is None:
                return None, DECISION_UNKNOWN
            if visibility:
                return member, DECISION_CHOICE_FIRST
        return "", DECISION_NO_DEFAULT

    # -- int, hex, string ---------------------------------------------------------------

    def _string_value(self, symbol: _CompiledSymbol) -> tuple[str | None, Decision]:
        name = symbol.name
        visibility = self.visibility(name)
        user = self.user.get(name)
        if symbol.transitional and user is not None:
            return user.value, DECISION_TRANSITIONAL
        if user is not None and visibility is None:
            return None, DECISION_UNKNOWN
        if symbol.type == "string":
            if visibility and user is not None:
                return user.value, DECISION_USER
            for index, (default, condition) in enumerate(symbol.defaults):
                condition_value = self.condition(condition)
                if condition_value is None:
                    return None, DECISION_UNKNOWN
                if condition_value:
                    return self.string_of(default), DECISION_DEFAULTS[min(index, len(DECISION_DEFAULTS) - 1)]
            return "", DECISION_NO_DEFAULT
        base = 16 if symbol.type == "hex" else 10
        active_range: tuple[int, int] | None = None
        for low_expression, high_expression, condition in symbol.ranges:
            condition_value = self.condition(condition)
            if condition_value is None:
                return None, DECISION_UNKNOWN
            if condition_value:
                low_text = self.string_of(low_expression)
                high_text = self.string_of(high_expression)
                if low_text is None or high_text is None:
                    return None, DECISION_UNKNOWN
                active_range = (_parse(low_text, base), _parse(high_text, base))
                break
        if visibility and user is not None and user.value:
            user_number = int(user.value, base)
            if active_range is None or active_range[0] <= user_number <= active_range[1]:
                return user.value, DECISION_USER
            out_of_range = True
        else:
            out_of_range = False
        value: str | None = ""
        number = 0
        decision = DECISION_RANGE if out_of_range else DECISION_NO_DEFAULT
        for index, (default, condition) in enumerate(symbol.defaults):
            condition_value = self.condition(condition)
            if condition_value is None:
                return None, DECISION_UNKNOWN
            if condition_value:
                value = self.string_of(default)
                if value is None:
                    return None, DECISION_UNKNOWN
                number = _parse(value, base)
                if not out_of_range:
                    decision = DECISION_DEFAULTS[min(index, len(DECISION_DEFAULTS) - 1)]
                break
        if active_range is not None:
            clamp: int | None = None
            if number < active_range[0]:
                clamp = active_range[0]
            elif number > active_range[1]:
                clamp = active_range[1]
            if clamp is not None:
                value = str(clamp) if symbol.type == "int" else hex(clamp)
                decision = DECISION_RANGE
        return value, decision

    def string_of(self, expression: Expression) -> str | None:
        """The string value of a default value or range bound (`sym->curr.val`)."""
        cls = expression.__class__
        if cls is Symbol:
            return self.value(expression.name)  # type: ignore[union-attr]
        if cls is Constant:
            return expression.value  # type: ignore[union-attr]
        if cls is Unknown:
            return PLACEHOLDER_VALUE if self.placeholder else None
        tristate = self.expression(expression, False)
        return None if tristate is None else _NAMES[tristate]

    # -- expressions --------------------------------------------------------------------

    def condition(self, expression: Expression) -> int | None:
        """A condition's value: a bare `m` is `m && MODULES`."""
        return self.expression(expression, True)

    def expression(self, expression: Expression, in_condition: bool) -> int | None:
        cls = expression.__class__
        if cls is Symbol:
            return self.tristate(expression.name)  # type: ignore[union-attr]
        if cls is And:
            unknown = False
            lowest = 2
            for operand in expression.operands:  # type: ignore[union-attr]
                value = self.expression(operand, in_condition)
                if value is None:
                    unknown = True
                elif value < lowest:
                    lowest = value
                    if value == 0:
                        return 0
            return None if unknown else lowest
        if cls is Or:
            unknown = False
            highest = 0
            for operand in expression.operands:  # type: ignore[union-attr]
                value = self.expression(operand, in_condition)
                if value is None:
                    unknown = True
                elif value > highest:
                    highest = value
                    if value == 2:
                        return 2
            return None if unknown else highest
        if cls is Constant:
            value = _TRI.get(expression.value, 0)  # type: ignore[union-attr]
            if value == 1 and in_condition:
                return _min(1, self.tristate(self.compiled.modules))
            return value
        if cls is Not:
            value = self.expression(expression.operand, in_condition)  # type: ignore[union-attr]
            return None if value is None else 2 - value
        if cls is Compare:
            return self._compare(expression)  # type: ignore[arg-type]
        if cls is Unknown:
            return 0 if self.placeholder else None
        if cls is CTest:  # C guards are never in Kconfig; `logic.evaluate` handles them.
            return None
        raise TypeError(f"not an expression: {expression!r}")

    def _compare(self, expression: Compare) -> int | None:
        """kconfiglib's `expr_value` on a relation: numbers by each side's type, else strings."""
        left = self._operand(expression.left)
        right = self._operand(expression.right)
        if left is None or right is None:
            return None
        left_type, left_tristate, left_text = left
        right_type, right_tristate, right_text = right
        order: int
        if left_type == "string" and right_type == "string":
            order = (left_text > right_text) - (left_text < right_text)
        else:
            try:
                left_number = _number_of(left_type, left_tristate, left_text)
                right_number = _number_of(right_type, right_tristate, right_text)
                order = (left_number > right_number) - (left_number < right_number)
            except ValueError:
                order = (left_text > right_text) - (left_text < right_text)
        operator = expression.operator
        if operator == "=":
            result = order == 0
        elif operator == "!=":
            result = order != 0
        elif operator == "<":
            result = order < 0
        elif operator == "<=":
            result = order <= 0
        elif operator == ">":
            result = order > 0
        else:
            result = order >= 0
        return 2 if result else 0

    def _operand(self, operand: Expression) -> tuple[str | None, int, str] | None:
        """(type, tristate, string) of a comparison operand, or None when unknown."""
        if isinstance(operand, Symbol):
            symbol = self.symbols.get(operand.name)
            if symbol is None or symbol.type is None:
                return None, 0, operand.name
            if symbol.type in ("bool", "tristate"):
                tristate = self.tristate(operand.name)
                return None if tristate is None else (symbol.type, tristate, _NAMES[tristate])
            text = self.value(operand.name)
            return None if text is None else (symbol.type, 0, text)
        if isinstance(operand, Constant):
            tristate = _TRI.get(operand.value)
            if tristate is not None:
                return "tristate", tristate, operand.value
            return None, 0, operand.value
        if isinstance(operand, Unknown):
            return (None, 0, PLACEHOLDER_VALUE) if self.placeholder else None
        value = self.expression(operand, False)
        return None if value is None else ("tristate", value, _NAMES[value])


def _number_of(type_name: str | None, tristate: int, text: str) -> int:
    if type_name in ("bool", "tristate"):
        return tristate
    return int(text, 16 if type_name == "hex" else 10 if type_name == "int" else 0)


def _parse(text: str, base: int) -> int:
    """`strtoll` as the tools use it: a malformed number is 0."""
    try:
        return int(text, base)
    except ValueError:
        return 0


def _min(left: int | None, right: int | None) -> int | None:
    """Kleene `&&`: a known `n` decides, otherwise an unknown makes it unknown."""
    if left == 0 or right == 0:
        return 0
    return None if left is None or right is None else min(left, right)


def _max(left: int | None, right: int | None) -> int | None:
    """Kleene `||`: a known `y` decides, otherwise an unknown makes it unknown."""
    if left == 2 or right == 2:
        return 2
    return None if left is None or right is None else max(left, right)
