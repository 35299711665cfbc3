"""Zephyr's west modules: the `Kconfig.modules` files its build generates, and where modules live.

`Kconfig.zephyr` sources `$(KCONFIG_BINARY_DIR)/Kconfig.modules` and sysbuild's
`modules/Kconfig.sysbuild` sources `$(KCONFIG_BINARY_DIR)/Kconfig.sysbuild.modules`:
files `scripts/zephyr_module.py` writes, with one `menu` per module that has a
Kconfig file, holding an `osource` of it and `config ZEPHYR_<NAME>_MODULE`.
`cmake/modules/zephyr_module.cmake` runs the script only inside a west
workspace or with `ZEPHYR_MODULES` set; otherwise it writes both files with
one comment line. The module folders reach Kconfig as variables:
`ZEPHYR_<NAME>_MODULE_DIR` (the module's folder, which Zephyr's own
`modules/<name>/Kconfig` files read) and, for a module whose Kconfig lives in
Zephyr's tree (`kconfig-ext: true`), `ZEPHYR_<NAME>_KCONFIG`
(`modules/modules.cmake`: `${ZEPHYR_BASE}/modules/<name>/Kconfig`).

Nothing is run and nothing is written: the modules are found from the
workspace as west would list them (the projects of the manifest that
`.west/config` names, in manifest order; or `ZEPHYR_MODULES`), and each
`zephyr/module.yml` is read with a small reader for the few keys that matter
(`name`, `build.kconfig`, `build.kconfig-ext`, `build.sysbuild-kconfig`,
`build.sysbuild-kconfig-ext`, `build.depends`, `blobs[].path`).
"""

from __future__ import annotations

import configparser
import os
import re
import stat
from dataclasses import dataclass
from typing import Final

from kconfig_ls.settings.west_manifest import active_projects
from kconfig_ls.vfs.overlay import read_regular_file

__all__ = [
    "NO_MODULES_TEXT",
    "ZephyrModule",
    "kconfig_modules_text",
    "module_environment",
    "sysbuild_modules_text",
    "workspace_modules",
    "world_writable",
]

NO_MODULES_TEXT: Final = b"# No west and no Zephyr modules\n"
"""What `zephyr_module.cmake` writes into both files when there is no west and no `ZEPHYR_MODULES`."""

_MAX_MANIFEST_SIZE: Final = 1 << 20
_WORKSPACE_LEVELS: Final = 3


@dataclass(frozen=True, slots=True)
class ZephyrModule:
    """One Zephyr module as `scripts/zephyr_module.py` sees it (`process_module`)."""

    name: str
    path: str
    kconfig: str | None = None
    """The module's Kconfig file (`build.kconfig`, default `zephyr/Kconfig`) when it exists."""
    kconfig_external: bool = False
    """`build.kconfig-ext`: the Kconfig file is `$(ZEPHYR_<NAME>_KCONFIG)`, in Zephyr's tree."""
    sysbuild_kconfig: str | None = None
    sysbuild_kconfig_external: bool = False
    depends: tuple[str, ...] = ()
    blobs: tuple[str, ...] = ()
    """The blob paths `module.yml` lists, relative to `zephyr/blobs`."""
    dts_root: str | None = None
    """`build.settings.dts_root`: the folder whose `dts/bindings` the build adds to the bindings."""
    cmake: str | None = None
    """The folder of the module's CMake integration (`build.cmake`, default `zephyr`) when it exists."""

    @property
    def upper_name(self) -> str:
        """`ZEPHYR_<this>_MODULE`: the name with each character outside [a-zA-Z0-9] as `_`, upper case."""
        return re.sub(r"[^a-zA-Z0-9]", "_", self.name).upper()


