"""KLS105 renamed-symbol: code or a config file uses a name that `sdkconfig.rename` replaced.

ESP-IDF keeps deprecated option names working: each component's
`sdkconfig.rename` maps `CONFIG_OLD` to `CONFIG_NEW` (or to `!CONFIG_NEW`
when the old option meant the opposite), and the build accepts the old name
in `sdkconfig` files and defines it in `sdkconfig.h` as an alias. A use of
the old name is therefore not undefined, but it will stop working when the
alias is dropped, and readers search for the new one. The finding names the
rename file and line; the quick fix rewrites the name (not offered for an
inverted renaming, where the value must be negated too).
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RelatedLocation, Rule, Severity, TextEdit
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.config_reference import ReferenceKind
from kconfig_ls.syntax.kconfig import Span


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    renamings = index.renamings
    if not renamings:
        return
    prefix = index.syntax.prefix
    workspace = context.model
    for old, renaming in renamings.items():
        if old in workspace.definitions:
            continue  # still defined by a Kconfig file: not only an alias
        where = f"{workspace.relative(renaming.path)}:{renaming.line + 1}"
        for reference in index.references.get(old, ()):
            if reference.kind == ReferenceKind.RENAME_TARGET:
                continue
            new = ("!" if renaming.inverted else "") + prefix + renaming.new
            fixes = []
            if not renaming.inverted and reference.kind not in (
                ReferenceKind.PHASE_ARGUMENT,
                ReferenceKind.MACRO_ARGUMENT,
            ):
                start = reference.span.start
                name_span = Span(start, start + len(prefix) + len(old))
                edit = TextEdit(Location(reference.path, name_span), prefix + renaming.new)
                fixes.append(Fix(f"Use {prefix}{renaming.new}", (edit,)))
            yield RULE.finding(
                f"{prefix}{old} was renamed to {new} ({where}); the old name is only an alias",
                Location(reference.path, reference.span),
                related=[RelatedLocation(f"{prefix}{old} -> {new}", Location(renaming.path, renaming.span))],
                fixes=fixes,
            )


RULE = Rule(
    code="KLS105",
    name="renamed-symbol",
    summary="a use of an old option name that sdkconfig.rename maps to a new one",
    default_severity=Severity.INFORMATION,
    check=check,
    documentation=__doc__ or "",
    # It reads the code index: its findings change with the code too (checks/incremental.py).
    scope="both",
)
