"""KLS006 recursive-dependency: symbols that depend on themselves.

Reported as the C tools report it ("recursive dependency detected!"), with
the whole cycle, one step a line: `A depends on B`, `B is selected by A`,
`B default depends on C`. Edges follow the C tools' `sym_check_deps`: a
symbol depends on the symbols in its direct dependencies (including those
inherited from `if`/`menu`/`choice`), its prompt conditions, its defaults
and their conditions, its ranges, and on whoever selects or implies it.

Only the configured world is checked (the definitions that count in it, as
its symbol table decides: what the root Kconfig reaches): other
architectures' files would join unrelated definitions into false cycles.
Each cycle is reported once, at the definition of its first symbol.
"""

# After an edit, only the strongly connected components that hold a changed
# symbol can differ: a component with no changed member has the same edges
# as before, and stays a component unless it merges with one that has a
# changed member (then it is part of that one). So the per-symbol entry
# point recomputes the components of the changed symbols (and of the
# members of their old components, which may split) in the old and the new
# graph, found by a search from each symbol rather than over the whole
# graph; each finding names the smallest member of its component, which is
# where the cycle it reports starts.

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from typing import Final

from kconfig_ls.checks.framework import (
    CheckContext,
    Finding,
    RelatedLocation,
    Rule,
    Severity,
    SymbolChanges,
    SymbolEntryPoint,
)
from kconfig_ls.semantics.model import InheritedCondition, KconfigModel, Location, SymbolDefinition
from kconfig_ls.semantics.symbols import counts_in_world, world_definitions
from kconfig_ls.syntax.expression import Expression, referenced_symbols

Edge = tuple[str, str, Location]  # target, label, where


_MAX_CHANGED_SYMBOLS: Final = 400
"""Past this many changed symbols (a structural edit), the whole rule runs: it is cheaper."""


def check(context: CheckContext) -> Iterator[Finding]:
    workspace = context.model
    # Find cycles on plain adjacency sets first (cheap on 17,000 symbols),
    # after peeling off every symbol that cannot be on a cycle; labelled edges
    # are built only for the few symbols in a cycle.
    adjacency = {
        source: sorted(targets) for source, targets in _without_acyclic_part(_adjacency(workspace)).items()
    }
    for component in _strongly_connected_components(adjacency):
        if len(component) == 1:
            only = next(iter(component))
            if only not in adjacency.get(only, ()):
                continue
        finding = _cycle_finding(workspace, component)
        if finding is not None:
            yield finding


def check_symbols(context: CheckContext, names: frozenset[str]) -> Iterator[Finding]:
    """The cycles of the components of these symbols (the per-symbol entry point)."""
    graph = _graph_for(context.model)
    seen: set[int] = set()
    components = graph.components_of(context.model, names)
    for name in sorted(names):
        component = components[name]
        if id(component) in seen:
            continue
        seen.add(id(component))
        if len(component) == 1 and name not in graph.successors(context.model, name):
            continue
        finding = _cycle_finding(context.model, component)
        if finding is not None:
            yield finding


def affected_symbols(changes: SymbolChanges) -> frozenset[str] | None:
    """The members of every component, before or after the edit, that holds a changed symbol.

    A symbol's edges change when its definitions do, or when a select or
    imply of it does (its selector changed): the changed symbols and the
    targets of their selects and implies, before and after. A finding also
    reports where each edge is written: a name whose uses changed (an edge
    into it moved to another line without changing any meaning) counts as
    changed, and its component holds the edge's source if the edge is on a
    cycle.
    """
    if len(changes.symbols) + len(changes.references) > _MAX_CHANGED_SYMBOLS:
        return None
    changed = set(changes.symbols) | changes.references
    for model in (changes.previous_model, changes.model):
        for name in changes.symbols:
            for definition in model.definitions.get(name, ()):
                changed.update(reverse.target for reverse in (*definition.selects, *definition.implies))
    old_graph = _graph_for(changes.previous_model)
    before = _members(old_graph.components_of(changes.previous_model, changed))
    new_graph = _graph_for(changes.model, old_graph, changed)
    after = _members(new_graph.components_of(changes.model, changed | before))
    return frozenset(changed | before | after)


