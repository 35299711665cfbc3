"""ESP-IDF's targets as configuration worlds: `IDF_TARGET`, as Linux's architectures are `SRCARCH`.

The fixture has the shape of the real tree (ESP-IDF 6.2) with two targets:
esp32 (the configured one) and esp32c3. The root sources
`components/soc/$IDF_TARGET/include/soc/Kconfig.soc_caps.in`, a component
`orsource`s `./$IDF_TARGET/Kconfig.spiram`, and the Bluetooth component
`osource`s its controller's `Kconfig.in`, which sources a shared folder's
(`components/bt/porting_btdm`, as esp32h4's and esp32s31's do).
"""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.worlds import (
    architecture_worlds,
    configured_world,
    world_kind,
    world_settings,
    world_tables,
    worlds_of_path,
)
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from tests.ecosystems.esp_idf_fixture import esp_idf_tree
from tests.ecosystems.support import findings, load

TARGETS = (
    esp_idf_tree(
        {"esp32": 2, "esp32c3": 1},
        {
            "esp32": "config SOC_BT_CLASSIC_SUPPORTED\n\tbool\n\tdefault y\n",
            "esp32c3": "config SOC_USB_SERIAL_JTAG_SUPPORTED\n\tbool\n\tdefault y\n",
        },
    )
    + """
//- /components/soc/include/soc/soc_caps_full.h
#define SOC_NOTHING 1
//- /components/esp_psram/CMakeLists.txt
idf_component_register()
//- /components/esp_psram/Kconfig
menu "ESP PSRAM"
	orsource "./$IDF_TARGET/Kconfig.spiram"
endmenu
//- /components/esp_psram/esp32c3/Kconfig.spiram
config SPIRAM_RODATA
	bool "Move read-only data to PSRAM"
//- /components/esp_psram/esp_psram.c
#if CONFIG_SPIRAM_RODATA && CONFIG_SOC_CPU_CORES_NUM > 1
#endif
//- /components/esp_psram/esp32c3/esp_psram_impl.c
#if CONFIG_SPIRAM_RODATA
#endif
//- /components/bt/CMakeLists.txt
idf_component_register()
//- /components/bt/Kconfig
menu "Bluetooth"
	osource "$IDF_PATH/components/bt/controller/$IDF_TARGET/Kconfig.in"
endmenu
//- /components/bt/controller/esp32c3/Kconfig.in
source "$IDF_PATH/components/bt/porting_btdm/Kconfig.in"
//- /components/bt/porting_btdm/Kconfig.in
config BT_CTRL_SLEEP_ENABLE
	bool "Enable controller sleep"
//- /components/bt/porting_btdm/sleep.c
#ifdef CONFIG_BT_CTRL_SLEEP_ENABLE
#endif
//- /components/esp_phy/CMakeLists.txt
if(CONFIG_BT_CTRL_SLEEP_ENABLE)
endif()
//- /components/hal/CMakeLists.txt
idf_component_register()
//- /components/hal/esp32c3/usb_serial_jtag_hal.c
#if CONFIG_SOC_USB_SERIAL_JTAG_SUPPORTED && CONFIG_SOC_CPU_CORES_NUM == 1
#endif
//- /components/hal/esp32/uart_hal.c
#if CONFIG_SOC_USB_SERIAL_JTAG_SUPPORTED
#endif
//- /components/esp_rom/CMakeLists.txt
idf_component_register()
//- /components/esp_rom/patches/esp_rom_cache_esp32_esp32c3.c
#if CONFIG_IDF_TARGET_ESP32C3
int c3;
#endif
#if CONFIG_SOC_BT_CLASSIC_SUPPORTED
int classic;
#endif
#if CONFIG_SOC_USB_SERIAL_JTAG_SUPPORTED
int usb;
#endif
//- /components/bootloader_support/CMakeLists.txt
idf_component_register()
//- /components/bootloader_support/src/bootloader_random_esp32c3.c
#if CONFIG_SOC_USB_SERIAL_JTAG_SUPPORTED
#endif
""".lstrip("\n")
)


