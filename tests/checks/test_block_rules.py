"""Dead and undead `#if` blocks over every architecture (KLS207, KLS208), on small trees.

The fixture tree has two architectures: x86 (where X86 is defined) and arm
(where ARM_LPAE is). A block is dead only if it is dead on every
architecture that builds its file; the cause is named.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_code_rules import lint

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config MMU
	bool "MMU"
config MIGRATION
	bool "Page migration"
	depends on MMU
config NUMA
	tristate "NUMA"
config MODULES
	bool "Modules"
	modules
config OWN
	def_bool y
//- /arch/x86/Kconfig
config X86
	def_bool y
//- /arch/arm/Kconfig
config ARM_LPAE
	bool "LPAE"
"""

CODE = """
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
obj-y += common.o own.o
//- /mm/migrate.c
#ifndef CONFIG_MMU
int no_mmu;
#endif
#ifdef CONFIG_MIGRATION
int always;
#else
int never;
#endif
//- /mm/common.c
#ifdef CONFIG_NUMA
#ifndef CONFIG_NUMA
int contradiction;
#endif
#endif
#ifndef CONFIG_MMU
#ifdef CONFIG_MIGRATION
int needs_mmu;
#endif
#endif
#if IS_ENABLED(CONFIG_NUMA)
#ifdef CONFIG_NUMA_MODULE
int numa_module;
#endif
#endif
#ifdef CONFIG_ARM_LPAE
int alive_on_arm;
#endif
#if 0
int deliberately_off;
#endif
#ifdef CONFIG_UNDEFINED_ANYWHERE
int reported_by_kls101;
#endif
//- /mm/own.c
#define CONFIG_OWN 1
#ifndef CONFIG_OWN
int defined_by_the_file;
#endif
//- /arch/arm/mm/fault.c
#ifdef CONFIG_X86
int x86_only;
#endif
"""


def test_dead_blocks_name_their_cause_and_architectures(tmp_path: Path) -> None:
    assert lint(tmp_path, CODE, "dead-block", TREE) == [
        "arch/arm/mm/fault.c:1: warning: #ifdef CONFIG_X86 is never compiled on arm, the only architecture "
        "that builds the file: no Kconfig file of the architectures that build the file defines CONFIG_X86",
        "mm/common.c:2: warning: #ifndef CONFIG_NUMA is never compiled on any architecture: "
        "it contradicts #ifdef CONFIG_NUMA (line 1)",
        "mm/common.c:7: warning: #ifdef CONFIG_MIGRATION is never compiled on any architecture: "
        "it cannot hold inside #ifndef CONFIG_MMU (line 6) (MIGRATION depends on MMU)",
        "mm/migrate.c:1: warning: #ifndef CONFIG_MMU is never compiled on any architecture: "
        "it cannot hold in a file built only when MIGRATION (mm/Makefile)",
    ]


def test_undead_blocks_and_their_dead_else(tmp_path: Path) -> None:
    assert lint(tmp_path, CODE, "undead-block", TREE) == [
        "mm/migrate.c:4: information: #ifdef CONFIG_MIGRATION always holds on any architecture "
        "in a file built only when MIGRATION (mm/Makefile); its #else branch is never compiled",
    ]
