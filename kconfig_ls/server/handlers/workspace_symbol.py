"""`workspace/symbol`."""

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
    @server.feature(types.WORKSPACE_SYMBOL)
    @guard([])
    async def workspace_symbol(params: types.WorkspaceSymbolParams) -> list[types.SymbolInformation]:
        def answer(snapshot: Analysis) -> list[types.SymbolInformation]:
            return [
                convert.workspace_symbol(symbol, snapshot.line_index, session.unit, session.paths)
                for symbol in snapshot.workspace_symbols(params.query)
            ]

        return await session.answer(answer)
