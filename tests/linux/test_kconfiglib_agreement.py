"""Our model of Linux 6.12 x86 against kconfiglib's, symbol by symbol.

kconfiglib implements the C tools' semantics and is our oracle: for every
symbol it defines, our model (`KconfigModel`) must give the same
definition sites, type, direct dependency, selects, implies and prompts.

How expressions are compared: not by shape (kconfiglib nests binary
`AND`/`OR`, adds `m && MODULES`, and simplifies differently) but by value.
Both sides are evaluated (`kconfig_ls.logic.evaluate`) under 16 random
assignments of the symbols either side mentions, plus all-`y` and all-`n`,
from a seed fixed per symbol. Values are drawn by the symbol's type (y/n for
bool, y/m/n for tristate and undefined symbols, numbers for int and hex,
strings for string), so comparisons such as `NR_CPUS > 64` are exercised.
Both sides are evaluated with `m_requires_modules`, the C tools' rewrite of
a bare `m` in conditions to `m && MODULES` (kconfiglib spells it out).

Unknowns: neither side runs `$(shell,...)`. Ours keeps a probe such as
`$(cc-option,-mfoo)` as an `Unknown` operand; kconfiglib's shell returns a
placeholder symbol that the loader converts to `Unknown`. Both evaluate to
unknown with three-valued logic, and an unknown result must match an unknown
result: `A && $(probe)` is `n` on both sides when A is `n`, and unknown on
both sides otherwise.

Conditions of selects, implies and prompts are compared in kconfiglib's
form, which includes the definition's dependencies: ours is
`select-if && direct_dependency()` and `prompt_condition()`.

The end of the file tests the loader itself on small trees (no corpus
needed): that it runs no command, prints nothing and leaves `os.environ` as
it was, since the agreement above is only as good as the oracle.
"""

from __future__ import annotations

import os
import random
import textwrap
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kconfig_ls.logic.evaluate import evaluate, tristate_to_string
from kconfig_ls.semantics.kconfiglib_loader import (
    KconfiglibError,
    KconfiglibSymbol,
    KconfiglibTree,
    load_with_kconfiglib,
)
from kconfig_ls.semantics.model import FileProblem, KconfigModel, SymbolDefinition
from kconfig_ls.syntax.expression import (
    TRUE,
    And,
    Compare,
    Constant,
    Expression,
    Symbol,
    Unknown,
    conjunction,
    disjunction,
    referenced_symbols,
    render,
)

LINUX = pytest.mark.linux  # the tests of the loader on small trees, at the end, need no corpus

RANDOM_ASSIGNMENTS = 16
SEED = 20241117
SHOWN = 20

_POOLS = {
    "bool": ("y", "n"),
    "tristate": ("y", "m", "n"),
    None: ("y", "m", "n"),
    "int": ("0", "1", "2", "3", "8", "64", "255", "4096", "-1"),
    "hex": ("0x0", "0x1", "0x10", "0x1000", "0xffffffff"),
    "string": ("", "y", "n", "gcc", "foo"),
}
_ALL_Y = {"bool": "y", "tristate": "y", None: "y", "int": "4096", "hex": "0xffffffff", "string": "y"}
_ALL_N = {"bool": "n", "tristate": "n", None: "n", "int": "0", "hex": "0x0", "string": ""}

_EMPTY = '""'

DependencyOf = Callable[[SymbolDefinition], Expression]


@dataclass
class Agreement:
    """Mismatches per aspect, and how much was compared."""

    symbols: int = 0
    expressions: int = 0
    mismatches: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def report(self, aspect: str, found: list[str] | None = None) -> str:
        if found is None:
            found = self.mismatches.get(aspect, [])
        shown = "\n".join(f"  {line}" for line in found[:SHOWN])
        more = f"\n  ... and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        return f"{len(found)} {aspect} mismatches over {self.symbols} symbols:\n{shown}{more}"


