"""Dead and undead `#if` blocks over every architecture (KLS207, KLS208), on small trees.

The fixture tree has two architectures: x86 (where X86 is defined) and arm
(where ARM_LPAE is). A block is dead only if it is dead on every
architecture that builds its file; the cause is named.
"""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.checks.test_code_rules import lint
from tests.fixtures import write_fixture

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
        "  fix: remove the dead block: #ifdef CONFIG_X86\nint x86_only;\n#endif\n -> ",
        "mm/common.c:2: warning: #ifndef CONFIG_NUMA is never compiled on any architecture: "
        "it contradicts #ifdef CONFIG_NUMA (line 1)",
        "  fix: remove the dead block: #ifndef CONFIG_NUMA\nint contradiction;\n#endif\n -> ",
        "mm/common.c:7: warning: #ifdef CONFIG_MIGRATION is never compiled on any architecture: "
        "it cannot hold inside #ifndef CONFIG_MMU (line 6) (MIGRATION depends on MMU)",
        "  fix: remove the dead block: #ifdef CONFIG_MIGRATION\nint needs_mmu;\n#endif\n -> ",
        "mm/migrate.c:1: warning: #ifndef CONFIG_MMU is never compiled on any architecture: "
        "it cannot hold in a file built only when MIGRATION (mm/Makefile)",
        "  fix: remove the dead block: #ifndef CONFIG_MMU\nint no_mmu;\n#endif\n -> ",
    ]


def test_undead_blocks_and_their_dead_else(tmp_path: Path) -> None:
    assert lint(tmp_path, CODE, "undead-block", TREE) == [
        "mm/migrate.c:4: information: #ifdef CONFIG_MIGRATION always holds on any architecture "
        "in a file built only when MIGRATION (mm/Makefile); its #else branch is never compiled",
        "  fix: remove the always-true condition, keeping its body: #ifdef CONFIG_MIGRATION\n -> ",
        "  fix: remove the always-true condition, keeping its body: #else\nint never;\n#endif\n -> ",
    ]


FIXES = """
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += fixes.o
//- /mm/fixes.c
int a;
#ifndef CONFIG_MIGRATION
int dead1;
#endif
#ifndef CONFIG_MIGRATION
int dead2;
#else
int alive2;
#endif
  #ifndef CONFIG_MIGRATION
int dead3;
  #elif defined(CONFIG_NUMA)
int numa3;
  #endif
#ifdef CONFIG_NUMA
int numa4;
#elif !defined(CONFIG_MIGRATION)
int dead4;
#else
int other4;
#endif
#ifdef CONFIG_MIGRATION
int alive5;
#else
int dead5;
#endif
#ifdef CONFIG_NUMA
int numa6;
#elif defined(CONFIG_MIGRATION) /* always, when not NUMA */
int alive6;
#else
int dead6;
#endif
int z;
"""

FIXED = """int a;
int alive2;
  #if defined(CONFIG_NUMA)
int numa3;
  #endif
#ifdef CONFIG_NUMA
int numa4;
#else
int other4;
#endif
int alive5;
#ifdef CONFIG_NUMA
int numa6;
#else
int alive6;
#endif
int z;
"""


def test_quick_fixes_remove_dead_branches_and_always_true_conditions(tmp_path: Path) -> None:
    write_fixture(tmp_path, TREE + FIXES)
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), environment={"SRCARCH": "x86"}))
    model.load()
    index = CodeIndex(str(tmp_path), cache_directory=None, workers=1)
    index.build()
    findings = run_checks(
        CheckContext(model, index), RuleSettings(select=frozenset({"dead-block", "undead-block"}))
    )
    titles = sorted(fix.title for finding in findings for fix in finding.fixes)
    assert titles == [
        "remove the always-true condition, keeping its body",
        "remove the dead block",
        "remove the dead branch",
        "remove the dead branch",
        "remove the dead branch and keep the #else body",
        "replace the always-true condition with #else and remove the branches after it",
    ]
    path = tmp_path / "mm" / "fixes.c"
    data = path.read_bytes()
    edits = sorted(
        (edit.location.span.start, edit.location.span.end, edit.new_text)
        for finding in findings
        for fix in finding.fixes
        for edit in fix.edits
    )
    for start, end, text in reversed(edits):
        data = data[:start] + text.encode() + data[end:]
    assert data.decode() == FIXED


def test_redundant_guards_hold_on_every_architecture_that_builds_the_file(tmp_path: Path) -> None:
    # KLS206 asks over every world that builds the file, as KLS207: `#ifdef CONFIG_X86` in a
    # file all architectures build is no redundant guard (Linux's drivers/pci/p2pdma.c).
    extra = """
//- /drivers/pci/Makefile
obj-y += p2pdma.o
//- /drivers/pci/p2pdma.c
#ifdef CONFIG_X86
int x86;
#endif
//- /arch/x86/kernel/Makefile
obj-y += setup.o
//- /arch/x86/kernel/setup.c
#ifdef CONFIG_X86
int x86;
#endif
#ifndef CONFIG_ARM_LPAE
int not_lpae;
#endif
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
//- /mm/migrate.c
#ifdef CONFIG_MMU
#ifdef CONFIG_MIGRATION
int inside;
#endif
#endif
#ifdef CONFIG_NUMA
int numa_can_be_m;
#endif
"""
    assert [line for line in lint(tmp_path, extra, "redundant-guard", TREE) if "fix:" not in line] == [
        "arch/x86/kernel/setup.c:1: information: #ifdef CONFIG_X86 always holds on x86, the only "
        "architecture that builds the file: X86 is y by default, without a prompt",
        "arch/x86/kernel/setup.c:4: information: #ifndef CONFIG_ARM_LPAE always holds on x86, the only "
        "architecture that builds the file: no Kconfig file of the architectures that build the file "
        "defines CONFIG_ARM_LPAE",
        "mm/migrate.c:1: information: #ifdef CONFIG_MMU always holds here: "
        "the file is only built when MIGRATION (mm/Makefile) implies it",
        "mm/migrate.c:2: information: #ifdef CONFIG_MIGRATION always holds here: "
        "the file is only built when MIGRATION (mm/Makefile) implies it",
    ]


def test_many_questions_are_settled_by_sampling_with_the_same_findings(tmp_path: Path) -> None:
    # 150 independent guards add 300 open questions (more than `_SAMPLE_ABOVE`), so the
    # questions go through the steered sampling; it must find every one of them possible
    # and still prove the dead blocks of CODE dead.
    names = [f"FILLER_{number}" for number in range(150)]
    tree = TREE + "".join(f'config {name}\n\tbool "{name}"\n' for name in names)
    filler = "".join(
        f"#ifdef CONFIG_{name}\nint on_{name};\n#else\nint off_{name};\n#endif\n" for name in names
    )
    code = CODE.replace("//- /mm/own.c", "//- /mm/filler.c\n" + filler + "//- /mm/own.c")
    code = code.replace("obj-y += common.o own.o", "obj-y += common.o own.o filler.o")
    found = lint(tmp_path, code, "dead-block", tree)
    assert [line.split(":")[0] + ":" + line.split(":")[1] for line in found if not line.startswith(" ")] == [
        "arch/arm/mm/fault.c:1",
        "mm/common.c:2",
        "mm/common.c:7",
        "mm/migrate.c:1",
    ]
