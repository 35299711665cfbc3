"""The Kconfig workspace: parsed files linked into one symbol table.

Linking walks the `source` graph from the root Kconfig, carrying what the C
tools carry: the conditions of enclosing `if`/`menu`/`choice` blocks (across
files), `visible if`, the menu path and the macro environment. Kconfig files
that no `source` reaches (other architectures' `arch/*/Kconfig`, say) are
linked too, as roots of their own, and marked `reached=False`, so that their
symbols are known ("defined for other architectures") without pretending
they belong to the configured one.

Incrementality: a file's parse (`kconfig_ls.syntax.kconfig`) depends on its
bytes only. When one file changes and its *linking signature* (its `source`
statements, macro assignments and the blocks around them) is unchanged, only
that file's definitions are swapped in the tables; otherwise the link step
is redone over the cached parses of all other files.

Invariant: nothing here reads `os.environ` or runs a command; settings come
from `WorkspaceSettings` and commands run only when `trust_commands` is set.
"""

from __future__ import annotations

import fnmatch
import gc
import glob
import logging
import multiprocessing
import multiprocessing.process
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Final, NamedTuple

from kconfig_ls.semantics.macros import MacroEnvironment, UnknownValue
from kconfig_ls.syntax.expression import (
    And,
    Compare,
    Constant,
    Expression,
    ExpressionSyntaxError,
    Not,
    Or,
    Unknown,
    conjunction,
    disjunction,
    implication,
    parse_expression,
)
from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    Default,
    Dependency,
    IfBlock,
    KconfigFile,
    MacroAssignment,
    MainMenu,
    MenuEntry,
    Node,
    Prompt,
    ReverseDependency,
    SourceStatement,
    Span,
    SyntaxProblem,
    parse_kconfig,
)

__all__ = [
    "FileProblem",
    "Inclusion",
    "InheritedCondition",
    "KconfigModel",
    "Location",
    "SymbolDefinition",
    "SymbolReference",
    "WorkspaceSettings",
    "discover_kconfig_files",
    "paused_garbage_collection",
]

_LOG = logging.getLogger(__name__)
MAX_FILE_SIZE: Final = 4 * 1024 * 1024
_MAX_SOURCE_DEPTH: Final = 64
_MAX_INCLUSIONS: Final = 50_000
_SKIPPED_DIRECTORIES: Final = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".kconfig-ls-cache", "__pycache__"}
)


class Location(NamedTuple):
    """A span in a file. A named tuple: the Linux model holds ~100,000 of them."""

    path: str
    span: Span


@dataclass(frozen=True, slots=True)
class FileProblem:
    """A problem found while reading or linking files (not a parse error).

    `kind` selects the rule that reports it: `source` (missing file, cycle,
    outside the workspace), `file` (binary, too large, unreadable) or
    `macro` (`$(warning-if)`, `$(error-if)`, `$(info)`).
    """

    kind: str
    message: str
    location: Location
    severity: str = "error"


@dataclass(frozen=True, slots=True)
class InheritedCondition:
    """A condition an entry inherits from an enclosing block.

    `origin` is `if`, `menu` or `choice`; `location` is where the block's
    condition is written, so a hover can say where a dependency comes from.
    """

    expression: Expression
    origin: str
    location: Location


@dataclass(frozen=True, slots=True)
class Inclusion:
    """One way a file enters the tree: through which `source`, in which context."""

    path: str
    parent: Inclusion | None
    source_location: Location | None
    conditions: tuple[InheritedCondition, ...]
    visible_if: tuple[InheritedCondition, ...]
    menu_path: tuple[str, ...]
    reached: bool
    depth: int

    def source_chain(self) -> list[Location]:
        """The `source` statements that led here, outermost first."""
        chain: list[Location] = []
        inclusion: Inclusion | None = self
        while inclusion is not None and inclusion.source_location is not None:
            chain.append(inclusion.source_location)
            inclusion = inclusion.parent
        chain.reverse()
        return chain


@dataclass(slots=True)
class SymbolDefinition:
    """One definition site of a symbol (`config`, `menuconfig`, `configdefault`).

    The entry's attributes are copied with macros expanded for the inclusion
    they were read in; `inherited` holds the block conditions around it.
    """

    name: str
    entry: ConfigEntry
    path: str
    inclusion: Inclusion
    inherited: tuple[InheritedCondition, ...]
    visible_if: tuple[InheritedCondition, ...]
    menu_path: tuple[str, ...]
    choice: ChoiceEntry | None
    prompts: list[Prompt]
    dependencies: list[Dependency]
    selects: list[ReverseDependency]
    implies: list[ReverseDependency]
    defaults: list[Default]
    # `direct_dependency()` memo: a definition never changes once linked.
    _direct_dependency: Expression | None = field(default=None, repr=False, compare=False)

    @property
    def reached(self) -> bool:
        return self.inclusion.reached

    @property
    def location(self) -> Location:
        return Location(self.path, self.entry.name_span)

    @property
    def type_name(self) -> str | None:
        return self.entry.type.type_name if self.entry.type is not None else None

    def own_dependency(self) -> Expression:
        """The entry's `depends on` lines only, as one expression."""
        return conjunction(*(_dependency_expression(d) for d in self.dependencies))

    def direct_dependency(self) -> Expression:
        """Inherited block conditions and own `depends on`, as the C tools see them."""
        if self._direct_dependency is None:
            self._direct_dependency = conjunction(
                *(c.expression for c in self.inherited), self.own_dependency()
            )
        return self._direct_dependency

    def prompt_condition(self, prompt: Prompt) -> Expression:
        """When `prompt` is shown: its `if`, enclosing `visible if`, and the dependencies."""
        return conjunction(
            *(c.expression for c in self.visible_if),
            prompt.condition if prompt.condition is not None else conjunction(),
            self.direct_dependency(),
        )


