"""The language server: pygls wiring, the protocol subclass, and `create_server`.

Handlers live one per LSP method in `kconfig_ls.server.handlers`; each
converts the request's positions and URIs to engine terms (`convert`), asks
the snapshot of the request's text version, and converts the answer back.
The session (`kconfig_ls.server.session`) owns everything one connection
needs; the host (`kconfig_ls.analysis.host`) owns the analysis.

Over stdio the event loop reads the client's pipe itself (`PipeReader`):
pygls reads each header line and each body in a thread of its pool, four
hand-offs between threads per message, and each hand-off waits for the
interpreter lock, which the whole-tree checks hold for up to the switch
interval each time. Reading on the loop costs one wake-up per message.
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
import threading
from typing import BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer

from kconfig_ls import __version__
from kconfig_ls.server.diagnostics import DEFAULT_DEBOUNCE_SECONDS
from kconfig_ls.server.handlers import register_all
from kconfig_ls.server.protocol import KconfigProtocol
from kconfig_ls.server.session import WATCHED_FILE_PATTERNS, Session

__all__ = ["WATCHED_FILE_PATTERNS", "KconfigLanguageServer", "PipeReader", "Session", "create_server"]

_LOG = logging.getLogger(__name__)
# A header line longer than this is not LSP; the stream reader's default (64 KiB) is plenty.
_HEADER_LIMIT = 1 << 16


class PipeReader:
    """The client's pipe (or socket, or terminal) read by the event loop, as pygls' reader interface."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._reader: asyncio.StreamReader | None = None

    async def _connected(self) -> asyncio.StreamReader:
        if self._reader is None:
            loop = asyncio.get_running_loop()
            reader = asyncio.StreamReader(limit=_HEADER_LIMIT)
            await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), self._stream)
            self._reader = reader
        return self._reader

    async def readline(self) -> bytes:
        reader = await self._connected()
        try:
            return await reader.readline()
        except (asyncio.LimitOverrunError, ValueError):
            _LOG.error("a header line longer than %d bytes: not a language client; closing", _HEADER_LIMIT)
            return b""

    async def readexactly(self, n: int) -> bytes:
        reader = await self._connected()
        try:
            return await reader.readexactly(n)
        except asyncio.IncompleteReadError as error:
            return error.partial  # the client went away mid-message: pygls ends the loop


def readable_by_the_loop(stream: BinaryIO) -> bool:
    """Whether the event loop can wait on the stream (a pipe, socket or terminal, not a regular file).

    POSIX only: Windows' event loop waits on overlapped handles, which an
    editor's pipes are not.
    """
    if os.name != "posix":
        return False
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)


class KconfigLanguageServer(LanguageServer):
    """A pygls server with one `Session` attached."""

    def __init__(
        self,
        debounce_seconds: float = DEFAULT_DEBOUNCE_SECONDS,
        cache_directory: str | None = None,
        index_code: bool = True,
        user_config_file: str | None = None,
    ) -> None:
        super().__init__(
            "kconfig-ls",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=KconfigProtocol,
        )
        self.session = Session(self, debounce_seconds, cache_directory, index_code)
        self.session.user_config_file = user_config_file

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve over stdio, the loop reading the client's pipe itself (pygls' threads for a file)."""
        source = stdin or sys.stdin.buffer
        if not readable_by_the_loop(source):
            super().start_io(stdin, stdout)
            return
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        try:
            asyncio.run(
                run_async(
                    stop_event=self._stop_event,
                    reader=PipeReader(source),
                    protocol=self.protocol,
                    logger=_LOG,
                    error_handler=self.report_server_error,
                )
            )
        except BrokenPipeError:
            _LOG.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()  # type: ignore[no-untyped-call]


def create_server(
    debounce_seconds: float = DEFAULT_DEBOUNCE_SECONDS,
    cache_directory: str | None = None,
    index_code: bool = True,
    user_config_file: str | None = None,
) -> KconfigLanguageServer:
    """A server with every handler registered."""
    server = KconfigLanguageServer(debounce_seconds, cache_directory, index_code, user_config_file)
    register_all(server, server.session)
    return server
