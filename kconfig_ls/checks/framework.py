"""Rules, findings and rule settings: the vocabulary shared by all checks.

Every rule lives in its own module under `kconfig_ls/checks/rules/`, whose
docstring is the rule's documentation (`docs/rules.md` is generated from
them). A rule has a stable code (`KLS001`), a name (`select-visible`), a
default severity and a `check` function that yields `Finding`s from a
`CheckContext`. Rules never format for a client: the CLI and the server do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

# Defined apart (the settings resolve them without the rest of this vocabulary), part of it.
from kconfig_ls.checks.rule_settings import SEVERITY_WORDS as SEVERITY_WORDS
from kconfig_ls.checks.rule_settings import RuleSettings as RuleSettings
from kconfig_ls.checks.rule_settings import Severity as Severity

if TYPE_CHECKING:
    # Annotations only: the rule registry (and through it `kconfig-ls lint`'s start, the
    # results cache's decoding and the report) needs no model, code index or logic layer.
    from kconfig_ls.analysis.cancellation import CancellationToken
    from kconfig_ls.logic.configuration import Configuration
    from kconfig_ls.semantics.code_index import CodeIndex
    from kconfig_ls.semantics.model import KconfigModel, Location
    from kconfig_ls.vfs.overlay import FileOverlay

__all__ = [
    "SEVERITY_WORDS",
    "CheckContext",
    "Finding",
    "Fix",
    "RelatedLocation",
    "Rule",
    "RuleSettings",
    "Severity",
    "SymbolChanges",
    "SymbolEntryPoint",
    "TextEdit",
]


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    message: str
    location: Location


@dataclass(frozen=True, slots=True)
class TextEdit:
    location: Location
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A quick fix: a title and the edits that apply it."""

    title: str
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding. `symbol` names the symbol it is about, when there is one
    (for matching findings across versions of a tree).

    `identity` is what identifies the finding across versions of a tree when
    its message also carries data that may differ from run to run for the
    same problem (KLS201's witness is one model among many: "USB=m" in one
    run, "USB=m, USB_EHCI_HCD=m" in the next); `--diff`, `--baseline` and
    SARIF fingerprints use it instead of the message. Empty: the message.
    """

    rule_code: str
    rule_name: str
    severity: Severity
    message: str
    location: Location
    related: tuple[RelatedLocation, ...] = ()
    fixes: tuple[Fix, ...] = ()
    symbol: str = ""
    identity: str = ""


@dataclass(frozen=True)
class SymbolChanges:
    """What an edit changed, as a per-symbol entry point sees it (see `SymbolEntryPoint`).

    `symbols` are the names whose meaning changed, `references` the names
    whose uses changed, `names` those that appeared or disappeared as
    definitions (`semantics.model.ModelUpdate`); `previous_model` is the
    model the previous findings were computed on; `logic` whether the rules
    consult the logic layer (whose answers any edit may change).
    """

    previous_model: KconfigModel
    model: KconfigModel
    symbols: frozenset[str]
    references: frozenset[str]
    names: frozenset[str]
    logic: bool = False


@dataclass(frozen=True, slots=True)
class SymbolEntryPoint:
    """A tree rule's per-symbol entry point, for the incremental runner (`checks.incremental`).

    Every finding of such a rule names the symbol it belongs to
    (`Finding.symbol`). `affected` tells, from what an edit changed, the
    symbols whose findings may differ (None: it cannot tell, run the whole
    rule); `check` yields exactly the findings of the given symbols, as the
    whole rule would. The runner keeps the other findings (moved along with
    the edit) and asks `check` for the rest.
    """

    affected: Callable[[SymbolChanges], frozenset[str] | None]
    check: Callable[[CheckContext, frozenset[str]], Iterable[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: its stable code and name, its documentation, and what its findings depend on.

    `tier` says how far a rule looks: `file` (one file's parse and read
    problems), `tree` (the linked model), `solver` (the logic layer).
    `scope` says which inputs its findings depend on: `kconfig` (the model),
    `code` (the code index and the model's symbol names) or `both`. The
    incremental runner (`checks.incremental`) reuses a rule's findings when
    no change touched what it depends on.
    """

    code: str
    name: str
    summary: str
    default_severity: Severity
    check: Callable[[CheckContext], Iterable[Finding]]
    documentation: str = ""
    tier: str = "tree"
    scope: str = "kconfig"
    group: str = "stable"
    """`stable`, or `preview`: off unless selected by name, configured, or previews are enabled."""
    per_symbol: SymbolEntryPoint | None = None
    """The rule's per-symbol entry point, when it has one (tree rules about symbols)."""
    per_file: Callable[[CheckContext, frozenset[str]], Iterable[Finding]] | None = None
    """A code rule's per-file entry point: exactly the findings in these code files, as the
    whole rule would give (the solver tier re-checks only the edited C files with it)."""
    regraded_by_logic: bool = False
    """A tree rule that grades more precisely when `CheckContext.logic` is on (KLS001): the
    server runs it by syntax in the tree tier, then again with the logic in the solver tier,
    whose findings replace the tree tier's."""

    def finding(
        self,
        message: str,
        location: Location,
        *,
        severity: Severity | None = None,
        related: Iterable[RelatedLocation] = (),
        fixes: Iterable[Fix] = (),
        symbol: str = "",
        identity: str = "",
    ) -> Finding:
        return Finding(
            self.code,
            self.name,
            self.default_severity if severity is None else severity,
            message,
            location,
            tuple(related),
            tuple(fixes),
            symbol,
            identity,
        )


