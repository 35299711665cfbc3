"""The active configuration of one snapshot: evaluated values, its findings, and its status line.

A snapshot owns one `ActiveConfiguration` (made on first use): the choice
the host was given (`configuration_choice.ConfigurationChoice`), the files'
bytes read through the snapshot's overlay (an open buffer of a
configuration file wins over the disk), and their evaluation on the
snapshot's symbol table (`logic.configuration.evaluate_configuration`,
memoised per table and configuration text, and incremental after an edit
of the file). Compiler probes: a value the file records is taken from it
(`ProbePolicy.FROM_FILE`, a full `.config` holds what the real compiler
answered); otherwise what depends on a probe is unknown unless the
workspace is trusted (then the model runs the probe).

`SymbolTableCache` shares symbol tables between snapshots of the same
model, so that an edit of a configuration file (which leaves the Kconfig
model as it is) does not rebuild the table and re-evaluates incrementally.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from kconfig_ls.analysis.configuration_choice import ConfigurationChoice
from kconfig_ls.checks.framework import CheckContext, Finding
from kconfig_ls.logic.configuration import (
    ConfigSource,
    Configuration,
    ProbePolicy,
    evaluate_configuration,
)
from kconfig_ls.logic.enabling import EnablingSearch, search_enabling_set
from kconfig_ls.logic.hypothetical import prepare
from kconfig_ls.semantics.symbols import SymbolTable, build_symbol_table
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE

if TYPE_CHECKING:
    from kconfig_ls.analysis.snapshot import Analysis
    from kconfig_ls.semantics.model import KconfigModel

__all__ = ["CONFIGURATION_RULE_PREFIX", "ActiveConfiguration", "ConfigurationStatus", "SymbolTableCache"]

CONFIGURATION_RULE_PREFIX: Final = "KLS3"
HOVER_SEARCH_BUDGET: Final = 0.010
"""Seconds of CPU the hover gives the enabling-set search; a longer search finishes in the background."""
_KEPT_TABLES: Final = 4

# Memos keyed by the evaluated configuration itself: `evaluate_configuration`
# returns the same object for the same table and text, so the snapshots after
# an edit of another file (or a keystroke undone) share them. Weak keys: a
# configuration no snapshot holds any more takes its memos with it.
_MEMO_LOCK: Final = threading.Lock()
_FINDINGS: weakref.WeakKeyDictionary[Configuration, tuple[object, list[Finding]]] = (
    weakref.WeakKeyDictionary()
)
_ENABLING_SETS: weakref.WeakKeyDictionary[Configuration, dict[tuple[str, str], EnablingSearch]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True, slots=True)
class ConfigurationStatus:
    """What an editor's status shows (the `kconfig-ls/configurationStatus` notification).

    `path` is the first configuration file (None without a configuration),
    `unknown_values` the symbols whose value a compiler probe decides and
    the file does not record, `problems` the configuration-file findings
    (KLS3xx) in the configuration's files plus the entries that resolved to
    no file (`choice_problems` says which).
    """

    label: str
    path: str | None
    unknown_values: int
    problems: int
    choice_problems: tuple[str, ...] = ()


class SymbolTableCache:
    """Symbol tables by model and world, shared by the snapshots of one host (the last few models).

    It also remembers the latest evaluation of each configuration (by its
    files), which answers stand in with while the configuration is evaluated
    again on a new model (`ActiveConfiguration.configuration(wait=False)`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tables: OrderedDict[tuple[int, str], tuple[KconfigModel, SymbolTable]] = OrderedDict()
        self._latest: dict[tuple[str, ...], Configuration] = {}

    def peek(self, model: KconfigModel, world: str) -> SymbolTable | None:
        """The table if it is built already (never builds it)."""
        with self._lock:
            entry = self._tables.get((id(model), world))
            return entry[1] if entry is not None and entry[0] is model else None

    def remember(self, files: tuple[str, ...], configuration: Configuration) -> None:
        with self._lock:
            self._latest = {files: configuration}  # one configuration is active at a time

    def latest(self, files: tuple[str, ...]) -> Configuration | None:
        with self._lock:
            return self._latest.get(files)

    def table(self, model: KconfigModel, world: str) -> SymbolTable:
        key = (id(model), world)
        with self._lock:
            entry = self._tables.get(key)
            if entry is not None and entry[0] is model:
                self._tables.move_to_end(key)
                return entry[1]
        table = build_symbol_table(model, world)
        with self._lock:
            self._tables[key] = (model, table)
            while len(self._tables) > _KEPT_TABLES:
                self._tables.popitem(last=False)
        return table


class ActiveConfiguration:
    """The active configuration as one snapshot sees it; every answer is memoised."""

    def __init__(self, snapshot: Analysis, choice: ConfigurationChoice, world: str) -> None:
        self.snapshot = snapshot
        self.choice = choice
        self.world = world
        self._lock = threading.Lock()
        self._configuration: Configuration | None = None
        self._evaluated = False
        self.unreadable: tuple[str, ...] = ()
        self._pending: set[tuple[str, str]] = set()
        self.stale = False
        """Whether `configuration(wait=False)` answered with an evaluation on an older model."""
        self.tables: SymbolTableCache | None = None

    @property
    def files(self) -> tuple[str, ...]:
        return self.choice.files

    @property
    def label(self) -> str:
        """`.config (x86)`, `no configuration`: what the status and the messages call it."""
        return self.choice.label(self.snapshot.model.root, self.world or None)

    def configuration(self, *, wait: bool = True) -> Configuration | None:
        """The evaluated configuration; None without one, or before the Kconfig tree is loaded.

        After an edit of a Kconfig file the model is new, and so are its
        symbol table and the evaluation on it (a second or more on Linux).
        With `wait=False` (requests: hover, inlay hints, inactive regions)
        the latest evaluation on an older model stands in meanwhile
        (`stale`); the server evaluates the new one in the background and
        refreshes. An edit of the configuration file itself keeps the table,
        so its (incremental) re-evaluation is always waited for.
        """
        with self._lock:
            if self._evaluated:
                return self._configuration
        if not wait and self.tables is not None and self.choice.active:
            latest = self.tables.latest(self.choice.files)
            table = self.tables.peek(self.snapshot.model, self.world)
            if latest is not None and (table is None or latest.table is not table):
                self.stale = True
                return latest
        result: Configuration | None = None
        unreadable: list[str] = []
        if self.choice.active and self.snapshot.load_state.kconfig_loaded:
            sources: list[ConfigSource] = []
            for path in self.choice.files:
                try:
                    sources.append(ConfigSource(path, self.snapshot.overlay.read(path, MAX_CODE_FILE_SIZE)))
                except OSError as error:
                    unreadable.append(f"cannot read configuration file {path}: {error}")
            if sources:
                table = self.snapshot.symbol_table(self.world)
                result = evaluate_configuration(table, sources, probes=ProbePolicy.FROM_FILE)
                prepare(result)  # what the enabling-set searches of the hovers need, once per table
        with self._lock:
            self._configuration, self._evaluated = result, True
            self.unreadable = tuple(unreadable)
            self.stale = False
        if result is not None and self.tables is not None:
            self.tables.remember(self.choice.files, result)
        return result

    def findings(self) -> list[Finding]:
        """The configuration-file findings (KLS3xx) in the configuration's files.

        Costly on a large `.config` whose lines do not stick (KLS303 searches
        an enabling set for the fix of each, by re-evaluating): memoised per
        configuration and rule settings, and computed by the server in the
        background, never in a request.
        """
        configuration = self.configuration()
        settings = self.snapshot.rule_settings
        if configuration is None:
            return []
        with _MEMO_LOCK:
            cached = _FINDINGS.get(configuration)
        if cached is not None and cached[0] is settings:
            return cached[1]
        found: list[Finding] = []
        if configuration is not None:
            from kconfig_ls.checks.registry import ALL_RULES, run_checks

            rules = [rule for rule in ALL_RULES if rule.code.startswith(CONFIGURATION_RULE_PREFIX)]
            context = CheckContext(
                self.snapshot.model, overlay=self.snapshot.overlay, configuration=configuration
            )
            files = set(self.choice.files)
            found = [
                finding for finding in run_checks(context, settings, rules) if finding.location.path in files
            ]
        with _MEMO_LOCK:
            _FINDINGS[configuration] = (settings, found)
        return found

    def known_findings(self) -> list[Finding] | None:
        """The findings if they are computed already, else None (for answers that must not wait)."""
        configuration = self.configuration(wait=False)
        if configuration is None:
            return []
        with _MEMO_LOCK:
            cached = _FINDINGS.get(configuration)
        return cached[1] if cached is not None and cached[0] is self.snapshot.rule_settings else None

    # -- enabling sets: verified by evaluating; the hover's search is bounded ------------------------

    def known_enabling_set(self, name: str, wanted: str) -> EnablingSearch | None:
        """The search's outcome, searched now within `HOVER_SEARCH_BUDGET` if it was not yet.

        None when the budget ran out first: the search is then marked pending,
        for the server to finish in the background (`search_enabling_set`).
        """
        configuration = self.configuration(wait=False)
        if configuration is None:
            return EnablingSearch(None)
        with _MEMO_LOCK:
            found = _ENABLING_SETS.get(configuration, {}).get((name, wanted))
        if found is not None:
            return found
        result = search_enabling_set(configuration, name, wanted, time_budget=HOVER_SEARCH_BUDGET)
        if not result.complete:
            with self._lock:
                self._pending.add((name, wanted))
            return None
        with _MEMO_LOCK:
            _ENABLING_SETS.setdefault(configuration, {})[(name, wanted)] = result
        return result

    def take_pending(self) -> list[tuple[str, str]]:
        """The enabling sets answers asked for and did not have (the server searches them next)."""
        with self._lock:
            pending, self._pending = sorted(self._pending), set()
        return pending

    def search_enabling_set(self, name: str, wanted: str) -> dict[str, str] | None:
        """Search without a time budget (in the background) and remember the outcome; the changes."""
        configuration = self.configuration(wait=False)
        if configuration is None:
            return None
        with _MEMO_LOCK:
            found = _ENABLING_SETS.get(configuration, {}).get((name, wanted))
        if found is None:
            found = search_enabling_set(configuration, name, wanted)
            with _MEMO_LOCK:
                _ENABLING_SETS.setdefault(configuration, {})[(name, wanted)] = found
        return None if found.changes is None else dict(found.changes)

    def status(self) -> ConfigurationStatus:
        configuration = self.configuration(wait=False)
        problems = (*self.choice.problems, *self.unreadable)
        if configuration is None:
            label = self.label
            if self.choice.active and not self.snapshot.load_state.kconfig_loaded:
                label += ", loading"
            first = self.choice.files[0] if self.choice.files else None
            return ConfigurationStatus(label, first, 0, len(problems), problems)
        return ConfigurationStatus(
            self.label,
            os.path.abspath(self.choice.files[0]),
            len(configuration.unknown),
            len(self.findings()) + len(problems),
            problems,
        )
