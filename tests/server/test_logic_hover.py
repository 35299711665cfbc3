"""Over the protocol: once the solver tier has run, MIGRATION's hover explains its selectors' findings.

The tree is the solver tier's (`test_logic_tier.py`): BALLOON selects MIGRATION
without depending on MMU, which arm leaves optional.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.fixtures import write_fixture
from tests.server.conftest import Workspace
from tests.server.test_logic_tier import LOGIC_TREE, codes


@pytest.fixture
def initialization_options() -> object:
    return {"kconfig-ls": {"environment": {"SRCARCH": "x86"}, "preview": True, "logic": True}}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_fixture(tmp_path, LOGIC_TREE)
    (tmp_path / "fill").mkdir()
    (tmp_path / "fill" / "Kconfig").write_text("config FILL_0\n\tbool\n", encoding="utf-8")
    return tmp_path


async def test_the_targets_hover_explains_the_select_that_leaves_its_dependency_unmet(
    workspace: Workspace,
) -> None:
    kconfig = workspace.open("Kconfig")
    await workspace.diagnostics(kconfig, lambda found: "KLS201" in codes(found))
    mm = workspace.open("mm/Kconfig")
    hover = await workspace.client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=mm),
            position=workspace.position("mm/Kconfig", "config MIGRATION", len("config MIGR")),
        )
    )
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    title, logic, finding, *_ = hover.contents.value.split("\n\n")
    assert (title, logic) == ("### MIGRATION", "**Logic**")
    assert finding.startswith(r"- BALLOON selects MIGRATION, but MIGRATION depends on MMU")
    assert finding.endswith("(arm: MMU=n, BALLOON=y) *(KLS201 select-unmet-dependency)*")
