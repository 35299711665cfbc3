"""Zephyr in a west workspace: the generated `Kconfig.modules` of its modules, and sysbuild.

The workspace is laid out as `west init` / `west update` leave it: `.west/config` at the top,
the manifest `zephyr/west.yml`, modules in sibling folders (`modules/hal/nordic`,
`modules/lib/loramac-node`, `bootloader/mcuboot`). The module files are shortened from the
real ones (hal_nordic's and mcuboot's `zephyr/module.yml`, loramac-node's `zephyr/Kconfig`);
the generated text is `scripts/zephyr_module.py`'s (`kconfig_snippet`, `kconfig_module_opts`,
`process_sysbuildkconfig`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.settings.ecosystem import ecosystem_for_project, nested_project_settings
from kconfig_ls.settings.project_file import default_code_exclude, load_project_settings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.settings.zephyr_modules import NO_MODULES_TEXT
from kconfig_ls.syntax.expression import render
from tests.ecosystems.support import findings, reached, references
from tests.ecosystems.test_zephyr import HWMV2, _write_hardware_model_files, _zephyr_functions
from tests.fixtures import write_fixture
from tests.linux.test_kconfiglib_agreement import compare_models

WORKSPACE = """
//- /.west/config
[manifest]
path = zephyr
file = west.yml
//- /zephyr/west.yml
manifest:
  remotes:
    - name: upstream
      url-base: https://github.com/zephyrproject-rtos
  projects:
    - name: mcuboot
      revision: 2b2a9b2c9b1c2e0e6b4a3c9d0f1e2a3b4c5d6e7f
      path: bootloader/mcuboot
      groups:
        - bootloader
    - name: hal_nordic
      path: modules/hal/nordic
    - name: loramac-node
      path: modules/lib/loramac-node
    - name: net-tools
      path: tools/net-tools
  self:
    path: zephyr
//- /bootloader/mcuboot/zephyr/module.yml
samples:
  - boot/zephyr
build:
  cmake: ./boot/bootutil/zephyr
  kconfig: ./boot/bootutil/zephyr/Kconfig
  sysbuild-kconfig: ./boot/zephyr/sysbuild/Kconfig.sysbuild
  depends:
    - hal_nordic
//- /bootloader/mcuboot/boot/bootutil/zephyr/Kconfig
config MCUBOOT_BOOTUTIL_LIB
	bool "MCUboot utility library"
	depends on ZEPHYR_MCUBOOT_MODULE
//- /bootloader/mcuboot/boot/zephyr/sysbuild/Kconfig.sysbuild
config MCUBOOT_FROM_THE_MODULE
	bool "MCUboot's own sysbuild option"
//- /modules/hal/nordic/zephyr/module.yml
name: hal_nordic
build:
  cmake-ext: True
  kconfig-ext: True
blobs:
  - path: wifi_fw_bins/default/nrf70.bin
    sha256: 0000000000000000000000000000000000000000000000000000000000000000
    type: img
    version: '1.0'
    license-path: zephyr/blobs/LICENSE
    url: https://example.invalid/nrf70.bin
    description: nRF70 firmware
//- /modules/lib/loramac-node/zephyr/CMakeLists.txt
zephyr_library()
//- /modules/lib/loramac-node/zephyr/Kconfig
config HAS_SEMTECH_RADIO_DRIVERS
	bool "Semtech radio drivers"
	depends on ZEPHYR_LORAMAC_NODE_MODULE
//- /tools/net-tools/README
Not a Zephyr module: no zephyr/module.yml.
"""

EXPECTED_MODULES = """\
menu "hal_nordic ({top}/modules/hal/nordic)"
osource "$(ZEPHYR_HAL_NORDIC_KCONFIG)"
config ZEPHYR_HAL_NORDIC_MODULE
\tbool
\tdefault y

