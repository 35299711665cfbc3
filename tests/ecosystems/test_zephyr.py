"""Zephyr: `prj.conf`, board defconfigs, `zephyr_library_sources_ifdef`, `DT_HAS_*` never undefined.

The files are shortened from Zephyr's own (drivers/gpio/Kconfig.nrfx, drivers/gpio/CMakeLists.txt,
boards/nordic/nrf52840dk, samples/hello_world/prj.conf); the real tree (1.5 GB) was not fetched.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.kconfiglib_loader import PreprocessorFunction, load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import default_code_exclude, load_project_settings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.syntax.expression import render
from tests.ecosystems.support import findings, load, reached, references
from tests.fixtures import write_fixture
from tests.linux.test_kconfiglib_agreement import compare_models

ZEPHYR = """
//- /Kconfig
source "Kconfig.zephyr"
//- /Kconfig.zephyr
osource "$(KCONFIG_BINARY_DIR)/Kconfig.dts"
source "drivers/gpio/Kconfig"
source "boards/nordic/nrf52840dk/Kconfig.defconfig"
config SOC_FAMILY_NRF
	bool
	default y
config BOARD_NRF52840DK
	bool
	default y
//- /drivers/gpio/Kconfig
menuconfig GPIO
	bool "General-Purpose Input/Output (GPIO) drivers"
if GPIO
rsource "Kconfig.nrfx"
endif
//- /drivers/gpio/Kconfig.nrfx
menuconfig GPIO_NRFX
	bool "nRF GPIO driver"
	default y
	depends on DT_HAS_NORDIC_NRF_GPIO_ENABLED
	depends on SOC_FAMILY_NRF
if GPIO_NRFX
choice
	prompt "nRF GPIO edge interrupts mechanism"
	default GPIO_NRF_INT_EDGE_USING_GPIOTE
config GPIO_NRF_INT_EDGE_USING_GPIOTE
	bool "Edge interrupts using GPIOTE"
config GPIO_NRF_INT_EDGE_USING_SENSE
	bool "Edge interrupts using SENSE"
endchoice
endif # GPIO_NRFX
//- /drivers/gpio/CMakeLists.txt
zephyr_library()
zephyr_library_sources_ifdef(CONFIG_GPIO_NRFX       gpio_nrfx.c)
zephyr_library_sources_ifdef(CONFIG_GPIO_NRFXX      gpio_typo.c)
//- /drivers/gpio/gpio_nrfx.c
#if defined(CONFIG_DT_HAS_NORDIC_NRF_GPIO_ENABLED) && CONFIG_GPIO_NRF_INT_EDGE_USING_SENSE
#endif
//- /boards/nordic/nrf52840dk/Kconfig.defconfig
if BOARD_NRF52840DK

endif # BOARD_NRF52840DK
//- /boards/nordic/nrf52840dk/nrf52840dk_nrf52840_defconfig
CONFIG_GPIO=y
CONFIG_SERIAL=y
//- /samples/hello_world/prj.conf
CONFIG_GPIO=y
CONFIG_FROM_THE_SAMPLES_OWN_KCONFIG=y
"""


def test_conf_files_cmake_and_devicetree_symbols(tmp_path: Path) -> None:
    model, index = load(tmp_path, ZEPHYR)
    assert index.ecosystem.name == "zephyr"
    assert {"GPIO", "BOARD_NRF52840DK"} <= reached(model)
    assert references(index, "GPIO") == [
        ("boards/nordic/nrf52840dk/nrf52840dk_nrf52840_defconfig", 1, "config_assignment"),
        ("samples/hello_world/prj.conf", 1, "config_assignment"),
    ]
    assert references(index, "GPIO_NRFX") == [("drivers/gpio/CMakeLists.txt", 2, "cmake")]
    # DT_HAS_*_ENABLED come from the build folder's Kconfig.dts: unknown, not undefined; the
    # sample's own options are its project's business.
    assert findings(model, index, "undefined-symbol-in-code") == [
        "boards/nordic/nrf52840dk/nrf52840dk_nrf52840_defconfig:2: CONFIG_SERIAL in configuration file: "
        "no Kconfig file defines SERIAL",
        "drivers/gpio/CMakeLists.txt:3: CONFIG_GPIO_NRFXX in CMake file: no Kconfig file defines GPIO_NRFXX; "
        "did you mean CONFIG_GPIO_NRFX?",
    ]


# Hardware model v2, modules and the logging template, shortened from Zephyr's own files:
# Kconfig.zephyr, boards/Kconfig and Kconfig.v2, boards/nordic/nrf52840dk/*, soc/Kconfig and
# Kconfig.v2, soc/nordic/nrf52/Kconfig.soc, Kconfig.defconfig and Kconfig.defconfig.nrf52840_QIAA,
# modules/Kconfig, modules/hal_espressif/Kconfig, subsys/logging/Kconfig.template.log_config.
HWMV2 = """
//- /Kconfig
source "Kconfig.zephyr"
//- /Kconfig.zephyr
menu "Modules"
source "$(KCONFIG_BINARY_DIR)/Kconfig.modules"
source "modules/Kconfig"
endmenu
source "Kconfig.constants"
osource "$(KCONFIG_BINARY_DIR)/Kconfig.dts"
osource "$(KCONFIG_BINARY_DIR)/Kconfig.shield.defconfig"
rsource "boards/shields/*/Kconfig.defconfig"
source "$(KCONFIG_BINARY_DIR)/boards/Kconfig.defconfig"
source "$(KCONFIG_BINARY_DIR)/soc/Kconfig.defconfig"
source "boards/Kconfig"
source "soc/Kconfig"
source "arch/Kconfig"
source "drivers/Kconfig"
menuconfig LOG
	bool "Logging"