@dataclass
class CheckContext:
    """What a rule may look at: the Kconfig model and, when indexed, the code.

    Rules about C, Makefiles and config files yield nothing when
    `code_index` is None (a Kconfig-only run). `overlay` is the file overlay
    the texts come from (open buffers over the disk); `cancellation`, when
    given, is checked between rules and by long rules between units of work.
    The configuration-file rules (KLS3xx) look at `configuration`, an
    evaluated `.config`/defconfig, and yield nothing without one.
    """

    model: KconfigModel
    code_index: CodeIndex | None = None
    overlay: FileOverlay | None = None
    cancellation: CancellationToken | None = None
    configuration: Configuration | None = None

    def check_cancelled(self) -> None:
        if self.cancellation is not None:
            self.cancellation.check()

    cache_directory: str | None = None
    """Where analyses that are expensive to build (the logic layer's) keep their results."""
    logic: bool = False
    """Let stable rules consult the logic layer (a SAT analysis over every world: about a minute
    for Linux's 21 architectures the first time, cached on disk by tree content). The CLI turns
    it on; preview rules built on the logic run whenever they are enabled."""
    progress: Callable[[str, int | None], None] | None = None
    """Where a long rule reports how far it is (a message, a percentage or None): the server's
    work-done progress of the solver tier; None elsewhere."""


_SUPPRESSION: Final = re.compile(rb"kconfig-ls:\s*ignore(?:\[([A-Za-z0-9_,\- ]+)\])?")


def suppressed_codes(line: bytes) -> frozenset[str] | None:
    """Codes suppressed by a `kconfig-ls: ignore[...]` comment on a line.

    Returns None when the line has no such comment, and `{"*"}` for a bare
    `kconfig-ls: ignore` that silences every rule on the line.
    """
    if b"kconfig-ls" not in line:
        return None
    match = _SUPPRESSION.search(line)
    if match is None:
        return None
    if match.group(1) is None:
        return frozenset({"*"})
    return frozenset(part.strip() for part in match.group(1).decode().split(",") if part.strip())


def filter_suppressed(
    findings: Iterable[Finding], line_text: Callable[[str, int], bytes]
) -> Iterator[Finding]:
    """Drop findings whose line carries a matching suppression comment.

    `line_text(path, offset)` returns the bytes of the line containing the
    offset; the caller owns the file text.
    """
    for finding in findings:
        codes = suppressed_codes(line_text(finding.location.path, finding.location.span.start))
        if codes is not None and ("*" in codes or finding.rule_code in codes or finding.rule_name in codes):
            continue
        yield finding
