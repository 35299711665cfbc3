"""Our Kconfig model of a fetched tree against kconfiglib's, symbol by symbol.

Usage::

    python bench/ecosystem_agreement.py /work/corpora/u-boot [--show 20]
    python bench/ecosystem_agreement.py /work/corpora/esp-idf --esp-python /tmp/esp25/bin/python \\
        --target esp32 --target esp32c3

The tree's ecosystem, root and environment are found as `kconfig-ls lint`
finds them (`--env NAME=VALUE` adds to it); kconfiglib reads the same tree
with the same environment and the ecosystem's generated files (served from
memory, never written into the tree, as in `bench/bench_ecosystems.py`).
Every symbol kconfiglib defines is compared with our reached definitions by
`compare_models` of `tests/linux/test_kconfiglib_agreement.py` (definition
sites, type, direct dependency, selects, implies, prompts; expressions by
value under random assignments) and by choice membership (the symbol table's
members against kconfiglib's `Symbol.choice`). It prints the symbols compared and the
mismatches per aspect, the first `--show` of each.

ESP-IDF: kconfiglib 14 cannot read it (it rejects `help` inside a `menu`, an
ESP-IDF extension), and `esp_kconfiglib` 3.x is a parser of its own without
the hooks the loader needs. The reference is then esp-idf-kconfig 2.5.x,
whose `kconfiglib` package is kconfiglib extended by Espressif (its default
parser, version 1, is kconfiglib's). It is not a dependency of the project:
install it into a venv of its own (`python3 -m venv /tmp/esp25 &&
/tmp/esp25/bin/pip install esp-idf-kconfig==2.5.4`) and name that venv's
interpreter with `--esp-python`. It runs there as a subprocess (this file,
`--oracle-child`), through our loader (`kconfig_ls.semantics.kconfiglib_loader`,
the same hooks as for kconfiglib), and hands back the converted symbols.
Its environment is the one ESP-IDF's build gives `kconfgen`
(`tools/cmake/kconfig.cmake`, `tools/kconfig_new/config.env.in`): IDF_PATH,
IDF_TARGET, IDF_TOOLCHAIN, IDF_VERSION, IDF_ENV_FPGA, IDF_MINIMAL_BUILD,
COMPONENT_KCONFIGS and COMPONENT_KCONFIGS_PROJBUILD (the components'
files, `;`-separated, as `kconfig_ls.settings.ecosystem` finds them) and the
`COMPONENT_KCONFIGS*_SOURCE_FILE` files `prepare_kconfig_files.py` writes
from them, written here into a temporary folder outside the tree. Each
`--target` (IDF_TARGET) is compared in turn; without one, the configured
target. Without `--esp-python` an ESP-IDF tree is read by kconfiglib 14,
which rejects it: the script says so and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from typing import Any

BENCH = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(BENCH)

# The environment ESP-IDF's build gives kconfgen beside the `COMPONENT_KCONFIGS*` lists and
# files (tools/kconfig_new/config.env.in, tools/cmake/kconfig.cmake's `--env` arguments).
_IDF_VARIABLES = (
    "IDF_PATH",
    "IDF_TARGET",
    "IDF_TOOLCHAIN",
    "IDF_VERSION",
    "IDF_INIT_VERSION",
    "IDF_ENV_FPGA",
    "IDF_MINIMAL_BUILD",
)
_SOURCE_FILES = {
    "COMPONENT_KCONFIGS_SOURCE_FILE": "kconfigs.in",
    "COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE": "kconfigs_projbuild.in",
    "COMPONENT_KCONFIGS_EXCLUDED_SOURCE_FILE": "kconfigs_excluded.in",
    "COMPONENT_KCONFIGS_PROJBUILD_EXCLUDED_SOURCE_FILE": "kconfigs_projbuild_excluded.in",
}
_LISTS = {
    "COMPONENT_KCONFIGS_SOURCE_FILE": "COMPONENT_KCONFIGS",
    "COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE": "COMPONENT_KCONFIGS_PROJBUILD",
}


class ReplayedTree:
    """The symbols an oracle run in another interpreter converted, queried as a `KconfiglibTree`."""

    def __init__(self, names: list[str], symbols: dict[str, Any], warnings: list[str], version: str) -> None:
        self._names = names
        self._symbols = symbols
        self.warnings = warnings
        self.version = version

    def symbol_names(self) -> list[str]:
        return self._names

    def symbol(self, name: str) -> Any:
        return self._symbols.get(name)


def idf_oracle_environment(settings: Any, folder: str) -> dict[str, str]:
    """The environment of ESP-IDF's kconfgen for these settings; the source files written into `folder`."""
    environment = {name: settings.environment.get(name, "") for name in _IDF_VARIABLES}
    environment["KCONFIG_PROMPTLESS_NO_WARN"] = "IDF_TARGET"
    generated = {os.path.normpath(path): data for path, data in settings.generated_files.items()}
    for variable, file_name in _SOURCE_FILES.items():
        data = generated.get(os.path.normpath(settings.environment.get(variable, "")), b"")
        path = os.path.join(folder, file_name)
        with open(path, "wb") as handle:
            handle.write(data)
        environment[variable] = path
        if variable in _LISTS:
            # prepare_kconfig_files.py writes one `source "PATH"` line per entry of the list.
            lines = data.decode("utf-8", "surrogateescape").splitlines()
            paths = [line.split('"')[1] for line in lines if line.startswith('source "')]
            environment[_LISTS[variable]] = ";".join(paths)
    return environment


