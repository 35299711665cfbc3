"""One client connection: its documents, settings, loading, file watching and request helper.

Threads: the event loop handles messages and submits changes to the host
(cheap: the overlay and a queue); requests are answered in a small query
pool on the snapshot of their own version (`answer`); the syntax tier of
each change is published from a thread of its own; loading and the
whole-tree checks run on two background threads. Nothing slow ever runs on
the event loop, so `$/cancelRequest` and new edits are read at once.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Final, TypeVar

from lsprotocol import types

from kconfig_ls.analysis.host import AnalysisHost, LoadSummary
from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.ide.disk_changes import FileStamps
from kconfig_ls.server import convert
from kconfig_ls.server.client_log import install_client_log_handler
from kconfig_ls.server.configuration import ConfigurationPublisher
from kconfig_ls.server.diagnostics import DiagnosticsScheduler
from kconfig_ls.server.messages import SettingsProblemMessages
from kconfig_ls.server.settings import (
    SETTINGS_SECTION,
    ClientSettings,
    parse_client_settings,
    settings_section,
)
from kconfig_ls.server.workers import DaemonThreadExecutor, ForegroundGate
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.text.documents import DocumentStore
from kconfig_ls.text.line_index import ColumnUnit

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer

__all__ = ["WATCHED_FILE_PATTERNS", "Session"]

_LOG = logging.getLogger(__name__)

WATCHED_FILE_PATTERNS: Final = (
    "**/Kconfig*",
    "**/Config.in*",
    "**/*.projbuild",
    "**/*.c",
    "**/*.h",
    "**/Makefile",
    "**/Kbuild",
    "**/*defconfig",
    "**/*.conf",
    "**/sdkconfig*",
)
_QUERY_THREADS: Final = 2
# How long to wait for the client's answer to our own requests before going on without it.
_CLIENT_TIMEOUT_SECONDS: Final = 5.0
# Polling the disk when the client has no file watchers (see `start_polling`).
_POLL_SECONDS: Final = 2.0
# How long the code index waits for the first whole-tree diagnostics of the Kconfig model.
_INDEX_WAITS_FOR_FIRST_RUN_SECONDS: Final = 5.0
_CODE_POLL_EVERY: Final = 15
# The interpreter's switch interval while a request or keystroke is in flight (`ForegroundGate`).
_FOREGROUND_SWITCH_INTERVAL_SECONDS: Final = 0.0002

Result = TypeVar("Result")


class Session:
    """Everything one client connection needs: documents, host, settings, workers."""

    def __init__(
        self,
        server: KconfigLanguageServer,
        debounce_seconds: float,
        cache_directory: str | None = None,
        index_code: bool = True,
    ) -> None:
        self.server = server
        self.cache_directory = cache_directory
        self.index_code = index_code
        self.documents = DocumentStore()
        self.paths = convert.PathMapper()
        self.unit: ColumnUnit = "utf-16"
        self.host: AnalysisHost | None = None
        self.user_config_file: str | None = None
        self.project_root = os.getcwd()
        self.client_settings = ClientSettings()
        self.capabilities = types.ClientCapabilities()
        self.queries = DaemonThreadExecutor(_QUERY_THREADS, "kconfig-ls-query")
        # Two threads: a load (whose code index phase takes seconds) must not
        # hold up the whole-tree diagnostics of the Kconfig model it has
        # already swapped in. Both are safe to overlap (the host's revision
        # check drops stale results).
        self.background = DaemonThreadExecutor(2, "kconfig-ls-background")
        # The syntax tier of each keystroke has a thread of its own: in the
        # background queue it waited behind a load or a whole-tree run.
        self.syntax = DaemonThreadExecutor(1, "kconfig-ls-syntax")
        # Requests and keystroke publishes in flight; the whole-tree checks give way to them.
        self.foreground = ForegroundGate(_FOREGROUND_SWITCH_INTERVAL_SECONDS)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.load_count = 0
        self.diagnostics = DiagnosticsScheduler(
            host=lambda: self.host,
            documents=self.documents,
            paths=self.paths,
            unit=lambda: self.unit,
            publish=self.server.text_document_publish_diagnostics,
            background=self.background,
            delay=debounce_seconds,
            syntax_worker=self.syntax,
            foreground=self.foreground,
            extra=lambda snapshot, path: self.configuration.extra_diagnostics(snapshot, path),
        )
        self.diagnostics.logic.attach_progress(self.server, lambda: self.work_done_progress)
        self.configuration = ConfigurationPublisher(self)
        self.initialization_options: object = None
        self.raw_capabilities: Mapping[str, object] = {}
        self._loading: asyncio.Task[None] | None = None
        self._polling: asyncio.Future[None] | None = None
        self.file_stamps: FileStamps | None = None
        self._pending_problems: list[str] = []
        self.problem_messages = SettingsProblemMessages()
        self._initial_section: Mapping[str, object] = {}
        # The empty folder made for single-file mode (see `_project_root`), removed on shutdown and exit.
        self.own_folder: str | None = None

    # -- capabilities ------------------------------------------------------------------

    @property
    def markdown_hover(self) -> bool:
        hover = self.capabilities.text_document.hover if self.capabilities.text_document else None
        formats = hover.content_format if hover is not None else None
        return formats is None or types.MarkupKind.Markdown in formats

    @property
    def hierarchical_symbols(self) -> bool:
        document = self.capabilities.text_document
        symbols = document.document_symbol if document is not None else None
        return bool(symbols is not None and symbols.hierarchical_document_symbol_support)

    @property
    def link_tooltips(self) -> bool:
        document = self.capabilities.text_document
        links = document.document_link if document is not None else None
        return bool(links is not None and links.tooltip_support)

    @property
    def document_changes(self) -> bool:
        """Whether workspace edits may be versioned `documentChanges` (else plain `changes`)."""
        workspace = self.capabilities.workspace
        edit = workspace.workspace_edit if workspace is not None else None
        return bool(edit is not None and edit.document_changes)

    @property
    def can_create_files(self) -> bool:
        workspace = self.capabilities.workspace
        edit = workspace.workspace_edit if workspace is not None else None
        operations = edit.resource_operations if edit is not None else None
        return self.document_changes and types.ResourceOperationKind.Create in (operations or ())

    @property
    def work_done_progress(self) -> bool:
        window = self.capabilities.window
        return bool(window is not None and window.work_done_progress)

    @property
    def can_pull_configuration(self) -> bool:
        workspace = self.capabilities.workspace
        return bool(workspace is not None and workspace.configuration)

    @property
    def can_register_file_watchers(self) -> bool:
        workspace = self.capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        return bool(watched is not None and watched.dynamic_registration)

    # -- lifecycle -----------------------------------------------------------------------

    def initialize(self, params: types.InitializeParams) -> None:
        self.capabilities = params.capabilities
        self.initialization_options = params.initialization_options
        raw = getattr(self.server.protocol, "raw_initialize_params", None)
        capabilities = raw.get("capabilities") if isinstance(raw, Mapping) else None
        self.raw_capabilities = capabilities if isinstance(capabilities, Mapping) else {}
        self.unit = convert.column_unit(convert.position_encoding_for(params.capabilities))
        self.remove_own_folder()
        self.project_root, refusal, made = _project_root(params)
        if made:
            self.own_folder = self.project_root
            atexit.register(self.remove_own_folder)
        section = settings_section(params.initialization_options)
        problems: list[str] = [refusal] if refusal is not None else []
        if section is not None:
            self._initial_section = section
            self.client_settings, problems = parse_client_settings(section)
        self.host = AnalysisHost(self._analysis_settings(self.client_settings))
        self._pending_problems = problems + self.host.settings_problems + self.configuration.apply()
        _LOG.info("project root %s, position encoding %s", self.project_root, self.unit)
        tree = self.host.resolved_settings.workspace.root
        if os.path.abspath(tree) != os.path.abspath(self.project_root):
            # A Zephyr application or west workspace: the model is the Zephyr tree it found.
            _LOG.info("the Kconfig tree is %s (ZEPHYR_BASE of the project folder)", tree)

    async def initialized(self) -> None:
        self.loop = asyncio.get_running_loop()
        install_client_log_handler(self.server, self.loop)
        self.show_problems(self._pending_problems)
        self._pending_problems = []
        if self.can_pull_configuration:
            await self._pull_configuration(reload=False)
        self.start_loading()
        self.configuration.schedule_status(immediately=True)
        if self.can_register_file_watchers:
            await self._register_file_watchers()
        else:
            self.start_polling()

    def shutdown(self) -> None:
        self.diagnostics.cancel()
        if self._polling is not None:
            self._polling.cancel()
        if self._loading is not None:
            self._loading.cancel()
        self.queries.shutdown(wait=False, cancel_futures=True)
        self.background.shutdown(wait=False, cancel_futures=True)
        self.syntax.shutdown(wait=False, cancel_futures=True)
        self.remove_own_folder()

    def remove_own_folder(self) -> None:
        """Remove the single-file mode's temporary folder, if this session made one.

        Called on `shutdown`, and at interpreter exit (`atexit`) for a client
        that exits, or closes the pipe, without it. The folder is ours (made
        by `mkdtemp`, mode 0700) and nothing but the server writes there.
        """
        folder, self.own_folder = self.own_folder, None
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    # -- loading ---------------------------------------------------------------------------

    async def indexing_finished(self) -> None:
        """Wait until the load under way (Kconfig files and code index) has ended, however it ends."""
        while self._loading is not None and not self._loading.done():
            await asyncio.wait({self._loading})

    def start_loading(self) -> None:
        if self._loading is not None and not self._loading.done():
            self._loading.cancel()
        self._loading = asyncio.ensure_future(self._load())

    async def _load(self) -> None:
        host = self.host
        if host is None:
            return
        loop = asyncio.get_running_loop()
        token: str | None = None
        if self.work_done_progress:
            token = f"kconfig-ls/indexing/{uuid.uuid4()}"
            try:
                await asyncio.wait_for(
                    self.server.work_done_progress.create_async(token), _CLIENT_TIMEOUT_SECONDS
                )
                self.server.work_done_progress.begin(
                    token,
                    types.WorkDoneProgressBegin(
                        title="Indexing Kconfig", message="starting", percentage=0, cancellable=False
                    ),
                )
            except Exception:
                _LOG.warning("the client refused a progress token; indexing without progress")
                token = None
        last_reported: list[object] = [None]

        def report(message: str, percentage: int | None) -> None:
            # Called from the worker thread: hop to the loop to send. A report
            # repeating the last one exactly is dropped; a new message with the
            # same percentage is not (the phase changed).
            if token is None or last_reported[0] == (message, percentage):
                return
            last_reported[0] = (message, percentage)
            loop.call_soon_threadsafe(
                self.server.work_done_progress.report,
                token,
                types.WorkDoneProgressReport(message=message, percentage=percentage),
            )

        summary: LoadSummary | None = None
        try:

            def kconfig_ready() -> None:
                # The Kconfig model is in: publish its diagnostics now rather
                # than after the (longer) code index build. The index waits for
                # that first run (a second or two at most on Linux): sharing the
                # interpreter lock with it, the run, which the user waits for,
                # took as long again, and the index, which no one waits on
                # (answers until then say they are partial), gained little.
                finished = self.diagnostics.next_run_finished()
                loop.call_soon_threadsafe(self.diagnostics.refresh_all)
                if host.settings.index_code:
                    finished.wait(_INDEX_WAITS_FOR_FIRST_RUN_SECONDS)

            summary = await loop.run_in_executor(self.background, host.load, report, kconfig_ready)
            if not summary.superseded:
                # Logged before the progress ends, so that a client sees both in this order.
                _LOG.info(
                    "indexed %d symbols in %d Kconfig files in %.2f s",
                    summary.symbols,
                    summary.files,
                    summary.seconds,
                )
        except asyncio.CancelledError:
            raise
        except Exception:
            _LOG.exception("indexing failed")
        finally:
            if token is not None:
                if summary is None:
                    message = "indexing failed"
                elif summary.superseded:
                    message = "superseded by a newer load"
                else:
                    message = f"{summary.symbols} symbols in {summary.files} files"
                self.server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
        if summary is None or summary.superseded:
            return
        self.load_count += 1
        self.configuration.changed()  # refreshes the diagnostics too
        if self._polling is not None:
            self.file_stamps = await loop.run_in_executor(self.background, self._take_file_stamps, host)

    # -- settings ----------------------------------------------------------------------------

    async def settings_changed(self, raw: object) -> None:
        section = settings_section(raw)
        if section is None:
            if self.can_pull_configuration:
                await self._pull_configuration(reload=True)
            return
        self._apply_settings(section, reload=True)

    async def _pull_configuration(self, *, reload: bool) -> None:
        try:
            answer = await asyncio.wait_for(
                self.server.workspace_configuration_async(
                    types.ConfigurationParams(items=[types.ConfigurationItem(section=SETTINGS_SECTION)])
                ),
                _CLIENT_TIMEOUT_SECONDS,
            )
        except Exception:
            _LOG.warning("workspace/configuration failed; keeping the current settings")
            return
        if not answer or not isinstance(answer[0], Mapping):
            return
        # Keys the client does not answer keep their initialization values.
        self._apply_settings({**self._initial_section, **answer[0]}, reload=reload)

    def _apply_settings(self, section: Mapping[str, object], *, reload: bool) -> None:
        settings, problems = parse_client_settings(section)
        if settings.config_files != self.client_settings.config_files:
            self.configuration.selected = None  # a new `configFile` replaces the command's choice
        self.client_settings = settings
        host = self.host
        if host is None:
            return
        analysis_settings = self._analysis_settings(settings)
        needs_reload = host.needs_reload(analysis_settings)
        problems += host.configure(analysis_settings)
        problems += self.configuration.apply()
        self.show_problems(problems)
        if not reload:
            return
        if needs_reload:
            self.start_loading()
        else:
            self.diagnostics.refresh_all()

    def _analysis_settings(self, settings: ClientSettings) -> AnalysisSettings:
        return replace(
            settings.analysis_settings(self.project_root, self.cache_directory, self.index_code),
            user_config_file=self.user_config_file,
        )

    def show_problems(self, problems: list[str]) -> None:
        """Log every settings problem; show at most one pop-up per change (`SettingsProblemMessages`)."""
        for problem in problems:
            _LOG.warning("settings: %s", problem)
        message = self.problem_messages.message_for(problems)
        if message is not None:
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=message)
            )

    # -- file watching --------------------------------------------------------------------------

    async def _register_file_watchers(self) -> None:
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED_FILE_PATTERNS]
        )
        registration = types.Registration(
            id=f"kconfig-ls-watchers-{uuid.uuid4()}",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        try:
            await asyncio.wait_for(
                self.server.client_register_capability_async(
                    types.RegistrationParams(registrations=[registration])
                ),
                _CLIENT_TIMEOUT_SECONDS,
            )
        except Exception:
            _LOG.warning("the client refused the file watchers; polling the disk instead")
            self.start_polling()

    def start_polling(self) -> None:
        """Watch the disk ourselves (clients without file watchers): Kconfig files
        every `_POLL_SECONDS`, code files every `_CODE_POLL_EVERY` polls."""
        if self._polling is None or self._polling.done():
            self._polling = asyncio.ensure_future(self._poll_disk())
            host = self.host
            if host is not None and host.loaded and self.file_stamps is None:
                # A load already ended: take the baseline now, not at the next load.
                self.file_stamps = self._take_file_stamps(host)

    async def _poll_disk(self) -> None:
        loop = asyncio.get_running_loop()
        rounds = 0
        while True:
            await asyncio.sleep(_POLL_SECONDS)
            host, stamps = self.host, self.file_stamps
            if host is None or stamps is None:
                continue  # not loaded yet: the baseline is taken when a load ends
            rounds += 1
            with_code = rounds % _CODE_POLL_EVERY == 0
            changed = await loop.run_in_executor(self.background, stamps.changed_files, with_code)
            if changed:
                _LOG.info("%d files changed on disk", len(changed))
                await loop.run_in_executor(self.background, host.files_changed_on_disk, changed)
                self.diagnostics.refresh_all()
                self.configuration.files_changed_on_disk(changed)

    def _take_file_stamps(self, host: AnalysisHost) -> FileStamps:
        """The baseline for polling: every file the model and the code index were built from."""
        snapshot = host.snapshot()
        stamps = FileStamps()
        stamps.remember(list(snapshot.model.files))
        if snapshot.code_index is not None:
            stamps.remember(list(snapshot.code_index.entries), code=True)
        return stamps

    async def files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        host = self.host
        if host is None:
            return
        paths = [self.paths.path(change.uri) for change in params.changes]
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.background, host.files_changed_on_disk, paths)
        self.diagnostics.refresh_all()
        self.configuration.files_changed_on_disk(paths)

    # -- queries -------------------------------------------------------------------------------

    async def answer(self, function: Callable[[Analysis], Result]) -> Result:
        """Answer a request on the snapshot of the text version it was made on.

        The change sequence is taken now, on the event loop, before any later
        `didChange` can be applied; the work (bringing the model up to that
        version, then the query) runs in the query pool, and the whole-tree
        checks give way to it meanwhile (`ForegroundGate`). Cancelling the
        request drops the answer.
        """
        host = self.host
        if host is None:
            raise LookupError("the server is not initialized")
        sequence = host.sequence
        loop = asyncio.get_running_loop()
        self.foreground.enter()
        try:
            return await loop.run_in_executor(self.queries, lambda: function(host.snapshot(sequence)))
        finally:
            self.foreground.leave()

    def offset(self, snapshot: Analysis, path: str, position: types.Position) -> int:
        return convert.offset_of(snapshot.line_index(path), position, self.unit)


def _project_root(params: types.InitializeParams) -> tuple[str, str | None, bool]:
    """The project folder, why the client's folder was refused, and whether the folder is ours.

    The folder is the first workspace folder, else the root URI, else the
    root path. A folder made here (single-file mode) is the session's to
    remove when it ends (`Session.remove_own_folder`).

    A folder that does not exist, the file-system root and the home folder
    are refused (walking `/` or the whole home folder reads everything the
    user owns): the server then runs in single-file mode, on an empty folder
    of its own, with the open documents alone.
    """
    candidates: list[str] = []
    if params.workspace_folders:
        candidates.append(convert.PathMapper().path(params.workspace_folders[0].uri))
    if params.root_uri:
        candidates.append(convert.PathMapper().path(params.root_uri))
    if params.root_path:
        candidates.append(params.root_path)
    if not candidates:
        return _single_file_folder(), None, True
    chosen = os.path.normpath(candidates[0])
    if not os.path.isdir(chosen):
        reason = f"the workspace folder {chosen} does not exist; refused, running in single-file mode"
    elif os.path.realpath(chosen) in (os.path.realpath(os.sep), os.path.realpath(os.path.expanduser("~"))):
        reason = f"the workspace folder {chosen} is too dangerous to index (the file-system root or the "
        reason += "home folder); refused, running in single-file mode: open a project folder instead"
    else:
        return chosen, None, False
    _LOG.warning("%s", reason)
    return _single_file_folder(), reason, True


def _single_file_folder() -> str:
    """An empty folder of our own: the project of a server without a usable workspace."""
    return tempfile.mkdtemp(prefix="kconfig-ls-single-file-")
