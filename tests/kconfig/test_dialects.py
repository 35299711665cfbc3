"""Trees in the shape of Zephyr, Buildroot, ESP-IDF and coreboot load as their tools load them."""

from __future__ import annotations

from pathlib import Path

from kconfig_ls.checks.framework import CheckContext, RuleSettings
from kconfig_ls.checks.registry import run_checks
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.syntax.expression import render
from tests.fixtures import write_fixture


def load(root: Path, root_kconfig: str = "Kconfig", **environment: str) -> KconfigModel:
    workspace = KconfigModel(WorkspaceSettings(str(root), root_kconfig, environment=dict(environment)))
    workspace.load()
    return workspace


def findings(workspace: KconfigModel) -> list[str]:
    return sorted(f"{f.rule_name}: {f.message}" for f in run_checks(CheckContext(workspace), RuleSettings()))


def test_zephyr_templates_rsource_globs_and_configdefault(tmp_path: Path) -> None:
    write_fixture(
        tmp_path,
        """
        //- /Kconfig
        config LOG
        	bool "Logging"
        menu "Networking"
        module = NET_CORE
        module-str = network core
        rsource "subsys/logging/Kconfig.template.log_config"
        module = NET_IF
        module-str = network interfaces
        rsource "subsys/logging/Kconfig.template.log_config"
        endmenu
        orsource "boards/*/Kconfig"
        source "$(ZEPHYR_BASE)/soc/Kconfig"
        configdefault NET_CORE_LOG_LEVEL
        	default 3
        //- /subsys/logging/Kconfig.template.log_config
        config $(module)_LOG_LEVEL
        	int "Log level for $(module-str)"
        	depends on LOG
        	default 0 if $(module)_LOG_OFF
        config $(module)_LOG_OFF
        	bool
        //- /boards/acme/Kconfig
        config BOARD_ACME
        	bool
        //- /soc/Kconfig
        config SOC_FAMILY
        	string
        """,
    )
    workspace = load(tmp_path, ZEPHYR_BASE=str(tmp_path))
    assert {"NET_CORE_LOG_LEVEL", "NET_IF_LOG_LEVEL", "NET_IF_LOG_OFF", "BOARD_ACME", "SOC_FAMILY"} <= set(
        workspace.definitions
    )
    level = workspace.definitions["NET_IF_LOG_LEVEL"][0]
    assert level.prompts[0].text == "Log level for network interfaces"
    assert render(level.defaults[0].condition) == "NET_IF_LOG_OFF"  # type: ignore[arg-type]
    assert level.menu_path == ("Networking",)
    assert [d.entry.keyword for d in workspace.definitions["NET_CORE_LOG_LEVEL"]] == [
        "config",
        "configdefault",
    ]
    # The reverse map: both template instances depend on LOG.
    dependents = sorted(
        r.definition.name for r in workspace.depended_on_by("LOG") if r.definition is not None
    )
    assert dependents == ["NET_CORE_LOG_LEVEL", "NET_IF_LOG_LEVEL"]
    assert findings(workspace) == []


def test_buildroot_config_in_with_dollar_variables(tmp_path: Path) -> None:
    write_fixture(
        tmp_path,
        """
        //- /Config.in
        mainmenu "Buildroot"
        source "package/Config.in"
        source "$BR2_EXTERNAL_ACME_PATH/Config.in"
        //- /package/Config.in
        config BR2_PACKAGE_BUSYBOX
        	bool "busybox"
        //- /external/Config.in
        config BR2_PACKAGE_ACME
        	bool "acme"
        	select BR2_PACKAGE_BUSYBOX
        """,
    )
    workspace = load(tmp_path, "Config.in", BR2_EXTERNAL_ACME_PATH=str(tmp_path / "external"))
    assert workspace.reached_definitions("BR2_PACKAGE_ACME")
    assert [f.split(":")[0] for f in findings(workspace)] == ["select-visible"]
    unset = load(tmp_path, "Config.in")
    assert any("BR2_EXTERNAL_ACME_PATH is not set" in f for f in findings(unset))


def test_unreached_architectures_are_indexed_but_not_configured(tmp_path: Path) -> None:
    write_fixture(
        tmp_path,
        """
        //- /Kconfig
        source "arch/$(SRCARCH)/Kconfig"
        //- /arch/x86/Kconfig
        config X86
        	def_bool y
        //- /arch/arm/Kconfig
        config ARM
        	def_bool y
        source "arch/arm/mm/Kconfig"
        //- /arch/arm/mm/Kconfig
        config CPU_V7
        	bool
        	depends on ARM
        """,
    )
    workspace = load(tmp_path, SRCARCH="x86")
    assert workspace.reached_definitions("X86")
    assert not workspace.reached_definitions("CPU_V7")
    cpu = workspace.definitions["CPU_V7"][0]
    assert [workspace.relative(location.path) for location in workspace.source_chain(cpu.inclusion)] == [
        "arch/arm/Kconfig"
    ]
    assert findings(workspace) == []