//- /Kconfig.constants
# Constants for use in Kconfig
//- /dts/bindings/gpio/nordic,nrf-gpio.yaml
# Copyright (c) 2018, Linaro Limited
description: NRF5 GPIO node

compatible: "nordic,nrf-gpio"

include: [gpio-controller.yaml, base.yaml]
//- /dts/bindings/base/base.yaml
# Common fields for all devices
include: [pm.yaml]
//- /boards/Kconfig
config BOARD
	string
	default "$(BOARD)" if "$(HWM_SCHEME)" = "v2"
rsource "Kconfig.$(HWM_SCHEME)"
osource "$(KCONFIG_BINARY_DIR)/Kconfig.shield"
rsource "shields/*/Kconfig.shield"
menu "Board Options"
osource "$(KCONFIG_BOARD_DIR)/Kconfig"
endmenu
//- /boards/shields/adafruit_2_8_tft_touch_v2/Kconfig.shield
config SHIELD_ADAFRUIT_2_8_TFT_TOUCH_V2
	def_bool $(shields_list_contains,adafruit_2_8_tft_touch_v2)
//- /boards/shields/adafruit_2_8_tft_touch_v2/Kconfig.defconfig
if SHIELD_ADAFRUIT_2_8_TFT_TOUCH_V2
config NUM_IRQS
	default 32
endif
//- /boards/Kconfig.v2
BOARD_STRING := $(normalize_upper,$(BOARD))
BOARD_TARGET_STRING := $(normalize_upper,$(BOARD)$(BOARD_QUALIFIERS))
config BOARD_$(BOARD_STRING)
	def_bool y
config BOARD_$(BOARD_TARGET_STRING)
	def_bool y
config BOARD_QUALIFIERS
	string
	default "$(substring,$(BOARD_QUALIFIERS),1)"
osource "$(KCONFIG_BOARD_DIR)/Kconfig.$(BOARD)"
//- /boards/nordic/nrf52840dk/board.yml
board:
  name: nrf52840dk
  vendor: nordic
  socs:
  - name: nrf52840
//- /boards/nordic/nrf52840dk/Kconfig.nrf52840dk
config BOARD_NRF52840DK
	select SOC_NRF52840_QIAA if BOARD_NRF52840DK_NRF52840
//- /boards/nordic/nrf52840dk/Kconfig.defconfig
if BOARD_NRF52840DK
config BT_CTLR
	default BT
endif # BOARD_NRF52840DK
//- /boards/nordic/nrf52840dk/Kconfig
if BOARD_NRF52840DK
config BOARD_ENABLE_DCDC
	bool "DCDC mode"
	select SOC_DCDC_NRF52X
	default y
endif # BOARD_NRF52840DK
//- /boards/nordic/nrf52840dk/nrf52840dk_nrf52840_defconfig
CONFIG_GPIO=y
CONFIG_BOARD_ENABLE_DCDC=y
//- /arch/archs.yml
archs:
  - name: arm
    path: arm
  - name: x86
    path: x86
//- /arch/Kconfig
source "$(KCONFIG_BINARY_DIR)/arch/Kconfig"
config ARM
	bool
