"""What Zephyr's CMake derives from the board before Kconfig runs: hardware-model files and variables.

`cmake/modules/hwm_v2.cmake` writes `soc/Kconfig.soc`, `boards/Kconfig.<board>`
and `arch/Kconfig` into `KCONFIG_BINARY_DIR` (one `osource` per folder that
`scripts/list_hardware.py` finds), `boards.cmake` splits a board target
(`nrf52840dk@2.0/nrf52840`) into board, revision and qualifiers, and
`dts.cmake` lists the `dts/bindings` folders. Each is computed here from the
tree's files, as bytes and variables (`kconfig_ls.settings.ecosystem`'s
`generated_files`, `derived_environment` and `derived_unknown_symbols` use
them); nothing runs CMake or writes a file. Split from `ecosystem.py`, which
keeps the ecosystems' data and detection.
"""

from __future__ import annotations

import glob
import os
import re
from typing import Final

from kconfig_ls.settings.west_manifest import simple_yaml
from kconfig_ls.settings.zephyr_modules import ZephyrModule
from kconfig_ls.vfs.overlay import read_regular_file

__all__ = ["binding_folders", "board_environment", "board_symbol_patterns", "hardware_files"]


def binding_folders(root: str, environment: dict[str, str], modules: list[ZephyrModule]) -> list[str]:
    """The `dts/bindings` folders of `DTS_ROOT` as `cmake/modules/dts.cmake` lists them.

    The application's folder (`APPLICATION_SOURCE_DIR`), the board's
    (`BOARD_DIR`), the `DTS_ROOT` the user gives (a CMake list), the Zephyr
    tree, and each module's `build.settings.dts_root` (`zephyr_module.py
    --settings-out`); those without a `dts/bindings` folder add nothing.
    """
    roots = [environment.get("APPLICATION_SOURCE_DIR", ""), environment.get("BOARD_DIR", "")]
    roots += [part for part in re.split(r"[;\s]+", environment.get("DTS_ROOT", "")) if part]
    roots.append(root)
    roots += [module.dts_root for module in modules if module.dts_root]
    folders = [os.path.join(os.path.join(root, folder), "dts", "bindings") for folder in roots if folder]
    return [folder for folder in dict.fromkeys(os.path.normpath(f) for f in folders) if os.path.isdir(folder)]


_ZEPHYR_SOC_FILES: Final = ("Kconfig.defconfig", "Kconfig", "Kconfig.soc", "Kconfig.sysbuild")
_ZEPHYR_BOARD_NAME: Final = re.compile(rb"^\s*-?\s*name:\s*[\"']?([A-Za-z0-9_\-]+)", re.MULTILINE)
_ZEPHYR_ARCH_PATH: Final = re.compile(rb"^\s*-?\s*path:\s*[\"']?([A-Za-z0-9_\-./]+)", re.MULTILINE)


def hardware_files(root: str, binary_dir: str, board: str, revision: str = "") -> dict[str, bytes]:
    """`soc/Kconfig.soc` and the other files `hwm_v2.cmake` generates: one `osource` per folder.

    The SoC folders are those holding a `soc.yml` under `soc/` (what
    `scripts/list_hardware.py` finds); the board folders are those whose
    `board.yml` names `BOARD` (none without a board: the board's own
    Kconfig files are then analysed as unreached files). `arch/Kconfig`
    names each architecture of `arch/archs.yml`, in the reverse order
    `hwm_v2.cmake` writes them. A board revision (`BOARD_REVISION`, or the
    `@2.0` of `nrf52840dk@2.0/nrf52840`) adds the `BOARD_REVISION_2_0`
    symbol `kconfig.cmake` appends to the boards' `Kconfig`.
    """
    soc_folders = sorted(_folders_holding(os.path.join(root, "soc"), "soc.yml"))
    board_name = _zephyr_board_name(board)
    board_folders = _zephyr_board_folders(root, board_name)
    arch_paths = _ZEPHYR_ARCH_PATH.findall(_head(os.path.join(root, "arch", "archs.yml")))
    arch_folders = [
        os.path.join(root, "arch", path.decode("utf-8", "surrogateescape")) for path in arch_paths
    ]
    files: dict[str, bytes] = {
        os.path.join(binary_dir, "arch", "Kconfig"): _osource_lines(arch_folders[::-1], "Kconfig"),
    }
    for name in _ZEPHYR_SOC_FILES:
        files[os.path.join(binary_dir, "soc", name)] = _osource_lines(soc_folders, name)
    board_files = ["Kconfig.defconfig", "Kconfig", "Kconfig.sysbuild"]
    if board_name:
        board_files.append(f"Kconfig.{board_name}")
    for name in board_files:
        files[os.path.join(binary_dir, "boards", name)] = _osource_lines(board_folders, name)
    if not board_name:
        files[os.path.join(binary_dir, "boards", "Kconfig")] += _zephyr_no_board_text(root)
    revision = revision or (board.split("/", 1)[0].split("@", 1)[1] if "@" in board.split("/", 1)[0] else "")
    if board_name and revision:
        symbol = re.sub(r"[^A-Za-z0-9_]", "_", f"BOARD_REVISION_{revision}").upper()
        files[os.path.join(binary_dir, "boards", "Kconfig")] += f"config {symbol}\n\tdef_bool y\n".encode()
    return files


