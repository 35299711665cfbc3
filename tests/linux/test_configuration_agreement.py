"""Our evaluation of real configurations against kconfiglib's, symbol by symbol, on Linux 6.12.

Three configurations: Debian's `config.amd64_none_amd64` (a full `.config`)
and `arch/x86/configs/x86_64_defconfig` on x86, and `arch/arm64/configs/defconfig`
on arm64 (a defconfig is expanded as `make olddefconfig` does: what it does
not assign takes its default). For each:

- under `ProbePolicy.PLACEHOLDER` (probes are `n`, as kconfiglib sees them
  when it does not run commands) every symbol's value equals kconfiglib's;
- under the honest `ProbePolicy.UNKNOWN` every value we claim to know
  equals kconfiglib's (a known value does not depend on any probe, so
  kconfiglib's placeholders cannot change it), and the unknown ones are
  counted.

For the Debian `.config`, which records what the real compiler probes
answered, `ProbePolicy.FROM_FILE` reproduces the file: every assigned value
(9,502 of them, and a sample of 20 named in the failure message) equals the
file's, except the ones in `KNOWN_FILE_DIFFERENCES`, each with its reason.
"""

from __future__ import annotations

import lzma
import random
import re
from pathlib import Path

import pytest

from kconfig_ls.logic.configuration import (
    PLACEHOLDER_VALUE,
    ConfigSource,
    Configuration,
    ProbePolicy,
    evaluate_configuration,
)
from kconfig_ls.semantics.kconfiglib_loader import KconfiglibTree, load_with_kconfiglib
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from kconfig_ls.semantics.worlds import load_world_models, world_settings

pytestmark = pytest.mark.linux

DEBIAN_CONFIG = Path("/usr/src/linux-config-6.12/config.amd64_none_amd64.xz")
SAMPLED = 20
SEED = 20261201

KNOWN_MISMATCHES: dict[str, str] = {}
"""Symbols whose value differs from kconfiglib's under the placeholder policy, with the reason (none)."""

KNOWN_FILE_DIFFERENCES = {
    "CC_VERSION_TEXT": 'default "$(CC_VERSION_TEXT)" reads an environment variable the kernel Makefile '
    "sets from `$(CC) --version`; an editor's environment does not have it",
}
"""Assignments of the Debian `.config` we do not reproduce under `FROM_FILE`, with the reason."""

_PLACEHOLDER = re.compile(r"KCONFIG_LS_UNKNOWN_[0-9]+")


@pytest.fixture(scope="module")
def x86_table(linux_workspace: KconfigModel) -> SymbolTable:
    return build_symbol_table(linux_workspace, "x86")


@pytest.fixture(scope="module")
def arm64_settings(linux_settings: WorkspaceSettings) -> WorkspaceSettings:
    return world_settings(linux_settings, "arm64")


@pytest.fixture(scope="module")
def arm64_table(linux_settings: WorkspaceSettings) -> SymbolTable:
    return build_symbol_table(load_world_models(linux_settings, ["arm64"])["arm64"], "arm64")


@pytest.fixture(scope="module")
def debian_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DEBIAN_CONFIG.is_file():
        pytest.skip(f"{DEBIAN_CONFIG} not found; install the Debian package linux-config-6.12")
    path = tmp_path_factory.mktemp("configs") / "config.amd64_none_amd64"
    path.write_bytes(lzma.decompress(DEBIAN_CONFIG.read_bytes()))
    return path


def _kconfiglib_values(settings: WorkspaceSettings, config: Path) -> dict[str, str]:
    tree: KconfiglibTree = load_with_kconfiglib(settings.root, settings.root_kconfig, settings.environment)
    tree.load_config(str(config))
    values: dict[str, str] = {}
    for name in tree.symbol_names():
        value = tree.value_of(name)
        assert value is not None
        values[name] = _PLACEHOLDER.sub(PLACEHOLDER_VALUE, value)
    return values


def _mismatches(ours: Configuration, theirs: dict[str, str], *, known_only: bool) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, their_value in theirs.items():
        our_value = ours.value(name)
        if known_only and our_value is None:
            continue
        if our_value != their_value:
            found[name] = f"ours {our_value!r}, kconfiglib {their_value!r} ({ours.decision(name).kind})"
    return found


