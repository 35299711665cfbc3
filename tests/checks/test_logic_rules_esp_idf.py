"""The configuration logic's rules on ESP-IDF-shaped trees: targets are the worlds, no tristate."""

from __future__ import annotations

import textwrap
from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.logic import world_analysis
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings, load_project_settings
from kconfig_ls.settings.resolve import workspace_settings
from tests.checks.test_logic_rules import ARCHITECTURES, lint
from tests.ecosystems.esp_idf_fixture import esp_idf_tree
from tests.fixtures import write_fixture

# Targets esp32 (two cores), esp32c3 and linux.
ESP_IDF = esp_idf_tree({"esp32": 2, "esp32c3": 1, "linux": 1})


def lint_esp_idf(tmp_path: Path, fixture: str) -> list[str]:
    """Preview findings on an ESP-IDF-shaped tree (targets esp32, esp32c3, linux) plus `fixture`."""
    write_fixture(tmp_path, ESP_IDF + textwrap.dedent(fixture).lstrip("\n"))
    root = str(tmp_path)
    model = KconfigModel(workspace_settings(root, load_project_settings(root)))
    model.load()
    findings = run_checks(CheckContext(model, logic=True), RuleSettings(preview=True))
    return sorted(
        f"{model.relative(f.location.path)}:{model.line_of(f.location) + 1}: {f.rule_code}: {f.message}"
        for f in findings
        if f.rule_code in ("KLS201", "KLS202", "KLS203")
    )


def test_esp_idf_findings_name_targets_and_the_dependency_once(tmp_path: Path) -> None:
    # IDF_TARGET_LINUX is y on linux alone (it was free on every target); the dependency written
    # twice (the enclosing `if` and `depends on`) is named once; a disjunct is parenthesised.
    findings = lint_esp_idf(
        tmp_path,
        """
        //- /components/efuse/CMakeLists.txt
        idf_component_register()
        //- /components/efuse/Kconfig
        config EFUSE_VIRTUAL
        	bool "Virtual eFuses"
        config MULTI
        	bool "Multi"
        config SINGLE
        	bool "Single"
        if EFUSE_VIRTUAL
        config KEEP_IN_FLASH
        	bool
        	depends on EFUSE_VIRTUAL && !IDF_TARGET_LINUX
        endif
        if MULTI
        config TWICE
        	bool
        	depends on MULTI
        endif
        config CORE_FEATURE
        	bool
        	depends on MULTI || SINGLE
        config EMULATE
        	bool "Emulate"
        	select EFUSE_VIRTUAL
        	select KEEP_IN_FLASH
        	select TWICE
        	select CORE_FEATURE
        config NEVER
        	bool
        	depends on IDF_TARGET_ESP32 && IDF_TARGET_ESP32C3
        """,
    )
    assert findings == [
        "components/efuse/Kconfig:23: KLS201: EMULATE selects KEEP_IN_FLASH, but KEEP_IN_FLASH depends on "
        "!IDF_TARGET_LINUX, which can be n while EMULATE is y (linux: !IDF_TARGET_LINUX=n, EMULATE=y)",
        "components/efuse/Kconfig:24: KLS201: EMULATE selects TWICE, but TWICE depends on MULTI, which can "
        "be n while EMULATE is y (esp32, esp32c3, linux: MULTI=n, EMULATE=y)",
        "components/efuse/Kconfig:25: KLS201: EMULATE selects CORE_FEATURE, but CORE_FEATURE depends on "
        "(MULTI || SINGLE), which can be n while EMULATE is y (esp32, esp32c3, linux: (MULTI || SINGLE)=n, "
        "EMULATE=y)",
        "components/efuse/Kconfig:26: KLS203: NEVER can never be enabled on any target: NEVER depends on "
        "IDF_TARGET_ESP32 && IDF_TARGET_ESP32C3, which never holds",
    ]


def test_esp_idf_select_of_another_targets_choice_member_is_not_reported(tmp_path: Path) -> None:
    # MODE is a choice member in esp32's file and a plain bool in esp32c3's: esp32c3's select
    # is of its own bool (as riscv's `select 32BIT` on Linux).
    findings = lint_esp_idf(
        tmp_path,
        """
        //- /components/radio/CMakeLists.txt
        idf_component_register()
        //- /components/radio/Kconfig
        orsource "./$IDF_TARGET/Kconfig.radio"
        //- /components/radio/esp32/Kconfig.radio
        choice
        	prompt "Mode"
        config MODE
        	bool "Mode"
        config OTHER_MODE
        	bool "Other mode"
        endchoice
        config ESP32_SELECTOR
        	bool "Selector"
        	select MODE
        //- /components/radio/esp32c3/Kconfig.radio
        config MODE
        	bool
        config C3_SELECTOR
        	bool "Selector"
        	select MODE
        """,
    )
    assert [f for f in findings if "KLS202" in f] == [
        "components/radio/esp32/Kconfig.radio:10: KLS202: ESP32_SELECTOR selects MODE, a member of the "
        "choice \"Mode\": select has no effect on a choice member; use 'default MODE if ESP32_SELECTOR' "
        "in the choice, or 'depends on MODE'"
    ]


