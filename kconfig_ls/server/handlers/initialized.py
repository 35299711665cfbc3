"""`initialized`: pull settings, start loading, watch files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.server.guards import guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.INITIALIZED)
    @guard(None)
    async def initialized(params: types.InitializedParams) -> None:
        await session.initialized()
