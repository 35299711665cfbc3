"""Benchmark: our whole-tree Kconfig lint against kconfiglib, on Linux 6.12.

Why these rows: the measured facts (`shared/notes/measured-facts.md`) say
kconfiglib needs ~1.5 s for x86, of which ~1 s is its 107 `$(shell,...)`
compiler probes; we never run commands, so the fair comparison is with
kconfiglib's time *minus* its shell time. An editor also needs re-deriving
one edited file to be far cheaper than a reload, and a bounded memory use.

Every measurement runs in a fresh child process (`--child MODE`), so that no
run profits from caches warmed by an earlier one (our expression memo, the
OS page cache aside) and peak RSS is that of one load. Times are measured
inside the child, interpreter start-up and imports excluded. The table shows
medians over `--runs` children (default 5).

    python bench/bench_kconfig.py [--tree PATH] [--runs N] [--arch x86] [--edits 20]
    python bench/bench_kconfig.py --whole-process [--runs N]

`--whole-process` (issue 11's target) compares whole processes instead:
`python -m kconfig_ls lint --kconfig-only --no-logic --no-cache` on every
architecture against a process that imports kconfiglib and loads the arch's
tree, interpreter start-up, imports and settings included, the two
alternating run by run. Wall seconds of kconfiglib are counted minus its
`$(shell,...)` time (commands run); CPU seconds (user + sys of the child,
robust on a busy machine) against kconfiglib with commands not run, whose
CPU is its parse alone. Bytecode is cached as in an installed copy (a first
unmeasured run of each writes it; `PYTHONDONTWRITEBYTECODE` is dropped).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")
EDITED_FILE = "mm/Kconfig"


# --- children: one measurement each, JSON on stdout ------------------------------------


def _cpu_seconds() -> float:
    """CPU seconds of this process and its waited-for children (the forked file walk)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _settings(tree: str, arch: str, index_unreached: bool = True) -> Any:
    from kconfig_ls.settings.project_file import ProjectSettings
    from kconfig_ls.settings.resolve import workspace_settings

    return workspace_settings(tree, ProjectSettings(), arch=arch, index_unreached=index_unreached)


def child_ours(tree: str, arch: str, index_unreached: bool) -> dict[str, Any]:
    """(a) Our Kconfig-only lint: load the model, run every rule."""
    from kconfig_ls.checks.framework import CheckContext, RuleSettings
    from kconfig_ls.checks.registry import run_checks
    from kconfig_ls.semantics.model import KconfigModel

    settings = _settings(tree, arch, index_unreached)
    cpu_started = _cpu_seconds()
    started = time.perf_counter()
    workspace = KconfigModel(settings)
    workspace.load()
    loaded = time.perf_counter()
    findings = run_checks(CheckContext(workspace), RuleSettings())
    checked = time.perf_counter()
    return {
        "load": loaded - started,
        "checks": checked - loaded,
        "total": checked - started,
        "cpu": _cpu_seconds() - cpu_started,
        "files": len(workspace.files),
        "symbols": len(workspace.definitions),
        "findings": len(findings),
        "rss_mb": _peak_rss_mb(),
    }


def child_kconfiglib(tree: str, arch: str, trust_commands: bool) -> dict[str, Any]:
    """(b) kconfiglib's parse of the arch's tree, commands run or not."""
    from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib

    settings = _settings(tree, arch)
    cpu_started = time.process_time()  # this process only: the shell calls' own CPU is not counted
    loaded = load_with_kconfiglib(settings.root, settings.root_kconfig, settings.environment, trust_commands)
    return {
        "cpu": time.process_time() - cpu_started,
        "load": loaded.load_seconds,
        "shell": loaded.shell_seconds,
        "without_shell": loaded.load_seconds - loaded.shell_seconds,
        "shell_calls": loaded.shell_calls,
        "symbols": len(loaded.symbol_names()),
        "rss_mb": _peak_rss_mb(),
    }


def child_model_cache(tree: str, arch: str, cache_directory: str) -> dict[str, Any]:
    """(d) A warm start from `kconfig_ls.model.cache`, when that module exists.

    The module is not written yet; the bench looks for a function
    `load_workspace(settings, cache_directory)` returning a loaded
    `KconfigModel` (filling the cache when it is cold). The first child
    fills the cache; the timed children read it.
    """
    try:
        cache = importlib.import_module("kconfig_ls.model.cache")
    except ImportError:
        return {"skipped": "kconfig_ls.model.cache does not exist"}
    load = getattr(cache, "load_workspace", None)
    if load is None:
        return {"skipped": "kconfig_ls.model.cache has no load_workspace(settings, cache_directory)"}
    settings = _settings(tree, arch)
    started = time.perf_counter()
    workspace = load(settings, cache_directory)
    return {
        "load": time.perf_counter() - started,
        "symbols": len(workspace.definitions),
        "rss_mb": _peak_rss_mb(),
    }


