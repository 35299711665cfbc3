"""The VS Code extension in a real VS Code (code-server driven by Chromium), against examples/before.

The test itself is `tests/editors/vscode/e2e.cjs` (Node, playwright-core); this
wrapper runs it only when KCONFIG_LS_VSCODE_E2E=1, because it needs code-server,
Node 24, playwright-core, Debian's Chromium and a packaged extension, which
`.ci/editors.sh` installs and builds.  That script sets these variables:

    KCONFIG_LS_E2E_NODE          Node 24 (default: node on PATH)
    KCONFIG_LS_E2E_CODE_SERVER   code-server's bin/code-server
    KCONFIG_LS_E2E_NODE_MODULES  a node_modules folder holding playwright-core
    KCONFIG_LS_E2E_VSIX          the packaged extension

Screenshots and logs go to test-artifacts/vscode-e2e/, and the README's
screenshot to editors/vscode/images/screenshot.png.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.editor

REPO = Path(__file__).resolve().parents[2]
E2E_SCRIPT = Path(__file__).resolve().parent / "vscode" / "e2e.cjs"
ARTIFACTS = REPO / "test-artifacts" / "vscode-e2e"
TIMEOUT_SECONDS = 600


def required_path(name: str) -> str:
    value = os.environ.get(name, "")
    assert value, f"KCONFIG_LS_VSCODE_E2E=1 needs {name} (run .ci/editors.sh)"
    assert Path(value).exists(), f"{name}={value} does not exist (run .ci/editors.sh)"
    return value


def kconfig_ls_command() -> list[str]:
    program = shutil.which("kconfig-ls") or str(Path(sys.executable).parent / "kconfig-ls")
    assert Path(program).exists(), "kconfig-ls is not installed (pip install -e .)"
    return [program, "serve"]


@pytest.mark.skipif(
    os.environ.get("KCONFIG_LS_VSCODE_E2E") != "1",
    reason="the VS Code end-to-end test runs only with KCONFIG_LS_VSCODE_E2E=1 (.ci/editors.sh sets it)",
)
def test_extension_in_code_server() -> None:
    node = os.environ.get("KCONFIG_LS_E2E_NODE") or shutil.which("node")
    assert node, "no Node found: set KCONFIG_LS_E2E_NODE"
    environment = {
        **os.environ,
        "KCONFIG_LS_E2E_CODE_SERVER": required_path("KCONFIG_LS_E2E_CODE_SERVER"),
        "KCONFIG_LS_E2E_VSIX": required_path("KCONFIG_LS_E2E_VSIX"),
        "KCONFIG_LS_E2E_SERVER_COMMAND": json.dumps(kconfig_ls_command()),
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
