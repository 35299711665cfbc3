"""End-to-end: the real server over stdio, driven like VS Code and like Neovim.

These tests aim at the seams (lifecycle, sync, encodings, diagnostics
tiers, progress, settings, file watching, stdout safety); what each
feature answers is tested in `tests/ide`.
"""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from kconfig_ls.server.convert import RULES_DOCUMENTATION_URL
from tests.server.conftest import TIMEOUT_SECONDS, Workspace, indexing_finished, wait_until


def identifier(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


async def hover_text(workspace: Workspace, uri: str, position: types.Position) -> str | None:
    hover = await workspace.client.text_document_hover_async(
        types.HoverParams(text_document=identifier(uri), position=position)
    )
    if hover is None:
        return None
    assert isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


# -- lifecycle and progress -----------------------------------------------------------


async def test_initialize_negotiates_the_position_encoding(workspace: Workspace) -> None:
    result: types.InitializeResult = workspace.client.initialize_result  # type: ignore[attr-defined]
    expected = types.PositionEncodingKind.Utf8 if workspace.utf8 else types.PositionEncodingKind.Utf16
    assert result.capabilities.position_encoding == expected
    assert result.server_info is not None and result.server_info.name == "kconfig-ls"
    sync = result.capabilities.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental


async def test_indexing_reports_work_done_progress(workspace: Workspace) -> None:
    ((token, reports),) = workspace.client.progress_reports.items()
    assert str(token).startswith("kconfig-ls/indexing/")
    assert isinstance(reports[0], types.WorkDoneProgressBegin)
    assert reports[0].title == "Indexing Kconfig"
    assert any(isinstance(report, types.WorkDoneProgressReport) for report in reports)
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)
    assert reports[-1].message == "9 symbols in 3 files"
    logged = [message.message for message in workspace.client.log_messages]
    assert any("indexed 9 symbols in 3 Kconfig files" in message for message in logged)


async def test_file_watchers_are_registered_when_the_client_allows(workspace: Workspace) -> None:
    registrations: list[types.Registration] = workspace.client.registrations  # type: ignore[attr-defined]
    capabilities = workspace.client.capabilities
    assert capabilities is not None and capabilities.workspace is not None
    watched = capabilities.workspace.did_change_watched_files
    if watched is not None and watched.dynamic_registration:
        (registration,) = registrations
        assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        options = registration.register_options
        patterns = [watcher["globPattern"] for watcher in options["watchers"]]  # type: ignore[index]
        assert "**/Kconfig*" in patterns and "**/*.c" in patterns
    else:
        assert registrations == []


async def test_shutdown_and_exit_end_the_process_cleanly(workspace: Workspace) -> None:
    client = workspace.client
    await client.shutdown_async(None)
    client.exit(None)
    server = client._server
    assert server is not None
    assert await asyncio.wait_for(server.wait(), TIMEOUT_SECONDS) == 0
    client.capabilities = None  # the fixture must not shut down again


# -- diagnostics -------------------------------------------------------------------------


async def test_whole_tree_diagnostics_carry_code_link_and_related_information(workspace: Workspace) -> None:
    uri = workspace.open("mm/Kconfig")
    diagnostics = await workspace.diagnostics(uri, lambda found: "KLS001" in codes(found))
    (select_visible,) = [d for d in diagnostics if d.code == "KLS001" and d.message.startswith("COMPACTION")]
    assert select_visible.message.startswith(
        'COMPACTION selects MIGRATION, which has a prompt ("Page migration")'
    )
    assert select_visible.severity == types.DiagnosticSeverity.Warning
    assert select_visible.source == "kconfig-ls"
    assert select_visible.code_description is not None
    assert select_visible.code_description.href == f"{RULES_DOCUMENTATION_URL}#select-visible"
    start = workspace.position("mm/Kconfig", "select MIGRATION\nendif")
    assert select_visible.range.start == start
    assert select_visible.related_information
    assert select_visible.related_information[0].location.uri == uri
    assert select_visible.related_information[0].message == "prompt of MIGRATION"


