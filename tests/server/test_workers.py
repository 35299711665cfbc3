"""The foreground gate (requests before whole-tree checks) and the event loop's reader of the client's pipe."""

from __future__ import annotations

import asyncio
import os
import threading
from pathlib import Path

import pytest

from kconfig_ls.analysis.cancellation import CancellationToken, Cancelled
from kconfig_ls.server.server import PipeReader, readable_by_the_loop
from kconfig_ls.server.workers import ForegroundGate, YieldingToken


def test_background_checkpoints_wait_while_a_request_is_in_flight() -> None:
    gate = ForegroundGate()
    token = YieldingToken(CancellationToken(), gate)
    passed = threading.Event()

    def background() -> None:
        gate.wait_until_idle(timeout=60)
        token.check()
        passed.set()

    gate.enter()
    gate.enter()  # two requests in flight
    worker = threading.Thread(target=background)
    worker.start()
    gate.leave()
    assert not passed.wait(0.2)  # one request still in flight: the checkpoint waits
    gate.leave()
    worker.join(60)
    assert passed.is_set() and not gate.busy


def test_a_yielding_token_is_cancelled_with_its_snapshot() -> None:
    snapshot_token = CancellationToken()
    token = YieldingToken(snapshot_token, ForegroundGate())
    token.check()
    snapshot_token.cancel()
    assert token.cancelled
    with pytest.raises(Cancelled):
        token.check()


def test_a_busy_gate_only_delays_a_checkpoint() -> None:
    # A stream of requests slows the checks down, never stops them.
    gate = ForegroundGate()
    gate.enter()
    YieldingToken(CancellationToken(), gate).check()
    assert gate.busy


def test_the_event_loop_reads_messages_from_a_pipe() -> None:
    read_end, write_end = os.pipe()
    header = b"Content-Length: 11\r\n\r\n"
    with os.fdopen(read_end, "rb") as stream:
        assert readable_by_the_loop(stream)

        async def read() -> list[bytes]:
            reader = PipeReader(stream)
            os.write(write_end, header + b'{"a":')
            first = [await reader.readline(), await reader.readline()]
            os.write(write_end, b' 1234}{"b"')
            os.close(write_end)
            body = await reader.readexactly(11)
            # The client went away in the middle of a message: what came, then the end.
            return [*first, body, await reader.readexactly(10), await reader.readline()]

        assert asyncio.run(read()) == [b"Content-Length: 11\r\n", b"\r\n", b'{"a": 1234}', b'{"b"', b""]


def test_a_regular_file_is_read_by_threads_not_the_loop(tmp_path: Path) -> None:
    messages = tmp_path / "messages"
    messages.write_bytes(b"")
    with messages.open("rb") as stream:
        assert not readable_by_the_loop(stream)
