"""Files a configuration does not build, by Kbuild's rules: lists, composites, `ifdef`s, the folder chain."""

from __future__ import annotations

from kconfig_ls.logic.not_built import not_built_reason

VALUES = {"ON": "y", "MOD": "m", "OFF": "n", "OFF2": "n", "PROBE": None, "OWNED": "n", "LEVEL": "3"}

FILES = {
    "/t/Makefile": b"obj-y += drivers/\n",
    "/t/drivers/Makefile": (
        b"obj-$(CONFIG_ON) += on/\n"
        b"obj-$(CONFIG_OFF) += off/\n"
        b"obj-$(CONFIG_PROBE) += probed/\n"
        b"obj-$(CONFIG_OFF) += twice/\n"
        b"obj-$(CONFIG_MOD) += twice/\n"
        b"subdir-y += tools/\n"
    ),
    "/t/drivers/on/Makefile": (
        b"obj-$(CONFIG_ON) += plain.o\n"
        b"obj-$(CONFIG_OFF) += gone.o other.o\n"
        b"obj-$(CONFIG_OFF) += both.o\n"
        b"obj-$(CONFIG_MOD) += both.o\n"
        b"ifdef CONFIG_OFF\n"
        b"obj-y += guarded.o\n"
        b"endif\n"
        b"ifeq ($(CONFIG_ON),y)\n"
        b"obj-$(CONFIG_OFF2) += guarded_on.o\n"
        b"else\n"
        b"obj-y += guarded_on.o\n"
        b"endif\n"
        b"ifneq ($(shell true),)\n"
        b"obj-y += unknown_guard.o\n"
        b"endif\n"
        b"obj-$(CONFIG_OFF) += big.o\n"
        b"big-y := big_main.o\n"
        b"big-$(CONFIG_ON) += big_extra.o\n"
        b"obj-$(CONFIG_MOD) += small.o\n"
        b"small-objs := small_main.o\n"
        b"small-$(CONFIG_OFF) += small_option.o\n"
        b"lib-y += library.o\n"
        b"obj-$(CONFIG_PROBE) += probed.o\n"
        b"obj-$(foreach x,y,$(x)) += computed.o\n"
        b"obj-y += $(wildcard *.o) # listed.o in a comment\n"
        b"CONFIG_OWNED := y\n"
        b"obj-$(CONFIG_OWNED) += owned.o\n"
        b"obj-$(CONFIG_LEVEL) += leveled.o\n"
    ),
    "/t/drivers/off/Makefile": b"obj-y += inside.o\n",
    "/t/drivers/off/deeper/Makefile": b"obj-y += deep.o\n",
    "/t/drivers/probed/Makefile": b"obj-y += maybe.o\n",
    "/t/drivers/twice/Makefile": b"obj-y += twice.o\n",
    "/t/drivers/tools/Makefile": b"obj-y += tool.o\n",
    "/t/drivers/kb/Kbuild": b"obj-$(CONFIG_OFF) += kb.o\n",
    "/t/drivers/kb/Makefile": b"obj-y += kb.o\n",
    "/t/drivers/inc/Makefile": b"obj-$(CONFIG_OFF) += inc.o\ninclude $(src)/Makefile.more\n",
}


def _reason(path: str) -> str | None:
    return not_built_reason(path, FILES.get, VALUES.get)


def test_objects_listed_under_symbols_that_are_n() -> None:
    assert _reason("/t/drivers/on/plain.c") is None
    assert _reason("/t/drivers/on/gone.c") == "not built: obj-$(CONFIG_OFF) with OFF=n"
    assert _reason("/t/drivers/on/other.S") == "not built: obj-$(CONFIG_OFF) with OFF=n"
    assert _reason("/t/drivers/on/both.c") is None  # also in obj-m
    assert _reason("/t/drivers/on/probed.c") is None  # a value a probe decides
    assert _reason("/t/drivers/on/unlisted.c") is None  # not listed here: cannot tell
    assert _reason("/t/drivers/on/gone.h") is None


def test_enclosing_conditionals_count() -> None:
    assert _reason("/t/drivers/on/guarded.c") == "not built: obj-y under `ifdef CONFIG_OFF` (line 5)"
    assert _reason("/t/drivers/on/guarded_on.c") == "not built: obj-$(CONFIG_OFF2) with OFF2=n"
    assert _reason("/t/drivers/on/unknown_guard.c") is None


def test_composite_objects() -> None:
    assert _reason("/t/drivers/on/big_main.c") == "not built: big.o: obj-$(CONFIG_OFF) with OFF=n"
    assert _reason("/t/drivers/on/big_extra.c") == "not built: big.o: obj-$(CONFIG_OFF) with OFF=n"
    assert _reason("/t/drivers/on/small_main.c") is None
    assert _reason("/t/drivers/on/small_option.c") == "not built: small-$(CONFIG_OFF) with OFF=n"


def test_lists_not_modelled_are_never_claimed() -> None:
    assert _reason("/t/drivers/on/library.c") is None  # lib-y
    assert _reason("/t/drivers/on/computed.c") is None  # a list named with a function
    assert _reason("/t/drivers/on/listed.c") is None  # only in a comment: not listed, cannot tell
    assert _reason("/t/drivers/inc/inc.c") is None  # an included file may list it
    assert _reason("/t/drivers/on/owned.c") is None  # the Makefile sets CONFIG_OWNED itself
    assert _reason("/t/drivers/on/leveled.c") == "not built: obj-$(CONFIG_LEVEL) with LEVEL=3"


def test_the_folder_chain() -> None:
    assert _reason("/t/drivers/off/inside.c") == "not built: obj-$(CONFIG_OFF) += off/ with OFF=n"
    assert _reason("/t/drivers/off/deeper/deep.c") is None  # `deeper/` is listed nowhere: cannot tell
    assert _reason("/t/drivers/probed/maybe.c") is None
    assert _reason("/t/drivers/twice/twice.c") is None  # also in obj-m
    assert _reason("/t/drivers/tools/tool.c") is None  # reached by subdir-y


def test_a_kbuild_file_wins_over_the_makefile() -> None:
    assert _reason("/t/drivers/kb/kb.c") == "not built: obj-$(CONFIG_OFF) with OFF=n"
