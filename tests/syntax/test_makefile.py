"""Tests for the Kbuild/Makefile scanner (`kconfig_ls.syntax.makefile`).

Every fixture starts with a comment holding non-ASCII text, and the helpers
check each reported span by slicing the bytes, so spans are byte offsets.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax.makefile import find_config_references, scan_makefile

PREAMBLE = "# Überprüfung: é\n"


def encode(fixture: str) -> bytes:
    return (PREAMBLE + fixture).encode("utf-8")


def check_references(fixture: str, expected: str) -> None:
    """Each reference as `line kind counted|ignored identifier [local]`."""
    data = encode(fixture)
    scan = scan_makefile(data)
    lines = []
    for reference in scan.references:
        assert data[reference.span[0] : reference.span[1]].decode() == reference.identifier
        entry = f"{reference.line} {reference.kind.value} {'counted' if reference.counts else 'ignored'}"
        entry += f" {reference.identifier}" + (" local" if reference.locally_defined else "")
        lines.append(entry)
    assert lines == expected.strip().splitlines()
    assert find_config_references(data) == scan.references


def check_objects(fixture: str, expected: str) -> None:
    """Each built object as `line name <- list symbols [if guard symbols]`."""
    data = encode(fixture)
    scan = scan_makefile(data)
    lines = []
    for built in scan.objects:
        assert data[built.span[0] : built.span[1]].decode() == built.name
        entry = f"{built.line} {built.name} <- {' '.join(built.list_symbols)}"
        if built.guard_symbols:
            entry += f" if {' '.join(built.guard_symbols)}"
        lines.append(entry)
    assert lines == expected.strip().splitlines()


def check_problems(fixture: str, expected: str) -> None:
    scan = scan_makefile(encode(fixture))
    assert [f"{problem.line} {problem.message}" for problem in scan.problems] == expected.strip().splitlines()


def test_reference_kinds() -> None:
    check_references(
        """\
obj-$(CONFIG_MIGRATION) += migrate.o # needs CONFIG_MMU
nf_conntrack-$(subst m,y,$(CONFIG_IPV6)) += nf_conntrack_proto_icmpv6.o
ccflags-$(CONFIG_DEBUG_DRIVER) := -DDEBUG
ifdef CONFIG_NET_DSA
endif
ifndef CONFIG_UML
endif
ifeq ($(CONFIG_NF_CONNTRACK),m)
else ifeq ($(CONFIG_NF_CONNTRACK),y)
endif
ifneq (${CONFIG_VLAN_8021Q},)
endif
KBUILD_CFLAGS += $(call cc-option,-falign-functions=$(CONFIG_FUNCTION_ALIGNMENT))
$(obj)/extra-certs.c: $(CONFIG_CFG80211_EXTRA_REGDB_KEYDIR:"%"=%)
\t@echo 'CONFIG_MODULES is disabled' XDG_CONFIG_HOME
""",
        """
1 make_switched_list counted CONFIG_MIGRATION
1 comment ignored CONFIG_MMU
2 make_switched_list counted CONFIG_IPV6
3 make_switched_list counted CONFIG_DEBUG_DRIVER
4 make_conditional counted CONFIG_NET_DSA
6 make_conditional counted CONFIG_UML
8 make_conditional counted CONFIG_NF_CONNTRACK
9 make_conditional counted CONFIG_NF_CONNTRACK
11 make_conditional counted CONFIG_VLAN_8021Q
13 make_variable counted CONFIG_FUNCTION_ALIGNMENT
14 make_variable counted CONFIG_CFG80211_EXTRA_REGDB_KEYDIR
15 make_word counted CONFIG_MODULES
""",
    )


def test_make_variables_named_config() -> None:
    # The top-level Makefile's CONFIG_SHELL, and arch/sh/boot/Makefile's fallbacks.
    check_references(
        """\
CONFIG_SHELL := sh
CONFIG_PAGE_OFFSET ?= 0x80000000
export CONFIG_PAGE_OFFSET CONFIG_SHELL
cmd = $(CONFIG_SHELL) $(CONFIG_PAGE_OFFSET)
""",
        """
1 make_assignment ignored CONFIG_SHELL local
2 make_assignment counted CONFIG_PAGE_OFFSET
3 make_word counted CONFIG_PAGE_OFFSET
3 make_word ignored CONFIG_SHELL local
4 make_variable ignored CONFIG_SHELL local
4 make_variable counted CONFIG_PAGE_OFFSET
""",
    )


def test_objects_built_by_each_symbol() -> None:
    check_objects(
        """\
obj-$(CONFIG_MIGRATION) += migrate.o \\
\tmigrate_device.o  sub/
masterkey-$(CONFIG_TRUSTED_KEYS)-$(CONFIG_ENCRYPTED_KEYS) := masterkey_trusted.o
ccflags-$(CONFIG_DEBUG) += -DDEBUG $(call cc-option,-Wno-foo)
dtb-$(CONFIG_ARCH_K3) += k3-am625-sk.dtb
ifdef CONFIG_NET_DSA
ifeq ($(CONFIG_NF_NAT),m)
obj-$(CONFIG_X) += x.o # y.o
endif
endif
obj-y += always.o
""",
        """
