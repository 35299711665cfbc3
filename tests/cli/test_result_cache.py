"""The lint result cache: malformed files are ignored, edits and new files are noticed."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from kconfig_ls.cli.lint import run_lint
from kconfig_ls.cli.main import build_parser


def _lint(tree: Path, cache: Path, *extra: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    arguments = build_parser().parse_args(
        ["lint", "--kconfig-only", "--cache-dir", str(cache), "--format", "json", *extra, str(tree)]
    )
    code = run_lint(arguments, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def _messages(output: str) -> list[str]:
    return [finding["message"] for finding in json.loads(output)["findings"]]


def _cached(output: str) -> bool:
    return bool(json.loads(output)["summary"].get("cached"))


def _cache_file(cache: Path) -> Path:
    (path,) = cache.glob("lint-*.json")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "Kconfig").write_text('config A\n\tbool "a"\n\tdepends on B\n')
    return root


_MALFORMED = [
    "[]",
    "{}",
    "null",
    '"text"',
    '{"format": 2, "code": ""}',
    '{"format": 2, "code": "", "files": "x", "folders": [], "missing": [], "summary": {}, "findings": []}',
    '{"format": 2, "code": "", "files": [[1, 2]], "folders": [], "missing": [], "summary": {}, "findings": []}',
    '{"format": 2, "code": "", "files": [], "folders": [], "missing": [], "summary": [], "findings": {}}',
    '{"format": 2, "code": "", "files": [], "folders": [], "missing": [], "summary": {}, "findings": [1]}',
    '{"format": 2, "code": "", "files": [], "folders": [], "missing": [], "summary": {},'
    ' "findings": [{"code": "X", "name": "x", "severity": "loud", "message": "m", "location": ["p", 0, 0],'
    ' "related": [], "fixes": []}]}',
    '{"format": 2, "code": "", "files": [], "folders": [[null, null]], "missing": [], "summary": {}, "findings": []}',
    '{"format": 2, "code": "", "files": [["\\u0000", 1, 1, null]], "folders": [], "missing": [],'
    ' "summary": {}, "findings": []}',
    '{"format": 2, "code": "", "fil',
    "[" * 100_000 + "]" * 100_000,
]


@pytest.mark.parametrize("content", _MALFORMED, ids=range(len(_MALFORMED)))
def test_a_malformed_cache_file_is_ignored_and_rebuilt(tree: Path, tmp_path: Path, content: str) -> None:
    cache = tmp_path / "cache"
    code, first, _ = _lint(tree, cache)
    _cache_file(cache).write_text(content)
    code_again, output, stderr = _lint(tree, cache)
    assert (code_again, _messages(output), stderr) == (code, _messages(first), "")
    assert not _cached(output)
    # Rebuilt: the next run is answered from a valid cache file again.
    assert _cached(_lint(tree, cache)[1])


def test_a_same_size_edit_with_the_same_modification_time_is_noticed(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kconfig = tree / "Kconfig"
    before = _messages(_lint(tree, cache)[1])
    status = kconfig.stat()
    kconfig.write_text(kconfig.read_text().replace("depends on B", "depends on C"))
    os.utime(kconfig, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert kconfig.stat().st_size == status.st_size
    _, output, _ = _lint(tree, cache)
    assert not _cached(output)
    assert _messages(output) == [message.replace("B", "C") for message in before]


@pytest.mark.parametrize("keyword", ["source", "rsource", "osource"])
def test_creating_a_missing_sourced_file_invalidates_the_cache(
    tree: Path, tmp_path: Path, keyword: str
) -> None:
    cache = tmp_path / "cache"
    (tree / "sub").mkdir()
    (tree / "Kconfig").write_text(f'config A\n\tbool "a"\n\tdepends on B\n{keyword} "sub/Kconfig.b"\n')
    first = _messages(_lint(tree, cache, "--no-unreached")[1])
    assert any("B" in message for message in first)
    assert _cached(_lint(tree, cache, "--no-unreached")[1])
    (tree / "sub" / "Kconfig.b").write_text('config B\n\tbool "b"\n')
    _, output, _ = _lint(tree, cache, "--no-unreached")
    assert not _cached(output)
    assert _messages(output) == []


def test_creating_the_missing_folder_of_a_sourced_file_invalidates_the_cache(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    (tree / "Kconfig").write_text('config A\n\tbool "a"\n\tdepends on B\nsource "new/deeper/Kconfig"\n')
    _lint(tree, cache, "--no-unreached")
    (tree / "new" / "deeper").mkdir(parents=True)
    (tree / "new" / "deeper" / "Kconfig").write_text('config B\n\tbool "b"\n')
    _, output, _ = _lint(tree, cache, "--no-unreached")
    assert (_cached(output), _messages(output)) == (False, [])


def _lint_code(tree: Path, cache: Path) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    arguments = build_parser().parse_args(
        [
            "lint",
            "--jobs",
            "1",
            "--cache-dir",
            str(cache),
            "--format",
            "json",
            "--fail-on",
            "never",
            str(tree),
        ]
    )
    code = run_lint(arguments, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_an_edited_code_file_is_noticed_with_the_index_built_alongside(tree: Path, tmp_path: Path) -> None:
    (tree / "main.c").write_text("#ifdef CONFIG_A\nint a;\n#endif\n")
    first = _lint_code(tree, tmp_path / "cache")[1]
    assert not _cached(first)
    assert _cached(_lint_code(tree, tmp_path / "cache")[1])
    (tree / "main.c").write_text("#ifdef CONFIG_A\nint a;\n#endif\n#ifdef CONFIG_MISSING_ONE\n#endif\n")
    output = _lint_code(tree, tmp_path / "cache")[1]
    assert not _cached(output)
    assert any("MISSING_ONE" in message for message in _messages(output))


def test_the_code_side_is_not_awaited_when_the_kconfig_side_changed(tree: Path, tmp_path: Path) -> None:
    from kconfig_ls.cli.result_cache import LintResultCache
    from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings

    settings = WorkspaceSettings(root=str(tree))
    model = KconfigModel(settings)
    model.load()
    cache = LintResultCache(str(tmp_path / "cache"), settings, "rules")
    cache.store(model, [], {"files": 1}, "code-1")
    asked: list[str] = []

    def fingerprint() -> str:
        asked.append("asked")
        return "code-1"

    assert cache.load(fingerprint) is not None
    assert asked == ["asked"]
    assert cache.load(lambda: "code-2") is None
    (tree / "Kconfig").write_text('config A\n\tbool "a, edited"\n')
    assert cache.load(fingerprint) is None
    assert asked == ["asked"], "the code fingerprint was awaited though the Kconfig side is stale"


def test_a_run_without_the_logic_is_not_answered_from_a_run_with_it(tmp_path: Path) -> None:
    # With the logic, select-visible grades a select whose selector guarantees the target's
    # dependencies as a hint; `--no-logic` grades by syntax, a warning. One cache serves both.
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "Kconfig").write_text('config A\n\tbool "a"\n\tselect B\nconfig B\n\tbool "b"\n')
    cache = tmp_path / "cache"

    def severities(*extra: str) -> list[str]:
        output = _lint(tree, cache, *extra)[1]
        return [finding["severity"] for finding in json.loads(output)["findings"]]

    assert severities() == ["hint"]
    assert severities("--no-logic") == ["warning"]
    assert severities() == ["hint"]
    assert severities("--no-logic") == ["warning"]


def test_the_rule_key_is_the_same_in_every_process() -> None:
    import subprocess
    import sys

    program = (
        "from kconfig_ls.checks.framework import RuleSettings\n"
        "from kconfig_ls.cli.result_cache import rule_settings_key\n"
        "names = frozenset(f'KLS{n:03d}' for n in range(40))\n"
        "print(rule_settings_key(RuleSettings(select=names, ignore=names)))\n"
    )
    keys = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(keys) == 1, keys


def test_the_program_identity_changes_with_any_module_of_the_package(tmp_path: Path) -> None:
    # A cache keyed by the version alone served stale findings after the code changed.
    from kconfig_ls.program import program_identity

    package = tmp_path / "package"
    (package / "sub").mkdir(parents=True)
    module = package / "sub" / "rule.py"
    module.write_text("X = 1\n")
    (package / "notes.txt").write_text("not a module\n")
    first = program_identity.__wrapped__(str(package))
    assert program_identity.__wrapped__(str(package)) == first
    (package / "notes.txt").write_text("still not a module, and longer\n")
    assert program_identity.__wrapped__(str(package)) == first
    module.write_text("X = 22\n")
    second = program_identity.__wrapped__(str(package))
    assert second != first
    os.utime(module, ns=(1, 1))
    assert program_identity.__wrapped__(str(package)) not in (first, second)


def test_the_kconfig_part_prepared_during_the_index_is_what_the_store_computes(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`prepare` (called while the code is indexed) and `store` alone write the same document."""
    from kconfig_ls.analysis.host import AnalysisHost
    from kconfig_ls.cli import result_cache
    from kconfig_ls.cli.result_cache import LintResultCache
    from kconfig_ls.settings.analysis_settings import AnalysisSettings, resolve_settings

    (tree / "sub").mkdir()
    (tree / "Kconfig").write_text('config A\n\tbool "a"\nsource "sub/Kconfig"\nsource "gone/Kconfig"\n')
    (tree / "sub" / "Kconfig").write_text('config B\n\tbool "b"\n')
    settings = AnalysisSettings(project_root=str(tree), index_code=False)
    host = AnalysisHost(settings)
    host.load()
    model = host.workspace
    documents = []
    for name, prepared in (("alone", False), ("prepared", True)):
        cache = LintResultCache(str(tmp_path / name), resolve_settings(settings).workspace, "key")
        if prepared:
            cache.prepare(model)
            # The store uses what was prepared: it computes nothing of the model again.
            monkeypatch.setattr(result_cache, "_model_rows", lambda workspace: pytest.fail("recomputed"))
        cache.store(model, [], {"files": 2})
        documents.append(json.loads(Path(cache.path).read_text()))
    assert documents[0] == documents[1]
    assert len(documents[0]["files"]) == 2 and documents[0]["missing"]


