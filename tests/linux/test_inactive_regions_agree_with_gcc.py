"""Inactive `#if` regions of real Linux C files against what `gcc -E` keeps and drops.

The configuration is Debian's `config.amd64_none_amd64` on x86. kconfiglib
loads it and writes `include/generated/autoconf.h`; we evaluate the same
file (`ProbePolicy.PLACEHOLDER`, so both sides see the same probe values,
see `test_configuration_agreement`) and compute each branch's state from the
file's scan.

The harness: each of 20 C files becomes a file that keeps every conditional
directive line verbatim and replaces every other line by a marker
(`KLS_LINE_<n>`); `gcc -E -P` with the tree's `include/linux/kconfig.h` and
the generated `autoconf.h` keeps the markers of the lines it compiles. For
every line we call compiled, gcc must keep the marker; for every line we
call not compiled, gcc must drop it (measured: 101,400 compiled and 5,162
not compiled lines agree, 1,020 unknown). Lines whose state we call unknown
(conditions on other macros, on `CONFIG_` names the file defines) are not
compared, only counted; gcc sees those macros undefined, which says nothing
about a real build.
"""

from __future__ import annotations

import lzma
import shutil
import subprocess
from pathlib import Path

import pytest

from kconfig_ls.logic.configuration import ConfigSource, Configuration, ProbePolicy, evaluate_configuration
from kconfig_ls.logic.inactive_regions import branch_states, inactive_regions
from kconfig_ls.semantics.kconfiglib_loader import load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from kconfig_ls.syntax.c_preprocessor import CScan, scan_c

pytestmark = pytest.mark.linux

DEBIAN_CONFIG = Path("/usr/src/linux-config-6.12/config.amd64_none_amd64.xz")
FILES = (
    "mm/page_alloc.c",
    "mm/memory.c",
    "mm/slub.c",
    "mm/vmscan.c",
    "mm/migrate.c",
    "mm/hugetlb.c",
    "kernel/sched/core.c",
    "kernel/fork.c",
    "kernel/cpu.c",
    "kernel/workqueue.c",
    "kernel/printk/printk.c",
    "kernel/time/timer.c",
    "kernel/module/main.c",
    "init/main.c",
    "fs/proc/base.c",
    "fs/namespace.c",
    "net/core/dev.c",
    "drivers/base/core.c",
    "arch/x86/kernel/setup.c",
    "arch/x86/mm/init_64.c",
)


@pytest.fixture(scope="module")
def setup(
    linux_workspace: KconfigModel, linux_settings: WorkspaceSettings, tmp_path_factory: pytest.TempPathFactory
) -> tuple[SymbolTable, Configuration, Path]:
    if not DEBIAN_CONFIG.is_file():
        pytest.skip(f"{DEBIAN_CONFIG} not found; install the Debian package linux-config-6.12")
    if shutil.which("gcc") is None:
        pytest.skip("gcc not found")
    folder = tmp_path_factory.mktemp("harness")
    config = folder / "config"
    config.write_bytes(lzma.decompress(DEBIAN_CONFIG.read_bytes()))
    tree = load_with_kconfiglib(linux_settings.root, linux_settings.root_kconfig, linux_settings.environment)
    tree.load_config(str(config))
    (folder / "include" / "generated").mkdir(parents=True)
    tree.write_autoconf(str(folder / "include" / "generated" / "autoconf.h"))
    table = build_symbol_table(linux_workspace, "x86")
    configuration = evaluate_configuration(
        table, ConfigSource(str(config), config.read_bytes()), probes=ProbePolicy.PLACEHOLDER
    )
    return table, configuration, folder


def _line_states(scan: CScan, configuration: Configuration, line_count: int) -> list[bool | None]:
    states = branch_states(scan, configuration.value)
    result: list[bool | None] = []
    for line in range(line_count):
        branch = scan.innermost_branch_at_line(line)
        result.append(True if branch is None else states[branch].compiled)
    return result


def _harness(data: bytes, scan: CScan) -> tuple[str, set[int]]:
    lines = data.decode("utf-8", "replace").split("\n")
    directive_lines: set[int] = set()
    for directive in scan.directives:
        directive_lines.update(range(directive.line, directive.end_line + 1))
    out = [line if number in directive_lines else f"KLS_LINE_{number}" for number, line in enumerate(lines)]
    return "\n".join(out) + "\n", directive_lines


def _compiled_by_gcc(folder: Path, linux_tree: Path, text: str) -> set[int]:
    source = folder / "harness.c"
    source.write_text(text)
    completed = subprocess.run(
        [
            "gcc",
            "-E",
            "-P",
            "-nostdinc",
            "-I",
            str(folder / "include"),
            "-include",
            str(linux_tree / "include" / "linux" / "kconfig.h"),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[:2000]
    return {int(token[9:]) for token in completed.stdout.split() if token.startswith("KLS_LINE_")}


def test_inactive_lines_agree_with_gcc(
    setup: tuple[SymbolTable, Configuration, Path], linux_tree: Path
) -> None:
    table, configuration, folder = setup
    module_names = frozenset(name for name in table.symbols if name.endswith("_MODULE"))
    compared = {"compiled": 0, "not compiled": 0, "unknown": 0}
    mismatches: list[str] = []
    for relative in FILES:
        data = (linux_tree / relative).read_bytes()
        scan = scan_c(data, symbols_ending_in_module=module_names)
        text, directive_lines = _harness(data, scan)
        kept = _compiled_by_gcc(folder, linux_tree, text)
        states = _line_states(scan, configuration, data.count(b"\n") + 1)
        for line, state in enumerate(states):
            if line in directive_lines:
                continue
            if state is None:
                compared["unknown"] += 1
                continue
            compared["compiled" if state else "not compiled"] += 1
            if state != (line in kept):
                mismatches.append(f"{relative}:{line + 1}: ours {'compiled' if state else 'not compiled'}")
    assert mismatches == []
    assert compared["not compiled"] > 1_000 and compared["compiled"] > 50_000, compared


def test_regions_are_the_outermost_inactive_bodies(
    setup: tuple[SymbolTable, Configuration, Path], linux_tree: Path
) -> None:
    _, configuration, _ = setup
    scan = scan_c((linux_tree / "mm/page_alloc.c").read_bytes())
    regions = inactive_regions(scan, configuration.value)
    assert regions
    states = branch_states(scan, configuration.value)
    for region in regions:
        assert states[region.branch].compiled is False
        parent = scan.branches[region.branch].parent_branch
        assert parent is None or states[parent].compiled is not False
