"""The JSON-RPC/LSP protocol layer: pygls' protocol with the lifecycle rules of the spec.

pygls drops some messages without an answer; an editor then waits for
ever on that request. Here every request gets a response:

- params that do not fit the method's type: -32602 (InvalidParams);
- a message that is not a request (no `jsonrpc`, a non-string method, a
  batch, a wrong version): -32600 (InvalidRequest), with `id: null` when
  the message has no usable id;
- a request after `shutdown`: -32600 (InvalidRequest);
- a request before a successful `initialize`: -32002 (ServerNotInitialized).

Notifications are never answered (the spec forbids it); after `shutdown`
and before `initialize` they are dropped.

`shutdown` is answered after the requests and notifications already
received (for at most `_LONGEST_SHUTDOWN_WAIT_SECONDS`): a client that
writes everything at once gets its answers. Messages that arrive while it
waits (`exit`, mostly) are handled after its answer, in order.

A closed pipe ends the sending quietly: pygls logged a traceback for every
message it could not write, and each log record was itself a message to
the client (hundreds of thousands of lines in a test's teardown). `exit` without `shutdown` ends
the process with code 1, with it 0 (`exit_code`, returned by
`kconfig-ls serve`).

`initialize` first checks the client's token (`authentication`), when the
server was started with one: a client without it gets an error and the
server loads nothing. We also choose the position encoding: UTF-8
whenever the client offers it (no conversion at all), else UTF-16.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Generator
from concurrent.futures import Future
from typing import Any, Final

from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage
from pygls.protocol.language_server import lsp_method
from pygls.workspace.position_codec import PositionCodec

from kconfig_ls.server import authentication, convert

__all__ = ["KconfigProtocol"]

_LOG = logging.getLogger(__name__)
_UNAUTHORIZED_CODE = -32001
# How long `shutdown` (and the end of the input) waits for the requests in flight.
_LONGEST_SHUTDOWN_WAIT_SECONDS: Final = 5.0
_CANCEL_REQUEST: Final = "$/cancelRequest"


class _Unreadable:
    """A message that could not be turned into a request or notification."""

    def __init__(self, message_id: object, is_request: bool, error: JsonRpcException) -> None:
        self.id = message_id if isinstance(message_id, int | str) else None
        self.is_request = is_request
        self.error = error


class KconfigProtocol(LanguageServerProtocol):
    """pygls' protocol, answering every request, with our choice of position encoding."""

    # A class default: pygls' constructor reads every attribute (properties too) looking for features.
    _shutting_down = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set by `kconfig-ls serve --tcp` before the first connection.
        self.required_token: str | None = None
        self.initialized_ok = False
        self.rejected = False
        self.exit_code: int | None = None
        # The raw `initialize` params: capabilities lsprotocol does not model (clangd's
        # `inactiveRegionsCapabilities`) are dropped when the params are structured.
        self.raw_initialize_params: dict[str, Any] | None = None
        # The futures of the client's messages being handled (not of our requests to the client).
        self._handled: set[Future[Any] | asyncio.Future[Any]] = set()
        # Set when `shutdown` arrives; messages after it wait for its answer.
        self._shutting_down = False
        self._deferred: list[Any] = []
        self.connection_lost = False
        self._writes: set[asyncio.Future[Any]] = set()

    # -- requests in flight ------------------------------------------------------------------

    def _execute_handler(
        self, msg_id: Any, handler: Any, callback: Any, args: Any = None, kwargs: Any = None
    ) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None and not future.done():
            self._handled.add(future)
            future.add_done_callback(self._handled.discard)

    @property
    def shutting_down(self) -> bool:
        """Whether `shutdown` has arrived (it may still wait for the requests in flight)."""
        return self._shutting_down

    def request_future(self, request_id: int | str) -> Future[Any] | asyncio.Future[Any] | None:
        """The future of a request of the client being handled (None once answered)."""
        return self._request_futures.get(request_id)  # type: ignore[return-value]

    async def wait_for_requests(
        self, excluding: object = None, timeout: float = 2 * _LONGEST_SHUTDOWN_WAIT_SECONDS
    ) -> None:
        """Wait until the client's messages received so far are handled (their answers sent)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        own = asyncio.current_task()
        while True:
            pending = [
                future if isinstance(future, asyncio.Future) else asyncio.wrap_future(future)
                for future in list(self._handled)
                if future is not excluding and future is not own and not future.done()
            ]
            remaining = deadline - loop.time()
            if not pending or remaining <= 0:
                return
            await asyncio.wait(pending, timeout=remaining)

    # -- reading -----------------------------------------------------------------------------

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" not in data:
            return super().structure_message(data)
        method = data.get("method")
        message_id = data.get("id")
        is_request = "id" in data and "method" in data
        if "method" in data and not isinstance(method, str):
            return _Unreadable(message_id, "id" in data, JsonRpcInvalidRequest("'method' must be a string"))
        if "id" in data and message_id is not None and not isinstance(message_id, int | str):
            return _Unreadable(None, True, JsonRpcInvalidRequest("'id' must be a number or a string"))
        if data.get("jsonrpc") != "2.0":
            return _Unreadable(message_id, is_request, JsonRpcInvalidRequest("'jsonrpc' must be \"2.0\""))
        if "method" not in data:
            return super().structure_message(data)  # a response to one of our requests
        # Requests and notifications are structured here rather than by pygls, which
        # logs a traceback for every bad message and then drops it unanswered.
        fallback = JsonRPCRequestMessage if "id" in data else JsonRPCNotification
        if method == types.INITIALIZE and isinstance(data.get("params"), dict):
            self.raw_initialize_params = data["params"]
        try:
            return self._converter.structure(data, self.get_message_type(method) or fallback)
        except Exception as error:  # cattrs raises many kinds; each means "bad params"
            detail = str(error).splitlines()[0][:300] if str(error) else type(error).__name__
            return _Unreadable(
                message_id, is_request, JsonRpcInvalidParams(f"invalid params for {method}: {detail}")
            )

    def handle_message(self, message: Any) -> None:
        if self._shutting_down and not self._shutdown and getattr(message, "method", None) != _CANCEL_REQUEST:
            self._deferred.append(message)  # handled once `shutdown` is answered
            return
        if isinstance(message, _Unreadable):
            _LOG.warning("unreadable message: %s", message.error.message)
            error = message.error
            if self._shutdown and message.is_request:
                error = JsonRpcInvalidRequest("the server is shutting down")
            if message.is_request or message.id is not None:
                self._send_response(message.id, error=error.to_response_error())  # type: ignore[arg-type]
            return
        if not all(hasattr(message, attribute) for attribute in ("jsonrpc",)):
            # A JSON value that is no JSON-RPC object at all (a batch, a bare value, no "jsonrpc").
            message_id = message.get("id") if isinstance(message, dict) else None
            _LOG.warning("not a JSON-RPC message: %.200r", message)
            self._send_response(
                message_id if isinstance(message_id, int | str) else None,  # type: ignore[arg-type]
                error=JsonRpcInvalidRequest("not a JSON-RPC 2.0 request").to_response_error(),
            )
            return
        method = getattr(message, "method", None)
        is_request = method is not None and hasattr(message, "id")
        if method is None or method == types.EXIT:
            super().handle_message(message)  # responses to our requests, and exit
            return
        if self._shutdown:
            if is_request:
                self._send_response(
                    message.id, error=JsonRpcInvalidRequest("the server is shutting down").to_response_error()
                )
            return
        if method != types.INITIALIZE and not self.initialized_ok:
            if is_request:
                error = (
                    JsonRpcException("not authenticated", _UNAUTHORIZED_CODE)
                    if self.rejected
                    else JsonRpcServerNotInitialized("the server is not initialized yet")
                )
                self._send_response(message.id, error=error.to_response_error())
            return
        super().handle_message(message)

    # -- writing -----------------------------------------------------------------------------

    def _send_data(self, data: Any) -> None:
        """pygls' sending, ending quietly once the client's pipe is closed."""
        if not data or self.connection_lost:
            return
        writer = self.writer
        if writer is None:
            _LOG.error("unable to send data: no transport")
            return
        try:
            body = json.dumps(data, default=self._serialize_message)
        except Exception as error:
            _LOG.exception("cannot serialize a message")
            self._server._report_server_error(error, JsonRpcException)
            return
        if self._include_headers:
            content_type = f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}"
            body = f"Content-Length: {len(body)}\r\n{content_type}\r\n\r\n{body}"
        try:
            written = writer.write(body.encode(self.CHARSET))
            if asyncio.iscoroutine(written) or isinstance(written, asyncio.Future):
                task = asyncio.ensure_future(written)
                self._writes.add(task)
                task.add_done_callback(self._writes.discard)
        except (OSError, ValueError) as error:  # a closed pipe, socket or file
            self.connection_lost = True
            _LOG.warning("the connection to the client is closed (%s); nothing more is sent", error)

    # -- lifecycle ---------------------------------------------------------------------------

    # pygls also keeps its own copy of every open document; the session's
    # document store and the host's overlay are the copies that count, so the
    # document notifications go straight to our handlers.

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: types.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._to_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: types.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._to_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: types.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        yield from self._to_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _to_handler(self, method: str, params: object) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, types.InitializeResult]:
        if self.initialized_ok:
            raise JsonRpcInvalidRequest("the server is already initialized")
        problem = authentication.check_initialize(params, self.required_token)
        if problem is not None:
            self.rejected = True
            _LOG.warning("initialize refused: %s", problem)
            raise JsonRpcException(f"kconfig-ls: {problem}", _UNAUTHORIZED_CODE)
        result: types.InitializeResult = yield from super().lsp_initialize(params)
        encoding = convert.position_encoding_for(params.capabilities)
        result.capabilities.position_encoding = encoding
        # pygls keeps its own copy of open documents too; keep it consistent.
        workspace = self.workspace
        if workspace.position_encoding != encoding:
            workspace._position_encoding = encoding
            workspace._position_codec = PositionCodec(encoding=encoding)
        self.initialized_ok = True
        return result

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args: Any) -> Generator[Any, Any, None]:
        request_id = self.msg_id
        own = self._request_futures.get(request_id) if request_id is not None else None
        self._shutting_down = True
        yield self._wait_before_shutdown, (own,), None
        if (user_handler := self.fm.features.get(types.SHUTDOWN)) is not None:
            yield user_handler, args, None
        for future in list(self._request_futures.values()):
            if future is not own and not future.done():
                future.cancel()
        self._shutdown = True
        # After the answer, which is sent when this generator returns.
        asyncio.get_running_loop().call_soon(self._handle_deferred)
        return None

    async def _wait_before_shutdown(self, own: object) -> None:
        await self.wait_for_requests(excluding=own, timeout=_LONGEST_SHUTDOWN_WAIT_SECONDS)

    def _handle_deferred(self) -> None:
        deferred, self._deferred = self._deferred, []
        for message in deferred:
            self.handle_message(message)

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        self.exit_code = 0 if self._shutdown else 1
        yield from super().lsp_exit(*args)
