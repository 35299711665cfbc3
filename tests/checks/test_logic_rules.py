"""Rules built on the configuration logic (KLS201, KLS202, KLS001 re-graded), on small trees.

Trees whose root sources `arch/$(SRCARCH)/Kconfig` have one world per
architecture folder; findings name the architectures where they hold.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture

ARCHITECTURES = """
//- /arch/x86/Kconfig
config MMU
	def_bool y
config MODULES
	bool "Modules"
	modules
//- /arch/arm/Kconfig
config MMU
	bool "MMU"
	default y
config MODULES
	bool "Modules"
	modules
"""


def lint(tmp_path: Path, fixture: str, root: str = "Kconfig", logic: bool = True) -> list[str]:
    """Findings on the fixture; `ARCHITECTURES` (x86 with an MMU, arm where it is optional) is added."""
    write_fixture(tmp_path, textwrap.dedent(fixture).lstrip("\n") + ARCHITECTURES)
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(root_kconfig=root), arch="x86"))
    model.load()
    findings = run_checks(CheckContext(model, logic=logic), RuleSettings(preview=True))
    return sorted(
        f"{model.relative(f.location.path)}:{model.line_of(f.location) + 1}: "
        f"{f.rule_code} {f.severity.label}: {f.message}"
        for f in findings
    )


def test_select_with_unmet_dependencies_names_the_architectures(tmp_path: Path) -> None:
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config MIGRATION
        	bool
        	depends on MMU
        config GOOD
        	bool "Good"
        	depends on MMU
        	select MIGRATION
        config INDIRECT
        	bool "Indirect"
        	depends on GOOD
        	select MIGRATION
        config BAD
        	bool "Bad"
        	select MIGRATION
        """,
    )
    assert findings == [
        "Kconfig:15: KLS201 warning: BAD selects MIGRATION, but MIGRATION depends on MMU, "
        "which can be n while BAD is y (arm: MMU=n, BAD=y)"
    ]


def test_y_selecting_a_symbol_whose_dependency_is_m(tmp_path: Path) -> None:
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config DRIVER
        	tristate "Driver"
        config HELPER
        	tristate
        	depends on DRIVER
        config BUILTIN
        	bool "Built-in user"
        	select HELPER
        config MODULAR
        	tristate "Modular user"
        	depends on DRIVER
        	select HELPER
        """,
    )
    assert findings == [
        "Kconfig:9: KLS201 warning: BUILTIN selects HELPER, but HELPER depends on DRIVER, "
        "which can be n while BUILTIN is y (arm, x86: DRIVER=n, BUILTIN=y)"
    ]


def test_only_the_m_case(tmp_path: Path) -> None:
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config DRIVER
        	tristate "Driver"
        config HELPER
        	tristate
        	depends on DRIVER
        config BUILTIN
        	bool "Built-in user"
        	depends on DRIVER != n
        	select HELPER
        """,
    )
    assert findings == [
        "Kconfig:10: KLS201 warning: BUILTIN selects HELPER, but HELPER depends on DRIVER, "
        "which can be m while BUILTIN is y (arm, x86: DRIVER=m, BUILTIN=y)"
    ]


def test_defaults_of_prompt_less_symbols_keep_the_analysis_precise(tmp_path: Path) -> None:
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config ALWAYS
        	def_bool y
        config TARGET
        	bool
        	depends on ALWAYS
        config SELECTOR
        	bool "Selector"
        	select TARGET
        """,
    )
    assert findings == []


def test_select_of_a_choice_member_is_an_error(tmp_path: Path) -> None:
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        choice
        	prompt "Allocator"
        config SLUB
        	bool "SLUB"
        config SLAB
        	bool "SLAB"
        endchoice
        config WANTS_SLAB
        	bool "Wants SLAB"
        	select SLAB
        """,
    )
    assert findings == [
        'Kconfig:10: KLS001 warning: WANTS_SLAB selects SLAB, a choice member with a prompt ("SLAB"); '
        "select has no effect on a choice member: use 'default SLAB' in the choice or 'depends on'",
        'Kconfig:10: KLS202 error: WANTS_SLAB selects SLAB, a member of the choice "Allocator": '
        "select has no effect on a choice member; use 'default SLAB if WANTS_SLAB' in the choice, "
        "or 'depends on SLAB'",
    ]


SELECT_VISIBLE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config MIGRATION
	bool "Page migration"
	depends on MMU