_ZEPHYR_BOARD_SELECT: Final = re.compile(rb"^[ \t]*(?:select|imply)[ \t]+([A-Za-z0-9_]+)", re.MULTILINE)


def _zephyr_no_board_text(root: str) -> bytes:
    """Without a board, what some board would select: each such symbol unknown, not dead.

    A board's `Kconfig.<board>` selects its SoC part (`select SOC_NRF52840_QIAA
    if BOARD_NRF52840DK_NRF52840`) and its `Kconfig` selects SoC features
    (`SOC_DCDC_NRF52X`); only the chosen board's files are sourced, so without
    a board nothing selects them and every SoC would read as dead, with all
    that depends on it. The tree is linted for every board at once then: each
    symbol a board's Kconfig file selects or implies gets a `def_bool` of
    unknown value (`$(kconfig_ls_board_selects)`, unknown in
    `kconfig_ls.semantics.macros`), so the SoCs and what they select may be on.
    """
    targets: set[bytes] = set()
    for folder in _folders_holding(os.path.join(root, "boards"), "board.yml"):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.startswith("Kconfig") and name not in ("Kconfig.sysbuild", "Kconfig.defconfig"):
                targets.update(_ZEPHYR_BOARD_SELECT.findall(_head(os.path.join(folder, name))))
    if not targets:
        return b""
    lines = ["# No board is chosen: any board may select these (kconfig-ls, not the build, writes this)"]
    for target in sorted(targets):
        lines.append(f"config {target.decode('ascii')}\n\tdef_bool $(kconfig_ls_board_selects)")
    return ("\n".join(lines) + "\n").encode()


def _zephyr_board_name(board: str) -> str:
    """`nrf52840dk` of the board target `nrf52840dk@2.0/nrf52840` (revision and qualifiers dropped)."""
    return board.split("/", 1)[0].split("@", 1)[0]


def _zephyr_board_folders(root: str, board_name: str) -> list[str]:
    """The folders under `boards/` whose `board.yml` names the board."""
    if not board_name:
        return []
    folders = []
    for folder in sorted(_folders_holding(os.path.join(root, "boards"), "board.yml")):
        if board_name.encode() in _ZEPHYR_BOARD_NAME.findall(_head(os.path.join(folder, "board.yml"))):
            folders.append(folder)
    return folders


def board_environment(root: str, environment: dict[str, str]) -> dict[str, str]:
    """`BOARD_DIR` of the chosen board, and a first-hardware-model tree's variables."""
    if _zephyr_hardware_model(root) == "v1":
        derived = {"HWM_SCHEME": "v1"} if environment.get("HWM_SCHEME", "v2") == "v2" else {}
        for name, value in (("SOC_DIR", "soc"), ("ARCH_DIR", "arch")):
            if not environment.get(name):
                derived[name] = value
        if not environment.get("BOARD_DIR"):
            board = _zephyr_board_name(environment.get("BOARD", ""))
            folders = (
                sorted(glob.glob(os.path.join(root, "boards", "*", glob.escape(board)))) if board else []
            )
            derived["BOARD_DIR"] = folders[0] if folders else "boards/*/*"
        return derived
    board = environment.get("BOARD", "")
    if not board:
        # Without a board, `boards/Kconfig.v2`'s `BOARD_$(BOARD_STRING)` and
        # `BOARD_$(BOARD_TARGET_STRING)` were one symbol `BOARD_` defined twice (its second
        # `def_bool y` a dead default, KLS205). A board target always has qualifiers that
        # start with `/` (`boards.cmake`); an unknown board's are that `/` alone, so the two
        # stand-in names differ as every board's do (`BOARD_` and `BOARD__`).
        return {} if environment.get("BOARD_QUALIFIERS") else {"BOARD_QUALIFIERS": "/"}
    derived = _zephyr_board_target(root, board, environment)
    if not environment.get("BOARD_DIR"):
        folders = _zephyr_board_folders(root, _zephyr_board_name(board))
        if folders:
            derived["BOARD_DIR"] = folders[0]
    return derived