def test_the_targets_are_the_worlds_and_files_belong_to_them(tmp_path: Path) -> None:
    model, _ = load(tmp_path, TARGETS)
    settings = model.settings
    # components/soc/include has no capabilities file: not a target.
    assert architecture_worlds(settings) == ["esp32", "esp32c3"]
    assert (configured_world(settings), world_kind(settings)) == ("esp32", "target")
    assert world_settings(settings, "esp32c3").environment["IDF_TARGET"] == "esp32c3"

    def worlds(relative: str) -> tuple[str, ...]:
        return worlds_of_path(settings, str(tmp_path / relative))

    assert worlds("components/hal/esp32c3/usb_serial_jtag_hal.c") == ("esp32c3",)
    assert worlds("components/soc/esp32/include/soc/Kconfig.soc_caps.in") == ("esp32",)
    assert worlds("components/bootloader_support/src/bootloader_random_esp32c3.c") == ("esp32c3",)
    assert worlds("components/esp_rom/patches/esp_rom_cache_writeback_esp32_esp32c3.c") == (
        "esp32",
        "esp32c3",
    )
    assert worlds("components/esp_psram/esp_psram.c") == ()
    assert worlds("components/esp32c3_tools/helper.c") == ()  # a token of a name, not a target
    assert worlds("examples/esp32c3/main.c") == ()  # only components are split by target


def test_each_target_has_its_own_table(tmp_path: Path) -> None:
    model, _ = load(tmp_path, TARGETS)
    tables = world_tables(model.settings)
    assert sorted(tables) == ["esp32", "esp32c3"]
    assert "SOC_BT_CLASSIC_SUPPORTED" in tables["esp32"].symbols
    assert "SOC_BT_CLASSIC_SUPPORTED" not in tables["esp32c3"].symbols
    for name in ("SOC_USB_SERIAL_JTAG_SUPPORTED", "SPIRAM_RODATA", "BT_CTRL_SLEEP_ENABLE"):
        assert name in tables["esp32c3"].symbols and name not in tables["esp32"].symbols, name


def test_other_target_symbols_are_silent_in_their_targets_files(tmp_path: Path) -> None:
    model, index = load(tmp_path, TARGETS)
    # At home: components/*/esp32c3/..., a file named for esp32c3, and porting_btdm, which
    # only esp32c3's controller Kconfig sources. Reported: shared files and esp32's own.
    assert findings(model, index, "other-architecture-symbol") == [
        "components/esp_phy/CMakeLists.txt:1: CONFIG_BT_CTRL_SLEEP_ENABLE is defined only for other "
        "targets (components/bt/porting_btdm/Kconfig.in:1); it is never set with the configured tree",
        "components/esp_psram/esp_psram.c:1: CONFIG_SPIRAM_RODATA is defined only for other targets "
        "(components/esp_psram/esp32c3/Kconfig.spiram:1); it is never set with the configured tree",
        "components/hal/esp32/uart_hal.c:1: CONFIG_SOC_USB_SERIAL_JTAG_SUPPORTED is defined only for "
        "other targets (components/soc/esp32c3/include/soc/Kconfig.soc_caps.in:4); it is never set "
        "with the configured tree",
    ]


def test_the_logic_asks_each_target_that_builds_a_file(tmp_path: Path) -> None:
    model, index = load(tmp_path, TARGETS)
    # esp_rom_cache_esp32_esp32c3.c is built for both targets: no block is dead (esp32c3's
    # USB neither, and IDF_TARGET_ESP32C3's `default "y"` is y). esp32's uart_hal.c never has it.
    found = run_checks(
        CheckContext(model, index, logic=True), RuleSettings(select=frozenset({"dead-block"}), preview=True)
    )
    assert sorted((model.relative(f.location.path), f.message.split(":")[0]) for f in found) == [
        (
            "components/hal/esp32/uart_hal.c",
            "#if CONFIG_SOC_USB_SERIAL_JTAG_SUPPORTED is never compiled on esp32, the only target "
            "that builds the file",
        ),
    ]


def _host(tmp_path: Path) -> AnalysisHost:
    load(tmp_path, TARGETS)
    host = AnalysisHost(AnalysisSettings(str(tmp_path), index_code=False))
    host.load()
    return host


