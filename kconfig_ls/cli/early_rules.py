"""The lint's Kconfig rules, run while the code index is being built.

After the code index, a cold lint's work is serial (the code rules, the
report records, the results cache), one core idling beside it. The rules whose
findings never depend on the code (`Rule.scope == "kconfig"`: ~0.4 s on Linux)
and their report records (`report_findings`) need only the Kconfig model, so
the lint makes them in its wait for the index's workers (`kconfig_ready`), and
the rest once the index is there. The report is the one `Analysis.full_findings`
gives (tests/cli/test_lint_early_rules.py compares them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kconfig_ls.checks.framework import CheckContext, Finding, Rule
from kconfig_ls.checks.registry import ALL_RULES, run_checks

if TYPE_CHECKING:
    from kconfig_ls.analysis.snapshot import Analysis
    from kconfig_ls.cli.output import ReportedFinding

__all__ = ["EarlyKconfigChecks", "report_order"]

_LOG = logging.getLogger(__name__)


def report_order(finding: Finding) -> tuple[str, int, str]:
    """The report's order: by file, offset, rule."""
    return (finding.location.path, finding.location.span.start, finding.rule_code)


class EarlyKconfigChecks:
    """The rules whose findings never depend on the code (`Rule.scope == "kconfig"`), run while
    the code index is still being built; the others once it is there.

    The lint's tail after the index is serial (the code rules, the report, the caches), so the
    Kconfig rules (~0.4 s on Linux) run in the wait for the index's workers instead. Rules that
    consult the logic layer wait too: it forks workers of its own, never beside a thread. The
    findings are those of `Analysis.full_findings`: the same rules over the same model, their
    findings grouped by file in rule order within each group (the report sorts them by file,
    offset and rule, so only one rule's own order counts, and it is kept). If the early run
    fails, every rule runs after the index, as without it.
    """

    def __init__(self) -> None:
        self._findings: list[Finding] | None = None
        self._codes: frozenset[str] = frozenset()
        self._records: dict[int, ReportedFinding] | None = None

    @staticmethod
    def chosen(rules: Iterable[Rule], logic: bool) -> list[Rule]:
        """The rules that may run before the code index is built."""
        return [
            rule
            for rule in rules
            if rule.scope == "kconfig" and rule.tier != "solver" and not (logic and rule.regraded_by_logic)
        ]

    def run(self, snapshot: Analysis) -> None:
        """Run the Kconfig rules on the loaded model, without the code index. Never raises."""
        rules = self.chosen(ALL_RULES, snapshot.settings.logic)
        context = CheckContext(
            snapshot.model,
            None,
            snapshot.overlay,
            snapshot.cancellation,
            cache_directory=snapshot.settings.cache_directory,
            logic=snapshot.settings.logic,
        )
        try:
            self._findings = run_checks(context, snapshot.rule_settings, rules)
            self._codes = frozenset(rule.code for rule in rules)
        except Exception:  # then every rule runs after the index (`full_findings`)
            _LOG.exception("the Kconfig rules failed before the code index was built; running them after it")
            self._findings = None

    def report(self, records_of: Callable[[list[Finding]], list[ReportedFinding]]) -> None:
        """Make the early findings' report records now (`records_of`: `report_findings`). Never raises.

        A record depends on its finding, its file's text and its ordinal, which counts the
        findings with the same fingerprint before it (the same rule, file and lines); in the
        report's order (file, offset, rule), those of one rule come in the order of this sort.
        """
        if self._findings is None:
            return
        try:
            ordered = sorted(self._findings, key=report_order)
            self._records = {id(f): record for f, record in zip(ordered, records_of(ordered), strict=True)}
        except Exception:  # then they are made with the others
            _LOG.exception("the early findings' report records failed; making them after the index")
            self._records = None

    def reported_early(self) -> list[tuple[Finding, str, ReportedFinding]]:
        """The early findings made into records by `report`, each with its path and record."""
        if self._findings is None or not self._records:
            return []
        records = self._records
        return [(f, f.location.path, records[id(f)]) for f in self._findings if id(f) in records]

    def records(
        self, findings: list[Finding], records_of: Callable[[list[Finding]], list[ReportedFinding]]
    ) -> list[ReportedFinding]:
        """`records_of(findings)` (in the report's order), reusing the records made early.

        A file and rule with any finding not made early (the nested projects' merge may
        replace findings) has all its records made again, so its ordinals count them all.
        """
        known = self._records
        if not known:
            return records_of(findings)
        redone = {(f.location.path, f.rule_code) for f in findings if id(f) not in known}
        rest = [f for f in findings if id(f) not in known or (f.location.path, f.rule_code) in redone]
        made = iter(records_of(rest))
        return [
            next(made) if id(f) not in known or (f.location.path, f.rule_code) in redone else known[id(f)]
            for f in findings
        ]

    def full_findings(self, snapshot: Analysis) -> dict[str, list[Finding]]:
        """`snapshot.full_findings()`, with the rules that ran early not run again."""
        if self._findings is None or snapshot.code_index is None:
            return snapshot.full_findings()
        late_rules = [rule for rule in ALL_RULES if rule.code not in self._codes]
        context = CheckContext(
            snapshot.model,
            snapshot.code_index,
            snapshot.overlay,
            snapshot.cancellation,
            cache_directory=snapshot.settings.cache_directory,
            logic=snapshot.settings.logic,
        )
        grouped: dict[str, list[Finding]] = {}
        for finding in [*self._findings, *run_checks(context, snapshot.rule_settings, late_rules)]:
            grouped.setdefault(finding.location.path, []).append(finding)
        return snapshot.with_nested_findings(grouped, logic=snapshot.settings.logic)
