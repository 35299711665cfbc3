"""`textDocument/didOpen`: the document enters the overlay (cheap; the model work is queued)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.server.guards import guard_sync

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guard_sync(None)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        path = session.paths.path(item.uri)
        document = session.documents.open(path, item.text, item.version, item.language_id)
        if session.host is not None:
            session.host.set_document(path, document.data, item.language_id, item.version)
            session.diagnostics.document_opened(path)
            session.configuration.document_changed(path)
