"""The files split with a forked child give the findings of one process, in the same order.

The tree has many files, each with a live `#ifdef`/`#else` on a symbol of
its own and, inside it, a block that the Kconfig model rules out (MIGRATION
depends on MMU) and one that always holds: every file has questions of its
own (no interning across files), so both shares of the split hold possible
and impossible answers, and findings. The child builds, settles and explains
the questions of its share of the files, the parent those of the other: a
merge that dropped the child's findings, or mixed them up, shows in the
findings; a parent that built the child's questions too, in where each
file's questions were built.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import astuple
from pathlib import Path
from typing import Final

import pytest

from kconfig_ls.logic import block_analysis, dead_blocks, forking
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


def test_the_forked_share_of_the_files_gives_the_findings_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    if not forking.can_fork():
        _in_a_fresh_process(request)
        return
    write_fixture(tmp_path, TREE)
    monkeypatch.setattr(block_analysis, "FORK_FILES", 10**9)
    serial = _analyse(tmp_path)
    # Where each file's questions are built: the process and the file, one line per _prepare
    # (a file, the child's included, appends to the log; the child's memory is lost with it).
    log = tmp_path / "prepared.log"
    prepare = dead_blocks._prepare

    def logged(encoding: object, code: dead_blocks.CodeFile, *arguments: object) -> object:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()} {os.path.basename(code.path)}\n")
        return prepare(encoding, code, *arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(dead_blocks, "_prepare", logged)
    monkeypatch.setattr(block_analysis, "FORK_FILES", 50)
    monkeypatch.setattr(block_analysis, "_RUN_FILES", 4)
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
    assert (parallel.files, parallel.blocks, parallel.questions) == (
        serial.files,
        serial.blocks,
        serial.questions,
    )
    # Each file's questions were built (and built again for its findings) in one process: the
    # first runs of four files (in path order) in this one, the next in the child, in turn.
    prepared: dict[str, set[int]] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        pid, name = line.split()
        prepared.setdefault(name, set()).add(int(pid))
    assert len(prepared) == FILES
    assert all(len(pids) == 1 for pids in prepared.values())
    by_order = sorted(prepared, key=lambda name: f"mm/{name}")
    assert {pid for name in by_order[:4] for pid in prepared[name]} == {os.getpid()}
    assert {pid for name in by_order[4:8] for pid in prepared[name]}.isdisjoint({os.getpid()})
    mine = 4 * 8  # 15 runs of four files: the 1st, 3rd, ..., 15th are this process's
    assert sum(os.getpid() in pids for pids in prepared.values()) == mine
    # Where the analysis is, as the server's progress shows it (this process's share).
    assert progress[0] == f"#if blocks: {FILES:,} files to check"
    assert any(line.endswith("questions settled") for line in progress)
    assert progress[-1] == f"#if blocks: explaining the findings of {mine:,} files"
    block_analysis._PER_FILE.clear()
    release_formula()


@pytest.mark.parametrize("result", [None, {"findings": [], "counts": [1, 2]}, "another file"])
def test_a_failed_child_leaves_its_share_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, result: object
) -> None:
    write_fixture(tmp_path, TREE)
    monkeypatch.setattr(block_analysis, "FORK_FILES", 10**9)
    serial = _analyse(tmp_path)

    class FailedChild:
        def result(self) -> object:
            if result == "another file":
                # A confused child: findings about a file of the parent's share.
                record = block_analysis._record(serial.findings[0])
                return {"findings": [record], "counts": [1, 1, 1, 1], "answers": 1}
            return result

        def stop(self) -> None:
            pass

    monkeypatch.setattr(block_analysis, "FORK_FILES", 50)
    monkeypatch.setattr(block_analysis, "_RUN_FILES", 4)
    monkeypatch.setattr(forking, "can_fork", lambda: True)
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
