"""`kconfig-ls lint --witness-dir DIR`: one `.config` witness per select-unmet-dependency finding.

A witness is the proof of a finding that anyone can replay: loading it with
the C tools (`make ARCH=arm KCONFIG_ALLCONFIG=witness.config allnoconfig`,
or kconfiglib's `load_config`) prints "unmet direct dependencies" for the
target. Files are named `SELECTOR-selects-TARGET.config`, start with a
comment naming the architecture and the unmet conjuncts, and spell each
line as the tree's own `conf` does (`line_prefix`: `CONFIG_`, nothing in
Buildroot, whose symbols carry `BR2_`; a nested tree's `CONFIG_` variable).
"""

from __future__ import annotations

import os

from kconfig_ls.logic.select_analysis import witness_config
from kconfig_ls.logic.world_analysis import select_analysis_for
from kconfig_ls.semantics.model import KconfigModel

__all__ = ["write_witnesses"]


def write_witnesses(
    model: KconfigModel, directory: str, cache_directory: str | None, line_prefix: str = "CONFIG_"
) -> int:
    """Write every witness of the model's tree into `directory`; return how many."""
    analysis = select_analysis_for(model, cache_directory)
    os.makedirs(directory, exist_ok=True)
    for finding in analysis.unmet.values():
        name = f"{finding.selector}-selects-{finding.target}.config"
        with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
            handle.write(witness_config(finding, line_prefix))
    return len(analysis.unmet)
