"""Hover: everything about a Kconfig symbol, led by its dependency chain.

What users ask of a hover (`shared/notes/what-users-ask.md`): type and
prompt with its condition; every definition site; the direct dependencies,
including those inherited from `if`, `menu` and `choice` blocks, with where
each comes from; selected by and implied by, with conditions; what it
selects and implies; defaults; the menu path and the `source` chain; the
help text. On top of that the hover expands the dependencies recursively
as a tree, so hovering NUMA_BALANCING shows that it needs NUMA_MIGRATION,
which needs NUMA && MMU. The tree is depth- and node-limited and marks
cycles, so that it stays small on any tree.

The output is Markdown built from plain strings; the server wraps it in
an LSP `Hover` at its edge. Prose from the Kconfig files (help texts) is
shown in fenced blocks, exactly as written for menuconfig's fixed-width
display, so nothing in it is misread as Markdown.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Final

from kconfig_ls.ide.locations import display_location, markdown_inline
from kconfig_ls.semantics.model import InheritedCondition, KconfigModel, Location, SymbolDefinition
from kconfig_ls.semantics.worlds import world_kind, world_label, world_membership
from kconfig_ls.syntax.expression import (
    TRUE,
    And,
    Compare,
    CTest,
    Expression,
    Not,
    Or,
    Symbol,
    conjunction,
    disjunction,
    render,
)
from kconfig_ls.syntax.kconfig import Dependency, Prompt, Span

__all__ = [
    "DEPENDENCY_TREE_MAX_DEPTH",
    "DEPENDENCY_TREE_MAX_NODES",
    "Hover",
    "dependency_tree_lines",
    "keyword_hover",
    "symbol_hover",
]

DEPENDENCY_TREE_MAX_DEPTH: Final = 4
DEPENDENCY_TREE_MAX_NODES: Final = 40
_MAX_DEFINITIONS_SHOWN: Final = 8
_MAX_REVERSE_SHOWN: Final = 15
_MAX_CHILDREN_SHOWN: Final = 8
_MAX_ALTERNATIVES_EXPANDED: Final = 3
_MAX_EXPRESSION_LENGTH: Final = 90


@dataclass(frozen=True, slots=True)
class Hover:
    """Markdown to show, and the span of the hovered word."""

    markdown: str
    span: Span


def symbol_hover(
    workspace: KconfigModel,
    name: str,
    span: Span,
    *,
    c_spelling: str | None = None,
    looked_from: str | None = None,
    hidden_files: frozenset[str] = frozenset(),
) -> Hover:
    """The hover for symbol `name`; `c_spelling` is set when hovered as `CONFIG_...`.

    It speaks of one configuration world: the configured one, or the
    architecture whose folder `looked_from` (the file being looked at) is in
    (`semantics.worlds.world_membership`). Other architectures' definitions
    are listed apart at the end, one line each, never merged. Definitions in
    `hidden_files` are another tree's namesakes (Zephyr's sysbuild) and not shown.
    """
    member = world_membership(workspace.settings, looked_from)
    writer = _SymbolHoverWriter(workspace, name, c_spelling, member, hidden_files)
    return Hover(writer.markdown(), span)


def keyword_hover(keyword: str, span: Span) -> Hover | None:
    """A short reminder of what a Kconfig keyword means, or None if it is not one."""
    text = _KEYWORD_DOCUMENTATION.get(keyword)
    if text is None:
        return None
    return Hover(f"**{keyword}** (Kconfig keyword)\n\n{text}", span)


def dependency_tree_lines(
    workspace: KconfigModel,
    name: str,
    *,
    max_depth: int = DEPENDENCY_TREE_MAX_DEPTH,
    max_nodes: int = DEPENDENCY_TREE_MAX_NODES,
    member: Callable[[SymbolDefinition], bool] | None = None,
) -> list[str]:
    """The dependency chain of a symbol as text lines of a tree.

    Each line is a symbol and what it depends on (`NUMA_MIGRATION ← NUMA &&
    MMU`); its children are the symbols that expression requires to be on
    (operands under `!` must be off, so their own dependencies do not
    matter and are not expanded). A symbol already expanded elsewhere in
    the tree is marked `(see above)`, one on its own path `(cycle)`.
    """
    return _DependencyTree(workspace, max_depth, max_nodes, member).lines(name)


# -- the symbol hover ---------------------------------------------------------------


class _SymbolHoverWriter:
    def __init__(
        self,
        workspace: KconfigModel,
        name: str,
        c_spelling: str | None,
        member: Callable[[SymbolDefinition], bool],
        hidden_files: frozenset[str] = frozenset(),
    ) -> None:
        self.workspace = workspace
        self.name = name
        self.c_spelling = c_spelling
        self.member = member
        definitions = workspace.definitions.get(name, [])
        if hidden_files:
            definitions = [d for d in definitions if d.path not in hidden_files]
        in_world = [d for d in definitions if member(d)]
        # A symbol no definition of this world provides: describe the others (labelled).
        self.only_elsewhere = not in_world and bool(definitions)
        self.definitions = in_world or list(definitions)
        self.others = [d for d in definitions if d not in self.definitions]
        self.parts: list[str] = []

    def markdown(self) -> str:
        self._header()
        if not self.definitions:
            self._undefined()
        else:
            self._definition_sites()
            self._dependencies()
            self._dependency_chain()
            self._defaults_and_ranges()
            self._forward_reverse_dependencies()
            self._reverse_dependencies()
            self._help()
            self._other_worlds()
        return "\n\n".join(part for part in self.parts if part)

    def _other_worlds(self) -> None:
        """Other architectures' (ESP-IDF: targets') definitions: one line each, apart from this world's."""
        if not self.others:
            return
        items = [f"**Other {world_kind(self.workspace.settings)}s**", ""]
        for definition in self.others[:_MAX_DEFINITIONS_SHOWN]:
            label = world_label(self.workspace.settings, definition)
            where = _code(display_location(self.workspace, definition.location))
            prompt = f' "{markdown_inline(definition.prompts[0].text)}"' if definition.prompts else ""
            items.append(f"- {label}: {where}{prompt}")
        if len(self.others) > _MAX_DEFINITIONS_SHOWN:
            items.append(f"- … and {len(self.others) - _MAX_DEFINITIONS_SHOWN} more")
        self.parts.append("\n".join(items))

    # -- pieces -------------------------------------------------------------------

    def _header(self) -> None:
        title = f"### {self.name}"
        if self.c_spelling is not None and self.c_spelling != f"CONFIG_{self.name}":
            title += f" (`{self.c_spelling}`)"
        self.parts.append(title)
        lines: list[str] = []
        types = _unique(d.type_name for d in self.definitions if d.type_name is not None)
        prompts = [(d, p) for d in self.definitions for p in d.prompts]
        type_text = " / ".join(f"`{t}`" for t in types) if types else ""
        if prompts:
            definition, prompt = prompts[0]
            prompt_text = f'"{markdown_inline(prompt.text)}"'
            if prompt.condition is not None or definition.visible_if:
                prompt_text += " if " + _code(render(_prompt_only_condition(definition, prompt)))
            lines.append(" ".join(part for part in (type_text, prompt_text) if part))
        elif self.definitions:
            no_prompt = "(no prompt: set only by defaults and selects)"
            lines.append(" ".join(part for part in (type_text, no_prompt) if part))
        if self.c_spelling is not None and self.c_spelling.endswith("_MODULE") and self.definitions:
            lines.append(f"`{self.c_spelling}` is defined when {self.name} is `m`")
        for definition in self.definitions:
            if definition.choice is not None:
                choice = definition.choice
                label = choice.prompts[0].text if choice.prompts else (choice.name or "choice")
                lines.append(f'member of the choice "{markdown_inline(label)}"')
                break
        if lines:
            self.parts.append("\n\n".join(lines))

    def _undefined(self) -> None:
        references = self.workspace.references.get(self.name, [])
        text = f"Undefined: no `config {self.name}` in the tree."
        if references:
            count = len(references)
            text += f" Referenced {count} time{'s' if count != 1 else ''}."
        self.parts.append(text)

    def _definition_sites(self) -> None:
        shown = self.definitions[:_MAX_DEFINITIONS_SHOWN]
        if len(self.definitions) == 1:
            definition = shown[0]
            lines = [f"**Defined at** {self._site(definition)}"]
            chain = self._source_chain(definition)
            if chain:
                lines.append(f"**Sourced** {chain}")
            self.parts.append("\n\n".join(lines))
            return
        items = ["**Defined at**", ""]
        for definition in shown:
            item = f"- {self._site(definition)}"
            chain = self._source_chain(definition)
            if chain:
                item += f"; sourced {chain}"
            items.append(item)
        if len(self.definitions) > len(shown):
            items.append(f"- … and {len(self.definitions) - len(shown)} more")
        self.parts.append("\n".join(items))

    def _site(self, definition: SymbolDefinition) -> str:
        text = _code(display_location(self.workspace, definition.location))
        if definition.prompts and len(self.definitions) > 1:
            text += f' "{markdown_inline(definition.prompts[0].text)}"'
        if definition.menu_path:
            text += " in " + " > ".join(f"*{markdown_inline(title)}*" for title in definition.menu_path)
        if self.only_elsewhere:
            text += f" (only for {world_label(self.workspace.settings, definition)})"
        elif not definition.reached and not self.member(definition):
            text += " (not sourced in this configuration)"
        return text

    def _source_chain(self, definition: SymbolDefinition) -> str:
        chain = self.workspace.source_chain(definition.inclusion)
        if not chain:
            return ""
        steps = [_code(display_location(self.workspace, location)) for location in chain]
        steps.append(_code(self.workspace.relative(definition.path)))
        return " → ".join(steps)

    def _dependencies(self) -> None:
        sections: list[str] = []
        shown = self.definitions[:_MAX_DEFINITIONS_SHOWN]
        for definition in shown:
            items = list(self._dependency_items(definition))
            if not items:
                continue
            if len(shown) > 1:
                where = _code(display_location(self.workspace, definition.location))
                sections.append(f"at {where}:\n" + "\n".join(f"  {item}" for item in items))
            else:
                sections.append("\n".join(items))
        if sections:
            self.parts.append("**Depends on**\n\n" + "\n".join(sections))

    def _dependency_items(self, definition: SymbolDefinition) -> Iterator[str]:
        for dependency in definition.dependencies:
            yield "- " + _dependency_text(dependency)
        for inherited in definition.inherited:
            yield "- " + self._inherited_text(inherited)
        for visible in definition.visible_if:
            where = _code(display_location(self.workspace, visible.location))
            condition = _code(_short(render(visible.expression)))
            yield f"- prompt shown only if {condition} (`visible if` at {where})"

    def _inherited_text(self, inherited: InheritedCondition) -> str:
        where = _code(display_location(self.workspace, inherited.location))
        expression = _code(_short(render(inherited.expression)))
        if inherited.origin == "if":
            return f"{expression} (from `if` at {where})"
        return f"{expression} (from the enclosing {inherited.origin} at {where})"

    def _dependency_chain(self) -> None:
        lines = dependency_tree_lines(self.workspace, self.name, member=self.member)
        if len(lines) <= 1:
            return
        self.parts.append("**Dependency chain**\n\n" + _fenced("\n".join(lines)))

    def _defaults_and_ranges(self) -> None:
        items: list[str] = []
        for definition in self.definitions[:_MAX_DEFINITIONS_SHOWN]:
            for default in definition.defaults:
                text = f"- {_code(_short(render(default.value)))}"
                if default.condition is not None:
                    text += f" if {_code(_short(render(default.condition)))}"
                items.append(text)
        if items:
            self.parts.append("**Defaults**\n\n" + "\n".join(_unique(items)))
        ranges: list[str] = []
        for definition in self.definitions[:_MAX_DEFINITIONS_SHOWN]:
            for range_ in definition.entry.ranges:
                text = f"- {_code(render(range_.low) + ' ' + render(range_.high))}"
                if range_.condition is not None:
                    text += f" if {_code(_short(render(range_.condition)))}"
                ranges.append(text)
        if ranges:
            self.parts.append("**Range**\n\n" + "\n".join(_unique(ranges)))

    def _forward_reverse_dependencies(self) -> None:
        for label, attribute in (("Selects", "selects"), ("Implies", "implies")):
            items: list[str] = []
            for definition in self.definitions[:_MAX_DEFINITIONS_SHOWN]:
                for reverse in getattr(definition, attribute):
                    text = f"- {_code(reverse.target)}"
                    if reverse.condition is not None:
                        text += f" if {_code(_short(render(reverse.condition)))}"
                    items.append(text)
            if items:
                self.parts.append(f"**{label}**\n\n" + "\n".join(_unique(items)))

    def _reverse_dependencies(self) -> None:
        for label, table in (
            ("Selected by", self.workspace.selected_by),
            ("Implied by", self.workspace.implied_by),
        ):
            pairs = [pair for pair in table.get(self.name, []) if self.member(pair[0])]
            if not pairs:
                continue
            items: list[str] = []
            for selector, reverse in pairs[:_MAX_REVERSE_SHOWN]:
                # As menuconfig shows it: the selector, its dependencies and the select's
                # condition, so that "does whatever selects MIGRATION depend on MMU?" is
                # answered by reading the list.
                text = f"- {_code(_short(render(_selector_term(selector, reverse.condition))))}"
                text += f" ({_code(display_location(self.workspace, Location(selector.path, reverse.span)))})"
                items.append(text)
            if len(pairs) > _MAX_REVERSE_SHOWN:
                items.append(f"- … and {len(pairs) - _MAX_REVERSE_SHOWN} more")
            self.parts.append(f"**{label}**\n\n" + "\n".join(items))

    def _help(self) -> None:
        for definition in self.definitions:
            help_text = definition.entry.help
            if help_text is None:
                continue
            text = help_text.text.strip("\n")
            if text.strip():
                self.parts.append("---\n\n" + _fenced(text))
            return


