"""The project root search: bounded by .git, the working directory, the home folder and world-writable folders."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from kconfig_ls.cli import main as cli_main
from kconfig_ls.settings.resolve import choose_project_root

_NOWHERE = "/nonexistent-boundary"


def _kconfig(folder: Path, text: str = 'config A\n\tbool "a"\n') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Kconfig").write_text(text)
    return folder


def _choose(start: Path, working_directory: str = _NOWHERE, home: str = _NOWHERE) -> str:
    return choose_project_root(str(start), working_directory=working_directory, home=home).root


def test_the_top_of_the_run_of_kconfig_folders_is_the_root(tmp_path: Path) -> None:
    root = _kconfig(tmp_path / "linux")
    _kconfig(root / "drivers")
    (root / "drivers" / "net").mkdir()
    choice = choose_project_root(str(root / "drivers" / "net"), working_directory=_NOWHERE, home=_NOWHERE)
    assert (choice.root, choice.searched) == (str(root), True)
    assert choose_project_root(str(root), working_directory=_NOWHERE, home=_NOWHERE).searched is False


def test_the_search_stops_at_the_repository_boundary(tmp_path: Path) -> None:
    _kconfig(tmp_path)
    repository = _kconfig(tmp_path / "repository")
    (repository / ".git").mkdir()
    assert _choose(_kconfig(repository / "sub")) == str(repository)


def test_the_search_stops_at_the_working_directory_and_the_home_folder(tmp_path: Path) -> None:
    _kconfig(tmp_path)
    tree = _kconfig(tmp_path / "tree")
    start = _kconfig(tree / "sub")
    assert _choose(start, working_directory=str(tree)) == str(tree)
    assert _choose(start, home=str(tree)) == str(tree)
    assert _choose(start) == str(tmp_path)


def test_a_world_writable_folder_is_never_the_root(tmp_path: Path) -> None:
    shared = _kconfig(tmp_path / "shared")
    shared.chmod(0o777)
    victim = _kconfig(shared / "victim")
    assert _choose(_kconfig(victim / "sub")) == str(victim)
    assert _choose(shared) == str(shared)  # asked for by name: the fallback, not a search result


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A world-writable folder above the tree, holding a Kconfig and settings that run a command."""
    shared = tmp_path / "shared"
    marker = tmp_path / "MARKER"
    _kconfig(shared, f'X := $(shell,touch {marker})\nconfig PLANTED\n\tbool "p"\n\tdepends on NOPE\n')
    (shared / ".kconfig-ls.toml").write_text("trust-commands = true\n")
    shared.chmod(0o777)
    victim = _kconfig(shared / "victim", 'config VICTIM\n\tbool "v"\n\tdepends on MISSING\n')
    _kconfig(victim / "sub", "")
    return victim, marker


def _main(*argv: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    stderr = io.StringIO()
    monkeypatch.setattr(cli_main.sys, "stderr", stderr)
    return cli_main.main(list(argv)), stderr.getvalue()


def test_lint_below_a_planted_parent_runs_nothing_and_says_which_root(
    planted: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    victim, marker = planted
    monkeypatch.chdir("/")
    code, stderr = _main("lint", "--no-cache", "--kconfig-only", str(victim / "sub"), monkeypatch=monkeypatch)
    assert not marker.exists()
    assert f"kconfig-ls: project root {victim} (searched upwards from {victim / 'sub'}" in stderr
    assert "PLANTED" not in capsys.readouterr().out
    assert code in (0, 1)


def test_query_below_a_planted_parent_runs_nothing(
    planted: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    victim, marker = planted
    monkeypatch.chdir("/")
    code, stderr = _main(
        "query", "hover", "--kconfig-only", f"{victim / 'Kconfig'}:1:8", monkeypatch=monkeypatch
    )
    assert not marker.exists()
    assert code == 0, stderr
    assert "project root" not in stderr  # the file's own folder: not found by a search


def test_no_message_when_linting_the_root_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _kconfig(tmp_path / "tree")
    monkeypatch.chdir(os.sep)
    code, stderr = _main("lint", "--no-cache", "--kconfig-only", str(tree), monkeypatch=monkeypatch)
    assert (code, stderr) == (0, "")