def child_result_cache(tree: str, arch: str, cache_directory: str) -> dict[str, Any]:
    """(d') `kconfig-ls lint`'s results cache: fingerprint check and findings read back.

    The first child lints and stores; the timed children only load.
    """
    try:
        result_cache = importlib.import_module("kconfig_ls.cli.result_cache")
    except ImportError:
        return {"skipped": "kconfig_ls.cli.result_cache does not exist"}
    from kconfig_ls.checks.framework import CheckContext, RuleSettings
    from kconfig_ls.checks.registry import run_checks
    from kconfig_ls.semantics.model import KconfigModel

    settings = _settings(tree, arch)
    rules = RuleSettings()
    cache = result_cache.LintResultCache(cache_directory, settings, repr(rules))
    started = time.perf_counter()
    cached = cache.load()
    if cached is not None:
        return {"load": time.perf_counter() - started, "findings": len(cached[0]), "rss_mb": _peak_rss_mb()}
    workspace = KconfigModel(settings)
    workspace.load()
    findings = run_checks(CheckContext(workspace), rules)
    cache.store(workspace, findings, {"files": len(workspace.files)})
    return {"filled": True}


def child_edits(tree: str, arch: str, edits: int) -> dict[str, Any]:
    """(e) Re-deriving `mm/Kconfig` after an edit: a help-text character, a select line."""
    from kconfig_ls.semantics.model import KconfigModel

    settings = _settings(tree, arch)
    workspace = KconfigModel(settings)
    workspace.load()
    path = workspace.absolute(EDITED_FILE)
    original = workspace.text(path)
    help_at = original.index(b"\thelp\n") + len(b"\thelp\n")
    help_at = original.index(b"Say ", help_at) if b"Say " in original[help_at:] else help_at + 4
    select_at = original.index(b"select MIGRATION\n")

    def variant(kind: str, number: int) -> bytes:
        # Alternate between two different texts so that every edit changes
        # the file, and the model's state stays that of a real editing session.
        if kind == "help":
            character = b"sS"[number % 2 : number % 2 + 1]
            return original[:help_at] + character + original[help_at + 1 :]
        target = b"select MIGRATION_X\n" if number % 2 == 0 else b"select MIGRATION\n"
        return original[:select_at] + target + original[select_at + len(b"select MIGRATION\n") :]

    results: dict[str, Any] = {}
    for kind in ("help", "select"):
        times: list[float] = []
        local = 0
        for number in range(edits):
            data = variant(kind, number)
            started = time.perf_counter()
            update = workspace.apply_change(path, data)
            times.append(time.perf_counter() - started)
            workspace = update.model
            local += update.relink == "file"
        workspace = workspace.apply_change(path, original).model
        results[kind] = {
            "median": statistics.median(times),
            "max": max(times),
            "local": local,
            "edits": edits,
        }
    return results


# --- whole processes (issue 11) ---------------------------------------------------------

_KCONFIGLIB_PROCESS = """
import json, sys
from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
tree, root_kconfig, environment, trusted = sys.argv[1:5]
loaded = load_with_kconfiglib(tree, root_kconfig, json.loads(environment), trusted == "1")
print(json.dumps({"shell": loaded.shell_seconds, "symbols": len(loaded.symbol_names())}))
"""


