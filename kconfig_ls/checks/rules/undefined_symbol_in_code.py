"""KLS101 undefined-symbol-in-code: `CONFIG_X` in C, a Makefile or a config file, and no Kconfig defines X.

The guard `#ifdef CONFIG_FOO` of a symbol that was renamed or removed is
silently false: the code inside is never built. The same holds for
`IS_ENABLED(CONFIG_FOO)`, `obj-$(CONFIG_FOO)`, a `CONFIG_FOO=y` line in a
defconfig and `if(CONFIG_FOO)` in a `CMakeLists.txt`. The message suggests
the closest defined symbol.

Which `CONFIG_` identifiers count is decided by the scanners' policy
(`kconfig_ls/syntax/config_reference.py`): enum members, register names,
declared names, token pasting, macro parameters and names the file defines
itself do not. A name that some file of the tree defines itself is not
reported either: a `#define CONFIG_X` (also a fallback `#ifndef CONFIG_X` /
`#define CONFIG_X 8` for a knob no Kconfig defines), a Make variable the
build assigns (`CONFIG_SHELL := sh`) or passes to the compiler
(`-DCONFIG_SPL_BUILD`, U-Boot's build phases), nor a family written with a
trailing `_` (`CONFIG_PREEMPT_*` in a comment). Folders with a `CONFIG_`
namespace of their own are not indexed (`code-exclude`, by default the
ecosystem's: Linux `tools/`, U-Boot `tools/` and `dts/upstream`, ...).

Each ecosystem's spelling is understood (`kconfig_ls/settings/ecosystem.py`):
U-Boot's `CONFIG_IS_ENABLED(X)`, `CONFIG_VAL(X)` and `CONFIG_$(PHASE_)X` name
X or its phase variant (`SPL_X`, `TPL_X`, `VPL_X`), and count as defined
when any of them is; coreboot's `CONFIG(X)` names X; Buildroot's names are
`BR2_X` (in its Makefiles an undefined `BR2_` name is a build variable such
as `BR2_EXTERNAL`, so only its defconfigs are judged); ESP-IDF's old names
from `sdkconfig.rename` are aliases, reported by `renamed-symbol` instead;
Zephyr's sysbuild names its own tree's symbols `SB_CONFIG_X` (`sysbuild.conf`,
CMake), judged against sysbuild's own model (which lint, query and the server
load beside the main one), never against the main tree's X; Zephyr's
`DT_HAS_<compat>_ENABLED` come from the build folder's devicetree and are
never reported, nor are the board symbols of the boards a
`board.yml` names (`BOARD_QEMU_X86`, `BOARD_NRF52840DK_NRF52840`), which only
a build for that board defines; uses inside folders built as projects of their own
with components the tree does not hold (ESP-IDF's `examples/`, Zephyr's
`samples/`) are not judged. Symbols defined only in Kconfig files the root does not reach are reported by
`other-architecture-symbol` instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.checks.names import NameSuggester, suggester_for
from kconfig_ls.semantics.code_index import CodeReference, describe_reference_kind
from kconfig_ls.semantics.code_names import nested_tree_prefix
from kconfig_ls.semantics.model import Location
from kconfig_ls.syntax.config_reference import ReferenceKind


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    definitions = context.model.definitions
    defined_in_code = index.defined_in_code
    renamings = index.renamings
    ecosystem = index.ecosystem
    syntax = index.syntax
    # Named choices are symbols too (ESP-IDF renames `choice ESP_WIFI_TASK_CORE_ID`).
    choice_names = {
        site.entry.name
        for choices in context.model.choices_by_file.values()
        for site in choices
        if site.entry.name
    }
    # The tree's settings add names only some builds define (Zephyr's board targets).
    unknown_patterns = [re.compile(pattern) for pattern in context.model.settings.unknown_symbols]

    def _is_unknown(symbol: str) -> bool:
        return any(pattern.fullmatch(symbol) for pattern in unknown_patterns)

    # A nested tree's names (Zephyr's sysbuild `SB_CONFIG_X`, keyed as spelled) are checked
    # against that tree's own model (`CodeIndex.nested_view`), never against this one.
    nested_keys = tuple(syntax.nested_prefixes() - {syntax.prefix})
    suggester: NameSuggester | None = None
    for symbol, references in index.references.items():
        if (
            symbol in definitions
            or (nested_keys and symbol.startswith(nested_keys))
            or symbol in defined_in_code
            or symbol.endswith("_")
            or symbol in choice_names
        ):
            # A trailing `_` is a family in prose (`#endif /* CONFIG_PREEMPT_* */`).
            continue
        if symbol in renamings or ecosystem.is_unknown_symbol(symbol) or _is_unknown(symbol):
            continue
        unresolved = [
            r
            for r in references
            if not _phase_variant_defined(r, ecosystem.phase_variants, definitions)
            and not (
                ecosystem.project_folders and ecosystem.in_project_folder(context.model.relative(r.path))
            )
            and not (ecosystem.make_names_may_be_variables and r.kind in _MAKE_KINDS)
            # `CONFIG_X_MODULE` is symbol X tested for `m` unless X_MODULE is a symbol itself
            # (Zephyr's `ZEPHYR_HAL_NORDIC_MODULE`, one per west module).
            and not (r.module_suffix and symbol + "_MODULE" in definitions)
        ]
        if not unresolved:
            continue
        if suggester is None:
            suggester = suggester_for(definitions)
        suggestion = suggester.suggest(symbol)
        for reference in unresolved:
            bare = reference.kind in (ReferenceKind.PHASE_ARGUMENT, ReferenceKind.MACRO_ARGUMENT)
            # A nested tree's code spells X with its own prefix (libpayload's `CONFIG_LP_X`, `CONFIG(LP_X)`).
            nested = nested_tree_prefix(syntax, reference.path) if syntax.folder_prefixes else ""
            # A bare macro argument (`CONFIG_IS_ENABLED(X)`) is named, and corrected, bare.
            lead = nested if bare else ("" if syntax.prefix_in_symbol else syntax.prefix + nested)
            identifier = lead + symbol + ("_MODULE" if reference.module_suffix and not bare else "")
            hint = f"; did you mean {lead}{suggestion}?" if suggestion else ""
            where = describe_reference_kind(reference.kind)
            yield RULE.finding(
                f"{identifier} in {where}: no Kconfig file defines {symbol}{hint}",
                Location(reference.path, reference.span),
            )


_MAKE_KINDS = frozenset(
    {
        ReferenceKind.MAKE_SWITCHED_LIST,
        ReferenceKind.MAKE_VARIABLE,
        ReferenceKind.MAKE_CONDITIONAL,
        ReferenceKind.MAKE_WORD,
        ReferenceKind.MAKE_ASSIGNMENT,
    }
)


def _phase_variant_defined(
    reference: CodeReference, variants: Callable[[str], tuple[str, ...]], definitions: Container[str]
) -> bool:
    """A phase reference (`CONFIG_IS_ENABLED(X)`) is defined when X or one of `SPL_X`, ... is."""
    if reference.kind != ReferenceKind.PHASE_ARGUMENT:
        return False
    return any(name in definitions for name in variants(reference.symbol))


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
