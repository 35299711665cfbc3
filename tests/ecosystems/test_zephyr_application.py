"""Zephyr opened from outside the tree: an application folder, a west workspace's top, an application in one.

The Zephyr tree is `test_zephyr_workspace`'s west workspace (`.west/config`, `zephyr/` with the
hardware model v2 files and sysbuild, modules under `modules/` and `bootloader/`). The application
is shortened from Zephyr's `samples/basic/blinky` and `samples/sysbuild/with_mcuboot` (its
`CMakeLists.txt` calls `find_package(Zephyr REQUIRED HINTS $ENV{ZEPHYR_BASE})`), with a `Kconfig`
of its own that sources `Kconfig.zephyr` as Zephyr's documentation tells applications to, a
`Kconfig.sysbuild`, `sysbuild.conf`, `boards/*.conf` and an overlay, and a few mistakes.
`cmake/modules/kconfig.cmake` roots Kconfig at the application's `Kconfig` when it exists, else
at `${ZEPHYR_BASE}/Kconfig`, with `srctree` set to `ZEPHYR_BASE`.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.cli import main as cli_main
from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings
from kconfig_ls.settings.ecosystem import detect_ecosystem
from kconfig_ls.settings.project_file import load_project_settings
from kconfig_ls.settings.resolve import choose_project_root, workspace_settings
from kconfig_ls.settings.zephyr_application import find_zephyr_layout
from tests.ecosystems.test_zephyr import HWMV2, _zephyr_functions
from tests.ecosystems.test_zephyr_sysbuild_clients import _tree as _sysbuild_tree
from tests.fixtures import write_fixture
from tests.linux.test_kconfiglib_agreement import compare_models

APPLICATION = """
//- /CMakeLists.txt
# SPDX-License-Identifier: Apache-2.0
cmake_minimum_required(VERSION 3.20.0)
find_package(Zephyr REQUIRED HINTS $ENV{ZEPHYR_BASE})
project(blinky)

target_sources(app PRIVATE src/main.c)
target_sources_ifdef(CONFIG_BLINKY_FAST app PRIVATE src/fast.c)
//- /Kconfig
menu "Blinky"

config BLINKY_FAST
	bool "Blink fast"
	depends on GPIO

config BLINKY_PERIOD_MS
	int "Blink period"
	default 100 if BLINKY_FAST
	default 1000

endmenu

source "Kconfig.zephyr"
//- /Kconfig.sysbuild
source "share/sysbuild/Kconfig"

config BLINKY_REMOTE_IMAGE
	bool "Build the remote core's image"
//- /prj.conf
CONFIG_GPIO=y
CONFIG_BLINKY_FAST=y
CONFIG_GPIO_NRFXX=y
//- /boards/nrf52840dk_nrf52840.conf
CONFIG_BOARD_ENABLE_DCDC=y
//- /overlay-debug.conf
CONFIG_GPIO_LOG_LEVEL_DBG=y
//- /sysbuild.conf
SB_CONFIG_BOOTLOADER_MCUBOOT=y
SB_CONFIG_BLINKY_REMOTE_IMAGE=y
SB_CONFIG_BLINKY_REMOTE_IMAG=y
//- /src/main.c
#include <zephyr/kernel.h>

#if defined(CONFIG_BLINKY_FAST) && defined(CONFIG_GPIO)
#define PERIOD CONFIG_BLINKY_PERIOD_MS
#endif
#ifdef CONFIG_BLINKY_SLOWW
#endif
//- /build/zephyr/include/generated/zephyr/autoconf.h
#define CONFIG_A_GENERATED_NAME 1
"""


@pytest.fixture(autouse=True)
def _no_zephyr_base_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The process's own ZEPHYR_BASE is one of the places the tree is found: not the test runner's."""
    monkeypatch.delenv("ZEPHYR_BASE", raising=False)


def _workspace(tmp_path: Path) -> Path:
    """The west workspace with the application at `app/` (beside `zephyr/`, as `west init -l` has it)."""
    _sysbuild_tree(tmp_path)
    write_fixture(tmp_path / "app", APPLICATION)
    return tmp_path


