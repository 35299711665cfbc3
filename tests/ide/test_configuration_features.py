"""The editor features of an active configuration, on the snapshot: hover, inlay hints, lenses, regions.

The server only converts these (tests/server/test_configuration.py); what
they say is tested here, on small trees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.analysis import active_configuration
from kconfig_ls.analysis.configuration_choice import resolve_configuration
from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.syntax.kconfig import Span
from tests.ide.support import analysis

TREE = """
//- /Kconfig
config SMP
	bool "SMP"
config NUMA
	bool "NUMA"
	depends on SMP
config MMU
	def_bool y
config NUMA_MIGRATION
	bool
	default y if NUMA && MMU
	select MIGRATION
config MIGRATION
	bool "Page migration"
	depends on MMU
config COMPACTION
	bool "Compaction"
	select MIGRATION
config NUMA_BALANCING
	bool "NUMA balancing"
	depends on NUMA_MIGRATION && SMP
config HOSTNAME
	string "Host name"
	default "(none)"
//- /.config
CONFIG_SMP=y
CONFIG_COMPACTION=y
CONFIG_NUMA_BALANCING=y
//- /mm/Makefile
obj-$(CONFIG_COMPACTION) += compaction.o
obj-$(CONFIG_NUMA) += numa.o
ifdef CONFIG_NUMA
numa := 1
endif
ifeq ($(CONFIG_HOSTNAME),"(none)")
unnamed := 1
else
named := 1
endif
//- /mm/numa.c
int numa;
//- /mm/compaction.c
#ifdef CONFIG_NUMA
int numa;
#else
int flat;
#endif
"""


def configured(root: Path, fixture: str = TREE, *entries: str) -> tuple[AnalysisHost, object]:
    host, written = analysis(root, fixture, index_code=True)
    host.set_configuration(entries or (".config",))
    return host, written


def hover_at(host: AnalysisHost, root: Path, relative: str, needle: str) -> str:
    path = root / relative
    data = path.read_bytes()
    hover = host.hover(str(path), data.index(needle.encode()) + len(needle) - 1)
    assert hover is not None
    return hover.markdown


def test_the_hover_starts_with_the_value_and_why(tmp_path: Path) -> None:
    host, _ = configured(tmp_path)
    markdown = hover_at(host, tmp_path, "Kconfig", "config MIGRATION")
    lines = markdown.splitlines()
    assert lines[0] == "### MIGRATION"
    assert lines[2] == r"**MIGRATION = y, selected by COMPACTION (Kconfig:17)** *(in .config)*"
    assert lines[4] == "Depends on: `MMU [=y]`"


def test_a_value_that_is_n_says_what_would_enable_it_and_what_blocks_it(tmp_path: Path) -> None:
    host, _ = configured(tmp_path)
    # The enabling set is searched within the first hover (each trial is evaluated incrementally).
    markdown = hover_at(host, tmp_path, "Kconfig", "config NUMA_BALANCING")
    head = markdown.split("\n\n`bool`")[0]
    assert head == "\n\n".join(
        [
            "### NUMA_BALANCING",
            r"**NUMA\_BALANCING = n, missing dependency NUMA\_MIGRATION \[=n\]** *(in .config)*",
            "Depends on: `NUMA_MIGRATION [=n] && SMP [=y]`",
            r"Also: .config:3 sets y, which does not stick",
            "To enable: `NUMA=y` (checked by evaluating it)",
            "Blocked by\n- `NUMA_MIGRATION [=n]`: needs y; no prompt\n  - `NUMA [=n]`: set NUMA to y",
        ]
    )
    assert host.snapshot().active_configuration.take_pending() == []


def test_a_search_longer_than_the_hover_budget_finishes_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(active_configuration, "HOVER_SEARCH_BUDGET", -1.0)
    host, _ = configured(tmp_path)
    first = hover_at(host, tmp_path, "Kconfig", "config NUMA_BALANCING")
    assert "To enable: searching the smallest set of changes (hover again)" in first
    active = host.snapshot().active_configuration
    assert active.take_pending() == [("NUMA_BALANCING", "y")]
    assert active.search_enabling_set("NUMA_BALANCING", "y") == {"NUMA": "y"}
    # ...and the next hover shows it.
    assert "To enable: `NUMA=y` (checked by evaluating it)" in hover_at(
        host, tmp_path, "Kconfig", "config NUMA_BALANCING"
    )


def test_a_symbol_of_another_architecture_says_it_cannot_be_enabled(tmp_path: Path) -> None:
    fixture = TREE.replace(
        "config HOSTNAME",
        'config ARM_ONLY_DRIVER\n\tbool "ARM driver"\n\tdepends on ARCH_PXA\nconfig HOSTNAME',
    )
    host, _ = configured(tmp_path, fixture)
    markdown = hover_at(host, tmp_path, "Kconfig", "config ARM_ONLY_DRIVER")
    assert r"Cannot be enabled for this architecture: needs ARCH\_PXA (not defined in this world)" in markdown


def test_without_a_configuration_the_hover_is_the_plain_one(tmp_path: Path) -> None:
    host, _ = analysis(tmp_path, TREE)
    assert "(in " not in hover_at(host, tmp_path, "Kconfig", "config MIGRATION")
    host.set_configuration([".config"])
    assert "(in .config)" in hover_at(host, tmp_path, "Kconfig", "config MIGRATION")
    host.set_configuration([])
    assert "(in " not in hover_at(host, tmp_path, "Kconfig", "config MIGRATION")


def test_inlay_hints_give_each_operand_its_value(tmp_path: Path) -> None:
    host, _ = configured(tmp_path)
    path = str(tmp_path / "Kconfig")
    data = (tmp_path / "Kconfig").read_bytes()
    hints = host.snapshot().inlay_hints(path, Span(0, len(data)))
    shown = [(data[: hint.offset].rsplit(b"\n", 1)[-1].decode(), hint.label) for hint in hints]
    assert shown == [
        ("\tdepends on SMP", "[=y]"),
        ("\tdefault y if NUMA", "[=n]"),
        ("\tdefault y if NUMA && MMU", "[=y]"),
        ("\tdepends on MMU", "[=y]"),
        ("\tdepends on NUMA_MIGRATION", "[=n]"),
        ("\tdepends on NUMA_MIGRATION && SMP", "[=y]"),
    ]
    first_line_only = host.snapshot().inlay_hints(path, Span(0, data.index(b"\tselect MIGRATION")))
    assert [hint.label for hint in first_line_only] == ["[=y]", "[=n]", "[=y]"]


def test_inlay_hints_on_configuration_lines_that_do_not_stick(tmp_path: Path) -> None:
    host, _ = configured(tmp_path)
    path = str(tmp_path / ".config")
    hints = host.snapshot().inlay_hints(path, Span(0, 1000))
    assert [(hint.label, hint.padding_left) for hint in hints] == [("→ n: needs NUMA_MIGRATION [=n]", True)]
    data = (tmp_path / ".config").read_bytes()
    assert data[: hints[0].offset].endswith(b"CONFIG_NUMA_BALANCING=y")


def test_an_open_buffer_of_the_configuration_wins_over_the_disk(tmp_path: Path) -> None:
    host, _ = configured(tmp_path)
    path = str(tmp_path / ".config")
    host.set_document(path, b"CONFIG_SMP=y\nCONFIG_NUMA=y\nCONFIG_NUMA_BALANCING=y\n", "kconfig-config", 2)
    snapshot = host.snapshot()
    configuration = snapshot.active_configuration.configuration()
    assert configuration is not None and configuration.value("NUMA_BALANCING") == "y"
    assert snapshot.inlay_hints(path, Span(0, 1000)) == []
    assert snapshot.active_configuration.status().problems == 0
    assert snapshot.active_configuration.known_findings() == []


def test_code_lenses_count_and_list_selects_uses_and_defconfigs(tmp_path: Path) -> None:
    fixture = TREE + "//- /arch/x86/configs/small_defconfig\nCONFIG_MIGRATION=y\n"
    host, _ = configured(tmp_path, fixture)
    snapshot = host.snapshot()
    lenses = snapshot.code_lenses(str(tmp_path / "Kconfig"))
    by_name: dict[str, list[str]] = {}
    for lens in lenses:
        resolved = snapshot.resolve_code_lens(lens.name, lens.kind)
        by_name.setdefault(lens.name, []).append(resolved.title)
    assert by_name["MIGRATION"] == ["selected by 2", "0 uses in code", "1 defconfig"]
    assert by_name["NUMA"] == ["3 uses in code"]
    selected = snapshot.resolve_code_lens("MIGRATION", "selected")
    assert [
        snapshot.line_index(place.path).line_of(place.span.start) + 1 for place in selected.locations
    ] == [
        11,
        17,
    ]


def test_inactive_regions_of_c_files_and_makefiles_and_files_not_built(tmp_path: Path) -> None:
    host, _ = configured(tmp_path)
    snapshot = host.snapshot()

    def regions(relative: str) -> tuple[list[str], str]:
        path = tmp_path / relative
        code = snapshot.inactive_code(str(path))
        assert code is not None
        data = path.read_bytes()
        return [data[span.start : span.end].decode() for span in code.spans], code.message

    assert regions("mm/compaction.c") == (["int numa;"], "inactive in .config")
    # A string symbol is a make variable with its quotes (auto.conf writes CONFIG_HOSTNAME="(none)").
    assert regions("mm/Makefile") == (["numa := 1", "named := 1"], "inactive in .config")
    assert regions("mm/numa.c") == (["int numa;\n"], "not built: obj-$(CONFIG_NUMA) with NUMA=n")
    assert snapshot.inactive_code(str(tmp_path / "Kconfig")) is None


def test_choosing_a_build_folder_finds_its_configuration(tmp_path: Path) -> None:
    (tmp_path / "zephyr-build/zephyr").mkdir(parents=True)
    (tmp_path / "zephyr-build/zephyr/.config").write_text("CONFIG_SMP=y\n")
    (tmp_path / "linux-build").mkdir()
    (tmp_path / "linux-build/.config").write_text("CONFIG_SMP=y\n")
    (tmp_path / "esp/build").mkdir(parents=True)
    (tmp_path / "esp/sdkconfig").write_text("CONFIG_SMP=y\n")
    (tmp_path / "esp/build/CMakeCache.txt").write_text(
        f"X:BOOL=1\nSDKCONFIG:FILEPATH={tmp_path}/esp/sdkconfig\n"
    )
    (tmp_path / "empty").mkdir()
    root = str(tmp_path)
    assert resolve_configuration(["zephyr-build"], root).files == (f"{root}/zephyr-build/zephyr/.config",)
    assert resolve_configuration(["linux-build"], root).files == (f"{root}/linux-build/.config",)
    assert resolve_configuration(["esp"], root).files == (f"{root}/esp/sdkconfig",)
    assert resolve_configuration(["esp/build"], root).files == (f"{root}/esp/sdkconfig",)
    fragments = resolve_configuration(["linux-build/.config", "esp/sdkconfig", "missing.config"], root)
    assert fragments.files == (f"{root}/linux-build/.config", f"{root}/esp/sdkconfig")
    assert fragments.problems == ("configuration file missing.config not found",)
    assert fragments.label(root, "x86") == "linux-build/.config + 1 fragment (x86)"
    (problem,) = resolve_configuration(["empty"], root).problems
    assert problem.startswith("no .config, zephyr/.config or sdkconfig in the folder empty")
    assert resolve_configuration([], root).label(root, None) == "no configuration"


def test_the_status_counts_unknown_values_and_problems(tmp_path: Path) -> None:
    fixture = TREE.replace(
        'config SMP\n\tbool "SMP"\n',
        'config SMP\n\tbool "SMP"\nconfig CC_HAS_X\n\tdef_bool $(success,false)\n',
    )
    host, _ = configured(tmp_path, fixture)
    status = host.snapshot().active_configuration.status()
    assert (status.label, status.path) == (".config", str(tmp_path / ".config"))
    assert status.unknown_values == 1  # CC_HAS_X: a probe the engine does not run, not in the file
    assert status.problems == 1  # KLS303: NUMA_BALANCING does not stick


def test_after_a_kconfig_edit_answers_use_the_last_evaluation_until_the_new_one(tmp_path: Path) -> None:
    host, _ = configured(tmp_path)
    assert "*(in .config)*" in hover_at(host, tmp_path, "Kconfig", "config MIGRATION")
    path = tmp_path / "Kconfig"
    # COMPACTION no longer selects MIGRATION: on the new model MIGRATION is n.
    edited = path.read_bytes().replace(b'\tbool "Compaction"\n\tselect MIGRATION\n', b'\tbool "Compaction"\n')
    host.set_document(str(path), edited, "kconfig", 2)
    snapshot = host.snapshot()
    hover = snapshot.hover(str(path), edited.index(b"config MIGRATION") + 8)
    assert hover is not None
    assert r"**MIGRATION = y, selected by COMPACTION" in hover.markdown
    assert "*(in .config, re-evaluating after the edit)*" in hover.markdown
    # The server evaluates on the new model in the background (the status does), then asks again.
    active = snapshot.active_configuration
    configuration = active.configuration()
    assert configuration is not None and configuration.value("MIGRATION") == "n"
    hover = host.snapshot().hover(str(path), edited.index(b"config MIGRATION") + 8)
    assert hover is not None and "**MIGRATION = n" in hover.markdown and "re-evaluating" not in hover.markdown


ARCHITECTURES = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config PCI
	bool "PCI"
config SHARED_DRIVER
	bool "a driver"
	depends on PCI
//- /arch/x86/Kconfig
config X86
	def_bool y
config X86_FEATURE
	bool "x86 feature"
	depends on PCI
//- /arch/arm/Kconfig
config ARM
	def_bool y
config ARM_FEATURE
	bool "arm feature"
	depends on PCI && ARM
//- /arch/arm/Makefile
ifdef CONFIG_PCI
pci := 1
endif
//- /arch/arm/mm/fault.c
#ifdef CONFIG_PCI
int pci;
#endif
//- /arch/x86/mm/fault.c
#ifdef CONFIG_PCI
int pci;
#endif
//- /.config
CONFIG_PCI=y
"""


