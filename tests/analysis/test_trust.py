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
from pathlib import Path

import pytest

from kconfig_ls.cli.main import main
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
    """Initialize a real server over stdio on the tree, wait for the load, shut it down."""
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "processId": None,
            "rootUri": (root / "tree").as_uri(),
            "capabilities": {},
            "initializationOptions": {"kconfig-ls": {"trustWorkspace": trust_workspace}},
        },
    }
    messages = [
        initialize,
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "A"}},
        {"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    payload = b""
    for message in messages:
        body = json.dumps(message).encode()
        payload += b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    subprocess.run(
        [sys.executable, "-m", "kconfig_ls", "serve", "--no-code-index", "--debounce-ms", "0"],
        input=payload,
        capture_output=True,
        timeout=60,
        env={"XDG_CONFIG_HOME": str(root / "config"), "PATH": "/usr/bin:/bin", "HOME": str(root)},
        check=False,
    )


def test_serve_ignores_the_trees_own_trust_request(tmp_path: Path) -> None:
    marker = _tree(tmp_path)
    _serve(tmp_path, trust_workspace=False)
    assert not marker.exists()


def test_serve_runs_commands_when_the_editor_trusts_the_workspace(tmp_path: Path) -> None:
    marker = _tree(tmp_path)
    _serve(tmp_path, trust_workspace=True)
    assert marker.exists()
