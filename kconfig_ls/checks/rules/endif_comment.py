"""KLS102 endif-comment-mismatch: an `#else`/`#endif` comment names a symbol its block does not test.

Kernel style closes long blocks with the condition as a comment:
`#endif /* CONFIG_MIGRATION */`. When a guard is rewritten and the comment is
not (the seed patch fixed such comments by hand when `CONFIG_MIGRATION`
guards became `CONFIG_NUMA_MIGRATION`), the comment lies to every reader.
The rule compares each `CONFIG_` name in the comment of an `#else`, `#elif`
or `#endif` with the symbols tested by the block's `#if` and `#elif` lines.

Not reported, because the comment is then a fair summary rather than a lie:
a name related to a tested symbol within two steps of `depends on`,
`select` or (for a symbol without a prompt) its default value, in either
direction (`#endif /* CONFIG_KASAN */` after `#if defined(CONFIG_KASAN_GENERIC)`,
which depends on KASAN; `#endif /* CONFIG_IOMMU_SVA */` after `#ifdef
CONFIG_IOMMU_MM_DATA`, which IOMMU_SVA selects; a prompt-less symbol that
only the tested ones select), a block switched off by
renaming its test (`#ifdef CONFIG_PPC_PMAC__disabled`), and, after `#else`, a member of the same
`choice` as a tested symbol (`#else /* CONFIG_ISA_ARCV2 */` after
`#ifdef CONFIG_ISA_ARCOMPACT`: the other option of the choice) or a symbol
that is the tested one's negation by the Kconfig model (`#else /*
CONFIG_X86_64 */` after `#ifdef CONFIG_X86_32`: X86_32 depends on `!64BIT`,
X86_64 on `64BIT`; PPC32 defaults to `y if !PPC64`; ESP-IDF's
`IDF_TARGET_ESP32C3` and `IDF_TARGET_ESP32S3` default to `y` for two values
of `IDF_TARGET`; two symbols that default to `y` for disjoint members of one
choice). A named choice summarises its members. The same holds for an
`#endif` comment after a block with an `#else`: it may name the last
branch's condition (`#else` ... `#endif /* CONFIG_X86_64 */`). What the tested symbol itself selects is
no summary: the seed patch's `#ifdef CONFIG_NUMA_MIGRATION` ... `#endif /*
CONFIG_MIGRATION */` (NUMA_MIGRATION selects MIGRATION) and `#ifdef
CONFIG_PM_SLEEP` ... `#endif /* CONFIG_PM */` are comments left behind when a
guard was narrowed (on Linux 6.12 this adds 6 findings to 47). Comments that
abbreviate a family (`CONFIG_PREEMPT_*`, `CONFIG_FOO...`, `CONFIG_XXX_DEBUG`,
`CONFIG_M68x328` for M68328, M68EZ328 and M68VZ328) are not judged, nor
a build phase's variant of a tested symbol (U-Boot: `CONFIG_SPL_MMC_WRITE`
after `#if CONFIG_IS_ENABLED(MMC_WRITE)`), nor after `#else` a name that
differs from a tested one only in its trailing number (`#ifdef CONFIG_MX28`
... `#else /* CONFIG_MX23 */`: the other variant), nor
comments of blocks that test no Kconfig symbol at all (`#ifndef
__powerpc64__` ... `#else /* CONFIG_PPC64 */`: a paraphrase the rule cannot
check). Measured on Linux 6.12: 148 raw mismatches, of which these
exceptions remove the summaries and alternatives.

A comment gets one finding however many wrong names it has (ESP-IDF's
`#endif //CONFIG_SPIRAM_FETCH_INSTRUCTIONS && CONFIG_SPIRAM_RODATA` after
`#if CONFIG_SPIRAM_XIP_FROM_PSRAM`): the message names them all.

Quick fix: when the block tests exactly one symbol, replace the name in the
comment with it (several wrong names with only operators between them, as
`defined(CONFIG_PM) || defined(CONFIG_CPU_FREQ)`, become that one name).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RelatedLocation, Rule, Severity, TextEdit
from kconfig_ls.semantics.code_records import CommentMismatch
from kconfig_ls.semantics.model import KconfigModel, Location, SymbolDefinition
from kconfig_ls.syntax.expression import (
    TRUE,
    And,
    Compare,
    Constant,
    Expression,
    Not,
    Or,
    Symbol,
    referenced_symbols,
)
from kconfig_ls.syntax.kconfig import ChoiceEntry, ConfigEntry, IfBlock, Span
from kconfig_ls.vfs.overlay import FileOverlay


def check(context: CheckContext) -> Iterator[Finding]:
    index = context.code_index
    if index is None:
        return
    workspace = context.model
    # One finding per comment, naming all its wrong names: ESP-IDF's
    # `#endif //CONFIG_SPIRAM_FETCH_INSTRUCTIONS && CONFIG_SPIRAM_RODATA` is one lie, not two.
    by_comment: dict[tuple[str, int, str], list[CommentMismatch]] = {}
    for mismatch in index.comment_mismatches():
        if _is_wrong(workspace, mismatch, index.ecosystem.phase_prefixes):
            by_comment.setdefault((mismatch.path, mismatch.line, mismatch.directive_kind), []).append(
                mismatch
            )
    overlay = context.overlay or FileOverlay()
    for mismatches in by_comment.values():
        yield _finding(overlay, mismatches)


def _is_wrong(workspace: KconfigModel, mismatch: CommentMismatch, phase_prefixes: tuple[str, ...]) -> bool:
    """Whether the comment's name is a lie, not one of the summaries and alternatives the docs list."""
    if not mismatch.block_symbols:
        return False  # a paraphrase of a non-Kconfig test (`__powerpc64__`): nothing to check against
    alternative_allowed = mismatch.directive_kind == "else" or (
        mismatch.directive_kind == "endif" and mismatch.block_has_else
    )
    if _is_fair_summary(workspace, mismatch.named_symbol, mismatch.block_symbols, alternative_allowed):
        return False
    if _matches_family(mismatch.named_symbol, mismatch.block_symbols):
        return False
    if _phase_variant(mismatch.named_symbol, mismatch.block_symbols, phase_prefixes):
        return False
    if alternative_allowed and _numbered_sibling(mismatch.named_symbol, mismatch.block_symbols):
        return False
    # `#ifdef CONFIG_PPC_PMAC__disabled` ... `#endif /* CONFIG_PPC_PMAC */`: switched off.
    return not any(
        symbol.startswith(mismatch.named_symbol + "_") and symbol not in workspace.definitions
        for symbol in mismatch.block_symbols
    )


