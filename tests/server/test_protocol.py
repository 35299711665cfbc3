"""Protocol correctness over a raw stdio connection: every request is answered, exit codes follow the spec."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.server.raw_client import SERVE, TIMEOUT_SECONDS, RawClient

_HOVER = {"textDocument": {"uri": "file:///nowhere/Kconfig"}, "position": {"line": 0, "character": 0}}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "Kconfig").write_text('config A\n\tbool "a"\n')
    return tmp_path


def _started(tree: Path) -> tuple[RawClient, object]:
    client, process = RawClient.over_stdio(tree)
    assert "result" in client.initialize(tree)
    client.notify("initialized", {})
    return client, process


def test_invalid_params_are_answered_with_32602(tree: Path) -> None:
    client, process = _started(tree)
    answer = client.request(2, "textDocument/hover", {"textDocument": 5})
    assert answer["error"]["code"] == -32602
    # The server is still fine afterwards.
    assert "result" in client.request(3, "textDocument/hover", _HOVER)
    process.kill()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("body", "answer_id"),
    [
        (b'{"jsonrpc": "2.0", "id": 7, "method": 5}', 7),
        (b'{"id": 8, "method": "textDocument/hover"}', 8),
        (b'{"jsonrpc": "1.0", "id": 9, "method": "textDocument/hover", "params": {}}', 9),
        (b'[{"jsonrpc": "2.0", "id": 10, "method": "shutdown"}]', None),
        (b'{"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"}', None),
    ],
)
def test_invalid_requests_are_answered_with_32600(tree: Path, body: bytes, answer_id: object) -> None:
    client, process = _started(tree)
    client.send_raw(body)
    assert client.response(answer_id)["error"]["code"] == -32600
    process.kill()  # type: ignore[attr-defined]


def test_a_request_before_initialize_is_answered_with_32002(tree: Path) -> None:
    client, process = RawClient.over_stdio(tree)
    assert client.request(1, "textDocument/hover", _HOVER)["error"]["code"] == -32002
    assert "result" in client.initialize(tree, message_id=2)
    process.kill()


def test_requests_after_shutdown_are_answered_with_invalid_request(tree: Path) -> None:
    client, process = _started(tree)
    assert client.request(2, "shutdown")["result"] is None
    assert client.request(3, "textDocument/hover", _HOVER)["error"]["code"] == -32600
    assert client.request(4, "shutdown")["error"]["code"] == -32600
    client.notify("exit")
    assert process.wait(timeout=TIMEOUT_SECONDS) == 0  # type: ignore[attr-defined]


def test_exit_without_shutdown_exits_1(tree: Path) -> None:
    client, process = _started(tree)
    client.notify("exit")
    assert process.wait(timeout=TIMEOUT_SECONDS) == 1  # type: ignore[attr-defined]


def test_exit_before_initialize_exits_1(tree: Path) -> None:
    client, process = RawClient.over_stdio(tree)
    client.notify("exit")
    assert process.wait(timeout=TIMEOUT_SECONDS) == 1


@pytest.mark.parametrize("ending", ["shutdown and exit", "exit alone", "stdin closed"])
def test_the_single_file_folder_of_a_refused_root_is_removed_when_the_server_ends(
    tmp_path: Path, ending: str
) -> None:
    # Issue 13: a refused root (missing, `/`, the home folder) runs on a
    # temporary folder of the server's own, which was never removed.
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        [*SERVE, "--no-code-index"],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(temporary), "PYTHONPATH": str(Path(__file__).parents[2])},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        client = RawClient.over_process(process)
        assert "result" in client.initialize(tmp_path / "does-not-exist")
        client.notify("initialized", {})
        made = list(temporary.iterdir())
        assert len(made) == 1 and made[0].name.startswith("kconfig-ls-single-file-") and made[0].is_dir()
        if ending == "shutdown and exit":
            assert client.request(2, "shutdown")["result"] is None
            assert not made[0].exists()
            client.notify("exit")
        elif ending == "exit alone":
            client.notify("exit")
        else:
            assert process.stdin is not None
            process.stdin.close()
        process.wait(timeout=TIMEOUT_SECONDS)
        assert list(temporary.iterdir()) == [], "".join(client.stderr[-20:])
    finally:
        process.kill()
        process.wait()


def test_a_usable_root_is_never_removed(tmp_path: Path, tree: Path) -> None:
    client, process = _started(tree)
    assert client.request(2, "shutdown")["result"] is None
    client.notify("exit")
    assert process.wait(timeout=TIMEOUT_SECONDS) == 0  # type: ignore[attr-defined]
    assert (tree / "Kconfig").is_file()
