"""How a code file's spelled names become the code index's keys.

The code index keys a use by the symbol it names: `CONFIG_X` is X, a nested
tree's own spelling (Zephyr's sysbuild `SB_CONFIG_X`) is kept apart as
spelled (`nested_key`), and a folder with a prefix of its own (coreboot's
libpayload, `CONFIG_LP_X`) has that prefix stripped. These helpers run in the
scan workers for every file, so they stay small and import nothing heavy.
`describe_reference_kind` names a use's kind in messages.
"""

from __future__ import annotations

import os
import re
from typing import Final

from kconfig_ls.syntax.config_reference import ConfigReference, ReferenceKind, ReferenceSyntax

_CONFIG_IDENTIFIER_START: Final = re.compile(rb"CONFIG_(?<=[^A-Za-z0-9_]CONFIG_)")
"""`CONFIG_` after a byte that cannot end an identifier. The literal comes first so that `re`
keeps its fast search for it; a leading look-behind makes it test every position (40x slower)."""


def names_config_identifier(data: bytes, syntax: ReferenceSyntax) -> bool:
    """Whether C bytes hold a `CONFIG_` identifier of their own (not inside another name), or a
    `CONFIG(` where the ecosystem has such a macro: the only files the C scan finds anything in.

    One search at C speed: most files mentioning `CONFIG_` start with one; the register
    headers that hold it only inside other names (amdgpu's, 495 MB) are skipped at the cost
    of that search instead of a directive scan. (A loop of `bytes.find` over those headers'
    occurrences cost a quarter more.)
    """
    if syntax.argument_macros and data.find(b"CONFIG(") >= 0:
        return True
    return data.startswith(b"CONFIG_") or _CONFIG_IDENTIFIER_START.search(data) is not None


def nested_tree_prefix(syntax: ReferenceSyntax, path: str) -> str:
    """The extra prefix of a nested tree's names (coreboot's libpayload: `CONFIG_LP_X` is its X)."""
    for folder, prefix in syntax.folder_prefixes:
        if (os.sep + folder + os.sep) in path:
            return prefix[len(syntax.prefix) :] if prefix.startswith(syntax.prefix) else ""
    return ""


def nested_key(prefix: str, name: str) -> str:
    """A nested tree's X as spelled (`SB_CONFIG_X`): kept apart from the main tree's X (`nested_view`)."""
    return prefix + name


def strip_prefix(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) and len(name) > len(prefix) else name


def without_config_prefix(name: str) -> str:
    return name[len("CONFIG_") :] if name.startswith("CONFIG_") else name


def reference_tuple(reference: ConfigReference) -> tuple[str, int, int, int, str, bool]:
    return (
        reference.symbol,
        reference.span[0],
        reference.span[1],
        reference.line,
        reference.kind.value,
        reference.module_suffix,
    )


_REFERENCE_KIND_LABELS: Final = {
    ReferenceKind.CONDITION: "#if condition",
    ReferenceKind.DIRECTIVE_COMMENT: "#else/#endif comment",
    ReferenceKind.IS_ENABLED_CALL: "IS_ENABLED() in code",
    ReferenceKind.CODE: "C code",
    ReferenceKind.UNDEF: "#undef",
    ReferenceKind.MAKE_SWITCHED_LIST: "Makefile list",
    ReferenceKind.MAKE_VARIABLE: "Makefile variable",
    ReferenceKind.MAKE_CONDITIONAL: "Makefile conditional",
    ReferenceKind.MAKE_WORD: "Makefile",
    ReferenceKind.CONFIG_ASSIGNMENT: "configuration file",
    ReferenceKind.CONFIG_NOT_SET: "configuration file",
    ReferenceKind.MACRO_ARGUMENT: "CONFIG() argument",
    ReferenceKind.PHASE_ARGUMENT: "phase reference",
    ReferenceKind.CMAKE: "CMake file",
    ReferenceKind.RENAME_TARGET: "sdkconfig.rename",
}


def describe_reference_kind(kind: str) -> str:
    """A short label for a code reference kind, for messages and reference lists."""
    try:
        return _REFERENCE_KIND_LABELS.get(ReferenceKind(kind), kind)
    except ValueError:
        return kind
