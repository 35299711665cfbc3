"""`textDocument/codeAction`: the findings' quick fixes, and suppressions."""

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
    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    @guard([])
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        path = session.paths.path(params.text_document.uri)
        only = params.context.only
        if only and not any(types.CodeActionKind.QuickFix.startswith(kind) for kind in only):
            return []
        full = {path: list(session.diagnostics.full_by_path.get(path, []))}

        def answer(snapshot: Analysis) -> list[types.CodeAction]:
            span = convert.span_of(snapshot.line_index(path), params.range, session.unit)
            return [
                convert.code_action(action, snapshot.line_index, session.unit, session.paths)
                for action in snapshot.code_actions(path, span, full)
            ]

        return await session.answer(answer)
