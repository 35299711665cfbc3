"""`Span`, a half-open range of UTF-8 byte offsets, in a module of its own.

The Kconfig syntax tree's nodes (`kconfig.nodes`, which re-exports it) and the code
index's references both carry spans. Kept in the nodes' module, the class made a warm
code index's first query (`PackedReferences` decodes `CodeReference` rows, each with
its `Span`) import the whole Kconfig syntax and expressions, which it has no use for.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["Span"]


class Span(NamedTuple):
    """A half-open range of UTF-8 byte offsets into one file.

    A named tuple rather than a frozen dataclass: the Linux tree creates
    ~250,000 spans, and a tuple is several times cheaper to build.
    """

    start: int
    end: int
