"""The host's life cycle: before and after loading, edits, closes, disk changes, stale results."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import pytest

from kconfig_ls.analysis.cancellation import Cancelled
from kconfig_ls.analysis.host import AnalysisHost, LoadSummary
from kconfig_ls.analysis.snapshot import Analysis as Snapshot
from kconfig_ls.checks import registry
from kconfig_ls.ide import diagnostics as diagnostics_module
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from tests.fixtures import write_fixture
from tests.ide.support import analysis

TREE = """
//- /Kconfig
source "mm/Kconfig"
config USER
	bool "User"
	depends on MMU
//- /mm/Kconfig
config MMU
	bool "MMU support"
"""


def test_open_documents_are_answered_before_the_load(tmp_path: Path) -> None:
    written = write_fixture(tmp_path, TREE)
    host = AnalysisHost(AnalysisSettings(str(tmp_path)))
    path = str(written.files["mm/Kconfig"])
    host.set_document(path, b'config MMU\n\tbool "MMU support"\n\tsel\n')
    assert not host.loaded
    hover = host.hover(path, len(b"config M"))
    assert hover is not None and hover.markdown.startswith("### MMU")
    assert [f.rule_code for f in host.diagnostics_for(path, "syntax")] == ["KLS000"]
    assert [s.name for s in host.document_symbols(path)] == ["MMU"]
    host.load()
    assert host.loaded
    # The edit made before the load is still what the model sees.
    assert [f.rule_code for f in host.diagnostics_for(path, "syntax")] == ["KLS000"]
    assert "USER" in host.workspace.definitions


def test_closing_a_document_reverts_to_the_disk(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, TREE)
    path = str(written.files["mm/Kconfig"])
    host.set_document(path, b'config MMU_RENAMED\n\tbool "MMU support"\n')
    assert "MMU" not in host.workspace.definitions
    host.close_document(path)
    assert "MMU" in host.workspace.definitions and "MMU_RENAMED" not in host.workspace.definitions


def test_disk_changes_are_batched_and_open_documents_win(tmp_path: Path) -> None:
    host, written = analysis(tmp_path, TREE)
    root_path = str(written.files["Kconfig"])
    mm_path = str(written.files["mm/Kconfig"])
    host.set_document(root_path, host.document_text(root_path))
    written.files["mm/Kconfig"].write_text('config MMU2\n\tbool "Second MMU"\n', encoding="utf-8")
    written.files["Kconfig"].write_text("# changed on disk, but open in the editor\n", encoding="utf-8")
    (tmp_path / "Kconfig.new").write_text("config BRAND_NEW\n\tbool\n", encoding="utf-8")
    host.files_changed_on_disk([mm_path, root_path, str(tmp_path / "Kconfig.new")])
    assert "MMU2" in host.workspace.definitions
    assert "USER" in host.workspace.definitions  # the open buffer, not the disk
    assert "BRAND_NEW" in host.workspace.definitions


def test_whole_tree_checks_overtaken_by_an_edit_are_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, written = analysis(tmp_path, TREE)
    path = str(written.files["mm/Kconfig"])
    snapshot = host.snapshot()
    real = registry.run_checks

    def edit_while_checking(*arguments: object, **keywords: object) -> object:
        # An edit lands (on another thread) while the rules run.
        editor = threading.Thread(target=host.set_document, args=(path, b"config MMU\n\tbool\n"))
        editor.start()
        editor.join()
        return real(*arguments, **keywords)  # type: ignore[arg-type]

    monkeypatch.setattr(diagnostics_module, "run_checks", edit_while_checking)
    with pytest.raises(Cancelled):
        snapshot.full_findings()
    monkeypatch.setattr(diagnostics_module, "run_checks", real)
    fresh = host.snapshot()
    assert fresh.sequence == host.sequence and fresh.sequence > snapshot.sequence
    assert fresh.full_findings() is not None
    # The old snapshot still answers on its own text: queries never see a half-applied edit.
    assert b"MMU support" in snapshot.document_text(path)
    assert b"MMU support" not in fresh.document_text(path)


def test_a_newer_load_supersedes_an_older_one(tmp_path: Path) -> None:
    written = write_fixture(tmp_path, TREE)
    host = AnalysisHost(AnalysisSettings(str(tmp_path)))
    started = threading.Event()
    release = threading.Event()
    results: list[LoadSummary] = []

    def slow_progress(message: str, percentage: int | None) -> None:
        if message == "reading Kconfig files" and not started.is_set():
            started.set()
            release.wait(10)

    first = threading.Thread(target=lambda: results.append(host.load(slow_progress)))
    first.start()
    assert started.wait(10)
    second = host.load()
    release.set()
    first.join()
    assert not second.superseded
    assert results[0].superseded is True
    assert host.hover(str(written.files["Kconfig"]), len(b'source "mm/Kconfig"\nconfig US')) is not None


def test_non_kconfig_documents_do_not_invalidate_the_model(tmp_path: Path) -> None:
    host, _ = analysis(tmp_path, TREE)
    workspace, generation = host.workspace, host.workspace.generation
    host.set_document(str(tmp_path / "mm" / "memory.c"), b"#ifdef CONFIG_MMU\n#endif\n", "c")
    # The Kconfig model is untouched; only the code index takes the new text.
    assert host.workspace is workspace and workspace.generation == generation
    hover = host.hover(str(tmp_path / "mm" / "memory.c"), len(b"#ifdef CONFIG_M"))
    assert hover is not None and hover.markdown.startswith("### MMU")


class _RecordingLock:
    """One of the host's two locks, recording when the apply lock is taken under the host lock."""

    def __init__(self, inner: object, name: str, held: dict[int, dict[str, int]], wrong: list[str]) -> None:
        self.inner = inner
        self.name = name
        self.held = held
        self.wrong = wrong

    def __enter__(self) -> bool:
        mine = self.held.setdefault(threading.get_ident(), {})
        if self.name == "apply" and mine.get("host", 0) > 0:
            self.wrong.append(f"apply lock taken under the host lock in {threading.current_thread().name}")
        result = self.inner.__enter__()  # type: ignore[attr-defined]
        mine[self.name] = mine.get(self.name, 0) + 1
        return bool(result)

    def __exit__(self, *exc: object) -> None:
        self.held[threading.get_ident()][self.name] -= 1
        self.inner.__exit__(*exc)  # type: ignore[attr-defined]