config COMPACTION
	bool "Compaction"
	depends on MMU
	select MIGRATION
config BALLOON
	bool "Balloon"
	select MIGRATION
config LIBRARY
	bool "Library"
config USER
	bool "User"
	select LIBRARY
"""


def test_select_visible_is_regraded_by_the_logic(tmp_path: Path) -> None:
    findings = [f for f in lint(tmp_path, SELECT_VISIBLE) if "KLS001" in f]
    assert findings == [
        'Kconfig:11: KLS001 warning: BALLOON selects MIGRATION, which has a prompt ("Page migration") and '
        "dependencies the select can leave unmet on arm (see select-unmet-dependency); "
        "use 'depends on MIGRATION' or 'imply MIGRATION'",
        'Kconfig:16: KLS001 hint: USER selects LIBRARY, which has a prompt ("Library"); the selector already '
        "guarantees LIBRARY's dependencies, so the select only bypasses the prompt: "
        "consider 'depends on LIBRARY' or 'imply LIBRARY'",
        'Kconfig:8: KLS001 hint: COMPACTION selects MIGRATION, which has a prompt ("Page migration"); '
        "the selector already guarantees MIGRATION's dependencies, so the select only bypasses the prompt: "
        "consider 'depends on MIGRATION' or 'imply MIGRATION'",
    ]


def test_select_visibles_note_names_only_the_dependency_the_select_leaves_open(tmp_path: Path) -> None:
    """U-Boot's DM_SERIAL depends on `SERIAL && DM`; a board that selects DM too hears only of SERIAL."""
    write_fixture(
        tmp_path,
        textwrap.dedent(
            """
            //- /Kconfig
            source "arch/$(SRCARCH)/Kconfig"
            config SERIAL
            	bool "Serial"
            config DM
            	bool "Driver model"
            config DM_SERIAL
            	bool "Driver model for serial"
            	depends on SERIAL && DM
            config BOARD
            	bool "Board"
            	select DM
            	select DM_SERIAL
            """
        ).lstrip("\n")
        + ARCHITECTURES,
    )
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings(), arch="x86"))
    model.load()
    [finding] = [
        f
        for f in run_checks(CheckContext(model, logic=True), RuleSettings(preview=True))
        if f.rule_code == "KLS001" and f.message.startswith("BOARD selects DM_SERIAL")
    ]
    assert [related.message for related in finding.related][1] == (
        "DM_SERIAL depends on SERIAL, which the select ignores on arm, x86"
    )


def test_select_visible_hints_are_off_where_the_convention_is_to_select(tmp_path: Path) -> None:
    fixture = SELECT_VISIBLE.replace("//- /Kconfig", "//- /Config.in")
    findings = [f for f in lint(tmp_path, fixture, root="Config.in") if "KLS001" in f]
    assert [f.split(":")[1] for f in findings] == ["11"]


def test_without_the_logic_select_visible_grades_by_syntax(tmp_path: Path) -> None:
    findings = [f for f in lint(tmp_path, SELECT_VISIBLE, logic=False) if "KLS001" in f]
    assert [f.split(": ")[1] for f in findings] == ["KLS001 warning"] * 3


