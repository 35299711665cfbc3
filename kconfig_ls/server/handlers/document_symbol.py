"""`textDocument/documentSymbol`: the outline, hierarchical when the client can show it."""

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
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guard([])
    async def document_symbol(
        params: types.DocumentSymbolParams,
    ) -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> list[types.DocumentSymbol] | list[types.SymbolInformation]:
            outline = snapshot.document_symbols(path)
            index = snapshot.line_index(path)
            if session.hierarchical_symbols:
                return convert.document_symbols(outline, index, session.unit)
            return convert.flat_symbol_information(outline, params.text_document.uri, index, session.unit)

        return await session.answer(answer)
