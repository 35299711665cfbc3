"""Finding names inside expressions, and "did you mean" suggestions.

Model references carry the span of a whole expression; messages and
editors want the span of the one name. Suggestions must be cheap on a
tree of 20,000 symbols, so candidates are first narrowed to names that
share an `_`-separated word with the unknown one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

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


class NameSuggester:
    """Close matches for a misspelt symbol name among the known ones."""

    def __init__(self, names: Iterable[str]) -> None:
        self._answers: dict[str, str | None] = {}
        self._by_word: dict[str, list[str]] = {}
        self._by_prefix: dict[str, list[str]] = {}
        for name in names:
            for word in set(name.split("_")):
                if word:
                    self._by_word.setdefault(word, []).append(name)
            # One-word typos (MIGRATON) share no whole word: match by prefix too.
            self._by_prefix.setdefault(name[:4], []).append(name)

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
        matches = difflib.get_close_matches(unknown, sorted(candidates), n=1, cutoff=0.75)
        return matches[0] if matches else None


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
