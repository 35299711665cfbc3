"""Whether a configuration builds a source file at all, by Kbuild's rules, without running make.

Kbuild builds `dir/foo.c` when `foo.o` is in the build: listed in `obj-y`
or `obj-m` of the folder's Kbuild file (`Kbuild` if the folder has one,
else `Makefile`), or a part of a composite object that is (`foo-y += a.o
b.o`, `foo-objs := a.o`, `foo-$(CONFIG_BAR) += c.o` with `obj-$(CONFIG_FOO)
+= foo.o`), and when make descends into the folder at all: the parent's
Kbuild file lists `dir/` in `obj-y`/`obj-m` (`obj-$(CONFIG_X) += dir/`), up
the chain. `obj-$(CONFIG_X)` is `obj-y`/`obj-m` when X is `y`/`m` and
`obj-` (ignored) when X is `n`. Assignments inside `ifdef`/`ifeq` blocks
the configuration turns off (`makefile_inactive_regions`) do not count
(the reason then names the block's line).

The answer claims "not built" only when every way the file could be built
is understood and off; anything else means "built, or cannot tell" (None):
the object in a list this module does not model (`lib-y`, `extra-y`,
`head-y`, host programs, a list named with a function), a word with a
variable in it, a folder file with an `include`, an object not found in its
folder's file (listed by a parent as `dir/foo.o`, or built by an explicit
rule), a directory reached from a list other than `obj-` (the top-level
`core-y`, `drivers-y`, `subdir-y`), an unknown value (a compiler probe).
A file `#include`d into another that is built is compiled there; by the
definition above (its own object) it is still not built.
"""

from __future__ import annotations

import os
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kconfig_ls.logic.makefile_inactive_regions import (
    _OWN_ASSIGNMENT,
    ValueOf,
    _logical_lines,
    makefile_inactive_regions,
)

__all__ = ["KbuildFile", "ReadFile", "kbuild_file", "not_built_reason"]

ReadFile = Callable[[str], bytes | None]
"""A file's bytes (open buffers first), None when it does not exist or cannot be read."""

_SOURCE_SUFFIXES: Final = (".c", ".S", ".s")
_ASSIGNMENT: Final = re.compile(
    rb"^[ \t]*(?:(?:export|override|private)[ \t]+)*([^ \t:+?!=#]+)[ \t]*(\+=|:=|::=|\?=|=)(.*)$", re.S
)
_LIST_NAME: Final = re.compile(r"^(.+)-(y|m|objs|\$\(CONFIG_([A-Za-z0-9_]+)\))$")
_INCLUDE: Final = re.compile(rb"^[ \t]*-?(?:include|sinclude)[ \t]")
_DEFINE: Final = re.compile(rb"[ \t]*(?:(?:export|override)[ \t]+)*define(?![A-Za-z0-9_.-])")
_ENDEF: Final = re.compile(rb"[ \t]*endef(?![A-Za-z0-9_.-])")
_MAX_CHAIN: Final = 16


@dataclass(frozen=True, slots=True)
class _Listing:
    """One word in a list: the list's base (`obj`, or a composite's name) and how it is switched."""

    base: str
    switch: str
    """`y`, `m`, `objs`, or the symbol of `$(CONFIG_X)`."""
    list_name: str
    off_block: str | None = None
    """The `ifdef`/`ifeq`/`else` whose block, turned off, holds the assignment, with its line."""


@dataclass(frozen=True, slots=True)
class KbuildFile:
    """The active assignments of one Kbuild file: each listed word, and whether it has an `include`."""

    path: str
    listings: dict[str, tuple[_Listing, ...]]
    """Word (`foo.o`, `dir/`) to the lists it is in; `None` keys are never made."""
    opaque_words: frozenset[str]
    """Words in lists this module does not model (a list named with a function or other variables)."""
    includes: bool
    own: frozenset[str] = frozenset()
    """Symbols whose `CONFIG_` variable the file assigns itself (their Kconfig value does not count)."""


