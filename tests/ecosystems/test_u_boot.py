"""U-Boot: phase macros, `CONFIG_$(PHASE_)X` in Makefiles, build-defined names, `tools/` excluded."""

from __future__ import annotations

from pathlib import Path

from tests.ecosystems.support import findings, load, reached, references

U_BOOT = """
//- /Kconfig
mainmenu "U-Boot $(UBOOTVERSION) Configuration"
config DM_GPIO
	bool "Driver model for GPIO"
config SPL_DM_GPIO
	bool "Driver model for GPIO in SPL"
config SPL_SYS_MALLOC_LEN
	hex "malloc area in SPL"
	default 0x100000
config CMD_VERSION
	bool "version"
	default "$(UBOOTVERSION)" = "2026.10-rc2"
//- /Makefile
VERSION = 2026
PATCHLEVEL = 10
SUBLEVEL =
EXTRAVERSION = -rc2
//- /include/configs/sandbox.h
//- /scripts/Makefile.xpl
KBUILD_CPPFLAGS += -DCONFIG_XPL_BUILD
ifeq ($(CONFIG_SPL_BUILD),y)
KBUILD_CPPFLAGS += -DCONFIG_SPL_BUILD
PHASE_ := SPL_
endif
//- /drivers/gpio/Makefile
obj-$(CONFIG_$(PHASE_)DM_GPIO) += gpio-uclass.o
obj-$(CONFIG_$(XPL_)DM_GPIIO) += typo.o
//- /drivers/gpio/gpio-uclass.c
#if CONFIG_IS_ENABLED(DM_GPIO)
int gpio;
#else /* CONFIG_SPL_DM_GPIO */
#endif /* CONFIG_IS_ENABLED(DM_GPIO) */
#ifdef CONFIG_XPL_BUILD
#endif
int len = CONFIG_VAL(SYS_MALLOC_LEN);
int on = CONFIG_IS_ENABLED(DM_GPIO, (1), (0));
#if CONFIG_IS_ENABLED(DM_GPIOO)
#endif
//- /tools/mkimage.c
#ifdef CONFIG_HOST_ONLY_THING
#endif
"""


def test_phase_references_build_names_and_excluded_tools(tmp_path: Path) -> None:
    model, index = load(tmp_path, U_BOOT)
    assert index.ecosystem.name == "u-boot"
    assert {"DM_GPIO", "SPL_DM_GPIO", "CMD_VERSION"} <= reached(model)
    assert model.settings.environment["UBOOTVERSION"] == "2026.10-rc2"
    assert references(index, "DM_GPIO") == [
        ("drivers/gpio/Makefile", 1, "phase_argument"),
        ("drivers/gpio/gpio-uclass.c", 1, "phase_argument"),
        ("drivers/gpio/gpio-uclass.c", 4, "directive_comment"),
        ("drivers/gpio/gpio-uclass.c", 8, "phase_argument"),
    ]
    assert findings(model, index, "undefined-symbol-in-code", "endif-comment-mismatch") == [
        "drivers/gpio/Makefile:2: DM_GPIIO in phase reference: no Kconfig file defines DM_GPIIO; "
        "did you mean DM_GPIO?",
        "drivers/gpio/gpio-uclass.c:9: DM_GPIOO in phase reference: no Kconfig file defines "
        "DM_GPIOO; did you mean DM_GPIO?",
    ]


def test_the_kconfig_tools_own_test_fixtures_are_not_loaded(tmp_path: Path) -> None:
    # U-Boot carries Linux's scripts/kconfig/tests: fixtures of the kconfig tool, which select
    # choice members and leave symbols undefined on purpose (KLS202 reported them).
    fixture = (
        U_BOOT
        + """//- /scripts/kconfig/tests/choice/Kconfig
choice
	prompt "choice"
config CHOICE_A
	bool "A"
endchoice
config SELECTS_A_CHOICE_MEMBER
	bool "fixture"
	select CHOICE_A
"""
    )
    model, index = load(tmp_path, fixture)
    assert "SELECTS_A_CHOICE_MEMBER" not in model.definitions
    assert findings(model, index, "undefined-symbol", "select-choice-member", "syntax-error") == []
