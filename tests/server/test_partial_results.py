"""References asked while the tree is still being indexed say that they are partial.

The server answers at once with the uses found so far. A client that sent
a `partialResultToken` gets them as partial results and the rest when the
indexing ends (the response is then empty, as LSP asks); any other client
gets the partial list marked by a work-done progress ("references may be
incomplete"). The tree has a few thousand C files so that the code index
takes long enough for the request to arrive while it builds; each test
checks that it did (the first answer lacks the C uses), so it cannot pass
without exercising the partial path.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from kconfig_ls.server.handlers.references import PARTIAL_TITLE
from tests.fixtures import write_fixture
from tests.server.conftest import STANDARD_TREE, answer_view_refreshes, indexing_finished, wait_until
from tests.server.raw_client import SERVE, RawClient

C_FILES = 3000
NEEDLE = "NUMA_MIGRATION"  # used in every C file, and in STANDARD_TREE's mm/migrate.c


def _write_tree(root: Path) -> None:
    write_fixture(root, STANDARD_TREE)
    drivers = root / "drivers"
    drivers.mkdir()
    for number in range(C_FILES):
        (drivers / f"file{number}.c").write_text(
            f"#ifdef CONFIG_{NEEDLE}\nint value{number};\n#endif\n", encoding="utf-8"
        )


def _position(root: Path) -> dict[str, int]:
    text = (root / "init/Kconfig").read_text(encoding="utf-8")
    offset = text.index(NEEDLE) + 1
    return {"line": text.count("\n", 0, offset), "character": offset - text.rfind("\n", 0, offset) - 1}


def _references(client: RawClient, root: Path, message_id: int, **tokens: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "textDocument": {"uri": (root / "init/Kconfig").as_uri()},
        "position": _position(root),
        "context": {"includeDeclaration": True},
        **tokens,
    }
    return client.request(message_id, "textDocument/references", params, timeout=120)


def _start_raw(root: Path, tmp_path: Path) -> tuple[RawClient, Any]:
    client, process = RawClient.over_stdio(root, "--cache-dir", str(tmp_path / "cache"))
    client.request(
        1,
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": {"window": {"workDoneProgress": True}},
        },
    )
    client.notify("initialized", {})
    return client, process


def _progress(client: RawClient, token: str) -> list[Any]:
    return [
        n["params"]["value"]
        for n in list(client.notifications)
        if n.get("method") == "$/progress" and n["params"]["token"] == token
    ]


def _stop(client: RawClient, process: Any) -> None:
    client.request(999, "shutdown")
    client.notify("exit")
    process.wait(timeout=30)


def test_a_partial_result_token_gets_the_uses_so_far_then_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    _write_tree(root)
    client, process = _start_raw(root, tmp_path)
    try:
        streamed = _references(client, root, 2, partialResultToken="partial-1")
        assert streamed.get("result") == []
        batches = _progress(client, "partial-1")
        # The first batch came before the code index was ready: no C uses in it.
        assert batches and all(not location["uri"].endswith(".c") for location in batches[0])
        received = [location for batch in batches for location in batch]
        complete = _references(client, root, 3)["result"]
        assert sorted(map(str, received)) == sorted(map(str, complete))
        assert sum(location["uri"].endswith(".c") for location in complete) == C_FILES + 1
    finally:
        _stop(client, process)


def test_a_work_done_token_marks_the_partial_list(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    _write_tree(root)
    client, process = _start_raw(root, tmp_path)
    try:
        partial = _references(client, root, 2, workDoneToken="work-1")["result"]
        assert all(not location["uri"].endswith(".c") for location in partial)
        values = _progress(client, "work-1")
        assert [value["kind"] for value in values] == ["begin", "end"]
        assert values[0]["title"] == PARTIAL_TITLE
        assert "found so far" in values[0]["message"]
        # Once the indexing has ended, the answer is complete and unmarked.
        assert client.wait_for_notification(
            lambda n: (
                n.get("method") == "$/progress"
                and str(n["params"]["token"]).startswith("kconfig-ls/indexing/")
                and n["params"]["value"].get("kind") == "end"
            ),
            timeout=120,
        )
        complete = _references(client, root, 3, workDoneToken="work-2")["result"]
        assert sum(location["uri"].endswith(".c") for location in complete) == C_FILES + 1
        assert _progress(client, "work-2") == []
    finally:
        _stop(client, process)


# -- the same through pytest-lsp, as VS Code and Neovim ask (no tokens) ------------------------------


@pytest.fixture
def partial_tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    _write_tree(root)
    return root


@pytest_lsp.fixture(
    params=["visual-studio-code", "neovim"],
    config=ClientServerConfig(server_command=SERVE),
)
async def indexing_client(
    lsp_client: LanguageClient, request: pytest.FixtureRequest, partial_tree: Path
) -> AsyncIterator[None]:
    lsp_client.set_configuration({"kconfig-ls": {}})

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register_capability(params: types.RegistrationParams) -> None:
        return None

    # Both clients' capabilities announce refresh support; the server asks after its configuration settles.
    answer_view_refreshes(lsp_client)

    root_uri = partial_tree.as_uri()
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=root_uri,
            workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="tree")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_references_during_indexing_are_marked_incomplete(
    indexing_client: LanguageClient, partial_tree: Path
) -> None:
    lsp_client = indexing_client
    uri = (partial_tree / "init/Kconfig").as_uri()
    position = types.Position(**_position(partial_tree))
    params = types.ReferenceParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=position,
        context=types.ReferenceContext(include_declaration=True),
    )
    partial = await lsp_client.text_document_references_async(params)
    assert partial is not None and not any(location.uri.endswith(".c") for location in partial)
    # Both clients show work-done progress: the server's own progress marks the answer.
    await wait_until(lsp_client, "$/progress", lambda: bool(_partial_progress(lsp_client)))
    begin = _partial_progress(lsp_client)[0]
    assert isinstance(begin, types.WorkDoneProgressBegin) and begin.title == PARTIAL_TITLE
    await wait_until(lsp_client, "$/progress", lambda: indexing_finished(lsp_client, 2), timeout=120)
    complete = await lsp_client.text_document_references_async(params)
    assert complete is not None and sum(location.uri.endswith(".c") for location in complete) == C_FILES + 1


def _partial_progress(client: LanguageClient) -> list[object]:
    return [
        value
        for token, values in client.progress_reports.items()
        if isinstance(token, str) and token.startswith("kconfig-ls/partial-references/")
        for value in values
    ]
