"""End-to-end rename: `textDocument/prepareRename` and `textDocument/rename` over stdio.

The fixture spans every kind of file that names a symbol (Kconfig, C, a
Makefile, a defconfig, a kernel config fragment, Zephyr's `prj.conf` and
ESP-IDF's `sdkconfig.defaults`); the tests apply the returned
`WorkspaceEdit` the way an editor does (open buffers at their version, other
files from disk) and compare whole texts. What the engine renames in detail
is tested in `tests/ide/test_rename.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from kconfig_ls.server.handlers.prepare_rename import NOT_A_SYMBOL
from tests.fixtures import write_fixture
from tests.server.conftest import Workspace

RENAME_TREE = """
//- /Kconfig
mainmenu "Test"

config MIGRATION
	bool "Page migration"
	default y if NUMA

config NUMA
	bool "NUMA"
	select MIGRATION
	imply MIGRATION_X

config MIGRATION_X
	bool "X"
	depends on MIGRATION && NUMA

config LEVEL
	int "level"
	range 0 10 if MIGRATION

if MIGRATION
config INSIDE
	bool "inside"
endif

menu "Migration menu"
	visible if MIGRATION
endmenu
//- /mm/migrate.c
#ifdef CONFIG_MIGRATION
int a;
#endif /* CONFIG_MIGRATION */
#if IS_ENABLED(CONFIG_MIGRATION) || defined(CONFIG_MIGRATION_MODULE)
int b;
#endif
//- /mm/Makefile
obj-$(CONFIG_MIGRATION) += migrate.o
ifeq ($(CONFIG_MIGRATION),y)
obj-y += more.o
endif
//- /arch/x86/configs/test_defconfig
CONFIG_MIGRATION=y
CONFIG_MIGRATION_X=y
//- /kernel/configs/debug.config
# CONFIG_MIGRATION is not set
//- /samples/prj.conf
CONFIG_MIGRATION=n
//- /samples/sdkconfig.defaults
CONFIG_MIGRATION=y
"""

RENAMED_KCONFIG = """mainmenu "Test"

config PAGE_MIGRATION
	bool "Page migration"
	default y if NUMA

config NUMA
	bool "NUMA"
	select PAGE_MIGRATION
	imply MIGRATION_X

config MIGRATION_X
	bool "X"
	depends on PAGE_MIGRATION && NUMA

config LEVEL
	int "level"
	range 0 10 if PAGE_MIGRATION

if PAGE_MIGRATION
config INSIDE
	bool "inside"
endif

menu "Migration menu"
	visible if PAGE_MIGRATION
endmenu
"""

RENAMED_ELSEWHERE = {
    "mm/migrate.c": "#ifdef CONFIG_PAGE_MIGRATION\nint a;\n#endif /* CONFIG_PAGE_MIGRATION */\n"
    "#if IS_ENABLED(CONFIG_PAGE_MIGRATION) || defined(CONFIG_PAGE_MIGRATION_MODULE)\nint b;\n#endif\n",
    "mm/Makefile": "obj-$(CONFIG_PAGE_MIGRATION) += migrate.o\nifeq ($(CONFIG_PAGE_MIGRATION),y)\n"
    "obj-y += more.o\nendif\n",
    "arch/x86/configs/test_defconfig": "CONFIG_PAGE_MIGRATION=y\nCONFIG_MIGRATION_X=y\n",
    "kernel/configs/debug.config": "# CONFIG_PAGE_MIGRATION is not set\n",
    "samples/prj.conf": "CONFIG_PAGE_MIGRATION=n\n",
    "samples/sdkconfig.defaults": "CONFIG_PAGE_MIGRATION=y\n",
}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_fixture(tmp_path, RENAME_TREE)
    return tmp_path


def identifier(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def offset_in(workspace: Workspace, text: str, position: types.Position) -> int:
    """The character offset in `text` of an LSP position in the client's encoding."""
    lines = text.splitlines(keepends=True)
    line_start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    encoding = "utf-8" if workspace.utf8 else "utf-16-le"
    unit = 1 if workspace.utf8 else 2
    prefix = line.encode(encoding)[: position.character * unit].decode(encoding)
    return line_start + len(prefix)