def _host(folder: Path, environment: dict[str, str] | None = None) -> AnalysisHost:
    host = AnalysisHost(
        AnalysisSettings(str(folder), environment=environment or {}, code_index_workers=1, logic=True)
    )
    host.load()
    return host


def _findings_in(host: AnalysisHost, folder: Path) -> list[str]:
    """`path:line: [code] message` of the findings in files under `folder`, paths relative to it."""
    snapshot = host.snapshot()
    lines = []
    for path, findings in snapshot.full_findings().items():
        if not path.startswith(str(folder) + os.sep):
            continue
        for finding in findings:
            line = snapshot.line_index(path).line_of(finding.location.span.start) + 1
            lines.append(f"{os.path.relpath(path, folder)}:{line}: [{finding.rule_code}] {finding.message}")
    return sorted(lines)


def _layout(folder: Path, environment: dict[str, str], process: dict[str, str]) -> tuple[str, str] | None:
    layout = find_zephyr_layout(str(folder), environment, process)
    return None if layout is None else (layout.zephyr_base, layout.found_by)


WEST_CONFIG = "[manifest]\npath = zephyr\nfile = west.yml\n"
# Shortened from zephyrproject-rtos/example-application's west.yml.
T2_MANIFEST = """manifest:
  self:
    west-commands: scripts/west-commands.yml
  remotes:
    - name: zephyrproject-rtos
      url-base: https://github.com/zephyrproject-rtos
  projects:
    - name: zephyr
      remote: zephyrproject-rtos
      revision: main
      import:
        name-allowlist:
          - cmsis
          - hal_nordic
"""


@pytest.mark.parametrize(
    ("files", "folder", "environment", "process", "expected"),
    [
        # 1. Given by the person: --env, the editor, .kconfig-ls.toml (relative to the folder).
        (
            {},
            "apps/blinky",
            {"ZEPHYR_BASE": "../../sdk/zephyr"},
            {},
            ("sdk/zephyr", "ZEPHYR_BASE in the settings"),
        ),
        # 3. The process's ZEPHYR_BASE (what CMake's find_package(Zephyr) reads first).
        (
            {},
            "apps/blinky",
            {},
            {"ZEPHYR_BASE": "{tmp}/sdk/zephyr"},
            ("sdk/zephyr", "the ZEPHYR_BASE environment variable"),
        ),
        # ... which the settings' ZEPHYR_BASE wins over.
        (
            {},
            "apps/blinky",
            {"ZEPHYR_BASE": "{tmp}/sdk/zephyr"},
            {"ZEPHYR_BASE": "{tmp}/nowhere"},
            ("sdk/zephyr", "ZEPHYR_BASE in the settings"),
        ),
        # 4. The tree holding an application (zephyr/samples/...).
        ({}, "sdk/zephyr/samples/blinky", {}, {}, ("sdk/zephyr", "the Zephyr tree holding the folder")),
        # 5. The west workspace: its manifest repository is the Zephyr tree ...
        ({"/ws/.west/config": WEST_CONFIG}, "ws/app", {}, {}, ("ws/zephyr", "the west workspace")),
        # ... or `zephyr.base` says where it is; a workspace's top folder finds it the same way.
        (
            {"/ws/.west/config": "[manifest]\npath = app\n[zephyr]\nbase = deps/zephyr\n"},
            "ws/app",
            {},
            {},
            ("ws/deps/zephyr", "the west workspace"),
        ),
        ({"/ws/.west/config": WEST_CONFIG}, "ws", {}, {}, ("ws/zephyr", "the west workspace")),
        # The application's own manifest repository (example-application's topology: `west init -m`
        # of the application's repository; Zephyr is one of its projects, at `zephyr/`).
        (
            {
                "/t2/.west/config": "[manifest]\npath = example-application\n",
                "/t2/example-application/west.yml": T2_MANIFEST,
                "/t2/zephyr/Kconfig.zephyr": "",
                "/t2/example-application/app/CMakeLists.txt": "find_package(Zephyr)\n",
            },
            "t2/example-application/app",
            {},
            {},
            ("t2/zephyr", "the west workspace"),
        ),
        # 2. `zephyr.base-prefer = configfile` puts the workspace's before the process's variable.
        (
            {"/ws/.west/config": WEST_CONFIG + "[zephyr]\nbase = zephyr\nbase-prefer = configfile\n"},
            "ws/app",
            {},
            {"ZEPHYR_BASE": "{tmp}/sdk/zephyr"},
            ("ws/zephyr", "zephyr.base of .west/config (base-prefer)"),
        ),
        (
            {"/ws/.west/config": WEST_CONFIG},
            "ws/app",
            {},
            {"ZEPHYR_BASE": "{tmp}/sdk/zephyr"},
            ("sdk/zephyr", "the ZEPHYR_BASE environment variable"),
        ),
        # 6. A zephyr/ tree beside the folder or one of its parents, without west.
        ({}, "ws/app", {}, {}, ("ws/zephyr", "a zephyr folder beside it")),
        # Not an application: the tree is not looked for.
        ({"/apps/notes/README": "no CMakeLists.txt\n"}, "apps/notes", {}, {}, None),
        # An application without any Zephyr tree to find.
        ({}, "lonely/blinky", {}, {}, None),
    ],
    ids=[
        "settings",
        "process environment",
        "settings before process",
        "tree holding it",
        "west manifest",
        "west zephyr.base",
        "west top",
        "application manifest",
        "base-prefer configfile",
        "process before west",
        "beside",
        "no application",
        "not found",
    ],
)
def test_zephyr_base_is_found_as_the_build_finds_it(
    tmp_path: Path,
    files: dict[str, str],
    folder: str,
    environment: dict[str, str],
    process: dict[str, str],
    expected: tuple[str, str] | None,
) -> None:
    for tree in ("sdk/zephyr", "ws/zephyr", "ws/deps/zephyr"):
        write_fixture(tmp_path / tree, "//- /Kconfig.zephyr\n")
    for application in ("apps/blinky", "sdk/zephyr/samples/blinky", "ws/app", "lonely/blinky"):
        write_fixture(tmp_path / application, APPLICATION)
    write_fixture(tmp_path, "".join(f"//- {path}\n{text}" for path, text in files.items()))

    def placed(values: dict[str, str]) -> dict[str, str]:
        return {name: value.replace("{tmp}", str(tmp_path)) for name, value in values.items()}

    found = _layout(tmp_path / folder, placed(environment), placed(process))
    assert found == (None if expected is None else (str(tmp_path / expected[0]), expected[1]))


