"""Snapshots: every client sees the same findings, open buffers win, worlds stay apart, races are safe."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import pytest

from kconfig_ls.analysis.cancellation import Cancelled
from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.incremental import ChangedInputs, incremental_findings
from kconfig_ls.cli.main import main
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from tests.fixtures import write_fixture
from tests.ide.support import analysis

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
config COMPACTION
	bool "Compaction"
	select MIGRATION
config MIGRATION
	bool "Page migration"
	depends on MMU
config USER
	bool "User"
	depends on MMU && SMP
//- /arch/x86/Kconfig
config MMU
	def_bool y
config SMP
	bool "Symmetric multi-processing support"
	select USE_GENERIC_SMP_HELPERS
config USE_GENERIC_SMP_HELPERS
	bool
//- /arch/arm/Kconfig
config MMU
	bool "MMU-based Paged Memory Management Support"
	default y
config SMP
	bool "Symmetric Multi-Processing"
	depends on CPU_V7
	default n
	select HAVE_ARM_SCU
config CPU_V7
	bool
config HAVE_ARM_SCU
	bool
//- /arch/arm/mm/fault.c
#ifdef CONFIG_MMU
int fault(void);
#endif
//- /mm/migrate.c
#ifdef CONFIG_MIGRATION
int migrate(void) { return IS_ENABLED(CONFIG_NOPE); }
#endif
"""


def test_hover_of_a_per_architecture_symbol_speaks_of_the_configured_world_only(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, TREE, environment={"SRCARCH": "x86"})
    root = str(written.files["Kconfig"])
    hover = host.hover(root, host.document_text(root).index(b"SMP\n") + 1)
    assert hover is not None
    main_part, _, others = hover.markdown.partition("**Other architectures**")
    assert "Symmetric multi-processing support" in main_part
    # Nothing of arm's SMP in x86's description: no CPU_V7, no default n, no HAVE_ARM_SCU.
    for arm_only in ("CPU_V7", "Defaults", "HAVE_ARM_SCU", "Symmetric Multi-Processing"):
        assert arm_only not in main_part, arm_only
    assert "arm: `arch/arm/Kconfig:" in others


def test_definition_from_an_architecture_file_goes_to_that_architecture_first(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, TREE, environment={"SRCARCH": "x86"})
    fault = str(written.files["arch/arm/mm/fault.c"])
    places = host.definition(fault, len(b"#ifdef CONFIG_M"))
    assert [host.relative(place.path) for place in places] == ["arch/arm/Kconfig", "arch/x86/Kconfig"]
    root = str(written.files["Kconfig"])
    places = host.definition(root, host.document_text(root).index(b"MMU &&") + 1)
    assert [host.relative(place.path) for place in places] == ["arch/x86/Kconfig", "arch/arm/Kconfig"]


def test_a_suppression_typed_into_an_open_c_buffer_works_before_saving(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, TREE, environment={"SRCARCH": "x86"})
    path = str(written.files["mm/migrate.c"])
    assert any(f.rule_code == "KLS101" for f in host.diagnostics_for(path))
    edited = host.document_text(path).replace(b"(CONFIG_NOPE); }", b"(CONFIG_NOPE); } // kconfig-ls: ignore")
    host.set_document(path, edited, "c")
    assert not any(f.rule_code == "KLS101" for f in host.diagnostics_for(path))
    assert b"kconfig-ls: ignore" not in written.files["mm/migrate.c"].read_bytes()  # never saved


def test_lint_query_and_the_host_report_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    write_fixture(tmp_path, TREE)
    (tmp_path / ".kconfig-ls.toml").write_text('[environment]\nSRCARCH = "x86"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    host = AnalysisHost(AnalysisSettings(str(tmp_path), cache_directory=None))
    host.load()
    snapshot = host.snapshot()
    from_host = sorted(
        (snapshot.relative(f.location.path), f.location.span.start, f.rule_code)
        for findings in snapshot.full_findings().values()
        for f in findings
    )
    capfd.readouterr()
    main(["lint", str(tmp_path), "--no-cache", "--format", "json", "--fail-on", "never"])
    from_lint = sorted(
        (f["path"], f["start_byte"], f["code"]) for f in json.loads(capfd.readouterr().out)["findings"]
    )
    assert from_lint == from_host
    assert {code for _, _, code in from_host} >= {"KLS001", "KLS101"}


def test_edits_racing_whole_tree_checks_log_no_error_and_end_fresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 8's race: edits every 2 ms while checks run: no error, no stale result, fresh at the end."""
    host, written = analysis(tmp_path, TREE, environment={"SRCARCH": "x86"})
    path = str(written.files["Kconfig"])
    original = host.document_text(path)
    stop = threading.Event()

    def edit() -> None:
        count = 0
        while not stop.is_set():
            count += 1
            extra = b"".join(
                b'config EXTRA%d\n\tbool "x"\n\tselect MIGRATION\n' % i for i in range(count % 5)
            )
            host.set_document(path, original + extra)
            time.sleep(0.002)

    editor = threading.Thread(target=edit)
    caplog.set_level(logging.WARNING)
    editor.start()
    results = None
    completed = cancelled = 0
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        snapshot = host.snapshot()
        try:
            results = incremental_findings(
                results,
                ChangedInputs(True, frozenset(), frozenset(), frozenset(), frozenset()),
                snapshot.model,
                snapshot.code_index,
                snapshot.rule_settings,
                snapshot.overlay,
                snapshot.cancellation,
            )
            completed += 1
        except Cancelled:
            cancelled += 1
    stop.set()
    editor.join()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert completed + cancelled > 0
    final = host.snapshot()
    fresh = AnalysisHost(AnalysisSettings(str(tmp_path), environment={"SRCARCH": "x86"}))
    fresh.set_document(path, final.document_text(path))
    fresh.load()
    expected = sorted(
        (f.rule_code, f.message) for fs in fresh.snapshot().full_findings().values() for f in fs
    )
    assert sorted((f.rule_code, f.message) for fs in final.full_findings().values() for f in fs) == expected


def test_hovers_and_references_say_when_the_snapshot_is_partial(tmp_path: Path) -> None:
    written = write_fixture(tmp_path, TREE)
    host = AnalysisHost(
        AnalysisSettings(str(tmp_path), arch="x86", read_project_file=False, code_index_workers=1)
    )
    kconfig = str(written.files["Kconfig"])
    host.set_document(kconfig, written.files["Kconfig"].read_bytes(), "kconfig")
    offset = written.files["Kconfig"].read_bytes().index(b"MIGRATION\n") + 1
    before = host.snapshot()
    assert before.load_state.partial_reason == "Kconfig files are still being read"
    hover = before.hover(kconfig, offset)
    assert hover is not None and "*Partial: Kconfig files are still being read" in hover.markdown
    during: list[tuple[str | None, str]] = []

    def kconfig_ready() -> None:
        snapshot = host.snapshot()
        answer = snapshot.hover(kconfig, offset)
        during.append((snapshot.load_state.partial_reason, answer.markdown if answer else ""))

    host.load(kconfig_ready=kconfig_ready)
    [(reason, markdown)] = during
    assert reason == "C, Makefile and config files are still being indexed"
    assert "*Partial: C, Makefile and config files are still being indexed" in markdown
    after = host.snapshot()
    assert after.load_state.partial_reason is None
    complete = after.hover(kconfig, offset)
    assert complete is not None and "Partial" not in complete.markdown
    assert any(site.location.path.endswith("migrate.c") for site in after.references(kconfig, offset))
