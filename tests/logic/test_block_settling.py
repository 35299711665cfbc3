"""The block questions split with a forked child give the findings of one process, in the same order.

The tree has many files, each with a live `#ifdef`/`#else` on a symbol of
its own and, inside it, a block that the Kconfig model rules out (MIGRATION
depends on MMU) and one that always holds: every file has questions of its
own (no interning across files), so both shares of the split hold possible
and impossible answers. A merge that dropped the child's answers would show
in `forked`; one that mixed them up, in the findings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path
from typing import Final

import pytest

from kconfig_ls.logic import block_analysis, block_settling, forking
from kconfig_ls.logic.block_analysis import block_analysis_for
from kconfig_ls.logic.world_analysis import release_formula
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture

_CHILD_RUN: Final = "KCONFIG_LS_FORK_TEST_IN_A_FRESH_PROCESS"


def _in_a_fresh_process(request: pytest.FixtureRequest) -> None:
    """Run this test again in a fresh interpreter, where nothing has started a thread yet.

    Nothing forks from a process with threads (`forking.can_fork`), and the suite's process
    may have some left by earlier tests: skipping would leave the forked path untested in CI.
    """
    if os.environ.get(_CHILD_RUN):
        pytest.fail("a fresh test process has threads: the forked path cannot be tested here")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", request.node.nodeid],
        cwd=request.config.rootpath,
        env={**os.environ, _CHILD_RUN: "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout, result.stdout[-2000:]


FILES = 60

TREE = (
    """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config MMU
	bool "MMU"
config MIGRATION
	bool "Page migration"
	depends on MMU
//- /arch/x86/Kconfig
config X86
	def_bool y
//- /arch/arm/Kconfig
config ARM_LPAE
	bool "LPAE"
"""
    + "".join(f'config FILLER_{n}\n\tbool "filler {n}"\n' for n in range(FILES))
    + "//- /mm/Makefile\nobj-y += "
    + " ".join(f"file{n}.o" for n in range(FILES))
    + "\n"
    + "".join(
        f"//- /mm/file{n}.c\n"
        f"#ifdef CONFIG_FILLER_{n}\n"
        "#ifdef CONFIG_MIGRATION\n"
        "#ifndef CONFIG_MMU\n"
        f"int dead_{n};\n"
        "#endif\n"
        "#ifdef CONFIG_MMU\n"
        f"int always_{n};\n"
        "#else\n"
        f"int never_{n};\n"
        "#endif\n"
        "#endif\n"
        "#else\n"
        f"int off_{n};\n"
        "#endif\n"
        for n in range(FILES)
    )
)


def _analyse(tmp_path: Path, progress: list[str] | None = None) -> block_analysis.BlockAnalysis:
    """The tree's block analysis from nothing: no kept findings, a new formula and solver."""
    block_analysis._PER_FILE.clear()
    release_formula()
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), environment={"SRCARCH": "x86"}))
    model.load()
    index = CodeIndex(str(tmp_path), cache_directory=None, workers=1)
    index.build()
    return block_analysis_for(model, index, progress=None if progress is None else progress.append)


def test_the_forked_half_of_the_questions_gives_the_findings_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if not forking.can_fork():
        _in_a_fresh_process(request)
        return
    write_fixture(tmp_path, TREE)
    monkeypatch.setattr(block_settling, "FORK_ABOVE", 10**9)
    serial = _analyse(tmp_path)
    monkeypatch.setattr(block_settling, "FORK_ABOVE", 50)
    progress: list[str] = []
    parallel = _analyse(tmp_path, progress)
    assert serial.forked == 0
    assert parallel.forked > 0
    # Every file has two findings (its dead block and its dead #else), in both shares.
    assert [(f.kind, f.location.path.rsplit("/", 1)[1]) for f in serial.findings][-4:] == [
        ("dead", "file8.c"),
        ("undead", "file8.c"),
        ("dead", "file9.c"),
        ("undead", "file9.c"),
    ]
    assert len(serial.findings) == 2 * FILES
    assert [astuple(f) for f in parallel.findings] == [astuple(f) for f in serial.findings]
    # Where the analysis is, as the server's progress shows it (this process's half).
    assert progress[0] == f"#if blocks: {FILES:,} files to check"
    assert any(line.endswith("questions settled") for line in progress)
    assert progress[-1] == f"#if blocks: explaining the findings of {FILES:,} files"
    block_analysis._PER_FILE.clear()
    release_formula()


def test_a_failed_child_leaves_its_questions_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_fixture(tmp_path, TREE)
    monkeypatch.setattr(block_settling, "FORK_ABOVE", 10**9)
    serial = _analyse(tmp_path)

    class FailedChild:
        def result(self) -> None:
            return None

        def stop(self) -> None:
            pass

    monkeypatch.setattr(block_settling, "FORK_ABOVE", 50)
    monkeypatch.setattr(forking, "fork_computation", lambda compute: FailedChild())
    failed = _analyse(tmp_path)
    assert failed.forked == 0
    assert [astuple(f) for f in failed.findings] == [astuple(f) for f in serial.findings]
    block_analysis._PER_FILE.clear()
    release_formula()


def test_a_forked_child_never_writes_to_stdout(
    capfd: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    if not forking.can_fork():
        _in_a_fresh_process(request)
        return

    def compute() -> dict[str, int]:
        os.write(1, b"from the child\n")  # descriptor 1 itself, as a C library would
        return {"answer": 42}

    child = forking.fork_computation(compute)
    assert child is not None
    assert child.result() == {"answer": 42}
    out, err = capfd.readouterr()
    assert "from the child" not in out
    assert "from the child" in err