def test_a_choice_member_selects_at_the_choices_value_not_its_dependencys(tmp_path: Path) -> None:
    """net/sctp: a bool choice under a tristate's `if` is y even when the tristate is m."""
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config SCTP
        	tristate "SCTP"
        if SCTP
        choice
        	prompt "Default cookie HMAC"
        config SCTP_DEFAULT_COOKIE_HMAC_MD5
        	bool "MD5"
        	select SCTP_COOKIE_HMAC_MD5
        config SCTP_DEFAULT_COOKIE_HMAC_NONE
        	bool "None"
        endchoice
        config SCTP_COOKIE_HMAC_MD5
        	bool "Enable MD5"
        endif
        """,
    )
    assert [f for f in findings if "KLS201" in f] == [
        "Kconfig:9: KLS201 warning: SCTP_DEFAULT_COOKIE_HMAC_MD5 selects SCTP_COOKIE_HMAC_MD5, "
        "but SCTP_COOKIE_HMAC_MD5 depends on SCTP, which can be m while SCTP_DEFAULT_COOKIE_HMAC_MD5 is y "
        "(arm, x86: SCTP=m, SCTP_DEFAULT_COOKIE_HMAC_MD5=y)"
    ]


def test_dead_symbols_prompts_and_defaults(tmp_path: Path) -> None:
    findings = [
        f
        for f in lint(
            tmp_path,
            """
            //- /Kconfig
            source "arch/$(SRCARCH)/Kconfig"
            config BROKEN
            	bool
            config OLD_DRIVER
            	bool "Old driver"
            	depends on BROKEN
            config OLD_HELPER
            	bool "Old helper"
            	depends on OLD_DRIVER
            config NOMMU_ONLY
            	bool "No-MMU only"
            	depends on !MMU
            config HIDDEN_PROMPT
            	bool "Never shown" if MMU && !MMU
            	default y
            config DEFAULTS
            	bool
            	default y
            	default n if MMU
            config GUARDED
            	bool
            	default y if MMU
            	default n if MMU && NOMMU_ONLY
            	default y
            """,
        )
        if "KLS20" in f and "KLS201" not in f
    ]
    assert findings == [
        "Kconfig:14: KLS204 warning: the prompt of HIDDEN_PROMPT is never shown: "
        "its condition (MMU && !MMU) and dependencies never hold",
        "Kconfig:19: KLS205 warning: this default of DEFAULTS never applies: "
        "'if MMU' never holds where no earlier default applies",
        "Kconfig:23: KLS205 warning: this default of GUARDED never applies: "
        "'if MMU && NOMMU_ONLY' never holds where no earlier default applies",
        "Kconfig:2: KLS203 warning: BROKEN can never be enabled on any architecture: "
        "BROKEN has no prompt, and no default or select enables it; 1 symbol that depends on it directly is dead too",
    ]


def test_a_default_reached_twice_is_alive_when_either_occurrence_applies(tmp_path: Path) -> None:
    # coreboot sources some files twice (through a glob and by name): the second occurrence
    # of `default y if FEATURE` comes after the identical first and never applies on its own.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config FEATURE
        	bool "Feature"
        source "tests/Kconfig"
        source "tests/Kconfig"
        //- /tests/Kconfig
        config TEST_FEATURE
        	bool
        	default y if FEATURE
        """,
    )
    assert [f for f in findings if "KLS205" in f or "KLS203" in f] == []


def test_a_symbol_selected_only_by_dead_symbols_is_their_consequence(tmp_path: Path) -> None:
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config REMOVED_SOC
        	bool
        	select SOC_ERRATUM
        config SOC_ERRATUM
        	bool
        """,
    )
    assert [f for f in findings if "KLS203" in f] == [
        "Kconfig:2: KLS203 warning: REMOVED_SOC can never be enabled on any architecture: "
        "REMOVED_SOC has no prompt, and no default or select enables it; "
        "1 symbol that depends on it directly is dead too"
    ]


def test_a_symbol_set_from_the_environment_is_not_dead(tmp_path: Path) -> None:
    # ESP-IDF's IDF_ENV_FPGA: no prompt and no default, but `option env` gives it the value of
    # the build's environment variable (kconfiglib adds it as a default), so it can be y.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        config ENV_FPGA
        	bool
        	option env="ENV_FPGA"
        config NO_ENV
        	bool
        config ON_FPGA
        	bool "on the FPGA"
        	depends on ENV_FPGA
        """,
    )
    dead = [f.split("KLS203 warning: ", 1)[1].split()[0] for f in findings if "KLS203" in f]
    assert dead == ["NO_ENV"]