def _members(components: dict[str, set[str]]) -> set[str]:
    members: set[str] = set()
    for component in components.values():
        members |= component
    return members


def _cycle_finding(workspace: KconfigModel, component: set[str]) -> Finding | None:
    graph = _labelled_edges(workspace, component)
    cycle = _find_cycle(graph, component)
    if not cycle:
        return None
    steps = [f"{source} {label} {target}" for source, target, label, _ in cycle]
    first_name = cycle[0][0]
    definitions = world_definitions(workspace, first_name)
    location = definitions[0].location if definitions else cycle[0][3]
    return RULE.finding(
        "recursive dependency detected: " + ", ".join(steps),
        location,
        related=[RelatedLocation(step, where) for step, (_, _, _, where) in zip(steps, cycle, strict=True)],
        symbol=first_name,
    )


class _Graph:
    """The dependency graph of a model, its edges computed on demand (as `_adjacency` does).

    The edges of a symbol depend only on its own definitions and on the
    selects and implies of it, so a graph after an edit starts from the
    previous one's edges minus those of the changed symbols. It holds no
    reference to its model (the caller passes it), so a cached graph never
    keeps an old model alive.
    """

    def __init__(self, inherited: dict[str, frozenset[str]] | None = None) -> None:
        self._successors: dict[str, frozenset[str]] = dict(inherited or {})
        self._names: dict[int, tuple[Expression, frozenset[str]]] = {}

    def without(self, changed: Iterable[str]) -> _Graph:
        inherited = dict(self._successors)
        for name in changed:
            inherited.pop(name, None)
        return _Graph(inherited)

    def successors(self, workspace: KconfigModel, name: str) -> frozenset[str]:
        cached = self._successors.get(name)
        if cached is not None:
            return cached
        targets: set[str] = set()
        for definition in world_definitions(workspace, name):
            for expression in _dependency_expressions(definition):
                targets |= self._expression_names(expression)
        for table in (workspace.selected_by, workspace.implied_by):
            for selector, reverse in table.get(name, ()):
                if counts_in_world(selector):
                    targets.add(selector.name)
                    if reverse.condition is not None:
                        targets |= self._expression_names(reverse.condition)
        found = self._successors[name] = frozenset(targets)
        return found

    def components_of(self, workspace: KconfigModel, starts: Iterable[str]) -> dict[str, set[str]]:
        """The strongly connected component of each start symbol.

        Tarjan's algorithm on what the starts reach: every cycle through a
        reached symbol stays within that part, so its components are those
        of the whole graph.
        """
        reachable: dict[str, list[str]] = {}
        frontier = list(starts)
        for name in frontier:
            reachable.setdefault(name, [])
        while frontier:
            node = frontier.pop()
            targets = sorted(self.successors(workspace, node))
            reachable[node] = targets
            for target in targets:
                if target not in reachable:
                    reachable[target] = []
                    frontier.append(target)
        component_of: dict[str, set[str]] = {}
        for component in _strongly_connected_components(reachable):
            for member in component:
                component_of[member] = component
        return {name: component_of[name] for name in starts}

    def _expression_names(self, expression: Expression) -> frozenset[str]:
        # Parsed expressions are shared between equal texts: cache their names per object.
        cached = self._names.get(id(expression))
        if cached is None:
            cached = self._names[id(expression)] = (expression, frozenset(referenced_symbols(expression)))
        return cached[1]


_GRAPHS: list[tuple[weakref.ref[KconfigModel], _Graph]] = []
"""The graphs of the last two models (the previous findings' and the current one's)."""


