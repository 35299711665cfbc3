"""Shared test setup: the repository root and the example trees."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent

# Assertion details from the shared `check_*` helpers. Registered here, in the conftest pytest
# loads first: `tests/analysis` imports them before `tests/ide` is collected, and a module
# imported before its registration is not rewritten (pytest warns, and the details are lost).
pytest.register_assert_rewrite("tests.ide.support")


@pytest.fixture(scope="session", autouse=True)
def private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The suite's own `XDG_CACHE_HOME`, for this process and the commands it starts.

    Without it, a lint run without `--cache-dir` reads and writes the user's
    `~/.cache/kconfig-ls`, so a result left there by a hand-run lint (or an
    older build) could answer a test, and the tests' results would fill it.
    """
    folder = tmp_path_factory.mktemp("cache-home")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def repository() -> Path:
    return REPOSITORY


@pytest.fixture(scope="session")
def example_before() -> Path:
    return REPOSITORY / "examples" / "before"


@pytest.fixture(scope="session")
def example_after() -> Path:
    return REPOSITORY / "examples" / "after"
