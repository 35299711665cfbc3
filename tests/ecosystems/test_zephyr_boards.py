"""Zephyr's boards: a tree linted without a board, and board targets split as the build splits them.

The fixture is `test_zephyr.HWMV2` (hardware model v2, shortened from Zephyr's boards/Kconfig.v2,
the nrf52840dk board and the nRF52 SoC files). Without a board only the generated files' board
folders are empty, so nothing selects a SoC part: kconfig-ls stands in for "some board" (each
symbol a board's Kconfig file selects is unknown) instead of calling every SoC dead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import load_project_settings
from kconfig_ls.settings.resolve import workspace_settings
from tests.ecosystems.test_zephyr import HWMV2, NO_BOARD_TEXT
from tests.fixtures import write_fixture


def _load(tmp_path: Path, environment: dict[str, str]) -> KconfigModel:
    write_fixture(tmp_path, HWMV2)
    root = str(tmp_path)
    model = KconfigModel(workspace_settings(root, load_project_settings(root), environment=environment))
    model.load()
    return model


def _dead(model: KconfigModel) -> list[str]:
    rules = RuleSettings(select=frozenset({"dead-symbol", "dead-default"}), preview=True)
    found = run_checks(CheckContext(model, None, logic=True), rules)
    return sorted(
        f"{f.rule_code} {model.relative(f.location.path)}: {f.message.split(':')[0]}" for f in found
    )


# In the fixture and with every board, these are dead (nothing in the fixture selects them:
# the real tree's x86 SoCs, Espressif's SoCs and the nRF52X series symbol are not in it).
ALWAYS_DEAD = [
    "KLS203 arch/Kconfig: X86 can never be enabled on any architecture",
    "KLS203 modules/hal_espressif/Kconfig: SOC_FAMILY_ESPRESSIF_ESP32 can never be enabled on any architecture",
    # The fixture is no west workspace: Zephyr's stand-in for the module's symbol stays off.
    "KLS203 modules/hal_nordic/Kconfig: ZEPHYR_HAL_NORDIC_MODULE can never be enabled on any architecture",
    "KLS203 soc/nordic/nrf52/Kconfig.soc: SOC_SERIES_NRF52X can never be enabled on any architecture",
]


@pytest.mark.parametrize(
    "environment",
    [{}, {"BOARD": "nrf52840dk/nrf52840"}, {"BOARD": "nrf52840dk"}],
    ids=["no board", "board target", "board without qualifiers"],
)
def test_the_soc_a_board_selects_is_not_dead_with_or_without_a_board(
    tmp_path: Path, environment: dict[str, str]
) -> None:
    model = _load(tmp_path, environment)
    # No `SOC_NRF52840_QIAA` / `SOC_DCDC_NRF52X` (only boards select them) and no "default of
    # BOARD_... never applies": with a board, the board and its target are two symbols; without
    # one, an unknown board's qualifiers are `/` (`BOARD_` and `BOARD__`), not one name twice.
    assert _dead(model) == ALWAYS_DEAD
    if not environment:
        assert model.settings.environment["BOARD_QUALIFIERS"] == "/"
        assert {"BOARD_", "BOARD__"} <= set(model.definitions)
        assert len(model.definitions["BOARD_"]) == 1
    generated = model.settings.generated_files[str(tmp_path / "build/Kconfig/boards/Kconfig")].decode()
    if environment:
        assert "kconfig_ls_board_selects" not in generated
        assert {"BOARD_NRF52840DK", "BOARD_NRF52840DK_NRF52840"} <= set(model.definitions)
    else:
        assert generated == NO_BOARD_TEXT
        (stand_in, _) = sorted(model.definitions["SOC_NRF52840_QIAA"], key=lambda d: d.path.endswith(".soc"))
        assert stand_in.reached and "Unknown" in repr(stand_in.defaults[0].value)


@pytest.mark.parametrize(
    ("board", "expected"),
    [
        ("nrf52840dk", {"BOARD": "nrf52840dk", "BOARD_QUALIFIERS": "/nrf52840"}),
        ("nrf52840dk/nrf52840", {"BOARD": "nrf52840dk", "BOARD_QUALIFIERS": "/nrf52840"}),
        (
            "nrf52840dk@2.0.1/nrf52840/ns",
            {"BOARD": "nrf52840dk", "BOARD_REVISION": "2.0.1", "BOARD_QUALIFIERS": "/nrf52840/ns"},
        ),
        ("qemu_x86", {"BOARD": "qemu_x86"}),  # its board.yml names no SoC: no default qualifiers
    ],
)
def test_a_board_target_is_split_as_boards_cmake_splits_it(
    tmp_path: Path, board: str, expected: dict[str, str]
) -> None:
    model = _load(tmp_path, {"BOARD": board})
    environment = model.settings.environment
    assert {name: environment[name] for name in expected} == expected
    assert "BOARD_REVISION" in environment if "@" in board else environment.get("BOARD_REVISION", "") == ""
    if board.startswith("nrf52840dk"):
        assert environment["BOARD_DIR"] == str(tmp_path / "boards/nordic/nrf52840dk")
        target = "BOARD_NRF52840DK" + expected["BOARD_QUALIFIERS"].upper().replace("/", "_")
        assert {"BOARD_NRF52840DK", target} <= {n for n, d in model.definitions.items() if d[0].reached}