def run_esp_oracle(settings: Any, esp_python: str) -> ReplayedTree:
    """esp-idf-kconfig's kconfiglib in `esp_python`, as a subprocess; raises RuntimeError when it fails."""
    with tempfile.TemporaryDirectory(prefix="kconfig-ls-esp-oracle-") as folder:
        environment = idf_oracle_environment(settings, folder)
        request = os.path.join(folder, "environment.json")
        answer = os.path.join(folder, "symbols.pickle")
        with open(request, "w", encoding="utf-8") as handle:
            json.dump(environment, handle)
        process_environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": PROJECT,
            **environment,
        }
        # -P: neither bench/ nor the working folder goes on the child's path (a stray
        # `types.py` in /tmp would shadow the standard library's).
        completed = subprocess.run(
            [esp_python, "-P", os.path.abspath(__file__), "--oracle-child", request, answer],
            env=process_environment,
            cwd=folder,
            capture_output=True,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:])
        with open(answer, "rb") as handle:
            names, symbols, warnings, version = pickle.load(handle)
    return ReplayedTree(names, symbols, warnings, version)


def oracle_child(request: str, answer: str) -> int:
    """In esp-idf-kconfig's interpreter: load the tree with its kconfiglib, pickle the symbols."""
    import kconfiglib.core  # type: ignore[import-not-found]  # esp-idf-kconfig 2.5.x

    # The package exports only `Kconfig`; the loader needs the module's constants too. The
    # fork has no tristate and no `m` symbol: a sentinel that no symbol is.
    sys.modules["kconfiglib"] = kconfiglib.core
    kconfiglib.core.Kconfig.m = object()
    from importlib.metadata import version

    from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib

    with open(request, encoding="utf-8") as handle:
        environment: dict[str, str] = json.load(handle)
    # `$IDF_TARGET` in `source` paths and strings is expanded from os.environ by the fork.
    os.environ.update(environment)
    tree = load_with_kconfiglib(environment["IDF_PATH"], "Kconfig", environment)
    names = tree.symbol_names()
    symbols = {symbol.name: symbol for symbol in tree.symbols()}
    with open(answer, "wb") as handle:
        pickle.dump((names, symbols, tree.warnings, version("esp-idf-kconfig")), handle)
    return 0


def _typed_by_the_table(table: Any, mismatch: str) -> bool:
    """`NAME: ours None, kconfiglib bool` where the symbol table's type is kconfiglib's."""
    name, _, rest = mismatch.partition(": ours None, kconfiglib ")
    semantics = table.symbols.get(name)
    return bool(rest) and semantics is not None and semantics.type == rest