class SymbolReference(NamedTuple):
    """A use of a symbol in a Kconfig expression or `select`/`imply`.

    `span` covers the whole expression; `kind` is `depends on`, `select`,
    `imply`, `default`, `if`, `visible if`, `prompt if`, `range`, `choice`.
    A named tuple, for the same reason as `Location`.
    """

    name: str
    kind: str
    location: Location
    definition: SymbolDefinition | None


@dataclass(frozen=True)
class WorkspaceSettings:
    """Everything the model needs to know about where and how to load.

    `environment` replaces `getenv` for macros (Linux needs `SRCARCH`);
    `extra_roots` are directories outside `root` that `source` may enter.
    `generated_files` are files the tree's build would write before running
    Kconfig (absolute path -> bytes; ESP-IDF's `kconfigs.in`), read instead of
    the disk; `kconfig_exclude` are paths or `fnmatch` patterns, relative to
    the root, of Kconfig files that are not part of the tree (Linux's
    `scripts/kconfig/tests`): they are not linked as unreached files.
    Both come from the tree's ecosystem (`kconfig_ls.settings.ecosystem`).
    """

    root: str
    root_kconfig: str = "Kconfig"
    environment: dict[str, str] = field(default_factory=dict)
    trust_commands: bool = False
    index_unreached: bool = True
    extra_roots: tuple[str, ...] = ()
    generated_files: dict[str, bytes] = field(default_factory=dict)
    kconfig_exclude: tuple[str, ...] = ()


@contextmanager
def paused_garbage_collection(freeze: bool = True) -> Iterator[None]:
    """Pause the cyclic collector during bulk loads.

    Parsing Linux allocates ~1 million small objects, none of them garbage;
    the collector's repeated scans of the young generations cost as much as
    the parse itself (measured: 1.08 s with, 0.51 s without). On the way
    out the survivors are frozen (`gc.freeze`): otherwise the first young
    collection after re-enabling scans all of them at once (0.8 s). The model
    is acyclic, so reference counting still frees it when it is replaced.
    Small updates pass `freeze=False`: what they allocate is little, and
    freezing after every keystroke would keep any cyclic garbage forever.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if freeze:
                gc.freeze()
            gc.enable()


def discover_kconfig_files(
    root: str, searched_folders: list[str] | None = None, extra_names: frozenset[str] = frozenset()
) -> list[str]:
    """Every file named `Kconfig*` (or in `extra_names`, e.g. Buildroot's
    `Config.in`) below root, sorted, skipping VCS folders.

    `searched_folders`, if given, receives every folder walked (caches use
    their modification times to notice new files).
    """
    found: list[str] = []
    for directory, subdirectories, files in os.walk(root):
        if searched_folders is not None:
            searched_folders.append(directory)
        subdirectories[:] = [
            d for d in subdirectories if d not in _SKIPPED_DIRECTORIES and not d.startswith(".")
        ]
        for name in files:
            if name.startswith("Kconfig") or name.endswith(".kconfig") or name in extra_names:
                found.append(os.path.join(directory, name))
    found.sort()
    return found


FileReader = Callable[[str], bytes]


class _ForkedDiscovery:
    """`discover_kconfig_files` in a forked child, its result read back through a pipe."""

    def __init__(self, process: multiprocessing.process.BaseProcess, connection: Connection) -> None:
        self._process = process
        self._connection = connection

    @classmethod
    def start(cls, root: str, names: frozenset[str]) -> _ForkedDiscovery | None:
        if threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        process = context.Process(target=_discover_into, args=(root, names, sending), daemon=True)
        try:
            process.start()
        except OSError:
            return None
        sending.close()
        return cls(process, receiving)

    def result(self) -> tuple[list[str], list[str]]:
        try:
            found, folders = self._connection.recv()
        except (EOFError, OSError):
            found, folders = [], []
            _LOG.warning("the Kconfig file walk failed; unreached files are not indexed")
        finally:
            self._connection.close()
            self._process.join()
        return list(found), list(folders)


def _discover_into(root: str, names: frozenset[str], connection: Connection) -> None:
    folders: list[str] = []
    found = discover_kconfig_files(root, folders, names)
    connection.send((found, folders))
    connection.close()


def _read_file(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_SIZE + 1)


def _with_generated_files(read_file: FileReader, generated: dict[str, bytes]) -> FileReader:
    """`read_file`, answering the build's generated files from memory (never written to disk)."""
    if not generated:
        return read_file
    normalised = {os.path.normpath(path): data for path, data in generated.items()}

    def read(path: str) -> bytes:
        data = normalised.get(os.path.normpath(path))
        return read_file(path) if data is None else data

    return read


