"""`kconfig-ls lint`: the headless linter, for people and for CI.

It loads the tree exactly as the server does (`kconfig_ls.settings.resolve`), runs
the same rules (`kconfig_ls.checks.registry.run_checks`) and prints the
findings for the paths asked about.

Exit codes: 0 when no finding reaches `--fail-on` (default: warning),
1 when some do, 2 on usage or I/O errors.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections import Counter
from typing import TextIO

from kconfig_ls.checks.framework import CheckContext, RuleSettings, Severity
from kconfig_ls.checks.registry import ALL_RULES, rule_by_key, run_checks
from kconfig_ls.cli.output import Positioner, format_json, format_sarif, format_text
from kconfig_ls.cli.result_cache import LintResultCache
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.semantics.model import KconfigModel, WorkspaceSettings
from kconfig_ls.settings.project_file import SettingsError, default_code_exclude, load_project_settings
from kconfig_ls.settings.resolve import find_project_root, workspace_settings

__all__ = ["add_lint_arguments", "run_lint"]

_LOG = logging.getLogger(__name__)
EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


def add_lint_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        default=["."],
        help="files or folders to report on (default: the current folder); the project is the "
        "nearest folder above them that holds the root Kconfig",
    )
    parser.add_argument("--project", help="project folder (default: found from the paths)")
    parser.add_argument(
        "--root", dest="root_kconfig", help="root Kconfig, relative to the project (default: Kconfig)"
    )
    parser.add_argument("--arch", help="architecture for Linux-style trees (SRCARCH/ARCH), e.g. x86, arm64")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a variable for Kconfig macros (repeatable)",
    )
    parser.add_argument("--select", help="comma-separated rule codes or names to run (default: all)")
    parser.add_argument("--ignore", help="comma-separated rule codes or names to skip")
    parser.add_argument(
        "--severity",
        action="append",
        default=[],
        metavar="RULE=LEVEL",
        help="re-grade a rule: error, warning, information, hint or off (repeatable)",
    )
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "information", "hint", "never"),
        default="warning",
        help="exit 1 when a finding is at least this severe (default: warning)",
    )
    parser.add_argument("--output", "-o", help="write the report to a file instead of stdout")
    parser.add_argument(
        "--no-unreached",
        action="store_true",
        help="skip Kconfig files the root does not reach (other architectures)",
    )
    parser.add_argument(
        "--trust-commands",
        action="store_true",
        help="run $(shell,...) macros (never do this on a tree you do not trust)",
    )
    parser.add_argument(
        "--statistics", action="store_true", help="print run time and counts per rule on stderr"
    )
    parser.add_argument(
        "--cache-dir",
        help="where to keep the results cache (default: $XDG_CACHE_HOME/kconfig-ls or ~/.cache/kconfig-ls)",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the results cache")
    parser.add_argument("--preview", action="store_true", help="run the preview rules too (KLS2xx)")
    parser.add_argument(
        "--no-logic",
        action="store_true",
        help="do not consult the configuration logic (SAT) in stable rules (select-visible grades by syntax)",
    )
    parser.add_argument(
        "--witness-dir",
        help="write a .config witness for each select-unmet-dependency finding into this folder",
    )
    parser.add_argument(
        "--kconfig-only",
        action="store_true",
        help="check Kconfig files only (skip indexing C, Makefiles and config files)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes for indexing code (default: the number of cores)",
    )


def run_lint(arguments: argparse.Namespace, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    started = time.perf_counter()
    try:
        request = _Request.from_arguments(arguments)
    except (SettingsError, ValueError) as error:
        print(f"kconfig-ls: error: {error}", file=stderr)
        return EXIT_USAGE
    progress = stderr.isatty() and arguments.format == "text"
    cache_directory = None if arguments.no_cache else (arguments.cache_dir or default_cache_directory())
    cache = None
    if cache_directory is not None:
        cache = LintResultCache(
            cache_directory,
            request.workspace_settings,
            repr(request.rule_settings) + ("kconfig-only" if arguments.kconfig_only else ""),
        )
    code_index: CodeIndex | None = None
    code_fingerprint = ""
    if not arguments.kconfig_only:
        code_index = CodeIndex(request.project_root, cache_directory, arguments.jobs, request.code_exclude)

        def report_progress(done: int, total: int) -> None:
            print(f"kconfig-ls: indexing code {done}/{total} ...", file=stderr, end="\r")

        code_index.build(report_progress if progress else None)
        code_fingerprint = code_index.fingerprint()
    indexed = time.perf_counter()
    cached = cache.load(code_fingerprint) if cache is not None else None
    workspace: KconfigModel | None = None
    if cached is not None:
        all_findings, summary = cached
        loaded = checked = time.perf_counter()
        summary = {**summary, "cached": True}
    else:
        if progress:
            print(f"kconfig-ls: loading {request.project_root} ...".ljust(60), file=stderr, end="\r")
        workspace = KconfigModel(request.workspace_settings)
        workspace.load()
        if workspace.file(workspace.root_path) is None:
            print(f"kconfig-ls: error: root Kconfig not found: {workspace.root_path}", file=stderr)
            return EXIT_USAGE
        loaded = time.perf_counter()
        context = CheckContext(workspace, code_index, cache_directory, logic=not arguments.no_logic)
        all_findings = run_checks(context, request.rule_settings)
        all_findings.sort(key=lambda f: (f.location.path, f.location.span.start, f.rule_code))
        checked = time.perf_counter()
        summary = {
            "project": request.project_root,
            "files": len(workspace.files),
            "code_files": len(code_index.entries) if code_index is not None else 0,
            "symbols": len(workspace.definitions),
            "seconds": {
                "index_code": round(indexed - started, 3),
                "load": round(loaded - indexed, 3),
                "checks": round(checked - loaded, 3),
            },
        }
        if cache is not None:
            cache.store(workspace, all_findings, summary, code_fingerprint)
    if progress:
        print(" " * 60, file=stderr, end="\r")
    if arguments.witness_dir:
        from kconfig_ls.cli.witness import write_witnesses

        if workspace is None:
            workspace = KconfigModel(request.workspace_settings)
            workspace.load()
        written = write_witnesses(workspace, arguments.witness_dir, cache_directory)
        print(f"kconfig-ls: wrote {written} witness files to {arguments.witness_dir}", file=stderr)
    findings = [f for f in all_findings if request.wants(f.location.path)]
    project_root = request.project_root

    def relative(path: str) -> str:
        relative_path = os.path.relpath(path, project_root)
        return path if relative_path.startswith("..") else relative_path

    def read_text(path: str) -> bytes:
        if workspace is not None and workspace.text(path):
            return workspace.text(path)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError:
            return b""

    positioner = Positioner(read_text, relative)
    counts = Counter(f.rule_name for f in findings)
    summary = {**summary, "findings": len(findings), "by_rule": dict(sorted(counts.items()))}
    if arguments.format == "text":
        report = format_text(findings, positioner)
    elif arguments.format == "json":
        report = format_json(findings, positioner, summary)
    else:
        report = format_sarif(findings, positioner, ALL_RULES, request.project_root)
    try:
        if arguments.output:
            with open(arguments.output, "w", encoding="utf-8") as handle:
                handle.write(report)
        else:
            stdout.write(report)
    except OSError as error:
        print(f"kconfig-ls: error: cannot write report: {error}", file=stderr)
        return EXIT_USAGE
    if arguments.statistics or (arguments.format == "text" and findings):
        by_severity = Counter(f.severity.label for f in findings)
        severities = ", ".join(f"{count} {label}" for label, count in sorted(by_severity.items())) or "none"
        print(
            f"{len(findings)} findings ({severities}) "
            f"in {summary['files']} Kconfig files, {summary.get('code_files', 0)} code files, "
            f"{summary['symbols']} symbols" + (" (cached)" if cached is not None else ""),
            file=stderr,
        )
    if arguments.statistics:
        print(
            f"time: total {time.perf_counter() - started:.3f} s (index code {indexed - started:.3f} s, "
            f"load Kconfig {loaded - indexed:.3f} s, checks {checked - loaded:.3f} s"
            f"{', findings from the cache' if cached is not None else ''})",
            file=stderr,
        )
        for rule_name, count in sorted(counts.items()):
            print(f"  {rule_name}: {count}", file=stderr)
    if request.fail_on is not None and any(f.severity >= request.fail_on for f in findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


class _Request:
    """The lint command's arguments, validated and resolved."""

    def __init__(self) -> None:
        self.project_root = ""
        self.paths: list[str] = []
        self.fail_on: Severity | None = None

    @classmethod
    def from_arguments(cls, arguments: argparse.Namespace) -> _Request:
        request = cls()
        for path in arguments.paths:
            if not os.path.exists(path):
                raise ValueError(f"no such file or folder: {path}")
        request.paths = [os.path.abspath(p) for p in arguments.paths]
        project_settings_root = arguments.project or find_project_root(
            request.paths[0], arguments.root_kconfig or "Kconfig"
        )
        request.project_root = os.path.abspath(project_settings_root)
        project = load_project_settings(request.project_root)
        request.code_exclude = (
            project.code_exclude
            if project.code_exclude is not None
            else default_code_exclude(request.project_root, arguments.root_kconfig or project.root_kconfig)
        )
        environment = {}
        for item in arguments.env:
            name, separator, value = item.partition("=")
            if not separator or not name:
                raise ValueError(f"--env expects NAME=VALUE, got '{item}'")
            environment[name] = value
        request.workspace_settings = workspace_settings(
            request.project_root,
            project,
            root_kconfig=arguments.root_kconfig,
            arch=arguments.arch,
            environment=environment,
            trust_commands=True if arguments.trust_commands else None,
            index_unreached=not arguments.no_unreached,
        )
        severities = dict(project.rules.severities)
        for item in arguments.severity:
            key, separator, level = item.partition("=")
            if not separator:
                raise ValueError(f"--severity expects RULE=LEVEL, got '{item}'")
            _known_rule(key)
            if level.lower() != "off":
                Severity.parse(level)
            severities[key] = level
        select = (
            frozenset(_known_rule(k) for k in arguments.select.split(",") if k) if arguments.select else None
        )
        ignore = (
            frozenset(_known_rule(k) for k in arguments.ignore.split(",") if k)
            if arguments.ignore
            else frozenset()
        )
        request.rule_settings = RuleSettings(
            severities=severities, select=select, ignore=ignore, preview=bool(arguments.preview)
        )
        request.fail_on = None if arguments.fail_on == "never" else Severity.parse(arguments.fail_on)
        return request

    def wants(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in self.paths)

    workspace_settings: WorkspaceSettings
    rule_settings: RuleSettings
    code_exclude: tuple[str, ...]


def default_cache_directory() -> str:
    """`$XDG_CACHE_HOME/kconfig-ls`, else `~/.cache/kconfig-ls` (read at the CLI edge only)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kconfig-ls")


def _known_rule(key: str) -> str:
    key = key.strip()
    if key != "ALL" and rule_by_key(key) is None:
        raise ValueError(f"unknown rule '{key}' (see 'kconfig-ls rules')")
    return key
