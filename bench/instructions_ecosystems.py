"""The Kconfig-only lint against kconfiglib's parse in instructions (valgrind), not seconds.

Usage::

    python bench/instructions_ecosystems.py /work/corpora/buildroot

On a shared machine the CPU seconds of `bench_ecosystems.py --speed-only`
swing by 20-30% from run to run (Buildroot's ratio read 1.62 and 2.43 a
minute apart on the same code); instruction counts do not. Each engine runs
once in a fresh process under `valgrind --tool=callgrind` (about 50 times
slower: a few minutes per tree), and so does the same process without the
work (imports and settings only); the difference is the work's instructions.
Ours is what `bench_ecosystems.py` times (`KconfigModel.load` plus the
stable Kconfig rules), in the main process only (the forked walk for
unreached files and the kernel's time are not counted, nor are they for
kconfiglib's file reads); theirs is `bench_ecosystems.kconfiglib_parse`.
Needs `valgrind` on the PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(BENCH)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("tree")
    parser.add_argument("--child", choices=("ours", "theirs", "none"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    root = os.path.abspath(arguments.tree)
    if arguments.child:
        return _child(root, arguments.child)
    counts = {mode: _instructions(root, mode) for mode in ("none", "ours", "theirs")}
    ours = counts["ours"] - counts["none"]
    theirs = counts["theirs"] - counts["none"]
    print(f"tree {root}: instructions (millions), one run each under callgrind")
    print(f"  kconfig-ls Kconfig-only lint {ours / 1e6:9.0f}")
    print(f"  kconfiglib parse             {theirs / 1e6:9.0f}")
    print(f"  ratio {ours / theirs:.2f}")
    return 0


def _instructions(root: str, mode: str) -> int:
    """Instructions of the main process of one child run (the largest count valgrind reports)."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, os.path.abspath(__file__), root, "--child", mode]
    environment = dict(os.environ, PYTHONPATH=PROJECT + os.pathsep + BENCH)
    output = subprocess.run(command, capture_output=True, text=True, env=environment, check=True).stderr
    counts = [int(value.replace(",", "")) for value in re.findall(r"Collected : ([\d,]+)", output)]
    return max(counts)


def _child(root: str, mode: str) -> int:
    from bench_ecosystems import _kconfig_only_lint, kconfiglib_parse

    from kconfig_ls.settings.project_file import load_project_settings
    from kconfig_ls.settings.resolve import workspace_settings

    settings = workspace_settings(root, load_project_settings(root))
    if mode == "ours":
        _kconfig_only_lint(settings)
    elif mode == "theirs":
        kconfiglib_parse(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
