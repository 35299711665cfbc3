"""Tests for the configuration file scanner (`kconfig_ls.syntax.config_file`).

Every fixture starts with a comment holding non-ASCII text and the helper
checks the name and value spans by slicing the bytes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kconfig_ls.syntax.config_file import find_config_references, index_config_file, scan_config_file
from kconfig_ls.syntax.config_reference import ReferenceKind

PREAMBLE = "# Überprüfung: é\n"


def encode(fixture: str) -> bytes:
    return (PREAMBLE + fixture).encode("utf-8")


def check(fixture: str, expected: str, *, prefix: str = "CONFIG_") -> None:
    """Assignments as `line SYMBOL = value (kind)`, problems as `line ! message`, in line order."""
    data = encode(fixture)
    scan = scan_config_file(data, prefix=prefix)
    entries: list[tuple[int, str]] = []
    for assignment in scan.assignments:
        assert data[assignment.name_span[0] : assignment.name_span[1]].decode() == prefix + assignment.symbol
        assert data[assignment.symbol_span[0] : assignment.symbol_span[1]].decode() == assignment.symbol
        if assignment.value_span is not None:
            assert data[assignment.value_span[0] : assignment.value_span[1]].decode() == assignment.value
        entry = f"{assignment.line} {assignment.symbol} = {assignment.value} ({assignment.value_kind})"
        if assignment.is_not_set:
            entry += " not set"
        if assignment.string_value is not None:
            entry += f" -> {assignment.string_value!r}"
        entries.append((assignment.line, entry))
    for problem in scan.problems:
        assert 0 <= problem.span[0] <= problem.span[1] <= len(data)
        entries.append((problem.line, f"{problem.line} ! {problem.message}"))
    assert [entry for _, entry in sorted(entries, key=lambda item: item[0])] == expected.strip().splitlines()


def test_values() -> None:
    check(
        """\
CONFIG_MIGRATION=y
CONFIG_EXT4_FS=m
CONFIG_NUMA=n
# CONFIG_NUMA_BALANCING is not set
CONFIG_NR_CPUS=64
CONFIG_LOG_BUF_SHIFT=-1
CONFIG_PHYSICAL_START=0x1000000
CONFIG_CMDLINE="console=ttyS0 root=\\"/dev/sda\\" é\\\\"
CONFIG_EMPTY_STRING=""
CONFIG_EMPTY=
CONFIG_YES=yes
CONFIG_TRAILING=y # comment
CONFIG_TRAILING_SPACE=y   \r
# a comment mentioning CONFIG_FOO
#CONFIG_NOT_THE_NOT_SET_FORM is not set

""",
        """
1 MIGRATION = y (tristate)
2 EXT4_FS = m (tristate)
3 NUMA = n (tristate)
4 NUMA_BALANCING = n (tristate) not set
5 NR_CPUS = 64 (decimal)
6 LOG_BUF_SHIFT = -1 (decimal)
7 PHYSICAL_START = 0x1000000 (hex)
8 CMDLINE = "console=ttyS0 root=\\"/dev/sda\\" é\\\\" (string) -> 'console=ttyS0 root="/dev/sda" é\\\\'
9 EMPTY_STRING = "" (string) -> ''
10 EMPTY =  (empty)
11 YES = yes (other)
12 TRAILING = y # comment (other)
13 TRAILING_SPACE = y (tristate)
""",
    )


def test_malformed_lines() -> None:
    check(
        """\
CONFIG_A = y
CONFIG_B-C=y
CONFIG_=y
CONFIG_D
  CONFIG_E=y
FOO=bar
CONFIG_F="unterminated
CONFIG_G="ok" trailing
""",
        """
