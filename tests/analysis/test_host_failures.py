"""A failure while applying a change never leaves the host's model silently stale."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kconfig_ls.semantics.model import KconfigModel
from tests.ide.support import analysis


def test_a_failing_change_is_logged_and_the_model_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    host, written = analysis(tmp_path, '//- /Kconfig\nconfig A\n\tbool "A"\n')
    path = str(written.files["Kconfig"])

    def broken(self: KconfigModel, *arguments: object, **keywords: object) -> object:
        raise RuntimeError("injected")

    monkeypatch.setattr(KconfigModel, "apply_change", broken)
    caplog.set_level(logging.ERROR)
    host.set_document(path, b'config RENAMED\n\tbool "A"\n', "kconfig")
    snapshot = host.snapshot()
    assert "RENAMED" in snapshot.model.definitions and "A" not in snapshot.model.definitions
    assert any("applying a change failed" in record.getMessage() for record in caplog.records)
