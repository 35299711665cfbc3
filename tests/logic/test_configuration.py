"""Evaluating configurations on small trees: each rule of `sym_calc_value`, checked against kconfiglib.

Every case is a Kconfig tree, a configuration text and the values expected;
`check` asserts that our evaluation gives them, and that kconfiglib (the
oracle, with commands not run) gives them too, so the expectations are the
C tools' and not ours. Decisions (why a symbol has its value) are checked
where the case is about them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.logic.configuration import (
    ConfigSource,
    Configuration,
    ProbePolicy,
    evaluate_configuration,
)
from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from tests.fixtures import write_fixture


def _table(root: Path, kconfig: str) -> SymbolTable:
    write_fixture(root, kconfig)
    model = KconfigModel(WorkspaceSettings(str(root)))
    model.load()
    return build_symbol_table(model)


def check(
    tmp_path: Path,
    kconfig: str,
    config: str,
    expected: dict[str, str | None],
    *,
    probes: ProbePolicy = ProbePolicy.UNKNOWN,
    oracle: bool = True,
) -> Configuration:
    table = _table(tmp_path, kconfig)
    configuration = evaluate_configuration(table, ConfigSource(".config", config.encode()), probes=probes)
    ours = {name: configuration.value(name) for name in expected}
    assert ours == expected
    if oracle:
        (tmp_path / ".config").write_text(config)
        tree = load_with_kconfiglib(str(tmp_path), "Kconfig", {})
        tree.load_config(str(tmp_path / ".config"))
        theirs = {name: tree.value_of(name) for name in expected if expected[name] is not None}
        assert theirs == {name: value for name, value in expected.items() if value is not None}
    return configuration


MODULES = """
config MODULES
	bool "modules"
	modules
"""


def test_user_value_is_limited_by_visibility(tmp_path: Path) -> None:
    configuration = check(
        tmp_path,
        MODULES
        + """
config A
	tristate "A"
config B
	tristate "B"
	depends on A
config C
	bool "C"
	depends on B
""",
        "CONFIG_MODULES=y\nCONFIG_A=m\nCONFIG_B=y\nCONFIG_C=y\n",
        {"A": "m", "B": "m", "C": "y"},
    )
    assert configuration.decision("B").kind == "user" and configuration.decision("B").limited


def test_invisible_symbol_ignores_its_user_value(tmp_path: Path) -> None:
    configuration = check(
        tmp_path,
        """
config A
	bool "A"
config B
	bool "B"
	depends on A
	default y
""",
        "# CONFIG_A is not set\nCONFIG_B=y\n",
        {"A": "n", "B": "n"},
    )
    assert configuration.decision("B").kind == "no-default"


def test_first_default_whose_condition_holds_wins(tmp_path: Path) -> None:
    configuration = check(
        tmp_path,
        MODULES
        + """
config A
	bool "A"
config X
	tristate
	default m if A
	default y
""",
        "CONFIG_MODULES=y\nCONFIG_A=y\n",
        {"X": "m"},
    )
    assert configuration.decision("X").kind == "default" and configuration.decision("X").index == 0


def test_select_forces_a_value_past_dependencies(tmp_path: Path) -> None:
    configuration = check(
        tmp_path,
        """
config A
	bool "A"
	select B
config B
	bool
	depends on C
config C
	bool "C"
""",
        "CONFIG_A=y\n# CONFIG_C is not set\n",
        {"A": "y", "B": "y", "C": "n"},
    )
    assert configuration.decision("B").kind == "selected"


def test_bool_selected_by_m_is_y_and_m_is_n_without_modules(tmp_path: Path) -> None:
    kconfig = (
        MODULES
        + """
config A
	tristate "A"
	select B
config B
	bool
config D
	tristate
	default m
config E
	bool "E"
	depends on m
