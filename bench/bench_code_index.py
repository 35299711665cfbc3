"""Benchmark: the code index and the whole-tree lint of Linux 6.12, against `git grep`, side by side.

Every row runs in a fresh child process, interleaved with the others run by
run (so all see the same machine load), and reports the median wall time and
the median CPU time (user + system of the child and its worker processes).
The machine's load average is printed before and after: on a shared machine
compare the CPU columns and the ratios, not absolute wall times.

- `git grep -c CONFIG_` over exactly the files the index reads (a throwaway
  git index of those paths in a temporary folder, built once with
  `git update-index --info-only`; nothing is written into the tree);
- cold index: `CodeIndex.build()` as `lint` makes it (the tree's
  ecosystem exclusions, made as `lint` makes it, without the analysis host), no cache,
  then its reference table; the row is the whole child process (interpreter, imports), and the
  time in the process from `build()` to the reference table is printed
  below the table (CPU includes the worker processes);
- warm index: the same from its on-disk cache (entries and folder listings);
- the floor of a warm child: `python -c pass` (the interpreter's start), and a child that only
  imports what the warm row imports and resolves the settings (our imports);
- find references of `CONFIG_SMP`, re-index one edited file (warm);
- whole-tree lint (`--arch x86`, JSON), cold (empty cache folder), then on
  the unchanged tree (the lint results cache), with `--lint` (`--lint-no-logic`
  for the rows without the SAT tier).

    python bench/bench_code_index.py [--tree PATH] [--runs 3] [--lint [--lint-select RULES] [--lint-no-logic]]
    python bench/bench_code_index.py --warm-only [--runs 5]    # the warm rows only, from one cold build

`--warm-only` builds the cache once (untimed) and times the warm rows and their floor only.

`--against CHECKOUT` times the cold and warm index rows of another checkout of the package
too (say, main's, from `git worktree add` or `git archive`; its own `bench/bench_code_index.py`
runs the child), in the same runs, interleaved run by run and in alternating order with this
one, so both see the same load; its ratios to `git grep` and to this checkout are printed.

    python bench/bench_code_index.py --runs 5 --against /path/to/other/checkout
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from typing import Any

# The child rows (`--child`, `--child-imports`) import no more than they need: what the parent
# alone uses (argparse, subprocess, tempfile, ...) is imported where used, not counted in a child.

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")
REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(
    command: list[str], cwd: str | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child and its children, stdout) of one command."""
    import subprocess

    cpu = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, check=False
    )
    return time.perf_counter() - started, _children_cpu() - cpu, completed.stdout


def _host_index(tree: str, cache: str | None) -> Any:
    """The index as `lint` makes it: the host's settings (ecosystem, exclusions, workers), without
    importing the host (`cli.lint.new_code_index`, the same constructor `AnalysisHost` uses)."""
    from kconfig_ls.semantics.code_index import CodeIndex
    from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings

    settings = AnalysisSettings(project_root=tree, cache_directory=cache)
    resolved = resolve_settings(settings)
    return CodeIndex(resolved.workspace.root, cache, settings.code_index_workers, resolved.code_exclude)


def _own_and_children_cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + _children_cpu()


def child_index(tree: str, cache: str) -> dict[str, Any]:
    index = _host_index(tree, cache)
    started = time.perf_counter()
    cpu_started = _own_and_children_cpu()
    index.build()
    references = index.references  # the reference table is part of being ready
    ready = time.perf_counter() - started
    ready_cpu = _own_and_children_cpu() - cpu_started  # the workers are joined by now
    query_started = time.perf_counter()
    smp_uses = len([(r.path, r.span) for r in index.references.get("SMP", ())])
    query_ms = (time.perf_counter() - query_started) * 1000
    # After a warm start the entries are decoded on first use (the editor's per-file queries,
    # the dead-block analysis): timed apart, and part of the whole process's row.
    entries_started = time.perf_counter()
    files = len(index.entries)
    entries_ms = (time.perf_counter() - entries_started) * 1000
    path = os.path.join(tree, "mm", "migrate.c")
    with open(path, "rb") as handle:
        data = handle.read()
    edit_times = []
    for number in range(10):
        edited = data.replace(b"#ifdef CONFIG_NUMA", b"#ifdef CONFIG_NUMA%d" % number, 1)
        edit_started = time.perf_counter()
        index.update_file(path, edited)
        _ = index.references
        edit_times.append(time.perf_counter() - edit_started)
    return {
        "ready": ready,
        "ready_cpu": ready_cpu,
        "files": files,
        "entries_ms": entries_ms,
        "scanned": index.statistics.scanned,
        "references": sum(len(v) for v in references.values()),
        "smp_uses": smp_uses,
        "smp_query_ms": query_ms,
        "edit_ms": _median(edit_times) * 1000,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def child_imports(tree: str) -> dict[str, Any]:
    """What a warm child does before `build()`: the imports and the settings (`_host_index`)."""
    _host_index(tree, None)
    return {"modules": len([name for name in sys.modules if name.startswith("kconfig_ls")])}


def child_files(tree: str, output: str) -> None:
    index = _host_index(tree, None)
    with open(output, "w", encoding="utf-8") as handle:
        for path, _, _ in index._walk():
            handle.write(os.path.relpath(path, tree) + "\n")


def _median(values: Any) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return float(ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2)


def _git_index_of(tree: str) -> str:
    """A git folder (outside the tree) whose index lists exactly the code index's files."""
    import hashlib
    import shutil
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".txt", delete=False) as listing:
        list_path = listing.name
    subprocess.run([sys.executable, __file__, "--child-files", tree, list_path], check=True, env=_env())
    with open(list_path, "rb") as handle:
        files = handle.read()
    digest = hashlib.sha256(tree.encode() + b"\0" + files).hexdigest()[:16]
    git_dir = os.path.join(tempfile.gettempdir(), f"kconfig-ls-bench-git-{digest}")
    if not os.path.isdir(git_dir):
        partial = git_dir + ".partial"
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run(["git", "init", "-q", "--bare", partial], check=True)
        subprocess.run(
            [
                "git",
                f"--git-dir={partial}",
                f"--work-tree={tree}",
                "update-index",
                "--add",
                "--info-only",
                "--stdin",
            ],
            input=files,
            cwd=tree,
            check=True,
        )
        os.replace(partial, git_dir)
    os.unlink(list_path)
    return git_dir


