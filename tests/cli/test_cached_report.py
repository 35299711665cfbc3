"""An unchanged tree's lint prints the report records stored by the run that filled the cache.

Those records (places, content fingerprints, identities) are what every
format prints; the run that found the findings computed them, so an
unchanged tree's lint neither reads the files again nor re-fingerprints.
The report must be byte for byte the one a fresh run prints, in every
format and for any subset of paths.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from kconfig_ls.cli import lint as lint_module
from kconfig_ls.cli.lint import run_lint
from kconfig_ls.cli.main import build_parser

FORMATS = ("text", "json", "sarif", "github")


def lint(*argv: str) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    arguments = build_parser().parse_args(["lint", "--jobs", "1", "--fail-on", "never", *argv])
    code = run_lint(arguments, stdout, stderr)
    assert code == 0, stderr.getvalue()
    return code, stdout.getvalue()


def without_cached_mark(output: str, output_format: str) -> str:
    """The JSON summary says whether the cache answered, and the run's seconds: nothing else differs."""
    if output_format != "json":
        return output
    document = json.loads(output)
    document["summary"].pop("cached", None)
    document["summary"].pop("seconds", None)
    return json.dumps(document)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "drivers" / "net").mkdir(parents=True)
    (root / "Kconfig").write_text(
        'config A\n\tbool "a"\n\tdepends on MISSING_B\n\tselect SHOWN\n'
        'config SHOWN\n\tbool "shown, é"\n\nsource "drivers/Kconfig"\n'
    )
    (root / "drivers" / "Kconfig").write_text('config DRIVER\n\tbool "driver"\n\tdepends on MISSING_C\n')
    # Non-ASCII text before the findings (code-point columns), two equal findings on one line
    # (ordinals), and an #endif comment that names the wrong symbol (a fix).
    (root / "main.c").write_text(
        "/* é */ #if defined(CONFIG_UNKNOWN_X) || defined(CONFIG_UNKNOWN_X)\n#endif\n"
        "#ifdef CONFIG_A\nint a;\n#endif /* CONFIG_SHOWN */\n"
    )
    (root / "drivers" / "net" / "net.c").write_text("#ifdef CONFIG_UNKNOWN_NET\n#endif\n")
    return root


@pytest.mark.parametrize("output_format", FORMATS)
def test_an_unchanged_tree_prints_the_fresh_report(tree: Path, tmp_path: Path, output_format: str) -> None:
    cache = str(tmp_path / "cache")
    fresh = lint(str(tree), "--no-logic", "--no-cache", "--format", output_format)[1]
    filled = lint(str(tree), "--no-logic", "--cache-dir", cache, "--format", output_format)[1]
    cached = lint(str(tree), "--no-logic", "--cache-dir", cache, "--format", output_format)[1]
    assert "UNKNOWN_X" in fresh and "UNKNOWN_NET" in fresh and "MISSING_B" in fresh
    assert without_cached_mark(filled, output_format) == without_cached_mark(fresh, output_format)
    assert without_cached_mark(cached, output_format) == without_cached_mark(fresh, output_format)
    if output_format == "json":
        assert json.loads(cached)["summary"]["cached"] is True


def test_an_unchanged_tree_reads_no_file_to_report(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = str(tmp_path / "cache")
    fresh = lint(str(tree), "--no-logic", "--cache-dir", cache, "--format", "sarif")[1]

    def no_reading(*_: object) -> None:
        raise AssertionError("a file was read to place a cached finding")

    monkeypatch.setattr(lint_module, "read_plain_regular_file", no_reading)
    assert lint(str(tree), "--no-logic", "--cache-dir", cache, "--format", "sarif")[1] == fresh


def test_a_folder_linted_from_the_whole_tree_cache_matches_a_fresh_lint_of_it(
    tree: Path, tmp_path: Path
) -> None:
    cache = str(tmp_path / "cache")
    lint(str(tree), "--no-logic", "--cache-dir", cache, "--format", "json")
    folder = str(tree / "drivers")
    fresh = lint(folder, "--project", str(tree), "--no-logic", "--no-cache", "--format", "json")[1]
    cached = lint(folder, "--project", str(tree), "--no-logic", "--cache-dir", cache, "--format", "json")[1]
    assert json.loads(cached)["summary"]["cached"] is True
    assert [f["path"] for f in json.loads(cached)["findings"]] == ["drivers/Kconfig", "drivers/net/net.c"]
    assert without_cached_mark(cached, "json") == without_cached_mark(fresh, "json")


@pytest.mark.parametrize("rows", ["1", "[1]", "[[1, 2]]", '[["p", "KLS1", "n", "loud"]]', '{"a": 1}'])
def test_malformed_stored_records_mean_a_fresh_run(tree: Path, tmp_path: Path, rows: str) -> None:
    cache = tmp_path / "cache"
    fresh = lint(str(tree), "--no-logic", "--cache-dir", str(cache), "--format", "json")[1]
    (path,) = cache.glob("lint-*.json")
    document = json.loads(path.read_text())
    document["reported"] = json.loads(rows)
    path.write_text(json.dumps(document))
    output = lint(str(tree), "--no-logic", "--cache-dir", str(cache), "--format", "json")[1]
    assert "cached" not in json.loads(output)["summary"]
    assert without_cached_mark(output, "json") == without_cached_mark(fresh, "json")


@pytest.mark.parametrize(
    ("field", "value"),
    [(5, ["main.c", "1", 1, 1, 2, 0, 1]), (5, ["main.c", 1, 1]), (7, 12), (4, None), (11, [["note", [1]]])],
)
def test_a_stored_record_with_a_wrong_type_means_a_fresh_run(
    tree: Path, tmp_path: Path, field: int, value: object
) -> None:
    cache = tmp_path / "cache"
    fresh = lint(str(tree), "--no-logic", "--cache-dir", str(cache), "--format", "sarif")[1]
    (path,) = cache.glob("lint-*.json")
    document = json.loads(path.read_text())
    document["reported"][-1][field] = value
    path.write_text(json.dumps(document))
    assert lint(str(tree), "--no-logic", "--cache-dir", str(cache), "--format", "sarif")[1] == fresh
    assert lint(str(tree), "--no-logic", "--cache-dir", str(cache), "--format", "sarif")[1] == fresh
