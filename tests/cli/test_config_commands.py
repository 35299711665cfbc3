"""`kconfig-ls lint --config FILE` and `kconfig-ls query why SYMBOL --config FILE` on a small tree."""

from __future__ import annotations

import io
import json
from pathlib import Path

from kconfig_ls.cli.lint import run_lint
from kconfig_ls.cli.main import build_parser
from kconfig_ls.cli.query import run_query
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
config MMU
	bool "MMU"
config NUMA
	bool "NUMA"
	depends on MMU
config NUMA_BALANCING
	bool "NUMA balancing"
	depends on NUMA
//- /defconfig
# CONFIG_MMU is not set
CONFIG_NUMA_BALANCING=y
CONFIG_NUMA_BALANCNG=y
"""


def _run(runner: object, argv: list[str]) -> tuple[int, str, str]:
    arguments = build_parser().parse_args(argv)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = runner(arguments, stdout, stderr)  # type: ignore[operator]
    return code, stdout.getvalue(), stderr.getvalue()


def test_lint_config_reports_the_configuration_findings(tmp_path: Path) -> None:
    write_fixture(tmp_path, TREE)
    code, out, _ = _run(
        run_lint,
        [
            "lint",
            "--config",
            str(tmp_path / "defconfig"),
            "--project",
            str(tmp_path),
            "--no-cache",
            "--kconfig-only",
        ],
    )
    assert code == 1
    lines = [line.split(": ", 1)[1] for line in out.splitlines()]
    assert lines == [
        "information: CONFIG_MMU is redundant: n is its default [KLS305]",
        "warning: CONFIG_NUMA_BALANCING was set to y but is n: missing dependency NUMA [=n] [KLS303]",
        "warning: unknown symbol CONFIG_NUMA_BALANCNG; did you mean CONFIG_NUMA_BALANCING? [KLS301]",
    ]


def test_lint_config_json_and_missing_file(tmp_path: Path) -> None:
    write_fixture(tmp_path, TREE)
    code, out, _ = _run(
        run_lint,
        ["lint", "--config", str(tmp_path / "defconfig"), "--project", str(tmp_path), "--format", "json"],
    )
    document = json.loads(out)
    assert code == 1 and len(document["findings"]) == 3
    code, _, err = _run(run_lint, ["lint", "--config", str(tmp_path / "missing"), "--project", str(tmp_path)])
    assert code == 2 and "cannot read configuration file" in err


def test_query_why_prints_value_reasons_and_enabling_set(tmp_path: Path) -> None:
    write_fixture(tmp_path, TREE)
    code, out, _ = _run(
        run_query,
        [
            "query",
            "why",
            "CONFIG_NUMA_BALANCING",
            "--config",
            str(tmp_path / "defconfig"),
            "--project",
            str(tmp_path),
        ],
    )
    assert code == 0
    answer = json.loads(out)
    assert answer["value"] == "n"
    assert answer["summary"] == "NUMA_BALANCING = n, missing dependency NUMA [=n]"
    assert [reason["kind"] for reason in answer["reasons"]] == ["dependency", "ignored"]
    assert answer["blockers"][0]["operand"] == "NUMA [=n]"
    # The file sets NUMA_BALANCING already: only its dependencies are missing.
    assert answer["enabling_set"] == {"MMU": "y", "NUMA": "y"}
    code, _, err = _run(run_query, ["query", "why", "NOPE", "--project", str(tmp_path)])
    assert code == 2 and "NOPE is not defined" in err
