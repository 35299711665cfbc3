"""`textDocument/codeLens` and `codeLens/resolve`: counts above `config X`, each opening its locations.

A lens is sent unresolved (range and data); resolving it gives the title
(`selected by 3`) and the command `kconfig-ls.showLocations` with the
arguments `[uri, position, locations]`, which the editor extension runs
(VS Code: `editor.action.showReferences`; Neovim: the quickfix list).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.server import convert
from kconfig_ls.server.configuration import SHOW_LOCATIONS_COMMAND
from kconfig_ls.server.guards import guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_LENS, types.CodeLensOptions(resolve_provider=True))
    @guard([])
    async def code_lens(params: types.CodeLensParams) -> list[types.CodeLens]:
        uri = params.text_document.uri
        path = session.paths.path(uri)

        def answer(snapshot: Analysis) -> list[types.CodeLens]:
            index = snapshot.line_index(path)
            return [
                types.CodeLens(
                    range=convert.range_of(index, lens.span, session.unit),
                    data={"uri": uri, "name": lens.name, "kind": lens.kind},
                )
                for lens in snapshot.code_lenses(path)
            ]

        return await session.answer(answer)

    @server.feature(types.CODE_LENS_RESOLVE)
    @guard(None)
    async def code_lens_resolve(lens: types.CodeLens) -> types.CodeLens:
        data = lens.data
        if not isinstance(data, Mapping):
            return lens
        name, kind, uri = str(data.get("name", "")), str(data.get("kind", "")), str(data.get("uri", ""))

        def answer(snapshot: Analysis) -> types.CodeLens:
            resolved = snapshot.resolve_code_lens(name, kind, session.paths.path(uri) if uri else None)
            locations = [
                convert.location_json(place, snapshot.line_index, session.unit, session.paths)
                for place in resolved.locations
            ]
            position = {"line": lens.range.start.line, "character": lens.range.start.character}
            lens.command = types.Command(
                title=resolved.title, command=SHOW_LOCATIONS_COMMAND, arguments=[uri, position, locations]
            )
            return lens

        return await session.answer(answer)
