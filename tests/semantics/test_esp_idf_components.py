"""ESP-IDF components a build may leave out: which symbols a file's C guards cannot count on."""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.semantics.esp_idf_components import ComponentPresence, component_requirements
from tests.ecosystems.support import load

TREE = """
//- /Kconfig
mainmenu "Espressif IoT Development Framework Configuration"
config IDF_TARGET
	string
	default "$IDF_TARGET"
menu "Component config"
	source "$COMPONENT_KCONFIGS_SOURCE_FILE"
endmenu
//- /tools/idf.py
//- /tools/cmake/version.cmake
set(IDF_VERSION_MAJOR 6)
//- /tools/cmake/build.cmake
        set(requires_common esp_system log)
//- /components/soc/esp32/include/soc/Kconfig.soc_caps.in
//- /components/esp_system/CMakeLists.txt
idf_component_register(SRCS "clk.c" PRIV_REQUIRES spi_flash)
idf_component_optional_requires(PRIVATE esp_psram)
//- /components/esp_system/Kconfig
config ESP_SYSTEM_OPTION
	bool "System option"
//- /components/log/CMakeLists.txt
idf_component_register()
//- /components/spi_flash/CMakeLists.txt
idf_component_register()
//- /components/spi_flash/Kconfig
config SPI_FLASH_OPTION
	bool "Flash option"
//- /components/esp_psram/CMakeLists.txt
idf_component_register()
//- /components/esp_psram/Kconfig
config SPIRAM
	bool "PSRAM"
//- /components/esp_phy/CMakeLists.txt
idf_component_register()
//- /components/esp_phy/Kconfig
config ESP_PHY_ENABLED
	bool
	default y
//- /components/esp_wifi/CMakeLists.txt
set(reqs esp_event)
list(APPEND reqs esp_phy)  # the PHY, with its calibration data
idf_component_register(SRCS "wifi.c"
                       REQUIRES ${reqs}
                       PRIV_REQUIRES esp_timer)
//- /components/esp_wifi/Kconfig
config ESP_WIFI_ENABLED
	bool
	default y
"""


def test_a_symbol_of_a_component_outside_the_files_requirements_may_be_absent(tmp_path: Path) -> None:
    model, _ = load(tmp_path, TREE)
    presence = ComponentPresence(str(tmp_path), model.definitions)

    def absent(relative: str, symbol: str) -> bool:
        return presence.may_be_absent(str(tmp_path / relative), symbol)

    # esp_system is common; esp_wifi is not among its requirements: a minimal build leaves it out.
    assert absent("components/esp_system/port/esp32c5/clk.c", "ESP_WIFI_ENABLED")
    assert absent("components/esp_system/clk.c", "SPIRAM")  # an optional requirement only
    assert not absent("components/esp_system/clk.c", "SPI_FLASH_OPTION")  # PRIV_REQUIRES
    assert not absent("components/esp_system/clk.c", "ESP_SYSTEM_OPTION")  # its own
    # esp_wifi requires esp_phy through a variable's list; esp_system is common to every build.
    assert not absent("components/esp_wifi/esp32/esp_adapter.c", "ESP_PHY_ENABLED")
    assert not absent("components/esp_wifi/wifi.c", "ESP_SYSTEM_OPTION")
    # Outside components/, or a symbol the root Kconfig defines: no question.
    assert not absent("examples/wifi/main/main.c", "ESP_WIFI_ENABLED")
    assert not absent("components/esp_system/clk.c", "IDF_TARGET")


def test_requirements_are_read_as_written() -> None:
    text = """
    set(priv esp_pm "nvs_flash")  # comment naming bt
    if(CONFIG_X)
        list(APPEND priv efuse)
    endif()
    idf_component_register(SRCS "a.c" INCLUDE_DIRS include
                           REQUIRES esp_timer PRIV_REQUIRES "${priv}" LDFRAGMENTS linker.lf)
    idf_component_optional_requires(PRIVATE esp_psram)
    """
    names = ("esp_pm", "nvs_flash", "efuse", "esp_timer", "esp_psram", "bt", "include")
    assert component_requirements(text, names) == {"esp_pm", "nvs_flash", "efuse", "esp_timer"}


BLOCKS = """
//- /components/esp_system/port/esp32/clk.c
#if CONFIG_ESP_WIFI_ENABLED
int wifi_clock;
#endif
#if CONFIG_ESP_WIFI_NEVER
int never;
#endif
#if CONFIG_ESP_WIFI_ENABLED
#if CONFIG_ESP_WIFI_OPTION
int wifi_option;
#endif
#endif
//- /components/esp_wifi/wifi.c
#if CONFIG_ESP_PHY_ENABLED
int phy;
#endif
"""


def test_a_guard_on_a_component_the_build_may_leave_out_never_always_holds(tmp_path: Path) -> None:
    """esp_system/port/soc/esp32c6/clk.c: `#if CONFIG_ESP_WIFI_ENABLED` is false in a build without esp_wifi."""
    from kconfig_ls.checks.framework import CheckContext, RuleSettings
    from kconfig_ls.checks.registry import run_checks

    fixture = TREE.replace(
        "config ESP_WIFI_ENABLED\n\tbool\n\tdefault y\n",
        "config ESP_WIFI_ENABLED\n\tbool\n\tdefault y\nconfig ESP_WIFI_NEVER\n\tbool\n\tdepends on n\n"
        'config ESP_WIFI_OPTION\n\tbool "Option"\n\tdepends on ESP_WIFI_ENABLED\n',
    )
    model, index = load(tmp_path, fixture + BLOCKS)
    rules = RuleSettings(select=frozenset({"KLS206", "KLS207", "KLS208"}), preview=True)
    found = sorted(
        (model.relative(f.location.path), f.rule_code, f.message.split(":")[0])
        for f in run_checks(CheckContext(model, index, logic=True), rules)
    )
    assert found == [
        # Two symbols of esp_wifi are present or absent together: the outer guard is still redundant.
        (
            "components/esp_system/port/esp32/clk.c",
            "KLS206",
            "#if CONFIG_ESP_WIFI_ENABLED is redundant",
        ),
        # A test that can never hold still cannot, component or not.
        ("components/esp_system/port/esp32/clk.c", "KLS207", "#if CONFIG_ESP_WIFI_NEVER is never compiled"),
        # esp_wifi requires esp_phy: every build compiling wifi.c has ESP_PHY_ENABLED.
        ("components/esp_wifi/wifi.c", "KLS206", "#if CONFIG_ESP_PHY_ENABLED always holds"),
    ]
