"""Every world's model follows the editor's edits, sharing what the worlds read alike.

An edited file with no `$(` or macro assignment is relinked once
for all the worlds that include it under equal conditions
(`rebasing.SharedRelinks`); a file whose text expands macros is relinked in
each world. Either way each world's model must equal a fresh load of it.
"""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.analysis.host import AnalysisHost
from kconfig_ls.logic.world_tables import WorldModels
from kconfig_ls.semantics.edit_signatures import semantic_signature
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.analysis_settings import AnalysisSettings
from tests.fixtures import write_fixture

TREE = """
//- /Kconfig
source "arch/$(SRCARCH)/Kconfig"
source "mm/Kconfig"
source "lib/Kconfig"
//- /mm/Kconfig
config MIGRATION
	bool "Page migration"
	depends on MMU
	help
	  Moves pages.
config COMPACTION
	bool "Compaction"
	select MIGRATION
source "mm/damon/Kconfig"
config AFTER_SOURCE
	bool "After the source"
//- /mm/damon/Kconfig
config DAMON
	bool "DAMON"
//- /lib/Kconfig
config ARCH_NAME
	string
	default "$(SRCARCH)"
config LATER
	bool "Later"
//- /arch/x86/Kconfig
config MMU
	def_bool y
//- /arch/arm/Kconfig
config MMU
	bool "MMU"
"""


def _model(root: Path) -> KconfigModel:
    host = AnalysisHost(
        AnalysisSettings(str(root), environment={"SRCARCH": "x86"}, read_project_file=False, index_code=False)
    )
    host.load()
    return host.snapshot().model


def _definitions(model: KconfigModel, path: str) -> list[tuple[object, ...]]:
    return [
        (d.name, d.location, d.order, d.inclusion, semantic_signature(d))
        for d in model.definitions_by_file.get(path, ())
    ]


def test_worlds_share_the_relink_of_a_file_without_macros_and_equal_a_fresh_load(tmp_path: Path) -> None:
    written = write_fixture(tmp_path, TREE)
    model = _model(tmp_path)
    worlds = WorldModels.load(model)
    assert sorted(worlds.models) == ["arm", "x86"]
    edits = {
        "mm/Kconfig": ("\t  Moves pages.", "\t  Moves pages\n\t  elsewhere.\n\tdepends on COMPACTION"),
        "lib/Kconfig": ('config LATER\n\tbool "Later"', 'config LATER\n\tbool "Later"\n\tdepends on MMU'),
    }
    for name, (before, after) in edits.items():
        path = str(written.files[name])
        model = model.apply_change(path, model.text(path).replace(before.encode(), after.encode())).model
        changes = worlds.follow(model)
        assert changes is not None
        fresh = WorldModels.load(model)
        for world, world_model in worlds.models.items():
            for edited in (str(written.files["mm/Kconfig"]), str(written.files["lib/Kconfig"])):
                assert _definitions(world_model, edited) == _definitions(fresh.models[world], edited)
    mm = str(written.files["mm/Kconfig"])
    lib = str(written.files["lib/Kconfig"])
    x86, arm = worlds.models["x86"], worlds.models["arm"]
    # mm/Kconfig reads no macro: one relink, the same definitions in both worlds (each with its
    # own children and macro variables).
    assert all(a is b for a, b in zip(x86.definitions_by_file[mm], arm.definitions_by_file[mm], strict=True))
    # lib/Kconfig expands $(SRCARCH): each world has its own.
    assert not any(
        a is b for a, b in zip(x86.definitions_by_file[lib], arm.definitions_by_file[lib], strict=True)
    )
    assert (
        x86.definitions["ARCH_NAME"][0].defaults[0].value != arm.definitions["ARCH_NAME"][0].defaults[0].value
    )
