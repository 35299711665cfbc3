"""Name suggestions: the indexed branch and bound answers exactly as difflib does.

Every name here starts with `BR2_`, so every name is a candidate for an
unknown name starting with it (the prefix bucket), as on Buildroot, and
the reference is difflib over all the names.
"""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.checks.names import CUTOFF, NameSuggester

_WORDS = st.text(alphabet="ABCDEI_2", min_size=1, max_size=9)


@settings(max_examples=30, deadline=None)
@given(
    suffixes=st.lists(_WORDS, min_size=250, max_size=400, unique=True),
    unknowns=st.lists(_WORDS, min_size=1, max_size=8),
)
def test_suggestions_equal_difflib_over_the_candidates(suffixes: list[str], unknowns: list[str]) -> None:
    names = ["BR2_" + suffix for suffix in suffixes]
    suggester = NameSuggester(names)
    for suffix in unknowns:
        unknown = "BR2_" + suffix
        expected = difflib.get_close_matches(unknown, sorted(names), n=1, cutoff=CUTOFF)
        assert suggester.suggest(unknown) == (expected[0] if expected else None), unknown


def test_ties_go_to_the_greatest_name_as_in_difflib() -> None:
    names = [f"BR2_PACKAGE_{number:04}" for number in range(300)] + ["BR2_PACKAGE_FOOA", "BR2_PACKAGE_FOOB"]
    suggester = NameSuggester(names)
    assert suggester.suggest("BR2_PACKAGE_FOO") == "BR2_PACKAGE_FOOB"
    assert (
        suggester.suggest("BR2_PACKAGE_0012X")
        == difflib.get_close_matches("BR2_PACKAGE_0012X", names, n=1, cutoff=CUTOFF)[0]
    )
