"""The stdio transport: the client's pipe read by a thread of its own, one hand-off per message.

pygls reads each header line and each body with a call into its thread
pool: four round trips between threads per message, and each waits for the
interpreter lock, which the whole-tree checks and the code index hold for
up to the switch interval each time (a hover's 2 ms of work took 16 ms).
Here one daemon thread reads whole messages (blocking reads release the
lock) and hands each body to the event loop with one `call_soon_threadsafe`.

While a message is on its way, and until a request's answer is sent, the
foreground gate is held (`workers.ForegroundGate`): the background work
gives way at its checkpoints and the switch interval is short.

The end of the input does not end the server at once: a client that writes
everything at once and closes the pipe (`echo ... | kconfig-ls serve`) still
gets the answers to its requests (`KconfigProtocol.wait_for_requests`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO, Final

from pygls.exceptions import JsonRpcException

from kconfig_ls.server.workers import ForegroundGate

if TYPE_CHECKING:
    from kconfig_ls.server.protocol import KconfigProtocol

__all__ = ["read_message", "serve_stream"]

_LOG = logging.getLogger(__name__)
# A header line longer than this is not LSP (asyncio's stream reader has the same default limit).
_HEADER_LIMIT: Final = 1 << 16
_CONTENT_LENGTH: Final = b"content-length"


def read_message(stream: BinaryIO) -> bytes | None:
    """The body of the next message on a blocking stream; None at the end of the input.

    Headers are `Name: value` lines ended by an empty line; only
    `Content-Length` matters (any case). A message without one is skipped,
    as pygls does; a header line over 64 KiB, or a body cut short, ends the
    input (that is no language client).
    """
    length: int | None = None
    while True:
        line = stream.readline(_HEADER_LIMIT + 1)
        if not line or len(line) > _HEADER_LIMIT:
            if len(line) > _HEADER_LIMIT:
                _LOG.error("a header line over %d bytes: not a language client; closing", _HEADER_LIMIT)
            return None
        if line.strip() == b"":
            if length is None:
                continue  # blank lines between messages, or a message without a length
            body = stream.read(length) if length else b""
            return body if len(body) == length else None
        name, _, value = line.partition(b":")
        if name.strip().lower() == _CONTENT_LENGTH:
            try:
                length = int(value.strip())
            except ValueError:
                length = None
            if length is not None and length < 0:
                length = None


async def serve_stream(
    stream: BinaryIO,
    protocol: KconfigProtocol,
    gate: ForegroundGate,
    error_handler: Callable[[Exception, type[JsonRpcException]], object] | None = None,
) -> None:
    """Handle the messages of `stream` until the input ends and its requests are answered."""
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()

    def handle(body: bytes) -> None:
        message: object = None
        try:
            message = json.loads(body, object_hook=protocol.structure_message)
            protocol.handle_message(message)
        except Exception as error:
            _LOG.exception("unable to handle a message")
            if error_handler is not None:
                error_handler(error, JsonRpcException)
        finally:
            _release_when_answered(protocol, gate, message, loop)

    def end() -> None:
        if not ended.done():
            ended.set_result(None)

    def read() -> None:
        try:
            while True:
                body = read_message(stream)
                if body is None:
                    break
                gate.enter()
                try:
                    loop.call_soon_threadsafe(handle, body)
                except RuntimeError:  # the loop is closed: the server is going away
                    gate.leave()
                    return
        except (OSError, ValueError) as error:
            _LOG.info("the client's input ended: %s", error)
        finally:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(end)

    threading.Thread(target=read, name="kconfig-ls-reader", daemon=True).start()
    await ended
    # The input ended: answer what was asked, then let the server end.
    await protocol.wait_for_requests()


def _release_when_answered(
    protocol: KconfigProtocol, gate: ForegroundGate, message: object, loop: asyncio.AbstractEventLoop
) -> None:
    """Leave the gate once the message's work is under way: a request's when its answer is sent."""
    request_id = getattr(message, "id", None) if getattr(message, "method", None) is not None else None
    future = protocol.request_future(request_id) if isinstance(request_id, int | str) else None
    if future is not None and not future.done():
        future.add_done_callback(lambda _: gate.leave())
    else:
        # A notification, or an answer already sent: leave after the first step of its handler.
        loop.call_soon(gate.leave)
