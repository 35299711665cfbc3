"""KLS307 config-n-value: `CONFIG_X=n` written instead of `# CONFIG_X is not set`.

The tools accept `CONFIG_X=n` (they read the first character), but they
never write it: `make savedefconfig`, `merge_config.sh` and every `.config`
spell an off option `# CONFIG_X is not set`, and scripts that grep for that
form (or diff a defconfig against `savedefconfig`) miss the other one. The
quick fix rewrites the line.
"""

from __future__ import annotations

from collections.abc import Iterator

from kconfig_ls.checks.configuration_files import assignment_location, replace_line_fix
from kconfig_ls.checks.framework import CheckContext, Finding, Rule, Severity


def check(context: CheckContext) -> Iterator[Finding]:
    configuration = context.configuration
    if configuration is None:
        return
    for assignment in configuration.assignments:
        if assignment.is_not_set or assignment.written != "n":
            continue
        symbol = configuration.table.get(assignment.symbol)
        if symbol is None or symbol.type not in ("bool", "tristate"):
            continue
        name = assignment.symbol
        yield RULE.finding(
            f"write '# CONFIG_{name} is not set' instead of CONFIG_{name}=n",
            assignment_location(assignment),
            fixes=[
                replace_line_fix(
                    configuration,
                    assignment,
                    f"write '# CONFIG_{name} is not set'",
                    f"# CONFIG_{name} is not set",
                )
            ],
        )


RULE = Rule(
    code="KLS307",
    name="config-n-value",
    summary="an off option written CONFIG_X=n instead of '# CONFIG_X is not set'",
    default_severity=Severity.INFORMATION,
    check=check,
    documentation=__doc__ or "",
)