def _hover(host: AnalysisHost, path: Path, needle: bytes) -> str:
    text = host.document_text(str(path))
    hover = host.hover(str(path), text.index(needle) + len(b"CONFIG_"))
    assert hover is not None
    return hover.markdown


def test_hover_speaks_of_the_target_of_the_file(tmp_path: Path) -> None:
    host = _host(tmp_path)
    c3_file = tmp_path / "components" / "hal" / "esp32c3" / "usb_serial_jtag_hal.c"
    main, _, others = _hover(host, c3_file, b"CONFIG_SOC_CPU_CORES_NUM").partition("**Other targets**")
    assert "components/soc/esp32c3/include/soc/Kconfig.soc_caps.in" in main
    assert "components/soc/esp32/" not in main
    assert "esp32: `components/soc/esp32/include/soc/Kconfig.soc_caps.in:1`" in others
    # A shared file speaks of the configured target, esp32.
    shared = tmp_path / "components" / "esp_psram" / "esp_psram.c"
    main, _, others = _hover(host, shared, b"CONFIG_SOC_CPU_CORES_NUM").partition("**Other targets**")
    assert "components/soc/esp32/include/soc/Kconfig.soc_caps.in" in main
    assert "esp32c3: `components/soc/esp32c3/" in others
    assert "Other architectures" not in main + others
    # A symbol of esp32c3's only, from a file of esp32c3's: its definition, not "not sourced".
    hover = _hover(host, c3_file, b"CONFIG_SOC_USB_SERIAL_JTAG_SUPPORTED")
    assert "not sourced" not in hover and "only for" not in hover


def test_definition_from_a_target_file_goes_to_its_targets_definition_first(tmp_path: Path) -> None:
    host = _host(tmp_path)
    c3_file = tmp_path / "components" / "hal" / "esp32c3" / "usb_serial_jtag_hal.c"
    text = host.document_text(str(c3_file))
    places = host.definition(str(c3_file), text.index(b"CONFIG_SOC_CPU_CORES_NUM") + 8)
    assert host.relative(places[0].path) == "components/soc/esp32c3/include/soc/Kconfig.soc_caps.in"
    shared = tmp_path / "components" / "esp_psram" / "esp_psram.c"
    text = host.document_text(str(shared))
    places = host.definition(str(shared), text.index(b"CONFIG_SOC_CPU_CORES_NUM") + 8)
    assert host.relative(places[0].path) == "components/soc/esp32/include/soc/Kconfig.soc_caps.in"


def test_a_target_folder_a_component_builds_for_other_targets_is_theirs_too(tmp_path: Path) -> None:
    # components/bt builds its esp32c3 folders for esp32s3 as well (TARGET_SRC_NAME).
    fixture = TARGETS.replace(
        "//- /components/bt/CMakeLists.txt\nidf_component_register()\n",
        "//- /components/bt/CMakeLists.txt\n"
        'if(CONFIG_IDF_TARGET_ESP32S3)\n    set(TARGET_SRC_NAME "esp32c3")\n'
        'elseif(CONFIG_IDF_TARGET_ESP32C61)\n    set(TARGET_SRC_NAME "esp32c6")\nendif()\n'
        "idf_component_register()\n"
        "//- /components/soc/esp32s3/include/soc/Kconfig.soc_caps.in\n"
        "//- /components/soc/esp32c6/include/soc/Kconfig.soc_caps.in\n"
        "//- /components/soc/esp32c61/include/soc/Kconfig.soc_caps.in\n",
    )
    model, _ = load(tmp_path, fixture)

    def worlds(relative: str) -> tuple[str, ...]:
        return worlds_of_path(model.settings, str(tmp_path / relative))

    assert worlds("components/bt/controller/esp32c3/bt.c") == ("esp32c3", "esp32s3")
    assert worlds("components/bt/include/esp32c6/include/esp_bt.h") == ("esp32c6", "esp32c61")
    assert worlds("components/bt/controller/esp32s3/bt.c") == ("esp32s3",)
    assert worlds("components/hal/esp32c3/uart_hal.c") == ("esp32c3",)
