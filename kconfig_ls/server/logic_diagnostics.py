"""The solver tier of the diagnostics: the logic's rules, in the background, after the tree tier.

The rules that ask the SAT solver (tier `solver`: KLS201, KLS203-KLS206 and
whatever rule declares that tier) and the logic's re-grading of the tree
rules that have one (KLS001) never run in the tree tier, whose findings
must arrive within a pause in typing. After each tree-tier publish,
`LogicDiagnostics.start` runs them on the latest snapshot in a thread of
their own (never the threads of the syntax and tree tiers, nor the query
threads of hover and definition), then publishes every open document
again with their findings merged in: the solver tier's findings of a rule
replace that rule's tree-tier ones.

Cost and cancellation: the first pass over a tree builds the analyses of
every world (Linux: a minute and more of CPU for 21 architectures; read
from the disk cache on a warm start, `logic.world_analysis`) under the
work-done progress "Checking Kconfig logic". That build is never thrown
away by an edit: `IncrementalLogic` brings a state built on an older text
forward. After it, an edit re-asks only the questions it affects
(`logic.incremental_logic`), which checks the snapshot's cancellation
token between queries: a newer change cancels the pass (`Cancelled`), and
the pass that follows that change publishes the new result. Until then
the last findings stay, moved along with each edit.

After a pass, the solver that edits use is loaded for the Kconfig files
open in the editor (`_prepare_edits`), so that the first edit of one of
them does not pay for it.

Which rules run follows the settings, as in `lint`: the preview group when
enabled (`preview`), and the re-grading when the logic is on
(`AnalysisSettings.logic`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Protocol

from lsprotocol import types

from kconfig_ls.analysis.cancellation import CancellationToken, Cancelled
from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.framework import CheckContext, Finding
from kconfig_ls.checks.incremental import ChangedInputs, RuleResults, solver_findings, solver_tier_rules
from kconfig_ls.checks.moving import move_finding
from kconfig_ls.logic.incremental_logic import IncrementalLogic
from kconfig_ls.logic.world_analysis import cached_analyses, install_analyses
from kconfig_ls.server.workers import DaemonThreadExecutor
from kconfig_ls.text.documents import ByteEdit

__all__ = ["PROGRESS_TITLE", "LogicDiagnostics"]

_LOG = logging.getLogger(__name__)
PROGRESS_TITLE = "Checking Kconfig logic"
_CLIENT_TIMEOUT_SECONDS = 5.0


class _Scheduler(Protocol):
    """What the solver tier needs of `server.diagnostics.DiagnosticsScheduler`."""

    full_by_path: dict[str, list[Finding]]

    def publish(self, path: str) -> None: ...

    def open_paths(self) -> list[str]: ...


class _ProgressServer(Protocol):
    @property
    def work_done_progress(self) -> object: ...


class LogicDiagnostics:
    """The solver tier's last findings, and the background pass that renews them."""

    def __init__(self, scheduler: _Scheduler) -> None:
        self._scheduler = scheduler
        self._worker = DaemonThreadExecutor(1, "kconfig-ls-logic")
        self._logic = IncrementalLogic()
        self._results: RuleResults | None = None
        self._results_sequence = 0
        self._task: asyncio.Task[None] | None = None
        self._run_again = False
        self._host: AnalysisHost | None = None
        self._server: _ProgressServer | None = None
        self._progress_supported: Callable[[], bool] = lambda: False
        self._lock = threading.Lock()
        self.by_path: dict[str, list[Finding]] = {}
        self.codes: frozenset[str] = frozenset()
        """The rules whose findings the solver tier owns (its own, and those it re-grades)."""
        self.completed_runs = 0
        self.cancelled_runs = 0
        self.prepared_solvers = 0
        """How many times the solver of the edits was loaded ahead of an edit (`_prepare_edits`)."""
        self._preparing: CancellationToken | None = None
        """The token of the preparation running or queued: a new pass cancels its teaching."""

    def attach_progress(self, server: _ProgressServer, supported: Callable[[], bool]) -> None:
        """Report the long passes as work-done progress (when the client supports it)."""
        self._server = server
        self._progress_supported = supported

    # -- what the scheduler asks --------------------------------------------------------

    def merge(self, path: str, findings: list[Finding]) -> list[Finding]:
        """The tree tier's findings with the solver tier's in place of the rules it owns."""
        with self._lock:
            codes, own = self.codes, self.by_path.get(path, [])
        if not codes:
            return findings
        return [finding for finding in findings if finding.rule_code not in codes] + own

    def findings_in(self, path: str) -> list[Finding]:
        """The solver tier's last findings in one file of the tree (what hovers explain; never waits)."""
        with self._lock:
            return list(self.by_path.get(path, ()))

    def move(self, edits_by_path: dict[str, list[ByteEdit]]) -> None:
        """Move the last findings along with an edit (a finding whose text was edited is dropped)."""
        with self._lock:
            for path in edits_by_path:
                findings = self.by_path.get(path)
                if findings:
                    moved = (move_finding(f, edits_by_path, strict=False) for f in findings)
                    self.by_path[path] = [m for m in moved if m is not None]

    def start(self, host: AnalysisHost) -> None:
        """After a tree-tier publish: renew the solver tier on the latest snapshot."""
        if host is not self._host:
            self._host, self._results, self._results_sequence = host, None, 0
            self._logic.release()
        if not solver_tier_rules(host.rule_settings, host.settings.logic):
            # Nothing to run (the default: no preview rules, no logic); forget the last findings.
            if self.codes:
                with self._lock:
                    self.codes, self.by_path = frozenset(), {}
                self._results = None
                self._logic.release()
                for path in self._scheduler.open_paths():
                    self._scheduler.publish(path)
            return
        preparing = self._preparing
        if preparing is not None:
            # The edit solver's teaching (`IncrementalLogic.prepare`) yields to the new pass.
            preparing.cancel()
        if self._task is not None and not self._task.done():
            self._run_again = True  # the running pass is on an older snapshot: cancelled by the change
            return
        self._task = asyncio.ensure_future(self._run(host))

    def shutdown(self) -> None:
        self._worker.shutdown(wait=False)

    # -- the pass -------------------------------------------------------------------------

    async def _run(self, host: AnalysisHost) -> None:
        loop = asyncio.get_running_loop()
        token = await self._begin_progress() if not self._logic.ready else None
        last: list[object] = [None]

        def report(message: str, percentage: int | None) -> None:
            if token is None or last[0] == (message, percentage) or self._server is None:
                return
            last[0] = (message, percentage)
            progress = self._server.work_done_progress
            loop.call_soon_threadsafe(
                progress.report,  # type: ignore[attr-defined]
                token,
                types.WorkDoneProgressReport(message=message, percentage=percentage),
            )

        message = "done"
        try:
            outcome = await loop.run_in_executor(self._worker, self._compute, host, report)
            if outcome is None:
                message = "superseded by an edit"
                return
            sequence, results = outcome
            if sequence != host.sequence or self._host is not host:
                message = "superseded by an edit"
                return
            self._install(results)
            self.completed_runs += 1
            count = sum(len(findings) for findings in results.by_rule.values())
            message = f"{count} finding{'s' if count != 1 else ''}"
            for path in self._scheduler.open_paths():
                self._scheduler.publish(path)
            self._prepare_edits(host)
        except Exception:
            message = "failed"
            _LOG.exception("the solver-tier checks failed")
        finally:
            if token is not None and self._server is not None:
                progress = self._server.work_done_progress
                progress.end(token, types.WorkDoneProgressEnd(message=message))  # type: ignore[attr-defined]
            self._task = None
            if self._run_again:
                self._run_again = False
                self._task = asyncio.ensure_future(self._run(host))

    def _compute(
        self, host: AnalysisHost, report: Callable[[str, int | None], None]
    ) -> tuple[int, RuleResults] | None:
        """In the logic thread: the solver tier's findings on the latest snapshot (None: cancelled)."""
        snapshot = host.snapshot()
        settings = snapshot.settings
        rule_settings = snapshot.rule_settings
        if not solver_tier_rules(rule_settings, settings.logic):
            return snapshot.sequence, RuleResults({}, rule_settings, snapshot.model)
        summary = host.changes_between(self._results_sequence, snapshot.sequence)
        changes = ChangedInputs(
            summary.everything or self._results is None,
            summary.kconfig_files,
            summary.code_files,
            summary.symbols,
            summary.references,
            summary.names,
        )
        context = CheckContext(
            snapshot.model,
            snapshot.code_index,
            snapshot.overlay,
            snapshot.cancellation,
            cache_directory=settings.cache_directory,
            logic=settings.logic,
        )
        logic: IncrementalLogic | None = self._logic
        if not self._logic.ready:
            cached = cached_analyses(snapshot.model, settings.cache_directory)
            if cached is not None:
                # A warm start: the rules read the cached analyses; the state that
                # follows edits is built by the next pass that needs it.
                install_analyses(snapshot.model, *cached)
                logic = None
        try:
            results = solver_findings(self._results, changes, context, rule_settings, logic, report)
        except Cancelled:
            self.cancelled_runs += 1
            return None
        self._results, self._results_sequence = results, snapshot.sequence
        if logic is None:
            self._prepare(host)
        return snapshot.sequence, results

    def _prepare(self, host: AnalysisHost) -> None:
        """After a warm start: build the state that follows edits (never cancelled by them)."""

        def build() -> None:
            if self._logic.ready or self._host is not host:
                return
            try:
                self._logic.update(host.snapshot().model)
            except Exception:
                _LOG.exception("building the logic state failed")

        self._worker.submit(build)

    def _prepare_edits(self, host: AnalysisHost) -> None:
        """After a pass: load, in the logic thread, the solver that edits of the open documents use.

        Why: the first edit of a Kconfig file loaded that solver itself
        (`IncrementalLogic.prepare`: 2-8 s on Linux before its findings
        came). Done here, between passes, the first edit of an open file
        finds it ready. Returns at once when it is ready already; a pass
        queued meanwhile waits for the load (which it would have done),
        not for the teaching that follows it (5-10 s of CPU on Linux x86):
        `start` cancels that, and the solver stays, taught as far as it got.
        """
        paths = self._scheduler.open_paths()
        token = self._preparing = CancellationToken()

        def prepare() -> None:
            if self._host is not host or not self._logic.ready or token.cancelled:
                return
            try:
                if self._logic.prepare(paths, token):
                    self.prepared_solvers += 1
            except Exception:
                _LOG.exception("preparing the solver of the edits failed")

        self._worker.submit(prepare)

    def _install(self, results: RuleResults) -> None:
        grouped = results.grouped()
        with self._lock:
            self.codes = frozenset(results.by_rule)
            self.by_path = grouped
        for path in list(self._scheduler.full_by_path):
            self._scheduler.full_by_path[path] = self.merge(path, self._scheduler.full_by_path[path])

    async def _begin_progress(self) -> str | None:
        server = self._server
        if server is None or not self._progress_supported():
            return None
        token = f"kconfig-ls/logic/{uuid.uuid4()}"
        progress = server.work_done_progress
        try:
            await asyncio.wait_for(progress.create_async(token), _CLIENT_TIMEOUT_SECONDS)  # type: ignore[attr-defined]
            progress.begin(  # type: ignore[attr-defined]
                token,
                types.WorkDoneProgressBegin(title=PROGRESS_TITLE, message="starting", cancellable=False),
            )
        except Exception:
            _LOG.warning("the client refused a progress token; checking the logic without progress")
            return None
        return token