def test_a_prompt_or_default_dead_because_of_broken_is_counted_on_broken(tmp_path: Path) -> None:
    # parisc's ARCH_MAY_HAVE_PC_FDC (`depends on BROKEN`, `default y`) and sh's IRQSTACKS: the
    # symbol is alive on the architectures that define it otherwise, so only this definition's
    # default and prompt are dead, because BROKEN is: the finding on BROKEN says it.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        source "arch/$(SRCARCH)/Kconfig.more"
        config BROKEN
        	bool
        //- /arch/x86/Kconfig.more
        config FLOPPY_ARCH
        	def_bool y
        config IRQSTACKS
        	bool "IRQ stacks"
        //- /arch/arm/Kconfig.more
        config FLOPPY_ARCH
        	bool
        	depends on BROKEN
        	default y
        config IRQSTACKS
        	bool "IRQ stacks"
        	depends on BROKEN
        """,
    )
    assert [f for f in findings if "KLS20" in f and "KLS201" not in f] == [
        "Kconfig:3: KLS203 warning: BROKEN can never be enabled on any architecture: "
        "BROKEN has no prompt, and no default or select enables it"
    ]


def test_the_defaults_of_a_definition_whose_prompt_is_never_shown_are_not_reported_again(
    tmp_path: Path,
) -> None:
    # U-Boot's SPL_SYS_ICACHE_OFF in arch/arc/Kconfig: `depends on SPL` where SPL can never be
    # on, while the other architectures' definitions are alive. The prompt's finding says why;
    # its default is dead for the same reason, not because "an earlier default always applies".
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        source "arch/$(SRCARCH)/Kconfig.more"
        config ICACHE_OFF
        	bool "No icache"
        //- /arch/x86/Kconfig.more
        config SPL
        	bool "SPL"
        config SPL_ICACHE_OFF
        	bool "No icache in SPL"
        	depends on SPL
        	default ICACHE_OFF
        //- /arch/arm/Kconfig.more
        config SPL
        	bool
        config SPL_ICACHE_OFF
        	bool "No icache in SPL"
        	depends on SPL
        	default ICACHE_OFF
        """,
    )
    assert [f for f in findings if "KLS20" in f and "KLS201" not in f] == [
        "arch/arm/Kconfig.more:4: KLS204 warning: the prompt of SPL_ICACHE_OFF is never shown: "
        "its condition (y) and dependencies never hold"
    ]


def test_a_default_whose_definitions_dependencies_never_hold_says_so(tmp_path: Path) -> None:
    # The symbol is alive through x86's definition; arm's definition depends on a condition
    # that never holds (no dead symbol to blame, no prompt to report): its default is dead
    # because of those dependencies, and there is no earlier default to blame either.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        source "arch/$(SRCARCH)/Kconfig.more"
        //- /arch/x86/Kconfig.more
        config FEATURE_ARCH
        	def_bool y
        //- /arch/arm/Kconfig.more
        config FEATURE_ARCH
        	bool
        	depends on MMU && !MMU
        	default y
        config OTHER_ARCH
        	bool
        	default y
        	default n
        """,
    )
    assert [f for f in findings if "KLS205" in f] == [
        "arch/arm/Kconfig.more:4: KLS205 warning: this default of FEATURE_ARCH never applies: "
        "its dependencies (MMU && !MMU) never hold",
        "arch/arm/Kconfig.more:8: KLS205 warning: this default of OTHER_ARCH never applies: "
        "an earlier default always applies first",
    ]


def test_select_visible_ignores_a_target_not_defined_on_the_selectors_architecture(tmp_path: Path) -> None:
    # arm64's ARCH_AIROHA selects ARM_PSCI and HAVE_ARM_ARCH_TIMER, whose prompts are in
    # arch/arm/Kconfig only: on arm64 the select forces nothing and bypasses no prompt.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        source "arch/$(SRCARCH)/Kconfig.more"
        //- /arch/x86/Kconfig.more
        config ARM_PSCI
        	bool "PSCI"
        	depends on MMU
        //- /arch/arm/Kconfig.more
        config ARCH_AIROHA
        	bool "Airoha"
        	select ARM_PSCI
        """,
    )
    assert [f for f in findings if "KLS001" in f] == []


