"""`textDocument/foldingRange`."""

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
    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    @guard([])
    async def folding_range(params: types.FoldingRangeParams) -> list[types.FoldingRange]:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> list[types.FoldingRange]:
            return [convert.folding_range(folding) for folding in snapshot.folding_ranges(path)]

        return await session.answer(answer)
