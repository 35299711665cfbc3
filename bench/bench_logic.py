"""Benchmark: the configuration logic on Linux 6.12 (issue 9's speed targets).

Rows (each in a fresh child process, so no run profits from another's memo):

- `all-cold`: every architecture, every select check, from nothing: load
  the 21 worlds' symbol tables, encode them as one formula, ask every
  query (target <= 60 s). The table load is reported on its own, since it
  belongs to the engine core, not the logic.
- `x86-cold`: x86 alone, the same steps (target <= 15 s).
- `warm`: the same analysis answered from the on-disk cache, fingerprint
  included (target <= 2 s).
- `liveness`: every architecture, dead symbols, prompts and defaults
  (KLS203-KLS205) from nothing (the select rows' budget: <= 60 s).
- `encoding-memory`: Python allocations of the all-architecture encoding
  alone, by `tracemalloc` (target <= 600 MB), and the child's peak RSS.
- `all-logic`: every architecture, the select analysis and then liveness on
  the one formula, one after the other in one process (the liveness takes
  the select analysis's solver over); `logic_cpu_seconds` is the CPU after
  the tables.
- `lint-logic`: every architecture, both analyses as a lint of every logic
  rule asks them (`logic.world_analysis`): the tables of the 21 worlds
  (sharing their derivations), the encoding, then the selects in this
  process while a forked child computes the liveness. Reported: the CPU of
  each phase and of the child, and the critical path (tables + encoding +
  the longer of selects and liveness), the figure two free cores give.
- `warm-both`: both analyses from the on-disk cache, fingerprint included
  (target <= 2 s; the editor's model load is `model_seconds`).

Also printed: queries asked, selects removed by the syntactic pre-filter.
The machine is shared: medians of `--runs` children, with the load average;
`cpu_seconds` is the child's CPU time (user + system), the fair figure on a
loaded machine.

    PYTHONPATH=$PWD python bench/bench_logic.py [--tree PATH] [--runs 1] [--rows lint-logic,warm-both]
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


def _child(mode: str, tree: str, cache: str) -> dict[str, Any]:
    import tracemalloc

    from kconfig_ls.logic.select_analysis import analyse_selects
    from kconfig_ls.logic.tristate_encoding import encode_worlds
    from kconfig_ls.logic.world_analysis import select_analysis_for
    from kconfig_ls.semantics.model import KconfigModel
    from kconfig_ls.semantics.worlds import world_tables
    from kconfig_ls.settings.project_file import ProjectSettings
    from kconfig_ls.settings.resolve import workspace_settings

    settings = workspace_settings(tree, ProjectSettings(), arch="x86")
    result: dict[str, Any] = {}
    if mode == "warm":
        model = KconfigModel(settings)
        model.load()
        select_analysis_for(model, cache)  # fills the cache (not timed)
        import kconfig_ls.logic.world_analysis as world_analysis

        world_analysis._MEMORY.clear()
        world_analysis.release_formula()
        started = time.perf_counter()
        analysis = select_analysis_for(model, cache)
        result["seconds"] = time.perf_counter() - started
        result["findings"] = len(analysis.unmet)
        return result
    if mode == "liveness":
        from kconfig_ls.logic.liveness import analyse_liveness

        started = time.perf_counter()
        tables = world_tables(settings, None)
        loaded = time.perf_counter()
        encoding = encode_worlds(tables)
        encoded = time.perf_counter()
        liveness = analyse_liveness(tables, encoding=encoding)
        done = time.perf_counter()
        result.update(
            tables_seconds=loaded - started,
            encode_seconds=encoded - loaded,
            query_seconds=done - encoded,
            seconds=done - started,
            queries=liveness.queries,
            dead=len(liveness.dead),
        )
        result["cpu_seconds"] = _cpu_seconds()
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result
    if mode in ("lint-logic", "warm-both"):
        return _lint_logic(mode, settings, cache)
    if mode == "all-logic":
        from kconfig_ls.logic.liveness import analyse_liveness

        started = time.perf_counter()
        tables = world_tables(settings, None)
        loaded = time.perf_counter()
        loaded_cpu = _cpu_seconds()
        encoding = encode_worlds(tables)
        encoded = time.perf_counter()
        encoded_cpu = _cpu_seconds()
        analysis = analyse_selects(tables, encoding=encoding)
        selected = time.perf_counter()
        selected_cpu = _cpu_seconds()
        liveness = analyse_liveness(tables, encoding=encoding)
        done = time.perf_counter()
        result.update(
            tables_seconds=loaded - started,
            tables_cpu_seconds=loaded_cpu,
            encode_cpu_seconds=encoded_cpu - loaded_cpu,
            select_cpu_seconds=selected_cpu - encoded_cpu,
            liveness_cpu_seconds=_cpu_seconds() - selected_cpu,
            logic_cpu_seconds=_cpu_seconds() - loaded_cpu,
            logic_seconds=done - loaded,
            seconds=done - started,
            queries=analysis.queries + liveness.queries,
            findings=len(analysis.unmet),
            dead=len(liveness.dead),
            encoding_seconds=encoded - loaded,
            select_seconds=selected - encoded,
        )
        result["cpu_seconds"] = _cpu_seconds()
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result
    worlds = ["x86"] if mode == "x86-cold" else None
    started = time.perf_counter()
    tables = world_tables(settings, worlds)
    loaded = time.perf_counter()
    if mode == "encoding-memory":
        tracemalloc.start()
        encoding = encode_worlds(tables)
        current, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result["encoding_mb"] = current / 1e6
        result["variables"] = encoding.variable_count
        result["clauses"] = len(encoding.clauses)
    else:
        encoding = encode_worlds(tables)
        encoded = time.perf_counter()
        analysis = analyse_selects(tables, encoding=encoding)
        done = time.perf_counter()
        result.update(
            tables_seconds=loaded - started,
            encode_seconds=encoded - loaded,
            query_seconds=done - encoded,
            logic_seconds=done - loaded,
            seconds=done - started,
            queries=analysis.queries,
            prefiltered=analysis.prefiltered,
            analysed=len(analysis.analysed),
            findings=len(analysis.unmet),
        )
    result["cpu_seconds"] = _cpu_seconds()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _lint_logic(mode: str, settings: Any, cache: str) -> dict[str, Any]:
    """Both analyses as a lint of every logic rule asks them (`world_analysis`, the liveness forked).

    `lint-logic` is cold (the cache is not read); `warm-both` fills the
    cache first (not timed), then answers both from it, fingerprint included.
    The CPU of the forked liveness child is `child_cpu_seconds`; the
    critical path is the tables, the encoding, and the longer of the
    selects (parent) and the liveness (child).
    """
    import kconfig_ls.logic.world_analysis as world_analysis
    from kconfig_ls.semantics.model import KconfigModel

    result: dict[str, Any] = {}
    started = time.perf_counter()
    model = KconfigModel(settings)
    model.load()
    result["model_seconds"] = time.perf_counter() - started
    result["model_cpu_seconds"] = _cpu_seconds()
    world_analysis.expect_analyses(("selects", "liveness"))
    if mode == "warm-both":
        world_analysis.select_analysis_for(model, cache)
        world_analysis.liveness_analysis_for(model, cache)
        world_analysis._MEMORY.clear()
        world_analysis.release_formula()
        before_cpu = _cpu_seconds()
        started = time.perf_counter()
        selects = world_analysis.select_analysis_for(model, cache)
        liveness = world_analysis.liveness_analysis_for(model, cache)
        result["seconds"] = time.perf_counter() - started
        result["cpu_seconds"] = _cpu_seconds() - before_cpu
        result["findings"] = len(selects.unmet)
        result["dead"] = len(liveness.dead)
        return result
    before_cpu = _cpu_seconds()
    started = time.perf_counter()
    world_analysis.tables_for(model)
    result["tables_seconds"] = time.perf_counter() - started
    result["tables_cpu_seconds"] = _cpu_seconds() - before_cpu
    encoded_cpu = _cpu_seconds()
    world_analysis.formula_for(model)
    result["encode_cpu_seconds"] = _cpu_seconds() - encoded_cpu
    select_cpu = _cpu_seconds()
    selects = world_analysis.select_analysis_for(model)  # forks the liveness child
    result["select_cpu_seconds"] = _cpu_seconds() - select_cpu
    liveness = world_analysis.liveness_analysis_for(model)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["child_cpu_seconds"] = children.ru_utime + children.ru_stime
    result["logic_seconds"] = time.perf_counter() - started
    result["parent_cpu_seconds"] = _cpu_seconds() - before_cpu
    result["critical_path_cpu_seconds"] = (
        result["tables_cpu_seconds"]
        + result["encode_cpu_seconds"]
        + max(result["select_cpu_seconds"], result["child_cpu_seconds"])
    )
    result["findings"] = len(selects.unmet)
    result["dead"] = len(liveness.dead)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--rows", default="x86-cold,all-cold,liveness,all-logic,lint-logic,warm,warm-both,encoding-memory"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(_child(arguments.child, arguments.tree, arguments.cache)))
        return 0
    with tempfile.TemporaryDirectory() as cache:
        for row in arguments.rows.split(","):
            runs = []
            for _ in range(arguments.runs):
                output = subprocess.run(
                    [sys.executable, __file__, "--tree", arguments.tree, "--child", row, "--cache", cache],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                runs.append(json.loads(output.strip().splitlines()[-1]))
            keys = runs[0].keys()
            median = {key: statistics.median(run[key] for run in runs) for key in keys}
            shown = ", ".join(
                f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value}"
                for key, value in median.items()
            )
            print(f"{row}: {shown} (load average {os.getloadavg()[0]:.1f})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
