"""What `scan_code_file` keeps per file for the code index (the fast paths before the scanners)."""

from __future__ import annotations

import pytest

from kconfig_ls.semantics.code_index import CodeFileKind, scan_code_file
from kconfig_ls.semantics.code_names import names_config_identifier
from kconfig_ls.settings.ecosystem import ecosystem_named


def _entry(text: bytes, ecosystem: str = "linux") -> tuple[object, ...]:
    syntax = ecosystem_named(ecosystem).reference_syntax
    entry = scan_code_file("/tree/a.h", text, len(text), 0, syntax, CodeFileKind.C)
    assert entry is not None
    return entry[3:]


def test_config_only_inside_other_names_is_not_scanned() -> None:
    # amdgpu's register headers: `CONFIG_` only inside other names. Like a file without the
    # prefix at all, the entry is empty: not even the stray `#endif` is a problem.
    entry = _entry(b"#define mmSDMA0_CONFIG_X 0x1\n#endif\nint regCONFIG_Y;\n")
    assert entry == ((), (), (), (), (), ())


def test_a_config_identifier_of_its_own_is_scanned() -> None:
    references, _, _, _, problems, _ = _entry(
        b"#define mmSDMA0_CONFIG_X 0x1\n#endif\n#ifdef CONFIG_Z\n#endif\n"
    )
    assert [reference[0] for reference in references] == ["Z"]
    assert [problem[3] for problem in problems] == ["#endif without #if"]
    # At the start of the file too.
    assert [r[0] for r in _entry(b"CONFIG_A;\n")[0]] == ["A"]


def test_a_bare_macro_argument_is_scanned_where_the_ecosystem_has_the_macro() -> None:
    # coreboot's `CONFIG(X)` names X without the prefix anywhere.
    references = _entry(b"#if CONFIG(FOO)\n#endif\nint mmCONFIG_X;\n", "coreboot")[0]
    assert [reference[0] for reference in references] == ["FOO"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"CONFIG_A", True),  # at the very start: no byte before it
        (b"x = CONFIG_A;", True),
        (b"\xc3\xa9CONFIG_A", True),  # after a non-ASCII byte, which no identifier holds
        (b"mmCONFIG_A regCONFIG_B _CONFIG_C 9CONFIG_D", False),
        (b"mmCONFIG_A mmCONFIG_B (CONFIG_C)", True),  # the own one after inner ones
        (b"CONFIG", False),
        (b"", False),
    ],
)
def test_names_config_identifier(text: bytes, expected: bool) -> None:
    syntax = ecosystem_named("linux").reference_syntax
    assert names_config_identifier(text, syntax) is expected