def _without_excluded(paths: list[str], root: str, excluded: tuple[str, ...]) -> list[str]:
    """The discovered Kconfig files outside the excluded folders and patterns (relative to root)."""
    if not excluded:
        return paths
    kept = []
    for path in paths:
        relative = os.path.relpath(path, root)
        if not any(
            relative == pattern
            or relative.startswith(pattern.rstrip("/") + os.sep)
            or fnmatch.fnmatchcase(relative, pattern)
            for pattern in excluded
        ):
            kept.append(path)
    return kept


class KconfigModel:
    """The linked model of a Kconfig tree, updated file by file.

    Use `load()` once, then `update_file()` for edits (open documents) and
    `reload_file()` for changes on disk. Queries read the public tables.
    """

    def __init__(self, settings: WorkspaceSettings, read_file: FileReader = _read_file) -> None:
        self.settings = settings
        self.root = os.path.abspath(settings.root)
        # Ecosystem hook (kept small for the file overlay to take over): generated files first.
        self._read_file = _with_generated_files(read_file, settings.generated_files)
        self.files: dict[str, KconfigFile] = {}
        self.texts: dict[str, bytes] = {}
        self.file_problems: dict[str, list[FileProblem]] = {}
        self.inclusions: dict[str, list[Inclusion]] = {}
        self.definitions: dict[str, list[SymbolDefinition]] = {}
        self.definitions_by_file: dict[str, list[SymbolDefinition]] = {}
        self.choices_by_file: dict[str, list[tuple[ChoiceEntry, Inclusion]]] = {}
        self.selected_by: dict[str, list[tuple[SymbolDefinition, ReverseDependency]]] = {}
        self.implied_by: dict[str, list[tuple[SymbolDefinition, ReverseDependency]]] = {}
        self.references: dict[str, list[SymbolReference]] = {}
        self.root_path = self.absolute(settings.root_kconfig)
        self.generation = 0
        self._relinking_one_file = False
        self._unreached_candidates: list[str] = []
        self.searched_folders: list[str] = []

    # -- paths -------------------------------------------------------------------

    def absolute(self, path: str) -> str:
        return os.path.normpath(os.path.join(self.root, path))

    def relative(self, path: str) -> str:
        """Path for display: relative to the workspace root when inside it."""
        relative = os.path.relpath(path, self.root)
        return path if relative.startswith("..") else relative

    def inside_workspace(self, path: str) -> bool:
        roots = (self.root, *(os.path.abspath(r) for r in self.settings.extra_roots))
        return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)

    # -- loading -----------------------------------------------------------------

    def load(self, extra_files: Iterable[str] | None = None) -> None:
        """Parse and link the whole tree (the root, and unreached files)."""
        with paused_garbage_collection():
            # Finding the files no `source` reaches means walking the whole
            # tree (0.13 s on Linux). In a single-threaded process (the CLI) a
            # forked child walks while this process parses; a thread would not
            # help (measured: GIL hand-offs cost more than the walk). In a
            # threaded process (the server) forking is unsafe: walk first.
            names = frozenset({os.path.basename(self.root_path)})
            walker = _ForkedDiscovery.start(self.root, names) if self.settings.index_unreached else None
            self.searched_folders = []
            discovered: list[str] = []
            if self.settings.index_unreached and walker is None:
                discovered = discover_kconfig_files(self.root, self.searched_folders, names)
            self._unreached_candidates = []
            self._link_all()
            if walker is not None:
                discovered, self.searched_folders = walker.result()
            self._unreached_candidates = [
                *_without_excluded(discovered, self.root, self.settings.kconfig_exclude),
                *(extra_files or ()),
            ]
            self._link_unreached()

    def file(self, path: str) -> KconfigFile | None:
        """The parse of a file, reading and parsing it on first use."""
        parsed = self.files.get(path)
        if parsed is None and path not in self.file_problems:
            self._parse_from_disk(path)
            parsed = self.files.get(path)
        return parsed

    def update_file(self, path: str, data: bytes) -> bool:
        """Re-derive one file from new contents (an editor buffer, say).

        Returns True when only that file was re-derived, False when its
        linking signature changed and the whole tree was relinked.
        """
        swapped = self._update_without_relink(path, data)
        if not swapped:
            with paused_garbage_collection():
                self._link_all()
        return swapped

    def reload_file(self, path: str) -> None:
        """Re-read a file from disk (after `git pull` or a branch switch)."""
        self.reload_files([path])

    def reload_files(self, paths: Iterable[str]) -> bool:
        """Re-read files from disk, relinking at most once for the whole batch.

        Files whose `source` structure is unchanged are swapped in; new,
        deleted or restructured files cause one relink at the end. Returns
        True when a relink happened.
        """
        relink = False
        for path in paths:
            try:
                data = self._read_file(path)
            except OSError:
                # Deleted (or unreadable): forget it; the relink reports sources to it.
                self.files.pop(path, None)
                self.texts.pop(path, None)
                self.file_problems.pop(path, None)
                relink = True
                continue
            if path not in self.files and path not in self.inclusions:
                self.add_unreached_file(path, link=False)
                relink = True
            if not self._update_without_relink(path, data):
                relink = True
        if relink:
            with paused_garbage_collection():
                self._link_all()
        return relink

    def add_unreached_file(self, path: str, link: bool = True) -> None:
        """Index a Kconfig file no root reaches (a new file, say) as its own root."""
        path = os.path.normpath(path)
        if path not in self._unreached_candidates:
            self._unreached_candidates.append(path)
        if link and path not in self.inclusions and self.file(path) is not None:
            inclusion = Inclusion(path, None, None, (), (), (), False, 0)
            self._link_file(inclusion, MacroEnvironment(dict(self.settings.environment), False), (path,))

    def _update_without_relink(self, path: str, data: bytes) -> bool:
        """Parse new contents; swap them in if the linking signature allows it.

        Returns False (with the new parse stored) when a relink is needed.
        """
        with paused_garbage_collection(freeze=False):
            old = self.files.get(path)
            link_problems = [p for p in self.file_problems.get(path, ()) if p.kind in ("source", "macro")]
            new = self._parse(path, data)
            self.generation += 1
            if (
                old is not None
                and path in self.inclusions
                and _linking_signature(old) == _linking_signature(new)
            ):
                self._swap_file(path, new)
                # Sources and macros are the same ones in the same order, so
                # their problems carry over, moved to the new spans.
                moved = _statement_span_map(old, new)
                for problem in link_problems:
                    span = moved.get(problem.location.span, problem.location.span)
                    self._add_problem(path, replace(problem, location=Location(path, span)))
                return True
            self.files[path] = new
            return False

    # -- queries -----------------------------------------------------------------

    def text(self, path: str) -> bytes:
        """The bytes the model was built from (an editor buffer or the disk)."""
        return self.texts.get(path, b"")

    def line_of(self, location: Location) -> int:
        """0-based line of a location in a Kconfig file of the model."""
        parsed = self.files.get(location.path)
        return parsed.line_of(location.span.start) if parsed is not None else 0

    def symbol_names(self) -> Iterable[str]:
        return self.definitions.keys()

    def depended_on_by(self, name: str) -> list[SymbolReference]:
        """Uses of `name` in `depends on` lines and enclosing `if` blocks."""
        return [r for r in self.references.get(name, ()) if r.kind in ("depends on", "if", "visible if")]

    def reached_definitions(self, name: str) -> list[SymbolDefinition]:
        return [d for d in self.definitions.get(name, ()) if d.reached]

    def all_problems(self) -> Iterator[tuple[str, SyntaxProblem | FileProblem]]:
        for path, parsed in self.files.items():
            for problem in parsed.problems:
                yield path, problem
        for path, problems in self.file_problems.items():
            for file_problem in problems:
                yield path, file_problem

    # -- linking -------------------------------------------------------------------

    def _link_all(self) -> None:
        self.generation += 1
        self.inclusions = {}
        self.definitions = {}
        self.definitions_by_file = {}
        self.choices_by_file = {}
        self.selected_by = {}
        self.implied_by = {}
        self.references = {}
        # Problems found while linking are re-found by linking; read problems stay.
        for path in list(self.file_problems):
            kept = [p for p in self.file_problems[path] if p.kind == "file"]
            if kept:
                self.file_problems[path] = kept
            else:
                del self.file_problems[path]
        self._inclusion_count = 0
        environment = MacroEnvironment(dict(self.settings.environment), self.settings.trust_commands)
        root_inclusion = Inclusion(self.root_path, None, None, (), (), (), True, 0)
        if self.file(self.root_path) is None:
            self._add_problem(
                self.root_path,
                FileProblem(
                    "source",
                    f"root Kconfig '{self.relative(self.root_path)}' not found",
                    Location(self.root_path, Span(0, 0)),
                ),
            )
        else:
            self._link_file(root_inclusion, environment, (self.root_path,))
        self._link_unreached()

    def _link_unreached(self) -> None:
        """Link the Kconfig files no `source` reaches, each as its own root."""
        for candidate in self._unreached_candidates:
            path = os.path.normpath(candidate)
            if path in self.inclusions:
                continue
            if self.file(path) is None:
                continue
            inclusion = Inclusion(path, None, None, (), (), (), False, 0)
            self._link_file(inclusion, MacroEnvironment(dict(self.settings.environment), False), (path,))

    def _link_file(self, inclusion: Inclusion, environment: MacroEnvironment, chain: tuple[str, ...]) -> None:
        parsed = self.files[inclusion.path]
        self._inclusion_count += 1
        self.inclusions.setdefault(inclusion.path, []).append(inclusion)
        context = _Context(
            inclusion=inclusion,
            conditions=inclusion.conditions,
            visible_if=inclusion.visible_if,
            menu_path=inclusion.menu_path,
            choice=None,
            environment=environment if parsed.uses_macros else None,
        )
        self._link_nodes(parsed.nodes, context, environment, chain)

    def _link_nodes(
        self, nodes: list[Node], context: _Context, environment: MacroEnvironment, chain: tuple[str, ...]
    ) -> None:
        path = context.inclusion.path
        for node in nodes:
            if isinstance(node, ConfigEntry):
                self._add_definition(node, context, environment)
            elif isinstance(node, IfBlock):
                condition = node.condition
                if context.environment is not None:
                    condition = _expand_expression(condition, context.environment)
                inner = context.with_condition(
                    InheritedCondition(condition, "if", Location(path, node.condition_span))
                )
                self._add_references(condition, "if", Location(path, node.condition_span), None)
                self._link_nodes(node.children, inner, environment, chain)
            elif isinstance(node, MenuEntry):
                inner = context
                for dependency in node.dependencies:
                    expression = _dependency_expression(dependency)
                    inner = inner.with_condition(
                        InheritedCondition(expression, "menu", Location(path, dependency.expression_span))
                    )
                    self._add_references(
                        expression, "depends on", Location(path, dependency.expression_span), None
                    )
                for visible in node.visible_if:
                    inner = replace(
                        inner,
                        visible_if=(
                            *inner.visible_if,
                            InheritedCondition(
                                visible.expression, "visible if", Location(path, visible.expression_span)
                            ),
                        ),
                    )
                    self._add_references(
                        visible.expression, "visible if", Location(path, visible.expression_span), None
                    )
                inner = replace(
                    inner, menu_path=(*inner.menu_path, _expand_text(node.title, context.environment))
                )
                self._link_nodes(node.children, inner, environment, chain)
            elif isinstance(node, ChoiceEntry):
                self.choices_by_file.setdefault(path, []).append((node, context.inclusion))
                inner = replace(context, choice=node)
                for dependency in node.dependencies:
                    expression = _dependency_expression(dependency)
                    inner = inner.with_condition(
                        InheritedCondition(expression, "choice", Location(path, dependency.expression_span))
                    )
                    self._add_references(
                        expression, "depends on", Location(path, dependency.expression_span), None
                    )
                for default in node.defaults:
                    self._add_references(default.value, "default", Location(path, default.value_span), None)
                if node.prompts:
                    inner = replace(inner, menu_path=(*inner.menu_path, node.prompts[0].text))
                self._link_nodes(node.children, inner, environment, chain)
            elif isinstance(node, CommentEntry):
                for dependency in node.dependencies:
                    self._add_references(
                        _dependency_expression(dependency),
                        "depends on",
                        Location(path, dependency.expression_span),
                        None,
                    )
            elif isinstance(node, SourceStatement):
                if not self._relinking_one_file:
                    self._link_source(node, context, environment, chain)
            elif isinstance(node, MacroAssignment):
                if not self._relinking_one_file:
                    self._link_macro(node, path, environment)
            elif isinstance(node, MainMenu):
                continue

    def _link_macro(self, node: MacroAssignment, path: str, environment: MacroEnvironment) -> None:
        before = len(environment.messages)
        try:
            if node.flavor == "call":
                environment.expand(node.value)
            else:
                environment.assign(node.name, node.flavor, node.value)
        except UnknownValue:
            pass
        for message in environment.messages[before:]:
            severity = {"info": "information", "warning": "warning"}.get(message.kind, "error")
            self._add_problem(
                path,
                FileProblem(
                    "macro",
                    f"$({message.kind}{'' if message.kind == 'info' else '-if'}): {message.text}",
                    Location(path, node.span),
                    severity,
                ),
            )
        del environment.messages[before:]

    def _link_source(
        self, node: SourceStatement, context: _Context, environment: MacroEnvironment, chain: tuple[str, ...]
    ) -> None:
        path = context.inclusion.path
        location = Location(path, node.path_span)
        try:
            expanded = _expand_environment_references(
                environment.expand(node.path), self.settings.environment
            )
        except UnknownValue as error:
            self._add_problem(
                path,
                FileProblem(
                    "source", f"cannot expand source path '{node.path}': {error}", location, "warning"
                ),
            )
            return
        if node.relative:
            target = os.path.normpath(os.path.join(os.path.dirname(path), expanded))
        else:
            target = os.path.normpath(os.path.join(self.root, expanded))
        if any(character in expanded for character in "*?["):
            targets = sorted(glob.glob(target))
            if not targets and not node.optional:
                self._add_problem(
                    path, FileProblem("source", f"'{node.keyword} \"{expanded}\"' matches no file", location)
                )
        else:
            targets = [target]
        for target_path in targets:
            if not self.inside_workspace(target_path):
                self._add_problem(
                    path,
                    FileProblem(
                        "source", f"'{expanded}' is outside the workspace; not followed", location, "warning"
                    ),
                )
                continue
            if target_path in chain:
                cycle = " -> ".join(
                    self.relative(p) for p in (*chain[chain.index(target_path) :], target_path)
                )
                self._add_problem(path, FileProblem("source", f"source cycle: {cycle}", location))
                continue
            if len(chain) >= _MAX_SOURCE_DEPTH or self._inclusion_count >= _MAX_INCLUSIONS:
                self._add_problem(
                    path, FileProblem("source", "source nesting too deep; not followed", location)
                )
                continue
            if (
                not context.inclusion.reached
                and target_path in self.inclusions
                and self.inclusions[target_path][0].reached
            ):
                continue  # already part of the configured tree
            parsed = self.file(target_path)
            if parsed is None:
                if node.optional:
                    continue
                if target_path in self.file_problems and any(
                    p.kind == "file" for p in self.file_problems[target_path]
                ):
                    continue
                self._add_problem(
                    path, FileProblem("source", f"sourced file '{expanded}' not found", location)
                )
                continue
            inclusion = Inclusion(
                target_path,
                context.inclusion,
                location,
                context.conditions,
                context.visible_if,
                context.menu_path,
                context.inclusion.reached,
                context.inclusion.depth + 1,
            )
            self._link_file(inclusion, environment, (*chain, target_path))

    def _add_definition(self, entry: ConfigEntry, context: _Context, environment: MacroEnvironment) -> None:
        path = context.inclusion.path
        definition = _instantiate(entry, context, path)
        self.definitions.setdefault(definition.name, []).append(definition)
        self.definitions_by_file.setdefault(path, []).append(definition)
        self._index_definition(definition)

    def _index_definition(self, definition: SymbolDefinition) -> None:
        path = definition.path
        for select in definition.selects:
            self.selected_by.setdefault(select.target, []).append((definition, select))
            self._add_reference(select.target, "select", Location(path, select.target_span), definition)
            if select.condition is not None:
                self._add_references(select.condition, "if", Location(path, select.span), definition)
        for imply in definition.implies:
            self.implied_by.setdefault(imply.target, []).append((definition, imply))
            self._add_reference(imply.target, "imply", Location(path, imply.target_span), definition)
            if imply.condition is not None:
                self._add_references(imply.condition, "if", Location(path, imply.span), definition)
        for dependency in definition.dependencies:
            self._add_references(
                dependency.expression, "depends on", Location(path, dependency.expression_span), definition
            )
            if dependency.condition is not None:
                self._add_references(dependency.condition, "if", Location(path, dependency.span), definition)
        for default in definition.defaults:
            self._add_references(default.value, "default", Location(path, default.value_span), definition)
            if default.condition is not None:
                self._add_references(default.condition, "if", Location(path, default.span), definition)
        for prompt in definition.prompts:
            if prompt.condition is not None:
                self._add_references(prompt.condition, "prompt if", Location(path, prompt.span), definition)
        for range_ in definition.entry.ranges:
            for bound in (range_.low, range_.high):
                self._add_references(bound, "range", Location(path, range_.span), definition)

    def _add_references(
        self, expression: Expression, kind: str, location: Location, definition: SymbolDefinition | None
    ) -> None:
        for name in _symbol_names(expression):
            self._add_reference(name, kind, location, definition)

    def _add_reference(
        self, name: str, kind: str, location: Location, definition: SymbolDefinition | None
    ) -> None:
        self.references.setdefault(name, []).append(SymbolReference(name, kind, location, definition))

    def _swap_file(self, path: str, new: KconfigFile) -> None:
        """Replace one file's definitions and references, keeping its inclusions."""
        old_definitions = self.definitions_by_file.pop(path, [])
        touched = {d.name for d in old_definitions}
        for name in touched:
            kept = [d for d in self.definitions.get(name, ()) if d.path != path]
            if kept:
                self.definitions[name] = kept
            else:
                self.definitions.pop(name, None)
        for table in (self.selected_by, self.implied_by):
            for target in {
                r.target
                for d in old_definitions
                for r in (d.selects if table is self.selected_by else d.implies)
            }:
                kept_pairs = [pair for pair in table.get(target, ()) if pair[0].path != path]
                if kept_pairs:
                    table[target] = kept_pairs
                else:
                    table.pop(target, None)
        # References are keyed by name; the file's names are those of the old
        # parse (collected by walking it) plus nothing else, so filter those.
        for name in _file_reference_names(self.files[path]):
            kept_references = [r for r in self.references.get(name, ()) if r.location.path != path]
            if kept_references:
                self.references[name] = kept_references
            else:
                self.references.pop(name, None)
        self.choices_by_file.pop(path, None)
        self.files[path] = new
        for inclusion in self.inclusions.get(path, ()):
            environment = MacroEnvironment(dict(self.settings.environment), self.settings.trust_commands)
            context = _Context(
                inclusion=inclusion,
                conditions=inclusion.conditions,
                visible_if=inclusion.visible_if,
                menu_path=inclusion.menu_path,
                choice=None,
                environment=environment if new.uses_macros else None,
            )
            # The linking signature is unchanged, so the file's sources and
            # macro assignments (and the problems they gave) are as before.
            self._relinking_one_file = True
            try:
                self._link_nodes(new.nodes, context, environment, (path,))
            finally:
                self._relinking_one_file = False

    # -- reading -------------------------------------------------------------------

    def _parse_from_disk(self, path: str) -> None:
        try:
            data = self._read_file(path)
        except FileNotFoundError:
            return
        except IsADirectoryError:
            self._add_problem(
                path, FileProblem("file", "is a directory, not a Kconfig file", Location(path, Span(0, 0)))
            )
            return
        except OSError as error:
            self._add_problem(
                path, FileProblem("file", f"cannot read file: {error.strerror}", Location(path, Span(0, 0)))
            )
            return
        self.files[path] = self._parse(path, data)

    def _parse(self, path: str, data: bytes) -> KconfigFile:
        self.file_problems.pop(path, None)
        self.texts[path] = data
        if len(data) > MAX_FILE_SIZE:
            self._add_problem(
                path,
                FileProblem(
                    "file",
                    f"file is larger than {MAX_FILE_SIZE // (1024 * 1024)} MB; not analysed",
                    Location(path, Span(0, 0)),
                ),
            )
            return parse_kconfig(b"", path)
        if b"\x00" in data[:8192]:
            self._add_problem(
                path, FileProblem("file", "binary file (NUL bytes); not analysed", Location(path, Span(0, 0)))
            )
            return parse_kconfig(b"", path)
        return parse_kconfig(data, path)

    def _add_problem(self, path: str, problem: FileProblem) -> None:
        self.file_problems.setdefault(path, []).append(problem)


