"""Soundness of select-unmet-dependency against kconfiglib on random configurations.

For N random configurations of Linux 6.12 x86 (kconfiglib's values, set
in definition order from what each symbol can take, uniformly or biased
towards the highest value so that deep menus are reached, the `modules`
shim on, commands not run), every "currently being selected" warning
kconfiglib raises names a target and the selectors whose select exceeds
the target's direct dependencies. Each such (selector, target) pair must
be among the logic's findings for x86. Prints the counts.

    PYTHONPATH=$PWD python bench/logic_soundness.py [--configs 300] [--tree PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from kconfig_ls.logic.select_analysis import analyse_selects
from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib, unmet_select_pairs
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.symbols import build_symbol_table
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings

_BIASES = (0.0, 0.5, 0.8, 0.9, 0.95)
"""Configurations cycle through these chances of taking a symbol's highest value."""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", type=int, default=300)
    parser.add_argument("--tree", default="/work/corpus/linux-source-6.12")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    settings = workspace_settings(arguments.tree, ProjectSettings(), arch="x86")
    started = time.perf_counter()
    model = KconfigModel(settings)
    model.load()
    analysis = analyse_selects({"x86": build_symbol_table(model, "x86")})
    found = {(u.selector, u.target) for u in analysis.unmet.values()}
    print(
        f"logic: {len(found)} unmet selects on x86 in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )
    tree = load_with_kconfiglib(
        settings.root, settings.root_kconfig, settings.environment, trust_commands=False
    )
    seen: dict[tuple[str, str], int] = {}
    warned_configs = 0
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, ".config")
        for index in range(arguments.configs):
            tree.randomise(arguments.seed + index, bias=_BIASES[index % len(_BIASES)])
            tree.write_config(path)
            tree.load_config(path)
            pairs = [pair for warning in tree.evaluation_warnings() for pair in unmet_select_pairs(warning)]
            warned_configs += bool(pairs)
            for pair in pairs:
                seen[pair] = seen.get(pair, 0) + 1
            if (index + 1) % 25 == 0:
                print(f"{index + 1} configurations, {len(seen)} distinct warned selects", file=sys.stderr)
    missed = sorted(pair for pair in seen if pair not in found)
    print(f"configurations: {arguments.configs} (with a select warning: {warned_configs})")
    print(f"warnings (selector, target occurrences): {sum(seen.values())}; distinct pairs: {len(seen)}")
    print(f"distinct pairs among the findings: {len(seen) - len(missed)}; missed: {len(missed)}")
    for selector, target in missed:
        print(f"  MISSED {selector} -> {target} ({seen[(selector, target)]} configurations)")
    print(f"findings on x86: {len(found)}; seen in the random configurations: {len(found & set(seen))}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
