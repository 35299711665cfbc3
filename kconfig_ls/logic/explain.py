"""Why a symbol has its value, why it cannot be set, and the smallest change that enables it.

Plain data and text for the hover, inlay hints, `kconfig-ls query why` and
the configuration-file checks, all from an evaluated `Configuration`:

- `render_with_values`: an expression with each operand's value, as
  menuconfig shows it: `MMU [=y] && NUMA [=n]`.
- `explain`: the value and its reasons, first line first
  (`MIGRATION = y, selected by COMPACTION (mm/Kconfig:679)`), from the
  evaluation's `Decision` re-read against the final values.
- `blockers`: for a symbol that is lower than wanted, what keeps it there,
  recursively down to symbols the user can set (a visible prompt), each
  rendered with values; an `||` becomes alternatives.
- `enabling_set`: the smallest set of user assignments found that gives the
  symbol the wanted value, verified (`kconfig_ls.logic.enabling` searches
  it over these blockers).
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from kconfig_ls.logic.configuration import Configuration
from kconfig_ls.semantics.symbols import SymbolSemantics
from kconfig_ls.syntax.expression import (
    TRUE,
    And,
    Compare,
    Constant,
    CTest,
    Expression,
    Not,
    Or,
    Symbol,
    Unknown,
    render,
)
from kconfig_ls.vfs.overlay import MAX_KCONFIG_FILE_SIZE, read_regular_file

__all__ = [
    "AssignmentHint",
    "Blocker",
    "Explanation",
    "Reason",
    "assignment_hints",
    "blockers",
    "default_reason",
    "enabling_set",
    "explain",
    "render_with_values",
    "symbol_blockers",
    "value_name",
]

_NAMES: Final = ("n", "m", "y")
_TRI: Final = {"n": 0, "m": 1, "y": 2}
_MAX_DEPTH: Final = 8

LineOf = Callable[[str, int], int]
"""(path, byte offset) to a 1-based line number."""


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason for a value: a kind, a sentence, and where it comes from.

    `path`/`line` point at the `.config` line or the Kconfig property
    (`default`, `select`, `depends on`); `symbols` are the symbols it names
    (the selectors, the missing dependencies).
    """

    kind: str
    text: str
    path: str | None = None
    line: int | None = None
    symbols: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Explanation:
    symbol: str
    value: str | None
    summary: str
    reasons: tuple[Reason, ...]
    dependency: str
    """The direct dependency with values (`MMU [=y] && NUMA [=n]`), `""` when there is none."""


@dataclass(frozen=True, slots=True)
class Blocker:
    """What keeps a symbol below the wanted value: an operand and what it must become.

    `symbol` is the symbol to act on (None for a comparison or a probe);
    `settable` says the user can assign it now (it has a visible prompt);
    `causes` are the blockers of a symbol that cannot be set yet, and
    `alternatives` the operands of an `||`, any one of which would do.
    """

    rendered: str
    symbol: str | None
    needed: str
    settable: bool
    causes: tuple[Blocker, ...] = ()
    alternatives: tuple[Blocker, ...] = ()


# --- rendering -------------------------------------------------------------------------


def render_with_values(expression: Expression, configuration: Configuration) -> str:
    """`MMU [=y] && NUMA [=n]`: the expression with each symbol's value (`?` when unknown)."""
    return _render(expression, configuration, 0)


def _render(expression: Expression, configuration: Configuration, parent: int) -> str:
    if isinstance(expression, Symbol):
        value = configuration.value(expression.name) if expression.name in configuration.values else "n"
        return f"{expression.name} [={'?' if value is None else value}]"
    if isinstance(expression, Constant | Unknown | CTest):
        text = render(expression)
        return text + " [=?]" if isinstance(expression, Unknown) else text
    precedence: int
    if isinstance(expression, Not):
        text, precedence = "!" + _render(expression.operand, configuration, 3), 3
    elif isinstance(expression, And):
        text = " && ".join(_render(operand, configuration, 2) for operand in expression.operands)
        precedence = 2
    elif isinstance(expression, Or):
        text = " || ".join(_render(operand, configuration, 2) for operand in expression.operands)
        precedence = 1
    else:
        text = (
            f"{_render(expression.left, configuration, 4)} {expression.operator} "
            f"{_render(expression.right, configuration, 4)}"
        )
        precedence = 3
    return f"({text})" if precedence < parent else text


