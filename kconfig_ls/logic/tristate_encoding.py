"""The symbol tables of every world as one propositional formula (CNF), for a SAT solver.

Why a formula: questions such as "can FOO be y while MIGRATION's
dependencies are n?" or "can this symbol ever be enabled?" quantify over
all configurations, which no evaluator can enumerate. A SAT solver answers
them in milliseconds once the configuration logic is written as clauses.

The encoding (pure Python; `kconfig_ls.logic.solver` is the one module that
talks to a solver):

- **Two variables per symbol**: `at_least_m` and `at_least_y` (`y -> m`).
  A tristate value is the pair: n = (0, 0), m = (1, 0), y = (1, 1); a bool
  has `m <-> y`. Every sub-expression is such a pair too, so `y selects a
  symbol whose dependencies are only m` is a satisfiable question of its own
  (kismet treats y and m alike and misses it).
- **Tseitin gates, interned**: each distinct `And` over literals is one
  auxiliary variable, shared by every expression, symbol and world that
  uses it. Gates are definitions, true in every world, so they carry no
  guard.
- **Worlds**: one variable per architecture, exactly one of them true. The
  clauses of a symbol's semantics are guarded by the literal "the world is
  one of those where the symbol means this" (worlds with identical semantics
  share one guarded copy), so one solver answers "on which architectures".
- **Per symbol** (as kconfiglib's `Symbol.tri_value`, our reference): a
  visible symbol takes any value between its reverse dependency and its
  dependencies (the user chooses; an over-approximation that is sound); an
  invisible one takes exactly the value of its defaults, implies and
  selects, with m promoted to y for bools, for `imply` from y, and for every
  tristate while the modules symbol is n. Choice members: at most one is y,
  at least one when a member is visible in a `y`-mode choice, none outside
  their visibility; select has no effect on them.
- **`m` in conditions** means `m && MODULES`; a symbol undefined in a world
  is n there; a non-bool symbol is n as an operand.
- **Comparisons** of bool/tristate operands are exact; of int, hex and
  string operands exact in the worlds where each side's values are known
  (constants, and prompt-less symbols whose defaults are such values:
  ESP-IDF's `IDF_TARGET="esp32"` is true on esp32 alone).
- **Not modelled, left free**: `Unknown` operands (compiler probes), and
  the other comparisons (a prompted int, a range). Free means
  "any value": findings can only be missed through a free variable that
  happens to matter, never invented by a guess... except that a free
  variable may take a value the real probe never yields; witnesses make such
  findings checkable.
- **Activation literals**: every clause of a symbol's semantics also
  carries the negation of that symbol's activation literal, and an *epoch*
  literal implies every active one; a query assumes the epoch alone (one
  assumption, not 18,000: measured 7.5 ms a query with one assumption per
  symbol on Linux x86, ~1 ms with the epoch). An edit retires symbols and
  re-adds their clauses under fresh literals and a new epoch
  (`reencode_symbols`).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kconfig_ls.logic.value_comparisons import tie_to_values
from kconfig_ls.semantics.symbols import ReverseDependencySemantics, SymbolSemantics, SymbolTable
from kconfig_ls.syntax.expression import (
    And,
    Compare,
    Constant,
    Expression,
    Not,
    Or,
    Symbol,
    Unknown,
    conjunction,
)

__all__ = ["TRUE_LITERAL", "Encoding", "Pair", "SymbolKey", "encode_worlds"]

TRUE_LITERAL = 1
"""Variable 1 is constrained true; `-1` is false."""

Pair = tuple[int, int]
"""A tristate value as two literals: (value >= m, value >= y)."""

_BOOL_TRISTATE = ("bool", "tristate")


@dataclass(frozen=True, slots=True)
class SymbolKey:
    """What a symbol's clauses depend on in one world (worlds with equal keys share clauses)."""

    type: str | None
    dependency: Pair
    visibility: Pair
    reverse: Pair
    implied: Pair
    defaults: Pair
    modules: int
    in_choice: bool
    # For an int, hex or string symbol: what decides its value in comparisons (`_value_cases`),
    # so that an edit of its defaults changes its key and re-asks the comparisons that read it.
    values: tuple[object, ...] = ()


