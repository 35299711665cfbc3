"""`textDocument/definition`."""

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
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guard([])
    async def definition(params: types.DefinitionParams) -> list[types.Location]:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> list[types.Location]:
            places = snapshot.definition(path, session.offset(snapshot, path, params.position))
            return [
                convert.location(place, snapshot.line_index, session.unit, session.paths) for place in places
            ]

        return await session.answer(answer)
