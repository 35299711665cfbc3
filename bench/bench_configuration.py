"""Benchmark: evaluating a configuration natively against kconfiglib, on Linux 6.12 x86.

The goals (issue 10): evaluating Linux x86 with a full `.config` in at most
1 s, and re-evaluating after an edit of the configuration file in at most
100 ms. kconfiglib is the comparison: its load of the tree (without running
commands) plus `load_config` and reading every symbol's value, measured in
the same process and run.

Rows (medians over `--runs` repetitions, one process; the model and symbol
table are loaded once, outside the timings):

- (a) our first evaluation of a table: compiling the table (once per table)
  and evaluating every symbol;
- (b) our evaluation of another configuration on the same table (compiled
  table reused, no previous evaluation to start from);
- (c) re-evaluation after an edit of the configuration: one assignment
  changed (a driver toggled, NUMA turned off), a comment line inserted at
  the top (every line number moves), each from the previous evaluation;
- (d) kconfiglib: load the tree, `load_config`, read every `str_value`;
  and `load_config` plus reading the values alone (tree already loaded);
- (e) inactive `#if` regions of a large C file from the evaluated
  configuration: from its scan, and with the scan;
- the ratio (a) / (d).

Times are wall-clock medians; on a loaded machine add `--cpu` to print CPU
time (`time.process_time`) instead.

    python bench/bench_configuration.py [--tree PATH] [--config FILE] [--runs N]
"""

from __future__ import annotations

import argparse
import lzma
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")
DEFAULT_CONFIG = "/usr/src/linux-config-6.12/config.amd64_none_amd64.xz"


def _median_seconds(function: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _config_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read()
    return lzma.decompress(data) if path.endswith(".xz") else data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--config", default=DEFAULT_CONFIG)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cpu", action="store_true", help="measure CPU time instead of wall time")
    arguments = parser.parse_args()
    if arguments.cpu:
        time.perf_counter = time.process_time  # every timing below, CPU time instead

    from kconfig_ls.logic import calculation
    from kconfig_ls.logic.configuration import (
        ConfigSource,
        ProbePolicy,
        compiled_table,
        evaluate_configuration,
        read_assignments,
    )
    from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
    from kconfig_ls.semantics.model import KconfigModel
    from kconfig_ls.semantics.symbols import build_symbol_table
    from kconfig_ls.settings.project_file import ProjectSettings
    from kconfig_ls.settings.resolve import workspace_settings

    settings = workspace_settings(arguments.tree, ProjectSettings(), arch="x86")
    model = KconfigModel(settings)
    model.load()
    data = _config_bytes(arguments.config)
    path = os.path.basename(arguments.config).removesuffix(".xz")

    def first_evaluation() -> None:
        # A fresh table each time: nothing compiled, nothing memoised.
        table = build_symbol_table(model, "x86")
        started = time.perf_counter()
        evaluate_configuration(table, ConfigSource(path, data))
        first_times.append(time.perf_counter() - started)

    first_times: list[float] = []
    for _ in range(arguments.runs):
        first_evaluation()
    row_a = statistics.median(first_times)

    table = build_symbol_table(model, "x86")
    compiled = compiled_table(table)
    base = evaluate_configuration(table, ConfigSource(path, data))
    row_b_times = []
    for _ in range(arguments.runs):
        started = time.perf_counter()
        assignments = read_assignments(table, (ConfigSource(path, data),))
        calculation.Evaluation(
            table, compiled, (ConfigSource(path, data),), ProbePolicy.UNKNOWN, assignments, None
        ).run()
        row_b_times.append(time.perf_counter() - started)
    row_b = statistics.median(row_b_times)

    edits = {
        "one driver toggled (CONFIG_E1000E=m -> n)": data.replace(
            b"CONFIG_E1000E=m", b"# CONFIG_E1000E is not set"
        ),
        "NUMA turned off": data.replace(b"CONFIG_NUMA=y", b"# CONFIG_NUMA is not set"),
        "comment inserted at the top": b"# edited\n" + data,
    }
    edit_rows: list[tuple[str, float, int]] = []
    for label, edited in edits.items():
        times = []
        recomputed = 0
        for run in range(arguments.runs):
            text = edited + f"\n# run {run}\n".encode()
            started = time.perf_counter()
            result = evaluate_configuration(table, ConfigSource(path, text), previous=base)
            times.append(time.perf_counter() - started)
            recomputed = result.recomputed
        edit_rows.append((label, statistics.median(times), recomputed))

    from kconfig_ls.logic.inactive_regions import inactive_regions
    from kconfig_ls.syntax.c_preprocessor import scan_c

    region_rows = []
    for c_file in ("mm/page_alloc.c", "kernel/sched/core.c"):
        with open(os.path.join(arguments.tree, c_file), "rb") as c_handle:
            c_data = c_handle.read()
        scan = scan_c(c_data)
        from_scan = _median_seconds(lambda scan=scan: inactive_regions(scan, base.value), arguments.runs)
        with_scan = _median_seconds(
            lambda c_data=c_data: inactive_regions(scan_c(c_data), base.value), arguments.runs
        )
        region_rows.append((c_file, from_scan, with_scan, len(inactive_regions(scan, base.value))))

    with tempfile.NamedTemporaryFile("wb", suffix=".config", delete=False) as handle:
        handle.write(data)
        config_path = handle.name
    try:

        def kconfiglib_all() -> None:
            tree = load_with_kconfiglib(settings.root, settings.root_kconfig, settings.environment)
            tree.load_config(config_path)
            for name in tree.symbol_names():
                tree.value_of(name)

        row_d = _median_seconds(kconfiglib_all, arguments.runs)
        loaded = load_with_kconfiglib(settings.root, settings.root_kconfig, settings.environment)

        def kconfiglib_config() -> None:
            loaded.load_config(config_path)
            for name in loaded.symbol_names():
                loaded.value_of(name)

        row_d_config = _median_seconds(kconfiglib_config, arguments.runs)
    finally:
        os.unlink(config_path)

    print(f"Linux 6.12 x86, {len(table)} symbols, {arguments.config}, median of {arguments.runs}")
    print(f"(a) first evaluation (compile table + evaluate)   {row_a * 1000:8.1f} ms")
    print(f"(b) evaluation on a compiled table                {row_b * 1000:8.1f} ms")
    for label, seconds, recomputed in edit_rows:
        print(f"(c) re-evaluation, {label:40s} {seconds * 1000:8.1f} ms ({recomputed} symbols recomputed)")
    for c_file, from_scan, with_scan, count in region_rows:
        print(
            f"(e) inactive regions of {c_file:20s} {from_scan * 1000:6.1f} ms from the scan, "
            f"{with_scan * 1000:6.1f} ms with it ({count} regions)"
        )
    print(f"(d) kconfiglib load + load_config + all values    {row_d * 1000:8.1f} ms")
    print(f"    kconfiglib load_config + all values           {row_d_config * 1000:8.1f} ms")
    print(f"ratio (a)/(d)                                      {row_a / row_d:8.2f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