# -- the dependency tree -------------------------------------------------------------


@dataclass(slots=True)
class _TreeNode:
    """One line of the dependency tree before it is printed.

    `mark` is empty for an expanded symbol, else `cycle`, `undefined` or
    `repeat` (expanded elsewhere in the tree). `cut` says the symbol has
    requirements that were not expanded (depth or size limit), `hidden`
    counts children left out of a long list, `alternatives` the operands
    of a long `||` that were not expanded.
    """

    name: str
    expression: Expression | None
    mark: str = ""
    children: list[_TreeNode] = field(default_factory=list)
    cut: bool = False
    hidden: int = 0
    alternatives: int = 0


class _DependencyTree:
    """Builds the tree breadth-first, so that the node budget goes to the
    nearest requirements first, then prints it depth-first."""

    def __init__(
        self,
        workspace: KconfigModel,
        max_depth: int,
        max_nodes: int,
        member: Callable[[SymbolDefinition], bool] | None = None,
    ) -> None:
        self.workspace = workspace
        self.member = member or _is_reached
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.truncated = False

    def lines(self, name: str) -> list[str]:
        root = _TreeNode(name, self._dependency_of(name))
        self._build(root)
        # The root's own expression is listed under "Depends on"; the tree
        # shows what each of its symbols needs in turn.
        output = [name if root.expression is not None else self._label(name, None)]
        self._print(root, "", output, {name})
        if self.truncated:
            output.append(f"(tree cut at {self.max_depth} levels or {self.max_nodes} symbols)")
        return output

    def _build(self, root: _TreeNode) -> None:
        expanded = {root.name}
        count = 1
        queue: deque[tuple[_TreeNode, int, tuple[str, ...]]] = deque([(root, 0, (root.name,))])
        while queue:
            node, depth, path = queue.popleft()
            if node.expression is None:
                continue
            names = _unique(_required_symbols(node.expression))
            if depth >= self.max_depth:
                node.cut = any(name not in expanded for name in names)
                self.truncated = self.truncated or node.cut
                continue
            if isinstance(node.expression, Or) and len(node.expression.operands) > _MAX_ALTERNATIVES_EXPANDED:
                # Any one of many alternatives will do (X86_HAVE_PAE needs one of
                # thirteen CPU types): listing each one's needs is noise.
                node.alternatives = len(node.expression.operands)
                continue
            for index, child in enumerate(names):
                if count >= self.max_nodes or index >= _MAX_CHILDREN_SHOWN:
                    node.hidden = len(names) - index
                    self.truncated = True
                    break
                count += 1
                if child in path:
                    node.children.append(_TreeNode(child, None, "cycle"))
                elif child not in self.workspace.definitions:
                    node.children.append(_TreeNode(child, None, "undefined"))
                else:
                    child_expression = self._dependency_of(child)
                    if child in expanded and child_expression is not None:
                        node.children.append(_TreeNode(child, child_expression, "repeat"))
                        continue
                    expanded.add(child)
                    child_node = _TreeNode(child, child_expression)
                    node.children.append(child_node)
                    queue.append((child_node, depth + 1, (*path, child)))

    def _print(self, parent: _TreeNode, prefix: str, output: list[str], printed: set[str]) -> None:
        """Print a node's children (and a `…` line for what was left out)."""
        trailing = ""
        if parent.cut:
            trailing = "…"
        elif parent.hidden:
            trailing = f"… and {parent.hidden} more"
        elif parent.alternatives:
            trailing = f"(any one of the {parent.alternatives} alternatives; not expanded)"
        for index, node in enumerate(parent.children):
            last = index == len(parent.children) - 1 and not trailing
            branch = "└─ " if last else "├─ "
            if node.mark == "cycle":
                output.append(f"{prefix}{branch}{node.name} (cycle)")
            elif node.mark == "undefined":
                output.append(f"{prefix}{branch}{node.name} (undefined)")
            elif node.mark == "repeat":
                where = "above" if node.name in printed else "below"
                output.append(f"{prefix}{branch}{node.name} (see {where})")
            else:
                printed.add(node.name)
                output.append(prefix + branch + self._label(node.name, node.expression))
                self._print(node, prefix + ("   " if last else "│  "), output, printed)
        if trailing:
            output.append(prefix + "└─ " + trailing)

    def _dependency_of(self, name: str) -> Expression | None:
        """The OR of the direct dependencies of the symbol's definitions, or None if it has none."""
        definitions = self.workspace.definitions.get(name, [])
        reached = [d for d in definitions if self.member(d)] or definitions
        if not reached:
            return None
        expressions: list[Expression] = []
        for definition in reached:
            dependency = _direct_dependency(definition)
            if dependency == TRUE:
                return None  # one unconditional definition: nothing is required
            if dependency not in expressions:
                expressions.append(dependency)
        return disjunction(*expressions)

    def _label(self, name: str, expression: Expression | None) -> str:
        note = self._how_set(name)
        if expression is None:
            return f"{name} (no dependencies{'; ' + note if note else ''})"
        label = f"{name} ← {_short(render(expression))}"
        return f"{label} ({note})" if note else label

    def _how_set(self, name: str) -> str:
        """For a symbol without a prompt, how it gets a value: its selectors or its default."""
        everywhere = self.workspace.definitions.get(name, [])
        in_world = [d for d in everywhere if self.member(d)]
        definitions = in_world or everywhere
        if not definitions or any(definition.prompts for definition in definitions):
            return ""
        pairs = self.workspace.selected_by.get(name, [])
        # One world per answer: where the symbol is defined in this world, only this
        # world's selectors count (x86's MMU is `def_bool y`, not "selected by XTENSA_...").
        selectors = _unique(selector.name for selector, _ in pairs if not in_world or self.member(selector))
        if selectors:
            shown = ", ".join(selectors[:3])
            more = f" and {len(selectors) - 3} more" if len(selectors) > 3 else ""
            return f"selected by {shown}{more}"
        for definition in definitions:
            for default in definition.defaults:
                text = f"default {_short(render(default.value))}"
                if default.condition is not None:
                    text += f" if {_short(render(default.condition))}"
                return text
        return "no prompt, default or select: always n"


