"""Rules over C, Makefiles and config files, on inline fixture trees."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config MIGRATION
	bool "Page migration"
config NUMA_MIGRATION
	bool "NUMA page migration"
//- /arch/x86/Kconfig
config X86
	def_bool y
//- /arch/arm/Kconfig
config ARM_LPAE
	bool "LPAE"
"""


def lint(tmp_path: Path, extra: str, select: str, tree: str = TREE) -> list[str]:
    write_fixture(tmp_path, tree + extra)
    workspace = KconfigModel(
        workspace_settings(str(tmp_path), ProjectSettings(), environment={"SRCARCH": "x86"})
    )
    workspace.load()
    index = CodeIndex(str(tmp_path), cache_directory=None, workers=1)
    index.build()
    findings = run_checks(CheckContext(workspace, index), RuleSettings(select=frozenset({select})))
    lines = []
    for finding in sorted(findings, key=lambda f: (f.location.path, f.location.span.start)):
        data = Path(finding.location.path).read_bytes()
        line = data[: finding.location.span.start].count(b"\n") + 1
        lines.append(
            f"{workspace.relative(finding.location.path)}:{line}: {finding.severity.label}: {finding.message}"
        )
        for fix in finding.fixes:
            for edit in fix.edits:
                old = data[edit.location.span.start : edit.location.span.end].decode()
                lines.append(f"  fix: {fix.title}: {old} -> {edit.new_text}")
    return lines


def test_undefined_symbols_in_c_makefiles_and_config_files(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
//- /mm/migrate.c
/* café: non-ASCII before the references */
#ifdef CONFIG_MIGRATOIN
int a;
#endif
#if IS_ENABLED(CONFIG_NUMA_MIGRATION) && defined(CONFIG_GONE_MODULE)
int b;
#endif
enum { CONFIG_REGISTER_BIT = 1 };
#define CONFIG_LOCAL_SWITCH 1
#ifdef CONFIG_LOCAL_SWITCH
int c;
#endif
/* CONFIG_IN_A_COMMENT is prose */
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
obj-$(CONFIG_MIGRATON) += typo.o
//- /configs/x_defconfig
CONFIG_MIGRATION=y
# CONFIG_REMOVED_SYMBOL is not set
""",
        "undefined-symbol-in-code",
    )
    assert found == [
        "configs/x_defconfig:2: warning: CONFIG_REMOVED_SYMBOL in configuration file: no Kconfig file defines "
        "REMOVED_SYMBOL",
        "mm/Makefile:2: warning: CONFIG_MIGRATON in Makefile list: no Kconfig file defines MIGRATON; "
        "did you mean CONFIG_MIGRATION?",
        "mm/migrate.c:2: warning: CONFIG_MIGRATOIN in #if condition: no Kconfig file defines MIGRATOIN; "
        "did you mean CONFIG_MIGRATION?",
        "mm/migrate.c:5: warning: CONFIG_GONE_MODULE in #if condition: no Kconfig file defines GONE",
    ]


def test_lying_endif_comment_with_quick_fix(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
//- /mm/memory-tiers.c
/* né */
#ifdef CONFIG_NUMA_MIGRATION
static int top_tier_adistance;
#endif /* CONFIG_MIGRATION */

#ifdef CONFIG_MIGRATION
int ok;
#else /* !CONFIG_MIGRATION */
int fine;
#endif /* CONFIG_MIGRATION */
""",
        "endif-comment-mismatch",
    )
    assert found == [
        "mm/memory-tiers.c:4: warning: #endif comment names CONFIG_MIGRATION, but the block opened at line 2 "
        "(#ifdef CONFIG_NUMA_MIGRATION) tests CONFIG_NUMA_MIGRATION",
        "  fix: Change the comment to CONFIG_NUMA_MIGRATION: CONFIG_MIGRATION -> CONFIG_NUMA_MIGRATION",
    ]


def test_other_architecture_symbols_are_hints_not_undefined(tmp_path: Path) -> None:
    extra = """
//- /drivers/shared.c
#ifdef CONFIG_ARM_LPAE
int lpae;
#endif
//- /arch/arm/mm/pgd.c
#ifdef CONFIG_ARM_LPAE
int own;
#endif
"""
    assert lint(tmp_path, extra, "undefined-symbol-in-code") == []
    assert lint(tmp_path, extra, "other-architecture-symbol") == [
        "drivers/shared.c:1: hint: CONFIG_ARM_LPAE is defined only for other architectures (arch/arm/Kconfig:1); "
        "it is never set with the configured tree"
    ]


