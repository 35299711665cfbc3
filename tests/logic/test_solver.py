"""The solver module's small helpers."""

from __future__ import annotations

import pytest

from kconfig_ls.logic.solver import unsatisfiable


@pytest.mark.parametrize(
    ("clauses", "expected"),
    [
        # Variables of a large formula, renumbered for the check: the answers stay the same.
        ([[130001, 5], [-130001], [-5]], True),
        ([[130001, 5], [-130001]], False),
        ([[130001, -7], [7, 130001], [-130001, 99999], [-99999, -130001]], True),
        ([[2, -3], [3], [-2, 200000]], False),
        ([], False),
    ],
)
def test_unsatisfiable_renumbers_without_changing_the_answer(
    clauses: list[list[int]], expected: bool
) -> None:
    assert unsatisfiable(clauses) is expected