1 ! white space before '='; the tools read it as part of the name
2 ! invalid character in symbol name: '-'
3 ! missing symbol name before '='
4 ! missing '=' in assignment
5 ! leading white space; the line is ignored
6 ! not an assignment; expected CONFIG_NAME=value
7 F = "unterminated (string)
7 ! unterminated string
8 G = "ok" trailing (other)
""",
    )


def test_custom_prefix() -> None:
    check(
        "MY_X=y\n# MY_Y is not set\nCONFIG_Z=y\n",
        "1 X = y (tristate)\n2 Y = n (tristate) not set\n3 ! not an assignment; expected MY_NAME=value",
        prefix="MY_",
    )


def test_references_for_the_index() -> None:
    data = encode("CONFIG_A=y\n# CONFIG_B is not set\n")
    references = find_config_references(data)
    assert [(reference.symbol, reference.kind, reference.counts) for reference in references] == [
        ("A", ReferenceKind.CONFIG_ASSIGNMENT, True),
        ("B", ReferenceKind.CONFIG_NOT_SET, True),
    ]
    assert [data[reference.span[0] : reference.span[1]] for reference in references] == [
        b"CONFIG_A",
        b"CONFIG_B",
    ]
    assert find_config_references(b"# nothing here\n") == ()


def test_binary_file() -> None:
    scan = scan_config_file(b"\x00\x01CONFIG_A=y\n")
    assert scan.assignments == ()
    assert [problem.message for problem in scan.problems] == [
        "binary file, not scanned as a configuration file"
    ]


def test_non_utf8_value() -> None:
    scan = scan_config_file(PREAMBLE.encode() + b'CONFIG_S="\xff"\n')
    assert scan.assignments[0].value == '"\ufffd"'
    assert scan.assignments[0].value_span == (len(PREAMBLE.encode()) + 9, len(PREAMBLE.encode()) + 12)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["CONFIG_", "A", "=", "y", '"', "\\", "#", " ", " is not set", "\n", "\r", "é", "\xff", "0x"]
        ),
        max_size=30,
    )
)
def test_scanner_never_fails_on_garbage(pieces: list[str]) -> None:
    data = "".join(pieces).encode("utf-8", errors="surrogateescape")
    scan = scan_config_file(data)
    for assignment in scan.assignments:
        assert (
            data[assignment.name_span[0] : assignment.name_span[1]] == b"CONFIG_" + assignment.symbol.encode()
        )


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "CONFIG_A=y",
                'CONFIG_B="x"',
                'CONFIG_C="open',
                "CONFIG_D =1",
                "CONFIG_E-F=1",
                "CONFIG_=1",
                "CONFIG_G",
                "# CONFIG_H is not set",
                "# CONFIG_H is not set \r",
                "# CONFIG_H is not setx",
                "CONFIG_N=",
                "CONFIG_O==",
                "\v",
                "#CONFIG_I is not set",
                "# CONFIG_J is not set x",
                "# comment",
                " CONFIG_K=y",
                "junk",
                "BR2_L=y",
                "# BR2_M is not set",
                "=",
                '"',
                "\\",
                " ",
                "\t",
                "\r",
                "\f",
                "\n",
                "\n",
                "é",
            ]
        ),
        max_size=20,
    ),
    st.sampled_from(["CONFIG_", "BR2_"]),
    st.booleans(),
)
def test_the_index_rows_are_the_scan_s(pieces: list[str], prefix: str, prefix_in_symbol: bool) -> None:
    """`index_config_file` keeps exactly what the index takes from `scan_config_file`."""
    data = "".join(pieces).encode()
    scan = scan_config_file(data, prefix=prefix, prefix_in_symbol=prefix_in_symbol)
    rows, problems = index_config_file(data, prefix=prefix, prefix_in_symbol=prefix_in_symbol)
    assert rows == [(a.symbol, *a.name_span, a.line, a.is_not_set) for a in scan.assignments]
    assert problems == [(*p.span, p.line, p.message) for p in scan.problems]
    binary = b"\0" + data
    assert index_config_file(binary, prefix=prefix)[1] == [
        (*p.span, p.line, p.message) for p in scan_config_file(binary, prefix=prefix).problems
    ]
