"""The stdio transport: whole messages read by a thread; a client that writes everything at once;
a closed pipe ends the sending quietly."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from kconfig_ls.server.protocol import KconfigProtocol
from kconfig_ls.server.server import create_server
from kconfig_ls.server.transport import read_message
from tests.fixtures import write_fixture


def _framed(*bodies: bytes) -> bytes:
    return b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(body), body) for body in bodies)


def test_messages_are_read_whole_from_a_stream() -> None:
    stream = io.BytesIO(
        _framed(b'{"a": 1}')
        + b"content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"
        + b"\r\nX-Other: 1\r\n\r\n"  # a message without a length is skipped
        + _framed(b'{"b": 2}')
        + b'Content-Length: 10\r\n\r\n{"c"'  # cut short: the client went away
    )
    assert [read_message(stream) for _ in range(4)] == [b'{"a": 1}', b"{}", b'{"b": 2}', None]
    assert read_message(io.BytesIO(b"Content-Length: 3\r\n" + b"x" * 70000 + b"\r\n\r\n")) is None


def _message(**fields: Any) -> bytes:
    return json.dumps({"jsonrpc": "2.0", **fields}).encode()


def test_a_client_that_writes_everything_at_once_gets_every_answer(tmp_path: Path) -> None:
    # The references request (with a partial-result token) is answered after the load;
    # `shutdown` and `exit` arrive long before that, and the input ends right after them.
    write_fixture(tmp_path / "tree", '//- /Kconfig\nconfig A\n\tbool "A"\nconfig B\n\tselect A\n')
    kconfig = (tmp_path / "tree" / "Kconfig").as_uri()
    position = {"line": 0, "character": 7}
    payload = _framed(
        _message(
            id=1,
            method="initialize",
            params={"processId": None, "rootUri": (tmp_path / "tree").as_uri(), "capabilities": {}},
        ),
        _message(method="initialized", params={}),
        _message(
            id=2,
            method="textDocument/references",
            params={
                "textDocument": {"uri": kconfig},
                "position": position,
                "context": {"includeDeclaration": True},
                "partialResultToken": "partial",
            },
        ),
        _message(id=3, method="shutdown", params=None),
        _message(method="exit", params=None),
    )
    finished = subprocess.run(
        [sys.executable, "-m", "kconfig_ls", "serve", "--no-code-index", "--debounce-ms", "0"],
        input=payload,
        capture_output=True,
        timeout=60,
        cwd=tmp_path,
        env={"XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    answers: dict[object, dict[str, Any]] = {}
    output = io.BytesIO(finished.stdout)
    while (body := read_message(output)) is not None:
        message = json.loads(body)
        if "id" in message and "method" not in message:
            answers[message["id"]] = message
    assert sorted(answers, key=str) == [1, 2, 3], finished.stderr.decode()[-2000:]
    assert "error" not in answers[2] and "error" not in answers[3]
    assert finished.returncode == 0  # `exit` came after the answered `shutdown`


def test_shutdown_is_answered_after_the_requests_in_flight(tmp_path: Path) -> None:
    # In process: a request that is still running when `shutdown` arrives, and ends only then.
    write_fixture(tmp_path, "//- /Kconfig\nconfig A\n\tbool\n")
    server = create_server(index_code=False)
    protocol = server.protocol
    assert isinstance(protocol, KconfigProtocol)

    @server.feature("kconfig-ls/test-slow")
    async def slow(ls: object, params: object) -> str:
        while not (protocol.shutting_down or protocol._shutdown):
            await asyncio.sleep(0.01)
        return "finished"

    client_in, server_out = os.pipe()
    server_in, client_out = os.pipe()
    os.write(
        client_out,
        _framed(
            _message(
                id=1,
                method="initialize",
                params={"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}},
            ),
            _message(method="initialized", params={}),
            _message(id=2, method="kconfig-ls/test-slow", params={}),
            _message(id=3, method="shutdown", params=None),
            _message(id=4, method="textDocument/hover", params={}),  # after shutdown: refused
            _message(method="exit", params=None),
        ),
    )
    os.close(client_out)
    with os.fdopen(server_in, "rb") as stdin, os.fdopen(server_out, "wb") as stdout:
        serving = threading.Thread(target=server.start_io, args=(stdin, stdout), daemon=True)
        serving.start()
        with os.fdopen(client_in, "rb") as output:
            answers: list[dict[str, Any]] = []
            while (body := read_message(output)) is not None:
                message = json.loads(body)
                if "id" in message and "method" not in message:
                    answers.append(message)
        serving.join(60)
    assert [(answer["id"], answer.get("result"), "error" in answer) for answer in answers[1:]] == [
        (2, "finished", False),
        (3, None, False),
        (4, None, True),
    ]
    assert protocol.exit_code == 0


class _ClosedPipe:
    """A writer whose pipe the client closed."""

    def __init__(self) -> None:
        self.attempts = 0

    def write(self, data: bytes) -> None:
        self.attempts += 1
        raise ValueError("write to closed file")

    def close(self) -> None:
        pass


def test_a_closed_pipe_ends_the_sending_quietly(caplog: pytest.LogCaptureFixture) -> None:
    server = create_server()
    pipe = _ClosedPipe()
    server.protocol.set_writer(pipe)  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG):
        for number in range(20):
            server.window_log_message(
                types.LogMessageParams(type=types.MessageType.Info, message=f"{number}")
            )
    assert pipe.attempts == 1
    assert [record.levelno for record in caplog.records if record.exc_info] == []
    assert len([record for record in caplog.records if record.levelno >= logging.WARNING]) == 1
