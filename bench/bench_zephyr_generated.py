"""How long Zephyr's in-memory generated files take: hardware model, modules, `Kconfig.dts`.

Run on a Zephyr tree (a west workspace's `zephyr/` folder, or any tree with
`Kconfig.zephyr`), or without a path on a synthetic tree of 3,500 binding
files (about as many as Zephyr 4.x has):

    python bench/bench_zephyr_generated.py [ZEPHYR_TREE] [--runs 5]

Prints the median CPU and wall time of `generated_files` (and, apart, of the
`Kconfig.dts` walk alone), with the load average, since the machine may be
shared. Nothing is written into the tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kconfig_ls.settings.ecosystem import ZEPHYR, ecosystem_environment, generated_files
from kconfig_ls.settings.zephyr_devicetree import devicetree_kconfig_text


def _synthetic_tree(folder: str, bindings: int = 3500) -> str:
    root = os.path.join(folder, "zephyr")
    for index in range(bindings):
        directory = os.path.join(root, "dts", "bindings", f"class{index % 40}")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"vendor,device-{index}.yaml"), "w", encoding="utf-8") as handle:
            handle.write(f'description: device {index}\n\ncompatible: "vendor,device-{index}"\n')
    with open(os.path.join(root, "Kconfig.zephyr"), "w", encoding="utf-8") as handle:
        handle.write('osource "$(KCONFIG_BINARY_DIR)/Kconfig.dts"\n')
    return root


def _measure(function: object, runs: int) -> tuple[float, float]:
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(runs):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        function()  # type: ignore[operator]
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", help="a Zephyr tree (default: a synthetic one)")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = os.path.abspath(arguments.tree) if arguments.tree else _synthetic_tree(folder)
        environment = ecosystem_environment(ZEPHYR, root)
        cpu, wall = _measure(lambda: generated_files(ZEPHYR, root, environment), arguments.runs)
        bindings = [os.path.join(root, "dts", "bindings")]
        dts_cpu, dts_wall = _measure(lambda: devicetree_kconfig_text(bindings), arguments.runs)
        print(f"tree: {root} ({arguments.runs} runs)")
        print(f"load average: {os.getloadavg()[0]:.1f}")
        print(f"generated_files: median {cpu * 1000:.0f} ms CPU, {wall * 1000:.0f} ms wall")
        print(f"Kconfig.dts alone: median {dts_cpu * 1000:.0f} ms CPU, {dts_wall * 1000:.0f} ms wall")


if __name__ == "__main__":
    main()
