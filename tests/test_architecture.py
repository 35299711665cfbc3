"""Invariants of the code base, as tests (style notes: "all invariants are tests")."""

from __future__ import annotations

import ast
from pathlib import Path

from kconfig_ls.checks.registry import ALL_RULES
from kconfig_ls.cli.rules_doc import rules_markdown

PACKAGE = Path(__file__).resolve().parent.parent / "kconfig_ls"
FORBIDDEN_IN_ENGINE = {"pygls", "lsprotocol", "asyncio"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _engine_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "server" not in p.relative_to(PACKAGE).parts]


def test_engine_never_imports_the_protocol_layer() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(_imports(path) & FORBIDDEN_IN_ENGINE)
        for path in _engine_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_layering_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import asyncio\nfrom lsprotocol import types\n")
    assert _imports(bad) & FORBIDDEN_IN_ENGINE == {"asyncio", "lsprotocol"}


def test_third_party_apis_are_walled_into_one_module_each() -> None:
    users: dict[str, list[str]] = {"kconfiglib": [], "tree_sitter": [], "tree_sitter_c": [], "pysat": []}
    for path in PACKAGE.rglob("*.py"):
        for name in _imports(path) & set(users):
            users[name].append(str(path.relative_to(PACKAGE)))
    assert len(users["kconfiglib"]) <= 1, users["kconfiglib"]
    assert set(users["tree_sitter"]) | set(users["tree_sitter_c"]) <= {"syntax/c_tree_sitter.py"}
    assert users["pysat"] == ["logic/solver.py"], users["pysat"]


def test_every_module_has_a_docstring() -> None:
    missing = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.stat().st_size > 0
        and ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) is None
        and path.name != "__init__.py"
    ]
    assert missing == []


def test_rules_have_unique_codes_names_and_documentation() -> None:
    codes = [rule.code for rule in ALL_RULES]
    names = [rule.name for rule in ALL_RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in ALL_RULES:
        assert rule.documentation.startswith(f"{rule.code} {rule.name}:"), rule.code
        assert rule.summary[0].islower() and not rule.summary.endswith(".")


def test_rules_documentation_is_current() -> None:
    document = PACKAGE.parent / "docs" / "rules.md"
    assert document.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/rules.md is stale: run `kconfig-ls rules --markdown > docs/rules.md`"
    )
