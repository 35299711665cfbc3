"""The list of rules and the one function that runs them.

Both clients call `run_checks`: the lint CLI over a whole tree, the server
for the files it publishes diagnostics for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from kconfig_ls.checks.framework import CheckContext, Finding, Rule, RuleSettings, filter_suppressed
from kconfig_ls.checks.rules import (
    code_file_problem,
    conflicting_types,
    dead_default,
    dead_prompt,
    dead_symbol,
    endif_comment,
    macro_message,
    other_architecture_symbol,
    recursive_dependency,
    redundant_guard,
    select_choice_member,
    select_unmet_dependency,
    select_visible,
    source_problem,
    syntax_error,
    unbalanced_block,
    undefined_symbol,
    undefined_symbol_in_code,
    unreadable_file,
)
from kconfig_ls.text.line_index import LineIndex

__all__ = ["ALL_RULES", "rule_by_key", "run_checks"]

_LOG = logging.getLogger(__name__)

ALL_RULES: list[Rule] = [
    syntax_error.RULE,
    select_visible.RULE,
    undefined_symbol.RULE,
    conflicting_types.RULE,
    source_problem.RULE,
    unbalanced_block.RULE,
    recursive_dependency.RULE,
    macro_message.RULE,
    unreadable_file.RULE,
    undefined_symbol_in_code.RULE,
    endif_comment.RULE,
    other_architecture_symbol.RULE,
    code_file_problem.RULE,
    select_unmet_dependency.RULE,
    select_choice_member.RULE,
    dead_symbol.RULE,
    dead_prompt.RULE,
    dead_default.RULE,
    redundant_guard.RULE,
]


def register(rule: Rule) -> None:
    """Add a rule from another layer (the C side, the logic layer)."""
    if all(existing.code != rule.code for existing in ALL_RULES):
        ALL_RULES.append(rule)
        ALL_RULES.sort(key=lambda r: r.code)


def rule_by_key(key: str) -> Rule | None:
    """A rule by code (`KLS001`) or name (`select-visible`)."""
    for rule in ALL_RULES:
        if key in (rule.code, rule.name):
            return rule
    return None


def run_checks(
    context: CheckContext, settings: RuleSettings, rules: Iterable[Rule] | None = None
) -> list[Finding]:
    """Run the enabled rules; apply severities and suppression comments.

    A rule that raises is logged and skipped: one broken rule must not hide
    every other finding.
    """
    findings: list[Finding] = []
    for rule in ALL_RULES if rules is None else rules:
        if not settings.enabled(rule):
            continue
        try:
            for finding in rule.check(context):
                severity = settings.severity_of(rule, finding.severity)
                if severity != finding.severity:
                    finding = Finding(
                        finding.rule_code,
                        finding.rule_name,
                        severity,
                        finding.message,
                        finding.location,
                        finding.related,
                        finding.fixes,
                    )
                findings.append(finding)
        except Exception:
            _LOG.exception("rule %s (%s) failed", rule.code, rule.name)
    line_indexes: dict[str, LineIndex | None] = {}

    def line_text(path: str, offset: int) -> bytes:
        if path not in line_indexes:
            # Most files have no suppression comment at all: skip indexing them.
            text = _text_for(context, path)
            line_indexes[path] = LineIndex(text) if b"kconfig-ls" in text else None
        index = line_indexes[path]
        return index.line_bytes(index.line_of(offset)) if index is not None else b""

    return list(filter_suppressed(findings, line_text))


def _text_for(context: CheckContext, path: str) -> bytes:
    """The text suppression comments are read from: the model's, else the disk's.

    Kconfig files are in the model; C, Makefiles and config files are not
    (the code index keeps no text), so theirs is read when a finding needs it.
    """
    text = context.model.text(path)
    if text:
        return text
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return b""
