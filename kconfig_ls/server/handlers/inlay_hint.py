"""`textDocument/inlayHint`: values after Kconfig operands, configuration lines that do not stick."""

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
    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @guard([])
    async def inlay_hint(params: types.InlayHintParams) -> list[types.InlayHint]:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> list[types.InlayHint]:
            index = snapshot.line_index(path)
            span = convert.span_of(index, params.range, session.unit)
            return [
                convert.inlay_hint(hint, index, session.unit) for hint in snapshot.inlay_hints(path, span)
            ]

        return await session.answer(answer)