# --- explaining a value ------------------------------------------------------------------


def explain(
    configuration: Configuration, name: str, *, line_of: LineOf | None = None, root: str | None = None
) -> Explanation:
    """The value of `name` and the reasons for it, the deciding one first.

    `line_of` maps a Kconfig file offset to its line (default: read the file
    from disk; the server passes its open buffers); paths in the texts are
    relative to `root` when given.
    """
    lines = _Places(line_of, root)
    symbol = configuration.table.get(name)
    value = configuration.value(name)
    shown = (
        "?" if value is None else (f'"{value}"' if symbol is not None and symbol.type == "string" else value)
    )
    if symbol is None:
        reason = Reason("undefined", f"{name} is not defined in this configuration world (it is n)")
        return Explanation(name, "n", f"{name} = n, not defined", (reason,), "")
    reasons = list(_reasons(configuration, symbol, lines))
    dependency = (
        ""
        if symbol.direct_dependency == TRUE
        else render_with_values(symbol.direct_dependency, configuration)
    )
    first = reasons[0].text if reasons else ""
    return Explanation(
        name,
        value,
        f"{name} = {shown}, {first}" if first else f"{name} = {shown}",
        tuple(reasons),
        dependency,
    )


@dataclass(frozen=True, slots=True)
class AssignmentHint:
    """An inlay hint for a configuration-file line whose value does not stick: `→ n: needs NUMA`."""

    path: str
    line: int
    offset: int
    """Where the hint goes: the end of the assignment (a UTF-8 byte offset)."""
    text: str


def assignment_hints(configuration: Configuration) -> tuple[AssignmentHint, ...]:
    """One hint per effective assignment whose symbol ends up with another value.

    The text says the value and the first reason, shortened: the unmet
    dependencies (`→ n: needs NUMA [=n]`), the selector (`→ y: selected by
    COMPACTION`), the chosen member of a choice (`→ n: XZ chosen`), or the
    missing prompt (`→ y: no prompt`). Values a probe decides get none.
    """
    hints: list[AssignmentHint] = []
    for name, assignment in configuration.user_values.items():
        value = configuration.value(name)
        symbol = configuration.table.get(name)
        if value is None or value == assignment.value or symbol is None:
            continue
        decision = configuration.decision(name)
        if not symbol.prompts and not symbol.transitional:
            why = "no prompt"
        elif configuration.condition(symbol.direct_dependency) == 0:
            unmet = [blocker.rendered for blocker in _unmet(configuration, symbol.direct_dependency, 1)]
            why = "needs " + ", ".join(unmet[:3]) + (" …" if len(unmet) > 3 else "")
        elif decision.kind == "selected":
            selectors = [r.selector for r in symbol.selected_by if configuration.tristate(r.selector)]
            why = "selected by " + ", ".join(selectors[:2]) + (" …" if len(selectors) > 2 else "")
        elif decision.kind == "choice-other":
            why = f"{configuration.choice_selections.get(symbol.choice or '')} chosen"
        elif decision.kind in ("choice-default", "choice-first"):
            why = "its choice picks it"
        elif decision.kind == "range":
            why = "outside its range"
        elif symbol.prompts and not configuration.visibility(name):
            unmet = [blocker.rendered for blocker in _unmet(configuration, symbol.visibility, 1)]
            why = "hidden: needs " + ", ".join(unmet[:3])
        elif decision.kind == "user" and decision.limited:
            why = "limited by its dependencies"
        else:
            why = decision.kind
        shown = f'"{value}"' if symbol.type == "string" else (value or '""')
        hints.append(
            AssignmentHint(assignment.path, assignment.line, assignment.span[1], f"→ {shown}: {why}")
        )
    return tuple(hints)


