"""Go to definition and find references for Kconfig symbols.

A symbol's definition sites are its `config`/`menuconfig` entries (all of
them: a symbol may be defined in several places, and in files for other
architectures). References come from the model's reference table, whose
spans cover a whole expression or line; here they are narrowed to each
occurrence of the name, with the exact spans the parser recorded from the
tokens, so an editor highlights the name itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.worlds import world_membership
from kconfig_ls.syntax.kconfig import KconfigFile, Span, name_uses

__all__ = ["ReferenceSite", "definition_locations", "name_occurrences", "reference_sites"]


@dataclass(frozen=True, slots=True)
class ReferenceSite:
    """Where a symbol is used, and how: `definition`, `depends on`, `select`, `if`, ..."""

    location: Location
    kind: str


def definition_locations(
    workspace: KconfigModel, name: str, looked_from: str | None = None
) -> list[Location]:
    """The name spans of every definition, the world's first.

    The world is the configured one, or the architecture whose folder
    `looked_from` is in: from `arch/arm/mm/fault.c`, arm's `config MMU` comes
    first (`semantics.worlds.world_membership`). Within each group, the
    definitions that give a prompt come first (U-Boot's TEXT_BASE has 70 sites,
    one with the prompt), then reading order.
    """
    member = world_membership(workspace.settings, looked_from)
    definitions = sorted(workspace.definitions.get(name, []), key=lambda d: (not member(d), not d.prompts))
    return [definition.location for definition in definitions]


def reference_sites(workspace: KconfigModel, name: str, include_declaration: bool) -> list[ReferenceSite]:
    """Every Kconfig use of a symbol, narrowed to the name, in file order."""
    sites: list[ReferenceSite] = []
    seen: set[tuple[str, int, int]] = set()

    def add(location: Location, kind: str) -> None:
        key = (location.path, location.span.start, location.span.end)
        if key not in seen:
            seen.add(key)
            sites.append(ReferenceSite(location, kind))

    if include_declaration:
        for location in definition_locations(workspace, name):
            add(location, "definition")
    for reference in workspace.references.get(name, []):
        occurrences = name_occurrences(workspace, reference.location, name)
        for location in occurrences or [reference.location]:
            add(location, reference.kind)
    sites.sort(key=lambda site: (site.kind != "definition", site.location.path, site.location.span.start))
    return sites


def name_occurrences(workspace: KconfigModel, location: Location, name: str) -> list[Location]:
    """Each occurrence of `name` inside a location of a model file, with the parser's exact spans.

    The parser records every name's span from the expression's tokens
    (`syntax.kconfig.name_uses`), so nothing is searched for in the text: a
    name on a continuation line, or repeated in a line, is found exactly,
    and a 20,000-operand line costs one lookup.
    """
    parsed = workspace.files.get(location.path)
    if parsed is None:
        return []
    spans = _name_spans(parsed).get(name, ())
    start, end = location.span
    return [Location(location.path, span) for span in spans if start <= span.start and span.end <= end]


_NAME_SPANS: dict[int, tuple[KconfigFile, dict[str, list[Span]]]] = {}
_NAME_SPANS_KEPT: Final = 256


def _name_spans(parsed: KconfigFile) -> dict[str, list[Span]]:
    """The spans of each name a parse uses, memoised per parse (parses are never changed)."""
    cached = _NAME_SPANS.get(id(parsed))
    if cached is not None and cached[0] is parsed:
        return cached[1]
    table: dict[str, list[Span]] = {}
    for use in name_uses(parsed):
        table.setdefault(use.name, []).append(use.span)
    if len(_NAME_SPANS) >= _NAME_SPANS_KEPT:
        _NAME_SPANS.pop(next(iter(_NAME_SPANS)))
    _NAME_SPANS[id(parsed)] = (parsed, table)
    return table
