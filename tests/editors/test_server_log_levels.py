"""The server's log as an editor shows it: each record once, at its own level.

vscode-languageclient shows every line of the server's stderr as `[error]`,
so a record the client gets as `window/logMessage` must not also go to
stderr, and the message type of each record must be that of its level
(INFO -> Info, not Error).  This runs `kconfig-ls serve` over stdio on
examples/before, as an editor does, and reads both streams.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "before"

# LSP MessageType values.
ERROR, WARNING, INFO, LOG = 1, 2, 3, 4


class StdioClient:
    """A minimal JSON-RPC client over a child's stdin/stdout; notifications are collected."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.messages: list[dict[str, Any]] = []
        self.condition = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = self.process.stdout.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = self.process.stdout.read(int(headers["content-length"]))
            with self.condition:
                self.messages.append(json.loads(body))
                self.condition.notify_all()

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def wait_for(self, predicate: Any, timeout: float = 60) -> dict[str, Any]:
        with self.condition:
            found = self.condition.wait_for(
                lambda: next((m for m in self.messages if predicate(m)), None), timeout=timeout
            )
            assert found, f"no such message within {timeout} s; got {self.messages}"
            return next(m for m in self.messages if predicate(m))


def run_session(tmp_path: Path) -> tuple[list[dict[str, Any]], str]:
    """The window/logMessage params and the stderr of one session that indexes the example."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen(
        [sys.executable, "-m", "kconfig_ls", "serve", "--no-code-index"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=environment,
    )
    client = StdioClient(process)
    try:
        client.send(
            {
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": EXAMPLE.as_uri(), "capabilities": {}},
            }
        )
        client.wait_for(lambda message: message.get("id") == 1)
        client.send({"method": "initialized", "params": {}})
        client.wait_for(
            lambda message: (
                message.get("method") == "window/logMessage" and "indexed" in message["params"]["message"]
            )
        )
        client.send({"id": 2, "method": "shutdown"})
        client.wait_for(lambda message: message.get("id") == 2)
        client.send({"method": "exit"})
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    logs = [message["params"] for message in client.messages if message.get("method") == "window/logMessage"]
    return logs, stderr.decode(errors="replace")


def test_info_records_reach_the_client_as_info_and_not_stderr(tmp_path: Path) -> None:
    logs, stderr = run_session(tmp_path)
    indexed = [entry for entry in logs if "indexed" in entry["message"]]
    assert indexed, logs
    assert {entry["type"] for entry in indexed} == {INFO}, indexed
    # What the client got is not on stderr too (the client would show it again, as an error).
    assert "indexed" not in stderr, stderr
    # Records before `initialized` have no client to go to: they stay on stderr, at their level.
    assert "INFO kconfig_ls.server.server: project root" in stderr, stderr


def test_levels_map_to_lsp_message_types() -> None:
    from kconfig_ls.server.server import _ClientLogHandler

    kinds = {
        level: next(kind for threshold, kind in _ClientLogHandler._LEVELS if level >= threshold)
        for level in (logging.CRITICAL, logging.ERROR, logging.WARNING, logging.INFO, logging.DEBUG)
    }
    assert kinds == {
        logging.CRITICAL: ERROR,
        logging.ERROR: ERROR,
        logging.WARNING: WARNING,
        logging.INFO: INFO,
        logging.DEBUG: LOG,
    }
