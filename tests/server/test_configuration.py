"""End-to-end: the active configuration (issue 10) over stdio, like VS Code and like Neovim.

The `configFile` setting and the `kconfig-ls.selectConfiguration` command,
the `kconfig-ls/configurationStatus` notification after every change, the
`textDocument/inactiveRegions` notification (clangd's shape) for clients
that ask for it and `Unnecessary` hints for the others.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types

from tests.server.conftest import Workspace, wait_until
from tests.server.raw_client import RawClient

STATUS = "kconfig-ls/configurationStatus"
REGIONS = "textDocument/inactiveRegions"

CONFIG = "CONFIG_SMP=y\nCONFIG_NUMA=y\nCONFIG_NUMA_BALANCING=y\nCONFIG_BOGUS=y\n"
SMALL_CONFIG = "CONFIG_PREEMPT_RT=y\n"  # SMP stays at its default, n
MAKEFILE = "obj-$(CONFIG_COMPACTION) += compaction.o\nifdef CONFIG_SMP\nsmp := 1\nelse\nup := 1\nendif\n"


def statuses(workspace: Workspace) -> list[Any]:
    return workspace.client.configuration_statuses  # type: ignore[attr-defined,no-any-return]


def regions(workspace: Workspace) -> list[Any]:
    return workspace.client.inactive_regions  # type: ignore[attr-defined,no-any-return]


def field(item: Any, name: str) -> Any:
    """A notification's params arrive as objects with attributes (pygls), or as plain dicts."""
    return item[name] if isinstance(item, dict) else getattr(item, name)


def write_configuration_files(workspace: Workspace) -> None:
    (workspace.root / ".config").write_text(CONFIG, encoding="utf-8")
    (workspace.root / "small.config").write_text(SMALL_CONFIG, encoding="utf-8")
    (workspace.root / "mm/Makefile").write_text(MAKEFILE, encoding="utf-8")
    (workspace.root / "mm/compaction.c").write_text("int compact(void);\n", encoding="utf-8")


async def select(workspace: Workspace, *arguments: object) -> Any:
    return await workspace.client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="kconfig-ls.selectConfiguration", arguments=list(arguments))
    )


async def wait_for_status(workspace: Workspace, label: str) -> Any:
    await wait_until(
        workspace.client, STATUS, lambda: any(field(s, "label") == label for s in statuses(workspace))
    )
    return next(s for s in reversed(statuses(workspace)) if field(s, "label") == label)


async def test_the_command_switches_and_clears_the_configuration(workspace: Workspace) -> None:
    result: types.InitializeResult = workspace.client.initialize_result  # type: ignore[attr-defined]
    commands = result.capabilities.execute_command_provider
    # The server's command only: kconfig-ls.showLocations (the code lenses') is the client's.
    assert commands is not None and list(commands.commands) == ["kconfig-ls.selectConfiguration"]
    capabilities = result.capabilities
    assert capabilities.inlay_hint_provider is not None
    assert capabilities.code_lens_provider is not None and capabilities.code_lens_provider.resolve_provider
    write_configuration_files(workspace)
    answer = await select(workspace, ".config")
    assert answer == {
        "label": ".config",
        "path": str(workspace.root / ".config"),
        "unknownValues": 0,
        "problems": 2,  # KLS301 (CONFIG_BOGUS) and KLS303 (NUMA_BALANCING does not stick)
    }
    status = await wait_for_status(workspace, ".config")
    assert field(status, "problems") == 2 and field(status, "unknownValues") == 0
    await select(workspace, "small.config")
    status = await wait_for_status(workspace, "small.config")
    assert field(status, "path") == str(workspace.root / "small.config")
    assert field(status, "problems") == 0
    assert await select(workspace, None) == {
        "label": "no configuration",
        "path": None,
        "unknownValues": 0,
        "problems": 0,
    }
    await wait_for_status(workspace, "no configuration")


async def test_arguments_that_are_not_paths_are_said_and_change_nothing(workspace: Workspace) -> None:
    write_configuration_files(workspace)
    assert (await select(workspace, ".config"))["label"] == ".config"
    assert (await select(workspace, 5))["label"] == ".config"
    client = workspace.client
    await wait_until(client, types.WINDOW_SHOW_MESSAGE, lambda: len(client.messages) >= 1)
    assert "kconfig-ls.selectConfiguration takes file paths, not 5" in client.messages[-1].message


