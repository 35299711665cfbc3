"""One module per LSP method: each converts the request, asks a snapshot, converts the answer.

`register_all` registers every handler on a server; a handler module has a
`register(server, session)` function and nothing else of interest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kconfig_ls.server.handlers import (
    code_action,
    code_lens,
    completion,
    definition,
    did_change,
    did_change_configuration,
    did_change_watched_files,
    did_close,
    did_open,
    document_link,
    document_symbol,
    folding_range,
    hover,
    initialize,
    initialized,
    inlay_hint,
    references,
    select_configuration,
    shutdown,
    workspace_symbol,
)
from kconfig_ls.server.handlers import prepare_rename as prepare_rename_handler
from kconfig_ls.server.handlers import rename as rename_handler

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session

__all__ = ["register_all"]

_MODULES = (
    initialize,
    initialized,
    shutdown,
    did_change_configuration,
    did_change_watched_files,
    did_open,
    did_change,
    did_close,
    hover,
    definition,
    references,
    document_symbol,
    workspace_symbol,
    completion,
    folding_range,
    document_link,
    code_action,
    select_configuration,
    inlay_hint,
    code_lens,
)
# Rename, on lines of its own (other branches add handlers to `_MODULES`).
_RENAME_MODULES = (prepare_rename_handler, rename_handler)


def register_all(server: KconfigLanguageServer, session: Session) -> None:
    for module in (*_MODULES, *_RENAME_MODULES):
        module.register(server, session)
