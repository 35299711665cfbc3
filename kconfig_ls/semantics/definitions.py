"""The model's data: definitions, references, inclusions, problems and the load settings.

These records are what linking produces per file (`kconfig_ls.semantics.linking`)
and what the model's tables hold (`kconfig_ls.semantics.model`). They are
immutable once built (a `SymbolDefinition` only memoises its own direct
dependency), so a model snapshot can be shared by every reader.

Order keys (`OrderKey`) record where something sits in the tree's reading
order, the order of the C tools' depth-first walk of `source` statements:
an inclusion's key is its parent's key plus `2 * n + 1` for the parent's
n-th `source` statement and the target's index (a glob reads several
files), and a definition's or reference's key is its inclusion's plus
`2 * m` (m `source` statements precede it in its file) and its byte offset.
Keys do not move when text above a `source` statement is edited.
Comparing keys is comparing reading order, so tables rebuilt after an
incremental edit keep exactly the order a fresh load gives (the first
default that holds wins, across definition sites).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from kconfig_ls.semantics.workspace_settings import WorkspaceSettings as WorkspaceSettings
from kconfig_ls.syntax.expression import Expression, conjunction, implication
from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    ConfigEntry,
    Default,
    Dependency,
    Prompt,
    ReverseDependency,
    Span,
)
from kconfig_ls.syntax.records import fast_init

__all__ = [
    "ChoiceSite",
    "FileProblem",
    "Inclusion",
    "InheritedCondition",
    "Location",
    "OrderKey",
    "SymbolDefinition",
    "SymbolReference",
    "WorkspaceSettings",
    "dependency_expression",
]

OrderKey = tuple[int, ...]


class Location(NamedTuple):
    """A span in a file. A named tuple: the Linux model holds ~100,000 of them."""

    path: str
    span: Span


@fast_init
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


@fast_init
@dataclass(frozen=True, slots=True)
class InheritedCondition:
    """A condition an entry inherits from an enclosing block.

    `origin` is `if`, `menu` or `choice`; `location` is where the block's
    condition is written, so a hover can say where a dependency comes from.
    """

    expression: Expression
    origin: str
    location: Location


@fast_init
@dataclass(frozen=True, slots=True)
class Inclusion:
    """One way a file enters the tree: through which `source`, in which context.

    The `source` statement is named by its file (`source_path`) and its
    ordinal among that file's `source` statements (`source_ordinal`), not by
    its span: typing above it moves the span but changes nothing below it,
    so the inclusions (and everything linked under them) stay valid. The
    model turns them into locations (`KconfigModel.source_location`).
    """

    path: str
    parent: Inclusion | None
    source_path: str | None
    source_ordinal: int
    conditions: tuple[InheritedCondition, ...]
    visible_if: tuple[InheritedCondition, ...]
    menu_path: tuple[str, ...]
    reached: bool
    depth: int
    key: OrderKey = ()
    # The choice the `source` statement is in (the C tools make every entry at
    # the top of the file a member of it: coreboot sources its boards'
    # `Kconfig.name` files into choices); not compared, it is the parse node.
    choice: ChoiceEntry | None = field(default=None, compare=False)


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
    order: OrderKey = ()
    # `direct_dependency()` memo: a definition never changes once linked.
    _direct_dependency: Expression | None = field(default=None, repr=False, compare=False)
    # `edit_signatures.semantic_signature` memo (each keystroke compares the edited file's definitions).
    _semantic_signature: tuple[object, ...] | None = field(default=None, repr=False, compare=False)

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
        return conjunction(*(dependency_expression(d) for d in self.dependencies))

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


@fast_init
@dataclass(frozen=True, slots=True)
class ChoiceSite:
    """Where a `choice` block was linked: the entry, its inclusion and the block conditions around it.

    `inherited` and `visible_if` are those of the enclosing blocks (not the
    choice's own `depends on`), as `SymbolDefinition` records them.
    """

    entry: ChoiceEntry
    inclusion: Inclusion
    inherited: tuple[InheritedCondition, ...]
    visible_if: tuple[InheritedCondition, ...]


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
    order: OrderKey = ()


def dependency_expression(dependency: Dependency) -> Expression:
    """`depends on X if Y` as one expression: `Y -> X`; a plain `depends on X` is X."""
    if dependency.condition is None:
        return dependency.expression
    return implication(dependency.condition, dependency.expression)
