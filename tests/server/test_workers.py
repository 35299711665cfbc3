"""The foreground gate: the editor's requests before the whole-tree checks."""

from __future__ import annotations

import sys
import threading

import pytest

from kconfig_ls.analysis.cancellation import CancellationToken, Cancelled
from kconfig_ls.server.workers import ForegroundGate, YieldingToken


def test_background_checkpoints_wait_while_a_request_is_in_flight() -> None:
    gate = ForegroundGate()
    token = YieldingToken(CancellationToken(), gate)
    passed = threading.Event()

    def background() -> None:
        gate.wait_until_idle(timeout=60)
        token.check()
        passed.set()

    gate.enter()
    gate.enter()  # two requests in flight
    worker = threading.Thread(target=background)
    worker.start()
    gate.leave()
    assert not passed.wait(0.2)  # one request still in flight: the checkpoint waits
    gate.leave()
    worker.join(60)
    assert passed.is_set() and not gate.busy


def test_a_yielding_token_is_cancelled_with_its_snapshot() -> None:
    snapshot_token = CancellationToken()
    token = YieldingToken(snapshot_token, ForegroundGate())
    token.check()
    snapshot_token.cancel()
    assert token.cancelled
    with pytest.raises(Cancelled):
        token.check()


def test_a_busy_gate_only_delays_a_checkpoint() -> None:
    # A stream of requests slows the checks down, never stops them.
    gate = ForegroundGate()
    gate.enter()
    YieldingToken(CancellationToken(), gate).check()
    assert gate.busy


def test_the_switch_interval_is_short_while_the_foreground_is_busy() -> None:
    previous = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.004)
        gate = ForegroundGate(foreground_switch_interval=0.0003)
        gate.enter()
        gate.enter()
        assert sys.getswitchinterval() == pytest.approx(0.0003)
        gate.leave()
        assert sys.getswitchinterval() == pytest.approx(0.0003)  # one still in flight
        gate.leave()
        assert sys.getswitchinterval() == pytest.approx(0.004)
        ForegroundGate().enter()  # a gate made without an interval leaves it alone
        assert sys.getswitchinterval() == pytest.approx(0.004)
    finally:
        sys.setswitchinterval(previous)


def _square(number: int) -> int:
    return number * number


def test_the_servers_exit_ends_its_worker_processes() -> None:
    # A pool worker waiting for its next task outlives an `os._exit` of the server.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from kconfig_ls.server.main import end_child_processes

    pool = ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"))
    try:
        assert pool.submit(_square, 3).result(timeout=120) == 9
        workers = multiprocessing.active_children()
        assert workers
        end_child_processes()
        for worker in workers:
            worker.join(60)
        assert not any(worker.is_alive() for worker in workers)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