def kbuild_file(path: str, data: bytes, value_of: ValueOf) -> KbuildFile:
    """The listings of a Kbuild file whose assignments the configuration does not turn off."""
    inactive = [(region.lines, region.directive_line) for region in makefile_inactive_regions(data, value_of)]
    line_texts = data.split(b"\n") if inactive else []
    listings: dict[str, list[_Listing]] = {}
    opaque: set[str] = set()
    includes = False
    in_define = 0
    for _start, _end, line, _last, text in _logical_lines(data):
        directive = next((directive for (first, end), directive in inactive if first <= line < end), None)
        off_block = (
            None
            if directive is None
            else f"`{line_texts[directive].decode('utf-8', 'replace').strip()[:80]}` (line {directive + 1})"
        )
        code = _without_comment(text)
        if in_define:
            if _ENDEF.match(code):
                in_define -= 1
            elif _DEFINE.match(code):
                in_define += 1
            continue
        if _DEFINE.match(code):
            in_define += 1
            continue
        if _INCLUDE.match(code):
            includes = includes or off_block is None
            continue
        match = _ASSIGNMENT.match(code)
        if match is None:
            continue
        list_name = match.group(1).decode("utf-8", "replace")
        words = [
            word.decode("utf-8", "replace")
            for word in match.group(3).split()
            if (word.endswith(b".o") or word.endswith(b"/")) and b"$" not in word
        ]
        if not words:
            continue
        parsed = _LIST_NAME.match(list_name)
        for word in words:
            if parsed is None:
                opaque.add(word)
                continue
            base, switch = parsed.group(1), parsed.group(3) or parsed.group(2)
            if "$" in base:
                opaque.add(word)
                continue
            listings.setdefault(word, []).append(_Listing(base, switch, list_name, off_block))
    own = frozenset(
        match.group(1).decode().removeprefix("CONFIG_") for match in _OWN_ASSIGNMENT.finditer(data)
    )
    return KbuildFile(
        path, {word: tuple(found) for word, found in listings.items()}, frozenset(opaque), includes, own
    )


def _without_comment(text: bytes) -> bytes:
    """The line before its comment: a `#` outside `$(...)` (make 4.3 reads one inside as text)."""
    if b"#" not in text:
        return text
    depth = 0
    for index, byte in enumerate(text):
        if byte == ord("(") and index and text[index - 1] == ord("$"):
            depth += 1
        elif byte == ord(")") and depth:
            depth -= 1
        elif byte == ord("#") and not depth and (index == 0 or text[index - 1] != ord("\\")):
            return text[:index]
    return text


_KEPT: Final = 128
_MEMO: OrderedDict[tuple[str, bytes, int], tuple[weakref.ref[object], KbuildFile]] = OrderedDict()
_MEMO_LOCK: Final = threading.Lock()


def _memoised_kbuild_file(path: str, data: bytes, value_of: ValueOf, owner: object | None) -> KbuildFile:
    """`kbuild_file`, memoised per text and `owner` (the evaluated configuration `value_of` reads)."""
    if owner is None:
        return kbuild_file(path, data, value_of)
    key = (path, data, id(owner))
    with _MEMO_LOCK:
        cached = _MEMO.get(key)
        if cached is not None and cached[0]() is owner:
            _MEMO.move_to_end(key)
            return cached[1]
    result = kbuild_file(path, data, value_of)
    with _MEMO_LOCK:
        _MEMO[key] = (weakref.ref(owner), result)
        while len(_MEMO) > _KEPT:
            _MEMO.popitem(last=False)
    return result


def not_built_reason(path: str, read: ReadFile, value_of: ValueOf, owner: object | None = None) -> str | None:
    """`not built: obj-$(CONFIG_X) with X=n` when the configuration surely does not build the file.

    None when it is built, or when that cannot be told (see the module docstring). `owner`, the
    object `value_of` reads (the evaluated configuration), memoises the Kbuild files' readings.
    """
    stem, suffix = os.path.splitext(os.path.basename(path))
    if suffix not in _SOURCE_SUFFIXES:
        return None
    folder = os.path.dirname(path)
    kbuild = _folder_kbuild(folder, read, value_of, owner)
    if kbuild is None:
        return None
    verdict = _object_verdict(kbuild, stem + ".o", value_of, set())
    if verdict is None:
        return None
    if verdict is not True:
        return f"not built: {verdict}"
    return _directory_verdict(folder, read, value_of, owner)


