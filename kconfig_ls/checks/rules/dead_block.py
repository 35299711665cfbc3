"""KLS207 dead-block: an `#if` branch of C or assembly that can never be compiled, on any architecture.

Its condition can never hold given what encloses it: the enclosing `#if`s
and the Makefile condition under which the file is built
(`obj-$(CONFIG_X) += foo.o`, through the directories above it; a file
under `arch/arm/` is built on arm only). A SAT solver decides it over the
Kconfig logic of every architecture at once: a branch is reported only
if it is dead on every architecture that can build the file, and the
message names them when that is not all of them. The cause is named, as
undertaker classifies dead blocks:

- the C structure alone (`#ifdef CONFIG_X` inside `#ifndef CONFIG_X`);
- a guard on a symbol that no Kconfig file of those architectures
  defines (a symbol no Kconfig defines at all is KLS101's finding, and is
  not judged here);
- the Kconfig model (`#ifdef CONFIG_X` inside `#ifndef CONFIG_Y`, where X
  depends on Y);
- the Makefile condition.

Only blocks whose conditions test Kconfig symbols are judged (not `#if 0`,
include guards, `#ifdef __KERNEL__`); `IS_REACHABLE`, arithmetic, other
macros and the symbols a file `#define`s itself are unknown, never
guessed. Only the outermost dead branch is reported.

What to do: remove the dead code, or fix the condition (a misspelt or
inverted test, a dependency that changed). Quick fix: remove the dead
block (or branch; a dead first branch before an `#else` leaves the
`#else` body unconditional, one before an `#elif` makes that the `#if`).
Preview: off unless selected or configured; needs the code index (not
with `--kconfig-only`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RelatedLocation, Rule, Severity, TextEdit
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span

if TYPE_CHECKING:
    from kconfig_ls.logic.dead_blocks import BlockFinding


def check(context: CheckContext) -> Iterator[Finding]:
    return check_files(context, None)


def check_files(context: CheckContext, paths: frozenset[str] | None) -> Iterator[Finding]:
    """The findings of these code files (all the indexed ones when None): the per-file entry point."""
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.block_analysis import block_analysis_for

    if context.code_index is None:
        return
    analysis = block_analysis_for(
        context.model,
        context.code_index,
        context.overlay,
        context.cache_directory,
        _cancelled(context),
        paths=paths,
        progress=block_progress(context),
    )
    for finding in analysis.findings:
        if finding.kind == "dead":
            related = (RelatedLocation("its #endif", finding.endif),) if finding.endif is not None else ()
            yield RULE.finding(finding.reason, finding.location, related=related, fixes=block_fixes(finding))


def block_fixes(finding: BlockFinding) -> tuple[Fix, ...]:
    """The finding's quick fix as edits of its file (none when it has none)."""
    if not finding.fix_edits:
        return ()
    path = finding.location.path
    edits = tuple(TextEdit(Location(path, Span(start, end)), text) for start, end, text in finding.fix_edits)
    return (Fix(finding.fix_title, edits),)


def block_progress(context: CheckContext) -> Callable[[str], None] | None:
    """The block analysis's progress lines as the context's progress (the server's), if any."""
    report = context.progress
    return None if report is None else (lambda message: report(message, None))


def _cancelled(context: CheckContext) -> Callable[[], bool] | None:
    token = context.cancellation
    return None if token is None else (lambda: token.cancelled)


RULE = Rule(
    code="KLS207",
    name="dead-block",
    summary="dead #if branch: never compiled on any architecture that builds the file",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="solver",
    scope="both",
    group="preview",
    per_file=check_files,
)
