"""KLS102 endif-comment-mismatch: an `#else`/`#endif` comment names a symbol its block does not test.

Kernel style closes long blocks with the condition as a comment:
`#endif /* CONFIG_MIGRATION */`. When a guard is rewritten and the comment is
not (the seed patch fixed such comments by hand when `CONFIG_MIGRATION`
guards became `CONFIG_NUMA_MIGRATION`), the comment lies to every reader.
The rule compares each `CONFIG_` name in the comment of an `#else`, `#elif`
or `#endif` with the symbols tested by the block's `#if` and `#elif` lines.

Not reported, because the comment is then a fair summary rather than a lie:
a name that the tested symbols depend on (`#endif /* CONFIG_KASAN */` after
`#if defined(CONFIG_KASAN_GENERIC)`, which depends on KASAN), a name that
depends on a tested symbol, and, after `#else`, a member of the same
`choice` as a tested symbol (`#else /* CONFIG_ISA_ARCV2 */` after
`#ifdef CONFIG_ISA_ARCOMPACT`: the other option of the choice). Measured on
Linux 6.12: 148 raw mismatches, of which these exceptions remove the
summaries and alternatives.

Quick fix: when the block tests exactly one symbol, replace the name in the
comment with it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RelatedLocation, Rule, Severity, TextEdit
from kconfig_ls.semantics.model import KconfigModel, Location, SymbolDefinition
from kconfig_ls.syntax.expression import referenced_symbols
from kconfig_ls.syntax.kconfig import Span


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    workspace = context.model
    for mismatch in index.comment_mismatches():
        if _is_fair_summary(
            workspace, mismatch.named_symbol, mismatch.block_symbols, mismatch.directive_kind
        ):
            continue
        location = Location(mismatch.path, mismatch.identifier_span)
        tested = ", ".join(f"CONFIG_{s}" for s in mismatch.block_symbols) or "no Kconfig symbol"
        fixes = []
        if len(mismatch.block_symbols) == 1:
            replacement = f"CONFIG_{mismatch.block_symbols[0]}"
            # Replace the symbol name only, keeping a `_MODULE` suffix or `!` around it.
            start = mismatch.identifier_span.start
            name_span = Span(start, start + len("CONFIG_") + len(mismatch.named_symbol))
            edit = TextEdit(Location(mismatch.path, name_span), replacement)
            fixes.append(Fix(f"Change the comment to {replacement}", (edit,)))
        yield RULE.finding(
            f"#{mismatch.directive_kind} comment names CONFIG_{mismatch.named_symbol}, but the block "
            f"opened at line {mismatch.opening_line + 1} ({mismatch.opening_text}) tests {tested}",
            location,
            related=[
                RelatedLocation(
                    f"the block opens here: {mismatch.opening_text}",
                    Location(mismatch.path, mismatch.opening_span),
                )
            ],
            fixes=fixes,
        )


def _is_fair_summary(
    workspace: KconfigModel, named: str, tested: tuple[str, ...], directive_kind: str
) -> bool:
    named_definitions = workspace.definitions.get(named)
    if not named_definitions:
        return False
    named_dependencies = _dependency_names(named_definitions)
    for symbol in tested:
        definitions = workspace.definitions.get(symbol)
        if not definitions:
            continue
        if named in _dependency_names(definitions) or symbol in named_dependencies:
            return True
        if directive_kind == "else" and _choices(definitions) & _choices(named_definitions):
            return True
    return False


def _dependency_names(definitions: list[SymbolDefinition]) -> set[str]:
    return {name for definition in definitions for name in referenced_symbols(definition.direct_dependency())}


def _choices(definitions: list[SymbolDefinition]) -> set[int]:
    return {id(definition.choice) for definition in definitions if definition.choice is not None}


RULE = Rule(
    code="KLS102",
    name="endif-comment-mismatch",
    summary="an #else/#endif comment that names a symbol the block does not test",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="tree",
    scope="both",
)
