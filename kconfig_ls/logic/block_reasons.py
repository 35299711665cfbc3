"""The one-line reasons and the quick fixes of dead, undead and redundant `#if` blocks.

Split from `kconfig_ls.logic.dead_blocks`, which decides the findings: this
module only words them (the cause undertaker would name, the enclosing
lines, the Kconfig facts behind them) and builds the edits of their quick
fixes. It asks no solver.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from kconfig_ls.semantics.symbols import SymbolTable
from kconfig_ls.syntax.c_preprocessor import CScan
from kconfig_ls.syntax.expression import TRUE, And, CTest, Expression, Not, Or, referenced_symbols, render

__all__ = ["CodeFile", "contents_candidates", "directive_text", "fix", "reason"]

_CODE_COMMENT = re.compile(rb"/\*.*?\*/|//[^\n]*", re.S)


@dataclass(frozen=True, slots=True)
class CodeFile:
    """A C/assembly file to judge: its text, when it is built, and on which worlds it can be."""

    path: str
    data: bytes
    built_when: Expression
    built_text: str
    worlds: tuple[str, ...]
    world_word: str = "architecture"
    """What the tree calls a world in messages (`worlds.world_kind`: ESP-IDF's are targets)."""


def fix(
    data: bytes, scan: CScan, block_index: int, position: int, kind: str
) -> tuple[str, tuple[tuple[int, int, str], ...]]:
    """The edits that remove a dead branch, or an always-true condition and the branches it kills.

    Whole lines go (the directive's, with its continuation lines, and the
    bodies); what is compiled stays the same in every configuration the
    finding covers. A redundant guard's fix is KLS206's own (its directive
    and `#endif`).
    """
    block = scan.blocks[block_index]
    directives = [scan.directives[index] for index in block.directives]
    last = len(directives) - 1

    def start(index: int) -> int:
        begin = directives[index].span[0]
        line = data.rfind(b"\n", 0, begin) + 1
        return line if not data[line:begin].strip() else begin

    def end(index: int) -> int:
        finish = directives[index].span[1]
        return finish + 1 if data[finish : finish + 1] == b"\n" else finish

    if kind == "dead":
        if last == 1:
            return "remove the dead block", ((start(0), end(1), ""),)
        if position > 0:
            return "remove the dead branch", ((start(position), start(position + 1), ""),)
        following = directives[1]
        if following.kind == "else":
            # `#if DEAD ... #else B #endif` is B.
            return "remove the dead branch and keep the #else body", (
                (start(0), end(1), ""),
                (start(last), end(last), ""),
            )
        keyword = {"elif": "#if", "elifdef": "#ifdef", "elifndef": "#ifndef"}[following.kind]
        return "remove the dead branch", (
            (start(0), start(1), ""),
            (following.span[0], following.keyword_span[1], keyword),
        )
    if kind == "undead":
        if position == 0:
            # `#if ALWAYS A #else B #endif` is A.
            return "remove the always-true condition, keeping its body", (
                (start(0), end(0), ""),
                (start(1), end(last), ""),
            )
        return "replace the always-true condition with #else and remove the branches after it", (
            (directives[position].span[0], directives[position].span[1], "#else"),
            (start(position + 1), start(last), ""),
        )
    return "", ()


def reason(
    kind: str,
    cause: str,
    text: str,
    kept: list[tuple[str, Expression]],
    absent: frozenset[str],
    scan: CScan,
    code: CodeFile,
    tables: Mapping[str, SymbolTable],
    position: int,
    block_index: int,
    never_enabled: list[str],
) -> str:
    """One line: what never (or always) holds, on which architectures, and why."""
    if kind == "redundant":
        return _redundantreason(cause, text, kept, absent, scan, code, tables, block_index, never_enabled)
    block = scan.blocks[block_index]
    branches = scan.enclosing_branches(block.parent_branch)
    context: list[str] = []
    if any(name == "makefile" for name, _ in kept) and cause != "structure":
        context.append(code.built_text)
    lines = [
        f"{directive_text(code.data, scan, b.directive)} (line {scan.directives[b.directive].line + 1})"
        for b in branches
        if any(name == "enclosing" and expression == b.effective_condition for name, expression in kept)
    ]
    if lines:
        context.append("inside " + " and ".join(lines))
    if any(name == "earlier" for name, _ in kept):
        context.append("after the block's earlier branches")
    where = " and ".join(context)
    architectures = _architectures(code, tables)
    if kind == "dead":
        head = "this #else branch" if text.startswith("#else") else text
        head = f"{head} is never compiled{architectures}"
    else:
        head = f"{text} always holds{architectures}"
    tail = ""
    if kind == "undead" and position + 1 < len(block.branches):
        rest = "#else branch" if len(block.branches) == position + 2 else "branches after it"
        tail = (
            f"; its {rest} never compiled"
            if rest != "#else branch"
            else "; its #else branch is never compiled"
        )
        tail = tail.replace("branches after it never", "branches after it are never")
    if cause == "structure":
        enclosing = " and ".join(lines) or "the block's earlier branches"
        verb = "it contradicts" if kind == "dead" else "it is implied by"
        return f"{head}: {verb} {enclosing}{tail}"
    if cause == "undefined":
        names = ", ".join(f"CONFIG_{name}" for name in sorted(absent))
        return f"{head}: no Kconfig file of the {code.world_word}s that build the file defines {names}{tail}"
    mentioned = {name for _, expression in kept for name in referenced_symbols(expression)}
    branch_names = set(referenced_symbols(scan.branches[block.branches[position]].condition))
    facts = "" if branch_names <= mentioned else _kconfig_facts(scan, block_index, position, tables, code)
    if never_enabled:
        # The root cause is a dead symbol (KLS203 dead-symbol reports it at its definition).
        names = " and ".join(never_enabled)
        facts = f"{names} can never be enabled: see dead-symbol"
    facts = f" ({facts})" if facts else ""
    if kind == "dead":
        body = f"it cannot hold {where}" if where else "its condition can never hold"
        return f"{head}: {body}{facts}{tail}"
    if where:
        return f"{head} {where}{facts}{tail}"
    plain = facts.strip()[1:-1] if facts else "in every configuration"
    return f"{head}: {plain}{tail}"


def _redundantreason(
    cause: str,
    text: str,
    kept: list[tuple[str, Expression]],
    absent: frozenset[str],
    scan: CScan,
    code: CodeFile,
    tables: Mapping[str, SymbolTable],
    block_index: int,
    never_enabled: list[str],
) -> str:
    """KLS206's line: `#ifdef CONFIG_NUMA always holds here: the file is only built when NUMA implies it`."""
    kinds = {name for name, _ in kept}
    built = code.built_text.replace("in a file built only when", "the file is only built when", 1)
    if cause == "structure" or ("enclosing" in kinds and "makefile" not in kinds):
        return f"{text} always holds here: the enclosing #if implies it"
    if "enclosing" in kinds:
        return f"{text} always holds here: the enclosing #if and {built} imply it"
    if "makefile" in kinds:
        return f"{text} always holds here: {built} implies it"
    architectures = _architectures(code, tables) if len(code.worlds) < len(tables) else ""
    if cause == "undefined":
        names = ", ".join(f"CONFIG_{name}" for name in sorted(absent))
        return (
            f"{text} always holds{architectures}: no Kconfig file of the {code.world_word}s that build "
            f"the file defines {names}"
        )
    facts = _kconfig_facts(scan, block_index, 0, tables, code)
    if never_enabled:
        facts = f"{' and '.join(never_enabled)} can never be enabled: see dead-symbol"
    return f"{text} always holds{architectures}: {facts or 'in every configuration'}"


def _kconfig_facts(
    scan: CScan, block_index: int, position: int, tables: Mapping[str, SymbolTable], code: CodeFile
) -> str:
    """`X depends on Y` for the symbols of the branch's condition (the first world that defines them)."""
    branch = scan.branches[scan.blocks[block_index].branches[position]]
    facts: list[str] = []
    for name in dict.fromkeys(test.symbol for test in c_tests(branch.condition)):
        for world in sorted(code.worlds, key=lambda w: w != "x86"):  # x86 first: the common reader
            semantics = tables[world].get(name) if world in tables else None
            if semantics is None:
                continue
            if semantics.direct_dependency != TRUE:
                dependency = render(semantics.direct_dependency)
                if len(dependency) > 80:
                    dependency = dependency[:77] + "..."
                facts.append(f"{name} depends on {dependency}")
            elif not semantics.has_prompt and semantics.defaults:
                facts.append(f"{name} is {render(semantics.defaults[0].value)} by default, without a prompt")
            break
    return "; ".join(facts[:2])


def _architectures(code: CodeFile, tables: Mapping[str, SymbolTable]) -> str:
    """` on any architecture`, or the ones that build the file; nothing for a tree without them."""
    if len(tables) <= 1:
        return ""
    word = code.world_word
    if len(code.worlds) == len(tables):
        return f" on any {word}"
    if len(code.worlds) == 1:
        return f" on {code.worlds[0]}, the only {word} that builds the file"
    return f" on {', '.join(code.worlds)}, the {word}s that build the file"


def directive_text(data: bytes, scan: CScan, directive: int) -> str:
    """`#ifdef CONFIG_NUMA` as written (first line, comment dropped, spaces collapsed)."""
    start, end = scan.directives[directive].span
    line = data[start:end].split(b"\n", 1)[0]
    line = _CODE_COMMENT.sub(b"", line)
    text = " ".join(line.decode("utf-8", "replace").split())
    return text if len(text) <= 100 else text[:97] + "..."


def c_tests(expression: Expression) -> Iterator[CTest]:
    """The C tests (`CONFIG_X`, `IS_ENABLED(...)`) of a preprocessor condition, through `!`, `&&`, `||`."""
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, CTest):
            yield node
        elif isinstance(node, (And, Or)):
            stack.extend(node.operands)
        elif isinstance(node, Not):
            stack.append(node.operand)


