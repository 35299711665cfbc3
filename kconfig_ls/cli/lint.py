"""`kconfig-ls lint`: the headless linter, for people and for CI.

It loads the tree through the same `AnalysisHost` as the server, with the
same settings merge (`kconfig_ls.settings.analysis_settings`), takes one
snapshot and prints its findings for the paths asked about. `$(shell,...)`
runs only with `--trust-commands` or the user's own settings file, never
because the linted tree asks (a CI job linting a fork's pull request must
not run its code).

Exit codes: 0 when no finding reaches `--fail-on` (default: warning),
1 when some do, 2 on usage or I/O errors.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import marshal
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from kconfig_ls.checks.framework import Finding, RuleSettings, Severity
from kconfig_ls.checks.registry import rule_by_key
from kconfig_ls.cli.config_lint import add_config_arguments, run_config_lint
from kconfig_ls.cli.early_rules import EarlyKconfigChecks, report_order
from kconfig_ls.cli.output import ReportedFinding, report_findings
from kconfig_ls.cli.report import (
    FORMATS,
    ComparisonError,
    add_comparison_arguments,
    compare_findings,
    is_range,
    write_report,
)
from kconfig_ls.cli.result_cache import LintResultCache, rule_settings_key
from kconfig_ls.semantics import code_scanning
from kconfig_ls.semantics.code_index import CodeIndex
from kconfig_ls.settings.analysis_settings import AnalysisSettings, ResolvedSettings, resolve_settings
from kconfig_ls.settings.project_file import SettingsError, load_project_settings
from kconfig_ls.settings.resolve import find_project_root
from kconfig_ls.settings.user_file import default_user_config_file
from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileOverlay, read_plain_regular_file

if TYPE_CHECKING:
    from kconfig_ls.analysis.host import AnalysisHost
    from kconfig_ls.semantics.model import KconfigModel

__all__ = ["add_lint_arguments", "keep_results_until_exit", "results_kept", "run_lint"]

_LOG = logging.getLogger(__name__)
EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

# What a lint built (the host, its snapshot, the findings), kept past `run_lint` when the process
# leaves right after it (`keep_results_until_exit`): freeing the model, the code index and the
# findings object by object cost ~0.25 s of a whole-kernel lint, after its report was written.
_KEPT_UNTIL_EXIT: list[object] | None = None


def keep_results_until_exit() -> None:
    """The process ends after this lint (`python -m kconfig_ls`): keep what it builds unfreed."""
    global _KEPT_UNTIL_EXIT
    _KEPT_UNTIL_EXIT = []


def results_kept() -> bool:
    """Whether a lint kept its results for the process's end (see `keep_results_until_exit`)."""
    return bool(_KEPT_UNTIL_EXIT)


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
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "information", "hint", "never"),
        default="warning",
        help="exit 1 when a finding is at least this severe (default: warning)",
    )
    parser.add_argument("--output", "-o", help="write the report to a file instead of stdout")
    add_comparison_arguments(parser)
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
    add_config_arguments(parser)