def workspace_modules(zephyr_base: str, environment: dict[str, str]) -> list[ZephyrModule]:
    """The modules of the workspace holding `zephyr_base`, in the order the build processes them.

    `ZEPHYR_MODULES` (a CMake list: `;` or white space between paths) replaces
    the west projects; `ZEPHYR_EXTRA_MODULES` / `EXTRA_ZEPHYR_MODULES` add to
    them. Without either, the projects of the west manifest (the folder
    above holding `.west/config`) are the candidates. Each candidate that is a
    module (`zephyr/module.yml`, or both `zephyr/CMakeLists.txt` and
    `zephyr/Kconfig`) is kept, then the list is sorted by `build.depends` as
    the script's topological sort does.
    """
    zephyr_base = os.path.abspath(zephyr_base)
    listed = _path_list(environment.get("ZEPHYR_MODULES", ""))
    candidates = listed if listed else _west_projects(zephyr_base)
    candidates += _path_list(
        environment.get("ZEPHYR_EXTRA_MODULES", "") or environment.get("EXTRA_ZEPHYR_MODULES", "")
    )
    by_name: dict[str, ZephyrModule] = {}
    for candidate in candidates:
        folder = os.path.normpath(os.path.join(zephyr_base, candidate))
        if folder == zephyr_base:
            continue  # the script skips Zephyr's own project
        module = _read_module(folder)
        if module is not None:
            by_name[module.name] = module
    return _sorted_by_dependencies(list(by_name.values()))


def module_environment(zephyr_base: str, modules: list[ZephyrModule]) -> dict[str, str]:
    """`ZEPHYR_<NAME>_MODULE_DIR` of every module, and `ZEPHYR_<NAME>_KCONFIG` where Zephyr has one."""
    environment: dict[str, str] = {}
    external = _zephyr_module_kconfigs(zephyr_base)
    for module in modules:
        environment[f"ZEPHYR_{module.upper_name}_MODULE_DIR"] = module.path
        if module.upper_name in external:
            environment[f"ZEPHYR_{module.upper_name}_KCONFIG"] = external[module.upper_name]
    return environment


def kconfig_modules_text(modules: list[ZephyrModule]) -> bytes:
    """`Kconfig.modules` as `zephyr_module.py --kconfig-out` writes it (`process_kconfig`)."""
    if not modules:
        return NO_MODULES_TEXT
    parts: list[str] = []
    for module in modules:
        present = _blobs_present(module)
        if module.kconfig_external:
            parts.append(_snippet(module, f"$(ZEPHYR_{module.upper_name}_KCONFIG)", present))
        elif module.kconfig is not None:
            parts.append(_snippet(module, module.kconfig, present))
        else:
            parts.append("\n".join(_module_options(module, present)) + "\n")
    return "".join(parts).encode("utf-8", "surrogateescape")


def sysbuild_modules_text(modules: list[ZephyrModule]) -> bytes:
    """`Kconfig.sysbuild.modules` as `zephyr_module.py --sysbuild-kconfig-out` writes it."""
    if not modules:
        return NO_MODULES_TEXT
    parts: list[str] = []
    for module in modules:
        if module.sysbuild_kconfig_external:
            parts.append(_snippet(module, f"$(SYSBUILD_{module.upper_name}_KCONFIG)", None))
        elif module.sysbuild_kconfig is not None:
            parts.append(_snippet(module, module.sysbuild_kconfig, None))
        else:
            # The script's own indentation (three spaces) for a module without a sysbuild Kconfig.
            parts.append(f"config ZEPHYR_{module.upper_name}_MODULE\n   bool\n   default y\n")
    return "".join(parts).encode("utf-8", "surrogateescape")


def _snippet(module: ZephyrModule, kconfig: str, blobs_present: bool | None) -> str:
    """`kconfig_snippet`: a menu named after the module, its Kconfig, its module symbol."""
    lines = [f'menu "{module.name} ({module.path})"', f'osource "{kconfig}"']
    lines += _module_options(module, blobs_present)
    lines.append("endmenu\n")
    return "\n".join(lines)


