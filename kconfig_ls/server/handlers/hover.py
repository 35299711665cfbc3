"""`textDocument/hover`."""

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
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guard(None)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> types.Hover | None:
            result = snapshot.hover(
                path,
                session.offset(snapshot, path, params.position),
                findings_in=session.diagnostics.logic.findings_in,
            )
            session.configuration.search_enabling_sets(snapshot)  # what the hover could not wait for
            if result is None:
                return None
            return convert.hover(result, snapshot.line_index(path), session.unit, session.markdown_hover)

        return await session.answer(answer)
