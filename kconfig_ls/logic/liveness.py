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

Cheap by construction: the solver is never asked about one question at a
time. World by world, it is asked for a model in which at least one open
question holds, with every open question's literal preferred true; each
model settles hundreds of questions at once, and the first "no" proves
every question still open dead in that world (Linux x86: 35,732
questions, 143 queries, 11.5 s CPU; asking one question at a time with
models preferring every symbol on needed over 4,000 queries, and all 21
architectures did not finish in 12 CPU-minutes). The explanation of a dead
symbol says whether its dependencies can ever hold; that is asked the same
way, one harvest for all the root causes (asking it symbol by symbol was
1,363 queries and more than half of the analysis on Linux x86).

The solver is the one the select analysis has just loaded the same formula
into, when there is one (`LogicSolver.reuse`): the answers here do not
depend on which model a solver finds, only on what can hold.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from kconfig_ls.logic.solver import LogicSolver
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding, encode_worlds
from kconfig_ls.semantics.model import Location
from kconfig_ls.semantics.symbols import SymbolSemantics, SymbolTable
from kconfig_ls.syntax.expression import TRUE, Expression, render

__all__ = ["DeadItem", "LivenessAnalysis", "analyse_liveness", "default_key"]


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
    explain: Callable[[set[str]], str]


def analyse_liveness(
    tables: Mapping[str, SymbolTable],
    is_cancelled: Callable[[], bool] | None = None,
    encoding: Encoding | None = None,
) -> LivenessAnalysis:
    """Find what can never take effect in any world (see the module docstring)."""
    if encoding is None:
        encoding = encode_worlds(tables)
    questions = _questions(encoding, tables)
    with LogicSolver.reuse(encoding, is_cancelled) as solver:
        alive = harvest(solver, encoding, [question.literal_by_world for question in questions])
        open_questions = [question for index, question in enumerate(questions) if index not in alive]
        # Only the root causes are reported, so only they are explained (one harvest for all).
        dead = _root_causes(encoding, tables, open_questions, solver)
        queries = solver.queries
    return LivenessAnalysis(tuple(tables), tuple(dead), queries)


def harvest(solver: LogicSolver, encoding: Encoding, questions: Sequence[Mapping[str, int]]) -> set[int]:
    """The indices of the questions that can hold: each is a literal per world, true in some model.

    World by world, the solver is asked for a model in which at least one
    open question holds, steered towards making them all hold (each model
    settles hundreds); the first "no" proves every question still open
    false in that world at once. A question shown to hold in one world is
    not asked in the others.
    """
    holds: set[int] = set()
    for world in encoding.worlds:
        world_literal = encoding.world_variable[world]
        waiting: dict[int, list[int]] = {}
        for index, by_world in enumerate(questions):
            literal = by_world.get(world)
            if literal is None or index in holds:
                continue
            if literal == -TRUE_LITERAL:
                continue
            waiting.setdefault(literal, []).append(index)
        while waiting:
            literals = sorted(waiting)
            solver.prefer(literals)
            model = solver.model_of_any(literals, [world_literal])
            if model is None:
                break
            for literal in literals:
                if literal in model:
                    holds.update(waiting.pop(literal))
    return holds