def _module_options(module: ZephyrModule, blobs_present: bool | None) -> list[str]:
    """`kconfig_module_opts`: `ZEPHYR_<NAME>_MODULE`, and `_MODULE_BLOBS` when `module.yml` lists blobs."""
    lines = [f"config ZEPHYR_{module.upper_name}_MODULE", "\tbool", "\tdefault y"]
    if blobs_present:
        lines.append("\tselect TAINT_BLOBS")
    if blobs_present is not None and module.blobs:
        lines += [f"\nconfig ZEPHYR_{module.upper_name}_MODULE_BLOBS", "\tbool"]
        if blobs_present:
            lines.append("\tdefault y")
    return lines


def _blobs_present(module: ZephyrModule) -> bool:
    """Whether any listed blob is on disk (the script's status is not 'D'; no checksum needed for that)."""
    blobs = os.path.join(module.path, "zephyr", "blobs")
    return any(os.path.isfile(os.path.join(blobs, blob)) for blob in module.blobs)


def _path_list(value: str) -> list[str]:
    return [part for part in re.split(r"[;\s]+", value) if part]


def _west_projects(zephyr_base: str) -> list[str]:
    """The active project folders of the west workspace above `zephyr_base`, in west's order.

    west's top folder holds `.west/config`, whose `[manifest]` section names
    the manifest project's folder (`path`), file (`file`, `west.yml`) and
    local `group-filter`; the manifest's imports and groups are resolved as
    west resolves them (`kconfig_ls.settings.west_manifest`).
    The search stops below a world-writable folder, as the project root
    search does (`kconfig_ls.settings.resolve.choose_project_root`).
    """
    folder = zephyr_base
    for _ in range(_WORKSPACE_LEVELS):
        folder = os.path.dirname(folder)
        if world_writable(folder):
            return []  # a `.west` planted in `/tmp` above the tree must not name modules
        config_path = os.path.join(folder, ".west", "config")
        if os.path.isfile(config_path):
            break
    else:
        return []
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read(config_path).decode("utf-8", "replace"))
    except configparser.Error:
        return []
    manifest_folder = parser.get("manifest", "path", fallback=os.path.basename(zephyr_base))
    manifest_file = parser.get("manifest", "file", fallback="west.yml")
    group_filter = parser.get("manifest", "group-filter", fallback="")
    projects = active_projects(folder, manifest_folder, manifest_file, group_filter)
    return [os.path.join(folder, project.path) for project in projects]


_LINE: Final = re.compile(r"^( *)(- +)?([A-Za-z0-9_-]+):[ \t]*(.*?)[ \t]*$")


def _read_module(folder: str) -> ZephyrModule | None:
    """`process_module`: a module has `zephyr/module.yml` (or `.yaml`), or both
    `zephyr/CMakeLists.txt` and `zephyr/Kconfig`."""
    for name in ("module.yml", "module.yaml"):
        path = os.path.join(folder, "zephyr", name)
        if os.path.isfile(path):
            return _module_from_metadata(folder, _read(path))
    zephyr = os.path.join(folder, "zephyr")
    kconfig = os.path.join(zephyr, "Kconfig")
    if os.path.isfile(os.path.join(zephyr, "CMakeLists.txt")) and os.path.isfile(kconfig):
        return ZephyrModule(os.path.basename(folder), folder, kconfig=os.path.realpath(kconfig), cmake=zephyr)
    return None


