"""West manifests as west resolves them (imports, groups), and what the modules bring beyond Kconfig.

The manifests are shortened from Zephyr's own `west.yml` (`group-filter: [-babblesim, -optional,
-testing]`, projects in the `hal`, `babblesim`, `testing`+`tee` groups, `self: import: submanifests`)
and `submanifests/optional.yaml`, and from the application manifest Zephyr's documentation shows
(`import: name-allowlist:`); the module files from `zephyr/module.yml`s that set
`build.settings.dts_root` and `build.cmake`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kconfig_ls.cli.result_cache import LintResultCache
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.settings.project_file import default_code_exclude, load_project_settings
from kconfig_ls.settings.resolve import workspace_settings
from kconfig_ls.settings.west_manifest import active_projects, simple_yaml
from kconfig_ls.settings.zephyr_modules import workspace_modules
from tests.ecosystems.support import findings
from tests.ecosystems.test_zephyr import HWMV2
from tests.fixtures import write_fixture

ZEPHYR_MANIFEST = """
//- /.west/config
[manifest]
path = zephyr
file = west.yml
//- /zephyr/west.yml
# The west manifest file for upstream Zephyr.
manifest:
  defaults:
    remote: upstream

  remotes:
    - name: upstream
      url-base: https://github.com/zephyrproject-rtos
    - name: babblesim
      url-base: https://github.com/BabbleSim

  group-filter: [-babblesim, -optional, -testing]

  #
  # Please add items below based on alphabetical order
  projects:
    - name: babblesim_base
      remote: babblesim
      repo-path: base
      path: tools/bsim/components
      revision: 1cce925c72805cfdbb6341ca8c0755c7d42699d3
      groups:
        - babblesim
    - name: cmsis
      revision: 512cc7e895e8491696b61f7ba8066b4a182569b8
      path: modules/hal/cmsis
      groups:
        - hal
    - name: hal_nordic
      revision: 70c1b32dd68753b0604beab377392ed5ebc19176
      path: modules/hal/nordic
      groups:
        - hal
    - name: loramac-node
      revision: fb00b383072518c918e2258b0916c996f2d4eebe
      path: modules/lib/loramac-node
    - name: mcuboot
      revision: cf5810201c84d6e266aeda2abdab80854066ac08
      path: bootloader/mcuboot
      groups:
        - bootloader
    - name: psa-arch-tests
      revision: 6e8219237435112df33bbcf37b7f5657fcfb9cff
      path: modules/tee/tf-m/psa-arch-tests
      groups:
        - testing
        - tee
    - name: zephyr-xenlib
      revision: pull/104/head
      path: modules/lib/zephyr-xenlib
      remote: xen-troops
  # zephyr-keep-sorted-stop

  self:
    path: zephyr
    west-commands: scripts/west-commands.yml
    import: submanifests
//- /zephyr/submanifests/optional.yaml
manifest:
  remotes:
    - name: upstream
      url-base: https://github.com/zephyrproject-rtos
  # zephyr-keep-sorted-start re(^\\s+\\- name:)
  projects:
    - name: canopennode
      revision: dec12fa3f0d790cafa8414a4c2930ea71ab72ffd
      path: modules/lib/canopennode
      remote: upstream
      groups:
        - optional
    - name: hal_nordic
      path: somewhere/else
//- /zephyr/submanifests/example.yaml.sample
manifest:
  projects:
    - name: not-imported