async def test_a_missing_configuration_file_is_a_problem_not_a_crash(workspace: Workspace) -> None:
    answer = await select(workspace, "does/not/exist/.config")
    assert answer["label"] == "no configuration" and answer["problems"] == 1
    client = workspace.client
    await wait_until(client, types.WINDOW_SHOW_MESSAGE, lambda: len(client.messages) >= 1)
    assert "configuration file does/not/exist/.config not found" in client.messages[-1].message


@pytest.mark.parametrize("initialization_options", [{"configFile": ["small.config"]}], indirect=True)
async def test_the_setting_chooses_the_configuration_and_a_change_of_it_switches(
    initialization_options: object, workspace: Workspace
) -> None:
    # The tree had no small.config when the server started: the status says so.
    first = await wait_for_status(workspace, "no configuration")
    assert field(first, "problems") == 1
    write_configuration_files(workspace)
    workspace.client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"kconfig-ls": {"configFile": ".config"}})
    )
    status = await wait_for_status(workspace, ".config")
    assert field(status, "problems") == 2


async def test_editing_the_open_configuration_file_re_evaluates_it(workspace: Workspace) -> None:
    write_configuration_files(workspace)
    await select(workspace, ".config")
    uri = workspace.open(".config", "kconfig-config")
    await workspace.diagnostics(uri, lambda found: {"KLS301", "KLS303"} <= {str(d.code) for d in found})
    # Delete the line of the unknown symbol in the buffer only (not saved): one problem left.
    line = CONFIG.splitlines().index("CONFIG_BOGUS=y")
    workspace.change(
        uri,
        [
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=line, character=0),
                    end=types.Position(line=line + 1, character=0),
                ),
                text="",
            )
        ],
    )
    await wait_until(
        workspace.client,
        STATUS,
        lambda: field(statuses(workspace)[-1], "problems") == 1 if statuses(workspace) else False,
    )
    # The findings follow the status (they are computed in the background).
    await workspace.diagnostics(uri, lambda found: {str(d.code) for d in found} == {"KLS303"})


@pytest.mark.parametrize("initialization_options", [{"inactiveRegions": True}], indirect=True)
async def test_inactive_regions_are_sent_for_c_files_and_makefiles(
    initialization_options: object, workspace: Workspace
) -> None:
    write_configuration_files(workspace)
    migrate = workspace.open("mm/migrate.c", "c")
    makefile = workspace.open("mm/Makefile", "makefile")
    compaction = workspace.open("mm/compaction.c", "c")
    await select(workspace, ".config")

    def latest(uri: str) -> Any:
        for item in reversed(regions(workspace)):
            if field(field(item, "textDocument"), "uri") == uri:
                return item
        return None

    def lines(uri: str) -> list[tuple[int, int]]:
        return [
            (field(field(r, "start"), "line"), field(field(r, "end"), "line"))
            for r in field(latest(uri), "regions")
        ]

    # The regions each file got when it was opened (no configuration yet: none) may arrive
    # before or after the command's answer; the configuration's regions come after them.
    await wait_until(
        workspace.client,
        REGIONS,
        lambda: (
            all(latest(uri) is not None for uri in (migrate, makefile, compaction))
            and lines(makefile) != []
            and lines(compaction) != []
        ),
    )

    # NUMA_MIGRATION is y (its default, with NUMA and MMU y): its `#ifdef` block is compiled.
    assert field(field(latest(migrate), "textDocument"), "version") == 1
    assert lines(migrate) == []
    assert lines(makefile) == [(4, 4)]  # `up := 1`, under `else` of `ifdef CONFIG_SMP`
    assert lines(compaction) == [(0, 1)]  # COMPACTION=n: the file is not built at all
    # Switch to a configuration without SMP: the `ifdef CONFIG_SMP` block turns off instead.
    count = len(regions(workspace))
    await select(workspace, "small.config")
    await wait_until(workspace.client, REGIONS, lambda: len(regions(workspace)) >= count + 3)
    assert lines(makefile) == [(2, 2)]
    assert lines(migrate) == [(1, 1)]  # NUMA is n now, so NUMA_MIGRATION is n
    # No configuration: every open file gets empty regions, so that a client ungreys its lines.
    count = len(regions(workspace))
    await select(workspace, None)
    await wait_until(workspace.client, REGIONS, lambda: len(regions(workspace)) >= count + 3)
    assert lines(makefile) == [] and lines(migrate) == [] and lines(compaction) == []


