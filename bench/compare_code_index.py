"""Identity check for the code index: dump what it holds for a tree, and compare two dumps.

A speed change to the scanners or the cache must not change one occurrence.
`--dump` builds the index of each tree as `lint` makes it (the host's
settings: ecosystem, exclusions), cold (no cache), one process per tree, and
writes every file's kind, references (symbol, span, line, kind, module
suffix), own `CONFIG_` names, built objects, `#endif` comment mismatches,
problems and renamings, with lists and tuples normalised (so the stored
shape may change), plus the reference table as `CodeIndex.references` gives
it. `--warm` then builds it a second time from the cache written by the
first and checks the two are equal (`--deferred`: that cache written as
`lint` writes it, by a forked child after the build). `--compare A B` reports the first
differences of two dumps; run the dump with the old code (a copy of the
package on `PYTHONPATH`) and with the new one:

    python bench/compare_code_index.py --dump /tmp/new.marshal [--warm] [--deferred] [TREE ...]
    python bench/compare_code_index.py --compare /tmp/old.marshal /tmp/new.marshal

The default trees are Linux 6.12 and the four corpora of /work/corpora.
"""

from __future__ import annotations

import argparse
import marshal
import os
import sys
import tempfile
from typing import Any

DEFAULT_TREES = [
    os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12"),
    *(os.path.join("/work/corpora", name) for name in ("u-boot", "coreboot", "buildroot", "esp-idf")),
]


def _plain(value: Any) -> Any:
    """Lists and tuples (nested) as lists, so the comparison ignores the stored container type."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def _content(index: Any) -> dict[str, Any]:
    files = {path: _plain(entry[2:]) for path, entry in index.entries.items()}
    table = {
        symbol: [[r.path, list(r.span), r.line, r.kind, r.module_suffix] for r in uses]
        for symbol, uses in index.references.items()
    }
    return {
        "order": list(index.entries),
        "files": files,
        "references": table,
        "defined": sorted(index.defined_in_code),
        "mismatches": [
            _plain([m.path, m.named_symbol, m.identifier_span, m.block_symbols])
            for m in index.comment_mismatches()
        ],
        "problems": [list(problem) for problem in index.problems()],
    }


def dump_tree(tree: str, warm: bool, deferred: bool = False) -> dict[str, Any]:
    from kconfig_ls.analysis.host import AnalysisHost
    from kconfig_ls.settings.analysis_settings import AnalysisSettings

    with tempfile.TemporaryDirectory() as cache:
        host = AnalysisHost(AnalysisSettings(project_root=tree, cache_directory=cache))
        index = host.new_code_index()
        index.cache_directory = cache
        # As `lint` builds it: the cache written afterwards, by a forked child.
        index.defer_cache_write = deferred
        index.build()
        index.write_cache()
        content = _content(index)
        index.wait_for_cache_write()
        if warm:
            again = host.new_code_index()
            again.cache_directory = cache
            again.build()
            if again.statistics.scanned:
                print(f"{tree}: warm build rescanned {again.statistics.scanned} files", file=sys.stderr)
            if _content(again) != content:
                print(f"{tree}: the warm index differs from the cold one", file=sys.stderr)
                content["warm_differs"] = True
    return content


def compare(first: dict[str, Any], second: dict[str, Any]) -> int:
    differences = 0
    for tree in sorted(set(first) | set(second)):
        a, b = first.get(tree), second.get(tree)
        if a is None or b is None:
            print(f"{tree}: only in one dump")
            differences += 1
            continue
        for key in sorted(set(a) | set(b)):
            if a.get(key) == b.get(key):
                continue
            differences += 1
            print(f"{tree}: {key} differs")
            if key == "files":
                paths = sorted(set(a[key]) | set(b[key]))
                shown = 0
                for path in paths:
                    if a[key].get(path) != b[key].get(path) and shown < 5:
                        shown += 1
                        print(f"  {path}:\n    {a[key].get(path)}\n    {b[key].get(path)}")
        if tree in first and tree in second:
            files = a["files"]
            references = sum(len(entry[1]) for entry in files.values())
            print(f"{tree}: {len(files)} files, {references} references compared")
    print("identical" if differences == 0 else f"{differences} differences")
    return 0 if differences == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dump", metavar="OUTPUT")
    parser.add_argument("--warm", action="store_true", help="also check the index rebuilt from its cache")
    parser.add_argument(
        "--deferred", action="store_true", help="write the cold build's cache as lint does (a forked child)"
    )
    parser.add_argument("--compare", nargs=2, metavar=("FIRST", "SECOND"))
    parser.add_argument("--one", nargs=2, metavar=("TREE", "OUTPUT"), help=argparse.SUPPRESS)
    parser.add_argument("trees", nargs="*")
    arguments = parser.parse_args()
    if arguments.one:
        tree, output = arguments.one
        with open(output, "wb") as handle:
            marshal.dump(dump_tree(tree, arguments.warm, arguments.deferred), handle)
        return 0
    if arguments.compare:
        loaded = []
        for path in arguments.compare:
            with open(path, "rb") as handle:
                loaded.append(marshal.load(handle))
        return compare(*loaded)
    if not arguments.dump:
        parser.error("--dump OUTPUT or --compare FIRST SECOND")
    import subprocess

    result: dict[str, Any] = {}
    for tree in arguments.trees or DEFAULT_TREES:
        with tempfile.NamedTemporaryFile(suffix=".marshal") as part:
            command = [sys.executable, os.path.abspath(__file__), "--one", tree, part.name]
            if arguments.warm:
                command.insert(2, "--warm")
            if arguments.deferred:
                command.insert(2, "--deferred")
            subprocess.run(command, check=True)
            with open(part.name, "rb") as handle:
                result[os.path.abspath(tree)] = marshal.load(handle)
        print(f"dumped {tree}", file=sys.stderr)
    with open(arguments.dump, "wb") as handle:
        marshal.dump(result, handle)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
