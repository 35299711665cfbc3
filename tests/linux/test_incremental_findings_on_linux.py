"""On Linux, the incremental whole-tree findings after real edits equal a full run.

The edits of issue 8's benchmark: a `depends on` line and a `select` line
of `mm/Kconfig` (per-symbol KLS001, KLS002, KLS006), and an `if` around
the `source` lines of `drivers/Kconfig` (13,000 changed symbols: the rules
run whole). Kconfig rules only (no code index), so that it stays quick.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.checks.incremental import ChangedInputs, RuleResults, incremental_findings
from kconfig_ls.settings.analysis_settings import AnalysisSettings

pytestmark = pytest.mark.linux


def _edited(original: bytes, kind: str) -> bytes:
    if kind == "depends":
        needle = b"depends on MMU\n"
        at = original.index(needle)
        return original[:at] + b"depends on MMU && NUMA\n" + original[at + len(needle) :]
    if kind == "select":
        needle = b"select MIGRATION\n"
        at = original.index(needle)
        return original[:at] + b"select MIGRATION_X\n" + original[at + len(needle) :]
    menu_end = original.index(b"\n", original.index(b'menu "Device Drivers"')) + 1
    last = original.rindex(b"endmenu")
    return original[:menu_end] + b"if HAS_IOMEM\n" + original[menu_end:last] + b"endif\n" + original[last:]


def _flat(results: RuleResults) -> list[tuple[str, str, int, str, int]]:
    return sorted(
        (f.rule_code, f.location.path, f.location.span.start, f.message, int(f.severity))
        for findings in results.by_rule.values()
        for f in findings
    )


def test_incremental_findings_after_real_edits_equal_a_full_run(linux_tree: Path) -> None:
    host = AnalysisHost(AnalysisSettings(str(linux_tree), arch="x86", index_code=False))
    host.load()
    snapshot = host.snapshot()
    everything = ChangedInputs(True, frozenset(), frozenset(), frozenset(), frozenset())
    results = incremental_findings(None, everything, snapshot.model, None, snapshot.rule_settings)
    sequence = snapshot.sequence
    for kind, relative in (("depends", "mm/Kconfig"), ("select", "mm/Kconfig"), ("if", "drivers/Kconfig")):
        path = str(linux_tree / relative)
        original = snapshot.document_text(path)
        for data in (_edited(original, kind), original):
            host.set_document(path, data, "kconfig")
            snapshot = host.snapshot()
            summary = host.changes_between(sequence, snapshot.sequence)
            assert not summary.everything
            results = incremental_findings(
                results,
                ChangedInputs(
                    False,
                    summary.kconfig_files,
                    summary.code_files,
                    summary.symbols,
                    summary.references,
                    summary.names,
                ),
                snapshot.model,
                None,
                snapshot.rule_settings,
                snapshot.overlay,
            )
            sequence = snapshot.sequence
            full = incremental_findings(None, everything, snapshot.model, None, snapshot.rule_settings)
            assert _flat(results) == _flat(full), (kind, data is original)