def test_another_architectures_files_show_no_values_of_this_configuration(tmp_path: Path) -> None:
    host, _ = configured(tmp_path, ARCHITECTURES)
    snapshot = host.snapshot()
    everything = Span(0, 10_000)
    # The configuration's own architecture: values, as everywhere else.
    x86 = snapshot.inlay_hints(str(tmp_path / "arch/x86/Kconfig"), everything)
    assert [hint.label for hint in x86] == ["[=y]"]
    assert "**X86\\_FEATURE = n" in hover_at(host, tmp_path, "arch/x86/Kconfig", "config X86_FEATURE")
    # arm's file under an x86 `.config`: x86's values would mislead (ARM is n here, PCI is x86's).
    assert snapshot.inlay_hints(str(tmp_path / "arch/arm/Kconfig"), everything) == []
    markdown = hover_at(host, tmp_path, "arch/arm/Kconfig", "config ARM_FEATURE")
    assert (
        "*No values here: this file is arm's, and the active configuration (.config (x86)) is for x86.*"
    ) in markdown
    assert "ARM\\_FEATURE = " not in markdown and "To enable" not in markdown
    # Shared files keep their values; C files of arm are not built for x86; arm's Makefile greys nothing.
    assert [hint.label for hint in snapshot.inlay_hints(str(tmp_path / "Kconfig"), everything)] == ["[=y]"]
    arm_c = snapshot.inactive_code(str(tmp_path / "arch/arm/mm/fault.c"))
    assert arm_c is not None and arm_c.message == "not built: arch/arm/ is not built for x86"
    x86_c = snapshot.inactive_code(str(tmp_path / "arch/x86/mm/fault.c"))
    assert x86_c is not None and x86_c.spans == ()
    arm_makefile = snapshot.inactive_code(str(tmp_path / "arch/arm/Makefile"))
    assert arm_makefile is not None and arm_makefile.spans == ()
