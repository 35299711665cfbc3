"""Session fixtures for tests on the real Linux 6.12 tree.

The corpus is large (1,812 Kconfig files), so each model is loaded once per
test session. Tests here are marked `linux` and skip, with the command that
fixes it, when the corpus is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kconfig_ls.semantics.kconfiglib_loader import KconfiglibTree, load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.settings.project_file import ProjectSettings
from kconfig_ls.settings.resolve import workspace_settings

DEFAULT_LINUX_TREE = "/work/corpus/linux-source-6.12"
ARCH = "x86"


@pytest.fixture(scope="session")
def linux_tree() -> Path:
    """The Linux 6.12 source tree: `$KCONFIG_LS_LINUX_TREE`, else the default corpus path."""
    tree = Path(os.environ.get("KCONFIG_LS_LINUX_TREE", DEFAULT_LINUX_TREE))
    if not (tree / "Kconfig").is_file() or not (tree / "mm" / "Kconfig").is_file():
        pytest.skip(
            f"Linux 6.12 corpus not found at {tree}; run bench/get_corpus.sh or set KCONFIG_LS_LINUX_TREE"
        )
    return tree


@pytest.fixture(scope="session")
def linux_settings(linux_tree: Path) -> WorkspaceSettings:
    """x86 settings, made the way the CLI and the server make them."""
    return workspace_settings(str(linux_tree), ProjectSettings(), arch=ARCH)


@pytest.fixture(scope="session")
def linux_workspace(linux_settings: WorkspaceSettings) -> KconfigModel:
    """Our model of the whole tree (x86 reached, other architectures indexed)."""
    workspace = KconfigModel(linux_settings)
    workspace.load()
    return workspace


@pytest.fixture(scope="session")
def linux_kconfiglib(linux_settings: WorkspaceSettings) -> KconfiglibTree:
    """kconfiglib's reading of the same x86 tree, commands not run."""
    return load_with_kconfiglib(
        linux_settings.root, linux_settings.root_kconfig, linux_settings.environment, trust_commands=False
    )
