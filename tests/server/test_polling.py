"""A client without file watchers: the server polls the disk and still notices a `git pull`."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from kconfig_ls.ide.disk_changes import FileStamps
from tests.fixtures import write_fixture
from tests.server.conftest import (
    STANDARD_TREE,
    Workspace,
    answer_view_refreshes,
    indexing_finished,
    wait_until,
)

SERVER_COMMAND = [sys.executable, "-m", "kconfig_ls", "serve", "--debounce-ms", "50", "--no-code-index"]


def test_file_stamps_report_changed_new_and_deleted_files(tmp_path: Path) -> None:
    kept, edited, deleted = tmp_path / "kept", tmp_path / "edited", tmp_path / "deleted"
    for path in (kept, edited, deleted):
        path.write_text("config A\n")
    stamps = FileStamps()
    stamps.remember(str(path) for path in (kept, edited, deleted))
    assert stamps.changed_files() == []
    edited.write_text("config A\n\tbool\n")
    deleted.unlink()
    assert sorted(stamps.changed_files()) == [str(deleted), str(edited)]
    assert stamps.changed_files() == []


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def polled(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    write_fixture(tmp_path, STANDARD_TREE)
    capabilities = client_capabilities("neovim")
    assert capabilities.workspace is not None
    capabilities.workspace.did_change_watched_files = None  # a client that cannot watch files
    # Neovim announces the refreshes; the server asks for them after a change on disk.
    answer_view_refreshes(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="tree")],
        )
    )
    await wait_until(lsp_client, "$/progress", lambda: indexing_finished(lsp_client))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio(loop_scope="function")
async def test_a_change_on_disk_reaches_open_documents_without_watchers(
    polled: LanguageClient, tmp_path: Path
) -> None:
    workspace = Workspace(tmp_path, polled)
    uri = workspace.open("init/Kconfig")
    await workspace.diagnostics(uri, lambda found: not any(d.code == "KLS002" for d in found))
    # Rename NUMA_MIGRATION on disk, in a file the editor does not have open.
    mm_kconfig = tmp_path / "mm" / "Kconfig"
    mm_kconfig.write_text(
        workspace.text("mm/Kconfig").replace("config NUMA_MIGRATION", "config NUMA_MIGRATE")
    )
    found = await workspace.diagnostics(uri, lambda found: any(d.code == "KLS002" for d in found))
    assert any("undefined symbol NUMA_MIGRATION" in d.message for d in found)