def compare_tree(root: str, environment: dict[str, str], esp_python: str | None, show: int) -> int:
    """Compare one configuration of the tree; 0 when everything agrees, 1 on mismatches, 2 when rejected."""
    sys.path[:0] = [PROJECT, BENCH]
    import bench_ecosystems

    from kconfig_ls.semantics.model import KconfigModel
    from kconfig_ls.semantics.symbols import build_symbol_table
    from kconfig_ls.settings.ecosystem import ecosystem_for_project
    from kconfig_ls.settings.project_file import load_project_settings
    from kconfig_ls.settings.resolve import workspace_settings
    from tests.linux.test_kconfiglib_agreement import compare_models

    settings = workspace_settings(root, load_project_settings(root), environment=environment)
    started = time.process_time()
    model = KconfigModel(settings)
    model.load()
    ours_seconds = time.process_time() - started
    ecosystem = ecosystem_for_project(root).name
    started = time.process_time()
    reference = "kconfiglib"
    try:
        if ecosystem == "esp-idf" and esp_python:
            tree: Any = run_esp_oracle(settings, esp_python)
            reference = f"esp-idf-kconfig {tree.version} (kconfiglib parser)"
        else:
            tree = bench_ecosystems.kconfiglib_parse(settings)
    except Exception as error:  # kconfiglib's own failures are not all KconfigError
        print(
            f"tree {root}: ecosystem {ecosystem}: {reference} rejected the tree: "
            f"{type(error).__name__}: {error}"
        )
        return 2
    # The subprocess's CPU time is the children's.
    theirs_seconds = time.process_time() - started
    agreement = compare_models(model, tree)
    # A choice member written with only a prompt has no type of its own: the semantic
    # symbol table gives it the choice's, as the C tools do (U-Boot's RZA1); compare that.
    table = build_symbol_table(model)
    agreement.mismatches["type"] = [
        line for line in agreement.mismatches.get("type", []) if not _typed_by_the_table(table, line)
    ]
    agreement.mismatches["choice membership"] = _membership_mismatches(table, tree)
    mismatches = sum(len(found) for found in agreement.mismatches.values())
    chosen = "".join(f", {name}={settings.environment.get(name, '')}" for name in sorted(environment))
    timing = f"ours {ours_seconds:.1f} s CPU"
    if reference == "kconfiglib":
        timing += f", theirs {theirs_seconds:.1f} s CPU"
    print(
        f"tree {root}: ecosystem {ecosystem}{chosen}, root {settings.root_kconfig}, "
        f"reference {reference} ({timing})"
    )
    print(
        f"  symbols compared: {agreement.symbols}, expressions compared: {agreement.expressions}, "
        f"mismatches: {mismatches}"
    )
    for aspect, found in sorted(agreement.mismatches.items()):
        if not found:
            continue
        print(f"  {aspect}: {len(found)}")
        for line in found[:show]:
            print(f"    {line}")
    return 0 if mismatches == 0 else 1


def _membership_mismatches(table: Any, tree: Any) -> list[str]:
    """Symbols that are a choice's member for one side only (kconfig's `menu_finalize` makes an
    entry that depends on the member before it that member's child, not a member)."""
    found: list[str] = []
    for name in tree.symbol_names():
        theirs = tree.symbol(name)
        ours = table.symbols.get(name)
        if theirs is None or ours is None:
            continue
        if (theirs.choice is not None) != (ours.choice is not None):
            side = "ours" if ours.choice is not None else "kconfiglib's"
            found.append(f"{name}: a member of a choice for {side} only")
    return found


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--oracle-child":
        return oracle_child(sys.argv[2], sys.argv[3])
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("tree")
    parser.add_argument("--show", type=int, default=20, help="mismatches shown per aspect")
    parser.add_argument(
        "--env", action="append", default=[], metavar="NAME=VALUE", help="a variable for the tree's macros"
    )
    parser.add_argument(
        "--esp-python", help="the interpreter of a venv with esp-idf-kconfig 2.5.x (ESP-IDF's reference)"
    )
    parser.add_argument(
        "--target", action="append", default=[], help="ESP-IDF: an IDF_TARGET to compare (repeatable)"
    )
    arguments = parser.parse_args()
    root = os.path.abspath(arguments.tree)
    environment = dict(item.split("=", 1) for item in arguments.env if "=" in item)
    worst = 0
    for target in arguments.target or [None]:
        chosen = dict(environment) if target is None else {**environment, "IDF_TARGET": target}
        worst = max(worst, compare_tree(root, chosen, arguments.esp_python, arguments.show))
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
