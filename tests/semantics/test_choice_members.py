"""Choice membership as kconfig's `menu_finalize` decides it, checked against kconfiglib.

An entry inside a choice (directly, through `if`, or in a file sourced there)
that depends on the member before it becomes that member's child, not a
member (Buildroot's "ssl library" choice sources libopenssl's options under
`if BR2_PACKAGE_LIBOPENSSL`). Every case compares the symbol table's members
with kconfiglib's `Symbol.choice`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import build_symbol_table
from tests.fixtures import write_fixture

CASES = {
    "a file sourced under `if MEMBER` holds the member's children (Buildroot's libopenssl)": (
        """
//- /Kconfig
choice
	prompt "ssl library"
config LIBOPENSSL
	bool "openssl"
source "libopenssl.Kconfig"
config LIBRESSL
	bool "libressl"
endchoice
//- /libopenssl.Kconfig
if LIBOPENSSL
config LIBOPENSSL_ENABLE_DES
	bool "enable DES"
config LIBOPENSSL_ENABLE_MD4
	bool "enable MD4"
endif
""",
        {"LIBOPENSSL", "LIBRESSL"},
    ),
    "the top-level entries of a sourced file are members (coreboot's Kconfig.name)": (
        """
//- /Kconfig
choice
	prompt "board"
source "boards.Kconfig"
endchoice
//- /boards.Kconfig
config BOARD_A
	bool "A"
config BOARD_B
	bool "B"
""",
        {"BOARD_A", "BOARD_B"},
    ),
    "a chain of entries depending on the one before ends at the first that does not": (
        """
//- /Kconfig
choice
	prompt "c"
config A
	bool "a"
config A_SUB
	bool "a sub"
	depends on A
config A_SUB_SUB
	bool "a sub sub"
	depends on A_SUB && !C
config A_OTHER
	bool "a other"
	depends on A
config C
	bool "c"
config D
	bool "d"
	depends on C=y
config E
	bool "e" if D
endchoice
""",
        {"A", "C"},
    ),
    "entries that depend on other symbols stay members": (
        """
//- /Kconfig
config X
	bool "x"
choice
	prompt "c"
config A
	bool "a"
config B
	bool "b" if X
config C
	bool "c"
	depends on X
endchoice
""",
        {"A", "B", "C"},
    ),
}


@pytest.mark.parametrize("fixture, members", CASES.values(), ids=CASES.keys())
def test_choice_members_follow_menu_finalize(tmp_path: Path, fixture: str, members: set[str]) -> None:
    write_fixture(tmp_path, fixture)
    model = KconfigModel(WorkspaceSettings(str(tmp_path)))
    model.load()
    table = build_symbol_table(model)
    ours = {name for name, symbol in table.symbols.items() if symbol.choice is not None}
    assert ours == members
    tree = load_with_kconfiglib(str(tmp_path), "Kconfig", {})
    theirs = {symbol.name for symbol in tree.symbols() if symbol.choice is not None}
    assert theirs == members
    (choice,) = table.choices.values()
    assert set(choice.members) == members
