"""KLS003 conflicting-types: one symbol defined with different types.

`config FOO` with `bool` in one place and `tristate` (or `int`, ...) in
another: the C tools take the first type and warn; which one wins depends
on the order files are sourced in. Definitions are compared within one
configuration world: the tree the root reaches, or one unreached root
(an architecture that is not configured), never across them.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.semantics.model import Inclusion, SymbolDefinition


def check(context: CheckContext) -> Iterator[Finding]:
    workspace = context.model
    for name, definitions in workspace.definitions.items():
        if len(definitions) < 2:
            continue
        by_world: dict[str, list[SymbolDefinition]] = {}
        for definition in definitions:
            if definition.type_name is not None:
                by_world.setdefault(_world(definition.inclusion), []).append(definition)
        for typed in by_world.values():
            first = typed[0]
            for other in typed[1:]:
                if other.type_name != first.type_name:
                    yield RULE.finding(
                        f"{name} is defined as {other.type_name} here but as {first.type_name} "
                        f"at {workspace.relative(first.path)}:{workspace.line_of(first.location) + 1}",
                        other.location,
                        related=[RelatedLocation(f"{name} defined as {first.type_name}", first.location)],
                    )


def _world(inclusion: Inclusion) -> str:
    while inclusion.parent is not None:
        inclusion = inclusion.parent
    return inclusion.path if not inclusion.reached else ""


RULE = Rule(
    code="KLS003",
    name="conflicting-types",
    summary="a symbol defined with different types",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
)
