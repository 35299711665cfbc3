"""pytest-lsp fixtures: the real server over stdio, with VS Code's and Neovim's capabilities.

Every test gets its own tree (written with `tests.fixtures.write_fixture`)
and its own server process, started as `python -m kconfig_ls serve`, as an
editor starts it. Tests wait on notifications (`wait_until`), never sleep.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.fixtures import write_fixture

SERVER_COMMAND = [sys.executable, "-m", "kconfig_ls", "serve", "--debounce-ms", "50", "--log-level", "INFO"]
TIMEOUT_SECONDS = 20

# The tree of the seed patch review (shared/seed): NUMA_BALANCING needs
# NUMA_MIGRATION, which needs NUMA && MMU. The root Kconfig also calls
# $(info,...), which must never reach the JSON-RPC stream.
STANDARD_TREE = """
//- /Kconfig
mainmenu "Test kernel"
$(info,hello from Kconfig)
config SMP
	bool "Symmetric multi-processing support"
config PREEMPT_RT
	bool "Fully preemptible kernel (Real-Time)"
menu "General setup"
source "init/Kconfig"
endmenu
source "mm/Kconfig"
//- /init/Kconfig
config NUMA_BALANCING
	bool "Memory placement aware NUMA scheduler"
	depends on ARCH_SUPPORTS_NUMA_BALANCING
	depends on SMP && NUMA_MIGRATION && !PREEMPT_RT
	help
	  This option adds support for automatic NUMA aware memory/task placement.
//- /mm/Kconfig
menu "Memory Management options"
config ARCH_SUPPORTS_NUMA_BALANCING
	bool
config NUMA
	bool "NUMA Memory Allocation and Scheduler Support"
	depends on SMP
config MMU
	def_bool y
if MMU
config NUMA_MIGRATION
	bool "NUMA page migration"
	default y
	depends on NUMA && MMU
	select MIGRATION
config MIGRATION
	bool "Page migration"
	depends on MMU
config COMPACTION
	bool "Allow for memory compaction"
	select MIGRATION
endif
endmenu
//- /mm/migrate.c
#ifdef CONFIG_NUMA_MIGRATION
int migrate(void);
#endif
"""

CLIENTS = ["visual-studio-code", "neovim"]
Change = types.TextDocumentContentChangePartial | types.TextDocumentContentChangeWholeDocument


class Workspace:
    """The tree a test's server runs on, and helpers to talk about its files."""

    def __init__(self, root: Path, client: LanguageClient) -> None:
        self.root = root
        self.client = client
        self.versions: dict[str, int] = {}

    @property
    def utf8(self) -> bool:
        """Whether the client offered UTF-8 positions (Neovim does; VS Code does not)."""
        capabilities = self.client.capabilities
        general = capabilities.general if capabilities is not None else None
        return bool(general and general.position_encodings and "utf-8" in general.position_encodings)

    def uri(self, relative: str) -> str:
        return (self.root / relative).as_uri()

    def text(self, relative: str) -> str:
        return (self.root / relative).read_text(encoding="utf-8")

    def open(self, relative: str, language_id: str = "kconfig", text: str | None = None) -> str:
        uri = self.uri(relative)
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri,
                    language_id=language_id,
                    version=1,
                    text=self.text(relative) if text is None else text,
                )
            )
        )
        return uri

    def change(self, uri: str, changes: list[Change]) -> int:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
                content_changes=changes,
            )
        )
        return self.versions[uri]

    def position(self, relative: str, needle: str, delta: int = 0, text: str | None = None) -> types.Position:
        """The LSP position of `needle` (plus delta characters) in the client's encoding."""
        content = self.text(relative) if text is None else text
        offset = content.index(needle) + delta
        line = content.count("\n", 0, offset)
        line_start = content.rfind("\n", 0, offset) + 1
        prefix = content[line_start:offset]
        column = len(prefix.encode("utf-8")) if self.utf8 else len(prefix.encode("utf-16-le")) // 2
        return types.Position(line=line, character=column)

    async def diagnostics(
        self, uri: str, condition: Callable[[list[types.Diagnostic]], bool]
    ) -> list[types.Diagnostic]:
        """Wait until the diagnostics published for `uri` satisfy `condition`."""
        await wait_until(
            self.client,
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
            lambda: uri in self.client.diagnostics and condition(list(self.client.diagnostics[uri])),
        )
        return list(self.client.diagnostics[uri])


async def wait_until(
    client: LanguageClient, method: str, condition: Callable[[], bool], timeout: float = TIMEOUT_SECONDS
) -> None:
    """Wait for notifications of `method` until `condition()` holds."""

    async def waiting() -> None:
        while not condition():
            await client.wait_for_notification(method)

    await asyncio.wait_for(waiting(), timeout)


def indexing_finished(client: LanguageClient, count: int = 1) -> bool:
    ends = [
        value
        for reports in client.progress_reports.values()
        for value in reports
        if isinstance(value, types.WorkDoneProgressEnd)
    ]
    return len(ends) >= count


async def start_session(
    client: LanguageClient,
    client_name: str,
    root: Path,
    initialization_options: object | None = None,
) -> None:
    root_uri = root.as_uri()
    client.initialize_result = await client.initialize_session(  # type: ignore[attr-defined]
        types.InitializeParams(
            capabilities=client_capabilities(client_name),
            root_uri=root_uri,
            workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="tree")],
            initialization_options=initialization_options,
        )
    )
    await wait_until(client, "$/progress", lambda: indexing_finished(client))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_fixture(tmp_path, STANDARD_TREE)
    return tmp_path


@pytest.fixture
def server_configuration(request: pytest.FixtureRequest) -> dict[str, object]:
    """What the client answers to `workspace/configuration` (override with indirect parametrize)."""
    return getattr(request, "param", {})


@pytest.fixture
def initialization_options(request: pytest.FixtureRequest) -> object:
    return getattr(request, "param", {"kconfig-ls": {}})


def answer_view_refreshes(lsp_client: LanguageClient) -> None:
    """Answer the inlay-hint and code-lens refresh requests that clients announcing the support get."""

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(*arguments: object) -> None:
        return None

    @lsp_client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def code_lens_refresh(*arguments: object) -> None:
        return None


@pytest_lsp.fixture(params=CLIENTS, config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(
    lsp_client: LanguageClient,
    request: pytest.FixtureRequest,
    tree: Path,
    server_configuration: dict[str, object],
    initialization_options: object,
) -> AsyncIterator[None]:
    lsp_client.set_configuration({"kconfig-ls": server_configuration})
    registrations: list[types.Registration] = []
    lsp_client.registrations = registrations  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        registrations.extend(params.registrations)

    # The active configuration's notifications (tests/server/test_configuration.py).
    statuses: list[object] = []
    inactive_regions: list[object] = []
    lsp_client.configuration_statuses = statuses  # type: ignore[attr-defined]
    lsp_client.inactive_regions = inactive_regions  # type: ignore[attr-defined]

    answer_view_refreshes(lsp_client)

    @lsp_client.feature("kconfig-ls/configurationStatus")
    def configuration_status(*arguments: object) -> None:
        statuses.append(arguments[-1])  # pygls passes (client, params) for untyped params

    @lsp_client.feature("textDocument/inactiveRegions")
    def inactive_regions_notification(*arguments: object) -> None:
        inactive_regions.append(arguments[-1])

    await start_session(lsp_client, request.param, tree, initialization_options)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def workspace(client: LanguageClient, tree: Path) -> Workspace:
    return Workspace(tree, client)
