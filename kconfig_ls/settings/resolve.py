"""From a project folder and settings to a `WorkspaceSettings`.

Shared by the lint CLI and the language server so that both load a tree
the same way: the same root, the same architecture, the same variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from kconfig_ls.semantics.workspace_settings import WorkspaceSettings
from kconfig_ls.settings.ecosystem import (
    Ecosystem,
    derived_environment,
    derived_extra_roots,
    derived_unknown_symbols,
    detect_ecosystem,
    ecosystem_environment,
    ecosystem_named,
    generated_files,
)
from kconfig_ls.settings.project_file import ProjectSettings, linux_environment
from kconfig_ls.settings.zephyr_application import ZephyrLayout, find_zephyr_layout, zephyr_folder_kind
from kconfig_ls.settings.zephyr_modules import world_writable

__all__ = [
    "EcosystemSettings",
    "ProjectRootChoice",
    "choose_project_root",
    "ecosystem_settings",
    "find_project_root",
    "project_ecosystem",
    "workspace_settings",
    "zephyr_layout",
    "zephyr_layout_problem",
]


@dataclass(frozen=True, slots=True)
class ProjectRootChoice:
    """Where the project root search settled, and why (the CLI says so on stderr)."""

    root: str
    searched: bool  # True when the root is above the folder of `start`
    stopped_at: str  # why the search went no higher, for the message


def find_project_root(start: str, root_kconfig: str = "Kconfig") -> str:
    """The nearest folder at or above `start` holding the root Kconfig (see `choose_project_root`)."""
    return choose_project_root(start, root_kconfig).root


def choose_project_root(
    start: str,
    root_kconfig: str = "Kconfig",
    *,
    working_directory: str | None = None,
    home: str | None = None,
) -> ProjectRootChoice:
    """The top of the run of folders holding the root Kconfig at or above `start`.

    A project's settings file may ask to run commands, so the search must
    not wander into folders someone else controls. It climbs no higher than
    the repository boundary (a folder holding `.git`), the working
    directory and the home folder, and it stops below a world-writable
    folder (a `Kconfig` planted in `/tmp` above the tree must not take
    over). The tree of a known ecosystem (`detect_ecosystem`) in that range
    is the root even above a gap in the run (Zephyr's `share/sysbuild`, an
    ESP-IDF component, a U-Boot board folder). Falls back to `start` (or its
    folder) when none is found, so that a lone Kconfig file can still be linted.
    """
    current = os.path.abspath(start)
    if os.path.isfile(current):
        current = os.path.dirname(current)
    boundaries = {
        os.path.abspath(working_directory if working_directory is not None else os.getcwd()),
        os.path.abspath(home if home is not None else os.path.expanduser("~")),
    }
    chain: list[str] = []  # from `current` upwards, as far as the search may go
    probe = current
    stopped_at = "the file system root"
    while True:
        chain.append(probe)
        if os.path.exists(os.path.join(probe, ".git")):
            stopped_at = f"the repository boundary {probe}"
            break
        if probe in boundaries:
            stopped_at = f"{probe} (the working directory or the home folder)"
            break
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        if world_writable(parent):
            stopped_at = f"{probe} (its parent {parent} is world-writable)"
            break
        probe = parent
    # A known ecosystem's tree above wins: Zephyr's `share/sysbuild` holds a Kconfig of its own
    # (sysbuild's root) below a folder without one, but its files belong to the Zephyr tree.
    # Then the nearest Zephyr application (its `src/` is its own), then a west workspace's top.
    if root_kconfig == "Kconfig":
        kinds = [zephyr_folder_kind(folder) for folder in chain]
        for folder, kind in reversed(list(zip(chain, kinds, strict=True))):
            if kind is None and detect_ecosystem(folder).name != "generic" and not world_writable(folder):
                return ProjectRootChoice(folder, folder != current, stopped_at)
        for wanted in ("application", "workspace"):
            for folder, kind in zip(chain, kinds, strict=True):
                if kind == wanted and not world_writable(folder):
                    return ProjectRootChoice(folder, folder != current, stopped_at)
    holding = [_holds(folder, root_kconfig) and not world_writable(folder) for folder in chain]
    for index, folder in enumerate(chain):
        if holding[index] and (index + 1 == len(chain) or not holding[index + 1]):
            return ProjectRootChoice(folder, folder != current, stopped_at)
    return ProjectRootChoice(current, False, stopped_at)


def _holds(folder: str, root_kconfig: str) -> bool:
    return os.path.isfile(os.path.join(folder, root_kconfig))


def workspace_settings(
    project_root: str,
    project: ProjectSettings,
    *,
    root_kconfig: str | None = None,
    arch: str | None = None,
    environment: dict[str, str] | None = None,
    trust_commands: bool | None = None,
    index_unreached: bool = True,
    ecosystem: Ecosystem | None = None,
) -> WorkspaceSettings:
    """Merge file settings with overrides (command line, editor settings).

    `ecosystem` is the tree's, when the caller has found it already
    (`project_ecosystem`); otherwise it is found here.

    The ecosystem's preset comes first (see `ecosystem_settings`), then the
    Linux variables, the project file's environment and the overrides.
    A Zephyr application or west workspace outside the Zephyr tree
    (`zephyr_layout`) is loaded from that tree (`_zephyr_layout_settings`).
    """
    layout = zephyr_layout(project_root, project, environment)
    if layout is not None:
        return _zephyr_layout_settings(
            layout, project, root_kconfig, environment or {}, bool(trust_commands), index_unreached
        )
    ecosystem_found = ecosystem_settings(project_root, project, root_kconfig, ecosystem)
    chosen_root = ecosystem_found.root_kconfig
    merged = dict(ecosystem_found.environment)
    merged.update(linux_environment(project_root, arch or project.arch, chosen_root))
    merged.update(project.environment)
    merged.update(environment or {})
    merged.update(derived_environment(ecosystem_found.ecosystem, project_root, merged))
    return WorkspaceSettings(
        root=project_root,
        root_kconfig=chosen_root,
        environment=merged,
        # Never the project file's `trust-commands`: a tree cannot trust itself.
        trust_commands=bool(trust_commands),
        index_unreached=index_unreached,
        extra_roots=tuple(os.path.join(project_root, r) for r in project.extra_roots)
        + derived_extra_roots(ecosystem_found.ecosystem, project_root, merged),
        generated_files=generated_files(ecosystem_found.ecosystem, project_root, merged),
        kconfig_exclude=ecosystem_found.ecosystem.kconfig_exclude,
        unknown_symbols=ecosystem_found.ecosystem.unknown_symbols
        + derived_unknown_symbols(ecosystem_found.ecosystem, project_root, merged),
    )


@dataclass(frozen=True)
class EcosystemSettings:
    """The ecosystem's contribution to loading a tree: which, its root Kconfig, its environment."""

    ecosystem: Ecosystem
    root_kconfig: str
    environment: dict[str, str]


