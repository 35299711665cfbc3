"""Publishing diagnostics: the syntax tier at once, the whole tree debounced.

On every open or change the server publishes the file's syntax tier
immediately (one file's parse, a few milliseconds) together with the last
whole-tree findings for that file, moved along with the edit (a finding
whose text was edited is dropped until the next run). The whole-tree
checks run in a background thread after a pause in typing (300 ms by
default), once for all open files; a run that overlapped an edit is thrown
away (the host checks its revision) and a new one follows the edit.

Publishing happens on the event loop thread only; the worker thread only
computes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from typing import Final

from lsprotocol import types

from kconfig_ls.checks.framework import Finding, RelatedLocation
from kconfig_ls.ide.analysis import AnalysisHost
from kconfig_ls.semantics.model import Location
from kconfig_ls.server import convert
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.documents import ByteEdit, DocumentStore, map_span_through_edits
from kconfig_ls.text.line_index import ColumnUnit

__all__ = ["DEFAULT_DEBOUNCE_SECONDS", "DiagnosticsScheduler"]

_LOG = logging.getLogger(__name__)
DEFAULT_DEBOUNCE_SECONDS: Final = 0.3

Publisher = Callable[[types.PublishDiagnosticsParams], None]


class DiagnosticsScheduler:
    """Owns what was last published per open document and when to recompute it."""

    def __init__(
        self,
        host: Callable[[], AnalysisHost | None],
        documents: DocumentStore,
        paths: convert.PathMapper,
        unit: Callable[[], ColumnUnit],
        publish: Publisher,
        background: Executor,
        delay: float = DEFAULT_DEBOUNCE_SECONDS,
    ) -> None:
        self._host = host
        self._documents = documents
        self._paths = paths
        self._unit = unit
        self._publish = publish
        self._background = background
        self.delay = delay
        self.full_by_path: dict[str, list[Finding]] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._run_again = False
        self.completed_runs = 0

    # -- events ---------------------------------------------------------------------

    def document_opened(self, path: str) -> None:
        self.publish(path)
        self.schedule()

    def document_changed(self, path: str, edits: list[ByteEdit]) -> None:
        """Move the last whole-tree findings along with the edits, publish, reschedule."""
        for other_path, findings in list(self.full_by_path.items()):
            moved = [m for m in (_move_finding(f, path, edits) for f in findings) if m is not None]
            self.full_by_path[other_path] = moved
        self.publish(path)
        self.schedule()

    def document_closed(self, path: str) -> None:
        self.full_by_path.pop(path, None)
        self._publish(types.PublishDiagnosticsParams(uri=self._paths.uri(path), diagnostics=[]))

    def refresh_all(self) -> None:
        """The model changed under every document (a load, a settings change)."""
        for document in self._documents:
            self.publish(document.path)
        self.schedule(immediately=True)

    # -- publishing -------------------------------------------------------------------

    def publish(self, path: str) -> None:
        host = self._host()
        document = self._documents.get(path)
        if host is None or document is None:
            return
        _, syntax = host.syntax_diagnostics(path)
        findings = host.merged_findings(syntax, self.full_by_path.get(path, []))
        unit = self._unit()
        diagnostics = [convert.diagnostic(f, host.line_index, unit, self._paths) for f in findings]
        self._publish(
            types.PublishDiagnosticsParams(
                uri=self._paths.uri(path), diagnostics=diagnostics, version=document.version
            )
        )

    # -- the whole-tree run -------------------------------------------------------------

    def schedule(self, *, immediately: bool = False) -> None:
        loop = asyncio.get_running_loop()
        if self._timer is not None:
            self._timer.cancel()
        self._timer = loop.call_later(0 if immediately else self.delay, self._start)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _start(self) -> None:
        self._timer = None
        host = self._host()
        if host is None or not host.loaded:
            return  # the end of the load refreshes everything
        if self._task is not None and not self._task.done():
            self._run_again = True
            return
        self._task = asyncio.ensure_future(self._run(host))

    async def _run(self, host: AnalysisHost) -> None:
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(self._background, host.compute_full_findings)
            if result is None:
                _LOG.debug("whole-tree checks overlapped an edit; dropped")
                return
            revision, findings = result
            if revision != host.revision or self._host() is not host:
                _LOG.debug("whole-tree checks finished after an edit; dropped")
                return
            self.full_by_path = {
                document.path: findings.get(document.path, []) for document in self._documents
            }
            self.completed_runs += 1
            for document in self._documents:
                self.publish(document.path)
        except Exception:
            _LOG.exception("whole-tree checks failed")
        finally:
            self._task = None
            if self._run_again:
                self._run_again = False
                self.schedule()


def _move_finding(finding: Finding, path: str, edits: list[ByteEdit]) -> Finding | None:
    """The finding after edits to `path`, or None if the edits touched its text."""
    primary = _move_location(finding.location, path, edits)
    if primary is None:
        return None
    related: list[RelatedLocation] = []
    for item in finding.related:
        moved = _move_location(item.location, path, edits)
        if moved is not None:
            related.append(RelatedLocation(item.message, moved))
    if primary is finding.location and len(related) == len(finding.related):
        return finding
    return replace(finding, location=primary, related=tuple(related), fixes=())


def _move_location(location: Location, path: str, edits: list[ByteEdit]) -> Location | None:
    if location.path != path:
        return location
    moved = map_span_through_edits(location.span.start, location.span.end, edits)
    if moved is None:
        return None
    if moved == (location.span.start, location.span.end):
        return location
    return Location(path, Span(*moved))