def test_a_choice_members_select_keeps_the_m_of_its_own_if_and_depends_on(tmp_path: Path) -> None:
    """mips ATH79 (`select USB_EHCI_ROOT_HUB_TT if USB_EHCI_HCD_PLATFORM`) and USB_G_DBGP_SERIAL
    (`depends on USB_G_DBGP` inside the choice): only the choice's part of the member's
    dependencies is y; the select's `if` and the member's own `depends on` keep their m, so these
    selects give m, which the targets' m dependencies allow (kconfiglib prints no warning)."""
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config EHCI
        	tristate "EHCI"
        config EHCI_PLATFORM
        	tristate "EHCI platform"
        	depends on EHCI
        config ROOT_HUB_TT
        	bool "Root hub TT"
        	depends on EHCI
        choice
        	prompt "System type"
        config ATH79
        	bool "Atheros"
        	select ROOT_HUB_TT if EHCI_PLATFORM
        config OTHER_SYSTEM
        	bool "Other"
        endchoice
        config DBGP
        	tristate "Debug gadget"
        if DBGP
        choice
        	prompt "Debug mode"
        config DBGP_PRINTK
        	bool "printk"
        	depends on DBGP
        config DBGP_SERIAL
        	bool "serial"
        	depends on DBGP
        	select U_SERIAL
        endchoice
        endif
        config U_SERIAL
        	tristate
        	depends on DBGP
        """,
    )
    assert [f for f in findings if "KLS201" in f] == []


def test_tristate_ordering_comparisons_are_exact(tmp_path: Path) -> None:
    """security/keys: TRUSTED_KEYS_CAAM `depends on CRYPTO_DEV_FSL_CAAM_JR >= TRUSTED_KEYS`; the C
    tools compare tristates as n < m < y, so the selector is never y while CAAM_JR is m (left
    free, the comparison made a false finding on sparc)."""
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config CAAM_JR
        	tristate "CAAM job ring"
        config TRUSTED_KEYS
        	tristate "Trusted keys"
        if TRUSTED_KEYS
        config TRUSTED_KEYS_CAAM
        	bool "CAAM-based trusted keys"
        	depends on CAAM_JR >= TRUSTED_KEYS
        	select BLOB_GEN
        endif
        config BLOB_GEN
        	bool
        	depends on CAAM_JR
        config LOOSE
        	bool "Loose"
        	depends on CAAM_JR < TRUSTED_KEYS
        	select BLOB_GEN
        """,
    )
    assert [f for f in findings if "KLS201" in f] == [
        "Kconfig:18: KLS201 warning: LOOSE selects BLOB_GEN, but BLOB_GEN depends on CAAM_JR, "
        "which can be n while LOOSE is y (arm, x86: CAAM_JR=n, LOOSE=y)"
    ]


def test_a_choice_member_of_another_architecture_is_not_the_selects_target(tmp_path: Path) -> None:
    # riscv's ARCH_RV32I selects riscv's plain `config 32BIT bool`; mips' 32BIT is a member of
    # the "Kernel code model" choice, which riscv never sees.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        source "arch/$(SRCARCH)/Kconfig.more"
        //- /arch/x86/Kconfig.more
        choice
        	prompt "Kernel code model"
        config 32BIT
        	bool "32-bit kernel"
        config 64BIT
        	bool "64-bit kernel"
        endchoice
        //- /arch/arm/Kconfig.more
        config 32BIT
        	bool
        config ARCH_RV32I
        	bool "RV32I"
        	select 32BIT
        """,
    )
    assert [f for f in findings if "KLS001" in f or "KLS202" in f] == []


def test_a_select_unmet_only_through_an_unmodelled_comparison_is_information(tmp_path: Path) -> None:
    # An int the user sets (a prompt): the comparison is free in the logic, so the finding is
    # not a warning. (coreboot's ARM64_CURRENT_EL, prompt-less with constant defaults, is exact.)
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config CURRENT_EL
        	int "Exception level"
        	default 3
        config USE_TF
        	bool
        	depends on CURRENT_EL = 3
        config SOC
        	bool "SoC"
        	select USE_TF
        """,
    )
    assert [f for f in findings if "KLS201" in f] == [
        "Kconfig:10: KLS201 information: SOC selects USE_TF, but USE_TF depends on CURRENT_EL = 3, "
        "which may be n while SOC is y: only through a comparison or probe the analysis does not model; "
        "check it, or add 'depends on' the comparison to SOC"
    ]


COMPARISONS = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config ARCH_NAME
	string
	default "$(SRCARCH)"
config IS_ARM
	bool
	default "y" if ARCH_NAME = "arm"
config NEEDS_ARM
	bool
	depends on IS_ARM
config WANTS_ARM
	bool "Wants arm"
	select NEEDS_ARM
choice
	prompt "Revision"
config REV_1
	bool "1"
config REV_3
	bool "3"
endchoice
config REV_FULL
	int
	default 100 if REV_1
	default 300 if REV_3
config NEW_FEATURE
	bool
	depends on REV_FULL >= 300
config ON_NEW_CHIPS
	bool "On new chips"
	depends on REV_3
	select NEW_FEATURE
config ON_ANY_CHIP
	bool "On any chip"
	select NEW_FEATURE
