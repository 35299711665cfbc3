"""What a warm code index imports: the settings and the index, not the Kconfig syntax.

A warm start of Linux's index is ~0.5 s as a whole process. It parses no Kconfig file
and scans no code file, yet importing the Kconfig syntax and expressions (the model's
records, `Span` in the syntax tree's nodes) and `tomllib` (for settings files most trees
and users lack) cost 0.03-0.05 s of it. Each case runs in a fresh interpreter, as the
bench's warm row does: one process builds the cache, the next starts from it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures import write_fixture

REPOSITORY = Path(__file__).resolve().parents[2]

TREE = """
//- /Kconfig
config A
	bool
//- /Makefile
obj-$(CONFIG_A) += a.o
//- /a.c
#ifdef CONFIG_A
int a;
#endif /* CONFIG_A */
"""

# As the bench's warm row (`bench_code_index._host_index`): settings resolved, the index built,
# its reference table read (a symbol's rows decoded), then the modules it ended with.
_PROBE = """
import json, sys
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings

root, cache = sys.argv[1:]
settings = AnalysisSettings(project_root=root, cache_directory=cache)
resolved = resolve_settings(settings)
index = CodeIndex(resolved.workspace.root, cache, 1, resolved.code_exclude)
index.build()
uses = [(reference.path, reference.span.start) for reference in index.references["A"]]
print(json.dumps({"scanned": index.statistics.scanned, "uses": len(uses), "modules": sorted(sys.modules)}))
"""


def _probe(root: Path, cache: Path) -> dict[str, object]:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, str(root), str(cache)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
        timeout=120,
    )
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_a_warm_index_imports_neither_the_kconfig_syntax_nor_the_models_records(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write_fixture(root, TREE)
    cold = _probe(root, tmp_path / "cache")
    warm = _probe(root, tmp_path / "cache")
    assert cold["scanned"] == 2 and warm["scanned"] == 0  # the second started from the cache
    assert warm["uses"] == cold["uses"] == 3  # the Makefile's, the `#ifdef`'s, the comment's
    modules = set(warm["modules"])  # type: ignore[call-overload]
    assert "kconfig_ls.semantics.code_index" in modules  # the probe ran
    assert "kconfig_ls.semantics.definitions" not in modules
    assert not any(name.startswith("kconfig_ls.syntax.kconfig") for name in modules)
    assert "kconfig_ls.syntax.expression" not in modules
    assert "kconfig_ls.checks.framework" not in modules  # the rules' vocabulary: no rule runs
    assert "tomllib" not in modules  # no settings file: the tree has none, the probe names no user file
