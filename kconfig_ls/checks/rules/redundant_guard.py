"""KLS206 redundant-guard: an `#if` on Kconfig symbols that always holds where it stands.

The seed review: "in migrate.c, we can remove the CONFIG_NUMA check as
both CONFIG_NUMA_MIGRATION and CONFIG_NUMA_BALANCING depend on it". Two
shapes are reported, decided by a SAT solver on the configured world's
Kconfig logic:

- the guard always holds given the enclosing `#if`s and the Makefile
  condition under which the file is built (`#ifdef CONFIG_NUMA` in a file
  listed in `obj-$(CONFIG_NUMA)`, through the directories above it);
- the guard encloses only `#if` blocks whose conditions each imply it.

C tests have their exact meaning: `#ifdef CONFIG_X` holds when X is y (not
m), `IS_ENABLED(CONFIG_X)` when X is y or m. Only blocks without `#else`
are judged, and other macros are unknown, so removing a reported guard
never changes what is compiled in this configuration world.

Quick fix: remove the guard and its `#endif`. Preview: off unless
selected or configured; needs the code index (not with `--kconfig-only`).
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RelatedLocation, Rule, Severity, TextEdit
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.expression import TRUE, render
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay

if TYPE_CHECKING:
    from kconfig_ls.logic.guard_checks import GuardChecker


def check(context: CheckContext) -> Iterator[Finding]:
    return check_files(context, None)


def check_files(context: CheckContext, paths: frozenset[str] | None) -> Iterator[Finding]:
    """The findings of these C files (all the indexed ones when None): the per-file entry point."""
    if context.code_index is None:
        return
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.guards import makefile_condition

    root = context.model.root
    texts: dict[str, bytes | None] = {}

    overlay = context.overlay or FileOverlay()

    def read(path: str) -> bytes | None:
        # Through the overlay: an open buffer's text, else a bounded regular-file read.
        if path not in texts:
            try:
                texts[path] = overlay.read(path, MAX_CODE_FILE_SIZE)
            except OSError:
                texts[path] = None
        return texts[path]

    files = []
    for path in sorted(context.code_index.entries if paths is None else paths):
        if not path.endswith((".c", ".h")) or path not in context.code_index.entries:
            continue
        data = read(path)
        if data is None or b"#if" not in data or b"CONFIG_" not in data:
            continue
        condition = makefile_condition(path, root, read) if path.endswith(".c") else TRUE
        makefile = os.path.relpath(os.path.join(os.path.dirname(path), "Makefile"), root)
        text = f"the file is only built when {render(condition)} ({makefile})"
        files.append((path, data, condition, text))
    if not files:
        return
    for guard in _guards().redundant_guards(context.model, files):
        edits = []
        for location in (guard.location, guard.endif):
            if location is not None:
                data = texts.get(location.path) or b""
                end = location.span.end + (
                    1 if data[location.span.end : location.span.end + 1] == b"\n" else 0
                )
                edits.append(TextEdit(Location(location.path, Span(location.span.start, end)), ""))
        related = (RelatedLocation("its #endif", guard.endif),) if guard.endif is not None else ()
        yield RULE.finding(
            guard.reason,
            guard.location,
            related=related,
            fixes=(Fix(f"remove the redundant '{guard.condition}' guard and its #endif", tuple(edits)),),
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


_GUARDS: list[GuardChecker] = []
"""The configured world's formula, kept while the Kconfig model stays the same (C edits)."""


def _guards() -> GuardChecker:
    """The one `GuardChecker`, made on first use (it loads the SAT solver)."""
    if not _GUARDS:
        from kconfig_ls.logic.guard_checks import GuardChecker

        _GUARDS.append(GuardChecker())
        # Dropped before the interpreter tears the modules down: pysat is imported after this
        # module now, so it would be gone first and its solver's `__del__` would fail.
        atexit.register(_GUARDS.clear)
    return _GUARDS[0]
