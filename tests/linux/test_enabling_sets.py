"""On Linux 6.12 x86 with Debian's `.config`: trials equal full evaluations, and enabling sets enable.

`evaluate_changes` (a few assignments evaluated on demand on the evaluated
configuration, narrowed to what one question reads) must give, value for
value, what a full evaluation of the file plus those lines gives; and each
set the hover's search finds, appended to the file and evaluated in full,
gives its symbol the value with its dependencies met.
"""

from __future__ import annotations

import lzma
import random
from pathlib import Path

import pytest

from kconfig_ls.logic.configuration import ConfigSource, ProbePolicy, evaluate_configuration
from kconfig_ls.logic.enabling import search_enabling_set
from kconfig_ls.logic.hypothetical import evaluate_changes, upstream
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.semantics.symbols import build_symbol_table

pytestmark = pytest.mark.linux

DEBIAN_CONFIG = Path("/usr/src/linux-config-6.12/config.amd64_none_amd64.xz")
SEED = 20261201


def _lines(changes: dict[str, str]) -> bytes:
    return "".join(
        f"# CONFIG_{name} is not set\n" if value == "n" else f"CONFIG_{name}={value}\n"
        for name, value in changes.items()
    ).encode()


def test_trials_and_enabling_sets_on_debians_config(linux_workspace: KconfigModel) -> None:
    if not DEBIAN_CONFIG.is_file():
        pytest.skip(f"{DEBIAN_CONFIG} not found; install the Debian package linux-config-6.12")
    data = lzma.decompress(DEBIAN_CONFIG.read_bytes())
    table = build_symbol_table(linux_workspace, "x86")
    fresh_table = build_symbol_table(linux_workspace, "x86")  # full evaluations share nothing with trials
    source = ConfigSource("config", data)
    base = evaluate_configuration(table, source, probes=ProbePolicy.FROM_FILE)
    generator = random.Random(SEED)
    names = sorted(name for name, symbol in table.symbols.items() if symbol.type in ("bool", "tristate"))
    cases = [{"MODULES": "n"}, {"PCI": "n", "NET": "n"}, {"COMPILE_TEST": "y", "OF": "y"}]
    cases += [{name: generator.choice("ny") for name in generator.sample(names, 3)} for _ in range(5)]
    for changes in cases:
        full = evaluate_configuration(
            fresh_table, (source, ConfigSource("<changes>", _lines(changes))), probes=ProbePolicy.FROM_FILE
        )
        target = generator.choice(names)
        trial = evaluate_changes(base, changes, within=upstream(base, [target]))
        assert trial.value(target) == full.value(target), (changes, target)
        assert {name: trial.value(name) for name in table.symbols} == dict(full.values), changes
    at_n = [name for name in names if base.value(name) == "n"]
    found = 0
    for name in generator.sample(at_n, 40):
        wanted = "m" if table.symbols[name].type == "tristate" else "y"
        result = search_enabling_set(base, name, wanted)
        if not result.changes:
            continue
        found += 1
        full = evaluate_configuration(
            fresh_table,
            (source, ConfigSource("<changes>", _lines(dict(result.changes)))),
            probes=ProbePolicy.FROM_FILE,
        )
        assert (full.tristate(name) or 0) >= 1, (name, result.changes)
        assert full.condition(table.symbols[name].direct_dependency), (name, result.changes)
    assert found >= 20  # most `n` symbols of Debian's config can be enabled (the rest: other architectures)
