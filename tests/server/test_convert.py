"""Engine data to LSP types: position encodings and non-ASCII columns."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.protocol import default_converter

from kconfig_ls.checks.framework import Finding, RelatedLocation, Severity
from kconfig_ls.ide.rename import RenameEdit, RenameResult
from kconfig_ls.ide.symbols import OutlineSymbol, document_outline
from kconfig_ls.semantics.model import Location
from kconfig_ls.server import convert
from kconfig_ls.server.settings import parse_client_settings, settings_section
from kconfig_ls.syntax.kconfig import Span, parse_kconfig
from kconfig_ls.text.line_index import LineIndex

TEXT = 'config CAFÉ\n\tbool "😀 x" if FOO\n'.encode()


@pytest.mark.parametrize(
    ("offered", "expected"),
    [
        (None, types.PositionEncodingKind.Utf16),
        (["utf-16"], types.PositionEncodingKind.Utf16),
        (["utf-32", "utf-16", "utf-8"], types.PositionEncodingKind.Utf8),
        (["utf-32"], types.PositionEncodingKind.Utf16),
    ],
)
def test_utf8_whenever_offered_else_utf16(
    offered: list[str] | None, expected: types.PositionEncodingKind
) -> None:
    capabilities = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=offered)
    )
    assert convert.position_encoding_for(capabilities) == expected


@pytest.mark.parametrize(("unit", "column"), [("utf-8", 18), ("utf-16", 16), ("utf-32", 15)])
def test_columns_after_non_ascii(unit: convert.ColumnUnit, column: int) -> None:
    index = LineIndex(TEXT)
    foo = TEXT.index(b"FOO")
    converted = convert.range_of(index, Span(foo, foo + 3), unit)
    assert (converted.start.line, converted.start.character) == (1, column)
    assert convert.span_of(index, converted, unit) == Span(foo, foo + 3)


def test_diagnostic_fields() -> None:
    paths = convert.PathMapper()
    location = Location("/tree/Kconfig", Span(0, 6))
    finding = Finding(
        "KLS001",
        "select-visible",
        Severity.INFORMATION,
        "A selects B",
        location,
        related=(RelatedLocation("prompt of B", Location("/tree/Kconfig", Span(7, 11))),),
    )
    diagnostic = convert.diagnostic(finding, lambda path: LineIndex(TEXT), "utf-16", paths)
    assert diagnostic.code == "KLS001"
    assert diagnostic.severity == types.DiagnosticSeverity.Information
    assert diagnostic.code_description is not None
    assert diagnostic.code_description.href.endswith("/docs/rules.md#select-visible")
    assert diagnostic.related_information is not None
    assert diagnostic.related_information[0].location.uri == "file:///tree/Kconfig"


def test_settings_sections_nested_or_flat() -> None:
    assert settings_section({"kconfig-ls": {"arch": "x86"}}) == {"arch": "x86"}
    assert settings_section({"arch": "x86"}) == {"arch": "x86"}
    assert settings_section({"python": {}}) is None
    assert settings_section(None) is None
    settings, problems = parse_client_settings(
        {"environment": {"SRCARCH": "x86", "BAD": 1}, "extraIncludePaths": ["../modules", 3]}
    )
    assert settings.environment == {"SRCARCH": "x86"}
    assert settings.extra_include_paths == ("../modules",)
    assert sorted(problems) == [
        "setting 'environment.BAD' must be a string; ignored",
        "setting 'extraIncludePaths' must contain only strings; an item was ignored",
    ]


def test_a_rename_that_creates_a_file_creates_it_before_editing_it() -> None:
    created = "/tree/components/x/sdkconfig.rename"
    result = RenameResult(
        "OLD",
        "NEW",
        edits=(
            RenameEdit("/tree/components/x/Kconfig", 7, 10, "NEW"),
            RenameEdit(created, 0, 0, "CONFIG_OLD CONFIG_NEW\n"),
        ),
        created_files=(created,),
    )
    paths = convert.PathMapper()
    indexes = {"/tree/components/x/Kconfig": LineIndex(b"config OLD\n"), created: LineIndex(b"")}
    edit = convert.rename_edit(
        result,
        indexes.__getitem__,
        "utf-16",
        paths,
        {"/tree/components/x/Kconfig": 4}.get,
        document_changes=True,
    )
    assert edit.document_changes == [
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri="file:///tree/components/x/Kconfig", version=4
            ),
            edits=[
                types.TextEdit(range=types.Range(types.Position(0, 7), types.Position(0, 10)), new_text="NEW")
            ],
        ),
        types.CreateFile(
            uri="file:///tree/components/x/sdkconfig.rename",
            options=types.CreateFileOptions(ignore_if_exists=True),
        ),
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri="file:///tree/components/x/sdkconfig.rename", version=None
            ),
            edits=[
                types.TextEdit(
                    range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                    new_text="CONFIG_OLD CONFIG_NEW\n",
                )
            ],
        ),
    ]
    plain = convert.rename_edit(
        result, indexes.__getitem__, "utf-16", paths, lambda _: 4, document_changes=False
    )
    assert plain.document_changes is None and plain.changes is not None
    assert sorted(plain.changes) == [
        "file:///tree/components/x/Kconfig",
        "file:///tree/components/x/sdkconfig.rename",
    ]


def _nested_outline(depth: int) -> tuple[list[OutlineSymbol], LineIndex]:
    text = "".join(f"if A{i}\n" for i in range(depth)) + 'config X\n\tbool "x"\n' + "endif\n" * depth
    data = text.encode()
    return document_outline(parse_kconfig(data, "Kconfig")), LineIndex(data)


def test_a_deep_outline_is_flattened_below_the_depth_limit_and_serialisable() -> None:
    # 200 nested `if` blocks made pygls' serialiser exhaust the recursion limit:
    # the request got no answer. Below the limit the symbols are listed flat.
    outline, index = _nested_outline(2000)
    symbols = convert.document_symbols(outline, index, "utf-16")
    levels: list[list[str]] = []
    current = symbols
    while current:
        levels.append([symbol.name for symbol in current])
        current = next((symbol.children for symbol in current if symbol.children), [])
    assert len(levels) == convert.MAX_DOCUMENT_SYMBOL_DEPTH
    assert [name for level in levels for name in level] == [f"if A{i}" for i in range(256)] + ["X"]
    assert levels[-1][-1] == "X"
    default_converter().unstructure(symbols)


def test_the_flat_outline_keeps_file_order_and_containers() -> None:
    outline, index = _nested_outline(300)
    flat = convert.flat_symbol_information(outline, "file:///Kconfig", index, "utf-16")
    assert [item.name for item in flat] == [f"if A{i}" for i in range(256)] + ["X"]
    assert flat[0].container_name is None
    assert flat[-1].container_name == "if A255"
