"""kconfirm's semantic checks, decided by logic: redundant dependencies, selects, conditions, ranges.

kconfirm compares Kconfig attributes by text. Here each is compared by
logical implication, with the inherited `if`/`menu`/`choice` conditions of
its definition, so the findings are a superset of the textual ones
(`depends on A` twice; `depends on A` inside `if A`) and still never
false:

- **redundant dependency**: a conjunct of a `depends on` line is implied
  by the definition's other dependencies (`if FOO` ... `depends on FOO`;
  `depends on A && B` with `depends on A`);
- **redundant select/imply**: a `select T if C` whose condition implies the
  condition of another `select T` of the same entry (so T is already
  forced), or an `imply T` whose condition implies a `select T`'s or
  another `imply T`'s;
- **constant condition**: the `if C` of a `select`, `imply`, `default` or
  `range` always holds given the entry's dependencies (drop it), or never
  holds for a `select`/`imply` (the line does nothing; a default that never
  applies is KLS205's);
- **dead range**: a `range` that never applies: an earlier range of the
  entry always applies first, or its condition never holds;
- **backwards range**: `range 10 5`, also with a bound that is a
  constant symbol (an `int`/`hex` without prompt whose first default is an
  unconditional constant).

"Implied" is propositional with the tristate meaning of each operand (a
symbol is n, m or y; `m` in a condition is `m && MODULES`), not the Kconfig
model: `depends on X86 && X86_64` is not reported, although X86_64 depends
on X86 there, since such pairs are often written on purpose. Implication at
both tristate levels: `depends on FOO` inside `if BAR` is redundant only if
BAR can never exceed FOO, which `FOO=m, BAR=y` refutes for tristates.

A line is reported only if it is redundant in every world and every
inclusion that reads it (a file sourced twice under different `if`s).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace

from kconfig_ls.logic.solver import LogicSolver
from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL, Encoding, Pair
from kconfig_ls.semantics.definitions import SymbolDefinition, dependency_expression
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.symbols import SymbolSemantics, SymbolTable
from kconfig_ls.syntax.expression import (
    TRUE,
    And,
    Compare,
    Constant,
    Expression,
    Symbol,
    conjunction,
    disjunction,
    referenced_symbols,
    render,
)
from kconfig_ls.syntax.kconfig import Span

__all__ = [
    "RedundancyAnalysis",
    "RedundancyFinding",
    "analyse_redundancy",
    "install_tables",
    "redundancy_analysis_for",
]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RedundancyFinding:
    """One finding; `kind` is dependency, select, constant, dead-range or backwards-range."""

    kind: str
    symbol: str
    location: Location
    message: str
    fix: str = ""
    """The quick fix the rule offers (`kconfig_ls.checks.kconfig_fixes`): `remove-line`,
    `remove-operand` (operand `operand_index` of `operand_count`; `remaining` is the line's
    expression without it), `drop-condition` (an `if` that always holds), `remove-never` (a
    line whose `if` never holds), `swap-bounds`; empty for none."""
    operand_index: int = -1
    operand_count: int = 0
    remaining: str = ""


@dataclass(frozen=True)
class RedundancyAnalysis:
    findings: tuple[RedundancyFinding, ...]
    definitions: int
    queries: int


class _TypedEncoding(Encoding):
    """Symbols are free values of their types: a bool is never m, a tristate m only with modules,
    any other type is n as an operand, and a name no Kconfig defines is free (not n: the
    undefined-symbol rules report it, and a condition that "never holds" only because of it is
    their finding). No dependency, select or default is encoded.

    Pairs are made as questions need them, so a solver over it assigns only the variables of the
    questions asked (a formula with every symbol's pair made each query cost milliseconds).
    """

    def __init__(self, merged: SymbolTable) -> None:
        super().__init__({"": merged})
        self._merged = merged
        self.modules = TRUE_LITERAL
        self.modules = self.modules_literal("")

    def symbol_pair(self, name: str) -> Pair:
        known = name in self.symbol_variables
        pair = super().symbol_pair(name)
        if not known:
            semantics = self._merged.get(name)
            kind = semantics.type if semantics is not None else "tristate"
            if kind == "bool":
                self.clauses.append([-pair[0], pair[1]])
            elif kind == "tristate" and self.modules != TRUE_LITERAL:
                self.clauses.append([-pair[0], pair[1], self.modules])
            elif kind not in ("bool", "tristate"):
                self.clauses.append([-pair[0]])
        return pair

    def _tie_to_values(self, expression: Compare, result: int, worlds: list[str], modelled: set[str]) -> None:
        """Comparisons of int, hex and string values stay free: values are free here, and the
        merged table holds one world's defaults (ESP-IDF's SOC_UART_HP_NUM is 3 on esp32 and 2
        on esp32c3: read as 3, `range 0 1 if SOC_UART_HP_NUM <= 2` "never held")."""


class _EveryNameTyped(dict[str, dict[str, str | None]]):
    """The encoding's types, where an undefined name is a tristate of the one world."""

    def get(self, key: str, default: object = None) -> dict[str, str | None]:  # type: ignore[override]
        return super().get(key) or {"": "tristate"}


