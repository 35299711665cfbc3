"""`workspace/executeCommand` `kconfig-ls.selectConfiguration`: switch the active configuration.

Arguments: `[path, ...]` (files or build folders, absolute or relative to
the project, or `file:` URIs) chooses; `[]` or `[null]` clears. The answer
is the new status, the params of `kconfig-ls/configurationStatus`, which is
also sent as a notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.server.configuration import SELECT_CONFIGURATION_COMMAND, status_params
from kconfig_ls.server.guards import guard

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.command(SELECT_CONFIGURATION_COMMAND)
    @guard(None)
    async def select_configuration(*arguments: Any) -> dict[str, Any] | None:
        try:
            session.configuration.select(arguments)
        except ValueError as error:  # arguments that are not paths: said, and nothing changes
            session.show_problems([str(error)])

        def answer(snapshot: Analysis) -> dict[str, Any]:
            return status_params(snapshot.active_configuration.status())

        return await session.answer(answer)
