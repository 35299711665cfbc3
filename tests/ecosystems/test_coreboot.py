"""coreboot: `CONFIG(X)`, the root `src/Kconfig`, libpayload's `CONFIG_LP_`, `payloads/external` excluded."""

from __future__ import annotations

from pathlib import Path

from tests.ecosystems.support import findings, load, reached, references

COREBOOT = """
//- /src/Kconfig
config CHROMEOS
	bool "ChromeOS"
config DRIVERS_UART
	bool "UART"
//- /src/include/kconfig.h
#define CONFIG(option) config_enabled(CONFIG_##option)
//- /src/lib/bootmode.c
#include <kconfig.h>
#if CONFIG(DRIVERS_UART)
int uart;
#endif /* CONFIG_DRIVERS_UART */
int x(void) { return CONFIG(CHROMEOS) && !CONFIG(CHROMEOS_TYPO); }
/* CONFIG(IN_A_COMMENT) */
//- /src/lib/Makefile.mk
ramstage-$(CONFIG_CHROMEOS) += bootmode.c
//- /payloads/libpayload/Kconfig
config USB
	bool "USB support"
//- /payloads/libpayload/drivers/Makefile.mk
libc-$(CONFIG_LP_USB) += usb/usb.c
//- /payloads/coreinfo/coreinfo.c
int usb = CONFIG(LP_USB);
//- /payloads/external/SeaBIOS/seabios/src/config.h
#ifdef CONFIG_SEABIOS_OWN_FLAG
#endif
//- /.checkpatch.conf
--ignore SPDX_LICENSE_TAG
"""


def test_config_macro_root_and_libpayload(tmp_path: Path) -> None:
    model, index = load(tmp_path, COREBOOT)
    assert index.ecosystem.name == "coreboot"
    assert model.settings.root_kconfig == "src/Kconfig"
    assert {"CHROMEOS", "DRIVERS_UART"} <= reached(model)
    assert references(index, "CHROMEOS") == [
        ("src/lib/Makefile.mk", 1, "make_switched_list"),
        ("src/lib/bootmode.c", 5, "macro_argument"),
    ]
    assert references(index, "USB") == [
        ("payloads/coreinfo/coreinfo.c", 1, "macro_argument"),
        ("payloads/libpayload/drivers/Makefile.mk", 1, "make_switched_list"),
    ]
    assert findings(
        model,
        index,
        "undefined-symbol-in-code",
        "endif-comment-mismatch",
        "other-architecture-symbol",
        "KLS104",
    ) == [
        "src/lib/bootmode.c:5: CHROMEOS_TYPO in CONFIG() argument: no Kconfig file defines CHROMEOS_TYPO; "
        "did you mean CHROMEOS?"
    ]
