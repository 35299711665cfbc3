"""Project settings: `[tool.kconfig-ls]` in pyproject.toml, or `.kconfig-ls.toml`.

Example::

    [tool.kconfig-ls]
    root = "Kconfig"          # the root Kconfig, relative to the project
    arch = "x86"              # Linux: SRCARCH/ARCH for arch/$(SRCARCH)/Kconfig
    # trust-commands is ignored here: only the user can allow $(shell,...) (KLS009)
    extra-roots = []          # directories outside the project `source` may enter
    code-exclude = ["tools"]  # folders whose C/Makefiles are not Kconfig users
    ecosystem = "linux"       # linux, u-boot, coreboot, buildroot, esp-idf, zephyr, generic
                              # (detected from the tree when not set)

    [tool.kconfig-ls.environment]
    ZEPHYR_BASE = "."

    [tool.kconfig-ls.rules]
    select-visible = "error"  # or warning, information, hint, off
    KLS002 = "off"

`.kconfig-ls.toml` has the same keys at its top level. Command-line options
and editor settings override the file.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kconfig_ls.checks.rule_settings import SEVERITY_WORDS, RuleSettings
from kconfig_ls.vfs.overlay import MAX_KCONFIG_FILE_SIZE, read_regular_file

if TYPE_CHECKING:
    from kconfig_ls.settings.ecosystem import Ecosystem

__all__ = [
    "ProjectSettings",
    "SettingsError",
    "default_code_exclude",
    "linux_environment",
    "load_project_settings",
]

_HOST_ARCHITECTURES = {
    "x86_64": "x86",
    "i386": "x86",
    "i686": "x86",
    "aarch64": "arm64",
    "armv7l": "arm",
    "riscv64": "riscv",
    "ppc64le": "powerpc",
    "s390x": "s390",
    "mips": "mips",
    "loongarch64": "loongarch",
}


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the key and the file."""


@dataclass(frozen=True)
class ProjectSettings:
    root_kconfig: str = "Kconfig"
    arch: str | None = None
    environment: dict[str, str] = field(default_factory=dict)
    trust_commands: bool = False
    extra_roots: tuple[str, ...] = ()
    code_exclude: tuple[str, ...] | None = None  # None: the tree kind's default
    ecosystem: str | None = None  # None: detected from the tree (kconfig_ls.settings.ecosystem)
    root_kconfig_set: bool = False  # `root` was given: it wins over the ecosystem's root
    rules: RuleSettings = field(default_factory=RuleSettings)
    source: str | None = None  # the file the settings came from


def load_project_settings(project_root: str) -> ProjectSettings:
    """Read `.kconfig-ls.toml`, else `[tool.kconfig-ls]` of `pyproject.toml`."""
    dedicated = os.path.join(project_root, ".kconfig-ls.toml")
    pyproject = os.path.join(project_root, "pyproject.toml")
    if os.path.isfile(dedicated):
        return settings_from_table(_read_toml(dedicated), dedicated)
    if os.path.isfile(pyproject):
        table = _read_toml(pyproject).get("tool", {}).get("kconfig-ls")
        if isinstance(table, dict):
            return settings_from_table(table, pyproject)
    return ProjectSettings()


def settings_from_table(table: dict[str, Any], source: str) -> ProjectSettings:
    def string(key: str, default: str | None) -> str | None:
        value = table.get(key, default)
        if value is not None and not isinstance(value, str):
            raise SettingsError(f"{source}: '{key}' must be a string")
        return value

    environment = table.get("environment", {})
    if not isinstance(environment, dict) or not all(isinstance(v, str) for v in environment.values()):
        raise SettingsError(f"{source}: 'environment' must be a table of strings")
    rules = table.get("rules", {})
    if not isinstance(rules, dict):
        raise SettingsError(f"{source}: 'rules' must be a table")
    for key, value in rules.items():
        if not isinstance(value, str) or value.lower() not in SEVERITY_WORDS:
            raise SettingsError(f"{source}: rule '{key}' must be error, warning, information, hint or off")
    trust = table.get("trust-commands", False)
    if not isinstance(trust, bool):
        raise SettingsError(f"{source}: 'trust-commands' must be true or false")
    extra_roots = table.get("extra-roots", [])
    if not isinstance(extra_roots, list) or not all(isinstance(v, str) for v in extra_roots):
        raise SettingsError(f"{source}: 'extra-roots' must be a list of strings")
    code_exclude = table.get("code-exclude")
    if code_exclude is not None and (
        not isinstance(code_exclude, list) or not all(isinstance(v, str) for v in code_exclude)
    ):
        raise SettingsError(f"{source}: 'code-exclude' must be a list of folder paths")
    ecosystem = string("ecosystem", None)
    if ecosystem is not None:
        from kconfig_ls.settings.ecosystem import ecosystem_named

        try:
            ecosystem_named(ecosystem)
        except ValueError as error:
            raise SettingsError(f"{source}: 'ecosystem': {error}") from error
    return ProjectSettings(
        ecosystem=ecosystem,
        root_kconfig_set="root" in table,
        code_exclude=tuple(code_exclude) if code_exclude is not None else None,
        root_kconfig=string("root", "Kconfig") or "Kconfig",
        arch=string("arch", None),
        environment=dict(environment),
        trust_commands=trust,
        extra_roots=tuple(extra_roots),
        rules=RuleSettings(severities=dict(rules)),
        source=source,
    )


