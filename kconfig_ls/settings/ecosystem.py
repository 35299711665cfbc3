"""The Kconfig ecosystems: how each family of trees names, loads and builds its symbols.

Kconfig is one language, but each project that uses it wraps it in its own
build: U-Boot tests `CONFIG_IS_ENABLED(X)` (X, or `SPL_X` in the SPL build),
coreboot writes `CONFIG(X)` and roots its tree at `src/Kconfig`, Buildroot
names its symbols `BR2_X` and has no `CONFIG_` at all, ESP-IDF generates the
file that sources its components' Kconfig files, Zephyr takes symbols from
`prj.conf` and board defconfigs. Read as Linux, such a tree gives mostly false
findings (issue 12: 77% to 100% of undefined-symbol-in-code).

This module is data: one frozen `Ecosystem` per family, with the reference
syntax its code uses (`kconfig_ls.syntax.config_reference.ReferenceSyntax`),
its root Kconfig, the environment its build sets, the files its build would
generate before running Kconfig (as bytes: nothing is written), the folders
whose code has a `CONFIG_` namespace of its own, and the Kconfig files that
are only examples or test fixtures of the tree itself. `detect_ecosystem`
recognises a tree from a few marker files; `.kconfig-ls.toml` can name one
(`ecosystem = "u-boot"`). Nothing here runs a command or writes a file.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, replace
from typing import Final

from kconfig_ls.semantics.workspace_settings import WorkspaceSettings
from kconfig_ls.settings.zephyr_application import zephyr_folder_kind
from kconfig_ls.settings.zephyr_devicetree import devicetree_kconfig_text
from kconfig_ls.settings.zephyr_hardware import (
    binding_folders,
    board_environment,
    board_symbol_patterns,
    hardware_files,
)
from kconfig_ls.settings.zephyr_modules import (
    kconfig_modules_text,
    module_environment,
    sysbuild_modules_text,
    workspace_modules,
)
from kconfig_ls.syntax.config_reference import DEFAULT_REFERENCE_SYNTAX, ReferenceSyntax
from kconfig_ls.vfs.overlay import read_regular_file

__all__ = [
    "ECOSYSTEMS",
    "Ecosystem",
    "NestedProject",
    "detect_ecosystem",
    "ecosystem_environment",
    "ecosystem_for_project",
    "ecosystem_named",
    "derived_code_roots",
    "derived_environment",
    "derived_extra_roots",
    "derived_unknown_symbols",
    "generated_files",
    "nested_project_settings",
]


@dataclass(frozen=True, slots=True)
class NestedProject:
    """A Kconfig tree of its own inside an ecosystem's tree, configured by its own files.

    Zephyr's sysbuild: `share/sysbuild/cmake/modules/sysbuild_kconfig.cmake`
    runs Kconfig on `share/sysbuild/Kconfig` (or an application's
    `Kconfig.sysbuild`, which sources it) with `KCONFIG_NAMESPACE` set to
    `SB_CONFIG`, reading `sysbuild.conf`; its symbols are `SB_CONFIG_X` in
    that file and in CMake. `root_kconfig` and `folders` are relative to the
    tree; `file_patterns` are `fnmatch` patterns of file names that belong
    to it wherever they are; `prefix` is the build's `CONFIG_` variable for it.
    """

    name: str
    root_kconfig: str
    prefix: str
    folders: tuple[str, ...] = ()
    file_patterns: tuple[str, ...] = ()

    def holds(self, relative_path: str) -> bool:
        """Whether a file (relative to the tree) belongs to this project rather than to the tree's own."""
        name = os.path.basename(relative_path)
        return any(relative_path.startswith(folder.rstrip("/") + "/") for folder in self.folders) or any(
            fnmatch.fnmatchcase(name, pattern) for pattern in self.file_patterns
        )


