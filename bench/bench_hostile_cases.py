"""The long and exponential hostile cases of issue 13, timed through `kconfig-ls lint` (medians of runs).

    PYTHONPATH=. python bench/bench_hostile_cases.py --runs 3 [--timeout 120]

Each case is a one-file tree (plus nothing else); each run is a fresh
`python -m kconfig_ls lint --kconfig-only --no-cache` with a timeout, so a
case that hangs prints "> TIMEOUT". Run it on two branches for a before/after.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {
    "A := $(B) x 20000": "B := b\nA := " + "$(B)" * 20_000 + "\n",
    "40 lines of macro doubling, empty output": "A0 =\n"
    + "".join(f"A{i} = $(A{i - 1})$(A{i - 1})\n" for i in range(1, 41))
    + "X := $(A40)\n",
    "$(info) doubling": "A0 = x\n"
    + "".join(f"A{i} = $(info,$(A{i - 1}))$(A{i - 1})$(A{i - 1})\n" for i in range(1, 41))
    + "X := $(A40)\n",
    "simple := doubling, 40 lines": "B := x\n" + "B := $(B)$(B)$(info,$(B))\n" * 40,
    "depends on S0 && ... && S19999": 'config LONG\n\tbool "l"\n\tdepends on '
    + " && ".join(f"S{i}" for i in range(20_000))
    + "\n",
}


def run(text: str, timeout: float) -> float | None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "Kconfig").write_text(text)
        started = time.perf_counter()
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "kconfig_ls",
                    "lint",
                    "--kconfig-only",
                    "--no-cache",
                    "--fail-on",
                    "never",
                    folder,
                ],
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120)
    arguments = parser.parse_args()
    for name, text in CASES.items():
        times = [run(text, arguments.timeout) for _ in range(arguments.runs)]
        finished = [t for t in times if t is not None]
        shown = (
            f"{statistics.median(finished):8.2f} s"
            if len(finished) == len(times)
            else f"> TIMEOUT {arguments.timeout:.0f} s"
        )
        print(f"{name:45s} {shown}", flush=True)


if __name__ == "__main__":
    main()
