"""`textDocument/completion`."""

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
    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[" "]))
    @guard(None)
    async def completion(params: types.CompletionParams) -> types.CompletionList | None:
        path = session.paths.path(params.text_document.uri)

        def answer(snapshot: Analysis) -> types.CompletionList:
            result = snapshot.completion(path, session.offset(snapshot, path, params.position))
            return convert.completion_list(result, snapshot.line_index(path), session.unit)

        return await session.answer(answer)
