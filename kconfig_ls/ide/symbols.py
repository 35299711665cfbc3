"""Document outline and workspace symbol search.

The outline of a Kconfig file is its menu tree: menus, choices, `if`
blocks, configs, comments and `source` statements, nested as written. The
workspace search matches symbol names (and menu titles are left out: they
are not names anyone types) fuzzily, best matches first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.syntax.expression import render
from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    IfBlock,
    KconfigFile,
    MainMenu,
    MenuEntry,
    Node,
    SourceStatement,
    Span,
    entry_extent,
)

__all__ = [
    "OutlineSymbol",
    "WorkspaceSymbol",
    "document_outline",
    "entry_extent",
    "workspace_symbol_search",
]

WORKSPACE_SYMBOL_LIMIT: Final = 200


@dataclass(frozen=True, slots=True)
class OutlineSymbol:
    """One node of a file's outline.

    `kind` is `config`, `menuconfig`, `configdefault`, `choice`, `menu`,
    `if`, `comment`, `source` or `mainmenu`; `span` covers the whole entry
    or block, `selection_span` the part to highlight (the name or title).
    """

    name: str
    kind: str
    detail: str
    span: Span
    selection_span: Span
    children: tuple[OutlineSymbol, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class WorkspaceSymbol:
    name: str
    kind: str
    location: Location
    container: str


def document_outline(parsed: KconfigFile) -> list[OutlineSymbol]:
    """The outline of one parsed Kconfig file."""
    return _outline_nodes(parsed.nodes)


def workspace_symbol_search(
    workspace: KconfigModel, query: str, limit: int = WORKSPACE_SYMBOL_LIMIT
) -> list[WorkspaceSymbol]:
    """Symbols whose name matches the query (case-insensitive, fuzzy), best first.

    Ranking: exact name, then prefix, then substring, then the query's
    characters in order (`numbal` finds NUMA_BALANCING); shorter names first
    within a rank. Every definition site of a matching name is returned.
    """
    needle = query.strip().upper()
    ranked: list[tuple[int, int, str]] = []
    for name in workspace.definitions:
        rank = _match_rank(name.upper(), needle)
        if rank is not None:
            ranked.append((rank, len(name), name))
    ranked.sort()
    results: list[WorkspaceSymbol] = []
    for _, _, name in ranked:
        definitions = sorted(workspace.definitions[name], key=lambda d: not d.reached)
        for definition in definitions:
            container = " > ".join(definition.menu_path)
            kind = definition.entry.keyword
            results.append(WorkspaceSymbol(name, kind, definition.location, container))
            if len(results) >= limit:
                return results
    return results


def _match_rank(name: str, needle: str) -> int | None:
    if not needle:
        return 3
    if name == needle:
        return 0
    if name.startswith(needle):
        return 1
    if needle in name:
        return 2
    position = 0
    for character in needle:
        position = name.find(character, position)
        if position < 0:
            return None
        position += 1
    return 3


def _outline_nodes(nodes: list[Node]) -> list[OutlineSymbol]:
    """The outline of a list of nodes, nested as written.

    Iterative (an explicit stack of open blocks), so that a file of thousands
    of nested `if` blocks cannot exhaust Python's recursion limit: a block's
    symbol is built when its last child is done.
    """
    top: list[OutlineSymbol] = []
    stack: list[tuple[Node | None, Iterator[Node], list[OutlineSymbol]]] = [(None, iter(nodes), top)]
    while stack:
        block, pending, built = stack[-1]
        node = next(pending, None)
        if node is None:
            stack.pop()
            if block is not None:
                stack[-1][2].append(_block_symbol(block, tuple(built)))
            continue
        if isinstance(node, (ChoiceEntry, MenuEntry, IfBlock)):
            stack.append((node, iter(node.children), []))
            continue
        symbol = _leaf_symbol(node)
        if symbol is not None:
            built.append(symbol)
    return top


def _block_symbol(node: Node, children: tuple[OutlineSymbol, ...]) -> OutlineSymbol:
    """The symbol of a choice, menu or `if` block whose children are already built."""
    if isinstance(node, ChoiceEntry):
        prompt = node.prompts[0].text if node.prompts else ""
        name = node.name or prompt or "choice"
        end = node.end_span.end if node.end_span is not None else _children_end(node.span, children)
        return OutlineSymbol(
            name,
            "choice",
            f'"{prompt}"' if prompt and node.name else "",
            Span(node.span.start, end),
            node.name_span or node.span,
            children,
        )
    if isinstance(node, MenuEntry):
        end = node.end_span.end if node.end_span is not None else _children_end(node.span, children)
        return OutlineSymbol(
            node.title or "menu", "menu", "", Span(node.span.start, end), node.title_span, children
        )
    assert isinstance(node, IfBlock)
    end = node.end_span.end if node.end_span is not None else _children_end(node.span, children)
    return OutlineSymbol(
        f"if {render(node.condition)}",
        "if",
        "",
        Span(node.span.start, end),
        node.condition_span,
        children,
    )


def _leaf_symbol(node: Node) -> OutlineSymbol | None:
    if isinstance(node, ConfigEntry):
        type_name = node.type.type_name if node.type is not None else ""
        prompt = node.prompts[0].text if node.prompts else ""
        detail = " ".join(part for part in (type_name, f'"{prompt}"' if prompt else "") if part)
        return OutlineSymbol(node.name, node.keyword, detail, entry_extent(node), node.name_span)
    if isinstance(node, CommentEntry):
        return OutlineSymbol(node.text or "comment", "comment", "", entry_extent(node), node.span)
    if isinstance(node, SourceStatement):
        return OutlineSymbol(node.path, "source", node.keyword, node.span, node.path_span)
    if isinstance(node, MainMenu):
        return OutlineSymbol(node.title, "mainmenu", "", node.span, node.span)
    return None


def _children_end(span: Span, children: tuple[OutlineSymbol, ...]) -> int:
    """End of a block that is never closed: its last child's end."""
    return max([span.end, *(child.span.end for child in children)])
