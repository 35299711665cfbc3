"""Pausing the cyclic collector from several threads at once (the server's load and a keystroke's edit)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kconfig_ls.semantics.discovery import paused_garbage_collection


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was_enabled:
        gc.disable()


def test_the_collector_stays_off_until_the_last_pause_ends(collector_on: None) -> None:
    load = paused_garbage_collection()
    edit = paused_garbage_collection(freeze=False)
    load.__enter__()
    edit.__enter__()
    edit.__exit__(None, None, None)  # the edit ends while the load goes on
    assert not gc.isenabled()
    frozen_before = gc.get_freeze_count()
    survivor = [object() for _ in range(10)]
    load.__exit__(None, None, None)
    assert gc.isenabled()
    # The load froze what it allocated, although another pause had begun before it.
    assert gc.get_freeze_count() > frozen_before
    del survivor


def test_overlapping_pauses_in_the_other_order(collector_on: None) -> None:
    edit = paused_garbage_collection(freeze=False)
    load = paused_garbage_collection()
    edit.__enter__()
    load.__enter__()
    edit.__exit__(None, None, None)
    assert not gc.isenabled()  # the load is still under way
    frozen_before = gc.get_freeze_count()
    survivor = [object() for _ in range(10)]
    load.__exit__(None, None, None)
    assert gc.isenabled()
    assert gc.get_freeze_count() > frozen_before
    del survivor


def test_a_collector_switched_off_by_the_program_stays_off() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with paused_garbage_collection():
            pass
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
