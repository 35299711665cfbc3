"""`textDocument/references`."""

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
    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guard([])
    async def references(params: types.ReferenceParams) -> list[types.Location]:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> list[types.Location]:
            offset = session.offset(snapshot, path, params.position)
            sites = snapshot.references(path, offset, params.context.include_declaration)
            return [
                convert.location(site.location, snapshot.line_index, session.unit, session.paths)
                for site in sites
            ]

        return await session.answer(answer)