class Encoding:
    """A growing CNF: the gates and guarded symbol clauses of a set of worlds.

    `clauses` only grows; a solver that has consumed `clauses[:n]` takes the
    rest with `clauses_since`. Queries build their own gates through the
    same interning (`pair`, `conjoin`, `disjoin`), which adds definitional
    clauses only.
    """

    def __init__(self, tables: Mapping[str, SymbolTable]) -> None:
        self.tables = dict(tables)
        self.worlds: list[str] = list(tables)
        self.variable_count = 1
        self.clauses: list[list[int]] = [[TRUE_LITERAL]]
        self._gates: dict[tuple[int, ...], int] = {}
        self._pairs: dict[tuple[Expression, bool, int], Pair] = {}
        self._pairs_by_identity: dict[tuple[int, bool, int], tuple[Expression, Pair]] = {}
        self._free_pairs: dict[str, Pair] = {}
        self.exact_comparisons: dict[Expression, set[str]] = {}
        """The worlds where each comparison encoded so far is exact (`is_exact`)."""
        self.value_comparisons: dict[Compare, tuple[int, list[str]]] = {}
        """Each comparison of int, hex or string values: its literal and the worlds tied to values."""
        self.comparisons_reading: dict[str, set[Compare]] = {}
        """The value comparisons whose clauses read each symbol's defaults (re-tied after an edit)."""
        self.retied_clauses: list[list[int]] = []
        """The clauses the last `reencode_symbols` tied such comparisons with (none: no re-tie)."""
        self._world_sets: dict[frozenset[str], int] = {}
        self.symbol_variables: dict[str, Pair] = {}
        self.world_variable: dict[str, int] = {}
        self.activation: dict[str, int] = {}
        self.epoch = self.new_variable()
        self.retired: set[int] = set()
        self.types: dict[str, dict[str, str | None]] = {}
        self._keys: dict[tuple[str, str], SymbolKey] = {}
        self._key_memo: dict[tuple[object, ...], SymbolKey] | None = None
        """During `encode_all`: the keys by the identities of their inputs (`_shared_symbol_key`)."""
        self._modules_by_world: dict[str, int] = {}
        self.parked_solver: object | None = None
        """A batch solver left here by one analysis for the next (`LogicSolver.park`)."""
        for world in self.worlds:
            self.world_variable[world] = self.new_variable()
        self._add_exactly_one([self.world_variable[world] for world in self.worlds], guard=())
        for world, table in tables.items():
            for semantics in table:
                self.types.setdefault(semantics.name, {})[world] = semantics.type

    # --- literals and gates ------------------------------------------------------------------

    def new_variable(self) -> int:
        self.variable_count += 1
        return self.variable_count

    def conjoin(self, literals: Iterable[int]) -> int:
        """A literal equivalent to the AND of `literals` (interned; constants folded)."""
        if type(literals) is tuple and len(literals) == 2:
            # Two literals (most calls): the same result as below, without the set and the sort.
            first, second = literals
            if first == TRUE_LITERAL:
                return second
            if first == -TRUE_LITERAL or second == -TRUE_LITERAL or first == -second:
                return -TRUE_LITERAL
            if second == TRUE_LITERAL or first == second:
                return first
            ordered = (first, second) if first < second else (second, first)
            gate = self._gates.get(ordered)
            if gate is None:
                gate = self.new_variable()
                self._gates[ordered] = gate
                self.clauses.append([-gate, ordered[0]])
                self.clauses.append([-gate, ordered[1]])
                self.clauses.append([gate, -ordered[0], -ordered[1]])
            return gate
        unique: set[int] = set()
        for literal in literals:
            if literal == TRUE_LITERAL:
                continue
            if literal == -TRUE_LITERAL or -literal in unique:
                return -TRUE_LITERAL
            unique.add(literal)
        if not unique:
            return TRUE_LITERAL
        if len(unique) == 1:
            return next(iter(unique))
        key = tuple(sorted(unique))
        gate = self._gates.get(key)
        if gate is None:
            gate = self.new_variable()
            self._gates[key] = gate
            for literal in key:
                self.clauses.append([-gate, literal])
            self.clauses.append([gate, *(-literal for literal in key)])
        return gate

    def disjoin(self, literals: Iterable[int]) -> int:
        if type(literals) is tuple and len(literals) == 2:
            return -self.conjoin((-literals[0], -literals[1]))
        return -self.conjoin(-literal for literal in literals)

    def world_set(self, worlds: Iterable[str]) -> int:
        """A literal true exactly when the world is one of `worlds`."""
        chosen = frozenset(worlds)
        if len(chosen) == len(self.worlds):
            return TRUE_LITERAL
        literal = self._world_sets.get(chosen)
        if literal is None:
            literal = self.disjoin(self.world_variable[world] for world in sorted(chosen))
            self._world_sets[chosen] = literal
        return literal

    def symbol_pair(self, name: str) -> Pair:
        pair = self.symbol_variables.get(name)
        if pair is None:
            at_least_m = self.new_variable()
            at_least_y = self.new_variable()
            self.clauses.append([-at_least_y, at_least_m])
            pair = (at_least_m, at_least_y)
            self.symbol_variables[name] = pair
            defined_in = self.types.get(name, {})
            missing = [world for world in self.worlds if world not in defined_in]
            if missing:
                # Undefined in a world: n there.
                guard = self.world_set(missing)
                self.clauses.append([-guard, -at_least_m])
        return pair

    def free_pair(self, key: str) -> Pair:
        """An unconstrained tristate (a probe, an unmodelled comparison), one per key."""
        pair = self._free_pairs.get(key)
        if pair is None:
            at_least_m = self.new_variable()
            at_least_y = self.new_variable()
            self.clauses.append([-at_least_y, at_least_m])
            pair = (at_least_m, at_least_y)
            self._free_pairs[key] = pair
        return pair

    def pair(self, expression: Expression, modules: int, *, condition: bool = True) -> Pair:
        """The (>= m, >= y) literals of an expression; `m` means `m && MODULES` in a condition."""
        # First by identity: hashing a frozen expression walks all of it, every time.
        identity = (id(expression), condition, modules if condition else 0)
        known = self._pairs_by_identity.get(identity)
        if known is not None:
            return known[1]
        key = (expression, condition, modules if condition else 0)
        cached = self._pairs.get(key)
        if cached is None:
            cached = self._pair(expression, modules, condition)
            self._pairs[key] = cached
        # The entry keeps the expression alive, so its id is never reused for another one.
        self._pairs_by_identity[identity] = (expression, cached)
        return cached

    def _pair(self, expression: Expression, modules: int, condition: bool) -> Pair:
        if isinstance(expression, Symbol):
            return self.symbol_pair(expression.name)
        if isinstance(expression, Constant):
            # A quoted "y", "m" or "n" is y, m or n, as for the C tools and kconfiglib (ESP-IDF's
            # `default "y" if IDF_TARGET="esp32s3"`); any other quoted text is n.
            if expression.quoted and expression.value not in ("y", "m", "n"):
                return (-TRUE_LITERAL, -TRUE_LITERAL)
            if expression.value == "y":
                return (TRUE_LITERAL, TRUE_LITERAL)
            if expression.value == "m":
                return (modules if condition else TRUE_LITERAL, -TRUE_LITERAL)
            return (-TRUE_LITERAL, -TRUE_LITERAL)
        if isinstance(expression, Not):
            at_least_m, at_least_y = self.pair(expression.operand, modules, condition=condition)
            return (-at_least_y, -at_least_m)
        if isinstance(expression, And):
            pairs = [self.pair(operand, modules, condition=condition) for operand in expression.operands]
            return (self.conjoin(p[0] for p in pairs), self.conjoin(p[1] for p in pairs))
        if isinstance(expression, Or):
            pairs = [self.pair(operand, modules, condition=condition) for operand in expression.operands]
            return (self.disjoin(p[0] for p in pairs), self.disjoin(p[1] for p in pairs))
        if isinstance(expression, Compare):
            return self._compare(expression, modules, condition)
        if isinstance(expression, Unknown):
            return self.free_pair("unknown:" + expression.text)
        return self.free_pair("other:" + repr(expression))

    def _compare(self, expression: Compare, modules: int, condition: bool) -> Pair:
        """A comparison, exact in each world where its operands' values are known; else free.

        The C tools compare tristates as numbers (n=0, m=1, y=2), so `A >= B`
        is `(B >= m -> A >= m) && (B = y -> A = y)`: security/keys'
        `depends on CRYPTO_DEV_FSL_CAAM_JR >= TRUSTED_KEYS` is false for m
        against y (left free, it made a false select-unmet-dependency).

        Operands that are not bool/tristate are exact where their values are
        known (`_value_cases`): a constant, or an int, hex or string symbol
        whose prompt is not shown and whose defaults are such values. ESP-IDF's `IDF_TARGET`
        (`default "$IDF_TARGET"`) is one constant per target world, so
        `IDF_TARGET="esp32"` is true on esp32 alone instead of free on every
        target (it made IDF_TARGET_LINUX free, and findings "on 13 targets"
        that hold on linux only); `ESP_REV_MIN_FULL = 300` follows the
        revision choice through its defaults. A value that is not known (a
        prompt, a range, an environment option, a symbol undefined in the
        world) keeps the comparison free there. The clauses read the
        defaults of those symbols, so they carry the symbols' activation
        literals: after an edit re-encodes one, its comparisons are free
        (sound) until the next rebuild.
        """
        if expression.operator not in ("=", "!=", "<", "<=", ">", ">="):
            literal = self.free_pair("compare:" + repr(expression))[0]
            return (literal, literal)
        exact_worlds = [
            world
            for world in self.worlds
            if all(self._tristate_operand(side, world) for side in (expression.left, expression.right))
        ]
        free = self.free_pair("compare:" + repr(expression))[0]
        modelled = self.exact_comparisons.setdefault(expression, set())
        value_worlds = [w for w in self.worlds if w not in exact_worlds]
        self.value_comparisons[expression] = (free, value_worlds)
        self._tie_to_values(expression, free, value_worlds, modelled)
        if not exact_worlds:
            return (free, free)
        modelled.update(exact_worlds)
        left = self.pair(expression.left, modules, condition=False)
        right = self.pair(expression.right, modules, condition=False)
        equal = self.conjoin(
            (
                self.disjoin((self.conjoin((left[0], right[0])), self.conjoin((-left[0], -right[0])))),
                self.disjoin((self.conjoin((left[1], right[1])), self.conjoin((-left[1], -right[1])))),
            )
        )
        if expression.operator in ("=", "!="):
            exact = equal if expression.operator == "=" else -equal
        else:

            def at_least(high: Pair, low: Pair) -> int:
                return self.conjoin((self.disjoin((-low[0], high[0])), self.disjoin((-low[1], high[1]))))

            exact = {
                ">=": at_least(left, right),
                "<=": at_least(right, left),
                ">": -at_least(right, left),
                "<": -at_least(left, right),
            }[expression.operator]
        guard = self.world_set(exact_worlds)
        self.clauses.append([-guard, -free, exact])
        self.clauses.append([-guard, free, -exact])
        return (free, free)

    def _tie_to_values(self, expression: Compare, result: int, worlds: list[str], modelled: set[str]) -> None:
        """`value_comparisons.tie_to_values` (an encoding whose values are free may leave them free)."""
        tie_to_values(self, expression, result, worlds, modelled)

    def is_exact(self, expression: Expression, world: str) -> bool:
        """Whether the encoding models an expression exactly in a world (no probe, no free comparison).

        Only meaningful for an expression whose pair has been made (`pair`).
        """
        if isinstance(expression, Unknown):
            return False
        if isinstance(expression, Compare):
            return world in self.exact_comparisons.get(expression, ())
        if isinstance(expression, Not):
            return self.is_exact(expression.operand, world)
        if isinstance(expression, (And, Or)):
            return all(self.is_exact(operand, world) for operand in expression.operands)
        return True

    def _tristate_operand(self, side: Expression, world: str) -> bool:
        if isinstance(side, Constant):
            return side.value in ("y", "m", "n")
        if isinstance(side, Symbol):
            return self.types.get(side.name, {}).get(world, "string") in _BOOL_TRISTATE
        return False

    # --- symbols ---------------------------------------------------------------------------

    def activation_literal(self, name: str) -> int:
        literal = self.activation.get(name)
        if literal is None:
            literal = self.new_variable()
            self.activation[name] = literal
            self.clauses.append([-self.epoch, literal])
        return literal

    def active_assumptions(self) -> list[int]:
        """What every query assumes: the current epoch, which implies every active symbol's literal."""
        return [self.epoch]

    def modules_literal(self, world: str) -> int:
        table = self.tables[world]
        name = table.modules_symbol or "MODULES"
        if name not in table:
            return -TRUE_LITERAL
        return self.symbol_pair(name)[1]

    def encode_all(self) -> None:
        names: dict[str, None] = {}
        for table in self.tables.values():
            for semantics in table:
                names.setdefault(semantics.name, None)
        # Most worlds share a symbol's derived parts (the same objects, `build_symbol_table`'s
        # memo): its key is worked out once for all of them (`_shared_symbol_key`).
        self._key_memo = {}
        try:
            for name in names:
                self.encode_symbol(name)
            self._encode_choices()
        finally:
            self._key_memo = None
            self._modules_by_world.clear()

    def encode_symbol(self, name: str) -> None:
        """Add the guarded clauses of one symbol in every world that defines it."""
        groups: dict[SymbolKey, list[str]] = {}
        by_identity: dict[int, list[str]] = {}
        """The same key object (`_shared_symbol_key`) found again without hashing its expressions."""
        for world, table in self.tables.items():
            semantics = table.get(name)
            if semantics is not None:
                key = self._symbol_key(world, table, semantics)
                self._keys[(world, name)] = key
                worlds = by_identity.get(id(key))
                if worlds is None:
                    worlds = by_identity[id(key)] = groups.setdefault(key, [])
                worlds.append(world)
        activation = self.activation_literal(name)
        value = self.symbol_pair(name)
        for key, worlds in groups.items():
            guard = self.world_set(worlds)
            for clause in _symbol_clauses(self, key, value):
                self.clauses.append([-activation, -guard, *clause])

    def reencode_symbols(self, names: Iterable[str], tables: Mapping[str, SymbolTable]) -> None:
        """Retire some symbols' clauses and add them again from new tables (after an edit).

        The retired activation literals are no longer implied: a new epoch
        literal implies every still-active one (one binary clause each), and
        the old epoch is made false for good.
        """
        names = list(names)
        for name in names:
            for world in tables:
                self._keys.pop((world, name), None)
            old = self.activation.pop(name, None)
            if old is not None:
                self.retired.add(old)
        self.clauses.append([-self.epoch])
        self.epoch = self.new_variable()
        for literal in self.activation.values():
            self.clauses.append([-self.epoch, literal])
        self.tables.update(tables)
        for world, table in tables.items():
            for name in names:
                semantics = table.get(name)
                if semantics is not None:
                    self.types.setdefault(name, {})[world] = semantics.type
        for name in names:
            self.encode_symbol(name)
        # The comparisons that read a re-encoded symbol's defaults lost their clauses with its
        # retired activation literal: tied again to the new values (`value_comparisons`).
        start = len(self.clauses)
        for expression in {e for name in names for e in self.comparisons_reading.get(name, ())}:
            free, worlds = self.value_comparisons[expression]
            modelled = self.exact_comparisons[expression]
            modelled.difference_update(worlds)
            self._tie_to_values(expression, free, worlds, modelled)
        self.retied_clauses = self.clauses[start:]

    def symbol_key(self, world: str, name: str) -> SymbolKey:
        """The literals of a symbol's semantics in one world (dependency, visibility, ...)."""
        key = self._keys.get((world, name))
        if key is None:
            table = self.tables[world]
            key = self._symbol_key(world, table, table.symbols[name])
            self._keys[(world, name)] = key
        return key

    def _symbol_key(self, world: str, table: SymbolTable, semantics: SymbolSemantics) -> SymbolKey:
        memo = self._key_memo
        if memo is None:
            return self._new_symbol_key(world, table, semantics)
        return self._shared_symbol_key(memo, world, table, semantics)

    def _shared_symbol_key(
        self,
        memo: dict[tuple[object, ...], SymbolKey],
        world: str,
        table: SymbolTable,
        semantics: SymbolSemantics,
    ) -> SymbolKey:
        """`_new_symbol_key`, once for all the worlds where its inputs are the same objects.

        The key of a symbol is a function of its type, the world's modules literal, its
        dependency, prompts, defaults, ranges and options, and its selectors and impliers,
        and of the world only through the choices (its own, and its selectors' in
        `select_pair`). Where none of them is in a choice, the same objects give the same
        literals: the gates are interned, so a second computation adds no variable or
        clause and returns an equal key, and the formula is the one the computation in
        every world gives. Identities, not values (comparing expressions costs what encoding
        them costs); valid during `encode_all` only, while `tables` keeps the objects alive.
        """
        if semantics.choice is not None:
            return self._new_symbol_key(world, table, semantics)
        symbols = table.symbols
        reverses: list[int] = []
        for reverse in (*semantics.selected_by, None, *semantics.implied_by):
            if reverse is None:
                reverses.append(0)  # between the selectors and the impliers
                continue
            selector = symbols.get(reverse.selector)
            if selector is not None and selector.choice is not None:
                return self._new_symbol_key(world, table, semantics)
            reverses.append(id(reverse))
        modules = self._modules_by_world.get(world)
        if modules is None:
            modules = self._modules_by_world[world] = self.modules_literal(world)
        identity = (
            semantics.type,
            modules,
            id(semantics.direct_dependency),
            id(semantics.prompts),
            id(semantics.defaults),
            id(semantics.ranges),
            *[id(definition.entry) for definition in semantics.definitions],
            0,
            *reverses,
        )
        key = memo.get(identity)
        if key is None:
            key = memo[identity] = self._new_symbol_key(world, table, semantics)
        return key

    def _new_symbol_key(self, world: str, table: SymbolTable, semantics: SymbolSemantics) -> SymbolKey:
        modules = self.modules_literal(world)
        if semantics.type not in _BOOL_TRISTATE:
            false = (-TRUE_LITERAL, -TRUE_LITERAL)
            values = (
                semantics.visibility,
                tuple((default.value, default.condition) for default in semantics.defaults),
                tuple((bound.low, bound.high, bound.condition) for bound in semantics.ranges),
                semantics.choice,
                tuple(
                    option for definition in semantics.definitions for option, _ in definition.entry.options
                ),
            )
            return SymbolKey(semantics.type, false, false, false, false, false, modules, False, values)
        dependency = self.pair(semantics.direct_dependency, modules)
        visibility = self.pair(semantics.visibility, modules)
        in_choice = semantics.choice is not None
        if in_choice:
            choice = table.choices.get(semantics.choice or "")
            if choice is not None:
                choice_visibility = self._choice_visibility(world, choice.key)
                visibility = (
                    self.conjoin((visibility[0], choice_visibility[0])),
                    self.conjoin((visibility[1], choice_visibility[1])),
                )
        if semantics.type == "bool":
            # A bool's visibility m counts as y (kconfiglib's `_visibility`).
            visibility = (visibility[0], visibility[0])
        reverse = self._reverse_pair(semantics.selected_by, world)
        implied = self._reverse_pair(semantics.implied_by, world)
        defaults = self._defaults_pair(semantics, modules)
        return SymbolKey(
            semantics.type, dependency, visibility, reverse, implied, defaults, modules, in_choice
        )

    def _reverse_pair(self, reverses: Sequence[ReverseDependencySemantics], world: str) -> Pair:
        parts = [
            self.select_pair(reverse.selector, reverse.condition, world, reverse=reverse)
            for reverse in reverses
        ]
        return (self.disjoin(p[0] for p in parts), self.disjoin(p[1] for p in parts))

    def select_pair(
        self,
        selector: str,
        condition: Expression,
        world: str,
        *,
        reverse: ReverseDependencySemantics | None = None,
    ) -> Pair:
        """`SELECTOR && condition` as the target's reverse dependency sees it.

        A member of a bool choice depends on the choice itself, whose value
        is y whenever it is visible (even through an m dependency): the C
        tools and kconfiglib put the choice, not its enclosing dependencies,
        in the member's `rev_dep` terms, so y there is y, not the
        dependency's m. The select's own `if` and the member's own `depends
        on` (given `reverse`) keep their value: mips ATH79's `select
        USB_EHCI_ROOT_HUB_TT if USB_EHCI_HCD_PLATFORM` gives m when the
        condition is m, and so does USB_G_DBGP_SERIAL (`depends on
        USB_G_DBGP` inside its choice).
        """
        modules = self.modules_literal(world)
        selector_pair = self.symbol_pair(selector)
        condition_pair = self.pair(condition, modules)
        semantics = self.tables[world].get(selector)
        if semantics is not None and semantics.choice is not None:
            choice = self.tables[world].choices.get(semantics.choice)
            if choice is not None and choice.type != "tristate":
                kept = TRUE_LITERAL
                if reverse is not None:
                    own = [
                        definition.own_dependency()
                        for definition in semantics.definitions
                        if any(
                            definition.path == reverse.location.path and item.span == reverse.location.span
                            for item in (*definition.selects, *definition.implies)
                        )
                    ]
                    kept = self.pair(conjunction(reverse.own_condition, *own), modules)[1]
                condition_pair = (condition_pair[0], self.conjoin((condition_pair[0], kept)))
        return (
            self.conjoin((selector_pair[0], condition_pair[0])),
            self.conjoin((selector_pair[1], condition_pair[1])),
        )

    def _defaults_pair(self, semantics: SymbolSemantics, modules: int) -> Pair:
        """The value of the first default whose condition holds (n when none does).

        A symbol with `option env="VAR"` takes a default from the environment
        of the build (ESP-IDF's `IDF_ENV_FPGA`, which its cmake passes): its
        defaults are unknown, a free pair, never guessed as n.
        """
        if any(
            option.split("=", 1)[0].strip() == "env"
            for definition in semantics.definitions
            for option, _ in definition.entry.options
        ):
            return self.free_pair("environment:" + semantics.name)
        none_before = TRUE_LITERAL
        at_least_m: list[int] = []
        at_least_y: list[int] = []
        for default in semantics.defaults:
            value = self.pair(default.value, modules, condition=False)
            condition = self.pair(default.condition, modules)
            at_least_m.append(self.conjoin((none_before, condition[0], value[0])))
            at_least_y.append(self.conjoin((none_before, condition[1], value[1])))
            none_before = self.conjoin((none_before, -condition[0]))
            if none_before == -TRUE_LITERAL:
                break
        return (self.disjoin(at_least_m), self.disjoin(at_least_y))

    def _choice_visibility(self, world: str, key: str) -> Pair:
        table = self.tables[world]
        choice = table.choices[key]
        modules = self.modules_literal(world)
        visibility = self.pair(
            _disjunction_of(prompt.visibility for prompt in choice.prompts),
            modules,
        )
        mode_y = TRUE_LITERAL
        if choice.optional or choice.type == "tristate":
            mode_y = self.free_pair(f"choice-mode:{world}:{key}")[1]
        if choice.type != "tristate":
            visibility = (visibility[0], visibility[0])
        return (visibility[0], self.conjoin((visibility[1], mode_y)))

    def _encode_choices(self) -> None:
        groups: dict[tuple[str, tuple[str, ...], tuple[int, ...]], list[str]] = {}
        for world, table in self.tables.items():
            for key, choice in table.choices.items():
                members = tuple(m for m in choice.members if table.get(m) is not None)
                if not members:
                    continue
                member_visibility = tuple(self.symbol_key(world, m).visibility[1] for m in members)
                groups.setdefault((key, members, member_visibility), []).append(world)
        for (key, members, member_visibility), worlds in groups.items():
            guard = self.world_set(worlds)
            activation = self.activation_literal("choice:" + key)
            at_least_y = [self.symbol_pair(member)[1] for member in members]
            prefix = [-activation, -guard]
            self._add_at_most_one(at_least_y, prefix)
            any_visible = self.disjoin(member_visibility)
            self.clauses.append([*prefix, -any_visible, *at_least_y])

    def _add_exactly_one(self, literals: list[int], guard: tuple[int, ...]) -> None:
        self.clauses.append([*guard, *literals])
        self._add_at_most_one(literals, list(guard))

    def _add_at_most_one(self, literals: list[int], prefix: list[int]) -> None:
        if len(literals) <= 6:
            for index, first in enumerate(literals):
                for second in literals[index + 1 :]:
                    self.clauses.append([*prefix, -first, -second])
            return
        # Sequential counter: s_i means "one of the first i literals is true".
        previous = literals[0]
        for literal in literals[1:]:
            self.clauses.append([*prefix, -previous, -literal])
            running = self.new_variable()
            self.clauses.append([*prefix, -previous, running])
            self.clauses.append([*prefix, -literal, running])
            previous = running

    def clauses_since(self, count: int) -> list[list[int]]:
        """The clauses after the first `count` (what a solver that has `count` has not seen)."""
        return self.clauses[count:]

    def value_of(self, model: Container[int], name: str) -> str:
        """`y`, `m` or `n` for a symbol under a solver model (a set of true literals)."""
        pair = self.symbol_variables.get(name)
        if pair is None:
            return "n"
        if pair[1] in model:
            return "y"
        return "m" if pair[0] in model else "n"

    def world_of(self, model: Container[int]) -> str:
        for world, literal in self.world_variable.items():
            if literal in model:
                return world
        return self.worlds[0]


