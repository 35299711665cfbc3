"""Benchmark: the server's configuration features on Linux 6.12 x86, through the snapshot API.

What the language server's handlers call, timed one call at a time (issue 10's
goals: hover with values and why at most 20 ms p95; the inactive regions of an
open C file at most 20 ms after each change):

- (a) choosing the configuration and its first evaluation (`configFile`,
  `kconfig-ls.selectConfiguration`), and the status line;
- (b) hover with values and why on `--symbols` random symbols of the table
  (seeded), at their definitions: all of them, and those at `n` (which also
  search the smallest enabling set); p50, p95, max;
- (c) inactive regions of open C files after an edit: the edit is submitted
  as an open document (tree-sitter, incremental), then the snapshot is
  brought up to date and the regions computed, as the server does;
- (d) inactive regions of Makefiles;
- (e) an edit of the open `.config` (one assignment toggled): the
  incremental re-evaluation, then the status (the configuration-file checks);
- (f) the first hover after an edit of a Kconfig file (a new model: its
  symbol table and the evaluation on it are made again).

Each row prints wall-clock and CPU (`time.process_time`) times; on a shared
machine CPU time is the steadier one.

    python bench/bench_configuration_server.py [--tree PATH] [--config FILE] [--symbols N]
"""

from __future__ import annotations

import argparse
import lzma
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")
DEFAULT_CONFIG = "/usr/src/linux-config-6.12/config.amd64_none_amd64.xz"
C_FILES = (
    "mm/page_alloc.c",
    "kernel/sched/core.c",
    "kernel/fork.c",
    "mm/memory.c",
    "fs/namei.c",
    "arch/x86/kernel/setup.c",
    "arch/x86/mm/init_64.c",
    "kernel/printk/printk.c",
    "net/core/dev.c",
    "drivers/tty/vt/vt.c",
    "init/main.c",
    "mm/slub.c",
    "kernel/module/main.c",
    "arch/x86/kernel/cpu/common.c",
    "mm/vmscan.c",
    "kernel/workqueue.c",
    "block/blk-core.c",
    "fs/exec.c",
    "kernel/signal.c",
    "drivers/base/core.c",
)
MAKEFILES = ("drivers/net/Makefile", "arch/x86/Makefile", "mm/Makefile", "kernel/Makefile", "Makefile")


