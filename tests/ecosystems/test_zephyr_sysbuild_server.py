"""Sysbuild in the language server: the real server over stdio, on the sysbuild workspace fixture.

The fixtures are the server tests' (`tests/server/conftest.py`: a server process per client,
VS Code's and Neovim's capabilities) with the tree replaced by `test_zephyr_sysbuild_clients`'s
Zephyr workspace; what each answer holds is tested there, on the host.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.ecosystems.test_zephyr_sysbuild_clients import _tree
from tests.server.conftest import Workspace, client, initialization_options, server_configuration, workspace

__all__ = ["client", "initialization_options", "server_configuration", "workspace"]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return _tree(tmp_path)


def _codes_and_messages(diagnostics: list[types.Diagnostic]) -> list[tuple[str, str]]:
    return sorted((str(d.code), d.message.split(":")[0]) for d in diagnostics)


async def test_the_server_publishes_sysbuilds_findings_and_answers_for_its_symbols(
    workspace: Workspace,
) -> None:
    conf = workspace.open("apps/demo/sysbuild.conf", language_id="kconfig-config")
    found = await workspace.diagnostics(conf, lambda diagnostics: bool(diagnostics))
    assert _codes_and_messages(found) == [("KLS101", "SB_CONFIG_BOOT_ENCRYPTON in configuration file")]
    kconfig = workspace.open("share/sysbuild/images/Kconfig")
    found = await workspace.diagnostics(kconfig, lambda diagnostics: bool(diagnostics))
    assert [str(d.code) for d in found] == ["KLS002"]
    assert "BOOTLOADER_MCUBOT" in found[0].message
    # Fixing the typo in the editor clears the finding (the edit reaches sysbuild's uses).
    text = workspace.text("apps/demo/sysbuild.conf").replace("ENCRYPTON", "ENCRYPTION")
    workspace.change(conf, [types.TextDocumentContentChangeWholeDocument(text=text)])
    await workspace.diagnostics(conf, lambda diagnostics: not diagnostics)
    # Hover and definition of SB_CONFIG_X in CMake are sysbuild's X.
    cmake = "share/sysbuild/images/bootloader/CMakeLists.txt"
    uri = workspace.open(cmake, language_id="cmake")
    position = workspace.position(cmake, "SB_CONFIG_BOOTLOADER_MCUBOOT", 12)
    identifier = types.TextDocumentIdentifier(uri=uri)
    hover = await workspace.client.text_document_hover_async(types.HoverParams(identifier, position))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert "*sysbuild symbol (`SB_CONFIG_BOOTLOADER_MCUBOOT`)*" in hover.contents.value
    definition = await workspace.client.text_document_definition_async(
        types.DefinitionParams(identifier, position)
    )
    assert isinstance(definition, list) and len(definition) == 1
    location = definition[0]
    assert isinstance(location, types.Location)
    assert location.uri == workspace.uri("share/sysbuild/images/bootloader/Kconfig")


async def test_the_server_renames_sysbuilds_symbol_apart_from_the_images(workspace: Workspace) -> None:
    uri = workspace.open("apps/demo/sysbuild.conf", language_id="kconfig-config")
    await workspace.diagnostics(uri, lambda diagnostics: bool(diagnostics))
    identifier = types.TextDocumentIdentifier(uri=uri)
    position = workspace.position("apps/demo/sysbuild.conf", "SB_CONFIG_BOOTLOADER_MCUBOOT", 12)
    prepared = await workspace.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(identifier, position)
    )
    assert (
        isinstance(prepared, types.PrepareRenamePlaceholder) and prepared.placeholder == "BOOTLOADER_MCUBOOT"
    )
    edit = await workspace.client.text_document_rename_async(
        types.RenameParams(identifier, position, "BOOTLOADER_MCUBOOT_SB")
    )
    assert edit is not None
    changed = {change.text_document.uri for change in edit.document_changes or () if hasattr(change, "edits")}
    changed |= set(edit.changes or {})
    assert workspace.uri("share/sysbuild/images/bootloader/Kconfig") in changed
    assert workspace.uri("apps/demo/sysbuild.conf") in changed
    # The image's namesake stays: Kconfig.zephyr's definition, prj.conf's CONFIG_BOOTLOADER_MCUBOOT.
    assert workspace.uri("Kconfig.zephyr") not in changed
    assert workspace.uri("apps/demo/prj.conf") not in changed