@dataclass(frozen=True, slots=True)
class _Context:
    inclusion: Inclusion
    conditions: tuple[InheritedCondition, ...]
    visible_if: tuple[InheritedCondition, ...]
    menu_path: tuple[str, ...]
    choice: ChoiceEntry | None
    environment: MacroEnvironment | None

    def with_condition(self, condition: InheritedCondition) -> _Context:
        return replace(self, conditions=(*self.conditions, condition))


_ENVIRONMENT_REFERENCE: Final = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")


def _expand_environment_references(path: str, environment: dict[str, str]) -> str:
    """`$VAR` and `${VAR}` in `source` paths (Buildroot, ESP-IDF, old kconfiglib).

    Unknown variables raise `UnknownValue`, so the `source` is reported
    instead of silently pointing somewhere else.
    """
    if "$" not in path:
        return path

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in environment:
            raise UnknownValue(
                f"environment variable ${name} is not set (add it to the environment settings)"
            )
        return environment[name]

    return _ENVIRONMENT_REFERENCE.sub(substitute, path)


def _dependency_expression(dependency: Dependency) -> Expression:
    if dependency.condition is None:
        return dependency.expression
    return implication(dependency.condition, dependency.expression)


def _symbol_names(expression: Expression) -> Iterator[str]:
    from kconfig_ls.syntax.expression import referenced_symbols

    return referenced_symbols(expression)


