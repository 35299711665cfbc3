"""KLS201 select-unmet-dependency: a select that can force its target on against the target's dependencies.

`select TARGET` sets TARGET to at least the selector's value and ignores
TARGET's `depends on`. When some configuration makes the selector y (or m)
while TARGET's direct dependencies are lower, the C tools print "WARNING:
unmet direct dependencies detected for TARGET" and build TARGET anyway,
often into a link error. The seed review: "any code that selects
CONFIG_MIGRATION must depend directly or indirectly on CONFIG_MMU".

The rule asks a SAT solver, over every architecture at once (the
architecture is a variable of the formula), whether the selector can be on
while the target's dependencies are off, and names the architectures where
that happens, the dependency that is unmet and the values that show it:

    FOO selects MIGRATION, but MIGRATION depends on MMU, which can be n while FOO is y (arm, sh: MMU=n, FOO=y)

`y` selecting a symbol whose dependencies are only `m` counts too (the
target is built in although its dependency is a module). Each finding has a
witness, a `.config` fragment on which kconfiglib and the C tools print the
warning: `kconfig-ls lint --select select-unmet-dependency --witness-dir DIR`
writes one file per finding.

A finding that stands only on a comparison the logic does not model (of
int or string symbols, coreboot's `ARM64_CURRENT_EL = 3`) is information,
not a warning: the analysis does not know that value.

What to do (each is a quick fix): add `depends on DEP` to the selector,
or `imply TARGET` (a default the user can override), or `depends on
TARGET` instead of `select`.

Preview: off unless selected (`--select KLS201`, `--preview`) or given a
severity in `[tool.kconfig-ls.rules]`. The first run on Linux takes about a
minute (every architecture); results are cached per tree content.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kconfig_ls.checks.framework import CheckContext, Finding, Fix, RelatedLocation, Rule, Severity, TextEdit
from kconfig_ls.checks.kconfig_fixes import select_to_depends_fix
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.syntax.expression import FALSE, TRUE, ExpressionSyntaxError, parse_expression, render
from kconfig_ls.syntax.kconfig import Span

if TYPE_CHECKING:
    from kconfig_ls.checks.selector_facts import ChoiceMembers, SelectorFacts
    from kconfig_ls.logic.select_analysis import UnmetSelect


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.checks.selector_facts import ChoiceMembers
    from kconfig_ls.logic.world_analysis import select_analysis_for

    analysis = select_analysis_for(context.model, context.cache_directory)
    choices = ChoiceMembers(context.model)
    for finding in analysis.unmet.values():
        facts = _facts(context.model, finding, choices)
        # No conjunct the logic models is below the selector in the witness: the finding stands
        # only on a comparison it leaves free (coreboot's `ARM64_CURRENT_EL = 3`, an int that is
        # 3 unless a board says otherwise). Unknown, not guessed: information, not a warning.
        yield RULE.finding(
            unmet_message(finding, facts),
            finding.location,
            severity=Severity.WARNING if finding.unmet else Severity.INFORMATION,
            related=tuple(_related(context.model, finding)),
            fixes=tuple(_fixes(context.model, finding, facts)),
            # The witness is one model among many (another run may find "USB=m" instead of
            # "USB=m, USB_EHCI_HCD=m", or the selector at m instead of y): `--diff` and SARIF
            # match the finding by what it is about, not by its witness.
            identity=f"{finding.selector} selects {finding.target}, which depends on {finding.dependency}",
        )


def unmet_message(finding: UnmetSelect, facts: SelectorFacts | None = None) -> str:
    """`FOO selects MIGRATION, but MIGRATION depends on MMU, which can be n while FOO is y (arm: ...)`.

    With `facts` (what holds while the select acts, `checks/selector_facts.py`), each unmet
    conjunct is named without the operands they settle, as select-visible's note does: the
    witness satisfies the facts (the selector is on in it), so the values shown stay true.
    """
    if not finding.unmet:
        return (
            f"{finding.selector} selects {finding.target}, but {finding.target} depends on "
            f"{finding.dependency}, which may be n while {finding.selector} is {finding.selector_value}: "
            "only through a comparison or probe the analysis does not model; check it, or add "
            f"'depends on' the comparison to {finding.selector}"
        )
    unmet = _all_unmet(finding)
    shown = {text: _simplified(text, facts) for text, _ in unmet}
    # A disjunct among conjuncts is parenthesised: "A && (B || C)", "(B || C)=n".
    dependency = " && ".join(dict.fromkeys(_parenthesised(shown[text]) for text, _ in unmet))
    level = "m" if all(value == "m" for _, value in unmet) else "n"
    # Worlds where other conjuncts fail say so apart ("esp32: !ESP32_TRAX=n; esp32s2: ...").
    groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
    differing = dict(finding.unmet_by_world)
    for world in finding.worlds:
        groups.setdefault(differing.get(world, finding.unmet), []).append(world)
    parts = []
    for parts_unmet, worlds in groups.items():
        values = ", ".join(f"{_as_operand(shown.get(text, text))}={value}" for text, value in parts_unmet)
        named = world_list(tuple(worlds))
        parts.append(f"{named}: {values}" if named else values)
    separator = "; " if len(parts) > 1 else ", "
    return (
        f"{finding.selector} selects {finding.target}, but {finding.target} depends on {dependency}, "
        f"which can be {level} while {finding.selector} is {finding.selector_value} "
        f"({'; '.join(parts)}{separator}{finding.selector}={finding.selector_value})"
    )


def open_dependency(finding: UnmetSelect, facts: SelectorFacts | None = None) -> str:
    """The conjuncts of the target's dependency the select can leave unmet (`SERIAL`), else all of it.

    With `facts` (what holds while the select acts), each conjunct loses the
    operands they settle: U-Boot's ARCH_K3 selects SPL, which depends on
    `ARM && ARCH_STM32MP || SUPPORT_SPL && !COMPILE_TEST`; ARCH_STM32MP is
    another member of ARCH_K3's choice and ARCH_K3 selects SUPPORT_SPL, so
    `!COMPILE_TEST` is what is open. A disjunct among several conjuncts is
    parenthesised: "A && (B || C)".
    """
    unmet = _all_unmet(finding)
    if not unmet:
        return finding.dependency
    parts = list(dict.fromkeys(_simplified(text, facts) for text, _ in unmet))
    if len(parts) == 1:
        return parts[0]
    return " && ".join(_parenthesised(text) for text in parts)


def _simplified(text: str, facts: SelectorFacts | None) -> str:
    if facts is None:
        return text
    try:
        expression = parse_expression(text)
    except ExpressionSyntaxError:
        return text
    simplified = facts.simplified(expression)
    # Settled whole (y or n) contradicts the logic's verdict: keep what the logic said.
    if simplified in (TRUE, FALSE):
        return text
    return render(simplified)


def _facts(model: KconfigModel, finding: UnmetSelect, choices: ChoiceMembers) -> SelectorFacts | None:
    """What holds while the finding's select acts: its selector's definition and the select's `if`."""
    from kconfig_ls.checks.selector_facts import SelectorFacts

    for definition in model.definitions.get(finding.selector, ()):
        if definition.path != finding.location.path:
            continue
        for select in definition.selects:
            if select.span.start == finding.location.span.start and select.target == finding.target:
                return SelectorFacts(model, definition, select.condition, choices)
    return None