class _Comparer:
    """Evaluates our expression and kconfiglib's under the same assignments."""

    def __init__(self, tree: KconfiglibTree, workspace: KconfigModel) -> None:
        self.types: dict[str, str | None] = {}
        for name in tree.symbol_names():
            converted = tree.symbol(name)
            self.types[name] = converted.type_name if converted is not None else None
        self.compared = 0

    def difference(self, name: str, ours: Expression, theirs: Expression) -> str | None:
        """None when equivalent; otherwise a witness assignment and both values."""
        self.compared += 1
        if ours == theirs:
            return None
        symbols = sorted(set(referenced_symbols(ours)) | set(referenced_symbols(theirs)))
        generator = random.Random(SEED ^ zlib.crc32(name.encode()))
        assignments = [
            {s: _ALL_Y.get(self.types.get(s), "y") for s in symbols},
            {s: _ALL_N.get(self.types.get(s), "n") for s in symbols},
        ]
        for _ in range(RANDOM_ASSIGNMENTS):
            assignments.append(
                {s: generator.choice(_POOLS.get(self.types.get(s), _POOLS[None])) for s in symbols}
            )
        for assignment in assignments:
            our_value = evaluate(ours, assignment.get, m_requires_modules=True)
            their_value = evaluate(theirs, assignment.get, m_requires_modules=True)
            if our_value != their_value:
                shown = " ".join(f"{s}={v if v else _EMPTY}" for s, v in assignment.items())
                return (
                    f"ours `{_short(render(ours))}` = {tristate_to_string(our_value)}, "
                    f"kconfiglib `{_short(render(theirs))}` = {tristate_to_string(their_value)} "
                    f"with {_short(shown, 300)}"
                )
        return None


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _site(workspace: KconfigModel, definition: SymbolDefinition) -> tuple[str, int]:
    return definition.path, workspace.line_of(definition.location) + 1


def _where(site: tuple[str, int], root: str) -> str:
    path, line = site
    return f"{path.removeprefix(root.rstrip('/') + '/')}:{line}"


def compare_models(
    workspace: KconfigModel,
    tree: KconfiglibTree,
    dependency_of: DependencyOf = SymbolDefinition.direct_dependency,
) -> Agreement:
    """Compare every symbol kconfiglib defines with our reached definitions.

    `dependency_of` gives a definition's direct dependency; tests of this
    comparison pass a deliberately wrong one to show that it can fail.
    """
    agreement = Agreement()
    comparer = _Comparer(tree, workspace)
    ours_by_name = {
        name: reached
        for name, definitions in workspace.definitions.items()
        if (reached := [d for d in definitions if d.reached])
    }
    their_names = set(tree.symbol_names())
    for name in sorted(their_names - set(ours_by_name)):
        agreement.mismatches["symbol set"].append(f"{name}: defined for kconfiglib, not reached by ours")
    for name in sorted(set(ours_by_name) - their_names):
        agreement.mismatches["symbol set"].append(f"{name}: reached by ours, not defined for kconfiglib")
    # kconfiglib parsed every file of the arch's tree without an error, so an
    # error of ours in one of those files is a false positive.
    for path, problem in workspace.all_problems():
        if problem.severity != "error" or not any(i.reached for i in workspace.inclusions.get(path, ())):
            continue
        span = problem.location.span if isinstance(problem, FileProblem) else problem.span
        parsed = workspace.files.get(path)
        line = parsed.line_of(span.start) + 1 if parsed is not None else 0
        agreement.mismatches["syntax errors"].append(
            f"{_where((path, line), workspace.root)}: {problem.message}"
        )
    for name in tree.symbol_names():
        theirs = tree.symbol(name)
        ours = ours_by_name.get(name)
        if theirs is None or ours is None:
            continue
        agreement.symbols += 1
        _compare_symbol(workspace, comparer, agreement, name, ours, theirs, dependency_of)
    agreement.expressions = comparer.compared
    return agreement


