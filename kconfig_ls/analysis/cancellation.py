"""Cancellation of long queries on snapshots that a newer change has made stale.

rust-analyzer's rule: applying a change cancels every query still running on
an older snapshot; a query checks its token between units of work and
raises `Cancelled`, and the client asks again on the new snapshot. Short
queries (a hover) never check: they finish on the text they were asked on.
"""

from __future__ import annotations

import threading

__all__ = ["Cancelled", "CancellationToken"]


class Cancelled(Exception):
    """The snapshot a query ran on was superseded by a change."""


class CancellationToken:
    """Set once, by the host, when a newer change arrives."""

    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `Cancelled` when the snapshot is stale."""
        if self._event.is_set():
            raise Cancelled()