"""


def test_comparisons_of_known_string_and_int_values_are_exact(tmp_path: Path) -> None:
    # `ARCH_NAME = "arm"` is a constant in each world (ESP-IDF's `IDF_TARGET="esp32"`): the
    # select is unmet on x86 alone, with the value shown. `REV_FULL >= 300` follows the choice
    # through REV_FULL's defaults (ESP-IDF's `ESP_REV_MIN_FULL`): a selector that depends on
    # REV_3 is fine, one that does not is a warning, not a hedge.
    findings = [f for f in lint(tmp_path, COMPARISONS) if "KLS201" in f]
    assert findings == [
        "Kconfig:13: KLS201 warning: WANTS_ARM selects NEEDS_ARM, but NEEDS_ARM depends on IS_ARM, "
        "which can be n while WANTS_ARM is y (x86: IS_ARM=n, WANTS_ARM=y)",
        "Kconfig:34: KLS201 warning: ON_ANY_CHIP selects NEW_FEATURE, but NEW_FEATURE depends on "
        "REV_FULL >= 300, which can be n while ON_ANY_CHIP is y (arm, x86: REV_FULL >= 300=n, ON_ANY_CHIP=y)",
    ]


def test_a_comparison_of_two_constants_from_the_environment_stays_free(tmp_path: Path) -> None:
    # ESP-IDF's `default y if "$(IDF_CI_BUILD)" = "y"`: the preset environment leaves it empty
    # to load the tree, but a CI build sets it; IDF_CI_BUILD is not dead.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config CI_BUILD
        	bool
        	default y if "$(CI_BUILD_VARIABLE)" = "y"
        """,
    )
    assert [f for f in findings if "KLS203" in f] == []


"""ESP-IDF's APPTRACE_TRAX_ENABLE: `!ESP32_TRAX` fails on esp32, `!ESP32S2_TRAX` on esp32s2."""


def test_a_string_symbol_compared_with_a_bare_y_stays_free(tmp_path: Path) -> None:
    # `#ifdef CONFIG_PCIE_COMPAT` of a string symbol reaches the logic as `PCIE_COMPAT = y`
    # (U-Boot's SYS_FSL_PCIE_COMPAT): not false because "fsl,p4080-pcie" is not "y".
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config PCIE_COMPAT
        	string
        	default "fsl,p4080-pcie"
        config USES_COMPAT
        	bool "Uses"
        	depends on PCIE_COMPAT = y
        """,
    )
    assert [f for f in findings if "KLS203" in f or "KLS204" in f] == []


def test_kconfirm_checks_keep_int_comparisons_free_across_worlds(tmp_path: Path) -> None:
    # ESP-IDF's `range 0 1 if SOC_UART_HP_NUM <= 2`: 3 UARTs on one target, 2 on another; the
    # redundancy checks see one merged world and must not read one target's value as the value.
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        source "arch/$(SRCARCH)/Kconfig.uart"
        config UART_NUM
        	int "UART"
        	range 0 1 if UART_HP_NUM <= 2
        	range 0 2 if UART_HP_NUM <= 3
        	default 1
        //- /arch/x86/Kconfig.uart
        config UART_HP_NUM
        	int
        	default 3
        //- /arch/arm/Kconfig.uart
        config UART_HP_NUM
        	int
        	default 2
        """,
    )
    assert [f for f in findings if "KLS211" in f or "KLS212" in f] == []


def test_the_unmet_dependency_is_named_without_what_the_selector_settles(tmp_path: Path) -> None:
    """As select-visible's note: the unmet conjunct loses what the selector settles.

    U-Boot's boards select DM_GPIO, which depends on `ARM && ARCH_MX6 && TARGET_GW_VENTANA ||
    GPIO && DM`; under a board's facts (another board of the choice, its select of DM) only GPIO
    is open. Here the facts are the selector's `depends on !OTHER` and its select of DM.
    """
    findings = lint(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config OTHER
        	bool "Other"
        config GPIO
        	bool "GPIO"
        config DM
        	bool "DM"
        config TARGET
        	bool
        	depends on OTHER && MMU || GPIO && DM
        config BOARD
        	bool "Board"
        	depends on !OTHER
        	select DM
        	select TARGET
        """,
    )
    assert [finding for finding in findings if "KLS201" in finding] == [
        "Kconfig:15: KLS201 warning: BOARD selects TARGET, but TARGET depends on GPIO, "
        "which can be n while BOARD is y (arm, x86: GPIO=n, BOARD=y)"
    ]