def timed(function: Callable[[], Any]) -> tuple[float, float, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def row(name: str, wall: float, cpu: float) -> None:
    print(f"{name:<48} wall {wall * 1000:8.1f} ms | cpu {cpu * 1000:8.1f} ms")


def summary(name: str, walls: list[float], cpus: list[float]) -> None:
    def quantile(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    print(
        f"{name:<48} n={len(walls):<4} wall p50 {statistics.median(walls) * 1000:7.1f} ms  "
        f"p95 {quantile(walls, 0.95) * 1000:7.1f} ms  max {max(walls) * 1000:7.1f} ms | "
        f"cpu p50 {statistics.median(cpus) * 1000:7.1f} ms  p95 {quantile(cpus, 0.95) * 1000:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--config", default=DEFAULT_CONFIG)
    parser.add_argument("--symbols", type=int, default=300)
    parser.add_argument("--seed", type=int, default=10)
    arguments = parser.parse_args()

    from kconfig_ls.analysis.host import AnalysisHost
    from kconfig_ls.settings.analysis_settings import AnalysisSettings

    with open(arguments.config, "rb") as handle:
        data = handle.read()
    config_data = lzma.decompress(data) if arguments.config.endswith(".xz") else data
    folder = tempfile.mkdtemp(prefix="kconfig-ls-bench-")
    config_path = os.path.join(folder, ".config")
    with open(config_path, "wb") as handle:
        handle.write(config_data)

    print(
        f"load average {os.getloadavg()[0]:.1f}; tree {arguments.tree}; {arguments.config}", file=sys.stderr
    )
    host = AnalysisHost(
        AnalysisSettings(project_root=arguments.tree, arch="x86", index_code=False, index_unreached=False)
    )
    wall, cpu, _ = timed(host.load)
    print(f"{'load the Kconfig tree (not part of the goals)':<48} wall {wall:.2f} s, cpu {cpu:.2f} s")

    # (a) choose, evaluate, status.
    wall, cpu, _ = timed(lambda: host.set_configuration([config_path]))
    row("(a) choose the configuration (resolve, submit)", wall, cpu)
    snapshot = host.snapshot()
    wall, cpu, _ = timed(snapshot.symbol_table)
    row("    symbol table of the world (once per model)", wall, cpu)
    wall, cpu, configuration = timed(snapshot.active_configuration.configuration)
    row("    first evaluation", wall, cpu)
    wall, cpu, status = timed(snapshot.active_configuration.status)
    row("    status (configuration checks included)", wall, cpu)
    print(f"    {status.label}: {status.unknown_values} values unknown, {status.problems} problems")

    # (b) hover with values and why.
    table = snapshot.symbol_table()
    names = sorted(symbol.name for symbol in table)
    chosen = random.Random(arguments.seed).sample(names, min(arguments.symbols, len(names)))
    walls: list[float] = []
    cpus: list[float] = []
    walls_n: list[float] = []
    cpus_n: list[float] = []
    for name in chosen:
        location = table.get(name).location  # type: ignore[union-attr]
        text = snapshot.document_text(location.path)
        offset = text.find(name.encode(), location.span.start)
        if offset < 0:
            continue
        wall, cpu, hover = timed(lambda path=location.path, offset=offset: snapshot.hover(path, offset))
        assert hover is not None and "*(in " in hover.markdown, name
        walls.append(wall)
        cpus.append(cpu)
        if configuration.value(name) == "n":
            walls_n.append(wall)
            cpus_n.append(cpu)
    summary("(b) hover with values and why", walls, cpus)
    summary("    of symbols at n (with their blockers)", walls_n, cpus_n)
    walls, cpus = [], []
    active = snapshot.active_configuration
    for name, wanted in active.take_pending()[:20]:
        wall, cpu, _ = timed(lambda name=name, wanted=wanted: active.search_enabling_set(name, wanted))
        walls.append(wall)
        cpus.append(cpu)
    if walls:
        summary("    their enabling sets (background, 20 of them)", walls, cpus)

    # (c) inactive regions of open C files after an edit.
    walls, cpus = [], []
    for relative in C_FILES:
        path = os.path.join(arguments.tree, relative)
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as handle:
            original = handle.read()
        host.set_document(path, original, "c", 1)
        host.snapshot().inactive_code(path)  # the open (first parse), not an edit
        for version in range(2, 7):
            edited = original + b"/* edit %d */\n" % version
            wall, cpu, _ = timed(
                lambda path=path, edited=edited, version=version: (
                    host.set_document(path, edited, "c", version),
                    host.snapshot().inactive_code(path),
                )[1]
            )
            walls.append(wall)
            cpus.append(cpu)
        host.close_document(path)
    summary("(c) inactive regions of an open C file, per edit", walls, cpus)

    # (d) Makefiles.
    walls, cpus = [], []
    snapshot = host.snapshot()
    for relative in MAKEFILES:
        path = os.path.join(arguments.tree, relative)
        for _ in range(5):
            wall, cpu, _ = timed(lambda path=path: snapshot.inactive_code(path))
            walls.append(wall)
            cpus.append(cpu)
    summary("(d) inactive regions of a Makefile", walls, cpus)

    # (e) an edit of the open .config.
    walls, cpus, status_walls, status_cpus = [], [], [], []
    host.set_document(config_path, config_data, "kconfig-config", 1)
    host.snapshot().active_configuration.status()
    for version in range(2, 8):
        toggled = (
            config_data.replace(b"CONFIG_NUMA=y", b"# CONFIG_NUMA is not set")
            if version % 2 == 0
            else config_data.replace(b"CONFIG_E1000=m", b"CONFIG_E1000=y")
        )
        wall, cpu, _ = timed(
            lambda toggled=toggled, version=version: (
                host.set_document(config_path, toggled, "kconfig-config", version),
                host.snapshot().active_configuration.configuration(),
            )
        )
        walls.append(wall)
        cpus.append(cpu)
        wall, cpu, _ = timed(host.snapshot().active_configuration.status)
        status_walls.append(wall)
        status_cpus.append(cpu)
    summary("(e) re-evaluation after an edit of the open .config", walls, cpus)
    summary("    then the status (background: KLS3xx checks)", status_walls, status_cpus)

    # (f) the first hover after an edit of a Kconfig file: a new model, so a new symbol table and
    # a full evaluation of the configuration on it.
    walls, cpus = [], []
    kconfig = os.path.join(arguments.tree, "mm/Kconfig")
    with open(kconfig, "rb") as handle:
        kconfig_data = handle.read()
    host.set_document(kconfig, kconfig_data, "kconfig", 1)
    host.snapshot().hover(kconfig, kconfig_data.index(b"config MIGRATION") + 8)
    for version in range(2, 5):
        edited = kconfig_data.replace(b"config MIGRATION", b"# edit %d\nconfig MIGRATION" % version)
        wall, cpu, _ = timed(
            lambda edited=edited, version=version: (
                host.set_document(kconfig, edited, "kconfig", version),
                host.snapshot().hover(kconfig, edited.index(b"config MIGRATION") + 8),
            )
        )
        walls.append(wall)
        cpus.append(cpu)
    summary("(f) the first hover after an edit of mm/Kconfig", walls, cpus)


if __name__ == "__main__":
    main()
