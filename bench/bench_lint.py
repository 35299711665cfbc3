"""Benchmark: the whole-kernel lint as CI runs it, one process a run (targets: cold <= 6 s, unchanged <= 1 s).

Each run is `python -m kconfig_ls lint TREE --no-logic --cache-dir DIR -o FILE`
in a fresh interpreter, timed from outside: wall time, and CPU time (user +
system) of the process and every process it waited for (the code index's
workers), from `os.wait4`. Rows, medians over the runs:

- cold: a new, empty cache folder each run (no results cache, no code index
  cache): the first lint of a CI job without a cache;
- unchanged: the cache the last cold run left, the tree unchanged: a CI job
  with its cache restored, or a second lint.

The package's bytecode is compiled first (as an installed package has it;
`PYTHONDONTWRITEBYTECODE` would make every run compile ~200 modules), and
the reports of the cold and unchanged runs must be byte-identical (text
format). The load average is printed before and after: the CPU columns are
what counts on a shared machine.

    python bench/bench_lint.py [TREE] [--runs 3] [--cold-runs 3] [--logic] [--against CHECKOUT]

`--against CHECKOUT` times another checkout of the package (say, main's,
from `git worktree add` or `git archive`) in the same runs, interleaved run
by run with this one and in alternating order, so both see the same load;
the reports of the two must be byte-identical too.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")


class Run(NamedTuple):
    wall: float
    cpu: float
    exit_code: int
    report: bytes


def lint_once(tree: str, cache_directory: str, extra: list[str], repository: str = REPOSITORY) -> Run:
    report_path = os.path.join(cache_directory, "report.txt")
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPATH"] = repository
    command = [sys.executable, "-m", "kconfig_ls", "lint", tree, "--cache-dir", cache_directory]
    command += ["--format", "text", "-o", report_path, *extra]
    started = time.perf_counter()
    # From a neutral folder: the current folder would come first on the path (`-m`).
    process = subprocess.Popen(
        command, env=environment, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"lint failed ({process.returncode}): {errors.decode(errors='replace')[-2000:]}")
    with open(report_path, "rb") as handle:
        report = handle.read()
    os.unlink(report_path)
    return Run(wall, usage.ru_utime + usage.ru_stime, process.returncode, report)


def median_row(name: str, runs: list[Run]) -> str:
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    return f"{name:24} {wall:8.2f} {cpu:8.2f}   (wall {', '.join(f'{r.wall:.2f}' for r in runs)})"


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("tree", nargs="?", default=DEFAULT_TREE)
    parser.add_argument("--runs", type=int, default=3, help="unchanged-tree runs (default 3)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs (default 3)")
    parser.add_argument("--logic", action="store_true", help="lint with the logic (default: --no-logic)")
    parser.add_argument("--against", metavar="CHECKOUT", help="another checkout, timed in the same runs")
    arguments = parser.parse_args()
    arguments.tree = os.path.abspath(arguments.tree)
    checkouts = {"": REPOSITORY}
    if arguments.against:
        checkouts = {" (this)": REPOSITORY, " (against)": os.path.abspath(arguments.against)}
    for checkout in checkouts.values():
        compileall.compile_dir(os.path.join(checkout, "kconfig_ls"), quiet=1)
    extra = [] if arguments.logic else ["--no-logic"]
    print(f"tree {arguments.tree}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    workspace = tempfile.mkdtemp(prefix="kconfig-ls-bench-lint-")
    cold: dict[str, list[Run]] = {name: [] for name in checkouts}
    unchanged: dict[str, list[Run]] = {name: [] for name in checkouts}
    try:
        last_cache = {name: "" for name in checkouts}
        for number in range(arguments.cold_runs):
            order = list(checkouts.items())
            for name, checkout in order if number % 2 == 0 else reversed(order):
                cache_directory = os.path.join(workspace, f"cache-{number}{name.strip(' ()')}")
                os.makedirs(cache_directory)
                cold[name].append(lint_once(arguments.tree, cache_directory, extra, checkout))
                last_cache[name] = cache_directory
        for number in range(arguments.runs):
            order = list(checkouts.items())
            for name, checkout in order if number % 2 == 0 else reversed(order):
                unchanged[name].append(lint_once(arguments.tree, last_cache[name], extra, checkout))
    finally:
        shutil.rmtree(workspace, ignore_errors=True)
    runs = [run for name in checkouts for run in cold[name] + unchanged[name]]
    reports = {run.report for run in runs}
    first = runs[0].report
    findings = first.count(b"\n") - first.count(b"\n    ")
    print(f"{'row':24} {'wall s':>8} {'CPU s':>8}   medians; CPU = user + system of the lint and its workers")
    for name in checkouts:
        print(median_row(f"cold{name}", cold[name]))
        print(median_row(f"unchanged{name}", unchanged[name]))
    print(f"{findings} findings; reports byte-identical across runs: {len(reports) == 1}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if len(reports) != 1:
        sys.exit("the reports differ between runs")


if __name__ == "__main__":
    main()