def _env(checkout: str = REPOSITORY) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": checkout + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _floor_commands(tree: str) -> list[tuple[str, list[str]]]:
    return [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("warm child's imports + settings", [sys.executable, __file__, "--child-imports", tree]),
    ]


def _print_rows(rows: dict[str, list[tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    medians = {
        name: (_median(w for w, _ in values), _median(c for _, c in values)) for name, values in rows.items()
    }
    width = max(len(name) for name in medians) + 2
    print(f"{'':{width}}{'wall s':>9}{'CPU s':>9}")
    for name, (wall, cpu) in medians.items():
        print(f"{name:{width}}{wall:9.2f}{cpu:9.2f}")
    return medians


def warm_only(tree: str, runs: int) -> int:
    """The warm rows, from one cache built (untimed) first, and their floor."""
    import subprocess
    import tempfile

    rows: dict[str, list[tuple[float, float]]] = {}
    ready: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as cache:
        subprocess.run(
            [sys.executable, __file__, "--child", tree, cache],
            env=_env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(runs):
            for name, command in _floor_commands(tree):
                wall, cpu, _ = timed(command, env=_env())
                rows.setdefault(name, []).append((wall, cpu))
            wall, cpu, output = timed([sys.executable, __file__, "--child", tree, cache], env=_env())
            rows.setdefault("warm index", []).append((wall, cpu))
            details = json.loads(output.strip().splitlines()[-1])
            ready.append((details["ready"], details["ready_cpu"]))
    print(_load())
    _print_rows(rows)
    wall = _median(w for w, _ in ready)
    cpu = _median(c for _, c in ready)
    print(f"warm index, in the process (build + reference table): {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(
        f"warm: {details['files']} files, {details['references']} references, scanned {details['scanned']}; "
        f"entries decoded on first use in {details['entries_ms']:.0f} ms (after the row above)"
    )
    return 0


def main() -> int:
    import argparse
    import subprocess
    import tempfile

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--lint", action="store_true", help="also time the whole-tree lint, cold and unchanged"
    )
    parser.add_argument("--lint-select", help="rules for the lint rows (default: all), e.g. KLS101,KLS102")
    parser.add_argument(
        "--lint-no-logic",
        action="store_true",
        help="lint rows with --no-logic (without the SAT tier, which bench_logic.py times)",
    )
    parser.add_argument(
        "--warm-only", action="store_true", help="time the warm rows only (the cache is built once, untimed)"
    )
    parser.add_argument(
        "--against", metavar="CHECKOUT", help="another checkout: its index rows timed in the same runs"
    )
    parser.add_argument("--child", nargs=2, metavar=("TREE", "CACHE"), help=argparse.SUPPRESS)
    parser.add_argument("--child-imports", metavar="TREE", help=argparse.SUPPRESS)
    parser.add_argument("--child-files", nargs=2, metavar=("TREE", "OUTPUT"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        print(json.dumps(child_index(*arguments.child)))
        return 0
    if arguments.child_files:
        child_files(*arguments.child_files)
        return 0
    if arguments.child_imports:
        print(json.dumps(child_imports(arguments.child_imports)))
        return 0
    tree = os.path.abspath(arguments.tree)
    if not os.path.isfile(os.path.join(tree, "Kconfig")):
        print(f"no tree at {tree}", file=sys.stderr)
        return 2
    # Bytecode as an installed package has it (this machine may set PYTHONDONTWRITEBYTECODE,
    # and compiling 160 modules would be counted in every child's start-up).
    checkouts = {"": REPOSITORY}
    if arguments.against:
        checkouts[" (against)"] = os.path.abspath(arguments.against)
    for checkout in checkouts.values():
        package = os.path.join(checkout, "kconfig_ls")
        subprocess.run([sys.executable, "-m", "compileall", "-q", package], check=False)
    print(f"tree {tree}; {os.cpu_count()} cores; medians of {arguments.runs} runs; {_load()}")
    if arguments.warm_only:
        return warm_only(tree, arguments.runs)
    git_dir = _git_index_of(tree)
    grep = ["git", f"--git-dir={git_dir}", f"--work-tree={tree}", "grep", "-c", "CONFIG_"]
    rows: dict[str, list[tuple[float, float]]] = {}
    details: dict[str, Any] = {}
    ready_times: dict[str, list[tuple[float, float]]] = {}
    index_names = [f"{state} index{suffix}" for suffix in checkouts for state in ("cold", "warm")]
    for number in range(arguments.runs):
        wall, cpu, _ = timed(grep, cwd=tree)
        rows.setdefault("git grep -c CONFIG_ (same files)", []).append((wall, cpu))
        for name, command in _floor_commands(tree):
            wall, cpu, _ = timed(command, env=_env())
            rows.setdefault(name, []).append((wall, cpu))
        for name in index_names:
            rows.setdefault(name, [])  # the rows' order, whatever the runs' order
        order = list(checkouts.items())
        for suffix, checkout in order if number % 2 == 0 else reversed(order):
            script = os.path.join(checkout, "bench", "bench_code_index.py")
            with tempfile.TemporaryDirectory() as cache:
                for state in ("cold", "warm"):
                    name = f"{state} index{suffix}"
                    command = [sys.executable, script, "--child", tree, cache]
                    wall, cpu, output = timed(command, env=_env(checkout))
                    rows[name].append((wall, cpu))
                    details[name] = json.loads(output.strip().splitlines()[-1])
                    ready_times.setdefault(name, []).append(
                        (details[name]["ready"], details[name]["ready_cpu"])
                    )
        if arguments.lint:
            with tempfile.TemporaryDirectory() as cache:
                lint = [
                    sys.executable,
                    "-m",
                    "kconfig_ls",
                    "lint",
                    tree,
                    "--arch",
                    "x86",
                    "--cache-dir",
                    cache,
                ]
                lint += ["--format", "json", "--fail-on", "never"]
                if arguments.lint_select:
                    lint += ["--select", arguments.lint_select]
                if arguments.lint_no_logic:
                    lint.append("--no-logic")
                for name in ("whole lint, cold", "whole lint, unchanged tree"):
                    wall, cpu, output = timed(lint, env=_env())
                    rows.setdefault(name, []).append((wall, cpu))
                    details[name] = json.loads(output)["summary"]
    print(_load())
    medians = _print_rows(rows)
    grep_wall, grep_cpu = medians["git grep -c CONFIG_ (same files)"]
    for name in index_names:
        wall, cpu = medians[name]
        print(f"ratio {name} / git grep: {wall / grep_wall:.2f}x wall, {cpu / grep_cpu:.2f}x CPU")
    for state in ("cold", "warm") if arguments.against else ():
        wall, cpu = medians[f"{state} index"]
        other_wall, other_cpu = medians[f"{state} index (against)"]
        print(f"ratio {state} index / against: {wall / other_wall:.2f}x wall, {cpu / other_cpu:.2f}x CPU")
    for name in index_names:
        values = ready_times[name]
        wall = _median(w for w, _ in values)
        cpu = _median(c for _, c in values)
        print(f"{name}, in the process (build + reference table): {wall:.2f} s wall, {cpu:.2f} s CPU")
    cold = details["cold index"]
    print(
        f"index: {cold['files']} files, {cold['references']} references; CONFIG_SMP {cold['smp_uses']} uses "
        f"in {details['warm index']['smp_query_ms']:.3f} ms; warm entries decoded on first use in "
        f"{details['warm index']['entries_ms']:.0f} ms; re-index mm/migrate.c "
        f"{details['warm index']['edit_ms']:.1f} ms; peak RSS {cold['peak_rss_mb']:.0f} MB"
    )
    for name in ("whole lint, cold", "whole lint, unchanged tree"):
        if name in details:
            summary = details[name]
            print(f"{name}: phases {summary.get('seconds')}, cached {summary.get('cached', False)}")
    return 0


def _child_main(arguments: list[str]) -> bool:
    """The child rows, before `main` imports what only the parent needs; whether it was one."""
    if len(arguments) == 3 and arguments[0] == "--child":
        print(json.dumps(child_index(arguments[1], arguments[2])))
        return True
    if len(arguments) == 2 and arguments[0] == "--child-imports":
        print(json.dumps(child_imports(arguments[1])))
        return True
    return False


if __name__ == "__main__":
    raise SystemExit(0 if _child_main(sys.argv[1:]) else main())
