"""Zephyr opened from outside the Zephyr tree: an application folder, or a west workspace's top folder.

Most people who edit Zephyr's Kconfig symbols do not open the Zephyr tree:
they open their application (a folder with `CMakeLists.txt` calling
`find_package(Zephyr ...)`, `prj.conf`, perhaps a `Kconfig` that sources
`Kconfig.zephyr`, a `Kconfig.sysbuild`, `boards/*.conf`), or the top folder
of the west workspace (`.west/config`, the `zephyr/` tree, `modules/`).
Read alone, such a folder is a generic project of a few files; its symbols
are Zephyr's. This module finds the Zephyr tree for such a folder
(`ZEPHYR_BASE`), as the build finds it, and nothing more: the settings
(`kconfig_ls.settings.resolve`) then root the model at that tree with the
application's `Kconfig` as the root, as `cmake/modules/kconfig.cmake` does
(`KCONFIG_ROOT` is `${APPLICATION_SOURCE_DIR}/Kconfig` when it exists, else
`${ZEPHYR_BASE}/Kconfig`; `srctree` is `ZEPHYR_BASE`, so the application's
`source "Kconfig.zephyr"` is Zephyr's).

Where `ZEPHYR_BASE` comes from, the first that gives a folder winning:

1. `ZEPHYR_BASE` given by the person running the tool: `--env ZEPHYR_BASE=...`,
   the editor's environment setting, or `[environment]` of `.kconfig-ls.toml`.
2. In a west workspace whose `.west/config` says `[zephyr] base-prefer = configfile`:
   its `[zephyr] base` (relative to the workspace's top folder).
3. The `ZEPHYR_BASE` variable of kconfig-ls's own process environment (read, never
   set): what CMake's `find_package(Zephyr)` reads first, and what west prefers
   by default.
4. The Zephyr tree that holds the folder (an application in `zephyr/samples/`).
5. The west workspace above the folder: `[zephyr] base` of `.west/config`, else the
   manifest repository (`[manifest] path`) when it is a Zephyr tree, else the
   workspace's project holding one (the one named `zephyr` first).
6. A `zephyr/` folder holding `Kconfig.zephyr` beside the folder or beside one
   of its parents (a workspace without `.west`, a CI checkout).

A Zephyr tree is a folder holding `Kconfig.zephyr`. The searches upwards stop
below a world-writable folder, as the project root search does. Nothing is run
and nothing is written.
"""

from __future__ import annotations

import configparser
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal

from kconfig_ls.settings.west_manifest import active_projects
from kconfig_ls.settings.zephyr_modules import world_writable
from kconfig_ls.vfs.overlay import read_regular_file

__all__ = ["ZephyrLayout", "find_zephyr_layout", "is_zephyr_tree", "zephyr_folder_kind"]

_LEVELS: Final = 4
_MAX_FILE_SIZE: Final = 1 << 20
# CMake commands are case-insensitive; the package name is not.
_FIND_PACKAGE_ZEPHYR: Final = re.compile(rb"(?i:find_package)\s*\(\s*Zephyr(?:\s|\))")

FolderKind = Literal["application", "workspace"]


@dataclass(frozen=True, slots=True)
class ZephyrLayout:
    """Where a folder outside the Zephyr tree finds Zephyr, and what the folder is.

    `application` is the application's folder (`APPLICATION_SOURCE_DIR`), None
    for a workspace's top folder; `west_topdir` the west workspace holding the
    folder, if any; `found_by` says which rule of the module docstring gave
    `zephyr_base` (for messages).
    """

    folder: str
    zephyr_base: str
    application: str | None
    west_topdir: str | None
    found_by: str


def is_zephyr_tree(folder: str) -> bool:
    """Whether `folder` is a Zephyr tree (it holds `Kconfig.zephyr`)."""
    return os.path.isfile(os.path.join(folder, "Kconfig.zephyr"))


def zephyr_folder_kind(folder: str) -> FolderKind | None:
    """`application` for a Zephyr application's folder, `workspace` for a west workspace's top folder.

    An application calls `find_package(Zephyr ...)` in its `CMakeLists.txt`;
    a west workspace's top folder holds `.west/config`. The Zephyr tree
    itself is neither.
    """
    if is_zephyr_tree(folder):
        return None
    if _FIND_PACKAGE_ZEPHYR.search(_read(os.path.join(folder, "CMakeLists.txt"))):
        return "application"
    if os.path.isfile(os.path.join(folder, ".west", "config")):
        return "workspace"
    return None


