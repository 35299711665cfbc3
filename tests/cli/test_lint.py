"""`kconfig-ls lint` end to end: formats, exit codes, the example trees."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kconfig_ls.cli.lint import run_lint
from kconfig_ls.cli.main import build_parser


def lint(*argv: str) -> tuple[int, str, str]:
    arguments = build_parser().parse_args(["lint", *argv])
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_lint(arguments, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_before_tree_reports_the_seed_selects(example_before: Path) -> None:
    code, output, _ = lint(str(example_before), "--no-logic")
    assert code == 1
    lines = [line for line in output.splitlines() if not line.startswith(" ")]
    assert lines == [
        f'mm/Kconfig:{line}:2: warning: {selector} selects MIGRATION, which has a prompt ("Page migration"); '
        "use 'depends on MIGRATION' or 'imply MIGRATION', or make MIGRATION prompt-less [KLS001]"
        for line, selector in ((10, "MEMORY_HOTREMOVE"), (16, "COMPACTION"), (25, "CMA"))
    ]
    assert "    mm/Kconfig:33:2: note: prompt of MIGRATION" in output


def test_the_logic_regrades_the_seed_selects_as_hints(example_before: Path) -> None:
    """Every selector of MIGRATION depends on MMU: the selects only bypass the prompt."""
    code, output, _ = lint(str(example_before), "--no-cache")
    lines = [line for line in output.splitlines() if not line.startswith(" ")]
    assert code == 0 and len(lines) == 3
    assert all(
        ": hint: " in line and "the selector already guarantees MIGRATION's dependencies" in line
        for line in lines
    )
    assert "which the select ignores" not in output


def test_after_tree_is_clean(example_after: Path) -> None:
    assert lint(str(example_after)) == (0, "", "")


def test_after_tree_shows_the_selector_that_does_not_depend_on_mmu(
    example_after: Path, tmp_path: Path
) -> None:
    """The reviewer's rule: whatever selects MIGRATION must depend on MMU (arm: MMU can be n)."""
    code, output, errors = lint(str(example_after), "--preview", "--no-cache", "--witness-dir", str(tmp_path))
    assert code == 1
    # COMPACTION, CMA, MEMORY_HOTREMOVE and NUMA_MIGRATION depend on MMU: no finding.
    assert [line for line in output.splitlines() if not line.startswith(" ")] == [
        "mm/Kconfig:58:2: warning: BALLOON_COMPACTION selects MIGRATION, but MIGRATION depends on MMU, "
        "which can be n while BALLOON_COMPACTION is y (arm: MMU=n, BALLOON_COMPACTION=y) [KLS201]",
        "mm/mempolicy.c:12:1: information: #ifdef CONFIG_NUMA always holds here: "
        "the file is only built when NUMA (mm/Makefile) implies it [KLS206]",
        "mm/migrate.c:10:1: information: #ifdef CONFIG_MIGRATION always holds here: "
        "the file is only built when MIGRATION (mm/Makefile) implies it [KLS206]",
        # The reviewer's second statement.
        "mm/migrate.c:38:1: information: #ifdef CONFIG_NUMA is redundant: everything inside is guarded by "
        "#ifdef CONFIG_NUMA_MIGRATION and #ifdef CONFIG_NUMA_BALANCING, which imply it [KLS206]",
    ]
    witness = (tmp_path / "BALLOON_COMPACTION-selects-MIGRATION.config").read_text()
    assert "CONFIG_BALLOON_COMPACTION=y" in witness and "# CONFIG_MMU is not set" in witness
    assert "wrote 1 witness files" in errors


def test_json_output(example_before: Path) -> None:
    code, output, _ = lint(str(example_before), "--no-logic", "--format", "json")
    document = json.loads(output)
    assert code == 1
    assert document["summary"]["by_rule"] == {"select-visible": 3}
    first = document["findings"][0]
    assert (first["code"], first["rule"], first["path"], first["line"], first["column"]) == (
        "KLS001",
        "select-visible",
        "mm/Kconfig",
        10,
        2,
    )
    assert first["related"][0]["message"] == "prompt of MIGRATION"


def test_sarif_output_validates_against_the_sarif_2_1_0_object_model(example_before: Path) -> None:
    sarif_pydantic = pytest.importorskip("sarif_pydantic", reason="a dev dependency: pip install -e '.[dev]'")
    _, output, _ = lint(str(example_before), "--format", "sarif")
    document = json.loads(output)
    sarif_pydantic.Sarif.model_validate(document)
    document["runs"][0]["results"][0]["level"] = "loud"  # the check can fail
    with pytest.raises(ValueError):
        sarif_pydantic.Sarif.model_validate(document)


