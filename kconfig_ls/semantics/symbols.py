"""The semantic symbol table: what each symbol *means* in one configuration world.

The model (`kconfig_ls.semantics.model`) records every definition site as it
is written, in every file of the tree, reached or not. Rules, hovers,
navigation, the logic layer (SAT) and the evaluator need something else: for
one configuration world (one architecture of Linux, or the single world of a
tree without architectures), the merged meaning of each symbol, as the C tools
compute it in `menu_finalize`:

- `direct_dependency`: the OR over the world's definitions of each one's
  inherited (`if`/`menu`/`choice`) and own `depends on` conditions
  (`sym->dir_dep`).
- `prompts`: each prompt with the condition under which it is shown: its own
  `if`, the enclosing menus' `visible if`, and its definition's dependencies
  (`sym->visible` is their OR).
- `defaults`, in order, each with its condition: its own `if` and its
  definition's dependencies (the first that holds wins).
- `selects`/`implies` of the symbol, each with its condition (own `if` and the
  selector definition's dependencies), and the reverse tables `selected_by`/
  `implied_by` of the target (`sym->rev_dep`, `sym->implied`: the OR of
  `selector && condition`).
- `ranges` with conditions; the choice group a member belongs to; whether it
  is the `modules` symbol; `transitional`.

This is the one place that decides which definitions count: a world holds
only the definitions its root reaches. Other worlds' definitions of the same
name never merge into this one (on x86, SMP's hover and every rule see x86's
SMP alone). A table is immutable and derived from a model snapshot; the
logic layer encodes it, the evaluator runs on it.

Expressions are the model's `kconfig_ls.syntax.expression` trees with macros
expanded; `Unknown` operands (compiler probes) stay unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, NamedTuple

from kconfig_ls.syntax.expression import (
    TRUE,
    And,
    Compare,
    Constant,
    Expression,
    Symbol,
    conjunction,
    disjunction,
)
from kconfig_ls.syntax.kconfig import (
    ChoiceEntry,
    CommentEntry,
    ConfigEntry,
    IfBlock,
    KconfigFile,
    MacroAssignment,
    MainMenu,
    MenuEntry,
    Node,
    SourceStatement,
    Span,
)

if TYPE_CHECKING:
    from kconfig_ls.semantics.definitions import OrderKey
    from kconfig_ls.semantics.model import ChoiceSite, Inclusion, KconfigModel, Location, SymbolDefinition

__all__ = [
    "DEFAULT_WORLD",
    "ChoiceSemantics",
    "ConditionalExpression",
    "PromptSemantics",
    "RangeSemantics",
    "ReverseDependencySemantics",
    "SymbolSemantics",
    "SymbolTable",
    "build_symbol_table",
    "counts_in_world",
    "world_definitions",
]

DEFAULT_WORLD: Final = ""
"""The name of the world of a tree that has no architectures (or of the configured one, unnamed)."""


@dataclass(frozen=True, slots=True)
class PromptSemantics:
    """A prompt and when it is shown.

    `condition` is the prompt's own `if` and the enclosing `visible if`s;
    `visibility` adds its definition's direct dependency: the prompt is shown
    exactly when `visibility` holds (the C tools' `prompt->visible.expr`).
    """

    text: str
    condition: Expression
    visibility: Expression
    location: Location


@dataclass(frozen=True, slots=True)
class ConditionalExpression:
    """A `default VALUE if COND` (or a range bound pair, a select target): value and when it applies.

    `own_condition` is the written `if` (TRUE when none); `condition` adds the
    definition's direct dependency, as the C tools see it.
    """

    value: Expression
    own_condition: Expression
    condition: Expression
    location: Location


@dataclass(frozen=True, slots=True)
class ReverseDependencySemantics:
    """`SELECTOR selects TARGET if COND` (or implies), seen from either end.

    `condition` is the select's own `if` and the selector definition's direct
    dependency; the target is forced to at least `SELECTOR && condition`
    (the C tools add exactly that to the target's `rev_dep`).
    """

    selector: str
    target: str
    own_condition: Expression
    condition: Expression
    location: Location
    target_location: Location


@dataclass(frozen=True, slots=True)
class RangeSemantics:
    low: Expression
    high: Expression
    own_condition: Expression
    condition: Expression
    location: Location


@dataclass(frozen=True, slots=True)
class ChoiceSemantics:
    """A `choice` group: its members, prompt, defaults and dependencies.

    `key` identifies the choice within its table (`path:offset`, plus the
    inclusion for a file sourced more than once). `type` is the choice's own
    type, else its first typed member's (the C tools infer it). A choice is
    `optional` when it says so; otherwise exactly one member is `y` while the
    choice is visible and in `y` mode.
    """

    key: str
    name: str | None
    type: str | None
    prompts: tuple[PromptSemantics, ...]
    direct_dependency: Expression
    defaults: tuple[ConditionalExpression, ...]
    members: tuple[str, ...]
    optional: bool
    location: Location


@dataclass(frozen=True, slots=True)
class SymbolSemantics:
    """The merged meaning of one symbol in one world (see the module docstring)."""

    name: str
    type: str | None
    definitions: tuple[SymbolDefinition, ...]
    direct_dependency: Expression
    prompts: tuple[PromptSemantics, ...]
    defaults: tuple[ConditionalExpression, ...]
    selects: tuple[ReverseDependencySemantics, ...]
    implies: tuple[ReverseDependencySemantics, ...]
    selected_by: tuple[ReverseDependencySemantics, ...]
    implied_by: tuple[ReverseDependencySemantics, ...]
    ranges: tuple[RangeSemantics, ...]
    choice: str | None
    is_modules_symbol: bool
    transitional: bool

    @property
    def has_prompt(self) -> bool:
        return bool(self.prompts)

    @property
    def visibility(self) -> Expression:
        """When any prompt is shown (`sym->visible`); `n` for a prompt-less symbol."""
        return disjunction(*(prompt.visibility for prompt in self.prompts))

    @property
    def reverse_dependency(self) -> Expression:
        """`sym->rev_dep`: the OR of `SELECTOR && condition` over its selectors."""
        return _reverse_expression(self.selected_by)

    @property
    def weak_reverse_dependency(self) -> Expression:
        """`sym->implied`: the OR of `IMPLIER && condition` over its impliers."""
        return _reverse_expression(self.implied_by)

    @property
    def location(self) -> Location:
        return self.definitions[0].location


@dataclass(frozen=True)
class SymbolTable:
    """Every symbol of one world, with the world's choices.

    `undefined_references` lists names used in the world's expressions that
    no definition of the world provides (they are `n`, or their own name as a
    string constant, to the C tools).
    """

    world: str
    symbols: Mapping[str, SymbolSemantics]
    choices: Mapping[str, ChoiceSemantics]
    modules_symbol: str | None
    undefined_references: frozenset[str] = field(default_factory=frozenset)

    def get(self, name: str) -> SymbolSemantics | None:
        return self.symbols.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.symbols

    def __iter__(self) -> Iterator[SymbolSemantics]:
        return iter(self.symbols.values())

    def __len__(self) -> int:
        return len(self.symbols)

    def restricted(self, names: Iterable[str]) -> SymbolTable:
        """The same world with only `names`' symbols (the ones it has): what an incremental
        re-check asks its questions of (`logic.incremental_logic`, `logic.incremental_warming`)."""
        return SymbolTable(
            self.world,
            {name: self.symbols[name] for name in names if name in self.symbols},
            self.choices,
            self.modules_symbol,
            self.undefined_references,
        )


def counts_in_world(definition: SymbolDefinition) -> bool:
    """Whether a definition counts in the world of its model: the root reaches it.

    The one test of which definitions count, used by `build_symbol_table`
    and by the rules that look at single symbols without building the whole
    table (building it costs ~0.7 s on Linux, too much after every edit).
    """
    return definition.reached


def world_definitions(model: KconfigModel, name: str) -> list[SymbolDefinition]:
    """The definitions of `name` that count in the model's world, in reading order."""
    return [definition for definition in model.definitions.get(name, ()) if counts_in_world(definition)]


def build_symbol_table(
    model: KconfigModel, world: str = DEFAULT_WORLD, shared: dict[object, object] | None = None
) -> SymbolTable:
    """The symbol table of the world the model's root reaches (the configured one).

    Only reached definitions count (`counts_in_world`); a model whose root
    is missing gives an empty table. Cost: one pass over the reached
    definitions (Linux x86: ~18,000 symbols).

    `shared` is a memo for building the tables of several worlds whose
    models share their parses (`semantics.worlds`): what a symbol's
    definitions alone decide (its dependency, prompts, defaults, ranges,
    selects) is derived once for all the worlds where the definitions are
    the same records (same parse nodes, same inherited conditions), and
    only what depends on the whole world (reverse dependencies, choices) is
    built per world. Linux: most of the 21 worlds' symbols are shared.
    """
    reached_by_name: dict[str, list[SymbolDefinition]] = {}
    for name, definitions in model.definitions.items():
        reached = [definition for definition in definitions if counts_in_world(definition)]
        if reached:
            reached_by_name[name] = reached
    return _table_from_definitions(world, reached_by_name, _reached_choices(model), model, shared)


class _Derived(NamedTuple):
    """What a symbol's definitions alone decide (shared between worlds by `build_symbol_table`)."""

    type: str | None
    direct_dependency: Expression
    dependency_names: frozenset[str]
    prompts: tuple[PromptSemantics, ...]
    defaults: tuple[ConditionalExpression, ...]
    ranges: tuple[RangeSemantics, ...]
    selects: tuple[ReverseDependencySemantics, ...]
    implies: tuple[ReverseDependencySemantics, ...]
    is_modules: bool
    transitional: bool


def _derived(name: str, definitions: list[SymbolDefinition]) -> _Derived:
    from kconfig_ls.semantics.model import Location
    from kconfig_ls.syntax.expression import referenced_symbols

    selects: list[ReverseDependencySemantics] = []
    implies: list[ReverseDependencySemantics] = []
    for definition in definitions:
        dependency = definition.direct_dependency()
        for reverses, collected in ((definition.selects, selects), (definition.implies, implies)):
            for reverse in reverses:
                own = reverse.condition if reverse.condition is not None else TRUE
                collected.append(
                    ReverseDependencySemantics(
                        selector=name,
                        target=reverse.target,
                        own_condition=own,
                        condition=conjunction(own, dependency),
                        location=Location(definition.path, reverse.span),
                        target_location=Location(definition.path, reverse.target_span),
                    )
                )
    # The last type written wins, as in kconfiglib (the C tools warn about a redefinition).
    typed = next((d.type_name for d in reversed(definitions) if d.type_name is not None), None)
    options = {option for d in definitions for option, _ in d.entry.options}
    is_modules = "modules" in options or any(o.replace(" ", "") == "optionmodules" for o in options)
    direct_dependency = disjunction(*_unique(d.direct_dependency() for d in definitions))
    return _Derived(
        typed,
        direct_dependency,
        frozenset(referenced_symbols(direct_dependency)),
        tuple(_prompts(definitions)),
        tuple(_defaults(definitions)),
        tuple(_ranges(definitions)),
        tuple(selects),
        tuple(implies),
        is_modules,
        "transitional" in options,
    )


def _shared_key(name: str, definitions: list[SymbolDefinition]) -> tuple[object, ...]:
    """The identity of what `_derived` reads: the same objects give the same result.

    Identities, not values: comparing expressions by value would cost what
    deriving them costs. Models that share a parse share the entry's lists
    (a file without macros is not copied per world) and the block
    conditions' expressions; the memo lives while the models do, so the
    identities are not reused.
    """
    return (
        name,
        *(
            (
                id(d.entry),
                d.path,
                id(d.prompts),
                id(d.dependencies),
                id(d.selects),
                id(d.implies),
                id(d.defaults),
                tuple(id(c.expression) for c in d.inherited),
                tuple(id(c.expression) for c in d.visible_if),
            )
            for d in definitions
        ),
    )


def _table_from_definitions(
    world: str,
    definitions_by_name: Mapping[str, list[SymbolDefinition]],
    choices: Iterable[ChoiceSite],
    model: KconfigModel | None = None,
    shared: dict[object, object] | None = None,
) -> SymbolTable:
    selected_by: dict[str, list[ReverseDependencySemantics]] = {}
    implied_by: dict[str, list[ReverseDependencySemantics]] = {}
    derived_by_name: dict[str, _Derived] = {}
    for name, definitions in definitions_by_name.items():
        if shared is None:
            derived = _derived(name, definitions)
        else:
            identity = _shared_key(name, definitions)
            found = shared.get(identity)
            if found is None:
                derived = _derived(name, definitions)
                # The definitions are kept with the result, so that the identities stay theirs.
                shared[identity] = (derived, definitions)
            else:
                derived = found[0]  # type: ignore[index]
        derived_by_name[name] = derived
        for reverse in derived.selects:
            selected_by.setdefault(reverse.target, []).append(reverse)
        for reverse in derived.implies:
            implied_by.setdefault(reverse.target, []).append(reverse)

    choice_table: dict[str, ChoiceSemantics] = {}
    member_choice: dict[str, str] = {}
    sourced = _sourced_inclusions(definitions_by_name, model)
    files = model.files if model is not None else None
    for site in choices:
        key = _choice_key(site.inclusion, site.entry.span)
        if key in choice_table:
            continue
        members = _choice_members(site, definitions_by_name, sourced, files)
        for member in members:
            member_choice.setdefault(member, key)
        choice_table[key] = _choice_semantics(key, site, members, definitions_by_name)

    modules_symbol: str | None = None
    symbols: dict[str, SymbolSemantics] = {}
    for name, definitions in definitions_by_name.items():
        derived = derived_by_name[name]
        typed = derived.type
        choice_key = member_choice.get(name)
        if typed is None and choice_key is not None:
            # A member with only a prompt takes the choice's type (U-Boot
            # arch/arm/mach-renesas/Kconfig), as the C tools do.
            typed = choice_table[choice_key].type
        if derived.is_modules and modules_symbol is None:
            modules_symbol = name
        symbols[name] = SymbolSemantics(
            name=name,
            type=typed,
            definitions=tuple(definitions),
            direct_dependency=derived.direct_dependency,
            prompts=derived.prompts,
            defaults=derived.defaults,
            selects=derived.selects,
            implies=derived.implies,
            selected_by=tuple(selected_by.get(name, ())),
            implied_by=tuple(implied_by.get(name, ())),
            ranges=derived.ranges,
            choice=choice_key,
            is_modules_symbol=derived.is_modules,
            transitional=derived.transitional,
        )
    undefined = frozenset(name for name in (*selected_by, *implied_by) if name not in symbols) | frozenset(
        name
        for derived in derived_by_name.values()
        for name in derived.dependency_names
        if name not in symbols
    )
    return SymbolTable(world, symbols, choice_table, modules_symbol, undefined)


def _prompts(definitions: Iterable[SymbolDefinition]) -> Iterator[PromptSemantics]:
    from kconfig_ls.semantics.model import Location

    for definition in definitions:
        dependency = definition.direct_dependency()
        for prompt in definition.prompts:
            condition = conjunction(
                *(visible.expression for visible in definition.visible_if),
                prompt.condition if prompt.condition is not None else TRUE,
            )
            yield PromptSemantics(
                prompt.text,
                condition,
                conjunction(condition, dependency),
                Location(definition.path, prompt.span),
            )


def _defaults(definitions: Iterable[SymbolDefinition]) -> Iterator[ConditionalExpression]:
    from kconfig_ls.semantics.model import Location

    for definition in definitions:
        dependency = definition.direct_dependency()
        for default in definition.defaults:
            own = default.condition if default.condition is not None else TRUE
            yield ConditionalExpression(
                default.value, own, conjunction(own, dependency), Location(definition.path, default.span)
            )


def _ranges(definitions: Iterable[SymbolDefinition]) -> Iterator[RangeSemantics]:
    from kconfig_ls.semantics.model import Location

    for definition in definitions:
        dependency = definition.direct_dependency()
        for range_ in definition.entry.ranges:
            own = range_.condition if range_.condition is not None else TRUE
            yield RangeSemantics(
                range_.low,
                range_.high,
                own,
                conjunction(own, dependency),
                Location(definition.path, range_.span),
            )


def _reached_choices(model: KconfigModel) -> Iterator[ChoiceSite]:
    for choices in model.choices_by_file.values():
        for site in choices:
            if site.inclusion.reached:
                yield site


def _choice_key(inclusion: Inclusion, span: Span) -> str:
    suffix = "@" + ".".join(str(part) for part in inclusion.key) if inclusion.depth else ""
    return f"{inclusion.path}:{span.start}{suffix}"


def _choice_members(
    site: ChoiceSite,
    definitions_by_name: Mapping[str, list[SymbolDefinition]],
    sourced: Mapping[tuple[OrderKey, int], list[Inclusion]] | None = None,
    files: Mapping[str, KconfigFile] | None = None,
) -> tuple[str, ...]:
    """The choice's members in kconfig's order: its entries (through `if` and `source`), as
    `menu_finalize` leaves them.

    An entry that depends on the member before it (`depends on M`, `if M` around it, `M=y`
    as a conjunct) becomes that member's child, not a member, and so do the entries after it
    that depend on it or on M (Buildroot's `if BR2_PACKAGE_LIBOPENSSL` around libopenssl's
    options, sourced inside the "ssl library" choice). Files sourced inside the choice are
    read when `sourced` (inclusions by their parent's key and the `source` path's offset) and
    `files` are given; without them, `source` statements are skipped.
    """
    members: list[str] = []
    levels = [_level_items(site.entry.children, site.inclusion, sourced, files)]
    while levels:
        items = levels.pop()
        # The chain of symbols whose following entries may still be their children.
        open_names: list[str] = []
        for node, inclusion in items:
            if isinstance(node, MacroAssignment | MainMenu):
                continue
            while open_names and not _has_menu_dependency(node, open_names[-1]):
                open_names.pop()
            if open_names:
                if isinstance(node, ConfigEntry):
                    open_names.append(node.name)
                continue
            if isinstance(node, ConfigEntry):
                for name in _instance_names(node, inclusion, definitions_by_name):
                    if name not in members:
                        members.append(name)
                open_names.append(node.name)
            elif isinstance(node, IfBlock):
                levels.append(_level_items(node.children, inclusion, sourced, files))
    return tuple(members)


def _level_items(
    nodes: Iterable[Node],
    inclusion: Inclusion,
    sourced: Mapping[tuple[OrderKey, int], list[Inclusion]] | None,
    files: Mapping[str, KconfigFile] | None,
) -> list[tuple[Node, Inclusion]]:
    """The nodes of one level of a choice with the files it sources in their place."""
    items: list[tuple[Node, Inclusion]] = []
    stack: list[tuple[Iterator[Node], Inclusion]] = [(iter(nodes), inclusion)]
    while stack:
        iterator, current = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
            continue
        if not isinstance(node, SourceStatement):
            items.append((node, current))
            continue
        if sourced is None or files is None:
            continue
        for child in sourced.get((current.key, node.path_span.start), ()):
            parsed = files.get(child.path)
            if parsed is not None:
                stack.append((iter(parsed.nodes), child))
    return items


def _has_menu_dependency(node: Node, name: str) -> bool:
    """Whether the node depends on the symbol the way kconfig nests it (`expr_depends_symbol`)."""
    if isinstance(node, IfBlock):
        return _names_conjunct(node.condition, name)
    if isinstance(node, ConfigEntry | ChoiceEntry) and any(
        p.condition is not None and _names_conjunct(p.condition, name) for p in node.prompts
    ):
        return True
    if isinstance(node, ConfigEntry | ChoiceEntry | CommentEntry | MenuEntry):
        return any(d.condition is None and _names_conjunct(d.expression, name) for d in node.dependencies)
    return False


def _names_conjunct(expression: Expression, name: str) -> bool:
    """`name`, `name=y`, `name=m`, `name!=n` (either way round), or a conjunction holding one."""
    if isinstance(expression, Symbol):
        return expression.name == name
    if isinstance(expression, And):
        return any(_names_conjunct(operand, name) for operand in expression.operands)
    if isinstance(expression, Compare) and expression.operator in ("=", "!="):
        wanted = ("y", "m") if expression.operator == "=" else ("n",)
        for this, other in ((expression.left, expression.right), (expression.right, expression.left)):
            if (
                isinstance(this, Symbol)
                and this.name == name
                and isinstance(other, Constant)
                and other.value in wanted
            ):
                return True
    return False


def _sourced_inclusions(
    definitions_by_name: Mapping[str, list[SymbolDefinition]],
    model: KconfigModel | None,
) -> dict[tuple[OrderKey, int], list[Inclusion]]:
    """The inclusions made by `source` statements inside choices, by the parent inclusion's key
    and the offset of the statement's path (the C tools read those files as part of the choice:
    coreboot sources `src/mainboard/*/Kconfig.name` into its vendor choice)."""
    table: dict[tuple[OrderKey, int], list[Inclusion]] = {}
    if model is None:
        return table
    # One look-up per inclusion, not per definition: finding a `source` statement walks its
    # file (Linux: 53,000 definitions in 1,600 inclusions).
    seen: set[int] = set()
    for definitions in definitions_by_name.values():
        for definition in definitions:
            inclusion: Inclusion | None = definition.inclusion
            while inclusion is not None and inclusion.choice is not None and id(inclusion) not in seen:
                seen.add(id(inclusion))
                parent = inclusion.parent
                location = model.source_location(inclusion)
                if parent is not None and location is not None:
                    table.setdefault((parent.key, location.span.start), []).append(inclusion)
                inclusion = parent
    for inclusions in table.values():
        inclusions.sort(key=lambda inclusion: inclusion.key)
    return table


def _instance_names(
    node: ConfigEntry, inclusion: Inclusion, definitions_by_name: Mapping[str, list[SymbolDefinition]]
) -> Iterator[str]:
    """The names a member entry got in one inclusion of its file: a template sourced
    twice (Zephyr's `Kconfig.template.log_config`) shares its parse nodes between instances."""
    if "$(" not in node.name:
        if node.name in definitions_by_name:
            yield node.name
        return
    for definitions in definitions_by_name.values():
        for definition in definitions:
            if definition.entry is node and definition.inclusion.key == inclusion.key:
                yield definition.name


def _choice_semantics(
    key: str,
    site: ChoiceSite,
    members: tuple[str, ...],
    definitions_by_name: Mapping[str, list[SymbolDefinition]],
) -> ChoiceSemantics:
    from kconfig_ls.semantics.model import Location, dependency_expression

    entry = site.entry
    path = site.inclusion.path
    inherited = conjunction(*(condition.expression for condition in site.inherited))
    own_dependencies = conjunction(*(dependency_expression(d) for d in entry.dependencies))
    dependency = conjunction(inherited, own_dependencies)
    visible_if = [condition.expression for condition in site.visible_if]
    prompts = tuple(
        PromptSemantics(
            prompt.text,
            conjunction(*visible_if, prompt.condition if prompt.condition is not None else TRUE),
            conjunction(*visible_if, prompt.condition if prompt.condition is not None else TRUE, dependency),
            Location(path, prompt.span),
        )
        for prompt in entry.prompts
    )
    defaults = tuple(
        ConditionalExpression(
            default.value,
            default.condition if default.condition is not None else TRUE,
            conjunction(default.condition if default.condition is not None else TRUE, dependency),
            Location(path, default.span),
        )
        for default in entry.defaults
    )
    choice_type = entry.type.type_name if entry.type is not None else None
    if choice_type is None:
        for name in members:
            typed = next(
                (d.type_name for d in definitions_by_name.get(name, ()) if d.type_name is not None), None
            )
            if typed is not None:
                choice_type = typed
                break
    optional = any(option == "optional" for option, _ in entry.options)
    return ChoiceSemantics(
        key=key,
        name=entry.name,
        type=choice_type,
        prompts=prompts,
        direct_dependency=dependency,
        defaults=defaults,
        members=members,
        optional=optional,
        location=Location(path, entry.name_span or entry.span),
    )


def _reverse_expression(reverses: Iterable[ReverseDependencySemantics]) -> Expression:
    return disjunction(*(conjunction(Symbol(r.selector), r.condition) for r in reverses))


def _unique(expressions: Iterable[Expression]) -> list[Expression]:
    unique: list[Expression] = []
    for expression in expressions:
        if expression not in unique:
            unique.append(expression)
    return unique
