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


# Files outside the tree that modules may open directly, each with its reason.
# Everything of the analysed tree is read through `vfs/overlay.py` (regular
# files only, bounded, non-blocking): that is what makes a FIFO, a device or a
# huge file harmless, and an unsaved editor buffer count everywhere.
DIRECT_OPEN_ALLOWED = {
    "vfs/overlay.py": "the one reader of the tree's files",
    "semantics/code_files.py": "the code index's own cache files (entries and folder listings)",
    "semantics/code_index_cache.py": "the code index's own cache file",
    "cli/result_cache.py": "its own cache file",
    "cli/lint.py": "writes the report to --output",
    "cli/config_lint.py": "writes the report to --output",
    "cli/witness.py": "writes the witness .config files to --witness-dir",
    "logic/world_analysis.py": "its own cache file",
    "logic/block_analysis.py": "its own cache file",
    "logic/redundancy.py": "its own cache file",
    "settings/user_file.py": "the user's own settings file, outside every tree",
    "semantics/kconfiglib_loader.py": "the test oracle (kconfiglib reads the tree itself)",
}


def _direct_opens(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            if (isinstance(function, ast.Name) and function.id == "open") or (
                isinstance(function, ast.Attribute)
                and function.attr == "open"
                and isinstance(function.value, ast.Name)
                and function.value.id in {"os", "io", "builtins"}
            ):
                lines.append(node.lineno)
    return sorted(lines)


def test_the_file_overlay_is_the_only_reader_of_the_tree() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): lines
        for path in _engine_modules()
        if (lines := _direct_opens(path)) and str(path.relative_to(PACKAGE)) not in DIRECT_OPEN_ALLOWED
    }
    assert offenders == {}


def test_the_direct_open_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nwith open('x') as f:\n    pass\nos.open('y', 0)\n")
    assert _direct_opens(bad) == [2, 4]
