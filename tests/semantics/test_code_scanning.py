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


_PREPARED_POOL = """
import sys, threading
from kconfig_ls.cli.lint import _BackgroundIndex
from kconfig_ls.semantics import code_scanning
from kconfig_ls.semantics.code_index import CodeIndex

taken = []
original = code_scanning._take_prepared
code_scanning._take_prepared = lambda workers: taken.append(original(workers)) or taken[-1]
# A scanner that had to start its own pool would ask for a context: it must not.
def no_context():
    raise AssertionError("the scanner started a pool of its own")
code_scanning.worker_context = no_context
index = CodeIndex(sys.argv[1], workers=2)
background = _BackgroundIndex(index, None, fork=True)
background.proceed()  # forks the workers while this is the only thread, then starts the index thread
background.wait()
alone = CodeIndex(sys.argv[1], workers=1)
alone.build()
assert taken and taken[0] is not None and taken[0]._mp_context.get_start_method() == "fork"
assert not code_scanning._PREPARED
assert list(index.entries) == list(alone.entries) and index.entries == alone.entries
print(index.statistics.scanned, threading.active_count())
"""


def test_the_lint_command_forks_its_scan_workers_before_its_index_thread(tmp_path: Path) -> None:
    _tree(tmp_path, code_scanning.PARALLEL_THRESHOLD + 5)
    completed = subprocess.run(
        [sys.executable, "-c", _PREPARED_POOL, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == [str(code_scanning.PARALLEL_THRESHOLD + 5), "1"]


def test_prepared_workers_nobody_takes_are_released() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kconfig_ls.semantics import code_scanning as c\n"
            "assert c.prepare_workers(2) and len(c._PREPARED) == 1\n"
            "c.release_prepared_workers()\n"
            "import threading; print(len(c._PREPARED), threading.active_count())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    assert completed.stdout.split() == ["0", "1"]
