"""Startup imports of `kconfig-ls --version`: total and per module, median of several runs.

    PYTHONPATH=$PWD python bench/bench_startup_imports.py [--runs 15] [--source DIR ...]

Each run is a fresh `python -X importtime -m kconfig_ls --version`; the
script prints, per source folder (default: this checkout), the median
cumulative import time of `kconfig_ls.cli.main` and of the `multiprocessing`
packages imported at startup, and the process's CPU time (user + sys).
Give several `--source` folders (an older checkout) to compare them in the
same run. Import times are wall clock as Python measures them: report the
load average with them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys


def one_run(source: str) -> tuple[dict[str, tuple[int, int]], float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "kconfig_ls", "--version"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": source},
        # `-m` puts the current folder first on the path: run from the source folder.
        cwd=source,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    times: dict[str, tuple[int, int]] = {}
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, total, name = (part.strip() for part in line[len("import time:") :].split("|"))
        times[name] = (int(own), int(total))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return times, cpu


def _process_machinery(name: str) -> bool:
    top = name.split(".")[0]
    return top in ("multiprocessing", "_multiprocessing") or name == "concurrent.futures.process"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--source", action="append", default=None)
    arguments = parser.parse_args()
    sources = arguments.source or [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
    print(f"load average {os.getloadavg()[0]:.2f}; {arguments.runs} runs each, medians")
    for source in sources:
        main_times, multiprocessing_times, cpu_times, modules = [], [], [], 0
        for _ in range(arguments.runs):
            times, cpu = one_run(source)
            main_times.append(times.get("kconfig_ls.cli.main", (0, 0))[1])
            # Each module's own time, summed: `multiprocessing.*` and what only a process pool needs.
            parts = [own for name, (own, _) in times.items() if _process_machinery(name)]
            multiprocessing_times.append(sum(parts))
            cpu_times.append(cpu)
            modules = len(parts)
        print(
            f"{source}: kconfig_ls.cli.main {statistics.median(main_times) / 1000:.1f} ms, "
            f"process-pool modules {modules} ({statistics.median(multiprocessing_times) / 1000:.1f} ms "
            f"of their own), process CPU {statistics.median(cpu_times) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
