"""`textDocument/documentLink`: each `source` path, linked to the file it reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.server import convert
from kconfig_ls.server.guards import guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_LINK)
    @guard([])
    async def document_link(params: types.DocumentLinkParams) -> list[types.DocumentLink]:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> list[types.DocumentLink]:
            index = snapshot.line_index(path)
            return [
                convert.document_link(link, index, session.unit, session.paths, session.link_tooltips)
                for link in snapshot.document_links(path)
            ]

        return await session.answer(answer)