def applied(
    workspace: Workspace, edit: types.WorkspaceEdit, buffers: dict[str, str]
) -> tuple[dict[str, str], dict[str, int | None] | None]:
    """Each edited file's text after the edit (open buffers from `buffers`), and the versions sent.

    VS Code declares `documentChanges`: the edit must use them, with versions.
    Neovim (as pytest-lsp records it) does not: plain `changes`, versions None.
    """
    edits: dict[str, list[types.TextEdit]] = {}
    versions: dict[str, int | None] | None = None
    workspace_edit = workspace.client.capabilities.workspace.workspace_edit  # type: ignore[union-attr]
    if workspace_edit is not None and workspace_edit.document_changes:
        assert edit.changes is None and edit.document_changes is not None
        versions = {}
        for change in edit.document_changes:
            assert isinstance(change, types.TextDocumentEdit)
            relative = relative_path(workspace, change.text_document.uri)
            versions[relative] = change.text_document.version
            edits[relative] = [e for e in change.edits if isinstance(e, types.TextEdit)]
    else:
        assert edit.document_changes is None and edit.changes is not None
        edits = {relative_path(workspace, uri): list(text_edits) for uri, text_edits in edit.changes.items()}
    texts: dict[str, str] = {}
    for relative, text_edits in edits.items():
        text = buffers.get(relative, workspace.text(relative))
        spans = [
            (offset_in(workspace, text, e.range.start), offset_in(workspace, text, e.range.end), e.new_text)
            for e in text_edits
        ]
        for start, end, new_text in sorted(spans, reverse=True):
            text = text[:start] + new_text + text[end:]
        texts[relative] = text
    return texts, versions


def relative_path(workspace: Workspace, uri: str) -> str:
    return str(Path(uri.removeprefix("file://")).relative_to(workspace.root))


async def rename_at(
    workspace: Workspace, uri: str, position: types.Position, new_name: str
) -> types.WorkspaceEdit:
    edit = await workspace.client.text_document_rename_async(
        types.RenameParams(text_document=identifier(uri), position=position, new_name=new_name)
    )
    assert edit is not None
    return edit


async def test_rename_from_kconfig_edits_every_kind_of_file(workspace: Workspace) -> None:
    uri = workspace.open("Kconfig")
    edit = await rename_at(workspace, uri, workspace.position("Kconfig", "MIGRATION\n"), "PAGE_MIGRATION")
    texts, versions = applied(workspace, edit, {})
    assert texts == {"Kconfig": RENAMED_KCONFIG, **RENAMED_ELSEWHERE}
    # The open document's edits carry its version; files that are not open are edited too.
    assert versions in (None, {"Kconfig": 1, **dict.fromkeys(RENAMED_ELSEWHERE)})
    # Nothing is written by the server: the editor applies the edit.
    assert workspace.text("mm/Makefile").startswith("obj-$(CONFIG_MIGRATION)")


@pytest.mark.parametrize(
    ("relative", "needle", "delta"),
    [
        ("mm/migrate.c", "CONFIG_MIGRATION)", len("CONFIG_MIG")),
        ("mm/migrate.c", "CONFIG_MIGRATION_MODULE", len("CONFIG_")),
        ("mm/Makefile", "CONFIG_MIGRATION),y", len("CONFIG_MIGRATION")),
        ("arch/x86/configs/test_defconfig", "CONFIG_MIGRATION=", 0),
    ],
)
async def test_prepare_rename_in_c_a_makefile_and_a_defconfig(
    workspace: Workspace, relative: str, needle: str, delta: int
) -> None:
    uri = workspace.open(relative, language_id="c" if relative.endswith(".c") else "plaintext")
    position = workspace.position(relative, needle, delta)
    prepared = await workspace.client.text_document_prepare_rename_async(
        types.PrepareRenameParams(text_document=identifier(uri), position=position)
    )
    assert isinstance(prepared, types.PrepareRenamePlaceholder)
    assert prepared.placeholder == "MIGRATION"
    # The range covers the name alone: not CONFIG_, not _MODULE.
    start = workspace.position(relative, needle, len("CONFIG_"))
    assert prepared.range == types.Range(start=start, end=types.Position(start.line, start.character + 9))
    edit = await rename_at(workspace, uri, position, "PAGE_MIGRATION")
    texts, _ = applied(workspace, edit, {})
    assert texts == {"Kconfig": RENAMED_KCONFIG, **RENAMED_ELSEWHERE}