def test_esp_idf_options_of_the_examples_common_component_are_loaded(tmp_path: Path) -> None:
    # openthread's OPENTHREAD_RADIO_TREL depends on protocol_examples_common's EXAMPLE_CONNECT_WIFI,
    # which the examples add to their builds: not dead. Its linux sibling is not loaded with it.
    findings = lint_esp_idf(
        tmp_path,
        """
        //- /components/openthread/CMakeLists.txt
        idf_component_register()
        //- /components/openthread/Kconfig
        config OPENTHREAD_RADIO_TREL
        	bool "TREL"
        	depends on EXAMPLE_CONNECT_WIFI
        //- /examples/common_components/protocol_examples_common/CMakeLists.txt
        idf_component_register()
        //- /examples/common_components/protocol_examples_common/Kconfig.projbuild
        config EXAMPLE_CONNECT_WIFI
        	bool "Connect using WiFi"
        	depends on !IDF_TARGET_LINUX
        //- /examples/common_components/protocol_examples_tapif_io/CMakeLists.txt
        idf_component_register()
        //- /examples/common_components/protocol_examples_tapif_io/Kconfig.projbuild
        config EXAMPLE_CONNECT_WIFI
        	bool
        	depends on IDF_TARGET_LINUX && IDF_TARGET_ESP32
        """,
    )
    assert findings == []


def test_esp_idf_an_examples_select_meets_its_own_definitions_not_another_examples(tmp_path: Path) -> None:
    # udp_multicast's EXAMPLE_IPV4 is a plain bool; tcp_server's is a choice member.
    findings = lint_esp_idf(
        tmp_path,
        """
        //- /examples/udp_multicast/CMakeLists.txt
        project(udp_multicast)
        //- /examples/udp_multicast/main/Kconfig.projbuild
        config EXAMPLE_IPV4_ONLY
        	bool "IPV4"
        	select EXAMPLE_IPV4
        config EXAMPLE_IPV4
        	bool
        //- /examples/tcp_server/CMakeLists.txt
        project(tcp_server)
        //- /examples/tcp_server/main/Kconfig.projbuild
        choice
        	prompt "IP Version"
        config EXAMPLE_IPV4
        	bool "IPV4"
        config EXAMPLE_IPV6
        	bool "IPV6"
        endchoice
        """,
    )
    assert [f for f in findings if "KLS202" in f] == []


TRAX_TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
source "arch/$(SRCARCH)/Kconfig.trax"
config TRAX_ENABLE
	bool
	depends on !X86_TRAX && !ARM_TRAX
config DEST_JTAG
	bool "JTAG"
	select TRAX_ENABLE
//- /arch/x86/Kconfig.trax
config X86_TRAX
	bool "x86 trace"
//- /arch/arm/Kconfig.trax
config ARM_TRAX
	bool "arm trace"
"""


def test_a_select_unmet_through_other_conjuncts_in_other_worlds_names_each(tmp_path: Path) -> None:
    # ESP-IDF's APPTRACE_TRAX_ENABLE: `!ESP32_TRAX` fails on esp32, `!ESP32S2_TRAX` on esp32s2.
    findings = lint(tmp_path, TRAX_TREE)
    [finding] = [f for f in findings if "KLS201" in f]
    assert finding.endswith(
        "which can be n while DEST_JTAG is y (arm: !ARM_TRAX=n; x86: !X86_TRAX=n; DEST_JTAG=y)"
    )
    assert "depends on !ARM_TRAX && !X86_TRAX," in finding or "depends on !X86_TRAX && !ARM_TRAX," in finding


def test_a_select_unmet_through_other_conjuncts_is_worded_alike_from_the_cache(tmp_path: Path) -> None:
    """The per-world conjuncts are part of the logic cache: a warm run words the finding as the cold one."""
    write_fixture(tmp_path, textwrap.dedent(TRAX_TREE).lstrip("\n") + ARCHITECTURES)
    cache = tmp_path / "cache"
    messages = []
    for _ in range(2):  # cold, then from the disk cache (a fresh model, the memory forgotten)
        world_analysis._MEMORY.clear()
        model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), arch="x86"))
        model.load()
        context = CheckContext(model, logic=True, cache_directory=str(cache))
        findings = run_checks(context, RuleSettings(preview=True, select=frozenset({"KLS201"})))
        messages.append([f.message for f in findings])
    assert any(cache.iterdir())
    assert messages[0] == messages[1]
    assert "(arm: !ARM_TRAX=n; x86: !X86_TRAX=n; DEST_JTAG=y)" in messages[1][0]
