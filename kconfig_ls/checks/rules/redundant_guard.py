"""KLS206 redundant-guard: an `#if` on Kconfig symbols that always holds where it stands.

The seed review: "in migrate.c, we can remove the CONFIG_NUMA check as
both CONFIG_NUMA_MIGRATION and CONFIG_NUMA_BALANCING depend on it". Two
shapes are reported, decided by a SAT solver over the Kconfig logic of
every architecture that can build the file (as KLS207 dead-block: a file
under `arch/arm/` only on arm, any other on all of them), so a guard is
redundant only if it is redundant on each of them (`#ifdef CONFIG_X86` in a
file every architecture builds is not):

- the guard always holds given the enclosing `#if`s and the Makefile
  condition under which the file is built (`#ifdef CONFIG_NUMA` in a file
  listed in `obj-$(CONFIG_NUMA)`, through the directories above it);
- the guard encloses only `#if` blocks whose conditions each imply it.

C tests have their exact meaning: `#ifdef CONFIG_X` holds when X is y (not
m), `IS_ENABLED(CONFIG_X)` when X is y or m. Only blocks without `#else`
are judged (one that has one is KLS208 undead-block's), and what the
logic does not model is unknown, never guessed: other macros, arithmetic,
`IS_REACHABLE`, names the tree `#define`s itself, U-Boot's
`CONFIG_IS_ENABLED(X)` (X or SPL_X by build phase), and a file a Makefile
also names outside a `CONFIG_`-switched list. So removing a reported
guard never changes what is compiled.

Quick fix: remove the guard and its `#endif`. Preview: off unless
selected or configured; needs the code index (not with `--kconfig-only`).
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RelatedLocation, Rule, Severity, TextEdit
from kconfig_ls.checks.rules.dead_block import _cancelled, block_progress
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay


def check(context: CheckContext) -> Iterator[Finding]:
    return check_files(context, None)


def check_files(context: CheckContext, paths: frozenset[str] | None) -> Iterator[Finding]:
    """The findings of these C files (all the indexed ones when None): the per-file entry point."""
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
    overlay = context.overlay or FileOverlay()
    texts: dict[str, bytes] = {}
    for guard in analysis.findings:
        if guard.kind != "redundant":
            continue
        path = guard.location.path
        if path not in texts:
            try:
                texts[path] = overlay.read(path, MAX_CODE_FILE_SIZE) or b""
            except OSError:
                texts[path] = b""
        data = texts[path]
        edits = []
        for location in (guard.location, guard.endif):
            if location is not None:
                end = location.span.end + (
                    1 if data[location.span.end : location.span.end + 1] == b"\n" else 0
                )
                edits.append(TextEdit(Location(location.path, Span(location.span.start, end)), ""))
        related = (RelatedLocation("its #endif", guard.endif),) if guard.endif is not None else ()
        yield RULE.finding(
            guard.reason,
            guard.location,
            related=related,
            fixes=(Fix(f"remove the redundant '{guard.directive}' guard and its #endif", tuple(edits)),),
        )


RULE = Rule(
    code="KLS206",
    name="redundant-guard",
    summary="guard (#if) on Kconfig symbols that always holds where it stands",
    default_severity=Severity.INFORMATION,
    check=check,
    documentation=__doc__ or "",
    group="preview",
    tier="solver",
    # It reads the code index: its findings change with the code too (checks/incremental.py).
    scope="both",
    per_file=check_files,
)
