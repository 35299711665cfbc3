"""Which files make up the active configuration: what the user named, resolved to files.

The user names the active configuration (the server's `configFile` setting
or its `kconfig-ls.selectConfiguration` command, `kconfig-ls lint --config`)
as a `.config`, a defconfig, a list of fragments (merged in order, as
`merge_config.sh` does), an ESP-IDF `sdkconfig`, or a build folder:

- a Zephyr build folder: `zephyr/.config` (the merged result of `prj.conf`,
  the board's defconfig and the overlays that `build_info.yml` and
  `CMakeCache.txt` list: the tools already merged them);
- a Linux `O=` build folder, or any folder with a `.config`: that `.config`;
- an ESP-IDF project folder (`sdkconfig`), or its build folder, whose
  `CMakeCache.txt` names the `sdkconfig` (`SDKCONFIG:...=path`).

Resolution only stats files (and reads one `CMakeCache.txt` line); the
snapshot reads the files through the overlay, so open buffers win.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from kconfig_ls.vfs.overlay import read_regular_file

__all__ = ["ConfigurationChoice", "NO_CONFIGURATION", "resolve_configuration"]

_SDKCONFIG_CACHE_LINE: Final = re.compile(rb"^SDKCONFIG(?::[A-Z]+)?=(.+)$", re.MULTILINE)
_CMAKE_CACHE_LIMIT: Final = 4 * 1024 * 1024
_LABEL_LIMIT: Final = 40


@dataclass(frozen=True, slots=True)
class ConfigurationChoice:
    """The active configuration: the entries the user gave, the files they resolve to, and a label.

    `files` are absolute paths, in merge order (empty: no configuration);
    `problems` say why an entry gave no file (a missing file, a folder with
    no configuration in it).
    """

    entries: tuple[str, ...]
    files: tuple[str, ...]
    problems: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.files)

    def label(self, root: str, world: str | None) -> str:
        """What an editor's status shows: `.config (x86)`, `defconfig + 2 fragments`, `no configuration`."""
        if not self.files:
            return "no configuration"
        first = self.files[0]
        relative = os.path.relpath(first, root)
        shown = relative if not relative.startswith("..") and len(relative) <= _LABEL_LIMIT else first
        if len(shown) > _LABEL_LIMIT:
            shown = os.path.basename(first)
        if len(self.files) > 1:
            extra = len(self.files) - 1
            shown += f" + {extra} fragment{'s' if extra > 1 else ''}"
        return f"{shown} ({world})" if world else shown


NO_CONFIGURATION: Final = ConfigurationChoice((), ())


def resolve_configuration(entries: Sequence[str], root: str) -> ConfigurationChoice:
    """Resolve each entry (relative to `root`) to the configuration files it names."""
    files: list[str] = []
    problems: list[str] = []
    for entry in entries:
        if not entry:
            continue
        path = os.path.normpath(os.path.join(root, os.path.expanduser(entry)))
        if os.path.isdir(path):
            found = _configuration_in_folder(path)
            if found is None:
                problems.append(
                    f"no .config, zephyr/.config or sdkconfig in the folder {entry}; "
                    "name a configuration file or a build folder"
                )
            else:
                files.append(found)
        elif os.path.isfile(path):
            files.append(path)
        else:
            problems.append(f"configuration file {entry} not found")
    return ConfigurationChoice(tuple(entries), tuple(dict.fromkeys(files)), tuple(problems))


def _configuration_in_folder(folder: str) -> str | None:
    """The configuration file a build or project folder stands for, None when it has none."""
    for relative in ("zephyr/.config", ".config", "sdkconfig"):
        candidate = os.path.join(folder, relative)
        if os.path.isfile(candidate):
            return candidate
    return _sdkconfig_from_cmake_cache(folder)


def _sdkconfig_from_cmake_cache(folder: str) -> str | None:
    """ESP-IDF's build folder: `CMakeCache.txt` records the project's `sdkconfig`."""
    cache = os.path.join(folder, "CMakeCache.txt")
    if not os.path.isfile(cache):
        return None
    try:
        data = read_regular_file(cache, _CMAKE_CACHE_LIMIT)
    except OSError:
        return None
    match = _SDKCONFIG_CACHE_LINE.search(data)
    if match is None:
        return None
    named = os.fsdecode(match.group(1).strip())
    path = os.path.normpath(os.path.join(folder, named))
    return path if os.path.isfile(path) else None