def _reasons(configuration: Configuration, symbol: SymbolSemantics, lines: _Places) -> Iterator[Reason]:
    name = symbol.name
    decision = configuration.decision(name)
    kind = decision.kind
    assignment = configuration.user_values.get(name)
    where = (assignment.path, assignment.line) if assignment is not None else (None, None)
    if kind == "user":
        assert assignment is not None
        text = f"set in {lines.short(assignment.path)}:{assignment.line}"
        if decision.limited:
            text += f" (to {assignment.value}, limited by its dependencies)"
        yield Reason("user", text, *where)
        if decision.limited:
            yield from _dependency_reasons(configuration, symbol, lines)
    elif kind == "default":
        default = symbol.defaults[decision.index]
        text = f"default {render(default.value)}"
        if default.own_condition != TRUE:
            text += f" if {render_with_values(default.own_condition, configuration)}"
        yield Reason("default", f"{text} ({lines.at(default.location)})", *lines.place(default.location))
    elif kind in ("selected", "implied"):
        reverses = symbol.selected_by if kind == "selected" else symbol.implied_by
        active = [
            r
            for r in reverses
            if _reverse_value(configuration, r.selector, r.condition) == configuration.tristate(name)
        ]
        names = tuple(dict.fromkeys(r.selector for r in active))
        if active:
            verb = "selected by" if kind == "selected" else "implied by"
            shown = ", ".join(f"{r.selector} ({lines.at(r.location)})" for r in active[:3])
            more = f" and {len(active) - 3} more" if len(active) > 3 else ""
            yield Reason(kind, f"{verb} {shown}{more}", *lines.place(active[0].location), names)
        if kind == "selected" and configuration.condition(symbol.direct_dependency) == 0:
            yield Reason(
                "unmet-dependency",
                "selected although its dependencies are not met: "
                + render_with_values(symbol.direct_dependency, configuration),
            )
    elif kind.startswith("choice-"):
        yield _choice_reason(configuration, symbol, decision.kind, decision.index, lines)
    elif kind == "range":
        yield Reason("range", "outside its active range, so the range's bound or the default applies", *where)
    elif kind == "transitional":
        yield Reason("transitional", "transitional symbol: keeps the old configuration's value", *where)
    elif kind == "unknown":
        probes = sorted({render(leaf) for leaf in _unknown_leaves(configuration, symbol)})
        text = "decided by compiler probes the engine does not run"
        if probes:
            text += ": " + ", ".join(probes[:3])
        yield Reason("unknown", text)
    elif kind == "file":
        assert assignment is not None
        yield Reason(
            "file",
            f"from {lines.short(assignment.path)}:{assignment.line} "
            "(decided by a compiler probe the engine does not run)",
            *where,
        )
    else:
        yield from _why_low(configuration, symbol, lines)
    if (
        assignment is not None
        and kind not in ("user", "file", "transitional")
        and assignment.value != configuration.value(name)
    ):
        yield Reason(
            "ignored",
            f"{lines.short(assignment.path)}:{assignment.line} sets {assignment.value}, which does not stick",
            *where,
        )


def default_reason(
    configuration: Configuration, name: str, *, line_of: LineOf | None = None, root: str | None = None
) -> Reason | None:
    """The default that would apply without a user value (`default y if X [=y] (file:line)`), if any."""
    symbol = configuration.table.get(name)
    if symbol is None:
        return None
    lines = _Places(line_of, root)
    for default in symbol.defaults:
        if configuration.condition(default.condition):
            text = f"default {render(default.value)}"
            if default.own_condition != TRUE:
                text += f" if {render_with_values(default.own_condition, configuration)}"
            return Reason("default", f"{text} ({lines.at(default.location)})", *lines.place(default.location))
    return None


