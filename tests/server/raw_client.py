"""A raw JSON-RPC client for protocol tests: frames bytes by hand, over stdio or a socket.

pytest-lsp's client only sends well-formed messages; these tests need to
send broken ones and to see exactly what comes back (or that nothing does).
The server's own requests (`workspace/configuration`, `client/registerCapability`)
are answered with `null` so that it never waits on us.
"""

from __future__ import annotations

import json
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SERVE = [sys.executable, "-m", "kconfig_ls", "serve", "--debounce-ms", "50", "--log-level", "INFO"]
TIMEOUT_SECONDS = 40


class RawClient:
    def __init__(self, write: Callable[[bytes], None], read: Callable[[int], bytes]) -> None:
        self._write = write
        self._read = read
        self.messages: queue.Queue[dict[str, Any] | list[Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self.stderr: list[str] = []
        threading.Thread(target=self._reader, daemon=True).start()

    @classmethod
    def over_stdio(cls, cwd: Path, *extra: str) -> tuple[RawClient, subprocess.Popen[bytes]]:
        process = subprocess.Popen(
            [*SERVE, *extra], cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        # Its stderr is drained (into `stderr`), or a server that logs more than a pipe holds
        # (64 KB) blocks on it, and a test waiting for it to exit times out.
        return cls.over_process(process), process

    @classmethod
    def over_process(cls, process: subprocess.Popen[bytes]) -> RawClient:
        """A client on a started server's stdin and stdout (its stderr is drained into `stderr`)."""
        assert process.stdin is not None and process.stdout is not None and process.stderr is not None
        stdin, stdout, stderr = process.stdin, process.stdout, process.stderr

        def write(data: bytes) -> None:
            stdin.write(data)
            stdin.flush()

        client = cls(write, stdout.read)

        def drain() -> None:
            for line in stderr:
                client.stderr.append(line.decode("utf-8", "replace"))

        threading.Thread(target=drain, daemon=True).start()
        return client

    @classmethod
    def over_socket(cls, connection: socket.socket) -> RawClient:
        reader = connection.makefile("rb")
        return cls(connection.sendall, reader.read)

    def send_raw(self, body: bytes) -> None:
        self._write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: object) -> None:
        self.send_raw(json.dumps(message).encode())

    def request(
        self, message_id: int, method: str, params: object = None, timeout: float = TIMEOUT_SECONDS
    ) -> dict[str, Any]:
        self.send({"jsonrpc": "2.0", "id": message_id, "method": method, "params": params})
        return self.response(message_id, timeout)

    def notify(self, method: str, params: object = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def response(self, message_id: object, timeout: float = TIMEOUT_SECONDS) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(0.01, deadline - time.monotonic()))
            assert message is not None, "the server closed the connection"
            if isinstance(message, dict) and "method" not in message and message.get("id") == message_id:
                return message

    def wait_for_notification(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = TIMEOUT_SECONDS
    ) -> dict[str, Any] | None:
        """The first notification (so far or within `timeout`) that matches, else None."""
        deadline = time.monotonic() + timeout
        while True:
            for notification in list(self.notifications):
                if predicate(notification):
                    return notification
            if time.monotonic() > deadline:
                return None
            time.sleep(0.05)

    def initialize(
        self, root: Path, options: object = None, message_id: int = 1, capabilities: object = None
    ) -> dict[str, Any]:
        return self.request(
            message_id,
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": capabilities or {},
                "initializationOptions": options,
            },
        )

    def _reader(self) -> None:
        try:
            while True:
                length = 0
                while True:
                    line = b""
                    while not line.endswith(b"\r\n"):
                        byte = self._read(1)
                        if not byte:
                            self.messages.put(None)
                            return
                        line += byte
                    if line == b"\r\n":
                        break
                    name, _, value = line.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                message = json.loads(self._read(length))
                if isinstance(message, dict) and "method" in message:
                    if "id" in message:  # the server's own request
                        self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
                    else:
                        self.notifications.append(message)
                    continue
                self.messages.put(message)
        except (OSError, ValueError):
            self.messages.put(None)