def _graph_for(
    workspace: KconfigModel, previous: _Graph | None = None, changed: Iterable[str] = ()
) -> _Graph:
    for reference, graph in _GRAPHS:
        if reference() is workspace:
            return graph
    graph = previous.without(changed) if previous is not None else _Graph()
    kept = [entry for entry in _GRAPHS[-1:] if entry[0]() is not None]
    _GRAPHS[:] = [*kept, (weakref.ref(workspace), graph)]
    return graph


def _adjacency(workspace: KconfigModel) -> dict[str, set[str]]:
    """Who depends on whom, names only, over the reached definitions."""
    adjacency: dict[str, set[str]] = {}
    # Parsed expressions are shared between equal texts, so names are cached
    # per object (the tuple keeps the object alive while its id is a key).
    names_by_id: dict[int, tuple[Expression, frozenset[str]]] = {}

    def names(expression: Expression) -> frozenset[str]:
        cached = names_by_id.get(id(expression))
        if cached is None:
            cached = names_by_id[id(expression)] = (expression, frozenset(referenced_symbols(expression)))
        return cached[1]

    # The definitions of one block share its tuple of inherited conditions (coreboot's
    # boards: hundreds of definitions inside `if BOARD_...`): their names are joined once.
    inherited_names: dict[int, tuple[tuple[InheritedCondition, ...], frozenset[str]]] = {}

    def names_of_inherited(conditions: tuple[InheritedCondition, ...]) -> frozenset[str]:
        cached = inherited_names.get(id(conditions))
        if cached is None:
            joined: set[str] = set()
            for condition in conditions:
                joined.update(names(condition.expression))
            cached = inherited_names[id(conditions)] = (conditions, frozenset(joined))
        return cached[1]

    for name, definitions in workspace.definitions.items():
        targets: set[str] | None = None
        for definition in definitions:
            if not counts_in_world(definition):
                continue
            if targets is None:
                targets = adjacency.setdefault(name, set())
            # What `_dependency_expressions` yields, the inherited conditions joined per block.
            if definition.inherited:
                targets.update(names_of_inherited(definition.inherited))
            for dependency in definition.dependencies:
                targets.update(names(dependency.expression))
                if dependency.condition is not None:
                    targets.update(names(dependency.condition))
            for prompt in definition.prompts:
                if prompt.condition is not None:
                    targets.update(names(prompt.condition))
            for default in definition.defaults:
                targets.update(names(default.value))
                if default.condition is not None:
                    targets.update(names(default.condition))
    for table in (workspace.selected_by, workspace.implied_by):
        for target, pairs in table.items():
            for selector, reverse in pairs:
                if counts_in_world(selector):
                    targets = adjacency.setdefault(target, set())
                    targets.add(selector.name)
                    if reverse.condition is not None:
                        targets.update(names(reverse.condition))
    return adjacency


def _without_acyclic_part(adjacency: dict[str, set[str]]) -> dict[str, set[str]]:
    """The subgraph left after repeatedly removing symbols with no remaining successor.

    A symbol all of whose dependencies are removed cannot be on a cycle. On
    Linux this leaves (almost) nothing, so the cycle search below runs on a
    handful of symbols instead of 18,000.
    """
    predecessors: dict[str, list[str]] = {}
    remaining: dict[str, int] = {}
    for source, targets in adjacency.items():
        remaining[source] = len(targets)
        for target in targets:
            predecessors.setdefault(target, []).append(source)
    sinks = [name for name, count in remaining.items() if count == 0]
    sinks.extend(name for name in predecessors if name not in remaining)
    removed: set[str] = set()
    while sinks:
        name = sinks.pop()
        if name in removed:
            continue
        removed.add(name)
        for source in predecessors.get(name, ()):
            remaining[source] -= 1
            if remaining[source] == 0:
                sinks.append(source)
    return {
        source: {target for target in targets if target not in removed}
        for source, targets in adjacency.items()
        if source not in removed
    }