config ZEPHYR_HAL_NORDIC_MODULE_BLOBS
\tbool
endmenu
menu "loramac-node ({top}/modules/lib/loramac-node)"
osource "{top}/modules/lib/loramac-node/zephyr/Kconfig"
config ZEPHYR_LORAMAC_NODE_MODULE
\tbool
\tdefault y
endmenu
menu "mcuboot ({top}/bootloader/mcuboot)"
osource "{top}/bootloader/mcuboot/boot/bootutil/zephyr/Kconfig"
config ZEPHYR_MCUBOOT_MODULE
\tbool
\tdefault y
endmenu
"""

EXPECTED_SYSBUILD_MODULES = """\
config ZEPHYR_HAL_NORDIC_MODULE
   bool
   default y
config ZEPHYR_LORAMAC_NODE_MODULE
   bool
   default y
menu "mcuboot ({top}/bootloader/mcuboot)"
osource "{top}/bootloader/mcuboot/boot/zephyr/sysbuild/Kconfig.sysbuild"
config ZEPHYR_MCUBOOT_MODULE
\tbool
\tdefault y
endmenu
"""


def _workspace(tmp_path: Path) -> Path:
    write_fixture(tmp_path, WORKSPACE)
    write_fixture(tmp_path / "zephyr", HWMV2)
    return tmp_path / "zephyr"


def _load(zephyr: Path, environment: dict[str, str] | None = None) -> KconfigModel:
    root = str(zephyr)
    model = KconfigModel(workspace_settings(root, load_project_settings(root), environment=environment or {}))
    model.load()
    return model


def _problems(model: KconfigModel) -> list[str]:
    return sorted(
        f"{model.relative(path)}: {problem.message}"
        for path, problems in model.file_problems.items()
        for problem in problems
    )


def test_a_west_workspaces_modules_make_kconfig_modules_as_zephyr_module_py_writes_it(tmp_path: Path) -> None:
    zephyr = _workspace(tmp_path)
    model = _load(zephyr)
    generated = model.settings.generated_files
    # Manifest order, then `build.depends` (mcuboot after hal_nordic); net-tools is no module;
    # hal_nordic's Kconfig is Zephyr's (`kconfig-ext`), and it lists a blob that is not on disk.
    assert generated[str(zephyr / "build/Kconfig/Kconfig.modules")].decode() == EXPECTED_MODULES.format(
        top=tmp_path
    )
    assert generated[str(zephyr / "build/Kconfig/Kconfig.sysbuild.modules")].decode() == (
        EXPECTED_SYSBUILD_MODULES.format(top=tmp_path)
    )
    environment = model.settings.environment
    assert environment["ZEPHYR_HAL_NORDIC_MODULE_DIR"] == str(tmp_path / "modules/hal/nordic")
    assert environment["ZEPHYR_HAL_NORDIC_KCONFIG"] == str(zephyr / "modules/hal_nordic/Kconfig")
    assert environment["ZEPHYR_LORAMAC_NODE_MODULE_DIR"] == str(tmp_path / "modules/lib/loramac-node")
    # The modules' Kconfig files, outside the Zephyr tree, are followed (the workspace holds them).
    assert {
        "ZEPHYR_MCUBOOT_MODULE",
        "ZEPHYR_LORAMAC_NODE_MODULE",
        "ZEPHYR_HAL_NORDIC_MODULE_BLOBS",
        "MCUBOOT_BOOTUTIL_LIB",
        "HAS_SEMTECH_RADIO_DRIVERS",
    } <= reached(model)
    (semtech,) = model.definitions["HAS_SEMTECH_RADIO_DRIVERS"]
    assert semtech.path == str(tmp_path / "modules/lib/loramac-node/zephyr/Kconfig")
    # Through `$(ZEPHYR_HAL_NORDIC_KCONFIG)`: Zephyr's modules/hal_nordic/Kconfig, in the module's menu.
    assert any(
        d.reached and d.inclusion.source_path == str(zephyr / "build/Kconfig/Kconfig.modules")
        for d in model.definitions["ZEPHYR_HAL_NORDIC_MODULE"]
    )
    assert _problems(model) == []
    assert not (zephyr / "build").exists()  # nothing is written


def test_the_modules_agree_with_kconfiglib(tmp_path: Path) -> None:
    # The oracle reads the generated text written out, with the variables the build exports.
    zephyr = _workspace(tmp_path)
    model = _load(zephyr)
    _write_hardware_model_files(zephyr, [])
    (zephyr / "build/Kconfig/Kconfig.modules").write_text(EXPECTED_MODULES.format(top=tmp_path))
    tree = load_with_kconfiglib(
        str(zephyr), "Kconfig", model.settings.environment, functions=_zephyr_functions()
    )
    assert {"MCUBOOT_BOOTUTIL_LIB", "HAS_SEMTECH_RADIO_DRIVERS"} <= set(tree.symbol_names())
    agreement = compare_models(model, tree)
    for aspect in sorted(agreement.mismatches):
        assert not agreement.mismatches[aspect], agreement.report(aspect)


def test_zephyr_modules_in_the_environment_replace_the_west_projects(tmp_path: Path) -> None:
    zephyr = _workspace(tmp_path)
    model = _load(zephyr, {"ZEPHYR_MODULES": f"{tmp_path}/modules/lib/loramac-node"})
    text = model.settings.generated_files[str(zephyr / "build/Kconfig/Kconfig.modules")].decode()
    assert text.startswith('menu "loramac-node (') and text.count("menu ") == 1
    assert "HAS_SEMTECH_RADIO_DRIVERS" in reached(model)
    assert "MCUBOOT_BOOTUTIL_LIB" not in reached(model)
    # ZEPHYR_EXTRA_MODULES adds to them (a CMake list), a folder that is no module is ignored.
    extra = f"{tmp_path}/modules/lib/loramac-node;{tmp_path}/bootloader/mcuboot {tmp_path}/tools/net-tools"
    model = _load(zephyr, {"ZEPHYR_MODULES": f"{tmp_path}/modules/hal/nordic", "ZEPHYR_EXTRA_MODULES": extra})
    text = model.settings.generated_files[str(zephyr / "build/Kconfig/Kconfig.modules")].decode()
    assert [line for line in text.splitlines() if line.startswith("menu ")] == [
        f'menu "hal_nordic ({tmp_path}/modules/hal/nordic)"',
        f'menu "loramac-node ({tmp_path}/modules/lib/loramac-node)"',
        f'menu "mcuboot ({tmp_path}/bootloader/mcuboot)"',
    ]


def test_without_a_workspace_the_module_files_say_so_and_nothing_else(tmp_path: Path) -> None:
    # No `.west` above the tree and no ZEPHYR_MODULES: zephyr_module.cmake's one comment line.
    write_fixture(tmp_path, HWMV2)
    model = _load(tmp_path)
    generated = model.settings.generated_files
    assert generated[str(tmp_path / "build/Kconfig/Kconfig.modules")] == NO_MODULES_TEXT
    assert generated[str(tmp_path / "build/Kconfig/Kconfig.sysbuild.modules")] == NO_MODULES_TEXT
    assert not [name for name in model.settings.environment if name.endswith("_MODULE_DIR")]
    assert model.settings.extra_roots == ()


def test_a_west_folder_above_a_world_writable_folder_is_not_followed(tmp_path: Path) -> None:
    # A `.west/config` planted in a shared folder (`/tmp`) must not add modules to the tree.
    shared = tmp_path / "shared"
    zephyr = _workspace(shared)
    shared.chmod(0o777)
    try:
        model = _load(zephyr)
    finally:
        shared.chmod(0o755)
    assert model.settings.generated_files[str(zephyr / "build/Kconfig/Kconfig.modules")] == NO_MODULES_TEXT
    assert "HAS_SEMTECH_RADIO_DRIVERS" not in model.definitions


# Sysbuild, shortened from Zephyr's share/sysbuild/Kconfig, Kconfig.v2, images/Kconfig,
# images/bootloader/Kconfig and CMakeLists.txt, image_configurations/MAIN_image_default.cmake,
# modules/Kconfig.sysbuild, and a sample's sysbuild.conf and Kconfig.sysbuild.
SYSBUILD = """
//- /share/sysbuild/Kconfig
comment "Sysbuild image configuration"