def test_the_host_takes_its_two_locks_in_one_order(tmp_path: Path) -> None:
    # An hour-long server soak deadlocked: a load held the host lock and waited
    # for the apply lock while a snapshot held the apply lock and waited for
    # the host lock. `snapshot` takes the apply lock first; so must everything.
    written = write_fixture(tmp_path, TREE + "//- /main.c\n#ifdef CONFIG_MMU\n#endif\n")
    host = AnalysisHost(AnalysisSettings(str(tmp_path), index_code=True))
    held: dict[int, dict[str, int]] = {}
    wrong: list[str] = []
    host._lock = _RecordingLock(host._lock, "host", held, wrong)  # type: ignore[assignment]
    host._apply_lock = _RecordingLock(host._apply_lock, "apply", held, wrong)  # type: ignore[assignment]
    path = str(written.files["mm/Kconfig"])
    host.set_document(path, b'config MMU\n\tbool "MMU"\n')
    host.load()
    host.set_document(path, b'config MMU\n\tbool "MMU support"\n')
    assert host.snapshot().hover(path, len(b"config M")) is not None
    assert wrong == []


def test_a_snapshot_the_host_lets_go_is_freed_without_the_cyclic_collector(tmp_path: Path) -> None:
    # The active configuration refers back to its snapshot; the host breaks
    # that cycle when it lets a snapshot go, so reference counting frees the
    # snapshot (and its model) at once rather than a collection much later.
    host, written = analysis(tmp_path, TREE)
    path = str(written.files["mm/Kconfig"])
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        first = host.snapshot()
        first.active_configuration.status()
        released = weakref.ref(first)
        del first
        for number in range(8):
            host.set_document(path, b'config MMU\n\tbool "MMU support %d"\n' % number)
            host.snapshot().active_configuration.status()
        assert released() is None
    finally:
        if was_enabled:
            gc.enable()


def test_the_code_index_swapping_in_cancels_nothing(tmp_path: Path) -> None:
    write_fixture(tmp_path, TREE + "//- /main.c\n#ifdef CONFIG_MMU\n#endif\n")
    host = AnalysisHost(AnalysisSettings(str(tmp_path), index_code=True))
    before_index: list[Snapshot] = []

    def kconfig_ready() -> None:
        before_index.append(host.snapshot())

    host.load(kconfig_ready=kconfig_ready)
    (kconfig_snapshot,) = before_index
    assert kconfig_snapshot.code_index is None and host.snapshot().code_index is not None
    # Checks running on the Kconfig model's snapshot go on: no text changed.
    assert not kconfig_snapshot.cancellation.cancelled
    assert host.only_index_arrived(kconfig_snapshot.sequence, host.sequence)
    # What the whole-tree checks hear: every code file changed, no Kconfig file (the Kconfig rules' findings stay).
    summary = host.changes_between(kconfig_snapshot.sequence, host.sequence)
    assert not summary.everything and not summary.kconfig_files
    assert summary.code_files == {str(tmp_path / "main.c")}
    host.set_document(str(tmp_path / "Kconfig"), b"config OTHER\n\tbool\n")
    assert kconfig_snapshot.cancellation.cancelled
    assert not host.only_index_arrived(kconfig_snapshot.sequence, host.sequence)
