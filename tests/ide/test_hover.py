"""Hover: the dependency chain and everything else users asked for, as snapshots."""

from __future__ import annotations

from pathlib import Path

from tests.ide.support import analysis, check_hover, check_hover_golden, check_hover_span, cursor, hover_text

# The seed patch's tree, after the patch: NUMA_BALANCING needs NUMA_MIGRATION,
# which needs NUMA && MMU; MIGRATION is prompt-less and selected.
SEED_TREE = """
//- /Kconfig
mainmenu "Linux Kernel Configuration"
config SMP
	bool "Symmetric multi-processing support"
config PREEMPT_RT
	bool "Fully Preemptible Kernel (Real-Time)"
config ARCH_SUPPORTS_NUMA_BALANCING
	bool
config X86_64
	def_bool y
	select ARCH_SUPPORTS_NUMA_BALANCING
menu "General setup"
source "init/Kconfig"
endmenu
source "mm/Kconfig"
//- /init/Kconfig
config NUMA_BALANCING
	bool "Memory placement aware NUMA scheduler"
	depends on ARCH_SUPPORTS_NUMA_BALANCING
	depends on !ARCH_WANT_NUMA_VARIABLE_LOCALITY
	depends on SMP && NUMA_MIGRATION && !PREEMPT_RT
	help
	  This option adds support for automatic NUMA aware memory/task placement.
	  The mechanism is quite primitive and is based on migrating memory when
	  it has references to the node the task is running on.

	  This system will be inactive on UMA systems.
config ARCH_WANT_NUMA_VARIABLE_LOCALITY
	bool
//- /mm/Kconfig
menu "Memory Management options"
config NUMA
	bool "NUMA Memory Allocation and Scheduler Support"
	depends on SMP
config MMU
	def_bool y
if MMU
config NUMA_MIGRATION
	bool "NUMA page migration"
	default y
	depends on NUMA && MMU
	select MIGRATION
	help
	  Support the migration of pages to other NUMA nodes.
config MIGRATION
	bool
	depends on MMU
config COMPACTION
	bool "Allow for memory compaction"
	def_bool y
	select MIGRATION
config CMA
	bool "Contiguous Memory Allocator"
	select MIGRATION if MMU
endif
endmenu
"""


def seed(definition: str) -> str:
    """The seed tree with the cursor on the name of `config <definition>`."""
    return SEED_TREE.replace(f"config {definition}\n", f"config $0{definition}\n", 1)


def test_numa_balancing_shows_the_chain_down_to_numa_and_mmu(tmp_path: Path) -> None:
    check_hover_golden(tmp_path, seed("NUMA_BALANCING"), "numa_balancing.md")


def test_migration_lists_its_selectors_with_conditions(tmp_path: Path) -> None:
    check_hover_golden(tmp_path, seed("MIGRATION"), "migration.md")


def test_hover_on_a_reference_in_an_expression(tmp_path: Path) -> None:
    markdown = hover_text(tmp_path, SEED_TREE.replace("depends on NUMA && MMU", "depends on NUMA && M$0MU"))
    assert markdown is not None and markdown.startswith("### MMU\n")
    assert "**Defaults**\n\n- `y`" in markdown


def test_hover_span_covers_the_word(tmp_path: Path) -> None:
    check_hover_span(
        tmp_path, SEED_TREE.replace("select MIGRATION\n\thelp", "select MIGR$0ATION\n\thelp"), "MIGRATION"
    )


def test_inherited_dependencies_say_where_they_come_from(tmp_path: Path) -> None:
    check_hover(
        tmp_path,
        """
        //- /Kconfig
        menu "Power"
        	depends on PM
        if ACPI
        choice
        	prompt "Governor"
        	depends on CPU_FREQ
        config GOV_$0FAST
        	bool "Fast"
        endchoice
        endif
        endmenu
        config PM
        	bool "Power management"
        config ACPI
        	bool "ACPI"
        	depends on PM
        config CPU_FREQ
        	bool "CPU frequency scaling"
        """,
        """
        ### GOV_FAST

        `bool` "Fast"

        member of the choice "Governor"

        **Defined at** `Kconfig:7` in *Power* > *Governor*

        **Depends on**

        - `PM` (from the enclosing menu at `Kconfig:2`)
        - `ACPI` (from `if` at `Kconfig:3`)
        - `CPU_FREQ` (from the enclosing choice at `Kconfig:6`)

        **Dependency chain**

        ```text
        GOV_FAST
        ├─ PM (no dependencies)
        ├─ ACPI ← PM
        │  └─ PM (no dependencies)
        └─ CPU_FREQ (no dependencies)
        ```
        """,
    )


