"""TCP needs the token printed on stderr; a Unix socket is private to its user; remote hosts need a flag."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types

from kconfig_ls.server.authentication import check_initialize, is_loopback
from tests.server.raw_client import SERVE, TIMEOUT_SECONDS, RawClient


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    marker = tmp_path / "MARKER"
    (root / "Kconfig").write_text(f'X := $(shell,touch {marker})\nconfig A\n\tbool "a"\n')
    return root


def _marker(tree: Path) -> Path:
    return tree.parent / "MARKER"


def _read_stderr_until(process: subprocess.Popen[bytes], pattern: str) -> re.Match[str]:
    assert process.stderr is not None
    seen = ""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        line = process.stderr.readline().decode()
        if not line:
            break
        seen += line
        match = re.search(pattern, seen)
        if match is not None:
            return match
    raise AssertionError(f"no {pattern!r} on stderr: {seen}")


@pytest.fixture
def tcp_server(tree: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, int]]:
    process = subprocess.Popen(
        [*SERVE, "--tcp", "--port", "0"], cwd=tree, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    token = _read_stderr_until(process, r"token (\S+) ").group(1)
    port = int(_read_stderr_until(process, r"listening on \('127\.0\.0\.1', (\d+)\)").group(1))
    yield process, token, port
    process.kill()
    process.wait()


def _connect(port: int) -> RawClient:
    return RawClient.over_socket(socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_SECONDS))


def _wait_for(path: Path) -> bool:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if path.exists():
            return True
        time.sleep(0.1)
    return False


def test_tcp_without_the_token_loads_nothing_and_runs_nothing(
    tree: Path, tcp_server: tuple[subprocess.Popen[bytes], str, int]
) -> None:
    process, token, port = tcp_server
    for options in ({"trustWorkspace": True}, {"trustWorkspace": True, "token": "guess"}, None):
        client = _connect(port)
        answer = client.initialize(tree, options)
        assert answer["error"]["code"] == -32001, answer
        with contextlib.suppress(OSError):  # the server may already have hung up
            client.notify("initialized", {})
            client.notify("workspace/didChangeConfiguration", {"settings": {"trustWorkspace": True}})
        assert client.messages.get(timeout=TIMEOUT_SECONDS) is None  # the server hung up
    assert not _marker(tree).exists()
    # The control: with the token, the same request runs the command, so the test can see it.
    client = _connect(port)
    assert "result" in client.initialize(tree, {"token": token, "trustWorkspace": True})
    client.notify("initialized", {})
    assert _wait_for(_marker(tree))
    assert client.request(2, "shutdown")["result"] is None
    client.notify("exit")
    assert process.wait(timeout=TIMEOUT_SECONDS) == 0


def test_tcp_turns_away_a_second_client(
    tree: Path, tcp_server: tuple[subprocess.Popen[bytes], str, int]
) -> None:
    _, token, port = tcp_server
    first = _connect(port)
    assert "result" in first.initialize(tree, {"kconfig-ls": {"token": token}})
    second = _connect(port)
    second.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})
    assert second.messages.get(timeout=TIMEOUT_SECONDS) is None


def test_a_unix_socket_is_private_and_needs_no_token(tree: Path, tmp_path: Path) -> None:
    path = tmp_path / "kconfig-ls.sock"
    process = subprocess.Popen([*SERVE, "--socket", str(path)], cwd=tree, stderr=subprocess.PIPE)
    try:
        _read_stderr_until(process, r"listening on")
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        connection = socket.socket(socket.AF_UNIX)
        connection.connect(str(path))
        client = RawClient.over_socket(connection)
        assert "result" in client.initialize(tree)
        assert client.request(2, "shutdown")["result"] is None
        client.notify("exit")
        assert process.wait(timeout=TIMEOUT_SECONDS) == 0
    finally:
        process.kill()
        process.wait()


def test_a_socket_path_that_is_not_ours_is_not_replaced(tree: Path, tmp_path: Path) -> None:
    path = tmp_path / "precious"
    path.write_text("keep me")
    completed = subprocess.run(
        [*SERVE, "--socket", str(path)], cwd=tree, capture_output=True, timeout=TIMEOUT_SECONDS
    )
    assert completed.returncode == 2
    assert path.read_text() == "keep me"


def test_a_remote_host_is_refused_without_allow_remote(tree: Path) -> None:
    completed = subprocess.run(
        [*SERVE, "--tcp", "--host", "0.0.0.0", "--port", "0"], cwd=tree, capture_output=True, timeout=60
    )
    assert completed.returncode == 2
    assert b"--allow-remote" in completed.stderr
    assert b"token" not in completed.stderr


def _params(options: object) -> types.InitializeParams:
    return types.InitializeParams(capabilities=types.ClientCapabilities(), initialization_options=options)


def test_check_initialize() -> None:
    assert check_initialize(_params(None), None) is None
    assert check_initialize(_params({"token": "t"}), "t") is None
    assert check_initialize(_params({"kconfig-ls": {"token": "t"}}), "t") is None
    assert "needs a token" in (check_initialize(_params(None), "t") or "")
    assert "needs a token" in (check_initialize(_params({"token": 5}), "t") or "")
    assert "wrong token" in (check_initialize(_params({"token": "u"}), "t") or "")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.0.2.1", False),
    ],
)
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
