"""Configuration worlds: the architectures of a Linux-style tree, each its own symbol table.

A Linux tree is many configurations in one: the root `Kconfig` reaches
`arch/$(SRCARCH)/Kconfig`, so SMP, MMU or NR_CPUS mean something different
on arm than on x86. A world is one value of the variables that choose which
files are sourced: for a tree whose environment has `SRCARCH`, each folder
`arch/NAME/` with a `Kconfig` is a world; any other tree has one world.

`load_world_models` loads one model per world, sharing the parse of every
file between them (most files are the same bytes in every world), so all 21
Linux architectures cost one parse plus 21 links.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace

from kconfig_ls.semantics.model import KconfigModel, SymbolDefinition, WorkspaceSettings
from kconfig_ls.semantics.symbols import DEFAULT_WORLD, SymbolTable, build_symbol_table
from kconfig_ls.syntax.kconfig import KconfigFile

__all__ = [
    "architecture_of_path",
    "architecture_worlds",
    "configured_world",
    "load_world_models",
    "world_label",
    "world_membership",
    "world_settings",
    "world_tables",
]


def architecture_worlds(settings: WorkspaceSettings) -> list[str]:
    """The worlds of a tree: its architectures (sorted), or `[""]` for a tree without them."""
    if "SRCARCH" not in settings.environment:
        return [DEFAULT_WORLD]
    arch_root = os.path.join(settings.root, "arch")
    try:
        names = sorted(os.listdir(arch_root))
    except OSError:
        return [DEFAULT_WORLD]
    worlds = [name for name in names if os.path.isfile(os.path.join(arch_root, name, "Kconfig"))]
    return worlds or [DEFAULT_WORLD]


def configured_world(settings: WorkspaceSettings) -> str:
    """The world the settings select: `SRCARCH`, or the default world."""
    return settings.environment.get("SRCARCH", DEFAULT_WORLD)


def world_settings(settings: WorkspaceSettings, world: str) -> WorkspaceSettings:
    """The settings for one world: `SRCARCH` and `ARCH` set to it (Linux), else unchanged."""
    if world == DEFAULT_WORLD or "SRCARCH" not in settings.environment:
        return settings
    environment = dict(settings.environment)
    environment["SRCARCH"] = world
    environment["ARCH"] = world
    if world == "um":
        environment.setdefault("HEADER_ARCH", "x86")
        environment["SUBARCH"] = environment["HEADER_ARCH"]
    return replace(settings, environment=environment, index_unreached=False)


def load_world_models(
    settings: WorkspaceSettings,
    worlds: Iterable[str] | None = None,
    parse_cache: dict[str, tuple[bytes, KconfigFile]] | None = None,
) -> dict[str, KconfigModel]:
    """One loaded model per world (default: every world of the tree), parses shared."""
    cache: dict[str, tuple[bytes, KconfigFile]] = {} if parse_cache is None else parse_cache
    models: dict[str, KconfigModel] = {}
    for world in architecture_worlds(settings) if worlds is None else worlds:
        model = KconfigModel(world_settings(settings, world), parse_cache=cache)
        model.load()
        models[world] = model
    return models


def world_tables(settings: WorkspaceSettings, worlds: Iterable[str] | None = None) -> dict[str, SymbolTable]:
    """The symbol table of each world (see `load_world_models`; the derivations are shared too)."""
    shared: dict[object, object] = {}
    return {
        world: build_symbol_table(model, world, shared)
        for world, model in load_world_models(settings, worlds).items()
    }


def architecture_of_path(settings: WorkspaceSettings, path: str) -> str | None:
    """The architecture whose folder holds `path` (`arch/arm/mm/fault.c` -> arm), or None."""
    if "SRCARCH" not in settings.environment:
        return None
    arch_root = os.path.join(os.path.abspath(settings.root), "arch") + os.sep
    if not path.startswith(arch_root):
        return None
    name = path[len(arch_root) :].split(os.sep, 1)[0]
    return name if os.sep in path[len(arch_root) :] else None


def world_membership(settings: WorkspaceSettings, path: str | None) -> Callable[[SymbolDefinition], bool]:
    """Which definitions belong to the world of the file being looked at.

    The configured world (the tree the root reaches) by default; for a file in
    another architecture's folder (`arch/arm/...` while x86 is configured),
    arm's world: the definitions in `arch/arm/` and the shared ones the root
    reaches outside the configured architecture's folder.
    """
    configured = configured_world(settings)
    looked_at = architecture_of_path(settings, path) if path is not None else None
    if looked_at is None or looked_at == configured:
        return _reached
    arch_root = os.path.join(os.path.abspath(settings.root), "arch")
    own = os.path.join(arch_root, looked_at) + os.sep
    configured_folder = os.path.join(arch_root, configured) + os.sep

    def member(definition: SymbolDefinition) -> bool:
        if definition.path.startswith(own):
            return True
        return definition.reached and not definition.path.startswith(configured_folder)

    return member


def world_label(settings: WorkspaceSettings, definition: SymbolDefinition) -> str:
    """A short name for the world a definition belongs to, for "other architectures" lists."""
    arch = architecture_of_path(settings, definition.path)
    if arch is not None:
        return arch
    return "not sourced" if not definition.reached else (configured_world(settings) or "this configuration")


def _reached(definition: SymbolDefinition) -> bool:
    return definition.reached
