"""Benchmark: the Kconfig parser alone, on every Kconfig file of a tree, and on long lines.

Why: the parser is the first step of every load and of every keystroke in a
Kconfig buffer, and hostile inputs (issue 13) include one-line expressions
with 20,000 operands, which must parse in linear time. This script times
`parse_kconfig` over all files named `Kconfig*` of a tree (bytes read into
memory first, so disk time is excluded) and over synthetic long lines, and
prints medians. The expression memo is cleared before every run, so each run
parses every expression once, as a cold load does. Times are CPU times of
this process (`time.process_time`): the parser is single-threaded, and CPU
time is far less disturbed than wall time on a shared machine.

    python bench/bench_kconfig_parse.py [--tree PATH] [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable

from kconfig_ls.syntax import expression as expression_module
from kconfig_ls.syntax.kconfig import parse_kconfig

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")


def read_tree(tree: str) -> list[tuple[str, bytes]]:
    files: list[tuple[str, bytes]] = []
    for folder, subfolders, names in os.walk(tree):
        subfolders.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.startswith("Kconfig") and os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as stream:
                    files.append((path, stream.read()))
    return files


def median_seconds(run: Callable[[], object], runs: int) -> float:
    times: list[float] = []
    for _ in range(runs):
        expression_module._cache.clear()
        started = time.process_time()
        run()
        times.append(time.process_time() - started)
    return statistics.median(times)


def long_line_cases(operands: int) -> dict[str, bytes]:
    names = [f"S{i}" for i in range(operands)]
    return {
        f"depends on with {operands} '&&' operands": (
            "config A\n\tbool\n\tdepends on " + " && ".join(names) + "\n"
        ).encode(),
        f"depends on with {operands} '||' operands": (
            "config A\n\tbool\n\tdepends on " + " || ".join(names) + "\n"
        ).encode(),
        f"default with {operands} operands and a condition": (
            "config A\n\tbool\n\tdefault " + " && ".join(names) + " if B\n"
        ).encode(),
        f"if with {operands} operands over {operands // 10} continuation lines": (
            "if "
            + " \\\n".join(
                " || ".join(names[i : i + 10]) + (" ||" if i + 10 < operands else "")
                for i in range(0, operands, 10)
            )
            + "\nconfig A\n\tbool\nendif\n"
        ).encode(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--operands", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    results: dict[str, float] = {}
    files = read_tree(arguments.tree)
    if files:

        def parse_all() -> None:
            for path, data in files:
                parse_kconfig(data, path)

        results[f"{len(files)} Kconfig files of {arguments.tree}"] = median_seconds(parse_all, arguments.runs)
    for label, data in long_line_cases(arguments.operands).items():
        results[label] = median_seconds(lambda data=data: parse_kconfig(data, "Kconfig"), arguments.runs)
    width = max(len(label) for label in results)
    for label, seconds in results.items():
        print(f"{label:<{width}}  {seconds * 1000:10.1f} ms")
    if arguments.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