def _root_causes(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    dead: list[_Question],
    solver: LogicSolver | None,
    met: set[str] | None = None,
    mentions: dict[str, Mentions] | None = None,
) -> list[DeadItem]:
    """Keep the dead symbols whose dependencies mention no other dead symbol; drop what they take down.

    A symbol under `depends on BROKEN` is dead because BROKEN is: one finding
    (on BROKEN, with the count) says it all. Prompts and defaults of dead
    symbols are not reported on their own. `met` (the roots whose
    dependencies can hold) is asked of the solver unless given: an
    incremental update whose explanations are all kept passes an empty set.
    `mentions` keeps what each dead symbol's semantics mention between calls
    (`Mentions`: an update after an edit recomputes the roots of ~1,500 dead
    symbols on Linux x86, nearly all with the semantics of the call before).
    """
    dead_symbols = {item.symbol for item in dead if item.kind == "symbol"}
    dependents: dict[str, int] = {}
    roots: list[_Question] = []
    for item in dead:
        if item.kind != "symbol":
            if item.symbol not in dead_symbols:
                roots.append(item)
            continue
        if mentions is None:
            read = _mentions(tables, item.symbol)
        else:
            identity = tuple(table.symbols.get(item.symbol) for table in tables.values())
            kept = mentions.get(item.symbol)
            if kept is None or not all(a is b for a, b in zip(kept.identity, identity, strict=True)):
                kept = mentions[item.symbol] = _mentions(tables, item.symbol, identity)
            read = kept
        mentioned = set(read.referenced)
        for selectors in read.selectors:
            # Selected only by dead symbols (U-Boot's errata of removed SoCs): their consequence.
            if selectors and all(selector in dead_symbols for selector in selectors):
                mentioned.update(selectors)
        causes = sorted((mentioned & dead_symbols) - {item.symbol})
        if causes:
            for cause in causes:
                dependents[cause] = dependents.get(cause, 0) + 1
            continue
        roots.append(item)
    root_symbols = [item.symbol for item in roots if item.kind == "symbol"]
    if met is None:
        assert solver is not None
        root_defaults = [item for item in roots if item.kind == "default"]
        met = _dependencies_met(encoding, tables, root_symbols, solver, root_defaults)
    result: list[DeadItem] = []
    for item in roots:
        count = dependents.get(item.symbol, 0) if item.kind == "symbol" else 0
        plural = (
            "symbol that depends on it directly is"
            if count == 1
            else "symbols that depend on it directly are"
        )
        suffix = f"; {count} {plural} dead too" if count else ""
        result.append(DeadItem(item.kind, item.symbol, item.location, item.explain(met) + suffix))
    result.sort(key=lambda item: (item.location.path, item.location.span.start))
    return result


@dataclass(frozen=True)
class Mentions:
    """What a symbol's semantics mention for `_root_causes`, in every world of the tables:
    the symbols its dependencies and defaults read, and its selectors and implyers per world.
    `identity`: the semantics read (in the tables' order), to tell a kept one still true."""

    identity: tuple[SymbolSemantics | None, ...]
    referenced: frozenset[str]
    selectors: tuple[tuple[str, ...], ...]


def _mentions(
    tables: Mapping[str, SymbolTable], name: str, identity: tuple[SymbolSemantics | None, ...] = ()
) -> Mentions:
    from kconfig_ls.syntax.expression import referenced_symbols

    referenced: set[str] = set()
    selectors: list[tuple[str, ...]] = []
    for table in tables.values():
        semantics = table.get(name)
        if semantics is not None:
            referenced.update(referenced_symbols(semantics.direct_dependency))
            for default in semantics.defaults:
                referenced.update(referenced_symbols(default.value))
                referenced.update(referenced_symbols(default.condition))
            selectors.append(tuple(r.selector for r in (*semantics.selected_by, *semantics.implied_by)))
    return Mentions(identity, frozenset(referenced), tuple(selectors))


def _dependencies_met(
    encoding: Encoding,
    tables: Mapping[str, SymbolTable],
    names: list[str],
    solver: LogicSolver,
    defaults: Sequence[_Question] = (),
) -> set[str]:
    """The symbols among `names` whose dependencies can hold in some world (one harvest for all).

    With them, `default_key(location)` of each of the dead `defaults` whose
    definition's dependencies can hold (the others are dead because of
    those dependencies, not because of an earlier default).
    """
    questions, keys = met_questions(encoding, tables, names, defaults)
    return {keys[index] for index in harvest(solver, encoding, questions)}


def met_questions(
    encoding: Encoding, tables: Mapping[str, SymbolTable], names: list[str], defaults: Sequence[_Question]
) -> tuple[list[dict[str, int]], list[str]]:
    """The harvest questions of `_dependencies_met`, and the name in `met` of each."""
    questions = dependency_questions(encoding, tables, names)
    keys: list[str] = list(names)
    for item in defaults:
        by_world: dict[str, int] = {}
        for world, table in tables.items():
            dependency = _definition_dependency(table, item.symbol, item.location)
            if dependency is not None:
                by_world[world] = encoding.pair(dependency, encoding.modules_literal(world))[0]
        questions.append(by_world)
        keys.append(default_key(item.location))
    return questions, keys


def dependency_questions(
    encoding: Encoding, tables: Mapping[str, SymbolTable], names: list[str]
) -> list[dict[str, int]]:
    """Per name, the literal "its direct dependency holds" in each world defining it (harvest questions)."""
    questions: list[dict[str, int]] = []
    for name in names:
        by_world: dict[str, int] = {}
        for world, table in tables.items():
            semantics = table.get(name)
            if semantics is not None:
                modules = encoding.modules_literal(world)
                by_world[world] = encoding.pair(semantics.direct_dependency, modules)[0]
        questions.append(by_world)
    return questions