def _expand_text(text: str, environment: MacroEnvironment | None) -> str:
    if environment is None or "$(" not in text:
        return text
    expanded = environment.try_expand(text)
    return text if expanded is None else expanded


def _expand_expression(expression: Expression, environment: MacroEnvironment) -> Expression:
    """Replace `Unknown` macro operands by what they expand to, where possible.

    `$(module)_LOG_OFF` in a Zephyr template becomes `Symbol("NET_IF_LOG_OFF")`;
    `$(cc-option,-mfoo)` needs a command and stays `Unknown`.
    """
    if isinstance(expression, Constant):
        if not (expression.quoted and "$(" in expression.value):
            return expression
        # `"$(ARCH)" = "x86"`: the C tools expand macros inside quotes too.
        try:
            return Constant(environment.expand(expression.value), quoted=True)
        except UnknownValue:
            return Unknown(f'"{expression.value}"')
    if isinstance(expression, Unknown):
        try:
            expanded = environment.expand(expression.text)
        except UnknownValue:
            return expression
        if not expanded.strip():
            return expression
        try:
            return parse_expression(expanded)
        except ExpressionSyntaxError:
            return expression
    if isinstance(expression, Not):
        return Not(_expand_expression(expression.operand, environment))
    if isinstance(expression, And):
        return conjunction(*(_expand_expression(o, environment) for o in expression.operands))
    if isinstance(expression, Or):
        return disjunction(*(_expand_expression(o, environment) for o in expression.operands))
    if isinstance(expression, Compare):
        return Compare(
            expression.operator,
            _expand_expression(expression.left, environment),
            _expand_expression(expression.right, environment),
        )
    return expression


