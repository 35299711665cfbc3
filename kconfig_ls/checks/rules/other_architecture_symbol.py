"""KLS103 other-architecture-symbol: code uses a symbol that only other architectures define.

With `arch = "x86"`, `#ifdef CONFIG_ARM_LPAE` in a shared driver is not a
typo: `arch/arm/Kconfig` defines it, and for an x86 build the block is
simply never compiled. Such uses are reported apart from undefined symbols,
as hints, naming where the symbol is defined; uses in other architectures'
own folders (`arch/arm/...`) are not reported at all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.semantics.model import Location


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    workspace = context.model
    arch_root = os.path.join(workspace.root, "arch") + os.sep
    for symbol, references in index.references.items():
        definitions = workspace.definitions.get(symbol)
        if not definitions or any(d.reached for d in definitions):
            continue
        first = definitions[0]
        where = f"{workspace.relative(first.path)}:{workspace.line_of(first.location) + 1}"
        definition_arch = _arch_of(first.path, arch_root)
        for reference in references:
            reference_arch = _arch_of(reference.path, arch_root)
            if reference_arch is not None and reference_arch == definition_arch:
                continue
            yield RULE.finding(
                f"CONFIG_{symbol} is defined only for other architectures ({where}); "
                "this code is not built for the configured one",
                Location(reference.path, reference.span),
                related=[RelatedLocation(f"definition of {symbol}", first.location)],
            )


def _arch_of(path: str, arch_root: str) -> str | None:
    if not path.startswith(arch_root):
        return None
    return path[len(arch_root) :].split(os.sep, 1)[0]


RULE = Rule(
    code="KLS103",
    name="other-architecture-symbol",
    summary="code uses a symbol that only other architectures' Kconfig files define",
    default_severity=Severity.HINT,
    check=check,
    documentation=__doc__ or "",
    tier="tree",
    scope="code",
)
