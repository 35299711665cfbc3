"""One configuration world per answer, on Linux 6.12 (issue 8, item 5).

With x86 configured, SMP's hover speaks of x86's SMP only (x86's has no
dependencies, no defaults, no selects of its own; alpha's, arm's and csky's
do); MMU's hover does not show arm's prompt on x86's prompt-less `def_bool
y`; from `arch/arm/mm/fault.c`, `CONFIG_MMU` goes to arm's definition first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.settings.analysis_settings import AnalysisSettings

pytestmark = pytest.mark.linux


@pytest.fixture(scope="module")
def host(linux_tree: Path) -> AnalysisHost:
    host = AnalysisHost(
        AnalysisSettings(str(linux_tree), arch="x86", index_code=False, read_project_file=False)
    )
    host.load()
    return host


def _hover(host: AnalysisHost, path: Path, needle: bytes, delta: int = 1) -> str:
    text = host.document_text(str(path))
    hover = host.hover(str(path), text.index(needle) + delta)
    assert hover is not None
    return hover.markdown


def test_smp_on_x86_has_none_of_the_other_architectures_semantics(
    host: AnalysisHost, linux_tree: Path
) -> None:
    markdown = _hover(host, linux_tree / "kernel" / "Kconfig.locks", b"SMP", 0)
    main, _, others = markdown.partition("**Other architectures**")
    assert "arch/x86/Kconfig" in main
    for foreign in ("arch/alpha", "arch/arm/", "arch/csky", "arch/arc/", "arch/loongarch", "arch/mips"):
        assert foreign not in main, foreign
    assert "**Defaults**" not in main and "**Selects**" not in main
    assert "arm: `arch/arm/Kconfig:" in others


def test_mmu_on_x86_shows_no_prompt_of_arms(host: AnalysisHost, linux_tree: Path) -> None:
    markdown = _hover(host, linux_tree / "mm" / "Kconfig", b"depends on MMU", len("depends on "))
    main = markdown.partition("**Other architectures**")[0]
    assert "MMU-based Paged Memory Management Support" not in main
    assert "no prompt" in main


def test_definition_from_an_arm_file_goes_to_arms_mmu_first(host: AnalysisHost, linux_tree: Path) -> None:
    fault = linux_tree / "arch" / "arm" / "mm" / "fault.c"
    text = host.document_text(str(fault))
    places = host.definition(str(fault), text.index(b"CONFIG_MMU") + 8)
    assert host.relative(places[0].path) == "arch/arm/Kconfig"
    mm = linux_tree / "mm" / "Kconfig"
    places = host.definition(str(mm), host.document_text(str(mm)).index(b"depends on MMU") + 12)
    assert host.relative(places[0].path) == "arch/x86/Kconfig"