config X86
	bool
//- /arch/arm/Kconfig
menu "ARM Options"
	depends on ARM
config CPU_CORTEX_M
	bool
endmenu
//- /arch/x86/Kconfig
menu "x86 Options"
	depends on X86
config X86_64
	bool "64-bit"
endmenu
//- /soc/Kconfig
menu "Hardware Configuration"
rsource "Kconfig.$(HWM_SCHEME)"
osource "$(KCONFIG_BINARY_DIR)/soc/Kconfig"
module = SOC
module-str = SOC
source "subsys/logging/Kconfig.template.log_config"
endmenu
//- /soc/Kconfig.v2
config SOC
	string
config SOC_SERIES
	string
config SOC_FAMILY
	string
source "$(KCONFIG_BINARY_DIR)/soc/Kconfig.soc"
//- /soc/nordic/soc.yml
family:
- name: nordic_nrf
  series:
  - name: nrf52
    socs:
    - name: nrf52840
//- /soc/nordic/Kconfig.soc
config SOC_FAMILY_NORDIC_NRF
	bool

config SOC_FAMILY
	default "nordic_nrf" if SOC_FAMILY_NORDIC_NRF

rsource "*/Kconfig.soc"
//- /soc/nordic/Kconfig
config SOC_SERIES_NRF52
	select ARM
	select CPU_CORTEX_M
config SOC_DCDC_NRF52X
	bool
//- /soc/nordic/Kconfig.defconfig
rsource "*/Kconfig.defconfig"
//- /soc/nordic/nrf52/Kconfig.soc
# Nordic Semiconductor nRF52 MCU line, Zephyr hw model v2 compliant
config SOC_SERIES_NRF52
	bool
	select SOC_FAMILY_NORDIC_NRF
	help
	  Enable support for NRF52 MCU series

config SOC_SERIES_NRF52X
	bool
	select SOC_SERIES_NRF52

config SOC_SERIES
	default "nrf52" if SOC_SERIES_NRF52

config SOC_NRF52840
	bool
	select SOC_SERIES_NRF52

config SOC_NRF52840_QIAA
	bool
	select SOC_NRF52840

config SOC
	default "nrf52840" if SOC_NRF52840_QIAA
//- /soc/nordic/nrf52/Kconfig.defconfig
if SOC_SERIES_NRF52
rsource "Kconfig.defconfig.nrf52*"
endif # SOC_SERIES_NRF52
//- /soc/nordic/nrf52/Kconfig.defconfig.nrf52840_QIAA
if SOC_NRF52840_QIAA
config NUM_IRQS
	default 48
endif # SOC_NRF52840_QIAA
//- /drivers/Kconfig
config NUM_IRQS
	int "IRQs"
config BT
	bool "BT"
config BT_CTLR
	bool "BT controller"
menuconfig GPIO
	bool "General-Purpose Input/Output (GPIO) drivers"
if GPIO
module = GPIO
module-str = gpio
source "subsys/logging/Kconfig.template.log_config"
config GPIO_NRFX
	bool "nRF GPIO driver"
	default y
	depends on DT_HAS_NORDIC_NRF_GPIO_ENABLED
	depends on $(dt_compat_enabled,$(DT_COMPAT_NORDIC_NRF_GPIO))
	depends on !$(dt_nodelabel_enabled,timer1)
endif # GPIO
//- /drivers/gpio/CMakeLists.txt
zephyr_library_sources_ifdef(CONFIG_GPIO_NRFX gpio_nrfx.c)
if(CONFIG_GPIO_LOG_LEVEL_DBG)
endif()
//- /drivers/gpio/gpio_nrfx.c
LOG_MODULE_REGISTER(gpio_nrfx, CONFIG_GPIO_LOG_LEVEL);
//- /modules/Kconfig
source "modules/hal_espressif/Kconfig"
comment "hal_nordic module not available."
	depends on !ZEPHYR_HAL_NORDIC_MODULE
if 0
osource "modules/*/Kconfig"
endif
//- /modules/hal_nordic/Kconfig
config ZEPHYR_HAL_NORDIC_MODULE
	bool
//- /modules/hal_espressif/Kconfig
config SOC_FAMILY_ESPRESSIF_ESP32
	bool