def _zephyr_board_target(root: str, board: str, environment: dict[str, str]) -> dict[str, str]:
    """`BOARD`, `BOARD_REVISION` and `BOARD_QUALIFIERS` as `cmake/modules/boards.cmake` splits a target.

    `nrf52840dk@2.0.0/nrf52840` is the board `nrf52840dk`, revision `2.0.0`,
    qualifiers `/nrf52840`; a board with one SoC may be named without its
    qualifiers (`nrf52840dk` is `nrf52840dk/nrf52840`). Without the split,
    `boards/Kconfig.v2`'s `BOARD_$(BOARD_STRING)` and its target symbol were
    one name defined twice.
    """
    name, _, qualifiers = board.partition("/")
    name, _, revision = name.partition("@")
    derived: dict[str, str] = {}
    if name != board:
        derived["BOARD"] = name
    if revision and not environment.get("BOARD_REVISION"):
        derived["BOARD_REVISION"] = revision
    if environment.get("BOARD_QUALIFIERS"):
        return derived
    if qualifiers:
        derived["BOARD_QUALIFIERS"] = "/" + qualifiers
        return derived
    for folder in _zephyr_board_folders(root, name):
        socs = _zephyr_board_socs(_head(os.path.join(folder, "board.yml")), name)
        if len(socs) == 1:
            derived["BOARD_QUALIFIERS"] = "/" + socs[0]
            break
    return derived


def _zephyr_board_socs(board_yml: bytes, name: str) -> list[str]:
    """The SoC names of board `name` in a `board.yml` (its `board:`, or one entry of `boards:`)."""
    document = simple_yaml(board_yml.decode("utf-8", "replace"))
    if not isinstance(document, dict):
        return []
    single, several = document.get("board"), document.get("boards")
    entries = [single] if isinstance(single, dict) else several if isinstance(several, list) else []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("name") == name:
            socs = entry.get("socs")
            listed = socs if isinstance(socs, list) else []
            names = [soc.get("name") for soc in listed if isinstance(soc, dict)]
            return [soc for soc in names if isinstance(soc, str)]
    return []


def _zephyr_hardware_model(root: str) -> str:
    """`v1` for a tree whose boards are chosen through `Kconfig.board` files, else `v2`."""
    if os.path.exists(os.path.join(root, "boards", "Kconfig.v2")):
        return "v2"
    return "v1" if b"Kconfig.board" in _head(os.path.join(root, "boards", "Kconfig")) else "v2"


def board_symbol_patterns(root: str) -> tuple[str, ...]:
    """The pattern of every board's symbols (`derived_unknown_symbols`): each name a `board.yml` holds."""
    names: set[str] = set()
    for folder in _folders_holding(os.path.join(root, "boards"), "board.yml"):
        for name in _ZEPHYR_BOARD_NAME.findall(_head(os.path.join(folder, "board.yml"))):
            names.add(re.sub(r"[^A-Z0-9_]", "_", name.decode("ascii", "replace").upper()))
    if not names:
        return ()
    return ("BOARD_(?:" + "|".join(sorted(re.escape(name) for name in names)) + r")(?:_\w+)?",)


def _folders_holding(top: str, marker: str, max_depth: int = 6) -> list[str]:
    found: list[str] = []
    base_depth = top.rstrip(os.sep).count(os.sep)
    for folder, subfolders, names in os.walk(top):
        if folder.count(os.sep) - base_depth >= max_depth:
            subfolders[:] = []
        if marker in names:
            found.append(folder)
    return found


def _osource_lines(folders: list[str], name: str) -> bytes:
    text = "".join(f'osource "{os.path.join(folder, name)}"\n' for folder in folders)
    return text.encode("utf-8", "surrogateescape")


def _head(path: str, size: int = 1 << 16) -> bytes:
    """The start of a file, read like every tree file (regular, bounded, non-blocking)."""
    try:
        return read_regular_file(path, 16 * 1024 * 1024)[:size]
    except OSError:
        return b""
