"""Linking: one file's contribution to the model, from its parse and its inclusion context.

A file's contribution (`FileContribution`) is a pure function of its parse
and the context it is read in: the conditions of the enclosing `if`/`menu`/
`choice` blocks (across files), `visible if`, the menu path, and the macro
environment in force at its `source` statement. It holds the file's symbol
definitions (macros expanded for this inclusion), its references, choices
and linking problems, the inclusions of the files it sources, and the macro
variables at its entry, after each `source` statement, and at its exit.

That record is what makes edits cheap and correct. When a file changes and
its *linking signature* (its `source` statements, macro assignments and the
blocks around them) is unchanged, `relink_file` re-derives it alone, with
the macro environment it was read in (the entry variables) and the recorded
variables after each of its `source` statements, without reading its
children again; otherwise `link` re-walks the subtree below it. The full
load is the same `link` from the root. Both run the same node walk.

Nothing here reads `os.environ` or runs a command unless the settings trust
commands; files are read through the reader the model passes in (the file
overlay).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

from kconfig_ls.semantics.definitions import (
    ChoiceSite,
    FileProblem,
    Inclusion,
    InheritedCondition,
    Location,
    OrderKey,
    SymbolDefinition,
    SymbolReference,
    WorkspaceSettings,
    dependency_expression,
)
from kconfig_ls.semantics.expansion import (
    expand_environment_references,
    expand_expression,
    expand_optional,
    expand_reverse_dependencies,
    expand_text,
)
from kconfig_ls.semantics.macros import MacroEnvironment, MacroVariables, UnknownValue
from kconfig_ls.syntax.expression import Expression, referenced_symbols
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
    SourceStatement,
    Span,
)
from kconfig_ls.syntax.records import fast_init

if TYPE_CHECKING:
    from kconfig_ls.semantics.rebasing import SubtreeReuse

__all__ = [
    "MAX_INCLUSIONS",
    "MAX_SOURCE_DEPTH",
    "FileContribution",
    "Linker",
]

MAX_SOURCE_DEPTH: Final = 64
# Linux needs ~2,000 inclusions for one architecture; ten times that is the
# budget of one load (a glob over symlink loops must not run for minutes).
MAX_INCLUSIONS: Final = 25_000
# `tuple.__new__(Location, (path, span))` builds a named tuple without its
# Python-level `__new__` (about half the cost; ~60,000 references on Linux).
_new_tuple: Final = tuple.__new__


@fast_init
@dataclass(frozen=True, slots=True)
class FileContribution:
    """What one inclusion of one file adds to the model (see the module docstring)."""

    inclusion: Inclusion
    definitions: tuple[SymbolDefinition, ...]
    references: tuple[SymbolReference, ...]
    choices: tuple[ChoiceSite, ...]
    problems: tuple[FileProblem, ...]
    children: tuple[OrderKey, ...]
    entry_variables: MacroVariables
    exit_variables: MacroVariables
    statement_exits: tuple[tuple[int, MacroVariables], ...]

    @property
    def key(self) -> OrderKey:
        return self.inclusion.key

    @property
    def path(self) -> str:
        return self.inclusion.path


FileParser = Callable[[str], KconfigFile | None]
"""The parse of a file (reading it through the overlay), or None when it cannot be read."""


class Linker:
    """Walks inclusions, producing one `FileContribution` per inclusion into `contributions`.

    `parse(path)` parses a file through the model's reader; `has_read_problem`
    says whether a file could not be read (then a `source` of it reports no
    second problem); `reached_paths` are the files the configured tree reaches
    (an unreached root does not enter them).
    """

    def __init__(
        self,
        settings: WorkspaceSettings,
        root: str,
        parse: FileParser,
        has_read_problem: Callable[[str], bool],
        inside_workspace: Callable[[str], bool],
        relative: Callable[[str], str],
        reached_paths: set[str] | None = None,
        inclusion_count: int = 0,
        real_path: Callable[[str], str] = os.path.realpath,
    ) -> None:
        self.settings = settings
        self.root = root
        self._parse = parse
        self._has_read_problem = has_read_problem
        self._inside_workspace = inside_workspace
        self._relative = relative
        self.real_path = real_path
        # During a subtree relink: the old subtrees below the edited file, reused
        # when only the context they inherit changed (`semantics.rebasing`).
        self.reuse: SubtreeReuse | None = None
        self.reached_paths: set[str] = set() if reached_paths is None else reached_paths
        self.inclusion_count = inclusion_count
        # The path each real file was first included by: the same file through
        # another spelling (a symbolic link back into the tree) is an alias,
        # not a second inclusion. The same spelling twice is a template.
        self.spelling_of_real_path: dict[str, str] = {}
        self.contributions: dict[OrderKey, FileContribution] = {}
        # Everything the walk adds, in reading order (the order of a full load's tables).
        self.ordered_definitions: list[SymbolDefinition] = []
        self.ordered_references: list[SymbolReference] = []
        self._source_bases: dict[str, str] = {}

    # -- entry points --------------------------------------------------------------

    def new_environment(self, trusted: bool | None = None) -> MacroEnvironment:
        trust = self.settings.trust_commands if trusted is None else trusted
        return MacroEnvironment(dict(self.settings.environment), trust)

    def restored_environment(self, variables: MacroVariables, reached: bool) -> MacroEnvironment:
        trust = self.settings.trust_commands and reached
        return MacroEnvironment.from_snapshot(dict(self.settings.environment), trust, variables)

    def link(self, inclusion: Inclusion, environment: MacroEnvironment, chain: tuple[str, ...]) -> None:
        """Link a file and, recursively, everything it sources; `environment` flows through.

        `chain` holds the real paths of the files from the root down to this one
        (a `source` of one of them is a cycle, also through a symbolic link).
        """
        parsed = self._parse(inclusion.path)
        if parsed is None:
            return
        self.inclusion_count += 1
        if inclusion.reached:
            self.reached_paths.add(inclusion.path)
        builder = _Builder(inclusion, environment.variables_snapshot())
        context = _Context.at_top_of(inclusion, parsed, environment)
        walk = _Walk(self, builder, chain, None)
        walk.nodes(parsed.nodes, context, environment)
        self.contributions[inclusion.key] = builder.finish(environment.variables_snapshot())

    def source_base(self, inclusion: Inclusion) -> str:
        """The folder a `source` path (not `rsource`) is read from, for a file of this inclusion.

        The project root, except below an unreached root Kconfig with a
        `mainmenu` of its own: that is a nested project built from its own
        folder (coreboot's `payloads/libpayload`, whose `source
        "drivers/Kconfig"` means `payloads/libpayload/drivers/Kconfig`), so
        its tree reads paths as its own build does. Decided by the root of
        the inclusion chain, so a relink of any file below gives the same.
        """
        top = inclusion
        while top.parent is not None:
            top = top.parent
        if top.reached:
            return self.root
        base = self._source_bases.get(top.path)
        if base is None:
            parsed = self._parse(top.path)
            nested = parsed is not None and any(isinstance(node, MainMenu) for node in parsed.nodes)
            base = os.path.dirname(top.path) if nested else self.root
            self._source_bases[top.path] = base
        return base

    def relink_file(self, old: FileContribution, parsed: KconfigFile, moved_spans: dict[Span, Span]) -> None:
        """Re-derive one inclusion of an edited file whose linking signature is unchanged.

        Its children are not read again: after each `source` statement the
        macro variables are those recorded when it was last linked, and its
        `source` and macro problems carry over, moved to their new spans.
        """
        environment = self.restored_environment(old.entry_variables, old.inclusion.reached)
        builder = _Builder(old.inclusion, old.entry_variables)
        builder.children = list(old.children)
        for problem in old.problems:
            span = moved_spans.get(problem.location.span, problem.location.span)
            builder.problems.append(replace(problem, location=Location(problem.location.path, span)))
        context = _Context.at_top_of(old.inclusion, parsed, environment)
        walk = _Walk(self, builder, (), dict(old.statement_exits))
        walk.nodes(parsed.nodes, context, environment)
        self.contributions[old.key] = builder.finish(old.exit_variables)


# -- the walk ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Builder:
    inclusion: Inclusion
    entry_variables: MacroVariables
    definitions: list[SymbolDefinition] = field(default_factory=list)
    references: list[SymbolReference] = field(default_factory=list)
    choices: list[ChoiceSite] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    children: list[OrderKey] = field(default_factory=list)
    statement_exits: list[tuple[int, MacroVariables]] = field(default_factory=list)
    statement_ordinal: int = 0

    def finish(self, exit_variables: MacroVariables) -> FileContribution:
        return FileContribution(
            inclusion=self.inclusion,
            definitions=tuple(self.definitions),
            references=tuple(self.references),
            choices=tuple(self.choices),
            problems=tuple(self.problems),
            children=tuple(self.children),
            entry_variables=self.entry_variables,
            exit_variables=exit_variables,
            statement_exits=tuple(self.statement_exits),
        )


@fast_init
@dataclass(frozen=True, slots=True)
class _Context:
    inclusion: Inclusion
    conditions: tuple[InheritedCondition, ...]
    visible_if: tuple[InheritedCondition, ...]
    menu_path: tuple[str, ...]
    choice: ChoiceEntry | None
    environment: MacroEnvironment | None

    @classmethod
    def at_top_of(cls, inclusion: Inclusion, parsed: KconfigFile, environment: MacroEnvironment) -> _Context:
        """The context at the top of an included file (macros expanded only if the file uses any)."""
        return cls(
            inclusion=inclusion,
            conditions=inclusion.conditions,
            visible_if=inclusion.visible_if,
            menu_path=inclusion.menu_path,
            choice=inclusion.choice,
            environment=environment if parsed.uses_macros else None,
        )

    def with_condition(self, condition: InheritedCondition) -> _Context:
        return replace(self, conditions=(*self.conditions, condition))


class _Walk:
    """One walk over one file's nodes, adding to one builder.

    `statement_exits` is None for a full walk (children are linked as they
    are met); for a one-file relink it maps each `source` statement's ordinal
    to the macro variables after it, and children are not visited.
    """

    __slots__ = ("builder", "chain", "key", "linker", "path", "pending", "statement_exits")

    def __init__(
        self,
        linker: Linker,
        builder: _Builder,
        chain: tuple[str, ...],
        statement_exits: dict[int, MacroVariables] | None,
    ) -> None:
        self.linker = linker
        self.builder = builder
        self.chain = chain
        self.statement_exits = statement_exits
        self.path = builder.inclusion.path
        self.key = builder.inclusion.key
        # One node's references, emitted in position order (`_flush`), so that
        # reading order is the same however a file was linked.
        self.pending: list[SymbolReference] = []

    def nodes(self, nodes: list[Node], context: _Context, environment: MacroEnvironment) -> None:
        path = self.path
        for node in nodes:
            if isinstance(node, ConfigEntry):
                self._definition(node, context)
                self._flush()
            elif isinstance(node, IfBlock):
                condition = node.condition
                if context.environment is not None:
                    condition = expand_expression(condition, context.environment)
                location = Location(path, node.condition_span)
                inner = _outside_sourced_choice(
                    context.with_condition(InheritedCondition(condition, "if", location))
                )
                self._references(condition, "if", location, None)
                self._flush()
                self.nodes(node.children, inner, environment)
            elif isinstance(node, MenuEntry):
                inner = _outside_sourced_choice(self._menu_context(node, context))
                self._flush()
                self.nodes(node.children, inner, environment)
            elif isinstance(node, ChoiceEntry):
                self.builder.choices.append(
                    ChoiceSite(node, context.inclusion, context.conditions, context.visible_if)
                )
                inner = replace(context, choice=node)
                for dependency in node.dependencies:
                    expression = dependency_expression(dependency)
                    location = Location(path, dependency.expression_span)
                    inner = inner.with_condition(InheritedCondition(expression, "choice", location))
                    self._references(expression, "depends on", location, None)
                for default in node.defaults:
                    self._references(default.value, "default", Location(path, default.value_span), None)
                    if default.condition is not None:
                        self._references(default.condition, "if", Location(path, default.span), None)
                for prompt in node.prompts:
                    if prompt.condition is not None:
                        self._references(prompt.condition, "prompt if", Location(path, prompt.span), None)
                if node.prompts:
                    inner = replace(inner, menu_path=(*inner.menu_path, node.prompts[0].text))
                self._flush()
                self.nodes(node.children, inner, environment)
            elif isinstance(node, CommentEntry):
                for dependency in node.dependencies:
                    self._references(
                        dependency_expression(dependency),
                        "depends on",
                        Location(path, dependency.expression_span),
                        None,
                    )
                self._flush()
            elif isinstance(node, SourceStatement):
                self._source(node, context, environment)
            elif isinstance(node, MacroAssignment):
                self._macro(node, environment)
            elif isinstance(node, MainMenu):
                continue

    # -- entries ---------------------------------------------------------------------

    def _menu_context(self, node: MenuEntry, context: _Context) -> _Context:
        path = self.path
        inner = context
        for dependency in node.dependencies:
            expression = dependency_expression(dependency)
            location = Location(path, dependency.expression_span)
            inner = inner.with_condition(InheritedCondition(expression, "menu", location))
            self._references(expression, "depends on", location, None)
        for visible in node.visible_if:
            location = Location(path, visible.expression_span)
            inner = replace(
                inner,
                visible_if=(
                    *inner.visible_if,
                    InheritedCondition(visible.expression, "visible if", location),
                ),
            )
            self._references(visible.expression, "visible if", location, None)
        return replace(inner, menu_path=(*inner.menu_path, expand_text(node.title, context.environment)))

    def _definition(self, entry: ConfigEntry, context: _Context) -> None:
        path = self.path
        definition = _instantiate(entry, context, path, self._order(entry.span.start))
        self.builder.definitions.append(definition)
        self.linker.ordered_definitions.append(definition)
        for select in definition.selects:
            self._reference(
                select.target, "select", _new_tuple(Location, (path, select.target_span)), definition
            )
            if select.condition is not None:
                self._references(
                    select.condition, "if", _new_tuple(Location, (path, select.span)), definition
                )
        for imply in definition.implies:
            self._reference(
                imply.target, "imply", _new_tuple(Location, (path, imply.target_span)), definition
            )
            if imply.condition is not None:
                self._references(imply.condition, "if", _new_tuple(Location, (path, imply.span)), definition)
        for dependency in definition.dependencies:
            self._references(
                dependency.expression,
                "depends on",
                _new_tuple(Location, (path, dependency.expression_span)),
                definition,
            )
            if dependency.condition is not None:
                self._references(
                    dependency.condition, "if", _new_tuple(Location, (path, dependency.span)), definition
                )
        for default in definition.defaults:
            self._references(
                default.value, "default", _new_tuple(Location, (path, default.value_span)), definition
            )
            if default.condition is not None:
                self._references(
                    default.condition, "if", _new_tuple(Location, (path, default.span)), definition
                )
        for prompt in definition.prompts:
            if prompt.condition is not None:
                self._references(
                    prompt.condition, "prompt if", _new_tuple(Location, (path, prompt.span)), definition
                )
        for range_ in definition.entry.ranges:
            for bound in (range_.low, range_.high):
                self._references(bound, "range", _new_tuple(Location, (path, range_.span)), definition)
            if range_.condition is not None:
                self._references(
                    range_.condition, "if", _new_tuple(Location, (path, range_.span)), definition
                )

    def _references(
        self, expression: Expression, kind: str, location: Location, definition: SymbolDefinition | None
    ) -> None:
        # Every name of one expression has the same location, hence the same order key
        # (58,000 references on Linux: this is on the hot path of a load).
        order: OrderKey | None = None
        append = self.pending.append
        for name in referenced_symbols(expression):
            if order is None:
                order = (*self.key, 2 * self.builder.statement_ordinal, location.span.start)
            append(_new_tuple(SymbolReference, (name, kind, location, definition, order)))

    def _reference(
        self, name: str, kind: str, location: Location, definition: SymbolDefinition | None
    ) -> None:
        order = (*self.key, 2 * self.builder.statement_ordinal, location.span.start)
        self.pending.append(_new_tuple(SymbolReference, (name, kind, location, definition, order)))

    def _flush(self) -> None:
        if not self.pending:
            return
        self.pending.sort(key=_reference_offset)
        self.builder.references.extend(self.pending)
        self.linker.ordered_references.extend(self.pending)
        self.pending = []

    def _order(self, offset: int) -> OrderKey:
        """The reading-order key of something at `offset` (see `definitions.OrderKey`)."""
        return (*self.key, 2 * self.builder.statement_ordinal, offset)

    # -- preprocessor statements ---------------------------------------------------------

    def _macro(self, node: MacroAssignment, environment: MacroEnvironment) -> None:
        before = len(environment.messages)
        parsed = self.linker._parse(self.path)
        line = parsed.line_of(node.span.start) + 1 if parsed is not None else 0
        environment.execute(node.name, node.flavor, node.value, self.linker._relative(self.path), line)
        if self.statement_exits is None:  # a relink carries the old messages over
            for message in environment.messages[before:]:
                severity = {"info": "information", "warning": "warning"}.get(message.kind, "error")
                self.builder.problems.append(
                    FileProblem("macro", message.describe(), Location(self.path, node.span), severity)
                )
        del environment.messages[before:]

    def _source(self, node: SourceStatement, context: _Context, environment: MacroEnvironment) -> None:
        builder = self.builder
        ordinal = builder.statement_ordinal
        builder.statement_ordinal += 1
        if self.statement_exits is not None:
            # One-file relink: the children are as they were; resume after them.
            after = self.statement_exits.get(ordinal)
            if after is not None:
                _restore_variables(environment, after)
                builder.statement_exits.append((ordinal, after))
            return
        linked_any = self._follow_source(node, context, environment, ordinal)
        if linked_any:
            builder.statement_exits.append((ordinal, environment.variables_snapshot()))

    def _follow_source(
        self, node: SourceStatement, context: _Context, environment: MacroEnvironment, ordinal: int
    ) -> bool:
        linker = self.linker
        path = self.path
        location = Location(path, node.path_span)
        problems = self.builder.problems
        try:
            expanded = expand_environment_references(
                environment.expand(node.path), linker.settings.environment
            )
        except UnknownValue as error:
            if not node.optional:
                problems.append(
                    FileProblem(
                        "source", f"cannot expand source path '{node.path}': {error}", location, "warning"
                    )
                )
            return False
        if "\x00" in expanded:
            problems.append(FileProblem("source", "source path contains a NUL byte; not followed", location))
            return False
        if not expanded.strip():
            # `osource "$(UNSET)"`: nothing to read, as for the C tools.
            if not node.optional:
                problems.append(FileProblem("source", "source path expands to nothing", location))
            return False
        base = os.path.dirname(path) if node.relative else linker.source_base(self.builder.inclusion)
        target = os.path.normpath(os.path.join(base, expanded))
        if any(character in expanded for character in "*?["):
            # One inclusion per real file: symbolic links that loop back into
            # the tree (`rsource "*/Kconfig"` with `a -> .`) must not multiply it.
            by_real_path: dict[str, str] = {}
            for match in sorted(glob.glob(target)):
                by_real_path.setdefault(linker.real_path(match), os.path.normpath(match))
            targets = sorted(by_real_path.values())
            if not targets and not node.optional:
                problems.append(
                    FileProblem("source", f"'{node.keyword} \"{expanded}\"' matches no file", location)
                )
        else:
            targets = [target]
        linked_any = False
        for index, target_path in enumerate(targets):
            if not linker._inside_workspace(target_path):
                if node.optional and not os.path.lexists(target_path):
                    # Silent, as a missing `osource` target is: Zephyr's
                    # `osource "$(BOARD_DIR)/Kconfig"` without a board is "/Kconfig".
                    continue
                problems.append(
                    FileProblem(
                        "source", f"'{expanded}' is outside the workspace; not followed", location, "warning"
                    )
                )
                continue
            chain = self.chain
            real_target = linker.real_path(target_path)
            if real_target in chain:
                cycle = " -> ".join(
                    linker._relative(p) for p in (*chain[chain.index(real_target) :], real_target)
                )
                problems.append(FileProblem("source", f"source cycle: {cycle}", location))
                continue
            if len(chain) >= MAX_SOURCE_DEPTH or linker.inclusion_count >= MAX_INCLUSIONS:
                problems.append(FileProblem("source", "source nesting too deep; not followed", location))
                continue
            if not context.inclusion.reached and target_path in linker.reached_paths:
                continue  # already part of the configured tree
            if linker.spelling_of_real_path.setdefault(real_target, target_path) != target_path:
                continue  # the same file through a symbolic link
            parsed = linker._parse(target_path)
            if parsed is None:
                if node.optional or linker._has_read_problem(target_path):
                    continue
                problems.append(FileProblem("source", f"sourced file '{expanded}' not found", location))
                continue
            inclusion = Inclusion(
                target_path,
                context.inclusion,
                path,
                ordinal,
                context.conditions,
                context.visible_if,
                context.menu_path,
                context.inclusion.reached,
                context.inclusion.depth + 1,
                (*self.key, 2 * ordinal + 1, index),
                choice=context.choice,
            )
            self.builder.children.append(inclusion.key)
            linked_any = True
            if linker.reuse is not None and linker.reuse.take(inclusion, environment, linker):
                continue
            linker.link(inclusion, environment, (*chain, real_target))
        return linked_any


def _reference_offset(reference: SymbolReference) -> int:
    return reference.location.span.start


def _restore_variables(environment: MacroEnvironment, variables: MacroVariables) -> None:
    environment.restore(variables)


def _outside_sourced_choice(context: _Context) -> _Context:
    """The context inside an `if` or `menu` of a file sourced into a choice: no longer its member.

    The C tools make the entries of a file sourced inside a choice its
    members, except those that depend on the member before them, which they
    move under it (`menu_finalize`: Buildroot's `if BR2_PACKAGE_LIBOPENSSL`
    around libopenssl's options). Only plain top-level entries of such a
    file get `definition.choice`; the symbol tables decide the others.
    """
    if context.choice is not None and context.choice is context.inclusion.choice:
        return replace(context, choice=None)
    return context


def _instantiate(entry: ConfigEntry, context: _Context, path: str, order: OrderKey) -> SymbolDefinition:
    environment = context.environment
    choice = context.choice
    if choice is not None and choice is context.inclusion.choice and entry.dependencies:
        choice = None  # it may depend on the member before it (see `_outside_sourced_choice`)
    name = entry.name
    prompts = entry.prompts
    dependencies = entry.dependencies
    selects = entry.selects
    implies = entry.implies
    defaults = entry.defaults
    if environment is not None:
        # What expands to itself is kept as parsed (no copy: most attributes of a file
        # that uses macros hold none).
        name = expand_text(name, environment)
        prompts = [_expanded_prompt(p, environment) for p in prompts]
        dependencies = [_expanded_dependency(d, environment) for d in dependencies]
        defaults = [_expanded_default(d, environment) for d in defaults]
        selects = expand_reverse_dependencies(selects, environment)
        implies = expand_reverse_dependencies(implies, environment)
    return SymbolDefinition(
        name=name,
        entry=entry,
        path=path,
        inclusion=context.inclusion,
        inherited=context.conditions,
        visible_if=context.visible_if,
        menu_path=context.menu_path,
        choice=choice,
        prompts=prompts,
        dependencies=dependencies,
        selects=selects,
        implies=implies,
        defaults=defaults,
        order=order,
    )


def _expanded_prompt(prompt: Prompt, environment: MacroEnvironment) -> Prompt:
    text = expand_text(prompt.text, environment)
    condition = expand_optional(prompt.condition, environment)
    if text is prompt.text and condition is prompt.condition:
        return prompt
    return replace(prompt, text=text, condition=condition)


def _expanded_dependency(dependency: Dependency, environment: MacroEnvironment) -> Dependency:
    expression = expand_expression(dependency.expression, environment)
    condition = expand_optional(dependency.condition, environment)
    if expression is dependency.expression and condition is dependency.condition:
        return dependency
    return replace(dependency, expression=expression, condition=condition)


def _expanded_default(default: Default, environment: MacroEnvironment) -> Default:
    value = expand_expression(default.value, environment)
    condition = expand_optional(default.condition, environment)
    if value is default.value and condition is default.condition:
        return default
    return replace(default, value=value, condition=condition)
