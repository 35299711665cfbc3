"""Diagnostics in two tiers, and the code actions they offer.

The *syntax tier* is what one file's parse says (syntax errors, unbalanced
blocks, unreadable bytes): it is cheap, so the server publishes it on
every keystroke. The *full tier* runs every rule of the registry over the
linked tree (select of visible symbols, undefined symbols, cycles, ...):
it reads the whole tree, so the server runs it in the background after a
pause in typing, once for all open files. Both tiers go through
`run_checks`, so rule settings, severities and suppression comments apply
to both exactly as they do in the lint CLI.

Code actions are the fixes of the findings at a span, plus one action per
finding that silences it with a `# kconfig-ls: ignore[name]` comment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from kconfig_ls.analysis.cancellation import CancellationToken
from kconfig_ls.checks.framework import CheckContext, Finding, Rule, RuleSettings, TextEdit, suppressed_codes
from kconfig_ls.checks.incremental import solver_tier_rules
from kconfig_ls.checks.registry import ALL_RULES, run_checks
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.syntax.kconfig import Span
from kconfig_ls.vfs.overlay import FileOverlay

if TYPE_CHECKING:
    from kconfig_ls.semantics.code_index import CodeIndex

__all__ = [
    "SYNTAX_TIER_RULE_CODES",
    "CodeAction",
    "ExplainedFindings",
    "code_actions_for",
    "full_tier_findings",
    "merge_tiers",
    "syntax_tier_findings",
]

# Rules that read nothing but one file's parse.
SYNTAX_TIER_RULE_CODES: Final = frozenset({"KLS000", "KLS005", "KLS008"})


@dataclass(frozen=True, slots=True)
class CodeAction:
    """A quick fix: its title, its edits and the finding it addresses."""

    title: str
    edits: tuple[TextEdit, ...]
    finding: Finding | None
    preferred: bool = False


def syntax_tier_findings(
    model: KconfigModel, path: str, settings: RuleSettings, overlay: FileOverlay | None = None
) -> list[Finding]:
    """The parse problems of one file, as findings of the syntax rules.

    Only that file is looked at (its parse and read problems), so the cost is
    one file's, whatever the size of the tree.
    """
    if path not in model.files and path not in model.file_problems:
        return []
    rules = [rule for rule in ALL_RULES if rule.code in SYNTAX_TIER_RULE_CODES]
    context = CheckContext(_SingleFileModel(model, path), overlay=overlay)  # type: ignore[arg-type]
    return [finding for finding in run_checks(context, settings, rules) if finding.location.path == path]


def full_tier_findings(
    model: KconfigModel,
    settings: RuleSettings,
    code_index: CodeIndex | None = None,
    overlay: FileOverlay | None = None,
    cancellation: CancellationToken | None = None,
    *,
    cache_directory: str | None = None,
    logic: bool = False,
) -> dict[str, list[Finding]]:
    """Every finding of every enabled rule over the tree, grouped by file.

    Without a `code_index` the rules about C, Makefiles and config files
    find nothing. Raises `Cancelled` when `cancellation` is set meanwhile.
    """
    grouped: dict[str, list[Finding]] = {}
    context = CheckContext(
        model,
        code_index,
        overlay,
        cancellation,
        cache_directory=cache_directory,
        logic=logic,
    )
    for finding in run_checks(context, settings):
        grouped.setdefault(finding.location.path, []).append(finding)
    return grouped


class ExplainedFindings:
    """The logic's findings a hover explains, computed for the files it asks about, once each.

    The server hands its hovers the solver tier's last findings, which a
    background pass keeps for the whole tree. A one-shot question (`kconfig-ls
    query hover --logic`) has no such pass, and running every rule over the
    tree for one hover cost minutes on Linux (the `#if` blocks of every C
    file of the build). A hover asks about Kconfig files (the symbol's
    entries, its selectors) and at most one C file (the blocks around the
    cursor), so this runs the solver tier's Kconfig rules once over the tree
    (their analyses come from the disk cache when warm), and the per-file
    rules on each code file asked about alone. The findings are those the
    server's solver tier gives in those files.
    """

    def __init__(self, context: CheckContext, settings: RuleSettings) -> None:
        self._context = context
        self._settings = settings
        self._kconfig_findings: dict[str, list[Finding]] | None = None
        self._code_findings: dict[str, list[Finding]] = {}

    def __call__(self, path: str) -> list[Finding]:
        if path in self._context.model.files:
            if self._kconfig_findings is None:
                rules = [rule for rule in self._solver_rules() if rule.scope == "kconfig"]
                self._kconfig_findings = {}
                for finding in run_checks(self._context, self._settings, rules):
                    self._kconfig_findings.setdefault(finding.location.path, []).append(finding)
            return self._kconfig_findings.get(path, [])
        if path not in self._code_findings:
            rules = [rule for rule in self._solver_rules() if rule.per_file is not None]
            found = run_checks(self._context, self._settings, rules, files=frozenset({path}))
            self._code_findings[path] = [finding for finding in found if finding.location.path == path]
        return self._code_findings[path]

    def _solver_rules(self) -> list[Rule]:
        return solver_tier_rules(self._settings, self._context.logic)


class _SingleFileModel:
    """The model as the syntax-tier rules see it: one file's parse and read problems."""

    def __init__(self, model: KconfigModel, path: str) -> None:
        self._model = model
        parsed = model.files.get(path)
        self.files = {path: parsed} if parsed is not None else {}
        problems = model.file_problems.get(path)
        self.file_problems = {path: problems} if problems is not None else {}

    def text(self, path: str) -> bytes:
        return self._model.text(path)