async def test_a_rename_to_an_existing_name_or_off_a_symbol_is_refused(workspace: Workspace) -> None:
    client = workspace.client
    uri = workspace.open("mm/migrate.c", language_id="c")
    with pytest.raises(JsonRpcException) as refused:
        await rename_at(workspace, uri, workspace.position("mm/migrate.c", "MIGRATION"), "NUMA")
    assert refused.value.message == (
        "cannot rename MIGRATION to NUMA: a symbol NUMA already exists (Kconfig:7)"
    )
    with pytest.raises(JsonRpcException) as invalid:
        await rename_at(workspace, uri, workspace.position("mm/migrate.c", "MIGRATION"), "CONFIG_X")
    assert "starts with CONFIG_" in invalid.value.message
    for needle in ("int a", "#ifdef"):
        with pytest.raises(JsonRpcException) as not_a_symbol:
            await client.text_document_prepare_rename_async(
                types.PrepareRenameParams(
                    text_document=identifier(uri), position=workspace.position("mm/migrate.c", needle)
                )
            )
        assert not_a_symbol.value.message == NOT_A_SYMBOL
    # Nothing was changed on disk.
    assert workspace.text("Kconfig") == RENAME_TREE.split("//- /Kconfig\n")[1].split("//- ")[0]


async def test_rename_in_an_unsaved_buffer_uses_its_text_and_version(workspace: Workspace) -> None:
    # The C buffer gains a use that is not on disk; the Kconfig buffer moves the definition down.
    c_buffer = "int first;\n#if IS_BUILTIN(CONFIG_MIGRATION)\n#endif\n" + workspace.text("mm/migrate.c")
    c_uri = workspace.open("mm/migrate.c", language_id="c")
    version = workspace.change(c_uri, [types.TextDocumentContentChangeWholeDocument(text=c_buffer)])
    kconfig_buffer = "# unsaved comment\n" + workspace.text("Kconfig")
    kconfig_uri = workspace.open("Kconfig", text=kconfig_buffer)
    position = workspace.position("mm/migrate.c", "CONFIG_MIGRATION)", len("CONFIG_"), text=c_buffer)
    edit = await rename_at(workspace, c_uri, position, "PAGE_MIGRATION")
    texts, versions = applied(workspace, edit, {"mm/migrate.c": c_buffer, "Kconfig": kconfig_buffer})
    assert texts["mm/migrate.c"] == (
        "int first;\n#if IS_BUILTIN(CONFIG_PAGE_MIGRATION)\n#endif\n" + RENAMED_ELSEWHERE["mm/migrate.c"]
    )
    assert texts["Kconfig"] == "# unsaved comment\n" + RENAMED_KCONFIG
    assert version == 2
    assert versions in (
        None,
        {"mm/migrate.c": 2, "Kconfig": 1, **dict.fromkeys(RENAMED_ELSEWHERE.keys() - {"mm/migrate.c"})},
    )
    assert kconfig_uri != c_uri


@pytest.mark.parametrize("initialization_options", [{"keepOldNameOnRename": True}], indirect=True)
async def test_the_keep_old_name_setting_adds_a_transitional_entry(
    initialization_options: object, workspace: Workspace
) -> None:
    uri = workspace.open("Kconfig")
    edit = await rename_at(workspace, uri, workspace.position("Kconfig", "MIGRATION\n"), "PAGE_MIGRATION")
    texts, _ = applied(workspace, edit, {})
    assert "config MIGRATION\n\tbool\n\ttransitional\n" in texts["Kconfig"]
    assert (
        'config PAGE_MIGRATION\n\tbool "Page migration"\n\tdefault MIGRATION if MIGRATION\n'
        in (texts["Kconfig"])
    )
