"""Every shell command in the READMEs works as written, from where the README says to run it.

The READMEs (README.md, editors/vscode/README.md, editors/nvim/README.md)
mark each fenced `sh`/`bash`/`shell`/`console` block with an HTML comment on
the line above it, and this test holds them to it:

    <!-- test: run [in=FOLDER] [exit=N] [fresh] -->
        Run each line of the block with bash from the repository root (or
        FOLDER); a line `cd DIR` changes the folder for the lines after it.
        Each command must exit with N (default 0).  `kconfig-ls` is this
        checkout's (a shim on PATH runs `python -m kconfig_ls`).  A
        `kconfig-ls query` must answer with a non-empty result.
        `fresh`: run in a clean copy of the repository (its tracked and
        unignored files) with the machine's own `python3`, as on a fresh
        machine.  These install from the package registry (a minute or
        more), so they run only with KCONFIG_LS_README_FRESH=1 (.ci/run sets
        it); and `pytest` inside them runs a tiny selection
        (PYTEST_ADDOPTS), so that the test suite does not run itself.
    <!-- test: transcript -->
        A `$ command` line followed by its output: the command runs from the
        repository root and every shown output line must appear in what it
        prints, in order.
    <!-- test: skip REASON -->
        Not run here, for the reason given (for example: needs VS Code).

A shell block without a marker fails the test, so that a new command cannot
slip in untested.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
READMES = ("README.md", "editors/vscode/README.md", "editors/nvim/README.md")
SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
FRESH = os.environ.get("KCONFIG_LS_README_FRESH") == "1"
# What `pytest` runs inside a fresh-machine command: one small, self-contained test file.
TINY_PYTEST_SELECTION = "tests/test_architecture.py"
TIMEOUT_SECONDS = 900

FENCE = re.compile(r"^(?P<indent> *)```(?P<language>[\w-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*test:\s*(?P<kind>run|transcript|skip)\b(?P<options>.*?)-->\s*$")


@dataclass(frozen=True)
class Block:
    readme: str
    line: int  # 1-based line of the opening fence
    language: str
    marker: str  # "run", "transcript", "skip" or "" (none)
    options: str
    text: str

    @property
    def name(self) -> str:
        return f"{self.readme}:{self.line}"

    def option(self, key: str, default: str = "") -> str:
        for word in shlex.split(self.options):
            if word.startswith(f"{key}="):
                return word.split("=", 1)[1]
        return default

    def flag(self, key: str) -> bool:
        return key in shlex.split(self.options)


def fenced_blocks(readme: str) -> list[Block]:
    lines = (REPO / readme).read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        previous = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
        marker = MARKER.match(previous)
        blocks.append(
            Block(
                readme=readme,
                line=index + 1,
                language=opening["language"],
                marker=marker["kind"] if marker else "",
                options=marker["options"].strip() if marker else "",
                text="\n".join(lines[index + 1 : end]),
            )
        )
        index = end + 1
    return blocks


ALL_BLOCKS = [block for readme in READMES for block in fenced_blocks(readme)]
SHELL_BLOCKS = [block for block in ALL_BLOCKS if block.language in SHELL_LANGUAGES]


def blocks_marked(kind: str, fresh: bool | None = None) -> list[Block]:
    return [
        block
        for block in SHELL_BLOCKS
        if block.marker == kind and (fresh is None or block.flag("fresh") == fresh)
    ]


def commands(block: Block) -> list[str]:
    """The block's command lines (blank lines and whole-line comments dropped)."""
    return [
        line.strip() for line in block.text.splitlines() if line.strip() and not line.strip().startswith("#")
    ]


