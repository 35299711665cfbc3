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
config USB_HID
	bool "USB HID"
//- /payloads/libpayload/drivers/Makefile.mk
libc-$(CONFIG_LP_USB) += usb/usb.c
libc-$(CONFIG_LP_USB_HIDD) += usb/hid.c
//- /payloads/coreinfo/coreinfo.c
int usb = CONFIG(LP_USB);
int hid = CONFIG(LP_USB_HIDD);
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
        # libpayload's own names are spelt as its code spells them, with `LP_`.
        "payloads/coreinfo/coreinfo.c:2: LP_USB_HIDD in CONFIG() argument: no Kconfig file defines USB_HIDD; "
        "did you mean LP_USB_HID?",
        "payloads/libpayload/drivers/Makefile.mk:2: CONFIG_LP_USB_HIDD in Makefile list: "
        "no Kconfig file defines USB_HIDD; did you mean CONFIG_LP_USB_HID?",
        "src/lib/bootmode.c:5: CHROMEOS_TYPO in CONFIG() argument: no Kconfig file defines CHROMEOS_TYPO; "
        "did you mean CHROMEOS?",
    ]


BOARDS = """
//- /src/Kconfig
source "src/mainboard/Kconfig"
//- /src/mainboard/Kconfig
choice
	prompt "Mainboard vendor"
	default VENDOR_EMULATION
source "src/mainboard/*/Kconfig.name"
endchoice
source "src/mainboard/*/Kconfig"
//- /src/mainboard/emulation/Kconfig.name
config VENDOR_EMULATION
	bool "Emulation"
//- /src/mainboard/foxconn/Kconfig.name
config VENDOR_FOXCONN
	bool "Foxconn"
//- /src/mainboard/foxconn/Kconfig
if VENDOR_FOXCONN
choice
	prompt "Mainboard model"
source "src/mainboard/foxconn/*/Kconfig.name"
endchoice
endif # VENDOR_FOXCONN
//- /src/mainboard/foxconn/g41s-k/Kconfig.name
config BOARD_FOXCONN_G41S_K
	bool "G41S-K"
config BOARD_FOXCONN_G41M
	bool "G41M/G41M-S/G41M-V"
//- /src/mainboard/foxconn/g41s-k/hda_verb.c
#include <kconfig.h>
#if CONFIG(BOARD_FOXCONN_G41S_K)
static const int verbs[] = { 1 };
#else /* CONFIG_BOARD_FOXCONN_G41M */
static const int verbs[] = { 2 };
#endif
#if CONFIG(BOARD_FOXCONN_G41S_K)
#else /* CONFIG_VENDOR_EMULATION */
#endif
//- /src/include/kconfig.h
#define CONFIG(option) config_enabled(CONFIG_##option)
"""


def test_choice_members_sourced_through_a_glob_belong_to_the_choice(tmp_path: Path) -> None:
    # Issue 12: 2 of coreboot's 3 endif-comment-mismatch findings were false,
    # because entries sourced inside a choice had no `definition.choice`.
    model, index = load(tmp_path, BOARDS)
    sites = {
        site.entry.prompts[0].text: site.entry for sites in model.choices_by_file.values() for site in sites
    }
    for name, prompt in (
        ("VENDOR_EMULATION", "Mainboard vendor"),
        ("VENDOR_FOXCONN", "Mainboard vendor"),
        ("BOARD_FOXCONN_G41S_K", "Mainboard model"),
        ("BOARD_FOXCONN_G41M", "Mainboard model"),
    ):
        (definition,) = model.definitions[name]
        assert definition.choice is sites[prompt], name
    # The #else of one board's test names its sibling board: the complementary
    # branch of the choice. A member of another choice is still a mismatch.
    assert findings(model, index, "endif-comment-mismatch") == [
        "src/mainboard/foxconn/g41s-k/hda_verb.c:8: #else comment names CONFIG_VENDOR_EMULATION, but the "
        "block opened at line 7 (#if CONFIG(BOARD_FOXCONN_G41S_K)) tests CONFIG_BOARD_FOXCONN_G41S_K",
        "  fix: CONFIG_VENDOR_EMULATION -> CONFIG_BOARD_FOXCONN_G41S_K",
    ]


LIBPAYLOAD_TREE = """
//- /src/Kconfig
source "src/drivers/Kconfig"
//- /src/include/kconfig.h
#define CONFIG(option) config_enabled(CONFIG_##option)
//- /src/drivers/Kconfig
config DRIVERS_UART
	bool "UART"
//- /payloads/libpayload/Kconfig
mainmenu "Libpayload Configuration"
source "drivers/Kconfig"
//- /payloads/libpayload/drivers/Kconfig
config USB
	bool "USB support"
source "drivers/usb/Kconfig"
//- /payloads/libpayload/drivers/usb/Kconfig
config USB_OHCI
	bool "OHCI"
	depends on USB
//- /payloads/other/Kconfig
source "src/drivers/Kconfig"
"""


def test_libpayload_reads_its_source_paths_from_its_own_folder(tmp_path: Path) -> None:
    """libpayload is a nested project (its root Kconfig has a `mainmenu`): its build runs in
    `payloads/libpayload`, so `source "drivers/Kconfig"` there is not the coreboot tree's `drivers/`,
    at any depth; an unreached file without a `mainmenu` still reads from the project root."""
    model, index = load(tmp_path, LIBPAYLOAD_TREE)
    assert findings(model, index, "source-problem") == []
    paths = {model.relative(d.path) for name in ("USB", "USB_OHCI") for d in model.definitions[name]}
    assert paths == {"payloads/libpayload/drivers/Kconfig", "payloads/libpayload/drivers/usb/Kconfig"}
    assert "payloads/other/Kconfig" in {model.relative(c.path) for c in model.contributions.values()}
    assert {model.relative(d.path) for d in model.definitions["DRIVERS_UART"]} == {"src/drivers/Kconfig"}
