"""Benchmark: the logic re-check after an edit (issue 9: one Kconfig file <= 300 ms).

On Linux 6.12, after a cold analysis (not timed; every architecture by
default, `--worlds x86` for one), each edit of `mm/Kconfig` is applied to
the editor's model and `IncrementalLogic.update` brings the select and
liveness analyses up to date; the edit is then undone (a second sample).
Printed per edit: medians of CPU time (`time.process_time`, the fair
figure on a shared machine) and wall time over `--runs` rounds (each an
edit and its undo), the first and the largest sample (the first edit of
the file loads the solver the updates use), the
symbols changed and affected, selects and liveness questions re-asked and
solver queries; the load average. After the cold run the solver of the
edits is loaded for `mm/Kconfig`, as the server does for the open files,
and taught the old "no"s an edit of it can re-ask (`IncrementalLogic.prepare`,
`logic.incremental_warming`; `--no-prepare`: the first edit loads it, untaught).

Edits: a `depends on` line added to MIGRATION, a `select` line added to
COMPACTION, a help-text line of MIGRATION changed (re-asks nothing). The
re-check of an edited C file (KLS206-208 of `mm/migrate.c`) is measured by
`bench/bench_dead_blocks.py --edit mm/migrate.c` (rows `one-file`, `one-file-rules`).

`--check`: after the first edit of each kind and its undo, the analyses are
computed again from nothing (every world loaded afresh from the edited
texts, a cold analysis; not timed) and compared with the incremental ones:
every select analysed, every unmet select (place, worlds, dependency) and
every dead item must be equal (the witness of an unmet select is one model
among many, so its values are not compared). A difference stops the bench.

`--against CHECKOUT`: the bench runs twice, each time in a child process
(this script, the package imported from this checkout, then from
CHECKOUT; sequential, since each holds the whole formula), and prints each
child's rows with the checkout's name: both in the same invocation, so
they see the same machine.

    PYTHONPATH=$PWD python bench/bench_logic_incremental.py [--tree PATH] [--worlds x86|all]
        [--runs 5] [--no-prepare] [--check] [--against CHECKOUT]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")

EDITS = {
    "depends-on": (
        b'config MIGRATION\n\tbool "Page migration"\n',
        b'config MIGRATION\n\tbool "Page migration"\n\tdepends on SWAP\n',
    ),
    "select": (
        b'config COMPACTION\n\tbool "Allow for memory compaction"\n\tdefault y\n\tselect MIGRATION\n',
        b'config COMPACTION\n\tbool "Allow for memory compaction"\n\tdefault y\n\tselect MIGRATION\n'
        b"\tselect SWAP\n",
    ),
    "help-text": (
        b"\t  Allows the migration of the physical location",
        b"\t  Allows moving the physical location",
    ),
}


def main() -> None:
    from kconfig_ls.logic.incremental_logic import IncrementalLogic
    from kconfig_ls.semantics.model import KconfigModel
    from kconfig_ls.settings.project_file import ProjectSettings
    from kconfig_ls.settings.resolve import workspace_settings

    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument(
        "--worlds", default="all", help="comma-separated architectures, or 'all' (the default)"
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--no-prepare",
        action="store_true",
        help="do not load the edit solver after the cold run (the first edit then loads it)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="compare the first edit of each kind and its undo with a cold analysis",
    )
    parser.add_argument("--against", metavar="CHECKOUT", help="another checkout, timed in the same run")
    arguments = parser.parse_args()
    if arguments.against:
        _against(arguments.against)
        return
    model = KconfigModel(workspace_settings(arguments.tree, ProjectSettings(), arch="x86"))
    model.load()
    worlds = None if arguments.worlds in ("", "all") else arguments.worlds.split(",")
    logic = IncrementalLogic(worlds)
    started, cpu = time.perf_counter(), time.process_time()
    cold = logic.update(model)
    print(
        json.dumps(
            {
                "row": "cold (not an incremental figure)",
                "cpu_seconds": round(time.process_time() - cpu, 2),
                "wall_seconds": round(time.perf_counter() - started, 2),
                "worlds": len(cold.selects.worlds),
                "unmet": len(cold.selects.unmet),
                "dead": len(cold.liveness.dead),
            }
        ),
        flush=True,
    )
    path = os.path.join(arguments.tree, "mm/Kconfig")
    original = model.text(path)
    if not arguments.no_prepare:
        # As the server does after a pass, for the Kconfig files open in the editor.
        started, cpu = time.perf_counter(), time.process_time()
        logic.prepare([path])
        print(
            json.dumps(
                {
                    "row": "prepare the edit solver (background, not an incremental figure)",
                    "cpu_seconds": round(time.process_time() - cpu, 2),
                    "wall_seconds": round(time.perf_counter() - started, 2),
                }
            ),
            flush=True,
        )
    checked: list[str] = []
    for name, (before, after) in EDITS.items():
        assert original.count(before) == 1, name
        samples: list[tuple[float, float]] = []
        last = None
        for _ in range(arguments.runs):
            for text in (original.replace(before, after), original):
                model = model.apply_change(path, text).model
                started, cpu = time.perf_counter(), time.process_time()
                update = logic.update(model)
                samples.append((time.process_time() - cpu, time.perf_counter() - started))
                assert not update.rebuilt, name
                if last is None:
                    last = update
                if arguments.check and len(samples) <= 2:
                    checked.append(_identical(update, model, worlds, name))
        assert last is not None
        print(
            json.dumps(
                {
                    "row": f"mm/Kconfig {name}",
                    "median_cpu_ms": round(statistics.median(s[0] for s in samples) * 1000, 1),
                    "median_wall_ms": round(statistics.median(s[1] for s in samples) * 1000, 1),
                    "samples": len(samples),
                    # The first edit of the file loads the solver of the updates (`EditSolver`).
                    "first_cpu_ms": round(samples[0][0] * 1000, 1),
                    "max_cpu_ms": round(max(s[0] for s in samples) * 1000, 1),
                    "changed_symbols": len(last.changed_symbols),
                    "affected_symbols": len(last.affected_symbols),
                    "rechecked_selects": last.rechecked_selects,
                    "rechecked_questions": last.rechecked_questions,
                    "queries": last.queries,
                }
            ),
            flush=True,
        )
    if checked:
        print(json.dumps({"row": "identical to a cold analysis", "updates": checked}))
    print(json.dumps({"load_average": os.getloadavg()}))


def _against(checkout: str) -> None:
    """Run the bench on this checkout and then on `checkout`, each in a child process."""
    options = [argument for argument in sys.argv[1:] if argument != checkout]
    options = [argument for argument in options if not argument.startswith("--against")]
    for name, root in (("this", REPOSITORY), ("against", os.path.abspath(checkout))):
        environment = dict(os.environ, PYTHONPATH=root)
        child = subprocess.run(
            [sys.executable, os.path.abspath(__file__), *options],
            env=environment,
            capture_output=True,
            check=False,
        )
        for line in child.stdout.decode().splitlines():
            row = json.loads(line)
            print(json.dumps({"checkout": name, **row}), flush=True)
        if child.returncode != 0:
            sys.exit(f"{name} ({root}): the bench failed\n{child.stderr.decode()[-4000:]}")


def _identical(update: object, model: object, worlds: list[str] | None, name: str) -> str:
    """Check the update against a cold analysis of the same texts (see the module docstring)."""
    from kconfig_ls.logic.incremental_logic import LogicUpdate, full_analyses
    from kconfig_ls.logic.select_analysis import SelectAnalysis
    from kconfig_ls.logic.world_tables import WorldModels
    from kconfig_ls.semantics.model import KconfigModel

    assert isinstance(update, LogicUpdate) and isinstance(model, KconfigModel)
    selects, liveness = full_analyses(WorldModels.load(model, only=worlds).tables())

    def shape(analysis: SelectAnalysis) -> tuple[object, ...]:
        return (
            sorted(analysis.analysed),
            sorted((key, f.worlds, f.dependency, f.location) for key, f in analysis.unmet.items()),
        )

    assert shape(update.selects) == shape(selects), f"{name}: the selects differ from a cold run"
    assert update.liveness.dead == liveness.dead, f"{name}: the dead items differ from a cold run"
    return f"{name}: {len(selects.analysed)} selects, {len(selects.unmet)} unmet, {len(liveness.dead)} dead"


if __name__ == "__main__":
    main()
