"""What a `kconfig-ls lint` process imports: not the server's stack, and the SAT solver only for the logic.

A CI job starts one process per lint; on an unchanged tree the imports were
a third of its run (asyncio through `serve`'s arguments, pysat through the
rule registry). Each case runs the real command in a fresh interpreter
(`python -m kconfig_ls`) and lists the modules it ended with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SERVER_STACK = ("asyncio", "pygls", "lsprotocol")
SAT_SOLVER = ("pysat",)

# Runs the command as `python -m kconfig_ls` does, then prints the top-level names of sys.modules
# (a lint leaves with `os._exit`, made a `SystemExit` here so that the probe can print).
_PROBE = """
import json, os, runpy, sys
sys.argv = ["kconfig-ls", *sys.argv[1:]]
os._exit = sys.exit
try:
    runpy.run_module("kconfig_ls", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_after(*argv: str) -> set[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=300,
    )
    last_line = completed.stderr.strip().splitlines()[-1]
    return set(json.loads(last_line))


def top_level(modules: set[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


@pytest.mark.parametrize("cache", ["cold", "unchanged"])
def test_lint_without_the_logic_imports_neither_the_server_stack_nor_the_solver(
    example_before: Path, tmp_path: Path, cache: str
) -> None:
    argv = ("lint", str(example_before), "--no-logic", "--cache-dir", str(tmp_path / "cache"))
    first = modules_after(*argv)
    modules = first if cache == "cold" else modules_after(*argv)
    assert "kconfig_ls.cli.lint" in modules  # the probe ran the command
    assert top_level(modules).isdisjoint(SERVER_STACK + SAT_SOLVER)
    assert not any(name.startswith("kconfig_ls.server") for name in modules)
    if cache == "unchanged":
        # The results cache answered: neither the analysis host nor the Kconfig parser ran.
        assert "kconfig_ls.analysis.host" not in modules
    else:
        assert "kconfig_ls.analysis.host" in modules


def test_lint_with_the_logic_imports_the_solver(example_before: Path) -> None:
    """The other side of the case above: the probe sees the solver when the logic runs."""
    modules = modules_after("lint", str(example_before), "--no-cache")
    assert "pysat" in top_level(modules)
    assert top_level(modules).isdisjoint(SERVER_STACK)


def test_the_rules_register_without_their_heavy_dependencies() -> None:
    """Every rule is listed (`kconfig-ls rules`) without loading the logic layer or the server."""
    modules = modules_after("rules")
    assert "kconfig_ls.checks.registry" in modules
    assert top_level(modules).isdisjoint(SERVER_STACK + SAT_SOLVER)
    assert not any(name.startswith("kconfig_ls.logic.") for name in modules)
    assert "kconfig_ls.analysis.host" not in modules


def test_serve_still_has_its_arguments() -> None:
    """`serve`'s arguments are added only for `serve`: its `--help` still lists them."""
    completed = subprocess.run(
        [sys.executable, "-m", "kconfig_ls", "serve", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0
    assert "--stdio" in completed.stdout and "--log-file" in completed.stdout


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["lint", "."], "lint"),
        (["--log-level", "DEBUG", "serve", "--stdio"], "serve"),
        (["--log-level", "serve", "lint"], "lint"),  # a level's value is not the command
        (["--log-level=DEBUG", "query", "x:1:1"], "query"),
        (["--version"], None),
        (["lnit"], None),
        ([], None),
    ],
)
def test_the_command_word_decides_which_arguments_are_built(argv: list[str], command: str | None) -> None:
    from kconfig_ls.cli.main import _command_word

    assert _command_word(argv) == command


def test_version_imports_neither_the_analysis_host_nor_the_server_stack() -> None:
    """Editors probe the server with `kconfig-ls --version`: it must answer at once."""
    modules = modules_after("--version")
    assert "kconfig_ls.analysis.host" not in modules
    assert not top_level(modules) & {*SERVER_STACK, *SAT_SOLVER, "multiprocessing"}
