"""What the active configuration does not build in one file: its inactive regions, as plain data.

For C and assembly files, the `#if` branches the configuration does not
compile (`kconfig_ls.logic.inactive_regions`); for Makefiles and Kbuild
files, the `ifdef`/`ifeq` blocks it turns off
(`kconfig_ls.logic.makefile_inactive_regions`). A C file that the
configuration does not build at all (every list its object is in, in the
Makefile or Kbuild file of its folder, is named after a symbol that is `n`)
is one region, the whole file, and says so: `not built: obj-$(CONFIG_X)
with X=n`. Regions are whole lines: from the start of the first line of a
body to the end of its last line.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

from kconfig_ls.logic.configuration import Configuration
from kconfig_ls.logic.inactive_regions import inactive_regions
from kconfig_ls.logic.makefile_inactive_regions import makefile_inactive_regions
from kconfig_ls.syntax.c_preprocessor import CScan, scan_c
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.syntax.makefile import MakefileScan, scan_makefile
from kconfig_ls.text.line_index import LineIndex
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay

__all__ = ["InactiveCode", "c_inactive_code", "makefile_inactive_code", "not_built_reason"]

_BUILD_FILES: Final = ("Kbuild", "Makefile")
_SOURCE_SUFFIXES: Final = (".c", ".S", ".s")
_KEPT_MAKEFILE_SCANS: Final = 64


@dataclass(frozen=True, slots=True)
class InactiveCode:
    """The regions of one file the configuration turns off, and the sentence a diagnostic shows."""

    spans: tuple[Span, ...]
    message: str


def c_inactive_code(
    path: str,
    data: bytes,
    index: LineIndex,
    configuration: Configuration,
    label: str,
    not_built: str | None,
) -> InactiveCode:
    """The `#if` branches of a C or assembly text the configuration does not compile.

    The text is scanned with the fast byte scanner (2 to 6 ms on Linux's
    largest files; memoised by text), not with the tree-sitter scan open
    documents get for the other features (40 to 70 ms after an edit): this
    is sent after every keystroke. The two agree on real files
    (`tests/linux`).
    """
    if not_built is not None:
        return InactiveCode((Span(0, len(data)),), not_built)
    scan = _c_scan(path, data)
    spans = tuple(
        _line_span(index, data, region.lines) for region in inactive_regions(scan, configuration.value)
    )
    return InactiveCode(tuple(span for span in spans if span is not None), f"inactive in {label}")


def makefile_inactive_code(
    data: bytes, index: LineIndex, configuration: Configuration, label: str
) -> InactiveCode:
    def make_value(name: str) -> str | None:
        # `include/config/auto.conf` writes a string symbol with its quotes: CONFIG_X="text".
        value = configuration.value(name)
        symbol = configuration.table.get(name)
        if value is not None and symbol is not None and symbol.type == "string":
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return value

    spans = tuple(
        _line_span(index, data, region.lines) for region in makefile_inactive_regions(data, make_value)
    )
    return InactiveCode(tuple(span for span in spans if span is not None), f"inactive in {label}")


def _line_span(index: LineIndex, data: bytes, lines: tuple[int, int]) -> Span | None:
    first, end = lines
    if end <= first:
        return None
    start = index.offset(first, 0, "utf-8")
    last_start = index.offset(end - 1, 0, "utf-8")
    newline = data.find(b"\n", last_start)
    return Span(start, len(data) if newline < 0 else newline)


_C_SCANS: OrderedDict[tuple[str, bytes], CScan] = OrderedDict()
_KEPT_C_SCANS: Final = 16


def _c_scan(path: str, data: bytes) -> CScan:
    key = (path, data)
    with _SCANS_LOCK:
        cached = _C_SCANS.get(key)
        if cached is not None:
            _C_SCANS.move_to_end(key)
            return cached
    scan = scan_c(data) if len(data) <= MAX_CODE_FILE_SIZE else scan_c(b"")
    with _SCANS_LOCK:
        _C_SCANS[key] = scan
        while len(_C_SCANS) > _KEPT_C_SCANS:
            _C_SCANS.popitem(last=False)
    return scan


# --- files the configuration does not build ------------------------------------------------

_SCANS: OrderedDict[tuple[str, bytes], MakefileScan] = OrderedDict()
_SCANS_LOCK: Final = threading.Lock()


def not_built_reason(path: str, overlay: FileOverlay, configuration: Configuration) -> str | None:
    """`not built: obj-$(CONFIG_X) with X=n` when the folder's Kbuild file builds the file only
    under symbols that are `n`; None when it is built, or when that cannot be told."""
    stem, suffix = os.path.splitext(os.path.basename(path))
    if suffix not in _SOURCE_SUFFIXES:
        return None
    folder = os.path.dirname(path)
    object_name = stem + ".o"
    listed: list[tuple[str, tuple[str, ...]]] = []
    for build_file in _BUILD_FILES:
        scan = _makefile_scan(os.path.join(folder, build_file), overlay)
        if scan is None:
            continue
        listed.extend(
            (built.list_name, built.list_symbols) for built in scan.objects if built.name == object_name
        )
        if listed:
            break
    if not listed:
        return None  # not in its folder's lists: a composite object, an include, or built elsewhere
    off: list[tuple[str, str]] = []
    for list_name, symbols in listed:
        if not symbols:
            return None
        values = [configuration.value(symbol) for symbol in symbols]
        if any(value is None or value not in ("n", "") for value in values):
            return None
        off.append((list_name, symbols[0]))
    list_name, symbol = off[0]
    return f"not built: {list_name} with {symbol}=n"


def _makefile_scan(path: str, overlay: FileOverlay) -> MakefileScan | None:
    try:
        data = overlay.read(path, MAX_CODE_FILE_SIZE)
    except OSError:
        return None
    key = (path, data)
    with _SCANS_LOCK:
        cached = _SCANS.get(key)
        if cached is not None:
            _SCANS.move_to_end(key)
            return cached
    scan = scan_makefile(data)
    with _SCANS_LOCK:
        _SCANS[key] = scan
        while len(_SCANS) > _KEPT_MAKEFILE_SCANS:
            _SCANS.popitem(last=False)
    return scan