def _is_reached(definition: SymbolDefinition) -> bool:
    return definition.reached


def _direct_dependency(definition: SymbolDefinition) -> Expression:
    """Own `depends on` first, then the inherited block conditions, without repeats."""
    operands: list[Expression] = []
    combined = conjunction(definition.own_dependency(), *(c.expression for c in definition.inherited))
    for operand in combined.operands if isinstance(combined, And) else (combined,):
        if operand not in operands:
            operands.append(operand)
    return conjunction(*operands)


def _selector_term(selector: SymbolDefinition, condition: Expression | None) -> Expression:
    """`COMPACTION && MMU`: the selector, its direct dependency and the select's `if`, without repeats."""
    operands: list[Expression] = []
    combined = conjunction(
        Symbol(selector.name), _direct_dependency(selector), condition if condition is not None else TRUE
    )
    for operand in combined.operands if isinstance(combined, And) else (combined,):
        if operand not in operands:
            operands.append(operand)
    return conjunction(*operands)


def _required_symbols(expression: Expression) -> list[str]:
    """Symbols that must be on (or at a value) for the expression to hold, in order."""
    names: list[str] = []
    _collect_required(expression, False, names)
    return names


def _collect_required(node: Expression, negated: bool, names: list[str]) -> None:
    if isinstance(node, Symbol):
        if not negated:
            names.append(node.name)
    elif isinstance(node, CTest):
        if not negated:
            names.append(node.symbol)
    elif isinstance(node, Not):
        _collect_required(node.operand, not negated, names)
    elif isinstance(node, (And, Or)):
        for operand in node.operands:
            _collect_required(operand, negated, names)
    elif isinstance(node, Compare):
        flipped = not negated if node.operator == "!=" else negated
        _collect_required(node.left, flipped, names)
        _collect_required(node.right, flipped, names)