def _expand_optional(expression: Expression | None, environment: MacroEnvironment) -> Expression | None:
    return None if expression is None else _expand_expression(expression, environment)


def _expand_reverse_dependencies(
    reverses: list[ReverseDependency], environment: MacroEnvironment
) -> list[ReverseDependency]:
    return [
        replace(
            reverse,
            target=_expand_text(reverse.target, environment),
            condition=_expand_optional(reverse.condition, environment),
        )
        for reverse in reverses
    ]


def _instantiate(entry: ConfigEntry, context: _Context, path: str) -> SymbolDefinition:
    environment = context.environment
    name = entry.name
    prompts = entry.prompts
    dependencies = entry.dependencies
    selects = entry.selects
    implies = entry.implies
    defaults = entry.defaults
    if environment is not None:
        name = _expand_text(name, environment)
        prompts = [
            replace(
                p,
                text=_expand_text(p.text, environment),
                condition=_expand_optional(p.condition, environment),
            )
            for p in prompts
        ]
        dependencies = [
            replace(
                d,
                expression=_expand_expression(d.expression, environment),
                condition=_expand_optional(d.condition, environment),
            )
            for d in dependencies
        ]
        defaults = [
            replace(
                d,
                value=_expand_expression(d.value, environment),
                condition=_expand_optional(d.condition, environment),
            )
            for d in defaults
        ]
        selects = _expand_reverse_dependencies(selects, environment)
        implies = _expand_reverse_dependencies(implies, environment)
    return SymbolDefinition(
        name=name,
        entry=entry,
        path=path,
        inclusion=context.inclusion,
        inherited=context.conditions,
        visible_if=context.visible_if,
        menu_path=context.menu_path,
        choice=context.choice,
        prompts=prompts,
        dependencies=dependencies,
        selects=selects,
        implies=implies,
        defaults=defaults,
    )


