"""The language server: LSP handlers that convert and delegate to `AnalysisHost`.

Every handler does three things only: convert the request's positions and
URIs to engine terms (`convert`), ask the host, convert the answer back.
Around that, this module owns the session: the open documents (applying
incremental changes in order), position-encoding negotiation, settings
(initialization options, `workspace/didChangeConfiguration`, pulls), the
background indexing with work-done progress, file watching, and the
diagnostics scheduler.

Threads: the event loop thread handles messages and applies edits; queries
run in a small thread pool (so a cancelled request's answer is simply
dropped); loading and whole-tree checks run in one background thread.
Every handler is guarded: an exception is logged (stderr and
`window/logMessage`) and answered with an empty result.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Final, TypeVar, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from kconfig_ls import __version__
from kconfig_ls.ide.analysis import AnalysisHost, LoadSummary
from kconfig_ls.ide.disk_changes import FileStamps
from kconfig_ls.server import convert
from kconfig_ls.server.diagnostics import DEFAULT_DEBOUNCE_SECONDS, DiagnosticsScheduler
from kconfig_ls.server.protocol import KconfigProtocol
from kconfig_ls.server.settings import (
    SETTINGS_SECTION,
    ClientSettings,
    parse_client_settings,
    settings_section,
)
from kconfig_ls.server.workers import DaemonThreadExecutor
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.documents import DocumentStore
from kconfig_ls.text.line_index import ColumnUnit

__all__ = ["WATCHED_FILE_PATTERNS", "KconfigLanguageServer", "Session", "create_server"]

_LOG = logging.getLogger(__name__)

WATCHED_FILE_PATTERNS: Final = (
    "**/Kconfig*",
    "**/*.c",
    "**/*.h",
    "**/Makefile",
    "**/Kbuild",
    "**/*defconfig",
    "**/*.conf",
)
_QUERY_THREADS: Final = 2
# How long to wait for the client's answer to our own requests before going on without it.
_CLIENT_TIMEOUT_SECONDS: Final = 5.0
# Polling the disk when the client has no file watchers (see `start_polling`).
_POLL_SECONDS: Final = 2.0
_CODE_POLL_EVERY: Final = 15

Result = TypeVar("Result")
AsyncHandler = TypeVar("AsyncHandler", bound=Callable[..., Awaitable[Any]])
SyncHandler = TypeVar("SyncHandler", bound=Callable[..., Any])


class KconfigLanguageServer(LanguageServer):
    """A pygls server with one `Session` attached."""

    def __init__(
        self,
        debounce_seconds: float = DEFAULT_DEBOUNCE_SECONDS,
        cache_directory: str | None = None,
        index_code: bool = True,
    ) -> None:
        super().__init__(
            "kconfig-ls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=KconfigProtocol,
        )
        self.session = Session(self, debounce_seconds, cache_directory, index_code)


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
        self.project_root = os.getcwd()
        self.client_settings = ClientSettings()
        self.capabilities = types.ClientCapabilities()
        self.queries = DaemonThreadExecutor(_QUERY_THREADS, "kconfig-ls-query")
        # Two threads: a load (whose code index phase takes seconds) must not
        # hold up the whole-tree diagnostics of the Kconfig model it has
        # already swapped in. Both are safe to overlap (the host's revision
        # check drops stale results).
        self.background = DaemonThreadExecutor(2, "kconfig-ls-background")
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
        )
        self._loading: asyncio.Task[None] | None = None
        self._polling: asyncio.Future[None] | None = None
        self.file_stamps: FileStamps | None = None
        self._pending_problems: list[str] = []
        self._shown_problems: list[str] = []
        self._initial_section: Mapping[str, object] = {}

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
        self.unit = convert.column_unit(convert.position_encoding_for(params.capabilities))
        self.project_root = _project_root(params)
        section = settings_section(params.initialization_options)
        problems: list[str] = []
        if section is not None:
            self._initial_section = section
            self.client_settings, problems = parse_client_settings(section)
        self.host = AnalysisHost(
            self.client_settings.analysis_settings(self.project_root, self.cache_directory, self.index_code)
        )
        self._pending_problems = problems + self.host.settings_problems
        _LOG.info("project root %s, position encoding %s", self.project_root, self.unit)

    async def initialized(self) -> None:
        self.loop = asyncio.get_running_loop()
        _install_client_log_handler(self.server, self.loop)
        self._show_problems(self._pending_problems)
        self._pending_problems = []
        if self.can_pull_configuration:
            await self._pull_configuration(reload=False)
        self.start_loading()
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

    # -- loading ---------------------------------------------------------------------------

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
        last_reported: list[int] = [-1]

        def report(message: str, percentage: int | None) -> None:
            # Called from the worker thread: hop to the loop to send.
            if token is None or (percentage is not None and percentage == last_reported[0]):
                return
            if percentage is not None:
                last_reported[0] = percentage
            loop.call_soon_threadsafe(
                self.server.work_done_progress.report,
                token,
                types.WorkDoneProgressReport(message=message, percentage=percentage),
            )

        summary: LoadSummary | None = None
        try:

            def kconfig_ready() -> None:
                # The Kconfig model is in: publish its diagnostics now rather
                # than after the (longer) code index build.
                loop.call_soon_threadsafe(self.diagnostics.refresh_all)

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
                message = (
                    f"{summary.symbols} symbols in {summary.files} files"
                    if summary is not None
                    else "indexing failed"
                )
                self.server.work_done_progress.end(token, types.WorkDoneProgressEnd(message=message))
        if summary is None or summary.superseded:
            return
        self.load_count += 1
        self.diagnostics.refresh_all()
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
        self.client_settings = settings
        host = self.host
        if host is None:
            return
        analysis_settings = settings.analysis_settings(
            self.project_root, self.cache_directory, self.index_code
        )
        needs_reload = host.needs_reload(analysis_settings)
        problems += host.configure(analysis_settings)
        self._show_problems(problems)
        if not reload:
            return
        if needs_reload:
            self.start_loading()
        else:
            self.diagnostics.refresh_all()

    def _show_problems(self, problems: list[str]) -> None:
        """Show settings problems once: the same list again (after a pull, say) stays quiet."""
        if problems == self._shown_problems:
            return
        self._shown_problems = list(problems)
        for problem in problems:
            _LOG.warning("settings: %s", problem)
            self.server.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=f"kconfig-ls: {problem}")
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

    def _take_file_stamps(self, host: AnalysisHost) -> FileStamps:
        """The baseline for polling: every file the model and the code index were built from."""
        stamps = FileStamps()
        stamps.remember(list(host.workspace.files))
        if host.code_index is not None:
            stamps.remember(list(host.code_index.entries), code=True)
        return stamps

    async def files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        host = self.host
        if host is None:
            return
        paths = [self.paths.path(change.uri) for change in params.changes]
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self.background, host.files_changed_on_disk, paths)
        self.diagnostics.refresh_all()

    # -- queries -------------------------------------------------------------------------------

    async def query(self, function: Callable[[], Result]) -> Result:
        """Run a host query in the query pool; cancelling the request drops the answer."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.queries, function)

    def offset(self, host: AnalysisHost, path: str, position: types.Position) -> int:
        return convert.offset_of(host.line_index(path), position, self.unit)


