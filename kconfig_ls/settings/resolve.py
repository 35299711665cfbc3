"""From a project folder and settings to a `WorkspaceSettings`.

Shared by the lint CLI and the language server so that both load a tree
the same way: the same root, the same architecture, the same variables.
"""

from __future__ import annotations

import os

from kconfig_ls.semantics.definitions import WorkspaceSettings
from kconfig_ls.settings.project_file import ProjectSettings, linux_environment

__all__ = ["find_project_root", "workspace_settings"]


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
    """Merge file settings with overrides (command line, editor settings)."""
    chosen_root = root_kconfig or project.root_kconfig
    merged = linux_environment(project_root, arch or project.arch, chosen_root)
    merged.update(project.environment)
    merged.update(environment or {})
    return WorkspaceSettings(
        root=project_root,
        root_kconfig=chosen_root,
        environment=merged,
        # Never the project file's `trust-commands`: a tree cannot trust itself.
        trust_commands=bool(trust_commands),
        index_unreached=index_unreached,
        extra_roots=tuple(os.path.join(project_root, r) for r in project.extra_roots),
    )