def test_an_application_is_loaded_from_the_zephyr_tree_with_its_kconfig_as_the_root(tmp_path: Path) -> None:
    top = _workspace(tmp_path)
    application, zephyr = top / "app", top / "zephyr"
    settings = workspace_settings(str(application), load_project_settings(str(application)))
    # kconfig.cmake: KCONFIG_ROOT is the application's Kconfig; srctree and ZEPHYR_BASE the tree.
    assert settings.root == str(zephyr)
    assert settings.root_kconfig == str(application / "Kconfig")
    environment = settings.environment
    assert environment["ZEPHYR_BASE"] == environment["srctree"] == str(zephyr)
    assert environment["APPLICATION_SOURCE_DIR"] == environment["APP_DIR"] == str(application)
    assert environment["KCONFIG_BINARY_DIR"] == str(application / "build/Kconfig")
    assert environment["ZEPHYR_HAL_NORDIC_MODULE_DIR"] == str(top / "modules/hal/nordic")
    assert str(application) in settings.extra_roots
    model = KconfigModel(settings)
    model.load()
    reached = {name for name, definitions in model.definitions.items() if any(d.reached for d in definitions)}
    # The application's own symbols, Zephyr's (through `source "Kconfig.zephyr"`), the modules'.
    assert {"BLINKY_FAST", "BLINKY_PERIOD_MS", "GPIO", "GPIO_NRFX", "HAS_SEMTECH_RADIO_DRIVERS"} <= reached
    assert model.file_problems == {}
    assert detect_ecosystem(str(application)).name == "zephyr"
    # The oracle: kconfiglib on the application's Kconfig in the same tree, the generated files
    # (Kconfig.modules, the hardware model's, Kconfig.dts) written out as the build writes them.
    for path, data in settings.generated_files.items():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        Path(path).write_bytes(data)
    tree = load_with_kconfiglib(
        str(zephyr), str(application / "Kconfig"), environment, functions=_zephyr_functions()
    )
    assert {"BLINKY_FAST", "GPIO"} <= set(tree.symbol_names())
    agreement = compare_models(model, tree)
    assert agreement.symbols >= 25
    for aspect in sorted(agreement.mismatches):
        assert not agreement.mismatches[aspect], agreement.report(aspect)