def _finding(overlay: FileOverlay, mismatches: list[CommentMismatch]) -> Finding:
    """The finding of one comment, whose wrong names are `mismatches` (in the order of the text)."""
    mismatches = sorted(mismatches, key=lambda mismatch: mismatch.identifier_span.start)
    first, last = mismatches[0], mismatches[-1]
    names = [f"CONFIG_{mismatch.named_symbol}" for mismatch in mismatches]
    named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    tested = ", ".join(f"CONFIG_{s}" for s in first.block_symbols) or "no Kconfig symbol"
    fixes = []
    if len(first.block_symbols) == 1:
        replacement = f"CONFIG_{first.block_symbols[0]}"
        # Replace the symbol names only, keeping a `_MODULE` suffix or `!` around them; several
        # wrong names become one when only operators stand between them
        # (`defined(CONFIG_PM) || defined(CONFIG_CPU_FREQ)`).
        start = first.identifier_span.start
        end = last.identifier_span.start + len("CONFIG_") + len(last.named_symbol)
        if len(mismatches) == 1 or _only_operators_between(overlay, mismatches):
            edit = TextEdit(Location(first.path, Span(start, end)), replacement)
            fixes.append(Fix(f"Change the comment to {replacement}", (edit,)))
    return RULE.finding(
        f"#{first.directive_kind} comment names {named}, but the block "
        f"opened at line {first.opening_line + 1} ({first.opening_text}) tests {tested}",
        Location(first.path, Span(first.identifier_span.start, last.identifier_span.end)),
        related=[
            RelatedLocation(
                f"the block opens here: {first.opening_text}",
                Location(first.path, first.opening_span),
            )
        ],
        fixes=fixes,
    )


_OPERATORS_ONLY = re.compile(rb"(?:[\s&|!()]|defined)*")


