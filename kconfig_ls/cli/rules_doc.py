"""`kconfig-ls rules` and `docs/rules.md`: rule documentation from the rule modules.

The module docstring of each rule is its documentation; this renders them,
and a test checks that `docs/rules.md` is what this prints.
"""

from __future__ import annotations

import sys

from kconfig_ls.checks.registry import ALL_RULES


def rules_markdown() -> str:
    parts = [
        "# kconfig-ls rules\n",
        "Generated from the rule modules by `kconfig-ls rules --markdown`; do not edit by hand.\n",
        'Re-grade or disable a rule in `[tool.kconfig-ls.rules]` (`select-visible = "error"`, '
        '`KLS002 = "off"`), and silence one finding with `kconfig-ls: ignore[select-visible]` '
        "in a comment on its line.\n",
        "| code | name | default | summary |",
        "| --- | --- | --- | --- |",
    ]
    for rule in ALL_RULES:
        parts.append(
            f"| {rule.code} | [{rule.name}](#{rule.name}) | {rule.default_severity.label} | {rule.summary} |"
        )
    parts.append("")
    for rule in ALL_RULES:
        title, _, body = rule.documentation.strip().partition("\n")
        parts.append(f'<a id="{rule.name}"></a>\n## {rule.code} {rule.name}\n')
        parts.append(title.split(":", 1)[-1].strip() + "\n")
        if body.strip():
            parts.append(body.strip() + "\n")
    return "\n".join(parts)


def print_rules(markdown: bool = False) -> int:
    if markdown:
        sys.stdout.write(rules_markdown())
        return 0
    for rule in ALL_RULES:
        sys.stdout.write(f"{rule.code}  {rule.name:<24} {rule.default_severity.label:<12} {rule.summary}\n")
    return 0