def create_server(
    debounce_seconds: float = DEFAULT_DEBOUNCE_SECONDS,
    cache_directory: str | None = None,
    index_code: bool = True,
) -> KconfigLanguageServer:
    """A server with every handler registered."""
    server = KconfigLanguageServer(debounce_seconds, cache_directory, index_code)
    session = server.session

    # -- lifecycle and settings ------------------------------------------------------------

    @server.feature(types.INITIALIZE)
    @_guard_sync(None)
    def initialize(params: types.InitializeParams) -> None:
        session.initialize(params)

    @server.feature(types.INITIALIZED)
    @_guard(None)
    async def initialized(params: types.InitializedParams) -> None:
        await session.initialized()

    @server.feature(types.SHUTDOWN)
    @_guard_sync(None)
    def shutdown(params: None) -> None:
        session.shutdown()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @_guard(None)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        await session.settings_changed(params.settings)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @_guard(None)
    async def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        await session.files_changed(params)

    # -- documents ----------------------------------------------------------------------------

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @_guard_sync(None)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = session.paths.path(item.uri)
        document = session.documents.open(path, item.text, item.version, item.language_id)
        if session.host is not None:
            session.host.set_document(path, document.data, item.language_id)
            session.diagnostics.document_opened(path)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @_guard_sync(None)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        path = session.paths.path(params.text_document.uri)
        changes = [convert.text_change(change) for change in params.content_changes]
        changed = session.documents.change(path, changes, params.text_document.version, session.unit)
        if changed is None:
            _LOG.warning("didChange for a document that is not open: %s", params.text_document.uri)
            return
        document, edits = changed
        if session.host is not None:
            session.host.set_document(path, document.data, document.language_id)
            session.diagnostics.document_changed(path, edits)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @_guard_sync(None)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        path = session.paths.path(params.text_document.uri)
        session.documents.close(path)
        if session.host is not None:
            session.host.close_document(path)
        session.diagnostics.document_closed(path)

    # -- queries ------------------------------------------------------------------------------

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @_guard(None)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        host = session.host
        if host is None:
            return None
        path = session.paths.path(params.text_document.uri)
        # The position refers to the text as of this request: convert it now,
        # before a later didChange can be applied.
        offset = session.offset(host, path, params.position)

        def answer() -> types.Hover | None:
            result = host.hover(path, offset)
            if result is None:
                return None
            return convert.hover(result, host.line_index(path), session.unit, session.markdown_hover)

        return await session.query(answer)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @_guard([])
    async def definition(params: types.DefinitionParams) -> list[types.Location]:
        host = session.host
        if host is None:
            return []
        path = session.paths.path(params.text_document.uri)
        offset = session.offset(host, path, params.position)

        def answer() -> list[types.Location]:
            places = host.definition(path, offset)
            return [convert.location(place, host.line_index, session.unit, session.paths) for place in places]

        return await session.query(answer)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @_guard([])
    async def references(params: types.ReferenceParams) -> list[types.Location]:
        host = session.host
        if host is None:
            return []
        path = session.paths.path(params.text_document.uri)
        offset = session.offset(host, path, params.position)

        def answer() -> list[types.Location]:
            sites = host.references(path, offset, params.context.include_declaration)
            return [
                convert.location(site.location, host.line_index, session.unit, session.paths)
                for site in sites
            ]

        return await session.query(answer)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @_guard([])
    async def document_symbol(
        params: types.DocumentSymbolParams,
    ) -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
        host = session.host
        if host is None:
            return []
        path = session.paths.path(params.text_document.uri)

        def answer() -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
            outline = host.document_symbols(path)
            index = host.line_index(path)
            if session.hierarchical_symbols:
                return [convert.document_symbol(symbol, index, session.unit) for symbol in outline]
            return convert.flat_symbol_information(outline, params.text_document.uri, index, session.unit)

        return await session.query(answer)

    @server.feature(types.WORKSPACE_SYMBOL)
    @_guard([])
    async def workspace_symbol(params: types.WorkspaceSymbolParams) -> list[types.SymbolInformation]:
        host = session.host
        if host is None:
            return []

        def answer() -> list[types.SymbolInformation]:
            return [
                convert.workspace_symbol(symbol, host.line_index, session.unit, session.paths)
                for symbol in host.workspace_symbols(params.query)
            ]

        return await session.query(answer)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" "]))
    @_guard(None)
    async def completion(params: types.CompletionParams) -> types.CompletionList | None:
        host = session.host
        if host is None:
            return None
        path = session.paths.path(params.text_document.uri)
        offset = session.offset(host, path, params.position)

        def answer() -> types.CompletionList:
            result = host.completion(path, offset)
            return convert.completion_list(result, host.line_index(path), session.unit)

        return await session.query(answer)

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    @_guard([])
    async def folding_range(params: types.FoldingRangeParams) -> list[types.FoldingRange]:
        host = session.host
        if host is None:
            return []
        path = session.paths.path(params.text_document.uri)
        return await session.query(lambda: [convert.folding_range(f) for f in host.folding_ranges(path)])

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)
    @_guard([])
    async def document_link(params: types.DocumentLinkParams) -> list[types.DocumentLink]:
        host = session.host
        if host is None:
            return []
        path = session.paths.path(params.text_document.uri)

        def answer() -> list[types.DocumentLink]:
            index = host.line_index(path)
            return [
                convert.document_link(link, index, session.unit, session.paths, session.link_tooltips)
                for link in host.document_links(path)
            ]

        return await session.query(answer)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    @_guard([])
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        host = session.host
        if host is None:
            return []
        path = session.paths.path(params.text_document.uri)
        only = params.context.only
        if only and not any(types.CodeActionKind.QuickFix.startswith(kind) for kind in only):
            return []

        def answer() -> list[types.CodeAction]:
            span: Span = convert.span_of(host.line_index(path), params.range, session.unit)
            return [
                convert.code_action(action, host.line_index, session.unit, session.paths)
                for action in host.code_actions(path, span)
            ]

        return await session.query(answer)

    return server