@dataclass(frozen=True, slots=True)
class Ecosystem:
    """What kconfig-ls needs to know about one family of Kconfig trees.

    `environment` holds the variables the build sets before running Kconfig;
    in values, `{root}` is the tree's folder and `{version}` the version read
    from the tree (`ecosystem_environment` fills them in). `code_exclude` and
    `kconfig_exclude` are paths relative to the root (`kconfig_exclude` entries
    may be `fnmatch` patterns such as `Documentation/kbuild/Kconfig.*`).
    `config_fragment_folders` are folders inside excluded ones whose
    configuration files are still indexed (Linux's `tools/testing`: the
    rcutorture and selftests fragments configure the kernel itself).
    `config_file_folders`, when set, limits configuration files to folders of
    those names (Buildroot: only `configs/*_defconfig` use `BR2_`; the Linux
    and BusyBox fragments it carries belong to other Kconfig trees).
    `phase_prefixes` are the prefixes of a symbol's per-phase variants (U-Boot
    `SPL_X`). `unknown_symbols` are patterns of names the build defines
    outside Kconfig files (Zephyr's `DT_HAS_<compat>_ENABLED` from the build
    folder's `Kconfig.dts`): unknown, never undefined. `project_folders` are
    `fnmatch` patterns of folders whose code is built as projects of their own,
    with components the tree does not hold (ESP-IDF's examples pull managed
    components from the registry at build time): uses of symbols the tree does
    not define, or does not reach, are not judged there. With
    `make_names_may_be_variables`, an undefined prefixed name in a Makefile is a
    build variable rather than a missing symbol (Buildroot documents
    `BR2_EXTERNAL`, `BR2_GRAPH_OUT`, `BR2_SDK_PREFIX` ... as variables users
    set); only configuration files are judged then. `own_folders` are folders
    inside `project_folders` that are the project itself (a Zephyr application
    in `samples/` opened on its own: its files are judged). `nested_projects` are
    Kconfig trees of their own inside the tree, with their own root and
    prefix (Zephyr's sysbuild; see `NestedProject` and `nested_project_settings`).
    """

    name: str
    reference_syntax: ReferenceSyntax = DEFAULT_REFERENCE_SYNTAX
    root_kconfig: str = "Kconfig"
    environment: tuple[tuple[str, str], ...] = ()
    code_exclude: tuple[str, ...] = ()
    kconfig_exclude: tuple[str, ...] = ()
    config_fragment_folders: tuple[str, ...] = ()
    config_file_folders: tuple[str, ...] = ()
    phase_prefixes: tuple[str, ...] = ()
    unknown_symbols: tuple[str, ...] = ()
    project_folders: tuple[str, ...] = ()
    own_folders: tuple[str, ...] = ()
    make_names_may_be_variables: bool = False
    tristate: bool = True
    nested_projects: tuple[NestedProject, ...] = ()

    def nested_project_of(self, relative_path: str) -> NestedProject | None:
        """The nested project a file (relative to the root) belongs to, if any (Zephyr's sysbuild)."""
        for project in self.nested_projects:
            if project.holds(relative_path):
                return project
        return None

    def is_unknown_symbol(self, name: str) -> bool:
        """Whether the build defines `name` outside the Kconfig files (never undefined)."""
        return any(re.fullmatch(pattern, name) for pattern in self.unknown_symbols)

    def in_project_folder(self, relative_path: str) -> bool:
        """Whether a file (relative to the root) belongs to a project of its own (`project_folders`)."""
        if any(relative_path.startswith(folder.rstrip("/") + "/") for folder in self.own_folders):
            return False
        return any(fnmatch.fnmatchcase(relative_path, pattern + "/*") for pattern in self.project_folders)

    def phase_variants(self, name: str) -> tuple[str, ...]:
        """`name` and its per-phase variants (`SPL_X`, `TPL_X`, ...), for phase references."""
        return (name, *(prefix + name for prefix in self.phase_prefixes))


LINUX: Final = Ecosystem(
    name="linux",
    # `tools/` holds userspace programs with feature flags of their own
    # (perf's `CONFIG_LIBBPF`), `Documentation/` and the Kconfig tests only examples.
    code_exclude=("tools", "Documentation", "scripts/kconfig/tests"),
    kconfig_exclude=("scripts/kconfig/tests", "Documentation/kbuild/Kconfig.*"),
    config_fragment_folders=("tools/testing",),
)

