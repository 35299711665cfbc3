"""The engine on the real Linux 6.12 tree (skipped when the corpus is absent).

`.ci/run` installs the corpus (`bench/get_corpus.sh`), so CI always runs these.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.syntax.kconfig import ChoiceEntry, ConfigEntry, IfBlock, MenuEntry, parse_kconfig

pytestmark = pytest.mark.linux

_TREE = Path(os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12"))


@pytest.fixture(scope="module")
def tree() -> Path:
    if not (_TREE / "mm" / "Kconfig").is_file():
        pytest.skip(
            f"Linux 6.12 corpus not found at {_TREE}; run bench/get_corpus.sh or set KCONFIG_LS_LINUX_TREE"
        )
    return _TREE


@pytest.fixture(scope="module")
def workspace(tree: Path) -> KconfigModel:
    loaded = KconfigModel(workspace_settings(str(tree), ProjectSettings(), arch="x86"))
    loaded.load()
    return loaded


def _count_entries(nodes: list) -> int:  # type: ignore[type-arg]
    count = 0
    for node in nodes:
        if isinstance(node, ConfigEntry):
            count += 1
        elif isinstance(node, (MenuEntry, ChoiceEntry, IfBlock)):
            count += _count_entries(node.children)
    return count


@pytest.mark.parametrize(
    "broken_line",
    ["\tsel", "\tdepends on ", "\tdefault y if (", '\tbool "unterminated', "junk junk", "endmenu"],
)
def test_one_broken_line_keeps_every_entry_of_mm_kconfig(tree: Path, broken_line: str) -> None:
    lines = (tree / "mm" / "Kconfig").read_bytes().splitlines(keepends=True)
    intact = _count_entries(parse_kconfig(b"".join(lines)).nodes)
    # mm/Kconfig of 6.12 has 158 config/menuconfig entries; the "316" quoted
    # for tree-sitter-kconfig counts each entry twice (the entry node and its
    # anonymous `config` keyword child share the node type name).
    assert intact == 158
    # Every 5th line keeps the test fast; the benchmark-free sweep of all
    # lines gave the same result when this was written.
    for position in range(0, len(lines) + 1, 5):
        broken = b"".join(lines[:position]) + broken_line.encode() + b"\n" + b"".join(lines[position:])
        assert _count_entries(parse_kconfig(broken).nodes) == intact, position


def test_linux_x86_loads_without_running_commands(workspace: KconfigModel) -> None:
    reached = {
        name for name, definitions in workspace.definitions.items() if any(d.reached for d in definitions)
    }
    # kconfiglib's count for x86 with the `modules` shim (the exact agreement is tested in
    # test_kconfiglib_agreement.py): 17,704 on 6.12 before Debian's 6.12.118, 17,703 on it.
    assert 17_600 < len(reached) < 17_800
    # 1,795 since Linux's own Kconfig test fixtures and documentation examples
    # (scripts/kconfig/tests, Documentation/kbuild/Kconfig.*: 18 files) are excluded.
    assert len(workspace.files) >= 1790
    # `$(cc-option,...)` and friends stay unknown instead of aborting the load.
    assert "CC_IS_GCC" in workspace.definitions


def test_select_visible_reports_compaction_and_cma_selecting_migration(workspace: KconfigModel) -> None:
    findings = run_checks(CheckContext(workspace), RuleSettings(select=frozenset({"select-visible"})))
    migration = sorted(
        (workspace.relative(f.location.path), workspace.line_of(f.location) + 1, f.severity.label)
        for f in findings
        if " selects MIGRATION," in f.message
    )
    assert migration == [("mm/Kconfig", 679, "warning"), ("mm/Kconfig", 971, "warning")]


def test_no_recursive_dependency_in_linux_x86(workspace: KconfigModel) -> None:
    findings = run_checks(CheckContext(workspace), RuleSettings(select=frozenset({"recursive-dependency"})))
    assert [f.message for f in findings] == []