def _linking_signature(parsed: KconfigFile) -> tuple[object, ...]:
    """What other files' linking depends on: sources, macros, and their blocks.

    Spans are left out (typing above a `source` line moves it), but the
    structure is kept: a `source` moved into an `if` changes its context.
    """
    signature: list[object] = []
    _add_signature(parsed.nodes, 0, signature)
    return tuple(signature)


def _add_signature(nodes: list[Node], depth: int, signature: list[object]) -> None:
    # A module-level recursive function, not a closure: a recursive closure is
    # a reference cycle, which a long editing session would accumulate.
    for node in nodes:
        if isinstance(node, SourceStatement):
            signature.append(("source", node.keyword, node.path, depth))
        elif isinstance(node, MacroAssignment):
            signature.append(("macro", node.name, node.flavor, node.value))
        elif isinstance(node, (IfBlock, MenuEntry, ChoiceEntry)):
            before = len(signature)
            _add_signature(node.children, depth + 1, signature)
            if len(signature) > before:
                if isinstance(node, IfBlock):
                    signature.insert(before, ("if", node.condition))
                elif isinstance(node, MenuEntry):
                    signature.insert(
                        before,
                        (
                            "menu",
                            node.title,
                            tuple(d.expression for d in node.dependencies),
                            tuple(v.expression for v in node.visible_if),
                        ),
                    )
                else:
                    signature.insert(
                        before, ("choice", node.name, tuple(d.expression for d in node.dependencies))
                    )
                signature.append(("end", depth))