def merge_tiers(syntax: Iterable[Finding], full: Iterable[Finding]) -> list[Finding]:
    """The syntax tier plus the full tier's other findings, without duplicates."""
    merged = list(syntax)
    seen = {_identity(finding) for finding in merged}
    for finding in full:
        if finding.rule_code in SYNTAX_TIER_RULE_CODES or _identity(finding) in seen:
            continue
        seen.add(_identity(finding))
        merged.append(finding)
    merged.sort(key=lambda finding: (finding.location.span.start, finding.rule_code))
    return merged


def code_actions_for(findings: Iterable[Finding], span: Span, data: bytes) -> list[CodeAction]:
    """Fixes of the findings that overlap `span`, then suppressions for them."""
    overlapping = [f for f in findings if _overlaps(f.location.span, span)]
    actions: list[CodeAction] = []
    for finding in overlapping:
        for index, fix in enumerate(finding.fixes):
            actions.append(CodeAction(fix.title, fix.edits, finding, preferred=index == 0))
    for finding in overlapping:
        suppression = _suppression_edit(finding, data)
        if suppression is not None:
            actions.append(CodeAction(f"Ignore {finding.rule_name} on this line", (suppression,), finding))
    return actions


def _identity(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.rule_code, finding.location.span.start, finding.location.span.end, finding.message)


def _overlaps(first: Span, second: Span) -> bool:
    if second.start == second.end:
        return first.start <= second.start <= first.end
    return first.start < second.end and second.start < first.end


def _suppression_edit(finding: Finding, data: bytes) -> TextEdit | None:
    """An edit adding `# kconfig-ls: ignore[name]` at the end of the finding's line."""
    offset = min(finding.location.span.start, len(data))
    line_end = data.find(b"\n", offset)
    if line_end < 0:
        line_end = len(data)
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data[line_start:line_end]
    if suppressed_codes(line) is not None:
        return None
    insert_at = line_end - 1 if line.endswith(b"\r") else line_end
    comment = f"  # kconfig-ls: ignore[{finding.rule_name}]"
    return TextEdit(Location(finding.location.path, Span(insert_at, insert_at)), comment)
