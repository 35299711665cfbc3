"""The editor's `kconfig-ls` settings, checked and turned into `AnalysisSettings`.

Settings arrive as JSON: in `initializationOptions` (the VS Code client
sends the section's keys at the top level; others may nest them under
`"kconfig-ls"`), in `workspace/didChangeConfiguration`, or as the answer to
a `workspace/configuration` pull. Keys:

- `rootKconfig` (string): the top Kconfig file, relative to the project.
- `arch` (string): Linux architecture (`x86`, `arm64`, ...) for `$(SRCARCH)`.
- `environment` (object of strings): variables for macros and `source` paths.
- `configFile` (string, or list of strings): the active configuration, relative
  to the project: a `.config`, a defconfig, fragments merged in order, an
  ESP-IDF `sdkconfig`, or a build folder (Zephyr, Linux `O=`, ESP-IDF); see
  `kconfig_ls.analysis.configuration_choice`. Empty: no configuration.
- `rules` (object): rule code or name -> `error|warning|information|hint|off`.
- `trustWorkspace` (bool, default false): run `$(shell,...)` macros.
- `extraIncludePaths` (list of strings): more folders `source` may enter.
- `logic` (bool, default false): let the stable rules consult the
  configuration logic (KLS001 re-graded by the SAT solver, in the
  background solver tier), as `kconfig-ls lint` does by default. Off by
  default in the editor for now: on Linux it keeps 21 architectures'
  models and their formula in memory (well over the server's RSS budget).
- `preview` (bool, default false): run the preview rules (the logic's
  KLS2xx among them), as `kconfig-ls lint --preview`.
- `keepOldNameOnRename` (bool, default false): a rename records the old
  name (`sdkconfig.rename` in ESP-IDF trees, else a `transitional` entry),
  as `kconfig-ls rename --keep-old-name` does.

A bad value never stops the server: it is reported (the server shows it
with `window/showMessage`) and the default is used instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from kconfig_ls.checks.framework import SEVERITY_WORDS
from kconfig_ls.settings.analysis_settings import AnalysisSettings

__all__ = ["SETTINGS_SECTION", "ClientSettings", "parse_client_settings", "settings_section"]

SETTINGS_SECTION: Final = "kconfig-ls"
_KNOWN_KEYS: Final = frozenset(
    {
        "rootKconfig",
        "arch",
        "environment",
        "configFile",
        "rules",
        "trustWorkspace",
        "extraIncludePaths",
        "keepOldNameOnRename",
        "logic",
        "preview",
        # Client-side settings the VS Code extension keeps in the same section.
        "server",
        "trace",
    }
)


@dataclass(frozen=True)
class ClientSettings:
    """The editor's settings after checking; empty strings mean "not set"."""

    root_kconfig: str = ""
    arch: str = ""
    environment: dict[str, str] = field(default_factory=dict)
    config_files: tuple[str, ...] = ()
    rules: dict[str, str] = field(default_factory=dict)
    trust_workspace: bool = False
    extra_include_paths: tuple[str, ...] = ()
    keep_old_name_on_rename: bool = False
    logic: bool = False
    preview: bool = False

    def analysis_settings(
        self, project_root: str, cache_directory: str | None = None, index_code: bool = True
    ) -> AnalysisSettings:
        return AnalysisSettings(
            project_root=project_root,
            root_kconfig=self.root_kconfig or None,
            arch=self.arch or None,
            environment=dict(self.environment),
            trust_commands=self.trust_workspace,
            extra_roots=self.extra_include_paths,
            rule_severities=dict(self.rules),
            config_file=self.config_files[0] if self.config_files else None,
            index_code=index_code,
            cache_directory=cache_directory,
            logic=self.logic,
            rule_preview=self.preview,
        )


def settings_section(raw: object) -> Mapping[str, object] | None:
    """The `kconfig-ls` section of a settings object, nested or flat; None if absent."""
    if not isinstance(raw, Mapping):
        return None
    nested = raw.get(SETTINGS_SECTION)
    if isinstance(nested, Mapping):
        return nested
    if any(key in _KNOWN_KEYS for key in raw):
        return raw
    return None


def parse_client_settings(raw: Mapping[str, object]) -> tuple[ClientSettings, list[str]]:
    """Check the section's values; returns the settings and one message per bad value."""
    problems: list[str] = []

    def string(key: str) -> str:
        value = raw.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            problems.append(f"setting '{key}' must be a string, not {_json_type(value)}; ignored")
            return ""
        return value

    def string_map(key: str, *, allowed_values: frozenset[str] | None = None) -> dict[str, str]:
        value = raw.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            problems.append(f"setting '{key}' must be an object, not {_json_type(value)}; ignored")
            return {}
        result: dict[str, str] = {}
        for item_key, item_value in value.items():
            if not isinstance(item_value, str):
                problems.append(f"setting '{key}.{item_key}' must be a string; ignored")
                continue
            if allowed_values is not None and item_value.lower() not in allowed_values:
                problems.append(
                    f"setting '{key}.{item_key}': '{item_value}' is not error, warning, information, "
                    "hint or off; ignored"
                )
                continue
            result[str(item_key)] = item_value
        return result

    trust = raw.get("trustWorkspace", False)
    if not isinstance(trust, bool):
        problems.append(
            f"setting 'trustWorkspace' must be true or false, not {_json_type(trust)}; using false"
        )
        trust = False
    keep_old_name = raw.get("keepOldNameOnRename", False)
    if not isinstance(keep_old_name, bool):
        problems.append(
            f"setting 'keepOldNameOnRename' must be true or false, not {_json_type(keep_old_name)}; "
            "using false"
        )
        keep_old_name = False
    extra = raw.get("extraIncludePaths", [])
    extra_paths: list[str] = []
    if extra is None:
        extra = []
    if not isinstance(extra, list):
        problems.append(
            f"setting 'extraIncludePaths' must be a list of strings, not {_json_type(extra)}; ignored"
        )
    else:
        for item in extra:
            if isinstance(item, str) and item:
                extra_paths.append(item)
            else:
                problems.append("setting 'extraIncludePaths' must contain only strings; an item was ignored")
    flags: dict[str, bool] = {}
    for key, default in (("logic", False), ("preview", False)):
        value = raw.get(key, default)
        if not isinstance(value, bool):
            fallback = "true" if default else "false"
            problems.append(
                f"setting '{key}' must be true or false, not {_json_type(value)}; using {fallback}"
            )
            value = default
        flags[key] = value
    config_files = _config_files(raw.get("configFile"), problems)
    settings = ClientSettings(
        root_kconfig=string("rootKconfig"),
        arch=string("arch"),
        environment=string_map("environment"),
        config_files=config_files,
        rules=string_map("rules", allowed_values=SEVERITY_WORDS),
        trust_workspace=trust,
        extra_include_paths=tuple(extra_paths),
        keep_old_name_on_rename=keep_old_name,
        logic=flags["logic"],
        preview=flags["preview"],
    )
    return settings, problems


def _config_files(value: object, problems: list[str]) -> tuple[str, ...]:
    """`configFile`: one path, or a list of paths merged in order."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(item for item in value if item)
    problems.append(
        f"setting 'configFile' must be a string or a list of strings, not {_json_type(value)}; ignored"
    )
    return ()


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null"