def _why_low(configuration: Configuration, symbol: SymbolSemantics, lines: _Places) -> Iterator[Reason]:
    """A symbol at `n` (or empty) with no deciding default: dependencies, visibility, or no value."""
    if configuration.condition(symbol.direct_dependency) == 0:
        yield from _dependency_reasons(configuration, symbol, lines)
        return
    if symbol.prompts and not configuration.visibility(symbol.name):
        yield Reason(
            "invisible",
            "its prompt is hidden: " + render_with_values(symbol.visibility, configuration),
            *lines.place(symbol.prompts[0].location),
            tuple(_false_symbols(configuration, symbol.visibility)),
        )
        return
    if symbol.prompts:
        yield Reason("no-value", "not set in the configuration, and no default applies")
    else:
        yield Reason("no-default", "no prompt, and no default applies or selects it")


def _dependency_reasons(
    configuration: Configuration, symbol: SymbolSemantics, lines: _Places
) -> Iterator[Reason]:
    missing = tuple(_false_symbols(configuration, symbol.direct_dependency))
    unmet = [blocker.rendered for blocker in _unmet(configuration, symbol.direct_dependency, 1)]
    shown = ", ".join(unmet[:4]) or render_with_values(symbol.direct_dependency, configuration)
    if len(unmet) > 4:
        shown += f" and {len(unmet) - 4} more"
    yield Reason("dependency", f"missing dependency {shown}", *lines.place(symbol.location), missing)


def _choice_reason(
    configuration: Configuration, symbol: SymbolSemantics, kind: str, index: int, lines: _Places
) -> Reason:
    key = symbol.choice
    choice = configuration.table.choices.get(key) if key is not None else None
    location = choice.location if choice is not None else symbol.location
    if kind == "choice-user":
        assignment = configuration.user_values.get(symbol.name)
        where = (assignment.path, assignment.line) if assignment is not None else (None, None)
        text = "chosen in its choice" + (f" at {lines.short(where[0])}:{where[1]}" if where[0] else "")
        return Reason(kind, text, *where)
    if kind == "choice-default" and choice is not None:
        key_index = configuration.choice_decisions.get(key or "")
        default = choice.defaults[key_index.index if key_index is not None and key_index.index >= 0 else 0]
        return Reason(
            kind, f"the default of its choice ({lines.at(default.location)})", *lines.place(default.location)
        )
    if kind == "choice-first":
        return Reason(
            kind,
            "the first visible member of its choice (none chosen, no default applies)",
            *lines.place(location),
        )
    if kind == "choice-other":
        selected = configuration.choice_selections.get(key or "")
        return Reason(
            kind,
            f"{selected} is chosen in its choice",
            *lines.place(location),
            (selected,) if selected else (),
        )
    return Reason(kind, "a member of a choice in m mode", *lines.place(location))


def _reverse_value(configuration: Configuration, selector: str, condition: Expression) -> int | None:
    value = configuration.tristate(selector)
    if value == 0:
        return 0
    condition_value = configuration.condition(condition)
    if value is None or condition_value is None:
        return None
    return min(value, condition_value)


def _false_symbols(configuration: Configuration, expression: Expression) -> Iterator[str]:
    """The symbols of the operands that make a condition false (unique, in order)."""
    seen: set[str] = set()
    for blocker in _unmet(configuration, expression, 1):
        names = [blocker.symbol] if blocker.symbol else [a.symbol for a in blocker.alternatives if a.symbol]
        for name in names:
            if name is not None and name not in seen:
                seen.add(name)
                yield name


def _unknown_leaves(configuration: Configuration, symbol: SymbolSemantics) -> Iterator[Expression]:
    expressions: list[Expression] = [symbol.direct_dependency, symbol.visibility]
    expressions += [e for d in symbol.defaults for e in (d.value, d.condition)]
    expressions += [r.condition for r in (*symbol.selected_by, *symbol.implied_by)]
    stack = expressions
    seen_symbols: set[str] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, Unknown):
            yield node
        elif isinstance(node, And | Or):
            stack.extend(node.operands)
        elif isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, Symbol) and node.name not in seen_symbols and len(seen_symbols) < 50:
            seen_symbols.add(node.name)
            other = configuration.table.get(node.name)
            if other is not None and configuration.value(node.name) is None:
                stack.extend(
                    [other.direct_dependency] + [e for d in other.defaults for e in (d.value, d.condition)]
                )