def default_key(location: Location) -> str:
    """How a default whose definition's dependencies can hold is named in `met` (no symbol's name)."""
    return f"{location.path}:{location.span.start}"


def _definition_dependency(table: SymbolTable, name: str, location: Location) -> Expression | None:
    """The direct dependency of the world's definition of `name` that holds the default at `location`."""
    semantics = table.get(name)
    if semantics is None:
        return None
    for definition in semantics.definitions:
        if definition.path == location.path and any(d.span == location.span for d in definition.defaults):
            return definition.direct_dependency()
    return None


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
            alive = encoding.symbol_pair(name)[0]
            by_world = symbol_worlds.get(name)
            if by_world is None:
                # Built once per name, place and question, not once per world (the reasons render
                # expressions: 210,000 renders after a select edit over Linux's 21 worlds).
                by_world = symbol_worlds[name] = {}
                locations[name] = semantics.location
            by_world[world] = alive
            for prompt in semantics.prompts:
                shown = encoding.pair(prompt.visibility, modules)[0]
                question = prompts.get(prompt.location)
                if question is None:
                    reason = _prompt_reason(name, render(prompt.condition))
                    question = _Question("prompt", name, prompt.location, {}, reason)
                    prompts[prompt.location] = question
                _add_occurrence(
                    encoding, question, world, encoding.conjoin((shown, alive)) if semantics.choice else shown
                )
            none_before = TRUE_LITERAL
            for default in semantics.defaults:
                condition = encoding.pair(default.condition, modules)[0]
                applies = encoding.conjoin((none_before, condition))
                question = defaults.get(default.location)
                if question is None:
                    reason = _default_reason(name, render(default.own_condition), default.location, tables)
                    question = defaults[default.location] = _Question(
                        "default", name, default.location, {}, reason
                    )
                _add_occurrence(encoding, question, world, applies)
                none_before = encoding.conjoin((none_before, -condition))
    questions: list[_Question] = []
    for name, by_world in symbol_worlds.items():
        questions.append(_Question("symbol", name, locations[name], by_world, _symbol_reason(tables, name)))
    questions.extend(prompts.values())
    questions.extend(defaults.values())
    return questions


def _add_occurrence(encoding: Encoding, question: _Question, world: str, literal: int) -> None:
    """One more way for the question to hold in a world: a line reached twice (a file sourced
    twice, as coreboot's globs do) is alive when either occurrence is, so the literals are
    joined, not replaced (replacing reported `default y if CPU_INTEL_COMMON` dead because its
    second occurrence comes after the identical first)."""
    earlier = question.literal_by_world.get(world)
    question.literal_by_world[world] = literal if earlier is None else encoding.disjoin((earlier, literal))


def _symbol_reason(tables: Mapping[str, SymbolTable], name: str) -> Callable[[set[str]], str]:
    def explain(met: set[str]) -> str:
        """Why: its dependencies never hold, or they can but nothing turns it on.

        `met` names the dead symbols whose dependencies can hold in some world.
        """
        dependency = None
        prompted = False
        for table in tables.values():
            semantics = table.get(name)
            if semantics is None:
                continue
            if dependency is None:
                dependency = render(semantics.direct_dependency)
            prompted = semantics.has_prompt
        if name not in met and dependency is not None and dependency != "y":
            return f"{name} depends on {dependency}, which never holds"
        if prompted:
            return "its prompt is never shown and no default or select enables it"
        return f"{name} has no prompt, and no default or select enables it"

    return explain


def _prompt_reason(name: str, condition: str) -> Callable[[set[str]], str]:
    return lambda _: (
        f"the prompt of {name} is never shown: its condition ({condition}) and dependencies never hold"
    )


def _default_reason(
    name: str, condition: str, location: Location, tables: Mapping[str, SymbolTable]
) -> Callable[[set[str]], str]:
    """Why a default never applies: its definition's dependencies never hold, or an earlier default wins.

    `met` holds `default_key(location)` when the definition's dependencies
    can hold somewhere (`_dependencies_met`).
    """

    prefix = f"this default of {name} never applies"

    def explain(met: set[str]) -> str:
        if default_key(location) not in met:
            dependency = next(
                (
                    found
                    for table in tables.values()
                    if (found := _definition_dependency(table, name, location)) is not None
                ),
                None,
            )
            if dependency is not None and dependency != TRUE:
                return f"{prefix}: its dependencies ({render(dependency)}) never hold"
        if condition == "y":
            return f"{prefix}: an earlier default always applies first"
        return f"{prefix}: 'if {condition}' never holds where no earlier default applies"

    return explain
