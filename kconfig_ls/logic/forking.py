"""One computation in a forked child process on the formula already built, its JSON result through a pipe.

Why fork: the logic's analyses run on one all-architecture formula that takes
tens of seconds to build and seconds to load into a solver. A forked child
inherits both (copy-on-write), so a second core can answer half the questions
of an analysis at no set-up cost: the liveness while the selects are computed
(`logic.world_analysis`), half the `#if` block questions (`logic.dead_blocks`).

The rules every caller follows:

- nothing is forked from a process with threads (the language server: a
  thread may hold a lock the child would inherit held) or where `os.fork`
  is missing; the caller then computes in-process (`fork_computation`
  returns None);
- the child never writes to stdout (the report, JSON-RPC): its descriptor 1
  is a copy of stderr's; it runs none of the parent's exit handlers
  (`os._exit`), and its result is plain JSON (never pickle);
- a child that fails gives no result (`ForkedChild.result` returns None)
  and the parent does the work itself, so a failed fork changes the time,
  never the answers;
- a parent that stops early (cancelled, an exception) kills its child
  (`ForkedChild.stop`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["ForkedChild", "can_fork", "fork_computation"]


class ForkedChild:
    """A forked child computing one result; its JSON arrives through a pipe."""

    def __init__(self, pid: int, descriptor: int) -> None:
        self.pid = pid
        self.descriptor = descriptor

    def result(self) -> dict[str, Any] | None:
        """The child's result once it has finished (None: it failed)."""
        chunks: list[bytes] = []
        try:
            with os.fdopen(self.descriptor, "rb") as pipe:
                while chunk := pipe.read(1 << 20):
                    chunks.append(chunk)
        except OSError:
            chunks = []
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or not chunks:
            return None
        try:
            data = json.loads(b"".join(chunks))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def stop(self) -> None:
        """Kill the child and reap it (its result is not wanted)."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.descriptor)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)


def can_fork() -> bool:
    """Whether this process may fork a child (see the module docstring)."""
    return hasattr(os, "fork") and threading.active_count() <= 1


def fork_computation(compute: Callable[[], dict[str, Any]]) -> ForkedChild | None:
    """Run `compute` in a forked child; None when this process may not fork (compute in-process)."""
    if not can_fork():
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            os.dup2(2, 1)  # whatever the child prints goes to stderr, never into the report
            data = json.dumps(compute()).encode()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return ForkedChild(pid, read_end)
