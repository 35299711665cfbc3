"""Shared test setup: the repository root and the example trees."""

from __future__ import annotations

from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def repository() -> Path:
    return REPOSITORY


@pytest.fixture(scope="session")
def example_before() -> Path:
    return REPOSITORY / "examples" / "before"


@pytest.fixture(scope="session")
def example_after() -> Path:
    return REPOSITORY / "examples" / "after"