def test_cycles_are_marked_and_the_tree_is_cut(tmp_path: Path) -> None:
    markdown = hover_text(
        tmp_path,
        """
        config $0A
        	bool "A"
        	depends on B
        config B
        	bool "B"
        	depends on C
        config C
        	bool "C"
        	depends on A || D1
        config D1
        	bool "D1"
        	depends on D2
        config D2
        	bool "D2"
        	depends on D3
        config D3
        	bool "D3"
        	depends on D4
        config D4
        	bool "D4"
        	depends on D5
        config D5
        	bool "D5"
        """,
    )
    assert markdown is not None
    chain = markdown.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert chain == (
        "A\n"
        "└─ B ← C\n"
        "   └─ C ← A || D1\n"
        "      ├─ A (cycle)\n"
        "      └─ D1 ← D2\n"
        "         └─ D2 ← D3\n"
        "            └─ …\n"
        "(tree cut at 4 levels or 40 symbols)"
    )


def test_other_architectures_are_listed_apart_never_merged(tmp_path: Path) -> None:
    """Issue 8: x86's hover of FOO speaks of x86's FOO; arm's definition is one line at the end."""
    check_hover(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config USER
        	bool "User"
        	depends on $0FOO
        //- /arch/x86/Kconfig
        config FOO
        	bool "Foo on x86"
        	depends on X86
        config X86
        	def_bool y
        //- /arch/arm/Kconfig
        config FOO
        	bool "Foo on arm"
        """,
        """
        ### FOO

        `bool` "Foo on x86"

        **Defined at** `arch/x86/Kconfig:1`

        **Sourced** `Kconfig:1` → `arch/x86/Kconfig`

        **Depends on**

        - `X86`

        **Dependency chain**

        ```text
        FOO
        └─ X86 (no dependencies; default y)
        ```

        **Other architectures**

        - arm: `arch/arm/Kconfig:1` "Foo on arm"
        """,
        environment={"SRCARCH": "x86"},
    )


def test_undefined_symbol(tmp_path: Path) -> None:
    check_hover(
        tmp_path,
        """
        config A
        	bool "A"
        	depends on MISSI$0NG
        """,
        """
        ### MISSING

        Undefined: no `config MISSING` in the tree. Referenced 1 time.
        """,
    )


def test_keyword_hover(tmp_path: Path) -> None:
    markdown = hover_text(tmp_path, 'config A\n\tbool "A"\n\tsel$0ect B\nconfig B\n\tbool\n')
    assert markdown is not None and markdown.startswith("**select** (Kconfig keyword)")


def test_no_hover_in_prompts_help_and_comments(tmp_path: Path) -> None:
    for fixture in (
        'config A\n\tbool "Enable F$0OO"\nconfig FOO\n\tbool\n',
        'config A\n\tbool "A"\n\thelp\n\t  Needs F$0OO.\nconfig FOO\n\tbool\n',
        'config A\n\tbool "A" # see F$0OO\nconfig FOO\n\tbool\n',
    ):
        assert hover_text(tmp_path, fixture) is None, fixture


def test_hover_in_c_sources_strips_config_and_module(tmp_path: Path) -> None:
    markdown = hover_text(
        tmp_path,
        """
        //- /Kconfig
        config USB_STORAGE
        	tristate "USB Mass Storage support"
        //- /drivers/usb.c
        #if IS_ENABLED(CONFIG_USB_STORAGE_MOD$0ULE)
        #endif
        """,
    )
    assert markdown is not None
    assert markdown.startswith("### USB_STORAGE (`CONFIG_USB_STORAGE_MODULE`)\n")
    assert "`CONFIG_USB_STORAGE_MODULE` is defined when USB_STORAGE is `m`" in markdown


def test_non_ascii_prompts_are_kept(tmp_path: Path) -> None:
    markdown = hover_text(tmp_path, 'config CAF$0E\n\tbool "Café ☕ support 😀"\n')
    assert markdown is not None and '"Café ☕ support 😀"' in markdown


def test_long_alternatives_are_not_expanded_and_near_requirements_come_first(tmp_path: Path) -> None:
    alternatives = " || ".join(f"CPU{index}" for index in range(6))
    cpus = "".join(f'config CPU{index}\n\tbool "CPU {index}"\n\tdepends on DEEP\n' for index in range(6))
    markdown = hover_text(
        tmp_path,
        f"""
config $0TOP
	bool "Top"
	depends on PAE && NEAR
config PAE
	def_bool y
	depends on {alternatives}
config NEAR
	bool "Near"
config DEEP
	bool "Deep"
{cpus}""",
    )
    assert markdown is not None
    chain = markdown.split("```text\n", 1)[1].split("\n```", 1)[0]
    assert chain.splitlines() == [
        "TOP",
        f"├─ PAE ← {alternatives} (default y)",
        "│  └─ (any one of the 6 alternatives; not expanded)",
        "└─ NEAR (no dependencies)",
    ]


def test_selected_by_prefers_the_configured_tree(tmp_path: Path) -> None:
    markdown = hover_text(
        tmp_path,
        """
        //- /Kconfig
        source "arch/x86/Kconfig"
        config $0USER
        	bool "User"
        	depends on HAVE_FEATURE
        config HAVE_FEATURE
        	bool
        //- /arch/x86/Kconfig
        config X86
        	def_bool y
        	select HAVE_FEATURE
        //- /arch/arm/Kconfig
        config ARM
        	def_bool y
        	select HAVE_FEATURE
        """,
    )
    assert markdown is not None
    assert "└─ HAVE_FEATURE (no dependencies; selected by X86)" in markdown


def test_how_a_prompt_less_symbol_is_set_speaks_of_the_configured_world_only(tmp_path: Path) -> None:
    """x86's MMU is `def_bool y`; arm's is selected: the x86 hover must not say "selected by ARM"."""
    markdown = hover_text(
        tmp_path,
        """
        //- /Kconfig
        source "arch/x86/Kconfig"
        config $0USER
        	bool "User"
        	depends on MMU
        //- /arch/x86/Kconfig
        config X86
        	def_bool y
        config MMU
        	def_bool y
        //- /arch/arm/Kconfig
        config ARM
        	def_bool y
        	select MMU
        config MMU
        	bool
        """,
    )
    assert markdown is not None
    assert "└─ MMU (no dependencies; default y)" in markdown


def test_selected_by_shows_each_selector_with_its_dependencies_and_condition(tmp_path: Path) -> None:
    markdown = hover_text(
        tmp_path,
        """
        //- /Kconfig
        config $0TARGET
        	bool
        config SMP
        	bool "SMP"
        if MMU
        config SELECTOR
        	bool "Selector"
        	depends on SMP || COMPILE_TEST
        	select TARGET if 64BIT
        endif
        config MMU
        	def_bool y
        config COMPILE_TEST
        	bool "Compile test"
        config 64BIT
        	bool "64-bit"
        """,
    )
    assert markdown is not None
    assert "- `SELECTOR && (SMP || COMPILE_TEST) && MMU && 64BIT` (`Kconfig:9`)" in markdown


def test_hover_below_an_if_around_a_source_line_follows_the_if_when_text_is_typed_above_it(
    tmp_path: Path,
) -> None:
    # Typing above the `if` moves it without changing what is linked: the file it sources
    # must learn the new line, or its hover names the `if`'s old line.
    host, written = analysis(
        tmp_path,
        """
//- /Kconfig
mainmenu "T"
config A
	bool "A"
if A
source "sub/Kconfig"
endif
//- /sub/Kconfig
config $0B
	bool "B"
""",
    )
    path, offset = cursor(written)
    before = host.hover(path, offset)
    assert before is not None and "(from `if` at `Kconfig:4`)" in before.markdown, before
    root_kconfig = str(tmp_path / "Kconfig")
    host.set_document(root_kconfig, b"# typed\n\n" + host.document_text(root_kconfig), "kconfig")
    after = host.hover(path, offset)
    assert after is not None and "(from `if` at `Kconfig:6`)" in after.markdown, after.markdown


def test_selected_and_implied_by_show_each_selectors_condition_and_dependencies(tmp_path: Path) -> None:
    """`select MIGRATION if X86_64` in X86 reads `X86 && X86_64`, a disjunction is parenthesised."""
    markdown = hover_text(
        tmp_path,
        """
        config MMU
        	def_bool y
        config X86_64
        	bool "64-bit"
        config COMPACTION
        	bool "Compaction"
        	depends on MMU
        	select MIGRATION
        config X86
        	def_bool y
        	select MIGRATION if X86_64
        config NUMA
        	bool "NUMA"
        	depends on MMU || X86_64
        	imply MIGRATION
        config $0MIGRATION
        	bool
        """,
    )
    assert markdown is not None
    assert (
        "**Selected by**\n\n- `COMPACTION && MMU` (`Kconfig:8`)\n- `X86 && X86_64` (`Kconfig:11`)" in markdown
    )
    assert "**Implied by**\n\n- `NUMA && (MMU || X86_64)` (`Kconfig:15`)" in markdown
