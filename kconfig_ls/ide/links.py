"""Document links: each `source` statement's path, linked to the file it reads.

The model resolves `source` paths while linking (macros expanded in their
context, relative or top-level, globs); the inclusions it records say
which statement led to which file, so links reuse that resolution. For a
file the model did not link (not reached from any root), the path is
resolved here with the configured environment only, and linked when the
file exists.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

from kconfig_ls.semantics.macros import MacroEnvironment, UnknownValue
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.syntax.kconfig import KconfigFile, Node, SourceStatement, Span

__all__ = ["DocumentLink", "document_links", "source_statement_at", "source_statements", "source_targets"]


@dataclass(frozen=True, slots=True)
class DocumentLink:
    span: Span
    target: str
    tooltip: str


def source_statements(parsed: KconfigFile) -> list[SourceStatement]:
    """Every `source`-like statement of a file, nested ones included, in order."""
    found: list[SourceStatement] = []
    stack: list[Node] = list(reversed(parsed.nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, SourceStatement):
            found.append(node)
        children = getattr(node, "children", None)
        if children:
            stack.extend(reversed(children))
    return found


def source_statement_at(parsed: KconfigFile, offset: int) -> SourceStatement | None:
    for statement in source_statements(parsed):
        if statement.span.start <= offset <= statement.span.end:
            return statement
    return None


def source_targets(workspace: KconfigModel, path: str, statement: SourceStatement) -> list[str]:
    """The files a `source` statement reads (several for a glob), existing ones only."""
    linked = _linked_targets(workspace, path).get((statement.path_span.start, statement.path_span.end))
    if linked:
        return linked
    return _resolve_alone(workspace, path, statement)


def document_links(workspace: KconfigModel, path: str) -> list[DocumentLink]:
    parsed = workspace.files.get(path)
    if parsed is None:
        return []
    linked = _linked_targets(workspace, path)
    links: list[DocumentLink] = []
    for statement in source_statements(parsed):
        targets = linked.get((statement.path_span.start, statement.path_span.end))
        if not targets:
            targets = _resolve_alone(workspace, path, statement)
        if not targets:
            continue
        tooltip = workspace.relative(targets[0])
        if len(targets) > 1:
            tooltip += f" (and {len(targets) - 1} more files)"
        links.append(DocumentLink(statement.path_span, targets[0], tooltip))
    return links


def _linked_targets(workspace: KconfigModel, path: str) -> dict[tuple[int, int], list[str]]:
    targets: dict[tuple[int, int], list[str]] = {}
    for inclusions in workspace.inclusions.values():
        for inclusion in inclusions:
            location = workspace.source_location(inclusion)
            if location is None or location.path != path:
                continue
            key = (location.span.start, location.span.end)
            bucket = targets.setdefault(key, [])
            if inclusion.path not in bucket:
                bucket.append(inclusion.path)
    return targets


def _resolve_alone(workspace: KconfigModel, path: str, statement: SourceStatement) -> list[str]:
    environment = MacroEnvironment(dict(workspace.settings.environment), trust_commands=False)
    try:
        expanded = environment.expand(statement.path)
    except UnknownValue:
        return []
    base = os.path.dirname(path) if statement.relative else workspace.root
    target = os.path.normpath(os.path.join(base, expanded))
    if any(character in expanded for character in "*?["):
        return sorted(glob.glob(target))
    return [target] if os.path.isfile(target) else []