def _module_from_metadata(folder: str, data: bytes) -> ZephyrModule:
    """The keys of `module.yml` that shape the generated Kconfig files."""
    top: dict[str, str] = {}
    build: dict[str, str] = {}
    depends: list[str] = []
    blobs: list[str] = []
    section = ""
    subsection = ""
    for raw in data.decode("utf-8", "replace").splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        match = _LINE.match(line)
        if indent == 0:
            section = match.group(3) if match else ""
            subsection = ""
            if match and match.group(4):
                top[section] = match.group(4).strip("\"'")
            continue
        if section == "build":
            if match and not match.group(2):
                if indent <= 2 or match.group(3) in _BUILD_KEYS:
                    subsection = match.group(3)
                    if match.group(4):
                        build[subsection] = match.group(4).strip("\"'")
                elif subsection == "settings" and match.group(3) == "dts_root" and match.group(4):
                    build["dts_root"] = match.group(4).strip("\"'")
            elif subsection == "depends" and line.lstrip().startswith("-"):
                depends.append(line.lstrip()[1:].strip().strip("\"'"))
        elif section == "blobs" and match and match.group(3) == "path":
            blobs.append(match.group(4).strip("\"'"))
    name = top.get("name") or os.path.basename(folder)
    if build.get("depends", "").startswith("["):
        depends += [d.strip().strip("\"'") for d in build["depends"].strip("[]").split(",") if d.strip()]
    kconfig = os.path.join(folder, build.get("kconfig") or os.path.join("zephyr", "Kconfig"))
    sysbuild = build.get("sysbuild-kconfig")
    sysbuild_path = os.path.join(folder, sysbuild) if sysbuild else None
    return ZephyrModule(
        name=name,
        path=folder,
        kconfig=os.path.realpath(kconfig) if os.path.isfile(kconfig) else None,
        kconfig_external=build.get("kconfig-ext", "").lower() == "true",
        sysbuild_kconfig=(
            os.path.realpath(sysbuild_path) if sysbuild_path and os.path.isfile(sysbuild_path) else None
        ),
        sysbuild_kconfig_external=build.get("sysbuild-kconfig-ext", "").lower() == "true",
        depends=tuple(depends),
        blobs=tuple(blobs),
        dts_root=os.path.normpath(os.path.join(folder, build["dts_root"])) if build.get("dts_root") else None,
        cmake=_existing_folder(os.path.join(folder, build.get("cmake") or "zephyr")),
    )


def _existing_folder(path: str) -> str | None:
    return os.path.normpath(path) if os.path.isdir(path) else None


_BUILD_KEYS: Final = frozenset(
    {
        "cmake",
        "kconfig",
        "cmake-ext",
        "kconfig-ext",
        "sysbuild-cmake",
        "sysbuild-kconfig",
        "sysbuild-cmake-ext",
        "sysbuild-kconfig-ext",
        "depends",
        "settings",
    }
)


def _sorted_by_dependencies(modules: list[ZephyrModule]) -> list[ZephyrModule]:
    """The script's topological sort: modules without pending `depends` first, in list order.

    A module whose dependencies never resolve (missing or cyclic; the build
    stops there) is kept at the end rather than dropped.
    """
    pending = {module.name: set(module.depends) for module in modules}
    start = [module for module in modules if not module.depends]
    waiting = [module for module in modules if module.depends]
    ordered: list[ZephyrModule] = []
    while start:
        module = start.pop(0)
        ordered.append(module)
        for other in list(waiting):
            pending[other.name].discard(module.name)
            if not pending[other.name]:
                start.append(other)
                waiting.remove(other)
    return ordered + waiting


def _zephyr_module_kconfigs(zephyr_base: str) -> dict[str, str]:
    """`modules/modules.cmake`: `ZEPHYR_<FOLDER>_KCONFIG` for each `modules/<folder>/Kconfig` of Zephyr."""
    folder = os.path.join(zephyr_base, "modules")
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return {}
    found: dict[str, str] = {}
    for name in names:
        kconfig = os.path.join(folder, name, "Kconfig")
        if os.path.isfile(kconfig):
            found[re.sub(r"[^a-zA-Z0-9_]", "_", name).upper()] = kconfig
    return found


def world_writable(folder: str) -> bool:
    """Whether anyone may write into `folder` (or it cannot be read): never followed for settings."""
    try:
        return bool(os.stat(folder).st_mode & stat.S_IWOTH)
    except OSError:
        return True


def _read(path: str) -> bytes:
    try:
        return read_regular_file(path, _MAX_MANIFEST_SIZE)
    except OSError:
        return b""