class _Logic:
    """Propositional questions on a `_TypedEncoding` (see there)."""

    def __init__(self, merged: SymbolTable, is_cancelled: Callable[[], bool] | None) -> None:
        self.encoding = _TypedEncoding(merged)
        self.encoding.types = _EveryNameTyped(self.encoding.types)
        self.modules = self.encoding.modules
        self.solver = LogicSolver(self.encoding, is_cancelled, batch=True)

    def pair(self, expression: Expression) -> Pair:
        return self.encoding.pair(expression, self.modules)

    def implies(self, premise: Expression, conclusion: Expression, *, levels: int = 2) -> bool:
        """Whether `premise <= conclusion` at the m level (and the y level, with `levels=2`)."""
        left, right = self.pair(premise), self.pair(conclusion)
        return all(not self.solver.solvable([left[level], -right[level]]) for level in range(levels))

    def possible(self, expression: Expression) -> bool:
        return self.solver.solvable([self.pair(expression)[0]])


def analyse_redundancy(
    tables: Mapping[str, SymbolTable], is_cancelled: Callable[[], bool] | None = None
) -> RedundancyAnalysis:
    """The findings of every definition that some world reads (see the module docstring).

    A definition object seen by the previous call, whose referenced symbols
    still have the types and constant values they had, keeps its checks
    (`_KEPT`): after an edit, only the edited files' definitions (new
    objects) are asked again.
    """
    merged_symbols: dict[str, SymbolSemantics] = {}
    modules_symbol = None
    for table in tables.values():
        for semantics in table:
            merged_symbols.setdefault(semantics.name, semantics)
        modules_symbol = modules_symbol or table.modules_symbol
    merged = SymbolTable("", merged_symbols, {}, modules_symbol)
    logic: _Logic | None = None
    asked = 0
    queries = 0
    examined: dict[tuple[str, Location], int] = {}
    flagged: dict[tuple[str, Location], tuple[int, RedundancyFinding]] = {}
    seen: set[tuple[object, ...]] = set()
    kept: dict[int, tuple[SymbolDefinition, tuple[object, ...], tuple[_Check, ...]]] = {}
    try:
        for table in tables.values():
            for semantics in table:
                for definition in semantics.definitions:
                    identity = (
                        definition.path,
                        definition.entry.name_span.start,
                        definition.direct_dependency(),
                        tuple(render(d.condition) for d in definition.defaults if d.condition is not None),
                    )
                    if identity in seen:
                        continue
                    seen.add(identity)
                    signature = _signature(definition, merged, modules_symbol)
                    previous = _KEPT.get(id(definition))
                    if previous is not None and previous[0] is definition and previous[1] == signature:
                        checks = previous[2]
                    else:
                        if logic is None or asked % _FRESH_SOLVER_EVERY == _FRESH_SOLVER_EVERY - 1:
                            # A fresh formula: a solver assigns every variable it holds at each query.
                            if logic is not None:
                                queries += logic.solver.queries
                                logic.solver.close()
                            logic = _Logic(merged, is_cancelled)
                        asked += 1
                        checks = tuple(_definition_checks(logic, definition, merged))
                    kept[id(definition)] = (definition, signature, checks)
                    for key, finding in checks:
                        examined[key] = examined.get(key, 0) + 1
                        if finding is not None:
                            count, first = flagged.get(key, (0, finding))
                            if first.message != finding.message and not first.message.endswith(_ELSEWHERE):
                                first = replace(first, message=first.message + _ELSEWHERE)
                            flagged[key] = (count + 1, first)
        if logic is not None:
            queries += logic.solver.queries
    finally:
        if logic is not None:
            logic.solver.close()
    _KEPT.clear()
    _KEPT.update(kept)
    findings = [finding for key, (count, finding) in flagged.items() if count == examined[key]]
    findings.sort(key=lambda f: (f.location.path, f.location.span.start, f.kind))
    return RedundancyAnalysis(tuple(findings), len(seen), queries)