def project_ecosystem(project_root: str, project: ProjectSettings) -> Ecosystem:
    """The ecosystem the project file names, else the one detected from the tree."""
    return ecosystem_named(project.ecosystem) if project.ecosystem else detect_ecosystem(project_root)


def ecosystem_settings(
    project_root: str,
    project: ProjectSettings,
    root_kconfig: str | None = None,
    ecosystem: Ecosystem | None = None,
) -> EcosystemSettings:
    """The ecosystem named in the project file (else detected, unless given), and what it sets.

    An explicit root (command line, or `root` in the project file) wins over
    the ecosystem's (coreboot's `src/Kconfig`, Buildroot's `Config.in`).
    """
    if ecosystem is None:
        ecosystem = project_ecosystem(project_root, project)
    chosen_root = root_kconfig or project.root_kconfig
    if root_kconfig is None and not project.root_kconfig_set and project.root_kconfig == "Kconfig":
        chosen_root = ecosystem.root_kconfig
    return EcosystemSettings(ecosystem, chosen_root, ecosystem_environment(ecosystem, project_root))


def zephyr_layout(
    project_root: str, project: ProjectSettings, environment: Mapping[str, str] | None = None
) -> ZephyrLayout | None:
    """The Zephyr tree of a project folder that is a Zephyr application or a west workspace's top.

    None for every other folder (the Zephyr tree itself among them), for a
    project file that names another ecosystem, and when no Zephyr tree is found
    (`kconfig_ls.settings.zephyr_application` says where it is looked for).
    """
    if project.ecosystem not in (None, "zephyr"):
        return None
    given = {**project.environment, **(environment or {})}
    return find_zephyr_layout(project_root, given, os.environ)


