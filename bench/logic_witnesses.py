"""Precision of select-unmet-dependency, self-verified: replay every witness with kconfiglib.

For each finding on a tree (every world: each Linux architecture), the
witness `.config` fragment is loaded by kconfiglib (the `modules` shim on,
commands not run) in the finding's world, every symbol is evaluated, and
the finding counts as confirmed when kconfiglib warns that the target is
selected by the selector while its direct dependencies are lower.

    PYTHONPATH=$PWD python bench/logic_witnesses.py [--tree PATH] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter

from kconfig_ls.logic.select_analysis import UnmetSelect, witness_config
from kconfig_ls.logic.world_analysis import select_analysis_for
from kconfig_ls.semantics.kconfiglib_loader import KconfiglibError, load_with_kconfiglib, unmet_select_pairs
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.worlds import world_settings
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tree", default="/work/corpus/linux-source-6.12")
    parser.add_argument("--root", default="Kconfig")
    parser.add_argument("--arch", default="x86")
    parser.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "kconfig-ls-logic"))
    arguments = parser.parse_args()
    settings = workspace_settings(
        arguments.tree, ProjectSettings(root_kconfig=arguments.root), arch=arguments.arch
    )
    model = KconfigModel(settings)
    model.load()
    started = time.perf_counter()
    analysis = select_analysis_for(model, arguments.cache_dir)
    print(
        f"analysis: {len(analysis.unmet)} findings in {time.perf_counter() - started:.1f} s", file=sys.stderr
    )
    by_world: dict[str, list[UnmetSelect]] = {}
    for finding in analysis.unmet.values():
        by_world.setdefault(finding.witness_world, []).append(finding)
    outcome: Counter[str] = Counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for world, findings in sorted(by_world.items()):
            chosen = world_settings(settings, world) if world else settings
            try:
                tree = load_with_kconfiglib(
                    chosen.root, chosen.root_kconfig, chosen.environment, trust_commands=False
                )
            except KconfiglibError as error:
                outcome["kconfiglib cannot load the world"] += len(findings)
                failures.append(f"{world}: {error}")
                continue
            for finding in findings:
                path = os.path.join(folder, "witness.config")
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(witness_config(finding))
                tree.load_config(path)
                pairs = {
                    pair for warning in tree.evaluation_warnings() for pair in unmet_select_pairs(warning)
                }
                key = (finding.selector, finding.target)
                if key in pairs:
                    outcome["confirmed"] += 1
                else:
                    outcome["not reproduced"] += 1
                    failures.append(f"{world}: {key[0]} -> {key[1]} ({finding.unmet})")
    print(f"findings: {len(analysis.unmet)}; " + ", ".join(f"{k}: {v}" for k, v in sorted(outcome.items())))
    for line in failures:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
