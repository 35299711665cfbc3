"""KLS001 select-visible: `select` of a symbol that has a prompt.

`kconfig-language.rst`: "In general use select only for non-visible
symbols (no prompts anywhere) and for symbols with no dependencies."
`select` forces the target on while ignoring the target's own `depends on`
and the user's choice in the target's prompt. The seed case: COMPACTION,
CMA and MEMORY_HOTREMOVE selected the user-visible MIGRATION
(`bool "Page migration"`); the fix made MIGRATION prompt-less and moved the
user-facing switch to a new NUMA_MIGRATION.

Linux 6.12 has about 5,100 selects of prompted symbols, almost all of them
harmless, so the rule asks the configuration logic (a SAT solver over every
architecture, see select-unmet-dependency, KLS201) whether the select can
force the target on while the target's dependencies are off:

- **warning**: it can, somewhere: the finding names the architectures and
  points to the KLS201 finding with the witness; only then does it add the
  note that the select ignores the target's dependencies, naming the part
  it leaves open: the unmet conjuncts, each without what the selector
  guarantees (U-Boot's ARCH_K3 selects SPL, which depends on `ARM &&
  ARCH_STM32MP || SUPPORT_SPL && !COMPILE_TEST`; ARCH_K3 selects
  SUPPORT_SPL and excludes ARCH_STM32MP, its choice sibling: the note
  names `!COMPILE_TEST`).
- **hint**: it cannot: the selector already guarantees the target's
  dependencies; the select only bypasses the user's prompt (a style
  matter). Hints are off on trees that select visible symbols by design
  (Buildroot, whose root is `Config.in`, documents this convention).
- **warning**, without advising `imply`: a select of a choice member,
  which has no effect at all (select-choice-member, KLS202, reports it as
  an error in the preview group).

Only the prompts the selector can see count (with the logic, for targets
defined more than once): a prompted definition counts if `selector && the
select's condition && its dependency && the prompt's condition` can hold
(`logic/prompt_visibility.py`). coreboot's boards define a symbol in each
board's `if BOARD_...` block, only some with a prompt; a board whose own
definition has none bypasses no prompt and gets no finding. The related
note cites a prompt the selector can see.

A select of a symbol that is not defined on the selector's architecture
(arm64's `select ARM_PSCI`, a symbol of arch/arm only) is not reported:
it forces nothing there and bypasses no prompt.

Without the logic layer (the editor, for now) the rule grades by syntax:
warning for an unconditional prompt, information for a conditional one
(`bool "Foo" if EXPERT`), hint when the selector already depends on the
target. Selects in files no world reaches (ESP-IDF's examples), which the
logic never sees, are graded the same way, except that a selector that
visibly guarantees the target's dependencies gets the logic's hint (each
conjunct is one of the selector's or of what the symbols it requires
require, or a disjunction holding one of those or the selector itself).

What to do instead: `depends on TARGET` (the user enables it), `imply TARGET`
(a default the user can override), or make the target prompt-less and add
a separate visible option (as the seed patch did). Re-grade the rule in
`[tool.kconfig-ls.rules]` (`select-visible = "error"`), or silence one select
with `# kconfig-ls: ignore[select-visible]` on its line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Final

from kconfig_ls.checks.framework import (
    CheckContext,
    Finding,
    RelatedLocation,
    Rule,
    Severity,
    SymbolChanges,
    SymbolEntryPoint,
)
from kconfig_ls.checks.rules.select_choice_member import (
    in_another_world,
    on_the_same_architecture,
    worlds_apart,
)
from kconfig_ls.checks.selector_facts import ChoiceMembers, SelectorFacts
from kconfig_ls.semantics.model import KconfigModel, Location, SymbolDefinition
from kconfig_ls.semantics.symbols import counts_in_world
from kconfig_ls.syntax.expression import TRUE, And, Expression, Or, Symbol, render
from kconfig_ls.syntax.kconfig import Prompt

if TYPE_CHECKING:
    from kconfig_ls.logic.prompt_visibility import PromptVisibility
    from kconfig_ls.logic.select_analysis import SelectAnalysis


def check(context: CheckContext) -> Iterator[Finding]:
    return _findings(context, context.model.selected_by)


_WHOLE_RULE_ABOVE: Final = 2000
"""Past this many changed symbols (an `if` around `source` lines), the whole rule is cheaper."""


def check_symbols(context: CheckContext, targets: frozenset[str]) -> Iterator[Finding]:
    """The findings about the selects of these targets (the per-symbol entry point)."""
    return _findings(context, (target for target in targets if target in context.model.selected_by))


def affected_symbols(changes: SymbolChanges) -> frozenset[str] | None:
    """The targets whose findings an edit may change: the changed symbols and their select targets.

    A finding is about one select of a target, and reads the target's
    definitions and the selector's (its name, dependency, place): a changed
    selector affects every target it selects, before or after the edit.
    A select is a use of its target, so a target whose uses changed is
    affected too (a select line that moved to another entry changes no
    meaning, but it changes where the finding is). With the logic layer,
    whose answers any edit may change, it cannot tell.
    """
    if changes.logic or len(changes.symbols) > _WHOLE_RULE_ABOVE:
        return None
    affected = set(changes.symbols) | changes.references
    for model in (changes.previous_model, changes.model):
        for name in changes.symbols:
            for definition in model.definitions.get(name, ()):
                affected.update(select.target for select in definition.selects)
    return frozenset(affected)


def _findings(context: CheckContext, targets: Iterable[str]) -> Iterator[Finding]:
    analysis: SelectAnalysis | None = None
    visibility: PromptVisibility | None = None
    if context.logic:
        from kconfig_ls.logic.prompt_visibility import prompt_visibility_for
        from kconfig_ls.logic.world_analysis import select_analysis_for

        analysis = select_analysis_for(context.model, context.cache_directory)
        visibility = prompt_visibility_for(context.model, context.cache_directory)
    by_design = context.model.settings.root_kconfig.endswith("Config.in")
    workspace = context.model
    # Keyed by id: the definitions live as long as the model this run reads.
    operands_by_selector: dict[int, frozenset[str]] = {}
    filtered_by_world = worlds_apart(workspace)
    choices = ChoiceMembers(workspace)
    for target in targets:
        selectors = workspace.selected_by[target]
        all_definitions = workspace.definitions.get(target)
        if not all_definitions:
            continue
        # A selector of the configured world sees the target's definitions in
        # that world (as its symbol table decides); a selector outside it
        # (another architecture's file) sees them all.
        world = [d for d in all_definitions if counts_in_world(d)]
        # Without worlds (architectures, targets) every selector in the world sees the same
        # definitions, and every other selector the same: each pair is listed once per target.
        seen_by: dict[bool, tuple[list[SymbolDefinition], list[tuple[SymbolDefinition, Prompt]]]] = {}
        for selector, select in selectors:
            sees = world if (counts_in_world(selector) and world) else all_definitions
            if filtered_by_world:
                definitions = on_the_same_architecture(workspace, selector, sees)
                prompted = [(d, p) for d in definitions for p in d.prompts]
            else:
                seen = seen_by.get(sees is world)
                if seen is None:
                    seen = seen_by[sees is world] = (list(sees), [(d, p) for d in sees for p in d.prompts])
                definitions, prompted = seen
            if not prompted:
                continue
            if (
                visibility is not None
                and analysis is not None
                and (selector.name, target, selector.path, select.span.start) in analysis.analysed
            ):
                # Only the prompts the selector can see (coreboot: other boards' `if BOARD_...`
                # blocks hold the only prompts of a symbol the board selects); none, no finding.
                prompted = [(d, p) for d, p in prompted if visibility.can_see(selector, select, d, p)]
                if not prompted:
                    continue
            unconditional = [(d, p) for d, p in prompted if p.condition is None and not d.visible_if]
            definition, prompt = unconditional[0] if unconditional else prompted[0]
            condition = _prompt_condition_text(definition, prompt.condition)
            if any(d.choice is not None for d in definitions):
                yield RULE.finding(
                    f'{selector.name} selects {target}, a choice member with a prompt ("{prompt.text}"'
                    f"{condition}); select has no effect on a choice member: use 'default {target}' "
                    "in the choice or 'depends on'",
                    Location(selector.path, select.span),
                    symbol=target,
                )
                continue
            if analysis is not None:
                key = (selector.name, target, selector.path, select.span.start)
                if key in analysis.unmet or key in analysis.analysed:
                    finding = _graded_by_logic(
                        analysis,
                        target,
                        key,
                        Location(selector.path, select.span),
                        definition,
                        prompt.text,
                        condition,
                        by_design,
                        partial(SelectorFacts, workspace, selector, select.condition, choices),
                    )
                    if finding is not None:
                        yield finding
                    continue
                if (not counts_in_world(selector) or not world) and in_another_world(workspace, selector):
                    # The logic looked at every select whose target is a bool or tristate outside
                    # a choice in the selector's world: this target is not defined there (arm64's
                    # ARCH_AIROHA selects ARM_PSCI, whose prompt is in arch/arm/Kconfig only), so
                    # the select forces nothing and bypasses no prompt. (A selector of the
                    # configured world whose target is defined there was added after the
                    # analysis: graded by syntax below, as are the selects of files no world reaches,
                    # which the logic never saw: a tree whose root is broken keeps its findings.)
                    continue
            guaranteed = False
            if target in _dependency_operands(selector, operands_by_selector):
                severity = Severity.HINT
                advice = f"the select is redundant: {selector.name} already depends on {target}"
            elif (
                # A select the logic did not grade (a file no world reaches: ESP-IDF's examples).
                analysis is not None
                and definition.direct_dependency() != TRUE
                and _guaranteed_syntactically(workspace, selector, select.condition, definition)
            ):
                if by_design:
                    continue
                guaranteed = True
                severity = Severity.HINT
                advice = (
                    f"the selector already guarantees {target}'s dependencies, so the select only bypasses "
                    f"the prompt: consider 'depends on {target}' or 'imply {target}'"
                )
            elif unconditional:
                severity = Severity.WARNING
                advice = f"use 'depends on {target}' or 'imply {target}', or make {target} prompt-less"
            else:
                severity = Severity.INFORMATION
                advice = f"the prompt is conditional; consider 'depends on {target}' or 'imply {target}'"
            message = (
                f'{selector.name} selects {target}, which has a prompt ("{prompt.text}"{condition}); {advice}'
            )
            related = [RelatedLocation(f"prompt of {target}", Location(definition.path, prompt.span))]
            if definition.dependencies and not guaranteed:
                own_dependency = render(definition.own_dependency())
                related.append(
                    RelatedLocation(
                        f"{target} depends on {own_dependency}, which the select ignores",
                        Location(definition.path, definition.dependencies[0].span),
                    )
                )
            yield RULE.finding(
                message,
                Location(selector.path, select.span),
                severity=severity,
                related=related,
                symbol=target,
            )


def _graded_by_logic(
    analysis: SelectAnalysis,
    symbol: str,
    key: tuple[str, str, str, int],
    location: Location,
    definition: SymbolDefinition,
    prompt_text: str,
    condition: str,
    by_design: bool,
    selector_facts: Callable[[], SelectorFacts],
) -> Finding | None:
    from kconfig_ls.checks.rules.select_unmet_dependency import open_dependency, world_list

    selector, target = key[0], key[1]
    unmet = analysis.unmet.get(key)
    prompt_location = RelatedLocation(
        f"prompt of {target}", Location(definition.path, definition.prompts[0].span)
    )
    if unmet is None:
        if by_design:
            return None
        return RULE.finding(
            f'{selector} selects {target}, which has a prompt ("{prompt_text}"{condition}); '
            f"the selector already guarantees {target}'s dependencies, so the select only bypasses "
            f"the prompt: consider 'depends on {target}' or 'imply {target}'",
            location,
            severity=Severity.HINT,
            related=(prompt_location,),
            symbol=symbol,
        )
    where = world_list(unmet.worlds)
    related = [prompt_location]
    if definition.dependencies:
        related.append(
            RelatedLocation(
                # Only the conjuncts the selector leaves open: U-Boot's DM_SERIAL depends on
                # `SERIAL && DM`, and the boards that select it select DM too.
                # And each disjunction simplified under what the selector guarantees (see
                # `checks/selector_facts.py`): U-Boot's SPL note is `!COMPILE_TEST`.
                f"{target} depends on {open_dependency(unmet, selector_facts())}, which the select ignores"
                + (f" on {where}" if where else ""),
                Location(definition.path, definition.dependencies[0].span),
            )
        )
    return RULE.finding(
        f'{selector} selects {target}, which has a prompt ("{prompt_text}"{condition}) and dependencies '
        f"the select can leave unmet{' on ' + where if where else ''} (see select-unmet-dependency); "
        f"use 'depends on {target}' or 'imply {target}'",
        location,
        severity=Severity.WARNING,
        related=related,
        symbol=symbol,
    )


def _dependency_operands(selector: SymbolDefinition, cache: dict[int, frozenset[str]]) -> frozenset[str]:
    """The symbols a selector's direct dependency requires as top-level operands (memoised per run:
    a selector with many selects would compute its dependency once per select)."""
    found = cache.get(id(selector))
    if found is None:
        dependency = selector.direct_dependency()
        operands = dependency.operands if isinstance(dependency, And) else (dependency,)
        found = cache[id(selector)] = frozenset(
            operand.name for operand in operands if isinstance(operand, Symbol)
        )
    return found


def _guaranteed_syntactically(
    workspace: KconfigModel,
    selector: SymbolDefinition,
    select_condition: Expression | None,
    definition: SymbolDefinition,
) -> bool:
    """Whether the selector, when on, visibly satisfies the prompted definition's dependency.

    The select analysis's prefilter (`select_analysis._implied_syntactically`: each conjunct
    of the dependency is a conjunct of the selector's condition), where the selector's
    condition also holds the dependencies of the symbols it requires (what all their
    definitions require; a select that forces one of those on without them is reported at
    that select, the first broken link: ESP-IDF's EXAMPLE_EXTENDED_ADV requires
    BT_NIMBLE_50_FEATURE_SUPPORT, which sits in the `menu` and `if` blocks of
    BT_NIMBLE_EXT_ADV), and a disjunction that holds the selector or one of those conjuncts
    (`depends on ... || EXAMPLE_CONNECT_THREAD`, selected by EXAMPLE_CONNECT_THREAD). Only
    for selects the logic did not grade (files no world reaches).
    """
    from kconfig_ls.logic.select_analysis import conjuncts

    parts: list[Expression] = [Symbol(selector.name), *conjuncts(selector.direct_dependency())]
    if select_condition is not None:
        parts.extend(conjuncts(select_condition))
    present = set(parts)
    expanded: set[str] = {selector.name}
    for _ in range(_REQUIRED_DEPTH):
        required = [part.name for part in present if isinstance(part, Symbol) and part.name not in expanded]
        for name in required:
            expanded.add(name)
            definitions = workspace.definitions.get(name, ())
            if definitions:
                # What every definition requires (the symbol's dependency is their OR).
                common = set(conjuncts(definitions[0].direct_dependency()))
                for other in definitions[1:]:
                    common &= set(conjuncts(other.direct_dependency()))
                present.update(common)
    dependency = definition.direct_dependency()
    return all(
        part in present or (isinstance(part, Or) and any(operand in present for operand in part.operands))
        for part in conjuncts(dependency)
    )


_REQUIRED_DEPTH: Final = 3
"""How many steps of "X requires Y, which requires Z" the syntactic grading follows."""


def _prompt_condition_text(definition: SymbolDefinition, condition: Expression | None) -> str:
    parts: list[str] = []
    if condition is not None:
        parts.append(f" if {render(condition)}")
    if definition.visible_if:
        parts.append(
            " in a menu visible if " + " && ".join(render(v.expression) for v in definition.visible_if)
        )
    return "".join(parts)


RULE = Rule(
    code="KLS001",
    name="select-visible",
    summary="select of a symbol that has a prompt",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    per_symbol=SymbolEntryPoint(affected_symbols, check_symbols),
    regraded_by_logic=True,
)