if SOC_FAMILY_ESPRESSIF_ESP32
module = ESP_HAL
module-str = esp_hal
source "subsys/logging/Kconfig.template.log_config"
osource "$(ZEPHYR_HAL_ESPRESSIF_MODULE_DIR)/zephyr/Kconfig"
endif # SOC_FAMILY_ESPRESSIF_ESP32
//- /hal/espressif/zephyr/Kconfig
config ESP_HAL_FROM_THE_MODULE
	bool "From the module's own Kconfig"
//- /subsys/logging/Kconfig.template.log_config
choice
	prompt "Max compiled-in log level for $(module-str)"
	default $(module)_LOG_LEVEL_INF
	depends on LOG
config $(module)_LOG_LEVEL_OFF
	bool "Off"
config $(module)_LOG_LEVEL_INF
	bool "Info"
config $(module)_LOG_LEVEL_DBG
	bool "Debug"
endchoice
config $(module)_LOG_LEVEL
	int
	depends on LOG
	default 0 if $(module)_LOG_LEVEL_OFF
	default 3 if $(module)_LOG_LEVEL_INF
	default 4 if $(module)_LOG_LEVEL_DBG
//- /samples/hello_world/prj.conf
CONFIG_LOG=y
CONFIG_GPIO_LOG_LEVEL_DBG=y
CONFIG_SOC_LOG_LEVEL_OFF=y
//- /samples/hello_world/boards/nrf52840dk_nrf52840.conf
CONFIG_BOARD_NRF52840DK_NRF52840=y
//- /drivers/gpio/gpio_board.c
#if defined(CONFIG_BOARD_NRF52840DK_NRF52840)
#define LED 13
#elif defined(CONFIG_BOARD_QEMU_X86)
#define LED 0
#endif
//- /boards/qemu/x86/board.yml
board:
  name: qemu_x86
  vendor: qemu
//- /boards/qemu/x86/Kconfig.qemu_x86
config BOARD_QEMU_X86
	select SOC_NRF52840_QIAA
