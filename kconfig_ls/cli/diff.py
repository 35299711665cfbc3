"""`lint --diff REV`: the findings a change introduces, and those it resolves.

The tree at REV is checked out with `git worktree add --detach` into a
temporary folder outside the analysed tree and linted there by a child
`kconfig-ls lint --format json` with the same rule and load options (so the
revision is analysed exactly as the working tree is, and the child's memory
is returned when it ends); the worktree is removed afterwards. The result is
kept in the cache folder under the revision's tree id (and the options), so
a second `--diff` against the same base costs only the lint of the working
tree. Findings of the two sides are paired by content identity
(`kconfig_ls.cli.fingerprint`), never by line number.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kconfig_ls.checks.framework import Severity
from kconfig_ls.cli.fingerprint import FindingIdentity, IdentityMaker, match_identities
from kconfig_ls.cli.output import Comparison, Place, ReportedFinding
from kconfig_ls.program import program_identity
from kconfig_ls.vfs.overlay import FileOverlay, read_regular_file

__all__ = ["DiffError", "RevisionAnalysis", "analyse_revision", "compare", "diff_against", "split_range"]

_FORMAT = 1
_MAX_RESULT_SIZE = 1024 * 1024 * 1024  # the child's JSON and the revision cache (the kernel: 8 MB)


class DiffError(Exception):
    """A revision that cannot be analysed (not a git tree, unknown revision, failed child)."""


def split_range(spec: str) -> tuple[str, str | None]:
    """`A..B` -> (A, B); `A` -> (A, None): the second side is then the working tree."""
    if "..." in spec:
        raise DiffError(f"--diff takes REV or REV1..REV2, not a three-dot range: {spec}")
    base, separator, head = spec.partition("..")
    if not base:
        raise DiffError(f"--diff needs a base revision: '{spec}'")
    return base, (head or "HEAD") if separator else None


def _git(folder: str, *arguments: str) -> str:
    try:
        completed = subprocess.run(
            ["git", "-C", folder, *arguments], capture_output=True, text=True, check=False, timeout=600
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise DiffError(f"cannot run git: {error}") from None
    if completed.returncode != 0:
        message = completed.stderr.strip().splitlines()
        raise DiffError(f"git {' '.join(arguments)}: {message[-1] if message else 'failed'}")
    return completed.stdout.strip()


@dataclass(frozen=True)
class RevisionAnalysis:
    revision: str
    commit: str
    findings: tuple[ReportedFinding, ...]
    from_cache: bool
    seconds: dict[str, float]  # total, and for a fresh analysis: checkout, lint, cleanup


def lint_options(arguments: argparse.Namespace) -> list[str]:
    """The lint arguments that change what is found (passed on to the child, part of the cache key)."""
    options: list[str] = []
    for flag, value in (
        ("--root", arguments.root_kconfig),
        ("--arch", arguments.arch),
        ("--select", arguments.select),
        ("--ignore", arguments.ignore),
    ):
        if value:
            options += [flag, value]
    for item in arguments.env:
        options += ["--env", item]
    for item in arguments.severity:
        options += ["--severity", item]
    for flag, enabled in (
        ("--no-unreached", arguments.no_unreached),
        ("--trust-commands", arguments.trust_commands),
        ("--kconfig-only", arguments.kconfig_only),
        # The logic rules: without these the base would run other rules, and every
        # preview finding of the working tree would look new.
        ("--preview", arguments.preview),
        ("--no-logic", arguments.no_logic),
    ):
        if enabled:
            options.append(flag)
    return options


def analyse_revision(
    project_root: str,
    revision: str,
    options: Sequence[str],
    cache_directory: str | None,
    jobs: int | None = None,
) -> RevisionAnalysis:
    """Lint the project as it is at `revision` (from the cache when this tree was linted before)."""
    started = time.perf_counter()
    toplevel = _git(project_root, "rev-parse", "--show-toplevel")
    inside = os.path.relpath(os.path.realpath(project_root), os.path.realpath(toplevel))
    commit = _git(project_root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    tree = _git(project_root, "rev-parse", f"{commit}:{'' if inside == '.' else inside}")
    key_text = json.dumps([program_identity(), _FORMAT, tree, list(options)])
    key = hashlib.sha256(key_text.encode()).hexdigest()[:32]
    cache_path = os.path.join(cache_directory, "revisions", f"{key}.json") if cache_directory else None
    if cache_path is not None:
        cached = _load(cache_path)
        if cached is not None:
            return RevisionAnalysis(
                revision, commit, cached, True, {"total": round(time.perf_counter() - started, 3)}
            )
    temporary = tempfile.mkdtemp(prefix="kconfig-ls-diff-")
    worktree = os.path.join(temporary, "tree")
    phases: dict[str, float] = {}
    try:
        phase_started = time.perf_counter()
        _git(toplevel, "worktree", "add", "--detach", "--quiet", worktree, commit)
        phases["checkout"] = round(time.perf_counter() - phase_started, 3)
        phase_started = time.perf_counter()
        revision_project = os.path.normpath(os.path.join(worktree, inside))
        output = os.path.join(temporary, "findings.json")
        command = [
            sys.executable,
            "-m",
            "kconfig_ls",
            "lint",
            revision_project,
            "--project",
            revision_project,
        ]
        command += ["--format", "json", "--fail-on", "never", "--no-cache", "-o", output, *options]
        if jobs is not None:
            command += ["--jobs", str(jobs)]
        completed = subprocess.run(command, capture_output=True, text=True, check=False, cwd=temporary)
        if completed.returncode != 0 or not os.path.exists(output):
            detail = completed.stderr.strip().splitlines()
            raise DiffError(
                f"linting {revision} failed: {detail[-1] if detail else f'exit code {completed.returncode}'}"
            )
        document = json.loads(read_regular_file(output, _MAX_RESULT_SIZE))
        maker = IdentityMaker(_file_reader(revision_project), lambda path: path, revision_project)
        findings = tuple(_from_child(item, revision_project, maker) for item in document["findings"])
        phases["lint"] = round(time.perf_counter() - phase_started, 3)
    finally:
        phase_started = time.perf_counter()
        _remove_worktree(toplevel, worktree, temporary)
        phases["cleanup"] = round(time.perf_counter() - phase_started, 3)
    if cache_path is not None:
        _store(cache_path, findings)
    phases["total"] = round(time.perf_counter() - started, 3)
    return RevisionAnalysis(revision, commit, findings, False, phases)


def _remove_worktree(toplevel: str, worktree: str, temporary: str) -> None:
    """Unregister the worktree at once; delete its files in a detached `rm -rf`.

    Deleting a kernel checkout (90,000 files) takes longer than linting it on
    a busy machine, and nothing waits for it: the folder is moved aside, git
    forgets the worktree (`worktree prune`), and a child that outlives this
    process removes the files. Without `rm`, the files are removed here.
    """
    trash = os.path.join(temporary, "removing")
    try:
        os.rename(worktree, trash)
    except OSError:
        trash = worktree
    subprocess.run(["git", "-C", toplevel, "worktree", "prune"], capture_output=True, check=False)
    if shutil.which("rm") is not None:
        try:
            subprocess.Popen(
                ["rm", "-rf", "--", temporary],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return
        except OSError:
            pass
    shutil.rmtree(temporary, ignore_errors=True)


def _file_reader(folder: str) -> Callable[[str], bytes]:
    overlay = FileOverlay()

    def read_text(path: str) -> bytes:
        return overlay.read_or_empty(os.path.join(folder, path))

    return read_text


def _from_child(item: dict[str, Any], revision_project: str, maker: IdentityMaker) -> ReportedFinding:
    """A finding of the child's JSON, with its identity computed from the revision's files."""
    prefix = revision_project.rstrip("/") + "/"
    message = str(item["message"]).replace(prefix, "")
    identity_text = str(item.get("identity_text", "")).replace(prefix, "")
    identity = maker.identity(
        item["code"], identity_text or message, item["path"], item["start_byte"], item["end_byte"]
    )
    return ReportedFinding(
        str(item["code"]),
        str(item["rule"]),
        Severity.parse(item["severity"]),
        message,
        Place.from_json(item),
        identity,
        str(item.get("fingerprint", identity.fingerprint)),
        tuple((str(r["message"]).replace(prefix, ""), Place.from_json(r)) for r in item["related"]),
        identity_text=identity_text,
    )


def _store(path: str, findings: Sequence[ReportedFinding]) -> None:
    document = {
        "format": _FORMAT,
        "findings": [{**f.to_json(), "identity": f.identity.to_json()} for f in findings],
    }
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(document, handle)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _load(path: str) -> tuple[ReportedFinding, ...] | None:
    try:
        document = json.loads(read_regular_file(path, _MAX_RESULT_SIZE))
        if document.get("format") != _FORMAT:
            return None
        return tuple(
            ReportedFinding(
                str(item["code"]),
                str(item["rule"]),
                Severity.parse(item["severity"]),
                str(item["message"]),
                Place.from_json(item),
                FindingIdentity.from_json(item["identity"]),
                str(item["fingerprint"]),
                tuple((str(r["message"]), Place.from_json(r)) for r in item["related"]),
            )
            for item in document["findings"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def compare(
    head: Sequence[ReportedFinding], base: Sequence[ReportedFinding]
) -> tuple[list[ReportedFinding], tuple[ReportedFinding, ...], int]:
    """(new findings marked `new`, resolved findings, number unchanged)."""
    matching = match_identities([f.identity for f in base], [f.identity for f in head])
    new = [replace(head[position], state="new") for position in matching.new]
    resolved = tuple(base[position] for position in matching.resolved)
    return new, resolved, len(head) - len(new)


def diff_against(
    arguments: argparse.Namespace,
    project_root: str,
    wanted: Sequence[str],
    head: Sequence[ReportedFinding] | None,
    cache_directory: str | None,
) -> tuple[list[ReportedFinding], Comparison]:
    """Compare `head` (the working tree's findings) or the range's second revision with the base.

    `wanted` are the project-relative paths the user asked about (`.` for
    all); findings of revisions are filtered to them as the working tree's are.
    """
    base_revision, head_revision = split_range(arguments.diff)
    options = lint_options(arguments)
    base = analyse_revision(project_root, base_revision, options, cache_directory, arguments.jobs)
    seconds = {f"base_{phase}": value for phase, value in base.seconds.items()}
    seconds["base_cached"] = float(base.from_cache)
    if head_revision is not None:
        analysed = analyse_revision(project_root, head_revision, options, cache_directory, arguments.jobs)
        seconds.update({f"head_{phase}": value for phase, value in analysed.seconds.items()})
        seconds["head_cached"] = float(analysed.from_cache)
        head = analysed.findings
    assert head is not None
    head = [f for f in head if _wanted(f.place.path, wanted)]
    base_findings = [f for f in base.findings if _wanted(f.place.path, wanted)]
    new, resolved, unchanged = compare(head, base_findings)
    comparison = Comparison(
        "diff", base_revision, head_revision or "working tree", resolved, unchanged, seconds
    )
    return new, comparison


def _wanted(path: str, wanted: Sequence[str]) -> bool:
    return any(w == "." or path == w or path.startswith(w.rstrip("/") + "/") for w in wanted)