def _only_operators_between(overlay: FileOverlay, mismatches: list[CommentMismatch]) -> bool:
    """Whether only `&&`, `||`, `!`, parentheses, `defined` and blanks stand between the names.

    The text is read through the overlay (the index keeps none); a file that
    no longer holds the names where the index saw them gets no fix.
    """
    first, last = mismatches[0], mismatches[-1]
    text = overlay.read_or_empty(first.path)[first.identifier_span.start : last.identifier_span.end]
    offset = first.identifier_span.start
    for mismatch in mismatches:
        span = mismatch.identifier_span
        if not text[span.start - offset : span.end - offset].startswith(
            b"CONFIG_" + mismatch.named_symbol.encode()
        ):
            return False
    for before, after in itertools.pairwise(mismatches):
        gap = text[before.identifier_span.end - offset : after.identifier_span.start - offset]
        if _OPERATORS_ONLY.fullmatch(gap) is None:
            return False
    return True


def _is_fair_summary(
    workspace: KconfigModel, named: str, tested: tuple[str, ...], alternative_allowed: bool
) -> bool:
    """The named symbol summarises a tested one, or (after `#else`) is its alternative."""
    named_definitions = workspace.definitions.get(named)
    if not named_definitions:
        # A named choice summarises its members (`#endif // CONFIG_BOOTLOADER_VDDSDIO_BOOST`
        # after `#if CONFIG_BOOTLOADER_VDDSDIO_BOOST_1_9V`).
        return any(symbol in _choice_members(workspace, named) for symbol in tested)
    if _only_selected_by(workspace, named_definitions, set(tested)):
        return True
    named_literals = _enabling_literals(named_definitions)
    for symbol in tested:
        definitions = workspace.definitions.get(symbol)
        if not definitions:
            continue
        # A select from the tested symbol to the named one is no summary: the seed's
        # `#ifdef CONFIG_NUMA_MIGRATION` ... `#endif /* CONFIG_MIGRATION */`, NUMA_MIGRATION
        # selecting MIGRATION, is the comment its guard's rewrite left behind.
        pair = (symbol, named)
        if named in _related_names(workspace, symbol, pair):
            return True
        if symbol in _related_names(workspace, named, pair):
            return True
        if not alternative_allowed:
            continue
        if _choices(definitions) & _choices(named_definitions):
            return True
        if _complementary(named, named_literals, symbol, _enabling_literals(definitions)):
            return True
        if _exclusive_by_value(named_definitions, definitions) or _exclusive_by_choice(
            workspace, named_definitions, definitions
        ):
            return True
    return False


def _only_selected_by(workspace: KconfigModel, named: list[SymbolDefinition], tested: set[str]) -> bool:
    """The named symbol has neither prompt nor default and only tested symbols select it: it is
    their disjunction (`#else /* !CONFIG_VIRT_CPU_ACCOUNTING */` after `#if
    defined(CONFIG_VIRT_CPU_ACCOUNTING_NATIVE)` ... `#elif defined(CONFIG_VIRT_CPU_ACCOUNTING_GEN)`)."""
    if any(definition.prompts or definition.defaults for definition in named):
        return False
    selectors = {selector.name for selector, _ in workspace.selected_by.get(named[0].name, ())}
    if not selectors & tested:
        return False
    # Another selector is no other case when it forces the choice onto a tested member
    # (S390 selects VIRT_CPU_ACCOUNTING, and the only other member, TICK_CPU_ACCOUNTING,
    # depends on !S390).
    return all(_forces_a_tested_member(workspace, other, tested) for other in selectors - tested)


def _forces_a_tested_member(workspace: KconfigModel, selector: str, tested: set[str]) -> bool:
    """With `selector` on, the (non-optional) choice of the tested symbols can only pick one of
    them: every other member depends on `!selector` (a conjunct of its dependency)."""
    excluded = Not(Symbol(selector))
    for name in tested:
        for definition in workspace.definitions.get(name, ()):
            choice = definition.choice
            if choice is None or any(option == "optional" for option, _ in choice.options):
                continue
            others = _member_names(choice) - tested
            if others and all(
                definitions and all(excluded in _conjuncts_of(d.direct_dependency()) for d in definitions)
                for definitions in (workspace.definitions.get(other, []) for other in others)
            ):
                return True
    return False