def _dependency_expressions(definition: SymbolDefinition) -> Iterator[Expression]:
    for inherited in definition.inherited:
        yield inherited.expression
    for dependency in definition.dependencies:
        yield dependency.expression
        if dependency.condition is not None:
            yield dependency.condition
    for prompt in definition.prompts:
        if prompt.condition is not None:
            yield prompt.condition
    for default in definition.defaults:
        yield default.value
        if default.condition is not None:
            yield default.condition
    for range_ in definition.entry.ranges:
        yield range_.low
        yield range_.high


def _labelled_edges(workspace: KconfigModel, members: set[str]) -> dict[str, list[Edge]]:
    """Edges between the members of one cycle, each with its label and place."""
    graph: dict[str, list[Edge]] = {}

    def add(source: str, expression: Expression | None, label: str, location: Location) -> None:
        if expression is None:
            return
        for name in set(referenced_symbols(expression)) & members:
            graph.setdefault(source, []).append((name, label, location))

    for name in sorted(members):
        for definition in world_definitions(workspace, name):
            path = definition.path
            for inherited in definition.inherited:
                add(name, inherited.expression, "depends on", inherited.location)
            for dependency in definition.dependencies:
                add(name, dependency.expression, "depends on", Location(path, dependency.span))
                add(name, dependency.condition, "depends on", Location(path, dependency.span))
            for prompt in definition.prompts:
                add(name, prompt.condition, "prompt depends on", Location(path, prompt.span))
            for default in definition.defaults:
                add(name, default.value, "default depends on", Location(path, default.span))
                add(name, default.condition, "default depends on", Location(path, default.span))
            for range_ in definition.entry.ranges:
                add(name, range_.low, "range depends on", Location(path, range_.span))
                add(name, range_.high, "range depends on", Location(path, range_.span))
        for table, label in (
            (workspace.selected_by, "is selected by"),
            (workspace.implied_by, "is implied by"),
        ):
            for selector, reverse in table.get(name, ()):
                if not counts_in_world(selector):
                    continue
                where = Location(selector.path, reverse.span)
                if selector.name in members:
                    graph.setdefault(name, []).append((selector.name, label, where))
                add(name, reverse.condition, label.replace("by", "if"), where)
    return graph


def _strongly_connected_components(graph: dict[str, list[str]]) -> Iterator[set[str]]:
    """Tarjan's algorithm, iterative (the Linux graph is deep enough to overflow recursion)."""
    index_of: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    counter = 0
    for start in list(graph):
        if start in index_of:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, edge_index = work.pop()
            if edge_index == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph.get(node, ())
            recurse = False
            while edge_index < len(edges):
                target = edges[edge_index]
                edge_index += 1
                if target not in index_of:
                    work.append((node, edge_index))
                    work.append((target, 0))
                    recurse = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index_of[target])
            if recurse:
                continue
            if low[node] == index_of[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                yield component
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])


def _find_cycle(graph: dict[str, list[Edge]], component: set[str]) -> list[tuple[str, str, str, Location]]:
    """A shortest cycle through the component's smallest name, as labelled steps."""
    start = min(component)
    previous: dict[str, tuple[str, str, Location]] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        next_frontier: list[str] = []
        for node in frontier:
            for target, label, where in graph.get(node, ()):
                if target not in component:
                    continue
                if target == start:
                    steps = [(node, start, label, where)]
                    current = node
                    while current != start:
                        source, step_label, step_where = previous[current]
                        steps.append((source, current, step_label, step_where))
                        current = source
                    steps.reverse()
                    return steps
                if target not in seen:
                    seen.add(target)
                    previous[target] = (node, label, where)
                    next_frontier.append(target)
        frontier = next_frontier
    return []


RULE = Rule(
    code="KLS006",
    name="recursive-dependency",
    summary="a cycle of dependencies, selects and defaults between symbols",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    per_symbol=SymbolEntryPoint(affected_symbols, check_symbols),
)
