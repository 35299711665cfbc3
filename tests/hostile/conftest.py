"""All hostile cases start at once, on first use, and each case's test takes its own result.

The expected failures (strict xfails: they mostly wait on a hang, or run
niced) all run side by side with a short bound; the healthy cases run a few
at a time with the generous bound, so that they do not starve each other.
The suite then takes about as long as its slowest cases, not the sum of
every bound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

_HEALTHY_AT_ONCE = 3


@pytest.fixture(scope="session")
def hostile_results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Future[Any]]]:
    from tests.hostile import test_server, test_trees
    from tests.hostile.harness import BOUND_SECONDS, HANG_BOUND_SECONDS, Case, lint_and_query

    def tree_job(case: Case, bound: float) -> Callable[[], Any]:
        folder = tmp_path_factory.mktemp(f"tree-{case.name}")
        return lambda: lint_and_query(case, folder, bound=bound)

    def server_job(case: test_server.ServerCase, bound: float) -> Callable[[], Any]:
        folder = tmp_path_factory.mktemp(f"server-{case.name}")
        return lambda: case.run(folder, bound)

    waiting: dict[str, Callable[[], Any]] = {}
    healthy: dict[str, Callable[[], Any]] = {}
    for param in test_trees.CASES:
        case = param.values[0]
        assert isinstance(case, Case)
        jobs = waiting if param.marks else healthy
        jobs[f"tree:{case.name}"] = tree_job(case, HANG_BOUND_SECONDS if param.marks else BOUND_SECONDS)
    for param in test_server.CASES:
        server_case = param.values[0]
        assert isinstance(server_case, test_server.ServerCase)
        jobs = waiting if param.marks else healthy
        jobs[f"server:{server_case.name}"] = server_job(
            server_case, HANG_BOUND_SECONDS if param.marks else BOUND_SECONDS
        )
    with (
        # At least one worker: with every expected failure fixed, nothing waits.
        ThreadPoolExecutor(max_workers=max(1, len(waiting))) as waiting_pool,
        ThreadPoolExecutor(max_workers=_HEALTHY_AT_ONCE) as healthy_pool,
    ):
        results = {name: waiting_pool.submit(run) for name, run in waiting.items()}
        results.update({name: healthy_pool.submit(run) for name, run in healthy.items()})
        yield results
