"""`textDocument/rename`: rename the symbol at the cursor across Kconfig, code and config files.

The edits are computed on the snapshot of the request's version (open
buffers included) and sent with the versions of the open documents they
apply to; files that are not open are edited too. The old name is kept
(`sdkconfig.rename`, a `transitional` entry) when the `keepOldNameOnRename`
setting is on. A rename the engine refuses, or one asked before the code
index is complete, is answered with an error that says why; the sites the
rename leaves alone (a name built by a macro) and its notes are shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lsprotocol import types

from kconfig_ls.analysis.snapshot import Analysis
from kconfig_ls.server import convert
from kconfig_ls.server.guards import RequestFailed, guard
from kconfig_ls.server.handlers.prepare_rename import NOT_A_SYMBOL

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer
    from kconfig_ls.server.session import Session


def register(server: KconfigLanguageServer, session: Session) -> None:
    @server.feature(types.TEXT_DOCUMENT_RENAME)
    @guard(None)
    async def rename(params: types.RenameParams) -> types.WorkspaceEdit:
        path = session.paths.path(params.text_document.uri)
        keep_old_name = session.client_settings.keep_old_name_on_rename

        def answer(snapshot: Analysis) -> tuple[types.WorkspaceEdit, list[str]]:
            if not snapshot.load_state.kconfig_loaded or snapshot.load_state.partial_code:
                raise RequestFailed("the tree is still being indexed; rename when indexing has finished")
            prepared = snapshot.prepare_rename(path, session.offset(snapshot, path, params.position))
            if prepared is None:
                raise RequestFailed(NOT_A_SYMBOL)
            result = snapshot.rename(prepared.name, params.new_name, keep_old_name, prepared.project)
            if result.error is not None:
                raise RequestFailed(f"cannot rename {prepared.name} to {params.new_name}: {result.error}")
            if result.created_files and not session.can_create_files:
                raise RequestFailed(
                    f"keeping the old name needs a new file ({snapshot.relative(result.created_files[0])}) "
                    "and this editor cannot create files in a rename: create it empty, or turn off "
                    "keepOldNameOnRename"
                )
            messages = [
                f"{snapshot.relative(site.path)}:{snapshot.line_index(site.path).line_of(site.start) + 1}: "
                f"not renamed: {site.reason}"
                for site in result.skipped
            ]
            messages += list(result.notes)
            edit = convert.rename_edit(
                result,
                snapshot.line_index,
                session.unit,
                session.paths,
                snapshot.overlay.version,
                document_changes=session.document_changes,
            )
            return edit, messages

        edit, messages = await session.answer(answer)
        if messages:
            server.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Info, message="kconfig-ls rename: " + "; ".join(messages)
                )
            )
        return edit