U_BOOT: Final = Ecosystem(
    name="u-boot",
    reference_syntax=ReferenceSyntax(
        # include/linux/kconfig.h: CONFIG_IS_ENABLED(X[, (if), (else)]), CONFIG_VAL(X),
        # CONFIG_IF_ENABLED_INT(X, Y): both arguments are phase names.
        phase_macros=(("CONFIG_IS_ENABLED", 1), ("CONFIG_VAL", 1), ("CONFIG_IF_ENABLED_INT", 2)),
        # scripts/Makefile.xpl: PHASE_ := SPL_ (or TPL_, VPL_, empty); the older spellings too.
        make_phase_variables=("PHASE_", "SPL_TPL_", "XPL_", "SPL_"),
    ),
    environment=(
        ("srctree", "{root}"),
        ("UBOOTVERSION", "{version}"),
        ("CC", "gcc"),
        ("CC_VERSION_TEXT", "gcc"),
    ),
    # tools/ builds host programs (mkimage, buildman's test trees); dts/upstream is
    # the imported device-tree tree with Linux's `CONFIG_` names in its headers.
    code_exclude=("tools", "dts/upstream", "doc", "scripts/kconfig/tests"),
    # buildman's test trees and the kconfig tool's own fixtures (carried from Linux).
    kconfig_exclude=("tools/buildman/test", "scripts/kconfig/tests"),
    phase_prefixes=("SPL_", "TPL_", "VPL_", "TOOLS_"),
)

COREBOOT: Final = Ecosystem(
    name="coreboot",
    reference_syntax=ReferenceSyntax(
        # src/include/kconfig.h: #define CONFIG(option) config_enabled(CONFIG_##option)
        argument_macros=(("CONFIG", 1),),
        # payloads/libpayload/Makefile: export CONFIG_ := CONFIG_LP_; the payloads built on
        # libpayload (coreinfo, nvramcui) test its symbols the same way: CONFIG(LP_USB).
        folder_prefixes=(("payloads", "CONFIG_LP_"),),
    ),
    root_kconfig="src/Kconfig",
    environment=(("srctree", "{root}"),),
    # payloads/external holds other projects' trees (SeaBIOS, GRUB2, edk2, Linux, U-Boot);
    # util/ holds host tools with their own configuration names.
    code_exclude=("payloads/external", "util", "3rdparty", "Documentation"),
    kconfig_exclude=("payloads/external", "util", "3rdparty"),
)

BUILDROOT: Final = Ecosystem(
    name="buildroot",
    reference_syntax=ReferenceSyntax(prefix="BR2_", prefix_in_symbol=True, c_files=False),
    root_kconfig="Config.in",
    environment=(
        # `make O=output` is the default; the generated `.br2-external.in.*` files live there.
        ("BR2_BASE_DIR", "{root}/output"),
        ("BASE_DIR", "{root}/output"),
        ("TOPDIR", "{root}"),
        ("BR2_VERSION", "{version}"),
        ("BR2_VERSION_FULL", "{version}"),
        ("HOSTARCH", "x86_64"),
    ),
    # support/testing holds the runtime test suite's own BR2_EXTERNAL trees.
    code_exclude=("support/testing", "docs", "output", "dl"),
    kconfig_exclude=("support/testing", "output", "dl"),
    config_file_folders=("configs",),
    make_names_may_be_variables=True,
    tristate=False,
)

ESP_IDF: Final = Ecosystem(
    name="esp-idf",
    environment=(
        ("IDF_PATH", "{root}"),
        ("IDF_TARGET", "esp32"),
        ("IDF_TOOLCHAIN", "gcc"),
        ("IDF_VERSION", "{version}"),
        ("IDF_INIT_VERSION", "{version}"),
        ("IDF_ENV_FPGA", ""),
        ("IDF_CI_BUILD", ""),
        ("IDF_DOC_BUILD", ""),
        ("IDF_MINIMAL_BUILD", "n"),
        ("IDF_BUILD_V2", ""),
        # tools/cmake/kconfig.cmake writes these into the build folder; see `generated_files`.
        ("COMPONENT_KCONFIGS_SOURCE_FILE", "{root}/build/config/kconfigs.in"),
        ("COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE", "{root}/build/config/kconfigs_projbuild.in"),
        ("COMPONENT_KCONFIGS_EXCLUDED_SOURCE_FILE", "{root}/build/config/kconfigs_excluded.in"),
        (
            "COMPONENT_KCONFIGS_PROJBUILD_EXCLUDED_SOURCE_FILE",
            "{root}/build/config/kconfigs_projbuild_excluded.in",
        ),
    ),
    # wpa_supplicant is the upstream hostap tree with its own CONFIG_ build switches.
    code_exclude=("components/wpa_supplicant", "docs", "build"),
    kconfig_exclude=("build",),
    project_folders=(
        "examples",
        "tools/test_apps",
        "components/*/test_apps",
        "tools/ldgen/test",
        "tools/ldgen/samples",
    ),
    # Options of components that live in the component registry, not the tree: the
    # esp_wifi_remote's `SLAVE_` mirror of the Wi-Fi options, esp-wolfssl's `WOLFSSL_`.
    unknown_symbols=(r"SLAVE_\w+", r"WOLFSSL_\w+"),
    tristate=False,
)

