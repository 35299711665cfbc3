"""Plain-text explanations of the configuration logic, for hovers and messages.

menuconfig's help screen answers "why is MIGRATION on?" with its reverse
dependencies, each selector with the condition under which it selects:

    Selected by [y]:
      - COMPACTION [=y] && MMU [=y]

`reverse_dependency_lines` gives the same text without values (the hover
has no configuration): the selector, the select's own `if`, and the
selector's dependencies, so `select FOO if X86_64` in X86 reads
`X86 && X86_64`, and the reviewer's question ("does every selector of
MIGRATION depend on MMU?") is answered by reading one hover.
"""

from __future__ import annotations

from kconfig_ls.semantics.symbols import ReverseDependencySemantics, SymbolSemantics
from kconfig_ls.syntax.expression import Symbol, conjunction, render

__all__ = ["reverse_dependency_lines", "reverse_dependency_text"]


def reverse_dependency_text(reverse: ReverseDependencySemantics) -> str:
    """`SELECTOR && condition`, as menuconfig prints one term of a reverse dependency."""
    # The printer parenthesises a disjunction inside the conjunction.
    return render(conjunction(Symbol(reverse.selector), reverse.condition))


def reverse_dependency_lines(semantics: SymbolSemantics) -> dict[str, list[str]]:
    """`{"Selected by": [...], "Implied by": [...]}`, each line one selector (empty lists dropped)."""
    lines = {
        "Selected by": [reverse_dependency_text(r) for r in semantics.selected_by],
        "Implied by": [reverse_dependency_text(r) for r in semantics.implied_by],
    }
    return {heading: entries for heading, entries in lines.items() if entries}
