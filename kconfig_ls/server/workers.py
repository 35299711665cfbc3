"""Worker threads that never hold the process open.

`ThreadPoolExecutor` joins its threads at interpreter exit, so an `exit`
notification that arrives while the tree is being indexed (seconds on
Linux) would keep the editor waiting for the server to go away. These
workers are daemon threads: when the server exits, unfinished work is
simply abandoned, which is right for work whose only consumer is gone.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, ParamSpec, TypeVar

__all__ = ["DaemonThreadExecutor"]

Parameters = ParamSpec("Parameters")
Result = TypeVar("Result")

_Task = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


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
