"""`workspace/didChangeWatchedFiles`: files changed on disk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.server.guards import guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guard(None)
    async def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        await session.files_changed(params)
