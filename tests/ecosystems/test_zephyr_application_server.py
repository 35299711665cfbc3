"""A Zephyr application as the editor's workspace folder: the real server over stdio.

The fixtures are the server tests' (`tests/server/conftest.py`: a server process per client,
VS Code's and Neovim's capabilities) with the workspace folder replaced by
`test_zephyr_application`'s application, which lies beside the Zephyr tree in a west
workspace; what each answer holds is tested there, on the host.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.ecosystems.test_zephyr_application import _workspace
from tests.server.conftest import Workspace, client, initialization_options, server_configuration, workspace

__all__ = ["client", "initialization_options", "server_configuration", "workspace"]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("ZEPHYR_BASE", raising=False)  # the server process inherits the environment
    return _workspace(tmp_path) / "app"


async def test_the_server_answers_for_zephyrs_symbols_in_the_applications_files(workspace: Workspace) -> None:
    zephyr_kconfig = (workspace.root.parent / "zephyr/drivers/Kconfig").as_uri()
    prj = workspace.open("prj.conf", language_id="kconfig-config")
    found = await workspace.diagnostics(prj, lambda diagnostics: bool(diagnostics))
    assert [(str(d.code), d.message.split(":")[0]) for d in found] == [
        ("KLS101", "CONFIG_GPIO_NRFXX in configuration file")
    ]
    for relative, language_id in (("prj.conf", "kconfig-config"), ("src/main.c", "c")):
        uri = workspace.open(relative, language_id=language_id)
        identifier = types.TextDocumentIdentifier(uri=uri)
        position = workspace.position(relative, "CONFIG_GPIO", 9)
        hover = await workspace.client.text_document_hover_async(types.HoverParams(identifier, position))
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "General-Purpose Input/Output (GPIO) drivers" in hover.contents.value
        definition = await workspace.client.text_document_definition_async(
            types.DefinitionParams(identifier, position)
        )
        assert isinstance(definition, list) and len(definition) == 1
        location = definition[0]
        assert isinstance(location, types.Location) and location.uri == zephyr_kconfig
    # The application's own Kconfig is the root: its symbol's definition is there.
    uri = workspace.open("src/main.c", language_id="c")
    position = workspace.position("src/main.c", "CONFIG_BLINKY_FAST", 9)
    definition = await workspace.client.text_document_definition_async(
        types.DefinitionParams(types.TextDocumentIdentifier(uri=uri), position)
    )
    assert isinstance(definition, list) and [d.uri for d in definition if isinstance(d, types.Location)] == [
        workspace.uri("Kconfig")
    ]
