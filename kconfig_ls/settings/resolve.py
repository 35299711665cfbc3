"""From a project folder and settings to a `WorkspaceSettings`.

Shared by the lint CLI and the language server so that both load a tree
the same way: the same root, the same architecture, the same variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from kconfig_ls.semantics.model import WorkspaceSettings
from kconfig_ls.settings.ecosystem import (
    Ecosystem,
    detect_ecosystem,
    ecosystem_environment,
    ecosystem_named,
    generated_files,
)
from kconfig_ls.settings.project_file import ProjectSettings, linux_environment

__all__ = ["EcosystemSettings", "ecosystem_settings", "find_project_root", "workspace_settings"]


def find_project_root(start: str, root_kconfig: str = "Kconfig") -> str:
    """The nearest folder at or above `start` holding the root Kconfig.

    Falls back to `start` (or its folder) when none is found, so that a
    lone Kconfig file can still be linted.
    """
    current = os.path.abspath(start)
    if os.path.isfile(current):
        current = os.path.dirname(current)
    probe = current
    while True:
        if os.path.isfile(os.path.join(probe, root_kconfig)) and not os.path.isfile(
            os.path.join(os.path.dirname(probe), root_kconfig)
        ):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    # No top without a parent Kconfig: take the highest folder that has one.
    probe = current
    best = current
    while True:
        if os.path.isfile(os.path.join(probe, root_kconfig)):
            best = probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return best
        probe = parent


def workspace_settings(
    project_root: str,
    project: ProjectSettings,
    *,
    root_kconfig: str | None = None,
    arch: str | None = None,
    environment: dict[str, str] | None = None,
    trust_commands: bool | None = None,
    index_unreached: bool = True,
) -> WorkspaceSettings:
    """Merge file settings with overrides (command line, editor settings).

    The ecosystem's preset comes first (see `ecosystem_settings`), then the
    Linux variables, the project file's environment and the overrides.
    """
    ecosystem = ecosystem_settings(project_root, project, root_kconfig)
    chosen_root = ecosystem.root_kconfig
    merged = dict(ecosystem.environment)
    merged.update(linux_environment(project_root, arch or project.arch, chosen_root))
    merged.update(project.environment)
    merged.update(environment or {})
    return WorkspaceSettings(
        root=project_root,
        root_kconfig=chosen_root,
        environment=merged,
        trust_commands=project.trust_commands if trust_commands is None else trust_commands,
        index_unreached=index_unreached,
        extra_roots=tuple(os.path.join(project_root, r) for r in project.extra_roots),
        generated_files=generated_files(ecosystem.ecosystem, project_root, merged),
        kconfig_exclude=ecosystem.ecosystem.kconfig_exclude,
    )


@dataclass(frozen=True)
class EcosystemSettings:
    """The ecosystem's contribution to loading a tree: which, its root Kconfig, its environment."""

    ecosystem: Ecosystem
    root_kconfig: str
    environment: dict[str, str]


def ecosystem_settings(
    project_root: str, project: ProjectSettings, root_kconfig: str | None = None
) -> EcosystemSettings:
    """The ecosystem named in the project file (else detected), and what it sets.

    An explicit root (command line, or `root` in the project file) wins over
    the ecosystem's (coreboot's `src/Kconfig`, Buildroot's `Config.in`).
    """
    ecosystem = ecosystem_named(project.ecosystem) if project.ecosystem else detect_ecosystem(project_root)
    chosen_root = root_kconfig or project.root_kconfig
    if root_kconfig is None and not project.root_kconfig_set:
        chosen_root = ecosystem.root_kconfig
    return EcosystemSettings(ecosystem, chosen_root, ecosystem_environment(ecosystem, project_root))