def _compare_symbol(
    workspace: KconfigModel,
    comparer: _Comparer,
    agreement: Agreement,
    name: str,
    ours: list[SymbolDefinition],
    theirs: KconfiglibSymbol,
    dependency_of: DependencyOf,
) -> None:
    root = workspace.root
    mismatches = agreement.mismatches
    # Definition sites and types.
    our_sites = Counter(_site(workspace, d) for d in ours)
    their_sites = Counter((d.location.path, d.location.line) for d in theirs.definitions)
    if our_sites != their_sites:
        mismatches["definition sites"].append(
            f"{name}: ours {sorted(_where(s, root) for s in our_sites.elements())}, "
            f"kconfiglib {sorted(_where(s, root) for s in their_sites.elements())}"
        )
    our_types = [d.type_name for d in ours if d.type_name is not None]
    our_type = our_types[-1] if our_types else None  # the C tools: the last type wins
    if our_type != theirs.type_name:
        mismatches["type"].append(f"{name}: ours {our_type}, kconfiglib {theirs.type_name}")

    # Direct dependency: OR over definition sites.
    our_dependency = disjunction(*(dependency_of(d) for d in ours))
    difference = comparer.difference(name, our_dependency, theirs.direct_dependency)
    if difference is not None:
        mismatches["direct dependency"].append(f"{name}: {difference}")

    # Selects and implies, paired by definition site, target and order.
    for keyword, aspect, their_edges in (
        ("select", "selects", theirs.selects),
        ("imply", "implies", theirs.implies),
    ):
        their_map: dict[tuple[object, ...], Expression] = {}
        seen: Counter[tuple[object, ...]] = Counter()
        for edge in their_edges:
            base = (edge.location.path, edge.location.line, edge.target)
            their_map[(*base, seen[base])] = edge.condition
            seen[base] += 1
        our_map: dict[tuple[object, ...], Expression] = {}
        seen.clear()
        for definition in ours:
            site = _site(workspace, definition)
            for reverse in definition.selects if keyword == "select" else definition.implies:
                base = (*site, reverse.target)
                condition = reverse.condition if reverse.condition is not None else TRUE
                our_map[(*base, seen[base])] = conjunction(condition, dependency_of(definition))
                seen[base] += 1
        for key in sorted(set(our_map) | set(their_map), key=str):
            where = _where((str(key[0]), int(str(key[1]))), root)
            if key not in their_map:
                mismatches[aspect].append(f"{name} ({where}): {keyword} {key[2]} only in ours")
            elif key not in our_map:
                mismatches[aspect].append(f"{name} ({where}): {keyword} {key[2]} only in kconfiglib")
            else:
                difference = comparer.difference(f"{name}>{key[2]}", our_map[key], their_map[key])
                if difference is not None:
                    mismatches[aspect].append(f"{name} ({where}): {keyword} {key[2]}: {difference}")

    # Prompts, per definition site. Within one site a later prompt replaces
    # an earlier one (the C tools warn "prompt redefined"). A file sourced
    # twice (Zephyr's `if 0` / `osource "modules/*/Kconfig"` after the real
    # `source`) defines a symbol twice at one site: paired in order.
    their_prompts: dict[tuple[str, int, int], object] = {}
    occurrences: Counter[tuple[str, int]] = Counter()
    for their_definition in theirs.definitions:
        their_site = (their_definition.location.path, their_definition.location.line)
        their_prompts[(*their_site, occurrences[their_site])] = their_definition.prompt
        occurrences[their_site] += 1
    occurrences.clear()
    for definition in ours:
        site = _site(workspace, definition)
        key = (*site, occurrences[site])
        occurrences[site] += 1
        if key not in their_prompts:
            continue  # already reported as a definition-site mismatch
        their_prompt = their_prompts[key]
        our_prompt = definition.prompts[-1] if definition.prompts else None
        where = _where(site, root)
        if (our_prompt is None) != (their_prompt is None):
            mismatches["prompts"].append(
                f"{name} ({where}): prompt {'only in ours' if their_prompt is None else 'only in kconfiglib'}"
            )
            continue
        if our_prompt is None or their_prompt is None:
            continue
        # kconfiglib strips the prompt text (the C tools strip leading white
        # space only, and warn); ours keeps it as written.
        if our_prompt.text.strip() != their_prompt.text.strip():
            mismatches["prompts"].append(
                f"{name} ({where}): text {our_prompt.text!r} != {their_prompt.text!r}"
            )
        ours_condition = _prompt_condition(definition, our_prompt, dependency_of)
        difference = comparer.difference(f"{name}@{where}", ours_condition, their_prompt.condition)
        if difference is not None:
            mismatches["prompts"].append(f"{name} ({where}): visibility: {difference}")


def _prompt_condition(
    definition: SymbolDefinition, prompt: object, dependency_of: DependencyOf
) -> Expression:
    if dependency_of is SymbolDefinition.direct_dependency:
        return definition.prompt_condition(prompt)  # type: ignore[arg-type]
    # A replaced dependency function must reach the prompt too.
    condition = getattr(prompt, "condition", None)
    return conjunction(
        *(c.expression for c in definition.visible_if),
        condition if condition is not None else TRUE,
        dependency_of(definition),
    )


# --- the tests ------------------------------------------------------------------------

# Discrepancies that are bugs of our model, reported and not fixed yet. Each
# entry is a symbol name; its mismatches (in any aspect) are expected, and
# `test_known_discrepancies_are_still_real` fails once they disappear.
KNOWN_DISCREPANCIES: dict[str, str] = {
    # Empty: the two model bugs this test found (help prose read as
    # statements, macros inside quoted constants) are fixed. A discrepancy
    # that cannot be fixed at once is listed here as "NAME": "reason".
}


def _known_reason(mismatch: str) -> str | None:
    name = mismatch.split(" ", 1)[0].rstrip(":")  # a symbol name, or path:line
    return name if name in KNOWN_DISCREPANCIES else None