# -- small text helpers --------------------------------------------------------------


def _dependency_text(dependency: Dependency) -> str:
    text = _code(_short(render(dependency.expression)))
    if dependency.condition is not None:
        text += f" if {_code(_short(render(dependency.condition)))}"
    return text


def _prompt_only_condition(definition: SymbolDefinition, prompt: Prompt) -> Expression:
    """When the prompt is shown, leaving out the dependencies (listed separately)."""
    return conjunction(
        *(visible.expression for visible in definition.visible_if),
        prompt.condition if prompt.condition is not None else TRUE,
    )


def _short(text: str) -> str:
    if len(text) <= _MAX_EXPRESSION_LENGTH:
        return text
    return text[: _MAX_EXPRESSION_LENGTH - 1].rstrip() + "…"


def _code(text: str) -> str:
    """Inline code; uses a longer fence when the text contains backticks."""
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result: list[str] = []
    for item in items:
        if item not in seen:
            seen.add(item)
            result.append(item)
    return result


_KEYWORD_DOCUMENTATION: Final = {
    "config": "Defines a symbol. The attributes that follow (type, prompt, `depends on`, `select`, "
    "`default`, `help`) describe it.",
    "menuconfig": "Like `config`, and the entries that depend on it are shown as a submenu under it.",
    "configdefault": "Adds defaults to a symbol defined elsewhere (Zephyr).",
    "choice": "A group of symbols of which at most one (exactly one unless `optional`) is selected.",
    "endchoice": "Ends a `choice` block.",
    "menu": "A menu: its title, then its entries up to `endmenu`. Its `depends on` applies to every "
    "entry inside.",
    "endmenu": "Ends a `menu` block.",
    "if": "Every entry up to `endif` depends on the condition.",
    "endif": "Ends an `if` block.",
    "comment": "A line of text shown in the menu; may have `depends on`.",
    "source": "Reads another Kconfig file here, relative to the top of the tree.",
    "rsource": "Reads another Kconfig file here, relative to this file's folder.",
    "osource": "Like `source`, and a missing file is not an error.",
    "orsource": "Like `rsource`, and a missing file is not an error.",
    "mainmenu": "The title of the configuration's top menu.",
    "depends": "`depends on EXPR`: the symbol can only be set (and its prompt shown) while EXPR holds.",
    "select": "`select SYMBOL [if EXPR]`: forces SYMBOL to at least this symbol's value, ignoring "
    "SYMBOL's own dependencies. Use only for symbols without a prompt and without dependencies.",
    "imply": "`imply SYMBOL [if EXPR]`: like a default for SYMBOL that the user can still override.",
    "default": "`default VALUE [if EXPR]`: the value when the user did not set one; the first "
    "default whose condition holds wins.",
    "range": "`range LOW HIGH [if EXPR]`: the allowed values of an `int` or `hex` symbol.",
    "visible": "`visible if EXPR` (menus): the menu's prompt is shown only while EXPR holds.",
    "prompt": '`prompt "TEXT" [if EXPR]`: the text shown in the menu; without one the symbol is '
    "not user-visible.",
    "help": "The help text: the lines indented below it.",
    "bool": "Type: `y` or `n`.",
    "tristate": "Type: `y`, `m` (module) or `n`.",
    "int": "Type: a decimal integer.",
    "hex": "Type: a hexadecimal integer.",
    "string": "Type: a string.",
    "def_bool": "`def_bool VALUE [if EXPR]`: type `bool` and a default in one line.",
    "def_tristate": "`def_tristate VALUE [if EXPR]`: type `tristate` and a default in one line.",
    "modules": "Marks this symbol as the one that enables loadable modules (`m`).",
    "optional": "(choices) No member needs to be selected.",
    "transitional": "The symbol only carries an old name's value to a new one; it is not user-visible.",
}