"""


def _load_with(tmp_path: Path, environment: dict[str, str]) -> KconfigModel:
    root = str(tmp_path)
    model = KconfigModel(workspace_settings(root, load_project_settings(root), environment=environment))
    model.load()
    return model


def _problems(model: KconfigModel) -> list[str]:
    return sorted(
        f"{model.relative(path)}: {problem.message}"
        for path, problems in model.file_problems.items()
        for problem in problems
    )


def test_hardware_model_v2_socs_come_from_the_generated_soc_files(tmp_path: Path) -> None:
    # Issue 12: `source "$(KCONFIG_BINARY_DIR)/soc/Kconfig.soc"` and the other files
    # cmake/modules/hwm_v2.cmake writes (one `osource` per folder holding a soc.yml).
    model, index = load(tmp_path, HWMV2)
    assert index.ecosystem.name == "zephyr"
    assert {"SOC_NRF52840_QIAA", "SOC_FAMILY_NORDIC_NRF", "SOC_DCDC_NRF52X", "NUM_IRQS"} <= reached(model)
    # A SoC's Kconfig.defconfig adds its default to the symbol: the glob under `if` is reached.
    num_irqs = [d for d in model.definitions["NUM_IRQS"] if d.reached]
    assert [model.relative(d.path) for d in num_irqs] == [
        "boards/shields/adafruit_2_8_tft_touch_v2/Kconfig.defconfig",  # shields first, as Zephyr orders them
        "soc/nordic/nrf52/Kconfig.defconfig.nrf52840_QIAA",
        "drivers/Kconfig",
    ]
    # Without a board, the board's files are not reached, and the optional sources that
    # expand to "/Kconfig" or "/zephyr/Kconfig" (no BOARD_DIR, no module dir) are silent.
    assert "BOARD_NRF52840DK" not in reached(model)
    assert _problems(model) == []
    # arch/Kconfig's `source "$(KCONFIG_BINARY_DIR)/arch/Kconfig"`: one line per arch of archs.yml.
    (cortex_m,) = model.definitions["CPU_CORTEX_M"]
    assert cortex_m.reached and render(cortex_m.direct_dependency()) == "ARM"
    assert "X86_64" in reached(model)
    # Shields: every Kconfig.shield is read (the shield list is the build's: unknown).
    (shield,) = model.definitions["SHIELD_ADAFRUIT_2_8_TFT_TOUCH_V2"]
    assert shield.reached and "Unknown" in repr(shield.defaults[0].value)
    assert not (tmp_path / "build").exists()  # nothing is written


def test_a_board_chosen_in_the_environment_is_loaded_as_the_build_loads_it(tmp_path: Path) -> None:
    write_fixture(tmp_path, HWMV2)
    model = _load_with(tmp_path, {"BOARD": "nrf52840dk", "BOARD_QUALIFIERS": "/nrf52840"})
    # boards/Kconfig.v2 names the board's symbols with Zephyr's `normalize_upper`;
    # BOARD_DIR is derived from the board.yml that names the board.
    assert {
        "BOARD_NRF52840DK",
        "BOARD_NRF52840DK_NRF52840",
        "BOARD_ENABLE_DCDC",
        "BOARD_QUALIFIERS",
    } <= reached(model)
    (qualifiers,) = model.definitions["BOARD_QUALIFIERS"]
    assert [render(default.value) for default in qualifiers.defaults] == ['"nrf52840"']
    bt_ctlr = [model.relative(d.path) for d in model.definitions["BT_CTLR"] if d.reached]
    assert bt_ctlr == ["boards/nordic/nrf52840dk/Kconfig.defconfig", "drivers/Kconfig"]
    assert _problems(model) == []


@pytest.mark.parametrize(
    "environment",
    [{"BOARD": "nrf52840dk", "BOARD_REVISION": "2.0.1"}, {"BOARD": "nrf52840dk@2.0.1/nrf52840"}],
    ids=["BOARD_REVISION", "in the board target"],
)
def test_a_board_revision_defines_its_symbol(tmp_path: Path, environment: dict[str, str]) -> None:
    # kconfig.cmake appends `config BOARD_REVISION_2_0_1` (def_bool y) to the generated
    # `$(KCONFIG_BOARD_DIR)/Kconfig`, after hwm_v2.cmake's osource lines.
    write_fixture(tmp_path, HWMV2)
    model = _load_with(tmp_path, environment)
    boards_kconfig = model.settings.generated_files[str(tmp_path / "build/Kconfig/boards/Kconfig")].decode()
    assert boards_kconfig == (
        f'osource "{tmp_path}/boards/nordic/nrf52840dk/Kconfig"\nconfig BOARD_REVISION_2_0_1\n\tdef_bool y\n'
    )
    without = _load_with(tmp_path, {"BOARD": "nrf52840dk"})
    assert (
        "BOARD_REVISION"
        not in without.settings.generated_files[str(tmp_path / "build/Kconfig/boards/Kconfig")].decode()
    )
    # The reach: boards/Kconfig's "Board Options" menu ends with
    # `osource "$(KCONFIG_BOARD_DIR)/Kconfig"` (Zephyr 3.7 and later; before, `$(BOARD_DIR)/Kconfig`),
    # so the symbol is part of the configured tree, under that menu, and only for a revision.
    (revision,) = model.definitions["BOARD_REVISION_2_0_1"]
    assert revision.reached
    assert model.relative(revision.path) == "build/Kconfig/boards/Kconfig"
    assert [model.relative(location.path) for location in model.source_chain(revision.inclusion)] == [
        "Kconfig",
        "Kconfig.zephyr",
        "boards/Kconfig",
    ]
    assert "BOARD_REVISION_2_0_1" not in without.definitions
    # kconfiglib, on the files kconfig.cmake and hwm_v2.cmake would write, reaches it the same way.
    _write_hardware_model_files(tmp_path, ["boards/nordic/nrf52840dk"], revision="2.0.1")
    tree = load_with_kconfiglib(
        str(tmp_path), "Kconfig", model.settings.environment, functions=_zephyr_functions()
    )
    assert "BOARD_REVISION_2_0_1" in tree.symbol_names()
    agreement = compare_models(model, tree)
    for aspect in sorted(agreement.mismatches):
        assert not agreement.mismatches[aspect], agreement.report(aspect)


def test_a_module_dir_from_the_environment_is_followed(tmp_path: Path) -> None:
    write_fixture(tmp_path, HWMV2)
    model = _load_with(tmp_path, {"ZEPHYR_HAL_ESPRESSIF_MODULE_DIR": str(tmp_path / "hal" / "espressif")})
    assert "ESP_HAL_FROM_THE_MODULE" in reached(model)
    # The logging template, instantiated per `module`, inside the module's `if`.
    assert {"ESP_HAL_LOG_LEVEL", "ESP_HAL_LOG_LEVEL_DBG", "SOC_LOG_LEVEL", "GPIO_LOG_LEVEL"} <= reached(model)


def test_templates_devicetree_functions_and_symbols_give_no_false_finding(tmp_path: Path) -> None:
    model, index = load(tmp_path, HWMV2)
    assert references(index, "GPIO_LOG_LEVEL_DBG") == [
        ("drivers/gpio/CMakeLists.txt", 2, "cmake"),
        ("samples/hello_world/prj.conf", 2, "config_assignment"),
    ]
    assert references(index, "GPIO_LOG_LEVEL") == [("drivers/gpio/gpio_nrfx.c", 1, "code")]
    # DT_HAS_*_ENABLED (from the build folder's Kconfig.dts) and the `dt_*` functions
    # (they read the devicetree) are unknown in Kconfig too, never undefined.
    # So are the board-target symbols of boards/Kconfig.v2 when no board is chosen, in code and
    # in a board overlay alike (`CONFIG_BOARD_NRF52840DK_NRF52840`).
    assert ("drivers/gpio/gpio_board.c", 1, "condition") in references(index, "BOARD_NRF52840DK_NRF52840")
    assert findings(model, index, "undefined-symbol", "undefined-symbol-in-code", "source-problem") == []
    (gpio_nrfx,) = model.definitions["GPIO_NRFX"]
    assert "Unknown" in repr(gpio_nrfx.dependencies[1].expression)


def test_other_boards_target_symbols_are_unknown_when_a_board_is_chosen(tmp_path: Path) -> None:
    # Built for nrf52840dk, `CONFIG_BOARD_QEMU_X86` in a sample is another build's symbol (each
    # board's Kconfig.<board> is sourced only when that board is built), as another architecture's
    # symbol is in Linux: never "no Kconfig file defines".
    write_fixture(tmp_path, HWMV2)
    root = str(tmp_path)
    environment = {"BOARD": "nrf52840dk", "BOARD_QUALIFIERS": "/nrf52840"}
    model = KconfigModel(workspace_settings(root, load_project_settings(root), environment=environment))
    model.load()
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    assert "BOARD_QEMU_X86" not in reached(model)
    assert ("drivers/gpio/gpio_board.c", 3, "condition") in references(index, "BOARD_QEMU_X86")
    assert findings(model, index, "undefined-symbol", "undefined-symbol-in-code") == []
    # A name no board.yml names is still reported.
    (tmp_path / "drivers/gpio/other.c").write_text("#ifdef CONFIG_BOARD_NO_SUCH\n#endif\n")
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    assert [line.split(": ", 1)[0] for line in findings(model, index, "undefined-symbol-in-code")] == [
        "drivers/gpio/other.c:1"
    ]


def _zephyr_functions() -> dict[str, PreprocessorFunction | None]:
    """Zephyr's `scripts/kconfig/kconfigfunctions.py`, as the oracle's project functions.

    `normalize_upper` and `substring` as Zephyr writes them; without a build's
    devicetree the `dt_*` functions are unknown (placeholders).
    """

    def normalize_upper(arguments: list[str]) -> str:
        return re.sub(r"[^a-zA-Z0-9_]", "_", arguments[0]).upper()

    def substring(arguments: list[str]) -> str:
        stop = int(arguments[2]) if len(arguments) > 2 else None
        return arguments[0][int(arguments[1]) : stop]

    return {
        "normalize_upper": normalize_upper,
        "substring": substring,
        "dt_compat_enabled": None,
        "dt_nodelabel_enabled": None,
        "shields_list_contains": None,
        # Not Zephyr's: the stand-in for "some board" ours generates without a board (NO_BOARD_TEXT).
        "kconfig_ls_board_selects": None,
    }


# Without a board, what ours adds to the generated boards/Kconfig: each symbol some board's
# Kconfig file selects is unknown (the fixture's nrf52840dk selects its SoC part and DCDC).
NO_BOARD_TEXT = """\
# No board is chosen: any board may select these (kconfig-ls, not the build, writes this)
config SOC_DCDC_NRF52X
\tdef_bool $(kconfig_ls_board_selects)
config SOC_NRF52840_QIAA
\tdef_bool $(kconfig_ls_board_selects)
"""


def _write_hardware_model_files(root: Path, board_folders: list[str], revision: str = "") -> None:
    """What cmake/modules/hwm_v2.cmake (and kconfig.cmake, for a revision) write into the build folder,
    written by hand here; without a board, with kconfig-ls's stand-in for some board (`NO_BOARD_TEXT`)."""
    soc = root / "build/Kconfig/soc"
    boards = root / "build/Kconfig/boards"
    soc.mkdir(parents=True)
    boards.mkdir(parents=True)
    for name in ("Kconfig.defconfig", "Kconfig", "Kconfig.soc", "Kconfig.sysbuild"):
        (soc / name).write_text(f'osource "{root}/soc/nordic/{name}"\n')
    for name in ("Kconfig.defconfig", "Kconfig", "Kconfig.sysbuild", "Kconfig.nrf52840dk"):
        (boards / name).write_text("".join(f'osource "{root}/{folder}/{name}"\n' for folder in board_folders))
    if not board_folders:
        with (boards / "Kconfig").open("a") as generated:
            generated.write(NO_BOARD_TEXT)
    if revision:
        # kconfig.cmake: zephyr_string(SANITIZE TOUPPER ...) of "BOARD_REVISION_${BOARD_REVISION}".
        symbol = "BOARD_REVISION_" + re.sub(r"[^A-Za-z0-9_]", "_", revision).upper()
        with (boards / "Kconfig").open("a") as generated:
            generated.write(f"config {symbol}\n\tdef_bool y\n")
    (root / "build/Kconfig/Kconfig.modules").write_text("# No west and no Zephyr modules\n")
    # scripts/dts/gen_driver_kconfig_dts.py's text for the fixture's one binding with a compatible.
    (root / "build/Kconfig/Kconfig.dts").write_text(
        "# Generated devicetree Kconfig\n#\n# SPDX-License-Identifier: Apache-2.0\n"
        "\nDT_COMPAT_NORDIC_NRF_GPIO := nordic,nrf-gpio\n\n"
        "config DT_HAS_NORDIC_NRF_GPIO_ENABLED\n\tdef_bool $(dt_compat_enabled,$(DT_COMPAT_NORDIC_NRF_GPIO))\n"
    )
    (root / "build/Kconfig/arch").mkdir()
    (root / "build/Kconfig/arch/Kconfig").write_text(
        f'osource "{root}/arch/x86/Kconfig"\nosource "{root}/arch/arm/Kconfig"\n'
    )


