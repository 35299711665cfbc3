"""The lint command's code walk in a forked child gives what the walk in a thread gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kconfig_ls.cli.lint import _BackgroundIndex
from kconfig_ls.semantics.code_index import CodeIndex

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    for number in range(30):
        folder = root / "drivers" / f"d{number % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{number}.c").write_text(f"#ifdef CONFIG_X{number}\n#endif\n")
        (folder / "Makefile").write_text(f"obj-$(CONFIG_X{number}) += f{number}.o\n")
    (root / "Kconfig").write_text('config X0\n\tbool "x"\n')
    (root / "odd-\udcff.c").write_text("#if CONFIG_Y\n#endif\n")  # a name that is not UTF-8
    return root


def _index(tree: Path, fork: bool) -> tuple[str, CodeIndex]:
    index = CodeIndex(str(tree), workers=1)
    background = _BackgroundIndex(index, None, fork=fork)
    fingerprint = background.fingerprint()
    background.wait()
    return fingerprint, index


def test_the_forked_walk_gives_the_thread_walks_fingerprint_and_index(tree: Path) -> None:
    forked_fingerprint, forked = _index(tree, fork=True)
    thread_fingerprint, threaded = _index(tree, fork=False)
    assert (
        forked_fingerprint
        == thread_fingerprint
        == CodeIndex.listing_fingerprint(CodeIndex(str(tree)).walk_listing())
    )
    assert len(forked.entries) == 35
    assert forked.entries == threaded.entries
    assert list(forked.entries) == list(threaded.entries)  # the walk's order too


def test_an_abandoned_walk_leaves_no_child(tree: Path) -> None:
    background = _BackgroundIndex(CodeIndex(str(tree), workers=1), None, fork=True)
    assert background._forked is not None
    pid = background._forked._pid
    background.fingerprint()
    background.abandon()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped


def test_a_walk_whose_child_cannot_be_forked_runs_in_the_thread(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    fingerprint, index = _index(tree, fork=True)
    assert len(index.entries) == 35
    assert fingerprint == _index(tree, fork=False)[0]


def test_a_child_that_sends_nothing_is_walked_for(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The child fails before sending (here: its walk raises): the thread walks instead."""

    def failing_walk(self: CodeIndex) -> list[tuple[str, int, int]]:
        if os.getpid() != parent:
            raise RuntimeError("the child's walk failed")
        return original(self)

    parent = os.getpid()
    original = CodeIndex.walk_listing
    monkeypatch.setattr(CodeIndex, "walk_listing", failing_walk)
    fingerprint, index = _index(tree, fork=True)
    assert len(index.entries) == 35
    monkeypatch.setattr(CodeIndex, "walk_listing", original)
    assert fingerprint == _index(tree, fork=False)[0]


def test_the_lint_commands_code_index_is_the_hosts(tree: Path, tmp_path: Path) -> None:
    """`lint` makes its code index without the host (`new_code_index`): configured the same way."""
    from kconfig_ls.analysis.host import AnalysisHost
    from kconfig_ls.cli.lint import new_code_index
    from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings

    (tree / ".kconfig-ls.toml").write_text('code-exclude = ["drivers/d1"]\n')
    settings = AnalysisSettings(project_root=str(tree), cache_directory=str(tmp_path), code_index_workers=3)
    ours = new_code_index(settings, resolve_settings(settings))
    hosts = AnalysisHost(settings).new_code_index()
    assert (ours.root, ours.cache_directory, ours.workers, ours.excluded, ours.ecosystem.name) == (
        hosts.root,
        hosts.cache_directory,
        hosts.workers,
        hosts.excluded,
        hosts.ecosystem.name,
    )
    assert ours.excluded == frozenset({str(tree / "drivers" / "d1")})


_ABANDONED_THEN_BUILT = """
import sys
from kconfig_ls.cli.lint import _BackgroundIndex
from kconfig_ls.semantics.code_index import CodeIndex
background = _BackgroundIndex(CodeIndex(sys.argv[1], workers=2), None, fork=True)
background.fingerprint()
background.abandon()  # the results cache answered ...
background.wait()  # ... and then the index was wanted after all (`--witness-dir`): workers forked now
print(len(background.index.entries))
"""


def test_an_abandoned_walk_can_still_be_built_with_forked_workers(tree: Path) -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-c", _ABANDONED_THEN_BUILT, str(tree)],
        capture_output=True,
        text=True,
        check=False,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["35"]
