"""Moving what an edit did not change: kept verdicts and dead questions follow the edited bytes.

Split from `incremental_logic` for its size. A location inside an edited
range cannot be moved: its symbol is re-asked (`WorldModels.unmovable`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from kconfig_ls.logic.liveness import DeadItem
from kconfig_ls.logic.select_analysis import EdgeKey, UnmetSelect
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.documents import ByteEdit

if TYPE_CHECKING:
    from kconfig_ls.logic.incremental_liveness import QuestionKey
    from kconfig_ls.logic.incremental_logic import _State


def move_locations(state: _State, edits: Mapping[str, ByteEdit]) -> None:
    """Move every kept verdict and dead question along with the edits of their files.

    A location inside an edited range cannot be moved: its symbol is
    re-asked (`WorldModels.unmovable`).
    """
    if not edits:
        return
    verdicts: dict[EdgeKey, UnmetSelect | None] = {}
    prefiltered: set[EdgeKey] = set()
    for key, verdict in state.verdicts.items():
        edit = edits.get(key[2])
        new_key = key
        if edit is not None:
            start = _moved(key[3], edit)
            if start is None or (verdict is not None and _straddles(key[3], verdict.location.span.end, edit)):
                state.worlds.unmovable.add(key[1])
                continue
            new_key = (key[0], key[1], key[2], start)
            if verdict is not None:
                span = verdict.location.span
                end = _moved_end(span.end, edit)
                verdict = replace(
                    verdict, location=Location(key[2], Span(start, end if end is not None else start))
                )
        verdicts[new_key] = verdict
        if key in state.prefiltered:
            prefiltered.add(new_key)
    state.verdicts, state.prefiltered = verdicts, prefiltered
    dead: dict[QuestionKey, str | None] = {}
    lengths: dict[QuestionKey, int] = {}
    for question_key, reason in state.dead.items():
        edit = edits.get(question_key[2])
        if edit is not None:
            start = _moved(question_key[3], edit)
            extent = state.lengths.get(question_key, 0)
            if start is None or _straddles(question_key[3], question_key[3] + extent, edit):
                state.worlds.unmovable.add(question_key[1])
                continue
            new_key = (question_key[0], question_key[1], question_key[2], start)
        else:
            new_key = question_key
        length = state.lengths.get(question_key)
        if length is not None:
            lengths[new_key] = length
        dead[new_key] = reason
    state.dead, state.lengths = dead, lengths
    state.roots = _moved_roots(state.roots, edits)


def _moved_roots(
    roots: tuple[DeadItem, ...] | None, edits: Mapping[str, ByteEdit]
) -> tuple[DeadItem, ...] | None:
    """The reported dead items moved along with the edits (None: one was inside the edited bytes)."""
    if roots is None:
        return None
    moved: list[DeadItem] = []
    for item in roots:
        location = item.location
        edit = edits.get(location.path)
        if edit is not None:
            start, end = _moved(location.span.start, edit), _moved_end(location.span.end, edit)
            if start is None or end is None or _straddles(location.span.start, location.span.end, edit):
                return None
            item = replace(item, location=Location(location.path, Span(start, end)))
        moved.append(item)
    return tuple(moved)


def _moved(offset: int, edit: ByteEdit) -> int | None:
    """Where a span starting at `offset` starts after the edit (None: inside the edited bytes)."""
    if offset < edit.start:
        return offset
    if offset >= edit.old_end:
        return offset + edit.delta  # an insertion just before the span moves it too
    return None


def _straddles(start: int, end: int, edit: ByteEdit) -> bool:
    """Whether the edit begins inside the span: a minimal diff of `config NEW` typed above
    `config NUMA` starts after the common `config N`, inside NUMA's name, which moved whole."""
    return start < edit.start < end


def _moved_end(offset: int, edit: ByteEdit) -> int | None:
    """Where a span ending at `offset` ends after the edit."""
    if offset <= edit.start:
        return offset
    if offset >= edit.old_end:
        return offset + edit.delta
    return None
