"""`textDocument/prepareRename`: the symbol's name under the cursor, or why nothing there renames."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.server import convert
from kconfig_ls.server.guards import RequestFailed, guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session

NOT_A_SYMBOL = "only a Kconfig symbol can be renamed, and there is none at the cursor"


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guard(None)
    async def prepare_rename(params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> types.PrepareRenamePlaceholder:
            prepared = snapshot.prepare_rename(path, session.offset(snapshot, path, params.position))
            if prepared is None:
                raise RequestFailed(NOT_A_SYMBOL)
            return types.PrepareRenamePlaceholder(
                range=convert.range_of(snapshot.line_index(path), prepared.span, session.unit),
                placeholder=prepared.name,
            )

        return await session.answer(answer)