# --- why not, and what would enable it ---------------------------------------------------


def blockers(configuration: Configuration, name: str, wanted: str = "y") -> tuple[Blocker, ...]:
    """What keeps `name` below `wanted`, down to symbols the user can set; empty when nothing does."""
    current = configuration.tristate(name)
    if current is not None and current >= _TRI[wanted]:
        return ()
    return _symbol_blockers(configuration, name, _TRI[wanted], 0, set())


def symbol_blockers(configuration: Configuration, name: str, needed: int) -> tuple[Blocker, ...]:
    """What keeps `name` below `needed` (0 to 2) on `configuration`, as `blockers` says it."""
    return _symbol_blockers(configuration, name, needed, 0, set())


def value_name(configuration: Configuration, name: str, needed: int) -> str:
    """The value to assign for at least `needed`: `y` for a bool symbol (`m` would be ignored)."""
    symbol = configuration.table.get(name)
    if needed == 1 and symbol is not None and symbol.type == "bool":
        return "y"
    return _NAMES[needed]


def _symbol_blockers(
    configuration: Configuration, name: str, needed: int, depth: int, visiting: set[str]
) -> tuple[Blocker, ...]:
    symbol = configuration.table.get(name)
    if symbol is None or depth > _MAX_DEPTH or name in visiting:
        return ()
    visiting = visiting | {name}
    if symbol.prompts:
        visibility = configuration.visibility(name)
        if visibility is not None and visibility >= needed:
            return ()
        return _unmet(configuration, symbol.visibility, needed, depth + 1, visiting)
    # No prompt: a default whose value is high enough must apply, or a selector (or an
    # implier, while the dependency holds) must be on.
    options: list[Blocker] = []
    for default in symbol.defaults:
        value = configuration.expression_value(default.value)
        constant = isinstance(default.value, Constant)
        if value is not None and (value >= needed or not constant):
            # `default FOO`: FOO must be high enough too, not only the condition.
            required = default.condition if value >= needed else And((default.value, default.condition))
            causes = _unmet(configuration, required, needed, depth + 1, visiting)
            options.append(
                Blocker(
                    f"default {render(default.value)} if "
                    + render_with_values(default.own_condition, configuration),
                    None,
                    _NAMES[needed],
                    False,
                    causes,
                )
            )
    for verb, reverses in (("select", symbol.selected_by), ("imply", symbol.implied_by)):
        for reverse in reverses:
            condition = (
                And((Symbol(reverse.selector), reverse.condition))
                if reverse.condition != TRUE
                else Symbol(reverse.selector)
            )
            if verb == "imply" and symbol.direct_dependency != TRUE:
                condition = And((condition, symbol.direct_dependency))
            causes = _unmet(configuration, condition, needed, depth + 1, visiting)
            options.append(
                Blocker(
                    f"{verb} from {reverse.selector}",
                    reverse.selector,
                    value_name(configuration, reverse.selector, needed),
                    False,
                    causes,
                )
            )
    if not options:
        return ()
    if len(options) == 1:
        return options[0].causes
    return (
        Blocker(
            " or ".join(option.rendered for option in options[:4]),
            None,
            _NAMES[needed],
            False,
            (),
            tuple(options),
        ),
    )


