"""The VS Code extension in a real VS Code (code-server driven by Chromium), against examples/before.

The test itself is `tests/editors/vscode/e2e.cjs` (Node, playwright-core); this
wrapper runs it only when KCONFIG_LS_VSCODE_E2E=1, because it needs code-server,
Node 24, playwright-core, Debian's Chromium and a packaged extension, which
`.ci/editors.sh` installs and builds.  That script sets these variables:

    KCONFIG_LS_E2E_NODE          Node 24 (default: node on PATH)
    KCONFIG_LS_E2E_CODE_SERVER   code-server's bin/code-server
    KCONFIG_LS_E2E_NODE_MODULES  a node_modules folder holding playwright-core
    KCONFIG_LS_E2E_VSIX          the packaged extension

The extension must run without any installed kconfig-ls: code-server gets a
PATH of the system folders only, without this venv or any folder that holds a
`kconfig-ls` program, and whose `python3` cannot import kconfig_ls; the
extension then has to start the server it bundles (bundled/libs) on that
`python3`.  The test also reads the extension's output channel: the server's
info records must show as [info], not as [error].

It also selects a configuration (a `.config` it writes into its copy of the
tree, where MIGRATION is n) with "Kconfig: Select Configuration": the status
bar item names it, the `#ifdef CONFIG_MIGRATION` bodies of mm/memory-tiers.c
are greyed (the opacity of their text, read from the page, and the screenshot
inactive-regions.png), and picking the defconfig from the status bar item greys
the `#else` body instead; the inlay hints of MIGRATION's `depends on` show the
operands' values, and the code lens above `config MIGRATION` opens the
references peek.

Screenshots and logs go to KCONFIG_LS_E2E_ARTIFACTS (default: test-artifacts/vscode-e2e/, ignored
by git), and the README's screenshot to the path in KCONFIG_LS_E2E_README_IMAGE (not by default: CI
never rewrites a tracked file).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.editor

REPO = Path(__file__).resolve().parents[2]
E2E_SCRIPT = Path(__file__).resolve().parent / "vscode" / "e2e.cjs"
ARTIFACTS = Path(os.environ.get("KCONFIG_LS_E2E_ARTIFACTS") or REPO / "test-artifacts" / "vscode-e2e")
TIMEOUT_SECONDS = 600


def required_path(name: str) -> str:
    value = os.environ.get(name, "")
    assert value, f"KCONFIG_LS_VSCODE_E2E=1 needs {name} (run .ci/editors.sh)"
    assert Path(value).exists(), f"{name}={value} does not exist (run .ci/editors.sh)"
    return value


SYSTEM_FOLDERS = ("/usr/local/bin", "/usr/bin", "/bin")


def path_without_kconfig_ls() -> str:
    """A PATH of the system folders, none of them with kconfig-ls, whose python3 lacks kconfig_ls."""
    folders = [
        folder
        for folder in SYSTEM_FOLDERS
        if Path(folder).is_dir() and not (Path(folder) / "kconfig-ls").exists()
    ]
    path = os.pathsep.join(folders)
    assert shutil.which("kconfig-ls", path=path) is None
    python = shutil.which("python3", path=path)
    assert python, f"no python3 on {path}: the bundled server needs one"
    probe = subprocess.run(
        [python, "-c", "import kconfig_ls"], capture_output=True, check=False, env={"PATH": path}, cwd="/"
    )
    assert probe.returncode != 0, f"{python} can import kconfig_ls; the test would not show the bundle works"
    return path


@pytest.mark.skipif(
    os.environ.get("KCONFIG_LS_VSCODE_E2E") != "1",
    reason="the VS Code end-to-end test runs only with KCONFIG_LS_VSCODE_E2E=1 (.ci/editors.sh sets it)",
)
def test_extension_in_code_server(tmp_path: Path) -> None:
    node = os.environ.get("KCONFIG_LS_E2E_NODE") or shutil.which("node")
    assert node, "no Node found: set KCONFIG_LS_E2E_NODE"
    clean_path = path_without_kconfig_ls()
    (tmp_path / "home").mkdir()
    environment = {
        **{
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("PYTHON", "VIRTUAL_ENV"))
        },
        "KCONFIG_LS_E2E_CODE_SERVER": required_path("KCONFIG_LS_E2E_CODE_SERVER"),
        "KCONFIG_LS_E2E_VSIX": required_path("KCONFIG_LS_E2E_VSIX"),
        "PATH": clean_path,
        # VS Code takes the extension host's environment from a login shell; a fresh HOME keeps
        # this machine's ~/.bashrc (which puts pyenv's shims on PATH) out of it.
        "HOME": str(tmp_path / "home"),
        "KCONFIG_LS_E2E_WORKSPACE": str(REPO / "examples" / "before"),
        "KCONFIG_LS_E2E_ARTIFACTS": str(ARTIFACTS),
        "NODE_PATH": required_path("KCONFIG_LS_E2E_NODE_MODULES"),
    }
    try:
        completed = subprocess.run(
            [node, str(E2E_SCRIPT)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as timeout:
        pytest.fail(f"the VS Code test did not finish within {TIMEOUT_SECONDS} s; output: {timeout.stdout!r}")
    print(completed.stdout)
    assert completed.returncode == 0, (
        f"the VS Code test failed (exit {completed.returncode}); artifacts in {ARTIFACTS}\n"
        f"{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
    )
    results = json.loads((ARTIFACTS / "results.json").read_text())
    assert "KLS001" in results["checks"]["problem"]
    assert "MMU" in results["checks"]["hover"]
    # e2e.cjs checked the line; the definition is "<Kconfig file>:<line>".
    assert results["checks"]["definition"].split(":")[0].endswith("Kconfig")
    assert (ARTIFACTS / "hover-and-problems.png").stat().st_size > 10_000
    # The extension started the server it bundles, and logged at the right levels.
    server_log = results["checks"]["serverLog"]
    assert server_log["found"], "the extension wrote no output channel log"
    assert server_log["server"].startswith("the bundled server"), server_log
    assert server_log["server"].endswith(f"on {shutil.which('python3', path=clean_path)} (PATH)"), server_log
    assert server_log["errors"] == [], server_log
    assert any("indexed" in line and "[info]" in line for line in server_log["lines"]), server_log

    # The configuration: the status bar item, the greyed #ifdef block, the switch, the code lens.
    checks = results["checks"]
    assert checks["configurationStatus"].startswith(".config"), checks
    # e2e.cjs waited for exactly the expected lines (the #ifdef bodies, then the #else body).
    inactive = checks["inactiveRegions"]
    assert inactive["expected"] and inactive["greyed"] == inactive["expected"], inactive
    assert float(inactive["opacity"]) == pytest.approx(0.55), inactive
    assert (ARTIFACTS / "inactive-regions.png").stat().st_size > 10_000
    assert checks["configurationStatusAfterSwitch"].startswith("configs/example_defconfig"), checks
    after = checks["inactiveRegionsAfterSwitch"]
    assert after["expected"] and after["greyed"] == after["expected"], after
    assert not set(after["expected"]) & set(inactive["expected"]), checks
    # Under the defconfig: NUMA=y, MEMORY_HOTREMOVE=n (the hints follow each operand).
    assert re.search(r"NUMA\s*\[=y\].*MEMORY_HOTREMOVE\s*\[=n\]", checks["inlayHints"]), checks
    assert "selected by" in checks["codeLens"], checks
    assert checks["configurationStatusWithout"].startswith("no configuration"), checks
    assert checks["inactiveRegionsWithout"] == [], checks
    assert re.search(r"\d+ references?|Locations? \(\d+\)|\d+ results?", checks["referencesPeek"]), checks
