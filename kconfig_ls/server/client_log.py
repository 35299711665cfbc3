"""Our log records, forwarded to the client as `window/logMessage` with the right message type.

Python levels map to LSP message types one to one: ERROR -> Error, WARNING ->
Warning, INFO -> Info, DEBUG -> Log (an info record never shows as an error).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import TYPE_CHECKING, Final

from lsprotocol import types

if TYPE_CHECKING:
    from kconfig_ls.server.server import KconfigLanguageServer

__all__ = ["install_client_log_handler"]


class _ClientLogHandler(logging.Handler):
    """Forwards our log records to the client as `window/logMessage`.

    Records may come from any thread; sending happens on the loop. A
    thread-local flag stops a record logged while sending from recursing.
    """

    _LEVELS: Final = (
        (logging.ERROR, types.MessageType.Error),
        (logging.WARNING, types.MessageType.Warning),
        (logging.INFO, types.MessageType.Info),
        (logging.NOTSET, types.MessageType.Log),
    )

    def __init__(self, server: KconfigLanguageServer, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.server = server
        self.loop = loop
        self.sending = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        if (
            getattr(self.sending, "active", False)
            or self.loop.is_closed()
            or getattr(self.server.protocol, "connection_lost", False)
        ):
            return  # (a record the client cannot get stays on stderr)
        try:
            message = self.format(record)
            message_type = next(kind for level, kind in self._LEVELS if record.levelno >= level)
            record.__dict__["sent_to_client"] = True  # main.py's stderr handler then skips it
            try:
                on_loop = asyncio.get_running_loop() is self.loop
            except RuntimeError:
                on_loop = False
            if on_loop:
                self._send(message_type, message)  # keeps the order with what the loop sends next
            else:
                self.loop.call_soon_threadsafe(self._send, message_type, message)
        except Exception:
            self.handleError(record)

    def _send(self, message_type: types.MessageType, message: str) -> None:
        self.sending.active = True
        try:
            self.server.window_log_message(types.LogMessageParams(type=message_type, message=message))
        except Exception:
            pass  # the client is gone; the --log-file, if any, still has the record
        finally:
            self.sending.active = False


def install_client_log_handler(server: KconfigLanguageServer, loop: asyncio.AbstractEventLoop) -> None:
    logger = logging.getLogger("kconfig_ls")
    for handler in list(logger.handlers):
        if isinstance(handler, _ClientLogHandler):
            logger.removeHandler(handler)
    handler = _ClientLogHandler(server, loop)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
