"""KLS002 undefined-symbol: unquoted values get a quoting hint and fix; choice and range conditions count."""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings
from tests.checks.test_rules import check_findings
from tests.fixtures import write_fixture


def test_unquoted_string_and_hex_values_get_a_quoting_hint(tmp_path: Path) -> None:
    check_findings(
        tmp_path,
        """
        config BOOTFILE
        	string "Boot file"
        	default kernel.itb
        config FPGA_BASE
        	hex
        	default E0600000
        config TYPELESS_DEFAULT
        	string
        configdefault TYPELESS_DEFAULT
        	default plain
        config NOT_HEX
        	hex
        	default BASE_ADDRES
        config IN_PARENTHESES
        	string
        	default (word)
        config BOOL_DEFAULT
        	bool
        	default UNDEFINED_BOOL
        config CONDITION
        	string
        	default "x" if UNDEFINED_CONDITION
        """,
        [
            "Kconfig:3: KLS002 warning: 'default kernel.itb' of string symbol BOOTFILE names no symbol; "
            'if it is a value, quote it: "kernel.itb"',
            "Kconfig:6: KLS002 warning: 'default E0600000' of hex symbol FPGA_BASE names no symbol; "
            'if it is a value, write 0xE0600000 or "E0600000"',
            "Kconfig:10: KLS002 warning: 'default plain' of string symbol TYPELESS_DEFAULT names no symbol; "
            'if it is a value, quote it: "plain"',
            "Kconfig:13: KLS002 warning: undefined symbol BASE_ADDRES in 'default'",
            "Kconfig:16: KLS002 warning: undefined symbol word in 'default'",
            "Kconfig:19: KLS002 warning: undefined symbol UNDEFINED_BOOL in 'default'",
            "Kconfig:22: KLS002 warning: undefined symbol UNDEFINED_CONDITION in 'if'",
        ],
    )


def test_a_word_compared_with_a_string_or_hex_symbol_gets_a_quoting_hint(tmp_path: Path) -> None:
    # U-Boot lib/efi_loader/Kconfig:7: `SYS_CPU = arm1176`, SYS_CPU a string symbol.
    check_findings(
        tmp_path,
        """
        config SYS_CPU
        	string
        config BASE
        	hex
        config ENABLE
        	bool
        config EFI
        	bool "EFI"
        	depends on ENABLE && (SYS_CPU = arm1136 || \\
        		SYS_CPU != armv8)
        	default y if BASE = 1a2b
        config USED_PLAINLY
        	bool "plain"
        	depends on SYS_CPU = armv9 || armv9
        config BOOL_COMPARED
        	bool "bool"
        	depends on ENABLE = something
        config HEX_NOT_DIGITS
        	bool "hex"
        	depends on BASE = nothex
        """,
        [
            "Kconfig:9: KLS002 warning: 'arm1136' compared with string symbol SYS_CPU names no symbol; "
            'if it is a value, quote it: "arm1136"',
            "Kconfig:10: KLS002 warning: 'armv8' compared with string symbol SYS_CPU names no symbol; "
            'if it is a value, quote it: "armv8"',
            "Kconfig:11: KLS002 warning: '1a2b' compared with hex symbol BASE names no symbol; "
            'if it is a value, write 0x1a2b or "1a2b"',
            "Kconfig:14: KLS002 warning: undefined symbol armv9 in 'depends on'",
            "Kconfig:17: KLS002 warning: undefined symbol something in 'depends on'",
            "Kconfig:20: KLS002 warning: undefined symbol nothex in 'depends on'",
        ],
    )


@pytest.mark.parametrize(
    ("fixture", "titles", "fixed"),
    [
        (
            "config S\n\tstring\n\tdefault kernel.itb if Y\nconfig Y\n\tbool\n",
            ['Quote the value: "kernel.itb"'],
            [b'"kernel.itb"'],
        ),
        (
            "config H\n\thex\n\tdefault 1a2b\n",
            ["Write 0x1a2b", 'Quote the value: "1a2b"'],
            [b"0x1a2b", b'"1a2b"'],
        ),
    ],
)
def test_the_quick_fixes_replace_exactly_the_word(
    tmp_path: Path, fixture: str, titles: list[str], fixed: list[bytes]
) -> None:
    written = write_fixture(tmp_path, fixture)
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    model.load()
    [finding] = [f for f in run_checks(CheckContext(model), RuleSettings()) if f.rule_code == "KLS002"]
    assert [fix.title for fix in finding.fixes] == titles
    data = written.files["Kconfig"].read_bytes()
    results = []
    for fix in finding.fixes:
        [edit] = fix.edits
        span = edit.location.span
        results.append(data[: span.start] + edit.new_text.encode() + data[span.end :])
    assert [result.split(b"default ")[1].split()[0] for result in results] == fixed


def test_conditions_of_choice_defaults_prompts_and_ranges_are_checked(tmp_path: Path) -> None:
    # U-Boot drivers/power/Kconfig:61: `default AXP318W_POWER if MACH_SUN60I_A733`
    # in a choice, with MACH_SUN60I_A733 defined nowhere.
    check_findings(
        tmp_path,
        """
        choice
        	prompt "PMIC" if UNDEFINED_PROMPT_CONDITION
        	default AXP_POWER if MACH_SUN60I_A733
        config AXP_POWER
        	bool "AXP"
        endchoice
        config STACK
        	int "Stack"
        	range 2048 65536 if APPTRACE_ENABLE
        """,
        [
            "Kconfig:2: KLS002 warning: undefined symbol UNDEFINED_PROMPT_CONDITION in 'prompt if'",
            "Kconfig:3: KLS002 warning: undefined symbol MACH_SUN60I_A733 in 'if'",
            "Kconfig:9: KLS002 warning: undefined symbol APPTRACE_ENABLE in 'if'",
        ],
    )


def test_editing_a_choice_condition_leaves_no_stale_reference(tmp_path: Path) -> None:
    written = write_fixture(
        tmp_path,
        'choice\n\tprompt "P"\n\tdefault A if OLD_NAME\nconfig A\n\tbool "A"\nendchoice\n',
    )
    model = KconfigModel(workspace_settings(str(tmp_path), ProjectSettings()))
    model.load()
    assert "OLD_NAME" in model.references
    path = str(written.files["Kconfig"])
    model = model.apply_change(
        path, b'choice\n\tprompt "P"\n\tdefault A if NEW_NAME\nconfig A\n\tbool "A"\nendchoice\n'
    ).model
    assert "OLD_NAME" not in model.references
    assert "NEW_NAME" in model.references


def test_a_name_on_a_continuation_line_is_reported_on_its_own_line(tmp_path: Path) -> None:
    # Buildroot package/qemu/Config.in.host:40: the name is on the second line.
    check_findings(
        tmp_path,
        """
        config SUPPORTS
        	bool
        comment "host-qemu needs a host gcc >= 8"
        	depends on SUPPORTS || \\
        		SUPPORT_MISSPELT || SUPPORTS
        """,
        ["Kconfig:5: KLS002 warning: undefined symbol SUPPORT_MISSPELT in 'depends on'"],
    )
