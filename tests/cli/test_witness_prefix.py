"""The witness files' line prefix comes from the ecosystem the settings resolution found."""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.cli.lint import witness_line_prefix
from kconfig_ls.settings import ecosystem as ecosystem_module
from kconfig_ls.settings import resolve as resolve_module
from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings
from tests.fixtures import write_fixture

BUILDROOT = """
//- /Config.in
mainmenu "Buildroot configuration"
config BR2_HAVE_DOT_CONFIG
	bool
	default y
//- /package/Config.in
//- /support/dependencies/dependencies.mk
//- /Makefile
# Buildroot
"""


@pytest.mark.parametrize(
    ("fixture", "ecosystem", "prefix"),
    [(BUILDROOT, "buildroot", ""), ('//- /Kconfig\nconfig A\n\tbool "a"\n', "generic", "CONFIG_")],
)
def test_the_resolution_finds_the_ecosystem_once_and_the_witness_prefix_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixture: str, ecosystem: str, prefix: str
) -> None:
    write_fixture(tmp_path, fixture)
    detections: list[str] = []
    detect = ecosystem_module.detect_ecosystem

    def counted(root: str) -> ecosystem_module.Ecosystem:
        detections.append(root)
        return detect(root)

    monkeypatch.setattr(ecosystem_module, "detect_ecosystem", counted)
    monkeypatch.setattr(resolve_module, "detect_ecosystem", counted)
    resolved = resolve_settings(AnalysisSettings(str(tmp_path)))
    assert resolved.ecosystem is not None and resolved.ecosystem.name == ecosystem
    assert len(detections) == 1
    assert witness_line_prefix(resolved) == prefix
    assert len(detections) == 1