def _agree(table: SymbolTable, settings: WorkspaceSettings, config: Path) -> tuple[int, int]:
    """Assert both agreements; return (symbols compared, unknown under the honest policy)."""
    theirs = _kconfiglib_values(settings, config)
    assert set(theirs) == set(table.symbols)
    data = config.read_bytes()
    placeholder = evaluate_configuration(
        table, ConfigSource(str(config), data), probes=ProbePolicy.PLACEHOLDER
    )
    assert _mismatches(placeholder, theirs, known_only=False) == KNOWN_MISMATCHES
    honest = evaluate_configuration(table, ConfigSource(str(config), data))
    assert _mismatches(honest, theirs, known_only=True) == {}
    return len(theirs), len(honest.unknown)


def test_debian_config_agrees_with_kconfiglib(
    x86_table: SymbolTable, linux_settings: WorkspaceSettings, debian_config: Path
) -> None:
    compared, unknown = _agree(x86_table, linux_settings, debian_config)
    # Every kconfiglib symbol is compared (`_agree` checks the sets are equal); the count moves with
    # Debian's stable updates of linux-source-6.12 (17,704 before 6.12.118, 17,703 on it).
    assert compared > 17_000
    assert unknown < 400  # the probes' reach: CC_IS_GCC, GCC_VERSION, CC_HAS_..., what depends on them


def test_x86_64_defconfig_agrees_with_kconfiglib(
    x86_table: SymbolTable, linux_settings: WorkspaceSettings, linux_tree: Path
) -> None:
    _agree(x86_table, linux_settings, linux_tree / "arch/x86/configs/x86_64_defconfig")


def test_arm64_defconfig_agrees_with_kconfiglib(
    arm64_table: SymbolTable, arm64_settings: WorkspaceSettings, linux_tree: Path
) -> None:
    compared, _ = _agree(arm64_table, arm64_settings, linux_tree / "arch/arm64/configs/defconfig")
    assert compared > 17_000


def test_debian_config_values_are_the_files(x86_table: SymbolTable, debian_config: Path) -> None:
    configuration = evaluate_configuration(
        x86_table, ConfigSource(str(debian_config), debian_config.read_bytes()), probes=ProbePolicy.FROM_FILE
    )
    assigned = {assignment.symbol: assignment.value for assignment in configuration.assignments}
    assert len(assigned) > 9_000
    differing = {
        name: f"file {value!r}, ours {configuration.value(name)!r}"
        for name, value in assigned.items()
        if configuration.value(name) != value
    }
    assert set(differing) == set(KNOWN_FILE_DIFFERENCES)
    sample = random.Random(SEED).sample(sorted(set(assigned) - set(KNOWN_FILE_DIFFERENCES)), SAMPLED)
    assert {name: configuration.value(name) for name in sample} == {name: assigned[name] for name in sample}


def test_the_comparison_can_fail(
    x86_table: SymbolTable, linux_settings: WorkspaceSettings, linux_tree: Path
) -> None:
    """One assignment changed on our side only is found, with what follows from it."""
    config = linux_tree / "arch/x86/configs/x86_64_defconfig"
    theirs = _kconfiglib_values(linux_settings, config)
    edited = config.read_bytes().replace(b"CONFIG_NUMA=y", b"# CONFIG_NUMA is not set")
    ours = evaluate_configuration(x86_table, ConfigSource("edited", edited), probes=ProbePolicy.PLACEHOLDER)
    found = _mismatches(ours, theirs, known_only=False)
    assert "NUMA" in found and len(found) > 1


def test_re_evaluation_after_edits_equals_a_fresh_evaluation(
    x86_table: SymbolTable, linux_workspace: KconfigModel, debian_config: Path
) -> None:
    data = debian_config.read_bytes()
    base = evaluate_configuration(x86_table, ConfigSource("c", data))
    fresh_table = build_symbol_table(linux_workspace, "x86")
    for old, new in (
        (b"CONFIG_NUMA=y", b"# CONFIG_NUMA is not set"),
        (b"CONFIG_EXPERT=y", b"# CONFIG_EXPERT is not set"),
        (b"CONFIG_MODULES=y", b"# CONFIG_MODULES is not set"),
        (b"CONFIG_KERNEL_ZSTD=y", b"CONFIG_KERNEL_XZ=y"),
    ):
        assert old in data
        edited = data.replace(old, new)
        incremental = evaluate_configuration(x86_table, ConfigSource("c", edited), previous=base)
        fresh = evaluate_configuration(fresh_table, ConfigSource("c", edited))
        assert incremental.values == fresh.values
        assert incremental.decisions == fresh.decisions