_KEPT: dict[
    int,
    tuple[
        SymbolDefinition,
        tuple[object, ...],
        tuple[tuple[tuple[str, Location], RedundancyFinding | None], ...],
    ],
] = {}
"""The previous call's checks by definition object (the object is kept, so its id is not reused)."""


def _signature(
    definition: SymbolDefinition, merged: SymbolTable, modules_symbol: str | None
) -> tuple[object, ...]:
    """What a definition's checks read of other symbols: each referenced name's type, and the
    first default of a prompt-less one (a range bound's constant value)."""
    names: set[str] = set(referenced_symbols(definition.direct_dependency()))
    for reverse in (*definition.selects, *definition.implies):
        names.update(referenced_symbols(reverse.condition if reverse.condition is not None else TRUE))
    for default in definition.defaults:
        names.update(referenced_symbols(default.value))
        if default.condition is not None:
            names.update(referenced_symbols(default.condition))
    for range_ in definition.entry.ranges:
        for bound in (range_.low, range_.high, range_.condition if range_.condition is not None else TRUE):
            names.update(referenced_symbols(bound))
    parts: list[object] = [modules_symbol, tuple(item.expression for item in definition.inherited)]
    for name in sorted(names):
        semantics = merged.get(name)
        if semantics is None:
            parts.append((name, None))
            continue
        first = semantics.defaults[0] if semantics.defaults else None
        parts.append(
            (
                name,
                semantics.type,
                semantics.has_prompt,
                None if first is None else (first.own_condition, first.value),
            )
        )
    return tuple(parts)


_FRESH_SOLVER_EVERY = 200
_ELSEWHERE = " (and, by the conditions there, in each other place the file is read)"
_Check = tuple[tuple[str, Location], RedundancyFinding | None]


def _definition_checks(logic: _Logic, definition: SymbolDefinition, table: SymbolTable) -> Iterator[_Check]:
    if not logic.possible(definition.direct_dependency()):
        # `depends on n`: everything implies anything there; the dead entry is KLS203's finding.
        return
    yield from _dependencies(logic, definition)
    redundant: set[Location] = set()
    for key, finding in _reverse_dependencies(logic, definition):
        if finding is not None:
            redundant.add(key[1])
        yield key, finding
    yield from _constant_conditions(logic, definition, redundant)
    yield from _ranges(logic, definition, table)


def _conjuncts(expression: Expression) -> list[Expression]:
    return list(expression.operands) if isinstance(expression, And) else [expression]


def _dependencies(logic: _Logic, definition: SymbolDefinition) -> Iterator[_Check]:
    """Each conjunct of each `depends on` line, against the inherited conditions and the other conjuncts.

    When every operand of a line is redundant, each finding's fix removes the whole line.
    """
    checks = list(_dependency_checks(logic, definition))
    flagged: dict[Location, int] = {}
    for _, finding in checks:
        if finding is not None:
            flagged[finding.location] = flagged.get(finding.location, 0) + 1
    for key, finding in checks:
        if (
            finding is not None
            and finding.fix == "remove-operand"
            and flagged[finding.location] == finding.operand_count
        ):
            finding = replace(finding, fix="remove-line", remaining="")
        yield key, finding


