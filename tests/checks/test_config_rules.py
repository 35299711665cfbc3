"""The configuration-file rules (KLS301-KLS307) on inline trees and configuration files.

One helper, `check_config`: the fixture's Kconfig tree and one or more
configuration files (`//- /defconfig`, merged in the order given by
`configs`); expected findings are `file:line: CODE severity: message prefix`
and both false negatives and false positives are reported. `apply_fix`
applies a finding's first quick fix to its file.
"""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, Finding, RuleSettings
from kconfig_ls.checks.registry import ALL_RULES, run_checks
from kconfig_ls.logic.configuration import ConfigSource, ProbePolicy, evaluate_configuration
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import build_symbol_table
from tests.fixtures import write_fixture

CONFIG_RULES = [rule for rule in ALL_RULES if rule.code.startswith("KLS3")]

TREE = """
//- /Kconfig
config MODULES
	bool "modules"
	modules
config MMU
	bool "MMU"
config NUMA
	bool "NUMA"
	depends on MMU
config NUMA_BALANCING
	bool "NUMA balancing"
	depends on NUMA
config MIGRATION
	bool
	default y if NUMA
config COMPACTION
	bool "compaction"
	default y
	select MIGRATION
config DRIVER
	tristate "driver"
config FLAG
	bool "flag"
config NR_CPUS
	int "NR_CPUS"
	range 2 512
	default 64
config CMDLINE
	string "command line"
config CLOCK_6018
	bool "clock of the 6018"
choice
	prompt "compression"
config GZIP
	bool "gzip"
config XZ
	bool "xz"
endchoice
"""


def findings(tmp_path: Path, fixture: str, configs: tuple[str, ...] = ("defconfig",)) -> list[Finding]:
    written = write_fixture(tmp_path, fixture)
    model = KconfigModel(WorkspaceSettings(str(tmp_path)))
    model.load()
    table = build_symbol_table(model)
    sources = [ConfigSource(str(written.files[name]), written.files[name].read_bytes()) for name in configs]
    configuration = evaluate_configuration(table, sources, probes=ProbePolicy.FROM_FILE)
    return run_checks(CheckContext(model, configuration=configuration), RuleSettings(), CONFIG_RULES)


def check_config(
    tmp_path: Path, fixture: str, expected: list[str], configs: tuple[str, ...] = ("defconfig",)
) -> list[Finding]:
    found = findings(tmp_path, fixture, configs)
    actual = []
    for finding in found:
        data = Path(finding.location.path).read_bytes()
        line = data[: finding.location.span.start].count(b"\n") + 1
        relative = Path(finding.location.path).relative_to(tmp_path)
        actual.append(f"{relative}:{line}: {finding.rule_code} {finding.severity.label}: {finding.message}")
    missing = [e for e in expected if not any(a.startswith(e) for a in actual)]
    unexpected = [a for a in actual if not any(a.startswith(e) for e in expected)]
    assert (missing, unexpected) == ([], []), f"false negatives: {missing}\nfalse positives: {unexpected}"
    return found


def apply_fix(finding: Finding) -> str:
    data = Path(finding.location.path).read_bytes()
    for edit in sorted(finding.fixes[0].edits, key=lambda e: e.location.span.start, reverse=True):
        data = data[: edit.location.span.start] + edit.new_text.encode() + data[edit.location.span.end :]
    return data.decode()


def test_a_clean_defconfig_has_no_findings(tmp_path: Path) -> None:
    check_config(tmp_path, TREE + "//- /defconfig\nCONFIG_MMU=y\nCONFIG_NUMA=y\nCONFIG_XZ=y\n", [])


def test_unknown_symbol_with_did_you_mean_and_fix(tmp_path: Path) -> None:
    found = check_config(
        tmp_path,
        TREE
        + "//- /defconfig\nCONFIG_MMU=y\nCONFIG_NUMA_BALANCNG=y\nCONFIG_NOTHING_LIKE_IT=y\nCONFIG_CLOCK_5018=y\n",
        [
            # Another model number, not a typo: no suggestion.
            "defconfig:4: KLS301 warning: unknown symbol CONFIG_CLOCK_5018; the line has no effect",
            "defconfig:2: KLS301 warning: unknown symbol CONFIG_NUMA_BALANCNG; did you mean CONFIG_NUMA_BALANCING?",
            "defconfig:3: KLS301 warning: unknown symbol CONFIG_NOTHING_LIKE_IT; the line has no effect",
        ],
    )
    fixed = apply_fix(next(f for f in found if f.fixes))
    assert fixed == "CONFIG_MMU=y\nCONFIG_NUMA_BALANCING=y\nCONFIG_NOTHING_LIKE_IT=y\nCONFIG_CLOCK_5018=y\n"


