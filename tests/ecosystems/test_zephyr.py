"""Zephyr: `prj.conf`, board defconfigs, `zephyr_library_sources_ifdef`, `DT_HAS_*` never undefined.

The files are shortened from Zephyr's own (drivers/gpio/Kconfig.nrfx, drivers/gpio/CMakeLists.txt,
boards/nordic/nrf52840dk, samples/hello_world/prj.conf); the real tree (1.5 GB) was not fetched.
"""

from __future__ import annotations

from pathlib import Path

from tests.ecosystems.support import findings, load, reached, references

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
