"""The ESP-IDF tree skeleton the ESP-IDF test modules share (ESP-IDF 6.2's shape).

The root `Kconfig` as the real tree writes it (`IDF_TARGET` from the
environment, one `IDF_TARGET_<T>` per target, the components' Kconfig files
through the build's generated `kconfigs.in` files), the marker files the
detection reads (`tools/idf.py`, `tools/cmake/version.cmake`) and the `soc`
component with each target's `Kconfig.soc_caps.in`, which the root
`orsource`s: the targets are the configuration worlds.
"""

from __future__ import annotations

from collections.abc import Mapping


def esp_idf_tree(cores: Mapping[str, int], soc_caps: Mapping[str, str] | None = None) -> str:
    """The skeleton with one target per key of `cores` (its `SOC_CPU_CORES_NUM`), in that order.

    `soc_caps` adds a target's further capabilities to its `Kconfig.soc_caps.in`.
    """
    targets = "".join(
        f'config IDF_TARGET_{target.upper()}\n\tbool\n\tdefault "y" if IDF_TARGET="{target}"\n'
        for target in cores
    )
    capabilities = "".join(
        f"//- /components/soc/{target}/include/soc/Kconfig.soc_caps.in\n"
        f"config SOC_CPU_CORES_NUM\n\tint\n\tdefault {count}\n" + (soc_caps or {}).get(target, "")
        for target, count in cores.items()
    )
    return (
        "\n//- /Kconfig\n"
        'mainmenu "Espressif IoT Development Framework Configuration"\n'
        '\torsource "./components/soc/$IDF_TARGET/include/soc/Kconfig.soc_caps.in"\n'
        'config IDF_TARGET\n\tstring\n\tdefault "$IDF_TARGET"\n'
        f"{targets}"
        'menu "Component config"\n\tsource "$COMPONENT_KCONFIGS_SOURCE_FILE"\nendmenu\n'
        'source "$COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE"\n'
        "//- /tools/idf.py\n"
        "//- /tools/cmake/version.cmake\n"
        "set(IDF_VERSION_MAJOR 6)\nset(IDF_VERSION_MINOR 2)\nset(IDF_VERSION_PATCH 0)\n"
        "//- /components/soc/CMakeLists.txt\nidf_component_register()\n"
        f"{capabilities}"
    )