ZEPHYR: Final = Ecosystem(
    name="zephyr",
    reference_syntax=ReferenceSyntax(
        # Sysbuild (share/sysbuild/Kconfig, its own Kconfig tree): sysbuild_kconfig.cmake sets
        # KCONFIG_NAMESPACE SB_CONFIG and reads `sysbuild.conf` (`sysbuild_<suffix>.conf` with
        # FILE_SUFFIX); its CMake code tests `SB_CONFIG_X` beside the images' `CONFIG_X`.
        file_prefixes=(("sysbuild.conf", "SB_CONFIG_"), ("sysbuild_*.conf", "SB_CONFIG_")),
        cmake_prefixes=("SB_CONFIG_",),
    ),
    environment=(
        ("ZEPHYR_BASE", "{root}"),
        ("srctree", "{root}"),
        ("ARCH", "*"),
        ("BOARD", ""),
        # Hardware model v2 (Zephyr 3.7 and later): boards/Kconfig.v2, soc/Kconfig.v2.
        ("HWM_SCHEME", "v2"),
        ("KCONFIG_BINARY_DIR", "{root}/build/Kconfig"),
        ("KCONFIG_BOARD_DIR", "{root}/build/Kconfig/boards"),
    ),
    code_exclude=("doc", "build"),
    kconfig_exclude=("build",),
    unknown_symbols=(r"DT_HAS_\w+_ENABLED",),
    project_folders=("samples", "tests"),
    nested_projects=(
        NestedProject(
            name="sysbuild",
            root_kconfig="share/sysbuild/Kconfig",
            prefix="SB_CONFIG_",
            folders=("share/sysbuild",),
            # sysbuild.conf (sysbuild_<FILE_SUFFIX>.conf), and the `Kconfig.sysbuild` files of
            # applications, boards, SoCs and modules (`modules/Kconfig.sysbuild` among them).
            file_patterns=("sysbuild.conf", "sysbuild_*.conf", "Kconfig.sysbuild"),
        ),
    ),
)

GENERIC: Final = Ecosystem(name="generic")

ECOSYSTEMS: Final = (LINUX, U_BOOT, COREBOOT, BUILDROOT, ESP_IDF, ZEPHYR, GENERIC)


def ecosystem_named(name: str) -> Ecosystem:
    """The ecosystem called `name` (as in `.kconfig-ls.toml`); ValueError lists the known ones."""
    for ecosystem in ECOSYSTEMS:
        if ecosystem.name == name.lower():
            return ecosystem
    known = ", ".join(e.name for e in ECOSYSTEMS)
    raise ValueError(f"unknown ecosystem '{name}'; expected one of {known}")


def detect_ecosystem(root: str) -> Ecosystem:
    """The ecosystem of the tree at `root`, from marker files each tree has at its top.

    A Zephyr application's folder and a west workspace's top folder are
    Zephyr's too (`kconfig_ls.settings.zephyr_application`), though they are
    not the tree: the settings load the Zephyr tree they find for them.
    """

    def exists(*parts: str) -> bool:
        return os.path.exists(os.path.join(root, *parts))

    if exists("Config.in") and exists("package", "Config.in"):
        return BUILDROOT
    if exists("src", "Kconfig") and exists("src", "include", "kconfig.h") and not exists("Kconfig"):
        return COREBOOT
    if exists("tools", "idf.py") and exists("components"):
        return ESP_IDF
    if exists("Kconfig.zephyr"):
        return ZEPHYR
    head = _head(os.path.join(root, "Kconfig"))
    if b'mainmenu "U-Boot' in head or (exists("include", "configs") and exists("scripts", "Makefile.xpl")):
        return U_BOOT
    if b"$(SRCARCH)" in head or b"$(ARCH)" in head:
        return LINUX
    if zephyr_folder_kind(root) is not None:
        return ZEPHYR
    return GENERIC


