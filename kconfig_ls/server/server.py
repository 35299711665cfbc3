"""The language server: pygls wiring, the protocol subclass, and `create_server`.

Handlers live one per LSP method in `kconfig_ls.server.handlers`; each
converts the request's positions and URIs to engine terms (`convert`), asks
the snapshot of the request's text version, and converts the answer back.
The session (`kconfig_ls.server.session`) owns everything one connection
needs; the host (`kconfig_ls.analysis.host`) owns the analysis.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.workspace.position_codec import PositionCodec

from kconfig_ls import __version__
from kconfig_ls.server import convert
from kconfig_ls.server.diagnostics import DEFAULT_DEBOUNCE_SECONDS
from kconfig_ls.server.handlers import register_all
from kconfig_ls.server.session import WATCHED_FILE_PATTERNS, Session

__all__ = ["WATCHED_FILE_PATTERNS", "KconfigLanguageServer", "Session", "create_server"]


class KconfigProtocol(LanguageServerProtocol):
    """pygls' protocol, with our choice of position encoding and one copy of each document.

    pygls takes the client's first preference; we take UTF-8 whenever the
    client offers it (no conversion at all), else UTF-16, the default. pygls
    also keeps its own copy of every open document; the session's document
    store and the host's overlay are the copies that count, so the document
    notifications go straight to our handlers.
    """

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        encoding = convert.position_encoding_for(params.capabilities)
        result.capabilities.position_encoding = encoding
        workspace = self.workspace
        if workspace.position_encoding != encoding:
            workspace._position_encoding = encoding
            workspace._position_codec = PositionCodec(encoding=encoding)
        return result

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._to_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._to_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._to_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _to_handler(self, method: str, params: object) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None


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