@pytest.fixture(scope="module")
def agreement(linux_workspace: KconfigModel, linux_kconfiglib: KconfiglibTree) -> Agreement:
    return compare_models(linux_workspace, linux_kconfiglib)


ASPECTS = [
    "syntax errors",
    "symbol set",
    "definition sites",
    "type",
    "direct dependency",
    "selects",
    "implies",
    "prompts",
]


@LINUX
def test_kconfiglib_loads_linux_x86_without_commands(linux_kconfiglib: KconfiglibTree) -> None:
    # 17,704 symbols on 6.12 before Debian's 6.12.118, 17,703 on it: the count moves with stable updates.
    assert 17_600 < len(linux_kconfiglib.symbol_names()) < 17_800
    assert linux_kconfiglib.shell_calls > 100
    assert linux_kconfiglib.shell_seconds == 0.0
    # The compiler checks of scripts/Kconfig.include are recorded, not fatal.
    assert any(m.kind == "error" and m.fired is None for m in linux_kconfiglib.messages)


@LINUX
def test_every_symbol_is_compared(agreement: Agreement, linux_kconfiglib: KconfiglibTree) -> None:
    assert agreement.symbols == len(linux_kconfiglib.symbol_names())
    assert agreement.expressions > agreement.symbols


@LINUX
@pytest.mark.parametrize("aspect", ASPECTS)
def test_model_agrees_with_kconfiglib(agreement: Agreement, aspect: str) -> None:
    unexpected = [m for m in agreement.mismatches.get(aspect, []) if _known_reason(m) is None]
    if unexpected:
        pytest.fail(agreement.report(aspect, unexpected), pytrace=False)


@LINUX
def test_known_discrepancies_are_still_real(agreement: Agreement) -> None:
    """Like a strict xfail: a fixed discrepancy must leave `KNOWN_DISCREPANCIES`."""
    seen = {_known_reason(m) for found in agreement.mismatches.values() for m in found}
    stale = sorted(name for name in KNOWN_DISCREPANCIES if name not in seen)
    if stale:
        pytest.fail(f"fixed, remove from KNOWN_DISCREPANCIES: {', '.join(stale)}", pytrace=False)


@LINUX
def test_the_comparison_can_fail(linux_workspace: KconfigModel, linux_kconfiglib: KconfiglibTree) -> None:
    """Dropping inherited `if` conditions from our side must be noticed."""

    def without_if_blocks(definition: SymbolDefinition) -> Expression:
        return conjunction(
            *(c.expression for c in definition.inherited if c.origin != "if"), definition.own_dependency()
        )

    broken = compare_models(linux_workspace, linux_kconfiglib, dependency_of=without_if_blocks)
    assert len(broken.mismatches["direct dependency"]) > 1000
    assert broken.mismatches["selects"]
    assert broken.mismatches["prompts"]


# --- the loader on small trees ----------------------------------------------------------


def _load(
    tmp_path: Path, text: str, environment: dict[str, str] | None = None, trust: bool = False
) -> KconfiglibTree:
    (tmp_path / "Kconfig").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_with_kconfiglib(str(tmp_path), "Kconfig", environment or {}, trust_commands=trust)


def test_loader_runs_no_command_unless_trusted(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f"""
        probe := $(shell,touch {marker} && echo y)
        config A
            bool "a" if $(probe)
        config B
            int "b"
            default $(shell,touch {marker}; echo 3)
        """
    tree = _load(tmp_path, text)
    assert not marker.exists()
    assert tree.shell_calls == 2
    assert tree.shell_seconds == 0.0
    prompt = tree.symbol("A").prompts[0]  # type: ignore[union-attr]
    assert isinstance(prompt.condition, Unknown)
    assert prompt.condition.text == f"$(shell,touch {marker} && echo y)"
    assert evaluate(prompt.condition, lambda name: "y") is None

    trusted = _load(tmp_path, text, trust=True)
    assert marker.exists()
    assert trusted.symbol("A").prompts[0].condition == Constant("y")  # type: ignore[union-attr]
    assert trusted.shell_seconds > 0.0


def test_loader_records_messages_and_prints_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    tree = _load(
        tmp_path,
        """
        $(info,hello from info)
        $(warning-if,y,a warning)
        $(warning-if,n,no warning)
        $(error-if,y,an error that must not stop the load)
        $(error-if,$(shell,false),unknown)
        config A
            bool "a"
        """,
    )
    assert [(m.kind, m.text, m.fired, m.location.line) for m in tree.messages] == [
        ("info", "hello from info", True, 1),
        ("warning", "a warning", True, 2),
        ("warning", "no warning", False, 3),
        ("error", "an error that must not stop the load", True, 4),
        ("error", "unknown", None, 5),
    ]
    assert tree.symbol("A") is not None
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err == ""


def test_loader_reads_variables_from_the_environment_argument_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "Kconfig").write_text('config FROM_SUB\n\tbool "s"\n', encoding="utf-8")
    monkeypatch.setenv("LEAKED", "y")
    monkeypatch.setenv("srctree", "/nonexistent")
    monkeypatch.delenv("KCONFIG_FUNCTIONS", raising=False)
    tree = _load(
        tmp_path,
        """
        source "$(DIR)/Kconfig"
        config A
            bool "a" if "$(LEAKED)" = "y"
        """,
        {"DIR": "sub"},
    )
    assert tree.symbol("FROM_SUB") is not None
    prompt = tree.symbol("A").prompts[0]  # type: ignore[union-attr]
    assert evaluate(prompt.condition, lambda name: "y") == 0  # $(LEAKED) expanded to ""
    assert os.environ["srctree"] == "/nonexistent"  # noqa: SIM112 - kconfiglib's spelling
    assert os.environ["LEAKED"] == "y"
    assert "KCONFIG_FUNCTIONS" not in os.environ


