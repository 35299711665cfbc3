"""Every place a file names a symbol, with the exact span of the name and what the use is.

Navigation (references, rename, highlights) and checks used to re-find a
name inside the span of a whole expression with a regular expression: wrong
when a name repeats in one line, and quadratic on a one-line expression with
thousands of operands (issue 13: 105 s for `depends on S0 && ... && S19999`).
The parser records each name's span from the expression's tokens
(`NameOccurrence`); this module walks a file's nodes and lists them all, in
text order, with their kind:

- `definition`: the name of a `config`, `menuconfig`, `configdefault` or
  named `choice`;
- `depends on`, `select`, `imply`, `default`, `range`, `visible if`,
  `prompt if`: a name in that attribute's expression (or its target);
- `if`: a name in the condition of an `if` block, or in the `if CONDITION`
  of a `depends on`, `default`, `select`, `imply` or `range`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from kconfig_ls.syntax.kconfig.nodes import (
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    Dependency,
    IfBlock,
    KconfigFile,
    MenuEntry,
    NameOccurrence,
    Node,
    Span,
)

__all__ = ["NameUse", "name_uses"]

Owner = ConfigEntry | ChoiceEntry | MenuEntry | CommentEntry | IfBlock


class NameUse(NamedTuple):
    """One use of a symbol name in a file: the name, its exact span, the kind of use, the node."""

    name: str
    span: Span
    kind: str
    node: Owner


def name_uses(parsed: KconfigFile) -> tuple[NameUse, ...]:
    """Every symbol name the file uses or defines, sorted by position."""
    uses = list(_walk(parsed.nodes))
    uses.sort(key=lambda use: use.span)
    return tuple(uses)


def _walk(nodes: Iterable[Node]) -> Iterator[NameUse]:
    stack: list[Iterator[Node]] = [iter(nodes)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            continue
        if isinstance(node, ConfigEntry):
            yield from _config_uses(node)
        elif isinstance(node, ChoiceEntry):
            yield from _choice_uses(node)
            stack.append(iter(node.children))
        elif isinstance(node, MenuEntry):
            yield from _dependency_uses(node.dependencies, node)
            for visible in node.visible_if:
                yield from _uses(visible.expression_names, "visible if", node)
            stack.append(iter(node.children))
        elif isinstance(node, CommentEntry):
            yield from _dependency_uses(node.dependencies, node)
        elif isinstance(node, IfBlock):
            yield from _uses(node.condition_names, "if", node)
            stack.append(iter(node.children))


def _config_uses(entry: ConfigEntry) -> Iterator[NameUse]:
    yield NameUse(entry.name, entry.name_span, "definition", entry)
    for prompt in entry.prompts:
        yield from _uses(prompt.condition_names, "prompt if", entry)
    yield from _dependency_uses(entry.dependencies, entry)
    for reverse in (*entry.selects, *entry.implies):
        yield NameUse(reverse.target, reverse.target_span, reverse.keyword, entry)
        yield from _uses(reverse.condition_names, "if", entry)
    for default in entry.defaults:
        yield from _uses(default.value_names, "default", entry)
        yield from _uses(default.condition_names, "if", entry)
    for range_ in entry.ranges:
        yield from _uses(range_.bound_names, "range", entry)
        yield from _uses(range_.condition_names, "if", entry)


def _choice_uses(choice: ChoiceEntry) -> Iterator[NameUse]:
    if choice.name is not None and choice.name_span is not None:
        yield NameUse(choice.name, choice.name_span, "definition", choice)
    for prompt in choice.prompts:
        yield from _uses(prompt.condition_names, "prompt if", choice)
    yield from _dependency_uses(choice.dependencies, choice)
    for default in choice.defaults:
        yield from _uses(default.value_names, "default", choice)
        yield from _uses(default.condition_names, "if", choice)


def _dependency_uses(dependencies: Iterable[Dependency], node: Owner) -> Iterator[NameUse]:
    for dependency in dependencies:
        yield from _uses(dependency.expression_names, "depends on", node)
        yield from _uses(dependency.condition_names, "if", node)


def _uses(names: tuple[NameOccurrence, ...], kind: str, node: Owner) -> Iterator[NameUse]:
    for name, span in names:
        yield NameUse(name, span, kind, node)