def _unmet(
    configuration: Configuration,
    expression: Expression,
    needed: int,
    depth: int = 0,
    visiting: set[str] | None = None,
) -> tuple[Blocker, ...]:
    """The operands keeping a condition below `needed`, each as a `Blocker`."""
    visiting = visiting or set()
    value = configuration.condition(expression)
    if value is not None and value >= needed:
        return ()
    if isinstance(expression, And):
        return tuple(
            b
            for operand in expression.operands
            for b in _unmet(configuration, operand, needed, depth, visiting)
        )
    if isinstance(expression, Or):
        alternatives = tuple(
            _leaf(configuration, operand, needed, depth, visiting)
            if not isinstance(operand, And)
            else Blocker(
                render_with_values(operand, configuration),
                None,
                _NAMES[needed],
                False,
                _unmet(configuration, operand, needed, depth, visiting),
            )
            for operand in expression.operands
        )
        return (
            Blocker(
                render_with_values(expression, configuration), None, _NAMES[needed], False, (), alternatives
            ),
        )
    return (_leaf(configuration, expression, needed, depth, visiting),)


def _leaf(
    configuration: Configuration, expression: Expression, needed: int, depth: int, visiting: set[str]
) -> Blocker:
    rendered = render_with_values(expression, configuration)
    if isinstance(expression, Symbol):
        name = expression.name
        settable = _settable(configuration, name, needed)
        causes = () if settable else _symbol_blockers(configuration, name, needed, depth, visiting)
        return Blocker(rendered, name, value_name(configuration, name, needed), settable, causes)
    if isinstance(expression, Not) and isinstance(expression.operand, Symbol):
        name = expression.operand.name
        return Blocker(rendered, name, "n", _settable(configuration, name, 0), ())
    if (
        (
            isinstance(expression, Compare)
            and isinstance(expression.left, Symbol)
            and isinstance(expression.right, Constant)
        )
        and expression.operator == "="
        and expression.right.value in _TRI
    ):
        name = expression.left.name
        target = _TRI[expression.right.value]
        return Blocker(rendered, name, expression.right.value, _settable(configuration, name, target), ())
    return Blocker(rendered, None, _NAMES[needed], False, ())


def _settable(configuration: Configuration, name: str, value: int) -> bool:
    """Whether a user assignment of `value` to `name` would stick as far as its own prompt goes."""
    symbol = configuration.table.get(name)
    if symbol is None or not symbol.prompts:
        return False
    visibility = configuration.visibility(name)
    return visibility is not None and visibility >= max(value, 1)


def enabling_set(configuration: Configuration, name: str, wanted: str = "y") -> dict[str, str] | None:
    """The fewest user assignments found that give `name` the value `wanted`, verified; None if none found.

    `{}` when it has the value already; `kconfig_ls.logic.enabling` searches.
    """
    from kconfig_ls.logic.enabling import enabling_set as search

    return search(configuration, name, wanted)


# --- locations ------------------------------------------------------------------------------


class _Places:
    """Line numbers (`line_of`, default: the files on disk) and paths relative to `root`, for messages."""

    def __init__(self, line_of: LineOf | None, root: str | None) -> None:
        self.line_of = line_of or _disk_line_of()
        self.root = root

    def place(self, location: object) -> tuple[str | None, int | None]:
        path = getattr(location, "path", None)
        span = getattr(location, "span", None)
        if path is None or span is None:
            return None, None
        return path, self.line_of(path, span[0])

    def at(self, location: object) -> str:
        path, line = self.place(location)
        return f"{self.short(path)}:{line}" if path else "?"

    def short(self, path: str | None) -> str:
        if path is None:
            return "?"
        if self.root is None or not os.path.isabs(path):
            return path
        relative = os.path.relpath(path, self.root)
        return path if relative.startswith("..") else relative


def _disk_line_of() -> LineOf:
    """Line numbers read from the files on disk (each file read once per call)."""
    starts: dict[str, list[int]] = {}

    def line_of(path: str, offset: int) -> int:
        if path not in starts:
            try:
                data = read_regular_file(path, MAX_KCONFIG_FILE_SIZE)
            except OSError:
                data = b""
            positions = [0]
            index = data.find(b"\n")
            while index >= 0:
                positions.append(index + 1)
                index = data.find(b"\n", index + 1)
            starts[path] = positions
        return bisect.bisect_right(starts[path], offset)

    return line_of
