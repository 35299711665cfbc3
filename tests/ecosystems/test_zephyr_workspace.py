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

from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import load_project_settings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.settings.zephyr_modules import NO_MODULES_TEXT
from tests.ecosystems.support import reached
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