def _statement_spans(nodes: list[Node], spans: list[Span]) -> None:
    for node in nodes:
        if isinstance(node, SourceStatement):
            spans.append(node.path_span)
        elif isinstance(node, MacroAssignment):
            spans.append(node.span)
        elif isinstance(node, (IfBlock, MenuEntry, ChoiceEntry)):
            _statement_spans(node.children, spans)


def _statement_span_map(old: KconfigFile, new: KconfigFile) -> dict[Span, Span]:
    """Old span -> new span of each `source` path and macro line, matched in order."""
    old_spans: list[Span] = []
    new_spans: list[Span] = []
    _statement_spans(old.nodes, old_spans)
    _statement_spans(new.nodes, new_spans)
    return dict(zip(old_spans, new_spans, strict=False))


def _file_reference_names(parsed: KconfigFile) -> set[str]:
    """Every name a file's expressions and selects may have registered."""
    names: set[str] = set()
    _add_reference_names(parsed.nodes, names)
    return names


def _add_expression_names(expression: Expression | None, names: set[str]) -> None:
    if expression is not None:
        names.update(_symbol_names(expression))


def _add_reference_names(nodes: list[Node], names: set[str]) -> None:
    for node in nodes:
        if isinstance(node, ConfigEntry):
            for dependency in node.dependencies:
                _add_expression_names(dependency.expression, names)
                _add_expression_names(dependency.condition, names)
            for reverse in (*node.selects, *node.implies):
                names.add(reverse.target)
                _add_expression_names(reverse.condition, names)
            for default in node.defaults:
                _add_expression_names(default.value, names)
                _add_expression_names(default.condition, names)
            for prompt in node.prompts:
                _add_expression_names(prompt.condition, names)
            for range_ in node.ranges:
                _add_expression_names(range_.low, names)
                _add_expression_names(range_.high, names)
        elif isinstance(node, (IfBlock, MenuEntry, ChoiceEntry, CommentEntry)):
            if isinstance(node, IfBlock):
                _add_expression_names(node.condition, names)
            else:
                for dependency in node.dependencies:
                    _add_expression_names(dependency.expression, names)
            if isinstance(node, MenuEntry):
                for visible in node.visible_if:
                    _add_expression_names(visible.expression, names)
            if isinstance(node, ChoiceEntry):
                for default in node.defaults:
                    _add_expression_names(default.value, names)
            if not isinstance(node, CommentEntry):
                _add_reference_names(node.children, names)