def environment_with_this_checkout(tmp_path: Path) -> dict[str, str]:
    """PATH with a `kconfig-ls` that runs this checkout; caches in tmp_path."""
    shims = tmp_path / "bin"
    shims.mkdir(exist_ok=True)
    shim = shims / "kconfig-ls"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m kconfig_ls "$@"\n')
    shim.chmod(0o755)
    return {
        **os.environ,
        "PATH": f"{shims}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(REPO),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }


def run_block(block: Block, root: Path, environment: dict[str, str]) -> list[tuple[str, str]]:
    """Runs each command of the block; returns (command, stdout) pairs. Asserts on each exit status."""
    folder = root / block.option("in", ".")
    expected_status = int(block.option("exit", "0"))
    outputs = []
    for command in commands(block):
        if command.startswith("cd ") and "&&" not in command:
            folder = (folder / command[3:].strip()).resolve()
            assert folder.is_dir(), f"{block.name}: `{command}`: no folder {folder}"
            continue
        completed = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", command],
            cwd=folder,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        assert completed.returncode == expected_status, (
            f"{block.name}: `{command}` in {folder} exited {completed.returncode}, expected {expected_status}\n"
            f"stdout: {completed.stdout[-3000:]}\nstderr: {completed.stderr[-3000:]}"
        )
        outputs.append((command, completed.stdout))
    return outputs


def check_query_answer(block: Block, command: str, stdout: str) -> None:
    words = shlex.split(command, comments=True)
    if words[:2] != ["kconfig-ls", "query"]:
        return
    answer = json.loads(stdout)
    assert any(answer.get(key) for key in ("results", "guard", "markdown", "summary")), (
        f"{block.name}: `{command}` gave an empty answer: {answer}"
    )


def test_every_shell_block_is_marked() -> None:
    unmarked = [block.name for block in SHELL_BLOCKS if not block.marker]
    assert unmarked == [], f"shell blocks without a `<!-- test: ... -->` marker: {unmarked}"
    skipped_without_reason = [
        block.name for block in SHELL_BLOCKS if block.marker == "skip" and not block.options
    ]
    assert skipped_without_reason == []


def test_the_block_reader_finds_markers() -> None:
    # The rules above apply to the READMEs as they are: the fresh-machine commands and the query examples.
    assert len(blocks_marked("run", fresh=True)) == 2
    assert any("kconfig-ls query" in block.text for block in blocks_marked("run", fresh=False))
    assert blocks_marked("transcript")


@pytest.mark.parametrize("block", blocks_marked("run", fresh=False), ids=lambda block: block.name)
def test_run_block(block: Block, tmp_path: Path) -> None:
    for command, stdout in run_block(block, REPO, environment_with_this_checkout(tmp_path)):
        check_query_answer(block, command, stdout)


@pytest.mark.parametrize("block", blocks_marked("transcript"), ids=lambda block: block.name)
def test_transcript_block(block: Block, tmp_path: Path) -> None:
    lines = block.text.splitlines()
    assert lines and lines[0].startswith("$ "), f"{block.name}: a transcript starts with `$ command`"
    command, shown = lines[0][2:], [line for line in lines[1:] if line.strip()]
    completed = subprocess.run(
        ["bash", "-c", command],
        cwd=REPO,
        env=environment_with_this_checkout(tmp_path),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    printed = completed.stdout.splitlines()
    position = 0
    for line in shown:
        assert line in printed[position:], (
            f"{block.name}: `{command}` no longer prints {line!r} (after line {position})\n{completed.stdout}"
        )
        position = printed.index(line, position) + 1


def clean_copy(destination: Path) -> Path:
    """The repository's tracked and unignored files, as a fresh clone would have them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        source = REPO / name
        if source.is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@pytest.mark.skipif(
    not FRESH,
    reason="the fresh-machine commands install from the package registry (minutes); "
    "KCONFIG_LS_README_FRESH=1 runs them (.ci/run sets it)",
)
@pytest.mark.parametrize("block", blocks_marked("run", fresh=True), ids=lambda block: block.name)
def test_fresh_machine_block(block: Block, tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is needed to copy the checkout")
    checkout = clean_copy(tmp_path / "kconfig-ls")
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(("PYTHON", "VIRTUAL_ENV"))
    }
    # This test's own venv must not be the `python3` on PATH.
    environment["PATH"] = os.pathsep.join(
        folder
        for folder in environment.get("PATH", "").split(os.pathsep)
        if Path(folder) != Path(sys.executable).parent
    )
    environment["PYTEST_ADDOPTS"] = f"-p no:cacheprovider {TINY_PYTEST_SELECTION}"
    environment["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    outputs = run_block(block, checkout, environment)
    if "kconfig-ls lint" in block.text:
        assert "[KLS201]" in outputs[-1][1], outputs[-1][1]  # the main job: the seed reviewer's MMU rule
    if "pytest" in block.text:
        assert re.search(r"\d+ passed", outputs[-1][1]), outputs[-1][1]