def _all_unmet(finding: UnmetSelect) -> list[tuple[str, str]]:
    """The unmet conjuncts of every world, each once, the witness world's first."""
    found = list(finding.unmet)
    for _, unmet in finding.unmet_by_world:
        found.extend(unmet)
    return list(dict.fromkeys(found))


def world_list(worlds: tuple[str, ...]) -> str:
    named = [world for world in worlds if world]
    if len(named) > 6:
        return ", ".join(named[:6]) + f" and {len(named) - 6} more"
    return ", ".join(named)


def _related(model: KconfigModel, finding: UnmetSelect) -> Iterator[RelatedLocation]:
    for definition in model.definitions.get(finding.target, ()):
        if definition.dependencies:
            yield RelatedLocation(
                f"{finding.target} depends on {finding.dependency}",
                Location(definition.path, definition.dependencies[0].span),
            )
            return


def _fixes(model: KconfigModel, finding: UnmetSelect, facts: SelectorFacts | None = None) -> Iterator[Fix]:
    """Add the open conjuncts to the selector, or `imply`, or `depends on` instead of `select`.

    The added `depends on` names what the message names: the unmet conjuncts
    without the operands the selector's own facts settle (`GPIO`, not
    `GPIO || GPIO && DM`). That is enough: wherever the selector is on, its
    facts hold, and under them the shorter text is the target's dependency.
    """
    text = model.text(finding.location.path)
    start = finding.location.span.start
    line_start = text.rfind(b"\n", 0, start) + 1
    indent = text[line_start:start].decode("utf-8", "replace")
    unmet = open_dependency(finding, facts) if _all_unmet(finding) else None
    if unmet:
        yield Fix(
            f"add 'depends on {unmet}' to {finding.selector}",
            (
                TextEdit(
                    Location(finding.location.path, Span(line_start, line_start)),
                    f"{indent}depends on {unmet}\n",
                ),
            ),
        )
    if text[start : start + 6] == b"select":
        yield Fix(
            f"use 'imply {finding.target}' (a default the user can override)",
            (TextEdit(Location(finding.location.path, Span(start, start + 6)), "imply"),),
        )
        instead = select_to_depends_fix(finding.location.path, text, finding.location.span, finding.target)
        yield from () if instead is None else (instead,)


def _parenthesised(text: str) -> str:
    return f"({text})" if "||" in text else text


def _as_operand(text: str) -> str:
    """A conjunct given a value: `(GPIO && DM)=n`, not `GPIO && DM=n` (a simplified one may be `&&`)."""
    return f"({text})" if "||" in text or "&&" in text else text


RULE = Rule(
    code="KLS201",
    name="select-unmet-dependency",
    summary="select that can force its target on while the target's dependencies are off",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
    group="preview",
    tier="solver",
)
