"""The solver tier in the server: its findings arrive, follow edits, and never hold up typing.

The tree has two architectures (x86 with an MMU, arm where it is optional)
and the seed's two selectors of MIGRATION: COMPACTION depends on MMU,
BALLOON does not. With the preview rules and the logic on, the server
publishes the tree tier first (KLS001 graded by syntax), then, from the
background solver tier, KLS201 on BALLOON's select naming arm, and KLS001
re-graded (COMPACTION's select is a hint: it already guarantees MMU).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.fixtures import write_fixture
from tests.server.conftest import Workspace, wait_until


@pytest.fixture
def initialization_options() -> object:
    return {"kconfig-ls": {"environment": {"SRCARCH": "x86"}, "preview": True, "logic": True}}


LOGIC_TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
source "mm/Kconfig"
source "fill/Kconfig"
config BALLOON
	bool "Balloon"
	select MIGRATION
//- /mm/Kconfig
config MIGRATION
	bool "Page migration"
	depends on MMU
config COMPACTION
	bool "Compaction"
	depends on MMU
	select MIGRATION
//- /arch/x86/Kconfig
config MMU
	def_bool y
config MODULES
	bool "Modules"
	modules
//- /arch/arm/Kconfig
config MMU
	bool "MMU"
	default y
config MODULES
	bool "Modules"
	modules
"""

# Enough symbols that the first (cold) solver pass takes a while, so that typing
# and hovers happen while it runs.
FILLER = "".join(
    f'config FILL_{index}\n\tbool "Fill {index}"\n\tdepends on FILL_{index // 10} || MMU\n'
    f"\tselect TARGET_{index}\n"
    f"config TARGET_{index}\n\tbool\n\tdepends on FILL_{(index * 7) % 2000} && MODULES\n"
    for index in range(1, 1200)
)


@pytest.fixture
def tree(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    write_fixture(tmp_path, LOGIC_TREE)
    (tmp_path / "fill").mkdir()
    filler = FILLER if request.function.__name__.startswith("test_typing") else ""
    (tmp_path / "fill" / "Kconfig").write_text("config FILL_0\n\tbool\n" + filler, encoding="utf-8")
    return tmp_path


def codes(diagnostics: list[types.Diagnostic]) -> list[object]:
    return [d.code for d in diagnostics]


def logic_progress(workspace: Workspace) -> list[list[object]]:
    return [
        reports
        for token, reports in workspace.client.progress_reports.items()
        if str(token).startswith("kconfig-ls/logic/")
    ]


def logic_finished(workspace: Workspace) -> bool:
    return any(
        reports and isinstance(reports[-1], types.WorkDoneProgressEnd)
        for reports in logic_progress(workspace)
    )


async def test_the_solver_tiers_findings_arrive_with_progress(workspace: Workspace) -> None:
    uri = workspace.open("Kconfig")
    diagnostics = await workspace.diagnostics(uri, lambda found: "KLS201" in codes(found))
    (unmet,) = [d for d in diagnostics if d.code == "KLS201"]
    assert unmet.message.startswith("BALLOON selects MIGRATION, but MIGRATION depends on MMU")
    assert "(arm: MMU=n, BALLOON=y)" in unmet.message
    # KLS001 re-graded by the logic: a warning on BALLOON that points to KLS201.
    (regraded,) = [d for d in diagnostics if d.code == "KLS001"]
    assert "can leave unmet on arm (see select-unmet-dependency)" in regraded.message
    mm = workspace.open("mm/Kconfig")
    found = await workspace.diagnostics(
        mm,
        lambda found: any(d.severity == types.DiagnosticSeverity.Hint for d in found if d.code == "KLS001"),
    )
    assert [d.message.split(",")[0] for d in found if d.code == "KLS001"] == ["COMPACTION selects MIGRATION"]
    # The cold pass shows progress (a pass overtaken by the opening of a document shows it again).
    reports = logic_progress(workspace)
    assert reports
    for begin, *_, end in reports:
        assert isinstance(begin, types.WorkDoneProgressBegin) and begin.title == "Checking Kconfig logic"
        assert isinstance(end, types.WorkDoneProgressEnd)


async def test_an_edit_gets_the_new_result_from_the_solver_tier(workspace: Workspace) -> None:
    uri = workspace.open("Kconfig")
    await workspace.diagnostics(uri, lambda found: "KLS201" in codes(found))
    text = workspace.text("Kconfig")
    # Several edits in a row: each cancels the pass of the one before; the last one wins.
    for line in ("\tdepends on MODULES\n", "\tdepends on !MMU\n", "\tdepends on MMU\n"):
        edited = text.replace("\tselect MIGRATION", line + "\tselect MIGRATION", 1)
        workspace.change(uri, [types.TextDocumentContentChangeWholeDocument(text=edited)])
    diagnostics = await workspace.diagnostics(
        uri, lambda found: "KLS201" not in codes(found) and "KLS001" in codes(found)
    )
    (regraded,) = [d for d in diagnostics if d.code == "KLS001"]
    assert regraded.severity == types.DiagnosticSeverity.Hint
    assert "the selector already guarantees MIGRATION's dependencies" in regraded.message
    # And back: the finding returns on the next pass.
    workspace.change(uri, [types.TextDocumentContentChangeWholeDocument(text=text)])
    await workspace.diagnostics(uri, lambda found: "KLS201" in codes(found))


async def test_typing_and_hovers_are_answered_while_the_first_pass_runs(workspace: Workspace) -> None:
    uri = workspace.open("Kconfig")
    await wait_until(workspace.client, "$/progress", lambda: any(logic_progress(workspace)), timeout=120)
    assert not logic_finished(workspace)
    text = workspace.text("Kconfig")
    workspace.change(
        uri, [types.TextDocumentContentChangeWholeDocument(text=text + 'config BROKEN\n\tbool "x\n')]
    )
    await workspace.diagnostics(uri, lambda found: "KLS000" in codes(found))
    hover = await workspace.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=workspace.position("Kconfig", "MIGRATION", text=text),
        )
    )
    # Both answered: the pass was running when the edit was sent (asserted above). Whether it
    # is still running now depends on the machine's speed, so that is not asserted (a quiet
    # machine can finish the pass during the round trips).
    assert hover is not None
