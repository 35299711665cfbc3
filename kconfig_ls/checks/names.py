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
        self._by_word: dict[str, list[str]] = {}
        self._by_prefix: dict[str, list[str]] = {}
        for name in names:
            for word in set(name.split("_")):
                if word:
                    self._by_word.setdefault(word, []).append(name)
            # One-word typos (MIGRATON) share no whole word: match by prefix too.
            self._by_prefix.setdefault(name[:4], []).append(name)

    def suggest(self, unknown: str) -> str | None:
        candidates: set[str] = set(self._by_prefix.get(unknown[:4], ()))
        for word in set(unknown.split("_")):
            bucket = self._by_word.get(word)
            if bucket is not None and len(bucket) < 5000:
                candidates.update(bucket)
        if not candidates:
            return None
        matches = difflib.get_close_matches(unknown, sorted(candidates), n=1, cutoff=0.75)
        return matches[0] if matches else None