def test_without_a_kconfig_of_its_own_an_application_is_rooted_at_zephyrs(tmp_path: Path) -> None:
    top = _workspace(tmp_path)
    (top / "app/Kconfig").unlink()
    settings = workspace_settings(str(top / "app"), load_project_settings(str(top / "app")))
    assert (settings.root, settings.root_kconfig) == (str(top / "zephyr"), "Kconfig")
    # A root named on the command line (or in the project file) is the project folder's.
    named = workspace_settings(
        str(top / "app"), load_project_settings(str(top / "app")), root_kconfig="Kconfig.sysbuild"
    )
    assert named.root_kconfig == str(top / "app/Kconfig.sysbuild")


# Every stable rule's findings in the application's files, through the host (lint, query, server).
APPLICATION_FINDINGS = [
    "prj.conf:3: [KLS101] CONFIG_GPIO_NRFXX in configuration file: no Kconfig file defines GPIO_NRFXX; "
    "did you mean CONFIG_GPIO_NRFX?",
    "src/main.c:6: [KLS101] CONFIG_BLINKY_SLOWW in #if condition: no Kconfig file defines BLINKY_SLOWW",
    # sysbuild.conf is judged by sysbuild's model, rooted at the application's Kconfig.sysbuild.
    "sysbuild.conf:3: [KLS101] SB_CONFIG_BLINKY_REMOTE_IMAG in configuration file: no Kconfig file defines "
    "BLINKY_REMOTE_IMAG; did you mean SB_CONFIG_BLINKY_REMOTE_IMAGE?",
]


