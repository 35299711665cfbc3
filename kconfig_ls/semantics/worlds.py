"""Configuration worlds: the architectures of a Linux tree, the targets of ESP-IDF, each its own table.

A Linux tree is many configurations in one: the root `Kconfig` reaches
`arch/$(SRCARCH)/Kconfig`, so SMP, MMU or NR_CPUS mean something different
on arm than on x86. ESP-IDF is the same with its targets: the root sources
`components/soc/$IDF_TARGET/include/soc/Kconfig.soc_caps.in` and its
components `port/$IDF_TARGET/Kconfig.*`, so the `SOC_` capabilities and the
chip's options differ between esp32 and esp32c3. A world is one value of
the variable that chooses which files are sourced; which variable, and
which values exist, is the ecosystem's (a `WorldScheme`):

- Linux (the environment has `SRCARCH`): each folder `arch/NAME/` with a
  `Kconfig` is a world, the "architecture" NAME; a file in `arch/NAME/` is
  NAME's.
- ESP-IDF (the environment has `IDF_TARGET`, and `components/soc/` holds
  targets): each folder `components/soc/NAME/` with an
  `include/soc/Kconfig.soc_caps.in` is a world, the "target" NAME; a file
  with a folder named NAME below `components/` (`components/hal/esp32c3/`,
  `components/esp_hw_support/port/esp32c3/`) or a name made for it
  (`bootloader_random_esp32c3.c`, `vfs_linux_default.c`; a name may list
  several targets) is NAME's.
- Any other tree has one world.

`load_world_models` loads one model per world, sharing the parse of every
file between them (most files are the same bytes in every world), so all 21
Linux architectures cost one parse plus 21 links. Callers that predate the
targets name these functions after architectures (`architecture_worlds`,
`architecture_of_path`); they mean the world, whatever the ecosystem calls it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Final

from kconfig_ls.semantics.model import KconfigModel, SymbolDefinition, WorkspaceSettings
from kconfig_ls.semantics.symbols import DEFAULT_WORLD, SymbolTable, build_symbol_table
from kconfig_ls.syntax.kconfig import KconfigFile
from kconfig_ls.vfs.overlay import read_regular_file

__all__ = [
    "ESP_IDF_WORLDS",
    "LINUX_WORLDS",
    "WorldScheme",
    "architecture_of_path",
    "architecture_worlds",
    "configured_world",
    "definition_worlds",
    "load_world_models",
    "world_kind",
    "world_label",
    "world_membership",
    "world_scheme",
    "world_settings",
    "world_tables",
    "worlds_of_path",
]


@dataclass(frozen=True, slots=True)
class WorldScheme:
    """How one family of trees chooses its world: the variable, and what its values are called.

    `variable` is the environment variable whose value is the world
    (`SRCARCH`, `IDF_TARGET`); `kind` is what a world is called in
    messages ("architecture", "target"); `folder` is where the worlds are
    listed, relative to the root (`arch`, `components/soc`), and `marker`
    the file, relative to a world's folder there, that makes it one.
    """

    name: str
    variable: str
    kind: str
    folder: str
    marker: str


LINUX_WORLDS: Final = WorldScheme("linux", "SRCARCH", "architecture", "arch", "Kconfig")
ESP_IDF_WORLDS: Final = WorldScheme(
    "esp-idf", "IDF_TARGET", "target", os.path.join("components", "soc"), "include/soc/Kconfig.soc_caps.in"
)
_SCHEMES: Final = (LINUX_WORLDS, ESP_IDF_WORLDS)
_NAME_PARTS: Final = re.compile(r"[._\-]")
_TARGETS_MEMO: dict[tuple[str, int], tuple[str, ...]] = {}


def world_scheme(settings: WorkspaceSettings) -> WorldScheme | None:
    """The tree's world scheme: the first whose variable its environment sets and whose worlds exist."""
    for scheme in _SCHEMES:
        if scheme.variable in settings.environment and (scheme is LINUX_WORLDS or _targets(settings.root)):
            return scheme
    return None


def world_kind(settings: WorkspaceSettings) -> str:
    """What the tree calls a world in messages: "architecture" (also for one-world trees) or "target"."""
    scheme = world_scheme(settings)
    return scheme.kind if scheme is not None else LINUX_WORLDS.kind