def _folder_kbuild(folder: str, read: ReadFile, value_of: ValueOf, owner: object | None) -> KbuildFile | None:
    """The folder's Kbuild file: `Kbuild` if it has one (then `Makefile` is not read), else `Makefile`."""
    for name in ("Kbuild", "Makefile"):
        path = os.path.join(folder, name)
        data = read(path)
        if data is not None:
            return _memoised_kbuild_file(path, data, value_of, owner)
    return None


def _switched_on(switch: str, value_of: ValueOf, own: frozenset[str]) -> bool | None:
    """Whether a list's switch puts its words in the build (`y`, `m`, `objs`, or a symbol's value)."""
    if switch in ("y", "m", "objs"):
        return True
    if switch in own:
        return None
    value = value_of(switch)
    if value is None:
        return None
    return value in ("y", "m")


def _assigned(symbol: str, value_of: ValueOf) -> str:
    """`X=n` (or `X=3`: `obj-3` is no list Kbuild builds either)."""
    value = value_of(symbol)
    return f"{symbol}={'n' if value in (None, '', 'n') else value}"


def _object_verdict(kbuild: KbuildFile, word: str, value_of: ValueOf, seen: set[str]) -> str | bool | None:
    """True when the object is in the build, the reason (`obj-$(CONFIG_X) with X=n`) when surely not,
    None when it cannot be told."""
    if word in kbuild.opaque_words or word in seen:
        return None
    seen.add(word)
    listings = kbuild.listings.get(word, ())
    if not listings:
        return None  # not listed here (a parent lists it, or an explicit rule builds it)
    reasons: list[str] = []
    for listing in listings:
        if listing.off_block is not None:
            reasons.append(f"{listing.list_name} under {listing.off_block}")
            continue
        on = _switched_on(listing.switch, value_of, kbuild.own)
        if on is None:
            return None
        if listing.base == "obj":
            if on:
                return True
            reasons.append(f"{listing.list_name} with {_assigned(listing.switch, value_of)}")
            continue
        # A part of a composite object: built when its list is on and the composite is built.
        if not on:
            reasons.append(f"{listing.list_name} with {_assigned(listing.switch, value_of)}")
            continue
        composite = _object_verdict(kbuild, listing.base + ".o", value_of, seen)
        if composite is None or composite is True:
            return composite
        reasons.append(f"{listing.base}.o: {composite}")
    if kbuild.includes:
        return None  # an included file may list it too
    return reasons[0]


def _directory_verdict(folder: str, read: ReadFile, value_of: ValueOf, owner: object | None) -> str | None:
    """`not built: obj-$(CONFIG_X) += dir/ with X=n` when a folder up the chain is never descended into."""
    for _ in range(_MAX_CHAIN):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        kbuild = _folder_kbuild(parent, read, value_of, owner)
        if kbuild is None:
            return None
        word = os.path.basename(folder) + "/"
        if word in kbuild.opaque_words:
            return None
        listings = kbuild.listings.get(word, ())
        if not listings or any(listing.base != "obj" for listing in listings):
            return None  # reached another way (`core-y`, `subdir-y`, the top-level Makefile), or not at all
        switches = [
            False if listing.off_block is not None else _switched_on(listing.switch, value_of, kbuild.own)
            for listing in listings
        ]
        if any(on is None for on in switches):
            return None
        if not any(switches):
            if kbuild.includes:
                return None
            listing = listings[0]
            where = (
                f"under {listing.off_block}" if listing.off_block is not None else f"with {listing.switch}=n"
            )
            return f"not built: {listing.list_name} += {word} {where}"
        folder = parent
    return None