def zephyr_layout_problem(project_root: str, project: ProjectSettings) -> str | None:
    """Why a Zephyr application's folder gets no Zephyr tree (for the settings problems), if it gets none."""
    kind = zephyr_folder_kind(project_root) if project.ecosystem in (None, "zephyr") else None
    if kind is None:
        return None
    return (
        f"{project_root} is a Zephyr {kind} but no Zephyr tree was found for it; set ZEPHYR_BASE "
        "(--env ZEPHYR_BASE=PATH, the editor's environment setting, or [environment] in .kconfig-ls.toml)"
    )


def _zephyr_layout_settings(
    layout: ZephyrLayout,
    project: ProjectSettings,
    root_kconfig: str | None,
    environment: Mapping[str, str],
    trust_commands: bool,
    index_unreached: bool,
) -> WorkspaceSettings:
    """An application's (or a workspace's) settings: the Zephyr tree's, rooted as `kconfig.cmake` roots it.

    The model's root is `ZEPHYR_BASE` (Kconfig's `srctree`: `source` paths
    are read from there); its root Kconfig is the application's `Kconfig`
    when it exists (`KCONFIG_ROOT`), else Zephyr's; the application's folder is
    a root `source` may enter; `APPLICATION_SOURCE_DIR` and `APP_DIR` are the
    application's, and the build folder `KCONFIG_BINARY_DIR` is its `build/`
    (where `west build` puts it). A root given on the command line or in the
    project file is relative to the project folder.
    """
    tree = layout.zephyr_base
    folder = layout.folder
    chosen = root_kconfig or (project.root_kconfig if project.root_kconfig_set else None)
    if chosen is not None:
        chosen_root = os.path.join(folder, chosen)
    elif layout.application is not None and os.path.isfile(os.path.join(layout.application, "Kconfig")):
        chosen_root = os.path.join(layout.application, "Kconfig")
    else:
        chosen_root = ZEPHYR_ROOT_KCONFIG
    ecosystem = ecosystem_named("zephyr")
    merged = ecosystem_environment(ecosystem, tree)
    if layout.application is not None:
        binary_dir = os.path.join(layout.application, "build", "Kconfig")
        merged |= {
            "APPLICATION_SOURCE_DIR": layout.application,
            "APP_DIR": layout.application,
            "KCONFIG_BINARY_DIR": binary_dir,
            "KCONFIG_BOARD_DIR": os.path.join(binary_dir, "boards"),
        }
    merged.update(project.environment)
    merged.update(environment)
    merged["ZEPHYR_BASE"] = tree
    merged.update(derived_environment(ecosystem, tree, merged))
    extra_roots = tuple(os.path.join(folder, r) for r in project.extra_roots)
    if layout.application is not None and not _inside(layout.application, tree):
        extra_roots += (layout.application,)
    return WorkspaceSettings(
        root=tree,
        root_kconfig=chosen_root,
        environment=merged,
        trust_commands=trust_commands,
        index_unreached=index_unreached,
        extra_roots=extra_roots + derived_extra_roots(ecosystem, tree, merged),
        generated_files=generated_files(ecosystem, tree, merged),
        kconfig_exclude=ecosystem.kconfig_exclude,
        unknown_symbols=ecosystem.unknown_symbols + derived_unknown_symbols(ecosystem, tree, merged),
    )


ZEPHYR_ROOT_KCONFIG: Final = "Kconfig"


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
