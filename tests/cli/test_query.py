"""`kconfig-ls query`: the headless navigation command, on the bundled example tree."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kconfig_ls.cli.main import build_parser
from kconfig_ls.cli.query import run_query
from tests.fixtures import write_fixture


def query(example: Path, tmp_path: Path, *argv: str) -> tuple[int, dict[str, object] | str]:
    arguments = build_parser().parse_args(["query", *argv, "--cache-dir", str(tmp_path / "cache")])
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_query(arguments, stdout, stderr)
    return code, json.loads(stdout.getvalue()) if code == 0 else stderr.getvalue()


def positions(answer: dict[str, object]) -> list[tuple[object, ...]]:
    results = answer["results"]
    assert isinstance(results, list)
    return [(r["path"], r["line"], r["column"], *([r["kind"]] if "kind" in r else [])) for r in results]


@pytest.fixture
def before(example_before: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(example_before)
    return example_before


def test_definition_from_an_ifdef_lands_on_the_config_entry(before: Path, tmp_path: Path) -> None:
    code, answer = query(before, tmp_path, "definition", "mm/migrate.c:10:12")
    assert code == 0 and isinstance(answer, dict)
    assert positions(answer) == [("mm/Kconfig", 32, 8)]


def test_definition_from_endif_lands_on_the_opening_if(before: Path, tmp_path: Path) -> None:
    _, answer = query(before, tmp_path, "definition", "mm/migrate.c:15:3")
    assert isinstance(answer, dict) and positions(answer) == [("mm/migrate.c", 10, 2)]


def test_references_cross_kconfig_c_makefiles_and_config_files(before: Path, tmp_path: Path) -> None:
    _, answer = query(before, tmp_path, "references", "mm/Kconfig:32:10")
    assert isinstance(answer, dict)
    kinds = {(path, kind) for path, _, _, kind in positions(answer)}
    assert {
        ("mm/Kconfig", "definition"),
        ("mm/Kconfig", "select"),
        ("init/Kconfig", "depends on"),
        ("mm/migrate.c", "#if condition"),
        ("mm/migrate.c", "#else/#endif comment"),
        ("mm/migrate.c", "IS_ENABLED() in code"),
        ("mm/Makefile", "Makefile list"),
        ("configs/example_defconfig", "configuration file"),
    } <= kinds


def test_guard_of_a_nested_line(before: Path, tmp_path: Path) -> None:
    _, answer = query(before, tmp_path, "guard", "mm/migrate.c:29:1")
    assert isinstance(answer, dict) and answer["guard"] == "CONFIG_NUMA && CONFIG_NUMA_BALANCING"
    _, outside = query(before, tmp_path, "guard", "mm/migrate.c:5:1")
    assert isinstance(outside, dict) and outside["guard"] == ""


def test_hover_on_endif_names_the_block(before: Path, tmp_path: Path) -> None:
    _, answer = query(before, tmp_path, "hover", "mm/migrate.c:15:3")
    assert isinstance(answer, dict)
    assert answer["markdown"] == (
        "`#endif` of the block opened at line 10:\n\n```c\n#ifdef CONFIG_MIGRATION\n"
        "#endif /* CONFIG_MIGRATION */  // <- here\n```\n\nIt closes `CONFIG_MIGRATION`."
    )


@pytest.mark.parametrize(
    "position", ["mm/migrate.c", "mm/migrate.c:x:1", "nowhere.c:1:1", "mm/migrate.c:0:1"]
)
def test_bad_positions_are_usage_errors(before: Path, tmp_path: Path, position: str) -> None:
    code, message = query(before, tmp_path, "definition", position)
    assert code == 2 and isinstance(message, str) and message.startswith("kconfig-ls query: error:")


ENV_TREE = """
//- /Kconfig
mainmenu "Test"
source "$(EXTRA_DIR)/Kconfig"
//- /extra/Kconfig
config FROM_EXTRA
	bool "from extra"
	default y
//- /main.c
#ifdef CONFIG_FROM_EXTRA
#endif
"""


def test_env_sets_variables_for_source_paths_as_lint_does(tmp_path: Path) -> None:
    root = write_fixture(tmp_path / "tree", ENV_TREE).root
    common = ("--project", str(root))
    hover = ("hover", f"{root}/main.c:1:12", *common)
    code, answer = query(root, tmp_path, *hover, "--env", "EXTRA_DIR=extra")
    assert code == 0 and isinstance(answer, dict)
    assert "**Sourced** `Kconfig:2` \u2192 `extra/Kconfig`" in str(answer["markdown"])
    # Without the variable, `source` reads "/Kconfig": extra/Kconfig is not reached.
    code, answer = query(root, tmp_path, *hover)
    assert code == 0 and isinstance(answer, dict) and "(only for not sourced)" in str(answer["markdown"])
    code, answer = query(root, tmp_path, "why", "FROM_EXTRA", *common, "--env", "EXTRA_DIR=extra")
    assert code == 0 and isinstance(answer, dict)
    assert answer["summary"] == "FROM_EXTRA = y, default y (extra/Kconfig:3)"
    code, errors = query(root, tmp_path, "why", "FROM_EXTRA", *common)
    assert code == 2 and "FROM_EXTRA is not defined for this tree" in str(errors)
    code, errors = query(root, tmp_path, *hover, "--env", "EXTRA_DIR")
    assert code == 2 and "--env expects NAME=VALUE, got 'EXTRA_DIR'" in str(errors)


@pytest.fixture
def after(example_after: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(example_after)
    return example_after


def test_hover_with_the_logic_explains_the_selects_and_the_guards(after: Path, tmp_path: Path) -> None:
    """The reviewer's two statements, each read in one hover (issue 9)."""
    _, answer = query(after, tmp_path, "hover", "--logic", "mm/Kconfig:38:9")
    assert isinstance(answer, dict) and isinstance(answer["markdown"], str)
    title, logic, finding, *_ = answer["markdown"].split("\n\n")
    assert (title, logic) == ("### MIGRATION", "**Logic**")
    assert finding.startswith(r"- BALLOON\_COMPACTION selects MIGRATION, but MIGRATION depends on MMU")
    assert r"- `COMPACTION && MMU` (`mm/Kconfig:16`)" in answer["markdown"]
    _, endif = query(after, tmp_path, "hover", "--logic", "mm/migrate.c:52:3")
    assert isinstance(endif, dict) and isinstance(endif["markdown"], str)
    assert endif["markdown"].endswith(
        r"- \#ifdef CONFIG\_NUMA is redundant: everything inside is guarded by \#ifdef CONFIG\_NUMA\_MIGRATION "
        r"and \#ifdef CONFIG\_NUMA\_BALANCING, which imply it *(KLS206 redundant-guard)*"
    )
    _, plain = query(after, tmp_path, "hover", "mm/Kconfig:38:9")
    assert isinstance(plain, dict) and "**Logic**" not in str(plain["markdown"])
