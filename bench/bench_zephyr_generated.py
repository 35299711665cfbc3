"""How long Zephyr's in-memory generated files take: hardware model, modules, `Kconfig.dts`.

Run on a Zephyr tree (a west workspace's `zephyr/` folder, or any tree with
`Kconfig.zephyr`), or without a path on a synthetic tree of 3,500 binding
files and 900 boards (about as many as Zephyr 4.x has) in a west workspace
of 80 projects:

    python bench/bench_zephyr_generated.py [ZEPHYR_TREE] [--runs 5]

Prints the median CPU and wall time of `generated_files` (and, apart, of the
`Kconfig.dts` walk, of the no-board stand-in, which reads every board's
Kconfig files, and of the west manifest's resolution), with the load
average, since the machine may be shared. Nothing is written into the tree.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from kconfig_ls.settings.ecosystem import (
    ZEPHYR,
    _zephyr_no_board_text,
    ecosystem_environment,
    generated_files,
)
from kconfig_ls.settings.west_manifest import active_projects
from kconfig_ls.settings.zephyr_devicetree import devicetree_kconfig_text


def _synthetic_tree(folder: str, bindings: int = 3500, boards: int = 900) -> str:
    root = os.path.join(folder, "zephyr")
    for index in range(bindings):
        directory = os.path.join(root, "dts", "bindings", f"class{index % 40}")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"vendor,device-{index}.yaml"), "w", encoding="utf-8") as handle:
            handle.write(f'description: device {index}\n\ncompatible: "vendor,device-{index}"\n')
    with open(os.path.join(root, "Kconfig.zephyr"), "w", encoding="utf-8") as handle:
        handle.write('osource "$(KCONFIG_BINARY_DIR)/Kconfig.dts"\n')
    for index in range(boards):
        board = os.path.join(root, "boards", f"vendor{index % 60}", f"board{index}")
        os.makedirs(board)
        files = {
            "board.yml": (
                f"board:\n  name: board{index}\n  vendor: vendor{index % 60}\n  socs:\n  - name: soc{index}\n"
            ),
            f"Kconfig.board{index}": f"config BOARD_BOARD{index}\n\tselect SOC_PART{index % 300}\n",
            "Kconfig": (
                f"if BOARD_BOARD{index}\nconfig BOARD_OPTION{index}\n\tbool\n"
                f"\tselect SOC_FEATURE{index % 90}\nendif\n"
            ),
            "Kconfig.defconfig": f"if BOARD_BOARD{index}\nconfig NUM_IRQS\n\tdefault {index}\nendif\n",
        }
        for name, text in files.items():
            with open(os.path.join(board, name), "w", encoding="utf-8") as handle:
                handle.write(text)
    os.makedirs(os.path.join(folder, ".west"))
    with open(os.path.join(folder, ".west", "config"), "w", encoding="utf-8") as handle:
        handle.write("[manifest]\npath = zephyr\nfile = west.yml\n")
    projects = "".join(
        f"    - name: project{index}\n      revision: {index:040x}\n      path: modules/lib/project{index}\n"
        f"      groups:\n        - {'optional' if index % 10 == 0 else 'hal'}\n"
        for index in range(80)
    )
    with open(os.path.join(root, "west.yml"), "w", encoding="utf-8") as handle:
        handle.write(
            f"manifest:\n  group-filter: [-optional]\n  projects:\n{projects}  self:\n    path: zephyr\n"
        )
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
        board_cpu, board_wall = _measure(lambda: _zephyr_no_board_text(root), arguments.runs)
        top = os.path.dirname(root)
        west_cpu, west_wall = _measure(lambda: active_projects(top, os.path.basename(root)), arguments.runs)
        print(f"tree: {root} ({arguments.runs} runs)")
        print(f"load average: {os.getloadavg()[0]:.1f}")
        print(f"generated_files: median {cpu * 1000:.0f} ms CPU, {wall * 1000:.0f} ms wall")
        print(f"Kconfig.dts alone: median {dts_cpu * 1000:.0f} ms CPU, {dts_wall * 1000:.0f} ms wall")
        print(f"no-board stand-in: median {board_cpu * 1000:.0f} ms CPU, {board_wall * 1000:.0f} ms wall")
        print(f"west manifest alone: median {west_cpu * 1000:.1f} ms CPU, {west_wall * 1000:.1f} ms wall")


if __name__ == "__main__":
    main()
