"""Run the GitHub Actions workflow documented in docs/ci.md on a scratch repository.

The workflow's own shell commands (`run:` steps, in order, with bash -e and
the pull request's environment) run in a clone of a scratch "origin" that
has a `main` branch and a pull request branch. Steps that use an action
(checkout, setup-python, cache, upload-sarif) are emulated or skipped, and
the `install` step is replaced by a `kconfig-ls` on PATH that runs this
checkout. Nothing needs the network and nothing is written outside a
temporary folder: the tracked files of this repository are not touched.

Two pull requests are checked: one that adds a finding (the lint step must
fail, the SARIF file must hold exactly that finding, marked new, and an
annotation must name it) and one that only fixes a finding (the step must
pass, nothing new, one resolved).

    python .ci/check_workflow.py          # exit 0 when the workflow behaves as documented
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import tempfile

import yaml

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = 'config A\n\tbool "A"\n\tdepends on MISSING_ONE\n\nconfig B\n\tbool "B"\n'


def documented_workflow() -> dict[str, object]:
    with open(os.path.join(REPOSITORY, "docs", "ci.md"), encoding="utf-8") as handle:
        text = handle.read()
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    workflows = [yaml.safe_load(block) for block in blocks if block.startswith("name: kconfig-ls")]
    if len(workflows) != 1:
        raise SystemExit("docs/ci.md must hold exactly one workflow block starting with 'name: kconfig-ls'")
    workflow: dict[str, object] = workflows[0]
    return workflow


def git(folder: str, *arguments: str) -> str:
    command = ["git", "-C", folder, "-c", "user.name=ci", "-c", "user.email=ci@example.org", *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def scratch_pull_request(root: str, head_text: str) -> str:
    """An origin with `main` and a `pr` branch, and a clone at `pr` (actions/checkout, fetch-depth 0)."""
    origin = os.path.join(root, "origin")
    os.makedirs(origin)
    git(origin, "init", "-q", "-b", "main")
    with open(os.path.join(origin, "Kconfig"), "w", encoding="utf-8") as handle:
        handle.write(BASE)
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "base")
    git(origin, "checkout", "-q", "-b", "pr")
    with open(os.path.join(origin, "Kconfig"), "w", encoding="utf-8") as handle:
        handle.write(head_text)
    git(origin, "commit", "-qam", "pull request")
    git(origin, "checkout", "-q", "main")
    work = os.path.join(root, "work")
    subprocess.run(["git", "clone", "-q", "--branch", "pr", origin, work], check=True)
    return work


def shim(folder: str) -> str:
    """A `kconfig-ls` command that runs this checkout (what `pip install kconfig-ls` provides)."""
    os.makedirs(folder)
    path = os.path.join(folder, "kconfig-ls")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f'#!/bin/sh\nPYTHONPATH="{REPOSITORY}" exec "{sys.executable}" -m kconfig_ls "$@"\n')
    os.chmod(path, os.stat(path).st_mode | stat.S_IEXEC)
    return folder


def run_workflow(work: str, root: str) -> tuple[int, str]:
    workflow = documented_workflow()
    jobs = workflow["jobs"]
    assert isinstance(jobs, dict)
    (job,) = jobs.values()
    environment = {
        **os.environ,
        "PATH": shim(os.path.join(root, "bin")) + os.pathsep + os.environ["PATH"],
        "HOME": os.path.join(root, "home"),  # ~/.cache/kconfig-ls, as actions/cache restores it
        "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "pr",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_ACTIONS": "true",
    }
    environment.pop("XDG_CACHE_HOME", None)
    output = []
    for step in job["steps"]:
        name = step.get("name") or step.get("uses")
        if "uses" in step:
            output.append(f"-- {name}: action, emulated or skipped")
            continue
        if step.get("id") == "install":
            output.append(f"-- {name}: replaced by the kconfig-ls of this checkout")
            continue
        completed = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=work,
            env=environment,
            capture_output=True,
            text=True,
        )
        output.append(f"-- {name}: exit {completed.returncode}\n{completed.stdout}{completed.stderr}")
        if completed.returncode != 0:
            return completed.returncode, "\n".join(output)
    return 0, "\n".join(output)


def check(head_text: str, expect_exit: int, expect_new: list[str], expect_resolved: int) -> str:
    with tempfile.TemporaryDirectory(prefix="kconfig-ls-workflow-") as root:
        work = scratch_pull_request(root, head_text)
        code, log = run_workflow(work, root)
        problems = []
        if code != expect_exit:
            problems.append(f"the lint step exited {code}, expected {expect_exit}")
        with open(os.path.join(work, "kconfig-ls.sarif"), encoding="utf-8") as handle:
            run = json.load(handle)["runs"][0]
        new = [result["message"]["text"] for result in run["results"]]
        if [text.split()[2] for text in new] != expect_new:
            problems.append(f"SARIF results {new}, expected new findings about {expect_new}")
        if any(result.get("baselineState") != "new" for result in run["results"]):
            problems.append("SARIF results are not marked baselineState: new")
        if run["properties"]["kconfigLsComparison"]["resolved"] != expect_resolved:
            problems.append(f"SARIF comparison {run['properties']['kconfigLsComparison']}")
        annotations = [line for line in log.splitlines() if line.startswith("::")]
        if len(annotations) != len(expect_new) or not all("file=Kconfig" in a for a in annotations):
            problems.append(f"annotations {annotations}")
        if git(work, "status", "--porcelain", "--untracked-files=no"):
            problems.append("the workflow modified tracked files")
        if problems:
            raise SystemExit("workflow check failed:\n  " + "\n  ".join(problems) + "\n" + log)
        return log


def main() -> None:
    adds = BASE.replace('bool "B"\n', 'bool "B"\n\tdepends on MISSING_TWO\n')
    log = check("# moved\n" + adds, expect_exit=1, expect_new=["MISSING_TWO"], expect_resolved=0)
    print(log)
    fixes = BASE.replace("\tdepends on MISSING_ONE\n", "")
    print(check(fixes, expect_exit=0, expect_new=[], expect_resolved=1))
    print("workflow check: ok (a pull request that adds a finding fails, one that fixes one passes)")


if __name__ == "__main__":
    main()