async def test_clients_without_the_notification_get_unnecessary_hints(workspace: Workspace) -> None:
    write_configuration_files(workspace)
    await select(workspace, "small.config")
    uri = workspace.open("mm/Makefile", "makefile")
    found = await workspace.diagnostics(
        uri, lambda found: any(d.tags and types.DiagnosticTag.Unnecessary in d.tags for d in found)
    )
    (hint,) = [d for d in found if d.tags]
    assert hint.severity == types.DiagnosticSeverity.Hint
    assert hint.message == "inactive in small.config"
    assert (hint.range.start.line, hint.range.end.line) == (2, 2)
    assert regions(workspace) == []


async def hover_text(workspace: Workspace, relative: str, needle: str) -> str:
    uri = workspace.open(relative)
    hover = await workspace.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=workspace.position(relative, needle, len(needle) - 1),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    return hover.contents.value


async def settled_hover_text(workspace: Workspace, relative: str, needle: str) -> str:
    """The hover once the configuration is evaluated on the current model.

    Opening a document makes a new snapshot; until the configuration is evaluated on it (in
    the background), a hover shows the last evaluation, labelled "re-evaluating after the
    edit", which is right but not what these tests are about.
    """
    for _ in range(100):
        text = await hover_text(workspace, relative, needle)
        if "re-evaluating after the edit" not in text:
            return text
        await asyncio.sleep(0.1)
    return text


async def test_the_hover_leads_with_the_value_and_what_blocks_it(workspace: Workspace) -> None:
    write_configuration_files(workspace)
    assert "(in .config)" not in await hover_text(workspace, "init/Kconfig", "config NUMA_BALANCING")
    await select(workspace, ".config")
    lines = (await settled_hover_text(workspace, "init/Kconfig", "config NUMA_BALANCING")).split("\n\n")
    assert lines[1] == (
        r"**NUMA\_BALANCING = n, missing dependency ARCH\_SUPPORTS\_NUMA\_BALANCING \[=n\]** *(in .config)*"
    )
    assert lines[2] == (
        "Depends on: `ARCH_SUPPORTS_NUMA_BALANCING [=n] && SMP [=y] && NUMA_MIGRATION [=y] && !PREEMPT_RT [=n]`"
    )
    # Within the first hover: nothing in this world selects ARCH_SUPPORTS_NUMA_BALANCING.
    assert lines[4] == (
        r"Cannot be enabled for this architecture: needs ARCH\_SUPPORTS\_NUMA\_BALANCING (nothing can set it here)"
    )
    assert lines[5].startswith("Blocked by\n- `ARCH_SUPPORTS_NUMA_BALANCING [=n]`: needs y; no prompt")
    migration = (await settled_hover_text(workspace, "mm/Kconfig", "config MIGRATION")).split("\n\n")
    assert migration[1] == r"**MIGRATION = y, selected by NUMA\_MIGRATION (mm/Kconfig:14)** *(in .config)*"


async def test_inlay_hints_show_values_and_lines_that_do_not_stick(workspace: Workspace) -> None:
    write_configuration_files(workspace)
    await select(workspace, ".config")
    client = workspace.client
    uri = workspace.open("mm/Kconfig")
    everything = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=99, character=0)
    )
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=uri), range=everything)
    )
    assert hints is not None
    text = workspace.text("mm/Kconfig")
    numa_line = workspace.position("mm/Kconfig", "depends on NUMA && MMU").line
    on_line = [(hint.position.character, hint.label) for hint in hints if hint.position.line == numa_line]
    line = text.splitlines()[numa_line]
    assert on_line == [(line.index("NUMA &&") + 4, "[=y]"), (len(line), "[=y]")]
    config_uri = workspace.open(".config", "kconfig-config")
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=config_uri), range=everything)
    )
    assert hints is not None
    assert [(hint.position.line, hint.label) for hint in hints] == [
        (2, "→ n: needs ARCH_SUPPORTS_NUMA_BALANCING [=n]")
    ]


