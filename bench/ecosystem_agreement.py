"""Our Kconfig model of a fetched tree against kconfiglib's, symbol by symbol.

Usage::

    python bench/ecosystem_agreement.py /work/corpora/u-boot [--show 20]

The tree's ecosystem, root and environment are found as `kconfig-ls lint`
finds them; kconfiglib reads the same tree with the same environment and the
ecosystem's generated files (served from memory, never written into the
tree, as in `bench/bench_ecosystems.py`). Every symbol kconfiglib defines is
compared with our reached definitions by `compare_models` of
`tests/linux/test_kconfiglib_agreement.py` (definition sites, type, direct
dependency, selects, implies, prompts; expressions by value under random
assignments). It prints the symbols compared and the mismatches per aspect,
the first `--show` of each.

kconfiglib cannot read ESP-IDF (it rejects `help` inside a `menu`, an
ESP-IDF extension), and ESP-IDF's `esp_kconfiglib` 3.x is a parser of its own
without the hooks the loader needs (`_open`, the preprocessor); the script
then says that the reference rejected the tree and exits with 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(BENCH), BENCH]

import bench_ecosystems  # noqa: E402

from kconfig_ls.semantics.model import KconfigModel  # noqa: E402
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table  # noqa: E402
from kconfig_ls.settings.ecosystem import ecosystem_for_project  # noqa: E402
from kconfig_ls.settings.project_file import load_project_settings  # noqa: E402
from kconfig_ls.settings.resolve import workspace_settings  # noqa: E402
from tests.linux.test_kconfiglib_agreement import compare_models  # noqa: E402


def _typed_by_the_table(table: SymbolTable, mismatch: str) -> bool:
    """`NAME: ours None, kconfiglib bool` where the symbol table's type is kconfiglib's."""
    name, _, rest = mismatch.partition(": ours None, kconfiglib ")
    semantics = table.symbols.get(name)
    return bool(rest) and semantics is not None and semantics.type == rest


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("tree")
    parser.add_argument("--show", type=int, default=20, help="mismatches shown per aspect")
    arguments = parser.parse_args()
    root = os.path.abspath(arguments.tree)
    settings = workspace_settings(root, load_project_settings(root))
    started = time.process_time()
    model = KconfigModel(settings)
    model.load()
    ours_seconds = time.process_time() - started
    ecosystem = ecosystem_for_project(root).name
    started = time.process_time()
    try:
        tree = bench_ecosystems.kconfiglib_parse(settings)
    except Exception as error:  # kconfiglib's own failures are not all KconfigError
        print(
            f"tree {root}: ecosystem {ecosystem}: kconfiglib rejected the tree: "
            f"{type(error).__name__}: {error}"
        )
        return 2
    theirs_seconds = time.process_time() - started
    agreement = compare_models(model, tree)
    # A choice member written with only a prompt has no type of its own: the semantic
    # symbol table gives it the choice's, as the C tools do (U-Boot's RZA1); compare that.
    table = build_symbol_table(model)
    agreement.mismatches["type"] = [
        line for line in agreement.mismatches.get("type", []) if not _typed_by_the_table(table, line)
    ]
    mismatches = sum(len(found) for found in agreement.mismatches.values())
    print(
        f"tree {root}: ecosystem {ecosystem}, root {settings.root_kconfig}, reference kconfiglib"
        f" (ours {ours_seconds:.1f} s CPU, theirs {theirs_seconds:.1f} s CPU)"
    )
    print(
        f"  symbols compared: {agreement.symbols}, expressions compared: {agreement.expressions}, "
        f"mismatches: {mismatches}"
    )
    for aspect, found in sorted(agreement.mismatches.items()):
        if not found:
            continue
        print(f"  {aspect}: {len(found)}")
        for line in found[: arguments.show]:
            print(f"    {line}")
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
