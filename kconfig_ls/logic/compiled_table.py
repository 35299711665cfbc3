"""What an evaluation of a symbol table reads that no configuration changes (`CompiledTable`).

Split from `kconfig_ls.logic.calculation`, which evaluates over it: each
symbol and choice as tuples, and who reads whom (for incremental
re-evaluation, and for evaluating bottom up a chain deeper than the stack).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.expression import Expression, referenced_symbols

__all__ = [
    "MODE_PREFIX",
    "SELECTION_PREFIX",
    "CompiledChoice",
    "CompiledSymbol",
    "CompiledTable",
    "mode_node",
    "selection_node",
]


class CompiledSymbol:
    """One symbol's semantics as tuples, for the evaluation loop."""

    __slots__ = (
        "choice",
        "defaults",
        "direct",
        "implied_by",
        "name",
        "prompts",
        "ranges",
        "selected_by",
        "transitional",
        "type",
    )

    def __init__(self, table: SymbolTable, name: str) -> None:
        semantics = table.symbols[name]
        self.name = name
        self.type = semantics.type
        self.prompts = tuple(prompt.visibility for prompt in semantics.prompts)
        self.defaults = tuple((default.value, default.condition) for default in semantics.defaults)
        self.direct = semantics.direct_dependency
        self.selected_by = tuple((reverse.selector, reverse.condition) for reverse in semantics.selected_by)
        self.implied_by = tuple((reverse.selector, reverse.condition) for reverse in semantics.implied_by)
        self.ranges = tuple((range_.low, range_.high, range_.condition) for range_ in semantics.ranges)
        self.choice = semantics.choice
        self.transitional = semantics.transitional


class CompiledChoice:
    __slots__ = ("defaults", "key", "members", "optional", "prompts", "type")

    def __init__(self, table: SymbolTable, key: str) -> None:
        choice = table.choices[key]
        self.key = key
        self.type = choice.type
        self.optional = choice.optional
        self.prompts = tuple(prompt.visibility for prompt in choice.prompts)
        self.defaults = tuple((default.value, default.condition) for default in choice.defaults)
        self.members = choice.members


MODE_PREFIX: Final = "\0mode:"
SELECTION_PREFIX: Final = "\0selection:"


def mode_node(key: str) -> str:
    return MODE_PREFIX + key


def selection_node(key: str) -> str:
    return SELECTION_PREFIX + key


class CompiledTable:
    """What does not depend on the configuration: compiled symbols and who reads whom."""

    def __init__(self, table: SymbolTable) -> None:
        self.modules = table.modules_symbol or "MODULES"
        self.symbols = {name: CompiledSymbol(table, name) for name in table.symbols}
        self.choices = {key: CompiledChoice(table, key) for key in table.choices}
        self.dependents = self._dependents()
        self._reads: dict[str, list[str]] | None = None

    def reads(self) -> dict[str, list[str]]:
        """For each symbol or choice node, what its value reads (`dependents` reversed)."""
        if self._reads is None:
            reads: dict[str, list[str]] = {}
            for read, readers in self.dependents.items():
                for reader in readers:
                    reads.setdefault(reader, []).append(read)
            for read_list in reads.values():
                read_list.sort()
            self._reads = reads
        return self._reads

    def _dependents(self) -> dict[str, set[str]]:
        """For each symbol (or choice node), the symbols and choice nodes whose value reads it."""
        dependents: dict[str, set[str]] = {}

        def add(reader: str, expressions: Iterable[Expression]) -> None:
            for expression in expressions:
                for name in referenced_symbols(expression):
                    dependents.setdefault(name, set()).add(reader)

        for name, symbol in self.symbols.items():
            add(name, symbol.prompts)
            add(name, (expression for pair in symbol.defaults for expression in pair))
            add(name, (symbol.direct,))
            add(name, (condition for _, condition in (*symbol.selected_by, *symbol.implied_by)))
            for selector, _ in (*symbol.selected_by, *symbol.implied_by):
                dependents.setdefault(selector, set()).add(name)
            add(name, (expression for triple in symbol.ranges for expression in triple))
            # The modules symbol decides every tristate's type and every bare `m`.
            dependents.setdefault(self.modules, set()).add(name)
            if symbol.choice is not None:
                dependents.setdefault(mode_node(symbol.choice), set()).add(name)
                dependents.setdefault(selection_node(symbol.choice), set()).add(name)
        for key, choice in self.choices.items():
            mode = mode_node(key)
            selection = selection_node(key)
            add(mode, choice.prompts)
            dependents.setdefault(self.modules, set()).update((mode, selection))
            dependents.setdefault(mode, set()).add(selection)
            add(selection, (expression for pair in choice.defaults for expression in pair))
            for member in choice.members:
                compiled = self.symbols.get(member)
                if compiled is not None:
                    add(selection, compiled.prompts)
                    dependents.setdefault(member, set())
        return dependents

    def downstream(self, changed: Iterable[str]) -> set[str]:
        """Every symbol and choice node whose value may change when `changed` do."""
        seen = set(changed)
        stack = list(seen)
        dependents = self.dependents
        while stack:
            for reader in dependents.get(stack.pop(), ()):
                if reader not in seen:
                    seen.add(reader)
                    stack.append(reader)
        return seen
