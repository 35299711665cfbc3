"""KLS002 undefined-symbol: a Kconfig expression names a symbol nobody defines.

An undefined symbol in Kconfig is silently `n`: `depends on FOO` with no
`config FOO` anywhere hides the entry forever, and `select FOO` selects
nothing. This usually means a rename that missed a user, or a typo. The
message suggests the closest defined name.

An unquoted word as the whole `default` of a `string` symbol (`default foo`)
or a hex-digit word as that of a `hex` symbol (`default 1a2b`) is a value
written without quotes, not a reference: the C tools take an undefined
symbol's name as its value, so it works, but it breaks the day someone
defines `foo`. Those get a hint and a quick fix that adds the quotes (or,
for hex, the `0x` prefix). The same holds for a word compared with a
string or hex symbol (`depends on SYS_CPU = arm1176`, U-Boot's
`lib/efi_loader/Kconfig`): it is the value the symbol is compared with.

Every Kconfig file of the workspace counts as a definition site, including
other architectures' files that the configured root does not reach, so an
ARM-only symbol used in an ARM-only file is not reported. Names the
ecosystem's build defines outside the Kconfig files are unknown, not
undefined: Zephyr's `DT_HAS_<compat>_ENABLED` come from the build folder's
generated `Kconfig.dts` (when that folder is there, they are defined).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from typing import Final

from kconfig_ls.checks.framework import (
    CheckContext,
    Finding,
    Fix,
    Rule,
    Severity,
    SymbolChanges,
    SymbolEntryPoint,
    TextEdit,
)
from kconfig_ls.checks.names import NameSuggester, name_location, suggester_for
from kconfig_ls.semantics.model import KconfigModel, Location, SymbolDefinition, SymbolReference
from kconfig_ls.syntax.expression import And, Compare, Expression, Not, Or, Symbol
from kconfig_ls.syntax.kconfig import Span, name_uses

_HEX_DIGITS: Final = re.compile(r"[0-9A-Fa-f]+")


def check(context: CheckContext) -> Iterator[Finding]:
    return _findings(context.model, context.model.references)


def check_symbols(context: CheckContext, names: frozenset[str]) -> Iterator[Finding]:
    """The findings about these names (the per-symbol entry point)."""
    references = context.model.references
    return _findings(context.model, (name for name in names if name in references))


_WHOLE_RULE_ABOVE: Final = 2000
"""Past this many changed symbols (an `if` around `source` lines), the whole rule is cheaper."""


def affected_symbols(changes: SymbolChanges) -> frozenset[str] | None:
    """The names whose findings an edit may change.

    A name's findings read its uses, whether anything defines it, and, for
    an unquoted `default` word, the type of the symbol that has the
    default: the names whose uses or meaning changed and the default values
    of the changed symbols. A definition that appeared or disappeared may
    change every "did you mean" suggestion: then it cannot tell; nor is it
    worth telling after a structural edit that changed thousands.
    """
    if changes.names or len(changes.symbols) > _WHOLE_RULE_ABOVE:
        return None
    affected = set(changes.references) | changes.symbols
    memo = _ComparisonMemo()
    for model in (changes.previous_model, changes.model):
        for name in changes.symbols:
            for definition in model.definitions.get(name, ()):
                affected.update(
                    default.value.name for default in definition.defaults if isinstance(default.value, Symbol)
                )
            # A changed symbol's type decides whether the words compared with it are values.
            for reference in model.references.get(name, ()):
                if reference.definition is not None:
                    affected.update(memo.of(reference.definition).partners.get(name, ()))
    return frozenset(affected)


def _findings(workspace: KconfigModel, names: Iterable[str]) -> Iterator[Finding]:
    suggester: NameSuggester | None = None
    name_spans = _NameSpans(workspace)
    memo = _ComparisonMemo()
    unknown = [re.compile(pattern) for pattern in workspace.settings.unknown_symbols]
    for name in names:
        if name in workspace.definitions:
            continue
        if any(pattern.fullmatch(name) for pattern in unknown):
            continue  # defined by the build outside the Kconfig files (Zephyr's DT_HAS_*_ENABLED)
        references = workspace.references[name]
        if suggester is None:
            suggester = _suggester(workspace)
        suggestion = suggester.suggest(name)
        hint = f"; did you mean {suggestion}?" if suggestion else ""
        for reference in references:
            unquoted = _unquoted_constant(workspace, reference, memo, name_spans)
            if unquoted is not None:
                type_name, location, compared = unquoted
                if compared is None:
                    owner = reference.definition.name if reference.definition is not None else "?"
                    written = f"'default {name}' of {type_name} symbol {owner}"
                else:
                    written = f"'{name}' compared with {type_name} symbol {compared}"
                quote = Fix(f'Quote the value: "{name}"', (TextEdit(location, f'"{name}"'),))
                if type_name == "hex":
                    yield RULE.finding(
                        f'{written} names no symbol; if it is a value, write 0x{name} or "{name}"',
                        location,
                        fixes=(Fix(f"Write 0x{name}", (TextEdit(location, f"0x{name}"),)), quote),
                        symbol=name,
                    )
                else:
                    yield RULE.finding(
                        f'{written} names no symbol; if it is a value, quote it: "{name}"',
                        location,
                        fixes=(quote,),
                        symbol=name,
                    )
                continue
            yield RULE.finding(
                f"undefined symbol {name} in '{reference.kind}'{hint}",
                name_spans.locate(reference.location, name),
                symbol=name,
            )


def _suggester(workspace: KconfigModel) -> NameSuggester:
    """The suggester over the defined names (`checks.names.suggester_for`: kept while they stay)."""
    return suggester_for(workspace.definitions)


class _NameSpans:
    """The exact span of a name inside a reference's expression, from the parser's name uses.

    A reference carries the span of its whole expression; searching it for
    the name was quadratic on long lines (24 s for one `depends on` with
    20,000 undefined operands). Names that the text does not hold as
    written (expanded from macros) fall back to that search.
    """

    def __init__(self, workspace: KconfigModel) -> None:
        self.workspace = workspace
        self.by_path: dict[str, dict[str, list[Span]]] = {}

    def locate(self, location: Location, name: str) -> Location:
        spans = self.by_path.get(location.path)
        if spans is None:
            spans = {}
            parsed = self.workspace.file(location.path)
            for use in name_uses(parsed) if parsed is not None else ():
                spans.setdefault(use.name, []).append(use.span)
            self.by_path[location.path] = spans
        candidates = spans.get(name)
        if candidates:
            index = bisect_left(candidates, (location.span.start, location.span.start))
            if index < len(candidates) and candidates[index].end <= location.span.end:
                return Location(location.path, candidates[index])
        return name_location(self.workspace, location, name)


def _unquoted_constant(
    workspace: KconfigModel, reference: SymbolReference, memo: _ComparisonMemo, name_spans: _NameSpans
) -> tuple[str, Location, str | None] | None:
    """(type, location of the word, the symbol it is compared with) for an unquoted string or hex value.

    The third part is None for the whole `default` of a string or hex
    symbol, else the string or hex symbol the word is compared with
    (`SYS_CPU = arm1176`).
    """
    definition = reference.definition
    if definition is None:
        return None
    name = reference.name
    if reference.kind == "default":
        type_name = _type_of(workspace, definition)
        span = reference.location.span
        if (
            type_name is not None
            and _is_value_type(type_name, name)
            and any(
                default.value == Symbol(name) and default.value_span == span
                for default in definition.defaults
            )
        ):
            return _written_as_is(workspace, reference, type_name, reference.location, None)
    comparisons = memo.of(definition)
    partners = comparisons.partners.get(name)
    if not partners or name in comparisons.plain:
        return None  # not compared, or also used as a symbol in the same entry
    typed = sorted(
        (type_name, partner)
        for partner in partners
        for type_name in (_type_of_name(workspace, partner),)
        if type_name is not None and _is_value_type(type_name, name)
    )
    if len(typed) != len(partners):
        return None  # compared with a bool, an int or an undefined name too
    location = name_spans.locate(reference.location, name)
    return _written_as_is(workspace, reference, typed[0][0], location, typed[0][1])


def _written_as_is(
    workspace: KconfigModel,
    reference: SymbolReference,
    type_name: str,
    location: Location,
    compared: str | None,
) -> tuple[str, Location, str | None] | None:
    span = location.span
    if workspace.text(reference.location.path)[span.start : span.end] != reference.name.encode():
        return None  # written in parentheses, or produced by a macro: no quick fix
    return type_name, location, compared


def _is_value_type(type_name: str | None, name: str) -> bool:
    return type_name == "string" or (type_name == "hex" and _HEX_DIGITS.fullmatch(name) is not None)


def _type_of(workspace: KconfigModel, definition: SymbolDefinition) -> str | None:
    return definition.type_name or _type_of_name(workspace, definition.name)


def _type_of_name(workspace: KconfigModel, name: str) -> str | None:
    return next((d.type_name for d in workspace.definitions.get(name, ()) if d.type_name), None)


def _expressions(definition: SymbolDefinition) -> Iterator[Expression]:
    """Every expression the entry writes itself (not the inherited block conditions)."""
    for dependency in definition.dependencies:
        yield dependency.expression
        if dependency.condition is not None:
            yield dependency.condition
    for default in definition.defaults:
        yield default.value
        if default.condition is not None:
            yield default.condition
    for reverse in (*definition.selects, *definition.implies):
        if reverse.condition is not None:
            yield reverse.condition
    for prompt in definition.prompts:
        if prompt.condition is not None:
            yield prompt.condition
    for bound in definition.entry.ranges:
        yield bound.low
        yield bound.high
        if bound.condition is not None:
            yield bound.condition


class _Comparisons:
    """What one entry compares: each name's comparison partners, and the names it uses otherwise.

    Worked out once per entry and kept for the run (`_ComparisonMemo`): an entry with
    20,000 undefined operands has 20,000 references, and walking its expressions once
    per reference was quadratic.
    """

    __slots__ = ("partners", "plain")

    def __init__(self, definition: SymbolDefinition) -> None:
        self.partners: dict[str, set[str]] = {}
        self.plain: set[str] = set()
        stack = list(_expressions(definition))
        while stack:
            node = stack.pop()
            if isinstance(node, Symbol):
                self.plain.add(node.name)
            elif isinstance(node, Not):
                stack.append(node.operand)
            elif isinstance(node, (And, Or)):
                stack.extend(node.operands)
            elif isinstance(node, Compare):
                left, right = node.left, node.right
                if isinstance(left, Symbol) and isinstance(right, Symbol):
                    self.partners.setdefault(right.name, set()).add(left.name)
                    self.partners.setdefault(left.name, set()).add(right.name)
                else:
                    stack.extend(side for side in (left, right) if not isinstance(side, Symbol))


class _ComparisonMemo:
    """`_Comparisons` per entry for one run (the entries are kept alive with their answers)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[SymbolDefinition, _Comparisons]] = {}

    def of(self, definition: SymbolDefinition) -> _Comparisons:
        known = self._known.get(id(definition))
        if known is None:
            known = self._known[id(definition)] = (definition, _Comparisons(definition))
        return known[1]


RULE = Rule(
    code="KLS002",
    name="undefined-symbol",
    summary="a Kconfig expression, select or imply names an undefined symbol",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    per_symbol=SymbolEntryPoint(affected_symbols, check_symbols),
)