async def test_syntax_errors_are_published_at_once_with_non_ascii_columns(workspace: Workspace) -> None:
    uri = workspace.open("mm/Kconfig")
    await workspace.diagnostics(uri, lambda found: "KLS001" in codes(found))
    text = workspace.text("mm/Kconfig")
    insert_at = workspace.position("mm/Kconfig", "config MMU")
    new_line = '\tbool "Café 😀" if )\n'
    version = workspace.change(
        uri,
        [
            types.TextDocumentContentChangePartial(
                range=types.Range(start=insert_at, end=insert_at), text=new_line
            )
        ],
    )
    new_text = text.replace("config MMU", new_line + "config MMU", 1)
    expected_start = workspace.position("mm/Kconfig", ")\n", text=new_text)
    diagnostics = await workspace.diagnostics(uri, lambda found: "KLS000" in codes(found))
    (syntax_error,) = [d for d in diagnostics if d.code == "KLS000"]
    assert syntax_error.range.start == expected_start
    assert workspace.client.diagnostics[uri] is not None
    # The whole-tree finding below the edit moved down a line along with its text.
    moved = [d for d in diagnostics if d.code == "KLS001" and d.message.startswith("COMPACTION")]
    assert moved and moved[0].range.start == workspace.position(
        "mm/Kconfig", "select MIGRATION\nendif", text=new_text
    )
    assert version == 2


async def test_fixing_the_error_clears_it(workspace: Workspace) -> None:
    uri = workspace.open(
        "mm/Kconfig", text=workspace.text("mm/Kconfig").replace("\tdepends on SMP", "\tdepends on SMP &&")
    )
    await workspace.diagnostics(uri, lambda found: "KLS000" in codes(found))
    line = workspace.position("mm/Kconfig", "\tdepends on SMP").line
    workspace.change(
        uri,
        [
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=line, character=15), end=types.Position(line=line, character=18)
                ),
                text="",
            )
        ],
    )
    await workspace.diagnostics(uri, lambda found: "KLS000" not in codes(found) and "KLS001" in codes(found))


async def test_macro_output_never_reaches_stdout(workspace: Workspace) -> None:
    # `$(info,...)` is a finding, not a print: the stream stays valid JSON-RPC.
    uri = workspace.open("Kconfig")
    diagnostics = await workspace.diagnostics(uri, lambda found: "KLS007" in codes(found))
    assert [d.message for d in diagnostics if d.code == "KLS007"] == ["$(info): hello from Kconfig"]
    assert await hover_text(workspace, uri, workspace.position("Kconfig", "SMP", 1)) is not None


async def test_closing_a_document_clears_its_diagnostics(workspace: Workspace) -> None:
    uri = workspace.open("mm/Kconfig")
    await workspace.diagnostics(uri, lambda found: "KLS001" in codes(found))
    workspace.client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=identifier(uri)))
    await workspace.diagnostics(uri, lambda found: found == [])


# -- navigation -----------------------------------------------------------------------------


async def test_hover_shows_the_dependency_chain(workspace: Workspace) -> None:
    uri = workspace.open("init/Kconfig")
    text = await hover_text(workspace, uri, workspace.position("init/Kconfig", "NUMA_BALANCING", 3))
    assert text is not None
    assert "NUMA_MIGRATION ← NUMA && MMU" in text
    assert "├─ NUMA ← SMP" in text.replace("   ├─", "├─")


async def test_hover_after_non_ascii_edits_finds_the_right_word(workspace: Workspace) -> None:
    uri = workspace.open("init/Kconfig")
    text = workspace.text("init/Kconfig")
    start = workspace.position("init/Kconfig", "Memory placement")
    workspace.change(
        uri,
        [types.TextDocumentContentChangePartial(range=types.Range(start=start, end=start), text="😀é ")],
    )
    new_text = text.replace("Memory placement", "😀é Memory placement", 1)
    position = workspace.position("init/Kconfig", "NUMA_MIGRATION", 2, text=new_text)
    hover = await hover_text(workspace, uri, position)
    assert hover is not None and hover.startswith("### NUMA_MIGRATION")


async def test_hover_in_a_c_file(workspace: Workspace) -> None:
    uri = workspace.open("mm/migrate.c", language_id="c")
    hover = await hover_text(workspace, uri, workspace.position("mm/migrate.c", "CONFIG_NUMA_MIGRATION", 9))
    assert hover is not None and hover.startswith("### NUMA_MIGRATION")