def _member_names(choice: ChoiceEntry) -> set[str]:
    names: set[str] = set()
    stack: list[object] = list(choice.children)
    while stack:
        node = stack.pop()
        if isinstance(node, ConfigEntry):
            names.add(node.name)
        elif isinstance(node, IfBlock):
            stack.extend(node.children)
    return names


def _conjuncts_of(expression: Expression) -> tuple[Expression, ...]:
    return expression.operands if isinstance(expression, And) else (expression,)


def _single_true_default(definitions: list[SymbolDefinition]) -> Expression | None:
    """The condition of a promptless symbol's only `default y if CONDITION`, when all agree."""
    conditions = []
    for definition in definitions:
        if definition.prompts or len(definition.defaults) != 1:
            return None
        default = definition.defaults[0]
        if not isinstance(default.value, Constant) or default.value.value != "y" or default.condition is None:
            return None
        conditions.append(default.condition)
    return conditions[0] if conditions and all(c == conditions[0] for c in conditions) else None


def _exclusive_by_value(named: list[SymbolDefinition], tested: list[SymbolDefinition]) -> bool:
    """`default y if IDF_TARGET="esp32c3"` against `="esp32s3"`: one variable, two values."""
    first, second = _single_true_default(named), _single_true_default(tested)
    if not (isinstance(first, Compare) and isinstance(second, Compare)):
        return False
    if first.operator != "=" or second.operator != "=" or first.left != second.left:
        return False
    return (
        isinstance(first.right, Constant)
        and isinstance(second.right, Constant)
        and first.right != second.right
    )


def _exclusive_by_choice(
    workspace: KconfigModel, named: list[SymbolDefinition], tested: list[SymbolDefinition]
) -> bool:
    """Each is `default y if` some members of one choice, and they share none (ESP-IDF's
    FREERTOS_SYSTICK_USES_CCOUNT and _SYSTIMER, from the FREERTOS_CORETIMER choice)."""
    first, second = _single_true_default(named), _single_true_default(tested)
    if first is None or second is None:
        return False
    first_members, second_members = _symbol_operands(first), _symbol_operands(second)
    if not first_members or not second_members or first_members & second_members:
        return False
    choices = set()
    for member in first_members | second_members:
        member_choices = _choices(workspace.definitions.get(member, []))
        if len(member_choices) != 1:
            return False
        choices |= member_choices
    return len(choices) == 1


def _symbol_operands(expression: Expression) -> set[str]:
    """The names of `A || B || C` (or of `A`); empty for anything else."""
    if isinstance(expression, Symbol):
        return {expression.name}
    if isinstance(expression, Or) and all(isinstance(o, Symbol) for o in expression.operands):
        return {o.name for o in expression.operands if isinstance(o, Symbol)}
    return set()


def _enabling_literals(definitions: list[SymbolDefinition]) -> set[tuple[str, bool]]:
    """(symbol, polarity) pairs every definition requires: top-level conjuncts of its
    dependencies, and for a promptless symbol with one `default y if C`, of C too."""
    literals: set[tuple[str, bool]] | None = None
    for definition in definitions:
        found: set[tuple[str, bool]] = set()
        _add_conjuncts(definition.direct_dependency(), found)
        if not definition.prompts and len(definition.defaults) == 1:
            default = definition.defaults[0]
            if default.value == TRUE and default.condition is not None:
                _add_conjuncts(default.condition, found)
            elif default.condition is None and definition.type_name == "bool":
                _add_conjuncts(default.value, found)  # `def_bool !64BIT`
        literals = found if literals is None else literals & found
    return literals or set()


def _add_conjuncts(expression: Expression, found: set[tuple[str, bool]]) -> None:
    if isinstance(expression, And):
        for operand in expression.operands:
            _add_conjuncts(operand, found)
    elif isinstance(expression, Symbol):
        found.add((expression.name, True))
    elif isinstance(expression, Not) and isinstance(expression.operand, Symbol):
        found.add((expression.operand.name, False))