osource "$(BOARD_DIR)/Kconfig.sysbuild"

menu "Modules"
source "modules/Kconfig.sysbuild"
endmenu

config EXPERIMENTAL
	bool

config WARN_EXPERIMENTAL
	bool
	prompt "Warn on experimental usage"

config DEPRECATED
	bool

config WARN_DEPRECATED
	bool
	default y
	prompt "Warn on deprecated usage"

rsource "images/Kconfig"
//- /share/sysbuild/images/Kconfig
rsource "bootloader/Kconfig"
//- /share/sysbuild/images/bootloader/Kconfig
config SUPPORT_BOOTLOADER
	bool
	default y

config SUPPORT_BOOTLOADER_MCUBOOT_ZEPHYR
	bool
	default y

choice BOOTLOADER
	prompt "Bootloader support"
	default BOOTLOADER_NONE
	depends on SUPPORT_BOOTLOADER

config BOOTLOADER_NONE
	bool "None"

config BOOTLOADER_MCUBOOT
	bool "MCUboot"
	depends on SUPPORT_BOOTLOADER_MCUBOOT_ZEPHYR

endchoice

if BOOTLOADER_MCUBOOT

choice MCUBOOT_MODE
	prompt "Mode of operation"
	default MCUBOOT_MODE_SWAP_USING_MOVE