@pytest.mark.parametrize(
    "environment",
    [{}, {"BOARD": "nrf52840dk", "BOARD_QUALIFIERS": "/nrf52840"}],
    ids=["no board", "nrf52840dk"],
)
def test_the_model_agrees_with_kconfiglib_and_zephyrs_functions(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    # The oracle for Zephyr: kconfiglib with Zephyr's preprocessor functions, on the build
    # folder's generated files written out; ours generates them in memory.
    write_fixture(tmp_path, HWMV2)
    model = _load_with(tmp_path, environment)
    _write_hardware_model_files(tmp_path, ["boards/nordic/nrf52840dk"] if environment else [])
    tree = load_with_kconfiglib(
        str(tmp_path), "Kconfig", model.settings.environment, functions=_zephyr_functions()
    )
    agreement = compare_models(model, tree)
    assert agreement.symbols >= 20
    for aspect in sorted(agreement.mismatches):
        assert not agreement.mismatches[aspect], agreement.report(aspect)
    assert "GPIO_NRFX" in tree.symbol_names()


# The first hardware model (Zephyr before 3.7), shortened from Zephyr 2.7's Kconfig.zephyr,
# boards/Kconfig, soc/Kconfig, arch/Kconfig and the nrf52840dk_nrf52840 and qemu_x86 boards.
HWMV1 = """
//- /Kconfig
source "Kconfig.zephyr"
//- /Kconfig.zephyr
source "$(BOARD_DIR)/Kconfig.defconfig"
source "$(SOC_DIR)/$(ARCH)/*/Kconfig.defconfig"
source "boards/Kconfig"
source "$(SOC_DIR)/Kconfig"
source "arch/Kconfig"
//- /boards/Kconfig
config BOARD
	string
choice
	prompt "Board Selection"
source "$(BOARD_DIR)/Kconfig.board"
endchoice
menu "Board Options"
osource "$(BOARD_DIR)/Kconfig"
endmenu
//- /boards/arm/nrf52840dk_nrf52840/Kconfig.board
config BOARD_NRF52840DK_NRF52840
	bool "nRF52840 DK NRF52840"
	depends on SOC_NRF52840_QIAA
//- /boards/arm/nrf52840dk_nrf52840/Kconfig.defconfig
if BOARD_NRF52840DK_NRF52840
config BOARD
	default "nrf52840dk_nrf52840"
endif # BOARD_NRF52840DK_NRF52840
//- /boards/arm/nrf52840dk_nrf52840/Kconfig
config BOARD_ENABLE_DCDC
	bool "DCDC mode"
	depends on BOARD_NRF52840DK_NRF52840
//- /boards/x86/qemu_x86/Kconfig.board
config BOARD_QEMU_X86
	bool "QEMU x86"
	depends on SOC_IA32
//- /boards/x86/qemu_x86/Kconfig.defconfig
if BOARD_QEMU_X86
config BOARD
	default "qemu_x86"
endif # BOARD_QEMU_X86
//- /soc/Kconfig
choice
	prompt "SoC/CPU/Configuration Selection"
source "$(SOC_DIR)/$(ARCH)/*/Kconfig.soc"
endchoice
menu "Hardware Configuration"
osource "$(SOC_DIR)/$(ARCH)/*/Kconfig"
endmenu
//- /soc/arm/nordic_nrf/Kconfig.soc
config SOC_NRF52840_QIAA
	bool "NRF52840_QIAA"
	select ARM
//- /soc/arm/nordic_nrf/Kconfig.defconfig
if SOC_NRF52840_QIAA
config NUM_IRQS
	default 48
endif
//- /soc/x86/ia32/Kconfig.soc
config SOC_IA32
	bool "Generic IA32 SoC"
	select X86
//- /arch/Kconfig
config ARM
	bool
config X86
	bool
config NUM_IRQS
	int "IRQs"
source "$(ARCH_DIR)/$(ARCH)/Kconfig"
//- /arch/arm/Kconfig
config CPU_CORTEX_M
	bool
	depends on ARM
//- /arch/x86/Kconfig
config X86_64
	bool "64-bit"
	depends on X86
"""


@pytest.mark.parametrize(
    ("environment", "boards"),
    [
        ({}, {"BOARD_NRF52840DK_NRF52840", "BOARD_ENABLE_DCDC", "BOARD_QEMU_X86"}),
        ({"BOARD": "qemu_x86"}, {"BOARD_QEMU_X86"}),
    ],
    ids=["every board", "qemu_x86"],
)
def test_a_hardware_model_v1_tree_loads_as_its_build_and_documentation_load_it(
    tmp_path: Path, environment: dict[str, str], boards: set[str]
) -> None:
    write_fixture(tmp_path, HWMV1)
    model = _load_with(tmp_path, environment)
    assert model.settings.environment["HWM_SCHEME"] == "v1"
    assert _problems(model) == []
    assert {name for name in reached(model) if name.startswith("BOARD_")} == boards
    assert {"SOC_NRF52840_QIAA", "SOC_IA32", "CPU_CORTEX_M", "X86_64", "NUM_IRQS"} <= reached(model)
    # The oracle: kconfiglib, given the same variables, loads the same symbols the same way.
    tree = load_with_kconfiglib(str(tmp_path), "Kconfig", model.settings.environment)
    agreement = compare_models(model, tree)
    assert agreement.symbols == len(reached(model)) >= 9
    for aspect in sorted(agreement.mismatches):
        assert not agreement.mismatches[aspect], agreement.report(aspect)


def test_a_build_folders_generated_devicetree_kconfig_is_read(tmp_path: Path) -> None:
    # With a build folder (west build), its Kconfig.dts defines the DT_HAS_* symbols that
    # drivers depend on; it is read as it is, never rewritten.
    write_fixture(tmp_path, HWMV2)
    generated = tmp_path / "build/Kconfig/Kconfig.dts"
    generated.parent.mkdir(parents=True)
    generated.write_text(
        "# Generated devicetree Kconfig\n"
        "DT_COMPAT_NORDIC_NRF_GPIO := nordic,nrf-gpio\n"
        "config DT_HAS_NORDIC_NRF_GPIO_ENABLED\n"
        "\tdef_bool $(dt_compat_enabled,$(DT_COMPAT_NORDIC_NRF_GPIO))\n"
    )
    before = generated.read_bytes()
    model = _load_with(tmp_path, {})
    (dt_has,) = model.definitions["DT_HAS_NORDIC_NRF_GPIO_ENABLED"]
    assert dt_has.reached and model.relative(dt_has.path) == "build/Kconfig/Kconfig.dts"
    assert "Unknown" in repr(dt_has.defaults[0].value)
    assert _problems(model) == []
    assert generated.read_bytes() == before