# -- guards ------------------------------------------------------------------------------------


def _guard(fallback: object) -> Callable[[AsyncHandler], AsyncHandler]:
    """Log any exception of an async handler and answer (a copy of) `fallback` instead."""

    def decorate(handler: AsyncHandler) -> AsyncHandler:
        @functools.wraps(handler)
        async def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except asyncio.CancelledError:
                raise
            except Exception:
                _LOG.exception("%s failed", handler.__name__)
                return _fresh(fallback)

        return cast(AsyncHandler, guarded)

    return decorate


def _guard_sync(fallback: object) -> Callable[[SyncHandler], SyncHandler]:
    """Log any exception of a synchronous handler and answer (a copy of) `fallback` instead."""

    def decorate(handler: SyncHandler) -> SyncHandler:
        @functools.wraps(handler)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception:
                _LOG.exception("%s failed", handler.__name__)
                return _fresh(fallback)

        return cast(SyncHandler, guarded)

    return decorate


def _fresh(value: object) -> object:
    """A new empty list for list fallbacks, so that no two answers share one."""
    return [] if isinstance(value, list) else value


# -- helpers -------------------------------------------------------------------------------------


def _project_root(params: types.InitializeParams) -> str:
    """The first workspace folder, else the root URI, else the current directory."""
    candidates: list[str] = []
    if params.workspace_folders:
        candidates.append(params.workspace_folders[0].uri)
    if params.root_uri:
        candidates.append(params.root_uri)
    for uri in candidates:
        path = convert.PathMapper().path(uri)
        if os.path.isdir(path):
            return path
    if params.root_path and os.path.isdir(params.root_path):
        return params.root_path
    return os.getcwd()