async def test_definition_and_references(workspace: Workspace) -> None:
    uri = workspace.open("init/Kconfig")
    position = workspace.position("init/Kconfig", "NUMA_MIGRATION", 1)
    definitions = await workspace.client.text_document_definition_async(
        types.DefinitionParams(text_document=identifier(uri), position=position)
    )
    assert isinstance(definitions, list)
    assert [(d.uri, d.range.start) for d in definitions] == [
        (workspace.uri("mm/Kconfig"), workspace.position("mm/Kconfig", "NUMA_MIGRATION"))
    ]
    references = await workspace.client.text_document_references_async(
        types.ReferenceParams(
            text_document=identifier(uri),
            position=position,
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert references is not None
    # Kconfig uses, then the C guard in mm/migrate.c (references cross into code).
    assert sorted((r.uri.rsplit("/", 1)[-1], r.range.start.line) for r in references) == [
        ("Kconfig", 3),
        ("Kconfig", 9),
        ("migrate.c", 0),
    ]


# -- the other features, once each ---------------------------------------------------------------


async def test_outline_folding_links_completion_and_workspace_symbols(workspace: Workspace) -> None:
    client = workspace.client
    uri = workspace.open("mm/Kconfig")
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=identifier(uri))
    )
    assert symbols is not None and symbols[0].name == "Memory Management options"
    folds = await client.text_document_folding_range_async(
        types.FoldingRangeParams(text_document=identifier(uri))
    )
    assert folds is not None and (folds[0].start_line, folds[0].end_line) == (0, 20)
    root_uri = workspace.open("Kconfig")
    links = await client.text_document_document_link_async(
        types.DocumentLinkParams(text_document=identifier(root_uri))
    )
    assert links is not None and [link.target for link in links] == [
        workspace.uri("init/Kconfig"),
        workspace.uri("mm/Kconfig"),
    ]
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="numa_mig"))
    assert found is not None and [symbol.name for symbol in found] == ["NUMA_MIGRATION"]
    text = workspace.text("mm/Kconfig")
    end = workspace.position("mm/Kconfig", "\tdepends on NUMA && MMU", len("\tdepends on NUMA && MMU"))
    workspace.change(
        uri,
        [types.TextDocumentContentChangePartial(range=types.Range(start=end, end=end), text=" && NUMA_B")],
    )
    del text
    completions = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=identifier(uri),
            position=types.Position(line=end.line, character=end.character + len(" && NUMA_B")),
        )
    )
    assert isinstance(completions, types.CompletionList)
    assert [item.label for item in completions.items] == ["NUMA_BALANCING", "ARCH_SUPPORTS_NUMA_BALANCING"]


async def test_code_action_offers_a_suppression(workspace: Workspace) -> None:
    uri = workspace.open("mm/Kconfig")
    diagnostics = await workspace.diagnostics(uri, lambda found: "KLS001" in codes(found))
    select_visible = next(d for d in diagnostics if d.code == "KLS001")
    actions = await workspace.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=identifier(uri),
            range=select_visible.range,
            context=types.CodeActionContext(diagnostics=[select_visible]),
        )
    )
    assert actions is not None
    titles = [action.title for action in actions if isinstance(action, types.CodeAction)]
    assert titles == ["Ignore select-visible on this line"]


# -- settings and the file system ------------------------------------------------------------------


async def test_rule_settings_change_takes_effect(workspace: Workspace) -> None:
    uri = workspace.open("mm/Kconfig")
    await workspace.diagnostics(uri, lambda found: "KLS001" in codes(found))
    workspace.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"kconfig-ls": {"rules": {"select-visible": "off"}}})
    )
    await workspace.diagnostics(uri, lambda found: "KLS001" not in codes(found))


@pytest.mark.parametrize("server_configuration", [{"rules": {"macro-message": "error"}}], indirect=True)
@pytest.mark.parametrize("initialization_options", [None], indirect=True)
async def test_settings_are_pulled_from_the_client(
    server_configuration: object, initialization_options: object, workspace: Workspace
) -> None:
    uri = workspace.open("Kconfig")
    diagnostics = await workspace.diagnostics(uri, lambda found: "KLS007" in codes(found))
    assert {d.severity for d in diagnostics if d.code == "KLS007"} == {types.DiagnosticSeverity.Error}


