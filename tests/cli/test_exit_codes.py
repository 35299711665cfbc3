"""Exit codes: 0 clean, 1 findings, 2 usage, 3 internal error (never confused with findings)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from kconfig_ls.cli import main as cli_main
from kconfig_ls.cli.main import EXIT_INTERNAL_ERROR, build_parser, main
from kconfig_ls.semantics.model import KconfigModel

# An undefined symbol is a warning whatever the logic says (a select of a visible symbol
# without dependencies is only a hint once the logic checks it).
_BAD_TREE = 'config A\n\tbool "a"\n\tdepends on NOPE\n'


def _run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(list(argv))
    return code, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "Kconfig").write_text(_BAD_TREE)
    return tmp_path


def _explode(self: KconfigModel, *arguments: object, **keywords: object) -> None:
    raise KeyError("injected internal error")


def test_findings_exit_1_and_never_exits_0(tree: Path) -> None:
    assert _run("lint", "--no-cache", "--kconfig-only", str(tree))[0] == 1
    assert _run("lint", "--no-cache", "--kconfig-only", "--fail-on", "never", str(tree))[0] == 0


def test_usage_errors_exit_2(tree: Path) -> None:
    assert _run("lint", "--no-such-option", str(tree))[0] == 2
    assert _run("lint", "--no-cache", str(tree / "missing"))[0] == 2
    assert _run("--log-level", "LOUD", "lint", "--no-cache", str(tree))[0] == 2


@pytest.mark.parametrize("fail_on", ["warning", "never"])
def test_an_internal_error_exits_3_with_one_line(
    tree: Path, monkeypatch: pytest.MonkeyPatch, fail_on: str
) -> None:
    monkeypatch.setattr(KconfigModel, "load", _explode)
    code, stdout, stderr = _run("lint", "--no-cache", "--kconfig-only", "--fail-on", fail_on, str(tree))
    assert code == EXIT_INTERNAL_ERROR
    assert stdout == ""
    assert stderr.splitlines() == [
        "kconfig-ls: internal error: KeyError: 'injected internal error' "
        "(--log-level DEBUG shows the traceback)"
    ]


def test_the_traceback_is_shown_with_debug_logging(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KconfigModel, "load", _explode)
    code, _, stderr = _run("--log-level", "DEBUG", "lint", "--no-cache", "--kconfig-only", str(tree))
    assert code == EXIT_INTERNAL_ERROR
    assert "Traceback (most recent call last)" in stderr
    assert "_explode" in stderr


def test_query_internal_error_exits_3(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(KconfigModel, "load", _explode)
    code, stdout, stderr = _run("query", "hover", "--kconfig-only", f"{tree / 'Kconfig'}:1:8")
    assert (code, stdout) == (EXIT_INTERNAL_ERROR, "")
    assert "Traceback" not in stderr


def test_lint_help_documents_the_exit_codes() -> None:
    lint_parser = build_parser()._subparsers._group_actions[0].choices["lint"]  # type: ignore[union-attr]
    text = lint_parser.format_help()
    assert "3  internal error" in text
    assert "1  findings" in text
    assert cli_main.EXIT_INTERNAL_ERROR == 3


def test_a_lint_process_leaves_at_once_with_its_exit_code_and_whole_output(tmp_path: Path) -> None:
    """`python -m kconfig_ls lint` ends with `os._exit` (nothing freed): the report and the exit
    code must still be complete."""
    import os
    import subprocess
    import sys

    (tmp_path / "Kconfig").write_text('config A\n\tbool "a"\n\tselect B\n')
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    command = [sys.executable, "-m", "kconfig_ls", "lint", str(tmp_path), "--cache-dir", str(tmp_path / "c")]
    for _ in range(2):  # cold, then from the results cache
        completed = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
        assert completed.returncode == 1
        assert completed.stdout.count("undefined symbol B") == 1
        assert "1 findings" in completed.stderr