config MCUBOOT_MODE_SWAP_USING_MOVE
	bool "Swap using move"

config MCUBOOT_MODE_SWAP_WITHOUT_SCRATCH
	bool "Swap without scratch (swap using move) [DEPRECATED]"
	select DEPRECATED

endchoice

choice BOOT_SIGNATURE_TYPE
	prompt "Signature type"
	default BOOT_SIGNATURE_TYPE_RSA

config BOOT_SIGNATURE_TYPE_RSA
	bool "RSA signatures"

config BOOT_SIGNATURE_TYPE_ECDSA_P256
	bool "Elliptic curve digital signatures with curve P-256"

endchoice

config BOOT_SIGNATURE_KEY_FILE
	string "Signing PEM key file"
	default "$(ZEPHYR_MCUBOOT_MODULE_DIR)/root-ec-p256.pem" if BOOT_SIGNATURE_TYPE_ECDSA_P256
	default "$(ZEPHYR_MCUBOOT_MODULE_DIR)/root-rsa-2048.pem" if BOOT_SIGNATURE_TYPE_RSA
	default ""

config BOOT_ENCRYPTION
	bool "Encrypted image support"

endif
//- /share/sysbuild/images/bootloader/CMakeLists.txt
# Include MCUboot if enabled.
if(SB_CONFIG_BOOTLOADER_MCUBOOT)
  set(image mcuboot)
  ExternalZephyrProject_Add(
    APPLICATION ${image}
    SOURCE_DIR ${ZEPHYR_MCUBOOT_MODULE_DIR}/boot/zephyr/
    APP_TYPE BOOTLOADER
  )
  set_config_string(${image} CONFIG_BOOT_SIGNATURE_KEY_FILE "${SB_CONFIG_BOOT_SIGNATURE_KEY_FILE}")
  set_config_bool(${image} CONFIG_BOOT_ENCRYPT_IMAGE "${SB_CONFIG_BOOT_ENCRYPTION}")
