"""The plain records the code index answers with: uses, lying comments and renamings.

Apart from `code_index` so that `code_index_cache` and the rules can name
them without the index itself, and because they are the index's public
vocabulary: every client (rules, hovers, rename) reads these and nothing
of the per-file entries they are decoded from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from kconfig_ls.syntax.span import Span

__all__ = ["CodeReference", "CommentMismatch", "Renaming"]


@dataclass(frozen=True, slots=True)
class Renaming:
    """An old name that ESP-IDF's `sdkconfig.rename` maps to a new one (still accepted as an alias).

    `inverted` for `CONFIG_OLD !CONFIG_NEW`: the old option meant the opposite.
    `span` covers `CONFIG_OLD` in the rename file.
    """

    old: str
    new: str
    inverted: bool
    path: str
    span: Span
    line: int


class CodeReference(NamedTuple):
    """A use of Kconfig symbol `symbol` in a C, Makefile or config file.

    A named tuple rather than a frozen dataclass: the reference table of a
    tree is built from the entries on first use (145,000 for Linux, 440,000
    for one hostile header), and a tuple is several times cheaper to build.

    `kind` is a `ReferenceKind` value (`condition`, `is_enabled_call`, `code`,
    `directive_comment`, `make_object_list`, `config_assignment`, ...);
    `span` covers the whole `CONFIG_...` identifier, except for the kinds
    `macro_argument` and `phase_argument` (`CONFIG_IS_ENABLED(X)`, `CONFIG(X)`,
    `CONFIG_$(PHASE_)X`), where it covers the bare name X, and for Buildroot,
    where the `BR2_` prefix is part of the symbol's name.
    """

    symbol: str
    path: str
    span: Span
    line: int
    kind: str
    module_suffix: bool

    @property
    def spelled_prefix_length(self) -> int:
        """Bytes of the span before the name: 7 for `CONFIG_X`, 10 for a nested tree's `SB_CONFIG_X`
        (Zephyr's sysbuild), 0 for a bare macro argument or a Buildroot name."""
        suffix = len("_MODULE") if self.module_suffix else 0
        return max(0, self.span[1] - self.span[0] - len(self.symbol) - suffix)


@dataclass(frozen=True, slots=True)
class CommentMismatch:
    """An `#else`/`#endif`/`#elif` comment naming a symbol its block does not test.

    `block_symbols` are the symbols the block's conditions test, `opening_line`
    is the 0-based line of its `#if`; `block_has_else` says the block has an
    `#else` (an `#endif` comment may then name the `#else` branch's condition).
    """

    path: str
    directive_kind: str
    named_symbol: str
    identifier_span: Span
    line: int
    block_symbols: tuple[str, ...]
    opening_line: int
    opening_text: str
    opening_span: Span
    block_has_else: bool = False
