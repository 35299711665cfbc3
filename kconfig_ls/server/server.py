"""The language server: pygls wiring, the protocol subclass, and `create_server`.

Handlers live one per LSP method in `kconfig_ls.server.handlers`; each
converts the request's positions and URIs to engine terms (`convert`), asks
the snapshot of the request's text version, and converts the answer back.
The session (`kconfig_ls.server.session`) owns everything one connection
needs; the host (`kconfig_ls.analysis.host`) owns the analysis.

Over stdio the client's pipe is read by a thread of our own
(`transport.serve_stream`), one hand-off to the event loop per message.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from typing import BinaryIO

from lsprotocol import types
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer

from kconfig_ls import __version__
from kconfig_ls.server.diagnostics import DEFAULT_DEBOUNCE_SECONDS
from kconfig_ls.server.handlers import register_all
from kconfig_ls.server.protocol import KconfigProtocol
from kconfig_ls.server.session import WATCHED_FILE_PATTERNS, Session
from kconfig_ls.server.transport import serve_stream

__all__ = ["WATCHED_FILE_PATTERNS", "KconfigLanguageServer", "Session", "create_server"]

_LOG = logging.getLogger(__name__)


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
        """Serve over stdio until the input ends (and its requests are answered) or `exit`."""
        self._stop_event = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        protocol = self.protocol
        assert isinstance(protocol, KconfigProtocol)
        try:
            asyncio.run(
                serve_stream(
                    stdin or sys.stdin.buffer, protocol, self.session.foreground, self.report_server_error
                )
            )
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