class _ClientLogHandler(logging.Handler):
    """Forwards our log records to the client as `window/logMessage`.

    Records may come from any thread; sending happens on the loop. A
    thread-local flag stops a record logged while sending from recursing.
    """

    _LEVELS: Final = (
        (logging.ERROR, types.MessageType.Error),
        (logging.WARNING, types.MessageType.Warning),
        (logging.INFO, types.MessageType.Info),
        (logging.NOTSET, types.MessageType.Log),
    )

    def __init__(self, server: KconfigLanguageServer, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.server = server
        self.loop = loop
        self.sending = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self.sending, "active", False) or self.loop.is_closed():
            return
        try:
            message = self.format(record)
            message_type = next(kind for level, kind in self._LEVELS if record.levelno >= level)
            try:
                on_loop = asyncio.get_running_loop() is self.loop
            except RuntimeError:
                on_loop = False
            if on_loop:
                self._send(message_type, message)  # keeps the order with what the loop sends next
            else:
                self.loop.call_soon_threadsafe(self._send, message_type, message)
        except Exception:
            self.handleError(record)

    def _send(self, message_type: types.MessageType, message: str) -> None:
        self.sending.active = True
        try:
            self.server.window_log_message(types.LogMessageParams(type=message_type, message=message))
        except Exception:
            pass  # the client is gone; stderr still has the record
        finally:
            self.sending.active = False


def _install_client_log_handler(server: KconfigLanguageServer, loop: asyncio.AbstractEventLoop) -> None:
    logger = logging.getLogger("kconfig_ls")
    for handler in list(logger.handlers):
        if isinstance(handler, _ClientLogHandler):
            logger.removeHandler(handler)
    handler = _ClientLogHandler(server, loop)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