endif()
//- /share/sysbuild/image_configurations/MAIN_image_default.cmake
set_config_bool(${ZCMAKE_APPLICATION} CONFIG_BOOTLOADER_MCUBOOT "${SB_CONFIG_BOOTLOADER_MCUBOOT}")
if(SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE)
  set_config_bool(${ZCMAKE_APPLICATION} CONFIG_MCUBOOT_BOOTLOADER_MODE_SWAP_USING_MOVE y)
endif()
//- /modules/Kconfig.sysbuild
comment "Available modules."

source "$(KCONFIG_BINARY_DIR)/Kconfig.sysbuild.modules"

comment "Unavailable modules, please install those via the project manifest."

if 0
osource "modules/*/Kconfig.sysbuild"
endif
//- /cmake/modules/sysbuild_flash.cmake
if(SB_CONFIG_BOOTLOADER_MCUBOOT AND NOT SB_CONFIG_BOOT_ENCRYPTION)
endif()
if(SB_CONFIG_BOOTLOADER_MCUBOOTT)
endif()
//- /samples/sysbuild/with_mcuboot/sysbuild.conf
SB_CONFIG_BOOTLOADER_MCUBOOT=y
SB_CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256=y
//- /samples/sysbuild/with_mcuboot/Kconfig.sysbuild
source "share/sysbuild/Kconfig"

config WITH_MCUBOOT_REMOTE_BOARD
	string
	default "nrf52840dk"
