"""The user's own settings file, outside every analysed tree: the one file that may grant trust.

`$XDG_CONFIG_HOME/kconfig-ls/config.toml` (default `~/.config/kconfig-ls/config.toml`)::

    trust-commands = false                  # run $(shell,...) in every project (not advised)
    trusted-projects = ["/home/me/linux"]   # run it in these projects only

A file inside the tree (`.kconfig-ls.toml`, `pyproject.toml`) can never turn
commands on: a cloned repository, or a pull request from a fork linted in
CI, would otherwise run its own code. Only the person running the tool
decides: this file, a command-line flag, or the editor's setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["UserSettings", "default_user_config_file", "load_user_settings"]


@dataclass(frozen=True)
class UserSettings:
    trust_commands: bool = False
    trusted_projects: tuple[str, ...] = ()
    source: str | None = None
    problem: str | None = None

    def trusts(self, project_root: str) -> bool:
        """Whether commands may run for a project (by real path)."""
        if self.trust_commands:
            return True
        real = os.path.realpath(project_root)
        return any(
            real == trusted or real.startswith(trusted.rstrip(os.sep) + os.sep)
            for trusted in (os.path.realpath(os.path.expanduser(p)) for p in self.trusted_projects)
        )


def default_user_config_file(environment: Mapping[str, str] | None = None) -> str:
    """Where the user settings live; reads the environment (call it at the client edge only)."""
    variables = os.environ if environment is None else environment
    base = variables.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "kconfig-ls", "config.toml")


def load_user_settings(path: str | None) -> UserSettings:
    """The user settings, or the defaults when the file is absent; a bad file is reported, not fatal."""
    if not path or not os.path.isfile(path):
        return UserSettings()
    import tomllib  # here: most users have no settings file (a warm start's imports are its floor)

    try:
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        return UserSettings(source=path, problem=f"{path}: {error}")
    trust = table.get("trust-commands", False)
    projects = table.get("trusted-projects", [])
    if not isinstance(trust, bool) or not (
        isinstance(projects, list) and all(isinstance(item, str) for item in projects)
    ):
        return UserSettings(
            source=path,
            problem=f"{path}: 'trust-commands' must be true or false and 'trusted-projects' a list of paths",
        )
    return UserSettings(trust, tuple(projects), path)