def ecosystem_for_project(root: str) -> Ecosystem:
    """The ecosystem `.kconfig-ls.toml` (or `pyproject.toml`) names, else the detected one."""
    from kconfig_ls.settings.project_file import SettingsError, load_project_settings

    try:
        named = load_project_settings(root).ecosystem
    except SettingsError:
        named = None
    if named:
        try:
            return ecosystem_named(named)
        except ValueError:
            pass  # the settings loader reports the bad name
    return detect_ecosystem(root)


def ecosystem_environment(ecosystem: Ecosystem, root: str) -> dict[str, str]:
    """The ecosystem's environment preset for the tree at `root`."""
    version = _version(ecosystem, root) if any("{version}" in v for _, v in ecosystem.environment) else ""
    return {
        name: value.replace("{root}", root).replace("{version}", version)
        for name, value in ecosystem.environment
    }


def generated_files(ecosystem: Ecosystem, root: str, environment: dict[str, str]) -> dict[str, bytes]:
    """The files the build writes before Kconfig runs (absolute path -> bytes); never written to disk.

    coreboot: an empty `site-local/Kconfig` when the user has none.
    Buildroot: the `.br2-external.in.*` files of `BR2_BASE_DIR`, empty without
    `BR2_EXTERNAL` trees. ESP-IDF: `kconfigs.in` and `kconfigs_projbuild.in`,
    which `tools/kconfig_new/prepare_kconfig_files.py` writes with one
    `source "PATH"` line per component `Kconfig` and `Kconfig.projbuild`, in
    the component order of the build (`components/*` sorted by name).
    Zephyr: the hardware model v2 files `cmake/modules/hwm_v2.cmake` writes
    into `KCONFIG_BINARY_DIR` (see `zephyr_hardware.hardware_files`), and the
    `Kconfig.modules` and `Kconfig.sysbuild.modules` of the workspace's west
    modules (`kconfig_ls.settings.zephyr_modules`), and the `Kconfig.dts` of
    the `dts/bindings` of the tree, its modules, the board and the application
    (`zephyr_hardware.binding_folders`, `kconfig_ls.settings.zephyr_devicetree`),
    unless a build folder already holds them.
    """
    if ecosystem.name == "coreboot":
        # `source "site-local/Kconfig"`: coreboot's kconfig ignores a missing source file;
        # the site-local folder is each user's own and absent from the tree.
        site_local = os.path.join(root, "site-local", "Kconfig")
        return {} if os.path.exists(site_local) else {site_local: b""}
    if ecosystem.name == "buildroot":
        base = environment.get("BR2_BASE_DIR", os.path.join(root, "output"))
        # The files support/scripts/br2-external writes (one per hook it knows).
        names = ("paths", "menus", "init", "skeleton", "toolchains", "jpeg", "openssl", "linux")
        return {os.path.join(base, f".br2-external.in.{name}"): b"" for name in names}
    if ecosystem.name == "esp-idf":
        kconfigs, projbuilds = _idf_component_kconfigs(root)
        files = {
            "COMPONENT_KCONFIGS_SOURCE_FILE": _source_lines(kconfigs),
            "COMPONENT_KCONFIGS_PROJBUILD_SOURCE_FILE": _source_lines(projbuilds),
            "COMPONENT_KCONFIGS_EXCLUDED_SOURCE_FILE": b"",
            "COMPONENT_KCONFIGS_PROJBUILD_EXCLUDED_SOURCE_FILE": b"",
        }
        return {environment[name]: data for name, data in files.items() if environment.get(name)}
    if ecosystem.name == "zephyr" and environment.get("KCONFIG_BINARY_DIR"):
        generated = hardware_files(
            root,
            environment["KCONFIG_BINARY_DIR"],
            environment.get("BOARD", ""),
            environment.get("BOARD_REVISION", ""),
        )
        modules = workspace_modules(root, environment)
        binary_dir = environment["KCONFIG_BINARY_DIR"]
        generated[os.path.join(binary_dir, "Kconfig.modules")] = kconfig_modules_text(modules)
        generated[os.path.join(binary_dir, "Kconfig.sysbuild.modules")] = sysbuild_modules_text(modules)
        generated[os.path.join(binary_dir, "Kconfig.dts")] = devicetree_kconfig_text(
            binding_folders(root, environment, modules)
        )
        return {path: data for path, data in generated.items() if not os.path.exists(path)}
    return {}