def _symbol_clauses(encoding: Encoding, key: SymbolKey, value: Pair) -> Iterator[list[int]]:
    """The clauses (unguarded) that tie a symbol's value to its semantics."""
    at_least_m, at_least_y = value
    if key.type not in _BOOL_TRISTATE:
        yield [-at_least_m]
        return
    if key.type == "bool":
        yield [-at_least_m, at_least_y]
    else:
        # m only while modules are enabled (else tristates act as bools).
        yield [-at_least_m, at_least_y, key.modules]
    dependency_m, dependency_y = key.dependency
    visible_m, visible_y = key.visibility
    reverse_m, reverse_y = key.reverse
    implied_m, implied_y = key.implied
    conjoin, disjoin = encoding.conjoin, encoding.disjoin
    if key.in_choice:
        # kconfiglib: y only as the choice's selection (visible y), m only while visible; no selects.
        yield [-at_least_m, visible_m]
        yield [-at_least_y, visible_y] if key.type == "tristate" else [-at_least_y, visible_m]
        return
    boolish = TRUE_LITERAL if key.type == "bool" else -key.modules
    # Visible: at least the reverse dependency, at most what the dependencies allow.
    yield [-visible_m, -reverse_m, at_least_m]
    yield [-visible_m, -reverse_y, at_least_y]
    yield [-visible_m, -at_least_m, dependency_m, reverse_m]
    upper_y = disjoin(
        (
            dependency_y,
            reverse_y,
            conjoin((dependency_m, implied_y)),
            conjoin((boolish, disjoin((dependency_m, reverse_m)))),
        )
    )
    yield [-visible_m, -at_least_y, upper_y]
    # Invisible: exactly defaults, then implies (while the dependencies hold), then selects.
    defaults_m, defaults_y = key.defaults
    promoted_m = disjoin((defaults_m, conjoin((dependency_m, implied_m)), reverse_m))
    promoted_y = disjoin((defaults_y, conjoin((dependency_m, implied_y)), reverse_y))
    final_y = disjoin((promoted_y, conjoin((promoted_m, disjoin((implied_y, boolish))))))
    yield [visible_m, -at_least_m, promoted_m]
    yield [visible_m, at_least_m, -promoted_m]
    yield [visible_m, -at_least_y, final_y]
    yield [visible_m, at_least_y, -final_y]


def _disjunction_of(expressions: Iterable[Expression]) -> Expression:
    from kconfig_ls.syntax.expression import disjunction

    return disjunction(*expressions)


def encode_worlds(tables: Mapping[str, SymbolTable]) -> Encoding:
    """The formula of every world's symbol table (see the module docstring)."""
    encoding = Encoding(tables)
    encoding.encode_all()
    return encoding
