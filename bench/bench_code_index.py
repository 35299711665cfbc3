"""Benchmark: indexing the C, Makefile and config side of Linux 6.12, against grep-style peers.

Rows, side by side in one run (medians over `--runs`, each in a fresh child
process so no run profits from another's memory; the OS page cache is warm
for every tool alike after the first read):

- cold index: `CodeIndex.build()` with no cache (worker processes, all cores);
- warm start: `CodeIndex.build()` from its on-disk cache;
- `git grep -c CONFIG_` over the same kinds of files (needs a git checkout:
  `--git-tree`, e.g. made once with `git init && git add -A && git commit`);
- `scripts/checkkconfigsymbols.py` (once: it takes about a minute), if `--checkkconfig`;
- find references of `CONFIG_SMP` on the warm index (thousands of uses);
- re-indexing one edited C file (`mm/migrate.c`);
- peak RSS of the cold index;
- the whole-kernel lint (Kconfig + C + Makefiles), with counts per rule.

    python bench/bench_code_index.py [--tree PATH] [--git-tree PATH] [--runs 3] [--checkkconfig]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_index(tree: str, cache: str) -> dict[str, Any]:
    from kconfig_ls.semantics.code_index import CodeIndex

    started = time.perf_counter()
    index = CodeIndex(tree, cache)
    index.build()
    built = time.perf_counter() - started
    references = index.references  # the inverted index is part of being ready
    ready = time.perf_counter() - started
    query_times = []
    for _ in range(20):
        query_started = time.perf_counter()
        found = [(r.path, r.span) for r in index.references.get("SMP", ())]
        query_times.append(time.perf_counter() - query_started)
    edit_times = []
    path = os.path.join(tree, "mm", "migrate.c")
    with open(path, "rb") as handle:
        data = handle.read()
    for number in range(20):
        edited = data.replace(b"#ifdef CONFIG_NUMA", b"#ifdef CONFIG_NUMA%d" % number, 1)
        edit_started = time.perf_counter()
        index.update_file(path, edited)
        _ = index.references  # rebuilding the inverted index is part of an edit
        edit_times.append(time.perf_counter() - edit_started)
    return {
        "build": built,
        "ready": ready,
        "files": len(index.entries),
        "scanned": index.statistics.scanned,
        "references": sum(len(v) for v in references.values()),
        "smp_uses": len(found),
        "smp_query_ms": statistics.median(query_times) * 1000,
        "edit_ms": statistics.median(edit_times) * 1000,
        "peak_rss_mb": _peak_rss_mb(),
    }


def _run_child(*arguments: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, __file__, "--child", *arguments], capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _time_command(command: list[str], cwd: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument(
        "--git-tree", help="a git checkout of the same tree, for git grep and checkkconfigsymbols"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--checkkconfig", action="store_true", help="also time scripts/checkkconfigsymbols.py"
    )
    parser.add_argument("--child", nargs=2, metavar=("TREE", "CACHE"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child_index(*arguments.child)))
        return 0
    tree = arguments.tree
    if not os.path.isfile(os.path.join(tree, "Kconfig")):
        print(f"no tree at {tree}: run bench/get_corpus.sh", file=sys.stderr)
        return 2
    cold, warm = [], []
    for _ in range(arguments.runs):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(_run_child(tree, cache))
            warm.append(_run_child(tree, cache))
    rows: list[tuple[str, str]] = []

    def median(results: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median(r[key] for r in results))

    cold_ready = median(cold, "ready")
    rows.append(
        (
            "cold index (files, references)",
            f"{cold_ready:.2f} s ({cold[0]['files']} files, {cold[0]['references']} references)",
        )
    )
    rows.append(("warm start from the cache", f"{median(warm, 'ready'):.2f} s"))
    rows.append(
        (
            "find references of CONFIG_SMP (warm)",
            f"{median(warm, 'smp_query_ms'):.3f} ms ({warm[0]['smp_uses']} uses)",
        )
    )
    rows.append(("re-index one edited C file (mm/migrate.c)", f"{median(warm, 'edit_ms'):.1f} ms"))
    rows.append(("peak RSS, cold index", f"{median(cold, 'peak_rss_mb'):.0f} MB"))
    if arguments.git_tree:
        grep = [
            _time_command(
                [
                    "git",
                    "grep",
                    "-c",
                    "CONFIG_",
                    "--",
                    "*.c",
                    "*.h",
                    "*.S",
                    "*Makefile*",
                    "*Kbuild*",
                    "*defconfig",
                ],
                arguments.git_tree,
            )
            for _ in range(arguments.runs)
        ]
        grep_median = statistics.median(grep)
        rows.append(("git grep -c CONFIG_ (same files)", f"{grep_median:.2f} s"))
        rows.append(("ratio cold index / git grep", f"{cold_ready / grep_median:.2f}x"))
        if arguments.checkkconfig:
            seconds = _time_command([sys.executable, "scripts/checkkconfigsymbols.py"], arguments.git_tree)
            rows.append(("scripts/checkkconfigsymbols.py (one run)", f"{seconds:.1f} s"))
            rows.append(("ratio cold index / checkkconfigsymbols", f"{cold_ready / seconds:.3f}x"))
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "kconfig_ls",
                "lint",
                tree,
                "--arch",
                "x86",
                "--cache-dir",
                cache,
                "--format",
                "json",
                "--fail-on",
                "never",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        lint_seconds = time.perf_counter() - started
    summary = json.loads(completed.stdout)["summary"]
    rows.append(
        ("whole-kernel lint, cold (Kconfig + code)", f"{lint_seconds:.2f} s wall, {summary['seconds']}")
    )
    for rule, count in summary["by_rule"].items():
        rows.append((f"  findings: {rule}", str(count)))
    width = max(len(name) for name, _ in rows)
    print(f"Linux tree: {tree}; medians of {arguments.runs} runs; {os.cpu_count()} cores")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
