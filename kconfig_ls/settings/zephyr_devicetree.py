"""Zephyr's `Kconfig.dts`: one `DT_HAS_<COMPAT>_ENABLED` per devicetree binding, as the build writes it.

`dts/Kconfig` sources `$(KCONFIG_BINARY_DIR)/Kconfig.dts`, which
`scripts/dts/gen_driver_kconfig_dts.py` writes from the binding files alone
(every `.yaml`/`.yml` under each `dts/bindings` folder, their top-level
`compatible`), not from a board's devicetree: for each compatible, sorted,

    DT_COMPAT_NORDIC_NRF_GPIO := nordic,nrf-gpio

    config DT_HAS_NORDIC_NRF_GPIO_ENABLED
        def_bool $(dt_compat_enabled,$(DT_COMPAT_NORDIC_NRF_GPIO))

Only `dt_compat_enabled` reads the devicetree, and without a build it is
unknown, so the symbols exist with an unknown value. Without them every
driver's `depends on DT_HAS_..._ENABLED` would name an undefined symbol,
which Kconfig reads as `n`: the logic rules would call those drivers dead.
"""

from __future__ import annotations

import os
import re
from typing import Final

from kconfig_ls.vfs.overlay import read_regular_file

__all__ = ["devicetree_kconfig_text"]

_HEADER: Final = "# Generated devicetree Kconfig\n#\n# SPDX-License-Identifier: Apache-2.0\n"
_TO_UNDERSCORES: Final = str.maketrans("-,.@/+", "______")
_COMPATIBLE: Final = re.compile(
    rb"^compatible:[ \t]*(\"[^\"\n]*\"|'[^'\n]*'|[^\s#\[{][^\n#]*?)[ \t]*(?:#.*)?$", re.MULTILINE
)
_MAX_BINDING_SIZE: Final = 1 << 20


def devicetree_kconfig_text(binding_folders: list[str]) -> bytes:
    """`Kconfig.dts` for the bindings under `binding_folders` (`gen_driver_kconfig_dts.py`'s text)."""
    compatibles: set[str] = set()
    for folder in binding_folders:
        for directory, subfolders, names in os.walk(folder):
            subfolders.sort()
            for name in names:
                if name.endswith((".yaml", ".yml")):
                    compatible = _compatible(os.path.join(directory, name))
                    if compatible:
                        compatibles.add(compatible)
    parts = [_HEADER]
    for compatible in sorted(compatibles):
        upper = compatible.upper().translate(_TO_UNDERSCORES)
        parts.append(
            f"\nDT_COMPAT_{upper} := {compatible}\n\n"
            f"config DT_HAS_{upper}_ENABLED\n\tdef_bool $(dt_compat_enabled,$(DT_COMPAT_{upper}))\n"
        )
    return "".join(parts).encode("utf-8", "surrogateescape")


def _compatible(path: str) -> str | None:
    """A binding's top-level `compatible` scalar (the script takes the first such key)."""
    try:
        data = read_regular_file(path, _MAX_BINDING_SIZE)
    except OSError:
        return None
    match = _COMPATIBLE.search(data)
    if match is None:
        return None
    value = match.group(1).strip()
    if value[:1] in (b'"', b"'"):
        value = value[1:-1]
    text = value.decode("utf-8", "replace")
    # Kconfig names only the characters Zephyr's table translates; anything else would not parse.
    return text if text and re.fullmatch(r"[A-Za-z0-9_,.@/+\-]+", text) else None
