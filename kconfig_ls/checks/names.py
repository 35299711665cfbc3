"""Finding names inside expressions, and "did you mean" suggestions.

Model references carry the span of a whole expression; messages and
editors want the span of the one name. Suggestions must be cheap on a
tree of 20,000 symbols, so candidates are first narrowed to names that
share an `_`-separated word (or the first four characters) with the
unknown one. On a tree whose names all share a prefix (Buildroot's
`BR2_PACKAGE_*`) that leaves thousands, so the answer is then found by
branch and bound over difflib's own upper bound (`quick_ratio`, the
shared characters counted as a multiset), counted for each candidate as
the common bits of two integers with one bit per (character, n-th
occurrence): the answer is
exactly `difflib.get_close_matches(unknown, candidates, n=1, cutoff=0.75)`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import or_

from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.syntax.kconfig import Span


def name_location(workspace: KconfigModel, location: Location, name: str) -> Location:
    """The span of `name` as a whole word inside `location`, or `location` itself."""
    data = workspace.text(location.path)
    if not data:
        return location
    window = data[location.span.start : location.span.end]
    match = re.search(rb"(?<![A-Za-z0-9_])" + re.escape(name.encode()) + rb"(?![A-Za-z0-9_])", window)
    if match is None:
        return location
    start = location.span.start + match.start()
    return Location(location.path, Span(start, start + len(name)))


CUTOFF = 0.75

# Below this many candidates difflib over all of them is cheaper than
# counting through the index.
_FEW_CANDIDATES = 200


class NameSuggester:
    """Close matches for a misspelt symbol name among the known ones."""

    def __init__(self, names: Iterable[str]) -> None:
        self._answers: dict[str, str | None] = {}
        # Occurrence masks (see `_mask`), made for the names asked about.
        self._masks: dict[str, int] = {}
        self._singles: dict[tuple[str, int], int] = {}
        self._bits: dict[tuple[str, int], int] = {}
        by_word: defaultdict[str, list[str]] = defaultdict(list)
        by_prefix: defaultdict[str, list[str]] = defaultdict(list)
        for name in names:
            for word in set(name.split("_")):
                if word:
                    by_word[word].append(name)
            # One-word typos (MIGRATON) share no whole word: match by prefix too.
            by_prefix[name[:4]].append(name)
        # Plain dictionaries from here on: a lookup of a missing word must not add it.
        self._by_word: dict[str, list[str]] = dict(by_word)
        self._by_prefix: dict[str, list[str]] = dict(by_prefix)

    def suggest(self, unknown: str) -> str | None:
        """The closest known name (difflib, cutoff 0.75), memoised: an edit re-runs the rules that
        suggest for the same unknown names again, and one answer costs up to 0.1 s of difflib on
        a tree whose names share their words (Buildroot's `BR2_PACKAGE_*`)."""
        if unknown in self._answers:
            return self._answers[unknown]
        answer = self._suggest(unknown)
        self._answers[unknown] = answer
        return answer

    def _suggest(self, unknown: str) -> str | None:
        candidates: set[str] = set(self._by_prefix.get(unknown[:4], ()))
        for word in set(unknown.split("_")):
            bucket = self._by_word.get(word)
            if bucket is not None and len(bucket) < 5000:
                candidates.update(bucket)
        if not candidates:
            return None
        if len(candidates) < _FEW_CANDIDATES:
            matches = difflib.get_close_matches(unknown, sorted(candidates), n=1, cutoff=CUTOFF)
            return matches[0] if matches else None
        return self._best_by_bound(unknown, candidates)

    def _best_by_bound(self, unknown: str, candidates: set[str]) -> str | None:
        """The candidate of highest (difflib ratio, name) at or above the cutoff, as
        `get_close_matches` chooses it, asking difflib only while a candidate's upper
        bound can still beat the best ratio found."""
        masks = self._masks
        unknown_mask = self._mask(unknown)
        total = len(unknown)
        for name in candidates:
            if name not in masks:
                self._mask(name)
        # difflib's quick_ratio, computed as difflib computes it, for every candidate at once.
        bounds = [
            (2.0 * (unknown_mask & masks[name]).bit_count() / (total + len(name)), name)
            for name in candidates
        ]
        bounded = [item for item in bounds if item[0] >= CUTOFF]
        bounded.sort(reverse=True)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(unknown)
        best: tuple[float, str] | None = None
        for bound, name in bounded:
            if best is not None and bound < best[0]:
                break  # neither this bound nor any later one reaches the best ratio
            matcher.set_seq1(name)
            if matcher.real_quick_ratio() < CUTOFF:
                continue
            ratio = matcher.ratio()
            if ratio >= CUTOFF and (best is None or (ratio, name) > best):
                best = (ratio, name)
        return best[1] if best is not None else None

    def _mask(self, name: str) -> int:
        """One bit per (character, n-th occurrence) of `name`: two names share as many bits
        as difflib's quick_ratio counts matching characters (a multiset intersection)."""
        pairs = Counter(name).items()
        bits = self._bits
        try:
            # One C-level pass once every (character, count) pair has its bits (most names).
            mask = reduce(or_, map(bits.__getitem__, pairs), 0)
        except KeyError:
            for pair in pairs:
                if pair not in bits:
                    self._allocate(pair)
            mask = reduce(or_, map(bits.__getitem__, pairs), 0)
        self._masks[name] = mask
        return mask

    def _allocate(self, pair: tuple[str, int]) -> None:
        """The bits of every occurrence of a character up to `count`, each allocated once."""
        character, count = pair
        bit = 0
        for occurrence in range(1, count + 1):
            single = self._singles.get((character, occurrence))
            if single is None:
                single = self._singles[(character, occurrence)] = 1 << len(self._singles)
            bit |= single
        self._bits[pair] = bit


_SUGGESTERS: list[tuple[frozenset[str], NameSuggester]] = []


def suggester_for(names: Iterable[str]) -> NameSuggester:
    """The suggester over these names, kept while they stay the same (most edits define none).

    Building it for Linux's 18,000 names costs tens of milliseconds, and its
    memoised answers are what an incremental run asks again.
    """
    key = frozenset(names)
    cached = _SUGGESTERS[-1] if _SUGGESTERS else None
    if cached is not None and cached[0] == key:
        return cached[1]
    suggester = NameSuggester(key)
    _SUGGESTERS[:] = [(key, suggester)]
    return suggester


def forget_suggesters() -> None:
    """Drop the kept suggester and its answers (a benchmark's run as a new process would)."""
    _SUGGESTERS.clear()