def test_index_cache_round_trip_and_corruption(tmp_path: Path) -> None:
    write_fixture(tmp_path / "tree", "//- /a.c\n#ifdef CONFIG_A\n#endif\n//- /Kconfig\nconfig A\n\tbool\n")
    cache = tmp_path / "cache"
    first = CodeIndex(str(tmp_path / "tree"), str(cache), workers=1)
    first.build()
    assert first.statistics.scanned == 1
    second = CodeIndex(str(tmp_path / "tree"), str(cache), workers=1)
    second.build()
    assert (second.statistics.scanned, second.statistics.from_cache) == (0, 1)
    assert [r.symbol for r in second.references["A"]] == ["A"]
    for cache_file in cache.iterdir():
        cache_file.write_bytes(cache_file.read_bytes()[:-7] + b"garbage")
    third = CodeIndex(str(tmp_path / "tree"), str(cache), workers=1)
    third.build()
    assert (third.statistics.scanned, [r.symbol for r in third.references["A"]]) == (1, ["A"])


def test_an_index_cache_written_by_another_program_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A changed scanner (a new checkout, an upgrade) must scan again, not read the old entries.
    from kconfig_ls.semantics import code_index

    write_fixture(tmp_path / "tree", "//- /a.c\n#ifdef CONFIG_A\n#endif\n//- /Kconfig\nconfig A\n\tbool\n")
    cache = tmp_path / "cache"
    CodeIndex(str(tmp_path / "tree"), str(cache), workers=1).build()
    monkeypatch.setattr(code_index, "program_identity", lambda: "0.1.0+another")
    again = CodeIndex(str(tmp_path / "tree"), str(cache), workers=1)
    again.build()
    assert (again.statistics.scanned, again.statistics.from_cache) == (1, 0)


def test_bad_code_files_never_break_the_index(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, "//- /Kconfig\nconfig A\n\tbool\n//- /ok.c\n#if CONFIG_A\n#endif\n")
    (tree / "binary.c").write_bytes(b"\x7fELF\x00\x00CONFIG_A\x00")
    (tree / "unterminated.h").write_bytes(b"#ifdef CONFIG_A\nint x;\n")
    (tree / "stray.c").write_bytes(b"#endif /* CONFIG_A */\n#else\n")
    (tree / "latin1.c").write_bytes(b"/* caf\xe9 */\n#ifdef CONFIG_A\n#endif\n")
    (tree / "huge.h").write_bytes(b"#define X 1\n" * 200_000 + b"#ifdef CONFIG_A\n#endif\n")
    (tree / "loop").symlink_to(tree)
    index = CodeIndex(str(tree), None, workers=1)
    index.build()
    assert sorted(Path(r.path).name for r in index.references["A"]) == [
        "huge.h",
        "latin1.c",
        "ok.c",
        "stray.c",
        "unterminated.h",
    ]
    messages = sorted((Path(path).name, message) for path, _, _, _, message in index.problems())
    assert [name for name, _ in messages] == ["binary.c", "stray.c", "stray.c", "unterminated.h"]


