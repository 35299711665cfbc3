"""KLS104 code-file-problem: a C, Makefile or config file that cannot be read as it should.

Reported: `#if` blocks never closed, an `#endif`/`#else`/`#elif` without a
block, `#elif` after `#else`, conditions that do not parse, malformed lines
in configuration files, and files that are skipped (binary content, larger
than 16 MB, unreadable). The rest of the file, and of the tree, is still
indexed: one broken block does not hide the references around it.

The `#if` structure is read in the C files that name a symbol: a file with
no `CONFIG_` identifier of its own (no `CONFIG_` at all, or only inside
other names, as in amdgpu's 2,059 register headers) is not scanned, since
nothing in it can switch on a Kconfig symbol.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    for path, start, end, _line, message in index.problems():
        yield RULE.finding(message, Location(path, Span(start, end)))


RULE = Rule(
    code="KLS104",
    name="code-file-problem",
    summary="unbalanced #if blocks, malformed config lines, and code files that are skipped",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="file",
    scope="code",
)
