"""KLS101 undefined-symbol-in-code: `CONFIG_X` in C, a Makefile or a config file, and no Kconfig defines X.

The guard `#ifdef CONFIG_FOO` of a symbol that was renamed or removed is
silently false: the code inside is never built. The same holds for
`IS_ENABLED(CONFIG_FOO)`, `obj-$(CONFIG_FOO)` and a `CONFIG_FOO=y` line in a
defconfig. The message suggests the closest defined symbol.

Which `CONFIG_` identifiers count is decided by the scanners' policy
(`kconfig_ls/syntax/config_reference.py`): enum members, register names,
token pasting, macro parameters and names the file defines itself do not.
A name that some file of the tree `#define`s (rather than Kconfig) is not
reported either, nor a family written with a trailing `_` (`CONFIG_PREEMPT_*`
in a comment). Folders with a `CONFIG_` namespace of their own are not indexed
(`code-exclude`; for Linux by default `tools/`, whose perf and BPF selftests
use feature flags such as `CONFIG_LIBBPF` that no Kconfig defines). Symbols
defined only in other architectures' Kconfig files are reported by
`other-architecture-symbol` instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.checks.names import NameSuggester
from kconfig_ls.semantics.code_index import describe_reference_kind
from kconfig_ls.semantics.model import Location


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    definitions = context.model.definitions
    defined_in_code = index.defined_in_code
    suggester: NameSuggester | None = None
    for symbol, references in index.references.items():
        if symbol in definitions or symbol in defined_in_code or symbol.endswith("_"):
            # A trailing `_` is a family in prose (`#endif /* CONFIG_PREEMPT_* */`).
            continue
        if suggester is None:
            suggester = NameSuggester(definitions)
        suggestion = suggester.suggest(symbol)
        hint = f"; did you mean CONFIG_{suggestion}?" if suggestion else ""
        for reference in references:
            identifier = "CONFIG_" + symbol + ("_MODULE" if reference.module_suffix else "")
            where = describe_reference_kind(reference.kind)
            yield RULE.finding(
                f"{identifier} in {where}: no Kconfig file defines {symbol}{hint}",
                Location(reference.path, reference.span),
            )


RULE = Rule(
    code="KLS101",
    name="undefined-symbol-in-code",
    summary="a CONFIG_X in C, Makefiles or config files where no Kconfig file defines X",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="tree",
    scope="code",
)
