"""Issue 8's engine figures on Linux: edits, incremental whole-tree diagnostics, queries during checks.

Measured through `AnalysisHost` and its snapshots, the way the server uses
them (the server adds the 300 ms debounce and the JSON-RPC transport):

- for an edit of a help text, a `depends on` line and a `select` line of
  `mm/Kconfig`, and of the `if` line above the `source` lines of
  `drivers/Kconfig`: the time to bring the model up to the edit (the
  snapshot) and to recompute the whole-tree findings incrementally; the
  "published after a 300 ms pause" figure adds the debounce;
- hover and definition latency on snapshots while whole-tree checks run in
  another thread (p50, p95);
- the resident memory after the load and after the edits.

    python bench/bench_snapshots.py --tree /work/corpus/linux-source-6.12 [--edits 20]

Prints medians (and a JSON line with everything).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import sys
import threading
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kconfig_ls.analysis.cancellation import Cancelled
from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.incremental import ChangedInputs, RuleResults, incremental_findings
from kconfig_ls.settings.analysis_settings import AnalysisSettings

DEBOUNCE_SECONDS = 0.3


def _rss_megabytes() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def _findings(host: AnalysisHost, previous: tuple[int, RuleResults] | None) -> tuple[int, RuleResults]:
    snapshot = host.snapshot()
    if previous is None:
        changes = ChangedInputs(True, frozenset(), frozenset(), frozenset(), frozenset())
        results = None
    else:
        summary = host.changes_between(previous[0], snapshot.sequence)
        changes = ChangedInputs(
            summary.everything,
            summary.kconfig_files,
            summary.code_files,
            summary.symbols,
            summary.references,
            summary.names,
        )
        results = previous[1]
    computed = incremental_findings(
        results, changes, snapshot.model, snapshot.code_index, snapshot.rule_settings, snapshot.overlay
    )
    return snapshot.sequence, computed


def _edit_variants(original: bytes, kind: str) -> tuple[bytes, bytes]:
    if kind == "help":
        at = original.index(b"\thelp\n") + len(b"\thelp\n")
        at = original.index(b"Say ", at)
        return original[:at] + b"s" + original[at + 1 :], original
    if kind == "depends":
        needle = b"depends on MMU\n"
        at = original.index(needle)
        return original[:at] + b"depends on MMU && NUMA\n" + original[at + len(needle) :], original
    if kind == "select":
        needle = b"select MIGRATION\n"
        at = original.index(needle)
        return original[:at] + b"select MIGRATION_X\n" + original[at + len(needle) :], original
    # An `if` around every `source` line of drivers/Kconfig (below its `menu` line).
    menu_end = original.index(b"\n", original.index(b'menu "Device Drivers"')) + 1
    last = original.rindex(b"endmenu")
    edited = original[:menu_end] + b"if HAS_IOMEM\n" + original[menu_end:last] + b"endif\n" + original[last:]
    return edited, original


def run(tree: str, arch: str, edits: int) -> dict[str, Any]:
    started = time.perf_counter()
    host = AnalysisHost(
        AnalysisSettings(tree, arch=arch, cache_directory=os.path.expanduser("~/.cache/kconfig-ls"))
    )
    host.load()
    load_seconds = time.perf_counter() - started
    previous = _findings(host, None)
    rss_loaded = _rss_megabytes()
    results: dict[str, Any] = {
        "load_average_at_start": os.getloadavg()[0],
        "load_seconds": round(load_seconds, 3),
        "rss_after_load_mb": round(rss_loaded),
    }
    for kind, relative in (
        ("help", "mm/Kconfig"),
        ("depends", "mm/Kconfig"),
        ("select", "mm/Kconfig"),
        ("if-above-sources", "drivers/Kconfig"),
    ):
        path = os.path.join(tree, relative)
        original = host.snapshot().document_text(path)
        edited, restored = _edit_variants(original, kind)
        model_times: list[float] = []
        check_times: list[float] = []
        model_cpu: list[float] = []
        check_cpu: list[float] = []
        for number in range(edits):
            data = edited if number % 2 == 0 else restored
            begin, begin_cpu = time.perf_counter(), time.process_time()
            host.set_document(path, data, "kconfig")
            host.snapshot()
            middle, middle_cpu = time.perf_counter(), time.process_time()
            previous = _findings(host, previous)
            end, end_cpu = time.perf_counter(), time.process_time()
            model_times.append(middle - begin)
            check_times.append(end - middle)
            model_cpu.append(middle_cpu - begin_cpu)
            check_cpu.append(end_cpu - middle_cpu)
        host.close_document(path)
        previous = _findings(host, previous)
        total = [m + c for m, c in zip(model_times, check_times, strict=True)]
        results[kind] = {
            "model_ms_median": round(statistics.median(model_times) * 1000, 1),
            "checks_ms_median": round(statistics.median(check_times) * 1000, 1),
            "published_after_pause_ms_median": round((statistics.median(total) + DEBOUNCE_SECONDS) * 1000, 1),
            "max_ms": round(max(total) * 1000, 1),
            # CPU time of this process (the host's work runs in this thread): what a quiet
            # machine's wall time approaches; the wall figures above grow with the load.
            "model_cpu_ms_median": round(statistics.median(model_cpu) * 1000, 1),
            "checks_cpu_ms_median": round(statistics.median(check_cpu) * 1000, 1),
            "published_after_pause_cpu_ms_median": round(
                (
                    statistics.median([m + c for m, c in zip(model_cpu, check_cpu, strict=True)])
                    + DEBOUNCE_SECONDS
                )
                * 1000,
                1,
            ),
        }
    # Queries while whole-tree checks run in another thread.
    stop = threading.Event()

    def checks() -> None:
        state = previous
        while not stop.is_set():
            with contextlib.suppress(Cancelled):
                state = (
                    state[0],
                    incremental_findings(
                        None,
                        ChangedInputs(True, frozenset(), frozenset(), frozenset(), frozenset()),
                        host.snapshot().model,
                        host.snapshot().code_index,
                        host.snapshot().rule_settings,
                    ),
                )

    sys.setswitchinterval(0.001)  # as the server sets it
    worker = threading.Thread(target=checks, daemon=True)
    worker.start()
    mm = os.path.join(tree, "mm/Kconfig")
    text = host.snapshot().document_text(mm)
    offsets = [
        text.index(b"config MIGRATION") + 8,
        text.index(b"depends on MMU") + 12,
        text.index(b"NUMA") + 1,
    ]
    hover_times: list[float] = []
    definition_times: list[float] = []
    for number in range(200):
        offset = offsets[number % len(offsets)]
        snapshot = host.snapshot()
        begin = time.perf_counter()
        snapshot.hover(mm, offset)
        middle = time.perf_counter()
        snapshot.definition(mm, offset)
        end = time.perf_counter()
        hover_times.append((middle - begin) * 1000)
        definition_times.append((end - middle) * 1000)
    stop.set()
    worker.join(timeout=30)

    def p95(samples: list[float]) -> float:
        return round(sorted(samples)[int(len(samples) * 0.95) - 1], 2)

    results["hover_ms"] = {"median": round(statistics.median(hover_times), 2), "p95": p95(hover_times)}
    results["definition_ms"] = {
        "median": round(statistics.median(definition_times), 2),
        "p95": p95(definition_times),
    }
    results["rss_after_edits_mb"] = round(_rss_megabytes())
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3)
    results["load_average_at_end"] = os.getloadavg()[0]
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", default="/work/corpus/linux-source-6.12")
    parser.add_argument("--arch", default="x86")
    parser.add_argument("--edits", type=int, default=20)
    arguments = parser.parse_args()
    results = run(arguments.tree, arguments.arch, arguments.edits)
    for key, value in results.items():
        print(f"{key}: {value}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
