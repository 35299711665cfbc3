"""The findings a one-shot hover explains equal the server's whole-tree solver tier where the hover looks.

`AnalysisSnapshot.explained_findings` (what `kconfig-ls query hover --logic`
uses) runs the solver tier's Kconfig rules once and the block rules on the
one C file asked about, instead of every rule over the tree. Each hover
below must read the same as with the whole tree's findings, and answering
must not have run the whole tree's rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.incremental import solver_tier_rules
from kconfig_ls.settings.analysis_settings import AnalysisSettings

# (file, the text the cursor is on, which occurrence of it), in the bundled example after the patch.
HOVERS = [
    ("mm/Kconfig", "config MIGRATION", 0),
    ("mm/Kconfig", "select MIGRATION", 4),
    ("mm/Kconfig", "config BALLOON_COMPACTION", 0),
    ("mm/migrate.c", "#endif /* CONFIG_NUMA */", 0),
    ("mm/migrate.c", "CONFIG_NUMA_BALANCING", 2),
    ("mm/migrate.c", "CONFIG_MIGRATION", 0),
]


def _loaded(example_after: Path, cache: Path) -> AnalysisHost:
    settings = AnalysisSettings(
        str(example_after), cache_directory=str(cache), rule_preview=True, logic=True, code_index_workers=1
    )
    loaded = AnalysisHost(settings)
    loaded.load()
    return loaded


@pytest.fixture(scope="module")
def host(example_after: Path, tmp_path_factory: pytest.TempPathFactory) -> AnalysisHost:
    """The host whose hovers use `explained_findings`, and never the whole tree's findings."""
    return _loaded(example_after, tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def whole_tree_host(example_after: Path, tmp_path_factory: pytest.TempPathFactory) -> AnalysisHost:
    return _loaded(example_after, tmp_path_factory.mktemp("cache"))


def _offset(path: Path, text: str, occurrence: int) -> int:
    data = path.read_bytes()
    offset = -1
    for _ in range(occurrence + 1):
        offset = data.index(text.encode(), offset + 1)
    return offset + len(text) - 2  # on the last name of the text, as a reader's cursor would be


@pytest.mark.parametrize(("file", "text", "occurrence"), HOVERS)
def test_a_hover_explains_what_the_whole_trees_findings_explain(
    host: AnalysisHost,
    whole_tree_host: AnalysisHost,
    example_after: Path,
    file: str,
    text: str,
    occurrence: int,
) -> None:
    path = str(example_after / file)
    offset = _offset(Path(path), text, occurrence)
    snapshot = host.snapshot()
    lazy = snapshot.hover(path, offset, findings_in=snapshot.explained_findings())
    assert snapshot._full_findings is None  # the whole tree's rules did not run for it
    whole_snapshot = whole_tree_host.snapshot()
    codes = {rule.code for rule in solver_tier_rules(whole_snapshot.rule_settings, logic=True)}
    solver_tier = {
        each: [finding for finding in found if finding.rule_code in codes]
        for each, found in whole_snapshot.full_findings().items()
    }
    expected = whole_snapshot.hover(path, offset, findings_in=lambda each: solver_tier.get(each, []))
    assert lazy is not None and expected is not None
    assert lazy.markdown == expected.markdown


def test_the_example_hovers_do_explain_findings(host: AnalysisHost, example_after: Path) -> None:
    """The comparison above is not vacuous: a Kconfig hover and a C hover each explain one."""
    snapshot = host.snapshot()
    for file, text, occurrence in (HOVERS[0], HOVERS[3]):
        path = str(example_after / file)
        hover = snapshot.hover(
            path, _offset(Path(path), text, occurrence), findings_in=snapshot.explained_findings()
        )
        assert hover is not None and "**Logic**" in hover.markdown, file
