"""Code-side findings, reference-form recall and Kconfig-only speed on one fetched tree.

Usage::

    python bench/bench_ecosystems.py /work/corpora/u-boot [--runs 3] [--jobs 2] [--sample 30]

For the tree given (its ecosystem detected as `kconfig-ls lint` does) it prints:

1. the findings per code rule (KLS101 to KLS105), and with `--sample N` a
   seeded random sample of N findings per rule, one per line with the source
   line, for hand-checking;
2. for each of the ecosystem's reference forms, the uses the code index holds
   against `grep -rEo` of the same form over the same files (excluded folders
   excluded), and their ratio;
3. the Kconfig-only lint (`KconfigModel.load` plus the stable Kconfig rules,
   what `kconfig-ls lint --kconfig-only --no-logic` runs) against
   kconfiglib's parse of the same tree with the same environment and the
   ecosystem's generated files, medians of `--runs` runs in this process,
   and the ratio.

It never writes into the tree: generated files (ESP-IDF's `kconfigs.in`) are
served from memory to both engines.
"""

from __future__ import annotations

import argparse
import fnmatch
import gc
import io
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.names import forget_suggesters
from kconfig_ls.checks.registry import ALL_RULES, run_checks
from kconfig_ls.semantics import kconfiglib_loader
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.settings.project_file import default_code_exclude, load_project_settings
from kconfig_ls.settings.resolve import workspace_settings

CODE_RULES = ("KLS101", "KLS102", "KLS103", "KLS104", "KLS105")

# (label, extended regular expression for grep, --include globs, reference kinds counted,
#  path filter, macro that must precede the reference's span)
Form = tuple[str, str, tuple[str, ...], tuple[str, ...], str, str]
C_FILES = ("*.c", "*.h", "*.S")
MAKEFILES = ("Makefile*", "*.mk", "Kbuild*")
FORMS: dict[str, list[Form]] = {
    "u-boot": [
        (
            "CONFIG_IS_ENABLED(X) in C",
            r"\bCONFIG_IS_ENABLED\([ \t]*[A-Za-z0-9_]+",
            C_FILES,
            ("phase_argument",),
            "",
            "CONFIG_IS_ENABLED",
        ),
        (
            "CONFIG_VAL(X) in C",
            r"\bCONFIG_VAL\([ \t]*[A-Za-z0-9_]+",
            C_FILES,
            ("phase_argument",),
            "",
            "CONFIG_VAL",
        ),
        (
            "CONFIG_$(PHASE_)X in Makefiles",
            r"\bCONFIG_\$\((PHASE_|SPL_TPL_|XPL_|SPL_)\)[A-Za-z0-9_]+",
            MAKEFILES,
            ("phase_argument",),
            "",
            "",
        ),
    ],
    "coreboot": [
        (
            "CONFIG(X) in C",
            r"\bCONFIG\([ \t]*[A-Za-z0-9_]+",
            (*C_FILES, "*.asl", "*.cc"),
            ("macro_argument",),
            "",
            "CONFIG",
        ),
    ],
    "buildroot": [
        (
            "$(BR2_X) in .mk",
            r"\$\(BR2_[A-Za-z0-9_]+\)",
            ("*.mk",),
            ("make_variable", "make_conditional", "make_switched_list"),
            "",
            "",
        ),
        (
            "BR2_X= in configs/*_defconfig",
            r"^BR2_[A-Za-z0-9_]+=",
            ("*_defconfig",),
            ("config_assignment",),
            "/configs/",
            "",
        ),
    ],
    "esp-idf": [
        (
            "${CONFIG_X} in CMake",
            r"\$\{CONFIG_[A-Za-z0-9_]+\}",
            ("CMakeLists.txt", "*.cmake"),
            ("cmake",),
            "",
            "${",
        ),
        (
            "CONFIG_X= in sdkconfig*",
            r"^CONFIG_[A-Za-z0-9_]+=",
            ("sdkconfig*",),
            ("config_assignment",),
            "",
            "",
        ),
    ],
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("tree")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=0, help="print a random sample of N findings per rule")
    parser.add_argument(
        "--speed-only", action="store_true", help="only the Kconfig-only lint against kconfiglib (part 3)"
    )
    arguments = parser.parse_args()
    root = os.path.abspath(arguments.tree)
    project = load_project_settings(root)
    settings = workspace_settings(root, project)
    if arguments.speed_only:
        return _print_speed(settings, arguments.runs)
    excluded = project.code_exclude if project.code_exclude is not None else default_code_exclude(root)

    index = CodeIndex(root, None, arguments.jobs, excluded)
    started = time.perf_counter()
    index.build()
    index_seconds = time.perf_counter() - started
    model = KconfigModel(settings)
    model.load()
    print(f"tree {root}: ecosystem {index.ecosystem.name}, root {settings.root_kconfig}")
    print(
        f"code index: {index.statistics.files} files in {index_seconds:.1f} s; excluded {', '.join(excluded)}"
    )

    findings = run_checks(CheckContext(model, index), RuleSettings(select=frozenset(CODE_RULES)))
    counts = Counter(finding.rule_code for finding in findings)
    print("\nfindings per code rule:")
    for rule in ALL_RULES:
        if rule.code in CODE_RULES:
            print(f"  {rule.code} {rule.name:28} {counts.get(rule.code, 0):6}")
    if arguments.sample:
        _print_samples(findings, model, arguments.sample)

    forms = FORMS.get(index.ecosystem.name, [])
    if forms:
        print("\nreference forms (index / grep -rEo):")
        for label, pattern, includes, kinds, path_filter, macro in forms:
            indexed = sum(
                1
                for references in index.references.values()
                for reference in references
                if reference.kind in kinds
                and (not path_filter or path_filter in reference.path)
                and any(fnmatch.fnmatchcase(os.path.basename(reference.path), glob) for glob in includes)
                and (not macro or _preceded_by(reference.path, reference.span.start, macro))
            )
            grepped = _grep_count(root, pattern, includes, excluded, path_filter)
            ratio = indexed / grepped if grepped else float("nan")
            print(f"  {label:34} {indexed:7} / {grepped:7}  = {ratio:.3f}")

    return _print_speed(settings, arguments.runs)


