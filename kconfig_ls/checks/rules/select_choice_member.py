"""KLS202 select-choice-member: `select` or `imply` of a symbol that is a member of a `choice`.

The value of a choice member is decided by the choice alone (the user's
selection, else the choice's default): `select` and `imply` have no effect
on it, in the C tools and in kconfiglib (which warns about it too). The
author meant something else:

- to make the member the choice's default when the selector is on:
  `default MEMBER if SELECTOR` in the choice;
- to require it: `depends on MEMBER` in the selector.

On Linux, a selector in one architecture's folder is judged against the
target's definitions in that folder and outside arch/ only (riscv's
`select 32BIT` is of riscv's plain bool, not of mips' choice member); on
ESP-IDF, a selector in one target's files against that target's and the
shared definitions.

Preview: off unless selected or configured.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from kconfig_ls.checks.framework import CheckContext, Finding, RelatedLocation, Rule, Severity
from kconfig_ls.semantics.definitions import SymbolDefinition
from kconfig_ls.semantics.model import KconfigModel, Location
from kconfig_ls.semantics.worlds import ESP_IDF_WORLDS, definition_worlds, world_scheme
from kconfig_ls.vfs.overlay import read_regular_file


def check(context: CheckContext) -> Iterator[Finding]:
    model = context.model
    for table in (model.selected_by, model.implied_by):
        for target, selectors in table.items():
            definitions = model.definitions.get(target, ())
            if not any(d.choice is not None for d in definitions):
                continue
            for selector, reverse in selectors:
                seen = on_the_same_architecture(model, selector, definitions)
                members = [d for d in seen if d.choice is not None]
                if not members:
                    continue
                if selector.reached and not any(d.reached for d in members):
                    continue
                member = next((d for d in members if d.reached), members[0])
                choice = member.choice
                assert choice is not None
                prompt = f' "{choice.prompts[0].text}"' if choice.prompts else ""
                yield RULE.finding(
                    f"{selector.name} {reverse.keyword}s {target}, a member of the choice{prompt}: "
                    f"{reverse.keyword} has no effect on a choice member; use 'default {target} if "
                    f"{selector.name}' in the choice, or 'depends on {target}'",
                    Location(selector.path, reverse.span),
                    related=(RelatedLocation(f"{target} is a choice member", member.location),),
                )


def worlds_apart(model: KconfigModel) -> bool:
    """Whether `on_the_same_architecture` may leave definitions out (a tree of several worlds)."""
    return "SRCARCH" in model.settings.environment or world_scheme(model.settings) is ESP_IDF_WORLDS


def on_the_same_architecture(
    model: KconfigModel, selector: SymbolDefinition, definitions: Iterable[SymbolDefinition]
) -> list[SymbolDefinition]:
    """The target's definitions that can meet the selector: not in another world's files.

    On a tree with one world per architecture (Linux), a selector in
    arch/riscv/ never meets a definition in arch/mips/: riscv's `select
    32BIT` is of riscv's plain bool, not of mips' "Kernel code model" choice
    member. A selector outside arch/ meets them all. ESP-IDF's targets are
    the same (`kconfig_ls.semantics.worlds`): a selector in
    `components/bt/controller/esp32c3/` meets esp32c3's definitions and the
    shared ones.
    """
    chosen = list(definitions)
    if "SRCARCH" in model.settings.environment:
        own = _architecture(model.root, selector.path)
        if own is None:
            return chosen
        return [d for d in chosen if _architecture(model.root, d.path) in (None, own)]
    if world_scheme(model.settings) is not ESP_IDF_WORLDS:
        return chosen
    if not selector.reached:
        # An example or test app is a project of its own: its selector meets its own
        # definitions and the tree's, not another example's (udp_multicast's EXAMPLE_IPV4 is a
        # plain bool; tcp_server's is a choice member).
        project = _project_root(model.root, selector.path)
        if project is not None:
            chosen = [d for d in chosen if d.reached or d.path.startswith(project)]
    own_worlds = set(definition_worlds(model.settings, selector))
    if not own_worlds:
        return chosen
    return [
        d
        for d in chosen
        if not (worlds := definition_worlds(model.settings, d)) or own_worlds.intersection(worlds)
    ]


_PROJECT_ROOTS: dict[str, str | None] = {}


def _project_root(root: str, path: str) -> str | None:
    """The folder (with a trailing separator) of the ESP-IDF project holding `path`: the nearest
    folder above it whose `CMakeLists.txt` calls `project(`; None inside the tree itself."""
    folder = os.path.dirname(path)
    root = os.path.abspath(root)
    while folder.startswith(root + os.sep):
        known = _PROJECT_ROOTS.get(folder, "")
        if known != "":
            return known
        try:
            text = read_regular_file(os.path.join(folder, "CMakeLists.txt"), 1 << 20)
        except OSError:
            text = b""
        if b"project(" in text:
            found = _PROJECT_ROOTS[folder] = folder + os.sep
            return found
        folder = os.path.dirname(folder)
    return None


def in_another_world(model: KconfigModel, definition: SymbolDefinition) -> bool:
    """Whether the definition is another world's (arch/X/ of a tree with a world per architecture,
    or a file of some ESP-IDF targets), which the logic analyses in those worlds; an unreached
    file elsewhere is in none."""
    if "SRCARCH" in model.settings.environment:
        return _architecture(model.root, definition.path) is not None
    if world_scheme(model.settings) is not ESP_IDF_WORLDS:
        return False
    return bool(definition_worlds(model.settings, definition))


_ARCH_PREFIXES: dict[str, str] = {}


def _architecture(root: str, path: str) -> str | None:
    # A prefix test, not `os.path.relpath`: select-visible asks this for every selector of
    # every target an edit touches (175,000 times after an `if` edit above drivers/Kconfig's
    # `source` lines, where joining the prefix each time was a tenth of the checks).
    prefix = _ARCH_PREFIXES.get(root)
    if prefix is None:
        prefix = _ARCH_PREFIXES[root] = os.path.join(root, "arch", "")
    if not path.startswith(prefix):
        return None
    architecture, separator, _ = path[len(prefix) :].partition(os.sep)
    return architecture if separator else None


RULE = Rule(
    code="KLS202",
    name="select-choice-member",
    summary="select or imply of a choice member, which has no effect",
    default_severity=Severity.ERROR,
    check=check,
    documentation=__doc__ or "",
    group="preview",
)
