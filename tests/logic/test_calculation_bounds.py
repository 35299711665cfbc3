"""The evaluation ends on every input: a dependency cycle reads as unknown, a deep chain is
evaluated bottom up (`logic/calculation.py`); never a RecursionError.

Buildroot's `lint --config` crashed with one: its libopenssl options, taken for members of
the "ssl library" choice, made the choice's selection read their visibility, which reads
the member before them, whose value is the selection.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kconfig_ls.logic.configuration import ConfigSource, evaluate_configuration
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from tests.fixtures import write_fixture


def _table(root: Path, kconfig: str) -> SymbolTable:
    write_fixture(root, kconfig)
    model = KconfigModel(WorkspaceSettings(str(root)))
    model.load()
    return build_symbol_table(model)


def test_a_member_depending_on_another_member_is_unknown_not_a_crash(tmp_path: Path) -> None:
    # kconfig rejects this tree ("dependency loop"); the evaluation must still end.
    table = _table(
        tmp_path,
        """
choice
	prompt "c"
config A
	bool "a"
config B
	bool "b"
	depends on !A
endchoice
config AFTER
	bool "after"
	default y
""",
    )
    configuration = evaluate_configuration(table, ConfigSource(".config", b"CONFIG_B=y\n"))
    assert configuration.value("A") is None
    assert configuration.value("B") is None
    assert configuration.value("AFTER") == "y"


def test_a_default_cycle_is_unknown(tmp_path: Path) -> None:
    table = _table(
        tmp_path,
        """
config A
	bool
	default B
config B
	bool
	default A
config C
	bool
	default y
""",
    )
    configuration = evaluate_configuration(table, ConfigSource(".config", b""))
    assert (configuration.value("A"), configuration.value("B"), configuration.value("C")) == (None, None, "y")


def test_a_chain_deeper_than_the_stack_is_evaluated(tmp_path: Path) -> None:
    depth = 12_000
    lines = [f"config S{index}\n\tbool\n\tdefault S{index + 1}\n" for index in range(depth)]
    lines.append(f'config S{depth}\n\tbool "last"\n\tdefault y\n')
    lines.append(f'config T{depth}\n\tstring\n\tdefault "end"\n')
    lines.extend(f"config T{index}\n\tstring\n\tdefault T{index + 1}\n" for index in range(depth))
    table = _table(tmp_path, "".join(lines))
    limit = sys.getrecursionlimit()
    configuration = evaluate_configuration(table, ConfigSource(".config", b""))
    assert sys.getrecursionlimit() == limit
    assert configuration.value("S0") == "y"
    assert configuration.value("T0") == "end"