def _dependency_checks(logic: _Logic, definition: SymbolDefinition) -> Iterator[_Check]:
    inherited = [(_inherited_label(c.origin, c.expression), c.expression) for c in definition.inherited]
    own: list[tuple[Location, str, Expression, str]] = []
    operands_by_location: dict[Location, list[Expression]] = {}
    positions: list[int] = []
    conditional: set[Location] = set()
    for dependency in definition.dependencies:
        location = Location(definition.path, dependency.span)
        line = dependency_expression(dependency)
        operands_by_location[location] = _conjuncts(line)
        if dependency.condition is not None:
            conditional.add(location)  # `depends on A && B if C`: no operand is cut out of it
        for number, conjunct in enumerate(operands_by_location[location]):
            positions.append(number)
            own.append((location, render(conjunct), conjunct, render(line)))
    if not own or len(own) + len(inherited) < 2:
        return
    redundant: set[int] = set()
    for index in reversed(range(len(own))):
        location, text, conjunct, _ = own[index]
        position = positions[index]
        # One key per operand: a line whose other operands are needed still has a redundant one.
        key = (f"dependency {position}", location)
        others = [
            (
                f"'depends on {line_text}'" if other_location != location else "the rest of its line",
                expression,
            )
            for other, (other_location, _, expression, line_text) in enumerate(own)
            if other != index and other not in redundant
        ]
        premises = [*inherited, *others]
        names = set(referenced_symbols(conjunct))
        premise_names = {name for _, expression in premises for name in referenced_symbols(expression)}
        if not names & premise_names or not logic.implies(conjunction(*(e for _, e in premises)), conjunct):
            yield key, None
            continue
        redundant.add(index)
        operands = operands_by_location[location]
        remaining = render(conjunction(*(o for number, o in enumerate(operands) if number != position)))
        why = _fewest(logic, premises, conjunct)
        duplicate = why[0][0] == f"'depends on {text}'" or why[0][0].endswith(f" {text}'")
        verb = "repeats" if duplicate and len(why) == 1 else "is implied by"
        yield (
            key,
            RedundancyFinding(
                "dependency",
                definition.name,
                location,
                f"'depends on {text}' of {definition.name} {verb} {' and '.join(t for t, _ in why)}"
                ": remove it",
                "remove-line" if len(operands) == 1 else "" if location in conditional else "remove-operand",
                position,
                len(operands),
                remaining if len(operands) > 1 else "",
            ),
        )


def _inherited_label(origin: str, expression: Expression) -> str:
    """`the enclosing 'if NET'`, `the enclosing menu's 'depends on NET'`."""
    if origin == "if":
        return f"the enclosing 'if {render(expression)}'"
    return f"the enclosing {origin}'s 'depends on {render(expression)}'"


def _fewest(
    logic: _Logic, premises: list[tuple[str, Expression]], conclusion: Expression
) -> list[tuple[str, Expression]]:
    """A smallest-by-deletion subset of the premises that still implies the conclusion."""
    kept = list(premises)
    for item in list(premises):
        trial = [p for p in kept if p is not item]
        if trial and logic.implies(conjunction(*(e for _, e in trial)), conclusion):
            kept = trial
    return kept


def _reverse_dependencies(logic: _Logic, definition: SymbolDefinition) -> Iterator[_Check]:
    """A select/imply whose condition implies another's for the same target (given the dependencies)."""
    dependency = definition.direct_dependency()
    by_target: dict[str, list[tuple[str, Expression, Location]]] = {}
    for keyword, reverses in (("select", definition.selects), ("imply", definition.implies)):
        for reverse in reverses:
            condition = reverse.condition if reverse.condition is not None else TRUE
            by_target.setdefault(reverse.target, []).append(
                (keyword, condition, Location(definition.path, reverse.span))
            )
    for target, lines in by_target.items():
        if len(lines) < 2:
            continue
        redundant: set[int] = set()
        for index in reversed(range(len(lines))):
            keyword, condition, location = lines[index]
            key = ("select", location)
            covering = [
                (other, lines[other])
                for other in range(len(lines))
                if other != index
                and other not in redundant
                and (keyword == "imply" or lines[other][0] == "select")
            ]
            if not covering:
                yield key, None
                continue
            union = disjunction(*(c for _, (_, c, _) in covering))
            if not logic.implies(conjunction(dependency, condition), conjunction(dependency, union)):
                yield key, None
                continue
            redundant.add(index)
            cover = [
                (k, c, loc)
                for _, (k, c, loc) in covering
                if logic.implies(conjunction(dependency, condition), conjunction(dependency, c))
            ]
            what = _spelled(keyword, target, condition)
            if cover:
                other_keyword, other_condition, _ = cover[0]
                same = other_keyword == keyword and other_condition == condition
                by = f"'{_spelled(other_keyword, target, other_condition)}'"
                message = (
                    f"'{what}' of {definition.name} repeats {by}: remove it"
                    if same
                    else f"'{what}' of {definition.name} is redundant: {by} already applies whenever it does"
                )
            else:
                message = f"'{what}' of {definition.name} is redundant: the other lines for {target} cover it"
            yield key, RedundancyFinding("select", definition.name, location, message, "remove-line")


