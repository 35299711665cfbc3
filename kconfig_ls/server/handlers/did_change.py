"""`textDocument/didChange`: apply the edits in order, submit the new text (the model work is queued)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.server import convert
from kconfig_ls.server.guards import guard_sync

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session

_LOG = logging.getLogger(__name__)


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guard_sync(None)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        path = session.paths.path(params.text_document.uri)
        changes = [convert.text_change(change) for change in params.content_changes]
        changed = session.documents.change(path, changes, params.text_document.version, session.unit)
        if changed is None:
            _LOG.warning("didChange for a document that is not open: %s", params.text_document.uri)
            return
        document, edits = changed
        if session.host is not None:
            session.host.set_document(path, document.data, document.language_id, document.version)
            session.diagnostics.document_changed(path, edits)
            session.configuration.document_changed(path)
