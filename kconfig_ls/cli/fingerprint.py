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
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add
from typing import Any, Final

from kconfig_ls.text.line_index import LineIndex

__all__ = [
    "FindingIdentity",
    "IdentityMaker",
    "Matching",
    "match_identities",
    "normalise_message",
]

# Line numbers in messages: "line 12", "lines 3-7", and "path:12:4" positions.
_LINE_NUMBER: Final = re.compile(
    r"\b(lines?) \d+(?:\s*(?:-|to|and)\s*\d+)?|(\.\w+|Kconfig[\w.-]*|Makefile|defconfig):\d+(?::\d+)?"
)
_SYMBOL_TEXT: Final = re.compile(rb"[A-Za-z0-9_]+")


def fast_line_index(data: bytes) -> LineIndex:
    """A `LineIndex` whose line starts are summed in C (the constructor's loop costs 10x more)."""
    index = LineIndex(b"")
    index.data = data
    lengths = map(add, map(len, data.split(b"\n")), repeat(1))
    starts = list(accumulate(lengths, initial=0))
    starts.pop()  # the sum after the last line is one past the end
    index.line_starts = starts or [0]
    return index


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
    if "line" not in message and ":" not in message:
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
        self._indexes: dict[str, LineIndex] = {}
        self._relative_paths: dict[str, str] = {}
        self._line_hashes: dict[tuple[str, int], tuple[str, str]] = {}

    def line_index(self, path: str) -> LineIndex:
        index = self._indexes.get(path)
        if index is None:
            index = self._indexes[path] = fast_line_index(self._read_text(path))
        return index

    def relative(self, path: str) -> str:
        relative = self._relative_paths.get(path)
        if relative is None:
            relative = self._relative_paths[path] = self._relative(path).replace("\\", "/")
        return relative

    def identity(self, rule_code: str, message: str, path: str, start: int, end: int) -> FindingIdentity:
        index = self.line_index(path)
        return self.identity_in(
            index, self.relative(path), index.line_of(start), rule_code, message, start, end
        )

    def identity_in(
        self, index: LineIndex, relative: str, line: int, rule_code: str, message: str, start: int, end: int
    ) -> FindingIdentity:
        """`identity` when the caller already holds the file's index and the 0-based line."""
        hashes = self._line_hashes.get((relative, line))
        if hashes is None:
            starts, data = index.line_starts, index.data
            count = len(starts)
            # `split()` drops the line ending with the other whitespace.
            own = b" ".join(data[starts[line] : starts[line + 1] if line + 1 < count else None].split())
            previous = b" ".join(data[starts[line - 1] : starts[line]].split()) if line > 0 else b""
            following = (
                b" ".join(data[starts[line + 1] : starts[line + 2] if line + 2 < count else None].split())
                if line + 1 < count
                else b""
            )
            hashes = self._line_hashes[(relative, line)] = (
                hashlib.sha1(own).hexdigest()[:16],
                hashlib.sha1(b"\n".join((previous, own, following))).hexdigest()[:16],
            )
        covered = index.data[start:end]
        symbol = covered.decode("utf-8", "replace") if _SYMBOL_TEXT.fullmatch(covered) else ""
        return FindingIdentity(
            rule_code, relative, symbol, normalise_message(message, self._project_root), hashes[0], hashes[1]
        )


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


def fingerprints_with_ordinals(identities: Iterable[FindingIdentity]) -> list[str]:
    """Fingerprints made unique within one run by an ordinal (`hash:1`, `hash:2`, ...)."""
    seen: dict[str, int] = defaultdict(int)
    result = []
    for identity in identities:
        fingerprint = identity.fingerprint
        seen[fingerprint] += 1
        result.append(f"{fingerprint}:{seen[fingerprint]}")
    return result
