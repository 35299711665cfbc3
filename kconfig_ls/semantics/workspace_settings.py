"""The load settings of a Kconfig tree (`WorkspaceSettings`), in a module of their own.

The settings are resolved before anything is loaded, and a warm code index
(`bench_code_index.py`'s warm row, an unchanged lint) needs them but no Kconfig
record: kept beside the model's records (`definitions`, which re-exports the
class), they made every such start import the Kconfig syntax and expressions
(~0.03-0.05 s of a warm start's 0.5 s).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["WorkspaceSettings"]


@dataclass(frozen=True)
class WorkspaceSettings:
    """Everything the model needs to know about where and how to load.

    `environment` replaces `getenv` for macros (Linux needs `SRCARCH`);
    `extra_roots` are directories outside `root` that `source` may enter.
    `trust_commands` comes from the person running the tool only;
    `ignored_trust_request` names the project file that asked for it and was
    ignored (a rule reports it). `generated_files` are files the tree's build
    would write before running Kconfig (absolute path -> bytes; ESP-IDF's
    `kconfigs.in`), read instead of the disk; `kconfig_exclude` are paths or
    `fnmatch` patterns, relative to the root, of Kconfig files that are not
    part of the tree (Linux's `scripts/kconfig/tests`): they are not linked
    as unreached files. Both come from the tree's ecosystem
    (`kconfig_ls.settings.ecosystem`).
    """

    root: str
    root_kconfig: str = "Kconfig"
    environment: dict[str, str] = field(default_factory=dict)
    trust_commands: bool = False
    index_unreached: bool = True
    extra_roots: tuple[str, ...] = ()
    ignored_trust_request: str | None = None
    generated_files: dict[str, bytes] = field(default_factory=dict)
    kconfig_exclude: tuple[str, ...] = ()
    # Patterns (`re.fullmatch`) of names the build defines outside the Kconfig
    # files (Zephyr's `DT_HAS_<compat>_ENABLED`): unknown, never undefined.
    unknown_symbols: tuple[str, ...] = ()
