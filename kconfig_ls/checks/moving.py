"""Findings moved along with text edits, instead of being recomputed or thrown away.

Two callers need it: the server moves the last whole-tree findings of a
document with each keystroke until the next run replaces them (`lenient`:
a related note or a fix whose text was edited is dropped, the finding
stays; a fix's edits move with the text like its location), and the
incremental runner reuses a rule's findings after an edit that changed
no symbol (`strict`: anything that cannot move exactly means
the rule must run again). A finding whose own span was edited cannot move
in either case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from kconfig_ls.checks.framework import Finding, Fix, RelatedLocation, TextEdit
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.documents import ByteEdit, map_span_through_edits

__all__ = ["move_finding", "move_location"]


def move_finding(
    finding: Finding, edits_by_path: Mapping[str, Sequence[ByteEdit]], *, strict: bool
) -> Finding | None:
    """The finding after the edits, or None when it cannot be moved (see the module docstring)."""
    location = move_location(finding.location, edits_by_path)
    if location is None:
        return None
    related: list[RelatedLocation] = []
    for item in finding.related:
        moved = move_location(item.location, edits_by_path)
        if moved is None:
            if strict:
                return None
            continue
        related.append(RelatedLocation(item.message, moved))
    unchanged = len(related) == len(finding.related) and all(
        new.location is old.location for new, old in zip(related, finding.related, strict=True)
    )
    if location is finding.location and unchanged and not _fixes_touched(finding.fixes, edits_by_path):
        return finding
    fixes: list[Fix] = []
    for fix in finding.fixes:
        moved_fix = _move_fix(fix, edits_by_path)
        if moved_fix is None:
            if strict:
                return None  # a fix whose text was edited: recompute rather than guess
            continue
        fixes.append(moved_fix)
    return replace(finding, location=location, related=tuple(related), fixes=tuple(fixes))


def _fixes_touched(fixes: Sequence[Fix], edits_by_path: Mapping[str, Sequence[ByteEdit]]) -> bool:
    return any(edit.location.path in edits_by_path for fix in fixes for edit in fix.edits)


def _move_fix(fix: Fix, edits_by_path: Mapping[str, Sequence[ByteEdit]]) -> Fix | None:
    """A fix with its edits' spans moved along with the text edits, or None if one was edited."""
    edits: list[TextEdit] = []
    for edit in fix.edits:
        moved = move_location(edit.location, edits_by_path)
        if moved is None:
            return None
        edits.append(edit if moved is edit.location else TextEdit(moved, edit.new_text))
    return Fix(fix.title, tuple(edits))


def move_location(location: Location, edits_by_path: Mapping[str, Sequence[ByteEdit]]) -> Location | None:
    """Where a location is after the edits of its file, or None if an edit touched it."""
    edits = edits_by_path.get(location.path)
    if not edits:
        return location
    moved = map_span_through_edits(location.span.start, location.span.end, edits)
    if moved is None:
        return None
    if moved == (location.span.start, location.span.end):
        return location
    return Location(location.path, Span(*moved))
