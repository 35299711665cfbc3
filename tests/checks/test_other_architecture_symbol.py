"""other-architecture-symbol (KLS103): user-mode Linux's `arch/x86/um` is at home with arch/um.

`arch/um/Kconfig` sources `arch/$(HEADER_ARCH)/um/Kconfig`; for an x86 build neither is
reached, and each use across the two folders was "defined only for other architectures"
(24 Linux findings, such as `arch/um/configs/i386_defconfig` setting 3_LEVEL_PGTABLES).
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_code_rules import lint


def test_uml_files_share_arch_um_symbols(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
//- /arch/um/Kconfig
config UML
	def_bool y
source "arch/$(HEADER_ARCH)/um/Kconfig"
//- /arch/x86/um/Kconfig
config 3_LEVEL_PGTABLES
	bool "3-level page tables"
//- /arch/um/configs/i386_defconfig
CONFIG_3_LEVEL_PGTABLES=y
//- /arch/x86/um/shared/sysdep.h
#ifdef CONFIG_UML
#endif
//- /drivers/misc.c
#ifdef CONFIG_3_LEVEL_PGTABLES
#endif
""",
        "other-architecture-symbol",
    )
    assert [line.split(": hint")[0] for line in found] == ["drivers/misc.c:1"]


def test_zephyr_board_symbols_without_a_board_are_unknown(tmp_path: Path) -> None:
    """No BOARD: `CONFIG_BOARD_QEMU_X86` is set whenever one builds for qemu_x86."""
    from tests.ecosystems.support import findings, load
    from tests.ecosystems.test_zephyr import HWMV2

    model, index = load(tmp_path, HWMV2)
    assert "BOARD_QEMU_X86" in model.definitions
    assert ("drivers/gpio/gpio_board.c", 3, "condition") in [
        (str(Path(r.path).relative_to(tmp_path)), r.line + 1, r.kind)
        for r in index.references["BOARD_QEMU_X86"]
    ]
    assert findings(model, index, "other-architecture-symbol") == []
