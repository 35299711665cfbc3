"""`lint --diff` and `--baseline` on scratch git repositories with planted findings.

The planted findings are undefined symbols (KLS: undefined-symbol) in
`depends on` lines: one that only moves (lines inserted above it), one that
the change fixes, one that the change adds.
"""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from kconfig_ls.cli.diff import analyse_revision, lint_options
from kconfig_ls.cli.lint import run_lint
from kconfig_ls.cli.main import build_parser

BEFORE = """\
config A
\tbool "A"
\tdepends on MISSING_ONE

config B
\tbool "B"
\tdepends on MISSING_TWO
"""

AFTER = """\
# Five lines inserted above every old finding,
# so that each one moves to another line.
config NEW_FIRST
\tbool "new first"

config A
\tbool "A"
\tdepends on MISSING_ONE

config B
\tbool "B"

config C
\tbool "C"
\tdepends on MISSING_THREE
"""


def git(repository: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@t", *arguments],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.fixture()
def repository(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q")
    (root / "Kconfig").write_text(BEFORE)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before")
    (root / "Kconfig").write_text(AFTER)
    return root


def lint(*argv: str) -> tuple[int, str, str]:
    arguments = build_parser().parse_args(["lint", *argv])
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_lint(arguments, stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_diff_reports_the_new_finding_and_summarises_the_resolved_one(
    repository: Path, tmp_path: Path
) -> None:
    status_before = git(repository, "status", "--porcelain")
    code, output, errors = lint(str(repository), "--diff", "HEAD", "--cache-dir", str(tmp_path / "cache"))
    assert code == 1
    assert [line.split(": ", 2)[0] for line in output.splitlines()] == ["Kconfig:15:13"]
    assert "MISSING_THREE" in output and "MISSING_ONE" not in output
    assert "--diff HEAD: 1 new, 1 resolved, 1 unchanged" in errors
    assert "resolved: Kconfig:7: undefined symbol MISSING_TWO" in errors
    # The temporary worktree is gone and the analysed tree is as it was.
    assert len(git(repository, "worktree", "list").splitlines()) == 1
    assert git(repository, "status", "--porcelain") == status_before


def test_the_revision_checkout_is_deleted_afterwards(
    repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    assert lint(str(repository), "--diff", "HEAD", "--no-cache")[0] == 1
    assert len(git(repository, "worktree", "list").splitlines()) == 1
    deadline = time.monotonic() + 30
    while any(temporary.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)  # the files are deleted by a detached child
    assert list(temporary.iterdir()) == []


def test_diff_json_has_new_findings_and_a_resolved_section(repository: Path) -> None:
    _, output, _ = lint(str(repository), "--diff", "HEAD", "--no-cache", "--format", "json")
    document = json.loads(output)
    assert [(f["message"].split()[2], f["state"]) for f in document["findings"]] == [("MISSING_THREE", "new")]
    assert [f["message"].split()[2] for f in document["resolved"]] == ["MISSING_TWO"]
    seconds = document["comparison"].pop("seconds")
    assert seconds["base_cached"] == 0 and {"base_checkout", "base_lint", "base_cleanup"} <= set(seconds)
    assert document["comparison"] == {
        "kind": "diff",
        "base": "HEAD",
        "head": "working tree",
        "new": 1,
        "resolved": 1,
        "unchanged": 1,
    }


def test_a_clean_change_exits_zero(repository: Path) -> None:
    (repository / "Kconfig").write_text("# a comment above\n" + BEFORE.replace("MISSING_TWO", "A"))
    code, output, errors = lint(str(repository), "--diff", "HEAD", "--no-cache")
    assert (code, output) == (0, "")
    assert "0 new, 1 resolved, 1 unchanged" in errors


def test_diff_between_two_revisions_ignores_the_working_tree(repository: Path) -> None:
    git(repository, "commit", "-qam", "after")
    (repository / "Kconfig").write_text(BEFORE + "config D\n\tdepends on MISSING_FOUR\n")
    code, output, errors = lint(str(repository), "--diff", "HEAD~1..HEAD", "--no-cache")
    assert code == 1
    assert "MISSING_THREE" in output and "MISSING_FOUR" not in output
    assert "--diff HEAD~1..HEAD: 1 new, 1 resolved, 1 unchanged" in errors


def test_a_revision_is_linted_once_then_read_from_the_cache(repository: Path, tmp_path: Path) -> None:
    arguments = build_parser().parse_args(["lint", str(repository)])
    options = lint_options(arguments)
    first = analyse_revision(str(repository), "HEAD", options, str(tmp_path / "cache"))
    second = analyse_revision(str(repository), "HEAD", options, str(tmp_path / "cache"))
    assert (first.from_cache, second.from_cache) == (False, True)
    assert [f.identity for f in first.findings] == [f.identity for f in second.findings]
    assert len(first.findings) == 2


def test_an_unknown_revision_is_a_usage_error(repository: Path) -> None:
    code, output, errors = lint(str(repository), "--diff", "no-such-revision", "--no-cache")
    assert (code, output) == (2, "")
    assert "kconfig-ls: error: git rev-parse" in errors


def test_diff_outside_a_git_repository_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "Kconfig").write_text(BEFORE)
    code, _, errors = lint(str(tmp_path), "--diff", "HEAD", "--no-cache")
    assert code == 2 and "kconfig-ls: error: git" in errors


def test_baseline_round_trip(repository: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    (repository / "Kconfig").write_text(BEFORE)
    code, output, _ = lint(str(repository), "--no-cache", "--write-baseline", str(baseline))
    assert code == 0 and output.count("undefined symbol") == 2
    document = json.loads(baseline.read_text())
    assert sorted(item["symbol"] for item in document["findings"]) == ["MISSING_ONE", "MISSING_TWO"]
    assert all("line" not in item for item in document["findings"])

    # The same tree against its own baseline: nothing to report.
    assert lint(str(repository), "--no-cache", "--baseline", str(baseline))[:2] == (0, "")

    # Moved, fixed and added findings: only the added one is reported.
    (repository / "Kconfig").write_text(AFTER)
    code, output, errors = lint(str(repository), "--no-cache", "--baseline", str(baseline))
    assert code == 1
    assert [line.split(": ", 2)[0] for line in output.splitlines()] == ["Kconfig:15:13"]
    assert "1 new, 1 accepted, 1 accepted findings are gone" in errors


def test_a_baseline_counts_equal_findings(repository: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    (repository / "Kconfig").write_text("config A\n\tdepends on MISSING\n")
    lint(str(repository), "--no-cache", "--write-baseline", str(baseline))
    (repository / "Kconfig").write_text("config A\n\tdepends on MISSING\n\nconfig B\n\tdepends on MISSING\n")
    code, output, _ = lint(str(repository), "--no-cache", "--baseline", str(baseline))
    assert code == 1 and output.startswith("Kconfig:5:13:")


def test_a_broken_baseline_is_a_usage_error(repository: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"something": "else"}')
    code, _, errors = lint(str(repository), "--no-cache", "--baseline", str(baseline))
    assert code == 2 and "is not a kconfig-ls baseline" in errors
    code, _, errors = lint(str(repository), "--no-cache", "--baseline", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read the baseline" in errors


# The seed's third variant in small: a new selector of MIGRATION without MMU, which only the
# logic rule select-unmet-dependency (KLS201, a preview rule) reports. The old selector stays.
LOGIC_BEFORE = """\
config MMU
\tbool "MMU"

config MIGRATION
\tbool
\tdepends on MMU

config COMPACTION
\tbool "compaction"
\tselect MIGRATION
"""


def test_diff_with_preview_runs_the_logic_rules_on_both_sides(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q")
    (root / "Kconfig").write_text(LOGIC_BEFORE)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "before")
    (root / "Kconfig").write_text(
        "# a line above\n" + LOGIC_BEFORE + '\nconfig NEW_SELECTOR\n\tbool "new"\n\tselect MIGRATION\n'
    )
    arguments = build_parser().parse_args(["lint", str(root), "--preview", "--no-logic"])
    assert {"--preview", "--no-logic"} <= set(lint_options(arguments))
    code, output, _ = lint(str(root), "--diff", "HEAD", "--preview", "--format", "json", "--no-cache")
    document = json.loads(output)
    assert code == 1
    # COMPACTION's select existed before (unchanged, not new); NEW_SELECTOR's is new.
    assert [(f["code"], f["line"]) for f in document["findings"]] == [("KLS201", 15)]
    assert "NEW_SELECTOR" in document["findings"][0]["message"]
    assert (document["comparison"]["new"], document["comparison"]["unchanged"]) == (1, 1)


def test_a_finding_with_an_identity_matches_across_runs_whose_witness_differs(tmp_path: Path) -> None:
    # The seed's third variant replayed on Linux: each KLS201 finding's witness is one model among
    # many, and the base and the head runs found different ones ("USB=m" / "USB=m, USB_EHCI_HCD=m"),
    # which made ten findings both new and resolved. Findings match by their identity instead.
    from kconfig_ls.checks.framework import Finding, Severity
    from kconfig_ls.cli.diff import _from_child, compare
    from kconfig_ls.cli.fingerprint import IdentityMaker
    from kconfig_ls.cli.output import ReportedFinding, format_json, report_findings
    from kconfig_ls.semantics.model import Location
    from kconfig_ls.syntax.kconfig import Span

    kconfig = tmp_path / "Kconfig"
    kconfig.write_text("config ATH79\n\tbool\n\tselect USB_EHCI_ROOT_HUB_TT\n")
    start = kconfig.read_bytes().index(b"USB_EHCI")

    def finding(witness: str, identity: str) -> Finding:
        return Finding(
            "KLS201",
            "select-unmet-dependency",
            Severity.WARNING,
            f"ATH79 selects USB_EHCI_ROOT_HUB_TT, but ... ({witness})",
            Location(str(kconfig), Span(start, start + 20)),
            identity=identity,
        )

    def reported(*findings: Finding) -> list[ReportedFinding]:
        return report_findings(
            list(findings), lambda path: Path(path).read_bytes(), lambda p: "Kconfig", str(tmp_path)
        )

    same = "ATH79 selects USB_EHCI_ROOT_HUB_TT, which depends on USB_EHCI_HCD"
    base = reported(finding("mips: USB_EHCI_HCD=m, ATH79=y", same))
    head = reported(finding("mips: USB=m, USB_EHCI_HCD=m, ATH79=y", same))
    assert compare(head, base)[:2] == ([], ())
    # Without an identity the message decides: the two are different findings.
    assert len(compare(reported(finding("b", "")), reported(finding("a", "")))[0]) == 1
    # The base revision's findings come back from a child `lint --format json`: the identity
    # travels with them.
    document = json.loads(format_json(base, {}))
    assert document["findings"][0]["identity_text"] == same
    maker = IdentityMaker(lambda path: kconfig.read_bytes(), lambda p: "Kconfig", str(tmp_path))
    child = [_from_child(item, str(tmp_path), maker) for item in document["findings"]]
    assert compare(head, child)[:2] == ([], ())