"""
    )
    check(
        tmp_path,
        kconfig,
        "CONFIG_MODULES=y\nCONFIG_A=m\nCONFIG_E=y\n",
        {"A": "m", "B": "y", "D": "m", "E": "y"},
    )
    # Without modules, `m` becomes `y` for values and `n` in conditions.
    check(
        tmp_path,
        kconfig,
        "# CONFIG_MODULES is not set\nCONFIG_A=m\nCONFIG_E=y\n",
        {"A": "y", "D": "y", "E": "n"},
    )


def test_imply_is_limited_by_dependencies_and_overridden_by_user_value(tmp_path: Path) -> None:
    kconfig = """
config A
	bool "A"
	imply B
	imply C
config B
	bool "B"
config C
	bool "C"
	depends on D
config D
	bool "D"
"""
    configuration = check(tmp_path, kconfig, "CONFIG_A=y\n# CONFIG_D is not set\n", {"B": "y", "C": "n"})
    assert configuration.decision("B").kind == "implied"
    check(tmp_path, kconfig, "CONFIG_A=y\n# CONFIG_B is not set\n", {"B": "n"})


def test_choice_user_selection_default_and_first_visible(tmp_path: Path) -> None:
    kconfig = """
config HAVE_Y
	bool "have y"
choice
	prompt "pick"
	default Y if HAVE_Y
config X
	bool "X"
config Y
	bool "Y"
	depends on HAVE_Y
config Z
	bool "Z"
endchoice
"""
    configuration = check(tmp_path, kconfig, "CONFIG_HAVE_Y=y\nCONFIG_Z=y\n", {"X": "n", "Y": "n", "Z": "y"})
    assert configuration.decision("Z").kind == "choice-user"
    configuration = check(tmp_path, kconfig, "CONFIG_HAVE_Y=y\n", {"X": "n", "Y": "y", "Z": "n"})
    assert configuration.decision("Y").kind == "choice-default"
    # The user's choice is invisible: the default does not apply either; the first visible member wins.
    configuration = check(tmp_path, kconfig, "# CONFIG_HAVE_Y is not set\nCONFIG_Y=y\n", {"X": "y", "Y": "n"})
    assert configuration.decision("X").kind == "choice-first"


def test_optional_choice_and_tristate_choice_in_m_mode(tmp_path: Path) -> None:
    check(
        tmp_path,
        """
choice
	prompt "pick"
	optional
config X
	bool "X"
endchoice
""",
        "",
        {"X": "n"},
    )
    check(
        tmp_path,
        MODULES
        + """
choice
	tristate "pick"
config X
	tristate "X"
config Y
	tristate "Y"
endchoice
""",
        "CONFIG_MODULES=y\nCONFIG_X=m\nCONFIG_Y=m\n",
        {"X": "m", "Y": "m"},
    )


def test_int_hex_string_values_ranges_and_clamping(tmp_path: Path) -> None:
    kconfig = """
config N
	int "N"
	range 2 8
	default 4
config LOW
	int
	range 10 20
	default 3
config H
	hex "H"
	default 0x1000
config S
	string "S"
	default "text"
config UNDEFINED_COMPARE
	def_bool ARCH = "ARCH"
"""
    configuration = check(
        tmp_path,
        kconfig,
        'CONFIG_N=64\nCONFIG_H=0x20\nCONFIG_S="a \\"b\\""\n',
        {"N": "4", "LOW": "10", "H": "0x20", "S": 'a "b"', "UNDEFINED_COMPARE": "y"},
    )
    assert configuration.decision("N").kind == "range"
    assert configuration.decision("LOW").kind == "range"
    check(tmp_path, kconfig, "CONFIG_N=8\nCONFIG_H=zz\n", {"N": "8", "H": "0x1000"})


def test_fragments_merge_in_order(tmp_path: Path) -> None:
    table = _table(tmp_path, 'config A\n\tbool "A"\nconfig B\n\tbool "B"\n')
    configuration = evaluate_configuration(
        table,
        [
            ConfigSource("base", b"CONFIG_A=y\nCONFIG_B=y\n"),
            ConfigSource("fragment", b"# CONFIG_B is not set\n"),
        ],
    )
    assert (configuration.value("A"), configuration.value("B")) == ("y", "n")
    assert configuration.user_values["B"].path == "fragment"


def test_probes_are_unknown_and_say_so(tmp_path: Path) -> None:
    kconfig = """
