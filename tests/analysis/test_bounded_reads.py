"""The overlay and the model read only regular files inside the workspace, bounded (issue 13's file cases)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from kconfig_ls.vfs.overlay import FileReadError, read_regular_file
from tests.fixtures import write_fixture

CANARY = """
//- /Kconfig
config CANARY
	bool "Canary"
	select CANARY_TARGET
config CANARY_TARGET
	bool "Target"
"""


def _findings(root: Path) -> list[str]:
    host = AnalysisHost(AnalysisSettings(str(root), index_code=False, read_project_file=False))
    host.load()
    snapshot = host.snapshot()
    return [f"{f.rule_code} {f.message}" for fs in snapshot.full_findings().values() for f in fs]


def test_a_fifo_named_like_a_kconfig_file_is_reported_not_read(tmp_path: Path) -> None:
    write_fixture(tmp_path, CANARY)
    os.mkfifo(tmp_path / "Kconfig.fifo")
    started = time.monotonic()
    findings = _findings(tmp_path)
    assert time.monotonic() - started < 60  # a blocking open would never return
    assert any("FIFO" in f for f in findings)
    assert any(f.startswith("KLS001 CANARY selects") for f in findings)


def test_devices_are_refused() -> None:
    with pytest.raises(FileReadError) as error:
        read_regular_file("/dev/zero", 1024)
    assert error.value.kind == "not-regular"


def test_a_symbolic_link_to_a_file_outside_the_workspace_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    tree = tmp_path / "tree"
    write_fixture(tree, CANARY + '//- /sub/Kconfig\nsource "Kconfig.link"\n')
    (tree / "Kconfig.x").symlink_to(secret)
    (tree / "sub" / "Kconfig.link").symlink_to(secret)
    with (tree / "Kconfig").open("a", encoding="utf-8") as handle:
        handle.write('rsource "sub/Kconfig.link"\n')
    findings = _findings(tree)
    assert not any("root:x" in f for f in findings), findings
    assert any("outside the workspace" in f for f in findings)
    assert any(f.startswith("KLS001 CANARY selects") for f in findings)


def test_a_glob_through_self_symlinks_includes_each_file_once(tmp_path: Path) -> None:
    write_fixture(tmp_path, CANARY + '//- /a/Kconfig\nconfig A\n\tbool "A"\n')
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "b").symlink_to(tmp_path)
    with (tmp_path / "Kconfig").open("a", encoding="utf-8") as handle:
        handle.write('rsource "*/Kconfig"\nrsource "*/*/Kconfig"\nrsource "*/*/*/Kconfig"\n')
    host = AnalysisHost(AnalysisSettings(str(tmp_path), index_code=False, read_project_file=False))
    host.load()
    model = host.snapshot().model
    assert len(model.definitions["A"]) == 1
    assert sum(len(inclusions) for inclusions in model.inclusions.values()) < 10
