"""ESP-IDF: components found as the build finds them, `IDF_TARGET`, `sdkconfig*`, `sdkconfig.rename`, CMake."""

from __future__ import annotations

from pathlib import Path

from tests.ecosystems.support import findings, load, reached, references

ESP_IDF = """
//- /Kconfig
mainmenu "Espressif IoT Development Framework Configuration"
config IDF_TARGET
	string
	default "$IDF_TARGET"
orsource "./components/soc/$IDF_TARGET/Kconfig.soc_caps.in"
menu "Component config"
	source "$COMPONENT_KCONFIGS_SOURCE_FILE"
endmenu
source "$COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE"
osource "$COMPONENT_KCONFIGS_EXCLUDED_SOURCE_FILE"
//- /tools/idf.py
//- /tools/cmake/version.cmake
set(IDF_VERSION_MAJOR 6)
set(IDF_VERSION_MINOR 2)
set(IDF_VERSION_PATCH 0)
//- /components/soc/esp32/Kconfig.soc_caps.in
config SOC_WIFI_SUPPORTED
	bool
	default y
//- /components/soc/CMakeLists.txt
idf_component_register()
//- /components/foo/CMakeLists.txt
if(CONFIG_FOO_ENABLE)
    idf_build_get_property(dir CONFIG_DIR)
endif()
//- /components/foo/Kconfig
config FOO_ENABLE
	bool "Enable foo"
//- /components/foo/Kconfig.projbuild
config FOO_FLASH_SIZE
	int "Flash size"
	default 4
//- /components/foo/sdkconfig.rename
# CONFIG_DEPRECATED_OPTION CONFIG_NEW_OPTION
CONFIG_OLD_FOO                 CONFIG_FOO_ENABLE
CONFIG_OLD_NOT_FOO             !CONFIG_FOO_ENABLE
//- /components/foo/foo.c
#if CONFIG_OLD_FOO && CONFIG_FOO_ENABLE && CONFIG_SOC_WIFI_SUPPORTED
#endif
//- /components/nocmake/Kconfig
config NOT_A_COMPONENT
	bool "not found by the build"
//- /components/wpa_supplicant/src/utils/includes.h
#ifdef CONFIG_NATIVE_WINDOWS
#endif
//- /examples/get-started/sdkconfig.defaults
CONFIG_OLD_NOT_FOO=y
CONFIG_FROM_A_MANAGED_COMPONENT=y
//- /sdkconfig.defaults
CONFIG_FOO_FLASH_SIZE=8
CONFIG_OLD_FOO=y
"""


def test_component_discovery_target_and_renames(tmp_path: Path) -> None:
    model, index = load(tmp_path, ESP_IDF)
    assert index.ecosystem.name == "esp-idf"
    assert model.settings.environment["IDF_TARGET"] == "esp32"
    assert model.settings.environment["IDF_VERSION"] == "6.2.0"
    # kconfigs.in lists the Kconfig of each folder of components/ with a CMakeLists.txt.
    assert {"FOO_ENABLE", "FOO_FLASH_SIZE", "SOC_WIFI_SUPPORTED", "IDF_TARGET"} <= reached(model)
    assert "NOT_A_COMPONENT" not in reached(model)
    assert not any(model.file_problems.values())
    assert references(index, "FOO_ENABLE") == [
        ("components/foo/CMakeLists.txt", 1, "cmake"),
        ("components/foo/foo.c", 1, "condition"),
        ("components/foo/sdkconfig.rename", 2, "rename_target"),
        ("components/foo/sdkconfig.rename", 3, "rename_target"),
    ]
    assert findings(model, index, "undefined-symbol-in-code", "renamed-symbol") == [
        "components/foo/foo.c:1: CONFIG_OLD_FOO was renamed to CONFIG_FOO_ENABLE "
        "(components/foo/sdkconfig.rename:2); the old name is only an alias",
        "  fix: CONFIG_OLD_FOO -> CONFIG_FOO_ENABLE",
        "examples/get-started/sdkconfig.defaults:1: CONFIG_OLD_NOT_FOO was renamed to !CONFIG_FOO_ENABLE "
        "(components/foo/sdkconfig.rename:3); the old name is only an alias",
        "sdkconfig.defaults:2: CONFIG_OLD_FOO was renamed to CONFIG_FOO_ENABLE "
        "(components/foo/sdkconfig.rename:2); the old name is only an alias",
        "  fix: CONFIG_OLD_FOO -> CONFIG_FOO_ENABLE",
    ]
