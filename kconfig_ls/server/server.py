"""The language server: pygls wiring, the protocol subclass, and `create_server`.

Handlers live one per LSP method in `kconfig_ls.server.handlers`; each
converts the request's positions and URIs to engine terms (`convert`), asks
the snapshot of the request's text version, and converts the answer back.
The session (`kconfig_ls.server.session`) owns everything one connection
needs; the host (`kconfig_ls.analysis.host`) owns the analysis.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from kconfig_ls import __version__
from kconfig_ls.server.diagnostics import DEFAULT_DEBOUNCE_SECONDS
from kconfig_ls.server.handlers import register_all
from kconfig_ls.server.protocol import KconfigProtocol
from kconfig_ls.server.session import WATCHED_FILE_PATTERNS, Session

__all__ = ["WATCHED_FILE_PATTERNS", "KconfigLanguageServer", "Session", "create_server"]


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
