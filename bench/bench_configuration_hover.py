"""Benchmark: the first hover of `n` symbols under a real configuration, enabling set included.

Issue 10: "Hover with values and why at most 20 ms p95", and for an `n`
symbol "the smallest set of changes that enables it (checked by
re-evaluating)". The hover searches the set itself within a CPU budget
(`analysis.active_configuration.HOVER_SEARCH_BUDGET`); a longer search is
finished in the background and shown by the next hover. This prints, for
`--symbols` random bool/tristate symbols at `n` (seeded), each hovered once
at its definition through the snapshot API as the server's handler does:

- the hover's time, CPU of the hovering thread (`time.thread_time`) and
  wall: p50, p95, max;
- what the first hover said: the verified set, "cannot be enabled for this
  architecture" (a symbol of another architecture), "no small set found",
  or "searching" (left to the background); then the background searches'
  times.

The configuration is evaluated before the first hover (the server does it
when the configuration is chosen), so the rows time the hover alone.

    python bench/bench_configuration_hover.py [--tree PATH] [--config FILE] [--symbols N] [--seed S]
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
from collections import Counter

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")
DEFAULT_CONFIG = "/usr/src/linux-config-6.12/config.amd64_none_amd64.xz"


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _summary(label: str, cpus: list[float], walls: list[float]) -> None:
    print(
        f"{label:<44} n={len(cpus):<4} cpu p50 {statistics.median(cpus) * 1000:6.1f} ms  "
        f"p95 {_quantile(cpus, 0.95) * 1000:6.1f} ms  max {max(cpus) * 1000:6.1f} ms | "
        f"wall p50 {statistics.median(walls) * 1000:6.1f} ms  p95 {_quantile(walls, 0.95) * 1000:6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--config", default=DEFAULT_CONFIG)
    parser.add_argument("--symbols", type=int, default=200)
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
    print(f"load average {os.getloadavg()[0]:.1f}; {arguments.tree}; {arguments.config}")
    host = AnalysisHost(
        AnalysisSettings(project_root=arguments.tree, arch="x86", index_code=False, index_unreached=False)
    )
    host.load()
    host.set_configuration([config_path])
    snapshot = host.snapshot()
    started = time.process_time()
    configuration = snapshot.active_configuration.configuration()
    assert configuration is not None
    print(f"evaluation (with what trials need, once per table): {time.process_time() - started:.2f} s cpu")

    table = snapshot.symbol_table()
    at_n = sorted(
        symbol.name
        for symbol in table
        if symbol.type in ("bool", "tristate") and configuration.value(symbol.name) == "n"
    )
    chosen = random.Random(arguments.seed).sample(at_n, min(arguments.symbols, len(at_n)))
    cpus: list[float] = []
    walls: list[float] = []
    said: Counter[str] = Counter()
    for name in chosen:
        # Its first definition in a file of this world (a symbol of x86's table may also be defined
        # in arch/arm/, whose hover shows no x86 values).
        definitions = table.get(name).definitions  # type: ignore[union-attr]
        own = [d for d in definitions if "/arch/" not in d.location.path or "/arch/x86/" in d.location.path]
        location = (own or list(definitions))[0].location
        text = snapshot.document_text(location.path)
        offset = text.find(name.encode(), location.span.start)
        if offset < 0:
            continue
        wall, cpu = time.perf_counter(), time.thread_time()
        hover = snapshot.hover(location.path, offset)
        cpus.append(time.thread_time() - cpu)
        walls.append(time.perf_counter() - wall)
        assert hover is not None, name
        markdown = hover.markdown
        if "*No values here: this file is" in markdown:
            said["no values (defined in another architecture's folder)"] += 1
        elif "*(in " not in markdown:
            raise AssertionError(f"{name}: no configuration section")
        elif "To enable: searching" in markdown:
            said["searching (background)"] += 1
        elif "(checked by evaluating it)" in markdown:
            said["the verified set"] += 1
        elif "Cannot be enabled for this architecture" in markdown:
            said["cannot be enabled for this architecture"] += 1
        elif "no small set of changes found" in markdown:
            said["no small set found"] += 1
        else:
            said["nothing to enable (no blockers)"] += 1
    print(f"{len(at_n)} symbols at n; {len(cpus)} hovered (seed {arguments.seed})")
    _summary("first hover of a symbol at n", cpus, walls)
    for what, count in said.most_common():
        print(f"    first hover says {what:<40} {count:4d} ({100 * count / len(cpus):.0f}%)")
    active = snapshot.active_configuration
    pending = active.take_pending()
    cpus, walls = [], []
    for name, wanted in pending:
        wall, cpu = time.perf_counter(), time.thread_time()
        active.search_enabling_set(name, wanted)
        cpus.append(time.thread_time() - cpu)
        walls.append(time.perf_counter() - wall)
    if cpus:
        _summary("    their searches in the background", cpus, walls)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