def run_lint(
    arguments: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    if getattr(arguments, "config", None):
        return run_config_lint(arguments, stdout, stderr)
    started = time.perf_counter()
    try:
        request = _Request.from_arguments(arguments)
    except (SettingsError, ValueError) as error:
        print(f"kconfig-ls: error: {error}", file=stderr)
        return EXIT_USAGE
    progress = stderr.isatty() and arguments.format == "text"
    try:
        if is_range(arguments):  # --diff REV1..REV2 analyses two revisions, not the working tree
            summary = {"project": request.project_root, "files": 0, "code_files": 0, "symbols": 0}
            rules = resolve_settings(request.settings).rules
            return _report(arguments, request, rules, None, summary, stdout, stderr, started, None)
    except ComparisonError as error:
        print(f"kconfig-ls: error: {error}", file=stderr)
        return EXIT_USAGE
    # No `AnalysisHost` yet: an unchanged tree's lint needs only the settings, the tree's walk and
    # the results cache, and importing the host (the model, the checks, the IDE layer) would be
    # most of its run. The host is made when the cache cannot answer.
    resolved = resolve_settings(request.settings)
    cache = None
    if request.settings.cache_directory is not None:
        cache = LintResultCache(
            request.settings.cache_directory,
            resolved.workspace,
            # Every flag that changes the findings is part of the key: `--no-logic` grades
            # select-visible by syntax, so a logic run's result must not answer it.
            rule_settings_key(resolved.rules)
            + ("kconfig-only" if arguments.kconfig_only else "")
            + ("no-logic" if arguments.no_logic else ""),
        )
    code_index: CodeIndex | None = None
    indexing: _BackgroundIndex | None = None
    if not arguments.kconfig_only:
        code_index = new_code_index(request.settings, resolved)
        code_index.defer_cache_write = True  # written beside the code rules (`kconfig_ready`)

        def report_progress(done: int, total: int) -> None:
            print(f"kconfig-ls: indexing code {done}/{total} ...", file=stderr, end="\r")

        # The code is indexed (mostly in worker processes) while this thread checks
        # the results cache and, if it must, loads the Kconfig model.
        indexing = _BackgroundIndex(code_index, report_progress if progress else None)

    def code_fingerprint() -> str:
        return indexing.fingerprint() if indexing is not None else ""

    cached = cache.load_reported(code_fingerprint) if cache is not None else None
    if cached is None and indexing is not None:
        indexing.proceed()
    indexed = time.perf_counter()
    overlay = FileOverlay()
    model_texts: dict[str, bytes] = {}
    model: KconfigModel | None = None
    project_root = request.project_root

    def relative(path: str) -> str:
        relative_path = os.path.relpath(path, project_root)
        return path if relative_path.startswith("..") else relative_path

    def read_text(path: str) -> bytes:
        # The text the findings were computed on: the model's, else through the overlay
        # (an ordinary file in four system calls, as the code index reads it).
        text = model_texts.get(path)
        if text is not None:
            return text
        if not overlay.is_open(path):
            plain = read_plain_regular_file(path, MAX_CODE_FILE_SIZE)
            if plain is not None:
                return plain[0]
        return overlay.read_or_empty(path)

    if cached is not None:
        if indexing is not None:
            indexing.abandon()
        # The report's records themselves: nothing is read, placed or fingerprinted again.
        all_reported, summary = cached
        reported = [item for path, item in all_reported if request.wants(path)]
        loaded = checked = time.perf_counter()
        summary = {**summary, "cached": True}
    else:
        if progress:
            print(f"kconfig-ls: loading {request.project_root} ...".ljust(60), file=stderr, end="\r")
        host = _new_host(request.settings)

        early = EarlyKconfigChecks()

        def records_of(findings: list[Finding]) -> list[ReportedFinding]:
            return report_findings(findings, read_text, relative, project_root)

        def kconfig_ready() -> None:
            nonlocal model_texts, overlay
            if indexing is None:
                return
            try:
                if cache is not None:
                    # The results cache's Kconfig part (file statuses and hashes, missing `source`
                    # targets) while the index's workers keep both cores busy, not after them.
                    cache.prepare(host.workspace)
                # The rules that never read the code index, and their report records, while it
                # is being built (after it, one core would idle through them).
                ready = host.snapshot()
                model_texts, overlay = ready.model.texts, ready.overlay
                early.run(ready)
                early.report(records_of)
                if cache is not None:
                    # Their rows of the results cache too (`store` joins them in).
                    cache.prepare_findings(early.reported_early())
            finally:
                indexing.wait()
            if code_index is not None:
                # The index thread has ended: its cache is written by a forked child from here.
                code_index.write_cache()

        host.load(code_index=code_index, kconfig_ready=kconfig_ready)
        snapshot = host.snapshot()
        if _KEPT_UNTIL_EXIT is not None:
            _KEPT_UNTIL_EXIT.append((host, snapshot))
        model = snapshot.model
        if model.file(model.root_path) is None:
            if code_index is not None:
                code_index.wait_for_cache_write()
            print(f"kconfig-ls: error: root Kconfig not found: {model.root_path}", file=stderr)
            return EXIT_USAGE
        loaded = time.perf_counter()
        all_findings = [f for findings in early.full_findings(snapshot).values() for f in findings]
        if _KEPT_UNTIL_EXIT is not None:
            _KEPT_UNTIL_EXIT.append(all_findings)
        all_findings.sort(key=report_order)
        checked = time.perf_counter()
        model_texts = model.texts
        overlay = snapshot.overlay
        summary = {
            "project": request.project_root,
            "files": len(model.files),
            "code_files": code_index.file_count if code_index is not None else 0,
            "symbols": len(model.definitions),
            "seconds": {
                # The index and the Kconfig load overlap: each is its own duration.
                "index_code": round(indexing.seconds if indexing is not None else 0.0, 3),
                "load": round(loaded - indexed, 3),
                "checks": round(checked - loaded, 3),
            },
        }
        if cache is not None:
            # Every finding's record is stored (a later lint may ask about other paths); filtering
            # whole files keeps the fingerprints' ordinals, which count within a file.
            records = early.records(all_findings, records_of)
            with_paths = [(f.location.path, item) for f, item in zip(all_findings, records, strict=True)]
            cache.store(model, all_findings, summary, code_fingerprint(), with_paths)
            reported = [item for path, item in with_paths if request.wants(path)]
        else:
            findings = [f for f in all_findings if request.wants(f.location.path)]
            reported = early.records(findings, records_of)
    if progress:
        print(" " * 60, file=stderr, end="\r")
    for problem in resolved.problems:
        print(f"kconfig-ls: warning: {problem}", file=stderr)
    if arguments.witness_dir:
        from kconfig_ls.cli.witness import write_witnesses

        if model is None:
            if indexing is not None:
                indexing.wait()
            host = _new_host(request.settings)
            host.load(code_index=code_index)
            model = host.snapshot().model
        written = write_witnesses(
            model, arguments.witness_dir, request.settings.cache_directory, witness_line_prefix(resolved)
        )
        print(f"kconfig-ls: wrote {written} witness files to {arguments.witness_dir}", file=stderr)
    if code_index is not None:
        code_index.wait_for_cache_write()  # the next lint of a changed tree starts from it
    timings = (indexed, loaded, checked, cached is not None)
    return _report(arguments, request, resolved.rules, reported, summary, stdout, stderr, started, timings)


def _report(
    arguments: argparse.Namespace,
    request: _Request,
    rule_settings: RuleSettings,
    reported: list[ReportedFinding] | None,
    summary: dict[str, Any],
    stdout: TextIO,
    stderr: TextIO,
    started: float,
    timings: tuple[float, float, float, bool] | None,
) -> int:
    try:
        findings, comparison = compare_findings(
            arguments, request.project_root, request.paths, reported, request.settings.cache_directory
        )
    except ComparisonError as error:
        print(f"kconfig-ls: error: {error}", file=stderr)
        return EXIT_USAGE
    fail_on = request.fail_on
    if not write_report(
        arguments,
        findings,
        summary,
        comparison,
        request.project_root,
        rule_settings,
        fail_on,
        _write_output,
        stdout,
        stderr,
    ):
        return EXIT_USAGE
    counts = Counter(f.rule_name for f in findings)
    if arguments.statistics or (arguments.format == "text" and findings):
        by_severity = Counter(f.severity.label for f in findings)
        severities = ", ".join(f"{count} {label}" for label, count in sorted(by_severity.items())) or "none"
        tree = (
            f" in {summary['files']} Kconfig files, {summary.get('code_files', 0)} code files, "
            f"{summary['symbols']} symbols" + (" (cached)" if summary.get("cached") else "")
            if timings is not None
            else ""
        )
        print(f"{len(findings)} findings ({severities}){tree}", file=stderr)
    if arguments.statistics and timings is not None:
        indexed, loaded, checked, cached = timings
        print(
            f"time: total {time.perf_counter() - started:.3f} s (index code {indexed - started:.3f} s, "
            f"load Kconfig {loaded - indexed:.3f} s, checks {checked - loaded:.3f} s"
            f"{', findings from the cache' if cached else ''})",
            file=stderr,
        )
        for rule_name, count in sorted(counts.items()):
            print(f"  {rule_name}: {count}", file=stderr)
    if arguments.write_baseline:
        return EXIT_CLEAN  # the findings were just accepted
    if fail_on is not None and any(f.severity >= fail_on for f in findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN


class _Request:
    """The lint command's arguments, validated and turned into `AnalysisSettings`."""

    def __init__(self, settings: AnalysisSettings, paths: list[str], fail_on: Severity | None) -> None:
        self.settings = settings
        self.paths = paths
        self.fail_on = fail_on

    @property
    def project_root(self) -> str:
        return str(self.settings.project_root)

    @classmethod
    def from_arguments(cls, arguments: argparse.Namespace) -> _Request:
        for path in arguments.paths:
            if not os.path.exists(path):
                raise ValueError(f"no such file or folder: {path}")
        paths = [os.path.abspath(p) for p in arguments.paths]
        project_root = os.path.abspath(
            arguments.project or find_project_root(paths[0], arguments.root_kconfig or "Kconfig")
        )
        environment = parse_environment(arguments.env)
        severities: dict[str, str] = {}
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
        # A settings file that does not parse is a usage error here (the editor shows it instead).
        load_project_settings(project_root)
        settings = AnalysisSettings(
            project_root=project_root,
            root_kconfig=arguments.root_kconfig,
            arch=arguments.arch,
            environment=environment,
            trust_commands=bool(arguments.trust_commands),
            rule_severities=severities,
            rule_select=select,
            rule_ignore=ignore,
            index_unreached=not arguments.no_unreached,
            index_code=not arguments.kconfig_only,
            cache_directory=None
            if arguments.no_cache
            else (arguments.cache_dir or default_cache_directory()),
            code_index_workers=arguments.jobs,
            user_config_file=default_user_config_file(),
            rule_preview=bool(arguments.preview),
            logic=not arguments.no_logic,
        )
        fail_on = None if arguments.fail_on == "never" else Severity.parse(arguments.fail_on)
        return cls(settings, paths, fail_on)

    def wants(self, path: str) -> bool:
        return any(path == p or path.startswith(p.rstrip(os.sep) + os.sep) for p in self.paths)


class _BackgroundIndex:
    """The code index in a thread: the walk first, then `CodeIndex.build()` once asked (`proceed`).

    The results cache needs only the tree's fingerprint, which the walk gives
    (`CodeIndex.listing_fingerprint`): on an unchanged tree the index is never
    built (its cache decoded, its entries merged). When the cache cannot be
    used, `proceed` lets the build go on with the walk already made, its scans
    in worker processes while the caller loads the Kconfig model.

    Where the process can fork safely (POSIX, one thread), the walk itself runs
    in a forked child (`_ForkedWalk`): it is Python code, and in a thread it
    would take turns on the interpreter lock with the cache check and the
    Kconfig load it is meant to run beside. Then no thread starts until
    `proceed`: the caller reads the fingerprint from the child, and `proceed`
    reads the listing and, while this is still the only thread, forks the scan
    workers (`code_scanning.prepare_workers`; spawned from the index thread,
    each would start an interpreter and import the scanners again) before it
    starts the index thread. Without a fork, or if the child fails, the thread
    walks.
    """

    def __init__(
        self, index: CodeIndex, progress: Callable[[int, int], None] | None, fork: bool | None = None
    ) -> None:
        self.index = index
        self.seconds = 0.0
        self._progress = progress
        self._error: BaseException | None = None
        self._fingerprint: str | None = None
        self._lock = threading.Lock()
        self._walked = threading.Event()
        self._go_on = threading.Event()
        self._forked = _ForkedWalk.start(index) if (_can_fork() if fork is None else fork) else None
        self._thread: threading.Thread | None = None
        if self._forked is None:
            self._start_thread()

    def _start_thread(self) -> None:
        self._thread = threading.Thread(target=self._run, name="code-index", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        started = time.perf_counter()
        forked = self._forked
        try:
            listing: list[tuple[str, int, int]] | None = None
            try:
                if self._fingerprint is None and forked is not None:
                    self._fingerprint = forked.fingerprint()
                if self._fingerprint is None:
                    listing = self.index.walk_listing()
                    self._fingerprint = CodeIndex.listing_fingerprint(listing)
            finally:
                self._walked.set()
            walked = time.perf_counter()
            self._go_on.wait()
            started += time.perf_counter() - walked  # the time spent waiting is not indexing
            if listing is None and forked is not None:
                listing = forked.listing()
                if listing is None:
                    listing = self.index.walk_listing()
            self.index.build(self._progress, listing)
        except BaseException as error:  # re-raised in the waiting thread
            self._error = error
        finally:
            if forked is not None:
                forked.close()
            code_scanning.release_prepared_workers()  # if the build failed before it took them
        self.seconds = time.perf_counter() - started

    def proceed(self) -> None:
        """Build the index (without waiting): the results cache will not be used."""
        with self._lock:
            if self._thread is None:
                # Still the only thread: fork the scan workers now (see the class docstring).
                if _can_fork():
                    walk_pipe = () if self._forked is None else self._forked.descriptors()
                    code_scanning.prepare_workers(self.index.workers, close_in_workers=walk_pipe)
                self._start_thread()
            self._go_on.set()

    def abandon(self) -> None:
        """The results cache answered: end the walk's child, if it still waits to send the listing."""
        with self._lock:
            if self._forked is not None and self._thread is None:
                self._forked.close()

    def wait(self) -> None:
        self.proceed()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error

    def fingerprint(self) -> str:
        with self._lock:
            # Before the index thread starts, the fingerprint is read here; after, the thread reads it.
            if self._thread is None and self._fingerprint is None and self._forked is not None:
                self._fingerprint = self._forked.fingerprint()
                if self._fingerprint is None:  # the child failed: the thread walks
                    self._start_thread()
        if self._thread is not None:
            self._walked.wait()
        if self._fingerprint is None:
            self.wait()  # the walk failed: raise its error
        assert self._fingerprint is not None
        return self._fingerprint


def _can_fork() -> bool:
    """Forking is safe here: POSIX with `fork`, and no other thread that could hold a lock."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


class _ForkedWalk:
    """`CodeIndex.walk_listing()` in a forked child, which sends the fingerprint, then the listing.

    The child starts with everything the parent imported, so it walks at once;
    it sends the listing's fingerprint as one line, then the listing as one
    `marshal` blob (plain tuples of str and int), and leaves with `os._exit`.
    If the parent never asks for the listing (the results cache answered), it
    closes the pipe, and the child's write fails and ends it. Any failure on
    either side gives None, and the parent walks itself.
    """

    def __init__(self, pid: int, pipe: BinaryIO) -> None:
        self._pid = pid
        self._pipe = pipe
        self._lock = threading.Lock()

    @classmethod
    def start(cls, index: CodeIndex) -> _ForkedWalk | None:
        try:
            read_end, write_end = os.pipe()
            pid = os.fork()
        except OSError as error:
            _LOG.info("cannot fork for the code walk (walking in a thread): %s", error)
            return None
        if pid == 0:  # the child: nothing of the parent's may run here (no atexit, no buffers)
            status = 1
            try:
                os.close(read_end)
                listing = index.walk_listing()
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(CodeIndex.listing_fingerprint(listing).encode("ascii") + b"\n")
                    pipe.flush()
                    pipe.write(marshal.dumps(listing))
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        return cls(pid, os.fdopen(read_end, "rb"))

    def descriptors(self) -> tuple[int, ...]:
        """The pipe's file descriptor, if still open (processes forked later must close it: see `close`)."""
        with self._lock:
            return () if self._pid == 0 else (self._pipe.fileno(),)

    def fingerprint(self) -> str | None:
        try:
            line = self._pipe.readline()
        except (OSError, ValueError):
            return None
        text = line.decode("ascii", "replace").strip()
        return text if len(text) == 64 and line.endswith(b"\n") else None

    def listing(self) -> list[tuple[str, int, int]] | None:
        try:
            listing = marshal.loads(self._pipe.read())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return listing if isinstance(listing, list) else None

    def close(self) -> None:
        """Close the pipe and reap the child (once, from whichever thread comes first)."""
        with self._lock:
            if self._pid == 0:
                return
            pid, self._pid = self._pid, 0
            self._pipe.close()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)


def witness_line_prefix(resolved: ResolvedSettings) -> str:
    """How the tree's `conf` starts a `.config` line: its `CONFIG_` variable, else by its reference syntax.

    The ecosystem is the one the settings resolution found (`ResolvedSettings.ecosystem`).
    """
    environment = resolved.workspace.environment
    if "CONFIG_" in environment:
        return environment["CONFIG_"]
    ecosystem = resolved.code_ecosystem or resolved.ecosystem
    if ecosystem is None:
        from kconfig_ls.settings.ecosystem import ecosystem_for_project

        ecosystem = ecosystem_for_project(resolved.workspace.root)
    return "" if ecosystem.reference_syntax.prefix_in_symbol else ecosystem.reference_syntax.prefix


def new_code_index(settings: AnalysisSettings, resolved: ResolvedSettings) -> CodeIndex:
    """`AnalysisHost.new_code_index()`, without making (and importing) the host."""
    return CodeIndex(
        resolved.workspace.root,
        settings.cache_directory,
        settings.code_index_workers,
        resolved.code_exclude,
        ecosystem=resolved.code_ecosystem,
        extra_roots=resolved.code_roots,
    )


def _new_host(settings: AnalysisSettings) -> AnalysisHost:
    from kconfig_ls.analysis.host import AnalysisHost

    return AnalysisHost(settings)


def parse_environment(items: list[str]) -> dict[str, str]:
    """`--env NAME=VALUE` arguments as a dict (later ones win); ValueError for a malformed one."""
    environment = {}
    for item in items:
        name, separator, value = item.partition("=")
        if not separator or not name:
            raise ValueError(f"--env expects NAME=VALUE, got '{item}'")
        environment[name] = value
    return environment


def _write_output(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def default_cache_directory() -> str:
    """`$XDG_CACHE_HOME/kconfig-ls`, else `~/.cache/kconfig-ls` (read at the CLI edge only)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "kconfig-ls")


def _known_rule(key: str) -> str:
    key = key.strip()
    if key != "ALL" and rule_by_key(key) is None:
        raise ValueError(f"unknown rule '{key}' (see 'kconfig-ls rules')")
    return key
