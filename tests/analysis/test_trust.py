"""Trust comes only from the person running the tool, for every client (issue 8, item 1).

A tree whose own `.kconfig-ls.toml` says `trust-commands = true` and runs
`$(shell,touch MARKER)` must not get the command run by `lint`, `query` or
`serve`; the project file's request is reported (KLS009). The same tree with
the user's consent (the `--trust-commands` flag, the user's settings file,
or the editor's `trustWorkspace`) runs it, which shows each probe can fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kconfig_ls.cli.main import main
from kconfig_ls.server.transport import read_message
from tests.fixtures import write_fixture


def _tree(root: Path) -> Path:
    marker = root / "MARKER"
    write_fixture(
        root / "tree",
        f"""
        //- /Kconfig
        PROBE := $(shell,touch {marker})
        config A
        	bool "A"
        //- /.kconfig-ls.toml
        trust-commands = true
        """,
    )
    return marker


def _run(
    arguments: list[str],
    monkeypatch: pytest.MonkeyPatch,
    config_home: Path,
    capfd: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    capfd.readouterr()
    code = main(arguments)
    return code, capfd.readouterr().out


def test_lint_ignores_the_trees_own_trust_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    marker = _tree(tmp_path)
    code, output = _run(
        ["lint", str(tmp_path / "tree"), "--no-cache", "--format", "json"],
        monkeypatch,
        tmp_path / "config",
        capfd,
    )
    assert not marker.exists()
    findings = json.loads(output)["findings"]
    assert [f["code"] for f in findings] == ["KLS009"]
    assert findings[0]["path"] == ".kconfig-ls.toml"
    assert code == 1


def test_lint_runs_commands_with_the_users_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    marker = _tree(tmp_path)
    _run(
        ["lint", str(tmp_path / "tree"), "--no-cache", "--trust-commands"],
        monkeypatch,
        tmp_path / "config",
        capfd,
    )
    assert marker.exists()


def test_lint_runs_commands_for_a_project_the_user_trusts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    marker = _tree(tmp_path)
    config = tmp_path / "config" / "kconfig-ls"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(f'trusted-projects = ["{tmp_path / "tree"}"]\n', encoding="utf-8")
    _run(["lint", str(tmp_path / "tree"), "--no-cache"], monkeypatch, tmp_path / "config", capfd)
    assert marker.exists()


def test_query_ignores_the_trees_own_trust_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    marker = _tree(tmp_path)
    code, output = _run(
        ["query", "hover", f"{tmp_path / 'tree' / 'Kconfig'}:2:8", "--kconfig-only"],
        monkeypatch,
        tmp_path / "config",
        capfd,
    )
    assert code == 0 and json.loads(output)["markdown"].startswith("### A")
    assert not marker.exists()


def _serve(root: Path, trust_workspace: bool) -> None:
    """Initialize a real server over stdio on the tree, wait for the load, shut it down.

    The load is over when `workspace/symbol` finds A (the answer is partial, and empty,
    while the model loads): only then has the root's `$(shell,...)` run or been refused.
    """
    initialize = {
        "processId": None,
        "rootUri": (root / "tree").as_uri(),
        "capabilities": {},
        "initializationOptions": {"kconfig-ls": {"trustWorkspace": trust_workspace}},
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "kconfig_ls", "serve", "--no-code-index", "--debounce-ms", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={"XDG_CONFIG_HOME": str(root / "config"), "PATH": "/usr/bin:/bin", "HOME": str(root)},
    )
    assert server.stdin is not None and server.stdout is not None
    identifiers = iter(range(1, 10_000))

    def send(method: str, params: object, request: bool = True) -> int | None:
        identifier = next(identifiers) if request else None
        message: dict[str, object] = {"jsonrpc": "2.0", "method": method, "params": params}
        if identifier is not None:
            message["id"] = identifier
        body = json.dumps(message).encode()
        assert server.stdin is not None
        server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        server.stdin.flush()
        return identifier

    def answer(identifier: int | None) -> object:
        while True:
            assert server.stdout is not None
            body = read_message(server.stdout)
            assert body is not None, "the server ended"
            message = json.loads(body)
            if message.get("id") == identifier and "method" not in message:
                return message.get("result")

    try:
        answer(send("initialize", initialize))
        send("initialized", {}, request=False)
        deadline = time.monotonic() + 60
        while not answer(send("workspace/symbol", {"query": "A"})):
            assert time.monotonic() < deadline, "the model never loaded"
            time.sleep(0.05)
        answer(send("shutdown", None))
        send("exit", None, request=False)
        server.wait(timeout=30)
    finally:
        server.kill()
        server.wait()


def test_serve_ignores_the_trees_own_trust_request(tmp_path: Path) -> None:
    marker = _tree(tmp_path)
    _serve(tmp_path, trust_workspace=False)
    assert not marker.exists()


def test_serve_runs_commands_when_the_editor_trusts_the_workspace(tmp_path: Path) -> None:
    marker = _tree(tmp_path)
    _serve(tmp_path, trust_workspace=True)
    assert marker.exists()
