"""`classify_code_file`: which files are configuration files, by path."""

from __future__ import annotations

import os

import pytest

from kconfig_ls.semantics.code_files import CodeFileKind, classify_code_file

CASES = {
    # Linux's kernel fragments stay configuration files.
    "kernel/configs/kvm_guest.config": CodeFileKind.CONFIG,
    "arch/arm64/configs/defconfig": CodeFileKind.CONFIG,
    "arch/x86/configs/x86_64_defconfig": CodeFileKind.CONFIG,
    "tools/testing/selftests/bpf/config": CodeFileKind.CONFIG,
    "tools/testing/selftests/bpf/config.x86_64": CodeFileKind.CONFIG,
    "tools/testing/selftests/rcutorture/configs/rcu/TREE01": CodeFileKind.CONFIG,
    "tools/testing/selftests/rcutorture/configs/rcu/CFcommon": CodeFileKind.CONFIG,
    # ktest's scripts and ALSA's settings are not (KLS104 read their lines as assignments).
    "tools/testing/ktest/examples/include/defaults.conf": None,
    "tools/testing/ktest/sample.conf": None,
    "tools/testing/selftests/alsa/conf.d/Lenovo_ThinkPad_P1_Gen2.conf": None,
    # Zephyr's and other trees' `*.conf` files are configuration files.
    "samples/hello_world/prj.conf": CodeFileKind.CONFIG,
    "samples/net/boards/qemu_x86.conf": CodeFileKind.CONFIG,
    "samples/bluetooth/overlay-bt.conf": CodeFileKind.CONFIG,
}


@pytest.mark.parametrize("path, kind", CASES.items(), ids=CASES.keys())
def test_configuration_files_by_path(path: str, kind: CodeFileKind | None) -> None:
    assert classify_code_file(os.path.join(os.sep, "tree", *path.split("/"))) == kind
