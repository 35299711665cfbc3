"""Document outline, workspace symbols, folding ranges and document links."""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.ide.symbols import document_outline
from kconfig_ls.syntax.kconfig import parse_kconfig
from tests.ide.support import analysis, check_folding, check_links, check_outline

TREE = """
//- /Kconfig
mainmenu "Test"
# A comment
# on two lines
menu "Memory"
	depends on MMU
config MMU
	bool "MMU"
	help
	  The memory
	  management unit.
if MMU
choice
	prompt "Model"
config FLAT
	bool "Flat"
endchoice
endif
endmenu
source "arch/Kconfig"
comment "The end"
//- /arch/Kconfig
config ARCH
	def_bool y
"""


def test_outline_is_the_menu_tree(tmp_path: Path) -> None:
    check_outline(
        tmp_path,
        TREE,
        """
        mainmenu Test
        menu Memory
          config MMU [bool "MMU"]
          if if MMU
            choice Model
              config FLAT [bool "Flat"]
        source arch/Kconfig [source]
        comment The end
        """,
    )


def test_outline_ranges_cover_whole_entries(tmp_path: Path) -> None:
    host, _ = analysis(tmp_path, TREE)
    path = str(tmp_path / "Kconfig")
    data = host.document_text(path)
    menu = host.document_symbols(path)[1]
    mmu = menu.children[0]
    assert data[mmu.span.start : mmu.span.end].decode().endswith("management unit.")
    assert data[menu.span.start : menu.span.end].decode().endswith("endmenu")
    assert data[mmu.selection_span.start : mmu.selection_span.end] == b"MMU"


def test_folding_ranges(tmp_path: Path) -> None:
    check_folding(
        tmp_path,
        TREE,
        ["2-3 comment", "4-17 region", "8-10 region", "11-16 region", "12-15 region"],
    )


def test_folding_an_unclosed_block_while_typing(tmp_path: Path) -> None:
    check_folding(tmp_path, 'menu "Open"\nconfig A\n\tbool "A"\nconfig B\n\tbool "B"\n', ["1-4 region"])


def test_document_links_resolve_source_paths(tmp_path: Path) -> None:
    check_links(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        rsource "sub/Kconfig"
        osource "missing/Kconfig"
        //- /arch/x86/Kconfig
        config X86
        	def_bool y
        //- /sub/Kconfig
        config SUB
        	def_bool y
        """,
        ['"arch/$(SRCARCH)/Kconfig" -> arch/x86/Kconfig', '"sub/Kconfig" -> sub/Kconfig'],
        environment={"SRCARCH": "x86"},
    )


def test_workspace_symbols_rank_prefixes_first(tmp_path: Path) -> None:
    host, _ = analysis(
        tmp_path,
        """
        config NUMA_BALANCING
        	bool "NUMA balancing"
        config NUMA
        	bool "NUMA"
        config ARCH_SUPPORTS_NUMA_BALANCING
        	bool
        menu "Menus are not symbols"
        endmenu
        """,
    )
    assert [symbol.name for symbol in host.workspace_symbols("numa")] == [
        "NUMA",
        "NUMA_BALANCING",
        "ARCH_SUPPORTS_NUMA_BALANCING",
    ]
    assert [symbol.name for symbol in host.workspace_symbols("nbal")] == [
        "NUMA_BALANCING",
        "ARCH_SUPPORTS_NUMA_BALANCING",
    ]


def test_two_thousand_nested_ifs_are_outlined_without_recursion() -> None:
    # Issue 13: about 400 nested `if` blocks exhausted the recursion limit.
    # The parser keeps 256 levels (a finding says so); all of them are outlined.
    depth = 2000
    text = "".join(f"if A{i}\n" for i in range(depth)) + 'config X\n\tbool "x"\n' + "endif\n" * depth
    outline = document_outline(parse_kconfig(text.encode(), "Kconfig"))
    names = []
    while outline:
        assert len(outline) == 1
        names.append(outline[0].name)
        outline = list(outline[0].children)
    assert names == [f"if A{i}" for i in range(256)] + ["X"]
