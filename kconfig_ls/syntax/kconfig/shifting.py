"""Syntax nodes moved by a byte offset: the parse of the text after an edit, without parsing it.

Text typed above an entry moves every span below it and changes nothing
else, so a re-parse of one part of a file (`incremental.py`) copies the
nodes after the edited part with their spans moved by the edit's length.
Expressions carry no positions and are shared; every span, name offset and
help text position is moved. The copies are equal to what the parser makes
of the moved text (`tests/kconfig/test_incremental_parse.py` compares them).
"""

from __future__ import annotations

from typing import Final

from kconfig_ls.syntax.kconfig.nodes import (
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    Default,
    Dependency,
    HelpText,
    IfBlock,
    MacroAssignment,
    MainMenu,
    MenuEntry,
    NameOccurrence,
    NameOffsets,
    NameSource,
    Node,
    Prompt,
    Range,
    ReverseDependency,
    SourceStatement,
    Span,
    SyntaxProblem,
    TypeDeclaration,
)

__all__ = ["shifted_node", "shifted_problem"]

# Named tuples built without their Python-level `__new__` (as the parser does).
_new_tuple: Final = tuple.__new__


def _span(span: Span, delta: int) -> Span:
    return _new_tuple(Span, (span[0] + delta, span[1] + delta))


def _names(source: NameSource, delta: int) -> NameSource:
    if isinstance(source, NameOffsets):
        return _new_tuple(NameOffsets, (source[0], source[1] + delta))
    if not source:
        return source
    return tuple(_new_tuple(NameOccurrence, (o[0], _span(o[1], delta))) for o in source)


def _type(declaration: TypeDeclaration | None, delta: int) -> TypeDeclaration | None:
    if declaration is None:
        return None
    return TypeDeclaration(declaration.type_name, _span(declaration.span, delta))


def _prompts(prompts: list[Prompt], delta: int) -> list[Prompt]:
    return [
        Prompt(
            p.text,
            p.condition,
            _span(p.span, delta),
            _span(p.text_span, delta),
            _names(p.condition_name_source, delta),
        )
        for p in prompts
    ]


def _dependencies(dependencies: list[Dependency], delta: int) -> list[Dependency]:
    return [
        Dependency(
            d.expression,
            d.condition,
            _span(d.span, delta),
            _span(d.expression_span, delta),
            _names(d.expression_name_source, delta),
            _names(d.condition_name_source, delta),
        )
        for d in dependencies
    ]


def _reverse(reverse: list[ReverseDependency], delta: int) -> list[ReverseDependency]:
    return [
        ReverseDependency(
            r.keyword,
            r.target,
            r.condition,
            _span(r.span, delta),
            _span(r.target_span, delta),
            _names(r.condition_name_source, delta),
        )
        for r in reverse
    ]


def _defaults(defaults: list[Default], delta: int) -> list[Default]:
    return [
        Default(
            d.value,
            d.condition,
            _span(d.span, delta),
            _span(d.value_span, delta),
            _names(d.value_name_source, delta),
            _names(d.condition_name_source, delta),
        )
        for d in defaults
    ]


def _ranges(ranges: list[Range], delta: int) -> list[Range]:
    return [
        Range(
            r.low,
            r.high,
            r.condition,
            _span(r.span, delta),
            _names(r.bound_name_source, delta),
            _names(r.condition_name_source, delta),
        )
        for r in ranges
    ]


def _help(help_text: HelpText | None, delta: int) -> HelpText | None:
    if help_text is None:
        return None
    return HelpText(help_text.raw_lines, help_text.indentation, _span(help_text.span, delta))


def _options(options: list[tuple[str, Span]], delta: int) -> list[tuple[str, Span]]:
    return [(option, _span(span, delta)) for option, span in options]


def _end(span: Span | None, delta: int) -> Span | None:
    return None if span is None else _span(span, delta)


def shifted_node(node: Node, delta: int) -> Node:
    """A copy of `node` (and of everything in it) with every span moved by `delta` bytes."""
    if isinstance(node, ConfigEntry):
        # Most attribute lists of an entry are empty: a new empty list each, without a call.
        return ConfigEntry(
            node.keyword,
            node.name,
            _span(node.name_span, delta),
            _span(node.span, delta),
            _type(node.type, delta),
            _prompts(node.prompts, delta) if node.prompts else [],
            _dependencies(node.dependencies, delta) if node.dependencies else [],
            _reverse(node.selects, delta) if node.selects else [],
            _reverse(node.implies, delta) if node.implies else [],
            _defaults(node.defaults, delta) if node.defaults else [],
            _ranges(node.ranges, delta) if node.ranges else [],
            _help(node.help, delta),
            _options(node.options, delta) if node.options else [],
        )
    if isinstance(node, SourceStatement):
        return SourceStatement(node.keyword, node.path, _span(node.path_span, delta), _span(node.span, delta))
    if isinstance(node, IfBlock):
        return IfBlock(
            node.condition,
            _span(node.condition_span, delta),
            _span(node.span, delta),
            [shifted_node(child, delta) for child in node.children],
            _end(node.end_span, delta),
            _names(node.condition_name_source, delta),
        )
    if isinstance(node, MenuEntry):
        return MenuEntry(
            node.title,
            _span(node.title_span, delta),
            _span(node.span, delta),
            _dependencies(node.dependencies, delta),
            _dependencies(node.visible_if, delta),
            [shifted_node(child, delta) for child in node.children],
            _end(node.end_span, delta),
            _help(node.help, delta),
        )
    if isinstance(node, ChoiceEntry):
        return ChoiceEntry(
            node.name,
            _end(node.name_span, delta),
            _span(node.span, delta),
            _type(node.type, delta),
            _prompts(node.prompts, delta),
            _dependencies(node.dependencies, delta),
            _defaults(node.defaults, delta),
            _help(node.help, delta),
            _options(node.options, delta),
            [shifted_node(child, delta) for child in node.children],
            _end(node.end_span, delta),
        )
    if isinstance(node, CommentEntry):
        return CommentEntry(node.text, _span(node.span, delta), _dependencies(node.dependencies, delta))
    if isinstance(node, MacroAssignment):
        return MacroAssignment(node.name, node.flavor, node.value, _span(node.span, delta))
    return MainMenu(node.title, _span(node.span, delta))


def shifted_problem(problem: SyntaxProblem, delta: int) -> SyntaxProblem:
    return SyntaxProblem(problem.message, _span(problem.span, delta), problem.severity, problem.kind)