def _spelled(keyword: str, target: str, condition: Expression) -> str:
    return f"{keyword} {target}" if condition == TRUE else f"{keyword} {target} if {render(condition)}"


def _constant_conditions(
    logic: _Logic, definition: SymbolDefinition, redundant: set[Location]
) -> Iterator[_Check]:
    """`if C` on a select, imply, default or range that always (or, for select/imply, never) holds."""
    dependency = definition.direct_dependency()
    lines: list[tuple[str, str, Expression, Location]] = []
    for keyword, reverses in (("select", definition.selects), ("imply", definition.implies)):
        for reverse in reverses:
            if reverse.condition is not None:
                lines.append(
                    (keyword, reverse.target, reverse.condition, Location(definition.path, reverse.span))
                )
    for default in definition.defaults:
        if default.condition is not None:
            lines.append(
                ("default", render(default.value), default.condition, Location(definition.path, default.span))
            )
    for range_ in definition.entry.ranges:
        if range_.condition is not None:
            text = f"{render(range_.low)} {render(range_.high)}"
            lines.append(("range", text, range_.condition, Location(definition.path, range_.span)))
    for keyword, operand, condition, location in lines:
        key = ("constant", location)
        if condition == TRUE or location in redundant:
            yield key, None
            continue
        levels = 1 if keyword == "range" else 2
        premise = dependency
        if logic.implies(premise, condition, levels=levels):
            where = f"given the dependencies of {definition.name}" if premise != TRUE else "always"
            message = (
                f"the condition 'if {render(condition)}' of '{keyword} {operand}' always holds"
                f" ({where}): drop it"
            )
            message = message.replace(" (always)", "")
            yield key, RedundancyFinding("constant", definition.name, location, message, "drop-condition")
            continue
        if keyword in ("select", "imply") and not logic.possible(conjunction(premise, condition)):
            message = (
                f"the condition 'if {render(condition)}' of '{keyword} {operand}' never holds"
                f" where {definition.name} is defined: the line has no effect"
            )
            yield key, RedundancyFinding("constant", definition.name, location, message, "remove-never")
            continue
        yield key, None


def _ranges(logic: _Logic, definition: SymbolDefinition, table: SymbolTable) -> Iterator[_Check]:
    """Ranges that never apply, and backwards ranges."""
    dependency = definition.direct_dependency()
    earlier: list[Expression] = []
    type_name = definition.type_name
    for range_ in definition.entry.ranges:
        location = Location(definition.path, range_.span)
        condition = range_.condition if range_.condition is not None else TRUE
        text = f"range {render(range_.low)} {render(range_.high)}"
        key = ("dead-range", location)
        applies = conjunction(dependency, condition)
        if earlier and logic.implies(applies, conjunction(dependency, disjunction(*earlier)), levels=1):
            yield (
                key,
                RedundancyFinding(
                    "dead-range",
                    definition.name,
                    location,
                    f"'{text}' of {definition.name} never applies: an earlier range always applies first",
                    "remove-line",
                ),
            )
        elif condition != TRUE and not logic.possible(applies):
            yield (
                key,
                RedundancyFinding(
                    "dead-range",
                    definition.name,
                    location,
                    f"'{text}' of {definition.name} never applies:"
                    f" 'if {render(condition)}' never holds there",
                    "remove-line",
                ),
            )
        else:
            yield key, None
        earlier.append(condition)
        low = _constant_value(range_.low, type_name, table)
        high = _constant_value(range_.high, type_name, table)
        key = ("backwards-range", location)
        if low is not None and high is not None and low[0] > high[0]:
            shown = [
                f"{render(bound)} = {value[1]}"
                for bound, value in ((range_.low, low), (range_.high, high))
                if isinstance(bound, Symbol)
            ]
            detail = f" ({', '.join(shown)})" if shown else ""
            yield (
                key,
                RedundancyFinding(
                    "backwards-range",
                    definition.name,
                    location,
                    f"'{text}' of {definition.name} is backwards{detail}:"
                    " its low bound is above its high bound, so no value is valid; swap them",
                    "swap-bounds",
                ),
            )
        else:
            yield key, None