//- /samples/sysbuild/with_mcuboot/prj.conf
CONFIG_BOOTLOADER_MCUBOOT=y
//- /samples/sysbuild/with_mcuboot/sysbuild/mcuboot.conf
CONFIG_BOOT_SIGNATURE_TYPE_ECDSA_P256=y
"""


def _sysbuild_workspace(tmp_path: Path) -> Path:
    zephyr = _workspace(tmp_path)
    write_fixture(zephyr, SYSBUILD)
    return zephyr


def test_sysbuild_files_belong_to_the_sysbuild_project(tmp_path: Path) -> None:
    zephyr = _sysbuild_workspace(tmp_path)
    model = _load(zephyr)
    ecosystem = ecosystem_for_project(str(zephyr))
    owners = {
        path: (project.name if (project := ecosystem.nested_project_of(path)) else None)
        for path in (
            "share/sysbuild/images/bootloader/Kconfig",
            "share/sysbuild/images/bootloader/CMakeLists.txt",
            "modules/Kconfig.sysbuild",
            "samples/sysbuild/with_mcuboot/sysbuild.conf",
            "samples/sysbuild/with_mcuboot/sysbuild_release.conf",
            "samples/sysbuild/with_mcuboot/Kconfig.sysbuild",
            "samples/sysbuild/with_mcuboot/prj.conf",
            "samples/sysbuild/with_mcuboot/sysbuild/mcuboot.conf",  # the mcuboot image's CONFIG_ file
            "drivers/Kconfig",
        )
    }
    assert owners == {
        "share/sysbuild/images/bootloader/Kconfig": "sysbuild",
        "share/sysbuild/images/bootloader/CMakeLists.txt": "sysbuild",
        "modules/Kconfig.sysbuild": "sysbuild",
        "samples/sysbuild/with_mcuboot/sysbuild.conf": "sysbuild",
        "samples/sysbuild/with_mcuboot/sysbuild_release.conf": "sysbuild",
        "samples/sysbuild/with_mcuboot/Kconfig.sysbuild": "sysbuild",
        "samples/sysbuild/with_mcuboot/prj.conf": None,
        "samples/sysbuild/with_mcuboot/sysbuild/mcuboot.conf": None,
        "drivers/Kconfig": None,
    }
    # The main tree does not reach sysbuild's symbols; its files load without a problem
    # (modules/Kconfig.sysbuild sources the generated Kconfig.sysbuild.modules).
    assert "BOOTLOADER_NONE" not in reached(model)
    assert not any(d.reached for d in model.definitions["BOOTLOADER_NONE"])
    assert _problems(model) == []


def test_the_sysbuild_project_loads_with_its_own_root_and_agrees_with_kconfiglib(tmp_path: Path) -> None:
    zephyr = _sysbuild_workspace(tmp_path)
    main = _load(zephyr)
    (project,) = ecosystem_for_project(str(zephyr)).nested_projects
    settings = nested_project_settings(main.settings, project)
    assert settings.root_kconfig == "share/sysbuild/Kconfig"
    assert settings.environment["CONFIG_"] == "SB_CONFIG_"  # sysbuild_kconfig.cmake's KCONFIG_NAMESPACE
    sysbuild = KconfigModel(settings)
    sysbuild.load()
    assert {
        "BOOTLOADER_MCUBOOT",
        "MCUBOOT_MODE_SWAP_USING_MOVE",
        "BOOT_SIGNATURE_KEY_FILE",
        "WARN_DEPRECATED",
        # From mcuboot's `sysbuild-kconfig`, through the generated Kconfig.sysbuild.modules.
        "MCUBOOT_FROM_THE_MODULE",
        "ZEPHYR_MCUBOOT_MODULE",
    } <= reached(sysbuild)
    assert "GPIO" not in sysbuild.definitions  # the main tree's symbols are not sysbuild's
    assert _problems(sysbuild) == []
    # `$(ZEPHYR_MCUBOOT_MODULE_DIR)` is the workspace's mcuboot module.
    (key_file,) = sysbuild.definitions["BOOT_SIGNATURE_KEY_FILE"]
    assert render(key_file.defaults[1].value) == f'"{tmp_path}/bootloader/mcuboot/root-rsa-2048.pem"'
    # The oracle: kconfiglib on share/sysbuild/Kconfig, with the generated file written out.
    _write_hardware_model_files(zephyr, [])
    (zephyr / "build/Kconfig/Kconfig.sysbuild.modules").write_text(
        EXPECTED_SYSBUILD_MODULES.format(top=tmp_path)
    )
    tree = load_with_kconfiglib(
        str(zephyr), "share/sysbuild/Kconfig", settings.environment, functions=_zephyr_functions()
    )
    agreement = compare_models(sysbuild, tree)
    assert agreement.symbols >= 15
    for aspect in sorted(agreement.mismatches):
        assert not agreement.mismatches[aspect], agreement.report(aspect)
    # An application's Kconfig.sysbuild is the root when it exists (it sources share/sysbuild/Kconfig).
    application = KconfigModel(
        nested_project_settings(main.settings, project, "samples/sysbuild/with_mcuboot/Kconfig.sysbuild")
    )
    application.load()
    assert {"WITH_MCUBOOT_REMOTE_BOARD", "BOOTLOADER_MCUBOOT"} <= reached(application)


def test_sb_config_names_resolve_to_sysbuild_without_false_findings(tmp_path: Path) -> None:
    zephyr = _sysbuild_workspace(tmp_path)
    (zephyr / "Kconfig.zephyr").write_text(
        (zephyr / "Kconfig.zephyr").read_text()
        + 'config BOOTLOADER_MCUBOOT\n\tbool "MCUboot bootloader support"\n'
    )
    root = str(zephyr)
    model = _load(zephyr)
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    # The image's `CONFIG_X` (prj.conf, and the mcuboot image's sysbuild/mcuboot.conf) is the
    # main tree's X; `SB_CONFIG_X` in sysbuild.conf and in CMake is sysbuild's, kept apart.
    assert references(index, "BOOTLOADER_MCUBOOT") == [
        ("samples/sysbuild/with_mcuboot/prj.conf", 1, "config_assignment"),
    ]
    assert references(index, "BOOT_SIGNATURE_TYPE_ECDSA_P256") == [
        ("samples/sysbuild/with_mcuboot/sysbuild/mcuboot.conf", 1, "config_assignment"),
    ]
    sysbuild = index.nested_view("SB_CONFIG_")
    assert references(sysbuild, "BOOTLOADER_MCUBOOT") == [
        ("cmake/modules/sysbuild_flash.cmake", 1, "cmake"),
        ("samples/sysbuild/with_mcuboot/sysbuild.conf", 1, "config_assignment"),
        ("share/sysbuild/image_configurations/MAIN_image_default.cmake", 1, "cmake"),
        ("share/sysbuild/images/bootloader/CMakeLists.txt", 2, "cmake"),
    ]
    assert references(sysbuild, "BOOT_ENCRYPTION") == [
        ("cmake/modules/sysbuild_flash.cmake", 1, "cmake"),
        ("share/sysbuild/images/bootloader/CMakeLists.txt", 10, "cmake"),
    ]
    # The main model judges none of sysbuild's names (its own model does, through the host:
    # test_zephyr_sysbuild_clients); sysbuild.conf's lines are assignments.
    assert (
        findings(
            model,
            index,
            "undefined-symbol-in-code",
            "other-architecture-symbol",
            "code-file-problem",
            "undefined-symbol",
            "source-problem",
        )
        == []
    )  # Another board's symbol without a chosen board is unknown (any board may be built).


def test_a_module_symbol_named_in_cmake_is_that_symbol(tmp_path: Path) -> None:
    # `CONFIG_ZEPHYR_HAL_NORDIC_MODULE` is Kconfig.modules' symbol, not HAL_NORDIC tested for `m`.
    zephyr = _workspace(tmp_path)
    (zephyr / "drivers/CMakeLists.txt").write_text(
        "if(CONFIG_ZEPHYR_HAL_NORDIC_MODULE)\nendif()\nif(CONFIG_ZEPHYR_NO_SUCH_MODULE)\nendif()\n"
    )
    root = str(zephyr)
    model = _load(zephyr)
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    assert findings(model, index, "undefined-symbol-in-code") == [
        "drivers/CMakeLists.txt:3: CONFIG_ZEPHYR_NO_SUCH_MODULE in CMake file: no Kconfig file defines "
        "ZEPHYR_NO_SUCH"
    ]


def _all_stable_findings(zephyr: Path, environment: dict[str, str]) -> list[str]:
    """Every stable rule's findings as the clients get them (the host: sysbuild's model too, the logic on)."""
    host = AnalysisHost(
        AnalysisSettings(str(zephyr), environment=environment, code_index_workers=1, logic=True)
    )
    host.load()
    snapshot = host.snapshot()
    found = [finding for findings in snapshot.full_findings().values() for finding in findings]
    lines = []
    for finding in sorted(found, key=lambda f: (f.location.path, f.location.span.start, f.message)):
        line = Path(finding.location.path).read_bytes()[: finding.location.span.start].count(b"\n") + 1
        lines.append(
            f"{snapshot.relative(finding.location.path)}:{line}: [{finding.rule_code}] {finding.message}"
        )
    return lines


@pytest.mark.parametrize(
    "environment",
    [{}, {"BOARD": "nrf52840dk", "BOARD_QUALIFIERS": "/nrf52840"}],
    ids=["no board", "nrf52840dk"],
)
def test_a_whole_lint_of_the_workspace_finds_only_what_is_wrong(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    # The realistic tree: hardware model v2 boards and SoCs, modules from west, the logging
    # template, devicetree bindings, sysbuild, prj.conf/sysbuild.conf/defconfigs and CMake.
    zephyr = _sysbuild_workspace(tmp_path)
    other_board = [
        # With a board chosen, another board's symbol, as Linux hints at another architecture's
        # (true, a hint); without one, any board may be the one built: unknown, no hint.
        "drivers/gpio/gpio_board.c:3: [KLS103] CONFIG_BOARD_QEMU_X86 is defined only in boards/qemu/x86, "
        "which the root Kconfig does not reach (boards/qemu/x86/Kconfig.qemu_x86:1); it is never set with "
        "the configured tree",
    ]
    assert _all_stable_findings(zephyr, environment) == [
        # A typo (true).
        "cmake/modules/sysbuild_flash.cmake:3: [KLS101] SB_CONFIG_BOOTLOADER_MCUBOOTT in CMake file: no "
        "Kconfig file defines BOOTLOADER_MCUBOOTT; did you mean SB_CONFIG_BOOTLOADER_MCUBOOT?",
        *(other_board if "BOARD" in environment else []),
    ]


def test_devicetree_bindings_make_kconfig_dts_as_the_build_writes_it(tmp_path: Path) -> None:
    # scripts/dts/gen_driver_kconfig_dts.py: one DT_HAS_<COMPAT>_ENABLED per binding's compatible.
    zephyr = _workspace(tmp_path)
    write_fixture(
        zephyr,
        """
