"""Which language a file is in, so that every feature can dispatch on it.

The server serves four kinds of files: Kconfig itself, and the C sources,
Makefiles and configuration files (`.config`, `*_defconfig`, `prj.conf`)
that Kconfig symbols switch. Features ask `file_kind(path)` and handle
each kind in its own branch; the C-side index plugs in behind the same
dispatch later.
"""

from __future__ import annotations

import os
from enum import Enum

__all__ = ["FileKind", "file_kind"]


class FileKind(Enum):
    KCONFIG = "kconfig"
    C = "c"
    MAKEFILE = "makefile"
    CONFIG = "config"
    OTHER = "other"


_C_SUFFIXES = frozenset({".c", ".h", ".S", ".s", ".cc", ".cpp", ".hpp", ".lds", ".dts", ".dtsi"})
_LANGUAGE_IDS = {
    "kconfig": FileKind.KCONFIG,
    "kconfig-config": FileKind.CONFIG,
    "c": FileKind.C,
    "cpp": FileKind.C,
    "makefile": FileKind.MAKEFILE,
    "make": FileKind.MAKEFILE,
}


def file_kind(path: str, language_id: str = "") -> FileKind:
    """The kind of a file from its name, or from the editor's language id.

    A name wins over the language id for Kconfig files (editors often call
    them plain text); the language id wins for everything else.
    """
    name = os.path.basename(path)
    if name.startswith("Kconfig") or name.endswith(".kconfig") or name == "Config.in":
        return FileKind.KCONFIG
    by_language = _LANGUAGE_IDS.get(language_id.lower())
    if by_language is not None:
        return by_language
    suffix = os.path.splitext(name)[1]
    if suffix in _C_SUFFIXES:
        return FileKind.C
    if name.startswith(("Makefile", "Kbuild", "GNUmakefile")) or suffix in (".mk", ".mak"):
        return FileKind.MAKEFILE
    if (
        name in (".config", "defconfig", "prj.conf")
        or name.endswith(("_defconfig", ".defconfig", ".config"))
        or suffix == ".conf"
    ):
        return FileKind.CONFIG
    return FileKind.OTHER