@pytest.mark.parametrize("environment", [{}, {"BOARD": "nrf52840dk/nrf52840"}], ids=["no board", "board"])
def test_the_applications_code_and_conf_files_are_checked_against_zephyrs_kconfig(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    top = _workspace(tmp_path)
    application = top / "app"
    host = _host(application, environment)
    assert host.settings_problems == []
    # Without a board, the board's own option in its conf fragment gets the hint Zephyr's tree gives
    # another board's symbol (test_zephyr_workspace); built for that board, it is set.
    board_hint = (
        []
        if environment
        else [
            "boards/nrf52840dk_nrf52840.conf:1: [KLS103] CONFIG_BOARD_ENABLE_DCDC is defined only in "
            "boards/nordic/nrf52840dk, which the root Kconfig does not reach "
            "(boards/nordic/nrf52840dk/Kconfig:2); it is never set with the configured tree"
        ]
    )
    assert _findings_in(host, application) == sorted(board_hint + APPLICATION_FINDINGS)
    # The build folder's generated autoconf.h is not indexed (its names are no uses).
    snapshot = host.snapshot()
    assert snapshot.code_index is not None
    assert not [path for path in snapshot.code_index.entries if "/app/build/" in path]
    assert str(application / "prj.conf") in snapshot.code_index.entries
    assert str(top / "zephyr/drivers/gpio/CMakeLists.txt") in snapshot.code_index.entries
    (nested,) = snapshot.nested
    assert nested.model.settings.root_kconfig == str(application / "Kconfig.sysbuild")


def test_hover_definition_and_references_reach_zephyrs_kconfig_from_the_application(tmp_path: Path) -> None:
    top = _workspace(tmp_path)
    application = top / "app"
    host = _host(application)
    prj = application / "prj.conf"
    main_c = application / "src/main.c"
    # CONFIG_GPIO in prj.conf and in src/main.c: Zephyr's drivers/Kconfig.
    for path, offset in ((prj, 8), (main_c, main_c.read_bytes().index(b"CONFIG_GPIO") + 9)):
        (location,) = host.definition(str(path), offset)
        assert location.path == str(top / "zephyr/drivers/Kconfig")
        hover = host.hover(str(path), offset)
        assert hover is not None and hover.markdown.startswith("### GPIO")
        assert "General-Purpose Input/Output (GPIO) drivers" in hover.markdown
    # The application's own symbol, from its code: its Kconfig.
    (location,) = host.definition(str(main_c), main_c.read_bytes().index(b"CONFIG_BLINKY_FAST") + 9)
    assert location.path == str(application / "Kconfig")
    # Uses of GPIO: the application's files and Zephyr's own.
    places = {(os.path.relpath(site.location.path, top), site.kind) for site in host.references(str(prj), 8)}
    assert {
        ("app/prj.conf", "configuration file"),
        ("app/src/main.c", "#if condition"),
        ("zephyr/drivers/Kconfig", "definition"),
    } <= places
    # SB_CONFIG_X in the application's sysbuild.conf: its own Kconfig.sysbuild's X.
    sysbuild_conf = application / "sysbuild.conf"
    offset = sysbuild_conf.read_bytes().index(b"SB_CONFIG_BLINKY_REMOTE_IMAGE") + 12
    (location,) = host.definition(str(sysbuild_conf), offset)
    assert location.path == str(application / "Kconfig.sysbuild")


def test_the_workspaces_top_folder_is_the_zephyr_tree_with_its_modules(tmp_path: Path) -> None:
    top = _workspace(tmp_path)
    resolved = resolve_settings(AnalysisSettings(str(top)))
    assert (resolved.workspace.root, resolved.workspace.root_kconfig) == (str(top / "zephyr"), "Kconfig")
    assert (
        resolved.code_roots is not None
        and str(top / "modules/lib/loramac-node/zephyr") in resolved.code_roots
    )
    assert "APPLICATION_SOURCE_DIR" not in resolved.workspace.environment
    assert resolved.problems == ()


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("app/src/main.c", "app"),  # the nearest application, not the workspace above it
        ("app/boards/nrf52840dk_nrf52840.conf", "app"),
        ("zephyr/drivers/gpio/gpio_nrfx.c", "zephyr"),  # the Zephyr tree's own files
        ("zephyr/share/sysbuild/images/Kconfig", "zephyr"),
        (".west/config", "."),  # the workspace's top
    ],
)
def test_the_project_root_search_stops_at_the_application(tmp_path: Path, start: str, expected: str) -> None:
    top = _workspace(tmp_path)
    choice = choose_project_root(str(top / start), working_directory=str(top), home=str(top.parent))
    assert choice.root == os.path.normpath(str(top / expected))


def test_lint_of_the_application_reports_its_own_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = _workspace(tmp_path)
    application = top / "app"
    with (application / "Kconfig").open("a") as kconfig:
        kconfig.write('\nconfig BLINKY_SLOW\n\tbool "Blink slowly"\n\tdepends on GPIOO\n')
    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.setattr(cli_main.sys, "stdout", stdout)
    monkeypatch.setattr(cli_main.sys, "stderr", stderr)
    monkeypatch.chdir(application)
    code = cli_main.main(["lint", "--no-cache", "--jobs", "1", "--format", "json", "."])
    assert code == 1, stderr.getvalue()
    findings = json.loads(stdout.getvalue())["findings"]
    # The application's Kconfig is the root; Zephyr's own findings (its typo in sysbuild's CMake)
    # are outside the folder asked about.
    assert [(f["path"], f["code"]) for f in findings if f["code"] == "KLS002"] == [("Kconfig", "KLS002")]
    assert not [f for f in findings if "MCUBOOTT" in f["message"]]
    assert "GPIOO" in findings[0]["message"]


