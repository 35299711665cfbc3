"""Profile: the pieces of the cold code index, each timed alone over the same files, in one process.

The cold index of Linux is compared with `git grep -c CONFIG_` (`bench_code_index.py`); this
script says where its CPU goes, piece by piece, so that a change can be aimed (and a claimed
floor checked). Over exactly the files `lint` indexes (the walk of `CodeIndex`, no cache), with
the cyclic collector off, CPU time (`time.process_time`) and wall time of each piece, best of
`--repeat`:

- the walk; opening and reading every file (`read_plain_regular_file`), one at a time with the
  prefilter as a worker does, and all kept (for the rows below); the `CONFIG_` prefilter;
- single C-speed passes over the C files that hold `CONFIG_`: one compiled `re.finditer` for
  `CONFIG_`, one for the directives, counting newlines (what any further pass costs);
- the scans by kind (`scan_code_file` with the bytes given: C, Makefiles, config files); after
  the first repetition the conditions are cached, so for C also the parse of its distinct
  conditions, each once: what a fresh worker pays on top (emptying the caches between
  repetitions instead measured 0.3 s slower than a fresh process's first scan: an artefact);
- `marshal` and `pickle` of all entries (the transfer from the workers), the merge, the
  reference table.

    python bench/profile_code_index.py [--tree PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import marshal
import os
import pickle
import re
import sys
import time
from collections.abc import Callable
from typing import Any

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TREE = os.environ.get("KCONFIG_LS_LINUX_TREE", "/work/corpus/linux-source-6.12")


def timed(label: str, action: Callable[[], Any], repeat: int) -> Any:
    best_cpu = best_wall = float("inf")
    result = None
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = action()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    print(f"{label:58} {best_cpu:7.3f} {best_wall:7.3f}", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", default=DEFAULT_TREE)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    sys.path.insert(0, REPOSITORY)
    from kconfig_ls.semantics import code_index
    from kconfig_ls.semantics.code_files import CodeFileKind
    from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings
    from kconfig_ls.syntax import c_conditions
    from kconfig_ls.vfs.overlay import read_plain_regular_file

    settings = AnalysisSettings(project_root=arguments.tree, cache_directory=None)
    resolved = resolve_settings(settings)
    index = code_index.CodeIndex(resolved.workspace.root, None, 1, resolved.code_exclude)
    repeat = arguments.repeat
    print(f"tree {arguments.tree}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'piece':58} {'CPU s':>7} {'wall s':>7}")
    gc.disable()
    listing = timed("walk (no kept listings)", lambda: list(index._walk()), repeat)
    paths = [path for path, _, _ in listing]

    def read_all() -> list[bytes]:
        return [plain[0] if (plain := read_plain_regular_file(path, 1 << 30)) else b"" for path in paths]

    def read_and_drop() -> int:
        # As a worker reads: each file's bytes freed before the next is read (keeping all 1.3 GB,
        # as `read_all` must for the rows below, adds the page faults of fresh memory).
        found = 0
        for path in paths:
            plain = read_plain_regular_file(path, 1 << 30)
            if plain is not None and plain[0].find(b"CONFIG_") >= 0:
                found += 1
        return found

    timed(f"open, read and prefilter {len(paths)} files, one at a time", read_and_drop, repeat)
    datas = timed(f"open and read {len(paths)} files, all kept", read_all, repeat)
    kinds = [index.classify(path) for path in paths]
    hits = timed(
        "the CONFIG_ prefilter (bytes.find)", lambda: [d.find(b"CONFIG_") >= 0 for d in datas], repeat
    )
    c_hits = [d for d, hit, kind in zip(datas, hits, kinds, strict=True) if hit and kind is CodeFileKind.C]
    megabytes = sum(map(len, c_hits)) / 1e6
    print(f"  {len(c_hits)} C files hold CONFIG_ ({megabytes:.0f} MB of {sum(map(len, datas)) / 1e6:.0f} MB)")
    identifier = re.compile(rb"CONFIG_[A-Za-z0-9_]*")
    directive = re.compile(rb"#[ \t]*(ifdef|ifndef|if|elifdef|elifndef|elif|else|endif)(?![A-Za-z0-9_$])")
    for name, pattern in (("CONFIG_", identifier), ("directives", directive)):

        def one_pass(p: re.Pattern[bytes] = pattern) -> list[int]:
            return [sum(1 for _ in p.finditer(d)) for d in c_hits]

        timed(f"one re.finditer pass for {name} over those", one_pass, repeat)
    timed("counting their newlines (bytes.count)", lambda: [d.count(b"\n") for d in c_hits], repeat)
    entries: list[Any] = []
    for kind in (CodeFileKind.C, CodeFileKind.MAKEFILE, CodeFileKind.CONFIG):
        chosen = [(p, d) for p, d, k in zip(paths, datas, kinds, strict=True) if k is kind]

        def scan(chosen: list[tuple[str, bytes]] = chosen, kind: CodeFileKind = kind) -> list[Any]:
            return [code_index.scan_code_file(p, d, len(d), 0, index.syntax, kind) for p, d in chosen]

        entries += timed(f"scan {len(chosen)} {kind.value} files (bytes given)", scan, repeat)
        if kind is CodeFileKind.C:
            conditions = list(c_conditions._condition_cache)

            def parse(known: list[tuple[str, str]] = conditions) -> list[Any]:
                return [c_conditions._directive_condition(k, text, frozenset()) for k, text in known]

            timed(f"  its {len(conditions)} distinct conditions, each parsed once", parse, repeat)
    blob = timed("marshal.dumps of every entry", lambda: marshal.dumps(entries), repeat)
    timed(f"marshal.loads ({len(blob) / 1e6:.1f} MB)", lambda: marshal.loads(blob), repeat)
    timed("pickle.dumps of every entry", lambda: pickle.dumps(entries, 5), repeat)
    table = timed("merge into the entry table", lambda: dict(zip(paths, entries, strict=False)), repeat)
    index.entries = {path: entry for path, entry in table.items() if entry is not None}

    def references() -> int:
        index._references = None
        return len(index.references)

    timed("the reference table", references, repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
