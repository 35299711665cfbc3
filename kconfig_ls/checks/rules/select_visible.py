"""KLS001 select-visible: `select` of a symbol that has a prompt.

`kconfig-language.rst`: "In general use select only for non-visible
symbols (no prompts anywhere) and for symbols with no dependencies."
`select` forces the target on while ignoring the target's own `depends on`
and the user's choice in the target's prompt. The seed case: COMPACTION,
CMA and MEMORY_HOTREMOVE selected the user-visible MIGRATION
(`bool "Page migration"`); the fix made MIGRATION prompt-less and moved the
user-facing switch to a new NUMA_MIGRATION.

Linux 6.12 has about 5,100 selects of prompted symbols, many of them
deliberate, so the rule grades what it finds:

- **warning**: the target has an unconditional prompt (`bool "Page migration"`).
- **information**: every prompt of the target is conditional
  (`bool "Foo" if EXPERT`, or inside `visible if`): a common idiom where the
  prompt is only for experts and the select is the normal path.
- **hint**: the selector already depends on the target (`depends on FOO` and
  `select FOO`): the select is redundant but harmless.

What to do instead: `depends on TARGET` (the user enables it), `imply TARGET`
(a default the user can override), or make the target prompt-less and add
a separate visible option (as the seed patch did). Re-grade the rule in
`[tool.kconfig-ls.rules]` (`select-visible = "error"`), or silence one select
with `# kconfig-ls: ignore[select-visible]` on its line.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.semantics.model import Location, SymbolDefinition
from kconfig_ls.syntax.expression import And, Expression, Symbol, render


def check(context: CheckContext) -> Iterator[Finding]:
    workspace = context.model
    for target, selectors in workspace.selected_by.items():
        all_definitions = workspace.definitions.get(target)
        if not all_definitions:
            continue
        reached_definitions = [d for d in all_definitions if d.reached]
        for selector, select in selectors:
            definitions = (
                reached_definitions if (selector.reached and reached_definitions) else all_definitions
            )
            prompted = [(d, p) for d in definitions for p in d.prompts]
            if not prompted:
                continue
            unconditional = [(d, p) for d, p in prompted if p.condition is None and not d.visible_if]
            definition, prompt = unconditional[0] if unconditional else prompted[0]
            if _depends_on(selector, target):
                severity = Severity.HINT
                advice = f"the select is redundant: {selector.name} already depends on {target}"
            elif unconditional:
                severity = Severity.WARNING
                advice = f"use 'depends on {target}' or 'imply {target}', or make {target} prompt-less"
            else:
                severity = Severity.INFORMATION
                advice = f"the prompt is conditional; consider 'depends on {target}' or 'imply {target}'"
            condition = _prompt_condition_text(definition, prompt.condition)
            message = (
                f'{selector.name} selects {target}, which has a prompt ("{prompt.text}"{condition}); {advice}'
            )
            related = [RelatedLocation(f"prompt of {target}", Location(definition.path, prompt.span))]
            own_dependency = definition.own_dependency()
            if definition.dependencies:
                related.append(
                    RelatedLocation(
                        f"{target} depends on {render(own_dependency)}, which the select ignores",
                        Location(definition.path, definition.dependencies[0].span),
                    )
                )
            yield RULE.finding(
                message, Location(selector.path, select.span), severity=severity, related=related
            )


def _depends_on(selector: SymbolDefinition, target: str) -> bool:
    dependency = selector.direct_dependency()
    operands = dependency.operands if isinstance(dependency, And) else (dependency,)
    return any(isinstance(operand, Symbol) and operand.name == target for operand in operands)


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
)