def find_zephyr_layout(
    folder: str, environment: Mapping[str, str], process_environment: Mapping[str, str]
) -> ZephyrLayout | None:
    """The Zephyr tree of an application or workspace folder (None for any other folder, or when not found).

    `environment` is the variables the person gave (command line, editor,
    project file); `process_environment` is kconfig-ls's own environment
    (`os.environ`), of which only `ZEPHYR_BASE` is read.
    """
    folder = os.path.abspath(folder)
    kind = zephyr_folder_kind(folder)
    if kind is None:
        return None
    application = folder if kind == "application" else None
    topdir = folder if kind == "workspace" else _west_topdir(folder)
    config = _west_config(topdir) if topdir is not None else None

    def layout(base: str, found_by: str) -> ZephyrLayout:
        return ZephyrLayout(folder, os.path.normpath(base), application, topdir, found_by)

    given = environment.get("ZEPHYR_BASE", "")
    if given:
        return layout(os.path.join(folder, os.path.expanduser(given)), "ZEPHYR_BASE in the settings")
    configured = config.get("zephyr", "base", fallback="") if config is not None else ""
    if config is not None and configured and config.get("zephyr", "base-prefer", fallback="") == "configfile":
        assert topdir is not None
        return layout(os.path.join(topdir, configured), "zephyr.base of .west/config (base-prefer)")
    from_process = process_environment.get("ZEPHYR_BASE", "")
    if from_process and os.path.isdir(from_process):
        return layout(from_process, "the ZEPHYR_BASE environment variable")
    holding = _tree_holding(folder)
    if holding is not None:
        return layout(holding, "the Zephyr tree holding the folder")
    if topdir is not None and config is not None:
        found = _west_zephyr_base(topdir, config)
        if found is not None:
            return layout(found, "the west workspace")
    beside = _zephyr_beside(folder)
    if beside is not None:
        return layout(beside, "a zephyr folder beside it")
    return None


def _west_zephyr_base(topdir: str, config: configparser.ConfigParser) -> str | None:
    """`zephyr.base`, else the manifest repository or a project of the manifest that is a Zephyr tree."""
    configured = config.get("zephyr", "base", fallback="")
    if configured:
        return os.path.join(topdir, configured)
    manifest_path = config.get("manifest", "path", fallback="")
    if manifest_path and is_zephyr_tree(os.path.join(topdir, manifest_path)):
        return os.path.join(topdir, manifest_path)
    if not manifest_path:
        return None
    manifest_file = config.get("manifest", "file", fallback="west.yml")
    projects = active_projects(topdir, manifest_path, manifest_file)
    ordered = sorted(projects, key=lambda project: project.name != "zephyr")
    for project in ordered:
        candidate = os.path.join(topdir, project.path)
        if is_zephyr_tree(candidate):
            return candidate
    return None


def _west_topdir(folder: str) -> str | None:
    """The folder above `folder` holding `.west/config` (a few levels, never above a world-writable one)."""
    for parent in _parents(folder):
        if os.path.isfile(os.path.join(parent, ".west", "config")):
            return parent
    return None


def _west_config(topdir: str) -> configparser.ConfigParser | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read(os.path.join(topdir, ".west", "config")).decode("utf-8", "replace"))
    except configparser.Error:
        return None
    return parser


def _tree_holding(folder: str) -> str | None:
    """The Zephyr tree above `folder` (`zephyr/samples/hello_world` is in `zephyr`)."""
    for parent in _parents(folder):
        if is_zephyr_tree(parent):
            return parent
    return None


def _zephyr_beside(folder: str) -> str | None:
    """A `zephyr/` Zephyr tree in `folder` or in one of its parents (never in a world-writable one)."""
    inside = os.path.join(folder, "zephyr")
    if is_zephyr_tree(inside):
        return inside
    for parent in _parents(folder):
        candidate = os.path.join(parent, "zephyr")
        if candidate != folder and is_zephyr_tree(candidate):
            return candidate
    return None


def _parents(folder: str) -> Iterator[str]:
    """The folders above `folder`, nearest first: a few levels, never a world-writable one or above."""
    probe = folder
    for _ in range(_LEVELS):
        parent = os.path.dirname(probe)
        if parent == probe or world_writable(parent):
            return
        yield parent
        probe = parent


def _read(path: str) -> bytes:
    try:
        return read_regular_file(path, _MAX_FILE_SIZE)
    except OSError:
        return b""
