"""Hypothesis over mutated real Kconfig, C, Makefile and defconfig files (bounded for CI).

Few examples, derandomized (the same ones every run, so a failure is
reproducible and CI does not flake), with a deadline per example. The
longer run is `bench/fuzz_hostile.py`.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.fuzz import FRAGMENTS, SAMPLES, Mutation, exercise, mutate

mutations = st.builds(
    Mutation,
    at=st.floats(min_value=0, max_value=1),
    delete=st.integers(min_value=0, max_value=40),
    insert=st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=8)),
)
trees = st.fixed_dictionaries(
    {
        relative: st.lists(mutations, max_size=6).map(lambda m, data=data: mutate(data, m))
        for relative, data in SAMPLES.items()
    }
)
offsets = st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=4)


@settings(
    max_examples=12,
    deadline=timedelta(seconds=20),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=trees, positions=offsets)
def test_mutated_real_files_never_crash_any_layer(files: dict[str, bytes], positions: list[float]) -> None:
    exercise(files, positions)


def test_the_unmutated_samples_load_and_answer() -> None:
    exercise(dict(SAMPLES), [0.0, 0.5, 0.99])
