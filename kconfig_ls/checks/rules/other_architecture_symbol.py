"""KLS103 other-architecture-symbol: code uses a symbol that only unreached Kconfig files define.

With `arch = "x86"`, `#ifdef CONFIG_ARM_LPAE` in a shared driver is not a
typo: `arch/arm/Kconfig` defines it, and for an x86 build the block is
simply never compiled. Such uses are reported apart from undefined symbols,
as hints, naming where the symbol is defined.

Each definition has a home: the folder of the unreached Kconfig file it
comes from, or `arch/NAME` for an architecture (arm64's `ARCH_QCOM` is
defined in `arch/arm64/Kconfig.platforms`, reached from `arch/arm64/Kconfig`;
user-mode Linux's `arch/x86/um/` shares arch/um's home both ways).
Uses inside a definition's home are not reported at all: `arch/arm64/...`
is built exactly when arm64's symbols exist, and so is a sub-project, an
example or a test fixture with its own root Kconfig, or a nested tree with a
prefix of its own (coreboot's `payloads/`, built on libpayload's `CONFIG_LP_`) (U-Boot's
`tools/buildman/test`, coreboot's `payloads/coreinfo`, an ESP-IDF example). A name
spelled with a nested tree's own prefix is that tree's and never reported here
(Zephyr's sysbuild: `SB_CONFIG_BOOTLOADER_MCUBOOT` in `sysbuild.conf` and CMake
names `share/sysbuild/Kconfig`'s symbol, a root the main one never reaches).
In ESP-IDF the worlds are targets (`IDF_TARGET`; see `kconfig_ls.semantics.worlds`):
a definition in `components/esp_psram/esp32s3/Kconfig.spiram`, or in a file only
such a file sources, is at home in every file of esp32s3's world
(`components/*/esp32s3/...`, `bootloader_random_esp32s3.c`), and so is the folder
of a shared file only targets' files source (`components/bt/porting_btdm`, sourced
from esp32h4's and esp32s31's `Kconfig.in`). Outside the home
the message names it: "only for other architectures" for `arch/` homes, "only
for other targets" for ESP-IDF's, "only in FOLDER, which the root Kconfig does
not reach" otherwise. Folders the ecosystem marks as projects of their own (ESP-IDF's
`examples/` and `test_apps/`, Zephyr's `samples/` and `tests/`) are not
judged either, nor, in a Zephyr tree linted without a board, the symbols of
the boards a `board.yml` names (any of those boards may be the one built).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.semantics.model import Inclusion, Location, SymbolDefinition, WorkspaceSettings
from kconfig_ls.semantics.worlds import (
    LINUX_WORLDS,
    configured_world,
    definition_worlds,
    world_scheme,
    worlds_of_path,
)
from kconfig_ls.syntax.config_reference import ReferenceKind


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    workspace = context.model
    ecosystem = index.ecosystem
    root = workspace.root
    settings = workspace.settings
    nested_trees = [os.path.join(root, folder) for folder, _ in index.syntax.folder_prefixes]
    arch_root = os.path.join(root, "arch") + os.sep
    scheme = world_scheme(settings)
    targets = scheme is not None and scheme is not LINUX_WORLDS
    configured = configured_world(settings)

    def homes_of(definition: SymbolDefinition) -> list[str | _World]:
        if targets:
            return _target_homes_of(settings, definition, configured)
        return list(_homes_of(definition, arch_root))

    # Zephyr without a board: the tree is linted for every board at once, so each board's
    # symbols (`BOARD_QEMU_X86` of `boards/qemu/x86/board.yml`) may be set; unknown, not "never".
    unknown = (
        [re.compile(pattern) for pattern in settings.unknown_symbols]
        if ecosystem.name == "zephyr" and not settings.environment.get("BOARD")
        else []
    )
    for symbol, references in index.references.items():
        definitions = workspace.definitions.get(symbol)
        if not definitions or any(d.reached for d in definitions):
            continue
        if unknown and any(pattern.fullmatch(symbol) for pattern in unknown):
            continue
        homes = {home for definition in definitions for home in homes_of(definition)}
        # A nested tree with its own prefix is one home (coreboot's payloads on libpayload).
        homes.update(folder for folder in nested_trees if any(_inside(d.path, folder) for d in definitions))
        home_worlds = {home.name for home in homes if isinstance(home, _World)}
        home_folders = [home for home in homes if isinstance(home, str) and home != root]
        first = definitions[0]
        where = f"{workspace.relative(first.path)}:{workspace.line_of(first.location) + 1}"
        first_home = homes_of(first)[0]
        if isinstance(first_home, _World) or first_home.startswith(arch_root):
            kind = scheme.kind if scheme is not None else "architecture"
            description = f"is defined only for other {kind}s ({where})"
        else:
            folder = workspace.relative(first_home) if first_home != root else "a Kconfig file"
            others = len({homes_of(d)[0] for d in definitions} - {first_home})
            if others:
                # ESP-IDF defines SPIRAM_RODATA once per target folder.
                folder += f" and {others} other folder{'s' if others > 1 else ''}"
            description = f"is defined only in {folder}, which the root Kconfig does not reach ({where})"
        for reference in references:
            if reference.kind == ReferenceKind.DEFINE:
                continue  # the file supplies the name itself (sparc's vdso32: `#define CONFIG_32BIT`)
            if any(_inside(reference.path, home) for home in home_folders):
                continue
            alias = _uml_alias(reference.path, arch_root)
            if alias is not None and any(_inside(alias, home) for home in home_folders):
                continue  # `arch/x86/um/...` is user-mode Linux's code, built with arch/um's symbols
            if home_worlds and home_worlds.intersection(worlds_of_path(settings, reference.path)):
                continue  # a file of a world that defines it (`components/hal/esp32c3/...`)
            if ecosystem.project_folders and ecosystem.in_project_folder(workspace.relative(reference.path)):
                continue  # an example project of its own (ESP-IDF `examples/`): its root is not ours
            yield RULE.finding(
                f"CONFIG_{symbol} {description}; it is never set with the configured tree",
                Location(reference.path, reference.span),
                related=[RelatedLocation(f"definition of {symbol}", first.location)],
            )


@dataclass(frozen=True, slots=True)
class _World:
    """A home that is a world of the tree (an ESP-IDF target) rather than a folder."""

    name: str


def _homes_of(definition: SymbolDefinition, arch_root: str) -> list[str]:
    """Where uses of the definition are at home: `arch/NAME` for a definition there, and
    the folder (or architecture) of the unreached root file it comes from."""
    homes = []
    if definition.path.startswith(arch_root):
        homes.append(arch_root + definition.path[len(arch_root) :].split(os.sep, 1)[0])
        if _uml_alias(definition.path, arch_root) is not None:
            homes.append(arch_root + "um")  # user-mode Linux's `arch/x86/um/Kconfig`
    top = _top_path(definition)
    if top.startswith(arch_root):
        homes.append(arch_root + top[len(arch_root) :].split(os.sep, 1)[0])
    else:
        homes.append(os.path.dirname(top))
    return homes


def _target_homes_of(
    settings: WorkspaceSettings, definition: SymbolDefinition, configured: str
) -> list[str | _World]:
    """The targets the definition is for (its file's, or those of the unreached file that
    sources it) and the folders of the shared files between (`components/bt/porting_btdm`,
    which only esp32h4's and esp32s31's `Kconfig.in` source: its code is theirs too); else,
    or when it is the configured target's yet not sourced, the folder of the unreached root file."""
    worlds = definition_worlds(settings, definition)
    if not worlds or configured in worlds:
        return [os.path.dirname(_top_path(definition))]
    homes: list[str | _World] = [_World(world) for world in worlds]
    inclusion: Inclusion | None = definition.inclusion
    while inclusion is not None and not worlds_of_path(settings, inclusion.path):
        homes.append(os.path.dirname(inclusion.path))
        inclusion = inclusion.parent
    return homes


def _uml_alias(path: str, arch_root: str) -> str | None:
    """`arch/um/...` for a file of `arch/NAME/um/` (user-mode Linux's per-architecture part,
    which `arch/um/Kconfig` sources as `arch/$(HEADER_ARCH)/um/Kconfig`), else None."""
    if not path.startswith(arch_root):
        return None
    parts = path[len(arch_root) :].split(os.sep, 2)
    if len(parts) == 3 and parts[1] == "um" and parts[0] != "um":
        return arch_root + os.path.join("um", parts[2])
    return None


def _top_path(definition: SymbolDefinition) -> str:
    inclusion = definition.inclusion
    while inclusion.parent is not None:
        inclusion = inclusion.parent
    return inclusion.path


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


RULE = Rule(
    code="KLS103",
    name="other-architecture-symbol",
    summary="code uses a symbol that only Kconfig files the root does not reach define",
    default_severity=Severity.HINT,
    check=check,
    documentation=__doc__ or "",
    tier="tree",
    scope="code",
)
