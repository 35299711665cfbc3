"""code-file-problem (KLS104) on configuration files: only files that are configuration files.

Linux's ktest scripts (`tools/testing/ktest/examples/include/*.conf`) are ktest.pl's own
language; read as kernel configuration they gave 185 false warnings on Linux 6.12.
"""

from __future__ import annotations

from pathlib import Path

from tests.checks.test_code_rules import lint


def test_ktest_scripts_are_not_configuration_files(tmp_path: Path) -> None:
    found = lint(
        tmp_path,
        """
//- /tools/testing/ktest/examples/include/defaults.conf
DEFAULTS
SSH_USER := root
CONFIG_BISECT_TYPE = boot
//- /tools/testing/selftests/bpf/config
CONFIG_MIGRATION=y
not an assignment
//- /samples/hello/prj.conf
CONFIG_MIGRATION = y
""",
        "code-file-problem",
    )
    assert [line.split(": warning")[0] for line in found] == [
        "samples/hello/prj.conf:1",
        "tools/testing/selftests/bpf/config:2",
    ]