def derived_environment(ecosystem: Ecosystem, root: str, environment: dict[str, str]) -> dict[str, str]:
    """Variables the build derives from the others, when they are not set.

    Zephyr: `ZEPHYR_<NAME>_MODULE_DIR` of each west module of the workspace
    (and `ZEPHYR_<NAME>_KCONFIG` where Zephyr's `modules/<name>/Kconfig`
    stands for it), which `kconfig.cmake` exports to Kconfig; `BOARD_DIR`,
    the folder of the board `BOARD` names (CMake finds
    it from the `board.yml` files), which `boards/Kconfig` sources from.
    A tree of the first hardware model (Zephyr before 3.7: `boards/Kconfig`
    sources `$(BOARD_DIR)/Kconfig.board`, there is no `boards/Kconfig.v2`)
    gets `HWM_SCHEME=v1` and the variables its Kconfig files read:
    `SOC_DIR=soc`, `ARCH_DIR=arch`, and without a board every board at once
    (`BOARD_DIR=boards/*/*`, as Zephyr's documentation build loads them),
    or the `boards/<arch>/<board>` folder of `BOARD`.
    """
    if ecosystem.name != "zephyr":
        return {}
    modules = {
        name: value
        for name, value in module_environment(root, workspace_modules(root, environment)).items()
        if not environment.get(name)
    }
    return modules | board_environment(root, environment)


def derived_extra_roots(ecosystem: Ecosystem, root: str, environment: dict[str, str]) -> tuple[str, ...]:
    """Folders outside the tree that its build reads Kconfig files from.

    Zephyr: the west modules of the workspace (sibling folders of the
    Zephyr tree, `modules/hal/nordic`), whose Kconfig files the generated
    `Kconfig.modules` sources.
    """
    if ecosystem.name != "zephyr":
        return ()
    inside = os.path.abspath(root).rstrip(os.sep) + os.sep
    return tuple(
        module.path for module in workspace_modules(root, environment) if not module.path.startswith(inside)
    )


def derived_code_roots(
    ecosystem: Ecosystem, root: str, environment: dict[str, str] | None = None
) -> tuple[str, ...]:
    """Folders outside the tree whose C, CMake and configuration files use the tree's symbols.

    Zephyr: each west module's CMake integration (`build.cmake` of its
    `zephyr/module.yml`, by default its `zephyr/` folder), written against
    Zephyr's Kconfig (`zephyr_library_sources_ifdef(CONFIG_X ...)`); the rest
    of a module is vendor code with configuration names of its own (an ESP-IDF
    HAL's `CONFIG_` names, MCUboot's own application), so it is not indexed.
    The modules are those the Kconfig side reads: the west workspace's, or
    those `ZEPHYR_MODULES` (and `ZEPHYR_EXTRA_MODULES`) in `environment` name
    (the settings' environment: `--env`, the editor's, the project file's).
    """
    if ecosystem.name != "zephyr":
        return ()
    inside = os.path.abspath(root).rstrip(os.sep) + os.sep
    return tuple(
        module.cmake
        for module in workspace_modules(root, environment or {})
        if module.cmake and not (module.cmake + os.sep).startswith(inside)
    )


def nested_project_settings(
    settings: WorkspaceSettings, project: NestedProject, root_kconfig: str | None = None
) -> WorkspaceSettings:
    """The settings that load a nested project as its build loads it: its root, its prefix.

    `root_kconfig` is an application's own root for it (Zephyr: the
    application's `Kconfig.sysbuild`, which `sysbuild_kconfig.cmake` takes
    as `KCONFIG_ROOT` when it exists). Unreached files are not indexed:
    they belong to the tree that holds the project.
    """
    environment = dict(settings.environment)
    environment["CONFIG_"] = project.prefix
    chosen_root = root_kconfig or project.root_kconfig
    return replace(settings, root_kconfig=chosen_root, environment=environment, index_unreached=False)