1 migrate.o <- MIGRATION
2 migrate_device.o <- MIGRATION
2 sub/ <- MIGRATION
3 masterkey_trusted.o <- TRUSTED_KEYS ENCRYPTED_KEYS
5 k3-am625-sk.dtb <- ARCH_K3
8 x.o <- X if NET_DSA NF_NAT
""",
    )
    scan = scan_makefile(encode("obj-$(CONFIG_A) += a.o\nobj-$(CONFIG_A) += b/\nobj-$(CONFIG_B) += a.o\n"))
    data = encode("obj-$(CONFIG_A) += a.o\nobj-$(CONFIG_A) += b/\nobj-$(CONFIG_B) += a.o\n")
    by_symbol = scan.objects_by_symbol()
    assert [name for name, _ in by_symbol["A"]] == ["a.o", "b/"]
    assert [name for name, _ in by_symbol["B"]] == ["a.o"]
    start, end = by_symbol["B"][0][1]
    assert data[start:end] == b"a.o"


def test_hash_inside_a_function_call_is_not_a_comment() -> None:
    check_references(
        "obj-$(CONFIG_A) += $(subst #,,a.o) $(CONFIG_B) \\# $(CONFIG_C) # $(CONFIG_D)\n",
        """
1 make_switched_list counted CONFIG_A
1 make_variable counted CONFIG_B
1 make_variable counted CONFIG_C
1 comment ignored CONFIG_D
""",
    )


def test_define_blocks_are_not_parsed_as_conditionals() -> None:
    check_problems(
        """\
define archhelp
  ifdef CONFIG_NOT_A_CONDITIONAL
endef
""",
        "",
    )
    check_references(
        "define archhelp\n  echo $(CONFIG_X)\nendef\n",
        "2 make_variable counted CONFIG_X",
    )


def test_problems() -> None:
    check_problems(
        """\
endif
else
ifdef CONFIG_A
else ifeq ($(CONFIG_B),y)
endif
ifeq ($(CONFIG_C),y)
define unterminated
""",
        """