def _complementary(
    named: str, named_literals: set[tuple[str, bool]], tested: str, tested_literals: set[tuple[str, bool]]
) -> bool:
    """Whether the two symbols exclude each other: one requires the other off, or they
    require one symbol with opposite values (X86_32 needs `!64BIT`, X86_64 needs `64BIT`)."""
    if (tested, False) in named_literals or (named, False) in tested_literals:
        return True
    return any((name, not polarity) in tested_literals for name, polarity in named_literals)


def _matches_family(named: str, tested: tuple[str, ...]) -> bool:
    """A lowercase `x` stands for a family, on either side: `M68x328` for M68328 and
    M68EZ328, `MVME16x` for MVME162 and MVME167."""
    return any(_family_match(named, symbol) or _family_match(symbol, named) for symbol in tested)


def _phase_variant(named: str, tested: tuple[str, ...], phase_prefixes: tuple[str, ...]) -> bool:
    """U-Boot: `CONFIG_SPL_MMC_WRITE` in the comment of `#if CONFIG_IS_ENABLED(MMC_WRITE)`."""
    for prefix in phase_prefixes:
        if named.startswith(prefix) and named[len(prefix) :] in tested:
            return True
        if any(symbol == prefix + named for symbol in tested):
            return True
    return False


_TRAILING_NUMBER = re.compile(r"(.*?[A-Za-z_])([0-9]+)")


def _numbered_sibling(named: str, tested: tuple[str, ...]) -> bool:
    """After `#else`: a name differing only in its trailing number names the other
    variant (`#ifdef CONFIG_MX28` ... `#else /* CONFIG_MX23 */`, DDR4 and DDR3)."""
    named_match = _TRAILING_NUMBER.fullmatch(named)
    if named_match is None:
        return False
    for symbol in tested:
        match = _TRAILING_NUMBER.fullmatch(symbol)
        if (
            match is not None
            and match.group(1) == named_match.group(1)
            and match.group(2) != named_match.group(2)
        ):
            return True
    return False


def _family_match(family: str, member: str) -> bool:
    if "x" not in family or family.lower() == family or family == member:
        return False
    pattern = "".join("[A-Za-z0-9]*" if c == "x" else re.escape(c) for c in family)
    return re.fullmatch(pattern, member) is not None


_RELATION_DEPTH = 2


def _related_names(workspace: KconfigModel, name: str, unrelated_select: tuple[str, str]) -> set[str]:
    """Symbols a comment may summarise `name` by: what it depends on, selects, or (without a
    prompt) defaults from, followed two steps (`PM_SLEEP` depends on `SUSPEND`, which needs
    `PM`; `IOMMU_SVA` selects `IOMMU_MM_DATA`; `PNPACPI` defaults to `PNP && ACPI`).

    `unrelated_select` (selector, target) is one select edge that does not count: a block
    testing the selector says nothing of the target it pulls in (see `_is_fair_summary`)."""
    selector_name, target_name = unrelated_select
    found: set[str] = set()
    frontier = {name}
    for _ in range(_RELATION_DEPTH):
        following: set[str] = set()
        for current in frontier:
            for definition in workspace.definitions.get(current, ()):
                following.update(referenced_symbols(definition.direct_dependency()))
                following.update(
                    select.target
                    for select in definition.selects
                    if not (current == selector_name and select.target == target_name)
                )
                if not definition.prompts:
                    for default in definition.defaults:
                        following.update(referenced_symbols(default.value))
            for selector, _ in workspace.selected_by.get(current, ()):
                if not (current == target_name and selector.name == selector_name):
                    following.add(selector.name)
        frontier = following - found
        found |= following
    return found


def _choice_members(workspace: KconfigModel, name: str) -> set[str]:
    members: set[str] = set()
    for choices in workspace.choices_by_file.values():
        for site in choices:
            choice = site.entry
            if choice.name == name:
                members.update(child.name for child in choice.children if isinstance(child, ConfigEntry))
    return members


def _choices(definitions: list[SymbolDefinition]) -> set[int]:
    return {id(definition.choice) for definition in definitions if definition.choice is not None}


RULE = Rule(
    code="KLS102",
    name="endif-comment-mismatch",
    summary="an #else/#endif comment that names a symbol the block does not test",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    tier="tree",
    scope="both",
)