config CC_HAS_FOO
	def_bool $(success,true)
config A
	bool "A"
config B
	bool "B"
	depends on A && CC_HAS_FOO
"""
    configuration = check(
        tmp_path, kconfig, "CONFIG_A=y\nCONFIG_B=y\n", {"A": "y", "CC_HAS_FOO": None, "B": None}, oracle=False
    )
    assert configuration.decision("B").kind == "unknown"
    # With A off, B is n whatever the probe says.
    check(tmp_path, kconfig, "# CONFIG_A is not set\nCONFIG_B=y\n", {"B": "n"}, oracle=False)
    # A full .config's value stands in for the probe when the policy says so;
    # a defconfig's does not (the user cannot set a prompt-less symbol).
    written = "CONFIG_A=y\nCONFIG_B=y\nCONFIG_CC_HAS_FOO=y\n"
    header = "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
    configuration = check(
        tmp_path,
        kconfig,
        header + written,
        {"CC_HAS_FOO": "y", "B": "y"},
        probes=ProbePolicy.FROM_FILE,
        oracle=False,
    )
    assert configuration.decision("CC_HAS_FOO").kind == "file"
    check(
        tmp_path,
        kconfig,
        written,
        {"CC_HAS_FOO": None, "B": None},
        probes=ProbePolicy.FROM_FILE,
        oracle=False,
    )


def test_re_evaluation_after_an_edit_equals_a_fresh_evaluation(tmp_path: Path) -> None:
    kconfig = """
config UNRELATED
	bool "unrelated"
config A
	bool "A"
config B
	bool "B"
	depends on A
config C
	bool
	default B
choice
	prompt "pick"
config X
	bool "X"
config Y
	bool "Y"
	depends on C
endchoice
"""
    table = _table(tmp_path, kconfig)
    before = evaluate_configuration(table, ConfigSource("c", b"CONFIG_A=y\nCONFIG_B=y\nCONFIG_Y=y\n"))
    assert before.value("Y") == "y"
    edited = b"# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_Y=y\n"
    after = evaluate_configuration(table, ConfigSource("c", edited), previous=before)
    fresh = evaluate_configuration(_table(tmp_path, kconfig), ConfigSource("c", edited))
    assert after.recomputed < len(table)
    assert {name: after.value(name) for name in "ABCXY"} == {"A": "n", "B": "n", "C": "n", "X": "y", "Y": "n"}
    assert after.values == fresh.values and after.decisions == fresh.decisions
    assert evaluate_configuration(table, ConfigSource("c", edited)) is after


@pytest.mark.parametrize(
    ("line", "accepted"),
    [("CONFIG_A=yes", True), ("CONFIG_A=m", False), ("CONFIG_N=0x10", False), ("CONFIG_UNDEFINED=y", False)],
)
def test_assignments_are_judged_as_the_tools_judge_them(tmp_path: Path, line: str, accepted: bool) -> None:
    table = _table(tmp_path, 'config A\n\tbool "A"\nconfig N\n\tint "N"\n')
    configuration = evaluate_configuration(table, ConfigSource("c", line.encode() + b"\n"))
    assert [assignment.accepted for assignment in configuration.assignments] == [accepted]


def test_transitional_symbol_keeps_the_old_value_for_the_new_name(tmp_path: Path) -> None:
    """Linux 6.18 `transitional`: no prompt, yet the old `.config` value feeds the new symbol's default."""
    kconfig = """
config OLD_NAME
	bool
	transitional
config NEW_NAME
	bool "new"
	default OLD_NAME
"""
    configuration = check(
        tmp_path, kconfig, "CONFIG_OLD_NAME=y\n", {"OLD_NAME": "y", "NEW_NAME": "y"}, oracle=False
    )
    assert configuration.decision("OLD_NAME").kind == "transitional"
    check(tmp_path, kconfig, "", {"OLD_NAME": "n", "NEW_NAME": "n"}, oracle=False)