def _print_speed(settings: WorkspaceSettings, runs: int) -> int:
    """Part 3: medians of wall and CPU seconds (`time.process_time`), runs interleaved.

    The two engines alternate run by run, so that a busy machine's load
    affects both alike; the CPU ratio is the one to trust on a shared machine.
    """
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    failure: Exception | None = None
    for _ in range(runs):
        ours.append(_timed(lambda: _kconfig_only_lint(settings)))
        if failure is None:
            try:
                theirs.append(_timed(lambda: kconfiglib_parse(settings)))
            except Exception as error:  # kconfiglib lacks ESP-IDF's dialect (`help` in a `menu`)
                failure = error
    our_wall = statistics.median(t[0] for t in ours)
    our_cpu = statistics.median(t[1] for t in ours)
    load = os.getloadavg()[0]
    print(f"\nKconfig-only lint against kconfiglib's parse (medians of {runs}, load {load:.1f}):")
    if failure is not None or not theirs:
        print(
            f"  kconfig-ls {our_wall:.2f} s (CPU {our_cpu:.2f} s); kconfiglib cannot parse this tree: "
            f"{type(failure).__name__} {failure}"[:200]
        )
        return 0
    their_wall = statistics.median(t[0] for t in theirs)
    their_cpu = statistics.median(t[1] for t in theirs)
    for label, mine, reference in (("wall", our_wall, their_wall), ("CPU ", our_cpu, their_cpu)):
        ratio = mine / reference
        print(f"  {label}: kconfig-ls {mine:.2f} s, kconfiglib {reference:.2f} s, ratio {ratio:.2f}")
    return 0


def _print_samples(findings: list[Any], model: KconfigModel, size: int) -> None:
    by_rule: dict[str, list[Any]] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule_code, []).append(finding)
    for code, items in sorted(by_rule.items()):
        chosen = random.Random(12).sample(items, min(size, len(items)))
        print(f"\nsample of {len(chosen)} {code} findings:")
        for number, finding in enumerate(chosen, 1):
            data = model.texts.get(finding.location.path) or Path(finding.location.path).read_bytes()
            start = finding.location.span.start
            line = data[:start].count(b"\n") + 1
            text = (
                data[data.rfind(b"\n", 0, start) + 1 :].split(b"\n", 1)[0].decode("utf-8", "replace").strip()
            )
            print(f"  {number:2} {model.relative(finding.location.path)}:{line} | {text[:100]}")
            print(f"     {finding.message[:200]}")