def derived_unknown_symbols(ecosystem: Ecosystem, root: str, environment: dict[str, str]) -> tuple[str, ...]:
    """Patterns of names that only some builds define: unknown, never undefined.

    Zephyr: the board symbols of every board a `board.yml` names. Each
    board's `Kconfig.<board>` (`BOARD_NRF52840DK`) and `boards/Kconfig.v2`'s
    target symbols (`BOARD_NRF52840DK_NRF52840`, from the board and its
    qualifiers) exist only in a build for that board, so code for other
    boards names them legitimately, whether a board is chosen or not; the
    chosen board's symbols are defined and checked as any other.
    """
    if ecosystem.name != "zephyr":
        return ()
    return board_symbol_patterns(root)


def _idf_component_kconfigs(root: str) -> tuple[list[str], list[str]]:
    """Each component's `Kconfig` and `Kconfig.projbuild`, as the build's component discovery finds them.

    Components are the folders of `components/` holding a `CMakeLists.txt`
    (`tools/cmake/build.cmake`, `__build_init`), in sorted order, then
    `examples/common_components/protocol_examples_common`: the examples add
    it to their builds (through `idf_component.yml`), and components of the
    tree depend on its options (openthread's `depends on
    EXAMPLE_CONNECT_WIFI`), which would otherwise be undefined, so n. Its
    sibling `protocol_examples_tapif_io` (the linux target's) defines the
    same options differently: a build has one or the other, never both.
    """
    try:
        names = sorted(os.listdir(os.path.join(root, "components")))
    except OSError:
        names = []
    candidates = [os.path.join(root, "components", name) for name in names]
    examples = os.path.join(root, "examples", "common_components")
    candidates += [os.path.join(examples, name) for name in _IDF_EXAMPLE_COMPONENTS]
    kconfigs: list[str] = []
    projbuilds: list[str] = []
    for component in candidates:
        if not os.path.isfile(os.path.join(component, "CMakeLists.txt")):
            continue
        if os.path.isfile(os.path.join(component, "Kconfig")):
            kconfigs.append(os.path.join(component, "Kconfig"))
        if os.path.isfile(os.path.join(component, "Kconfig.projbuild")):
            projbuilds.append(os.path.join(component, "Kconfig.projbuild"))
    return kconfigs, projbuilds


_IDF_EXAMPLE_COMPONENTS: Final = ("protocol_examples_common",)


def _source_lines(paths: list[str]) -> bytes:
    return "".join(f'source "{path}"\n' for path in paths).encode("utf-8", "surrogateescape")


def _head(path: str, size: int = 1 << 16) -> bytes:
    """The start of a marker file, read like every tree file (regular, bounded, non-blocking)."""
    try:
        return read_regular_file(path, 16 * 1024 * 1024)[:size]
    except OSError:
        return b""


_MAKE_VERSION: Final = re.compile(
    rb"^(VERSION|PATCHLEVEL|SUBLEVEL|EXTRAVERSION)[ \t]*=[ \t]*(\S*)", re.MULTILINE
)
_BUILDROOT_VERSION: Final = re.compile(rb"^export BR2_VERSION[ \t]*:=[ \t]*(\S+)", re.MULTILINE)
_IDF_VERSION: Final = re.compile(rb"set\(IDF_VERSION_(MAJOR|MINOR|PATCH)[ \t]+([0-9]+)\)")


def _version(ecosystem: Ecosystem, root: str) -> str:
    """The tree's version, read from where its build reads it (empty when not found)."""
    if ecosystem.name == "u-boot":
        parts: dict[bytes, bytes] = dict(_MAKE_VERSION.findall(_head(os.path.join(root, "Makefile"), 4096)))
        version = b".".join(parts[key] for key in (b"VERSION", b"PATCHLEVEL", b"SUBLEVEL") if parts.get(key))
        return (version + parts.get(b"EXTRAVERSION", b"")).decode("ascii", "replace")
    if ecosystem.name == "buildroot":
        match = _BUILDROOT_VERSION.search(_head(os.path.join(root, "Makefile"), 1 << 14))
        return match.group(1).decode("ascii", "replace") if match else ""
    if ecosystem.name == "esp-idf":
        parts = dict(_IDF_VERSION.findall(_head(os.path.join(root, "tools", "cmake", "version.cmake"))))
        return ".".join(parts[key].decode() for key in (b"MAJOR", b"MINOR", b"PATCH") if key in parts)
    return ""
