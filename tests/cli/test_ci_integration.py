"""The pre-commit hooks, run as pre-commit runs them, and the documented workflow's shape.

pre-commit runs a hook as `entry + args + file names`, the file names being
the staged files that match `files` (with `pass_filenames: true`). The test
does exactly that on a scratch repository, with `kconfig-ls` meaning this
checkout. The workflow itself is run by `.ci/check_workflow.py` (from `.ci/run`).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="a dev dependency: pip install -e '.[dev]'")

REPOSITORY = Path(__file__).resolve().parents[2]


def hooks() -> dict[str, dict[str, object]]:
    document = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text())
    return {hook["id"]: hook for hook in document}


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *arguments],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def run_hook(hook: dict[str, object], root: Path, cache: Path) -> tuple[int, str, list[str]]:
    staged = git(root, "diff", "--cached", "--name-only", "--diff-filter=ACMR").split()
    pattern = re.compile(str(hook["files"]))
    names = [name for name in staged if pattern.search(name)]
    entry = shlex.split(str(hook["entry"]))
    assert entry[0] == "kconfig-ls"
    command = [sys.executable, "-m", "kconfig_ls", *entry[1:], *map(str, hook.get("args", [])), *names]
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY), "XDG_CACHE_HOME": str(cache)}
    completed = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True)
    return completed.returncode, completed.stdout, names


@pytest.fixture()
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "drivers").mkdir(parents=True)
    (root / "Kconfig").write_text(
        'source "drivers/Kconfig"\nconfig A\n\tbool "A"\n\tdepends on MISSING_ONE\n'
    )
    (root / "drivers" / "Kconfig").write_text('config B\n\tbool "B"\n')
    (root / "drivers" / "b.c").write_text("int b;\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    # The commit being made: a new finding in drivers/, a C file, a file the hooks ignore.
    (root / "drivers" / "Kconfig").write_text('config B\n\tbool "B"\n\tdepends on MISSING_TWO\n')
    (root / "drivers" / "b.c").write_text("#ifdef CONFIG_B\nint b;\n#endif\n")
    (root / "README.txt").write_text("text\n")
    git(root, "add", "-A")
    return root


def test_the_hooks_are_declared_as_pre_commit_expects() -> None:
    declared = hooks()
    assert set(declared) == {"kconfig-ls", "kconfig-ls-new"}
    for hook in declared.values():
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python" and hook["pass_filenames"] is True
        re.compile(str(hook["files"]))


def test_the_hook_lints_the_staged_files(repository: Path, tmp_path: Path) -> None:
    code, output, names = run_hook(hooks()["kconfig-ls"], repository, tmp_path / "cache")
    assert names == ["drivers/Kconfig", "drivers/b.c"]
    assert code == 1
    # Findings in the files being committed only: MISSING_ONE (in ./Kconfig) is not reported.
    assert output.splitlines() == [
        "drivers/Kconfig:3:13: warning: undefined symbol MISSING_TWO in 'depends on' [KLS002]"
    ]


def test_the_new_findings_hook_reports_only_what_the_commit_introduces(
    repository: Path, tmp_path: Path
) -> None:
    (repository / "Kconfig").write_text(
        'source "drivers/Kconfig"\n# moved\nconfig A\n\tbool "A"\n\tdepends on MISSING_ONE\n'
    )
    git(repository, "add", "-A")
    code, output, names = run_hook(hooks()["kconfig-ls-new"], repository, tmp_path / "cache")
    assert "Kconfig" in names
    assert code == 1
    assert output.splitlines() == [
        "drivers/Kconfig:3:13: warning: undefined symbol MISSING_TWO in 'depends on' [KLS002]"
    ]
    # A clean commit passes.
    (repository / "drivers" / "Kconfig").write_text('config B\n\tbool "B"\n')
    git(repository, "add", "-A")
    assert run_hook(hooks()["kconfig-ls-new"], repository, tmp_path / "cache")[:2] == (0, "")


def test_the_documented_workflow_lints_with_diff_and_uploads_sarif() -> None:
    text = (REPOSITORY / "docs" / "ci.md").read_text()
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if b.startswith("name: kconfig-ls")]
    workflow = yaml.safe_load(block)
    (job,) = workflow["jobs"].values()
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    uses = [step.get("uses", "") for step in job["steps"]]
    assert 'kconfig-ls lint --diff "origin/$GITHUB_BASE_REF" --format sarif -o kconfig-ls.sarif' in runs
    assert "github/codeql-action/upload-sarif@v3" in uses
    assert workflow["permissions"]["security-events"] == "write"
    assert (REPOSITORY / ".ci" / "check_workflow.py").exists()
    assert ".ci/check_workflow.py" in (REPOSITORY / ".ci" / "run").read_text()