def test_loader_never_imports_a_kconfigfunctions_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "imported"
    (tmp_path / "kconfigfunctions.py").write_text(
        f"open({str(marker)!r}, 'w').close()\nfunctions = {{}}\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    _load(tmp_path, 'config A\n\tbool "a"\n')
    assert not marker.exists()


def test_loader_accepts_the_bare_modules_attribute(tmp_path: Path) -> None:
    tree = _load(
        tmp_path,
        """
        config MODULES
            bool "Modules"
            modules
            help
              A help text may say
              modules
              on a line of its own.
        config A
            tristate "a"
            depends on m
        """,
    )
    assert tree.symbol("MODULES") is not None
    assert not any("modules" in w for w in tree.warnings)
    # `m` in a condition is kconfiglib's `m && MODULES`.
    assert tree.symbol("A").direct_dependency == And((Constant("m"), Symbol("MODULES")))  # type: ignore[union-attr]


def test_converter_maps_choices_numbers_and_relations(tmp_path: Path) -> None:
    tree = _load(
        tmp_path,
        """
        config OUTER
            bool "outer"
        if OUTER
        choice CHOICE
            prompt "pick"
            depends on X
        config ONE
            bool "one"
            depends on NR > 0x10
            select T if NR != 3
        endchoice
        endif
        config NR
            hex "nr"
        config T
            bool
        """,
    )
    one = tree.symbol("ONE")
    assert one is not None
    assert one.choice == "CHOICE"
    # The choice stands for its own dependency: X and the enclosing `if`.
    assert set(referenced_symbols(one.direct_dependency)) == {"NR", "X", "OUTER"}
    values = {"NR": "0x20", "X": "y", "OUTER": "y"}
    assert evaluate(one.direct_dependency, values.get) == 2
    assert evaluate(one.direct_dependency, {**values, "OUTER": "n"}.get) == 0
    assert Compare(">", Symbol("NR"), Constant("0x10")) in one.direct_dependency.operands  # type: ignore[union-attr]
    (select,) = one.selects
    assert select.target == "T"
    assert evaluate(select.condition, {**values, "NR": "3"}.get) == 0


def test_loader_reports_kconfig_errors(tmp_path: Path) -> None:
    with pytest.raises(KconfiglibError, match="Kconfig:2"):
        _load(tmp_path, 'config A\n\tbool "a" if (\n')


def test_loader_evaluates_a_configuration(tmp_path: Path) -> None:
    tree = _load(
        tmp_path,
        """
        config A
            bool "a"
        config B
            bool "b"
            depends on A
        config N
            int "n"
            default 4
        """,
    )
    config = tmp_path / ".config"
    config.write_text("CONFIG_A=y\nCONFIG_B=y\nCONFIG_N=lots\n", encoding="utf-8")
    warnings = tree.load_config(str(config))
    assert any("CONFIG_N" in w or "'lots'" in w for w in warnings), warnings
    assert (tree.value_of("A"), tree.value_of("B"), tree.value_of("N")) == ("y", "y", "4")
    assert tree.value_of("NEVER_MENTIONED") is None
    config.write_text("# CONFIG_A is not set\nCONFIG_B=y\n", encoding="utf-8")
    tree.load_config(str(config))
    assert tree.value_of("B") == "n"
