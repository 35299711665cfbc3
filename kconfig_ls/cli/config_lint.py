"""`kconfig-ls lint --config FILE`: the configuration-file checks (KLS3xx) on a `.config` or defconfig.

The tree is loaded as `lint` loads it, the symbol table of the configured
architecture (`--arch`) is built, and the files given with `--config`
(repeatable: fragments merged in order, as `merge_config.sh` does) are
evaluated natively (`kconfig_ls.logic.configuration`). Values that the
engine cannot compute because they depend on compiler probes are taken from
the files when they assign them (a full `.config` records what the real
compiler answered). Only the configuration rules run, and only findings in
the configuration files are printed; exit codes are `lint`'s.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from kconfig_ls.logic.configuration import ConfigSource

__all__ = ["CONFIGURATION_RULE_PREFIX", "add_config_arguments", "read_config_sources", "run_config_lint"]

CONFIGURATION_RULE_PREFIX = "KLS3"


def add_config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="FILE",
        help="check a .config, defconfig or fragment against the tree (repeatable: merged in order)",
    )


def read_config_sources(paths: list[str]) -> list[ConfigSource]:
    """The files' bytes; raises ValueError with a clear message when one cannot be read."""
    from kconfig_ls.logic.configuration import ConfigSource
    from kconfig_ls.vfs.overlay import MAX_CODE_FILE_SIZE, FileReadError, read_regular_file

    sources = []
    for path in paths:
        try:
            data = read_regular_file(path, MAX_CODE_FILE_SIZE)
        except FileReadError as error:
            raise ValueError(f"cannot read configuration file {path}: {error.reason}") from error
        sources.append(ConfigSource(os.path.abspath(path), data))
    return sources


def run_config_lint(arguments: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    # Imported here, not at the top: `lint` without `--config` (every CI run) needs none of it.
    from kconfig_ls.analysis.host import AnalysisHost
    from kconfig_ls.checks.framework import CheckContext
    from kconfig_ls.checks.registry import ALL_RULES, run_checks
    from kconfig_ls.cli.lint import EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, _Request
    from kconfig_ls.cli.output import report_findings
    from kconfig_ls.cli.report import write_report
    from kconfig_ls.logic.configuration import ProbePolicy, evaluate_configuration
    from kconfig_ls.semantics.worlds import configured_world
    from kconfig_ls.settings.project_file import SettingsError

    started = time.perf_counter()
    try:
        request = _Request.from_arguments(arguments)
        sources = read_config_sources(arguments.config)
    except (SettingsError, ValueError) as error:
        print(f"kconfig-ls: error: {error}", file=stderr)
        return EXIT_USAGE
    # The same host and settings merge as `lint`, Kconfig only (no code index).
    host = AnalysisHost(replace(request.settings, index_code=False))
    host.load()
    snapshot = host.snapshot()
    model = snapshot.model
    if model.file(model.root_path) is None:
        print(f"kconfig-ls: error: root Kconfig not found: {model.root_path}", file=stderr)
        return EXIT_USAGE
    table = snapshot.symbol_table(configured_world(model.settings))
    configuration = evaluate_configuration(table, sources, probes=ProbePolicy.FROM_FILE)
    rules = [rule for rule in ALL_RULES if rule.code.startswith(CONFIGURATION_RULE_PREFIX)]
    paths = {source.path for source in sources}
    context = CheckContext(model, overlay=snapshot.overlay, configuration=configuration)
    findings = [
        finding
        for finding in run_checks(context, snapshot.rule_settings, rules)
        if finding.location.path in paths
    ]
    findings.sort(key=lambda f: (f.location.path, f.location.span.start, f.rule_code))
    data = {source.path: source.data for source in sources}

    def relative(path: str) -> str:
        relative_path = os.path.relpath(path)
        return path if relative_path.startswith("..") else relative_path

    reported = report_findings(findings, lambda path: data.get(path, b""), relative, request.project_root)
    summary = {
        "project": request.project_root,
        "configuration": [source.path for source in sources],
        "symbols": len(table),
        "unknown_values": len(configuration.unknown),
        "findings": len(findings),
        "seconds": round(time.perf_counter() - started, 3),
    }

    def write_file(path: str, text: str) -> None:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    if not write_report(
        arguments,
        reported,
        summary,
        None,
        request.project_root,
        snapshot.rule_settings,
        request.fail_on,
        write_file,
        stdout,
        stderr,
    ):
        return EXIT_USAGE
    if arguments.statistics:
        print(
            f"{len(findings)} findings in {len(sources)} configuration files, {len(table)} symbols, "
            f"{len(configuration.unknown)} values unknown; {time.perf_counter() - started:.3f} s",
            file=stderr,
        )
    if request.fail_on is not None and any(f.severity >= request.fail_on for f in findings):
        return EXIT_FINDINGS
    return EXIT_CLEAN