_TEXTS: dict[str, bytes] = {}


def _preceded_by(path: str, start: int, macro: str) -> bool:
    """Whether `macro(` (or `${`) comes right before `start`, white space allowed."""
    data = _TEXTS.get(path)
    if data is None:
        data = _TEXTS[path] = Path(path).read_bytes()
    before = data[max(0, start - 64) : start].rstrip(b" \t\r\n\\")
    marker = macro.encode()
    if marker == b"${":
        return before.endswith(b"${")
    return before.endswith(marker + b"(") or before.rstrip(b"( \t").endswith(marker)


def _grep_count(
    root: str, pattern: str, includes: tuple[str, ...], excluded: tuple[str, ...], path_filter: str
) -> int:
    command = ["grep", "-rEo", "--binary-files=without-match"]
    command += [f"--include={glob}" for glob in includes]
    command += ["--exclude-dir=.git"] + [f"--exclude-dir={os.path.basename(folder)}" for folder in ()]
    command += [pattern, "."]
    output = subprocess.run(command, cwd=root, capture_output=True, check=False).stdout
    count = 0
    for line in output.splitlines():
        path = line.split(b":", 1)[0].decode("utf-8", "replace")[2:]
        if any(path == folder or path.startswith(folder.rstrip("/") + "/") for folder in excluded):
            continue
        if path_filter and path_filter not in "/" + path:
            continue
        if any(part.startswith(".") for part in path.split("/")[:-1]):
            continue  # the index skips hidden folders
        count += 1
    return count


def _kconfig_only_lint(settings: WorkspaceSettings) -> None:
    # Each run suggests names afresh, as the one run of a `kconfig-ls lint` process does
    # (the kept suggester would answer later runs from memory).
    forget_suggesters()
    model = KconfigModel(settings)
    model.load()
    # The lint's default rules (preview rules, some of them SAT analyses of
    # every world, are opt-in); the code rules find nothing without a code index.
    run_checks(CheckContext(model), RuleSettings(ignore=frozenset(CODE_RULES)))


def kconfiglib_parse(settings: WorkspaceSettings) -> kconfiglib_loader.KconfiglibTree:
    generated = {os.path.normpath(path): data for path, data in settings.generated_files.items()}
    original = kconfiglib_loader._SafeKconfig._open

    def open_with_generated(self: Any, filename: str, mode: str) -> Any:
        data = generated.get(os.path.normpath(filename))
        if data is not None and mode == "r":
            return io.StringIO(data.decode("utf-8"))
        return original(self, filename, mode)

    kconfiglib = kconfiglib_loader.kconfiglib
    original_glob = kconfiglib.iglob

    def glob_with_generated(pattern: str) -> Any:
        # kconfiglib leaves `$BR2_BASE_DIR` in a source path to the process environment,
        # which the loader does not set for such names: expand them from the settings.
        expanded = re.sub(
            r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?",
            lambda match: settings.environment.get(match.group(1), match.group(0)),
            pattern,
        )
        if "//" in expanded:  # `$srctree/` joined to an absolute `$BR2_BASE_DIR/...`
            expanded = "/" + expanded.rsplit("//", 1)[1]
        expanded = os.path.normpath(expanded)
        if expanded in generated:
            return iter([expanded])
        return original_glob(expanded if "$" in pattern else pattern)

    # Bench only: kconfiglib finds `source` targets with iglob and reads them with _open;
    # both see the generated files, so the tree is never written.
    kconfiglib_loader._SafeKconfig._open = open_with_generated
    kconfiglib.iglob = glob_with_generated
    try:
        return kconfiglib_loader.load_with_kconfiglib(
            settings.root, settings.root_kconfig, settings.environment
        )
    finally:
        kconfiglib_loader._SafeKconfig._open = original
        kconfiglib.iglob = original_glob


def _timed(work: Any) -> tuple[float, float]:
    """Wall and CPU seconds of one run; CPU counts this process and its children (the forked file walk)."""
    gc.collect()
    wall, cpu = time.perf_counter(), _cpu_seconds()
    work()
    return time.perf_counter() - wall, _cpu_seconds() - cpu


def _cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    sys.exit(main())
