"""Publishing diagnostics: the syntax tier at once, the whole tree debounced and incremental.

On every open or change the server publishes the file's syntax tier (one
file's parse, a few milliseconds) together with the last whole-tree
findings for that file, moved along with the edit (a finding whose text was
edited is dropped until the next run). Both are computed in a worker thread
on the snapshot of that change and sent from the event loop, with the
document version of that snapshot; a result for an older version than the
last one sent is dropped.

The whole-tree checks run in a background thread after a pause in typing
(300 ms by default), on the latest snapshot, reusing the findings of the
rules no change since the last run can affect (`checks.incremental`). A run
that a newer change overtakes is cancelled (`Cancelled`) and a new one
follows that change. At each of its cancellation checkpoints the run gives
way to the requests and keystroke publishes in flight (`ForegroundGate`).
The solver tier (the rules that ask the SAT solver,
`server.logic_diagnostics`) runs after each whole-tree publish in a thread
of its own; its findings are merged into every publish.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Final

from lsprotocol import types

from kconfig_ls.analysis.cancellation import Cancelled
from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.checks.framework import Finding
from kconfig_ls.checks.incremental import ChangedInputs, RuleResults, incremental_findings
from kconfig_ls.checks.moving import move_finding
from kconfig_ls.ide.diagnostics import merge_tiers
from kconfig_ls.server import convert
from kconfig_ls.server.debounce import Debounce
from kconfig_ls.server.logic_diagnostics import LogicDiagnostics
from kconfig_ls.server.workers import ForegroundGate, YieldingToken
from kconfig_ls.text.documents import ByteEdit, DocumentStore
from kconfig_ls.text.line_index import ColumnUnit

__all__ = ["DEFAULT_DEBOUNCE_SECONDS", "MAXIMUM_DEBOUNCE_SECONDS", "DiagnosticsScheduler"]

_LOG = logging.getLogger(__name__)
DEFAULT_DEBOUNCE_SECONDS: Final = 0.3
MAXIMUM_DEBOUNCE_SECONDS: Final = 2.0
"""The longest edits that keep coming postpone the whole-tree checks (`server/debounce.py`)."""

Publisher = Callable[[types.PublishDiagnosticsParams], None]
ExtraDiagnostics = Callable[[Analysis, str], list[types.Diagnostic]]


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
        syntax_worker: Executor | None = None,
        extra: ExtraDiagnostics | None = None,
        foreground: ForegroundGate | None = None,
    ) -> None:
        self._host = host
        self._documents = documents
        self._paths = paths
        self._unit = unit
        self._publish = publish
        self._background = background
        self._syntax_worker = syntax_worker or background
        self._debounce = Debounce(self._start, delay, max(delay, MAXIMUM_DEBOUNCE_SECONDS))
        self.full_by_path: dict[str, list[Finding]] = {}
        self._task: asyncio.Task[None] | None = None
        self._run_again = False
        self._published_sequence: dict[str, int] = {}
        self._results: RuleResults | None = None
        self._results_sequence = 0
        self.completed_runs = 0
        self._extra = extra
        self._foreground = foreground or ForegroundGate()
        self._run_waiters: list[threading.Event] = []
        self._run_waiters_lock = threading.Lock()
        # The solver tier (server/logic_diagnostics.py): its findings merge into every publish.
        self.logic = LogicDiagnostics(self)

    # -- events ---------------------------------------------------------------------

    def document_opened(self, path: str) -> None:
        self.publish(path)
        self.schedule()

    def document_changed(self, path: str, edits: list[ByteEdit]) -> None:
        """Move the last whole-tree findings along with the edits, publish, reschedule."""
        edits_by_path = {path: edits}
        for other_path, findings in list(self.full_by_path.items()):
            moved = [
                m for m in (move_finding(f, edits_by_path, strict=False) for f in findings) if m is not None
            ]
            self.full_by_path[other_path] = moved
        self.logic.move(edits_by_path)
        self.publish(path)
        self.schedule()

    def document_closed(self, path: str) -> None:
        self.full_by_path.pop(path, None)
        self._published_sequence.pop(path, None)
        self._publish(types.PublishDiagnosticsParams(uri=self._paths.uri(path), diagnostics=[]))

    def refresh_all(self) -> None:
        """The model changed under every document (a load, a settings change)."""
        for document in self._documents:
            self.publish(document.path)
        self.schedule(immediately=True)

    def open_paths(self) -> list[str]:
        return [document.path for document in self._documents]

    # -- publishing -------------------------------------------------------------------

    def publish(self, path: str) -> None:
        """Publish one document's diagnostics for the latest change (computed off the loop)."""
        host = self._host()
        if host is None or self._documents.get(path) is None:
            return
        sequence = host.sequence
        full = list(self.full_by_path.get(path, []))
        loop = asyncio.get_running_loop()

        def compute() -> None:
            try:
                snapshot = host.snapshot(sequence)
                params = self._parameters(snapshot, path, full)
            except Exception:
                _LOG.exception("computing the diagnostics of %s failed", path)
                return
            finally:
                self._foreground.leave()
            loop.call_soon_threadsafe(self._send, path, sequence, params)

        # A keystroke's publish is foreground work: the whole-tree checks give way.
        self._foreground.enter()
        try:
            self._syntax_worker.submit(compute)
        except RuntimeError:
            self._foreground.leave()  # shut down

    def _parameters(
        self, snapshot: Analysis, path: str, full: list[Finding]
    ) -> types.PublishDiagnosticsParams:
        findings = merge_tiers(snapshot.syntax_diagnostics(path), self.logic.merge(path, full))
        unit = self._unit()
        diagnostics = [convert.diagnostic(f, snapshot.line_index, unit, self._paths) for f in findings]
        if self._extra is not None:
            diagnostics += self._extra(snapshot, path)  # the active configuration's (server/configuration.py)
        return types.PublishDiagnosticsParams(
            uri=self._paths.uri(path), diagnostics=diagnostics, version=snapshot.overlay.version(path)
        )

    def _send(self, path: str, sequence: int, params: types.PublishDiagnosticsParams) -> None:
        if self._documents.get(path) is None:
            return  # closed meanwhile
        if self._published_sequence.get(path, -1) > sequence:
            return  # a newer version was published already
        self._published_sequence[path] = sequence
        self._publish(params)

    # -- the whole-tree run -------------------------------------------------------------

    def next_run_finished(self) -> threading.Event:
        """An event set when the next whole-tree run ends, however it ends (any thread may wait on it)."""
        event = threading.Event()
        with self._run_waiters_lock:
            self._run_waiters.append(event)
        return event

    def _wake_run_waiters(self) -> None:
        with self._run_waiters_lock:
            waiters, self._run_waiters = self._run_waiters, []
        for event in waiters:
            event.set()

    def schedule(self, *, immediately: bool = False) -> None:
        """Run the whole-tree checks after a pause in the edits (at the latest `MAXIMUM_DEBOUNCE_SECONDS`)."""
        self._debounce.schedule(asyncio.get_running_loop(), immediately=immediately)

    def cancel(self) -> None:
        self._debounce.cancel()

    def _start(self) -> None:
        host = self._host()
        if host is None or not host.loaded:
            return  # the end of the load refreshes everything
        if self._task is not None and not self._task.done():
            self._run_again = True
            return
        self._task = asyncio.ensure_future(self._run(host))

    async def _run(self, host: AnalysisHost) -> None:
        loop = asyncio.get_running_loop()
        open_paths = [document.path for document in self._documents]
        try:
            outcome = await loop.run_in_executor(self._background, self._compute, host, open_paths)
            if outcome is None:
                _LOG.debug("whole-tree checks overtaken by an edit; cancelled")
                return
            snapshot, grouped, published = outcome
            if self._host() is not host:
                return
            if snapshot.sequence != host.sequence:
                if not host.only_index_arrived(snapshot.sequence, host.sequence):
                    _LOG.debug("whole-tree checks finished after an edit; not published")
                    return
                # Overtaken only by the code index swapping in at the end of the
                # load: the findings are those of the texts and the Kconfig model
                # the client has, so they are published now rather than dropped
                # (on Linux a second); the run the index schedules follows.
                for path in published:
                    self.full_by_path[path] = grouped.get(path, [])
            else:
                self.full_by_path = {path: grouped.get(path, []) for path in open_paths}
                self.completed_runs += 1
            for path, params in published.items():
                self._send(path, snapshot.sequence, params)
            self.logic.start(host)
        except Exception:
            _LOG.exception("whole-tree checks failed")
        finally:
            self._task = None
            self._wake_run_waiters()
            if self._run_again:
                self._run_again = False
                self.schedule()

    def _compute(
        self, host: AnalysisHost, open_paths: list[str]
    ) -> tuple[Analysis, dict[str, list[Finding]], dict[str, types.PublishDiagnosticsParams]] | None:
        """In the background thread: the findings of the latest snapshot, and what to publish."""
        snapshot = host.snapshot()
        summary = host.changes_between(self._results_sequence, snapshot.sequence)
        changes = ChangedInputs(
            summary.everything or self._results is None,
            summary.kconfig_files,
            summary.code_files,
            summary.symbols,
            summary.references,
            summary.names,
        )
        try:
            results = incremental_findings(
                self._results,
                changes,
                snapshot.model,
                snapshot.code_index,
                snapshot.rule_settings,
                snapshot.overlay,
                YieldingToken(snapshot.cancellation, self._foreground),
                solver_tier=False,
            )
            # Sysbuild's model (a nested project) is small: its findings are computed whole each run.
            grouped = snapshot.with_nested_findings(results.grouped())
        except Cancelled:
            return None
        self._results, self._results_sequence = results, snapshot.sequence
        snapshot.set_full_findings(grouped)
        published = {
            path: self._parameters(snapshot, path, grouped.get(path, []))
            for path in open_paths
            if snapshot.is_open(path)
        }
        return snapshot, grouped, published