def _constant_value(bound: Expression, type_name: str | None, table: SymbolTable) -> tuple[int, str] | None:
    """A bound's number, when it is a literal or a constant symbol (see the module docstring)."""
    if isinstance(bound, Symbol):
        semantics = table.get(bound.name)
        if semantics is None or semantics.has_prompt or not semantics.defaults:
            return None
        first = semantics.defaults[0]
        if first.own_condition != TRUE or not isinstance(first.value, Constant):
            return None
        return _number(first.value.value, semantics.type or type_name)
    if isinstance(bound, Constant):
        return _number(bound.value, type_name)
    return None


def _number(text: str, type_name: str | None) -> tuple[int, str] | None:
    try:
        if type_name == "hex":
            return int(text, 16), text
        if type_name == "int":
            return int(text, 0 if text.lower().startswith(("0x", "-0x")) else 10), text
    except ValueError:
        return None
    return None


def iter_findings(analysis: RedundancyAnalysis, kind: str) -> Iterable[RedundancyFinding]:
    return (finding for finding in analysis.findings if finding.kind == kind)


_MEMORY: dict[str, RedundancyAnalysis] = {}
_INSTALLED: dict[str, Mapping[str, SymbolTable]] = {}


def install_tables(model: KconfigModel, tables: Mapping[str, SymbolTable]) -> None:
    """Every world's tables of `model`, kept up to date elsewhere (`IncrementalLogic`): the
    analysis of that text reads them instead of loading every world again (Linux: ~40 s)."""
    from kconfig_ls.logic.world_analysis import tree_fingerprint

    _INSTALLED.clear()
    _INSTALLED[tree_fingerprint(model)] = tables


_FORMAT = 2


def redundancy_analysis_for(
    model: KconfigModel, cache_directory: str | None = None, is_cancelled: Callable[[], bool] | None = None
) -> RedundancyAnalysis:
    """The analysis of the model's tree over all its worlds: from memory, the disk cache, or computed."""
    from kconfig_ls.logic.world_analysis import tables_for, tree_fingerprint

    fingerprint = tree_fingerprint(model)
    cached = _MEMORY.get(fingerprint)
    if cached is not None:
        return cached
    path = (
        os.path.join(cache_directory, f"logic-redundancy-{_FORMAT}-{fingerprint}.json")
        if cache_directory
        else None
    )
    analysis = _read(path) if path is not None else None
    if analysis is None:
        installed = _INSTALLED.get(fingerprint)
        analysis = analyse_redundancy(installed if installed is not None else tables_for(model), is_cancelled)
        if path is not None:
            _write(path, analysis)
    _MEMORY.clear()
    _MEMORY[fingerprint] = analysis
    return analysis


def _read(path: str) -> RedundancyAnalysis | None:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        findings = tuple(
            RedundancyFinding(
                kind,
                symbol,
                Location(file, Span(int(start), int(end))),
                message,
                fix,
                int(index),
                int(count),
                rest,
            )
            for kind, symbol, file, start, end, message, fix, index, count, rest in data["findings"]
        )
        return RedundancyAnalysis(findings, int(data["definitions"]), int(data["queries"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write(path: str, analysis: RedundancyAnalysis) -> None:
    data = {
        "definitions": analysis.definitions,
        "queries": analysis.queries,
        "findings": [
            [
                f.kind,
                f.symbol,
                f.location.path,
                f.location.span.start,
                f.location.span.end,
                f.message,
                f.fix,
                f.operand_index,
                f.operand_count,
                f.remaining,
            ]
            for f in analysis.findings
        ],
    }
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temporary, path)
    except OSError as error:
        _LOG.warning("cannot write the redundancy cache %s: %s", path, error)