def architecture_worlds(settings: WorkspaceSettings) -> list[str]:
    """The worlds of a tree: its architectures or targets (sorted), or `[""]` for a tree without them."""
    scheme = world_scheme(settings)
    if scheme is None:
        return [DEFAULT_WORLD]
    if scheme is ESP_IDF_WORLDS:
        return list(_targets(settings.root))
    arch_root = os.path.join(settings.root, "arch")
    try:
        names = sorted(os.listdir(arch_root))
    except OSError:
        return [DEFAULT_WORLD]
    worlds = [name for name in names if os.path.isfile(os.path.join(arch_root, name, "Kconfig"))]
    return worlds or [DEFAULT_WORLD]


def configured_world(settings: WorkspaceSettings) -> str:
    """The world the settings select: `SRCARCH` or `IDF_TARGET`, or the default world."""
    scheme = world_scheme(settings)
    return DEFAULT_WORLD if scheme is None else settings.environment.get(scheme.variable, DEFAULT_WORLD)


def world_settings(settings: WorkspaceSettings, world: str) -> WorkspaceSettings:
    """The settings for one world: `SRCARCH` and `ARCH` (Linux) or `IDF_TARGET` set to it, else unchanged."""
    scheme = world_scheme(settings)
    if world == DEFAULT_WORLD or scheme is None:
        return settings
    environment = dict(settings.environment)
    environment[scheme.variable] = world
    if scheme is LINUX_WORLDS:
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


def worlds_of_path(settings: WorkspaceSettings, path: str) -> tuple[str, ...]:
    """The worlds a file belongs to by where it is or what it is called; empty for a shared file.

    Linux: `arch/arm/mm/fault.c` -> (arm,). ESP-IDF: `components/hal/esp32c3/...`
    -> (esp32c3,), `components/esp_rom/patches/esp_rom_cache_writeback_esp32c5_esp32c61.c`
    -> (esp32c5, esp32c61).
    """
    scheme = world_scheme(settings)
    if scheme is None:
        return ()
    if scheme is LINUX_WORLDS:
        arch_root = os.path.join(os.path.abspath(settings.root), "arch") + os.sep
        if not path.startswith(arch_root):
            return ()
        rest = path[len(arch_root) :]
        return (rest.split(os.sep, 1)[0],) if os.sep in rest else ()
    components = os.path.join(os.path.abspath(settings.root), "components") + os.sep
    if not path.startswith(components):
        return ()
    targets = _targets(settings.root)
    *folders, name = path[len(components) :].split(os.sep)
    found = [folder for folder in folders if folder in targets]
    if not found:
        found = [part for part in _NAME_PARTS.split(name) if part in targets]
    if found and folders:
        # A component may build one target's folder for others too (`components/bt`:
        # `if(CONFIG_IDF_TARGET_ESP32S3) set(TARGET_SRC_NAME "esp32c3")`).
        aliases = _target_folder_aliases(os.path.join(components, folders[0]), targets)
        found += [other for target in found for other in aliases.get(target, ())]
    return tuple(dict.fromkeys(found))


def architecture_of_path(settings: WorkspaceSettings, path: str) -> str | None:
    """The (first) world whose folder holds `path` or whose name it bears (`arch/arm/mm/fault.c` -> arm)."""
    worlds = worlds_of_path(settings, path)
    return worlds[0] if worlds else None


def definition_worlds(settings: WorkspaceSettings, definition: SymbolDefinition) -> tuple[str, ...]:
    """The worlds a definition is for: its file's, or, for an unreached file shared by path,
    those of the unreached file that sources it (ESP-IDF's `components/bt/porting_btdm/Kconfig.in`,
    sourced only from `components/bt/controller/esp32h4/Kconfig.in`, is esp32h4's)."""
    worlds = worlds_of_path(settings, definition.path)
    if worlds or definition.reached:
        return worlds
    inclusion = definition.inclusion
    while inclusion.parent is not None:
        inclusion = inclusion.parent
    return worlds_of_path(settings, inclusion.path)


