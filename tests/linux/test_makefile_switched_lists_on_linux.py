"""On Linux 6.12: every Makefile and Kbuild file that names a symbol scans the same with the
shortcut for `obj-$(CONFIG_X) += a.o` lines as through the general path only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kconfig_ls.semantics.code_files import CodeFileKind, classify_code_file
from tests.syntax.test_makefile_switched_lists import both_ways

pytestmark = pytest.mark.linux


def test_real_makefiles_scan_alike(linux_tree: Path) -> None:
    compared = 0
    for folder, folders, names in os.walk(linux_tree):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            path = os.path.join(folder, name)
            if classify_code_file(path) is not CodeFileKind.MAKEFILE or os.path.islink(path):
                continue
            data = Path(path).read_bytes()
            if b"CONFIG_" not in data:
                continue
            shortcut, general = both_ways(data)
            assert shortcut == general, path
            compared += 1
    assert compared > 2_000
