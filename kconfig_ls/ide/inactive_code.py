"""What the active configuration does not build in one file: its inactive regions, as plain data.

For C and assembly files, the `#if` branches the configuration does not
compile (`kconfig_ls.logic.inactive_regions`); for Makefiles and Kbuild
files, the `ifdef`/`ifeq` blocks it turns off
(`kconfig_ls.logic.makefile_inactive_regions`). A C file that the
configuration does not build at all (by Kbuild's rules, `kconfig_ls.logic.not_built`)
is one region, the whole file, and says so: `not built: obj-$(CONFIG_X)
with X=n`. Regions are whole lines: from the start of the first line of a
body to the end of its last line.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

from kconfig_ls.logic.configuration import Configuration
from kconfig_ls.logic.inactive_regions import inactive_regions
from kconfig_ls.logic.makefile_inactive_regions import makefile_inactive_regions
from kconfig_ls.logic.not_built import not_built_reason as logic_not_built_reason
from kconfig_ls.syntax.c_preprocessor import CScan, scan_c
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.text.line_index import LineIndex
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay

__all__ = ["InactiveCode", "c_inactive_code", "makefile_inactive_code", "not_built_reason"]


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

_SCANS_LOCK: Final = threading.Lock()


def not_built_reason(path: str, overlay: FileOverlay, configuration: Configuration) -> str | None:
    """`not built: obj-$(CONFIG_X) with X=n` when Kbuild's rules say the configuration does not build
    the file (its folder's lists, composite objects, the enclosing `ifdef`s, the folders up the
    chain: `kconfig_ls.logic.not_built`); None when it is built, or when that cannot be told."""

    def read(file_path: str) -> bytes | None:
        try:
            return overlay.read(file_path, MAX_CODE_FILE_SIZE)
        except OSError:
            return None

    return logic_not_built_reason(path, read, configuration.value, configuration)
