"""KLS304 config-no-prompt: a defconfig or fragment assigns a symbol that has no prompt.

A symbol without a prompt (`bool` with no text, `def_bool`, a `HAVE_*` or
`ARCH_*` capability) takes its value from its defaults and from `select`;
the tools ignore a user value for it, so the line does nothing, whatever it
says. The finding says what the symbol is and why (`X86_64 = y, default y
if 64BIT`); the quick fix deletes the line. A full `.config` written by the
tools (it starts with "Automatically generated file") lists every symbol,
prompt or not, and is not checked. Linux `transitional` symbols are read
from a configuration despite having no prompt and are not reported.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.configuration_files import assignment_location, is_full_config, replace_line_fix
from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity


def check(context: CheckContext) -> Iterator[Finding]:
    # Imported here: registering the rule (every `kconfig-ls lint`) must not load the logic layer.
    from kconfig_ls.logic.explain import explain

    configuration = context.configuration
    if configuration is None:
        return
    full: dict[str, bool] = {}
    root = context.model.settings.root
    for assignment in configuration.assignments:
        symbol = configuration.table.get(assignment.symbol)
        if symbol is None or symbol.prompts or symbol.transitional or not assignment.accepted:
            continue
        if assignment.path not in full:
            full[assignment.path] = is_full_config(configuration, assignment.path)
        if full[assignment.path]:
            continue
        name = assignment.symbol
        summary = explain(configuration, name, root=root).summary
        yield RULE.finding(
            f"{name} has no prompt, so CONFIG_{name} here has no effect ({summary}); delete the line",
            assignment_location(assignment),
            fixes=[replace_line_fix(configuration, assignment, f"delete line {assignment.line}", "")],
        )


RULE = Rule(
    code="KLS304",
    name="config-no-prompt",
    summary="a defconfig or fragment assigns a symbol without a prompt (the line has no effect)",
    default_severity=Severity.WARNING,
    check=check,
    documentation=__doc__ or "",
)