"""


def test_zephyrs_manifest_resolves_as_west_list_gives_it(tmp_path: Path) -> None:
    write_fixture(tmp_path, ZEPHYR_MANIFEST)
    projects = active_projects(str(tmp_path), "zephyr", "west.yml")
    # The manifest project first; `self: import: submanifests` comes before the projects (its
    # hal_nordic wins); babblesim and the optional group are filtered out; a project in a
    # disabled and an enabled group (testing, tee) stays; `*.sample` is not a manifest.
    assert [(p.name, p.path) for p in projects] == [
        ("zephyr", "zephyr"),
        ("hal_nordic", "somewhere/else"),
        ("cmsis", "modules/hal/cmsis"),
        ("loramac-node", "modules/lib/loramac-node"),
        ("mcuboot", "bootloader/mcuboot"),
        ("psa-arch-tests", "modules/tee/tf-m/psa-arch-tests"),
        ("zephyr-xenlib", "modules/lib/zephyr-xenlib"),
    ]
    # `.west/config`'s manifest.group-filter comes last: it enables the optional group.
    enabled = active_projects(str(tmp_path), "zephyr", "west.yml", "+optional,-hal")
    assert [p.name for p in enabled] == [
        "zephyr",
        "canopennode",
        "hal_nordic",  # the submanifest's, without groups
        "loramac-node",
        "mcuboot",
        "psa-arch-tests",
        "zephyr-xenlib",
    ]


APPLICATION_MANIFEST = """
//- /.west/config
[manifest]
path = app
file = west.yml
group-filter = +optional
//- /app/west.yml
manifest:
  remotes:
    - name: zephyrproject-rtos
      url-base: https://github.com/zephyrproject-rtos
  projects:
    - name: zephyr
      remote: zephyrproject-rtos
      revision: main
      import:
        # By using name-allowlist we can clone only the modules that are
        # strictly needed by the application.
        name-allowlist:
          - cmsis      # required by the ARM port
          - hal_nordic # required by the custom_plank board (Nordic based)
          - canopennode
    - name: vendor-sdk
      path: vendor
      import:
        file: zephyr/west.yml
        path-prefix: third-party
        path-blocklist: [modules/lib/*]
  self:
    path: app
//- /zephyr/west.yml
manifest:
  group-filter: [-optional]
  projects:
    - name: cmsis
      path: modules/hal/cmsis
      groups:
        - hal
    - name: hal_nordic
      path: modules/hal/nordic
    - name: mcuboot
      path: bootloader/mcuboot
    - name: canopennode
      path: modules/lib/canopennode
      groups:
        - optional
//- /vendor/zephyr/west.yml
manifest:
  projects:
    - name: vendor-hal
      path: hal
    - name: vendor-lib
      path: modules/lib/vendor
    - name: cmsis
      path: vendor-cmsis
"""


def test_an_application_manifest_imports_zephyrs_projects_through_its_filters(tmp_path: Path) -> None:
    write_fixture(tmp_path, APPLICATION_MANIFEST)
    projects = active_projects(str(tmp_path), "app", "west.yml", "+optional")
    assert [(p.name, p.path) for p in projects] == [
        ("app", "app"),
        ("zephyr", "zephyr"),
        ("vendor-sdk", "vendor"),
        ("cmsis", "modules/hal/cmsis"),  # allowlisted; the vendor's cmsis comes later and loses
        ("hal_nordic", "modules/hal/nordic"),
        ("canopennode", "modules/lib/canopennode"),  # optional, enabled by .west/config
        ("vendor-hal", "third-party/hal"),  # path-prefix; vendor-lib is blocked by its path
    ]
    # Without the local group filter the imported `-optional` holds.
    assert "canopennode" not in [p.name for p in active_projects(str(tmp_path), "app", "west.yml")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: 1\nb:\n  - x\n  - 'y # not a comment'\n", {"a": "1", "b": ["x", "y # not a comment"]}),
        ("group-filter: [-babblesim, -optional]  # two\n", {"group-filter": ["-babblesim", "-optional"]}),
        ("p:\n- name: a\n  import: true\n- name: b\n", {"p": [{"name": "a", "import": True}, {"name": "b"}]}),
        ("x:\n  y: |\n    text: not a key\n  z: 'q'\n", {"x": {"y": "", "z": "q"}}),
        (
            "import:\n  file: a.yml\n  name-allowlist: [c]\n",
            {"import": {"file": "a.yml", "name-allowlist": ["c"]}},
        ),
        ("", None),
    ],
)
def test_the_yaml_subset(text: str, value: object) -> None:
    assert simple_yaml(text) == value


MODULES = """
//- /.west/config
[manifest]
path = zephyr
//- /zephyr/west.yml
manifest:
  projects:
    - name: vl53l8cx_driver
      path: modules/lib/vl53l8cx_driver
    - name: hal_espressif
      path: modules/hal/espressif
  self:
    path: zephyr
//- /modules/lib/vl53l8cx_driver/zephyr/module.yml
build:
  kconfig: Kconfig
  cmake: .
  settings:
    dts_root: .
//- /modules/lib/vl53l8cx_driver/Kconfig
config VL53L8CX
	bool "ST VL53L8CX time-of-flight sensor"
	depends on DT_HAS_ST_VL53L8CX_ENABLED
//- /modules/lib/vl53l8cx_driver/CMakeLists.txt
zephyr_library_sources_ifdef(CONFIG_VL53L8CX vl53l8cx.c)
zephyr_library_sources_ifdef(CONFIG_VL53L8CX_TRIGGER vl53l8cx_trigger.c)
//- /modules/lib/vl53l8cx_driver/dts/bindings/st,vl53l8cx.yaml
description: ST VL53L8CX multizone time-of-flight sensor
compatible: "st,vl53l8cx"
//- /modules/hal/espressif/zephyr/module.yml
name: hal_espressif
build:
  cmake: zephyr
  kconfig: zephyr/Kconfig
  settings:
    dts_root: .
//- /modules/hal/espressif/zephyr/Kconfig
config ESP_HAL_EARLY_LOG
	bool "Early log of the Espressif HAL"
//- /modules/hal/espressif/zephyr/CMakeLists.txt
if(CONFIG_ESP_HAL_EARLY_LOG)
endif()
//- /modules/hal/espressif/components/esp_system/port/cpu_start.c
#ifdef CONFIG_ESP_SYSTEM_SINGLE_CORE_MODE
#endif
//- /zephyr/samples/sensor/vl53l8cx/dts/bindings/vnd,sample-sensor.yaml
compatible: "vnd,sample-sensor"
"""


def _zephyr(tmp_path: Path) -> Path:
    write_fixture(tmp_path, MODULES)
    write_fixture(tmp_path / "zephyr", HWMV2)
    return tmp_path / "zephyr"


def test_modules_dts_roots_and_the_applications_bindings_define_dt_has_symbols(tmp_path: Path) -> None:
    zephyr = _zephyr(tmp_path)
    (module, hal) = workspace_modules(str(zephyr), {})
    assert (module.dts_root, module.cmake) == (str(tmp_path / "modules/lib/vl53l8cx_driver"),) * 2
    assert hal.cmake == str(tmp_path / "modules/hal/espressif/zephyr")
    application = str(zephyr / "samples/sensor/vl53l8cx")
    for environment, expected in [
        ({}, {"DT_HAS_ST_VL53L8CX_ENABLED"}),
        (
            {"APPLICATION_SOURCE_DIR": application},
            {"DT_HAS_ST_VL53L8CX_ENABLED", "DT_HAS_VND_SAMPLE_SENSOR_ENABLED"},
        ),
    ]:
        root = str(zephyr)
        model = KconfigModel(workspace_settings(root, load_project_settings(root), environment=environment))
        model.load()
        defined = {name for name in model.definitions if name.startswith("DT_HAS_") and "NORDIC" not in name}
        assert defined == expected, environment
        (vl53l8cx,) = model.definitions["VL53L8CX"]
        assert vl53l8cx.reached


def test_the_modules_cmake_integration_is_indexed_and_their_vendor_code_is_not(tmp_path: Path) -> None:
    zephyr = _zephyr(tmp_path)
    root = str(zephyr)
    model = KconfigModel(workspace_settings(root, load_project_settings(root)))
    model.load()
    index = CodeIndex(root, None, workers=1, excluded_folders=default_code_exclude(root))
    index.build()
    assert str(tmp_path / "modules/lib/vl53l8cx_driver/CMakeLists.txt") in index.entries
    assert str(tmp_path / "modules/hal/espressif/zephyr/CMakeLists.txt") in index.entries
    assert not [path for path in index.entries if "components/esp_system" in path]
    assert [r.path for r in index.references["VL53L8CX"]] == [
        str(tmp_path / "modules/lib/vl53l8cx_driver/CMakeLists.txt")
    ]
    # The module's own typo is found; the HAL's ESP-IDF names are never judged.
    assert findings(model, index, "undefined-symbol-in-code") == [
        f"{tmp_path}/modules/lib/vl53l8cx_driver/CMakeLists.txt:2: CONFIG_VL53L8CX_TRIGGER in CMake file: "
        "no Kconfig file defines VL53L8CX_TRIGGER"
    ]


def test_the_lint_results_cache_follows_the_generated_files(tmp_path: Path) -> None:
    # A new binding changes Kconfig.dts, though no Kconfig file changed: a cached lint is stale.
    zephyr = _zephyr(tmp_path)
    root = str(zephyr)

    def cache_path() -> str:
        settings = workspace_settings(root, load_project_settings(root))
        return LintResultCache(str(tmp_path / "cache"), settings, "rules").path

    before = cache_path()
    assert cache_path() == before
    write_fixture(
        tmp_path, "//- /modules/lib/vl53l8cx_driver/dts/bindings/st,vl53l5cx.yaml\ncompatible: st,vl53l5cx\n"
    )
    assert cache_path() != before
