"""Loading a small fixture tree the way `kconfig-ls lint` does, with its ecosystem detected."""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import default_code_exclude, load_project_settings
from kconfig_ls.settings.resolve import workspace_settings
from tests.fixtures import write_fixture


def load(tmp_path: Path, fixture: str) -> tuple[KconfigModel, CodeIndex]:
    write_fixture(tmp_path, fixture)
    root = str(tmp_path)
    model = KconfigModel(workspace_settings(root, load_project_settings(root)))
    model.load()
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    return model, index


def findings(model: KconfigModel, index: CodeIndex, *rules: str) -> list[str]:
    """`path:line: message` for each finding of `rules`, with fixes as `  fix: old -> new`."""
    found = run_checks(CheckContext(model, index), RuleSettings(select=frozenset(rules)))
    lines = []
    for finding in sorted(found, key=lambda f: (f.location.path, f.location.span.start, f.message)):
        data = Path(finding.location.path).read_bytes()
        line = data[: finding.location.span.start].count(b"\n") + 1
        lines.append(f"{model.relative(finding.location.path)}:{line}: {finding.message}")
        for fix in finding.fixes:
            for edit in fix.edits:
                old = data[edit.location.span.start : edit.location.span.end].decode()
                lines.append(f"  fix: {old} -> {edit.new_text}")
    return lines


def reached(model: KconfigModel) -> set[str]:
    return {name for name, definitions in model.definitions.items() if any(d.reached for d in definitions)}


def references(index: CodeIndex, symbol: str) -> list[tuple[str, int, str]]:
    """(relative path, 1-based line, kind) of each indexed use of `symbol`."""
    return sorted(
        (str(Path(r.path).relative_to(index.root)), r.line + 1, r.kind)
        for r in index.references.get(symbol, [])
    )
