"""Which prompts of a selected symbol the selector can ever see (select-visible, KLS001).

coreboot's boards define the same symbol once per board, each in the
board's `if BOARD_...` block, and only some definitions give it a prompt:
`BOARD_GOOGLE_NAUTILUS` selects CHROMEOS_WIFI_SAR, whose every prompted
definition sits in another board's block, never on with NAUTILUS. That
select bypasses no prompt. A prompted definition counts for a select only
if, in some world, `selector && the select's condition && the definition's
dependency && the prompt's condition` can hold; this module asks the SAT
solver that question over the formula the select analysis built
(`world_analysis.formula_for`), with a solver of its own (the analyses'
parked solver keeps its history for their witnesses).

Only targets with more than one definition are asked about: with one, a
prompt that the selector never sees means the select always leaves the
dependency unmet, which select-unmet-dependency reports. The answers are
computed for the whole tree at once, when the select analysis has just
built the formula (a cold `lint`), and kept in memory and in the cache
folder (by the tree's fingerprint, as the analyses are), so a warm `lint`
reads them. Without that formula in memory and without kept answers (the
language server's incremental logic, say), nothing is filtered: the formula
is never built for this alone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from kconfig_ls.syntax.expression import TRUE, Expression, Symbol, conjunction

if TYPE_CHECKING:
    from kconfig_ls.semantics.model import KconfigModel, SymbolDefinition
    from kconfig_ls.syntax.kconfig import Prompt, ReverseDependency

__all__ = ["PromptVisibility", "prompt_visibility_for"]

_CACHE_VERSION: Final = 1

SelectKey = tuple[str, str, int]
"""A select: the selector's name, the selector definition's file, the select's offset."""

PromptKey = tuple[str, int]
"""A prompt: its definition's file and the prompt's offset."""


@dataclass(frozen=True, slots=True)
class PromptVisibility:
    """The prompts no selector can see, per select (only selects of multiply-defined targets)."""

    hidden: frozenset[tuple[SelectKey, PromptKey]]

    def can_see(
        self,
        selector: SymbolDefinition,
        select: ReverseDependency,
        definition: SymbolDefinition,
        prompt: Prompt,
    ) -> bool:
        """Whether the prompt can be visible while the select is active (True when not asked)."""
        key = ((selector.name, selector.path, select.span.start), (definition.path, prompt.span.start))
        return key not in self.hidden


_MEMORY: dict[str, PromptVisibility] = {}
_NOT_ASKED: Final = PromptVisibility(frozenset())


def prompt_visibility_for(model: KconfigModel, cache_directory: str | None = None) -> PromptVisibility:
    """The prompt visibility of the model's tree (memory, the cache folder, or computed)."""
    from kconfig_ls.logic.world_analysis import tree_fingerprint

    fingerprint = tree_fingerprint(model)
    found = _MEMORY.get(fingerprint)
    if found is not None:
        return found
    path = (
        os.path.join(cache_directory, f"logic-prompts{_CACHE_VERSION}-{fingerprint}.json")
        if cache_directory
        else None
    )
    if path is not None:
        found = _read(path)
    if found is None:
        computed = _compute(model, fingerprint)
        if computed is None:
            return _NOT_ASKED
        found = computed
        if path is not None:
            _write(path, found)
    _MEMORY.clear()
    _MEMORY[fingerprint] = found
    return found


def _questions(
    model: KconfigModel,
) -> Iterator[tuple[SelectKey, Expression, list[tuple[PromptKey, Expression]]]]:
    """Every select to ask about: the selector's side of the question and each prompt's side."""
    for target, selectors in model.selected_by.items():
        definitions = model.definitions.get(target, ())
        if len(definitions) < 2:
            continue
        prompts = [
            (
                (definition.path, prompt.span.start),
                conjunction(
                    definition.direct_dependency(),
                    *(visible.expression for visible in definition.visible_if),
                    prompt.condition if prompt.condition is not None else TRUE,
                ),
            )
            for definition in definitions
            for prompt in definition.prompts
        ]
        if not prompts:
            continue
        for selector, select in selectors:
            selector_on = conjunction(
                Symbol(selector.name),
                select.condition if select.condition is not None else TRUE,
            )
            yield (selector.name, selector.path, select.span.start), selector_on, prompts


def _compute(model: KconfigModel, fingerprint: str) -> PromptVisibility | None:
    """The answers, asked over the formula the select analysis built for this tree; None when
    that formula is not in memory (the analyses came from the cache, or the language server
    keeps them up to date on a formula of its own): building it for this would cost more than
    all the rest of a warm run, so the prompts are then not filtered."""
    questions = list(_questions(model))
    if not questions:
        return PromptVisibility(frozenset())
    from kconfig_ls.logic import world_analysis
    from kconfig_ls.logic.solver import LogicSolver
    from kconfig_ls.logic.tristate_encoding import TRUE_LITERAL

    formula = world_analysis._FORMULA.get(fingerprint)
    if formula is None:
        return None
    _, encoding = formula
    groups: dict[int, list[str]] = {}
    for world in encoding.worlds:
        groups.setdefault(encoding.modules_literal(world), []).append(world)

    def at_least_m(expression: Expression) -> int:
        """ "At least m in the world the model picks" (each world with its modules symbol)."""
        return encoding.disjoin(
            encoding.conjoin((encoding.world_set(worlds), encoding.pair(expression, modules)[0]))
            for modules, worlds in groups.items()
        )

    solver = LogicSolver(encoding, batch=True)
    # A file sourced several times (U-Boot's `board/ti/common/Kconfig`, once per board, each
    # in its board's `if TARGET_...`) gives one select and one prompt several definitions with
    # the same keys: a prompt is hidden from a select only if no pair of them can meet.
    asked: set[tuple[SelectKey, PromptKey]] = set()
    shown: set[tuple[SelectKey, PromptKey]] = set()
    try:
        for select_key, selector_on, prompts in questions:
            selector_literal = at_least_m(selector_on)
            pending: dict[PromptKey, int] = {}
            for prompt_key, prompt_shown in prompts:
                asked.add((select_key, prompt_key))
                if (select_key, prompt_key) not in shown:
                    literal = encoding.conjoin((selector_literal, at_least_m(prompt_shown)))
                    pending[prompt_key] = encoding.disjoin((pending.get(prompt_key, -TRUE_LITERAL), literal))
            # One query settles every prompt no model shows; each model that shows some
            # takes those out of the question (most selects need one or two queries).
            while pending:
                found = solver.model_of_any(pending.values())
                if found is None:
                    break
                shown_here = [key for key, literal in pending.items() if literal in found]
                if not shown_here:
                    break  # cannot happen (the model satisfies one of them); never loop
                for prompt_key in shown_here:
                    del pending[prompt_key]
                    shown.add((select_key, prompt_key))
    finally:
        solver.close()
    hidden = asked - shown
    return PromptVisibility(frozenset(hidden))


def _decode(data: dict[str, Any]) -> PromptVisibility:
    return PromptVisibility(
        frozenset(((str(a), str(b), int(c)), (str(d), int(e))) for (a, b, c), (d, e) in data["hidden"])
    )


def _read(path: str) -> PromptVisibility | None:
    """The kept answers (the logic cache's reader: a torn or foreign file is None)."""
    from kconfig_ls.logic.world_analysis import _read as read_logic_cache

    found = read_logic_cache(path, _decode)
    return found if isinstance(found, PromptVisibility) else None


def _write(path: str, visibility: PromptVisibility) -> None:
    from kconfig_ls.logic.world_analysis import _write as write_logic_cache

    write_logic_cache(path, {"hidden": sorted(visibility.hidden)})
