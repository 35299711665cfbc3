"""The server's debounce: after a pause, or at the latest its maximum wait after the first change."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import pytest

from kconfig_ls.server.debounce import Debounce


class FakeTimer:
    def __init__(self, when: float, callback: Any) -> None:
        self.when, self.callback, self.cancelled = when, callback, False

    def cancel(self) -> None:
        self.cancelled = True


class FakeLoop:
    """A loop whose clock moves only when the test says (no wall-clock time in the test)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[FakeTimer] = []

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Any) -> FakeTimer:
        timer = FakeTimer(when, callback)
        self.timers.append(timer)
        return timer

    def advance_to(self, moment: float) -> None:
        self.now = moment
        for timer in sorted(self.timers, key=lambda timer: timer.when):
            if not timer.cancelled and timer.when <= moment:
                timer.cancelled = True
                timer.callback()


@pytest.mark.parametrize(
    ("changes", "expected_runs"),
    [
        # One change: a run after the pause.
        ((0.0,), [0.3]),
        # Changes with pauses shorter than the delay: one run, after the last one's pause.
        ((0.0, 0.2, 0.4), [0.7]),
        # Changes that keep coming every 0.1 s: not postponed past the maximum wait (1 s).
        (tuple(step / 10 for step in range(30)), [1.0, 2.0, 3.0]),
    ],
)
def test_runs_after_a_pause_or_at_the_maximum_wait(
    changes: tuple[float, ...], expected_runs: list[float]
) -> None:
    loop = FakeLoop()
    runs: list[float] = []
    debounce = Debounce(lambda: runs.append(round(loop.now, 3)), delay=0.3, maximum=1.0)
    moments = sorted({*changes, *(step / 10 for step in range(60))})
    for moment in moments:
        loop.advance_to(moment)
        if moment in changes:
            debounce.schedule(cast(asyncio.AbstractEventLoop, loop))
    assert runs == expected_runs


def test_immediately_runs_now_and_cancel_forgets_the_wait() -> None:
    loop = FakeLoop()
    runs: list[float] = []
    debounce = Debounce(lambda: runs.append(loop.now), delay=0.3, maximum=1.0)
    debounce.schedule(cast(asyncio.AbstractEventLoop, loop))
    debounce.cancel()
    loop.advance_to(2.0)
    assert runs == [] and not debounce.pending
    debounce.schedule(cast(asyncio.AbstractEventLoop, loop), immediately=True)
    loop.advance_to(2.0)
    assert runs == [2.0]