@pytest.mark.parametrize(
    "initialization_options", [{"rootKconfig": "Kconfig", "rules": {"KLS001": "hint"}}], indirect=True
)
async def test_flat_initialization_options_like_the_vscode_extension_sends(
    initialization_options: object, workspace: Workspace
) -> None:
    uri = workspace.open("mm/Kconfig")
    diagnostics = await workspace.diagnostics(uri, lambda found: "KLS001" in codes(found))
    assert {d.severity for d in diagnostics if d.code == "KLS001"} == {types.DiagnosticSeverity.Hint}


async def test_bad_settings_are_shown_not_fatal(workspace: Workspace) -> None:
    client = workspace.client
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"kconfig-ls": {"rules": {"KLS001": "loud"}, "trustWorkspace": "yes", "arch": 3}}
        )
    )
    # Issue 13: one pop-up per change, listing every problem of that change.
    await wait_until(client, types.WINDOW_SHOW_MESSAGE, lambda: len(client.messages) >= 1)
    assert len(client.messages) == 1
    message = client.messages[0].message
    assert message.startswith("kconfig-ls: 3 settings problems: ")
    for problem in (
        "setting 'arch' must be a string, not a number; ignored",
        "setting 'rules.KLS001': 'loud' is not error, warning, information, hint or off; ignored",
        "setting 'trustWorkspace' must be true or false, not a string; using false",
    ):
        assert problem in message
    uri = workspace.open("init/Kconfig")
    assert await hover_text(workspace, uri, workspace.position("init/Kconfig", "NUMA_BALANCING")) is not None


async def test_settings_that_change_the_tree_reindex(workspace: Workspace) -> None:
    client = workspace.client
    (workspace.root / "Kconfig.alt").write_text('config ALTERNATIVE\n\tbool "Alt"\n', encoding="utf-8")
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"kconfig-ls": {"rootKconfig": "Kconfig.alt"}})
    )
    await wait_until(client, "$/progress", lambda: indexing_finished(client, 2))
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="ALTERNATIVE"))
    assert found is not None and [symbol.name for symbol in found] == ["ALTERNATIVE"]


async def test_changes_on_disk_are_picked_up(workspace: Workspace) -> None:
    client = workspace.client
    uri = workspace.open("init/Kconfig")
    mm = workspace.root / "mm/Kconfig"
    mm.write_text(
        mm.read_text(encoding="utf-8").replace('"NUMA page migration"', '"Renamed on disk"'), encoding="utf-8"
    )
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=workspace.uri("mm/Kconfig"), type=types.FileChangeType.Changed)]
        )
    )
    position = workspace.position("init/Kconfig", "NUMA_MIGRATION", 1)

    async def renamed() -> None:
        # Polled, not awaited on the next publish: the publish that follows the change can arrive
        # while a hover is answered (before the change was applied), and no other one follows.
        while "Renamed on disk" not in (await hover_text(workspace, uri, position) or ""):
            await asyncio.sleep(0.1)

    await asyncio.wait_for(renamed(), TIMEOUT_SECONDS)


# -- robustness -----------------------------------------------------------------------------------------


async def test_requests_for_unknown_documents_and_positions_are_empty(workspace: Workspace) -> None:
    client = workspace.client
    missing = identifier(workspace.uri("does/not/exist/Kconfig"))
    far = types.Position(line=10_000, character=10_000)
    assert (
        await client.text_document_hover_async(types.HoverParams(text_document=missing, position=far)) is None
    )
    assert (
        await client.text_document_definition_async(
            types.DefinitionParams(text_document=missing, position=far)
        )
        == []
    )
    uri = workspace.open("mm/Kconfig")
    assert (
        await client.text_document_hover_async(types.HoverParams(text_document=identifier(uri), position=far))
        is None
    )


async def test_a_cancelled_request_does_not_disturb_the_server(workspace: Workspace) -> None:
    client = workspace.client
    uri = workspace.open("init/Kconfig")
    position = workspace.position("init/Kconfig", "NUMA_BALANCING")
    future = client.protocol.send_request(
        types.TEXT_DOCUMENT_HOVER, types.HoverParams(text_document=identifier(uri), position=position)
    )
    request_id = next(key for key, value in client.protocol._request_futures.items() if value is future)
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=request_id))
    try:
        await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT_SECONDS)
    except Exception as error:  # answered with RequestCancelled: fine
        assert "cancel" in str(error).lower()
    assert await hover_text(workspace, uri, position) is not None
