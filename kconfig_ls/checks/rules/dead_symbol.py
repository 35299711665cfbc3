"""KLS203 dead-symbol: a bool or tristate symbol that can never be enabled, on any architecture (or target).

Its dependencies (with the inherited `if`/`menu` conditions, and the
defaults of the prompt-less symbols they mention) never hold in any world
of the tree, and nothing selects it where that would count: the code it
guards is never compiled. A SAT solver decides it over every architecture
at once; only the root causes are reported (a symbol under `depends on
BROKEN` is dead because BROKEN is; the finding on BROKEN counts them).

Symbols whose dependencies involve a compiler probe (`$(cc-option,...)`)
are never reported: the probe is unknown, not guessed.

What to do: remove the symbol and the code it guards, or fix the
dependency that never holds. Preview: off unless selected or configured.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.worlds import world_kind
from kconfig_ls.syntax.expression import TRUE, Expression, conjunction, referenced_symbols

if TYPE_CHECKING:
    from kconfig_ls.logic.liveness import DeadItem


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.world_analysis import liveness_analysis_for

    kind = world_kind(context.model.settings)
    for item in liveness_analysis_for(context.model, context.cache_directory).dead:
        if item.kind == "symbol":
            message = f"{item.symbol} can never be enabled on any {kind}: {item.reason}"
            yield RULE.finding(message, item.location)


def consequences_dropped(model: KconfigModel, items: Iterable[DeadItem]) -> Iterator[DeadItem]:
    """The dead prompts and defaults that are not a consequence of a dead symbol already reported.

    A symbol defined on several architectures is alive when one definition
    is; the prompt or default of a definition under `depends on BROKEN`
    (parisc's `ARCH_MAY_HAVE_PC_FDC`, sh's `IRQSTACKS`) is dead because
    BROKEN is, and the finding on BROKEN says so: reporting it again, with
    "an earlier default always applies first" where there is no earlier
    default, is noise. Dead symbols pass through unchanged.
    """
    materialised = list(items)
    dead_symbols = {item.symbol for item in materialised if item.kind == "symbol"}
    dead_prompts = {item.location for item in materialised if item.kind == "prompt"}
    for item in materialised:
        if item.kind == "symbol":
            yield item
            continue
        condition = _condition_of(model, item)
        if condition is not None and dead_symbols.intersection(referenced_symbols(condition)):
            continue
        if item.kind == "default" and _under_dead_prompt(model, item, dead_prompts):
            continue
        yield item


def _under_dead_prompt(model: KconfigModel, item: DeadItem, dead_prompts: set[Location]) -> bool:
    """Whether the default's definition has an unconditional prompt that is never shown.

    Then the definition's dependencies never hold, which the prompt's finding
    says; its defaults are dead for that reason, not because "an earlier
    default always applies first" (U-Boot's `SPL_SYS_ICACHE_OFF` in
    arch/arc/Kconfig, `depends on SPL` on an architecture without SPL).
    """
    for definition in model.definitions.get(item.symbol, ()):
        if definition.path == item.location.path and any(
            default.span == item.location.span for default in definition.defaults
        ):
            return any(
                prompt.condition is None and Location(definition.path, prompt.span) in dead_prompts
                for prompt in definition.prompts
            )
    return False


def _condition_of(model: KconfigModel, item: DeadItem) -> Expression | None:
    """When the item's prompt is shown or its default is considered, as written (None: not found)."""
    for definition in model.definitions.get(item.symbol, ()):
        if definition.path != item.location.path:
            continue
        if item.kind == "prompt":
            for prompt in definition.prompts:
                if prompt.span == item.location.span:
                    return definition.prompt_condition(prompt)
        elif item.kind == "default":
            for default in definition.defaults:
                if default.span == item.location.span:
                    return conjunction(
                        definition.direct_dependency(),
                        default.condition if default.condition is not None else TRUE,
                    )
    return None


RULE = Rule(
    code="KLS203",
    name="dead-symbol",
    summary="symbol that can never be enabled on any architecture",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    group="preview",
    tier="solver",
)