def test_lint_of_the_application_reports_its_code_and_configuration_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lint indexes the application's code and conf files beside the Zephyr tree's, as the host does."""
    top = _workspace(tmp_path)
    stdout, stderr = io.StringIO(), io.StringIO()
    monkeypatch.setattr(cli_main.sys, "stdout", stdout)
    monkeypatch.setattr(cli_main.sys, "stderr", stderr)
    monkeypatch.chdir(top / "app")
    code = cli_main.main(["lint", "--no-cache", "--jobs", "1", "--format", "json", "."])
    assert code == 1, stderr.getvalue()
    findings = json.loads(stdout.getvalue())["findings"]
    named = {
        (f["path"], f["code"], name)
        for f in findings
        for name in ("GPIO_NRFXX", "BLINKY_SLOWW", "BLINKY_REMOTE_IMAG")
        if name in f["message"]
    }
    assert {(path, name) for path, _, name in named} == {
        ("prj.conf", "GPIO_NRFXX"),
        ("src/main.c", "BLINKY_SLOWW"),
        ("sysbuild.conf", "BLINKY_REMOTE_IMAG"),
    }


def test_query_from_the_application_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    top = _workspace(tmp_path)
    monkeypatch.chdir(top / "app")
    answers = []
    for question, position in (("definition", "prj.conf:1:9"), ("hover", "src/main.c:3:48")):
        stdout, stderr = io.StringIO(), io.StringIO()
        monkeypatch.setattr(cli_main.sys, "stdout", stdout)
        monkeypatch.setattr(cli_main.sys, "stderr", stderr)
        code = cli_main.main(["query", question, position, "--cache-dir", str(tmp_path / "cache")])
        assert code == 0, stderr.getvalue()
        answers.append(json.loads(stdout.getvalue()))
    definition, hover = answers
    assert [(r["path"], r["line"]) for r in definition["results"]] == [
        (str(top / "zephyr/drivers/Kconfig"), 7)
    ]
    assert hover["markdown"].startswith("### GPIO")


def test_an_application_without_a_zephyr_tree_says_how_to_name_one(tmp_path: Path) -> None:
    write_fixture(tmp_path / "blinky", APPLICATION)
    resolved = resolve_settings(AnalysisSettings(str(tmp_path / "blinky")))
    assert any(
        "no Zephyr tree was found" in problem and "ZEPHYR_BASE" in problem for problem in resolved.problems
    )
    # Given, it is used.
    write_fixture(tmp_path / "sdk/zephyr", HWMV2)
    given = resolve_settings(
        AnalysisSettings(str(tmp_path / "blinky"), environment={"ZEPHYR_BASE": str(tmp_path / "sdk/zephyr")})
    )
    assert given.workspace.root == str(tmp_path / "sdk/zephyr")
    assert given.problems == ()


def test_zephyr_modules_given_in_the_settings_reach_the_code_index(tmp_path: Path) -> None:
    top = _workspace(tmp_path)
    loramac = str(top / "modules/lib/loramac-node")
    resolved = resolve_settings(
        AnalysisSettings(str(top / "zephyr"), environment={"ZEPHYR_MODULES": loramac})
    )
    assert resolved.code_roots == (os.path.join(loramac, "zephyr"),)
    default = resolve_settings(AnalysisSettings(str(top / "zephyr")))
    assert default.code_roots is not None and len(default.code_roots) == 3


def test_the_applications_build_folder_is_its_active_configuration(tmp_path: Path) -> None:
    # `configFile = "build"` (or `kconfig-ls.selectConfiguration`) names the application's build
    # folder, whose `zephyr/.config` west build writes; not the Zephyr tree's.
    top = _workspace(tmp_path)
    application = top / "app"
    write_fixture(application / "build", "//- /zephyr/.config\nCONFIG_GPIO=y\nCONFIG_BLINKY_FAST=y\n")
    host = _host(application)
    choice = host.set_configuration(["build"])
    assert choice.problems == ()
    assert choice.files == (str(application / "build/zephyr/.config"),)


def test_a_sample_of_the_tree_opened_on_its_own_is_judged_as_the_project(tmp_path: Path) -> None:
    # Zephyr's samples are projects of their own when the tree is linted (their options are
    # theirs); opened as the folder, the sample is the project: its mistakes are reported.
    top = _workspace(tmp_path)
    sample = top / "zephyr/samples/basic/blinky"
    write_fixture(sample, APPLICATION)
    host = _host(sample)
    assert host.resolved_settings.workspace.root == str(top / "zephyr")
    lines = _findings_in(host, sample)
    assert [line.split(" ", 2)[:2] for line in lines if "KLS101" in line] == [
        ["prj.conf:3:", "[KLS101]"],
        ["src/main.c:6:", "[KLS101]"],
        ["sysbuild.conf:3:", "[KLS101]"],
    ]
    tree = _host(top / "zephyr")
    assert not [line for line in _findings_in(tree, sample) if "KLS101" in line]
