"""Dead symbols, prompts that can never be shown, and defaults that can never apply.

All three are "can this ever hold, on any architecture?" questions on the
formula of every world (`kconfig_ls.logic.tristate_encoding`):

- a **dead symbol** can never be m or y: its dependencies (with inherited
  `if`/`menu` conditions and the defaults of prompt-less symbols they
  reach) are never met, and nothing selects it in a configuration where it
  matters;
- a **dead prompt** is never shown, although its symbol is alive;
- a **dead default** never decides the value: an earlier default's
  condition always holds when its own does (`default y` followed by
  `default n if FOO`), or its condition can never hold.

Cheap by construction: every satisfying assignment the solver returns
proves many symbols, prompts and defaults alive at once, so the solver is
asked only about what no earlier model has shown alive (a few hundred
queries for Linux instead of tens of thousands). The explanation of a dead
symbol names the conjunct of its dependencies that can never hold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kconfig_ls.logic.solver import LogicSolver
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding, encode_worlds
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import render

__all__ = ["DeadItem", "LivenessAnalysis", "analyse_liveness"]


@dataclass(frozen=True, slots=True)
class DeadItem:
    """A symbol, prompt or default that can never take effect; `reason` is one line."""

    kind: str  # "symbol", "prompt" or "default"
    symbol: str
    location: Location
    reason: str


@dataclass(frozen=True)
class LivenessAnalysis:
    worlds: tuple[str, ...]
    dead: tuple[DeadItem, ...]
    queries: int


@dataclass
class _Question:
    kind: str
    symbol: str
    location: Location
    literal_by_world: dict[str, int]
    explain: Callable[[LogicSolver], str]


def analyse_liveness(
    tables: Mapping[str, SymbolTable],
    is_cancelled: Callable[[], bool] | None = None,
    encoding: Encoding | None = None,
) -> LivenessAnalysis:
    """Find what can never take effect in any world (see the module docstring)."""
    if encoding is None:
        encoding = encode_worlds(tables)
    questions = _questions(encoding, tables)
    dead: list[DeadItem] = []
    with LogicSolver(encoding, is_cancelled) as solver:
        # Models that enable as much as possible settle the most questions each.
        solver.prefer(literal for pair in encoding.symbol_variables.values() for literal in pair)
        open_questions = list(questions)
        while open_questions:
            question = open_questions.pop()
            alternatives = [
                encoding.conjoin((literal, encoding.world_variable[world]))
                for world, literal in question.literal_by_world.items()
            ]
            goal = encoding.disjoin(alternatives)
            model = solver.satisfiable([goal])
            if model is None:
                dead.append(
                    DeadItem(question.kind, question.symbol, question.location, question.explain(solver))
                )
                continue
            # Every open question this model answers is settled (alive): drop them all now.
            open_questions = [q for q in open_questions if not _answered(encoding, q, model)]
        queries = solver.queries
    return LivenessAnalysis(tuple(tables), tuple(_root_causes(tables, dead)), queries)


def _root_causes(tables: Mapping[str, SymbolTable], dead: list[DeadItem]) -> list[DeadItem]:
    """Keep the dead symbols whose dependencies mention no other dead symbol; drop what they take down.

    A symbol under `depends on BROKEN` is dead because BROKEN is: one finding
    (on BROKEN, with the count) says it all. Prompts and defaults of dead
    symbols are not reported on their own.
    """
    from kconfig_ls.syntax.expression import referenced_symbols

    dead_symbols = {item.symbol for item in dead if item.kind == "symbol"}
    dependents: dict[str, int] = {}
    roots: list[DeadItem] = []
    for item in dead:
        if item.kind != "symbol":
            if item.symbol not in dead_symbols:
                roots.append(item)
            continue
        mentioned: set[str] = set()
        for table in tables.values():
            semantics = table.get(item.symbol)
            if semantics is not None:
                mentioned.update(referenced_symbols(semantics.direct_dependency))
                for default in semantics.defaults:
                    mentioned.update(referenced_symbols(default.value))
                    mentioned.update(referenced_symbols(default.condition))
        causes = sorted((mentioned & dead_symbols) - {item.symbol})
        if causes:
            for cause in causes:
                dependents[cause] = dependents.get(cause, 0) + 1
            continue
        roots.append(item)
    result: list[DeadItem] = []
    for item in roots:
        count = dependents.get(item.symbol, 0) if item.kind == "symbol" else 0
        plural = (
            "symbol that depends on it directly is"
            if count == 1
            else "symbols that depend on it directly are"
        )
        suffix = f"; {count} {plural} dead too" if count else ""
        result.append(DeadItem(item.kind, item.symbol, item.location, item.reason + suffix))
    result.sort(key=lambda item: (item.location.path, item.location.span.start))
    return result


def _answered(encoding: Encoding, question: _Question, model: set[int]) -> bool:
    world = encoding.world_of(model)
    literal = question.literal_by_world.get(world)
    if literal is None:
        return False
    if literal == TRUE_LITERAL:
        return True
    # A gate built after the model was found has no value in it: not answered.
    return literal in model


def _questions(encoding: Encoding, tables: Mapping[str, SymbolTable]) -> list[_Question]:
    symbol_worlds: dict[str, dict[str, int]] = {}
    prompts: dict[Location, _Question] = {}
    defaults: dict[Location, _Question] = {}
    locations: dict[str, Location] = {}
    for world, table in tables.items():
        modules = encoding.modules_literal(world)
        for semantics in table:
            if semantics.type not in ("bool", "tristate"):
                continue
            name = semantics.name
            symbol_worlds.setdefault(name, {})[world] = encoding.symbol_pair(name)[0]
            locations.setdefault(name, semantics.location)
            alive = encoding.symbol_pair(name)[0]
            for prompt in semantics.prompts:
                shown = encoding.pair(prompt.visibility, modules)[0]
                question = prompts.setdefault(
                    prompt.location,
                    _Question(
                        "prompt", name, prompt.location, {}, _prompt_reason(name, render(prompt.condition))
                    ),
                )
                question.literal_by_world[world] = (
                    encoding.conjoin((shown, alive)) if semantics.choice else shown
                )
            none_before = TRUE_LITERAL
            for default in semantics.defaults:
                condition = encoding.pair(default.condition, modules)[0]
                applies = encoding.conjoin((none_before, condition))
                question = defaults.setdefault(
                    default.location,
                    _Question(
                        "default",
                        name,
                        default.location,
                        {},
                        _default_reason(name, render(default.own_condition)),
                    ),
                )
                question.literal_by_world[world] = applies
                none_before = encoding.conjoin((none_before, -condition))
    questions: list[_Question] = []
    for name, by_world in symbol_worlds.items():
        questions.append(
            _Question("symbol", name, locations[name], by_world, _symbol_reason(encoding, tables, name))
        )
    questions.extend(prompts.values())
    questions.extend(defaults.values())
    return questions


def _symbol_reason(
    encoding: Encoding, tables: Mapping[str, SymbolTable], name: str
) -> Callable[[LogicSolver], str]:
    def explain(solver: LogicSolver) -> str:
        """Why: its dependencies never hold, or they can but nothing turns it on."""
        dependencies: list[tuple[str, int]] = []
        for world, table in tables.items():
            semantics = table.get(name)
            if semantics is None:
                continue
            met = encoding.pair(semantics.direct_dependency, encoding.modules_literal(world))[0]
            dependencies.append(
                (render(semantics.direct_dependency), encoding.conjoin((met, encoding.world_variable[world])))
            )
            prompted = semantics.has_prompt
        satisfiable = (
            solver.satisfiable([encoding.disjoin(literal for _, literal in dependencies)]) is not None
        )
        if not satisfiable and dependencies and dependencies[0][0] != "y":
            return f"{name} depends on {dependencies[0][0]}, which never holds"
        if prompted:
            return "its prompt is never shown and no default or select enables it"
        return f"{name} has no prompt, and no default or select enables it"

    return explain


def _prompt_reason(name: str, condition: str) -> Callable[[LogicSolver], str]:
    return lambda _: (
        f"the prompt of {name} is never shown: its condition ({condition}) and dependencies never hold"
    )


def _default_reason(name: str, condition: str) -> Callable[[LogicSolver], str]:
    if condition == "y":
        return lambda _: f"this default of {name} never applies: an earlier default always applies first"
    return lambda _: (
        f"this default of {name} never applies: 'if {condition}' never holds where no earlier default applies"
    )
