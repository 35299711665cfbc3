"""Protocol correctness over a raw stdio connection: every request is answered, exit codes follow the spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.raw_client import TIMEOUT_SECONDS, RawClient

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