def test_invalid_values_and_out_of_range(tmp_path: Path) -> None:
    found = check_config(
        tmp_path,
        TREE + "//- /defconfig\nCONFIG_MODULES=y\nCONFIG_FLAG=m\nCONFIG_MMU=yes\nCONFIG_NR_CPUS=4096\n"
        "CONFIG_CMDLINE=console\n# CONFIG_NR_CPUS is not set\n",
        [
            "defconfig:2: KLS302 warning: CONFIG_FLAG=m is not a valid bool value (y or n) for the bool symbol FLAG",
            "defconfig:3: KLS302 warning: CONFIG_MMU=yes is read as y; write CONFIG_MMU=y",
            "defconfig:4: KLS302 warning: CONFIG_NR_CPUS=4096 is outside the range 2..512 of NR_CPUS; the tools use 64",
            "defconfig:5: KLS302 warning: CONFIG_CMDLINE=console is malformed string literal",
            "defconfig:6: KLS302 warning: '# CONFIG_NR_CPUS is not set' has no effect on the int symbol NR_CPUS",
            "defconfig:6: KLS306 warning: CONFIG_NR_CPUS is set again here, but the tools ignore this line "
            "('is not set' is ignored for int symbols); line 4 (=4096) stays in effect",
        ],
    )
    fixed = apply_fix(next(f for f in found if f.fixes))
    assert "CONFIG_MMU=y\n" in fixed


def test_a_value_that_does_not_stick_says_why_and_fixes_it(tmp_path: Path) -> None:
    found = check_config(
        tmp_path,
        TREE
        + "//- /defconfig\n# CONFIG_MMU is not set\nCONFIG_NUMA_BALANCING=y\nCONFIG_GZIP=y\nCONFIG_XZ=y\n",
        [
            "defconfig:1: KLS305 information: CONFIG_MMU is redundant: n is its default",
            "defconfig:2: KLS303 warning: CONFIG_NUMA_BALANCING was set to y but is n: missing dependency NUMA [=n]",
            "defconfig:3: KLS303 warning: CONFIG_GZIP was set to y but is n: XZ is chosen in its choice",
        ],
    )
    balancing = next(f for f in found if "NUMA_BALANCING" in f.message)
    assert balancing.fixes[0].title == "make it stick: set MMU=y, NUMA=y"
    assert (
        apply_fix(balancing)
        == "CONFIG_MMU=y\nCONFIG_NUMA=y\nCONFIG_NUMA_BALANCING=y\nCONFIG_GZIP=y\nCONFIG_XZ=y\n"
    )


def test_selected_symbol_set_off_does_not_stick(tmp_path: Path) -> None:
    check_config(
        tmp_path,
        TREE + "//- /defconfig\nCONFIG_COMPACTION=y\n# CONFIG_MIGRATION is not set\n",
        [
            "defconfig:1: KLS305 information: CONFIG_COMPACTION is redundant: y is its default",
            "defconfig:2: KLS304 warning: MIGRATION has no prompt, so CONFIG_MIGRATION here has no effect "
            "(MIGRATION = y, selected by COMPACTION",
        ],
    )


def test_redundant_defaults_choice_and_select(tmp_path: Path) -> None:
    found = check_config(
        tmp_path,
        TREE + "//- /defconfig\nCONFIG_NR_CPUS=64\nCONFIG_GZIP=y\n# CONFIG_FLAG is not set\nCONFIG_MMU=y\n",
        [
            "defconfig:1: KLS305 information: CONFIG_NR_CPUS is redundant: 64 is its default (default 64",
            "defconfig:2: KLS305 information: CONFIG_GZIP is redundant: its choice selects it by default",
            "defconfig:3: KLS305 information: CONFIG_FLAG is redundant: n is its default",
        ],
    )
    assert apply_fix(found[0]) == "CONFIG_GZIP=y\n# CONFIG_FLAG is not set\nCONFIG_MMU=y\n"


