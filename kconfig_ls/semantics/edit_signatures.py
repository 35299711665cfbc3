"""Signatures of a parsed Kconfig file and of a definition: what an edit changed.

`KconfigModel.apply_change` compares them between the old and the new parse
of an edited file to choose how much to re-link (see `semantics.changes`):
the linking signature (sources, macros and their blocks, without spans) says
whether other files' linking can change; the source and block-condition spans
say whether typing only moved lines; a definition's semantic signature says
whether a symbol's meaning changed. Pure functions of the parse.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    IfBlock,
    KconfigFile,
    MacroAssignment,
    MenuEntry,
    Node,
    SourceStatement,
    Span,
)

if TYPE_CHECKING:
    from kconfig_ls.semantics.definitions import SymbolDefinition


def source_statement_spans(parsed: KconfigFile) -> list[Span]:
    """The path spans of a file's `source` statements, in order (nested ones included)."""
    spans: list[Span] = []
    stack: list[object] = list(reversed(parsed.nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, SourceStatement):
            spans.append(node.path_span)
        children = getattr(node, "children", None)
        if children:
            stack.extend(reversed(children))
    return spans


def linking_signature(parsed: KconfigFile) -> tuple[object, ...]:
    """What other files' linking depends on: sources, macros, and their blocks.

    Spans are left out (typing above a `source` line moves it), but the
    structure is kept: a `source` moved into an `if` changes its context.
    """
    signature: list[object] = []
    _add_signature(parsed.nodes, 0, signature)
    return tuple(signature)


def _add_signature(nodes: list[Node], depth: int, signature: list[object]) -> None:
    # A module-level recursive function, not a closure: a recursive closure is
    # a reference cycle, which a long editing session would accumulate.
    for node in nodes:
        if isinstance(node, SourceStatement):
            signature.append(("source", node.keyword, node.path, depth))
        elif isinstance(node, MacroAssignment):
            signature.append(("macro", node.name, node.flavor, node.value))
        elif isinstance(node, (IfBlock, MenuEntry, ChoiceEntry)):
            before = len(signature)
            _add_signature(node.children, depth + 1, signature)
            if len(signature) > before:
                if isinstance(node, IfBlock):
                    signature.insert(before, ("if", node.condition))
                elif isinstance(node, MenuEntry):
                    signature.insert(
                        before,
                        (
                            "menu",
                            node.title,
                            tuple(d.expression for d in node.dependencies),
                            tuple(v.expression for v in node.visible_if),
                        ),
                    )
                else:
                    signature.insert(
                        before, ("choice", node.name, tuple(d.expression for d in node.dependencies))
                    )
                signature.append(("end", depth))


def source_block_condition_spans(parsed: KconfigFile) -> list[Span]:
    """Where the conditions of the blocks around `source` statements are written, in order.

    The files sourced inside an `if` (or a `menu` with `depends on`/`visible
    if`, or a `choice`) record where each condition they inherit is written,
    for hovers. Text typed above such a block moves it without changing the
    linking signature; the files below must then be rebased onto the moved
    locations (a subtree relink rebases them without walking them), or they
    keep pointing at the old line.
    """
    spans: list[Span] = []
    _add_block_condition_spans(parsed.nodes, spans)
    return spans


def _add_block_condition_spans(nodes: list[Node], spans: list[Span]) -> None:
    for node in nodes:
        if isinstance(node, (IfBlock, MenuEntry, ChoiceEntry)) and _has_source(node.children):
            if isinstance(node, IfBlock):
                spans.append(node.condition_span)
            else:
                spans.extend(d.expression_span for d in node.dependencies)
                if isinstance(node, MenuEntry):
                    spans.extend(v.expression_span for v in node.visible_if)
            _add_block_condition_spans(node.children, spans)


def sources_inside_a_choice(parsed: KconfigFile) -> bool:
    """Whether a `source` statement of the file is inside a `choice` (at any depth).

    The files it sources hold this parse's `ChoiceEntry` (`Inclusion.choice`),
    so a one-file relink, which keeps them, would leave them the old one.
    """
    stack: list[Node] = list(parsed.nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, ChoiceEntry):
            if _has_source(node.children):
                return True
        elif isinstance(node, (IfBlock, MenuEntry)):
            stack.extend(node.children)
    return False


def _has_source(nodes: list[Node]) -> bool:
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, SourceStatement):
            return True
        if isinstance(node, (IfBlock, MenuEntry, ChoiceEntry)):
            stack.extend(node.children)
    return False


def _statement_spans(nodes: list[Node], spans: list[Span]) -> None:
    for node in nodes:
        if isinstance(node, SourceStatement):
            spans.append(node.path_span)
        elif isinstance(node, MacroAssignment):
            spans.append(node.span)
        elif isinstance(node, (IfBlock, MenuEntry, ChoiceEntry)):
            _statement_spans(node.children, spans)


def statement_span_map(old: KconfigFile, new: KconfigFile) -> dict[Span, Span]:
    """Old span -> new span of each `source` path and macro line, matched in order."""
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    _statement_spans(old.nodes, old_spans)
    _statement_spans(new.nodes, new_spans)
    return dict(zip(old_spans, new_spans, strict=False))


def semantic_signature(definition: SymbolDefinition) -> tuple[object, ...]:
    """What a definition means, without where it is written (spans) or its help text.

    Two definitions with equal signatures give every rule and query the same
    answer about the symbol; an edit that keeps every signature (a help text,
    a comment, moving lines) changes no symbol's meaning.
    """
    signature = definition._semantic_signature
    if signature is None:
        signature = definition._semantic_signature = _signature_of(definition)
    return signature


def _signature_of(definition: SymbolDefinition) -> tuple[object, ...]:
    entry = definition.entry
    return (
        definition.name,
        entry.keyword,
        definition.type_name,
        tuple((p.text, p.condition) for p in definition.prompts),
        tuple((d.expression, d.condition) for d in definition.dependencies),
        tuple((s.target, s.condition) for s in definition.selects),
        tuple((s.target, s.condition) for s in definition.implies),
        tuple((d.value, d.condition) for d in definition.defaults),
        tuple((r.low, r.high, r.condition) for r in entry.ranges),
        tuple(option for option, _ in entry.options),
        tuple((c.expression, c.origin) for c in definition.inherited),
        tuple(c.expression for c in definition.visible_if),
        definition.menu_path,
        None if definition.choice is None else (definition.choice.name, definition.choice.span.start),
        definition.reached,
    )
