"""ESP-IDF's `ComponentPresence` is kept per model until the files it was read from change."""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.logic import block_analysis
from kconfig_ls.semantics.esp_idf_components import ComponentPresence
from tests.ecosystems.support import load
from tests.semantics.test_esp_idf_components import TREE


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each listing of `components/` a `ComponentPresence` makes (the seam that counts them)."""
    made: list[str] = []
    original = ComponentPresence._component_names

    def counted(self: ComponentPresence) -> list[str]:
        made.append(self.root)
        return original(self)

    monkeypatch.setattr(ComponentPresence, "_component_names", counted)
    return made


def test_a_second_call_does_not_list_the_components_again(tmp_path: Path, listings: list[str]) -> None:
    model, index = load(tmp_path, TREE)
    first = block_analysis._component_presence(model, index)
    assert block_analysis._component_presence(model, index) is first
    assert len(listings) == 1


def test_an_added_component_and_an_edited_requirement_are_seen(tmp_path: Path, listings: list[str]) -> None:
    model, index = load(tmp_path, TREE)
    first = block_analysis._component_presence(model, index)
    assert first is not None
    new_file = str(tmp_path / "components/esp_new/new.c")
    assert first.component_of(new_file) is None
    (tmp_path / "components/esp_new").mkdir()
    (tmp_path / "components/esp_new/CMakeLists.txt").write_text("idf_component_register()\n")
    added = block_analysis._component_presence(model, index)
    assert added is not None and added is not first
    assert added.component_of(new_file) == "esp_new"
    # A folder that becomes a component later (its CMakeLists.txt written after the folder).
    (tmp_path / "components/esp_late").mkdir()
    assert block_analysis._component_presence(model, index) is not added
    late = str(tmp_path / "components/esp_late/late.c")
    (tmp_path / "components/esp_late/CMakeLists.txt").write_text("idf_component_register()\n")
    presence = block_analysis._component_presence(model, index)
    assert presence is not None and presence.component_of(late) == "esp_late"
    # esp_system gains a requirement on esp_wifi: its files may count on ESP_WIFI_ENABLED.
    clk = str(tmp_path / "components/esp_system/clk.c")
    assert presence.may_be_absent(clk, "ESP_WIFI_ENABLED")
    (tmp_path / "components/esp_system/CMakeLists.txt").write_text(
        'idf_component_register(SRCS "clk.c" PRIV_REQUIRES spi_flash esp_wifi)\n'
    )
    edited = block_analysis._component_presence(model, index)
    assert edited is not None and not edited.may_be_absent(clk, "ESP_WIFI_ENABLED")
    assert len(listings) == 5
