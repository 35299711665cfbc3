"""Benchmark: dead and undead `#if` blocks (KLS207/KLS208) over every architecture of a tree.

Steps, each timed (wall and CPU; the CPU of a forked child apart, `children_cpu_seconds`):

- `model`: load the Kconfig model (configured world x86 for Linux);
- `index`: the code index (from its cache in `--cache`, so only the first run builds it);
- `formula`: every world's symbol table and their formula (shared with the select and
  liveness analyses, so in a full lint run it is paid once);
- `blocks-cold`: the block analysis of every C/header/assembly file whose `#if`s name a
  `CONFIG_` symbol, from nothing (issue 9: every block of the x86 build within the
  all-architecture 60 s budget; two cores: half the files go to a forked child, which
  builds, settles and explains their questions, `forked_answers` its answers; the target
  is the wall time of this background job);
- `blocks-warm`: the same answered from the on-disk cache (a fresh memory);
- `one-file`: after an edit of one C file (`--edit`, mm/migrate.c on Linux; its digest
  changes), its blocks alone; `one-file-rules`: KLS206/207/208 through their per-file entry
  points, as the server re-checks an edited C file (issue 9: <= 100 ms); medians, and the
  first edit's time apart (`first_wall_ms`: a file of the forked child's share has its
  questions asked anew in this process then).

Also printed: files and blocks judged, questions, solver queries (the child's included),
findings by kind and cause. The machine is shared: CPU time is the fair figure; the load average is printed.

    PYTHONPATH=$PWD python bench/bench_dead_blocks.py [--tree PATH] [--cache DIR] [--only x86]
        [--under mm,kernel] [--edit mm/migrate.c] [--findings FILE]

"Every #if block of the x86 build" of Linux is `--only x86` (the files outside arch/ and
those under arch/x86/). A speed change must keep the findings: run it with `--findings`
before and after and `cmp` the two files (JSON lines, in file order).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from typing import Any

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")


class _Timer:
    """Wall and CPU time of a step; the CPU of forked children (reaped during it) is counted apart."""

    def __init__(self, rows: dict[str, Any], name: str) -> None:
        self.rows, self.name = rows, name

    def __enter__(self) -> None:
        self.wall, self.cpu, self.children = time.perf_counter(), time.process_time(), _children_cpu()

    def __exit__(self, *exc: object) -> None:
        row = {
            "wall_seconds": round(time.perf_counter() - self.wall, 2),
            "cpu_seconds": round(time.process_time() - self.cpu, 2),
        }
        children = _children_cpu() - self.children
        if children > 0:
            row["children_cpu_seconds"] = round(children, 2)
        self.rows[self.name] = row


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "kconfig-ls-bench-blocks"))
    parser.add_argument("--only", default="", help="an architecture folder: judge only files it builds")
    parser.add_argument("--findings", default="", help="write the findings as JSON lines to this file")
    parser.add_argument(
        "--edit",
        default="mm/migrate.c",
        help="the C file the one-file rows edit (relative to the tree; else a file with a finding)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="edits per one-file row (the median is printed)"
    )
    parser.add_argument(
        "--under", default="", help="comma-separated folders of the tree: judge only the files under them"
    )
    arguments = parser.parse_args()

    import kconfig_ls.logic.block_analysis as block_analysis
    from kconfig_ls.logic.block_analysis import block_analysis_for
    from kconfig_ls.logic.world_analysis import formula_for
    from kconfig_ls.semantics.code_index import CodeIndex
    from kconfig_ls.semantics.model import KconfigModel
    from kconfig_ls.settings.ecosystem import detect_ecosystem
    from kconfig_ls.settings.project_file import ProjectSettings
    from kconfig_ls.settings.resolve import workspace_settings

    rows: dict[str, Any] = {"load_average": os.getloadavg()}
    tree = os.path.abspath(arguments.tree)
    linux = os.path.isdir(os.path.join(tree, "arch", "x86"))
    settings = workspace_settings(tree, ProjectSettings(), arch="x86" if linux else None)
    with _Timer(rows, "model"):
        model = KconfigModel(settings)
        model.load()
    ecosystem = detect_ecosystem(tree)
    with _Timer(rows, "index"):
        excluded = ecosystem.code_exclude
        index = CodeIndex(tree, arguments.cache, excluded_folders=excluded, ecosystem=ecosystem)
        index.build()
    with _Timer(rows, "formula"):
        formula_for(model)
    paths = None
    if arguments.only:
        arch_root = os.path.join(tree, "arch") + os.sep
        paths = frozenset(
            path
            for path in index.entries
            if not path.startswith(arch_root) or path.startswith(arch_root + arguments.only + os.sep)
        )
    if arguments.under:
        folders = tuple(
            os.path.join(tree, folder.strip("/")) + os.sep for folder in arguments.under.split(",")
        )
        paths = frozenset(path for path in (paths or index.entries) if path.startswith(folders))
    cache = tempfile.mkdtemp(prefix="blocks-", dir=arguments.cache)
    with _Timer(rows, "blocks-cold"):
        analysis = block_analysis_for(model, index, cache_directory=cache, paths=paths)
    rows["files"], rows["blocks"] = analysis.files, analysis.blocks
    rows["questions"], rows["queries"] = analysis.questions, analysis.queries
    rows["forked_answers"] = analysis.forked
    rows["findings"] = dict(collections.Counter(f"{f.kind}/{f.cause}" for f in analysis.findings))
    if paths is None:
        block_analysis._PER_FILE.clear()
        with _Timer(rows, "blocks-warm"):
            block_analysis_for(model, index, cache_directory=cache)
    edited = os.path.join(tree, arguments.edit) if arguments.edit else ""
    if not os.path.isfile(edited) and analysis.findings:
        edited = analysis.findings[0].location.path
    if os.path.isfile(edited):
        _one_file_rows(rows, model, index, edited, arguments.repeat)
    if arguments.findings:
        with open(arguments.findings, "w", encoding="utf-8") as handle:
            for f in analysis.findings:
                line = model.line_of(f.location) + 1
                record = {"path": model.relative(f.location.path), "line": line, "kind": f.kind}
                record["start"] = f.location.span.start
                record.update({"cause": f.cause, "message": f.reason})
                handle.write(json.dumps(record) + "\n")
    json.dump(rows, sys.stdout, indent=1)
    print()


def _one_file_rows(rows: dict[str, Any], model: Any, index: Any, path: str, repeat: int) -> None:
    """After an edit of one C file (a new line at its end, a new digest each time): its blocks.

    `one-file`: the block analysis of that file alone (`paths`); `one-file-rules`: KLS206,
    KLS207 and KLS208 through their per-file entry points, as the server's solver tier
    re-checks an edited C file (`checks/incremental.py`). The formula, its solver and the
    Makefile readings are kept from the cold run, as in a server; the median of `repeat`.
    """
    from kconfig_ls.checks.framework import CheckContext, RuleSettings
    from kconfig_ls.checks.registry import rule_by_key, run_checks
    from kconfig_ls.logic.block_analysis import block_analysis_for
    from kconfig_ls.vfs.overlay import FileOverlay, OverlayDocument

    with open(path, "rb") as handle:
        original = handle.read()
    codes = ("KLS206", "KLS207", "KLS208")
    rules = [rule for rule in map(rule_by_key, codes) if rule is not None]
    settings = RuleSettings(select=frozenset(codes))
    for name in ("one-file", "one-file-rules"):
        walls: list[float] = []
        cpus: list[float] = []
        for number in range(repeat):
            text = original + b"\n" * (number + 1) + (b"/* %s */\n" % name.encode())
            overlay = FileOverlay().with_document(OverlayDocument(path, text, number + 1))
            wall, cpu = time.perf_counter(), time.process_time()
            if name == "one-file":
                block_analysis_for(model, index, overlay, paths=frozenset({path}))
            else:
                run_checks(CheckContext(model, index, overlay), settings, rules, files=frozenset({path}))
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        rows[name] = {
            "file": os.path.relpath(path, model.root),
            "median_wall_ms": round(1000 * statistics.median(walls), 1),
            "median_cpu_ms": round(1000 * statistics.median(cpus), 1),
            "first_wall_ms": round(1000 * walls[0], 1),
        }


if __name__ == "__main__":
    main()
