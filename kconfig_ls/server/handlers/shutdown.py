"""`shutdown`: stop the background work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.server.guards import guard_sync

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.SHUTDOWN)
    @guard_sync(None)
    def shutdown(params: None) -> None:
        session.shutdown()
