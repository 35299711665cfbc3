"""How loud each rule is (`Severity`, `RuleSettings`, `SEVERITY_WORDS`), in a module of its own.

Every settings source (project file, command line, editor) resolves these
before anything is checked, and a warm code index (`bench_code_index.py`'s warm
row) resolves the settings but runs no rule: kept in `framework` (which
re-exports them), they made every such start build the findings' and rules'
dataclasses and the suppression regex too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kconfig_ls.checks.framework import Rule

__all__ = ["SEVERITY_WORDS", "RuleSettings", "Severity"]


SEVERITY_WORDS: Final = frozenset({"error", "warning", "information", "info", "hint", "off"})
"""The one vocabulary for grading a rule, in every settings source (project file, command line, editor)."""


class Severity(IntEnum):
    """Ordered so that `severity >= Severity.WARNING` reads naturally."""

    HINT = 1
    INFORMATION = 2
    WARNING = 3
    ERROR = 4

    @classmethod
    def parse(cls, text: str) -> Severity:
        normalized = text.strip().lower()
        aliases = {"info": "information", "warn": "warning", "note": "information"}
        normalized = aliases.get(normalized, normalized)
        try:
            return cls[normalized.upper()]
        except KeyError:
            raise ValueError(f"unknown severity '{text}' (use error, warning, information or hint)") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class RuleSettings:
    """Which rules run and how loud they are.

    `severities` maps a rule code or name to a severity or `"off"`; it is
    what `[tool.kconfig-ls.rules]` and the editor settings produce.
    `select` (if given) keeps only the named rules; `ignore` drops some.
    """

    severities: Mapping[str, str] = field(default_factory=dict)
    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    preview: bool = False

    def enabled(self, rule: Rule) -> bool:
        keys = {rule.code, rule.name}
        if self.select is not None and not (keys & self.select) and "ALL" not in self.select:
            return False
        if keys & self.ignore:
            return False
        override = self._override(rule)
        if rule.group == "preview":
            named = self.select is not None and bool(keys & self.select)
            if not (named or self.preview or (override is not None and override != "off")):
                return False
        return override != "off"

    def severity_of(self, rule: Rule, finding_severity: Severity) -> Severity:
        """The configured severity wins over the rule's own grading."""
        override = self._override(rule)
        if override is None or override == "off":
            return finding_severity
        return Severity.parse(override)

    def _override(self, rule: Rule) -> str | None:
        value = self.severities.get(rule.code)
        if value is None:
            value = self.severities.get(rule.name)
        return value.lower() if isinstance(value, str) else None
