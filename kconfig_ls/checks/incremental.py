"""Whole-tree findings after an edit, recomputing only the rules the edit can affect.

Each rule declares what its findings depend on (`Rule.tier`, `Rule.scope`).
Between two snapshots the host knows what changed (`ChangeSummary`: the
Kconfig files and code files re-derived, the symbols whose meaning changed,
the names whose uses changed), so:

- a rule is reused whole when no change touched its scope (a C edit leaves
  every Kconfig rule's findings as they were; a Kconfig edit that adds or
  removes no symbol leaves every code rule's);
- a tree rule whose scope saw only edits that changed no symbol's meaning
  and no name's uses (typing in a help text, a comment, a blank line) keeps
  its findings, moved along with the edit of each changed file; a finding
  whose own text was edited cannot be moved, and then the rule runs again;
- a tree rule with a per-symbol entry point (`Rule.per_symbol`: KLS001,
  KLS002, KLS006) after an edit that changed the meaning of some symbols
  keeps the findings of the symbols the edit cannot affect and recomputes
  only those of the affected ones, which the rule itself names from the
  changed symbols (their selectors, targets, cycle members), and of the
  symbols with a finding in an edited file;
- everything else runs again (file-tier rules are cheap: one pass over the
  files' problems).

An edit that adds, removes or changes a suppression comment
(`kconfig-ls: ignore`) in a Kconfig file reuses nothing by moving: the
suppression may apply to a finding that is not among the previous ones.

The result equals a full run (a test compares them after random edits).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kconfig_ls.analysis.cancellation import CancellationToken
from kconfig_ls.checks.framework import CheckContext, Finding, Rule, RuleSettings, SymbolChanges
from kconfig_ls.checks.moving import move_finding
from kconfig_ls.checks.registry import ALL_RULES, run_checks
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel
from kconfig_ls.text.documents import ByteEdit, single_edit
from kconfig_ls.vfs.overlay import FileOverlay

if TYPE_CHECKING:
    from kconfig_ls.logic.incremental_logic import IncrementalLogic

__all__ = ["ChangedInputs", "RuleResults", "incremental_findings", "solver_findings", "solver_tier_rules"]


@dataclass(frozen=True)
class ChangedInputs:
    """What changed since the previous results (see `analysis.host.ChangeSummary`)."""

    everything: bool
    kconfig_files: frozenset[str]
    code_files: frozenset[str]
    symbols: frozenset[str]
    references: frozenset[str]
    names: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleResults:
    """The findings of each rule on one snapshot, and what they were computed from."""

    by_rule: Mapping[str, tuple[Finding, ...]]
    rule_settings: RuleSettings
    model: KconfigModel

    def grouped(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for findings in self.by_rule.values():
            for finding in findings:
                grouped.setdefault(finding.location.path, []).append(finding)
        return grouped


def incremental_findings(
    previous: RuleResults | None,
    changes: ChangedInputs,
    model: KconfigModel,
    code_index: CodeIndex | None,
    rule_settings: RuleSettings,
    overlay: FileOverlay | None = None,
    cancellation: CancellationToken | None = None,
    *,
    solver_tier: bool = True,
) -> RuleResults:
    """Every enabled rule's findings on `model`, reusing `previous` where nothing they depend on changed.

    With `solver_tier=False` the solver-tier rules are left out: the server
    runs them afterwards in the background (`solver_findings`).
    """
    context = CheckContext(model, code_index, overlay, cancellation)
    reuse_allowed = (
        previous is not None and not changes.everything and previous.rule_settings == rule_settings
    )
    edits, suppressions_edited = (
        _edits(previous.model, model, changes.kconfig_files) if previous is not None else ({}, False)
    )
    by_rule: dict[str, tuple[Finding, ...]] = {}
    for rule in ALL_RULES:
        if not rule_settings.enabled(rule) or (not solver_tier and rule.tier == "solver"):
            continue
        if reuse_allowed and previous is not None and rule.code in previous.by_rule:
            old = previous.by_rule[rule.code]
            reused = _reused(rule, old, changes, edits, suppressions_edited)
            if reused is None and not suppressions_edited:
                context.check_cancelled()
                reused = _per_symbol(rule, old, changes, edits, previous.model, context, rule_settings)
            if reused is not None:
                by_rule[rule.code] = reused
                continue
        context.check_cancelled()
        by_rule[rule.code] = tuple(run_checks(context, rule_settings, [rule]))
    return RuleResults(by_rule, rule_settings, model)


def _per_symbol(
    rule: Rule,
    findings: tuple[Finding, ...],
    changes: ChangedInputs,
    edits: Mapping[str, ByteEdit],
    previous_model: KconfigModel,
    context: CheckContext,
    rule_settings: RuleSettings,
) -> tuple[Finding, ...] | None:
    """The previous findings of the unaffected symbols (moved) plus those recomputed for the affected."""
    entry = rule.per_symbol
    if entry is None or rule.tier != "tree" or rule.scope != "kconfig":
        return None
    affected = entry.affected(
        SymbolChanges(
            previous_model,
            context.model,
            changes.symbols,
            changes.references,
            changes.names,
            context.logic,
        )
    )
    if affected is None:
        return None
    # A finding in an edited file is recomputed rather than moved: the model
    # compares uses without their positions, so a use can move to another
    # line that says the same (a line duplicated above it) unreported.
    return _recompute_symbols(rule, findings, affected, edits, context, rule_settings)


def _recompute_symbols(
    rule: Rule,
    findings: tuple[Finding, ...],
    affected: frozenset[str],
    edits: Mapping[str, ByteEdit],
    context: CheckContext,
    rule_settings: RuleSettings,
) -> tuple[Finding, ...]:
    """The findings of the unaffected symbols kept, those of the affected ones computed again.

    A symbol with a finding in an edited file counts as affected too.
    """
    kept: list[Finding] = []
    in_edited_files: set[str] = set()
    for finding in findings:
        if finding.symbol in affected:
            continue
        if finding.location.path in edits or any(item.location.path in edits for item in finding.related):
            in_edited_files.add(finding.symbol)
        else:
            kept.append(finding)
    if in_edited_files:
        affected = affected | in_edited_files
        kept = [finding for finding in kept if finding.symbol not in in_edited_files]
    kept.extend(run_checks(context, rule_settings, [rule], symbols=affected))
    return tuple(kept)


def _reused(
    rule: Rule,
    findings: tuple[Finding, ...],
    changes: ChangedInputs,
    edits: Mapping[str, ByteEdit],
    suppressions_edited: bool,
) -> tuple[Finding, ...] | None:
    """The previous findings if still valid (moved along with edits), else None (run again)."""
    kconfig_changed = bool(changes.kconfig_files)
    code_changed = bool(changes.code_files)
    meaning_changed = bool(changes.symbols or changes.references)
    if rule.scope == "code":
        # Code-side findings depend on the code and on which names Kconfig
        # defines (and whether the configured tree reaches them), not on what
        # the definitions say.
        if code_changed or changes.names:
            return None
        return findings
    if rule.scope == "both" and (code_changed or kconfig_changed):
        return None
    if not kconfig_changed:
        return findings
    if rule.tier != "tree" or meaning_changed or suppressions_edited:
        return None
    moved: list[Finding] = []
    edits_by_path = {path: (edit,) for path, edit in edits.items()}
    for finding in findings:
        relocated = move_finding(finding, edits_by_path, strict=True)
        if relocated is None:
            return None
        moved.append(relocated)
    return tuple(moved)


def _edits(old: KconfigModel, new: KconfigModel, paths: frozenset[str]) -> tuple[dict[str, ByteEdit], bool]:
    """The edit of each changed Kconfig file, and whether one touched a suppression comment."""
    edits: dict[str, ByteEdit] = {}
    suppressions_edited = False
    for path in paths:
        before, after = old.text(path), new.text(path)
        if before != after:
            start, old_end, new_end = single_edit(before, after)
            edits[path] = ByteEdit(start, old_end, new_end)
            suppressions_edited = suppressions_edited or (
                _SUPPRESSION_MARK in _edited_lines(before, start, old_end)
                or _SUPPRESSION_MARK in _edited_lines(after, start, new_end)
            )
    return edits, suppressions_edited


_SUPPRESSION_MARK = b"kconfig-ls"


def _edited_lines(text: bytes, start: int, end: int) -> bytes:
    """The whole lines an edit of `text[start:end]` touches."""
    line_start = text.rfind(b"\n", 0, start) + 1
    line_end = text.find(b"\n", end)
    return text[line_start : len(text) if line_end < 0 else line_end]


# --- the solver tier ----------------------------------------------------------------------------

SOLVER_ANALYSED = frozenset({"KLS001", "KLS201", "KLS203", "KLS204", "KLS205"})
"""The rules that read the select and liveness analyses (`logic.world_analysis`), which
`IncrementalLogic` keeps up to date; other solver-tier rules compute on their own."""


def solver_tier_rules(rule_settings: RuleSettings, logic: bool) -> list[Rule]:
    """The rules the solver tier runs: the enabled solver-tier rules, and with the logic on the
    tree rules it re-grades (whose solver-tier findings replace their tree-tier ones)."""
    return [
        rule
        for rule in ALL_RULES
        if rule_settings.enabled(rule) and (rule.tier == "solver" or (logic and rule.regraded_by_logic))
    ]


def solver_findings(
    previous: RuleResults | None,
    changes: ChangedInputs,
    context: CheckContext,
    rule_settings: RuleSettings,
    logic_state: IncrementalLogic | None = None,
    progress: Callable[[str, int | None], None] | None = None,
) -> RuleResults:
    """The solver tier's findings on `context.model`, re-checking only what the changes affect.

    `context.logic` says whether tree rules re-graded by the logic run here
    (always with the logic on). A rule no change can affect keeps its
    findings (moved along with the edits of a help text); the select and
    liveness analyses are brought up to date by `logic_state`
    (`IncrementalLogic`: only the questions whose cone holds a changed
    symbol are asked again) and the rules that read them run on the result;
    KLS001 then recomputes only the targets whose select verdict or
    definitions changed.
    """
    from kconfig_ls.logic.world_analysis import install_analyses

    model = context.model
    rules = solver_tier_rules(rule_settings, context.logic)
    logic_context = CheckContext(
        model,
        context.code_index,
        context.overlay,
        context.cancellation,
        context.configuration,
        cache_directory=context.cache_directory,
        logic=True,
        progress=progress,
    )
    reuse_allowed = (
        previous is not None and not changes.everything and previous.rule_settings == rule_settings
    )
    edits, suppressions_edited = (
        _edits(previous.model, model, changes.kconfig_files) if previous is not None else ({}, False)
    )
    changed_targets: frozenset[str] | None = None
    analyses_ready = False
    by_rule: dict[str, tuple[Finding, ...]] = {}
    for rule in rules:
        old = previous.by_rule.get(rule.code) if reuse_allowed and previous is not None else None
        if old is not None:
            reused = _reused_solver(rule, old, changes, edits, suppressions_edited)
            if reused is not None:
                by_rule[rule.code] = reused
                continue
        context.check_cancelled()
        if rule.code in SOLVER_ANALYSED and logic_state is not None and not analyses_ready:
            update = logic_state.update(model, context.cancellation, progress)
            install_analyses(model, update.selects, update.liveness, context.cache_directory)
            changed_targets = None if update.rebuilt else update.changed_targets
            analyses_ready = True
        if old is not None and rule.per_file is not None and previous is not None:
            recomputed_files = _per_file(rule, old, changes, logic_context, rule_settings)
            if recomputed_files is not None:
                by_rule[rule.code] = recomputed_files
                continue
        if (
            old is not None
            and rule.per_symbol is not None
            and rule.regraded_by_logic
            and changed_targets is not None
            and previous is not None
            and not suppressions_edited
        ):
            recomputed = _per_symbol_regraded(
                rule, old, changes, edits, previous.model, logic_context, rule_settings, changed_targets
            )
            if recomputed is not None:
                by_rule[rule.code] = recomputed
                continue
        by_rule[rule.code] = tuple(run_checks(logic_context, rule_settings, [rule]))
    return RuleResults(by_rule, rule_settings, model)


def _per_file(
    rule: Rule,
    findings: tuple[Finding, ...],
    changes: ChangedInputs,
    context: CheckContext,
    rule_settings: RuleSettings,
) -> tuple[Finding, ...] | None:
    """After an edit of C files alone: the other files' findings kept, the edited files' recomputed.

    A Kconfig edit or a Makefile edit (which changes the condition a file is
    built under, for every file below it) runs the whole rule.
    """
    if changes.kconfig_files or changes.names or not changes.code_files:
        return None
    if any(not path.endswith((".c", ".h")) for path in changes.code_files):
        return None
    kept = [
        finding
        for finding in findings
        if finding.location.path not in changes.code_files
        and not any(item.location.path in changes.code_files for item in finding.related)
    ]
    kept.extend(run_checks(context, rule_settings, [rule], files=changes.code_files))
    return tuple(kept)


def _reused_solver(
    rule: Rule,
    findings: tuple[Finding, ...],
    changes: ChangedInputs,
    edits: Mapping[str, ByteEdit],
    suppressions_edited: bool,
) -> tuple[Finding, ...] | None:
    """A solver-tier rule's previous findings when no change reaches them (moved), else None."""
    if rule.scope == "code":
        return None if changes.code_files or changes.names else findings
    if rule.scope == "both" and (changes.code_files or changes.kconfig_files):
        return None
    if not changes.kconfig_files:
        return findings
    if changes.symbols or changes.references or suppressions_edited:
        return None
    moved: list[Finding] = []
    edits_by_path = {path: (edit,) for path, edit in edits.items()}
    for finding in findings:
        relocated = move_finding(finding, edits_by_path, strict=True)
        if relocated is None:
            return None
        moved.append(relocated)
    return tuple(moved)


def _per_symbol_regraded(
    rule: Rule,
    findings: tuple[Finding, ...],
    changes: ChangedInputs,
    edits: Mapping[str, ByteEdit],
    previous_model: KconfigModel,
    context: CheckContext,
    rule_settings: RuleSettings,
    changed_targets: frozenset[str],
) -> tuple[Finding, ...] | None:
    """A re-graded rule's findings: those of the symbols the edit or a changed verdict affects, recomputed."""
    entry = rule.per_symbol
    assert entry is not None
    affected = entry.affected(
        SymbolChanges(
            previous_model, context.model, changes.symbols, changes.references, changes.names, False
        )
    )
    if affected is None:
        return None
    affected = affected | changed_targets
    return _recompute_symbols(rule, findings, affected, edits, context, rule_settings)
