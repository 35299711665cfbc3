"""kconfirm's semantic checks by logic (KLS209-KLS213), on small trees.

Each test names what a textual check finds and what only the logic does
(inherited `if`/`menu` conditions, implication instead of equality), and
what must not be reported (a tristate limited to m, a condition that
holds only at the m level).
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_logic_rules import lint


def findings(tmp_path: Path, fixture: str, code: str) -> list[str]:
    return [finding for finding in lint(tmp_path, fixture) if f" {code} " in finding]


def test_redundant_dependencies_by_logic_with_inherited_conditions(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config NET
        	bool "Networking"
        config A
        	tristate "A"
        config B
        	tristate "B"
        if NET
        config FOO
        	tristate "Foo"
        	depends on NET
        	depends on A && B
        	depends on A
        endif
        config T
        	tristate "T"
        	depends on B
        	depends on A || B
        config LIMITED
        	tristate "Limited"
        	depends on A
        	depends on m
        config ONCE
        	tristate "Once"
        	depends on A
        	depends on B
        """,
        "KLS209",
    )
    assert found == [
        "Kconfig:11: KLS209 warning: 'depends on NET' of FOO repeats the enclosing 'if NET': remove it",
        "Kconfig:13: KLS209 warning: 'depends on A' of FOO is implied by 'depends on A && B': remove it",
        "Kconfig:18: KLS209 warning: 'depends on A || B' of T is implied by 'depends on B': remove it",
    ]


def test_redundant_selects_and_implies(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config A
        	bool "A"
        config B
        	tristate "B"
        config C
        	bool "C"
        config FOO
        	tristate "Foo"
        	select B
        	select B if A
        	imply C if A
        	select C
        	select A if C
        	select A if B
        """,
        "KLS210",
    )
    assert found == [
        "Kconfig:11: KLS210 warning: 'select B if A' of FOO is redundant: 'select B' already applies whenever it does",
        "Kconfig:12: KLS210 warning: 'imply C if A' of FOO is redundant: 'select C' already applies whenever it does",
    ]


def test_constant_conditions_given_the_entrys_dependencies(tmp_path: Path) -> None:
    found = findings(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config NET
        	bool "Networking"
        config CRC
        	bool
        config ZLIB
        	bool
        config BOOLEAN
        	bool "Boolean"
        config TRI
        	tristate "Tristate"
        menu "Network options"
        	depends on NET
        config FOO
        	bool "Foo"
        	select CRC if NET
        	select ZLIB if BOOLEAN && !BOOLEAN
        	default y if NET || BOOLEAN
        config BAR
        	tristate "Bar"
        	depends on TRI
        	select CRC if TRI && !TRI
        	default y if TRI
        endmenu
        config NEEDS_VALIDATING
        	bool
        	depends on n
        	select CRC if NET
        """,
        "KLS211",
    )
    # `TRI && !TRI` is m when TRI is m: not constant. BAR's `if TRI` always holds given its dependency.
    # Under `depends on n` everything "always holds": that dead entry is KLS203's finding.
    assert found == [
        "Kconfig:16: KLS211 warning: the condition 'if NET' of 'select CRC' always holds "
        "(given the dependencies of FOO): drop it",
        "Kconfig:17: KLS211 warning: the condition 'if BOOLEAN && !BOOLEAN' of 'select ZLIB' never holds "
        "where FOO is defined: the line has no effect",
        "Kconfig:18: KLS211 warning: the condition 'if NET || BOOLEAN' of 'default y' always holds "
        "(given the dependencies of FOO): drop it",
        "Kconfig:23: KLS211 warning: the condition 'if TRI' of 'default y' always holds "
        "(given the dependencies of BAR): drop it",
    ]


def test_dead_and_backwards_ranges(tmp_path: Path) -> None:
    fixture = """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        config BIG
        	bool "Big"
        config NUM
        	int "Num"
        	range 10 5
        config NUM2
        	int "Num2"
        	range 1 8
        	range 1 16 if BIG
        config NUM3
        	int "Num3"
        	range 1 16 if BIG
        	range 1 8
        config LOW
        	int
        	default 100
        config NUM4
        	int "Num4"
        	range LOW 50
        config ADDRESS
        	hex "Address"
        	range 0x1000 0xfff
        config CHOSEN
        	int "Chosen"
        	range 0 LOW
        """
    assert findings(tmp_path, fixture, "KLS212") == [
        "Kconfig:10: KLS212 warning: 'range 1 16' of NUM2 never applies: an earlier range always applies first",
    ]
    assert findings(tmp_path, fixture, "KLS213") == [
        "Kconfig:20: KLS213 error: 'range LOW 50' of NUM4 is backwards (LOW = 100): "
        "its low bound is above its high bound, so no value is valid; swap them",
        "Kconfig:23: KLS213 error: 'range 0x1000 0xfff' of ADDRESS is backwards: "
        "its low bound is above its high bound, so no value is valid; swap them",
        "Kconfig:6: KLS213 error: 'range 10 5' of NUM is backwards: "
        "its low bound is above its high bound, so no value is valid; swap them",
    ]
