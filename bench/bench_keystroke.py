"""CPU per keystroke on the server's syntax-tier path, in-process, stage by stage.

    python bench/bench_keystroke.py [--tree /work/corpus/linux-source-6.12] [--arch x86]
                                    [--young-threshold 20000] [--profile]

Replays `bench/bench_server.py`'s typing (one character per change on a new
line after the first `config` entry of `mm/Kconfig`, 49 characters, twice)
through the pieces the server runs for a `didChange`, without the pipes:
the document store applies the change, the host takes it, the snapshot of
that version brings the model up to date (`apply_change`), the syntax tier,
the last whole-tree findings moved along with the edit, merged and converted
to LSP diagnostics, and the JSON encoding of the publish. Prints the CPU
time (`time.process_time`, this process only) per stage (median, p95) and
the cyclic collector's work meanwhile; the wall time of the real server is
`bench_server.py`'s "typing: syntax-tier publish". `--young-threshold` is
the young-generation threshold the server sets (`server/main.py`); 700 is
CPython's default. `--profile` adds a cProfile listing of the keystrokes.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import sys
import time
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from lsprotocol import types
from pygls.protocol import default_converter

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.moving import move_finding
from kconfig_ls.ide.diagnostics import merge_tiers
from kconfig_ls.server import convert
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.text.documents import DocumentStore

TYPED = "\tdepends on MMU && !SWAP # typed by the benchmark"
STAGES = (
    "document store",
    "host change",
    "snapshot (apply_change)",
    "syntax tier",
    "move findings",
    "merge + convert",
    "JSON",
    "total",
)


def run(tree: str, arch: str, young_threshold: int, profile: bool) -> None:
    host = AnalysisHost(AnalysisSettings(tree, arch=arch, index_code=False))
    host.load()
    path = os.path.join(tree, "mm", "Kconfig")
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    documents = DocumentStore()
    documents.open(path, text, 1, "kconfig")
    host.set_document(path, text.encode(), "kconfig", 1)
    full = host.snapshot().full_findings().get(path, [])
    paths = convert.PathMapper()
    converter = default_converter()
    target_line = next(i for i, line in enumerate(text.split("\n")) if line.startswith("config ")) + 2
    version = 1
    timings: dict[str, list[float]] = {stage: [] for stage in STAGES}

    def keystroke(start: tuple[int, int], end: tuple[int, int], inserted: str) -> None:
        nonlocal version, full
        version += 1
        change = types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(*start), types.Position(*end)), text=inserted
        )
        marks = [time.process_time()]
        changed = documents.change(path, [convert.text_change(change)], version, "utf-16")
        assert changed is not None
        document, edits = changed
        marks.append(time.process_time())
        sequence = host.set_document(path, document.data, document.language_id, document.version)
        marks.append(time.process_time())
        snapshot = host.snapshot(sequence)
        marks.append(time.process_time())
        syntax = snapshot.syntax_diagnostics(path)
        marks.append(time.process_time())
        moved = (move_finding(finding, {path: edits}, strict=False) for finding in full)
        full = [finding for finding in moved if finding is not None]
        marks.append(time.process_time())
        diagnostics = [
            convert.diagnostic(finding, snapshot.line_index, "utf-16", paths)
            for finding in merge_tiers(syntax, full)
        ]
        params = types.PublishDiagnosticsParams(
            uri=paths.uri(path), diagnostics=diagnostics, version=snapshot.overlay.version(path)
        )
        marks.append(time.process_time())
        json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "textDocument/publishDiagnostics",
                "params": converter.unstructure(params),
            }
        )
        marks.append(time.process_time())
        marks.append(marks[-1])
        for index, stage in enumerate(STAGES[:-1]):
            timings[stage].append((marks[index + 1] - marks[index]) * 1000)
        timings["total"].append((marks[-1] - marks[0]) * 1000)

    keystroke((target_line, 0), (target_line, 0), "\n")
    for samples in timings.values():
        samples.clear()
    gc.set_threshold(young_threshold, *gc.get_threshold()[1:])
    collections: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def collector(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            collections[info["generation"]].append((time.process_time() - started[0]) * 1000)

    gc.callbacks.append(collector)
    profiler = cProfile.Profile() if profile else None
    for _ in range(2):
        for column, character in enumerate(TYPED):
            if profiler is not None:
                profiler.enable()
            keystroke((target_line, column), (target_line, column), character)
            if profiler is not None:
                profiler.disable()
        keystroke((target_line, 0), (target_line, len(TYPED)), "")
    gc.callbacks.remove(collector)
    print(
        f"keystrokes in {os.path.relpath(path, tree)}: {len(timings['total'])}, "
        f"load average {os.getloadavg()[0]:.2f}, young-generation threshold {young_threshold}"
    )
    print(f"  {'stage (CPU ms)':28s} {'median':>8s} {'p95':>8s} {'max':>8s}")
    for stage, samples in timings.items():
        ordered = sorted(samples)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"  {stage:28s} {statistics.median(samples):8.2f} {p95:8.2f} {max(samples):8.2f}")
    for generation, durations in collections.items():
        print(
            f"  collections of generation {generation}: {len(durations)}, {sum(durations):.1f} ms CPU, "
            f"longest {max(durations, default=0):.1f} ms"
        )
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tree", default="/work/corpus/linux-source-6.12")
    parser.add_argument("--arch", default="x86")
    parser.add_argument("--young-threshold", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    run(arguments.tree, arguments.arch, arguments.young_threshold, arguments.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