def world_membership(settings: WorkspaceSettings, path: str | None) -> Callable[[SymbolDefinition], bool]:
    """Which definitions belong to the world of the file being looked at.

    The configured world (the tree the root reaches) by default; for a file of
    another world (`arch/arm/...` while x86 is configured, `components/hal/esp32c3/...`
    while the target is esp32), that world's: its own definitions and the shared
    ones the root reaches outside the configured world's files.
    """
    looked_at = worlds_of_path(settings, path) if path is not None else ()
    configured = configured_world(settings)
    if not looked_at or configured in looked_at:
        return _reached
    if world_scheme(settings) is LINUX_WORLDS:
        # One folder per architecture: prefix tests (hover and definition ask this per definition).
        arch_root = os.path.join(os.path.abspath(settings.root), "arch")
        own = os.path.join(arch_root, looked_at[0]) + os.sep
        configured_folder = os.path.join(arch_root, configured) + os.sep

        def member_of_architecture(definition: SymbolDefinition) -> bool:
            if definition.path.startswith(own):
                return True
            return definition.reached and not definition.path.startswith(configured_folder)

        return member_of_architecture
    wanted = set(looked_at)

    def member(definition: SymbolDefinition) -> bool:
        if wanted.intersection(definition_worlds(settings, definition)):
            return True
        return definition.reached and configured not in worlds_of_path(settings, definition.path)

    return member


def world_label(settings: WorkspaceSettings, definition: SymbolDefinition) -> str:
    """A short name for the world a definition belongs to, for "other architectures" lists."""
    worlds = (
        worlds_of_path(settings, definition.path)
        if world_scheme(settings) is LINUX_WORLDS
        else definition_worlds(settings, definition)
    )
    if worlds:
        return ", ".join(worlds)
    return "not sourced" if not definition.reached else (configured_world(settings) or "this configuration")


def _targets(root: str) -> tuple[str, ...]:
    """ESP-IDF's targets: the folders of `components/soc/` with the capabilities Kconfig file (sorted)."""
    folder = os.path.join(root, ESP_IDF_WORLDS.folder)
    try:
        stamp = os.stat(folder).st_mtime_ns
    except OSError:
        return ()
    key = (folder, stamp)
    targets = _TARGETS_MEMO.get(key)
    if targets is None:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            names = []
        targets = tuple(
            name for name in names if os.path.isfile(os.path.join(folder, name, ESP_IDF_WORLDS.marker))
        )
        if len(_TARGETS_MEMO) > 64:
            _TARGETS_MEMO.clear()
        _TARGETS_MEMO[key] = targets
    return targets


_TARGET_FOLDER_CHOICE: Final = re.compile(
    r"(?:\belse|\b)if\s*\(\s*CONFIG_IDF_TARGET_(\w+)\s*\)\s*\n\s*set\s*\(\s*\w+\s+\"?(\w+)\"?\s*\)"
)
_ALIASES_MEMO: dict[tuple[str, int], dict[str, tuple[str, ...]]] = {}


def _target_folder_aliases(component: str, targets: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The other targets a component builds each target's folder for, from its `CMakeLists.txt`.

    `if(CONFIG_IDF_TARGET_ESP32S3)` followed by `set(TARGET_SRC_NAME "esp32c3")`
    (ESP-IDF's `components/bt`) makes the `esp32c3` folders esp32s3's too.
    Only a folder and a target that both exist count.
    """
    cmake = os.path.join(component, "CMakeLists.txt")
    try:
        stamp = os.stat(cmake).st_mtime_ns
    except OSError:
        return {}
    key = (cmake, stamp)
    aliases = _ALIASES_MEMO.get(key)
    if aliases is None:
        try:
            text = read_regular_file(cmake, 1 << 20).decode("utf-8", "replace")
        except OSError:
            text = ""
        found: dict[str, list[str]] = {}
        for target, folder in _TARGET_FOLDER_CHOICE.findall(text):
            target = target.lower()
            if target in targets and folder in targets and target != folder:
                found.setdefault(folder, []).append(target)
        aliases = {folder: tuple(others) for folder, others in found.items()}
        if len(_ALIASES_MEMO) > 256:
            _ALIASES_MEMO.clear()
        _ALIASES_MEMO[key] = aliases
    return aliases


def _reached(definition: SymbolDefinition) -> bool:
    return definition.reached
