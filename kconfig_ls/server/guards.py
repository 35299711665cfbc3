"""Handler guards: a failing handler logs its exception and answers, the server lives on.

A cancelled request (`Cancelled`: the snapshot went stale) is not an error:
it is answered with LSP's ContentModified, so the client asks again. A
handler that refuses a request on purpose (a rename to a name that exists)
raises `RequestFailed`, which reaches the client as an error response with
its message.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from pygls.exceptions import JsonRpcException

from kconfig_ls.analysis.cancellation import Cancelled

__all__ = ["ContentModified", "RequestFailed", "guard", "guard_sync"]

_LOG = logging.getLogger(__name__)
_CONTENT_MODIFIED = -32801
_REQUEST_FAILED = -32803

AsyncHandler = TypeVar("AsyncHandler", bound=Callable[..., Awaitable[Any]])
SyncHandler = TypeVar("SyncHandler", bound=Callable[..., Any])


class ContentModified(JsonRpcException):
    """The answer was computed on text that changed meanwhile: ask again."""

    CODE = _CONTENT_MODIFIED
    MESSAGE = "content modified"


class RequestFailed(JsonRpcException):
    """The request was understood and refused; the message says why (LSP's RequestFailed)."""

    CODE = _REQUEST_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(code=_REQUEST_FAILED, message=message)


def guard(fallback: object) -> Callable[[AsyncHandler], AsyncHandler]:
    """Log any exception of an async handler and answer (a copy of) `fallback` instead."""

    def decorate(handler: AsyncHandler) -> AsyncHandler:
        @functools.wraps(handler)
        async def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except asyncio.CancelledError:
                raise
            except Cancelled:
                raise ContentModified() from None
            except JsonRpcException:
                raise
            except LookupError as error:
                _LOG.debug("%s: %s", handler.__name__, error)
                return _fresh(fallback)
            except Exception:
                _LOG.exception("%s failed", handler.__name__)
                return _fresh(fallback)

        return cast(AsyncHandler, guarded)

    return decorate


def guard_sync(fallback: object) -> Callable[[SyncHandler], SyncHandler]:
    """Log any exception of a synchronous handler and answer (a copy of) `fallback` instead."""

    def decorate(handler: SyncHandler) -> SyncHandler:
        @functools.wraps(handler)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return handler(*args, **kwargs)
            except Exception:
                _LOG.exception("%s failed", handler.__name__)
                return _fresh(fallback)

        return cast(SyncHandler, guarded)

    return decorate


def _fresh(value: object) -> object:
    """A new empty list for list fallbacks, so that no two answers share one."""
    return [] if isinstance(value, list) else value