def test_a_missing_sourced_file_is_noticed_with_the_index_built_alongside(tree: Path, tmp_path: Path) -> None:
    # With the code indexed, the Kconfig part of the cache is prepared while the index builds.
    (tree / "main.c").write_text("#ifdef CONFIG_A\nint a;\n#endif\n")
    (tree / "Kconfig").write_text('config A\n\tbool "a"\n\tdepends on B\nsource "sub/Kconfig.b"\n')
    (tree / "sub").mkdir()
    assert not _cached(_lint_code(tree, tmp_path / "cache")[1])
    assert _cached(_lint_code(tree, tmp_path / "cache")[1])
    (tree / "sub" / "Kconfig.b").write_text('config B\n\tbool "b"\n')
    assert not _cached(_lint_code(tree, tmp_path / "cache")[1])


def test_a_tree_with_generated_kconfig_files_is_cached(tmp_path: Path) -> None:
    """Buildroot's `output/.br2-external.in.*` exist only in the settings: the second lint is a hit."""
    from tests.fixtures import write_fixture

    tree = tmp_path / "buildroot"
    write_fixture(
        tree,
        """
        //- /Config.in
        mainmenu "Buildroot"
        config BR2_BASE_DIR
        	string
        	option env="BR2_BASE_DIR"
        source "$BR2_BASE_DIR/.br2-external.in.paths"
        source "package/Config.in"
        //- /Makefile
        export BR2_VERSION := 2026.08
        //- /package/Config.in
        config BR2_PACKAGE_FOO
        	bool "foo"
        	depends on BR2_GONE
        """,
    )
    cache = tmp_path / "cache"
    first = _lint(tree, cache)[1]
    assert not _cached(first) and _messages(first)
    second = _lint(tree, cache)[1]
    assert _cached(second) and _messages(second) == _messages(first)
    (tree / "package" / "Config.in").write_text('config BR2_PACKAGE_FOO\n\tbool "foo"\n')
    assert not _cached(_lint(tree, cache)[1])
