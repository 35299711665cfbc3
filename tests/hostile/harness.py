"""Build a hostile tree in a temporary folder, run `lint` and `query` on it, check the promises.

Every case is a tree: the hostile part plus an unrelated canary file
(`canary/Kconfig`, sourced first by the root) whose finding must survive
whatever the hostile part does. The commands run as subprocesses, as a user
runs them, with a generous timeout as the bound (never a measured time) and
an address-space limit, so that a hang or a runaway read fails the case
instead of the machine. The promises checked (`assert_healthy`):

- it ends within the bound; no traceback on stderr; exit code 0 or 1;
- the canary's finding (lint) or hover (query) is still there;
- no marker file was created (no command ran);
- no line of a file outside the workspace appears in any output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
PYTHON = [sys.executable, "-m", "kconfig_ls"]
# Generous: a tiny tree lints in about a second on an idle machine, and the
# machine may be shared by many busy processes.
BOUND_SECONDS = 120.0
# For the cases that still fail (strict xfails: they hang or are quadratic
# today), so that the suite stays quick; a flipped case gets the full bound.
HANG_BOUND_SECONDS = 10.0
MEMORY_LIMIT_BYTES = 3 << 30

SECRET = "root:x:0:0:SECRET-LINE-OUTSIDE-THE-WORKSPACE"
CANARY_KCONFIG = (
    'config CANARY\n\tbool "canary"\n\tselect CANARY_TARGET\nconfig CANARY_TARGET\n\tbool "canary target"\n'
)
CANARY_FINDING = "CANARY selects CANARY_TARGET"

Setup = Callable[[Path, Path], None]  # (tree, base) -> None


@dataclass(frozen=True)
class Case:
    """One hostile tree. `root` is appended to the root Kconfig after `source "canary/Kconfig"`.

    File contents may use `{marker}` (a path a command would create) and
    `{outside}` (a folder outside the workspace holding `secret`).
    """

    name: str
    root: str = ""
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    setup: Setup | None = None
    tree_folder: str = "tree"  # relative to the base folder; the tree may sit in a planted parent
    lint_arguments: tuple[str, ...] = ("--kconfig-only",)
    formats: tuple[str, ...] = ("json",)
    query: bool = True
    environment: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Run:
    command: str
    code: int | None  # None: killed at the bound
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Built:
    base: Path
    tree: Path
    marker: Path
    outside: Path


def build(case: Case, base: Path) -> Built:
    outside = base / "outside"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret").write_text(SECRET + "\n")
    (outside / "Kconfig").write_text(SECRET + "\n")
    tree = base / case.tree_folder
    tree.mkdir(parents=True, exist_ok=True)
    marker = base / "MARKER"
    values = {"marker": str(marker), "outside": str(outside)}
    (tree / "canary").mkdir(exist_ok=True)
    (tree / "canary" / "Kconfig").write_text(CANARY_KCONFIG)
    (tree / "Kconfig").write_text('source "canary/Kconfig"\n' + _fill(case.root, values))
    for relative, content in case.files.items():
        path = tree / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(_fill(content, values))
    if case.setup is not None:
        case.setup(tree, base)
    return Built(base, tree, marker, outside)


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def limited(command: list[str], *, low_priority: bool = False) -> list[str]:
    """`command` under an address-space limit (and niced, for the cases that hang or burn CPU today).

    Through prlimit(1) and nice(1) rather than `preexec_fn`, which can
    deadlock a child forked while the test's other threads hold locks.
    """
    prefix = []
    if shutil.which("prlimit"):
        prefix = ["prlimit", f"--as={MEMORY_LIMIT_BYTES}", "--"]
    if low_priority and shutil.which("nice"):
        prefix = [*prefix, "nice", "-n", "15"]
    return [*prefix, *command]


def start(
    arguments: list[str],
    built: Built,
    case: Case,
    *,
    python: list[str] | None = None,
    low_priority: bool = False,
) -> subprocess.Popen[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY), "XDG_CACHE_HOME": str(built.base / "cache")}
    environment.update(case.environment)
    return subprocess.Popen(
        limited([*(python or PYTHON), *arguments], low_priority=low_priority),
        cwd=built.tree,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )


def finish(process: subprocess.Popen[str], command: str, bound: float) -> Run:
    try:
        stdout, stderr = process.communicate(timeout=bound)
        return Run(command, process.returncode, stdout, stderr)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        return Run(command, None, stdout, stderr)


def lint_and_query(
    case: Case, base: Path, built: Built | None = None, bound: float = BOUND_SECONDS
) -> tuple[Built, list[Run]]:
    """Every format of `lint`, and a `query` on the canary, all at once (one bound for all).

    `built`: run again on a tree built before (and perhaps changed since).
    A short `bound` (an expected failure) also runs the commands niced.
    """
    built = built or build(case, base)
    low_priority = bound < BOUND_SECONDS
    started = []
    for output_format in case.formats:
        arguments = [
            "lint",
            *case.lint_arguments,
            "--format",
            output_format,
            "--cache-dir",
            str(base / "cache"),
            ".",
        ]
        started.append(
            (f"lint --format {output_format}", start(arguments, built, case, low_priority=low_priority))
        )
    if case.query:
        arguments = ["query", "hover", "--kconfig-only", "--project", ".", "canary/Kconfig:1:8"]
        started.append(("query", start(arguments, built, case, low_priority=low_priority)))
    return built, [finish(process, command, bound) for command, process in started]


def assert_healthy(built: Built, runs: list[Run], allowed_codes: frozenset[int] = frozenset({0, 1})) -> None:
    for run in runs:
        context = f"{run.command}: code {run.code}\n{run.stderr[-3000:]}"
        assert run.code is not None, f"{run.command} did not finish within the bound\n{run.stderr[-3000:]}"
        assert "Traceback" not in run.stderr, context
        assert run.code in allowed_codes, context
        assert SECRET not in run.stdout and SECRET not in run.stderr, (
            f"{run.command} leaked a line of a file outside"
        )
        assert "SECRET-LINE" not in run.stdout, f"{run.command} leaked part of a line of a file outside"
        if run.command.startswith("lint"):
            assert CANARY_FINDING in run.stdout, f"{run.command} lost the canary's finding\n{context}"
        elif run.command == "query":
            assert "CANARY" in run.stdout, f"query lost the canary's hover\n{context}"
    assert not built.marker.exists(), "a command of the tree ran"