//- /dts/bindings/serial/nordic,nrf-uarte.yaml
description: Nordic nRF family UARTE (UART with EasyDMA)
compatible: nordic,nrf-uarte # an unquoted scalar, with a comment
//- /dts/bindings/vendor-prefixes.txt
nordic	Nordic Semiconductor
//- /dts/bindings/test/list.yaml
compatible: [not, a, scalar]
""",
    )
    model = _load(zephyr)
    text = model.settings.generated_files[str(zephyr / "build/Kconfig/Kconfig.dts")].decode()
    assert text == (
        "# Generated devicetree Kconfig\n#\n# SPDX-License-Identifier: Apache-2.0\n"
        "\nDT_COMPAT_NORDIC_NRF_GPIO := nordic,nrf-gpio\n\n"
        "config DT_HAS_NORDIC_NRF_GPIO_ENABLED\n\tdef_bool $(dt_compat_enabled,$(DT_COMPAT_NORDIC_NRF_GPIO))\n"
        "\nDT_COMPAT_NORDIC_NRF_UARTE := nordic,nrf-uarte\n\n"
        "config DT_HAS_NORDIC_NRF_UARTE_ENABLED\n\tdef_bool $(dt_compat_enabled,$(DT_COMPAT_NORDIC_NRF_UARTE))\n"
    )
    (dt_has,) = model.definitions["DT_HAS_NORDIC_NRF_GPIO_ENABLED"]
    assert dt_has.reached and "Unknown" in repr(dt_has.defaults[0].value)
    # A driver that depends on it is not dead: without a devicetree its value is unknown, not `n`.
    root = str(zephyr)
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    dead = run_checks(CheckContext(model, index, logic=True), RuleSettings(select=frozenset({"dead-symbol"})))
    assert "GPIO_NRFX" not in " ".join(finding.message for finding in dead)


TEMPLATE_INSTANTIATED_TWICE = """
//- /Kconfig
menuconfig LOG
	bool "Logging"
config GPIO
	bool "GPIO"
config SOC_FAMILY_ESPRESSIF_ESP32
	bool
if SOC_FAMILY_ESPRESSIF_ESP32
module = ESP_HAL
source "subsys/logging/Kconfig.template.log_config"
endif
if GPIO
module = GPIO
source "subsys/logging/Kconfig.template.log_config"
endif
//- /subsys/logging/Kconfig.template.log_config
choice
	prompt "Max compiled-in log level for $(module)"
	default $(module)_LOG_LEVEL_INF
	depends on LOG
config $(module)_LOG_LEVEL_OFF
	bool "Off"
config $(module)_LOG_LEVEL_INF
	bool "Info"
endchoice
"""


def test_a_template_choice_instantiated_after_a_dead_instance_is_alive(tmp_path: Path) -> None:
    write_fixture(tmp_path, TEMPLATE_INSTANTIATED_TWICE)
    model = _load(tmp_path)
    dead = run_checks(CheckContext(model, None, logic=True), RuleSettings(select=frozenset({"dead-symbol"})))
    assert [finding.message.split(" ", 1)[0] for finding in dead] == ["SOC_FAMILY_ESPRESSIF_ESP32"]
