"""Content fingerprints of findings, so a finding is recognised after its line moves.

`--diff`, `--baseline` and SARIF's `partialFingerprints` all need to say
"this is the same finding as before" when the lines above it changed. Line
numbers cannot be part of that identity; what stays put is the rule, the
file, the symbol the finding is about, its message (with line numbers taken
out: `opened at line 12` becomes `opened at line #`), and the text around it.

An identity keeps two hashes of text: the finding's own line, and the line
with its neighbours. Matching (`match_identities`) first pairs findings whose
neighbourhood is unchanged, then those whose own line is unchanged (an edit
next to a finding does not make it new), then those that moved to another
file with the same line. Everything is compared as multisets, so two equal
findings in one file match two equal findings, not one.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "FindingIdentity",
    "IdentityMaker",
    "LineLocator",
    "Matching",
    "match_identities",
    "new_identity",
    "normalise_message",
    "slot_setters",
]

# Line numbers in messages: "line 12", "lines 3-7", and "path:12:4" positions.
_LINE_NUMBER: Final = re.compile(
    r"\b(lines?) \d+(?:\s*(?:-|to|and)\s*\d+)?|(\.\w+|Kconfig[\w.-]*|Makefile|defconfig):\d+(?::\d+)?"
)
_MAYBE_LINE_NUMBER: Final = re.compile(r"lines? \d|:\d")
_SYMBOL_TEXT: Final = re.compile(rb"[A-Za-z0-9_]+")
_sha1: Final = hashlib.sha1


class LineLocator:
    """Line numbers of offsets in one file, counted on demand.

    A report asks for a few lines of each of thousands of files (60 MB for
    the kernel's findings); indexing every line start of every file costs
    more than the rest of the report. Newlines are counted in C
    (`bytes.count`) from the nearest offset asked before, so findings in
    file order cost a scan of each file at most once.
    """

    __slots__ = ("_lines", "_offsets", "data")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._offsets = [0]
        self._lines = [0]

    def line_of(self, offset: int) -> int:
        """0-based line that contains the byte offset."""
        data = self.data
        if offset < 0:
            offset = 0
        elif offset > len(data):
            offset = len(data)
        offsets = self._offsets
        last_offset = offsets[-1]
        if offset >= last_offset:
            # Past every offset asked before (findings come in file order): count on from the last.
            line = self._lines[-1] + data.count(b"\n", last_offset, offset)
            if offset != last_offset:
                offsets.append(offset)
                self._lines.append(line)
            return line
        position = bisect_right(offsets, offset) - 1
        known_offset = self._offsets[position]
        line = self._lines[position] + self.data.count(b"\n", known_offset, offset)
        if offset != known_offset:
            self._offsets.insert(position + 1, offset)
            self._lines.insert(position + 1, line)
        return line

    def line_start(self, offset: int) -> int:
        return self.data.rfind(b"\n", 0, offset) + 1

    def neighbourhood(self, offset: int) -> tuple[bytes, bytes, bytes]:
        """The line around `offset` and the lines before and after it (without line endings)."""
        data = self.data
        start = data.rfind(b"\n", 0, offset) + 1
        end = data.find(b"\n", offset)
        if end < 0:
            end = len(data)
        previous = data[data.rfind(b"\n", 0, start - 1) + 1 : start - 1] if start > 0 else b""
        if end < len(data):
            following_end = data.find(b"\n", end + 1)
            following = data[end + 1 : following_end if following_end >= 0 else len(data)]
        else:
            following = b""
        return previous, data[start:end], following


@dataclass(frozen=True, slots=True)
class FindingIdentity:
    """What a finding is, independent of where its line is.

    `path` is relative to the project root with `/` separators; `symbol`
    is the text the finding's span covers when that is one identifier
    (`CONFIG_` prefix kept), else empty.
    """

    rule_code: str
    path: str
    symbol: str
    message: str
    line_hash: str
    context_hash: str

    @property
    def fingerprint(self) -> str:
        """A short stable hash of the whole identity, for SARIF and baselines."""
        key = "\0".join((self.rule_code, self.path, self.symbol, self.message, self.context_hash))
        return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]

    def to_json(self) -> dict[str, str]:
        return {
            "rule": self.rule_code,
            "path": self.path,
            "symbol": self.symbol,
            "message": self.message,
            "line_hash": self.line_hash,
            "context_hash": self.context_hash,
        }

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> FindingIdentity:
        return cls(
            str(item["rule"]),
            str(item["path"]),
            str(item["symbol"]),
            str(item["message"]),
            str(item["line_hash"]),
            str(item["context_hash"]),
        )


def normalise_message(message: str, project_root: str) -> str:
    """The message without line numbers and without the project's absolute path."""
    if project_root and project_root in message:
        message = message.replace(project_root.rstrip("/") + "/", "")
    # Every match of `_LINE_NUMBER` holds "line 1", "lines 1" or ":1"; this search is ten times
    # cheaper than the substitution, and most messages (colons in prose) have none.
    if _MAYBE_LINE_NUMBER.search(message) is None:
        return message
    return _LINE_NUMBER.sub(_without_number, message)


def _without_number(match: re.Match[str]) -> str:
    return f"{match.group(1)} #" if match.group(1) else f"{match.group(2)}:#"


class IdentityMaker:
    """Computes identities for many findings, reading and indexing each file once.

    `read_text(path)` returns a file's bytes (b"" when unreadable);
    `relative(path)` the project-relative path.
    """

    def __init__(self, read_text: Callable[[str], bytes], relative: Callable[[str], str], project_root: str):
        self._read_text = read_text
        self._relative = relative
        self._project_root = project_root
        self._locators: dict[str, LineLocator] = {}
        self._relative_paths: dict[str, str] = {}
        self._line_hashes: dict[tuple[str, int], tuple[str, str]] = {}
        self._messages: dict[str, str] = {}

    def locator(self, path: str) -> LineLocator:
        locator = self._locators.get(path)
        if locator is None:
            locator = self._locators[path] = LineLocator(self._read_text(path))
        return locator

    def relative(self, path: str) -> str:
        relative = self._relative_paths.get(path)
        if relative is None:
            relative = self._relative_paths[path] = self._relative(path).replace("\\", "/")
        return relative

    def identity(self, rule_code: str, message: str, path: str, start: int, end: int) -> FindingIdentity:
        locator = self.locator(path)
        line = locator.line_of(start)
        line_start = locator.data.rfind(b"\n", 0, start) + 1
        relative = self.relative(path)
        return self.identity_in(locator, relative, line, line_start, rule_code, message, start, end)

    def identity_in(
        self,
        locator: LineLocator,
        relative: str,
        line: int,
        line_start: int,
        rule_code: str,
        message: str,
        start: int,
        end: int,
    ) -> FindingIdentity:
        """`identity` when the caller already holds the file's locator, the 0-based line and its start."""
        data = locator.data
        key = (relative, line)
        hashes = self._line_hashes.get(key)
        if hashes is None:
            # `neighbourhood`, inlined (it runs once per finding); `split()` drops `\r` and
            # every other run of whitespace.
            line_end = data.find(b"\n", start)
            if line_end < 0:
                line_end = len(data)
            own = b" ".join(data[line_start:line_end].split())
            previous = (
                b" ".join(data[data.rfind(b"\n", 0, line_start - 1) + 1 : line_start - 1].split())
                if line_start > 0
                else b""
            )
            if line_end < len(data):
                following_end = data.find(b"\n", line_end + 1)
                following = b" ".join(
                    data[line_end + 1 : following_end if following_end >= 0 else len(data)].split()
                )
            else:
                following = b""
            hashes = self._line_hashes[key] = (
                _sha1(own).hexdigest()[:16],
                _sha1(b"%b\n%b\n%b" % (previous, own, following)).hexdigest()[:16],
            )
        covered = data[start:end]
        symbol = covered.decode("utf-8", "replace") if _SYMBOL_TEXT.fullmatch(covered) else ""
        normalised = self._messages.get(message)
        if normalised is None:
            normalised = self._messages[message] = normalise_message(message, self._project_root)
        return new_identity(rule_code, relative, symbol, normalised, hashes[0], hashes[1])


@dataclass(frozen=True, slots=True)
class Matching:
    """Which of the `after` findings have a partner in `before`, and which `before` ones do not.

    Indexes refer to the sequences given to `match_identities`.
    """

    unmatched_after: tuple[int, ...]
    unmatched_before: tuple[int, ...]

    @property
    def new(self) -> tuple[int, ...]:
        return self.unmatched_after

    @property
    def resolved(self) -> tuple[int, ...]:
        return self.unmatched_before


_PASSES: Final[tuple[Callable[[FindingIdentity], tuple[str, ...]], ...]] = (
    lambda i: (i.rule_code, i.path, i.symbol, i.message, i.context_hash),
    lambda i: (i.rule_code, i.path, i.symbol, i.message, i.line_hash),
    lambda i: (i.rule_code, i.symbol, i.message, i.line_hash),
)


def match_identities(before: Sequence[FindingIdentity], after: Sequence[FindingIdentity]) -> Matching:
    """Pair equal findings of two runs (multiset matching, strictest key first)."""
    left_before = list(range(len(before)))
    left_after = list(range(len(after)))
    for key in _PASSES:
        waiting: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for position in left_before:
            waiting[key(before[position])].append(position)
        for partners in waiting.values():
            partners.reverse()  # pop() then takes them in file order
        still_after = []
        for position in left_after:
            candidates = waiting.get(key(after[position]))
            if candidates:
                candidates.pop()
            else:
                still_after.append(position)
        taken_before = set(left_before) - {p for partners in waiting.values() for p in partners}
        left_before = [p for p in left_before if p not in taken_before]
        left_after = still_after
    return Matching(tuple(left_after), tuple(left_before))


def slot_setters(cls: type, names: Sequence[str]) -> tuple[Callable[[object, object], None], ...]:
    """The C setters of a slotted class's fields (what a frozen dataclass's `__init__` goes around)."""
    return tuple(cls.__dict__[name].__set__ for name in names)


_new_object: Final = object.__new__
(
    _set_identity_rule,
    _set_identity_path,
    _set_identity_symbol,
    _set_identity_message,
    _set_identity_line_hash,
    _set_identity_context_hash,
) = slot_setters(FindingIdentity, ("rule_code", "path", "symbol", "message", "line_hash", "context_hash"))


def new_identity(
    rule_code: str, path: str, symbol: str, message: str, line_hash: str, context_hash: str
) -> FindingIdentity:
    """`FindingIdentity(...)` at a third of the cost, for the report's one per finding.

    A frozen dataclass's generated `__init__` sets each field through
    `object.__setattr__`; this sets the slots with their C descriptors. The
    result is the same frozen, hashable value.
    """
    identity: FindingIdentity = _new_object(FindingIdentity)
    _set_identity_rule(identity, rule_code)
    _set_identity_path(identity, path)
    _set_identity_symbol(identity, symbol)
    _set_identity_message(identity, message)
    _set_identity_line_hash(identity, line_hash)
    _set_identity_context_hash(identity, context_hash)
    return identity


def fingerprints_with_ordinals(identities: Iterable[FindingIdentity]) -> list[str]:
    """Fingerprints made unique within one run by an ordinal (`hash:1`, `hash:2`, ...)."""
    seen: dict[str, int] = defaultdict(int)
    result = []
    for identity in identities:
        fingerprint = identity.fingerprint
        seen[fingerprint] += 1
        result.append(f"{fingerprint}:{seen[fingerprint]}")
    return result