def _whole_process(command: list[str], cwd: str) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + sys, the child and what it waited for) and stdout."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    environment["PYTHONPATH"] = os.pathsep.join(
        [os.path.dirname(os.path.dirname(os.path.abspath(__file__))), environment.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{completed.stderr}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, completed.stdout


def whole_process(arguments: argparse.Namespace) -> int:
    ours_command = [
        sys.executable,
        "-m",
        "kconfig_ls",
        "lint",
        "--kconfig-only",
        "--no-logic",
        "--no-cache",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--output",
        os.devnull,
    ]

    # The settings are computed here, so that the kconfiglib process imports kconfiglib and its loader only.
    settings = _settings(arguments.tree, arguments.arch)
    environment = json.dumps(dict(settings.environment))

    def kconfiglib_command(trusted: bool) -> list[str]:
        flag = "1" if trusted else "0"
        return [
            sys.executable,
            "-c",
            _KCONFIGLIB_PROCESS,
            settings.root,
            settings.root_kconfig,
            environment,
            flag,
        ]

    load_before = os.getloadavg()[0]
    _whole_process(ours_command, arguments.tree)  # bytecode written, page cache warm
    _whole_process(kconfiglib_command(False), arguments.tree)
    ours: list[tuple[float, float]] = []
    untrusted: list[tuple[float, float]] = []
    trusted: list[tuple[float, float]] = []
    for _ in range(arguments.runs):
        wall, cpu, _ = _whole_process(ours_command, arguments.tree)
        ours.append((wall, cpu))
        wall, cpu, _ = _whole_process(kconfiglib_command(False), arguments.tree)
        untrusted.append((wall, cpu))
        wall, cpu, output = _whole_process(kconfiglib_command(True), arguments.tree)
        trusted.append((wall - json.loads(output.strip().splitlines()[-1])["shell"], cpu))

    def median(values: list[tuple[float, float]], index: int) -> float:
        return statistics.median(value[index] for value in values)

    print(
        f"whole processes on {arguments.tree}, medians of {arguments.runs} interleaved runs; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print(
        f"  ours (lint --kconfig-only --no-logic, all architectures): wall {median(ours, 0):.3f} s, "
        f"CPU {median(ours, 1):.3f} s"
    )
    print(f"  kconfiglib {arguments.arch}, commands run, minus shell time: wall {median(trusted, 0):.3f} s")
    print(
        f"  kconfiglib {arguments.arch}, commands not run: wall {median(untrusted, 0):.3f} s, "
        f"CPU {median(untrusted, 1):.3f} s"
    )
    print(
        f"  ratio: wall {median(ours, 0) / median(trusted, 0):.2f}x (against minus shell), "
        f"CPU {median(ours, 1) / median(untrusted, 1):.2f}x; per-run CPU ratios "
        + ", ".join(f"{o[1] / u[1]:.2f}" for o, u in zip(ours, untrusted, strict=True))
    )
    return 0


# --- the parent: children, medians, the table ------------------------------------------


def _run_child(mode: str, arguments: argparse.Namespace, *extra: str) -> dict[str, Any]:
    command = [
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        mode,
        "--tree",
        arguments.tree,
        "--arch",
        arguments.arch,
        "--edits",
        str(arguments.edits),
        *extra,
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"child {mode} failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _medians(results: list[dict[str, Any]]) -> dict[str, Any]:
    keys = results[0].keys()
    return {
        key: statistics.median([r[key] for r in results])
        if isinstance(results[0][key], (int, float))
        else results[0][key]
        for key in keys
    }


def _repeat(
    mode: str, arguments: argparse.Namespace, *extra: str, progress: Callable[[str], None]
) -> dict[str, Any]:
    progress(f"{mode} x{arguments.runs}")
    return _medians([_run_child(mode, arguments, *extra) for _ in range(arguments.runs)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", default=DEFAULT_TREE, help="Linux source tree (default: %(default)s)")
    parser.add_argument("--arch", default="x86")
    parser.add_argument("--runs", type=int, default=5, help="children per row; medians are shown")
    parser.add_argument("--edits", type=int, default=20, help="edits per kind in row (e)")
    parser.add_argument("--json", action="store_true", help="print the raw medians as JSON too")
    parser.add_argument(
        "--whole-process", action="store_true", help="whole processes against each other (issue 11)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.child:
        result = _child(arguments)
        print(json.dumps(result))
        return 0
    if not os.path.isfile(os.path.join(arguments.tree, "Kconfig")):
        print(f"no Linux tree at {arguments.tree}; run bench/get_corpus.sh", file=sys.stderr)
        return 2
    if arguments.whole_process:
        return whole_process(arguments)

    def progress(text: str) -> None:
        print(f"  running {text} ...", file=sys.stderr, flush=True)

    load_before = os.getloadavg()[0]
    ours_all = _repeat("ours", arguments, progress=progress)
    ours_arch = _repeat("ours-arch", arguments, progress=progress)
    trusted = _repeat("kconfiglib-trusted", arguments, progress=progress)
    untrusted = _repeat("kconfiglib-untrusted", arguments, progress=progress)
    with tempfile.TemporaryDirectory(prefix="kconfig-ls-bench-") as cache_directory:
        extra = ("--cache-dir", cache_directory)
        first = _run_child("model-cache", arguments, *extra)
        model_cache = (
            first if "skipped" in first else _repeat("model-cache", arguments, *extra, progress=progress)
        )
        first = _run_child("result-cache", arguments, *extra)
        result_cache = (
            first if "skipped" in first else _repeat("result-cache", arguments, *extra, progress=progress)
        )
    progress("edits")
    edits = _run_child("edits", arguments)

    without_shell = trusted["without_shell"]
    rows: list[tuple[str, str, str]] = [
        (
            "(a) ours: lint, all architectures",
            f"{ours_all['total']:.3f} s",
            f"load {ours_all['load']:.3f} + checks {ours_all['checks']:.3f}; "
            f"{ours_all['files']} files, {ours_all['symbols']} symbols, {ours_all['findings']} findings",
        ),
        (
            f"    ours: lint, {arguments.arch} only",
            f"{ours_arch['total']:.3f} s",
            f"load {ours_arch['load']:.3f} + checks {ours_arch['checks']:.3f}; {ours_arch['files']} files",
        ),
        (
            f"(b) kconfiglib {arguments.arch}, commands run",
            f"{trusted['load']:.3f} s",
            f"of which {trusted['shell']:.3f} s in {trusted['shell_calls']} $(shell) calls",
        ),
        (
            "    kconfiglib minus shell time",
            f"{without_shell:.3f} s",
            f"{trusted['symbols']} symbols",
        ),
        (
            "    kconfiglib, commands not run",
            f"{untrusted['load']:.3f} s",
            "placeholders for $(shell) (kconfig_ls.semantics.kconfiglib_loader)",
        ),
        (
            "(c) ratio ours / (kconfiglib - shell)",
            f"{ours_all['total'] / without_shell:.2f}x",
            f"{arguments.arch} only: lint {ours_arch['total'] / without_shell:.2f}x, "
            f"load {ours_arch['load'] / without_shell:.2f}x",
        ),
        (
            "(c') CPU ratio ours / kconfiglib",
            f"{ours_all['cpu'] / untrusted['cpu']:.2f}x",
            f"CPU seconds (robust on a busy machine): ours {ours_all['cpu']:.3f} s "
            f"({arguments.arch} only {ours_arch['cpu']:.3f} s), kconfiglib {untrusted['cpu']:.3f} s "
            f"with commands not run, {trusted['cpu']:.3f} s in its own process with them run",
        ),
        _cache_row("(d) warm start, model cache", model_cache, ours_all),
        _cache_row("    warm start, lint results cache", result_cache, ours_all),
        (
            f"(e) re-derive {EDITED_FILE}: help text",
            f"{edits['help']['median'] * 1000:.2f} ms",
            f"median of {edits['help']['edits']}, max {edits['help']['max'] * 1000:.2f} ms, "
            f"{edits['help']['local']}/{edits['help']['edits']} without relinking",
        ),
        (
            f"    re-derive {EDITED_FILE}: select line",
            f"{edits['select']['median'] * 1000:.2f} ms",
            f"median of {edits['select']['edits']}, max {edits['select']['max'] * 1000:.2f} ms, "
            f"{edits['select']['local']}/{edits['select']['edits']} without relinking",
        ),
        (
            "(f) peak RSS, ours (all architectures)",
            f"{ours_all['rss_mb']:.0f} MB",
            f"{arguments.arch} only {ours_arch['rss_mb']:.0f} MB; kconfiglib {untrusted['rss_mb']:.0f} MB",
        ),
    ]
    print(
        f"Linux tree: {arguments.tree} ({arguments.arch}); medians of {arguments.runs} runs, one process each"
    )
    # A shared machine skews everything, the shell row most: say how busy it was.
    print(
        f"{os.cpu_count()} CPUs; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"Python {sys.version.split()[0]}"
    )
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>{value_width}}  {note}")
    if arguments.json:
        print(
            json.dumps(
                {
                    "ours": ours_all,
                    "ours_arch": ours_arch,
                    "kconfiglib_trusted": trusted,
                    "kconfiglib_untrusted": untrusted,
                    "model_cache": model_cache,
                    "result_cache": result_cache,
                    "edits": edits,
                },
                indent=2,
            )
        )
    return 0


def _cache_row(label: str, result: dict[str, Any], cold: dict[str, Any]) -> tuple[str, str, str]:
    if "skipped" in result:
        return (label, "-", f"skipped: {result['skipped']}")
    return (
        label,
        f"{result['load']:.3f} s",
        f"{cold['total'] / result['load']:.0f}x faster than a cold lint",
    )


def _child(arguments: argparse.Namespace) -> dict[str, Any]:
    mode = arguments.child
    if mode == "ours":
        return child_ours(arguments.tree, arguments.arch, True)
    if mode == "ours-arch":
        return child_ours(arguments.tree, arguments.arch, False)
    if mode == "kconfiglib-trusted":
        return child_kconfiglib(arguments.tree, arguments.arch, True)
    if mode == "kconfiglib-untrusted":
        return child_kconfiglib(arguments.tree, arguments.arch, False)
    if mode == "model-cache":
        return child_model_cache(arguments.tree, arguments.arch, arguments.cache_dir)
    if mode == "result-cache":
        return child_result_cache(arguments.tree, arguments.arch, arguments.cache_dir)
    if mode == "edits":
        return child_edits(arguments.tree, arguments.arch, arguments.edits)
    raise SystemExit(f"unknown child mode {mode}")


if __name__ == "__main__":
    sys.exit(main())