1 endif without a conditional
2 else without a conditional
6 conditional without endif
7 define without endef
""",
    )


def test_binary_and_crlf() -> None:
    assert [problem.message for problem in scan_makefile(b"\x00\x01obj-$(CONFIG_A)").problems] == [
        "binary file, not scanned as a Makefile"
    ]
    data = encode("obj-$(CONFIG_A) += a.o \\\r\n\tb.o\r\nifdef CONFIG_B\r\nendif\r\n")
    scan = scan_makefile(data)
    assert [built.name for built in scan.objects] == ["a.o", "b.o"]
    assert [reference.line for reference in scan.references] == [1, 3]
    assert scan.problems == ()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "obj-$(CONFIG_A)",
                " += ",
                ":=",
                "?=",
                "=",
                ":",
                "a.o",
                "$(",
                ")",
                "${",
                "}",
                "ifdef ",
                "ifeq (",
                "else",
                "endif",
                "define x",
                "endef",
                "#",
                "\\",
                "\n",
                "\r\n",
                "\t",
                "CONFIG_B",
                "é",
                "\xff",
            ]
        ),
        max_size=40,
    )
)
def test_scanner_never_fails_on_garbage(pieces: list[str]) -> None:
    data = "".join(pieces).encode("utf-8", errors="surrogateescape")
    scan = scan_makefile(data)
    for reference in scan.references:
        assert data[reference.span[0] : reference.span[1]].decode() == reference.identifier
    for built in scan.objects:
        assert data[built.span[0] : built.span[1]].decode("utf-8", errors="replace") == built.name


# The character-by-character definitions the scanner's fast paths must agree with.


def _reference_comment_start(text: bytes) -> int:
    depth = position = 0
    while position < len(text):
        character = text[position]
        if character == 0x5C:
            position += 2
            continue
        if character == 0x24 and position + 1 < len(text) and text[position + 1] in b"({":
            depth += 1
            position += 2
            continue
        if character in b"({" and depth:
            depth += 1
        elif character in b")}" and depth:
            depth -= 1
        elif character == 0x23 and depth == 0:
            return position
        position += 1
    return len(text)


def _reference_words(code: bytes, start: int) -> list[tuple[int, int]]:
    words = []
    position = start
    while position < len(code):
        while position < len(code) and code[position] in b" \t\n\r":
            position += 1
        if position >= len(code):
            break
        word_start, depth = position, 0
        while position < len(code):
            character = code[position]
            if character == 0x24 and position + 1 < len(code) and code[position + 1] in b"({":
                depth += 1
                position += 2
                continue
            if character in b"({" and depth:
                depth += 1
            elif character in b")}" and depth:
                depth -= 1
            elif depth == 0 and character in b" \t\n\r":
                break
            position += 1
        words.append((word_start, position))
    return words


def _reference_split_assignment(code: bytes) -> tuple[int, int, int, int] | None:
    import re

    if b"=" not in code:
        return None
    prefix = re.compile(rb"[ \t]*(?:(?:export|override|private)[ \t]+)*").match(code)
    left_start = prefix.end() if prefix is not None else 0
    depth = 0
    position = left_start
    while position < len(code):
        character = code[position]
        if character == 0x24 and position + 1 < len(code) and code[position + 1] in b"({":
            depth += 1
            position += 2
            continue
        if character in b"({" and depth:
            depth += 1
        elif character in b")}" and depth:
            depth -= 1
        elif depth == 0 and character == 0x3D:
            operator_start = position
            while operator_start > left_start and code[operator_start - 1] == 0x3A:
                operator_start -= 1
            if (
                operator_start == position
                and operator_start > left_start
                and code[operator_start - 1] in b"+?!"
            ):
                operator_start -= 1
            left_end = operator_start
            while left_end > left_start and code[left_end - 1] in b" \t":
                left_end -= 1
            if left_end == left_start:
                return None
            return left_start, left_end, operator_start, position + 1
        elif depth == 0 and character == 0x3A and not code.startswith(b"=", position + 1):
            following = position + 1
            while following < len(code) and code[following] == 0x3A:
                following += 1
            if following < len(code) and code[following] == 0x3D:
                position = following
                continue
            return None
        position += 1
    return None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "$(",
                "${",
                "(",
                ")",
                "{",
                "}",
                "#",
                "\\",
                "=",
                ":",
                "+",
                "?",
                "!",
                " ",
                "\t",
                "a",
                "CONFIG_A",
                "export ",
                "obj-",
                ".o",
            ]
        ),
        max_size=14,
    )
)
def test_fast_paths_agree_with_the_byte_by_byte_definitions(pieces: list[str]) -> None:
    from kconfig_ls.syntax import makefile

    code = "".join(pieces).encode()
    assert makefile._comment_start(code) == _reference_comment_start(code)
    assert makefile._split_assignment(code) == _reference_split_assignment(code)
    for start in range(0, len(code) + 1, 3):
        assert list(makefile._top_level_words(code, start)) == _reference_words(code, start)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "obj-$(CONFIG_A) += a.o",
                "x := y",
                "ifdef CONFIG_B",
                "  ifeq ($(CONFIG_C),y)",
                "else",
                " else ifneq (a,b)",
                "endif",
                "define x",
                "export define y",
                "override define z",
                "endef",
                "# CONFIG_D",
                "\\",
                "\n",
                "\r\n",
                "\r",
                "\t",
                " ",
                "e",
                "i",
                "d",
                "CONFIG_",
                "CONFIG_E",
                "é",
            ]
        ),
        max_size=30,
    )
)
def test_only_the_lines_that_matter_are_scanned(pieces: list[str]) -> None:
    """Scanning only the lines `_lines_that_matter` gives equals scanning every logical line."""
    from kconfig_ls.syntax import makefile

    data = "".join(pieces).encode()
    scanned = scan_makefile(data)
    every_line = makefile._MakefileScanner(data, makefile.DEFAULT_REFERENCE_SYNTAX)
    original = makefile._lines_that_matter
    try:
        makefile._lines_that_matter = lambda data, prefix: makefile._logical_lines(data)  # type: ignore[assignment]
        assert every_line.scan() == scanned
    finally:
        makefile._lines_that_matter = original
    kept = list(original(data, b"CONFIG_"))
    assert all(line in list(makefile._logical_lines(data)) for line in kept)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "obj-$(CONFIG_A) += a.o b/",
                "foo-$(CONFIG_B)$(CONFIG_B) := c.o",
                "CONFIG_SHELL := sh",
                "CONFIG_X ?= 1",
                "ccflags-y += -DCONFIG_SPL_BUILD",
                "ifdef CONFIG_C",
                "ifeq ($(CONFIG_D),y)",
                "else",
                "endif",
                "define x",
                "endef",
                "# CONFIG_E",
                "$(CONFIG_F)",
                "CONFIG_G_MODULE",
                "\\",
                "\n",
                "\r\n",
                " ",
                "\0",
            ]
        ),
        max_size=25,
    )
)
def test_index_rows_are_the_scan_s(pieces: list[str]) -> None:
    """`index_makefile` keeps exactly what the code index used to take from `scan_makefile`."""
    from kconfig_ls.syntax.makefile import index_makefile

    data = "".join(pieces).encode()
    scan = scan_makefile(data)
    rows = index_makefile(data)
    assert rows.references == [
        (r.symbol, r.span[0], r.span[1], r.line, r.kind.value, r.module_suffix)
        for r in scan.references
        if r.counts
    ]
    assert rows.objects == [
        (symbol, built.name, built.span[0], built.span[1], built.line)
        for built in scan.objects
        for symbol in dict.fromkeys(built.list_symbols)
    ]
    assert rows.problems == [(p.span[0], p.span[1], p.line, p.message) for p in scan.problems]
    assert rows.definitions == [d.name for d in scan.definitions if not d.fallback]
    assert rows.build_defined == list(scan.build_defined)