def test_editing_a_file_updates_the_index_like_a_fresh_build(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(
        tree,
        "//- /a.c\n#ifdef CONFIG_A\n#endif\n#if IS_ENABLED(CONFIG_B)\n#endif\n"
        "//- /b.c\n#ifdef CONFIG_A\n#endif\n//- /Makefile\nobj-$(CONFIG_A) += a.o\n",
    )
    index = CodeIndex(str(tree), None, workers=1)
    index.build()
    assert sorted(index.references) == ["A", "B"]  # build the derived tables before the edit
    assert [o[1] for o in index.built_objects("A")] == ["a.o"]
    new_text = b"#ifdef CONFIG_C /* caf\xc3\xa9 */\n#endif\nint x = IS_ENABLED(CONFIG_A);\n"
    index.update_file(str(tree / "a.c"), new_text)
    (tree / "a.c").write_bytes(new_text)
    (tree / "Makefile").write_bytes(b"obj-$(CONFIG_C) += c.o\n")
    index.reload_file(str(tree / "Makefile"))
    fresh = CodeIndex(str(tree), None, workers=1)
    fresh.build()

    def table(code_index: CodeIndex) -> list[tuple[str, str, int, int, str]]:
        return sorted(
            (symbol, Path(r.path).name, r.span.start, r.span.end, r.kind)
            for symbol, references in code_index.references.items()
            for r in references
        )

    assert table(index) == table(fresh)
    assert "B" not in index.references
    assert index.built_objects("A") == [] and [o[1] for o in index.built_objects("C")] == ["c.o"]


def test_the_cheap_index_path_still_reports_malformed_blocks(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_fixture(tree, "//- /Kconfig\nconfig A\n\tbool\n")
    (tree / "elif_after_else.c").write_bytes(b"#ifdef CONFIG_A\n#else\n#elif X\n#endif\n")
    (tree / "well_formed.c").write_bytes(b"#ifdef CONFIG_A\n#if X\n#else\n#endif\n#elif Y\n#endif\n")
    index = CodeIndex(str(tree), None, workers=1)
    index.build()
    assert sorted(Path(path).name for path, *_ in index.problems()) == ["elif_after_else.c"]
    assert sorted(Path(r.path).name for r in index.references["A"]) == ["elif_after_else.c", "well_formed.c"]


def test_an_unreadable_code_file_is_reported_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = tmp_path / "tree"
    write_fixture(
        tree, "//- /Kconfig\nconfig A\n\tbool\n//- /ok.c\n#ifdef CONFIG_A\n#endif\n//- /locked.c\nint x;\n"
    )
    real_open = os.open

    def refusing_open(file: object, *arguments: object, **keywords: object) -> object:
        # Files are opened with os.open (non-blocking, by the overlay's reader).
        if str(file).endswith("locked.c"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *arguments, **keywords)  # type: ignore[arg-type]

    monkeypatch.setattr("os.open", refusing_open)
    index = CodeIndex(str(tree), None, workers=1)
    index.build()
    assert [(Path(path).name, message) for path, *_, message in index.problems()] == [
        ("locked.c", "cannot read file: Permission denied")
    ]
    assert [Path(r.path).name for r in index.references["A"]] == ["ok.c"]


def test_suppression_comments_work_in_code_files(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
//- /mm/quiet.c
#ifdef CONFIG_GONE_ONE /* kconfig-ls: ignore[undefined-symbol-in-code] */
#endif
#ifdef CONFIG_GONE_TWO
#endif
""",
        "undefined-symbol-in-code",
    )
    assert found == [
        "mm/quiet.c:3: warning: CONFIG_GONE_TWO in #if condition: no Kconfig file defines GONE_TWO"
    ]


def test_names_the_tree_defines_itself_are_not_undefined(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
//- /include/sound/core.h
#define CONFIG_SND_MAJOR 116
//- /sound/core/sound.c
int major = CONFIG_SND_MAJOR;
//- /Makefile
CONFIG_SHELL := sh
//- /scripts/Makefile.build
cmd = $(CONFIG_SHELL) script.sh
//- /net/ipvs/ip_vs_dh.c
#ifndef CONFIG_IP_VS_DH_TAB_BITS
#define CONFIG_IP_VS_DH_TAB_BITS 8
#endif
//- /net/ipvs/ip_vs_dh_user.c
int bits = CONFIG_IP_VS_DH_TAB_BITS;
//- /drivers/gpu/hubbub.h
struct fields { u32 CONFIG_ERROR; u8 CONFIG_MASK[4]; };
//- /drivers/gpu/hubbub.c
int x = CONFIG_STILL_MISSING;
""",
        "undefined-symbol-in-code",
    )
    assert found == [
        "drivers/gpu/hubbub.c:1: warning: CONFIG_STILL_MISSING in C code: no Kconfig file defines STILL_MISSING"
    ]


WORD_SIZE_TREE = """
//- /Kconfig
config 64BIT
	bool "64-bit kernel"
config X86_32
	def_bool y
	depends on !64BIT
config X86_64
	def_bool y
	depends on 64BIT
config PPC64
	bool "64-bit PowerPC"
config PPC32
	bool
	default y if !PPC64
config PM
	bool "Power management"
config PM_SLEEP
	bool "Suspend"
config M68328
	bool "68328"
config M68EZ328
	bool "68EZ328"
"""


def test_complementary_alternatives_and_abbreviations_are_fair_comments(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
//- /arch/x86/mm/init.c
#ifdef CONFIG_X86_32
int a;
#else /* CONFIG_X86_64 */
int b;
#endif /* CONFIG_X86_64 */
#ifdef CONFIG_PPC64
#else /* CONFIG_PPC32 */
#endif
#ifdef CONFIG_PM_SLEEP
#endif /* CONFIG_PM... */
#ifdef CONFIG_PM_SLEEP
#endif /* CONFIG_XXX_SLEEP */
#if defined(CONFIG_M68328) || defined(CONFIG_M68EZ328)
#endif /* CONFIG_M68x328 */
#ifndef __powerpc64__
#else /* CONFIG_PPC64 */
#endif
#ifdef CONFIG_PM_SLEEP
#endif /* CONFIG_X86_64 */
#ifdef CONFIG_X86_32
#endif /* CONFIG_X86_64 */
""",
        "endif-comment-mismatch",
        WORD_SIZE_TREE,
    )
    # The last two lie: PM_SLEEP has nothing to do with X86_64, and an `#endif` without
    # `#else` closes the X86_32 branch only.
    assert [line.split(":")[1] for line in found if not line.startswith("  fix")] == ["19", "21"]


def test_uses_inside_the_defining_architecture_are_not_other_architecture(tmp_path: Path) -> None:
    extra = """
//- /arch/arm64/Kconfig
source "arch/arm64/Kconfig.platforms"
//- /arch/arm64/Kconfig.platforms
config ARCH_QCOM
	bool "Qualcomm platforms"
//- /arch/arm64/kernel/setup.c
#ifdef CONFIG_ARCH_QCOM
#endif
//- /drivers/soc/qcom.c
#ifdef CONFIG_ARCH_QCOM
#endif
//- /samples/kconfig/Kconfig
config SAMPLE_OPTION
	bool "An example's own option"
//- /samples/kconfig/sample.c
#ifdef CONFIG_SAMPLE_OPTION
#endif
//- /drivers/misc/user.c
#ifdef CONFIG_SAMPLE_OPTION
#endif
"""
    assert lint(tmp_path, extra, "other-architecture-symbol") == [
        "drivers/misc/user.c:1: hint: CONFIG_SAMPLE_OPTION is defined only in samples/kconfig, which the root "
        "Kconfig does not reach (samples/kconfig/Kconfig:1); it is never set with the configured tree",
        "drivers/soc/qcom.c:1: hint: CONFIG_ARCH_QCOM is defined only for other architectures "
        "(arch/arm64/Kconfig.platforms:1); it is never set with the configured tree",
    ]


def test_kernel_config_fragments_under_tools_testing_are_indexed(tmp_path: Path) -> None:
    write_fixture(
        tmp_path,
        TREE
        + """
//- /tools/testing/selftests/rcutorture/configs/rcu/TREE01
CONFIG_MIGRATION=y
//- /tools/testing/selftests/rcutorture/configs/rcu/TREE01.boot
rcutorture.torture_type=rcu
//- /tools/testing/selftests/bpf/config
CONFIG_MIGRATION=y
//- /tools/testing/selftests/bpf/config.x86_64
CONFIG_MIGRATION=m
//- /tools/testing/selftests/bpf/test.c
#ifdef CONFIG_MIGRATION
#endif
//- /tools/perf/Makefile.config
ifdef CONFIG_MIGRATION
endif
""",
    )
    index = CodeIndex(str(tmp_path), None, workers=1, excluded_folders=("tools", "Documentation"))
    index.build()
    assert sorted(workspace_relative(tmp_path, r.path) for r in index.references["MIGRATION"]) == [
        "tools/testing/selftests/bpf/config",
        "tools/testing/selftests/bpf/config.x86_64",
        "tools/testing/selftests/rcutorture/configs/rcu/TREE01",
    ]


def workspace_relative(root: Path, path: str) -> str:
    return str(Path(path).relative_to(root))


def test_redundant_guards_by_the_makefile_the_enclosing_if_and_the_contents(tmp_path: Path) -> None:
    extra = """
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
obj-y += other.o
//- /mm/migrate.c
#ifdef CONFIG_MIGRATION
int a;
#endif
#if IS_ENABLED(CONFIG_NUMA_MIGRATION)
#ifdef CONFIG_NUMA_MIGRATION
int b;
#endif
#endif
//- /mm/other.c
#ifdef CONFIG_MIGRATION
#ifdef CONFIG_NUMA_MIGRATION
int c;
#endif
#endif
#ifdef CONFIG_MIGRATION
#ifdef CONFIG_NUMA_MIGRATION
int d;
#endif
int e;
#endif
"""
    findings = lint(tmp_path, extra, "redundant-guard")
    assert findings == [
        "mm/migrate.c:1: information: #ifdef CONFIG_MIGRATION always holds here: "
        "the file is only built when MIGRATION (mm/Makefile) implies it",
        "  fix: remove the redundant '#ifdef CONFIG_MIGRATION' guard and its #endif: "
        "#ifdef CONFIG_MIGRATION\n -> ",
        "  fix: remove the redundant '#ifdef CONFIG_MIGRATION' guard and its #endif: #endif\n -> ",
        "mm/migrate.c:5: information: #ifdef CONFIG_NUMA_MIGRATION always holds here: "
        "the enclosing #if implies it",
        "  fix: remove the redundant '#ifdef CONFIG_NUMA_MIGRATION' guard and its #endif: "
        "#ifdef CONFIG_NUMA_MIGRATION\n -> ",
        "  fix: remove the redundant '#ifdef CONFIG_NUMA_MIGRATION' guard and its #endif: #endif\n -> ",
    ]


def test_redundant_guards_know_u_boots_build_phases(tmp_path: Path) -> None:
    # U-Boot: `CONFIG_IS_ENABLED(X)` is X in U-Boot proper but SPL_X in SPL, and a file in a
    # list of `$(PHASE_)` is built in SPL when SPL_X is set: neither says one Kconfig value.
    extra = """
//- /lib/Makefile
obj-y += panic.o
obj-$(CONFIG_$(PHASE_)SPRINTF) += vsprintf.o
obj-$(CONFIG_MIGRATION) += vsprintf.o
//- /lib/panic.c
#if CONFIG_IS_ENABLED(X86)
int a;
#endif
//- /lib/vsprintf.c
#ifdef CONFIG_MIGRATION
int b;
#endif
"""
    assert lint(tmp_path, extra, "redundant-guard") == []


RELATED_TREE = """
//- /Kconfig
config PM
	bool "Power management"
config SUSPEND
	bool "Suspend"
	depends on PM
config PM_SLEEP
	bool "Sleep"
	depends on SUSPEND
config IOMMU_MM_DATA
	bool
config IOMMU_SVA
	bool "SVA"
	select IOMMU_MM_DATA
config PNP
	bool "PnP"
config PNPACPI
	bool
	default PNP
config MMU
	def_bool y
config MIGRATION
	bool
	depends on MMU
config NUMA_MIGRATION
	bool "NUMA migration"
	depends on MMU
	select MIGRATION
config COMPACTION
	bool "Compaction"
	depends on MMU
	select MIGRATION
config ACCOUNTING
	bool
config ACCOUNTING_NATIVE
	bool "Native"
	select ACCOUNTING
config ACCOUNTING_GEN
	bool "Generic"
	select ACCOUNTING
"""


def test_a_comment_may_summarise_a_related_symbol_but_not_what_the_tested_one_selects(tmp_path: Path) -> None:
    """Two steps of `depends on`, a selector of the tested symbol and a prompt-less default are
    summaries, and so is a prompt-less symbol only the tested ones select; a symbol the tested
    one selects is not otherwise: the seed patch's `#ifdef
    CONFIG_NUMA_MIGRATION` ... `#endif /* CONFIG_MIGRATION */` is the comment its rewrite left."""
    found = lint(
        tmp_path,
        """
//- /mm/migrate.c
#ifdef CONFIG_PM_SLEEP
#endif /* CONFIG_PM */
#ifdef CONFIG_IOMMU_MM_DATA
#endif /* CONFIG_IOMMU_SVA */
#ifdef CONFIG_PNPACPI
#endif /* CONFIG_PNP */
#ifdef CONFIG_NUMA_MIGRATION
#endif /* CONFIG_MIGRATION */
#if defined(CONFIG_ACCOUNTING_NATIVE)
#elif defined(CONFIG_ACCOUNTING_GEN)
#else /* !CONFIG_ACCOUNTING */
#endif
#ifdef CONFIG_ACCOUNTING_NATIVE
#else /* !CONFIG_ACCOUNTING */
#endif
""",
        "endif-comment-mismatch",
        RELATED_TREE,
    )
    # ACCOUNTING is exactly "NATIVE or GEN" (only they select it, it has no prompt or default);
    # after a test of NATIVE alone its negation is no summary.
    assert [line.split(":")[1] for line in found if not line.startswith("  fix")] == ["8", "14"]