def contents_candidates(data: bytes, scan: CScan, judged: list[int]) -> dict[int, list[int]]:
    """The single-branch blocks whose body holds nothing but single-branch judged blocks (KLS206)."""
    judged_set = set(judged)
    all_children: dict[int, int] = {}
    for other in scan.blocks:
        if other.parent_branch is not None:
            all_children[other.parent_branch] = all_children.get(other.parent_branch, 0) + 1
    children: dict[int, list[int]] = {}
    for index in judged:
        parent = scan.blocks[index].parent_branch
        if parent is not None:
            children.setdefault(scan.branches[parent].block, []).append(index)
    found: dict[int, list[int]] = {}
    for index, inner in children.items():
        block = scan.blocks[index]
        if index not in judged_set or len(block.branches) != 1:
            continue
        branch = block.branches[0]
        if all_children.get(branch, 0) != len(inner) or any(len(scan.blocks[c].branches) != 1 for c in inner):
            continue
        if _only_blocks(data, scan.branches[branch].body_span, [scan.blocks[c].span for c in inner]):
            found[index] = inner
    return found


def _only_blocks(data: bytes, body: tuple[int, int], blocks: list[tuple[int, int]]) -> bool:
    """Whether the body holds nothing but the child blocks, whitespace and comments."""
    position = body[0]
    rest: list[bytes] = []
    for start, end in sorted(blocks):
        rest.append(data[position:start])
        position = end
    rest.append(data[position : body[1]])
    return not _CODE_COMMENT.sub(b"", b"".join(rest)).strip()