def test_full_config_is_not_checked_for_redundant_or_prompt_less_lines(tmp_path: Path) -> None:
    header = "#\n# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.12 Kernel Configuration\n#\n"
    check_config(
        tmp_path,
        TREE + "//- /.config\n" + header + "CONFIG_NR_CPUS=64\nCONFIG_MIGRATION=y\n",
        [],
        (".config",),
    )


def test_duplicates_say_which_one_wins(tmp_path: Path) -> None:
    found = check_config(
        tmp_path,
        TREE
        + "//- /defconfig\nCONFIG_MMU=y\nCONFIG_FLAG=y\n# CONFIG_FLAG is not set\nCONFIG_DRIVER=y\nCONFIG_DRIVER=x\n",
        [
            "defconfig:2: KLS306 warning: CONFIG_FLAG is set twice: line 2 (=y) and line 3 (is not set); the later one wins",
            "defconfig:5: KLS306 warning: CONFIG_DRIVER is set again here, but the tools ignore this line",
            "defconfig:5: KLS302 warning: CONFIG_DRIVER=x is not a valid tristate value",
        ],
    )
    flag = next(f for f in found if f.rule_code == "KLS306" and "FLAG" in f.message)
    assert apply_fix(flag).startswith("CONFIG_MMU=y\n# CONFIG_FLAG is not set\n")


def test_fragments_may_override_each_other(tmp_path: Path) -> None:
    check_config(
        tmp_path,
        TREE + "//- /defconfig\nCONFIG_MMU=y\nCONFIG_FLAG=y\n"
        "//- /fragment.config\n# CONFIG_FLAG is not set\n# CONFIG_NUMA is not set\n",
        # Turning FLAG off overrides the base file: not redundant. NUMA is off anyway.
        ["fragment.config:2: KLS305 information: CONFIG_NUMA is redundant: n is its default"],
        ("defconfig", "fragment.config"),
    )


def test_n_value_is_rewritten(tmp_path: Path) -> None:
    found = check_config(
        tmp_path,
        TREE + "//- /defconfig\nCONFIG_MMU=y\nCONFIG_NUMA=n\n",
        [
            "defconfig:2: KLS307 information: write '# CONFIG_NUMA is not set' instead of CONFIG_NUMA=n",
            "defconfig:2: KLS305 information: CONFIG_NUMA is redundant: n is its default",
        ],
    )
    n_value = next(f for f in found if f.rule_code == "KLS307")
    assert apply_fix(n_value) == "CONFIG_MMU=y\n# CONFIG_NUMA is not set\n"


def test_transitional_symbols_point_at_the_new_name(tmp_path: Path) -> None:
    check_config(
        tmp_path,
        """
//- /Kconfig
config OLD_NAME
	bool
	transitional
config NEW_NAME
	bool "new"
	default OLD_NAME
//- /defconfig
CONFIG_OLD_NAME=y
""",
        ["defconfig:1: KLS301 warning: CONFIG_OLD_NAME is the old name of CONFIG_NEW_NAME (transitional)"],
    )


def test_other_architecture_symbol(tmp_path: Path) -> None:
    fixture = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
//- /arch/x86/Kconfig
config X86_ONLY
	bool "x86"
//- /arch/arm/Kconfig
config ARM_ONLY
	bool "arm"
//- /defconfig
CONFIG_ARM_ONLY=y
"""
    written = write_fixture(tmp_path, fixture)
    model = KconfigModel(WorkspaceSettings(str(tmp_path), environment={"SRCARCH": "x86"}))
    model.load()
    table = build_symbol_table(model, "x86")
    configuration = evaluate_configuration(
        table, ConfigSource(str(written.files["defconfig"]), b"CONFIG_ARM_ONLY=y\n")
    )
    (finding,) = run_checks(CheckContext(model, configuration=configuration), RuleSettings(), CONFIG_RULES)
    assert finding.message.startswith("CONFIG_ARM_ONLY is not defined for x86")


def test_rules_without_a_configuration_find_nothing(tmp_path: Path) -> None:
    write_fixture(tmp_path, TREE)
    model = KconfigModel(WorkspaceSettings(str(tmp_path)))
    model.load()
    assert run_checks(CheckContext(model), RuleSettings(), CONFIG_RULES) == []
