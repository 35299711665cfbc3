"""A debounce with a maximum wait, for the work the server does after a burst of changes.

The whole-tree checks and the configuration status wait for a pause in the
edits (a keystroke's results are out of date by the next one), but a pure
debounce is postponed by every change: a client that keeps changing a file
faster than the pause (typing without stopping, a formatter, a plugin that
re-sends documents) would never get them. Like an editor's debounce with
`maxWait`, the callback runs after `delay` without a new change, or at the
latest `maximum` after the first change it waits for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

__all__ = ["Debounce"]


class Debounce:
    """Calls `callback` on the event loop after a pause in `schedule` calls, or `maximum` after the first."""

    def __init__(self, callback: Callable[[], None], delay: float, maximum: float) -> None:
        self.callback = callback
        self.delay = delay
        self.maximum = maximum
        self._timer: asyncio.TimerHandle | None = None
        self._waiting_since: float | None = None

    @property
    def pending(self) -> bool:
        return self._timer is not None

    def schedule(self, loop: asyncio.AbstractEventLoop, *, immediately: bool = False) -> None:
        now = loop.time()
        if self._timer is not None:
            self._timer.cancel()
        if self._waiting_since is None:
            self._waiting_since = now
        deadline = self._waiting_since + max(self.maximum, self.delay)
        when = now if immediately else min(now + self.delay, deadline)
        self._timer = loop.call_at(max(when, now), self._fire)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        self._waiting_since = None

    def _fire(self) -> None:
        self._timer = None
        self._waiting_since = None
        self.callback()