LINUX_CODE_EXCLUDE = ("tools", "Documentation", "scripts/kconfig/tests")


def default_code_exclude(
    project_root: str, root_kconfig: str = "Kconfig", ecosystem: Ecosystem | None = None
) -> tuple[str, ...]:
    """Folders not indexed for code by default: the ecosystem's (`Ecosystem.code_exclude`).

    In Linux `tools/` (userspace programs with their own `CONFIG_` feature
    flags, e.g. perf's `Makefile.config`; its kernel config fragments under
    `tools/testing` are still indexed), `Documentation/` and the Kconfig test
    fixtures; U-Boot `tools/` and `dts/upstream`; coreboot `payloads/external`
    and `util/`; Buildroot `support/testing`; ESP-IDF `components/wpa_supplicant`.
    A Linux-style tree with another root Kconfig keeps Linux's defaults.
    `ecosystem` is the tree's when the caller has it (else it is found here).
    """
    if ecosystem is None:
        from kconfig_ls.settings.ecosystem import ecosystem_for_project

        ecosystem = ecosystem_for_project(project_root)
    if ecosystem.name == "generic" and linux_environment(project_root, None, root_kconfig):
        return LINUX_CODE_EXCLUDE
    return ecosystem.code_exclude


def linux_environment(project_root: str, arch: str | None, root_kconfig: str = "Kconfig") -> dict[str, str]:
    """The variables a Linux-style tree expects (`SRCARCH`, `ARCH`, `srctree`).

    Only when the root Kconfig mentions `$(SRCARCH)` or `$(ARCH)`; the
    architecture is the configured one, else the host's.
    """
    try:
        head = read_regular_file(os.path.join(project_root, root_kconfig), MAX_KCONFIG_FILE_SIZE)[: 1 << 16]
    except OSError:
        return {}
    if b"$(SRCARCH)" not in head and b"$(ARCH)" not in head:
        return {}
    chosen = arch or _HOST_ARCHITECTURES.get(platform.machine(), "x86")
    source_architecture = "x86" if chosen in ("i386", "x86_64") else chosen
    return {
        "SRCARCH": source_architecture,
        "ARCH": chosen,
        "srctree": project_root,
        "KERNELVERSION": _kernel_version(project_root),
        "CC": "gcc",
        "LD": "ld",
    }


def _kernel_version(project_root: str) -> str:
    try:
        text = read_regular_file(os.path.join(project_root, "Makefile"), _MAX_SETTINGS_FILE_SIZE)
    except OSError:
        return ""
    lines = text.decode("utf-8", "replace").splitlines()[:6]
    head = dict(line.split("=", 1) for line in lines if "=" in line)
    parts = [head.get(key, "").strip() for key in ("VERSION ", "PATCHLEVEL ", "SUBLEVEL ")]
    return ".".join(part for part in parts if part)


_MAX_SETTINGS_FILE_SIZE = 1 << 20


def _read_toml(path: str) -> dict[str, Any]:
    """A settings file of the tree, read like every tree file: regular, bounded, non-blocking."""
    import tomllib  # here: most trees have no settings file, and a warm start has no use for it

    try:
        return tomllib.loads(read_regular_file(path, _MAX_SETTINGS_FILE_SIZE).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: {error}") from error
