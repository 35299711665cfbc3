"""Worker threads that never hold the process open, and the priority of the editor's requests.

`ThreadPoolExecutor` joins its threads at interpreter exit, so an `exit`
notification that arrives while the tree is being indexed (seconds on
Linux) would keep the editor waiting for the server to go away. These
workers are daemon threads: when the server exits, unfinished work is
simply abandoned, which is right for work whose only consumer is gone.

`ForegroundGate` gives the editor's requests priority over the whole-tree
checks. Python threads share one interpreter lock: a hover answered while
the checks run got the lock for one switch interval in two, and waited a
switch interval at every hand-off between threads. The checks wait at the
gate (releasing the lock) at each of their cancellation checkpoints while
a request or a keystroke's publish is in flight. Between checkpoints, or in
work without any (the code index build), a thread that wants the lock
waits for the switch interval: a gate made with `foreground_switch_interval`
shortens it while the foreground is busy, and restores it after.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, Final, ParamSpec, TypeVar

from kconfig_ls.analysis.cancellation import CancellationToken

__all__ = ["DaemonThreadExecutor", "ForegroundGate", "YieldingToken"]

Parameters = ParamSpec("Parameters")
Result = TypeVar("Result")

_Task = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]
# The longest a background checkpoint waits for the foreground: a stream of
# requests slows the checks down but never stops them.
_LONGEST_YIELD_SECONDS: Final = 0.05


class ForegroundGate:
    """Counts the foreground work in flight; background work waits at its checkpoints while any is."""

    def __init__(self, foreground_switch_interval: float | None = None) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self._idle = threading.Event()
        self._idle.set()
        self._foreground_interval = foreground_switch_interval
        self._background_interval: float | None = None

    def enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            if self._in_flight == 1 and self._foreground_interval is not None:
                self._background_interval = sys.getswitchinterval()
                sys.setswitchinterval(min(self._foreground_interval, self._background_interval))
            self._idle.clear()

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1
            if self._in_flight <= 0:
                self._in_flight = 0
                if self._background_interval is not None:
                    sys.setswitchinterval(self._background_interval)
                    self._background_interval = None
                self._idle.set()

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def wait_until_idle(self, timeout: float = _LONGEST_YIELD_SECONDS) -> None:
        """Called by background work between units of work: give way to the foreground."""
        if not self._idle.is_set():
            self._idle.wait(timeout)


class YieldingToken(CancellationToken):
    """A snapshot's cancellation token whose checkpoints also give way to the foreground."""

    __slots__ = ("_gate", "_token")

    def __init__(self, token: CancellationToken, gate: ForegroundGate) -> None:
        super().__init__()
        self._token = token
        self._gate = gate

    def cancel(self) -> None:
        self._token.cancel()

    @property
    def cancelled(self) -> bool:
        return self._token.cancelled

    def check(self) -> None:
        self._gate.wait_until_idle()
        self._token.check()


class DaemonThreadExecutor(Executor):
    """A fixed number of daemon threads taking tasks from one queue, in order."""

    def __init__(self, workers: int, name: str) -> None:
        self._tasks: queue.SimpleQueue[_Task | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{index}", daemon=True)
            for index in range(workers)
        ]
        self._started = False
        self._closed = False
        self._start_lock = threading.Lock()

    def submit(
        self, fn: Callable[Parameters, Result], /, *args: Parameters.args, **kwargs: Parameters.kwargs
    ) -> Future[Result]:
        if self._closed:
            raise RuntimeError("cannot schedule work after shutdown")
        with self._start_lock:
            if not self._started:
                for thread in self._threads:
                    thread.start()
                self._started = True
        future: Future[Result] = Future()
        self._tasks.put((future, fn, args, kwargs))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed = True
        if cancel_futures:
            while True:
                try:
                    task = self._tasks.get_nowait()
                except queue.Empty:
                    break
                if task is not None:
                    task[0].cancel()
        for _ in self._threads:
            self._tasks.put(None)
        if wait and self._started:
            for thread in self._threads:
                if thread is not threading.current_thread():
                    thread.join()

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            future, function, args, kwargs = task
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = function(*args, **kwargs)
            except BaseException as error:
                future.set_exception(error)
            else:
                future.set_result(result)