async def test_code_lenses_resolve_to_counts_that_open_the_locations(workspace: Workspace) -> None:
    client = workspace.client
    uri = workspace.open("mm/Kconfig")
    lenses = await client.text_document_code_lens_async(
        types.CodeLensParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert lenses is not None
    migration_line = workspace.position("mm/Kconfig", "config MIGRATION").line
    titles = []
    for lens in lenses:
        if lens.range.start.line != migration_line:
            continue
        resolved = await client.code_lens_resolve_async(lens)
        assert resolved.command is not None and resolved.command.command == "kconfig-ls.showLocations"
        target_uri, position, locations = resolved.command.arguments or []
        assert target_uri == uri and position == {"line": migration_line, "character": 7}
        titles.append(
            (resolved.command.title, sorted(location["range"]["start"]["line"] for location in locations))
        )
    select_lines = sorted(
        workspace.position("mm/Kconfig", needle).line
        for needle in ("select MIGRATION\nconfig", "select MIGRATION\nendif")
    )
    assert titles == [("selected by 2", select_lines), ("0 uses in code", [])]


def test_clangds_client_capability_turns_the_notification_on(tree: Path) -> None:
    """The capability lsprotocol does not model: read from the raw `initialize` params."""
    (tree / ".config").write_text(SMALL_CONFIG, encoding="utf-8")
    client, process = RawClient.over_stdio(tree)
    try:
        answer = client.request(
            1,
            "initialize",
            {
                "processId": None,
                "rootUri": tree.as_uri(),
                "capabilities": {"textDocument": {"inactiveRegionsCapabilities": {"inactiveRegions": True}}},
                "initializationOptions": {"configFile": ".config"},
            },
        )
        assert "result" in answer
        client.notify("initialized", {})
        uri = (tree / "mm/migrate.c").as_uri()
        client.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "c",
                    "version": 7,
                    "text": (tree / "mm/migrate.c").read_text(encoding="utf-8"),
                }
            },
        )
        notification = client.wait_for_notification(
            lambda message: message["method"] == REGIONS and message["params"]["regions"] != []
        )
        assert notification is not None
        assert notification["params"] == {
            "textDocument": {"uri": uri, "version": 7},
            "regions": [{"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 18}}],
        }
        status = client.wait_for_notification(
            lambda message: message["method"] == STATUS and message["params"]["label"] == ".config"
        )
        assert status is not None and status["params"]["path"] == str(tree / ".config")
        assert not any(
            message["method"] == "textDocument/publishDiagnostics"
            and any(d.get("tags") for d in message["params"]["diagnostics"])
            for message in client.notifications
        )
    finally:
        process.kill()


@pytest.mark.parametrize("initialization_options", [{"inactiveRegions": True}], indirect=True)
async def test_an_edit_of_kconfig_re_evaluates_and_sends_the_regions_again(
    initialization_options: object, workspace: Workspace
) -> None:
    write_configuration_files(workspace)
    migrate = workspace.open("mm/migrate.c", "c")
    kconfig = workspace.open("mm/Kconfig")
    await select(workspace, ".config")

    def latest_lines() -> list[int] | None:
        for item in reversed(regions(workspace)):
            if field(field(item, "textDocument"), "uri") == migrate:
                return [field(field(r, "start"), "line") for r in field(item, "regions")]
        return None

    await wait_until(workspace.client, REGIONS, lambda: latest_lines() == [])
    # NUMA_MIGRATION's default becomes n: its #ifdef block in migrate.c turns inactive.
    start = workspace.position("mm/Kconfig", "default y\n\tdepends on NUMA")
    workspace.change(
        kconfig,
        [
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=start, end=types.Position(line=start.line, character=start.character + 9)
                ),
                text="default n",
            )
        ],
    )
    await wait_until(workspace.client, REGIONS, lambda: latest_lines() == [1])


async def test_kconfig_changes_that_keep_coming_do_not_postpone_the_status_forever(
    workspace: Workspace,
) -> None:
    """The status waits for a pause in the changes, but at most about a second after the first.

    A pure debounce lost the race to a client that kept changing a Kconfig file (here, every
    0.1 s, faster than the pause it waits for): answers stayed "re-evaluating" until it stopped.
    """
    write_configuration_files(workspace)
    kconfig = workspace.open("mm/Kconfig")
    await select(workspace, ".config")
    await wait_for_status(workspace, ".config")
    before = len(statuses(workspace))
    end = workspace.position("mm/Kconfig", "config MIGRATION")
    sent_while_changing = False
    for count in range(80):  # 8 s of changes; the status is due about 1 s after the first
        workspace.change(
            kconfig,
            [
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=end, end=end), text=f"# edit {count}\n" if count == 0 else "#"
                )
            ],
        )
        await asyncio.sleep(0.1)
        if len(statuses(workspace)) > before:
            sent_while_changing = True
            break
    assert sent_while_changing
