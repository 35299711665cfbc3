"""`textDocument/didClose`: back to the disk's text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.server.guards import guard_sync

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guard_sync(None)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        path = session.paths.path(params.text_document.uri)
        session.documents.close(path)
        if session.host is not None:
            session.host.close_document(path)
        session.diagnostics.document_closed(path)
        session.configuration.document_closed(path)
