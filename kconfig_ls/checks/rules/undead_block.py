"""KLS208 undead-block: an `#if` condition that always holds where it stands, on every architecture.

Given the enclosing `#if`s and the Makefile condition under which the
file is built (through the directories above it; a file under
`arch/arm/` only on arm), the condition holds in every configuration of
every architecture that can build the file: the guard is noise, and any
`#elif`/`#else` after it is never compiled. Decided by a SAT solver over
the Kconfig logic of all architectures at once; the cause is named (the
C structure, the Kconfig model, the Makefile condition, or a symbol no
Kconfig file of those architectures defines).

Only blocks with an `#elif` or `#else` after the branch are reported:
a single-branch guard that always holds is KLS206 redundant-guard's
finding (its `#else`-less guard can simply go), not repeated here.
Unknown tests (`IS_REACHABLE`, arithmetic, other macros, names the file
defines itself, a symbol no Kconfig defines at all) are never guessed.

What to do: remove the guard (and the dead `#else` branch with it).
Quick fix: remove the always-true condition keeping its body, and the
branches after it (an always-true `#elif` becomes `#else`).
Preview: off unless selected or configured; needs the code index.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.checks.rules.dead_block import _cancelled, block_fixes, block_progress


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
        if finding.kind == "undead":
            related = (RelatedLocation("its #endif", finding.endif),) if finding.endif is not None else ()
            yield RULE.finding(finding.reason, finding.location, related=related, fixes=block_fixes(finding))


RULE = Rule(
    code="KLS208",
    name="undead-block",
    summary="undead #if condition: always holds on every architecture that builds the file",
    default_severity=Severity.INFORMATION,
    check=check,
    documentation=__doc__ or "",
    tier="solver",
    scope="both",
    group="preview",
    per_file=check_files,
)
