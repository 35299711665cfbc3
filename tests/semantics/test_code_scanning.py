"""The chunked scans of the code index: in worker processes, forked or spawned, in the walk's order."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from kconfig_ls.semantics import code_scanning
from kconfig_ls.semantics.code_index import CodeIndex


def _tree(root: Path, count: int) -> None:
    for number in range(count):
        folder = root / f"d{number % 7}"
        folder.mkdir(exist_ok=True)
        text = f"#ifdef CONFIG_A{number}\n#endif /* CONFIG_B{number} */\nint x = IS_ENABLED(CONFIG_C);\n"
        (folder / f"f{number}.c").write_text(text)


def _entries(root: Path) -> dict[str, object]:
    index = CodeIndex(str(root), workers=2)
    index.build()
    assert index.statistics.scanned == len(index.entries)
    return {path: entry[2:] for path, entry in index.entries.items()}


_START_METHODS = """
import threading
from kconfig_ls.semantics import code_scanning
alone = code_scanning.worker_context().get_start_method()
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
beside_a_thread = code_scanning.worker_context().get_start_method()
stop.set()
other.join()
print(alone, beside_a_thread)
"""


def test_workers_are_forked_only_without_other_threads() -> None:
    # In a fresh process: the suite's own may still hold a thread an earlier test started.
    completed = subprocess.run(
        [sys.executable, "-c", _START_METHODS],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    assert completed.stdout.split() == ["fork", "spawn"]


def test_forked_and_spawned_workers_index_alike(tmp_path: Path) -> None:
    # More files than `PARALLEL_THRESHOLD`: the chunks go to worker processes.
    _tree(tmp_path, code_scanning.PARALLEL_THRESHOLD + 5)
    forked = _entries(tmp_path)  # this test's process has one thread: forked workers
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        spawned = _entries(tmp_path)  # another thread: spawned workers
    finally:
        stop.set()
        other.join()
    assert forked == spawned
    in_process = CodeIndex(str(tmp_path), workers=1)
    in_process.build()
    assert {path: entry[2:] for path, entry in in_process.entries.items()} == forked
    assert sum(1 for entry in forked.values() if entry[1]) == len(forked)  # every file has references
