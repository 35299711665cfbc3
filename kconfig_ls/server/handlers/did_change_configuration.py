"""`workspace/didChangeConfiguration`: new editor settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.server.guards import guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guard(None)
    async def did_change_configuration(params: types.DidChangeConfigurationParams) -> None:
        await session.settings_changed(params.settings)