def test_sarif_output_has_the_required_shape(example_before: Path) -> None:
    _, output, _ = lint(str(example_before), "--no-logic", "--format", "sarif")
    document = json.loads(output)
    assert document["version"] == "2.1.0"
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "KLS001" in rule_ids
    result = run["results"][0]
    assert result["ruleId"] == "KLS001" and result["level"] == "warning"
    assert rule_ids[result["ruleIndex"]] == "KLS001"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 10 and region["startColumn"] == 2
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "mm/Kconfig"


@pytest.mark.parametrize(
    ("arguments", "expected_code"),
    [
        (["--fail-on", "error"], 0),
        (["--fail-on", "never"], 0),
        (["--severity", "select-visible=error", "--fail-on", "error"], 1),
        (["--ignore", "KLS001"], 0),
        (["--select", "undefined-symbol"], 0),
        (["--select", "no-such-rule"], 2),
        (["--severity", "select-visible=loud"], 2),
    ],
)
def test_exit_codes(example_before: Path, arguments: list[str], expected_code: int) -> None:
    assert lint(str(example_before), *arguments)[0] == expected_code


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, error = lint(str(tmp_path / "nowhere"))
    assert code == 2 and "no such file or folder" in error


def test_filtering_to_a_path(example_before: Path) -> None:
    assert lint(str(example_before / "init"))[0] == 0


def test_command_line_entry_point_writes_only_the_report_to_stdout(example_before: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "kconfig_ls", "lint", "--no-logic", "--format", "json", str(example_before)],
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 1
    assert json.loads(completed.stdout)["summary"]["findings"] == 3


def test_linux_tools_folder_is_not_indexed_unless_configured(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    (tree / "arch" / "x86").mkdir(parents=True)
    (tree / "tools" / "perf").mkdir(parents=True)
    (tree / "Kconfig").write_text('source "arch/$(SRCARCH)/Kconfig"\n')
    (tree / "arch" / "x86" / "Kconfig").write_text("config X86\n\tdef_bool y\n")
    (tree / "tools" / "perf" / "Makefile.config").write_text("ifdef CONFIG_LIBBPF\nendif\n")
    arguments = [str(tree), "--arch", "x86", "--no-cache", "--select", "undefined-symbol-in-code"]
    assert lint(*arguments)[0] == 0
    (tree / ".kconfig-ls.toml").write_text("code-exclude = []\n")
    code, output, _ = lint(*arguments)
    assert code == 1 and "tools/perf/Makefile.config:1:7: warning: CONFIG_LIBBPF" in output


BUILDROOT_UNMET_SELECT = """
//- /Config.in
mainmenu "Buildroot"
source "package/Config.in"
//- /Makefile
export BR2_VERSION := 2026.08
//- /package/Config.in
config BR2_USE_MMU
	bool "MMU"
config BR2_PACKAGE_LIBFOO
	bool "libfoo"
	depends on BR2_USE_MMU
config BR2_PACKAGE_BAR
	bool "bar"
	select BR2_PACKAGE_LIBFOO
"""


def test_a_buildroot_witness_is_spelt_as_buildroots_conf_writes_its_config(tmp_path: Path) -> None:
    """Buildroot's `conf` is built with `CONFIG_=""`: its `.config` says `BR2_X=y`, not `CONFIG_BR2_X=y`."""
    from tests.fixtures import write_fixture

    tree, witnesses = tmp_path / "tree", tmp_path / "witnesses"
    write_fixture(tree, BUILDROOT_UNMET_SELECT)
    code, output, errors = lint(str(tree), "--preview", "--no-cache", "--witness-dir", str(witnesses))
    assert code == 1
    assert (
        "BR2_PACKAGE_BAR selects BR2_PACKAGE_LIBFOO, but BR2_PACKAGE_LIBFOO depends on BR2_USE_MMU" in output
    )
    assert "wrote 1 witness files" in errors
    witness = (witnesses / "BR2_PACKAGE_BAR-selects-BR2_PACKAGE_LIBFOO.config").read_text().splitlines()
    # One world: no empty "()" after the header; the unmet conjunct is named.
    assert (
        witness[0]
        == "# kconfig-ls witness: BR2_PACKAGE_BAR selects BR2_PACKAGE_LIBFOO with unmet dependencies"
    )
    assert witness[1] == "# unmet here: BR2_USE_MMU=n, while BR2_PACKAGE_BAR=y"
    assert "BR2_PACKAGE_BAR=y" in witness and "# BR2_USE_MMU is not set" in witness
    assert not any("CONFIG_" in line for line in witness)
