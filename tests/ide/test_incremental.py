"""The host's incremental model equals a fresh load after any sequence of edits.

Edits are whole lines drawn from a pool that touches everything the model
derives: entries, attributes, selects, `if`/`endif`, menus and `source`
statements (which force a re-link), half-typed lines and non-ASCII text.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.syntax.expression import render
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
config A
	bool "A é"
	select B
source "sub/Kconfig"
//- /sub/Kconfig
if A
config B
	bool
	depends on C
endif
config C
	def_bool y
//- /other/Kconfig
config D
	bool "D 😀"
"""

LINE_POOL = [
    "config A",
    "config E",
    '\tbool "E ☕"',
    "\tbool",
    "\tselect C",
    "\tselect B if A",
    "\tdepends on A && !C",
    "\tdefault y if C",
    "if C",
    "endif",
    'menu "M"',
    "endmenu",
    'source "other/Kconfig"',
    "\tsel",
    "\tdepends on ",
    "",
    "\thelp",
    "\t  help text é",
]
FILES = ["Kconfig", "sub/Kconfig", "other/Kconfig"]


def model_summary(workspace: KconfigModel) -> tuple[object, ...]:
    definitions = sorted(
        (
            name,
            workspace.relative(d.path),
            d.type_name or "",
            tuple(p.text for p in d.prompts),
            render(d.direct_dependency()),
            tuple((s.target, s.span.start) for s in d.selects),
            d.reached,
            d.menu_path,
        )
        for name, sites in workspace.definitions.items()
        for d in sites
    )
    selected = sorted(
        (target, selector.name, reverse.span.start)
        for target, pairs in workspace.selected_by.items()
        for selector, reverse in pairs
    )
    references = sorted(
        (name, r.kind, workspace.relative(r.location.path), r.location.span.start, r.location.span.end)
        for name, refs in workspace.references.items()
        for r in refs
    )
    return tuple(definitions), tuple(selected), tuple(references)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(FILES),
            st.integers(0, 12),
            st.integers(0, 2),
            st.lists(st.sampled_from(LINE_POOL), max_size=3),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_incremental_host_equals_fresh_load(
    tmp_path_factory: object, edits: list[tuple[str, int, int, list[str]]]
) -> None:
    root: Path = tmp_path_factory.mktemp("tree")  # type: ignore[attr-defined]
    write_fixture(root, TREE)
    host = AnalysisHost(AnalysisSettings(str(root), read_project_file=False))
    host.load()
    texts = {name: (root / name).read_text(encoding="utf-8") for name in FILES}
    for name, line, removed, inserted in edits:
        lines = texts[name].split("\n")
        line = min(line, len(lines))
        lines[line : line + removed] = inserted
        texts[name] = "\n".join(lines)
        host.set_document(str(root / name), texts[name].encode("utf-8"))
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
    fresh = AnalysisHost(AnalysisSettings(str(root), read_project_file=False))
    fresh.load()
    assert model_summary(host.workspace) == model_summary(fresh.workspace)
