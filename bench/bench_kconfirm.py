"""Benchmark and counts: kconfirm's semantic checks by logic (KLS209-KLS213) on a tree.

Loads the model, every world's symbol table (Linux: all architectures) and runs
`kconfig_ls.logic.redundancy.analyse_redundancy`, timed (wall and CPU; the machine is
shared, CPU is the fair figure). Prints the counts per kind; `--findings FILE` writes
them as JSON lines (for the precision samples).

    PYTHONPATH=$PWD python bench/bench_kconfirm.py [--tree PATH] [--findings FILE]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import time

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--findings", default="")
    arguments = parser.parse_args()

    from kconfig_ls.logic.redundancy import analyse_redundancy
    from kconfig_ls.logic.world_analysis import world_tables_for
    from kconfig_ls.semantics.model import KconfigModel
    from kconfig_ls.settings.project_file import ProjectSettings
    from kconfig_ls.settings.resolve import workspace_settings

    tree = os.path.abspath(arguments.tree)
    linux = os.path.isdir(os.path.join(tree, "arch", "x86"))
    rows: dict[str, object] = {"load_average": os.getloadavg()}
    start, cpu = time.perf_counter(), time.process_time()
    model = KconfigModel(workspace_settings(tree, ProjectSettings(), arch="x86" if linux else None))
    model.load()
    tables = world_tables_for(model)
    rows["tables"] = {
        "worlds": len(tables),
        "wall_seconds": round(time.perf_counter() - start, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
    }
    start, cpu = time.perf_counter(), time.process_time()
    analysis = analyse_redundancy(tables)
    rows["analysis"] = {
        "definitions": analysis.definitions,
        "queries": analysis.queries,
        "wall_seconds": round(time.perf_counter() - start, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
    }
    rows["findings"] = dict(collections.Counter(f.kind for f in analysis.findings))
    if arguments.findings:
        with open(arguments.findings, "w", encoding="utf-8") as handle:
            for f in analysis.findings:
                record = {"path": model.relative(f.location.path), "line": model.line_of(f.location) + 1}
                record.update({"kind": f.kind, "message": f.message})
                handle.write(json.dumps(record) + "\n")
    json.dump(rows, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
