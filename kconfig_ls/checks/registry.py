"""The list of rules and the one function that runs them.

Both clients call `run_checks`: the lint CLI over a whole tree, the server
for the files it publishes diagnostics for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace

from kconfig_ls.analysis.cancellation import Cancelled
from kconfig_ls.checks.framework import CheckContext, Finding, Rule, RuleSettings, filter_suppressed
from kconfig_ls.checks.rules import (
    backwards_range,
    code_file_problem,
    config_duplicate_assignment,
    config_invalid_value,
    config_n_value,
    config_no_prompt,
    config_redundant_default,
    config_unknown_symbol,
    config_value_does_not_stick,
    conflicting_types,
    constant_condition,
    dead_block,
    dead_default,
    dead_prompt,
    dead_range,
    dead_symbol,
    endif_comment,
    ignored_trust_request,
    macro_message,
    other_architecture_symbol,
    recursive_dependency,
    redundant_dependency,
    redundant_guard,
    redundant_select,
    renamed_symbol,
    select_choice_member,
    select_unmet_dependency,
    select_visible,
    source_problem,
    syntax_error,
    unbalanced_block,
    undead_block,
    undefined_symbol,
    undefined_symbol_in_code,
    unreadable_file,
)
from kconfig_ls.text.line_index import LineIndex
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay

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
    ignored_trust_request.RULE,
    undefined_symbol_in_code.RULE,
    endif_comment.RULE,
    other_architecture_symbol.RULE,
    code_file_problem.RULE,
    renamed_symbol.RULE,
    config_unknown_symbol.RULE,
    config_invalid_value.RULE,
    config_value_does_not_stick.RULE,
    config_no_prompt.RULE,
    config_redundant_default.RULE,
    config_duplicate_assignment.RULE,
    config_n_value.RULE,
    select_unmet_dependency.RULE,
    select_choice_member.RULE,
    dead_symbol.RULE,
    dead_prompt.RULE,
    dead_default.RULE,
    redundant_guard.RULE,
    dead_block.RULE,
    undead_block.RULE,
    redundant_dependency.RULE,
    redundant_select.RULE,
    constant_condition.RULE,
    dead_range.RULE,
    backwards_range.RULE,
]


_LIVENESS_RULES = frozenset({dead_symbol.RULE.code, dead_prompt.RULE.code, dead_default.RULE.code})


def _expect_logic(settings: RuleSettings, rules: Iterable[Rule]) -> None:
    """Tell the logic layer whether the liveness will be asked too (it overlaps it with the selects).

    The logic modules are imported only when a liveness rule runs (or when
    they were imported already, to forget an earlier run's expectation).
    """
    import sys

    wanted = any(rule.code in _LIVENESS_RULES and settings.enabled(rule) for rule in rules)
    if wanted or "kconfig_ls.logic.world_analysis" in sys.modules:
        from kconfig_ls.logic.world_analysis import expect_analyses

        expect_analyses(("selects", "liveness") if wanted else ())


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
    context: CheckContext,
    settings: RuleSettings,
    rules: Iterable[Rule] | None = None,
    symbols: frozenset[str] | None = None,
    files: frozenset[str] | None = None,
) -> list[Finding]:
    """Run the enabled rules; apply severities and suppression comments.

    With `symbols`, each rule runs its per-symbol entry point
    (`Rule.per_symbol`) on those symbols alone (the incremental runner);
    with `files`, its per-file entry point (`Rule.per_file`) on those files.

    A rule that raises is logged and skipped: one broken rule must not hide
    every other finding. `Cancelled` (a newer change arrived) is not an
    error: it ends the run.
    """
    findings: list[Finding] = []
    if symbols is None and files is None:
        _expect_logic(settings, ALL_RULES if rules is None else rules)
    for rule in ALL_RULES if rules is None else rules:
        if not settings.enabled(rule):
            continue
        context.check_cancelled()
        try:
            if symbols is not None and rule.per_symbol is not None:
                produced = rule.per_symbol.check(context, symbols)
            elif files is not None and rule.per_file is not None:
                produced = rule.per_file(context, files)
            else:
                produced = rule.check(context)
            for finding in produced:
                # A checkpoint per finding: a long rule stops soon after a newer change.
                context.check_cancelled()
                severity = settings.severity_of(rule, finding.severity)
                if severity != finding.severity:
                    finding = replace(finding, severity=severity)
                findings.append(finding)
        except Cancelled:
            raise
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
    """The text suppression comments are read from: the open buffer, the model's, else the disk's.

    Through the file overlay, so a suppression typed into an unsaved C,
    Makefile or config buffer counts at once. Kconfig files are in the model;
    C, Makefiles and config files are not (the code index keeps no text), so
    theirs is read when a finding needs it.
    """
    overlay = context.overlay or FileOverlay()
    document = overlay.document(path)
    if document is not None:
        return document.data
    text = context.model.text(path)
    if text:
        return text
    return overlay.read_or_empty(path, MAX_CODE_FILE_SIZE)
